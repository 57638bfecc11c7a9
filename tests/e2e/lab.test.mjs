// End-to-end specs for the attack lab: run an attacker in the app and check the table and the
// charts against the command line's numbers for the same seed and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setup, open, shots, root } from './harness.mjs';

const env = setup();

// The CLI that `cargo xtask test` built (debug), or a release build if that is all there is.
const cli = [path.join(root, 'target', 'debug', 'within500'), path.join(root, 'target', 'release', 'within500')]
  .find((p) => fs.existsSync(p)) ?? path.join(root, 'target', 'debug', 'within500');
function attack(args) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`cargo build --bin within500\``);
  return JSON.parse(execFileSync(cli, ['attack', ...args, '--json'], { encoding: 'utf8' }));
}

async function table(page, side) {
  return page.$$eval(`[data-testid=lab-table] td[data-side=${side}]`, (tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.key, td.dataset.value])));
}

const KEYS = ['located_50m', 'located_200m', 'median_error_m', 'reidentified_share', 'households_exposed', 'queries_used', 'epsilon_spent', 'count_error'];

function same(app, cliOut, label) {
  for (const k of KEYS) {
    const a = app[k] === 'null' ? null : Number(app[k]);
    const b = cliOut[k];
    if (b === null) assert.equal(a, null, `${label} ${k}`);
    else assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${label} ${k}: app ${a} vs CLI ${b}`);
  }
}

test('the oracle attacker in the app matches the command line, for both panes', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=7&people=20000&design=aggregate&k=5');
  await page.selectOption('[data-testid=attacker]', 'oracle');
  await page.fill('[data-testid=lab-budget]', '40');
  await page.press('[data-testid=lab-budget]', 'Enter');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 60000 });
  await page.waitForSelector('[data-testid=error-chart] polyline');
  await page.waitForSelector('[data-testid=tradeoff-chart] polyline');
  const base = ['--seed', '7', '--people', '20000', '--attacker', 'oracle', '--budget', '40'];
  same(await table(page, 'exposed'), attack([...base, '--design', 'exposed']), 'exposed');
  same(await table(page, 'private'), attack([...base, '--design', 'aggregate', '--k', '5']), 'aggregate');
  const json = JSON.parse(await page.textContent('[data-testid=lab-json]'));
  assert.equal(json.synthetic, true);
  assert.ok(json.exposed.located_50m >= 0.9);
  assert.ok(json.private.median_error_m > 200);
  fs.mkdirSync(shots, { recursive: true });
  await page.locator('section.lab').screenshot({ path: path.join(shots, 'lab.png') });
  await page.screenshot({ path: path.join(shots, 'lab-map.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('averaging against the per-question DP count and the dictionary against hashed cells match the command line', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=9&people=20000&design=dp-session&eps=1&budget=10');
  await page.selectOption('[data-testid=attacker]', 'averaging');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 60000 });
  same(await table(page, 'private'), attack(['--seed', '9', '--people', '20000', '--attacker', 'averaging', '--design', 'dp-session', '--epsilon', '1', '--epsilon-budget', '10']), 'dp-session');
  await page.selectOption('[data-testid=design]', 'psi');
  await page.selectOption('[data-testid=attacker]', 'dictionary');
  await page.selectOption('section.private select >> nth=1', 'plain');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('hash') === 'plain');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true] td[data-key=reversed_share][data-side=private][data-value="1"]');
  const reversed = await page.getAttribute('td[data-key=reversed_share][data-side=private]', 'data-value');
  assert.equal(Number(reversed), 1);
  assert.match(await page.textContent('[data-testid=lab-table] td[data-side=exposed]'), /n\/a/);
  await context.close();
});

test('a bad budget gets a message naming it', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7&people=20000');
  await page.fill('[data-testid=lab-budget]', 'lots');
  await page.press('[data-testid=lab-budget]', 'Enter');
  assert.match(await page.textContent('.lab .field-error'), /budget="lots"/);
  await context.close();
});

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
  // A flat line has no height, so Playwright never calls it visible: attached is enough.
  await page.waitForSelector('[data-testid=error-chart] polyline.curve', { state: 'attached' });
  await page.waitForSelector('[data-testid=tradeoff-chart] polyline.curve', { state: 'attached' });
  const base = ['--seed', '7', '--people', '20000', '--attacker', 'oracle', '--budget', '40'];
  same(await table(page, 'exposed'), attack([...base, '--design', 'exposed']), 'exposed');
  same(await table(page, 'private'), attack([...base, '--design', 'aggregate', '--k', '5']), 'aggregate');
  const json = JSON.parse(await page.textContent('[data-testid=lab-json]'));
  assert.equal(json.synthetic, true);
  assert.ok(json.exposed.located_50m >= 0.9);
  // Both sides attack the same people from the same start points: the same reference lines,
  // and the aggregate stays far below the deployed list.
  assert.equal(json.private.baseline_located_50m, json.exposed.baseline_located_50m);
  assert.ok(json.private.located_50m < json.exposed.located_50m - 0.5, `aggregate ${json.private.located_50m}`);
  fs.mkdirSync(shots, { recursive: true });
  await page.locator('section.lab').screenshot({ path: path.join(shots, 'lab.png') });
  await page.screenshot({ path: path.join(shots, 'lab-map.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

const SET_KEYS = ['homes_recovered_1m', 'homes_recovered_10m', 'homes_recovered_50m', 'baseline_located_50m', 'ideal_located_50m', 'sessions_used', 'epsilon_per_person'];

test('reconstruction against the DP release on 100 listed people matches the command line, off the page\'s thread', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=7&people=100000&design=dp&eps=1');
  await page.selectOption('[data-testid=attacker]', 'reconstruct');
  await page.fill('[data-testid=lab-budget]', '30000');
  await page.press('[data-testid=lab-budget]', 'Enter');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 120000 });
  const cliOut = attack(['--seed', '7', '--people', '100000', '--attacker', 'reconstruct', '--budget', '30000', '--targets', '100', '--design', 'dp', '--epsilon-total', '1']);
  const app = await table(page, 'private');
  same(app, cliOut, 'dp release');
  for (const k of SET_KEYS) assert.ok(Math.abs(Number(app[k]) - cliOut[k]) <= 1e-9 * Math.max(1, Math.abs(cliOut[k])), `${k}: app ${app[k]} vs CLI ${cliOut[k]}`);
  assert.equal(cliOut.targets, 100);
  // The sweep over total ε is drawn on a log axis with both reference lines.
  assert.equal(await page.getAttribute('[data-testid=tradeoff-chart]', 'data-log-axis'), 'true');
  assert.equal(await page.locator('[data-testid=tradeoff-chart] polyline.ref').count(), 2);
  await page.locator('section.lab').screenshot({ path: path.join(shots, 'lab-reconstruct.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long attack runs in a worker: the page shows progress and answers the keyboard meanwhile', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=7&people=20000&design=dp-session&eps=1&budget=10');
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  await page.selectOption('[data-testid=attacker]', 'reconstruct');
  const worker = page.waitForEvent('worker');
  await page.click('[data-testid=lab-run]');
  const labWorker = await worker;
  const closed = new Promise((resolve) => labWorker.on('close', resolve));
  await page.waitForSelector('.lab progress');
  const lng = new URL(page.url()).searchParams.get('lng');
  await page.focus('canvas.map');
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction((l) => new URL(location.href).searchParams.get('lng') !== l, lng);
  const complete = await page.evaluate(() => document.querySelector('[data-testid=lab-table]')?.dataset.complete ?? 'not shown yet');
  assert.notEqual(complete, 'true', 'the page moved while the attack was still running');
  assert.ok(await page.isVisible('.lab progress'));
  await page.getByRole('button', { name: /^Stop$/ }).click();
  await page.waitForSelector('.lab progress', { state: 'detached' });
  // Stop ends the run for real: the worker is terminated.
  await closed;
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

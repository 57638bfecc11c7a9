// End-to-end specs for the private proximity test as a two-party exchange: the creditor (the
// page) asks the court one test at a time, sees both messages' bytes, the answer and the time;
// a wrong credential and a person with no case get the same refusal; the daily limit holds;
// and the lab's spoofing creditor gives the command line's figures.
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
function run(args) {
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`cargo build --bin within500\``);
  return execFileSync(cli, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

const SEED = 2019;
const PEOPLE = 20000;

/** The city's people as the CLI writes them: id, home, whether listed. */
function people() {
  const out = [];
  for (const line of run(['generate', '--seed', String(SEED), '--people', String(PEOPLE)]).split('\n')) {
    const m = line.match(/^(\d+),\d+,(-?[\d.]+),(-?[\d.]+),([01]),/);
    if (m) out.push({ id: Number(m[1]), lat: Number(m[2]), lng: Number(m[3]), listed: m[4] === '1' });
  }
  return out;
}

const ask = async (page) => {
  const before = await page.getAttribute('[data-testid=psi-day]', 'data-left');
  const seen = await page.locator('[data-testid=psi-round]').count();
  const serial = seen ? await page.getAttribute('[data-testid=psi-reply]', 'data-bytes') : null;
  await page.click('[data-testid=psi-ask]');
  // A new reply (keyed replies differ every time: fresh secrets) or a changed count of tests left.
  await page.waitForFunction(([s, b]) => {
    const r = document.querySelector('[data-testid=psi-reply]');
    const d = document.querySelector('[data-testid=psi-day]');
    return r && (r.dataset.bytes !== s || d?.dataset.left !== b);
  }, [serial, before]);
  return {
    answer: await page.getAttribute('[data-testid=psi-answer]', 'data-answer'),
    reply: await page.getAttribute('[data-testid=psi-reply]', 'data-bytes'),
    request: await page.getAttribute('[data-testid=psi-request]', 'data-bytes'),
    left: Number(await page.getAttribute('[data-testid=psi-day]', 'data-left')),
  };
};

/** Moves the marker with the URL (the state lives there) and waits for the page to follow. */
async function moveTo(page, base, query) {
  await page.goto(base + query);
  await page.waitForSelector('canvas.map[data-drawn="city"]', { timeout: 30000 });
  await page.waitForSelector('[data-testid=psi-ask]:not([disabled])');
}

test('the proximity test in the page: one exchange per press, refusals alike, the daily limit', async () => {
  const all = people();
  const debtor = all.find((p) => p.listed);
  const nobody = all.find((p) => !p.listed);
  assert.ok(debtor && nobody);
  const at = (p, dLat = 0) => `lat=${(p.lat + dLat).toFixed(7)}&lng=${p.lng.toFixed(7)}`;
  const q = (id, pos) => `?seed=${SEED}&people=${PEOPLE}&design=psi&debtor=${id}&${pos}`;
  const { page, context, errors, requests } = await open(env.browser, env.server.url, q(debtor.id, at(debtor)), { width: 1280, height: 800 });
  // Each city's court keeps its record in localStorage: start this spec from a fresh court.
  await page.evaluate(() => localStorage.clear());
  await moveTo(page, env.server.url, q(debtor.id, at(debtor)));
  assert.equal(Number(await page.getAttribute('[data-testid=psi-day]', 'data-left')), 3);
  const caseText = (await page.textContent('[data-testid=psi-case]')).trim();
  assert.match(caseText, /^\(\d{4}\)冀00\d{2}执\d+号$/, caseText);
  // Moving the marker runs no test: nothing is shown before Ask.
  assert.equal(await page.locator('[data-testid=psi-round]').count(), 0);

  // 1. At the debtor's home: near.
  const home = await ask(page);
  assert.equal(home.answer, 'near');
  assert.equal(home.left, 2);
  assert.equal(await page.getAttribute('[data-testid=psi-request]', 'data-tokens'), '7');
  assert.equal(await page.getAttribute('[data-testid=psi-reply]', 'data-returned'), '7');
  // One token per home cell of the case's debtors (a case number may name more than one).
  const debtors = Number(await page.getAttribute('[data-testid=psi-reply]', 'data-debtors'));
  assert.ok(debtors >= 1);
  assert.equal((await page.textContent('[data-testid=psi-request-case]')).trim(), caseText);
  // 1 tag, 1 hash byte, 2 length bytes, the case, 32 credential bytes, a count and 7 × 32.
  assert.equal(home.request.length / 2, 4 + Buffer.byteLength(caseText) + 32 + 1 + 7 * 32);
  assert.equal(home.reply.length / 2, 1 + 1 + 7 * 32 + 1 + 32 * debtors);
  const us = Number(await page.getAttribute('[data-testid=psi-time]', 'data-psi-us'));
  assert.ok(us > 0, `one test took ${us} µs`);
  assert.match(await page.textContent('[data-testid=psi-time]'), /ms/);
  // The full bytes are in the page, folded away.
  await page.click('[data-testid=psi-reply] details summary');
  assert.equal((await page.textContent('[data-testid=psi-reply] details code')).trim(), home.reply);
  fs.mkdirSync(shots, { recursive: true });
  await page.locator('section.private').screenshot({ path: path.join(shots, 'psi-exchange.png') });
  let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);

  // 2. Five kilometres towards the city centre: not near (the same day, the same case).
  await moveTo(page, env.server.url, q(debtor.id, at(debtor, debtor.lat > 38.04 ? -0.045 : 0.045)));
  assert.equal(Number(await page.getAttribute('[data-testid=psi-day]', 'data-left')), 2, 'a reload keeps the court\'s record');
  const far = await ask(page);
  assert.equal(far.answer, 'not-near');
  assert.equal(far.left, 1);

  // 3. A wrong credential: the refusal, which counts no test.
  await page.selectOption('[data-testid=psi-credential]', 'wrong');
  const wrong = await ask(page);
  assert.equal(wrong.answer, 'refused');
  assert.equal(wrong.left, 1);
  await page.selectOption('[data-testid=psi-credential]', 'issued');

  // 4. A person with no case: the creditor sends a case text the court does not have and gets
  // the very same bytes, and the page never says whether the person is listed.
  await moveTo(page, env.server.url, q(nobody.id, at(debtor)));
  const none = await ask(page);
  assert.equal(none.answer, 'refused');
  assert.equal(none.reply, wrong.reply, 'an unlisted id and a wrong credential get byte-identical replies');
  assert.doesNotMatch(await page.textContent('section.private'), /not listed|not a listed/i);

  // 5. The third test of the day, then the fourth: the limit.
  await moveTo(page, env.server.url, q(debtor.id, at(debtor)));
  assert.equal((await ask(page)).answer, 'near');
  const limit = await ask(page);
  assert.equal(limit.answer, 'limit');
  assert.equal(limit.left, 0);
  assert.equal(await page.getAttribute('[data-testid=psi-reply]', 'data-limit'), 'true');
  assert.match(await page.textContent('[data-testid=psi-answer]'), /3 tests today/);

  // 6. The next day, a test again.
  const day = Number(await page.getAttribute('[data-testid=psi-day]', 'data-day'));
  await page.click('[data-testid=psi-next-day]');
  await page.waitForFunction((d) => Number(document.querySelector('[data-testid=psi-day]')?.dataset.day) === d + 1, day);
  assert.equal(Number(await page.getAttribute('[data-testid=psi-day]', 'data-left')), 3);
  const next = await ask(page);
  assert.equal(next.answer, 'near');
  assert.equal(next.left, 2);
  await page.locator('section.private').screenshot({ path: path.join(shots, 'psi-exchange.png') });

  // Plain tokens: the same exchange, and the page shows that a list of cells reverses them.
  await moveTo(page, env.server.url, `${q(debtor.id, at(debtor))}&hash=plain`);
  const plain = await ask(page);
  assert.equal(plain.answer, 'near');
  assert.equal(await page.getAttribute('[data-testid=psi-court-sees]', 'data-reversed'), '7');
  assert.equal(await page.getAttribute('[data-testid=psi-creditor-sees]', 'data-reversed'), String(debtors));
  assert.equal(await page.getAttribute('[data-testid=psi-reply]', 'data-returned'), '0');

  const origin = new URL(env.server.url).origin;
  for (const r of requests) assert.ok(r.startsWith(origin) || r.startsWith('data:'), r);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the exchange is readable on a phone', async () => {
  const debtor = people().find((p) => p.listed);
  const { page, context, errors } = await open(env.browser, env.server.url,
    `?seed=${SEED}&people=${PEOPLE}&design=psi&debtor=${debtor.id}&lat=${debtor.lat}&lng=${debtor.lng}`, { width: 390, height: 844 });
  await page.evaluate(() => localStorage.clear());
  await page.click('role=tab[name="Privacy-preserving"]');
  await page.click('[data-testid=psi-ask]');
  await page.waitForSelector('[data-testid=psi-answer][data-answer=near]');
  await page.click('[data-testid=psi-request] details summary');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  fs.mkdirSync(shots, { recursive: true });
  await page.locator('section.private').screenshot({ path: path.join(shots, 'psi-exchange-phone.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

async function table(page, side) {
  return page.$$eval(`[data-testid=lab-table] td[data-side=${side}]`, (tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.key, td.dataset.value])));
}

const PSI_KEYS = ['cell_pinned_share', 'days_to_pin_median', 'tests_per_day', 'baseline_cell_pinned_share', 'days_to_pin_no_hint_median', 'located_50m', 'median_error_m'];

test('the spoofing creditor in the lab matches the command line', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, `?seed=${SEED}&people=${PEOPLE}&design=psi`);
  // Choosing the proximity test chooses the spoofing creditor, with its budget of 30 days of tests.
  assert.equal(await page.$eval('[data-testid=attacker]', (s) => s.value), 'spoof');
  await page.selectOption('[data-testid=attacker]', 'oracle');
  await page.selectOption('[data-testid=attacker]', 'spoof');
  assert.equal(await page.inputValue('[data-testid=lab-budget]'), '90');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 180000 });
  const app = await table(page, 'private');
  const cliOut = JSON.parse(run(['attack', '--design', 'psi', '--attacker', 'spoof', '--seed', String(SEED), '--people', String(PEOPLE), '--targets', '100', '--json']));
  assert.equal(cliOut.targets, 100);
  for (const k of PSI_KEYS) {
    const a = app[k] === 'null' || app[k] === undefined ? null : Number(app[k]);
    const b = cliOut[k] ?? null;
    if (b === null) assert.equal(a, null, k);
    else assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${k}: app ${a} vs CLI ${b}`);
  }
  assert.equal(Number(app.tests_per_day), 3);
  // The deployed map has no messages to attack.
  assert.match(await page.textContent('[data-testid=lab-table] td[data-side=exposed]'), /n\/a/);
  fs.mkdirSync(shots, { recursive: true });
  await page.locator('section.lab').screenshot({ path: path.join(shots, 'lab-spoof.png') });
  // Any other attacker: only the proximity attackers apply.
  await page.selectOption('[data-testid=attacker]', 'walker');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 60000 });
  assert.match(await page.textContent('section.lab'), /only the dictionary, spoofing and court attackers apply/);
  assert.deepEqual(errors, []);
  await context.close();
});

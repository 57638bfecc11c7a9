// End-to-end spec for a whole city: 11 000 000 people generated in a Web Worker while the page
// keeps running, with progress and Cancel, within the memory target. Against dist/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { setup, open, shots } from './harness.mjs';

const env = setup();
const FULL_CITY = 11000000;
const people = (page) => Number(new URL(page.url()).searchParams.get('people') ?? 100000);

async function askFor(page, n) {
  await page.fill('[data-testid=setting-people]', String(n));
  await page.press('[data-testid=setting-people]', 'Enter');
  await page.waitForSelector('.map-status progress', { timeout: 20000 });
}

test('a generation shows progress while the page keeps running, and Cancel goes back to the last city', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=3');
  await askFor(page, FULL_CITY);
  // The page's own thread keeps running: it reads the progress bar several times and sees it move.
  const seen = new Set();
  for (let i = 0; i < 40 && seen.size < 3; i += 1) {
    const value = await page.getAttribute('.map-status progress', 'value').catch(() => null);
    if (value !== null) seen.add(value);
    await page.waitForTimeout(100);
  }
  assert.ok(seen.size >= 3, `the progress bar moved while the city was generated: ${[...seen]}`);
  await page.click('[data-testid=cancel-generation]');
  await page.waitForSelector('canvas.map[data-drawn="city"]', { timeout: 30000 });
  assert.equal(people(page), 100000, 'Cancel returns to the city shown before');
  assert.equal(await page.$('.map-status progress'), null, 'no generation runs after Cancel');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a city of 11 000 000 people is generated, drawn by density and answered, in at most 40 bytes a person', async () => {
  const { page, context, errors, requests } = await open(env.browser, env.server.url, '?seed=7');
  const before = Number(await page.getAttribute('body', 'data-generated'));
  await askFor(page, FULL_CITY);
  await page.waitForFunction((n) => Number(document.body.dataset.generated) > n, before, { timeout: 180000 });
  await page.waitForSelector('canvas.map[data-drawn="city"]', { timeout: 30000 });
  await page.waitForSelector('[data-testid=exposed-list] .person-open', { timeout: 30000 });
  assert.equal(people(page), FULL_CITY);
  assert.match(await page.textContent('.map-wrap'), /Synthetic data/);
  assert.match(await page.textContent('header'), /seed 7 · 11000000 people/);
  const bytes = Number(await page.getAttribute('body', 'data-wasm-bytes'));
  assert.ok(bytes / FULL_CITY <= 40, `WebAssembly memory ${bytes} B is ${(bytes / FULL_CITY).toFixed(1)} B a person`);
  const listed = Number((await page.textContent('[data-testid=level]')).match(/(\d+) listed/)[1]);
  assert.ok(listed > 100, `the dense centre lists many people within 500 m (${listed})`);
  // The list draws a page of 100 at a time, with a button for the next page.
  const rows = () => page.$$eval('[data-testid=exposed-list] li', (els) => els.length);
  assert.equal(await rows(), 100);
  assert.match(await page.textContent('[data-testid=show-more]'), new RegExp(`Show 100 more \\(100 of ${listed} shown\\)`));
  await page.click('[data-testid=show-more]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=exposed-list] li').length === 200);
  await page.screenshot({ path: path.join(shots, 'city-11m.png') });
  assert.deepEqual(errors, []);
  assert.deepEqual(requests.filter((r) => !r.startsWith(env.server.url)), []);
  await context.close();
});

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

// Generates a city in the app's worker, as the page asks for one, and returns the SHA-256 of its
// bytes and the progress it reported.
async function generateInWorker(page, people, workers) {
  return page.evaluate(
    async ({ people, workers }) => {
      const worker = new Worker('./worker/worker.js', { type: 'module' });
      const message = JSON.stringify({ kind: 'generate', city: { seed: 2019, people, listed_rate: 0.01 } });
      const shares = [];
      const bytes = await new Promise((resolve, reject) => {
        worker.onmessage = ({ data }) => {
          const reply = JSON.parse(data.reply);
          if (reply.kind === 'progress') shares.push(reply.share);
          else if (reply.kind === 'city') resolve(data.bytes);
          else reject(new Error(data.reply));
        };
        worker.onerror = (e) => reject(new Error(e.message));
        worker.postMessage({ id: 1, message, workers });
      });
      worker.terminate();
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return { digest: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), size: bytes.byteLength, shares };
    },
    { people, workers },
  );
}

test('a large city drawn in parts by several workers is byte for byte the one a single worker draws', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=3');
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  const people = 400000;
  const one = await generateInWorker(page, people, 1);
  const three = await generateInWorker(page, people, 3);
  assert.ok(one.size > people * 10, `a whole city came back (${one.size} bytes)`);
  assert.equal(three.digest, one.digest, 'the same bytes from one worker and from three');
  assert.ok(three.shares.length >= 8 && three.shares.every((s, i) => i === 0 || s >= three.shares[i - 1]), `progress rose part by part: ${three.shares}`);
  assert.deepEqual(errors, []);
  await context.close();
});

// End-to-end specs for embedding: the example article resizes its iframe to the app's content;
// the embed view has no chrome; nothing is stored and nothing leaves the origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, shots, watch } from './harness.mjs';

const env = setup();

test('the example article hosts the app and its iframe follows the content height', async () => {
  const context = await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  const { requests, errors } = watch(page);
  await page.goto(`${env.server.url}embed-example.html`);
  const frameEl = page.locator('iframe[data-within500]');
  const frame = page.frameLocator('iframe[data-within500]');
  await frame.locator('canvas.map[data-drawn="city"]').waitFor({ timeout: 30000 });
  // The app posts its height; embed.js sets the iframe to it.
  await page.waitForFunction(() => document.querySelector('iframe[data-within500]')?.dataset.resized, null, { timeout: 30000 });
  const contentHeight = async () => frame.locator('html').evaluate(() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight));
  const frameHeight = async () => (await frameEl.boundingBox()).height;
  await page.waitForFunction(() => {
    const f = document.querySelector('iframe[data-within500]');
    const d = f.contentDocument;
    return Math.abs(f.getBoundingClientRect().height - Math.max(d.documentElement.scrollHeight, d.body.scrollHeight)) <= 2;
  }, null, { timeout: 30000 });
  const first = await frameHeight();
  assert.ok(first > 400, `the frame grew from 400 px to ${first}`);
  assert.ok(Math.abs(first - (await contentHeight())) <= 2);
  // Opening the table inside the frame makes the content taller: the frame follows.
  await frame.locator('details.text-alt summary').click();
  await page.waitForFunction((h) => document.querySelector('iframe[data-within500]').getBoundingClientRect().height > h + 20, first, { timeout: 30000 });
  const second = await frameHeight();
  assert.ok(Math.abs(second - (await contentHeight())) <= 2, `${second} vs ${await contentHeight()}`);
  // The embed shows the scene, a caption and a link to the full app, and no navigation.
  assert.equal(await frame.locator('.header').count(), 0);
  assert.ok((await frame.locator('[data-testid=embed-caption]').textContent()).length > 20);
  const full = await frame.locator('[data-testid=embed-full-link]').getAttribute('href');
  assert.ok(!new URL(full).searchParams.has('embed') && new URL(full).searchParams.get('step') === '4');
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'embed-example.png'), fullPage: true });
  // Privacy: no cookies, nothing stored, every request to this origin.
  assert.deepEqual(await context.cookies(), []);
  const stored = await frame.locator('html').evaluate(() => [localStorage.length, sessionStorage.length, document.cookie]);
  assert.deepEqual(stored, [0, 0, '']);
  const foreign = requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('"embed this view" gives an iframe snippet with a title and the current state', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=11&people=20000&design=blur&lang=zh');
  await page.click('[data-testid=embed-this]');
  const code = await page.inputValue('[data-testid=embed-snippet]');
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?[^"]*embed=1/);
  for (const part of ['seed=11', 'people=20000', 'design=blur', 'lang=zh', 'title="', 'data-within500', 'embed.js']) {
    assert.ok(code.includes(part), `snippet has ${part}`);
  }
  // The snippet's address opens the same view, embedded.
  const src = code.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  await page.goto(src);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  assert.equal(await page.evaluate(() => document.body.classList.contains('embed')), true);
  assert.equal(await page.$eval('[data-testid=design]', (s) => s.value), 'blur');
  await context.close();
});

// End-to-end spec for the phone view of the deployed app: the warning-level button, the list, a
// person's page, a tip that sends nothing, and the poster, which downloads as a PNG carrying the
// synthetic mark (in its band and as a QR code). Screenshots for review; axe on each screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { setup, open, shots } from './harness.mjs';

const env = setup();
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function axe(page, where) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document.querySelector('[data-testid=phone]'), { resultTypes: ['violations'] }));
  const bad = result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical').map((x) => `${where}: ${x.id}`);
  assert.deepEqual(bad, []);
}

test('the phone view walks list → person → tip and poster; the poster is a PNG with the mark', async () => {
  fs.mkdirSync(shots, { recursive: true });
  const { page, context, requests, errors } = await open(env.browser, env.server.url, '?seed=7');
  await page.click('[data-testid=phone-toggle]');
  assert.match(await page.textContent('[data-testid=phone-mark]'), /synthetic/i);
  // The button carries the same warning level as the deployed pane.
  const level = await page.getAttribute('[data-testid=level]', 'data-level');
  assert.match(await page.getAttribute('[data-testid=phone-level]', 'class'), new RegExp(`level-${level}`));
  await axe(page, 'home');
  await page.click('[data-testid=phone-level]');
  const listed = await page.$$eval('[data-testid=phone-list] li', (els) => els.length);
  const inPane = await page.$$eval('[data-testid=exposed-list] li', (els) => els.length);
  assert.ok(listed >= 1 && listed === Math.min(inPane, 50), `${listed} on the phone, ${inPane} in the pane`);
  await page.locator('[data-testid=phone]').screenshot({ path: path.join(shots, 'phone-list.png') });
  await axe(page, 'list');

  // A person's page shows what the pane shows for that person.
  const name = (await page.textContent('[data-testid=phone-list] li:first-child strong')).trim();
  await page.click('[data-testid=phone-list] li:first-child button');
  assert.equal((await page.textContent('[data-testid=phone-person] h4')).trim(), name);
  const paneId = await page.$eval('[data-testid=exposed-list] li:first-child .id', (e) => e.textContent.trim());
  assert.ok((await page.textContent('[data-testid=phone-person] dl')).includes(paneId), `the page shows ${paneId}`);
  await page.locator('[data-testid=phone]').screenshot({ path: path.join(shots, 'phone-person.png') });
  await axe(page, 'person');

  // A tip shows what would be sent and sends nothing.
  await page.click('[data-testid=phone-tip]');
  const sent = JSON.parse(await page.textContent('[data-testid=phone-sent]'));
  assert.equal(sent.action, 'report');
  assert.equal(sent.synthetic, true);
  assert.equal(sent.debtor.name, name);
  await page.click('[data-testid=phone-back]');

  // The poster: a PNG made in the page, downloaded, carrying the mark.
  await page.click('[data-testid=phone-poster]');
  await page.waitForSelector('[data-testid=phone-poster-image]');
  const mark = await page.getAttribute('[data-testid=phone-poster-image]', 'data-mark');
  assert.match(mark, /SYNTHETIC DATA/);
  assert.match(mark, /seed 7/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=phone-poster-download]')]);
  assert.match(download.suggestedFilename(), /^within500-poster-seed7-\d+\.png$/);
  const file = path.join(shots, 'poster.png');
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  const png = PNG.sync.read(bytes);
  assert.deepEqual([png.width, png.height], [540, 860]);
  // The mark's band at the foot is its dark red.
  const at = (x, y) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 3)];
  assert.deepEqual(at(4, png.height - 4), [0x7a, 0x1d, 0x12]);
  // And the poster's QR code reads back the mark and the view that made it.
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(code, 'the poster carries a QR code');
  const [codeMark, codeUrl] = code.data.split('\n');
  assert.equal(codeMark, mark);
  assert.equal(codeUrl, page.url());
  await page.locator('[data-testid=phone]').screenshot({ path: path.join(shots, 'phone-poster.png') });
  await axe(page, 'poster');

  const origin = new URL(env.server.url).origin;
  assert.deepEqual(requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});

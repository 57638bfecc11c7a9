// End-to-end specs for the story, the exercises, the teacher's page and the printed worksheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { setup, open, shots } from './harness.mjs';
import { dragMarkerTo, teacherAnswer, parsePosition, urlPosition, distance } from './helpers.mjs';

const env = setup();
const step = async (page) => Number(await page.getAttribute('[data-testid=story]', 'data-step'));
const urlStep = (page) => new URL(page.url()).searchParams.get('step');

test('the story walks forward with the button and back with the arrow key, each step its own scene', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?step=1');
  const total = Number(await page.getAttribute('[data-testid=story]', 'data-steps'));
  assert.ok(total >= 7 && total <= 10, `${total} steps`);
  assert.equal(await page.isDisabled('[data-testid=story-back]'), true);
  const seen = [];
  for (let n = 1; n <= total; n += 1) {
    assert.equal(await step(page), n);
    assert.equal(urlStep(page), String(n));
    const title = (await page.textContent('[data-testid=story-title]')).trim();
    const sources = await page.$$eval('[data-testid=story-sources] [data-source]', (els) => els.length);
    assert.ok(sources >= 1, `step ${n} cites a source`);
    assert.ok(!seen.some((s) => s.title === title), `step ${n} has its own title`);
    seen.push({ title, url: page.url() });
    if (n < total) {
      await page.click('[data-testid=story-next]');
      await page.waitForFunction((m) => document.querySelector('[data-testid=story]')?.dataset.step === String(m), n + 1);
    }
  }
  assert.equal(await page.isDisabled('[data-testid=story-next]'), true);
  // Each step sets up its scene: the hashed-cells step shows the proximity design, the walker
  // step runs the lab. Going back with ← returns through every step to the first.
  for (let n = total; n > 1; n -= 1) {
    await page.locator('h1').click();
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((m) => document.querySelector('[data-testid=story]')?.dataset.step === String(m), n - 1);
    assert.equal((await page.textContent('[data-testid=story-title]')).trim(), seen[n - 2].title);
  }
  // A step's link opens the same scene for anyone.
  await page.goto(seen[3].url);
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 60000 });
  assert.equal(await step(page), 4);
  await page.goto(`${env.server.url}?step=6`);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  assert.equal(await page.$eval('[data-testid=design]', (s) => s.value), 'psi');
  await page.click('[data-testid=story-reset]');
  await page.waitForFunction(() => document.querySelector('[data-testid=story]')?.dataset.step === '1');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the first story step in both languages, and presenter mode, for review', async () => {
  fs.mkdirSync(shots, { recursive: true });
  for (const lang of ['en', 'zh']) {
    const { page, context } = await open(env.browser, env.server.url, `?step=1&lang=${lang}`);
    assert.equal(await page.getAttribute('html', 'lang'), lang === 'zh' ? 'zh-Hans' : 'en');
    await page.screenshot({ path: path.join(shots, `story-step1-${lang}.png`) });
    await context.close();
  }
  const { page, context } = await open(env.browser, env.server.url, '?step=2&presenter=1');
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), true);
  assert.equal(await page.isVisible('.lab-controls'), false, 'presenter mode hides the lab controls');
  const size = await page.$eval('.story-body', (el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 20, `presenter type is large (${size}px)`);
  await page.screenshot({ path: path.join(shots, 'story-presenter.png') });
  await context.close();
});

/** Reads the presenter's QR code off the screen, as a phone's camera would. */
async function scanQr(page) {
  const png = PNG.sync.read(await page.locator('[data-testid=presenter-qr] svg').screenshot());
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(found, 'a QR code is found in the screenshot');
  return found.data;
}

test('presenter mode shows a QR code that decodes to the current view, and follows the steps', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?step=2&presenter=1');
  const withoutPresenter = () => {
    const u = new URL(page.url());
    u.searchParams.delete('presenter');
    return u;
  };
  const sameView = (a, b) => a === b.toString();
  const first = await scanQr(page);
  assert.equal(first, await page.getAttribute('[data-testid=presenter-qr]', 'data-qr'));
  assert.ok(sameView(first, withoutPresenter()), `${first} is this view (${page.url()}) without the presenter flag`);
  assert.equal(new URL(first).searchParams.get('step'), '2');
  // The next step gets its own code.
  await page.click('[data-testid=story-next]');
  await page.waitForFunction(() => new URL(document.querySelector('[data-testid=presenter-qr]').dataset.qr).searchParams.get('step') === '3');
  const next = await scanQr(page);
  assert.ok(sameView(next, withoutPresenter()), `${next} is the third step's view`);
  // The scanned address opens that step, as an ordinary page.
  await page.goto(next);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  assert.equal(await step(page), 3);
  assert.equal(await page.evaluate(() => document.body.classList.contains('presenter')), false);
  assert.equal(await page.locator('[data-testid=presenter-qr]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

async function teacherAnswers(browser, base) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(`${base}?mode=teacher`);
  await p.waitForSelector('[data-testid=teacher]');
  const answers = {};
  for (let n = 1; n <= 5; n += 1) answers[n] = await teacherAnswer(p, n);
  await p.screenshot({ path: path.join(shots, 'teacher.png'), fullPage: true });
  await ctx.close();
  return answers;
}

const outcome = (page) => page.getAttribute('[data-testid=ex-result]', 'data-outcome');
const waitOutcome = (page) => page.waitForFunction(() => {
  const o = document.querySelector('[data-testid=ex-result]')?.dataset.outcome;
  return o === 'solved' || o === 'failed';
}, null, { timeout: 60000 });
async function openExercise(n, extra = '') {
  const r = await open(env.browser, env.server.url, `?mode=exercise&ex=${n}${extra}`);
  await r.page.waitForSelector(`[data-testid=exercise][data-ex="${n}"]`);
  await r.page.waitForFunction(() => document.querySelector('[data-testid=ex-goal]')?.textContent.length > 10);
  return r;
}
async function check(page) {
  await page.click('[data-testid=ex-check]');
  await waitOutcome(page);
  return outcome(page);
}

test('every exercise can be solved and failed, and the app checks it', async () => {
  const answers = await teacherAnswers(env.browser, env.server.url);

  // 1. Find the home: failed from where it starts, solved by moving onto the home.
  let { page, context, errors } = await openExercise(1);
  assert.equal(await check(page), 'failed');
  await page.click('[data-testid=ex-restart]');
  await page.waitForFunction(() => document.querySelector('[data-testid=ex-result]')?.dataset.outcome === 'pending');
  const home = parsePosition(answers[1]);
  const drags = await dragMarkerTo(page, home);
  assert.ok(drags <= 8, `${drags} questions`);
  assert.ok(distance(urlPosition(page), home) <= 50);
  assert.equal(await page.getAttribute('[data-testid=ex-questions]', 'data-used'), String(drags));
  assert.equal(await check(page), 'solved');
  assert.deepEqual(errors, []);
  await context.close();

  // 2. Choose ε: 4 lets the attacker in, 1 passes.
  ({ page, context } = await openExercise(2));
  await page.fill('[data-testid=ex-eps]', '4');
  await page.press('[data-testid=ex-eps]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('eps') === '4');
  assert.equal(await check(page), 'failed');
  assert.match(await page.textContent('[data-testid=ex-result]'), /ε = 4/);
  await page.fill('[data-testid=ex-eps]', '1');
  await page.press('[data-testid=ex-eps]', 'Enter');
  await page.waitForFunction(() => !new URL(location.href).searchParams.has('eps'));
  await page.click('[data-testid=ex-check]');
  await page.waitForFunction(() => document.querySelector('[data-testid=ex-result]')?.dataset.outcome === 'solved', null, { timeout: 60000 });
  await context.close();

  // 3. Reverse hashed cells: the tool finds every cell; wrong districts fail, right ones solve.
  ({ page, context } = await openExercise(3));
  await page.click('[data-testid=ex-reverse]');
  assert.equal(await page.locator('[data-testid=ex-found]').count(), 3);
  const right = answers[3].replace(/^[^:：]*[:：]\s*/, '').split(/,\s*/);
  assert.equal(right.length, 3);
  const selects = page.locator('[data-testid=ex-district]');
  const wrong = await selects.nth(0).evaluate((s, r) => [...s.options].find((o) => o.text !== r).text, right[0]);
  await selects.nth(0).selectOption({ label: wrong });
  assert.equal(await check(page), 'failed');
  for (let i = 0; i < 3; i += 1) await selects.nth(i).selectOption({ label: right[i] });
  assert.equal(await check(page), 'solved');
  await context.close();

  // 4. Households: the directory on each person's page adds up to the answer; a wrong count fails.
  ({ page, context } = await openExercise(4));
  const expected = Number(answers[4].replace(/^[^:：]*[:：]\s*/, ''));
  assert.ok(expected > 0);
  await page.fill('[data-testid=ex-count]', String(expected + 1));
  assert.equal(await check(page), 'failed');
  await page.fill('[data-testid=ex-count]', String(expected));
  assert.equal(await check(page), 'solved');
  await context.close();

  // 5. Hidden by k: the centre fails; the teacher's position solves it within the limit.
  ({ page, context } = await openExercise(5));
  assert.equal(await check(page), 'failed');
  await page.click('[data-testid=ex-restart]');
  const spot = parsePosition(answers[5]);
  await dragMarkerTo(page, spot, 3);
  assert.equal(await check(page), 'solved');
  await context.close();
});

test('an exercise prints as a worksheet (PDF from headless Chromium)', async () => {
  const { page, context } = await openExercise(1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.header'), false, 'no navigation on paper');
  assert.equal(await page.isVisible('[data-testid=ex-goal]'), true);
  assert.equal(await page.isVisible('.worksheet-lines'), true, 'lines to write the answer on');
  await page.screenshot({ path: path.join(shots, 'worksheet-print.png'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  const head = pdf.subarray(0, 5).toString('latin1');
  assert.equal(head, '%PDF-');
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
  assert.ok(pages >= 1 && pages <= 3, `${pages} pages`);
  fs.writeFileSync(path.join(shots, 'worksheet.pdf'), pdf);
  await context.close();
});

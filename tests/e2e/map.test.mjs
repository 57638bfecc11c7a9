// End-to-end specs for the map's drawing: labels placed clear of the marker, of each other and of
// the controls over the map, at the default view, every story step, three zooms and on a phone;
// screenshots of the three zooms for review.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, shots } from './harness.mjs';

const env = setup();

const overlap = (a, b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/**
 * What the map drew, read from the page: the labels' boxes (as the page reports them), the
 * marker's box found in the canvas's own pixels (its exact blue), and the boxes of the controls
 * laid over the map (from the DOM), all in canvas pixels.
 */
async function drawn(page) {
  // Let the answers and the frame after them land.
  await page.waitForTimeout(250);
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas.map');
    const box = canvas.getBoundingClientRect();
    const ratio = canvas.width / box.width;
    const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (let y = 0; y < height; y += 1) {
      for (let x = 0; x < width; x += 1) {
        const i = (y * width + x) * 4;
        if (data[i] === 29 && data[i + 1] === 78 && data[i + 2] === 216 && data[i + 3] === 255) {
          x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
        }
      }
    }
    const marker = x1 >= x0 ? { x: x0 / ratio, y: y0 / ratio, w: (x1 - x0 + 1) / ratio, h: (y1 - y0 + 1) / ratio } : null;
    const controls = [...document.querySelectorAll('.map-wrap .map-buttons, .map-wrap .map-key')]
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom)
      .map((r) => ({ x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height }));
    return { labels: JSON.parse(canvas.dataset.labels ?? '[]'), marker, controls, size: { w: box.width, h: box.height } };
  });
}

/** The checks every view must pass; returns the labels for view-specific checks. */
function checkLabels(name, d) {
  assert.ok(d.marker, `${name}: the marker is drawn`);
  assert.ok(d.marker.w >= 12 && d.marker.w <= 24, `${name}: the marker found in the pixels is ${d.marker.w}px wide`);
  assert.ok(d.labels.length >= 1, `${name}: some label is drawn`);
  for (const [i, a] of d.labels.entries()) {
    assert.ok(!overlap(a, d.marker), `${name}: "${a.text}" is clear of the marker`);
    for (const c of d.controls) assert.ok(!overlap(a, c), `${name}: "${a.text}" is clear of the controls`);
    assert.ok(a.x >= 0 && a.y >= 0 && a.x + a.w <= d.size.w && a.y + a.h <= d.size.h, `${name}: "${a.text}" is on the map`);
    for (const b of d.labels.slice(i + 1)) assert.ok(!overlap(a, b), `${name}: "${a.text}" and "${b.text}" do not overlap`);
  }
  return d.labels;
}

test('labels never cover the marker, each other or the controls: default view, every story step', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=7');
  checkLabels('default view', await drawn(page));
  await page.goto(`${env.server.url}?step=1`);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  const total = Number(await page.getAttribute('[data-testid=story]', 'data-steps'));
  for (let n = 1; n <= total; n += 1) {
    if (n > 1) {
      await page.click('[data-testid=story-next]');
      await page.waitForFunction((m) => document.querySelector('[data-testid=story]')?.dataset.step === String(m), n);
      await page.waitForSelector('canvas.map[data-drawn="city"]');
    }
    const labels = checkLabels(`story step ${n}`, await drawn(page));
    if (n === 1) {
      // The step's position is in the central district: its name is shown, beside the marker.
      assert.ok(labels.some((l) => l.kind === 'district'), 'step 1 names its district');
    }
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('three zooms: district names far out, arterials, then every street; on a phone too', async () => {
  fs.mkdirSync(shots, { recursive: true });
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=7');
  const zoomTo = async (mpp) => {
    for (let i = 0; i < 20; i += 1) {
      const now = Number(await page.getAttribute('canvas.map', 'data-metres-per-px'));
      if (Math.abs(Math.log(now / mpp)) < 0.3) return now;
      await page.click(now > mpp ? '.map-buttons button:nth-child(1)' : '.map-buttons button:nth-child(2)');
      await page.waitForFunction((old) => document.querySelector('canvas.map').dataset.metresPerPx !== old, String(now.toFixed(4)));
    }
    throw new Error(`could not zoom to ${mpp} m/px`);
  };
  const kinds = {};
  for (const [name, mpp] of [['city', 45], ['district', 6], ['street', 1.8]]) {
    await zoomTo(mpp);
    // The key open at city scale (the labels make room for it), folded closer in.
    await page.evaluate((open) => { document.querySelector('[data-testid=map-key]').open = open; }, name === 'city');
    const labels = checkLabels(`${name} zoom`, await drawn(page));
    kinds[name] = new Set(labels.map((l) => l.kind));
    await page.locator('.map-wrap').screenshot({ path: path.join(shots, `map-${name}.png`) });
  }
  assert.ok(kinds.city.has('district') && !kinds.city.has('street'), `city scale: district names only (${[...kinds.city]})`);
  assert.ok(kinds.district.has('street') || kinds.district.has('road'), 'district scale: arterials are named');
  assert.ok(!kinds.street.has('district') && (kinds.street.has('street') || kinds.street.has('road')), 'street scale: streets are named');
  assert.deepEqual(errors, []);
  await context.close();

  const phone = await open(env.browser, env.server.url, '?seed=7', { width: 390, height: 844 });
  checkLabels('phone', await drawn(phone.page));
  await phone.page.locator('.map-wrap').screenshot({ path: path.join(shots, 'map-phone.png') });
  await phone.context.close();
});

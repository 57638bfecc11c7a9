// Size and speed of the release build in headless Chromium, printed as one JSON object.
// Run by `cargo xtask bench` after `cargo xtask dist`. Medians over repeated runs, each beside a
// baseline measured in the same run: an empty page from the same server for load times.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, dist } from '../e2e/harness.mjs';

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };

const gz = (ext, folder = dist) => fs.readdirSync(folder).filter((f) => f.endsWith(ext))
  .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(folder, f)), { level: 9 }).length, 0);
fs.writeFileSync(path.join(dist, 'perf-empty.html'), '<!DOCTYPE html><title>empty</title><p>empty</p>');

const server = await serve();
const browser = await launch();
const result = { wasm_gzip_bytes: gz('.wasm'), js_gzip_bytes: gz('.js'), css_gzip_bytes: gz('.css') };
result.wasm_js_gzip_kb = (result.wasm_gzip_bytes + result.js_gzip_bytes) / 1000;
// The city-generating worker's module and scripts, fetched when the first city is generated.
result.worker_gzip_kb = (gz('.wasm', path.join(dist, 'worker')) + gz('.js', path.join(dist, 'worker'))) / 1000;

try {
  const loads = [];
  const empties = [];
  for (let i = 0; i < 7; i += 1) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(server.url + 'perf-empty.html');
    empties.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    await page.goto(server.url + '?seed=7&people=100000');
    await page.waitForSelector('body[data-map-drawn-ms]', { timeout: 30000 });
    loads.push(Number(await page.getAttribute('body', 'data-map-drawn-ms')));
    await ctx.close();
  }
  result.people = 100000;
  result.first_map_median_ms = median(loads);
  result.empty_page_median_ms = median(empties);

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(server.url + '?seed=7&people=100000&design=aggregate');
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  const moves = await page.evaluate(async () => {
    const canvas = document.querySelector('canvas.map');
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const seq = () => Number(document.body.dataset.answerSeq ?? 0);
    const out = [];
    for (let i = 0; i < 40; i += 1) {
      const before = seq();
      const t0 = performance.now();
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: i % 2 ? 'ArrowUp' : 'ArrowRight', shiftKey: true, bubbles: true }));
      while (seq() === before) await frame();
      await frame();
      out.push(performance.now() - t0);
    }
    return out;
  });
  result.move_to_both_answers_median_ms = median(moves);
  result.move_to_both_answers_p95_ms = pct(moves, 0.95);
  result.frame_ms_baseline = await page.evaluate(async () => {
    const f = () => new Promise((r) => requestAnimationFrame(r));
    await f(); const t = performance.now(); for (let i = 0; i < 20; i += 1) await f();
    return (performance.now() - t) / 20;
  });
  await ctx.close();

  // A full lab run: the oracle attacker on every listed person of the 100 000-person city,
  // against the deployed list and the DP count at once. The longest gap between animation frames
  // during the run shows whether the page stayed responsive.
  const labCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const lab = await labCtx.newPage();
  await lab.goto(server.url + '?seed=7&people=100000');
  await lab.waitForSelector('canvas.map[data-drawn="city"]');
  const runs = [];
  const gaps = [];
  for (let i = 0; i < 3; i += 1) {
    const r = await lab.evaluate(async () => {
      const frame = () => new Promise((res) => requestAnimationFrame(res));
      let longest = 0;
      let last = performance.now();
      let running = true;
      (async () => { while (running) { await frame(); const t = performance.now(); longest = Math.max(longest, t - last); last = t; } })();
      const t0 = performance.now();
      document.querySelector('[data-testid=lab-run]').click();
      // The click clears the previous result before the new run starts.
      while (document.querySelector('[data-testid=lab-table][data-complete=true]')) await frame();
      while (!document.querySelector('[data-testid=lab-table][data-complete=true]')) await frame();
      const elapsed = performance.now() - t0;
      running = false;
      return { elapsed, longest };
    });
    runs.push(r.elapsed);
    gaps.push(r.longest);
    await lab.waitForFunction(() => !document.querySelector('[data-testid=lab-run]').disabled);
  }
  // The whole city: 11 000 000 people, generated in the worker, from navigation to the drawn map
  // (three runs), with the page's WebAssembly memory after it.
  const whole = [];
  let bytes = 0;
  for (let i = 0; i < 3; i += 1) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(server.url + '?seed=7&people=11000000');
    await page.waitForSelector('body[data-map-drawn-ms]', { timeout: 180000 });
    whole.push(Number(await page.getAttribute('body', 'data-map-drawn-ms')));
    bytes = Number(await page.getAttribute('body', 'data-wasm-bytes'));
    await ctx.close();
  }
  result.whole_city_people = 11000000;
  result.whole_city_map_median_ms = median(whole);
  result.whole_city_wasm_bytes_per_person = bytes / 11000000;
  result.lab_targets = Number(await lab.evaluate(() => JSON.parse(document.querySelector('[data-testid=lab-json]').textContent).exposed.targets));
  result.lab_run_median_ms = median(runs);
  result.lab_longest_frame_median_ms = median(gaps);
  await labCtx.close();
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(path.join(dist, 'perf-empty.html'), { force: true });
}
console.log(JSON.stringify(result));

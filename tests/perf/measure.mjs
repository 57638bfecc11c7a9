// Size and speed of the app's release build in headless Chromium, printed as one JSON object.
// Run by `cargo xtask bench` (and `cargo xtask bench --json`, which writes docs/bench-app.json and
// the README's table) after the release build. Medians over repeated runs, each beside a baseline
// measured in the same run: an empty page from the same server for load times, one animation
// frame for moves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch, dist } from '../e2e/harness.mjs';

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const log = (m) => process.stderr.write(`measure: ${m}\n`);

const gz = (ext, folder = dist) => fs.readdirSync(folder).filter((f) => f.endsWith(ext))
  .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(folder, f)), { level: 9 }).length, 0);
fs.writeFileSync(path.join(dist, 'perf-empty.html'), '<!DOCTYPE html><title>empty</title><p>empty</p>');

const server = await serve();
const browser = await launch();
const result = {
  machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}`,
  browser: `Chromium ${browser.version()}`,
  seed: 7,
  wasm_gzip_bytes: gz('.wasm'),
  js_gzip_bytes: gz('.js'),
  css_gzip_bytes: gz('.css'),
};
result.app_gz_kb = (result.wasm_gzip_bytes + result.js_gzip_bytes) / 1000;
// The worker's module and scripts, fetched with the first city and the first lab run.
result.worker_gz_kb = (gz('.wasm', path.join(dist, 'worker')) + gz('.js', path.join(dist, 'worker'))) / 1000;

/// How long a lab run may take before it is reported unfinished.
const LAB_LIMIT_MS = 150000;

/// The populations where moves and the full lab are measured too.
const MOVED = ['100000', '11000000'];

const SUFFIX = { 100000: '100k', 1000000: '1m', 11000000: '11m' };

/// A fresh page at a URL, with its map drawn: how long after navigation, and the page's
/// WebAssembly memory.
async function firstMap(query) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(server.url + query);
  await page.waitForSelector('body[data-map-drawn-ms]', { timeout: 240000 });
  const ms = Number(await page.getAttribute('body', 'data-map-drawn-ms'));
  const bytes = Number(await page.getAttribute('body', 'data-wasm-bytes'));
  return { ctx, page, ms, bytes };
}

/// Moves the position by the keyboard `n` times; each time, the time from the key to the end of
/// the first frame that shows both answers (the frame's own rendering included: a task posted
/// from its animation-frame callback runs once the frame is drawn). Beside it, the same wait
/// after a key the map ignores, in the same page: what the browser alone takes from a key to the
/// next frame (the baseline; an app that answers at once scores about this).
async function moves(page, n) {
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  return page.evaluate(async (count) => {
    const canvas = document.querySelector('canvas.map');
    const seq = () => Number(document.body.dataset.answerSeq ?? 0);
    // Resolves after the next frame is drawn, with whether `ready()` held in its callback.
    const drawn = (ready) => new Promise((r) => requestAnimationFrame(() => {
      const ok = ready();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r(ok);
      ch.port2.postMessage(0);
    }));
    const settle = async () => { for (let k = 0; k < 3; k += 1) await drawn(() => true); };
    const out = { moves: [], idle: [] };
    for (let i = 0; i < count; i += 1) {
      await settle();
      const before = seq();
      const t0 = performance.now();
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: i % 2 ? 'ArrowUp' : 'ArrowRight', shiftKey: true, bubbles: true }));
      while (!(await drawn(() => seq() !== before))) { /* the answers are not in this frame yet */ }
      out.moves.push(performance.now() - t0);
      await settle();
      const t1 = performance.now();
      canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'q', bubbles: true }));
      await drawn(() => true);
      out.idle.push(performance.now() - t1);
    }
    return out;
  }, n);
}

/// The populations whose city is downloaded (as CSV) too.
const DOWNLOADED = ['11000000'];

/// The resident memory of every Chromium renderer process (the page, its worker and any spare
/// renderer), in bytes, read from /proc: what the page holds, its WebAssembly memory, JavaScript
/// heap and array buffers included. A Blob's bytes are not in it: the browser process keeps them
/// (in memory or on disk), as it keeps every download.
function rendererRss() {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (rss) total += Number(rss[1]) * 1024;
    } catch { /* the process ended meanwhile */ }
  }
  return total;
}

/// Downloads the shown city as CSV: the time from the click to the whole file on disk, its size,
/// and the renderers' memory just before and at its highest meanwhile (sampled every 50 ms).
async function downloadRun(page) {
  const before = rendererRss();
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, rendererRss()); }, 50);
  const t0 = performance.now();
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 900000 }), page.click('[data-testid=export-city-csv]')]);
  const file = await d.path();
  const ms = performance.now() - t0;
  clearInterval(sampler);
  const bytes = fs.statSync(file).size;
  await d.delete();
  return { ms, bytes, before, peak };
}

/// A full lab run (the oracle on every listed person, both panes and the ε sweep) from "Run" to
/// the complete table, with the longest gap between the page's frames meanwhile.
async function labRun(page, limitMs) {
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  const r = await page.evaluate(async (limit) => {
    const frame = () => new Promise((res) => requestAnimationFrame(res));
    let longest = 0;
    let last = performance.now();
    let running = true;
    (async () => { while (running) { await frame(); const t = performance.now(); longest = Math.max(longest, t - last); last = t; } })();
    const t0 = performance.now();
    document.querySelector('[data-testid=lab-run]').click();
    // The click clears the previous result before the new run starts.
    while (document.querySelector('[data-testid=lab-table][data-complete=true]')) await frame();
    let finished = true;
    while (!document.querySelector('[data-testid=lab-table][data-complete=true]')) {
      await frame();
      if (performance.now() - t0 > limit) { finished = false; break; }
    }
    const elapsed = performance.now() - t0;
    running = false;
    return { elapsed, longest, finished };
  }, limitMs);
  if (!r.finished) return { ...r, targets: null };
  const targets = Number(await page.evaluate(() => JSON.parse(document.querySelector('[data-testid=lab-json]').textContent).exposed.targets));
  await page.waitForFunction(() => !document.querySelector('[data-testid=lab-run]').disabled);
  return { ...r, targets };
}

try {
  const empties = [];
  for (let i = 0; i < 7; i += 1) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(server.url + 'perf-empty.html');
    empties.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd));
    await ctx.close();
  }
  result.empty_page_load_ms = median(empties);

  // MEASURE_PEOPLE=100000 measures one population only (for a quick look; the README needs all three).
  const only = process.env.MEASURE_PEOPLE?.split(',');
  const runs = { 100000: 7, 1000000: 5, 11000000: 3 };
  for (const [people, n] of Object.entries(runs).filter(([p]) => !only || only.includes(p))) {
    const s = SUFFIX[people];
    const times = [];
    let bytes = 0;
    for (let i = 0; i < n; i += 1) {
      const last = i === n - 1;
      const { ctx, page, ms, bytes: b } = await firstMap(`?seed=7&people=${people}${last ? '&design=aggregate' : ''}`);
      times.push(ms);
      bytes = b;
      log(`first map, ${people} people: ${ms} ms`);
      if (last && MOVED.includes(people)) {
        const { moves: m, idle } = await moves(page, 40);
        result[`move_answers_ms_${s}`] = median(m);
        result[`move_answers_p95_ms_${s}`] = pct(m, 0.95);
        result[`key_to_frame_ms_${s}`] = median(idle);
        log(`moves, ${people} people: ${median(m)} ms median (an ignored key to its frame: ${median(idle)} ms)`);
        if (!result.frame_ms) {
          result.frame_ms = await page.evaluate(async () => {
            const f = () => new Promise((r) => requestAnimationFrame(r));
            await f(); const t = performance.now(); for (let k = 0; k < 20; k += 1) await f();
            return (performance.now() - t) / 20;
          });
        }
      }
      if (last && DOWNLOADED.includes(people)) {
        const d = await downloadRun(page);
        result[`download_csv_ms_${s}`] = d.ms;
        result[`download_csv_mb_${s}`] = d.bytes / 1e6;
        result[`download_rss_before_mb_${s}`] = d.before / 1e6;
        result[`download_rss_peak_mb_${s}`] = d.peak / 1e6;
        // The target: the page's memory during the download within 1.5 x the city's, that is
        // its growth at most half the city's WebAssembly memory.
        result[`download_growth_per_city_${s}`] = (d.peak - d.before) / bytes;
        log(`download, ${people} people: ${Math.round(d.ms)} ms, ${Math.round(d.bytes / 1e6)} MB, renderers ${Math.round(d.before / 1e6)} -> ${Math.round(d.peak / 1e6)} MB`);
      }
      await ctx.close();
      // The lab on a fresh page of the default designs (the deployed list and the DP count).
      if (last && MOVED.includes(people)) {
        const fresh = await firstMap(`?seed=7&people=${people}`);
        const labs = [];
        const gaps = [];
        let targets = 0;
        for (let k = 0; k < (people === '100000' ? 3 : 1); k += 1) {
          // A run not complete after LAB_LIMIT_MS is reported as unfinished (null), with the limit.
          const r = await labRun(fresh.page, LAB_LIMIT_MS);
          log(`lab, ${people} people: ${Math.round(r.elapsed)} ms, ${r.finished ? `${r.targets} targets` : 'unfinished'}`);
          if (!r.finished) { result[`lab_unfinished_after_ms_${s}`] = LAB_LIMIT_MS; break; }
          labs.push(r.elapsed);
          gaps.push(r.longest);
          targets = r.targets;
        }
        await fresh.ctx.close();
        result[`lab_full_ms_${s}`] = labs.length ? median(labs) : null;
        result[`lab_longest_frame_ms_${s}`] = gaps.length ? median(gaps) : null;
        result[`lab_targets_${s}`] = labs.length ? targets : null;
        result[`lab_runs_${s}`] = labs.length;
      }
    }
    result[`first_map_ms_${s}`] = median(times);
    result[`first_map_runs_${s}`] = n;
    result[`wasm_bytes_per_person_${s}`] = bytes / Number(people);
  }
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(path.join(dist, 'perf-empty.html'), { force: true });
}
console.log(JSON.stringify(result));

// The private proximity test's cost in the page: one test, both sides (the creditor's request,
// the court's reply, the creditor reading it), as the privacy pane times it in headless Chromium,
// and the app's download beside it. Run by `cargo xtask bench` after the site is built; writes
// docs/bench-psi.json and prints it. Median over 15 tests (5 simulated days of 3), beside the
// same run's baseline: one animation frame of the same page.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { serve, launch, dist, root } from '../e2e/harness.mjs';

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const gz = (ext, folder = dist) => fs.readdirSync(folder).filter((f) => f.endsWith(ext))
  .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(folder, f)), { level: 9 }).length, 0);

const SEED = 7;
const PEOPLE = 100000;
const cli = ['release', 'debug'].map((p) => path.join(root, 'target', p, 'within500')).find((p) => fs.existsSync(p));
if (!cli) throw new Error('build the CLI first: cargo build --release --bin within500');
const line = execFileSync(cli, ['generate', '--seed', String(SEED), '--people', String(PEOPLE)], { encoding: 'utf8', maxBuffer: 1 << 28 })
  .split('\n').find((l) => /^\d+,\d+,[-\d.]+,[-\d.]+,1,/.test(l));
const [id, , lat, lng] = line.split(',');

const server = await serve();
const browser = await launch();
const result = { synthetic: true, seed: SEED, people: PEOPLE, app_wasm_js_gzip_kb: (gz('.wasm') + gz('.js')) / 1000 };
try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const url = `${server.url}?seed=${SEED}&people=${PEOPLE}&design=psi&debtor=${id}&lat=${lat}&lng=${lng}`;
  await page.goto(url);
  await page.evaluate(() => localStorage.clear());
  await page.goto(url);
  await page.waitForSelector('canvas.map[data-drawn="city"]', { timeout: 60000 });
  await page.waitForSelector('[data-testid=psi-ask]:not([disabled])');
  const total = [];
  const creditor = [];
  const court = [];
  for (let day = 0; day < 5; day += 1) {
    for (let i = 0; i < 3; i += 1) {
      const before = await page.getAttribute('[data-testid=psi-reply]', 'data-bytes').catch(() => null);
      await page.click('[data-testid=psi-ask]');
      await page.waitForFunction((b) => {
        const r = document.querySelector('[data-testid=psi-reply]');
        return r && r.dataset.bytes !== b && document.querySelector('[data-testid=psi-time]');
      }, before);
      const answer = await page.getAttribute('[data-testid=psi-answer]', 'data-answer');
      if (answer !== 'near') throw new Error(`test ${day * 3 + i} at the debtor's home answered ${answer}`);
      total.push(Number(await page.getAttribute('[data-testid=psi-time]', 'data-psi-us')));
      creditor.push(Number(await page.getAttribute('[data-testid=psi-time]', 'data-creditor-us')));
      court.push(Number(await page.getAttribute('[data-testid=psi-time]', 'data-court-us')));
    }
    await page.click('[data-testid=psi-next-day]');
  }
  result.psi_tests = total.length;
  result.psi_test_page_median_us = median(total);
  result.psi_creditor_page_median_us = median(creditor);
  result.psi_court_page_median_us = median(court);
  result.frame_ms_baseline = await page.evaluate(async () => {
    const f = () => new Promise((r) => requestAnimationFrame(r));
    await f(); const t = performance.now(); for (let i = 0; i < 20; i += 1) await f();
    return (performance.now() - t) / 20;
  });
  result.psi_test_per_frame = result.psi_test_page_median_us / 1000 / result.frame_ms_baseline;
  await ctx.close();
} finally {
  await browser.close();
  await server.close();
}
fs.writeFileSync(path.join(root, 'docs', 'bench-psi.json'), JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));

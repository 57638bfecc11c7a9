// The attack lab in headless Chromium: the reconstruction attacker against the DP release
// (total ε = 1) on 100 listed people of the seed-7 city of 100 000, run in the page's worker.
// Prints one JSON object: medians over 5 runs of the time from "Run" to the release's figures
// and to the whole lab (both panes and the ε sweep), beside the same run's baseline, the oracle
// attacker (40 questions a target, every listed person) timed the same way.
// Run by `cargo xtask bench` after `cargo xtask dist`.
import { serve, launch } from '../e2e/harness.mjs';

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function timed(browser, url, attacker, budget) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  await page.selectOption('[data-testid=attacker]', attacker);
  await page.fill('[data-testid=lab-budget]', String(budget));
  await page.press('[data-testid=lab-budget]', 'Enter');
  const t0 = await page.evaluate(() => performance.now());
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-private-complete=true]', { timeout: 120000 });
  const release = await page.evaluate(() => performance.now());
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 300000 });
  const all = await page.evaluate(() => performance.now());
  await ctx.close();
  return { release: release - t0, all: all - t0 };
}

const server = await serve();
const browser = await launch();
try {
  const url = `${server.url}?seed=7&people=100000&design=dp&eps=1`;
  const runs = [];
  const baselines = [];
  for (let i = 0; i < 5; i += 1) {
    runs.push(await timed(browser, url, 'reconstruct', 30000));
    baselines.push(await timed(browser, url, 'oracle', 40));
  }
  const result = {
    people: 100000,
    targets: 100,
    reconstruct_release_median_ms: median(runs.map((r) => r.release)),
    reconstruct_whole_lab_median_ms: median(runs.map((r) => r.all)),
    baseline_oracle_release_median_ms: median(baselines.map((r) => r.release)),
    baseline_oracle_whole_lab_median_ms: median(baselines.map((r) => r.all)),
  };
  result.release_vs_oracle_ratio = result.reconstruct_release_median_ms / result.baseline_oracle_release_median_ms;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
  await server.close();
}

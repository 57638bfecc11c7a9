// Runs the browser benchmark page (built into target/bench-web/ by `cargo xtask bench-web`) in
// headless Chromium, one fresh page per population so that each city's memory is its own, and
// prints one JSON object. The page is served cross-origin isolated (COOP and COEP headers), which
// gives `performance.now()` a 5 µs resolution instead of 100 µs.
//
//   node tests/perf/bench-web.mjs [--people 100000,1000000,11000000] [--queries 500] [--json]
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve, launch, root } from '../e2e/harness.mjs';

function fail(message) {
  console.error(`bench-web: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      people: { type: 'string', default: '100000,1000000,11000000' },
      queries: { type: 'string', default: '500' },
      brute: { type: 'string', default: '50' },
      reps: { type: 'string', default: '5' },
      json: { type: 'boolean', default: false },
    },
  }).values;
} catch (e) {
  fail(`${e.message} (options: --people N[,N…] --queries N --brute N --reps N --json)`);
}
const whole = (name, text, min, max) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) fail(`--${name} ${text}: expected a whole number from ${min} to ${max}`);
  return n;
};
const populations = args.people.split(',').map((p) => whole('people', p.trim(), 1000, 11000000));
const queries = whole('queries', args.queries, 10, 100000);
const brute = whole('brute', args.brute, 1, 100000);
const reps = whole('reps', args.reps, 1, 1000);

const folder = path.join(root, 'target', 'bench-web');
const server = await serve(folder, {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
});
const browser = await launch();
const results = [];
try {
  for (const people of populations) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${server.url}?people=${people}&queries=${queries}&brute=${brute}&reps=${reps}`);
    await page.waitForFunction(() => window.benchResult || window.benchError, null, { timeout: 20 * 60 * 1000, polling: 500 });
    const { result, error, isolated } = await page.evaluate(() => ({ result: window.benchResult, error: window.benchError, isolated: self.crossOriginIsolated }));
    if (error || errors.length) fail(`${people} people: ${error ?? errors.join('; ')}`);
    result.cross_origin_isolated = isolated;
    results.push(result);
    if (!args.json) console.error(`bench-web: ${people} people done`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const at1m = results.find((r) => r.people === 1000000);
const out = {
  synthetic: true,
  command: 'cargo xtask bench-web --json',
  browser: `Chromium ${browser.version()} (headless)`,
  queries,
  reps,
  machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.arch()}`,
  results,
  // Issue 13's targets, at every population: at most half the fastest JavaScript peer's median,
  // and a p99 below its p99.
  targets_vs_js_peers: results.map((r) => ({
    people: r.people,
    fastest_js_peer: r.fastest_js_peer,
    median_ratio: { want: '<= 0.5', got: r.ratio_to_fastest_js_peer, met: r.ratio_to_fastest_js_peer <= 0.5 },
    p99_ratio: { want: '< 1', got: r.p99_ratio_to_fastest_js_peer, met: r.p99_ratio_to_fastest_js_peer < 1 },
  })),
  targets_at_1m: at1m && {
    speedup_vs_h3js_turf: { want: '>= 20', got: at1m.speedup_vs_h3js_turf, met: at1m.speedup_vs_h3js_turf >= 20 },
    speedup_vs_brute: { want: '>= 200', got: at1m.speedup_vs_brute, met: at1m.speedup_vs_brute >= 200 },
    ratio_to_grid: { want: '<= 1.2', got: at1m.ratio_to_grid, met: at1m.ratio_to_grid <= 1.2 },
    build_ms: { want: '<= 1000', got: at1m.build_ms, met: at1m.build_ms <= 1000 },
  },
};
console.log(JSON.stringify(out, null, args.json ? 0 : 1));
if (results.some((r) => !r.answers_equal)) fail('the methods gave different answers: this is a bug');

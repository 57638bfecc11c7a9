// Memory across regenerations: generates a city of 1 000 000 people 20 times in one page (a new
// seed each time, typed into the seed field as a user would) and records, after each, the
// WebAssembly memory and the JavaScript heap (Chrome DevTools Protocol). Prints one JSON object.
// Run by `cargo xtask bench` against the release build in dist/.
import { serve, launch, open } from '../e2e/harness.mjs';

const PEOPLE = Number(process.env.PEOPLE ?? 1000000);
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const server = await serve();
const browser = await launch();
const { page, context } = await open(browser, server.url, `?seed=1&people=${PEOPLE}`, { width: 1280, height: 900 });
const cdp = await context.newCDPSession(page);
await cdp.send('HeapProfiler.enable');
const rounds = [];
for (let i = 1; i <= ROUNDS; i += 1) {
  if (i > 1) {
    const before = Number(await page.getAttribute('body', 'data-generated'));
    await page.fill('[data-testid=setting-seed]', String(i));
    await page.press('[data-testid=setting-seed]', 'Enter');
    await page.waitForFunction((n) => Number(document.body.dataset.generated) > n, before, { timeout: 120000 });
  }
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const wasm = Number(await page.getAttribute('body', 'data-wasm-bytes'));
  rounds.push({ round: i, wasm_bytes: wasm, js_heap_bytes: heap.usedSize, total_bytes: wasm + heap.usedSize });
}
const first = rounds[0].total_bytes;
const last = rounds[rounds.length - 1].total_bytes;
console.log(JSON.stringify({
  synthetic: true,
  people: PEOPLE,
  rounds: ROUNDS,
  first_total_bytes: first,
  last_total_bytes: last,
  last_over_first: last / first,
  max_total_bytes: Math.max(...rounds.map((r) => r.total_bytes)),
  bytes_per_person_after_last: last / PEOPLE,
  per_round: rounds,
}, null, 1));
await context.close();
await browser.close();
await server.close();

// Local helper (not a test): node tests/e2e/shot.local.mjs "<query>" name [width]
import { serve, launch, open, shots } from './harness.mjs';
import path from 'node:path';
const [q, name, width] = process.argv.slice(2);
const server = await serve();
const browser = await launch();
const { page, context, errors, requests } = await open(browser, server.url, q, { width: Number(width ?? 1280), height: 900 });
await page.waitForTimeout(Number(process.env.WAIT ?? 1500));
await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
console.log(JSON.stringify({ errors, foreign: requests.filter((r) => !r.startsWith(server.url)) }));
await context.close(); await browser.close(); await server.close();

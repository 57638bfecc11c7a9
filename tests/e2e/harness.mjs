// Shared set-up for the end-to-end specs: a static server for dist/ on 127.0.0.1 and Debian's
// Chromium driven by playwright-core. Each spec starts its own server and browser.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = path.join(root, 'dist');
export const shots = path.join(root, 'target', 'screenshots');

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json', '.txt': 'text/plain',
  '.png': 'image/png', '.svg': 'image/svg+xml',
};

/**
 * Serves a folder (dist/ unless told) on a free port of 127.0.0.1, adding `headers` to every
 * response; resolves to { url, close }.
 */
export function serve(folder = dist, headers = {}) {
  if (!fs.existsSync(path.join(folder, 'index.html'))) {
    throw new Error(folder === dist ? 'dist/index.html is missing: run `cargo xtask dist` first' : `${folder}/index.html is missing`);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(folder, decodeURIComponent(url.pathname)));
    if (!file.startsWith(folder)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404).end('not found'); return; }
      res.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

/** Launches headless Chromium with the flags this machine needs. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Records every request a page makes and every error it reports. */
export function watch(page) {
  const requests = [];
  const errors = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return { requests, errors };
}

/**
 * Opens the app at a query string and waits until the map has drawn a city. Collects console
 * errors and every request, so specs can assert that nothing left the origin.
 */
export async function open(browser, base, query = '', viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const { requests, errors } = watch(page);
  await page.goto(base + query);
  await page.waitForSelector('canvas.map[data-drawn="city"]', { timeout: 30000 });
  return { page, context, requests, errors };
}

/**
 * Registers a server for dist/ and a browser around a spec file's tests; returns an object whose
 * `server` and `browser` are set once they are up.
 */
export function setup() {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await serve();
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}

// End-to-end specs for the downloads: the city (CSV, GeoJSON), the lab's results (CSV, JSON) and
// the map (PNG), each downloaded, parsed, and checked for the synthetic mark and the settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { setup, open, root } from './harness.mjs';

const env = setup();

async function download(page, testid) {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid=${testid}]`)]);
  return { name: d.suggestedFilename(), data: fs.readFileSync(await d.path()) };
}

test('the city downloads as CSV and GeoJSON, marked synthetic with its seed and settings', async () => {
  const { page, context, requests } = await open(env.browser, env.server.url, '?seed=31&people=10000&listed=0.02');
  const csv = await download(page, 'export-city-csv');
  assert.equal(csv.name, 'within500-city-seed31.csv');
  const lines = csv.data.toString('utf8').trim().split('\n');
  assert.match(lines[0], /^# SYNTHETIC DATA .*seed=31 people=10000 listed_rate=0.02/);
  const header = lines[1].split(',');
  assert.deepEqual(header.slice(0, 5), ['id', 'household', 'lat', 'lng', 'listed']);
  const rows = lines.slice(2).map((l) => l.split(','));
  assert.equal(rows.length, 10000);
  const listed = rows.filter((r) => r[4] === '1').length;
  assert.ok(listed > 50, `${listed} listed`);
  // The same file as the command-line tool writes for the same settings, byte for byte.
  const cli = path.join(root, 'target', 'debug', 'within500');
  assert.ok(fs.existsSync(cli), `${cli} is missing: run \`cargo build --bin within500\``);
  const fromCli = execFileSync(cli, ['generate', '--seed', '31', '--people', '10000', '--listed-rate', '0.02', '--format', 'csv'], { maxBuffer: 1 << 28 });
  assert.ok(fromCli.equals(csv.data), 'the app and the CLI export the same city');

  const geo = await download(page, 'export-city-geojson');
  assert.equal(geo.name, 'within500-city-seed31.geojson');
  const fc = JSON.parse(geo.data.toString('utf8'));
  assert.equal(fc.type, 'FeatureCollection');
  assert.equal(fc.properties.synthetic, true);
  assert.deepEqual(fc.properties.generator, { seed: 31, people: 10000, listed_rate: 0.02 });
  assert.equal(fc.features.length, 10000);
  assert.equal(fc.features.filter((f) => f.properties.listed).length, listed);
  // Nothing went anywhere: downloads are made in the page.
  assert.deepEqual(requests.filter((u) => !u.startsWith(env.server.url) && !u.startsWith('blob:') && !u.startsWith('data:')), []);
  await context.close();
});

test('a large city downloads in parts with progress, can be cancelled, and is the file the CLI writes', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=12&people=250000');
  // Record every share written the progress shows; on the first part, click Cancel once.
  await page.evaluate(() => {
    window.seen = [];
    window.cancelOnce = true;
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=export-progress]');
      if (!p) return;
      const done = Number(p.dataset.done);
      if (window.seen.at(-1) !== done) window.seen.push(done);
      if (done > 0 && window.cancelOnce) { window.cancelOnce = false; document.querySelector('[data-testid=export-cancel]').click(); }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await page.click('[data-testid=export-city-csv]');
  await page.waitForFunction(() => window.seen.length > 0 && !document.querySelector('[data-testid=export-progress]'));
  const cancelled = await page.evaluate(() => window.seen);
  assert.equal(cancelled.at(-1), 0.4, `cancelled after the first of three parts: ${cancelled}`);
  assert.equal(await page.isDisabled('[data-testid=export-city-csv]'), false);
  await page.evaluate(() => { window.seen = []; });
  const csv = await download(page, 'export-city-csv');
  // Three parts of 100 000 people, the last of 50 000, each shown as it is written.
  const shown = await page.evaluate(() => window.seen);
  assert.deepEqual(shown.filter((d) => d > 0), [0.4, 0.8, 1], `progress shown: ${shown}`);
  assert.equal(downloads, 1, 'the cancelled file was never offered');
  const cli = path.join(root, 'target', 'debug', 'within500');
  const fromCli = execFileSync(cli, ['generate', '--seed', '12', '--people', '250000', '--format', 'csv'], { maxBuffer: 1 << 28 });
  assert.equal(csv.data.length, fromCli.length);
  assert.ok(fromCli.equals(csv.data), 'the parts joined are the CLI\'s file, byte for byte');
  assert.deepEqual(errors, []);
  await context.close();
});

test('leaving the explore view while a city is written stops the file, without a panic', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url, '?seed=12&people=250000');
  // On the first part written, go to the story: the downloads leave the page.
  await page.evaluate(() => {
    window.left = false;
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=export-progress]');
      if (p && Number(p.dataset.done) > 0 && !window.left) { window.left = true; document.querySelector('[data-testid=nav-story]').click(); }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await page.click('[data-testid=export-city-csv]');
  await page.waitForSelector('[data-testid=story]');
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  // Three frames after the story is up, the loop has long had its turn.
  for (let i = 0; i < 3; i += 1) await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
  assert.equal(await page.evaluate(() => window.left), true);
  assert.equal(await page.isVisible('#panic'), false, 'no panic page');
  assert.equal(downloads, 0, 'no file offered');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the map downloads as a PNG with the synthetic mark and the settings under it', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=31&people=10000');
  const png = await download(page, 'export-map-png');
  assert.equal(png.name, 'within500-map-seed31.png');
  assert.deepEqual([...png.data.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  const width = png.data.readUInt32BE(16);
  const height = png.data.readUInt32BE(20);
  const canvas = await page.$eval('canvas.map', (c) => [c.width, c.height]);
  assert.equal(width, canvas[0]);
  assert.ok(height > canvas[1], 'a band below the map carries the mark and the settings');
  await context.close();
});

test('the lab results download as CSV and JSON with the settings that reproduce them', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=31&people=10000&listed=0.02&design=aggregate');
  await page.fill('[data-testid=lab-budget]', '12');
  await page.press('[data-testid=lab-budget]', 'Enter');
  await page.click('[data-testid=lab-run]');
  await page.waitForSelector('[data-testid=lab-table][data-complete=true]', { timeout: 60000 });
  const table = await page.$$eval('[data-testid=lab-table] td[data-value]', (tds) => tds.map((td) => [td.dataset.side, td.dataset.key, td.dataset.value]));

  const csv = await download(page, 'export-lab-csv');
  assert.equal(csv.name, 'within500-lab-seed31-oracle.csv');
  const text = csv.data.toString('utf8');
  assert.match(text, /^# SYNTHETIC DATA/);
  assert.match(text, /seed=31 people=10000 listed_rate=0.02 attacker=oracle budget=12 radius_m=500/);
  const rows = Object.fromEntries(text.trim().split('\n').filter((l) => !l.startsWith('#')).slice(1).map((l) => { const [k, a, b] = l.split(','); return [k, { exposed: a, private: b }]; }));
  for (const [side, key, value] of table) assert.equal(rows[key][side], value, `${side} ${key}`);

  const json = await download(page, 'export-lab-json');
  const j = JSON.parse(json.data.toString('utf8'));
  assert.equal(j.synthetic, true);
  assert.equal(j.seed, 31);
  assert.deepEqual({ attacker: j.settings.attacker, budget: j.settings.budget, people: j.settings.people }, { attacker: 'oracle', budget: 12, people: 10000 });
  assert.match(j.settings.app_state, /design=aggregate/);
  for (const [side, key, value] of table) assert.equal(String(j[side][key]), value, `${side} ${key}`);
  await context.close();
});

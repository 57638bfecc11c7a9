// The size budget: the release build's page (its WASM and JS) and the worker, gzipped, must stay
// within tests/size-budget.json. Fails the build when either grows past its budget.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { dist, root } from './harness.mjs';

const budget = JSON.parse(fs.readFileSync(path.join(root, 'tests/size-budget.json'), 'utf8'));

/// Gzipped kilobytes of the files of `folder` ending in one of `exts`, as measure.mjs counts them.
const gzKb = (folder, exts) => fs.readdirSync(folder)
  .filter((f) => exts.some((e) => f.endsWith(e)))
  .reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(folder, f)), { level: 9 }).length, 0) / 1000;

test('the page and the worker stay within their gzipped size budgets', () => {
  const files = fs.readdirSync(dist);
  assert.ok(files.some((f) => f.endsWith('.wasm')), 'dist/ holds the page\'s WebAssembly (run `cargo xtask dist`)');
  const app = gzKb(dist, ['.wasm', '.js']);
  const worker = gzKb(path.join(dist, 'worker'), ['.wasm', '.js']);
  assert.ok(app > 50 && worker > 50, `sizes read: page ${app} KB, worker ${worker} KB`);
  assert.ok(app <= budget.app_gz_kb, `the page's WASM + JS is ${app.toFixed(1)} KB gzipped, over its budget of ${budget.app_gz_kb} KB`);
  assert.ok(worker <= budget.worker_gz_kb, `the worker is ${worker.toFixed(1)} KB gzipped, over its budget of ${budget.worker_gz_kb} KB`);
});

// End-to-end specs for languages and accessibility: switching language leaves no string of the
// other language behind; axe-core finds no serious or critical violation on any view, in either
// language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { setup, open, root } from './harness.mjs';

const env = setup();
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Every fixed piece of a language's strings, from every locale file: the text between
 * interpolations and tags, kept when it is English of at least two words or Chinese of at least
 * three characters, and when the other language does not use the same piece.
 */
function pieces(lang) {
  const dir = path.join(root, 'app/locales', lang);
  const out = [];
  const walk = (v) => {
    if (typeof v !== 'string') return Object.values(v).forEach(walk);
    for (const part of v.split(/\{\{[^}]*\}\}|<[^>]*>/)) {
      const t = part.trim();
      const chinese = (t.match(/[\u4e00-\u9fff]/g) ?? []).length;
      if (lang === 'zh' ? chinese >= 3 : chinese === 0 && t.split(/\s+/).length >= 2 && t.length >= 8) out.push(t);
    }
  };
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) walk(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
  return [...new Set(out)];
}
const enPieces = pieces('en');
const zhPieces = pieces('zh');
const en = enPieces.filter((p) => !zhPieces.includes(p));
const zh = zhPieces.filter((p) => !enPieces.includes(p));

const views = [
  ['main view', ''],
  ['story', '&step=4'],
  ['exercise', '&mode=exercise&ex=3'],
  ['teacher', '&mode=teacher'],
  ['embed', '&embed=1&step=2'],
  ['proximity test', '&design=psi&debtor=1'],
  ['presenter', '&step=2&presenter=1'],
];

async function openView(query) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(env.server.url + query);
  await page.waitForSelector('[data-testid=teacher], canvas.map[data-drawn="city"]', { timeout: 30000 });
  await page.waitForTimeout(300);
  return { page, context };
}

test('switching to Chinese changes every string, and the switch is in the URL', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('[data-testid=lang-switch] a[hreflang="zh-Hans"]');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-Hans');
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'zh');
  assert.match(await page.textContent('[data-testid=nav-story]'), /导览/);
  await context.close();

  // Most of both languages' strings are checked, not only those with spaces.
  assert.ok(zh.length > 300 && en.length > 300, `${zh.length} Chinese and ${en.length} English pieces to look for`);
  for (const [name, q] of views) {
    for (const [lang, others] of [['zh', en], ['en', zh]]) {
      const v = await openView(`?seed=7&lang=${lang}${q}`);
      const text = await v.page.evaluate(() => {
        // Visible text plus the labels screen readers read.
        const labels = [...document.querySelectorAll('[aria-label],[title]')].map((e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`);
        return `${document.body.innerText}\n${labels.join('\n')}\n${document.title}`;
      });
      const leftover = others.filter((s) => text.includes(s));
      assert.deepEqual(leftover, [], `${name} in ${lang} shows strings of the other language`);
      await v.context.close();
    }
  }
});

test('axe-core: no serious or critical violations on any view in either language', async () => {
  const report = [];
  for (const [name, q] of views) {
    for (const lang of ['en', 'zh']) {
      const v = await openView(`?seed=7&lang=${lang}${q}`);
      // Open what is folded away so that it is checked too.
      await v.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await v.page.evaluate(axeSource);
      const result = await v.page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const bad = result.violations.filter((x) => x.impact === 'serious' || x.impact === 'critical');
      for (const x of bad) report.push(`${name}/${lang}: ${x.id} (${x.impact}) ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
      await v.context.close();
    }
  }
  assert.deepEqual(report, []);
});

test('every control is reachable with Tab and shows a visible focus ring', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7');
  const seen = new Set();
  let unringed = [];
  for (let i = 0; i < 150; i += 1) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      return { id: el.dataset.testid ?? el.id ?? el.textContent.slice(0, 20), ring: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    });
    if (!info) continue;
    seen.add(info.id);
    if (!info.ring) unringed.push(info.id);
  }
  for (const id of ['nav-story', 'presenter-toggle', 'embed-this', 'fidelity', 'design', 'attacker', 'lab-run', 'export-city-csv']) {
    assert.ok(seen.has(id), `Tab reaches ${id}: ${[...seen].join(', ')}`);
  }
  unringed = unringed.filter((x) => x);
  assert.deepEqual(unringed, []);
  await context.close();
});

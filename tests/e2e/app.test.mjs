// End-to-end specs for the main view, against the release build in dist/.
// One test per user action; run by `cargo xtask test` (node --test tests/e2e/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setup, open, shots } from './harness.mjs';

const env = setup();

const names = async (page) => page.$$eval('[data-testid=exposed-list] .person-open', (els) => els.map((e) => e.textContent.trim()));
const privateText = async (page) => (await page.textContent('[data-testid=private-answer]')).trim();
const query = (page) => new URL(page.url()).searchParams;

test('the default view renders the map, both panes and the synthetic mark', async () => {
  const { page, context, errors } = await open(env.browser, env.server.url);
  assert.equal(await page.isVisible('[data-testid=synthetic-badge]'), true);
  assert.match(await page.textContent('.map-wrap'), /Synthetic data/);
  assert.ok((await names(page)).length > 0, 'the deployed pane lists people at the default position');
  assert.match(await page.textContent('[data-testid=level]'), /(BLUE|YELLOW|ORANGE|RED)/);
  assert.match(await privateText(page), /listed nearby/);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'default-view.png') });
  assert.deepEqual(errors, []);
  await context.close();
});

test('moving the position changes both answers', async () => {
  // The DP release answers from the cells the circle covers, so moving changes it (blur keeps
  // one fake position per 30-minute window wherever the asker goes, so it would not).
  const { page, context } = await open(env.browser, env.server.url, '?seed=7&design=dp');
  const before = { list: await names(page), answer: await privateText(page), lat: query(page).get('lat') };
  await page.focus('canvas.map');
  let changed = false;
  for (let i = 0; i < 12 && !changed; i += 1) {
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForFunction((lat) => new URL(location.href).searchParams.get('lng') !== lat, before.lat);
    const list = await names(page);
    const answer = await privateText(page);
    changed = JSON.stringify(list) !== JSON.stringify(before.list) && answer !== before.answer;
  }
  assert.ok(changed, 'after moving up to 2.4 km east both panes answer differently');
  // Dragging the marker with the mouse moves the position too.
  const box = await page.locator('canvas.map').boundingBox();
  const lng = query(page).get('lng');
  await page.locator('[aria-label="Centre the map on your position"]').click();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 120, box.y + box.height / 2 + 60, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction((l) => new URL(location.href).searchParams.get('lng') !== l, lng);
  assert.ok(Number(query(page).get('lng')) < Number(lng), 'dragging west lowers the longitude');
  await context.close();
});

test('the deployed pane shows names; the privacy-preserving pane never does', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7&listed=0.03');
  const shown = await names(page);
  assert.ok(shown.length >= 3);
  const words = shown.flatMap((n) => n.split(/\s+/)).filter((w) => w.length > 1);
  const first = (await page.$$eval('[data-testid=exposed-list] .person-open', (els) => els.map((e) => e.textContent)))[0];
  for (const design of ['aggregate', 'dp', 'blur', 'psi']) {
    await page.selectOption('[data-testid=design]', design);
    await page.waitForFunction((d) => new URL(location.href).searchParams.get('design') === d || d === 'dp', design);
    const pane = await page.textContent('section.private');
    for (const w of words) assert.ok(!pane.includes(w), `${design} pane shows "${w}" from ${first}`);
    assert.doesNotMatch(pane, /00\d{4}\*{8}/, `${design} pane shows an ID number`);
  }
  await context.close();
});

test('choosing a design and its parameters updates the answer and the URL', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7');
  await page.selectOption('[data-testid=design]', 'aggregate');
  await page.fill('[data-testid=param-k]', '3');
  await page.press('[data-testid=param-k]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('k') === '3');
  assert.match(await privateText(page), /fewer than 3/);
  await page.fill('[data-testid=param-k]', 'abc');
  await page.press('[data-testid=param-k]', 'Enter');
  assert.match(await page.textContent('.private .field-error'), /^k=/);
  assert.equal(query(page).get('k'), '3', 'a bad value changes nothing');
  await page.selectOption('[data-testid=design]', 'dp-session');
  await page.fill('[data-testid=param-eps]', '0.5');
  await page.press('[data-testid=param-eps]', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('eps') === '0.5' && new URL(location.href).searchParams.get('design') === 'dp-session');
  assert.match(await privateText(page), /ε spent 0\.50 of 10\.00/);
  await page.selectOption('[data-testid=fidelity]', 'distance');
  await page.waitForSelector('.person .dist');
  await context.close();
});

test('the URL round-trips through reload and the back button', async () => {
  const q = '?seed=11&people=20000&lat=38.05&lng=114.52&r=800&design=blur&blur=0.01&fidelity=pins';
  const { page, context } = await open(env.browser, env.server.url, q);
  assert.match(await page.textContent('.city-line'), /seed 11 · 20000 people/);
  assert.equal(await page.inputValue('[data-testid=setting-r]'), '800');
  assert.equal(await page.inputValue('[data-testid=design]'), 'blur');
  const listed = await names(page);
  await page.reload();
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  assert.deepEqual(await names(page), listed);
  for (const [k, v] of new URLSearchParams(q)) assert.equal(query(page).get(k), v, k);
  await page.selectOption('[data-testid=design]', 'aggregate');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('design') === 'aggregate');
  await page.goBack();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('design') === 'blur');
  assert.equal(await page.inputValue('[data-testid=design]'), 'blur');
  await context.close();
});

test('a malformed URL shows a notice naming each bad field and falls back for those only', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=5&people=lots&r=99999&design=magic&lat=12');
  const notice = await page.textContent('[data-testid=url-notice]');
  for (const field of ['people=', 'r=', 'design=', 'lat=']) assert.ok(notice.includes(field), field);
  assert.match(await page.textContent('.city-line'), /seed 5 · 100000 people/);
  assert.equal(await page.inputValue('[data-testid=setting-r]'), '500');
  await context.close();
});

test('a bad form field gets a message naming it, and the city is kept', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7');
  await page.fill('[data-testid=setting-people]', '12');
  await page.press('[data-testid=setting-people]', 'Enter');
  assert.match(await page.textContent('.controls .field-error'), /people="12".*1000 to 11000000/);
  assert.equal(query(page).get('people'), null);
  await context.close();
});

test('report and share show what would be sent and send nothing', async () => {
  const { page, context, requests } = await open(env.browser, env.server.url, '?seed=7');
  const count = requests.length;
  await page.click('[data-testid=exposed-list] .person-open >> nth=0');
  await page.click('text=Report a tip');
  const payload = JSON.parse(await page.textContent('[data-testid=payload]'));
  assert.equal(payload.action, 'report');
  assert.equal(payload.synthetic, true);
  assert.match(await page.textContent('.sent'), /Nothing was sent/);
  await page.click('text=Share');
  assert.equal(JSON.parse(await page.textContent('[data-testid=payload]')).action, 'share');
  assert.equal(requests.length, count, 'no request was made');
  await context.close();
});

test('no request leaves the origin', async () => {
  const { page, context, requests } = await open(env.browser, env.server.url, '?seed=3&design=psi&debtor=1');
  await page.focus('canvas.map');
  await page.keyboard.press('ArrowUp');
  await page.click('[aria-label="Zoom in"]');
  const origin = new URL(env.server.url).origin;
  assert.ok(requests.length >= 4);
  for (const r of requests) assert.ok(r.startsWith(origin) || r.startsWith('data:'), r);
  await context.close();
});

test('on a phone the panes become tabs', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7', { width: 320, height: 640 });
  assert.equal(await page.isVisible('section.exposed'), true);
  assert.equal(await page.isVisible('section.private'), false);
  await page.click('role=tab[name="Privacy-preserving"]');
  assert.equal(await page.isVisible('section.private'), true);
  assert.equal(await page.isVisible('section.exposed'), false);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'phone-view.png'), fullPage: true });
  await context.close();
});

test('the map zooms with the wheel, the buttons and a two-finger pinch', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=7');
  const zoom = async () => Number(await page.getAttribute('canvas.map', 'data-metres-per-px'));
  const start = await zoom();
  await page.click('[aria-label="Zoom in"]');
  await page.waitForFunction((z) => Number(document.querySelector('canvas.map').dataset.metresPerPx) < z, start);
  const afterButton = await zoom();
  const box = await page.locator('canvas.map').boundingBox();
  await page.mouse.move(box.x + 100, box.y + 100);
  await page.mouse.wheel(0, 300);
  await page.waitForFunction((z) => Number(document.querySelector('canvas.map').dataset.metresPerPx) > z, afterButton);
  const afterWheel = await zoom();
  // Two pointers moving apart zoom in, as fingers do on a phone.
  await page.evaluate(() => {
    const c = document.querySelector('canvas.map');
    const r = c.getBoundingClientRect();
    const ev = (type, id, x) => c.dispatchEvent(new PointerEvent(type, { pointerId: id, clientX: r.left + x, clientY: r.top + 50, bubbles: true, pointerType: 'touch', isPrimary: id === 1 }));
    ev('pointerdown', 1, 40);
    ev('pointerdown', 2, 80);
    ev('pointermove', 2, 160);
    ev('pointerup', 1, 40);
    ev('pointerup', 2, 160);
  });
  await page.waitForFunction((z) => Number(document.querySelector('canvas.map').dataset.metresPerPx) < z, afterWheel);
  assert.ok((await zoom()) < afterWheel / 2, 'doubling the fingers\' distance halves the metres per pixel');
  await context.close();
});

test('a panic shows a message, a reload link and the seed to report', async () => {
  const { page, context } = await open(env.browser, env.server.url, '?seed=77&people=20000');
  assert.equal(await page.isVisible('#panic'), false);
  await page.evaluate(() => { try { window.wasmBindings.within500_panic_for_tests(); } catch { /* the module aborts */ } });
  await page.waitForSelector('#panic:not([hidden])');
  const text = await page.textContent('#panic');
  assert.match(text, /Something went wrong/);
  assert.match(text, /seed 77/);
  assert.match(text, /people=20000/);
  assert.equal(await page.getAttribute('#panic', 'data-seed'), '77');
  const url = page.url();
  assert.equal(await page.getAttribute('[data-testid=panic-reload]', 'href'), url);
  await Promise.all([page.waitForEvent('load'), page.click('[data-testid=panic-reload]')]);
  await page.waitForSelector('canvas.map[data-drawn="city"]');
  assert.equal(await page.isVisible('#panic'), false, 'the reloaded page works again');
  await context.close();
});

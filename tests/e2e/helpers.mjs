// Helpers shared by the workshop specs: moving the marker to a position the way a user does, and
// reading the teacher's answers.

const EARTH = 6371008.8;
const rad = (d) => (d * Math.PI) / 180;

/** Metres east and north from one position to another (local tangent plane; fine over a few km). */
export function offsetMetres(from, to) {
  return {
    east: rad(to.lng - from.lng) * EARTH * Math.cos(rad((from.lat + to.lat) / 2)),
    north: rad(to.lat - from.lat) * EARTH,
  };
}

/** The position in the page's URL. */
export function urlPosition(page) {
  const q = new URL(page.url()).searchParams;
  return { lat: Number(q.get('lat')), lng: Number(q.get('lng')) };
}

/** Distance in metres between two positions. */
export function distance(a, b) {
  const { east, north } = offsetMetres(a, b);
  return Math.hypot(east, north);
}

/**
 * Drags the marker onto `target` with the mouse: centre the map on the marker, zoom out until the
 * target is on the canvas, drag, then zoom in and correct. Each drag is one question.
 * Returns the number of drags.
 */
export async function dragMarkerTo(page, target, within = 5) {
  const canvas = page.locator('canvas.map');
  let drags = 0;
  for (let round = 0; round < 4; round += 1) {
    const here = urlPosition(page);
    if (distance(here, target) <= within) break;
    await page.locator('.map-buttons button').nth(2).click(); // centre on the position
    const box = await canvas.boundingBox();
    const { east, north } = offsetMetres(here, target);
    // Zoom so that the target lands well inside the canvas, as close as the zoom allows.
    for (let i = 0; i < 20; i += 1) {
      const mpp = Number(await canvas.getAttribute('data-metres-per-px'));
      const dx = east / mpp;
      const dy = north / mpp;
      const inside = Math.abs(dx) < box.width * 0.4 && Math.abs(dy) < box.height * 0.4;
      const zoomable = mpp > 0.6 && Math.abs(dx) * 1.5 < box.width * 0.4 && Math.abs(dy) * 1.5 < box.height * 0.4;
      if (inside && !zoomable) break;
      await page.locator('.map-buttons button').nth(inside ? 0 : 1).click();
    }
    const mpp = Number(await canvas.getAttribute('data-metres-per-px'));
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const before = page.url();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + east / mpp, cy - north / mpp, { steps: 6 });
    await page.mouse.up();
    drags += 1;
    await page.waitForFunction((u) => location.href !== u, before);
  }
  return drags;
}

/** The teacher's answer text for exercise `n`, once computed. */
export async function teacherAnswer(page, n) {
  const sel = `[data-testid=teacher-answer-${n}]`;
  await page.waitForFunction((s) => !/computing|计算中/.test(document.querySelector(s)?.textContent ?? 'computing'), sel, { timeout: 60000 });
  return (await page.textContent(sel)).trim();
}

/** The first "lat N, lng E" pair in a text. */
export function parsePosition(text) {
  const m = text.match(/(-?\d+\.\d+) N, (-?\d+\.\d+) E/);
  if (!m) throw new Error(`no position in ${text}`);
  return { lat: Number(m[1]), lng: Number(m[2]) };
}

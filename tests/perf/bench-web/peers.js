// The JavaScript peers of the engine's index, each answering "which people live within R metres"
// for the same homes and query points, the way a careful web developer would use it:
// - kdbush.within on homes projected to metres around the city centre, then the exact
//   great-circle test on the candidates;
// - geokdbush.around on longitude and latitude, its own great-circle distance, limited to R;
// - flatbush.search on the same projected boxes, then the exact test.
// The exact test compares the central angle with R over the engine's Earth radius, so every method
// draws the same circle; the benchmark checks that every answer equals the engine's.
import KDBush from 'kdbush';
import { around } from 'geokdbush';
import Flatbush from 'flatbush';

/** H3's (and the engine's) Earth radius in metres. */
export const EARTH_RADIUS_M = 6371007.180918475;
const RAD = Math.PI / 180;

/** Equirectangular metres around a centre: within 20 km, distances are off by well under 1 %. */
export function projector(lat0, lng0) {
  const ky = RAD * EARTH_RADIUS_M;
  const kx = ky * Math.cos(lat0 * RAD);
  return { x: (lng) => (lng - lng0) * kx, y: (lat) => (lat - lat0) * ky, kx, ky };
}

/** The exact test: haversine central angle at most radius / R. */
export function within(lat1, lng1, lat2, lng2, angle) {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(a))) <= angle;
}

/** Margin of the projected search around the circle: the projection's error at 25 km, doubled. */
function margin(radiusM, proj, lat) {
  const stretch = Math.abs(Math.cos(lat * RAD) / (proj.kx / proj.ky) - 1);
  return radiusM * (1 + 2 * stretch + 0.01) + 1;
}

function push(out, first, count, h) {
  for (let m = 0; m < count[h]; m++) out.push(first[h] + m);
}

/** kdbush on projected metres, then the exact test. Returns { buildMs, query }. */
export function kdbushPeer(lat, lng, first, count, radiusM, lat0, lng0) {
  const proj = projector(lat0, lng0);
  const t = performance.now();
  const index = new KDBush(lat.length);
  for (let h = 0; h < lat.length; h++) index.add(proj.x(lng[h]), proj.y(lat[h]));
  index.finish();
  const buildMs = performance.now() - t;
  const angle = radiusM / EARTH_RADIUS_M;
  const query = (qLat, qLng, out) => {
    for (const h of index.within(proj.x(qLng), proj.y(qLat), margin(radiusM, proj, qLat))) {
      if (within(qLat, qLng, lat[h], lng[h], angle)) push(out, first, count, h);
    }
  };
  return { buildMs, query };
}

/** geokdbush.around with maxDistance R (km, over geokdbush's own 6371 km Earth radius, so that its
 * angle is the engine's). */
export function geokdbushPeer(lat, lng, first, count, radiusM) {
  const t = performance.now();
  const index = new KDBush(lat.length);
  for (let h = 0; h < lat.length; h++) index.add(lng[h], lat[h]);
  index.finish();
  const buildMs = performance.now() - t;
  const maxKm = (radiusM / EARTH_RADIUS_M) * 6371;
  const query = (qLat, qLng, out) => {
    for (const h of around(index, qLng, qLat, Infinity, maxKm)) push(out, first, count, h);
  };
  return { buildMs, query };
}

/** flatbush over points in projected metres, a box search, then the exact test. */
export function flatbushPeer(lat, lng, first, count, radiusM, lat0, lng0) {
  const proj = projector(lat0, lng0);
  const t = performance.now();
  const index = new Flatbush(lat.length);
  for (let h = 0; h < lat.length; h++) {
    const x = proj.x(lng[h]);
    const y = proj.y(lat[h]);
    index.add(x, y, x, y);
  }
  index.finish();
  const buildMs = performance.now() - t;
  const angle = radiusM / EARTH_RADIUS_M;
  const query = (qLat, qLng, out) => {
    const x = proj.x(qLng);
    const y = proj.y(qLat);
    const r = margin(radiusM, proj, qLat);
    for (const h of index.search(x - r, y - r, x + r, y + r)) {
      if (within(qLat, qLng, lat[h], lng[h], angle)) push(out, first, count, h);
    }
  };
  return { buildMs, query };
}

// The browser benchmark: the engine's H3 index (WebAssembly) against a uniform grid, brute
// force and the JavaScript peers a web developer would reach for: kdbush (with geokdbush for
// great-circle distances), flatbush, and h3-js with turf.
// Results go to `window.benchResult` (or `window.benchError`) for tests/perf/bench-web.mjs.
import init, { BenchCity } from './pkg/within500_bench_web.js';
import { kdbushPeer, geokdbushPeer, flatbushPeer } from './peers.js';

const RESOLUTION = 10; // the engine's index resolution (H3 edge about 66 m here)

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const p99 = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))]; };

function param(params, name, fallback, min, max) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`URL parameter ${name}=${raw} is not a whole number from ${min} to ${max}`);
  }
  return n;
}

// h3-js + turf: homes bucketed by H3 cell in a Map, queries walk a grid disk and test each
// candidate home with turf.distance. The angle is compared with the radius over H3's Earth
// radius (the engine's), so that both sides draw the same circle.
function buildH3js(lat, lng) {
  const cells = new Map();
  for (let h = 0; h < lat.length; h++) {
    const c = h3.latLngToCell(lat[h], lng[h], RESOLUTION);
    let list = cells.get(c);
    if (list === undefined) { list = []; cells.set(c, list); }
    list.push(h);
  }
  return cells;
}

function makeH3jsQuery(cells, lat, lng, first, count, radiusM) {
  const EARTH_RADIUS_M = 6371007.180918475;
  const angle = radiusM / EARTH_RADIUS_M;
  // Cells `k` rings out are at least 1.5·edge·k away; the smallest cells here have edges of
  // about 0.85 of H3's average at this resolution.
  const edge = h3.getHexagonEdgeLengthAvg(RESOLUTION, 'm') * 0.85;
  const k = Math.ceil((radiusM + 2 * edge) / (1.5 * edge));
  return (qLat, qLng, out) => {
    const centre = turf.point([qLng, qLat]);
    for (const c of h3.gridDisk(h3.latLngToCell(qLat, qLng, RESOLUTION), k)) {
      const list = cells.get(c);
      if (list === undefined) continue;
      for (const h of list) {
        if (turf.distance(centre, turf.point([lng[h], lat[h]]), { units: 'radians' }) <= angle) {
          for (let m = 0; m < count[h]; m++) out.push(first[h] + m);
        }
      }
    }
  };
}

async function run() {
  const params = new URLSearchParams(location.search);
  const people = param(params, 'people', 100000, 1000, 11000000);
  const queries = param(params, 'queries', 500, 10, 100000);
  const seed = param(params, 'seed', 7, 0, 4294967295);
  const bruteN = param(params, 'brute', 50, 1, 100000);
  const reps = param(params, 'reps', 5, 1, 1000);
  const radius = 500;
  const wasm = await init();
  const status = document.getElementById('status');
  const city = new BenchCity(people, seed, queries, radius);
  const memory = performance.memory ? performance.memory.usedJSHeapSize : null;
  status.textContent = `City of ${people} built in ${city.build_ms.toFixed(0)} ms; timing…`;
  const wasmBytes = wasm.memory.buffer.byteLength;

  const [cellsH3oMs, cellsOursMs, cellsFallback, cellsEqual] = city.time_cells();
  const index = city.time_index(reps);
  const listed = city.time_listed(reps);
  const gridBuildMs = city.build_grid();
  const grid = city.time_grid(reps);
  const brute = city.time_brute(Math.min(bruteN, queries));
  const agree = city.answers_agree(Math.min(bruteN, queries));

  const lat = city.home_lat(), lng = city.home_lng();
  const first = city.member_first(), count = city.member_count();
  const points = city.points();
  let t = performance.now();
  const cells = buildH3js(lat, lng);
  const h3jsBuildMs = performance.now() - t;
  const h3jsQuery = makeH3jsQuery(cells, lat, lng, first, count, radius);
  const h3js = [];
  let h3jsAgree = true;
  const out = [];
  for (let i = 0; i < queries; i++) {
    out.length = 0;
    t = performance.now();
    h3jsQuery(points[2 * i], points[2 * i + 1], out);
    h3js.push((performance.now() - t) * 1e3);
    const mine = city.answer(i);
    out.sort((a, b) => a - b);
    if (out.length !== mine.length || out.some((v, j) => v !== mine[j])) h3jsAgree = false;
  }

  // The peers, timed as the engine's index is: each query repeated `reps` times into a reused
  // buffer, microseconds per query; every answer compared with the engine's.
  const [lat0, lng0] = [38.04, 114.51];
  const peers = {
    kdbush: kdbushPeer(lat, lng, first, count, radius, lat0, lng0),
    geokdbush: geokdbushPeer(lat, lng, first, count, radius),
    flatbush: flatbushPeer(lat, lng, first, count, radius, lat0, lng0),
  };
  const peerResults = {};
  let peersAgree = true;
  for (const [name, peer] of Object.entries(peers)) {
    status.textContent = `Timing ${name}…`;
    const times = [];
    for (let i = 0; i < queries; i++) {
      t = performance.now();
      for (let r = 0; r < reps; r++) {
        out.length = 0;
        peer.query(points[2 * i], points[2 * i + 1], out);
      }
      times.push(((performance.now() - t) * 1e3) / reps);
      const mine = city.answer(i);
      out.sort((a, b) => a - b);
      if (out.length !== mine.length || out.some((v, j) => v !== mine[j])) {
        peersAgree = false;
        console.error(`${name} disagrees at query ${i}: ${out.length} people against ${mine.length}`);
      }
    }
    peerResults[name] = { buildMs: peer.buildMs, median: median(times), p99: p99(times) };
  }

  const result = {
    synthetic: true,
    people,
    households: city.households,
    seed,
    queries,
    radius_m: radius,
    build_ms: city.build_ms,
    build_phases_ms: (() => {
      const ph = city.phases();
      return Object.fromEntries(Array.from({ length: ph.length / 2 }, (_, i) => [ph[2 * i].toFixed(2), Math.round(ph[2 * i + 1])]));
    })(),
    cell_assignment: {
      homes: city.households,
      h3o_ms: cellsH3oMs,
      engine_ms: cellsOursMs,
      speedup: cellsH3oMs / cellsOursMs,
      share_given_to_h3o: cellsFallback,
      equal_to_h3o: cellsEqual === 1,
    },
    city_bytes_per_person: city.city_bytes / people,
    wasm_memory_bytes_per_person: wasmBytes / people,
    query_median_us: median(index),
    query_p99_us: p99(index),
    listed_query_median_us: median(listed),
    listed_query_p99_us: p99(listed),
    grid_build_ms: gridBuildMs,
    grid_median_us: median(grid),
    brute_queries: brute.length,
    brute_median_us: median(brute),
    kdbush_build_ms: peerResults.kdbush.buildMs,
    kdbush_median_us: peerResults.kdbush.median,
    kdbush_p99_us: peerResults.kdbush.p99,
    geokdbush_build_ms: peerResults.geokdbush.buildMs,
    geokdbush_median_us: peerResults.geokdbush.median,
    geokdbush_p99_us: peerResults.geokdbush.p99,
    flatbush_build_ms: peerResults.flatbush.buildMs,
    flatbush_median_us: peerResults.flatbush.median,
    flatbush_p99_us: peerResults.flatbush.p99,
    h3js_build_ms: h3jsBuildMs,
    h3js_turf_median_us: median(h3js),
    h3js_turf_p99_us: p99(h3js),
    js_heap_bytes: memory,
    answers_equal: agree && h3jsAgree && peersAgree && cellsEqual === 1,
  };
  // Against the fastest JavaScript peer at this population (by median query time).
  const fastest = Object.entries(peerResults).sort((a, b) => a[1].median - b[1].median)[0];
  result.fastest_js_peer = fastest[0];
  result.ratio_to_fastest_js_peer = result.query_median_us / fastest[1].median;
  result.p99_ratio_to_fastest_js_peer = result.query_p99_us / fastest[1].p99;

  result.speedup_vs_h3js_turf = result.h3js_turf_median_us / result.query_median_us;
  result.speedup_vs_brute = result.brute_median_us / result.query_median_us;
  result.ratio_to_grid = result.query_median_us / result.grid_median_us;
  window.benchResult = result;
  status.textContent = agree && h3jsAgree && peersAgree ? 'Done: every method gave the same people.' : 'Done, but the methods disagreed: this is a bug.';
  document.getElementById('result').innerHTML = Object.entries(result)
    .map(([k, v]) => `<tr><th>${k}</th><td>${typeof v === 'number' ? +v.toFixed(2) : v}</td></tr>`).join('');
}

run().catch((e) => {
  window.benchError = String(e && e.message ? e.message : e);
  document.getElementById('status').textContent = `Error: ${window.benchError}`;
});

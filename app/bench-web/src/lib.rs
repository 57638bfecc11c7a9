//! The WebAssembly side of the browser benchmark (`cargo xtask bench-web`).
//!
//! The page `tests/perf/bench-web/index.html` loads this module, builds one synthetic city, and
//! times the engine's H3 index, a plain uniform grid and brute force on the same query points,
//! each inside WebAssembly with `performance.now()`; it times `h3-js` with `turf` itself, in
//! JavaScript, on the homes and points this module hands over, and compares every answer.
//! Nothing here ships in the app.

use js_sys::{Float64Array, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use within500_engine::{
    baseline::{query_points, UniformGrid},
    cell_of,
    cells::CellAssigner,
    City, CityConfig, LatLng, INDEX_RESOLUTION,
};

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`, in the page or a worker.
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

/// Bins of the uniform grid, in metres (the native benchmark's choice, tuned for 500 m).
const GRID_BIN_M: f64 = 250.0;
/// Half the side of the grid's square, in metres (the city's radius plus a margin).
const GRID_HALF_M: f64 = 16_000.0;

/// One synthetic city with its query points, and the baselines built on demand.
#[wasm_bindgen]
pub struct BenchCity {
    city: City,
    points: Vec<LatLng>,
    radius_m: f64,
    build_ms: f64,
    /// `(share done, milliseconds)` at each progress report of the generation.
    phases: Vec<(f64, f64)>,
    grid: Option<UniformGrid>,
}

#[wasm_bindgen]
impl BenchCity {
    /// Generates and indexes a city of `people` (timed), and `queries` query points near homes.
    ///
    /// # Errors
    /// The engine's message when the population is out of range.
    #[wasm_bindgen(constructor)]
    pub fn new(people: u32, seed: u32, queries: u32, radius_m: f64) -> Result<BenchCity, JsError> {
        let start = now();
        let mut phases = Vec::new();
        let city = City::generate_with_progress(CityConfig { seed: u64::from(seed), people, listed_rate: 0.01 }, |p| {
            phases.push((p, now() - start));
        })
        .map_err(|e| JsError::new(&e.to_string()))?;
        let build_ms = now() - start;
        let points = query_points(&city, queries as usize, u64::from(seed));
        Ok(Self { city, points, radius_m, build_ms, phases, grid: None })
    }

    /// Milliseconds taken to generate the city and build its index.
    #[wasm_bindgen(getter)]
    pub fn build_ms(&self) -> f64 {
        self.build_ms
    }

    /// Milliseconds at which generation reported each share done, as `[share, ms, share, ms, …]`
    /// (fine-grained reports thinned to steps of 5 %).
    pub fn phases(&self) -> Float64Array {
        let mut v = Vec::new();
        let mut last = -1.0;
        for &(p, ms) in &self.phases {
            if p - last >= 0.05 || p >= 1.0 {
                v.extend([p, ms]);
                last = p;
            }
        }
        Float64Array::from(&v[..])
    }

    /// Bytes of the city's tables, indexes included, as the engine counts them.
    #[wasm_bindgen(getter)]
    #[allow(clippy::cast_precision_loss)] // a city's bytes are far below 2^52
    pub fn city_bytes(&self) -> f64 {
        self.city.total_bytes() as f64
    }

    /// Number of households (one home each).
    #[wasm_bindgen(getter)]
    pub fn households(&self) -> u32 {
        self.city.households().len() as u32
    }

    /// Home latitudes, one per household.
    pub fn home_lat(&self) -> Float64Array {
        Float64Array::from(self.city.household_coordinates().0)
    }

    /// Home longitudes, one per household.
    pub fn home_lng(&self) -> Float64Array {
        Float64Array::from(self.city.household_coordinates().1)
    }

    /// The first member's id of each household.
    pub fn member_first(&self) -> Uint32Array {
        let v: Vec<u32> = self.city.households().iter().map(|h| h.first).collect();
        Uint32Array::from(&v[..])
    }

    /// The number of members of each household.
    pub fn member_count(&self) -> Uint8Array {
        let v: Vec<u8> = self.city.households().iter().map(|h| h.size).collect();
        Uint8Array::from(&v[..])
    }

    /// Query points as `[lat0, lng0, lat1, lng1, …]`.
    pub fn points(&self) -> Float64Array {
        let v: Vec<f64> = self.points.iter().flat_map(|p| [p.lat, p.lng]).collect();
        Float64Array::from(&v[..])
    }

    /// Builds the uniform grid over the homes and returns the milliseconds it took.
    pub fn build_grid(&mut self) -> f64 {
        let start = now();
        let (lat, lng) = self.city.household_coordinates();
        self.grid = Some(UniformGrid::build(lat, lng, GRID_BIN_M, GRID_HALF_M));
        now() - start
    }

    /// Microseconds per query of the engine's index for everyone, each query repeated `reps`
    /// times into a reused buffer (so that a coarse clock still resolves it).
    pub fn time_index(&self, reps: u32) -> Float64Array {
        let mut out: Vec<u32> = Vec::new();
        self.time(reps, |p| {
            out.clear();
            self.city.people_within_stats(p, self.radius_m, |ids| out.extend(ids));
            out.len()
        })
    }

    /// Microseconds per query of the engine's index for listed people only.
    pub fn time_listed(&self, reps: u32) -> Float64Array {
        self.time(reps, |p| self.city.listed_count_within(p, self.radius_m) as usize)
    }

    /// Microseconds per query of the uniform grid (build it first).
    pub fn time_grid(&self, reps: u32) -> Float64Array {
        let Some(grid) = &self.grid else { return Float64Array::new_with_length(0) };
        let mut out: Vec<u32> = Vec::new();
        self.time(reps, |p| {
            out.clear();
            let test = within500_engine::RadiusTest::new(p, self.radius_m);
            grid.query(&test, self.radius_m, |h| out.extend(self.city.members(h)));
            out.len()
        })
    }

    /// Microseconds per query of brute force over every home, for the first `n` points.
    pub fn time_brute(&self, n: u32) -> Float64Array {
        let mut us = Vec::new();
        let mut out: Vec<u32> = Vec::new();
        for &p in self.points.iter().take(n as usize) {
            out.clear();
            let start = now();
            self.city.brute_force_within(p, self.radius_m, |ids| out.extend(ids));
            us.push((now() - start) * 1e3);
        }
        Float64Array::from(&us[..])
    }

    /// Cell assignment of every home, in the order generation uses (tile by tile): milliseconds
    /// with `h3o`, milliseconds with the engine's assigner, the share the assigner gave to
    /// `h3o`, and 1 if both gave the same cells (0 if not).
    pub fn time_cells(&self) -> Float64Array {
        let frame = within500_engine::LocalFrame::new(within500_engine::CITY_CENTRE);
        let (lat, lng) = self.city.household_coordinates();
        let mut homes: Vec<LatLng> = lat.iter().zip(lng).map(|(&a, &b)| LatLng::new(a, b)).collect();
        let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
        homes.sort_by_cached_key(|&p| {
            let (e, n) = frame.to_local(p);
            assigner.locality(e, n)
        });
        let start = now();
        let by_h3o: Vec<Option<u64>> = homes.iter().map(|&p| cell_of(p, INDEX_RESOLUTION)).collect();
        let h3o_ms = now() - start;
        let start = now();
        let ours: Vec<Option<u64>> = homes.iter().map(|&p| assigner.cell(p)).collect();
        let ours_ms = now() - start;
        let stats = assigner.stats();
        #[allow(clippy::cast_precision_loss)] // counts of homes, far below 2^52
        let fallback = stats.fallback as f64 / (stats.fast + stats.fallback).max(1) as f64;
        Float64Array::from(&[h3o_ms, ours_ms, fallback, f64::from(u8::from(by_h3o == ours))][..])
    }

    /// The index's answer to query `i`: ids of everyone within the radius, ascending.
    pub fn answer(&self, i: u32) -> Uint32Array {
        let p = self.points[i as usize];
        Uint32Array::from(&self.city.people_within(p, self.radius_m)[..])
    }

    /// Whether the index, the grid (if built) and brute force (first `brute` points) give the
    /// same people for every query point.
    pub fn answers_agree(&self, brute: u32) -> bool {
        self.points.iter().enumerate().all(|(i, &p)| {
            let index = self.city.people_within(p, self.radius_m);
            let grid_ok = self.grid.as_ref().is_none_or(|grid| {
                let mut g = Vec::new();
                grid.query(&within500_engine::RadiusTest::new(p, self.radius_m), self.radius_m, |h| {
                    g.extend(self.city.members(h));
                });
                g.sort_unstable();
                g == index
            });
            let brute_ok = i >= brute as usize || {
                let mut b = Vec::new();
                self.city.brute_force_within(p, self.radius_m, |ids| b.extend(ids));
                b == index
            };
            grid_ok && brute_ok
        })
    }
}

impl BenchCity {
    fn time(&self, reps: u32, mut query: impl FnMut(LatLng) -> usize) -> Float64Array {
        let reps = reps.max(1);
        let mut us = Vec::with_capacity(self.points.len());
        let mut sink = 0usize;
        for &p in &self.points {
            let start = now();
            for _ in 0..reps {
                sink = sink.wrapping_add(query(p));
            }
            us.push((now() - start) * 1e3 / f64::from(reps));
        }
        // Keep the answers observable so that no query is optimised away.
        if sink == usize::MAX {
            us.push(0.0);
        }
        Float64Array::from(&us[..])
    }
}

//! `within500 bench`: the H3 radius query timed against brute force and a uniform grid on the
//! same city and query points, answers checked equal, medians reported.

use std::time::Instant;

use serde_json::json;
use within500_engine::{
    baseline::{query_points, UniformGrid},
    City, CityConfig, RadiusTest,
};

/// Brute force is slow at large populations; it is timed on this many of the query points.
const BRUTE_QUERIES: usize = 200;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    }
}

fn micros(start: Instant) -> f64 {
    start.elapsed().as_secs_f64() * 1e6
}

pub fn run(seed: u64, people: u32, queries: u32, radius: f64, json: bool) -> Result<(), String> {
    let start = Instant::now();
    let city = City::generate(CityConfig { seed, people, listed_rate: 0.01 }).map_err(|e| e.to_string())?;
    let build_ms = micros(start) / 1e3;
    let points = query_points(&city, queries as usize, seed);
    // The grid buckets homes, one per household, like the index.
    let (lat, lng) = city.household_coordinates();

    let start = Instant::now();
    let grid = UniformGrid::build(lat, lng, 250.0, 16_000.0);
    let grid_build_ms = micros(start) / 1e3;

    // Each method runs over all its points in its own loop, so none inherits a cache the
    // previous method cooled (brute force streams the whole city through the cache).
    let mut answers: Vec<Vec<u32>> = Vec::with_capacity(points.len());
    let mut h3_us = Vec::new();
    let (mut tested, mut returned) = (0u64, 0u64);
    let mut sizes = Vec::new();
    // Every method writes into a buffer it reuses, as an app answering a moving position would.
    let mut a: Vec<u32> = Vec::new();
    for &p in &points {
        a.clear();
        let t = Instant::now();
        let stats = city.people_within_stats(p, radius, |js| a.extend(js));
        h3_us.push(micros(t));
        tested += u64::from(stats.tested);
        returned += u64::from(stats.returned);
        #[allow(clippy::cast_precision_loss)]
        sizes.push(a.len() as f64);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        answers.push(sorted);
    }
    let mut equal = true;
    let mut grid_us = Vec::new();
    let mut g: Vec<u32> = Vec::new();
    for (p, a) in points.iter().zip(&answers) {
        let test = RadiusTest::new(*p, radius);
        g.clear();
        let t = Instant::now();
        grid.query(&test, radius, |h| g.extend(city.members(h)));
        grid_us.push(micros(t));
        g.sort_unstable();
        equal &= *a == g;
    }
    let mut brute_us = Vec::new();
    let mut b: Vec<u32> = Vec::new();
    for (p, a) in points.iter().zip(&answers).take(BRUTE_QUERIES) {
        b.clear();
        let t = Instant::now();
        city.brute_force_within(*p, radius, |js| b.extend(js));
        brute_us.push(micros(t));
        equal &= *a == b;
    }
    if !equal {
        return Err("the H3 index, the grid and brute force disagreed: this is a bug, please report it".into());
    }
    let (h3, grid_m, brute) = (median(&mut h3_us), median(&mut grid_us), median(&mut brute_us));
    let mut h3_sorted = h3_us.clone();
    h3_sorted.sort_by(f64::total_cmp);
    let p99 = h3_sorted[(h3_sorted.len() * 99 / 100).min(h3_sorted.len() - 1)];
    // The private proximity test: one test, both sides (creditor's request, court's reply, the
    // creditor reading it), median of 201; beside it the plain-hash exchange of the same run.
    let psi_us = crate::proximity::psi_test_us(&city, within500_engine::CellHash::Keyed, 201).unwrap_or(f64::NAN);
    let psi_plain_us = crate::proximity::psi_test_us(&city, within500_engine::CellHash::Plain, 201).unwrap_or(f64::NAN);
    #[allow(clippy::cast_precision_loss)]
    let out = json!({
        "synthetic": true,
        "psi_test_us": psi_us,
        "psi_plain_test_us": psi_plain_us,
        "psi_test_per_query": psi_us / h3,
        "people": people,
        "seed": seed,
        "queries": queries,
        "radius_m": radius,
        "median_returned": median(&mut sizes),
        "h3_median_us": h3,
        "h3_p99_us": p99,
        "brute_median_us": brute,
        "brute_queries": brute_us.len(),
        "grid_median_us": grid_m,
        "speedup_vs_brute": brute / h3,
        "ratio_to_grid": h3 / grid_m,
        "candidates_per_result": tested as f64 / returned.max(1) as f64,
        "build_ms": build_ms,
        "grid_build_ms": grid_build_ms,
        "index_bytes_per_person": city.index_bytes() as f64 / f64::from(people),
        "total_bytes_per_person": city.total_bytes() as f64 / f64::from(people),
        "answers_equal": equal,
    });
    crate::print_result(&out, json)?;
    Ok(())
}

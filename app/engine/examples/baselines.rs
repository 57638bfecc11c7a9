//! The H3 radius query against brute force, a uniform grid, an R-tree (`rstar`) and the k-d tree of
//! `geo-index` (georust's peer of kdbush and flatbush; both dev-dependencies only), on one city and
//! one set of query points, in one run, beside a lower bound: visiting and testing only the homes in
//! the answer. Prints JSON.
//!
//! ```sh
//! cargo run --release -p within500-engine --example baselines -- 1000000
//! ```

use std::time::Instant;

use geo_index::kdtree::{KDTreeBuilder, KDTreeIndex};
use rstar::{primitives::GeomWithData, RTree, AABB};
use within500_engine::{
    baseline::{query_points, UniformGrid},
    cells::CellAssigner,
    CellIndex, City, CityConfig, LocalFrame, RadiusTest, CITY_CENTRE, INDEX_RESOLUTION,
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn p99(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[(v.len() * 99 / 100).min(v.len() - 1)]
}

/// Each query's time in microseconds and its sorted answer.
fn time_all(points: &[within500_engine::LatLng], mut f: impl FnMut(within500_engine::LatLng, &mut Vec<u32>)) -> (Vec<f64>, Vec<Vec<u32>>) {
    let mut us = Vec::new();
    let mut answers = Vec::new();
    let mut buf = Vec::new();
    for &p in points {
        buf.clear();
        let t = Instant::now();
        f(p, &mut buf);
        us.push(t.elapsed().as_secs_f64() * 1e6);
        let mut sorted = buf.clone();
        sorted.sort_unstable();
        answers.push(sorted);
    }
    (us, answers)
}

fn main() {
    let people: u32 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let radius = 500.0;
    let city = City::generate(CityConfig { seed: 7, people, listed_rate: 0.01 }).expect("valid population");
    // Every structure holds the homes, one per household, and answers with the members.
    let (lat, lng) = city.household_coordinates();
    let points = query_points(&city, 500, 7);

    let grid = UniformGrid::build(lat, lng, 250.0, 16_000.0);
    let t = Instant::now();
    let tree = RTree::bulk_load(lat.iter().zip(lng).enumerate().map(|(i, (&a, &b))| GeomWithData::new([b, a], i as u32)).collect());
    let rtree_build_ms = t.elapsed().as_secs_f64() * 1e3;
    // geo-index's k-d tree on metres around the city centre (as a web developer would use kdbush).
    let frame = LocalFrame::new(CITY_CENTRE);
    let t = Instant::now();
    let mut builder = KDTreeBuilder::<f64>::new(u32::try_from(lat.len()).expect("fewer than 2^32 homes"));
    for (&a, &b) in lat.iter().zip(lng) {
        let (e, n) = frame.to_local(within500_engine::LatLng::new(a, b));
        builder.add(e, n);
    }
    let kdtree = builder.finish();
    let kdtree_build_ms = t.elapsed().as_secs_f64() * 1e3;

    // Our index built on the same homes: each home's resolution-10 cell (the city's assigner),
    // the homes ordered by cell, the table of runs. (The city builds it so as it is generated.)
    let t = Instant::now();
    let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
    let mut by_cell: Vec<(u64, u32)> = lat
        .iter()
        .zip(lng)
        .enumerate()
        .map(|(i, (&a, &b))| (assigner.cell(within500_engine::LatLng::new(a, b)).unwrap_or_default(), i as u32))
        .collect();
    by_cell.sort_unstable();
    let cells: Vec<u64> = by_cell.iter().map(|c| c.0).collect();
    let own = CellIndex::from_sorted_cells(INDEX_RESOLUTION, &cells);
    let index_build_ms = t.elapsed().as_secs_f64() * 1e3;
    assert_eq!(own.cell_count(), city.home_index().cell_count(), "the same cells as the city's index");

    let (h3_all, reference) = time_all(&points, |p, out| {
        city.people_within_stats(p, radius, |js| out.extend(js));
    });
    let (h3, h3_p99) = (median(h3_all.clone()), p99(h3_all));
    let (grid_all, g) = time_all(&points, |p, out| grid.query(&RadiusTest::new(p, radius), radius, |h| out.extend(city.members(h))));
    let (rtree_all, r) = time_all(&points, |p, out| {
        // An envelope padded by 1 % around the circle, then the exact test.
        let f = LocalFrame::new(p);
        let (lo, hi) = (f.to_latlng(-radius * 1.01, -radius * 1.01), f.to_latlng(radius * 1.01, radius * 1.01));
        let test = RadiusTest::new(p, radius);
        for item in tree.locate_in_envelope(&AABB::from_corners([lo.lng, lo.lat], [hi.lng, hi.lat])) {
            let [x, y] = *item.geom();
            if test.contains(y, x) {
                out.extend(city.members(item.data));
            }
        }
    });
    let (kdtree_all, k) = time_all(&points, |p, out| {
        // A search radius padded by 1 % and a metre (the local frame's distortion across the city
        // is far below that), then the exact test.
        let (e, n) = frame.to_local(p);
        let test = RadiusTest::new(p, radius);
        for h in kdtree.within(e, n, radius * 1.01 + 1.0) {
            if test.contains(lat[h as usize], lng[h as usize]) {
                out.extend(city.members(h));
            }
        }
    });
    // The lower bound: only the homes in the answer, each tested and its members copied.
    let answer_homes: Vec<Vec<u32>> = points
        .iter()
        .map(|&p| {
            let test = RadiusTest::new(p, radius);
            (0..u32::try_from(lat.len()).expect("fewer than 2^32 homes"))
                .filter(|&h| test.contains(lat[h as usize], lng[h as usize]))
                .collect()
        })
        .collect();
    let mut next = 0;
    let (floor_all, f) = time_all(&points, |p, out| {
        let test = RadiusTest::new(p, radius);
        for &h in &answer_homes[next] {
            if test.contains(lat[h as usize], lng[h as usize]) {
                out.extend(city.members(h));
            }
        }
        next += 1;
    });
    let (brute_all, b) = time_all(&points[..100], |p, out| city.brute_force_within(p, radius, |js| out.extend(js)));
    let (grid_us, rtree_us, floor_us, brute_us) = (median(grid_all), median(rtree_all), median(floor_all), median(brute_all));
    let (kdtree_us, kdtree_p99) = (median(kdtree_all.clone()), p99(kdtree_all));
    #[allow(clippy::cast_precision_loss)] // answers hold far fewer than 2^52 people
    let returned = median(reference.iter().map(|a| a.len() as f64).collect());
    assert!(g == reference && r == reference && k == reference && f == reference && b[..] == reference[..100], "answers differ");
    println!(
        "{{\"people\":{people},\"homes\":{},\"queries\":{},\"returned_median\":{returned:.0},\"h3_median_us\":{h3:.2},\"h3_p99_us\":{h3_p99:.2},\"index_build_ms\":{index_build_ms:.0},\"grid_median_us\":{grid_us:.2},\"rtree_median_us\":{rtree_us:.2},\"brute_median_us\":{brute_us:.1},\"speedup_vs_brute\":{:.0},\"speedup_vs_rtree\":{:.2},\"ratio_to_grid\":{:.2},\"rtree_build_ms\":{rtree_build_ms:.0},\"geo_index_median_us\":{kdtree_us:.2},\"geo_index_p99_us\":{kdtree_p99:.2},\"geo_index_build_ms\":{kdtree_build_ms:.0},\"ratio_to_geo_index\":{:.2},\"lower_bound_median_us\":{floor_us:.2},\"ratio_to_lower_bound\":{:.2},\"answers_equal\":true}}",
        lat.len(),
        points.len(),
        brute_us / h3,
        rtree_us / h3,
        h3 / grid_us,
        h3 / kdtree_us,
        h3 / floor_us
    );
}

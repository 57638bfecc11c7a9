//! The H3 radius query against brute force.

use proptest::prelude::*;
use within500_engine::{
    baseline::UniformGrid, cell_boundary, cell_centre, cell_of, LatLng, LocalFrame, RadiusTest, CITY_CENTRE, INDEX_RESOLUTION,
};

use crate::shared_city;

fn brute(at: LatLng, r: f64) -> Vec<u32> {
    let mut out = Vec::new();
    shared_city().brute_force_within(at, r, |js| out.extend(js));
    out
}

#[test]
fn brute_force_over_homes_equals_a_scan_of_every_person() {
    // The brute-force reference tests each household's home once; a scan of every person's home
    // must give the same ids.
    let city = shared_city();
    for i in (0..city.people()).step_by(9_973) {
        let at = city.home(i);
        let test = RadiusTest::new(at, 400.0);
        let every: Vec<u32> = (0..city.people())
            .filter(|&id| {
                let h = city.home(id);
                test.contains(h.lat, h.lng)
            })
            .collect();
        assert!(every.contains(&i), "a home's own household is within 400 m");
        assert_eq!(brute(at, 400.0), every);
    }
}

fn check(at: LatLng, r: f64) {
    let city = shared_city();
    let expected = brute(at, r);
    assert_eq!(city.people_within(at, r), expected, "people within {r} m of {at:?}");
    let listed: Vec<u32> = expected.iter().copied().filter(|&id| city.is_listed(id)).collect();
    assert_eq!(city.listed_within(at, r), listed, "listed within {r} m of {at:?}");
    assert_eq!(city.listed_count_within(at, r) as usize, listed.len());
}

#[test]
fn equals_brute_force_at_homes_vertices_and_centres() {
    let city = shared_city();
    for i in (0..city.people()).step_by(1_499) {
        let home = city.home(i);
        check(home, 500.0);
        let cell = cell_of(home, INDEX_RESOLUTION).expect("valid");
        check(cell_centre(cell), 500.0);
        for v in cell_boundary(cell) {
            check(v, 180.0);
        }
    }
}

#[test]
fn radius_exactly_at_a_home_is_decided_like_brute_force() {
    let city = shared_city();
    for i in (0..city.people()).step_by(2_003) {
        let at = city.home(i);
        let other = city.home((i + 7_919) % city.people());
        let r = at.distance_m(other).clamp(50.0, 5_000.0);
        check(at, r);
        check(at, r.next_up());
        check(at, r.next_down());
    }
}

#[test]
fn queries_at_and_beyond_the_border() {
    let frame = LocalFrame::new(CITY_CENTRE);
    for (e, n, r) in [(14_900.0, 0.0, 500.0), (0.0, -15_200.0, 1_000.0), (19_000.0, 5_000.0, 5_000.0), (-30_000.0, 0.0, 5_000.0)] {
        check(frame.to_latlng(e, n), r);
    }
}

#[test]
fn uniform_grid_baseline_agrees() {
    let city = shared_city();
    let (lat, lng) = city.household_coordinates();
    let grid = UniformGrid::build(lat, lng, 250.0, 16_000.0);
    for i in (0..city.people()).step_by(3_001) {
        let at = city.home(i);
        let mut g = Vec::new();
        grid.query(&RadiusTest::new(at, 700.0), 700.0, |h| g.extend(city.members(h)));
        g.sort_unstable();
        assert_eq!(g, brute(at, 700.0));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn prop_query_equals_brute_force(e in -16_000.0..16_000.0f64, n in -16_000.0..16_000.0f64, r in 50.0..5_000.0f64) {
        let at = LocalFrame::new(CITY_CENTRE).to_latlng(e, n);
        let city = shared_city();
        prop_assert_eq!(city.people_within(at, r), brute(at, r));
    }
}

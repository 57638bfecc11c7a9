//! City generation: determinism, synthetic identities, households, listings.

use within500_engine::{City, CityConfig, ConfigError, IdNumber, Sex, MAX_PEOPLE, MIN_PEOPLE, REFERENCE_YEAR};

use crate::shared_city;

#[test]
fn same_seed_same_city_other_seed_other_city() {
    let config = CityConfig { seed: 99, people: 12_345, listed_rate: 0.02 };
    let a = City::generate(config).expect("valid");
    let b = City::generate(config).expect("valid");
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!(a.person(5_000), b.person(5_000));
    let c = City::generate(CityConfig { seed: 100, ..config }).expect("valid");
    assert_ne!(a.fingerprint(), c.fingerprint());
}

#[test]
fn population_and_listed_share() {
    let city = shared_city();
    assert_eq!(city.people(), 30_000);
    #[allow(clippy::cast_precision_loss)]
    let share = city.listings().len() as f64 / 30_000.0;
    assert!((0.025..0.035).contains(&share), "listed share {share}");
    let members: u32 = city.households().iter().map(|h| u32::from(h.size)).sum();
    assert_eq!(members, 30_000);
    assert!(city.households().iter().all(|h| (1..=6).contains(&h.size)));
}

#[test]
fn every_id_number_is_synthetic_and_consistent() {
    let city = shared_city();
    for id in (0..city.people()).step_by(7) {
        let p = city.person(id).expect("person");
        let parsed = IdNumber::parse(p.id_number.as_str()).expect("valid synthetic ID");
        let s = parsed.as_str();
        assert!(s.starts_with("00"), "{s}");
        assert_eq!(&s[6..10], format!("{:04}", p.birth.year));
        let sequence_digit = s.as_bytes()[16] - b'0';
        assert_eq!(sequence_digit % 2 == 1, p.sex == Sex::Male, "{s}");
    }
}

#[test]
fn households_share_a_home_and_listed_people_are_adults() {
    let city = shared_city();
    for h in (0..city.households().len() as u32).step_by(13) {
        let homes: Vec<_> = city.members(h).map(|id| city.home(id)).collect();
        assert!(homes.windows(2).all(|w| w[0] == w[1]));
        assert!(city.members(h).all(|id| city.household_of(id) == h));
    }
    for l in city.listings() {
        let p = city.person(l.person).expect("listed person exists");
        assert!(REFERENCE_YEAR - p.birth.year >= 18, "listed minor {p:?}");
        assert!(p.listing.is_some());
    }
}

#[test]
fn homes_lie_inside_the_city() {
    let city = shared_city();
    // Homes are placed in a 15 km disk of the local frame, which stretches distances by under
    // 0.1 % at the edge.
    for id in (0..city.people()).step_by(11) {
        assert!(within500_engine::CITY_CENTRE.distance_m(city.home(id)) < 15_015.0);
    }
}

#[test]
fn bad_configurations_are_refused_with_the_field_named() {
    let too_few = City::generate(CityConfig { seed: 1, people: MIN_PEOPLE - 1, listed_rate: 0.01 });
    assert!(matches!(too_few, Err(ConfigError::People(_))));
    let too_many = CityConfig { seed: 1, people: MAX_PEOPLE + 1, listed_rate: 0.01 };
    assert!(too_many.validate().unwrap_err().to_string().contains("population"));
    let rate = CityConfig { seed: 1, people: 5_000, listed_rate: f64::NAN };
    assert!(matches!(rate.validate(), Err(ConfigError::ListedRate(_))));
}

#[test]
fn every_home_cell_equals_h3o_and_households_are_sorted_by_cell() {
    // The fast cell assignment (engine::cells) must give h3o's cell for every home.
    for config in [CityConfig { seed: 5, people: 200_000, listed_rate: 0.01 }, CityConfig { seed: 2019, people: 30_000, listed_rate: 0.03 }]
    {
        let city = City::generate(config).expect("valid");
        let (lat, lng) = city.household_coordinates();
        let mut previous = 0u64;
        let mut households = 0usize;
        for (cell, range) in city.cell_households() {
            assert!(cell > previous, "cells ascend");
            previous = cell;
            for h in range {
                let home = within500_engine::LatLng::new(lat[h as usize], lng[h as usize]);
                assert_eq!(within500_engine::cell_of(home, within500_engine::INDEX_RESOLUTION), Some(cell), "household {h}");
                households += 1;
            }
        }
        assert_eq!(households, city.households().len());
    }
}

#[test]
fn every_populated_cell_lies_within_its_index_circumradius_bound() {
    // The index bounds every cell's circumradius from a sample; check the bound against every cell, for
    // the people index and the listed index at each of its resolutions (fewer listed people,
    // coarser cells).
    for config in [
        CityConfig { seed: 5, people: 200_000, listed_rate: 0.01 },
        CityConfig { seed: 6, people: 1_000, listed_rate: 0.01 },
        CityConfig { seed: 8, people: 300_000, listed_rate: 0.1 },
    ] {
        let city = City::generate(config).expect("valid");
        for index in [city.home_index(), city.listed_index()] {
            let bound = index.circumradius_bound_m();
            let mut cells = 0;
            for (cell, _) in index.cell_runs() {
                let circumradius = within500_engine::cell_circumradius_m(cell);
                assert!(circumradius < bound, "cell {cell:x} has circumradius {circumradius} m, over the bound {bound} m");
                cells += 1;
            }
            assert!(cells > 0);
        }
    }
}

#[test]
fn a_city_reads_back_from_its_bytes_and_damaged_bytes_are_refused() {
    let city = shared_city();
    let bytes = city.to_bytes();
    let copy = City::from_bytes(&bytes).expect("the same engine reads its own bytes");
    assert_eq!(copy.fingerprint(), city.fingerprint());
    assert_eq!(copy.people_within(city.home(17), 500.0), city.people_within(city.home(17), 500.0));
    assert_eq!(copy.person(123), city.person(123));
    // Anything else is a message, never a panic.
    assert!(City::from_bytes(&[]).unwrap_err().contains("not a city from this version"));
    assert!(City::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err().contains("damaged"));
    let mut other = bytes.clone();
    other[0] ^= 1;
    assert!(City::from_bytes(&other).is_err());
    // Bytes that still parse but no longer fit together are refused too: change single bytes
    // across the body and require a city that answers like the original, or a message.
    let step = (bytes.len() / 400).max(1);
    for i in (64..bytes.len()).step_by(step) {
        let mut damaged = bytes.clone();
        damaged[i] = damaged[i].wrapping_add(1 + (i % 200) as u8);
        if let Ok(c) = City::from_bytes(&damaged) {
            // Coordinates and other free values may change; the tables must still fit.
            let at = c.home(c.people() / 2);
            let _ = c.people_within(at, 500.0);
            let _ = c.person(c.people() - 1);
        }
    }
}

#[test]
fn a_file_written_in_parts_is_the_file_written_at_once() {
    use within500_engine::export::{self, Format, Parts};
    let city = City::generate(CityConfig { seed: 8, people: 2_000, listed_rate: 0.05 }).expect("valid");
    for format in [Format::Csv, Format::GeoJson] {
        let mut whole = Vec::new();
        export::write(&city, format, &mut whole).expect("written");
        for part in [1, 7, 999, 2_000, u32::MAX] {
            let mut parts = Parts::new(&city, format);
            let mut joined = Vec::new();
            let mut written = Vec::new();
            while !parts.is_done() {
                parts.write_next(part, &mut joined).expect("written");
                written.push(parts.people_written());
            }
            assert_eq!(joined, whole, "{format:?} in parts of {part}");
            // Progress moves on with every part and ends at the whole city.
            assert!(written.windows(2).all(|w| w[0] < w[1]), "{format:?} in parts of {part}: {written:?}");
            assert_eq!(written.last(), Some(&2_000));
            assert_eq!(written.len(), 2_000usize.div_ceil(part.min(2_000) as usize));
            // Once done, writing more adds nothing.
            parts.write_next(part, &mut joined).expect("written");
            assert_eq!(joined.len(), whole.len());
        }
    }
    // The head is the synthetic mark; GeoJSON parses.
    let mut csv = Vec::new();
    export::csv(&city, &mut csv).expect("written");
    assert!(csv.starts_with(b"# SYNTHETIC DATA"));
    let mut geo = Vec::new();
    export::geojson(&city, &mut geo).expect("written");
    let v: serde_json::Value = serde_json::from_slice(&geo).expect("GeoJSON parses");
    assert_eq!(v["features"].as_array().map(Vec::len), Some(2_000));
}

//! The designs' privacy invariants.

use std::collections::HashSet;

use proptest::prelude::*;
use within500_engine::{
    cell_of, exchange, key_seed, Aggregate, BlurredQuery, CellHash, Court, Creditor, DpCount, DpRefusal, DpRelease, Epsilon, Exposed,
    Fidelity, LocalFrame, Query, CITY_CENTRE, DEFAULT_AGGREGATE_RESOLUTION,
};

use crate::shared_city;

fn query_at(e: f64, n: f64) -> Query {
    Query { at: LocalFrame::new(CITY_CENTRE).to_latlng(e, n), radius_m: 500.0 }
}

#[test]
fn exposed_lists_exactly_the_listed_people_with_the_fidelity_asked() {
    let city = shared_city();
    for l in city.listings().iter().step_by(37) {
        let q = Query { at: city.home(l.person), radius_m: 500.0 };
        let truth = city.listed_within(q.at, 500.0);
        for &fidelity in Fidelity::ALL {
            let a = Exposed { fidelity }.answer(city, q);
            let ids: Vec<u32> = a.entries.iter().map(|e| e.person).collect();
            assert_eq!(ids, truth);
            for e in &a.entries {
                assert_eq!(e.distance_m.is_some(), fidelity != Fidelity::Reported);
                assert_eq!(e.home.is_some(), fidelity == Fidelity::Pins);
                assert!(!e.name_zh.is_empty() && e.id_number.contains('*'));
            }
        }
    }
}

#[test]
fn aggregate_never_releases_a_count_below_k() {
    let city = shared_city();
    for k in [2, 5, 10] {
        let agg = Aggregate::new(city, k, DEFAULT_AGGREGATE_RESOLUTION);
        let mut released = 0;
        for l in city.listings().iter().step_by(5) {
            let a = agg.answer(Query { at: city.home(l.person), radius_m: 500.0 });
            assert!(!a.cells.is_empty());
            for c in &a.cells {
                let truth = city.listed_homes().filter(|(_, h)| cell_of(*h, DEFAULT_AGGREGATE_RESOLUTION) == Some(c.cell)).count() as u32;
                match c.count {
                    Some(n) => {
                        assert!(n >= k, "released {n} < k = {k}");
                        assert_eq!(n, truth);
                        released += 1;
                    }
                    None => assert!(truth < k),
                }
            }
        }
        assert!(released > 0, "k = {k} released nothing at all");
    }
}

#[test]
fn dp_cache_returns_the_same_answer_for_free() {
    let city = shared_city();
    let mut dp = DpCount::new(Epsilon::from_micros(1_000_000), Epsilon::from_micros(3_000_000), 4);
    let q = query_at(100.0, 200.0);
    let first = dp.answer(city, q).expect("budget");
    let again = dp.answer(city, q).expect("cached");
    assert_eq!(first.noisy_count, again.noisy_count);
    assert!(again.cached && !first.cached);
    assert_eq!(again.spent_micros, 1_000_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prop_dp_budget_is_never_exceeded(
        eps_micros in 10_000u64..3_000_000,
        budget_micros in 10_000u64..20_000_000,
        moves in prop::collection::vec((-3_000.0..3_000.0f64, -3_000.0..3_000.0f64), 1..40),
    ) {
        let city = shared_city();
        let mut dp = DpCount::new(Epsilon::from_micros(eps_micros), Epsilon::from_micros(budget_micros), 1);
        let mut answered = HashSet::new();
        for (e, n) in moves {
            let q = query_at(e, n);
            match dp.answer(city, q) {
                Ok(a) => {
                    prop_assert!(a.spent_micros <= budget_micros);
                    prop_assert_eq!(a.spent_micros + a.left_micros, budget_micros);
                    answered.insert((q.at.lat.to_bits(), q.at.lng.to_bits()));
                }
                Err(DpRefusal::BudgetSpent { spent_micros, .. }) => {
                    prop_assert!(spent_micros + eps_micros > budget_micros);
                }
            }
            prop_assert!(dp.spent_micros() <= budget_micros);
        }
        prop_assert_eq!(dp.spent_micros(), answered.len() as u64 * eps_micros);
    }
}

/// The privacy-preserving answers, serialised, carry no field that could hold an identity.
#[test]
fn privacy_preserving_answers_carry_no_identity() {
    let city = shared_city();
    let forbidden = ["name", "id_number", "person", "lat", "lng", "home", "address", "case"];
    let l = city.listings()[3].person;
    let q = Query { at: city.home(l), radius_m: 500.0 };
    let answers = [
        serde_json::to_value(Aggregate::new(city, 2, DEFAULT_AGGREGATE_RESOLUTION).answer(q)),
        serde_json::to_value(
            DpCount::new(Epsilon::from_micros(1_000_000), Epsilon::from_micros(1_000_000), 3).answer(city, q).expect("budget"),
        ),
        serde_json::to_value(BlurredQuery::new(0.004, 3).answer(city, q, 0)),
        serde_json::to_value(DpRelease::publish(city, Epsilon::from_micros(1_000_000)).answer(q)),
        {
            let mut court = Court::new(city, CellHash::Keyed, key_seed(3));
            let case = city.listing(l).expect("listed").case_number();
            let creditor = Creditor::at(CellHash::Keyed, &case, court.issue(&case), q.at);
            let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(3);
            serde_json::to_value(exchange(&mut court, &creditor, 0, &mut rng).answer.expect("answered"))
        },
    ];
    let exposed = serde_json::to_string(&Exposed::default().answer(city, q)).expect("json");
    let person = city.person(l).expect("person");
    assert!(exposed.contains(&person.name.zh), "the deployed design does disclose names");
    for a in answers {
        let text = a.expect("json").to_string();
        for key in forbidden {
            assert!(!text.contains(&format!("\"{key}")), "{key} in {text}");
        }
        assert!(!text.contains(&person.name.zh));
    }
}

#[test]
fn every_slug_parses_back_to_its_variant_and_no_two_share_one() {
    use within500_engine::DesignKind;
    fn check<T: Copy + PartialEq + std::fmt::Debug>(all: &[T], slug: impl Fn(T) -> &'static str, parse: impl Fn(&str) -> Option<T>) {
        for (i, &a) in all.iter().enumerate() {
            assert_eq!(parse(slug(a)), Some(a), "{a:?}");
            assert!(all[i + 1..].iter().all(|&b| slug(b) != slug(a)), "{a:?} shares its slug");
        }
        assert_eq!(parse("no-such-slug"), None);
    }
    check(DesignKind::ALL, DesignKind::slug, DesignKind::from_slug);
    check(Fidelity::ALL, Fidelity::slug, Fidelity::from_slug);
    check(within500_engine::AttackerKind::ALL, within500_engine::AttackerKind::slug, within500_engine::AttackerKind::from_slug);
    check(&[CellHash::Keyed, CellHash::Plain], CellHash::slug, CellHash::from_slug);
    // The names the URLs and the command line have always used.
    assert_eq!(DesignKind::ALL.iter().map(|d| d.slug()).collect::<Vec<_>>(), ["exposed", "aggregate", "dp", "dp-session", "blur", "psi"]);
    assert_eq!(within500_engine::AttackerKind::ReleaseDiff.slug(), "release-diff");
}

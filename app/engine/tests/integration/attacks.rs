//! The attack lab: what each attacker learns from each design.

use within500_engine::{
    run_lab, Aggregate, AttackedDesign, AttackerKind, CellHash, City, CityConfig, Epsilon, Fidelity, LabConfig,
    DEFAULT_AGGREGATE_RESOLUTION,
};

use crate::shared_city;

fn config(attacker: AttackerKind, budget: u32, seed: u64) -> LabConfig {
    LabConfig { attacker, budget, radius_m: 500.0, seed, targets: 0 }
}

#[test]
fn oracle_search_locates_listed_people_on_the_deployed_list() {
    for seed in [7, 2019] {
        let city = City::generate(CityConfig { seed, people: 30_000, listed_rate: 0.01 }).expect("valid");
        let m = run_lab(&city, &config(AttackerKind::Oracle, 40, seed), &AttackedDesign::Exposed(Fidelity::Reported));
        assert!(m.located_50m >= 0.9, "seed {seed}: located within 50 m {}", m.located_50m);
        assert!(m.max_queries_per_target <= 40);
        assert_eq!(m.targets as usize, city.listings().len());
        // The error curve falls as questions accumulate.
        let curve: Vec<f64> = m.error_curve.iter().flatten().copied().collect();
        assert!(curve.first() > curve.last(), "{curve:?}");
    }
}

#[test]
fn the_dp_session_cache_makes_repeats_free() {
    let city = shared_city();
    let protected =
        AttackedDesign::DpSession { epsilon: Epsilon::from_micros(1_000_000), budget: Epsilon::from_micros(10_000_000), protected: true };
    let open =
        AttackedDesign::DpSession { epsilon: Epsilon::from_micros(1_000_000), budget: Epsilon::from_micros(10_000_000), protected: false };
    let mut c = config(AttackerKind::Averaging, 40, 3);
    c.targets = 50;
    let a = run_lab(city, &c, &protected);
    let b = run_lab(city, &c, &open);
    // The averaging attacker asks each position three times: with the cache on, repeats cost nothing.
    assert!(b.epsilon_spent > a.epsilon_spent * 2.0, "without the cache the attacker spends {} vs {}", b.epsilon_spent, a.epsilon_spent);
}

#[test]
fn trilateration_needs_distances() {
    let city = shared_city();
    let with = run_lab(city, &config(AttackerKind::Trilateration, 40, 2), &AttackedDesign::Exposed(Fidelity::Distance));
    assert!(with.located_50m > 0.95, "{}", with.located_50m);
    let without = run_lab(city, &config(AttackerKind::Trilateration, 40, 2), &AttackedDesign::Exposed(Fidelity::Reported));
    assert_eq!(without.median_error_m, None);
    assert_eq!(without.located_200m, 0.0);
}

#[test]
fn walking_and_linking_expose_people_and_households_only_on_the_deployed_map() {
    let city = shared_city();
    let walker = run_lab(city, &config(AttackerKind::Walker, 300, 4), &AttackedDesign::Exposed(Fidelity::Reported));
    assert!(walker.reidentified_share > 0.1, "{}", walker.reidentified_share);
    let linkage = run_lab(city, &config(AttackerKind::Linkage, 300, 4), &AttackedDesign::Exposed(Fidelity::Reported));
    assert!(linkage.households_exposed > 0);
    assert!(linkage.located_200m > 0.0);
    let agg = AttackedDesign::Aggregate(Aggregate::new(city, 5, DEFAULT_AGGREGATE_RESOLUTION));
    let counts_only = run_lab(city, &config(AttackerKind::Linkage, 300, 4), &agg);
    assert_eq!(counts_only.reidentified_share, 0.0);
    assert_eq!(counts_only.households_exposed, 0);
    assert_eq!(counts_only.median_error_m, None);
}

#[test]
fn lab_runs_are_reproducible() {
    let city = shared_city();
    let t = AttackedDesign::Blur { epsilon_per_m: 0.004, protected: true };
    assert_eq!(run_lab(city, &config(AttackerKind::Oracle, 20, 9), &t), run_lab(city, &config(AttackerKind::Oracle, 20, 9), &t));
}

/// The lab panel's duel (both panes, then the sweep) gives each side exactly what the command
/// line's `run_lab` gives for the same design, and its sweep carries the reference lines of
/// its own runs; the report survives the trip through JSON to the page.
#[test]
fn the_duel_gives_what_run_lab_gives_and_reads_back_from_json() {
    use within500_engine::{private_target, AppState, DesignKind, Duel, DuelReport};
    let city = shared_city();
    let state = AppState { design: DesignKind::DpRelease, ..AppState::default() };
    let mut c = config(AttackerKind::Oracle, 40, 5);
    c.targets = 40;
    let mut duel = Duel::new(city, &state, c, true);
    let mut steps = 0;
    while !duel.done() {
        duel.step(city, 7);
        steps += 1;
        let p = duel.report(city).progress;
        assert!((0.0..=1.0).contains(&p), "progress {p}");
    }
    assert!(steps > 2, "the duel runs in slices ({steps} steps)");
    let report = duel.report(city);
    assert!(report.complete);
    let exposed = run_lab(city, &c, &AttackedDesign::Exposed(state.fidelity));
    let private = run_lab(city, &c, &private_target(city, &state, true).expect("dp has a target"));
    assert!(report.exposed.clone().expect("ran").expect("applies") == exposed, "the deployed side differs from run_lab");
    assert!(report.private.clone().expect("ran").expect("applies") == private, "the design's side differs from run_lab");
    assert_eq!(report.tradeoff.len(), 6, "one point per ε");
    let eps: Vec<Option<f64>> = report.tradeoff.iter().map(|p| p.epsilon_per_person).collect();
    assert_eq!(eps, [0.1, 0.3, 1.0, 3.0, 10.0, 100.0].map(Some), "the release states each point's ε");
    // The user's count gets better as ε grows (less noise), from the same run's releases.
    let first = report.tradeoff[0].count_error.expect("counts");
    let last = report.tradeoff[5].count_error.expect("counts");
    assert!(last < first / 3.0, "count error {first} at ε = 0.1, {last} at ε = 100");
    let json = serde_json::to_string(&report).expect("serialises");
    let back: DuelReport = serde_json::from_str(&json).expect("reads back");
    assert!(back == report, "the report changes through JSON");
    // The proximity test: its attackers apply on the private side only, in one step.
    let psi = AppState { design: DesignKind::PrivateProximity, ..AppState::default() };
    let mut d = Duel::new(city, &psi, config(AttackerKind::Spoof, 9, 5), true);
    assert!(!d.done() && d.report(city).private.is_none(), "nothing has run yet");
    d.step(city, 1);
    assert!(d.done(), "the proximity attack runs in one step");
    let r = d.report(city);
    assert!(r.exposed.expect("known").is_err(), "the deployed map has no proximity test");
    let m = r.private.expect("ran").expect("applies");
    assert_eq!(
        m,
        within500_engine::proximity_attack(city, &config(AttackerKind::Spoof, 9, 5), CellHash::Keyed),
        "the lab's figures are the CLI's"
    );
    assert!(m.cell_pinned_share.is_some());
}

/// Differencing the aggregate table with the same table at two coarser resolutions: a smaller k
/// hides less, so more hidden counts are revealed; the attacker applies to the aggregate only.
#[test]
fn release_diff_reveals_more_of_what_a_small_k_hides() {
    let city = shared_city();
    let run = |k: u32| {
        let table = Aggregate::new(city, k, DEFAULT_AGGREGATE_RESOLUTION);
        run_lab(city, &config(AttackerKind::ReleaseDiff, 2, 4), &AttackedDesign::Aggregate(table))
            .suppressed_revealed
            .expect("release-diff measures it")
    };
    let (small, large) = (run(2), run(10));
    assert!(small > 0.0, "k = 2: differencing reveals some hidden counts");
    assert!(small >= large, "k = 2 reveals {small}, k = 10 {large}");
    assert!(AttackerKind::ReleaseDiff.applies_to(within500_engine::DesignKind::DpRelease).is_err());
}

#[test]
fn buildings_and_flats_are_identified_beside_their_reference_lines() {
    let city = shared_city();
    let mut c = config(AttackerKind::Oracle, 40, 5);
    c.targets = 60;
    // The deployed list: its partial address names the building, and the position pins it.
    let exposed = run_lab(city, &c, &AttackedDesign::Exposed(Fidelity::Reported));
    assert!(exposed.building_identified > exposed.baseline_building_identified + 0.5, "{exposed:?}");
    assert!(exposed.flat_identified > exposed.baseline_flat_identified, "the directory narrows a building to the flat");
    assert!(exposed.flat_identified <= exposed.building_identified, "a flat only in an identified building");
    // With the names hidden and counts per cell only, the building comes from the position alone:
    // no better than the ideal, which knows every listed home near the start.
    let aggregate = AttackedDesign::Aggregate(Aggregate::new(city, 5, DEFAULT_AGGREGATE_RESOLUTION));
    let hidden = run_lab(city, &c, &aggregate);
    assert!(hidden.building_identified < exposed.building_identified, "{} vs {}", hidden.building_identified, exposed.building_identified);
    assert!(hidden.ideal_building_identified >= hidden.baseline_building_identified);
    for m in [&exposed, &hidden] {
        for share in [m.building_identified, m.flat_identified, m.baseline_building_identified, m.baseline_flat_identified] {
            assert!((0.0..=1.0).contains(&share));
        }
    }
}

//! Every privacy figure against the strongest attacker the lab has, stated relative to the
//! reference lines computed in the same run (never as a fixed threshold a silent attacker passes).

use std::sync::OnceLock;

use within500_engine::{
    run_lab, AttackedDesign, AttackerKind, City, CityConfig, DesignKind, DpCount, DpRelease, Epsilon, LabConfig, Metrics, Query,
};

/// The app's default city: seed 7, 100 000 people, 1 % listed.
fn city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| City::generate(CityConfig { seed: 7, people: 100_000, listed_rate: 0.01 }).expect("valid"))
}

fn attack(attacker: AttackerKind, target: &AttackedDesign, targets: u32) -> Metrics {
    let config = LabConfig { attacker, budget: attacker.default_budget(), radius_m: 500.0, seed: 7, targets };
    run_lab(city(), &config, target)
}

fn eps(v: f64) -> Epsilon {
    Epsilon::from_f64(v).expect("in range")
}

/// The attackers that apply to a design, as the lab's one table says.
fn applicable(design: DesignKind) -> Vec<AttackerKind> {
    AttackerKind::ALL.iter().copied().filter(|a| a.applies_to(design).is_ok() && a.budget_per_target()).collect()
}

#[test]
fn reconstruction_defeats_a_budget_per_session() {
    let target = AttackedDesign::DpSession { epsilon: eps(1.0), budget: eps(10.0), protected: true };
    // 60 targets: at 30 the share rebuilt swings by about 10 points with the targets drawn.
    let m = attack(AttackerKind::Reconstruct, &target, 60);
    eprintln!("{m:?}");
    assert!(m.homes_recovered_50m >= 0.75, "rebuilt within 50 m: {}", m.homes_recovered_50m);
    // Against the no-question line of the same run, and with the budget of ten per session
    // spent many times over.
    assert!(m.homes_recovered_50m > 0.0 && m.located_50m > m.baseline_located_50m);
    assert!(m.sessions_used > u64::from(m.targets) * 10, "sessions used: {}", m.sessions_used);
    assert!(m.epsilon_per_person.is_some_and(|e| e > 10.0), "ε per person {:?}", m.epsilon_per_person);
}

#[test]
fn the_release_holds_against_every_attacker_and_tracks_its_noiseless_self() {
    let targets = 100;
    let default = AttackedDesign::DpRelease(DpRelease::publish(city(), eps(1.0)));
    let strongest = |t: &AttackedDesign, targets: u32| {
        applicable(DesignKind::DpRelease)
            .into_iter()
            .map(|a| attack(a, t, targets))
            .max_by(|a, b| a.located_50m.total_cmp(&b.located_50m))
            .expect("some attacker applies")
    };
    // 400 targets: the best of six attackers against its baseline, where both are near a tenth,
    // needs them (at 100, one attacker's luck alone moves it by 5 points: the Bayesian attacker
    // located 15 % of 100 targets against a baseline of 9 %, and 9.8 % of 400 against 9.2 %).
    let m = strongest(&default, 400);
    eprintln!("default: {} {} vs baseline {}", m.attacker.slug(), m.located_50m, m.baseline_located_50m);
    assert!(
        m.located_50m <= m.baseline_located_50m + 0.05,
        "{} located {} vs baseline {}",
        m.attacker.slug(),
        m.located_50m,
        m.baseline_located_50m
    );
    assert_eq!(m.epsilon_per_person, Some(1.0));

    let high = strongest(&AttackedDesign::DpRelease(DpRelease::publish(city(), eps(100.0))), targets);
    let exact = strongest(&AttackedDesign::DpRelease(DpRelease::noiseless(city())), targets);
    eprintln!("ε=100: {} noiseless: {}", high.located_50m, exact.located_50m);
    assert!((high.located_50m - exact.located_50m).abs() <= 0.10);
    let rebuilt = |t: &AttackedDesign| attack(AttackerKind::Reconstruct, t, targets).homes_recovered_50m;
    let exact_rebuilt = rebuilt(&AttackedDesign::DpRelease(DpRelease::noiseless(city())));
    assert!((rebuilt(&AttackedDesign::DpRelease(DpRelease::publish(city(), eps(100.0)))) - exact_rebuilt).abs() <= 0.10);
}

#[test]
fn attacker_success_does_not_fall_as_epsilon_rises() {
    // Tolerance: two points of homes rebuilt, four of targets located (100 targets: about two
    // standard errors of the difference near the bottom, where located shares are a few in 100).
    let mut last: Option<(f64, f64)> = None;
    for e in [0.1, 0.3, 1.0, 3.0, 10.0, 100.0] {
        let t = AttackedDesign::DpRelease(DpRelease::publish(city(), eps(e)));
        let m = attack(AttackerKind::Reconstruct, &t, 100);
        let b = attack(AttackerKind::Bayes, &t, 100);
        let now = (m.homes_recovered_50m, m.located_50m.max(b.located_50m));
        eprintln!("ε {e}: rebuilt {:.3} located {:.3}", now.0, now.1);
        if let Some(prev) = last {
            assert!(now.0 >= prev.0 - 0.02, "ε {e}: rebuilt {} after {}", now.0, prev.0);
            assert!(now.1 >= prev.1 - 0.04, "ε {e}: located {} after {}", now.1, prev.1);
        }
        last = Some(now);
    }
}

#[test]
fn the_release_answers_the_same_in_every_session_and_process() {
    let q = Query { at: city().home(city().listings()[10].person), radius_m: 500.0 };
    // A second publication stands for another process or session: the same release.
    let a = DpRelease::publish(city(), eps(1.0)).answer(q);
    let b = DpRelease::publish(city(), eps(1.0)).answer(q);
    assert_eq!(a, b);
    // A nudge changes nothing it should not: the same cells, the same counts.
    let nudged = Query { at: within500_engine::LatLng::new(q.at.lat + 1e-12, q.at.lng), ..q };
    assert_eq!(DpRelease::publish(city(), eps(1.0)).answer(nudged).cells, a.cells);
}

#[test]
fn dp_session_noise_is_fresh_in_every_session() {
    let q = Query { at: city().home(city().listings()[10].person), radius_m: 500.0 };
    let answers: Vec<i64> =
        (0..20u64).map(|secret| DpCount::new(eps(1.0), eps(10.0), secret).answer(city(), q).expect("budget").noisy_count).collect();
    let distinct: std::collections::BTreeSet<i64> = answers.iter().copied().collect();
    assert!(distinct.len() >= 3, "20 sessions gave {answers:?}");
}

#[test]
fn blurring_the_asker_protects_no_one_on_the_list_when_the_blur_is_small() {
    let wide = attack(AttackerKind::Reconstruct, &AttackedDesign::Blur { epsilon_per_m: 0.004, protected: true }, 30);
    let narrow = attack(AttackerKind::Reconstruct, &AttackedDesign::Blur { epsilon_per_m: 1.0, protected: true }, 30);
    eprintln!("wide {} narrow {}", wide.homes_recovered_50m, narrow.homes_recovered_50m);
    assert!(narrow.homes_recovered_50m >= 0.8, "{}", narrow.homes_recovered_50m);
    assert!(narrow.homes_recovered_50m > wide.homes_recovered_50m);
    // One fake position per 30-minute window: a question per window costs days.
    assert!(narrow.days_used > 1.0, "{} days", narrow.days_used);
}

/// A changed list is a new release with fresh noise: the difference of the two releases is not
/// the exact change in counts (with the old noise again, it would be).
#[test]
fn a_changed_list_gets_fresh_noise() {
    let before = City::generate(CityConfig { seed: 7, people: 20_000, listed_rate: 0.01 }).expect("valid");
    let after = City::generate(CityConfig { seed: 7, people: 20_000, listed_rate: 0.012 }).expect("valid");
    let (a, b) = (DpRelease::publish(&before, eps(1.0)), DpRelease::publish(&after, eps(1.0)));
    let (ta, tb) = (DpRelease::noiseless(&before), DpRelease::noiseless(&after));
    let query = within500_engine::Query { at: within500_engine::CITY_CENTRE, radius_m: 5_000.0 };
    let cells: Vec<u64> = a.answer(query).cells.iter().map(|c| c.cell).collect();
    assert!(cells.len() > 1_000);
    let exact = cells
        .iter()
        .filter(|&&c| {
            a.cell_count(c).zip(b.cell_count(c)).map(|(x, y)| y - x) == ta.cell_count(c).zip(tb.cell_count(c)).map(|(x, y)| y - x)
        })
        .count();
    // Two fresh draws agree about 46 % of the time at ε = 1; the old noise again, always.
    assert!(exact * 10 < cells.len() * 6, "{exact} of {} cells give away the exact change", cells.len());
}

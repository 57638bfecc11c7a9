//! `within500 stress`: random questions to every design and every attacker, with any panic caught
//! and counted. A run that panics exits with status 2 and names the first panic.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use within500_engine::{
    exchange, key_seed, noise_seed, proximity_attack, Aggregate, AttackedDesign, AttackerKind, BlurredQuery, CellHash, Court, Credential,
    Creditor, DpCount, DpRelease, Epsilon, Exposed, Fidelity, LabConfig, LabRun, LocalFrame, Query, CITY_CENTRE,
    DEFAULT_AGGREGATE_RESOLUTION,
};

use crate::CityArgs;

/// Arguments of `stress`.
#[derive(Debug, Clone, clap::Args)]
pub struct StressArgs {
    #[command(flatten)]
    city: CityArgs,
    /// Random questions to ask, spread over the five designs.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
    queries: u64,
    /// Print JSON (the only output format; accepted for scripts).
    #[arg(long)]
    json: bool,
}

/// Runs `f`, counting a panic instead of unwinding; keeps the first panic's message.
fn guarded(panics: &mut u64, first: &mut Option<String>, what: &str, f: impl FnOnce()) {
    if let Err(e) = catch_unwind(AssertUnwindSafe(f)) {
        *panics += 1;
        if first.is_none() {
            let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_owned()));
            *first = Some(format!("{what}: {}", msg.unwrap_or_else(|| "(no message)".into())));
        }
    }
}

/// Runs the stress test and prints its report.
///
/// # Errors
/// If the city cannot be generated, or if anything panicked.
#[allow(clippy::cast_precision_loss)]
pub fn run(args: &StressArgs) -> Result<(), String> {
    let city = args.city.generate()?;
    let seed = args.city.seed;
    // Panics are counted, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5752_4553_5300);
    let frame = LocalFrame::new(CITY_CENTRE);
    let aggregates: Vec<Aggregate> = [2, 5, 50].iter().map(|&k| Aggregate::new(&city, k, DEFAULT_AGGREGATE_RESOLUTION)).collect();
    let people = city.people();
    let mut courts = [Court::new(&city, CellHash::Keyed, key_seed(seed)), Court::new(&city, CellHash::Plain, key_seed(seed))];
    let mut secrets = rand_chacha::ChaCha20Rng::seed_from_u64(seed);
    let (mut panics, mut first) = (0u64, None);
    let mut by_design = [0u64; 6];
    let mut dp = DpCount::new(Epsilon::from_micros(1_000_000), Epsilon::from_micros(10_000_000), noise_seed(seed));
    let mut blur = BlurredQuery::new(0.004, noise_seed(seed));
    let release = DpRelease::publish(&city, Epsilon::from_micros(1_000_000));
    for q in 0..args.queries {
        // Positions across the whole city and a little beyond its edge; any radius the app allows.
        let r = 25_000.0 * rng.random::<f64>().sqrt();
        let a = rng.random::<f64>() * std::f64::consts::TAU;
        let query = Query { at: frame.to_latlng(r * a.cos(), r * a.sin()), radius_m: rng.random_range(50.0..=5_000.0) };
        if q % 997 == 0 {
            // New sessions now and then, with other parameters (some budgets run out).
            let eps = Epsilon::from_micros(rng.random_range(10_000..=10_000_000));
            let budget = Epsilon::from_micros(rng.random_range(10_000..=100_000_000));
            dp = DpCount::new(eps, budget, rng.random());
            blur = BlurredQuery::new(rng.random_range(0.0001..=1.0), rng.random());
        }
        let design = rng.random_range(0..6usize);
        by_design[design] += 1;
        let fidelity = Fidelity::ALL[rng.random_range(0..3usize)];
        let agg = &aggregates[rng.random_range(0..aggregates.len())];
        let debtor = rng.random_range(0..people.saturating_add(10));
        let court = &mut courts[rng.random_range(0..2usize)];
        // A listed person's case or any text, with the court's credential or a random one.
        let case = city.listing(debtor).map_or_else(|| format!("case {debtor}"), within500_engine::Listing::case_number);
        let credential = if rng.random::<bool>() { court.issue(&case) } else { Credential(rng.random()) };
        let creditor = Creditor::at(court.hash(), &case, credential, query.at);
        let day = rng.random_range(0..30u32);
        guarded(&mut panics, &mut first, "design", || match design {
            0 => drop(Exposed { fidelity }.answer(&city, query)),
            1 => drop(agg.answer(query)),
            2 => drop(dp.answer(&city, query)),
            3 => drop(blur.answer(&city, query, q)),
            4 => drop(release.answer(query)),
            _ => drop(exchange(court, &creditor, day, &mut secrets)),
        });
    }
    // Every attacker against every design it applies to, on the first 30 listed people.
    let targets: Vec<u32> = city.listings().iter().take(30).map(|l| l.person).collect();
    let designs = [
        AttackedDesign::Exposed(Fidelity::Reported),
        AttackedDesign::Exposed(Fidelity::Distance),
        AttackedDesign::Aggregate(aggregates[1].clone()),
        AttackedDesign::DpSession { epsilon: Epsilon::from_micros(1_000_000), budget: Epsilon::from_micros(10_000_000), protected: true },
        AttackedDesign::DpSession { epsilon: Epsilon::from_micros(500_000), budget: Epsilon::from_micros(2_000_000), protected: false },
        AttackedDesign::DpRelease(release.clone()),
        AttackedDesign::Blur { epsilon_per_m: 0.004, protected: true },
        AttackedDesign::Blur { epsilon_per_m: 0.01, protected: false },
    ];
    let mut attacker_runs = 0u64;
    for &attacker in AttackerKind::ALL {
        for target in designs.iter().filter(|t| attacker.applies_to(t.kind()).is_ok()) {
            for budget in [1, 7, 40] {
                attacker_runs += 1;
                let config = LabConfig { attacker, budget, radius_m: 500.0, seed, targets: 0 };
                guarded(&mut panics, &mut first, attacker.slug(), || {
                    let mut run = LabRun::on_targets(config, targets.clone());
                    run.step(&city, target, usize::MAX);
                    drop(run.metrics(target));
                });
            }
        }
    }
    for attacker in [AttackerKind::Dictionary, AttackerKind::Spoof, AttackerKind::Court] {
        for hash in [CellHash::Keyed, CellHash::Plain] {
            attacker_runs += 1;
            let config = LabConfig { attacker, budget: 9, radius_m: 500.0, seed, targets: 10 };
            guarded(&mut panics, &mut first, attacker.slug(), || drop(proximity_attack(&city, &config, hash)));
        }
    }
    let _ = std::panic::take_hook();
    let seconds = started.elapsed().as_secs_f64();
    let report = json!({
        "synthetic": true,
        "seed": seed,
        "people": people,
        "queries": args.queries,
        "queries_by_design": { "exposed": by_design[0], "aggregate": by_design[1], "dp-session": by_design[2], "blur": by_design[3], "dp": by_design[4], "psi": by_design[5] },
        "attacker_runs": attacker_runs,
        "panics": panics,
        "first_panic": first,
        "seconds": seconds,
        "queries_per_second": args.queries as f64 / seconds,
    });
    crate::print_result(&report, args.json)?;
    if panics > 0 {
        return Err(format!("{panics} panics; the first: {}", first.unwrap_or_default()));
    }
    Ok(())
}

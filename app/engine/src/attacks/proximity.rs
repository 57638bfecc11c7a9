//! Attacks on the private proximity test, each run through the real two-party exchange:
//!
//! - **spoof**: a creditor with a valid credential for their own case states chosen cells
//!   instead of their neighbourhood, seven per test, blinding each cell with its own scalar so
//!   a hit names the cell, under the court's daily limit; how many days until the debtor's cell
//!   is pinned, and how far its centre is from the home;
//! - **dictionary**: an outsider who captured every byte of the honest creditors' tests hashes
//!   every cell of the city (both as plain SHA-256 and as the protocol's points) and looks every
//!   32-byte window of the messages up;
//! - **court**: the court tries to learn where the creditor stands from what it receives, with
//!   the same tables, the raw cell ids, and its own evaluation of every cell of the city under
//!   the scalar it drew for the test.
//!
//! Each figure stands beside the no-question line of the same run: the public density map's
//! guess from the start point (spoof, dictionary), or the court's guess that the creditor stands
//! in the debtor's own cell (court).

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rustc_hash::{FxHashMap, FxHashSet};

use super::reconstruct::{prior_estimate, DensityMap, REGION_M};
use super::{
    hint, identified_shares, median, sample_targets, score, strategies::city_cells, AttackerKind, LabConfig, Metrics, TargetEstimate,
};
use crate::city::City;
use crate::designs::{
    cell_point, cell_point_token, draw_scalar, exchange, key_seed, neighbourhood, plain_token, proximity_cell, reply_tokens, windows,
    CellHash, Court, Creditor, DesignKind, ProximityError, Token, NEIGHBOURHOOD_CELLS, PROXIMITY_RESOLUTION, TESTS_PER_DAY,
};
use crate::geo::LatLng;
use crate::index::cell_centre;

/// Targets whose court attack also evaluates every cell of the city under the court's own scalar
/// (a scalar multiplication per cell of the city: the costly part, so one target only).
pub const COURT_FULL_EVALUATIONS: usize = 1;

/// What the proximity attackers add to [`Metrics`].
#[derive(Debug, Clone, Copy, Default)]
struct Extra {
    cell_pinned_share: Option<f64>,
    baseline_cell_pinned_share: Option<f64>,
    days_to_pin_median: Option<f64>,
    days_to_pin_no_hint_median: Option<f64>,
    court_learns_cell_share: Option<f64>,
    baseline_court_learns_cell_share: Option<f64>,
    reversed_share: Option<f64>,
    tests: u64,
    max_tests: u32,
    days: f64,
}

/// Runs a proximity attacker (spoof, dictionary or court) against the test with `hash`, on the
/// listed people `config.targets` names. The court's key comes from the city's seed, the
/// creditors' start points and secrets from `config.seed`.
#[must_use]
pub fn proximity_attack(city: &City, config: &LabConfig, hash: CellHash) -> Metrics {
    let targets = sample_targets(city, config.targets as usize);
    let mut court = Court::new(city, hash, key_seed(city.config().seed));
    let density = DensityMap::publish(city);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x0050_5349);
    // The simulated parties' secrets: seeded, so the lab is reproducible (the app and the CLI draw
    // real tests' secrets from the system's generator).
    let mut secrets = ChaCha8Rng::seed_from_u64(config.seed ^ 0x05EC_2E75);
    let mut outcomes = Vec::new();
    let mut baseline = Vec::new();
    let mut extra = Extra::default();
    let starts: Vec<(u32, LatLng, LatLng)> = targets
        .iter()
        .map(|&p| {
            let home = city.home(p);
            (p, home, hint(home, &mut rng))
        })
        .collect();
    for &(person, home, start) in &starts {
        baseline.push(TargetEstimate { person, estimate: Some(prior_estimate(&density, start)), truth: home });
    }
    match config.attacker {
        AttackerKind::Spoof => spoof(city, &mut court, &density, &starts, config.budget, &mut secrets, &mut outcomes, &mut extra),
        AttackerKind::Court => court_attack(city, &mut court, &starts, &mut secrets, &mut outcomes, &mut extra),
        _ => dictionary(city, &mut court, &density, &starts, &mut secrets, &mut outcomes, &mut extra),
    }
    let n = targets.len();
    let (located_50m, located_200m, median_error_m) = score(&outcomes, n);
    let (baseline_located_50m, _, baseline_median_error_m) = score(&baseline, n);
    // The court attacker estimates the creditor's position, not a debtor's home: no building.
    let debtors = config.attacker != AttackerKind::Court;
    let (building_identified, flat_identified) = if debtors { identified_shares(city, config.seed, &outcomes, n) } else { (0.0, 0.0) };
    let (baseline_building_identified, baseline_flat_identified) =
        if debtors { identified_shares(city, config.seed, &baseline, n) } else { (0.0, 0.0) };
    Metrics {
        design: DesignKind::PrivateProximity,
        attacker: config.attacker,
        targets: u32::try_from(n).unwrap_or(u32::MAX),
        located_50m,
        located_200m,
        median_error_m,
        baseline_located_50m,
        baseline_median_error_m,
        ideal_located_50m: 1.0,
        ideal_median_error_m: Some(0.0),
        homes_recovered_1m: 0.0,
        homes_recovered_10m: 0.0,
        homes_recovered_50m: 0.0,
        reidentified_share: 0.0,
        building_identified,
        flat_identified,
        baseline_building_identified,
        baseline_flat_identified,
        ideal_building_identified: 1.0,
        households_exposed: 0,
        queries_used: extra.tests,
        max_queries_per_target: extra.max_tests,
        sessions_used: extra.tests,
        days_used: extra.days,
        epsilon_spent: 0.0,
        epsilon_per_person: None,
        count_error: None,
        reversed_share: extra.reversed_share,
        suppressed_revealed: None,
        cell_pinned_share: extra.cell_pinned_share,
        baseline_cell_pinned_share: extra.baseline_cell_pinned_share,
        days_to_pin_median: extra.days_to_pin_median,
        days_to_pin_no_hint_median: extra.days_to_pin_no_hint_median,
        tests_per_day: Some(TESTS_PER_DAY),
        court_learns_cell_share: extra.court_learns_cell_share,
        baseline_court_learns_cell_share: extra.baseline_court_learns_cell_share,
        curve_at: Vec::new(),
        error_curve: Vec::new(),
        outcomes,
        recent_queries: Vec::new(),
    }
}

/// Share of `hits` among `n`.
#[allow(clippy::cast_precision_loss)]
fn share(hits: usize, n: usize) -> f64 {
    hits as f64 / n.max(1) as f64
}

/// People per resolution-9 cell on the public density map.
fn cell_people(density: &DensityMap, cell: u64) -> u32 {
    h3o::CellIndex::try_from(cell).map_or(0, |c| c.children(crate::index::INDEX_RESOLUTION).map(|k| density.people(u64::from(k))).sum())
}

/// Where in a pinned resolution-9 cell the home most likely is: the centre of its most populous
/// resolution-10 child on the public density map (the cell's centre if the map is empty there).
fn best_child(density: &DensityMap, cell: u64) -> LatLng {
    h3o::CellIndex::try_from(cell)
        .ok()
        .and_then(|c| c.children(crate::index::INDEX_RESOLUTION).map(u64::from).max_by_key(|&k| (density.people(k), std::cmp::Reverse(k))))
        .filter(|&k| density.people(k) > 0)
        .map_or_else(|| cell_centre(cell), cell_centre)
}

/// The spoofing creditor's candidate cells around the start: those whose centre lies within the
/// region (plus a cell) first, most populous on the public map first; then the rest by distance.
fn candidates(density: &DensityMap, start: LatLng, budget: u32) -> Vec<u64> {
    let Some(origin) = proximity_cell(start).and_then(|c| h3o::CellIndex::try_from(c).ok()) else { return Vec::new() };
    let spacing = PROXIMITY_RESOLUTION.edge_length_m() * 3f64.sqrt() * 0.8;
    let wanted = (budget as usize).saturating_mul(NEIGHBOURHOOD_CELLS);
    let search_radius_m = REGION_M + PROXIMITY_RESOLUTION.edge_length_m() * 1.2;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut rings = (search_radius_m / spacing).ceil() as u32 + 1;
    // Enough rings for the whole budget (a ring k holds 6k cells), at most the whole city.
    while (3 * rings * (rings + 1) + 1) as usize <= wanted && rings < 120 {
        rings += 1;
    }
    let mut cells: Vec<(bool, u32, f64, u64)> = origin
        .grid_disk::<Vec<_>>(rings)
        .into_iter()
        .map(|c| {
            let c = u64::from(c);
            let d = cell_centre(c).distance_m(start);
            (d <= search_radius_m, cell_people(density, c), d, c)
        })
        .collect();
    cells.sort_by(|a, b| {
        b.0.cmp(&a.0).then(if a.0 { b.1.cmp(&a.1) } else { std::cmp::Ordering::Equal }).then(a.2.total_cmp(&b.2)).then(a.3.cmp(&b.3))
    });
    cells.into_iter().map(|c| c.3).collect()
}

/// Position spoofing under the daily limit.
#[allow(clippy::too_many_arguments)]
fn spoof(
    city: &City,
    court: &mut Court,
    density: &DensityMap,
    starts: &[(u32, LatLng, LatLng)],
    budget: u32,
    secrets: &mut ChaCha8Rng,
    outcomes: &mut Vec<TargetEstimate>,
    extra: &mut Extra,
) {
    let (mut pinned, mut baseline_pinned) = (0, 0);
    let mut days_to_pin = Vec::new();
    let mut longest = 0u32;
    for &(person, home, start) in starts {
        let truth_cell = proximity_cell(home);
        let prior = prior_estimate(density, start);
        if proximity_cell(prior) == truth_cell {
            baseline_pinned += 1;
        }
        let Some(listing) = city.listing(person) else { continue };
        let case = listing.case_number();
        let credential = court.issue(&case);
        let cells = candidates(density, start, budget);
        let (mut day, mut tests, mut found) = (0u32, 0u32, None);
        for chunk in cells.chunks(NEIGHBOURHOOD_CELLS) {
            if tests >= budget {
                break;
            }
            let creditor = Creditor::with_cells(court.hash(), &case, credential, chunk.to_vec()).blinding_each_cell();
            let mut answer = exchange(court, &creditor, day, secrets).answer;
            if answer == Err(ProximityError::LimitReached { per_day: TESTS_PER_DAY }) {
                day += 1;
                answer = exchange(court, &creditor, day, secrets).answer;
            }
            tests += 1;
            if let Ok(a) = answer {
                if a.near {
                    found = a.matched.map(|i| chunk[i]);
                    break;
                }
            }
        }
        extra.tests += u64::from(tests);
        extra.max_tests = extra.max_tests.max(tests);
        longest = longest.max(day + 1);
        if let Some(cell) = found {
            days_to_pin.push(f64::from(day + 1));
            if Some(cell) == truth_cell {
                pinned += 1;
            }
        }
        // The pinned cell narrowed by the density map, else the guess from the start alone.
        outcomes.push(TargetEstimate { person, estimate: Some(found.map_or(prior, |c| best_child(density, c))), truth: home });
    }
    extra.cell_pinned_share = Some(share(pinned, starts.len()));
    extra.baseline_cell_pinned_share = Some(share(baseline_pinned, starts.len()));
    extra.days_to_pin_median = median(days_to_pin);
    extra.days = f64::from(longest);
    extra.days_to_pin_no_hint_median = no_hint_days(density, starts);
}

/// The same search with no start point: every cell of the city, most populous on the public map
/// first, seven a test, three tests a day. The protocol answers each test truthfully, so the test
/// that finds the debtor's cell is the one holding its rank; this counts it without running the
/// exchanges (a thousand or more per debtor).
fn no_hint_days(density: &DensityMap, starts: &[(u32, LatLng, LatLng)]) -> Option<f64> {
    let mut cells: Vec<(u32, u64)> = city_cells(PROXIMITY_RESOLUTION).into_iter().map(|c| (cell_people(density, c), c)).collect();
    cells.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let rank: FxHashMap<u64, usize> = cells.iter().enumerate().map(|(i, &(_, c))| (c, i)).collect();
    let days: Vec<f64> = starts
        .iter()
        .filter_map(|&(_, home, _)| rank.get(&proximity_cell(home)?).copied())
        .map(|r| {
            let tests = r / NEIGHBOURHOOD_CELLS + 1;
            #[allow(clippy::cast_precision_loss)]
            let d = tests.div_ceil(TESTS_PER_DAY as usize) as f64;
            d
        })
        .collect();
    median(days)
}

/// Every cell of the city under both of the tables an outsider can build without a secret.
fn dictionary_tables() -> FxHashMap<Token, u64> {
    let mut table = FxHashMap::default();
    for c in city_cells(PROXIMITY_RESOLUTION) {
        table.insert(plain_token(c), c);
        table.insert(cell_point_token(c), c);
    }
    table
}

/// The honest creditor's test from the start point.
fn honest_test(court: &mut Court, city: &City, person: u32, start: LatLng, secrets: &mut ChaCha8Rng) -> Option<(Vec<u8>, Vec<u8>)> {
    let case = city.listing(person)?.case_number();
    let creditor = Creditor::at(court.hash(), &case, court.issue(&case), start);
    let e = exchange(court, &creditor, 0, secrets);
    Some((e.request, e.reply))
}

/// The outsider's dictionary over captured messages.
fn dictionary(
    city: &City,
    court: &mut Court,
    density: &DensityMap,
    starts: &[(u32, LatLng, LatLng)],
    secrets: &mut ChaCha8Rng,
    outcomes: &mut Vec<TargetEstimate>,
    extra: &mut Extra,
) {
    let table = dictionary_tables();
    let mut reversed = 0;
    for &(person, home, start) in starts {
        let Some((request, reply)) = honest_test(court, city, person, start, secrets) else { continue };
        let any = windows(&request).iter().chain(windows(&reply).iter()).any(|w| table.contains_key(w));
        // The debtor's token is in the reply: reversing it gives the home's cell.
        let debtor = reply_tokens(&reply).and_then(|(_, debtors)| debtors.iter().find_map(|t| table.get(t).copied()));
        if any {
            reversed += 1;
        }
        extra.tests += 1;
        // What it reversed, else what it knew before: the density map's guess from the start.
        let estimate = debtor.map_or_else(|| prior_estimate(density, start), |c| best_child(density, c));
        outcomes.push(TargetEstimate { person, estimate: Some(estimate), truth: home });
    }
    extra.max_tests = 1;
    extra.reversed_share = Some(share(reversed, starts.len()));
}

/// The court's attempt to learn the creditor's cell.
fn court_attack(
    city: &City,
    court: &mut Court,
    starts: &[(u32, LatLng, LatLng)],
    secrets: &mut ChaCha8Rng,
    outcomes: &mut Vec<TargetEstimate>,
    extra: &mut Extra,
) {
    let all = city_cells(PROXIMITY_RESOLUTION);
    let table = dictionary_tables();
    let raw: FxHashSet<[u8; 8]> = all.iter().flat_map(|c| [c.to_le_bytes(), c.to_be_bytes()]).collect();
    let (mut learned, mut baseline) = (0, 0);
    for (i, &(person, home, start)) in starts.iter().enumerate() {
        let creditor_cell = proximity_cell(start);
        let debtor_cell = proximity_cell(home);
        if creditor_cell == debtor_cell {
            baseline += 1;
        }
        let Some(case) = city.listing(person).map(crate::city::Listing::case_number) else { continue };
        let creditor = Creditor::at(court.hash(), &case, court.issue(&case), start);
        let (request, pending) = creditor.request(secrets);
        // The court's own scalar for this test: the court draws it first from its generator.
        let court_scalar = draw_scalar(&mut secrets.clone());
        let reply = court.respond(&request, 0, secrets);
        let _ = pending.finish(&reply);
        extra.tests += 1;
        let received = windows(&request);
        let mut seen: Vec<u64> = received.iter().filter_map(|w| table.get(w).copied()).collect();
        for w in request.windows(8) {
            if let Ok(bytes) = <[u8; 8]>::try_from(w) {
                if raw.contains(&bytes) {
                    seen.push(u64::from_le_bytes(bytes));
                }
            }
        }
        if i < COURT_FULL_EVALUATIONS && court.hash() == CellHash::Keyed {
            let evaluated: FxHashMap<Token, u64> = all.iter().map(|&c| ((cell_point(c) * court_scalar).compress().to_bytes(), c)).collect();
            seen.extend(received.iter().filter_map(|w| evaluated.get(w).copied()));
        }
        // The guess: the seen cell whose neighbourhood holds the most seen cells, else the
        // debtor's own cell (the court knows where the debtor lives).
        let guess = seen
            .iter()
            .copied()
            .max_by_key(|&c| {
                let disk = neighbourhood(cell_centre(c));
                (seen.iter().filter(|s| disk.contains(s)).count(), std::cmp::Reverse(c))
            })
            .or(debtor_cell);
        if guess.is_some() && guess == creditor_cell {
            learned += 1;
        }
        outcomes.push(TargetEstimate { person, estimate: guess.map(cell_centre), truth: start });
    }
    extra.max_tests = 1;
    extra.court_learns_cell_share = Some(share(learned, starts.len()));
    extra.baseline_court_learns_cell_share = Some(share(baseline, starts.len()));
}

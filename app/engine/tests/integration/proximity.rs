//! The private proximity test: two parties, messages only, bound to the creditor's own case.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use rustc_hash::FxHashSet;
use within500_engine::{
    cell_point, cell_point_token, draw_scalar, exchange, key_seed, neighbourhood, plain_token, proximity_attack, proximity_cell, windows,
    AttackerKind, CellHash, City, Court, Credential, Creditor, LabConfig, LatLng, LocalFrame, ProximityError, Resolution, TESTS_PER_DAY,
};

use crate::shared_city;

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn court(city: &City, hash: CellHash) -> Court {
    Court::new(city, hash, key_seed(city.config().seed))
}

/// The direct check: the debtor's home cell is among the creditor's seven.
fn direct(city: &City, debtor: u32, at: LatLng) -> bool {
    let home = proximity_cell(city.home(debtor)).expect("home cell");
    neighbourhood(at).contains(&home)
}

/// Every resolution-9 cell within 3 km of a point (the court's search space in these tests).
fn cells_around(at: LatLng, rings: u32) -> Vec<u64> {
    let c = h3o::LatLng::new(at.lat, at.lng).expect("position").to_cell(Resolution::Nine);
    c.grid_disk::<Vec<_>>(rings).into_iter().map(u64::from).collect()
}

#[test]
fn the_bit_is_right_inside_outside_and_on_the_edge() {
    let city = shared_city();
    let (mut inside, mut edge, mut outside) = (0, 0, 0);
    for (i, l) in city.listings().iter().step_by(29).enumerate() {
        // Case numbers shared by two listings are one case with two debtors: skip those here.
        if city.listings().iter().filter(|m| m.case_number() == l.case_number()).count() > 1 {
            continue;
        }
        let home = city.home(l.person);
        let home_cell = proximity_cell(home).expect("cell");
        let case = l.case_number();
        let mut court = court(city, CellHash::Keyed);
        let credential = court.issue(&case);
        // Positions at the home, at the centre of each cell of the first and second rings around
        // it (the edge of the neighbourhood: ring 1 is near, ring 2 is not), and 2 km away.
        let centre = h3o::CellIndex::try_from(home_cell).expect("cell");
        let mut spots: Vec<LatLng> = vec![home, LocalFrame::new(home).to_latlng(2_000.0, 0.0)];
        for ring in [1, 2] {
            for c in centre.grid_ring_fast(ring).flatten() {
                let ll = h3o::LatLng::from(c);
                spots.push(LatLng::new(ll.lat(), ll.lng()));
            }
        }
        for (j, at) in spots.into_iter().enumerate() {
            let creditor = Creditor::at(CellHash::Keyed, &case, credential, at);
            // A fresh day per test: the limit is tested on its own.
            let day = u32::try_from(j).expect("small");
            let answer = exchange(&mut court, &creditor, day, &mut rng((i * 100 + j) as u64)).answer.expect("answered");
            let expected = direct(city, l.person, at);
            assert_eq!(answer.near, expected, "debtor {} at spot {j}", l.person);
            assert_eq!(answer.matched, None, "the honest creditor learns the bit only");
            match (expected, j) {
                (true, 0) => inside += 1,
                (true, _) => edge += 1,
                (false, _) => outside += 1,
            }
        }
    }
    assert!(inside > 10 && edge > 60 && outside > 100, "{inside} inside, {edge} on the edge, {outside} outside");
}

#[test]
fn a_wrong_unknown_or_unlisted_case_gets_one_refusal() {
    let city = shared_city();
    let mut court = court(city, CellHash::Keyed);
    let l = city.listings()[5];
    let other = city.listings()[6];
    let at = city.home(l.person);
    let unlisted = (0..city.people()).find(|&p| !city.is_listed(p)).expect("someone unlisted");
    let requests = [
        // Another case's credential for this case.
        Creditor::at(CellHash::Keyed, &l.case_number(), court.issue(&other.case_number()), at),
        // A random credential.
        Creditor::at(CellHash::Keyed, &l.case_number(), Credential([7; 32]), at),
        // An unknown case, with the court's own credential for that text.
        Creditor::at(CellHash::Keyed, "(2018)冀0009执9999号", court.issue("(2018)冀0009执9999号"), at),
        // A person who is not listed has no case: whatever the creditor calls it.
        Creditor::at(CellHash::Keyed, &unlisted.to_string(), court.issue(&unlisted.to_string()), at),
    ];
    let replies: Vec<Vec<u8>> = requests.iter().enumerate().map(|(i, c)| exchange(&mut court, c, 0, &mut rng(i as u64)).reply).collect();
    for r in &replies {
        assert_eq!(r, &replies[0], "every refusal is the same bytes");
    }
    assert_eq!(replies[0], within500_engine::REFUSAL);
    // A malformed request gets it too, and none of them counts against the case.
    assert_eq!(court.respond(b"\x50\x00garbage", 0, &mut rng(9)), within500_engine::REFUSAL);
    assert_eq!(court.ledger().left(&l.case_number(), 0), TESTS_PER_DAY);
    // The rightful creditor is answered: the refusal was not about the position.
    let rightful = Creditor::at(CellHash::Keyed, &l.case_number(), court.issue(&l.case_number()), at);
    assert!(exchange(&mut court, &rightful, 0, &mut rng(10)).answer.expect("answered").near);
}

#[test]
fn the_daily_limit_holds_per_case() {
    let city = shared_city();
    let mut court = court(city, CellHash::Keyed);
    let (a, b) = (city.listings()[1], city.listings()[2]);
    let creditor = |c: &Court, l: within500_engine::Listing| {
        Creditor::at(CellHash::Keyed, &l.case_number(), c.issue(&l.case_number()), city.home(l.person))
    };
    let ca = creditor(&court, a);
    for i in 0..TESTS_PER_DAY {
        assert!(exchange(&mut court, &ca, 4, &mut rng(u64::from(i))).answer.is_ok());
    }
    assert_eq!(exchange(&mut court, &ca, 4, &mut rng(50)).answer, Err(ProximityError::LimitReached { per_day: TESTS_PER_DAY }));
    let cb = creditor(&court, b);
    assert!(exchange(&mut court, &cb, 4, &mut rng(51)).answer.is_ok(), "another case has its own limit");
    assert!(exchange(&mut court, &ca, 5, &mut rng(52)).answer.is_ok(), "the next day the case can be tested again");
}

/// The court evaluates every cell of the city (plain, as points, under the scalar it drew for
/// the test, and as raw ids) and looks for any of them in what it received: nothing matches,
/// while the same search on the plain design finds the creditor's cell every time.
#[test]
fn the_court_cannot_match_the_creditors_cell() {
    let city = shared_city();
    for hash in [CellHash::Keyed, CellHash::Plain] {
        let mut court = court(city, hash);
        let mut found = 0;
        let listings: Vec<_> = city.listings().iter().step_by(97).take(3).copied().collect();
        for (i, l) in listings.iter().enumerate() {
            let case = l.case_number();
            let at = LocalFrame::new(city.home(l.person)).to_latlng(150.0, -90.0);
            let creditor = Creditor::at(hash, &case, court.issue(&case), at);
            let mut secrets = rng(100 + i as u64);
            let (request, pending) = creditor.request(&mut secrets);
            let court_scalar = draw_scalar(&mut secrets.clone());
            let reply = court.respond(&request, 0, &mut secrets);
            assert!(pending.finish(&reply).is_ok());
            let cells = cells_around(at, 25);
            let mut table: FxHashSet<[u8; 32]> = FxHashSet::default();
            for &c in &cells {
                table.insert(plain_token(c));
                table.insert(cell_point_token(c));
                if hash == CellHash::Keyed {
                    table.insert((cell_point(c) * court_scalar).compress().to_bytes());
                }
            }
            if hash == CellHash::Keyed {
                // The court's scalar is the one it used: it reproduces the debtor's token.
                let debtor_token = (cell_point(proximity_cell(city.home(l.person)).expect("cell")) * court_scalar).compress().to_bytes();
                assert!(windows(&reply).contains(&debtor_token));
            }
            let raw = cells.iter().any(|c| request.windows(8).any(|w| w == c.to_le_bytes() || w == c.to_be_bytes()));
            let matched = windows(&request).iter().any(|w| table.contains(w));
            if matched || raw {
                found += 1;
            }
        }
        match hash {
            CellHash::Keyed => assert_eq!(found, 0, "the court matched a blinded request"),
            CellHash::Plain => assert_eq!(found, listings.len(), "the plain design hands the court the cells"),
        }
    }
}

/// The three attackers in the lab against the no-question lines of the same run, keyed beside
/// plain: the dictionary reverses nothing, the court learns no more than its guess, and the
/// spoofing creditor pins cells only as fast as the daily limit lets it.
#[test]
fn the_attackers_measure_what_the_design_discloses() {
    let city = shared_city();
    let config = |attacker, budget| LabConfig { attacker, budget, radius_m: 500.0, seed: 7, targets: 12 };
    let keyed = proximity_attack(city, &config(AttackerKind::Dictionary, 1), CellHash::Keyed);
    let plain = proximity_attack(city, &config(AttackerKind::Dictionary, 1), CellHash::Plain);
    assert_eq!(plain.reversed_share, Some(1.0), "plain tokens all reverse");
    assert_eq!(keyed.reversed_share, Some(0.0), "captured tokens of the protocol reverse 0 %");
    assert!(plain.located_200m > keyed.located_200m, "reversal locates debtors, the protocol's tokens do not");
    // With nothing reversed the attacker keeps its no-question guess: it learns nothing more.
    assert_eq!(keyed.located_50m, keyed.baseline_located_50m);
    assert_eq!(keyed.median_error_m, keyed.baseline_median_error_m);

    let court_keyed = proximity_attack(city, &config(AttackerKind::Court, 1), CellHash::Keyed);
    let court_plain = proximity_attack(city, &config(AttackerKind::Court, 1), CellHash::Plain);
    let baseline = court_keyed.baseline_court_learns_cell_share.expect("baseline");
    assert_eq!(court_keyed.court_learns_cell_share, Some(baseline), "the court learns nothing beyond its guess");
    assert_eq!(court_plain.court_learns_cell_share, Some(1.0));
    assert!(baseline < 1.0);

    // 40 targets for the spoofing creditor: among 12, every debtor's cell may lie in the first
    // test's cells, and then a limit of one test pins as many.
    let spoofing = |budget| LabConfig { targets: 40, ..config(AttackerKind::Spoof, budget) };
    let spoof = proximity_attack(city, &spoofing(30), CellHash::Keyed);
    let pinned = spoof.cell_pinned_share.expect("pinned");
    let base = spoof.baseline_cell_pinned_share.expect("baseline");
    assert!(pinned > base, "spoofing pins more cells ({pinned}) than the density map's guess ({base})");
    assert!(spoof.days_to_pin_median.expect("days") >= 1.0);
    // The court's limit sets the pace: the longest search took one day per three tests.
    let longest = f64::from(spoof.max_queries_per_target) / f64::from(TESTS_PER_DAY);
    assert_eq!(spoof.days_used, longest.ceil(), "{} tests took {} days", spoof.max_queries_per_target, spoof.days_used);
    // A limit of one test a day would take longer: the days are the limit's doing.
    assert!(spoof.max_queries_per_target > 1, "some debtor took more than one test to find");
    let short = proximity_attack(city, &spoofing(1), CellHash::Keyed);
    assert!(short.cell_pinned_share.expect("pinned") < pinned, "one test per target pins fewer cells");
}

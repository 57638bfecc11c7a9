//! Exercises for a classroom: each has a goal, a limit and a check the app performs.
//!
//! The set-up of each exercise (whom to find, which cells to reverse, where to start) is drawn
//! from the city, so the same seed gives every student the same task, and the teacher's page
//! can show the answer. All checks compare with the truth, which only the engine sees.
//!
//! ```
//! use within500_engine::{City, CityConfig, exercises};
//! let city = City::generate(CityConfig { seed: 3, people: 20_000, listed_rate: 0.01 })?;
//! let task = exercises::find_home(&city).expect("the city has listed people");
//! // Standing on the home within the limit solves it; one question too many fails it.
//! assert!(exercises::check_find_home(&city, &task, city.home(task.person), 3).solved);
//! assert!(!exercises::check_find_home(&city, &task, city.home(task.person), 9).solved);
//! # Ok::<(), within500_engine::ConfigError>(())
//! ```

use std::collections::BTreeSet;

use crate::attacks::{run_lab, AttackedDesign, AttackerKind, LabConfig};
use crate::city::City;
use crate::designs::{
    plain_token, Aggregate, DpRelease, Epsilon, Exposed, Query, Token, DEFAULT_AGGREGATE_RESOLUTION, PROXIMITY_RESOLUTION,
};
use crate::geo::{LatLng, CITY_CENTRE};
use crate::index::{cell_centre, cell_of};
use crate::plan::StreetPlan;
use crate::state::in_city_bounds;

/// Exercise 1: questions allowed.
pub const FIND_HOME_QUERIES: u32 = 8;
/// Exercise 1: how close the marker must stand to the home, in metres.
pub const FIND_HOME_WITHIN_M: f64 = 50.0;
/// Exercise 2: the reconstruction attacker may rebuild at most this share of the listed homes
/// near its targets within 50 m (the release without noise gives about 42 % on the default city,
/// whose homes stand in buildings: its cells alone place homes; ε = 1 gives about 36 %, ε = 4
/// about as much as no noise).
pub const EPSILON_MAX_RECOVERED: f64 = 0.38;
/// Exercise 2: the resident's count within 500 m must be off by less than this on average.
pub const EPSILON_MAX_COUNT_ERROR: f64 = 4.0;
/// Exercise 2: listed people the attacker starts from.
pub const EPSILON_TARGETS: u32 = 100;
/// Exercise 3: how many hashed cells to reverse.
pub const HASHED_CELLS: usize = 3;
/// Exercise 5: the deployed map must list at least this many people…
pub const HIDDEN_MIN_LISTED: usize = 3;
/// Exercise 5: …while the aggregate design with this k releases no count.
pub const HIDDEN_K: u32 = 5;
/// Exercises 4 and 5: the radius of the query.
pub const RADIUS_M: f64 = 500.0;

/// A listed person chosen from the seed: stable for a city, different between seeds.
fn pick(city: &City, salt: u64) -> Option<u32> {
    let listings = city.listings();
    if listings.is_empty() {
        return None;
    }
    let h = city.config().seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(salt.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    let i = (h >> 17) % listings.len() as u64;
    #[allow(clippy::cast_possible_truncation)] // below the number of listings
    Some(listings[i as usize].person)
}

/// A position `east`/`north` metres from `p`, or `p` itself if that leaves the city.
fn offset(p: LatLng, east: f64, north: f64) -> LatLng {
    let q = crate::geo::LocalFrame::new(p).to_latlng(east, north);
    if in_city_bounds(q) {
        q
    } else {
        p
    }
}

/// Exercise 1: find the home of one listed person.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FindHome {
    /// The listed person to find.
    pub person: u32,
    /// Where the student starts: about 350 m from the home, so the person is on the list.
    pub start: LatLng,
}

/// Exercise 1's set-up for a city.
#[must_use]
pub fn find_home(city: &City) -> Option<FindHome> {
    let person = pick(city, 1)?;
    Some(FindHome { person, start: offset(city.home(person), -250.0, 240.0) })
}

/// The result of exercise 1's check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FindHomeCheck {
    /// Solved: close enough, within the question limit.
    pub solved: bool,
    /// How far the marker stands from the home, in metres.
    pub distance_m: f64,
    /// Questions asked.
    pub queries: u32,
}

/// Checks a guess for exercise 1: the marker within [`FIND_HOME_WITHIN_M`] of the home, after at
/// most [`FIND_HOME_QUERIES`] questions.
#[must_use]
pub fn check_find_home(city: &City, task: &FindHome, guess: LatLng, queries: u32) -> FindHomeCheck {
    let distance_m = city.home(task.person).distance_m(guess);
    FindHomeCheck { solved: distance_m <= FIND_HOME_WITHIN_M && queries <= FIND_HOME_QUERIES, distance_m, queries }
}

/// The result of exercise 2's check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpsilonCheck {
    /// The release's total ε per person checked.
    pub epsilon: Epsilon,
    /// Share of the listed homes near the targets that the reconstruction attacker rebuilt
    /// within 50 m.
    pub homes_recovered_50m: f64,
    /// The same from the release computed without noise (what the cells alone give away).
    pub noiseless_recovered_50m: f64,
    /// The resident's mean absolute count error within 500 m.
    pub count_error: f64,
    /// Solved: both conditions hold.
    pub solved: bool,
}

/// Checks exercise 2: the DP release with a total ε per person against the reconstruction
/// attacker (the strongest the lab has against it) on [`EPSILON_TARGETS`] listed people. Solved
/// when the attacker rebuilds at most [`EPSILON_MAX_RECOVERED`] of the listed homes near them
/// within 50 m and the resident's count is off by less than [`EPSILON_MAX_COUNT_ERROR`] on average.
#[must_use]
pub fn check_epsilon(city: &City, epsilon: Epsilon) -> EpsilonCheck {
    let config = LabConfig {
        attacker: AttackerKind::Reconstruct,
        budget: AttackerKind::Reconstruct.default_budget(),
        radius_m: RADIUS_M,
        seed: city.config().seed,
        targets: EPSILON_TARGETS,
    };
    let noisy = AttackedDesign::DpRelease(DpRelease::publish(city, epsilon));
    let m = run_lab(city, &config, &noisy);
    let exact = run_lab(city, &config, &AttackedDesign::DpRelease(DpRelease::noiseless(city)));
    let count_error = m.count_error.unwrap_or(f64::INFINITY);
    EpsilonCheck {
        epsilon,
        homes_recovered_50m: m.homes_recovered_50m,
        noiseless_recovered_50m: exact.homes_recovered_50m,
        count_error,
        solved: m.homes_recovered_50m <= EPSILON_MAX_RECOVERED && count_error < EPSILON_MAX_COUNT_ERROR,
    }
}

/// Exercise 3: cells hashed without a key, as a leaked table would hold them.
#[derive(Debug, Clone, PartialEq)]
pub struct HashedCells {
    /// For each: the listed person, the plain SHA-256 token of their home's resolution-9 cell, and
    /// the district the home lies in (the answer).
    pub cells: Vec<(u32, Token, u8)>,
}

/// Exercise 3's set-up: [`HASHED_CELLS`] listed people in different districts where possible.
#[must_use]
pub fn hashed_cells(city: &City) -> HashedCells {
    let mut cells = Vec::new();
    let mut districts = BTreeSet::new();
    for salt in 10..200 {
        if cells.len() == HASHED_CELLS {
            break;
        }
        let Some(person) = pick(city, salt) else { break };
        let district = district_of(city, city.home(person));
        if cells.iter().any(|c: &(u32, Token, u8)| c.0 == person) || (districts.contains(&district) && salt < 150) {
            continue;
        }
        let Some(cell) = cell_of(city.home(person), PROXIMITY_RESOLUTION) else { continue };
        districts.insert(district);
        cells.push((person, plain_token(cell), district));
    }
    HashedCells { cells }
}

/// The district index of a position.
#[must_use]
pub fn district_of(city: &City, p: LatLng) -> u8 {
    let (e, n) = city.frame().to_local(p);
    StreetPlan::district_at(e, n)
}

/// The tool exercise 3 gives students: hash every resolution-9 cell of the city once and look the
/// tokens up. For each token, the cell's centre if it is a plain hash of a city cell.
#[must_use]
pub fn reverse_plain_tokens(tokens: &[Token]) -> Vec<Option<LatLng>> {
    let mut found = vec![None; tokens.len()];
    for cell in crate::attacks::city_cells(PROXIMITY_RESOLUTION) {
        let t = plain_token(cell);
        for (slot, wanted) in found.iter_mut().zip(tokens) {
            if *wanted == t {
                *slot = Some(cell_centre(cell));
            }
        }
    }
    found
}

/// Checks exercise 3: one district per token, in order. Each entry says whether that one is right.
#[must_use]
pub fn check_districts(task: &HashedCells, answers: &[u8]) -> Vec<bool> {
    task.cells.iter().enumerate().map(|(i, c)| answers.get(i) == Some(&c.2)).collect()
}

/// Exercise 4: where to stand, and how many household members the listed people there expose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HouseholdTask {
    /// Where the query is asked.
    pub at: LatLng,
    /// The answer: people who share a home with someone the deployed map lists there, and are
    /// not themselves on that list.
    pub exposed: u32,
}

/// Exercise 4's set-up: a position near a listed person, and its answer.
#[must_use]
pub fn household(city: &City) -> Option<HouseholdTask> {
    let person = pick(city, 4)?;
    let at = offset(city.home(person), 120.0, -90.0);
    Some(HouseholdTask { at, exposed: household_members_exposed(city, at) })
}

/// People living with someone the deployed map lists within [`RADIUS_M`] of `at`, not listed there
/// themselves.
#[must_use]
pub fn household_members_exposed(city: &City, at: LatLng) -> u32 {
    let answer = Exposed::default().answer(city, Query { at, radius_m: RADIUS_M });
    let listed: BTreeSet<u32> = answer.entries.iter().map(|e| e.person).collect();
    let households: BTreeSet<u32> = listed.iter().map(|&p| city.household_of(p)).collect();
    let others = households.iter().flat_map(|&h| city.members(h)).filter(|p| !listed.contains(p)).count();
    #[allow(clippy::cast_possible_truncation)] // at most the population
    let others = others as u32;
    others
}

/// The result of exercise 5's check at one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenCheck {
    /// How many the deployed map lists.
    pub listed: usize,
    /// How many coarse-cell counts the aggregate design releases.
    pub released: usize,
    /// Solved: at least [`HIDDEN_MIN_LISTED`] listed and nothing released.
    pub solved: bool,
}

/// Checks exercise 5 at a position: the deployed map lists at least [`HIDDEN_MIN_LISTED`] people
/// while the aggregate design with k = [`HIDDEN_K`] releases no count at all.
#[must_use]
pub fn check_hidden(city: &City, aggregate: &Aggregate, at: LatLng) -> HiddenCheck {
    let query = Query { at, radius_m: RADIUS_M };
    let listed = city.listed_count_within(at, RADIUS_M) as usize;
    let released = aggregate.answer(query).cells.iter().filter(|c| c.count.is_some()).count();
    HiddenCheck { listed, released, solved: listed >= HIDDEN_MIN_LISTED && released == 0 }
}

/// The aggregate design exercise 5 uses.
#[must_use]
pub fn hidden_aggregate(city: &City) -> Aggregate {
    Aggregate::new(city, HIDDEN_K, DEFAULT_AGGREGATE_RESOLUTION)
}

/// A position that solves exercise 5, for the teacher's page: the first found on a 250 m grid
/// spiralling out from the centre.
#[must_use]
pub fn hidden_solution(city: &City, aggregate: &Aggregate) -> Option<LatLng> {
    let frame = crate::geo::LocalFrame::new(CITY_CENTRE);
    for ring in 0..60i32 {
        for i in -ring..=ring {
            for j in -ring..=ring {
                if i.abs().max(j.abs()) != ring {
                    continue;
                }
                let at = frame.to_latlng(f64::from(i) * 250.0, f64::from(j) * 250.0);
                if in_city_bounds(at) && check_hidden(city, aggregate, at).solved {
                    return Some(at);
                }
            }
        }
    }
    None
}

/// The other members of a person's household, as a public directory would list them at the
/// address: (pinyin name, Chinese name). What the detail page shows and exercise 4 counts.
#[must_use]
pub fn housemates(city: &City, person: u32) -> Vec<(String, String)> {
    city.members(city.household_of(person))
        .filter(|&m| m != person)
        .filter_map(|m| city.person(m))
        .map(|p| (p.name.pinyin, p.name.zh))
        .collect()
}

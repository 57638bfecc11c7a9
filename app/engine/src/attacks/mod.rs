//! The attack lab: attackers that see only a design's answers, and a scorer that compares what
//! they concluded with the truth.
//!
//! **Architecture invariant:** an attacker gets [`Reply`] values from a [`Probe`] and, for the
//! linkage attacker, a synthetic public [`Directory`]; it never reads the city. The scenario gives
//! each target-centred attacker a starting point within 400 m of its target's home (as a first
//! sighting on the deployed map would) and the target's handle; the scorer alone compares
//! estimates with true homes.
//!
//! Each target gets a fresh [`Probe`] session, as if the attacker opened a new account per target:
//! the favourable case for the attacker, so the figures for privacy-preserving designs are
//! conservative.
//!
//! ```
//! use within500_engine::{run_lab, AttackerKind, City, CityConfig, LabConfig, Target, Fidelity};
//! let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
//! let config = LabConfig { attacker: AttackerKind::Oracle, budget: 40, radius_m: 500.0, seed: 7 };
//! let m = run_lab(&city, &config, &Target::Exposed(Fidelity::Reported));
//! assert!(m.located_50m > 0.9);
//! # Ok::<(), within500_engine::ConfigError>(())
//! ```

mod probe;
mod strategies;

pub use probe::{Displayed, Probe, Reply, Sighting, Target};
pub use strategies::Directory;
pub(crate) use strategies::city_cells;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::city::City;
use crate::designs::{CellHash, PrivateProximity};
use crate::geo::{LatLng, LocalFrame};

/// The attackers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AttackerKind {
    /// Walks a route, asking as it goes, and records every answer.
    Walker,
    /// Estimates homes from distances at several positions.
    Trilateration,
    /// Moves the query point to shrink the region that holds the target (after Polakis et al.).
    Oracle,
    /// Repeats questions to average noise away.
    Averaging,
    /// Reverses hashed cell tokens by hashing every cell of the city.
    Dictionary,
    /// Joins what was released with a public directory; finds household members.
    Linkage,
}

impl AttackerKind {
    /// Every attacker.
    pub const ALL: [Self; 6] = [Self::Walker, Self::Trilateration, Self::Oracle, Self::Averaging, Self::Dictionary, Self::Linkage];

    /// The name used on the command line and in URLs.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Walker => "walker",
            Self::Trilateration => "trilateration",
            Self::Oracle => "oracle",
            Self::Averaging => "averaging",
            Self::Dictionary => "dictionary",
            Self::Linkage => "linkage",
        }
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == s)
    }

    /// Whether the budget counts questions per target (else in total, for a route).
    #[must_use]
    pub fn budget_per_target(self) -> bool {
        matches!(self, Self::Trilateration | Self::Oracle | Self::Averaging)
    }
}

/// How an attack runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LabConfig {
    /// The attacker.
    pub attacker: AttackerKind,
    /// Questions allowed: per target for trilateration, oracle and averaging; in total for the
    /// walker and linkage routes.
    pub budget: u32,
    /// The query radius in metres.
    pub radius_m: f64,
    /// Seed of the scenario (starting points, routes, noise).
    pub seed: u64,
}

/// One target's outcome, for drawing estimates against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Outcome {
    /// The listed person.
    pub person: u32,
    /// The attacker's final estimate of their home, if any.
    pub estimate: Option<LatLng>,
    /// The true home (from the scorer, never given to the attacker).
    pub truth: LatLng,
}

/// What an attack achieved against one design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// The design attacked.
    pub design: &'static str,
    /// The attacker.
    pub attacker: &'static str,
    /// Listed people in the city (the targets).
    pub targets: u32,
    /// Share of listed people whose home was estimated within 50 m.
    pub located_50m: f64,
    /// Share within 200 m.
    pub located_200m: f64,
    /// Median error in metres over the people with an estimate; `None` if nobody has one.
    pub median_error_m: Option<f64>,
    /// Share of listed people whose name and ID number the attacker obtained and tied to a home.
    pub reidentified_share: f64,
    /// Other household members exposed through exposed addresses.
    pub households_exposed: u32,
    /// Questions asked in total.
    pub queries_used: u64,
    /// Most questions asked about one target (target-centred attackers).
    pub max_queries_per_target: u32,
    /// ε spent in total (DP design).
    pub epsilon_spent: f64,
    /// The legitimate user's mean absolute error of the count; `None` where the design gives no
    /// count (the deployed list is exact: 0).
    pub count_error: Option<f64>,
    /// Share of hashed cells reversed (dictionary attacker); `None` for other attackers.
    pub reversed_share: Option<f64>,
    /// Median error (m) after 1, 2, … questions per target: the chart's curve.
    pub error_curve: Vec<Option<f64>>,
    /// Per-target outcomes.
    pub outcomes: Vec<Outcome>,
    /// The positions of the most recent questions (up to 4 000), for drawing the attack.
    pub recent_queries: Vec<LatLng>,
}

/// The starting point for a target: within 400 m of the home (0.8 of a 500 m radius).
fn hint(home: LatLng, radius_m: f64, rng: &mut ChaCha8Rng) -> LatLng {
    let r = 0.8 * radius_m * libm::sqrt(rng.random::<f64>());
    let a = std::f64::consts::TAU * rng.random::<f64>();
    LocalFrame::new(home).to_latlng(r * libm::cos(a), r * libm::sin(a))
}

/// Located shares within 50 m and 200 m of all `targets`, and the median error over the outcomes
/// that have an estimate.
fn score(outcomes: &[Outcome], targets: usize) -> (f64, f64, Option<f64>) {
    #[allow(clippy::cast_precision_loss)]
    let n = targets.max(1) as f64;
    let errors: Vec<f64> = outcomes.iter().filter_map(|o| o.estimate.map(|e| e.distance_m(o.truth))).collect();
    #[allow(clippy::cast_precision_loss)]
    let share = |limit: f64| errors.iter().filter(|&&e| e <= limit).count() as f64 / n;
    (share(50.0), share(200.0), median(errors))
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 { v[n / 2] } else { f64::midpoint(v[n / 2 - 1], v[n / 2]) })
}

/// An attack in progress, run a batch of targets at a time so a page can show progress.
///
/// It owns only its own progress; the city and the design are lent to each [`LabRun::step`], so
/// a page can keep the run between animation frames.
pub struct LabRun {
    config: LabConfig,
    targets: Vec<u32>,
    next: usize,
    rng: ChaCha8Rng,
    outcomes: Vec<Outcome>,
    histories: Vec<Vec<Option<LatLng>>>,
    queries: u64,
    max_per_target: u32,
    spent_micros: u64,
    count_error: (f64, u32),
    reidentified: u32,
    households_exposed: u32,
    recent_queries: Vec<LatLng>,
}

/// How many of the latest question positions a run keeps for drawing.
const RECENT_QUERIES: usize = 4_000;

impl LabRun {
    /// Prepares an attack on every listed person of the city.
    #[must_use]
    pub fn new(city: &City, config: LabConfig) -> Self {
        Self::on_targets(config, city.listings().iter().map(|l| l.person).collect())
    }

    /// Prepares an attack on some listed people only (for quick parameter sweeps).
    #[must_use]
    pub fn on_targets(config: LabConfig, targets: Vec<u32>) -> Self {
        Self {
            config,
            targets,
            next: 0,
            rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0x00A7_7AC4),
            outcomes: Vec::new(),
            histories: Vec::new(),
            queries: 0,
            max_per_target: 0,
            spent_micros: 0,
            count_error: (0.0, 0),
            reidentified: 0,
            households_exposed: 0,
            recent_queries: Vec::new(),
        }
    }

    fn keep_queries(&mut self, asked: &[LatLng]) {
        self.recent_queries.extend_from_slice(asked);
        let excess = self.recent_queries.len().saturating_sub(RECENT_QUERIES);
        self.recent_queries.drain(..excess);
    }

    /// Share of the work done, 0 to 1.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn progress(&self) -> f64 {
        if self.config.attacker.budget_per_target() {
            if self.targets.is_empty() { 1.0 } else { self.next as f64 / self.targets.len() as f64 }
        } else if self.next > 0 {
            1.0
        } else {
            0.0
        }
    }

    /// Whether every target has been attacked.
    #[must_use]
    pub fn done(&self) -> bool {
        self.progress() >= 1.0
    }

    /// Attacks up to `n` more targets (route attackers do all their work in one step).
    /// `city` and `target` must be the same at every step of a run.
    pub fn step(&mut self, city: &City, target: &Target, n: usize) {
        if self.done() {
            return;
        }
        if !self.config.attacker.budget_per_target() {
            self.route_attack(city, target);
            self.next = self.targets.len().max(1);
            return;
        }
        let end = (self.next + n).min(self.targets.len());
        for i in self.next..end {
            let person = self.targets[i];
            let truth = city.home(person);
            let start = hint(truth, self.config.radius_m, &mut self.rng);
            let noise_seed = self.config.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ u64::from(person);
            let mut probe = Probe::new(city, target, self.config.radius_m, noise_seed);
            let history = match self.config.attacker {
                AttackerKind::Oracle => strategies::oracle_search(&mut probe, person, start, self.config.budget, 1, self.config.radius_m),
                AttackerKind::Averaging => strategies::oracle_search(&mut probe, person, start, self.config.budget, 3, self.config.radius_m),
                _ => strategies::trilaterate(&mut probe, person, start, self.config.budget),
            };
            self.keep_queries(probe.asked());
            self.queries += u64::from(probe.queries());
            self.max_per_target = self.max_per_target.max(probe.queries());
            self.spent_micros += probe.spent_micros();
            let (e, n) = probe.count_error();
            self.count_error.0 += e;
            self.count_error.1 += n;
            let estimate = history.last().copied().flatten();
            if estimate.is_some() && matches!(target, Target::Exposed(_)) {
                // The deployed map showed this person's name and ID number with their handle.
                self.reidentified += 1;
            }
            self.outcomes.push(Outcome { person, estimate, truth });
            self.histories.push(history);
        }
        self.next = end;
    }

    /// The walker and linkage routes.
    fn route_attack(&mut self, city: &City, target: &Target) {
        let mut probe = Probe::new(city, target, self.config.radius_m, self.config.seed ^ 0x5EED);
        probe.remember_sightings();
        let seen = strategies::walk(&mut probe, self.config.budget, self.config.radius_m, &mut self.rng);
        let linked = (self.config.attacker == AttackerKind::Linkage).then(|| {
            let directory = Directory::publish(city, self.config.seed);
            directory.link(&probe, &seen)
        });
        for &person in &self.targets {
            let truth = city.home(person);
            let estimate = match &linked {
                Some(l) => l.homes.get(&person).copied(),
                None => seen.get(&person).map(strategies::Seen::estimate),
            };
            self.outcomes.push(Outcome { person, estimate, truth });
        }
        match &linked {
            Some(l) => {
                self.reidentified = u32::try_from(l.homes.len()).unwrap_or(u32::MAX);
                self.households_exposed = l.household_members;
            }
            None => self.reidentified = u32::try_from(seen.len()).unwrap_or(u32::MAX),
        }
        self.keep_queries(probe.asked());
        self.queries = u64::from(probe.queries());
        self.max_per_target = 0;
        self.spent_micros = probe.spent_micros();
        self.count_error = probe.count_error();
    }

    /// The metrics of what has run so far against `target`.
    #[must_use]
    pub fn metrics(&self, target: &Target) -> Metrics {
        #[allow(clippy::cast_precision_loss)]
        let n = self.targets.len().max(1) as f64;
        let (located_50m, located_200m, median_error_m) = score(&self.outcomes, self.targets.len());
        let longest = self.histories.iter().map(Vec::len).max().unwrap_or(0);
        let error_curve = (0..longest)
            .map(|q| {
                median(
                    self.histories
                        .iter()
                        .zip(&self.outcomes)
                        .filter_map(|(h, o)| h.get(q).or_else(|| h.last()).copied().flatten().map(|e| e.distance_m(o.truth)))
                        .collect(),
                )
            })
            .collect();
        let kind = target.kind();
        #[allow(clippy::cast_precision_loss)]
        Metrics {
            design: kind.slug(),
            attacker: self.config.attacker.slug(),
            targets: u32::try_from(self.targets.len()).unwrap_or(u32::MAX),
            located_50m,
            located_200m,
            median_error_m,
            reidentified_share: f64::from(self.reidentified) / n,
            households_exposed: self.households_exposed,
            queries_used: self.queries,
            max_queries_per_target: self.max_per_target,
            epsilon_spent: self.spent_micros as f64 / 1e6,
            count_error: if matches!(target, Target::Exposed(_)) {
                Some(0.0)
            } else {
                (self.count_error.1 > 0).then(|| self.count_error.0 / f64::from(self.count_error.1))
            },
            reversed_share: None,
            error_curve,
            outcomes: self.outcomes.clone(),
            recent_queries: self.recent_queries.clone(),
        }
    }
}

/// Runs an attack to the end and returns its metrics.
#[must_use]
pub fn run_lab(city: &City, config: &LabConfig, target: &Target) -> Metrics {
    let mut run = LabRun::new(city, *config);
    while !run.done() {
        run.step(city, target, usize::MAX);
    }
    run.metrics(target)
}

/// The dictionary attack on the private proximity test's cell tokens: hash every H3 cell of the
/// city without the key and look the debtors' tokens up.
#[must_use]
pub fn dictionary_attack(city: &City, hash: CellHash, key_seed: u64) -> Metrics {
    let psi = PrivateProximity::new(hash, key_seed);
    let result = strategies::reverse_tokens(city, &psi);
    let targets = city.listings().len();
    let (located_50m, located_200m, median_error_m) = score(&result.outcomes, targets);
    let reversed = result.outcomes.iter().filter(|o| o.estimate.is_some()).count();
    #[allow(clippy::cast_precision_loss)]
    Metrics {
        design: "psi",
        attacker: AttackerKind::Dictionary.slug(),
        targets: u32::try_from(targets).unwrap_or(u32::MAX),
        located_50m,
        located_200m,
        median_error_m,
        reidentified_share: 0.0,
        households_exposed: 0,
        queries_used: 0,
        max_queries_per_target: 0,
        epsilon_spent: 0.0,
        count_error: None,
        reversed_share: Some(reversed as f64 / targets.max(1) as f64),
        error_curve: Vec::new(),
        outcomes: result.outcomes,
        recent_queries: Vec::new(),
    }
}

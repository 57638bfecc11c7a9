//! The attack lab: attackers that see only a design's answers, and a scorer that compares what
//! they concluded with the truth.
//!
//! **Architecture invariant:** an attacker gets [`Reply`] values from a [`Probe`] and, for the
//! linkage attacker, a synthetic public [`Directory`]; it never reads the city. The scenario gives
//! each target-centred attacker a starting point within 400 m of its target's home (as a first
//! sighting on the deployed map would) and the target's handle; the scorer alone compares
//! estimates with true homes.
//!
//! Each target gets a fresh [`Probe`], and an attacker may open as many new sessions as it likes
//! (a new account, a reload, another process): nothing in the interface stops it. Every figure
//! stands beside two reference lines from the same run: the start point alone (no question
//! asked) and the ideal (every listed home near the start known exactly).
//!
//! ```
//! use within500_engine::{run_lab, AttackerKind, City, CityConfig, LabConfig, AttackedDesign, Fidelity};
//! let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
//! let config = LabConfig { attacker: AttackerKind::Oracle, budget: 40, radius_m: 500.0, seed: 7, targets: 0 };
//! let m = run_lab(&city, &config, &AttackedDesign::Exposed(Fidelity::Reported));
//! assert!(m.located_50m > 0.9);
//! # Ok::<(), within500_engine::ConfigError>(())
//! ```

mod attacked;
mod probe;
#[cfg(feature = "proximity-lab")]
mod proximity;
mod reconstruct;
mod replicate;
mod strategies;

pub use probe::{AttackedDesign, CellReply, Displayed, Probe, Reply, Sighting};
#[cfg(feature = "proximity-lab")]
pub use proximity::{proximity_attack, COURT_FULL_EVALUATIONS};
pub use reconstruct::{DensityMap, REGION_M};
pub use replicate::{replications, AveragedBlur, Replications, LOCATION_GUARD_MEDIUM};
pub(crate) use strategies::city_cells;
pub use strategies::Directory;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::city::City;
use crate::designs::{Aggregate, DesignKind};
use crate::geo::{LatLng, LocalFrame};

/// The attackers; each one's slug (command line, URLs) is its name in kebab case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::VariantArray, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "kebab-case")]
pub enum AttackerKind {
    /// Walks a route, asking as it goes, and records every answer.
    Walker,
    /// Estimates homes from distances at several positions.
    Trilateration,
    /// Moves the query point to shrink the region that holds the target (after Polakis et al.).
    Oracle,
    /// Repeats questions to average noise away.
    Averaging,
    /// Reverses captured tokens of the proximity test by hashing every cell of the city.
    Dictionary,
    /// A creditor with a valid credential states chosen cells instead of their neighbourhood,
    /// under the proximity test's daily limit, to pin the debtor's cell.
    Spoof,
    /// The court tries to learn the creditor's cell from the proximity test's messages.
    Court,
    /// Joins what was released with a public directory; finds household members.
    Linkage,
    /// Rebuilds every listed home near the start from counts over many circles (after Dinur and
    /// Nissim), averaging fresh noise over as many sessions as it takes.
    Reconstruct,
    /// Small circles: one 50 m circle per grid point over the region, each asked once.
    Scan,
    /// Calibrates a session's noise once where nobody lives, then subtracts it in new sessions.
    Replay,
    /// The most likely home given what is public (start, density map) and any released cells.
    Bayes,
    /// Differences the aggregate table with the same table at the parent resolution: a parent's
    /// count minus its shown children reveals the suppressed ones.
    ReleaseDiff,
}

impl AttackerKind {
    /// Every attacker.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// The name used on the command line and in URLs.
    #[must_use]
    pub fn slug(self) -> &'static str {
        self.into()
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    /// Whether the budget counts questions per target (else in total, for a route).
    #[must_use]
    pub fn budget_per_target(self) -> bool {
        !matches!(self, Self::Walker | Self::Linkage | Self::Dictionary | Self::Court | Self::ReleaseDiff)
    }

    /// The budget an attacker gets unless told otherwise: questions per target, or in total for
    /// the routes.
    #[must_use]
    pub fn default_budget(self) -> u32 {
        match self {
            Self::Reconstruct => 30_000,
            Self::Replay => 2_000,
            Self::Scan => 200,
            Self::Walker | Self::Linkage => 400,
            Self::ReleaseDiff => 2,
            // Tests per target: 30 simulated days at the daily limit.
            Self::Spoof => 30 * crate::designs::TESTS_PER_DAY,
            Self::Dictionary | Self::Court => 1,
            _ => 40,
        }
    }

    /// Whether the attacker applies to a design: the one table the CLI and the app read.
    /// The dictionary, spoofing and court attackers work on the proximity test's messages and
    /// nothing else; the proximity test answers one creditor about one debtor of their own case,
    /// so no other attacker applies to it; replay needs a design with sessions whose noise could
    /// repeat.
    ///
    /// # Errors
    /// Why the attacker does not apply to the design.
    pub fn applies_to(self, design: DesignKind) -> Result<(), NotApplicable> {
        match (self, design) {
            (Self::Dictionary | Self::Spoof | Self::Court, DesignKind::PrivateProximity)
            | (Self::Replay, DesignKind::DpSession)
            | (Self::ReleaseDiff, DesignKind::Aggregate) => Ok(()),
            (Self::Dictionary | Self::Spoof | Self::Court, _) => Err(NotApplicable::NeedsProximity),
            (_, DesignKind::PrivateProximity) => Err(NotApplicable::OnlyProximityAttackers),
            (Self::Replay, _) => Err(NotApplicable::NoSessionNoise),
            (Self::ReleaseDiff, _) => Err(NotApplicable::NeedsAggregate),
            _ => Ok(()),
        }
    }
}

/// Why an attacker does not apply to a design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotApplicable {
    /// The dictionary, spoofing and court attackers need the private proximity test's messages.
    NeedsProximity,
    /// The proximity test answers one creditor: only the dictionary, spoofing and court
    /// attackers apply.
    OnlyProximityAttackers,
    /// Replay needs noise drawn per session (the per-question DP count).
    NoSessionNoise,
    /// Differencing releases needs the aggregate table.
    NeedsAggregate,
    /// The proximity test's attackers are not in this build (the page's; its lab worker has
    /// them).
    NeedsProximityLab,
}

/// How an attack runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
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
    /// Listed people attacked: a sample of this many spread over the listings, or every one
    /// for 0.
    pub targets: u32,
}

/// One target's outcome, for drawing estimates against the truth.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TargetEstimate {
    /// The listed person.
    pub person: u32,
    /// The attacker's final estimate of their home, if any.
    pub estimate: Option<LatLng>,
    /// The true home (from the scorer, never given to the attacker).
    pub truth: LatLng,
}

/// What an attack achieved against one design, beside the two reference lines of the same run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// The design attacked.
    pub design: DesignKind,
    /// The attacker.
    pub attacker: AttackerKind,
    /// Listed people attacked (the targets).
    pub targets: u32,
    /// Share of targets whose home was estimated within 50 m.
    pub located_50m: f64,
    /// Share within 200 m.
    pub located_200m: f64,
    /// Median error in metres over the targets with an estimate; `None` if nobody has one.
    pub median_error_m: Option<f64>,
    /// Reference line, no question asked: what the start point and the public density map give
    /// (the most populous H3 cell within 400 m of the start), within 50 m.
    pub baseline_located_50m: f64,
    /// Reference line: the no-question estimate's median error.
    pub baseline_median_error_m: Option<f64>,
    /// Reference line: every listed home near the start known exactly (the one nearest the start
    /// taken as the target's), within 50 m.
    pub ideal_located_50m: f64,
    /// Reference line: the ideal's median error.
    pub ideal_median_error_m: Option<f64>,
    /// Share of the listed homes within 400 m of the targets' start points that the attacker's
    /// estimated homes rebuild within 1 m (one-to-one matching; divided by the larger of the
    /// true and the estimated number, so guessing many homes does not pay).
    pub homes_recovered_1m: f64,
    /// The same within 10 m.
    pub homes_recovered_10m: f64,
    /// The same within 50 m.
    pub homes_recovered_50m: f64,
    /// Share of listed people whose name and ID number the attacker obtained and tied to a home.
    pub reidentified_share: f64,
    /// Share of targets whose building the attacker identified: the estimate lies on the
    /// building's footprint (within [`BUILDING_MARGIN_M`]), or the deployed map displayed the
    /// building in the target's partial address.
    pub building_identified: f64,
    /// Share of targets whose flat the attacker identified: the building, and the public
    /// directory lists exactly one flat for the target's name there, theirs.
    pub flat_identified: f64,
    /// Reference line, no question asked: the no-question estimate's building share.
    pub baseline_building_identified: f64,
    /// Reference line, no question asked: the flat share.
    pub baseline_flat_identified: f64,
    /// Reference line: the ideal estimate's building share.
    pub ideal_building_identified: f64,
    /// Other household members exposed through exposed addresses.
    pub households_exposed: u32,
    /// Questions asked in total.
    pub queries_used: u64,
    /// Most questions asked about one target (target-centred attackers).
    pub max_queries_per_target: u32,
    /// Sessions opened in total (a new account, a reload, another process).
    pub sessions_used: u64,
    /// Simulated days the questions took (the blurred design gives one fake position per
    /// 30-minute window, so waiting is its cost).
    pub days_used: f64,
    /// ε spent in total (per-question DP count).
    pub epsilon_spent: f64,
    /// Total ε per person: the release's stated ε, or (per-question design) the median over the
    /// targets of the ε spent by questions whose circle contained their home; `None` where the
    /// design has no ε.
    pub epsilon_per_person: Option<f64>,
    /// The legitimate user's mean absolute error of the count; `None` where the design gives no
    /// count (the deployed list is exact: 0).
    pub count_error: Option<f64>,
    /// Share of targets whose captured proximity-test messages reveal a cell (dictionary
    /// attacker); `None` for other attackers.
    pub reversed_share: Option<f64>,
    /// Share of targets whose debtor's resolution-9 home cell a spoofing creditor pinned within
    /// the budget (spoof attacker); `None` for other attackers.
    #[serde(default)]
    pub cell_pinned_share: Option<f64>,
    /// Reference line, no question asked: the density map's guess from the start lies in the
    /// home's cell (spoof attacker).
    #[serde(default)]
    pub baseline_cell_pinned_share: Option<f64>,
    /// Median simulated days to pin the cell, over the targets pinned (spoof attacker).
    #[serde(default)]
    pub days_to_pin_median: Option<f64>,
    /// The same with no start point: the debtor's cell found by trying the city's cells most
    /// populous first, seven a test at the daily limit (spoof attacker; counted from the cell's
    /// rank, not run).
    #[serde(default)]
    pub days_to_pin_no_hint_median: Option<f64>,
    /// The proximity test's limit of tests per case and day (proximity attackers).
    #[serde(default)]
    pub tests_per_day: Option<u32>,
    /// Share of tests after which the court names the creditor's cell (court attacker).
    #[serde(default)]
    pub court_learns_cell_share: Option<f64>,
    /// Reference line, no message read: the court's guess that the creditor stands in the
    /// debtor's own cell (court attacker).
    #[serde(default)]
    pub baseline_court_learns_cell_share: Option<f64>,
    /// Share of the cells that k protects (1 to k − 1 listed people) whose exact count
    /// differencing two releases reveals (release-diff attacker); `None` for other attackers.
    pub suppressed_revealed: Option<f64>,
    /// Questions per target at which [`Metrics::error_curve`] is given.
    pub curve_at: Vec<u32>,
    /// Median error (m) after `curve_at[i]` questions per target: the chart's curve.
    pub error_curve: Vec<Option<f64>>,
    /// Per-target outcomes.
    pub outcomes: Vec<TargetEstimate>,
    /// The positions of the most recent questions (up to 4 000), for drawing the attack.
    pub recent_queries: Vec<LatLng>,
}

/// The starting point for a target: within [`REGION_M`] (400 m) of the home, as a first
/// sighting on the deployed map would give.
fn hint(home: LatLng, rng: &mut ChaCha8Rng) -> LatLng {
    let r = REGION_M * libm::sqrt(rng.random::<f64>());
    let a = std::f64::consts::TAU * rng.random::<f64>();
    LocalFrame::new(home).to_latlng(r * libm::cos(a), r * libm::sin(a))
}

/// Margin around a building's footprint within which an estimate identifies the building.
pub const BUILDING_MARGIN_M: f64 = 5.0;

/// Buildings and flats identified, for one line of a run (the attack or a reference line).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Identified {
    building: u32,
    flat: u32,
}

/// A building, (compound, building), with the directory's records in it.
type BuildingRecords = ((u16, u8), Vec<strategies::Record>);

/// The directory's flat for one target, once it is asked for.
type Flat = std::cell::OnceCell<Option<(u8, u8, u8)>>;

/// The directory's records of the buildings scored last, for [`Directory::flat_for`] without
/// reading a building's residents again for each of its targets (targets come in the order of
/// the listings, by home cell, so a building's targets come close together).
#[derive(Default)]
struct RecentBuildings {
    /// (compound, building) and the records, the latest last.
    kept: std::cell::RefCell<Vec<BuildingRecords>>,
}

impl RecentBuildings {
    const KEPT: usize = 16;

    /// The flat the directory of `seed` gives for a listed person, as [`Directory::flat_for`].
    fn flat_for(&self, city: &City, seed: u64, person: u32) -> Option<(u8, u8, u8)> {
        let own = city.households()[city.household_of(person) as usize].address;
        let name = city.name(person)?.zh;
        let key = (own.compound, own.building);
        let mut kept = self.kept.borrow_mut();
        let i = kept.iter().position(|k| k.0 == key).unwrap_or_else(|| {
            if kept.len() == Self::KEPT {
                kept.remove(0);
            }
            kept.push((key, Directory::building_records(city, seed, key.0, key.1)));
            kept.len() - 1
        });
        Directory::flat_in(&kept[i].1, &name)
    }
}

impl Identified {
    /// Scores one estimate of a target's home with the city (the scorer's view): the building,
    /// from the position (or from the partial address the deployed map displayed, when
    /// `building_shown`), and the flat, from the building and the public directory of `seed`.
    #[cfg(feature = "proximity-lab")]
    fn add(&mut self, city: &City, seed: u64, person: u32, estimate: Option<LatLng>, building_shown: bool) {
        self.add_with(city, person, estimate, building_shown, || Directory::flat_for(city, seed, person));
    }

    /// [`Identified::add`] with the directory's answer for the target from `flat` (asked only
    /// when the building is identified).
    fn add_with(
        &mut self,
        city: &City,
        person: u32,
        estimate: Option<LatLng>,
        building_shown: bool,
        flat: impl FnOnce() -> Option<(u8, u8, u8)>,
    ) {
        let a = city.households()[city.household_of(person) as usize].address;
        let by_position = estimate.is_some_and(|e| {
            let (x, y) = LocalFrame::new(crate::geo::CITY_CENTRE).to_local(e);
            city.plan().layout().building_at(x, y, BUILDING_MARGIN_M).is_some_and(|b| (b.block, b.number) == (a.compound, a.building))
        });
        if building_shown || by_position {
            self.building += 1;
            if flat() == Some((a.unit, a.floor, a.room)) {
                self.flat += 1;
            }
        }
    }

    /// Both as shares of `n` targets.
    fn shares(self, n: f64) -> (f64, f64) {
        (f64::from(self.building) / n, f64::from(self.flat) / n)
    }
}

/// Buildings and flats identified over a list of estimates (no partial address shown).
#[cfg(feature = "proximity-lab")]
pub(crate) fn identified_shares(city: &City, seed: u64, outcomes: &[TargetEstimate], n: usize) -> (f64, f64) {
    let mut found = Identified::default();
    for o in outcomes {
        found.add(city, seed, o.person, o.estimate, false);
    }
    #[allow(clippy::cast_precision_loss)]
    found.shares(n.max(1) as f64)
}

/// Located shares within 50 m and 200 m of all `targets`, and the median error over the outcomes
/// that have an estimate.
fn score(outcomes: &[TargetEstimate], targets: usize) -> (f64, f64, Option<f64>) {
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
    // The middle element by selection (linear time; reports on every target of a large city
    // take several medians), and for an even count the largest below it.
    let n = v.len();
    let (below, &mut mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    Some(if n % 2 == 1 { mid } else { f64::midpoint(below.iter().copied().max_by(f64::total_cmp).unwrap_or(mid), mid) })
}

/// One-to-one matches within `limit` metres between true and estimated homes (closest pairs
/// first).
fn matches_within(pairs: &[(f64, usize, usize)], sizes: (usize, usize), limit: f64) -> u32 {
    let (mut used_t, mut used_e) = (vec![false; sizes.0], vec![false; sizes.1]);
    let mut n = 0;
    for &(_, i, j) in pairs.iter().filter(|p| p.0 <= limit) {
        if !used_t[i] && !used_e[j] {
            used_t[i] = true;
            used_e[j] = true;
            n += 1;
        }
    }
    n
}

/// Every (distance, truth, estimate) pair within `limit`, nearest first (ties in input order).
fn pairs_within(truth: &[LatLng], estimates: &[LatLng], limit: f64) -> Vec<(f64, usize, usize)> {
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    for (i, t) in truth.iter().enumerate() {
        for (j, e) in estimates.iter().enumerate() {
            let d = t.distance_m(*e);
            if d <= limit {
                pairs.push((d, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    pairs
}

/// Set-level tallies: matched homes within 1, 10 and 50 m, and the divisor.
#[derive(Debug, Clone, Copy, Default)]
struct SetScore {
    matched: [u32; 3],
    divisor: u32,
}

impl SetScore {
    fn add(&mut self, truth: &[LatLng], estimates: &[LatLng]) {
        // The pairs within the widest limit, worked out once for the three.
        let pairs = pairs_within(truth, estimates, 50.0);
        for (k, limit) in [1.0, 10.0, 50.0].into_iter().enumerate() {
            self.matched[k] += matches_within(&pairs, (truth.len(), estimates.len()), limit);
        }
        self.divisor += u32::try_from(truth.len().max(estimates.len())).unwrap_or(u32::MAX);
    }

    fn share(&self, k: usize) -> f64 {
        if self.divisor == 0 {
            0.0
        } else {
            f64::from(self.matched[k]) / f64::from(self.divisor)
        }
    }
}

/// The questions-per-target axis of the error curve: every count up to 40, then steps of
/// about 1.5 times up to the longest attack.
fn curve_axis(longest: u32) -> Vec<u32> {
    let mut xs: Vec<u32> = (1..=longest.min(40)).collect();
    let mut x = 40.0f64;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // x is positive and below 2^32 here
    while (x as u32) < longest {
        x *= 1.5;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        xs.push((x as u32).min(longest));
    }
    xs
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
    density: Option<DensityMap>,
    outcomes: Vec<TargetEstimate>,
    baseline: Vec<TargetEstimate>,
    ideal: Vec<TargetEstimate>,
    /// Per target, its estimate's error (m) after each number of questions: worked out once, as
    /// each target ends, for the error curve of every report.
    histories: Vec<Vec<(u32, Option<f64>)>>,
    set_score: SetScore,
    queries: u64,
    max_per_target: u32,
    sessions: u64,
    elapsed_s: u64,
    spent_micros: u64,
    epsilon_on_targets: Vec<f64>,
    count_error: (f64, u32),
    reidentified: u32,
    /// Buildings and flats identified: by the attack, with no question, by the ideal.
    identified: [Identified; 3],
    households_exposed: u32,
    recent_queries: std::collections::VecDeque<LatLng>,
    suppressed_revealed: Option<f64>,
    buildings: RecentBuildings,
}

/// How many of the latest question positions a run keeps for drawing.
const RECENT_QUERIES: usize = 4_000;

impl LabRun {
    /// Prepares an attack on the listed people the configuration names ([`LabConfig::targets`]:
    /// a sample, or every one).
    #[must_use]
    pub fn new(city: &City, config: LabConfig) -> Self {
        Self::on_targets(config, sample_targets(city, config.targets as usize))
    }

    /// Prepares an attack on some listed people only.
    #[must_use]
    pub fn on_targets(config: LabConfig, targets: Vec<u32>) -> Self {
        Self {
            config,
            targets,
            next: 0,
            rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0x00A7_7AC4),
            density: None,
            outcomes: Vec::new(),
            baseline: Vec::new(),
            ideal: Vec::new(),
            histories: Vec::new(),
            set_score: SetScore::default(),
            queries: 0,
            max_per_target: 0,
            sessions: 0,
            elapsed_s: 0,
            spent_micros: 0,
            epsilon_on_targets: Vec::new(),
            count_error: (0.0, 0),
            reidentified: 0,
            identified: [Identified::default(); 3],
            households_exposed: 0,
            recent_queries: std::collections::VecDeque::new(),
            suppressed_revealed: None,
            buildings: RecentBuildings::default(),
        }
    }

    fn keep_queries(&mut self, asked: &[LatLng]) {
        // A ring: the oldest go from the front without moving the rest.
        self.recent_queries.extend(asked.iter().copied());
        let excess = self.recent_queries.len().saturating_sub(RECENT_QUERIES);
        self.recent_queries.drain(..excess);
    }

    /// Share of the work done, 0 to 1.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn progress(&self) -> f64 {
        if self.config.attacker.budget_per_target() {
            if self.targets.is_empty() {
                1.0
            } else {
                self.next as f64 / self.targets.len() as f64
            }
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

    /// The reference lines for one target: what is known before any question (the start point
    /// and the public density map: the most populous cell near the start), and the true listed
    /// home nearest the start; returns the true listed homes of the region for set-level scoring.
    fn references(&mut self, city: &City, density: &DensityMap, person: u32, start: LatLng, flat: &Flat) -> Vec<LatLng> {
        let truth = city.home(person);
        let region: Vec<LatLng> = city.listed_homes_within(start, REGION_M).into_iter().map(|(_, home)| home).collect();
        let (baseline, ideal) = (Some(reconstruct::prior_estimate(density, start)), reconstruct::nearest(&region, start));
        let (buildings, seed) = (&self.buildings, self.config.seed);
        let directory = || *flat.get_or_init(|| buildings.flat_for(city, seed, person));
        self.identified[1].add_with(city, person, baseline, false, directory);
        self.identified[2].add_with(city, person, ideal, false, directory);
        self.baseline.push(TargetEstimate { person, estimate: baseline, truth });
        self.ideal.push(TargetEstimate { person, estimate: ideal, truth });
        region
    }

    /// Attacks up to `n` more targets (route attackers do all their work in one step).
    /// `city` and `target` must be the same at every step of a run.
    pub fn step(&mut self, city: &City, target: &AttackedDesign, n: usize) {
        if self.done() {
            return;
        }
        if !self.config.attacker.budget_per_target() {
            self.route_attack(city, target);
            self.next = self.targets.len().max(1);
            return;
        }
        let density = self.density.take().unwrap_or_else(|| DensityMap::publish(city));
        let end = self.next.saturating_add(n).min(self.targets.len());
        for i in self.next..end {
            let person = self.targets[i];
            let truth = city.home(person);
            let start = hint(truth, &mut self.rng);
            // The directory's flat for the target, worked out once (if a building is identified)
            // for its three estimates.
            let flat = Flat::new();
            let region = self.references(city, &density, person, start, &flat);
            let operator_seed = self.config.seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ u64::from(person);
            let mut probe = Probe::new(city, target, self.config.radius_m, operator_seed);
            let budget = self.config.budget;
            let as_checkpoints = |h: Vec<Option<LatLng>>| {
                h.into_iter().enumerate().map(|(i, e)| (u32::try_from(i + 1).unwrap_or(u32::MAX), e)).collect::<Vec<_>>()
            };
            let (history, homes) = match self.config.attacker {
                AttackerKind::Oracle => {
                    (as_checkpoints(strategies::oracle_search(&mut probe, person, start, budget, 1, self.config.radius_m)), None)
                }
                AttackerKind::Averaging => {
                    (as_checkpoints(strategies::oracle_search(&mut probe, person, start, budget, 3, self.config.radius_m)), None)
                }
                AttackerKind::Trilateration => (as_checkpoints(strategies::trilaterate(&mut probe, person, start, budget)), None),
                AttackerKind::Reconstruct => split(reconstruct::reconstruct(&mut probe, start, budget, &density)),
                AttackerKind::Scan => split(reconstruct::scan(&mut probe, start, budget, &density)),
                AttackerKind::Replay => split(reconstruct::replay(&mut probe, start, budget)),
                AttackerKind::Bayes => split(reconstruct::bayes(&mut probe, start, &density)),
                AttackerKind::Walker
                | AttackerKind::Linkage
                | AttackerKind::Dictionary
                | AttackerKind::Spoof
                | AttackerKind::Court
                | AttackerKind::ReleaseDiff => {
                    unreachable!("route attackers, the proximity attackers and release-diff run whole")
                }
            };
            let estimate = history.last().and_then(|h| h.1);
            let homes: Vec<LatLng> = homes.unwrap_or_else(|| estimate.into_iter().collect());
            let in_region: Vec<LatLng> = homes.into_iter().filter(|h| h.distance_m(start) <= REGION_M).collect();
            self.set_score.add(&region, &in_region);
            self.keep_queries(probe.asked());
            self.queries += u64::from(probe.queries());
            self.max_per_target = self.max_per_target.max(probe.queries());
            self.sessions += u64::from(probe.sessions());
            self.elapsed_s += probe.elapsed_s();
            self.spent_micros += probe.spent_micros();
            self.epsilon_on_targets.push(probe.epsilon_on(truth));
            let (e, n) = probe.count_error();
            self.count_error.0 += e;
            self.count_error.1 += n;
            let shown = estimate.is_some() && matches!(target, AttackedDesign::Exposed(_)) && self.config.attacker != AttackerKind::Bayes;
            if shown {
                // The deployed map showed this person's name and ID number with their handle.
                self.reidentified += 1;
            }
            self.identified[0]
                .add_with(city, person, estimate, shown, || *flat.get_or_init(|| self.buildings.flat_for(city, self.config.seed, person)));
            self.outcomes.push(TargetEstimate { person, estimate, truth });
            self.histories.push(history.into_iter().map(|(q, e)| (q, e.map(|e| e.distance_m(truth)))).collect());
        }
        self.density = Some(density);
        self.next = end;
    }

    /// The walker and linkage routes.
    fn route_attack(&mut self, city: &City, target: &AttackedDesign) {
        if self.config.attacker == AttackerKind::ReleaseDiff {
            if let AttackedDesign::Aggregate(table) = target {
                self.release_diff(city, table);
            }
            return;
        }
        let mut probe = Probe::new(city, target, self.config.radius_m, self.config.seed ^ 0x5EED);
        probe.remember_sightings();
        let seen = strategies::walk(&mut probe, self.config.budget, &mut self.rng);
        let linked = (self.config.attacker == AttackerKind::Linkage).then(|| {
            let directory = Directory::publish(city, self.config.seed);
            directory.link(&probe, &seen)
        });
        let density = DensityMap::publish(city);
        let all: Vec<LatLng> = match &linked {
            Some(l) => l.homes.values().copied().collect(),
            None => seen.values().map(strategies::Seen::estimate).collect(),
        };
        for &person in &self.targets.clone() {
            let truth = city.home(person);
            let start = hint(truth, &mut self.rng);
            // The directory's flat for the target, worked out once (if a building is identified)
            // for its three estimates.
            let flat = Flat::new();
            let region = self.references(city, &density, person, start, &flat);
            let estimate = match &linked {
                Some(l) => l.homes.get(&person).copied(),
                None => seen.get(&person).map(strategies::Seen::estimate),
            };
            let near: Vec<LatLng> = all.iter().copied().filter(|h| h.distance_m(start) <= REGION_M).collect();
            self.set_score.add(&region, &near);
            // The walker saw the person on the deployed map, which displayed their building (the
            // linkage attacker walks the same way, so it has every sighting too, linked or not).
            let shown = seen.contains_key(&person) && matches!(target, AttackedDesign::Exposed(_));
            self.identified[0]
                .add_with(city, person, estimate, shown, || *flat.get_or_init(|| self.buildings.flat_for(city, self.config.seed, person)));
            self.outcomes.push(TargetEstimate { person, estimate, truth });
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
        self.sessions = u64::from(probe.sessions());
        self.elapsed_s = probe.elapsed_s();
        self.spent_micros = probe.spent_micros();
        self.count_error = probe.count_error();
    }

    /// The metrics of what has run so far against `target`.
    #[must_use]
    pub fn metrics(&self, target: &AttackedDesign) -> Metrics {
        #[allow(clippy::cast_precision_loss)]
        let n = self.targets.len().max(1) as f64;
        let done = self.outcomes.len();
        let (located_50m, located_200m, median_error_m) = score(&self.outcomes, done);
        let (baseline_located_50m, _, baseline_median_error_m) = score(&self.baseline, done);
        let (ideal_located_50m, _, ideal_median_error_m) = score(&self.ideal, done);
        let longest = self.histories.iter().filter_map(|h| h.last().map(|e| e.0)).max().unwrap_or(0);
        let curve_at = curve_axis(longest);
        let error_curve = curve_at
            .iter()
            .map(|&x| {
                median(
                    self.histories
                        .iter()
                        .filter_map(|h| {
                            let i = h.partition_point(|e| e.0 <= x);
                            if i == 0 {
                                None
                            } else {
                                h[i - 1].1
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        let kind = target.kind();
        let epsilon_per_person = match target {
            AttackedDesign::DpRelease(_) => target.epsilon_per_person(),
            AttackedDesign::DpSession { .. } => median(self.epsilon_on_targets.clone()),
            _ => None,
        };
        #[allow(clippy::cast_precision_loss)]
        Metrics {
            design: kind,
            attacker: self.config.attacker,
            targets: u32::try_from(self.targets.len()).unwrap_or(u32::MAX),
            located_50m,
            located_200m,
            median_error_m,
            baseline_located_50m,
            baseline_median_error_m,
            ideal_located_50m,
            ideal_median_error_m,
            homes_recovered_1m: self.set_score.share(0),
            homes_recovered_10m: self.set_score.share(1),
            homes_recovered_50m: self.set_score.share(2),
            reidentified_share: f64::from(self.reidentified) / n,
            building_identified: self.identified[0].shares(n).0,
            flat_identified: self.identified[0].shares(n).1,
            baseline_building_identified: self.identified[1].shares(n).0,
            baseline_flat_identified: self.identified[1].shares(n).1,
            ideal_building_identified: self.identified[2].shares(n).0,
            households_exposed: self.households_exposed,
            queries_used: self.queries,
            max_queries_per_target: self.max_per_target,
            sessions_used: self.sessions,
            days_used: self.elapsed_s as f64 / 86_400.0,
            epsilon_spent: self.spent_micros as f64 / 1e6,
            epsilon_per_person,
            count_error: if matches!(target, AttackedDesign::Exposed(_)) {
                Some(0.0)
            } else {
                (self.count_error.1 > 0).then(|| self.count_error.0 / f64::from(self.count_error.1))
            },
            reversed_share: None,
            suppressed_revealed: self.suppressed_revealed,
            cell_pinned_share: None,
            baseline_cell_pinned_share: None,
            days_to_pin_median: None,
            days_to_pin_no_hint_median: None,
            tests_per_day: None,
            court_learns_cell_share: None,
            baseline_court_learns_cell_share: None,
            curve_at,
            error_curve,
            outcomes: self.outcomes.clone(),
            recent_queries: self.recent_queries.iter().copied().collect(),
        }
    }
}

impl LabRun {
    /// The differencing attack: the operator also publishes the same table at the two coarser
    /// resolutions (as district totals would be). The attacker knows every shown count, that a
    /// suppressed one lies between 0 and k − 1, and that a cell holds the sum of its children,
    /// and propagates: a parent minus its known children leaves the unknown ones' sum, which
    /// settles them when one is unknown, when it is 0, or when it is k − 1 for each; a parent
    /// whose children are all known becomes known. Repeated until nothing changes.
    fn release_diff(&mut self, city: &City, table: &Aggregate) {
        let fine = table.resolution();
        let levels: Vec<h3o::Resolution> =
            [fine.pred().and_then(h3o::Resolution::pred), fine.pred(), Some(fine)].into_iter().flatten().collect();
        // The releases, published by the operator: consistent totals of the same counts (the
        // attacker reads only the tables).
        let releases: Vec<Aggregate> = levels.iter().map(|&r| if r == fine { table.clone() } else { table.coarsened(r) }).collect();
        let mut known: rustc_hash::FxHashMap<u64, u32> = rustc_hash::FxHashMap::default();
        let mut cells_at: Vec<Vec<u64>> = Vec::new();
        for (release, &res) in releases.iter().zip(&levels) {
            let cells = city_cells(res);
            for &c in &cells {
                if let Some(n) = release.published(c) {
                    known.insert(c, n);
                }
            }
            cells_at.push(cells);
        }
        let top = table.k().saturating_sub(1);
        for _ in 0..16 {
            let mut changed = false;
            for (level, &child_res) in levels.iter().enumerate().skip(1) {
                for &parent in &cells_at[level - 1] {
                    let Ok(p) = h3o::CellIndex::try_from(parent) else { continue };
                    let children: Vec<u64> = p.children(child_res).map(u64::from).collect();
                    let unknown: Vec<u64> = children.iter().copied().filter(|c| !known.contains_key(c)).collect();
                    let sum: u32 = children.iter().filter_map(|c| known.get(c)).sum();
                    match known.get(&parent).copied() {
                        Some(total) if !unknown.is_empty() => {
                            let rest = total.saturating_sub(sum);
                            let settled = if unknown.len() == 1 {
                                Some(rest)
                            } else if rest == 0 {
                                Some(0)
                            } else if u64::from(rest) == u64::from(top) * unknown.len() as u64 {
                                Some(top)
                            } else {
                                None
                            };
                            if let Some(v) = settled {
                                for c in unknown {
                                    known.insert(c, v);
                                }
                                changed = true;
                            }
                        }
                        None if unknown.is_empty() => {
                            known.insert(parent, sum);
                            changed = true;
                        }
                        _ => {}
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let revealed: rustc_hash::FxHashMap<u64, u32> =
            cells_at.last().map(|cells| cells.iter().filter_map(|c| known.get(c).map(|&n| (*c, n))).collect()).unwrap_or_default();
        // The truth, for the scorer only: the cells k protects.
        let truth = Aggregate::new(city, 1, table.resolution());
        let protected: Vec<u64> =
            city_cells(table.resolution()).into_iter().filter(|&c| truth.published(c).is_some_and(|n| n < table.k())).collect();
        let exposed = protected.iter().filter(|c| revealed.get(c).copied() == truth.published(**c)).count();
        #[allow(clippy::cast_precision_loss)]
        let share = exposed as f64 / protected.len().max(1) as f64;
        self.suppressed_revealed = Some(share);
        let density = DensityMap::publish(city);
        for &person in &self.targets.clone() {
            let home = city.home(person);
            let start = hint(home, &mut self.rng);
            // The directory's flat for the target, worked out once (if a building is identified)
            // for its three estimates.
            let flat = Flat::new();
            let region = self.references(city, &density, person, start, &flat);
            // From the start alone: the cell with the most listed people known, among those whose
            // centre is within the region (nearest first on ties); its centre.
            let estimate = revealed
                .iter()
                .filter(|&(_, &n)| n > 0)
                .map(|(&c, &n)| (c, n, crate::index::cell_centre(c).distance_m(start)))
                .filter(|&(_, _, d)| d <= REGION_M)
                .max_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(b.0.cmp(&a.0)))
                .map(|(c, _, _)| crate::index::cell_centre(c));
            self.set_score.add(&region, &estimate.into_iter().collect::<Vec<_>>());
            self.identified[0]
                .add_with(city, person, estimate, false, || *flat.get_or_init(|| self.buildings.flat_for(city, self.config.seed, person)));
            self.outcomes.push(TargetEstimate { person, estimate, truth: home });
        }
        self.queries = 2;
        self.sessions = 1;
    }
}

/// An attack's estimates after each question (questions so far, estimate), and the homes it rebuilt.
type History = (Vec<(u32, Option<LatLng>)>, Option<Vec<LatLng>>);

fn split(r: reconstruct::Rebuilt) -> History {
    (r.history, Some(r.homes))
}

/// A sample of `n` listed people spread over the listings (every `listed / n`-th), so that
/// every design and attacker with the same seed attack the same people.
#[must_use]
pub fn sample_targets(city: &City, n: usize) -> Vec<u32> {
    let all = city.listings();
    if n == 0 || n >= all.len() {
        return all.iter().map(|l| l.person).collect();
    }
    (0..n).map(|i| all[i * all.len() / n].person).collect()
}

/// Runs an attack to the end and returns its metrics.
#[must_use]
pub fn run_lab(city: &City, config: &LabConfig, target: &AttackedDesign) -> Metrics {
    let mut run = LabRun::new(city, *config);
    while !run.done() {
        run.step(city, target, usize::MAX);
    }
    run.metrics(target)
}

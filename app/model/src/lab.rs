//! The attack lab as the page runs it: the controls (attacker, budget, protections), the
//! configuration a run takes from them and the state, which run is current, and the results of
//! both panes as the table and charts show them.

use within500_engine::{AppState, AttackerKind, DesignKind, DuelReport, LabConfig, Metrics, TradeoffPoint};

/// Why an attacker does not apply to one side, as the page says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    /// The proximity attackers need the proximity test's messages; the deployed map has none.
    NoHashes,
    /// The proximity test answers one creditor: only the dictionary, spoofing and court
    /// attackers apply.
    OnlyProximityAttackers,
    /// The dictionary, spoofing and court attackers need the private proximity test.
    NeedsProximity,
    /// Replay needs noise drawn per session.
    NoSessionNoise,
    /// Differencing releases needs the aggregate table.
    NeedsAggregate,
    /// The proximity attackers run only in the lab's worker, which did not start.
    NeedsWorker,
    /// Not run (yet).
    NotRun,
}

impl From<within500_engine::NotApplicable> for NotApplicable {
    fn from(why: within500_engine::NotApplicable) -> Self {
        use within500_engine::NotApplicable as N;
        match why {
            N::NeedsProximity => Self::NeedsProximity,
            N::OnlyProximityAttackers => Self::OnlyProximityAttackers,
            N::NoSessionNoise => Self::NoSessionNoise,
            N::NeedsAggregate => Self::NeedsAggregate,
            N::NeedsProximityLab => Self::NeedsWorker,
        }
    }
}

/// What a lab run produced for both panes.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// Against the deployed map, or why it does not apply.
    pub exposed: Result<Metrics, NotApplicable>,
    /// Against the privacy-preserving design, or why it does not apply.
    pub private: Result<Metrics, NotApplicable>,
    /// Privacy against utility for the chosen design: one point per parameter value.
    pub tradeoff: Vec<TradeoffPoint>,
    /// Milliseconds the run took (so far, while running).
    pub elapsed_ms: f64,
    /// Whether the run has finished (the table and map update live while it runs).
    pub complete: bool,
    /// Whether the chosen design's side has finished (it runs first).
    pub private_complete: bool,
    /// The attacker, its budget and the seed, for captions and exports.
    pub config: LabConfig,
}

fn side(m: Option<Result<Metrics, within500_engine::NotApplicable>>, deployed: bool) -> Result<Metrics, NotApplicable> {
    match m {
        None => Err(NotApplicable::NotRun),
        Some(Ok(m)) => Ok(m),
        Some(Err(within500_engine::NotApplicable::NeedsProximity)) if deployed => Err(NotApplicable::NoHashes),
        Some(Err(why)) => Err(why.into()),
    }
}

impl LabResult {
    /// The page's view of a lab report, `elapsed_ms` after the run started.
    #[must_use]
    pub fn from_report(r: DuelReport, elapsed_ms: f64) -> Self {
        Self {
            exposed: side(r.exposed, true),
            private: side(r.private, false),
            tradeoff: r.tradeoff,
            elapsed_ms,
            complete: r.complete,
            private_complete: r.private_complete,
            config: r.config,
        }
    }

    /// Both sides, deployed first.
    pub fn sides(&self) -> [&Result<Metrics, NotApplicable>; 2] {
        [&self.exposed, &self.private]
    }

    /// Whether a table row is shown: every row but the proximity attackers' own, which show
    /// when a side has a value for them.
    #[must_use]
    pub fn shows_row(&self, key: &str) -> bool {
        !PROXIMITY_ROWS.contains(&key) || self.sides().iter().any(|m| m.as_ref().is_ok_and(|m| proximity_value(m, key)))
    }

    /// Whether a side has a per-question error curve (the walker and the dictionary attacker have
    /// none).
    #[must_use]
    pub fn has_curve(&self) -> bool {
        self.sides().iter().any(|m| m.as_ref().is_ok_and(|m| !m.error_curve.is_empty()))
    }

    /// Targets attacked, as the caption gives them.
    #[must_use]
    pub fn targets(&self) -> u32 {
        self.sides().iter().find_map(|m| m.as_ref().ok().map(|m| m.targets)).unwrap_or(0)
    }
}

/// The rows only the proximity attackers fill.
pub const PROXIMITY_ROWS: [&str; 7] = [
    "cell_pinned_share",
    "baseline_cell_pinned_share",
    "days_to_pin_median",
    "days_to_pin_no_hint_median",
    "tests_per_day",
    "court_learns_cell_share",
    "baseline_court_learns_cell_share",
];

/// Whether a proximity row has a value on a side.
fn proximity_value(m: &Metrics, key: &str) -> bool {
    match key {
        "cell_pinned_share" => m.cell_pinned_share.is_some(),
        "baseline_cell_pinned_share" => m.baseline_cell_pinned_share.is_some(),
        "days_to_pin_median" => m.days_to_pin_median.is_some() || m.cell_pinned_share.is_some(),
        "days_to_pin_no_hint_median" => m.days_to_pin_no_hint_median.is_some(),
        "tests_per_day" => m.tests_per_day.is_some(),
        "court_learns_cell_share" => m.court_learns_cell_share.is_some(),
        "baseline_court_learns_cell_share" => m.baseline_court_learns_cell_share.is_some(),
        _ => true,
    }
}

/// The attackers that work on the proximity test's messages.
#[must_use]
pub fn is_proximity_attacker(a: AttackerKind) -> bool {
    matches!(a, AttackerKind::Dictionary | AttackerKind::Spoof | AttackerKind::Court)
}

/// The lab's controls: who attacks, with how many questions, and whether the designs' own
/// protections are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabControls {
    /// The attacker.
    pub attacker: AttackerKind,
    /// Questions per target or in total.
    pub budget: u32,
    /// The DP session's cache and budget, the blur's memory.
    pub protected: bool,
}

impl Default for LabControls {
    fn default() -> Self {
        Self { attacker: AttackerKind::Oracle, budget: 40, protected: true }
    }
}

/// Budgets the lab's field accepts.
pub const LAB_BUDGET: std::ops::RangeInclusive<u32> = 1..=100_000;

impl LabControls {
    /// Chooses an attacker. The proximity attackers count tests (30 days at the limit) or run
    /// once: their budget is their own, as on the command line.
    pub fn choose(&mut self, a: AttackerKind) {
        self.attacker = a;
        if is_proximity_attacker(a) {
            self.budget = a.default_budget();
        }
    }

    /// Sets the budget from the field's text.
    ///
    /// Returns whether it was a whole number in [`LAB_BUDGET`]; otherwise the budget stays as it
    /// was (the page says what is accepted).
    pub fn set_budget(&mut self, text: &str) -> bool {
        match text.trim().parse::<u32>() {
            Ok(b) if LAB_BUDGET.contains(&b) => {
                self.budget = b;
                true
            }
            _ => false,
        }
    }

    /// Follows a change of design: choosing the proximity test chooses the spoofing creditor,
    /// unless a proximity attacker is already chosen (no other applies to it). Returns whether the
    /// controls changed.
    pub fn follow_design(&mut self, design: DesignKind) -> bool {
        if design == DesignKind::PrivateProximity && self.attacker.applies_to(design).is_err() {
            self.choose(AttackerKind::Spoof);
            return true;
        }
        false
    }

    /// The run these controls ask for on `state`. Rebuilding every home near a start is long
    /// work, and the spoofing creditor and the court attacker run real exchanges: those attack a
    /// sample of 100 listed people, as `within500 attack --targets 100` does; the others attack
    /// everyone listed.
    #[must_use]
    pub fn config(&self, state: &AppState) -> LabConfig {
        let sampled = matches!(
            self.attacker,
            AttackerKind::Reconstruct | AttackerKind::Replay | AttackerKind::Scan | AttackerKind::Spoof | AttackerKind::Court
        );
        LabConfig {
            attacker: self.attacker,
            budget: self.budget,
            radius_m: state.radius_m,
            seed: state.city.seed,
            targets: if sampled { 100 } else { 0 },
        }
    }
}

/// One run of the lab, as handed out when it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunTicket(u64);

/// Which lab run is current: each start and each stop moves on, so a run that is no longer the
/// latest stops writing results.
#[derive(Debug, Default)]
pub struct LabRuns {
    serial: u64,
    running: bool,
}

impl LabRuns {
    /// A new run starts; any earlier one is over.
    pub fn start(&mut self) -> RunTicket {
        self.serial += 1;
        self.running = true;
        RunTicket(self.serial)
    }

    /// Stop: the current run is over.
    pub fn stop(&mut self) {
        self.serial += 1;
        self.running = false;
    }

    /// Whether results from `ticket` are still wanted.
    #[must_use]
    pub fn is_current(&self, ticket: RunTicket) -> bool {
        self.running && ticket.0 == self.serial
    }

    /// The run of `ticket` has finished (a stale ticket changes nothing).
    pub fn finish(&mut self, ticket: RunTicket) {
        if ticket.0 == self.serial {
            self.running = false;
        }
    }

    /// Whether a run is going on.
    #[must_use]
    pub fn running(&self) -> bool {
        self.running
    }
}

/// A log-scale position from 0 to 1 of `v` between `lo` and `hi` (0 when the range is empty).
#[must_use]
pub fn log_share(v: f64, lo: f64, hi: f64) -> f64 {
    if hi <= lo {
        return 0.0;
    }
    ((v.max(lo).ln() - lo.ln()) / (hi.ln() - lo.ln())).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use within500_engine::{City, CityConfig, Duel};

    #[test]
    fn a_run_that_is_stopped_or_replaced_writes_nothing_more() {
        let mut runs = LabRuns::default();
        let first = runs.start();
        assert!(runs.is_current(first));
        let second = runs.start();
        assert!(!runs.is_current(first) && runs.is_current(second));
        runs.stop();
        assert!(!runs.is_current(second) && !runs.running());
        let third = runs.start();
        runs.finish(second);
        assert!(runs.running(), "a stale finish does not end the current run");
        runs.finish(third);
        assert!(!runs.running() && !runs.is_current(third));
    }

    #[test]
    fn controls_take_the_proximity_attackers_own_budgets_and_refuse_bad_budgets() {
        let mut c = LabControls::default();
        assert!(c.set_budget(" 120 "));
        assert_eq!(c.budget, 120);
        for bad in ["0", "-3", "abc", "100001", ""] {
            assert!(!c.set_budget(bad), "{bad}");
            assert_eq!(c.budget, 120, "{bad} leaves the budget");
        }
        c.choose(AttackerKind::Walker);
        assert_eq!(c.budget, 120, "other attackers keep the budget");
        assert!(c.follow_design(DesignKind::PrivateProximity));
        assert_eq!((c.attacker, c.budget), (AttackerKind::Spoof, AttackerKind::Spoof.default_budget()));
        assert!(!c.follow_design(DesignKind::PrivateProximity), "a proximity attacker stays");
        c.choose(AttackerKind::Oracle);
        assert!(!c.follow_design(DesignKind::DpRelease));
        let state = AppState::default();
        assert_eq!(c.config(&state).targets, 0);
        c.choose(AttackerKind::Court);
        assert_eq!(c.config(&state).targets, 100);
        assert_eq!(c.config(&state).seed, state.city.seed);
    }

    #[test]
    fn the_result_of_a_run_says_why_a_side_does_not_apply_and_which_rows_show() {
        let city = City::generate(CityConfig { seed: 4, people: 3_000, listed_rate: 0.02 }).unwrap();
        let state = AppState { city: city.config(), design: DesignKind::PrivateProximity, ..AppState::default() };
        let config = LabConfig { attacker: AttackerKind::Dictionary, budget: 1, radius_m: 500.0, seed: 4, targets: 5 };
        let mut duel = Duel::new(&city, &state, config, true);
        while !duel.done() {
            duel.step(&city, 10);
        }
        let r = LabResult::from_report(duel.report(&city), 1.0);
        assert_eq!(r.exposed, Err(NotApplicable::NoHashes), "the deployed map has no messages to reverse");
        assert!(r.private.is_ok() && r.complete);
        assert!(r.shows_row("located_50m"));
        assert!(!r.shows_row("court_learns_cell_share"), "only the court attacker fills it");
        let oracle = Duel::new(&city, &state, LabConfig { attacker: AttackerKind::Oracle, ..config }, true);
        let r = LabResult::from_report(oracle.report(&city), 0.0);
        assert_eq!(r.private, Err(NotApplicable::OnlyProximityAttackers));
    }

    #[test]
    fn log_share_runs_from_zero_to_one_on_a_log_axis() {
        assert!((log_share(10.0, 1.0, 100.0) - 0.5).abs() < 1e-12);
        assert!(log_share(0.5, 1.0, 100.0).abs() < 1e-12, "below the range is 0");
        assert!((log_share(1e9, 1.0, 100.0) - 1.0).abs() < 1e-12, "above it is 1");
        assert!(log_share(5.0, 3.0, 3.0).abs() < 1e-12, "an empty range is 0");
    }
}

//! One attacker against both of the app's panes at once, in slices, with the privacy-utility
//! sweep of the chosen design: what the lab panel runs, on the page or in a Web Worker.

use serde::{Deserialize, Serialize};

use crate::attacks::{sample_targets, AttackedDesign, AttackerKind, LabConfig, LabRun, Metrics, NotApplicable};
use crate::city::City;
use crate::designs::{DesignKind, Epsilon};
use crate::state::AppState;

/// The design the second pane shows, as the lab attacks it; `None` for the deployed map and
/// the proximity test, which no position attacker can ask.
#[must_use]
pub fn private_target(city: &City, state: &AppState, protected: bool) -> Option<AttackedDesign> {
    (state.design != DesignKind::Exposed).then(|| AttackedDesign::of_design(city, &state.design_params(), protected)).flatten()
}

/// One value of the design's parameter in the privacy-utility sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeoffPoint {
    /// The parameter as shown (`ε=1`, `k=5`, `ε=0.004/m`).
    pub label: String,
    /// The total ε per person at this value, where the design states or spends one (the chart's
    /// log axis).
    pub epsilon_per_person: Option<f64>,
    /// Attacker success: share of targets located within 50 m.
    pub located_50m: f64,
    /// Share of listed homes near the targets rebuilt within 50 m.
    pub homes_recovered_50m: f64,
    /// Reference line of the same run: the start point alone.
    pub baseline_located_50m: f64,
    /// Reference line of the same run: every listed home near the start known exactly.
    pub ideal_located_50m: f64,
    /// The legitimate user's mean absolute count error.
    pub count_error: Option<f64>,
}

/// Targets the sweep attacks per value: fewer for the attackers that ask thousands of questions
/// per target.
#[must_use]
pub fn tradeoff_targets(attacker: AttackerKind) -> usize {
    match attacker {
        AttackerKind::Reconstruct | AttackerKind::Replay | AttackerKind::Scan => 20,
        _ => 50,
    }
}

/// The sweep's parameter values for a design, the state at each, and its label.
fn sweep(state: &AppState) -> Vec<(String, AppState)> {
    let with_eps = |e: u64| AppState { epsilon: Epsilon::from_micros(e), ..state.clone() };
    match state.design {
        DesignKind::Aggregate => [2u32, 3, 5, 10, 20].iter().map(|&k| (format!("k={k}"), AppState { k, ..state.clone() })).collect(),
        DesignKind::DpRelease | DesignKind::DpSession => [100_000u64, 300_000, 1_000_000, 3_000_000, 10_000_000, 100_000_000]
            .iter()
            .map(|&e| (format!("ε={}", Epsilon::from_micros(e).as_f64()), with_eps(e)))
            .collect(),
        DesignKind::Blur => {
            [0.001, 0.002, 0.004, 0.01, 0.02].iter().map(|&b| (format!("ε={b}/m"), AppState { blur_epsilon: b, ..state.clone() })).collect()
        }
        DesignKind::Exposed | DesignKind::PrivateProximity => Vec::new(),
    }
}

/// A side of the duel: the design attacked and the run, or why the attacker does not apply.
enum Side {
    Run(Box<AttackedDesign>, Box<LabRun>),
    Skip(NotApplicable),
    /// The proximity test under one of its attackers: one computation over every target, in
    /// one step.
    Proximity(Option<Box<Metrics>>),
}

/// What a duel has produced so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuelReport {
    /// Against the deployed map: the metrics so far, why the attacker does not apply, or `None`
    /// before the dictionary attacker's one computation.
    pub exposed: Option<Result<Metrics, NotApplicable>>,
    /// Against the chosen design, the same way.
    pub private: Option<Result<Metrics, NotApplicable>>,
    /// The privacy-utility sweep (empty until the duel is complete, or for route attackers).
    pub tradeoff: Vec<TradeoffPoint>,
    /// Share of the work done, 0 to 1.
    pub progress: f64,
    /// Whether the chosen design's side has run.
    pub private_complete: bool,
    /// Whether every part has run.
    pub complete: bool,
    /// The run's settings.
    pub config: LabConfig,
}

/// One attacker against the deployed map and the chosen design, then the sweep; step it a
/// slice at a time (the page between frames, or a worker without pause).
///
/// ```
/// use within500_engine::{AppState, AttackerKind, City, CityConfig, Duel, LabConfig};
/// let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
/// let config = LabConfig { attacker: AttackerKind::Oracle, budget: 40, radius_m: 500.0, seed: 7, targets: 10 };
/// let mut duel = Duel::new(&city, &AppState::default(), config, true);
/// while !duel.done() { duel.step(&city, 5); }
/// let report = duel.report(&city);
/// assert!(report.complete && report.tradeoff.len() == 6);
/// # Ok::<(), within500_engine::ConfigError>(())
/// ```
pub struct Duel {
    config: LabConfig,
    // Read only by the proximity attackers, which the page's build leaves out.
    #[cfg_attr(not(feature = "proximity-lab"), allow(dead_code))]
    state: AppState,
    protected: bool,
    exposed: Side,
    private: Side,
    variants: Vec<(String, AppState)>,
    tradeoff: Vec<TradeoffPoint>,
    sweep_targets: Vec<u32>,
}

impl Duel {
    /// Prepares the duel for the app's state: the deployed map at the state's fidelity and the
    /// state's design (with `protected` choosing whether session caches and budgets are on).
    #[must_use]
    pub fn new(city: &City, state: &AppState, config: LabConfig, protected: bool) -> Self {
        let exposed = match config.attacker.applies_to(DesignKind::Exposed) {
            Ok(()) => Side::Run(Box::new(AttackedDesign::Exposed(state.fidelity)), Box::new(LabRun::new(city, config))),
            Err(why) => Side::Skip(why),
        };
        let private = match (config.attacker.applies_to(state.design), private_target(city, state, protected)) {
            (Err(why), _) => Side::Skip(why),
            (Ok(()), Some(t)) => Side::Run(Box::new(t), Box::new(LabRun::new(city, config))),
            (Ok(()), None) if cfg!(feature = "proximity-lab") => Side::Proximity(None),
            (Ok(()), None) => Side::Skip(NotApplicable::NeedsProximityLab),
        };
        let variants = if config.attacker.budget_per_target() && matches!(private, Side::Run(..)) { sweep(state) } else { Vec::new() };
        let all = sample_targets(city, config.targets as usize);
        let sweep_targets = all.into_iter().take(tradeoff_targets(config.attacker)).collect();
        Self { config, state: state.clone(), protected, exposed, private, variants, tradeoff: Vec::new(), sweep_targets }
    }

    fn units(&self) -> (usize, usize) {
        let side = |s: &Side| match s {
            #[allow(clippy::cast_sign_loss, clippy::cast_possible_truncation)] // progress is 0 to 1
            Side::Run(_, r) => (r.progress() * 1_000.0) as usize,
            Side::Proximity(None) => 0,
            _ => 1_000,
        };
        let per_variant = 1_000 / 3;
        let done = side(&self.exposed) + side(&self.private) + self.tradeoff.len() * per_variant;
        (done, 2_000 + self.variants.len() * per_variant)
    }

    /// Share of the work done, 0 to 1.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn progress(&self) -> f64 {
        let (done, all) = self.units();
        done as f64 / all.max(1) as f64
    }

    /// Whether both sides and the sweep have run.
    #[must_use]
    pub fn done(&self) -> bool {
        let finished = |s: &Side| !matches!(s, Side::Run(_, r) if !r.done()) && !matches!(s, Side::Proximity(None));
        finished(&self.exposed) && finished(&self.private) && self.tradeoff.len() == self.variants.len()
    }

    /// Whether the chosen design's side has run (it runs first: it is what the lab is about).
    #[must_use]
    pub fn private_done(&self) -> bool {
        !matches!(&self.private, Side::Run(_, r) if !r.done()) && !matches!(&self.private, Side::Proximity(None))
    }

    /// Runs up to `n` more targets on the first unfinished side (the chosen design's first),
    /// or one value of the sweep.
    pub fn step(&mut self, city: &City, n: usize) {
        for side in [&mut self.private, &mut self.exposed] {
            match side {
                Side::Run(target, run) if !run.done() => {
                    run.step(city, target, n);
                    return;
                }
                #[cfg(feature = "proximity-lab")]
                Side::Proximity(m @ None) => {
                    *m = Some(Box::new(crate::attacks::proximity_attack(city, &self.config, self.state.hash)));
                    return;
                }
                _ => {}
            }
        }
        if let Some((label, state)) = self.variants.get(self.tradeoff.len()) {
            let point = match private_target(city, state, self.protected) {
                Some(target) => {
                    let mut run = LabRun::on_targets(self.config, self.sweep_targets.clone());
                    while !run.done() {
                        run.step(city, &target, usize::MAX);
                    }
                    let m = run.metrics(&target);
                    TradeoffPoint {
                        label: label.clone(),
                        epsilon_per_person: m.epsilon_per_person,
                        located_50m: m.located_50m,
                        homes_recovered_50m: m.homes_recovered_50m,
                        baseline_located_50m: m.baseline_located_50m,
                        ideal_located_50m: m.ideal_located_50m,
                        count_error: m.count_error,
                    }
                }
                None => TradeoffPoint {
                    label: label.clone(),
                    epsilon_per_person: None,
                    located_50m: 0.0,
                    homes_recovered_50m: 0.0,
                    baseline_located_50m: 0.0,
                    ideal_located_50m: 0.0,
                    count_error: None,
                },
            };
            self.tradeoff.push(point);
        }
    }

    /// What has run so far, for showing while the run goes on: [`Duel::report`] with each side's
    /// per-target outcomes cut to the latest `latest` (a run over every listed person of a large
    /// city has a hundred thousand of them, which a page would parse and draw at every report).
    #[must_use]
    pub fn progress_report(&self, city: &City, latest: usize) -> DuelReport {
        let mut report = self.report(city);
        for m in [&mut report.exposed, &mut report.private].into_iter().flatten().flatten() {
            let excess = m.outcomes.len().saturating_sub(latest);
            m.outcomes.drain(..excess);
        }
        report
    }

    /// What has run so far.
    #[must_use]
    pub fn report(&self, _city: &City) -> DuelReport {
        let done = self.done();
        let side = |s: &Side| match s {
            Side::Run(target, run) => Some(Ok(run.metrics(target))),
            Side::Skip(why) => Some(Err(*why)),
            Side::Proximity(m) => m.as_ref().map(|m| Ok((**m).clone())),
        };
        DuelReport {
            exposed: side(&self.exposed),
            private: side(&self.private),
            tradeoff: self.tradeoff.clone(),
            progress: self.progress(),
            private_complete: self.private_done(),
            complete: done,
            config: self.config,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attacks::AttackerKind;
    use crate::city::CityConfig;

    #[test]
    fn a_progress_report_is_the_report_with_the_latest_outcomes() {
        let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.02 }).unwrap();
        let config = LabConfig { attacker: AttackerKind::Oracle, budget: 40, radius_m: 500.0, seed: 7, targets: 0 };
        let mut duel = Duel::new(&city, &AppState::default(), config, true);
        while !duel.done() {
            duel.step(&city, 30);
        }
        let (full, cut) = (duel.report(&city), duel.progress_report(&city, 10));
        let (Some(Ok(whole)), Some(Ok(short))) = (&full.private, &cut.private) else { panic!("the private side ran") };
        assert!(whole.outcomes.len() > 10);
        assert_eq!(short.outcomes[..], whole.outcomes[whole.outcomes.len() - 10..]);
        let mut same = cut.clone();
        for (m, w) in [(&mut same.exposed, &full.exposed), (&mut same.private, &full.private)] {
            if let (Some(Ok(m)), Some(Ok(w))) = (m, w) {
                m.outcomes.clone_from(&w.outcomes);
            }
        }
        assert_eq!(same, full);
    }
}

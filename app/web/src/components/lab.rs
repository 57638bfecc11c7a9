//! The attack lab panel: run one attacker against both panes at once, watch the estimates on
//! the map, read the table and the charts.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use within500_engine::{
    dictionary_attack, key_seed, AppState, AttackerKind, City, DesignKind, LabConfig, LabRun, Metrics, Target,
};

use crate::i18n::{td_string, Locale};
use crate::model::aggregate_for;
use crate::use_ctx;

/// Why an attacker does not apply to one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotApplicable {
    /// The dictionary attacker needs hashed cells; the deployed map has none.
    NoHashes,
    /// The proximity test answers one creditor: only the dictionary attacker applies.
    OnlyDictionary,
    /// The dictionary attacker needs the private proximity test.
    NeedsProximity,
    /// Replay needs noise drawn per session.
    NoSessionNoise,
    /// Not run (yet).
    NotRun,
}

impl From<within500_engine::NotApplicable> for NotApplicable {
    fn from(why: within500_engine::NotApplicable) -> Self {
        match why {
            within500_engine::NotApplicable::NeedsProximity => Self::NeedsProximity,
            within500_engine::NotApplicable::OnlyDictionary => Self::OnlyDictionary,
            within500_engine::NotApplicable::NoSessionNoise => Self::NoSessionNoise,
        }
    }
}

impl NotApplicable {
    /// Said in the page's language.
    pub fn text(self, l: Locale) -> String {
        match self {
            Self::NoHashes => td_string!(l, ui.lab.na_no_hashes),
            Self::OnlyDictionary => td_string!(l, ui.lab.na_only_dictionary),
            Self::NeedsProximity => td_string!(l, ui.lab.na_needs_psi),
            Self::NoSessionNoise => td_string!(l, ui.lab.na_no_session_noise),
            Self::NotRun => td_string!(l, ui.lab.na_not_run),
        }
        .to_string()
    }
}

/// An attacker's name in the page's language.
pub fn attacker_label(l: Locale, a: AttackerKind) -> String {
    match a {
        AttackerKind::Walker => td_string!(l, ui.attacker.walker),
        AttackerKind::Trilateration => td_string!(l, ui.attacker.trilateration),
        AttackerKind::Oracle => td_string!(l, ui.attacker.oracle),
        AttackerKind::Averaging => td_string!(l, ui.attacker.averaging),
        AttackerKind::Dictionary => td_string!(l, ui.attacker.dictionary),
        AttackerKind::Linkage => td_string!(l, ui.attacker.linkage),
        AttackerKind::Reconstruct => td_string!(l, ui.attacker.reconstruct),
        AttackerKind::Scan => td_string!(l, ui.attacker.scan),
        AttackerKind::Replay => td_string!(l, ui.attacker.replay),
        AttackerKind::Bayes => td_string!(l, ui.attacker.bayes),
    }
    .to_string()
}

/// What a lab run produced for both panes.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// Against the deployed map, or why it does not apply.
    pub exposed: Result<Metrics, NotApplicable>,
    /// Against the privacy-preserving design, or why it does not apply.
    pub private: Result<Metrics, NotApplicable>,
    /// Privacy against utility for the chosen design: (parameter, attacker median error, count error).
    pub tradeoff: Vec<(String, Option<f64>, Option<f64>)>,
    /// Milliseconds the run took (so far, while running).
    pub elapsed_ms: f64,
    /// Whether the run has finished (the table and map update live while it runs).
    pub complete: bool,
    /// The attacker, its budget and the seed, for captions and exports.
    pub config: LabConfig,
}

/// Targets attacked per slice of work between frames.
const SLICE: usize = 20;

fn private_target(city: &City, s: &AppState, protected: bool) -> Option<Target> {
    match s.design {
        DesignKind::Aggregate => Some(Target::Aggregate(aggregate_for(city, s.k))),
        DesignKind::DpRelease => Some(Target::DpRelease(within500_engine::DpRelease::publish(city, s.epsilon))),
        DesignKind::DpSession => Some(Target::DpSession { epsilon: s.epsilon, budget: s.budget, protected }),
        DesignKind::Blur => Some(Target::Blur { epsilon_per_m: s.blur_epsilon, protected }),
        DesignKind::PrivateProximity | DesignKind::Exposed => None,
    }
}

/// A quick sweep of the design's parameter on the first 50 targets: attacker error and the
/// legitimate user's count error, side by side.
fn tradeoff(city: &City, s: &AppState, config: LabConfig, protected: bool) -> Vec<(String, Option<f64>, Option<f64>)> {
    if !config.attacker.budget_per_target() {
        return Vec::new();
    }
    let targets: Vec<u32> = city.listings().iter().take(50).map(|l| l.person).collect();
    let variants: Vec<(String, AppState)> = match s.design {
        DesignKind::Aggregate => [2u32, 3, 5, 10, 20].iter().map(|&k| (format!("k={k}"), AppState { k, ..s.clone() })).collect(),
        DesignKind::DpRelease | DesignKind::DpSession => [100_000u64, 300_000, 1_000_000, 3_000_000, 10_000_000]
            .iter()
            .map(|&e| (format!("ε={}", e as f64 / 1e6), AppState { epsilon: within500_engine::Epsilon::from_micros(e), ..s.clone() }))
            .collect(),
        DesignKind::Blur => [0.001, 0.002, 0.004, 0.01, 0.02]
            .iter()
            .map(|&b| (format!("ε={b}/m"), AppState { blur_epsilon: b, ..s.clone() }))
            .collect(),
        _ => Vec::new(),
    };
    variants
        .into_iter()
        .filter_map(|(label, v)| {
            let target = private_target(city, &v, protected)?;
            let mut run = LabRun::on_targets(config, targets.clone());
            run.step(city, &target, usize::MAX);
            let m = run.metrics(&target);
            Some((label, m.median_error_m, m.count_error))
        })
        .collect()
}

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

fn opt(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "—".to_owned(), |x| format!("{x:.1}{unit}"))
}

/// Table rows: label, metric key (for data attributes, JSON and CSV), formatter.
#[allow(clippy::type_complexity)]
fn rows(l: Locale) -> Vec<(String, &'static str, fn(&Metrics) -> (String, String))> {
    vec![
        (td_string!(l, ui.lab.row_located_50m).to_string(), "located_50m", |m| (pct(m.located_50m), m.located_50m.to_string())),
        (td_string!(l, ui.lab.row_baseline_50m).to_string(), "baseline_located_50m", |m| (pct(m.baseline_located_50m), m.baseline_located_50m.to_string())),
        (td_string!(l, ui.lab.row_ideal_50m).to_string(), "ideal_located_50m", |m| (pct(m.ideal_located_50m), m.ideal_located_50m.to_string())),
        (td_string!(l, ui.lab.row_recovered_50m).to_string(), "homes_recovered_50m", |m| (pct(m.homes_recovered_50m), m.homes_recovered_50m.to_string())),
        (td_string!(l, ui.lab.row_recovered_10m).to_string(), "homes_recovered_10m", |m| (pct(m.homes_recovered_10m), m.homes_recovered_10m.to_string())),
        (td_string!(l, ui.lab.row_recovered_1m).to_string(), "homes_recovered_1m", |m| (pct(m.homes_recovered_1m), m.homes_recovered_1m.to_string())),
        (td_string!(l, ui.lab.row_located_200m).to_string(), "located_200m", |m| (pct(m.located_200m), m.located_200m.to_string())),
        (td_string!(l, ui.lab.row_median).to_string(), "median_error_m", |m| (opt(m.median_error_m, " m"), m.median_error_m.map_or("null".into(), |v| v.to_string()))),
        (td_string!(l, ui.lab.row_reidentified).to_string(), "reidentified_share", |m| (pct(m.reidentified_share), m.reidentified_share.to_string())),
        (td_string!(l, ui.lab.row_households).to_string(), "households_exposed", |m| (m.households_exposed.to_string(), m.households_exposed.to_string())),
        (td_string!(l, ui.lab.row_questions).to_string(), "queries_used", |m| (m.queries_used.to_string(), m.queries_used.to_string())),
        (td_string!(l, ui.lab.row_sessions).to_string(), "sessions_used", |m| (m.sessions_used.to_string(), m.sessions_used.to_string())),
        (td_string!(l, ui.lab.row_epsilon).to_string(), "epsilon_spent", |m| (format!("{:.1}", m.epsilon_spent), m.epsilon_spent.to_string())),
        (td_string!(l, ui.lab.row_eps_person).to_string(), "epsilon_per_person", |m| (opt(m.epsilon_per_person, ""), m.epsilon_per_person.map_or("null".into(), |v| v.to_string()))),
        (td_string!(l, ui.lab.row_count_error).to_string(), "count_error", |m| (opt(m.count_error, ""), m.count_error.map_or("null".into(), |v| v.to_string()))),
        (td_string!(l, ui.lab.row_reversed).to_string(), "reversed_share", |m| (m.reversed_share.map_or("—".into(), pct), m.reversed_share.map_or("null".into(), |v| v.to_string()))),
    ]
}

/// The lab's results as CSV: one row per measure, a column per side; `#` lines carry the
/// synthetic mark and the settings that reproduce the run.
pub fn results_csv(r: &LabResult, state: &AppState) -> String {
    let mut out = format!(
        "# SYNTHETIC DATA from Within 500 m (no real person)\n# seed={} people={} listed_rate={} attacker={} budget={} radius_m={}\n# app state: {}\nmeasure,exposed,private\n",
        state.city.seed, state.city.people, state.city.listed_rate, r.config.attacker.slug(), r.config.budget, r.config.radius_m, state.to_query()
    );
    for (_, key, f) in rows(crate::i18n::Locale::en) {
        let cell = |m: &Result<Metrics, NotApplicable>| m.as_ref().map_or_else(|_| String::new(), |m| f(m).1);
        out.push_str(&format!("{key},{},{}\n", cell(&r.exposed), cell(&r.private)));
    }
    out
}

/// The lab's results as JSON, marked synthetic, with the settings that reproduce them.
pub fn results_json(r: &LabResult, state: &AppState) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "synthetic": true,
        "note": "SYNTHETIC DATA from Within 500 m (no real person)",
        "seed": state.city.seed,
        "settings": { "people": state.city.people, "listed_rate": state.city.listed_rate, "attacker": r.config.attacker.slug(),
            "budget": r.config.budget, "radius_m": r.config.radius_m, "app_state": state.to_query() },
        "exposed": metrics_json(&r.exposed),
        "private": metrics_json(&r.private),
    }))
    .unwrap_or_default()
}

fn metrics_json(m: &Result<Metrics, NotApplicable>) -> serde_json::Value {
    match m {
        Ok(m) => serde_json::json!({
            "design": m.design.slug(), "attacker": m.attacker.slug(), "targets": m.targets,
            "baseline_located_50m": m.baseline_located_50m, "baseline_median_error_m": m.baseline_median_error_m,
            "ideal_located_50m": m.ideal_located_50m, "ideal_median_error_m": m.ideal_median_error_m,
            "homes_recovered_1m": m.homes_recovered_1m, "homes_recovered_10m": m.homes_recovered_10m, "homes_recovered_50m": m.homes_recovered_50m,
            "sessions_used": m.sessions_used, "epsilon_per_person": m.epsilon_per_person, "curve_at": m.curve_at,
            "located_50m": m.located_50m, "located_200m": m.located_200m, "median_error_m": m.median_error_m,
            "reidentified_share": m.reidentified_share, "households_exposed": m.households_exposed,
            "queries_used": m.queries_used, "epsilon_spent": m.epsilon_spent, "count_error": m.count_error,
            "reversed_share": m.reversed_share, "error_curve": m.error_curve,
        }),
        Err(why) => serde_json::json!({ "not_applicable": why.text(crate::i18n::Locale::en) }),
    }
}

/// A line chart of median error against questions per target, both designs.
#[component]
fn ErrorChart(result: LabResult, l: Locale) -> impl IntoView {
    let (w, h, pad) = (460.0, 200.0, 36.0);
    let curves: Vec<(&str, Vec<Option<f64>>)> = [("warm", &result.exposed), ("cool", &result.private)]
        .into_iter()
        .filter_map(|(class, m)| m.as_ref().ok().map(|m| (class, m.error_curve.clone())))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let n = curves.iter().map(|c| c.1.len()).max().unwrap_or(0);
    // An attacker that stops early (one question is all whole-cell counts allow) keeps its last
    // estimate: extend its curve flat to the end.
    let curves: Vec<(&str, Vec<Option<f64>>)> = curves
        .into_iter()
        .map(|(class, mut c)| {
            let last = c.last().copied().flatten();
            c.resize(n, last);
            (class, c)
        })
        .collect();
    let top = curves.iter().flat_map(|c| c.1.iter().flatten()).fold(10.0f64, |a, &b| a.max(b)).min(2_000.0);
    let x = move |i: usize| pad + (w - 2.0 * pad) * (i as f64) / ((n.max(2) - 1) as f64);
    let y = move |v: f64| h - pad - (h - 2.0 * pad) * (v.min(top) / top);
    let lines = curves
        .into_iter()
        .map(|(class, c)| {
            let pts: String = c.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1} ", x(i), y(v)))).collect();
            view! { <polyline class=format!("curve {class}") points=pts fill="none" /> }
        })
        .collect_view();
    view! {
        <figure class="chart" data-testid="error-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=td_string!(l, ui.lab.error_chart_label).to_string()>
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <line x1=pad y1=pad x2=pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick">{format!("{top:.0} m")}</text>
                <text x=pad y=h - pad + 16.0 class="tick">"1"</text>
                <text x=w - pad y=h - pad + 16.0 class="tick" text-anchor="end">{td_string!(l, ui.lab.n_questions, n = n).to_string()}</text>
                {lines}
            </svg>
            <figcaption>{td_string!(l, ui.lab.error_chart_caption)}" "
                <span class="warm-text">{td_string!(l, ui.as_deployed)}</span>" · "<span class="cool-text">{td_string!(l, ui.privacy_preserving)}</span></figcaption>
        </figure>
    }
}

/// The privacy-utility chart: attacker error and the user's count error for each parameter value.
#[component]
fn TradeoffChart(points: Vec<(String, Option<f64>, Option<f64>)>, l: Locale) -> impl IntoView {
    let (w, h, pad) = (460.0, 180.0, 36.0);
    let n = points.len();
    let top_err = points.iter().filter_map(|p| p.1).fold(10.0f64, f64::max);
    let top_cnt = points.iter().filter_map(|p| p.2).fold(1.0f64, f64::max);
    let x = move |i: usize| pad + (w - 2.0 * pad) * (i as f64) / ((n.max(2) - 1) as f64);
    let line = |vals: Vec<Option<f64>>, top: f64| -> String {
        vals.iter().enumerate().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1} ", x(i), h - pad - (h - 2.0 * pad) * v / top))).collect()
    };
    let err = line(points.iter().map(|p| p.1).collect(), top_err);
    let cnt = line(points.iter().map(|p| p.2).collect(), top_cnt);
    let labels = points.iter().enumerate().map(|(i, p)| view! { <text x=x(i) y=h - pad + 16.0 class="tick" text-anchor="middle">{p.0.clone()}</text> }).collect_view();
    view! {
        <figure class="chart" data-testid="tradeoff-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=td_string!(l, ui.lab.tradeoff_label).to_string()>
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick cool-text">{td_string!(l, ui.lab.tradeoff_err, m = format!("{top_err:.0}")).to_string()}</text>
                <text x=w - pad y=pad - 8.0 class="tick" text-anchor="end">{td_string!(l, ui.lab.tradeoff_count, n = format!("{top_cnt:.1}")).to_string()}</text>
                <polyline class="curve cool" points=err fill="none" />
                <polyline class="curve grey" points=cnt fill="none" />
                {labels}
            </svg>
            <figcaption>{td_string!(l, ui.lab.tradeoff_caption)}</figcaption>
        </figure>
    }
}

/// The lab panel.
#[component]
#[allow(clippy::too_many_lines)]
pub fn LabPanel() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let attacker = RwSignal::new(AttackerKind::Oracle);
    let budget = RwSignal::new(40u32);
    let budget_error = RwSignal::new(None::<String>);
    let protected = RwSignal::new(true);
    let progress = RwSignal::new(None::<f64>);
    let stop = StoredValue::new(false);
    let export_error = RwSignal::new(None::<String>);

    let start = move || {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        let s = c.state.get_untracked();
        let chosen = attacker.get_untracked();
        // Rebuilding every home near a start is long work: a sample of 100 listed people, as
        // `within500 attack --targets 100` takes.
        let sample = if matches!(chosen, AttackerKind::Reconstruct | AttackerKind::Replay) { 100 } else { 0 };
        let config = LabConfig { attacker: chosen, budget: budget.get_untracked(), radius_m: s.radius_m, seed: s.city.seed, targets: sample };
        let protect = protected.get_untracked();
        stop.set_value(false);
        progress.set(Some(0.0));
        c.lab.set(None);
        let t0 = crate::now_ms();
        let exposed_target = config.attacker.applies_to(DesignKind::Exposed).ok().map(|()| Target::Exposed(s.fidelity));
        let private = if config.attacker.applies_to(s.design).is_ok() { private_target(&loaded.city, &s, protect) } else { None };
        let job = Rc::new(RefCell::new((LabRun::new(&loaded.city, config), LabRun::new(&loaded.city, config), t0)));
        #[allow(clippy::too_many_arguments)]
        fn pump(
            job: Rc<RefCell<(LabRun, LabRun, f64)>>,
            loaded: Rc<crate::model::Loaded>,
            targets: Rc<(Option<Target>, Option<Target>)>,
            s: AppState,
            config: LabConfig,
            protect: bool,
            t0: f64,
            progress: RwSignal<Option<f64>>,
            stop: StoredValue<bool>,
            lab: RwSignal<Option<LabResult>, LocalStorage>,
        ) {
            if stop.get_value() {
                progress.set(None);
                return;
            }
            let done = {
                let mut j = job.borrow_mut();
                let (a, b, shown_at) = &mut *j;
                if let Some(t) = &targets.0 {
                    a.step(&loaded.city, t, SLICE);
                }
                if let Some(t) = &targets.1 {
                    b.step(&loaded.city, t, SLICE);
                }
                progress.set(Some((a.progress() + b.progress()) / 2.0));
                let done = (targets.0.is_none() || a.done()) && (targets.1.is_none() || b.done());
                let now = crate::now_ms();
                if !done && now - *shown_at > 250.0 {
                    // Show the estimates so far on the map and in the table while it runs, four
                    // times a second: redrawing after every slice would slow the run down.
                    *shown_at = now;
                    lab.set(Some(LabResult {
                        exposed: targets.0.as_ref().map(|t| a.metrics(t)).ok_or(NotApplicable::NotRun),
                        private: targets.1.as_ref().map(|t| b.metrics(t)).ok_or(NotApplicable::NotRun),
                        tradeoff: Vec::new(),
                        elapsed_ms: crate::now_ms() - t0,
                        complete: false,
                        config,
                    }));
                }
                done
            };
            if !done {
                set_timeout(move || pump(job, loaded, targets, s, config, protect, t0, progress, stop, lab), Duration::ZERO);
                return;
            }
            let j = job.borrow();
            let exposed = match (&targets.0, config.attacker.applies_to(DesignKind::Exposed)) {
                (Some(t), _) => Ok(j.0.metrics(t)),
                (None, Err(within500_engine::NotApplicable::NeedsProximity)) => Err(NotApplicable::NoHashes),
                (None, Err(why)) => Err(why.into()),
                (None, Ok(())) => Err(NotApplicable::NotRun),
            };
            let private = match (&targets.1, s.design, config.attacker.applies_to(s.design)) {
                (Some(t), _, _) => Ok(j.1.metrics(t)),
                (None, DesignKind::PrivateProximity, Ok(())) => Ok(dictionary_attack(&loaded.city, s.hash, key_seed(s.city.seed))),
                (None, _, Err(why)) => Err(why.into()),
                (None, _, Ok(())) => Err(NotApplicable::NotRun),
            };
            let tradeoff = tradeoff(&loaded.city, &s, config, protect);
            let result = LabResult { exposed, private, tradeoff, elapsed_ms: crate::now_ms() - t0, complete: true, config };
            progress.set(None);
            lab.set(Some(result));
        }
        let targets = Rc::new((exposed_target, private));
        let lab = c.lab;
        set_timeout(move || pump(job, loaded, targets, s, config, protect, t0, progress, stop, lab), Duration::ZERO);
    };

    // A story step asks for a run: set the controls to it and run once the city is ready.
    Effect::new(move |_| {
        let Some(req) = c.lab_request.get() else { return };
        if c.loaded.get().is_none() || c.answers.get().is_none() {
            return;
        }
        attacker.set(req.attacker);
        budget.set(req.budget);
        protected.set(req.protected);
        stop.set_value(true);
        c.lab_request.set(None);
        set_timeout(start, Duration::ZERO);
    });

    let set_budget = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match text.trim().parse::<u32>() {
            Ok(b) if (1..=100_000).contains(&b) => {
                budget.set(b);
                budget_error.set(None);
            }
            _ => budget_error.set(Some(td_string!(l, ui.lab.budget_error, value = format!("{text:?}")).to_string())),
        }
    };

    let complete = move || c.lab.get().filter(|r| r.complete);
    let save = move |kind: &'static str| {
        let Some(r) = complete() else { return };
        let s = c.state.get_untracked();
        let name = format!("within500-lab-seed{}-{}", s.city.seed, r.config.attacker.slug());
        let result = match kind {
            "csv" => crate::download::save_text(&format!("{name}.csv"), "text/csv", &results_csv(&r, &s)),
            _ => crate::download::save_text(&format!("{name}.json"), "application/json", &results_json(&r, &s)),
        };
        export_error.set(result.err().map(|e| td_string!(l, ui.export_failed, error = format!("{e:?}")).to_string()));
    };

    view! {
        <section class="lab" id="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">{td_string!(l, ui.lab.title)}</h2>
            <p class="pane-sub">{td_string!(l, ui.lab.sub)}</p>
            <div class="lab-controls">
                <span class="field">
                    <label for="attacker">{td_string!(l, ui.lab.attacker)}</label>
                    <select id="attacker" data-testid="attacker" on:change=move |ev| {
                        if let Some(a) = AttackerKind::from_slug(&event_target_value(&ev)) { attacker.set(a); }
                    }>
                        {AttackerKind::ALL.iter().map(|a| {
                            let a = *a;
                            view! { <option value=a.slug() selected=move || attacker.get() == a>{move || attacker_label(l, a)}</option> }
                        }).collect_view()}
                    </select>
                </span>
                <span class="field">
                    <label for="lab-budget">{move || if attacker.get().budget_per_target() { td_string!(l, ui.lab.per_target) } else { td_string!(l, ui.lab.in_total) }}</label>
                    <input type="text" id="lab-budget" size="6" data-testid="lab-budget" prop:value=move || budget.get().to_string()
                        aria-invalid=move || budget_error.get().is_some().to_string()
                        on:change=set_budget />
                </span>
                <span class="field">
                    <input type="checkbox" id="lab-protected" prop:checked=move || protected.get() on:change=move |ev| protected.set(event_target_checked(&ev)) />
                    <label for="lab-protected">{td_string!(l, ui.lab.protected)}</label>
                </span>
                <button type="button" data-testid="lab-run" on:click=move |_| start() disabled=move || progress.get().is_some() || c.loaded.get().is_none()>{td_string!(l, ui.lab.run)}</button>
                <button type="button" on:click=move |_| stop.set_value(true) disabled=move || progress.get().is_none()>{td_string!(l, ui.lab.stop)}</button>
            </div>
            {move || budget_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || progress.get().map(|p| view! {
                <p role="status"><progress max="1" value=p aria-label=td_string!(l, ui.lab.progress).to_string()></progress>{format!(" {:.0} %", p * 100.0)}</p>
            })}
            {move || c.lab.get().map(|r| {

                let cols = [r.exposed.clone(), r.private.clone()];
                let body = rows(l).into_iter().map(|(label, key, f)| {
                    let cells = cols.iter().enumerate().map(|(i, m)| {
                        let side = if i == 0 { "exposed" } else { "private" };
                        match m {
                            Ok(m) => { let (shown, raw) = f(m); view! { <td data-side=side data-key=key data-value=raw>{shown}</td> }.into_any() }
                            Err(_) => view! { <td data-side=side data-key=key>{td_string!(l, ui.lab.na)}</td> }.into_any(),
                        }
                    }).collect_view();
                    view! { <tr><th scope="row">{label}</th>{cells}</tr> }
                }).collect_view();
                let notes = cols.iter().filter_map(|m| m.as_ref().err().map(|e| view! { <p class="discloses">{e.text(l)}</p> })).collect_view();
                let tradeoff = (!r.tradeoff.is_empty()).then(|| view! { <TradeoffChart points=r.tradeoff.clone() l=l /> });
                // The walker and the dictionary attacker have no per-question curve.
                let has_curve = cols.iter().any(|m| m.as_ref().is_ok_and(|m| !m.error_curve.is_empty()));
                let caption = td_string!(l, ui.lab.caption,
                    attacker = attacker_label(l, r.config.attacker), budget = r.config.budget, seed = c.state.get_untracked().city.seed,
                    ms = format!("{:.0}", r.elapsed_ms)).to_string();
                view! {
                    <table class="lab-table" data-testid="lab-table" data-complete=r.complete.to_string()>
                        <caption>{caption}{(!r.complete).then(|| td_string!(l, ui.lab.running).to_string())}</caption>
                        <thead><tr><th scope="col">{td_string!(l, ui.lab.measure)}</th><th scope="col">{td_string!(l, ui.as_deployed)}</th><th scope="col">{td_string!(l, ui.privacy_preserving)}</th></tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                    {notes}
                    <div class="charts">
                        {has_curve.then(|| view! { <ErrorChart result=r.clone() l=l /> })}
                        {tradeoff}
                    </div>
                }
            })}
            {move || complete().map(|r| view! {
                <div class="exports lab-exports">
                    <button type="button" data-testid="export-lab-csv" on:click=move |_| save("csv")>{td_string!(l, ui.export.lab_csv)}</button>
                    <button type="button" data-testid="export-lab-json" on:click=move |_| save("json")>{td_string!(l, ui.export.lab_json)}</button>
                </div>
                <details class="lab-json"><summary>{td_string!(l, ui.lab.json)}</summary><pre data-testid="lab-json">{results_json(&r, &c.state.get_untracked())}</pre></details>
            })}
            {move || export_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </section>
    }
}

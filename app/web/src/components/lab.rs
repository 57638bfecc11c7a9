//! The attack lab panel: run one attacker against both panes at once, watch the estimates on
//! the map, read the table and the charts.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use within500_engine::{
    dictionary_attack, key_seed, AppState, AttackerKind, City, DesignKind, LabConfig, LabRun, Metrics, Target,
};

use crate::model::aggregate_for;
use crate::use_ctx;

/// What a lab run produced for both panes.
#[derive(Debug, Clone, PartialEq)]
pub struct LabResult {
    /// Against the deployed map, or why it does not apply.
    pub exposed: Result<Metrics, &'static str>,
    /// Against the privacy-preserving design, or why it does not apply.
    pub private: Result<Metrics, &'static str>,
    /// Privacy against utility for the chosen design: (parameter, attacker median error, count error).
    pub tradeoff: Vec<(String, Option<f64>, Option<f64>)>,
    /// Milliseconds the run took (so far, while running).
    pub elapsed_ms: f64,
    /// Whether the run has finished (the table and map update live while it runs).
    pub complete: bool,
}

/// Targets attacked per slice of work between frames.
const SLICE: usize = 20;

fn private_target(city: &City, s: &AppState, protected: bool) -> Option<Target> {
    match s.design {
        DesignKind::Aggregate => Some(Target::Aggregate(aggregate_for(city, s.k))),
        DesignKind::DpCount => Some(Target::Dp { epsilon: s.epsilon, budget: s.budget, protected }),
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
        DesignKind::DpCount => [100_000u64, 250_000, 500_000, 1_000_000, 2_000_000, 4_000_000]
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

/// Table rows: label, metric key (for data attributes and JSON), formatter.
fn rows() -> Vec<(&'static str, &'static str, fn(&Metrics) -> (String, String))> {
    vec![
        ("Located within 50 m", "located_50m", |m| (pct(m.located_50m), m.located_50m.to_string())),
        ("Located within 200 m", "located_200m", |m| (pct(m.located_200m), m.located_200m.to_string())),
        ("Median error", "median_error_m", |m| (opt(m.median_error_m, " m"), m.median_error_m.map_or("null".into(), |v| v.to_string()))),
        ("Re-identified", "reidentified_share", |m| (pct(m.reidentified_share), m.reidentified_share.to_string())),
        ("Household members exposed", "households_exposed", |m| (m.households_exposed.to_string(), m.households_exposed.to_string())),
        ("Questions used", "queries_used", |m| (m.queries_used.to_string(), m.queries_used.to_string())),
        ("ε spent", "epsilon_spent", |m| (format!("{:.1}", m.epsilon_spent), m.epsilon_spent.to_string())),
        ("User's count error (mean)", "count_error", |m| (opt(m.count_error, ""), m.count_error.map_or("null".into(), |v| v.to_string()))),
        ("Hashed cells reversed", "reversed_share", |m| (m.reversed_share.map_or("—".into(), pct), m.reversed_share.map_or("null".into(), |v| v.to_string()))),
    ]
}

fn metrics_json(m: &Result<Metrics, &'static str>) -> serde_json::Value {
    match m {
        Ok(m) => serde_json::json!({
            "design": m.design, "attacker": m.attacker, "targets": m.targets,
            "located_50m": m.located_50m, "located_200m": m.located_200m, "median_error_m": m.median_error_m,
            "reidentified_share": m.reidentified_share, "households_exposed": m.households_exposed,
            "queries_used": m.queries_used, "epsilon_spent": m.epsilon_spent, "count_error": m.count_error,
            "reversed_share": m.reversed_share, "error_curve": m.error_curve,
        }),
        Err(why) => serde_json::json!({ "not_applicable": why }),
    }
}

/// A line chart of median error against questions per target, both designs.
#[component]
fn ErrorChart(result: LabResult) -> impl IntoView {
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
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Median error in metres against questions per target, for both designs">
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <line x1=pad y1=pad x2=pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick">{format!("{top:.0} m")}</text>
                <text x=pad y=h - pad + 16.0 class="tick">"1"</text>
                <text x=w - pad y=h - pad + 16.0 class="tick" text-anchor="end">{format!("{n} questions")}</text>
                {lines}
            </svg>
            <figcaption>"Median error of the estimated homes after each question: "
                <span class="warm-text">"as deployed"</span>" and "<span class="cool-text">"privacy-preserving"</span>"."</figcaption>
        </figure>
    }
}

/// The privacy-utility chart: attacker error and the user's count error for each parameter value.
#[component]
fn TradeoffChart(points: Vec<(String, Option<f64>, Option<f64>)>) -> impl IntoView {
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
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label="Attacker's median error and the user's count error for each parameter value">
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick cool-text">{format!("attacker error, up to {top_err:.0} m")}</text>
                <text x=w - pad y=pad - 8.0 class="tick" text-anchor="end">{format!("count error, up to {top_cnt:.1}")}</text>
                <polyline class="curve cool" points=err fill="none" />
                <polyline class="curve grey" points=cnt fill="none" />
                {labels}
            </svg>
            <figcaption>"Privacy against utility on 50 listed people: higher blue is better privacy; lower grey is a more useful count."</figcaption>
        </figure>
    }
}

/// The lab panel.
#[component]
pub fn LabPanel() -> impl IntoView {
    let c = use_ctx();
    let attacker = RwSignal::new(AttackerKind::Oracle);
    let budget = RwSignal::new(40u32);
    let budget_error = RwSignal::new(None::<String>);
    let protected = RwSignal::new(true);
    let progress = RwSignal::new(None::<f64>);
    let stop = StoredValue::new(false);

    let start = move |_| {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        let s = c.state.get_untracked();
        let config = LabConfig { attacker: attacker.get_untracked(), budget: budget.get_untracked(), radius_m: s.radius_m, seed: s.city.seed };
        let protect = protected.get_untracked();
        stop.set_value(false);
        progress.set(Some(0.0));
        c.lab.set(None);
        let t0 = crate::now_ms();
        let exposed_target = (config.attacker != AttackerKind::Dictionary).then_some(Target::Exposed(s.fidelity));
        let private = if config.attacker == AttackerKind::Dictionary { None } else { private_target(&loaded.city, &s, protect) };
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
                        exposed: targets.0.as_ref().map(|t| a.metrics(t)).ok_or("not applicable"),
                        private: targets.1.as_ref().map(|t| b.metrics(t)).ok_or("not applicable"),
                        tradeoff: Vec::new(),
                        elapsed_ms: crate::now_ms() - t0,
                        complete: false,
                    }));
                }
                done
            };
            if !done {
                set_timeout(move || pump(job, loaded, targets, s, config, protect, t0, progress, stop, lab), Duration::ZERO);
                return;
            }
            let j = job.borrow();
            let exposed = targets.0.as_ref().map(|t| j.0.metrics(t)).ok_or("the dictionary attacker needs hashed cells; the deployed map has none");
            let private = match (&targets.1, s.design, config.attacker) {
                (Some(t), _, _) => Ok(j.1.metrics(t)),
                (None, DesignKind::PrivateProximity, AttackerKind::Dictionary) => Ok(dictionary_attack(&loaded.city, s.hash, key_seed(s.city.seed))),
                (None, DesignKind::PrivateProximity, _) => Err("the proximity test answers one creditor about their own debtor: only the dictionary attacker applies"),
                (None, _, _) => Err("the dictionary attacker needs hashed cells: choose the private proximity test"),
            };
            let tradeoff = tradeoff(&loaded.city, &s, config, protect);
            let result = LabResult { exposed, private, tradeoff, elapsed_ms: crate::now_ms() - t0, complete: true };
            progress.set(None);
            lab.set(Some(result));
        }
        let targets = Rc::new((exposed_target, private));
        let lab = c.lab;
        set_timeout(move || pump(job, loaded, targets, s, config, protect, t0, progress, stop, lab), Duration::ZERO);
    };

    let set_budget = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        match text.trim().parse::<u32>() {
            Ok(b) if (1..=100_000).contains(&b) => {
                budget.set(b);
                budget_error.set(None);
            }
            _ => budget_error.set(Some(format!("budget={text:?}: choose a whole number of questions from 1 to 100000"))),
        }
    };

    let json = move || {
        c.lab.get().filter(|r| r.complete).map(|r| {
            serde_json::to_string_pretty(&serde_json::json!({
                "synthetic": true,
                "seed": c.state.get_untracked().city.seed,
                "exposed": metrics_json(&r.exposed),
                "private": metrics_json(&r.private),
            }))
            .unwrap_or_default()
        })
    };

    view! {
        <section class="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">"Attack lab"</h2>
            <p class="pane-sub">"One attacker, every listed person, both panes at once. Attackers see only the answers; the lab compares their conclusions with the truth."</p>
            <div class="lab-controls">
                <label class="field">"Attacker "
                    <select data-testid="attacker" on:change=move |ev| {
                        if let Some(a) = AttackerKind::from_slug(&event_target_value(&ev)) { attacker.set(a); }
                    }>
                        {AttackerKind::ALL.iter().map(|a| {
                            let a = *a;
                            view! { <option value=a.slug() selected=move || attacker.get() == a>{a.slug()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">{move || if attacker.get().budget_per_target() { "Questions per target " } else { "Questions in total " }}
                    <input type="text" size="6" data-testid="lab-budget" prop:value=move || budget.get().to_string()
                        aria-invalid=move || budget_error.get().is_some().to_string()
                        on:change=set_budget />
                </label>
                <label class="field">
                    <input type="checkbox" prop:checked=move || protected.get() on:change=move |ev| protected.set(event_target_checked(&ev)) />
                    " DP cache and budget, blur memory on"
                </label>
                <button type="button" data-testid="lab-run" on:click=start disabled=move || progress.get().is_some() || c.loaded.get().is_none()>"Run"</button>
                <button type="button" on:click=move |_| stop.set_value(true) disabled=move || progress.get().is_none()>"Stop"</button>
            </div>
            {move || budget_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || progress.get().map(|p| view! {
                <p role="status"><progress max="1" value=p></progress>{format!(" {:.0} %", p * 100.0)}</p>
            })}
            {move || c.lab.get().map(|r| {
                let cols = [r.exposed.clone(), r.private.clone()];
                let body = rows().into_iter().map(|(label, key, f)| {
                    let cells = cols.iter().enumerate().map(|(i, m)| {
                        let side = if i == 0 { "exposed" } else { "private" };
                        match m {
                            Ok(m) => { let (shown, raw) = f(m); view! { <td data-side=side data-key=key data-value=raw>{shown}</td> }.into_any() }
                            Err(_) => view! { <td data-side=side data-key=key>"n/a"</td> }.into_any(),
                        }
                    }).collect_view();
                    view! { <tr><th scope="row">{label}</th>{cells}</tr> }
                }).collect_view();
                let notes = cols.iter().filter_map(|m| m.as_ref().err().map(|e| view! { <p class="discloses">{*e}</p> })).collect_view();
                let tradeoff = (!r.tradeoff.is_empty()).then(|| view! { <TradeoffChart points=r.tradeoff.clone() /> });
                view! {
                    <table class="lab-table" data-testid="lab-table" data-complete=r.complete.to_string()>
                        <caption>{format!("{} attacker, budget {} · synthetic data · seed {} · {} {:.0} ms",
                            attacker.get_untracked().slug(), budget.get_untracked(), c.state.get_untracked().city.seed,
                            if r.complete { "ran in" } else { "running for" }, r.elapsed_ms)}</caption>
                        <thead><tr><th scope="col">"Measure"</th><th scope="col">"As deployed"</th><th scope="col">"Privacy-preserving"</th></tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                    {notes}
                    <div class="charts">
                        <ErrorChart result=r.clone() />
                        {tradeoff}
                    </div>
                }
            })}
            {move || json().map(|j| view! {
                <details class="lab-json"><summary>"Results as JSON (copy for a notebook)"</summary><pre data-testid="lab-json">{j}</pre></details>
            })}
        </section>
    }
}

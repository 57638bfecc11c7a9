//! The attack lab panel: run one attacker against both panes at once, watch the estimates on
//! the map, read the table and the charts.

use std::fmt::Write as _;
use std::time::Duration;

use leptos::prelude::*;
use within500_engine::{AppState, AttackerKind, Duel, DuelReport, Metrics, TradeoffPoint};

use crate::i18n::{td_string, Locale};
use crate::model::{log_share, LabControls, LabResult, LabRuns, NotApplicable, RunTicket};
use crate::{use_ctx, worker, Ctx};

/// Why an attacker does not apply to a side, said in the page's language.
pub fn not_applicable_text(why: NotApplicable, l: Locale) -> String {
    {
        match why {
            NotApplicable::NoHashes => td_string!(l, ui.lab.na_no_hashes),
            NotApplicable::OnlyProximityAttackers => td_string!(l, ui.lab.na_only_proximity),
            NotApplicable::NeedsProximity => td_string!(l, ui.lab.na_needs_psi),
            NotApplicable::NoSessionNoise => td_string!(l, ui.lab.na_no_session_noise),
            NotApplicable::NeedsAggregate => td_string!(l, ui.lab.na_needs_aggregate),
            NotApplicable::NeedsWorker => td_string!(l, ui.lab.na_needs_worker),
            NotApplicable::NotRun => td_string!(l, ui.lab.na_not_run),
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
        AttackerKind::Spoof => td_string!(l, ui.attacker.spoof),
        AttackerKind::Court => td_string!(l, ui.attacker.court),
        AttackerKind::Linkage => td_string!(l, ui.attacker.linkage),
        AttackerKind::Reconstruct => td_string!(l, ui.attacker.reconstruct),
        AttackerKind::Scan => td_string!(l, ui.attacker.scan),
        AttackerKind::Replay => td_string!(l, ui.attacker.replay),
        AttackerKind::Bayes => td_string!(l, ui.attacker.bayes),
        AttackerKind::ReleaseDiff => td_string!(l, ui.attacker.release_diff),
    }
    .to_string()
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
        (td_string!(l, ui.lab.row_baseline_50m).to_string(), "baseline_located_50m", |m| {
            (pct(m.baseline_located_50m), m.baseline_located_50m.to_string())
        }),
        (td_string!(l, ui.lab.row_ideal_50m).to_string(), "ideal_located_50m", |m| {
            (pct(m.ideal_located_50m), m.ideal_located_50m.to_string())
        }),
        (td_string!(l, ui.lab.row_recovered_50m).to_string(), "homes_recovered_50m", |m| {
            (pct(m.homes_recovered_50m), m.homes_recovered_50m.to_string())
        }),
        (td_string!(l, ui.lab.row_recovered_10m).to_string(), "homes_recovered_10m", |m| {
            (pct(m.homes_recovered_10m), m.homes_recovered_10m.to_string())
        }),
        (td_string!(l, ui.lab.row_recovered_1m).to_string(), "homes_recovered_1m", |m| {
            (pct(m.homes_recovered_1m), m.homes_recovered_1m.to_string())
        }),
        (td_string!(l, ui.lab.row_building).to_string(), "building_identified", |m| {
            (pct(m.building_identified), m.building_identified.to_string())
        }),
        (td_string!(l, ui.lab.row_baseline_building).to_string(), "baseline_building_identified", |m| {
            (pct(m.baseline_building_identified), m.baseline_building_identified.to_string())
        }),
        (td_string!(l, ui.lab.row_ideal_building).to_string(), "ideal_building_identified", |m| {
            (pct(m.ideal_building_identified), m.ideal_building_identified.to_string())
        }),
        (td_string!(l, ui.lab.row_flat).to_string(), "flat_identified", |m| (pct(m.flat_identified), m.flat_identified.to_string())),
        (td_string!(l, ui.lab.row_baseline_flat).to_string(), "baseline_flat_identified", |m| {
            (pct(m.baseline_flat_identified), m.baseline_flat_identified.to_string())
        }),
        (td_string!(l, ui.lab.row_located_200m).to_string(), "located_200m", |m| (pct(m.located_200m), m.located_200m.to_string())),
        (td_string!(l, ui.lab.row_median).to_string(), "median_error_m", |m| {
            (opt(m.median_error_m, " m"), m.median_error_m.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_reidentified).to_string(), "reidentified_share", |m| {
            (pct(m.reidentified_share), m.reidentified_share.to_string())
        }),
        (td_string!(l, ui.lab.row_households).to_string(), "households_exposed", |m| {
            (m.households_exposed.to_string(), m.households_exposed.to_string())
        }),
        (td_string!(l, ui.lab.row_questions).to_string(), "queries_used", |m| (m.queries_used.to_string(), m.queries_used.to_string())),
        (td_string!(l, ui.lab.row_sessions).to_string(), "sessions_used", |m| (m.sessions_used.to_string(), m.sessions_used.to_string())),
        (td_string!(l, ui.lab.row_epsilon).to_string(), "epsilon_spent", |m| {
            (format!("{:.1}", m.epsilon_spent), m.epsilon_spent.to_string())
        }),
        (td_string!(l, ui.lab.row_eps_person).to_string(), "epsilon_per_person", |m| {
            (opt(m.epsilon_per_person, ""), m.epsilon_per_person.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_count_error).to_string(), "count_error", |m| {
            (opt(m.count_error, ""), m.count_error.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_suppressed).to_string(), "suppressed_revealed", |m| {
            (m.suppressed_revealed.map_or("—".into(), pct), m.suppressed_revealed.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_reversed).to_string(), "reversed_share", |m| {
            (m.reversed_share.map_or("—".into(), pct), m.reversed_share.map_or("null".into(), |v| v.to_string()))
        }),
        // The proximity attackers' figures, each beside its no-question line (shown only when a
        // side has them).
        (td_string!(l, ui.lab.row_cell_pinned).to_string(), "cell_pinned_share", |m| share(m.cell_pinned_share)),
        (td_string!(l, ui.lab.row_baseline_cell_pinned).to_string(), "baseline_cell_pinned_share", |m| share(m.baseline_cell_pinned_share)),
        (td_string!(l, ui.lab.row_days_to_pin).to_string(), "days_to_pin_median", |m| {
            (opt(m.days_to_pin_median, ""), m.days_to_pin_median.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_days_to_pin_no_hint).to_string(), "days_to_pin_no_hint_median", |m| {
            (opt(m.days_to_pin_no_hint_median, ""), m.days_to_pin_no_hint_median.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_tests_per_day).to_string(), "tests_per_day", |m| {
            (m.tests_per_day.map_or("—".into(), |v| v.to_string()), m.tests_per_day.map_or("null".into(), |v| v.to_string()))
        }),
        (td_string!(l, ui.lab.row_court_learns).to_string(), "court_learns_cell_share", |m| share(m.court_learns_cell_share)),
        (td_string!(l, ui.lab.row_baseline_court_learns).to_string(), "baseline_court_learns_cell_share", |m| {
            share(m.baseline_court_learns_cell_share)
        }),
    ]
}

fn share(v: Option<f64>) -> (String, String) {
    (v.map_or("—".into(), pct), v.map_or("null".into(), |v| v.to_string()))
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
        let _ = writeln!(out, "{key},{},{}", cell(&r.exposed), cell(&r.private));
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
            "building_identified": m.building_identified, "flat_identified": m.flat_identified,
            "baseline_building_identified": m.baseline_building_identified, "baseline_flat_identified": m.baseline_flat_identified,
            "ideal_building_identified": m.ideal_building_identified,
            "queries_used": m.queries_used, "epsilon_spent": m.epsilon_spent, "count_error": m.count_error,
            "reversed_share": m.reversed_share, "suppressed_revealed": m.suppressed_revealed, "error_curve": m.error_curve,
            "cell_pinned_share": m.cell_pinned_share, "baseline_cell_pinned_share": m.baseline_cell_pinned_share,
            "days_to_pin_median": m.days_to_pin_median, "days_to_pin_no_hint_median": m.days_to_pin_no_hint_median, "tests_per_day": m.tests_per_day,
            "court_learns_cell_share": m.court_learns_cell_share, "baseline_court_learns_cell_share": m.baseline_court_learns_cell_share,
        }),
        Err(why) => serde_json::json!({ "not_applicable": not_applicable_text(*why, crate::i18n::Locale::en) }),
    }
}

/// A dashed horizontal reference line across a chart, labelled at its right end, or its left
/// (`left`) so that two close lines keep readable labels.
fn reference_line(class: &'static str, y: f64, x0: f64, x1: f64, label: String, left: bool) -> impl IntoView {
    let (x, anchor) = if left { (x0 + 4.0, "start") } else { (x1, "end") };
    view! {
        <line x1=x0 y1=y x2=x1 y2=y class=format!("ref {class}") />
        <text x=x y=y - 3.0 class=format!("tick ref-label {class}") text-anchor=anchor>{label}</text>
    }
}

/// A line chart of median error against questions per target (log axis), both designs, with
/// the two reference lines of the same run: the start point alone and every nearby listed home
/// known.
#[component]
fn ErrorChart(result: LabResult, l: Locale) -> impl IntoView {
    let (w, h, pad) = (460.0, 200.0, 36.0);
    let sides: Vec<(&str, &Metrics)> = [("warm", &result.exposed), ("cool", &result.private)]
        .into_iter()
        .filter_map(|(class, m)| m.as_ref().ok().map(|m| (class, m)))
        .filter(|(_, m)| !m.error_curve.is_empty())
        .collect();
    let most = sides.iter().filter_map(|(_, m)| m.curve_at.last().copied()).max().unwrap_or(1).max(2);
    let top = sides
        .iter()
        .flat_map(|(_, m)| m.error_curve.iter().flatten().copied().chain(m.baseline_median_error_m))
        .fold(10.0f64, f64::max)
        .min(2_000.0);
    let x = move |q: u32| pad + (w - 2.0 * pad) * log_share(f64::from(q), 1.0, f64::from(most));
    let y = move |v: f64| h - pad - (h - 2.0 * pad) * (v.min(top) / top);
    let lines = sides
        .iter()
        .map(|(class, m)| {
            // An attacker that stops early keeps its last estimate: the curve runs flat to the end.
            let mut pts: String =
                m.curve_at.iter().zip(&m.error_curve).filter_map(|(&q, v)| v.map(|v| format!("{:.1},{:.1} ", x(q), y(v)))).collect();
            if let (Some(&q), Some(Some(v))) = (m.curve_at.last(), m.error_curve.last()) {
                if q < most {
                    let _ = write!(pts, "{:.1},{:.1}", x(most), y(*v));
                }
            }
            view! { <polyline class=format!("curve {class}") points=pts fill="none" /> }
        })
        .collect_view();
    // The reference lines are the same on both sides (the same start points and listed homes).
    let refs = sides.first().map(|(_, m)| {
        let base = m
            .baseline_median_error_m
            .map(|v| reference_line("grey", y(v), pad, w - pad, td_string!(l, ui.lab.ref_baseline).to_string(), false));
        let ideal =
            m.ideal_median_error_m.map(|v| reference_line("ideal", y(v), pad, w - pad, td_string!(l, ui.lab.ref_ideal).to_string(), true));
        view! { {base}{ideal} }
    });
    view! {
        <figure class="chart" data-testid="error-chart">
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=td_string!(l, ui.lab.error_chart_label).to_string()>
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <line x1=pad y1=pad x2=pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick">{format!("{top:.0} m")}</text>
                <text x=pad y=h - pad + 16.0 class="tick">"1"</text>
                <text x=w - pad y=h - pad + 16.0 class="tick" text-anchor="end">{td_string!(l, ui.lab.n_questions, n = most).to_string()}</text>
                {refs}
                {lines}
            </svg>
            <figcaption>{td_string!(l, ui.lab.error_chart_caption)}" "
                <span class="warm-text">{td_string!(l, ui.as_deployed)}</span>" · "<span class="cool-text">{td_string!(l, ui.privacy_preserving)}</span></figcaption>
        </figure>
    }
}

/// The privacy-utility chart: attacker success (located within 50 m) and the user's count error
/// for each parameter value, on a log axis of total ε per person where the design has one, with
/// the reference lines of the same run.
#[component]
fn TradeoffChart(points: Vec<TradeoffPoint>, l: Locale) -> impl IntoView {
    let (w, h, pad) = (460.0, 190.0, 36.0);
    let n = points.len();
    let eps: Vec<f64> = points.iter().filter_map(|p| p.epsilon_per_person).filter(|&e| e > 0.0).collect();
    let log_axis = eps.len() == n && n >= 2;
    let (lo, hi) = eps.iter().fold((f64::MAX, 0.0f64), |(a, b), &e| (a.min(e), b.max(e)));
    let top_cnt = points.iter().filter_map(|p| p.count_error).fold(1.0f64, f64::max);
    #[allow(clippy::cast_precision_loss)]
    let x = move |i: usize, p: &TradeoffPoint| {
        let share = match (log_axis, p.epsilon_per_person) {
            (true, Some(e)) => log_share(e, lo, hi),
            _ => i as f64 / (n.max(2) - 1) as f64,
        };
        pad + (w - 2.0 * pad) * share
    };
    // The axis runs to a little above the highest line (the ideal, usually), so that the
    // distance between the two reference lines fills the chart.
    let top =
        (points.iter().flat_map(|p| [p.located_50m, p.baseline_located_50m, p.ideal_located_50m]).fold(0.05f64, f64::max) * 1.15).min(1.0);
    let y = move |share: f64| h - pad - (h - 2.0 * pad) * (share / top).clamp(0.0, 1.0);
    let line = |f: &dyn Fn(&TradeoffPoint) -> Option<f64>| -> String {
        points.iter().enumerate().filter_map(|(i, p)| f(p).map(|v| format!("{:.1},{:.1} ", x(i, p), y(v)))).collect()
    };
    let located = line(&|p| Some(p.located_50m));
    let baseline = line(&|p| Some(p.baseline_located_50m));
    let ideal = line(&|p| Some(p.ideal_located_50m));
    let cnt = line(&|p| p.count_error.map(|c| c / top_cnt * top));
    let labels = points
        .iter()
        .enumerate()
        .map(|(i, p)| view! { <text x=x(i, p) y=h - pad + 16.0 class="tick" text-anchor="middle">{p.label.clone()}</text> })
        .collect_view();
    let axis = if log_axis { td_string!(l, ui.lab.tradeoff_axis_eps).to_string() } else { String::new() };
    view! {
        <figure class="chart" data-testid="tradeoff-chart" data-log-axis=log_axis.to_string()>
            <svg viewBox=format!("0 0 {w} {h}") role="img" aria-label=td_string!(l, ui.lab.tradeoff_label).to_string()>
                <line x1=pad y1=h - pad x2=w - pad y2=h - pad class="axis" />
                <text x=pad y=pad - 8.0 class="tick cool-text">{td_string!(l, ui.lab.tradeoff_err, top = format!("{:.0}", top * 100.0)).to_string()}</text>
                <text x=w - pad y=pad - 8.0 class="tick" text-anchor="end">{td_string!(l, ui.lab.tradeoff_count, n = format!("{top_cnt:.1}")).to_string()}</text>
                <text x=w / 2.0 y=h - 4.0 class="tick" text-anchor="middle">{axis}</text>
                <polyline class="ref grey" points=baseline fill="none" />
                <polyline class="ref ideal" points=ideal fill="none" />
                <polyline class="curve cool" points=located fill="none" />
                <polyline class="curve count" points=cnt fill="none" />
                {labels}
            </svg>
            <figcaption>{td_string!(l, ui.lab.tradeoff_caption)}</figcaption>
        </figure>
    }
}

/// Runs the duel on the page, a slice of targets between frames, as an async task: what the lab
/// does where no worker can start. Shows the estimates four times a second (redrawing after every
/// slice would slow the run down) and ends when the run is no longer current.
async fn run_on_page(c: Ctx, mut duel: Duel, runs: StoredValue<LabRuns>, ticket: RunTicket, progress: RwSignal<Option<f64>>) {
    let Some(loaded) = c.loaded.get_untracked() else { return };
    let t0 = crate::now_ms();
    let mut shown = f64::NEG_INFINITY;
    loop {
        if !runs.with_value(|r| r.is_current(ticket)) {
            progress.set(None);
            return;
        }
        duel.step(&loaded.city, 1);
        progress.set(Some(duel.progress()));
        let now = crate::now_ms();
        if duel.done() || now - shown > 250.0 {
            shown = now;
            c.lab.set(Some(LabResult::from_report(duel.report(&loaded.city), now - t0)));
        }
        if duel.done() {
            runs.update_value(|r| r.finish(ticket));
            progress.set(None);
            return;
        }
        gloo_timers::future::sleep(Duration::ZERO).await;
    }
}

/// Starts a run of the controls' attacker on the page's state: in the lab's worker, or on the page
/// where none starts. Results go to the context's `lab` while the run is current.
fn start_run(c: Ctx, controls: LabControls, lab: Lab, failed: RwSignal<Option<String>>) {
    let Lab { runs, job, progress } = lab;
    let Some(loaded) = c.loaded.get_untracked() else { return };
    let l = c.locale_untracked();
    let s = c.state.get_untracked();
    let config = controls.config(&s);
    let ticket = runs.try_update_value(LabRuns::start).unwrap_or_else(|| unreachable!("the runs live as long as the panel"));
    job.set_value(None);
    progress.set(Some(0.0));
    c.lab.set(None);
    let t0 = crate::now_ms();
    let on_page = move || {
        let duel = Duel::new(&loaded.city, &s, config, controls.protected);
        leptos::task::spawn_local(run_on_page(c, duel, runs, ticket, progress));
    };
    let shown = move |report: DuelReport| {
        if runs.with_value(|r| r.is_current(ticket)) {
            progress.set(Some(report.progress));
            c.lab.set(Some(LabResult::from_report(report, crate::now_ms() - t0)));
        }
    };
    let share = move |done: f64| {
        if runs.with_value(|r| r.is_current(ticket)) {
            progress.set(Some(done));
        }
    };
    let fallback = on_page.clone();
    let done = move |outcome: worker::JobResult<DuelReport>| {
        if !runs.with_value(|r| r.is_current(ticket)) {
            return;
        }
        // The worker is done; let it go once its message handler has returned, unless a new run
        // has started meanwhile.
        set_timeout(
            move || {
                if !runs.with_value(LabRuns::running) {
                    job.set_value(None);
                }
            },
            Duration::ZERO,
        );
        match outcome {
            worker::JobResult::Done(report) => {
                runs.update_value(|r| r.finish(ticket));
                progress.set(None);
                c.lab.set(Some(LabResult::from_report(report, crate::now_ms() - t0)));
            }
            worker::JobResult::Failed(e) => {
                runs.update_value(|r| r.finish(ticket));
                progress.set(None);
                failed.set(Some(td_string!(l, ui.lab.failed, error = e).to_string()));
            }
            worker::JobResult::Unavailable(_) => fallback(),
        }
    };
    match worker::spawn_lab(&c.state.get_untracked(), config, controls.protected, shown, share, done) {
        Ok(j) => job.set_value(Some(j)),
        Err(_) => on_page(),
    }
}

/// The panel's run: which is current, the worker running it (dropping it terminates the
/// worker), and its progress.
#[derive(Clone, Copy)]
struct Lab {
    runs: StoredValue<LabRuns>,
    job: StoredValue<Option<worker::Job>, LocalStorage>,
    progress: RwSignal<Option<f64>>,
}

/// Stops the current run: its worker ends and its results stop coming.
fn stop_run(lab: Lab) {
    lab.runs.update_value(LabRuns::stop);
    lab.job.set_value(None);
    lab.progress.set(None);
}

/// The lab panel: its controls, the live table and charts, the exports and the replications.
#[component]
pub fn LabPanel() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let controls = RwSignal::new(LabControls::default());
    let budget_error = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<f64>);
    let lab = Lab { runs: StoredValue::new(LabRuns::default()), job: StoredValue::new_local(None), progress };
    let failed = RwSignal::new(None::<String>);
    let start = move || start_run(c, controls.get_untracked(), lab, failed);

    // Choosing the proximity test chooses the spoofing creditor (no other attacker applies to it),
    // unless a story step has asked for its own run.
    let design = Memo::new(move |_| c.state.with(|s| s.design));
    Effect::new(move |_| {
        let d = design.get();
        let mut next = controls.get_untracked();
        if c.lab_request.get_untracked().is_none() && next.follow_design(d) {
            controls.set(next);
            budget_error.set(None);
        }
    });
    // A story step asks for a run: set the controls to it and run once the city is ready.
    Effect::new(move |_| {
        let Some(req) = c.lab_request.get() else { return };
        if c.loaded.get().is_none() || c.answers.get().is_none() {
            return;
        }
        controls.set(LabControls { attacker: req.attacker, budget: req.budget, protected: req.protected });
        stop_run(lab);
        c.lab_request.set(None);
        set_timeout(start, Duration::ZERO);
    });

    view! {
        <section class="lab" id="lab" aria-labelledby="lab-title">
            <h2 id="lab-title">{td_string!(l, ui.lab.title)}</h2>
            <p class="pane-sub">{td_string!(l, ui.lab.sub)}</p>
            <LabControlsView controls=controls budget_error=budget_error progress=progress
                on_run=Callback::new(move |()| start()) on_stop=Callback::new(move |()| stop_run(lab)) />
            {move || budget_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            {move || progress.get().map(|p| view! {
                <p role="status"><progress max="1" value=p aria-label=td_string!(l, ui.lab.progress).to_string()></progress>{format!(" {:.0} %", p * 100.0)}</p>
            })}
            {move || c.lab.get().map(|r| view! { <LabTable result=r /> })}
            <LabExports failed=failed />
            <super::replications::ReplicationTable l=l />
        </section>
    }
}

/// The lab's controls: attacker, budget, protections, Run and Stop.
#[component]
fn LabControlsView(
    controls: RwSignal<LabControls>,
    budget_error: RwSignal<Option<String>>,
    progress: RwSignal<Option<f64>>,
    on_run: Callback<()>,
    on_stop: Callback<()>,
) -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let attacker = move || controls.with(|k| k.attacker);
    let set_budget = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        let ok = controls.try_update(|k| k.set_budget(&text)).unwrap_or(false);
        budget_error.set((!ok).then(|| td_string!(l, ui.lab.budget_error, value = format!("{text:?}")).to_string()));
    };
    view! {
        <div class="lab-controls">
            <span class="field">
                <label for="attacker">{td_string!(l, ui.lab.attacker)}</label>
                <select id="attacker" data-testid="attacker" on:change=move |ev| {
                    if let Some(a) = AttackerKind::from_slug(&event_target_value(&ev)) {
                        controls.update(|k| k.choose(a));
                        if crate::model::is_proximity_attacker(a) {
                            budget_error.set(None);
                        }
                    }
                }>
                    {AttackerKind::ALL.iter().map(|a| {
                        let a = *a;
                        view! { <option value=a.slug() selected=move || attacker() == a>{move || attacker_label(l, a)}</option> }
                    }).collect_view()}
                </select>
            </span>
            <span class="field">
                <label for="lab-budget">{move || if attacker().budget_per_target() { td_string!(l, ui.lab.per_target) } else { td_string!(l, ui.lab.in_total) }}</label>
                <input type="text" id="lab-budget" size="6" data-testid="lab-budget" prop:value=move || controls.with(|k| k.budget.to_string())
                    aria-invalid=move || budget_error.get().is_some().to_string()
                    on:change=set_budget />
            </span>
            <span class="field">
                <input type="checkbox" id="lab-protected" prop:checked=move || controls.with(|k| k.protected)
                    on:change=move |ev| controls.update(|k| k.protected = event_target_checked(&ev)) />
                <label for="lab-protected">{td_string!(l, ui.lab.protected)}</label>
            </span>
            <button type="button" data-testid="lab-run" on:click=move |_| on_run.run(()) disabled=move || progress.get().is_some() || c.loaded.get().is_none()>{td_string!(l, ui.lab.run)}</button>
            <button type="button" on:click=move |_| on_stop.run(()) disabled=move || progress.get().is_none()>{td_string!(l, ui.lab.stop)}</button>
        </div>
    }
}

/// The results of a run: the table of both sides, why a side does not apply, and the charts.
#[component]
fn LabTable(result: LabResult) -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let r = result;
    let body = rows(l)
        .into_iter()
        .filter(|(_, key, _)| r.shows_row(key))
        .map(|(label, key, f)| {
            let cells = r
                .sides()
                .into_iter()
                .zip(["exposed", "private"])
                .map(|(m, side)| match m {
                    Ok(m) => {
                        let (shown, raw) = f(m);
                        view! { <td data-side=side data-key=key data-value=raw>{shown}</td> }.into_any()
                    }
                    Err(_) => view! { <td data-side=side data-key=key>{td_string!(l, ui.lab.na)}</td> }.into_any(),
                })
                .collect_view();
            view! { <tr><th scope="row">{label}</th>{cells}</tr> }
        })
        .collect_view();
    let notes = r
        .sides()
        .into_iter()
        .filter_map(|m| m.as_ref().err().map(|e| view! { <p class="discloses">{not_applicable_text(*e, l)}</p> }))
        .collect_view();
    let tradeoff = (!r.tradeoff.is_empty()).then(|| view! { <TradeoffChart points=r.tradeoff.clone() l=l /> });
    let caption = td_string!(
        l,
        ui.lab.caption,
        attacker = attacker_label(l, r.config.attacker),
        budget = r.config.budget,
        targets = r.targets(),
        seed = c.state.get_untracked().city.seed,
        ms = format!("{:.0}", r.elapsed_ms)
    )
    .to_string();
    view! {
        <table class="lab-table" data-testid="lab-table" data-complete=r.complete.to_string() data-private-complete=r.private_complete.to_string()>
            <caption>{caption}{(!r.complete).then(|| td_string!(l, ui.lab.running).to_string())}</caption>
            <thead><tr><th scope="col">{td_string!(l, ui.lab.measure)}</th><th scope="col">{td_string!(l, ui.as_deployed)}</th><th scope="col">{td_string!(l, ui.privacy_preserving)}</th></tr></thead>
            <tbody>{body}</tbody>
        </table>
        {notes}
        <div class="charts">
            {r.has_curve().then(|| view! { <ErrorChart result=r.clone() l=l /> })}
            {tradeoff}
        </div>
    }
}

/// The finished run's downloads (CSV, JSON) and its JSON in the page.
#[component]
fn LabExports(failed: RwSignal<Option<String>>) -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let complete = move || c.lab.get().filter(|r| r.complete);
    let save = move |csv: bool| {
        let Some(r) = complete() else { return };
        let s = c.state.get_untracked();
        let name = format!("within500-lab-seed{}-{}", s.city.seed, r.config.attacker.slug());
        let result = if csv {
            crate::download::save_text(&format!("{name}.csv"), "text/csv", &results_csv(&r, &s))
        } else {
            crate::download::save_text(&format!("{name}.json"), "application/json", &results_json(&r, &s))
        };
        failed.set(result.err().map(|e| td_string!(l, ui.export_failed, error = format!("{e:?}")).to_string()));
    };
    view! {
        {move || complete().map(|r| view! {
            <div class="exports lab-exports">
                <button type="button" data-testid="export-lab-csv" on:click=move |_| save(true)>{td_string!(l, ui.export.lab_csv)}</button>
                <button type="button" data-testid="export-lab-json" on:click=move |_| save(false)>{td_string!(l, ui.export.lab_json)}</button>
            </div>
            <details class="lab-json"><summary>{td_string!(l, ui.lab.json)}</summary><pre data-testid="lab-json">{results_json(&r, &c.state.get_untracked())}</pre></details>
        })}
        {move || failed.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
    }
}

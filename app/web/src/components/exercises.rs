//! Exercise mode and the teacher's page: five tasks, each with a goal, a limit and a check the
//! app performs against the truth (which only the engine sees).

use std::time::Duration;

use leptos::prelude::*;
use within500_engine::exercises::{
    self, EPSILON_MAX_COUNT_ERROR, EPSILON_MAX_RECOVERED, FIND_HOME_QUERIES, FIND_HOME_WITHIN_M, HIDDEN_K, HIDDEN_MIN_LISTED,
};
use within500_engine::{AppState, Epsilon, ExerciseNo, Lang, LatLng, Mode, Param, StreetPlan};

use super::chrome::href;
use crate::i18n::{td_string, Locale};
use crate::model::exercise::{setup, Answers, Detail, Progress, Verdict, HIDDEN_QUESTIONS};
use crate::model::{self, Loaded};
use crate::use_ctx;

/// An exercise's title.
pub fn title(l: Locale, n: ExerciseNo) -> String {
    match n.get() {
        1 => td_string!(l, ex.e1.title),
        2 => td_string!(l, ex.e2.title),
        3 => td_string!(l, ex.e3.title),
        4 => td_string!(l, ex.e4.title),
        _ => td_string!(l, ex.e5.title),
    }
    .to_string()
}

/// What the student must do, with the exercise's names and numbers filled in.
fn goal(l: Locale, n: ExerciseNo, loaded: &Loaded, zh: bool) -> String {
    let city = &loaded.city;
    match n.get() {
        1 => {
            let Some(task) = exercises::find_home(city) else { return td_string!(l, ex.no_listed).to_string() };
            let p = city.person(task.person);
            let name =
                p.as_ref().map_or_else(String::new, |p| if zh { p.name.zh.clone() } else { format!("{} ({})", p.name.pinyin, p.name.zh) });
            td_string!(l, ex.e1.goal, name = name, within = FIND_HOME_WITHIN_M).to_string()
        }
        2 => td_string!(l, ex.e2.goal, located = format!("{:.0}", EPSILON_MAX_RECOVERED * 100.0), error = EPSILON_MAX_COUNT_ERROR)
            .to_string(),
        3 => td_string!(l, ex.e3.goal).to_string(),
        4 => td_string!(l, ex.e4.goal).to_string(),
        _ => td_string!(l, ex.e5.goal, min = HIDDEN_MIN_LISTED, k = HIDDEN_K).to_string(),
    }
}

/// The exercise's limit, in words.
fn limit(l: Locale, n: ExerciseNo) -> String {
    if let Some(q) = model::exercise::questions_allowed(n) {
        td_string!(l, ex.limit_questions, n = q).to_owned()
    } else {
        td_string!(l, ex.limit_checks, n = model::exercise::checks_allowed(n)).to_string()
    }
}

fn district_name(d: u8, zh: bool) -> String {
    StreetPlan::districts().get(usize::from(d)).map_or_else(String::new, |x| if zh { x.name_zh.to_owned() } else { x.name_en.to_owned() })
}

fn hex(token: &[u8]) -> String {
    within500_engine::hex(token)
}

/// The check's outcome, said in the page's language.
fn verdict_text(l: Locale, v: &Verdict) -> String {
    let detail = |d: &Detail| match d {
        Detail::FindHome { distance_m, queries } => {
            td_string!(l, ex.e1.detail, d = format!("{distance_m:.0}"), q = *queries, max = FIND_HOME_QUERIES).to_string()
        }
        Detail::Epsilon { epsilon, rebuilt, count_error } => {
            td_string!(l, ex.e2.detail, eps = *epsilon, located = format!("{:.1}", rebuilt * 100.0), error = format!("{count_error:.2}"))
                .to_string()
        }
        Detail::Districts { right, total } => td_string!(l, ex.e3.detail, right = *right, total = *total).to_string(),
        Detail::Household { value } => td_string!(l, ex.e4.detail, value = *value).to_string(),
        Detail::NotANumber(given) => td_string!(l, ex.e4.not_a_number, value = format!("{given:?}")).to_string(),
        Detail::Hidden { listed, released, queries } => {
            td_string!(l, ex.e5.detail, listed = *listed, released = *released, q = *queries, max = HIDDEN_QUESTIONS).to_string()
        }
    };
    match v {
        Verdict::Pending => String::new(),
        Verdict::Solved(d) => td_string!(l, ex.solved, detail = detail(d)).to_string(),
        Verdict::Failed(d) => td_string!(l, ex.failed_final, detail = detail(d)).to_string(),
        Verdict::TryAgain { detail: d, left } => td_string!(l, ex.failed_try_again, detail = detail(d), left = *left).to_string(),
        Verdict::Rejected(d) => detail(d),
    }
}

/// One exercise at a time, with its tools and its check.
#[component]
pub fn ExercisePanel() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let zh = move || c.state.with(|s| s.lang == Lang::Zh);
    let n = move || c.state.with(|s| s.exercise);
    let progress = RwSignal::new(Progress::default());
    let busy = RwSignal::new(false);
    let answers = RwSignal::new(Answers { districts: vec![0u8; exercises::HASHED_CELLS], count: String::new() });
    let reversed = RwSignal::new(None::<Vec<Option<LatLng>>>);

    // Entering an exercise (or a new city) sets up its starting state and clears the score.
    let restart = move |force: bool| {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        let exercise = n();
        if !progress.try_update(|p| p.enter(exercise, &loaded.city, force)).unwrap_or(false) {
            return;
        }
        answers.update(|a| a.count.clear());
        reversed.set(None);
        c.selected.set(None);
        c.lab.set(None);
        let s = setup(exercise, &loaded.city, &c.state.get_untracked());
        c.viewport.update(|v| v.centre = s.at);
        c.go(&s, true);
        // The set-up's own move is not a question.
        set_timeout(move || c.questions.set(0), Duration::ZERO);
    };
    Effect::new(move |_| {
        n();
        if c.loaded.get().is_some() {
            restart(false);
        }
    });

    let check = move |_| {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        let s = c.state.get_untracked();
        let slow = s.exercise.get() == 2;
        let run = move || {
            if let Some((solved, detail)) = model::exercise::check(&loaded.city, &s, c.questions.get_untracked(), &answers.get_untracked())
            {
                progress.update(|p| p.record(solved, detail));
            }
            busy.set(false);
        };
        // Exercise 2 runs an attack: show that it is checking first.
        if slow {
            busy.set(true);
            set_timeout(run, Duration::from_millis(30));
        } else {
            run();
        }
    };

    view! {
        <section class="exercise" data-testid="exercise" data-ex=move || n().to_string() aria-labelledby="ex-title">
            <nav class="ex-tabs" aria-label=td_string!(l, ex.heading).to_string()>
                {ExerciseNo::all().map(|k| view! {
                    <a href=move || href(&AppState { exercise: k, ..c.state.get() }) aria-current=move || (n() == k).then_some("page")
                        data-testid=format!("ex-tab-{k}")>{move || format!("{k}. {}", title(l, k))}</a>
                }).collect_view()}
            </nav>
            <h2 id="ex-title">{move || td_string!(l, ex.number, n = n()).to_string()}" · "{move || title(l, n())}</h2>
            <p class="ex-goal" data-testid="ex-goal">{move || c.loaded.get().map(|ld| goal(l, n(), &ld, zh()))}</p>
            <p class="ex-limit"><strong>{td_string!(l, ex.limit)}": "</strong>{move || limit(l, n())}</p>
            <div class="ex-tools">{move || view! { <ExerciseTools n=n() answers=answers reversed=reversed /> }}</div>
            <p class="worksheet-lines" aria-hidden="true">{td_string!(l, ex.worksheet_answer)}" ______________________________"</p>
            <div class="ex-actions">
                <button type="button" data-testid="ex-check" on:click=check
                    disabled=move || busy.get() || progress.with(Progress::finished) || c.loaded.get().is_none()>
                    {td_string!(l, ex.check)}</button>
                <button type="button" data-testid="ex-restart" on:click=move |_| restart(true)>{td_string!(l, ex.restart)}</button>
                <button type="button" class="print-button" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                    {td_string!(l, ex.print)}</button>
            </div>
            <p class=move || format!("ex-result {}", progress.with(|p| p.verdict.slug())) data-testid="ex-result"
                data-outcome=move || progress.with(|p| p.verdict.slug()) role="status" aria-live="polite">
                {move || if busy.get() { td_string!(l, ex.checking).to_string() } else { progress.with(|p| verdict_text(l, &p.verdict)) }}
            </p>
        </section>
    }
}

/// The tools of exercise `n`: the questions counted (1, 5), the ε field (2), the hashed cells with
/// a district to choose for each (3), the count to give (4).
#[component]
fn ExerciseTools(n: ExerciseNo, answers: RwSignal<Answers>, reversed: RwSignal<Option<Vec<Option<LatLng>>>>) -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    move || {
        let loaded = c.loaded.get()?;
        let zh = c.state.with(|s| s.lang == Lang::Zh);
        Some(match n.get() {
            1 | 5 => {
                let max = model::exercise::questions_allowed(n).unwrap_or(0);
                view! {
                    <p class="ex-questions" data-testid="ex-questions" data-used=move || c.questions.get().to_string()>
                        {move || td_string!(l, ex.questions_used, q = c.questions.get(), max = max).to_string()}
                    </p>
                }
                .into_any()
            }
            2 => view! {
                <super::chrome::StateField testid="ex" param=Param::Epsilon label=|l| td_string!(l, ui.field.eps).to_string()
                    value=Signal::derive(move || c.state.get().epsilon.as_f64().to_string()) />
            }
            .into_any(),
            3 => hashed_cells(l, &loaded, zh, answers, reversed).into_any(),
            4 => view! {
                <span class="field">
                    <label for="ex-count">{td_string!(l, ex.e4.your_answer)}</label>
                    <input id="ex-count" type="text" size="5" data-testid="ex-count" prop:value=move || answers.with(|a| a.count.clone())
                        on:input=move |ev| answers.update(|a| a.count = event_target_value(&ev)) />
                </span>
            }
            .into_any(),
            _ => ().into_any(),
        })
    }
}

/// Exercise 3's tokens, each with the cell a dictionary finds for it and a district to choose.
fn hashed_cells(
    l: Locale,
    loaded: &Loaded,
    zh: bool,
    answers: RwSignal<Answers>,
    reversed: RwSignal<Option<Vec<Option<LatLng>>>>,
) -> impl IntoView {
    let c = use_ctx();
    let task = exercises::hashed_cells(&loaded.city);
    let rows = task.cells.iter().enumerate().map(|(i, (_, token, _))| {
        let token_hex = hex(token);
        view! {
            <li>
                <code class="token">{token_hex}</code>
                {move || reversed.get().and_then(|r| r.get(i).copied().flatten()).map(|p| {
                    let text = td_string!(l, ex.e3.found, lat = format!("{:.5}", p.lat), lng = format!("{:.5}", p.lng)).to_string();
                    view! {
                        <span class="found" data-testid="ex-found">{text}" "
                            <button type="button" on:click=move |_| {
                                let s = c.state.get_untracked();
                                c.viewport.update(|v| v.centre = p);
                                c.go(&AppState { at: p, ..s }, false);
                            }>{td_string!(l, ex.e3.show)}</button>
                        </span>
                    }
                })}
                <span class="field">
                    <label for=format!("ex-district-{i}")>{move || td_string!(l, ex.e3.district, n = i + 1).to_string()}</label>
                    <select id=format!("ex-district-{i}") data-testid="ex-district" on:change=move |ev| {
                        if let Ok(d) = event_target_value(&ev).parse::<u8>() {
                            answers.update(|a| if let Some(x) = a.districts.get_mut(i) { *x = d });
                        }
                    }>
                        {StreetPlan::districts().into_iter().map(|d| {
                            let name = district_name(d.index, zh);
                            view! { <option value=d.index.to_string() selected=move || answers.with(|a| a.districts.get(i) == Some(&d.index))>{name}</option> }
                        }).collect_view()}
                    </select>
                </span>
            </li>
        }
    }).collect_view();
    let tokens: Vec<_> = task.cells.iter().map(|c| c.1).collect();
    view! {
        <ol class="tokens">{rows}</ol>
        <button type="button" data-testid="ex-reverse" on:click=move |_| {
            reversed.set(Some(exercises::reverse_plain_tokens(&tokens)));
        }>{td_string!(l, ex.e3.try_every_cell)}</button>
    }
}

/// Every exercise with its answer for this city, for the teacher.
#[component]
pub fn TeacherPage() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let zh = move || c.state.with(|s| s.lang == Lang::Zh);
    // Exercise 2's key needs three lab runs: computed after the page has painted.
    let epsilon_key = RwSignal::new(None::<Vec<exercises::EpsilonCheck>>);
    Effect::new(move |_| {
        let Some(loaded) = c.loaded.get() else { return };
        epsilon_key.set(None);
        set_timeout(
            move || {
                let runs = [300_000u64, 1_000_000, 4_000_000]
                    .iter()
                    .map(|&m| exercises::check_epsilon(&loaded.city, Epsilon::from_micros(m)))
                    .collect();
                epsilon_key.set(Some(runs));
            },
            Duration::from_millis(50),
        );
    });
    let answer = move |k: ExerciseNo| -> Option<String> {
        let loaded = c.loaded.get()?;
        let city = &loaded.city;

        let zh = zh();
        Some(match k.get() {
            1 => {
                let t = exercises::find_home(city)?;
                let p = city.person(t.person)?;
                let plan = city.plan();
                let addr = if zh { plan.format_zh(p.address) } else { plan.format_en(p.address) };
                td_string!(
                    l,
                    ex.answer1,
                    name = if zh { p.name.zh.clone() } else { p.name.pinyin.clone() },
                    address = addr,
                    lat = format!("{:.5}", p.home.lat),
                    lng = format!("{:.5}", p.home.lng)
                )
                .to_string()
            }
            2 => epsilon_key.get().map_or_else(
                || td_string!(l, ex.computing).to_string(),
                |runs| {
                    runs.iter()
                        .map(|r| {
                            td_string!(
                                l,
                                ex.answer2,
                                eps = r.epsilon.as_f64(),
                                located = format!("{:.1}", r.homes_recovered_50m * 100.0),
                                error = format!("{:.2}", r.count_error),
                                verdict = if r.solved { td_string!(l, ex.passes).to_string() } else { td_string!(l, ex.fails).to_string() }
                            )
                            .to_string()
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                },
            ),
            3 => exercises::hashed_cells(city).cells.iter().map(|c| district_name(c.2, zh)).collect::<Vec<_>>().join(", "),
            4 => exercises::household(city)?.exposed.to_string(),
            _ => {
                let at = exercises::hidden_solution(city, &exercises::hidden_aggregate(city))?;
                td_string!(l, ex.answer5, lat = format!("{:.5}", at.lat), lng = format!("{:.5}", at.lng)).to_string()
            }
        })
    };
    view! {
        <section class="teacher" data-testid="teacher" aria-labelledby="teacher-title">
            <h2 id="teacher-title">{td_string!(l, ex.teacher_title)}</h2>
            <p>{move || td_string!(l, ex.teacher_intro, seed = c.state.get().city.seed, people = c.state.get().city.people).to_string()}</p>
            <ol class="teacher-list">
                {ExerciseNo::all().map(|k| view! {
                    <li data-testid="teacher-item">
                        <h3>{move || title(l, k)}</h3>
                        <p>{move || c.loaded.get().map(|ld| goal(l, k, &ld, zh()))}</p>
                        <p><strong>{td_string!(l, ex.limit)}": "</strong>{move || limit(l, k)}</p>
                        <p class="teacher-answer" data-testid=format!("teacher-answer-{k}")><strong>{td_string!(l, ex.answer)}": "</strong>
                            {move || answer(k).unwrap_or_else(|| td_string!(l, ex.computing).to_string())}</p>
                        <a href=move || href(&AppState { mode: Mode::Exercise, exercise: k, ..c.state.get() })>{td_string!(l, ex.open)}</a>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

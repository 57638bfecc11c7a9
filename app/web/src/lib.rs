//! The Within 500 m single-page app: a map of a synthetic city and two panes answering the same
//! query, the deployed "Deadbeat Map" beside a privacy-preserving design; a guided story, exercises
//! with checks, an embeddable view, English and Simplified Chinese.
//!
//! State that matters lives in the URL (through `leptos_router`); the components are thin views
//! over [`model`], which holds the plain logic and is tested natively.

// `Ctx` is a `Copy` struct of signal handles, moved into the closures that use it: by value is the
// point (natively its handles are larger than in the browser, which this lint measures).
#![allow(clippy::large_types_passed_by_value)]

pub mod browser;
pub mod components;
pub mod download;
pub use within500_model as model;
pub mod sources;
pub mod worker;

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use within500_engine::{story_scene, AppState, AttackerKind, City, FieldError, Lang, Mode};

use crate::components::{
    Controls, EmbedFooter, ExercisePanel, Exports, ExposedPane, Footer, Header, LabPanel, LabResult, MapView, Notice, PrivacyPane,
    StoryPanel, TeacherPage, TextAlternative,
};
use crate::i18n::{td_string, Locale};
use crate::model::{Answers, Loaded, Sessions, Viewport};

/// The panes shown on narrow screens, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The deployed map's pane.
    Exposed,
    /// The privacy-preserving pane.
    Private,
}

/// A lab run asked for by another part of the page (a story step).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LabRequest {
    /// Who attacks.
    pub attacker: AttackerKind,
    /// Questions per target or in total.
    pub budget: u32,
    /// DP cache and budget, blur memory.
    pub protected: bool,
    /// Distinguishes two requests for the same run.
    pub serial: u32,
}

/// Moves the app to a state through the URL (`true` replaces the history entry).
type Navigate = Rc<dyn Fn(&AppState, bool)>;

/// Shared state, provided as context: a small `Copy` struct of signals.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The state the page shows: the URL's, or in story mode the step's scene.
    pub state: Memo<AppState>,
    /// What was wrong with the URL.
    pub url_errors: Memo<Vec<FieldError>>,
    /// The generated city, once ready.
    pub loaded: RwSignal<Option<Rc<Loaded>>, LocalStorage>,
    /// Both panes' answers for the current state.
    pub answers: RwSignal<Option<Answers>, LocalStorage>,
    /// Milliseconds the last answer took.
    pub answer_ms: RwSignal<f64>,
    /// The map's view.
    pub viewport: RwSignal<Viewport>,
    /// Progress message while a city is generated.
    pub status: RwSignal<Option<String>>,
    /// Share of the city generated so far, while a generation runs.
    pub progress: RwSignal<Option<f64>>,
    /// Set by the Cancel button while a city is generated.
    pub cancel: RwSignal<bool>,
    /// Whether the position marker is being dragged (the DP count waits for the drop).
    pub dragging: RwSignal<bool>,
    /// The person whose detail page is open.
    pub selected: RwSignal<Option<u32>>,
    /// Whether the operator's ground truth (every listed home) is drawn.
    pub truth_overlay: RwSignal<bool>,
    /// Active pane on narrow screens.
    pub tab: RwSignal<Tab>,
    /// The last attack lab run, drawn on the map and tabulated.
    pub lab: RwSignal<Option<LabResult>, LocalStorage>,
    /// A lab run asked for by the story.
    pub lab_request: RwSignal<Option<LabRequest>>,
    /// Questions asked since the exercise started (each drop of the marker is one).
    pub questions: RwSignal<u32>,
    /// The proximity test's court for the shown city (key, ledger, simulated day).
    pub psi: StoredValue<Option<model::PsiCourt>, LocalStorage>,
    /// The last proximity test, with the case and hash it was for.
    pub psi_round: RwSignal<Option<(String, Rc<model::PsiRound>)>, LocalStorage>,
    /// Which credential the creditor sends.
    pub psi_credential: RwSignal<model::CredentialChoice>,
    /// Moves on whenever the court's record changes (a test, the next day), for the day shown.
    pub psi_rev: RwSignal<u64>,
    go: StoredValue<Navigate, LocalStorage>,
}

impl Ctx {
    /// Moves the app to a new state through the URL; `replace` keeps history clean while dragging.
    pub fn go(&self, state: &AppState, replace: bool) {
        self.go.with_value(|f| f(state, replace));
    }

    /// The page's locale, for translations (tracked: the caller reruns when it changes).
    pub fn locale(&self) -> Locale {
        locale_of(self.state.with(|s| s.lang))
    }

    /// The page's locale, untracked. Components read it once: the page is rebuilt when the
    /// language changes, so the thousands of fixed strings need no reactive wiring of their own.
    pub fn locale_untracked(&self) -> Locale {
        locale_of(self.state.with_untracked(|s| s.lang))
    }

    /// Whether the marker can be moved (not in the story, whose scenes are fixed).
    pub fn movable(&self) -> bool {
        self.state.with(|s| s.mode != Mode::Story)
    }
}

/// The translation locale of a language.
pub fn locale_of(lang: Lang) -> Locale {
    match lang {
        Lang::En => Locale::en,
        Lang::Zh => Locale::zh,
    }
}

/// The context, for components.
///
/// # Panics
/// Outside the [`App`].
pub fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// The app: a router around the main view.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Main />
        </Router>
    }
}

#[component]
fn Main() -> impl IntoView {
    let location = use_location();
    let parsed = Memo::new(move |_| AppState::from_query_lenient(&location.search.get()));
    // In story mode the step's scene decides what is shown (over the link's city and page flags);
    // it is worked out once here for the state, the set-up on entry and the opened page.
    let scene = Memo::new(move |_| parsed.with(|(s, _)| (s.mode == Mode::Story).then(|| story_scene(s.step, s))));
    let state = Memo::new(move |_| scene.get().map_or_else(|| parsed.with(|p| p.0.clone()), |sc| sc.state));
    let url_errors = Memo::new(move |_| parsed.get().1);
    let navigate = use_navigate();
    let pathname = location.pathname;
    let go: Navigate = Rc::new(move |s: &AppState, replace: bool| {
        let path = pathname.get_untracked();
        navigate(&format!("{path}?{}", s.to_query()), NavigateOptions { replace, scroll: false, ..Default::default() });
    });
    let ctx = Ctx::new(state, url_errors, go);
    provide_context(ctx);
    follow_document(state);
    generate_cities(ctx, parsed);
    set_up_story_scenes(ctx, scene);
    answer_queries(ctx);
    // In an iframe, tell the host page how tall the content is whenever that changes.
    components::post_height_to_parent();
    page(ctx)
}

impl Ctx {
    fn new(state: Memo<AppState>, url_errors: Memo<Vec<FieldError>>, go: Navigate) -> Self {
        let initial = state.get_untracked();
        Self {
            state,
            url_errors,
            loaded: RwSignal::new_local(None),
            answers: RwSignal::new_local(None),
            answer_ms: RwSignal::new(0.0),
            viewport: RwSignal::new(Viewport::around(initial.at, 800.0, 560.0)),
            status: RwSignal::new(None),
            progress: RwSignal::new(None),
            cancel: RwSignal::new(false),
            dragging: RwSignal::new(false),
            selected: RwSignal::new(None),
            truth_overlay: RwSignal::new(false),
            tab: RwSignal::new(Tab::Exposed),
            lab: RwSignal::new_local(None),
            lab_request: RwSignal::new(None),
            questions: RwSignal::new(0),
            psi: StoredValue::new_local(None),
            psi_round: RwSignal::new_local(None),
            psi_credential: RwSignal::new(model::CredentialChoice::Issued),
            psi_rev: RwSignal::new(0),
            go: StoredValue::new_local(go),
        }
    }
}

/// The document follows the state: `lang` for screen readers and fonts, the title, and the body's
/// classes for the mode and the page flags.
fn follow_document(state: Memo<AppState>) {
    Effect::new(move |_| {
        let s = state.get();
        let l = locale_of(s.lang);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", if s.lang == Lang::Zh { "zh-Hans" } else { "en" });
        }
        doc.set_title(td_string!(l, ui.doc_title));
        if let Some(body) = doc.body() {
            let class =
                [Some(format!("mode-{}", s.mode.slug())), s.embed.then(|| "embed".to_owned()), s.presenter.then(|| "presenter".to_owned())];
            let _ = body.set_attribute("class", &class.into_iter().flatten().collect::<Vec<_>>().join(" "));
        }
    });
}

/// Generates the city when its settings change, in a Web Worker: the page stays responsive,
/// shows progress and can cancel ([`model::Generation`] decides what each message means). Without
/// workers (a browser that refuses module workers) the page generates it itself after the
/// message has painted.
fn generate_cities(ctx: Ctx, parsed: Memo<(AppState, Vec<FieldError>)>) {
    let state = ctx.state;
    let config = Memo::new(move |_| state.get().city);
    let generation: StoredValue<model::Generation> = StoredValue::new(model::Generation::default());
    let job: StoredValue<Option<worker::Job>, LocalStorage> = StoredValue::new_local(None);
    let finish = move |ticket: model::Ticket, result: Result<City, String>| {
        let Some(finished) = generation.try_update_value(|g| g.finish(ticket, result)) else { return };
        let l = ctx.locale_untracked();
        match finished {
            model::Finished::Stale => return,
            model::Finished::Ready(city) => {
                ctx.loaded.set(Some(model::Loaded::of(*city)));
                ctx.status.set(None);
                mark_generated();
            }
            model::Finished::Failed(e) => ctx.status.set(Some(td_string!(l, ui.cannot_generate, error = e).to_string())),
        }
        ctx.progress.set(None);
        // The worker is done; let it go once its message handler has returned (unless another
        // generation has started meanwhile).
        set_timeout(
            move || {
                if generation.with_value(|g| g.is_latest(ticket)) {
                    job.set_value(None);
                }
            },
            std::time::Duration::ZERO,
        );
    };
    Effect::new(move |_| {
        let city = config.get();
        let l = ctx.locale_untracked();
        ctx.status.set(Some(td_string!(l, ui.generating, people = city.people, seed = city.seed).to_string()));
        // Let go of the old city and any unfinished generation first, so that the new city
        // reuses the memory: the page holds one city at a time, however often it regenerates.
        job.set_value(None);
        ctx.answers.set(None);
        ctx.loaded.set(None);
        let ticket = match generation.try_update_value(|g| g.start(city)) {
            Some(Ok(t)) => t,
            Some(Err(e)) => return ctx.status.set(Some(td_string!(l, ui.cannot_generate, error = e).to_string())),
            None => return,
        };
        ctx.progress.set(Some(0.0));
        let progress = move |share: f64| {
            if let Some(p) = generation.with_value(|g| g.progress(ticket, share)) {
                ctx.progress.set(Some(p));
            }
        };
        // Without a worker, the page generates the city itself once the message has painted; it
        // cannot show progress or cancel then.
        let on_page = move || {
            ctx.progress.set(None);
            set_timeout(
                move || {
                    if generation.with_value(|g| g.is_current(ticket)) {
                        finish(ticket, City::generate(city).map_err(|e| e.to_string()));
                    }
                },
                std::time::Duration::from_millis(16),
            );
        };
        let done = move |outcome: worker::Outcome<Box<City>>| match outcome {
            worker::Outcome::Done(c) => finish(ticket, Ok(*c)),
            worker::Outcome::Failed(e) => finish(ticket, Err(e)),
            worker::Outcome::Unavailable(_) => on_page(),
        };
        match worker::spawn(city, progress, done) {
            Ok(started) => job.set_value(Some(started)),
            Err(_) => on_page(),
        }
    });
    // Cancelling stops the worker and goes back to the last city, if there was one.
    Effect::new(move |_| {
        if !ctx.cancel.get() {
            return;
        }
        ctx.cancel.set(false);
        let asked = state.get_untracked().city;
        let Some(cancelled) = generation.try_update_value(|g| g.cancel(asked)) else { return };
        if cancelled == model::Cancelled::Nothing {
            return;
        }
        job.set_value(None);
        ctx.progress.set(None);
        match cancelled {
            model::Cancelled::GoBack(previous) => {
                let mut back = parsed.with_untracked(|p| p.0.clone());
                back.city = previous;
                ctx.go(&back, true);
            }
            _ => ctx.status.set(Some(td_string!(ctx.locale_untracked(), ui.generation_cancelled).to_string())),
        }
    });
}

/// Entering a story step sets up its scene: zoom, open page, ground truth, attack; and opens the
/// first person's page where the step asks for it, once the answers are in.
fn set_up_story_scenes(ctx: Ctx, scene: Memo<Option<within500_engine::Scene>>) {
    let serial = StoredValue::new(0u32);
    Effect::new(move |_| {
        let Some(scene) = scene.get() else { return };
        ctx.viewport.update(|v| {
            v.centre = scene.state.at;
            v.metres_per_px = scene.metres_per_px;
        });
        ctx.truth_overlay.set(scene.truth);
        ctx.selected.set(None);
        ctx.lab.set(None);
        serial.update_value(|n| *n += 1);
        ctx.lab_request.set(scene.lab.map(|l| LabRequest {
            attacker: l.attacker,
            budget: l.budget,
            protected: l.protected,
            serial: serial.get_value(),
        }));
    });
    Effect::new(move |_| {
        let Some(a) = ctx.answers.get() else { return };
        if scene.with(|sc| sc.as_ref().is_some_and(|sc| sc.open_first)) && ctx.selected.get_untracked().is_none() {
            ctx.selected.set(a.exposed.entries.first().map(|e| e.person));
        }
    });
}

/// Answers the query whenever the city or the state changes.
fn answer_queries(ctx: Ctx) {
    let sessions: StoredValue<Option<Sessions>, LocalStorage> = StoredValue::new_local(None);
    let aggregate: StoredValue<model::AggregateCache, LocalStorage> = StoredValue::new_local(model::AggregateCache::default());
    Effect::new(move |_| {
        let Some(loaded) = ctx.loaded.get() else { return };
        let s = ctx.state.get();
        let dragging = ctx.dragging.get();
        let start = now_ms();
        let answers = aggregate.try_update_value(|cache| {
            let agg = cache.get(&loaded.city, s.k);
            sessions.try_update_value(|se| {
                let se = se.get_or_insert_with(|| Sessions::new(&s, &mut browser::session_secret));
                let from_browser = model::Browser { secret: &mut browser::session_secret, now_s: browser::now_s() };
                model::answer(&loaded.city, &s, agg, se, dragging, from_browser)
            })
        });
        ctx.answer_ms.set(now_ms() - start);
        if let Some(Some(a)) = answers {
            ctx.answers.set(Some(a));
        }
        // A counter on <body> lets the speed measurement see each answer arrive.
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let seq = body.get_attribute("data-answer-seq").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            let _ = body.set_attribute("data-answer-seq", &(seq + 1).to_string());
        }
    });
}

/// The page's parts for the mode; rebuilt when the language changes (rarely), so that its strings
/// are plain text.
fn page(ctx: Ctx) -> impl IntoView {
    let state = ctx.state;
    let mode = Memo::new(move |_| state.with(|s| s.mode));
    let embed = Memo::new(move |_| state.with(|s| s.embed));
    let lang = Memo::new(move |_| state.with(|s| s.lang));
    move || {
        let l = locale_of(lang.get());
        view! {
            <Show when=move || !embed.get()><Header /></Show>
            <Notice />
            {move || match mode.get() {
                Mode::Story => view! { <StoryPanel /> }.into_any(),
                Mode::Exercise => view! { <ExercisePanel /> }.into_any(),
                Mode::Teacher => view! { <TeacherPage /> }.into_any(),
                Mode::Explore => ().into_any(),
            }}
            <Show when=move || mode.get() != Mode::Teacher>
                <main class="layout" id="main">
                    <section class="map-column" aria-label=td_string!(l, ui.map_section).to_string()>
                        <MapView />
                        <TextAlternative />
                    </section>
                    <div class="tabs" role="tablist" aria-label=td_string!(l, ui.panes).to_string()>
                        <button role="tab" aria-selected=move || (ctx.tab.get() == Tab::Exposed).to_string()
                            on:click=move |_| ctx.tab.set(Tab::Exposed)>{td_string!(l, ui.as_deployed)}</button>
                        <button role="tab" aria-selected=move || (ctx.tab.get() == Tab::Private).to_string()
                            on:click=move |_| ctx.tab.set(Tab::Private)>{td_string!(l, ui.privacy_preserving)}</button>
                    </div>
                    <ExposedPane />
                    <PrivacyPane />
                </main>
            </Show>
            <Show when=move || mode.get() == Mode::Explore && !embed.get()><Controls /></Show>
            <Show when=move || matches!(mode.get(), Mode::Explore | Mode::Story)><LabPanel /></Show>
            <Show when=move || mode.get() == Mode::Explore && !embed.get()><Exports /></Show>
            {move || if embed.get() { view! { <EmbedFooter /> }.into_any() } else { view! { <Footer /> }.into_any() }}
        }
    }
}

/// Counts generated cities on `<body>` and records the size of the WebAssembly memory after each,
/// so that a measurement can follow memory across regenerations.
fn mark_generated() {
    use wasm_bindgen::JsCast;
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
    let n = body.get_attribute("data-generated").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    let _ = body.set_attribute("data-generated", &(n + 1).to_string());
    if let Ok(memory) = wasm_bindgen::memory().dyn_into::<js_sys::WebAssembly::Memory>() {
        if let Ok(buffer) = memory.buffer().dyn_into::<js_sys::ArrayBuffer>() {
            let _ = body.set_attribute("data-wasm-bytes", &buffer.byte_length().to_string());
        }
    }
}

/// Milliseconds since the page started, from the Performance API.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

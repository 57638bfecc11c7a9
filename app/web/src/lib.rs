//! The Within 500 m single-page app: a map of a synthetic city and two panes answering the same
//! query, the deployed "Deadbeat Map" beside a privacy-preserving design.
//!
//! State that matters lives in the URL (through `leptos_router`); the components are thin views
//! over [`model`], which holds the plain logic and is tested natively.

#![allow(clippy::must_use_candidate)]

pub mod components;
pub mod model;

use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::Router;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use within500_engine::{Aggregate, AppState, FieldError};

use crate::components::{Controls, ExposedPane, Header, LabPanel, LabResult, MapView, Notice, PrivacyPane, TextAlternative};
use crate::model::{Answers, Loaded, Sessions, Viewport};

/// The panes shown on narrow screens, one at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// The deployed map's pane.
    Exposed,
    /// The privacy-preserving pane.
    Private,
}

/// Shared state, provided as context: a small `Copy` struct of signals.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The state read from the URL (bad fields replaced by defaults).
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
    go: StoredValue<Rc<dyn Fn(&AppState, bool)>, LocalStorage>,
}

impl Ctx {
    /// Moves the app to a new state through the URL; `replace` keeps history clean while dragging.
    pub fn go(&self, state: &AppState, replace: bool) {
        self.go.with_value(|f| f(state, replace));
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
    let state = Memo::new(move |_| parsed.get().0);
    let url_errors = Memo::new(move |_| parsed.get().1);
    let navigate = use_navigate();
    let pathname = location.pathname;
    let go: Rc<dyn Fn(&AppState, bool)> = Rc::new(move |s: &AppState, replace: bool| {
        let path = pathname.get_untracked();
        navigate(&format!("{path}?{}", s.to_query()), NavigateOptions { replace, scroll: false, ..Default::default() });
    });
    let initial = state.get_untracked();
    let ctx = Ctx {
        state,
        url_errors,
        loaded: RwSignal::new_local(None),
        answers: RwSignal::new_local(None),
        answer_ms: RwSignal::new(0.0),
        viewport: RwSignal::new(Viewport::around(initial.at, 800.0, 560.0)),
        status: RwSignal::new(None),
        dragging: RwSignal::new(false),
        selected: RwSignal::new(None),
        truth_overlay: RwSignal::new(false),
        tab: RwSignal::new(Tab::Exposed),
        lab: RwSignal::new_local(None),
        go: StoredValue::new_local(go),
    };
    provide_context(ctx);

    // Generate the city when its settings change. The message paints first, then the work runs.
    let config = Memo::new(move |_| {
        let c = state.get().city;
        (c.seed, c.people, c.listed_rate.to_bits())
    });
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        let (seed, people, _) = config.get();
        generation.update_value(|g| *g += 1);
        let this = generation.get_value();
        ctx.status.set(Some(format!("Generating a synthetic city of {people} people (seed {seed})…")));
        set_timeout(
            move || {
                if generation.get_value() != this {
                    return;
                }
                match model::load(&state.get_untracked()) {
                    Ok(l) => {
                        ctx.loaded.set(Some(l));
                        ctx.status.set(None);
                    }
                    Err(e) => ctx.status.set(Some(format!("Cannot generate this city: {e}"))),
                }
            },
            std::time::Duration::from_millis(16),
        );
    });

    // Answer the query whenever the city or the state changes.
    let sessions: StoredValue<Option<Sessions>, LocalStorage> = StoredValue::new_local(None);
    let aggregate: StoredValue<Option<(usize, u32, Aggregate)>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(loaded) = ctx.loaded.get() else { return };
        let s = state.get();
        let dragging = ctx.dragging.get();
        let start = now_ms();
        let key = Rc::as_ptr(&loaded) as usize;
        aggregate.update_value(|a| {
            if a.as_ref().is_none_or(|(p, k, _)| *p != key || *k != s.k) {
                *a = Some((key, s.k, model::aggregate_for(&loaded.city, s.k)));
            }
        });
        sessions.update_value(|se| {
            if se.is_none() {
                *se = Some(Sessions::new(&s));
            }
        });
        let answers = aggregate.with_value(|a| {
            let agg = &a.as_ref().expect("prepared above").2;
            sessions.try_update_value(|se| {
                let se = se.as_mut().expect("created above");
                model::answer(&loaded.city, &s, agg, se, dragging)
            })
        });
        ctx.answer_ms.set(now_ms() - start);
        if let Some(a) = answers {
            ctx.answers.set(Some(a));
        }
        // A counter on <body> lets the speed measurement see each answer arrive.
        if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            let seq = body.get_attribute("data-answer-seq").and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            let _ = body.set_attribute("data-answer-seq", &(seq + 1).to_string());
        }
    });

    view! {
        <Header />
        <Notice />
        <main class="layout">
            <section class="map-column" aria-label="Map">
                <MapView />
                <TextAlternative />
            </section>
            <div class="tabs" role="tablist" aria-label="Panes">
                <button role="tab" aria-selected=move || (ctx.tab.get() == Tab::Exposed).to_string()
                    on:click=move |_| ctx.tab.set(Tab::Exposed)>"As deployed"</button>
                <button role="tab" aria-selected=move || (ctx.tab.get() == Tab::Private).to_string()
                    on:click=move |_| ctx.tab.set(Tab::Private)>"Privacy-preserving"</button>
            </div>
            <ExposedPane />
            <PrivacyPane />
        </main>
        <Controls />
        <LabPanel />
        <footer class="footer">
            <p>
                "All people, names, ID numbers and addresses here are synthetic. "
                "ID numbers begin with 00, a region code no real ID number carries. "
                "Nothing you do here leaves your browser."
            </p>
        </footer>
    }
}

/// Milliseconds since the page started, from the Performance API.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

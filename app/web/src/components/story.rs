//! Story mode: ten steps through the argument, each a fixed scene reached by "next"/"back", the
//! arrow keys or the URL (`step=N`), with its sources.

use leptos::{ev, prelude::*};
use wasm_bindgen::JsCast;
use within500_engine::{story_scene, AppState, Mode, StoryStep, STORY_STEPS};

use super::chrome::href;
use crate::i18n::{td_string, Locale};
use crate::sources::{citation, step_sources};
use crate::use_ctx;

/// One field (`title`, `body` or `caption`) of a step's text: the keys must be literal for the
/// build to check them, so the match over steps is written once, here.
macro_rules! step_text {
    ($l:expr, $step:expr, $field:ident) => {
        match $step.get() {
            1 => td_string!($l, story.s1.$field),
            2 => td_string!($l, story.s2.$field),
            3 => td_string!($l, story.s3.$field),
            4 => td_string!($l, story.s4.$field),
            5 => td_string!($l, story.s5.$field),
            6 => td_string!($l, story.s6.$field),
            7 => td_string!($l, story.s7.$field),
            8 => td_string!($l, story.s8.$field),
            9 => td_string!($l, story.s9.$field),
            _ => td_string!($l, story.s10.$field),
        }
        .to_string()
    };
}

/// A step's title.
pub fn title(l: Locale, step: StoryStep) -> String {
    step_text!(l, step, title)
}

/// A step's text.
pub fn body(l: Locale, step: StoryStep) -> String {
    step_text!(l, step, body)
}

/// A step's one-line caption, for an embedded view.
pub fn caption(l: Locale, step: StoryStep) -> String {
    step_text!(l, step, caption)
}

/// The state of another step, keeping the city, language and page flags.
fn step_state(s: &AppState, step: StoryStep) -> AppState {
    story_scene(step, s).state
}

/// The story's text, sources and navigation above the scene.
#[component]
pub fn StoryPanel() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let step = move || c.state.with(|s| s.step);
    // To another step, if there is one (none past either end).
    let go_step = move |n: Option<StoryStep>| {
        let s = c.state.get_untracked();
        if let Some(n) = n.filter(|n| *n != s.step) {
            c.go(&step_state(&s, n), false);
        }
    };
    // ← and → move through the story, except while typing in a field.
    let _keys = window_event_listener(ev::keydown, move |ev| {
        if c.state.with_untracked(|s| s.mode != Mode::Story) || ev.alt_key() || ev.ctrl_key() || ev.meta_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing {
            return;
        }
        let now = c.state.with_untracked(|s| s.step);
        match ev.key().as_str() {
            "ArrowRight" | "PageDown" => go_step(now.next()),
            "ArrowLeft" | "PageUp" => go_step(now.prev()),
            _ => return,
        }
        ev.prevent_default();
    });
    let explore = move || href(&AppState { mode: Mode::Explore, ..c.state.get() });
    view! {
        <section class="story" data-testid="story" data-step=move || step().to_string() data-steps=STORY_STEPS.to_string()
            aria-labelledby="story-title">
            <Show when=move || c.state.with(|s| s.presenter)><super::chrome::PresenterQr /></Show>
            <p class="story-count" data-testid="story-count">{move || td_string!(l, story.step_of, n = step(), total = STORY_STEPS).to_string()}</p>
            <h2 id="story-title" data-testid="story-title">{move || title(l, step())}</h2>
            <p class="story-body" aria-live="polite">{move || body(l, step())}</p>
            <div class="story-sources" data-testid="story-sources">
                <strong>{td_string!(l, story.sources)}": "</strong>
                {move || step_sources(step()).iter().map(|&src| match src.url() {
                    Some(url) => view! { <a href=url rel="noopener" target="_blank" data-source=src.id()>{citation(l, src)}</a> }.into_any(),
                    None => view! { <cite data-source=src.id()>{citation(l, src)}</cite> }.into_any(),
                }).collect_view()}
            </div>
            <nav class="story-nav" aria-label=td_string!(l, story.heading).to_string()>
                <button type="button" data-testid="story-back" disabled=move || step().prev().is_none() on:click=move |_| go_step(step().prev())>
                    "← "{td_string!(l, story.back)}</button>
                <button type="button" data-testid="story-next" disabled=move || step().next().is_none() on:click=move |_| go_step(step().next())>
                    {td_string!(l, story.next)}" →"</button>
                <button type="button" data-testid="story-reset" on:click=move |_| go_step(Some(StoryStep::FIRST))>{td_string!(l, story.reset)}</button>
                <a class="story-explore" href=explore>{td_string!(l, story.explore)}</a>
                <span class="story-hint">{td_string!(l, story.keys_hint)}</span>
            </nav>
        </section>
    }
}

//! The components, thin views over [`crate::model`].

mod chrome;
mod exercises;
mod export;
mod lab;
mod map;
mod mapdraw;
mod panes;
mod phone;
mod replications;
pub mod story;

/// People drawn per page of a long list (the deployed pane and the map's table); a dense city
/// lists thousands within 500 m, and drawing them all would slow every move.
pub const LIST_PAGE: usize = 100;

/// How many of the deployed list's people a long list draws: one page, and one page again after
/// every new answer.
pub fn list_pages() -> leptos::prelude::RwSignal<usize> {
    use leptos::prelude::*;
    let c = crate::use_ctx();
    let shown = RwSignal::new(LIST_PAGE);
    Effect::new(move |_| {
        c.answers.track();
        shown.set(LIST_PAGE);
    });
    shown
}

/// The "Show N more" button under a long list of the deployed answer's people, while some are
/// not drawn yet.
#[leptos::component]
pub fn ShowMore(
    /// How many are drawn (from [`list_pages`]).
    shown: leptos::prelude::RwSignal<usize>,
    /// The button's `data-testid`, if any.
    #[prop(optional)]
    testid: Option<&'static str>,
) -> impl leptos::IntoView {
    use leptos::prelude::*;
    let c = crate::use_ctx();
    let l = c.locale_untracked();
    move || {
        let total = c.answers.with(|a| a.as_ref().map_or(0, |a| a.exposed.entries.len()));
        let n = shown.get();
        (total > n).then(|| {
            view! {
                <button type="button" class="show-more" data-testid=testid on:click=move |_| shown.update(|s| *s += LIST_PAGE)>
                    {crate::i18n::td_string!(l, ui.show_more, n = LIST_PAGE.min(total - n), shown = n, total = total).to_string()}
                </button>
            }
        })
    }
}

pub use chrome::{
    field_error_text, href, post_height_to_parent, Controls, EmbedFooter, Footer, Header, Notice, StateField, TextAlternative,
};
pub use exercises::{ExercisePanel, TeacherPage};
pub use export::Exports;
pub use lab::{attacker_label, not_applicable_text, results_csv, results_json, LabPanel};
pub use map::MapView;
pub use panes::{design_label, level_words, ExposedPane, PrivacyPane};
pub use story::StoryPanel;
pub use within500_model::{LabResult, NotApplicable};

//! The components, thin views over [`crate::model`].

mod chrome;
mod exercises;
mod export;
mod lab;
mod map;
mod panes;
pub mod story;

/// People drawn per page of a long list (the deployed pane and the map's table); a dense city
/// lists thousands within 500 m, and drawing them all would slow every move.
pub const LIST_PAGE: usize = 100;

pub use chrome::{
    field_error_text, href, post_height_to_parent, Controls, EmbedFooter, Footer, Header, Notice, StateField, TextAlternative,
};
pub use exercises::{ExercisePanel, TeacherPage};
pub use export::Exports;
pub use lab::{attacker_label, results_csv, results_json, LabPanel, LabResult, NotApplicable};
pub use map::MapView;
pub use panes::{design_label, level_words, ExposedPane, PrivacyPane};
pub use story::StoryPanel;

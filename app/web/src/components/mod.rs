//! The components, thin views over [`crate::model`].

mod chrome;
mod map;
mod panes;

pub use chrome::{Controls, Header, Notice, TextAlternative};
pub use map::MapView;
pub use panes::{ExposedPane, PrivacyPane};

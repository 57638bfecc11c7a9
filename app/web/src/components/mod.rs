//! The components, thin views over [`crate::model`].

mod chrome;
mod lab;
mod map;
mod panes;

pub use chrome::{Controls, Header, Notice, StateField, TextAlternative};
pub use lab::{LabPanel, LabResult};
pub use map::MapView;
pub use panes::{ExposedPane, PrivacyPane};

//! The app layer: what the page and the CLI share above the designs and the attacks. The URL's
//! state (`state`), the story's scenes (`story`), the exercises' set-ups and checks (`exercises`),
//! the story's and exercises' numbers (`numbers`), and the lab as its panel runs it (`duel`). The
//! core, the designs and the attacks name none of these (`core::tests::layers_depend_one_way`).

pub mod duel;
pub mod exercises;
pub mod numbers;
pub mod state;
pub mod story;

//! Numbered parts of the app: a story step and an exercise, each a number that is valid by
//! construction (1 to the count), so no caller can hold step 0 or exercise 9.
//!
//! ```
//! use within500_engine::{ExerciseNo, StoryStep, STORY_STEPS};
//! assert_eq!(StoryStep::new(4).map(StoryStep::get), Some(4));
//! assert!(StoryStep::new(0).is_none() && StoryStep::new(STORY_STEPS + 1).is_none());
//! assert_eq!(StoryStep::LAST.next(), None);
//! assert_eq!(ExerciseNo::all().count(), 5);
//! ```

use serde::Serialize;

/// How many steps the story has.
pub const STORY_STEPS: u8 = 10;

/// How many exercises there are.
pub const EXERCISES: u8 = 5;

macro_rules! numbered {
    ($(#[$doc:meta])* $name:ident, $count:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(into = "u8")]
        pub struct $name(u8);

        impl $name {
            /// The first.
            pub const FIRST: Self = Self(1);
            /// The last.
            pub const LAST: Self = Self($count);

            /// The number `n`, if it lies from 1 to the count.
            #[must_use]
            pub const fn new(n: u8) -> Option<Self> {
                if n >= 1 && n <= $count {
                    Some(Self(n))
                } else {
                    None
                }
            }

            /// The number, from 1 to the count.
            #[must_use]
            pub const fn get(self) -> u8 {
                self.0
            }

            /// The one after, if any.
            #[must_use]
            pub const fn next(self) -> Option<Self> {
                Self::new(self.0 + 1)
            }

            /// The one before, if any.
            #[must_use]
            pub const fn prev(self) -> Option<Self> {
                Self::new(self.0 - 1)
            }

            /// Every one, in order.
            pub fn all() -> impl DoubleEndedIterator<Item = Self> + Clone {
                (1..=$count).map(Self)
            }
        }

        impl From<$name> for u8 {
            fn from(n: $name) -> u8 {
                n.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

numbered!(
    /// A step of the guided story, from 1 to [`STORY_STEPS`].
    StoryStep,
    STORY_STEPS
);

numbered!(
    /// An exercise, from 1 to [`EXERCISES`].
    ExerciseNo,
    EXERCISES
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbers_from_one_to_the_count_exist() {
        for n in 0..=u8::MAX {
            assert_eq!(StoryStep::new(n).is_some(), (1..=STORY_STEPS).contains(&n), "step {n}");
            assert_eq!(ExerciseNo::new(n).is_some(), (1..=EXERCISES).contains(&n), "exercise {n}");
        }
        let steps: Vec<u8> = StoryStep::all().map(StoryStep::get).collect();
        assert_eq!(steps, (1..=STORY_STEPS).collect::<Vec<_>>());
        assert_eq!(StoryStep::FIRST.prev(), None);
        assert_eq!(StoryStep::FIRST.next().map(StoryStep::get), Some(2));
        assert_eq!(ExerciseNo::LAST.next(), None);
    }
}

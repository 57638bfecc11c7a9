//! Exercise mode as the page runs it: each exercise's starting state, its limits, the check the
//! app performs against the truth (which only the engine sees), and the student's progress:
//! checks used, and whether the exercise is solved, may be tried again, or is over.

use within500_engine::exercises::{self, FIND_HOME_QUERIES, HIDDEN_K};
use within500_engine::{AppState, City, DesignKind, ExerciseNo, Fidelity, Mode};

use crate::{city_key, CityKey};

/// Exercise 2: checks allowed.
pub const EPSILON_CHECKS: u32 = 3;
/// Exercises 3 and 4: checks allowed.
pub const ANSWER_CHECKS: u32 = 2;
/// Exercise 5: questions allowed.
pub const HIDDEN_QUESTIONS: u32 = 15;

/// Checks an exercise allows.
#[must_use]
pub fn checks_allowed(exercise: ExerciseNo) -> u32 {
    match exercise.get() {
        2 => EPSILON_CHECKS,
        3 | 4 => ANSWER_CHECKS,
        _ => 1,
    }
}

/// Questions an exercise allows, where it counts them (1 and 5).
#[must_use]
pub fn questions_allowed(exercise: ExerciseNo) -> Option<u32> {
    match exercise.get() {
        1 => Some(FIND_HOME_QUERIES),
        5 => Some(HIDDEN_QUESTIONS),
        _ => None,
    }
}

/// The state an exercise starts from, on the shown state's city and language.
#[must_use]
pub fn setup(exercise: ExerciseNo, city: &City, s: &AppState) -> AppState {
    let base = AppState { mode: Mode::Exercise, exercise, radius_m: 500.0, ..s.clone() };
    match exercise.get() {
        1 => AppState { fidelity: Fidelity::Distance, at: exercises::find_home(city).map_or(base.at, |t| t.start), ..base },
        2 => AppState { design: DesignKind::DpRelease, ..base },
        3 => AppState { design: DesignKind::PrivateProximity, ..base },
        4 => AppState { fidelity: Fidelity::Reported, at: exercises::household(city).map_or(base.at, |t| t.at), ..base },
        _ => AppState { design: DesignKind::Aggregate, k: HIDDEN_K, fidelity: Fidelity::Reported, ..base },
    }
}

/// What a check found, for the page to say.
#[derive(Debug, Clone, PartialEq)]
pub enum Detail {
    /// Exercise 1: the marker's distance from the home and the questions asked.
    FindHome {
        /// Metres from the home.
        distance_m: f64,
        /// Questions asked.
        queries: u32,
    },
    /// Exercise 2: what the reconstruction attacker rebuilt at the chosen ε, and the user's
    /// count error.
    Epsilon {
        /// The release's total ε per person.
        epsilon: f64,
        /// Share of listed homes rebuilt within 50 m.
        rebuilt: f64,
        /// Mean absolute count error.
        count_error: f64,
    },
    /// Exercise 3: districts named right, of all.
    Districts {
        /// Right.
        right: usize,
        /// Asked.
        total: usize,
    },
    /// Exercise 4: the count given.
    Household {
        /// The student's answer.
        value: u32,
    },
    /// Exercise 4: the answer is not a whole number (not counted as a check).
    NotANumber(String),
    /// Exercise 5: what the deployed map lists and the aggregate releases at the marker.
    Hidden {
        /// Listed people near.
        listed: usize,
        /// Counts the aggregate releases.
        released: usize,
        /// Questions asked.
        queries: u32,
    },
}

/// The answers the student gives on the page (exercises 3 and 4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    /// Exercise 3: the district chosen for each token.
    pub districts: Vec<u8>,
    /// Exercise 4: the count typed.
    pub count: String,
}

/// Checks the exercise of `s` against the truth: whether it is solved, and what the check found.
/// `None` where the city has no task for it (no one listed). Exercise 2 runs an attack: the page
/// calls it after showing that it is checking.
#[must_use]
pub fn check(city: &City, s: &AppState, questions: u32, answers: &Answers) -> Option<(bool, Detail)> {
    Some(match s.exercise.get() {
        1 => {
            let task = exercises::find_home(city)?;
            let r = exercises::check_find_home(city, &task, s.at, questions);
            (r.solved, Detail::FindHome { distance_m: r.distance_m, queries: r.queries })
        }
        2 => {
            let r = exercises::check_epsilon(city, s.epsilon);
            (r.solved, Detail::Epsilon { epsilon: s.epsilon.as_f64(), rebuilt: r.homes_recovered_50m, count_error: r.count_error })
        }
        3 => {
            let right = exercises::check_districts(&exercises::hashed_cells(city), &answers.districts);
            (right.iter().all(|r| *r), Detail::Districts { right: right.iter().filter(|r| **r).count(), total: right.len() })
        }
        4 => {
            let task = exercises::household(city)?;
            match answers.count.trim().parse::<u32>() {
                Ok(value) => (value == task.exposed, Detail::Household { value }),
                Err(_) => (false, Detail::NotANumber(answers.count.clone())),
            }
        }
        _ => {
            let r = exercises::check_hidden(city, &exercises::hidden_aggregate(city), s.at);
            (r.solved && questions <= HIDDEN_QUESTIONS, Detail::Hidden { listed: r.listed, released: r.released, queries: questions })
        }
    })
}

/// The outcome of the last check.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// No check yet.
    Pending,
    /// Solved.
    Solved(Detail),
    /// Not solved, with checks left.
    TryAgain {
        /// What the check found.
        detail: Detail,
        /// Checks left.
        left: u32,
    },
    /// Not solved, and no check left.
    Failed(Detail),
    /// The answer could not be checked (not counted).
    Rejected(Detail),
}

impl Verdict {
    /// `pending`, `solved` or `failed` (for styles and tests).
    #[must_use]
    pub fn slug(&self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Solved(_) => "solved",
            Self::TryAgain { .. } | Self::Failed(_) | Self::Rejected(_) => "failed",
        }
    }
}

/// A student's progress in the shown exercise of the shown city.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    started: Option<(ExerciseNo, CityKey)>,
    /// Checks used.
    pub checks: u32,
    /// The last check's outcome.
    pub verdict: Verdict,
}

impl Default for Progress {
    fn default() -> Self {
        Self { started: None, checks: 0, verdict: Verdict::Pending }
    }
}

impl Progress {
    /// Enters exercise `exercise` on `city`: the score starts over when either changed, or when
    /// `force`d (Restart). Returns whether it started over (then the page sets up the exercise).
    pub fn enter(&mut self, exercise: ExerciseNo, city: &City, force: bool) -> bool {
        let key = (exercise, city_key(city));
        if !force && self.started == Some(key) {
            return false;
        }
        *self = Self { started: Some(key), ..Self::default() };
        true
    }

    /// The exercise entered.
    #[must_use]
    pub fn exercise(&self) -> Option<ExerciseNo> {
        self.started.map(|(n, _)| n)
    }

    /// Records a check: exercises 1 and 5 have one; 2, 3 and 4 may be tried again until their
    /// checks are used up. An answer that is not a number counts nothing.
    pub fn record(&mut self, solved: bool, detail: Detail) {
        if matches!(detail, Detail::NotANumber(_)) {
            self.verdict = Verdict::Rejected(detail);
            return;
        }
        let n = self.exercise().unwrap_or(ExerciseNo::FIRST);
        self.checks += 1;
        let allowed = checks_allowed(n);
        self.verdict = if solved {
            Verdict::Solved(detail)
        } else if self.checks >= allowed {
            Verdict::Failed(detail)
        } else {
            Verdict::TryAgain { detail, left: allowed - self.checks }
        };
    }

    /// Whether the exercise is over: solved, or its checks used up.
    #[must_use]
    pub fn finished(&self) -> bool {
        matches!(self.verdict, Verdict::Solved(_)) || self.checks >= checks_allowed(self.exercise().unwrap_or(ExerciseNo::FIRST))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use within500_engine::CityConfig;

    fn ex(n: u8) -> ExerciseNo {
        ExerciseNo::new(n).unwrap()
    }

    fn city(seed: u64) -> City {
        City::generate(CityConfig { seed, people: 5_000, listed_rate: 0.02 }).unwrap()
    }

    #[test]
    fn a_check_counts_until_the_checks_are_used_up_and_a_solution_ends_it() {
        let c = city(7);
        let mut p = Progress::default();
        assert!(p.enter(ex(4), &c, false));
        assert!(!p.enter(ex(4), &c, false), "the same exercise on the same city keeps its score");
        p.record(false, Detail::NotANumber("x".into()));
        assert_eq!((p.checks, p.verdict.slug(), p.finished()), (0, "failed", false), "not a number counts nothing");
        p.record(false, Detail::Household { value: 1 });
        assert_eq!(p.verdict, Verdict::TryAgain { detail: Detail::Household { value: 1 }, left: 1 });
        p.record(false, Detail::Household { value: 2 });
        assert!(matches!(p.verdict, Verdict::Failed(_)) && p.finished());
        assert!(p.enter(ex(4), &c, true), "Restart starts over");
        assert_eq!((p.checks, &p.verdict), (0, &Verdict::Pending));
        p.record(true, Detail::Household { value: 3 });
        assert!(p.finished() && p.verdict.slug() == "solved");
    }

    #[test]
    fn another_city_or_exercise_starts_over_and_one_check_exercises_end_after_one() {
        let (a, b) = (city(7), city(8));
        let mut p = Progress::default();
        p.enter(ex(1), &a, false);
        p.record(false, Detail::FindHome { distance_m: 90.0, queries: 3 });
        assert!(p.finished(), "exercise 1 has one check");
        assert!(p.enter(ex(1), &b, false), "a new city is a new exercise");
        assert!(!p.finished());
        assert!(p.enter(ex(2), &b, false));
        p.record(false, Detail::Districts { right: 0, total: 1 });
        assert_eq!(p.verdict.slug(), "failed");
        assert!(!p.finished(), "exercise 2 allows {EPSILON_CHECKS} checks");
    }

    #[test]
    fn checks_compare_with_the_truth() {
        let c = city(7);
        let s = AppState { city: c.config(), ..AppState::default() };
        // Exercise 1: at the home itself within the question limit it is solved; far off it is not.
        let task = exercises::find_home(&c).unwrap();
        let at_home = setup(ex(1), &c, &s);
        let (solved, _) = check(&c, &AppState { at: c.home(task.person), ..at_home.clone() }, 1, &Answers::default()).unwrap();
        assert!(solved);
        let (solved, detail) = check(&c, &at_home, FIND_HOME_QUERIES + 1, &Answers::default()).unwrap();
        assert!(!solved && matches!(detail, Detail::FindHome { queries, .. } if queries == FIND_HOME_QUERIES + 1));
        // Exercise 4: the right count solves it, another does not, text is refused.
        let four = setup(ex(4), &c, &s);
        let truth = exercises::household(&c).unwrap().exposed;
        let answer = |count: &str| check(&c, &four, 0, &Answers { count: count.into(), ..Answers::default() }).unwrap();
        assert!(answer(&format!(" {truth} ")).0);
        assert!(!answer(&(truth + 1).to_string()).0);
        assert_eq!(answer("seven").1, Detail::NotANumber("seven".into()));
        // Exercise 3: the true districts solve it.
        let three = setup(ex(3), &c, &s);
        let districts: Vec<u8> = exercises::hashed_cells(&c).cells.iter().map(|x| x.2).collect();
        let wrong: Vec<u8> = districts.iter().map(|d| (d + 1) % 8).collect();
        assert!(check(&c, &three, 0, &Answers { districts, ..Answers::default() }).unwrap().0);
        assert!(!check(&c, &three, 0, &Answers { districts: wrong, ..Answers::default() }).unwrap().0);
        assert_eq!(three.design, DesignKind::PrivateProximity);
        assert_eq!(setup(ex(5), &c, &s).k, HIDDEN_K);
    }
}

//! A design with its parameters, and the one dispatcher that answers a query through it: what the
//! page's URL and the CLI's flags both turn into, so that neither keeps its own copy of which
//! design needs which table, session or secret.

use super::{
    Aggregate, AggregateAnswer, BlurredAnswer, BlurredQuery, CellHash, DesignKind, DpAnswer, DpCount, DpRefusal, DpRelease,
    DpReleaseAnswer, Epsilon, Exposed, ExposedAnswer, Fidelity, Query, DEFAULT_AGGREGATE_RESOLUTION,
};
use crate::city::City;

/// The values every parameter accepts: the one place the URL codec and the CLI take them from.
pub mod ranges {
    use std::ops::RangeInclusive;

    /// The query's radius in metres.
    pub const RADIUS_M: RangeInclusive<f64> = 50.0..=5_000.0;
    /// The aggregate's threshold k.
    pub const K: RangeInclusive<u32> = 2..=50;
    /// ε: the release's total per person, the session's per question, and its budget.
    pub const EPSILON: RangeInclusive<f64> = 0.01..=100.0;
    /// The blur's ε per metre (0.004 moves the position about 500 m on average).
    pub const BLUR_EPSILON: RangeInclusive<f64> = 0.000_1..=1.0;
}

/// A design and every parameter any design takes (each design reads its own).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DesignParams {
    /// The design.
    pub design: DesignKind,
    /// The deployed map: what each entry shows.
    pub fidelity: Fidelity,
    /// Aggregate: counts below k are suppressed.
    pub k: u32,
    /// The DP release: its total ε per person.
    pub release_epsilon: Epsilon,
    /// The DP session: ε per question.
    pub question_epsilon: Epsilon,
    /// The DP session: its ε budget.
    pub budget: Epsilon,
    /// Blur: ε per metre.
    pub blur_epsilon: f64,
    /// The proximity test: how cells are hashed.
    pub hash: CellHash,
}

/// Why no question could be answered with some parameters.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ParamsError {
    /// A DP session whose first question would already exceed its budget.
    #[error("ε per question {question} exceeds the session's budget {budget}: no query could be answered")]
    QuestionOverBudget {
        /// ε per question.
        question: f64,
        /// The budget.
        budget: f64,
    },
}

impl DesignParams {
    /// Checks that the design can answer at all with these parameters.
    ///
    /// # Errors
    /// [`ParamsError::QuestionOverBudget`] for a DP session whose ε per question exceeds its budget.
    pub fn validate(&self) -> Result<(), ParamsError> {
        if self.design == DesignKind::DpSession && self.question_epsilon > self.budget {
            return Err(ParamsError::QuestionOverBudget { question: self.question_epsilon.as_f64(), budget: self.budget.as_f64() });
        }
        Ok(())
    }

    /// Whether the design keeps state per session (budget, cache, fake position).
    #[must_use]
    pub fn has_sessions(&self) -> bool {
        matches!(self.design, DesignKind::DpSession | DesignKind::Blur)
    }
}

/// One design's answer to one query (the proximity test answers through its own exchange, not
/// here).
#[derive(Debug, Clone, PartialEq)]
pub enum DesignAnswer {
    /// The deployed map's list.
    Exposed(ExposedAnswer),
    /// Counts per coarse cell.
    Aggregate(AggregateAnswer),
    /// The DP release's noisy cells.
    Release(DpReleaseAnswer),
    /// A per-question noisy count, or a refusal once the session's budget is spent.
    Dp(Result<DpAnswer, DpRefusal>),
    /// A count around a blurred position.
    Blur(BlurredAnswer),
}

/// A design prepared for a city: its published table or release, and its current session.
///
/// ```
/// use within500_engine::{Answerer, City, CityConfig, DesignAnswer, DesignKind, DesignParams, Query};
///
/// let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
/// let params = DesignParams { design: DesignKind::Aggregate, ..DesignParams::default() };
/// let mut answerer = Answerer::new(&city, params, 42);
/// let answer = answerer.answer(&city, Query { at: city.home(0), radius_m: 500.0 }, 0);
/// assert!(matches!(answer, Some(DesignAnswer::Aggregate(_))));
/// # Ok::<(), within500_engine::ConfigError>(())
/// ```
pub struct Answerer {
    params: DesignParams,
    aggregate: Option<Aggregate>,
    release: Option<DpRelease>,
    dp: Option<DpCount>,
    blur: Option<BlurredQuery>,
}

impl Answerer {
    /// Prepares `params.design` for `city`: the aggregate table or the DP release (published once),
    /// and a first session drawn from `session_secret` where the design has sessions.
    #[must_use]
    pub fn new(city: &City, params: DesignParams, session_secret: u64) -> Self {
        let mut a = Self { params, aggregate: None, release: None, dp: None, blur: None };
        match params.design {
            DesignKind::Aggregate => a.aggregate = Some(Aggregate::new(city, params.k, DEFAULT_AGGREGATE_RESOLUTION)),
            DesignKind::DpRelease => a.release = Some(DpRelease::publish(city, params.release_epsilon)),
            _ => {}
        }
        a.new_session(session_secret);
        a
    }

    /// The parameters it was prepared with.
    #[must_use]
    pub fn params(&self) -> &DesignParams {
        &self.params
    }

    /// Starts a new session (a fresh budget, fresh noise, a new fake position) where the design
    /// has sessions; a no-op otherwise.
    pub fn new_session(&mut self, session_secret: u64) {
        match self.params.design {
            DesignKind::DpSession => self.dp = Some(DpCount::new(self.params.question_epsilon, self.params.budget, session_secret)),
            DesignKind::Blur => self.blur = Some(BlurredQuery::new(self.params.blur_epsilon, session_secret)),
            _ => {}
        }
    }

    /// ε spent so far in the DP session, in millionths (0 for other designs).
    #[must_use]
    pub fn dp_spent_micros(&self) -> u64 {
        self.dp.as_ref().map_or(0, DpCount::spent_micros)
    }

    /// The blur's ε per day, where the design is the blur.
    #[must_use]
    pub fn blur_epsilon_per_day(&self) -> Option<f64> {
        self.blur.as_ref().map(BlurredQuery::epsilon_per_day)
    }

    /// The design's public answer to `query` at simulated time `now_s` (the blur's windows);
    /// `None` for the proximity test, which answers one creditor through its own exchange.
    pub fn answer(&mut self, city: &City, query: Query, now_s: u64) -> Option<DesignAnswer> {
        Some(match self.params.design {
            DesignKind::Exposed => DesignAnswer::Exposed(Exposed { fidelity: self.params.fidelity }.answer(city, query)),
            DesignKind::Aggregate => DesignAnswer::Aggregate(self.aggregate.as_ref()?.answer(query)),
            DesignKind::DpRelease => DesignAnswer::Release(self.release.as_ref()?.answer(query)),
            DesignKind::DpSession => DesignAnswer::Dp(self.dp.as_mut()?.answer(city, query)),
            DesignKind::Blur => DesignAnswer::Blur(self.blur.as_mut()?.answer(city, query, now_s)),
            DesignKind::PrivateProximity => return None,
        })
    }
}

impl Default for DesignParams {
    /// The app's defaults: the deployed map as reported, k = 5, ε = 1 per release and per
    /// question, a budget of 10, blur ε = 0.004 per metre, keyed cells.
    fn default() -> Self {
        Self {
            design: DesignKind::Exposed,
            fidelity: Fidelity::Reported,
            k: 5,
            release_epsilon: Epsilon::from_micros(1_000_000),
            question_epsilon: Epsilon::from_micros(1_000_000),
            budget: Epsilon::from_micros(10_000_000),
            blur_epsilon: 0.004,
            hash: CellHash::Keyed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::CityConfig;

    #[test]
    fn each_design_answers_with_its_own_kind_and_the_proximity_test_through_its_exchange() {
        let city = City::generate(CityConfig { seed: 3, people: 3_000, listed_rate: 0.02 }).unwrap();
        let q = Query { at: city.home(0), radius_m: 800.0 };
        for &design in DesignKind::ALL {
            let mut a = Answerer::new(&city, DesignParams { design, ..DesignParams::default() }, 9);
            let got = a.answer(&city, q, 0);
            let kind = match &got {
                None => DesignKind::PrivateProximity,
                Some(DesignAnswer::Exposed(_)) => DesignKind::Exposed,
                Some(DesignAnswer::Aggregate(_)) => DesignKind::Aggregate,
                Some(DesignAnswer::Release(_)) => DesignKind::DpRelease,
                Some(DesignAnswer::Dp(_)) => DesignKind::DpSession,
                Some(DesignAnswer::Blur(_)) => DesignKind::Blur,
            };
            assert_eq!(kind, design);
        }
    }

    #[test]
    fn a_new_session_restores_the_budget_and_only_dp_sessions_spend() {
        let city = City::generate(CityConfig { seed: 3, people: 3_000, listed_rate: 0.02 }).unwrap();
        let q = Query { at: city.home(0), radius_m: 800.0 };
        let params = DesignParams { design: DesignKind::DpSession, budget: Epsilon::from_micros(2_000_000), ..DesignParams::default() };
        let mut a = Answerer::new(&city, params, 1);
        for i in 0..3 {
            let far = Query { at: city.home(i * 50), ..q };
            let _ = a.answer(&city, far, 0);
        }
        assert!(matches!(a.answer(&city, Query { at: city.home(999), ..q }, 0), Some(DesignAnswer::Dp(Err(_)))));
        assert_eq!(a.dp_spent_micros(), 2_000_000);
        a.new_session(2);
        assert_eq!(a.dp_spent_micros(), 0);
        let mut release = Answerer::new(&city, DesignParams { design: DesignKind::DpRelease, ..DesignParams::default() }, 1);
        let _ = release.answer(&city, q, 0);
        assert_eq!(release.dp_spent_micros(), 0);
    }

    #[test]
    fn a_question_over_the_budget_is_refused_before_any_is_asked() {
        let over = DesignParams {
            design: DesignKind::DpSession,
            question_epsilon: Epsilon::from_micros(5_000_000),
            budget: Epsilon::from_micros(1_000_000),
            ..DesignParams::default()
        };
        assert!(over.validate().is_err());
        assert!(DesignParams { design: DesignKind::DpRelease, ..over }.validate().is_ok());
    }
}

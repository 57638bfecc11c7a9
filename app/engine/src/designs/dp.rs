//! A differentially private count per question with exact integer noise, a budget per session
//! and a cache (the `dp-session` design, kept to show why a budget per querier fails), and the
//! exact discrete Laplace sampler the release uses too.
//!
//! The noise is two-sided geometric (discrete Laplace): `P(y) ∝ exp(-ε·|y|)`, the right law for
//! a count whose sensitivity is 1. It is sampled exactly with integer arithmetic only, following
//! Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential Privacy" (2020),
//! Algorithm 2, so the floating-point weaknesses Mironov (CCS 2012) found in Laplace samplers do
//! not arise. To keep the arithmetic exact, ε is a whole number of millionths.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Query;
use crate::city::City;

/// A privacy-loss parameter ε as a whole number of millionths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Epsilon(u64);

/// Why a value cannot be an ε.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EpsilonError {
    /// Not a number.
    #[error("'{0}' is not a number")]
    NotANumber(String),
    /// Zero, negative, too small to represent or too large.
    #[error("{0} is out of range: choose from 0.000001 to 100")]
    Range(String),
}

impl Epsilon {
    /// One millionth, the smallest ε.
    pub const MICRO: u64 = 1_000_000;

    /// ε from millionths.
    #[must_use]
    pub const fn from_micros(micros: u64) -> Self {
        Self(micros)
    }

    /// ε from a decimal string such as `"1"` or `"0.25"`, rounded to millionths.
    ///
    /// # Errors
    /// [`EpsilonError`] if the string is not a number or is outside 0.000001 to 100.
    pub fn parse(s: &str) -> Result<Self, EpsilonError> {
        let v: f64 = s.trim().parse().map_err(|_| EpsilonError::NotANumber(s.to_owned()))?;
        Self::from_f64(v).ok_or_else(|| EpsilonError::Range(s.to_owned()))
    }

    /// ε from a float, rounded to millionths; `None` outside 0.000001 to 100.
    #[must_use]
    pub fn from_f64(v: f64) -> Option<Self> {
        if !v.is_finite() || !(0.000_000_5..=100.0).contains(&v) {
            return None;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let micros = (v * 1e6).round() as u64;
        (micros > 0).then_some(Self(micros))
    }

    /// Millionths.
    #[must_use]
    pub fn micros(self) -> u64 {
        self.0
    }

    /// As a float, for display.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 1e6
    }
}

/// A Bernoulli draw with probability `num / den` (`num <= den`).
fn bernoulli(rng: &mut ChaCha8Rng, num: u128, den: u128) -> bool {
    rng.random_range(0..den) < num
}

/// A Bernoulli draw with probability `exp(-num/den)`, for `0 <= num/den`.
fn bernoulli_exp(rng: &mut ChaCha8Rng, num: u128, den: u128) -> bool {
    let mut whole = num / den;
    while whole > 0 {
        if !bernoulli_exp_unit(rng, 1, 1) {
            return false;
        }
        whole -= 1;
    }
    bernoulli_exp_unit(rng, num % den, den)
}

/// `exp(-γ)` for `γ = num/den` in [0, 1], by counting successive Bernoulli(γ/k) successes.
fn bernoulli_exp_unit(rng: &mut ChaCha8Rng, num: u128, den: u128) -> bool {
    let mut k: u128 = 1;
    while bernoulli(rng, num, den * k) {
        k += 1;
    }
    k % 2 == 1
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Samples discrete Laplace noise `P(y) ∝ exp(-ε·|y|)` exactly, with integer arithmetic only.
///
/// ```
/// use rand::SeedableRng;
/// use within500_engine::{sample_discrete_laplace, Epsilon};
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let eps = Epsilon::parse("1").unwrap();
/// let noise: Vec<i64> = (0..1000).map(|_| sample_discrete_laplace(&mut rng, eps)).collect();
/// let mean = noise.iter().sum::<i64>() as f64 / 1000.0;
/// assert!(mean.abs() < 0.3);
/// ```
pub fn sample_discrete_laplace(rng: &mut ChaCha8Rng, epsilon: Epsilon) -> i64 {
    // ε = s/t in lowest terms; the scale of the noise is t/s.
    let (s, t) = (u128::from(epsilon.0), u128::from(Epsilon::MICRO));
    let g = gcd(s, t);
    let (s, t) = (s / g, t / g);
    loop {
        let u = rng.random_range(0..t);
        if !bernoulli_exp(rng, u, t) {
            continue;
        }
        let mut v: u128 = 0;
        while bernoulli_exp(rng, 1, 1) {
            v += 1;
        }
        let y = (u + t * v) / s;
        let negative = rng.random::<bool>();
        if negative && y == 0 {
            continue;
        }
        let y = i64::try_from(y).unwrap_or(i64::MAX);
        return if negative { -y } else { y };
    }
}

/// The DP count's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DpAnswer {
    /// The true count plus discrete Laplace noise (may be negative).
    pub noisy_count: i64,
    /// Whether this repeated an earlier identical query's answer at no cost.
    pub cached: bool,
    /// ε spent in this session so far, in millionths.
    pub spent_micros: u64,
    /// ε left in this session, in millionths.
    pub left_micros: u64,
}

/// Why the DP count refused to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum DpRefusal {
    /// Answering would spend more than the session's budget.
    #[error("privacy budget spent: {spent_micros} of {budget_micros} millionths of ε used")]
    BudgetSpent {
        /// ε spent so far, in millionths.
        spent_micros: u64,
        /// The session's budget, in millionths.
        budget_micros: u64,
    },
}

/// A session with the DP count: ε per query, a budget, and a cache of answers.
#[derive(Debug, Clone)]
pub struct DpCount {
    epsilon: Epsilon,
    budget: Epsilon,
    spent: u64,
    cache: FxHashMap<(u64, u64, u64), i64>,
    rng: ChaCha8Rng,
}

impl DpCount {
    /// A new session. `session_secret` seeds the session's noise and must be fresh for every
    /// session: the app and the CLI draw it from the operating system, the lab from its simulated
    /// operator's stream. A secret used twice would replay the same noise, and an attacker who
    /// calibrated it once would read every later count exactly.
    #[must_use]
    pub fn new(epsilon: Epsilon, budget: Epsilon, session_secret: u64) -> Self {
        Self { epsilon, budget, spent: 0, cache: FxHashMap::default(), rng: ChaCha8Rng::seed_from_u64(session_secret) }
    }

    /// ε per query.
    #[must_use]
    pub fn epsilon(&self) -> Epsilon {
        self.epsilon
    }

    /// The session's budget.
    #[must_use]
    pub fn budget(&self) -> Epsilon {
        self.budget
    }

    /// ε spent so far, in millionths.
    #[must_use]
    pub fn spent_micros(&self) -> u64 {
        self.spent
    }

    /// Answers a query with a noisy count of listed people within the radius.
    ///
    /// An identical query (same position and radius, bit for bit) returns the cached answer and
    /// spends nothing.
    ///
    /// # Errors
    /// [`DpRefusal::BudgetSpent`] when a new query would exceed the budget; nothing is spent.
    pub fn answer(&mut self, city: &City, query: Query) -> Result<DpAnswer, DpRefusal> {
        let key = (query.at.lat.to_bits(), query.at.lng.to_bits(), query.radius_m.to_bits());
        if let Some(&noisy_count) = self.cache.get(&key) {
            return Ok(self.reply(noisy_count, true));
        }
        if self.spent + self.epsilon.0 > self.budget.0 {
            return Err(DpRefusal::BudgetSpent { spent_micros: self.spent, budget_micros: self.budget.0 });
        }
        self.spent += self.epsilon.0;
        let truth = i64::from(city.listed_count_within(query.at, query.radius_m));
        let noisy_count = truth + sample_discrete_laplace(&mut self.rng, self.epsilon);
        self.cache.insert(key, noisy_count);
        Ok(self.reply(noisy_count, false))
    }

    fn reply(&self, noisy_count: i64, cached: bool) -> DpAnswer {
        DpAnswer { noisy_count, cached, spent_micros: self.spent, left_micros: self.budget.0 - self.spent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsilon_parsing() {
        assert_eq!(Epsilon::parse("0.25").map(Epsilon::micros), Ok(250_000));
        assert!(matches!(Epsilon::parse("abc"), Err(EpsilonError::NotANumber(_))));
        assert!(matches!(Epsilon::parse("0"), Err(EpsilonError::Range(_))));
        assert!(matches!(Epsilon::parse("-1"), Err(EpsilonError::Range(_))));
        assert!(matches!(Epsilon::parse("NaN"), Err(EpsilonError::Range(_))));
        assert!(matches!(Epsilon::parse("1e9"), Err(EpsilonError::Range(_))));
    }

    /// The empirical distribution of the noise matches `P(y) = (1-α)/(1+α)·α^|y|`, α = e^{-ε}.
    fn check_law(eps: &str, seed: u64) {
        let epsilon = Epsilon::parse(eps).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 100_000u32;
        let mut counts: FxHashMap<i64, u32> = FxHashMap::default();
        for _ in 0..n {
            *counts.entry(sample_discrete_laplace(&mut rng, epsilon)).or_default() += 1;
        }
        let alpha = libm::exp(-epsilon.as_f64());
        let p = |y: i64| (1.0 - alpha) / (1.0 + alpha) * alpha.powi(i32::try_from(y.abs()).unwrap());
        // Chi-squared over bins with expected count >= 20, tails pooled.
        let mut chi2 = 0.0;
        let mut bins = 0;
        let mut tail_expected = f64::from(n);
        let mut tail_seen = f64::from(n);
        for y in -60..=60i64 {
            let expected = f64::from(n) * p(y);
            if expected < 20.0 {
                continue;
            }
            let seen = f64::from(counts.get(&y).copied().unwrap_or(0));
            chi2 += (seen - expected).powi(2) / expected;
            tail_expected -= expected;
            tail_seen -= seen;
            bins += 1;
        }
        chi2 += (tail_seen - tail_expected).powi(2) / tail_expected.max(1.0);
        // The 99.9th percentile of chi-squared with `bins` degrees of freedom is below
        // bins + 3.1·sqrt(2·bins) + 10 for the bin counts that arise here.
        let limit = f64::from(bins) + 3.1 * (2.0 * f64::from(bins)).sqrt() + 10.0;
        assert!(chi2 < limit, "ε {eps}: chi² {chi2:.1} over {bins} bins, limit {limit:.1}");
    }

    #[test]
    fn noise_follows_the_discrete_laplace_law() {
        check_law("1", 11);
        check_law("0.5", 12);
        check_law("0.1", 13);
        check_law("2.5", 14);
    }

    #[test]
    fn noise_is_symmetric_and_integer() {
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let eps = Epsilon::parse("0.3").unwrap();
        let sum: i64 = (0..50_000).map(|_| sample_discrete_laplace(&mut rng, eps)).sum();
        #[allow(clippy::cast_precision_loss)]
        let mean = sum as f64 / 50_000.0;
        assert!(mean.abs() < 0.1, "mean {mean}");
    }
}

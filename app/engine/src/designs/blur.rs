//! Blurred position: the querier's position passes through planar Laplace noise
//! (geo-indistinguishability, Andrés et al., CCS 2013) before the count is taken.
//!
//! Like Location Guard, the design keeps **one fake position per privacy level per time window**
//! (here [`BLUR_WINDOW_S`], 30 minutes, on the caller's clock), whatever the true position: asking
//! again, from the same place or a nudged one, gets the same fake position until the window ends.
//! Each window's report is ε-geo-indistinguishable (ε per metre); 48 windows a day compose to
//! 48 ε per metre a day ([`BlurredQuery::epsilon_per_day`]).
//!
//! Blurring protects the **asker**'s position. It does nothing for the people on the list: the
//! count around the fake position is exact, and an asker who opens new sessions or waits for new
//! windows gets exact counts around points they nearly choose. The lab measures that.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::Query;
use crate::city::City;
use crate::geo::{LatLng, LocalFrame};

/// The length of a time window in seconds: one fake position per window.
pub const BLUR_WINDOW_S: u64 = 30 * 60;

/// Windows in a day.
pub const BLUR_WINDOWS_PER_DAY: u64 = 24 * 3600 / BLUR_WINDOW_S;

/// The blurred design's answer: a count, and nothing about where it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BlurredAnswer {
    /// Listed people within the radius of the blurred position.
    pub count: u32,
}

/// Counts around a position blurred with planar Laplace noise of `epsilon_per_m`.
#[derive(Debug, Clone)]
pub struct BlurredQuery {
    epsilon_per_m: f64,
    rng: ChaCha8Rng,
    /// The current window and its fake position.
    current: Option<(u64, LatLng)>,
    /// Whether one fake position is kept per window (Location Guard's cache); off only to show
    /// what the cache prevents.
    cached: bool,
}

impl BlurredQuery {
    /// A blurring session. Location Guard's levels are ε = 2/r for r = 200, 500 and 2 000 m,
    /// that is 0.01, 0.004 and 0.001 per metre; the mean displacement is 2/ε.
    /// `session_secret` seeds the noise; it must be fresh for every session (drawn from the
    /// operating system in the app and the CLI, from the lab's simulated device otherwise).
    #[must_use]
    pub fn new(epsilon_per_m: f64, session_secret: u64) -> Self {
        Self { epsilon_per_m, rng: ChaCha8Rng::seed_from_u64(session_secret), current: None, cached: true }
    }

    /// The same without the per-window cache: a fresh fake position for every question.
    #[must_use]
    pub fn without_cache(epsilon_per_m: f64, session_secret: u64) -> Self {
        Self { cached: false, ..Self::new(epsilon_per_m, session_secret) }
    }

    /// ε per metre.
    #[must_use]
    pub fn epsilon_per_m(&self) -> f64 {
        self.epsilon_per_m
    }

    /// ε per metre spent in a day: one report per window.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn epsilon_per_day(&self) -> f64 {
        self.epsilon_per_m * BLUR_WINDOWS_PER_DAY as f64
    }

    /// The blurred position for a true position at time `now_s` (seconds on the caller's
    /// clock): drawn at the first question of a window, then kept until the window ends.
    pub fn blur(&mut self, at: LatLng, now_s: u64) -> LatLng {
        let window = now_s / BLUR_WINDOW_S;
        if let Some((w, p)) = self.current {
            if w == window && self.cached {
                return p;
            }
        }
        // The radius of planar Laplace noise follows Gamma(2, 1/ε): the sum of two exponentials.
        let u1: f64 = 1.0 - self.rng.random::<f64>();
        let u2: f64 = 1.0 - self.rng.random::<f64>();
        let r = -(libm::log(u1) + libm::log(u2)) / self.epsilon_per_m;
        let theta = std::f64::consts::TAU * self.rng.random::<f64>();
        let p = LocalFrame::new(at).to_latlng(r * libm::cos(theta), r * libm::sin(theta));
        self.current = Some((window, p));
        p
    }

    /// Answers a query at time `now_s`: the count of listed people within the radius of the
    /// window's blurred position.
    pub fn answer(&mut self, city: &City, query: Query, now_s: u64) -> BlurredAnswer {
        let p = self.blur(query.at, now_s);
        BlurredAnswer { count: city.listed_count_within(p, query.radius_m) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::CITY_CENTRE;

    #[test]
    fn displacement_has_mean_two_over_epsilon() {
        let frame = LocalFrame::new(CITY_CENTRE);
        let n: u32 = 20_000;
        let mut b = BlurredQuery::new(0.004, 9);
        let mut total = 0.0;
        for i in 0..n {
            let at = frame.to_latlng(f64::from(i), 0.0);
            // One question per window: every one draws afresh.
            total += at.distance_m(b.blur(at, u64::from(i) * BLUR_WINDOW_S));
        }
        let mean = total / f64::from(n);
        assert!((mean - 500.0).abs() < 15.0, "mean displacement {mean}");
    }

    #[test]
    fn one_fake_position_per_window_whatever_the_true_position() {
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut b = BlurredQuery::new(0.004, 9);
        let first = b.blur(frame.to_latlng(0.0, 0.0), 0);
        // A nudge of 10 nm, a move of 1 km, and the last second of the window: the same fake.
        assert_eq!(b.blur(LatLng::new(CITY_CENTRE.lat + 1e-13, CITY_CENTRE.lng), 10), first);
        assert_eq!(b.blur(frame.to_latlng(1_000.0, 0.0), BLUR_WINDOW_S - 1), first);
        // The next window draws a new one.
        assert_ne!(b.blur(frame.to_latlng(0.0, 0.0), BLUR_WINDOW_S), first);
        let mut open = BlurredQuery::without_cache(0.004, 9);
        let a = open.blur(frame.to_latlng(0.0, 0.0), 0);
        assert_ne!(open.blur(frame.to_latlng(0.0, 0.0), 0), a);
        assert!((b.epsilon_per_day() - 0.004 * 48.0).abs() < 1e-12);
    }
}

//! Blurred position: the querier's position passes through planar Laplace noise
//! (geo-indistinguishability, Andrés et al., CCS 2013) before the count is taken.
//!
//! Like Location Guard, the design remembers the blurred position it chose for an exact
//! position, so asking again from the same place cannot average the noise away.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Query;
use crate::city::City;
use crate::geo::{LatLng, LocalFrame};

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
    cache: FxHashMap<(u64, u64), LatLng>,
}

impl BlurredQuery {
    /// A blurring session. Location Guard's levels are ε = 2/r for r = 200, 500 and 2 000 m,
    /// that is 0.01, 0.004 and 0.001 per metre; the mean displacement is 2/ε.
    #[must_use]
    pub fn new(epsilon_per_m: f64, noise_seed: u64) -> Self {
        Self { epsilon_per_m, rng: ChaCha8Rng::seed_from_u64(noise_seed), cache: FxHashMap::default() }
    }

    /// ε per metre.
    #[must_use]
    pub fn epsilon_per_m(&self) -> f64 {
        self.epsilon_per_m
    }

    /// The blurred position for a true position (drawn once, then remembered).
    pub fn blur(&mut self, at: LatLng) -> LatLng {
        let key = (at.lat.to_bits(), at.lng.to_bits());
        if let Some(&p) = self.cache.get(&key) {
            return p;
        }
        // The radius of planar Laplace noise follows Gamma(2, 1/ε): the sum of two exponentials.
        let u1: f64 = 1.0 - self.rng.random::<f64>();
        let u2: f64 = 1.0 - self.rng.random::<f64>();
        let r = -(libm::log(u1) + libm::log(u2)) / self.epsilon_per_m;
        let theta = std::f64::consts::TAU * self.rng.random::<f64>();
        let p = LocalFrame::new(at).to_latlng(r * libm::cos(theta), r * libm::sin(theta));
        self.cache.insert(key, p);
        p
    }

    /// Answers a query: the count of listed people within the radius of the blurred position.
    pub fn answer(&mut self, city: &City, query: Query) -> BlurredAnswer {
        let p = self.blur(query.at);
        BlurredAnswer { count: city.listed_count_within(p, query.radius_m) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::CITY_CENTRE;

    #[test]
    fn displacement_has_mean_two_over_epsilon_and_is_cached() {
        let mut b = BlurredQuery::new(0.004, 9);
        let frame = LocalFrame::new(CITY_CENTRE);
        let n = 20_000;
        let mut total = 0.0;
        for i in 0..n {
            let at = frame.to_latlng(f64::from(i), 0.0);
            total += at.distance_m(b.blur(at));
        }
        let mean = total / f64::from(n);
        assert!((mean - 500.0).abs() < 15.0, "mean displacement {mean}");
        let at = frame.to_latlng(1.0, 0.0);
        assert_eq!(b.blur(at), b.blur(at));
    }
}

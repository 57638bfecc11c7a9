//! Published attacks on proximity services, run again in the lab on a seeded city: what each
//! study reported beside what the same kind of attacker gets here.
//!
//! - Polakis et al. (CCS 2015): Facebook users located within 5 m, 90 % of Foursquare users
//!   within 15 m, with a membership oracle ("is the target within the radius?") that moves the
//!   question point; here the oracle attacker against the deployed list.
//! - Momo: 88.9 % of users within 40 m in about 12 questions; here the oracle with 12 questions.
//! - Location Guard's medium level (planar Laplace, ε = 0.004 per metre): the RMS error of one
//!   report is √6 / ε ≈ 612 m, and averaging n independent reports divides it by √n (88 m after 48
//!   reports, a day of 30-minute windows; 33 m after a week); here measured by averaging the
//!   engine's own blurred positions, with and without the one-position-per-window cache.
//! - `WeChat` Nearby: 56 % of users within 60 m by trilateration on the distances it showed; here
//!   trilateration on the deployed list's `distance` fidelity.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{run_lab, AttackedDesign, AttackerKind, LabConfig, Metrics};
use crate::city::City;
use crate::designs::{BlurredQuery, Fidelity, BLUR_WINDOWS_PER_DAY, BLUR_WINDOW_S};
use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};

/// Location Guard's medium level, ε per metre.
pub const LOCATION_GUARD_MEDIUM: f64 = 0.004;

/// The RMS error of averaged blurred positions after some number of reports.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AveragedBlur {
    /// Reports averaged (questions asked).
    pub reports: u32,
    /// Root-mean-square distance in metres between the average and the true position.
    pub rms_m: f64,
}

/// The lab's figures for each replicated study, from one seeded city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replications {
    /// Listed people attacked (every one in the city).
    pub targets: u32,
    /// Oracle against the deployed list, 40 questions a target: share within 5 m.
    pub oracle_within_5m: f64,
    /// The same, within 15 m.
    pub oracle_within_15m: f64,
    /// The same: median error in metres.
    pub oracle_median_m: Option<f64>,
    /// Oracle with 12 questions a target: share within 40 m.
    pub momo_within_40m: f64,
    /// Trilateration on shown distances: share within 60 m.
    pub wechat_within_60m: f64,
    /// Blurred positions averaged without the cache (a fresh draw per report): 1, 48 and 336
    /// reports, and a day of one question a minute (1 440).
    pub blur_without_cache: Vec<AveragedBlur>,
    /// With the cache, one question a minute: a day (1 440 questions, 48 windows) and a week
    /// (10 080 questions, 336 windows).
    pub blur_with_cache: Vec<AveragedBlur>,
    /// Trials averaged for each blur figure.
    pub blur_trials: u32,
}

fn share_within(m: &Metrics, limit_m: f64) -> f64 {
    let n = m.outcomes.len().max(1);
    let hits = m.outcomes.iter().filter(|o| o.estimate.is_some_and(|e| e.distance_m(o.truth) <= limit_m)).count();
    #[allow(clippy::cast_precision_loss)]
    let share = hits as f64 / n as f64;
    share
}

/// The RMS error of the mean of the blurred positions reported by questions asked once every
/// `every_s` seconds, after each count in `reports`, over `trials` trials, each at a different
/// true position and with its own session secret.
fn averaged_blur(epsilon_per_m: f64, reports: &[u32], every_s: u64, cached: bool, trials: u32, seed: u64) -> Vec<AveragedBlur> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0B1A_5E00);
    let frame = LocalFrame::new(CITY_CENTRE);
    let most = reports.iter().copied().max().unwrap_or(0);
    let mut squared = vec![0.0; reports.len()];
    for _ in 0..trials {
        let secret: u64 = rng.random();
        let at: LatLng = frame.to_latlng(rng.random_range(-3_000.0..3_000.0), rng.random_range(-3_000.0..3_000.0));
        let mut blur = if cached { BlurredQuery::new(epsilon_per_m, secret) } else { BlurredQuery::without_cache(epsilon_per_m, secret) };
        let local = LocalFrame::new(at);
        let (mut sx, mut sy) = (0.0, 0.0);
        for n in 1..=most {
            let (x, y) = local.to_local(blur.blur(at, u64::from(n - 1) * every_s));
            sx += x;
            sy += y;
            if let Some(i) = reports.iter().position(|&r| r == n) {
                let (mx, my) = (sx / f64::from(n), sy / f64::from(n));
                squared[i] += mx * mx + my * my;
            }
        }
    }
    reports.iter().zip(squared).map(|(&r, s)| AveragedBlur { reports: r, rms_m: (s / f64::from(trials.max(1))).sqrt() }).collect()
}

/// Runs every replication on `city` with the lab's `seed`.
#[must_use]
pub fn replications(city: &City, seed: u64) -> Replications {
    let config = |attacker, budget| LabConfig { attacker, budget, radius_m: 500.0, seed, targets: 0 };
    let oracle = run_lab(city, &config(AttackerKind::Oracle, 40), &AttackedDesign::Exposed(Fidelity::Reported));
    let momo = run_lab(city, &config(AttackerKind::Oracle, 12), &AttackedDesign::Exposed(Fidelity::Reported));
    let wechat = run_lab(city, &config(AttackerKind::Trilateration, 40), &AttackedDesign::Exposed(Fidelity::Distance));
    let trials = 2_000;
    let minute = 60;
    let day = u32::try_from(BLUR_WINDOWS_PER_DAY).unwrap_or(48);
    let per_day = u32::try_from(86_400 / minute).unwrap_or(1_440);
    let without = averaged_blur(LOCATION_GUARD_MEDIUM, &[1, day, 7 * day, per_day], BLUR_WINDOW_S, false, trials, seed);
    let with = averaged_blur(LOCATION_GUARD_MEDIUM, &[per_day, 7 * per_day], minute, true, trials / 4, seed);
    Replications {
        targets: oracle.targets,
        oracle_within_5m: share_within(&oracle, 5.0),
        oracle_within_15m: share_within(&oracle, 15.0),
        oracle_median_m: oracle.median_error_m,
        momo_within_40m: share_within(&momo, 40.0),
        wechat_within_60m: share_within(&wechat, 60.0),
        blur_without_cache: without,
        blur_with_cache: with,
        blur_trials: trials,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Averaging independent reports shrinks the error by √n, and the cache stops it at the
    /// number of windows: a day of questions every minute is worth 48 reports, not 1 440.
    #[test]
    fn the_cache_caps_averaging_at_one_report_per_window() {
        let without = averaged_blur(LOCATION_GUARD_MEDIUM, &[1, 48, 1_440], 60, false, 300, 3);
        let with = averaged_blur(LOCATION_GUARD_MEDIUM, &[1, 48, 1_440], 60, true, 300, 3);
        let theory = 6f64.sqrt() / LOCATION_GUARD_MEDIUM;
        assert!((without[0].rms_m / theory - 1.0).abs() < 0.15, "one report: {} m, theory {theory} m", without[0].rms_m);
        assert!(without[2].rms_m < without[1].rms_m / 3.0, "{without:?}");
        // 1 440 questions a minute apart fall in 48 windows: with the cache they average like
        // 48 reports, far worse than 1 440 fresh ones.
        assert!(with[2].rms_m > without[2].rms_m * 3.0, "with {with:?} without {without:?}");
    }
}

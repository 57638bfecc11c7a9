//! A differentially private **release**: noisy counts of listed people per H3 cell, published
//! once per city, from which every circle question is answered.
//!
//! Every listed person lives in exactly one resolution-9 cell, so adding or removing one person
//! changes exactly one released value by one: the sensitivity of the whole table is 1, and
//! discrete Laplace noise of ε on each value makes the **whole release** ε-differentially private
//! for each person (parallel composition, Dwork and Roth 2014, §2.3). Noise is added to every cell
//! of the city, empty or not, so the set of cells published reveals nothing.
//!
//! A question is answered from the release alone (post-processing): the sum over the cells the
//! circle touches of each noisy count times the share of the cell inside the circle. Asking again,
//! from a nudged position, in a new session or from another process gives the same answer and
//! spends nothing: the total ε per person is the release's ε, whatever anyone asks.
//!
//! The noise comes from the operator's secret. In this simulation the operator derives it from
//! the city seed with its own domain tag, so that a release is reproducible; no attacker in the
//! lab reads it (attackers get [`Reply`](crate::Reply) values only).

use h3o::Resolution;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::aggregate::{overlap_share, touching_cells};
use super::dp::{sample_discrete_laplace, Epsilon};
use super::Query;
use crate::city::{City, CityConfig};
use crate::index::city_cells;
use crate::index::CellShapes;

/// The release's resolution: H3 resolution 9, average edge about 201 m (h3o's figure), area about
/// 0.1 km².
pub const RELEASE_RESOLUTION: Resolution = Resolution::Nine;

/// The operator's noise seed for a city's release (an operator secret in a real deployment).
/// It depends on the whole data set, not the seed alone: a list that changes (another share
/// listed, another population) is a new release with fresh noise, which spends its own ε, instead
/// of the old noise again, which would let the difference of two releases show the exact change.
fn operator_secret(config: CityConfig) -> u64 {
    let people = u64::from(config.people).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    config.seed.rotate_left(29) ^ people ^ config.listed_rate.to_bits().rotate_left(17) ^ 0x5DEE_CE66_D1CE_4E5B
}

/// One released cell as a question's answer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReleasedCell {
    /// The H3 cell, as a raw index.
    pub cell: u64,
    /// The cell's noisy count (may be negative).
    pub noisy_count: i64,
    /// Share of the cell's area inside the question's circle, in per mille.
    pub overlap_permille: u16,
}

/// The answer to a circle question, computed from the release alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DpReleaseAnswer {
    /// Estimated listed people within the radius: noisy counts weighted by overlap.
    pub estimate: f64,
    /// The released cells the circle touches.
    pub cells: Vec<ReleasedCell>,
    /// The release's total ε per person, in millionths (spent once, at publication).
    pub epsilon_total_micros: u64,
}

/// Noisy counts per resolution-9 cell, published once per city.
#[derive(Debug, Clone)]
pub struct DpRelease {
    epsilon_total: Option<Epsilon>,
    counts: FxHashMap<u64, i64>,
    /// The released cells' centres and outlines, for answering.
    shapes: CellShapes,
}

impl DpRelease {
    /// Publishes the release of a city with a total ε per person.
    ///
    /// ```
    /// use within500_engine::{City, CityConfig, DpRelease, Epsilon, Query};
    /// let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
    /// let release = DpRelease::publish(&city, Epsilon::from_micros(1_000_000));
    /// let q = Query { at: city.home(0), radius_m: 500.0 };
    /// // Post-processing: the same question always gets the same answer.
    /// assert_eq!(release.answer(q), DpRelease::publish(&city, Epsilon::from_micros(1_000_000)).answer(q));
    /// # Ok::<(), within500_engine::ConfigError>(())
    /// ```
    #[must_use]
    pub fn publish(city: &City, epsilon_total: Epsilon) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(operator_secret(city.config()));
        let mut counts = true_counts(city);
        // Noise is drawn in cell order, not the map's: a hash map iterates differently on
        // 32-bit WebAssembly and 64-bit hosts, and the page must publish the CLI's release.
        let mut cells: Vec<u64> = counts.keys().copied().collect();
        cells.sort_unstable();
        for cell in cells {
            if let Some(v) = counts.get_mut(&cell) {
                *v += sample_discrete_laplace(&mut rng, epsilon_total);
            }
        }
        let shapes = CellShapes::of(counts.keys().copied());
        Self { epsilon_total: Some(epsilon_total), counts, shapes }
    }

    /// The same table without noise: what the release would disclose at ε = ∞. The lab computes
    /// it to show how close an attacker against the noisy release comes to it.
    #[must_use]
    pub fn noiseless(city: &City) -> Self {
        let counts = true_counts(city);
        let shapes = CellShapes::of(counts.keys().copied());
        Self { epsilon_total: None, counts, shapes }
    }

    /// The total ε per person (`None` for the noiseless table).
    #[must_use]
    pub fn epsilon_total(&self) -> Option<Epsilon> {
        self.epsilon_total
    }

    /// A cell's released count; `None` for a cell outside the city.
    #[must_use]
    pub fn cell_count(&self, cell: u64) -> Option<i64> {
        self.counts.get(&cell).copied()
    }

    /// Answers a circle question from the release.
    #[must_use]
    pub fn answer(&self, query: Query) -> DpReleaseAnswer {
        let mut estimate = 0.0;
        let cells = touching_cells(query, RELEASE_RESOLUTION, &self.shapes)
            .into_iter()
            .filter_map(|(cell, poly)| {
                let noisy_count = self.cell_count(cell)?;
                let overlap = overlap_share(&poly, query.radius_m);
                #[allow(clippy::cast_precision_loss)]
                {
                    estimate += noisy_count as f64 * overlap;
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let overlap_permille = (overlap * 1000.0).round() as u16;
                Some(ReleasedCell { cell, noisy_count, overlap_permille })
            })
            .collect();
        DpReleaseAnswer { estimate, cells, epsilon_total_micros: self.epsilon_total.map_or(0, Epsilon::micros) }
    }
}

/// True listed counts for every resolution-9 cell of the city, zeros included.
fn true_counts(city: &City) -> FxHashMap<u64, i64> {
    let mut counts: FxHashMap<u64, i64> = city_cells(RELEASE_RESOLUTION).into_iter().map(|c| (c, 0)).collect();
    // The assigner gives h3o's cells, most of them without h3o (about a microsecond a home).
    let mut assigner = crate::cells::CellAssigner::new(RELEASE_RESOLUTION);
    for (_, home) in city.listed_homes() {
        if let Some(c) = assigner.cell(home) {
            *counts.entry(c).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::CityConfig;

    #[test]
    fn one_person_changes_one_released_value() {
        let city = City::generate(CityConfig { seed: 3, people: 5_000, listed_rate: 0.02 }).unwrap();
        let exact = DpRelease::noiseless(&city);
        let total: i64 = exact.counts.values().sum();
        assert_eq!(total, i64::try_from(city.listings().len()).unwrap());
        // Every listed home falls in a published cell, so each person moves exactly one value.
        for (_, home) in city.listed_homes() {
            assert!(exact.cell_count(crate::index::cell_of(home, RELEASE_RESOLUTION).unwrap()).is_some_and(|c| c >= 1));
        }
    }

    #[test]
    fn empty_cells_get_noise_too() {
        let city = City::generate(CityConfig { seed: 3, people: 5_000, listed_rate: 0.02 }).unwrap();
        let exact = DpRelease::noiseless(&city);
        let noisy = DpRelease::publish(&city, Epsilon::from_micros(500_000));
        let empty_changed = exact.counts.iter().filter(|(c, &v)| v == 0 && noisy.counts[c] != 0).count();
        let empty = exact.counts.values().filter(|&&v| v == 0).count();
        // At ε = 0.5 the noise is non-zero with probability 2e^{-0.5}/(1+e^{-0.5}) ≈ 0.76.
        assert!(empty_changed * 10 > empty * 6, "{empty_changed} of {empty} empty cells changed");
    }
}

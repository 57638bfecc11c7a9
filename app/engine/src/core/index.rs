//! The H3 index and the exact radius query.
//!
//! Points are stored sorted by their H3 cell, so each cell's members form one contiguous run of
//! the coordinate arrays; the index itself is only a table of runs (cell, start, end and the
//! cell's centre), a hash map from cell to run, and one bound on the distance from any cell's
//! centre to its boundary (the cell's *circumradius*). A query walks the grid disk around the query point's cell and, per populated cell:
//! - skips it when even its nearest possible point is farther than the radius,
//! - takes the whole run without a distance test when even its farthest point is inside,
//! - otherwise tests each member with the same [`RadiusTest`] that brute force uses.
//!
//! The answer is therefore identical to a brute-force scan, which the tests check.

use serde::{Deserialize, Serialize};
use std::ops::Range;

use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use rustc_hash::FxHashMap;

use crate::geo::{LatLng, RadiusTest};

/// The H3 resolution of the people index (average edge about 76 m, h3o's figure).
pub const INDEX_RESOLUTION: Resolution = Resolution::Ten;

/// Slack added to a cell's circumradius so floating-point error in cell assignment cannot matter.
const CIRCUMRADIUS_SLACK_M: f64 = 0.05;

/// The H3 cell of a position at a resolution, as a raw 64-bit index; `None` for a position that
/// is not a valid latitude and longitude (NaN or infinite).
#[must_use]
pub fn cell_of(p: LatLng, resolution: Resolution) -> Option<u64> {
    H3LatLng::new(p.lat, p.lng).ok().map(|ll| u64::from(ll.to_cell(resolution)))
}

/// Centre of a raw H3 cell index.
///
/// # Panics
/// Never for indices the engine produced; an invalid raw index is a programming error.
#[must_use]
pub fn cell_centre(cell: u64) -> LatLng {
    let c = H3Cell::try_from(cell).unwrap_or_else(|_| unreachable!("engine cells are valid"));
    let ll = H3LatLng::from(c);
    LatLng::new(ll.lat(), ll.lng())
}

/// The boundary vertices of a raw H3 cell index, for drawing.
#[must_use]
pub fn cell_boundary(cell: u64) -> Vec<LatLng> {
    H3Cell::try_from(cell).map(|c| c.boundary().iter().map(|v| LatLng::new(v.lat(), v.lng())).collect()).unwrap_or_default()
}

/// Cells of one resolution differ in size by well under 1 % across the city; the circumradius bound is
/// the largest sampled circumradius times this.
const CIRCUMRADIUS_FACTOR: f64 = 1.02;
/// Runs sampled for the circumradius bound, spread evenly over the cell order.
const CIRCUMRADIUS_SAMPLES: usize = 32;

/// One populated cell: its members are `start..end` in the sorted point arrays.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct CellRun {
    cell: u64,
    start: u32,
    end: u32,
    centre: LatLng,
}

/// Centres and outlines of a set of H3 cells, computed once (h3o takes about a microsecond an
/// outline): the designs answer every question from the same cells. A cell outside the set is
/// computed on demand, with the same values.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellShapes {
    shapes: FxHashMap<u64, (LatLng, Box<[LatLng]>)>,
}

impl CellShapes {
    /// The shapes of `cells`.
    pub(crate) fn of(cells: impl IntoIterator<Item = u64>) -> Self {
        Self { shapes: cells.into_iter().map(|c| (c, (cell_centre(c), cell_boundary(c).into_boxed_slice()))).collect() }
    }

    /// A cell's centre, as [`cell_centre`] gives it.
    pub(crate) fn centre(&self, cell: u64) -> LatLng {
        self.shapes.get(&cell).map_or_else(|| cell_centre(cell), |s| s.0)
    }

    /// A cell's boundary, as [`cell_boundary`] gives it.
    pub(crate) fn boundary(&self, cell: u64) -> std::borrow::Cow<'_, [LatLng]> {
        self.shapes.get(&cell).map_or_else(|| cell_boundary(cell).into(), |s| (&*s.1).into())
    }
}

/// The farthest distance in metres from a cell's centre to its boundary.
#[must_use]
pub fn cell_circumradius_m(cell: u64) -> f64 {
    let centre = cell_centre(cell);
    cell_boundary(cell).into_iter().map(|v| centre.distance_m(v)).fold(0.0, f64::max)
}

/// Counters from one query, for benchmarks and the `candidates_per_result` figure. They count the
/// index's points: for the city's people index, homes (one per household), not people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryStats {
    /// Points whose distance was tested (by the planar pre-test or the exact test).
    pub tested: u32,
    /// Points so close to the circle that the exact haversine test decided them.
    pub exact_tested: u32,
    /// Points returned (tested and inside, plus whole runs taken without a test).
    pub returned: u32,
    /// Populated cells looked at.
    pub cells: u32,
}

/// An H3 index over points sorted by cell. See the module documentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CellIndex {
    resolution: Resolution,
    runs: Vec<CellRun>,
    lookup: FxHashMap<u64, u32>,
    /// Smallest distance between the centres of two cells `k` rings apart, divided by `k`.
    ring_step_m: f64,
    /// A bound on every run's circumradius, with slack.
    max_circumradius_m: f64,
}

impl CellIndex {
    /// Builds the index from the cell of each point, which must be sorted ascending.
    ///
    /// The points must lie within a city (tens of kilometres): the bound on every cell's circumradius is
    /// sampled from 32 cells with 2 % to spare, which holds only where cells differ little in size.
    ///
    /// # Panics
    /// If `cells` is not sorted (a programming error), or has more than `u32::MAX` entries.
    #[must_use]
    pub fn from_sorted_cells(resolution: Resolution, cells: &[u64]) -> Self {
        assert!(cells.windows(2).all(|w| w[0] <= w[1]), "cells must be sorted");
        let len = u32::try_from(cells.len()).expect("at most u32::MAX points");
        let mut runs = Vec::new();
        let mut start = 0u32;
        while start < len {
            let cell = cells[start as usize];
            let mut end = start + 1;
            while end < len && cells[end as usize] == cell {
                end += 1;
            }
            runs.push(CellRun { cell, start, end, centre: cell_centre(cell) });
            start = end;
        }
        let lookup = runs.iter().enumerate().map(|(i, r)| (r.cell, u32::try_from(i).unwrap_or(u32::MAX))).collect();
        // Computing every cell's boundary would take most of the build; the tests check the bound
        // against every cell of generated cities.
        let step = (runs.len() / CIRCUMRADIUS_SAMPLES).max(1);
        let sampled = runs.iter().step_by(step).chain(runs.last()).map(|r| cell_circumradius_m(r.cell)).fold(0.0, f64::max);
        let max_circumradius_m = sampled * CIRCUMRADIUS_FACTOR + CIRCUMRADIUS_SLACK_M;
        let ring_step_m = ring_step(resolution, &runs);
        Self { resolution, runs, lookup, ring_step_m, max_circumradius_m }
    }

    /// Whether the runs cover exactly `points` points in order and every cell is found, as an
    /// index read from bytes must before it is queried.
    #[must_use]
    pub fn covers(&self, points: usize) -> bool {
        let mut next = 0u32;
        for (i, r) in self.runs.iter().enumerate() {
            if r.start != next || r.end <= r.start || self.lookup.get(&r.cell).map(|&j| j as usize) != Some(i) {
                return false;
            }
            next = r.end;
        }
        next as usize == points && self.lookup.len() == self.runs.len()
    }

    /// The resolution of the index.
    #[must_use]
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// The bound on the distance from any populated cell's centre to its boundary, in metres.
    #[must_use]
    pub fn circumradius_bound_m(&self) -> f64 {
        self.max_circumradius_m
    }

    /// Number of populated cells.
    #[must_use]
    pub fn cell_count(&self) -> usize {
        self.runs.len()
    }

    /// Populated cells with their members (ranges into the sorted point arrays), in index order.
    pub fn cell_runs(&self) -> impl Iterator<Item = (u64, Range<u32>)> + '_ {
        self.runs.iter().map(|r| (r.cell, r.start..r.end))
    }

    /// The members of a cell, as a range into the sorted point arrays (empty when unpopulated).
    #[must_use]
    pub fn members(&self, cell: u64) -> Range<u32> {
        self.lookup.get(&cell).map_or(0..0, |&i| self.runs[i as usize].start..self.runs[i as usize].end)
    }

    /// Bytes of memory the index adds on top of the point coordinates (runs and hash map).
    #[must_use]
    pub fn heap_bytes(&self) -> usize {
        let run = std::mem::size_of::<CellRun>() * self.runs.capacity();
        // hashbrown: one control byte plus one (key, value) slot per bucket.
        let slot = std::mem::size_of::<(u64, u32)>() + 1;
        run + self.lookup.capacity() * slot * 8 / 7
    }

    /// Calls `visit` with ranges of points (indices into `lat`/`lng`) that lie within the test's
    /// radius, in no particular order, and returns counters. Cells wholly inside the circle come
    /// as one range each, other points as ranges of one, so callers can copy runs in bulk.
    ///
    /// `lat` and `lng` must be the arrays whose sorted cells built this index.
    pub fn query(&self, test: &RadiusTest, radius_m: f64, lat: &[f64], lng: &[f64], mut visit: impl FnMut(Range<u32>)) -> QueryStats {
        let mut stats = QueryStats::default();
        if self.runs.is_empty() {
            return stats;
        }
        let centre = test.centre();
        let Ok(origin) = H3LatLng::new(centre.lat, centre.lng).map(|ll| ll.to_cell(self.resolution)) else {
            return stats;
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small and positive
        let k = ((radius_m + 2.0 * self.max_circumradius_m) / self.ring_step_m).floor() as u32 + 1;
        // A planar (equirectangular) distance around the query point decides every case that is
        // clear by more than `margin`; within the margin the exact haversine test decides, so the
        // answer equals brute force bit for bit. Over the few kilometres a query spans, the planar
        // distance is off by less than 0.07 % (the longitude scale drifts with latitude), so a
        // margin of 0.2 % plus half a metre is safe by a factor of three.
        let ky = crate::geo::EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        let kx = ky * libm::cos(centre.lat.to_radians());
        let margin = 0.002 * (radius_m + 2.0 * self.max_circumradius_m) + 0.5;
        let (inner2, outer2) = ((radius_m - margin).max(0.0).powi(2), (radius_m + margin).powi(2));
        let planar = |la: f64, ln: f64| {
            let (dx, dy) = ((ln - centre.lng) * kx, (la - centre.lat) * ky);
            dx * dx + dy * dy
        };
        let mut handle = |cell: H3Cell| {
            let Some(&i) = self.lookup.get(&u64::from(cell)) else { return };
            let run = self.runs[i as usize];
            stats.cells += 1;
            let d = planar(run.centre.lat, run.centre.lng).sqrt();
            if d - self.max_circumradius_m > radius_m + margin {
                return;
            }
            if d + self.max_circumradius_m < radius_m - margin {
                visit(run.start..run.end);
                stats.returned += run.end - run.start;
                return;
            }
            stats.tested += run.end - run.start;
            for j in run.start..run.end {
                let (la, ln) = (lat[j as usize], lng[j as usize]);
                let d2 = planar(la, ln);
                let inside = if d2 < inner2 {
                    true
                } else if d2 > outer2 {
                    false
                } else {
                    stats.exact_tested += 1;
                    test.contains(la, ln)
                };
                if inside {
                    visit(j..j + 1);
                    stats.returned += 1;
                }
            }
        };
        // The fast walk fails near pentagons; fall back to the safe one there.
        let fast: Option<Vec<H3Cell>> = origin.grid_disk_fast(k).collect();
        match fast {
            Some(cells) => cells.into_iter().for_each(&mut handle),
            None => origin.grid_disk::<Vec<_>>(k).into_iter().for_each(&mut handle),
        }
        stats
    }
}

/// The smallest centre-to-centre distance per ring among a few sample cells, with a margin.
///
/// Cells `k` rings apart have centres at least `k · step` apart, where `step` is √3/2 of the
/// distance between neighbours; sampling first, middle and last runs covers the city, whose cells
/// differ in size by far less than the 5 % margin.
fn ring_step(resolution: Resolution, runs: &[CellRun]) -> f64 {
    let fallback = resolution.edge_length_m() * 1.5 * 0.8;
    let samples = [0, runs.len() / 2, runs.len().saturating_sub(1)];
    let mut step = f64::INFINITY;
    for &i in &samples {
        let Some(run) = runs.get(i) else { continue };
        let Ok(cell) = H3Cell::try_from(run.cell) else { continue };
        for n in cell.grid_disk::<Vec<_>>(1) {
            if n != cell {
                let c = H3LatLng::from(n);
                let d = run.centre.distance_m(LatLng::new(c.lat(), c.lng()));
                step = step.min(d * 3f64.sqrt() / 2.0);
            }
        }
    }
    if step.is_finite() {
        step * 0.95
    } else {
        fallback
    }
}

/// Scans every point: the reference the index is tested against and the baseline it is timed
/// against.
pub fn brute_force(test: &RadiusTest, lat: &[f64], lng: &[f64], mut visit: impl FnMut(u32)) {
    for (j, (&a, &b)) in lat.iter().zip(lng).enumerate() {
        if test.contains(a, b) {
            #[allow(clippy::cast_possible_truncation)] // at most u32::MAX points
            visit(j as u32);
        }
    }
}

/// Every cell of a resolution that lies within the city (plus a kilometre), as an attacker who
/// knows the city's extent would list them: a grid disk around the centre cell.
pub fn city_cells(res: h3o::Resolution) -> Vec<u64> {
    let Ok(centre) = h3o::LatLng::new(crate::geo::CITY_CENTRE.lat, crate::geo::CITY_CENTRE.lng).map(|ll| ll.to_cell(res)) else {
        return Vec::new();
    };
    // Rings needed to cover the city, from the local distance between neighbouring centres.
    let c = cell_centre(u64::from(centre));
    let spacing = centre
        .grid_disk::<Vec<_>>(1)
        .into_iter()
        .filter(|&n| n != centre)
        .map(|n| c.distance_m(cell_centre(u64::from(n))))
        .fold(f64::INFINITY, f64::min);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let k = ((crate::plan::CITY_RADIUS_M + 1_000.0) / (spacing * 0.8)).ceil() as u32;
    centre.grid_disk::<Vec<_>>(k).into_iter().map(u64::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::{LocalFrame, CITY_CENTRE};

    fn grid_points() -> (Vec<f64>, Vec<f64>, Vec<u64>) {
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut pts: Vec<(u64, LatLng)> = (0..4_000)
            .map(|i| {
                let e = f64::from(i % 63) * 23.7 - 700.0;
                let n = f64::from(i / 63) * 21.3 - 700.0;
                let p = frame.to_latlng(e, n);
                (cell_of(p, INDEX_RESOLUTION).unwrap(), p)
            })
            .collect();
        pts.sort_by_key(|&(c, _)| c);
        (pts.iter().map(|p| p.1.lat).collect(), pts.iter().map(|p| p.1.lng).collect(), pts.iter().map(|p| p.0).collect())
    }

    #[test]
    fn query_equals_brute_force_on_a_grid() {
        let (lat, lng, cells) = grid_points();
        let index = CellIndex::from_sorted_cells(INDEX_RESOLUTION, &cells);
        let frame = LocalFrame::new(CITY_CENTRE);
        for (i, r) in [(0, 10.0), (1, 120.0), (2, 500.0), (3, 999.0), (4, 0.0)] {
            let at = frame.to_latlng(f64::from(i) * 37.0 - 60.0, 15.0 - f64::from(i) * 41.0);
            let test = RadiusTest::new(at, r);
            let mut a = Vec::new();
            index.query(&test, r, &lat, &lng, |js| a.extend(js));
            let mut b = Vec::new();
            brute_force(&test, &lat, &lng, |j| b.push(j));
            a.sort_unstable();
            assert_eq!(a, b, "radius {r}");
        }
    }

    #[test]
    fn members_are_contiguous_runs() {
        let (_, _, cells) = grid_points();
        let index = CellIndex::from_sorted_cells(INDEX_RESOLUTION, &cells);
        let total: u32 = index.cell_runs().map(|(_, run)| run.len() as u32).sum();
        assert_eq!(total as usize, cells.len());
        let r = index.members(cells[0]);
        assert!(r.start == 0 && r.end > 0);
        assert_eq!(index.members(0), 0..0);
    }
}

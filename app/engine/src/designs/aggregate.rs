//! Aggregate counts per coarse H3 cell, with small counts suppressed (k-anonymity style).

use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Query;
use crate::city::City;
use crate::geo::{LatLng, LocalFrame};
use crate::index::cell_polygon;
use geo::{BoundingRect, Contains, Coord, Intersects, MapCoords, Polygon};

/// The default coarse resolution: H3 resolution 8, edge about 461 m, area about 0.74 km².
pub const DEFAULT_AGGREGATE_RESOLUTION: Resolution = Resolution::Eight;

/// One coarse cell's count, or `None` where fewer than k listed people live in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CellCount {
    /// The H3 cell, as a raw index.
    pub cell: u64,
    /// Listed people living anywhere in the cell, or `None` if suppressed (fewer than k).
    pub count: Option<u32>,
    /// Share of the cell's area inside the query circle, in per mille.
    pub overlap_permille: u16,
}

/// The aggregate design's answer: counts for every coarse cell the circle touches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AggregateAnswer {
    /// The threshold below which counts are hidden.
    pub k: u32,
    /// The cells that intersect the circle.
    pub cells: Vec<CellCount>,
    /// The legitimate user's estimate of the count within the radius: released counts weighted
    /// by each cell's overlap with the circle.
    pub estimate: f64,
}

/// Counts per coarse cell with suppression below `k`.
#[derive(Debug, Clone)]
pub struct Aggregate {
    k: u32,
    resolution: Resolution,
    counts: FxHashMap<u64, u32>,
}

impl Aggregate {
    /// Prepares the counts of a city at a coarse resolution with threshold `k` (at least 1).
    #[must_use]
    pub fn new(city: &City, k: u32, resolution: Resolution) -> Self {
        let mut counts = FxHashMap::default();
        for (_, home) in city.listed_homes() {
            if let Ok(ll) = H3LatLng::new(home.lat, home.lng) {
                *counts.entry(u64::from(ll.to_cell(resolution))).or_insert(0) += 1;
            }
        }
        Self { k: k.max(1), resolution, counts }
    }

    /// The suppression threshold.
    #[must_use]
    pub fn k(&self) -> u32 {
        self.k
    }

    /// The same table summed up to a coarser resolution: each cell's count added to its H3
    /// parent's (H3 cells do not nest exactly, so this is not the table built from the homes at
    /// that resolution; it is what an operator publishing consistent totals would give).
    #[must_use]
    pub fn coarsened(&self, resolution: Resolution) -> Self {
        let mut counts: FxHashMap<u64, u32> = FxHashMap::default();
        for (&cell, &n) in &self.counts {
            let parent = h3o::CellIndex::try_from(cell).ok().and_then(|c| c.parent(resolution)).map_or(cell, u64::from);
            *counts.entry(parent).or_insert(0) += n;
        }
        Self { k: self.k, resolution, counts }
    }

    /// The cells' resolution.
    #[must_use]
    pub fn resolution(&self) -> Resolution {
        self.resolution
    }

    /// What the published table shows for one cell: its count, or `None` where it is
    /// suppressed (fewer than k, empty cells included).
    #[must_use]
    pub fn published(&self, cell: u64) -> Option<u32> {
        let n = self.counts.get(&cell).copied().unwrap_or(0);
        (n >= self.k).then_some(n)
    }

    /// Answers a query: every coarse cell within the radius, with its count or suppressed.
    #[must_use]
    pub fn answer(&self, query: Query) -> AggregateAnswer {
        let mut estimate = 0.0;
        let cells = touching_cells(query, self.resolution)
            .into_iter()
            .map(|(cell, poly)| {
                let overlap = overlap_share(&poly, query.radius_m);
                let n = self.counts.get(&cell).copied().unwrap_or(0);
                let count = (n >= self.k).then_some(n);
                if let Some(c) = count {
                    estimate += f64::from(c) * overlap;
                }
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let overlap_permille = (overlap * 1000.0).round() as u16;
                CellCount { cell, count, overlap_permille }
            })
            .collect();
        AggregateAnswer { k: self.k, cells, estimate }
    }
}

/// The H3 cells at a resolution that the query circle touches (sorted), for drawing.
#[must_use]
pub fn covering_cells(query: Query, resolution: Resolution) -> Vec<u64> {
    touching_cells(query, resolution).into_iter().map(|(cell, _)| cell).collect()
}

/// The cells the circle touches, sorted, each with its outline (a `geo` polygon) in metres around
/// the query point.
pub(crate) fn touching_cells(query: Query, resolution: Resolution) -> Vec<(u64, Polygon)> {
    let frame = LocalFrame::new(query.at);
    let Ok(origin) = H3LatLng::new(query.at.lat, query.at.lng).map(|ll| ll.to_cell(resolution)) else {
        return Vec::new();
    };
    let spacing = resolution.edge_length_m() * 3f64.sqrt() * 0.8;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rings = (query.radius_m / spacing).ceil() as u32 + 1;
    let mut disk: Vec<H3Cell> = origin.grid_disk::<Vec<_>>(rings);
    disk.sort_unstable();
    disk.into_iter()
        .map(|c| {
            let cell = u64::from(c);
            let local = cell_polygon(cell).map_coords(|v| {
                let (x, y) = frame.to_local(LatLng::new(v.y, v.x));
                Coord { x, y }
            });
            (cell, local)
        })
        .filter(|(_, poly)| distance_to_polygon(poly) <= query.radius_m)
        .collect()
}

/// Distance in metres from the origin to a polygon in the local frame (0 if inside or on it).
///
/// Containment is `geo`'s (exact orientation predicates, no transcendental function); the distance
/// to each edge stays hand-written with `libm::hypot` (std's `hypot`, which `geo` would call, is
/// the platform's natively).
fn distance_to_polygon(poly: &Polygon) -> f64 {
    if poly.intersects(&Coord { x: 0.0, y: 0.0 }) {
        return 0.0;
    }
    poly.exterior().lines().map(|l| segment_distance((l.start.x, l.start.y), (l.end.x, l.end.y))).fold(f64::INFINITY, f64::min)
}

fn segment_distance(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    libm::hypot(a.0 + t * dx, a.1 + t * dy)
}

/// Share of the polygon's area within `radius` of the origin, from a 24 × 24 sample grid.
pub(crate) fn overlap_share(poly: &Polygon, radius: f64) -> f64 {
    const N: u32 = 24;
    let Some(rect) = poly.bounding_rect() else {
        return 0.0;
    };
    let (x0, x1, y0, y1) = (rect.min().x, rect.max().x, rect.min().y, rect.max().y);
    let (mut total, mut near) = (0u32, 0u32);
    for i in 0..N {
        for j in 0..N {
            let x = x0 + (x1 - x0) * (f64::from(i) + 0.5) / f64::from(N);
            let y = y0 + (y1 - y0) * (f64::from(j) + 0.5) / f64::from(N);
            if poly.contains(&Coord { x, y }) {
                total += 1;
                if libm::hypot(x, y) <= radius {
                    near += 1;
                }
            }
        }
    }
    if total == 0 {
        0.0
    } else {
        f64::from(near) / f64::from(total)
    }
}

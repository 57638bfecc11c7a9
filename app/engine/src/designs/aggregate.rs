//! Aggregate counts per coarse H3 cell, with small counts suppressed (k-anonymity style).

use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::Query;
use crate::city::City;
use crate::geo::LocalFrame;
use crate::index::CellShapes;
use geo::{Coord, Intersects, Polygon};

/// The default coarse resolution: H3 resolution 8, average edge about 531 m (h3o's figure), area
/// about 0.74 km².
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
    /// The counted cells' centres and outlines, for answering.
    shapes: CellShapes,
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
        Self::of_counts(k.max(1), resolution, counts)
    }

    fn of_counts(k: u32, resolution: Resolution, counts: FxHashMap<u64, u32>) -> Self {
        let shapes = CellShapes::of(counts.keys().copied());
        Self { k, resolution, counts, shapes }
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
        Self::of_counts(self.k, resolution, counts)
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
        let cells = touching_cells(query, self.resolution, &self.shapes)
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
    touching_cells(query, resolution, &CellShapes::default()).into_iter().map(|(cell, _)| cell).collect()
}

/// The cells the circle touches, sorted, each with its outline (a `geo` polygon) in metres around
/// the query point; `shapes` holds the centres and outlines already computed.
pub(crate) fn touching_cells(query: Query, resolution: Resolution, shapes: &CellShapes) -> Vec<(u64, Polygon)> {
    let frame = LocalFrame::new(query.at);
    let Ok(origin) = H3LatLng::new(query.at.lat, query.at.lng).map(|ll| ll.to_cell(resolution)) else {
        return Vec::new();
    };
    let spacing = resolution.edge_length_m() * 3f64.sqrt() * 0.8;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut rings = (query.radius_m / spacing).ceil() as u32 + 1;
    // A cell whose centre is farther than the radius and its circumradius cannot reach the circle:
    // skip it before its outline. The bound is the query cell's own circumradius, with a quarter
    // and 10 m to spare (cells of one resolution differ by well under 1 % across a city).
    let reach = query.radius_m + 1.25 * crate::index::cell_circumradius_m(u64::from(origin)) + 10.0;
    loop {
        // Rings are not equally wide everywhere (near an edge of H3's base cells they run narrower
        // than the average spacing): grow the disk until its outer ring has no cell within reach.
        let disk: Vec<(H3Cell, u32)> = origin.grid_disk_distances(rings);
        let mut near: Vec<(u64, u32)> = disk
            .into_iter()
            .map(|(c, k)| (u64::from(c), k))
            .filter(|&(c, _)| {
                let (x, y) = frame.to_local(shapes.centre(c));
                libm::hypot(x, y) <= reach
            })
            .collect();
        if near.iter().any(|&(_, k)| k == rings) {
            rings += 2;
            continue;
        }
        near.sort_unstable();
        return near
            .into_iter()
            .map(|(cell, _)| {
                let ring: Vec<Coord> = shapes
                    .boundary(cell)
                    .iter()
                    .map(|&v| {
                        let (x, y) = frame.to_local(v);
                        Coord { x, y }
                    })
                    .collect();
                (cell, Polygon::new(ring.into(), Vec::new()))
            })
            .filter(|(_, poly)| distance_to_polygon(poly) <= query.radius_m)
            .collect();
    }
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

/// Share of the polygon's area within `radius` of the origin, computed exactly: the area of the
/// polygon's intersection with the disk over the polygon's area (0 for a degenerate polygon).
///
/// The intersection is summed edge by edge (each edge with the origin spans a triangle; the part
/// of it inside the disk is a triangle where the edge runs inside the circle and a circular sector
/// where it runs outside), so it holds for any simple polygon. Only `sqrt` (exact in IEEE
/// arithmetic) and `libm::atan2` are used, so the page and the CLI agree to the bit.
pub(crate) fn overlap_share(poly: &Polygon, radius: f64) -> f64 {
    let (mut inside, mut whole) = (0.0, 0.0);
    for line in poly.exterior().lines() {
        let (a, b) = ((line.start.x, line.start.y), (line.end.x, line.end.y));
        inside += edge_disk_area(a, b, radius);
        whole += cross(a, b) / 2.0;
    }
    if whole == 0.0 {
        return 0.0;
    }
    (inside / whole).clamp(0.0, 1.0)
}

fn cross(a: (f64, f64), b: (f64, f64)) -> f64 {
    a.0 * b.1 - a.1 * b.0
}

/// Signed area of the part of the triangle (origin, `a`, `b`) inside the disk of `r` around
/// the origin (positive when `a` to `b` turns anticlockwise).
fn edge_disk_area(a: (f64, f64), b: (f64, f64), r: f64) -> f64 {
    let sector = |p: (f64, f64), q: (f64, f64)| r * r / 2.0 * libm::atan2(cross(p, q), p.0 * q.0 + p.1 * q.1);
    let d = (b.0 - a.0, b.1 - a.1);
    // |a + t d|² = r²: t² (d·d) + 2t (a·d) + (a·a − r²) = 0.
    let qa = d.0 * d.0 + d.1 * d.1;
    if qa == 0.0 {
        return 0.0;
    }
    let qb = a.0 * d.0 + a.1 * d.1;
    let qc = a.0 * a.0 + a.1 * a.1 - r * r;
    let disc = qb * qb - qa * qc;
    if disc <= 0.0 {
        // The edge's line misses the disk (or touches it at one point): all outside.
        return sector(a, b);
    }
    let root = disc.sqrt();
    let t1 = ((-qb - root) / qa).clamp(0.0, 1.0);
    let t2 = ((-qb + root) / qa).clamp(0.0, 1.0);
    let at = |t: f64| (a.0 + t * d.0, a.1 + t * d.1);
    let (p1, p2) = (at(t1), at(t2));
    // Outside from a to p1, inside from p1 to p2, outside from p2 to b (pieces may be empty).
    let mut area = cross(p1, p2) / 2.0;
    if t1 > 0.0 {
        area += sector(a, p1);
    }
    if t2 < 1.0 {
        area += sector(p2, b);
    }
    area
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn square(x0: f64, y0: f64, side: f64) -> Polygon {
        Polygon::new(vec![(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)].into(), vec![])
    }

    /// The share counted on a fine grid of the polygon's bounding box: the reference the exact
    /// sum is checked against.
    fn sampled(poly: &Polygon, radius: f64, n: u32) -> f64 {
        use geo::{BoundingRect, Contains};
        let rect = poly.bounding_rect().unwrap();
        let (mut total, mut near) = (0u32, 0u32);
        for i in 0..n {
            for j in 0..n {
                let x = rect.min().x + rect.width() * (f64::from(i) + 0.5) / f64::from(n);
                let y = rect.min().y + rect.height() * (f64::from(j) + 0.5) / f64::from(n);
                if poly.contains(&Coord { x, y }) {
                    total += 1;
                    near += u32::from(x.hypot(y) <= radius);
                }
            }
        }
        f64::from(near) / f64::from(total)
    }

    #[test]
    fn whole_polygon_inside_or_outside() {
        assert!((overlap_share(&square(-10.0, -10.0, 20.0), 100.0) - 1.0).abs() < 1e-12);
        assert!(overlap_share(&square(200.0, 200.0, 20.0), 100.0).abs() < 1e-12);
    }

    #[test]
    fn disk_inside_the_polygon_gives_its_area() {
        let share = overlap_share(&square(-100.0, -100.0, 200.0), 50.0);
        assert!((share - PI * 2_500.0 / 40_000.0).abs() < 1e-12, "{share}");
    }

    #[test]
    fn degenerate_edges_and_points_on_the_outline() {
        // A repeated vertex (a zero-length edge) changes nothing.
        let mut doubled = square(0.0, 0.0, 200.0);
        doubled.exterior_mut(|r| r.0.insert(1, r.0[1]));
        assert!((overlap_share(&doubled, 100.0) - overlap_share(&square(0.0, 0.0, 200.0), 100.0)).abs() < 1e-12);
        // The centre on an edge's middle: half the disk inside.
        let share = overlap_share(&square(-100.0, 0.0, 200.0), 50.0);
        assert!((share - PI * 2_500.0 / 2.0 / 40_000.0).abs() < 1e-12, "{share}");
        // A vertex exactly on the circle, and an edge touching it from outside.
        assert!((overlap_share(&square(0.0, 0.0, 100.0), 100.0) - PI / 4.0).abs() < 1e-12);
        assert!(overlap_share(&square(100.0, -50.0, 100.0), 100.0).abs() < 1e-12);
    }

    #[test]
    fn quarter_disk_either_orientation() {
        // A square with a corner at the centre holds a quarter of the disk.
        let share = overlap_share(&square(0.0, 0.0, 200.0), 100.0);
        assert!((share - PI * 10_000.0 / 4.0 / 40_000.0).abs() < 1e-12, "{share}");
        // Either orientation of the ring.
        let mut reversed = square(0.0, 0.0, 200.0);
        reversed.exterior_mut(|r| r.0.reverse());
        assert!((overlap_share(&reversed, 100.0) - share).abs() < 1e-12);
    }

    #[test]
    fn kept_shapes_and_the_centre_pre_test_change_no_cell() {
        // The cells and outlines from kept shapes, from none, and from every cell of a wide disk
        // tested by its outline alone are the same.
        let frame = LocalFrame::new(crate::geo::CITY_CENTRE);
        let kept = CellShapes::of(crate::index::city_cells(Resolution::Nine));
        // Every resolution a design or the lab answers at, radii from 50 m to 5 km, across the city.
        for (res, rings, step) in
            [(Resolution::Nine, 30, 25.0), (Resolution::Eight, 12, 25.0), (Resolution::Seven, 6, 25.0), (Resolution::Six, 3, 25.0)]
        {
            for i in 0..200u32 {
                let (x, y) = (f64::from(i % 20) * 797.0 - 7_900.0, f64::from(i / 20) * 1_511.0 - 7_500.0);
                let query = Query { at: frame.to_latlng(x, y), radius_m: 50.0 + f64::from(i) * step };
                let with = touching_cells(query, res, &kept);
                let without = touching_cells(query, res, &CellShapes::default());
                assert_eq!(with, without);
                let local = LocalFrame::new(query.at);
                let origin = H3LatLng::new(query.at.lat, query.at.lng).unwrap().to_cell(res);
                let mut wide: Vec<u64> = origin
                    .grid_disk::<Vec<_>>(rings)
                    .into_iter()
                    .map(u64::from)
                    .filter(|&c| {
                        let ring: Vec<Coord> = crate::index::cell_boundary(c)
                            .into_iter()
                            .map(|v| {
                                let (x, y) = local.to_local(v);
                                Coord { x, y }
                            })
                            .collect();
                        distance_to_polygon(&Polygon::new(ring.into(), Vec::new())) <= query.radius_m
                    })
                    .collect();
                wide.sort_unstable();
                assert_eq!(with.iter().map(|c| c.0).collect::<Vec<_>>(), wide, "{res:?}, query {i}");
            }
        }
    }

    #[test]
    fn agrees_with_fine_sampling_on_h3_cells() {
        // Real resolution-9 cells around a query point, the radius cutting through them.
        let query = Query { at: crate::geo::CITY_CENTRE, radius_m: 500.0 };
        let cells = touching_cells(query, Resolution::Nine, &CellShapes::default());
        assert!(cells.len() > 10);
        let mut partial = 0;
        for (_, poly) in &cells {
            let exact = overlap_share(poly, query.radius_m);
            let counted = sampled(poly, query.radius_m, 600);
            assert!((exact - counted).abs() < 3e-3, "exact {exact}, sampled {counted}");
            partial += usize::from(exact > 0.01 && exact < 0.99);
        }
        assert!(partial > 5, "the circle cuts {partial} cells");
    }
}

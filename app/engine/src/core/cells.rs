//! Fast exact H3 cell assignment for the many homes of one city.
//!
//! `h3o`'s [`LatLng::to_cell`](h3o::LatLng::to_cell) projects every point onto an icosahedron
//! face with several trigonometric functions, then walks the resolutions to build the index: about
//! 0.7 µs a point natively and 2 µs in WebAssembly, which was most of the time it took to generate
//! a city of millions. A city is small, though, and its points are dense, so [`CellAssigner`]
//! models the H3 grid locally and asks `h3o` only where the model cannot prove its answer:
//!
//! 1. The city's local frame (metres east and north) is cut into 1 km tiles. For each tile, `h3o`
//!    gives the cell at the tile's centre (the anchor) and cells four steps along each `IJ` axis,
//!    whose centres give an affine model of the lattice: cell centres, and the hexagons around
//!    them, as local positions. `h3o`'s own centres and vertices of eight cells at and beyond the
//!    tile's corners measure the model's error (about 10 cm); a tile's **margin** is
//!    [`MARGIN_M`] plus twice that.
//! 2. A point's fractional `IJ` coordinates, rounded to the nearest lattice position, name the
//!    candidate cell; its cell index comes from `h3o`'s local `IJ` coordinates, once per cell,
//!    and `h3o`'s centre of that cell must lie where the model puts it.
//! 3. The candidate's model hexagon is the **proof**: the point must lie inside every edge by at
//!    least the margin, so no error of the model can put it in another cell. Points near an edge
//!    (about 4 % of homes) and anything unusual (pentagons, face edges, points beyond the tiles)
//!    go to `h3o`.
//!
//! The tests compare the assigner with `h3o` for every home of generated cities, for dense lines
//! of points across the city, on and next to cell edges and vertices, and on both sides of the
//! acceptance margin (where they also check that clear points are decided without `h3o`).
//!
//! ```
//! use within500_engine::{cells::CellAssigner, cell_of, LatLng, INDEX_RESOLUTION};
//! let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
//! let p = LatLng::new(38.041, 114.512);
//! assert_eq!(assigner.cell(p), cell_of(p, INDEX_RESOLUTION));
//! ```

// Tile and table coordinates are clamped to be non-negative before every cast.
#![allow(clippy::cast_sign_loss, clippy::cast_precision_loss, clippy::cast_possible_wrap)]

use h3o::{CellIndex as H3Cell, CoordIJ, LatLng as H3LatLng, LocalIJ, Resolution};

use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};
use crate::plan::CITY_RADIUS_M;

/// How far inside every edge of its candidate hexagon a point must lie, in metres, on top of
/// twice the tile's measured model error, for the assigner to trust the planar test.
pub const MARGIN_M: f64 = 0.01;

/// Side of a tile in metres.
const TILE_M: f64 = 1_000.0;
/// Tiles cover this far from the centre in each direction (points beyond go to `h3o`).
const GRID_HALF_SIDE_M: f64 = CITY_RADIUS_M + 2_000.0;
/// A tile's table covers `IJ` offsets `-SPAN..=SPAN` around its anchor on each axis.
const SPAN: i32 = 20;
const SIDE: usize = (2 * SPAN + 1) as usize;
const UNKNOWN: u32 = u32::MAX;
const NONE: u32 = u32::MAX - 1;

/// What a tile's table holds for an `IJ` offset.
enum Slot {
    /// The index of the cell's hexagon.
    Hex(u32),
    /// Outside the table, or no cell there.
    Missing,
}

/// A cell's hexagon in local metres: inward unit normals and offsets of its edges.
#[derive(Debug, Clone, Copy)]
struct Hex {
    cell: u64,
    centre: (f64, f64),
    /// `(nx, ny, c)`: a point `(e, n)` lies `nx·e + ny·n − c` metres inside the edge.
    edges: [(f64, f64, f64); 6],
    /// How far inside every edge a point must be: [`MARGIN_M`] plus twice the largest error of
    /// the tile's lattice model.
    margin_m: f64,
}

impl Hex {
    /// The hexagon of the lattice position `centre` in a tile's model, from the six neighbour
    /// vectors in order: its vertices are the centroids of the lattice triangles around it.
    fn from_model(cell: u64, centre: (f64, f64), neighbours: &[(f64, f64); 6], margin_m: f64) -> Self {
        let mut edges = [(0.0, 0.0, 0.0); 6];
        for (k, edge) in edges.iter_mut().enumerate() {
            let (u, v) = (neighbours[k], neighbours[(k + 1) % 6]);
            let w = neighbours[(k + 2) % 6];
            let a = (centre.0 + (u.0 + v.0) / 3.0, centre.1 + (u.1 + v.1) / 3.0);
            let b = (centre.0 + (v.0 + w.0) / 3.0, centre.1 + (v.1 + w.1) / 3.0);
            *edge = edge_through(a, b, centre);
        }
        Self { cell, centre, edges, margin_m }
    }

    fn inside_by_margin(&self, e: f64, n: f64) -> bool {
        self.edges.iter().all(|&(nx, ny, c)| nx * e + ny * n - c >= self.margin_m)
    }
}

/// The edge line through `a` and `b` as `(nx, ny, c)`, its unit normal pointing at `inside`.
fn edge_through(a: (f64, f64), b: (f64, f64), inside: (f64, f64)) -> (f64, f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    let (mut nx, mut ny) = (-dy / len, dx / len);
    if nx * (inside.0 - a.0) + ny * (inside.1 - a.1) < 0.0 {
        (nx, ny) = (-nx, -ny);
    }
    (nx, ny, nx * a.0 + ny * a.1)
}

/// One tile: the anchor cell, the affine map to `IJ`, and the cells met so far by offset.
#[derive(Debug)]
struct Tile {
    anchor: H3Cell,
    anchor_ij: (i32, i32),
    origin: (f64, f64),
    /// Rows of the inverse basis: fractional `(i, j)` = `inv · (e − origin)`.
    inv: [[f64; 2]; 2],
    /// The local vectors of one step along `i` and along `j`.
    basis: [(f64, f64); 2],
    /// The six neighbour vectors in turn: `i`, `i + j`, `j`, `−i`, `−i − j`, `−j`.
    neighbours: [(f64, f64); 6],
    /// The edge margin for hexagons built from this tile's model.
    margin_m: f64,
    /// Index into `hexes` for each `IJ` offset, or `UNKNOWN` / `NONE`.
    table: Vec<u32>,
}

/// What is known about a tile.
#[derive(Debug)]
enum TileState {
    /// No point has fallen in it yet.
    Unknown,
    /// `h3o` could not give its `IJ` axes: its points go to `h3o`.
    Unusable,
    Ready(Box<Tile>),
}

impl TileState {
    fn ready(&self) -> Option<&Tile> {
        match self {
            Self::Ready(t) => Some(t),
            _ => None,
        }
    }
}

/// Counters for the benchmark and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AssignStats {
    /// Points placed by the planar proof.
    pub fast: u64,
    /// Points given to `h3o`.
    pub fallback: u64,
    /// Cells whose hexagon was computed.
    pub hexes: u64,
}

/// Assigns H3 cells to points of the city, equal to `h3o`'s. See the module documentation.
#[derive(Debug)]
pub struct CellAssigner {
    resolution: Resolution,
    frame: LocalFrame,
    side: usize,
    tiles: Vec<TileState>,
    hexes: Vec<Hex>,
    stats: AssignStats,
}

impl CellAssigner {
    /// An assigner for cells at `resolution` around the city centre.
    #[must_use]
    pub fn new(resolution: Resolution) -> Self {
        let side = (2.0 * GRID_HALF_SIDE_M / TILE_M).ceil() as usize;
        Self {
            resolution,
            frame: LocalFrame::new(CITY_CENTRE),
            side,
            tiles: (0..side * side).map(|_| TileState::Unknown).collect(),
            hexes: Vec::new(),
            stats: AssignStats::default(),
        }
    }

    /// Counters so far.
    #[must_use]
    pub fn stats(&self) -> AssignStats {
        self.stats
    }

    /// A key that groups nearby points: the tile holding the local position `east`, `north`
    /// (metres from the city centre). Assigning points in key order keeps each tile's tables in
    /// the processor's cache, which makes the assigner several times faster than in random order.
    #[must_use]
    pub fn locality(&self, east: f64, north: f64) -> u32 {
        let clamp = |v: f64| (((v + GRID_HALF_SIDE_M) / TILE_M).max(0.0) as usize).min(self.side - 1);
        (clamp(north) * self.side + clamp(east)) as u32
    }

    /// The cell of `p` as a raw index, exactly as [`crate::cell_of`] gives it; `None` for a
    /// position that is not a valid latitude and longitude.
    pub fn cell(&mut self, p: LatLng) -> Option<u64> {
        let (e, n) = self.frame.to_local(p);
        if let Some(cell) = self.fast(e, n) {
            self.stats.fast += 1;
            return Some(cell);
        }
        self.stats.fallback += 1;
        crate::index::cell_of(p, self.resolution)
    }

    fn fast(&mut self, e: f64, n: f64) -> Option<u64> {
        if !(e.abs() < GRID_HALF_SIDE_M && n.abs() < GRID_HALF_SIDE_M) {
            return None;
        }
        let (tx, ty) = (((e + GRID_HALF_SIDE_M) / TILE_M) as usize, ((n + GRID_HALF_SIDE_M) / TILE_M) as usize);
        let t = ty.min(self.side - 1) * self.side + tx.min(self.side - 1);
        if matches!(self.tiles[t], TileState::Unknown) {
            let centre = ((tx as f64 + 0.5) * TILE_M - GRID_HALF_SIDE_M, (ty as f64 + 0.5) * TILE_M - GRID_HALF_SIDE_M);
            self.tiles[t] = self.make_tile(centre).map_or(TileState::Unusable, |tile| TileState::Ready(Box::new(tile)));
        }
        let tile = self.tiles[t].ready()?;
        let (de, dn) = (e - tile.origin.0, n - tile.origin.1);
        let fi = tile.inv[0][0] * de + tile.inv[0][1] * dn;
        let fj = tile.inv[1][0] * de + tile.inv[1][1] * dn;
        // H3's IJ axes are 120° apart: axial coordinates (60° apart) are q = i − j, r = j. The
        // nearest lattice point in the projection's own metric is the cube-rounded one.
        let (q, r) = (fi - fj, fj);
        // Ties cannot matter (the hexagon test decides), so the cheaper rounding serves.
        let (rq, rr, rs) = (q.round_ties_even(), r.round_ties_even(), (-q - r).round_ties_even());
        let (dq, dr, ds) = ((rq - q).abs(), (rr - r).abs(), (rs + q + r).abs());
        let (q, r) = if dq > dr && dq > ds {
            (-rr - rs, rr)
        } else if dr > ds {
            (rq, -rq - rs)
        } else {
            (rq, rr)
        };
        let (i, j) = ((q + r) as i32, r as i32);
        match self.slot(t, i, j) {
            Slot::Hex(slot) => {
                let h = &self.hexes[slot as usize];
                if h.inside_by_margin(e, n) {
                    return Some(h.cell);
                }
            }
            Slot::Missing => {}
        }
        let (i0, j0) = (fi.floor() as i32, fj.floor() as i32);
        // The corners of the point's IJ parallelogram, nearest centre first; the first hexagon
        // that proves the point inside is its cell (hexagons do not overlap).
        let mut corners = [(f64::INFINITY, NONE); 4];
        for (c, (di, dj)) in corners.iter_mut().zip([(0, 0), (1, 0), (0, 1), (1, 1)]) {
            if let Slot::Hex(slot) = self.slot(t, i0 + di, j0 + dj) {
                let h = &self.hexes[slot as usize];
                *c = ((h.centre.0 - e).powi(2) + (h.centre.1 - n).powi(2), slot);
            }
        }
        corners.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        corners.iter().take_while(|c| c.1 != NONE).map(|c| &self.hexes[c.1 as usize]).find(|h| h.inside_by_margin(e, n)).map(|h| h.cell)
    }

    /// The hexagon at `IJ` offset `(i, j)` from tile `t`'s anchor, built on first use.
    fn slot(&mut self, t: usize, i: i32, j: i32) -> Slot {
        if i.abs() > SPAN || j.abs() > SPAN {
            return Slot::Missing;
        }
        let k = (j + SPAN) as usize * SIDE + (i + SPAN) as usize;
        let TileState::Ready(tile) = &mut self.tiles[t] else { return Slot::Missing };
        match tile.table[k] {
            NONE => return Slot::Missing,
            UNKNOWN => {}
            slot => return Slot::Hex(slot),
        }
        let coord = CoordIJ::new(tile.anchor_ij.0 + i, tile.anchor_ij.1 + j);
        let frame = self.frame;
        let found = H3Cell::try_from(LocalIJ::new(tile.anchor, coord)).ok().and_then(|cell| {
            let raw = u64::from(cell);
            let [b1, b2] = tile.basis;
            let fi = f64::from(i);
            let fj = f64::from(j);
            let centre = (tile.origin.0 + fi * b1.0 + fj * b2.0, tile.origin.1 + fi * b1.1 + fj * b2.1);
            // The cell h3o names for these coordinates must sit where the model puts it: local
            // IJ coordinates can turn at a base cell's edge, which no affine model follows.
            let ll = H3LatLng::from(cell);
            let truth = frame.to_local(LatLng::new(ll.lat(), ll.lng()));
            if (truth.0 - centre.0).hypot(truth.1 - centre.1) > tile.margin_m {
                return None;
            }
            let hex = Hex::from_model(raw, centre, &tile.neighbours, tile.margin_m);
            tile.table[k] = self.hexes.len() as u32;
            self.hexes.push(hex);
            self.stats.hexes += 1;
            Some(tile.table[k])
        });
        if found.is_none() {
            tile.table[k] = NONE;
        }
        found.map_or(Slot::Missing, Slot::Hex)
    }

    /// A tile around `centre` (local metres), or `None` when `h3o` cannot give its `IJ` axes.
    fn make_tile(&mut self, centre: (f64, f64)) -> Option<Tile> {
        let at = self.frame.to_latlng(centre.0, centre.1);
        let anchor = H3LatLng::new(at.lat, at.lng).ok()?.to_cell(self.resolution);
        let ij = anchor.to_local_ij(anchor).ok()?.coord;
        let at_ij = |di: i32, dj: i32| {
            H3Cell::try_from(LocalIJ::new(anchor, CoordIJ::new(ij.i + di, ij.j + dj))).ok().map(|c| {
                let ll = H3LatLng::from(c);
                self.frame.to_local(LatLng::new(ll.lat(), ll.lng()))
            })
        };
        // Central differences over eight steps average the projection's curvature over the tile.
        let o = at_ij(0, 0)?;
        let (ip, im, jp, jm) = (at_ij(4, 0)?, at_ij(-4, 0)?, at_ij(0, 4)?, at_ij(0, -4)?);
        let b1 = ((ip.0 - im.0) / 8.0, (ip.1 - im.1) / 8.0);
        let b2 = ((jp.0 - jm.0) / 8.0, (jp.1 - jm.1) / 8.0);
        let det = b1.0 * b2.1 - b2.0 * b1.1;
        if det.abs() < 1e-6 {
            return None;
        }
        let inv = [[b2.1 / det, -b2.0 / det], [-b1.1 / det, b1.0 / det]];
        let neighbours = [b1, (b1.0 + b2.0, b1.1 + b2.1), b2, (-b1.0, -b1.1), (-b1.0 - b2.0, -b1.1 - b2.1), (-b2.0, -b2.1)];
        // The model's error, measured against h3o's centres and vertices of cells at and beyond
        // the tile's corners (the error grows with the distance from the anchor).
        let mut error = 0.0f64;
        for (di, dj) in [(8, 0), (8, 8), (0, 8), (-8, 0), (-8, -8), (0, -8), (4, -4), (-4, 4)] {
            let cell = H3Cell::try_from(LocalIJ::new(anchor, CoordIJ::new(ij.i + di, ij.j + dj))).ok()?;
            let local = |ll: H3LatLng| self.frame.to_local(LatLng::new(ll.lat(), ll.lng()));
            let (fi, fj) = (f64::from(di), f64::from(dj));
            let model = (o.0 + fi * b1.0 + fj * b2.0, o.1 + fi * b1.1 + fj * b2.1);
            let truth = local(H3LatLng::from(cell));
            error = error.max((model.0 - truth.0).hypot(model.1 - truth.1));
            let boundary = cell.boundary();
            if boundary.len() != 6 {
                return None; // pentagons and cells cut by a face edge go to h3o
            }
            let corners: Vec<(f64, f64)> = (0..6)
                .map(|k| {
                    let (u, v) = (neighbours[k], neighbours[(k + 1) % 6]);
                    (model.0 + (u.0 + v.0) / 3.0, model.1 + (u.1 + v.1) / 3.0)
                })
                .collect();
            for &vertex in boundary.iter() {
                let t = local(vertex);
                let nearest = corners.iter().map(|c| (c.0 - t.0).hypot(c.1 - t.1)).fold(f64::INFINITY, f64::min);
                error = error.max(nearest);
            }
        }
        let margin_m = MARGIN_M + 2.0 * error;
        Some(Tile {
            anchor,
            anchor_ij: (ij.i, ij.j),
            origin: o,
            inv,
            basis: [b1, b2],
            neighbours,
            margin_m,
            table: vec![UNKNOWN; SIDE * SIDE],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{cell_boundary, cell_of, INDEX_RESOLUTION};

    #[test]
    fn equals_h3o_on_a_dense_grid_across_the_city() {
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
        // Every 7.3 m along lines 1.1 km apart, covering the city (15 km around the centre).
        for row in -13..=13 {
            let n = f64::from(row) * 1_100.0 + 3.7;
            for col in -2_050..=2_050 {
                let e = f64::from(col) * 7.3;
                let p = frame.to_latlng(e, n);
                assert_eq!(assigner.cell(p), cell_of(p, INDEX_RESOLUTION), "at {e} m east, {n} m north");
            }
        }
        let s = assigner.stats();
        assert!(s.fast > 10 * s.fallback, "the planar proof should decide nearly every point: {s:?}");
        // Beyond the tiles every point goes to h3o, with the same answer.
        for k in 0..2_000 {
            let p = frame.to_latlng(f64::from(k) * 13.1 - 13_000.0, 18_500.0);
            assert_eq!(assigner.cell(p), cell_of(p, INDEX_RESOLUTION));
        }
        assert_eq!(assigner.stats().fallback, s.fallback + 2_000);
    }

    #[test]
    fn equals_h3o_on_and_next_to_edges_and_vertices() {
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
        for k in 0..300 {
            let at = frame.to_latlng(f64::from(k) * 97.0 - 14_000.0, f64::from(k % 17) * 811.0 - 7_000.0);
            let cell = cell_of(at, INDEX_RESOLUTION).unwrap();
            let vs = cell_boundary(cell);
            for (i, v) in vs.iter().enumerate() {
                let w = vs[(i + 1) % vs.len()];
                for t in [0.0, 1e-12, 0.25, 0.5, 0.999_999_9] {
                    let p = LatLng::new(v.lat + (w.lat - v.lat) * t, v.lng + (w.lng - v.lng) * t);
                    for (dl, dg) in [(0.0, 0.0), (1e-9, 0.0), (0.0, -1e-9), (1e-7, 1e-7), (-1e-7, 1e-7)] {
                        let q = LatLng::new(p.lat + dl, p.lng + dg);
                        assert_eq!(assigner.cell(q), cell_of(q, INDEX_RESOLUTION), "near the edge of {cell:x}");
                    }
                }
            }
        }
    }

    #[test]
    fn equals_h3o_across_the_margin_and_decides_clear_points_itself() {
        // Points on the line from each edge's midpoint to the cell's centre, from 2 m outside to
        // 5 m inside, straddling the acceptance margin (about 0.2 m): every answer equals h3o's,
        // and the points well inside are decided by the planar proof.
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
        let mut inside_well = 0u64;
        for k in 0..200 {
            let at = frame.to_latlng(f64::from(k) * 131.0 - 13_000.0, f64::from(k % 23) * 1_013.0 - 11_000.0);
            let cell = cell_of(at, INDEX_RESOLUTION).unwrap();
            let centre = frame.to_local(crate::index::cell_centre(cell));
            let vs: Vec<(f64, f64)> = cell_boundary(cell).iter().map(|&v| frame.to_local(v)).collect();
            for (i, &a) in vs.iter().enumerate() {
                let b = vs[(i + 1) % vs.len()];
                let mid = (f64::midpoint(a.0, b.0), f64::midpoint(a.1, b.1));
                let (dx, dy) = (centre.0 - mid.0, centre.1 - mid.1);
                let len = dx.hypot(dy);
                for d in [-2.0, -0.5, -0.25, -0.1, -0.02, 0.02, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 1.0, 5.0] {
                    let p = frame.to_latlng(mid.0 + dx / len * d, mid.1 + dy / len * d);
                    assert_eq!(assigner.cell(p), cell_of(p, INDEX_RESOLUTION), "{d} m inside an edge of {cell:x}");
                    inside_well += u64::from(d >= 1.0);
                }
            }
        }
        let s = assigner.stats();
        assert!(s.fast >= inside_well, "points a metre or more inside are proven without h3o: {s:?}");
    }

    #[test]
    fn equals_h3o_at_the_designs_coarser_resolutions() {
        // The DP release (resolution 9) assigns the listed homes with the assigner too: every 23 m along lines across the city, and on and
        // next to cells' edges and vertices.
        let frame = LocalFrame::new(CITY_CENTRE);
        for res in [Resolution::Nine, Resolution::Eight, Resolution::Seven] {
            let mut assigner = CellAssigner::new(res);
            for row in -7..=7 {
                let n = f64::from(row) * 2_100.0 + 3.7;
                for col in -650..=650 {
                    let p = frame.to_latlng(f64::from(col) * 23.0, n);
                    assert_eq!(assigner.cell(p), cell_of(p, res), "{res:?} at {p:?}");
                }
            }
            for k in 0..60 {
                let at = frame.to_latlng(f64::from(k) * 431.0 - 13_000.0, f64::from(k % 17) * 811.0 - 7_000.0);
                let cell = cell_of(at, res).unwrap();
                let vs = cell_boundary(cell);
                for (i, v) in vs.iter().enumerate() {
                    let w = vs[(i + 1) % vs.len()];
                    for t in [0.0, 1e-12, 0.5, 0.999_999_9] {
                        let p = LatLng::new(v.lat + (w.lat - v.lat) * t, v.lng + (w.lng - v.lng) * t);
                        for (dl, dg) in [(0.0, 0.0), (1e-9, 0.0), (0.0, -1e-9), (1e-7, 1e-7)] {
                            let q = LatLng::new(p.lat + dl, p.lng + dg);
                            assert_eq!(assigner.cell(q), cell_of(q, res), "{res:?} near the edge of {cell:x}");
                        }
                    }
                }
            }
            // Exact at every resolution; worth it (most points proven without h3o) at 9 and finer.
            let s = assigner.stats();
            assert!(res != Resolution::Nine || s.fast > s.fallback, "{res:?}: the planar proof should decide most points: {s:?}");
        }
    }

    #[test]
    fn invalid_and_far_positions_go_to_h3o() {
        let mut assigner = CellAssigner::new(INDEX_RESOLUTION);
        assert_eq!(assigner.cell(LatLng::new(f64::NAN, 114.5)), None);
        let far = LatLng::new(-33.9, 151.2);
        assert_eq!(assigner.cell(far), cell_of(far, INDEX_RESOLUTION));
        assert_eq!(assigner.stats().fast, 0);
    }
}

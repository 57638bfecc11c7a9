//! Attackers that rebuild **every** listed home near a starting point, not one target's: from
//! counts over many circles of the asker's choosing (after Dinur and Nissim, PODS 2003), from
//! small circles, from replayed noise, and from released cell tables with the public density map.
//!
//! All of them see [`Reply`] values only, plus what is public: the starting point, the density of
//! people per H3 cell that the map draws, and the city's extent.

use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use rustc_hash::FxHashMap;

/// A candidate home: its centre and the grid squares it explains.
type Candidate = ((f64, f64), Vec<(i32, i32)>);

use super::probe::{CellReply, Probe, Reply};
use crate::city::City;
use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};
use crate::index::{cell_centre, INDEX_RESOLUTION};
use crate::plan::CITY_RADIUS_M;

/// The region an attack rebuilds: within this distance of the starting point, which lies
/// within it of the target's home.
pub const REGION_M: f64 = 400.0;

/// The side of the smallest square the quadtree halves down to: its circumscribed circle has a
/// radius of 70.7 m, above the 50 m that the interface allows.
const LEAF_M: f64 = 100.0;

/// Spacing of the final 50 m circles' centres around occupied squares (radius differencing by
/// moving the centre: the interface fixes the smallest radius, not where circles stand).
const FINE_M: f64 = 25.0;

/// Standard scores for the sequential tests on averaged counts.
const Z: f64 = 2.5;

/// Most repeats of one noisy count.
const MAX_REPEATS: u32 = 80;

/// What a rebuilding attacker concluded.
#[derive(Debug, Clone, Default)]
pub struct Rebuilt {
    /// Estimated listed homes in the region.
    pub homes: Vec<LatLng>,
    /// The target's estimate after a number of questions: (questions, estimate).
    pub history: Vec<(u32, Option<LatLng>)>,
}

/// The public density map: people per H3 cell at the index resolution, as the map draws it.
pub struct DensityMap {
    /// People and the cell's centre, per populated cell.
    people: FxHashMap<u64, (u32, LatLng)>,
}

impl DensityMap {
    /// The density map of a city (public: the app draws it).
    #[must_use]
    pub fn publish(city: &City) -> Self {
        Self { people: city.density().map(|(c, n)| (c, (n, cell_centre(c)))).collect() }
    }

    pub(crate) fn people(&self, cell: u64) -> u32 {
        self.people.get(&cell).map_or(0, |p| p.0)
    }

    /// Resolution-10 cells whose centre lies within `radius_m` of `at`, with their people;
    /// `populated_only` leaves out the empty ones.
    fn cells_near(&self, at: LatLng, radius_m: f64, populated_only: bool) -> Vec<(u64, u32)> {
        let Ok(origin) = H3LatLng::new(at.lat, at.lng).map(|ll| ll.to_cell(INDEX_RESOLUTION)) else { return Vec::new() };
        let spacing = INDEX_RESOLUTION.edge_length_m() * 3f64.sqrt() * 0.8;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let rings = (radius_m / spacing).ceil() as u32 + 1;
        // The local frame is within a metre at city scale: only centres within a few metres of
        // the circle need the great-circle distance.
        let frame = LocalFrame::new(at);
        let within = |centre: LatLng| {
            let (x, y) = frame.to_local(centre);
            let planar = libm::hypot(x, y);
            if planar < radius_m - 5.0 {
                true
            } else if planar > radius_m + 5.0 {
                false
            } else {
                centre.distance_m(at) <= radius_m
            }
        };
        // Grow the disk while its outer ring still has a centre within the radius (rings run
        // narrower than the average spacing near an edge of H3's base cells).
        let mut rings = rings;
        loop {
            let disk: Vec<(H3Cell, u32)> = origin.grid_disk_distances(rings);
            let mut outer = false;
            let near: Vec<(u64, u32)> = disk
                .into_iter()
                .filter_map(|(c, k)| {
                    let c = u64::from(c);
                    // Empty cells of the outer ring are tested too: whether to grow must not
                    // depend on who lives where.
                    let (inside, n) = match self.people.get(&c) {
                        Some(&(n, centre)) => (within(centre), n),
                        None => ((!populated_only || k == rings) && within(cell_centre(c)), 0),
                    };
                    outer |= inside && k == rings;
                    (inside && (n > 0 || !populated_only)).then_some((c, n))
                })
                .collect();
            if !outer {
                return near;
            }
            rings += 2;
        }
    }

    /// A coarser cell's resolution-10 children, most populous first.
    fn children_by_people(&self, cell: u64) -> Vec<u64> {
        let Ok(c) = H3Cell::try_from(cell) else { return Vec::new() };
        let mut kids: Vec<u64> = c.children(INDEX_RESOLUTION).map(u64::from).collect();
        kids.sort_by_key(|&k| (std::cmp::Reverse(self.people(k)), k));
        kids
    }
}

/// The estimated home nearest the start, within the region: the target's estimate from a set.
/// (Every listed home in the region is equally likely the target's, so any rule is as good.)
#[must_use]
pub fn nearest(homes: &[LatLng], start: LatLng) -> Option<LatLng> {
    // Each distance once (the first of equally near homes, as before).
    homes.iter().map(|&h| (h.distance_m(start), h)).filter(|(d, _)| *d <= REGION_M).min_by(|a, b| a.0.total_cmp(&b.0)).map(|(_, h)| h)
}

/// How the counting attackers read one circle.
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// The answer is exact (the deployed list's length).
    Exact,
    /// Fresh noise of a known spread each question: average repeats, opening sessions as needed.
    Averaged { sigma: f64 },
    /// One fake position per window: wait for a new window before each question.
    Windows,
    /// Calibrate the noise once, then ask each circle first in a new session, assuming the noise
    /// replays.
    Replay { offset: f64 },
}

/// The standard deviation of discrete Laplace noise of ε.
fn discrete_laplace_sigma(epsilon: f64) -> f64 {
    let a = libm::exp(-epsilon);
    libm::sqrt(2.0 * a) / (1.0 - a)
}

struct Counter<'p, 'a> {
    probe: &'p mut Probe<'a>,
    budget: u32,
    reading: Reading,
}

impl Counter<'_, '_> {
    fn spent(&self) -> bool {
        self.probe.queries() >= self.budget
    }

    /// One answer as a number; a refusal opens a new session and asks again.
    fn ask(&mut self, at: LatLng, radius_m: f64) -> Option<f64> {
        if self.spent() {
            return None;
        }
        let mut reply = self.probe.ask_within(at, radius_m);
        if reply == Reply::Refused {
            self.probe.new_session();
            reply = self.probe.ask_within(at, radius_m);
        }
        match reply {
            #[allow(clippy::cast_precision_loss)]
            Reply::Listed(s) => Some(s.len() as f64),
            Reply::Count(v) => Some(v),
            Reply::Cells(_) | Reply::Refused => None,
        }
    }

    /// The count in a circle as the reading allows; for `exact_count`, good enough to round.
    fn count(&mut self, at: LatLng, radius_m: f64, exact_count: bool) -> Option<f64> {
        match self.reading {
            Reading::Exact => self.ask(at, radius_m),
            Reading::Windows => {
                self.probe.next_window();
                self.ask(at, radius_m)
            }
            Reading::Replay { offset } => {
                self.probe.new_session();
                self.ask(at, radius_m).map(|v| v - offset)
            }
            Reading::Averaged { sigma } => {
                let mut sum = 0.0;
                let mut n = 0u32;
                while n < MAX_REPEATS {
                    // A nudge of about a micrometre makes each repeat a new question (no cache).
                    let nudged = LatLng::new(at.lat + f64::from(n) * 1e-11, at.lng);
                    let Some(v) = self.ask(nudged, radius_m) else { break };
                    sum += v;
                    n += 1;
                    let mean = sum / f64::from(n);
                    let half = Z * sigma / f64::from(n).sqrt();
                    let clearly_empty = mean < 0.5 && 0.5 - mean >= half;
                    let decided = if exact_count { clearly_empty || half < 0.5 } else { (mean - 0.5).abs() >= half };
                    if n >= 2 && decided {
                        break;
                    }
                }
                (n > 0).then(|| sum / f64::from(n))
            }
        }
    }
}

/// Counts of circles centred on a square grid around the start: key (i, j), count.
struct Grid {
    side: f64,
    radius: f64,
    counts: FxHashMap<(i32, i32), u32>,
    /// Whether a circle not asked is known to be empty (inside an empty parent's circle).
    unasked_empty: bool,
}

impl Grid {
    /// Circles through the corners of the grid's squares.
    fn circumscribed(side: f64) -> Self {
        Self { side, radius: side * std::f64::consts::FRAC_1_SQRT_2, counts: FxHashMap::default(), unasked_empty: true }
    }

    fn centre(&self, (i, j): (i32, i32)) -> (f64, f64) {
        (-REGION_M + (f64::from(i) + 0.5) * self.side, -REGION_M + (f64::from(j) + 0.5) * self.side)
    }

    fn radius(&self) -> f64 {
        self.radius
    }

    /// Points that explain every circle's count, greedily: the candidate (on a grid of an
    /// eighth of a square) inside the most circles whose counts are still unexplained, less twice
    /// the circles it lies in whose counts are spent (a circle not asked counts 0: its parent's
    /// circle, which contains it, was empty). Membership allows 2.5 m for the candidate grid.
    fn explain(&self) -> Vec<(f64, f64)> {
        const STEPS: i32 = 4;
        let r = self.radius + 2.5;
        #[allow(clippy::cast_possible_truncation)]
        let span = (r / self.side).ceil() as i32 + 1;
        let mut residual = self.counts.clone();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut keys: Vec<(i32, i32)> = self.counts.iter().filter(|(_, &c)| c > 0).map(|(&k, _)| k).collect();
        keys.sort_unstable();
        for key in keys {
            let (cx, cy) = self.centre(key);
            for a in 0..=STEPS {
                for b in 0..=STEPS {
                    let p = (
                        cx + (f64::from(a) / f64::from(STEPS) - 0.5) * self.side,
                        cy + (f64::from(b) / f64::from(STEPS) - 0.5) * self.side,
                    );
                    let inside: Vec<(i32, i32)> = (-span..=span)
                        .flat_map(|di| (-span..=span).map(move |dj| (key.0 + di, key.1 + dj)))
                        .filter(|k| self.unasked_empty || self.counts.contains_key(k))
                        .filter(|&k| {
                            let (x, y) = self.centre(k);
                            libm::hypot(x - p.0, y - p.1) <= r
                        })
                        .collect();
                    candidates.push((p, inside));
                }
            }
        }
        let mut found = Vec::new();
        loop {
            let score = |inside: &Vec<(i32, i32)>| -> i64 {
                inside.iter().map(|k| if residual.get(k).copied().unwrap_or(0) > 0 { 1 } else { -2 }).sum()
            };
            let best =
                candidates.iter().map(|(p, inside)| (score(inside), p, inside)).filter(|(s, _, _)| *s > 0).max_by_key(|(s, _, _)| *s);
            let Some((_, p, inside)) = best else { break };
            found.push(*p);
            for k in inside {
                if let Some(v) = residual.get_mut(k) {
                    *v = v.saturating_sub(1);
                }
            }
        }
        found
    }
}

fn rounded(v: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = v.max(0.0).round() as u32;
    n
}

/// Halves squares around the start level by level, keeping those whose circumscribed circle
/// holds someone, down to 100 m squares (a child's circle lies inside its parent's, so every
/// circle holding a home is asked); then asks 50 m circles every 25 m around the occupied squares
/// and places homes that explain all the counts.
fn quadtree(counter: &mut Counter<'_, '_>, frame: &LocalFrame, start: LatLng, history: &mut Vec<(u32, Option<LatLng>)>) -> Vec<LatLng> {
    let mut side = 2.0 * REGION_M;
    let mut level: Vec<(i32, i32)> = vec![(0, 0)];
    let mut last: Option<Grid> = None;
    let to_homes = |grid: &Grid| grid.explain().into_iter().map(|(x, y)| frame.to_latlng(x, y)).collect::<Vec<_>>();
    let leaves = loop {
        let mut grid = Grid::circumscribed(side);
        for &key in &level {
            let (x, y) = grid.centre(key);
            let Some(v) = counter.count(frame.to_latlng(x, y), grid.radius(), false) else {
                return last.as_ref().map(to_homes).unwrap_or_default();
            };
            grid.counts.insert(key, rounded(v));
        }
        let homes = to_homes(&grid);
        history.push((counter.probe.queries(), nearest(&homes, start)));
        if side <= LEAF_M + 1e-9 {
            break grid;
        }
        level = grid
            .counts
            .iter()
            .filter(|(_, &c)| c > 0)
            .flat_map(|(&(i, j), _)| [(2 * i, 2 * j), (2 * i + 1, 2 * j), (2 * i, 2 * j + 1), (2 * i + 1, 2 * j + 1)])
            .collect();
        level.sort_unstable();
        last = Some(grid);
        side /= 2.0;
    };
    // The fine stage: 50 m circles on a 25 m grid, over each occupied square and 50 m around it.
    let fine_radius = *crate::designs::ranges::RADIUS_M.start();
    let mut fine = Grid { side: FINE_M, radius: fine_radius, counts: FxHashMap::default(), unasked_empty: false };
    #[allow(clippy::cast_possible_truncation)]
    let per = (LEAF_M / FINE_M).round() as i32;
    #[allow(clippy::cast_possible_truncation)]
    let margin = (fine_radius / FINE_M).ceil() as i32;
    let mut keys: Vec<(i32, i32)> = leaves
        .counts
        .iter()
        .filter(|(_, &c)| c > 0)
        .flat_map(|(&(i, j), _)| {
            (i * per - margin..(i + 1) * per + margin).flat_map(move |a| (j * per - margin..(j + 1) * per + margin).map(move |b| (a, b)))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let coarse = to_homes(&leaves);
    for key in keys {
        let (x, y) = fine.centre(key);
        let Some(v) = counter.count(frame.to_latlng(x, y), fine_radius, true) else { return coarse };
        fine.counts.insert(key, rounded(v));
    }
    let homes = to_homes(&fine);
    history.push((counter.probe.queries(), nearest(&homes, start)));
    homes
}

/// Homes from released cell counts: each cell's rounded count, placed at its most populous
/// resolution-10 children (the public density map).
fn from_cells(cells: &[CellReply], density: &DensityMap) -> Vec<LatLng> {
    let mut homes = Vec::new();
    for c in cells {
        let n = rounded(c.count) as usize;
        if n == 0 {
            continue;
        }
        let kids = density.children_by_people(c.cell);
        if kids.is_empty() {
            homes.extend(std::iter::repeat_n(c.centre, n));
        } else {
            homes.extend((0..n).map(|i| cell_centre(kids[i % kids.len()])));
        }
    }
    homes
}

/// The reading a counting attacker uses against the probe's design.
fn reading(probe: &Probe<'_>) -> Reading {
    match (probe.public_epsilon(), probe.design()) {
        (Some(e), _) => Reading::Averaged { sigma: discrete_laplace_sigma(e.as_f64()) },
        (None, crate::designs::DesignKind::Blur) => Reading::Windows,
        _ => Reading::Exact,
    }
}

/// Reconstruction from counts over many circles: asks one circle over the region; released
/// cell tables are read directly, counts are resolved by the quadtree, averaging fresh noise over
/// as many sessions as it takes.
pub fn reconstruct(probe: &mut Probe<'_>, start: LatLng, budget: u32, density: &DensityMap) -> Rebuilt {
    let frame = LocalFrame::new(start);
    let mut history = Vec::new();
    if let Reply::Cells(cells) = probe.ask_within(start, REGION_M) {
        let homes = from_cells(&cells, density);
        history.push((probe.queries(), nearest(&homes, start)));
        return Rebuilt { homes, history };
    }
    let reading = reading(probe);
    let mut counter = Counter { probe, budget, reading };
    let homes = quadtree(&mut counter, &frame, start, &mut history);
    Rebuilt { homes, history }
}

/// Replay and calibration: asks once where nobody lives (beyond the city's edge, which the map
/// shows) to learn the first noise draw of a session, then asks every circle first in a new
/// session and subtracts it. Exact if sessions replay their noise; noise otherwise.
pub fn replay(probe: &mut Probe<'_>, start: LatLng, budget: u32) -> Rebuilt {
    let frame = LocalFrame::new(start);
    let empty = LocalFrame::new(CITY_CENTRE).to_latlng(0.0, CITY_RADIUS_M + 3_000.0);
    let offset = match probe.ask_within(empty, *crate::designs::ranges::RADIUS_M.start()) {
        Reply::Count(v) => v,
        Reply::Cells(_) => return reconstruct(probe, start, budget, &DensityMap { people: FxHashMap::default() }),
        _ => 0.0,
    };
    let reading = if probe.public_epsilon().is_some() { Reading::Replay { offset } } else { reading(probe) };
    let mut counter = Counter { probe, budget, reading };
    let mut history = Vec::new();
    let homes = quadtree(&mut counter, &frame, start, &mut history);
    Rebuilt { homes, history }
}

/// Small circles: one question per 50 m circle on a grid over the region, each asked once; the
/// homes that explain the counts.
pub fn scan(probe: &mut Probe<'_>, start: LatLng, budget: u32, density: &DensityMap) -> Rebuilt {
    let frame = LocalFrame::new(start);
    let side = *crate::designs::ranges::RADIUS_M.start() * std::f64::consts::SQRT_2;
    let mut grid = Grid::circumscribed(side);
    #[allow(clippy::cast_possible_truncation)]
    let n = (2.0 * REGION_M / side).ceil() as i32;
    let mut history = Vec::new();
    if matches!(probe.design(), crate::designs::DesignKind::Aggregate | crate::designs::DesignKind::DpRelease) {
        // Released tables answer small circles with whole cells: read them once.
        if let Reply::Cells(cells) = probe.ask_within(start, REGION_M) {
            let homes = from_cells(&cells, density);
            history.push((probe.queries(), nearest(&homes, start)));
            return Rebuilt { homes, history };
        }
    }
    // One answer per circle, taken as it comes: a scan does not average.
    let reading = if probe.design() == crate::designs::DesignKind::Blur { Reading::Windows } else { Reading::Exact };
    let mut counter = Counter { probe, budget, reading };
    for i in 0..n {
        for j in 0..n {
            let (x, y) = grid.centre((i, j));
            if libm::hypot(x, y) > REGION_M + side {
                continue;
            }
            let at = frame.to_latlng(x, y);
            let Some(v) = counter.count(at, grid.radius(), true) else { break };
            grid.counts.insert((i, j), rounded(v));
        }
    }
    let homes: Vec<LatLng> = grid.explain().into_iter().map(|(x, y)| frame.to_latlng(x, y)).collect();
    history.push((counter.probe.queries(), nearest(&homes, start)));
    Rebuilt { homes, history }
}

/// The Bayesian attacker: the most likely home near the start given what is public (the density
/// map) and, where the design releases cells, their counts: each resolution-10 cell weighted by
/// its people and by its released cell's count per person.
pub fn bayes(probe: &mut Probe<'_>, start: LatLng, density: &DensityMap) -> Rebuilt {
    let cells = match probe.ask_within(start, REGION_M) {
        Reply::Cells(c) => c,
        _ => Vec::new(),
    };
    let mut weight_of_parent: FxHashMap<u64, f64> = FxHashMap::default();
    for c in &cells {
        let people: u32 = density.children_by_people(c.cell).iter().map(|&k| density.people(k)).sum();
        weight_of_parent.insert(c.cell, c.count.max(0.0) / f64::from(people.max(1)));
    }
    let parent_res = cells.first().and_then(|c| H3Cell::try_from(c.cell).ok()).map(H3Cell::resolution);
    let best = density
        .cells_near(start, REGION_M, false)
        .into_iter()
        .map(|(cell, people)| {
            let w = match parent_res {
                Some(res) => parent(cell, res).and_then(|p| weight_of_parent.get(&p).copied()).unwrap_or(0.0),
                None => 1.0,
            };
            (cell, f64::from(people) * w)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(c, _)| cell_centre(c));
    let homes: Vec<LatLng> = best.into_iter().collect();
    Rebuilt { history: vec![(probe.queries(), homes.first().copied())], homes }
}

/// The best estimate before any question: the most populous resolution-10 cell within 400 m of
/// the start on the public density map (the start itself if the map is empty there).
#[must_use]
pub fn prior_estimate(density: &DensityMap, start: LatLng) -> LatLng {
    density
        .cells_near(start, REGION_M, true)
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .filter(|c| c.1 > 0)
        .map_or(start, |(c, _)| cell_centre(c))
}

fn parent(cell: u64, res: Resolution) -> Option<u64> {
    H3Cell::try_from(cell).ok()?.parent(res).map(u64::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::CityConfig;
    use rand::{Rng, SeedableRng};

    #[test]
    fn cells_near_equals_the_great_circle_filter() {
        // The planar pre-test with its margin decides nothing the exact distance would not.
        let city = City::generate(CityConfig { seed: 5, people: 20_000, listed_rate: 0.01 }).unwrap();
        let map = DensityMap::publish(&city);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut populated = 0;
        for _ in 0..300 {
            let at = frame.to_latlng(rng.random_range(-4_000.0..4_000.0), rng.random_range(-4_000.0..4_000.0));
            let radius = rng.random_range(50.0..REGION_M);
            let origin = H3LatLng::new(at.lat, at.lng).unwrap().to_cell(INDEX_RESOLUTION);
            let reference: Vec<(u64, u32)> = origin
                .grid_disk::<Vec<_>>(12)
                .into_iter()
                .map(u64::from)
                .filter(|&c| cell_centre(c).distance_m(at) <= radius)
                .map(|c| (c, map.people(c)))
                .collect();
            let mut all = map.cells_near(at, radius, false);
            let mut sorted = reference.clone();
            all.sort_unstable();
            sorted.sort_unstable();
            assert_eq!(all, sorted);
            let mut busy = map.cells_near(at, radius, true);
            busy.sort_unstable();
            let expected: Vec<(u64, u32)> = sorted.into_iter().filter(|c| c.1 > 0).collect();
            populated += expected.len();
            assert_eq!(busy, expected);
        }
        assert!(populated > 500, "{populated} populated cells seen");
    }
}

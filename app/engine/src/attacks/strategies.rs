//! How each attacker uses the answers it gets.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rustc_hash::FxHashMap;

use super::probe::{Probe, Reply};
use crate::city::City;
use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};
use crate::plan::CITY_RADIUS_M;

/// What a membership question says about the target.
enum Signal {
    In,
    Out,
    /// The design refused: stop.
    Stop,
}

/// The centre of the circle through three points of a plane, if they are not collinear.
fn circumcentre(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> Option<(f64, f64)> {
    let d = 2.0 * (a.0 * (b.1 - c.1) + b.0 * (c.1 - a.1) + c.0 * (a.1 - b.1));
    if d.abs() < 1e-9 {
        return None;
    }
    let (a2, b2, c2) = (a.0 * a.0 + a.1 * a.1, b.0 * b.0 + b.1 * b.1, c.0 * c.0 + c.1 * c.1);
    Some(((a2 * (b.1 - c.1) + b2 * (c.1 - a.1) + c2 * (a.1 - b.1)) / d, (a2 * (c.0 - b.0) + b2 * (a.0 - c.0) + c2 * (b.0 - a.0)) / d))
}

/// Oracle search: from a point where the target is near, binary-search three rays for the edge
/// of the region where the target is reported; the circle through the three edge points is
/// centred on the target's home. `repeats` > 1 averages repeated answers (the averaging attacker).
///
/// Returns the estimate after each question.
#[allow(clippy::too_many_lines)] // one search, read top to bottom: its steps share the probe, the budget and the history
pub fn oracle_search(probe: &mut Probe<'_>, person: u32, start: LatLng, budget: u32, repeats: u32, radius_m: f64) -> Vec<Option<LatLng>> {
    let frame = LocalFrame::new(start);
    let mut history = Vec::new();
    let mut used = 0u32;
    // The first answer sets the baseline for count designs, or the estimate for cell counts.
    let ask_avg =
        |probe: &mut Probe<'_>, at: LatLng, used: &mut u32, history: &mut Vec<Option<LatLng>>, current: Option<LatLng>| -> Option<Reply> {
            let mut sum = 0.0;
            let mut last = None;
            for _ in 0..repeats {
                if *used >= budget {
                    break;
                }
                *used += 1;
                let mut r = probe.ask(at);
                if r == Reply::Refused {
                    // A refused session is no obstacle: open another (a new account, a reload).
                    probe.new_session();
                    r = probe.ask(at);
                }
                history.push(current);
                if let Reply::Count(v) = r {
                    sum += v;
                }
                last = Some(r);
            }
            match last {
                Some(Reply::Count(_)) => Some(Reply::Count(sum / f64::from(repeats))),
                other => other,
            }
        };
    let Some(first) = ask_avg(probe, start, &mut used, &mut history, Some(start)) else { return history };
    let baseline = match &first {
        Reply::Count(v) => *v,
        Reply::Cells(cells) => {
            // Whole-cell counts do not change as the circle moves inside the cells: the best
            // estimate is the count-weighted centre of the released cells the circle touches.
            let (mut w, mut e, mut n) = (0.0, 0.0, 0.0);
            for c in cells {
                let (x, y) = frame.to_local(c.centre);
                let weight = c.count.max(0.0) * c.overlap;
                w += weight;
                e += weight * x;
                n += weight * y;
            }
            let est = if w > 0.0 { frame.to_latlng(e / w, n / w) } else { start };
            if let Some(h) = history.last_mut() {
                *h = Some(est);
            }
            return history;
        }
        Reply::Listed(_) => 0.0,
        Reply::Refused => return history,
    };
    let member = |r: &Reply| match r {
        Reply::Listed(s) => {
            if s.iter().any(|s| s.person == person) {
                Signal::In
            } else {
                Signal::Out
            }
        }
        Reply::Count(v) => {
            if *v >= baseline - 0.5 {
                Signal::In
            } else {
                Signal::Out
            }
        }
        Reply::Cells(_) => Signal::In,
        Reply::Refused => Signal::Stop,
    };
    if let Signal::Out = member(&first) {
        return history;
    }
    let dirs: Vec<(f64, f64)> = [90.0f64, 210.0, 330.0].iter().map(|d| (libm::cos(d.to_radians()), libm::sin(d.to_radians()))).collect();
    let mut lo = [0.0f64; 3];
    let mut hi = [2.0 * radius_m + 10.0; 3];
    let estimate = |lo: &[f64; 3], hi: &[f64; 3]| {
        let p: Vec<(f64, f64)> = (0..3)
            .map(|i| {
                let t = f64::midpoint(lo[i], hi[i]);
                (dirs[i].0 * t, dirs[i].1 * t)
            })
            .collect();
        circumcentre(p[0], p[1], p[2]).filter(|c| libm::hypot(c.0, c.1) <= 2.0 * radius_m).map_or(start, |c| frame.to_latlng(c.0, c.1))
    };
    'search: loop {
        for i in 0..3 {
            if used >= budget || hi[i] - lo[i] < 0.05 {
                if (0..3).all(|j| hi[j] - lo[j] < 0.05) || used >= budget {
                    break 'search;
                }
                continue;
            }
            let t = f64::midpoint(lo[i], hi[i]);
            let at = frame.to_latlng(dirs[i].0 * t, dirs[i].1 * t);
            let current = Some(estimate(&lo, &hi));
            let Some(r) = ask_avg(probe, at, &mut used, &mut history, current) else { break 'search };
            match member(&r) {
                Signal::In => lo[i] = t,
                Signal::Out => hi[i] = t,
                Signal::Stop => break 'search,
            }
            if let Some(h) = history.last_mut() {
                *h = Some(estimate(&lo, &hi));
            }
        }
    }
    history
}

/// Trilateration: distances from three positions fix the home (exact homes at fidelity `pins`).
/// Without distances in the answers it estimates nothing.
pub fn trilaterate(probe: &mut Probe<'_>, person: u32, start: LatLng, budget: u32) -> Vec<Option<LatLng>> {
    let frame = LocalFrame::new(start);
    let mut history = Vec::new();
    let mut points = Vec::new();
    // Offsets of 60 m keep all three positions within 460 m of a home the start is within 400 m of.
    for (i, (e, n)) in [(0.0, 0.0), (60.0, 0.0), (0.0, 60.0)].into_iter().enumerate() {
        if u32::try_from(i).unwrap_or(u32::MAX) >= budget {
            break;
        }
        let at = frame.to_latlng(e, n);
        if let Reply::Listed(s) = probe.ask(at) {
            if let Some(s) = s.iter().find(|s| s.person == person) {
                if let Some(home) = s.home {
                    history.push(Some(home));
                    return history;
                }
                if let Some(d) = s.distance_m {
                    points.push((e, n, d));
                }
            }
        }
        history.push(None);
    }
    if points.len() == 3 {
        // Subtracting the circle equations pairwise leaves two linear equations.
        let (x1, y1, r1) = points[0];
        let (x2, y2, r2) = points[1];
        let (x3, y3, r3) = points[2];
        let (a, b, c) = (2.0 * (x2 - x1), 2.0 * (y2 - y1), r1 * r1 - r2 * r2 - x1 * x1 + x2 * x2 - y1 * y1 + y2 * y2);
        let (d, e, f) = (2.0 * (x3 - x1), 2.0 * (y3 - y1), r1 * r1 - r3 * r3 - x1 * x1 + x3 * x3 - y1 * y1 + y3 * y3);
        let det = a * e - b * d;
        if det.abs() > 1e-9 {
            let est = frame.to_latlng((c * e - b * f) / det, (a * f - c * d) / det);
            if let Some(h) = history.last_mut() {
                *h = Some(est);
            }
        }
    }
    history
}

/// What a walker learned about one person.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    positions: Vec<LatLng>,
    home: Option<LatLng>,
}

impl Seen {
    /// The best estimate of the home: the exact home if shown, else the centre of the positions
    /// the person was seen from.
    #[must_use]
    pub fn estimate(&self) -> LatLng {
        if let Some(h) = self.home {
            return h;
        }
        let frame = LocalFrame::new(self.positions[0]);
        #[allow(clippy::cast_precision_loss)]
        let n = self.positions.len() as f64;
        let (e, no) = self.positions.iter().map(|p| frame.to_local(*p)).fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        frame.to_latlng(e / n, no / n)
    }
}

/// A walk along the street grid, one question every 300 m, recording every listed person seen.
pub fn walk(probe: &mut Probe<'_>, budget: u32, rng: &mut ChaCha8Rng) -> BTreeMap<u32, Seen> {
    let frame = LocalFrame::new(CITY_CENTRE);
    let (mut e, mut n) = (0.0f64, 0.0f64);
    let mut dir = 0usize;
    let steps = [(1.0, 0.0), (0.0, 1.0), (-1.0, 0.0), (0.0, -1.0)];
    let mut seen: BTreeMap<u32, Seen> = BTreeMap::new();
    for _ in 0..budget {
        let at = frame.to_latlng(e, n);
        if let Reply::Listed(s) = probe.ask(at) {
            for s in s {
                let entry = seen.entry(s.person).or_default();
                entry.positions.push(at);
                entry.home = entry.home.or(s.home);
            }
        }
        if rng.random::<f64>() < 0.3 {
            dir = (dir + if rng.random::<bool>() { 1 } else { 3 }) % 4;
        }
        let (ne, nn) = (e + steps[dir].0 * 300.0, n + steps[dir].1 * 300.0);
        if libm::hypot(ne, nn) > CITY_RADIUS_M - 500.0 {
            dir = (dir + 2) % 4;
        } else {
            (e, n) = (ne, nn);
        }
    }
    seen
}

/// A synthetic public directory (think of a leaked delivery-address list): name and full
/// address of the people in 70 % of households. Published from the city once; the linkage
/// attacker reads only this.
pub struct Directory {
    /// (name in Chinese, district, street, number) → the directory's records at that address.
    by_name: FxHashMap<(String, u8, u16), Vec<(u16, u32)>>,
    by_address: FxHashMap<(u16, u16), u32>,
    plan: crate::plan::StreetPlan,
}

/// What linkage achieved.
pub struct Linked {
    /// Re-identified listed people with the home the directory's address gives.
    pub homes: BTreeMap<u32, LatLng>,
    /// Other household members found at those addresses.
    pub household_members: u32,
}

impl Directory {
    /// Publishes the directory of a city.
    #[must_use]
    pub fn publish(city: &City, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xD1_2EC7);
        let mut by_name: FxHashMap<(String, u8, u16), Vec<(u16, u32)>> = FxHashMap::default();
        let mut by_address: FxHashMap<(u16, u16), u32> = FxHashMap::default();
        for (h, hh) in city.households().iter().enumerate() {
            if rng.random::<f64>() >= 0.7 {
                continue;
            }
            let a = hh.address;
            for id in city.members(u32::try_from(h).unwrap_or(u32::MAX)) {
                let Some(p) = city.person(id) else { continue };
                by_name.entry((p.name.zh, a.district, a.street)).or_default().push((a.number, id));
                *by_address.entry((a.street, a.number)).or_default() += 1;
            }
        }
        Self { by_name, by_address, plan: city.plan().clone() }
    }

    /// Joins the walker's sightings with the directory: the name, district, street and first
    /// digit of the building number that the deployed map displayed, against the directory's
    /// records. A unique match re-identifies the person and gives their address.
    #[must_use]
    pub fn link(&self, probe: &Probe<'_>, seen: &BTreeMap<u32, Seen>) -> Linked {
        let mut homes = BTreeMap::new();
        let mut household_members = 0;
        for &person in seen.keys() {
            let Some(shown) = probe.displayed(person) else { continue };
            let Some(records) = self.by_name.get(&(shown.name_zh, shown.district, shown.street)) else { continue };
            let matches: Vec<&(u16, u32)> = records
                .iter()
                .filter(|(n, _)| {
                    let digits = n.to_string();
                    digits.starts_with(shown.number_first_digit) && digits.len() == shown.number_digits
                })
                .collect();
            if let [(number, _)] = matches.as_slice() {
                let (e, n) = self.plan.locate(shown.street, *number);
                homes.insert(person, LocalFrame::new(CITY_CENTRE).to_latlng(e, n));
                household_members += self.by_address.get(&(shown.street, *number)).copied().unwrap_or(1) - 1;
            }
        }
        Linked { homes, household_members }
    }
}

pub(crate) use crate::index::city_cells;

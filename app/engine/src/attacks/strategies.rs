//! How each attacker uses the answers it gets.

use std::collections::BTreeMap;

use rand::Rng;
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
                let mut r = probe.ask_about(at, person);
                if r == Reply::Refused {
                    // A refused session is no obstacle: open another (a new account, a reload).
                    probe.new_session();
                    r = probe.ask_about(at, person);
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

/// A flat of a building: unit, floor and room.
type Flat = (u8, u8, u8);

/// A synthetic public directory (think of a leaked delivery-address list): name and full
/// address of the people in 70 % of households. Published from the city once; the linkage
/// attacker reads only this.
pub struct Directory {
    /// (name in Chinese, compound, building) → the directory's records in that building: the
    /// flat (unit, floor, room).
    by_name: FxHashMap<(String, u16, u8), Vec<Flat>>,
    /// People the directory lists per flat (compound, building, unit, floor, room).
    by_flat: FxHashMap<(u16, u8, u8, u8, u8), u32>,
    plan: crate::plan::StreetPlan,
}

/// What linkage achieved.
pub struct Linked {
    /// Re-identified listed people with the home the directory's address gives.
    pub homes: BTreeMap<u32, LatLng>,
    /// Other household members found at those addresses.
    pub household_members: u32,
}

/// One record of the directory in a building: the name in Chinese and the flat (unit, floor,
/// room).
pub(crate) type Record = (String, (u8, u8, u8));

impl Directory {
    /// Whether the directory of `seed` lists household `h` (70 % of households are).
    #[must_use]
    pub fn lists(seed: u64, household: u32) -> bool {
        crate::layout::unit_share(crate::layout::mix(seed ^ 0xD1_2EC7, u64::from(household))) < 0.7
    }

    /// The flat the directory of `seed` gives for a listed person's name in their own building,
    /// worked out for that building alone: `Some` when the directory has exactly one flat there
    /// for the name, which is then the person's, as [`Directory::flat_of`] finds it.
    #[must_use]
    pub fn flat_for(city: &City, seed: u64, person: u32) -> Option<(u8, u8, u8)> {
        let own = city.households()[city.household_of(person) as usize].address;
        let name = city.name(person)?.zh;
        Self::flat_in(&Self::building_records(city, seed, own.compound, own.building), &name)
    }

    /// The directory's records of one building as [`Directory::flat_for`] reads them: the name
    /// in Chinese and the flat (unit, floor, room) of each listed resident.
    #[must_use]
    pub(crate) fn building_records(city: &City, seed: u64, compound: u16, building: u8) -> Vec<Record> {
        let frame = LocalFrame::new(CITY_CENTRE);
        let mut records = Vec::new();
        for unit in 1..=crate::layout::UNITS_PER_BUILDING {
            // A unit's entrance follows from its compound, building and unit alone.
            let entrance = crate::plan::Address { district: 0, compound, building, unit, floor: 0, room: 0 };
            let Some((e, n)) = city.plan().locate(entrance) else { continue };
            for id in city.people_within(frame.to_latlng(e, n), 0.5) {
                let h = city.household_of(id);
                let a = city.households()[h as usize].address;
                if (a.compound, a.building) == (compound, building) && Self::lists(seed, h) {
                    if let Some(name) = city.name(id) {
                        records.push((name.zh, (a.unit, a.floor, a.room)));
                    }
                }
            }
        }
        records
    }

    /// The one flat a building's records give for a name (`None` for none or several).
    #[must_use]
    pub(crate) fn flat_in(records: &[Record], name: &str) -> Option<(u8, u8, u8)> {
        let mut flats = records.iter().filter(|r| r.0 == name).map(|r| r.1);
        let first = flats.next()?;
        flats.all(|f| f == first).then_some(first)
    }

    /// Publishes the directory of a city.
    #[must_use]
    pub fn publish(city: &City, seed: u64) -> Self {
        let mut by_name: FxHashMap<(String, u16, u8), Vec<Flat>> = FxHashMap::default();
        let mut by_flat: FxHashMap<(u16, u8, u8, u8, u8), u32> = FxHashMap::default();
        for (h, hh) in city.households().iter().enumerate() {
            let h = u32::try_from(h).unwrap_or(u32::MAX);
            if !Self::lists(seed, h) {
                continue;
            }
            let a = hh.address;
            for id in city.members(h) {
                let Some(p) = city.person(id) else { continue };
                by_name.entry((p.name.zh, a.compound, a.building)).or_default().push((a.unit, a.floor, a.room));
                *by_flat.entry((a.compound, a.building, a.unit, a.floor, a.room)).or_default() += 1;
            }
        }
        Self { by_name, by_flat, plan: city.plan().clone() }
    }

    /// The flat the directory gives for a name in a building: `Some` when exactly one of its
    /// records there has that name (several records of one flat count once).
    #[must_use]
    pub fn flat_of(&self, name_zh: &str, compound: u16, building: u8) -> Option<(u8, u8, u8)> {
        let records = self.by_name.get(&(name_zh.to_owned(), compound, building))?;
        let first = *records.first()?;
        records.iter().all(|r| *r == first).then_some(first)
    }

    /// Joins the walker's sightings with the directory: the name, compound and building that the
    /// deployed map displayed, against the directory's records. A unique match re-identifies the
    /// person and gives their flat, hence their home.
    #[must_use]
    pub fn link(&self, probe: &Probe<'_>, seen: &BTreeMap<u32, Seen>) -> Linked {
        let mut homes = BTreeMap::new();
        let mut household_members = 0;
        for &person in seen.keys() {
            let Some(shown) = probe.displayed(person) else { continue };
            let Some((unit, floor, room)) = self.flat_of(&shown.name_zh, shown.compound, shown.building) else { continue };
            let a = crate::plan::Address { district: 0, compound: shown.compound, building: shown.building, unit, floor, room };
            let Some((e, n)) = self.plan.locate(a) else { continue };
            homes.insert(person, LocalFrame::new(CITY_CENTRE).to_latlng(e, n));
            household_members += self.by_flat.get(&(shown.compound, shown.building, unit, floor, room)).copied().unwrap_or(1) - 1;
        }
        Linked { homes, household_members }
    }
}

pub(crate) use crate::index::city_cells;

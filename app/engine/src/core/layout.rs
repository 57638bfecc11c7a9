//! The city's shape beyond its street grid: three ring roads, seven radial arterials along the
//! districts' edges, a canal, a rail line with its station, parks, commercial blocks, and
//! residential compounds (小区) of slab buildings, each with units (单元) and floors.
//!
//! Every block of the street grid (a square of [`BLOCK_M`]) has one use, drawn from the seed.
//! A residential block is one compound of up to [`BUILDINGS_PER_COMPOUND`] buildings in rows;
//! a building whose footprint would sit on a ring road, a radial, the canal or the rail line is
//! not built. A household lives in a flat: compound, building, unit, floor and room; its home is
//! the position of its unit's entrance, so the flats of one unit share a position.
//!
//! Nothing here is stored per block or per building: all of it is worked out from the seed on
//! demand, so the layout costs a few bytes however large the city.

use serde::{Deserialize, Serialize};

use crate::plan::{CITY_RADIUS_M, STREET_SPACING_M};

/// Side of a block of the street grid, in metres.
pub const BLOCK_M: f64 = STREET_SPACING_M;
/// Blocks along each axis of the grid.
pub const BLOCKS_PER_AXIS: i32 = 74;
/// Radii of the ring roads in metres (the first is the central district's edge).
pub const RING_ROADS_M: [f64; 3] = [3_500.0, 7_000.0, 11_000.0];
/// Radial arterials, along the edges of the seven outer districts, from the first ring outwards.
pub const RADIALS: usize = 7;
/// Half the canal's width in metres.
pub const CANAL_HALF_WIDTH_M: f64 = 30.0;
/// Buildings of a compound: rows of [`BUILDINGS_PER_ROW`].
pub const BUILDINGS_PER_COMPOUND: u8 = 32;
/// Buildings in one row of a compound.
pub const BUILDINGS_PER_ROW: u8 = 4;
/// Units (entrances) of a building.
pub const UNITS_PER_BUILDING: u8 = 3;
/// Flats on one floor of a unit.
pub const FLATS_PER_FLOOR: u8 = 2;
/// A building's length (east-west) and depth in metres.
pub const BUILDING_SIZE_M: (f64, f64) = (60.0, 14.0);
/// Distance from a block's streets to its first buildings.
const MARGIN_M: f64 = 30.0;
/// Distance between the centres of neighbouring buildings, east-west and north-south.
const PITCH_M: (f64, f64) = (85.0, 42.5);
/// Width of one unit along its building.
const UNIT_M: f64 = 20.0;
/// Clearance from a building's centre to the middle of a ring road or radial, the canal and the
/// rail line.
const CLEAR_ROAD_M: f64 = 30.0;
const CLEAR_CANAL_M: f64 = 55.0;
const CLEAR_RAIL_M: f64 = 40.0;
/// Reach of the commercial quarter around the station.
const STATION_QUARTER_M: f64 = 700.0;

/// What a block of the grid is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockUse {
    /// A residential compound of buildings.
    Residential,
    /// Offices and shops: where workplaces are.
    Commercial,
    /// A park: no buildings.
    Park,
    /// Outside the city's disk.
    Outside,
}

/// One building of a compound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Building {
    /// The block (compound) it stands in.
    pub block: u16,
    /// Its number in the compound, 1 to [`BUILDINGS_PER_COMPOUND`].
    pub number: u8,
    /// Centre, in metres east and north of the city's centre.
    pub centre: (f64, f64),
    /// Floors above ground.
    pub floors: u8,
}

impl Building {
    /// The position of a unit's entrance (unit 1 to [`UNITS_PER_BUILDING`]), where the homes of
    /// that unit are.
    #[must_use]
    pub fn unit_position(&self, unit: u8) -> (f64, f64) {
        let (cx, cy) = self.centre;
        (cx + UNIT_M * (f64::from(unit) - 2.0), cy)
    }

    /// The unit whose entrance is nearest an east offset (1 to [`UNITS_PER_BUILDING`]): the
    /// inverse of [`Building::unit_position`].
    #[must_use]
    pub fn unit_nearest(&self, east_m: f64) -> u8 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 1..=3
        let unit = ((east_m - self.centre.0) / UNIT_M + 2.0).round().clamp(1.0, f64::from(UNITS_PER_BUILDING)) as u8;
        unit
    }

    /// Flats of one unit: floors times flats per floor.
    #[must_use]
    pub fn flats_per_unit(&self) -> u16 {
        u16::from(self.floors) * u16::from(FLATS_PER_FLOOR)
    }

    /// Whether a local position lies on the building's footprint grown by `margin_m`.
    #[must_use]
    pub fn covers(&self, east_m: f64, north_m: f64, margin_m: f64) -> bool {
        let (cx, cy) = self.centre;
        (east_m - cx).abs() <= BUILDING_SIZE_M.0 / 2.0 + margin_m && (north_m - cy).abs() <= BUILDING_SIZE_M.1 / 2.0 + margin_m
    }
}

/// A flat's place: the block, building, unit, floor and room, as [`crate::plan::Address`] keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlatPlace {
    /// Block (compound).
    pub block: u16,
    /// Building number.
    pub building: u8,
    /// Unit, from 1.
    pub unit: u8,
    /// Floor, from 1.
    pub floor: u8,
    /// Room on the floor, from 1.
    pub room: u8,
}

/// The layout of one city, from its seed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    seed: u64,
    /// The canal's mean north offset, its phase and its wavelength.
    canal: (f64, f64, f64),
    /// A point of the rail line and its direction (radians from east).
    rail: ((f64, f64), f64),
    /// The station, on the rail line.
    station: (f64, f64),
}

/// A well-mixed 64-bit hash (splitmix64's finaliser) of a seed and a key.
pub(crate) fn mix(seed: u64, key: u64) -> u64 {
    let mut z = seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A share in [0, 1) from a hash.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn unit_share(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

impl Layout {
    /// The layout of the city of `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        let s = |k: u64| unit_share(mix(seed, 0x5EED_0000 + k));
        let canal = (-2_500.0 + 1_500.0 * s(1), std::f64::consts::TAU * s(2), 2_400.0 + 1_200.0 * s(3));
        // The station stands 2 to 3 km from the centre; the line passes it at a slant.
        let a = std::f64::consts::TAU * s(4);
        let r = 2_000.0 + 1_000.0 * s(5);
        let station = (r * libm::cos(a), r * libm::sin(a));
        let direction = a + std::f64::consts::FRAC_PI_2 + 0.6 * (s(6) - 0.5);
        Self { seed, canal, rail: (station, direction), station }
    }

    /// The canal's centre line: its north offset at an east offset.
    #[must_use]
    pub fn canal_north_at(&self, east_m: f64) -> f64 {
        let (mean, phase, wavelength) = self.canal;
        mean + 1_100.0 * libm::sin(east_m / wavelength * std::f64::consts::TAU + phase)
    }

    /// Distance from a position to the canal's centre line (measured north-south, which is close
    /// to the true distance where the canal bends gently and never smaller).
    fn canal_gap(&self, east_m: f64, north_m: f64) -> f64 {
        let (mean, phase, wavelength) = self.canal;
        let slope = 1_100.0 * std::f64::consts::TAU / wavelength * libm::cos(east_m / wavelength * std::f64::consts::TAU + phase);
        (north_m - mean - 1_100.0 * libm::sin(east_m / wavelength * std::f64::consts::TAU + phase)).abs() / libm::sqrt(1.0 + slope * slope)
    }

    /// The rail line's two ends at the city's edge, in local metres.
    #[must_use]
    pub fn rail_ends(&self) -> ((f64, f64), (f64, f64)) {
        let ((px, py), d) = self.rail;
        let (dx, dy) = (libm::cos(d), libm::sin(d));
        // Solve |p + t·d| = R for t.
        let b = px * dx + py * dy;
        let c = px * px + py * py - CITY_RADIUS_M * CITY_RADIUS_M;
        let root = libm::sqrt((b * b - c).max(0.0));
        let (t0, t1) = (-b - root, -b + root);
        ((px + t0 * dx, py + t0 * dy), (px + t1 * dx, py + t1 * dy))
    }

    fn rail_gap(&self, east_m: f64, north_m: f64) -> f64 {
        let ((px, py), d) = self.rail;
        ((east_m - px) * libm::sin(d) - (north_m - py) * libm::cos(d)).abs()
    }

    /// The station, in local metres.
    #[must_use]
    pub fn station(&self) -> (f64, f64) {
        self.station
    }

    /// Distance to the nearest ring road or radial arterial.
    fn road_gap(east_m: f64, north_m: f64) -> f64 {
        let r = east_m.hypot(north_m);
        let ring = RING_ROADS_M.iter().map(|&ring| (r - ring).abs()).fold(f64::INFINITY, f64::min);
        if r < RING_ROADS_M[0] {
            return ring;
        }
        let angle = libm::atan2(north_m, east_m).rem_euclid(std::f64::consts::TAU);
        #[allow(clippy::cast_precision_loss)]
        let step = std::f64::consts::TAU / RADIALS as f64;
        let nearest = (angle / step).round() * step;
        let radial = r * libm::sin((angle - nearest).abs());
        ring.min(radial)
    }

    /// The block holding a local position, if it is on the grid.
    #[must_use]
    pub fn block_of(east_m: f64, north_m: f64) -> Option<u16> {
        let half = BLOCKS_PER_AXIS / 2;
        #[allow(clippy::cast_possible_truncation)]
        let (bx, by) = ((east_m / BLOCK_M).floor() as i32 + half, (north_m / BLOCK_M).floor() as i32 + half);
        if !(0..BLOCKS_PER_AXIS).contains(&bx) || !(0..BLOCKS_PER_AXIS).contains(&by) {
            return None;
        }
        u16::try_from(bx * BLOCKS_PER_AXIS + by).ok()
    }

    /// The south-west corner of a block, in local metres.
    #[must_use]
    pub fn block_origin(block: u16) -> (f64, f64) {
        let half = BLOCKS_PER_AXIS / 2;
        let (bx, by) = (i32::from(block) / BLOCKS_PER_AXIS - half, i32::from(block) % BLOCKS_PER_AXIS - half);
        (f64::from(bx) * BLOCK_M, f64::from(by) * BLOCK_M)
    }

    /// What a block is used for.
    #[must_use]
    pub fn block_use(&self, block: u16) -> BlockUse {
        let (x0, y0) = Self::block_origin(block);
        let (cx, cy) = (x0 + BLOCK_M / 2.0, y0 + BLOCK_M / 2.0);
        let r = cx.hypot(cy);
        if r > CITY_RADIUS_M - BLOCK_M / 2.0 {
            return BlockUse::Outside;
        }
        let u = unit_share(mix(self.seed, u64::from(block)));
        let (sx, sy) = self.station;
        let near_station = (cx - sx).hypot(cy - sy) < STATION_QUARTER_M;
        // Parks: about one block in 25, more along the canal.
        let by_canal = self.canal_gap(cx, cy) < BLOCK_M * 0.6;
        if u < if by_canal { 0.35 } else { 0.04 } {
            return BlockUse::Park;
        }
        // Offices and shops: the station's quarter, a third of the centre, a few blocks elsewhere.
        let commercial = if near_station {
            0.9
        } else if r < RING_ROADS_M[0] {
            0.35
        } else {
            0.08
        };
        if u < 0.04 + commercial {
            return BlockUse::Commercial;
        }
        BlockUse::Residential
    }

    /// Building `number` (1 to 32) of a block, if the block is residential and the building is
    /// clear of the roads, the canal, the rail line and the city's edge.
    #[must_use]
    pub fn building(&self, block: u16, number: u8) -> Option<Building> {
        if !(1..=BUILDINGS_PER_COMPOUND).contains(&number) || self.block_use(block) != BlockUse::Residential {
            return None;
        }
        self.building_unchecked(block, number)
    }

    /// Where building `number` of a block stands, built or not.
    fn building_centre(block: u16, number: u8) -> (f64, f64) {
        let (x0, y0) = Self::block_origin(block);
        let (col, row) = ((number - 1) % BUILDINGS_PER_ROW, (number - 1) / BUILDINGS_PER_ROW);
        (x0 + MARGIN_M + PITCH_M.0 * (f64::from(col) + 0.5), y0 + MARGIN_M + PITCH_M.1 * (f64::from(row) + 0.5))
    }

    /// The number of the building whose place (built or not) holds a local position of a block.
    fn building_number_at(block: u16, east_m: f64, north_m: f64) -> u8 {
        let (x0, y0) = Self::block_origin(block);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let col = ((east_m - x0 - MARGIN_M) / PITCH_M.0).floor().clamp(0.0, f64::from(BUILDINGS_PER_ROW - 1)) as u8;
        let rows = BUILDINGS_PER_COMPOUND / BUILDINGS_PER_ROW;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let row = ((north_m - y0 - MARGIN_M) / PITCH_M.1).floor().clamp(0.0, f64::from(rows - 1)) as u8;
        row * BUILDINGS_PER_ROW + col + 1
    }

    fn building_unchecked(&self, block: u16, number: u8) -> Option<Building> {
        let centre = Self::building_centre(block, number);
        let (e, n) = centre;
        if e.hypot(n) > CITY_RADIUS_M - 50.0
            || Self::road_gap(e, n) < CLEAR_ROAD_M
            || self.canal_gap(e, n) < CLEAR_CANAL_M
            || self.rail_gap(e, n) < CLEAR_RAIL_M
        {
            return None;
        }
        // Towers in the centre, lower blocks farther out.
        let r = e.hypot(n);
        let u = unit_share(mix(self.seed, 0xB11D_0000_0000 + u64::from(block) * 64 + u64::from(number)));
        let floors = match (r < RING_ROADS_M[1], u) {
            (true, u) if u < 0.45 => 33,
            (true, u) if u < 0.8 => 26,
            (true, _) => 18,
            (false, u) if u < 0.25 => 26,
            (false, u) if u < 0.6 => 18,
            (false, u) if u < 0.85 => 11,
            _ => 6,
        };
        Some(Building { block, number, centre, floors })
    }

    /// Every building of a block (none unless it is residential).
    pub fn buildings(&self, block: u16) -> impl Iterator<Item = Building> + '_ {
        let residential = self.block_use(block) == BlockUse::Residential;
        (1..=BUILDINGS_PER_COMPOUND).filter(move |_| residential).filter_map(move |b| self.building_unchecked(block, b))
    }

    /// The building whose footprint, grown by `margin_m`, holds a local position.
    #[must_use]
    pub fn building_at(&self, east_m: f64, north_m: f64, margin_m: f64) -> Option<Building> {
        let block = Self::block_of(east_m, north_m)?;
        self.building(block, Self::building_number_at(block, east_m, north_m)).filter(|b| b.covers(east_m, north_m, margin_m))
    }

    /// Every block's buildings worked out once (a byte each), for generating a city.
    #[must_use]
    pub fn compounds(&self) -> Compounds {
        let blocks = u16::try_from(BLOCKS_PER_AXIS * BLOCKS_PER_AXIS).unwrap_or(u16::MAX);
        let mut floors = vec![0u8; usize::from(blocks) * usize::from(BUILDINGS_PER_COMPOUND)];
        for block in 0..blocks {
            for b in self.buildings(block) {
                floors[usize::from(block) * usize::from(BUILDINGS_PER_COMPOUND) + usize::from(b.number - 1)] = b.floors;
            }
        }
        Compounds { floors }
    }

    /// Units on the whole grid, the length of the `taken` table of [`Compounds::move_in`].
    #[must_use]
    pub fn unit_slots() -> usize {
        #[allow(clippy::cast_sign_loss)]
        let blocks = (BLOCKS_PER_AXIS * BLOCKS_PER_AXIS) as usize;
        blocks * usize::from(BUILDINGS_PER_COMPOUND) * usize::from(UNITS_PER_BUILDING)
    }

    /// A unit's place in the `taken` table.
    #[must_use]
    pub fn unit_slot(block: u16, building: u8, unit: u8) -> usize {
        (usize::from(block) * usize::from(BUILDINGS_PER_COMPOUND) + usize::from(building - 1)) * usize::from(UNITS_PER_BUILDING)
            + usize::from(unit - 1)
    }

    /// Whether a local position lies in a block of offices and shops (where workplaces are).
    #[must_use]
    pub fn is_commercial(&self, east_m: f64, north_m: f64) -> bool {
        Self::block_of(east_m, north_m).is_some_and(|b| self.block_use(b) == BlockUse::Commercial)
    }
}

/// The buildings of every block, a byte each (their floors, 0 where none stands), so that a
/// city's households move in without working the layout out again for each.
pub struct Compounds {
    floors: Vec<u8>,
}

impl Compounds {
    /// Building `number` of a block, if it stands.
    #[must_use]
    pub fn building(&self, block: u16, number: u8) -> Option<Building> {
        if !(1..=BUILDINGS_PER_COMPOUND).contains(&number) {
            return None;
        }
        let floors = *self.floors.get(usize::from(block) * usize::from(BUILDINGS_PER_COMPOUND) + usize::from(number - 1))?;
        (floors > 0).then(|| Building { block, number, centre: Layout::building_centre(block, number), floors })
    }

    /// The building whose footprint, grown by `margin_m`, holds a local position.
    #[must_use]
    pub fn building_at(&self, east_m: f64, north_m: f64, margin_m: f64) -> Option<Building> {
        let block = Layout::block_of(east_m, north_m)?;
        self.building(block, Layout::building_number_at(block, east_m, north_m)).filter(|b| b.covers(east_m, north_m, margin_m))
    }

    /// The flat on `floor` and `room` of the unit whose entrance is at a local position.
    #[must_use]
    pub fn flat_at(&self, east_m: f64, north_m: f64, floor: u8, room: u8) -> Option<FlatPlace> {
        let b = self.building_at(east_m, north_m, 0.0)?;
        let unit = b.unit_nearest(east_m);
        Some(FlatPlace { block: b.block, building: b.number, unit, floor, room })
    }

    /// Takes the next free flat of the share's in a building, in the unit nearest to `east_m`
    /// first.
    fn take(b: &Building, east_m: f64, share: FlatShare, taken: &mut [u16]) -> Option<(FlatPlace, (f64, f64))> {
        let first = b.unit_nearest(east_m);
        for k in 0..UNITS_PER_BUILDING {
            let unit = (first - 1 + k) % UNITS_PER_BUILDING + 1;
            let slot = Layout::unit_slot(b.block, b.number, unit);
            let n = share.flat(slot, taken[slot]);
            if n < b.flats_per_unit() {
                taken[slot] += 1;
                #[allow(clippy::cast_possible_truncation)] // at most 33 floors and 2 rooms
                let (floor, room) = ((n / u16::from(FLATS_PER_FLOOR)) as u8 + 1, (n % u16::from(FLATS_PER_FLOOR)) as u8 + 1);
                return Some((FlatPlace { block: b.block, building: b.number, unit, floor, room }, b.unit_position(unit)));
            }
        }
        None
    }

    /// The flat a household drawn at a local position moves into, among the flats of `share`:
    /// in the building whose place holds the position if it stands and has a free flat, else in
    /// the building of the block nearest to the position with one (lowest number on ties); the
    /// unit nearest to it first. `None` when the block has no free flat (the household is drawn
    /// again). `taken` counts the share's flats taken per unit ([`Layout::unit_slot`]).
    pub fn move_in(&self, east_m: f64, north_m: f64, share: FlatShare, taken: &mut [u16]) -> Option<(FlatPlace, (f64, f64))> {
        let block = Layout::block_of(east_m, north_m)?;
        if let Some(b) = self.building(block, Layout::building_number_at(block, east_m, north_m)) {
            if let Some(found) = Self::take(&b, east_m, share, taken) {
                return Some(found);
            }
        }
        let free = |b: &Building| {
            (1..=UNITS_PER_BUILDING).any(|u| {
                let slot = Layout::unit_slot(block, b.number, u);
                share.flat(slot, taken[slot]) < b.flats_per_unit()
            })
        };
        let nearest = (1..=BUILDINGS_PER_COMPOUND)
            .filter_map(|n| self.building(block, n))
            .filter(free)
            .map(|b| ((b.centre.0 - east_m).hypot(b.centre.1 - north_m), b))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.number.cmp(&b.1.number)))?;
        Self::take(&nearest.1, east_m, share, taken)
    }
}

/// The flats of every unit that one part of a city moves into, when the city's households are
/// drawn in parts (each part on its own thread or worker, with its own `taken` table): flat `n`
/// of a unit (counted from 0, floor by floor) belongs to part `(n + unit slot) % parts`, so every
/// part holds close to its share of every building, and no two parts can take the same flat.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlatShare {
    part: u16,
    parts: u16,
}

impl FlatShare {
    /// Every flat: a city drawn in one part.
    pub const WHOLE: Self = Self { part: 0, parts: 1 };

    /// Part `part` of `parts`; `None` unless `part < parts`.
    #[must_use]
    pub fn new(part: u16, parts: u16) -> Option<Self> {
        (part < parts).then_some(Self { part, parts })
    }

    /// The flat (counted from 0 in its unit) that is the share's `m`-th in the unit at `slot`.
    fn flat(self, slot: usize, m: u16) -> u16 {
        #[allow(clippy::cast_possible_truncation)] // a remainder below `parts`
        let offset = (usize::from(self.part) + usize::from(self.parts) - slot % usize::from(self.parts)) % usize::from(self.parts);
        #[allow(clippy::cast_possible_truncation)]
        let first = offset as u16;
        first.saturating_add(m.saturating_mul(self.parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildings_keep_clear_of_roads_canal_and_rail() {
        let layout = Layout::new(7);
        let compounds = layout.compounds();
        let mut built = 0;
        for block in 0..u16::try_from(BLOCKS_PER_AXIS * BLOCKS_PER_AXIS).unwrap() {
            for b in layout.buildings(block) {
                built += 1;
                let (e, n) = b.centre;
                assert!(Layout::road_gap(e, n) >= CLEAR_ROAD_M);
                assert!(layout.canal_gap(e, n) >= CLEAR_CANAL_M);
                assert!(layout.rail_gap(e, n) >= CLEAR_RAIL_M);
                assert_eq!(layout.building_at(e, n, 0.0), Some(b), "a building's centre finds it");
                assert_eq!(compounds.building_at(e, n, 0.0), Some(b), "and the table of compounds too");
                for unit in 1..=UNITS_PER_BUILDING {
                    let (ue, un) = b.unit_position(unit);
                    assert_eq!(layout.building_at(ue, un, 0.0).map(|x| x.number), Some(b.number));
                }
            }
        }
        assert!(built > 50_000, "{built} buildings");
    }

    #[test]
    fn blocks_have_every_use() {
        let layout = Layout::new(7);
        let uses: Vec<BlockUse> = (0..u16::try_from(BLOCKS_PER_AXIS * BLOCKS_PER_AXIS).unwrap()).map(|b| layout.block_use(b)).collect();
        for u in [BlockUse::Residential, BlockUse::Commercial, BlockUse::Park, BlockUse::Outside] {
            assert!(uses.contains(&u), "{u:?}");
        }
        let residential = uses.iter().filter(|&&u| u == BlockUse::Residential).count();
        let inside = uses.iter().filter(|&&u| u != BlockUse::Outside).count();
        assert!(residential * 10 > inside * 7, "most blocks are homes: {residential} of {inside}");
    }

    #[test]
    fn moving_in_fills_a_unit_floor_by_floor_then_the_next() {
        let layout = Layout::new(7);
        let compounds = layout.compounds();
        let mut taken = vec![0u16; Layout::unit_slots()];
        // A residential block near the centre and one of its buildings.
        let b = (0..u16::try_from(BLOCKS_PER_AXIS * BLOCKS_PER_AXIS).unwrap()).find_map(|k| layout.buildings(k).next()).unwrap();
        let (e, n) = b.unit_position(2);
        let mut seen = Vec::new();
        for _ in 0..=b.flats_per_unit() {
            let (flat, at) = compounds.move_in(e, n, FlatShare::WHOLE, &mut taken).unwrap();
            assert_eq!(compounds.flat_at(at.0, at.1, flat.floor, flat.room), Some(flat));
            seen.push((flat.building, flat.unit, flat.floor, flat.room));
            assert_eq!(layout.building_at(at.0, at.1, 0.0).map(|x| (x.block, x.number)), Some((flat.block, flat.building)));
        }
        assert_eq!(seen[0], (b.number, 2, 1, 1));
        assert_eq!(seen[1], (b.number, 2, 1, 2));
        assert_eq!(seen[2], (b.number, 2, 2, 1));
        let full = usize::from(b.flats_per_unit());
        assert_eq!(seen[full - 1], (b.number, 2, b.floors, 2), "the unit's top floor");
        assert_eq!((seen[full].0, seen[full].1, seen[full].2), (b.number, 3, 1), "then the next unit");
        let mut distinct = seen.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), seen.len(), "no flat is given twice");
    }

    #[test]
    fn parts_share_every_flat_of_a_building_once() {
        let layout = Layout::new(7);
        let compounds = layout.compounds();
        let b = (0..u16::try_from(BLOCKS_PER_AXIS * BLOCKS_PER_AXIS).unwrap()).find_map(|k| layout.buildings(k).nth(3)).unwrap();
        let (e, n) = b.unit_position(1);
        let mut flats = Vec::new();
        for part in 0..5 {
            let share = FlatShare::new(part, 5).unwrap();
            let mut taken = vec![0u16; Layout::unit_slots()];
            let mut mine = 0;
            // Each part moves into this building until its share of it is full.
            while let Some((flat, _)) = compounds.move_in(e, n, share, &mut taken) {
                if flat.building != b.number {
                    break;
                }
                flats.push((flat.unit, flat.floor, flat.room));
                mine += 1;
            }
            let all = usize::from(UNITS_PER_BUILDING) * usize::from(b.flats_per_unit());
            assert!(mine + 3 >= all / 5 && mine <= all / 5 + 3, "part {part} holds about a fifth of the building's flats: {mine} of {all}");
        }
        let count = flats.len();
        flats.sort_unstable();
        flats.dedup();
        assert_eq!(flats.len(), count, "no flat goes to two parts");
        assert_eq!(count, usize::from(UNITS_PER_BUILDING) * usize::from(b.flats_per_unit()), "and every flat goes to one");
        assert_eq!(FlatShare::new(5, 5), None);
    }

    #[test]
    fn the_rail_line_passes_its_station_and_ends_at_the_edge() {
        let layout = Layout::new(11);
        let (a, b) = layout.rail_ends();
        assert!((a.0.hypot(a.1) - CITY_RADIUS_M).abs() < 1e-6 && (b.0.hypot(b.1) - CITY_RADIUS_M).abs() < 1e-6);
        let (sx, sy) = layout.station();
        assert!(layout.rail_gap(sx, sy) < 1e-6);
    }
}

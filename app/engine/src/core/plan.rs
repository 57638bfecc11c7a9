//! The synthetic street plan, districts and compounds that addresses refer to and the map draws.
//!
//! The city is a disk of [`CITY_RADIUS_M`] around the centre. Streets form a regular grid every
//! [`STREET_SPACING_M`]: roads (路) run north-south, streets (街) east-west. The central disk of
//! [`CENTRAL_DISTRICT_RADIUS_M`] is one district; the ring around it is cut into seven sectors.
//! The blocks between the streets, the ring roads, radials, canal and rail line are the
//! [`Layout`]'s; an address names a flat: district, compound (one block), building, unit and room.

use serde::{Deserialize, Serialize};

use crate::geo::{LatLng, LocalFrame};
use crate::layout::{FlatPlace, Layout};

/// Radius of the synthetic city in metres (about 30 km across).
pub const CITY_RADIUS_M: f64 = 15_000.0;
/// Distance between neighbouring parallel streets in metres.
pub const STREET_SPACING_M: f64 = 400.0;
/// Radius of the central district in metres.
pub const CENTRAL_DISTRICT_RADIUS_M: f64 = 3_500.0;
/// Number of districts: the central one and seven sectors.
pub const DISTRICT_COUNT: usize = 8;
/// The kinds of compound (小区, 花园, …) in Chinese and English.
const COMPOUND_KINDS: [(&str, &str); 6] =
    [("小区", "Compound"), ("花园", "Garden"), ("家园", "Homes"), ("新村", "New Village"), ("公寓", "Apartments"), ("苑", "Court")];
/// Ordinals for a compound's later phases (二期, …).
const PHASES: [(&str, &str); 5] = [("", ""), ("二期", " Phase 2"), ("三期", " Phase 3"), ("四期", " Phase 4"), ("五期", " Phase 5")];

/// Syllables for street names (Chinese, pinyin).
const STREET_SYLLABLES: &[(&str, &str)] = &[
    ("和", "He"),
    ("平", "ping"),
    ("建", "Jian"),
    ("华", "hua"),
    ("新", "Xin"),
    ("安", "an"),
    ("胜", "Sheng"),
    ("利", "li"),
    ("光", "Guang"),
    ("明", "ming"),
    ("育", "Yu"),
    ("才", "cai"),
    ("裕", "Yu"),
    ("丰", "feng"),
    ("东", "Dong"),
    ("风", "feng"),
    ("青", "Qing"),
    ("园", "yuan"),
    ("槐", "Huai"),
    ("中", "zhong"),
    ("友", "You"),
    ("谊", "yi"),
    ("红", "Hong"),
    ("旗", "qi"),
    ("体", "Ti"),
    ("育", "yu"),
    ("维", "Wei"),
    ("民", "min"),
    ("兴", "Xing"),
    ("泰", "tai"),
];

/// Direction a street runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StreetAxis {
    /// A road (路) running north-south at a fixed east offset.
    NorthSouth,
    /// A street (街) running east-west at a fixed north offset.
    EastWest,
}

/// One straight street of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Street {
    /// Name in Chinese, e.g. `和平路`.
    pub name_zh: String,
    /// Name in pinyin, e.g. `Heping Road`.
    pub name_en: String,
    /// Direction.
    pub axis: StreetAxis,
    /// East offset (north-south roads) or north offset (east-west streets) in metres.
    pub offset_m: f64,
    /// Where the street starts and ends along its axis, in metres from the centre line.
    pub from_m: f64,
    /// See `from_m`.
    pub to_m: f64,
}

impl Street {
    /// End points in latitude and longitude, for drawing.
    #[must_use]
    pub fn endpoints(&self, frame: &LocalFrame) -> (LatLng, LatLng) {
        match self.axis {
            StreetAxis::NorthSouth => (frame.to_latlng(self.offset_m, self.from_m), frame.to_latlng(self.offset_m, self.to_m)),
            StreetAxis::EastWest => (frame.to_latlng(self.from_m, self.offset_m), frame.to_latlng(self.to_m, self.offset_m)),
        }
    }
}

/// A district of the synthetic city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct District {
    /// Index, 0 for the central district.
    pub index: u8,
    /// Name in Chinese.
    pub name_zh: &'static str,
    /// Name in pinyin.
    pub name_en: &'static str,
}

/// A synthetic home address: a flat in a building of a compound (小区).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// District index.
    pub district: u8,
    /// The compound: its block of the grid ([`Layout::block_of`]).
    pub compound: u16,
    /// Building number in the compound (号楼).
    pub building: u8,
    /// Unit, the building's entrance (单元).
    pub unit: u8,
    /// Floor.
    pub floor: u8,
    /// Room on the floor (室 `floor` `room`, e.g. 1502).
    pub room: u8,
}

/// The street grid and districts of one synthetic city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetPlan {
    streets: Vec<Street>,
    layout: Layout,
    name_shift: usize,
    /// Index of the first east-west street; roads come first.
    first_street_ew: usize,
    /// Offset index of street 0 of each axis: street `i` lies at `(i - half) * spacing`.
    half: i32,
}

impl StreetPlan {
    /// Builds the plan of the city of `seed`: its streets (the seed varies their names) and
    /// its layout.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        #[allow(clippy::cast_possible_truncation)]
        let name_shift = (seed % 1_000) as usize;
        #[allow(clippy::cast_possible_truncation)] // 15 000 / 400 is 37.
        let half = (CITY_RADIUS_M / STREET_SPACING_M).floor() as i32;
        let mut streets = Vec::new();
        let pairs = STREET_SYLLABLES.len() / 2;
        let name_at = |i: usize| {
            // Two syllables from different pairs, stepping by a stride coprime with the pair count
            // so that neighbouring streets get unrelated names and no name repeats on one axis.
            let a = (i * 7 + name_shift) % pairs;
            let b = (i * 11 + name_shift / 3 + 1) % pairs;
            let first = STREET_SYLLABLES[2 * a];
            let second = STREET_SYLLABLES[2 * b + 1];
            (format!("{}{}", first.0, second.0), format!("{}{}", first.1, second.1))
        };
        let mut count = 0usize;
        for axis in [StreetAxis::NorthSouth, StreetAxis::EastWest] {
            for i in -half..=half {
                let offset = f64::from(i) * STREET_SPACING_M;
                let reach = (CITY_RADIUS_M * CITY_RADIUS_M - offset * offset).max(0.0).sqrt();
                let (zh, en) = name_at(count);
                // Several streets share a base name; a number keeps each name unique.
                let serial = count / pairs + 1;
                let (suffix_zh, suffix_en) = match axis {
                    StreetAxis::NorthSouth => ("路", "Road"),
                    StreetAxis::EastWest => ("街", "Street"),
                };
                let (name_zh, name_en) = if serial == 1 {
                    (format!("{zh}{suffix_zh}"), format!("{en} {suffix_en}"))
                } else {
                    (format!("{zh}{suffix_zh}{serial}段"), format!("{en} {suffix_en} {serial}"))
                };
                streets.push(Street { name_zh, name_en, axis, offset_m: offset, from_m: -reach, to_m: reach });
                count += 1;
            }
        }
        Self { first_street_ew: streets.len() / 2, streets, half, layout: Layout::new(seed), name_shift }
    }

    /// The blocks, ring roads, radials, canal, rail line and buildings.
    #[must_use]
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// All streets, north-south roads first.
    #[must_use]
    pub fn streets(&self) -> &[Street] {
        &self.streets
    }

    /// The eight districts.
    #[must_use]
    pub fn districts() -> [District; DISTRICT_COUNT] {
        let mut out = [District { index: 0, name_zh: "", name_en: "" }; DISTRICT_COUNT];
        for (i, d) in out.iter_mut().enumerate() {
            #[allow(clippy::cast_possible_truncation)] // eight districts
            let index = i as u8;
            *d = District { index, name_zh: crate::words::district(i, true), name_en: crate::words::district(i, false) };
        }
        out
    }

    /// The district containing a local position (metres east and north of the centre).
    #[must_use]
    pub fn district_at(east_m: f64, north_m: f64) -> u8 {
        if east_m.hypot(north_m) <= CENTRAL_DISTRICT_RADIUS_M {
            return 0;
        }
        let angle = libm::atan2(north_m, east_m).rem_euclid(std::f64::consts::TAU);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 0..7
        let sector = (angle / std::f64::consts::TAU * 7.0).floor() as u8;
        1 + sector.min(6)
    }

    /// The address of a flat whose home is at a local position.
    #[must_use]
    pub fn address_of(flat: FlatPlace, east_m: f64, north_m: f64) -> Address {
        Address {
            district: Self::district_at(east_m, north_m),
            compound: flat.block,
            building: flat.building,
            unit: flat.unit,
            floor: flat.floor,
            room: flat.room,
        }
    }

    /// The local position (metres east and north of the centre) of an address's home: its unit's
    /// entrance, as a map would geocode it.
    #[must_use]
    pub fn locate(&self, a: Address) -> Option<(f64, f64)> {
        Some(self.layout.building(a.compound, a.building)?.unit_position(a.unit))
    }

    /// A compound's name in Chinese and English, e.g. `和平花园` and `Heping Garden`: unique in
    /// the city.
    #[must_use]
    pub fn compound_name(&self, compound: u16) -> (String, String) {
        // Syllables whose pinyin differ (育 and 裕 are both "Yu", 丰 and 风 both "feng").
        const FIRST: [usize; 14] = [0, 2, 4, 6, 8, 10, 14, 16, 18, 20, 22, 24, 26, 28];
        const SECOND: [usize; 14] = [1, 3, 5, 7, 9, 11, 13, 17, 19, 21, 23, 25, 27, 29];
        let combos = FIRST.len() * SECOND.len() * COMPOUND_KINDS.len();
        // Distinct compounds get distinct numbers below combos × phases (more than the blocks).
        let k = (usize::from(compound) + self.name_shift * 7) % (combos * PHASES.len());
        let (i, phase) = (k % combos, k / combos);
        let (a, b, kind) = (i % FIRST.len(), (i / FIRST.len()) % SECOND.len(), i / (FIRST.len() * SECOND.len()));
        let (first, second) = (STREET_SYLLABLES[FIRST[a]], STREET_SYLLABLES[SECOND[b]]);
        let (kind_zh, kind_en) = COMPOUND_KINDS[kind];
        let (phase_zh, phase_en) = PHASES[phase];
        (format!("{}{}{kind_zh}{phase_zh}", first.0, second.0), format!("{}{} {kind_en}{phase_en}", first.1, second.1))
    }

    /// The full address in Chinese, e.g. `槐阳区和平花园3号楼2单元1502室`.
    #[must_use]
    pub fn format_zh(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), true);
        format!("{d}区{}{}号楼{}单元{}{:02}室", self.compound_name(a.compound).0, a.building, a.unit, a.floor, a.room)
    }

    /// The full address in English, e.g. `Room 1502, Unit 2, Building 3, Heping Garden, Huaiyang District`.
    #[must_use]
    pub fn format_en(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), false);
        format!(
            "Room {}{:02}, Unit {}, Building {}, {}, {d} District",
            a.floor,
            a.room,
            a.unit,
            a.building,
            self.compound_name(a.compound).1
        )
    }

    /// The part of the address the deployed map shows: district, compound and building, with the
    /// unit and the room masked, e.g. `Huaiyang District, Heping Garden, Building 3, Unit *, Room ***`.
    /// Which part the real app masked is not reported; this keeps the building and hides the flat.
    #[must_use]
    pub fn partial_en(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), false);
        format!("{d} District, {}, Building {}, Unit *, Room ***", self.compound_name(a.compound).1, a.building)
    }

    /// The Chinese form of [`Self::partial_en`], e.g. `槐阳区和平花园3号楼*单元***室`.
    #[must_use]
    pub fn partial_zh(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), true);
        format!("{d}区{}{}号楼*单元***室", self.compound_name(a.compound).0, a.building)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_names_are_unique() {
        let plan = StreetPlan::new(3);
        let mut names: Vec<_> = plan.streets().iter().map(|s| s.name_en.clone()).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn compound_names_are_unique() {
        let plan = StreetPlan::new(3);
        let blocks = u16::try_from(crate::layout::BLOCKS_PER_AXIS * crate::layout::BLOCKS_PER_AXIS).unwrap();
        let mut names: Vec<String> = (0..blocks).map(|b| plan.compound_name(b).0).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), usize::from(blocks));
        let mut en: Vec<String> = (0..blocks).map(|b| plan.compound_name(b).1).collect();
        en.sort();
        en.dedup();
        assert_eq!(en.len(), usize::from(blocks));
    }

    #[test]
    fn districts_cover_the_disk() {
        assert_eq!(StreetPlan::district_at(10.0, 10.0), 0);
        let mut seen = [false; DISTRICT_COUNT];
        seen[0] = true;
        for i in 0..70 {
            let a = f64::from(i) / 70.0 * std::f64::consts::TAU;
            seen[usize::from(StreetPlan::district_at(9_000.0 * a.cos(), 9_000.0 * a.sin()))] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn partial_address_keeps_the_building_and_masks_the_flat() {
        let plan = StreetPlan::new(0);
        let a = Address { district: 0, compound: 1_234, building: 3, unit: 2, floor: 15, room: 2 };
        assert!(plan.format_zh(a).ends_with("3号楼2单元1502室"), "{}", plan.format_zh(a));
        assert!(plan.format_en(a).starts_with("Room 1502, Unit 2, Building 3, "), "{}", plan.format_en(a));
        assert!(plan.partial_zh(a).ends_with("3号楼*单元***室"));
        assert!(!plan.partial_zh(a).contains("1502") && !plan.partial_en(a).contains("1502"));
        assert!(plan.partial_en(a).contains(&plan.compound_name(1_234).1));
    }
}

//! The synthetic street plan and districts that addresses refer to and the map draws.
//!
//! The city is a disk of [`CITY_RADIUS_M`] around the centre. Streets form a regular grid every
//! [`STREET_SPACING_M`]: roads (路) run north-south, streets (街) east-west. The central disk of
//! [`CENTRAL_DISTRICT_RADIUS_M`] is one district; the ring around it is cut into seven sectors.

use serde::{Deserialize, Serialize};

use crate::geo::{LatLng, LocalFrame};

/// Radius of the synthetic city in metres (about 30 km across).
pub const CITY_RADIUS_M: f64 = 15_000.0;
/// Distance between neighbouring parallel streets in metres.
pub const STREET_SPACING_M: f64 = 400.0;
/// Radius of the central district in metres.
pub const CENTRAL_DISTRICT_RADIUS_M: f64 = 3_500.0;
/// Number of districts: the central one and seven sectors.
pub const DISTRICT_COUNT: usize = 8;
/// Metres of street frontage per building number.
const METRES_PER_NUMBER: f64 = 10.0;

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

/// A synthetic home address: district, street and building number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// District index.
    pub district: u8,
    /// Street index into [`StreetPlan::streets`].
    pub street: u16,
    /// Building number on that street (odd on one side, even on the other).
    pub number: u16,
}

/// The street grid and districts of one synthetic city.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreetPlan {
    streets: Vec<Street>,
    /// Index of the first east-west street; roads come first.
    first_street_ew: usize,
    /// Offset index of street 0 of each axis: street `i` lies at `(i - half) * spacing`.
    half: i32,
}

impl StreetPlan {
    /// Builds the plan; `name_shift` (from the seed) varies the street names between cities.
    #[must_use]
    pub fn new(name_shift: usize) -> Self {
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
        Self { first_street_ew: streets.len() / 2, streets, half }
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

    /// The address of a home at a local position: the nearest street and a building number
    /// from the distance along it.
    #[must_use]
    pub fn address_at(&self, east_m: f64, north_m: f64) -> Address {
        let snap = |v: f64| (v / STREET_SPACING_M).round();
        let (ns, ew) = (snap(east_m), snap(north_m));
        let to_ns = (east_m - ns * STREET_SPACING_M).abs();
        let to_ew = (north_m - ew * STREET_SPACING_M).abs();
        let (index, along, side) =
            if to_ns <= to_ew { (ns, north_m, east_m > ns * STREET_SPACING_M) } else { (ew, east_m, north_m > ew * STREET_SPACING_M) };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=2·half
        let mut street = (index as i32 + self.half).clamp(0, 2 * self.half) as usize;
        if to_ns > to_ew {
            street += self.first_street_ew;
        }
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let base = ((along + CITY_RADIUS_M) / METRES_PER_NUMBER).max(0.0) as u16;
        let number = base * 2 + 1 + u16::from(side);
        #[allow(clippy::cast_possible_truncation)]
        let street = street as u16;
        Address { district: Self::district_at(east_m, north_m), street, number }
    }

    /// The local position (metres east and north of the centre) of a building number on a
    /// street: the point on the street's line that the number stands for, as a map would
    /// geocode it. Homes lie off the street, up to half a block from this point.
    #[must_use]
    pub fn locate(&self, street: u16, number: u16) -> (f64, f64) {
        let s = &self.streets[usize::from(street).min(self.streets.len() - 1)];
        let along = f64::from((number.max(1) - 1) / 2) * METRES_PER_NUMBER + METRES_PER_NUMBER / 2.0 - CITY_RADIUS_M;
        match s.axis {
            StreetAxis::NorthSouth => (s.offset_m, along),
            StreetAxis::EastWest => (along, s.offset_m),
        }
    }

    /// The full address in Chinese, e.g. `槐阳区和平路1203号`.
    #[must_use]
    pub fn format_zh(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), true);
        format!("{d}区{}{}号", self.streets[usize::from(a.street)].name_zh, a.number)
    }

    /// The full address in English, e.g. `No. 1203 Heping Road, Huaiyang District`.
    #[must_use]
    pub fn format_en(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), false);
        format!("No. {} {}, {d} District", a.number, self.streets[usize::from(a.street)].name_en)
    }

    /// The part of the address the deployed map shows: district, street and the building number
    /// with all but its first digit masked, e.g. `Huaiyang District, Heping Road, No. 1***`.
    #[must_use]
    pub fn partial_en(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), false);
        format!("{d} District, {}, No. {}", self.streets[usize::from(a.street)].name_en, mask_number(a.number))
    }

    /// The Chinese form of [`Self::partial_en`].
    #[must_use]
    pub fn partial_zh(&self, a: Address) -> String {
        let d = crate::words::district(usize::from(a.district), true);
        format!("{d}区{}{}号", self.streets[usize::from(a.street)].name_zh, mask_number(a.number))
    }
}

/// Keeps the first digit of a building number and masks the rest: `1203` becomes `1***`.
fn mask_number(n: u16) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..1]);
    out.extend(std::iter::repeat_n('*', s.len() - 1));
    out
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
    fn address_picks_nearest_street() {
        let plan = StreetPlan::new(0);
        // 30 m east of the road at offset 800 m, 150 m from the nearest street.
        let a = plan.address_at(830.0, 250.0);
        let s = &plan.streets()[usize::from(a.street)];
        assert_eq!(s.axis, StreetAxis::NorthSouth);
        assert!((s.offset_m - 800.0).abs() < 1e-9);
        assert_eq!(a.number % 2, 0, "east side has even numbers");
        let b = plan.address_at(830.0, 410.0);
        assert_eq!(plan.streets()[usize::from(b.street)].axis, StreetAxis::EastWest);
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
    fn partial_address_masks_number() {
        let plan = StreetPlan::new(0);
        let a = Address { district: 0, street: 5, number: 1203 };
        assert!(plan.partial_en(a).ends_with(" 1***"));
        assert!(!plan.partial_zh(a).contains("1203"));
    }
}

//! The deployed design: a list of everyone listed within the radius.

use serde::Serialize;

use super::Query;
use crate::city::City;
use crate::geo::LatLng;

/// How much the reproduction of the deployed map shows of each person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default, strum::VariantArray, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "kebab-case")]
pub enum Fidelity {
    /// What press reports say the real app showed: name, ID number, part of the home address,
    /// reason, court and case number, in a list without distances or pins.
    #[default]
    Reported,
    /// Adds each person's distance, as many proximity apps do.
    Distance,
    /// Adds the exact home position.
    Pins,
}

impl Fidelity {
    /// Every fidelity, least first.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// The name used in URLs and on the command line.
    #[must_use]
    pub fn slug(self) -> &'static str {
        self.into()
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// The deployed map's warning level, coloured by how many listed people are near.
///
/// The real thresholds were not published; ours are: blue 0-1, yellow 2-4, orange 5-9, red 10 or
/// more listed people within the radius.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum WarningLevel {
    /// 0-1 listed people near.
    Blue,
    /// 2-4.
    Yellow,
    /// 5-9.
    Orange,
    /// 10 or more.
    Red,
}

impl WarningLevel {
    /// The level for a count.
    ///
    /// ```
    /// use within500_engine::WarningLevel;
    /// assert_eq!(WarningLevel::from_count(0), WarningLevel::Blue);
    /// assert_eq!(WarningLevel::from_count(7), WarningLevel::Orange);
    /// ```
    #[must_use]
    pub fn from_count(count: usize) -> Self {
        match count {
            0..=1 => Self::Blue,
            2..=4 => Self::Yellow,
            5..=9 => Self::Orange,
            _ => Self::Red,
        }
    }

    /// The level's name in lower case, also its colour.
    #[must_use]
    pub fn slug(self) -> &'static str {
        self.into()
    }
}

/// One listed person as the deployed map shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposedEntry {
    /// The person's id, the handle the "report" button sends.
    pub person: u32,
    /// Full name in Chinese.
    pub name_zh: String,
    /// Full name in pinyin.
    pub name_en: String,
    /// The ID number, with the birth date masked (whether the real app masked it is unconfirmed).
    pub id_number: String,
    /// Part of the home address in Chinese: district, street, first digit of the number.
    pub address_zh: String,
    /// Part of the home address in English.
    pub address_en: String,
    /// Reason for listing, in English.
    pub reason_en: &'static str,
    /// Reason for listing, in Chinese.
    pub reason_zh: &'static str,
    /// The court, in English.
    pub court_en: String,
    /// The court, in Chinese.
    pub court_zh: String,
    /// Case number.
    pub case_number: String,
    /// Distance from the querier in metres (fidelity `distance` and `pins`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// Exact home (fidelity `pins` only); serialised as `lat` and `lng` fields.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub home: Option<LatLng>,
}

/// The deployed map's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExposedAnswer {
    /// The warning level.
    pub level: WarningLevel,
    /// Listed people within the radius, by id.
    pub entries: Vec<ExposedEntry>,
}

/// The deployed design at a fidelity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exposed {
    /// What each entry shows.
    pub fidelity: Fidelity,
}

impl Exposed {
    /// Answers a query the way the deployed map did.
    ///
    /// # Example
    /// ```
    /// use within500_engine::{City, CityConfig, Exposed, Fidelity, Query};
    /// let city = City::generate(CityConfig { seed: 3, people: 5_000, listed_rate: 0.05 })?;
    /// let home = city.home(city.listings()[0].person);
    /// let answer = Exposed { fidelity: Fidelity::Reported }.answer(&city, Query { at: home, radius_m: 500.0 });
    /// assert!(answer.entries.iter().any(|e| e.person == city.listings()[0].person));
    /// assert!(answer.entries.iter().all(|e| e.distance_m.is_none() && e.home.is_none()));
    /// # Ok::<(), within500_engine::ConfigError>(())
    /// ```
    #[must_use]
    pub fn answer(&self, city: &City, query: Query) -> ExposedAnswer {
        let ids = city.listed_within(query.at, query.radius_m);
        let plan = city.plan();
        let entries: Vec<ExposedEntry> = ids
            .iter()
            .filter_map(|&id| {
                let p = city.person(id)?;
                let l = p.listing?;
                let distance = query.at.distance_m(p.home);
                Some(ExposedEntry {
                    person: id,
                    name_zh: p.name.zh,
                    name_en: p.name.pinyin,
                    id_number: p.id_number.masked(),
                    address_zh: plan.partial_zh(p.address),
                    address_en: plan.partial_en(p.address),
                    reason_en: l.reason.en(),
                    reason_zh: l.reason.zh(),
                    court_en: l.court_en(),
                    court_zh: l.court_zh(),
                    case_number: l.case_number(),
                    distance_m: (self.fidelity != Fidelity::Reported).then_some(distance),
                    home: (self.fidelity == Fidelity::Pins).then_some(p.home),
                })
            })
            .collect();
        ExposedAnswer { level: WarningLevel::from_count(entries.len()), entries }
    }
}

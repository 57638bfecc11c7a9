//! The designs: the deployed map and four privacy-preserving alternatives, each answering the
//! same "who is listed within R metres of here" query with its own answer type.
//!
//! **Architecture invariant:** the answer types of the privacy-preserving designs
//! ([`AggregateAnswer`], [`DpAnswer`], [`BlurredAnswer`], [`ProximityAnswer`]) have no field that
//! can carry a name, an ID number, a person id or a home position. Only [`ExposedAnswer`] does.

mod aggregate;
mod blur;
mod dp;
mod exposed;
mod proximity;

pub use aggregate::{covering_cells, Aggregate, AggregateAnswer, CellCount, DEFAULT_AGGREGATE_RESOLUTION};
pub use blur::{BlurredAnswer, BlurredQuery};
pub use dp::{sample_discrete_laplace, DpAnswer, DpCount, DpRefusal, Epsilon, EpsilonError};
pub use exposed::{Exposed, ExposedAnswer, ExposedEntry, Fidelity, WarningLevel};
pub use proximity::{PROXIMITY_RESOLUTION, CellHash, PrivateProximity, ProximityAnswer, ProximityError, Token};

use serde::Serialize;

use crate::geo::LatLng;

/// The seed of a design's noise (DP count, blur) for a city seed, kept apart from the city's own
/// random stream. The app and the CLI both use it, so they print the same answers.
#[must_use]
pub fn noise_seed(city_seed: u64) -> u64 {
    city_seed ^ 0xD1B5_4A32_D192_ED03
}

/// The seed of the court's key for the private proximity test, for a city seed.
#[must_use]
pub fn key_seed(city_seed: u64) -> u64 {
    city_seed.rotate_left(17) ^ 0x8CB9_2BA7_2F3D_8DD7
}

/// The query every design answers: listed people within `radius_m` of `at`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Query {
    /// The querier's position.
    pub at: LatLng,
    /// The radius in metres (the deployed map used 500).
    pub radius_m: f64,
}

/// The designs by name, with the one-line statements the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum DesignKind {
    /// The deployed map.
    Exposed,
    /// Counts per coarse cell, small counts suppressed.
    Aggregate,
    /// A differentially private count.
    DpCount,
    /// A count around a blurred position.
    Blur,
    /// A private proximity test for one creditor and their own debtor.
    PrivateProximity,
}

impl DesignKind {
    /// Every design, deployed first.
    pub const ALL: [Self; 5] =
        [Self::Exposed, Self::Aggregate, Self::DpCount, Self::Blur, Self::PrivateProximity];

    /// The name used in URLs and on the command line.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Exposed => "exposed",
            Self::Aggregate => "aggregate",
            Self::DpCount => "dp",
            Self::Blur => "blur",
            Self::PrivateProximity => "psi",
        }
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.slug() == s)
    }

    /// What the design discloses and what it keeps, in one English line.
    #[must_use]
    pub fn discloses_en(self) -> &'static str {
        match self {
            Self::Exposed => "Discloses the name, ID number, partial address and case of every listed person near any position anyone chooses; keeps nothing.",
            Self::Aggregate => "Discloses how many listed people live in each coarse cell (about 0.7 km²), hiding counts below k; keeps who they are and where in the cell.",
            Self::DpCount => "Discloses a noisy count of listed people nearby, ε per question up to a budget; keeps whether any one person is among them.",
            Self::Blur => "Discloses a count around a randomly moved position; keeps the querier's exact position and the exact place of the count.",
            Self::PrivateProximity => "Discloses to a creditor only whether their own debtor lives in their neighbourhood; keeps everyone else and the debtor's address.",
        }
    }

    /// What the design discloses and what it keeps, in one Chinese line.
    #[must_use]
    pub fn discloses_zh(self) -> &'static str {
        match self {
            Self::Exposed => "任何人选任意位置，都能看到附近每个失信被执行人的姓名、身份证号、部分住址和案号；什么都不保护。",
            Self::Aggregate => "只公开每个粗网格（约0.7平方公里）内的人数，少于k的数字隐藏；不公开是谁、住在格内何处。",
            Self::DpCount => "公开附近人数的加噪结果，每次查询消耗ε，直到预算用完；无法判断某个人是否在其中。",
            Self::Blur => "公开随机移动后位置附近的人数；保护查询者的精确位置和计数的精确地点。",
            Self::PrivateProximity => "只告诉债权人自己的债务人是否住在附近；不公开其他任何人，也不公开债务人的住址。",
        }
    }
}

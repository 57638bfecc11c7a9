//! The designs: the deployed map and four privacy-preserving alternatives, each answering the
//! same "who is listed within R metres of here" query with its own answer type.
//!
//! **Architecture invariant:** the answer types of the privacy-preserving designs
//! ([`AggregateAnswer`], [`DpReleaseAnswer`], [`DpAnswer`], [`BlurredAnswer`], [`ProximityAnswer`]) have no field that
//! can carry a name, an ID number, a person id or a home position. Only [`ExposedAnswer`] does.

mod aggregate;
mod blur;
mod dp;
mod exposed;
mod params;
mod proximity;
mod release;

pub use aggregate::{covering_cells, Aggregate, AggregateAnswer, CellCount, DEFAULT_AGGREGATE_RESOLUTION};
pub use blur::{BlurredAnswer, BlurredQuery, BLUR_WINDOWS_PER_DAY, BLUR_WINDOW_S};
pub use dp::{sample_discrete_laplace, DpAnswer, DpCount, DpRefusal, Epsilon, EpsilonError};
pub use exposed::{Exposed, ExposedAnswer, ExposedEntry, Fidelity, WarningLevel};
pub use params::{ranges, Answerer, DesignAnswer, DesignParams, ParamsError};
#[cfg(feature = "proximity-lab")]
pub use proximity::reply_tokens;
pub use proximity::{
    cell_point, cell_point_token, draw_scalar, exchange, hex, neighbourhood, plain_token, proximity_cell, windows, CellHash, Court,
    Credential, Creditor, Exchange, Ledger, Pending, ProximityAnswer, ProximityError, ReplyView, RequestView, Token, NEIGHBOURHOOD_CELLS,
    PROXIMITY_RESOLUTION, REFUSAL, TESTS_PER_DAY,
};
pub use release::{DpRelease, DpReleaseAnswer, ReleasedCell, RELEASE_RESOLUTION};

use serde::{Deserialize, Serialize};

use crate::geo::LatLng;

/// The seed of the lab's simulated operator and devices (the noise of each session it opens) for
/// a scenario seed, kept apart from the city's own random stream. Attackers never read it; the app
/// and the CLI draw real sessions' secrets from the operating system instead.
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::VariantArray, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "kebab-case")]
pub enum DesignKind {
    /// The deployed map.
    Exposed,
    /// Counts per coarse cell, small counts suppressed.
    Aggregate,
    /// A differentially private release: noisy counts per cell, published once.
    #[strum(serialize = "dp")]
    DpRelease,
    /// The per-question DP count with a budget per session (to show why that fails).
    DpSession,
    /// A count around a blurred position.
    Blur,
    /// A private proximity test for one creditor and their own debtor.
    #[strum(serialize = "psi")]
    PrivateProximity,
}

impl DesignKind {
    /// Every design, deployed first.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// The privacy-preserving designs, as the second pane offers them.
    pub const PRIVATE: [Self; 5] = [Self::Aggregate, Self::DpRelease, Self::DpSession, Self::Blur, Self::PrivateProximity];

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

    /// What the design discloses and what it keeps, in one English line (`app/locales/en/engine.json`).
    #[must_use]
    pub fn discloses_en(self) -> &'static str {
        crate::words::discloses(self.slug(), false)
    }

    /// What the design discloses and what it keeps, in one Chinese line (`app/locales/zh/engine.json`).
    #[must_use]
    pub fn discloses_zh(self) -> &'static str {
        crate::words::discloses(self.slug(), true)
    }
}

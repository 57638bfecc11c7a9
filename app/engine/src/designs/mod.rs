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
mod proximity;
mod release;

pub use aggregate::{covering_cells, Aggregate, AggregateAnswer, CellCount, DEFAULT_AGGREGATE_RESOLUTION};
pub use blur::{BlurredAnswer, BlurredQuery, BLUR_WINDOWS_PER_DAY, BLUR_WINDOW_S};
pub use dp::{sample_discrete_laplace, DpAnswer, DpCount, DpRefusal, Epsilon, EpsilonError};
pub use exposed::{Exposed, ExposedAnswer, ExposedEntry, Fidelity, WarningLevel};
pub use proximity::{
    cell_point, cell_point_token, draw_scalar, exchange, hex, neighbourhood, plain_token, proximity_cell, reply_tokens, windows, CellHash,
    Court, Credential, Creditor, Exchange, Ledger, Pending, ProximityAnswer, ProximityError, ReplyView, RequestView, Token,
    NEIGHBOURHOOD_CELLS, PROXIMITY_RESOLUTION, REFUSAL, TESTS_PER_DAY,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DesignKind {
    /// The deployed map.
    Exposed,
    /// Counts per coarse cell, small counts suppressed.
    Aggregate,
    /// A differentially private release: noisy counts per cell, published once.
    DpRelease,
    /// The per-question DP count with a budget per session (to show why that fails).
    DpSession,
    /// A count around a blurred position.
    Blur,
    /// A private proximity test for one creditor and their own debtor.
    PrivateProximity,
}

impl DesignKind {
    /// Every design, deployed first.
    pub const ALL: [Self; 6] = [Self::Exposed, Self::Aggregate, Self::DpRelease, Self::DpSession, Self::Blur, Self::PrivateProximity];

    /// The privacy-preserving designs, as the second pane offers them.
    pub const PRIVATE: [Self; 5] = [Self::Aggregate, Self::DpRelease, Self::DpSession, Self::Blur, Self::PrivateProximity];

    /// The name used in URLs and on the command line.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Exposed => "exposed",
            Self::Aggregate => "aggregate",
            Self::DpRelease => "dp",
            Self::DpSession => "dp-session",
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
            Self::Aggregate => "Publishes one table of listed people per coarse cell (about 0.7 km²), hiding counts below k; asking again shows the same table. Keeps who they are and where in the cell; another table (other k, other cells, district totals) can reveal hidden counts by differencing.",
            Self::DpRelease => "Publishes noisy counts per 0.1 km² cell once: ε in total per person for the whole release, however often anyone asks, since every answer is computed from it. Keeps whether any one person is listed, up to that ε.",
            Self::DpSession => "For comparison: a fresh noisy count for every question, ε each up to a budget per session. Sessions are free, so the total ε per person has no bound: the lab rebuilds listed homes from it.",
            Self::Blur => "Protects the asker: one fake position per 30-minute window (ε per metre each, 48 windows a day). The count around it is exact: the people on the list get no guarantee (with little blur the lab rebuilds their homes; at the default it asks about an unknown place).",
            Self::PrivateProximity => "Tells the creditor of a case, and nobody else, one bit per test: whether a debtor of their case lives in their 174 m cell or the six around it; at most 3 tests a case a day. The court learns that a test happened, not where. Keeps everyone else; but a creditor who states other positions can pin the debtor's cell in about a day (lab).",
        }
    }

    /// What the design discloses and what it keeps, in one Chinese line.
    #[must_use]
    pub fn discloses_zh(self) -> &'static str {
        match self {
            Self::Exposed => "任何人选任意位置，都能看到附近每个失信被执行人的姓名、身份证号、部分住址和案号；什么都不保护。",
            Self::Aggregate => "只公开一张表：每个粗网格（约0.7平方公里）内的人数，少于k的数字隐藏；再问也是同一张表。不公开是谁、住在格内何处；但另一张表（别的k、别的网格、区县总数）相减可能揭示被隐藏的数字。",
            Self::DpRelease => "一次性公开每个0.1平方公里网格的加噪人数：整份发布对每个人合计消耗ε，无论谁问多少次，答案都由它算出。在该ε范围内，无法判断某个人是否在名单上。",
            Self::DpSession => "对照用：每次查询重新加噪，每次消耗ε，每个会话有预算。会话可以随意新开，每人的总ε没有上限：实验室可据此重建名单上的住址。",
            Self::Blur => "保护查询者：每30分钟一个虚假位置（每次ε/米，一天48个）。其周围的人数是准确的：名单上的人没有任何保证（模糊很小时，实验室可重建他们的住址；默认设置下问的是一个未知的地方）。",
            Self::PrivateProximity => "只告诉某案件的债权人（不告诉其他任何人）每次测试一个比特：该案被执行人是否住在其所在的174米网格或周围六格内；每案每天最多测试3次。法院只知道发生了一次测试，不知道在哪里。不公开其他任何人；但谎报位置的债权人大约一天就能锁定被执行人所在网格（实验室结果）。",
        }
    }
}

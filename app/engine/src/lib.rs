//! The engine of **Within 500 m**: a synthetic city, an exact H3 radius query, the deployed
//! "Deadbeat Map" design and privacy-preserving alternatives, and the app's URL state.
//!
//! Everything here is plain Rust with no web dependencies; it compiles natively and for
//! `wasm32-unknown-unknown`, and the same seed gives the same city on both.
//!
//! ```
//! use within500_engine::{City, CityConfig, DpRelease, Epsilon, Exposed, Query};
//!
//! let city = City::generate(CityConfig { seed: 7, people: 10_000, listed_rate: 0.01 })?;
//! let here = city.home(0);
//! let query = Query { at: here, radius_m: 500.0 };
//!
//! // The deployed map lists names; the DP release answers from noisy cell counts published once.
//! let listed = Exposed::default().answer(&city, query);
//! let release = DpRelease::publish(&city, Epsilon::from_micros(1_000_000));
//! let noisy = release.answer(query);
//! assert_eq!(noisy, release.answer(query));
//! assert_eq!(listed.entries.len(), city.listed_within(here, 500.0).len());
//! # Ok::<(), within500_engine::ConfigError>(())
//! ```
//!
//! All data is synthetic: ID numbers begin with the region prefix `00`, which no real ID number
//! carries (see [`identity`]).

#![warn(missing_docs, clippy::pedantic, clippy::unwrap_used)]
// Tests may unwrap: a panic there is the failure report.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::similar_names))]
// Indices and counts are u32 by design (a city has at most 11 million people); the casts
// between them and usize are checked where they could overflow.
#![allow(clippy::cast_possible_truncation, clippy::module_name_repetitions, clippy::missing_panics_doc)]
// Geometry reads best in its own notation (x, y, a, b, c, d, e, f).
#![allow(clippy::many_single_char_names)]

mod attacks;
pub mod cells;
pub mod baseline;
mod city;
mod designs;
pub mod exercises;
pub mod fuzzing;
pub mod export;
mod geo;
pub mod identity;
mod index;
mod plan;
mod state;
mod story;

#[cfg(feature = "proximity-lab")]
pub use attacks::{proximity_attack, COURT_FULL_EVALUATIONS};
pub use attacks::{
    private_target, replications, run_lab, AveragedBlur, Replications, LOCATION_GUARD_MEDIUM, sample_targets, tradeoff_targets, AttackerKind, CellReply, DensityMap, Directory, Displayed, Duel, DuelReport,
    LabConfig, LabRun, Metrics, NotApplicable, Outcome, Probe, Reply, Sighting, Target, TradeoffPoint, REGION_M,
};
pub use city::{
    City, CityConfig, ConfigError, Household, Listing, Person, Reason, Sex, DEFAULT_LISTED_RATE,
    DEFAULT_PEOPLE, MAX_LISTED_RATE, MAX_PEOPLE, MIN_PEOPLE, REFERENCE_YEAR,
};
pub use designs::{
    covering_cells, key_seed, noise_seed, sample_discrete_laplace, Aggregate, AggregateAnswer, BlurredAnswer, BlurredQuery, CellCount,
    CellHash, DesignKind, DpAnswer, DpCount, DpRefusal, DpRelease, DpReleaseAnswer, Epsilon, EpsilonError, Exposed, ReleasedCell,
    BLUR_WINDOWS_PER_DAY, BLUR_WINDOW_S, RELEASE_RESOLUTION,
    ExposedAnswer, ExposedEntry, Fidelity, ProximityAnswer, ProximityError, Query,
    cell_point, cell_point_token, draw_scalar, exchange, hex, neighbourhood, plain_token, proximity_cell, windows, Court, Credential,
    Creditor, Exchange, Ledger, Pending, ReplyView, RequestView, NEIGHBOURHOOD_CELLS, REFUSAL, TESTS_PER_DAY,
    Token, WarningLevel, DEFAULT_AGGREGATE_RESOLUTION, PROXIMITY_RESOLUTION,
};
pub use geo::{haversine_term, LatLng, LocalFrame, RadiusTest, CITY_CENTRE, EARTH_RADIUS_M};
pub use h3o::Resolution;
pub use identity::{BirthDate, IdNumber, Name};
pub use index::{brute_force, cell_boundary, cell_centre, cell_of, cell_reach_m, CellIndex, QueryStats, INDEX_RESOLUTION};
pub use plan::{Address, District, Street, StreetAxis, StreetPlan, CITY_RADIUS_M};
pub use exercises::EXERCISES;
pub use state::{in_city_bounds, AppState, FieldError, Lang, Mode, Problem, KNOWN_KEYS, MAX_RADIUS_M, MIN_RADIUS_M};
pub use story::{story_scene, Scene, SceneLab, STORY_STEPS};

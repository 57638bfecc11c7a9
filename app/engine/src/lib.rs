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

// Lints: [workspace.lints] in the root Cargo.toml. Tests may unwrap: a panic there is the failure
// report.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::similar_names))]

mod app;
mod attacks;
mod core;
mod designs;
pub mod fuzzing;
mod words;

// The core (geometry, the city, H3 cells and the index) lives in `core/`; its modules keep their
// crate paths (`crate::geo`, `within500_engine::cells`, ...) through these re-exports.
pub use self::core::{baseline, cells, export, identity, layout};
use self::core::{city, geo, index, plan};

// The app layer (`app/`): the URL state, the story, the exercises and the lab's duel, above the
// attacks; `within500_engine::exercises` keeps its path.
pub use self::app::exercises;
use self::app::{duel, numbers, state, story};

#[cfg(feature = "proximity-lab")]
pub use attacks::{proximity_attack, COURT_FULL_EVALUATIONS};
pub use attacks::{
    replications, run_lab, sample_targets, AttackedDesign, AttackerKind, AveragedBlur, CellReply, DensityMap, Directory, Displayed,
    LabConfig, LabRun, Metrics, NotApplicable, Probe, Replications, Reply, Sighting, TargetEstimate, LOCATION_GUARD_MEDIUM, REGION_M,
};
pub use city::{
    City, CityConfig, CityDrawer, CityPart, ConfigError, Household, Listing, Person, Reason, Sex, CITY_PARTS, DEFAULT_LISTED_RATE,
    DEFAULT_PEOPLE, MAX_LISTED_RATE, MAX_PEOPLE, MIN_PEOPLE, REFERENCE_YEAR,
};
pub use designs::{
    cell_point, cell_point_token, covering_cells, draw_scalar, exchange, hex, key_seed, neighbourhood, noise_seed, plain_token,
    proximity_cell, ranges, sample_discrete_laplace, windows, Aggregate, AggregateAnswer, Answerer, BlurredAnswer, BlurredQuery, CellCount,
    CellHash, Court, Credential, Creditor, DesignAnswer, DesignKind, DesignParams, DpAnswer, DpCount, DpRefusal, DpRelease,
    DpReleaseAnswer, Epsilon, EpsilonError, Exchange, Exposed, ExposedAnswer, ExposedEntry, Fidelity, Ledger, ParamsError, Pending,
    ProximityAnswer, ProximityError, Query, ReleasedCell, ReplyView, RequestView, Token, WarningLevel, BLUR_WINDOWS_PER_DAY, BLUR_WINDOW_S,
    DEFAULT_AGGREGATE_RESOLUTION, NEIGHBOURHOOD_CELLS, PROXIMITY_RESOLUTION, REFUSAL, RELEASE_RESOLUTION, TESTS_PER_DAY,
};
pub use duel::{private_target, tradeoff_targets, Duel, DuelReport, TradeoffPoint};
pub use geo::{haversine_term, LatLng, LocalFrame, RadiusTest, CITY_CENTRE, EARTH_RADIUS_M};
pub use h3o::Resolution;
pub use identity::{CalendarDate, IdNumber, Name};
pub use index::{brute_force, cell_boundary, cell_centre, cell_circumradius_m, cell_of, CellIndex, QueryStats, INDEX_RESOLUTION};
pub use numbers::{ExerciseNo, StoryStep, EXERCISES, STORY_STEPS};
pub use plan::{Address, District, Street, StreetAxis, StreetPlan, CENTRAL_DISTRICT_RADIUS_M, CITY_RADIUS_M, STREET_SPACING_M};
pub use state::{in_city_bounds, known_keys, outside_city, AppState, FieldError, Lang, Mode, Param, Problem, MAX_RADIUS_M, MIN_RADIUS_M};
pub use story::{story_scene, Scene, SceneLab};

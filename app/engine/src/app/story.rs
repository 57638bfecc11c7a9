//! The guided story: ten steps, each a deterministic scene of the app.
//!
//! A scene is the app's state (position, designs, parameters) plus what the page does on entering
//! it: open a person's page, draw the operator's ground truth, run an attacker. Only the city
//! settings, the language and the page flags come from the link; everything else is fixed by the
//! step, so every reader of `?step=4` sees the same thing.
//!
//! ```
//! use within500_engine::{story_scene, AppState, Mode, StoryStep};
//! let first = story_scene(StoryStep::FIRST, &AppState::default());
//! assert_eq!(first.state.mode, Mode::Story);
//! assert!(story_scene(StoryStep::LAST, &AppState::default()).lab.is_none());
//! ```

use crate::attacks::AttackerKind;
use crate::designs::{CellHash, DesignKind, Epsilon, Fidelity};
use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};
use crate::numbers::StoryStep;
use crate::state::{AppState, Mode};

/// An attack the story runs on entering a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SceneLab {
    /// Who attacks.
    pub attacker: AttackerKind,
    /// Questions per target, or in total (see [`AttackerKind::budget_per_target`]).
    pub budget: u32,
    /// Whether the DP cache and budget (and the blur's memory) are on.
    pub protected: bool,
    /// Listed people attacked (a sample; 0 for every one).
    pub targets: u32,
}

/// One step of the story.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// The app's state in this step.
    pub state: AppState,
    /// The attack run on entering the step, if any.
    pub lab: Option<SceneLab>,
    /// Whether the first listed person's page is open.
    pub open_first: bool,
    /// Whether every listed home is drawn (the operator's view).
    pub truth: bool,
    /// The map's zoom, in metres per pixel.
    pub metres_per_px: f64,
}

/// A place a little north-east of the centre, in the busy central district.
fn busy_corner() -> LatLng {
    LocalFrame::new(CITY_CENTRE).to_latlng(350.0, 250.0)
}

/// The scene of a step, keeping the city, language and page
/// flags of `base`.
#[must_use]
pub fn story_scene(step: StoryStep, base: &AppState) -> Scene {
    let mut state = AppState {
        city: base.city,
        lang: base.lang,
        embed: base.embed,
        presenter: base.presenter,
        mode: Mode::Story,
        step,
        at: busy_corner(),
        ..AppState::default()
    };
    let lab = |attacker: AttackerKind, budget, protected| {
        // Rebuilding every home near a start is long work: a sample of 100 listed people.
        let targets = if attacker == AttackerKind::Reconstruct { 100 } else { 0 };
        Some(SceneLab { attacker, budget, protected, targets })
    };
    let mut scene = Scene { state: AppState::default(), lab: None, open_first: false, truth: false, metres_per_px: 6.0 };
    match step.get() {
        1 => {
            state.at = CITY_CENTRE;
            scene.metres_per_px = 24.0;
        }
        2 => state.fidelity = Fidelity::Reported,
        3 => scene.open_first = true,
        4 => {
            scene.lab = lab(AttackerKind::Walker, 400, true);
            scene.metres_per_px = 12.0;
        }
        5 => {
            scene.lab = lab(AttackerKind::Linkage, 400, true);
            scene.metres_per_px = 12.0;
        }
        6 => {
            state.design = DesignKind::PrivateProximity;
            state.hash = CellHash::Plain;
            scene.lab = lab(AttackerKind::Dictionary, 1, true);
            scene.metres_per_px = 12.0;
        }
        7 => {
            state.design = DesignKind::Aggregate;
            scene.lab = lab(AttackerKind::Reconstruct, AttackerKind::Reconstruct.default_budget(), true);
            scene.metres_per_px = 12.0;
        }
        8 => {
            // A budget per session limits nothing when sessions are free.
            state.design = DesignKind::DpSession;
            scene.lab = lab(AttackerKind::Reconstruct, AttackerKind::Reconstruct.default_budget(), true);
            scene.truth = true;
            scene.metres_per_px = 12.0;
        }
        9 => {
            state.design = DesignKind::DpRelease;
            state.epsilon = Epsilon::from_micros(1_000_000);
            scene.lab = lab(AttackerKind::Reconstruct, AttackerKind::Reconstruct.default_budget(), true);
            scene.truth = true;
            scene.metres_per_px = 12.0;
        }
        _ => {
            // The law's view: the court publishes the whole list; every listed home at once.
            state.at = CITY_CENTRE;
            scene.truth = true;
            scene.metres_per_px = 24.0;
        }
    }
    scene.state = state;
    scene
}

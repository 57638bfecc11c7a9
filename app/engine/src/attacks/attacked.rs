//! The lab's target for a design's parameters: the one place the page's lab and the CLI's
//! `attack` build it.

use super::AttackedDesign;
use crate::city::City;
use crate::designs::{Aggregate, DesignKind, DesignParams, DpRelease, DEFAULT_AGGREGATE_RESOLUTION};

impl AttackedDesign {
    /// The design of `params` as the lab attacks it; `protected` keeps the DP session's cache and
    /// budget and the blur's fake position per window (off shows what they prevent). `None` for
    /// the proximity test, which is attacked through its messages (`proximity_attack`).
    #[must_use]
    pub fn of_design(city: &City, params: &DesignParams, protected: bool) -> Option<Self> {
        Some(match params.design {
            DesignKind::Exposed => Self::Exposed(params.fidelity),
            DesignKind::Aggregate => Self::Aggregate(Aggregate::new(city, params.k, DEFAULT_AGGREGATE_RESOLUTION)),
            DesignKind::DpRelease => Self::DpRelease(DpRelease::publish(city, params.release_epsilon)),
            DesignKind::DpSession => Self::DpSession { epsilon: params.question_epsilon, budget: params.budget, protected },
            DesignKind::Blur => Self::Blur { epsilon_per_m: params.blur_epsilon, protected },
            DesignKind::PrivateProximity => return None,
        })
    }
}

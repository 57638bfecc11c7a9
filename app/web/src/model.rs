//! Plain logic behind the components: the map's view transform, the drawable layers of a city,
//! and both panes' answers for a state. No DOM here, so it is tested with ordinary `#[test]`s.

use std::rc::Rc;

use within500_engine::{
    key_seed,
    cell_boundary, covering_cells, Aggregate, AggregateAnswer, AppState, BlurredAnswer, BlurredQuery, City,
    DesignKind, DpAnswer, DpCount, DpRefusal, DpRelease, DpReleaseAnswer, Exposed, ExposedAnswer, LatLng, LocalFrame, PrivateProximity,
    ProximityAnswer, ProximityError, Query, Resolution, DEFAULT_AGGREGATE_RESOLUTION,
};

/// The map's view: a centre and a scale, mapping positions to canvas pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Position at the canvas centre.
    pub centre: LatLng,
    /// Metres per CSS pixel.
    pub metres_per_px: f64,
    /// Canvas width in CSS pixels.
    pub width: f64,
    /// Canvas height in CSS pixels.
    pub height: f64,
}

impl Viewport {
    /// Closest and farthest zoom, in metres per pixel.
    pub const ZOOM_RANGE: (f64, f64) = (0.5, 120.0);

    /// A view of the position with about 3.6 km across a 600-pixel map.
    #[must_use]
    pub fn around(centre: LatLng, width: f64, height: f64) -> Self {
        Self { centre, metres_per_px: 6.0, width, height }
    }

    /// Canvas pixel of a position.
    #[must_use]
    pub fn to_px(&self, p: LatLng) -> (f64, f64) {
        let (e, n) = LocalFrame::new(self.centre).to_local(p);
        (self.width / 2.0 + e / self.metres_per_px, self.height / 2.0 - n / self.metres_per_px)
    }

    /// Position at a canvas pixel.
    #[must_use]
    pub fn to_latlng(&self, x: f64, y: f64) -> LatLng {
        LocalFrame::new(self.centre)
            .to_latlng((x - self.width / 2.0) * self.metres_per_px, (self.height / 2.0 - y) * self.metres_per_px)
    }

    /// Zoomed by `factor` (above 1 zooms in) keeping the position under pixel (x, y) in place.
    #[must_use]
    pub fn zoomed(&self, factor: f64, x: f64, y: f64) -> Self {
        let anchor = self.to_latlng(x, y);
        let mpp = (self.metres_per_px / factor).clamp(Self::ZOOM_RANGE.0, Self::ZOOM_RANGE.1);
        let mut next = Self { metres_per_px: mpp, ..*self };
        let (ax, ay) = next.to_px(anchor);
        next.centre = next.to_latlng(next.width / 2.0 + (ax - x), next.height / 2.0 + (ay - y));
        next
    }

    /// Moved by a drag of (dx, dy) pixels.
    #[must_use]
    pub fn panned(&self, dx: f64, dy: f64) -> Self {
        Self { centre: self.to_latlng(self.width / 2.0 - dx, self.height / 2.0 - dy), ..*self }
    }

    /// A round scale-bar length in metres about a fifth of the width, with its length in pixels.
    #[must_use]
    pub fn scale_bar(&self) -> (f64, f64) {
        let target = self.width / 5.0 * self.metres_per_px;
        let mut best = 1.0;
        for m in [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0] {
            if m <= target {
                best = m;
            }
        }
        (best, best / self.metres_per_px)
    }
}

/// A density cell ready to draw: its outline and how many people live in it.
#[derive(Debug, Clone)]
pub struct DensityCell {
    /// Outline.
    pub boundary: Vec<LatLng>,
    /// People whose home is in the cell.
    pub people: u32,
}

/// What the map draws of a city that does not change with the query.
#[derive(Debug, Clone)]
pub struct CityLayers {
    /// People per resolution-8 cell.
    pub density: Vec<DensityCell>,
    /// The most people in one density cell.
    pub max_people: u32,
}

impl CityLayers {
    /// Density by H3 resolution 8 cell (about 0.7 km²), from the index's finer cells.
    #[must_use]
    pub fn of(city: &City) -> Self {
        let mut by_parent: std::collections::BTreeMap<u64, u32> = std::collections::BTreeMap::new();
        for (cell, n) in city.density() {
            let centre = within500_engine::cell_centre(cell);
            if let Some(parent) = within500_engine::cell_of(centre, Resolution::Eight) {
                *by_parent.entry(parent).or_default() += n;
            }
        }
        let max_people = by_parent.values().copied().max().unwrap_or(1);
        let density = by_parent.into_iter().map(|(c, people)| DensityCell { boundary: cell_boundary(c), people }).collect();
        Self { density, max_people }
    }
}

/// The privacy-preserving pane's answer, whichever design gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum PrivateAnswer {
    /// Counts per coarse cell.
    Aggregate(AggregateAnswer),
    /// The DP release's answer, computed from noisy cell counts published once.
    Release(DpReleaseAnswer),
    /// A per-question noisy count, or a refusal once the session's budget is spent.
    Dp(Result<DpAnswer, DpRefusal>),
    /// A count around a blurred position.
    Blur(BlurredAnswer),
    /// One bit for the creditor, or why it cannot run.
    Proximity(Result<ProximityAnswer, ProximityError>),
    /// The proximity test without a debtor chosen.
    NoDebtor,
    /// The DP count waits until the marker is dropped: every question spends ε.
    Waiting,
}

/// Sessions that keep state between queries (the dp-session budget and cache, the blur's fake
/// position per window), and the DP release, published once per city and total ε.
pub struct Sessions {
    dp: DpCount,
    blur: BlurredQuery,
    release: Option<DpRelease>,
    key: SessionKey,
}

/// A fresh secret for a new session's noise, from the browser's cryptographic generator: a
/// reload or a new session never replays the last one's noise.
fn session_secret() -> u64 {
    let mut bytes = [0u8; 8];
    let filled = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // Only where no crypto exists (a native test): the clock and a counter, never a replay in one run.
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(1);
        bytes = (js_sys::Date::now().to_bits() ^ N.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)).to_le_bytes();
    }
    u64::from_le_bytes(bytes)
}

/// Seconds on the page's clock, for the blur's time windows.
fn now_s() -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = (js_sys::Date::now() / 1000.0) as u64;
    s
}

type SessionKey = (u64, u32, u64, u64, u64, u64);

impl Sessions {
    /// Fresh sessions for a state.
    #[must_use]
    pub fn new(state: &AppState) -> Self {
        Self {
            dp: DpCount::new(state.epsilon, state.budget, session_secret()),
            blur: BlurredQuery::new(state.blur_epsilon, session_secret()),
            release: None,
            key: Self::key_of(state),
        }
    }

    /// What the sessions were made for: the city (seed, population and listed share, since a
    /// cached answer belongs to one city) and the privacy settings.
    fn key_of(state: &AppState) -> SessionKey {
        let c = state.city;
        (c.seed, c.people, c.listed_rate.to_bits(), state.epsilon.micros(), state.budget.micros(), state.blur_epsilon.to_bits())
    }

    /// Starts over if the state changed what the sessions were made for.
    pub fn follow(&mut self, state: &AppState) {
        if self.key != Self::key_of(state) {
            *self = Self::new(state);
        }
    }

    /// ε spent so far in the DP session, in millionths.
    #[must_use]
    pub fn dp_spent_micros(&self) -> u64 {
        self.dp.spent_micros()
    }
}

/// Both panes' answers to the same query.
#[derive(Debug, Clone, PartialEq)]
pub struct Answers {
    /// The deployed map.
    pub exposed: ExposedAnswer,
    /// The chosen privacy-preserving design.
    pub private: PrivateAnswer,
    /// The true number of listed people in the radius (shown as the operator's truth).
    pub truth: usize,
    /// Resolution-9 cells the circle covers, for drawing.
    pub covering: Vec<u64>,
}

/// Answers the state's query through the deployed design and the chosen design.
///
/// While `dragging`, the DP count is not asked: each distinct position would spend ε.
pub fn answer(city: &City, state: &AppState, aggregate: &Aggregate, sessions: &mut Sessions, dragging: bool) -> Answers {
    sessions.follow(state);
    let query = Query { at: state.at, radius_m: state.radius_m };
    let exposed = Exposed { fidelity: state.fidelity }.answer(city, query);
    let private = match state.design {
        DesignKind::Aggregate | DesignKind::Exposed => PrivateAnswer::Aggregate(aggregate.answer(query)),
        DesignKind::DpRelease => {
            let release = sessions.release.get_or_insert_with(|| DpRelease::publish(city, state.epsilon));
            PrivateAnswer::Release(release.answer(query))
        }
        DesignKind::DpSession if dragging => PrivateAnswer::Waiting,
        DesignKind::DpSession => PrivateAnswer::Dp(sessions.dp.answer(city, query)),
        DesignKind::Blur => PrivateAnswer::Blur(sessions.blur.answer(city, query, now_s())),
        DesignKind::PrivateProximity => match state.debtor {
            Some(d) => PrivateAnswer::Proximity(PrivateProximity::new(state.hash, key_seed(state.city.seed)).answer(city, state.at, d)),
            None => PrivateAnswer::NoDebtor,
        },
    };
    Answers { truth: exposed.entries.len(), exposed, private, covering: covering_cells(query, Resolution::Nine) }
}

/// The aggregate design prepared for a city and k.
#[must_use]
pub fn aggregate_for(city: &City, k: u32) -> Aggregate {
    Aggregate::new(city, k, DEFAULT_AGGREGATE_RESOLUTION)
}

/// A generated city with its drawable layers, shared by the components.
pub struct Loaded {
    /// The city.
    pub city: City,
    /// Its map layers.
    pub layers: CityLayers,
}

impl Loaded {
    /// A city with its map layers.
    #[must_use]
    pub fn of(city: City) -> Rc<Self> {
        let layers = CityLayers::of(&city);
        Rc::new(Self { city, layers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use within500_engine::{CityConfig, CITY_CENTRE};

    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn sessions_start_over_for_another_city() {
        // A cached DP answer belongs to one city: another population or listed share must not
        // repeat it.
        let state = AppState::default();
        let mut sessions = Sessions::new(&state);
        let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 }).expect("valid");
        let query = Query { at: city.home(0), radius_m: 500.0 };
        sessions.dp.answer(&city, query).expect("budget left");
        assert!(sessions.dp_spent_micros() > 0);
        for other in [CityConfig { people: 6_000, ..state.city }, CityConfig { listed_rate: 0.05, ..state.city }] {
            let mut s = Sessions::new(&state);
            s.dp.answer(&city, query).expect("budget left");
            s.follow(&AppState { city: other, ..state.clone() });
            assert_eq!(s.dp_spent_micros(), 0, "a new city starts a new DP session");
        }
        sessions.follow(&state);
        assert!(sessions.dp_spent_micros() > 0, "the same city keeps its session");
    }

    // Plain logic, tested natively with `cargo test` and in the browser by `cargo xtask test`.
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn viewport_round_trips_and_zooms_about_the_pointer() {
        let v = Viewport::around(CITY_CENTRE, 800.0, 600.0);
        let p = v.to_latlng(123.0, 456.0);
        let (x, y) = v.to_px(p);
        assert!((x - 123.0).abs() < 1e-6 && (y - 456.0).abs() < 1e-6);
        let z = v.zoomed(2.0, 100.0, 100.0);
        assert!((z.metres_per_px - 3.0).abs() < 1e-12);
        let (x, y) = z.to_px(v.to_latlng(100.0, 100.0));
        assert!((x - 100.0).abs() < 0.05 && (y - 100.0).abs() < 0.05, "{x} {y}");
        let far = v.zoomed(1e-9, 0.0, 0.0);
        assert!((far.metres_per_px - Viewport::ZOOM_RANGE.1).abs() < 1e-9);
        let (m, px) = v.scale_bar();
        assert!((m - 500.0).abs() < 1e-9 && (px - 500.0 / 6.0).abs() < 1e-9);
    }

    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    fn both_panes_answer_the_same_query() {
        let state = AppState { city: CityConfig { seed: 3, people: 10_000, listed_rate: 0.02 }, design: DesignKind::DpSession, ..AppState::default() };
        let loaded = Loaded::of(City::generate(state.city).expect("valid"));
        let agg = aggregate_for(&loaded.city, state.k);
        let mut sessions = Sessions::new(&state);
        let a = answer(&loaded.city, &state, &agg, &mut sessions, false);
        assert_eq!(a.exposed.entries.len(), loaded.city.listed_within(state.at, 500.0).len());
        assert!(matches!(a.private, PrivateAnswer::Dp(Ok(_))));
        // The release answers the same whatever the session.
        let release = AppState { design: DesignKind::DpRelease, ..state.clone() };
        let first = answer(&loaded.city, &release, &agg, &mut Sessions::new(&release), false).private;
        assert_eq!(answer(&loaded.city, &release, &agg, &mut Sessions::new(&release), false).private, first);
        assert!(!a.covering.is_empty());
        assert_eq!(sessions.dp_spent_micros(), 1_000_000);
        let total: u32 = loaded.layers.density.iter().map(|c| c.people).sum();
        assert_eq!(total, 10_000);
    }
}

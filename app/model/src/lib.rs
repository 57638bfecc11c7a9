//! The app model of Within 500 m: the plain logic behind the page's components. The map's view
//! transform, the drawable layers of a city, both panes' answers for a state, the page's court
//! for the private proximity test, and the state machines of the page (a city's generation with
//! cancel, the lab's run, an exercise's progress).
//!
//! Nothing here touches the DOM or the browser: what the page draws from the browser (secrets from
//! `crypto.getRandomValues`, the clock, `localStorage`) it passes in. So every type here is tested
//! natively with ordinary `#[test]`s, which `cargo xtask test` runs.

use std::rc::Rc;

pub mod exercise;
mod generation;
mod lab;
pub mod labels;
pub mod map;
pub mod protocol;
pub mod qr;
pub mod sources;

pub use generation::{Cancelled, Finished, Generation, Ticket};
pub use lab::{is_proximity_attacker, log_share, LabControls, LabResult, LabRuns, NotApplicable, RunTicket, LAB_BUDGET, PROXIMITY_ROWS};

use within500_engine::{
    cell_boundary, covering_cells, hex, key_seed, plain_token, Aggregate, Answerer, AppState, CellHash, City, Court, Credential, Creditor,
    DesignAnswer, DesignKind, Exposed, ExposedAnswer, LatLng, Ledger, LocalFrame, ProximityAnswer, ProximityError, Query, ReplyView,
    RequestView, Resolution, CITY_CENTRE, CITY_RADIUS_M, DEFAULT_AGGREGATE_RESOLUTION, PROXIMITY_RESOLUTION,
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
        LocalFrame::new(self.centre).to_latlng((x - self.width / 2.0) * self.metres_per_px, (self.height / 2.0 - y) * self.metres_per_px)
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
    /// The design's answer (the aggregate's counts, the DP release's noisy cells, a per-question
    /// noisy count or its refusal, a count around a blurred position).
    Design(DesignAnswer),
    /// The proximity test waits for the creditor to ask the court (each test counts against the
    /// case's daily limit, so moving the marker runs none); the exchange is in [`PsiCourt`].
    Proximity,
    /// The proximity test without a debtor chosen.
    NoDebtor,
    /// The DP count waits until the marker is dropped: every question spends ε.
    Waiting,
}

/// The designs that keep state between queries, each an [`Answerer`] made when first asked: the
/// DP session (its budget and cache), the blur (its fake position per window) and the DP release
/// (published once per city and total ε). They last while the city and the privacy settings stay;
/// switching designs and back keeps each one's session.
pub struct Sessions {
    answerers: Vec<Answerer>,
    key: SessionKey,
}

type SessionKey = (u64, u32, u64, u64, u64, u64);

impl Sessions {
    /// No session yet for a state: each design's is made when it is first asked, its noise drawn
    /// from the secret given then (the browser's crypto in the page), so a reload or a new session
    /// never replays the last one's noise.
    #[must_use]
    pub fn new(state: &AppState) -> Self {
        Self { answerers: Vec::new(), key: Self::key_of(state) }
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

    /// The answerer of `state.design`, made from the state's parameters when first asked.
    fn answerer(&mut self, city: &City, state: &AppState, secret: &mut dyn FnMut() -> u64) -> &mut Answerer {
        let i = if let Some(i) = self.answerers.iter().position(|a| a.params().design == state.design) {
            i
        } else {
            self.answerers.push(Answerer::new(city, state.design_params(), secret()));
            self.answerers.len() - 1
        };
        &mut self.answerers[i]
    }

    /// ε spent so far in the DP session, in millionths.
    #[must_use]
    pub fn dp_spent_micros(&self) -> u64 {
        self.answerers.iter().map(Answerer::dp_spent_micros).sum()
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

/// What the page gives the model from the browser: fresh secrets and the clock.
pub struct Browser<'a> {
    /// A fresh secret for a new session's noise.
    pub secret: &'a mut dyn FnMut() -> u64,
    /// Seconds on the page's clock (the blur's time windows).
    pub now_s: u64,
}

/// Answers the state's query through the deployed design and the chosen design. The chosen
/// design answers through the engine's [`Answerer`] (the one dispatch the CLI uses too), except
/// the aggregate, whose table the page keeps for the map, and what the page adds: with the
/// deployed map chosen, the second pane shows the aggregate; the proximity test waits for the
/// creditor; and while `dragging` the DP count is not asked, since each distinct position would
/// spend ε.
pub fn answer(
    city: &City,
    state: &AppState,
    aggregate: &Aggregate,
    sessions: &mut Sessions,
    dragging: bool,
    Browser { secret, now_s }: Browser<'_>,
) -> Answers {
    sessions.follow(state);
    let query = Query { at: state.at, radius_m: state.radius_m };
    let exposed = Exposed { fidelity: state.fidelity }.answer(city, query);
    let private = match state.design {
        DesignKind::Aggregate | DesignKind::Exposed => PrivateAnswer::Design(DesignAnswer::Aggregate(aggregate.answer(query))),
        DesignKind::DpSession if dragging => PrivateAnswer::Waiting,
        DesignKind::PrivateProximity if state.debtor.is_some() => PrivateAnswer::Proximity,
        DesignKind::PrivateProximity => PrivateAnswer::NoDebtor,
        DesignKind::DpRelease | DesignKind::DpSession | DesignKind::Blur => {
            match sessions.answerer(city, state, secret).answer(city, query, now_s) {
                Some(a) => PrivateAnswer::Design(a),
                None => unreachable!("every design but the proximity test answers a query"),
            }
        }
    };
    Answers { truth: exposed.entries.len(), exposed, private, covering: covering_cells(query, Resolution::Nine) }
}

/// The aggregate table of the shown city and k, rebuilt only when either changes. The city is
/// identified by its configuration (seed, population, listed share), which decides it entirely.
#[derive(Default)]
pub struct AggregateCache {
    table: Option<(CityKey, u32, Aggregate)>,
}

impl AggregateCache {
    /// The table for `city` and `k`, from the cache when it was made for them.
    pub fn get(&mut self, city: &City, k: u32) -> &Aggregate {
        let key = city_key(city);
        if !self.table.as_ref().is_some_and(|(c, kk, _)| *c == key && *kk == k) {
            self.table = Some((key, k, aggregate_for(city, k)));
        }
        &self.table.as_ref().unwrap_or_else(|| unreachable!("set above")).2
    }
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

/// Which credential the creditor sends: the one the court issued for the case, or a wrong one,
/// to see the refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CredentialChoice {
    /// What the court issued for the case.
    #[default]
    Issued,
    /// Any other 32 bytes.
    Wrong,
}

/// The case text a creditor of `debtor` sends: the person's case number if they are listed, else
/// the id as text. Such a text names no case; the court refuses it with the very bytes it sends
/// for a wrong credential, so the page never says whether a person is listed.
#[must_use]
pub fn psi_case(city: &City, debtor: u32) -> String {
    city.listing(debtor).map_or_else(|| debtor.to_string(), within500_engine::Listing::case_number)
}

/// The court's record as the page keeps it: the simulated day and the tests per case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CourtRecord {
    /// The simulated day.
    pub day: u32,
    /// Tests per case and day.
    pub ledger: Ledger,
}

impl CourtRecord {
    /// As text for `localStorage`: the day on the first line, then one line per case with its
    /// day and tests, tab-separated (case numbers hold no tabs or line breaks).
    #[must_use]
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut out = format!("{}\n", self.day);
        for (case, (day, tests)) in &self.ledger.tests {
            let _ = writeln!(out, "{case}\t{day}\t{tests}");
        }
        out
    }

    /// From that text; a record that cannot be read starts over (it is the page's own record,
    /// not something a person typed).
    #[must_use]
    pub fn from_text(text: &str) -> Self {
        let mut lines = text.lines();
        let Some(day) = lines.next().and_then(|d| d.trim().parse().ok()) else { return Self::default() };
        let mut ledger = Ledger::default();
        for line in lines {
            let mut parts = line.split('\t');
            match (parts.next(), parts.next().and_then(|d| d.parse().ok()), parts.next().and_then(|n| n.parse().ok()), parts.next()) {
                (Some(case), Some(d), Some(n), None) => {
                    ledger.tests.insert(case.to_owned(), (d, n));
                }
                _ => return Self::default(),
            }
        }
        Self { day, ledger }
    }
}

/// The city a court belongs to: seed, population and listed share.
pub type CityKey = (u64, u32, u64);

/// The city key of a city.
#[must_use]
pub fn city_key(city: &City) -> CityKey {
    let c = city.config();
    (c.seed, c.people, c.listed_rate.to_bits())
}

/// The `localStorage` key of a city's court record.
#[must_use]
pub fn court_storage_key(city: &City) -> String {
    let c = city.config();
    format!("within500-psi-court:seed={}:people={}:listed={}", c.seed, c.people, c.listed_rate)
}

/// One test as the page shows it: both messages, what the creditor read, and how long each side
/// took. No name, id or position of the debtor: the bytes and the bit.
#[derive(Debug, Clone, PartialEq)]
pub struct PsiRound {
    /// How cells became tokens.
    pub hash: CellHash,
    /// The simulated day of the test.
    pub day: u32,
    /// Creditor to court.
    pub request: Vec<u8>,
    /// Court to creditor.
    pub reply: Vec<u8>,
    /// The request's parts.
    pub request_view: Option<RequestView>,
    /// The reply's parts.
    pub reply_view: ReplyView,
    /// What the creditor read.
    pub answer: Result<ProximityAnswer, ProximityError>,
    /// Microseconds the creditor's side took (request and reading the reply).
    pub creditor_us: f64,
    /// Microseconds the court's side took.
    pub court_us: f64,
    /// Tests left for the case today after this one.
    pub left: u32,
    /// With plain tokens: the request's tokens that a dictionary of every cell of the city
    /// reverses, and the reply's debtor tokens it reverses (always 0 with keyed tokens).
    pub reversed: (usize, usize),
    /// Cells in that dictionary (plain tokens only).
    pub dictionary_cells: usize,
}

impl PsiRound {
    /// The answer as a slug: `near`, `not-near`, `refused`, `limit` or `malformed`.
    #[must_use]
    pub fn answer_slug(&self) -> &'static str {
        match self.answer {
            Ok(a) if a.near => "near",
            Ok(_) => "not-near",
            Err(ProximityError::Refused) => "refused",
            Err(ProximityError::LimitReached { .. }) => "limit",
            Err(ProximityError::Malformed) => "malformed",
        }
    }

    /// Microseconds one test took, both sides.
    #[must_use]
    pub fn total_us(&self) -> f64 {
        self.creditor_us + self.court_us
    }
}

/// The page's court for one city: the court object with its key and ledger, and the simulated
/// day. It lives as long as the page shows the city (its record is saved in `localStorage`, so a
/// reload does not reset the limit).
pub struct PsiCourt {
    city: CityKey,
    court: Court,
    day: u32,
    /// Plain SHA-256 token to cell, for every resolution-9 cell of the city (built on demand).
    dictionary: Option<std::collections::HashMap<String, u64>>,
}

impl PsiCourt {
    /// The court of a city with a saved record.
    #[must_use]
    pub fn new(city: &City, hash: CellHash, record: CourtRecord) -> Self {
        let mut court = Court::new(city, hash, key_seed(city.config().seed));
        court.set_ledger(record.ledger);
        Self { city: city_key(city), court, day: record.day, dictionary: None }
    }

    /// Makes `slot` hold the court of `city` with tokens made by `hash`: a new city loads its
    /// record with `load`; another hash keeps the ledger (one court, whatever its tokens).
    pub fn ensure<'a>(slot: &'a mut Option<Self>, city: &City, hash: CellHash, load: impl FnOnce() -> CourtRecord) -> &'a mut Self {
        match slot {
            Some(p) if p.city == city_key(city) && p.court.hash() == hash => {}
            Some(p) if p.city == city_key(city) => {
                let record = p.record();
                let dictionary = p.dictionary.take();
                *p = Self::new(city, hash, record);
                p.dictionary = dictionary;
            }
            _ => *slot = Some(Self::new(city, hash, load())),
        }
        slot.as_mut().unwrap_or_else(|| unreachable!("set above"))
    }

    /// The record to save.
    #[must_use]
    pub fn record(&self) -> CourtRecord {
        CourtRecord { day: self.day, ledger: self.court.ledger().clone() }
    }

    /// The simulated day.
    #[must_use]
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Tests left today for a case.
    #[must_use]
    pub fn left(&self, case: &str) -> u32 {
        self.court.ledger().left(case, self.day)
    }

    /// The next simulated day: every case has its tests again.
    pub fn next_day(&mut self) {
        self.day = self.day.saturating_add(1);
    }

    /// The credential the creditor sends.
    #[must_use]
    pub fn credential(&self, case: &str, choice: CredentialChoice) -> Credential {
        let issued = self.court.issue(case);
        match choice {
            CredentialChoice::Issued => issued,
            CredentialChoice::Wrong => {
                let mut bytes = issued.0;
                for b in &mut bytes[..4] {
                    *b ^= 0xA5;
                }
                Credential(bytes)
            }
        }
    }

    /// One test at `at` today: the creditor's request, the court's reply, the creditor's reading
    /// of it, each side timed with `clock` (milliseconds).
    pub fn ask(
        &mut self,
        case: &str,
        choice: CredentialChoice,
        at: LatLng,
        rng: &mut impl rand_core::RngCore,
        clock: &dyn Fn() -> f64,
    ) -> PsiRound {
        let hash = self.court.hash();
        let credential = self.credential(case, choice);
        let t0 = clock();
        let creditor = Creditor::at(hash, case, credential, at);
        let (request, pending) = creditor.request(rng);
        let t1 = clock();
        let reply = self.court.respond(&request, self.day, rng);
        let t2 = clock();
        let answer = pending.finish(&reply);
        let t3 = clock();
        let request_view = RequestView::read(&request);
        let reply_view = ReplyView::read(&reply);
        let (reversed, dictionary_cells) = if hash == CellHash::Plain {
            let dictionary = self.dictionary.get_or_insert_with(plain_dictionary);
            let found = |tokens: &[String]| tokens.iter().filter(|t| dictionary.contains_key(*t)).count();
            let r = request_view.as_ref().map_or(0, |v| found(&v.tokens));
            ((r, found(&reply_view.debtors)), dictionary.len())
        } else {
            ((0, 0), 0)
        };
        PsiRound {
            hash,
            day: self.day,
            left: self.left(case),
            request,
            reply,
            request_view,
            reply_view,
            answer,
            creditor_us: ((t1 - t0) + (t3 - t2)) * 1000.0,
            court_us: (t2 - t1) * 1000.0,
            reversed,
            dictionary_cells,
        }
    }
}

/// SHA-256 of every resolution-9 cell that touches the city (and a kilometre around it): what
/// anyone needs to reverse plain tokens.
fn plain_dictionary() -> std::collections::HashMap<String, u64> {
    covering_cells(Query { at: CITY_CENTRE, radius_m: CITY_RADIUS_M + 1_000.0 }, PROXIMITY_RESOLUTION)
        .into_iter()
        .map(|c| (hex(&plain_token(c)), c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aggregate_table_is_kept_for_the_same_city_and_k_only() {
        let a = City::generate(CityConfig { seed: 1, people: 3_000, listed_rate: 0.02 }).expect("valid");
        let b = City::generate(CityConfig { seed: 2, people: 3_000, listed_rate: 0.02 }).expect("valid");
        let mut cache = AggregateCache::default();
        let q = Query { at: a.home(0), radius_m: 2_000.0 };
        let first = cache.get(&a, 2).answer(q);
        assert_eq!(cache.get(&a, 2).answer(q), first);
        assert_eq!(cache.get(&a, 2).answer(q), aggregate_for(&a, 2).answer(q));
        assert_eq!(cache.get(&b, 2).answer(q), aggregate_for(&b, 2).answer(q), "another city, another table");
        assert_eq!(cache.get(&b, 9).answer(q), aggregate_for(&b, 9).answer(q), "another k, another table");
    }
    use within500_engine::{CityConfig, CITY_CENTRE};

    /// Distinct secrets, as the browser's crypto would give.
    fn secrets() -> impl FnMut() -> u64 {
        let mut n = 0u64;
        move || {
            n += 1;
            n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        }
    }

    fn answer_now(city: &City, state: &AppState, agg: &Aggregate, sessions: &mut Sessions) -> Answers {
        answer(city, state, agg, sessions, false, Browser { secret: &mut secrets(), now_s: 0 })
    }

    #[test]
    fn sessions_start_over_for_another_city() {
        // A cached DP answer belongs to one city: another population or listed share must not
        // repeat it.
        let state = AppState::default();
        let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 }).expect("valid");
        let state = AppState { city: city.config(), design: DesignKind::DpSession, at: city.home(0), ..state };
        let agg = aggregate_for(&city, state.k);
        let mut sessions = Sessions::new(&state);
        assert!(matches!(answer_now(&city, &state, &agg, &mut sessions).private, PrivateAnswer::Design(DesignAnswer::Dp(Ok(_)))));
        assert!(sessions.dp_spent_micros() > 0);
        for other in [CityConfig { people: 6_000, ..state.city }, CityConfig { listed_rate: 0.05, ..state.city }] {
            let mut s = Sessions::new(&state);
            answer_now(&city, &state, &agg, &mut s);
            s.follow(&AppState { city: other, ..state.clone() });
            assert_eq!(s.dp_spent_micros(), 0, "a new city starts a new DP session");
        }
        sessions.follow(&state);
        assert!(sessions.dp_spent_micros() > 0, "the same city keeps its session");
        // Switching to another design and back keeps the session and its budget.
        let spent = sessions.dp_spent_micros();
        answer_now(&city, &AppState { design: DesignKind::Blur, ..state.clone() }, &agg, &mut sessions);
        let moved = AppState { at: LocalFrame::new(state.at).to_latlng(900.0, 0.0), ..state.clone() };
        assert!(matches!(answer_now(&city, &moved, &agg, &mut sessions).private, PrivateAnswer::Design(DesignAnswer::Dp(Ok(_)))));
        assert!(sessions.dp_spent_micros() > spent, "the same session spends on");
    }

    #[test]
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

    #[test]
    fn both_panes_answer_the_same_query() {
        let state = AppState {
            city: CityConfig { seed: 3, people: 10_000, listed_rate: 0.02 },
            design: DesignKind::DpSession,
            ..AppState::default()
        };
        let loaded = Loaded::of(City::generate(state.city).expect("valid"));
        let agg = aggregate_for(&loaded.city, state.k);
        let mut sessions = Sessions::new(&state);
        let a = answer_now(&loaded.city, &state, &agg, &mut sessions);
        assert_eq!(a.exposed.entries.len(), loaded.city.listed_within(state.at, 500.0).len());
        assert!(matches!(a.private, PrivateAnswer::Design(DesignAnswer::Dp(Ok(_)))));
        // The release answers the same whatever the session.
        let release = AppState { design: DesignKind::DpRelease, ..state.clone() };
        let first = answer_now(&loaded.city, &release, &agg, &mut Sessions::new(&release)).private;
        assert_eq!(answer_now(&loaded.city, &release, &agg, &mut Sessions::new(&release)).private, first);
        assert!(!a.covering.is_empty());
        assert_eq!(sessions.dp_spent_micros(), 1_000_000);
        let total: u32 = loaded.layers.density.iter().map(|c| c.people).sum();
        assert_eq!(total, 10_000);
    }

    #[test]
    fn the_proximity_test_is_an_exchange_with_a_daily_limit() {
        use rand_chacha::rand_core::SeedableRng;
        let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.02 }).expect("valid");
        let listing = city.listings()[0];
        let home = city.home(listing.person);
        // Moving the marker runs no test: the pane waits for the creditor to ask.
        let state = AppState {
            city: city.config(),
            design: DesignKind::PrivateProximity,
            debtor: Some(listing.person),
            at: home,
            ..AppState::default()
        };
        let agg = aggregate_for(&city, state.k);
        assert_eq!(answer_now(&city, &state, &agg, &mut Sessions::new(&state)).private, PrivateAnswer::Proximity);
        let mut slot = None;
        let court = PsiCourt::ensure(&mut slot, &city, CellHash::Keyed, CourtRecord::default);
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let case = psi_case(&city, listing.person);
        assert_eq!(case, listing.case_number());
        let first = court.ask(&case, CredentialChoice::Issued, home, &mut rng, &|| 0.0);
        assert_eq!(first.answer_slug(), "near");
        assert_eq!(first.request_view.as_ref().map(|v| v.tokens.len()), Some(7));
        assert_eq!((first.reply_view.returned.len(), first.reply_view.debtors.len()), (7, 1));
        assert_eq!(first.reversed, (0, 0), "keyed tokens reverse to no cell");
        let far = LatLng { lat: home.lat + 0.05, lng: home.lng };
        assert_eq!(court.ask(&case, CredentialChoice::Issued, far, &mut rng, &|| 0.0).answer_slug(), "not-near");
        // A wrong credential and a person with no case get the same bytes, and count nothing.
        let wrong = court.ask(&case, CredentialChoice::Wrong, home, &mut rng, &|| 0.0);
        let unlisted = (0..city.config().people).find(|&p| city.listing(p).is_none()).expect("someone is not listed");
        let nobody = court.ask(&psi_case(&city, unlisted), CredentialChoice::Issued, home, &mut rng, &|| 0.0);
        assert_eq!(wrong.reply, nobody.reply);
        assert_eq!(wrong.reply, within500_engine::REFUSAL);
        assert_eq!((wrong.answer_slug(), nobody.answer_slug()), ("refused", "refused"));
        assert_eq!(court.left(&case), 1);
        court.ask(&case, CredentialChoice::Issued, home, &mut rng, &|| 0.0);
        assert_eq!(court.ask(&case, CredentialChoice::Issued, home, &mut rng, &|| 0.0).answer_slug(), "limit");
        // The record survives a reload; another hash keeps the same court's ledger.
        let saved = CourtRecord::from_text(&court.record().to_text());
        assert_eq!(saved, court.record());
        let again = PsiCourt::ensure(&mut slot, &city, CellHash::Plain, CourtRecord::default);
        assert_eq!(again.left(&case), 0);
        again.next_day();
        assert_eq!(again.left(&case), within500_engine::TESTS_PER_DAY);
        // Plain tokens: a list of every cell of the city reverses all of them.
        let plain = again.ask(&case, CredentialChoice::Issued, home, &mut rng, &|| 0.0);
        assert_eq!(plain.answer_slug(), "near");
        assert_eq!(plain.reversed, (7, 1));
    }
}

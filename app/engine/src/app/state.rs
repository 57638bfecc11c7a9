//! The app's state as a URL query string, and back.
//!
//! Every field has a default; the query string carries only what differs, plus the seed and the
//! position so that a shared link says where it points. Parsing never panics: any input gives a
//! state or errors that each name the parameter and what is wrong with it.
//!
//! ```
//! use within500_engine::AppState;
//! let state = AppState::from_query("seed=42&people=20000&design=dp&eps=0.5").unwrap();
//! assert_eq!(state.city.seed, 42);
//! assert_eq!(AppState::from_query(&state.to_query()).unwrap(), state);
//!
//! let err = AppState::from_query("people=lots").unwrap_err();
//! assert_eq!(err[0].field, "people");
//! ```

use serde::Serialize;

use crate::city::{CityConfig, MAX_LISTED_RATE, MAX_PEOPLE, MIN_PEOPLE};
use crate::designs::{ranges, CellHash, DesignKind, Epsilon, Fidelity};
use crate::geo::{LatLng, CITY_CENTRE};
use crate::numbers::{ExerciseNo, StoryStep};

/// Smallest query radius in metres.
pub const MIN_RADIUS_M: f64 = *ranges::RADIUS_M.start();
/// Largest query radius in metres.
pub const MAX_RADIUS_M: f64 = *ranges::RADIUS_M.end();
/// How far from the city centre a position may be, in metres.
pub const MAX_OFFSET_M: f64 = 20_000.0;

/// Whether a position lies within [`MAX_OFFSET_M`] of the city centre: the one rule for positions
/// from URLs, form fields, the CLI and the draggable marker.
#[must_use]
pub fn in_city_bounds(p: LatLng) -> bool {
    CITY_CENTRE.distance_m(p) <= MAX_OFFSET_M
}

/// What to say of a position outside the city (the URL codec and the CLI say the same).
#[must_use]
pub fn outside_city(p: LatLng) -> String {
    format!(
        "position ({:.5}, {:.5}) is outside the synthetic city: stay within {} km of {:.2} N {:.2} E",
        p.lat,
        p.lng,
        MAX_OFFSET_M / 1_000.0,
        CITY_CENTRE.lat,
        CITY_CENTRE.lng
    )
}

/// The language of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Lang {
    /// English (the default).
    #[default]
    En,
    /// Simplified Chinese.
    Zh,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Self; 2] = [Self::En, Self::Zh];

    /// The code used in URLs and in `lang` attributes: `en` or `zh`.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }

    /// The language for a code.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.slug() == s)
    }
}

/// Which part of the app is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum Mode {
    /// The map and both panes, free to explore (the default).
    #[default]
    Explore,
    /// The guided story, one step at a time.
    Story,
    /// The exercises, one at a time.
    Exercise,
    /// The teacher's page: every exercise with its answer.
    Teacher,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Self; 4] = [Self::Explore, Self::Story, Self::Exercise, Self::Teacher];

    /// The name used in URLs.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Explore => "explore",
            Self::Story => "story",
            Self::Exercise => "exercise",
            Self::Teacher => "teacher",
        }
    }

    /// The mode for a name.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.slug() == s)
    }
}

/// Everything that decides what the app shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppState {
    /// The city: seed, population, listed rate.
    pub city: CityConfig,
    /// The querier's position.
    pub at: LatLng,
    /// The query radius in metres.
    pub radius_m: f64,
    /// What the deployed pane shows of each person.
    pub fidelity: Fidelity,
    /// The privacy-preserving design in the second pane.
    pub design: DesignKind,
    /// Aggregate: suppression threshold.
    pub k: u32,
    /// DP: the release's total ε per person (`dp`), or ε per question (`dp-session`).
    pub epsilon: Epsilon,
    /// Per-question DP count: ε budget per session.
    pub budget: Epsilon,
    /// Blur: ε per metre.
    pub blur_epsilon: f64,
    /// Proximity test: how cells are hashed.
    pub hash: CellHash,
    /// Proximity test: the creditor's debtor (a person id), if chosen.
    pub debtor: Option<u32>,
    /// The page's language.
    pub lang: Lang,
    /// Which part of the app is open.
    pub mode: Mode,
    /// The story step, from 1 to [`STORY_STEPS`](crate::STORY_STEPS) (used in story mode).
    pub step: StoryStep,
    /// The exercise, from 1 to [`EXERCISES`](crate::EXERCISES) (used in exercise mode).
    pub exercise: ExerciseNo,
    /// Embedded in another page: no chrome beyond the scene, a caption and a link to the app.
    pub embed: bool,
    /// Presenter mode: larger type, fewer controls.
    pub presenter: bool,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            city: CityConfig::default(),
            at: CITY_CENTRE,
            radius_m: 500.0,
            fidelity: Fidelity::Reported,
            design: DesignKind::DpRelease,
            k: 5,
            epsilon: Epsilon::from_micros(1_000_000),
            budget: Epsilon::from_micros(10_000_000),
            blur_epsilon: 0.004,
            hash: CellHash::Keyed,
            debtor: None,
            lang: Lang::En,
            mode: Mode::Explore,
            step: StoryStep::FIRST,
            exercise: ExerciseNo::FIRST,
            embed: false,
            presenter: false,
        }
    }
}

/// What kind of problem a parameter had, so that a page can say it in its own language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Problem {
    /// The value is not one the parameter accepts (the message says what is).
    Invalid,
    /// The parameter was given more than once.
    Repeated,
    /// No such parameter.
    Unknown,
    /// The position lies outside the synthetic city.
    OutsideCity,
}

/// One bad parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}={value:?}: {problem}")]
pub struct FieldError {
    /// The parameter's name.
    pub field: String,
    /// The value given (decoded).
    pub value: String,
    /// What is wrong and what is accepted, in English.
    pub problem: String,
    /// The kind of problem.
    pub kind: Problem,
}

fn bad(field: &str, value: &str, problem: impl Into<String>) -> FieldError {
    FieldError { field: field.to_owned(), value: value.to_owned(), problem: problem.into(), kind: Problem::Invalid }
}

fn bad_kind(field: &str, value: &str, problem: impl Into<String>, kind: Problem) -> FieldError {
    FieldError { kind, ..bad(field, value, problem) }
}

/// The URL's parameters: the one table of their keys, which the codec, the links it writes and
/// the page's messages all read (a new parameter is a new variant, and every `match` on it must
/// say what it accepts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "lowercase")]
pub enum Param {
    /// `seed`: the city's seed.
    Seed,
    /// `people`: the population.
    People,
    /// `listed`: the share listed.
    Listed,
    /// `lat`: the position's latitude.
    Lat,
    /// `lng`: the position's longitude.
    Lng,
    /// `r`: the radius in metres.
    #[strum(serialize = "r")]
    Radius,
    /// `fidelity`: what the deployed map shows.
    Fidelity,
    /// `design`: the privacy-preserving pane's design.
    Design,
    /// `k`: the aggregate's threshold.
    K,
    /// `eps`: ε of the release or per question.
    #[strum(serialize = "eps")]
    Epsilon,
    /// `budget`: the DP session's budget.
    Budget,
    /// `blur`: the blur's ε per metre.
    Blur,
    /// `hash`: keyed or plain cells for the proximity test.
    Hash,
    /// `debtor`: the proximity test's debtor.
    Debtor,
    /// `lang`: the page's language.
    Lang,
    /// `mode`: explore, story, exercise or teacher.
    Mode,
    /// `step`: the story's step.
    Step,
    /// `ex`: the exercise.
    #[strum(serialize = "ex")]
    Exercise,
    /// `embed`: the embeddable view.
    Embed,
    /// `presenter`: presenter mode.
    Presenter,
}

impl Param {
    /// Every parameter, in the order links write them.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// Its key in URLs.
    #[must_use]
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The parameter of a key.
    #[must_use]
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }
}

/// Every key a link may hold, in the order links write them.
#[must_use]
pub fn known_keys() -> Vec<&'static str> {
    Param::ALL.iter().map(|p| p.key()).collect()
}

fn parse_f64(field: &str, v: &str, lo: f64, hi: f64, what: &str) -> Result<f64, FieldError> {
    let x: f64 = v.trim().parse().map_err(|_| bad(field, v, format!("not a number; {what}")))?;
    if !x.is_finite() || x < lo || x > hi {
        return Err(bad(field, v, format!("out of range; {what}")));
    }
    Ok(x)
}

fn parse_u32(field: &str, v: &str, lo: u32, hi: u32, what: &str) -> Result<u32, FieldError> {
    let x: u64 = v.trim().parse().map_err(|_| bad(field, v, format!("not a whole number; {what}")))?;
    u32::try_from(x).ok().filter(|x| (lo..=hi).contains(x)).ok_or_else(|| bad(field, v, format!("out of range; {what}")))
}

impl AppState {
    /// The design and its parameters, as the lab and the panes read them (the URL's one `eps` is
    /// the release's total ε and the session's ε per question alike).
    #[must_use]
    pub fn design_params(&self) -> crate::DesignParams {
        crate::DesignParams {
            design: self.design,
            fidelity: self.fidelity,
            k: self.k,
            release_epsilon: self.epsilon,
            question_epsilon: self.epsilon,
            budget: self.budget,
            blur_epsilon: self.blur_epsilon,
            hash: self.hash,
        }
    }

    /// Parses a query string (with or without a leading `?`), all or nothing.
    ///
    /// # Errors
    /// Every bad, unknown or repeated parameter, each as a [`FieldError`].
    pub fn from_query(query: &str) -> Result<Self, Vec<FieldError>> {
        let (state, errors) = Self::from_query_lenient(query);
        if errors.is_empty() {
            Ok(state)
        } else {
            Err(errors)
        }
    }

    /// Parses a query string, keeping the default for each bad field and reporting it.
    ///
    /// Unknown and repeated parameters are reported too; an unknown one changes nothing.
    #[must_use]
    pub fn from_query_lenient(query: &str) -> (Self, Vec<FieldError>) {
        let query = query.strip_prefix('?').unwrap_or(query);
        let mut state = Self::default();
        let mut errors = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let (mut lat, mut lng) = (None, None);
        let mut step_given = false;
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let (key, value) = (key.as_ref(), value.as_ref());
            if seen.iter().any(|k| k == key) {
                errors.push(bad_kind(key, value, "given more than once; give it once", Problem::Repeated));
                continue;
            }
            seen.push(key.to_owned());
            match state.apply(key, value, &mut lat, &mut lng) {
                Ok(()) if key == "step" => step_given = true,
                Ok(()) => {}
                Err(e) => errors.push(e),
            }
        }
        // A link to a story step opens the story unless it names another mode.
        if step_given && !seen.iter().any(|k| k == "mode") {
            state.mode = Mode::Story;
        }
        // The position is checked as a whole: within MAX_OFFSET_M of the centre.
        let at = LatLng::new(lat.unwrap_or(state.at.lat), lng.unwrap_or(state.at.lng));
        if in_city_bounds(at) {
            state.at = at;
        } else {
            let field = if lat.is_some() { "lat" } else { "lng" };
            let value = if lat.is_some() { at.lat } else { at.lng }.to_string();
            errors.push(bad_kind(field, &value, outside_city(at), Problem::OutsideCity));
        }
        (state, errors)
    }

    /// A copy of the state with one parameter changed, as a form field would change it.
    ///
    /// # Errors
    /// A [`FieldError`] naming the parameter if the value is not accepted.
    pub fn with(&self, key: &str, value: &str) -> Result<Self, FieldError> {
        let mut next = self.clone();
        let (mut lat, mut lng) = (None, None);
        next.apply(key, value, &mut lat, &mut lng)?;
        if lat.is_some() || lng.is_some() {
            let at = LatLng::new(lat.unwrap_or(self.at.lat), lng.unwrap_or(self.at.lng));
            if !in_city_bounds(at) {
                return Err(bad_kind(key, value, outside_city(at), Problem::OutsideCity));
            }
            next.at = at;
        }
        Ok(next)
    }

    fn apply(&mut self, key: &str, v: &str, lat: &mut Option<f64>, lng: &mut Option<f64>) -> Result<(), FieldError> {
        let Some(param) = Param::from_key(key) else {
            return Err(bad_kind(key, v, format!("unknown parameter; known ones are {}", known_keys().join(", ")), Problem::Unknown));
        };
        match param {
            Param::Seed => {
                self.city.seed = v.trim().parse().map_err(|_| bad(key, v, "not a whole number from 0 to 18446744073709551615"))?;
            }
            Param::People => {
                self.city.people = parse_u32(key, v, MIN_PEOPLE, MAX_PEOPLE, "choose 1000 to 11000000 people")?;
            }
            Param::Listed => {
                self.city.listed_rate = parse_f64(key, v, 0.0, MAX_LISTED_RATE, "the share listed, from 0 to 0.2 (0.01 is 1 %)")?;
            }
            Param::Lat => *lat = Some(parse_f64(key, v, -90.0, 90.0, "a latitude in degrees")?),
            Param::Lng => *lng = Some(parse_f64(key, v, -180.0, 180.0, "a longitude in degrees")?),
            Param::Radius => {
                self.radius_m =
                    parse_f64(key, v, MIN_RADIUS_M, MAX_RADIUS_M, &format!("a radius from {MIN_RADIUS_M} to {MAX_RADIUS_M} metres"))?;
            }
            Param::Fidelity => {
                self.fidelity = Fidelity::from_slug(v).ok_or_else(|| bad(key, v, "choose reported, distance or pins"))?;
            }
            Param::Design => {
                self.design = DesignKind::from_slug(v)
                    .filter(|d| *d != DesignKind::Exposed)
                    .ok_or_else(|| bad(key, v, "choose aggregate, dp, dp-session, blur or psi"))?;
            }
            Param::K => {
                let (lo, hi) = (*ranges::K.start(), *ranges::K.end());
                self.k = parse_u32(key, v, lo, hi, &format!("a threshold from {lo} to {hi}"))?;
            }
            Param::Epsilon => {
                self.epsilon = parse_epsilon(key, v)?;
            }
            Param::Budget => {
                self.budget = parse_epsilon(key, v)?;
            }
            Param::Blur => {
                let (lo, hi) = (*ranges::BLUR_EPSILON.start(), *ranges::BLUR_EPSILON.end());
                self.blur_epsilon = parse_f64(key, v, lo, hi, &format!("ε per metre from {lo} to {hi} (0.004 blurs about 500 m)"))?;
            }
            Param::Hash => self.hash = CellHash::from_slug(v).ok_or_else(|| bad(key, v, "choose keyed or plain"))?,
            Param::Debtor => {
                self.debtor = Some(v.trim().parse().map_err(|_| bad(key, v, "a person id, a whole number"))?);
            }
            Param::Lang => self.lang = Lang::from_slug(v.trim()).ok_or_else(|| bad(key, v, "choose en or zh"))?,
            Param::Mode => {
                self.mode = Mode::from_slug(v.trim()).ok_or_else(|| bad(key, v, "choose explore, story, exercise or teacher"))?;
            }
            Param::Step => {
                let n = parse_u32(key, v, 1, u32::from(StoryStep::LAST.get()), "a story step from 1 to 10")?;
                self.step = u8::try_from(n).ok().and_then(StoryStep::new).ok_or_else(|| bad(key, v, "a story step from 1 to 10"))?;
            }
            Param::Exercise => {
                let n = parse_u32(key, v, 1, u32::from(ExerciseNo::LAST.get()), "an exercise from 1 to 5")?;
                self.exercise = u8::try_from(n).ok().and_then(ExerciseNo::new).ok_or_else(|| bad(key, v, "an exercise from 1 to 5"))?;
            }
            Param::Embed => self.embed = parse_flag(key, v)?,
            Param::Presenter => self.presenter = parse_flag(key, v)?,
        }
        Ok(())
    }

    /// Writes the state as a query string (without `?`): seed and position always, the rest
    /// only where it differs from the default.
    #[must_use]
    pub fn to_query(&self) -> String {
        let d = Self::default();
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair(Param::Seed.key(), &self.city.seed.to_string());
        if self.city.people != d.city.people {
            out.append_pair(Param::People.key(), &self.city.people.to_string());
        }
        if self.city.listed_rate.to_bits() != d.city.listed_rate.to_bits() {
            out.append_pair(Param::Listed.key(), &self.city.listed_rate.to_string());
        }
        out.append_pair(Param::Lat.key(), &self.at.lat.to_string());
        out.append_pair(Param::Lng.key(), &self.at.lng.to_string());
        if self.radius_m.to_bits() != d.radius_m.to_bits() {
            out.append_pair(Param::Radius.key(), &self.radius_m.to_string());
        }
        if self.fidelity != d.fidelity {
            out.append_pair(Param::Fidelity.key(), self.fidelity.slug());
        }
        if self.design != d.design {
            out.append_pair(Param::Design.key(), self.design.slug());
        }
        if self.k != d.k {
            out.append_pair(Param::K.key(), &self.k.to_string());
        }
        if self.epsilon != d.epsilon {
            out.append_pair(Param::Epsilon.key(), &self.epsilon.as_f64().to_string());
        }
        if self.budget != d.budget {
            out.append_pair(Param::Budget.key(), &self.budget.as_f64().to_string());
        }
        if self.blur_epsilon.to_bits() != d.blur_epsilon.to_bits() {
            out.append_pair(Param::Blur.key(), &self.blur_epsilon.to_string());
        }
        if self.hash != d.hash {
            out.append_pair(Param::Hash.key(), self.hash.slug());
        }
        if let Some(debtor) = self.debtor {
            out.append_pair(Param::Debtor.key(), &debtor.to_string());
        }
        if self.lang != d.lang {
            out.append_pair(Param::Lang.key(), self.lang.slug());
        }
        // A step alone would open the story: name the mode whenever a step is written.
        if self.mode != d.mode || self.step != d.step {
            out.append_pair(Param::Mode.key(), self.mode.slug());
        }
        if self.step != d.step || self.mode == Mode::Story {
            out.append_pair(Param::Step.key(), &self.step.to_string());
        }
        if self.exercise != d.exercise || self.mode == Mode::Exercise {
            out.append_pair(Param::Exercise.key(), &self.exercise.to_string());
        }
        if self.embed {
            out.append_pair(Param::Embed.key(), "1");
        }
        if self.presenter {
            out.append_pair(Param::Presenter.key(), "1");
        }
        out.finish()
    }
}

fn parse_flag(key: &str, v: &str) -> Result<bool, FieldError> {
    match v.trim() {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        _ => Err(bad(key, v, "1 to turn on or 0 to turn off")),
    }
}

fn parse_epsilon(key: &str, v: &str) -> Result<Epsilon, FieldError> {
    let (lo, hi) = (*ranges::EPSILON.start(), *ranges::EPSILON.end());
    let what = format!("ε from {lo} to {hi}");
    let x = parse_f64(key, v, lo, hi, &what)?;
    Epsilon::from_f64(x).ok_or_else(|| bad(key, v, format!("out of range; {what}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip() {
        let s = AppState::default();
        assert_eq!(AppState::from_query(&s.to_query()), Ok(s));
        assert_eq!(AppState::from_query(""), Ok(AppState::default()));
    }

    #[test]
    fn errors_name_the_field_and_keep_the_rest() {
        let (s, errors) = AppState::from_query_lenient("?seed=9&people=12x&r=99999&design=psi&fidelity=gps&utm_source=x");
        assert_eq!(s.city.seed, 9);
        assert_eq!(s.design, DesignKind::PrivateProximity);
        assert_eq!(s.city.people, AppState::default().city.people);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["people", "r", "fidelity", "utm_source"]);
        assert!(errors[1].to_string().contains("50 to 5000"));
    }

    #[test]
    fn positions_outside_the_city_are_refused() {
        let (s, errors) = AppState::from_query_lenient("lat=40.0&lng=116.4");
        assert_eq!(s.at, CITY_CENTRE);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].problem.contains("outside the synthetic city"));
    }

    #[test]
    fn page_parameters_round_trip_and_a_step_opens_the_story() {
        let s = AppState::from_query("step=4&lang=zh&embed=1").unwrap();
        assert_eq!((s.mode, s.step, s.lang, s.embed, s.presenter), (Mode::Story, StoryStep::new(4).unwrap(), Lang::Zh, true, false));
        assert_eq!(AppState::from_query(&s.to_query()), Ok(s));
        let s = AppState::from_query("mode=exercise&ex=3&step=2&presenter=1").unwrap();
        assert_eq!(
            (s.mode, s.exercise, s.step, s.presenter),
            (Mode::Exercise, ExerciseNo::new(3).unwrap(), StoryStep::new(2).unwrap(), true)
        );
        assert_eq!(AppState::from_query(&s.to_query()), Ok(s));
        let errors = AppState::from_query("step=11&ex=0&lang=fr&embed=yes&mode=quiz").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["step", "ex", "lang", "embed", "mode"]);
        assert!(errors.iter().all(|e| e.kind == Problem::Invalid));
        assert_eq!(AppState::from_query("nope=1").unwrap_err()[0].kind, Problem::Unknown);
    }

    #[test]
    fn repeated_and_encoded_parameters() {
        let errors = AppState::from_query("seed=1&seed=2").unwrap_err();
        assert!(errors[0].problem.contains("more than once"));
        let s = AppState::from_query("eps=%30.5&hash=plain").unwrap();
        assert_eq!(s.epsilon.micros(), 500_000);
    }
}

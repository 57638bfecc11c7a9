//! What an attacker may ask: one design, answering positions as that design answers them.
//!
//! A [`Probe`] holds the city only to let the design answer; attackers receive [`Reply`] values
//! and nothing else. Replies carry what the design's answer carries, reduced to the parts an
//! attacker uses: the deployed map's entries by their "report" handle (and distance or home where
//! the fidelity shows them), a count, or per-cell counts.

use crate::city::City;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::designs::{Aggregate, BlurredQuery, DesignKind, DpCount, DpRelease, Epsilon, Fidelity, Query, BLUR_WINDOW_S};
use crate::geo::{LatLng, RadiusTest};
use crate::index::cell_centre;

/// One entry of the deployed map as an attacker records it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sighting {
    /// The entry's handle (the person id the "report" button sends).
    pub person: u32,
    /// Distance, where the fidelity shows it.
    pub distance_m: Option<f64>,
    /// Home, where the fidelity shows it.
    pub home: Option<LatLng>,
}

/// One entry of the deployed map's list as the lab's askers read it, at a fidelity.
fn sighting(person: u32, home: LatLng, at: LatLng, fidelity: Fidelity) -> Sighting {
    Sighting {
        person,
        distance_m: (fidelity != Fidelity::Reported).then(|| at.distance_m(home)),
        home: (fidelity == Fidelity::Pins).then_some(home),
    }
}

/// What the deployed map displayed about one person: the fields the linkage attacker joins on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Displayed {
    /// Full name in Chinese.
    pub name_zh: String,
    /// The home's compound.
    pub compound: u16,
    /// The home's building in the compound (the unit and the room are masked).
    pub building: u8,
}

/// One released cell as an attacker sees it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellReply {
    /// The H3 cell.
    pub cell: u64,
    /// Its centre.
    pub centre: LatLng,
    /// Its released count (noisy for the DP release; never a suppressed one).
    pub count: f64,
    /// Share of the cell inside the question's circle.
    pub overlap: f64,
}

/// A design's answer as an attacker sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The deployed map's list.
    Listed(Vec<Sighting>),
    /// A count (noisy for the per-question DP count, around a moved position for the blurred one).
    Count(f64),
    /// Released per-cell counts (aggregate table, DP release) for the cells the circle touches.
    Cells(Vec<CellReply>),
    /// The design refused (privacy budget spent).
    Refused,
}

/// The design an attack runs against, with the state it keeps between questions.
#[derive(Debug, Clone)]
pub enum AttackedDesign {
    /// The deployed map at a fidelity.
    Exposed(Fidelity),
    /// Aggregate counts with threshold k.
    Aggregate(Aggregate),
    /// The DP release, published once.
    DpRelease(DpRelease),
    /// Per-question DP count: ε per question, budget per session, and whether its cache and
    /// budget are on.
    DpSession {
        /// ε per question.
        epsilon: Epsilon,
        /// Budget per session.
        budget: Epsilon,
        /// Cache and budget on (the design as specified) or off (to show what they prevent).
        protected: bool,
    },
    /// Blurred position with ε per metre; `protected` keeps one fake position per window.
    Blur {
        /// ε per metre.
        epsilon_per_m: f64,
        /// Whether one fake position is kept per time window (Location Guard's cache).
        protected: bool,
    },
}

impl AttackedDesign {
    /// The design's kind.
    #[must_use]
    pub fn kind(&self) -> DesignKind {
        match self {
            Self::Exposed(_) => DesignKind::Exposed,
            Self::Aggregate(_) => DesignKind::Aggregate,
            Self::DpRelease(_) => DesignKind::DpRelease,
            Self::DpSession { .. } => DesignKind::DpSession,
            Self::Blur { .. } => DesignKind::Blur,
        }
    }

    /// The total ε per person the design states, where it states one: the release's total.
    #[must_use]
    pub fn epsilon_per_person(&self) -> Option<f64> {
        match self {
            Self::DpRelease(r) => r.epsilon_total().map(Epsilon::as_f64),
            _ => None,
        }
    }
}

/// Seconds of the simulated clock each question takes.
const SECONDS_PER_QUESTION: u64 = 1;

/// A session of questions to one design, counting queries, sessions, ε and simulated time.
///
/// The probe also plays the design's operator: it draws each new session's noise secret from
/// its own stream, which attackers cannot read.
pub struct Probe<'a> {
    city: &'a City,
    target: &'a AttackedDesign,
    radius_m: f64,
    dp: Option<DpCount>,
    blur: Option<BlurredQuery>,
    /// The simulated operator's (or device's) secret stream: one secret per session.
    operator: ChaCha8Rng,
    sessions: u32,
    now_s: u64,
    queries: u32,
    spent_micros: u64,
    /// Sum of |answer − truth| and the number of count answers, for the utility metric.
    count_error: (f64, u32),
    /// People the deployed map has shown in this session, when remembered.
    shown: Option<rustc_hash::FxHashSet<u32>>,
    /// Every position asked about, in order, for drawing.
    asked: Vec<LatLng>,
    /// Circles that spent ε (centre, radius, ε in millionths), for the scorer's ε per person.
    charged: Vec<(LatLng, f64, u64)>,
}

impl<'a> Probe<'a> {
    /// A fresh session (a new account, from the design's point of view); `operator_seed` seeds
    /// the simulated operator's secrets.
    #[must_use]
    pub fn new(city: &'a City, target: &'a AttackedDesign, radius_m: f64, operator_seed: u64) -> Self {
        let mut probe = Self {
            city,
            target,
            radius_m,
            dp: None,
            blur: None,
            operator: ChaCha8Rng::seed_from_u64(operator_seed),
            sessions: 0,
            now_s: 0,
            queries: 0,
            spent_micros: 0,
            count_error: (0.0, 0),
            shown: None,
            asked: Vec::new(),
            charged: Vec::new(),
        };
        probe.new_session();
        probe
    }

    /// Opens a new session with the design (a new account, a reload, another process): a fresh
    /// budget and fresh noise. Designs without sessions (the deployed map, the aggregate table and
    /// the DP release) answer exactly as before.
    pub fn new_session(&mut self) {
        self.sessions += 1;
        self.reseed();
    }

    /// Fresh noise and a fresh budget from the operator's next secret, without counting a
    /// session (the unprotected per-question design draws afresh for every question).
    fn reseed(&mut self) {
        let secret: u64 = self.operator.random();
        match self.target {
            AttackedDesign::DpSession { epsilon, budget, protected } => {
                let budget = if *protected { *budget } else { Epsilon::from_micros(u64::MAX / 4) };
                self.dp = Some(DpCount::new(*epsilon, budget, secret));
            }
            AttackedDesign::Blur { epsilon_per_m, protected } => {
                self.blur = Some(if *protected {
                    BlurredQuery::new(*epsilon_per_m, secret)
                } else {
                    BlurredQuery::without_cache(*epsilon_per_m, secret)
                });
            }
            _ => {}
        }
    }

    /// Waits until the next time window of the simulated clock begins (the blurred design draws
    /// a new fake position per window).
    pub fn next_window(&mut self) {
        self.now_s = (self.now_s / BLUR_WINDOW_S + 1) * BLUR_WINDOW_S;
    }

    /// The design's public description: its kind and, for the per-question DP count, its ε per
    /// question (which the design states).
    #[must_use]
    pub fn public_epsilon(&self) -> Option<Epsilon> {
        match self.target {
            AttackedDesign::DpSession { epsilon, .. } => Some(*epsilon),
            _ => None,
        }
    }

    /// The design's kind (public).
    #[must_use]
    pub fn design(&self) -> DesignKind {
        self.target.kind()
    }

    /// The default question radius.
    #[must_use]
    pub fn radius_m(&self) -> f64 {
        self.radius_m
    }

    /// Sessions opened so far (at least 1).
    #[must_use]
    pub fn sessions(&self) -> u32 {
        self.sessions
    }

    /// Simulated seconds elapsed.
    #[must_use]
    pub fn elapsed_s(&self) -> u64 {
        self.now_s
    }

    /// Remembers who the deployed map shows, so that [`Probe::displayed`] can give back what it
    /// displayed about them.
    pub fn remember_sightings(&mut self) {
        self.shown.get_or_insert_with(Default::default);
    }

    /// What the deployed map displayed about a person it has shown in this session (with
    /// [`Probe::remember_sightings`] on); `None` for anyone it has not shown.
    #[must_use]
    pub fn displayed(&self, person: u32) -> Option<Displayed> {
        if !self.shown.as_ref()?.contains(&person) {
            return None;
        }
        let p = self.city.person(person)?;
        Some(Displayed { name_zh: p.name.zh, compound: p.address.compound, building: p.address.building })
    }

    /// Questions asked so far.
    #[must_use]
    pub fn queries(&self) -> u32 {
        self.queries
    }

    /// ε spent so far, in millionths.
    #[must_use]
    pub fn spent_micros(&self) -> u64 {
        self.spent_micros
    }

    /// Sum of absolute count errors and how many count answers it covers.
    #[must_use]
    pub fn count_error(&self) -> (f64, u32) {
        self.count_error
    }

    /// The positions asked about so far, in order.
    #[must_use]
    pub fn asked(&self) -> &[LatLng] {
        &self.asked
    }

    /// For the scorer: ε spent by the questions whose circle contains `home` (the privacy loss of
    /// a person living there, by sequential composition), plus the design's stated total ε per
    /// person where it has one.
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn epsilon_on(&self, home: LatLng) -> f64 {
        let spent: u64 = self.charged.iter().filter(|(c, r, _)| c.distance_m(home) <= *r).map(|(_, _, e)| e).sum();
        spent as f64 / 1e6 + self.target.epsilon_per_person().unwrap_or(0.0)
    }

    /// Asks the design about a position, with the lab's radius.
    pub fn ask(&mut self, at: LatLng) -> Reply {
        self.ask_within(at, self.radius_m)
    }

    /// Asks the design about a position, for an asker who reads one person's entry only (the
    /// oracle looking for its target): the same question, counted and timed the same way, and
    /// the same reply except that a list is narrowed to that person's entry (empty where the
    /// list does not show them). The deployed map's list near a city centre names hundreds of
    /// people, so this spares building entries no one reads.
    pub fn ask_about(&mut self, at: LatLng, person: u32) -> Reply {
        match self.target {
            AttackedDesign::Exposed(fidelity) if self.shown.is_none() => {
                let radius_m = self.radius_m.clamp(*crate::designs::ranges::RADIUS_M.start(), *crate::designs::ranges::RADIUS_M.end());
                self.queries += 1;
                self.now_s += SECONDS_PER_QUESTION;
                self.asked.push(at);
                // The list holds exactly the listed people whose home passes the radius test
                // (the index answers as brute force does).
                let shown = self.city.listed_home(person).filter(|home| RadiusTest::new(at, radius_m).contains(home.lat, home.lng));
                Reply::Listed(shown.map(|home| sighting(person, home, at, *fidelity)).into_iter().collect())
            }
            _ => self.ask(at),
        }
    }

    /// Asks the design about a position with a radius of the asker's choice (the app and the CLI
    /// accept 50 to 5 000 m; smaller radii are raised to 50 m).
    pub fn ask_within(&mut self, at: LatLng, radius_m: f64) -> Reply {
        let radius_m = radius_m.clamp(*crate::designs::ranges::RADIUS_M.start(), *crate::designs::ranges::RADIUS_M.end());
        self.queries += 1;
        self.now_s += SECONDS_PER_QUESTION;
        self.asked.push(at);
        let query = Query { at, radius_m };
        match self.target {
            AttackedDesign::Exposed(fidelity) => {
                let ids = self.city.listed_within(at, radius_m);
                if let Some(shown) = self.shown.as_mut() {
                    shown.extend(ids.iter().copied());
                }
                Reply::Listed(ids.into_iter().map(|person| sighting(person, self.city.home(person), at, *fidelity)).collect())
            }
            AttackedDesign::Aggregate(agg) => {
                let a = agg.answer(query);
                self.record_count(a.estimate, query);
                Reply::Cells(
                    a.cells
                        .iter()
                        .filter_map(|c| {
                            c.count.map(|n| CellReply {
                                cell: c.cell,
                                centre: cell_centre(c.cell),
                                count: f64::from(n),
                                overlap: f64::from(c.overlap_permille) / 1000.0,
                            })
                        })
                        .collect(),
                )
            }
            AttackedDesign::DpRelease(release) => {
                let a = release.answer(query);
                self.record_count(a.estimate, query);
                Reply::Cells(
                    a.cells
                        .iter()
                        .map(|c| CellReply {
                            cell: c.cell,
                            centre: cell_centre(c.cell),
                            #[allow(clippy::cast_precision_loss)]
                            count: c.noisy_count as f64,
                            overlap: f64::from(c.overlap_permille) / 1000.0,
                        })
                        .collect(),
                )
            }
            AttackedDesign::DpSession { protected, .. } => {
                if !*protected {
                    // Without the cache and budget every question draws fresh noise.
                    self.reseed();
                }
                let dp = self.dp.as_mut().unwrap_or_else(|| unreachable!("made in new"));
                match dp.answer(self.city, query) {
                    Ok(a) => {
                        if !a.cached {
                            let e = dp.epsilon().micros();
                            self.spent_micros += e;
                            self.charged.push((at, radius_m, e));
                        }
                        #[allow(clippy::cast_precision_loss)]
                        let v = a.noisy_count as f64;
                        self.record_count(v, query);
                        Reply::Count(v)
                    }
                    Err(_) => Reply::Refused,
                }
            }
            AttackedDesign::Blur { .. } => {
                let blur = self.blur.as_mut().unwrap_or_else(|| unreachable!("made in new"));
                let v = f64::from(blur.answer(self.city, query, self.now_s).count);
                self.record_count(v, query);
                Reply::Count(v)
            }
        }
    }

    fn record_count(&mut self, answer: f64, query: Query) {
        let truth = f64::from(self.city.listed_count_within(query.at, query.radius_m));
        self.count_error.0 += (answer - truth).abs();
        self.count_error.1 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::city::CityConfig;
    use crate::geo::LocalFrame;

    #[test]
    fn ask_about_is_the_list_narrowed_to_one_person() {
        let city = City::generate(CityConfig { seed: 4, people: 30_000, listed_rate: 0.02 }).unwrap();
        let listed: Vec<(u32, LatLng)> = city.listed_homes().collect();
        for fidelity in [Fidelity::Reported, Fidelity::Distance, Fidelity::Pins] {
            let target = AttackedDesign::Exposed(fidelity);
            let (mut whole, mut narrow) = (Probe::new(&city, &target, 500.0, 1), Probe::new(&city, &target, 500.0, 1));
            let (mut shown, mut hidden) = (0, 0);
            for (i, &(person, home)) in listed.iter().enumerate().take(200) {
                // Positions from on the home to well outside the circle, and a person not listed.
                let at = LocalFrame::new(home).to_latlng(f64::from(i as u32 % 9) * 80.0, 30.0);
                let asked = if i % 10 == 0 { person + 1 } else { person };
                let Reply::Listed(all) = whole.ask(at) else { panic!("the deployed map lists") };
                let expected: Vec<Sighting> = all.into_iter().filter(|s| s.person == asked).collect();
                let got = narrow.ask_about(at, asked);
                assert_eq!(got, Reply::Listed(expected.clone()), "{fidelity:?}, person {asked}");
                if expected.is_empty() {
                    hidden += 1;
                } else {
                    shown += 1;
                }
            }
            assert!(shown > 20 && hidden > 20, "{shown} shown, {hidden} not");
            assert_eq!((whole.queries(), whole.elapsed_s(), whole.asked()), (narrow.queries(), narrow.elapsed_s(), narrow.asked()));
        }
        // Remembering sightings (the walker's probe) and the other designs ask the whole question.
        let (exposed, release) = (
            AttackedDesign::Exposed(Fidelity::Reported),
            AttackedDesign::DpRelease(DpRelease::publish(&city, Epsilon::from_micros(1_000_000))),
        );
        for target in [&exposed, &release] {
            let (mut whole, mut narrow) = (Probe::new(&city, target, 500.0, 1), Probe::new(&city, target, 500.0, 1));
            whole.remember_sightings();
            narrow.remember_sightings();
            let (person, home) = listed[3];
            assert_eq!(narrow.ask_about(home, person), whole.ask(home));
            assert_eq!(narrow.displayed(person), whole.displayed(person));
            assert!(whole.displayed(person).is_some() || target.kind() != crate::designs::DesignKind::Exposed);
        }
    }
}

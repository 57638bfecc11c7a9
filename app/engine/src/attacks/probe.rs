//! What an attacker may ask: one design, answering positions as that design answers them.
//!
//! A [`Probe`] holds the city only to let the design answer; attackers receive [`Reply`] values
//! and nothing else. Replies carry what the design's answer carries, reduced to the parts an
//! attacker uses: the deployed map's entries by their "report" handle (and distance or home where
//! the fidelity shows them), a count, or per-cell counts.

use crate::city::City;
use crate::designs::{Aggregate, BlurredQuery, DesignKind, DpCount, Epsilon, Fidelity, Query};
use crate::geo::LatLng;
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

/// What the deployed map displayed about one person: the fields the linkage attacker joins on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Displayed {
    /// Full name in Chinese.
    pub name_zh: String,
    /// District of the home.
    pub district: u8,
    /// Street of the home.
    pub street: u16,
    /// The building number's first digit, the only one shown.
    pub number_first_digit: char,
    /// How many digits the number has (the mask shows one star per hidden digit).
    pub number_digits: usize,
}

/// A design's answer as an attacker sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// The deployed map's list.
    Listed(Vec<Sighting>),
    /// A count (noisy for the DP design, around a moved position for the blurred one).
    Count(f64),
    /// Released per-cell counts: cell centre, count and the share of the cell in the circle.
    Cells(Vec<(LatLng, u32, f64)>),
    /// The design refused (privacy budget spent).
    Refused,
}

/// The design an attack runs against, with the state it keeps between questions.
#[derive(Debug, Clone)]
pub enum Target {
    /// The deployed map at a fidelity.
    Exposed(Fidelity),
    /// Aggregate counts with threshold k.
    Aggregate(Aggregate),
    /// DP count: ε per question, budget, and whether its cache and budget are on.
    Dp {
        /// ε per question.
        epsilon: Epsilon,
        /// Budget per session.
        budget: Epsilon,
        /// Cache and budget on (the design as specified) or off (to show what they prevent).
        protected: bool,
    },
    /// Blurred position with ε per metre; `protected` keeps the remembered fake position.
    Blur {
        /// ε per metre.
        epsilon_per_m: f64,
        /// Whether the blurred position is remembered per true position.
        protected: bool,
    },
}

impl Target {
    /// The design's kind.
    #[must_use]
    pub fn kind(&self) -> DesignKind {
        match self {
            Self::Exposed(_) => DesignKind::Exposed,
            Self::Aggregate(_) => DesignKind::Aggregate,
            Self::Dp { .. } => DesignKind::DpCount,
            Self::Blur { .. } => DesignKind::Blur,
        }
    }
}

/// A session of questions to one design, counting queries and ε.
pub struct Probe<'a> {
    city: &'a City,
    target: &'a Target,
    radius_m: f64,
    dp: Option<DpCount>,
    blur: Option<BlurredQuery>,
    noise_seed: u64,
    queries: u32,
    spent_micros: u64,
    /// Sum of |answer − truth| and the number of count answers, for the utility metric.
    count_error: (f64, u32),
    /// People the deployed map has shown in this session, when remembered.
    shown: Option<rustc_hash::FxHashSet<u32>>,
    /// Every position asked about, in order, for drawing.
    asked: Vec<LatLng>,
}

impl<'a> Probe<'a> {
    /// A fresh session (a new account, from the design's point of view).
    #[must_use]
    pub fn new(city: &'a City, target: &'a Target, radius_m: f64, noise_seed: u64) -> Self {
        let (dp, blur) = match target {
            Target::Dp { epsilon, budget, protected } => {
                let budget = if *protected { *budget } else { Epsilon::from_micros(u64::MAX / 4) };
                (Some(DpCount::new(*epsilon, budget, noise_seed)), None)
            }
            Target::Blur { epsilon_per_m, .. } => (None, Some(BlurredQuery::new(*epsilon_per_m, noise_seed))),
            _ => (None, None),
        };
        Self { city, target, radius_m, dp, blur, noise_seed, queries: 0, spent_micros: 0, count_error: (0.0, 0), shown: None, asked: Vec::new() }
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
        let digits = p.address.number.to_string();
        Some(Displayed {
            name_zh: p.name.zh,
            district: p.address.district,
            street: p.address.street,
            number_first_digit: digits.chars().next().unwrap_or('0'),
            number_digits: digits.len(),
        })
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

    /// Asks the design about a position.
    pub fn ask(&mut self, at: LatLng) -> Reply {
        self.queries += 1;
        self.asked.push(at);
        let query = Query { at, radius_m: self.radius_m };
        let reply = match self.target {
            Target::Exposed(fidelity) => {
                let ids = self.city.listed_within(at, self.radius_m);
                if let Some(shown) = self.shown.as_mut() {
                    shown.extend(ids.iter().copied());
                }
                Reply::Listed(
                    ids.into_iter()
                        .map(|person| {
                            let home = self.city.home(person);
                            Sighting {
                                person,
                                distance_m: (*fidelity != Fidelity::Reported).then(|| at.distance_m(home)),
                                home: (*fidelity == Fidelity::Pins).then_some(home),
                            }
                        })
                        .collect(),
                )
            }
            Target::Aggregate(agg) => {
                let a = agg.answer(query);
                self.record_count(a.estimate, at);
                Reply::Cells(
                    a.cells
                        .iter()
                        .filter_map(|c| c.count.map(|n| (cell_centre(c.cell), n, f64::from(c.overlap_permille) / 1000.0)))
                        .collect(),
                )
            }
            Target::Dp { protected, .. } => {
                let dp = self.dp.as_mut().unwrap_or_else(|| unreachable!("made in new"));
                let answer = if *protected {
                    dp.answer(self.city, query)
                } else {
                    // Without the cache every repeat draws fresh noise: a new session each time,
                    // which is what the cache and the budget exist to prevent.
                    self.noise_seed = self.noise_seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    DpCount::new(dp.epsilon(), Epsilon::from_micros(u64::MAX / 4), self.noise_seed).answer(self.city, query)
                };
                match answer {
                    Ok(a) => {
                        if !a.cached {
                            self.spent_micros += dp.epsilon().micros();
                        }
                        #[allow(clippy::cast_precision_loss)]
                        let v = a.noisy_count as f64;
                        self.record_count(v, at);
                        Reply::Count(v)
                    }
                    Err(_) => Reply::Refused,
                }
            }
            Target::Blur { protected, epsilon_per_m } => {
                let blur = self.blur.as_mut().unwrap_or_else(|| unreachable!("made in new"));
                if !*protected {
                    self.noise_seed = self.noise_seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    *blur = BlurredQuery::new(*epsilon_per_m, self.noise_seed);
                }
                let v = f64::from(blur.answer(self.city, query).count);
                self.record_count(v, at);
                Reply::Count(v)
            }
        };
        reply
    }

    fn record_count(&mut self, answer: f64, at: LatLng) {
        let truth = f64::from(self.city.listed_count_within(at, self.radius_m));
        self.count_error.0 += (answer - truth).abs();
        self.count_error.1 += 1;
    }
}

//! Generation in parts, so that threads or Web Workers can share it and still make one city.
//!
//! A city is always drawn in [`CITY_PARTS`] parts, however many threads draw them. Part `k`
//! takes its own share of the people, draws their households from its own `ChaCha` stream (the
//! seed's stream `k + 1`), moves them into its own share of every unit's flats
//! ([`FlatShare`]), works out their addresses and H3 cells and draws each member's workplace:
//! nothing it does depends on another part. [`City::join`] then sorts every part's households by
//! cell (ties in part order, then in the part's own order) and draws the listings, which follow
//! that order, from the seed's stream 0, after the neighbourhoods. So the city is the same whether one thread
//! draws the parts in turn ([`City::generate`]) or many draw them at once, and in whatever order
//! they finish.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{City, CityConfig, ConfigError, Household, Listing, Reason};
use crate::cells::CellAssigner;
use crate::geo::{LatLng, LocalFrame, CITY_CENTRE};
use crate::identity::CalendarDate;
use crate::index::{CellIndex, INDEX_RESOLUTION};
use crate::layout::{Compounds, FlatPlace, FlatShare, Layout};
use crate::plan::{Address, StreetPlan, CITY_RADIUS_M};

/// How many parts every city is drawn in, whatever the number of threads or workers that draw
/// them (see the module documentation).
pub const CITY_PARTS: u32 = 8;

/// Where a household's part starts in the join's sort key (3 bits for 8 parts, 29 for the index).
const PART_SHIFT: u32 = 29;
const _: () = assert!(CITY_PARTS <= 1 << (32 - PART_SHIFT) && (crate::city::MAX_PEOPLE as u64) < 1 << PART_SHIFT);

/// The tag that begins [`CityPart::to_bytes`].
const PART_TAG: &str = concat!("within500-city-part/postcard/format-1/", env!("CARGO_PKG_VERSION"), "\n");

/// The households of one part of a city, drawn by [`City::generate_part`], to be joined with the
/// others by [`City::join`]. It travels between workers as [`CityPart::to_bytes`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CityPart {
    config: CityConfig,
    part: u32,
    #[serde(with = "super::le")]
    lat: Vec<f64>,
    #[serde(with = "super::le")]
    lng: Vec<f64>,
    size: Vec<u8>,
    address: Vec<Address>,
    #[serde(with = "super::le")]
    cell: Vec<u64>,
    /// Each member's workplace, household by household.
    #[serde(with = "super::le")]
    workplace: Vec<u16>,
    /// The part's share of the city's workplaces, in order.
    workplaces: Vec<LatLng>,
}

impl CityPart {
    /// Which part of its city this is (0 to [`CITY_PARTS`] − 1).
    #[must_use]
    pub fn part(&self) -> u32 {
        self.part
    }

    /// Its households.
    #[must_use]
    pub fn households(&self) -> usize {
        self.size.len()
    }

    /// The part as bytes, to move to another worker.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let out = PART_TAG.as_bytes().to_vec();
        postcard::to_extend(self, out).unwrap_or_else(|e| unreachable!("a part always serialises: {e}"))
    }

    /// Reads a part written by [`CityPart::to_bytes`].
    ///
    /// # Errors
    /// A message when the bytes come from another format or engine version, or are damaged.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let body = bytes
            .strip_prefix(PART_TAG.as_bytes())
            .ok_or_else(|| format!("not a part of a city from this version of the engine ({})", PART_TAG.trim_end()))?;
        let part: Self = postcard::from_bytes(body).map_err(|e| format!("damaged bytes of a part of a city: {e}"))?;
        part.check().map_err(|e| format!("damaged bytes of a part of a city: {e}"))?;
        Ok(part)
    }

    fn check(&self) -> Result<(), String> {
        self.config.validate().map_err(|e| e.to_string())?;
        if self.part >= CITY_PARTS {
            return Err(format!("part {} of {CITY_PARTS}", self.part));
        }
        let n = self.size.len();
        if [self.lat.len(), self.lng.len(), self.address.len(), self.cell.len()].iter().any(|&l| l != n) {
            return Err("its tables differ in length".into());
        }
        if !self.cell.is_sorted() {
            return Err("its households are out of order".into());
        }
        let people: u32 = self.size.iter().map(|&s| u32::from(s)).sum();
        if self.size.contains(&0) || people != part_people(self.config.people, self.part) || self.workplace.len() != people as usize {
            return Err(format!("part {} does not hold its share of the people", self.part));
        }
        if self.workplace.iter().any(|&w| u32::from(w) >= workplace_count(self.config.people)) {
            return Err("a workplace is out of range".into());
        }
        if u32::try_from(self.workplaces.len()).ok() != Some(share_of(workplace_count(self.config.people), self.part)) {
            return Err(format!("part {} does not hold its share of the workplaces", self.part));
        }
        Ok(())
    }
}

/// Part `part`'s share of `total` (people or workplaces): an even split, the remainder spread.
fn share_of(total: u32, part: u32) -> u32 {
    let upto = |k: u32| u32::try_from(u64::from(total) * u64::from(k) / u64::from(CITY_PARTS)).unwrap_or(total);
    upto(part + 1) - upto(part)
}

/// People in part `part` of a city of `people`.
fn part_people(people: u32, part: u32) -> u32 {
    share_of(people, part)
}

/// Workplaces in a city of `people`: one per 200 people (fewer than 65 536).
fn workplace_count(people: u32) -> u32 {
    (people / 200).max(10)
}

/// A neighbourhood: a cluster of homes around a centre.
struct Neighbourhood {
    east: f64,
    north: f64,
    sigma: f64,
}

/// What every part draws from: the plan's buildings and the neighbourhoods with their weights.
pub(super) struct Setting {
    frame: LocalFrame,
    plan: StreetPlan,
    compounds: Compounds,
    hoods: Vec<Neighbourhood>,
    /// `cumulative[i]` is the total weight of neighbourhoods 0..=i.
    cumulative: Vec<u32>,
    /// Stream 0 of the seed, just after the neighbourhoods: what [`City::join`] draws the
    /// listings from.
    rng: ChaCha8Rng,
    /// The cell assigner, kept from part to part: it works out each tile of the city once.
    assigner: CellAssigner,
    /// Flats taken per unit, for the part being drawn.
    taken: Vec<u16>,
}

impl Setting {
    pub(super) fn new(config: CityConfig) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let plan = StreetPlan::new(config.seed);
        let compounds = plan.layout().compounds();
        // Neighbourhoods, denser towards the centre; the first few form a dense old town within
        // 2 km of the centre, as in most Chinese cities.
        let hoods: Vec<Neighbourhood> = (0..(config.people / 2_500).max(12))
            .map(|i| {
                let old_town = i < 4;
                let reach = if old_town { 2_000.0 } else { CITY_RADIUS_M * 0.92 };
                let r = reach * libm::pow(rng.random::<f64>(), 0.75);
                let a = std::f64::consts::TAU * rng.random::<f64>();
                Neighbourhood {
                    east: r * libm::cos(a),
                    north: r * libm::sin(a),
                    sigma: if old_town { 400.0 } else { 120.0 } + 300.0 * rng.random::<f64>(),
                }
            })
            .collect();
        // Draws favour the old town: each of its neighbourhoods is chosen as often as two others
        // (found by binary search: a city of 11 million has 4 400 neighbourhoods).
        let cumulative: Vec<u32> = (0..hoods.len())
            .scan(0, |acc, i| {
                *acc += if i < 4 { 2 } else { 1 };
                Some(*acc)
            })
            .collect();
        Self {
            frame: LocalFrame::new(CITY_CENTRE),
            plan,
            compounds,
            hoods,
            cumulative,
            rng,
            assigner: CellAssigner::new(INDEX_RESOLUTION),
            taken: Vec::new(),
        }
    }

    /// Draws part `part` (below [`CITY_PARTS`]), calling `progress` with the share of it done.
    pub(super) fn draw_part(&mut self, config: CityConfig, part: u32, mut progress: impl FnMut(f64)) -> CityPart {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        rng.set_stream(u64::from(part) + 1);
        let people = part_people(config.people, part);
        let share = u16::try_from(part)
            .ok()
            .and_then(|p| FlatShare::new(p, u16::try_from(CITY_PARTS).unwrap_or(u16::MAX)))
            .unwrap_or(FlatShare::WHOLE);
        let total_weight = self.cumulative.last().copied().unwrap_or(1);
        let pick = |u: u32| -> usize { self.cumulative.partition_point(|&c| c <= u).min(self.hoods.len() - 1) };

        // The part's share of the workplaces, in commercial blocks near neighbourhood centres.
        let layout = self.plan.layout();
        let workplaces: Vec<LatLng> = (0..share_of(workplace_count(config.people), part))
            .map(|_| {
                let h = &self.hoods[rng.random_range(0..self.hoods.len())];
                let (mut e, mut n) = (h.east, h.north);
                // Drawn again until it falls in offices and shops (widening after a few misses).
                for attempt in 0..200 {
                    let (a, b) = normal_pair(&mut rng);
                    let spread = 300.0 * (1.0 + f64::from(attempt) / 10.0);
                    (e, n) = (h.east + a * spread, h.north + b * spread);
                    if e.hypot(n) < CITY_RADIUS_M && layout.is_commercial(e, n) {
                        break;
                    }
                }
                self.frame.to_latlng(e, n)
            })
            .collect();

        // A household drawn at a position moves into a flat of the nearest building of that
        // block with one of the part's flats free (its home is the unit's entrance); drawn where
        // no one lives (a park, offices, the canal) or where the block is full, it is drawn again.
        let mut raw: Vec<(f64, f64, u8, FlatPlace)> = Vec::with_capacity(people as usize * 2 / 5);
        let mut taken = std::mem::take(&mut self.taken);
        taken.clear();
        taken.resize(Layout::unit_slots(), 0);
        let mut placed = 0u32;
        while placed < people {
            let size = household_size(&mut rng).min(people - placed);
            let (east, north, flat) = loop {
                let (e, n) = if rng.random::<f64>() < 0.88 {
                    let h = &self.hoods[pick(rng.random_range(0..total_weight))];
                    let (a, b) = normal_pair(&mut rng);
                    (h.east + a * h.sigma, h.north + b * h.sigma)
                } else {
                    let r = CITY_RADIUS_M * libm::sqrt(rng.random::<f64>());
                    let a = std::f64::consts::TAU * rng.random::<f64>();
                    (r * libm::cos(a), r * libm::sin(a))
                };
                if e.hypot(n) >= CITY_RADIUS_M {
                    continue;
                }
                if let Some((flat, (he, hn))) = self.compounds.move_in(e, n, share, &mut taken) {
                    break (he, hn, flat);
                }
            };
            #[allow(clippy::cast_possible_truncation)] // household sizes are 1 to 6
            raw.push((east, north, size as u8, flat));
            placed += size;
            if placed % 65_536 < size {
                progress(0.5 * f64::from(placed) / f64::from(people));
            }
        }
        self.taken = taken;

        // Cells assigned tile by tile, so that the assigner's tables stay in the cache (a stable
        // sort: the order is the same on every platform). The cells equal h3o's exactly.
        let assigner = &mut self.assigner;
        raw.sort_by_cached_key(|&(e, n, _, _)| assigner.locality(e, n));
        progress(0.6);
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(raw.len());
        for (i, &(east, north, _, _)) in (0u32..).zip(&raw) {
            keyed.push((assigner.cell(self.frame.to_latlng(east, north)).unwrap_or_default(), i));
            if i % 65_536 == 0 {
                #[allow(clippy::cast_precision_loss)]
                progress(0.6 + 0.3 * f64::from(i) / raw.len() as f64);
            }
        }
        // The part's households in cell order (ties in drawing order): the order the join keeps.
        keyed.sort_unstable();
        progress(0.9);
        let workplace_total = workplace_count(config.people);
        let mut out = CityPart {
            config,
            part,
            lat: Vec::with_capacity(raw.len()),
            lng: Vec::with_capacity(raw.len()),
            size: Vec::with_capacity(raw.len()),
            address: Vec::with_capacity(raw.len()),
            cell: Vec::with_capacity(raw.len()),
            workplace: Vec::with_capacity(people as usize),
            workplaces,
        };
        for &(cell, i) in &keyed {
            let (east, north, size, flat) = raw[i as usize];
            let home = self.frame.to_latlng(east, north);
            out.lat.push(home.lat);
            out.lng.push(home.lng);
            out.size.push(size);
            out.address.push(StreetPlan::address_of(flat, east, north));
            out.cell.push(cell);
            #[allow(clippy::cast_possible_truncation)] // fewer than 65 536 workplaces
            out.workplace.extend((0..size).map(|_| rng.random_range(0..workplace_total) as u16));
        }
        progress(1.0);
        out
    }

    /// Joins the parts (all [`CITY_PARTS`] of them, in part order) into the city.
    pub(super) fn join(mut self, config: CityConfig, parts: &[CityPart], mut progress: impl FnMut(f64)) -> City {
        let people = config.people;
        // Households sorted by home cell, ties in part order and then in each part's order (the
        // part in the top bits of the second key: a part holds fewer than 2^29 households).
        let mut keyed: Vec<(u64, u32)> = Vec::with_capacity(parts.iter().map(CityPart::households).sum());
        for (p, part) in (0u32..).zip(parts) {
            keyed.extend((0u32..).zip(&part.cell).map(|(i, &cell)| (cell, p << PART_SHIFT | i)));
        }
        keyed.sort_unstable();
        progress(0.3);

        // Where each household's members start in its part's table of workplaces.
        let starts: Vec<Vec<u32>> = parts
            .iter()
            .map(|part| part.size.iter().scan(0u32, |acc, &s| Some(std::mem::replace(acc, *acc + u32::from(s)))).collect())
            .collect();
        let n = people as usize;
        let mut lat = Vec::with_capacity(keyed.len());
        let mut lng = Vec::with_capacity(keyed.len());
        let mut households = Vec::with_capacity(keyed.len());
        let mut workplace_of: Vec<u16> = Vec::with_capacity(n);
        let mut first = 0u32;
        for &(_, key) in &keyed {
            let (p, i) = (key >> PART_SHIFT, key & ((1 << PART_SHIFT) - 1));
            let (part, i) = (&parts[p as usize], i as usize);
            lat.push(part.lat[i]);
            lng.push(part.lng[i]);
            households.push(Household { first, size: part.size[i], address: part.address[i] });
            first += u32::from(part.size[i]);
            let start = starts[p as usize][i] as usize;
            workplace_of.extend_from_slice(&part.workplace[start..start + usize::from(part.size[i])]);
        }
        drop(starts);
        let cells: Vec<u64> = keyed.iter().map(|h| h.0).collect();
        drop(keyed);
        progress(0.5);

        let rng = &mut self.rng;
        let workplaces: Vec<LatLng> = parts.iter().flat_map(|p| p.workplaces.iter().copied()).collect();
        progress(0.65);

        // Listings: only the first two members of a household, who are adults by construction.
        let adults: u32 = households.iter().map(|h| u32::from(h.size.min(2))).sum();
        let p = (config.listed_rate * f64::from(people) / f64::from(adults.max(1))).min(1.0);
        // In household order, hence in person order: a person's listing is found by binary search.
        let mut listings = Vec::new();
        for household in &households {
            for m in 0..u32::from(household.size.min(2)) {
                if rng.random::<f64>() < p {
                    let person = household.first + m;
                    #[allow(clippy::cast_sign_loss)] // exp is positive
                    let amount = libm::exp(rng.random_range(8.5f64..14.5)) as u32;
                    let year = rng.random_range(2014u16..=2018);
                    listings.push(Listing {
                        person,
                        reason: Reason::ALL[rng.random_range(0..Reason::ALL.len())],
                        court_district: if rng.random::<f64>() < 0.7 { household.address.district } else { rng.random_range(0..8) },
                        case_year: year.saturating_sub(rng.random_range(0..2)),
                        case_serial: rng.random_range(1..4_000),
                        amount_yuan: amount,
                        listed_on: CalendarDate { year, month: rng.random_range(1..=12), day: rng.random_range(1..=28) },
                    });
                }
            }
        }
        progress(0.75);

        let home_index = CellIndex::from_sorted_cells(INDEX_RESOLUTION, &cells);
        progress(0.9);
        let listed = City::index_listed(&listings, |person| {
            let h = super::household_index(&households, person);
            (LatLng::new(lat[h], lng[h]), cells[h])
        });
        drop(cells);
        progress(1.0);
        let Self { frame, plan, .. } = self;
        City { config, frame, plan, lat, lng, workplace_of, households, workplaces, listings, home_index, listed }
    }
}

/// What drawing a city's parts takes, worked out once for all of them (the plan's buildings and
/// the neighbourhoods): a worker that draws several parts, or joins them, keeps one.
pub struct CityDrawer {
    config: CityConfig,
    setting: Setting,
}

impl CityDrawer {
    /// The drawer for a city.
    ///
    /// # Errors
    /// [`ConfigError`] if the configuration is out of range.
    pub fn new(config: CityConfig) -> Result<Self, ConfigError> {
        config.validate()?;
        Ok(Self { config, setting: Setting::new(config) })
    }

    /// The city it draws.
    #[must_use]
    pub fn config(&self) -> CityConfig {
        self.config
    }

    /// Draws part `part` (0 to [`CITY_PARTS`] − 1), calling `progress` with the share of it done.
    ///
    /// # Errors
    /// [`ConfigError::Part`] if there is no such part.
    pub fn draw(&mut self, part: u32, progress: impl FnMut(f64)) -> Result<CityPart, ConfigError> {
        if part >= CITY_PARTS {
            return Err(ConfigError::Part(part));
        }
        Ok(self.setting.draw_part(self.config, part, progress))
    }

    /// Joins the parts of the city, given in any order, calling `progress` with the share done.
    ///
    /// # Errors
    /// A message naming what is wrong when a part is missing, repeated or from another city.
    pub fn join(self, mut parts: Vec<CityPart>, progress: impl FnMut(f64)) -> Result<City, String> {
        let config = self.config;
        for p in &parts {
            if p.config != config {
                return Err(format!("part {} belongs to another city ({:?})", p.part, p.config));
            }
            p.check()?;
        }
        parts.sort_by_key(CityPart::part);
        for k in 0..CITY_PARTS {
            match parts.get(k as usize) {
                Some(p) if p.part == k => {}
                Some(p) if p.part < k => return Err(format!("part {} of the city is there twice", p.part)),
                _ => return Err(format!("part {k} of the city is missing")),
            }
        }
        if parts.len() != CITY_PARTS as usize {
            return Err(format!("{} parts where a city has {CITY_PARTS}", parts.len()));
        }
        Ok(self.setting.join(config, &parts, progress))
    }
}

impl City {
    /// Draws one part of a city (0 to [`CITY_PARTS`] − 1), for [`City::join`]: the parts can be
    /// drawn on different threads or workers, in any order. ([`CityDrawer`] works out what
    /// every part needs once, for a worker that draws several.)
    ///
    /// # Errors
    /// [`ConfigError`] if the configuration or the part is out of range.
    ///
    /// # Example
    /// ```
    /// use within500_engine::{City, CityConfig, CITY_PARTS};
    /// let config = CityConfig { seed: 5, people: 3_000, listed_rate: 0.01 };
    /// let parts: Vec<_> = (0..CITY_PARTS).rev().map(|k| City::generate_part(config, k, |_| {})).collect::<Result<_, _>>()?;
    /// let city = City::join(config, parts, |_| {}).expect("every part");
    /// assert_eq!(city.fingerprint(), City::generate(config)?.fingerprint());
    /// # Ok::<(), within500_engine::ConfigError>(())
    /// ```
    pub fn generate_part(config: CityConfig, part: u32, progress: impl FnMut(f64)) -> Result<CityPart, ConfigError> {
        CityDrawer::new(config)?.draw(part, progress)
    }

    /// Joins the parts of a city, in any order, calling `progress` with the share done.
    ///
    /// # Errors
    /// A message naming what is wrong when a part is missing, repeated or from another city.
    pub fn join(config: CityConfig, parts: Vec<CityPart>, progress: impl FnMut(f64)) -> Result<City, String> {
        CityDrawer::new(config).map_err(|e| e.to_string())?.join(parts, progress)
    }
}

/// Standard normal pair by Box-Muller, with `libm` so results are identical on every platform.
fn normal_pair(rng: &mut ChaCha8Rng) -> (f64, f64) {
    let u1: f64 = 1.0 - rng.random::<f64>(); // (0, 1]
    let u2: f64 = rng.random();
    let r = libm::sqrt(-2.0 * libm::log(u1));
    let t = std::f64::consts::TAU * u2;
    (r * libm::cos(t), r * libm::sin(t))
}

/// Household sizes 1-6 with shares loosely after urban China (many couples and three-person
/// families).
fn household_size(rng: &mut ChaCha8Rng) -> u32 {
    const CUMULATIVE: [f64; 6] = [0.16, 0.44, 0.73, 0.88, 0.96, 1.0];
    let u: f64 = rng.random();
    let i = CUMULATIVE.iter().position(|&c| u < c).unwrap_or(5);
    #[allow(clippy::cast_possible_truncation)]
    let size = i as u32 + 1;
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(people: u32) -> CityConfig {
        CityConfig { seed: 2019, people, listed_rate: 0.01 }
    }

    /// The city drawn in parts on several threads at once, finishing in whatever order, moved
    /// as bytes and joined, is the city one thread draws.
    #[test]
    fn parts_drawn_on_threads_make_the_one_thread_city() {
        for people in [1_000, 40_000] {
            let config = config(people);
            let whole = City::generate(config).unwrap();
            let parts: Vec<CityPart> = std::thread::scope(|s| {
                let handles: Vec<_> =
                    (0..CITY_PARTS).rev().map(|k| s.spawn(move || City::generate_part(config, k, |_| {}).unwrap().to_bytes())).collect();
                handles.into_iter().map(|h| CityPart::from_bytes(&h.join().unwrap()).unwrap()).collect()
            });
            assert_eq!(parts.iter().map(CityPart::households).sum::<usize>(), whole.households().len());
            let joined = City::join(config, parts, |_| {}).unwrap();
            assert_eq!(joined.fingerprint(), whole.fingerprint(), "{people} people");
        }
    }

    #[test]
    fn a_join_names_the_part_that_is_wrong() {
        let config = config(2_000);
        let parts = || (0..CITY_PARTS).map(|k| City::generate_part(config, k, |_| {}).unwrap()).collect::<Vec<_>>();
        let mut missing = parts();
        missing.remove(3);
        assert_eq!(City::join(config, missing, |_| {}).unwrap_err(), "part 3 of the city is missing");
        let mut twice = parts();
        twice[5] = twice[4].clone();
        assert_eq!(City::join(config, twice, |_| {}).unwrap_err(), "part 4 of the city is there twice");
        let other = CityConfig { seed: 1, ..config };
        let mut foreign = parts();
        foreign[0] = City::generate_part(other, 0, |_| {}).unwrap();
        assert!(City::join(config, foreign, |_| {}).unwrap_err().starts_with("part 0 belongs to another city"));
        assert!(matches!(City::generate_part(config, CITY_PARTS, |_| {}), Err(ConfigError::Part(8))));
        let bytes = parts()[2].to_bytes();
        assert!(CityPart::from_bytes(&bytes[..bytes.len() - 9]).unwrap_err().starts_with("damaged bytes"));
        assert!(CityPart::from_bytes(b"a city").unwrap_err().starts_with("not a part of a city"));
    }

    /// The parts split the people evenly.
    #[test]
    fn parts_hold_even_shares() {
        let config = config(80_001);
        let counts: Vec<u32> = (0..CITY_PARTS).map(|k| part_people(config.people, k)).collect();
        assert_eq!(counts.iter().sum::<u32>(), config.people);
        assert!(counts.iter().max().unwrap() - counts.iter().min().unwrap() <= 1);
    }
}

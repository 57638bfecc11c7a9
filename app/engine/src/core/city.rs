//! The synthetic city: people, households, homes, workplaces and listings, from a seed.
//!
//! Generation draws every random number from [`ChaCha8Rng`] streams of the city's seed, in
//! [`CITY_PARTS`] parts that threads or workers may draw at once (see [`generate`]), and every
//! transcendental function comes from `libm`, so a seed gives the same city bit for bit on every
//! platform and however many threads draw it. Per-person details that are only needed for display (name, sex, birth date, ID
//! number) are not stored: they are derived on demand from the seed and the household, from a
//! separate `ChaCha` stream per household. Members of a household share a home, so homes are
//! stored once per household; with a two-byte workplace per person, a city takes about 13 bytes
//! a person (11 000 000 people in about 150 MB).
//!
//! Households are stored sorted by the H3 cell of their home and people by household, so a
//! person's id is their position in that order, a household's members are a run of ids, and a
//! run of households in one cell is a run of ids too: the people index needs no id table.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::geo::{LatLng, LocalFrame, RadiusTest};
use crate::identity::{CalendarDate, IdNumber, Name};
use crate::index::{cell_of, CellIndex, QueryStats, INDEX_RESOLUTION};
use crate::plan::{Address, StreetPlan};

mod generate;
mod le;
pub use generate::{CityDrawer, CityPart, CITY_PARTS};

/// The tag that begins [`City::to_bytes`]: the format and the engine's version.
/// Raise `BYTES_FORMAT` whenever the stored fields change: a cached worker from an older build
/// then gets a clear refusal rather than a city read with the wrong layout.
const BYTES_TAG: &str = concat!("within500-city/postcard/format-4/", env!("CARGO_PKG_VERSION"), "\n");

/// Fewest people a city may have.
pub const MIN_PEOPLE: u32 = 1_000;
/// Most people a city may have (the real city has about 11 million).
pub const MAX_PEOPLE: u32 = 11_000_000;
/// Default population.
pub const DEFAULT_PEOPLE: u32 = 100_000;
/// Default share of people on the blacklist (1 %).
pub const DEFAULT_LISTED_RATE: f64 = 0.01;
/// Largest share of people that may be listed.
pub const MAX_LISTED_RATE: f64 = 0.2;
/// The year the synthetic data describes (the Deadbeat Map launched in January 2019).
pub const REFERENCE_YEAR: u16 = 2019;

/// What a city is generated from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CityConfig {
    /// The seed: same seed and settings, same city.
    pub seed: u64,
    /// Number of people, [`MIN_PEOPLE`] to [`MAX_PEOPLE`].
    pub people: u32,
    /// Share of people listed as debtors, 0 to [`MAX_LISTED_RATE`].
    pub listed_rate: f64,
}

impl Default for CityConfig {
    fn default() -> Self {
        Self { seed: 7, people: DEFAULT_PEOPLE, listed_rate: DEFAULT_LISTED_RATE }
    }
}

/// Why a [`CityConfig`] cannot be generated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// Population outside the supported range.
    #[error("population {0} is out of range: choose {MIN_PEOPLE} to {MAX_PEOPLE} people")]
    People(u32),
    /// Listed rate outside the supported range or not a number.
    #[error("listed rate {0} is out of range: choose a share from 0 to {MAX_LISTED_RATE}")]
    ListedRate(f64),
    /// A part of a city that does not exist.
    #[error("part {0} is out of range: a city is drawn in {CITY_PARTS} parts, 0 to {last}", last = CITY_PARTS - 1)]
    Part(u32),
}

impl CityConfig {
    /// Checks the settings.
    ///
    /// # Errors
    /// [`ConfigError`] naming the field that is out of range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if !(MIN_PEOPLE..=MAX_PEOPLE).contains(&self.people) {
            return Err(ConfigError::People(self.people));
        }
        if !(0.0..=MAX_LISTED_RATE).contains(&self.listed_rate) {
            return Err(ConfigError::ListedRate(self.listed_rate));
        }
        Ok(())
    }
}

/// A household: people sharing one home.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Household {
    /// Id of the first member; members are `first..first + size`.
    pub first: u32,
    /// Number of members, 1 to 6.
    pub size: u8,
    /// The home's address.
    pub address: Address,
}

/// Why a person is on the blacklist (the six grounds of the Supreme People's Court's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Reason {
    /// Able to pay but refused to comply with an effective judgment.
    RefusedToComply,
    /// Obstructed enforcement by false evidence, violence or threats.
    ObstructedEnforcement,
    /// Evaded enforcement by sham litigation or hiding or moving assets.
    EvadedEnforcement,
    /// Broke the duty to report assets.
    FailedToReportAssets,
    /// Broke a spending-restriction order.
    BrokeSpendingRestriction,
    /// Broke a settlement agreement without good reason.
    BrokeSettlement,
}

impl Reason {
    /// The six grounds.
    pub const ALL: &'static [Self] = <Self as strum::VariantArray>::VARIANTS;

    /// Short English description.
    #[must_use]
    pub fn en(self) -> &'static str {
        crate::words::reason(self.key(), false)
    }

    /// The key of its words in `app/locales/{en,zh}/engine.json`.
    #[must_use]
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// Short Chinese description.
    #[must_use]
    pub fn zh(self) -> &'static str {
        crate::words::reason(self.key(), true)
    }
}

/// A blacklist entry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    /// The listed person's id.
    pub person: u32,
    /// Ground for listing.
    pub reason: Reason,
    /// District whose court listed the person.
    pub court_district: u8,
    /// Year the case was filed.
    pub case_year: u16,
    /// Serial number of the case in that court and year.
    pub case_serial: u16,
    /// Amount owed in yuan.
    pub amount_yuan: u32,
    /// Date of listing.
    pub listed_on: CalendarDate,
}

impl Listing {
    /// The case number in the usual form, with a synthetic court code beginning `00`:
    /// `(2017)冀0003执1234号`.
    #[must_use]
    pub fn case_number(&self) -> String {
        format!("({})冀00{:02}执{}号", self.case_year, self.court_district, self.case_serial)
    }

    /// The listing court's name in English.
    #[must_use]
    pub fn court_en(&self) -> String {
        crate::words::court(StreetPlan::districts()[usize::from(self.court_district)].name_en, false)
    }

    /// The listing court's name in Chinese.
    #[must_use]
    pub fn court_zh(&self) -> String {
        crate::words::court(StreetPlan::districts()[usize::from(self.court_district)].name_zh, true)
    }
}

/// Sex, as encoded in the ID number's sequence digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sex {
    /// Odd sequence number.
    Male,
    /// Even sequence number.
    Female,
}

/// Everything the synthetic city knows about one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    /// Id: position in the city's home-cell order.
    pub id: u32,
    /// Name.
    pub name: Name,
    /// Sex.
    pub sex: Sex,
    /// Date of birth.
    pub birth: CalendarDate,
    /// Synthetic ID number.
    pub id_number: IdNumber,
    /// Household id.
    pub household: u32,
    /// Home position.
    pub home: LatLng,
    /// Home address.
    pub address: Address,
    /// Workplace position.
    pub workplace: LatLng,
    /// The blacklist entry, if listed.
    pub listing: Option<Listing>,
}

/// Listed people's homes in their own small index.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ListedIndex {
    lat: Vec<f64>,
    lng: Vec<f64>,
    ids: Vec<u32>,
    index: CellIndex,
}

/// A generated synthetic city. See the module documentation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct City {
    config: CityConfig,
    frame: LocalFrame,
    plan: StreetPlan,
    /// Home latitude of each household, in household order.
    #[serde(with = "le")]
    lat: Vec<f64>,
    /// Home longitude of each household.
    #[serde(with = "le")]
    lng: Vec<f64>,
    /// Workplace of each person (fewer than 65 536 workplaces: one per 200 people).
    #[serde(with = "le")]
    workplace_of: Vec<u16>,
    households: Vec<Household>,
    workplaces: Vec<LatLng>,
    listings: Vec<Listing>,
    home_index: CellIndex,
    listed: ListedIndex,
}

/// One person's details as drawn from the seed, before they are written out.
struct Drawn {
    household: u32,
    surname: usize,
    given: Vec<usize>,
    male: bool,
    age: u16,
    month: u8,
    day: u8,
    seq: u32,
}

impl City {
    /// Generates the city for a configuration.
    ///
    /// # Errors
    /// [`ConfigError`] if the configuration is out of range.
    ///
    /// # Example
    /// ```
    /// use within500_engine::{City, CityConfig};
    /// let city = City::generate(CityConfig { seed: 1, people: 2_000, listed_rate: 0.01 })?;
    /// assert_eq!(city.people(), 2_000);
    /// assert_eq!(City::generate(city.config())?.fingerprint(), city.fingerprint());
    /// # Ok::<(), within500_engine::ConfigError>(())
    /// ```
    pub fn generate(config: CityConfig) -> Result<Self, ConfigError> {
        Self::generate_with_progress(config, |_| {})
    }

    /// Like [`City::generate`], calling `progress` with the share done (0 to 1) as it goes.
    ///
    /// The parts ([`CITY_PARTS`]) are drawn one after the other on this thread, then joined: the
    /// same city as parts drawn on many ([`City::generate_part`], [`City::join`]).
    ///
    /// # Errors
    /// [`ConfigError`] if the configuration is out of range.
    pub fn generate_with_progress(config: CityConfig, mut progress: impl FnMut(f64)) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut setting = generate::Setting::new(config);
        let parts: Vec<CityPart> =
            (0..CITY_PARTS).map(|k| setting.draw_part(config, k, |s| progress(0.8 * (f64::from(k) + s) / f64::from(CITY_PARTS)))).collect();
        Ok(setting.join(config, &parts, |s| progress(0.8 + 0.2 * s)))
    }

    /// The listed people's index; `home` gives a person's home and its cell at
    /// [`INDEX_RESOLUTION`], which the index takes as it is when it uses that resolution.
    fn index_listed(listings: &[Listing], home: impl Fn(u32) -> (LatLng, u64)) -> ListedIndex {
        // Few points per cell keep the grid disk small: coarser cells for fewer listed people.
        let resolution = match listings.len() {
            0..=4_999 => h3o::Resolution::Eight,
            5_000..=49_999 => h3o::Resolution::Nine,
            _ => INDEX_RESOLUTION,
        };
        let mut rows: Vec<(u64, u32, LatLng)> = listings
            .iter()
            .map(|l| {
                let (p, cell) = home(l.person);
                let cell = if resolution == INDEX_RESOLUTION { cell } else { cell_of(p, resolution).unwrap_or_default() };
                (cell, l.person, p)
            })
            .collect();
        rows.sort_unstable_by_key(|r| (r.0, r.1));
        let cells: Vec<u64> = rows.iter().map(|r| r.0).collect();
        ListedIndex {
            lat: rows.iter().map(|r| r.2.lat).collect(),
            lng: rows.iter().map(|r| r.2.lng).collect(),
            ids: rows.iter().map(|r| r.1).collect(),
            index: CellIndex::from_sorted_cells(resolution, &cells),
        }
    }

    /// The configuration the city was generated from.
    #[must_use]
    pub fn config(&self) -> CityConfig {
        self.config
    }

    /// Number of people.
    #[must_use]
    pub fn people(&self) -> u32 {
        self.config.people
    }

    /// The local frame around the city centre (for drawing).
    #[must_use]
    pub fn frame(&self) -> &LocalFrame {
        &self.frame
    }

    /// The street plan.
    #[must_use]
    pub fn plan(&self) -> &StreetPlan {
        &self.plan
    }

    /// All households, in id order.
    #[must_use]
    pub fn households(&self) -> &[Household] {
        &self.households
    }

    /// All blacklist entries, in person order.
    #[must_use]
    pub fn listings(&self) -> &[Listing] {
        &self.listings
    }

    /// The home of a person.
    ///
    /// # Panics
    /// If `id` is not a person of this city.
    #[must_use]
    pub fn home(&self, id: u32) -> LatLng {
        let h = self.household_of(id) as usize;
        LatLng::new(self.lat[h], self.lng[h])
    }

    /// The household id of a person (a binary search over the households).
    ///
    /// # Panics
    /// If `id` is not a person of this city.
    #[must_use]
    pub fn household_of(&self, id: u32) -> u32 {
        assert!(id < self.people(), "person {id} is not in this city of {}", self.people());
        #[allow(clippy::cast_possible_truncation)] // fewer households than people
        let h = household_index(&self.households, id) as u32;
        h
    }

    /// The blacklist entry of a person, if listed (a binary search over the listings).
    #[must_use]
    pub fn listing(&self, id: u32) -> Option<&Listing> {
        self.listings.binary_search_by_key(&id, |l| l.person).ok().map(|i| &self.listings[i])
    }

    /// Whether a person is listed.
    #[must_use]
    pub fn is_listed(&self, id: u32) -> bool {
        self.listing(id).is_some()
    }

    /// Everything about one person, deriving the display details from the seed.
    ///
    /// Returns `None` if `id` is not a person of this city.
    #[must_use]
    pub fn person(&self, id: u32) -> Option<Person> {
        let Drawn { household, surname, given, male, age, month, day, seq } = self.drawn(id)?;
        let h = self.households[household as usize];
        let birth = CalendarDate { year: REFERENCE_YEAR - age, month, day };
        let sequence = seq * 2 + u32::from(male);
        let region = u32::from(h.address.district) * 100 + 1;
        Some(Person {
            id,
            name: Name::from_parts(surname, &given),
            sex: if male { Sex::Male } else { Sex::Female },
            birth,
            id_number: IdNumber::new(region, birth, sequence),
            household,
            home: self.home(id),
            address: h.address,
            workplace: self.workplaces[usize::from(self.workplace_of[id as usize])],
            listing: self.listing(id).copied(),
        })
    }

    /// A person's name alone (what [`City::person`] gives as `name`, without the rest of the
    /// record); `None` if `id` is not a person of this city.
    #[must_use]
    pub fn name(&self, id: u32) -> Option<Name> {
        self.drawn(id).map(|d| Name::from_parts(d.surname, &d.given))
    }

    /// The seeded draws of one person's details, in household order.
    fn drawn(&self, id: u32) -> Option<Drawn> {
        if id >= self.people() {
            return None;
        }
        let household = self.household_of(id);
        let h = self.households[household as usize];
        let member = id - h.first;
        let mut rng = ChaCha8Rng::seed_from_u64(self.config.seed ^ 0x5DEE_CE66_D1CE_4E5B);
        rng.set_stream(u64::from(household) + 1);
        // Draw the household's members in order so each member's details are stable.
        let family_surname = rng.random_range(0..Name::surname_count());
        let head_age: u16 = rng.random_range(24..76);
        let head_male = rng.random::<bool>();
        let mut details = None;
        for m in 0..=member {
            let own_surname = rng.random_range(0..Name::surname_count());
            let given: Vec<usize> = (0..rng.random_range(1..=2)).map(|_| rng.random_range(0..64)).collect();
            let birth_month = rng.random_range(1..=12);
            let birth_day = rng.random_range(1..=28);
            let seq: u32 = rng.random_range(0..500);
            let spouse_gap: i32 = rng.random_range(-4..=4);
            let child_age_gap: u16 = rng.random_range(20..36);
            if m == member {
                let (surname, male, age) = match m {
                    0 => (family_surname, head_male, head_age),
                    1 => {
                        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                        let age = (i32::from(head_age) + spouse_gap).max(20) as u16;
                        (own_surname, !head_male, age)
                    }
                    _ => (family_surname, seq.is_multiple_of(2), head_age.saturating_sub(child_age_gap)),
                };
                details = Some(Drawn { household, surname, given, male, age, month: birth_month, day: birth_day, seq });
            }
        }
        details
    }

    /// Ids of the members of a household.
    ///
    /// # Panics
    /// If `household` is not a household of this city.
    #[must_use]
    pub fn members(&self, household: u32) -> std::ops::Range<u32> {
        let h = self.households[household as usize];
        h.first..h.first + u32::from(h.size)
    }

    /// Ids of everyone whose home lies within `radius_m` metres of `at`, ascending.
    #[must_use]
    pub fn people_within(&self, at: LatLng, radius_m: f64) -> Vec<u32> {
        let mut out = Vec::new();
        self.people_within_stats(at, radius_m, |js| out.extend(js));
        out.sort_unstable();
        out
    }

    /// Visits everyone within the radius as ranges of ids (unordered) and returns the query's
    /// counters; see [`CellIndex::query`].
    pub fn people_within_stats(&self, at: LatLng, radius_m: f64, visit: impl FnMut(std::ops::Range<u32>)) -> QueryStats {
        let test = RadiusTest::new(at, radius_m);
        let mut visit = visit;
        self.home_index.query(&test, radius_m, &self.lat, &self.lng, |hs| visit(self.people_of(hs)))
    }

    /// The ids of the members of a run of households (contiguous by construction).
    fn people_of(&self, households: std::ops::Range<u32>) -> std::ops::Range<u32> {
        if households.is_empty() {
            return 0..0;
        }
        let last = self.households[households.end as usize - 1];
        self.households[households.start as usize].first..last.first + u32::from(last.size)
    }

    /// Visits everyone within the radius by testing every home, as ranges of ids in ascending
    /// order: the reference the index is tested against and the baseline it is timed against.
    pub fn brute_force_within(&self, at: LatLng, radius_m: f64, mut visit: impl FnMut(std::ops::Range<u32>)) {
        let test = RadiusTest::new(at, radius_m);
        crate::index::brute_force(&test, &self.lat, &self.lng, |h| visit(self.people_of(h..h + 1)));
    }

    /// Ids of listed people whose home lies within `radius_m` metres of `at`, ascending.
    #[must_use]
    pub fn listed_within(&self, at: LatLng, radius_m: f64) -> Vec<u32> {
        let test = RadiusTest::new(at, radius_m);
        let mut out = Vec::new();
        let l = &self.listed;
        l.index.query(&test, radius_m, &l.lat, &l.lng, |js| out.extend(js.map(|j| l.ids[j as usize])));
        out.sort_unstable();
        out
    }

    /// A listed person's home, `None` for a person who is not listed.
    #[must_use]
    pub fn listed_home(&self, id: u32) -> Option<LatLng> {
        self.is_listed(id).then(|| self.home(id))
    }

    /// The listed people whose home lies within the radius, with their homes, by id.
    #[must_use]
    pub fn listed_homes_within(&self, at: LatLng, radius_m: f64) -> Vec<(u32, LatLng)> {
        let test = RadiusTest::new(at, radius_m);
        let mut out = Vec::new();
        let l = &self.listed;
        l.index.query(&test, radius_m, &l.lat, &l.lng, |js| {
            out.extend(js.map(|j| (l.ids[j as usize], LatLng::new(l.lat[j as usize], l.lng[j as usize]))));
        });
        out.sort_unstable_by_key(|e| e.0);
        out
    }

    /// Number of listed people whose home lies within the radius.
    #[must_use]
    pub fn listed_count_within(&self, at: LatLng, radius_m: f64) -> u32 {
        let test = RadiusTest::new(at, radius_m);
        let l = &self.listed;
        l.index.query(&test, radius_m, &l.lat, &l.lng, |_| {}).returned
    }

    /// Home latitudes and longitudes of every household, in household order (for baselines).
    /// A household's members are [`City::members`].
    #[must_use]
    pub fn household_coordinates(&self) -> (&[f64], &[f64]) {
        (&self.lat, &self.lng)
    }

    /// Listed people's ids with their homes, in home-cell order.
    pub fn listed_homes(&self) -> impl Iterator<Item = (u32, LatLng)> + '_ {
        let l = &self.listed;
        l.ids.iter().zip(l.lat.iter().zip(&l.lng)).map(|(&id, (&a, &b))| (id, LatLng::new(a, b)))
    }

    /// The index over homes (points are households, in household order).
    #[must_use]
    pub fn home_index(&self) -> &CellIndex {
        &self.home_index
    }

    /// The index over listed people's homes (its own resolution, coarser for fewer people).
    #[must_use]
    pub fn listed_index(&self) -> &CellIndex {
        &self.listed.index
    }

    /// Populated H3 cells at the index resolution with their households (a range of household
    /// ids), in index order.
    pub fn cell_households(&self) -> impl Iterator<Item = (u64, std::ops::Range<u32>)> + '_ {
        self.home_index.cell_runs()
    }

    /// People per H3 cell at the index resolution, for density maps.
    pub fn density(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.home_index.cell_runs().map(|(cell, hs)| (cell, self.people_of(hs).len() as u32))
    }

    /// Bytes the people index and listed index add on top of the home coordinates.
    #[must_use]
    pub fn index_bytes(&self) -> usize {
        let l = &self.listed;
        self.home_index.heap_bytes() + l.index.heap_bytes() + 4 * l.ids.capacity() + 8 * (l.lat.capacity() + l.lng.capacity())
    }

    /// Bytes of all the city's tables, indexes included.
    #[must_use]
    pub fn total_bytes(&self) -> usize {
        8 * (self.lat.capacity() + self.lng.capacity())
            + 2 * self.workplace_of.capacity()
            + std::mem::size_of::<Household>() * self.households.capacity()
            + std::mem::size_of::<LatLng>() * self.workplaces.capacity()
            + std::mem::size_of::<Listing>() * self.listings.capacity()
            + self.index_bytes()
    }

    /// The whole city as bytes ([`postcard`]), so that a Web Worker can generate it and hand it
    /// to the page; [`City::from_bytes`] reads it back. The bytes begin with a tag naming this
    /// format and the engine's version.
    ///
    /// ```
    /// use within500_engine::{City, CityConfig};
    /// let city = City::generate(CityConfig { seed: 3, people: 2_000, listed_rate: 0.01 })?;
    /// let copy = City::from_bytes(&city.to_bytes()).expect("same engine");
    /// assert_eq!(copy.fingerprint(), city.fingerprint());
    /// # Ok::<(), within500_engine::ConfigError>(())
    /// ```
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let out = BYTES_TAG.as_bytes().to_vec();
        // Serialising plain vectors and numbers into memory cannot fail.
        postcard::to_extend(self, out).unwrap_or_else(|e| unreachable!("a city always serialises: {e}"))
    }

    /// Reads a city written by [`City::to_bytes`].
    ///
    /// # Errors
    /// A message when the bytes come from another format or engine version, or are damaged.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        let body =
            bytes.strip_prefix(BYTES_TAG.as_bytes()).ok_or_else(|| format!("not a city from this version of the engine ({BYTES_TAG})"))?;
        let city: Self = postcard::from_bytes(body).map_err(|e| format!("damaged city bytes: {e}"))?;
        city.config.validate().map_err(|e| format!("damaged city bytes: {e}"))?;
        city.check_tables().map_err(|e| format!("damaged city bytes: {e}"))?;
        Ok(city)
    }

    /// Checks that the tables fit together, so that a city read from bytes cannot index out of
    /// bounds later: one home per household, households covering every id in order, workplaces
    /// and listings in range, and both indexes covering exactly their points.
    fn check_tables(&self) -> Result<(), &'static str> {
        let households = self.households.len();
        if self.lat.len() != households || self.lng.len() != households {
            return Err("homes and households differ in number");
        }
        let mut next = 0u32;
        for h in &self.households {
            if h.first != next || h.size == 0 {
                return Err("households do not follow each other");
            }
            next = next.checked_add(u32::from(h.size)).ok_or("too many people")?;
        }
        if next != self.people() || self.workplace_of.len() != self.people() as usize {
            return Err("the households do not hold the city's population");
        }
        if self.workplace_of.iter().any(|&w| usize::from(w) >= self.workplaces.len()) {
            return Err("a workplace is out of range");
        }
        let districts = StreetPlan::districts().len();
        if !self.listings.windows(2).all(|w| w[0].person < w[1].person)
            || self.listings.last().is_some_and(|l| l.person >= self.people())
            || self.listings.iter().any(|l| usize::from(l.court_district) >= districts)
        {
            return Err("the listings are out of order or out of range");
        }
        let l = &self.listed;
        if l.lat.len() != l.ids.len() || l.lng.len() != l.ids.len() || l.ids.iter().any(|&id| id >= self.people()) {
            return Err("the listed index does not fit the city");
        }
        if !self.home_index.covers(households) || !l.index.covers(l.ids.len()) {
            return Err("an index does not cover its points");
        }
        Ok(())
    }

    /// A SHA-256 digest of every stored field, for determinism checks across runs and platforms.
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for v in self.lat.iter().chain(&self.lng) {
            h.update(v.to_le_bytes());
        }
        for v in &self.workplace_of {
            h.update(v.to_le_bytes());
        }
        for hh in &self.households {
            h.update(hh.first.to_le_bytes());
            let a = hh.address;
            h.update([hh.size, a.district]);
            h.update(a.compound.to_le_bytes());
            h.update([a.building, a.unit, a.floor, a.room]);
        }
        for l in &self.listings {
            h.update(format!("{l:?}").as_bytes());
        }
        for w in &self.workplaces {
            h.update(w.lat.to_le_bytes());
            h.update(w.lng.to_le_bytes());
        }
        h.finalize().iter().fold(String::with_capacity(64), |mut out, b| {
            use std::fmt::Write;
            let _ = write!(out, "{b:02x}");
            out
        })
    }
}

/// The index of the household holding person `id` (households are in id order).
fn household_index(households: &[Household], id: u32) -> usize {
    households.partition_point(|h| h.first <= id).saturating_sub(1)
}

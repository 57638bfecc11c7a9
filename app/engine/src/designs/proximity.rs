//! A private proximity test between two parties (after Narayanan et al., NDSS 2011): a creditor
//! who holds a credential for their own case learns whether a debtor of that case lives in the
//! creditor's neighbourhood (their H3 cell and the six around it), and the court learns that a
//! test happened for that case.
//!
//! The two sides are separate objects, a [`Creditor`] and a [`Court`], that share nothing but
//! the messages they exchange as bytes. With [`CellHash::Keyed`] the exchange is an
//! elliptic-curve Diffie-Hellman private set intersection over ristretto255
//! (`curve25519-dalek`):
//!
//! 1. The creditor hashes each of its seven cells to a point `H(c)`, multiplies it by a secret
//!    scalar `a` drawn for this test, and sends the case, its credential and the seven points
//!    `a·H(c)`.
//! 2. The court checks the credential and the per-case daily limit, draws a fresh scalar `b`,
//!    and replies with the seven points multiplied by `b` (shuffled) and `b·H(d)` for the
//!    debtor's home cell `d`.
//! 3. The creditor computes `a·(b·H(d))` and looks it up among the returned points.
//!
//! The court sees only points blinded by `a`, which it cannot match against its own hash of any
//! cell; the creditor sees `b·H(d)` under a scalar used once, which no dictionary of cells can
//! reverse. A refusal (wrong credential, unknown case, a person with no case, a malformed
//! message) is one fixed byte string, [`REFUSAL`].
//!
//! What a creditor can still do: state any seven cells (the court cannot see that they are
//! neighbours), and blind each with its own scalar to learn which of them matched. The daily
//! limit ([`TESTS_PER_DAY`]) is what bounds that search; the lab's spoofing attacker measures it.
//!
//! With [`CellHash::Plain`] the same messages carry SHA-256 of each cell instead, as designs that
//! "hash" locations do: anyone who hashes every cell of the city reverses them, the court first.
//!
//! ```
//! use within500_engine::{City, CityConfig, CellHash, Court, Creditor};
//! use rand::SeedableRng;
//! let city = City::generate(CityConfig { seed: 7, people: 5_000, listed_rate: 0.01 })?;
//! let listing = city.listings()[0];
//! let mut court = Court::new(&city, CellHash::Keyed, 42);
//! let case = listing.case_number();
//! let creditor = Creditor::at(CellHash::Keyed, &case, court.issue(&case), city.home(listing.person));
//! let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
//! let (request, pending) = creditor.request(&mut rng);
//! let response = court.respond(&request, 0, &mut rng);
//! assert!(pending.finish(&response)?.near); // standing at the debtor's home
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use hmac::{Hmac, Mac};
use rand::seq::SliceRandom;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

use crate::city::City;
use crate::geo::LatLng;

/// The resolution at which cells are compared: H3 resolution 9 (average edge about 201 m, about
/// 350 m across).
pub const PROXIMITY_RESOLUTION: Resolution = Resolution::Nine;

/// Cells in a creditor's neighbourhood: its own and the six around it. A request carries at most
/// this many.
pub const NEIGHBOURHOOD_CELLS: usize = 7;

/// Tests the court answers per case and simulated day.
pub const TESTS_PER_DAY: u32 = 3;

/// A 32-byte token: a compressed ristretto255 point (keyed) or a SHA-256 digest (plain).
pub type Token = [u8; 32];

/// The court's answer to any request it will not answer: a wrong credential, an unknown case, a
/// person who is not listed (who has no case), or a malformed message. Always these bytes.
pub const REFUSAL: &[u8] = b"\x00refused: no test for this case with this credential";

/// The first byte of a request, of an answered reply, and of a reply at the daily limit.
const REQUEST_TAG: u8 = 0x50;
const REPLY_TAG: u8 = 0x01;
const LIMIT_TAG: u8 = 0x02;

/// The domain separation prefix of the hash from cells to points.
const DOMAIN: &[u8] = b"within500/proximity/v1/cell";

/// How cells are turned into tokens.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, strum::VariantArray, strum::IntoStaticStr, strum::EnumString,
)]
#[strum(serialize_all = "kebab-case")]
pub enum CellHash {
    /// Points blinded by secret scalars on both sides (ECDH over ristretto255).
    #[default]
    Keyed,
    /// Plain SHA-256 of the cell index: reversible by trying every cell.
    Plain,
}

impl CellHash {
    /// The name used in URLs and on the command line.
    #[must_use]
    pub fn slug(self) -> &'static str {
        self.into()
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        s.parse().ok()
    }

    fn byte(self) -> u8 {
        match self {
            Self::Keyed => 0,
            Self::Plain => 1,
        }
    }
}

/// The SHA-256 token of a raw cell index (the plain design's token).
#[must_use]
pub fn plain_token(cell: u64) -> Token {
    Sha256::digest(cell.to_le_bytes()).into()
}

/// The point a cell hashes to (SHA-512 of a domain prefix and the cell, mapped to ristretto255).
#[must_use]
pub fn cell_point(cell: u64) -> RistrettoPoint {
    let mut input = DOMAIN.to_vec();
    input.extend_from_slice(&cell.to_le_bytes());
    RistrettoPoint::hash_from_bytes::<Sha512>(&input)
}

/// The compressed point of a cell: what the court could compute for every cell of the city.
#[must_use]
pub fn cell_point_token(cell: u64) -> Token {
    cell_point(cell).compress().to_bytes()
}

/// A secret scalar for one test, from 64 random bytes reduced modulo the group order.
#[must_use]
pub fn draw_scalar(rng: &mut impl RngCore) -> Scalar {
    let mut wide = [0u8; 64];
    loop {
        rng.fill_bytes(&mut wide);
        let s = Scalar::from_bytes_mod_order_wide(&wide);
        if s != Scalar::ZERO {
            return s;
        }
    }
}

/// The resolution-9 cell of a position, if H3 can place it.
#[must_use]
pub fn proximity_cell(at: LatLng) -> Option<u64> {
    H3LatLng::new(at.lat, at.lng).ok().map(|ll| u64::from(ll.to_cell(PROXIMITY_RESOLUTION)))
}

/// A position's neighbourhood: its resolution-9 cell and the six around it (empty outside H3's
/// domain).
#[must_use]
pub fn neighbourhood(at: LatLng) -> Vec<u64> {
    proximity_cell(at)
        .and_then(|c| H3Cell::try_from(c).ok())
        .map(|c| c.grid_disk::<Vec<_>>(1).into_iter().map(u64::from).collect())
        .unwrap_or_default()
}

/// A creditor's credential for one case: an HMAC-SHA-256 tag the court computes over the case
/// number with its own key, and checks on every request.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Credential(pub [u8; 32]);

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credential(…)")
    }
}

impl Credential {
    /// Parses 64 hex digits.
    ///
    /// # Errors
    /// A message naming what is wrong with the text.
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s.len() != 64 {
            return Err(format!("a creditor key is 64 hex digits; this one has {} characters", s.len()));
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&s[2 * i..2 * i + 2], 16)
                .map_err(|_| format!("a creditor key is hex digits 0-9 and a-f; found {:?}", &s[2 * i..2 * i + 2]))?;
        }
        Ok(Self(out))
    }
}

/// Bytes as lower-case hex.
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The answer a creditor reads from the court's reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProximityAnswer {
    /// Whether a debtor of the case lives in one of the creditor's cells.
    pub near: bool,
    /// Which of the creditor's cells matched, for a creditor who blinded each cell with its own
    /// scalar (or used plain tokens); `None` for the honest creditor, who learns only the bit.
    pub matched: Option<usize>,
}

/// Why a test gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
pub enum ProximityError {
    /// The court refused: wrong credential, unknown case, or a malformed message (one reply for
    /// all of them).
    #[error("the court refused: no test for this case with this credential")]
    Refused,
    /// The case has had its tests for the day.
    #[error("this case has had its {per_day} tests today; the next test is possible tomorrow")]
    LimitReached {
        /// Tests per case and day.
        per_day: u32,
    },
    /// The reply could not be read.
    #[error("the court's reply could not be read")]
    Malformed,
}

/// The creditor's side: a case, its credential and the cells it states.
#[derive(Debug, Clone)]
pub struct Creditor {
    hash: CellHash,
    case: String,
    credential: Credential,
    cells: Vec<u64>,
    blind_each: bool,
}

/// What the creditor keeps between its request and the court's reply.
#[derive(Debug)]
pub struct Pending {
    hash: CellHash,
    /// One scalar per stated cell (all equal for the honest creditor).
    blinds: Vec<Scalar>,
    /// What was sent, per cell (plain tokens are compared directly).
    sent: Vec<Token>,
}

impl Creditor {
    /// A creditor standing at `at`: it states its neighbourhood.
    #[must_use]
    pub fn at(hash: CellHash, case: &str, credential: Credential, at: LatLng) -> Self {
        Self::with_cells(hash, case, credential, neighbourhood(at))
    }

    /// A creditor that states any cells (at most [`NEIGHBOURHOOD_CELLS`] are sent): the court
    /// cannot tell them from a neighbourhood.
    #[must_use]
    pub fn with_cells(hash: CellHash, case: &str, credential: Credential, mut cells: Vec<u64>) -> Self {
        cells.truncate(NEIGHBOURHOOD_CELLS);
        Self { hash, case: case.to_owned(), credential, cells, blind_each: false }
    }

    /// Blinds each cell with its own scalar, so the reply tells which cell matched: what a
    /// dishonest creditor's device would do (the court sees no difference).
    #[must_use]
    pub fn blinding_each_cell(mut self) -> Self {
        self.blind_each = true;
        self
    }

    /// The cells this creditor states.
    #[must_use]
    pub fn cells(&self) -> &[u64] {
        &self.cells
    }

    /// The request's bytes, and what the creditor keeps to read the reply.
    pub fn request(&self, rng: &mut impl RngCore) -> (Vec<u8>, Pending) {
        let shared = draw_scalar(rng);
        let mut blinds = Vec::with_capacity(self.cells.len());
        let mut sent = Vec::with_capacity(self.cells.len());
        for &cell in &self.cells {
            match self.hash {
                CellHash::Keyed => {
                    let a = if self.blind_each { draw_scalar(rng) } else { shared };
                    sent.push((cell_point(cell) * a).compress().to_bytes());
                    blinds.push(a);
                }
                CellHash::Plain => sent.push(plain_token(cell)),
            }
        }
        let case = self.case.as_bytes();
        let case_len = u16::try_from(case.len()).unwrap_or(u16::MAX);
        let mut bytes = vec![REQUEST_TAG, self.hash.byte()];
        bytes.extend_from_slice(&case_len.to_le_bytes());
        bytes.extend_from_slice(&case[..usize::from(case_len)]);
        bytes.extend_from_slice(&self.credential.0);
        bytes.push(u8::try_from(sent.len()).unwrap_or(0));
        for t in &sent {
            bytes.extend_from_slice(t);
        }
        (bytes, Pending { hash: self.hash, blinds, sent })
    }
}

impl Pending {
    /// Reads the court's reply.
    ///
    /// # Errors
    /// The refusal, the daily limit, or a reply that cannot be read.
    pub fn finish(&self, reply: &[u8]) -> Result<ProximityAnswer, ProximityError> {
        if reply == REFUSAL {
            return Err(ProximityError::Refused);
        }
        match reply.first() {
            Some(&LIMIT_TAG) => {
                let per_day = reply.get(1..5).and_then(|b| b.try_into().ok()).map_or(TESTS_PER_DAY, u32::from_le_bytes);
                return Err(ProximityError::LimitReached { per_day });
            }
            Some(&REPLY_TAG) => {}
            _ => return Err(ProximityError::Malformed),
        }
        let (returned, debtors) = reply_tokens(reply).ok_or(ProximityError::Malformed)?;
        let mut matched = None;
        let mut near = false;
        for d in &debtors {
            match self.hash {
                CellHash::Plain => {
                    if let Some(i) = self.sent.iter().position(|t| t == d) {
                        near = true;
                        matched = Some(i);
                    }
                }
                CellHash::Keyed => {
                    let point = CompressedRistretto(*d).decompress().ok_or(ProximityError::Malformed)?;
                    let distinct = self.blinds.windows(2).any(|w| w[0] != w[1]);
                    if distinct {
                        for (i, a) in self.blinds.iter().enumerate() {
                            if returned.contains(&(point * a).compress().to_bytes()) {
                                near = true;
                                matched = Some(i);
                            }
                        }
                    } else if let Some(a) = self.blinds.first() {
                        near |= returned.contains(&(point * a).compress().to_bytes());
                    }
                }
            }
        }
        Ok(ProximityAnswer { near, matched })
    }
}

/// A byte reader for replies and requests.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn tokens(&mut self) -> Option<Vec<Token>> {
        let n = usize::from(*self.take(1)?.first()?);
        (0..n).map(|_| self.take(32).and_then(|t| t.try_into().ok())).collect()
    }
}

/// The court's record of tests per case: the last simulated day a case was tested and how many
/// tests it had that day. The CLI keeps it in a file so the limit holds across processes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// Per case number: (day, tests that day).
    pub tests: BTreeMap<String, (u32, u32)>,
}

impl Ledger {
    /// Tests left today for a case.
    #[must_use]
    pub fn left(&self, case: &str, day: u32) -> u32 {
        match self.tests.get(case) {
            Some(&(d, n)) if d == day => TESTS_PER_DAY.saturating_sub(n),
            _ => TESTS_PER_DAY,
        }
    }

    fn count(&mut self, case: &str, day: u32) {
        let entry = self.tests.entry(case.to_owned()).or_insert((day, 0));
        if entry.0 != day {
            *entry = (day, 0);
        }
        entry.1 += 1;
    }
}

/// The court's side: the list's cases and their debtors' home cells, its credential key and its
/// ledger.
#[derive(Clone)]
pub struct Court {
    hash: CellHash,
    key: [u8; 32],
    cases: BTreeMap<String, Vec<u64>>,
    ledger: Ledger,
}

impl std::fmt::Debug for Court {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key never appears in logs.
        f.debug_struct("Court").field("hash", &self.hash).field("cases", &self.cases.len()).finish_non_exhaustive()
    }
}

impl Court {
    /// The court of a city, with a credential key derived from `key_seed` (kept apart from the
    /// city's seed). A case number shared by several listings is one case with several debtors.
    #[must_use]
    pub fn new(city: &City, hash: CellHash, key_seed: u64) -> Self {
        let mut key = [0u8; 32];
        ChaCha8Rng::seed_from_u64(key_seed).fill_bytes(&mut key);
        let mut cases: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        for l in city.listings() {
            if let Some(cell) = proximity_cell(city.home(l.person)) {
                let cells = cases.entry(l.case_number()).or_default();
                if !cells.contains(&cell) {
                    cells.push(cell);
                }
            }
        }
        Self { hash, key, cases, ledger: Ledger::default() }
    }

    /// How tokens are made.
    #[must_use]
    pub fn hash(&self) -> CellHash {
        self.hash
    }

    /// The credential the court gives the creditor of a case. (It can be computed for any text;
    /// a text that names no case is refused at the test, like a wrong credential.)
    #[must_use]
    pub fn issue(&self, case: &str) -> Credential {
        Credential(self.mac(case).finalize().into_bytes().into())
    }

    fn mac(&self, case: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(case.as_bytes());
        mac
    }

    /// The ledger of tests per case.
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Replaces the ledger (the CLI loads it from its file).
    pub fn set_ledger(&mut self, ledger: Ledger) {
        self.ledger = ledger;
    }

    /// Answers a request on a simulated day: the reply's bytes. Counts the test against the case
    /// only when it is answered.
    pub fn respond(&mut self, request: &[u8], day: u32, rng: &mut impl RngCore) -> Vec<u8> {
        self.try_respond(request, day, rng).unwrap_or_else(|| REFUSAL.to_vec())
    }

    fn try_respond(&mut self, request: &[u8], day: u32, rng: &mut impl RngCore) -> Option<Vec<u8>> {
        let mut r = Reader(request);
        let head = r.take(2)?;
        if head != [REQUEST_TAG, self.hash.byte()] {
            return None;
        }
        let len = usize::from(u16::from_le_bytes(r.take(2)?.try_into().ok()?));
        let case = std::str::from_utf8(r.take(len)?).ok()?.to_owned();
        let credential = r.take(32)?;
        let tokens = r.tokens()?;
        if !r.0.is_empty() || tokens.is_empty() || tokens.len() > NEIGHBOURHOOD_CELLS {
            return None;
        }
        // The credential first, in constant time, then the case: the same refusal either way.
        self.mac(&case).verify_slice(credential).ok()?;
        let debtors = self.cases.get(&case)?.clone();
        if self.ledger.left(&case, day) == 0 {
            let mut limit = vec![LIMIT_TAG];
            limit.extend_from_slice(&TESTS_PER_DAY.to_le_bytes());
            return Some(limit);
        }
        let (mut returned, debtor_tokens): (Vec<Token>, Vec<Token>) = match self.hash {
            CellHash::Plain => (Vec::new(), debtors.iter().map(|&c| plain_token(c)).collect()),
            CellHash::Keyed => {
                let b = draw_scalar(rng);
                let points = tokens
                    .iter()
                    .map(|t| CompressedRistretto(*t).decompress().map(|p| (p * b).compress().to_bytes()))
                    .collect::<Option<Vec<_>>>()?;
                (points, debtors.iter().map(|&c| (cell_point(c) * b).compress().to_bytes()).collect())
            }
        };
        let mut shuffler = ChaCha8Rng::seed_from_u64(rng.next_u64());
        returned.shuffle(&mut shuffler);
        self.ledger.count(&case, day);
        let mut reply = vec![REPLY_TAG];
        for set in [&returned, &debtor_tokens] {
            reply.push(u8::try_from(set.len()).unwrap_or(u8::MAX));
            for t in set.iter().take(usize::from(u8::MAX)) {
                reply.extend_from_slice(t);
            }
        }
        Some(reply)
    }
}

/// One test, both sides, as the bytes that passed between them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Exchange {
    /// Creditor to court.
    pub request: Vec<u8>,
    /// Court to creditor.
    pub reply: Vec<u8>,
    /// What the creditor read from the reply.
    pub answer: Result<ProximityAnswer, ProximityError>,
}

/// Runs one test between a creditor and the court on a simulated day.
pub fn exchange(court: &mut Court, creditor: &Creditor, day: u32, rng: &mut impl RngCore) -> Exchange {
    let (request, pending) = creditor.request(rng);
    let reply = court.respond(&request, day, rng);
    let answer = pending.finish(&reply);
    Exchange { request, reply, answer }
}

/// The 32-byte windows of a message at every offset: everything in it that could be a token.
#[must_use]
pub fn windows(bytes: &[u8]) -> Vec<Token> {
    bytes.windows(32).filter_map(|w| w.try_into().ok()).collect()
}

/// A request's parts, as the court reads them: for showing the exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestView {
    /// The case number.
    pub case: String,
    /// The credential, in hex.
    pub credential: String,
    /// The tokens, in hex.
    pub tokens: Vec<String>,
}

/// A reply's parts, as the creditor reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplyView {
    /// Whether this is the refusal.
    pub refused: bool,
    /// Whether this is the daily limit.
    pub limit: bool,
    /// The returned tokens (the creditor's, blinded again), in hex.
    pub returned: Vec<String>,
    /// The debtors' tokens, in hex.
    pub debtors: Vec<String>,
}

impl RequestView {
    /// Reads a request's bytes (`None` if malformed).
    #[must_use]
    pub fn read(request: &[u8]) -> Option<Self> {
        let mut r = Reader(request);
        r.take(2)?;
        let len = usize::from(u16::from_le_bytes(r.take(2)?.try_into().ok()?));
        let case = String::from_utf8_lossy(r.take(len)?).into_owned();
        let credential = hex(r.take(32)?);
        let tokens = r.tokens()?.iter().map(|t| hex(t)).collect();
        Some(Self { case, credential, tokens })
    }
}

/// An answered reply's two token lists: the creditor's tokens blinded again, and the debtors'
/// tokens (`None` for a refusal, the limit, or bytes that cannot be read).
#[must_use]
pub fn reply_tokens(reply: &[u8]) -> Option<(Vec<Token>, Vec<Token>)> {
    if reply.first() != Some(&REPLY_TAG) {
        return None;
    }
    let mut r = Reader(&reply[1..]);
    Some((r.tokens()?, r.tokens()?))
}

impl ReplyView {
    /// Reads a reply's bytes.
    #[must_use]
    pub fn read(reply: &[u8]) -> Self {
        let empty = Self { refused: reply == REFUSAL, limit: reply.first() == Some(&LIMIT_TAG), returned: Vec::new(), debtors: Vec::new() };
        let Some((returned, debtors)) = reply_tokens(reply) else { return empty };
        let hexes = |ts: Vec<Token>| ts.iter().map(|t| hex(t)).collect();
        Self { returned: hexes(returned), debtors: hexes(debtors), ..empty }
    }
}

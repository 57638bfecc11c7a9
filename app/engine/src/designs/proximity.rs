//! A private proximity test (after Narayanan et al., NDSS 2011): a creditor who holds one
//! debtor's case learns only whether that debtor's home cell lies in the neighbourhood of their
//! own cell.
//!
//! Cells are compared as tokens. With [`CellHash::Keyed`] a token is HMAC-SHA-256 of the cell
//! under the court's secret key (in a real deployment the creditor's device would obtain tokens
//! through an oblivious PRF, never the key). With [`CellHash::Plain`] a token is SHA-256 of the
//! cell, as in designs that "hash" locations; it exists only to show that anyone can reverse
//! such tokens by hashing every cell of the city.

use h3o::{CellIndex as H3Cell, LatLng as H3LatLng, Resolution};
use hmac::{Hmac, Mac};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::city::City;
use crate::geo::LatLng;

/// The resolution at which cells are compared: H3 resolution 9 (edge about 174 m).
pub const PROXIMITY_RESOLUTION: Resolution = Resolution::Nine;

/// A 32-byte cell token.
pub type Token = [u8; 32];

/// How cells are turned into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
pub enum CellHash {
    /// HMAC-SHA-256 under the court's secret key: a pseudorandom function.
    #[default]
    Keyed,
    /// Plain SHA-256 of the cell index: reversible by trying every cell.
    Plain,
}

impl CellHash {
    /// The name used in URLs and on the command line.
    #[must_use]
    pub fn slug(self) -> &'static str {
        match self {
            Self::Keyed => "keyed",
            Self::Plain => "plain",
        }
    }

    /// Parses a slug.
    #[must_use]
    pub fn from_slug(s: &str) -> Option<Self> {
        [Self::Keyed, Self::Plain].into_iter().find(|h| h.slug() == s)
    }
}

/// The proximity test's answer: one bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProximityAnswer {
    /// Whether the debtor's home cell is the creditor's cell or one of its six neighbours.
    pub near: bool,
}

/// Why the proximity test cannot run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProximityError {
    /// The person named is not listed, so the creditor holds no case against them.
    #[error("person {0} is not a listed debtor of this city")]
    NotListed(u32),
}

/// The private proximity test for one city.
#[derive(Clone)]
pub struct PrivateProximity {
    hash: CellHash,
    key: [u8; 32],
}

impl std::fmt::Debug for PrivateProximity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key never appears in logs.
        f.debug_struct("PrivateProximity").field("hash", &self.hash).finish_non_exhaustive()
    }
}

impl PrivateProximity {
    /// The test with a court key derived from `key_seed` (kept apart from the city's seed).
    #[must_use]
    pub fn new(hash: CellHash, key_seed: u64) -> Self {
        let mut key = [0u8; 32];
        ChaCha8Rng::seed_from_u64(key_seed).fill_bytes(&mut key);
        Self { hash, key }
    }

    /// How tokens are made.
    #[must_use]
    pub fn hash(&self) -> CellHash {
        self.hash
    }

    /// The token of a raw cell index.
    #[must_use]
    pub fn token(&self, cell: u64) -> Token {
        match self.hash {
            CellHash::Plain => Sha256::digest(cell.to_le_bytes()).into(),
            CellHash::Keyed => {
                let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
                    .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
                mac.update(&cell.to_le_bytes());
                mac.finalize().into_bytes().into()
            }
        }
    }

    /// The tokens a creditor's device sends: its own cell and the six around it.
    #[must_use]
    pub fn creditor_tokens(&self, at: LatLng) -> Vec<Token> {
        H3LatLng::new(at.lat, at.lng)
            .map(|ll| {
                let cell: H3Cell = ll.to_cell(PROXIMITY_RESOLUTION);
                cell.grid_disk::<Vec<_>>(1).into_iter().map(|c| self.token(u64::from(c))).collect()
            })
            .unwrap_or_default()
    }

    /// The token the court holds for a debtor's home cell.
    ///
    /// # Errors
    /// [`ProximityError::NotListed`] if the person is not listed.
    pub fn debtor_token(&self, city: &City, debtor: u32) -> Result<Token, ProximityError> {
        if !city.is_listed(debtor) {
            return Err(ProximityError::NotListed(debtor));
        }
        let home = city.home(debtor);
        let cell = H3LatLng::new(home.lat, home.lng)
            .map(|ll| u64::from(ll.to_cell(PROXIMITY_RESOLUTION)))
            .unwrap_or_default();
        Ok(self.token(cell))
    }

    /// Answers whether the creditor at `at` is near their debtor.
    ///
    /// # Errors
    /// [`ProximityError::NotListed`] if `debtor` is not listed.
    pub fn answer(&self, city: &City, at: LatLng, debtor: u32) -> Result<ProximityAnswer, ProximityError> {
        let target = self.debtor_token(city, debtor)?;
        Ok(ProximityAnswer { near: self.creditor_tokens(at).contains(&target) })
    }
}

//! Browser glue for the app model: what the page takes from the browser and hands to
//! [`within500_model`] (secrets from `crypto.getRandomValues`, the clock, `localStorage`).

use within500_engine::City;
use within500_model::{court_storage_key, CourtRecord};

/// A fresh secret for a new session's noise, from the browser's cryptographic generator: a
/// reload or a new session never replays the last one's noise.
pub fn session_secret() -> u64 {
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

/// The browser's cryptographic generator as a random number generator: the proximity test's
/// secrets (the creditor's and the court's scalars) come straight from `crypto.getRandomValues`,
/// never from a fixed seed.
pub struct BrowserRng;

impl rand_core::RngCore for BrowserRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    /// # Panics
    /// Where the browser has no crypto: a test without secrets would be no test.
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        let filled = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(dest).is_ok());
        assert!(filled, "crypto.getRandomValues is unavailable");
    }
}

/// The saved court record of a city (a new one if none was saved or storage is off).
#[must_use]
pub fn load_court_record(city: &City) -> CourtRecord {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|st| st.get_item(&court_storage_key(city)).ok().flatten())
        .map(|t| CourtRecord::from_text(&t))
        .unwrap_or_default()
}

/// Saves a city's court record, so that a reload keeps the day and the tests counted.
pub fn save_court_record(city: &City, record: &CourtRecord) {
    if let Some(st) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = st.set_item(&court_storage_key(city), &record.to_text());
    }
}

/// Seconds on the page's clock, for the blur's time windows.
pub fn now_s() -> u64 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = (js_sys::Date::now() / 1000.0) as u64;
    s
}

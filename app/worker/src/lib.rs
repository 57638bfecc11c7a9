//! The city-generating Web Worker's WebAssembly side.
//!
//! The page starts `worker/worker.js` (a module worker, served from the same origin), which loads
//! this module and calls [`generate`] for each request. Generation and indexing of up to
//! 11 000 000 people then run off the page's thread, so the page stays responsive, shows progress
//! and can cancel by terminating the worker. The city comes back as [`City::to_bytes`], moved
//! (not copied) to the page, which reads it with [`City::from_bytes`].

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use within500_engine::{City, CityConfig};

/// Generates the city for `seed` (a decimal string: seeds are 64-bit), `people` and
/// `listed_rate`, calling `progress(share)` as it goes (at most every 1 %), and returns the city
/// as bytes.
///
/// # Errors
/// The engine's message when a setting is out of range, or a malformed seed.
#[wasm_bindgen]
pub fn generate(seed: &str, people: u32, listed_rate: f64, progress: &Function) -> Result<Uint8Array, JsError> {
    let seed: u64 = seed.parse().map_err(|_| JsError::new(&format!("seed {seed:?} is not a whole number from 0 to {}", u64::MAX)))?;
    let mut reported = -1.0;
    let city = City::generate_with_progress(CityConfig { seed, people, listed_rate }, |share| {
        if share - reported >= 0.01 || share >= 1.0 {
            reported = share;
            let _ = progress.call1(&JsValue::NULL, &JsValue::from_f64(share));
        }
    })
    .map_err(|e| JsError::new(&e.to_string()))?;
    let bytes = city.to_bytes();
    drop(city);
    Ok(Uint8Array::from(&bytes[..]))
}

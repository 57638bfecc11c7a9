//! The city-generating Web Worker's WebAssembly side.
//!
//! The page starts `worker/worker.js` (a module worker, served from the same origin), which loads
//! this module and calls [`generate`] for each request. Generation and indexing of up to
//! 11 000 000 people then run off the page's thread, so the page stays responsive, shows progress
//! and can cancel by terminating the worker. The city comes back as [`City::to_bytes`], moved
//! (not copied) to the page, which reads it with [`City::from_bytes`]. The attack lab runs here
//! too ([`lab`]), so a reconstruction asking hundreds of thousands of questions never freezes the
//! page.

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use within500_engine::{AppState, City, CityConfig, Duel, LabConfig};

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

/// Runs the attack lab for the page: one attacker against the deployed map and the design that
/// `state` (the page's URL query) chooses, then the design's privacy-utility sweep, on the city
/// of `seed`, `people` and `listed_rate` (generated here again: generation is deterministic).
/// `config` is the [`LabConfig`] as JSON. `progress(report)` gets the [`DuelReport`] so far as
/// JSON, about four times a second; the complete report is returned as JSON.
///
/// # Errors
/// A message naming what is wrong: the seed, the state, the settings or the city.
#[wasm_bindgen]
#[allow(clippy::needless_pass_by_value)]
pub fn lab(
    seed: &str,
    people: u32,
    listed_rate: f64,
    state: &str,
    config: &str,
    protected: bool,
    progress: &Function,
) -> Result<String, JsError> {
    let seed: u64 = seed.parse().map_err(|_| JsError::new(&format!("seed {seed:?} is not a whole number from 0 to {}", u64::MAX)))?;
    let state = AppState::from_query(state).map_err(|errors| {
        let fields: Vec<String> = errors.iter().map(|e| format!("{}={:?}: {}", e.field, e.value, e.problem)).collect();
        JsError::new(&format!("the lab's state is malformed ({})", fields.join("; ")))
    })?;
    let config: LabConfig = serde_json::from_str(config).map_err(|e| JsError::new(&format!("the lab's settings are malformed: {e}")))?;
    let city = City::generate(CityConfig { seed, people, listed_rate }).map_err(|e| JsError::new(&e.to_string()))?;
    let mut duel = Duel::new(&city, &state, config, protected);
    let mut shown = js_sys::Date::now();
    while !duel.done() {
        duel.step(&city, 2);
        let now = js_sys::Date::now();
        if now - shown >= 250.0 && !duel.done() {
            shown = now;
            let json = serde_json::to_string(&duel.report(&city)).map_err(|e| JsError::new(&e.to_string()))?;
            let _ = progress.call1(&JsValue::NULL, &JsValue::from_str(&json));
        }
    }
    serde_json::to_string(&duel.report(&city)).map_err(|e| JsError::new(&e.to_string()))
}

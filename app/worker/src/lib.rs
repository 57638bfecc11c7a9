//! The Web Worker's WebAssembly side: it generates cities and runs the attack lab off the page's
//! thread.
//!
//! The page starts `worker/worker.js` (a module worker, served from the same origin), which loads
//! this module and hands each message to [`handle`]. Messages both ways are the model's typed
//! enums ([`ToWorker`], [`FromWorker`]) as JSON. Generation and indexing of up to 11 000 000 people
//! run here, so the page stays responsive, shows progress and can cancel by terminating the
//! worker. The city comes back as [`City::to_bytes`], moved (not copied) to the page, which reads
//! it with [`City::from_bytes`]. The attack lab runs here too, so a reconstruction asking hundreds
//! of thousands of questions never freezes the page.

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use within500_engine::{AppState, City, CityConfig, Duel, LabConfig};
use within500_model::protocol::{FromWorker, ToWorker};

/// Answers one message from the page (a [`ToWorker`] as JSON): every reply goes to
/// `post(reply_json, bytes)`, where `bytes` is the city's bytes for [`FromWorker::City`] (to be
/// transferred, not copied) and `undefined` otherwise. Never throws: a failure is a
/// [`FromWorker::Failed`] reply naming what went wrong.
#[wasm_bindgen]
pub fn handle(message: &str, post: &Function) {
    let send = |reply: &FromWorker, bytes: &JsValue| {
        let _ = post.call2(&JsValue::NULL, &JsValue::from_str(&reply.to_json()), bytes);
    };
    let result = ToWorker::from_json(message).and_then(|m| match m {
        ToWorker::Generate { city } => generate(city, &send),
        ToWorker::Lab { city, state, config, protected } => lab(city, &state, config, protected, &send),
    });
    if let Err(message) = result {
        send(&FromWorker::Failed { message }, &JsValue::UNDEFINED);
    }
}

/// Generates the city, reporting progress at most every 1 %, and sends its bytes.
fn generate(config: CityConfig, send: &dyn Fn(&FromWorker, &JsValue)) -> Result<(), String> {
    let mut reported = -1.0;
    let city = City::generate_with_progress(config, |share| {
        if share - reported >= 0.01 || share >= 1.0 {
            reported = share;
            send(&FromWorker::Progress { share }, &JsValue::UNDEFINED);
        }
    })
    .map_err(|e| e.to_string())?;
    let bytes = city.to_bytes();
    drop(city);
    send(&FromWorker::City, &Uint8Array::from(&bytes[..]).into());
    Ok(())
}

/// Per-target outcomes a report sent during a run carries, per side (the latest; the complete
/// report has every one).
const SHOWN_OUTCOMES: usize = 2_000;

/// Runs the lab for the page: one attacker against the deployed map and the design that `state`
/// (the page's URL query) chooses, then the design's privacy-utility sweep, on the city generated
/// here again (generation is deterministic); the report so far about four times a second (less
/// often when a report is slow to make), then the complete one.
fn lab(config: CityConfig, state: &str, lab: LabConfig, protected: bool, send: &dyn Fn(&FromWorker, &JsValue)) -> Result<(), String> {
    let state = AppState::from_query(state).map_err(|errors| {
        let fields: Vec<String> = errors.iter().map(|e| format!("{}={:?}: {}", e.field, e.value, e.problem)).collect();
        format!("the lab's state is malformed ({})", fields.join("; "))
    })?;
    let city = City::generate(config).map_err(|e| e.to_string())?;
    let mut duel = Duel::new(&city, &state, lab, protected);
    // A report costs more as the run grows (every target's outcome goes in it): the next one
    // waits at least four times as long as the last took, so reports take at most a fifth of
    // the worker's time (on 11 000 000 people, a report takes seconds); between reports the
    // share done goes alone, four times a second.
    let mut shown = js_sys::Date::now();
    let (mut wait, mut ticked) = (250.0, shown);
    while !duel.done() {
        duel.step(&city, 2);
        let now = js_sys::Date::now();
        if duel.done() {
            break;
        }
        if now - shown >= wait {
            send(&FromWorker::LabProgress { report: duel.progress_report(&city, SHOWN_OUTCOMES) }, &JsValue::UNDEFINED);
            shown = js_sys::Date::now();
            ticked = shown;
            wait = f64::max(250.0, 4.0 * (shown - now));
        } else if now - ticked >= 250.0 {
            send(&FromWorker::Progress { share: duel.progress() }, &JsValue::UNDEFINED);
            ticked = now;
        }
    }
    send(&FromWorker::Report { report: duel.report(&city) }, &JsValue::UNDEFINED);
    Ok(())
}

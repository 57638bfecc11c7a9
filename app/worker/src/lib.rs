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

use js_sys::{Array, Function, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

use within500_engine::{AppState, City, CityConfig, CityDrawer, CityPart, Duel, LabConfig, CITY_PARTS};
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
        ToWorker::Generate { city } => {
            let mut reported = -1.0;
            let city = City::generate_with_progress(city, |share| report(share, &mut reported, &send)).map_err(|e| e.to_string())?;
            send_city(city, &send);
            Ok(())
        }
        ToWorker::Lab { city, state, config, protected } => {
            lab(&City::generate(city).map_err(|e| e.to_string())?, &state, config, protected, &send)
        }
    });
    if let Err(message) = result {
        send(&FromWorker::Failed { message }, &JsValue::UNDEFINED);
    }
}

/// Cities from this many people up are drawn in parts spread over several workers: below, the
/// helpers' start (each loads this module) costs more than it saves.
const SPREAD_FROM: u32 = 400_000;

/// How many parts the city a message ([`ToWorker`] as JSON) needs should be drawn in, by helper
/// workers and this one at once ([`generate_part`], then [`finish`]): [`CITY_PARTS`] for a large
/// enough city, 0 when [`handle`] should do the whole message here (a small city, or a message
/// it will refuse with the reason).
#[wasm_bindgen]
#[must_use]
pub fn city_parts(message: &str) -> u32 {
    match ToWorker::from_json(message) {
        Ok(ToWorker::Generate { city } | ToWorker::Lab { city, .. }) if city.validate().is_ok() && city.people >= SPREAD_FROM => CITY_PARTS,
        _ => 0,
    }
}

/// Draws part `part` of the city a message needs ([`City::generate_part`]), as bytes to move to
/// the worker that joins the parts.
///
/// # Errors
/// The reason, when the message is not one that needs a city or the part is out of range.
#[wasm_bindgen]
pub fn generate_part(message: &str, part: u32) -> Result<Uint8Array, JsValue> {
    let city = match ToWorker::from_json(message).map_err(|e| JsValue::from_str(&e))? {
        ToWorker::Generate { city } | ToWorker::Lab { city, .. } => city,
    };
    let mut drawer = drawer(city).map_err(|e| JsValue::from_str(&e))?;
    let drawn = drawer.draw(part, |_| {});
    DRAWER.set(Some(drawer));
    let drawn = drawn.map_err(|e| JsValue::from_str(&e.to_string()))?;
    Ok(Uint8Array::from(&drawn.to_bytes()[..]))
}

thread_local! {
    /// The drawer of the last city this worker drew a part of, kept for its next part and for
    /// joining them (it works out the plan's buildings and the neighbourhoods once).
    static DRAWER: RefCell<Option<CityDrawer>> = const { RefCell::new(None) };
}

/// The drawer for a city: the one kept if it is that city's.
fn drawer(city: CityConfig) -> Result<CityDrawer, String> {
    DRAWER.take().filter(|d| d.config() == city).map_or_else(|| CityDrawer::new(city), Ok).map_err(|e| e.to_string())
}

/// The reply that reports a share of a city's generation done, as JSON, for a message that
/// generates a city (a lab run reports its own progress, not its city's).
#[wasm_bindgen]
#[must_use]
pub fn progress_reply(message: &str, share: f64) -> Option<String> {
    matches!(ToWorker::from_json(message), Ok(ToWorker::Generate { .. })).then(|| FromWorker::Progress { share }.to_json())
}

/// Finishes a message whose city was drawn in parts (`parts`, an array of the bytes
/// [`generate_part`] made, in any order): joins them, then sends the city or runs the lab, with
/// every reply to `post` as [`handle`] sends them. Joining a generated city reports progress from
/// `done` (the share the parts stand for) to 1.
#[wasm_bindgen]
pub fn finish(message: &str, parts: &Array, done: f64, post: &Function) {
    let send = |reply: &FromWorker, bytes: &JsValue| {
        let _ = post.call2(&JsValue::NULL, &JsValue::from_str(&reply.to_json()), bytes);
    };
    let result = ToWorker::from_json(message).and_then(|m| {
        let config = match &m {
            ToWorker::Generate { city } | ToWorker::Lab { city, .. } => *city,
        };
        let drawn = parts.iter().map(|p| CityPart::from_bytes(&Uint8Array::new(&p).to_vec())).collect::<Result<Vec<_>, _>>()?;
        let generating = matches!(m, ToWorker::Generate { .. });
        let mut reported = -1.0;
        let city = drawer(config)?.join(drawn, |share| {
            if generating {
                report(done + (1.0 - done) * share, &mut reported, &send);
            }
        })?;
        match m {
            ToWorker::Generate { .. } => {
                send_city(city, &send);
                Ok(())
            }
            ToWorker::Lab { state, config, protected, .. } => lab(&city, &state, config, protected, &send),
        }
    });
    if let Err(message) = result {
        send(&FromWorker::Failed { message }, &JsValue::UNDEFINED);
    }
}

/// Sends the share done when it has grown by 1 % since the last report.
fn report(share: f64, reported: &mut f64, send: &dyn Fn(&FromWorker, &JsValue)) {
    if share - *reported >= 0.01 || share >= 1.0 {
        *reported = share;
        send(&FromWorker::Progress { share }, &JsValue::UNDEFINED);
    }
}

/// Sends a city's bytes.
fn send_city(city: City, send: &dyn Fn(&FromWorker, &JsValue)) {
    let bytes = city.to_bytes();
    drop(city);
    send(&FromWorker::City, &Uint8Array::from(&bytes[..]).into());
}

/// Per-target outcomes a report sent during a run carries, per side (the latest; the complete
/// report has every one).
const SHOWN_OUTCOMES: usize = 2_000;

/// Runs the lab for the page: one attacker against the deployed map and the design that `state`
/// (the page's URL query) chooses, then the design's privacy-utility sweep, on the city generated
/// here again (generation is deterministic, so it is the page's city); the report so far about four times a second (less
/// often when a report is slow to make), then the complete one.
fn lab(city: &City, state: &str, lab: LabConfig, protected: bool, send: &dyn Fn(&FromWorker, &JsValue)) -> Result<(), String> {
    let state = AppState::from_query(state).map_err(|errors| {
        let fields: Vec<String> = errors.iter().map(|e| format!("{}={:?}: {}", e.field, e.value, e.problem)).collect();
        format!("the lab's state is malformed ({})", fields.join("; "))
    })?;
    let mut duel = Duel::new(city, &state, lab, protected);
    // A report costs more as the run grows (every target's outcome goes in it): the next one
    // waits at least four times as long as the last took, so reports take at most a fifth of
    // the worker's time (on 11 000 000 people, a report takes seconds); between reports the
    // share done goes alone, four times a second.
    let mut shown = js_sys::Date::now();
    let (mut wait, mut ticked) = (250.0, shown);
    while !duel.done() {
        duel.step(city, 2);
        let now = js_sys::Date::now();
        if duel.done() {
            break;
        }
        if now - shown >= wait {
            send(&FromWorker::LabProgress { report: duel.progress_report(city, SHOWN_OUTCOMES) }, &JsValue::UNDEFINED);
            shown = js_sys::Date::now();
            ticked = shown;
            wait = f64::max(250.0, 4.0 * (shown - now));
        } else if now - ticked >= 250.0 {
            send(&FromWorker::Progress { share: duel.progress() }, &JsValue::UNDEFINED);
            ticked = now;
        }
    }
    send(&FromWorker::Report { report: duel.report(city) }, &JsValue::UNDEFINED);
    Ok(())
}

//! Work in a Web Worker (`dist/worker/worker.js`, built from `app/worker`), so that the page
//! never freezes, shows progress and can cancel: dropping a [`Job`] terminates its worker.
//! Two kinds of work: generating a city, which comes back as bytes moved to the page
//! ([`City::from_bytes`]), and a lab run, whose [`DuelReport`] comes back as JSON.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use within500_engine::{AppState, City, CityConfig, DuelReport, LabConfig};

/// The worker's script, relative to the page.
const SCRIPT: &str = "./worker/worker.js";

/// How a piece of work in a worker ended.
pub enum Outcome<T> {
    /// The result (a city, boxed: it is large and moves once; or a lab report).
    Done(T),
    /// The engine refused the settings, or the result did not read back: the message.
    Failed(String),
    /// The worker could not load or run (no worker script where the page expects it, or a
    /// browser without module workers): the caller does the work on the page instead.
    Unavailable(String),
}

/// Work in progress; dropping it cancels it.
pub struct Job {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

fn field(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Starts a worker and posts it `message`. `read` turns each message from the worker into
/// `Some(outcome)` when the work is over, or `None` for progress (which it reports itself);
/// `done` gets the outcome once. Errors when the browser cannot even create the worker.
fn launch<T: 'static>(
    message: &[(&str, JsValue)],
    read: impl Fn(&JsValue) -> Option<Outcome<T>> + 'static,
    done: impl FnOnce(Outcome<T>) + 'static,
) -> Result<Job, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(SCRIPT, &options).map_err(|e| format!("{e:?}"))?;
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |result: Outcome<T>| {
        let f = done.borrow_mut().take();
        if let Some(f) = f {
            f(result);
        }
    };
    let on_message = {
        let finish = finish.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let outcome = if let Some(why) = field(&data, "unavailable").as_string() {
                Some(Outcome::Unavailable(why))
            } else if let Some(error) = field(&data, "error").as_string() {
                Some(Outcome::Failed(error))
            } else {
                read(&data)
            };
            if let Some(o) = outcome {
                finish(o);
            }
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message =
            event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(|| "the worker could not start".to_string(), web_sys::ErrorEvent::message);
        finish(Outcome::Unavailable(message));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // From here on the job owns the handlers: if posting fails, dropping it detaches them and
    // terminates the worker.
    let job = Job { worker, _on_message: on_message, _on_error: on_error };
    let object = js_sys::Object::new();
    for (k, v) in message {
        js_sys::Reflect::set(&object, &JsValue::from_str(k), v).map_err(|e| format!("{e:?}"))?;
    }
    job.worker.post_message(&object).map_err(|e| format!("{e:?}"))?;
    Ok(job)
}

fn city_fields(config: CityConfig) -> Vec<(&'static str, JsValue)> {
    vec![
        ("id", JsValue::from_f64(1.0)),
        ("seed", JsValue::from_str(&config.seed.to_string())),
        ("people", JsValue::from_f64(f64::from(config.people))),
        ("listedRate", JsValue::from_f64(config.listed_rate)),
    ]
}

/// Starts generating `config` in a new worker. `progress` gets the share done (0 to 1); `done`
/// gets the [`Outcome`], once. Errors when the browser cannot even create the worker.
pub fn spawn(config: CityConfig, progress: impl Fn(f64) + 'static, done: impl FnOnce(Outcome<Box<City>>) + 'static) -> Result<Job, String> {
    let read = move |data: &JsValue| {
        if let Some(share) = field(data, "progress").as_f64() {
            progress(share);
            None
        } else if let Ok(buffer) = field(data, "city").dyn_into::<js_sys::ArrayBuffer>() {
            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
            Some(City::from_bytes(&bytes).map_or_else(Outcome::Failed, |c| Outcome::Done(Box::new(c))))
        } else {
            Some(Outcome::Failed("the worker sent an unknown message".into()))
        }
    };
    launch(&city_fields(config), read, done)
}

/// Starts a lab run for `state` (its city, fidelity and design) in a new worker. `progress`
/// gets the report so far; `done` gets the complete one, once.
pub fn spawn_lab(
    state: &AppState,
    config: LabConfig,
    protected: bool,
    progress: impl Fn(DuelReport) + 'static,
    done: impl FnOnce(Outcome<DuelReport>) + 'static,
) -> Result<Job, String> {
    let settings = serde_json::to_string(&config).map_err(|e| e.to_string())?;
    let mut fields = city_fields(state.city);
    fields.extend([
        ("lab", JsValue::TRUE),
        ("state", JsValue::from_str(&state.to_query())),
        ("config", JsValue::from_str(&settings)),
        ("protected", JsValue::from_bool(protected)),
    ]);
    let parse =
        |json: &str| serde_json::from_str::<DuelReport>(json).map_err(|e| format!("the worker's lab report did not read back: {e}"));
    let read = move |data: &JsValue| {
        if let Some(json) = field(data, "labProgress").as_string() {
            if let Ok(report) = parse(&json) {
                progress(report);
            }
            None
        } else if let Some(json) = field(data, "report").as_string() {
            Some(parse(&json).map_or_else(Outcome::Failed, Outcome::Done))
        } else {
            Some(Outcome::Failed("the worker sent an unknown message".into()))
        }
    };
    launch(&fields, read, done)
}

//! Generating a city in a Web Worker (`dist/worker/worker.js`, built from `app/worker`), so that
//! the page never freezes, shows progress and can cancel: dropping a [`Job`] terminates its
//! worker. The city comes back as bytes moved to the page ([`City::from_bytes`]).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use within500_engine::{City, CityConfig};

/// The worker's script, relative to the page.
const SCRIPT: &str = "./worker/worker.js";

/// How a generation in a worker ended.
pub enum Outcome {
    /// The city (boxed: it is large and moves once).
    City(Box<City>),
    /// The engine refused the settings, or the bytes did not read back: the message.
    Failed(String),
    /// The worker could not load or run (no worker script where the page expects it, or a
    /// browser without module workers): the caller generates on the page instead.
    Unavailable(String),
}

/// A generation in progress; dropping it cancels it.
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

/// Starts generating `config` in a new worker. `progress` gets the share done (0 to 1); `done`
/// gets the [`Outcome`], once. Errors when the browser cannot even create the worker.
pub fn spawn(config: CityConfig, progress: impl Fn(f64) + 'static, done: impl FnOnce(Outcome) + 'static) -> Result<Job, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(SCRIPT, &options).map_err(|e| format!("{e:?}"))?;
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = {
        let done = Rc::clone(&done);
        move |result: Outcome| {
            let f = done.borrow_mut().take();
            if let Some(f) = f {
                f(result);
            }
        }
    };
    let on_message = {
        let finish = finish.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let get = |key: &str| js_sys::Reflect::get(&data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
            if let Some(share) = get("progress").as_f64() {
                progress(share);
            } else if let Some(why) = get("unavailable").as_string() {
                finish(Outcome::Unavailable(why));
            } else if let Ok(buffer) = get("city").dyn_into::<js_sys::ArrayBuffer>() {
                let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                finish(City::from_bytes(&bytes).map_or_else(Outcome::Failed, |c| Outcome::City(Box::new(c))));
            } else {
                finish(Outcome::Failed(get("error").as_string().unwrap_or_else(|| "the worker sent an unknown message".into())));
            }
        })
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message = event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(|| "the worker could not start".to_string(), web_sys::ErrorEvent::message);
        finish(Outcome::Unavailable(message));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // From here on the job owns the handlers: if posting fails, dropping it detaches them and
    // terminates the worker.
    let job = Job { worker, _on_message: on_message, _on_error: on_error };
    let message = js_sys::Object::new();
    let set = |k: &str, v: JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(k), &v).map(|_| ());
    set("id", JsValue::from_f64(1.0))
        .and_then(|()| set("seed", JsValue::from_str(&config.seed.to_string())))
        .and_then(|()| set("people", JsValue::from_f64(f64::from(config.people))))
        .and_then(|()| set("listedRate", JsValue::from_f64(config.listed_rate)))
        .map_err(|e| format!("{e:?}"))?;
    job.worker.post_message(&message).map_err(|e| format!("{e:?}"))?;
    Ok(job)
}

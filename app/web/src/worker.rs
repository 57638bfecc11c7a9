//! Work in a Web Worker (`dist/worker/worker.js`, built from `app/worker`), so that the page
//! never freezes, shows progress and can cancel: dropping a [`Job`] terminates its worker.
//! Two kinds of work: generating a city, which comes back as bytes moved to the page
//! ([`City::from_bytes`]), and a lab run, whose [`DuelReport`] comes back in the reply. Messages
//! both ways are the model's typed [`ToWorker`] and [`FromWorker`], as JSON.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use within500_engine::{AppState, City, CityConfig, DuelReport, LabConfig};
use within500_model::protocol::{FromWorker, ToWorker};

/// The worker's script, relative to the page.
const SCRIPT: &str = "./worker/worker.js";

/// How a piece of work in a worker ended.
pub enum JobResult<T> {
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

/// A worker started before the page is built ([`prewarm`]), so that its script and WebAssembly
/// module load while the page renders, and already generating the link's city; the first job
/// takes it. `failed` records that an error event arrived before any job listened (the job's own
/// worker then reports why); `early` is the city it was asked for and its replies so far.
struct Spare {
    worker: Worker,
    failed: Rc<Cell<bool>>,
    early: Option<(CityConfig, Rc<RefCell<Vec<JsValue>>>)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

thread_local! {
    static SPARE: RefCell<Option<Spare>> = const { RefCell::new(None) };
}

fn new_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    Worker::new_with_options(SCRIPT, &options).map_err(|e| format!("{e:?}"))
}

/// Posts `message` to `worker` as the page's worker script expects it.
fn post(worker: &Worker, message: &ToWorker) -> Result<(), String> {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &JsValue::from_str("id"), &JsValue::from_f64(1.0)).map_err(|e| format!("{e:?}"))?;
    js_sys::Reflect::set(&object, &JsValue::from_str("message"), &JsValue::from_str(&message.to_json())).map_err(|e| format!("{e:?}"))?;
    worker.post_message(&object).map_err(|e| format!("{e:?}"))
}

/// Starts the worker for the first job now, before the page is rendered, and with `first_city`
/// asks it at once to generate that city (the link's): otherwise the page spends its whole first
/// render (about 190 ms at 100 000 people, from the page's resource timings) before asking for a
/// worker, and the worker waits for the page before it starts. Nothing to report if it fails:
/// the first job then starts its own and reports that.
pub fn prewarm(first_city: Option<CityConfig>) {
    let Ok(worker) = new_worker() else { return };
    let failed = Rc::new(Cell::new(false));
    let on_error = {
        let failed = failed.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| failed.set(true))
    };
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let mut early = None;
    let mut on_message = None;
    if let Some(city) = first_city {
        let replies = Rc::new(RefCell::new(Vec::new()));
        let keep = {
            let replies = replies.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| replies.borrow_mut().push(event.data()))
        };
        worker.set_onmessage(Some(keep.as_ref().unchecked_ref()));
        if post(&worker, &ToWorker::Generate { city }).is_ok() {
            early = Some((city, replies));
        }
        on_message = Some(keep);
    }
    SPARE.with(|s| *s.borrow_mut() = Some(Spare { worker, failed, early, _on_error: on_error, _on_message: on_message }));
}

/// A worker for a job: the prewarmed one if it started and suits the job (a generation of
/// exactly the city it was asked for early, whose replies so far come with it; or any job, if it
/// was asked for nothing), else a new one (a spare that failed or does not suit is stopped).
fn take_worker(city: Option<CityConfig>) -> Result<(Worker, Option<Vec<JsValue>>), String> {
    let Some(spare) = SPARE.with(|s| s.borrow_mut().take()) else { return Ok((new_worker()?, None)) };
    let suits = match (&spare.early, city) {
        (None, _) => true,
        (Some((early, _)), Some(asked)) => *early == asked,
        (Some(_), None) => false,
    };
    spare.worker.set_onerror(None);
    spare.worker.set_onmessage(None);
    if !suits || spare.failed.get() {
        spare.worker.terminate();
        return Ok((new_worker()?, None));
    }
    let replies = spare.early.map(|(_, r)| std::mem::take(&mut *r.borrow_mut()));
    Ok((spare.worker, replies))
}

fn field(data: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Starts a worker and posts it `message`. `read` turns each reply (with the bytes moved beside
/// it, for a city) into `Some(outcome)` when the work is over, or `None` for progress (which it
/// reports itself); `done` gets the outcome once. Errors when the browser cannot even create the
/// worker.
fn launch<T: 'static>(
    message: &ToWorker,
    read: impl Fn(FromWorker, JsValue) -> Option<JobResult<T>> + 'static,
    done: impl FnOnce(JobResult<T>) + 'static,
) -> Result<Job, String> {
    let city = match message {
        ToWorker::Generate { city } => Some(*city),
        ToWorker::Lab { .. } => None,
    };
    let (worker, early_replies) = take_worker(city)?;
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |result: JobResult<T>| {
        let f = done.borrow_mut().take();
        if let Some(f) = f {
            f(result);
        }
    };
    let handle = {
        let finish = finish.clone();
        Rc::new(move |data: JsValue| {
            let reply = field(&data, "reply")
                .as_string()
                .ok_or_else(|| "the worker sent no reply".to_owned())
                .and_then(|t| FromWorker::from_json(&t));
            let outcome = match reply {
                Ok(FromWorker::Unavailable { message }) => Some(JobResult::Unavailable(message)),
                Ok(FromWorker::Failed { message }) => Some(JobResult::Failed(message)),
                Ok(reply) => read(reply, field(&data, "bytes")),
                Err(e) => Some(JobResult::Failed(e)),
            };
            if let Some(o) = outcome {
                finish(o);
            }
        })
    };
    let on_message = {
        let handle = handle.clone();
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| handle(event.data()))
    };
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
        let message =
            event.dyn_ref::<web_sys::ErrorEvent>().map_or_else(|| "the worker could not start".to_string(), web_sys::ErrorEvent::message);
        finish(JobResult::Unavailable(message));
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // From here on the job owns the handlers: if posting fails, dropping it detaches them and
    // terminates the worker.
    let job = Job { worker, _on_message: on_message, _on_error: on_error };
    match early_replies {
        // Asked already, before the page was built: what it said so far, in order (no message can
        // arrive while this runs).
        Some(replies) => replies.into_iter().for_each(|data| handle(data)),
        None => post(&job.worker, message)?,
    }
    Ok(job)
}

/// Starts generating `config` in a new worker. `progress` gets the share done (0 to 1); `done`
/// gets the [`JobResult`], once.
///
/// # Errors
/// When the browser cannot even create the worker (the page then generates the city itself).
pub fn spawn(
    config: CityConfig,
    progress: impl Fn(f64) + 'static,
    done: impl FnOnce(JobResult<Box<City>>) + 'static,
) -> Result<Job, String> {
    let read = move |reply: FromWorker, bytes: JsValue| match reply {
        FromWorker::Progress { share } => {
            progress(share);
            None
        }
        FromWorker::City => Some(match bytes.dyn_into::<js_sys::ArrayBuffer>() {
            Ok(buffer) => City::from_bytes(&js_sys::Uint8Array::new(&buffer).to_vec())
                .map_or_else(JobResult::Failed, |c| JobResult::Done(Box::new(c))),
            Err(_) => JobResult::Failed("the worker sent a city without its bytes".into()),
        }),
        other => Some(JobResult::Failed(format!("the worker answered a city with {other:?}"))),
    };
    launch(&ToWorker::Generate { city: config }, read, done)
}

/// Starts a lab run for `state` (its city, fidelity and design) in a new worker. `progress`
/// gets the report so far, `share` the share done between reports (a large city's report is
/// slow to make, so reports come less often); `done` gets the complete one, once.
///
/// # Errors
/// When the browser cannot even create the worker (the page then runs the lab itself).
pub fn spawn_lab(
    state: &AppState,
    config: LabConfig,
    protected: bool,
    progress: impl Fn(DuelReport) + 'static,
    share: impl Fn(f64) + 'static,
    done: impl FnOnce(JobResult<DuelReport>) + 'static,
) -> Result<Job, String> {
    let read = move |reply: FromWorker, _: JsValue| match reply {
        FromWorker::LabProgress { report } => {
            progress(report);
            None
        }
        FromWorker::Progress { share: done } => {
            share(done);
            None
        }
        FromWorker::Report { report } => Some(JobResult::Done(report)),
        other => Some(JobResult::Failed(format!("the worker answered a lab run with {other:?}"))),
    };
    launch(&ToWorker::Lab { city: state.city, state: state.to_query(), config, protected }, read, done)
}

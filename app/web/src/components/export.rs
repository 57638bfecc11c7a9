//! Downloads of the synthetic city and the map; each file carries the synthetic-data mark and the
//! settings that reproduce it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use within500_engine::export::{Format, Parts};
use within500_engine::City;

use crate::download;
use crate::i18n::td_string;
use crate::use_ctx;

/// City as CSV or GeoJSON, map as PNG.
#[component]
pub fn Exports() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let error = RwSignal::new(None::<String>);
    let report = move |r: Result<(), wasm_bindgen::JsValue>| {
        error.set(r.err().map(|e| td_string!(l, ui.export_failed, error = format!("{e:?}")).to_string()));
    };
    // A city's file is written a part at a time, with progress between parts (an 11 000 000-person
    // CSV is about 1.7 GB, too much to build as one string in the page).
    let writing = RwSignal::new(None::<f64>);
    let stop = StoredValue::new(false);
    let city_file = move |format: Format| {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        if writing.get_untracked().is_some() {
            return;
        }
        let (name, mime) = match format {
            Format::Csv => ("csv", "text/csv"),
            Format::GeoJson => ("geojson", "application/geo+json"),
        };
        stop.set_value(false);
        writing.set(Some(0.0));
        error.set(None);
        leptos::task::spawn_local(async move {
            // A new city stops the file: the page would otherwise hold two cities while it ends.
            let this = std::rc::Rc::as_ptr(&loaded);
            let shown = move || c.loaded.try_with_untracked(|now| now.as_ref().map(std::rc::Rc::as_ptr) == Some(this)).unwrap_or(false);
            let result = write_in_parts(&loaded.city, format, mime, writing, stop, shown).await;
            writing.set(None);
            match result {
                Ok(Some(file)) => report(file.save(&format!("within500-city-seed{}.{name}", loaded.city.config().seed))),
                Ok(None) => {}
                Err(e) => report(Err(e)),
            }
        });
    };
    let png = move |_| {
        let s = c.state.get_untracked();
        let canvas = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("canvas.map").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        let Some(canvas) = canvas else { return };
        let caption =
            vec![td_string!(l, ui.export.png_mark, seed = s.city.seed, people = s.city.people).to_string(), format!("?{}", s.to_query())];
        report(download::save_canvas_png(&canvas, &format!("within500-map-seed{}.png", s.city.seed), &caption));
    };
    view! {
        <section class="exports" aria-labelledby="exports-title">
            <h2 id="exports-title">{td_string!(l, ui.export.title)}</h2>
            <p class="pane-sub">{td_string!(l, ui.export.sub)}</p>
            <button type="button" data-testid="export-city-csv" disabled=move || c.loaded.get().is_none() || writing.get().is_some() on:click=move |_| city_file(Format::Csv)>
                {td_string!(l, ui.export.city_csv)}</button>
            <button type="button" data-testid="export-city-geojson" disabled=move || c.loaded.get().is_none() || writing.get().is_some() on:click=move |_| city_file(Format::GeoJson)>
                {td_string!(l, ui.export.city_geojson)}</button>
            <button type="button" data-testid="export-map-png" disabled=move || c.loaded.get().is_none() on:click=png>
                {td_string!(l, ui.export.map_png)}</button>
            // Built once per file, its values updated in place: Cancel keeps the focus and its clicks.
            <Show when=move || writing.get().is_some()>
                <p role="status" data-testid="export-progress" data-done=move || format!("{:.4}", writing.get().unwrap_or(0.0))>
                    <progress max="1" value=move || writing.get().unwrap_or(0.0) aria-label=td_string!(l, ui.export.progress).to_string()></progress>
                    {move || format!(" {:.0} % ", writing.get().unwrap_or(0.0) * 100.0)}
                    <button type="button" data-testid="export-cancel" on:click=move |_| stop.set_value(true)>
                        {td_string!(l, ui.export.cancel)}</button>
                </p>
            </Show>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </section>
    }
}

/// People written into each part of a city's file: about 16 MB of CSV, so an 11 000 000-person
/// city goes out in 110 parts, the page yielding to the browser between them (about half a
/// second a part there, the time progress and Cancel wait at most).
const PART_PEOPLE: u32 = 100_000;

/// Writes the city's file a part at a time into a [`download::InParts`], showing the share
/// written in `writing` and yielding between parts; `None` if it was cancelled (`stop`, or the
/// downloads left the page) or `city` is no longer the one `shown`.
async fn write_in_parts(
    city: &City,
    format: Format,
    mime: &str,
    writing: RwSignal<Option<f64>>,
    stop: StoredValue<bool>,
    shown: impl Fn() -> bool,
) -> Result<Option<download::InParts>, wasm_bindgen::JsValue> {
    let mut file = download::InParts::new(mime)?;
    let mut parts = Parts::new(city, format);
    let mut buffer = Vec::new();
    while !parts.is_done() {
        buffer.clear();
        parts.write_next(PART_PEOPLE, &mut buffer).map_err(|e| wasm_bindgen::JsValue::from_str(&e.to_string()))?;
        file.push(&buffer)?;
        writing.set(Some(f64::from(parts.people_written()) / f64::from(parts.people_total().max(1))));
        // Let the page draw the progress and take a click on Cancel. Leaving the page's explore
        // view takes the downloads away: that stops the file too.
        gloo_timers::future::TimeoutFuture::new(0).await;
        if stop.try_get_value().unwrap_or(true) || !shown() {
            return Ok(None);
        }
    }
    Ok(Some(file))
}

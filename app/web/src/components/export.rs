//! Downloads of the synthetic city and the map; each file carries the synthetic-data mark and the
//! settings that reproduce it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use within500_engine::export;

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
    let city_file = move |geojson: bool| {
        let Some(loaded) = c.loaded.get_untracked() else { return };
        let seed = loaded.city.config().seed;
        let mut bytes = Vec::new();
        let written = if geojson { export::geojson(&loaded.city, &mut bytes) } else { export::csv(&loaded.city, &mut bytes) };
        let text = String::from_utf8(bytes).unwrap_or_default();
        report(written.map_err(|e| e.to_string().into()).and_then(|()| {
            if geojson {
                download::save_text(&format!("within500-city-seed{seed}.geojson"), "application/geo+json", &text)
            } else {
                download::save_text(&format!("within500-city-seed{seed}.csv"), "text/csv", &text)
            }
        }));
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
            <button type="button" data-testid="export-city-csv" disabled=move || c.loaded.get().is_none() on:click=move |_| city_file(false)>
                {td_string!(l, ui.export.city_csv)}</button>
            <button type="button" data-testid="export-city-geojson" disabled=move || c.loaded.get().is_none() on:click=move |_| city_file(true)>
                {td_string!(l, ui.export.city_geojson)}</button>
            <button type="button" data-testid="export-map-png" disabled=move || c.loaded.get().is_none() on:click=png>
                {td_string!(l, ui.export.map_png)}</button>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </section>
    }
}

//! Entry point: install the panic hook, mount the app.

use wasm_bindgen::prelude::*;
use within500_engine::AppState;
use within500_web::i18n::td_string;
use within500_web::locale_of;

/// Shows a panic on the page instead of leaving it blank: what happened, a link that reloads the
/// page, and the seed and settings to report. Built from the DOM alone, since the app may no
/// longer run.
fn show_panic(info: &std::panic::PanicHookInfo<'_>) {
    let Some(window) = web_sys::window() else { return };
    let Some(doc) = window.document() else { return };
    let Some(el) = doc.get_element_by_id("panic") else { return };
    let search = window.location().search().unwrap_or_default();
    let href = window.location().href().unwrap_or_default();
    let (state, _) = AppState::from_query_lenient(&search);
    let l = locale_of(state.lang);
    el.set_text_content(None);
    let add = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let node = doc.create_element(tag).ok()?;
        node.set_text_content(Some(text));
        el.append_child(&node).ok()?;
        Some(node)
    };
    add("p", td_string!(l, ui.panic.message));
    add("p", &td_string!(l, ui.panic.report, seed = state.city.seed, settings = state.to_query()).to_string());
    if let Some(p) = add("p", &info.to_string()) {
        p.set_class_name("panic-detail");
    }
    if let Some(a) = add("a", td_string!(l, ui.panic.reload)) {
        let _ = a.set_attribute("href", &href);
        // A plain navigation: the router's click handler (in the stopped module) must not take it.
        let _ = a.set_attribute("rel", "external");
        let _ = a.set_attribute("target", "_self");
        a.set_class_name("panic-reload");
        let _ = a.set_attribute("data-testid", "panic-reload");
    }
    let _ = el.set_attribute("data-seed", &state.city.seed.to_string());
    let _ = el.remove_attribute("hidden");
}

/// Panics on purpose, so that the end-to-end tests can check what a reader sees when the app
/// breaks. Nothing in the page calls it.
#[wasm_bindgen]
pub fn within500_panic_for_tests() {
    panic!("a test asked for a panic");
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(info);
    }));
    // The first city's worker loads and generates the link's city while the page renders.
    within500_web::worker::prewarm(within500_web::first_city());
    leptos::mount::mount_to_body(within500_web::App);
}

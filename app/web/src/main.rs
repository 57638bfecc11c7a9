//! Entry point: install the panic hook, mount the app.

use wasm_bindgen::JsCast;

/// Shows a panic on the page (with the seed to report) instead of leaving it blank.
fn show_panic(info: &std::panic::PanicHookInfo<'_>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(el) = doc.get_element_by_id("panic") else { return };
    let seed = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    el.set_text_content(Some(&format!(
        "Something went wrong: {info}. Please reload; if it happens again, report it with this link's settings: {seed}"
    )));
    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
        el.set_hidden(false);
    }
}

fn main() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(info);
    }));
    leptos::mount::mount_to_body(within500_web::App);
}

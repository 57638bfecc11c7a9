//! Component tests in headless Chromium (wasm-bindgen-test through chromedriver).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use gloo::timers::future::sleep;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use within500_engine::{City, CityConfig};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// Polls until a selector matches (the city is generated after the first paint).
async fn wait_for(selector: &str) -> web_sys::Element {
    for _ in 0..300 {
        if let Ok(Some(el)) = document().query_selector(selector) {
            return el;
        }
        sleep(Duration::from_millis(50)).await;
    }
    panic!("{selector} never appeared");
}

/// Mounts the app at a query string in a fresh container (the test runner's own output stays
/// in the page), replacing any app an earlier test mounted.
fn mount_at(query: &str) {
    let history = web_sys::window().and_then(|w| w.history().ok()).expect("history");
    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(query)).expect("replaceState");
    let doc = document();
    if let Some(old) = doc.get_element_by_id("app-under-test") {
        old.remove();
    }
    let container = doc.create_element("div").expect("div");
    container.set_id("app-under-test");
    doc.body().expect("body").append_child(&container).expect("append");
    let container: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(container);
    // The handle is leaked on purpose: the app stays mounted until the next test removes it.
    std::mem::forget(leptos::mount::mount_to(container, within500_web::App));
}

#[wasm_bindgen_test]
async fn app_draws_the_city_and_answers_in_both_panes() {
    mount_at("?seed=7&people=20000");
    let canvas = wait_for("canvas.map[data-drawn='city']").await;
    assert!(canvas.client_width() > 0);
    let list = wait_for("[data-testid=exposed-list] li").await;
    assert!(!list.text_content().unwrap_or_default().is_empty());
    let answer = wait_for("[data-testid=private-answer]").await.text_content().unwrap_or_default();
    assert!(answer.contains("listed nearby"), "{answer}");
    let badge = wait_for("[data-testid=synthetic-badge]").await;
    assert_eq!(badge.text_content().as_deref(), Some("SYNTHETIC DATA"));
}

#[wasm_bindgen_test]
async fn a_bad_link_shows_the_notice() {
    mount_at("?seed=7&people=20000&r=abc");
    let notice = wait_for("[data-testid=url-notice]").await.text_content().unwrap_or_default();
    assert!(notice.contains("r=\"abc\""), "{notice}");
    wait_for("canvas.map[data-drawn='city']").await;
}

/// The same seed gives the same city in the browser as natively. `cargo xtask test` passes the
/// native fingerprint in at compile time; without it (a bare `cargo test`) this compares two
/// browser runs only.
#[wasm_bindgen_test]
fn the_city_is_the_same_as_natively() {
    let config = CityConfig { seed: 2019, people: 20_000, listed_rate: 0.01 };
    let here = City::generate(config).expect("valid").fingerprint();
    match option_env!("WITHIN500_NATIVE_FINGERPRINT") {
        Some(native) => assert_eq!(here, native),
        None => assert_eq!(here, City::generate(config).expect("valid").fingerprint()),
    }
}

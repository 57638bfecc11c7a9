//! The canvas map: density by cell, streets, districts, the position, the circle and the cells
//! that cover it, homes where the fidelity or the ground-truth overlay shows them.

use gloo::events::EventListener;
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;
use within500_engine::LatLng;

use super::mapdraw::{blit, draw_lab, draw_labels, draw_marks, draw_query, static_layer, Frame, StaticLayer, MARKER_CLEAR_PX};
use crate::i18n::td_string;
use crate::model::labels::Rect;
use crate::model::map::{follow, key_action, wheel_factor, Gesture, Gestures, KeyAction};
use crate::{now_ms, use_ctx};

/// Boxes of the controls laid over the map (zoom buttons, the key), in canvas pixels.
fn overlay_boxes(canvas: &web_sys::HtmlCanvasElement) -> Vec<Rect> {
    let Some(frame) = canvas.parent_element() else { return Vec::new() };
    let origin = canvas.get_bounding_client_rect();
    let Ok(list) = frame.query_selector_all(".map-buttons, .map-key") else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.get_bounding_client_rect())
        .filter(|r| r.width() > 0.0 && r.height() > 0.0)
        .map(|r| Rect { x: r.left() - origin.left(), y: r.top() - origin.top(), w: r.width(), h: r.height() })
        .collect()
}

/// Redraws the map on every change of what it shows (and on resize), and marks the canvas
/// for tests: drawn, zoom, and when the first city was drawn. A change asks for one drawing at
/// the next animation frame, however many changes come before it (a move changes the position,
/// the view and then both answers): the frame draws once, with the latest of each, after the
/// panes' updates, so the page's layout is worked out once too.
fn draw_on_change(canvas: NodeRef<html::Canvas>, redraw: RwSignal<u32>) {
    let c = use_ctx();
    let queued = StoredValue::new(false);
    observe_sizes(canvas, redraw);
    let draw = draw_now(canvas, queued, redraw);
    Effect::new(move |_| {
        redraw.track();
        canvas.track();
        c.loaded.track();
        c.answers.track();
        c.state.track();
        c.lab.track();
        c.viewport.track();
        c.truth_overlay.track();
        if !queued.get_value() {
            queued.set_value(true);
            request_animation_frame(draw);
        }
    });
}

/// Moves `redraw` on whenever a `ResizeObserver` sees the canvas or a control over it (the zoom
/// buttons, the key) change size, so that the drawing reads the sizes again (see [`draw_now`]).
fn observe_sizes(canvas: NodeRef<html::Canvas>, redraw: RwSignal<u32>) {
    let observer = StoredValue::new_local(None::<(web_sys::ResizeObserver, wasm_bindgen::closure::Closure<dyn FnMut()>)>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        if let Some(Some((o, _))) = observer.try_update_value(Option::take) {
            o.disconnect();
        }
        let changed = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || redraw.update(|n| *n += 1));
        if let Ok(o) = web_sys::ResizeObserver::new(changed.as_ref().unchecked_ref()) {
            o.observe(&el);
            let controls = el.parent_element().and_then(|f| f.query_selector_all(".map-buttons, .map-key").ok());
            for i in 0..controls.as_ref().map_or(0, web_sys::NodeList::length) {
                if let Some(e) = controls.as_ref().and_then(|l| l.item(i)).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) {
                    o.observe(&e);
                }
            }
            observer.set_value(Some((o, changed)));
        }
    });
    on_cleanup(move || {
        if let Some(Some((o, _))) = observer.try_update_value(Option::take) {
            o.disconnect();
        }
    });
}

/// Draws the map as it is now (every value read untracked: [`draw_on_change`] decides when).
/// The canvas's size and the controls' boxes are read from the page (which makes the browser lay
/// it out) only when `redraw` has moved on since they were read (the window resized, the key
/// opened or closed, a `ResizeObserver`'s report), and the boxes also when the zoom changed (the
/// key follows it): not on every frame.
fn draw_now(canvas: NodeRef<html::Canvas>, queued: StoredValue<bool>, redraw: RwSignal<u32>) -> impl Fn() + Copy + 'static {
    let c = use_ctx();
    let first_drawn = StoredValue::new(false);
    let cache: StoredValue<Option<StaticLayer>, LocalStorage> = StoredValue::new_local(None);
    // The size for a value of `redraw`; the boxes for a value of `redraw` and a zoom.
    let size = StoredValue::new(None::<(u32, (f64, f64))>);
    let overlays = StoredValue::new(None::<((u32, u64), Vec<Rect>)>);
    move || {
        // The frame may come after the map was taken off the page (its values are then gone).
        if queued.try_set_value(false).is_some() {
            return;
        }
        let Some(el) = canvas.try_get_untracked().flatten() else { return };
        let loaded = c.loaded.get_untracked();
        let answers = c.answers.get_untracked();
        let state = c.state.get_untracked();
        let lab = c.lab.get_untracked();
        let rev = redraw.get_untracked();
        let (width, height) = match size.get_value() {
            Some((r, wh)) if r == rev => wh,
            _ => {
                let wh = (f64::from(el.client_width().max(200)), f64::from(el.client_height().max(200)));
                size.set_value(Some((rev, wh)));
                wh
            }
        };
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        // Sizing a canvas reallocates and clears it even at its current size: only when it changed.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let (w, h) = ((width * dpr) as u32, (height * dpr) as u32);
        if (el.width(), el.height()) != (w, h) {
            el.set_width(w);
            el.set_height(h);
        }
        let mut v = c.viewport.get_untracked();
        if (v.width, v.height) != (width, height) {
            v.width = width;
            v.height = height;
            c.viewport.set(v);
        }
        let Ok(Some(obj)) = el.get_context("2d") else { return };
        let Ok(ctx) = obj.dyn_into::<CanvasRenderingContext2d>() else { return };
        // Each frame starts from the context's default state (as a resized canvas would) and clear.
        ctx.save();
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, width, height);
        let frame = Frame {
            loaded: loaded.as_deref(),
            answers: answers.as_deref(),
            state: &state,
            truth: c.truth_overlay.get_untracked(),
            lab: lab.as_ref(),
        };
        // The static layers come from the offscreen image, drawn again only when they change.
        let layer = static_layer(cache.try_update_value(Option::take).flatten(), &v, dpr, &frame);
        if let Some(layer) = &layer {
            blit(&ctx, layer, dpr);
        }
        cache.set_value(layer);
        draw_query(&ctx, &v, &frame);
        draw_lab(&ctx, &v, &frame);
        let (mx, my) = v.to_px(state.at);
        let mut keep_clear = vec![Rect::around(mx, my, MARKER_CLEAR_PX)];
        keep_clear.extend(draw_marks(&ctx, &v, &frame));
        let key = (rev, v.metres_per_px.to_bits());
        let boxes = overlays.try_update_value(|o| match o {
            Some((k, b)) if *k == key => b.clone(),
            _ => {
                let b = overlay_boxes(&el);
                *o = Some((key, b.clone()));
                b
            }
        });
        keep_clear.extend(boxes.unwrap_or_default());
        let labels = draw_labels(&ctx, &v, &frame, &keep_clear);
        ctx.restore();
        // Where the labels went and what they kept clear of, for tests.
        let _ = el.set_attribute("data-labels", &serde_json::to_string(&labels).unwrap_or_default());
        let _ = el.set_attribute("data-keep-clear", &serde_json::to_string(&keep_clear).unwrap_or_default());
        if loaded.is_some() && !first_drawn.get_value() {
            first_drawn.set_value(true);
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-map-drawn-ms", &format!("{:.1}", now_ms()));
            }
        }
        let _ = el.set_attribute("data-drawn", if loaded.is_some() { "city" } else { "empty" });
        // The zoom, for tests and for anyone reading the page's state.
        let _ = el.set_attribute("data-metres-per-px", &format!("{:.4}", v.metres_per_px));
    }
}

/// The map, drawn on a canvas; drag the marker, pan, zoom with the wheel, pinch-free buttons or
/// the keyboard ([`Gestures`] and [`key_action`] decide what each does).
#[component]
pub fn MapView() -> impl IntoView {
    let c = use_ctx();
    let canvas = NodeRef::<html::Canvas>::new();
    let gestures = StoredValue::new(Gestures::default());
    let redraw = RwSignal::new(0u32);
    // The listener lives as long as the map (gloo removes it when dropped).
    let resize = StoredValue::new_local(web_sys::window().map(|w| EventListener::new(&w, "resize", move |_| redraw.update(|n| *n += 1))));
    on_cleanup(move || resize.dispose());
    draw_on_change(canvas, redraw);

    let move_to = move |p: LatLng, replace: bool| {
        if c.movable() && within500_engine::in_city_bounds(p) {
            let mut s = c.state.get_untracked();
            s.at = p;
            if replace {
                c.go_soon(&s);
            } else {
                c.go(&s, false);
            }
        }
    };
    let local = move |x: i32, y: i32| {
        let r = canvas.get_untracked()?.get_bounding_client_rect();
        Some((f64::from(x) - r.left(), f64::from(y) - r.top()))
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = local(ev.client_x(), ev.client_y()) else { return };
        let (v, at) = (c.viewport.get_untracked(), c.state.get_untracked().at);
        if gestures.try_update_value(|g| g.down(ev.pointer_id(), x, y, &v, at, c.movable())) == Some(true) {
            c.dragging.set(true);
        }
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = local(ev.client_x(), ev.client_y()) else { return };
        let v = c.viewport.get_untracked();
        match gestures.try_update_value(|g| g.moved(ev.pointer_id(), x, y, &v)) {
            Some(Gesture::View(next)) => c.viewport.set(next),
            Some(Gesture::Marker(p)) => move_to(p, true),
            _ => {}
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        if gestures.try_update_value(|g| g.up(ev.pointer_id())) == Some(true) {
            c.dragging.set(false);
            // Each drop of the marker asks the map again: one question.
            c.questions.update(|q| *q += 1);
        }
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some((x, y)) = local(ev.client_x(), ev.client_y()) else { return };
        c.viewport.update(|v| *v = v.zoomed(wheel_factor(ev.delta_y()), x, y));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(action) = key_action(&ev.key(), ev.shift_key(), c.state.get_untracked().at) else { return };
        ev.prevent_default();
        match action {
            KeyAction::Zoom(factor) => c.viewport.update(|v| *v = v.zoomed(factor, v.width / 2.0, v.height / 2.0)),
            KeyAction::Move(p) => {
                move_to(p, true);
                c.questions.update(|q| *q += 1);
                c.viewport.update(|v| *v = follow(v, p));
            }
        }
    };
    let zoom = move |factor: f64| c.viewport.update(|v| *v = v.zoomed(factor, v.width / 2.0, v.height / 2.0));
    let l = c.locale_untracked();

    view! {
        <div class="map-wrap">
            <div class="map-frame">
            <canvas
                node_ref=canvas
                class="map"
                tabindex="0"
                role="application"
                aria-label=move || if c.movable() { td_string!(l, ui.map_label) } else { td_string!(l, ui.map_label_fixed) }.to_string()
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=on_up
                on:wheel=on_wheel
                on:keydown=on_key
            ></canvas>
            <p class="visually-hidden">{td_string!(l, ui.map_hidden_note)}</p>
            <div class="map-buttons">
                <button type="button" aria-label=td_string!(l, ui.zoom_in).to_string() on:click=move |_| zoom(1.5)>"+"</button>
                <button type="button" aria-label=td_string!(l, ui.zoom_out).to_string() on:click=move |_| zoom(1.0 / 1.5)>"−"</button>
                <button type="button" aria-label=td_string!(l, ui.recentre).to_string()
                    on:click=move |_| c.viewport.update(|v| v.centre = c.state.get_untracked().at)>"◎"</button>
            </div>
            <MapKey redraw=redraw />
            <MapStatus />
            </div>
            <MapLegend />
        </div>
    }
}

/// The map's key, over its lower right corner (the labels keep clear of it); folded until opened.
#[component]
fn MapKey(
    /// Bumped when the key opens or folds, so that the labels make room for it.
    redraw: RwSignal<u32>,
) -> impl IntoView {
    let l = use_ctx().locale_untracked();
    view! {
        <details class="map-key" data-testid="map-key" on:toggle=move |_| redraw.update(|n| *n += 1)>
            <summary>{td_string!(l, ui.key_title)}</summary>
            <ul>
                <li><span class="key-swatch key-position" aria-hidden="true"></span>{td_string!(l, ui.key_position)}</li>
                <li><span class="key-swatch key-pin" aria-hidden="true"></span>{td_string!(l, ui.key_pins)}</li>
                <li><span class="key-swatch key-cells" aria-hidden="true"></span>{td_string!(l, ui.key_cells)}</li>
                <li><span class="key-swatch key-density" aria-hidden="true"></span>{td_string!(l, ui.key_density)}</li>
                <li><span class="key-swatch key-arterial" aria-hidden="true"></span>{td_string!(l, ui.key_arterial)}</li>
                <li><span class="key-swatch key-building" aria-hidden="true"></span>{td_string!(l, ui.key_building)}</li>
                <li><span class="key-swatch key-park" aria-hidden="true"></span>{td_string!(l, ui.key_park)}</li>
                <li><span class="key-swatch key-shops" aria-hidden="true"></span>{td_string!(l, ui.key_shops)}</li>
                <li><span class="key-swatch key-water" aria-hidden="true"></span>{td_string!(l, ui.key_water)}</li>
                <li><span class="key-swatch key-rail" aria-hidden="true"></span>{td_string!(l, ui.key_rail)}</li>
                <li><span class="key-swatch key-district" aria-hidden="true"></span>{td_string!(l, ui.key_district)}</li>
            </ul>
        </details>
    }
}

/// The generation's message, progress and Cancel button over the map.
#[component]
fn MapStatus() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    view! {
        <Show when=move || c.status.get().is_some()>
            <div class="map-status" role="status">
                <span>{move || c.status.get().unwrap_or_default()}</span>
                {move || c.progress.get().map(|p| view! {
                    <span class="map-progress">
                        <progress max="1" value=p aria-label=td_string!(l, ui.generation_progress).to_string()></progress>
                        {format!(" {:.0} %", p * 100.0)}
                        " "
                        <button type="button" data-testid="cancel-generation" on:click=move |_| c.cancel.set(true)>
                            {td_string!(l, ui.cancel_generation)}
                        </button>
                    </span>
                })}
            </div>
        </Show>
    }
}

/// The lab's legend, when a run is shown, and the ground-truth switch.
#[component]
fn MapLegend() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    view! {
        <Show when=move || c.lab.with(Option::is_some)>
            <p class="legend">
                <span class="warm-text">{td_string!(l, ui.legend_exposed)}</span>" · "
                <span class="cool-text">{td_string!(l, ui.legend_private)}</span>
                " · "{td_string!(l, ui.legend_lines)}
            </p>
        </Show>
        <label class="truth-toggle">
            <input type="checkbox" prop:checked=move || c.truth_overlay.get()
                on:change=move |ev| c.truth_overlay.set(event_target_checked(&ev)) />
            " "{td_string!(l, ui.truth_toggle)}
        </label>
    }
}

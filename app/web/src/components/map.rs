//! The canvas map: density by cell, streets, districts, the position, the circle and the cells
//! that cover it, homes where the fidelity or the ground-truth overlay shows them.

use gloo::events::EventListener;
use leptos::{html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;
use within500_engine::{cell_boundary, AppState, LatLng, StreetPlan, CITY_CENTRE, CITY_RADIUS_M};

use crate::i18n::td_string;
use crate::model::map::{follow, key_action, scale_label, wheel_factor, Gesture, Gestures, KeyAction};
use crate::model::{Answers, LabResult, Loaded, Viewport};
use crate::{locale_of, now_ms, use_ctx};

fn polygon(ctx: &CanvasRenderingContext2d, v: &Viewport, points: &[LatLng]) {
    ctx.begin_path();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = v.to_px(*p);
        if i == 0 {
            ctx.move_to(x, y);
        } else {
            ctx.line_to(x, y);
        }
    }
    ctx.close_path();
}

/// What one frame of the map shows.
struct Frame<'a> {
    loaded: Option<&'a Loaded>,
    answers: Option<&'a Answers>,
    state: &'a AppState,
    truth: bool,
    lab: Option<&'a LabResult>,
}

/// The city: its disk, density by cell, streets, the central district's ring, the districts'
/// boundaries and names, and the ground truth when it is shown.
fn draw_city(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    ctx.set_fill_style_str("#f4f1ea");
    ctx.fill_rect(0.0, 0.0, v.width, v.height);

    // City disk and districts.
    let (cx, cy) = v.to_px(CITY_CENTRE);
    ctx.begin_path();
    let _ = ctx.arc(cx, cy, CITY_RADIUS_M / v.metres_per_px, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str("#fbfaf7");
    ctx.fill();
    if let Some(l) = f.loaded {
        for cell in &l.layers.density {
            let share = f64::from(cell.people) / f64::from(l.layers.max_people.max(1));
            ctx.set_fill_style_str(&format!("rgba(90, 90, 110, {:.3})", 0.06 + 0.5 * share.sqrt()));
            polygon(ctx, v, &cell.boundary);
            ctx.fill();
        }
        ctx.set_stroke_style_str("rgba(120, 110, 100, 0.35)");
        ctx.set_line_width(if v.metres_per_px < 10.0 { 1.5 } else { 0.6 });
        for s in l.city.plan().streets() {
            let (a, b) = s.endpoints(l.city.frame());
            let ((x0, y0), (x1, y1)) = (v.to_px(a), v.to_px(b));
            ctx.begin_path();
            ctx.move_to(x0, y0);
            ctx.line_to(x1, y1);
            ctx.stroke();
        }
        ctx.set_stroke_style_str("rgba(60, 60, 60, 0.6)");
        ctx.set_line_width(1.5);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, 3_500.0 / v.metres_per_px, 0.0, std::f64::consts::TAU);
        ctx.stroke();
        for d in 0..7 {
            let a = f64::from(d) / 7.0 * std::f64::consts::TAU;
            let (x0, y0) = v.to_px(l.city.frame().to_latlng(3_500.0 * a.cos(), 3_500.0 * a.sin()));
            let (x1, y1) = v.to_px(l.city.frame().to_latlng(CITY_RADIUS_M * a.cos(), CITY_RADIUS_M * a.sin()));
            ctx.begin_path();
            ctx.move_to(x0, y0);
            ctx.line_to(x1, y1);
            ctx.stroke();
        }
        if v.metres_per_px > 8.0 {
            ctx.set_fill_style_str("#333");
            ctx.set_font("600 13px system-ui, sans-serif");
            for d in StreetPlan::districts() {
                let (e, n) = if d.index == 0 {
                    (0.0, 0.0)
                } else {
                    let a = (f64::from(d.index) - 0.5) / 7.0 * std::f64::consts::TAU;
                    (9_000.0 * a.cos(), 9_000.0 * a.sin())
                };
                let (x, y) = v.to_px(l.city.frame().to_latlng(e, n));
                let _ = ctx.fill_text(if f.state.lang == within500_engine::Lang::Zh { d.name_zh } else { d.name_en }, x - 30.0, y);
            }
        }
        if f.truth {
            ctx.set_fill_style_str("rgba(20, 20, 20, 0.8)");
            for (_, home) in l.city.listed_homes() {
                let (x, y) = v.to_px(home);
                ctx.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0);
            }
        }
    }
}

/// The query: covering cells, the circle, the marker, and the homes the deployed pane pins.
fn draw_query(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    // Covering cells, circle, homes shown by the deployed pane at fidelity `pins`.
    let (px, py) = v.to_px(f.state.at);
    if let Some(a) = f.answers {
        ctx.set_stroke_style_str("rgba(30, 90, 160, 0.55)");
        ctx.set_line_width(1.0);
        for &cell in &a.covering {
            polygon(ctx, v, &cell_boundary(cell));
            ctx.stroke();
        }
        for e in &a.exposed.entries {
            if let Some(h) = e.home {
                let (x, y) = v.to_px(h);
                ctx.set_fill_style_str("#b3261e");
                ctx.begin_path();
                let _ = ctx.arc(x, y, 5.0, 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }
    }
    ctx.begin_path();
    let _ = ctx.arc(px, py, f.state.radius_m / v.metres_per_px, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str("rgba(217, 95, 2, 0.10)");
    ctx.fill();
    ctx.set_stroke_style_str("#c2410c");
    ctx.set_line_width(2.0);
    ctx.stroke();
    ctx.begin_path();
    let _ = ctx.arc(px, py, 9.0, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str("#1d4ed8");
    ctx.fill();
    ctx.set_stroke_style_str("#fff");
    ctx.set_line_width(3.0);
    ctx.stroke();
}

/// The lab's estimates, each joined to the true home by a line, and its latest questions.
fn draw_lab(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    // The lab's estimates, each joined to the true home by a line.
    if let Some(r) = f.lab {
        for (m, colour) in [(&r.exposed, "rgba(179, 38, 30, 0.75)"), (&r.private, "rgba(29, 78, 216, 0.75)")] {
            let Ok(m) = m else { continue };
            ctx.set_stroke_style_str(colour);
            ctx.set_fill_style_str(colour);
            ctx.set_line_width(1.0);
            // The latest question positions as small crosses.
            for q in &m.recent_queries {
                let (x, y) = v.to_px(*q);
                if x < 0.0 || y < 0.0 || x > v.width || y > v.height {
                    continue;
                }
                ctx.begin_path();
                ctx.move_to(x - 2.0, y);
                ctx.line_to(x + 2.0, y);
                ctx.move_to(x, y - 2.0);
                ctx.line_to(x, y + 2.0);
                ctx.stroke();
            }
            for o in &m.outcomes {
                let Some(e) = o.estimate else { continue };
                let ((x0, y0), (x1, y1)) = (v.to_px(e), v.to_px(o.truth));
                if x0.max(x1) < 0.0 || y0.max(y1) < 0.0 || x0.min(x1) > v.width || y0.min(y1) > v.height {
                    continue;
                }
                ctx.begin_path();
                ctx.move_to(x0, y0);
                ctx.line_to(x1, y1);
                ctx.stroke();
                ctx.fill_rect(x0 - 2.5, y0 - 2.5, 5.0, 5.0);
            }
        }
    }
}

/// The scale bar and the synthetic-data mark, always drawn into the image.
fn draw_marks(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    // Scale bar and the synthetic-data mark, always drawn into the image.
    let (metres, bar) = v.scale_bar();
    ctx.set_fill_style_str("#111");
    ctx.fill_rect(16.0, v.height - 22.0, bar, 4.0);
    ctx.set_font("12px system-ui, sans-serif");
    let label = scale_label(metres);
    let _ = ctx.fill_text(&label, 16.0, v.height - 28.0);
    ctx.set_font("700 13px system-ui, sans-serif");
    // The full mark on wide maps; on a phone, short enough to stay clear of the zoom buttons.
    let l = locale_of(f.state.lang);
    let mark = if v.width >= 480.0 {
        td_string!(l, ui.map_mark_long, seed = f.state.city.seed, people = f.state.city.people).to_string()
    } else {
        td_string!(l, ui.map_mark_short, seed = f.state.city.seed).to_string()
    };
    let w = ctx.measure_text(&mark).map_or(260.0, |m| m.width());
    // Top left, clear of the scale bar and the zoom buttons, and part of any saved image.
    ctx.set_fill_style_str("rgba(255,255,255,0.9)");
    ctx.fill_rect(8.0, 8.0, w + 12.0, 22.0);
    ctx.set_fill_style_str("#7a1d12");
    let _ = ctx.fill_text(&mark, 14.0, 24.0);
}

/// Redraws the map on every change of what it shows (and on resize), and marks the canvas
/// for tests: drawn, zoom, and when the first city was drawn.
fn draw_on_change(canvas: NodeRef<html::Canvas>, redraw: RwSignal<u32>) {
    let c = use_ctx();
    let first_drawn = StoredValue::new(false);
    Effect::new(move |_| {
        redraw.track();
        let Some(el) = canvas.get() else { return };
        let loaded = c.loaded.get();
        let answers = c.answers.get();
        let state = c.state.get();
        let lab = c.lab.get();
        let width = f64::from(el.client_width().max(200));
        let height = f64::from(el.client_height().max(200));
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        {
            el.set_width((width * dpr) as u32);
            el.set_height((height * dpr) as u32);
        }
        let mut v = c.viewport.get();
        if (v.width, v.height) != (width, height) {
            v.width = width;
            v.height = height;
            c.viewport.set(v);
        }
        let Ok(Some(obj)) = el.get_context("2d") else { return };
        let Ok(ctx) = obj.dyn_into::<CanvasRenderingContext2d>() else { return };
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        let frame =
            Frame { loaded: loaded.as_deref(), answers: answers.as_ref(), state: &state, truth: c.truth_overlay.get(), lab: lab.as_ref() };
        draw_city(&ctx, &v, &frame);
        draw_query(&ctx, &v, &frame);
        draw_lab(&ctx, &v, &frame);
        draw_marks(&ctx, &v, &frame);
        if loaded.is_some() && !first_drawn.get_value() {
            first_drawn.set_value(true);
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-map-drawn-ms", &format!("{:.1}", now_ms()));
            }
        }
        let _ = el.set_attribute("data-drawn", if loaded.is_some() { "city" } else { "empty" });
        // The zoom, for tests and for anyone reading the page's state.
        let _ = el.set_attribute("data-metres-per-px", &format!("{:.4}", v.metres_per_px));
    });
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
            c.go(&s, replace);
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
            <MapStatus />
            <MapLegend />
        </div>
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

//! The canvas map: density by cell, streets, districts, the position, the circle and the cells
//! that cover it, homes where the fidelity or the ground-truth overlay shows them.

use leptos::{ev, html, prelude::*};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;
use within500_engine::{cell_boundary, LatLng, StreetPlan, CITY_CENTRE, CITY_RADIUS_M};

use crate::i18n::td_string;
use crate::model::Viewport;
use crate::{locale_of, now_ms, use_ctx};

/// How the pointer is being dragged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    None,
    Marker,
    Pan { x: f64, y: f64 },
}

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

/// The map, drawn on a canvas; drag the marker, pan, zoom with the wheel, pinch-free buttons or
/// the keyboard.
#[component]
pub fn MapView() -> impl IntoView {
    let c = use_ctx();
    let canvas = NodeRef::<html::Canvas>::new();
    let drag = StoredValue::new(Drag::None);
    // Pointers currently down (id, x, y), for pinch zoom with two fingers.
    let pointers: StoredValue<Vec<(i32, f64, f64)>> = StoredValue::new(Vec::new());
    let redraw = RwSignal::new(0u32);
    let first_drawn = StoredValue::new(false);
    let _resize = window_event_listener(ev::resize, move |_| redraw.update(|n| *n += 1));

    let move_to = move |p: LatLng, replace: bool| {
        if c.movable() && within500_engine::in_city_bounds(p) {
            let mut s = c.state.get_untracked();
            s.at = p;
            c.go(&s, replace);
        }
    };

    Effect::new(move |_| {
        redraw.track();
        let Some(el) = canvas.get() else { return };
        let loaded = c.loaded.get();
        let answers = c.answers.get();
        let state = c.state.get();
        let truth = c.truth_overlay.get();
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
        if v.width != width || v.height != height {
            v.width = width;
            v.height = height;
            c.viewport.set(v);
        }
        let Ok(Some(obj)) = el.get_context("2d") else { return };
        let Ok(ctx) = obj.dyn_into::<CanvasRenderingContext2d>() else { return };
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.set_fill_style_str("#f4f1ea");
        ctx.fill_rect(0.0, 0.0, width, height);

        // City disk and districts.
        let (cx, cy) = v.to_px(CITY_CENTRE);
        ctx.begin_path();
        let _ = ctx.arc(cx, cy, CITY_RADIUS_M / v.metres_per_px, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str("#fbfaf7");
        ctx.fill();
        if let Some(l) = &loaded {
            for cell in &l.layers.density {
                let share = f64::from(cell.people) / f64::from(l.layers.max_people.max(1));
                ctx.set_fill_style_str(&format!("rgba(90, 90, 110, {:.3})", 0.06 + 0.5 * share.sqrt()));
                polygon(&ctx, &v, &cell.boundary);
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
                    let _ = ctx.fill_text(if state.lang == within500_engine::Lang::Zh { d.name_zh } else { d.name_en }, x - 30.0, y);
                }
            }
            if truth {
                ctx.set_fill_style_str("rgba(20, 20, 20, 0.8)");
                for (_, home) in l.city.listed_homes() {
                    let (x, y) = v.to_px(home);
                    ctx.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0);
                }
            }
        }

        // Covering cells, circle, homes shown by the deployed pane at fidelity `pins`.
        let (px, py) = v.to_px(state.at);
        if let Some(a) = &answers {
            ctx.set_stroke_style_str("rgba(30, 90, 160, 0.55)");
            ctx.set_line_width(1.0);
            for &cell in &a.covering {
                polygon(&ctx, &v, &cell_boundary(cell));
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
        let _ = ctx.arc(px, py, state.radius_m / v.metres_per_px, 0.0, std::f64::consts::TAU);
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

        // The lab's estimates, each joined to the true home by a line.
        if let Some(r) = &lab {
            for (m, colour) in [(&r.exposed, "rgba(179, 38, 30, 0.75)"), (&r.private, "rgba(29, 78, 216, 0.75)")] {
                let Ok(m) = m else { continue };
                ctx.set_stroke_style_str(colour);
                ctx.set_fill_style_str(colour);
                ctx.set_line_width(1.0);
                // The latest question positions as small crosses.
                for q in &m.recent_queries {
                    let (x, y) = v.to_px(*q);
                    if x < 0.0 || y < 0.0 || x > width || y > height {
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
                    if x0.max(x1) < 0.0 || y0.max(y1) < 0.0 || x0.min(x1) > width || y0.min(y1) > height {
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

        // Scale bar and the synthetic-data mark, always drawn into the image.
        let (metres, bar) = v.scale_bar();
        ctx.set_fill_style_str("#111");
        ctx.fill_rect(16.0, height - 22.0, bar, 4.0);
        ctx.set_font("12px system-ui, sans-serif");
        let label = if metres >= 1_000.0 { format!("{} km", metres / 1_000.0) } else { format!("{metres} m") };
        let _ = ctx.fill_text(&label, 16.0, height - 28.0);
        ctx.set_font("700 13px system-ui, sans-serif");
        // The full mark on wide maps; on a phone, short enough to stay clear of the zoom buttons.
        let l = locale_of(state.lang);
        let mark = if width >= 480.0 {
            td_string!(l, ui.map_mark_long, seed = state.city.seed, people = state.city.people).to_string()
        } else {
            td_string!(l, ui.map_mark_short, seed = state.city.seed).to_string()
        };
        let w = ctx.measure_text(&mark).map_or(260.0, |m| m.width());
        // Top left, clear of the scale bar and the zoom buttons, and part of any saved image.
        ctx.set_fill_style_str("rgba(255,255,255,0.9)");
        ctx.fill_rect(8.0, 8.0, w + 12.0, 22.0);
        ctx.set_fill_style_str("#7a1d12");
        let _ = ctx.fill_text(&mark, 14.0, 24.0);

        if loaded.is_some() && !first_drawn.get_value() {
            first_drawn.set_value(true);
            if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
                let _ = body.set_attribute("data-map-drawn-ms", &format!("{:.1}", now_ms()));
            }
        }
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_attribute("data-drawn", if loaded.is_some() { "city" } else { "empty" });
            // The zoom, for tests and for anyone reading the page's state.
            let _ = el.set_attribute("data-metres-per-px", &format!("{:.4}", v.metres_per_px));
        }
    });

    let local = move |ev: &web_sys::PointerEvent| {
        let el = canvas.get_untracked()?;
        let r = el.get_bounding_client_rect();
        Some((f64::from(ev.client_x()) - r.left(), f64::from(ev.client_y()) - r.top()))
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = local(&ev) else { return };
        pointers.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        let v = c.viewport.get_untracked();
        let (mx, my) = v.to_px(c.state.get_untracked().at);
        if c.movable() && (x - mx).hypot(y - my) <= 18.0 {
            drag.set_value(Drag::Marker);
            c.dragging.set(true);
        } else {
            drag.set_value(Drag::Pan { x, y });
        }
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let Some((x, y)) = local(&ev) else { return };
        // Two pointers down: pinch. Zoom by the change in their distance, about their midpoint.
        let pinch = pointers.try_update_value(|p| {
            let before = (p.len() == 2).then(|| ((p[0].1 - p[1].1).hypot(p[0].2 - p[1].2), p[0].1 + p[1].1, p[0].2 + p[1].2));
            if let Some(q) = p.iter_mut().find(|q| q.0 == ev.pointer_id()) {
                q.1 = x;
                q.2 = y;
            }
            let after = (p.len() == 2).then(|| (p[0].1 - p[1].1).hypot(p[0].2 - p[1].2));
            before.zip(after)
        });
        if let Some(Some(((d0, sx, sy), d1))) = pinch {
            if d0 > 1.0 {
                c.viewport.update(|v| *v = v.zoomed(d1 / d0, sx / 2.0, sy / 2.0));
            }
            return;
        }
        match drag.get_value() {
            Drag::None => {}
            Drag::Marker => move_to(c.viewport.get_untracked().to_latlng(x, y), true),
            Drag::Pan { x: x0, y: y0 } => {
                c.viewport.update(|v| *v = v.panned(x - x0, y - y0));
                drag.set_value(Drag::Pan { x, y });
            }
        }
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        pointers.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
        if drag.get_value() == Drag::Marker {
            c.dragging.set(false);
            // Each drop of the marker asks the map again: one question.
            c.questions.update(|q| *q += 1);
        }
        drag.set_value(Drag::None);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let Some(el) = canvas.get_untracked() else { return };
        let r = el.get_bounding_client_rect();
        let (x, y) = (f64::from(ev.client_x()) - r.left(), f64::from(ev.client_y()) - r.top());
        let factor = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
        c.viewport.update(|v| *v = v.zoomed(factor, x, y));
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let step = if ev.shift_key() { 200.0 } else { 25.0 };
        let at = c.state.get_untracked().at;
        let f = within500_engine::LocalFrame::new(at);
        let target = match ev.key().as_str() {
            "ArrowUp" => Some(f.to_latlng(0.0, step)),
            "ArrowDown" => Some(f.to_latlng(0.0, -step)),
            "ArrowLeft" => Some(f.to_latlng(-step, 0.0)),
            "ArrowRight" => Some(f.to_latlng(step, 0.0)),
            "+" | "=" => {
                c.viewport.update(|v| *v = v.zoomed(1.25, v.width / 2.0, v.height / 2.0));
                None
            }
            "-" => {
                c.viewport.update(|v| *v = v.zoomed(0.8, v.width / 2.0, v.height / 2.0));
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(p) = target {
            move_to(p, true);
            c.questions.update(|q| *q += 1);
            c.viewport.update(|v| {
                let (x, y) = v.to_px(p);
                if x < 0.0 || y < 0.0 || x > v.width || y > v.height {
                    v.centre = p;
                }
            });
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
        </div>
    }
}

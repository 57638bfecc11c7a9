//! Drawing the map: the static city once into an offscreen canvas (redrawn only when the city,
//! the view or the ground-truth overlay changes), then on every frame that image, the query, the
//! lab's estimates, the labels (placed by [`crate::model::labels`] clear of the marker, each other
//! and the controls) and the marks.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use within500_engine::layout::{BlockUse, Layout, BLOCK_M, BUILDING_SIZE_M, RADIALS, RING_ROADS_M};
use within500_engine::{
    cell_boundary, AppState, Lang, LatLng, LocalFrame, StreetAxis, StreetPlan, CITY_CENTRE, CITY_RADIUS_M, STREET_SPACING_M,
};

use crate::i18n::td_string;
use crate::locale_of;
use crate::model::labels::{around_anchor, place, Candidate, Placed, Rect};
use crate::model::map::scale_label;
use crate::model::{Answers, LabResult, Loaded, Viewport};

/// Every how many streets a road is an arterial (drawn wider and named from farther out).
const ARTERIAL_EVERY: i64 = 4;
/// Radius of the district boundary ring in metres (the central district's edge, the first ring road).
const CENTRAL_RING_M: f64 = within500_engine::CENTRAL_DISTRICT_RADIUS_M;
/// Closest zoom (metres per pixel) at which buildings are drawn.
const BUILDINGS_FROM_MPP: f64 = 3.5;
const PARK: &str = "#cfe3c1";
const COMMERCIAL: &str = "rgba(214, 170, 120, 0.28)";
const WATER: &str = "#8fbbe0";
/// Distance of the outer districts' names from the centre, in metres.
const DISTRICT_LABEL_M: f64 = 9_000.0;
/// Half the side of the square kept clear around the marker (its 9-pixel disc, 3-pixel rim and a
/// margin).
pub const MARKER_CLEAR_PX: f64 = 14.0;

/// Colours, chosen for contrast: text on its white halo is at least 9:1.
const INK: &str = "#1f1f1f";
const STREET_INK: &str = "#3a3a3a";
const HALO: &str = "rgba(255, 255, 255, 0.92)";

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
pub struct Frame<'a> {
    /// The city, once generated.
    pub loaded: Option<&'a Loaded>,
    /// Both panes' answers.
    pub answers: Option<&'a Answers>,
    /// The state shown.
    pub state: &'a AppState,
    /// Whether every listed home is drawn.
    pub truth: bool,
    /// The lab's last run.
    pub lab: Option<&'a LabResult>,
}

/// What the static image was drawn for: when any of it changes, it is drawn again.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticKey {
    city: usize,
    view: Viewport,
    dpr: f64,
    truth: bool,
}

/// The static layers drawn once, and what they were drawn for.
pub struct StaticLayer {
    key: StaticKey,
    canvas: HtmlCanvasElement,
}

/// Whether street `i` of an axis (its offset over the spacing) is an arterial.
fn is_arterial(offset_m: f64) -> bool {
    #[allow(clippy::cast_possible_truncation)] // offsets are at most the city's radius
    let i = (offset_m / STREET_SPACING_M).round() as i64;
    i % ARTERIAL_EVERY == 0
}

/// The city: its disk, density by cell, streets by rank, the districts' boundaries, and the ground
/// truth when it is shown.
fn draw_city(ctx: &CanvasRenderingContext2d, v: &Viewport, loaded: Option<&Loaded>, truth: bool) {
    ctx.set_fill_style_str("#f4f1ea");
    ctx.fill_rect(0.0, 0.0, v.width, v.height);
    let (cx, cy) = v.to_px(CITY_CENTRE);
    ctx.begin_path();
    let _ = ctx.arc(cx, cy, CITY_RADIUS_M / v.metres_per_px, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str("#fbfaf7");
    ctx.fill();
    let Some(l) = loaded else { return };
    // At city scale the cells are a few pixels across: drawn apart and blurred once, they read as
    // a smooth density rather than as grain.
    let smooth = v.metres_per_px > 15.0;
    let helper = if smooth { offscreen(v, 1.0) } else { None };
    let target = helper.as_ref().map_or(ctx, |(_, c)| c);
    // Lighter where buildings are drawn over it.
    let fade = if v.metres_per_px <= BUILDINGS_FROM_MPP { 0.45 } else { 1.0 };
    for cell in &l.layers.density {
        let share = f64::from(cell.people) / f64::from(l.layers.max_people.max(1));
        target.set_fill_style_str(&format!("rgba(90, 90, 110, {:.3})", fade * (0.06 + 0.5 * share.sqrt())));
        polygon(target, v, &cell.boundary);
        target.fill();
    }
    if let Some((canvas, _)) = &helper {
        ctx.set_filter(&format!("blur({:.1}px)", (150.0 / v.metres_per_px).clamp(1.5, 6.0)));
        let _ = ctx.draw_image_with_html_canvas_element_and_dw_and_dh(canvas, 0.0, 0.0, v.width, v.height);
        ctx.set_filter("none");
    }
    let layout = l.city.plan().layout();
    let frame = l.city.frame();
    let (lo, hi) = visible_local(v, frame);
    draw_blocks(ctx, v, layout, frame, lo, hi);
    draw_canal(ctx, v, layout, frame);
    // Streets by rank: local streets thin (and only when close enough to tell apart), arterials
    // as white roads with a casing, the ring roads and radials as arterials too.
    let streets = l.city.plan().streets();
    let stroke = |ctx: &CanvasRenderingContext2d, s: &within500_engine::Street| {
        let (a, b) = s.endpoints(frame);
        let ((x0, y0), (x1, y1)) = (v.to_px(a), v.to_px(b));
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        ctx.stroke();
    };
    if v.metres_per_px < 12.0 {
        ctx.set_stroke_style_str("rgba(120, 110, 100, 0.40)");
        ctx.set_line_width(if v.metres_per_px < 4.0 { 1.5 } else { 0.7 });
        for s in streets.iter().filter(|s| !is_arterial(s.offset_m)) {
            stroke(ctx, s);
        }
    }
    let width = (60.0 / v.metres_per_px).clamp(2.0, 9.0);
    for (colour, w) in [("rgba(110, 100, 90, 0.75)", width + 2.0), ("#ffffff", width)] {
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(w);
        for s in streets.iter().filter(|s| is_arterial(s.offset_m)) {
            stroke(ctx, s);
        }
    }
    // Ring roads and radials, wider: the city's main roads.
    for (colour, w) in [("rgba(150, 110, 60, 0.85)", width + 4.0), ("#fff4d6", width + 2.0)] {
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(w);
        for r in RING_ROADS_M {
            ctx.begin_path();
            let _ = ctx.arc(cx, cy, r / v.metres_per_px, 0.0, std::f64::consts::TAU);
            ctx.stroke();
        }
        stroke_radials(ctx, v, frame);
    }
    draw_rail(ctx, v, layout, frame);
    if v.metres_per_px <= BUILDINGS_FROM_MPP {
        draw_buildings(ctx, v, layout, frame, lo, hi);
    }
    // District boundaries: dashed along the first ring and the radials.
    ctx.set_stroke_style_str("rgba(60, 60, 60, 0.55)");
    ctx.set_line_width(1.2);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&6.0.into(), &4.0.into()));
    ctx.begin_path();
    let _ = ctx.arc(cx, cy, CENTRAL_RING_M / v.metres_per_px, 0.0, std::f64::consts::TAU);
    ctx.stroke();
    stroke_radials(ctx, v, frame);
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    if truth {
        ctx.set_fill_style_str("rgba(20, 20, 20, 0.8)");
        for (_, home) in l.city.listed_homes() {
            let (x, y) = v.to_px(home);
            ctx.fill_rect(x - 2.0, y - 2.0, 4.0, 4.0);
        }
    }
}

/// A canvas for the view at `dpr` device pixels per CSS pixel, and its context scaled to CSS pixels.
fn offscreen(v: &Viewport, dpr: f64) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let canvas: HtmlCanvasElement = web_sys::window()?.document()?.create_element("canvas").ok()?.dyn_into().ok()?;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    {
        canvas.set_width((v.width * dpr) as u32);
        canvas.set_height((v.height * dpr) as u32);
    }
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    Some((canvas, ctx))
}

/// Strokes the radials (the outer districts' edges), from the first ring to the city's edge.
fn stroke_radials(ctx: &CanvasRenderingContext2d, v: &Viewport, frame: &LocalFrame) {
    for d in 0..RADIALS {
        #[allow(clippy::cast_precision_loss)]
        let a = d as f64 / RADIALS as f64 * std::f64::consts::TAU;
        let (x0, y0) = v.to_px(frame.to_latlng(CENTRAL_RING_M * a.cos(), CENTRAL_RING_M * a.sin()));
        let (x1, y1) = v.to_px(frame.to_latlng(CITY_RADIUS_M * a.cos(), CITY_RADIUS_M * a.sin()));
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        ctx.stroke();
    }
}

/// The view's extent in the city's local metres: south-west and north-east corners.
fn visible_local(v: &Viewport, frame: &LocalFrame) -> ((f64, f64), (f64, f64)) {
    let (a, b) = (frame.to_local(v.to_latlng(0.0, v.height)), frame.to_local(v.to_latlng(v.width, 0.0)));
    ((a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1)))
}

/// The blocks in view, south-west corner first (at most a few thousand at city scale).
fn blocks_in_view(lo: (f64, f64), hi: (f64, f64)) -> impl Iterator<Item = u16> {
    let first = |v: f64| (v / BLOCK_M).floor() * BLOCK_M;
    let (x0, y0) = (first(lo.0.max(-CITY_RADIUS_M)), first(lo.1.max(-CITY_RADIUS_M)));
    let (x1, y1) = (hi.0.min(CITY_RADIUS_M), hi.1.min(CITY_RADIUS_M));
    let mut out = Vec::new();
    let mut x = x0;
    while x <= x1 {
        let mut y = y0;
        while y <= y1 {
            out.extend(Layout::block_of(x + 1.0, y + 1.0));
            y += BLOCK_M;
        }
        x += BLOCK_M;
    }
    out.into_iter()
}

/// A rectangle in local metres (centre, size) drawn as a polygon of the view.
fn local_rect(ctx: &CanvasRenderingContext2d, v: &Viewport, frame: &LocalFrame, centre: (f64, f64), size: (f64, f64)) {
    let (hx, hy) = (size.0 / 2.0, size.1 / 2.0);
    let corners = [(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)].map(|(dx, dy)| frame.to_latlng(centre.0 + dx, centre.1 + dy));
    polygon(ctx, v, &corners);
}

/// Parks in green and commercial blocks tinted, inside their streets.
fn draw_blocks(ctx: &CanvasRenderingContext2d, v: &Viewport, layout: &Layout, frame: &LocalFrame, lo: (f64, f64), hi: (f64, f64)) {
    let inset = 12.0;
    for block in blocks_in_view(lo, hi) {
        let colour = match layout.block_use(block) {
            BlockUse::Park => PARK,
            BlockUse::Commercial => COMMERCIAL,
            BlockUse::Residential | BlockUse::Outside => continue,
        };
        let (x0, y0) = Layout::block_origin(block);
        ctx.set_fill_style_str(colour);
        local_rect(ctx, v, frame, (x0 + BLOCK_M / 2.0, y0 + BLOCK_M / 2.0), (BLOCK_M - 2.0 * inset, BLOCK_M - 2.0 * inset));
        ctx.fill();
    }
}

/// The canal, as wide as it is (at least two pixels).
fn draw_canal(ctx: &CanvasRenderingContext2d, v: &Viewport, layout: &Layout, frame: &LocalFrame) {
    ctx.set_stroke_style_str(WATER);
    ctx.set_line_width((2.0 * within500_engine::layout::CANAL_HALF_WIDTH_M / v.metres_per_px).max(2.5));
    ctx.set_line_cap("round");
    ctx.begin_path();
    let mut started = false;
    let mut e = -CITY_RADIUS_M;
    while e <= CITY_RADIUS_M {
        let n = layout.canal_north_at(e);
        if e.hypot(n) < CITY_RADIUS_M {
            let (x, y) = v.to_px(frame.to_latlng(e, n));
            if started {
                ctx.line_to(x, y);
            } else {
                ctx.move_to(x, y);
                started = true;
            }
        } else if started {
            break;
        }
        e += 50.0;
    }
    ctx.stroke();
    ctx.set_line_cap("butt");
}

/// The rail line (dark, with white ties) and its station.
fn draw_rail(ctx: &CanvasRenderingContext2d, v: &Viewport, layout: &Layout, frame: &LocalFrame) {
    let (a, b) = layout.rail_ends();
    let ((x0, y0), (x1, y1)) = (v.to_px(frame.to_latlng(a.0, a.1)), v.to_px(frame.to_latlng(b.0, b.1)));
    for (colour, w, dash) in [("#4a4a4a", 4.0, None), ("#ffffff", 2.0, Some(8.0))] {
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(w);
        if let Some(d) = dash {
            let _ = ctx.set_line_dash(&js_sys::Array::of2(&d.into(), &d.into()));
        }
        ctx.begin_path();
        ctx.move_to(x0, y0);
        ctx.line_to(x1, y1);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());
    let (sx, sy) = v.to_px(frame.to_latlng(layout.station().0, layout.station().1));
    let side = (160.0 / v.metres_per_px).max(8.0);
    ctx.set_fill_style_str("#7a1d12");
    ctx.fill_rect(sx - side / 2.0, sy - side / 4.0, side, side / 2.0);
}

/// Building footprints of the residential compounds in view.
fn draw_buildings(ctx: &CanvasRenderingContext2d, v: &Viewport, layout: &Layout, frame: &LocalFrame, lo: (f64, f64), hi: (f64, f64)) {
    ctx.set_fill_style_str("#d6cfc4");
    ctx.set_stroke_style_str("#9c9284");
    ctx.set_line_width(1.0);
    for block in blocks_in_view(lo, hi) {
        for b in layout.buildings(block) {
            local_rect(ctx, v, frame, b.centre, BUILDING_SIZE_M);
            ctx.fill();
            ctx.stroke();
        }
    }
}

/// The static layers for this frame: the cached image when nothing it shows has changed, drawn
/// again otherwise.
pub fn static_layer(cache: Option<StaticLayer>, v: &Viewport, dpr: f64, f: &Frame<'_>) -> Option<StaticLayer> {
    let key = StaticKey { city: f.loaded.map_or(0, |l| std::ptr::from_ref(l) as usize), view: *v, dpr, truth: f.truth };
    if let Some(c) = cache.filter(|c| c.key == key) {
        return Some(c);
    }
    let (canvas, ctx) = offscreen(v, dpr)?;
    draw_city(&ctx, v, f.loaded, f.truth);
    Some(StaticLayer { key, canvas })
}

/// Copies the static image onto the map.
pub fn blit(ctx: &CanvasRenderingContext2d, layer: &StaticLayer, dpr: f64) {
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let _ = ctx.draw_image_with_html_canvas_element(&layer.canvas, 0.0, 0.0);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
}

/// The query: covering cells, the circle, the marker, and the homes the deployed pane pins.
pub fn draw_query(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    let (px, py) = v.to_px(f.state.at);
    if let Some(a) = f.answers {
        ctx.set_stroke_style_str("rgba(30, 90, 160, 0.55)");
        ctx.set_line_width(1.0);
        for &cell in &a.covering {
            polygon(ctx, v, &cell_boundary(cell));
            ctx.stroke();
        }
        ctx.set_fill_style_str("#b3261e");
        for e in &a.exposed.entries {
            if let Some(h) = e.home {
                let (x, y) = v.to_px(h);
                if x < -5.0 || y < -5.0 || x > v.width + 5.0 || y > v.height + 5.0 {
                    continue;
                }
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
pub fn draw_lab(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) {
    let Some(r) = f.lab else { return };
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

/// Width of a text in the current font.
fn text_width(ctx: &CanvasRenderingContext2d, text: &str) -> f64 {
    ctx.measure_text(text).map_or(0.0, |m| m.width())
}

const DISTRICT_FONT: &str = "600 14px system-ui, sans-serif";
const DISTRICT_H: f64 = 18.0;
const STREET_FONT: &str = "12px system-ui, sans-serif";
const STREET_H: f64 = 15.0;
const FEATURE_FONT: &str = "600 12px system-ui, sans-serif";
const FEATURE_H: f64 = 15.0;
const COMPOUND_FONT: &str = "italic 11px system-ui, sans-serif";
const COMPOUND_H: f64 = 14.0;

/// The station, the ring roads and the canal, each with places along it.
fn feature_candidates(ctx: &CanvasRenderingContext2d, v: &Viewport, l: &Loaded, lang: Lang, out: &mut Vec<Candidate>) {
    let layout = l.city.plan().layout();
    let frame = l.city.frame();
    let locale = locale_of(lang);
    ctx.set_font(FEATURE_FONT);
    let feature = |text: String, kind: &'static str, places: Vec<(f64, f64)>, out: &mut Vec<Candidate>| {
        let w = text_width(ctx, &text);
        let places = places.into_iter().map(|(x, y)| (x - w / 2.0, y - FEATURE_H / 2.0)).collect();
        out.push(Candidate { text, kind, w, h: FEATURE_H, places });
    };
    let (sx, sy) = v.to_px(frame.to_latlng(layout.station().0, layout.station().1));
    let station_clear = (80.0 / v.metres_per_px).max(6.0) + FEATURE_H;
    feature(td_string!(locale, ui.map.station).to_string(), "station", vec![(sx, sy - station_clear), (sx, sy + station_clear)], out);
    if v.metres_per_px <= 30.0 {
        let names = [td_string!(locale, ui.map.ring_2), td_string!(locale, ui.map.ring_3), td_string!(locale, ui.map.ring_4)];
        for (r, name) in RING_ROADS_M.iter().zip(names) {
            let places = (0..24)
                .map(|k| {
                    let a = f64::from(k) / 24.0 * std::f64::consts::TAU + 0.13;
                    v.to_px(frame.to_latlng(r * a.cos(), r * a.sin()))
                })
                .filter(|&(x, y)| x > 0.0 && y > 0.0 && x < v.width && y < v.height)
                .collect();
            feature(name.to_string(), "ring", places, out);
        }
        let canal = (0..60)
            .map(|k| {
                let e = -CITY_RADIUS_M + f64::from(k) * 500.0;
                (e, layout.canal_north_at(e))
            })
            .filter(|(e, n)| e.hypot(*n) < CITY_RADIUS_M - 500.0)
            .map(|(e, n)| v.to_px(frame.to_latlng(e, n)))
            .filter(|&(x, y)| x > 0.0 && y > 0.0 && x < v.width && y < v.height)
            .collect();
        feature(td_string!(locale, ui.map.canal).to_string(), "canal", canal, out);
    }
}

/// Close in, the compounds' names in their blocks.
fn compound_candidates(ctx: &CanvasRenderingContext2d, v: &Viewport, l: &Loaded, zh: bool, out: &mut Vec<Candidate>) {
    let (layout, frame) = (l.city.plan().layout(), l.city.frame());
    if v.metres_per_px <= 2.5 {
        ctx.set_font(COMPOUND_FONT);
        let (lo, hi) = visible_local(v, frame);
        for block in blocks_in_view(lo, hi) {
            if layout.block_use(block) != BlockUse::Residential {
                continue;
            }
            let (x0, y0) = Layout::block_origin(block);
            let (name_zh, name_en) = l.city.plan().compound_name(block);
            let text = if zh { name_zh } else { name_en };
            let w = text_width(ctx, &text);
            let centre = v.to_px(frame.to_latlng(x0 + BLOCK_M / 2.0, y0 + BLOCK_M / 2.0));
            let places = around_anchor(centre.0, centre.1, w, COMPOUND_H, 20.0);
            out.push(Candidate { text, kind: "compound", w, h: COMPOUND_H, places });
        }
    }
}

/// The labels the view could show, most important first: district names at city and district
/// scale, then arterial names, then (close in) every street's name, each with places along it.
fn label_candidates(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) -> Vec<Candidate> {
    let Some(l) = f.loaded else { return Vec::new() };
    let zh = f.state.lang == Lang::Zh;
    let mut out = Vec::new();
    if v.metres_per_px > 2.5 {
        ctx.set_font(DISTRICT_FONT);
        for d in StreetPlan::districts() {
            let (e, n) = if d.index == 0 {
                (0.0, 0.0)
            } else {
                let a = (f64::from(d.index) - 0.5) / 7.0 * std::f64::consts::TAU;
                (DISTRICT_LABEL_M * a.cos(), DISTRICT_LABEL_M * a.sin())
            };
            let (x, y) = v.to_px(l.city.frame().to_latlng(e, n));
            let text = if zh { format!("{}区", d.name_zh) } else { d.name_en.to_owned() };
            let w = text_width(ctx, &text);
            out.push(Candidate { places: around_anchor(x, y, w, DISTRICT_H, MARKER_CLEAR_PX), text, kind: "district", w, h: DISTRICT_H });
        }
    }
    feature_candidates(ctx, v, l, f.state.lang, &mut out);
    if v.metres_per_px <= 10.0 {
        ctx.set_font(STREET_FONT);
        let close = v.metres_per_px <= 3.0;
        let mut streets: Vec<_> = l.city.plan().streets().iter().filter(|s| close || is_arterial(s.offset_m)).collect();
        // Arterials first, then the rest; within a rank, nearest the view's centre first.
        let (centre_e, centre_n) = l.city.frame().to_local(v.centre);
        streets.sort_by(|a, b| {
            let dist = |s: &within500_engine::Street| match s.axis {
                StreetAxis::NorthSouth => (s.offset_m - centre_e).abs(),
                StreetAxis::EastWest => (s.offset_m - centre_n).abs(),
            };
            (!is_arterial(a.offset_m), dist(a)).partial_cmp(&(!is_arterial(b.offset_m), dist(b))).unwrap_or(std::cmp::Ordering::Equal)
        });
        for s in streets {
            let (a, b) = s.endpoints(l.city.frame());
            let ((x0, y0), (x1, y1)) = (v.to_px(a), v.to_px(b));
            let text = if zh { s.name_zh.clone() } else { s.name_en.clone() };
            let tw = text_width(ctx, &text);
            let places = match s.axis {
                // East-west: the label lies on the street, tried at several places along it.
                StreetAxis::EastWest => {
                    if !(0.0..=v.height).contains(&y0) {
                        continue;
                    }
                    let (lo, hi) = (x0.min(x1).max(0.0), x0.max(x1).min(v.width));
                    along(lo, hi, tw).into_iter().map(|c| (c - tw / 2.0, y0 - STREET_H / 2.0)).collect()
                }
                // North-south: written upwards along the road, so its box is tall.
                StreetAxis::NorthSouth => {
                    if !(0.0..=v.width).contains(&x0) {
                        continue;
                    }
                    let (lo, hi) = (y0.min(y1).max(0.0), y0.max(y1).min(v.height));
                    along(lo, hi, tw).into_iter().map(|c| (x0 - STREET_H / 2.0, c - tw / 2.0)).collect()
                }
            };
            let (w, h) = match s.axis {
                StreetAxis::EastWest => (tw, STREET_H),
                StreetAxis::NorthSouth => (STREET_H, tw),
            };
            out.push(Candidate { text, kind: if s.axis == StreetAxis::EastWest { "street" } else { "road" }, w, h, places });
        }
    }
    compound_candidates(ctx, v, l, zh, &mut out);
    out
}

/// Centres along a visible stretch from `lo` to `hi` for a label `len` long: its middle first,
/// then outwards.
fn along(lo: f64, hi: f64, len: f64) -> Vec<f64> {
    if hi - lo < len + 8.0 {
        return Vec::new();
    }
    let mid = f64::midpoint(lo, hi);
    let step = (len + 24.0).max(40.0);
    let mut out = vec![mid];
    for k in 1..12 {
        let d = f64::from(k) * step;
        out.extend([mid - d, mid + d].into_iter().filter(|c| *c - len / 2.0 >= lo && *c + len / 2.0 <= hi));
    }
    out
}

/// Places and draws the labels, clear of `keep_clear`; returns where each went.
pub fn draw_labels(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>, keep_clear: &[Rect]) -> Vec<Placed> {
    let candidates = label_candidates(ctx, v, f);
    let placed = place(candidates, keep_clear, Rect { x: 0.0, y: 0.0, w: v.width, h: v.height });
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.set_line_join("round");
    for p in &placed {
        let (font, ink) = match p.kind {
            "district" => (DISTRICT_FONT, INK),
            "station" | "ring" => (FEATURE_FONT, "#5c2a0a"),
            "canal" => (FEATURE_FONT, "#17476e"),
            "compound" => (COMPOUND_FONT, "#4a4038"),
            _ => (STREET_FONT, STREET_INK),
        };
        ctx.set_font(font);
        ctx.save();
        let _ = ctx.translate(p.rect.x + p.rect.w / 2.0, p.rect.y + p.rect.h / 2.0);
        if p.kind == "road" {
            let _ = ctx.rotate(-std::f64::consts::FRAC_PI_2);
        }
        ctx.set_stroke_style_str(HALO);
        ctx.set_line_width(4.0);
        let _ = ctx.stroke_text(&p.text, 0.0, 1.0);
        ctx.set_fill_style_str(ink);
        let _ = ctx.fill_text(&p.text, 0.0, 1.0);
        ctx.restore();
    }
    ctx.set_text_align("start");
    ctx.set_text_baseline("alphabetic");
    placed
}

/// The scale bar and the synthetic-data mark, always drawn into the image; returns the boxes they
/// take, for the labels to keep clear of.
pub fn draw_marks(ctx: &CanvasRenderingContext2d, v: &Viewport, f: &Frame<'_>) -> [Rect; 2] {
    let (metres, bar) = v.scale_bar();
    ctx.set_fill_style_str("#111");
    ctx.fill_rect(16.0, v.height - 22.0, bar, 4.0);
    ctx.set_font("12px system-ui, sans-serif");
    let label = scale_label(metres);
    let label_w = text_width(ctx, &label);
    let _ = ctx.fill_text(&label, 16.0, v.height - 28.0);
    ctx.set_font("700 13px system-ui, sans-serif");
    // The full mark on wide maps; on a phone, short enough to stay clear of the zoom buttons.
    let l = locale_of(f.state.lang);
    let mark = if v.width >= 480.0 {
        td_string!(l, ui.map_mark_long, seed = f.state.city.seed, people = f.state.city.people).to_string()
    } else {
        td_string!(l, ui.map_mark_short, seed = f.state.city.seed).to_string()
    };
    let w = text_width(ctx, &mark);
    // Top left, clear of the scale bar and the zoom buttons, and part of any saved image.
    ctx.set_fill_style_str("rgba(255,255,255,0.9)");
    ctx.fill_rect(8.0, 8.0, w + 12.0, 22.0);
    ctx.set_fill_style_str("#7a1d12");
    let _ = ctx.fill_text(&mark, 14.0, 24.0);
    [Rect { x: 8.0, y: 8.0, w: w + 12.0, h: 22.0 }, Rect { x: 12.0, y: v.height - 42.0, w: bar.max(label_w) + 8.0, h: 24.0 }]
}

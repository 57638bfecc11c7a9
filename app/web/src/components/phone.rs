//! The deployed pane as it looked on a phone: a reconstruction of the mini-program's flow as the
//! press described it (a warning-level button, the list, a person's page with tip, share and
//! poster), inside a phone frame, marked as a reconstruction with synthetic data. The poster is a
//! PNG drawn in the page, carrying the synthetic mark (also as a QR code), and sent nowhere.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use within500_engine::{ExposedEntry, Lang};

use super::panes::level_words;
use crate::i18n::{td_string, Locale};
use crate::model::qr::QrSvg;
use crate::use_ctx;

/// People the phone's list draws; the rest are counted.
const PHONE_LIST: usize = 50;

/// Which screen of the phone is shown.
#[derive(Debug, Clone, PartialEq)]
enum Screen {
    /// The start screen with the warning-level button.
    Home,
    /// The people found.
    List,
    /// One person's page.
    Person(u32),
    /// What a tip or a share would send (and did not).
    Sent(u32, String),
    /// The poster of a person, as a PNG data URL.
    Poster(u32, String),
}

/// Lines of `text` no wider than `max` in the context's font: broken between words, or between
/// characters for text without spaces (Chinese).
fn wrap(ctx: &CanvasRenderingContext2d, text: &str, max: f64) -> Vec<String> {
    let width = |t: &str| ctx.measure_text(t).map_or(0.0, |m| m.width());
    let spaced = text.contains(' ');
    let tokens: Vec<String> = if spaced { text.split(' ').map(str::to_owned).collect() } else { text.chars().map(String::from).collect() };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for t in tokens {
        let next = if line.is_empty() {
            t.clone()
        } else if spaced {
            format!("{line} {t}")
        } else {
            format!("{line}{t}")
        };
        if width(&next) > max && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, t));
        } else {
            line = next;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws `text` wrapped to `max` from `(x, y)` with `step` between lines; returns the next line's y.
fn fill_wrapped(ctx: &CanvasRenderingContext2d, text: &str, x: f64, y: f64, max: f64, step: f64) -> Result<f64, JsValue> {
    let mut y = y;
    for line in wrap(ctx, text, max) {
        ctx.fill_text(&line, x, y)?;
        y += step;
    }
    Ok(y)
}

/// The poster of a person: the entry, the synthetic mark in a band and as a QR code (with the
/// view's address), and a watermark. Returns the PNG as a data URL.
fn poster_png(l: Locale, e: &ExposedEntry, zh: bool, mark: &str, address: &str) -> Result<String, JsValue> {
    let doc = web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))?;
    let canvas: HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    let (w, h) = (540.0, 860.0);
    canvas.set_width(540);
    canvas.set_height(860);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or_else(|| JsValue::from_str("no 2d context"))?.dyn_into()?;
    ctx.set_fill_style_str("#fffaf5");
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_fill_style_str("#b3261e");
    ctx.fill_rect(0.0, 0.0, w, 110.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.set_text_align("center");
    ctx.set_font("700 38px system-ui, sans-serif");
    ctx.fill_text(td_string!(l, ui.phone.poster_heading), w / 2.0, 68.0)?;
    ctx.set_fill_style_str("#1f1f1f");
    ctx.set_font("700 44px system-ui, sans-serif");
    ctx.fill_text(&e.name_zh, w / 2.0, 185.0)?;
    ctx.set_font("22px system-ui, sans-serif");
    ctx.fill_text(&e.name_en, w / 2.0, 220.0)?;
    ctx.set_text_align("start");
    let rows = [
        (td_string!(l, ui.detail.id_number), e.id_number.clone()),
        (td_string!(l, ui.detail.address), if zh { e.address_zh.clone() } else { e.address_en.clone() }),
        (td_string!(l, ui.detail.reason), (if zh { e.reason_zh } else { e.reason_en }).to_owned()),
        (td_string!(l, ui.detail.case), e.case_number.clone()),
    ];
    let mut y = 280.0;
    for (k, v) in rows {
        ctx.set_font("600 17px system-ui, sans-serif");
        ctx.set_fill_style_str("#5a5a5a");
        ctx.fill_text(k, 40.0, y)?;
        ctx.set_font("20px system-ui, sans-serif");
        ctx.set_fill_style_str("#1f1f1f");
        y = fill_wrapped(&ctx, &v, 40.0, y + 28.0, w - 80.0, 26.0)? + 18.0;
    }
    // The mark as a QR code too, with the address of the view that made the poster: at the
    // lower right, its caption beside it.
    if let Some(q) = QrSvg::of(&format!("{mark}\n{address}")) {
        let modules = q.width + 8;
        #[allow(clippy::cast_precision_loss)]
        let module = (170.0 / modules as f64).floor().max(1.0);
        #[allow(clippy::cast_precision_loss)]
        let size = module * modules as f64;
        let (x0, y0) = (w - 40.0 - size, h - 90.0 - size);
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(x0, y0, size, size);
        ctx.set_fill_style_str("#000000");
        for (mx, my) in q.dark_modules() {
            #[allow(clippy::cast_precision_loss)]
            ctx.fill_rect(x0 + module * mx as f64, y0 + module * my as f64, module, module);
        }
        ctx.set_font("15px system-ui, sans-serif");
        ctx.set_fill_style_str("#5a5a5a");
        fill_wrapped(&ctx, td_string!(l, ui.phone.poster_qr), 40.0, y0 + size / 2.0 - 10.0, x0 - 60.0, 20.0)?;
    }
    // A watermark across the page, and the mark in a band at the foot.
    ctx.save();
    ctx.translate(w / 2.0, 470.0)?;
    ctx.rotate(-0.5)?;
    ctx.set_text_align("center");
    ctx.set_font("800 64px system-ui, sans-serif");
    ctx.set_fill_style_str("rgba(179, 38, 30, 0.13)");
    ctx.fill_text(td_string!(l, ui.phone.watermark), 0.0, 0.0)?;
    ctx.restore();
    ctx.set_fill_style_str("#7a1d12");
    ctx.fill_rect(0.0, h - 70.0, w, 70.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.set_font("700 16px system-ui, sans-serif");
    ctx.set_text_align("center");
    let lines = wrap(&ctx, mark, w - 40.0);
    #[allow(clippy::cast_precision_loss)]
    let first = h - 35.0 - 10.0 * (lines.len() as f64 - 1.0) + 5.0;
    fill_wrapped(&ctx, mark, w / 2.0, first, w - 40.0, 20.0)?;
    canvas.to_data_url_with_type("image/png")
}

/// A person's page on the phone: what the list showed and more, with tip, share and poster.
fn person_page(l: Locale, e: &ExposedEntry, zh: bool, screen: RwSignal<Screen>, poster: impl Fn(u32) + 'static) -> impl IntoView {
    let id = e.person;
    let (e1, e2) = (e.clone(), e.clone());
    view! {
        <div class="phone-page" data-testid="phone-person">
            <h4 lang="zh-Hans">{e.name_zh.clone()}</h4>
            <dl>
                <dt>{td_string!(l, ui.detail.id_number)}</dt><dd>{e.id_number.clone()}</dd>
                <dt>{td_string!(l, ui.detail.address)}</dt><dd>{if zh { e.address_zh.clone() } else { e.address_en.clone() }}</dd>
                <dt>{td_string!(l, ui.detail.reason)}</dt><dd>{if zh { e.reason_zh } else { e.reason_en }}</dd>
                <dt>{td_string!(l, ui.detail.case)}</dt><dd>{e.case_number.clone()}</dd>
            </dl>
            <div class="phone-actions">
                <button type="button" data-testid="phone-tip" on:click=move |_| screen.set(Screen::Sent(id, super::panes::payload(l, "report", &e1)))>{td_string!(l, ui.phone.tip)}</button>
                <button type="button" data-testid="phone-share" on:click=move |_| screen.set(Screen::Sent(id, super::panes::payload(l, "share", &e2)))>{td_string!(l, ui.detail.share)}</button>
                <button type="button" data-testid="phone-poster" on:click=move |_| poster(id)>{td_string!(l, ui.phone.poster)}</button>
            </div>
        </div>
    }
}

/// The phone view's button and, when open, the phone.
#[component]
pub fn PhoneView() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let open = RwSignal::new(false);
    let screen = RwSignal::new(Screen::Home);
    let zh = move || c.state.with(|s| s.lang == Lang::Zh);
    let entry = move |id: u32| c.answers.with(|a| a.as_ref().and_then(|a| a.exposed.entries.iter().find(|e| e.person == id).cloned()));
    let mark = move || c.state.with(|s| td_string!(l, ui.phone.poster_mark, seed = s.city.seed, people = s.city.people).to_string());
    let poster = move |id: u32| {
        let Some(e) = entry(id) else { return };
        let address = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
        match poster_png(l, &e, zh(), &mark(), &address) {
            Ok(url) => screen.set(Screen::Poster(id, url)),
            Err(err) => screen.set(Screen::Sent(id, td_string!(l, ui.phone.poster_failed, error = format!("{err:?}")).to_string())),
        }
    };
    let phone = move || {
        let answers = c.answers.get()?;
        let level = answers.exposed.level;
        let back = move |to: Screen| view! { <button type="button" class="phone-back" data-testid="phone-back" on:click=move |_| screen.set(to.clone())>{td_string!(l, ui.phone.back)}</button> };
        let body = match screen.get() {
            Screen::Home => view! {
                <div class="phone-home">
                    <p class="phone-scan">{td_string!(l, ui.phone.scan, r = c.state.with(|s| s.radius_m)).to_string()}</p>
                    <button type="button" class=format!("phone-level level-{}", level.slug()) data-testid="phone-level"
                        on:click=move |_| screen.set(Screen::List)>
                        <span>{td_string!(l, ui.phone.level_button)}</span>
                        <strong>{level_words(l, level)}</strong>
                        <span>{td_string!(l, ui.phone.found, n = answers.exposed.entries.len()).to_string()}</span>
                    </button>
                </div>
            }
            .into_any(),
            Screen::List => {
                let total = answers.exposed.entries.len();
                view! {
                    {back(Screen::Home)}
                    <ul class="phone-list" data-testid="phone-list">
                        {answers.exposed.entries.iter().take(PHONE_LIST).map(|e| {
                            let id = e.person;
                            view! {
                                <li><button type="button" class="phone-person" on:click=move |_| screen.set(Screen::Person(id))>
                                    <strong lang="zh-Hans">{e.name_zh.clone()}</strong>
                                    <span>{if zh() { e.address_zh.clone() } else { e.address_en.clone() }}</span>
                                </button></li>
                            }
                        }).collect_view()}
                    </ul>
                    {(total > PHONE_LIST).then(|| view! { <p class="phone-more">{td_string!(l, ui.phone.more, n = total - PHONE_LIST).to_string()}</p> })}
                    {(total == 0).then(|| view! { <p class="phone-more">{td_string!(l, ui.phone.none).to_string()}</p> })}
                }.into_any()
            }
            Screen::Person(id) => match entry(id) {
                None => view! { {back(Screen::List)} }.into_any(),
                Some(e) => view! { {back(Screen::List)} {person_page(l, &e, zh(), screen, poster)} }.into_any(),
            },
            Screen::Sent(id, text) => view! {
                {back(Screen::Person(id))}
                <p><strong>{td_string!(l, ui.detail.nothing_sent)}</strong>" "{td_string!(l, ui.detail.would_send)}</p>
                <pre class="phone-sent" data-testid="phone-sent">{text}</pre>
            }
            .into_any(),
            Screen::Poster(id, url) => {
                let name = entry(id).map(|e| e.name_zh).unwrap_or_default();
                let file = c.state.with(|s| format!("within500-poster-seed{}-{id}.png", s.city.seed));
                view! {
                    {back(Screen::Person(id))}
                    <img class="phone-poster" data-testid="phone-poster-image" data-mark=mark() src=url.clone()
                        alt=td_string!(l, ui.phone.poster_alt, name = name).to_string() />
                    <a class="phone-download" href=url download=file data-testid="phone-poster-download">{td_string!(l, ui.phone.poster_download)}</a>
                    <p class="phone-note">{td_string!(l, ui.phone.poster_note)}</p>
                }.into_any()
            }
        };
        Some(view! {
            <div class="phone" data-testid="phone" role="region" aria-label=td_string!(l, ui.phone.label).to_string()>
                <p class="phone-mark" data-testid="phone-mark">{td_string!(l, ui.phone.marked)}</p>
                <p class="phone-title">{td_string!(l, ui.phone.title)}</p>
                <div class="phone-screen">{body}</div>
            </div>
        })
    };
    view! {
        <button type="button" class="phone-toggle" data-testid="phone-toggle" aria-expanded=move || open.get().to_string()
            on:click=move |_| { open.update(|o| *o = !*o); screen.set(Screen::Home); }>
            {move || if open.get() { td_string!(l, ui.phone.close) } else { td_string!(l, ui.phone.open) }}
        </button>
        {move || open.get().then(phone)}
    }
}

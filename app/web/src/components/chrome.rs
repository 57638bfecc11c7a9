//! The page's frame: header with navigation and languages, the bad-link notice, the city
//! controls, the map's text alternative, the footers, and the embed plumbing.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use within500_engine::{AppState, FieldError, Lang, Mode, Param, Problem, StoryStep};

use crate::i18n::{td_string, Locale};
use crate::{locale_of, use_ctx};

/// A link to the app in another state (relative, so it works wherever `dist/` is hosted).
pub fn href(state: &AppState) -> String {
    format!("?{}", state.to_query())
}

/// The page's address without its query, for links that leave an embed or build an `<iframe>`.
fn page_base() -> String {
    web_sys::window()
        .and_then(|w| {
            let loc = w.location();
            Some(format!("{}{}", loc.origin().ok()?, loc.pathname().ok()?))
        })
        .unwrap_or_default()
}

/// What a URL parameter accepts, in the page's language (nothing for a key that is no parameter:
/// those are reported as unknown, not as invalid).
fn accepted(l: Locale, field: &str) -> String {
    let Some(param) = Param::from_key(field) else { return String::new() };
    match param {
        Param::Seed => td_string!(l, ui.accept.seed),
        Param::People => td_string!(l, ui.accept.people),
        Param::Listed => td_string!(l, ui.accept.listed),
        Param::Lat | Param::Lng => td_string!(l, ui.accept.position),
        Param::Radius => td_string!(l, ui.accept.radius),
        Param::Fidelity => td_string!(l, ui.accept.fidelity),
        Param::Design => td_string!(l, ui.accept.design),
        Param::K => td_string!(l, ui.accept.k),
        Param::Epsilon => td_string!(l, ui.accept.eps),
        Param::Budget => td_string!(l, ui.accept.budget),
        Param::Blur => td_string!(l, ui.accept.blur),
        Param::Hash => td_string!(l, ui.accept.hash),
        Param::Debtor => td_string!(l, ui.accept.debtor),
        Param::Lang => td_string!(l, ui.accept.lang),
        Param::Mode => td_string!(l, ui.accept.mode),
        Param::Step => td_string!(l, ui.accept.step),
        Param::Exercise => td_string!(l, ui.accept.ex),
        Param::Embed | Param::Presenter => td_string!(l, ui.accept.flag),
    }
    .to_string()
}

/// A bad parameter, said in the page's language: the parameter, the value, what is accepted.
pub fn field_error_text(l: Locale, e: &FieldError) -> String {
    let (field, value) = (e.field.as_str(), e.value.as_str());
    match e.kind {
        Problem::Invalid => td_string!(l, ui.err.invalid, field = field, value = value, accepted = accepted(l, field)).to_string(),
        Problem::Repeated => td_string!(l, ui.err.repeated, field = field, value = value).to_string(),
        Problem::Unknown => td_string!(l, ui.err.unknown, field = field, value = value).to_string(),
        Problem::OutsideCity => td_string!(l, ui.err.outside, field = field, value = value).to_string(),
    }
}

/// Title, synthetic-data badge, navigation, languages and the city in one line.
#[component]
pub fn Header() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let link = move |mode: Mode| {
        let s = c.state.get();
        href(&AppState { mode, step: if mode == Mode::Story { StoryStep::FIRST } else { s.step }, ..s })
    };
    let current = move |mode: Mode| if c.state.with(|s| s.mode == mode) { Some("page") } else { None };
    let lang_link = move |lang: Lang| href(&AppState { lang, ..c.state.get() });
    let presenter_link = move || {
        let s = c.state.get();
        href(&AppState { presenter: !s.presenter, ..s })
    };
    view! {
        <header class="header">
            <h1>{td_string!(l, ui.app_name)}</h1>
            <span class="badge" data-testid="synthetic-badge">{td_string!(l, ui.synthetic_badge)}</span>
            <nav class="nav" aria-label=td_string!(l, ui.nav_label).to_string()>
                <a href=move || link(Mode::Explore) aria-current=move || current(Mode::Explore) data-testid="nav-explore">{td_string!(l, ui.nav.explore)}</a>
                <a href=move || link(Mode::Story) aria-current=move || current(Mode::Story) data-testid="nav-story">{td_string!(l, ui.nav.story)}</a>
                <a href=move || link(Mode::Exercise) aria-current=move || current(Mode::Exercise) data-testid="nav-exercises">{td_string!(l, ui.nav.exercises)}</a>
                <a href=move || link(Mode::Teacher) aria-current=move || current(Mode::Teacher) data-testid="nav-teacher">{td_string!(l, ui.nav.teacher)}</a>
                <a href=presenter_link data-testid="presenter-toggle" data-on=move || c.state.with(|s| s.presenter).to_string()>
                    {move || if c.state.with(|s| s.presenter) { td_string!(l, ui.nav.presenter_off) } else { td_string!(l, ui.nav.presenter) }}</a>
            </nav>
            <span class="langs" data-testid="lang-switch">
                <a href=move || lang_link(Lang::En) hreflang="en" lang="en" aria-current=move || c.state.with(|s| s.lang == Lang::En).then_some("true")>"EN"</a>
                " / "
                <a href=move || lang_link(Lang::Zh) hreflang="zh-Hans" lang="zh-Hans" aria-current=move || c.state.with(|s| s.lang == Lang::Zh).then_some("true")>"中文"</a>
            </span>
            <span class="city-line">{move || {
                let s = c.state.get();
                td_string!(l, ui.city_line, seed = s.city.seed, people = s.city.people, listed = format!("{:.1}", s.city.listed_rate * 100.0)).to_string()
            }}</span>
            <EmbedButton />
            <Show when=move || c.state.with(|s| s.presenter && s.mode != Mode::Story)><PresenterQr /></Show>
        </header>
    }
}

/// Presenter mode's QR code of the current view, so that a room can open the same step on their
/// phones: the page's address without the presenter flag (a phone shows the ordinary page).
/// The code is made in the page ([`crate::model::qr::QrSvg`]); the address is on `data-qr`. It
/// sits beside the story's text in the story, at the end of the header elsewhere.
#[component]
pub fn PresenterQr() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let location = leptos_router::hooks::use_location();
    let address = Memo::new(move |_| {
        // The link as it is, less the presenter flag: the same scene for everyone who scans it.
        let search = location.search.get();
        let kept: Vec<&str> =
            search.trim_start_matches('?').split('&').filter(|p| !p.is_empty() && p.split('=').next() != Some("presenter")).collect();
        let query = if kept.is_empty() { String::new() } else { format!("?{}", kept.join("&")) };
        format!("{}{query}", page_base())
    });
    let code = Memo::new(move |_| address.with(|a| crate::model::qr::QrSvg::of(a)));
    view! {
        <figure class="presenter-qr" data-testid="presenter-qr" data-qr=move || address.get()>
            {move || code.get().map(|q| view! {
                <svg viewBox=q.view_box role="img" aria-label=td_string!(l, ui.presenter_qr_label).to_string()
                    shape-rendering="crispEdges">
                    <rect width="100%" height="100%" fill="#fff"></rect>
                    <path d=q.path fill="#000"></path>
                </svg>
            })}
            <figcaption>{td_string!(l, ui.presenter_qr)}</figcaption>
        </figure>
    }
}

/// "Embed this view": the `<iframe>` snippet for the current state, with a title and the
/// resizer script.
#[component]
fn EmbedButton() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let open = RwSignal::new(false);
    let snippet = move || {
        let s = c.state.get();
        let base = page_base();
        let src = format!("{base}{}", href(&AppState { embed: true, presenter: false, ..s.clone() }));
        let dir = base.rsplit_once('/').map_or(base.as_str(), |(d, _)| d).to_owned();
        let title = td_string!(locale_of(s.lang), ui.embed_title).to_string();
        format!(
            "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"720\" style=\"border:0\" loading=\"lazy\" data-within500></iframe>\n<script src=\"{dir}/embed.js\" async></script>",
            src.replace('&', "&amp;"),
            title
        )
    };
    view! {
        <button type="button" class="embed-button" data-testid="embed-this" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{td_string!(l, ui.embed_this)}</button>
        <Show when=move || open.get()>
            <div class="embed-snippet">
                <label for="embed-code">{td_string!(l, ui.embed_copy)}</label>
                <textarea id="embed-code" readonly rows="4" data-testid="embed-snippet" prop:value=snippet></textarea>
            </div>
        </Show>
    }
}

/// The notice shown when the link had bad parameters; each names the parameter and the problem.
#[component]
pub fn Notice() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    view! {
        <Show when=move || !c.url_errors.get().is_empty()>
            <div class="notice" role="alert" data-testid="url-notice">
                <p><strong>{td_string!(l, ui.link_problems)}</strong></p>
                <ul>{move || c.url_errors.get().into_iter().map(|e| view! { <li>{field_error_text(l, &e)}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}

/// A text field for one URL parameter, validated by the URL codec before it is applied; a bad
/// value shows a message naming the parameter, and changes nothing.
#[component]
pub fn StateField(
    /// The URL parameter it sets.
    param: Param,
    /// Label, in the page's language.
    label: fn(Locale) -> String,
    /// Current value as text.
    value: Signal<String>,
    /// Prefix of the field's `data-testid` (followed by the key).
    #[prop(default = "setting")]
    testid: &'static str,
) -> impl IntoView {
    let c = use_ctx();
    let error = RwSignal::new(None::<FieldError>);
    let key = param.key();
    let id = format!("field-{key}");
    let error_id = format!("field-{key}-error");
    let described = error_id.clone();
    view! {
        <span class="field">
            <label for=id.clone()>{move || label(c.locale())}</label>
            <input type="text" id=id size="9" prop:value=value data-testid=format!("{testid}-{key}")
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=move || error.get().is_some().then(|| described.clone())
                on:change=move |ev| match c.state.get_untracked().with(key, &event_target_value(&ev)) {
                    Ok(s) => { error.set(None); c.go(&s, false); }
                    Err(e) => error.set(Some(e)),
                } />
        </span>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert" id=error_id.clone()>{field_error_text(c.locale(), &e)}</p> })}
    }
}

/// Seed, population, listed share and radius.
#[component]
pub fn Controls() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    view! {
        <section class="controls" aria-label=td_string!(l, ui.city_settings).to_string()>
            <StateField param=Param::Seed label=|l| td_string!(l, ui.field.seed).to_string() value=Signal::derive(move || c.state.get().city.seed.to_string()) />
            <StateField param=Param::People label=|l| td_string!(l, ui.field.people).to_string() value=Signal::derive(move || c.state.get().city.people.to_string()) />
            <StateField param=Param::Listed label=|l| td_string!(l, ui.field.listed).to_string() value=Signal::derive(move || c.state.get().city.listed_rate.to_string()) />
            <StateField param=Param::Radius label=|l| td_string!(l, ui.field.radius).to_string() value=Signal::derive(move || c.state.get().radius_m.to_string()) />
            <span class="timing" data-testid="answer-ms">{move || td_string!(l, ui.answered_in, ms = format!("{:.1}", c.answer_ms.get())).to_string()}</span>
        </section>
    }
}

/// What the map shows, as a table: the position, what the deployed map lists, and what the
/// attacker found in the last lab run.
#[component]
pub fn TextAlternative() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let zh = move || c.state.with(|s| s.lang == Lang::Zh);
    let shown = crate::components::list_pages();
    view! {
        <details class="text-alt">
            <summary>{td_string!(l, ui.table.summary)}</summary>
            <p>{move || {
                let s = c.state.get();
                td_string!(l, ui.table.position, lat = format!("{:.5}", s.at.lat), lng = format!("{:.5}", s.at.lng), r = s.radius_m).to_string()
            }}</p>
            <table>
                <caption>{td_string!(l, ui.table.caption)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, ui.table.person)}</th>
                    <th scope="col">{td_string!(l, ui.table.address)}</th>
                    <th scope="col">{td_string!(l, ui.table.case)}</th>
                </tr></thead>
                <tbody>
                    {move || c.answers.get().map(|a| a.exposed.entries.iter().take(shown.get()).cloned().map(|e| {
                        let (name, addr) = if zh() { (e.name_zh, e.address_zh) } else { (e.name_en, e.address_en) };
                        view! { <tr><td>{name}</td><td>{addr}</td><td>{e.case_number}</td></tr> }
                    }).collect_view())}
                </tbody>
            </table>
            <crate::components::ShowMore shown=shown />
            {move || c.lab.get().and_then(|r| r.exposed.ok().map(|m| (m, r.complete))).map(|(m, complete)| view! {
                <p data-testid="text-alt-lab">{td_string!(l, ui.table.lab,
                    attacker = crate::components::attacker_label(l, m.attacker),
                    located = format!("{:.0}", m.located_50m * 100.0),
                    targets = m.targets,
                    median = m.median_error_m.map_or_else(|| "—".to_owned(), |v| format!("{v:.0}"))).to_string()}
                    {(!complete).then(|| td_string!(l, ui.table.lab_running).to_string())}
                </p>
            })}
        </details>
    }
}

/// The promise, the sources and the licence.
#[component]
pub fn Footer() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    view! {
        <footer class="footer">
            <p>{td_string!(l, ui.footer.synthetic)}</p>
            <p>{td_string!(l, ui.footer.nothing_leaves)}</p>
        </footer>
    }
}

/// In an embed: a caption for readers who do not interact, and a link to the full app.
#[component]
pub fn EmbedFooter() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let caption = move || {
        let s = c.state.get();
        let lc = locale_of(s.lang);
        match s.mode {
            Mode::Story => crate::components::story::caption(lc, s.step),
            _ => td_string!(lc, ui.embed_caption_explore, r = s.radius_m).to_string(),
        }
    };
    let full = move || format!("{}{}", page_base(), href(&AppState { embed: false, ..c.state.get() }));
    view! {
        <footer class="embed-footer">
            <p class="embed-caption" data-testid="embed-caption">
                <span class="badge">{td_string!(l, ui.synthetic_badge)}</span>" "{caption}
            </p>
            <p><a href=full target="_blank" rel="noopener" data-testid="embed-full-link">{td_string!(l, ui.embed_open_full)}</a></p>
        </footer>
    }
}

/// Posts the page's height to the parent window whenever it changes, as
/// `{"within500-height": <px>}` (the message shape of Datawrapper's and Pym.js's resizers);
/// `public/embed.js` on the host page sets the iframe's height from it. Does nothing when the page
/// is not framed.
pub fn post_height_to_parent() {
    let Some(window) = web_sys::window() else { return };
    let framed = window.parent().ok().flatten().is_some_and(|p| p != window);
    if !framed {
        return;
    }
    let Some(body) = window.document().and_then(|d| d.body()) else { return };
    let last = std::cell::Cell::new(0i32);
    let send = Closure::<dyn FnMut()>::new(move || {
        let Some(w) = web_sys::window() else { return };
        let Some(doc) = w.document() else { return };
        let Some(root) = doc.document_element() else { return };
        let h = root.scroll_height().max(doc.body().map_or(0, |b| b.scroll_height()));
        if h != last.get() {
            last.set(h);
            if let Ok(Some(parent)) = w.parent() {
                let msg = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&msg, &"within500-height".into(), &h.into());
                let _ = parent.post_message(&msg, "*");
            }
        }
    });
    if let Ok(observer) = web_sys::ResizeObserver::new(send.as_ref().unchecked_ref()) {
        observer.observe(&body);
        // The observer and its callback live as long as the page.
        std::mem::forget(observer);
    }
    send.forget();
}

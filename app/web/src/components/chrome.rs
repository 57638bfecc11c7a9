//! The page's frame: header, the bad-link notice, the city controls and the map's text
//! alternative.

use leptos::prelude::*;

use crate::use_ctx;

/// Title, synthetic-data badge and the city in one line.
#[component]
pub fn Header() -> impl IntoView {
    let c = use_ctx();
    view! {
        <header class="header">
            <h1>"Within 500 m"</h1>
            <span class="badge" data-testid="synthetic-badge">"SYNTHETIC DATA"</span>
            <span class="city-line">{move || {
                let s = c.state.get();
                format!("seed {} · {} people · {:.1} % listed", s.city.seed, s.city.people, s.city.listed_rate * 100.0)
            }}</span>
        </header>
    }
}

/// The notice shown when the link had bad parameters; each names the parameter and the problem.
#[component]
pub fn Notice() -> impl IntoView {
    let c = use_ctx();
    view! {
        <Show when=move || !c.url_errors.get().is_empty()>
            <div class="notice" role="alert" data-testid="url-notice">
                <p><strong>"This link had problems; the defaults are used for:"</strong></p>
                <ul>{move || c.url_errors.get().into_iter().map(|e| view! { <li>{e.to_string()}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}

/// A text field for one URL parameter, validated by the URL codec before it is applied; a bad
/// value shows the codec's message, naming the parameter, and changes nothing.
#[component]
pub fn StateField(
    /// URL key.
    key: &'static str,
    /// Label.
    label: &'static str,
    /// Current value as text.
    value: Signal<String>,
    /// Prefix of the field's `data-testid` (followed by the key).
    #[prop(default = "setting")]
    testid: &'static str,
) -> impl IntoView {
    let c = use_ctx();
    let error = RwSignal::new(None::<String>);
    view! {
        <label class="field">{label}" "
            <input type="text" size="9" prop:value=value data-testid=format!("{testid}-{key}")
                aria-invalid=move || error.get().is_some().to_string()
                on:change=move |ev| match c.state.get_untracked().with(key, &event_target_value(&ev)) {
                    Ok(s) => { error.set(None); c.go(&s, false); }
                    Err(e) => error.set(Some(e.to_string())),
                } />
        </label>
        {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
    }
}

/// Seed, population, listed share and radius.
#[component]
pub fn Controls() -> impl IntoView {
    let c = use_ctx();
    view! {
        <section class="controls" aria-label="City settings">
            <StateField key="seed" label="Seed" value=Signal::derive(move || c.state.get().city.seed.to_string()) />
            <StateField key="people" label="People" value=Signal::derive(move || c.state.get().city.people.to_string()) />
            <StateField key="listed" label="Share listed (0-0.2)" value=Signal::derive(move || c.state.get().city.listed_rate.to_string()) />
            <StateField key="r" label="Radius (m)" value=Signal::derive(move || c.state.get().radius_m.to_string()) />
            <span class="timing" data-testid="answer-ms">{move || format!("answered in {:.1} ms", c.answer_ms.get())}</span>
        </section>
    }
}

/// What the map shows, as a table: the position, and what each pane answers.
#[component]
pub fn TextAlternative() -> impl IntoView {
    let c = use_ctx();
    view! {
        <details class="text-alt">
            <summary>"The map as a table"</summary>
            <table>
                <caption>"What lies within the circle (synthetic data)"</caption>
                <thead><tr><th scope="col">"Listed person"</th><th scope="col">"Address shown"</th><th scope="col">"Case"</th></tr></thead>
                <tbody>
                    {move || c.answers.get().map(|a| a.exposed.entries.into_iter().map(|e| view! {
                        <tr><td>{e.name_en}</td><td>{e.address_en}</td><td>{e.case_number}</td></tr>
                    }).collect_view())}
                </tbody>
            </table>
            <p>{move || {
                let s = c.state.get();
                format!("Your position: {:.5} N, {:.5} E; radius {} m.", s.at.lat, s.at.lng, s.radius_m)
            }}</p>
        </details>
    }
}

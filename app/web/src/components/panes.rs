//! The two panes: the deployed map's list and the privacy-preserving design's answer.

use leptos::prelude::*;
use within500_engine::{CellHash, DesignKind, ExposedEntry, Fidelity, WarningLevel};

use super::chrome::StateField;
use crate::model::PrivateAnswer;
use crate::{use_ctx, Tab};

fn level_words(level: WarningLevel) -> &'static str {
    match level {
        WarningLevel::Blue => "BLUE · few",
        WarningLevel::Yellow => "YELLOW · some",
        WarningLevel::Orange => "ORANGE · many",
        WarningLevel::Red => "RED · very many",
    }
}

/// What the "report" and "share" buttons would send, shown instead of sent.
fn payload(kind: &str, e: &ExposedEntry) -> String {
    let v = serde_json::json!({
        "action": kind,
        "to": if kind == "report" { "court enforcement office (tip about assets)" } else { "friends or a group chat" },
        "debtor": { "name": e.name_zh, "id_number": e.id_number, "address": e.address_zh, "case_number": e.case_number },
        "your_message": if kind == "report" { "I know where this person keeps assets." } else { "Look who lives near us." },
        "synthetic": true,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The deployed map: warning level, the list of listed people near, a person's detail page.
#[component]
pub fn ExposedPane() -> impl IntoView {
    let c = use_ctx();
    let sent = RwSignal::new(None::<String>);
    let entries = move || c.answers.get().map(|a| a.exposed.entries).unwrap_or_default();
    let set_fidelity = move |slug: String| {
        if let Some(f) = Fidelity::from_slug(&slug) {
            let mut s = c.state.get_untracked();
            s.fidelity = f;
            c.go(&s, false);
        }
    };
    view! {
        <section class="pane exposed" class:active=move || c.tab.get() == Tab::Exposed aria-labelledby="exposed-title">
            <h2 id="exposed-title">"As deployed"</h2>
            <p class="pane-sub">"The 2019 map, reproduced: everyone listed within the radius."</p>
            {move || c.answers.get().map(|a| {
                let level = a.exposed.level;
                view! {
                    <p class=format!("level level-{}", level.slug()) data-testid="level">
                        <strong>{level_words(level)}</strong>
                        {format!(" · {} listed within {} m", a.exposed.entries.len(), c.state.get_untracked().radius_m)}
                    </p>
                }
            })}
            <label class="field">"Fidelity "
                <select on:change=move |ev| set_fidelity(event_target_value(&ev)) data-testid="fidelity">
                    {Fidelity::ALL.iter().map(|f| {
                        let slug = f.slug();
                        view! { <option value=slug selected=move || c.state.get().fidelity.slug() == slug>{match f {
                            Fidelity::Reported => "reported (as in press reports)",
                            Fidelity::Distance => "distance (adds distances)",
                            Fidelity::Pins => "pins (adds exact homes)",
                        }}</option> }
                    }).collect_view()}
                </select>
            </label>
            <ul class="people" data-testid="exposed-list">
                <For each=entries key=|e| (e.person, e.distance_m.map(f64::to_bits)) let:e>
                    {
                        let id = e.person;
                        view! {
                            <li class="person">
                                <button type="button" class="person-open" on:click=move |_| { c.selected.set(Some(id)); sent.set(None); }>
                                    <span class="name" lang="zh">{e.name_zh.clone()}</span>
                                    " " <span class="name-en">{e.name_en.clone()}</span>
                                </button>
                                <span class="id">{e.id_number.clone()}</span>
                                <span class="addr">{e.address_en.clone()}</span>
                                <span class="case">{format!("{} · {}", e.reason_en, e.case_number)}</span>
                                {e.distance_m.map(|d| view! { <span class="dist">{format!("{d:.0} m away")}</span> })}
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || {
                let id = c.selected.get()?;
                let e = entries().into_iter().find(|e| e.person == id)?;
                let (e1, e2) = (e.clone(), e.clone());
                Some(view! {
                    <div class="detail" role="dialog" aria-label="Person's page">
                        <h3><span lang="zh">{e.name_zh.clone()}</span>" · "{e.name_en.clone()}</h3>
                        <dl>
                            <dt>"ID number"</dt><dd>{e.id_number.clone()}</dd>
                            <dt>"Address (part)"</dt><dd>{e.address_en.clone()}" · "<span lang="zh">{e.address_zh.clone()}</span></dd>
                            <dt>"Reason"</dt><dd>{e.reason_en}</dd>
                            <dt>"Court"</dt><dd>{e.court_en.clone()}</dd>
                            <dt>"Case"</dt><dd>{e.case_number.clone()}</dd>
                        </dl>
                        <button type="button" on:click=move |_| sent.set(Some(payload("report", &e1)))>"Report a tip"</button>
                        <button type="button" on:click=move |_| sent.set(Some(payload("share", &e2)))>"Share"</button>
                        <button type="button" on:click=move |_| c.selected.set(None)>"Close"</button>
                        {move || sent.get().map(|p| view! {
                            <div class="sent">
                                <p><strong>"Nothing was sent."</strong>" The real app would have sent this:"</p>
                                <pre data-testid="payload">{p}</pre>
                            </div>
                        })}
                    </div>
                })
            }}
        </section>
    }
}

fn design_label(d: DesignKind) -> &'static str {
    match d {
        DesignKind::Exposed => "Deployed",
        DesignKind::Aggregate => "Aggregate counts (k)",
        DesignKind::DpCount => "Differentially private count (ε)",
        DesignKind::Blur => "Blurred position (ε per m)",
        DesignKind::PrivateProximity => "Private proximity test",
    }
}

/// The privacy-preserving pane: choose a design and its parameters; see its answer.
#[component]
pub fn PrivacyPane() -> impl IntoView {
    let c = use_ctx();
    let design = move || c.state.get().design;
    let set_design = move |slug: String| {
        if let Some(d) = DesignKind::from_slug(&slug) {
            let mut s = c.state.get_untracked();
            s.design = d;
            c.go(&s, false);
        }
    };
    let answer = move || c.answers.get().map(|a| match a.private {
        PrivateAnswer::Aggregate(ag) => {
            let released: Vec<String> = ag.cells.iter().filter_map(|x| x.count.map(|n| format!("{n}"))).collect();
            let hidden = ag.cells.iter().filter(|x| x.count.is_none()).count();
            format!(
                "About {:.1} listed nearby. {} coarse cells touch the circle: counts {}; {} hidden (fewer than {}).",
                ag.estimate,
                ag.cells.len(),
                if released.is_empty() { "none released".to_owned() } else { released.join(", ") },
                hidden,
                ag.k
            )
        }
        PrivateAnswer::Dp(Ok(d)) => format!(
            "About {} listed nearby (noisy){}. ε spent {:.2} of {:.2}.",
            d.noisy_count,
            if d.cached { ", repeated from the cache at no cost" } else { "" },
            d.spent_micros as f64 / 1e6,
            (d.spent_micros + d.left_micros) as f64 / 1e6
        ),
        PrivateAnswer::Dp(Err(e)) => format!("Refused: {e}. Reload or change ε to start a new session."),
        PrivateAnswer::Blur(b) => format!("{} listed near a position moved at random (about {:.0} m on average).", b.count, 2.0 / c.state.get_untracked().blur_epsilon),
        PrivateAnswer::Proximity(Ok(p)) => if p.near { "Your debtor lives in your neighbourhood.".to_owned() } else { "Your debtor does not live in your neighbourhood.".to_owned() },
        PrivateAnswer::Proximity(Err(e)) => format!("Cannot test: {e}."),
        PrivateAnswer::NoDebtor => "Enter the person id of your own debtor (from a case you hold).".to_owned(),
        PrivateAnswer::Waiting => "Drop the marker to ask: every question spends ε.".to_owned(),
    });
    view! {
        <section class="pane private" class:active=move || c.tab.get() == Tab::Private aria-labelledby="private-title">
            <h2 id="private-title">"Privacy-preserving"</h2>
            <label class="field">"Design "
                <select data-testid="design" on:change=move |ev| set_design(event_target_value(&ev))>
                    {DesignKind::ALL.iter().filter(|d| **d != DesignKind::Exposed).map(|d| {
                        let slug = d.slug();
                        let d = *d;
                        view! { <option value=slug selected=move || design() == d>{design_label(d)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || match design() {
                DesignKind::Aggregate => view! { <StateField testid="param" key="k" label="k" value=Signal::derive(move || c.state.get().k.to_string()) /> }.into_any(),
                DesignKind::DpCount => view! {
                    <StateField testid="param" key="eps" label="ε per question" value=Signal::derive(move || c.state.get().epsilon.as_f64().to_string()) />
                    <StateField testid="param" key="budget" label="ε budget" value=Signal::derive(move || c.state.get().budget.as_f64().to_string()) />
                }.into_any(),
                DesignKind::Blur => view! { <StateField testid="param" key="blur" label="ε per metre" value=Signal::derive(move || c.state.get().blur_epsilon.to_string()) /> }.into_any(),
                DesignKind::PrivateProximity => view! {
                    <StateField testid="param" key="debtor" label="Your debtor (person id)" value=Signal::derive(move || c.state.get().debtor.map(|d| d.to_string()).unwrap_or_default()) />
                    <label class="field">"Cell tokens "
                        <select on:change=move |ev| {
                            if let Some(h) = CellHash::from_slug(&event_target_value(&ev)) {
                                let mut s = c.state.get_untracked();
                                s.hash = h;
                                c.go(&s, false);
                            }
                        }>
                            <option value="keyed" selected=move || c.state.get().hash == CellHash::Keyed>"keyed PRF (HMAC)"</option>
                            <option value="plain" selected=move || c.state.get().hash == CellHash::Plain>"plain hash (reversible)"</option>
                        </select>
                    </label>
                }.into_any(),
                DesignKind::Exposed => ().into_any(),
            }}
            <p class="answer" data-testid="private-answer" aria-live="polite">{answer}</p>
            <p class="discloses">{move || design().discloses_en()}</p>
        </section>
    }
}

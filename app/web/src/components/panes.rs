//! The two panes: the deployed map's list and the privacy-preserving design's answer.

use leptos::prelude::*;
use std::rc::Rc;

use within500_engine::{
    exercises, hex, CellHash, DesignAnswer, DesignKind, DpRefusal, ExposedEntry, Fidelity, Lang, Param, ProximityError, WarningLevel,
    TESTS_PER_DAY,
};

use super::chrome::StateField;
use crate::i18n::{td_string, Locale};
use crate::model::{self, CredentialChoice, PrivateAnswer, PsiCourt, PsiRound};
use crate::{use_ctx, Tab};

/// A warning level in words (the colour never carries it alone).
pub fn level_words(l: Locale, level: WarningLevel) -> String {
    match level {
        WarningLevel::Blue => td_string!(l, ui.level.blue),
        WarningLevel::Yellow => td_string!(l, ui.level.yellow),
        WarningLevel::Orange => td_string!(l, ui.level.orange),
        WarningLevel::Red => td_string!(l, ui.level.red),
    }
    .to_string()
}

/// What the "report" and "share" buttons would send, shown instead of sent.
pub(super) fn payload(l: Locale, kind: &str, e: &ExposedEntry) -> String {
    let report = kind == "report";
    let v = serde_json::json!({
        "action": kind,
        "to": if report { td_string!(l, ui.payload.to_court).to_string() } else { td_string!(l, ui.payload.to_friends).to_string() },
        "debtor": { "name": e.name_zh, "id_number": e.id_number, "address": e.address_zh, "case_number": e.case_number },
        "your_message": if report { td_string!(l, ui.payload.tip).to_string() } else { td_string!(l, ui.payload.look).to_string() },
        "synthetic": true,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The deployed map: warning level, the list of listed people near, a person's detail page.
#[component]
#[allow(clippy::too_many_lines)]
pub fn ExposedPane() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let zh = move || c.state.with(|s| s.lang == Lang::Zh);
    let sent = RwSignal::new(None::<String>);
    let entry = move |id: u32| c.answers.with(|a| a.as_ref().and_then(|a| a.exposed.entries.iter().find(|e| e.person == id).cloned()));
    // A dense city lists thousands within 500 m; the page draws them a page at a time.
    let shown = crate::components::list_pages();
    let page = move || {
        let n = shown.get();
        c.answers.with(|a| a.as_ref().map(|a| a.exposed.entries.iter().take(n).cloned().collect::<Vec<_>>()).unwrap_or_default())
    };
    let set_fidelity = move |slug: String| {
        if let Some(f) = Fidelity::from_slug(&slug) {
            let mut s = c.state.get_untracked();
            s.fidelity = f;
            c.go(&s, false);
        }
    };
    view! {
        <section class="pane exposed" class:active=move || c.tab.get() == Tab::Exposed aria-labelledby="exposed-title">
            <h2 id="exposed-title">{td_string!(l, ui.as_deployed)}</h2>
            <p class="pane-sub">{td_string!(l, ui.exposed_sub)}</p>
            {move || c.answers.get().map(|a| {
                let level = a.exposed.level;
                view! {
                    <p class=format!("level level-{}", level.slug()) data-testid="level" data-level=level.slug()>
                        <strong>{level_words(l, level)}</strong>
                        {td_string!(l, ui.level_count, n = a.exposed.entries.len(), r = c.state.get_untracked().radius_m).to_string()}
                    </p>
                }
            })}
            <span class="field">
                <label for="fidelity">{td_string!(l, ui.fidelity)}</label>
                <select id="fidelity" on:change=move |ev| set_fidelity(event_target_value(&ev)) data-testid="fidelity">
                    {Fidelity::ALL.iter().map(|f| {
                        let slug = f.slug();
                        let f = *f;
                        view! { <option value=slug selected=move || c.state.get().fidelity.slug() == slug>{move || match f {
                            Fidelity::Reported => td_string!(l, ui.fidelity_reported),
                            Fidelity::Distance => td_string!(l, ui.fidelity_distance),
                            Fidelity::Pins => td_string!(l, ui.fidelity_pins),
                        }}</option> }
                    }).collect_view()}
                </select>
            </span>
            <super::phone::PhoneView />
            <ul class="people" data-testid="exposed-list">
                <For each=page key=|e| (e.person, e.distance_m.map(f64::to_bits)) let:e>
                    {
                        let id = e.person;
                        let e2 = e.clone();
                        view! {
                            <li class="person">
                                <button type="button" class="person-open" on:click=move |_| { c.selected.set(Some(id)); sent.set(None); }>
                                    <span class="name" lang="zh-Hans">{e.name_zh.clone()}</span>
                                    " " <span class="name-en" lang="en">{e.name_en.clone()}</span>
                                </button>
                                <span class="id">{e.id_number.clone()}</span>
                                <span class="addr">{move || if zh() { e2.address_zh.clone() } else { e2.address_en.clone() }}</span>
                                <span class="case">{move || format!("{} · {}", if zh() { e.reason_zh } else { e.reason_en }, e.case_number)}</span>
                                {e.distance_m.map(|d| view! { <span class="dist">{move || td_string!(l, ui.metres_away, d = format!("{d:.0}")).to_string()}</span> })}
                            </li>
                        }
                    }
                </For>
            </ul>
            <crate::components::ShowMore shown=shown testid="show-more" />
            {move || {
                let id = c.selected.get()?;
                let e = entry(id)?;
                let (e1, e2) = (e.clone(), e.clone());
                let housemates = c.loaded.get().map(|ld| exercises::housemates(&ld.city, id)).unwrap_or_default();
                let zh = zh();
                Some(view! {
                    <div class="detail" role="region" aria-label=td_string!(l, ui.detail.label).to_string() data-testid="detail">
                        <h3><span lang="zh-Hans">{e.name_zh.clone()}</span>" · "<span lang="en">{e.name_en.clone()}</span></h3>
                        <dl>
                            <dt>{td_string!(l, ui.detail.id_number)}</dt><dd>{e.id_number.clone()}</dd>
                            <dt>{td_string!(l, ui.detail.address)}</dt><dd>{if zh { e.address_zh.clone() } else { e.address_en.clone() }}</dd>
                            <dt>{td_string!(l, ui.detail.reason)}</dt><dd>{if zh { e.reason_zh } else { e.reason_en }}</dd>
                            <dt>{td_string!(l, ui.detail.court)}</dt><dd>{if zh { e.court_zh.clone() } else { e.court_en.clone() }}</dd>
                            <dt>{td_string!(l, ui.detail.case)}</dt><dd>{e.case_number.clone()}</dd>
                        </dl>
                        <p class="directory" data-testid="housemates" data-count=housemates.len().to_string()>
                            {td_string!(l, ui.detail.directory, n = housemates.len()).to_string()}
                            {housemates.iter().map(|n| if zh { n.1.clone() } else { n.0.clone() }).collect::<Vec<_>>().join(", ")}
                        </p>
                        <button type="button" on:click=move |_| sent.set(Some(payload(l, "report", &e1)))>{td_string!(l, ui.detail.report)}</button>
                        <button type="button" on:click=move |_| sent.set(Some(payload(l, "share", &e2)))>{td_string!(l, ui.detail.share)}</button>
                        <button type="button" on:click=move |_| c.selected.set(None)>{td_string!(l, ui.detail.close)}</button>
                        {move || sent.get().map(|p| view! {
                            <div class="sent">
                                <p><strong>{td_string!(l, ui.detail.nothing_sent)}</strong>" "{td_string!(l, ui.detail.would_send)}</p>
                                <pre data-testid="payload">{p}</pre>
                            </div>
                        })}
                    </div>
                })
            }}
        </section>
    }
}

/// A design's name in the page's language.
pub fn design_label(l: Locale, d: DesignKind) -> String {
    match d {
        DesignKind::Exposed => td_string!(l, ui.design.exposed),
        DesignKind::Aggregate => td_string!(l, ui.design.aggregate),
        DesignKind::DpRelease => td_string!(l, ui.design.dp),
        DesignKind::DpSession => td_string!(l, ui.design.dp_session),
        DesignKind::Blur => td_string!(l, ui.design.blur),
        DesignKind::PrivateProximity => td_string!(l, ui.design.psi),
    }
    .to_string()
}

fn dp_refusal(l: Locale, e: &DpRefusal) -> String {
    match e {
        DpRefusal::BudgetSpent { spent_micros, budget_micros } => {
            td_string!(l, ui.answer.refused, spent = micros(*spent_micros, 2), budget = micros(*budget_micros, 2)).to_string()
        }
    }
}

/// What the creditor read from the court's reply, in words.
fn proximity_answer(l: Locale, round: &PsiRound) -> String {
    match round.answer {
        Ok(a) if a.near => td_string!(l, ui.answer.near).to_string(),
        Ok(_) => td_string!(l, ui.answer.not_near).to_string(),
        Err(ProximityError::LimitReached { per_day }) => td_string!(l, ui.psi.limit, n = per_day).to_string(),
        // A reply that cannot be read tells the creditor no more than a refusal.
        Err(ProximityError::Refused | ProximityError::Malformed) => td_string!(l, ui.psi.refused).to_string(),
    }
}

/// Hex shortened to its first and last 8 digits.
fn short_hex(h: &str) -> String {
    if h.len() <= 20 {
        h.to_owned()
    } else {
        format!("{}…{}", &h[..8], &h[h.len() - 8..])
    }
}

/// A message's bytes: their number, a short form, and all of them folded away.
fn bytes_view(l: Locale, bytes: &[u8]) -> impl IntoView {
    let full = hex(bytes);
    view! {
        <p class="psi-bytes">
            <span>{td_string!(l, ui.psi.bytes, n = bytes.len()).to_string()}</span>" "
            <code>{short_hex(&full)}</code>
        </p>
        <details class="psi-all-bytes">
            <summary>{td_string!(l, ui.psi.all_bytes)}</summary>
            <code class="hex">{full}</code>
        </details>
    }
}

/// A list of tokens, shortened.
fn tokens_view(tokens: &[String]) -> impl IntoView {
    let items = tokens.iter().map(|t| view! { <li><code>{short_hex(t)}</code></li> }).collect_view();
    view! { <ol class="psi-tokens">{items}</ol> }
}

/// Runs one test now: the creditor of the state's debtor asks the court at the marker's position
/// on the simulated day, with secrets from the browser's crypto.
fn ask_court(c: crate::Ctx) {
    let Some(loaded) = c.loaded.get_untracked() else { return };
    let s = c.state.get_untracked();
    let Some(debtor) = s.debtor else { return };
    let case = model::psi_case(&loaded.city, debtor);
    let choice = c.psi_credential.get_untracked();
    let mut rng = crate::browser::BrowserRng;
    let round = c.psi.try_update_value(|slot| {
        let court = PsiCourt::ensure(slot, &loaded.city, s.hash, || crate::browser::load_court_record(&loaded.city));
        let round = court.ask(&case, choice, s.at, &mut rng, &crate::now_ms);
        crate::browser::save_court_record(&loaded.city, &court.record());
        round
    });
    if let Some(round) = round {
        c.psi_round.set(Some((case, Rc::new(round))));
    }
    c.psi_rev.update(|n| *n += 1);
}

/// The next simulated day.
fn next_day(c: crate::Ctx) {
    let Some(loaded) = c.loaded.get_untracked() else { return };
    let hash = c.state.with_untracked(|s| s.hash);
    c.psi.update_value(|slot| {
        let court = PsiCourt::ensure(slot, &loaded.city, hash, || crate::browser::load_court_record(&loaded.city));
        court.next_day();
        crate::browser::save_court_record(&loaded.city, &court.record());
    });
    c.psi_rev.update(|n| *n += 1);
}

/// One test shown: who sent what, the bytes, who learns what, the answer and the time.
fn round_view(l: Locale, r: &PsiRound) -> impl IntoView {
    let plain = r.hash == CellHash::Plain;
    let req = r.request_view.clone();
    let n_tokens = req.as_ref().map_or(0, |v| v.tokens.len());
    let rv = &r.reply_view;
    let answered = !rv.refused && !rv.limit && r.answer.is_ok();
    let reply_what = if rv.refused || matches!(r.answer, Err(ProximityError::Refused | ProximityError::Malformed)) {
        td_string!(l, ui.psi.reply_refused).to_string()
    } else if rv.limit {
        td_string!(l, ui.psi.reply_limit, n = TESTS_PER_DAY).to_string()
    } else if plain {
        td_string!(l, ui.psi.reply_plain, d = rv.debtors.len()).to_string()
    } else {
        td_string!(l, ui.psi.reply_keyed, n = rv.returned.len(), d = rv.debtors.len()).to_string()
    };
    let court_sees = if plain {
        td_string!(l, ui.psi.court_plain, cells = r.dictionary_cells, r = r.reversed.0, n = n_tokens).to_string()
    } else {
        td_string!(l, ui.psi.court_keyed).to_string()
    };
    let creditor_sees = match (answered, plain) {
        (false, _) => td_string!(l, ui.psi.creditor_none).to_string(),
        (true, true) => td_string!(l, ui.psi.creditor_plain, r = r.reversed.1, d = rv.debtors.len()).to_string(),
        (true, false) => td_string!(l, ui.psi.creditor_keyed).to_string(),
    };
    let ms = |us: f64| format!("{:.2}", us / 1000.0);
    let parts = req.map(|v| {
        view! {
            <dl class="psi-parts">
                <dt>{td_string!(l, ui.psi.part_case)}</dt><dd data-testid="psi-request-case">{v.case.clone()}</dd>
                <dt>{td_string!(l, ui.psi.part_credential)}</dt><dd><code>{short_hex(&v.credential)}</code></dd>
                <dt>{td_string!(l, ui.psi.part_tokens)}</dt><dd>{tokens_view(&v.tokens)}</dd>
            </dl>
        }
    });
    let reply_parts = answered.then(|| view! {
        <dl class="psi-parts">
            {(!rv.returned.is_empty()).then(|| view! { <dt>{td_string!(l, ui.psi.part_returned)}</dt><dd>{tokens_view(&rv.returned)}</dd> })}
            <dt>{td_string!(l, ui.psi.part_debtor)}</dt><dd>{tokens_view(&rv.debtors)}</dd>
        </dl>
    });
    view! {
        <div class="psi-round" data-testid="psi-round" data-day=r.day.to_string()>
            <p class="psi-tested-on">{td_string!(l, ui.psi.tested_on, day = r.day + 1).to_string()}</p>
            <div class="psi-message" data-testid="psi-request" data-bytes=hex(&r.request) data-tokens=n_tokens.to_string()>
                <h4>{td_string!(l, ui.psi.request_title)}</h4>
                <p>{if plain { td_string!(l, ui.psi.request_plain, n = n_tokens).to_string() } else { td_string!(l, ui.psi.request_keyed, n = n_tokens).to_string() }}</p>
                {parts}
                {bytes_view(l, &r.request)}
            </div>
            <div class="psi-message" data-testid="psi-reply" data-bytes=hex(&r.reply) data-refused=rv.refused.to_string() data-limit=rv.limit.to_string()
                data-returned=rv.returned.len().to_string() data-debtors=rv.debtors.len().to_string()>
                <h4>{td_string!(l, ui.psi.reply_title)}</h4>
                <p>{reply_what}</p>
                {reply_parts}
                {bytes_view(l, &r.reply)}
            </div>
            <div class="psi-sees">
                <h4>{td_string!(l, ui.psi.sees_title)}</h4>
                <p data-testid="psi-court-sees" data-reversed=r.reversed.0.to_string()>{court_sees}</p>
                <p data-testid="psi-creditor-sees" data-reversed=r.reversed.1.to_string()>{creditor_sees}</p>
            </div>
            <p class="answer psi-answer" data-testid="psi-answer" data-answer=r.answer_slug() aria-live="polite"><strong>{proximity_answer(l, r)}</strong></p>
            <p class="psi-time" data-testid="psi-time" data-psi-us=format!("{:.0}", r.total_us()) data-creditor-us=format!("{:.0}", r.creditor_us) data-court-us=format!("{:.0}", r.court_us)>
                {td_string!(l, ui.psi.time, ms = ms(r.total_us()), creditor = ms(r.creditor_us), court = ms(r.court_us)).to_string()}
            </p>
        </div>
    }
}

/// The proximity test as an exchange between the creditor (this page) and the court: the case,
/// the credential, Ask and Next day, and the last test.
#[component]
fn PsiExchange() -> impl IntoView {
    let c = use_ctx();
    let l = c.locale_untracked();
    let case = Memo::new(move |_| {
        let debtor = c.state.with(|s| s.debtor)?;
        c.loaded.with(|ld| ld.as_ref().map(|ld| model::psi_case(&ld.city, debtor)))
    });
    let hash = Memo::new(move |_| c.state.with(|s| s.hash));
    // The day and the tests left, from the court of the shown city (loaded from storage once).
    let day_left = move || {
        c.psi_rev.track();
        let loaded = c.loaded.get()?;
        let hash = hash.get();
        let case = case.get()?;
        c.psi.try_update_value(|slot| {
            let court = PsiCourt::ensure(slot, &loaded.city, hash, || crate::browser::load_court_record(&loaded.city));
            (court.day(), court.left(&case))
        })
    };
    // The last test, while it is for the case and the tokens shown.
    let round = move || {
        let (for_case, r) = c.psi_round.get()?;
        (Some(&for_case) == case.get().as_ref() && r.hash == hash.get()).then(|| round_view(l, &r))
    };
    view! {
        <div class="psi" data-testid="psi">
            {move || case.get().map(|k| view! {
                <p class="psi-case"><span>{td_string!(l, ui.psi.case)}": "</span><strong data-testid="psi-case">{k}</strong></p>
            })}
            <span class="field">
                <label for="psi-credential">{td_string!(l, ui.psi.credential)}</label>
                <select id="psi-credential" data-testid="psi-credential" on:change=move |ev| {
                    c.psi_credential.set(if event_target_value(&ev) == "wrong" { CredentialChoice::Wrong } else { CredentialChoice::Issued });
                }>
                    <option value="issued" selected=move || c.psi_credential.get() == CredentialChoice::Issued>{td_string!(l, ui.psi.credential_issued)}</option>
                    <option value="wrong" selected=move || c.psi_credential.get() == CredentialChoice::Wrong>{td_string!(l, ui.psi.credential_wrong)}</option>
                </select>
            </span>
            <div class="psi-actions">
                <button type="button" data-testid="psi-ask" on:click=move |_| ask_court(c) disabled=move || case.get().is_none()>{td_string!(l, ui.psi.ask)}</button>
                <button type="button" data-testid="psi-next-day" on:click=move |_| next_day(c) disabled=move || c.loaded.get().is_none()>{td_string!(l, ui.psi.next_day)}</button>
                {move || day_left().map(|(day, left)| view! {
                    <span class="psi-day" data-testid="psi-day" data-day=day.to_string() data-left=left.to_string()>
                        {td_string!(l, ui.psi.day, day = day + 1, left = left, n = TESTS_PER_DAY).to_string()}
                    </span>
                })}
            </div>
            {round}
        </div>
    }
}

/// The privacy-preserving pane: choose a design and its parameters; see its answer.
#[component]
pub fn PrivacyPane() -> impl IntoView {
    let c = use_ctx();
    // A memo: the design's fields (and the proximity test's exchange) are built again only when
    // the design changes, not on every move of the marker.
    let design = Memo::new(move |_| c.state.with(|s| s.design));
    let design = move || design.get();
    let set_design = move |slug: String| {
        if let Some(d) = DesignKind::from_slug(&slug) {
            let mut s = c.state.get_untracked();
            s.design = d;
            c.go(&s, false);
        }
    };
    let l = c.locale_untracked();
    let answer = move || {
        c.answers.get().map(|a| match &a.private {
            PrivateAnswer::Design(DesignAnswer::Aggregate(ag)) => {
                let released: Vec<String> = ag.cells.iter().filter_map(|x| x.count.map(|n| format!("{n}"))).collect();
                let hidden = ag.cells.iter().filter(|x| x.count.is_none()).count();
                td_string!(
                    l,
                    ui.answer.aggregate,
                    estimate = format!("{:.1}", ag.estimate),
                    cells = ag.cells.len(),
                    counts = if released.is_empty() { td_string!(l, ui.answer.none_released).to_string() } else { released.join(", ") },
                    hidden = hidden,
                    k = ag.k
                )
                .to_string()
            }
            PrivateAnswer::Design(DesignAnswer::Dp(Ok(d))) => td_string!(
                l,
                ui.answer.dp,
                n = d.noisy_count,
                cached = if d.cached { td_string!(l, ui.answer.cached).to_string() } else { String::new() },
                spent = micros(d.spent_micros, 2),
                budget = micros(d.spent_micros + d.left_micros, 2)
            )
            .to_string(),
            PrivateAnswer::Design(DesignAnswer::Dp(Err(e))) => dp_refusal(l, e),
            PrivateAnswer::Design(DesignAnswer::Release(r)) => td_string!(
                l,
                ui.answer.release,
                estimate = format!("{:.1}", r.estimate.max(0.0)),
                cells = r.cells.len(),
                eps = format!("{}", micros_f64(r.epsilon_total_micros))
            )
            .to_string(),
            PrivateAnswer::Design(DesignAnswer::Blur(b)) => {
                td_string!(l, ui.answer.blur, n = b.count, m = format!("{:.0}", 2.0 / c.state.get_untracked().blur_epsilon)).to_string()
            }
            // The page answers the deployed design in this pane with the aggregate (model::answer).
            PrivateAnswer::Design(DesignAnswer::Exposed(e)) => e.entries.len().to_string(),
            PrivateAnswer::Proximity => td_string!(l, ui.answer.psi_ready, n = TESTS_PER_DAY).to_string(),
            PrivateAnswer::NoDebtor => td_string!(l, ui.answer.no_debtor).to_string(),
            PrivateAnswer::Waiting => td_string!(l, ui.answer.waiting).to_string(),
        })
    };
    view! {
        <section class="pane private" class:active=move || c.tab.get() == Tab::Private aria-labelledby="private-title">
            <h2 id="private-title">{td_string!(l, ui.privacy_preserving)}</h2>
            <span class="field">
                <label for="design">{td_string!(l, ui.design_label)}</label>
                <select id="design" data-testid="design" on:change=move |ev| set_design(event_target_value(&ev))>
                    {DesignKind::ALL.iter().filter(|d| **d != DesignKind::Exposed).map(|d| {
                        let slug = d.slug();
                        let d = *d;
                        view! { <option value=slug selected=move || design() == d>{move || design_label(l, d)}</option> }
                    }).collect_view()}
                </select>
            </span>
            {move || match design() {
                DesignKind::Aggregate => view! { <StateField testid="param" param=Param::K label=|l| td_string!(l, ui.field.k).to_string() value=Signal::derive(move || c.state.get().k.to_string()) /> }.into_any(),
                DesignKind::DpRelease => view! {
                    <StateField testid="param" param=Param::Epsilon label=|l| td_string!(l, ui.field.eps_total).to_string() value=Signal::derive(move || c.state.get().epsilon.as_f64().to_string()) />
                }.into_any(),
                DesignKind::DpSession => view! {
                    <StateField testid="param" param=Param::Epsilon label=|l| td_string!(l, ui.field.eps).to_string() value=Signal::derive(move || c.state.get().epsilon.as_f64().to_string()) />
                    <StateField testid="param" param=Param::Budget label=|l| td_string!(l, ui.field.budget).to_string() value=Signal::derive(move || c.state.get().budget.as_f64().to_string()) />
                }.into_any(),
                DesignKind::Blur => view! { <StateField testid="param" param=Param::Blur label=|l| td_string!(l, ui.field.blur).to_string() value=Signal::derive(move || c.state.get().blur_epsilon.to_string()) /> }.into_any(),
                DesignKind::PrivateProximity => view! {
                    <StateField testid="param" param=Param::Debtor label=|l| td_string!(l, ui.field.debtor).to_string() value=Signal::derive(move || c.state.get().debtor.map(|d| d.to_string()).unwrap_or_default()) />
                    <span class="field">
                        <label for="hash">{td_string!(l, ui.field.hash)}</label>
                        <select id="hash" on:change=move |ev| {
                            if let Some(h) = CellHash::from_slug(&event_target_value(&ev)) {
                                let mut s = c.state.get_untracked();
                                s.hash = h;
                                c.go(&s, false);
                            }
                        }>
                            <option value="keyed" selected=move || c.state.get().hash == CellHash::Keyed>{td_string!(l, ui.field.hash_keyed)}</option>
                            <option value="plain" selected=move || c.state.get().hash == CellHash::Plain>{td_string!(l, ui.field.hash_plain)}</option>
                        </select>
                    </span>
                }.into_any(),
                DesignKind::Exposed => ().into_any(),
            }}
            <p class="answer" data-testid="private-answer" aria-live="polite">{answer}</p>
            {move || (design() == DesignKind::PrivateProximity).then(|| view! { <PsiExchange /> })}
            <p class="discloses">{move || if c.state.with(|s| s.lang == Lang::Zh) { design().discloses_zh() } else { design().discloses_en() }}</p>
        </section>
    }
}

/// ε in millionths as a number (budgets are far below 2^52 millionths).
#[allow(clippy::cast_precision_loss)]
fn micros_f64(micros: u64) -> f64 {
    micros as f64 / 1e6
}

/// ε in millionths, written with `digits` decimals.
fn micros(micros: u64, digits: usize) -> String {
    format!("{:.digits$}", micros_f64(micros))
}

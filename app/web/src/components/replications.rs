//! The lab's table of published attacks run again: each study's figure beside what the same
//! kind of attacker gets on the seeded city. The figures are `within500 replicate --seed 7
//! --people 100000`, written to `app/web/replications.json` by `cargo xtask attack-table`.

use leptos::prelude::*;
use within500_engine::Replications;

use crate::i18n::{td_string, Locale};

/// The measured figures, as the command wrote them.
const FIGURES: &str = include_str!("../../replications.json");

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

fn rms(list: &[within500_engine::AveragedBlur], reports: u32) -> String {
    list.iter().find(|r| r.reports == reports).map_or_else(|| "—".into(), |r| format!("{:.0}", r.rms_m))
}

/// The replication table, folded under its title.
#[component]
pub fn ReplicationTable(l: Locale) -> impl IntoView {
    let Ok(r) = serde_json::from_str::<Replications>(FIGURES) else {
        return view! { <p class="field-error">{td_string!(l, ui.rep.unreadable)}</p> }.into_any();
    };
    let (no, with) = (&r.blur_without_cache, &r.blur_with_cache);
    let rows = [
        (
            td_string!(l, ui.rep.facebook).to_string(),
            td_string!(l, ui.rep.facebook_pub).to_string(),
            td_string!(
                l,
                ui.rep.facebook_ours,
                share = pct(r.oracle_within_5m),
                median = format!("{:.2}", r.oracle_median_m.unwrap_or(f64::NAN))
            )
            .to_string(),
            td_string!(l, ui.rep.facebook_why).to_string(),
        ),
        (
            td_string!(l, ui.rep.foursquare).to_string(),
            td_string!(l, ui.rep.foursquare_pub).to_string(),
            td_string!(l, ui.rep.foursquare_ours, share = pct(r.oracle_within_15m)).to_string(),
            td_string!(l, ui.rep.facebook_why).to_string(),
        ),
        (
            td_string!(l, ui.rep.momo).to_string(),
            td_string!(l, ui.rep.momo_pub).to_string(),
            td_string!(l, ui.rep.momo_ours, share = pct(r.momo_within_40m)).to_string(),
            td_string!(l, ui.rep.momo_why).to_string(),
        ),
        (
            td_string!(l, ui.rep.lg).to_string(),
            td_string!(l, ui.rep.lg_pub).to_string(),
            td_string!(l, ui.rep.lg_ours, one = rms(no, 1), day = rms(no, 48), week = rms(no, 336), minute = rms(no, 1440)).to_string(),
            td_string!(l, ui.rep.lg_why, minute = rms(no, 1440)).to_string(),
        ),
        (
            td_string!(l, ui.rep.lg_cache).to_string(),
            td_string!(l, ui.rep.lg_cache_pub).to_string(),
            td_string!(l, ui.rep.lg_cache_ours, day = rms(with, 1440), week = rms(with, 10080)).to_string(),
            td_string!(l, ui.rep.lg_cache_why).to_string(),
        ),
        (
            td_string!(l, ui.rep.wechat).to_string(),
            td_string!(l, ui.rep.wechat_pub).to_string(),
            td_string!(l, ui.rep.wechat_ours, share = pct(r.wechat_within_60m)).to_string(),
            td_string!(l, ui.rep.wechat_why).to_string(),
        ),
    ];
    let body = rows
        .into_iter()
        .map(|(study, published, ours, why)| view! { <tr><th scope="row">{study}</th><td>{published}</td><td>{ours}</td><td>{why}</td></tr> })
        .collect_view();
    view! {
        <details class="replications" data-testid="replications">
            <summary>{td_string!(l, ui.rep.title)}</summary>
            <table class="lab-table">
                <caption>{td_string!(l, ui.rep.caption, targets = r.targets)}</caption>
                <thead><tr>
                    <th scope="col">{td_string!(l, ui.rep.study)}</th><th scope="col">{td_string!(l, ui.rep.published)}</th>
                    <th scope="col">{td_string!(l, ui.rep.measured)}</th><th scope="col">{td_string!(l, ui.rep.why)}</th>
                </tr></thead>
                <tbody>{body}</tbody>
            </table>
        </details>
    }
    .into_any()
}

//! The engine's words: each design's disclosure line, the grounds for listing, the districts'
//! names and the courts' names, in English and Chinese.
//!
//! They live in the app's locale files, `app/locales/{en,zh}/engine.json`, beside the page's own
//! strings, so that every visible string is in one place per language; the engine embeds both
//! files and reads each once. A test checks that both parse and hold the same keys.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// One language's words.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    /// Disclosure line per design slug.
    design: BTreeMap<String, String>,
    /// Each ground for listing, by its key (see `Reason::key`).
    reason: BTreeMap<String, String>,
    /// The districts' names, in district order.
    district: Vec<String>,
    /// A district court's name, with `{{ district }}` for the district's name.
    court: String,
}

const EN: &str = include_str!("../../locales/en/engine.json");
const ZH: &str = include_str!("../../locales/zh/engine.json");

fn words(zh: bool) -> &'static Words {
    static CELLS: [OnceLock<Words>; 2] = [OnceLock::new(), OnceLock::new()];
    CELLS[usize::from(zh)].get_or_init(|| {
        serde_json::from_str(if zh { ZH } else { EN }).expect("app/locales/*/engine.json parse (checked by the engine's tests)")
    })
}

fn lookup<'a>(table: &'a BTreeMap<String, String>, key: &str, what: &str) -> &'a str {
    table.get(key).map_or_else(|| panic!("app/locales/*/engine.json has no {what} {key:?}"), String::as_str)
}

/// A design's disclosure line (`zh` for Chinese).
pub(crate) fn discloses(slug: &str, zh: bool) -> &'static str {
    lookup(&words(zh).design, slug, "design")
}

/// A ground for listing.
pub(crate) fn reason(key: &str, zh: bool) -> &'static str {
    lookup(&words(zh).reason, key, "reason")
}

/// The name of district `index` (0 to 7).
pub(crate) fn district(index: usize, zh: bool) -> &'static str {
    words(zh).district.get(index).map_or_else(|| panic!("app/locales/*/engine.json has no district {index}"), String::as_str)
}

/// The name of the people's court of a district.
pub(crate) fn court(district_name: &str, zh: bool) -> String {
    words(zh).court.replace("{{ district }}", district_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => m.iter().for_each(|(k, v)| walk(&format!("{prefix}.{k}"), v, out)),
                serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| walk(&format!("{prefix}[{i}]"), v, out)),
                _ => out.push(prefix.to_owned()),
            }
        }
        let mut out = Vec::new();
        walk("", &serde_json::from_str(text).unwrap(), &mut out);
        out
    }

    #[test]
    fn both_languages_parse_and_hold_the_same_keys() {
        assert_eq!(keys(EN), keys(ZH));
        for zh in [false, true] {
            let w = words(zh);
            assert!(w.court.contains("{{ district }}"));
            assert!(w.design.values().chain(w.reason.values()).chain(&w.district).all(|s| !s.trim().is_empty()));
        }
    }

    #[test]
    fn every_design_reason_and_district_has_words_in_both_languages() {
        for zh in [false, true] {
            for d in crate::DesignKind::ALL.iter().copied() {
                assert!(!discloses(d.slug(), zh).is_empty());
            }
            for &r in crate::Reason::ALL {
                assert!(!reason(r.key(), zh).is_empty());
            }
            for i in 0..crate::plan::DISTRICT_COUNT {
                assert_ne!(district(i, zh), district((i + 1) % crate::plan::DISTRICT_COUNT, zh));
            }
        }
        assert_eq!(words(false).design.len(), crate::DesignKind::ALL.len());
        assert_eq!(words(false).reason.len(), crate::Reason::ALL.len());
        assert_eq!(words(false).district.len(), crate::plan::DISTRICT_COUNT);
        assert_eq!(court("Lanxi", false), "Lanxi District People's Court");
        assert_eq!(court("兰溪", true), "兰溪区人民法院");
    }
}

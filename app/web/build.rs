//! Generates the `i18n` module from `app/locales/{en,zh}/{ui,story,ex,src}.json` (one namespace a file;
//! `engine.json` beside them holds the engine's words, which the engine reads itself).
//!
//! `leptos_i18n` already fails the build for a key used in code but absent from the default
//! locale; it only warns when another locale lacks a key. Here that fails the build too, so no
//! visible string can fall back to English in the Chinese page (or the reverse).
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const LOCALES: [&str; 2] = ["en", "zh"];
const NAMESPACES: [&str; 4] = ["ui", "story", "ex", "src"];

fn keys(path: &Path) -> BTreeSet<String> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    walk(&if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, v, out);
                }
            }
            _ => {
                out.insert(prefix.to_owned());
            }
        }
    }
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let mut out = BTreeSet::new();
    walk("", &json, &mut out);
    out
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("../locales");
    for ns in NAMESPACES {
        let sets: Vec<BTreeSet<String>> = LOCALES.iter().map(|l| keys(&dir.join(l).join(format!("{ns}.json")))).collect();
        for (i, a) in sets.iter().enumerate() {
            for (j, b) in sets.iter().enumerate() {
                let missing: Vec<&String> = a.difference(b).collect();
                assert!(
                    missing.is_empty(),
                    "locales/{}/{ns}.json lacks keys that locales/{}/{ns}.json has: {missing:?}",
                    LOCALES[j],
                    LOCALES[i]
                );
            }
        }
    }
    let config = Config::new(LOCALES[0])
        .and_then(|c| c.add_locale(LOCALES[1]))
        .and_then(|c| c.add_namespaces(NAMESPACES))
        .expect("locale and namespace names are valid")
        // Strings with values in them are built as plain `String`s too (for titles, attributes).
        .parse_options(ParseOptions::default().interpolate_display(true));
    // `parse_at_dir` takes the folder that holds `locales/`: `app/`.
    let app = dir.parent().expect("app/locales has a parent");
    let infos = TranslationsInfos::parse_at_dir(app, config).expect("app/locales/*/*.json parse");
    infos.rerun_if_locales_changed();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("i18n");
    infos.generate_i18n_module(out).expect("the i18n module is written");
}

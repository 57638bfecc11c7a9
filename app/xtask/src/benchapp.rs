//! `cargo xtask bench --json`: the app itself in headless Chromium (release build), one JSON
//! object written to `docs/bench-app.json`, and the README's app table rewritten from it.

use std::fmt::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::figures::{group, num, read_json, splice_readme};
use crate::{capture, root, site, tools};

/// The targets on this machine, as (key, at most, unit) for the table's last column.
const TARGETS: [(&str, f64, &str); 8] = [
    ("app_gz_kb", 330.0, " KB"),
    ("first_map_ms_100k", 500.0, " ms"),
    ("first_map_ms_11m", 3_500.0, " ms"),
    ("move_answers_ms_100k", 16.7, " ms"),
    ("move_answers_ms_11m", 16.7, " ms"),
    ("lab_full_ms_11m", 20_000.0, " ms"),
    ("wasm_bytes_per_person_11m", 40.0, " bytes"),
    // The page's memory during a download within 1.5 x the city's: its growth at most half.
    ("download_growth_per_city_11m", 0.5, " × the city's memory"),
];

/// Builds the site, measures it, writes `docs/bench-app.json` and the README's table.
pub fn run_json() -> Result<(), String> {
    tools::ensure_build_tools()?;
    tools::ensure_test_tools()?;
    site::build()?;
    // Progress lines (stderr) show as they come; the JSON (stdout) is read.
    let out = capture(Command::new("node").arg("tests/perf/measure.mjs").env("PATH", tools::path_with_tools()).stderr(Stdio::inherit()))?;
    println!("{}", out.trim());
    let v: Value = serde_json::from_str(out.trim()).map_err(|e| format!("measure.mjs printed no JSON: {e}"))?;
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n";
    std::fs::write(root().join("docs/bench-app.json"), text).map_err(|e| format!("cannot write docs/bench-app.json: {e}"))?;
    readme(&v)
}

/// Rewrites the README's app table from `docs/bench-app.json`, measuring nothing.
pub fn readme_from_json() -> Result<(), String> {
    readme(&read_json("bench-app.json")?)
}

fn readme(v: &Value) -> Result<(), String> {
    splice_readme("bench-app-table", &table(v))
}

/// A duration in ms or s.
fn time(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".into(), |x| if x >= 1_000.0 { format!("{:.1} s", x / 1_000.0) } else { format!("{x:.1} ms") })
}

/// Whether a figure meets its target, in words.
fn verdict(v: &Value, key: &str) -> String {
    let Some(&(_, limit, unit)) = TARGETS.iter().find(|t| t.0 == key) else { return "—".into() };
    match v[key].as_f64() {
        Some(x) if x <= limit => format!("at most {limit}{unit}: met"),
        Some(_) => format!("at most {limit}{unit}: **not met**"),
        // A figure given as null was attempted and did not finish (an unfinished lab run).
        None if v[key].is_null() && v.get(key).is_some() => format!("at most {limit}{unit}: **not met**"),
        None => "not measured".into(),
    }
}

fn table(v: &Value) -> String {
    let mut t = format!(
        "{}, {}; `cargo xtask bench --json` (raw: `docs/bench-app.json`), the seed-7 city, release build. Medians; \
         the baselines were measured in the same run: an empty page from the same server loaded in {}, one animation \
         frame took {}.\n\n| Figure | Value | Target |\n| --- | --- | --- |\n",
        v["browser"].as_str().unwrap_or("Chromium"),
        v["machine"].as_str().unwrap_or("this machine"),
        time(&v["empty_page_load_ms"]),
        time(&v["frame_ms"]),
    );
    let mut row = |label: String, value: String, key: &str| {
        let _ = writeln!(t, "| {label} | {value} | {} |", verdict(v, key));
    };
    row(
        "The page's WASM + JS, gzipped".into(),
        format!(
            "{} ({} WASM, {} JS)",
            num(&v["app_gz_kb"], " KB", 1),
            num(&Value::from(v["wasm_gzip_bytes"].as_f64().map(|b| b / 1000.0)), " KB", 1),
            num(&Value::from(v["js_gzip_bytes"].as_f64().map(|b| b / 1000.0)), " KB", 1)
        ),
        "app_gz_kb",
    );
    row("The worker, gzipped (fetched with the first city)".into(), num(&v["worker_gz_kb"], " KB", 1), "worker_gz_kb");
    for (s, people) in [("100k", 100_000u64), ("1m", 1_000_000), ("11m", 11_000_000)] {
        row(
            format!("First map drawn after navigation, {} people", group(&Value::from(people))),
            format!(
                "{} (of {}), {} bytes a person of WASM memory",
                time(&v[format!("first_map_ms_{s}")]),
                v[format!("first_map_runs_{s}")],
                num(&v[format!("wasm_bytes_per_person_{s}")], "", 0)
            ),
            &format!("first_map_ms_{s}"),
        );
    }
    for (s, people) in [("100k", 100_000u64), ("11m", 11_000_000)] {
        row(
            format!("Move the position (a key) → the end of the first frame showing both answers, {} people", group(&Value::from(people))),
            format!(
                "{} (p95 {}, of 40); baseline, a key the map ignores to its frame: {}",
                time(&v[format!("move_answers_ms_{s}")]),
                time(&v[format!("move_answers_p95_ms_{s}")]),
                time(&v[format!("key_to_frame_ms_{s}")])
            ),
            &format!("move_answers_ms_{s}"),
        );
    }
    for (s, people) in [("100k", 100_000u64), ("11m", 11_000_000)] {
        let value = match v[format!("lab_unfinished_after_ms_{s}")].as_f64() {
            Some(limit) => format!("**not finished** within {} (the run was stopped there)", time(&Value::from(limit))),
            None => format!(
                "{} (of {}); longest gap between the page's frames {}",
                time(&v[format!("lab_full_ms_{s}")]),
                v[format!("lab_runs_{s}")],
                time(&v[format!("lab_longest_frame_ms_{s}")])
            ),
        };
        let targets = &v[format!("lab_targets_{s}")];
        let listed = if targets.is_null() { "every".into() } else { format!("all {}", group(targets)) };
        let label = format!(
            "Full lab in the worker, {} people: the oracle on {listed} listed, both panes, the ε sweep",
            group(&Value::from(people))
        );
        row(label, value, &format!("lab_full_ms_{s}"));
    }
    row("WASM memory a person, 11 000 000 people".into(), num(&v["wasm_bytes_per_person_11m"], " bytes", 1), "wasm_bytes_per_person_11m");
    row(
        "Download the 11 000 000-person city as CSV, written in parts: time to the whole file, the page's memory (its renderers' resident memory; the file's parts are kept by the browser process) before → at most meanwhile".into(),
        format!(
            "{} for {}; {} → {}, growth {} the city's WebAssembly memory",
            time(&v["download_csv_ms_11m"]),
            num(&v["download_csv_mb_11m"], " MB", 0),
            num(&v["download_rss_before_mb_11m"], " MB", 0),
            num(&v["download_rss_peak_mb_11m"], " MB", 0),
            num(&v["download_growth_per_city_11m"], " ×", 2),
        ),
        "download_growth_per_city_11m",
    );
    t
}

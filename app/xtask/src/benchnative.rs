//! The native half of `cargo xtask bench --json`: the `baselines` example (our index against
//! `geo-index`, an R-tree, a grid, brute force and a lower bound, answers checked equal) at each
//! population, written to `docs/bench-native.json`, and the README's native table rewritten
//! from it.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::figures::{group, num, read_json, splice_readme};
use crate::{capture, cargo, root};

/// The populations measured.
const PEOPLE: [u32; 3] = [100_000, 1_000_000, 11_000_000];

/// Runs the example at every population and writes the JSON and the README's table.
pub fn run_json() -> Result<(), String> {
    let mut rows = Vec::new();
    for people in PEOPLE {
        eprintln!("xtask: baselines, {people} people");
        let out = capture(cargo().args([
            "run",
            "--release",
            "-q",
            "-p",
            "within500-engine",
            "--example",
            "baselines",
            "--",
            &people.to_string(),
        ]))?;
        let line = out.lines().last().unwrap_or_default();
        rows.push(
            serde_json::from_str::<Value>(line).map_err(|e| format!("the baselines example printed no JSON for {people} people: {e}"))?,
        );
    }
    let v = json!({
        "command": "cargo xtask bench --json (cargo run --release -p within500-engine --example baselines -- <people>)",
        "machine": machine(),
        "synthetic": "seed-7 synthetic city; no real person",
        "rows": rows,
    });
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n";
    std::fs::write(root().join("docs/bench-native.json"), text).map_err(|e| format!("cannot write docs/bench-native.json: {e}"))?;
    readme(&v)
}

/// Rewrites the README's native table from `docs/bench-native.json`, measuring nothing.
pub fn readme_from_json() -> Result<(), String> {
    readme(&read_json("bench-native.json")?)
}

/// Cores, memory and system, as the browser benchmarks write them.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    let kib: f64 = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| m.lines().find(|l| l.starts_with("MemTotal:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok()))
        .unwrap_or(0.0);
    format!("{cores} cores, {:.0} GiB, {} {}", kib / 1_048_576.0, std::env::consts::OS, std::env::consts::ARCH)
}

fn readme(v: &Value) -> Result<(), String> {
    splice_readme("bench-native-table", &table(v))
}

fn us(v: &Value) -> String {
    num(v, " µs", 1)
}

fn table(v: &Value) -> String {
    let mut t = format!(
        "{}; `cargo xtask bench --json` (raw: `docs/bench-native.json`), the seed-7 city, release build, 500 m, 500 query \
         points near homes (brute force on the first 100), each query timed once; medians, p99 in brackets. Every structure \
         holds one point per household and answers with its members; every answer of every method was checked equal to \
         the index's. \"Answer only\" visits and tests only the homes in the answer (the issue's lower bound; our index takes whole \
         cells inside the circle without testing their homes, so it can beat it).\n\n\
         | People (homes) | people returned | our index (p99) | built | `geo-index` k-d tree on metres + exact test (p99) | built | R-tree (`rstar`) | uniform grid | answer only | brute force | ours / `geo-index` | ours / answer only |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        v["machine"].as_str().unwrap_or("this machine")
    );
    let rows = v["rows"].as_array().cloned().unwrap_or_default();
    for r in &rows {
        let _ = writeln!(
            t,
            "| {} ({}) | {} | {} ({}) | {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} |",
            group(&r["people"]),
            group(&r["homes"]),
            group(&r["returned_median"]),
            us(&r["h3_median_us"]),
            num(&r["h3_p99_us"], "", 1),
            num(&r["index_build_ms"], " ms", 0),
            us(&r["geo_index_median_us"]),
            num(&r["geo_index_p99_us"], "", 1),
            num(&r["geo_index_build_ms"], " ms", 0),
            us(&r["rtree_median_us"]),
            us(&r["grid_median_us"]),
            us(&r["lower_bound_median_us"]),
            num(&Value::from(r["brute_median_us"].as_f64().map(|x| x / 1000.0)), " ms", 2),
            num(&r["ratio_to_geo_index"], "", 2),
            num(&r["ratio_to_lower_bound"], "", 2),
        );
    }
    // The targets, from the same rows.
    let holds = |f: &dyn Fn(&Value) -> Option<bool>| {
        let met: Vec<String> = rows
            .iter()
            .map(|r| format!("{}: {}", group(&r["people"]), if f(r).unwrap_or(false) { "met" } else { "**not met**" }))
            .collect();
        met.join(", ")
    };
    let half = holds(&|r| Some(r["ratio_to_geo_index"].as_f64()? <= 0.5));
    let floor = holds(&|r| Some(r["ratio_to_lower_bound"].as_f64()? <= 3.0));
    let build = holds(&|r| Some(r["index_build_ms"].as_f64()? <= r["geo_index_build_ms"].as_f64()?));
    let _ = write!(
        t,
        "\nTargets, per population: our median at most half of `geo-index`'s ({half}); within 3 × of the answer-only scan \
         ({floor}); our index built no slower than `geo-index`'s on the same homes ({build}; ours assigns each home its H3 \
         cell, orders the homes by cell and tables the runs).\n"
    );
    t
}

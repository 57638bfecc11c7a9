//! `cargo xtask bench-web`: the browser benchmark page, built outside the app's bundle into
//! `target/bench-web/`, served on 127.0.0.1 and run in headless Chromium.

use std::path::Path;
use std::process::Command;

use std::fmt::Write as _;

use serde_json::Value;

use crate::figures::{group, num, read_json, splice_readme};
use crate::{capture, root, run, tools, wasm};

/// Files copied next to the page: its own and the JavaScript peers' (npm dev dependencies, exact
/// versions in package.json): h3-js with turf, kdbush with geokdbush, and flatbush.
const FILES: [(&str, &str); 10] = [
    ("tests/perf/bench-web/index.html", "index.html"),
    ("tests/perf/bench-web/bench.js", "bench.js"),
    ("tests/perf/bench-web/peers.js", "peers.js"),
    ("node_modules/h3-js/dist/h3-js.umd.js", "h3-js.umd.js"),
    ("node_modules/@turf/turf/turf.min.js", "turf.min.js"),
    ("node_modules/kdbush/index.js", "kdbush.js"),
    ("node_modules/geokdbush/index.js", "geokdbush.js"),
    ("node_modules/geokdbush/node_modules/tinyqueue/index.js", "tinyqueue.js"),
    ("node_modules/flatbush/index.js", "flatbush.js"),
    ("node_modules/flatqueue/index.js", "flatqueue.js"),
];

/// Builds the page into `target/bench-web/`.
pub fn build() -> Result<(), String> {
    tools::ensure_build_tools()?;
    let out = root().join("target/bench-web");
    wasm::build_pkg("within500-bench-web", "within500_bench_web", &out.join("pkg"))?;
    for (from, to) in FILES {
        copy(&root().join(from), &out.join(to))?;
    }
    Ok(())
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
}

/// Builds the page and runs it for each population; `args` go to `tests/perf/bench-web.mjs`.
/// With `--json` for the three populations of the README, the result is also written to
/// `docs/bench-web.json` and the README's browser table is rewritten from it.
pub fn run_bench(args: &[String], json: bool) -> Result<(), String> {
    build()?;
    tools::ensure_test_tools()?;
    if !json {
        return run(Command::new("node").arg("tests/perf/bench-web.mjs").args(args));
    }
    let out = capture(Command::new("node").arg("tests/perf/bench-web.mjs").args(args).env("PATH", tools::path_with_tools()))?;
    println!("{}", out.trim());
    let v: Value = serde_json::from_str(out.trim()).map_err(|e| format!("bench-web.mjs printed no JSON: {e}"))?;
    let people: Vec<u64> = v["results"].as_array().map(|r| r.iter().filter_map(|x| x["people"].as_u64()).collect()).unwrap_or_default();
    if people != [100_000, 1_000_000, 11_000_000] {
        eprintln!("xtask: {people:?} people measured; docs/bench-web.json and the README keep the 100 000, 1 000 000 and 11 000 000 run");
        return Ok(());
    }
    let text = serde_json::to_string_pretty(&v).map_err(|e| e.to_string())? + "\n";
    std::fs::write(root().join("docs/bench-web.json"), text).map_err(|e| format!("cannot write docs/bench-web.json: {e}"))?;
    write_readme(&v)
}

/// Rewrites the README's browser table from `docs/bench-web.json`, measuring nothing.
pub fn readme_from_json() -> Result<(), String> {
    write_readme(&read_json("bench-web.json")?)
}

fn write_readme(v: &Value) -> Result<(), String> {
    splice_readme("bench-web-table", &table(v))
}

/// The README's browser table: our index against each JavaScript peer, per population.
fn table(v: &Value) -> String {
    let us = |r: &Value, k: &str| num(&r[k], " µs", 0);
    let ms = |r: &Value, k: &str| {
        r[k].as_f64().map_or_else(|| "—".into(), |x| if x >= 1_000.0 { format!("{:.1} s", x / 1_000.0) } else { format!("{x:.0} ms") })
    };
    let mut t = format!(
        "{}, {}; `cargo xtask bench-web --json` (raw: `docs/bench-web.json`). {} query points near homes, 500 m, each \
         query repeated {} times; medians, with p99 and (for the peers) the index's build time in brackets. \
         \"City + index built\" is the whole city generated and indexed, so it is not comparable with the peers' builds, \
         which index homes already made.\n\n",
        v["browser"].as_str().unwrap_or("Chromium"),
        v["machine"].as_str().unwrap_or("this machine"),
        v["queries"],
        v["reps"]
    );
    t.push_str(
        "| People | City + index built | Our index (p99) | kdbush + exact test (build) | geokdbush (build) | flatbush + exact test (build) | ours / fastest JS peer, median (p99) | h3-js + turf | uniform grid | brute force |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for r in v["results"].as_array().into_iter().flatten() {
        let _ = writeln!(
            t,
            "| {} | {} | {} ({}) | {} ({}; {}) | {} ({}; {}) | {} ({}; {}) | {} ({}), vs {} | {} | {} | {} |",
            group(&r["people"]),
            ms(r, "build_ms"),
            us(r, "query_median_us"),
            num(&r["query_p99_us"], "", 0),
            us(r, "kdbush_median_us"),
            num(&r["kdbush_p99_us"], "", 0),
            ms(r, "kdbush_build_ms"),
            us(r, "geokdbush_median_us"),
            num(&r["geokdbush_p99_us"], "", 0),
            ms(r, "geokdbush_build_ms"),
            us(r, "flatbush_median_us"),
            num(&r["flatbush_p99_us"], "", 0),
            ms(r, "flatbush_build_ms"),
            num(&r["ratio_to_fastest_js_peer"], "", 2),
            num(&r["p99_ratio_to_fastest_js_peer"], "", 2),
            r["fastest_js_peer"].as_str().unwrap_or("—"),
            us(r, "h3js_turf_median_us"),
            us(r, "grid_median_us"),
            num(&Value::from(r["brute_median_us"].as_f64().map(|x| x / 1_000.0)), " ms", 1),
        );
    }
    let results: Vec<&Value> = v["results"].as_array().into_iter().flatten().collect();
    let list = |f: &dyn Fn(&Value) -> String| results.iter().map(|r| f(r)).collect::<Vec<_>>().join(", ");
    let met = |r: &Value| {
        r["ratio_to_fastest_js_peer"].as_f64().is_some_and(|x| x <= 0.5)
            && r["p99_ratio_to_fastest_js_peer"].as_f64().is_some_and(|x| x < 1.0)
    };
    let _ = writeln!(
        t,
        "\nEvery method's answers were {} the index's. The target (at most half the fastest peer's median, and a p99 below its p99) \
         holds at {} of {} populations ({}). WebAssembly memory after building: {} bytes a person (the city's tables: {}). \
         h3-js took {} to bucket the homes.",
        if results.iter().all(|r| r["answers_equal"] == true) { "equal to" } else { "NOT all equal to" },
        results.iter().filter(|r| met(r)).count(),
        results.len(),
        list(&|r| format!("{}: {}", group(&r["people"]), if met(r) { "met" } else { "not met" })),
        list(&|r| num(&r["wasm_memory_bytes_per_person"], "", 0)),
        list(&|r| num(&r["city_bytes_per_person"], "", 0)),
        list(&|r| ms(r, "h3js_build_ms")),
    );
    t
}

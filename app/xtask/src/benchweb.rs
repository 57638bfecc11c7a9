//! `cargo xtask bench-web`: the browser benchmark page, built outside the app's bundle into
//! `target/bench-web/`, served on 127.0.0.1 and run in headless Chromium.

use std::path::Path;
use std::process::Command;

use crate::{root, run, tools, wasm};

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
pub fn run_bench(args: &[String]) -> Result<(), String> {
    build()?;
    tools::ensure_test_tools()?;
    run(Command::new("node").arg("tests/perf/bench-web.mjs").args(args))
}

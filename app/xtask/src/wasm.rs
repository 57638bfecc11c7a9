//! Building a wasm-bindgen library crate outside Trunk: the Web Worker and the benchmark page.

use std::path::Path;
use std::process::Command;

use crate::{cargo, root, run};

/// Builds `package` for wasm32 with the app's release profile, runs wasm-bindgen (ES module
/// output) into `out`, then wasm-opt at the app's level, so that it measures the code the app
/// ships. `lib` is the crate's library name (`within500_bench_web`).
pub fn build_pkg(package: &str, lib: &str, out: &Path) -> Result<(), String> {
    run(cargo().args(["build", "-p", package, "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/wasm-release").join(format!("{lib}.wasm"));
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .arg(out)
        .arg(&wasm))?;
    let bg = out.join(format!("{lib}_bg.wasm"));
    // The features Rust's wasm32 target enables by default; the app's Trunk build uses -Oz too.
    run(Command::new("wasm-opt")
        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
        .args(["--enable-reference-types", "--enable-multivalue", "--enable-mutable-globals", "-o"])
        .arg(&bg)
        .arg(&bg))
}

//! Building a wasm-bindgen library crate outside Trunk: the Web Worker and the benchmark page.

use std::path::Path;
use std::process::Command;

use crate::{cargo, root, run};

/// Builds `package` for wasm32 with the worker's profile (the app's, with the engine at full
/// speed), runs wasm-bindgen (ES module output) into `out`, then wasm-opt. The benchmark uses
/// this too, so it measures the worker's generation. `lib` is the crate's library name.
pub fn build_pkg(package: &str, lib: &str, out: &Path) -> Result<(), String> {
    run(cargo().args(["build", "-p", package, "--target", "wasm32-unknown-unknown", "--profile", "wasm-worker"]))?;
    let wasm = root().join("target/wasm32-unknown-unknown/wasm-worker").join(format!("{lib}.wasm"));
    run(Command::new("wasm-bindgen").args(["--target", "web", "--no-typescript", "--out-dir"]).arg(out).arg(&wasm))?;
    let bg = out.join(format!("{lib}_bg.wasm"));
    // The features Rust's wasm32 target enables by default; the app's Trunk build uses -Oz too.
    run(Command::new("wasm-opt")
        .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext"])
        .args(["--enable-reference-types", "--enable-multivalue", "--enable-mutable-globals", "-o"])
        .arg(&bg)
        .arg(&bg))
}

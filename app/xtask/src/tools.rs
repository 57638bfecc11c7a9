//! Finding and installing the pinned tools. Each check is cheap, so every task runs them all.

use std::path::Path;
use std::process::Command;

use crate::{cargo, root, run};

/// Trunk's version: 0.22 needs a newer compiler than this project pins.
const TRUNK_VERSION: &str = "0.21.14";

/// `PATH` with the npm tools and cargo's binaries first, for the commands xtask starts.
pub fn path_with_tools() -> String {
    let home = std::env::var("CARGO_HOME").unwrap_or_else(|_| format!("{}/.cargo", std::env::var("HOME").unwrap_or_default()));
    let npm_bin = root().join("node_modules/.bin");
    format!("{}:{home}/bin:{}", npm_bin.display(), std::env::var("PATH").unwrap_or_default())
}

/// Adds the wasm32 target through rustup if it is missing.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"));
    if installed {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Installs a cargo binary at an exact version unless `program --version` already names it.
fn ensure_cargo_tool(program: &str, krate: &str, version: &str, locked: bool) -> Result<(), String> {
    let found = Command::new(program)
        .arg("--version")
        .env("PATH", path_with_tools())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    if found.is_some_and(|v| v.contains(version)) {
        return Ok(());
    }
    let mut cmd = cargo();
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run(&mut cmd)
}

/// The exact `wasm-bindgen` version in `Cargo.lock`; the CLI must match it.
pub fn wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen entry".into())
}

/// npm packages from `package-lock.json` (wasm-opt, Playwright), unless already installed.
fn ensure_npm() -> Result<(), String> {
    let r = root();
    let marker = r.join("node_modules/.package-lock.json");
    let fresh = std::fs::metadata(&marker)
        .and_then(|m| m.modified())
        .ok()
        .zip(std::fs::metadata(r.join("package-lock.json")).and_then(|m| m.modified()).ok())
        .is_some_and(|(installed, lock)| installed >= lock);
    if fresh && r.join("node_modules/.bin/wasm-opt").exists() {
        return Ok(());
    }
    run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]))
}

/// Debian's Chromium and `ChromeDriver` for the browser tests, and CJK fonts so that screenshots
/// show the Chinese names rather than empty boxes.
fn ensure_chromium() -> Result<(), String> {
    let fonts = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if Path::new("/usr/bin/chromium").exists() && Path::new("/usr/bin/chromedriver").exists() && fonts.exists() {
        return Ok(());
    }
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "chromium", "chromium-driver", "fonts-noto-cjk"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Everything the web build needs.
pub fn ensure_build_tools() -> Result<(), String> {
    ensure_wasm_target()?;
    ensure_npm()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    // `--locked` fails to resolve for wasm-bindgen-cli; the exact version is pinned instead.
    ensure_cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen_version()?, false)
}

/// Everything the tests need on top of the build.
pub fn ensure_test_tools() -> Result<(), String> {
    ensure_build_tools()?;
    ensure_chromium()
}

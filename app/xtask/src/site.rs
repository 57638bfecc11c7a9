//! Building the release site into `dist/`.

use std::process::Command;

use crate::{root, run};

/// Builds the release site with Trunk, then moves Trunk's inline loader script into a file so
/// that the page runs under a Content Security Policy without `'unsafe-inline'`.
pub fn build() -> Result<(), String> {
    run(Command::new("trunk").args(["build", "--release"]))?;
    externalise_loader()
}

/// Builds the Web Worker that generates cities (`app/worker`) into `target/worker/`: the
/// wasm-bindgen module and its small script, which Trunk copies to `dist/worker/`.
pub fn build_worker() -> Result<(), String> {
    let out = root().join("target/worker");
    crate::wasm::build_pkg("within500-worker", "within500_worker", &out)?;
    let script = root().join("app/worker/js/worker.js");
    std::fs::copy(&script, out.join("worker.js")).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", script.display()))
}

fn externalise_loader() -> Result<(), String> {
    let dist = root().join("dist");
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let Some(start) = html.find("<script type=\"module\"") else {
        return Err("dist/index.html has no module script to move: did Trunk change its output?".into());
    };
    let open_end = html[start..].find('>').map(|i| start + i + 1).ok_or("unterminated script tag")?;
    let close = html[open_end..].find("</script>").map(|i| open_end + i).ok_or("unterminated script")?;
    let script = &html[open_end..close];
    std::fs::write(dist.join("boot.js"), script.trim()).map_err(|e| format!("cannot write boot.js: {e}"))?;
    let html = format!("{}<script type=\"module\" src=\"./boot.js\"></script>{}", &html[..start], &html[close + "</script>".len()..]);
    if html.contains("<script>") || html.contains("<script type=\"module\">") {
        return Err("dist/index.html still has an inline script".into());
    }
    std::fs::write(&index, html).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    eprintln!("xtask: site written to {}", dist.display());
    Ok(())
}

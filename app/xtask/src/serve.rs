//! A small static file server for `dist/` on 127.0.0.1.

use std::path::{Component, Path};

use crate::root;

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Serves `dist/` until interrupted.
pub fn serve(port: u16) -> Result<(), String> {
    let dist = root().join("dist");
    let server = tiny_http::Server::http(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e} (try --port with another number)"))?;
    println!("Within 500 m is served at http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    for request in server.incoming_requests() {
        let url = request.url().split(['?', '#']).next().unwrap_or("/").to_owned();
        let rel = Path::new(url.trim_start_matches('/'));
        // Refuse anything that could climb out of dist/.
        let safe = rel.components().all(|c| matches!(c, Component::Normal(_)));
        let mut path = dist.join(if safe { rel } else { Path::new("") });
        if path.is_dir() {
            path = path.join("index.html");
        }
        let response = match std::fs::read(&path) {
            Ok(bytes) if safe => {
                let header = tiny_http::Header::from_bytes("Content-Type", content_type(&path)).map_err(|()| "bad header")?;
                tiny_http::Response::from_data(bytes).with_header(header).with_status_code(200)
            }
            _ => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
        };
        let _ = request.respond(response);
    }
    Ok(())
}

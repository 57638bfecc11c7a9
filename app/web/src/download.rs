//! Downloads made in the page: a file is built in memory (or a part at a time, [`InParts`]) and
//! handed to the browser; nothing is uploaded and no other origin is asked for anything.

use wasm_bindgen::{JsCast, JsValue};

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window().and_then(|w| w.document()).ok_or_else(|| JsValue::from_str("no document"))
}

fn click_link(href: &str, name: &str) -> Result<(), JsValue> {
    let doc = document()?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(name);
    let body = doc.body().ok_or_else(|| JsValue::from_str("no body"))?;
    body.append_child(&a)?;
    a.click();
    a.remove();
    Ok(())
}

/// Offers `text` as a file called `name` of type `mime` (a `gloo` Blob behind an object URL).
///
/// # Errors
/// If the browser refuses to make the file (the message is shown to the user).
pub fn save_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    save_blob(gloo::file::Blob::new_with_options(text, Some(mime)), name)
}

/// A file made a part at a time: each part is copied out of the WebAssembly memory into a
/// `Blob` that refers to the previous one, so the page holds one part at a time while the
/// browser keeps the file (in its blob store, which may spill to disk), never the whole file as
/// one string.
pub struct InParts {
    blob: web_sys::Blob,
    mime: String,
}

impl InParts {
    /// An empty file of type `mime`.
    ///
    /// # Errors
    /// If the browser refuses to make a `Blob`.
    pub fn new(mime: &str) -> Result<Self, JsValue> {
        Ok(Self { blob: Self::join(&js_sys::Array::new(), mime)?, mime: mime.to_owned() })
    }

    fn join(parts: &js_sys::Array, mime: &str) -> Result<web_sys::Blob, JsValue> {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        web_sys::Blob::new_with_blob_sequence_and_options(parts, &options)
    }

    /// Appends `bytes` to the file.
    ///
    /// # Errors
    /// If the browser refuses to make the joined `Blob`.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), JsValue> {
        let part = js_sys::Uint8Array::from(bytes);
        self.blob = Self::join(&js_sys::Array::of2(&self.blob, &part), &self.mime)?;
        Ok(())
    }

    /// Offers the file as `name`.
    ///
    /// # Errors
    /// If the browser refuses to make the link.
    pub fn save(self, name: &str) -> Result<(), JsValue> {
        save_blob(gloo::file::Blob::from(self.blob), name)
    }
}

fn save_blob(blob: gloo::file::Blob, name: &str) -> Result<(), JsValue> {
    let url = gloo::file::ObjectUrl::from(blob);
    let result = click_link(&url, name);
    // Let the download start before the URL is released (dropping it revokes it).
    gloo::timers::callback::Timeout::new(5_000, move || drop(url)).forget();
    result
}

/// Offers the map canvas as a PNG with a band below it that carries the synthetic-data mark and
/// the settings that reproduce the view (`caption`).
///
/// # Errors
/// If the canvas cannot be copied or encoded.
pub fn save_canvas_png(source: &web_sys::HtmlCanvasElement, name: &str, caption: &[String]) -> Result<(), JsValue> {
    let doc = document()?;
    let out: web_sys::HtmlCanvasElement = doc.create_element("canvas")?.dyn_into()?;
    let band = 22 * u32::try_from(caption.len()).unwrap_or(1) + 12;
    out.set_width(source.width());
    out.set_height(source.height() + band);
    let ctx: web_sys::CanvasRenderingContext2d = out.get_context("2d")?.ok_or_else(|| JsValue::from_str("no 2d context"))?.dyn_into()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(out.width()), f64::from(out.height()));
    ctx.draw_image_with_html_canvas_element(source, 0.0, 0.0)?;
    ctx.set_fill_style_str("#7a1d12");
    ctx.set_font("600 15px system-ui, sans-serif");
    for (i, line) in caption.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let y = f64::from(source.height()) + 24.0 + 22.0 * i as f64;
        ctx.fill_text(line, 10.0, y)?;
    }
    let url = out.to_data_url_with_type("image/png")?;
    click_link(&url, name)
}

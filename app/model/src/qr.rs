//! The presenter's QR code: the current view's address as a QR code an audience scans to open the
//! same view on their phones. Made in the page by the `qrcode` crate; nothing is sent anywhere.

use std::fmt::Write as _;

use qrcode::{Color, EcLevel, QrCode};

/// A QR code ready to draw as one SVG path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSvg {
    /// Modules per side, without the quiet zone.
    pub width: usize,
    /// The SVG `viewBox` (the code and a quiet zone of four modules on each side).
    pub view_box: String,
    /// An SVG path of every dark module, one unit square each.
    pub path: String,
}

/// Modules of blank margin a scanner needs around the code.
const QUIET_ZONE: usize = 4;

impl QrSvg {
    /// The code of `text` at error-correction level M (about 15 % of the code can be covered or
    /// smudged), or `None` when the text is too long for any QR version.
    #[must_use]
    pub fn of(text: &str) -> Option<Self> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let mut path = String::new();
        for (i, colour) in code.to_colors().into_iter().enumerate() {
            if colour == Color::Dark {
                let (x, y) = (i % width + QUIET_ZONE, i / width + QUIET_ZONE);
                let _ = write!(path, "M{x} {y}h1v1h-1z");
            }
        }
        let side = width + 2 * QUIET_ZONE;
        Some(Self { width, view_box: format!("0 0 {side} {side}"), path })
    }

    /// Where the dark modules are, as `(x, y)` with the quiet zone included: for tests and for
    /// anyone drawing the code another way.
    #[must_use]
    pub fn dark_modules(&self) -> Vec<(usize, usize)> {
        self.path
            .split('M')
            .filter_map(|m| {
                let (x, rest) = m.split_once(' ')?;
                let y = rest.split_once('h')?.0;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes the drawn code as a phone would (the `rqrr` decoder on a bitmap of the path).
    fn decode(qr: &QrSvg) -> String {
        let side = qr.width + 2 * QUIET_ZONE;
        let scale = 4;
        let mut dark = vec![false; side * side];
        for (x, y) in qr.dark_modules() {
            dark[y * side + x] = true;
        }
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(side * scale, side * scale, |x, y| {
            if dark[(y / scale) * side + x / scale] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one code in the image");
        grids[0].decode().expect("the code decodes").1
    }

    #[test]
    fn the_code_decodes_to_the_address() {
        for url in [
            "http://127.0.0.1:8080/?seed=7&mode=story&step=4",
            "https://example.org/within500/?seed=2019&people=11000000&lat=38.041200&lng=114.514300&radius=500&design=dp-session&eps=0.5&lang=zh",
        ] {
            let qr = QrSvg::of(url).expect("a short address fits");
            assert_eq!(decode(&qr), url);
            assert_eq!(qr.view_box, format!("0 0 {0} {0}", qr.width + 8));
        }
    }

    #[test]
    fn a_longer_address_makes_a_larger_code() {
        let short = QrSvg::of("http://127.0.0.1/?seed=7").expect("fits");
        let long = QrSvg::of(&format!("http://127.0.0.1/?seed=7&x={}", "a".repeat(300))).expect("fits");
        assert!(long.width > short.width);
        assert!(QrSvg::of(&"a".repeat(5_000)).is_none(), "too long for any version");
    }
}

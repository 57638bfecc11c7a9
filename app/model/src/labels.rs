//! Where the map's labels go: each label takes the first of its candidate places that stays on the
//! canvas and overlaps neither a label already placed nor anything the map must keep clear (the
//! position marker, the circle's centre, the synthetic-data mark, the scale bar, the controls
//! drawn over the map). A label with no free place is left out rather than drawn over something.

use serde::Serialize;

/// A rectangle in CSS pixels of the canvas, `x` and `y` its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

impl Rect {
    /// A square of half-side `half` around a point.
    #[must_use]
    pub fn around(x: f64, y: f64, half: f64) -> Self {
        Self { x: x - half, y: y - half, w: 2.0 * half, h: 2.0 * half }
    }

    /// Whether the two rectangles share any area (touching edges do not count).
    #[must_use]
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x < o.x + o.w && o.x < self.x + self.w && self.y < o.y + o.h && o.y < self.y + self.h
    }

    /// Whether `inner` lies wholly inside this rectangle.
    #[must_use]
    pub fn contains(&self, inner: &Rect) -> bool {
        inner.x >= self.x && inner.y >= self.y && inner.x + inner.w <= self.x + self.w && inner.y + inner.h <= self.y + self.h
    }

    /// The rectangle grown by `m` on every side.
    #[must_use]
    pub fn grown(&self, m: f64) -> Self {
        Self { x: self.x - m, y: self.y - m, w: self.w + 2.0 * m, h: self.h + 2.0 * m }
    }
}

/// A label to place: its text, its size as measured on the canvas, and the top-left corners it
/// may take, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The text.
    pub text: String,
    /// What it names (`district`, `street`), for the map's key and for tests.
    pub kind: &'static str,
    /// Width of the text in CSS pixels.
    pub w: f64,
    /// Height of the text box in CSS pixels.
    pub h: f64,
    /// Top-left corners to try, in order.
    pub places: Vec<(f64, f64)>,
}

/// A label where it was drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Placed {
    /// The text.
    pub text: String,
    /// What it names.
    pub kind: &'static str,
    /// Its box on the canvas.
    #[serde(flatten)]
    pub rect: Rect,
}

/// Pixels kept free around every placed label, so that two labels never touch.
pub const LABEL_GAP_PX: f64 = 2.0;

/// The corners around an anchor point for a label of `w` × `h`: centred on it, then above, below,
/// right and left of it, each clear of a keep-out of `clear` pixels around the anchor.
#[must_use]
pub fn around_anchor(x: f64, y: f64, w: f64, h: f64, clear: f64) -> Vec<(f64, f64)> {
    let (cx, cy) = (x - w / 2.0, y - h / 2.0);
    vec![
        (cx, cy),
        (cx, y - clear - h),
        (cx, y + clear),
        (x + clear, cy),
        (x - clear - w, cy),
        (x + clear, y - clear - h),
        (x - clear - w, y + clear),
        (cx, y - 2.0 * clear - 2.0 * h),
        (cx, y + 2.0 * clear + h),
    ]
}

/// Places the labels in order (earlier ones win), inside `bounds` and clear of `keep_clear`.
#[must_use]
pub fn place(candidates: Vec<Candidate>, keep_clear: &[Rect], bounds: Rect) -> Vec<Placed> {
    let mut placed: Vec<Placed> = Vec::new();
    for c in candidates {
        let free = c.places.iter().map(|&(x, y)| Rect { x, y, w: c.w, h: c.h }).find(|r| {
            bounds.contains(r)
                && !keep_clear.iter().any(|k| k.overlaps(r))
                && !placed.iter().any(|p| p.rect.grown(LABEL_GAP_PX).overlaps(r))
        });
        if let Some(rect) = free {
            placed.push(Placed { text: c.text, kind: c.kind, rect });
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(text: &str, x: f64, y: f64) -> Candidate {
        Candidate { text: text.into(), kind: "district", w: 60.0, h: 16.0, places: around_anchor(x, y, 60.0, 16.0, 14.0) }
    }

    const BOUNDS: Rect = Rect { x: 0.0, y: 0.0, w: 400.0, h: 300.0 };

    #[test]
    fn a_label_moves_off_the_marker() {
        let marker = Rect::around(200.0, 150.0, 12.0);
        let alone = place(vec![candidate("Huaiyang", 200.0, 150.0)], &[], BOUNDS);
        assert!(alone[0].rect.overlaps(&marker), "with nothing to avoid it sits on its anchor");
        let moved = place(vec![candidate("Huaiyang", 200.0, 150.0)], &[marker], BOUNDS);
        assert_eq!(moved.len(), 1);
        assert!(!moved[0].rect.overlaps(&marker));
    }

    #[test]
    fn labels_never_overlap_each_other_or_what_is_kept_clear() {
        // A crowd of labels on a few anchors, and two things to keep clear.
        let keep = [Rect::around(100.0, 100.0, 12.0), Rect { x: 8.0, y: 8.0, w: 200.0, h: 22.0 }];
        let mut cands = Vec::new();
        for i in 0..40 {
            let f = f64::from(i);
            cands.push(candidate(&format!("L{i}"), 40.0 + (f * 37.0) % 330.0, 30.0 + (f * 53.0) % 250.0));
        }
        let placed = place(cands, &keep, BOUNDS);
        assert!(placed.len() > 5, "some labels fit ({})", placed.len());
        assert!(placed.len() < 40, "not all of them fit ({})", placed.len());
        for (i, a) in placed.iter().enumerate() {
            assert!(BOUNDS.contains(&a.rect));
            assert!(keep.iter().all(|k| !k.overlaps(&a.rect)), "{} is clear", a.text);
            for b in &placed[i + 1..] {
                assert!(!a.rect.overlaps(&b.rect), "{} and {} do not overlap", a.text, b.text);
            }
        }
    }

    #[test]
    fn a_label_with_no_free_place_is_left_out() {
        let everything = Rect { x: 0.0, y: 0.0, w: 400.0, h: 300.0 };
        assert!(place(vec![candidate("A", 200.0, 150.0)], &[everything], BOUNDS).is_empty());
        // Off the canvas.
        assert!(place(vec![candidate("B", 900.0, 150.0)], &[], BOUNDS).is_empty());
    }
}

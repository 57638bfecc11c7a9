//! The map's input as plain logic: dragging the marker, panning, pinching with two fingers, the
//! wheel and the keyboard, each turned into what the page does (move the position, change the
//! view).

use within500_engine::{LatLng, LocalFrame};

use crate::Viewport;

/// Pixels around the marker that pick it up.
pub const MARKER_GRAB_PX: f64 = 18.0;

/// How the pointer is being dragged.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    None,
    Marker,
    Pan { x: f64, y: f64 },
}

/// What a pointer movement does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gesture {
    /// Nothing.
    None,
    /// The view changes (pan or pinch).
    View(Viewport),
    /// The marker moves here (while dragged: replace the history entry).
    Marker(LatLng),
}

/// The pointers on the map and what they drag.
#[derive(Debug, Clone, PartialEq)]
pub struct Gestures {
    drag: Drag,
    /// Pointers down: id, x, y (two of them pinch).
    pointers: Vec<(i32, f64, f64)>,
}

impl Default for Gestures {
    fn default() -> Self {
        Self { drag: Drag::None, pointers: Vec::new() }
    }
}

impl Gestures {
    /// A pointer goes down at (x, y): on the marker (when it can move) it starts dragging it,
    /// anywhere else it starts panning. Returns whether the marker was picked up.
    pub fn down(&mut self, id: i32, x: f64, y: f64, view: &Viewport, marker: LatLng, movable: bool) -> bool {
        self.pointers.retain(|p| p.0 != id);
        self.pointers.push((id, x, y));
        let (mx, my) = view.to_px(marker);
        let on_marker = movable && (x - mx).hypot(y - my) <= MARKER_GRAB_PX;
        self.drag = if on_marker { Drag::Marker } else { Drag::Pan { x, y } };
        on_marker
    }

    /// A pointer moves to (x, y).
    pub fn moved(&mut self, id: i32, x: f64, y: f64, view: &Viewport) -> Gesture {
        // Two pointers down: pinch. Zoom by the change in their distance, about their midpoint.
        let spread = |p: &[(i32, f64, f64)]| (p[0].1 - p[1].1).hypot(p[0].2 - p[1].2);
        let before = (self.pointers.len() == 2)
            .then(|| (spread(&self.pointers), self.pointers[0].1 + self.pointers[1].1, self.pointers[0].2 + self.pointers[1].2));
        if let Some(p) = self.pointers.iter_mut().find(|p| p.0 == id) {
            p.1 = x;
            p.2 = y;
        }
        if let Some((d0, sx, sy)) = before {
            let d1 = spread(&self.pointers);
            return if d0 > 1.0 { Gesture::View(view.zoomed(d1 / d0, sx / 2.0, sy / 2.0)) } else { Gesture::None };
        }
        match self.drag {
            Drag::None => Gesture::None,
            Drag::Marker => Gesture::Marker(view.to_latlng(x, y)),
            Drag::Pan { x: x0, y: y0 } => {
                self.drag = Drag::Pan { x, y };
                Gesture::View(view.panned(x - x0, y - y0))
            }
        }
    }

    /// A pointer goes up (or is cancelled). Returns whether it dropped the marker: each drop asks
    /// the map again, one question.
    pub fn up(&mut self, id: i32) -> bool {
        self.pointers.retain(|p| p.0 != id);
        let dropped = self.drag == Drag::Marker;
        self.drag = Drag::None;
        dropped
    }
}

/// The wheel's zoom factor for a scroll of `delta_y`.
#[must_use]
pub fn wheel_factor(delta_y: f64) -> f64 {
    if delta_y < 0.0 {
        1.25
    } else {
        0.8
    }
}

/// What a key does on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeyAction {
    /// Move the marker here: one question, and the view follows if it leaves the map.
    Move(LatLng),
    /// Zoom about the map's centre.
    Zoom(f64),
}

/// The map's keys: arrows move the marker 25 m (200 m with Shift), `+`/`=` and `-` zoom.
#[must_use]
pub fn key_action(key: &str, shift: bool, at: LatLng) -> Option<KeyAction> {
    let step = if shift { 200.0 } else { 25.0 };
    let f = LocalFrame::new(at);
    Some(match key {
        "ArrowUp" => KeyAction::Move(f.to_latlng(0.0, step)),
        "ArrowDown" => KeyAction::Move(f.to_latlng(0.0, -step)),
        "ArrowLeft" => KeyAction::Move(f.to_latlng(-step, 0.0)),
        "ArrowRight" => KeyAction::Move(f.to_latlng(step, 0.0)),
        "+" | "=" => KeyAction::Zoom(1.25),
        "-" => KeyAction::Zoom(0.8),
        _ => return None,
    })
}

/// The view after the marker moved to `p` by keyboard: unchanged while `p` stays on the map,
/// centred on it when it leaves.
#[must_use]
pub fn follow(view: &Viewport, p: LatLng) -> Viewport {
    let (x, y) = view.to_px(p);
    if x < 0.0 || y < 0.0 || x > view.width || y > view.height {
        Viewport { centre: p, ..*view }
    } else {
        *view
    }
}

/// The scale bar's label.
#[must_use]
pub fn scale_label(metres: f64) -> String {
    if metres >= 1_000.0 {
        format!("{} km", metres / 1_000.0)
    } else {
        format!("{metres} m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use within500_engine::CITY_CENTRE;

    fn view() -> Viewport {
        Viewport::around(CITY_CENTRE, 800.0, 600.0)
    }

    #[test]
    fn dragging_the_marker_moves_it_and_dropping_it_is_one_question() {
        let v = view();
        let mut g = Gestures::default();
        let (mx, my) = v.to_px(CITY_CENTRE);
        assert!(g.down(1, mx + 5.0, my, &v, CITY_CENTRE, true));
        let Gesture::Marker(p) = g.moved(1, mx + 105.0, my, &v) else { panic!("the marker moves") };
        assert!((CITY_CENTRE.distance_m(p) - 105.0 * v.metres_per_px).abs() < 1.0, "the marker goes where the pointer is");
        assert!(g.up(1), "a drop is a question");
        assert_eq!(g.moved(1, 0.0, 0.0, &v), Gesture::None);
        // A fixed marker (story mode) is not picked up: the drag pans.
        assert!(!g.down(2, mx, my, &v, CITY_CENTRE, false));
        assert!(matches!(g.moved(2, mx + 10.0, my, &v), Gesture::View(_)));
        assert!(!g.up(2), "panning asks nothing");
    }

    #[test]
    fn panning_follows_the_pointer_and_two_pointers_pinch() {
        let v = view();
        let mut g = Gestures::default();
        g.down(1, 100.0, 100.0, &v, CITY_CENTRE, true);
        let Gesture::View(panned) = g.moved(1, 150.0, 100.0, &v) else { panic!("pans") };
        let (x, _) = panned.to_px(v.to_latlng(100.0, 100.0));
        assert!((x - 150.0).abs() < 1e-6, "the point under the pointer stays under it");
        g.down(2, 300.0, 100.0, &panned, CITY_CENTRE, true);
        let Gesture::View(pinched) = g.moved(2, 450.0, 100.0, &panned) else { panic!("pinches") };
        assert!(pinched.metres_per_px < panned.metres_per_px, "spreading the fingers zooms in");
        g.up(2);
        g.up(1);
        assert_eq!(g.moved(1, 0.0, 0.0, &v), Gesture::None);
    }

    #[test]
    fn keys_move_by_25_or_200_metres_and_zoom() {
        let Some(KeyAction::Move(p)) = key_action("ArrowUp", false, CITY_CENTRE) else { panic!() };
        assert!((CITY_CENTRE.distance_m(p) - 25.0).abs() < 0.01 && p.lat > CITY_CENTRE.lat);
        let Some(KeyAction::Move(p)) = key_action("ArrowLeft", true, CITY_CENTRE) else { panic!() };
        assert!((CITY_CENTRE.distance_m(p) - 200.0).abs() < 0.1 && p.lng < CITY_CENTRE.lng);
        assert_eq!(key_action("=", false, CITY_CENTRE), Some(KeyAction::Zoom(1.25)));
        assert_eq!(key_action("-", false, CITY_CENTRE), Some(KeyAction::Zoom(0.8)));
        assert_eq!(key_action("a", false, CITY_CENTRE), None);
        let v = view();
        assert_eq!(follow(&v, CITY_CENTRE), v);
        let far = v.to_latlng(-50.0, 300.0);
        assert_eq!(follow(&v, far).centre, far);
        assert!(wheel_factor(-1.0) > 1.0 && wheel_factor(3.0) < 1.0);
        assert_eq!((scale_label(500.0), scale_label(2_000.0)), ("500 m".to_owned(), "2 km".to_owned()));
    }
}

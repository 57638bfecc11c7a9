//! Positions on the sphere, great-circle distance and a local planar frame.
//!
//! All transcendental functions come from the `libm` crate rather than the platform's maths
//! library, so that the same inputs give the same bits natively and in WebAssembly.

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres (the value H3 uses).
pub const EARTH_RADIUS_M: f64 = 6_371_007.180_918_475;

/// The centre of the synthetic city: Shijiazhuang, Hebei (38.04 N, 114.51 E).
pub const CITY_CENTRE: LatLng = LatLng { lat: 38.04, lng: 114.51 };

/// A position in degrees (WGS 84 latitude and longitude).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLng {
    /// Latitude in degrees, positive north.
    pub lat: f64,
    /// Longitude in degrees, positive east.
    pub lng: f64,
}

impl LatLng {
    /// A position from latitude and longitude in degrees.
    #[must_use]
    pub const fn new(lat: f64, lng: f64) -> Self {
        Self { lat, lng }
    }

    /// Great-circle distance in metres (haversine formula).
    ///
    /// ```
    /// use within500_engine::LatLng;
    /// let a = LatLng::new(38.04, 114.51);
    /// let b = LatLng::new(38.05, 114.51);
    /// assert!((a.distance_m(b) - 1_112.0).abs() < 1.0);
    /// ```
    #[must_use]
    pub fn distance_m(self, other: Self) -> f64 {
        let a = haversine_term(self, other);
        2.0 * EARTH_RADIUS_M * libm::asin(libm::sqrt(a.min(1.0)))
    }
}

/// The haversine term `a = sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)`, monotone in distance.
///
/// Radius tests compare this term against [`RadiusTest::threshold`] instead of computing the
/// distance, which saves an `asin` and a `sqrt` per candidate. Brute force and the index use the
/// same test, so their answers are identical bit for bit.
#[must_use]
pub fn haversine_term(p: LatLng, q: LatLng) -> f64 {
    let (p_lat, q_lat) = (p.lat.to_radians(), q.lat.to_radians());
    let d_lat = q_lat - p_lat;
    let d_lng = (q.lng - p.lng).to_radians();
    let s_lat = libm::sin(d_lat * 0.5);
    let s_lng = libm::sin(d_lng * 0.5);
    s_lat * s_lat + libm::cos(p_lat) * libm::cos(q_lat) * s_lng * s_lng
}

/// The exact "within R metres of a point" predicate shared by every radius search.
#[derive(Debug, Clone, Copy)]
pub struct RadiusTest {
    centre: LatLng,
    lat_rad: f64,
    cos_lat: f64,
    threshold: f64,
}

impl RadiusTest {
    /// A test for points within `radius_m` metres (great-circle) of `centre`.
    #[must_use]
    pub fn new(centre: LatLng, radius_m: f64) -> Self {
        let half_angle = (radius_m / EARTH_RADIUS_M * 0.5).min(std::f64::consts::FRAC_PI_2);
        let s = libm::sin(half_angle);
        Self { centre, lat_rad: centre.lat.to_radians(), cos_lat: libm::cos(centre.lat.to_radians()), threshold: s * s }
    }

    /// The centre of the circle.
    #[must_use]
    pub fn centre(&self) -> LatLng {
        self.centre
    }

    /// The haversine term at the radius: a point is inside when its term is at most this.
    #[must_use]
    pub fn threshold(&self) -> f64 {
        self.threshold
    }

    /// Whether the point at `lat`, `lng` lies within the radius.
    #[inline]
    #[must_use]
    pub fn contains(&self, lat: f64, lng: f64) -> bool {
        let q_lat = lat.to_radians();
        let s_lat = libm::sin((q_lat - self.lat_rad) * 0.5);
        let s_lng = libm::sin((lng - self.centre.lng).to_radians() * 0.5);
        s_lat * s_lat + self.cos_lat * libm::cos(q_lat) * s_lng * s_lng <= self.threshold
    }
}

/// A local east/north frame in metres around an origin, for synthesis and drawing.
///
/// This is an equirectangular projection: exact enough (well under a metre of error at 20 km)
/// for placing synthetic homes and for drawing, never used to decide a radius query.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct LocalFrame {
    origin: LatLng,
    metres_per_deg_lat: f64,
    metres_per_deg_lng: f64,
}

impl LocalFrame {
    /// A frame centred on `origin`.
    #[must_use]
    pub fn new(origin: LatLng) -> Self {
        let per_deg = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        Self { origin, metres_per_deg_lat: per_deg, metres_per_deg_lng: per_deg * libm::cos(origin.lat.to_radians()) }
    }

    /// The frame's origin.
    #[must_use]
    pub fn origin(&self) -> LatLng {
        self.origin
    }

    /// Position of a point `east_m` metres east and `north_m` metres north of the origin.
    #[must_use]
    pub fn to_latlng(&self, east_m: f64, north_m: f64) -> LatLng {
        LatLng { lat: self.origin.lat + north_m / self.metres_per_deg_lat, lng: self.origin.lng + east_m / self.metres_per_deg_lng }
    }

    /// East and north offsets in metres of `p` from the origin.
    #[must_use]
    pub fn to_local(&self, p: LatLng) -> (f64, f64) {
        ((p.lng - self.origin.lng) * self.metres_per_deg_lng, (p.lat - self.origin.lat) * self.metres_per_deg_lat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_matches_h3o() {
        let a = LatLng::new(38.04, 114.51);
        for (dlat, dlng) in [(0.001, 0.0), (0.0, 0.004), (0.02, -0.03), (-0.1, 0.1)] {
            let b = LatLng::new(a.lat + dlat, a.lng + dlng);
            let ours = a.distance_m(b);
            let theirs = h3o::LatLng::new(a.lat, a.lng).unwrap().distance_m(h3o::LatLng::new(b.lat, b.lng).unwrap());
            assert!((ours - theirs).abs() < 1e-6 * ours.max(1.0), "{ours} vs {theirs}");
        }
    }

    #[test]
    fn radius_test_agrees_with_distance() {
        let c = CITY_CENTRE;
        let frame = LocalFrame::new(c);
        let test = RadiusTest::new(c, 500.0);
        for i in 0..2_000 {
            let angle = f64::from(i) * 0.618;
            let r = 400.0 + f64::from(i % 200);
            let p = frame.to_latlng(r * angle.cos(), r * angle.sin());
            let d = c.distance_m(p);
            if (d - 500.0).abs() > 1e-6 {
                assert_eq!(test.contains(p.lat, p.lng), d <= 500.0, "distance {d}");
            }
        }
    }

    #[test]
    fn local_frame_round_trips() {
        let frame = LocalFrame::new(CITY_CENTRE);
        let p = frame.to_latlng(1234.5, -987.25);
        let (e, n) = frame.to_local(p);
        assert!((e - 1234.5).abs() < 1e-6 && (n + 987.25).abs() < 1e-6);
        let d = CITY_CENTRE.distance_m(p);
        assert!((d - (1234.5f64.hypot(987.25))).abs() < 0.5, "{d}");
    }
}

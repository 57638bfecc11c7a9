//! A plain uniform grid, the baseline the H3 index is measured against.
//!
//! Points are bucketed in square bins of the local frame and stored bin by bin; a query tests
//! every point of every bin that meets the circle's bounding box, with the same [`RadiusTest`]
//! as the index and brute force, so all three give identical answers.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::city::City;
use crate::geo::{LatLng, LocalFrame, RadiusTest, CITY_CENTRE};

/// Benchmark query points: the homes of random people moved up to 100 m, so that queries fall
/// where people live, as a phone user's would. The same seed gives the same points.
#[must_use]
pub fn query_points(city: &City, n: usize, seed: u64) -> Vec<LatLng> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x000B_E7C4);
    (0..n)
        .map(|_| {
            let home = city.home(rng.random_range(0..city.people()));
            LocalFrame::new(home).to_latlng(rng.random_range(-100.0..100.0), rng.random_range(-100.0..100.0))
        })
        .collect()
}

/// A uniform grid of square bins over the city.
#[derive(Debug, Clone)]
pub struct UniformGrid {
    frame: LocalFrame,
    bin_m: f64,
    side: usize,
    half_m: f64,
    /// Start of each bin's points in `lat`/`lng`/`ids`; one more entry than bins.
    starts: Vec<u32>,
    lat: Vec<f64>,
    lng: Vec<f64>,
    ids: Vec<u32>,
}

impl UniformGrid {
    /// Buckets points (by id) into bins of `bin_m` metres covering `half_m` around the centre.
    #[must_use]
    pub fn build(lat: &[f64], lng: &[f64], bin_m: f64, half_m: f64) -> Self {
        let frame = LocalFrame::new(CITY_CENTRE);
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let side = (2.0 * half_m / bin_m).ceil() as usize;
        let bin_of = |p: LatLng| {
            let (e, n) = frame.to_local(p);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
            let (x, y) = (
                ((e + half_m) / bin_m).floor().clamp(0.0, (side - 1) as f64) as usize,
                ((n + half_m) / bin_m).floor().clamp(0.0, (side - 1) as f64) as usize,
            );
            y * side + x
        };
        let bins: Vec<usize> = lat.iter().zip(lng).map(|(&a, &b)| bin_of(LatLng::new(a, b))).collect();
        let mut starts = vec![0u32; side * side + 1];
        for &b in &bins {
            starts[b + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut fill = starts.clone();
        let n = lat.len();
        let (mut glat, mut glng, mut ids) = (vec![0.0; n], vec![0.0; n], vec![0u32; n]);
        for (i, &b) in bins.iter().enumerate() {
            let at = fill[b] as usize;
            fill[b] += 1;
            glat[at] = lat[i];
            glng[at] = lng[i];
            #[allow(clippy::cast_possible_truncation)]
            {
                ids[at] = i as u32;
            }
        }
        Self { frame, bin_m, side, half_m, starts, lat: glat, lng: glng, ids }
    }

    /// Calls `visit` with the id of every point within the test's radius.
    pub fn query(&self, test: &RadiusTest, radius_m: f64, mut visit: impl FnMut(u32)) {
        let (e, n) = self.frame.to_local(test.centre());
        // The local frame stretches distances by well under 1 % in the city; pad the box.
        let pad = radius_m * 1.01 + 5.0;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
        let clamp = |v: f64| ((v + self.half_m) / self.bin_m).floor().clamp(0.0, (self.side - 1) as f64) as usize;
        let (x0, x1, y0, y1) = (clamp(e - pad), clamp(e + pad), clamp(n - pad), clamp(n + pad));
        for y in y0..=y1 {
            let row = y * self.side;
            let (s, t) = (self.starts[row + x0] as usize, self.starts[row + x1 + 1] as usize);
            for j in s..t {
                if test.contains(self.lat[j], self.lng[j]) {
                    visit(self.ids[j]);
                }
            }
        }
    }
}

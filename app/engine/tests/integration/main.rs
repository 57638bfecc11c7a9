//! Integration tests of the engine, one module per operation.

// Exact equality of figures is what several tests assert (a design equal to its baseline).
#![allow(clippy::float_cmp)]

mod attacks;
mod city;
mod designs;
mod fuzz_corpus;
mod honesty;
mod proximity;
mod radius;
mod state;
mod workshop;

use std::sync::OnceLock;

use within500_engine::{City, CityConfig};

/// A 30 000-person city with 3 % listed, shared by the tests that only read it.
pub fn shared_city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| City::generate(CityConfig { seed: 2019, people: 30_000, listed_rate: 0.03 }).expect("valid config"))
}

//! The URL state codec on arbitrary query strings.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| within500_engine::fuzzing::url_state(data));

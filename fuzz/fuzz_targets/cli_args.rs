//! The command line's argument parsing on arbitrary arguments (split at NUL bytes).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| within500_cli::fuzzing::cli_args(data));

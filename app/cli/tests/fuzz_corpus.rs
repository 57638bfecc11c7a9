//! Replays the command-line fuzz corpus (`fuzz/corpus/cli_args`) on stable.

use std::path::PathBuf;

#[test]
fn the_cli_args_corpus_keeps_its_promises() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/cli_args");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        within500_cli::fuzzing::cli_args(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 15, "only {n} inputs in {}", dir.display());
}

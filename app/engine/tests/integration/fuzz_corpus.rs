//! Replays the URL-state fuzz corpus (`fuzz/corpus/url_state`) on stable, so every input the
//! fuzzer kept is checked by every test run.

use std::path::PathBuf;

#[test]
fn the_url_state_corpus_keeps_its_promises() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus/url_state");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        within500_engine::fuzzing::url_state(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 20, "only {n} inputs in {}", dir.display());
}

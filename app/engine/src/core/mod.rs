//! The core: positions and distances, identities, the street plan, the city, H3 cells and the
//! radius index, the benchmark's baseline and the exports. It depends on neither the designs nor
//! the attacks (a test checks), so it can be read first and alone.

pub mod baseline;
pub mod cells;
pub mod city;
pub mod export;
pub mod geo;
pub mod identity;
pub mod index;
pub mod plan;

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir` with its text.
    fn sources(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(sources(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        out
    }

    /// The layers depend one way: core ← designs ← attacks. A core module names neither the
    /// designs nor the attacks; a design does not name the attacks.
    #[test]
    fn layers_depend_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // Spelt in pieces so that this file does not name them itself.
        let (designs, attacks) = (format!("crate::{}", "designs"), format!("crate::{}", "attacks"));
        let core = sources(&src.join("core"));
        assert!(core.len() >= 8, "the core's files are found");
        for (path, text) in &core {
            for layer in [&designs, &attacks] {
                assert!(!text.contains(layer.as_str()), "{path} names {layer}: the core must not depend on it");
            }
        }
        for (path, text) in &sources(&src.join("designs")) {
            assert!(!text.contains(attacks.as_str()), "{path} names {attacks}: a design must not depend on the lab");
        }
    }
}

//! The core: positions and distances, identities, the street plan, the city, H3 cells and the
//! radius index, the benchmark's baseline and the exports. It depends on no layer above it (the
//! designs, the attacks, the app; a test checks), so it can be read first and alone.

pub mod baseline;
pub mod cells;
pub mod city;
pub mod export;
pub mod geo;
pub mod identity;
pub mod index;
pub mod layout;
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

    /// The layers depend one way: core ← designs ← attacks ← app. A core module names none of
    /// the layers above it; a design names neither the attacks nor the app; an attack does not
    /// name the app (the URL state, the story, the exercises, their numbers, the duel).
    #[test]
    fn layers_depend_one_way() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        // Spelt in pieces so that this file does not name them itself.
        let path = |m: &str| format!("crate::{m}");
        let app: Vec<String> = ["app", "state", "story", "exercises", "numbers", "duel"].map(path).into();
        let (designs, attacks) = (path("designs"), path("attacks"));
        let above_core: Vec<&String> = app.iter().chain([&designs, &attacks]).collect();
        let above_designs: Vec<&String> = app.iter().chain([&attacks]).collect();
        let layers = [("core", above_core), ("designs", above_designs), ("attacks", app.iter().collect())];
        for (layer, above) in layers {
            let files = sources(&src.join(layer));
            assert!(files.len() >= 5, "the files of {layer} are found");
            for (file, text) in &files {
                for name in &above {
                    assert!(!text.contains(name.as_str()), "{file} names {name}: {layer} must not depend on a layer above it");
                }
            }
        }
    }
}

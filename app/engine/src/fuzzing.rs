//! Entry points for the fuzz targets in `fuzz/`, also used by the tests to replay their corpus.
//!
//! Each takes arbitrary bytes and checks a promise the engine makes for every input; a broken
//! promise panics, which is what the fuzzer looks for.

use crate::state::{in_city_bounds, AppState};
use crate::story::story_scene;

/// The URL state codec on any query string: parsing never panics; every error names a parameter
/// and says what is wrong; the state it keeps lies in the city and survives its own link; changing
/// one parameter as a form field would either is refused with a message or gives a state that also
/// survives its link; a story step's scene survives its link too.
///
/// # Panics
/// When one of those promises is broken.
pub fn url_state(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (state, errors) = AppState::from_query_lenient(&text);
    let keys: Vec<String> =
        form_urlencoded::parse(text.strip_prefix('?').unwrap_or(&text).as_bytes()).map(|(k, _)| k.into_owned()).collect();
    for e in &errors {
        assert!(!e.problem.trim().is_empty(), "an error without a message for {text:?}");
        assert!(keys.contains(&e.field), "{e:?} names a parameter that {text:?} does not give");
    }
    assert!(in_city_bounds(state.at), "{text:?} left the city: {:?}", state.at);
    let link = state.to_query();
    assert_eq!(AppState::from_query(&link).as_ref(), Ok(&state), "{text:?} → {link:?} does not round-trip");
    if errors.is_empty() {
        assert!(AppState::from_query(&text).is_ok());
    }
    let (key, value) = text.split_once('=').unwrap_or((&text, ""));
    match state.with(key, value) {
        Ok(next) => assert_eq!(AppState::from_query(&next.to_query()).as_ref(), Ok(&next), "with({key:?}, {value:?})"),
        Err(e) => assert!(!e.problem.is_empty() && e.field == key, "with({key:?}, {value:?}) → {e:?}"),
    }
    let scene = story_scene(state.step, &state).state;
    assert_eq!(AppState::from_query(&scene.to_query()).as_ref(), Ok(&scene), "story step {}", state.step);
}

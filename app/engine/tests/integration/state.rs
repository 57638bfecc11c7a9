//! The URL state codec on arbitrary and malformed input.

use proptest::prelude::*;
use within500_engine::{
    AppState, CellHash, CityConfig, DesignKind, Epsilon, ExerciseNo, Fidelity, Lang, LocalFrame, Mode, StoryStep, CITY_CENTRE, EXERCISES,
    STORY_STEPS,
};

fn arb_state() -> impl Strategy<Value = AppState> {
    (
        any::<u64>(),
        1_000u32..=11_000_000,
        0u32..=200,
        (-14_000.0..14_000.0f64, -14_000.0..14_000.0f64),
        50u32..=5_000,
        0usize..3,
        1usize..5,
        (2u32..=50, 10_000u64..=10_000_000, 10_000u64..=100_000_000),
        (1u32..=10_000, any::<bool>(), proptest::option::of(any::<u32>())),
        (0usize..2, 0usize..4, 1u8..=STORY_STEPS, 1u8..=EXERCISES, any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(
                seed,
                people,
                listed_tenths,
                (e, n),
                r,
                f,
                d,
                (k, eps, budget),
                (blur, plain, debtor),
                (lang, mode, step, exercise, embed, presenter),
            )| AppState {
                city: CityConfig { seed, people, listed_rate: f64::from(listed_tenths) / 1_000.0 },
                at: LocalFrame::new(CITY_CENTRE).to_latlng(e, n),
                radius_m: f64::from(r),
                fidelity: Fidelity::ALL[f],
                design: DesignKind::ALL[d],
                k,
                epsilon: Epsilon::from_micros(eps),
                budget: Epsilon::from_micros(budget),
                blur_epsilon: f64::from(blur) / 10_000.0,
                hash: if plain { CellHash::Plain } else { CellHash::Keyed },
                debtor,
                lang: Lang::ALL[lang],
                mode: Mode::ALL[mode],
                step: StoryStep::new(step).expect("1 to 10"),
                exercise: ExerciseNo::new(exercise).expect("1 to 5"),
                embed,
                presenter,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn prop_state_round_trips(state in arb_state()) {
        let q = state.to_query();
        let back = AppState::from_query(&q).map_err(|e| TestCaseError::fail(format!("{q}: {e:?}")))?;
        prop_assert_eq!(back, state);
    }

    #[test]
    fn prop_any_bytes_give_a_state_or_named_errors(s in "\\PC*") {
        let (_, errors) = AppState::from_query_lenient(&s);
        // Every error names a parameter the query gave, and says something about it.
        let keys: Vec<String> = form_urlencoded::parse(s.strip_prefix('?').unwrap_or(&s).as_bytes()).map(|(k, _)| k.into_owned()).collect();
        for e in errors {
            prop_assert!(keys.contains(&e.field), "{:?} names {:?}, which {:?} does not give", e, e.field, s);
            prop_assert!(!e.problem.trim().is_empty());
        }
    }

    #[test]
    fn prop_bad_values_of_known_keys_name_that_key(key in prop::sample::select(within500_engine::known_keys()), junk in "[a-z]{0,4}[#!~][a-z#!~]{0,4}") {
        // The value holds a character that no parameter accepts (words such as `en`, `dp` or
        // `story` are valid values, so plain letters could be), so every key must refuse it.
        let q = format!("{key}={junk}");
        let (state, errors) = AppState::from_query_lenient(&q);
        prop_assert_eq!(errors.len(), 1, "{}: {:?}", q, errors);
        prop_assert_eq!(&errors[0].field, key);
        let mut defaults = AppState::default();
        if key == "debtor" { defaults.debtor = state.debtor; }
        prop_assert_eq!(state, defaults);
    }
}

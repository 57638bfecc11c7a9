//! The story's scenes and the exercises' checks: each check both passes and fails on real play.

use std::sync::OnceLock;

use within500_engine::exercises::{self, EPSILON_MAX_COUNT_ERROR, EPSILON_MAX_RECOVERED, FIND_HOME_QUERIES, FIND_HOME_WITHIN_M};
use within500_engine::{story_scene, AppState, City, Epsilon, LocalFrame, Mode, StoryStep, StreetPlan, PROXIMITY_RESOLUTION};

/// The app's default city, where the exercises are played.
fn app_city() -> &'static City {
    static CITY: OnceLock<City> = OnceLock::new();
    CITY.get_or_init(|| City::generate(AppState::default().city).expect("valid config"))
}

#[test]
fn every_story_step_is_a_distinct_state_that_survives_its_link() {
    let base = AppState::from_query("seed=11&lang=zh&presenter=1").unwrap();
    let mut seen = Vec::new();
    for step in StoryStep::all() {
        let scene = story_scene(step, &base);
        let s = &scene.state;
        assert_eq!((s.mode, s.step, s.city.seed, s.lang, s.presenter), (Mode::Story, step, 11, base.lang, true));
        assert_eq!(AppState::from_query(&s.to_query()).as_ref(), Ok(s), "step {step} round-trips");
        assert_eq!(story_scene(step, &base), scene, "step {step} is deterministic");
        // Leaving the story's fields aside, no two steps show the same thing.
        let key =
            (AppState { step: StoryStep::FIRST, ..s.clone() }, scene.lab, scene.open_first, scene.truth, scene.metres_per_px.to_bits());
        assert!(!seen.contains(&key), "step {step} repeats an earlier one");
        seen.push(key);
    }
}

#[test]
fn find_home_is_solved_on_the_home_and_failed_off_it_or_over_the_limit() {
    let city = app_city();
    let task = exercises::find_home(city).unwrap();
    assert!(city.is_listed(task.person));
    let home = city.home(task.person);
    let start = task.start.distance_m(home);
    assert!((200.0..=500.0).contains(&start), "the start is {start:.0} m away, within the list's reach");
    assert!(exercises::check_find_home(city, &task, home, FIND_HOME_QUERIES).solved);
    assert!(!exercises::check_find_home(city, &task, home, FIND_HOME_QUERIES + 1).solved);
    let off = LocalFrame::new(home).to_latlng(FIND_HOME_WITHIN_M + 5.0, 0.0);
    let check = exercises::check_find_home(city, &task, off, 2);
    assert!(!check.solved);
    assert!((check.distance_m - FIND_HOME_WITHIN_M - 5.0).abs() < 0.5);
}

#[test]
fn epsilon_has_a_window_that_passes_and_fails_on_both_sides() {
    let city = app_city();
    let check = |micros| exercises::check_epsilon(city, Epsilon::from_micros(micros));
    let (low, mid, high) = (check(300_000), check(1_000_000), check(4_000_000));
    eprintln!("ε=0.3 {low:?}\nε=1 {mid:?}\nε=4 {high:?}");
    assert!(mid.solved, "ε = 1 should pass");
    assert!(!low.solved && low.count_error >= EPSILON_MAX_COUNT_ERROR, "ε = 0.3 ruins the count");
    assert!(!high.solved && high.homes_recovered_50m > EPSILON_MAX_RECOVERED, "ε = 4 lets the attacker rebuild homes");
    // The noiseless release is the ceiling the noisy ones approach.
    assert!(high.homes_recovered_50m <= high.noiseless_recovered_50m + 0.02);
}

#[test]
fn hashed_cells_reverse_by_trying_every_cell_and_the_districts_check() {
    let city = app_city();
    let task = exercises::hashed_cells(city);
    assert_eq!(task.cells.len(), exercises::HASHED_CELLS);
    let mut districts: Vec<u8> = Vec::new();
    let tokens: Vec<_> = task.cells.iter().map(|c| c.1).collect();
    let reversed = exercises::reverse_plain_tokens(&tokens);
    for ((person, _, district), centre) in task.cells.iter().zip(reversed) {
        let centre = centre.expect("a plain hash of a city cell is reversed");
        assert!(centre.distance_m(city.home(*person)) < 250.0, "the reversed cell holds the home");
        assert_eq!(exercises::district_of(city, city.home(*person)), *district);
        districts.push(*district);
        // The same cell as the protocol sends it, blinded by a secret scalar, does not reverse.
        let cell = within500_engine::cell_of(city.home(*person), PROXIMITY_RESOLUTION).unwrap();
        let mut rng = <rand_chacha::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(99);
        let blinded = (within500_engine::cell_point(cell) * within500_engine::draw_scalar(&mut rng)).compress().to_bytes();
        assert_eq!(exercises::reverse_plain_tokens(&[blinded]), vec![None]);
    }
    assert!(districts.iter().all(|&d| usize::from(d) < StreetPlan::districts().len()));
    assert_eq!(exercises::check_districts(&task, &districts), vec![true; districts.len()]);
    let mut wrong = districts.clone();
    wrong[1] = (wrong[1] + 1) % 8;
    assert_eq!(exercises::check_districts(&task, &wrong), vec![true, false, true]);
    assert_eq!(exercises::check_districts(&task, &districts[..1]), vec![true, false, false]);
}

#[test]
fn household_members_are_counted_from_the_list_and_the_households() {
    let city = app_city();
    let task = exercises::household(city).unwrap();
    let listed = city.listed_within(task.at, exercises::RADIUS_M);
    assert!(!listed.is_empty());
    let mut expected = 0;
    let mut households: Vec<u32> = listed.iter().map(|&p| city.household_of(p)).collect();
    households.sort_unstable();
    households.dedup();
    for h in households {
        expected += city.members(h).filter(|m| !listed.contains(m)).count();
    }
    assert_eq!(task.exposed as usize, expected);
    assert!(task.exposed > 0, "the exercise should have something to find");
}

#[test]
fn hidden_by_k_has_a_solution_and_the_centre_is_not_one() {
    let city = app_city();
    let aggregate = exercises::hidden_aggregate(city);
    let at = exercises::hidden_solution(city, &aggregate).expect("a position exists");
    let check = exercises::check_hidden(city, &aggregate, at);
    assert!(check.solved && check.listed >= exercises::HIDDEN_MIN_LISTED && check.released == 0);
    let centre = exercises::check_hidden(city, &aggregate, within500_engine::CITY_CENTRE);
    assert!(!centre.solved, "{centre:?}");
}

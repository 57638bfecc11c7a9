//! The `within500` binary, run as a user would.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_within500")).args(args).output().expect("the binary runs")
}

/// Runs a command (with `--json` where it prints key: value lines otherwise) and parses its output.
fn json(args: &[&str]) -> serde_json::Value {
    let mut args = args.to_vec();
    if ["query", "attack", "stress", "bench"].contains(&args[0]) && !args.contains(&"--json") {
        args.push("--json");
    }
    let out = run(&args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// Bad input exits 2 with exactly one line on stderr that names the problem.
fn refused(args: &[&str], mentions: &str) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(err.contains(mentions), "{args:?}: {err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn generate_csv_is_marked_synthetic_and_has_the_columns() {
    let out = run(&["generate", "--seed", "3", "--people", "1000", "--format", "csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = text.lines();
    let mark = lines.next().expect("mark");
    assert!(mark.starts_with("# SYNTHETIC DATA") && mark.contains("seed=3") && mark.contains("people=1000"));
    assert!(lines.next().expect("header").starts_with("id,household,lat,lng,listed"));
    assert_eq!(lines.count(), 1000);
}

#[test]
fn generate_geojson_parses_with_one_feature_per_person() {
    let v = json(&["generate", "--seed", "3", "--people", "1000", "--format", "geojson"]);
    assert_eq!(v["type"], "FeatureCollection");
    assert_eq!(v["properties"]["synthetic"], true);
    assert_eq!(v["features"].as_array().expect("features").len(), 1000);
    let c = &v["features"][0]["geometry"]["coordinates"];
    assert!((c[0].as_f64().expect("lng") - 114.51).abs() < 0.3);
}

#[test]
fn query_exposed_at_each_fidelity() {
    let base = ["query", "--seed", "5", "--people", "20000", "--lat", "38.04", "--lng", "114.51", "--radius", "2000", "--json"];
    let reported = json(&[&base[..], &["--design", "exposed"]].concat());
    let people = reported["answer"]["people"].as_array().expect("people");
    assert!(!people.is_empty(), "a 2 km circle at the centre holds listed people");
    assert_eq!(reported["answer"]["count"].as_u64(), Some(people.len() as u64));
    assert!(people.iter().all(|p| p.get("lat").is_none() && p.get("distance_m").is_none() && p["name_zh"].is_string()));
    let pins = json(&[&base[..], &["--fidelity", "pins"]].concat());
    assert!(pins["answer"]["people"].as_array().expect("people").iter().all(|p| p["lat"].is_f64() && p["lng"].is_f64()));
    assert_eq!(pins["synthetic"], true);
}

#[test]
fn query_privacy_preserving_designs() {
    let base = ["query", "--seed", "5", "--people", "20000", "--lat", "38.04", "--lng", "114.51"];
    let dp = json(&[&base[..], &["--design", "dp-session", "--epsilon", "0.5", "--epsilon-budget", "2"]].concat());
    assert!(dp["answer"]["noisy_count"].is_i64());
    assert_eq!(dp["answer"]["epsilon_spent"], 0.5);
    // The release: the same answer from another process.
    let release = |e: &str| json(&[&base[..], &["--design", "dp", "--epsilon-total", e]].concat())["answer"].clone();
    assert!(release("1")["estimate"].is_f64());
    assert_eq!(release("1"), release("1"));
    // dp-session draws fresh noise in every process: some of ten differ.
    let counts: std::collections::BTreeSet<i64> = (0..10)
        .map(|_| {
            json(&[&base[..], &["--design", "dp-session", "--epsilon", "0.5", "--epsilon-budget", "2"]].concat())["answer"]["noisy_count"]
                .as_i64()
                .expect("count")
        })
        .collect();
    assert!(counts.len() > 1, "ten processes, one noisy count: {counts:?}");
    let agg = json(&[&base[..], &["--design", "aggregate", "--k", "3"]].concat());
    assert!(!agg["answer"]["cells"].as_array().expect("cells").is_empty());
    let blur = json(&[&base[..], &["--design", "blur", "--blur-epsilon", "0.01"]].concat());
    assert!(blur["answer"]["count"].is_u64());
    for v in [&dp, &agg, &blur] {
        assert!(!v["answer"].to_string().contains("name"));
    }
}

/// A listed person of the seed-5 city of 2 000 people: (id, lat, lng, case number).
fn listed_person(n: usize) -> (String, String, String, String) {
    let csv = String::from_utf8(run(&["generate", "--seed", "5", "--people", "2000"]).stdout).expect("utf-8");
    let line = csv.lines().skip(2).filter(|l| l.split(',').nth(4) == Some("1")).nth(n).expect("someone listed");
    // The address is quoted and holds commas: the case number is the second field from the end.
    let fields: Vec<&str> = line.split(',').collect();
    let field = |i: usize| fields[i].to_owned();
    (field(0), field(2), field(3), fields[fields.len() - 2].to_owned())
}

fn ledger(name: &str) -> String {
    let path = std::env::temp_dir().join(format!("within500-test-ledger-{name}-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path.display().to_string()
}

#[test]
fn query_psi_is_bound_to_the_creditors_case() {
    let (id, lat, lng, case) = listed_person(0);
    let led = ledger("case");
    let base = [
        "query",
        "--seed",
        "5",
        "--people",
        "2000",
        "--lat",
        &lat,
        "--lng",
        &lng,
        "--design",
        "psi",
        "--ledger",
        &led,
        "--day",
        "3",
        "--transcript",
    ];
    refused(&["query", "--seed", "5", "--people", "2000", "--lat", "38.04", "--lng", "114.51", "--design", "psi"], "--case");
    refused(&[&base[..], &["--debtor", &id]].concat(), "--case");
    refused(&[&base[..], &["--case", &case, "--creditor-key", "xyz"]].concat(), "64 hex digits");
    refused(&["query", "--lat", "38.04", "--lng", "114.51", "--case", &case], "--design psi");
    // The rightful creditor at the debtor's home: near, with both messages printed.
    let v = json(&[&base[..], &["--case", &case]].concat());
    assert_eq!(v["answer"]["near"], true, "{v}");
    let t = &v["answer"]["transcript"];
    assert_eq!(t[0]["from"], "creditor");
    assert_eq!(t[0]["tokens"].as_array().expect("tokens").len(), 7);
    assert_eq!(t[1]["returned"].as_array().expect("returned").len(), 7);
    assert!(v["answer"]["psi_test_us"].as_f64().expect("timed") > 0.0);
    // A wrong credential, an unknown case and a person with no case: the same reply bytes.
    let (other_id, _, _, _) = listed_person(1);
    let unlisted = {
        let csv = String::from_utf8(run(&["generate", "--seed", "5", "--people", "2000"]).stdout).expect("utf-8");
        csv.lines().skip(2).find(|l| l.split(',').nth(4) == Some("0")).and_then(|l| l.split(',').next()).expect("unlisted").to_owned()
    };
    let reply = |extra: &[&str]| {
        let v = json(&[&base[..], extra].concat());
        assert!(v["answer"]["refused"].is_string(), "{v}");
        v["answer"]["transcript"][1]["hex"].as_str().expect("hex").to_owned()
    };
    let wrong_key = reply(&["--case", &case, "--creditor-key", &"ab".repeat(32)]);
    let unknown = reply(&["--case", "(2019)冀0007执1号"]);
    let no_case = reply(&["--case", &unlisted]);
    let other = reply(&["--case", &other_id]);
    assert_eq!(wrong_key, unknown);
    assert_eq!(wrong_key, no_case);
    assert_eq!(wrong_key, other);
    let _ = std::fs::remove_file(&led);
}

/// The court's ledger is a file: the limit holds across processes, per case and day.
#[test]
fn the_daily_limit_holds_across_processes() {
    let (_, lat, lng, case) = listed_person(2);
    let (_, _, _, other_case) = listed_person(3);
    let led = ledger("limit");
    let test = |case: &str, day: &str| {
        let v = json(&[
            "query", "--seed", "5", "--people", "2000", "--lat", &lat, "--lng", &lng, "--design", "psi", "--case", case, "--ledger", &led,
            "--day", day,
        ]);
        v["answer"].clone()
    };
    let per_day = test(&case, "10")["tests_per_day"].as_u64().expect("limit");
    for _ in 1..per_day {
        assert!(test(&case, "10")["near"].is_boolean());
    }
    let over = test(&case, "10");
    assert!(over["refused"].as_str().expect("refused").contains("tests today"), "{over}");
    assert!(test(&other_case, "10")["near"].is_boolean(), "another case has its own limit");
    assert!(test(&case, "11")["near"].is_boolean(), "the next day the case is answered again");
    // `ask` keeps the same ledger: one session, and its clock moves the day.
    let mut child = Command::new(env!("CARGO_BIN_EXE_within500"))
        .args(["ask", "--seed", "5", "--people", "2000", "--design", "psi", "--case", &case, "--ledger", &led, "--day", "11"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("ask runs");
    let line = format!("{{\"lat\":{lat},\"lng\":{lng},\"radius\":500}}\n");
    let input = format!("{line}{line}{line}{{\"wait_s\":86400}}\n{line}");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), input.as_bytes()).expect("writes");
    drop(child.stdin.take());
    let out = child.wait_with_output().expect("ends");
    let replies: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert!(replies[0]["answer"]["near"].is_boolean() && replies[1]["answer"]["near"].is_boolean(), "day 11 had one test");
    assert!(replies[2]["answer"]["refused"].is_string(), "{}", replies[2]);
    assert!(replies[4]["answer"]["near"].is_boolean(), "a day later: {}", replies[4]);
    let _ = std::fs::remove_file(&led);
}

#[test]
fn bad_arguments_get_one_clear_line() {
    refused(&["generate", "--people", "12"], "1000 to 11000000");
    refused(&["generate", "--people", "many"], "not a whole number");
    refused(&["generate", "--listed-rate", "0.5"], "0 to 0.2");
    refused(&["generate", "--format", "xml"], "xml");
    refused(&["query", "--lat", "40", "--lng", "116.4"], "outside the synthetic city");
    refused(&["query", "--lat", "38.04"], "--lng");
    refused(&["query", "--lat", "38.04", "--lng", "114.51", "--radius", "9"], "50 to 5000");
    refused(
        &["query", "--lat", "38.04", "--lng", "114.51", "--design", "dp-session", "--epsilon", "5", "--epsilon-budget", "1"],
        "exceeds",
    );
    refused(&["query", "--lat", "38.04", "--lng", "114.51", "--epsilon", "-1"], "--epsilon");
    refused(&["frobnicate"], "frobnicate");
    refused(&["bench", "--queries", "0"], "--queries");
}

#[test]
fn help_documents_every_command() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for cmd in ["generate", "query", "bench"] {
        assert!(text.contains(cmd));
    }
    let q = String::from_utf8_lossy(&run(&["query", "--help"]).stdout).into_owned();
    for flag in ["--k", "--epsilon-budget", "--blur-epsilon", "--psi-hash", "--case", "--creditor-key", "--transcript", "--fidelity"] {
        assert!(q.contains(flag), "{flag}");
    }
}

#[test]
fn bench_reports_the_figures() {
    let v = json(&["bench", "--people", "5000", "--queries", "20", "--json"]);
    for key in [
        "people",
        "queries",
        "h3_median_us",
        "brute_median_us",
        "grid_median_us",
        "candidates_per_result",
        "build_ms",
        "index_bytes_per_person",
    ] {
        assert!(v[key].is_number(), "{key} missing in {v}");
    }
    assert_eq!(v["answers_equal"], true);
}

#[test]
fn attack_prints_the_metrics_and_the_lab_holds_for_another_seed() {
    let base = ["attack", "--seed", "424242", "--people", "20000", "--json"];
    let oracle = json(&[&base[..], &["--design", "exposed", "--attacker", "oracle", "--budget", "40"]].concat());
    for key in [
        "located_50m",
        "located_200m",
        "median_error_m",
        "reidentified_share",
        "households_exposed",
        "queries_used",
        "epsilon_spent",
        "count_error",
        "reversed_share",
    ] {
        assert!(oracle.get(key).is_some(), "{key} missing");
    }
    assert!(oracle["located_50m"].as_f64().expect("share") >= 0.9);
    assert!(oracle["max_queries_per_target"].as_u64().expect("count") <= 40);
    let agg = json(&[&base[..], &["--design", "aggregate", "--k", "5", "--attacker", "oracle"]].concat());
    let share = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or_else(|| panic!("{k} in {v}"));
    assert!(share(&agg, "located_50m") <= share(&agg, "baseline_located_50m") + 0.05, "{agg}");
    // Free sessions: reconstruction against dp-session rebuilds far more of the same people's
    // neighbourhoods than against the release.
    let session = json(
        &[
            &base[..],
            &["--design", "dp-session", "--epsilon", "1", "--epsilon-budget", "10", "--attacker", "reconstruct", "--targets", "20"],
        ]
        .concat(),
    );
    let release = json(&[&base[..], &["--design", "dp", "--epsilon-total", "1", "--attacker", "reconstruct", "--targets", "20"]].concat());
    assert!(share(&session, "homes_recovered_50m") > share(&release, "homes_recovered_50m") + 0.3, "{session} vs {release}");
    assert!(share(&session, "sessions_used") > 20.0, "new sessions were opened: {session}");
    let dp = json(&[&base[..], &["--design", "dp", "--epsilon-total", "1", "--attacker", "reconstruct", "--targets", "40"]].concat());
    // The release, relative to the same run's no-question line, and its noiseless self reported.
    assert!(dp["located_50m"].as_f64().unwrap() <= dp["baseline_located_50m"].as_f64().unwrap() + 0.05, "{dp}");
    assert!(dp["noiseless_homes_recovered_50m"].as_f64().unwrap() >= dp["homes_recovered_50m"].as_f64().unwrap() - 0.05);
    assert_eq!(dp["epsilon_per_person"], 1.0);
    for key in [
        "baseline_median_error_m",
        "ideal_located_50m",
        "ideal_median_error_m",
        "homes_recovered_1m",
        "homes_recovered_10m",
        "sessions_used",
    ] {
        assert!(!dp[key].is_null(), "{key} in {dp}");
    }
    refused(&[&base[..], &["--design", "dp", "--attacker", "replay"]].concat(), "dp-session");
    // The proximity test's attackers, each beside its plain-hash counterpart and its
    // no-question line of the same run.
    let psi = |hash: &str, attacker: &str| {
        json(&[&base[..], &["--design", "psi", "--psi-hash", hash, "--attacker", attacker, "--targets", "30"]].concat())
    };
    let plain = psi("plain", "dictionary");
    assert_eq!(plain["reversed_share"], 1.0);
    let keyed = psi("keyed", "dictionary");
    assert_eq!(keyed["reversed_share"], 0.0);
    assert_eq!(keyed["median_error_m"], keyed["baseline_median_error_m"], "nothing reversed: the no-question guess");
    assert!(keyed["psi_test_us"].is_number(), "one test is timed: {keyed}");
    let court = psi("keyed", "court");
    assert_eq!(court["court_learns_cell_share"], court["baseline_court_learns_cell_share"], "{court}");
    assert_eq!(psi("plain", "court")["court_learns_cell_share"], 1.0);
    let spoof = psi("keyed", "spoof");
    assert!(share(&spoof, "cell_pinned_share") > share(&spoof, "baseline_cell_pinned_share"), "{spoof}");
    assert!(spoof["days_to_pin_median"].as_f64().expect("days") >= 1.0);
    assert_eq!(spoof["tests_per_day"], 3);
    refused(&[&base[..], &["--design", "exposed", "--attacker", "dictionary"]].concat(), "--design psi");
    refused(&[&base[..], &["--design", "psi", "--attacker", "oracle"]].concat(), "spoof");
    refused(&[&base[..], &["--attacker", "sniper"]].concat(), "sniper");
}

#[test]
fn stress_asks_every_design_and_runs_every_attacker_without_a_panic() {
    let v = json(&["stress", "--people", "10000", "--queries", "3000", "--seed", "5"]);
    assert_eq!(v["panics"], 0);
    assert_eq!(v["queries"], 3000);
    let by = &v["queries_by_design"];
    let total: u64 = ["exposed", "aggregate", "dp", "dp-session", "blur", "psi"].iter().map(|d| by[d].as_u64().unwrap()).sum();
    assert_eq!(total, 3000);
    assert!(["exposed", "aggregate", "dp", "dp-session", "blur", "psi"].iter().all(|d| by[d].as_u64().unwrap() > 300));
    assert!(v["attacker_runs"].as_u64().unwrap() >= 6 * 7);
    refused(&["stress", "--queries", "0"], "--queries");
}

/// Runs `ask` with lines on stdin and returns one JSON value per output line.
fn ask(args: &[&str], input: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_within500"))
        .arg("ask")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("written");
    let out = child.wait_with_output().expect("finishes");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect()
}

#[test]
fn ask_answers_every_kind_of_line_and_names_what_is_wrong() {
    let city = ["--seed", "7", "--people", "20000"];
    let q = r#"{"lat":38.04,"lng":114.51,"radius":500}"#;
    // The release: the same answer before and after a new session, as `query` gives it.
    let input = format!("{q}\n{{\"new_session\":true}}\n{q}\n");
    let out = ask(&[&city[..], &["--design", "dp"]].concat(), &input);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["answer"], out[2]["answer"]);
    assert!(out[1]["note"].as_str().unwrap().contains("no sessions"));
    let query = json(&[&["query"][..], &city[..], &["--design", "dp", "--lat", "38.04", "--lng", "114.51"]].concat());
    assert_eq!(out[0]["answer"], query["answer"]);
    // dp-session: the budget refuses, a new session goes on with a fresh budget.
    let input = format!("{q}\n{q}\n{{\"new_session\":true}}\n{q}\n");
    let out = ask(&[&city[..], &["--design", "dp-session", "--epsilon", "1", "--epsilon-budget", "1"]].concat(), &input);
    assert!(out[0]["answer"]["noisy_count"].is_i64());
    assert!(out[1]["answer"]["cached"].as_bool().unwrap(), "the same question again is cached");
    assert_eq!(out[2]["new_session"], true);
    assert_eq!(out[3]["answer"]["epsilon_spent"], 1.0);
    // Bad lines: each named, and the session goes on.
    let bad = [
        ("not json", "JSON"),
        ("[1,2]", "JSON object"),
        (r#"{"lat":38.04,"lng":114.51}"#, "\"radius\" is missing"),
        (r#"{"lat":"north","lng":114.51,"radius":500}"#, "\"lat\" must be a number"),
        (r#"{"lat":38.04,"lng":114.51,"radius":10}"#, "\"radius\""),
        (r#"{"lat":10,"lng":114.51,"radius":500}"#, "outside the synthetic city"),
        (r#"{"lat":38.04,"lng":114.51,"radius":500,"who":1}"#, "\"who\""),
        (r#"{"new_session":false}"#, "\"new_session\""),
        (r#"{"wait_s":-3}"#, "\"wait_s\""),
    ];
    let input: String = bad.iter().map(|(l, _)| format!("{l}\n")).chain([format!("{q}\n")]).collect();
    let out = ask(&[&city[..], &["--design", "exposed"]].concat(), &input);
    assert_eq!(out.len(), bad.len() + 1);
    for ((line, mentions), reply) in bad.iter().zip(&out) {
        let e = reply["error"].as_str().unwrap_or_else(|| panic!("{line}: {reply}"));
        assert!(e.contains(mentions), "{line}: {e}");
    }
    assert!(out[bad.len()]["answer"]["count"].is_u64());
    // Blur: one fake position per window; waiting a window may move it.
    let out = ask(&[&city[..], &["--design", "blur"]].concat(), &format!("{q}\n{{\"wait_s\":1800}}\n{q}\n"));
    assert_eq!(out[1]["waited_s"], 1800);
    assert!(out[2]["answer"]["epsilon_per_day"].as_f64().unwrap() > 0.0);
}

/// `replicate` reruns the published attacks: the oracle and trilateration against the deployed
/// list locate more than the blurred design's averages allow, and Location Guard's cache caps
/// averaging (a day of questions with it is worse than the same day without it).
#[test]
fn replicate_prints_the_published_attacks_figures() {
    let r = json(&["replicate", "--seed", "3", "--people", "20000"]);
    assert_eq!(r["synthetic"], true);
    assert!(r["targets"].as_u64().expect("targets") > 100);
    let share = |k: &str| r[k].as_f64().unwrap_or_else(|| panic!("{k} missing"));
    assert!((0.0..=1.0).contains(&share("momo_within_40m")));
    // One blurred report at ε = 0.004/m: RMS √6/ε ≈ 612 m, within the trials' sampling error.
    let one = r["blur_without_cache"][0]["rms_m"].as_f64().expect("one report");
    assert!((one / (6f64.sqrt() / 0.004) - 1.0).abs() < 0.1, "{one} m");
    let rms = |list: &str, n: u64| {
        r[list]
            .as_array()
            .expect("list")
            .iter()
            .find(|x| x["reports"].as_u64() == Some(n))
            .and_then(|x| x["rms_m"].as_f64())
            .expect("figure")
    };
    assert!(rms("blur_with_cache", 1_440) > 3.0 * rms("blur_without_cache", 1_440), "{r}");
    assert!(rms("blur_without_cache", 336) < rms("blur_without_cache", 48));
    refused(&["replicate", "--people", "12"], "--people");
}

/// A reader that stops early (`| head`) ends the output quietly: no panic, no error line.
#[test]
fn a_closed_pipe_ends_the_output_without_a_panic() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_within500"))
        .args(["generate", "--seed", "3", "--people", "200000", "--format", "geojson"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = [0u8; 64];
    child.stdout.take().expect("stdout").read_exact(&mut first).expect("some output");
    // Dropping the read end closes the pipe while the city is still being written.
    let out = child.wait_with_output().expect("ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "status {:?}: {err}", out.status);
}

#[test]
fn without_json_a_result_reads_as_key_value_lines() {
    let args = ["query", "--seed", "5", "--people", "2000", "--lat", "38.04", "--lng", "114.51", "--design", "aggregate"];
    let out = run(&args);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(serde_json::from_str::<serde_json::Value>(&text).is_err(), "not JSON: {text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("synthetic: true") && lines.contains(&"design: aggregate"), "{text}");
    assert!(lines.iter().all(|l| l.contains(": ")), "{text}");
    // The same fields as the JSON, flattened: every scalar of the JSON appears on some line.
    let v = json(&args);
    assert_eq!(v["answer"]["k"].to_string(), lines.iter().find_map(|l| l.strip_prefix("answer.k: ")).unwrap_or_default());
}

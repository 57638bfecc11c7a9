//! `cargo xtask attack-table`: runs `within500 attack` for every row of the README's attack
//! table and `within500 replicate` for its replication table, on the seed-7 city of 100 000
//! people, and rewrites both tables in `README.md` (between their marker comments) and the raw
//! figures in `docs/attack-table.json` and `app/web/replications.json` (which the lab shows).

use std::fmt::Write as _;
use std::process::Command;

use serde_json::Value;

use crate::{capture, cargo, root, run};

/// The city every row is measured on.
const CITY: [&str; 4] = ["--seed", "7", "--people", "100000"];

/// The rows: a label and the `within500 attack` arguments after the city.
const ROWS: &[(&str, &str)] = &[
    ("oracle vs deployed list (`reported`), 40 questions a target", "--design exposed --attacker oracle --budget 40"),
    ("trilateration vs deployed list (`distance`)", "--design exposed --fidelity distance --attacker trilateration"),
    ("walker, 400 questions in total", "--design exposed --attacker walker"),
    ("linkage, 400 questions in total", "--design exposed --attacker linkage"),
    ("oracle vs aggregate, k = 5", "--design aggregate --k 5 --attacker oracle --budget 40"),
    ("release-diff vs aggregate, k = 5, also published at two coarser resolutions", "--design aggregate --k 5 --attacker release-diff"),
    ("release-diff vs aggregate, k = 2, the same", "--design aggregate --k 2 --attacker release-diff"),
    ("reconstruct vs aggregate, k = 5 (100 targets)", "--design aggregate --k 5 --attacker reconstruct --targets 100"),
    ("reconstruct vs DP release, total ε = 1 (100 targets)", "--design dp --epsilon-total 1 --attacker reconstruct --targets 100"),
    ("reconstruct vs DP release, total ε = 100 (100 targets)", "--design dp --epsilon-total 100 --attacker reconstruct --targets 100"),
    ("scan vs DP release, total ε = 1 (100 targets)", "--design dp --epsilon-total 1 --attacker scan --targets 100"),
    ("bayes vs DP release, total ε = 1", "--design dp --epsilon-total 1 --attacker bayes"),
    (
        "averaging vs dp-session, ε = 1 a question, budget 10",
        "--design dp-session --epsilon 1 --epsilon-budget 10 --attacker averaging --budget 40",
    ),
    (
        "reconstruct vs dp-session, ε = 1, budget 10, new sessions (30 targets)",
        "--design dp-session --epsilon 1 --epsilon-budget 10 --attacker reconstruct --targets 30",
    ),
    (
        "replay vs dp-session, ε = 1, budget 10 (100 targets)",
        "--design dp-session --epsilon 1 --epsilon-budget 10 --attacker replay --targets 100",
    ),
    ("oracle vs blurred position, ε = 0.004/m", "--design blur --blur-epsilon 0.004 --attacker oracle --budget 40"),
    (
        "reconstruct vs blurred position, ε = 0.004/m (100 targets)",
        "--design blur --blur-epsilon 0.004 --attacker reconstruct --targets 100",
    ),
    ("reconstruct vs blurred position, ε = 1/m (100 targets)", "--design blur --blur-epsilon 1 --attacker reconstruct --targets 100"),
];

/// The proximity test's rows: its three attackers against the protocol and against plain
/// SHA-256 cells, on every listed person.
const PSI_ROWS: &[(&str, &str)] = &[
    ("spoof vs the protocol: the rightful creditor states chosen cells, 3 tests a day", "--design psi --psi-hash keyed --attacker spoof"),
    ("dictionary vs the protocol's captured messages", "--design psi --psi-hash keyed --attacker dictionary"),
    ("dictionary vs plain SHA-256 cells", "--design psi --psi-hash plain --attacker dictionary"),
    ("court vs the protocol: where is the creditor?", "--design psi --psi-hash keyed --attacker court"),
    ("court vs plain SHA-256 cells", "--design psi --psi-hash plain --attacker court"),
];

fn psi_table(rows: &[(String, Value)]) -> String {
    let mut t = String::from(
        "| Attack | what it got | the same with no question | debtor's home within 50 m (no question) | within 200 m | median error | tests | days | one test, both sides |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (label, m) in rows {
        let (got, base) = match m["attacker"].as_str() {
            Some("spoof") => (
                format!(
                    "debtor's cell pinned for {} (median {} day; with no start point, trying the city's cells most populous first: median {} days)",
                    pct(&m["cell_pinned_share"]),
                    num(&m["days_to_pin_median"], "", 0),
                    num(&m["days_to_pin_no_hint_median"], "", 0)
                ),
                format!("{} (the density map's guess)", pct(&m["baseline_cell_pinned_share"])),
            ),
            Some("dictionary") => (format!("{} of exchanges reveal a cell", pct(&m["reversed_share"])), "— (nothing captured)".into()),
            _ => (
                format!("creditor's cell named in {} of tests", pct(&m["court_learns_cell_share"])),
                format!("{} (its guess: the debtor's own cell)", pct(&m["baseline_court_learns_cell_share"])),
            ),
        };
        let court = m["attacker"] == "court";
        let _ = writeln!(
            t,
            "| {label} | {got} | {base} | {} | {} | {} | {} | {} | {} |",
            if court { "—".into() } else { format!("{} ({})", pct(&m["located_50m"]), pct(&m["baseline_located_50m"])) },
            if court { "—".into() } else { pct(&m["located_200m"]) },
            if court { "—".into() } else { num(&m["median_error_m"], " m", 1) },
            group(&m["queries_used"]),
            if m["attacker"] == "spoof" { num(&m["days_used"], "", 0) } else { "—".into() },
            num(&m["psi_test_us"], " µs", 0),
        );
    }
    t
}

fn pct(v: &Value) -> String {
    v.as_f64().map_or_else(|| "—".into(), |x| format!("{:.1} %", x * 100.0))
}

pub(crate) fn num(v: &Value, unit: &str, digits: usize) -> String {
    v.as_f64().map_or_else(|| "—".into(), |x| format!("{x:.digits$}{unit}"))
}

/// A whole number with thin groups of three digits (40 760), as the README writes them.
pub(crate) fn group(v: &Value) -> String {
    let digits = v.as_u64().map_or_else(|| "—".into(), |n| n.to_string());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) && digits.len() > 4 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn cli() -> std::path::PathBuf {
    root().join("target/release/within500")
}

fn json(args: &[&str]) -> Result<Value, String> {
    let out = capture(Command::new(cli()).args(args))?;
    serde_json::from_str(out.trim()).map_err(|e| format!("within500 {} printed no JSON: {e}", args.join(" ")))
}

/// Reads a benchmark's JSON from `docs/<name>`.
pub(crate) fn read_json(name: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(root().join("docs").join(name)).map_err(|e| format!("cannot read docs/{name}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("docs/{name} is not JSON: {e}"))
}

/// Replaces the README's part between the `marker` comments with `body`.
pub(crate) fn splice_readme(marker: &str, body: &str) -> Result<(), String> {
    let path = root().join("README.md");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read README.md: {e}"))?;
    let text = splice(&text, marker, body)?;
    std::fs::write(&path, text).map_err(|e| format!("cannot write README.md: {e}"))
}

/// Replaces the text between `<!-- {name}:start -->` and `<!-- {name}:end -->`.
pub(crate) fn splice(text: &str, name: &str, body: &str) -> Result<String, String> {
    let (start, end) = (format!("<!-- {name}:start -->"), format!("<!-- {name}:end -->"));
    let a = text.find(&start).ok_or_else(|| format!("README.md has no {start} marker"))? + start.len();
    let b = text[a..].find(&end).ok_or_else(|| format!("README.md has no {end} marker"))? + a;
    Ok(format!("{}\n{}{}", &text[..a], body, &text[b..]))
}

fn attack_table(rows: &[(String, Value)]) -> String {
    let mut t = String::from(
        "| Attack | located within 50 m | start point only | ideal | building (flat) identified | start point only | homes rebuilt within 50 m (1 m) | median error | questions | sessions | ε per person | user's count error |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    for (label, m) in rows {
        let rebuilt = format!("{} ({})", pct(&m["homes_recovered_50m"]), pct(&m["homes_recovered_1m"]));
        let reference = |k: &str| pct(&m[k]);
        let mut located = pct(&m["located_50m"]);
        if let Some(exact) = m.get("noiseless_located_50m") {
            located = format!("{located} (noiseless release: {})", pct(exact));
        }
        if m["attacker"] == "release-diff" {
            located = format!("{located} ({} of the counts k hides revealed)", pct(&m["suppressed_revealed"]));
        }
        let _ = writeln!(
            t,
            "| {label} | {located} | {} | {} | {} ({}) | {} ({}) | {rebuilt} | {} | {} | {} | {} | {} |",
            reference("baseline_located_50m"),
            reference("ideal_located_50m"),
            reference("building_identified"),
            reference("flat_identified"),
            reference("baseline_building_identified"),
            reference("baseline_flat_identified"),
            num(&m["median_error_m"], " m", 1),
            group(&m["queries_used"]),
            group(&m["sessions_used"]),
            num(&m["epsilon_per_person"], "", 1),
            num(&m["count_error"], "", 2),
        );
    }
    t
}

fn rms(list: &Value, reports: u64) -> String {
    list.as_array()
        .and_then(|a| a.iter().find(|r| r["reports"].as_u64() == Some(reports)))
        .map_or_else(|| "—".into(), |r| num(&r["rms_m"], " m", 0))
}

fn replication_table(r: &Value) -> String {
    let mut t = String::from(
        "| Study | Published figure | What this lab measures (seed 7, 100 000 people) | Why it differs |\n| --- | --- | --- | --- |\n",
    );
    let no = &r["blur_without_cache"];
    let with = &r["blur_with_cache"];
    let rows = [
        ("Polakis et al. 2015, Facebook", "users located within 5 m".to_string(),
            format!("oracle vs deployed list, 40 questions: {} within 5 m (median {})", pct(&r["oracle_within_5m"]), num(&r["oracle_median_m"], " m", 2)),
            "the deployed list answers exactly who is inside the circle; the study had yes/no or rounded-distance answers"),
        ("Polakis et al. 2015, Foursquare", "90 % of users within 15 m".into(),
            format!("the same attacker: {} within 15 m", pct(&r["oracle_within_15m"])), "the same"),
        ("Momo", "88.9 % within 40 m in about 12 questions".into(),
            format!("oracle, 12 questions: {} within 40 m", pct(&r["momo_within_40m"])),
            "our oracle starts up to 400 m from the home and splits 12 questions over three rays, 4 each; with 40 it locates every listed person"),
        ("Location Guard, medium level (ε = 0.004/m), without its cache", "RMS 612 m for one report, 88 m after 48, 33 m after 336 (√6/ε, divided by √n)".into(),
            format!("averaged blurred positions: {} after 1, {} after 48, {} after 336, {} after 1 440 (a day, one a minute)", rms(no, 1), rms(no, 48), rms(no, 336), rms(no, 1440)),
            "matches within the sampling error of the trials; without the cache a day of questions a minute apart averages down to the figure after 1 440"),
        ("Location Guard, with its cache (one position per 30 minutes)", "a day of use gives at most 48 reports: about 88 m; a week 336: about 33 m".into(),
            format!("one question a minute: {} after a day (1 440 questions), {} after a week", rms(with, 1440), rms(with, 10080)),
            "matches: the cache caps averaging at one report per window"),
        ("WeChat Nearby", "56 % of users within 60 m".into(),
            format!("trilateration on shown distances: {} within 60 m", pct(&r["wechat_within_60m"])),
            "the deployed list's `distance` view shows exact distances, which trilateration turns into the home; the distances WeChat showed were coarsened"),
    ];
    for (study, published, measured, why) in rows {
        let _ = writeln!(t, "| {study} | {published} | {measured} | {why} |");
    }
    let _ = writeln!(t, "\nBlur figures average {} trials each (a quarter as many with the cache).", group(&r["blur_trials"]));
    t
}

/// Measures every row and rewrites the tables.
pub fn attack_tables() -> Result<(), String> {
    run(cargo().args(["build", "--release", "--bin", "within500"]))?;
    let mut rows = Vec::new();
    for (label, args) in ROWS {
        let mut all: Vec<&str> = vec!["attack"];
        all.extend(CITY);
        all.extend(args.split_whitespace());
        all.push("--json");
        eprintln!("xtask: within500 {}", all.join(" "));
        rows.push(((*label).to_string(), json(&all)?));
    }
    let mut psi_rows = Vec::new();
    for (label, args) in PSI_ROWS {
        let mut all: Vec<&str> = vec!["attack"];
        all.extend(CITY);
        all.extend(args.split_whitespace());
        all.push("--json");
        eprintln!("xtask: within500 {}", all.join(" "));
        psi_rows.push(((*label).to_string(), json(&all)?));
    }
    let mut replicate = vec!["replicate"];
    replicate.extend(CITY);
    let replications = json(&replicate)?;
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).map_err(|e| format!("cannot read README.md: {e}"))?;
    let readme = splice(&readme, "attack-table", &attack_table(&rows))?;
    let readme = splice(&readme, "replications", &replication_table(&replications))?;
    let readme = splice(&readme, "psi-table", &psi_table(&psi_rows))?;
    std::fs::write(&readme_path, readme).map_err(|e| format!("cannot write README.md: {e}"))?;
    let raw: Vec<Value> = rows.iter().map(|(l, m)| serde_json::json!({ "row": l, "metrics": m })).collect();
    let psi: Vec<Value> = psi_rows.iter().map(|(l, m)| serde_json::json!({ "row": l, "metrics": m })).collect();
    let doc = serde_json::json!({ "synthetic": true, "command": "cargo xtask attack-table", "rows": raw, "proximity_rows": psi, "replications": replications });
    let write = |path: &str, v: &Value| {
        let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
        std::fs::write(root().join(path), text + "\n").map_err(|e| format!("cannot write {path}: {e}"))
    };
    write("docs/attack-table.json", &doc)?;
    write("app/web/replications.json", &replications)?;
    eprintln!("xtask: README.md, docs/attack-table.json and app/web/replications.json rewritten");
    Ok(())
}

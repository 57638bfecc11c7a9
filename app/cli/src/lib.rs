//! `within500`: the engine of Within 500 m on the command line.
//!
//! Exports synthetic cities, runs the same queries and designs as the app, and benchmarks the
//! H3 radius query against brute force and a uniform grid. All output is synthetic data and says
//! so. Bad arguments exit with status 2 and one line naming what is wrong.
//!
//! The argument parsing is a library function, [`parse`], so that it can be fuzzed and its
//! corpus replayed by the tests (see [`fuzzing`]).

// Doc comments here are the command line's --help text, written for a terminal, not Markdown.
#![allow(clippy::doc_markdown)]

mod ask;
mod attack;
mod bench;
mod proximity;
mod query;
mod stress;

use clap::{Parser, Subcommand, ValueEnum};
use within500_engine::{
    CellHash, City, CityConfig, DesignKind, Epsilon, Fidelity, DEFAULT_LISTED_RATE, MAX_LISTED_RATE, MAX_PEOPLE, MIN_PEOPLE,
};

/// Within 500 m: a synthetic reproduction of the 2019 "Deadbeat Map" and privacy-preserving
/// alternatives. Every number it prints comes from synthetic data.
#[derive(Debug, Parser)]
#[command(name = "within500", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The city to generate.
#[derive(Debug, Clone, clap::Args)]
pub struct CityArgs {
    /// Seed of the synthetic city: the same seed and settings give the same city everywhere.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Number of people, 1000 to 11000000.
    #[arg(long, default_value_t = 100_000, value_parser = parse_people)]
    people: u32,
    /// Share of people on the blacklist, from 0 to 0.2 (0.01 is 1 %).
    #[arg(long, allow_hyphen_values = true, default_value_t = DEFAULT_LISTED_RATE, value_parser = parse_rate)]
    listed_rate: f64,
}

impl CityArgs {
    fn config(&self) -> CityConfig {
        CityConfig { seed: self.seed, people: self.people, listed_rate: self.listed_rate }
    }

    fn generate(&self) -> Result<City, String> {
        City::generate(self.config()).map_err(|e| e.to_string())
    }
}

/// Export formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One row per person, with a header; the first line marks the data as synthetic.
    Csv,
    /// A GeoJSON FeatureCollection of homes, marked synthetic at the top level.
    Geojson,
}

/// Designs as named on the command line.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum DesignArg {
    /// The deployed map: a list of listed people.
    Exposed,
    /// Counts per coarse cell, small counts suppressed.
    Aggregate,
    /// Differentially private release: noisy counts per cell published once (--epsilon-total).
    Dp,
    /// Per-question DP count with a budget per session (--epsilon, --epsilon-budget).
    DpSession,
    /// Count around a blurred position.
    Blur,
    /// Private proximity test: a creditor asks about their own case (--case).
    Psi,
}

impl DesignArg {
    fn kind(self) -> DesignKind {
        match self {
            Self::Exposed => DesignKind::Exposed,
            Self::Aggregate => DesignKind::Aggregate,
            Self::Dp => DesignKind::DpRelease,
            Self::DpSession => DesignKind::DpSession,
            Self::Blur => DesignKind::Blur,
            Self::Psi => DesignKind::PrivateProximity,
        }
    }
}

/// Fidelity as named on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FidelityArg {
    /// Name, ID number, partial address, reason, court, case: as press reports describe.
    Reported,
    /// Adds distances.
    Distance,
    /// Adds exact home positions (`lat`, `lng`).
    Pins,
}

impl From<FidelityArg> for Fidelity {
    fn from(f: FidelityArg) -> Self {
        match f {
            FidelityArg::Reported => Self::Reported,
            FidelityArg::Distance => Self::Distance,
            FidelityArg::Pins => Self::Pins,
        }
    }
}

/// Cell tokens for the proximity test.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HashArg {
    /// Points blinded by secret scalars on both sides (ECDH over ristretto255).
    Keyed,
    /// Plain SHA-256: reversible, shown only to explain why it fails.
    Plain,
}

impl From<HashArg> for CellHash {
    fn from(h: HashArg) -> Self {
        match h {
            HashArg::Keyed => Self::Keyed,
            HashArg::Plain => Self::Plain,
        }
    }
}

/// Arguments of `query`.
#[derive(Debug, Clone, clap::Args)]
pub struct QueryArgs {
    #[command(flatten)]
    city: CityArgs,
    /// Latitude of the querier in degrees (within 20 km of 38.04 N).
    #[arg(long, allow_hyphen_values = true)]
    lat: f64,
    /// Longitude of the querier in degrees (within 20 km of 114.51 E).
    #[arg(long, allow_hyphen_values = true)]
    lng: f64,
    #[command(flatten)]
    design: DesignArgs,
    #[command(flatten)]
    psi: PsiArgs,
    /// Print the answer as JSON (default: one `key: value` line per field).
    #[arg(long)]
    json: bool,
}

/// Arguments of `attack`.
#[derive(Debug, Clone, clap::Args)]
pub struct AttackArgs {
    #[command(flatten)]
    city: CityArgs,
    #[command(flatten)]
    design: DesignArgs,
    /// The attacker: walker (asks every 300 m along the streets), trilateration (distances from
    /// three positions; needs --fidelity distance or pins), oracle (binary search on yes/no
    /// answers), averaging (oracle search averaging repeated answers), dictionary (hashes every
    /// cell against captured proximity-test messages; --design psi), spoof (a creditor states
    /// chosen cells under the daily limit; --design psi), court (the court tries to learn the
    /// creditor's cell; --design psi), linkage (walker sightings joined with a public directory),
    /// reconstruct (rebuilds every listed home near the start from counts over many circles,
    /// opening sessions as needed), scan (one 50 m circle per grid point), replay (calibrates a
    /// session's noise; --design dp-session), bayes (the most likely home from public data and
    /// released cells).
    #[arg(long, value_parser = parse_attacker)]
    attacker: within500_engine::AttackerKind,
    /// Questions allowed: per target, or in total for walker and linkage (default: the
    /// attacker's own, 40 for oracle, 30000 for reconstruct).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    budget: Option<u32>,
    /// Listed people attacked: a sample of this many spread over the listings (0: every one).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u32).range(0..=11_000_000))]
    targets: u32,
    /// Switch off the dp-session cache and budget (and the blur's fake position per window) to show what they prevent.
    #[arg(long)]
    unprotected: bool,
    /// Include every target's estimate and true home.
    #[arg(long)]
    outcomes: bool,
    /// Print JSON (default: one `key: value` line per field).
    #[arg(long)]
    json: bool,
}

/// Arguments of `ask`.
#[derive(Debug, Clone, clap::Args)]
pub struct AskArgs {
    #[command(flatten)]
    city: CityArgs,
    #[command(flatten)]
    design: DesignArgs,
    #[command(flatten)]
    psi: PsiArgs,
}

/// The proximity test's creditor, shared by `query` and `ask`.
#[derive(Debug, Clone, clap::Args)]
pub struct PsiArgs {
    /// Proximity test: the creditor's case number, e.g. "(2017)冀0003执1234号" (required with
    /// --design psi; `generate` lists each listed person's case_number).
    #[arg(long)]
    case: Option<String>,
    /// Proximity test: the credential the court gave the creditor, 64 hex digits (default: the
    /// court's credential for --case, as its rightful creditor holds it).
    #[arg(long)]
    creditor_key: Option<String>,
    /// Proximity test: the simulated day, a whole number (default: today, in days since 1970).
    #[arg(long)]
    day: Option<u32>,
    /// Proximity test: the court's ledger of tests per case (default: $WITHIN500_LEDGER, else a
    /// file under $XDG_STATE_HOME or ~/.local/state/within500).
    #[arg(long)]
    ledger: Option<std::path::PathBuf>,
    /// Proximity test: print both messages of the exchange, as bytes and as each side reads them.
    #[arg(long)]
    transcript: bool,
    /// Replaced by --case: the proximity test is bound to the creditor's own case.
    #[arg(long, hide = true)]
    debtor: Option<String>,
}

impl PsiArgs {
    fn creditor(&self, design: DesignArg) -> Result<Option<proximity::CreditorArgs>, String> {
        if self.debtor.is_some() {
            return Err("--debtor is gone: the proximity test is bound to the creditor's own case; give --case CASE (see `generate`'s case_number column)".into());
        }
        if design != DesignArg::Psi {
            let given = [
                ("--case", self.case.is_some()),
                ("--creditor-key", self.creditor_key.is_some()),
                ("--day", self.day.is_some()),
                ("--ledger", self.ledger.is_some()),
                ("--transcript", self.transcript),
            ];
            if let Some((flag, _)) = given.iter().find(|g| g.1) {
                return Err(format!("{flag} belongs to the proximity test: add --design psi"));
            }
            return Ok(None);
        }
        let case =
            self.case.clone().ok_or("--design psi needs --case CASE, the creditor's case number (see `generate`'s case_number column)")?;
        Ok(Some(proximity::CreditorArgs {
            case,
            key: self.creditor_key.clone(),
            day: self.day,
            ledger: self.ledger.clone(),
            transcript: self.transcript,
        }))
    }
}

/// A design and its parameters, shared by `query`, `attack` and `ask`.
#[derive(Debug, Clone, clap::Args)]
pub struct DesignArgs {
    /// Radius in metres, 50 to 5000.
    #[arg(long, allow_hyphen_values = true, default_value_t = 500.0, value_parser = parse_radius)]
    radius: f64,
    /// The design that answers.
    #[arg(long, value_enum, default_value_t = DesignArg::Exposed)]
    design: DesignArg,
    /// Exposed: what each entry shows.
    #[arg(long, value_enum, default_value_t = FidelityArg::Reported)]
    fidelity: FidelityArg,
    /// Aggregate: counts below k are suppressed (2 to 50).
    #[arg(long, default_value_t = 5, value_parser = parse_k)]
    k: u32,
    /// dp: the release's total ε per person (0.01 to 100).
    #[arg(long, allow_hyphen_values = true, default_value = "1", value_parser = parse_epsilon)]
    epsilon_total: Epsilon,
    /// dp-session: ε per question (0.01 to 100).
    #[arg(long, allow_hyphen_values = true, default_value = "1", value_parser = parse_epsilon)]
    epsilon: Epsilon,
    /// dp-session: ε budget of a session (0.01 to 100).
    #[arg(long, allow_hyphen_values = true, default_value = "10", value_parser = parse_epsilon)]
    epsilon_budget: Epsilon,
    /// Blur: ε per metre (0.0001 to 1; 0.004 moves the position about 500 m on average).
    #[arg(long, allow_hyphen_values = true, default_value_t = 0.004, value_parser = parse_blur)]
    blur_epsilon: f64,
    /// Proximity test: how cells are hashed.
    #[arg(long, value_enum, default_value_t = HashArg::Keyed)]
    psi_hash: HashArg,
}

impl DesignArgs {
    /// The design and its parameters, as the engine reads them.
    fn params(&self) -> within500_engine::DesignParams {
        within500_engine::DesignParams {
            design: self.design.kind(),
            fidelity: self.fidelity.into(),
            k: self.k,
            release_epsilon: self.epsilon_total,
            question_epsilon: self.epsilon,
            budget: self.epsilon_budget,
            blur_epsilon: self.blur_epsilon,
            hash: self.psi_hash.into(),
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the synthetic city, one row or feature per person.
    Generate {
        /// The city.
        #[command(flatten)]
        city: CityArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
    /// Answer one query through one design and print the answer (as JSON with --json).
    Query(Box<QueryArgs>),
    /// Run one attacker against one design on every listed person (or --targets of them); print
    /// the metrics (as JSON with --json), beside the no-question and ideal reference lines of the
    /// same run.
    Attack(Box<AttackArgs>),
    /// Bring your own attacker: read JSON lines on stdin, answer each with exactly the design's
    /// public answer. {"lat":..,"lng":..,"radius":..} asks; {"new_session":true} starts a new
    /// session; {"wait_s":N} moves the simulated clock (blur); a bad line gets {"error":".."}.
    Ask(Box<AskArgs>),
    /// Run the published attacks again (Polakis et al., Momo, Location Guard, WeChat Nearby) on
    /// the city; print the lab's figures as JSON, to set beside the published ones.
    Replicate {
        /// The city.
        #[command(flatten)]
        city: CityArgs,
    },
    /// Print the SHA-256 fingerprint of a city: equal fingerprints mean identical cities.
    Fingerprint {
        /// The city.
        #[command(flatten)]
        city: CityArgs,
    },
    /// Ask random questions of every design and run every attacker, catching any panic; print the
    /// report (as JSON with --json).
    Stress(stress::StressArgs),
    /// Time the H3 radius query against brute force and a uniform grid; print the figures (as JSON
    /// with --json).
    Bench {
        /// Seed of the synthetic city.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Number of people, 1000 to 11000000.
        #[arg(long, default_value_t = 1_000_000, value_parser = parse_people)]
        people: u32,
        /// Number of query points (brute force times at most 200 of them).
        #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        queries: u32,
        /// Radius in metres, 50 to 5000.
        #[arg(long, allow_hyphen_values = true, default_value_t = 500.0, value_parser = parse_radius)]
        radius: f64,
        /// Print JSON (default: one `key: value` line per field).
        #[arg(long)]
        json: bool,
    },
}

fn parse_attacker(s: &str) -> Result<within500_engine::AttackerKind, String> {
    within500_engine::AttackerKind::from_slug(s).ok_or_else(|| {
        let all: Vec<&str> = within500_engine::AttackerKind::ALL.iter().map(|a| a.slug()).collect();
        format!("'{s}' is not an attacker: choose {}", all.join(", "))
    })
}

fn parse_people(s: &str) -> Result<u32, String> {
    let n: u64 = s.parse().map_err(|_| format!("'{s}' is not a whole number of people"))?;
    u32::try_from(n)
        .ok()
        .filter(|n| (MIN_PEOPLE..=MAX_PEOPLE).contains(n))
        .ok_or_else(|| format!("{s} is out of range: choose {MIN_PEOPLE} to {MAX_PEOPLE} people"))
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.parse().map_err(|_| format!("'{s}' is not a number (0.01 means 1 %)"))?;
    if (0.0..=MAX_LISTED_RATE).contains(&r) {
        Ok(r)
    } else {
        Err(format!("{s} is out of range: choose a share from 0 to {MAX_LISTED_RATE} (0.01 means 1 %)"))
    }
}

fn parse_range(s: &str, lo: f64, hi: f64, what: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("'{s}' is not a number: {what}"))?;
    if v.is_finite() && (lo..=hi).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} is out of range: {what}"))
    }
}

fn parse_k(s: &str) -> Result<u32, String> {
    let r = &within500_engine::ranges::K;
    let k: u32 = s.trim().parse().map_err(|_| format!("'{s}' is not a whole number: choose k from {} to {}", r.start(), r.end()))?;
    if r.contains(&k) {
        Ok(k)
    } else {
        Err(format!("{s} is out of range: choose k from {} to {}", r.start(), r.end()))
    }
}

fn parse_radius(s: &str) -> Result<f64, String> {
    let r = &within500_engine::ranges::RADIUS_M;
    parse_range(s, *r.start(), *r.end(), &format!("choose {} to {} metres", r.start(), r.end()))
}

fn parse_blur(s: &str) -> Result<f64, String> {
    let r = &within500_engine::ranges::BLUR_EPSILON;
    parse_range(s, *r.start(), *r.end(), &format!("choose ε per metre from {} to {}", r.start(), r.end()))
}

/// ε per question, ε in total and a budget all take the same range.
fn parse_epsilon(s: &str) -> Result<Epsilon, String> {
    let r = &within500_engine::ranges::EPSILON;
    let what = format!("choose ε from {} to {}", r.start(), r.end());
    let v = parse_range(s, *r.start(), *r.end(), &what)?;
    Epsilon::from_f64(v).ok_or_else(|| format!("{s} is out of range: {what}"))
}

/// Runs a parsed command line.
///
/// # Errors
/// One line saying what went wrong (printed after `error:` with exit status 2).
pub fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Generate { city, format } => {
            let c = city.generate()?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            match format {
                Format::Csv => within500_engine::export::csv(&c, &mut out),
                Format::Geojson => within500_engine::export::geojson(&c, &mut out),
            }
            .or_else(|e| {
                if e.kind() == std::io::ErrorKind::BrokenPipe {
                    Ok(())
                } else {
                    Err(format!("cannot write the output: {e}"))
                }
            })
        }
        Command::Query(args) => query::run(&args),
        Command::Attack(args) => attack::run(&args),
        Command::Ask(args) => ask::run(&args),
        Command::Replicate { city } => {
            let c = city.generate()?;
            let mut out = serde_json::to_value(within500_engine::replications(&c, city.seed)).map_err(|e| e.to_string())?;
            out["synthetic"] = true.into();
            out["seed"] = city.seed.into();
            out["people"] = city.people.into();
            emit(&out.to_string())
        }
        Command::Fingerprint { city } => emit(&city.generate()?.fingerprint()),
        Command::Stress(args) => stress::run(&args),
        Command::Bench { seed, people, queries, radius, json } => bench::run(seed, people, queries, radius, json),
    }
}

/// Prints a command's result: pretty JSON with `--json`, otherwise one `key: value` line per field
/// (nested fields joined with dots, list items numbered), for reading in a terminal.
pub(crate) fn print_result(value: &serde_json::Value, json: bool) -> Result<(), String> {
    if json {
        emit(&serde_json::to_string_pretty(value).map_err(|e| e.to_string())?)
    } else {
        // The synthetic mark and its note first, where a reader starts.
        let mut lines = vec!["synthetic: true (Within 500 m: synthetic data, no real person)".to_owned()];
        match value {
            serde_json::Value::Object(m) => {
                m.iter().filter(|(k, _)| !matches!(k.as_str(), "synthetic" | "note")).for_each(|(k, v)| text_lines(k, v, &mut lines));
            }
            other => text_lines("", other, &mut lines),
        }
        emit(&lines.join("\n"))
    }
}

fn text_lines(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
    use serde_json::Value;
    let scalar = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    };
    let key = |k: &str| if prefix.is_empty() { k.to_owned() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, v)| text_lines(&key(k), v, out)),
        Value::Array(a) if a.is_empty() => out.push(format!("{prefix}: (none)")),
        Value::Array(a) if a.iter().all(|v| !v.is_object() && !v.is_array()) => {
            out.push(format!("{prefix}: {}", a.iter().map(scalar).collect::<Vec<_>>().join(", ")));
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, v)| text_lines(&format!("{prefix}[{i}]"), v, out)),
        other => out.push(format!("{prefix}: {}", scalar(other))),
    }
}

/// Prints one result on standard output. A reader that closed the pipe early (`| head`) ends
/// the output quietly; any other write error is a message, never a panic.
pub(crate) fn emit(text: &str) -> Result<(), String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write the output: {e}")),
        _ => Ok(()),
    }
}

/// What parsing a command line gave: a command to run, text to print (help or version, with
/// the exit status), or a one-line error naming what is wrong.
#[derive(Debug)]
pub enum Parsed {
    /// Run this.
    Run(Cli),
    /// Print this and exit with this status (help, version, or usage when nothing was given).
    Print(String, u8),
    /// Print this one line to stderr and exit with status 2.
    Error(String),
}

/// Parses a command line (the first item is the program name).
pub fn parse<I, T>(args: I) -> Parsed
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::error::ErrorKind;
    match Cli::try_parse_from(args) {
        Ok(cli) => Parsed::Run(cli),
        Err(e) => match e.kind() {
            ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => Parsed::Print(e.render().to_string(), 0),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => Parsed::Print(e.render().to_string(), 2),
            _ => {
                // clap explains the problem in its first paragraph (a missing argument is listed
                // on the lines below the first); the usage and the pointer to --help follow. Fold
                // the explanation into one line.
                let text = e.render().to_string();
                let what: Vec<&str> =
                    text.lines().take_while(|l| !l.trim().is_empty() && !l.starts_with("Usage:")).map(str::trim).collect();
                Parsed::Error(format!("{} (see --help)", what.join(" ")))
            }
        },
    }
}

/// Entry points for the fuzz targets in `fuzz/`, also used to replay their corpus in the tests.
pub mod fuzzing {
    use super::{parse, Parsed};

    /// Splits fuzz input into arguments at NUL bytes (lossy UTF-8), parses them after the program
    /// name, and checks what any command line must give: no panic, and an error is one non-empty
    /// line that ends by pointing at `--help`.
    ///
    /// # Panics
    /// When the parser breaks that promise: the fuzzer's finding.
    pub fn cli_args(data: &[u8]) {
        let args: Vec<String> = std::iter::once("within500".to_owned())
            .chain(data.split(|&b| b == 0).map(|a| String::from_utf8_lossy(a).into_owned()))
            .collect();
        match parse(&args) {
            Parsed::Run(_) => {}
            Parsed::Print(text, _) => assert!(!text.trim().is_empty(), "help text is empty for {args:?}"),
            Parsed::Error(line) => {
                assert!(!line.contains('\n'), "error is not one line for {args:?}: {line}");
                assert!(line.len() > "(see --help)".len() + 3, "error names nothing for {args:?}: {line}");
                assert!(line.ends_with("(see --help)"), "{line}");
            }
        }
    }
}

//! Development tasks, run as `cargo xtask <task>` (see `.cargo/config.toml`).
//!
//! Each task installs what it is missing first (the wasm32 target, pinned tools through cargo,
//! npm and apt), so that on a fresh machine `cargo xtask serve` and `cargo xtask test` do all the
//! set-up themselves. Tools already present at the pinned version are not installed again.

mod benchapp;
mod benchnative;
mod benchweb;
mod figures;
mod serve;
mod site;
mod tools;
mod wasm;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Development tasks for Within 500 m")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Build the release site and serve it on 127.0.0.1.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 8080)]
        port: u16,
    },
    /// Run every test: native unit, integration and doc tests, the wasm32 build, the browser
    /// component tests and the end-to-end tests against the release build.
    Test,
    /// Write the release site to `dist/`.
    Dist,
    /// Measure the radius query natively and the site's size and speed in Chromium; JSON lines.
    Bench {
        /// Measure the index natively against its peers at 100 000, 1 000 000 and 11 000 000
        /// people (docs/bench-native.json) and the app in Chromium (one JSON object,
        /// docs/bench-app.json), and rewrite the README's native and app tables from them.
        #[arg(long)]
        json: bool,
        /// Measure nothing: rewrite the README's native and app tables from `docs/bench-native.json`
        /// and `docs/bench-app.json`.
        #[arg(long, conflicts_with = "json")]
        readme_only: bool,
    },
    /// Measure every row of the README's attack table and the replications of published attacks
    /// (seed 7, 100 000 people) and rewrite them in README.md, docs/attack-table.json and the
    /// lab's replication table.
    AttackTable,
    /// Build the city-generating Web Worker into `target/worker/` (Trunk runs this before each
    /// build, and copies the folder into the site).
    Worker,
    /// Time the engine's index in Chromium against a uniform grid, brute force and h3-js with
    /// turf, for each population; prints one JSON object.
    BenchWeb {
        /// Populations, comma-separated, each 1 000 to 11 000 000.
        #[arg(long, value_delimiter = ',', default_values_t = [100_000u32, 1_000_000, 11_000_000],
              value_parser = clap::value_parser!(u32).range(1_000..=11_000_000))]
        people: Vec<u32>,
        /// Query points per population.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        queries: u32,
        /// Print the JSON on one line, without progress lines.
        #[arg(long)]
        json: bool,
        /// Measure nothing: rewrite the README's browser table from `docs/bench-web.json`.
        #[arg(long, conflicts_with_all = ["json", "people", "queries"])]
        readme_only: bool,
    },
}

/// The repository root (two levels above this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap_or_else(|_| PathBuf::from("."))
}

/// Runs a command in the repository root with the tools on `PATH`.
///
/// # Errors
/// When the command cannot start or fails; the message names it.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    eprintln!("xtask: running {shown}");
    let status =
        cmd.current_dir(root()).env("PATH", tools::path_with_tools()).status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Runs a command in the repository root and returns its standard output.
///
/// # Errors
/// When the command cannot start or fails; the message names it and gives its standard error.
pub fn capture(cmd: &mut Command) -> Result<String, String> {
    let shown = format!("{cmd:?}");
    let out = cmd.current_dir(root()).output().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!("{shown} failed: {}", String::from_utf8_lossy(&out.stderr).trim()))
    }
}

/// The cargo that runs xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn test() -> Result<(), String> {
    // Style first: it takes a second and names the file that is off (rustfmt.toml).
    run(cargo().args(["fmt", "--all", "--check"]))?;
    // Lints ([workspace.lints]) as errors, natively for every crate and for wasm32 for the crates
    // that run there (their cfgs differ: 32-bit usize, web-only code); the wasm32 run also checks
    // that the engine builds for the browser.
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    tools::ensure_wasm_target()?;
    // Two wasm32 runs, since features unify within one: the page's build (the engine without the
    // proximity lab, the web crate and its browser tests), then the worker's and the browser
    // benchmark's (the engine with it). Libraries only for those: the engine's dev-dependencies
    // (proptest) do not build for wasm32.
    let wasm_clippy = |crates: &[&str], all_targets: bool| {
        let mut args = vec!["clippy", "--target", "wasm32-unknown-unknown"];
        if all_targets {
            args.push("--all-targets");
        }
        for c in crates {
            args.extend(["-p", c]);
        }
        args.extend(["--", "-D", "warnings"]);
        run(cargo().args(args))
    };
    wasm_clippy(&["within500-web"], true)?;
    wasm_clippy(&["within500-engine", "within500-worker", "within500-bench-web"], false)?;
    tools::ensure_test_tools()?;
    // Natively: the engine, the app model and the CLI. The web crate's tests run in the browser
    // below, which spares CI a native build of Leptos (clippy above checks it natively).
    run(cargo().args(["test", "--workspace", "--exclude", "xtask", "--exclude", "within500-web"]))?;
    // Components in headless Chromium through chromedriver (runner set in .cargo/config.toml),
    // with the native fingerprint of a city to compare the browser's against.
    // The debug CLI was built by the native tests above; the end-to-end lab test runs it too.
    let native =
        capture(cargo().args(["run", "--quiet", "--bin", "within500", "--", "fingerprint", "--seed", "2019", "--people", "20000"]))?;
    run(cargo()
        .args(["test", "-p", "within500-web", "--target", "wasm32-unknown-unknown"])
        .env("WITHIN500_NATIVE_FINGERPRINT", native.trim())
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))?;
    site::build()?;
    // End-to-end specs against dist/, in node's test runner with Playwright.
    run(Command::new("node").args(["--test", "--test-concurrency=1", "tests/e2e/"]))
}

fn bench() -> Result<(), String> {
    run(cargo().args(["run", "--release", "--bin", "within500", "--", "bench", "--people", "1000000", "--json"]))?;
    run(cargo().args(["run", "--release", "-p", "within500-engine", "--example", "baselines", "--", "1000000"]))?;
    tools::ensure_test_tools()?;
    site::build()?;
    run(Command::new("node").args(["tests/perf/measure.mjs"]))?;
    run(Command::new("node").args(["tests/perf/lab.mjs"]))?;
    run(Command::new("node").args(["tests/perf/psi.mjs"]))?;
    run(Command::new("node").args(["tests/perf/memory.mjs"]))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Serve { port } => tools::ensure_build_tools().and_then(|()| site::build()).and_then(|()| serve::serve(port)),
        Task::Test => test(),
        Task::Dist => tools::ensure_build_tools().and_then(|()| site::build()),
        Task::Bench { readme_only: true, .. } => benchnative::readme_from_json().and_then(|()| benchapp::readme_from_json()),
        Task::Bench { json: true, .. } => benchnative::run_json().and_then(|()| benchapp::run_json()),
        Task::Bench { .. } => bench(),
        Task::AttackTable => figures::attack_tables(),
        Task::Worker => tools::ensure_build_tools().and_then(|()| site::build_worker()),
        Task::BenchWeb { readme_only: true, .. } => benchweb::readme_from_json(),
        Task::BenchWeb { people, queries, json, .. } => {
            let list: Vec<String> = people.iter().map(u32::to_string).collect();
            let mut args = vec!["--people".to_string(), list.join(","), "--queries".into(), queries.to_string()];
            if json {
                args.push("--json".into());
            }
            benchweb::run_bench(&args, json)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

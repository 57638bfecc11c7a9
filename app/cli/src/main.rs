//! The `within500` binary: parse the command line, run it, exit with 0 or 2.

use std::process::ExitCode;

use within500_cli::{parse, run, Parsed};

fn main() -> ExitCode {
    match parse(std::env::args_os()) {
        Parsed::Run(cli) => match run(cli) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(2)
            }
        },
        Parsed::Print(text, status) => {
            if status == 0 {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            ExitCode::from(status)
        }
        Parsed::Error(line) => {
            eprintln!("{line}");
            ExitCode::from(2)
        }
    }
}

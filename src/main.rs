//! `spofsim`: find single points of failure in infrastructure designs.
//!
//! This binary is the IO edge: it reads files, calls `sim-core`, renders results and
//! picks the exit code (0 ok, 1 findings, 2 invalid input or usage). Machine output goes
//! to stdout; diagnostics and progress go to stderr.

mod commands;
mod flags;
mod inputs;
mod progress;

use spofsim::{render, report};

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match flags::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = render::ColorMode::resolve(cli.color);
    // Reports on stdout colour only when stdout is a terminal (or `--color always`).
    let stdout_color = {
        use std::io::IsTerminal;
        render::ColorMode::resolve_for(cli.color, std::io::stdout().is_terminal())
    };
    let status = match cli.command {
        flags::Command::Analyze(args) => commands::analyze::run(&args, color, stdout_color),
        flags::Command::Blast(args) => commands::blast::run(&args, color),
        flags::Command::Check(args) => commands::check::run(&args, color, stdout_color),
        flags::Command::Simulate(args) => commands::simulate::run(&args, color),
        flags::Command::Merge(args) => commands::simulate::merge(&args),
        flags::Command::Report(args) => commands::report::run(&args, color),
        flags::Command::Diff(args) => commands::diff::run(&args, color),
        flags::Command::Init(args) => commands::init::run(&args),
        flags::Command::Explain(args) => commands::explain::run(&args),
        flags::Command::Validate(args) => commands::validate::run(&args, color),
        flags::Command::Schema(args) => commands::schema::run(&args),
        flags::Command::Generate(what) => commands::generate::run(&what),
        flags::Command::Export(args) => commands::export::run(&args, color),
        flags::Command::Import(flags::ImportCommand::Netbox(args)) => commands::import::netbox(&args),
    };
    ExitCode::from(status as u8)
}

/// Exit statuses, as documented in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    Findings = 1,
    Invalid = 2,
}

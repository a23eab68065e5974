//! `spofsim generate`: write a generated scenario to stdout.

use std::io::Write;

use crate::flags::GenerateCommand;
use crate::Status;

pub fn run(what: &GenerateCommand) -> Status {
    let text = match *what {
        GenerateCommand::FatTree { k, feeds_per_pod } => {
            if k < 2 || k % 2 == 1 {
                eprintln!("error: --k must be an even number ≥ 2 (got {k})");
                return Status::Invalid;
            }
            sim_core::generate::fat_tree(k, feeds_per_pod)
        }
        GenerateCommand::Random { components, seed } => sim_core::generate::random(components, seed),
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    Status::Ok
}

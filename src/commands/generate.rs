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
        GenerateCommand::ThreeTier { sites, racks, servers_per_rack } => {
            if sites == 0 || racks == 0 || racks * servers_per_rack < 3 {
                eprintln!(
                    "error: each site needs a rack and three servers, one per tier (got --sites {sites} --racks {racks} --servers-per-rack {servers_per_rack})"
                );
                return Status::Invalid;
            }
            // Every third server of a site runs the database; its cluster needs two.
            if sites * (racks * servers_per_rack / 3) < 2 {
                eprintln!(
                    "error: the database cluster needs two nodes, and every third server of a site runs one: use --servers-per-rack 6 or more with one site and one rack, or --sites 2 (got --sites {sites} --racks {racks} --servers-per-rack {servers_per_rack})"
                );
                return Status::Invalid;
            }
            sim_core::generate::three_tier(sites, racks, servers_per_rack)
        }
        GenerateCommand::Random { components, seed } => sim_core::generate::random(components, seed),
    };
    let _ = std::io::stdout().write_all(text.as_bytes());
    Status::Ok
}

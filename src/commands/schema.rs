//! `spofsim schema`: print the scenario language's JSON Schema (draft-07).

use std::io::Write;

use crate::flags::SchemaArgs;
use crate::Status;

pub fn run(_: &SchemaArgs) -> Status {
    let _ = std::io::stdout().write_all(sim_core::schema::scenario_schema_text().as_bytes());
    Status::Ok
}

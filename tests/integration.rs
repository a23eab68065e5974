//! End-to-end tests: run the built `spofsim` on files and compare stdout, stderr and
//! exit codes with expected text kept next to the inputs. Set `UPDATE_EXPECT=1` to
//! rewrite the expected files after an intended change (then review the diff).

#[path = "harness.rs"]
mod harness;

mod cli;
mod corpus;
mod netbox;
mod schema;
mod scram;

//! One module per subcommand.

pub mod analyze;
pub mod blast;
pub mod check;
pub mod diff;
pub mod explain;
pub mod export;
pub mod generate;
pub mod import;
pub mod init;
pub mod report;
pub mod schema;
pub mod simulate;
pub mod validate;

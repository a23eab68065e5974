//! One module per subcommand.

pub mod analyze;
pub mod export;
pub mod generate;
pub mod schema;
pub mod validate;

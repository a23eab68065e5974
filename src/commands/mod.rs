//! One module per subcommand.

pub mod analyze;
pub mod export;
pub mod schema;
pub mod validate;

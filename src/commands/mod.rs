//! One module per subcommand.

pub mod export;
pub mod schema;
pub mod validate;

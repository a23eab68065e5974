//! spofsim's engine: the scenario language, the compiled model, and (in later
//! modules) the analyses and the simulator. It does no IO: it takes text and returns
//! data, so the CLI, the desktop GUI and the browser demo share it unchanged, and it
//! compiles for `wasm32-unknown-unknown`.
//!
//! Data flows one way: text → [`syntax`] → [`scenario`] (decode + lower through the
//! [`mechanisms`] registry) → [`model`] → [`export`] / analyses → reports.

pub mod analysis;
pub mod check;
pub mod de;
pub mod diagnostics;
pub mod diff;
pub mod explain;
pub mod export;
pub mod generate;
pub mod lints;
pub mod mechanisms;
pub mod mef;
pub mod model;
pub mod netbox;
pub mod scenario;
pub mod schema;
pub mod simulate;
pub mod syntax;
pub mod timed;
pub mod units;

pub use diagnostics::{Code, Diagnostic, Severity};
pub use scenario::{load, load_layers, Loaded};

/// The spofsim version, printed in reports.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

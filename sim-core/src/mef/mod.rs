//! Open-PSA Model Exchange Format (MEF): import fault trees to analyse them, and
//! export a scenario service's fault tree so an independent tool (SCRAM) can check it.

mod export;
mod import;

pub use export::to_mef;
pub use import::{import, Imported};

//! One panel per file, each a `*_ui` function drawing from the app state.

pub mod availability;
pub mod editor;
pub mod findings;
pub mod inspector;
pub mod menu;
pub mod simulation;
pub mod status;
pub mod topology;
pub mod whatif;

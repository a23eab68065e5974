//! spofsim desktop app (egui/eframe). This crate is a library so the native binary and
//! the web demo share it; its UI arrives with the GUI issue. For now it carries what
//! both front ends need first: the bundled example scenarios, loaded through the same
//! `sim-core` API as the CLI.

pub mod examples;

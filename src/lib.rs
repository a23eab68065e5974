//! The renderers behind the `spofsim` CLI, as a library so the desktop app writes the
//! same reports: one output format per file in [`report`], the plots in [`plots`], and
//! the report folder ([`report::folder`]). Pure functions of sim-core results, except
//! where a function says it writes files.

#[cfg(feature = "netbox-http")]
pub mod netbox_http;
pub mod plots;
pub mod render;
pub mod report;

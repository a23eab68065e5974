//! Scenario generators: valid scenario text for tests, benchmarks and demos.
//! Deterministic: the same parameters (and seed) give byte-identical text on every
//! platform (ChaCha8 is a portable generator).

mod fat_tree;
mod multi_tier;
mod random;
mod three_tier;

pub use fat_tree::fat_tree;
pub use multi_tier::{half_cabled_members, multi_tier, MAX_FAILABLE as MULTI_TIER_MAX_FAILABLE};
pub use random::random;
pub use three_tier::three_tier;

use serde_json::Value;

/// Pretty JSON text with a trailing newline.
fn to_text(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

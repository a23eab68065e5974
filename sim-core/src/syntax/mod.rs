//! Surface syntax: JSONC text → a span-annotated value tree.
//!
//! The tree keeps the byte span of every key and value, so every later diagnostic can
//! point at the exact place in the file. Nothing here knows about scenarios.

mod jsonc;
mod span;

pub use jsonc::{parse, Key, Node, Number, Value, MAX_DEPTH};
pub use span::{LineIndex, Span};

#!/usr/bin/env bash
# spofsim's BDD engine against OxiDD 0.13.0 on the Aralia fault trees (top-event BDD
# and exact probability, same variable order): prints a Markdown table. Median of RUNS
# runs (default 5; das9701 once). Extra arguments go to the benchmark, e.g.
# `bench/oxidd.sh --skip das9701`. The crate is outside the workspace (bench/oxidd/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target/oxidd}
cargo run --release --manifest-path bench/oxidd/Cargo.toml -- tests/data/aralia "$@"

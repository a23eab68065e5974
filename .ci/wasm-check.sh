#!/usr/bin/env bash
# `cargo check -p sim-core -p spofsim-gui --target wasm32-unknown-unknown` (the engine
# and the app the browser demo runs), using Debian's rustc-web
# with build-std (rustup cannot add the wasm32 target on this machine; see
# ../shared/notes/wasm-build.md). On a machine with `rustup target add
# wasm32-unknown-unknown`, plain `cargo check -p sim-core -p spofsim-gui --lib --target
# wasm32-unknown-unknown` is equivalent.
set -euo pipefail
cd "$(dirname "$0")/.."
if rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  exec cargo check -p sim-core -p spofsim-gui --lib --target wasm32-unknown-unknown
fi
prefix=$(./.ci/install-rustweb.sh)
RUSTC="$prefix/bin/rustc" RUSTC_BOOTSTRAP=1 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$prefix/bin/wasm-ld" \
  cargo check -p sim-core -p spofsim-gui --lib --target wasm32-unknown-unknown -Z build-std=std,panic_abort \
  --target-dir target/web

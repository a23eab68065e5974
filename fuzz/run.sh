#!/usr/bin/env bash
# Runs a fuzz target (default load_scenario; also import_mef, import_netbox) for SECONDS (default 60)
# and prints libFuzzer's final statistics. Installs cargo-fuzz if needed. Uses the stable toolchain with
# RUSTC_BOOTSTRAP=1 (cargo-fuzz needs nightly flags; only stable is installable here).
# Seeds the corpus with every scenario and test case. Exit status 0 = no crash.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
target=${2:-load_scenario}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --version 0.13.1
mkdir -p "corpus/$target"
case "$target" in
  import_mef) find ../tests/data -name '*.xml' -exec cp {} "corpus/$target/" \; ;;
  # NUL-separated NetBox responses, in sim_core::netbox::ENDPOINTS order.
  import_netbox) cp seeds/import_netbox/* "corpus/$target/" ;;
  *) find ../scenarios ../tests/cases -name '*.jsonc' -exec cp {} "corpus/$target/" \; ;;
esac
export RUSTC_BOOTSTRAP=1
cargo fuzz build "$target"
# -dict guides mutations toward the language's keywords.
cargo fuzz run "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -dict=scenario.dict -print_final_stats=1 -max_len=16384 2>&1 \
  | grep -E 'stat::number_of_executed_units|stat::peak_rss_mb|ERROR|panicked|Done' || true
# cargo fuzz run exits non-zero on a crash; re-check that no artifact was written.
if ls "artifacts/$target"/crash-* >/dev/null 2>&1; then
  echo "fuzz: crash artifacts in fuzz/artifacts/$target" >&2
  exit 1
fi

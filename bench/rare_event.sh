#!/usr/bin/env bash
# Rare-event estimator against crude simulation on a design with U = 1e-9 (issue 17):
# bench/rare/three-way.jsonc, with --ideal (no delays) and with every mechanism on.
# Prints one line per run: wall seconds, then the estimate with its interval. Crude
# simulation gets about the same wall time as the rare-event run beside it.
# Usage: bench/rare_event.sh   (after cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SPOFSIM:-target/release/spofsim}
file=bench/rare/three-way.jsonc
run() {
  local start end
  start=$(date +%s.%N)
  "$bin" "$@" -q > /tmp/spofsim-rare-bench.out
  end=$(date +%s.%N)
  printf '%6.2f s  %s\n' "$(echo "$end - $start" | bc)" "$*"
  grep -E '^  (unavailability|below full|evidence|unreliable)|force cap|^  availability|outages ' /tmp/spofsim-rare-bench.out | sed 's/^/          /'
}
run simulate "$file" --rare-event --ideal --cycles 1000000
run simulate "$file" --rare-event --ideal --cycles 8000000
run simulate "$file" --rare-event --cycles 1000000
run simulate "$file" --rare-event --cycles 4000000
run simulate "$file" --ideal --years 20000 --replications 100
run simulate "$file" --years 20000 --replications 100

#!/usr/bin/env bash
# Peak memory of a crude simulation against simulated time (issue 17): the same small
# design (bench/memory/small.jsonc) for 1 million and for 100 million simulated years
# (100 replications of 10,000 and of 1,000,000 years), and for 1 million years as
# 10,000 replications of 100. Prints wall seconds and peak resident memory (GNU time's
# %M, in KiB) per run. Goal: equal within 10%.
# Usage: bench/memory.sh   (after cargo build --release; SPOFSIM=path for another binary)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${SPOFSIM:-target/release/spofsim}
file=bench/memory/small.jsonc
run() {
  /usr/bin/time -f "%e s  peak %M KiB" -o /tmp/spofsim-memory-bench.time "$bin" simulate "$file" "$@" -q > /dev/null
  printf '%-32s %s\n' "$*" "$(cat /tmp/spofsim-memory-bench.time)"
}
run --years 10000 --replications 100
run --years 100 --replications 10000
run --years 1000000 --replications 100

#!/usr/bin/env bash
# Exact analysis at scale: wall time of `spofsim analyze` (default --budget-secs 5) on
# generated designs, and what it printed: the exact unavailability or certified bounds
# with their gap. Also two-terminal reliability of grids of switches whose links fail,
# side by side with Graphillion (pip install graphillion) when it is installed.
# Usage: bench/exact_scale.sh   (release build; writes to target/bench-scale/)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/spofsim
out=target/bench-scale
mkdir -p "$out"
$bin generate three-tier --sites 2 --racks 2 --servers-per-rack 3 > "$out/tt-2x2x3.json"
$bin generate three-tier --sites 1 --racks 4 --servers-per-rack 10 > "$out/tt-1x4x10.json"
$bin generate fat-tree --k 8 > "$out/fat-tree-8.json"
$bin generate fat-tree --k 16 > "$out/fat-tree-16.json"
$bin generate random --components 3000 > "$out/random-3000.json"
python3 bench/grid/grid.py 8 0.01 --scenario-only > /dev/null && cp /tmp/grid-8.json "$out/grid-8.json"
printf '| design | wall s | result |\n|---|---:|---|\n'
for d in tt-2x2x3 tt-1x4x10 fat-tree-8 fat-tree-16 random-3000 grid-8; do
  start=$(date +%s.%N)
  report=$($bin analyze "$out/$d.json" -q --no-importance --order 1)
  end=$(date +%s.%N)
  figure=$(printf '%s\n' "$report" | grep -m1 -E 'top-event probability|unavailability +between' | sed 's/^ *//')
  printf '| %s | %.2f | %s |\n' "$d" "$(echo "$end - $start" | bc)" "$figure"
done
if python3 -c 'import graphillion' 2>/dev/null; then
  echo
  echo "Graphillion, 8x8 grid, q = 0.01:"
  python3 bench/grid/grid.py 8 0.01 | tail -1
fi

#!/usr/bin/env bash
# Side-by-side wall time: spofsim vs SCRAM 0.16 on the Aralia fault trees (minimal cut
# sets of every order + exact top-event probability, both by BDD), and spofsim's
# order-1 SPOF analysis of a k=48 fat-tree. Prints a Markdown table for BENCHMARKS.md.
# Each figure is the median of RUNS runs (default 7). Needs: scram (Debian package).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-7}
cargo build --release -q
bin=target/release/spofsim
command -v scram >/dev/null || { echo "scram is not installed (apt-get install scram)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# median wall time in ms of a command (stdout discarded)
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "| tree | minimal cut sets (both) | SCRAM ms | spofsim ms | speed-up |"
echo "|---|---:|---:|---:|---:|"
for f in tests/data/aralia/*.xml; do
  name=$(basename "$f" .xml)
  # SCRAM does not finish these in 300 s; BENCHMARKS.md gives their figures by hand.
  case $name in das9701 | nus9601) continue ;; esac
  products=$($bin analyze "$f" --order all --no-importance --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["cut_sets"]["total"])')
  s=$(median_ms scram --bdd --probability true --limit-order 64 "$f" -o "$tmp/out.xml")
  o=$(median_ms "$bin" analyze "$f" --order all --no-importance --format json)
  echo "| $name | $products | $s | $o | $(awk -v s="$s" -v o="$o" 'BEGIN {printf "%.1fx", s/o}') |"
done

echo
$bin generate fat-tree --k 48 > "$tmp/ft48.json"
echo "| fat-tree k=48 (\`spofsim analyze --order 1\`) | wall ms |"
echo "|---|---:|"
echo "| load only (\`spofsim validate\`) | $(median_ms "$bin" validate "$tmp/ft48.json") |"
echo "| single points of failure, explained, with lints | $(median_ms "$bin" analyze "$tmp/ft48.json" --order 1) |"

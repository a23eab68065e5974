#!/usr/bin/env bash
# spofsim vs SCRAM 0.16 on generated three-tier designs (`spofsim generate three-tier`),
# exported as Open-PSA fault trees so both tools solve the same tree: exact top-event
# probability and the order-1 cut sets (SPOFs), both by BDD. Also spofsim's whole
# default analysis of the scenario (cut sets to order 3 and importance). SCRAM runs
# once per tree with a time limit (LIMIT seconds, default 120); spofsim is the median
# of RUNS runs (default 3). Prints a Markdown table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
limit=${LIMIT:-120}
cargo build --release -q
bin=target/release/spofsim
command -v scram >/dev/null || { echo "scram is not installed (apt-get install scram)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ms() { # wall ms of one run
  local t0 t1
  t0=$(date +%s%N)
  "$@" >/dev/null 2>&1 || return 1
  t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do times+=("$(ms "$@")"); done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

echo "| design | basic events | P(shop down), SCRAM | P(shop down), spofsim | SCRAM ms (order 1) | spofsim ms (order 1) | spofsim ms (scenario, order 3 + importance) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for size in "1 2 6" "1 3 6"; do
  set -- $size
  name="${1}x${2}x${3}"
  $bin generate three-tier --sites "$1" --racks "$2" --servers-per-rack "$3" > "$tmp/$name.json"
  $bin export "$tmp/$name.json" --to openpsa --service shop > "$tmp/$name.xml"
  events=$(grep -c '<define-basic-event' "$tmp/$name.xml")
  if s=$(timeout "$limit" bash -c "$(declare -f ms); ms scram --bdd --probability true --limit-order 1 '$tmp/$name.xml' -o '$tmp/$name-scram.xml'"); then
    sp=$(grep -o 'probability="[^"]*"' "$tmp/$name-scram.xml" | head -1 | cut -d'"' -f2)
  else
    s="> ${limit}000 (stopped)"; sp="—"
  fi
  o=$(median_ms "$bin" analyze "$tmp/$name.xml" --order 1 --no-importance --format json)
  op=$($bin analyze "$tmp/$name.xml" --order 1 --no-importance --format json | python3 -c 'import json,sys; print("%.6g" % json.load(sys.stdin)["results"][0]["unavailability"])')
  full=$(median_ms "$bin" analyze "$tmp/$name.json")
  echo "| three-tier $name | $events | $sp | $op | $s | $o | $full |"
done

#!/usr/bin/env bash
# Issue 15 §9: the cost of an event must not grow with the number of tiers.
# N mirrored pairs in series (bench/simulate/pairs.py), spofsim `simulate --ideal` on
# 1 thread against the same design hand-written in SimPy 4.1.2
# (bench/simulate/pairs_simpy.py), both at about EVENTS events per run (default 1M).
# Then, at 200 pairs: a service through 1 tier, through 200 tiers, and 200 services of
# one tier each. Prints Markdown tables for BENCHMARKS.md.
# usage: bench/simulate_pairs.sh            (EVENTS=1000000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/spofsim
work=target/bench-pairs
mkdir -p "$work"
if [ "$(python3 -c 'import simpy; print(simpy.__version__)' 2>/dev/null)" != "4.1.2" ]; then
  python3 -m pip install --quiet simpy==4.1.2
fi
events=${EVENTS:-1000000}
# Events per pair-year: 2 servers x (1 failure + 1 repair) per MTBF + MTTR.
years_for() { python3 -c "import sys; print(max(1, round($events / ($1 * 4 * 8760 / 50008))))"; }

# Wall seconds, events and availability of one spofsim run (2 replications, 1 thread).
spofsim_run() {
  local design=$1 years=$2 start end
  start=$(date +%s.%N)
  "$bin" simulate "$design" --ideal --years "$years" --replications 2 --threads 1 --format json -q > "$work/out.json"
  end=$(date +%s.%N)
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(float(sys.argv[3]) - float(sys.argv[2]), j["events"], j["services"][0]["availability"])' "$work/out.json" "$start" "$end"
}

printf '| pairs | spofsim events/s | SimPy events/s | spofsim / SimPy | spofsim availability | closed form |\n|---|---|---|---|---|---|\n'
for n in 10 20 50 100 200 500 1000; do
  python3 bench/simulate/pairs.py "$n" > "$work/pairs-$n.json"
  years=$(years_for "$n")
  read -r secs ev avail < <(spofsim_run "$work/pairs-$n.json" $((years / 2 + 1)))
  read -r simpy_eps closed < <(python3 bench/simulate/pairs_simpy.py "$n" "$years" 1 |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["events_per_sec"], r["closed_form"])')
  eps=$(echo "$ev / $secs" | bc -l)
  printf '| %s | %.0f | %.0f | %.2fx | %.9f | %.9f |\n' "$n" "$eps" "$simpy_eps" "$(echo "$eps / $simpy_eps" | bc -l)" "$avail" "$closed"
done

echo
printf '| 200 pairs | wall seconds | events |\n|---|---|---|\n'
years=$(years_for 200)
python3 bench/simulate/pairs.py 200 1 > "$work/one-tier.json"
python3 bench/simulate/pairs.py 200 > "$work/all-tiers.json"
python3 bench/simulate/pairs.py 200 1 200 > "$work/many-services.json"
for case in one-tier all-tiers many-services; do
  read -r secs ev _ < <(spofsim_run "$work/$case.json" $((years / 2 + 1)))
  printf '| %s | %.2f | %s |\n' "$case" "$secs" "$ev"
done

#!/usr/bin/env bash
# Simulation benchmarks (issue 4), printed as a Markdown table for BENCHMARKS.md:
#   1. events per second per core on a ~1,000-component generated design with full
#      dependency propagation (network paths included): spofsim against the same model
#      hand-written in SimPy 4.1.2 (bench/simulate/simpy_model.py), both with exponential
#      failures and instant failover (`--ideal`), so they simulate the same thing;
#   2. the same with every timing mechanism on (spofsim only: SimPy has none);
#   3. scaling from 1 to 2 threads;
#   4. a long run: 10,000 simulated years of a ~740-element design on 2 threads.
# usage: bench/simulate.sh            (SIMPY_YEARS=100 by default; more is steadier)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/spofsim
work=target/bench-simulate
mkdir -p "$work"
if [ "$(python3 -c 'import simpy; print(simpy.__version__)' 2>/dev/null)" != "4.1.2" ]; then
  python3 -m pip install --quiet simpy==4.1.2
fi
"$bin" generate random --components 3400 --seed 1 > "$work/design-1000.json"
"$bin" generate random --components 1500 --seed 2 > "$work/design-740.json"
"$bin" export "$work/design-1000.json" --to model-json > "$work/design-1000.model.json"
elements() { "$bin" validate "$1" 2>/dev/null | sed -n 's/.*: \([0-9]*\) elements.*/\1/p'; }

# Wall seconds and events of one spofsim run.
run() {
  local start end
  start=$(date +%s.%N)
  "$bin" simulate "$@" --format json -q > "$work/out.json"
  end=$(date +%s.%N)
  local events
  events=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["events"])' "$work/out.json")
  echo "$(echo "$end - $start" | bc -l) $events"
}

read -r simpy_eps simpy_avail < <(python3 bench/simulate/simpy_model.py "$work/design-1000.model.json" "${SIMPY_YEARS:-100}" 1 |
  python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["events_per_sec"], r["availability"]["app"])')
read -r t1 e1 < <(run "$work/design-1000.json" --ideal --years 1000 --replications 16 --threads 1)
ideal_avail=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["services"][0]; print(s["availability"], s["availability_ci95"][0], s["availability_ci95"][1])' "$work/out.json")
read -r t2 e2 < <(run "$work/design-1000.json" --ideal --years 1000 --replications 16 --threads 2)
read -r tf ef < <(run "$work/design-1000.json" --years 1000 --replications 16 --threads 1)
read -r tl el < <(run "$work/design-740.json" --years 100 --replications 100 --threads 2)

eps1=$(echo "$e1 / $t1" | bc -l)
printf '| measure | result |\n|---|---|\n'
printf '| model | generated design, %s elements (`generate random --components 3400 --seed 1`) |\n' "$(elements "$work/design-1000.json")"
printf '| SimPy 4.1.2, 1 core, %s years | %.0f events/s (availability %.5f) |\n' "${SIMPY_YEARS:-100}" "$simpy_eps" "$simpy_avail"
printf '| spofsim --ideal, 1 thread, 16 x 1000 years | %.0f events/s, %s events in %.2f s (availability, 95%% CI: %s) |\n' "$eps1" "$e1" "$t1" "$ideal_avail"
printf '| spofsim / SimPy per core | %.1fx |\n' "$(echo "$eps1 / $simpy_eps" | bc -l)"
printf '| spofsim, every mechanism, 1 thread | %.0f events/s (%s events in %.2f s) |\n' "$(echo "$ef / $tf" | bc -l)" "$ef" "$tf"
printf '| 1 -> 2 threads (--ideal) | %.2fx (%.2f s -> %.2f s) |\n' "$(echo "$t1 / $t2" | bc -l)" "$t1" "$t2"
printf '| long run: 10,000 years of %s elements, 2 threads | %.2f s (%s events) |\n' "$(elements "$work/design-740.json")" "$tl" "$el"

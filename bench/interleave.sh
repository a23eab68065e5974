#!/usr/bin/env bash
# Two spofsim binaries side by side on the designs of bench/exact_scale.sh (run that
# first: it writes them to target/bench-scale/): `spofsim analyze FILE -q
# --no-importance --order 1`, runs interleaved (old, new, old, new, ...), 3 each; prints
# the median wall seconds of each, whether the two reports are byte-identical, and the
# figure. Usage: bench/interleave.sh OLD_BINARY NEW_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:?usage: bench/interleave.sh OLD_BINARY NEW_BINARY}; new=${2:?usage: bench/interleave.sh OLD_BINARY NEW_BINARY}
out=$(mktemp -d)
printf '| design | old wall s | new wall s | reports | figure |\n|---|---:|---:|---|---|\n'

for d in tt-2x2x3 tt-1x4x10 fat-tree-8 fat-tree-16 random-3000 grid-8; do
  f=target/bench-scale/$d.json
  o=(); n=()
  for i in 1 2 3; do
    s=$(date +%s.%N); $old analyze $f -q --no-importance --order 1 > $out/o-$d.txt; e=$(date +%s.%N); o+=($(echo "$e - $s" | bc))
    s=$(date +%s.%N); $new analyze $f -q --no-importance --order 1 > $out/n-$d.txt; e=$(date +%s.%N); n+=($(echo "$e - $s" | bc))
  done
  mo=$(printf '%s\n' "${o[@]}" | sort -n | sed -n 2p); mn=$(printf '%s\n' "${n[@]}" | sort -n | sed -n 2p)
  same=$(cmp -s $out/o-$d.txt $out/n-$d.txt && echo same || echo DIFFERENT)
  fig=$(grep -m1 -E 'top-event probability|unavailability +between' $out/n-$d.txt | sed 's/^ *//' | cut -c1-90)
  printf '| %s | %.2f | %.2f | %s | %s |\n' $d $mo $mn "$same" "$fig"
done

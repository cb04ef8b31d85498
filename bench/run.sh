#!/usr/bin/env bash
# Run the scale grid one instance per process (each under a wall-clock
# timeout and a memory cap, so that one instance too big for the machine
# cannot take it down), appending to bench/results/scale.csv and scale.md,
# then draw bench/results/scale.png.
#
# usage: bench/run.sh [BUILD_DIR]
#   env: TENANTS="10 100 1000" CLUSTERS="10 100 1000" TIME_LIMIT=60
#        SEED=1 LOAD=0.8 INSTANCE_TIMEOUT=1800 MEM_KB=20000000
#        BENCH_ARGS="--write-max 1e6"  (more options of `bench scale`)
#        KEEP=1  (append to the results instead of starting them anew)
#        NAME=scale  (the results are bench/results/NAME.{csv,md,log,png})
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench=$build/bench/bench
out=bench/results
name=${NAME:-scale}
tenants=${TENANTS:-10 100 1000}
clusters=${CLUSTERS:-10 100 1000}
mkdir -p "$out"
[ -n "${KEEP:-}" ] || rm -f "$out/$name.csv" "$out/$name.md" "$out/$name.log"
# smallest instances first: the pairs are T * 12 * N
pairs=()
for t in $tenants; do for n in $clusters; do pairs+=("$((t * n)) $t $n"); done; done
mapfile -t order < <(printf '%s\n' "${pairs[@]}" | sort -n -k1,1 -k2,2)
for line in "${order[@]}"; do
  read -r _ t n <<<"$line"
  echo "== T=$t N=$n ($(date +%T))" | tee -a "$out/$name.log"
  ( ulimit -v "${MEM_KB:-20000000}"
    exec timeout -k 30 "${INSTANCE_TIMEOUT:-1800}" "$bench" scale \
      --tenants "$t" --clusters "$n" --time-limit "${TIME_LIMIT:-60}" \
      --seed "${SEED:-1}" --load "${LOAD:-0.8}" \
      --csv "$out/$name.csv" --table "$out/$name.md" --append ${BENCH_ARGS:-} ) \
    >>"$out/$name.log" 2>&1
  rc=$?
  if [ $rc -ne 0 ]; then
    echo "   T=$t N=$n did not finish (exit $rc; 124 = timeout)" | tee -a "$out/$name.log"
    echo "| T$t x N$n | did not finish: exit $rc (124 = the ${INSTANCE_TIMEOUT:-1800} s timeout, else see $name.log) |" >>"$out/$name.md"
  fi
done
if command -v gnuplot >/dev/null; then
  gnuplot -e "csv='$out/$name.csv'; out='$out/$name.png'" bench/plot.gp
fi

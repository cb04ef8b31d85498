#!/usr/bin/env bash
# Build libplace's libFuzzer targets with clang and run each for a bounded
# time, one after another, on one core.
#
# usage: scripts/fuzz.sh [-t SECONDS] [-d BUILD_DIR] [--merge] [TARGET...]
#   TARGET      yaml json decode quantity selector (default: all)
#   -t SECONDS  per target (default 30)
#   -d DIR      build directory (default build-fuzz)
#   --merge     afterwards, add the inputs that found new coverage to
#               fuzz/corpus/TARGET (minimised with -merge=1)
#
# The search starts from fuzz/corpus/TARGET and fuzz/regressions/TARGET and
# writes what it finds to DIR/corpus/TARGET, so the checkout stays clean.
# A crash, leak, timeout or broken invariant is saved in DIR/artifacts/ and
# makes the script fail; copy it to fuzz/regressions/TARGET/ with the fix so
# that the ctest fuzz_replay_TARGET keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=30
dir=build-fuzz
merge=0
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    -t) secs=$2; shift 2 ;;
    -d) dir=$2; shift 2 ;;
    --merge) merge=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=(yaml json decode quantity selector)

if ! command -v clang >/dev/null; then
  echo "fuzz.sh: clang is needed (apt-get install clang)" >&2
  exit 2
fi
CC=clang cmake -S . -B "$dir" -DPLACE_FUZZ=ON -DPLACE_BUILD_BENCH=OFF \
  -DPLACE_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null

status=0
for t in "${targets[@]}"; do
  case $t in
    quantity) max_len=128 ;;
    selector) max_len=1024 ;;
    *) max_len=16384 ;;
  esac
  work="$dir/corpus/$t"
  art="$dir/artifacts/$t"
  mkdir -p "$work" "$art"
  echo "== fuzz_$t: ${secs}s"
  if ! "$dir/fuzz/fuzz_$t" "$work" "fuzz/corpus/$t" "fuzz/regressions/$t" \
      -dict="fuzz/dict/$t.dict" -max_len="$max_len" -max_total_time="$secs" \
      -timeout=25 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -artifact_prefix="$art/" -print_final_stats=1 \
      >"$dir/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FAILED; see $dir/fuzz_$t.log and $art/" >&2
    grep -E "ERROR|invariant broken|SUMMARY" "$dir/fuzz_$t.log" | head -5 >&2 || true
    status=1
  fi
  grep -E "^stat::(number_of_executed_units|peak_rss_mb|new_units_added)" \
    "$dir/fuzz_$t.log" | sed 's/^/  /' || true
  if [ $merge = 1 ]; then
    "$dir/fuzz/fuzz_$t" -merge=1 -max_len="$max_len" "fuzz/corpus/$t" "$work" \
      >>"$dir/fuzz_$t.log" 2>&1
  fi
done
exit $status

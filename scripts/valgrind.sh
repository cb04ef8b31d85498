#!/usr/bin/env bash
# Run libplace's tests under valgrind (memcheck): invalid reads and writes,
# uses of uninitialised memory (which the sanitizers do not see, least of
# all in GLPK, libyaml and cJSON, which are not instrumented) and definite
# leaks are failures.
#
# usage: scripts/valgrind.sh [BUILD_DIR]   (a plain build, not PLACE_SANITIZE)
#
# What runs (chosen to stay within a few minutes; the whole API suite under
# valgrind takes about ten):
#   - every fuzz corpus and regression through its replay driver (one
#     process each: reading, decoding, solving and writing end to end);
#   - the whole unit suite;
#   - the API suites for encodings and the solver's numbers.
# Criterion runs each test in a child process: --trace-children follows it.
# PLACE_TEST_TIME_FACTOR relaxes the tests' time bounds.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
vg=(valgrind --error-exitcode=99 --leak-check=full
    --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --quiet)
export PLACE_TEST_TIME_FACTOR=50

if ! command -v valgrind >/dev/null; then
  echo "valgrind.sh: valgrind is needed (apt-get install valgrind)" >&2
  exit 2
fi
status=0
# With --quiet, valgrind writes only what it finds: any "==PID==" line is
# a failure. (Criterion ignores a test process's exit status once the test
# has passed, so --error-exitcode alone would not catch errors or leaks in
# the tests.)
run() {
  local name=$1; shift
  local t0=$SECONDS
  if "$@" >"$dir/valgrind-$name.log" 2>&1 &&
     ! grep -qE "^==[0-9]+== " "$dir/valgrind-$name.log"; then
    echo "  $name: clean ($((SECONDS - t0)) s)"
  else
    echo "  $name: FAILED ($((SECONDS - t0)) s); see $dir/valgrind-$name.log" >&2
    grep -E "^==[0-9]+== [A-Z0-9]|FAIL|Assert" "$dir/valgrind-$name.log" |
      head -10 >&2 || true
    status=1
  fi
}

echo "== valgrind: fuzz corpora"
for t in yaml json decode quantity selector; do
  run "fuzz-$t" "${vg[@]}" "$dir/fuzz/fuzz_replay_$t" "fuzz/corpus/$t" \
    "fuzz/regressions/$t"
done
echo "== valgrind: unit tests"
run unit "${vg[@]}" --trace-children=yes "$dir/tests/test_unit" --jobs 2
echo "== valgrind: API tests (encoding, solver)"
run api-encoding "${vg[@]}" --trace-children=yes "$dir/tests/test_api" \
  --jobs 2 --filter 'encoding/*'
run api-solver "${vg[@]}" --trace-children=yes "$dir/tests/test_api" \
  --jobs 2 --filter 'solver/huge*'
exit $status

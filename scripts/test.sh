#!/usr/bin/env bash
# Build libplace with warnings as errors and run every test.
# usage: scripts/test.sh [BUILD_DIR]   (extra CMake flags in $PLACE_CMAKE_FLAGS)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
# shellcheck disable=SC2086
cmake -S . -B "$dir" -DPLACE_WERROR=ON ${PLACE_CMAKE_FLAGS:-} >/dev/null
cmake --build "$dir" -j"$(nproc)"
ctest --test-dir "$dir" --output-on-failure
# Criterion reports a test that passed before LeakSanitizer ran (at the
# exit of the test's process) as passed: look for the report itself.
log="$dir/Testing/Temporary/LastTest.log"
if [ -f "$log" ] && grep -q "ERROR: LeakSanitizer" "$log"; then
  echo "LeakSanitizer found leaks; see $log:" >&2
  grep -A12 "ERROR: LeakSanitizer" "$log" | head -40 >&2
  exit 1
fi

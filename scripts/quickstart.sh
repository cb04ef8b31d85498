#!/usr/bin/env bash
# Quick start: install what is missing (Debian), build libplace, and place the
# storefront demo's scenario 3 with ranked decisions and explanations.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
echo "== place solve: the storefront demo, scenario 3 (examples/storefront/README.md)"
set +e
./build/place solve examples/storefront/clusters.yaml examples/storefront/shop.yaml examples/storefront/scenario-3.yaml
code=$?
set -e
echo "== exit code $code (0: every replica placed, 1: some unplaced)"
echo "== all scenarios: scripts/demo.sh"

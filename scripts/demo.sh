#!/usr/bin/env bash
# The storefront demo (examples/storefront/README.md): `place solve` on every
# scenario in turn, with a heading for each.
#
# usage: scripts/demo.sh [--json] [PLACE SOLVE OPTIONS...]
#   --json   run the JSON version (ClusterAdvertisements instead of Nodes)
#   other options go to `place solve`, e.g. --output json, --no-timings
# The command is ./build/place unless $PLACE names another one.
#
# `place solve` exits 1 when replicas stay unplaced, which scenario 3b
# expects; this script fails only when a scenario ends otherwise
# than expected (or on bad input, 2, and solver failures, 3).
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
place=${PLACE:-$root/build/place}
case $place in
/*) ;;
*/*) place=$PWD/$place ;;
esac
if ! command -v "$place" >/dev/null 2>&1; then
    echo "demo.sh: $place not found: build first (cmake --build build)," \
        "or set PLACE" >&2
    exit 2
fi

dir=$root/examples/storefront
ext=yaml
if [ "${1:-}" = --json ]; then
    dir=$dir/json
    ext=json
    shift
fi
cd "$dir" || exit 2

status=0

# scenario NAME EXPECTED-EXIT-CODE WHAT FILE... (files without extension)
scenario() {
    local name=$1 want=$2 what=$3 rc f
    local args=()
    shift 3
    for f in "$@"; do
        args+=("$f.$ext")
    done
    printf '\n==== Scenario %s\n' "$name"
    printf '==== %s\n' "$what"
    printf '==== $ place solve %s\n\n' "${args[*]}"
    "$place" solve "${solve_opts[@]}" "${args[@]}"
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        printf '\n==== scenario %s: place exited %d, expected %d\n' \
            "$name" "$rc" "$want" >&2
        status=1
    fi
}

solve_opts=("$@")

scenario 1 0 "anything goes: offloaded everywhere; the shop (1570m CPU) \
does not fit the home node (1 CPU); with nothing to prefer, ties go by \
target name, so bit fills first" \
    clusters shop shop-unconstrained scenario-1

scenario 2 0 "offloaded only to gdpr-approved clusters: nothing on bit \
(OffloadingPolicy); sx-demo-all-2 and surf share the shop" \
    clusters shop shop-unconstrained scenario-2

scenario 3 0 "the five constraints: paymentservice and \
productcatalogservice on bit, frontend on sx-demo-all-2, shippingservice \
and emailservice off bit" \
    clusters shop scenario-3

scenario 3b 1 "bit tainted audit=pending:NoSchedule: paymentservice \
unplaced (the taint on bit, compliance mid on sx-demo-all-2 and surf); \
productcatalogservice tolerates the audit and stays on bit" \
    scenario-3b shop scenario-3

scenario 3b-tolerated 0 "paymentservice tolerates the audit: on bit \
again; every replica placed" \
    scenario-3b shop scenario-3b-tolerated

exit $status

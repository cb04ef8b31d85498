#!/bin/sh
# Run examples/controller.c on a temporary folder of cluster advertisements,
# change one file while it polls, and check that it re-solves and prints
# what moved.
#   test_controller.sh PLACE_CONTROLLER SOURCE_DIR
set -eu
ctl=$1
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
watch=$tmp/watch
mkdir "$watch"

fail() { echo "FAIL: $*" >&2; echo "--- controller output:" >&2; cat "$tmp/out" >&2 || true; exit 1; }

# The home node, as in examples/quickstart/federation.yaml.
cat >"$watch/home.yaml" <<'Y'
apiVersion: v1
kind: Node
metadata:
  name: home-1
  labels: {gaia-x.compliance: mid, gaia-x.gdpr-approved: "true"}
status:
  allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
Y
# Two partner clusters; only partner-b has compliance high, which
# shop/payments requires.
partners() { # COMPLIANCE_A COMPLIANCE_B
  cat <<Y
apiVersion: libplace.io/v1alpha1
kind: ClusterAdvertisement
metadata:
  name: partner-a
  labels: {gaia-x.compliance: $1, gaia-x.gdpr-approved: "true"}
spec:
  virtual: true
  allocatable: {cpu: "8", memory: 16Gi, pods: "110"}
---
apiVersion: libplace.io/v1alpha1
kind: ClusterAdvertisement
metadata:
  name: partner-b
  labels: {gaia-x.compliance: $2, gaia-x.gdpr-approved: "false"}
spec:
  virtual: true
  allocatable: {cpu: "8", memory: 16Gi, pods: "110"}
Y
}
partners mid high >"$watch/partners.yaml"

# Three solves: the first, one after a change, one after a broken change.
"$ctl" --interval 100 --iterations 3 "$watch" "$src/examples/quickstart/shop.yaml" \
  >"$tmp/out" 2>&1 &
pid=$!

# Wait for the first placement.
i=0
until grep -q "^solve 1" "$tmp/out" 2>/dev/null; do
  i=$((i + 1))
  [ $i -le 300 ] || fail "no first solve after 30 s"
  kill -0 "$pid" 2>/dev/null || fail "the controller exited early"
  sleep 0.1
done
grep -q "Deployment shop/payments: partner-b x2" "$tmp/out" \
  || fail "payments is not on partner-b at first"

# The audit moves compliance high from partner-b to partner-a. Write the
# new file beside and rename it, so that the controller never reads half.
partners high mid >"$watch/.partners.tmp"
mv "$watch/.partners.tmp" "$watch/partners.yaml"

i=0
until grep -q "^solve 2" "$tmp/out" 2>/dev/null; do
  i=$((i + 1))
  [ $i -le 300 ] || fail "no second solve after 30 s"
  sleep 0.1
done
sleep 0.3
# A broken advertisement: reported, and the last placement kept.
printf 'kind: ClusterAdvertisement\nmetadata: {name: [oops\n' >"$watch/broken.yaml"

i=0
while kill -0 "$pid" 2>/dev/null; do
  i=$((i + 1))
  [ $i -le 300 ] || fail "the controller did not stop after its third solve"
  sleep 0.1
done
wait "$pid" || fail "the controller failed"
pid=""
cat "$tmp/out"
grep -q "^solve 2: partners.yaml changed" "$tmp/out" || fail "no second solve"
grep -q "^moved Deployment shop/payments: partner-b x2 -> partner-a x2$" \
  "$tmp/out" || fail "the move of shop/payments was not printed"
if grep "^moved" "$tmp/out" | grep -v shop/payments; then
  fail "something else moved"
fi
grep -q "^solve 3: broken.yaml added" "$tmp/out" || fail "no third solve"
grep -q "broken.yaml:[0-9]*:[0-9]*: " "$tmp/out" || fail "the error has no location"
grep -q "^keeping the previous placement" "$tmp/out" || fail "not kept"

# --once solves and stops; a folder that does not exist is an error.
rm "$watch/broken.yaml"
"$ctl" --once "$watch" "$src/examples/quickstart/shop.yaml" >"$tmp/out" 2>&1 \
  || fail "--once failed"
grep -q "^solve 1: optimal, all placed" "$tmp/out" || fail "--once: no solve"
if "$ctl" --once "$tmp/none" "$src/examples/quickstart/shop.yaml" >"$tmp/out" 2>&1; then
  fail "a missing folder was accepted"
fi
echo "controller test passed"

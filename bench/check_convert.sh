#!/bin/sh
# The converter against the known optima: each small cloud-balancing
# instance, converted to YAML and to JSON by bench/cloudbalance and solved by
# `place solve`, must place everything at the optimum cost (SOURCE.md).
#   usage: bench/check_convert.sh CLOUDBALANCE PLACE SHARED_DIR
# Exit 77 (skipped) when the shared folder's instances are absent.
cb=$1 place=$2 dir=$3/upstream/optaplanner-cloudbalancing
if [ ! -f "$dir/2computers-6processes.json" ]; then
  echo "SKIP: $dir is absent (the shared folder is not next to the checkout); test skipped"
  exit 77
fi
fail=0
for spec in 2computers-6processes:5460 3computers-9processes:5460 4computers-12processes:7410; do
  name=${spec%%:*} want=${spec##*:}
  for fmt in yaml json; do
    out=$("$cb" --format "$fmt" "$dir/$name.json" 2>/dev/null |
          "$place" solve --no-explain --output json -)
    rc=$?
    obj=$(printf '%s\n' "$out" | sed -n 's/.*"objective": *\(-\{0,1\}[0-9.]*\).*/\1/p' | head -n 1)
    if [ "$rc" -eq 0 ] && [ "$obj" = "-$want" ]; then
      echo "ok: $name ($fmt): every process placed, cost $want"
    else
      echo "FAIL: $name ($fmt): exit $rc, objective '$obj', expected -$want"
      fail=1
    fi
  done
done
exit $fail

#!/usr/bin/python3
"""The placement a Python user would write by hand: PuLP with CBC.

Reads one instance of bench/gen (JSON: an array of Kubernetes objects),
decides which (workload, target) pairs are feasible with the subset of
kube-scheduler's and Liqo's rules that the generator uses, and solves the
same lexicographic objective as libplace: placed replicas per priority level
(highest first), then the soft score (matching preferred-affinity weights,
minus one per untolerated PreferNoSchedule taint). Each stage is one CBC
run; its optimum becomes a constraint of the next (exact for these integer
objectives), and the previous solution is the next warm start.

    /usr/bin/python3 bench/peers/pulp_place.py [--time-limit S] INSTANCE.json

Prints one line for bench/bench:
    peer status=optimal|feasible placed=N replicas=N score=N
         levels=PRIO:N,... pairs=N build_seconds=S solve_seconds=S

Supported (and checked): Deployment, Pod, PriorityClass, NamespaceOffloading
(Local, Remote, LocalAndRemote with clusterSelector), ClusterAdvertisement
(virtual or not, taints, allocatable, allocated) and Node; nodeSelector,
required and preferred node affinity (In, NotIn, Exists, DoesNotExist, Gt,
Lt on integers), tolerations (Equal, Exists), container requests (limits when
no request) and one `pods` per replica. Anything else stops with an error
rather than a silently different model.
"""

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time

import pulp

LIQO_TYPE = "liqo.io/type"
LIQO_TAINT = {"key": "virtual-node.liqo.io/not-allowed", "value": "true",
              "effect": "NoExecute"}
OFFLOAD_TOLERATION = {"key": "virtual-node.liqo.io/not-allowed",
                      "operator": "Exists", "effect": "NoExecute"}

_SUFFIX = {"": 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
           "P": 1e15, "E": 1e18, "Ki": 1024, "Mi": 1024 ** 2,
           "Gi": 1024 ** 3, "Ti": 1024 ** 4, "Pi": 1024 ** 5, "Ei": 1024 ** 6}
_QTY = re.compile(r"^([0-9.]+(?:[eE][-+]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|)$")


class Unsupported(Exception):
    pass


def quantity(value, resource):
    """cpu in millicores, everything else in base units, rounded up."""
    m = _QTY.match(str(value).strip())
    if not m:
        raise Unsupported("quantity %r" % (value,))
    v = float(m.group(1)) * _SUFFIX[m.group(2)]
    if resource == "cpu":
        v *= 1000
    return int(math.ceil(v - 1e-9))


def expr_matches(e, labels):
    op, key = e["operator"], e["key"]
    have = labels.get(key)
    values = e.get("values") or []
    if op == "In":
        return have is not None and have in values
    if op == "NotIn":
        return have is None or have not in values
    if op == "Exists":
        return have is not None
    if op == "DoesNotExist":
        return have is None
    if op in ("Gt", "Lt"):
        try:
            h, v = int(have), int(values[0])
        except (TypeError, ValueError):
            return False
        return h > v if op == "Gt" else h < v
    raise Unsupported("operator " + op)


def term_matches(term, labels, name):
    if term.get("matchFields"):
        for f in term["matchFields"]:
            if f["key"] != "metadata.name":
                raise Unsupported("matchFields " + f["key"])
            if not expr_matches(f, {"metadata.name": name}):
                return False
    exprs = term.get("matchExpressions") or []
    if not exprs and not term.get("matchFields"):
        return False  # an empty term matches nothing
    return all(expr_matches(e, labels) for e in exprs)


def terms_match(terms, labels, name):
    return any(term_matches(t, labels, name) for t in terms)


def tolerated(tols, taint):
    for t in tols:
        eff = t.get("effect", "")
        if eff and eff != taint["effect"]:
            continue
        op = t.get("operator", "Equal")
        key = t.get("key", "")
        if op == "Exists":
            if key == "" or key == taint["key"]:
                return True
        elif op == "Equal":
            if key == taint["key"] and t.get("value", "") == taint.get("value", ""):
                return True
        else:
            raise Unsupported("toleration operator " + op)
    return False


def pod_requests(spec):
    req = {}
    for c in spec.get("containers") or []:
        res = c.get("resources") or {}
        r = dict(res.get("limits") or {})
        r.update(res.get("requests") or {})
        for k, v in r.items():
            req[k] = req.get(k, 0) + quantity(v, k)
    for c in spec.get("initContainers") or []:
        if c.get("restartPolicy") == "Always":
            raise Unsupported("sidecar containers")
        res = c.get("resources") or {}
        r = dict(res.get("limits") or {})
        r.update(res.get("requests") or {})
        for k, v in r.items():
            req[k] = max(req.get(k, 0), quantity(v, k))
    if spec.get("overhead") or spec.get("resources"):
        raise Unsupported("pod overhead or pod-level resources")
    req["pods"] = req.get("pods", 0) + 1
    return req


def read_instance(path):
    with open(path) as f:
        docs = json.load(f)
    if isinstance(docs, dict):
        docs = docs.get("items", [docs])
    prio_classes, offloading, targets, workloads = {}, {}, [], []
    for d in docs:
        kind = d.get("kind")
        md = d.get("metadata") or {}
        ns = md.get("namespace", "default")
        if kind == "PriorityClass":
            prio_classes[md["name"]] = int(d.get("value", 0))
        elif kind == "NamespaceOffloading":
            if md["name"] == "offloading":
                offloading[ns] = d.get("spec") or {}
        elif kind in ("ClusterAdvertisement", "Node"):
            spec = d.get("spec") or {}
            labels = dict(md.get("labels") or {})
            taints = list(spec.get("taints") or [])
            if kind == "Node":
                alloc = (d.get("status") or {}).get("allocatable") or \
                    (d.get("status") or {}).get("capacity") or {}
                used = {}
                if spec.get("unschedulable"):
                    taints.append({"key": "node.kubernetes.io/unschedulable",
                                   "effect": "NoSchedule"})
            else:
                alloc = spec.get("allocatable") or {}
                used = spec.get("allocated") or {}
                if spec.get("largestNode") or spec.get("price") or spec.get("cost"):
                    raise Unsupported("largestNode, price or cost")
                if spec.get("virtual"):
                    labels[LIQO_TYPE] = "virtual-node"
                    labels["liqo.io/remote-cluster-id"] = md["name"]
                    taints.append(LIQO_TAINT)
            free = {k: quantity(v, k) - quantity(used.get(k, 0), k)
                    for k, v in alloc.items()}
            targets.append({"name": md["name"], "labels": labels,
                            "taints": taints, "free": free})
        elif kind in ("Deployment", "Pod", "ReplicaSet", "StatefulSet"):
            if kind == "Pod":
                spec, replicas = d.get("spec") or {}, 1
                if spec.get("nodeName"):
                    raise Unsupported("bound pods")
            else:
                spec = d["spec"]["template"]["spec"]
                replicas = int(d["spec"].get("replicas", 1))
            if spec.get("topologySpreadConstraints") or \
                    (spec.get("affinity") or {}).get("podAffinity") or \
                    (spec.get("affinity") or {}).get("podAntiAffinity"):
                raise Unsupported("pod affinity or topology spread")
            if "priority" in spec:
                prio = int(spec["priority"])
            else:
                prio = prio_classes.get(spec.get("priorityClassName"), None)
            workloads.append({"ns": ns, "name": md["name"], "kind": kind,
                              "spec": spec, "replicas": replicas,
                              "prio": prio})
    for w in workloads:
        if w["prio"] is None:
            pc = w["spec"].get("priorityClassName")
            if pc and pc not in prio_classes:
                raise Unsupported("unknown priority class " + pc)
            w["prio"] = prio_classes.get(pc, 0)
    targets.sort(key=lambda t: t["name"])
    return offloading, targets, workloads


def filter_targets(spec, off, targets):
    """Indices of the targets that pass NodeAffinity, TaintToleration and
    the offloading policy (resources are checked per workload)."""
    aff = ((spec.get("affinity") or {}).get("nodeAffinity") or {})
    required = (aff.get("requiredDuringSchedulingIgnoredDuringExecution")
                or {}).get("nodeSelectorTerms")
    selector = spec.get("nodeSelector") or {}
    tols = list(spec.get("tolerations") or [])
    constraint = None
    if off is not None:
        strategy = off.get("podOffloadingStrategy", "LocalAndRemote")
        if strategy != "Local":
            tols.append(OFFLOAD_TOLERATION)
        if strategy == "Remote":
            constraint = lambda t: t["labels"].get(LIQO_TYPE) == "virtual-node"
        elif strategy == "LocalAndRemote":
            cs = (off.get("clusterSelector") or {}).get("nodeSelectorTerms")
            if cs:
                constraint = lambda t: (
                    t["labels"].get(LIQO_TYPE) != "virtual-node"
                    or terms_match(cs, t["labels"], t["name"]))
    out = []
    for i, t in enumerate(targets):
        if any(t["labels"].get(k) != v for k, v in selector.items()):
            continue
        if required and not terms_match(required, t["labels"], t["name"]):
            continue
        if constraint is not None and not constraint(t):
            continue
        if any(tx["effect"] in ("NoSchedule", "NoExecute")
               and not tolerated(tols, tx) for tx in t["taints"]):
            continue
        out.append(i)
    return out


def scores(spec, targets, idx):
    aff = ((spec.get("affinity") or {}).get("nodeAffinity") or {})
    pref = aff.get("preferredDuringSchedulingIgnoredDuringExecution") or []
    tols = spec.get("tolerations") or []
    out = []
    for i in idx:
        t = targets[i]
        s = sum(p["weight"] for p in pref
                if term_matches(p["preference"], t["labels"], t["name"]))
        s -= sum(1 for tx in t["taints"] if tx["effect"] == "PreferNoSchedule"
                 and not tolerated(tols, tx))
        out.append(s)
    return out


def build(path):
    offloading, targets, workloads = read_instance(path)
    filt_cache, score_cache = {}, {}
    pairs = []  # (workload index, target index, upper bound, score)
    for wi, w in enumerate(workloads):
        if w["replicas"] <= 0:
            continue
        spec, off = w["spec"], offloading.get(w["ns"])
        fkey = json.dumps([spec.get("affinity"), spec.get("nodeSelector"),
                           spec.get("tolerations"), off], sort_keys=True)
        if fkey not in filt_cache:
            filt_cache[fkey] = filter_targets(spec, off, targets)
        idx = filt_cache[fkey]
        skey = json.dumps([spec.get("affinity"), spec.get("tolerations"), idx],
                          sort_keys=True)
        if skey not in score_cache:
            score_cache[skey] = scores(spec, targets, idx)
        sc = score_cache[skey]
        req = pod_requests(spec)
        w["req"] = req
        for ti, s in zip(idx, sc):
            free = targets[ti]["free"]
            fit = w["replicas"]
            for r, q in req.items():
                if q <= 0 or r not in free:
                    continue
                fit = min(fit, free[r] // q if free[r] > 0 else 0)
            if fit > 0:
                pairs.append((wi, ti, fit, s))
    return targets, workloads, pairs


def solve(targets, workloads, pairs, time_limit):
    prob = pulp.LpProblem("placement", pulp.LpMaximize)
    x = [pulp.LpVariable("x%d" % k, 0, ub, cat="Integer")
         for k, (_, _, ub, _) in enumerate(pairs)]
    by_w, by_t = {}, {}
    for k, (wi, ti, ub, s) in enumerate(pairs):
        by_w.setdefault(wi, []).append(k)
        by_t.setdefault(ti, []).append(k)
    for wi, ks in by_w.items():
        if sum(pairs[k][2] for k in ks) > workloads[wi]["replicas"]:
            prob += pulp.lpSum(x[k] for k in ks) <= workloads[wi]["replicas"]
    for ti, ks in by_t.items():
        for r, avail in targets[ti]["free"].items():
            terms = [(x[k], workloads[pairs[k][0]]["req"].get(r, 0))
                     for k in ks if workloads[pairs[k][0]]["req"].get(r, 0) > 0]
            most = sum(q * pairs[k][2] for k in ks
                       for q in [workloads[pairs[k][0]]["req"].get(r, 0)] if q > 0)
            if terms and most > avail:
                prob += pulp.LpAffineExpression(terms) <= avail

    levels = sorted({workloads[wi]["prio"] for wi, _, _, _ in pairs}, reverse=True)
    deadline = time.monotonic() + time_limit if time_limit > 0 else None
    limited = False
    stages = [("level", lv) for lv in levels] + [("score", None)]
    warm = False
    with tempfile.TemporaryDirectory(prefix="pulp-place-") as tmp:
        for what, lv in stages:
            if what == "level":
                obj = pulp.lpSum(x[k] for k, p in enumerate(pairs)
                                 if workloads[p[0]]["prio"] == lv)
            else:
                obj = pulp.lpSum(p[3] * x[k] for k, p in enumerate(pairs)
                                 if p[3] != 0)
            if what == "score" and not any(p[3] for p in pairs):
                break
            prob.setObjective(obj)
            opts = {"msg": False, "gapRel": 0, "warmStart": warm,
                    "keepFiles": False}
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    limited = True
                    break
                opts["timeLimit"] = max(1, int(math.ceil(remaining)))
            cwd = os.getcwd()
            os.chdir(tmp)  # PuLP writes its MPS and solution files here
            try:
                prob.solve(pulp.COIN_CMD(**opts))
            finally:
                os.chdir(cwd)
            if prob.sol_status not in (pulp.LpSolutionOptimal,
                                       pulp.LpSolutionIntegerFeasible):
                limited = True
                break
            if prob.sol_status != pulp.LpSolutionOptimal:
                limited = True
            value = round(pulp.value(obj) or 0)
            prob += obj >= value - 0.5  # integer objective: keep its optimum
            for v in x:  # the next stage starts from this solution
                v.setInitialValue(round(v.varValue or 0))
            warm = True
    return x, limited


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--time-limit", type=float, default=60.0,
                    help="seconds for all CBC stages together (<= 0: none)")
    ap.add_argument("instance")
    a = ap.parse_args()
    t0 = time.monotonic()
    try:
        targets, workloads, pairs = build(a.instance)
    except Unsupported as e:
        print("pulp_place: unsupported input: %s" % e, file=sys.stderr)
        print("peer status=unsupported")
        return 2
    t1 = time.monotonic()
    x, limited = solve(targets, workloads, pairs, a.time_limit)
    t2 = time.monotonic()
    levels, placed, score = {}, 0, 0
    for w in workloads:
        levels.setdefault(w["prio"], 0)
    for k, (wi, ti, ub, s) in enumerate(pairs):
        n = int(round(x[k].varValue or 0))
        placed += n
        score += n * s
        levels[workloads[wi]["prio"]] += n
    print("peer status=%s placed=%d replicas=%d score=%d levels=%s pairs=%d "
          "build_seconds=%.6f solve_seconds=%.6f" % (
              "feasible" if limited else "optimal", placed,
              sum(w["replicas"] for w in workloads), score,
              ",".join("%d:%d" % (p, levels[p]) for p in sorted(levels, reverse=True)),
              len(pairs), t1 - t0, t2 - t1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

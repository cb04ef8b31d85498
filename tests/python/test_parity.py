"""The bindings give what the `place` command gives: the same JSON, YAML and
text for every example, the same explain output, the same errors; and the
objects read through the C accessors agree with the JSON writer."""

import json
import math
import os
import unittest

import support
from support import libplace


def same(a, b):
    """Equal, but numbers only to 12 digits: the JSON writer prints doubles
    with 15 significant digits."""
    if isinstance(a, float) or isinstance(b, float):
        return (isinstance(a, (int, float)) and isinstance(b, (int, float))
                and not isinstance(a, bool) and not isinstance(b, bool)
                and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def accessor_mismatches(result, doc):
    """Compare the objects read through the accessors with the JSON."""
    bad = []

    def check(what, got, want):
        if not same(got, want):
            bad.append("%s: %r != %r" % (what, got, want))

    for k, attr in (("status", "status"), ("allPlaced", "all_placed"),
                    ("objective", "objective"), ("bound", "bound"),
                    ("gap", "gap"), ("regretMethod", "regret_method")):
        if k in doc:
            check(k, getattr(result, attr), doc[k])
    for k in ("documents", "ignoredDocuments", "variables", "constraints"):
        check("stats." + k, result.stats[k], doc["stats"][k])
    check("workload count", len(result.workloads), len(doc["workloads"]))
    for w, jw in zip(result.workloads, doc["workloads"]):
        p = "workload %s" % w.key
        for k in ("kind", "namespace", "name", "replicas", "placed",
                  "unplaced", "priority", "requests"):
            check("%s.%s" % (p, k), getattr(w, k), jw[k])
        check(p + ".summary", w.summary, jw.get("summary"))
        check(p + ".assignments", [a.to_dict() for a in w.assignments],
              jw["assignments"])
        check(p + ".relaxations",
              [{"changes": [{k: v for k, v in c.to_dict().items()
                             if v is not None and (k != "amount" or
                                                   c.resource or c.workload)}
                            for c in alt]} for alt in w.relaxations],
              jw.get("relaxations", []))
        check(p + " candidate count", len(w.candidates),
              len(jw["candidates"]))
        for c, jc in zip(w.candidates, jw["candidates"]):
            q = "%s candidate %s" % (p, c.target)
            for k, attr in (("target", "target"), ("feasible", "feasible"),
                            ("rank", "rank"), ("chosen", "chosen"),
                            ("replicas", "replicas"), ("score", "score"),
                            ("regret", "regret"),
                            ("regretReplicas", "regret_replicas"),
                            ("regretExact", "regret_exact")):
                if k in jc:
                    check("%s.%s" % (q, k), getattr(c, attr), jc[k])
            check(q + ".scoreTerms", [t.to_dict() for t in c.score_terms],
                  jc["scoreTerms"])
            check(q + ".reasons", [r.to_dict() for r in c.reasons],
                  jc["reasons"])
            if "whyNot" in jc:
                check(q + ".whyNot",
                      c.why_not.to_dict() if c.why_not else None,
                      jc["whyNot"])
    check("targets", [t.to_dict() for t in result.targets], doc["targets"])
    if "bottlenecks" in doc:
        check("bottlenecks", [b.to_dict() for b in result.bottlenecks],
              doc["bottlenecks"])
    return bad[:10]


@unittest.skipUnless(support.PLACE, "LIBPLACE_PLACE (the place command) "
                                    "is not set")
class ParityTest(unittest.TestCase):

    def test_examples_json(self):
        for name, files in support.all_scenarios():
            with self.subTest(name):
                want = support.place_json(files)
                with libplace.solve(files) as r:
                    got = r.to_dict()
                    self.assertEqual(got, want, support.diff(got, want))
                    self.assertEqual(r.to_json(),
                                     support.run_place(
                                         "solve", "--output", "json",
                                         "--no-timings", *files)[1])
                    self.assertEqual(accessor_mismatches(r, want), [])

    def test_storefront_present_or_skipped(self):
        scenarios = support.storefront_scenarios()
        if not scenarios:
            self.skipTest("examples/storefront is absent")
        self.assertGreaterEqual(len(scenarios), 1)

    def test_examples_yaml_and_text(self):
        for name, files in support.all_scenarios():
            with self.subTest(name), libplace.solve(files) as r:
                for fmt in ("yaml", "text"):
                    rc, out, err = support.run_place(
                        "solve", "--output", fmt, "--no-timings", *files)
                    self.assertIn(rc, (0, 1), err)
                    self.assertEqual(r.write(fmt, timings=False), out)
                    self.assertEqual(rc, 0 if r.all_placed else 1)

    def test_explain(self):
        for name, files in support.all_scenarios():
            with self.subTest(name), libplace.solve(files) as r:
                for w in r.workloads[:4]:
                    rc, out, err = support.run_place(
                        "explain", "--output", "json", w.key, *files)
                    self.assertIn(rc, (0, 1), err)
                    self.assertEqual(w.write("json"), out)
                    self.assertEqual(w.to_dict(), json.loads(out))
                    self.assertEqual(r.write("text", workload=w.key),
                                     support.run_place("explain", w.key,
                                                       *files)[1])

    def test_dict_inputs_match_json_files(self):
        """The storefront's json/ twins, loaded with json.load and given as
        dicts, solve as `place` solves the files."""
        d = support.example("storefront", "json")
        if not os.path.isdir(d):
            self.skipTest("examples/storefront/json is absent")
        count = 0
        for name, files in support.storefront_scenarios():
            twins = [os.path.join(d, os.path.splitext(os.path.basename(f))[0]
                                  + ".json") for f in files]
            if not all(os.path.exists(t) for t in twins):
                continue
            with self.subTest(name):
                dicts = []
                for t in twins:
                    with open(t, encoding="utf-8") as fh:
                        dicts.append(json.load(fh))
                want = support.place_json(twins)
                with libplace.solve(dicts) as r:
                    got = r.to_dict()
                self.assertEqual(got, want, support.diff(got, want))
                count += 1
        if count == 0:
            self.skipTest("no scenario has all its json/ twins")

    def test_text_and_file_inputs_agree(self):
        files = support.quickstart_files()
        texts = []
        for f in files:
            with open(f, encoding="utf-8") as fh:
                texts.append(fh.read())
        with libplace.solve(files) as a, libplace.solve(texts) as b:
            da, db = a.to_dict(), b.to_dict()
        self.assertEqual(da, db)

    def test_options_match_command_line(self):
        files = support.quickstart_files()
        want = support.place_json(files, "--time-limit", "30", "--mip-gap",
                                  "0.01")
        with libplace.solve(files, time_limit=30, mip_gap=0.01) as r:
            self.assertEqual(r.to_dict(), want)

    def test_policy_matches_command_line(self):
        import tempfile
        files = support.quickstart_files()
        spec = {"mipGap": 0, "timeLimitSeconds": 30}
        doc = {"apiVersion": "libplace.io/v1alpha1",
               "kind": "PlacementPolicy", "metadata": {"name": "p"},
               "spec": spec}
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "policy.json")
            with open(path, "w") as fh:
                json.dump(doc, fh)
            want = support.place_json(files, "--policy", path)
            for policy in (path, doc, spec, json.dumps(doc)):
                with self.subTest(type(policy).__name__), \
                        libplace.solve(files, policy=policy) as r:
                    got = r.to_dict()
                    self.assertEqual(got, want, support.diff(got, want))

    def test_errors_match_command_line(self):
        import tempfile
        bad = ("apiVersion: apps/v1\nkind: Deployment\n"
               "metadata: {name: web, namespace: shop}\n"
               "spec:\n  replicas: three\n")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.yaml")
            with open(path, "w") as fh:
                fh.write(bad)
            rc, out, err = support.run_place("solve", path)
            self.assertEqual(rc, 2)
            with self.assertRaises(libplace.PlaceError) as cm:
                libplace.solve([path])
            self.assertEqual("place: %s\n" % cm.exception.message, err)


if __name__ == "__main__":
    unittest.main()

"""The Problem and Context classes, and the inputs solve() accepts."""

import json
import os
import pathlib
import tempfile
import unittest

import support
from support import libplace

NODE = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1",
        "labels": {"zone": "a"}},
        "status": {"allocatable": {"cpu": "2", "memory": "4Gi",
                                   "pods": "110"}}}
NODE2 = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n2",
         "labels": {"zone": "b"}},
         "status": {"allocatable": {"cpu": "1", "memory": "1Gi",
                                    "pods": "110"}}}


def deployment(name, replicas, cpu="500m", ns="default"):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": ns},
            "spec": {"replicas": replicas, "template": {"spec": {
                "containers": [{"name": "c", "resources": {
                    "requests": {"cpu": cpu, "memory": "128Mi"}}}]}}}}


class ProblemTest(unittest.TestCase):

    def test_counts_and_check(self):
        with libplace.Problem() as pb:
            pb.add_dict([NODE, NODE2])
            pb.add_dict(deployment("web", 2))
            pb.add_text(json.dumps(deployment("api", 1)), format="json")
            pb.add_text("apiVersion: v1\nkind: ConfigMap\nmetadata: "
                        "{name: x}\n", format="yaml")
            self.assertEqual(pb.document_count, 5)
            self.assertEqual(pb.ignored_count, 1)
            self.assertEqual(pb.workload_count, 2)
            self.assertEqual(pb.target_count, 2)
            self.assertIs(pb.check(), pb)
            self.assertIn("5 documents", repr(pb))

    def test_inputs_of_every_kind(self):
        files = support.quickstart_files()
        with libplace.solve(files) as r:
            want = r.to_dict()
        texts = []
        for f in files:
            with open(f, "rb") as fh:
                texts.append(fh.read())
        for inputs in ([pathlib.Path(f) for f in files],   # PathLike
                       [texts[0], files[1]],              # bytes and a path
                       [texts[0].decode(), texts[1].decode()]):  # str texts
            with self.subTest(type(inputs[0]).__name__), \
                    libplace.solve(inputs) as r:
                self.assertEqual(r.to_dict(), want)

    def test_single_input(self):
        with libplace.solve(NODE) as r:
            self.assertEqual(r.workloads, [])
            self.assertEqual([t.name for t in r.targets], ["n1"])
            self.assertTrue(r.all_placed)

    def test_dict_input(self):
        with libplace.solve([[NODE, NODE2], deployment("web", 3),
                             deployment("big", 1, cpu="4")]) as r:
            web = r.workload("default/web")
            self.assertIs(r.workload("web"), web)
            self.assertIs(r.workload("default", "web"), web)
            self.assertEqual(web.placed, 3)
            self.assertEqual(sum(a.replicas for a in web.assignments), 3)
            self.assertEqual(web.requests["cpu"], 500)
            self.assertEqual(web.requests["memory"], 128 * 1024 * 1024)
            target, replicas = web.assignments[0]
            self.assertEqual(web.assignments[0].target, target)
            self.assertEqual(web.assignments[0].to_dict(),
                             {"target": target, "replicas": replicas})
            big = r.workload("default/big")
            self.assertFalse(r.all_placed)
            self.assertEqual(big.unplaced, 1)
            self.assertIn("Insufficient cpu", big.summary)
            for c in big.candidates:
                self.assertFalse(c.feasible)
                self.assertIsNone(c.rank)
                self.assertEqual(c.reasons[0].code, "NodeResourcesFit")
                self.assertEqual(c.reasons[0].number, 2)
            self.assertEqual(big.candidate("n1").target, "n1")
            with self.assertRaises(KeyError):
                big.candidate("nowhere")
            self.assertEqual(r.target("n1").allocatable["cpu"], 2000)
            self.assertIn("cpu", {b.resource for b in r.bottlenecks})

    def test_explanations(self):
        inputs = [[NODE, NODE2], deployment("web", 3),
                  deployment("big", 1, cpu="4")]
        with libplace.solve(inputs) as r:
            self.assertIn(r.regret_method, ("exact", "lp-bound", "mixed"))
            big = r.workload("big")
            self.assertTrue(big.relaxations)
            for alt in big.relaxations:
                for change in alt:
                    self.assertTrue(change.kind)
                    self.assertTrue(change.message)
            feasible = [c for w in r.workloads for c in w.candidates
                        if c.feasible]
            self.assertTrue(all(c.regret is not None for c in feasible))
        with libplace.solve(inputs, explain=False) as r:
            self.assertEqual(r.regret_method, "none")
            self.assertEqual(r.workload("big").relaxations, [])
            self.assertTrue(all(c.regret is None
                                for w in r.workloads for c in w.candidates))
            self.assertIsNotNone(r.workload("big").summary)
        with libplace.solve(inputs, regret="lp") as r:
            self.assertEqual(r.regret_method, "lp-bound")
        with libplace.solve(inputs, regret="exact") as r:
            self.assertEqual(r.regret_method, "exact")

    def test_export(self):
        with libplace.Problem() as pb:
            pb.add([NODE, NODE2]).add(deployment("web", 3))
            lp = pb.export("lp")
            mps = pb.export("mps")
        self.assertIn("Subject To", lp)
        self.assertIn("ROWS", mps)
        if support.PLACE:
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "in.json")
                with open(path, "w") as f:
                    json.dump([NODE, NODE2, deployment("web", 3)], f)
                rc, out, err = support.run_place("export", "--format", "lp",
                                                 path)
                self.assertEqual(rc, 0, err)
                self.assertEqual(out, lp)

    def test_policy_spec_only(self):
        with libplace.Problem() as pb:
            pb.add(NODE).add_policy({"mipGap": 0.5})
            self.assertEqual(pb.document_count, 2)

    def test_string_that_is_not_a_file_is_text(self):
        with libplace.Problem() as pb:
            pb.add("apiVersion: v1\nkind: Node\nmetadata: {name: x}\n")
            self.assertEqual(pb.target_count, 1)
        with self.assertRaises(libplace.PlaceError):
            libplace.solve(["no-such-file.yaml"])  # read as YAML text

    def test_context_options(self):
        lines = []
        with libplace.Context(log=lambda lvl, msg: lines.append((lvl, msg)),
                              log_level="debug") as ctx:
            r = libplace.solve([NODE, deployment("web", 1)], context=ctx)
            self.assertTrue(r.all_placed)
            r.close()
            self.assertFalse(ctx.closed)  # not made by solve()
        self.assertTrue(lines)
        self.assertTrue(all(lvl in ("error", "warn", "info", "debug")
                            for lvl, _ in lines))
        with libplace.Context(max_input_bytes=64) as ctx:
            with self.assertRaises(libplace.PlaceError) as cm:
                ctx.problem().add(NODE)
            self.assertEqual(cm.exception.code, libplace.PlaceError.ELIMIT)
        with libplace.Context(max_workloads=1) as ctx:
            with self.assertRaises(libplace.PlaceError) as cm:
                libplace.solve([NODE, deployment("a", 1), deployment("b", 1)],
                               context=ctx)
            self.assertEqual(cm.exception.code, libplace.PlaceError.ELIMIT)
        with self.assertRaises(ValueError):
            libplace.Context(log=print, log_level="loud")

    def test_every_context_limit(self):
        """Each limit of place_ctx_options (version 2, in the header's
        order) reaches the library: just above it is PLACE_ELIMIT, at it
        the same input is fine. The last field, max_pairs, checks that the
        ctypes layout matches the header's."""
        two_nodes = [NODE, NODE2]
        nested = ("apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n"
                  "  labels: {zone: a}\n")  # depth 3
        cases = [
            # keyword, limit that fails, limit that passes, inputs
            ("max_input_bytes", len(nested) - 1, len(nested), [nested]),
            ("max_depth", 2, 3, [nested]),
            ("max_documents", 1, 2, [two_nodes]),
            ("max_nodes", 8, 64, [nested]),
            ("max_scalar_bytes", 4, 16,
             [{"apiVersion": "v1", "kind": "Node",
               "metadata": {"name": "node-with-a-long-name"[:16]}}]),
            ("max_workloads", 1, 2,
             [NODE, deployment("a", 1), deployment("b", 1)]),
            ("max_targets", 1, 2, [two_nodes, deployment("a", 1)]),
            ("max_pairs", 3, 4,
             [two_nodes, deployment("a", 1), deployment("b", 1)]),
        ]
        names = [f[0] for f in libplace._lib.place_ctx_options._fields_]
        self.assertEqual([c[0] for c in cases], names[5:])
        for key, bad, good, inputs in cases:
            with self.subTest(key):
                with libplace.Context(**{key: bad}) as ctx:
                    with self.assertRaises(libplace.PlaceError) as cm:
                        libplace.solve(inputs, context=ctx, explain=False)
                    self.assertEqual(cm.exception.code,
                                     libplace.PlaceError.ELIMIT,
                                     cm.exception.message)
                with libplace.Context(**{key: good}) as ctx:
                    libplace.solve(inputs, context=ctx,
                                   explain=False).close()
        with self.assertRaises(TypeError):
            libplace.Context(max_things=1)

    def test_without_candidates(self):
        """candidates=False: the same assignments, no candidate lists, and
        the bound on placed replicas."""
        files = support.quickstart_files()
        with libplace.solve(files, explain=False) as full, \
                libplace.solve(files, explain=False,
                               candidates=False) as lean:
            self.assertEqual(
                [(w.key, [(a.target, a.replicas) for a in w.assignments])
                 for w in full.workloads],
                [(w.key, [(a.target, a.replicas) for a in w.assignments])
                 for w in lean.workloads])
            self.assertTrue(all(len(w.candidates) == 0
                                for w in lean.workloads))
            self.assertTrue(any(len(w.candidates) > 0
                                for w in full.workloads))
            placed = sum(w.placed for w in lean.workloads)
            self.assertGreaterEqual(lean.placed_bound, placed)
            self.assertIn(lean.method, ("branch-and-bound", "lp-rounding",
                                        "greedy", "mixed"))

    def test_repr_and_str(self):
        with libplace.solve(support.quickstart_files()) as r:
            self.assertIn("optimal", repr(r))
            self.assertTrue(str(r).startswith("status optimal"))
            self.assertIn("shop/mailer", repr(r.workload("shop/mailer")))
            self.assertIn("partner-a", repr(r.target("partner-a")))
        self.assertIn("closed", repr(r))


if __name__ == "__main__":
    unittest.main()

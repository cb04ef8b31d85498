"""Separate problems solve on several Python threads at once (each solve
has its own context; ctypes releases the GIL during the calls) and give
what they give one after the other."""

import concurrent.futures
import threading
import unittest

import support
from support import libplace


def variant(i):
    """Problem i: the quickstart with the replicas of one Deployment changed,
    so that the eight problems differ."""
    files = support.quickstart_files()
    extra = {"apiVersion": "apps/v1", "kind": "Deployment",
             "metadata": {"name": "batch-%d" % i, "namespace": "shop"},
             "spec": {"replicas": 1 + i % 5, "template": {"spec": {
                 "containers": [{"name": "c", "resources": {"requests": {
                     "cpu": "%dm" % (100 * (1 + i % 3)),
                     "memory": "64Mi"}}}]}}}}
    return files + [extra]


def solve_dict(i):
    with libplace.solve(variant(i)) as r:
        return r.to_dict()


def inputs():
    out = [variant(i) for i in range(8)]
    for _, files in support.storefront_scenarios()[:4]:
        out.append(files)
    return out


def solve_inputs(inp):
    with libplace.solve(inp) as r:
        return r.to_dict(), [(w.key, list(w.assignments), [
            (c.target, c.rank, c.regret) for c in w.candidates])
            for w in r.workloads]


class ThreadTest(unittest.TestCase):

    def test_threadsafe_flag(self):
        self.assertIsInstance(libplace.threadsafe, bool)

    def test_eight_solves_on_four_threads(self):
        sequential = [solve_dict(i) for i in range(8)]
        self.assertEqual(len({repr(d) for d in sequential}), 8)
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
            parallel = list(ex.map(solve_dict, range(8)))
        for i, (a, b) in enumerate(zip(sequential, parallel)):
            self.assertEqual(a, b, "problem %d: %s" % (i, support.diff(a, b)))

    def test_repeated_parallel_solves_with_accessors(self):
        items = inputs()
        sequential = [solve_inputs(x) for x in items]
        for _ in range(2):
            with concurrent.futures.ThreadPoolExecutor(max_workers=4) as ex:
                parallel = list(ex.map(solve_inputs, items))
            self.assertEqual(sequential, parallel)

    def test_threads_started_together(self):
        """Four threads released at once by a barrier, each solving two
        problems, all finish with the sequential answers."""
        barrier = threading.Barrier(4, timeout=60)
        results = [None] * 4

        def work(k):
            barrier.wait()
            results[k] = [solve_dict(k + j * 4) for j in range(2)]

        threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        for k in range(4):
            self.assertEqual(results[k],
                             [solve_dict(k + j * 4) for j in range(2)])

    def test_one_result_read_from_several_threads(self):
        """A result does not change after the solve: its accessors may be
        read from several threads."""
        with libplace.solve(support.quickstart_files()) as r:
            def read(_):
                return [(w.key, w.placed, list(w.assignments),
                         [c.target for c in w.candidates])
                        for w in r.workloads]
            want = read(0)
            with concurrent.futures.ThreadPoolExecutor(4) as ex:
                got = list(ex.map(read, range(8)))
            self.assertTrue(all(g == want for g in got))


if __name__ == "__main__":
    unittest.main()

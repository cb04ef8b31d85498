"""Errors: PlaceError carries the code and the location that place_errloc()
gives, for files, texts and dicts."""

import os
import pathlib
import tempfile
import unittest

import support
from support import libplace

NODE = """\
apiVersion: v1
kind: Node
metadata: {name: n1}
status:
  allocatable: {cpu: "2", memory: 4Gi, pods: "110"}
"""

BAD_REPLICAS = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: three
"""


class ErrorTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_schema_error_in_file(self):
        path = self.write("web.yaml", BAD_REPLICAS)
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.solve([NODE, path])
        e = cm.exception
        self.assertEqual(e.code, libplace.PlaceError.ESCHEMA)
        self.assertEqual(e.code, -6)
        self.assertEqual(e.code_name, "PLACE_ESCHEMA")
        self.assertEqual(e.file, path)
        self.assertEqual((e.line, e.column), (7, 13))
        self.assertEqual(e.object, "Deployment shop/web")
        self.assertEqual(e.path, "spec.replicas")
        self.assertTrue(e.message.startswith("%s:7:13: Deployment shop/web: "
                                             "spec.replicas: " % path),
                        e.message)
        self.assertIn("three", e.message)
        self.assertEqual(str(e), e.message)
        self.assertEqual(e.strerror, libplace.strerror(e.code))
        self.assertIsInstance(e, Exception)

    def test_syntax_error_in_text(self):
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.Problem().add_text("kind: Node\nmetadata: {name: [x\n",
                                        source="inline.yaml")
        e = cm.exception
        self.assertEqual(e.code, libplace.PlaceError.EPARSE)
        self.assertEqual(e.code_name, "PLACE_EPARSE")
        self.assertEqual(e.file, "inline.yaml")
        self.assertGreater(e.line, 0)
        self.assertGreater(e.column, 0)
        self.assertTrue(e.message.startswith("inline.yaml:%d:%d: "
                                             % (e.line, e.column)))

    def test_text_sources_are_numbered(self):
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.solve([NODE, BAD_REPLICAS])
        self.assertEqual(cm.exception.file, "<text 2>")
        self.assertEqual(cm.exception.line, 7)

    def test_dict_error_has_object_and_path(self):
        doc = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": {"name": "web", "namespace": "shop"},
               "spec": {"replicas": -2}}
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.solve([NODE, doc])
        e = cm.exception
        self.assertEqual(e.code, libplace.PlaceError.ESCHEMA)
        self.assertEqual(e.file, "<dict 2>")
        self.assertEqual(e.object, "Deployment shop/web")
        self.assertEqual(e.path, "spec.replicas")
        self.assertGreater(e.line, 0)

    def test_missing_file(self):
        missing = pathlib.Path(self.tmp.name) / "missing.yaml"
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.solve([missing])
        self.assertEqual(cm.exception.code, libplace.PlaceError.EIO)
        self.assertEqual(cm.exception.code_name, "PLACE_EIO")
        self.assertIn("missing.yaml", cm.exception.message)

    def test_reference_error_from_check(self):
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": "p", "namespace": "default"},
               "spec": {"priorityClassName": "nope",
                        "containers": [{"name": "c"}]}}
        with libplace.Problem() as pb:
            pb.add(NODE).add(pod)
            with self.assertRaises(libplace.PlaceError) as cm:
                pb.check()
            self.assertEqual(cm.exception.code, libplace.PlaceError.ESCHEMA)
            self.assertIn("nope", cm.exception.message)
            self.assertEqual(cm.exception.file, "<dict 2>")
            # The context keeps the last error.
            self.assertEqual(pb.context.errcode, libplace.PlaceError.ESCHEMA)
            self.assertEqual(pb.context.errmsg, cm.exception.message)
            with self.assertRaises(libplace.PlaceError):
                pb.solve()

    def test_second_policy_is_an_error(self):
        policy = {"kind": "PlacementPolicy",
                  "apiVersion": "libplace.io/v1alpha1",
                  "metadata": {"name": "one"}, "spec": {}}
        with self.assertRaises(libplace.PlaceError) as cm:
            libplace.solve([NODE, policy], policy={"mipGap": 0.1})
        self.assertEqual(cm.exception.code, libplace.PlaceError.ESCHEMA)
        self.assertIn("PlacementPolicy", cm.exception.message)

    def test_python_side_errors(self):
        with self.assertRaises(TypeError):
            libplace.solve([42])
        with self.assertRaises(ValueError):
            libplace.solve([NODE], policy={"kind": "Node"})
        with self.assertRaises(ValueError):
            libplace.solve([NODE], time_limit=-1)
        with self.assertRaises(ValueError):
            libplace.solve([NODE], regret="sometimes")
        with libplace.Problem() as pb:
            with self.assertRaises(ValueError):
                pb.add_text(NODE, format="toml")
            with self.assertRaises(ValueError):
                pb.export("xml")
        with libplace.solve([NODE]) as r:
            with self.assertRaises(ValueError):
                r.write("xml")
            with self.assertRaises(KeyError):
                r.workload("shop/none")

    def test_strerror(self):
        self.assertEqual(libplace.strerror(0), "success")
        self.assertEqual(libplace.strerror(-5), "syntax error")
        self.assertEqual(libplace.strerror(-999), "unknown error")


if __name__ == "__main__":
    unittest.main()

"""Packaging: the standard-library build backend, `pip install` offline, and
how the package finds the shared library (LIBPLACE_LIBRARY, next to the
package, the system)."""

import base64
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile

import support
from support import libplace

BACKEND = os.path.join(support.BINDINGS_DIR, "build_backend")


def run(args, env=None, cwd=None):
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join(
        [support.BINDINGS_DIR] + [p for p in e.get("PYTHONPATH", "").split(
            os.pathsep) if p])
    e.update(env or {})
    for k, v in list(e.items()):
        if v is None:
            del e[k]
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=e, cwd=cwd, timeout=300)


def backend(hook, directory, env=None):
    """Call a hook of the backend in a fresh interpreter, as pip would."""
    code = ("import sys; sys.path.insert(0, %r); import libplace_build as b; "
            "print(b.%s(%r))" % (BACKEND, hook, directory))
    p = run([sys.executable, "-c", code], env=env, cwd=support.BINDINGS_DIR)
    if p.returncode != 0:
        raise AssertionError(p.stderr.decode())
    return os.path.join(directory, p.stdout.decode().strip())


def library_file():
    return os.path.realpath(libplace.library_path) \
        if os.path.isabs(libplace.library_path) else None


IMPORT = ("import libplace, sys; r = libplace.solve(sys.argv[1:]); "
          "print(libplace.library_path); print(r.status)")


class PackagingTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(lambda: __import__("shutil").rmtree(self.tmp, True))

    def check_record(self, z):
        names = z.namelist()
        record = [n for n in names if n.endswith(".dist-info/RECORD")][0]
        rows = z.read(record).decode().splitlines()
        self.assertEqual(sorted(r.split(",")[0] for r in rows), sorted(names))
        for row in rows:
            name, digest, size = row.split(",")
            if name == record:
                continue
            data = z.read(name)
            want = base64.urlsafe_b64encode(
                hashlib.sha256(data).digest()).rstrip(b"=").decode()
            self.assertEqual(digest, "sha256=" + want, name)
            self.assertEqual(int(size), len(data), name)

    def test_pure_wheel(self):
        whl = backend("build_wheel", self.tmp,
                      env={"LIBPLACE_BUNDLE_LIBRARY": None})
        self.assertTrue(whl.endswith("-py3-none-any.whl"), whl)
        with zipfile.ZipFile(whl) as z:
            names = z.namelist()
            for f in ("libplace/__init__.py", "libplace/_lib.py",
                      "libplace/_core.py"):
                self.assertIn(f, names)
            self.assertFalse(any(n.endswith(".so.0") for n in names))
            meta = [n for n in names if n.endswith("METADATA")][0]
            self.assertIn(b"Version: 0.1.0", z.read(meta))
            self.check_record(z)

    @unittest.skipUnless(sys.platform.startswith("linux"), "linux only")
    def test_bundled_library_is_found_next_to_the_package(self):
        lib = library_file()
        if not lib:
            self.skipTest("the library was loaded by name")
        whl = backend("build_wheel", self.tmp,
                      env={"LIBPLACE_BUNDLE_LIBRARY": lib})
        self.assertNotIn("-any.whl", whl)
        site = os.path.join(self.tmp, "site")
        with zipfile.ZipFile(whl) as z:
            self.assertIn("libplace/libplace.so.0", z.namelist())
            self.check_record(z)
            z.extractall(site)
        p = run([sys.executable, "-c", IMPORT] + support.quickstart_files(),
                env={"LIBPLACE_LIBRARY": None, "PYTHONPATH": site},
                cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        path, status = p.stdout.decode().split()
        self.assertEqual(path, os.path.join(site, "libplace", "libplace.so.0"))
        self.assertEqual(status, "optimal")

    def test_library_from_the_environment(self):
        lib = library_file()
        if not lib:
            self.skipTest("the library was loaded by name")
        # A folder holding libplace.so.0 works too.
        folder = os.path.join(self.tmp, "lib")
        os.mkdir(folder)
        os.symlink(lib, os.path.join(folder, "libplace.so.0"))
        p = run([sys.executable, "-c", IMPORT] + support.quickstart_files(),
                env={"LIBPLACE_LIBRARY": folder}, cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stdout.decode().split()[0],
                         os.path.join(folder, "libplace.so.0"))
        # A wrong path is an ImportError that says what to do.
        p = run([sys.executable, "-c", "import libplace"],
                env={"LIBPLACE_LIBRARY": os.path.join(self.tmp, "nope.so")},
                cwd=self.tmp)
        self.assertNotEqual(p.returncode, 0)
        err = p.stderr.decode()
        self.assertIn("ImportError", err)
        self.assertIn("LIBPLACE_LIBRARY", err)
        self.assertIn("nope.so", err)

    def test_sdist(self):
        sdist = backend("build_sdist", self.tmp)
        with tarfile.open(sdist) as t:
            names = t.getnames()
        for f in ("pyproject.toml", "PKG-INFO", "README.md",
                  "build_backend/libplace_build.py", "libplace/_lib.py"):
            self.assertIn("libplace-0.1.0/" + f, names)

    def test_pip_install_offline(self):
        if run([sys.executable, "-m", "pip", "--version"]).returncode != 0:
            self.skipTest("pip is not available")
        target = os.path.join(self.tmp, "target")
        p = run([sys.executable, "-m", "pip", "install", "--no-index",
                 "--no-deps", "--no-cache-dir", "--disable-pip-version-check",
                 "--quiet", "--target", target, support.BINDINGS_DIR],
                cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertTrue(os.path.exists(os.path.join(target, "libplace",
                                                    "_lib.py")))
        p = run([sys.executable, "-c",
                 "import libplace; print(libplace.__file__)"],
                env={"PYTHONPATH": target}, cwd=self.tmp)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertTrue(p.stdout.decode().startswith(target))
        # pip left nothing behind in the source folder.
        leftovers = [n for n in os.listdir(support.BINDINGS_DIR)
                     if n in ("build", "dist") or n.endswith(".egg-info")]
        self.assertEqual(leftovers, [])


if __name__ == "__main__":
    unittest.main()

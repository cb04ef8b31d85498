"""The ctypes layer covers place.h: every function has its prototype, the
constants agree with the header, the version is checked."""

import ctypes
import os
import re
import unittest

import support
from support import libplace
from libplace import _lib


def header():
    with open(support.HEADER, encoding="utf-8") as f:
        return f.read()


@unittest.skipUnless(os.path.exists(support.HEADER), "place.h not found")
class HeaderTest(unittest.TestCase):

    def test_every_function_is_declared(self):
        text = header()
        names = set(re.findall(r"PLACE_API\([^;]*?\)\s*(place_\w+)\s*\(",
                               text))
        self.assertGreater(len(names), 70)
        declared = set(_lib.PROTOTYPES)
        self.assertEqual(sorted(names - declared), [],
                         "functions of place.h without a prototype")
        self.assertEqual(sorted(declared - names), [],
                         "prototypes of functions not in place.h")
        for name in names:
            fn = getattr(_lib.lib, name)
            self.assertIsNotNone(fn.argtypes, name)
            self.assertEqual(fn.restype, _lib.PROTOTYPES[name][0], name)

    def test_argument_counts(self):
        """Each prototype has as many arguments as the header says."""
        text = re.sub(r"/\*.*?\*/", "", header(), flags=re.S)
        for m in re.finditer(r"PLACE_API\([^;]*?\)\s*(place_\w+)\s*\(([^)]*)\)",
                             text):
            name, params = m.group(1), m.group(2).strip()
            n = 0 if params in ("void", "") else params.count(",") + 1
            self.assertEqual(len(_lib.PROTOTYPES[name][1]), n, name)

    def test_constants(self):
        text = header()
        for name, value in re.findall(r"\b(PLACE_E\w+|PLACE_OK|PLACE_ERROR)"
                                      r"\s*=\s*(-?\d+)", text):
            self.assertEqual(getattr(_lib, name), int(value), name)
        for name, value in re.findall(
                r"#define (PLACE_(?:WRITE|SOLVE)_\w+) \(1u << (\d+)\)", text):
            self.assertEqual(getattr(_lib, name), 1 << int(value), name)
        for name, value in re.findall(
                r"\b(PLACE_(?:FORMAT|EXPORT|OUTPUT|OUTCOME|REASON|LOG)_\w+)"
                r"\s*=\s*(\d+)", text):
            self.assertEqual(getattr(_lib, name), int(value), name)
        for name in ("PLACE_CTX_OPTIONS_VERSION",
                     "PLACE_SOLVE_OPTIONS_VERSION"):
            m = re.search(r"#define %s (\d+)" % name, text)
            self.assertEqual(getattr(_lib, name), int(m.group(1)))

    def test_expected_version_matches_header(self):
        text = header()
        major = int(re.search(r"#define PLACE_VERSION_MAJOR (\d+)",
                              text).group(1))
        minor = int(re.search(r"#define PLACE_VERSION_MINOR (\d+)",
                              text).group(1))
        self.assertEqual((_lib.EXPECTED_MAJOR, _lib.EXPECTED_MINOR),
                         (major, minor))
        version = re.search(r'#define PLACE_VERSION "([^"]+)"', text).group(1)
        self.assertEqual(libplace.__version__, version)

    def test_structs(self):
        """The option structs have the fields of the header, in order."""
        text = header()
        for struct, cls in (("place_solve_options", _lib.place_solve_options),
                            ("place_ctx_options", _lib.place_ctx_options),
                            ("place_location", _lib.place_location),
                            ("place_allocator", _lib.place_allocator)):
            body = re.search(r"typedef struct %s \{(.*?)\} %s;"
                             % (struct, struct), text, re.S).group(1)
            body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
            fields = []
            for decl in body.split(";"):
                if not decl.strip():
                    continue
                fp = re.search(r"\(\*(\w+)\)", decl)  # function pointer
                fields.append(fp.group(1) if fp else
                              re.findall(r"\w+", decl)[-1])
            self.assertEqual([f[0] for f in cls._fields_], fields, struct)


class VersionTest(unittest.TestCase):

    def test_version(self):
        self.assertRegex(libplace.__version__, r"^\d+\.\d+\.\d+$")
        major, minor, patch = map(int, libplace.__version__.split("."))
        self.assertEqual(libplace.version_number,
                         major * 1000000 + minor * 1000 + patch)

    @unittest.skipUnless(support.PLACE, "LIBPLACE_PLACE is not set")
    def test_version_of_the_command(self):
        rc, out, _ = support.run_place("--version")
        self.assertEqual(out.strip(), "place " + libplace.__version__)

    def test_library_path(self):
        env = os.environ.get("LIBPLACE_LIBRARY")
        if env:
            self.assertEqual(libplace.library_path, env)

    def test_version_mismatch_is_an_import_error(self):
        class Fake:
            def __init__(self, n):
                self.n = n

            def place_version_number(self):
                return self.n

            def place_version(self):
                return b"%d.%d.%d" % (self.n // 1000000, self.n // 1000 % 1000,
                                      self.n % 1000)

        n = _lib.EXPECTED_MAJOR * 1000000 + _lib.EXPECTED_MINOR * 1000
        self.assertEqual(_lib.check_version(Fake(n + 7)), n + 7)
        with self.assertRaises(ImportError) as cm:
            _lib.check_version(Fake(n + 1000))
        self.assertIn("needs %d.%d.x" % (_lib.EXPECTED_MAJOR,
                                         _lib.EXPECTED_MINOR),
                      str(cm.exception))
        with self.assertRaises(ImportError):
            _lib.check_version(Fake(n + 1000000))

    def test_missing_symbol_is_an_import_error(self):
        class Lib:
            pass
        with self.assertRaises(ImportError) as cm:
            _lib.declare(Lib())
        self.assertIn("place_solve", str(cm.exception))


if __name__ == "__main__":
    unittest.main()

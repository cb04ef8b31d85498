"""Shared helpers of the Python tests: where things are, and the command
line `place` for parity checks.

ctest sets LIBPLACE_LIBRARY (the built libplace.so), PYTHONPATH (the
bindings) and LIBPLACE_PLACE (the built `place` command). Run by hand:

    LIBPLACE_LIBRARY=build/libplace.so LIBPLACE_PLACE=build/place \
    PYTHONPATH=bindings/python python3 -m unittest discover -s tests/python
"""

import json
import os
import re
import subprocess
import sys

TESTS_DIR = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(os.path.dirname(TESTS_DIR))
BINDINGS_DIR = os.path.join(SOURCE_DIR, "bindings", "python")
EXAMPLES_DIR = os.path.join(SOURCE_DIR, "examples")
HEADER = os.path.join(SOURCE_DIR, "include", "place.h")

if BINDINGS_DIR not in sys.path and not any(
        os.path.isdir(os.path.join(p, "libplace")) for p in sys.path if p):
    sys.path.insert(0, BINDINGS_DIR)

import libplace  # noqa: E402

PLACE = os.environ.get("LIBPLACE_PLACE")
SANITIZED = os.environ.get("PLACE_SANITIZE", "") not in ("", "0", "OFF")


def example(*parts):
    return os.path.join(EXAMPLES_DIR, *parts)


def quickstart_files():
    d = example("quickstart")
    return sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith((".yaml", ".yml", ".json")))


def storefront_scenarios():
    """(name, [files]) for each `place solve FILE...` command that the
    storefront example's files give in their comments; [] when the example
    is absent."""
    d = example("storefront")
    if not os.path.isdir(d):
        return []
    seen, out = set(), []
    for f in sorted(os.listdir(d)):
        if not f.endswith((".yaml", ".yml")):
            continue
        with open(os.path.join(d, f), encoding="utf-8") as fh:
            for line in fh:
                m = re.match(r"^#\s+place solve\s+(.*)$", line.rstrip())
                if not m:
                    continue
                files = [t for t in m.group(1).split()
                         if t.endswith((".yaml", ".yml", ".json"))]
                if not files or tuple(files) in seen:
                    continue
                if not all(os.path.exists(os.path.join(d, t)) for t in files):
                    continue
                seen.add(tuple(files))
                out.append(("storefront " + " ".join(files),
                            [os.path.join(d, t) for t in files]))
    return out


def all_scenarios():
    return [("quickstart", quickstart_files())] + storefront_scenarios()


def run_place(*args):
    """Run the `place` command: (exit code, stdout, stderr)."""
    p = subprocess.run([PLACE] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return (p.returncode, p.stdout.decode("utf-8", "replace"),
            p.stderr.decode("utf-8", "replace"))


def place_json(files, *extra):
    """`place solve --output json --no-timings FILES` as a dict, or raise
    AssertionError with its message."""
    rc, out, err = run_place("solve", "--output", "json", "--no-timings",
                             *extra, *files)
    if rc not in (0, 1):
        raise AssertionError("place failed (%d): %s" % (rc, err))
    return json.loads(out)


def diff(a, b, path="$"):
    """The first differences between two JSON values, for messages."""
    out = []
    if type(a) is not type(b):
        out.append("%s: %r != %r" % (path, a, b))
    elif isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s: only in %s" % (path, k,
                                                  "first" if k in a
                                                  else "second"))
            else:
                out += diff(a[k], b[k], "%s.%s" % (path, k))
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append("%s: %d items != %d" % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            out += diff(x, y, "%s[%d]" % (path, i))
    elif a != b:
        out.append("%s: %r != %r" % (path, a, b))
    return out[:10]

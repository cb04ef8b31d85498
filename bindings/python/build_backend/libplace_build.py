"""A PEP 517 / PEP 660 build backend for the libplace package, standard
library only, so that `pip install ./bindings/python` works without fetching
setuptools or wheel.

It builds:
* a wheel of the package libplace/ (pure Python, py3-none-any); when
  LIBPLACE_BUNDLE_LIBRARY (or the config setting "bundle-library") names a
  shared library, that file is added as libplace/libplace.so.0 (the name the
  package looks for next to itself) and the wheel is tagged for this
  platform;
* an editable wheel (pip install -e): a .pth file pointing at this folder;
* an sdist.
"""

import base64
import hashlib
import io
import os
import re
import sys
import sysconfig
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "libplace"
ENV_BUNDLE = "LIBPLACE_BUNDLE_LIBRARY"


def _project():
    """name, version, description, requires-python, license from
    pyproject.toml's [project] table (simple `key = "value"` lines)."""
    with open(os.path.join(HERE, "pyproject.toml"), encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    table = m.group(1) if m else ""
    out = {}
    for key in ("name", "version", "description", "requires-python",
                "readme"):
        km = re.search(r'^%s\s*=\s*"([^"]*)"' % re.escape(key), table, re.M)
        if km:
            out[key] = km.group(1)
    lm = re.search(r'^license\s*=\s*\{\s*text\s*=\s*"([^"]*)"', table, re.M)
    if lm:
        out["license"] = lm.group(1)
    return out


def _metadata():
    p = _project()
    lines = ["Metadata-Version: 2.1",
             "Name: %s" % p["name"],
             "Version: %s" % p["version"]]
    if "description" in p:
        lines.append("Summary: %s" % p["description"])
    if "license" in p:
        lines.append("License: %s" % p["license"])
    if "requires-python" in p:
        lines.append("Requires-Python: %s" % p["requires-python"])
    body = ""
    readme = os.path.join(HERE, p.get("readme", "README.md"))
    if os.path.exists(readme):
        lines.append("Description-Content-Type: text/markdown")
        with open(readme, encoding="utf-8") as f:
            body = f.read()
    return "\n".join(lines) + "\n\n" + body


def _dist_name():
    p = _project()
    return re.sub(r"[-_.]+", "_", p["name"]), p["version"]


def _bundle(config_settings):
    path = (config_settings or {}).get("bundle-library") or \
        os.environ.get(ENV_BUNDLE)
    if not path:
        return None
    path = os.path.realpath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError("%s: no such shared library" % path)
    return path


def _platform_tag():
    return re.sub(r"[-.]", "_", sysconfig.get_platform())


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
    return "%s,sha256=%s,%d" % (arcname, digest.rstrip(b"=").decode(),
                                len(data))


def _package_files():
    src = os.path.join(HERE, PACKAGE)
    for name in sorted(os.listdir(src)):
        if name.endswith(".py") or name == "py.typed":
            yield os.path.join(src, name), "%s/%s" % (PACKAGE, name)


def _write_wheel(wheel_directory, files, tag, purelib):
    """files: list of (arcname, bytes). Returns the wheel's file name."""
    name, version = _dist_name()
    distinfo = "%s-%s.dist-info" % (name, version)
    wheel_name = "%s-%s-%s.whl" % (name, version, tag)
    wheel_meta = ("Wheel-Version: 1.0\nGenerator: libplace_build\n"
                  "Root-Is-Purelib: %s\nTag: %s\n"
                  % ("true" if purelib else "false", tag))
    files = list(files) + [
        ("%s/METADATA" % distinfo, _metadata().encode("utf-8")),
        ("%s/WHEEL" % distinfo, wheel_meta.encode("utf-8")),
        ("%s/top_level.txt" % distinfo, (PACKAGE + "\n").encode()),
    ]
    record = [_record_line(a, d) for a, d in files]
    record.append("%s/RECORD,," % distinfo)
    files.append(("%s/RECORD" % distinfo,
                  ("\n".join(record) + "\n").encode("utf-8")))
    os.makedirs(wheel_directory, exist_ok=True)
    path = os.path.join(wheel_directory, wheel_name)
    # A fixed date keeps the wheel reproducible.
    stamp = (2020, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data in files:
            info = zipfile.ZipInfo(arcname, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if arcname.endswith((".so", ".so.0")) else 0o644
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, data)
    return wheel_name


def _read(path):
    with open(path, "rb") as f:
        return f.read()


# ---- PEP 517 ------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory,
                                     config_settings=None):
    name, version = _dist_name()
    distinfo = "%s-%s.dist-info" % (name, version)
    d = os.path.join(metadata_directory, distinfo)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "METADATA"), "w", encoding="utf-8") as f:
        f.write(_metadata())
    return distinfo


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None,
                metadata_directory=None):
    files = [(arc, _read(p)) for p, arc in _package_files()]
    bundled = _bundle(config_settings)
    if bundled:
        files.append(("%s/libplace.so.0" % PACKAGE, _read(bundled)))
        tag = "py3-none-%s" % _platform_tag()
    else:
        tag = "py3-none-any"
    return _write_wheel(wheel_directory, files, tag, purelib=not bundled)


def build_editable(wheel_directory, config_settings=None,
                   metadata_directory=None):
    pth = (HERE + "\n").encode(sys.getfilesystemencoding())
    return _write_wheel(wheel_directory, [("__editable__.libplace.pth", pth)],
                        "py3-none-any", purelib=True)


def build_sdist(sdist_directory, config_settings=None):
    name, version = _dist_name()
    base = "%s-%s" % (name, version)
    members = [("pyproject.toml", os.path.join(HERE, "pyproject.toml")),
               ("README.md", os.path.join(HERE, "README.md")),
               ("build_backend/libplace_build.py", os.path.abspath(__file__))]
    members += [(arc, p) for p, arc in _package_files()]
    os.makedirs(sdist_directory, exist_ok=True)
    fname = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, fname), "w:gz",
                      format=tarfile.PAX_FORMAT) as tar:
        def add(arc, data):
            info = tarfile.TarInfo("%s/%s" % (base, arc))
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
        for arc, p in members:
            if os.path.exists(p):
                add(arc, _read(p))
        add("PKG-INFO", _metadata().encode("utf-8"))
    return fname

"""The ctypes layer: finding libplace, and the prototype of every function of
place.h.

Nothing here is Pythonic; the classes in _core.py are. Each function of
place.h gets argtypes and restype below (tests/python checks that the list is
complete against the header). Conventions:

* opaque handles are distinct POINTER types, so that passing a problem where
  a context is expected fails in ctypes rather than in C;
* borrowed strings (static, or owned by a context or result) are c_char_p:
  ctypes copies them into bytes at once;
* strings that the caller owns (place_result_write, place_problem_export)
  come back through POINTER(POINTER(c_char)) out parameters, so that ctypes
  keeps the address; they are copied with string_at() and released with
  place_mem_free().
"""

import ctypes
import ctypes.util
import os
import sys
from ctypes import (CFUNCTYPE, POINTER, Structure, c_char, c_char_p, c_double,
                    c_int, c_int32, c_int64, c_size_t, c_uint, c_void_p)

#: The release of libplace that this package was written for. The library
#: found at import must have the same major and minor version (the patch
#: level may differ).
EXPECTED_MAJOR = 0
EXPECTED_MINOR = 1

#: Environment variable naming the shared library to load (a file, or a
#: folder that holds libplace.so.0).
ENV_LIBRARY = "LIBPLACE_LIBRARY"

# ---- constants of place.h ----------------------------------------------

PLACE_OK = 0
PLACE_ERROR = -1
PLACE_ENOMEM = -2
PLACE_EINVAL = -3
PLACE_EIO = -4
PLACE_EPARSE = -5
PLACE_ESCHEMA = -6
PLACE_EUNSUPPORTED = -7
PLACE_ELIMIT = -8
PLACE_ESOLVER = -9

STATUS_NAMES = {
    PLACE_OK: "PLACE_OK",
    PLACE_ERROR: "PLACE_ERROR",
    PLACE_ENOMEM: "PLACE_ENOMEM",
    PLACE_EINVAL: "PLACE_EINVAL",
    PLACE_EIO: "PLACE_EIO",
    PLACE_EPARSE: "PLACE_EPARSE",
    PLACE_ESCHEMA: "PLACE_ESCHEMA",
    PLACE_EUNSUPPORTED: "PLACE_EUNSUPPORTED",
    PLACE_ELIMIT: "PLACE_ELIMIT",
    PLACE_ESOLVER: "PLACE_ESOLVER",
}

PLACE_LOG_NONE = 0
PLACE_LOG_ERROR = 1
PLACE_LOG_WARN = 2
PLACE_LOG_INFO = 3
PLACE_LOG_DEBUG = 4

PLACE_FORMAT_AUTO = 0
PLACE_FORMAT_YAML = 1
PLACE_FORMAT_JSON = 2

PLACE_EXPORT_LP = 0
PLACE_EXPORT_MPS = 1

PLACE_OUTCOME_OPTIMAL = 0
PLACE_OUTCOME_FEASIBLE = 1

PLACE_REASON_NODE_AFFINITY = 0
PLACE_REASON_TAINT_TOLERATION = 1
PLACE_REASON_NODE_RESOURCES_FIT = 2
PLACE_REASON_OFFLOADING_POLICY = 3

PLACE_OUTPUT_JSON = 0
PLACE_OUTPUT_TEXT = 1
PLACE_OUTPUT_YAML = 2

PLACE_WRITE_NO_TIMINGS = 1 << 0

PLACE_SOLVE_NO_EXPLAIN = 1 << 0
PLACE_SOLVE_NO_CANDIDATES = 1 << 3
PLACE_SOLVE_REGRET_EXACT = 1 << 1
PLACE_SOLVE_REGRET_LP = 1 << 2

PLACE_CTX_OPTIONS_VERSION = 2
PLACE_SOLVE_OPTIONS_VERSION = 1

# ---- types ----------------------------------------------------------------


class place_ctx(Structure):
    """Opaque."""


class place_problem(Structure):
    """Opaque."""


class place_result(Structure):
    """Opaque."""


class place_workload(Structure):
    """Opaque."""


class place_candidate(Structure):
    """Opaque."""


class place_target(Structure):
    """Opaque."""


class place_bottleneck(Structure):
    """Opaque."""


ctx_p = POINTER(place_ctx)
problem_p = POINTER(place_problem)
result_p = POINTER(place_result)
workload_p = POINTER(place_workload)
candidate_p = POINTER(place_candidate)
target_p = POINTER(place_target)
bottleneck_p = POINTER(place_bottleneck)
#: An owned string: the address is kept so it can be given back.
owned_str_p = POINTER(c_char)


class place_location(Structure):
    _fields_ = [
        ("source", c_char_p),
        ("line", c_uint),
        ("column", c_uint),
        ("object", c_char_p),
        ("path", c_char_p),
    ]


place_log_cb = CFUNCTYPE(None, c_int, c_char_p, c_void_p)
malloc_fn_t = CFUNCTYPE(c_void_p, c_size_t, c_void_p)
realloc_fn_t = CFUNCTYPE(c_void_p, c_void_p, c_size_t, c_void_p)
free_fn_t = CFUNCTYPE(None, c_void_p, c_void_p)


class place_allocator(Structure):
    _fields_ = [
        ("malloc_fn", malloc_fn_t),
        ("realloc_fn", realloc_fn_t),
        ("free_fn", free_fn_t),
        ("payload", c_void_p),
    ]


class place_ctx_options(Structure):
    _fields_ = [
        ("version", c_uint),
        ("allocator", POINTER(place_allocator)),
        ("log_cb", place_log_cb),
        ("log_payload", c_void_p),
        ("log_level", c_int),
        ("max_input_bytes", c_size_t),
        ("max_depth", c_uint),
        ("max_documents", c_size_t),
        ("max_nodes", c_size_t),
        # version 2
        ("max_scalar_bytes", c_size_t),
        ("max_workloads", c_size_t),
        ("max_targets", c_size_t),
        ("max_pairs", c_size_t),
    ]


class place_solve_options(Structure):
    _fields_ = [
        ("version", c_uint),
        ("time_limit", c_double),
        ("mip_gap", c_double),
        ("flags", c_uint),
    ]


# ---- prototypes -------------------------------------------------------------
# name: (restype, [argtypes]). Every PLACE_API function of place.h.

PROTOTYPES = {
    # version
    "place_version": (c_char_p, []),
    "place_version_number": (c_int, []),
    "place_threadsafe": (c_int, []),
    "place_thread_cleanup": (None, []),
    # errors
    "place_strerror": (c_char_p, [c_int]),
    # context
    "place_ctx_options_init": (c_int, [POINTER(place_ctx_options), c_uint]),
    "place_ctx_new": (c_int, [POINTER(ctx_p), POINTER(place_ctx_options)]),
    "place_ctx_free": (None, [ctx_p]),
    "place_errcode": (c_int, [ctx_p]),
    "place_errmsg": (c_char_p, [ctx_p]),
    "place_errloc": (c_int, [ctx_p, POINTER(place_location)]),
    "place_mem_free": (None, [ctx_p, c_void_p]),
    # problems
    "place_problem_new": (c_int, [POINTER(problem_p), ctx_p]),
    "place_problem_free": (None, [problem_p]),
    "place_problem_add_document": (
        c_int, [problem_p, c_char_p, c_size_t, c_int, c_char_p]),
    "place_problem_add_file": (c_int, [problem_p, c_char_p, c_int]),
    "place_problem_check": (c_int, [problem_p]),
    "place_problem_document_count": (c_size_t, [problem_p]),
    "place_problem_ignored_count": (c_size_t, [problem_p]),
    "place_problem_workload_count": (c_size_t, [problem_p]),
    "place_problem_target_count": (c_size_t, [problem_p]),
    # solving
    "place_solve_options_init": (
        c_int, [POINTER(place_solve_options), c_uint]),
    "place_solve": (
        c_int, [POINTER(result_p), problem_p, POINTER(place_solve_options)]),
    "place_problem_export": (
        c_int, [problem_p, c_int, POINTER(owned_str_p), POINTER(c_size_t)]),
    # results
    "place_reason_code_name": (c_char_p, [c_int]),
    "place_result_outcome": (c_int, [result_p]),
    "place_result_all_placed": (c_int, [result_p]),
    "place_result_objective": (c_double, [result_p]),
    "place_result_bound": (c_double, [result_p]),
    "place_result_gap": (c_double, [result_p]),
    "place_result_placed_bound": (c_double, [result_p]),
    "place_result_method": (c_char_p, [result_p]),
    "place_result_document_count": (c_size_t, [result_p]),
    "place_result_ignored_count": (c_size_t, [result_p]),
    "place_result_variable_count": (c_size_t, [result_p]),
    "place_result_constraint_count": (c_size_t, [result_p]),
    "place_result_seconds": (c_double, [result_p]),
    "place_result_workload_count": (c_size_t, [result_p]),
    "place_result_workload": (workload_p, [result_p, c_size_t]),
    "place_result_find_workload": (
        workload_p, [result_p, c_char_p, c_char_p]),
    "place_workload_kind": (c_char_p, [workload_p]),
    "place_workload_namespace": (c_char_p, [workload_p]),
    "place_workload_name": (c_char_p, [workload_p]),
    "place_workload_replicas": (c_int64, [workload_p]),
    "place_workload_placed": (c_int64, [workload_p]),
    "place_workload_unplaced": (c_int64, [workload_p]),
    "place_workload_priority": (c_int32, [workload_p]),
    "place_workload_summary": (c_char_p, [workload_p]),
    "place_workload_request_count": (c_size_t, [workload_p]),
    "place_workload_request_name": (c_char_p, [workload_p, c_size_t]),
    "place_workload_request_value": (c_int64, [workload_p, c_size_t]),
    "place_workload_assignment_count": (c_size_t, [workload_p]),
    "place_workload_assignment_target": (c_char_p, [workload_p, c_size_t]),
    "place_workload_assignment_replicas": (c_int64, [workload_p, c_size_t]),
    "place_workload_candidate_count": (c_size_t, [workload_p]),
    "place_workload_candidate": (candidate_p, [workload_p, c_size_t]),
    "place_candidate_target": (c_char_p, [candidate_p]),
    "place_candidate_feasible": (c_int, [candidate_p]),
    "place_candidate_rank": (c_uint, [candidate_p]),
    "place_candidate_chosen": (c_int, [candidate_p]),
    "place_candidate_replicas": (c_int64, [candidate_p]),
    "place_candidate_score": (c_int64, [candidate_p]),
    "place_candidate_score_term_count": (c_size_t, [candidate_p]),
    "place_candidate_score_term_code": (c_char_p, [candidate_p, c_size_t]),
    "place_candidate_score_term_value": (c_int64, [candidate_p, c_size_t]),
    "place_candidate_reason_count": (c_size_t, [candidate_p]),
    "place_candidate_reason_code": (c_int, [candidate_p, c_size_t]),
    "place_candidate_reason_message": (c_char_p, [candidate_p, c_size_t]),
    # regret
    "place_result_regret_method": (c_char_p, [result_p]),
    "place_candidate_has_regret": (c_int, [candidate_p]),
    "place_candidate_regret": (c_double, [candidate_p]),
    "place_candidate_regret_replicas": (c_int64, [candidate_p]),
    "place_candidate_regret_exact": (c_int, [candidate_p]),
    # why not chosen
    "place_candidate_why_not_code": (c_char_p, [candidate_p]),
    "place_candidate_why_not_message": (c_char_p, [candidate_p]),
    "place_candidate_holder_count": (c_size_t, [candidate_p]),
    "place_candidate_holder_workload": (c_char_p, [candidate_p, c_size_t]),
    "place_candidate_holder_replicas": (c_int64, [candidate_p, c_size_t]),
    # relaxations
    "place_workload_relaxation_count": (c_size_t, [workload_p]),
    "place_workload_relaxation_change_count": (
        c_size_t, [workload_p, c_size_t]),
    "place_workload_relaxation_change_kind": (
        c_char_p, [workload_p, c_size_t, c_size_t]),
    "place_workload_relaxation_change_message": (
        c_char_p, [workload_p, c_size_t, c_size_t]),
    "place_workload_relaxation_change_target": (
        c_char_p, [workload_p, c_size_t, c_size_t]),
    "place_workload_relaxation_change_resource": (
        c_char_p, [workload_p, c_size_t, c_size_t]),
    "place_workload_relaxation_change_amount": (
        c_int64, [workload_p, c_size_t, c_size_t]),
    "place_workload_relaxation_change_workload": (
        c_char_p, [workload_p, c_size_t, c_size_t]),
    # bottlenecks
    "place_result_bottleneck_count": (c_size_t, [result_p]),
    "place_result_bottleneck": (bottleneck_p, [result_p, c_size_t]),
    "place_bottleneck_target": (c_char_p, [bottleneck_p]),
    "place_bottleneck_resource": (c_char_p, [bottleneck_p]),
    "place_bottleneck_allocatable": (c_int64, [bottleneck_p]),
    "place_bottleneck_requested": (c_int64, [bottleneck_p]),
    "place_bottleneck_utilization": (c_double, [bottleneck_p]),
    "place_bottleneck_binding": (c_int, [bottleneck_p]),
    "place_bottleneck_dual": (c_double, [bottleneck_p]),
    "place_result_placement_weight": (c_double, [result_p]),
    # targets
    "place_result_target_count": (c_size_t, [result_p]),
    "place_result_target": (target_p, [result_p, c_size_t]),
    "place_target_name": (c_char_p, [target_p]),
    "place_target_virtual": (c_int, [target_p]),
    "place_target_resource_count": (c_size_t, [target_p]),
    "place_target_resource_name": (c_char_p, [target_p, c_size_t]),
    "place_target_allocatable": (c_int64, [target_p, c_size_t]),
    "place_target_requested": (c_int64, [target_p, c_size_t]),
    "place_result_write": (
        c_int, [result_p, c_int, workload_p, c_uint, POINTER(owned_str_p),
                POINTER(c_size_t)]),
    "place_result_free": (None, [result_p]),
}

# ---- loading ----------------------------------------------------------------

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _library_names():
    """File names of the shared library on this platform, best first."""
    if sys.platform == "darwin":
        return ["libplace.0.dylib", "libplace.dylib"]
    if sys.platform == "win32":
        return ["place.dll", "libplace.dll"]
    return ["libplace.so.0", "libplace.so"]


def _candidates():
    """(how, what) pairs to try, in order."""
    env = os.environ.get(ENV_LIBRARY)
    if env:
        if os.path.isdir(env):
            for n in _library_names():
                yield ENV_LIBRARY, os.path.join(env, n)
        else:
            yield ENV_LIBRARY, env
        # An explicit choice that fails is an error, not a reason to load
        # some other copy.
        return
    for n in _library_names():
        p = os.path.join(_PACKAGE_DIR, n)
        if os.path.exists(p):
            yield "package", p
    # The system: the dynamic loader's own search (LD_LIBRARY_PATH, the
    # ldconfig cache, the default folders) for the soname, then
    # find_library().
    yield "system", _library_names()[0]
    found = ctypes.util.find_library("place")
    if found:
        yield "system", found


def load():
    """Find and open the shared library; return (CDLL, path or name)."""
    tried = []
    explicit = bool(os.environ.get(ENV_LIBRARY))
    for how, what in _candidates():
        try:
            # CDLL (not PyDLL): ctypes releases the GIL around every call,
            # so solves on several threads run in parallel.
            return ctypes.CDLL(what), what
        except OSError as e:
            tried.append("%s (%s): %s" % (what, how, e))
            if explicit:
                break
    raise ImportError(
        "libplace: cannot load the shared library libplace.so.0. Set %s to "
        "its path, install it with `cmake --install`, or copy it into %s. "
        "Tried:\n  %s" % (ENV_LIBRARY, _PACKAGE_DIR, "\n  ".join(tried)))


def declare(lib):
    """Set restype and argtypes of every function; a missing symbol is an
    ImportError naming it."""
    missing = []
    for name, (restype, argtypes) in PROTOTYPES.items():
        try:
            fn = getattr(lib, name)
        except AttributeError:
            missing.append(name)
            continue
        fn.restype = restype
        fn.argtypes = argtypes
    if missing:
        raise ImportError("libplace: the shared library lacks "
                          + ", ".join(missing))
    return lib


def check_version(lib):
    n = lib.place_version_number()
    major, minor = n // 1000000, n // 1000 % 1000
    if (major, minor) != (EXPECTED_MAJOR, EXPECTED_MINOR):
        raise ImportError(
            "libplace: the shared library is version %s but this package "
            "needs %d.%d.x" % (lib.place_version().decode(), EXPECTED_MAJOR,
                               EXPECTED_MINOR))
    return n


lib, path = load()
declare(lib)
version_number = check_version(lib)
version = lib.place_version().decode()
threadsafe = bool(lib.place_threadsafe())

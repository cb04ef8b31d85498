"""libplace: place Kubernetes workloads across a federation of clusters.

Python bindings (ctypes, standard library only) over the shared library
libplace.so.0. Quick use:

    import libplace
    result = libplace.solve(["nodes.yaml", "shop.yaml"])
    for w in result.workloads:
        print(w.key, w.placed, "/", w.replicas, list(w.assignments))
    print(result.to_json())

The shared library is found, in order: the path in $LIBPLACE_LIBRARY; a
libplace.so.0 next to this file; the system (the dynamic loader's search,
then ctypes.util.find_library("place")). Its major.minor version must match
this package's.
"""

from ._core import (Assignment, Bottleneck, Candidate, Change, Context,
                    Holder, PlaceError, Problem, Reason, Result, ScoreTerm,
                    Target, WhyNot, Workload, solve, strerror)
from . import _lib

#: The shared library's version, from place_version().
__version__ = _lib.version
#: The shared library's PLACE_VERSION_NUMBER (major*1000000+minor*1000+patch).
version_number = _lib.version_number
#: Where the shared library was loaded from.
library_path = _lib.path
#: True when distinct contexts may solve concurrently (GLPK with
#: thread-local storage); when False the bindings serialise the solves.
threadsafe = _lib.threadsafe

__all__ = ["solve", "Context", "Problem", "Result", "Workload", "Candidate",
           "Target", "Assignment", "ScoreTerm", "Reason", "WhyNot", "Holder",
           "Change", "Bottleneck", "PlaceError",
           "strerror", "__version__", "version_number", "library_path",
           "threadsafe"]

"""Contexts, problems, results and errors over the ctypes layer.

Ownership, as place.h states it and as these classes keep it:

* a Context owns the C context; every Problem and Result made from it keeps
  it alive, so the context is freed after them (by close(), by the garbage
  collector, or at interpreter exit, where finalizers run newest first);
* Context.close() closes the results and problems still open on it first;
  a context that Problem() or solve() made by itself is freed after the
  last problem and result made from it;
* a Result owns its place_result; Workload, Candidate and Target objects read
  from it (some on first use) and keep the values: what was read stays
  readable after the result is closed, the rest raises ValueError;
* text that the library hands over (place_result_write,
  place_problem_export) is copied and released with place_mem_free().

A Context, and what is made from it, is used by one thread at a time (the
library has no locks); distinct contexts may be used on distinct threads.
libplace.solve() makes a context per call, so it may be called from several
threads at once.
"""

import json
import os
import threading
import weakref
from ctypes import byref, c_size_t, c_void_p, cast, string_at

from . import _lib as L

lib = L.lib

# Serialises GLPK when the library says it is not thread-safe (GLPK built
# without thread-local storage); otherwise solves run in parallel.
_glpk_lock = threading.Lock() if not L.threadsafe else None


def _glpk(fn, *args):
    if _glpk_lock is None:
        return fn(*args)
    with _glpk_lock:
        return fn(*args)


def _str(b):
    return None if b is None else b.decode("utf-8", "replace")


def _take_string(ctx_handle, out, n):
    """Copy an owned string handed over by the library, then free it."""
    try:
        if not out:
            return ""
        return string_at(out, n.value).decode("utf-8", "replace")
    finally:
        if out:
            lib.place_mem_free(ctx_handle, cast(out, c_void_p))


# ---- errors -------------------------------------------------------------


class PlaceError(Exception):
    """A libplace call failed.

    code       the place_status (negative int), also class constants below
    code_name  "PLACE_ESCHEMA", ...
    message    place_errmsg(): "FILE:LINE:COLUMN: KIND NS/NAME: PATH: text"
    file, line, column, object, path   place_errloc(), None/0 when unknown
    """

    OK = L.PLACE_OK
    ERROR = L.PLACE_ERROR
    ENOMEM = L.PLACE_ENOMEM
    EINVAL = L.PLACE_EINVAL
    EIO = L.PLACE_EIO
    EPARSE = L.PLACE_EPARSE
    ESCHEMA = L.PLACE_ESCHEMA
    EUNSUPPORTED = L.PLACE_EUNSUPPORTED
    ELIMIT = L.PLACE_ELIMIT
    ESOLVER = L.PLACE_ESOLVER

    def __init__(self, code, message, file=None, line=0, column=0,
                 object=None, path=None):
        super().__init__(message)
        self.code = code
        self.code_name = L.STATUS_NAMES.get(code, "PLACE_E%d" % -code)
        self.strerror = _str(lib.place_strerror(code))
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.object = object
        self.path = path

    def __str__(self):
        return self.message

    def __repr__(self):
        return "PlaceError(%s, %r)" % (self.code_name, self.message)

    @classmethod
    def _from_ctx(cls, ctx_handle, rc):
        """Read the error record of a context right after a failed call
        (the strings are borrowed until the next call, so copy now)."""
        code = lib.place_errcode(ctx_handle) or rc
        message = _str(lib.place_errmsg(ctx_handle))
        loc = L.place_location()
        if lib.place_errloc(ctx_handle, byref(loc)) == L.PLACE_OK:
            return cls(code, message, _str(loc.source), loc.line, loc.column,
                       _str(loc.object), _str(loc.path))
        return cls(code, message)


def strerror(code):
    """place_strerror(): static English text for a status code."""
    return _str(lib.place_strerror(code))


# ---- context ----------------------------------------------------------------

_LOG_LEVELS = {"none": L.PLACE_LOG_NONE, "error": L.PLACE_LOG_ERROR,
               "warn": L.PLACE_LOG_WARN, "warning": L.PLACE_LOG_WARN,
               "info": L.PLACE_LOG_INFO, "debug": L.PLACE_LOG_DEBUG}
_LOG_NAMES = {v: k for k, v in _LOG_LEVELS.items() if k != "warning"}


class _Handle:
    """Something with a C handle, freed exactly once: by close() (when
    nothing made from it is still open), by the garbage collector, or at
    interpreter exit.

    _deps are the handles this one needs (a result needs its context); the
    finalizer holds them, so they cannot be freed first, and after freeing
    this handle it lets each of them free itself if it was closed or is
    automatic (a context made by Problem() or solve()).
    """

    _what = "object"

    def _own(self, handle, free, deps=()):
        self._handle = handle
        self._closing = False
        self._auto = False
        self._users = weakref.WeakSet()
        for d in deps:
            d._users.add(self)
        self._finalizer = weakref.finalize(self, _free_handle, free, handle,
                                           tuple(deps))

    @property
    def closed(self):
        """True after close() (the C object may still wait for what was
        made from it)."""
        return self._closing or not self._finalizer.alive

    def _h(self):
        if self._closing or not self._finalizer.alive:
            raise ValueError("the %s is closed" % self._what)
        return self._handle

    def close(self):
        """Free the C object (once nothing made from it is open).
        Idempotent."""
        self._closing = True
        self._maybe_free()

    def _maybe_free(self):
        if not self._finalizer.alive or not (self._closing or self._auto):
            return
        if any(u._finalizer.alive for u in list(self._users)):
            return
        self._finalizer()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _free_handle(free, handle, deps):
    free(handle)
    for d in deps:
        d._maybe_free()


class Context(_Handle):
    """A place_ctx: limits, logging and the last error.

    log        a callable(level_name, message) receiving the library's log
               lines ("error", "warn", "info", "debug"), or None
    log_level  "none", "error", "warn", "info" or "debug"
    max_input_bytes, max_depth, max_documents, max_nodes, max_scalar_bytes,
    max_workloads, max_targets, max_pairs
               limits, as in place_ctx_options (0: the library's defaults)
    """

    _what = "context"

    def __init__(self, *, log=None, log_level="warn", max_input_bytes=0,
                 max_depth=0, max_documents=0, max_nodes=0,
                 max_scalar_bytes=0, max_workloads=0, max_targets=0,
                 max_pairs=0):
        opts = L.place_ctx_options()
        rc = lib.place_ctx_options_init(byref(opts),
                                        L.PLACE_CTX_OPTIONS_VERSION)
        v2 = {"max_scalar_bytes": max_scalar_bytes,
              "max_workloads": max_workloads, "max_targets": max_targets,
              "max_pairs": max_pairs}
        if rc == L.PLACE_EINVAL:
            # A library of the same 0.1 series that predates version 2 of
            # the options: it knows only the first limits.
            rc = lib.place_ctx_options_init(byref(opts), 1)
            given = [k for k, v in v2.items() if v]
            if rc == L.PLACE_OK and given:
                raise ValueError("this libplace has no %s" % ", ".join(given))
            v2 = {}
        if rc != L.PLACE_OK:
            raise PlaceError(rc, "place_ctx_options_init: " + strerror(rc))
        self._log_cb = None
        if log is not None:
            if log_level not in _LOG_LEVELS:
                raise ValueError("log_level: one of " + ", ".join(_LOG_LEVELS))

            def cb(level, msg, payload, _log=log):
                try:
                    _log(_LOG_NAMES.get(level, str(level)), _str(msg))
                except Exception:  # never raise into C
                    pass

            # Kept on the object: the C side holds only the pointer.
            self._log_cb = L.place_log_cb(cb)
            opts.log_cb = self._log_cb
            opts.log_level = _LOG_LEVELS[log_level]
        opts.max_input_bytes = max_input_bytes
        opts.max_depth = max_depth
        opts.max_documents = max_documents
        opts.max_nodes = max_nodes
        for k, v in v2.items():
            setattr(opts, k, v)
        handle = L.ctx_p()
        rc = lib.place_ctx_new(byref(handle), byref(opts))
        if rc != L.PLACE_OK:
            raise PlaceError(rc, "place_ctx_new: " + strerror(rc))
        self._own(handle, lib.place_ctx_free)

    def close(self):
        """Close the results and problems still open on this context, then
        the context."""
        users = list(self._users)
        for u in users:
            if isinstance(u, Result):
                u.close()
        for u in users:
            u.close()
        super().close()

    def _error(self, rc):
        return PlaceError._from_ctx(self._h(), rc)

    @property
    def errcode(self):
        """place_errcode(): the code of the last failed call, or 0."""
        return lib.place_errcode(self._h())

    @property
    def errmsg(self):
        """place_errmsg(): the message of the last failed call."""
        return _str(lib.place_errmsg(self._h()))

    def problem(self):
        """A new, empty Problem on this context."""
        return Problem(context=self)

    def __repr__(self):
        return "<libplace.Context%s>" % (" closed" if self.closed else "")


# ---- problems ---------------------------------------------------------------

_FORMATS = {"auto": L.PLACE_FORMAT_AUTO, "yaml": L.PLACE_FORMAT_YAML,
            "json": L.PLACE_FORMAT_JSON}
_EXPORTS = {"lp": L.PLACE_EXPORT_LP, "mps": L.PLACE_EXPORT_MPS}


def _format(fmt):
    try:
        return _FORMATS[fmt]
    except KeyError:
        raise ValueError("format: 'auto', 'yaml' or 'json', not %r" % (fmt,))


def _fspath(p):
    return os.fsencode(p)


def _looks_like_path(s):
    return "\n" not in s and len(s) < 4096 and os.path.isfile(s)


_REGRET_FLAGS = {None: 0, "auto": 0, "exact": L.PLACE_SOLVE_REGRET_EXACT,
                 "lp": L.PLACE_SOLVE_REGRET_LP}


def _solve_options(time_limit, mip_gap, explain=True, regret=None,
                   candidates=True):
    if regret not in _REGRET_FLAGS:
        raise ValueError("regret: None, 'auto', 'exact' or 'lp', not %r"
                         % (regret,))
    so = L.place_solve_options()
    rc = lib.place_solve_options_init(byref(so), L.PLACE_SOLVE_OPTIONS_VERSION)
    if rc != L.PLACE_OK:
        raise PlaceError(rc, "place_solve_options_init: " + strerror(rc))
    if time_limit is not None:
        if time_limit <= 0:
            raise ValueError("time_limit must be positive seconds")
        so.time_limit = float(time_limit)
    if mip_gap is not None:
        if mip_gap < 0:
            raise ValueError("mip_gap must be >= 0")
        so.mip_gap = float(mip_gap)
    so.flags = _REGRET_FLAGS[regret] | (0 if explain else
                                        L.PLACE_SOLVE_NO_EXPLAIN)
    if not candidates:
        so.flags |= L.PLACE_SOLVE_NO_CANDIDATES
    return so


def policy_document(policy):
    """A PlacementPolicy given as a dict: the whole document, or only its
    spec (then apiVersion, kind and metadata are added)."""
    if "kind" not in policy:
        return {"apiVersion": "libplace.io/v1alpha1",
                "kind": "PlacementPolicy", "metadata": {"name": "policy"},
                "spec": policy}
    if policy.get("kind") != "PlacementPolicy":
        raise ValueError("policy: kind %r is not PlacementPolicy"
                         % (policy.get("kind"),))
    return policy


class Problem(_Handle):
    """A place_problem: the documents of one placement.

    Problem() makes its own Context (closed with the problem, or later with
    the last result solved from it); Problem(context=ctx) uses ctx.
    """

    _what = "problem"

    def __init__(self, context=None):
        if context is None:
            context = Context()
            context._auto = True  # freed after its last problem and result
        self.context = context
        handle = L.problem_p()
        rc = lib.place_problem_new(byref(handle), context._h())
        if rc != L.PLACE_OK:
            err = context._error(rc)
            context._maybe_free()
            raise err
        self._own(handle, lib.place_problem_free, (context,))
        self._sources = 0

    def _check(self, rc):
        if rc != L.PLACE_OK:
            raise self.context._error(rc)

    def _source_name(self, kind):
        self._sources += 1
        return "<%s %d>" % (kind, self._sources)

    def add_file(self, path, format="auto"):
        """place_problem_add_file(): read a YAML or JSON file."""
        self._check(lib.place_problem_add_file(self._h(), _fspath(path),
                                               _format(format)))
        return self

    def add_text(self, text, format="auto", source=None):
        """place_problem_add_document(): YAML or JSON text (str or bytes);
        `source` names it in error messages (default "<text N>")."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        if source is None:
            source = self._source_name("text")
        self._check(lib.place_problem_add_document(
            self._h(), data, len(data), _format(format),
            source.encode("utf-8")))
        return self

    def add_dict(self, obj, source=None):
        """A document as a dict, or several as a list of dicts (sent as
        JSON; error locations point into json.dumps(obj, indent=2))."""
        if not isinstance(obj, (dict, list, tuple)):
            raise TypeError("add_dict: a dict or a list of dicts")
        text = json.dumps(obj, indent=2, ensure_ascii=False)
        if source is None:
            source = self._source_name("dict")
        return self.add_text(text, "json", source)

    def add(self, item):
        """Add one input: a dict or list of dicts; a path (str or PathLike)
        of an existing file; else YAML or JSON text (str or bytes)."""
        if isinstance(item, (dict, list, tuple)):
            return self.add_dict(item)
        if isinstance(item, os.PathLike):
            return self.add_file(item)
        if isinstance(item, str):
            if _looks_like_path(item):
                return self.add_file(item)
            return self.add_text(item)
        if isinstance(item, (bytes, bytearray, memoryview)):
            return self.add_text(bytes(item))
        raise TypeError("input: a path, YAML/JSON text, or a dict/list; not "
                        + type(item).__name__)

    def add_policy(self, policy):
        """A PlacementPolicy: a path, text, or a dict (the document or only
        its spec)."""
        if isinstance(policy, dict):
            return self.add_dict(policy_document(policy))
        return self.add(policy)

    def check(self):
        """place_problem_check(): validate the references between
        documents; raises PlaceError."""
        self._check(lib.place_problem_check(self._h()))
        return self

    @property
    def document_count(self):
        return lib.place_problem_document_count(self._h())

    @property
    def ignored_count(self):
        return lib.place_problem_ignored_count(self._h())

    @property
    def workload_count(self):
        return lib.place_problem_workload_count(self._h())

    @property
    def target_count(self):
        return lib.place_problem_target_count(self._h())

    def solve(self, *, time_limit=None, mip_gap=None, explain=True,
              regret=None, candidates=True):
        """place_solve(): a Result. time_limit in seconds and mip_gap
        override the PlacementPolicy's. explain=False skips the
        explanations that need the solver (regrets, why-not, relaxations,
        bottlenecks); regret="exact" or "lp" chooses how regrets are
        computed (default: the library decides by size); candidates=False
        leaves out the candidate lists (PLACE_SOLVE_NO_CANDIDATES), for
        federations of thousands of targets."""
        so = _solve_options(time_limit, mip_gap, explain, regret, candidates)
        handle = L.result_p()
        rc = _glpk(lib.place_solve, byref(handle), self._h(), byref(so))
        if rc != L.PLACE_OK:
            raise self.context._error(rc)
        return Result(handle, self.context, self)

    def export(self, fmt="lp"):
        """place_problem_export(): the integer program as text, "lp" (CPLEX
        LP) or "mps" (free MPS)."""
        try:
            f = _EXPORTS[fmt]
        except KeyError:
            raise ValueError("export format: 'lp' or 'mps', not %r" % (fmt,))
        out = L.owned_str_p()
        n = c_size_t()
        rc = _glpk(lib.place_problem_export, self._h(), f, byref(out),
                   byref(n))
        text = _take_string(self.context._h(), out, n)
        if rc != L.PLACE_OK:
            raise self.context._error(rc)
        return text

    def __repr__(self):
        if self.closed:
            return "<libplace.Problem closed>"
        return "<libplace.Problem %d documents, %d workloads, %d targets>" % (
            self.document_count, self.workload_count, self.target_count)


# ---- results ----------------------------------------------------------------

# A result does not refer to its problem (place.h); set to True to keep
# the C problem alive with each result anyway (a debugging aid).
_RESULT_KEEPS_PROBLEM = False

_OUTPUTS = {"json": L.PLACE_OUTPUT_JSON, "text": L.PLACE_OUTPUT_TEXT,
            "yaml": L.PLACE_OUTPUT_YAML}


def _record(name, fields, doc, json_fields=None):
    """A small immutable tuple with named fields (like a namedtuple, with
    to_dict() giving json_fields, by default all, under the camelCase names
    of the JSON)."""
    camel = {f: re_camel(f) for f in (json_fields or fields)}

    def new(cls, *args):
        return tuple.__new__(cls, args)

    def to_dict(self):
        return {camel[f]: v for f, v in zip(fields, self) if f in camel}

    def rep(self):
        return "%s(%s)" % (name, ", ".join(
            "%s=%r" % (f, v) for f, v in zip(fields, self)))

    ns = {"__slots__": (), "__new__": new, "__doc__": doc,
          "_fields": fields, "to_dict": to_dict, "__repr__": rep}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: self[i])
    return type(name, (tuple,), ns)


def re_camel(s):
    head, *rest = s.split("_")
    return head + "".join(p.title() for p in rest)


Assignment = _record("Assignment", ("target", "replicas"),
                     "(target, replicas): replicas of a workload on a target.")
ScoreTerm = _record("ScoreTerm", ("code", "value"),
                    "(code, value): one term of a candidate's soft score.")
Reason = _record("Reason", ("code", "message", "number"),
                 "(code, message, number): why a target cannot take a "
                 "workload; code is the name (\"NodeAffinity\", ...), number "
                 "the place_reason_code.", ("code", "message"))
Holder = _record("Holder", ("workload", "replicas"),
                 "(workload, replicas): a workload (\"Kind ns/name\") holding "
                 "replicas on a target.")
Change = _record("Change", ("kind", "message", "target", "resource",
                            "amount", "workload"),
                 "One change of a relaxation: kind (\"TaintToleration\", "
                 "\"NodeAffinity\", \"OffloadingPolicy\", \"NodeResourcesFit\","
                 " \"Capacity\", \"Eviction\"), message, target (or None), "
                 "resource (Capacity, else None), amount (Capacity: the "
                 "amount to add; Eviction: replicas), workload (Eviction: "
                 "\"ns/name\", else None).")
Bottleneck = _record("Bottleneck", ("target", "resource", "allocatable",
                                    "requested", "utilization", "binding",
                                    "dual"),
                     "A target's resource after placement: utilization = "
                     "requested/allocatable, binding when it limits the "
                     "placement, dual the LP dual value.")


class WhyNot:
    """Why a feasible candidate holds fewer replicas than it could: code
    "Capacity", "LowerScore", "Cost" or "Tie", a message, and the holders
    (the workloads using the target)."""

    __slots__ = ("code", "message", "holders")

    def __init__(self, code, message, holders):
        self.code = code
        self.message = message
        self.holders = holders

    def to_dict(self):
        return {"code": self.code, "message": self.message,
                "holders": [h.to_dict() for h in self.holders]}

    def __repr__(self):
        return "WhyNot(code=%r, message=%r)" % (self.code, self.message)


class Candidate:
    """One target as seen by one workload."""

    __slots__ = ("target", "feasible", "rank", "chosen", "replicas", "score",
                 "score_terms", "reasons", "regret", "regret_replicas",
                 "regret_exact", "why_not")

    def __init__(self, c):
        self.target = _str(lib.place_candidate_target(c))
        self.feasible = bool(lib.place_candidate_feasible(c))
        rank = lib.place_candidate_rank(c)
        #: 1-based rank among the feasible candidates; None when infeasible
        self.rank = rank if rank else None
        self.chosen = bool(lib.place_candidate_chosen(c))
        self.replicas = lib.place_candidate_replicas(c)
        self.score = lib.place_candidate_score(c)
        self.score_terms = [
            ScoreTerm(_str(lib.place_candidate_score_term_code(c, i)),
                      lib.place_candidate_score_term_value(c, i))
            for i in range(lib.place_candidate_score_term_count(c))]
        reasons = []
        for i in range(lib.place_candidate_reason_count(c)):
            code = lib.place_candidate_reason_code(c, i)
            reasons.append(Reason(
                _str(lib.place_reason_code_name(code)),
                _str(lib.place_candidate_reason_message(c, i)), code))
        self.reasons = reasons
        #: the regret (None when the candidate has none: infeasible, or
        #: explanations off), the replicas it costs, whether it is exact
        if lib.place_candidate_has_regret(c):
            self.regret = lib.place_candidate_regret(c)
            self.regret_replicas = lib.place_candidate_regret_replicas(c)
            self.regret_exact = bool(lib.place_candidate_regret_exact(c))
        else:
            self.regret = self.regret_replicas = self.regret_exact = None
        code = lib.place_candidate_why_not_code(c)
        if code is None:
            self.why_not = None
        else:
            self.why_not = WhyNot(
                _str(code), _str(lib.place_candidate_why_not_message(c)),
                [Holder(_str(lib.place_candidate_holder_workload(c, i)),
                        lib.place_candidate_holder_replicas(c, i))
                 for i in range(lib.place_candidate_holder_count(c))])

    def __repr__(self):
        return "<Candidate %s %s%s>" % (
            self.target,
            "rank %d" % self.rank if self.feasible else "infeasible",
            " x%d" % self.replicas if self.replicas else "")


class Workload:
    """One workload of a result. The scalar fields are read at once; the
    candidates and relaxations on first use (while the result is open)."""

    def __init__(self, result, w):
        self._result = result
        self._w = w
        self.kind = _str(lib.place_workload_kind(w))
        self.namespace = _str(lib.place_workload_namespace(w))
        self.name = _str(lib.place_workload_name(w))
        self.replicas = lib.place_workload_replicas(w)
        self.placed = lib.place_workload_placed(w)
        self.unplaced = lib.place_workload_unplaced(w)
        self.priority = lib.place_workload_priority(w)
        #: kube-scheduler style summary when replicas are unplaced, else None
        self.summary = _str(lib.place_workload_summary(w))
        #: requests of one replica: {"cpu": millicores, "memory": bytes, ...}
        self.requests = {
            _str(lib.place_workload_request_name(w, i)):
                lib.place_workload_request_value(w, i)
            for i in range(lib.place_workload_request_count(w))}
        self.assignments = [
            Assignment(_str(lib.place_workload_assignment_target(w, i)),
                       lib.place_workload_assignment_replicas(w, i))
            for i in range(lib.place_workload_assignment_count(w))]
        self._candidates = None
        self._relaxations = None

    @property
    def key(self):
        """"NAMESPACE/NAME"."""
        return "%s/%s" % (self.namespace, self.name)

    @property
    def candidates(self):
        """Every target: the feasible ones in rank order, then the others
        by name."""
        if self._candidates is None:
            self._result._h()
            w = self._w
            self._candidates = [
                Candidate(lib.place_workload_candidate(w, i))
                for i in range(lib.place_workload_candidate_count(w))]
        return self._candidates

    def candidate(self, target):
        """The Candidate for a target name (KeyError if none)."""
        for c in self.candidates:
            if c.target == target:
                return c
        raise KeyError(target)

    @property
    def relaxations(self):
        """For a workload with unplaced replicas: alternatives, each a list
        of Changes that together would place every replica."""
        if self._relaxations is None:
            self._result._h()
            w = self._w
            self._relaxations = [
                [Change(
                    _str(lib.place_workload_relaxation_change_kind(w, i, j)),
                    _str(lib.place_workload_relaxation_change_message(w, i,
                                                                      j)),
                    _str(lib.place_workload_relaxation_change_target(w, i,
                                                                     j)),
                    _str(lib.place_workload_relaxation_change_resource(w, i,
                                                                       j)),
                    lib.place_workload_relaxation_change_amount(w, i, j),
                    _str(lib.place_workload_relaxation_change_workload(w, i,
                                                                       j)))
                 for j in range(lib.place_workload_relaxation_change_count(
                     w, i))]
                for i in range(lib.place_workload_relaxation_count(w))]
        return self._relaxations

    def write(self, fmt="text"):
        """This workload alone, as `place explain --output FMT` writes it."""
        return self._result.write(fmt, workload=self)

    def to_dict(self):
        """This workload as the library's JSON writer gives it (the item of
        Result.to_dict()["workloads"])."""
        return json.loads(self.write("json"))

    def __repr__(self):
        return "<Workload %s %s: %d/%d placed>" % (
            self.kind, self.key, self.placed, self.replicas)


class Target:
    """One target of a result, with its resources."""

    __slots__ = ("name", "virtual", "allocatable", "requested")

    def __init__(self, t):
        self.name = _str(lib.place_target_name(t))
        self.virtual = bool(lib.place_target_virtual(t))
        self.allocatable = {}
        self.requested = {}
        for i in range(lib.place_target_resource_count(t)):
            r = _str(lib.place_target_resource_name(t, i))
            self.allocatable[r] = lib.place_target_allocatable(t, i)
            self.requested[r] = lib.place_target_requested(t, i)

    def to_dict(self):
        return {"name": self.name, "virtual": self.virtual,
                "allocatable": dict(self.allocatable),
                "requested": dict(self.requested)}

    def __repr__(self):
        return "<Target %s%s>" % (self.name,
                                  " (virtual)" if self.virtual else "")


def _split_key(key, name=None):
    if name is not None:
        return key, name
    ns, sep, nm = key.partition("/")
    return (ns, nm) if sep else ("default", key)


class Result(_Handle):
    """A place_result: immutable, readable from several threads."""

    _what = "result"

    def __init__(self, handle, context, problem=None):
        self.context = context
        deps = (context,)
        if problem is not None and _RESULT_KEEPS_PROBLEM:
            deps = (context, problem)
        self._own(handle, lib.place_result_free, deps)
        r = handle
        outcome = lib.place_result_outcome(r)
        #: "optimal" or "feasible" (a limit stopped the search first)
        self.status = "optimal" if outcome == L.PLACE_OUTCOME_OPTIMAL \
            else "feasible"
        self.all_placed = bool(lib.place_result_all_placed(r))
        self.objective = lib.place_result_objective(r)
        self.bound = lib.place_result_bound(r)
        self.gap = lib.place_result_gap(r)
        #: at most this many replicas can be placed (LP bound; -1 unknown)
        self.placed_bound = lib.place_result_placed_bound(r)
        #: "branch-and-bound", "lp-rounding", "greedy" or "none"
        self.method = _str(lib.place_result_method(r))
        #: "exact", "lp-bound", "mixed" or "none"
        self.regret_method = _str(lib.place_result_regret_method(r))
        #: what one placed replica of the lowest priority is worth in the
        #: units of the bottleneck duals
        self.placement_weight = lib.place_result_placement_weight(r)
        self.stats = {
            "documents": lib.place_result_document_count(r),
            "ignoredDocuments": lib.place_result_ignored_count(r),
            "variables": lib.place_result_variable_count(r),
            "constraints": lib.place_result_constraint_count(r),
            "seconds": lib.place_result_seconds(r),
        }
        self._workloads = None
        self._targets = None
        self._bottlenecks = None

    @property
    def seconds(self):
        return self.stats["seconds"]

    @property
    def workloads(self):
        """Workloads ordered by namespace, name, kind."""
        if self._workloads is None:
            r = self._h()
            self._workloads = [
                Workload(self, lib.place_result_workload(r, i))
                for i in range(lib.place_result_workload_count(r))]
        return self._workloads

    def workload(self, key, name=None):
        """The workload "NAMESPACE/NAME" (or workload(ns, name); a key
        without a slash is in "default"). KeyError if absent."""
        ns, nm = _split_key(key, name)
        w = lib.place_result_find_workload(self._h(), ns.encode("utf-8"),
                                           nm.encode("utf-8"))
        if not w:
            raise KeyError("%s/%s" % (ns, nm))
        addr = cast(w, c_void_p).value
        for x in self.workloads:
            if cast(x._w, c_void_p).value == addr:
                return x
        return Workload(self, w)

    @property
    def targets(self):
        """Targets ordered by name."""
        if self._targets is None:
            r = self._h()
            self._targets = [Target(lib.place_result_target(r, i))
                             for i in range(lib.place_result_target_count(r))]
        return self._targets

    def target(self, name):
        """The Target of that name (KeyError if none)."""
        for t in self.targets:
            if t.name == name:
                return t
        raise KeyError(name)

    @property
    def bottlenecks(self):
        """Every target and resource with an allocatable amount."""
        if self._bottlenecks is None:
            r = self._h()
            out = []
            for i in range(lib.place_result_bottleneck_count(r)):
                b = lib.place_result_bottleneck(r, i)
                out.append(Bottleneck(
                    _str(lib.place_bottleneck_target(b)),
                    _str(lib.place_bottleneck_resource(b)),
                    lib.place_bottleneck_allocatable(b),
                    lib.place_bottleneck_requested(b),
                    lib.place_bottleneck_utilization(b),
                    bool(lib.place_bottleneck_binding(b)),
                    lib.place_bottleneck_dual(b)))
            self._bottlenecks = out
        return self._bottlenecks

    def write(self, fmt="json", *, workload=None, timings=True):
        """place_result_write(): "json", "yaml" or "text", as `place solve
        --output FMT` writes it; with `workload` (a Workload or its key)
        only that one, as `place explain`. timings=False writes
        stats.seconds as 0."""
        try:
            f = _OUTPUTS[fmt]
        except KeyError:
            raise ValueError("output format: 'json', 'yaml' or 'text', not %r"
                             % (fmt,))
        r = self._h()
        w = None
        if workload is not None:
            if not isinstance(workload, Workload):
                workload = self.workload(workload)
            w = workload._w
        out = L.owned_str_p()
        n = c_size_t()
        rc = lib.place_result_write(
            r, f, w, 0 if timings else L.PLACE_WRITE_NO_TIMINGS, byref(out),
            byref(n))
        text = _take_string(self.context._h(), out, n)
        if rc != L.PLACE_OK:
            raise self.context._error(rc)
        return text

    def to_json(self, *, timings=False):
        """The PlacementResult JSON, exactly as `place solve --output json
        [--no-timings]` prints it (timings=False: stats.seconds is 0)."""
        return self.write("json", timings=timings)

    def to_dict(self, *, timings=False):
        """json.loads(to_json()): the PlacementResult as a dict."""
        return json.loads(self.to_json(timings=timings))

    def __str__(self):
        if self.closed:
            return repr(self)
        return self.write("text", timings=True)

    def __repr__(self):
        return "<libplace.Result %s%s, objective %g%s>" % (
            self.status, ", all placed" if self.all_placed else "",
            self.objective, " (closed)" if self.closed else "")


# ---- the one-call API ---------------------------------------------------------


def solve(inputs, *, time_limit=None, policy=None, mip_gap=None,
          explain=True, regret=None, context=None, candidates=True):
    """Solve one placement and return its Result.

    inputs      a list whose items are each a file path (str or PathLike), a
                YAML/JSON text, or a dict (or list of dicts) of Kubernetes
                objects; a single item may be passed instead of a list
    policy      a PlacementPolicy: a path, text, or dict (the document, or
                only its spec)
    time_limit  seconds; overrides the policy's timeLimitSeconds
    mip_gap     relative gap; overrides the policy's mipGap
    explain     False skips regrets, why-not, relaxations and bottlenecks
    regret      None (the library chooses), "exact" or "lp"
    candidates  False leaves out the candidate lists (large federations)
    context     a Context to use; by default each call makes its own, so
                that calls on several threads run in parallel

    Raises PlaceError for bad input (with .file, .line, .column, .object,
    .path) and solver failures. Unplaced replicas are not an error: see
    result.all_placed and each workload's .unplaced and .summary.
    """
    if isinstance(inputs, (str, bytes, dict, os.PathLike)):
        inputs = [inputs]
    # Problem() without a context makes one that is freed after the
    # problem and its results.
    with Problem(context=context) as pb:
        for item in inputs:
            pb.add(item)
        if policy is not None:
            pb.add_policy(policy)
        return pb.solve(time_limit=time_limit, mip_gap=mip_gap,
                        explain=explain, regret=regret,
                        candidates=candidates)

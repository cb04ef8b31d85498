/*
 * place.h: the public interface of libplace.
 *
 * libplace decides where Kubernetes workloads should run across a federation
 * of clusters, and says why. It reads workloads (Pod, Deployment, ReplicaSet,
 * StatefulSet, Job) and targets (Node, ClusterAdvertisement) from YAML or
 * JSON, decides feasibility with kube-scheduler's own semantics
 * (NodeAffinity, TaintToleration, NodeResourcesFit) and Liqo's namespace
 * offloading rules, solves the whole placement as an integer program with
 * GLPK and returns, for every workload, the assignments and every target
 * ranked or rejected with reasons.
 *
 * This header is the manual. It is C99 and C++ clean and includes nothing
 * from GLPK, libyaml or cJSON.
 *
 * Typical use:
 *
 *     place_ctx *ctx;
 *     place_problem *pb;
 *     place_result *res;
 *     if (place_ctx_new(&ctx, NULL) != PLACE_OK) return 1;
 *     if (place_problem_new(&pb, ctx) != PLACE_OK ||
 *         place_problem_add_file(pb, "shop.yaml", PLACE_FORMAT_AUTO) ||
 *         place_solve(&res, pb, NULL)) {
 *         fprintf(stderr, "%s\n", place_errmsg(ctx));
 *     } else {
 *         for (size_t i = 0; i < place_result_workload_count(res); i++) {
 *             const place_workload *w = place_result_workload(res, i);
 *             ...
 *         }
 *         place_result_free(res);
 *     }
 *     place_problem_free(pb);
 *     place_ctx_free(ctx);
 *
 * Thread safety:
 *   libplace is thread-safe but has no internal locking. A `place_ctx` and
 *   every object created from it must be used by one thread at a time.
 *   Distinct contexts may solve concurrently on different threads when
 *   `place_threadsafe()` returns non-zero (GLPK has a thread-local
 *   environment). A `place_result` does not change after `place_solve`
 *   returns and may be read from several threads. `place_strerror` and
 *   `place_version*` are always safe.
 */
#ifndef PLACE_H
#define PLACE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @defgroup api Export macros
 * PLACE_API(type) marks a function as part of the API: visible in the shared
 * library, dllexport/dllimport on Windows, plain with PLACE_STATIC.
 * @{ */
#if defined(PLACE_STATIC)
#define PLACE_API(type) type
#elif defined(_WIN32)
#ifdef PLACE_BUILDING
#define PLACE_API(type) __declspec(dllexport) type
#else
#define PLACE_API(type) __declspec(dllimport) type
#endif
#elif defined(__GNUC__)
#define PLACE_API(type) __attribute__((visibility("default"))) type
#else
#define PLACE_API(type) type
#endif
/** @} */

/** @defgroup version Version
 * The release version of this header. place_version_number() gives the
 * version of the library actually linked; bindings compare the two.
 * @{ */
#define PLACE_VERSION_MAJOR 0
#define PLACE_VERSION_MINOR 1
#define PLACE_VERSION_PATCH 0
#define PLACE_VERSION "0.1.0"
#define PLACE_VERSION_NUMBER                                                  \
    (PLACE_VERSION_MAJOR * 1000000 + PLACE_VERSION_MINOR * 1000 +             \
     PLACE_VERSION_PATCH)
#define PLACE_VERSION_CHECK(M, m, p)                                          \
    (PLACE_VERSION_NUMBER >= (M) * 1000000 + (m) * 1000 + (p))
/** ABI version: the shared library is libplace.so.PLACE_SOVERSION. */
#define PLACE_SOVERSION 0

/** The library's version as "x.y.z". Static string. @since 0.1 */
PLACE_API(const char *) place_version(void);
/** The library's PLACE_VERSION_NUMBER. @since 0.1 */
PLACE_API(int) place_version_number(void);
/** Non-zero when distinct contexts may solve concurrently on different
 * threads (GLPK was built with thread-local storage). @since 0.1 */
PLACE_API(int) place_threadsafe(void);
/** Free the per-thread state the solver keeps: GLPK's environment of the
 * calling thread (thread-local, created by the first solve on the thread
 * and otherwise never freed, which leak checkers report when the thread
 * exits). Call it in a thread that used libplace before the thread exits;
 * contexts, problems and results are not affected and stay usable (the
 * next solve creates a new environment). Safe to call when nothing was
 * allocated, and more than once. Must not be called while a solve runs on
 * that thread (from a log callback, for instance). It frees GLPK's state
 * of the thread as a whole: a host that uses GLPK itself on the same
 * thread loses its GLPK objects too. @since 0.1 */
PLACE_API(void) place_thread_cleanup(void);
/** @} */

/** @defgroup errors Status codes and error locations
 * Fallible functions return PLACE_OK (0) or a negative place_status. The
 * detail of the last failure is kept in the context: place_errcode(),
 * place_errmsg(), place_errloc(). Codes are append-only.
 * An unplaced replica is never an error: place_solve() returns PLACE_OK and
 * the result says which replicas are unplaced and why.
 * @{ */
typedef enum place_status {
    PLACE_OK = 0,
    PLACE_ERROR = -1,       /**< internal error (a bug in libplace) */
    PLACE_ENOMEM = -2,      /**< an allocation failed */
    PLACE_EINVAL = -3,      /**< invalid argument from the caller */
    PLACE_EIO = -4,         /**< a file could not be read or written */
    PLACE_EPARSE = -5,      /**< the bytes are not valid YAML or JSON */
    PLACE_ESCHEMA = -6,     /**< valid syntax, invalid document */
    PLACE_EUNSUPPORTED = -7,/**< a feature libplace does not implement */
    PLACE_ELIMIT = -8,      /**< a configured limit was exceeded */
    PLACE_ESOLVER = -9      /**< GLPK failed (never "infeasible") */
} place_status;

/** Where an error is. All pointers are borrowed from the context and stay
 * valid until the next call on that context. */
typedef struct place_location {
    const char *source;  /**< file name or source given for the input; or NULL */
    unsigned int line;   /**< 1-based; 0 when unknown */
    unsigned int column; /**< 1-based; 0 when unknown */
    const char *object;  /**< "Deployment default/frontend", or NULL */
    const char *path;    /**< "spec.replicas", "spec.taints[1].effect", or NULL */
} place_location;

/** Static English text for a status code. Never NULL. @since 0.1 */
PLACE_API(const char *) place_strerror(int code);
/** @} */

/** @defgroup ctx Context
 * The root object: allocator, logger, limits and the last error. Every other
 * object is created from a context and must be freed before it.
 * @{ */
typedef struct place_ctx place_ctx;

typedef enum place_log_level {
    PLACE_LOG_NONE = 0,
    PLACE_LOG_ERROR,
    PLACE_LOG_WARN,
    PLACE_LOG_INFO,
    PLACE_LOG_DEBUG
} place_log_level;

/** Receives one log line (no trailing newline). */
typedef void (*place_log_cb)(place_log_level level, const char *msg,
                             void *payload);

/** Memory functions for one context. All of libplace's own memory goes
 * through them (GLPK's and libyaml's internal allocations do not). */
typedef struct place_allocator {
    void *(*malloc_fn)(size_t size, void *payload);
    void *(*realloc_fn)(void *ptr, size_t size, void *payload);
    void (*free_fn)(void *ptr, void *payload);
    void *payload;
} place_allocator;

/** Context options. Initialise with PLACE_CTX_OPTIONS_INIT or
 * place_ctx_options_init(); zero limits mean the built-in defaults.
 *
 * Limits protect a host from hostile or mistaken input: exceeding one is the
 * error PLACE_ELIMIT (exit code 2 of `place`), found before the memory or
 * time the input would need is spent. The defaults fit real clusters.
 *
 * Fields are only ever appended. PLACE_CTX_OPTIONS_VERSION is the version
 * of this layout; a program built with an older header passes its older
 * version and the fields it does not know take their defaults. */
typedef struct place_ctx_options {
    unsigned int version;             /**< PLACE_CTX_OPTIONS_VERSION */
    const place_allocator *allocator; /**< copied; NULL = malloc/free */
    place_log_cb log_cb;              /**< NULL = silence */
    void *log_payload;
    place_log_level log_level;        /**< lines above it are not formatted */
    size_t max_input_bytes;   /**< per document source; default 64 MiB */
    unsigned int max_depth;   /**< nesting of maps and lists; default 64 */
    size_t max_documents;     /**< per problem; default 1,000,000 (and per
                                   source, empty YAML documents included) */
    size_t max_nodes;         /**< tree nodes per source, aliases expanded;
                                   default 10,000,000 */
    /* Version 2 (libplace 0.1.x) appends: */
    size_t max_scalar_bytes;  /**< one scalar (string, number or key), as
                                   decoded; default 1 MiB */
    size_t max_workloads;     /**< per problem; default 100,000 */
    size_t max_targets;       /**< per problem; default 10,000 */
    size_t max_pairs;         /**< workloads x targets per problem (what the
                                   feasibility check, the program and the
                                   result grow with); default 2,000,000 */
} place_ctx_options;

#define PLACE_CTX_OPTIONS_VERSION 2
#define PLACE_CTX_OPTIONS_INIT {PLACE_CTX_OPTIONS_VERSION, NULL, NULL, NULL, \
                                PLACE_LOG_NONE, 0, 0, 0, 0, 0, 0, 0, 0}

/** Fill @p opts with defaults. @p version is PLACE_CTX_OPTIONS_VERSION, or
 * an older version (1), for which only that version's fields are written.
 * @return PLACE_OK, or PLACE_EINVAL for an unknown @p version. @since 0.1 */
PLACE_API(int) place_ctx_options_init(place_ctx_options *opts,
                                      unsigned int version);

/** Create a context.
 * @param[out] out  the new context, owned by the caller
 * @param[in]  opts options (copied; opts->version may be any version up to
 *                  PLACE_CTX_OPTIONS_VERSION), or NULL for defaults
 * @return PLACE_OK, PLACE_ENOMEM or PLACE_EINVAL (bad options version).
 * Ownership: free with place_ctx_free(). @since 0.1 */
PLACE_API(int) place_ctx_new(place_ctx **out, const place_ctx_options *opts);

/** Free a context. Free its problems and results first. NULL is fine.
 * @since 0.1 */
PLACE_API(void) place_ctx_free(place_ctx *ctx);

/** The code of the last failed call on @p ctx (PLACE_OK if none). */
PLACE_API(int) place_errcode(const place_ctx *ctx);
/** The message of the last failed call, in the form
 * "FILE:LINE:COLUMN: KIND NAMESPACE/NAME: FIELD.PATH: what is wrong" for
 * input errors. Borrowed; valid until the next call on @p ctx. Never NULL. */
PLACE_API(const char *) place_errmsg(const place_ctx *ctx);
/** The location of the last error.
 * @return PLACE_OK when a location is known, else PLACE_EINVAL. */
PLACE_API(int) place_errloc(const place_ctx *ctx, place_location *out);
/** Free memory that libplace handed to the caller (JSON, text, exports). */
PLACE_API(void) place_mem_free(place_ctx *ctx, void *ptr);
/** @} */

/** @defgroup problem Problems: the documents that make one placement
 * A problem collects documents of every kind: workloads, targets,
 * PriorityClasses, NamespaceOffloadings, at most one PlacementPolicy, and
 * PlacementResults of an earlier solve (where replicas run now, for the
 * move cost; see the README).
 * Documents may come in any order and from several sources; the result does
 * not depend on the order.
 * @{ */
typedef struct place_problem place_problem;

typedef enum place_format {
    PLACE_FORMAT_AUTO = 0, /**< JSON if the first non-blank byte is { or [ */
    PLACE_FORMAT_YAML = 1,
    PLACE_FORMAT_JSON = 2
} place_format;

/** Create an empty problem.
 * Ownership: free with place_problem_free() before the context. @since 0.1 */
PLACE_API(int) place_problem_new(place_problem **out, place_ctx *ctx);

/** Free a problem. NULL is fine. Results made from it stay valid. */
PLACE_API(void) place_problem_free(place_problem *pb);

/** Read one source of documents (multi-document YAML, or JSON: an object,
 * an array of objects, or a List). The bytes are copied.
 * @param source  the name used in error locations ("-" for stdin); copied
 * @return PLACE_OK; PLACE_EPARSE (syntax), PLACE_ESCHEMA (invalid
 * document), PLACE_ELIMIT, PLACE_ENOMEM. On failure nothing of this source
 * is kept. @since 0.1 */
PLACE_API(int) place_problem_add_document(place_problem *pb, const char *data,
                                          size_t len, place_format fmt,
                                          const char *source);

/** Read a file and add it as place_problem_add_document() does, with the
 * path as source. @return as above, or PLACE_EIO. @since 0.1 */
PLACE_API(int) place_problem_add_file(place_problem *pb, const char *path,
                                      place_format fmt);

/** Validate the references between documents (priorityClassName,
 * spec.nodeName, ordinal Gt/Lt values) without solving. place_solve() does
 * this too. @return PLACE_OK or PLACE_ESCHEMA with a location. @since 0.1 */
PLACE_API(int) place_problem_check(place_problem *pb);

/** Documents read, and of those the ones of kinds libplace does not use. */
PLACE_API(size_t) place_problem_document_count(const place_problem *pb);
PLACE_API(size_t) place_problem_ignored_count(const place_problem *pb);
/** Workloads and targets read so far. */
PLACE_API(size_t) place_problem_workload_count(const place_problem *pb);
PLACE_API(size_t) place_problem_target_count(const place_problem *pb);
/** @} */

/** @defgroup solve Solving
 * @{ */
typedef struct place_solve_options {
    unsigned int version;  /**< PLACE_SOLVE_OPTIONS_VERSION */
    double time_limit;     /**< seconds, wall clock; <= 0: the policy's
                                timeLimitSeconds, else none */
    double mip_gap;        /**< relative gap; < 0: the policy's mipGap, else 0 */
    unsigned int flags;    /**< PLACE_SOLVE_* */
} place_solve_options;

/** Skip the explanations that need the solver: regrets, why-not,
 * relaxations and bottlenecks. Reasons and summaries are always given. */
#define PLACE_SOLVE_NO_EXPLAIN (1u << 0)
/** Compute every regret by re-solving (default: re-solve while the problem
 * is small, else bound by the LP relaxation). */
#define PLACE_SOLVE_REGRET_EXACT (1u << 1)
/** Bound every regret by the LP relaxation (fast, a lower bound). */
#define PLACE_SOLVE_REGRET_LP (1u << 2)
/** Leave out the candidate lists (every workload x every target, which a
 * federation of thousands of clusters cannot afford): assignments,
 * summaries, targets, bottlenecks and bounds are still given; why-not,
 * regrets and relaxations, which belong to candidates, are not. Combine it
 * with PLACE_SOLVE_NO_EXPLAIN for large problems: only then are identical
 * workloads merged and the program solved by column generation. Without
 * it, a problem of more than place_ctx_options.max_pairs workloads x
 * targets is refused with PLACE_ELIMIT. @since 0.1 */
#define PLACE_SOLVE_NO_CANDIDATES (1u << 3)

#define PLACE_SOLVE_OPTIONS_VERSION 1
#define PLACE_SOLVE_OPTIONS_INIT {PLACE_SOLVE_OPTIONS_VERSION, 0.0, -1.0, 0u}

/** Fill @p opts with defaults. @return PLACE_OK or PLACE_EINVAL. */
PLACE_API(int) place_solve_options_init(place_solve_options *opts,
                                        unsigned int version);

typedef struct place_result place_result;

/** Decide the placement of every workload of @p pb.
 * Checks the problem (place_problem_check()), decides feasibility of every
 * (workload, target) pair, solves the integer program and builds the
 * result. Unplaced replicas are an outcome, not a failure.
 * @param[out] out  the result, owned by the caller
 * @param[in]  opts NULL for defaults
 * @return PLACE_OK; PLACE_ESCHEMA for a problem that fails its checks;
 * PLACE_ESOLVER when GLPK fails; PLACE_ENOMEM.
 * Ownership: free with place_result_free(). The result does not refer to
 * @p pb, which may be freed or changed afterwards. @since 0.1 */
PLACE_API(int) place_solve(place_result **out, place_problem *pb,
                           const place_solve_options *opts);

typedef enum place_export_format {
    PLACE_EXPORT_LP = 0,  /**< CPLEX LP format */
    PLACE_EXPORT_MPS = 1  /**< free MPS format */
} place_export_format;

/** Write the integer program of @p pb as GLPK writes it, so that glpsol or
 * any MIP solver can solve it. The staged objective of place_solve() is
 * written as one weighted objective (see the README).
 * @param[out] out, out_len  the text, NUL-terminated; free with
 * place_mem_free(). @since 0.1 */
PLACE_API(int) place_problem_export(place_problem *pb, place_export_format fmt,
                                    char **out, size_t *out_len);
/** @} */

/** @defgroup result Results
 * A result is immutable. Everything it hands out is borrowed from it and
 * stays valid until place_result_free(). Lists are read by count and index:
 *
 *     for (size_t i = 0; i < place_result_workload_count(r); i++) {
 *         const place_workload *w = place_result_workload(r, i);
 *         for (size_t j = 0; j < place_workload_assignment_count(w); j++)
 *             printf("%s -> %s x%u\n", place_workload_name(w),
 *                    place_workload_assignment_target(w, j),
 *                    place_workload_assignment_replicas(w, j));
 *     }
 * @{ */
typedef struct place_workload place_workload;
typedef struct place_candidate place_candidate;
typedef struct place_target place_target;

typedef enum place_outcome {
    PLACE_OUTCOME_OPTIMAL = 0,  /**< proven optimal (within the gap) */
    PLACE_OUTCOME_FEASIBLE = 1  /**< a limit stopped the search first */
} place_outcome;

/** Why a target cannot take a workload (the kube-scheduler plugin). */
typedef enum place_reason_code {
    PLACE_REASON_NODE_AFFINITY = 0,     /**< nodeSelector or required affinity */
    PLACE_REASON_TAINT_TOLERATION = 1,  /**< untolerated NoSchedule/NoExecute */
    PLACE_REASON_NODE_RESOURCES_FIT = 2,/**< one replica can never fit */
    PLACE_REASON_OFFLOADING_POLICY = 3  /**< the namespace's NamespaceOffloading */
} place_reason_code;

/** "NodeAffinity", "TaintToleration", ... Static string. */
PLACE_API(const char *) place_reason_code_name(int code);

PLACE_API(place_outcome) place_result_outcome(const place_result *r);
/** Non-zero when every replica of every workload is placed. */
PLACE_API(int) place_result_all_placed(const place_result *r);
/** The objective: the summed soft score of placed replicas minus their cost
 * (spec.price per replica, spec.cost per target used, and the policy's move
 * weight per replica moved from where it runs now). */
PLACE_API(double) place_result_objective(const place_result *r);
/** An upper bound on the replicas any placement can place (from the LP
 * relaxation of "place as many as possible"); -1 when not known (the
 * deadline came first) or when @p r is NULL. @since 0.1 */
PLACE_API(double) place_result_placed_bound(const place_result *r);
/** How the placement was found: "branch-and-bound" (programs small enough
 * for GLPK's branch and cut), "lp-rounding" (the LP relaxation rounded,
 * repaired and improved) or "greedy" (the constructive placement was the
 * best); "mixed" when independent components were solved differently;
 * "none" when there was nothing to place or @p r is NULL. A static string:
 * never freed, valid for the life of the library. @since 0.1 */
PLACE_API(const char *) place_result_method(const place_result *r);
/** The best bound on the objective, and the relative gap (0 when optimal).
 * For programs solved without branch and bound (more than 5,000 feasible
 * pairs) the bound is the LP relaxation's best score - cost among the
 * placements that place at least as many replicas at each priority level
 * as this one. */
PLACE_API(double) place_result_bound(const place_result *r);
PLACE_API(double) place_result_gap(const place_result *r);
/** Statistics of the solve. */
PLACE_API(size_t) place_result_document_count(const place_result *r);
PLACE_API(size_t) place_result_ignored_count(const place_result *r);
PLACE_API(size_t) place_result_variable_count(const place_result *r);
PLACE_API(size_t) place_result_constraint_count(const place_result *r);
PLACE_API(double) place_result_seconds(const place_result *r);

/** Workloads, ordered by namespace, name, kind. */
PLACE_API(size_t) place_result_workload_count(const place_result *r);
PLACE_API(const place_workload *) place_result_workload(const place_result *r,
                                                        size_t i);
/** The workload NAMESPACE/NAME (the first kind in order if several), or
 * NULL. */
PLACE_API(const place_workload *) place_result_find_workload(
    const place_result *r, const char *ns, const char *name);

PLACE_API(const char *) place_workload_kind(const place_workload *w);
PLACE_API(const char *) place_workload_namespace(const place_workload *w);
PLACE_API(const char *) place_workload_name(const place_workload *w);
PLACE_API(int64_t) place_workload_replicas(const place_workload *w);
PLACE_API(int64_t) place_workload_placed(const place_workload *w);
PLACE_API(int64_t) place_workload_unplaced(const place_workload *w);
PLACE_API(int32_t) place_workload_priority(const place_workload *w);
/** kube-scheduler style summary when replicas are unplaced
 * ("0/3 targets are available: ..."), else NULL. */
PLACE_API(const char *) place_workload_summary(const place_workload *w);

/** Requests of one replica, by resource name in order: cpu in millicores,
 * everything else in base units. */
PLACE_API(size_t) place_workload_request_count(const place_workload *w);
PLACE_API(const char *) place_workload_request_name(const place_workload *w,
                                                    size_t i);
PLACE_API(int64_t) place_workload_request_value(const place_workload *w,
                                                size_t i);

/** Assignments: targets with at least one replica, ordered by target name. */
PLACE_API(size_t) place_workload_assignment_count(const place_workload *w);
PLACE_API(const char *) place_workload_assignment_target(
    const place_workload *w, size_t i);
PLACE_API(int64_t) place_workload_assignment_replicas(const place_workload *w,
                                                      size_t i);

/** Candidates: every target, feasible ones first in rank order, then the
 * infeasible ones by name. */
PLACE_API(size_t) place_workload_candidate_count(const place_workload *w);
PLACE_API(const place_candidate *) place_workload_candidate(
    const place_workload *w, size_t i);

PLACE_API(const char *) place_candidate_target(const place_candidate *c);
PLACE_API(int) place_candidate_feasible(const place_candidate *c);
/** 1-based rank among feasible candidates; 0 for infeasible ones. */
PLACE_API(unsigned int) place_candidate_rank(const place_candidate *c);
/** Non-zero when the candidate holds replicas of the workload. */
PLACE_API(int) place_candidate_chosen(const place_candidate *c);
/** Replicas of the workload placed on this target. */
PLACE_API(int64_t) place_candidate_replicas(const place_candidate *c);
/** Soft score of one replica: the sum of the score terms. */
PLACE_API(int64_t) place_candidate_score(const place_candidate *c);
PLACE_API(size_t) place_candidate_score_term_count(const place_candidate *c);
/** Code of score term @p i: "NodeAffinity" or "TaintToleration". */
PLACE_API(const char *) place_candidate_score_term_code(
    const place_candidate *c, size_t i);
PLACE_API(int64_t) place_candidate_score_term_value(const place_candidate *c,
                                                    size_t i);
/** Reasons why the target cannot take the workload (empty when feasible). */
PLACE_API(size_t) place_candidate_reason_count(const place_candidate *c);
/** A place_reason_code. */
PLACE_API(int) place_candidate_reason_code(const place_candidate *c, size_t i);
PLACE_API(const char *) place_candidate_reason_message(
    const place_candidate *c, size_t i);

/** @name Regret: the rank of a candidate
 * The regret of a feasible candidate is how much worse the best whole
 * placement becomes when one more replica of the workload is put on that
 * target: replicas that could then no longer be placed, and the objective
 * lost. 0 for the targets the workload uses. Candidates are ranked by
 * (regret replicas, regret, chosen first, score, name).
 * @{ */
/** How the regrets were computed: "exact" (integer re-solves), "lp-bound"
 * (a lower bound from the LP relaxation's reduced costs), "mixed" (exact
 * until the explanation budget ran out) or "none" (PLACE_SOLVE_NO_EXPLAIN).
 * Static string. */
PLACE_API(const char *) place_result_regret_method(const place_result *r);
/** Non-zero when the candidate has a regret (feasible, not a bound pod,
 * explanations on). */
PLACE_API(int) place_candidate_has_regret(const place_candidate *c);
PLACE_API(double) place_candidate_regret(const place_candidate *c);
PLACE_API(int64_t) place_candidate_regret_replicas(const place_candidate *c);
/** Non-zero when the regret is exact, zero when it is an LP bound. */
PLACE_API(int) place_candidate_regret_exact(const place_candidate *c);
/** @} */

/** @name Why not chosen
 * For a feasible candidate that holds fewer replicas than it could:
 * "Capacity" (one more replica does not fit in what the placement left;
 * the holders are the workloads using the target), "LowerScore" (its score
 * is lower than the best target used), "Cost" (same score, higher cost) or
 * "Tie" (as good; ties go to targets whose names sort first). NULL when
 * there is nothing to explain.
 * @{ */
PLACE_API(const char *) place_candidate_why_not_code(const place_candidate *c);
PLACE_API(const char *) place_candidate_why_not_message(
    const place_candidate *c);
/** Workloads holding replicas on the target ("Deployment ns/name"): the
 * ten holding the most; the why-not message counts the others. */
PLACE_API(size_t) place_candidate_holder_count(const place_candidate *c);
PLACE_API(const char *) place_candidate_holder_workload(
    const place_candidate *c, size_t i);
PLACE_API(int64_t) place_candidate_holder_replicas(const place_candidate *c,
                                                   size_t i);
/** @} */

/** @name Relaxations: what to change to place the unplaced replicas
 * For a workload with unplaced replicas: alternatives, each a smallest set
 * of changes that together would place every replica, found with an
 * elastic version of the integer program (fewest changes, then least
 * capacity added). Change kinds: "TaintToleration", "NodeAffinity",
 * "OffloadingPolicy", "NodeResourcesFit" (a larger node), "Capacity" (more
 * of a resource on a target) and "Eviction" (another workload gives up
 * replicas).
 * @{ */
PLACE_API(size_t) place_workload_relaxation_count(const place_workload *w);
PLACE_API(size_t) place_workload_relaxation_change_count(
    const place_workload *w, size_t i);
PLACE_API(const char *) place_workload_relaxation_change_kind(
    const place_workload *w, size_t i, size_t j);
/** "tolerate taint audit=pending:NoSchedule on bit", "+200m cpu on home-1" */
PLACE_API(const char *) place_workload_relaxation_change_message(
    const place_workload *w, size_t i, size_t j);
/** The target concerned, or NULL (Eviction). */
PLACE_API(const char *) place_workload_relaxation_change_target(
    const place_workload *w, size_t i, size_t j);
/** Capacity: the resource; else NULL. */
PLACE_API(const char *) place_workload_relaxation_change_resource(
    const place_workload *w, size_t i, size_t j);
/** Capacity: the amount to add (millicores for cpu); Eviction: replicas. */
PLACE_API(int64_t) place_workload_relaxation_change_amount(
    const place_workload *w, size_t i, size_t j);
/** Eviction: the workload that gives up replicas ("ns/name"); else NULL. */
PLACE_API(const char *) place_workload_relaxation_change_workload(
    const place_workload *w, size_t i, size_t j);
/** @} */

/** @name Bottlenecks
 * Every target and resource with an allocatable amount: its utilisation
 * after placement, whether the capacity is binding, and the LP dual value
 * (objective gained by one more unit, in the units of the single-objective
 * form: a placed replica of the lowest priority is worth
 * place_result_placement_weight()).
 * @{ */
typedef struct place_bottleneck place_bottleneck;
PLACE_API(size_t) place_result_bottleneck_count(const place_result *r);
PLACE_API(const place_bottleneck *) place_result_bottleneck(
    const place_result *r, size_t i);
PLACE_API(const char *) place_bottleneck_target(const place_bottleneck *b);
PLACE_API(const char *) place_bottleneck_resource(const place_bottleneck *b);
PLACE_API(int64_t) place_bottleneck_allocatable(const place_bottleneck *b);
PLACE_API(int64_t) place_bottleneck_requested(const place_bottleneck *b);
/** requested / allocatable (0 when nothing is allocatable). */
PLACE_API(double) place_bottleneck_utilization(const place_bottleneck *b);
/** Non-zero when the capacity limits the placement: its LP dual is
 * positive, or a workload with unplaced replicas is feasible on the target
 * but no longer fits in this resource. */
PLACE_API(int) place_bottleneck_binding(const place_bottleneck *b);
PLACE_API(double) place_bottleneck_dual(const place_bottleneck *b);
PLACE_API(double) place_result_placement_weight(const place_result *r);
/** @} */

/** Targets, ordered by name. */
PLACE_API(size_t) place_result_target_count(const place_result *r);
PLACE_API(const place_target *) place_result_target(const place_result *r,
                                                    size_t i);
PLACE_API(const char *) place_target_name(const place_target *t);
/** Non-zero for a remote cluster (a Liqo virtual node). */
PLACE_API(int) place_target_virtual(const place_target *t);
/** Resources of the target, by name in order: allocatable, and requested
 * (pods already bound, spec.allocated and the replicas placed). */
PLACE_API(size_t) place_target_resource_count(const place_target *t);
PLACE_API(const char *) place_target_resource_name(const place_target *t,
                                                   size_t i);
PLACE_API(int64_t) place_target_allocatable(const place_target *t, size_t i);
PLACE_API(int64_t) place_target_requested(const place_target *t, size_t i);

/** Output formats of a result. */
typedef enum place_output_format {
    PLACE_OUTPUT_JSON = 0, /**< the contract's PlacementResult */
    PLACE_OUTPUT_TEXT = 1, /**< a table per workload */
    PLACE_OUTPUT_YAML = 2  /**< the PlacementResult as YAML */
} place_output_format;

/** Flags of place_result_write(). */
#define PLACE_WRITE_NO_TIMINGS (1u << 0) /**< stats.seconds written as 0 */

/** Write the result. @p w, when not NULL, restricts the output to that
 * workload (place explain).
 * @param[out] out, out_len  NUL-terminated text; free with place_mem_free()
 * @return PLACE_OK, PLACE_ENOMEM or PLACE_EINVAL. @since 0.1 */
PLACE_API(int) place_result_write(const place_result *r,
                                  place_output_format fmt,
                                  const place_workload *w, unsigned int flags,
                                  char **out, size_t *out_len);

/** Free a result. NULL is fine. Free it before its context. */
PLACE_API(void) place_result_free(place_result *r);
/** @} */

#ifdef __cplusplus
}
#endif

#endif /* PLACE_H */

/*
 * program.h: the placement as an integer program, solved by GLPK
 * (program.c, the only file that includes glpk.h).
 *
 * Variables: x[w,t] >= 0 integer replicas of workload w on target t, only
 * for the pairs found feasible; y[t] binary for targets with a fixed cost.
 * Rows: per workload, at most its replicas; per target and resource, what is
 * placed fits the free capacity (only rows that can bind are written).
 * Objective, solved in stages so the order is exact: placed replicas per
 * priority level (highest first), then the soft score, then the cost, then
 * ties by target name. Each stage's optimum becomes a row of the next.
 */
#ifndef PLACE_PROGRAM_H
#define PLACE_PROGRAM_H

#include "verdicts.h"

typedef struct place__plan {
    size_t npairs;
    size_t *pair_w;      /* workload index of each pair */
    size_t *pair_t;      /* target index of each pair */
    int64_t *x;          /* replicas placed per pair */
    bool limited;        /* a time limit stopped some stage first */
    double objective;    /* score - cost of the placement */
    double bound;        /* bound on it */
    double gap;          /* relative */
    double placed_bound; /* upper bound on the replicas any placement puts
                            (LP relaxation); -1 when unknown */
    const char *method;  /* how it was found: "branch-and-bound",
                            "lp-rounding", "greedy" */
    size_t nvars, nrows; /* of the program (after dropping redundant rows) */

    /* Regret of each pair (explanations): how much worse the best whole
     * placement becomes when one more replica of the pair's workload is
     * forced onto its target. 0 for the pairs used. */
    int regret_method;        /* PLACE__REGRET_* actually used */
    double *regret;           /* objective (score - cost) lost */
    int64_t *regret_replicas; /* replicas no longer placed */
    bool *regret_exact;       /* from integer re-solves, else an LP bound */
    /* For used pairs of workloads with unplaced replicas: the same for one
     * replica more than the placement puts there. */
    bool *has_more;
    double *more_regret;
    int64_t *more_replicas;

    /* Capacity rows of the program and their LP duals: objective gained by
     * one more unit of the resource on the target (placement-weighted LP
     * relaxation; see place__program_solve). */
    size_t ncaprows;
    size_t *cap_t;
    const char **cap_res;
    double *cap_dual;         /* in objective units per unit of resource */
    double placement_weight;  /* objective units one placed replica is worth
                                 in the weighted LP (lowest priority) */
} place__plan;

enum {
    PLACE__REGRET_NONE = 0,
    PLACE__REGRET_EXACT = 1,
    PLACE__REGRET_LP = 2,
    PLACE__REGRET_MIXED = 3
};

typedef struct place__program_opts {
    double time_limit;   /* seconds of wall clock; <= 0 none */
    double mip_gap;      /* relative; 0 = prove optimality */
    bool explain;        /* compute regrets and duals */
    long node_limit;     /* branch-and-bound nodes per stage; 0 = none */
    int regret_mode;     /* 0 auto, 1 exact, 2 LP bounds */
    /* kube-scheduler's queue over merged workloads (see place__pairs) */
    size_t nseq;
    const size_t *seq_w;
    const int64_t *seq_n;
} place__program_opts;

/* Solve. v gives the verdict of every pair.
 * Arrays of the plan live in arena a. */
int place__program_solve(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v,
                         const place__program_opts *opts, place__plan *out);

/*
 * What to relax so that every replica of one workload is placed: an elastic
 * copy of the program. The caller names, for each target where the workload
 * is infeasible, the constraint groups that block it ("gates": target t is
 * open to the workload only when every group gated on t is relaxed). The
 * program adds on its own: more capacity of a resource on a target, and
 * other workloads giving up replicas. It minimises the number of relaxed
 * groups, then the capacity added, and returns up to max_alts alternatives
 * (each excludes the sets found before it).
 */
typedef struct place__gate {
    size_t t;
    size_t group;
} place__gate;

enum {
    PLACE__RELAX_GROUP = 0,    /* a caller's group */
    PLACE__RELAX_CAPACITY = 1, /* amount more of res on target t */
    PLACE__RELAX_EVICT = 2     /* workload w gives up `amount` replicas */
};

typedef struct place__relax_item {
    int kind;
    size_t group;
    size_t t;
    const char *res;
    size_t w;
    int64_t amount;
} place__relax_item;

typedef struct place__relax_alt {
    size_t nitems;
    place__relax_item *items;
} place__relax_alt;

int place__program_relax(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v, const place__plan *plan,
                         size_t wi, size_t ngroups, size_t ngates,
                         const place__gate *gates, size_t max_alts,
                         double time_limit, place__relax_alt **alts,
                         size_t *nalts);

/* Write the program with one weighted objective in CPLEX LP (fmt 0) or
 * free MPS (fmt 1); the text is allocated with the context allocator. */
int place__program_export(place_ctx *ctx, const place__model *m,
                          const place__capacity *cap, const place__verdicts *v,
                          int fmt, char **out, size_t *out_len);

/* Non-zero when GLPK keeps its environment per thread. */
int place__program_threadsafe(void);

/* Free GLPK's environment of the calling thread (glp_free_env()); nothing
 * when there is none. For place_thread_cleanup(). */
void place__program_thread_cleanup(void);

#endif /* PLACE_PROGRAM_H */

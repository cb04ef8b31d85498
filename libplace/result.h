/*
 * result.h: the immutable result (result.c) and its writers (write.c).
 */
#ifndef PLACE_RESULT_H
#define PLACE_RESULT_H

#include "explain.h"

struct place_candidate {
    const char *target;
    bool feasible;
    bool chosen;
    unsigned int rank;   /* 0 for infeasible */
    int64_t replicas;
    int64_t affinity;    /* score term NodeAffinity */
    int64_t taint;       /* score term TaintToleration */
    size_t nreasons;
    place__reason *reasons;
    const char *first_key; /* summary phrase of the first reason */
    size_t ti;             /* index of the target in the model */
    bool has_regret;
    bool regret_exact;
    double regret;
    int64_t regret_replicas;
    int64_t max_fit;       /* replicas that fit in the free capacity */
    bool has_more;         /* regret of one replica more (chosen ones) */
    double more_regret;
    int64_t more_replicas;
    const char *why_code;  /* NULL: nothing to explain */
    const char *why_message;
    size_t nholders;
    const char **holders;
    int64_t *holder_replicas;
};

struct place_workload {
    const char *kind;
    const char *ns;
    const char *name;
    int64_t replicas, placed, unplaced;
    int32_t priority;
    const char *summary; /* NULL when all placed */
    place__reslist requests;
    size_t nassign;
    const char **assign_target;
    int64_t *assign_replicas;
    size_t ncands;
    place_candidate *cands;
    size_t nrelax;
    place__relaxation *relax;
};

struct place_bottleneck {
    const char *target;
    const char *resource;
    int64_t allocatable, requested;
    double utilization;
    bool binding;
    double dual;
};

struct place_target {
    const char *name;
    bool is_virtual;
    size_t nres;
    const char **res;
    int64_t *allocatable;
    int64_t *requested;
};

struct place_result {
    place_ctx *ctx;
    place__arena arena;
    place_outcome outcome;
    bool all_placed;
    double objective, bound, gap;
    double placed_bound;   /* -1 unknown */
    const char *method;    /* static string or NULL */
    size_t documents, ignored, variables, constraints;
    double seconds;
    size_t nworkloads;
    place_workload *workloads;
    size_t ntargets;
    place_target *targets;
    int regret_method;
    double placement_weight;
    size_t nbottlenecks;
    place_bottleneck *bottlenecks;
};

/* explain: compute why-not, relaxations and bottlenecks (the plan then
 * carries regrets and duals); deadline: place__now() value that bounds the
 * relaxation re-solves (0 = none). */
int place__result_build(place_ctx *ctx, const place__model *m,
                        const place__capacity *cap, const place__verdicts *v,
                        const place__plan *plan, bool explain,
                        bool candidates, double deadline,
                        place_result **out);

#endif /* PLACE_RESULT_H */

/*
 * explain.h: explanations that need the program (explain.c): what to relax
 * so that a workload's unplaced replicas are placed, and why a feasible
 * target was not chosen.
 */
#ifndef PLACE_EXPLAIN_H
#define PLACE_EXPLAIN_H

#include "program.h"

/* One change that, with the others of its alternative, places every
 * replica of the workload. */
typedef struct place__relax_change {
    const char *kind;     /* "TaintToleration", "NodeAffinity",
                             "OffloadingPolicy", "NodeResourcesFit",
                             "Capacity", "Eviction" */
    const char *target;   /* the target it concerns, or NULL */
    const char *resource; /* Capacity: the resource */
    int64_t amount;       /* Capacity: how much more; Eviction: replicas */
    const char *workload; /* Eviction: "ns/name" */
    const char *message;  /* "tolerate taint audit=pending:NoSchedule on bit" */
} place__relax_change;

typedef struct place__relaxation {
    size_t nchanges;
    place__relax_change *changes;
} place__relaxation;

/* Up to max_alts alternatives for workload wi (fewest changes first). */
int place__explain_relax(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v, const place__plan *plan,
                         size_t wi, size_t max_alts, double time_limit,
                         place__relaxation **out, size_t *nout);

#endif /* PLACE_EXPLAIN_H */

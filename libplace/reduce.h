/*
 * reduce.h: identical workloads as one (reduce.c).
 *
 * Workloads of one verdict class with the same requests and priority are
 * interchangeable: the program places their replicas together, as one
 * workload with the sum of their replicas, and the plan is then handed
 * back to them in canonical order. Exact: nothing in the program tells
 * them apart. Workloads bound to a target, or with a current placement
 * (move cost), stay alone.
 */
#ifndef PLACE_REDUCE_H
#define PLACE_REDUCE_H

#include "program.h"

typedef struct place__reduced {
    place__model model;       /* shallow: workloads array of its own */
    place__verdicts verdicts; /* shallow: wclass array of its own */
    size_t *group_start;      /* members of reduced workload g: */
    size_t *members;          /* members[group_start[g] .. g + 1] */
    /* the members in canonical order as (group, replicas): the order of
     * kube-scheduler's queue (place__program_opts.seq_*) */
    size_t nseq;
    size_t *seq_w;
    int64_t *seq_n;
} place__reduced;

/* Build the reduced model; *worth is false (and nothing allocated) when
 * no two workloads merge. */
int place__reduce(place_ctx *ctx, const place__model *m,
                  const place__verdicts *vs, place__reduced *r, bool *worth);
void place__reduced_free(place_ctx *ctx, place__reduced *r);

/* The plan of the reduced model as a plan of the original one (arrays in
 * arena a). Regrets are not carried (explanations are off when reducing). */
int place__reduced_expand(place_ctx *ctx, place__arena *a,
                          const place__model *m, const place__reduced *r,
                          const place__plan *in, place__plan *out);

/* Independent components: workloads that share no target they could use
 * do not interact, and are solved apart. comp[w] (m->nworkloads entries)
 * receives the component of each workload, numbered in the order of their
 * first workload; *ncomp their number. */
int place__components(place_ctx *ctx, const place__model *m,
                      const place__verdicts *vs, size_t *comp, size_t *ncomp);

#endif /* PLACE_REDUCE_H */

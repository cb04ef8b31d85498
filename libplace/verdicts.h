/*
 * verdicts.h: the verdict of every (workload, target) pair without a dense
 * matrix (verdicts.c).
 *
 * Workloads that differ only in name, namespace, replicas and requests
 * (same selectors, affinities, tolerations, offloading) form one class;
 * targets that differ only in name, capacity and the labels no workload
 * looks at form one class. Everything but NodeResourcesFit is decided once
 * per pair of classes; the resources are checked per pair, on demand. A
 * federation of 12,000 workloads and 10,000 clusters has about a thousand
 * classes of each.
 */
#ifndef PLACE_VERDICTS_H
#define PLACE_VERDICTS_H

#include "feasible.h"

typedef struct place__verdicts {
    size_t nw, nt;     /* workloads, targets */
    size_t nwc, ntc;   /* their classes */
    size_t *wclass;    /* class of each workload */
    size_t *tclass;    /* class of each target */
    size_t *tc_start;  /* targets of class c: tc_members[tc_start[c] ..
                          tc_start[c + 1]), in canonical order */
    size_t *tc_members;
    place__verdict *cls; /* nwc x ntc: all but the resources */
} place__verdicts;

int place__verdicts_build(place_ctx *ctx, const place__model *m,
                          place__verdicts *vs);
void place__verdicts_free(place_ctx *ctx, place__verdicts *vs);

/* The class verdict of a pair (no resources looked at). */
static inline const place__verdict *
place__verdict_class(const place__verdicts *vs, size_t wi, size_t ti)
{
    return &vs->cls[vs->wclass[wi] * vs->ntc + vs->tclass[ti]];
}

/* The whole verdict of a pair, as place__check_pair gives it without
 * messages. */
void place__verdict_at(const place__verdicts *vs, const place__model *m,
                       const place__capacity *cap, size_t wi, size_t ti,
                       place__verdict *out);

#endif /* PLACE_VERDICTS_H */

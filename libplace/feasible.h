/*
 * feasible.h: for each (workload, target) pair, feasible or the reasons why
 * not, and the soft score terms (feasible.c). Nothing here knows about
 * GLPK: the program only gets variables for the pairs found feasible here,
 * and the result explains the others with the same verdicts.
 */
#ifndef PLACE_FEASIBLE_H
#define PLACE_FEASIBLE_H

#include "model.h"

/* What is free on each target before the workloads are placed:
 * allocatable - spec.allocated - the requests of pods bound to it.
 * INT64_MAX for an unlimited amount (pods on a ClusterAdvertisement that
 * does not count them). */
typedef struct place__capacity {
    size_t ntargets;
    place__reslist *free;  /* per target; resources of allocatable and of
                              anything requested by bound pods */
    place__reslist *used;  /* per target: allocated + bound pods */
    /* The same free amounts as a dense table over the resource names of
     * the problem (every name of a free list or a request), for loops over
     * millions of pairs: dense[t * nres + r], 0 when not advertised. */
    size_t nres;
    const char **res;
    int64_t *dense;
} place__capacity;

/* Index of a resource name in cap->res, -1 when absent. */
long place__capacity_res(const place__capacity *c, const char *name);

/* A workload's requests as indexes into cap->res (only requests > 0);
 * idx and val must have room for w->requests.count entries. */
size_t place__requests_dense(const place__capacity *c,
                             const place__workload *w, long *idx,
                             int64_t *val);

/* place__fit with the requests in dense form. */
bool place__fit_dense(const place__model *m, const place__capacity *c,
                      size_t wi, const long *idx, const int64_t *val,
                      size_t n, size_t ti, int64_t *max_fit);

int place__capacity_build(place_ctx *ctx, place__arena *a,
                          const place__model *m, place__capacity *out);
/* Free amount of a resource on target ti (0 when not advertised). */
int64_t place__capacity_free(const place__capacity *c, size_t ti,
                             const char *res);

typedef struct place__reason {
    int code;              /* place_reason_code */
    const char *message;
} place__reason;

typedef struct place__verdict {
    bool feasible;
    int first_code;        /* place_reason_code of the first reason */
    const char *first_key; /* summary text of the first reason (static or
                              arena; set only when messages are wanted) */
    int64_t affinity;      /* raw sum of matching preferred weights */
    int64_t taint;         /* minus untolerated PreferNoSchedule taints */
    int64_t max_fit;       /* replicas that fit in the free capacity */
} place__verdict;

/*
 * Decide workload wi on target ti. With `a` set, the reasons (all of them,
 * in kube-scheduler's plugin order) are written to *reasons and *nreasons in
 * that arena, and v->first_key is the summary phrase of the first one.
 */
int place__check_pair(place_ctx *ctx, const place__model *m,
                      const place__capacity *cap, size_t wi, size_t ti,
                      place__verdict *v, place__arena *a,
                      place__reason **reasons, size_t *nreasons);

/* With cap NULL, place__check_pair leaves out NodeResourcesFit (the
 * verdict of everything but the resources; max_fit INT64_MAX). */

/* NodeResourcesFit alone: whether one replica of wi fits on ti (free
 * capacity and largestNode), and how many fit (*max_fit, 0 when none). */
bool place__fit(const place__model *m, const place__capacity *cap, size_t wi,
                size_t ti, int64_t *max_fit);

/* The phrase kube-scheduler uses for a resource that does not fit:
 * "Too many pods" or "Insufficient cpu". */
const char *place__insufficient_phrase(place__arena *a, const char *res);

#endif /* PLACE_FEASIBLE_H */

/*
 * strategy.h: fast placements without the solver (strategy.c): a greedy
 * construction and local improvement over the program's pairs. The program
 * (program.c) uses them as its first incumbent, as the answer when the
 * problem is too large for branch and bound, and as its fallback when a
 * limit stops the search first.
 */
#ifndef PLACE_STRATEGY_H
#define PLACE_STRATEGY_H

#include "feasible.h"

/* The variables of the program: feasible (workload, target) pairs, grouped
 * by workload (consecutive), targets in order within a workload. */
typedef struct place__pairs {
    size_t n;
    const size_t *w;      /* workload of each pair */
    const size_t *t;      /* target of each pair */
    const int64_t *ub;    /* replicas that fit there alone */
    const double *score;  /* weighted soft score of one replica */
    const double *cost;   /* cost of one replica */
    const double *tcost;  /* per target: fixed cost of using it at all;
                             NULL when no target has one */
    const int64_t *cur;   /* replicas running on the pair's target now;
                             NULL when none (no move cost) */
    double move;          /* cost of moving one replica */
    /* The order of kube-scheduler's queue when workloads were merged
     * (reduce.c): entry i places up to seq_n[i] replicas of workload
     * seq_w[i]. NULL: one entry per workload, in canonical order. */
    size_t nseq;
    const size_t *seq_w;
    const int64_t *seq_n;
    /* Optional index (place__pairs_index): each workload's pairs best
     * first, and the pairs of each target. */
    const size_t *perm, *tstart, *bytarget;
} place__pairs;

/* Compute the index of the pairs once for many calls; free it with
 * place__pairs_index_free. */
int place__pairs_index(place_ctx *ctx, const place__model *m,
                       const place__capacity *cap, place__pairs *pairs);
void place__pairs_index_free(place_ctx *ctx, place__pairs *pairs);

/*
 * Greedy: workloads by priority (highest first), then the most constrained
 * (fewest feasible targets), then the largest cpu request, then the
 * canonical order; each replica on the feasible target with room that has
 * the best score, then the lowest cost, then the tightest fit, then the
 * first name. Then local moves: a replica moves to a target with a better
 * score (or equal score and lower cost) that has room, until none helps or
 * `deadline` (place__now() value, 0 = none) passes.
 * x (n entries) receives the replicas per pair.
 */
int place__greedy(place_ctx *ctx, const place__model *m,
                  const place__capacity *cap, const place__pairs *pairs,
                  double deadline, int64_t *x);

/* Fill: starting from the placement x (which must fit), place what is
 * unplaced where it still fits, as the greedy does; never moves or removes
 * a replica, so every constraint x met that only bounds from below stays
 * met. */
int place__greedy_fill(place_ctx *ctx, const place__model *m,
                       const place__capacity *cap, const place__pairs *pairs,
                       int64_t *x);

/* Improve: fill what is unplaced, then local moves (and, with fixed
 * costs, emptying expensive targets), starting from the placement x (which
 * must fit), until nothing helps or the deadline passes. */
int place__greedy_improve(place_ctx *ctx, const place__model *m,
                          const place__capacity *cap,
                          const place__pairs *pairs, double deadline,
                          int64_t *x);

/* Is placement a better than b: placed replicas level by level from the
 * highest priority, then the score, then the cost per replica. */
bool place__placement_better(const place__model *m,
                             const place__pairs *pairs, const int64_t *a,
                             const int64_t *b);

/* Make x fit exactly, in integers: no workload above its replicas, no
 * target above its free capacity (replicas of the lowest priority, then of
 * the lowest score, leave first); then fill again what fits. *removed
 * counts the replicas taken away (0: x fitted already). */
int place__repair(place_ctx *ctx, const place__model *m,
                  const place__capacity *cap, const place__pairs *pairs,
                  int64_t *x, int64_t *removed);

#endif /* PLACE_STRATEGY_H */

/*
 * strategy.c: a greedy placement and local moves, over the program's
 * pairs. No solver here: this is what makes libplace never worse than a
 * greedy scheduler, and fast on problems too large for branch and bound.
 */
#include "strategy.h"

#include <stdlib.h>
#include <string.h>

/* What is left of every resource on every target, dense over the
 * capacity's resource names (cap->res): left[t * nres + r]. The requests
 * of every workload are kept in the same indexes, so nothing compares
 * names in the loops. */
typedef struct resid {
    const place__capacity *cap;
    size_t nres;
    int64_t *left;
    int64_t *initial;
    int64_t *alloc;   /* allocatable: free + allocated + bound pods */
    const place__workload *w0; /* the model's workloads */
    size_t maxreq;
    long *ridx;       /* per workload x maxreq: resource index */
    int64_t *rval;    /* its request */
    size_t *rn;       /* per workload: requests */
    long pods, cpu, memory; /* their indexes, -1 when absent */
} resid;

static int resid_init(place_ctx *ctx, resid *r, const place__model *m,
                      const place__capacity *cap)
{
    size_t t, k, n, w;
    memset(r, 0, sizeof *r);
    r->cap = cap;
    r->nres = cap->nres;
    n = cap->ntargets * r->nres;
    r->left = place__malloc(ctx, (n + 1) * sizeof *r->left);
    r->initial = place__malloc(ctx, (n + 1) * sizeof *r->initial);
    r->alloc = place__malloc(ctx, (n + 1) * sizeof *r->alloc);
    r->maxreq = 1;
    for (w = 0; w < m->nworkloads; w++)
        if (m->workloads[w].requests.count > r->maxreq)
            r->maxreq = m->workloads[w].requests.count;
    r->ridx = place__malloc(ctx, (m->nworkloads * r->maxreq + 1) *
                                     sizeof *r->ridx);
    r->rval = place__malloc(ctx, (m->nworkloads * r->maxreq + 1) *
                                     sizeof *r->rval);
    r->rn = place__malloc(ctx, (m->nworkloads + 1) * sizeof *r->rn);
    if (!r->left || !r->initial || !r->alloc || !r->ridx || !r->rval ||
        !r->rn)
        return place__oom(ctx);
    if (n)
        memcpy(r->left, cap->dense, n * sizeof *r->left);
    if (n)
        memcpy(r->initial, cap->dense, n * sizeof *r->initial);
    for (k = 0; k < n; k++)
        r->alloc[k] = r->initial[k];
    for (t = 0; t < cap->ntargets; t++)
        for (k = 0; k < cap->used[t].count; k++) {
            long ri = place__capacity_res(cap, cap->used[t].items[k].name);
            int64_t *a, u = cap->used[t].items[k].value;
            if (ri < 0)
                continue;
            a = &r->alloc[t * r->nres + (size_t)ri];
            if (*a == INT64_MAX)
                continue;
            /* (free may be negative: more allocated than allocatable) */
            *a = u > 0 && *a > INT64_MAX - u ? INT64_MAX : *a + u;
        }
    r->w0 = m->workloads;
    for (w = 0; w < m->nworkloads; w++)
        r->rn[w] = place__requests_dense(cap, &m->workloads[w],
                                         r->ridx + w * r->maxreq,
                                         r->rval + w * r->maxreq);
    r->pods = place__capacity_res(cap, "pods");
    r->cpu = place__capacity_res(cap, "cpu");
    r->memory = place__capacity_res(cap, "memory");
    return PLACE_OK;
}

static void resid_free(place_ctx *ctx, resid *r)
{
    place__free(ctx, r->left);
    place__free(ctx, r->initial);
    place__free(ctx, r->alloc);
    place__free(ctx, r->ridx);
    place__free(ctx, r->rval);
    place__free(ctx, r->rn);
}

/* The requests of workload w (a pointer into the model's array). */
#define REQS(r, w, idx, val, n)                                              \
    size_t wi_ = (size_t)((w) - (r)->w0);                                    \
    const long *idx = (r)->ridx + wi_ * (r)->maxreq;                         \
    const int64_t *val = (r)->rval + wi_ * (r)->maxreq;                      \
    size_t n = (r)->rn[wi_]

/* Index in left[] of resource index ri on target t (-1: not a resource of
 * the problem). */
static long slot_of(const resid *r, size_t t, long ri)
{
    return ri < 0 ? -1 : (long)(t * r->nres + (size_t)ri);
}

static bool fits(const resid *r, const place__workload *w, size_t t)
{
    REQS(r, w, idx, val, n);
    const int64_t *left = r->left + t * r->nres;
    size_t i;
    for (i = 0; i < n; i++) {
        int64_t l;
        if (idx[i] < 0)
            return false;
        l = left[idx[i]];
        if (l != INT64_MAX && l < val[i])
            return false;
    }
    return true;
}

static void take(resid *r, const place__workload *w, size_t t, int64_t k)
{
    REQS(r, w, idx, val, n);
    int64_t *left = r->left + t * r->nres;
    size_t i;
    for (i = 0; i < n; i++)
        if (idx[i] >= 0 && left[idx[i]] != INT64_MAX)
            left[idx[i]] -= k * val[i];
}

/* How tight one more replica would fit (smaller: tighter): the mean
 * fraction left of the requested resources after placing it. */
static double tightness(const resid *r, const place__workload *w, size_t t)
{
    REQS(r, w, idx, val, nreq);
    double sum = 0;
    size_t i, n = 0;
    for (i = 0; i < nreq; i++) {
        long s;
        if (idx[i] < 0 || idx[i] == r->pods)
            continue;
        s = slot_of(r, t, idx[i]);
        if (r->left[s] == INT64_MAX || r->initial[s] <= 0)
            continue;
        sum += (double)(r->left[s] - val[i]) / (double)r->initial[s];
        n++;
    }
    return n ? sum / (double)n : 0.0;
}

/* kube-scheduler's LeastAllocated: the mean over cpu and memory of the
 * fraction of allocatable left after placing one more replica (larger:
 * less allocated). */
static double least_allocated(const resid *r, const place__workload *w,
                              size_t t)
{
    REQS(r, w, idx, val, nreq);
    const long res[2] = {r->cpu, r->memory};
    double sum = 0;
    size_t i, n = 0, k;
    for (i = 0; i < 2; i++) {
        long s = slot_of(r, t, res[i]);
        int64_t req = 0;
        if (s < 0 || r->alloc[s] == INT64_MAX || r->alloc[s] <= 0 ||
            r->left[s] == INT64_MAX)
            continue;
        for (k = 0; k < nreq; k++)
            if (idx[k] == res[i])
                req = val[k];
        sum += (double)(r->left[s] - req) / (double)r->alloc[s];
        n++;
    }
    return n ? sum / (double)n : 0.0;
}

/* qsort has no context argument: sort keys are precomputed instead. */
typedef struct wkey {
    size_t w;
    int32_t priority;
    size_t npairs;
    int64_t cpu;
} wkey;

static int wkey_cmp(const void *a, const void *b)
{
    const wkey *x = a, *y = b;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if (x->npairs != y->npairs)
        return x->npairs < y->npairs ? -1 : 1;
    if (x->cpu != y->cpu)
        return x->cpu > y->cpu ? -1 : 1;
    return x->w < y->w ? -1 : x->w > y->w;
}

typedef struct pkey {
    size_t p;
    double score, cost;
    size_t t;
    double size; /* repair only: share of the target one replica takes */
} pkey;

static int pkey_cmp(const void *a, const void *b)
{
    const pkey *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* kube-scheduler scores every feasible node of a small cluster, and a
 * sample in large ones (percentageOfNodesToScore: 5% of 10,000 nodes);
 * its way here looks at every candidate of the best score with room up to
 * SPREAD_ALL targets, and at SPREAD_LOOK of them beyond. */
#define SPREAD_ALL 2000
#define SPREAD_LOOK 256

/* Marginal cost of one more replica of key k: its own cost, plus the
 * fixed cost of its target when the target is not used yet. */
static double marginal(const place__pairs *pairs, const size_t *used,
                       const pkey *k)
{
    double c = k->cost;
    if (pairs->tcost && used && used[k->t] == 0)
        c += pairs->tcost[k->t];
    return c;
}

/* The best candidate with room among keys[0..n): the first (score, cost)
 * group that has room, and in it the tightest fit (looking at a bounded
 * number of candidates, so large groups stay cheap). With fixed costs on
 * targets, the marginal cost decides within a score (targets already used
 * cost nothing more), and every candidate of the score is looked at. */
static long best_fit(const resid *r, const place__workload *w,
                     const place__pairs *pairs, const size_t *used,
                     const pkey *keys, size_t n, bool spread)
{
    size_t i, looked = 0;
    long best = -1;
    double best_tight = 0, best_cost = 0;
    bool fixed = pairs->tcost != NULL && used != NULL;
    for (i = 0; i < n; i++) {
        double tight, cost;
        if (best >= 0 &&
            (keys[i].score != keys[best].score ||
             (!fixed && (keys[i].cost != keys[best].cost ||
                         looked >= (spread ? (r->cap->ntargets <= SPREAD_ALL
                                                  ? SIZE_MAX
                                                  : SPREAD_LOOK)
                                           : 32)))))
            break;
        if (!fits(r, w, keys[i].t))
            continue;
        looked++;
        /* kube-scheduler's way: least allocated first */
        tight = spread ? -least_allocated(r, w, keys[i].t)
                       : tightness(r, w, keys[i].t);
        cost = fixed ? marginal(pairs, used, &keys[i]) : keys[i].cost;
        if (best < 0 || cost < best_cost ||
            (cost == best_cost && tight < best_tight)) {
            best = (long)i;
            best_tight = tight;
            best_cost = cost;
        }
    }
    return best;
}

/* How many more replicas of w fit on t (INT64_MAX: no limit). */
static int64_t room(const resid *r, const place__workload *w, size_t t)
{
    REQS(r, w, idx, val, n);
    int64_t most = INT64_MAX;
    size_t i;
    for (i = 0; i < n; i++) {
        int64_t k;
        long s = slot_of(r, t, idx[i]);
        if (s < 0)
            return 0;
        if (r->left[s] == INT64_MAX)
            continue;
        k = r->left[s] > 0 ? r->left[s] / val[i] : 0;
        if (k < most)
            most = k;
    }
    return most;
}

/* Replicas placed per step: one at a time, as kube-scheduler does, while
 * counts are ordinary; in chunks for huge replica counts (so that nothing
 * takes time per replica), a 1/1024 share of what is left. */
static int64_t chunk(const resid *r, const place__workload *w, size_t t,
                     int64_t left)
{
    int64_t k = left / 1024, most;
    if (k <= 1)
        return 1;
    most = room(r, w, t);
    return k < most ? k : (most > 0 ? most : 1);
}

/* Whether the deadline passed, looked at every 1024 calls. */
static bool late(double deadline, unsigned long *tick)
{
    return deadline > 0 && (++*tick & 1023) == 0 && place__now() >= deadline;
}

/* The key of pair q. */
static void key_of(const place__pairs *pairs, size_t q, pkey *k)
{
    k->p = q;
    k->score = pairs->score[q];
    k->cost = pairs->cost[q];
    if (pairs->cur && pairs->cur[q] > 0)
        k->cost -= pairs->move; /* where it runs now: no move */
    k->t = pairs->t[q];
    k->size = 0;
}

typedef struct state {
    place_ctx *ctx;
    const place__model *m;
    const place__pairs *pairs;
    resid r;
    size_t *used;            /* replicas per target */
    size_t *wstart, *wend;   /* pairs of each workload */
    size_t *tstart, *bytarget; /* pairs of each target (fixed costs) */
    wkey *order;
    pkey *keys;
    size_t *perm;            /* pairs of each workload, best first */
    size_t *gs;              /* scratch: start of each key's group */
    size_t maxon;            /* most pairs on one target */
    bool shared;             /* perm, tstart, bytarget are the pairs' */
    size_t nw, maxpairs;
    double deadline;
    unsigned long tick;
} state;

/* The keys of workload w's pairs, best first (sorted once). */
static void load_keys(const state *st, size_t w, pkey *keys)
{
    size_t k, from = st->wstart[w], n = st->wend[w] - from;
    for (k = 0; k < n; k++)
        key_of(st->pairs, st->perm[from + k], &keys[k]);
}

static void move(state *st, int64_t *x, size_t p, int64_t k)
{
    const place__workload *wl = &st->m->workloads[st->pairs->w[p]];
    size_t t = st->pairs->t[p];
    x[p] += k;
    take(&st->r, wl, t, k);
    if (st->used)
        st->used[t] = (size_t)((int64_t)st->used[t] + k);
}

/* Place what is unplaced, best target with room first. */
static bool fill(state *st, bool spread, int64_t *x)
{
    const place__pairs *pairs = st->pairs;
    bool changed = false;
    size_t i;
    for (i = 0; i < st->nw; i++) {
        size_t w = st->order[i].w, n = st->wend[w] - st->wstart[w], k;
        const place__workload *wl = &st->m->workloads[w];
        int64_t placed = 0;
        for (k = 0; k < n; k++)
            placed += x[st->wstart[w] + k];
        if (placed >= wl->replicas)
            continue;
        load_keys(st, w, st->keys);
        while (placed < wl->replicas) {
            long b;
            int64_t c;
            if (late(st->deadline, &st->tick))
                return changed;
            b = best_fit(&st->r, wl, pairs, st->used, st->keys, n, spread);
            if (b < 0)
                break;
            c = chunk(&st->r, wl, st->keys[b].t, wl->replicas - placed);
            move(st, x, st->keys[b].p, c);
            placed += c;
            changed = true;
        }
    }
    return changed;
}

/* kube-scheduler's queue over merged workloads: entries by priority, then
 * in the given (canonical) order, each replica on the least allocated
 * target of the best score. */
static int fill_seq(state *st, int64_t *x, bool *changed)
{
    const place__pairs *pairs = st->pairs;
    const place__model *m = st->m;
    /* wkey with no look-ahead: priority, then the queue's order (in w) */
    wkey *order = place__calloc(st->ctx, pairs->nseq + 1, sizeof *order);
    int64_t *placed = place__calloc(st->ctx, m->nworkloads + 1,
                                    sizeof *placed);
    size_t i, p;
    if (!order || !placed) {
        place__free(st->ctx, order);
        place__free(st->ctx, placed);
        return place__oom(st->ctx);
    }
    for (p = 0; p < pairs->n; p++)
        placed[pairs->w[p]] += x[p];
    for (i = 0; i < pairs->nseq; i++) {
        order[i].w = i;
        order[i].priority = m->workloads[pairs->seq_w[i]].priority;
    }
    qsort(order, pairs->nseq, sizeof *order, wkey_cmp);
    for (i = 0; i < pairs->nseq; i++) {
        size_t w = pairs->seq_w[order[i].w], n = st->wend[w] - st->wstart[w];
        const place__workload *wl = &m->workloads[w];
        int64_t want = pairs->seq_n[order[i].w];
        if (want > wl->replicas - placed[w])
            want = wl->replicas - placed[w];
        if (want <= 0 || n == 0)
            continue;
        load_keys(st, w, st->keys);
        while (want > 0) {
            long b;
            int64_t c;
            if (late(st->deadline, &st->tick))
                goto out;
            b = best_fit(&st->r, wl, pairs, st->used, st->keys, n, true);
            if (b < 0)
                break;
            c = chunk(&st->r, wl, st->keys[b].t, want);
            move(st, x, st->keys[b].p, c);
            placed[w] += c;
            want -= c;
            *changed = true;
        }
    }
out:
    place__free(st->ctx, order);
    place__free(st->ctx, placed);
    return PLACE_OK;
}

/* Move replicas to better targets with room. */
static bool improve(state *st, bool spread, int64_t *x)
{
    const place__pairs *pairs = st->pairs;
    bool changed = false;
    size_t i;
    for (i = 0; i < st->nw; i++) {
        size_t w = st->order[i].w, n = st->wend[w] - st->wstart[w], k;
        const place__workload *wl = &st->m->workloads[w];
        pkey *keys = st->keys;
        if (st->deadline > 0 && place__now() >= st->deadline)
            break;
        load_keys(st, w, keys);
        /* where each key's (score, cost) group starts */
        for (k = 0; k < n; k++)
            st->gs[k] = k > 0 && keys[k - 1].score == keys[k].score &&
                                keys[k - 1].cost == keys[k].cost
                            ? st->gs[k - 1]
                            : k;
        /* from the worst used target towards strictly better ones */
        for (k = n; k-- > 0;) {
            size_t better = st->gs[k];
            if (x[keys[k].p] <= 0 || better == 0)
                continue;
            while (x[keys[k].p] > 0 && better > 0) {
                long b = best_fit(&st->r, wl, pairs, NULL, keys, better,
                                  spread);
                int64_t c;
                if (b < 0 || late(st->deadline, &st->tick))
                    break;
                c = chunk(&st->r, wl, keys[b].t, x[keys[k].p]);
                if (c > x[keys[k].p])
                    c = x[keys[k].p];
                move(st, x, keys[k].p, -c);
                move(st, x, keys[b].p, c);
                changed = true;
            }
        }
    }
    return changed;
}

typedef struct tkey {
    size_t t;
    double rate; /* fixed cost per replica held */
} tkey;

static int tkey_cmp(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    if (x->rate != y->rate)
        return x->rate > y->rate ? -1 : 1;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* Fixed costs: try to empty the targets that cost most per replica they
 * hold, moving their replicas (same score, no higher cost per replica)
 * onto targets that are used already. A target is emptied entirely or left
 * as it was. Targets holding many replicas are not tried. */
#define CONSOLIDATE_MAX 1024

static int consolidate(state *st, int64_t *x, bool *changed)
{
    const place__pairs *pairs = st->pairs;
    const place__model *m = st->m;
    size_t nt = st->r.cap->ntargets, t, n = 0, i, j;
    tkey *tk;
    size_t *from_p, *to_p;

    if (!pairs->tcost || !st->used)
        return PLACE_OK;
    tk = place__calloc(st->ctx, nt + 1, sizeof *tk);
    from_p = place__calloc(st->ctx, CONSOLIDATE_MAX, sizeof *from_p);
    to_p = place__calloc(st->ctx, CONSOLIDATE_MAX, sizeof *to_p);
    if (!tk || !from_p || !to_p) {
        place__free(st->ctx, tk);
        place__free(st->ctx, from_p);
        place__free(st->ctx, to_p);
        return place__oom(st->ctx);
    }
    for (t = 0; t < nt; t++)
        if (st->used[t] > 0 && st->used[t] <= CONSOLIDATE_MAX &&
            pairs->tcost[t] > 0) {
            tk[n].t = t;
            tk[n].rate = pairs->tcost[t] / (double)st->used[t];
            n++;
        }
    qsort(tk, n, sizeof *tk, tkey_cmp);
    for (i = 0; i < n; i++) {
        size_t from = tk[i].t, nmoves = 0, k;
        bool ok = true;
        if (st->deadline > 0 && place__now() >= st->deadline)
            break;
        if (st->used[from] == 0 || st->used[from] > CONSOLIDATE_MAX)
            continue;
        for (j = st->tstart[from]; j < st->tstart[from + 1] && ok; j++) {
            size_t p = st->bytarget[j], w = pairs->w[p];
            const place__workload *wl = &m->workloads[w];
            size_t nk = st->wend[w] - st->wstart[w];
            if (x[p] == 0)
                continue;
            load_keys(st, w, st->keys);
            while (x[p] > 0) {
                long b = -1;
                double bt = 0;
                for (k = 0; k < nk; k++) {
                    const pkey *c = &st->keys[k];
                    double tight;
                    if (c->t == from || c->score != pairs->score[p] ||
                        st->used[c->t] == 0 || c->cost > pairs->cost[p] ||
                        !fits(&st->r, wl, c->t))
                        continue;
                    tight = tightness(&st->r, wl, c->t);
                    if (b < 0 || tight < bt) {
                        b = (long)k;
                        bt = tight;
                    }
                }
                if (b < 0 || nmoves == CONSOLIDATE_MAX) {
                    ok = false;
                    break;
                }
                move(st, x, p, -1);
                move(st, x, st->keys[b].p, 1);
                from_p[nmoves] = p;
                to_p[nmoves] = st->keys[b].p;
                nmoves++;
            }
        }
        if (ok) {
            *changed = true;
            continue;
        }
        /* undo: the target stays */
        for (k = nmoves; k-- > 0;) {
            move(st, x, to_p[k], -1);
            move(st, x, from_p[k], 1);
        }
    }
    place__free(st->ctx, tk);
    place__free(st->ctx, from_p);
    place__free(st->ctx, to_p);
    return PLACE_OK;
}

/* Order of removal when a target is over capacity: the lowest priority,
 * then the lowest score, then the highest cost go first. */
static int drop_cmp(const void *a, const void *b)
{
    const pkey *x = a, *y = b;
    if (x->cost != y->cost) /* cost holds the priority here */
        return x->cost < y->cost ? -1 : 1;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    if (x->size != y->size) /* small replicas fit elsewhere more easily */
        return x->size < y->size ? -1 : 1;
    return x->p < y->p ? -1 : x->p > y->p;
}

/* Preemption, as kube-scheduler does it: a replica that fits nowhere
 * takes the place of replicas of lower priority on a target where their
 * leaving makes room (the fewest of the lowest priority and score first);
 * they are placed again where they still fit by the next fill. Every
 * success places one more replica at a higher level, so the placement only
 * gets better in the objective's order. */
static int preempt(state *st, int64_t *x, bool *changed)
{
    const place__pairs *pairs = st->pairs;
    const place__model *m = st->m;
    size_t i, nt = st->r.cap->ntargets;
    size_t maxon = 0, t;
    pkey *vict;
    int64_t *taken;

    for (t = 0; t < nt; t++)
        if (st->tstart[t + 1] - st->tstart[t] > maxon)
            maxon = st->tstart[t + 1] - st->tstart[t];
    vict = place__calloc(st->ctx, maxon + 1, sizeof *vict);
    taken = place__calloc(st->ctx, maxon + 1, sizeof *taken);
    if (!vict || !taken) {
        place__free(st->ctx, vict);
        place__free(st->ctx, taken);
        return place__oom(st->ctx);
    }
    for (i = 0; i < st->nw; i++) {
        size_t w = st->order[i].w, n = st->wend[w] - st->wstart[w], k;
        const place__workload *wl = &m->workloads[w];
        int64_t placed = 0;
        for (k = 0; k < n; k++)
            placed += x[st->wstart[w] + k];
        if (placed >= wl->replicas)
            continue;
        load_keys(st, w, st->keys);
        for (k = 0; k < n && placed < wl->replicas; k++) {
            size_t tt = st->keys[k].t, nv = 0, j, v;
            bool ok;
            if (late(st->deadline, &st->tick))
                goto out;
            if (fits(&st->r, wl, tt)) {
                move(st, x, st->keys[k].p, 1);
                placed++;
                *changed = true;
                k--; /* this target may take more */
                continue;
            }
            for (j = st->tstart[tt]; j < st->tstart[tt + 1]; j++) {
                size_t q = st->bytarget[j];
                if (x[q] <= 0 ||
                    m->workloads[pairs->w[q]].priority >= wl->priority)
                    continue;
                key_of(pairs, q, &vict[nv]);
                vict[nv].cost =
                    (double)m->workloads[pairs->w[q]].priority;
                nv++;
            }
            if (nv == 0)
                continue;
            qsort(vict, nv, sizeof *vict, drop_cmp);
            ok = false;
            for (v = 0; v < nv && !ok; v++) {
                taken[v] = 0;
                while (x[vict[v].p] > 0) {
                    move(st, x, vict[v].p, -1);
                    taken[v]++;
                    if (fits(&st->r, wl, tt)) {
                        ok = true;
                        break;
                    }
                }
            }
            if (ok) {
                move(st, x, st->keys[k].p, 1);
                placed++;
                *changed = true;
                k--;
            } else {
                for (j = 0; j < v; j++)
                    if (taken[j])
                        move(st, x, vict[j].p, taken[j]);
            }
        }
    }
out:
    place__free(st->ctx, vict);
    place__free(st->ctx, taken);
    return PLACE_OK;
}

/* Room by moving: a replica that fits nowhere goes on a target where
 * replicas of other workloads can move to another target with room (best
 * score first); they stay placed, so every success places one more replica
 * and nothing is lost in the objective's order. Bounded: the best
 * RELOCATE_TARGETS targets of the workload, RELOCATE_MOVES moves each. */
#define RELOCATE_TARGETS 64
#define RELOCATE_MOVES 32

static int relocate(state *st, int64_t *x, bool *changed)
{
    const place__pairs *pairs = st->pairs;
    const place__model *m = st->m;
    size_t from_p[RELOCATE_MOVES], to_p[RELOCATE_MOVES];
    size_t i;

    for (i = 0; i < st->nw; i++) {
        size_t w = st->order[i].w, n = st->wend[w] - st->wstart[w], k;
        const place__workload *wl = &m->workloads[w];
        int64_t placed = 0;
        for (k = 0; k < n; k++)
            placed += x[st->wstart[w] + k];
        if (placed >= wl->replicas)
            continue;
        load_keys(st, w, st->keys);
        for (k = 0; k < n && k < RELOCATE_TARGETS && placed < wl->replicas;
             k++) {
            size_t t = st->keys[k].t, nm = 0, j;
            if (late(st->deadline, &st->tick))
                return PLACE_OK;
            for (j = st->tstart[t];
                 j < st->tstart[t + 1] && nm < RELOCATE_MOVES &&
                 !fits(&st->r, wl, t);
                 j++) {
                size_t q = st->bytarget[j], v = pairs->w[q];
                const place__workload *vw = &m->workloads[v];
                if (v == w)
                    continue;
                while (x[q] > 0 && nm < RELOCATE_MOVES &&
                       !fits(&st->r, wl, t)) {
                    size_t a, q2 = SIZE_MAX;
                    for (a = st->wstart[v]; a < st->wend[v]; a++) {
                        size_t c = st->perm[a];
                        if (pairs->t[c] != t && fits(&st->r, vw, pairs->t[c])) {
                            q2 = c;
                            break;
                        }
                    }
                    if (q2 == SIZE_MAX)
                        break;
                    move(st, x, q, -1);
                    move(st, x, q2, 1);
                    from_p[nm] = q;
                    to_p[nm] = q2;
                    nm++;
                }
            }
            if (fits(&st->r, wl, t)) {
                move(st, x, st->keys[k].p, 1);
                placed++;
                *changed = true;
                k--; /* this target may take more */
                continue;
            }
            while (nm-- > 0) {
                move(st, x, to_p[nm], -1);
                move(st, x, from_p[nm], 1);
            }
        }
    }
    return PLACE_OK;
}

static void state_free(state *st)
{
    resid_free(st->ctx, &st->r);
    place__free(st->ctx, st->order);
    place__free(st->ctx, st->keys);
    if (!st->shared) {
        place__free(st->ctx, st->perm);
        place__free(st->ctx, st->tstart);
        place__free(st->ctx, st->bytarget);
    }
    place__free(st->ctx, st->gs);
    place__free(st->ctx, st->wstart);
    place__free(st->ctx, st->wend);
    place__free(st->ctx, st->used);
}

static int state_init(state *st, place_ctx *ctx, const place__model *m,
                      const place__capacity *cap, const place__pairs *pairs,
                      double deadline, bool spread, const int64_t *x)
{
    size_t p, nt = cap->ntargets;
    int rc;

    memset(st, 0, sizeof *st);
    st->ctx = ctx;
    st->m = m;
    st->pairs = pairs;
    st->deadline = deadline;
    if ((rc = resid_init(ctx, &st->r, m, cap)) != PLACE_OK)
        return rc;
    st->used = place__calloc(ctx, nt + 1, sizeof *st->used);
    if (!st->used)
        return place__oom(ctx);
    if (pairs->perm) {
        st->shared = true;
        st->perm = (size_t *)pairs->perm;
        st->tstart = (size_t *)pairs->tstart;
        st->bytarget = (size_t *)pairs->bytarget;
    } else {
        st->tstart = place__calloc(ctx, nt + 2, sizeof *st->tstart);
        st->bytarget = place__calloc(ctx, pairs->n + 1, sizeof *st->bytarget);
        if (!st->used || !st->tstart || !st->bytarget)
            return place__oom(ctx);
        for (p = 0; p < pairs->n; p++)
            st->tstart[pairs->t[p] + 1]++;
        for (p = 0; p < nt; p++)
            st->tstart[p + 1] += st->tstart[p];
        for (p = 0; p < pairs->n; p++)
            st->bytarget[st->tstart[pairs->t[p]] + st->used[pairs->t[p]]++] =
                p;
        memset(st->used, 0, (nt + 1) * sizeof *st->used);
    }
    for (p = 0; p < pairs->n; p++)
        if (x[p] > 0) {
            take(&st->r, &m->workloads[pairs->w[p]], pairs->t[p], x[p]);
            if (st->used)
                st->used[pairs->t[p]] += (size_t)x[p];
        }
    st->wstart = place__calloc(ctx, m->nworkloads + 1, sizeof *st->wstart);
    st->wend = place__calloc(ctx, m->nworkloads + 1, sizeof *st->wend);
    st->order = place__calloc(ctx, m->nworkloads + 1, sizeof *st->order);
    if (!st->wstart || !st->wend || !st->order)
        return place__oom(ctx);
    for (p = 0; p < pairs->n;) {
        size_t q = p, w = pairs->w[p];
        while (q < pairs->n && pairs->w[q] == w)
            q++;
        st->wstart[w] = p;
        st->wend[w] = q;
        if (q - p > st->maxpairs)
            st->maxpairs = q - p;
        st->order[st->nw].w = w;
        st->order[st->nw].priority = m->workloads[w].priority;
        st->order[st->nw].npairs = spread ? 0 : q - p; /* kube: no look-ahead */
        st->order[st->nw].cpu =
            spread ? 0
                   : place__reslist_get(&m->workloads[w].requests, "cpu",
                                        NULL);
        st->nw++;
        p = q;
    }
    st->keys = place__calloc(ctx, st->maxpairs + 1, sizeof *st->keys);
    st->gs = place__calloc(ctx, st->maxpairs + 1, sizeof *st->gs);
    if (!st->shared)
        st->perm = place__calloc(ctx, pairs->n + 1, sizeof *st->perm);
    if (!st->keys || !st->perm || !st->gs)
        return place__oom(ctx);
    for (p = 0; p < st->nw && !st->shared; p++) {
        size_t w = st->order[p].w, from = st->wstart[w],
               n = st->wend[w] - from, k;
        for (k = 0; k < n; k++)
            key_of(pairs, from + k, &st->keys[k]);
        qsort(st->keys, n, sizeof *st->keys, pkey_cmp);
        for (k = 0; k < n; k++)
            st->perm[from + k] = st->keys[k].p;
    }
    qsort(st->order, st->nw, sizeof *st->order, wkey_cmp);
    for (p = 0; p < nt; p++)
        if (st->tstart[p + 1] - st->tstart[p] > st->maxon)
            st->maxon = st->tstart[p + 1] - st->tstart[p];
    return PLACE_OK;
}

static int run(place_ctx *ctx, const place__model *m,
               const place__capacity *cap, const place__pairs *pairs,
               double deadline, bool improving, bool spread, int64_t *x)
{
    state st;
    int rc, round;

    if (pairs->n == 0)
        return PLACE_OK;
    rc = state_init(&st, ctx, m, cap, pairs, deadline, spread, x);
    for (round = 0; rc == PLACE_OK && round < 4; round++) {
        bool changed = false;
        if (spread && round == 0 && pairs->nseq)
            rc = fill_seq(&st, x, &changed);
        if (rc != PLACE_OK)
            break;
        changed |= fill(&st, spread, x);
        if (!improving)
            break;
        changed |= improve(&st, spread, x);
        if ((rc = consolidate(&st, x, &changed)) != PLACE_OK)
            break;
        if ((rc = preempt(&st, x, &changed)) != PLACE_OK)
            break;
        if ((rc = relocate(&st, x, &changed)) != PLACE_OK)
            break;
        if (changed)
            changed |= fill(&st, spread, x);
        if (!changed || (deadline > 0 && place__now() >= deadline))
            break;
    }
    state_free(&st);
    return rc;
}

/* Is placement a better than b? Placed replicas level by level, highest
 * priority first, then the score, then the cost. */
static bool better(const place__model *m, const place__pairs *pairs,
                   const int64_t *a, const int64_t *b)
{
    int32_t level = INT32_MAX;
    double sa = 0, sb = 0, ca = 0, cb = 0;
    size_t p;
    for (;;) {
        int32_t next = INT32_MIN;
        int64_t na = 0, nb = 0;
        bool any = false;
        for (p = 0; p < pairs->n; p++) {
            int32_t pr = m->workloads[pairs->w[p]].priority;
            if (pr == level) {
                na += a[p];
                nb += b[p];
            } else if (pr < level && (!any || pr > next)) {
                next = pr;
                any = true;
            }
        }
        if (level != INT32_MAX && na != nb)
            return na > nb;
        if (!any)
            break;
        level = next;
    }
    for (p = 0; p < pairs->n; p++) {
        sa += pairs->score[p] * (double)a[p];
        sb += pairs->score[p] * (double)b[p];
        ca += pairs->cost[p] * (double)a[p];
        cb += pairs->cost[p] * (double)b[p];
    }
    if (sa != sb)
        return sa > sb;
    return ca < cb;
}

int place__greedy(place_ctx *ctx, const place__model *m,
                  const place__capacity *cap, const place__pairs *pairs,
                  double deadline, int64_t *x)
{
    int64_t *alt;
    int rc;
    memset(x, 0, pairs->n * sizeof *x);
    if ((rc = run(ctx, m, cap, pairs, deadline, true, false, x)) != PLACE_OK)
        return rc;
    /* and kube-scheduler's way (canonical order, least allocated): keep
     * the better of the two, so libplace is never behind it */
    alt = place__calloc(ctx, pairs->n + 1, sizeof *alt);
    if (!alt)
        return place__oom(ctx);
    rc = run(ctx, m, cap, pairs, deadline, true, true, alt);
    {
        int64_t na = 0, nx = 0;
        size_t p;
        for (p = 0; p < pairs->n; p++) {
            na += alt[p];
            nx += x[p];
        }
        place__log(ctx, PLACE_LOG_DEBUG,
                   "greedy: most constrained first %lld replicas, "
                   "kube-scheduler's order %lld",
                   (long long)nx, (long long)na);
    }
    if (rc == PLACE_OK && better(m, pairs, alt, x))
        memcpy(x, alt, pairs->n * sizeof *x);
    place__free(ctx, alt);
    return rc;
}

int place__pairs_index(place_ctx *ctx, const place__model *m,
                       const place__capacity *cap, place__pairs *pairs)
{
    state st;
    int64_t *zero = place__calloc(ctx, pairs->n + 1, sizeof *zero);
    int rc;
    if (!zero)
        return place__oom(ctx);
    pairs->perm = pairs->tstart = pairs->bytarget = NULL;
    rc = state_init(&st, ctx, m, cap, pairs, 0, false, zero);
    if (rc == PLACE_OK) {
        pairs->perm = st.perm;
        pairs->tstart = st.tstart;
        pairs->bytarget = st.bytarget;
        st.shared = true; /* now the caller's */
    }
    state_free(&st);
    place__free(ctx, zero);
    return rc;
}

void place__pairs_index_free(place_ctx *ctx, place__pairs *pairs)
{
    place__free(ctx, (void *)pairs->perm);
    place__free(ctx, (void *)pairs->tstart);
    place__free(ctx, (void *)pairs->bytarget);
    pairs->perm = pairs->tstart = pairs->bytarget = NULL;
}

int place__greedy_fill(place_ctx *ctx, const place__model *m,
                       const place__capacity *cap, const place__pairs *pairs,
                       int64_t *x)
{
    return run(ctx, m, cap, pairs, 0, false, false, x);
}

int place__greedy_improve(place_ctx *ctx, const place__model *m,
                          const place__capacity *cap,
                          const place__pairs *pairs, double deadline,
                          int64_t *x)
{
    return run(ctx, m, cap, pairs, deadline, true, false, x);
}

bool place__placement_better(const place__model *m,
                             const place__pairs *pairs, const int64_t *a,
                             const int64_t *b)
{
    return better(m, pairs, a, b);
}

int place__repair(place_ctx *ctx, const place__model *m,
                  const place__capacity *cap, const place__pairs *pairs,
                  int64_t *x, int64_t *removed)
{
    state st;
    size_t nt = cap->ntargets, p, t, k;
    pkey *on = NULL;
    int rc;

    *removed = 0;
    if (pairs->n == 0)
        return PLACE_OK;
    /* per workload: never more than its replicas */
    for (p = 0; p < pairs->n;) {
        size_t q = p;
        int64_t sum = 0, want = m->workloads[pairs->w[p]].replicas;
        for (; q < pairs->n && pairs->w[q] == pairs->w[p]; q++) {
            if (x[q] < 0)
                x[q] = 0;
            sum += x[q];
        }
        for (k = q; sum > want && k-- > p;) {
            int64_t c = x[k] < sum - want ? x[k] : sum - want;
            x[k] -= c;
            sum -= c;
            *removed += c;
        }
        p = q;
    }
    rc = state_init(&st, ctx, m, cap, pairs, 0, false, x);
    if (rc != PLACE_OK) {
        state_free(&st);
        return rc;
    }
    /* the pairs of a target that overflows, one target at a time (the
     * state's index lists the pairs of each target) */
    on = place__calloc(ctx, st.maxon + 1, sizeof *on);
    if (!on) {
        rc = place__oom(ctx);
        goto done;
    }
    for (t = 0; t < nt; t++) {
        size_t from = 0, n = st.tstart[t + 1] - st.tstart[t], i;
        bool over = false;
        size_t r0 = t * st.r.nres, r1 = r0 + st.r.nres;
        for (i = r0; i < r1; i++)
            if (st.r.left[i] != INT64_MAX && st.r.left[i] < 0)
                over = true;
        if (!over)
            continue;
        for (i = 0; i < n; i++) {
            pkey *e = &on[i];
            size_t q = st.bytarget[st.tstart[t] + i];
            e->p = q;
            e->t = t;
            e->score = pairs->score[q];
            e->cost = (double)m->workloads[pairs->w[q]].priority;
        }
        /* the share of the overflowing resources one replica takes */
        for (i = 0; i < n; i++) {
            pkey *e = &on[from + i];
            const place__workload *wl = &m->workloads[pairs->w[e->p]];
            REQS(&st.r, wl, idx, val, nreq);
            size_t k2;
            e->size = 0;
            for (k2 = 0; k2 < nreq; k2++) {
                long sl = slot_of(&st.r, t, idx[k2]);
                double share;
                if (sl < 0 || st.r.left[sl] >= 0 ||
                    st.r.initial[sl] <= 0)
                    continue;
                share = (double)val[k2] / (double)st.r.initial[sl];
                if (share > e->size)
                    e->size = share;
            }
        }
        qsort(on + from, n, sizeof *on, drop_cmp);
        for (i = 0; i < n && over; i++) {
            size_t q = on[from + i].p, j;
            if (on[from + i].size <= 0)
                continue; /* takes none of what overflows */
            while (x[q] > 0 && over) {
                move(&st, x, q, -1);
                (*removed)++;
                over = false;
                for (j = r0; j < r1; j++)
                    if (st.r.left[j] != INT64_MAX && st.r.left[j] < 0)
                        over = true;
            }
        }
    }
    if (*removed > 0)
        fill(&st, false, x);
done:
    state_free(&st);
    place__free(ctx, on);
    return rc;
}

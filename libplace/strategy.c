/*
 * strategy.c: a greedy placement and local moves, over the program's
 * pairs. No solver here: this is what makes libplace never worse than a
 * greedy scheduler, and fast on problems too large for branch and bound.
 */
#include "strategy.h"

#include <stdlib.h>
#include <string.h>

/* What is left of every resource on every target (copied from the
 * capacity's free lists, which are sorted by name). */
typedef struct resid {
    const place__capacity *cap;
    size_t *start; /* per target, offset into left */
    int64_t *left;
    int64_t *initial;
} resid;

static int resid_init(place_ctx *ctx, resid *r, const place__capacity *cap)
{
    size_t t, n = 0, k;
    memset(r, 0, sizeof *r);
    r->cap = cap;
    for (t = 0; t < cap->ntargets; t++)
        n += cap->free[t].count;
    r->start = place__calloc(ctx, cap->ntargets + 1, sizeof *r->start);
    r->left = place__calloc(ctx, n + 1, sizeof *r->left);
    r->initial = place__calloc(ctx, n + 1, sizeof *r->initial);
    if (!r->start || !r->left || !r->initial)
        return place__oom(ctx);
    for (t = 0, n = 0; t < cap->ntargets; t++) {
        r->start[t] = n;
        for (k = 0; k < cap->free[t].count; k++, n++)
            r->left[n] = r->initial[n] = cap->free[t].items[k].value;
    }
    return PLACE_OK;
}

static void resid_free(place_ctx *ctx, resid *r)
{
    place__free(ctx, r->start);
    place__free(ctx, r->left);
    place__free(ctx, r->initial);
}

/* Index of resource `name` of target t in left[], or -1. */
static long slot(const resid *r, size_t t, const char *name)
{
    const place__reslist *l = &r->cap->free[t];
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->items[mid].name, name);
        if (c == 0)
            return (long)(r->start[t] + mid);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static bool fits(const resid *r, const place__workload *w, size_t t)
{
    size_t i;
    for (i = 0; i < w->requests.count; i++) {
        int64_t req = w->requests.items[i].value;
        long s;
        if (req <= 0)
            continue;
        s = slot(r, t, w->requests.items[i].name);
        if (s < 0 || (r->left[s] != INT64_MAX && r->left[s] < req))
            return false;
    }
    return true;
}

static void take(resid *r, const place__workload *w, size_t t, int64_t k)
{
    size_t i;
    for (i = 0; i < w->requests.count; i++) {
        int64_t req = w->requests.items[i].value;
        long s;
        if (req <= 0)
            continue;
        s = slot(r, t, w->requests.items[i].name);
        if (s >= 0 && r->left[s] != INT64_MAX)
            r->left[s] -= k * req;
    }
}

/* How tight one more replica would fit (smaller: tighter): the mean
 * fraction left of the requested resources after placing it. */
static double tightness(const resid *r, const place__workload *w, size_t t)
{
    double sum = 0;
    size_t i, n = 0;
    for (i = 0; i < w->requests.count; i++) {
        int64_t req = w->requests.items[i].value;
        long s;
        if (req <= 0 || strcmp(w->requests.items[i].name, "pods") == 0)
            continue;
        s = slot(r, t, w->requests.items[i].name);
        if (s < 0 || r->left[s] == INT64_MAX || r->initial[s] <= 0)
            continue;
        sum += (double)(r->left[s] - req) / (double)r->initial[s];
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

/* The best candidate with room among keys[0..n): the first (score, cost)
 * group that has room, and in it the tightest fit (looking at a bounded
 * number of candidates, so large groups stay cheap). */
static long best_fit(const resid *r, const place__workload *w,
                     const pkey *keys, size_t n, bool spread)
{
    size_t i, looked = 0;
    long best = -1;
    double best_tight = 0;
    for (i = 0; i < n; i++) {
        double tight;
        if (best >= 0 && (keys[i].score != keys[best].score ||
                          keys[i].cost != keys[best].cost || looked >= 32))
            break;
        if (!fits(r, w, keys[i].t))
            continue;
        looked++;
        tight = tightness(r, w, keys[i].t);
        if (spread)
            tight = -tight; /* least allocated first, as kube-scheduler */
        if (best < 0 || tight < best_tight) {
            best = (long)i;
            best_tight = tight;
        }
    }
    return best;
}

static int run(place_ctx *ctx, const place__model *m,
               const place__capacity *cap, const place__pairs *pairs,
               double deadline, bool improve, bool spread, int64_t *x)
{
    resid r;
    wkey *order = NULL;
    pkey *keys = NULL;
    size_t *wstart = NULL, *wend = NULL;
    size_t nw = 0, i, p, maxpairs = 0;
    int rc, round;

    memset(&r, 0, sizeof r);
    if (pairs->n == 0)
        return PLACE_OK;
    if ((rc = resid_init(ctx, &r, cap)) != PLACE_OK)
        goto done;
    for (p = 0; p < pairs->n; p++)
        if (x[p] > 0)
            take(&r, &m->workloads[pairs->w[p]], pairs->t[p], x[p]);
    wstart = place__calloc(ctx, m->nworkloads + 1, sizeof *wstart);
    wend = place__calloc(ctx, m->nworkloads + 1, sizeof *wend);
    order = place__calloc(ctx, m->nworkloads + 1, sizeof *order);
    if (!wstart || !wend || !order) {
        rc = place__oom(ctx);
        goto done;
    }
    for (p = 0; p < pairs->n;) {
        size_t q = p, w = pairs->w[p];
        while (q < pairs->n && pairs->w[q] == w)
            q++;
        wstart[w] = p;
        wend[w] = q;
        if (q - p > maxpairs)
            maxpairs = q - p;
        order[nw].w = w;
        order[nw].priority = m->workloads[w].priority;
        order[nw].npairs = spread ? 0 : q - p; /* kube: no look-ahead */
        order[nw].cpu = spread ? 0
                               : place__reslist_get(&m->workloads[w].requests,
                                                    "cpu", NULL);
        nw++;
        p = q;
    }
    keys = place__calloc(ctx, maxpairs + 1, sizeof *keys);
    if (!keys) {
        rc = place__oom(ctx);
        goto done;
    }
    qsort(order, nw, sizeof *order, wkey_cmp);

    for (round = 0; round < 4; round++) {
        bool changed = false;
        /* fill: place what is unplaced, best target with room first */
        for (i = 0; i < nw; i++) {
            size_t w = order[i].w, n = wend[w] - wstart[w], k;
            const place__workload *wl = &m->workloads[w];
            int64_t placed = 0;
            for (k = 0; k < n; k++) {
                size_t q = wstart[w] + k;
                keys[k].p = q;
                keys[k].score = pairs->score[q];
                keys[k].cost = pairs->cost[q];
                keys[k].t = pairs->t[q];
                placed += x[q];
            }
            qsort(keys, n, sizeof *keys, pkey_cmp);
            while (placed < wl->replicas) {
                long b = best_fit(&r, wl, keys, n, spread);
                if (b < 0)
                    break;
                x[keys[b].p]++;
                take(&r, wl, keys[b].t, 1);
                placed++;
                changed = true;
            }
        }
        /* improve: move replicas to better targets with room */
        for (i = 0; i < nw && improve; i++) {
            size_t w = order[i].w, n = wend[w] - wstart[w], k;
            const place__workload *wl = &m->workloads[w];
            if (deadline > 0 && place__now() >= deadline)
                break;
            for (k = 0; k < n; k++) {
                size_t q = wstart[w] + k;
                keys[k].p = q;
                keys[k].score = pairs->score[q];
                keys[k].cost = pairs->cost[q];
                keys[k].t = pairs->t[q];
            }
            qsort(keys, n, sizeof *keys, pkey_cmp);
            /* from the worst used target towards strictly better ones */
            for (k = n; k-- > 0;) {
                size_t better = k;
                while (better > 0 && keys[better - 1].score == keys[k].score &&
                       keys[better - 1].cost == keys[k].cost)
                    better--;
                while (x[keys[k].p] > 0 && better > 0) {
                    long b = best_fit(&r, wl, keys, better, spread);
                    if (b < 0)
                        break;
                    x[keys[k].p]--;
                    take(&r, wl, keys[k].t, -1);
                    x[keys[b].p]++;
                    take(&r, wl, keys[b].t, 1);
                    changed = true;
                }
            }
        }
        if (!improve || !changed ||
            (deadline > 0 && place__now() >= deadline))
            break;
    }
    rc = PLACE_OK;
done:
    resid_free(ctx, &r);
    place__free(ctx, order);
    place__free(ctx, keys);
    place__free(ctx, wstart);
    place__free(ctx, wend);
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
    if (rc == PLACE_OK && better(m, pairs, alt, x))
        memcpy(x, alt, pairs->n * sizeof *x);
    place__free(ctx, alt);
    return rc;
}

int place__greedy_fill(place_ctx *ctx, const place__model *m,
                       const place__capacity *cap, const place__pairs *pairs,
                       int64_t *x)
{
    return run(ctx, m, cap, pairs, 0, false, false, x);
}

/*
 * result.c: building the result from the model, the verdicts and the plan,
 * and its accessors.
 */
#include "result.h"

#include "quantity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Holders named in a why-not (the ones holding the most). */
#define PLACE__MAX_HOLDERS 10

/* ---- building ----------------------------------------------------------- */

/* a + x * req, saturated at INT64_MAX (requests and counts are never
 * negative): usage near 2^63 must not wrap, even when the solver's
 * tolerances let a placement pass its capacity by a few units. */
static int64_t add_use(int64_t a, int64_t x, int64_t req)
{
    int64_t use;
    if (x <= 0 || req <= 0)
        return a;
    use = req > INT64_MAX / x ? INT64_MAX : x * req;
    return a > INT64_MAX - use ? INT64_MAX : a + use;
}

/* Feasible candidates by regret (replicas lost, then objective lost),
 * chosen first among equals, then by score (higher first), then by name;
 * infeasible ones after, by name. Without regrets, chosen first, then
 * score, then name. */
static int cand_cmp(const void *a, const void *b)
{
    const place_candidate *x = a, *y = b;
    int64_t sx = x->affinity + x->taint, sy = y->affinity + y->taint;
    if (x->feasible != y->feasible)
        return x->feasible ? -1 : 1;
    if (x->feasible) {
        if (x->has_regret && y->has_regret) {
            if (x->regret_replicas != y->regret_replicas)
                return x->regret_replicas < y->regret_replicas ? -1 : 1;
            if (fabs(x->regret - y->regret) > 1e-9)
                return x->regret < y->regret ? -1 : 1;
        }
        if (x->chosen != y->chosen)
            return x->chosen ? -1 : 1;
        if (sx != sy)
            return sx > sy ? -1 : 1;
    }
    return strcmp(x->target, y->target);
}

typedef struct hist {
    const char *key;
    size_t count;
} hist;

static int hist_line_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "0/3 targets are available: 1 node(s) didn't match ..., 2 Insufficient
 * cpu." Each target counts once, by its first reason; the phrases are
 * sorted as kube-scheduler sorts them. */
static const char *summarize(place__arena *a, size_t ntargets, hist *h,
                             size_t nh)
{
    place__buf b;
    char **lines;
    size_t i;
    const char *s;

    lines = place__arena_alloc(a, (nh + 1) * sizeof *lines);
    if (!lines)
        return NULL;
    for (i = 0; i < nh; i++) {
        lines[i] = place__arena_printf(a, "%zu %s", h[i].count, h[i].key);
        if (!lines[i])
            return NULL;
    }
    qsort(lines, nh, sizeof *lines, hist_line_cmp);
    place__buf_init(&b, a->ctx);
    place__buf_printf(&b, "0/%zu targets are available", ntargets);
    for (i = 0; i < nh; i++)
        place__buf_printf(&b, "%s%s", i ? ", " : ": ", lines[i]);
    place__buf_puts(&b, ".");
    s = b.oom ? NULL : place__arena_strndup(a, b.data, b.len);
    place__buf_free(&b);
    return s;
}

static void hist_add(hist *h, size_t *nh, const char *key)
{
    size_t i;
    for (i = 0; i < *nh; i++) {
        if (strcmp(h[i].key, key) == 0) {
            h[i].count++;
            return;
        }
    }
    h[*nh].key = key;
    h[*nh].count = 1;
    (*nh)++;
}

/* ---- the placement, indexed both ways (sparse) ------------------------------ */

typedef struct pl_entry {
    size_t other;   /* target (per workload) or workload (per target) */
    int64_t x;
} pl_entry;

typedef struct placement {
    size_t *wstart;   /* per workload: entries by target */
    pl_entry *bw;
    size_t *tstart;   /* per target: holders, most replicas first */
    pl_entry *bt;
    size_t *lstart;   /* per target: offset of what is left of each
                         resource of cap->free[t] (bound pods counted in
                         free already) */
    int64_t *left;
} placement;

static int entry_by_other(const void *a, const void *b)
{
    const pl_entry *x = a, *y = b;
    return x->other < y->other ? -1 : x->other > y->other;
}

static int entry_by_x(const void *a, const void *b)
{
    const pl_entry *x = a, *y = b;
    if (x->x != y->x)
        return x->x > y->x ? -1 : 1;
    return x->other < y->other ? -1 : x->other > y->other;
}

/* Replicas of wi on ti. */
static int64_t placed_at(const placement *pl, size_t wi, size_t ti)
{
    size_t lo = pl->wstart[wi], hi = pl->wstart[wi + 1];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pl->bw[mid].other == ti)
            return pl->bw[mid].x;
        if (pl->bw[mid].other < ti)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* What is left of res on ti after the placement (INT64_MAX: unlimited). */
static int64_t left_of(const placement *pl, const place__capacity *cap,
                       size_t ti, const char *res)
{
    const place__reslist *f = &cap->free[ti];
    size_t lo = 0, hi = f->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(f->items[mid].name, res);
        if (c == 0)
            return pl->left[pl->lstart[ti] + mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int placement_build(place__arena *a, const place__model *m,
                           const place__capacity *cap,
                           const place__plan *plan, placement *pl)
{
    size_t nw = m->nworkloads, nt = m->ntargets, n = 0, p, wi, ti, k;
    size_t *fill;

    memset(pl, 0, sizeof *pl);
    for (wi = 0; wi < nw; wi++)
        if (m->workloads[wi].node_name &&
            place__model_find_target(m, m->workloads[wi].node_name) >= 0)
            n++;
    for (p = 0; p < plan->npairs; p++)
        if (plan->x[p] > 0)
            n++;
    pl->wstart = place__arena_alloc(a, (nw + 2) * sizeof *pl->wstart);
    pl->tstart = place__arena_alloc(a, (nt + 2) * sizeof *pl->tstart);
    pl->bw = place__arena_alloc(a, (n + 1) * sizeof *pl->bw);
    pl->bt = place__arena_alloc(a, (n + 1) * sizeof *pl->bt);
    pl->lstart = place__arena_alloc(a, (nt + 1) * sizeof *pl->lstart);
    fill = place__arena_alloc(a, (nw + nt + 2) * sizeof *fill);
    if (!pl->wstart || !pl->tstart || !pl->bw || !pl->bt || !pl->lstart ||
        !fill)
        return place__oom(a->ctx);
    memset(pl->wstart, 0, (nw + 2) * sizeof *pl->wstart);
    memset(pl->tstart, 0, (nt + 2) * sizeof *pl->tstart);
    memset(fill, 0, (nw + nt + 2) * sizeof *fill);
#define EACH(BODY)                                                           \
    for (wi = 0; wi < nw; wi++) {                                            \
        const place__workload *w_ = &m->workloads[wi];                       \
        long t_ = w_->node_name ? place__model_find_target(m, w_->node_name) \
                                : -1;                                        \
        if (t_ >= 0) {                                                       \
            size_t w = wi, t = (size_t)t_;                                   \
            int64_t x = w_->replicas;                                        \
            BODY                                                             \
        }                                                                    \
    }                                                                        \
    for (p = 0; p < plan->npairs; p++) {                                     \
        if (plan->x[p] > 0) {                                                \
            size_t w = plan->pair_w[p], t = plan->pair_t[p];                 \
            int64_t x = plan->x[p];                                          \
            BODY                                                             \
        }                                                                    \
    }
    EACH({
        (void)x;
        pl->wstart[w + 1]++;
        pl->tstart[t + 1]++;
    })
    for (wi = 0; wi < nw; wi++)
        pl->wstart[wi + 1] += pl->wstart[wi];
    for (ti = 0; ti < nt; ti++)
        pl->tstart[ti + 1] += pl->tstart[ti];
    EACH({
        pl_entry *e = &pl->bw[pl->wstart[w] + fill[w]++];
        pl_entry *f = &pl->bt[pl->tstart[t] + fill[nw + t]++];
        e->other = t;
        e->x = x;
        f->other = w;
        f->x = x;
    })
#undef EACH
    for (wi = 0; wi < nw; wi++)
        qsort(pl->bw + pl->wstart[wi], pl->wstart[wi + 1] - pl->wstart[wi],
              sizeof *pl->bw, entry_by_other);
    for (ti = 0; ti < nt; ti++)
        qsort(pl->bt + pl->tstart[ti], pl->tstart[ti + 1] - pl->tstart[ti],
              sizeof *pl->bt, entry_by_x);
    /* what is left per target and resource */
    for (ti = 0, n = 0; ti < nt; ti++) {
        pl->lstart[ti] = n;
        n += cap->free[ti].count;
    }
    pl->left = place__arena_alloc(a, (n + 1) * sizeof *pl->left);
    if (!pl->left)
        return place__oom(a->ctx);
    for (ti = 0; ti < nt; ti++) {
        const place__reslist *f = &cap->free[ti];
        for (k = 0; k < f->count; k++) {
            int64_t left = f->items[k].value, taken = 0;
            size_t h;
            if (left != INT64_MAX) {
                for (h = pl->tstart[ti]; h < pl->tstart[ti + 1]; h++) {
                    const place__workload *o = &m->workloads[pl->bt[h].other];
                    if (!o->node_name)
                        taken = add_use(taken, pl->bt[h].x,
                                        place__reslist_get(&o->requests,
                                                           f->items[k].name,
                                                           NULL));
                }
                left = left < INT64_MIN + taken ? INT64_MIN : left - taken;
            }
            pl->left[pl->lstart[ti] + k] = left;
        }
    }
    return PLACE_OK;
}

static int build_targets(place_result *r, const place__model *m,
                         const place__capacity *cap, const placement *pl)
{
    place__arena *a = &r->arena;
    size_t ti, i, wi, h;

    r->ntargets = m->ntargets;
    r->targets = place__arena_alloc(a, (m->ntargets + 1) * sizeof *r->targets);
    if (!r->targets)
        return place__oom(r->ctx);
    for (ti = 0; ti < m->ntargets; ti++) {
        const place__target *t = &m->targets[ti];
        place_target *rt = &r->targets[ti];
        const place__reslist *f = &cap->free[ti];
        rt->name = place__arena_strdup(a, t->name);
        rt->is_virtual = t->is_virtual;
        /* free[ti] names every resource the target advertises or has in
         * use; show the ones with a finite allocatable or a use. */
        rt->res = place__arena_alloc(a, (f->count + 1) * sizeof *rt->res);
        rt->allocatable = place__arena_alloc(a, (f->count + 1) *
                                                    sizeof(int64_t));
        rt->requested = place__arena_alloc(a, (f->count + 1) *
                                                  sizeof(int64_t));
        if (!rt->name || !rt->res || !rt->allocatable || !rt->requested)
            return place__oom(r->ctx);
        for (i = 0; i < f->count; i++) {
            const char *res = f->items[i].name;
            bool found;
            int64_t alloc = place__reslist_get(&t->allocatable, res, &found);
            int64_t used = place__reslist_get(&cap->used[ti], res, NULL);
            if (!found && t->pods_unlimited && strcmp(res, "pods") == 0)
                continue; /* unlimited: nothing to show */
            for (h = pl->tstart[ti]; h < pl->tstart[ti + 1]; h++) {
                wi = pl->bt[h].other;
                /* bound pods are in `used` already */
                if (!m->workloads[wi].node_name)
                    used = add_use(used, pl->bt[h].x,
                                   place__reslist_get(
                                       &m->workloads[wi].requests, res,
                                       NULL));
            }
            rt->res[rt->nres] = place__arena_strdup(a, res);
            if (!rt->res[rt->nres])
                return place__oom(r->ctx);
            rt->allocatable[rt->nres] = alloc;
            rt->requested[rt->nres] = used;
            rt->nres++;
        }
    }
    return PLACE_OK;
}

/* Does one more replica of w fit in what the placement left on target ti?
 * If not, the first resource short (in NodeResourcesFit's order), with
 * what is left of it. */
static const char *first_short(const place__model *m,
                               const place__capacity *cap,
                               const placement *pl, size_t wi,
                               size_t ti, int64_t *left_out)
{
    const place__workload *w = &m->workloads[wi];
    static const char *const first[] = {"pods", "cpu", "memory",
                                        "ephemeral-storage"};
    size_t i, k, pass;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < w->requests.count; i++) {
            const char *res = w->requests.items[i].name;
            int64_t req = w->requests.items[i].value, left;
            bool early = false;
            for (k = 0; k < PLACE__ARRAY_LEN(first); k++)
                if (strcmp(res, first[k]) == 0)
                    early = true;
            if ((pass == 0) != early || req <= 0)
                continue;
            left = left_of(pl, cap, ti, res);
            if (left == INT64_MAX)
                continue;
            if (req > left) {
                *left_out = left;
                return res;
            }
        }
    }
    return NULL;
}

/* The kube-scheduler phrase for a feasible target that is full. */
static const char *residual_phrase(place__arena *a, const place__model *m,
                                   const place__capacity *cap,
                                   const placement *pl,
                                   size_t wi, size_t ti)
{
    int64_t left;
    const char *res = first_short(m, cap, pl, wi, ti, &left);
    return res ? place__insufficient_phrase(a, res)
               : "node(s) were not used by the optimal placement";
}

/* Why a feasible candidate holds no more replicas than it does. */
static int why_not(place_result *r, const place__model *m,
                   const place__capacity *cap,
                   const placement *pl, size_t wi,
                   place_workload *rw, place_candidate *c)
{
    place__arena *a = &r->arena;
    const place__workload *w = &m->workloads[wi];
    const place_candidate *best = NULL;
    int64_t left = 0;
    const char *res;
    size_t i;
    place__buf b;

    if (!c->feasible || w->node_name || (c->chosen && rw->unplaced == 0))
        return PLACE_OK;
    for (i = 0; i < rw->ncands; i++) {
        const place_candidate *o = &rw->cands[i];
        if (o->chosen && (!best || o->affinity + o->taint >
                                       best->affinity + best->taint))
            best = o;
    }
    place__buf_init(&b, r->ctx);
    res = first_short(m, cap, pl, wi, c->ti, &left);
    if (res) {
        char lq[40], rq[40];
        c->why_code = "Capacity";
        c->holders = place__arena_alloc(a, (PLACE__MAX_HOLDERS + 1) *
                                               sizeof(char *));
        c->holder_replicas = place__arena_alloc(
            a, (PLACE__MAX_HOLDERS + 1) * sizeof(int64_t));
        if (!c->holders || !c->holder_replicas)
            goto oom;
        place__quantity_format(lq, sizeof lq, res, left > 0 ? left : 0);
        place__quantity_format(rq, sizeof rq, res,
                               place__reslist_get(&w->requests, res, NULL));
        place__buf_printf(&b, "no room for another replica: %s %s left, %s "
                              "needed; held by ", lq, res, rq);
        {
            /* the holders with the most replicas there (ties: canonical
             * order), at most PLACE__MAX_HOLDERS of them */
            size_t ntop = pl->tstart[c->ti + 1] - pl->tstart[c->ti], more = 0,
                   h;
            const pl_entry *top = pl->bt + pl->tstart[c->ti];
            if (ntop > PLACE__MAX_HOLDERS) {
                more = ntop - PLACE__MAX_HOLDERS;
                ntop = PLACE__MAX_HOLDERS;
            }
            for (h = 0; h < ntop; h++) {
                const place__workload *o = &m->workloads[top[h].other];
                c->holders[c->nholders] = place__arena_printf(
                    a, "%s %s/%s", place__kind_name(o->kind), o->ns,
                    o->name);
                if (!c->holders[c->nholders])
                    goto oom;
                c->holder_replicas[c->nholders] = top[h].x;
                place__buf_printf(&b, "%s%s (%lld)", c->nholders ? ", " : "",
                                  c->holders[c->nholders],
                                  (long long)top[h].x);
                c->nholders++;
            }
            if (more)
                place__buf_printf(&b, " and %zu more workload%s", more,
                                  more == 1 ? "" : "s");
        }
        if (c->nholders == 0)
            place__buf_puts(&b, "pods bound to it or spec.allocated");
        {
            bool known = c->chosen ? c->has_more : c->has_regret;
            int64_t lost = c->chosen ? c->more_replicas : c->regret_replicas;
            double worse = c->chosen ? c->more_regret : c->regret;
            if (c->chosen && c->replicas >= c->max_fit)
                place__buf_printf(&b, "; even if they moved, the target "
                                      "takes at most %lld replica%s of it",
                                  (long long)c->max_fit,
                                  c->max_fit == 1 ? "" : "s");
            else if (!known)
                ;
            else if (lost > 0)
                place__buf_printf(&b, "; making room would leave %lld other "
                                      "replica%s unplaced",
                                  (long long)lost, lost == 1 ? "" : "s");
            else if (lost < 0)
                place__buf_printf(&b, "; moving them would place %lld more "
                                      "replica%s",
                                  (long long)-lost, lost == -1 ? "" : "s");
            else if (worse > 1e-9)
                place__buf_printf(&b, "; making room would lower the "
                                      "objective by %.15g", worse);
            else
                place__buf_puts(&b, "; an equally good placement puts a "
                                    "replica here if they move");
        }
    } else if (best && best != c &&
               c->affinity + c->taint < best->affinity + best->taint) {
        c->why_code = "LowerScore";
        place__buf_printf(&b, "score %lld is lower than %lld on %s "
                              "(NodeAffinity %lld vs %lld, TaintToleration "
                              "%lld vs %lld)",
                          (long long)(c->affinity + c->taint),
                          (long long)(best->affinity + best->taint),
                          best->target, (long long)c->affinity,
                          (long long)best->affinity, (long long)c->taint,
                          (long long)best->taint);
    } else if (c->has_regret && c->regret > 1e-9) {
        c->why_code = "Cost";
        place__buf_printf(&b, "as good by score, but a replica here lowers "
                              "the objective by %.15g (cost)", c->regret);
    } else if (best && best != c) {
        c->why_code = "Tie";
        place__buf_printf(&b, "as good as %s; ties go to the targets whose "
                              "names sort first", best->target);
    } else {
        place__buf_free(&b);
        return PLACE_OK;
    }
    c->why_message = b.oom ? NULL : place__arena_strndup(a, b.data, b.len);
    place__buf_free(&b);
    return c->why_message ? PLACE_OK : place__oom(r->ctx);
oom:
    place__buf_free(&b);
    return place__oom(r->ctx);
}

typedef struct build_ctx {
    const place__model *m;
    const place__capacity *cap;
    const place__verdicts *v;
    const place__plan *plan;
    const placement *pl;
    const long *pair_of;   /* (w, t) -> pair index, or -1; NULL: none */
    bool explain;
    bool candidates;       /* build the candidate lists */
    double deadline;
} build_ctx;

/* The key of target ti in the summary of an unplaced workload: its first
 * reason, or why it is full. */
static const char *summary_key(place_result *r, const build_ctx *bc,
                               size_t wi, size_t ti)
{
    place__verdict v, again;
    place__reason *reasons;
    size_t nreasons;
    place__verdict_at(bc->v, bc->m, bc->cap, wi, ti, &v);
    if (v.feasible)
        return residual_phrase(&r->arena, bc->m, bc->cap, bc->pl, wi, ti);
    if (place__check_pair(r->ctx, bc->m, bc->cap, wi, ti, &again, &r->arena,
                          &reasons, &nreasons) != PLACE_OK)
        return NULL;
    return again.first_key;
}

/* The summary without candidate lists: targets counted by class where the
 * class decides (everything but the resources), one by one otherwise. */
static int summary_by_class(place_result *r, const build_ctx *bc, size_t wi,
                            hist *h, size_t *nh)
{
    const place__verdicts *vs = bc->v;
    size_t c, k;
    for (c = 0; c < vs->ntc; c++) {
        size_t from = vs->tc_start[c], to = vs->tc_start[c + 1];
        const place__verdict *cv;
        if (from == to)
            continue;
        cv = place__verdict_class(vs, wi, vs->tc_members[from]);
        if (!cv->feasible) {
            const char *key = summary_key(r, bc, wi, vs->tc_members[from]);
            if (!key)
                return place__oom(r->ctx);
            for (k = from; k < to; k++)
                hist_add(h, nh, key);
            continue;
        }
        for (k = from; k < to; k++) {
            const char *key = summary_key(r, bc, wi, vs->tc_members[k]);
            if (!key)
                return place__oom(r->ctx);
            hist_add(h, nh, key);
        }
    }
    return PLACE_OK;
}

static int build_workload(place_result *r, const build_ctx *bc, size_t wi)
{
    const place__model *m = bc->m;
    const place__capacity *cap = bc->cap;
    const place__verdicts *verdicts = bc->v;
    const placement *pl = bc->pl;
    place__arena *a = &r->arena;
    const place__workload *w = &m->workloads[wi];
    place_workload *rw = &r->workloads[wi];
    size_t ti, n = 0, nh = 0, na = pl->wstart[wi + 1] - pl->wstart[wi], k;
    hist *h;
    int rc;
    long bound_to = w->node_name ? place__model_find_target(m, w->node_name)
                                 : -1;

    rw->kind = place__kind_name(w->kind);
    rw->ns = place__arena_strdup(a, w->ns);
    rw->name = place__arena_strdup(a, w->name);
    rw->replicas = w->replicas;
    rw->priority = w->priority;
    rw->requests.count = w->requests.count;
    rw->requests.items = place__arena_alloc(a, (w->requests.count + 1) *
                                                   sizeof(place__res));
    rw->cands = bc->candidates
                    ? place__arena_alloc(a, (m->ntargets + 1) *
                                                sizeof *rw->cands)
                    : place__arena_alloc(a, sizeof *rw->cands);
    rw->assign_target = place__arena_alloc(a, (na + 1) * sizeof(char *));
    rw->assign_replicas = place__arena_alloc(a, (na + 1) * sizeof(int64_t));
    if (!rw->ns || !rw->name || !rw->requests.items || !rw->cands ||
        !rw->assign_target || !rw->assign_replicas)
        return place__oom(r->ctx);
    for (ti = 0; ti < w->requests.count; ti++) {
        rw->requests.items[ti].name =
            place__arena_strdup(a, w->requests.items[ti].name);
        rw->requests.items[ti].value = w->requests.items[ti].value;
        if (!rw->requests.items[ti].name)
            return place__oom(r->ctx);
    }
    for (k = pl->wstart[wi]; k < pl->wstart[wi + 1]; k++) {
        rw->assign_target[rw->nassign] = r->targets[pl->bw[k].other].name;
        rw->assign_replicas[rw->nassign] = pl->bw[k].x;
        rw->nassign++;
        rw->placed += pl->bw[k].x;
    }
    rw->unplaced = rw->replicas - rw->placed;

    for (ti = 0; bc->candidates && ti < m->ntargets; ti++) {
        place_candidate *c = &rw->cands[ti];
        place__verdict v;
        place__verdict_at(verdicts, m, cap, wi, ti, &v);
        c->target = r->targets[ti].name;
        c->ti = ti;
        c->affinity = v.affinity;
        c->taint = v.taint;
        c->replicas = placed_at(pl, wi, ti);
        c->chosen = c->replicas > 0;
        if ((long)ti == bound_to) {
            c->feasible = true; /* already running there */
            continue;
        }
        c->feasible = v.feasible;
        c->max_fit = v.max_fit;
        if (bc->pair_of && v.feasible) {
            long p = bc->pair_of[wi * m->ntargets + ti];
            if (p >= 0) {
                c->has_regret = true;
                c->regret = bc->plan->regret[p];
                c->regret_replicas = bc->plan->regret_replicas[p];
                c->regret_exact = bc->plan->regret_exact[p];
                c->has_more = bc->plan->has_more[p];
                c->more_regret = bc->plan->more_regret[p];
                c->more_replicas = bc->plan->more_replicas[p];
            }
        }
        if (!v.feasible) {
            place__verdict again;
            rc = place__check_pair(r->ctx, m, cap, wi, ti, &again, a,
                                   &c->reasons, &c->nreasons);
            if (rc != PLACE_OK)
                return rc;
            c->first_key = again.first_key;
        }
    }
    if (bc->candidates) {
        rw->ncands = m->ntargets;
        qsort(rw->cands, rw->ncands, sizeof *rw->cands, cand_cmp);
        for (ti = 0; ti < rw->ncands; ti++)
            if (rw->cands[ti].feasible)
                rw->cands[ti].rank = (unsigned int)++n;
    }
    if (bc->explain && bc->candidates) {
        for (ti = 0; ti < rw->ncands; ti++)
            if ((rc = why_not(r, m, cap, pl, wi, rw, &rw->cands[ti])))
                return rc;
        if (rw->unplaced > 0 && !w->node_name) {
            double left = bc->deadline - place__now();
            if (left > 2.0)
                left = 2.0;
            if (left > 0.01) {
                rc = place__explain_relax(r->ctx, a, m, cap, verdicts,
                                          bc->plan, wi, 3, left, &rw->relax,
                                          &rw->nrelax);
                if (rc != PLACE_OK)
                    return rc;
            }
        }
    }

    if (rw->unplaced > 0) {
        h = place__calloc(r->ctx, m->ntargets + 1, sizeof *h);
        if (!h)
            return place__oom(r->ctx);
        if (!bc->candidates) {
            rc = summary_by_class(r, bc, wi, h, &nh);
            if (rc != PLACE_OK) {
                place__free(r->ctx, h);
                return rc;
            }
        }
        for (ti = 0; bc->candidates && ti < rw->ncands; ti++) {
            const place_candidate *c = &rw->cands[ti];
            const char *key = c->feasible
                                  ? residual_phrase(a, m, cap, pl, wi, c->ti)
                                  : c->first_key;
            if (!key) {
                place__free(r->ctx, h);
                return place__oom(r->ctx);
            }
            hist_add(h, &nh, key);
        }
        rw->summary = summarize(a, m->ntargets, h, nh);
        place__free(r->ctx, h);
        if (!rw->summary)
            return place__oom(r->ctx);
    }
    return PLACE_OK;
}

static int build_bottlenecks(place_result *r, const build_ctx *bc)
{
    const place__model *m = bc->m;
    const place__plan *plan = bc->plan;
    size_t ti, k, wi, n = 0, k2, nunplaced = 0;
    size_t *unplaced;

    for (ti = 0; ti < r->ntargets; ti++)
        n += r->targets[ti].nres;
    unplaced = place__arena_alloc(&r->arena,
                                  (m->nworkloads + 1) * sizeof *unplaced);
    if (!unplaced)
        return place__oom(r->ctx);
    for (wi = 0; wi < m->nworkloads; wi++)
        if (r->workloads[wi].unplaced > 0)
            unplaced[nunplaced++] = wi;
    r->bottlenecks = place__arena_alloc(&r->arena,
                                        (n + 1) * sizeof *r->bottlenecks);
    if (!r->bottlenecks)
        return place__oom(r->ctx);
    for (ti = 0; ti < r->ntargets; ti++) {
        const place_target *t = &r->targets[ti];
        for (k = 0; k < t->nres; k++) {
            place_bottleneck *b = &r->bottlenecks[r->nbottlenecks];
            int64_t residual = t->allocatable[k] - t->requested[k];
            size_t c;
            if (t->allocatable[k] == 0 && t->requested[k] == 0)
                continue;
            b->target = t->name;
            b->resource = t->res[k];
            b->allocatable = t->allocatable[k];
            b->requested = t->requested[k];
            b->utilization = t->allocatable[k] > 0
                                 ? (double)t->requested[k] /
                                       (double)t->allocatable[k]
                                 : 0.0;
            for (c = 0; c < plan->ncaprows; c++)
                if (plan->cap_t[c] == ti &&
                    strcmp(plan->cap_res[c], t->res[k]) == 0)
                    b->dual = plan->cap_dual[c];
            b->binding = b->dual > 1e-9;
            for (k2 = 0; k2 < nunplaced && !b->binding; k2++) {
                place__verdict v;
                int64_t req;
                wi = unplaced[k2];
                place__verdict_at(bc->v, m, bc->cap, wi, ti, &v);
                if (!v.feasible)
                    continue;
                req = place__reslist_get(&m->workloads[wi].requests,
                                         t->res[k], NULL);
                if (req > 0 && req > residual)
                    b->binding = true;
            }
            r->nbottlenecks++;
        }
    }
    return PLACE_OK;
}

int place__result_build(place_ctx *ctx, const place__model *m,
                        const place__capacity *cap, const place__verdicts *v,
                        const place__plan *plan, bool explain,
                        bool candidates, double deadline,
                        place_result **out)
{
    place_result *r;
    placement pl;
    long *pair_of = NULL;
    build_ctx bc;
    size_t wi, p;
    int rc = PLACE_OK;

    *out = NULL;
    r = place__calloc(ctx, 1, sizeof *r);
    if (!r)
        return place__oom(ctx);
    r->ctx = ctx;
    place__arena_init(&r->arena, ctx);
    r->outcome = plan->limited ? PLACE_OUTCOME_FEASIBLE : PLACE_OUTCOME_OPTIMAL;
    r->objective = plan->objective;
    r->bound = plan->bound;
    r->gap = plan->gap;
    r->documents = m->documents;
    r->ignored = m->ignored;
    r->variables = plan->nvars;
    r->constraints = plan->nrows;

    if ((rc = placement_build(&r->arena, m, cap, plan, &pl)) != PLACE_OK)
        goto fail;
    r->placed_bound = plan->placed_bound;
    r->method = plan->method;
    r->regret_method = plan->regret_method;
    r->placement_weight = plan->placement_weight;
    if (candidates && explain && plan->regret_method != PLACE__REGRET_NONE) {
        pair_of = place__arena_alloc(&r->arena, (m->nworkloads * m->ntargets +
                                                 1) * sizeof *pair_of);
        if (!pair_of)
            goto oom;
        for (p = 0; p < m->nworkloads * m->ntargets; p++)
            pair_of[p] = -1;
        for (p = 0; p < plan->npairs; p++)
            pair_of[plan->pair_w[p] * m->ntargets + plan->pair_t[p]] =
                (long)p;
    }
    bc.m = m;
    bc.cap = cap;
    bc.v = v;
    bc.plan = plan;
    bc.pl = &pl;
    bc.candidates = candidates;
    bc.pair_of = pair_of;
    bc.explain = explain;
    bc.deadline = deadline;

    if ((rc = build_targets(r, m, cap, &pl)))
        goto fail;
    r->nworkloads = m->nworkloads;
    r->workloads = place__arena_alloc(&r->arena, (m->nworkloads + 1) *
                                                     sizeof *r->workloads);
    if (!r->workloads)
        goto oom;
    r->all_placed = true;
    for (wi = 0; wi < m->nworkloads; wi++) {
        rc = build_workload(r, &bc, wi);
        if (rc != PLACE_OK)
            goto fail;
        if (r->workloads[wi].unplaced > 0)
            r->all_placed = false;
    }
    if ((rc = build_bottlenecks(r, &bc)) != PLACE_OK)
        goto fail;
    *out = r;
    return PLACE_OK;
oom:
    rc = place__oom(ctx);
fail:
    place_result_free(r);
    return rc;
}

void place_result_free(place_result *r)
{
    place_ctx *ctx;
    if (!r)
        return;
    ctx = r->ctx;
    place__arena_free(&r->arena);
    place__free(ctx, r);
}

/* ---- accessors ----------------------------------------------------------- */

place_outcome place_result_outcome(const place_result *r)
{
    return r ? r->outcome : PLACE_OUTCOME_FEASIBLE;
}

int place_result_all_placed(const place_result *r)
{
    return r ? r->all_placed : 0;
}

double place_result_objective(const place_result *r)
{
    return r ? r->objective : 0.0;
}

double place_result_bound(const place_result *r)
{
    return r ? r->bound : 0.0;
}

double place_result_placed_bound(const place_result *r)
{
    return r ? r->placed_bound : -1;
}

const char *place_result_method(const place_result *r)
{
    return r && r->method ? r->method : "none";
}

double place_result_gap(const place_result *r)
{
    return r ? r->gap : 0.0;
}

size_t place_result_document_count(const place_result *r)
{
    return r ? r->documents : 0;
}

size_t place_result_ignored_count(const place_result *r)
{
    return r ? r->ignored : 0;
}

size_t place_result_variable_count(const place_result *r)
{
    return r ? r->variables : 0;
}

size_t place_result_constraint_count(const place_result *r)
{
    return r ? r->constraints : 0;
}

double place_result_seconds(const place_result *r)
{
    return r ? r->seconds : 0.0;
}

size_t place_result_workload_count(const place_result *r)
{
    return r ? r->nworkloads : 0;
}

const place_workload *place_result_workload(const place_result *r, size_t i)
{
    return r && i < r->nworkloads ? &r->workloads[i] : NULL;
}

const place_workload *place_result_find_workload(const place_result *r,
                                                 const char *ns,
                                                 const char *name)
{
    size_t i;
    if (!r || !ns || !name)
        return NULL;
    for (i = 0; i < r->nworkloads; i++)
        if (!strcmp(r->workloads[i].ns, ns) &&
            !strcmp(r->workloads[i].name, name))
            return &r->workloads[i];
    return NULL;
}

const char *place_workload_kind(const place_workload *w)
{
    return w ? w->kind : NULL;
}

const char *place_workload_namespace(const place_workload *w)
{
    return w ? w->ns : NULL;
}

const char *place_workload_name(const place_workload *w)
{
    return w ? w->name : NULL;
}

int64_t place_workload_replicas(const place_workload *w)
{
    return w ? w->replicas : 0;
}

int64_t place_workload_placed(const place_workload *w)
{
    return w ? w->placed : 0;
}

int64_t place_workload_unplaced(const place_workload *w)
{
    return w ? w->unplaced : 0;
}

int32_t place_workload_priority(const place_workload *w)
{
    return w ? w->priority : 0;
}

const char *place_workload_summary(const place_workload *w)
{
    return w ? w->summary : NULL;
}

size_t place_workload_request_count(const place_workload *w)
{
    return w ? w->requests.count : 0;
}

const char *place_workload_request_name(const place_workload *w, size_t i)
{
    return w && i < w->requests.count ? w->requests.items[i].name : NULL;
}

int64_t place_workload_request_value(const place_workload *w, size_t i)
{
    return w && i < w->requests.count ? w->requests.items[i].value : 0;
}

size_t place_workload_assignment_count(const place_workload *w)
{
    return w ? w->nassign : 0;
}

const char *place_workload_assignment_target(const place_workload *w,
                                             size_t i)
{
    return w && i < w->nassign ? w->assign_target[i] : NULL;
}

int64_t place_workload_assignment_replicas(const place_workload *w, size_t i)
{
    return w && i < w->nassign ? w->assign_replicas[i] : 0;
}

size_t place_workload_candidate_count(const place_workload *w)
{
    return w ? w->ncands : 0;
}

const place_candidate *place_workload_candidate(const place_workload *w,
                                                size_t i)
{
    return w && i < w->ncands ? &w->cands[i] : NULL;
}

const char *place_candidate_target(const place_candidate *c)
{
    return c ? c->target : NULL;
}

int place_candidate_feasible(const place_candidate *c)
{
    return c ? c->feasible : 0;
}

unsigned int place_candidate_rank(const place_candidate *c)
{
    return c ? c->rank : 0;
}

int place_candidate_chosen(const place_candidate *c)
{
    return c ? c->chosen : 0;
}

int64_t place_candidate_replicas(const place_candidate *c)
{
    return c ? c->replicas : 0;
}

int64_t place_candidate_score(const place_candidate *c)
{
    return c ? c->affinity + c->taint : 0;
}

size_t place_candidate_score_term_count(const place_candidate *c)
{
    return c ? 2 : 0;
}

const char *place_candidate_score_term_code(const place_candidate *c,
                                            size_t i)
{
    if (!c || i > 1)
        return NULL;
    return i == 0 ? "NodeAffinity" : "TaintToleration";
}

int64_t place_candidate_score_term_value(const place_candidate *c, size_t i)
{
    if (!c || i > 1)
        return 0;
    return i == 0 ? c->affinity : c->taint;
}

size_t place_candidate_reason_count(const place_candidate *c)
{
    return c ? c->nreasons : 0;
}

int place_candidate_reason_code(const place_candidate *c, size_t i)
{
    return c && i < c->nreasons ? c->reasons[i].code : -1;
}

const char *place_candidate_reason_message(const place_candidate *c,
                                           size_t i)
{
    return c && i < c->nreasons ? c->reasons[i].message : NULL;
}

const char *place_reason_code_name(int code)
{
    switch (code) {
    case PLACE_REASON_NODE_AFFINITY: return "NodeAffinity";
    case PLACE_REASON_TAINT_TOLERATION: return "TaintToleration";
    case PLACE_REASON_NODE_RESOURCES_FIT: return "NodeResourcesFit";
    case PLACE_REASON_OFFLOADING_POLICY: return "OffloadingPolicy";
    default: return "Unknown";
    }
}

const char *place_result_regret_method(const place_result *r)
{
    switch (r ? r->regret_method : PLACE__REGRET_NONE) {
    case PLACE__REGRET_EXACT: return "exact";
    case PLACE__REGRET_LP: return "lp-bound";
    case PLACE__REGRET_MIXED: return "mixed";
    default: return "none";
    }
}

int place_candidate_has_regret(const place_candidate *c)
{
    return c ? c->has_regret : 0;
}

double place_candidate_regret(const place_candidate *c)
{
    return c && c->has_regret ? c->regret : 0.0;
}

int64_t place_candidate_regret_replicas(const place_candidate *c)
{
    return c && c->has_regret ? c->regret_replicas : 0;
}

int place_candidate_regret_exact(const place_candidate *c)
{
    return c && c->has_regret ? c->regret_exact : 0;
}

const char *place_candidate_why_not_code(const place_candidate *c)
{
    return c ? c->why_code : NULL;
}

const char *place_candidate_why_not_message(const place_candidate *c)
{
    return c ? c->why_message : NULL;
}

size_t place_candidate_holder_count(const place_candidate *c)
{
    return c ? c->nholders : 0;
}

const char *place_candidate_holder_workload(const place_candidate *c,
                                            size_t i)
{
    return c && i < c->nholders ? c->holders[i] : NULL;
}

int64_t place_candidate_holder_replicas(const place_candidate *c, size_t i)
{
    return c && i < c->nholders ? c->holder_replicas[i] : 0;
}

static const place__relax_change *change_at(const place_workload *w,
                                            size_t i, size_t j)
{
    if (!w || i >= w->nrelax || j >= w->relax[i].nchanges)
        return NULL;
    return &w->relax[i].changes[j];
}

size_t place_workload_relaxation_count(const place_workload *w)
{
    return w ? w->nrelax : 0;
}

size_t place_workload_relaxation_change_count(const place_workload *w,
                                              size_t i)
{
    return w && i < w->nrelax ? w->relax[i].nchanges : 0;
}

const char *place_workload_relaxation_change_kind(const place_workload *w,
                                                  size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->kind : NULL;
}

const char *place_workload_relaxation_change_message(const place_workload *w,
                                                     size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->message : NULL;
}

const char *place_workload_relaxation_change_target(const place_workload *w,
                                                    size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->target : NULL;
}

const char *place_workload_relaxation_change_resource(
    const place_workload *w, size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->resource : NULL;
}

int64_t place_workload_relaxation_change_amount(const place_workload *w,
                                                size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->amount : 0;
}

const char *place_workload_relaxation_change_workload(
    const place_workload *w, size_t i, size_t j)
{
    const place__relax_change *c = change_at(w, i, j);
    return c ? c->workload : NULL;
}

size_t place_result_bottleneck_count(const place_result *r)
{
    return r ? r->nbottlenecks : 0;
}

const place_bottleneck *place_result_bottleneck(const place_result *r,
                                                size_t i)
{
    return r && i < r->nbottlenecks ? &r->bottlenecks[i] : NULL;
}

const char *place_bottleneck_target(const place_bottleneck *b)
{
    return b ? b->target : NULL;
}

const char *place_bottleneck_resource(const place_bottleneck *b)
{
    return b ? b->resource : NULL;
}

int64_t place_bottleneck_allocatable(const place_bottleneck *b)
{
    return b ? b->allocatable : 0;
}

int64_t place_bottleneck_requested(const place_bottleneck *b)
{
    return b ? b->requested : 0;
}

double place_bottleneck_utilization(const place_bottleneck *b)
{
    return b ? b->utilization : 0.0;
}

int place_bottleneck_binding(const place_bottleneck *b)
{
    return b ? b->binding : 0;
}

double place_bottleneck_dual(const place_bottleneck *b)
{
    return b ? b->dual : 0.0;
}

double place_result_placement_weight(const place_result *r)
{
    return r ? r->placement_weight : 0.0;
}

size_t place_result_target_count(const place_result *r)
{
    return r ? r->ntargets : 0;
}

const place_target *place_result_target(const place_result *r, size_t i)
{
    return r && i < r->ntargets ? &r->targets[i] : NULL;
}

const char *place_target_name(const place_target *t)
{
    return t ? t->name : NULL;
}

int place_target_virtual(const place_target *t)
{
    return t ? t->is_virtual : 0;
}

size_t place_target_resource_count(const place_target *t)
{
    return t ? t->nres : 0;
}

const char *place_target_resource_name(const place_target *t, size_t i)
{
    return t && i < t->nres ? t->res[i] : NULL;
}

int64_t place_target_allocatable(const place_target *t, size_t i)
{
    return t && i < t->nres ? t->allocatable[i] : 0;
}

int64_t place_target_requested(const place_target *t, size_t i)
{
    return t && i < t->nres ? t->requested[i] : 0;
}

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

static int build_targets(place_result *r, const place__model *m,
                         const place__capacity *cap,
                         const int64_t *const *placed_on)
{
    place__arena *a = &r->arena;
    size_t ti, i, wi;

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
            for (wi = 0; wi < m->nworkloads; wi++) {
                int64_t x = placed_on[wi][ti];
                /* bound pods are in `used` already */
                if (x > 0 && !m->workloads[wi].node_name)
                    used = add_use(used, x,
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
                               const int64_t *const *placed_on, size_t wi,
                               size_t ti, int64_t *left_out)
{
    const place__workload *w = &m->workloads[wi];
    static const char *const first[] = {"pods", "cpu", "memory",
                                        "ephemeral-storage"};
    size_t i, k, pass;

    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < w->requests.count; i++) {
            const char *res = w->requests.items[i].name;
            int64_t req = w->requests.items[i].value, left, taken = 0;
            bool early = false;
            for (k = 0; k < PLACE__ARRAY_LEN(first); k++)
                if (strcmp(res, first[k]) == 0)
                    early = true;
            if ((pass == 0) != early || req <= 0)
                continue;
            left = place__capacity_free(cap, ti, res);
            if (left == INT64_MAX)
                continue;
            for (k = 0; k < m->nworkloads; k++)
                if (!m->workloads[k].node_name)
                    taken = add_use(taken, placed_on[k][ti],
                                    place__reslist_get(
                                        &m->workloads[k].requests, res,
                                        NULL));
            left = left < INT64_MIN + taken ? INT64_MIN : left - taken;
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
                                   const int64_t *const *placed_on,
                                   size_t wi, size_t ti)
{
    int64_t left;
    const char *res = first_short(m, cap, placed_on, wi, ti, &left);
    return res ? place__insufficient_phrase(a, res)
               : "node(s) were not used by the optimal placement";
}

/* Why a feasible candidate holds no more replicas than it does. */
static int why_not(place_result *r, const place__model *m,
                   const place__capacity *cap,
                   const int64_t *const *placed_on, size_t wi,
                   place_workload *rw, place_candidate *c)
{
    place__arena *a = &r->arena;
    const place__workload *w = &m->workloads[wi];
    const place_candidate *best = NULL;
    int64_t left = 0;
    const char *res;
    size_t i, k;
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
    res = first_short(m, cap, placed_on, wi, c->ti, &left);
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
            size_t top[PLACE__MAX_HOLDERS], ntop = 0, more = 0, h;
            for (k = 0; k < m->nworkloads; k++) {
                int64_t x = placed_on[k][c->ti];
                size_t pos;
                if (x <= 0)
                    continue;
                pos = ntop;
                while (pos > 0 && placed_on[top[pos - 1]][c->ti] < x)
                    pos--;
                if (pos == PLACE__MAX_HOLDERS) {
                    more++;
                    continue;
                }
                if (ntop == PLACE__MAX_HOLDERS)
                    more++; /* the last one falls off */
                else
                    ntop++;
                memmove(&top[pos + 1], &top[pos],
                        (ntop - 1 - pos) * sizeof *top);
                top[pos] = k;
            }
            for (h = 0; h < ntop; h++) {
                const place__workload *o = &m->workloads[top[h]];
                c->holders[c->nholders] = place__arena_printf(
                    a, "%s %s/%s", place__kind_name(o->kind), o->ns,
                    o->name);
                if (!c->holders[c->nholders])
                    goto oom;
                c->holder_replicas[c->nholders] = placed_on[top[h]][c->ti];
                place__buf_printf(&b, "%s%s (%lld)", c->nholders ? ", " : "",
                                  c->holders[c->nholders],
                                  (long long)placed_on[top[h]][c->ti]);
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
    const place__verdict *v;
    const place__plan *plan;
    const int64_t *const *placed_on;
    const long *pair_of;   /* (w, t) -> pair index, or -1; NULL: none */
    bool explain;
    double deadline;
} build_ctx;

static int build_workload(place_result *r, const build_ctx *bc, size_t wi)
{
    const place__model *m = bc->m;
    const place__capacity *cap = bc->cap;
    const place__verdict *verdicts = bc->v;
    const int64_t *const *placed_on = bc->placed_on;
    place__arena *a = &r->arena;
    const place__workload *w = &m->workloads[wi];
    place_workload *rw = &r->workloads[wi];
    size_t ti, n = 0, nh = 0;
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
    rw->cands = place__arena_alloc(a, (m->ntargets + 1) * sizeof *rw->cands);
    rw->assign_target = place__arena_alloc(a, (m->ntargets + 1) *
                                                  sizeof(char *));
    rw->assign_replicas = place__arena_alloc(a, (m->ntargets + 1) *
                                                    sizeof(int64_t));
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

    for (ti = 0; ti < m->ntargets; ti++) {
        place_candidate *c = &rw->cands[ti];
        const place__verdict *v = &verdicts[wi * m->ntargets + ti];
        c->target = r->targets[ti].name;
        c->ti = ti;
        c->affinity = v->affinity;
        c->taint = v->taint;
        c->replicas = placed_on[wi][ti];
        c->chosen = c->replicas > 0;
        if ((long)ti == bound_to) {
            c->feasible = true; /* already running there */
            continue;
        }
        c->feasible = v->feasible;
        c->max_fit = v->max_fit;
        if (bc->pair_of && v->feasible) {
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
        if (!v->feasible) {
            place__verdict again;
            rc = place__check_pair(r->ctx, m, cap, wi, ti, &again, a,
                                   &c->reasons, &c->nreasons);
            if (rc != PLACE_OK)
                return rc;
            c->first_key = again.first_key;
        }
    }
    for (ti = 0; ti < m->ntargets; ti++) {
        if (placed_on[wi][ti] > 0) {
            rw->assign_target[rw->nassign] = r->targets[ti].name;
            rw->assign_replicas[rw->nassign] = placed_on[wi][ti];
            rw->nassign++;
            rw->placed += placed_on[wi][ti];
        }
    }
    rw->unplaced = rw->replicas - rw->placed;
    rw->ncands = m->ntargets;
    qsort(rw->cands, rw->ncands, sizeof *rw->cands, cand_cmp);
    for (ti = 0; ti < rw->ncands; ti++)
        if (rw->cands[ti].feasible)
            rw->cands[ti].rank = (unsigned int)++n;
    if (bc->explain) {
        for (ti = 0; ti < rw->ncands; ti++)
            if ((rc = why_not(r, m, cap, placed_on, wi, rw, &rw->cands[ti])))
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
        for (ti = 0; ti < rw->ncands; ti++) {
            const place_candidate *c = &rw->cands[ti];
            const char *key = c->feasible
                                  ? residual_phrase(a, m, cap, placed_on, wi,
                                                    c->ti)
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
    size_t ti, k, wi, n = 0;

    for (ti = 0; ti < r->ntargets; ti++)
        n += r->targets[ti].nres;
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
            for (wi = 0; wi < m->nworkloads && !b->binding; wi++) {
                const place_workload *w = &r->workloads[wi];
                int64_t req;
                if (w->unplaced <= 0 || !bc->v[wi * m->ntargets + ti].feasible)
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
                        const place__capacity *cap, const place__verdict *v,
                        const place__plan *plan, bool explain,
                        double deadline, place_result **out)
{
    place_result *r;
    int64_t **placed_on = NULL;
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

    placed_on = place__arena_alloc(&r->arena,
                                   (m->nworkloads + 1) * sizeof *placed_on);
    if (!placed_on)
        goto oom;
    for (wi = 0; wi < m->nworkloads; wi++) {
        const place__workload *w = &m->workloads[wi];
        placed_on[wi] = place__arena_alloc(&r->arena, (m->ntargets + 1) *
                                                          sizeof(int64_t));
        if (!placed_on[wi])
            goto oom;
        if (w->node_name) {
            long t = place__model_find_target(m, w->node_name);
            if (t >= 0)
                placed_on[wi][t] = w->replicas;
        }
    }
    for (p = 0; p < plan->npairs; p++)
        placed_on[plan->pair_w[p]][plan->pair_t[p]] += plan->x[p];
    r->regret_method = plan->regret_method;
    r->placement_weight = plan->placement_weight;
    if (explain && plan->regret_method != PLACE__REGRET_NONE) {
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
    bc.placed_on = (const int64_t *const *)placed_on;
    bc.pair_of = pair_of;
    bc.explain = explain;
    bc.deadline = deadline;

    if ((rc = build_targets(r, m, cap, (const int64_t *const *)placed_on)))
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

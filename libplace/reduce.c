/*
 * reduce.c: identical workloads as one (see reduce.h).
 */
#include "reduce.h"

#include <stdlib.h>
#include <string.h>

typedef struct gkey {
    size_t w;
    size_t wclass;
    int32_t priority;
    const place__workload *wl;
    bool alone;
} gkey;

static int req_cmp(const place__reslist *a, const place__reslist *b)
{
    size_t i;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    for (i = 0; i < a->count; i++) {
        int c = strcmp(a->items[i].name, b->items[i].name);
        if (c)
            return c;
        if (a->items[i].value != b->items[i].value)
            return a->items[i].value < b->items[i].value ? -1 : 1;
    }
    return 0;
}

/* Groups sort together; within a group, the canonical order. */
static int gkey_cmp(const void *pa, const void *pb)
{
    const gkey *x = pa, *y = pb;
    int c;
    if (x->alone || y->alone) {
        if (x->alone != y->alone)
            return x->alone ? 1 : -1;
        return x->w < y->w ? -1 : x->w > y->w;
    }
    if (x->wclass != y->wclass)
        return x->wclass < y->wclass ? -1 : 1;
    if (x->priority != y->priority)
        return x->priority > y->priority ? -1 : 1;
    if ((c = req_cmp(&x->wl->requests, &y->wl->requests)) != 0)
        return c;
    return x->w < y->w ? -1 : x->w > y->w;
}

static bool same_group(const gkey *x, const gkey *y)
{
    return !x->alone && !y->alone && x->wclass == y->wclass &&
           x->priority == y->priority &&
           req_cmp(&x->wl->requests, &y->wl->requests) == 0;
}

void place__reduced_free(place_ctx *ctx, place__reduced *r)
{
    place__free(ctx, r->model.workloads);
    place__free(ctx, r->verdicts.wclass);
    place__free(ctx, r->group_start);
    place__free(ctx, r->members);
    place__free(ctx, r->seq_w);
    place__free(ctx, r->seq_n);
    memset(r, 0, sizeof *r);
}

int place__reduce(place_ctx *ctx, const place__model *m,
                  const place__verdicts *vs, place__reduced *r, bool *worth)
{
    size_t n = 0, i, g = 0, *group_of = NULL, *id = NULL, *fill = NULL;
    gkey *keys;
    int rc = PLACE_OK;

    memset(r, 0, sizeof *r);
    *worth = false;
    keys = place__calloc(ctx, m->nworkloads + 1, sizeof *keys);
    if (!keys)
        return place__oom(ctx);
    for (i = 0; i < m->nworkloads; i++) {
        const place__workload *w = &m->workloads[i];
        if (w->node_name || w->replicas <= 0)
            continue; /* no variables: not in the program */
        keys[n].w = i;
        keys[n].wclass = vs->wclass[i];
        keys[n].priority = w->priority;
        keys[n].wl = w;
        keys[n].alone = w->ncurrent > 0;
        n++;
    }
    qsort(keys, n, sizeof *keys, gkey_cmp);
    /* group of each workload, numbered in the order of the sort */
    group_of = place__calloc(ctx, m->nworkloads + 1, sizeof *group_of);
    id = place__calloc(ctx, n + 1, sizeof *id);
    fill = place__calloc(ctx, n + 2, sizeof *fill);
    if (!group_of || !id || !fill)
        goto oom;
    for (i = 0; i < m->nworkloads; i++)
        group_of[i] = SIZE_MAX;
    for (i = 0; i < n; i++) {
        if (i > 0 && !same_group(&keys[i - 1], &keys[i]))
            g++;
        group_of[keys[i].w] = g;
    }
    g = n ? g + 1 : 0;
    if (g == n)
        goto done; /* nothing merges */
    /* renumbered in the canonical order of their first members, as the
     * program would see the workloads */
    for (i = 0; i < g; i++)
        id[i] = SIZE_MAX;
    for (i = 0, g = 0; i < m->nworkloads; i++)
        if (group_of[i] != SIZE_MAX && id[group_of[i]] == SIZE_MAX)
            id[group_of[i]] = g++;
    r->model = *m;
    r->verdicts = *vs;
    r->model.workloads = place__calloc(ctx, g + 1, sizeof *m->workloads);
    r->model.nworkloads = r->model.capworkloads = g;
    r->verdicts.wclass = place__calloc(ctx, g + 1, sizeof *vs->wclass);
    r->verdicts.nw = g;
    r->group_start = place__calloc(ctx, g + 2, sizeof *r->group_start);
    r->members = place__calloc(ctx, n + 1, sizeof *r->members);
    r->seq_w = place__calloc(ctx, n + 1, sizeof *r->seq_w);
    r->seq_n = place__calloc(ctx, n + 1, sizeof *r->seq_n);
    if (!r->model.workloads || !r->verdicts.wclass || !r->group_start ||
        !r->members || !r->seq_w || !r->seq_n)
        goto oom;
    /* members in canonical order; the queue is that order too */
    for (i = 0; i < m->nworkloads; i++)
        if (group_of[i] != SIZE_MAX)
            r->group_start[id[group_of[i]] + 1]++;
    for (i = 0; i < g; i++)
        r->group_start[i + 1] += r->group_start[i];
    for (i = 0; i < m->nworkloads; i++) {
        const place__workload *w = &m->workloads[i];
        size_t k;
        place__workload *rw;
        if (group_of[i] == SIZE_MAX)
            continue;
        k = id[group_of[i]];
        rw = &r->model.workloads[k];
        if (fill[k] == 0) {
            *rw = *w;
            rw->replicas = 0;
            r->verdicts.wclass[k] = vs->wclass[i];
        }
        rw->replicas = rw->replicas > INT64_MAX - w->replicas
                           ? INT64_MAX
                           : rw->replicas + w->replicas;
        r->members[r->group_start[k] + fill[k]++] = i;
        r->seq_w[r->nseq] = k;
        r->seq_n[r->nseq] = w->replicas;
        r->nseq++;
    }
    *worth = true;
    place__log(ctx, PLACE_LOG_DEBUG, "reduced: %zu workloads placed as %zu",
               n, r->model.nworkloads);
    goto done;
oom:
    place__reduced_free(ctx, r);
    rc = place__oom(ctx);
done:
    place__free(ctx, keys);
    place__free(ctx, group_of);
    place__free(ctx, id);
    place__free(ctx, fill);
    return rc;
}

int place__reduced_expand(place_ctx *ctx, place__arena *a,
                          const place__model *m, const place__reduced *r,
                          const place__plan *in, place__plan *out)
{
    size_t p, n = 0, g;
    (void)m;
    *out = *in;
    /* at most one pair per (member, target) used: count generously */
    for (g = 0, p = 0; g < r->model.nworkloads; g++) {
        size_t q = p, k = r->group_start[g + 1] - r->group_start[g];
        while (q < in->npairs && in->pair_w[q] == g)
            q++;
        n += (q - p) + k;
        p = q;
    }
    out->pair_w = place__arena_alloc(a, (n + 1) * sizeof(size_t));
    out->pair_t = place__arena_alloc(a, (n + 1) * sizeof(size_t));
    out->x = place__arena_alloc(a, (n + 1) * sizeof(int64_t));
    if (!out->pair_w || !out->pair_t || !out->x)
        return place__oom(ctx);
    out->npairs = 0;
    out->regret = NULL;
    out->regret_replicas = NULL;
    out->regret_exact = NULL;
    out->has_more = NULL;
    out->more_regret = NULL;
    out->more_replicas = NULL;
    /* hand each group's replicas to its members in canonical order, the
     * targets in the order of the pairs */
    for (g = 0, p = 0; g < r->model.nworkloads; g++) {
        size_t q = p, mi = r->group_start[g];
        int64_t need;
        while (q < in->npairs && in->pair_w[q] == g)
            q++;
        need = mi < r->group_start[g + 1]
                   ? m->workloads[r->members[mi]].replicas
                   : 0;
        for (; p < q; p++) {
            int64_t x = in->x[p];
            while (x > 0 && mi < r->group_start[g + 1]) {
                int64_t k = x < need ? x : need;
                if (k > 0) {
                    out->pair_w[out->npairs] = r->members[mi];
                    out->pair_t[out->npairs] = in->pair_t[p];
                    out->x[out->npairs] = k;
                    out->npairs++;
                    x -= k;
                    need -= k;
                }
                if (need == 0 && ++mi < r->group_start[g + 1])
                    need = m->workloads[r->members[mi]].replicas;
            }
        }
    }
    return PLACE_OK;
}

/* ---- independent components ---------------------------------------------- */

static size_t uf_find(size_t *up, size_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

int place__components(place_ctx *ctx, const place__model *m,
                      const place__verdicts *vs, size_t *comp, size_t *ncomp)
{
    size_t n = vs->nwc + vs->ntc, i, c, d, *up, *id;
    *ncomp = 0;
    up = place__calloc(ctx, n + 1, sizeof *up);
    id = place__calloc(ctx, n + 1, sizeof *id);
    if (!up || !id) {
        place__free(ctx, up);
        place__free(ctx, id);
        return place__oom(ctx);
    }
    for (i = 0; i < n; i++)
        up[i] = i;
    /* a workload class and a target class it may use are one component
     * (targets of a class are all open to it, capacity aside) */
    for (c = 0; c < vs->nwc; c++)
        for (d = 0; d < vs->ntc; d++)
            if (vs->cls[c * vs->ntc + d].feasible &&
                vs->tc_start[d] < vs->tc_start[d + 1]) {
                size_t x = uf_find(up, c), y = uf_find(up, vs->nwc + d);
                if (x != y)
                    up[x < y ? y : x] = x < y ? x : y;
            }
    for (i = 0; i < n; i++)
        id[i] = (size_t)-1;
    /* numbered in the order of their first workload */
    for (i = 0; i < m->nworkloads; i++) {
        size_t r = uf_find(up, vs->wclass[i]);
        if (id[r] == (size_t)-1)
            id[r] = (*ncomp)++;
        comp[i] = id[r];
    }
    place__free(ctx, up);
    place__free(ctx, id);
    return PLACE_OK;
}

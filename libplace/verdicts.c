/*
 * verdicts.c: classes of workloads and targets, and the verdict of each
 * pair of classes (see verdicts.h).
 *
 * A class is found by its signature: the bytes of everything the Filter and
 * Score of feasible.c read, except the resources. For a target that is its
 * taints and the values of the label keys some workload looks at (its name
 * too, when a workload uses matchFields); for a workload, its node selector,
 * required and preferred terms, tolerations and namespace offloading.
 */
#include "verdicts.h"

#include "match.h"

#include <stdlib.h>
#include <string.h>

/* ---- signatures ------------------------------------------------------------- */

typedef struct sig {
    place__buf b;
} sig;

static void put_str(place__buf *b, const char *s)
{
    size_t n = s ? strlen(s) + 1 : 0;
    place__buf_append(b, (const char *)&n, sizeof n);
    if (n)
        place__buf_append(b, s, n);
}

static void put_int(place__buf *b, int64_t v)
{
    place__buf_append(b, (const char *)&v, sizeof v);
}

static void put_req(place__buf *b, const place__req *r)
{
    size_t i;
    put_str(b, r->key);
    put_int(b, r->op);
    put_int(b, r->lazy_invalid);
    put_int(b, (int64_t)r->nvalues);
    for (i = 0; i < r->nvalues; i++)
        put_str(b, r->values[i]);
}

static void put_term(place__buf *b, const place__term *t)
{
    size_t i;
    put_int(b, (int64_t)t->nexprs);
    for (i = 0; i < t->nexprs; i++)
        put_req(b, &t->exprs[i]);
    put_int(b, (int64_t)t->nfields);
    for (i = 0; i < t->nfields; i++)
        put_req(b, &t->fields[i]);
}

static void put_selector(place__buf *b, const place__selector *s)
{
    size_t i;
    put_int(b, s->present);
    put_int(b, (int64_t)s->nterms);
    for (i = 0; i < s->nterms; i++)
        put_term(b, &s->terms[i]);
}

static void workload_sig(place__buf *b, const place__workload *w)
{
    size_t i;
    b->len = 0;
    put_str(b, w->node_name);
    put_int(b, (int64_t)w->node_selector.count);
    for (i = 0; i < w->node_selector.count; i++) {
        put_str(b, w->node_selector.items[i].key);
        put_str(b, w->node_selector.items[i].value);
    }
    put_selector(b, &w->required);
    put_int(b, (int64_t)w->nprefs);
    for (i = 0; i < w->nprefs; i++) {
        put_int(b, w->prefs[i].weight);
        put_term(b, &w->prefs[i].term);
    }
    put_int(b, (int64_t)w->ntols);
    for (i = 0; i < w->ntols; i++) {
        put_str(b, w->tols[i].key);
        put_int(b, w->tols[i].op);
        put_str(b, w->tols[i].value);
        put_int(b, w->tols[i].effect);
    }
    put_int(b, w->offloading != NULL);
    if (w->offloading) {
        put_int(b, w->offloading->strategy);
        put_selector(b, &w->offloading->constraint);
    }
}

/* The label keys some workload looks at, sorted and unique; and whether a
 * workload looks at target names (matchFields). */
typedef struct keys {
    size_t n, cap;
    const char **k;
    bool names;
    bool oom;
} keys;

static void key_add(place_ctx *ctx, keys *ks, const char *k)
{
    if (ks->n == ks->cap) {
        if (!place__grow(ctx, (void **)&ks->k, &ks->cap, ks->n,
                         sizeof *ks->k)) {
            ks->oom = true;
            return;
        }
    }
    ks->k[ks->n++] = k;
}

static void keys_term(place_ctx *ctx, keys *ks, const place__term *t)
{
    size_t i;
    for (i = 0; i < t->nexprs; i++)
        key_add(ctx, ks, t->exprs[i].key);
    if (t->nfields)
        ks->names = true;
}

static void keys_selector(place_ctx *ctx, keys *ks, const place__selector *s)
{
    size_t i;
    for (i = 0; i < s->nterms; i++)
        keys_term(ctx, ks, &s->terms[i]);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int collect_keys(place_ctx *ctx, const place__model *m, keys *ks)
{
    size_t wi, i, n;
    for (wi = 0; wi < m->nworkloads; wi++) {
        const place__workload *w = &m->workloads[wi];
        for (i = 0; i < w->node_selector.count; i++)
            key_add(ctx, ks, w->node_selector.items[i].key);
        keys_selector(ctx, ks, &w->required);
        for (i = 0; i < w->nprefs; i++)
            keys_term(ctx, ks, &w->prefs[i].term);
        if (w->offloading)
            keys_selector(ctx, ks, &w->offloading->constraint);
        if (w->node_name)
            ks->names = true; /* cheap: bound pods are rare */
    }
    if (ks->oom)
        return place__oom(ctx);
    if (ks->n)
        qsort(ks->k, ks->n, sizeof *ks->k, cmp_str);
    for (i = 0, n = 0; i < ks->n; i++)
        if (n == 0 || strcmp(ks->k[n - 1], ks->k[i]) != 0)
            ks->k[n++] = ks->k[i];
    ks->n = n;
    return PLACE_OK;
}

static void target_sig(place__buf *b, const place__target *t, const keys *ks)
{
    size_t i;
    b->len = 0;
    if (ks->names)
        put_str(b, t->name);
    for (i = 0; i < ks->n; i++)
        put_str(b, place__labels_get(&t->labels, ks->k[i]));
    put_int(b, (int64_t)t->ntaints);
    for (i = 0; i < t->ntaints; i++) {
        put_str(b, t->taints[i].key);
        put_str(b, t->taints[i].value);
        put_int(b, t->taints[i].effect);
    }
    put_int(b, t->unschedulable);
}

/* ---- an open-addressing table of signatures ------------------------------ */

/* A class: its signature's hash and where the signature is in store. */
typedef struct sigent {
    uint64_t hash;
    size_t off, len;
} sigent;

typedef struct table {
    size_t cap;      /* power of two */
    size_t *slot;    /* class + 1, 0 empty */
    sigent *ent;     /* per class */
    place__buf store;
    size_t n, ncap;
} table;

static uint64_t fnv(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int table_init(place_ctx *ctx, table *t, size_t items)
{
    memset(t, 0, sizeof *t);
    t->cap = 16;
    while (t->cap < items * 2)
        t->cap *= 2;
    t->slot = place__calloc(ctx, t->cap, sizeof *t->slot);
    place__buf_init(&t->store, ctx);
    return t->slot ? PLACE_OK : place__oom(ctx);
}

static void table_free(place_ctx *ctx, table *t)
{
    place__free(ctx, t->slot);
    place__free(ctx, t->ent);
    place__buf_free(&t->store);
}

/* The class of signature b, a new one when unseen; (size_t)-1 on OOM. */
static size_t table_class(place_ctx *ctx, table *t, const place__buf *b)
{
    uint64_t h = fnv(b->data, b->len);
    size_t i = (size_t)h & (t->cap - 1);
    for (;; i = (i + 1) & (t->cap - 1)) {
        size_t c = t->slot[i];
        if (c == 0)
            break;
        c--;
        if (t->ent[c].hash == h && t->ent[c].len == b->len &&
            memcmp(t->store.data + t->ent[c].off, b->data, b->len) == 0)
            return c;
    }
    if (!place__grow(ctx, (void **)&t->ent, &t->ncap, t->n, sizeof *t->ent))
        return (size_t)-1;
    t->ent[t->n].hash = h;
    t->ent[t->n].off = t->store.len;
    t->ent[t->n].len = b->len;
    place__buf_append(&t->store, b->data, b->len);
    if (t->store.oom)
        return (size_t)-1;
    t->slot[i] = t->n + 1;
    return t->n++;
}

/* ---- building ------------------------------------------------------------------- */

void place__verdicts_free(place_ctx *ctx, place__verdicts *vs)
{
    place__free(ctx, vs->wclass);
    place__free(ctx, vs->tclass);
    place__free(ctx, vs->tc_start);
    place__free(ctx, vs->tc_members);
    place__free(ctx, vs->cls);
    memset(vs, 0, sizeof *vs);
}

int place__verdicts_build(place_ctx *ctx, const place__model *m,
                          place__verdicts *vs)
{
    keys ks;
    table tw, tt;
    place__buf b;
    size_t *wrep = NULL, *trep = NULL, *fill = NULL;
    size_t i, c, d;
    int rc = PLACE_OK;

    memset(vs, 0, sizeof *vs);
    memset(&ks, 0, sizeof ks);
    memset(&tw, 0, sizeof tw);
    memset(&tt, 0, sizeof tt);
    place__buf_init(&b, ctx);
    vs->nw = m->nworkloads;
    vs->nt = m->ntargets;
    vs->wclass = place__calloc(ctx, m->nworkloads + 1, sizeof *vs->wclass);
    vs->tclass = place__calloc(ctx, m->ntargets + 1, sizeof *vs->tclass);
    vs->tc_start = place__calloc(ctx, m->ntargets + 2, sizeof *vs->tc_start);
    vs->tc_members = place__calloc(ctx, m->ntargets + 1,
                                   sizeof *vs->tc_members);
    wrep = place__calloc(ctx, m->nworkloads + 1, sizeof *wrep);
    trep = place__calloc(ctx, m->ntargets + 1, sizeof *trep);
    fill = place__calloc(ctx, m->ntargets + 1, sizeof *fill);
    if (!vs->wclass || !vs->tclass || !vs->tc_start || !vs->tc_members ||
        !wrep || !trep || !fill)
        goto oom;
    if ((rc = collect_keys(ctx, m, &ks)) != PLACE_OK)
        goto done;
    if (table_init(ctx, &tw, m->nworkloads) != PLACE_OK ||
        table_init(ctx, &tt, m->ntargets) != PLACE_OK)
        goto oom;
    for (i = 0; i < m->nworkloads; i++) {
        workload_sig(&b, &m->workloads[i]);
        if (b.oom || (c = table_class(ctx, &tw, &b)) == (size_t)-1)
            goto oom;
        if (c == tw.n - 1 && c == vs->nwc)
            wrep[vs->nwc++] = i;
        vs->wclass[i] = c;
    }
    for (i = 0; i < m->ntargets; i++) {
        target_sig(&b, &m->targets[i], &ks);
        if (b.oom || (c = table_class(ctx, &tt, &b)) == (size_t)-1)
            goto oom;
        if (c == tt.n - 1 && c == vs->ntc)
            trep[vs->ntc++] = i;
        vs->tclass[i] = c;
        vs->tc_start[c + 1]++;
    }
    for (c = 0; c < vs->ntc; c++)
        vs->tc_start[c + 1] += vs->tc_start[c];
    for (i = 0; i < m->ntargets; i++) {
        c = vs->tclass[i];
        vs->tc_members[vs->tc_start[c] + fill[c]++] = i;
    }
    if (vs->nwc && vs->ntc > SIZE_MAX / sizeof *vs->cls / vs->nwc)
        goto oom;
    vs->cls = place__calloc(ctx, vs->nwc * vs->ntc + 1, sizeof *vs->cls);
    if (!vs->cls)
        goto oom;
    for (c = 0; c < vs->nwc; c++)
        for (d = 0; d < vs->ntc; d++)
            if ((rc = place__check_pair(ctx, m, NULL, wrep[c], trep[d],
                                        &vs->cls[c * vs->ntc + d], NULL,
                                        NULL, NULL)) != PLACE_OK)
                goto done;
    place__log(ctx, PLACE_LOG_DEBUG,
               "classes: %zu workloads in %zu, %zu targets in %zu "
               "(%zu label keys looked at)",
               m->nworkloads, vs->nwc, m->ntargets, vs->ntc, ks.n);
    goto done;
oom:
    rc = place__oom(ctx);
done:
    place__free(ctx, ks.k);
    table_free(ctx, &tw);
    table_free(ctx, &tt);
    place__buf_free(&b);
    place__free(ctx, wrep);
    place__free(ctx, trep);
    place__free(ctx, fill);
    if (rc != PLACE_OK)
        place__verdicts_free(ctx, vs);
    return rc;
}

void place__verdict_at(const place__verdicts *vs, const place__model *m,
                       const place__capacity *cap, size_t wi, size_t ti,
                       place__verdict *out)
{
    int64_t fit;
    *out = *place__verdict_class(vs, wi, ti);
    if (!place__fit(m, cap, wi, ti, &fit)) {
        if (out->feasible) {
            out->feasible = false;
            out->first_code = PLACE_REASON_NODE_RESOURCES_FIT;
            out->first_key = NULL;
        }
        out->max_fit = 0;
        return;
    }
    out->max_fit = out->feasible ? fit : 0;
}

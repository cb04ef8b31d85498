/*
 * feasible.c: kube-scheduler's Filter and Score for one (workload, target)
 * pair: TaintToleration, NodeAffinity (with Liqo's namespace offloading),
 * NodeResourcesFit; and the soft score terms.
 */
#include "feasible.h"

#include "match.h"
#include "quantity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIQO_TAINT_KEY "virtual-node.liqo.io/not-allowed"

/* ---- capacity ------------------------------------------------------------- */

static int res_cmp(const void *a, const void *b)
{
    return strcmp(((const place__res *)a)->name,
                  ((const place__res *)b)->name);
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    if (a == INT64_MAX)
        return a;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    return a - b;
}

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    return a + b;
}

/* Add `v` to resource `name` of a list that has room for it. */
static void list_add(place__reslist *l, const char *name, int64_t v)
{
    size_t i;
    for (i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].name, name) == 0) {
            l->items[i].value = sat_add(l->items[i].value, v);
            return;
        }
    }
    l->items[l->count].name = name;
    l->items[l->count].value = v;
    l->count++;
}

/* The dense table of free amounts (see feasible.h). */
static int dense_build(place__arena *a, const place__model *m,
                       place__capacity *out)
{
    size_t cap = 8, ti, wi, i, r;
    out->res = place__arena_alloc(a, cap * sizeof *out->res);
    if (!out->res)
        return place__oom(a->ctx);
#define ADD_NAME(NAME)                                                       \
    do {                                                                     \
        const char *n_ = (NAME);                                             \
        for (r = 0; r < out->nres; r++)                                      \
            if (strcmp(out->res[r], n_) == 0)                                \
                break;                                                       \
        if (r == out->nres) {                                                \
            if (out->nres == cap) {                                          \
                const char **grown =                                         \
                    place__arena_alloc(a, 2 * cap * sizeof *grown);          \
                if (!grown)                                                  \
                    return place__oom(a->ctx);                               \
                memcpy(grown, out->res, cap * sizeof *grown);                \
                out->res = grown;                                            \
                cap *= 2;                                                    \
            }                                                                \
            out->res[out->nres++] = n_;                                      \
        }                                                                    \
    } while (0)
    for (ti = 0; ti < out->ntargets; ti++)
        for (i = 0; i < out->free[ti].count; i++)
            ADD_NAME(out->free[ti].items[i].name);
    for (wi = 0; wi < m->nworkloads; wi++)
        for (i = 0; i < m->workloads[wi].requests.count; i++)
            ADD_NAME(m->workloads[wi].requests.items[i].name);
#undef ADD_NAME
    if (out->nres && out->ntargets > SIZE_MAX / sizeof *out->dense / out->nres)
        return place__oom(a->ctx);
    out->dense = place__arena_alloc(a, (out->ntargets * out->nres + 1) *
                                           sizeof *out->dense);
    if (!out->dense)
        return place__oom(a->ctx);
    memset(out->dense, 0, (out->ntargets * out->nres + 1) *
                              sizeof *out->dense);
    for (ti = 0; ti < out->ntargets; ti++)
        for (i = 0; i < out->free[ti].count; i++) {
            long k = place__capacity_res(out, out->free[ti].items[i].name);
            out->dense[ti * out->nres + (size_t)k] =
                out->free[ti].items[i].value;
        }
    return PLACE_OK;
}

int place__capacity_build(place_ctx *ctx, place__arena *a,
                          const place__model *m, place__capacity *out)
{
    size_t ti, wi, i;
    size_t *extra;

    memset(out, 0, sizeof *out);
    out->ntargets = m->ntargets;
    if (!m->ntargets)
        return PLACE_OK;
    out->free = place__arena_alloc(a, m->ntargets * sizeof *out->free);
    out->used = place__arena_alloc(a, m->ntargets * sizeof *out->used);
    extra = place__calloc(ctx, m->ntargets, sizeof *extra);
    if (!out->free || !out->used || !extra) {
        place__free(ctx, extra);
        return place__oom(ctx);
    }
    /* room: the target's own resources plus what its bound pods request */
    for (wi = 0; wi < m->nworkloads; wi++) {
        const place__workload *w = &m->workloads[wi];
        if (w->node_name) {
            long t = place__model_find_target(m, w->node_name);
            if (t >= 0)
                extra[t] += w->requests.count;
        }
    }
    for (ti = 0; ti < m->ntargets; ti++) {
        const place__target *t = &m->targets[ti];
        size_t room = t->allocatable.count + t->allocated.count + extra[ti] + 1;
        out->free[ti].items = place__arena_alloc(a, room * sizeof(place__res));
        out->used[ti].items = place__arena_alloc(a, room * sizeof(place__res));
        if (!out->free[ti].items || !out->used[ti].items) {
            place__free(ctx, extra);
            return place__oom(ctx);
        }
        for (i = 0; i < t->allocated.count; i++)
            list_add(&out->used[ti], t->allocated.items[i].name,
                     t->allocated.items[i].value);
    }
    place__free(ctx, extra);
    for (wi = 0; wi < m->nworkloads; wi++) {
        const place__workload *w = &m->workloads[wi];
        long t;
        if (!w->node_name)
            continue;
        t = place__model_find_target(m, w->node_name);
        if (t < 0)
            continue;
        for (i = 0; i < w->requests.count; i++)
            list_add(&out->used[t], w->requests.items[i].name,
                     w->requests.items[i].value);
    }
    for (ti = 0; ti < m->ntargets; ti++) {
        const place__target *t = &m->targets[ti];
        place__reslist *f = &out->free[ti], *u = &out->used[ti];
        for (i = 0; i < t->allocatable.count; i++)
            list_add(f, t->allocatable.items[i].name,
                     t->allocatable.items[i].value);
        if (t->pods_unlimited)
            list_add(f, "pods", INT64_MAX);
        for (i = 0; i < u->count; i++) {
            bool found = false;
            size_t k;
            for (k = 0; k < f->count; k++)
                if (strcmp(f->items[k].name, u->items[i].name) == 0)
                    found = true;
            if (!found)
                list_add(f, u->items[i].name, 0);
        }
        for (i = 0; i < f->count; i++)
            f->items[i].value = sat_sub(
                f->items[i].value,
                place__reslist_get(u, f->items[i].name, NULL));
        qsort(f->items, f->count, sizeof *f->items, res_cmp);
        qsort(u->items, u->count, sizeof *u->items, res_cmp);
    }
    return dense_build(a, m, out);
}

long place__capacity_res(const place__capacity *c, const char *name)
{
    size_t r;
    for (r = 0; r < c->nres; r++)
        if (strcmp(c->res[r], name) == 0)
            return (long)r;
    return -1;
}

size_t place__requests_dense(const place__capacity *c,
                             const place__workload *w, long *idx,
                             int64_t *val)
{
    size_t i, n = 0;
    for (i = 0; i < w->requests.count; i++) {
        if (w->requests.items[i].value <= 0)
            continue;
        idx[n] = place__capacity_res(c, w->requests.items[i].name);
        val[n] = w->requests.items[i].value;
        n++;
    }
    return n;
}

bool place__fit_dense(const place__model *m, const place__capacity *c,
                      size_t wi, const long *idx, const int64_t *val,
                      size_t n, size_t ti, int64_t *max_fit)
{
    const int64_t *f;
    size_t i;
    if (!c->dense || m->targets[ti].has_largest)
        return place__fit(m, c, wi, ti, max_fit);
    f = c->dense + ti * c->nres;
    *max_fit = INT64_MAX;
    for (i = 0; i < n; i++) {
        int64_t free = idx[i] >= 0 ? f[idx[i]] : 0, fit;
        if (val[i] > free) {
            *max_fit = 0;
            return false;
        }
        if (free != INT64_MAX) {
            fit = free / val[i];
            if (fit < *max_fit)
                *max_fit = fit;
        }
    }
    return true;
}

int64_t place__capacity_free(const place__capacity *c, size_t ti,
                             const char *res)
{
    return place__reslist_get(&c->free[ti], res, NULL);
}

/* ---- messages --------------------------------------------------------------- */

typedef struct reasons {
    place_ctx *ctx;
    place__arena *a;     /* NULL: count only */
    place__reason *items;
    size_t count, cap;
    int first_code;
    const char *first_key;
    bool oom;
} reasons;

static void add_reason(reasons *r, int code, const char *key,
                       place__buf *msg)
{
    if (r->count == 0) {
        r->first_code = code;
        r->first_key = key;
    }
    if (r->a) {
        if (!place__grow(r->ctx, (void **)&r->items, &r->cap, r->count,
                         sizeof *r->items) ||
            msg->oom) {
            r->oom = true;
            return;
        }
        r->items[r->count].code = code;
        r->items[r->count].message =
            place__arena_strndup(r->a, msg->data ? msg->data : "", msg->len);
        if (!r->items[r->count].message)
            r->oom = true;
    }
    r->count++;
}

static const char *const op_names[] = {"In", "NotIn", "Exists",
                                        "DoesNotExist", "Gt", "Lt"};

static void describe_req(place__buf *b, const place__req *r, bool field,
                         const place__target *t)
{
    size_t i;
    const char *have;

    place__buf_printf(b, "%s %s", r->key, op_names[r->op]);
    if (r->nvalues) {
        place__buf_puts(b, " [");
        for (i = 0; i < r->nvalues; i++)
            place__buf_printf(b, "%s%s", i ? ", " : "", r->values[i]);
        place__buf_puts(b, "]");
    }
    if (field) {
        place__buf_printf(b, ": target is named %s", t->name);
        return;
    }
    have = place__labels_get(&t->labels, r->key);
    if (have)
        place__buf_printf(b, ": target has %s=%s", r->key, have);
    else
        place__buf_printf(b, ": target has no label %s", r->key);
}

/* Why a requirement does not parse (place__req_parses is false). */
static void describe_parse_error(place__buf *b, const place__req *r)
{
    if (r->lazy_invalid)
        place__buf_puts(b, " (a value is not a valid label value)");
    else
        place__buf_printf(b, " (operator %s needs one base-10 integer that "
                             "is a label value; declare an order for %s in "
                             "the PlacementPolicy to compare names)",
                          op_names[r->op], r->key);
}

/* Why one term does not match the target. */
static void describe_term(place__buf *b, const place__term *term,
                          const place__target *t, const place__policy *pol)
{
    bool bad_field;
    long idx;

    if (place__term_matches(term, t, pol, &bad_field, &idx)) {
        place__buf_puts(b, "matches");
        return;
    }
    if (term->nexprs == 0 && term->nfields == 0) {
        place__buf_puts(b, "an empty term matches nothing");
        return;
    }
    if (idx < 0) {
        const place__req *r = place__term_parse_error(term, pol);
        if (r) {
            describe_req(b, r, false, t);
            describe_parse_error(b, r);
            place__buf_puts(b, ", so kube-scheduler's parser refuses the "
                               "term and it matches nothing");
        }
        return;
    }
    describe_req(b, bad_field ? &term->fields[idx] : &term->exprs[idx],
                 bad_field, t);
}

/* Why none of a selector's terms match. */
static void describe_selector(place__buf *b, const place__selector *s,
                              size_t nterms, const place__target *t,
                              const place__policy *pol)
{
    size_t i;
    if (nterms == 0) {
        place__buf_puts(b, "the required node selector has no terms, so it "
                           "matches no target");
        return;
    }
    if (nterms == 1) {
        place__buf_puts(b, "required term 0 does not match: ");
        describe_term(b, &s->terms[0], t, pol);
        return;
    }
    place__buf_printf(b, "none of the %zu required terms match: ", nterms);
    for (i = 0; i < nterms; i++) {
        place__buf_printf(b, "%sterm %zu: ", i ? "; " : "", i);
        describe_term(b, &s->terms[i], t, pol);
    }
}

static void describe_taint(place__buf *b, const place__taint *taint)
{
    static const char *const effects[] = {"", "NoSchedule", "PreferNoSchedule",
                                          "NoExecute"};
    if (taint->value[0])
        place__buf_printf(b, "%s=%s:%s", taint->key, taint->value,
                          effects[taint->effect]);
    else
        place__buf_printf(b, "%s:%s", taint->key, effects[taint->effect]);
}

const char *place__insufficient_phrase(place__arena *a, const char *res)
{
    if (strcmp(res, "pods") == 0)
        return "Too many pods";
    return place__arena_printf(a, "Insufficient %s", res);
}

/* NodeResourcesFit checks pods first, then cpu, memory, ephemeral storage,
 * then every other resource. */
static int fit_rank(const char *name)
{
    if (!strcmp(name, "pods"))
        return 0;
    if (!strcmp(name, "cpu"))
        return 1;
    if (!strcmp(name, "memory"))
        return 2;
    if (!strcmp(name, "ephemeral-storage"))
        return 3;
    return 4;
}

static int fit_cmp(const void *a, const void *b)
{
    const place__res *x = a, *y = b;
    int c = fit_rank(x->name) - fit_rank(y->name);
    return c ? c : strcmp(x->name, y->name);
}

static void msg_start(place__buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

/* ---- the check ---------------------------------------------------------------- */

int place__check_pair(place_ctx *ctx, const place__model *m,
                      const place__capacity *cap, size_t wi, size_t ti,
                      place__verdict *v, place__arena *a,
                      place__reason **out, size_t *nout)
{
    const place__workload *w = &m->workloads[wi];
    const place__target *t = &m->targets[ti];
    const place__policy *pol = &m->policy;
    place__res order[64];
    place__res *sorted = order;
    reasons r;
    place__buf b;
    size_t i;
    bool local_strategy = w->offloading &&
                          w->offloading->strategy == PLACE__OFFLOAD_LOCAL;

    memset(v, 0, sizeof *v);
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.a = a;
    place__buf_init(&b, ctx);

    /* TaintToleration (and spec.unschedulable, which is a taint). */
    for (i = 0; i < t->ntaints; i++) {
        const place__taint *taint = &t->taints[i];
        if (taint->effect == PLACE__EFFECT_PREFER_NO_SCHEDULE) {
            if (!place__tolerated(w->tols, w->ntols, taint, pol, true))
                v->taint--;
            continue;
        }
        if (place__tolerated(w->tols, w->ntols, taint, pol, false))
            continue;
        if (!a) {
            add_reason(&r, local_strategy &&
                                   strcmp(taint->key, LIQO_TAINT_KEY) == 0
                               ? PLACE_REASON_OFFLOADING_POLICY
                               : PLACE_REASON_TAINT_TOLERATION,
                       NULL, &b);
            continue;
        }
        msg_start(&b);
        if (local_strategy && strcmp(taint->key, LIQO_TAINT_KEY) == 0) {
            place__buf_printf(&b, "namespace %s offloading strategy Local "
                                  "keeps its pods in the home cluster "
                                  "(taint ", w->ns);
            describe_taint(&b, taint);
            place__buf_puts(&b, " not tolerated)");
            add_reason(&r, PLACE_REASON_OFFLOADING_POLICY,
                       "node(s) excluded by the namespace's offloading "
                       "policy", &b);
            continue;
        }
        place__buf_puts(&b, "taint ");
        describe_taint(&b, taint);
        place__buf_puts(&b, " is not tolerated");
        if (strcmp(taint->key, "node.kubernetes.io/unschedulable") == 0 &&
            t->unschedulable)
            place__buf_puts(&b, " (the target is unschedulable)");
        else if (strcmp(taint->key, LIQO_TAINT_KEY) == 0 && !w->offloading)
            place__buf_printf(&b, " (namespace %s is not offloaded: no "
                                  "NamespaceOffloading)", w->ns);
        add_reason(&r, PLACE_REASON_TAINT_TOLERATION,
                   place__arena_printf(a, "node(s) had untolerated taint "
                                          "{%s: %s}",
                                       taint->key, taint->value),
                   &b);
    }

    /* NodeAffinity: nodeSelector and required terms. */
    {
        size_t bad = 0;
        if (!place__node_selector_matches(&w->node_selector, t, &bad)) {
            const place__kv *kv = &w->node_selector.items[bad];
            const char *have = place__labels_get(&t->labels, kv->key);
            msg_start(&b);
            if (a) {
                place__buf_printf(&b, "node selector %s=%s: ", kv->key,
                                  kv->value);
                if (have)
                    place__buf_printf(&b, "target has %s=%s", kv->key, have);
                else
                    place__buf_printf(&b, "target has no label %s", kv->key);
            }
            add_reason(&r, PLACE_REASON_NODE_AFFINITY,
                       "node(s) didn't match Pod's node affinity/selector",
                       &b);
        }
    }
    if (!place__selector_matches(&w->required, t, pol)) {
        msg_start(&b);
        if (a)
            describe_selector(&b, &w->required, w->required.nterms, t, pol);
        add_reason(&r, PLACE_REASON_NODE_AFFINITY,
                   "node(s) didn't match Pod's node affinity/selector", &b);
    }

    /* Liqo's namespace offloading (what the webhook adds to the terms). */
    if (w->offloading && w->offloading->constraint.present &&
        !place__selector_matches(&w->offloading->constraint, t, pol)) {
        const place__offloading *o = w->offloading;
        msg_start(&b);
        if (a) {
            if (o->strategy == PLACE__OFFLOAD_REMOTE) {
                place__buf_printf(&b, "namespace %s offloading strategy "
                                      "Remote allows only virtual nodes: ",
                                  w->ns);
                describe_term(&b, &o->constraint.terms[0], t, pol);
            } else {
                place__buf_printf(&b, "namespace %s is offloaded only to "
                                      "clusters matching its "
                                      "clusterSelector: ",
                                  w->ns);
                describe_selector(&b, &o->cluster_selector,
                                  o->cluster_selector.nterms, t, pol);
            }
        }
        add_reason(&r, PLACE_REASON_OFFLOADING_POLICY,
                   "node(s) excluded by the namespace's offloading policy",
                   &b);
    }

    /* NodeResourcesFit: one replica in the free capacity, and in the
     * largest node of a cluster (not looked at without a capacity). */
    v->max_fit = INT64_MAX;
    if (!cap)
        goto score;
    if (w->requests.count > PLACE__ARRAY_LEN(order)) {
        sorted = place__malloc(ctx, w->requests.count * sizeof *sorted);
        if (!sorted) {
            place__buf_free(&b);
            place__free(ctx, r.items);
            return place__oom(ctx);
        }
    }
    memcpy(sorted, w->requests.items, w->requests.count * sizeof *sorted);
    qsort(sorted, w->requests.count, sizeof *sorted, fit_cmp);
    for (i = 0; i < w->requests.count; i++) {
        const char *res = sorted[i].name;
        int64_t req = sorted[i].value;
        int64_t free = place__capacity_free(cap, ti, res);
        bool has_largest = false;
        int64_t largest = t->has_largest
                              ? place__reslist_get(&t->largest, res,
                                                   &has_largest)
                              : 0;
        if (req <= 0)
            continue;
        if (free != INT64_MAX) {
            int64_t fit = free > 0 ? free / req : 0;
            if (fit < v->max_fit)
                v->max_fit = fit;
        }
        if (req > free || (has_largest && req > largest)) {
            msg_start(&b);
            if (a) {
                char rq[40], fr[40], al[40], us[40];
                bool f;
                int64_t alloc = place__reslist_get(&t->allocatable, res, &f);
                place__quantity_format(rq, sizeof rq, res, req);
                if (req > free) {
                    place__quantity_format(fr, sizeof fr, res,
                                           free > 0 ? free : 0);
                    place__quantity_format(al, sizeof al, res, alloc);
                    place__quantity_format(
                        us, sizeof us, res,
                        place__reslist_get(&cap->used[ti], res, NULL));
                    place__buf_printf(&b, "%s: %s requested per replica, %s "
                                          "free (allocatable %s, in use %s)",
                                      place__insufficient_phrase(a, res), rq,
                                      fr, al, us);
                } else {
                    place__quantity_format(fr, sizeof fr, res, largest);
                    place__buf_printf(&b, "%s: %s requested per replica, the "
                                          "largest node of the cluster has %s",
                                      place__insufficient_phrase(a, res), rq,
                                      fr);
                }
            }
            add_reason(&r, PLACE_REASON_NODE_RESOURCES_FIT,
                       a ? place__insufficient_phrase(a, res) : NULL, &b);
        }
    }
    if (sorted != order)
        place__free(ctx, sorted);

score:
    /* Score: the matching preferred terms' weights. kube-scheduler parses
     * the preferred terms strictly in PreScore: one that does not parse
     * fails the scheduling cycle of the pod, on every node, so the pod is
     * never placed (NodeAffinity, for want of a better plugin name). */
    for (i = 0; i < w->nprefs; i++) {
        const place__req *bad = place__term_parse_error(&w->prefs[i].term,
                                                        pol);
        if (!bad) {
            if (place__term_matches(&w->prefs[i].term, t, pol, NULL, NULL))
                v->affinity += w->prefs[i].weight;
            continue;
        }
        msg_start(&b);
        if (a) {
            place__buf_printf(&b, "preferred term %zu cannot be parsed: ", i);
            describe_req(&b, bad, false, t);
            describe_parse_error(&b, bad);
            place__buf_puts(&b, "; kube-scheduler's PreScore fails for the "
                                "pod, so it is scheduled nowhere");
        }
        add_reason(&r, PLACE_REASON_NODE_AFFINITY,
                   "node(s) could not score the Pod's preferred node "
                   "affinity (a term cannot be parsed)", &b);
        break;
    }

    place__buf_free(&b);
    if (r.oom) {
        place__free(ctx, r.items);
        return place__oom(ctx);
    }
    v->feasible = r.count == 0;
    if (!v->feasible) {
        v->first_code = r.first_code;
        v->first_key = r.first_key;
        v->max_fit = 0;
    }
    if (out) {
        *out = NULL;
        *nout = 0;
        if (r.count && a) {
            *out = place__arena_alloc(a, r.count * sizeof **out);
            if (!*out) {
                place__free(ctx, r.items);
                return place__oom(ctx);
            }
            memcpy(*out, r.items, r.count * sizeof **out);
            *nout = r.count;
        }
    }
    place__free(ctx, r.items);
    return PLACE_OK;
}

bool place__fit(const place__model *m, const place__capacity *cap, size_t wi,
                size_t ti, int64_t *max_fit)
{
    const place__workload *w = &m->workloads[wi];
    const place__target *t = &m->targets[ti];
    bool ok = true;
    size_t i;
    *max_fit = INT64_MAX;
    for (i = 0; i < w->requests.count; i++) {
        int64_t req = w->requests.items[i].value;
        int64_t free;
        if (req <= 0)
            continue;
        free = place__capacity_free(cap, ti, w->requests.items[i].name);
        if (free != INT64_MAX) {
            int64_t fit = free > 0 ? free / req : 0;
            if (fit < *max_fit)
                *max_fit = fit;
        }
        if (req > free)
            ok = false;
        if (t->has_largest) {
            bool has = false;
            int64_t largest = place__reslist_get(
                &t->largest, w->requests.items[i].name, &has);
            if (has && req > largest)
                ok = false;
        }
    }
    if (!ok)
        *max_fit = 0;
    return ok;
}

/*
 * model.c: lookups, the canonical order, and the rules that join documents:
 * priorities from PriorityClasses, Liqo's NamespaceOffloading applied to the
 * pods of its namespace, bound pods, duplicate names, ordinal Gt/Lt values.
 */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIQO_TYPE_LABEL "liqo.io/type"
#define LIQO_VIRTUAL_NODE "virtual-node"
#define LIQO_TAINT_KEY "virtual-node.liqo.io/not-allowed"
#define UNSCHEDULABLE_TAINT "node.kubernetes.io/unschedulable"

const char *place__labels_get(const place__labels *l, const char *key)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->items[mid].key, key);
        if (c == 0)
            return l->items[mid].value;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int64_t place__reslist_get(const place__reslist *l, const char *name,
                           bool *found)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(l->items[mid].name, name);
        if (c == 0) {
            if (found)
                *found = true;
            return l->items[mid].value;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (found)
        *found = false;
    return 0;
}

int place__policy_ordinal(const place__policy *p, const char *key,
                          const char *value, bool *has_order)
{
    size_t i, j;
    *has_order = false;
    if (!p)
        return -1;
    for (i = 0; i < p->nordinals; i++) {
        if (strcmp(p->ordinals[i].key, key) != 0)
            continue;
        *has_order = true;
        for (j = 0; j < p->ordinals[i].count; j++)
            if (strcmp(p->ordinals[i].order[j], value) == 0)
                return (int)j;
        return -1;
    }
    return -1;
}

void place__model_init(place__model *m, place_ctx *ctx)
{
    memset(m, 0, sizeof *m);
    place__arena_init(&m->arena, ctx);
    m->policy.mip_gap = -1;
    m->policy.w_affinity = 1;
    m->policy.w_taint = 1;
    m->policy.w_cost = 1;
    m->policy.w_move = 1;
}

void place__model_mark_take(const place__model *m, place__model_mark *mk)
{
    mk->nworkloads = m->nworkloads;
    mk->ntargets = m->ntargets;
    mk->nclasses = m->nclasses;
    mk->noffloadings = m->noffloadings;
    mk->nprevious = m->nprevious;
    mk->documents = m->documents;
    mk->ignored = m->ignored;
    mk->policy = m->policy;
}

void place__model_rollback(place__model *m, const place__model_mark *mk)
{
    m->nworkloads = mk->nworkloads;
    m->ntargets = mk->ntargets;
    m->nclasses = mk->nclasses;
    m->noffloadings = mk->noffloadings;
    m->nprevious = mk->nprevious;
    m->documents = mk->documents;
    m->ignored = mk->ignored;
    m->policy = mk->policy;
    m->finalized = false;
}

void place__model_free(place__model *m)
{
    place_ctx *ctx = m->arena.ctx;
    place__free(ctx, m->workloads);
    place__free(ctx, m->targets);
    place__free(ctx, m->classes);
    place__free(ctx, m->offloadings);
    place__free(ctx, m->previous);
    place__arena_free(&m->arena);
}

/* ---- canonical order ------------------------------------------------------ */

/* The canonical order of workload identities: namespace, name, kind. */
static int identity_cmp(const char *ns1, const char *name1, place__kind k1,
                        const char *ns2, const char *name2, place__kind k2)
{
    int c = strcmp(ns1, ns2);
    if (!c)
        c = strcmp(name1, name2);
    if (!c)
        c = strcmp(place__kind_name(k1), place__kind_name(k2));
    return c;
}

static int workload_cmp(const void *a, const void *b)
{
    const place__workload *x = a, *y = b;
    int c = identity_cmp(x->ns, x->name, x->kind, y->ns, y->name, y->kind);
    if (!c)
        c = x->seq < y->seq ? -1 : x->seq > y->seq;
    return c;
}

static int target_cmp(const void *a, const void *b)
{
    const place__target *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (!c)
        c = x->seq < y->seq ? -1 : x->seq > y->seq;
    return c;
}

static int class_cmp(const void *a, const void *b)
{
    return strcmp(((const place__priority_class *)a)->name,
                  ((const place__priority_class *)b)->name);
}

static int offloading_cmp(const void *a, const void *b)
{
    return strcmp(((const place__offloading *)a)->ns,
                  ((const place__offloading *)b)->ns);
}

long place__model_find_target(const place__model *m, const char *name)
{
    size_t lo = 0, hi = m->ntargets;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->targets[mid].name, name);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int dup_error(place_ctx *ctx, place__pos pos, const char *object,
                     place__pos first)
{
    place__loc loc = {pos, object, "metadata.name"};
    return place__error(ctx, PLACE_ESCHEMA, &loc,
                        "duplicate name: already defined at %s:%u:%u",
                        first.source ? first.source : "?", first.line,
                        first.column);
}

/* ---- priorities ------------------------------------------------------------- */

static int resolve_priorities(place_ctx *ctx, place__model *m)
{
    const place__priority_class *global = NULL;
    size_t i;

    for (i = 0; i < m->nclasses; i++) {
        if (i && strcmp(m->classes[i - 1].name, m->classes[i].name) == 0) {
            place__loc loc = {m->classes[i].pos, NULL, "metadata.name"};
            return place__error(ctx, PLACE_ESCHEMA, &loc,
                                "duplicate PriorityClass \"%s\"",
                                m->classes[i].name);
        }
        if (m->classes[i].global_default) {
            if (global) {
                place__loc loc = {m->classes[i].pos, NULL, "globalDefault"};
                return place__error(ctx, PLACE_ESCHEMA, &loc,
                                    "PriorityClass %s is also the global "
                                    "default", global->name);
            }
            global = &m->classes[i];
        }
    }
    for (i = 0; i < m->nworkloads; i++) {
        place__workload *w = &m->workloads[i];
        if (w->priority_class) {
            place__priority_class key;
            const place__priority_class *pc;
            key.name = w->priority_class;
            pc = m->nclasses ? bsearch(&key, m->classes, m->nclasses,
                                       sizeof key, class_cmp)
                             : NULL;
            if (!pc) {
                char path[128];
                place__loc loc = {w->priority_class_pos, w->object, path};
                snprintf(path, sizeof path, "%s.priorityClassName",
                         w->spec_path);
                return place__error(ctx, PLACE_ESCHEMA, &loc,
                                    "no PriorityClass with name %s was found",
                                    w->priority_class);
            }
            w->priority = pc->value;
        } else if (!w->has_priority) {
            w->priority = global ? global->value : 0;
        }
    }
    return PLACE_OK;
}

/* ---- Liqo namespace offloading ---------------------------------------------- */

static place__req *liqo_type_req(place__arena *a, place__op op)
{
    place__req *r = place__arena_alloc(a, sizeof *r);
    const char **vals = place__arena_alloc(a, sizeof *vals);
    if (!r || !vals)
        return NULL;
    vals[0] = LIQO_VIRTUAL_NODE;
    r->key = LIQO_TYPE_LABEL;
    r->op = op;
    r->nvalues = 1;
    r->values = vals;
    r->path = "(added by the namespace offloading)";
    return r;
}

/* The constraint Liqo's webhook adds to a pod's required terms:
 * Remote: every term gets `liqo.io/type In [virtual-node]`, i.e. the
 * constraint is that single term. LocalAndRemote with a non-empty cluster
 * selector: the pod's terms are crossed with the selector's terms plus the
 * term `liqo.io/type NotIn [virtual-node]`, i.e. the constraint is that
 * list of terms ORed. (A term of a cross product matches exactly when both
 * of its halves match, so checking the pod's own terms and the constraint
 * separately decides the same thing, and tells which one rejects.) */
static int build_offloading_constraint(place_ctx *ctx, place__model *m,
                                       place__offloading *o)
{
    place__arena *a = &m->arena;
    place__selector *c = &o->constraint;
    size_t n;

    memset(c, 0, sizeof *c);
    if (o->strategy == PLACE__OFFLOAD_REMOTE) {
        c->present = true;
        c->nterms = 1;
        c->terms = place__arena_alloc(a, sizeof *c->terms);
        if (!c->terms)
            return place__oom(ctx);
        c->terms[0].nexprs = 1;
        c->terms[0].exprs = liqo_type_req(a, PLACE__OP_IN);
        c->terms[0].path = "(namespace offloading: Remote)";
        if (!c->terms[0].exprs)
            return place__oom(ctx);
        return PLACE_OK;
    }
    if (o->strategy != PLACE__OFFLOAD_LOCAL_AND_REMOTE ||
        !o->cluster_selector.present || o->cluster_selector.nterms == 0)
        return PLACE_OK;
    n = o->cluster_selector.nterms;
    c->present = true;
    c->terms = place__arena_alloc(a, (n + 1) * sizeof *c->terms);
    if (!c->terms)
        return place__oom(ctx);
    memcpy(c->terms, o->cluster_selector.terms, n * sizeof *c->terms);
    c->terms[n].nexprs = 1;
    c->terms[n].exprs = liqo_type_req(a, PLACE__OP_NOT_IN);
    c->terms[n].path = "(namespace offloading: local nodes)";
    if (!c->terms[n].exprs)
        return place__oom(ctx);
    c->nterms = n + 1;
    return PLACE_OK;
}

static int apply_offloading(place_ctx *ctx, place__model *m)
{
    size_t i;
    int rc;

    for (i = 0; i < m->noffloadings; i++) {
        if (i && strcmp(m->offloadings[i - 1].ns, m->offloadings[i].ns) == 0) {
            place__loc loc = {m->offloadings[i].pos, m->offloadings[i].object,
                              "metadata.name"};
            return place__error(ctx, PLACE_ESCHEMA, &loc,
                                "duplicate NamespaceOffloading in namespace "
                                "%s", m->offloadings[i].ns);
        }
        if ((rc = build_offloading_constraint(ctx, m, &m->offloadings[i])))
            return rc;
    }
    for (i = 0; i < m->nworkloads; i++) {
        place__workload *w = &m->workloads[i];
        place__offloading key;
        const place__offloading *o;

        w->ntols = w->nowntols;
        key.ns = w->ns;
        o = m->noffloadings ? bsearch(&key, m->offloadings, m->noffloadings,
                                      sizeof key, offloading_cmp)
                            : NULL;
        w->offloading = o;
        if (!o || o->strategy == PLACE__OFFLOAD_LOCAL)
            continue;
        /* Remote and LocalAndRemote: the pod tolerates Liqo's taint. */
        {
            place__toleration *tols = place__arena_alloc(
                &m->arena, (w->nowntols + 1) * sizeof *tols);
            if (!tols)
                return place__oom(ctx);
            if (w->nowntols)
                memcpy(tols, w->tols, w->nowntols * sizeof *tols);
            tols[w->nowntols].key = LIQO_TAINT_KEY;
            tols[w->nowntols].op = PLACE__TOL_EXISTS;
            tols[w->nowntols].value = "";
            tols[w->nowntols].effect = PLACE__EFFECT_NO_EXECUTE;
            tols[w->nowntols].added = true;
            w->tols = tols;
            w->ntols = w->nowntols + 1;
        }
    }
    return PLACE_OK;
}

/* ---- per-target rules ---------------------------------------------------------- */

static int apply_unschedulable(place_ctx *ctx, place__model *m)
{
    size_t i;
    for (i = 0; i < m->ntargets; i++) {
        place__target *t = &m->targets[i];
        place__taint *taints;
        t->ntaints = t->nowntaints;
        if (!t->unschedulable)
            continue;
        taints = place__arena_alloc(&m->arena,
                                    (t->nowntaints + 1) * sizeof *taints);
        if (!taints)
            return place__oom(ctx);
        if (t->nowntaints)
            memcpy(taints, t->taints, t->nowntaints * sizeof *taints);
        taints[t->nowntaints].key = UNSCHEDULABLE_TAINT;
        taints[t->nowntaints].value = "";
        taints[t->nowntaints].effect = PLACE__EFFECT_NO_SCHEDULE;
        t->taints = taints;
        t->ntaints = t->nowntaints + 1;
    }
    return PLACE_OK;
}

/* Gt/Lt values: a position of an ordinal key's order, or a non-negative
 * decimal integer (the API server's rule: a label value, parsed as int64).
 * This is exactly the set kube-scheduler's parser accepts
 * (labels.NewRequirement: a label value that strconv.ParseInt reads); a
 * term with any other value would match no node (required) or fail the
 * pod's scoring (preferred), so libplace refuses it with a hint instead.
 * match.c (place__req_parses) applies the same rule lazily. */
static int check_threshold(place_ctx *ctx, const place__model *m,
                           const char *object, const place__req *r)
{
    bool ordered = false;
    int64_t v;
    char path[600];
    place__loc loc = {r->pos, object, path};
    const char *s;
    size_t i, n;

    if ((r->op != PLACE__OP_GT && r->op != PLACE__OP_LT) || r->nvalues != 1)
        return PLACE_OK;
    s = r->values[0];
    n = strlen(s);
    snprintf(path, sizeof path, "%s.values[0]", r->path ? r->path : "");
    if (place__policy_ordinal(&m->policy, r->key, s, &ordered) >= 0)
        return PLACE_OK;
    if (ordered) {
        const place__policy *p = &m->policy;
        place__buf b;
        place__buf_init(&b, ctx);
        for (i = 0; i < p->nordinals; i++) {
            size_t j;
            if (strcmp(p->ordinals[i].key, r->key) != 0)
                continue;
            for (j = 0; j < p->ordinals[i].count; j++)
                place__buf_printf(&b, "%s%s", j ? ", " : "",
                                  p->ordinals[i].order[j]);
        }
        place__error(ctx, PLACE_ESCHEMA, &loc,
                     "\"%s\" is not in the order of %s declared by the "
                     "PlacementPolicy (%s)",
                     s, r->key, b.data ? b.data : "");
        place__buf_free(&b);
        return PLACE_ESCHEMA;
    }
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            break;
    if (n == 0 || n > 63 || i < n || !place__parse_int64(s, n, false, true, &v))
        return place__error(ctx, PLACE_ESCHEMA, &loc,
                            "expected one integer for operator %s, got "
                            "\"%s\" (declare an order for %s in the "
                            "PlacementPolicy to compare names)",
                            r->op == PLACE__OP_GT ? "Gt" : "Lt", s, r->key);
    return PLACE_OK;
}

static int check_selector_thresholds(place_ctx *ctx, const place__model *m,
                                     const char *object,
                                     const place__selector *s)
{
    size_t i, j;
    int rc;
    for (i = 0; i < s->nterms; i++)
        for (j = 0; j < s->terms[i].nexprs; j++)
            if ((rc = check_threshold(ctx, m, object, &s->terms[i].exprs[j])))
                return rc;
    return PLACE_OK;
}

static int check_thresholds(place_ctx *ctx, const place__model *m)
{
    size_t i, j, k;
    int rc;
    for (i = 0; i < m->nworkloads; i++) {
        const place__workload *w = &m->workloads[i];
        if ((rc = check_selector_thresholds(ctx, m, w->object,
                                            &w->required)))
            return rc;
        for (j = 0; j < w->nprefs; j++)
            for (k = 0; k < w->prefs[j].term.nexprs; k++)
                if ((rc = check_threshold(ctx, m, w->object,
                                          &w->prefs[j].term.exprs[k])))
                    return rc;
    }
    for (i = 0; i < m->noffloadings; i++)
        if ((rc = check_selector_thresholds(
                 ctx, m, m->offloadings[i].object,
                 &m->offloadings[i].cluster_selector)))
            return rc;
    return PLACE_OK;
}

/* ---- the current placement (move cost) -------------------------------- */

/* The same target: known targets by index, then unknown ones (-1) by
 * name. */
static int current_target_cmp(const place__current *x,
                              const place__current *y)
{
    if (x->ti != y->ti) {
        if (x->ti < 0)
            return 1;
        if (y->ti < 0)
            return -1;
        return x->ti < y->ti ? -1 : 1;
    }
    return x->ti < 0 ? strcmp(x->target, y->target) : 0;
}

/* By target, then as written (a merged entry keeps the first position). */
static int current_cmp(const void *a, const void *b)
{
    const place__current *x = a, *y = b;
    int c = current_target_cmp(x, y);
    if (!c)
        c = place__strcmp(x->pos.source, y->pos.source);
    if (!c)
        c = x->pos.line < y->pos.line ? -1 : x->pos.line > y->pos.line;
    if (!c)
        c = x->pos.column < y->pos.column ? -1
                                          : x->pos.column > y->pos.column;
    return c;
}

/* Resolve target indexes, sort, merge duplicates, drop zeros: in place. */
static void normalize_current(const place__model *m, place__workload *w)
{
    size_t i, n = 0;

    for (i = 0; i < w->ncurrent; i++)
        w->current[i].ti = place__model_find_target(m, w->current[i].target);
    if (w->ncurrent > 1)
        qsort(w->current, w->ncurrent, sizeof *w->current, current_cmp);
    for (i = 0; i < w->ncurrent; i++) {
        place__current *c = &w->current[i];
        if (n && current_target_cmp(&w->current[n - 1], c) == 0) {
            int64_t *r = &w->current[n - 1].replicas;
            *r = c->replicas > INT64_MAX - *r ? INT64_MAX : *r + c->replicas;
        } else {
            w->current[n++] = *c;
        }
    }
    /* drop entries of no replica */
    w->ncurrent = n;
    for (i = n = 0; i < w->ncurrent; i++)
        if (w->current[i].replicas > 0)
            w->current[n++] = w->current[i];
    w->ncurrent = n;
    if (!n)
        w->current = NULL;
}

static int previous_cmp(const void *a, const void *b)
{
    const place__previous *x = a, *y = b;
    int c = identity_cmp(x->ns, x->name, x->kind, y->ns, y->name, y->kind);
    if (!c)
        c = place__strcmp(x->pos.source, y->pos.source);
    if (!c)
        c = x->pos.line < y->pos.line ? -1 : x->pos.line > y->pos.line;
    if (!c)
        c = x->pos.column < y->pos.column ? -1
                                          : x->pos.column > y->pos.column;
    return c;
}

/* The workload of a kind, namespace and name (workloads sorted), or NULL. */
static place__workload *find_workload(place__model *m, place__kind kind,
                                      const char *ns, const char *name)
{
    size_t lo = 0, hi = m->nworkloads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        place__workload *w = &m->workloads[mid];
        int c = identity_cmp(w->ns, w->name, w->kind, ns, name, kind);
        if (c == 0)
            return w;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* status.placement wins; else the PlacementResult entry of the workload
 * (two entries for one workload are an error: which one is current?). */
static int resolve_current(place_ctx *ctx, place__model *m)
{
    size_t i;

    for (i = 0; i < m->nworkloads; i++) {
        place__workload *w = &m->workloads[i];
        if (!w->current_from_status) {
            w->ncurrent = 0;
            w->current = NULL;
        }
    }
    if (m->nprevious > 1)
        qsort(m->previous, m->nprevious, sizeof *m->previous, previous_cmp);
    for (i = 0; i < m->nprevious; i++) {
        const place__previous *p = &m->previous[i];
        place__workload *w = find_workload(m, p->kind, p->ns, p->name);
        if (!w || w->current_from_status || w->node_name)
            continue;
        if (i && identity_cmp(m->previous[i - 1].ns, m->previous[i - 1].name,
                              m->previous[i - 1].kind, p->ns, p->name,
                              p->kind) == 0) {
            const place__pos *f = &m->previous[i - 1].pos;
            place__loc loc = {p->pos, "PlacementResult", NULL};
            return place__error(ctx, PLACE_ESCHEMA, &loc,
                                "the current placement of %s is already "
                                "given by the PlacementResult at %s:%u:%u",
                                w->object, f->source ? f->source : "?",
                                f->line, f->column);
        }
        if (p->ncurrent) {
            w->current = place__arena_alloc(&m->arena,
                                            p->ncurrent * sizeof *w->current);
            if (!w->current)
                return place__oom(ctx);
            memcpy(w->current, p->current, p->ncurrent * sizeof *w->current);
            w->ncurrent = p->ncurrent;
        }
    }
    for (i = 0; i < m->nworkloads; i++)
        normalize_current(m, &m->workloads[i]);
    return PLACE_OK;
}

int place__model_finalize(place_ctx *ctx, place__model *m)
{
    size_t i;
    int rc;

    if (m->finalized)
        return PLACE_OK;
    if (m->nworkloads)
        qsort(m->workloads, m->nworkloads, sizeof *m->workloads,
              workload_cmp);
    if (m->ntargets)
        qsort(m->targets, m->ntargets, sizeof *m->targets, target_cmp);
    if (m->nclasses)
        qsort(m->classes, m->nclasses, sizeof *m->classes, class_cmp);
    if (m->noffloadings)
        qsort(m->offloadings, m->noffloadings, sizeof *m->offloadings,
              offloading_cmp);

    for (i = 1; i < m->nworkloads; i++) {
        const place__workload *a = &m->workloads[i - 1], *b = &m->workloads[i];
        if (a->kind == b->kind && !strcmp(a->ns, b->ns) &&
            !strcmp(a->name, b->name))
            return dup_error(ctx, b->pos, b->object, a->pos);
    }
    for (i = 1; i < m->ntargets; i++) {
        const place__target *a = &m->targets[i - 1], *b = &m->targets[i];
        if (!strcmp(a->name, b->name))
            return dup_error(ctx, b->pos, b->object, a->pos);
    }
    if ((rc = resolve_priorities(ctx, m)) || (rc = apply_offloading(ctx, m)) ||
        (rc = apply_unschedulable(ctx, m)) || (rc = check_thresholds(ctx, m)) ||
        (rc = resolve_current(ctx, m)))
        return rc;
    for (i = 0; i < m->nworkloads; i++) {
        const place__workload *w = &m->workloads[i];
        if (w->node_name && place__model_find_target(m, w->node_name) < 0) {
            char path[64];
            place__loc loc = {w->node_name_pos, w->object, path};
            snprintf(path, sizeof path, "%s.nodeName", w->spec_path);
            return place__error(ctx, PLACE_ESCHEMA, &loc,
                                "no Node or ClusterAdvertisement named "
                                "\"%s\"", w->node_name);
        }
    }
    m->finalized = true;
    return PLACE_OK;
}

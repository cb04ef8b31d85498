/*
 * explain.c: what to relax. Each target where a workload is infeasible is
 * blocked by groups of constraints (an untolerated taint, a failing node
 * selector pair, the required node affinity, the namespace's offloading
 * policy, the size of the largest node); the elastic program (program.c)
 * finds the fewest groups, capacity increases and evictions that place
 * every replica, and this file says them in words.
 */
#include "explain.h"

#include "match.h"
#include "quantity.h"

#include <string.h>

#define LIQO_TAINT_KEY "virtual-node.liqo.io/not-allowed"

typedef struct group {
    const char *kind;
    size_t t;
    const char *message;
} group;

typedef struct groups {
    place_ctx *ctx;
    place__arena *a;
    group *items;
    size_t count, cap;
    place__gate *gates;
    size_t ngates, capgates;
    bool oom;
} groups;

static void add_group(groups *gs, const char *kind, size_t t,
                      const char *message)
{
    if (!message || !place__grow(gs->ctx, (void **)&gs->items, &gs->cap,
                                 gs->count, sizeof *gs->items) ||
        !place__grow(gs->ctx, (void **)&gs->gates, &gs->capgates, gs->ngates,
                     sizeof *gs->gates)) {
        gs->oom = true;
        return;
    }
    gs->items[gs->count].kind = kind;
    gs->items[gs->count].t = t;
    gs->items[gs->count].message = message;
    gs->gates[gs->ngates].t = t;
    gs->gates[gs->ngates].group = gs->count;
    gs->ngates++;
    gs->count++;
}

static const char *effect_name(place__effect e)
{
    static const char *const names[] = {"", "NoSchedule", "PreferNoSchedule",
                                        "NoExecute"};
    return names[e];
}

/* A group that gates every target at once (a fault of the workload
 * itself, such as a preferred term kube-scheduler cannot parse). */
static void add_shared_group(groups *gs, const char *kind, size_t ntargets,
                             const char *message)
{
    size_t t;
    if (!message || !place__grow(gs->ctx, (void **)&gs->items, &gs->cap,
                                 gs->count, sizeof *gs->items)) {
        gs->oom = true;
        return;
    }
    gs->items[gs->count].kind = kind;
    gs->items[gs->count].t = SIZE_MAX;
    gs->items[gs->count].message = message;
    for (t = 0; t < ntargets; t++) {
        if (!place__grow(gs->ctx, (void **)&gs->gates, &gs->capgates,
                         gs->ngates, sizeof *gs->gates)) {
            gs->oom = true;
            return;
        }
        gs->gates[gs->ngates].t = t;
        gs->gates[gs->ngates].group = gs->count;
        gs->ngates++;
    }
    gs->count++;
}

/* "allow gaia-x.compliance=mid (target surf)" for the first requirement
 * of a term that the target fails. */
static const char *allow_message(place__arena *a, const place__req *r,
                                 bool field, const place__target *t)
{
    const char *have = field ? t->name : place__labels_get(&t->labels, r->key);
    if (field)
        return place__arena_printf(a, "allow the target by name (target %s)",
                                   t->name);
    if (r->lazy_invalid)
        return place__arena_printf(a, "fix the invalid value of %s in the "
                                      "required node affinity (target %s)",
                                   r->key, t->name);
    if (have)
        return place__arena_printf(a, "allow %s=%s (target %s)", r->key, have,
                                   t->name);
    return place__arena_printf(a, "allow targets without label %s (target "
                                  "%s)", r->key, t->name);
}

/* The groups that block workload w on target t. */
static void blocking_groups(groups *gs, const place__model *m,
                            const place__workload *w, size_t ti)
{
    const place__target *t = &m->targets[ti];
    const place__policy *pol = &m->policy;
    place__arena *a = gs->a;
    size_t i;

    for (i = 0; i < t->ntaints; i++) {
        const place__taint *taint = &t->taints[i];
        if (taint->effect == PLACE__EFFECT_PREFER_NO_SCHEDULE ||
            place__tolerated(w->tols, w->ntols, taint, pol, false))
            continue;
        if (w->offloading && w->offloading->strategy == PLACE__OFFLOAD_LOCAL &&
            strcmp(taint->key, LIQO_TAINT_KEY) == 0) {
            add_group(gs, "OffloadingPolicy", ti,
                      place__arena_printf(a, "offload namespace %s to remote "
                                             "clusters (strategy Local keeps "
                                             "it home; target %s)",
                                          w->ns, t->name));
            continue;
        }
        if (strcmp(taint->key, LIQO_TAINT_KEY) == 0 && !w->offloading) {
            add_group(gs, "OffloadingPolicy", ti,
                      place__arena_printf(a, "offload namespace %s with a "
                                             "NamespaceOffloading (target %s)",
                                          w->ns, t->name));
            continue;
        }
        add_group(gs, "TaintToleration", ti,
                  taint->value[0]
                      ? place__arena_printf(a, "tolerate taint %s=%s:%s on %s",
                                            taint->key, taint->value,
                                            effect_name(taint->effect),
                                            t->name)
                      : place__arena_printf(a, "tolerate taint %s:%s on %s",
                                            taint->key,
                                            effect_name(taint->effect),
                                            t->name));
    }
    for (i = 0; i < w->node_selector.count; i++) {
        const place__kv *kv = &w->node_selector.items[i];
        const char *have = place__labels_get(&t->labels, kv->key);
        if (have && strcmp(have, kv->value) == 0)
            continue;
        add_group(gs, "NodeAffinity", ti,
                  have ? place__arena_printf(a, "allow %s=%s instead of %s "
                                                "in the node selector "
                                                "(target %s)",
                                             kv->key, have, kv->value, t->name)
                       : place__arena_printf(a, "drop %s=%s from the node "
                                                "selector (target %s lacks "
                                                "the label)",
                                             kv->key, kv->value, t->name));
    }
    if (!place__selector_matches(&w->required, t, pol)) {
        const char *msg = NULL;
        if (w->required.nterms == 1) {
            bool bad_field;
            long idx;
            const place__term *term = &w->required.terms[0];
            place__term_matches(term, t, pol, &bad_field, &idx);
            if (idx >= 0)
                msg = allow_message(a,
                                    bad_field ? &term->fields[idx]
                                              : &term->exprs[idx],
                                    bad_field, t);
        }
        if (!msg)
            msg = place__arena_printf(a, "relax the required node affinity "
                                         "to admit target %s", t->name);
        add_group(gs, "NodeAffinity", ti, msg);
    }
    if (w->offloading && w->offloading->constraint.present &&
        !place__selector_matches(&w->offloading->constraint, t, pol)) {
        add_group(gs, "OffloadingPolicy", ti,
                  w->offloading->strategy == PLACE__OFFLOAD_REMOTE
                      ? place__arena_printf(a, "allow local targets in "
                                               "namespace %s (strategy "
                                               "Remote; target %s)",
                                            w->ns, t->name)
                      : place__arena_printf(a, "add target %s to the "
                                               "clusterSelector of namespace "
                                               "%s",
                                            t->name, w->ns));
    }
    if (t->has_largest) {
        for (i = 0; i < w->requests.count; i++) {
            const place__res *r = &w->requests.items[i];
            bool found;
            int64_t largest = place__reslist_get(&t->largest, r->name, &found);
            char q[40];
            if (!found || r->value <= largest)
                continue;
            place__quantity_format(q, sizeof q, r->name, r->value);
            add_group(gs, "NodeResourcesFit", ti,
                      place__arena_printf(a, "a node with at least %s %s in "
                                             "cluster %s",
                                          q, r->name, t->name));
        }
    }
}

int place__explain_relax(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v, const place__plan *plan,
                         size_t wi, size_t max_alts, double time_limit,
                         place__relaxation **out, size_t *nout)
{
    const place__workload *w = &m->workloads[wi];
    groups gs;
    place__relax_alt *alts = NULL;
    size_t nalts = 0, ti, i, k;
    int rc;

    *out = NULL;
    *nout = 0;
    memset(&gs, 0, sizeof gs);
    gs.ctx = ctx;
    gs.a = a;
    for (i = 0; i < w->nprefs; i++) {
        const place__req *bad =
            place__term_parse_error(&w->prefs[i].term, &m->policy);
        if (bad)
            add_shared_group(&gs, "NodeAffinity", m->ntargets,
                             place__arena_printf(a, "fix preferred term %zu "
                                                    "(%s %s): kube-scheduler "
                                                    "cannot parse it",
                                                 i, bad->key,
                                                 bad->nvalues
                                                     ? bad->values[0]
                                                     : ""));
    }
    for (ti = 0; ti < m->ntargets; ti++)
        {
            place__verdict pv;
            place__verdict_at(v, m, cap, wi, ti, &pv);
            if (!pv.feasible)
                blocking_groups(&gs, m, w, ti);
        }
    if (gs.oom) {
        rc = place__oom(ctx);
        goto done;
    }
    rc = place__program_relax(ctx, a, m, cap, v, plan, wi, gs.count,
                              gs.ngates, gs.gates, max_alts, time_limit,
                              &alts, &nalts);
    if (rc != PLACE_OK || nalts == 0)
        goto done;
    *out = place__arena_alloc(a, nalts * sizeof **out);
    if (!*out) {
        rc = place__oom(ctx);
        goto done;
    }
    for (i = 0; i < nalts; i++) {
        place__relaxation *r = &(*out)[i];
        r->changes = place__arena_alloc(a, (alts[i].nitems + 1) *
                                               sizeof *r->changes);
        if (!r->changes) {
            rc = place__oom(ctx);
            goto done;
        }
        for (k = 0; k < alts[i].nitems; k++) {
            const place__relax_item *it = &alts[i].items[k];
            place__relax_change *c = &r->changes[r->nchanges];
            char q[40];
            memset(c, 0, sizeof *c);
            if (it->kind == PLACE__RELAX_GROUP) {
                const group *g = &gs.items[it->group];
                c->kind = g->kind;
                c->target = g->t == SIZE_MAX
                                ? NULL
                                : place__arena_strdup(a, m->targets[g->t].name);
                c->message = g->message;
            } else if (it->kind == PLACE__RELAX_CAPACITY) {
                c->kind = "Capacity";
                c->target = place__arena_strdup(a, m->targets[it->t].name);
                c->resource = place__arena_strdup(a, it->res);
                c->amount = it->amount;
                place__quantity_format(q, sizeof q, it->res, it->amount);
                c->message = place__arena_printf(a, "+%s %s on %s", q,
                                                 it->res, c->target);
            } else {
                const place__workload *o = &m->workloads[it->w];
                if (it->amount <= 0)
                    continue;
                c->kind = "Eviction";
                c->workload = place__arena_printf(a, "%s/%s", o->ns, o->name);
                c->amount = it->amount;
                c->message = place__arena_printf(
                    a, "%s %s gives up %lld replica%s", place__kind_name(o->kind),
                    c->workload, (long long)it->amount,
                    it->amount == 1 ? "" : "s");
            }
            if (!c->message ||
                (it->kind == PLACE__RELAX_CAPACITY &&
                 (!c->target || !c->resource))) {
                rc = place__oom(ctx);
                goto done;
            }
            r->nchanges++;
        }
    }
    *nout = nalts;
done:
    place__free(ctx, gs.items);
    place__free(ctx, gs.gates);
    return rc;
}

/*
 * write.c: the result as JSON (the contract's PlacementResult), YAML (the
 * same tree) and a text table per workload.
 *
 * JSON and YAML are written from one tree of place__node (tree.h), built
 * once, so the two never disagree.
 */
#include "result.h"

#include "quantity.h"
#include "tree.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- building the output tree ------------------------------------------- */

typedef struct bld {
    place__arena *a;
    bool oom;
} bld;

static place__node *mk(bld *b, place__node_type type, size_t cap)
{
    place__node *n = place__arena_alloc(b->a, sizeof *n);
    if (!n) {
        b->oom = true;
        return NULL;
    }
    n->type = type;
    if (type != PLACE__NODE_SCALAR && cap) {
        n->values = place__arena_alloc(b->a, cap * sizeof *n->values);
        if (type == PLACE__NODE_MAP)
            n->keys = place__arena_alloc(b->a, cap * sizeof *n->keys);
        if (!n->values || (type == PLACE__NODE_MAP && !n->keys))
            b->oom = true;
    }
    return n;
}

/* s NULL means that formatting it ran out of memory. */
static place__node *scalar(bld *b, place__scalar_style style, const char *s)
{
    place__node *n;
    if (!s) {
        b->oom = true;
        return NULL;
    }
    n = mk(b, PLACE__NODE_SCALAR, 0);
    if (!n)
        return NULL;
    n->style = style;
    n->str = s;
    n->len = strlen(n->str);
    return n;
}

static place__node *str(bld *b, const char *s)
{
    return s ? scalar(b, PLACE__SCALAR_QUOTED, s)
             : scalar(b, PLACE__SCALAR_NULL, "null");
}

static place__node *integer(bld *b, int64_t v)
{
    return scalar(b, PLACE__SCALAR_PLAIN,
                  place__arena_printf(b->a, "%lld", (long long)v));
}

static place__node *number(bld *b, double v)
{
    if (!isfinite(v))
        return scalar(b, PLACE__SCALAR_NULL, "null");
    if (v == 0)
        v = 0; /* no "-0" */
    return scalar(b, PLACE__SCALAR_PLAIN, place__arena_printf(b->a, "%.15g", v));
}

static place__node *boolean(bld *b, bool v)
{
    return scalar(b, PLACE__SCALAR_PLAIN, v ? "true" : "false");
}

static void put(bld *b, place__node *map, const char *key, place__node *v)
{
    place__node *k;
    if (!map || !v || b->oom) {
        b->oom = true;
        return;
    }
    k = scalar(b, PLACE__SCALAR_QUOTED, key);
    if (!k)
        return;
    map->keys[map->count] = k;
    map->values[map->count++] = v;
}

static void push(bld *b, place__node *seq, place__node *v)
{
    if (!seq || !v || b->oom) {
        b->oom = true;
        return;
    }
    seq->values[seq->count++] = v;
}

static place__node *resources(bld *b, const place__reslist *l)
{
    place__node *m = mk(b, PLACE__NODE_MAP, l->count + 1);
    size_t i;
    for (i = 0; i < l->count; i++)
        put(b, m, l->items[i].name, integer(b, l->items[i].value));
    return m;
}

static place__node *null_node(bld *b)
{
    return scalar(b, PLACE__SCALAR_NULL, "null");
}

static place__node *why_not_node(bld *b, const place_candidate *c)
{
    place__node *n, *holders;
    size_t i;
    if (!c->why_code)
        return null_node(b);
    n = mk(b, PLACE__NODE_MAP, 3);
    holders = mk(b, PLACE__NODE_SEQ, c->nholders + 1);
    put(b, n, "code", str(b, c->why_code));
    put(b, n, "message", str(b, c->why_message));
    for (i = 0; i < c->nholders; i++) {
        place__node *h = mk(b, PLACE__NODE_MAP, 2);
        put(b, h, "workload", str(b, c->holders[i]));
        put(b, h, "replicas", integer(b, c->holder_replicas[i]));
        push(b, holders, h);
    }
    put(b, n, "holders", holders);
    return n;
}

static place__node *candidate_node(bld *b, const place_candidate *c)
{
    place__node *n = mk(b, PLACE__NODE_MAP, 14);
    place__node *terms = mk(b, PLACE__NODE_SEQ, 2);
    place__node *reasons = mk(b, PLACE__NODE_SEQ, c->nreasons + 1);
    place__node *t;
    size_t i;

    put(b, n, "target", str(b, c->target));
    put(b, n, "feasible", boolean(b, c->feasible));
    put(b, n, "rank", c->rank ? integer(b, c->rank)
                              : scalar(b, PLACE__SCALAR_NULL, "null"));
    put(b, n, "chosen", boolean(b, c->chosen));
    put(b, n, "replicas", integer(b, c->replicas));
    put(b, n, "score", integer(b, c->affinity + c->taint));
    t = mk(b, PLACE__NODE_MAP, 2);
    put(b, t, "code", str(b, "NodeAffinity"));
    put(b, t, "value", integer(b, c->affinity));
    push(b, terms, t);
    t = mk(b, PLACE__NODE_MAP, 2);
    put(b, t, "code", str(b, "TaintToleration"));
    put(b, t, "value", integer(b, c->taint));
    push(b, terms, t);
    put(b, n, "scoreTerms", terms);
    for (i = 0; i < c->nreasons; i++) {
        t = mk(b, PLACE__NODE_MAP, 2);
        put(b, t, "code", str(b, place_reason_code_name(c->reasons[i].code)));
        put(b, t, "message", str(b, c->reasons[i].message));
        push(b, reasons, t);
    }
    put(b, n, "reasons", reasons);
    put(b, n, "regret", c->has_regret ? number(b, c->regret) : null_node(b));
    put(b, n, "regretReplicas",
        c->has_regret ? integer(b, c->regret_replicas) : null_node(b));
    put(b, n, "regretExact",
        c->has_regret ? boolean(b, c->regret_exact) : null_node(b));
    put(b, n, "whyNot", why_not_node(b, c));
    return n;
}

static place__node *relaxations_node(bld *b, const place_workload *w)
{
    place__node *alts = mk(b, PLACE__NODE_SEQ, w->nrelax + 1);
    size_t i, j;
    for (i = 0; i < w->nrelax; i++) {
        const place__relaxation *r = &w->relax[i];
        place__node *alt = mk(b, PLACE__NODE_MAP, 1);
        place__node *changes = mk(b, PLACE__NODE_SEQ, r->nchanges + 1);
        for (j = 0; j < r->nchanges; j++) {
            const place__relax_change *c = &r->changes[j];
            place__node *cn = mk(b, PLACE__NODE_MAP, 6);
            put(b, cn, "kind", str(b, c->kind));
            put(b, cn, "message", str(b, c->message));
            if (c->target)
                put(b, cn, "target", str(b, c->target));
            if (c->resource)
                put(b, cn, "resource", str(b, c->resource));
            if (c->workload)
                put(b, cn, "workload", str(b, c->workload));
            if (c->resource || c->workload)
                put(b, cn, "amount", integer(b, c->amount));
            push(b, changes, cn);
        }
        put(b, alt, "changes", changes);
        push(b, alts, alt);
    }
    return alts;
}

static place__node *workload_node(bld *b, const place_workload *w)
{
    place__node *n = mk(b, PLACE__NODE_MAP, 12);
    place__node *assign = mk(b, PLACE__NODE_SEQ, w->nassign + 1);
    place__node *cands = mk(b, PLACE__NODE_SEQ, w->ncands + 1);
    size_t i;

    put(b, n, "kind", str(b, w->kind));
    put(b, n, "namespace", str(b, w->ns));
    put(b, n, "name", str(b, w->name));
    put(b, n, "replicas", integer(b, w->replicas));
    put(b, n, "placed", integer(b, w->placed));
    put(b, n, "unplaced", integer(b, w->unplaced));
    put(b, n, "priority", integer(b, w->priority));
    put(b, n, "requests", resources(b, &w->requests));
    for (i = 0; i < w->nassign; i++) {
        place__node *a = mk(b, PLACE__NODE_MAP, 2);
        put(b, a, "target", str(b, w->assign_target[i]));
        put(b, a, "replicas", integer(b, w->assign_replicas[i]));
        push(b, assign, a);
    }
    put(b, n, "assignments", assign);
    for (i = 0; i < w->ncands; i++)
        push(b, cands, candidate_node(b, &w->cands[i]));
    put(b, n, "candidates", cands);
    if (w->summary)
        put(b, n, "summary", str(b, w->summary));
    put(b, n, "relaxations", relaxations_node(b, w));
    return n;
}

static place__node *result_node(bld *b, const place_result *r,
                                unsigned int flags)
{
    place__node *n = mk(b, PLACE__NODE_MAP, 14);
    place__node *bn = mk(b, PLACE__NODE_SEQ, r->nbottlenecks + 1);
    place__node *ws = mk(b, PLACE__NODE_SEQ, r->nworkloads + 1);
    place__node *ts = mk(b, PLACE__NODE_SEQ, r->ntargets + 1);
    place__node *stats = mk(b, PLACE__NODE_MAP, 5);
    size_t i, k;

    put(b, n, "apiVersion", str(b, "libplace.io/v1alpha1"));
    put(b, n, "kind", str(b, "PlacementResult"));
    put(b, n, "status", str(b, r->outcome == PLACE_OUTCOME_OPTIMAL
                                   ? "optimal"
                                   : "feasible"));
    put(b, n, "allPlaced", boolean(b, r->all_placed));
    put(b, n, "objective", number(b, r->objective));
    put(b, n, "bound", number(b, r->bound));
    put(b, n, "gap", number(b, r->gap));
    if (r->placed_bound >= 0)
        put(b, n, "placedBound", number(b, r->placed_bound));
    put(b, n, "method", str(b, place_result_method(r)));
    put(b, n, "regretMethod", str(b, place_result_regret_method(r)));
    for (i = 0; i < r->nworkloads; i++)
        push(b, ws, workload_node(b, &r->workloads[i]));
    put(b, n, "workloads", ws);
    for (i = 0; i < r->ntargets; i++) {
        const place_target *t = &r->targets[i];
        place__node *tn = mk(b, PLACE__NODE_MAP, 4);
        place__node *al = mk(b, PLACE__NODE_MAP, t->nres + 1);
        place__node *rq = mk(b, PLACE__NODE_MAP, t->nres + 1);
        for (k = 0; k < t->nres; k++) {
            put(b, al, t->res[k], integer(b, t->allocatable[k]));
            put(b, rq, t->res[k], integer(b, t->requested[k]));
        }
        put(b, tn, "name", str(b, t->name));
        put(b, tn, "virtual", boolean(b, t->is_virtual));
        put(b, tn, "allocatable", al);
        put(b, tn, "requested", rq);
        push(b, ts, tn);
    }
    put(b, n, "targets", ts);
    for (i = 0; i < r->nbottlenecks; i++) {
        const place_bottleneck *bt = &r->bottlenecks[i];
        place__node *x = mk(b, PLACE__NODE_MAP, 7);
        put(b, x, "target", str(b, bt->target));
        put(b, x, "resource", str(b, bt->resource));
        put(b, x, "allocatable", integer(b, bt->allocatable));
        put(b, x, "requested", integer(b, bt->requested));
        put(b, x, "utilization", number(b, bt->utilization));
        put(b, x, "binding", boolean(b, bt->binding));
        put(b, x, "dual", number(b, bt->dual));
        push(b, bn, x);
    }
    put(b, n, "bottlenecks", bn);
    put(b, stats, "documents", integer(b, (int64_t)r->documents));
    put(b, stats, "ignoredDocuments", integer(b, (int64_t)r->ignored));
    put(b, stats, "variables", integer(b, (int64_t)r->variables));
    put(b, stats, "constraints", integer(b, (int64_t)r->constraints));
    put(b, stats, "seconds",
        number(b, (flags & PLACE_WRITE_NO_TIMINGS) ? 0.0 : r->seconds));
    put(b, n, "stats", stats);
    return n;
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_string(place__buf *o, const char *s, size_t n)
{
    size_t i;
    place__buf_puts(o, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': place__buf_puts(o, "\\\""); break;
        case '\\': place__buf_puts(o, "\\\\"); break;
        case '\n': place__buf_puts(o, "\\n"); break;
        case '\r': place__buf_puts(o, "\\r"); break;
        case '\t': place__buf_puts(o, "\\t"); break;
        default:
            if (c < 0x20)
                place__buf_printf(o, "\\u%04x", c);
            else
                place__buf_append(o, (const char *)&c, 1);
        }
    }
    place__buf_puts(o, "\"");
}

static void indent(place__buf *o, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        place__buf_append(o, spaces, (size_t)k);
        n -= k;
    }
}

static void json_node(place__buf *o, const place__node *n, int depth)
{
    size_t i;
    if (n->type == PLACE__NODE_SCALAR) {
        if (n->style == PLACE__SCALAR_QUOTED)
            json_string(o, n->str, n->len);
        else
            place__buf_append(o, n->str, n->len);
        return;
    }
    if (n->count == 0) {
        place__buf_puts(o, n->type == PLACE__NODE_MAP ? "{}" : "[]");
        return;
    }
    place__buf_puts(o, n->type == PLACE__NODE_MAP ? "{\n" : "[\n");
    for (i = 0; i < n->count; i++) {
        indent(o, 2 * (depth + 1));
        if (n->type == PLACE__NODE_MAP) {
            json_string(o, n->keys[i]->str, n->keys[i]->len);
            place__buf_puts(o, ": ");
        }
        json_node(o, n->values[i], depth + 1);
        place__buf_puts(o, i + 1 < n->count ? ",\n" : "\n");
    }
    indent(o, 2 * depth);
    place__buf_puts(o, n->type == PLACE__NODE_MAP ? "}" : "]");
}

/* ---- YAML ------------------------------------------------------------------ */

/* Plain when it cannot be read back as anything but this string. */
static bool yaml_plain_ok(const char *s, size_t n)
{
    static const char *const reserved[] = {"true", "false", "null", "yes",
                                           "no", "on", "off", "~", "True",
                                           "False", "Null", "NULL", "TRUE",
                                           "FALSE", "Yes", "No", "On", "Off"};
    size_t i;
    bool digits_only = true;
    if (n == 0 || s[0] == '-' || s[0] == '.')
        return false;
    for (i = 0; i < PLACE__ARRAY_LEN(reserved); i++)
        if (strcmp(s, reserved[i]) == 0)
            return false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                  c == '.' || c == '/';
        if (!ok)
            return false;
        if (!(c >= '0' && c <= '9') && c != '.' && c != 'e' && c != 'E')
            digits_only = false;
    }
    return !digits_only;
}

static void yaml_scalar(place__buf *o, const place__node *n)
{
    if (n->style == PLACE__SCALAR_QUOTED && !yaml_plain_ok(n->str, n->len))
        json_string(o, n->str, n->len); /* a JSON string is valid YAML */
    else
        place__buf_append(o, n->str, n->len);
}

static void yaml_node(place__buf *o, const place__node *n, int ind,
                      bool inline_first);

static void yaml_value(place__buf *o, const place__node *v, int ind)
{
    if (v->type == PLACE__NODE_SCALAR) {
        place__buf_puts(o, " ");
        yaml_scalar(o, v);
        place__buf_puts(o, "\n");
    } else if (v->count == 0) {
        place__buf_puts(o, v->type == PLACE__NODE_MAP ? " {}\n" : " []\n");
    } else {
        place__buf_puts(o, "\n");
        yaml_node(o, v, v->type == PLACE__NODE_MAP ? ind + 2 : ind, false);
    }
}

static void yaml_node(place__buf *o, const place__node *n, int ind,
                      bool inline_first)
{
    size_t i;
    for (i = 0; i < n->count; i++) {
        if (!(inline_first && i == 0))
            indent(o, ind);
        if (n->type == PLACE__NODE_MAP) {
            yaml_scalar(o, n->keys[i]);
            place__buf_puts(o, ":");
            yaml_value(o, n->values[i], ind);
        } else {
            const place__node *v = n->values[i];
            place__buf_puts(o, "-");
            if (v->type == PLACE__NODE_MAP && v->count) {
                place__buf_puts(o, " ");
                yaml_node(o, v, ind + 2, true);
            } else if (v->type == PLACE__NODE_SEQ && v->count) {
                place__buf_puts(o, "\n");
                yaml_node(o, v, ind + 2, false);
            } else {
                yaml_value(o, v, ind);
            }
        }
    }
}

/* ---- text ------------------------------------------------------------------ */

static void text_requests(place__buf *o, const place__reslist *l)
{
    size_t i;
    char q[40];
    for (i = 0; i < l->count; i++) {
        place__quantity_format(q, sizeof q, l->items[i].name,
                               l->items[i].value);
        place__buf_printf(o, "%s%s %s", i ? ", " : "", l->items[i].name, q);
    }
}

static void text_workload(place__buf *o, const place_workload *w)
{
    size_t i, width = 6;
    bool any_rejected = false;

    place__buf_printf(o, "%s %s/%s: %lld/%lld placed", w->kind, w->ns,
                      w->name, (long long)w->placed, (long long)w->replicas);
    if (w->priority)
        place__buf_printf(o, ", priority %d", (int)w->priority);
    place__buf_puts(o, "\n  requests per replica: ");
    text_requests(o, &w->requests);
    place__buf_puts(o, "\n");
    if (w->summary)
        place__buf_printf(o, "  unplaced %lld: %s\n", (long long)w->unplaced,
                          w->summary);
    if (w->ncands == 0) {
        /* without candidate lists (PLACE_SOLVE_NO_CANDIDATES): where the
         * replicas go */
        for (i = 0; i < w->nassign; i++)
            place__buf_printf(o, "%s%s x%lld", i ? ", " : "  on ",
                              w->assign_target[i],
                              (long long)w->assign_replicas[i]);
        if (w->nassign)
            place__buf_puts(o, "\n");
        return;
    }
    for (i = 0; i < w->ncands; i++) {
        size_t n = strlen(w->cands[i].target);
        if (n > width)
            width = n;
    }
    place__buf_printf(o, "  %-4s  %-*s  %8s  %5s  %8s  %5s  %6s\n", "RANK",
                      (int)width, "TARGET", "REPLICAS", "SCORE", "AFFINITY",
                      "TAINT", "REGRET");
    for (i = 0; i < w->ncands; i++) {
        const place_candidate *c = &w->cands[i];
        char regret[48] = "-";
        if (!c->feasible) {
            any_rejected = true;
            continue;
        }
        if (c->has_regret && c->regret_replicas > 0)
            snprintf(regret, sizeof regret, "%lldr+%.6g",
                     (long long)c->regret_replicas, c->regret);
        else if (c->has_regret)
            snprintf(regret, sizeof regret, "%.6g", c->regret);
        place__buf_printf(o, "  %-4u  %-*s  %8lld  %5lld  %8lld  %5lld  "
                             "%6s%s\n",
                          c->rank, (int)width, c->target,
                          (long long)c->replicas,
                          (long long)(c->affinity + c->taint),
                          (long long)c->affinity, (long long)c->taint,
                          regret, c->chosen ? "  chosen" : "");
        if (c->why_code)
            place__buf_printf(o, "        %-*s  why not more: %s: %s\n",
                              (int)width, "", c->why_code, c->why_message);
    }
    if (any_rejected) {
        place__buf_puts(o, "  rejected:\n");
        for (i = 0; i < w->ncands; i++) {
            const place_candidate *c = &w->cands[i];
            size_t k;
            if (c->feasible)
                continue;
            for (k = 0; k < c->nreasons; k++)
                place__buf_printf(o, "    %-*s  %s: %s\n", (int)width,
                                  k ? "" : c->target,
                                  place_reason_code_name(c->reasons[k].code),
                                  c->reasons[k].message);
        }
    }
    for (i = 0; i < w->nrelax; i++) {
        size_t k;
        if (i == 0)
            place__buf_puts(o, "  to place every replica, any one of:\n");
        place__buf_printf(o, "    %zu. ", i + 1);
        for (k = 0; k < w->relax[i].nchanges; k++)
            place__buf_printf(o, "%s%s", k ? "; and " : "",
                              w->relax[i].changes[k].message);
        place__buf_puts(o, "\n");
    }
}

static void text_result(place__buf *o, const place_result *r,
                        unsigned int flags)
{
    size_t i, placed = 0, total = 0;
    for (i = 0; i < r->nworkloads; i++) {
        placed += (size_t)r->workloads[i].placed;
        total += (size_t)r->workloads[i].replicas;
    }
    place__buf_printf(o, "status %s: %zu/%zu replicas placed, objective "
                         "%.15g",
                      r->outcome == PLACE_OUTCOME_OPTIMAL ? "optimal"
                                                          : "feasible",
                      placed, total, r->objective);
    if (r->outcome != PLACE_OUTCOME_OPTIMAL) {
        place__buf_printf(o, " (bound %.15g, gap %.4g", r->bound, r->gap);
        if (r->placed_bound >= 0)
            place__buf_printf(o, "; at most %.15g replicas placeable",
                              r->placed_bound);
        place__buf_puts(o, ")");
    }
    if (!(flags & PLACE_WRITE_NO_TIMINGS))
        place__buf_printf(o, ", %.3f s", r->seconds);
    place__buf_puts(o, "\n");
    for (i = 0; i < r->nworkloads; i++) {
        place__buf_puts(o, "\n");
        text_workload(o, &r->workloads[i]);
    }
}

/* ---- entry point ----------------------------------------------------------- */

int place_result_write(const place_result *r, place_output_format fmt,
                       const place_workload *w, unsigned int flags,
                       char **out, size_t *out_len)
{
    place__arena a;
    place__buf o;
    bld b;
    place__node *root = NULL;

    if (!r || !out)
        return PLACE_EINVAL;
    *out = NULL;
    if (out_len)
        *out_len = 0;
    if (fmt != PLACE_OUTPUT_JSON && fmt != PLACE_OUTPUT_TEXT &&
        fmt != PLACE_OUTPUT_YAML)
        return place__error(r->ctx, PLACE_EINVAL, NULL,
                            "unknown output format %d", (int)fmt);
    place__buf_init(&o, r->ctx);
    place__arena_init(&a, r->ctx);
    b.a = &a;
    b.oom = false;
    if (fmt == PLACE_OUTPUT_TEXT) {
        if (w)
            text_workload(&o, w);
        else
            text_result(&o, r, flags);
    } else {
        root = w ? workload_node(&b, w) : result_node(&b, r, flags);
        if (!b.oom && root) {
            if (fmt == PLACE_OUTPUT_JSON) {
                json_node(&o, root, 0);
                place__buf_puts(&o, "\n");
            } else {
                yaml_node(&o, root, 0, false);
            }
        }
    }
    place__arena_free(&a);
    if (b.oom || o.oom) {
        place__buf_free(&o);
        return place__oom(r->ctx);
    }
    *out = place__buf_take(&o, out_len);
    place__buf_free(&o);
    if (!*out)
        return place__oom(r->ctx);
    return PLACE_OK;
}

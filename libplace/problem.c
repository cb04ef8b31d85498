/*
 * problem.c: the public problem object, and place_solve(): read -> decode
 * -> model -> feasibility -> program -> result.
 */
#include "reduce.h"
#include "result.h"
#include "tree.h"

#include <errno.h>
#include <math.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct place_problem {
    place_ctx *ctx;
    place__model model;
};

int place_problem_new(place_problem **out, place_ctx *ctx)
{
    place_problem *pb;
    if (!out || !ctx)
        return PLACE_EINVAL;
    *out = NULL;
    pb = place__calloc(ctx, 1, sizeof *pb);
    if (!pb)
        return place__oom(ctx);
    pb->ctx = ctx;
    place__model_init(&pb->model, ctx);
    *out = pb;
    return PLACE_OK;
}

void place_problem_free(place_problem *pb)
{
    if (!pb)
        return;
    place__model_free(&pb->model);
    place__free(pb->ctx, pb);
}

static place_format detect(const char *data, size_t len)
{
    size_t i = 0;
    /* a UTF-8 byte order mark does not decide */
    if (len >= 3 && (unsigned char)data[0] == 0xEF &&
        (unsigned char)data[1] == 0xBB && (unsigned char)data[2] == 0xBF)
        i = 3;
    for (; i < len; i++) {
        char c = data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[' ? PLACE_FORMAT_JSON : PLACE_FORMAT_YAML;
    }
    return PLACE_FORMAT_YAML;
}

/* Decode a source, then check the size of the problem it leaves: the
 * source that crosses max_workloads, max_targets or max_pairs is refused as
 * a whole (the model goes back to what it was, as the decoder does on an
 * error). The error names the first workload or target beyond the limit. */
static int decode_within_limits(place_problem *pb, const place__docs *docs,
                                const char *src)
{
    place_ctx *ctx = pb->ctx;
    place__model *m = &pb->model;
    place__model_mark mark;
    place__loc loc = {{src, 0, 0}, NULL, NULL};
    int rc;

    place__model_mark_take(m, &mark);
    rc = place__decode(ctx, m, docs, src);
    if (rc != PLACE_OK)
        return rc;
    if (m->nworkloads > ctx->max_workloads) {
        const place__workload *w = &m->workloads[ctx->max_workloads];
        loc.pos = w->pos;
        loc.object = w->object;
        rc = place__error(ctx, PLACE_ELIMIT, &loc,
                          "more than %zu workloads (max_workloads)",
                          ctx->max_workloads);
    } else if (m->ntargets > ctx->max_targets) {
        const place__target *t = &m->targets[ctx->max_targets];
        loc.pos = t->pos;
        loc.object = t->object;
        rc = place__error(ctx, PLACE_ELIMIT, &loc,
                          "more than %zu targets (max_targets)",
                          ctx->max_targets);
    }
    if (rc != PLACE_OK) {
        place__model_rollback(m, &mark);
    }
    return rc;
}

int place_problem_add_document(place_problem *pb, const char *data,
                               size_t len, place_format fmt,
                               const char *source)
{
    place_ctx *ctx;
    place__docs docs;
    const char *src;
    int rc;

    if (!pb || (!data && len))
        return pb ? place__error(pb->ctx, PLACE_EINVAL, NULL,
                                 "no data given")
                  : PLACE_EINVAL;
    ctx = pb->ctx;
    place__clear_error(ctx);
    if (fmt != PLACE_FORMAT_AUTO && fmt != PLACE_FORMAT_YAML &&
        fmt != PLACE_FORMAT_JSON)
        return place__error(ctx, PLACE_EINVAL, NULL, "unknown format %d",
                            (int)fmt);
    src = place__arena_strdup(&pb->model.arena, source ? source : "<input>");
    if (!src)
        return place__oom(ctx);
    if (len > ctx->max_input_bytes) {
        place__loc loc = {{src, 0, 0}, NULL, NULL};
        return place__error(ctx, PLACE_ELIMIT, &loc,
                            "input of %zu bytes is larger than the limit of "
                            "%zu bytes", len, ctx->max_input_bytes);
    }
    if (fmt == PLACE_FORMAT_AUTO)
        fmt = detect(data ? data : "", len);
    memset(&docs, 0, sizeof docs);
    /* The tree lives in the model's arena: the model keeps its strings. */
    if (fmt == PLACE_FORMAT_JSON)
        rc = place__json_read(ctx, &pb->model.arena, data ? data : "", len,
                              src, &docs);
    else
        rc = place__yaml_read(ctx, &pb->model.arena, data ? data : "", len,
                              src, &docs);
    if (rc != PLACE_OK)
        return rc;
    return decode_within_limits(pb, &docs, src);
}

int place_problem_add_file(place_problem *pb, const char *path,
                           place_format fmt)
{
    place__buf b;
    FILE *f;
    struct stat st;
    char chunk[65536];
    size_t n;
    int rc;

    if (!pb || !path)
        return pb ? place__error(pb->ctx, PLACE_EINVAL, NULL, "no path")
                  : PLACE_EINVAL;
    place__clear_error(pb->ctx);
    f = fopen(path, "rb");
    if (!f) {
        place__loc loc = {{path, 0, 0}, NULL, NULL};
        return place__error(pb->ctx, PLACE_EIO, &loc, "cannot open: %s",
                            strerror(errno));
    }
    /* A regular file larger than the limit is refused before reading it;
     * other files (pipes, devices) are read up to just past the limit. */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > (uintmax_t)pb->ctx->max_input_bytes) {
        place__loc loc = {{path, 0, 0}, NULL, NULL};
        fclose(f);
        return place__error(pb->ctx, PLACE_ELIMIT, &loc,
                            "input of %jd bytes is larger than the limit of "
                            "%zu bytes", (intmax_t)st.st_size,
                            pb->ctx->max_input_bytes);
    }
    place__buf_init(&b, pb->ctx);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        place__buf_append(&b, chunk, n);
        if (b.len > pb->ctx->max_input_bytes)
            break;
    }
    if (ferror(f)) {
        place__loc loc = {{path, 0, 0}, NULL, NULL};
        int err = errno;
        fclose(f);
        place__buf_free(&b);
        return place__error(pb->ctx, PLACE_EIO, &loc, "read error: %s",
                            strerror(err));
    }
    fclose(f);
    if (b.oom) {
        place__buf_free(&b);
        return place__oom(pb->ctx);
    }
    rc = place_problem_add_document(pb, b.data, b.len, fmt, path);
    place__buf_free(&b);
    return rc;
}

int place_problem_check(place_problem *pb)
{
    if (!pb)
        return PLACE_EINVAL;
    place__clear_error(pb->ctx);
    return place__model_finalize(pb->ctx, &pb->model);
}

size_t place_problem_document_count(const place_problem *pb)
{
    return pb ? pb->model.documents : 0;
}

size_t place_problem_ignored_count(const place_problem *pb)
{
    return pb ? pb->model.ignored : 0;
}

size_t place_problem_workload_count(const place_problem *pb)
{
    return pb ? pb->model.nworkloads : 0;
}

size_t place_problem_target_count(const place_problem *pb)
{
    return pb ? pb->model.ntargets : 0;
}

int place_solve_options_init(place_solve_options *opts, unsigned int version)
{
    static const place_solve_options init = PLACE_SOLVE_OPTIONS_INIT;
    if (!opts || version != PLACE_SOLVE_OPTIONS_VERSION)
        return PLACE_EINVAL;
    *opts = init;
    return PLACE_OK;
}

/* Capacity and the verdicts: what both solve and export need. Memory of
 * cap in arena a; vs freed with place__verdicts_free(). */
static int decide(place_problem *pb, place__arena *a, place__capacity *cap,
                  place__verdicts *vs)
{
    place__model *m = &pb->model;
    int rc;

    memset(vs, 0, sizeof *vs);
    if ((rc = place__model_finalize(pb->ctx, m)) != PLACE_OK)
        return rc;
    if ((rc = place__capacity_build(pb->ctx, a, m, cap)) != PLACE_OK)
        return rc;
    return place__verdicts_build(pb->ctx, m, vs);
}

/* Solve m (placement only) one independent component at a time: each is
 * solved with the tool its own size calls for (branch and bound for the
 * small ones), and the plans are put together. */
static int solve_split(place_ctx *ctx, place__arena *a,
                       const place__model *m, const place__capacity *cap,
                       const place__verdicts *vs,
                       const place__program_opts *po, place__plan *plan)
{
    size_t *comp = NULL, *local = NULL, *idx = NULL, *seq_w = NULL;
    int64_t *seq_n = NULL;
    size_t ncomp = 0, c, i, k, total = 0;
    place__plan *plans = NULL;
    place__model sub;
    place__verdicts subv;
    size_t *subclass = NULL;
    place__workload *subw = NULL;
    double start = place__now();
    int rc;

    comp = place__calloc(ctx, m->nworkloads + 1, sizeof *comp);
    if (!comp)
        return place__oom(ctx);
    rc = place__components(ctx, m, vs, comp, &ncomp);
    if (rc != PLACE_OK || ncomp <= 1) {
        place__free(ctx, comp);
        return rc != PLACE_OK ? rc
                              : place__program_solve(ctx, a, m, cap, vs, po,
                                                     plan);
    }
    place__log(ctx, PLACE_LOG_DEBUG, "%zu independent components", ncomp);
    plans = place__calloc(ctx, ncomp, sizeof *plans);
    local = place__calloc(ctx, m->nworkloads + 1, sizeof *local);
    idx = place__calloc(ctx, m->nworkloads + 1, sizeof *idx);
    subw = place__calloc(ctx, m->nworkloads + 1, sizeof *subw);
    subclass = place__calloc(ctx, m->nworkloads + 1, sizeof *subclass);
    seq_w = place__calloc(ctx, po->nseq + 1, sizeof *seq_w);
    seq_n = place__calloc(ctx, po->nseq + 1, sizeof *seq_n);
    if (!plans || !local || !idx || !subw || !subclass || !seq_w || !seq_n) {
        rc = place__oom(ctx);
        goto done;
    }
    for (c = 0; c < ncomp && rc == PLACE_OK; c++) {
        place__program_opts so = *po;
        size_t n = 0, ns = 0;
        for (i = 0; i < m->nworkloads; i++)
            if (comp[i] == c) {
                local[i] = n;
                idx[n] = i;
                subw[n] = m->workloads[i];
                subclass[n] = vs->wclass[i];
                n++;
            }
        for (k = 0; k < po->nseq; k++)
            if (comp[po->seq_w[k]] == c) {
                seq_w[ns] = local[po->seq_w[k]];
                seq_n[ns] = po->seq_n[k];
                ns++;
            }
        sub = *m;
        sub.workloads = subw;
        sub.nworkloads = sub.capworkloads = n;
        subv = *vs;
        subv.wclass = subclass;
        subv.nw = n;
        so.nseq = ns;
        so.seq_w = seq_w;
        so.seq_n = seq_n;
        if (po->time_limit > 0) {
            double left = po->time_limit - (place__now() - start);
            so.time_limit = left > 0.001 ? left : 0.001;
        }
        rc = place__program_solve(ctx, a, &sub, cap, &subv, &so, &plans[c]);
        for (k = 0; rc == PLACE_OK && k < plans[c].npairs; k++)
            plans[c].pair_w[k] = idx[plans[c].pair_w[k]];
        total += plans[c].npairs;
    }
    if (rc != PLACE_OK)
        goto done;
    /* one plan */
    memset(plan, 0, sizeof *plan);
    plan->pair_w = place__arena_alloc(a, (total + 1) * sizeof(size_t));
    plan->pair_t = place__arena_alloc(a, (total + 1) * sizeof(size_t));
    plan->x = place__arena_alloc(a, (total + 1) * sizeof(int64_t));
    if (!plan->pair_w || !plan->pair_t || !plan->x) {
        rc = place__oom(ctx);
        goto done;
    }
    plan->placed_bound = 0;
    plan->method = plans[0].method;
    for (c = 0; c < ncomp; c++) {
        const place__plan *q = &plans[c];
        if (q->npairs) {
            memcpy(plan->pair_w + plan->npairs, q->pair_w,
                   q->npairs * sizeof *q->pair_w);
            memcpy(plan->pair_t + plan->npairs, q->pair_t,
                   q->npairs * sizeof *q->pair_t);
            memcpy(plan->x + plan->npairs, q->x, q->npairs * sizeof *q->x);
        }
        plan->npairs += q->npairs;
        plan->limited |= q->limited;
        plan->objective += q->objective;
        plan->bound += q->bound;
        plan->nvars += q->nvars;
        plan->nrows += q->nrows;
        if (plan->placed_bound >= 0 && q->placed_bound >= 0)
            plan->placed_bound += q->placed_bound;
        else
            plan->placed_bound = -1;
        if (q->npairs && q->method && plan->method &&
            strcmp(q->method, plan->method) != 0)
            plan->method = "mixed";
        if (!plan->method)
            plan->method = q->method;
    }
    plan->gap = fabs(plan->bound - plan->objective) /
                (fabs(plan->objective) > 1e-9 ? fabs(plan->objective) : 1.0);
    plan->regret_method = PLACE__REGRET_NONE;
    /* pairs grouped by workload in order, as a single program gives them
     * (a counting sort; targets keep their order within a workload) */
    {
        size_t *first = place__calloc(ctx, m->nworkloads + 2, sizeof *first);
        size_t *pw = place__arena_alloc(a, (total + 1) * sizeof *pw);
        size_t *pt = place__arena_alloc(a, (total + 1) * sizeof *pt);
        int64_t *px = place__arena_alloc(a, (total + 1) * sizeof *px);
        if (!first || !pw || !pt || !px) {
            place__free(ctx, first);
            rc = place__oom(ctx);
            goto done;
        }
        for (k = 0; k < total; k++)
            first[plan->pair_w[k] + 1]++;
        for (i = 0; i < m->nworkloads; i++)
            first[i + 1] += first[i];
        for (k = 0; k < total; k++) {
            size_t to = first[plan->pair_w[k]]++;
            pw[to] = plan->pair_w[k];
            pt[to] = plan->pair_t[k];
            px[to] = plan->x[k];
        }
        place__free(ctx, first);
        plan->pair_w = pw;
        plan->pair_t = pt;
        plan->x = px;
    }
done:
    place__free(ctx, comp);
    place__free(ctx, plans);
    place__free(ctx, local);
    place__free(ctx, idx);
    place__free(ctx, subw);
    place__free(ctx, subclass);
    place__free(ctx, seq_w);
    place__free(ctx, seq_n);
    return rc;
}

/* Relaxations (one elastic program per workload with unplaced replicas)
 * share one budget: what is left of the caller's time limit, and at most
 * PLACE__EXPLAIN_SECONDS after the placement is found. */
static double explain_deadline(const place__program_opts *po, double start)
{
    double d = place__now() + PLACE__EXPLAIN_SECONDS;
    if (po->time_limit > 0 && start + po->time_limit < d)
        d = start + po->time_limit;
    return d;
}

int place_solve(place_result **out, place_problem *pb,
                const place_solve_options *opts)
{
    place_solve_options o;
    place__program_opts po;
    place__arena a;
    place__capacity cap;
    place__verdicts v;
    place__plan plan;
    const place__policy *pol;
    double start = place__now();

    memset(&po, 0, sizeof po);
    int rc;

    if (!out || !pb)
        return PLACE_EINVAL;
    *out = NULL;
    place__clear_error(pb->ctx);
    place_solve_options_init(&o, PLACE_SOLVE_OPTIONS_VERSION);
    if (opts) {
        if (opts->version != PLACE_SOLVE_OPTIONS_VERSION)
            return place__error(pb->ctx, PLACE_EINVAL, NULL,
                                "unknown solve options version %u",
                                opts->version);
        o = *opts;
    }
    place__arena_init(&a, pb->ctx);
    rc = decide(pb, &a, &cap, &v);
    place__log(pb->ctx, PLACE_LOG_DEBUG, "verdicts: %.3f s",
               place__now() - start);
    if (rc == PLACE_OK && !(o.flags & PLACE_SOLVE_NO_CANDIDATES) &&
        pb->model.ntargets &&
        pb->model.nworkloads > pb->ctx->max_pairs / pb->model.ntargets)
        rc = place__error(pb->ctx, PLACE_ELIMIT, NULL,
                          "%zu workloads x %zu targets is more than %zu "
                          "candidates (max_pairs); without candidate lists "
                          "(PLACE_SOLVE_NO_CANDIDATES, place "
                          "--no-candidates) there is no such limit",
                          pb->model.nworkloads, pb->model.ntargets,
                          pb->ctx->max_pairs);
    if (rc == PLACE_OK) {
        pol = &pb->model.policy;
        po.time_limit = o.time_limit > 0 ? o.time_limit : pol->time_limit;
        po.mip_gap = o.mip_gap >= 0 ? o.mip_gap
                                    : (pol->mip_gap >= 0 ? pol->mip_gap : 0);
        po.explain = !(o.flags & PLACE_SOLVE_NO_EXPLAIN);
        po.node_limit = pol->max_nodes > 0 ? (long)pol->max_nodes
                                           : PLACE__DEFAULT_NODE_LIMIT;
        po.regret_mode = (o.flags & PLACE_SOLVE_REGRET_EXACT) ? 1
                         : (o.flags & PLACE_SOLVE_REGRET_LP)  ? 2
                                                              : 0;
        /* Without explanations nothing tells identical workloads apart:
         * the program places them as one. */
        bool worth = false;
        place__reduced red;
        memset(&red, 0, sizeof red);
        if (!po.explain)
            rc = place__reduce(pb->ctx, &pb->model, &v, &red, &worth);
        if (rc == PLACE_OK && worth) {
            place__plan rplan;
            po.nseq = red.nseq;
            po.seq_w = red.seq_w;
            po.seq_n = red.seq_n;
            rc = solve_split(pb->ctx, &a, &red.model, &cap, &red.verdicts,
                             &po, &rplan);
            if (rc == PLACE_OK)
                rc = place__reduced_expand(pb->ctx, &a, &pb->model, &red,
                                           &rplan, &plan);
            place__reduced_free(pb->ctx, &red);
        } else if (rc == PLACE_OK && !po.explain) {
            rc = solve_split(pb->ctx, &a, &pb->model, &cap, &v, &po, &plan);
        } else if (rc == PLACE_OK) {
            rc = place__program_solve(pb->ctx, &a, &pb->model, &cap, &v,
                                      &po, &plan);
        }
    }
    place__log(pb->ctx, PLACE_LOG_DEBUG, "solved: %.3f s",
               place__now() - start);
    if (rc == PLACE_OK)
        rc = place__result_build(pb->ctx, &pb->model, &cap, &v, &plan,
                                 po.explain,
                                 !(o.flags & PLACE_SOLVE_NO_CANDIDATES),
                                 explain_deadline(&po, start), out);
    if (rc == PLACE_OK)
        (*out)->seconds = place__now() - start;
    place__verdicts_free(pb->ctx, &v);
    place__arena_free(&a);
    return rc;
}

int place_problem_export(place_problem *pb, place_export_format fmt,
                         char **out, size_t *out_len)
{
    place__arena a;
    place__capacity cap;
    place__verdicts v;
    int rc;

    if (!pb || !out)
        return PLACE_EINVAL;
    *out = NULL;
    place__clear_error(pb->ctx);
    if (fmt != PLACE_EXPORT_LP && fmt != PLACE_EXPORT_MPS)
        return place__error(pb->ctx, PLACE_EINVAL, NULL,
                            "unknown export format %d", (int)fmt);
    place__arena_init(&a, pb->ctx);
    rc = decide(pb, &a, &cap, &v);
    if (rc == PLACE_OK)
        rc = place__program_export(pb->ctx, &pb->model, &cap, &v,
                                   fmt == PLACE_EXPORT_LP ? 0 : 1, out,
                                   out_len);
    place__verdicts_free(pb->ctx, &v);
    place__arena_free(&a);
    return rc;
}

/*
 * problem.c: the public problem object, and place_solve(): read -> decode
 * -> model -> feasibility -> program -> result.
 */
#include "reduce.h"
#include "result.h"
#include "tree.h"

#include <errno.h>
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
            rc = place__program_solve(pb->ctx, &a, &red.model, &cap,
                                      &red.verdicts, &po, &rplan);
            if (rc == PLACE_OK)
                rc = place__reduced_expand(pb->ctx, &a, &pb->model, &red,
                                           &rplan, &plan);
            place__reduced_free(pb->ctx, &red);
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

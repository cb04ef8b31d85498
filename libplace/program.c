/*
 * program.c: the integer program and its staged solve with GLPK. The only
 * file that includes glpk.h.
 *
 * GLPK never prints (its terminal output goes to the context's logger at
 * DEBUG level) and never aborts the process: its error hook jumps back here
 * and the failure becomes PLACE_ESOLVER. After such a jump GLPK's
 * environment of this thread is freed (glp_free_env), as GLPK requires.
 */
#include "program.h"
#include "strategy.h"

#include <glpk.h>

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int place__program_threadsafe(void)
{
    return glp_config("TLS") != NULL;
}

/* Largest program (pairs) solved by branch and bound; beyond it, the
 * greedy incumbent with its LP bound. */
#define PLACE__MIP_MAX_PAIRS 5000

/* Branch-and-bound nodes times pairs allowed per stage: the node budget
 * shrinks as the program grows (work, not time, so it is deterministic). */
#define PLACE__NODE_WORK 400000L

/* Largest program (pairs) that gets GLPK's cuts. */
#define PLACE__CUTS_MAX_PAIRS 2000

/* Largest program (pairs) for which the tie-break stage runs. */
#define PLACE__TIE_STAGE_MAX_PAIRS 200

typedef struct cap_row {
    size_t t;        /* target */
    const char *res; /* resource */
    int row;         /* row in base */
} cap_row;

typedef struct prog {
    place_ctx *ctx;
    const place__model *m;
    const place__capacity *cap;
    const place__verdicts *v;
    const place__program_opts *opts;
    place__pairs ix; /* the strategy's index of the pairs, made once */
    size_t nt;

    /* pairs: columns 1..npairs */
    size_t npairs;
    size_t *pw, *pt;
    int64_t *ub;
    double *score;   /* weighted soft score of one replica */
    double *cost;    /* price of one replica */
    /* fixed-cost targets: columns npairs+1 .. npairs+ny */
    size_t ny;
    size_t *ytarget;
    double *tcost;   /* per target: weighted fixed cost; NULL when ny == 0 */
    /* move cost: replicas running on the pair's target now, and a "kept"
     * column per pair that has some: columns npairs+ny+1 .. +nkeep */
    int64_t *cur;
    size_t nkeep;
    size_t *keep_pair;
    double w_move;
    /* scratch for rows (1-based for GLPK) */
    int *ind;
    double *val;
    double *obj;     /* objective of the current stage, per column */
    double *warm;    /* 1-based incumbent of the previous stage */
    bool have_warm;  /* warm holds a feasible solution */
    double *sol;     /* 1-based solution of the current stage */
    glp_prob *base;  /* the program without stage rows */
    glp_prob *P;     /* the copy being solved */
    int ncols;
    size_t nlevels;  /* distinct priorities, highest first */
    /* capacity rows of base */
    size_t ncap, capcap;
    cap_row *caps;

    /* stage state used by the callback */
    double deadline; /* place__now() value; 0 = none */
    bool warm_used;
    bool stopped;
    double stage_bound;
    bool have_bound;
    bool names;      /* write symbolic names (export) */
    double placement_weight; /* of the lowest level, set_export_objective */
    long node_limit; /* branch-and-bound nodes per stage; 0 = none */
    long nodes;      /* nodes of the current stage */
    bool integral;   /* the current objective takes integer values */
    bool cuts;       /* generate cuts in the current stage */
    int64_t *greedy; /* the greedy placement, per pair */
    double main_seconds; /* of the main staged solve */
    double lp_gap;   /* LP optimum - integer placement, weighted form */
    const char *method; /* how the placement was found */
    /* temporaries of build() and run_stages(), freed by prog_free() even
     * when GLPK's error hook jumps out */
    size_t *start, *bytarget, *fill;
    int32_t *levels;
} prog;

typedef struct guard {
    jmp_buf jb;
} guard;

static void error_hook(void *info)
{
    guard *g = info;
    longjmp(g->jb, 1);
}

static int term_hook(void *info, const char *s)
{
    place_ctx *ctx = info;
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (n)
        place__log(ctx, PLACE_LOG_DEBUG, "glpk: %.*s", (int)n, s);
    return 1; /* GLPK itself prints nothing */
}

/* What runs under GLPK's error hook. */
typedef int (*glpk_work)(prog *pg, void *arg);

/*
 * Run `work` with GLPK's error hook and terminal hook installed. When GLPK
 * fails internally it calls the hook, which jumps back here: GLPK's
 * environment of this thread is then freed, as GLPK requires (every GLPK
 * object of the thread is gone, pg->base and pg->P with them), and the
 * failure becomes PLACE_ESOLVER. The setjmp lives in this small function
 * alone, so that no caller's variable is live across the jump.
 */
static int guarded(prog *pg, glpk_work work, void *arg)
{
    guard g;
    int rc;
    if (setjmp(g.jb)) {
        glp_free_env();
        pg->base = pg->P = NULL;
        return place__error(pg->ctx, PLACE_ESOLVER, NULL,
                            "GLPK failed with an internal error");
    }
    glp_error_hook(error_hook, &g);
    glp_term_hook(term_hook, pg->ctx);
    rc = work(pg, arg);
    glp_term_hook(NULL, NULL);
    glp_error_hook(NULL, NULL);
    return rc;
}

/* ---- building --------------------------------------------------------------- */

/* Price of one unit as libplace counts it: spec.price is per core for cpu,
 * per GiB for memory-like resources, per unit otherwise. */
static double unit_divisor(const char *res)
{
    if (strcmp(res, "cpu") == 0)
        return 1000.0;
    if (strcmp(res, "memory") == 0 || strcmp(res, "ephemeral-storage") == 0 ||
        strncmp(res, "hugepages-", 10) == 0)
        return 1073741824.0;
    return 1.0;
}

static double pair_cost(const place__model *m, const place__workload *w,
                        const place__target *t)
{
    double c = 0;
    size_t i;
    for (i = 0; i < t->nprices; i++) {
        int64_t req = place__reslist_get(&w->requests, t->price_names[i],
                                         NULL);
        c += t->prices[i] * (double)req / unit_divisor(t->price_names[i]);
    }
    return c * m->policy.w_cost;
}

static void prog_free(prog *pg)
{
    place_ctx *ctx = pg->ctx;
    place__free(ctx, pg->pw);
    place__free(ctx, pg->pt);
    place__free(ctx, pg->ub);
    place__free(ctx, pg->score);
    place__free(ctx, pg->cost);
    place__free(ctx, pg->ytarget);
    place__free(ctx, pg->tcost);
    place__free(ctx, pg->cur);
    place__pairs_index_free(ctx, &pg->ix);
    place__free(ctx, pg->keep_pair);
    place__free(ctx, pg->ind);
    place__free(ctx, pg->val);
    place__free(ctx, pg->obj);
    place__free(ctx, pg->warm);
    place__free(ctx, pg->sol);
    place__free(ctx, pg->start);
    place__free(ctx, pg->bytarget);
    place__free(ctx, pg->fill);
    place__free(ctx, pg->levels);
    place__free(ctx, pg->caps);
    place__free(ctx, pg->greedy);
    place__free(ctx, pg);
}

static int prog_new(place_ctx *ctx, const place__model *m,
                    const place__capacity *cap, const place__verdicts *v,
                    prog **out)
{
    prog *pg = place__calloc(ctx, 1, sizeof *pg);
    if (!pg)
        return place__oom(ctx);
    pg->ctx = ctx;
    pg->m = m;
    pg->cap = cap;
    pg->v = v;
    pg->nt = m->ntargets;
    *out = pg;
    return PLACE_OK;
}

static int cmp_double_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x > y ? -1 : x < y;
}

static int cmp_int32_desc(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x > y ? -1 : x < y;
}

/* The pairs that get a variable, and the scratch arrays. No GLPK yet. */
static int collect(prog *pg)
{
    const place__model *m = pg->m;
    place_ctx *ctx = pg->ctx;
    size_t wi, ti, cap = 0, maxreq = 1;
    bool *ycost;
    long *ridx = NULL;
    int64_t *rval = NULL;

    pg->ytarget = place__calloc(ctx, m->ntargets + 1, sizeof *pg->ytarget);
    ycost = place__calloc(ctx, m->ntargets + 1, sizeof *ycost);
    for (wi = 0; wi < m->nworkloads; wi++)
        if (m->workloads[wi].requests.count > maxreq)
            maxreq = m->workloads[wi].requests.count;
    ridx = place__calloc(ctx, maxreq, sizeof *ridx);
    rval = place__calloc(ctx, maxreq, sizeof *rval);
    if (!pg->ytarget || !ycost || !ridx || !rval)
        goto oom;
    /* room for every statically feasible pair (class counts), so the
     * arrays are allocated once; they grow if that was short */
    {
        size_t want = 0, c;
        const place__verdicts *vs = pg->v;
        for (wi = 0; wi < m->nworkloads; wi++) {
            const place__workload *w = &m->workloads[wi];
            if (w->node_name || w->replicas <= 0)
                continue;
            for (c = 0; c < vs->ntc; c++)
                if (vs->cls[vs->wclass[wi] * vs->ntc + c].feasible)
                    want += vs->tc_start[c + 1] - vs->tc_start[c];
        }
        if (want) {
            pg->pw = place__malloc(ctx, want * sizeof *pg->pw);
            pg->pt = place__malloc(ctx, want * sizeof *pg->pt);
            pg->ub = place__malloc(ctx, want * sizeof *pg->ub);
            pg->score = place__malloc(ctx, want * sizeof *pg->score);
            pg->cost = place__malloc(ctx, want * sizeof *pg->cost);
            if (!pg->pw || !pg->pt || !pg->ub || !pg->score || !pg->cost)
                goto oom;
            cap = want;
        }
    }
    /* one pass */
    for (wi = 0; wi < m->nworkloads; wi++) {
        const place__workload *w = &m->workloads[wi];
        size_t nreq;
        if (w->node_name || w->replicas <= 0)
            continue;
        nreq = place__requests_dense(pg->cap, w, ridx, rval);
        for (ti = 0; ti < m->ntargets; ti++) {
            const place__verdict *v = place__verdict_class(pg->v, wi, ti);
            const place__target *t = &m->targets[ti];
            int64_t max_fit;
            if (!v->feasible ||
                !place__fit_dense(m, pg->cap, wi, ridx, rval, nreq, ti,
                                  &max_fit) ||
                max_fit <= 0)
                continue;
            if (pg->npairs == cap) {
                size_t c2 = cap ? cap * 2 : 1024;
                void *p1 = place__realloc(ctx, pg->pw, c2 * sizeof *pg->pw);
                if (p1)
                    pg->pw = p1;
                p1 = p1 ? place__realloc(ctx, pg->pt, c2 * sizeof *pg->pt)
                        : NULL;
                if (p1)
                    pg->pt = p1;
                p1 = p1 ? place__realloc(ctx, pg->ub, c2 * sizeof *pg->ub)
                        : NULL;
                if (p1)
                    pg->ub = p1;
                p1 = p1 ? place__realloc(ctx, pg->score,
                                         c2 * sizeof *pg->score)
                        : NULL;
                if (p1)
                    pg->score = p1;
                p1 = p1 ? place__realloc(ctx, pg->cost,
                                         c2 * sizeof *pg->cost)
                        : NULL;
                if (!p1)
                    goto oom;
                pg->cost = p1;
                cap = c2;
            }
            pg->pw[pg->npairs] = wi;
            pg->pt[pg->npairs] = ti;
            pg->ub[pg->npairs] = max_fit < w->replicas ? max_fit
                                                        : w->replicas;
            pg->score[pg->npairs] = m->policy.w_affinity * (double)v->affinity +
                                    m->policy.w_taint * (double)v->taint;
            pg->cost[pg->npairs] = t->nprices ? pair_cost(m, w, t) : 0.0;
            if (t->cost > 0)
                ycost[ti] = true;
            pg->npairs++;
        }
    }
    if (cap == 0) {
        pg->pw = place__calloc(ctx, 1, sizeof *pg->pw);
        pg->pt = place__calloc(ctx, 1, sizeof *pg->pt);
        pg->ub = place__calloc(ctx, 1, sizeof *pg->ub);
        pg->score = place__calloc(ctx, 1, sizeof *pg->score);
        pg->cost = place__calloc(ctx, 1, sizeof *pg->cost);
        if (!pg->pw || !pg->pt || !pg->ub || !pg->score || !pg->cost)
            goto oom;
    }
    place__free(ctx, ridx);
    place__free(ctx, rval);
    ridx = NULL;
    rval = NULL;
    for (ti = 0; ti < m->ntargets; ti++)
        if (ycost[ti])
            pg->ytarget[pg->ny++] = ti;
    place__free(ctx, ycost);
    if (pg->ny) {
        size_t k;
        pg->tcost = place__calloc(ctx, m->ntargets + 1, sizeof *pg->tcost);
        if (!pg->tcost)
            return place__oom(ctx);
        for (k = 0; k < pg->ny; k++)
            pg->tcost[pg->ytarget[k]] =
                m->targets[pg->ytarget[k]].cost * m->policy.w_cost;
    }
    pg->w_move = m->policy.w_move;
    for (wi = 0; wi < m->nworkloads; wi++)
        if (m->workloads[wi].ncurrent && !m->workloads[wi].node_name)
            break;
    if (wi < m->nworkloads && pg->w_move > 0) {
        size_t p, k;
        pg->cur = place__calloc(ctx, pg->npairs + 1, sizeof *pg->cur);
        pg->keep_pair = place__calloc(ctx, pg->npairs + 1,
                                      sizeof *pg->keep_pair);
        if (!pg->cur || !pg->keep_pair)
            return place__oom(ctx);
        for (p = 0; p < pg->npairs; p++) {
            const place__workload *w = &m->workloads[pg->pw[p]];
            for (k = 0; k < w->ncurrent; k++)
                if (w->current[k].ti == (long)pg->pt[p])
                    pg->cur[p] += w->current[k].replicas;
            if (pg->cur[p] > 0 && pg->w_move > 0)
                pg->keep_pair[pg->nkeep++] = p;
        }
    }
    pg->ncols = (int)(pg->npairs + pg->ny + pg->nkeep);
    pg->ind = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *pg->ind);
    pg->val = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *pg->val);
    pg->obj = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *pg->obj);
    pg->sol = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *pg->sol);
    pg->warm = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *pg->warm);
    pg->levels = place__calloc(ctx, m->nworkloads + 1, sizeof *pg->levels);
    if (!pg->ind || !pg->val || !pg->obj || !pg->sol || !pg->warm ||
        !pg->levels)
        return place__oom(ctx);
    {
        /* the priorities of the workloads that have pairs */
        size_t p, l, n = 0;
        for (p = 0; p < pg->npairs; p++)
            if (p == 0 || pg->pw[p] != pg->pw[p - 1])
                pg->levels[n++] = m->workloads[pg->pw[p]].priority;
        if (n)
            qsort(pg->levels, n, sizeof *pg->levels, cmp_int32_desc);
        for (p = 0, l = 0; p < n; p++)
            if (l == 0 || pg->levels[l - 1] != pg->levels[p])
                pg->levels[l++] = pg->levels[p];
        pg->nlevels = l;
    }
    if ((size_t)pg->ncols > (size_t)INT_MAX / 2)
        return place__error(ctx, PLACE_ELIMIT, NULL,
                            "the program has too many variables (%zu)",
                            pg->npairs);
    return PLACE_OK;
oom:
    place__free(ctx, ycost);
    place__free(ctx, ridx);
    place__free(ctx, rval);
    return place__oom(ctx);
}

static void add_row(prog *pg, int len, int type, double lb, double ub,
                    const char *name)
{
    int r = glp_add_rows(pg->P, 1);
    if (pg->names && name)
        glp_set_row_name(pg->P, r, name);
    glp_set_mat_row(pg->P, r, len, pg->ind, pg->val);
    glp_set_row_bnds(pg->P, r, type, lb, ub);
}

/* The column of target t's y (fixed cost), 0 when it has none. */
static int ycol_of(const prog *pg, size_t t)
{
    size_t lo = 0, hi = pg->ny;
    while (lo < hi) { /* ytarget is increasing */
        size_t mid = lo + (hi - lo) / 2;
        if (pg->ytarget[mid] == t)
            return (int)(pg->npairs + mid) + 1;
        if (pg->ytarget[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* Columns and rows. Must run under the error guard. */
static int build(prog *pg)
{
    const place__model *m = pg->m;
    size_t p, i, k, ti;
    char name[64];
    size_t *start, *bytarget, *fill;

    pg->base = pg->P = glp_create_prob();
    glp_set_prob_name(pg->P, "libplace");
    if (pg->ncols)
        glp_add_cols(pg->P, pg->ncols);
    for (p = 0; p < pg->npairs; p++) {
        int j = (int)p + 1;
        if (pg->names) {
            snprintf(name, sizeof name, "x_%zu_%zu", pg->pw[p], pg->pt[p]);
            glp_set_col_name(pg->P, j, name);
        }
        glp_set_col_kind(pg->P, j, GLP_IV);
        glp_set_col_bnds(pg->P, j, GLP_DB, 0.0, (double)pg->ub[p]);
    }
    for (k = 0; k < pg->ny; k++) {
        int j = (int)(pg->npairs + k) + 1;
        if (pg->names) {
            snprintf(name, sizeof name, "y_%zu", pg->ytarget[k]);
            glp_set_col_name(pg->P, j, name);
        }
        glp_set_col_kind(pg->P, j, GLP_BV);
    }

    for (k = 0; k < pg->nkeep; k++) {
        size_t q = pg->keep_pair[k];
        int j = (int)(pg->npairs + pg->ny + k) + 1;
        double most = (double)(pg->cur[q] < pg->ub[q] ? pg->cur[q]
                                                      : pg->ub[q]);
        if (pg->names) {
            snprintf(name, sizeof name, "keep_%zu_%zu", pg->pw[q], pg->pt[q]);
            glp_set_col_name(pg->P, j, name);
        }
        glp_set_col_bnds(pg->P, j, GLP_DB, 0.0, most);
    }

    /* per workload: at most its replicas (pairs of a workload are
     * consecutive) */
    for (p = 0; p < pg->npairs;) {
        size_t q = p;
        int64_t sum = 0;
        const place__workload *w = &m->workloads[pg->pw[p]];
        int len = 0;
        while (q < pg->npairs && pg->pw[q] == pg->pw[p]) {
            sum += pg->ub[q];
            pg->ind[++len] = (int)q + 1;
            pg->val[len] = 1.0;
            q++;
        }
        if (sum > w->replicas) {
            snprintf(name, sizeof name, "replicas_%zu", pg->pw[p]);
            add_row(pg, len, GLP_UP, 0.0, (double)w->replicas, name);
        }
        p = q;
    }

    /* per target and resource: what is placed fits; pairs grouped by
     * target with a counting sort */
    start = pg->start = place__calloc(pg->ctx, pg->nt + 2, sizeof *start);
    bytarget = pg->bytarget =
        place__calloc(pg->ctx, pg->npairs + 1, sizeof *bytarget);
    fill = pg->fill = place__calloc(pg->ctx, pg->nt + 1, sizeof *fill);
    if (!start || !bytarget || !fill)
        return place__oom(pg->ctx);
    for (p = 0; p < pg->npairs; p++)
        start[pg->pt[p] + 1]++;
    for (ti = 0; ti < pg->nt; ti++)
        start[ti + 1] += start[ti];
    for (p = 0; p < pg->npairs; p++)
        bytarget[start[pg->pt[p]] + fill[pg->pt[p]]++] = p;
    for (ti = 0; ti < pg->nt; ti++) {
        const place__reslist *free = &pg->cap->free[ti];
        if (start[ti] == start[ti + 1])
            continue;
        for (i = 0; i < free->count; i++) {
            const char *res = free->items[i].name;
            int64_t avail = free->items[i].value;
            double most = 0;
            int len = 0;
            if (avail == INT64_MAX)
                continue;
            for (k = start[ti]; k < start[ti + 1]; k++) {
                size_t q = bytarget[k];
                int64_t req = place__reslist_get(
                    &m->workloads[pg->pw[q]].requests, res, NULL);
                if (req <= 0)
                    continue;
                most += (double)req * (double)pg->ub[q];
                pg->ind[++len] = (int)q + 1;
                pg->val[len] = (double)req;
            }
            if (len == 0 || (most <= (double)avail && !ycol_of(pg, ti)))
                continue; /* cannot bind */
            snprintf(name, sizeof name, "cap_%zu_%zu", ti, i);
            if (ycol_of(pg, ti)) {
                /* a target with a fixed cost has its capacity only when
                 * used: the strong form of the fixed charge */
                pg->ind[++len] = ycol_of(pg, ti);
                pg->val[len] = -(double)avail;
                add_row(pg, len, GLP_UP, 0.0, 0.0, name);
            } else {
                add_row(pg, len, GLP_UP, 0.0, (double)avail, name);
            }
            if (!place__grow(pg->ctx, (void **)&pg->caps, &pg->capcap,
                             pg->ncap, sizeof *pg->caps))
                return place__oom(pg->ctx);
            pg->caps[pg->ncap].t = ti;
            pg->caps[pg->ncap].res = res;
            pg->caps[pg->ncap].row = glp_get_num_rows(pg->P);
            pg->ncap++;
        }
    }
    /* kept replicas: no more than are placed there */
    for (k = 0; k < pg->nkeep; k++) {
        pg->ind[1] = (int)(pg->npairs + pg->ny + k) + 1;
        pg->val[1] = 1.0;
        pg->ind[2] = (int)pg->keep_pair[k] + 1;
        pg->val[2] = -1.0;
        add_row(pg, 2, GLP_UP, 0.0, 0.0, "keep");
    }
    /* fixed cost: any replica on t needs y[t] */
    for (k = 0; k < pg->ny; k++) {
        size_t t = pg->ytarget[k];
        double most = 0;
        int len = 0;
        size_t j;
        for (j = start[t]; j < start[t + 1]; j++) {
            size_t q = bytarget[j];
            most += (double)pg->ub[q];
            pg->ind[++len] = (int)q + 1;
            pg->val[len] = 1.0;
        }
        pg->ind[++len] = (int)(pg->npairs + k) + 1;
        pg->val[len] = -most;
        snprintf(name, sizeof name, "use_%zu", t);
        add_row(pg, len, GLP_UP, 0.0, 0.0, name);
    }
    return PLACE_OK;
}

/* ---- stages ------------------------------------------------------------------ */

static void callback(glp_tree *tree, void *info)
{
    prog *pg = info;
    int best;

    if (pg->deadline > 0 && place__now() >= pg->deadline) {
        pg->stopped = true;
        glp_ios_terminate(tree);
        return;
    }
    switch (glp_ios_reason(tree)) {
    case GLP_IHEUR:
        if (pg->have_warm && !pg->warm_used) {
            pg->warm_used = true;
            glp_ios_heur_sol(tree, pg->warm);
        }
        break;
    case GLP_ISELECT:
        if (pg->node_limit > 0 && ++pg->nodes > pg->node_limit) {
            /* a work limit, not a clock: the same input stops at the same
             * point on any machine */
            pg->stopped = true;
            glp_ios_terminate(tree);
            return;
        }
        /* fall through */
    case GLP_IBINGO:
        best = glp_ios_best_node(tree);
        if (best) {
            pg->stage_bound = glp_ios_node_bound(tree, best);
            pg->have_bound = true;
        }
        break;
    default:
        break;
    }
}

/* GLPK's tm_lim for what is left before deadline (place__now() value):
 * milliseconds, at least 1; 0 when the deadline has passed. */
static int ms_left(double deadline)
{
    double left = deadline - place__now();
    if (left <= 0)
        return 0;
    return left * 1000 > INT_MAX - 1 ? INT_MAX : (int)(left * 1000) + 1;
}

/* Value of the current objective at a 1-based solution. */
static double objective_at(const prog *pg, const double *x)
{
    double s = 0;
    int j;
    for (j = 1; j <= pg->ncols; j++)
        s += pg->obj[j] * x[j];
    return s;
}

/*
 * Optimise the objective in pg->obj (dir GLP_MAX or GLP_MIN). On return
 * pg->sol holds the best solution found (or the warm start), *value its
 * objective and *bound the best bound. *limited tells whether a limit
 * stopped the search. Must run under the error guard.
 */
static int solve_stage(prog *pg, int dir, double gap, double *value,
                       double *bound, bool *limited)
{
    glp_smcp smcp;
    glp_iocp iocp;
    int j, rc, status, ms = 0;

    *limited = false;
    glp_set_obj_dir(pg->P, dir);
    for (j = 1; j <= pg->ncols; j++)
        glp_set_obj_coef(pg->P, j, pg->obj[j]);
    if (pg->deadline > 0 && !(ms = ms_left(pg->deadline))) {
        *limited = true;
        goto use_warm;
    }
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = GLP_OFF;
    if (pg->deadline > 0)
        smcp.tm_lim = ms;
    glp_scale_prob(pg->P, GLP_SF_AUTO);
    rc = glp_simplex(pg->P, &smcp);
    if (rc == GLP_ETMLIM) {
        *limited = true;
        goto use_warm;
    }
    if (rc != 0 || glp_get_status(pg->P) != GLP_OPT)
        return place__error(pg->ctx, PLACE_ESOLVER, NULL,
                            "GLPK could not solve the LP relaxation "
                            "(glp_simplex returned %d, status %d)",
                            rc, glp_get_status(pg->P));
    pg->stage_bound = glp_get_obj_val(pg->P);
    pg->have_bound = true;
    /* The incumbent may already reach the LP bound: no search needed. */
    if (pg->have_warm) {
        double wv = objective_at(pg, pg->warm);
        double b = pg->stage_bound;
        double tol = 1e-6 * (fabs(b) > 1 ? fabs(b) : 1);
        if (pg->integral)
            b = dir == GLP_MAX ? floor(b + tol) : ceil(b - tol);
        if (dir == GLP_MAX ? wv >= b - tol : wv <= b + tol) {
            memcpy(pg->sol, pg->warm, (size_t)(pg->ncols + 1) *
                                          sizeof *pg->sol);
            *value = wv;
            *bound = wv;
            place__log(pg->ctx, PLACE_LOG_DEBUG,
                       "stage (%s): the incumbent %.6g meets the LP bound",
                       dir == GLP_MAX ? "max" : "min", wv);
            return PLACE_OK;
        }
    }

    /* Large programs: the incumbent and the LP bound (branch and bound on
     * them costs far more than it gains; the gap says how far it may be). */
    if (pg->npairs > PLACE__MIP_MAX_PAIRS && pg->have_warm) {
        *limited = true;
        goto use_warm;
    }
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.presolve = GLP_OFF;
    iocp.mip_gap = gap;
    iocp.cb_func = callback;
    iocp.cb_info = pg;
    /* cuts tighten the bound at the root, where most of the gap closes;
     * the tie-break stage only needs a good solution, not a proof */
    {
        /* GLPK's cut generation does not look at the clock and grows
         * faster than the program: only small programs get cuts */
        int on = pg->cuts && pg->npairs <= PLACE__CUTS_MAX_PAIRS;
        iocp.gmi_cuts = on ? GLP_ON : GLP_OFF;
        iocp.mir_cuts = on ? GLP_ON : GLP_OFF;
        iocp.clq_cuts = on ? GLP_ON : GLP_OFF;
        iocp.cov_cuts = on ? GLP_ON : GLP_OFF;
        /* the feasibility pump looks for an integer solution from the LP's
         * (deterministic: its perturbations come from a fixed seed).
         * Proximity search is not used: it stops on a clock, and the same
         * input must give the same answer on any machine. */
        iocp.fp_heur = on ? GLP_ON : GLP_OFF;
    }
    if (pg->deadline > 0)
        iocp.tm_lim = (ms = ms_left(pg->deadline)) ? ms : 1;
    pg->warm_used = false;
    pg->stopped = false;
    pg->nodes = 0;
    {
        double t0 = place__now();
        rc = glp_intopt(pg->P, &iocp);
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "stage (%s): glp_intopt returned %d after %.3f s, LP bound "
                   "%.6g",
                   dir == GLP_MAX ? "max" : "min", rc, place__now() - t0,
                   pg->stage_bound);
    }
    status = glp_mip_status(pg->P);
    if (rc == GLP_ETMLIM || rc == GLP_ESTOP || pg->stopped)
        *limited = true;
    else if (rc != 0 && rc != GLP_EMIPGAP)
        return place__error(pg->ctx, PLACE_ESOLVER, NULL,
                            "GLPK failed (glp_intopt returned %d)", rc);
    if (status == GLP_OPT || status == GLP_FEAS) {
        for (j = 1; j <= pg->ncols; j++)
            pg->sol[j] = round(glp_mip_col_val(pg->P, j));
        *value = objective_at(pg, pg->sol);
        if (status == GLP_OPT && !*limited)
            *bound = *value;
        else
            *bound = pg->have_bound ? pg->stage_bound : *value;
        if (pg->integral && *bound != *value)
            *bound = dir == GLP_MAX ? floor(*bound + 1e-6)
                                    : ceil(*bound - 1e-6);
        /* The warm start may be better than what a stopped search found. */
        if (pg->have_warm) {
            double wv = objective_at(pg, pg->warm);
            if (dir == GLP_MAX ? wv > *value : wv < *value) {
                memcpy(pg->sol, pg->warm, (size_t)(pg->ncols + 1) *
                                              sizeof *pg->sol);
                *value = wv;
            }
        }
        return PLACE_OK;
    }
    if (!*limited)
        return place__error(pg->ctx, PLACE_ESOLVER, NULL,
                            "GLPK found no integer solution (status %d)",
                            status);
use_warm:
    if (pg->have_warm)
        memcpy(pg->sol, pg->warm, (size_t)(pg->ncols + 1) * sizeof *pg->sol);
    else
        memset(pg->sol, 0, (size_t)(pg->ncols + 1) * sizeof *pg->sol);
    *value = objective_at(pg, pg->sol);
    *bound = pg->have_bound ? pg->stage_bound : *value;
    return PLACE_OK;
}

/* Keep the stage's value in later stages: a row over the objective. */
static void fix_stage(prog *pg, int dir, double value)
{
    int len = 0, j;
    double tol = 1e-6 * (fabs(value) > 1 ? fabs(value) : 1);
    for (j = 1; j <= pg->ncols; j++) {
        if (pg->obj[j] != 0) {
            pg->ind[++len] = j;
            pg->val[len] = pg->obj[j];
        }
    }
    if (len == 0)
        return;
    if (dir == GLP_MAX)
        add_row(pg, len, GLP_LO, value - tol, 0.0, "stage");
    else
        add_row(pg, len, GLP_UP, 0.0, value + tol, "stage");
}

static bool any_nonzero(const prog *pg)
{
    int j;
    for (j = 1; j <= pg->ncols; j++)
        if (pg->obj[j] != 0)
            return true;
    return false;
}

static void set_cost_objective(prog *pg)
{
    size_t p, k;
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++)
        pg->obj[p + 1] = pg->cost[p];
    for (k = 0; k < pg->ny; k++)
        pg->obj[pg->npairs + k + 1] =
            pg->m->targets[pg->ytarget[k]].cost * pg->m->policy.w_cost;
    /* a replica kept where it runs saves its move */
    for (k = 0; k < pg->nkeep; k++)
        pg->obj[pg->npairs + pg->ny + k + 1] = -pg->w_move;
}

/* The columns that follow from the pairs in a 1-based solution vector:
 * y (a target with a fixed cost is used) and kept replicas. */
static void set_aux(const prog *pg, double *v)
{
    size_t k, p;
    for (k = 0; k < pg->ny; k++)
        v[pg->npairs + k + 1] = 0.0;
    if (pg->ny)
        for (p = 0; p < pg->npairs; p++)
            if (v[p + 1] > 0.5)
                for (k = 0; k < pg->ny; k++)
                    if (pg->ytarget[k] == pg->pt[p])
                        v[pg->npairs + k + 1] = 1.0;
    for (k = 0; k < pg->nkeep; k++) {
        size_t q = pg->keep_pair[k];
        double c = (double)pg->cur[q];
        v[pg->npairs + pg->ny + k + 1] = v[q + 1] < c ? v[q + 1] : c;
    }
}

/* The program's pairs as the strategy sees them. */
static void pairs_of(const prog *pg, place__pairs *pairs)
{
    pairs->n = pg->npairs;
    pairs->w = pg->pw;
    pairs->t = pg->pt;
    pairs->ub = pg->ub;
    pairs->score = pg->score;
    pairs->cost = pg->cost;
    pairs->tcost = pg->tcost;
    pairs->cur = pg->nkeep ? pg->cur : NULL;
    pairs->move = pg->w_move;
    pairs->nseq = pg->opts ? pg->opts->nseq : 0;
    pairs->seq_w = pg->opts ? pg->opts->seq_w : NULL;
    pairs->seq_n = pg->opts ? pg->opts->seq_n : NULL;
    pairs->perm = pg->ix.perm;
    pairs->tstart = pg->ix.tstart;
    pairs->bytarget = pg->ix.bytarget;
}

/* The greedy placement: the first incumbent of every stage. */
static int run_greedy(prog *pg)
{
    place__pairs pairs;
    double t0 = place__now();
    int rc;
    pg->greedy = place__calloc(pg->ctx, pg->npairs + 1, sizeof *pg->greedy);
    if (!pg->greedy)
        return place__oom(pg->ctx);
    pairs_of(pg, &pg->ix);
    if ((rc = place__pairs_index(pg->ctx, pg->m, pg->cap, &pg->ix)))
        return rc;
    pairs_of(pg, &pairs);
    rc = place__greedy(pg->ctx, pg->m, pg->cap, &pairs, pg->deadline,
                       pg->greedy);
    if (rc == PLACE_OK) {
        int64_t placed = 0;
        double score = 0;
        size_t p;
        for (p = 0; p < pg->npairs; p++) {
            placed += pg->greedy[p];
            score += pg->score[p] * (double)pg->greedy[p];
        }
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "greedy: %lld replicas, score %.6g, %.3f s",
                   (long long)placed, score, place__now() - t0);
    }
    return rc;
}

/* Fill the incumbent with what still fits (before a stage: a stopped
 * search of a higher level must not leave the lower ones empty). */
static int fill_warm(prog *pg)
{
    place__pairs pairs;
    size_t p, k;
    int rc;
    int64_t *x = pg->greedy; /* scratch: the greedy is in warm already */
    int64_t *tmp = place__calloc(pg->ctx, pg->npairs + 1, sizeof *tmp);
    (void)x;
    if (!tmp)
        return place__oom(pg->ctx);
    for (p = 0; p < pg->npairs; p++)
        tmp[p] = (int64_t)llround(pg->warm[p + 1]);
    pairs_of(pg, &pairs);
    rc = place__greedy_fill(pg->ctx, pg->m, pg->cap, &pairs, tmp);
    if (rc == PLACE_OK) {
        for (p = 0; p < pg->npairs; p++)
            pg->warm[p + 1] = (double)tmp[p];
        (void)k;
        set_aux(pg, pg->warm);
    }
    place__free(pg->ctx, tmp);
    return rc;
}

typedef struct run_result {
    bool have_bound;        /* score_bound is an LP bound on score - cost */
    double score, score_bound;
    double cost, cost_bound;
    double placed;          /* replicas placed, all levels */
    bool placement_limited; /* a limit stopped a placement stage */
    bool limited;           /* a limit stopped any stage */
} run_result;

/* Keep the solution of a stage as the warm start of the next. */
static void keep_warm(prog *pg)
{
    memcpy(pg->warm, pg->sol, (size_t)(pg->ncols + 1) * sizeof *pg->sol);
    pg->have_warm = true;
}

/*
 * One staged solve on a fresh copy of the base program. With force_col > 0
 * that column is forced to at least force_lb (a regret re-solve). The
 * solution is left in pg->warm (pg->have_warm). Must run under the guard.
 */
static int run_stages(prog *pg, double gap, int force_col, double force_lb,
                      run_result *rr)
{
    const place__model *m = pg->m;
    size_t p, l;
    double value, bound;
    bool limited;
    int rc = PLACE_OK;

    memset(rr, 0, sizeof *rr);
    pg->P = glp_create_prob();
    glp_copy_prob(pg->P, pg->base, pg->names ? GLP_ON : GLP_OFF);
    pg->have_warm = false;
    memset(pg->warm, 0, (size_t)(pg->ncols + 1) * sizeof *pg->warm);
    if (force_col > 0) {
        double ub = glp_get_col_ub(pg->P, force_col);
        glp_set_col_bnds(pg->P, force_col, force_lb < ub ? GLP_DB : GLP_FX,
                         force_lb, ub);
    } else {
        /* the greedy placement is the first incumbent */
        for (p = 0; p < pg->npairs; p++)
            pg->warm[p + 1] = pg->greedy ? (double)pg->greedy[p] : 0.0;
        set_aux(pg, pg->warm);
        pg->have_warm = true;
    }

    /* 1. placed replicas, one priority level at a time, highest first */
    for (l = 0; l < pg->nlevels; l++) {
        if (pg->have_warm && (rc = fill_warm(pg)) != PLACE_OK)
            goto done;
        memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
        for (p = 0; p < pg->npairs; p++)
            if (m->workloads[pg->pw[p]].priority == pg->levels[l])
                pg->obj[p + 1] = 1.0;
        pg->have_bound = false;
        pg->integral = true;
        pg->cuts = true;
        if ((rc = solve_stage(pg, GLP_MAX, 0.0, &value, &bound, &limited)))
            goto done;
        rr->placement_limited |= limited;
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "placement level %d: %.6g replicas (bound %.6g)%s",
                   (int)pg->levels[l], value, bound,
                   limited ? ", stopped by a limit" : "");
        rr->placed += value;
        fix_stage(pg, GLP_MAX, value);
        keep_warm(pg);
    }

    /* 2. the soft score */
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    pg->integral = true;
    for (p = 0; p < pg->npairs; p++) {
        pg->obj[p + 1] = pg->score[p];
        if (pg->score[p] != floor(pg->score[p]))
            pg->integral = false;
    }
    if (any_nonzero(pg)) {
        pg->have_bound = false;
        pg->cuts = true;
        if ((rc = solve_stage(pg, GLP_MAX, gap, &value, &bound, &limited)))
            goto done;
        rr->limited |= limited;
        rr->score = value;
        rr->score_bound = bound;
        fix_stage(pg, GLP_MAX, value);
        keep_warm(pg);
    }

    /* 3. the cost */
    set_cost_objective(pg);
    pg->integral = false;
    if (any_nonzero(pg)) {
        pg->have_bound = false;
        if ((rc = solve_stage(pg, GLP_MIN, gap, &value, &bound, &limited)))
            goto done;
        rr->limited |= limited;
        rr->cost = value;
        rr->cost_bound = limited ? bound : value;
        fix_stage(pg, GLP_MIN, value);
        keep_warm(pg);
    }

    /* 4. ties: targets whose names sort first */
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++)
        pg->obj[p + 1] = (double)(pg->pt[p] + 1);
    pg->integral = true;
    pg->cuts = false;
    /* A tie-break is worth a search only on small programs; on larger ones
     * the incumbent, found in the canonical order, decides the ties. */
    if (pg->npairs && pg->npairs <= PLACE__TIE_STAGE_MAX_PAIRS) {
        pg->have_bound = false;
        if ((rc = solve_stage(pg, GLP_MIN, 0.0, &value, &bound, &limited)))
            goto done;
        keep_warm(pg);
    }
    rr->limited |= rr->placement_limited;
done:
    glp_delete_prob(pg->P);
    pg->P = NULL;
    return rc;
}

/* The objective weights of the single-objective form (export and LP
 * bounds): each priority level outweighs everything below it, the soft
 * score counts one for one, and the cost is scaled below one score point
 * so that the order is exact for integer scores. */
static void set_export_objective(prog *pg)
{
    const place__model *m = pg->m;
    double score_range = 0, cost_total = 0, weight;
    size_t p, k, l;

    for (p = 0; p < pg->npairs; p++) {
        score_range += fabs(pg->score[p]) * (double)pg->ub[p];
        cost_total += pg->cost[p] * (double)pg->ub[p];
    }
    for (k = 0; k < pg->ny; k++)
        cost_total += m->targets[pg->ytarget[k]].cost * m->policy.w_cost;
    for (k = 0; k < pg->nkeep; k++)
        cost_total += pg->w_move * (double)pg->cur[pg->keep_pair[k]];
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++)
        pg->obj[p + 1] = pg->score[p] -
                         (cost_total > 0 ? pg->cost[p] / (cost_total + 1) : 0);
    for (k = 0; k < pg->ny; k++)
        pg->obj[pg->npairs + k + 1] =
            -m->targets[pg->ytarget[k]].cost * m->policy.w_cost /
            (cost_total + 1);
    for (k = 0; k < pg->nkeep; k++)
        pg->obj[pg->npairs + pg->ny + k + 1] = pg->w_move / (cost_total + 1);
    /* priority levels from the lowest up */
    weight = score_range + 1;
    pg->placement_weight = weight;
    for (l = pg->nlevels; l-- > 0;) {
        double placed = 0;
        for (p = 0; p < pg->npairs; p++) {
            if (m->workloads[pg->pw[p]].priority == pg->levels[l]) {
                pg->obj[p + 1] += weight;
                placed += (double)pg->ub[p];
            }
        }
        weight *= placed + 1;
    }
}

/* The LP relaxation of the single-objective form: capacity duals and the
 * reduced cost of every pair. Must run under the guard. */
static int lp_sensitivity(prog *pg, place__arena *a, place__plan *out,
                          const double *solution, double *dj)
{
    glp_smcp smcp;
    size_t k;
    int j, rc;

    pg->P = glp_create_prob();
    glp_copy_prob(pg->P, pg->base, GLP_OFF);
    set_export_objective(pg);
    glp_set_obj_dir(pg->P, GLP_MAX);
    for (j = 1; j <= pg->ncols; j++)
        glp_set_obj_coef(pg->P, j, pg->obj[j]);
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    glp_scale_prob(pg->P, GLP_SF_AUTO);
    rc = glp_simplex(pg->P, &smcp);
    if (rc != 0 || glp_get_status(pg->P) != GLP_OPT) {
        glp_delete_prob(pg->P);
        pg->P = NULL;
        return place__error(pg->ctx, PLACE_ESOLVER, NULL,
                            "GLPK could not solve the LP relaxation for the "
                            "explanations (glp_simplex returned %d)", rc);
    }
    out->placement_weight = pg->placement_weight;
    out->ncaprows = pg->ncap;
    out->cap_t = place__arena_alloc(a, (pg->ncap + 1) * sizeof(size_t));
    out->cap_res = place__arena_alloc(a, (pg->ncap + 1) * sizeof(char *));
    out->cap_dual = place__arena_alloc(a, (pg->ncap + 1) * sizeof(double));
    if (!out->cap_t || !out->cap_res || !out->cap_dual) {
        glp_delete_prob(pg->P);
        pg->P = NULL;
        return place__oom(pg->ctx);
    }
    for (k = 0; k < pg->ncap; k++) {
        double d = glp_get_row_dual(pg->P, pg->caps[k].row);
        out->cap_t[k] = pg->caps[k].t;
        out->cap_res[k] = pg->caps[k].res;
        out->cap_dual[k] = fabs(d) < 1e-9 ? 0.0 : d;
    }
    for (j = 1; j <= pg->ncols; j++)
        dj[j] = glp_get_col_dual(pg->P, j);
    pg->lp_gap = glp_get_obj_val(pg->P) - objective_at(pg, solution);
    if (pg->lp_gap < 0)
        pg->lp_gap = 0;
    glp_delete_prob(pg->P);
    pg->P = NULL;
    return PLACE_OK;
}

/* A lower bound on a pair's regret from the LP relaxation: forcing one
 * replica onto the pair lowers the LP optimum by at least -dj (the LP value
 * is concave in the forced amount), and the integer optimum with the
 * replica forced is at most that LP value; so the integer regret is at
 * least -dj minus the LP's integrality gap at the placement found. Split
 * into replicas and score by the weights of the single-objective form. */
static void lp_regret(const prog *pg, double dj, double *regret,
                      int64_t *replicas)
{
    double loss = (dj < 0 ? -dj : 0) - pg->lp_gap;
    if (loss < 0)
        loss = 0;
    double w = pg->placement_weight > 0 ? pg->placement_weight : 1;
    double r = floor(loss / w + 1e-9);
    *replicas = (int64_t)r;
    *regret = loss - r * w;
    if (*regret < 1e-9)
        *regret = 0;
}

/* Regret of every pair; exact by re-solving while the budget lasts. */
static int regrets(prog *pg, const place__program_opts *opts, double gap,
                   const run_result *best, const double *solution,
                   const double *dj, place__plan *out)
{
    size_t p, tried = 0, exact = 0, bounded = 0;
    double budget_end;
    double best_obj = best->score - best->cost;
    bool use_exact;
    size_t candidates = 0;
    int rc;

    for (p = 0; p < pg->npairs; p++)
        if (solution[p + 1] < 0.5)
            candidates++;
    /* Exact re-solves in the auto mode only when the placement itself was
     * proven and they fit in the budget at the pace of the main solve. */
    use_exact = opts->regret_mode == 1 ||
                (opts->regret_mode == 0 && !best->limited &&
                 candidates <= 400 &&
                 pg->main_seconds * (double)candidates <= 5.0);
    /* exact re-solves get their own budget, within the caller's deadline */
    budget_end = place__now() + 5.0;
    if (pg->deadline > 0 && pg->deadline < budget_end)
        budget_end = pg->deadline;

    for (p = 0; p < pg->npairs; p++) {
        run_result fr;
        const place__workload *w = &pg->m->workloads[pg->pw[p]];
        double placed_w = 0;
        size_t q;
        out->regret_exact[p] = true;
        if (solution[p + 1] >= 0.5) {
            /* used: regret 0; for a workload with unplaced replicas, say
             * what one more replica here would cost */
            for (q = 0; q < pg->npairs; q++)
                if (pg->pw[q] == pg->pw[p])
                    placed_w += solution[q + 1];
            if (!use_exact || placed_w >= (double)w->replicas - 0.5 ||
                solution[p + 1] + 1 > (double)pg->ub[p] + 0.5 ||
                place__now() >= budget_end)
                continue;
            {
                double saved = pg->deadline;
                pg->deadline = budget_end;
                rc = run_stages(pg, gap, (int)p + 1, solution[p + 1] + 1,
                                &fr);
                pg->deadline = saved;
            }
            if (rc != PLACE_OK)
                return rc;
            if (!fr.limited) {
                out->has_more[p] = true;
                out->more_regret[p] = best_obj - (fr.score - fr.cost);
                if (fabs(out->more_regret[p]) < 1e-9)
                    out->more_regret[p] = 0;
                out->more_replicas[p] =
                    (int64_t)llround(best->placed - fr.placed);
            }
            continue;
        }
        if (use_exact && place__now() < budget_end) {
            double saved = pg->deadline;
            pg->deadline = budget_end;
            rc = run_stages(pg, gap, (int)p + 1, 1.0, &fr);
            pg->deadline = saved;
            if (rc != PLACE_OK)
                return rc;
            tried++;
            if (!fr.limited) {
                out->regret[p] = best_obj - (fr.score - fr.cost);
                if (fabs(out->regret[p]) < 1e-9)
                    out->regret[p] = 0;
                out->regret_replicas[p] =
                    (int64_t)llround(best->placed - fr.placed);
                exact++;
                continue;
            }
        }
        lp_regret(pg, dj[p + 1], &out->regret[p], &out->regret_replicas[p]);
        out->regret_exact[p] = false;
        bounded++;
    }
    (void)tried;
    out->regret_method = !use_exact     ? PLACE__REGRET_LP
                         : bounded == 0 ? PLACE__REGRET_EXACT
                         : exact == 0   ? PLACE__REGRET_LP
                                        : PLACE__REGRET_MIXED;
    return PLACE_OK;
}

/* ---- large programs: LP relaxation, rounding and repair -------------------- */

/* Placed replicas per level, score and cost (with fixed costs) of an
 * integer placement. levels_out has pg->nlevels entries. */
static void value_of(const prog *pg, const int64_t *x, double *levels_out,
                     double *score, double *cost, bool *used)
{
    size_t p, l;
    *score = *cost = 0;
    for (l = 0; l < pg->nlevels; l++)
        levels_out[l] = 0;
    if (used)
        memset(used, 0, (pg->nt + 1) * sizeof *used);
    for (p = 0; p < pg->npairs; p++) {
        int32_t pr;
        if (x[p] <= 0)
            continue;
        pr = pg->m->workloads[pg->pw[p]].priority;
        for (l = 0; l < pg->nlevels && pg->levels[l] != pr; l++)
            ;
        if (l < pg->nlevels)
            levels_out[l] += (double)x[p];
        *score += pg->score[p] * (double)x[p];
        *cost += pg->cost[p] * (double)x[p];
        if (used && pg->tcost && !used[pg->pt[p]]) {
            used[pg->pt[p]] = true;
            *cost += pg->tcost[pg->pt[p]];
        }
        if (pg->cur && pg->cur[p] > 0 && pg->w_move > 0)
            *cost -= pg->w_move *
                     (double)(x[p] < pg->cur[p] ? x[p] : pg->cur[p]);
    }
}

typedef struct large {
    prog *pg;
    int64_t *best, *cand;
    double *lv_best, *lv_cand;
    double best_score, best_cost, cand_score, cand_cost;
    bool *used;
    const char *method;
} large;

/* Keep cand when it is better than best: placed replicas level by level
 * from the highest priority, then the score, then the cost. */
static void consider(large *lg, const char *method)
{
    prog *pg = lg->pg;
    size_t l;
    int cmp = 0;
    value_of(pg, lg->cand, lg->lv_cand, &lg->cand_score, &lg->cand_cost,
             lg->used);
    for (l = 0; l < pg->nlevels && cmp == 0; l++)
        if (lg->lv_cand[l] != lg->lv_best[l])
            cmp = lg->lv_cand[l] > lg->lv_best[l] ? 1 : -1;
    if (cmp == 0) {
        double tol = 1e-9 * (fabs(lg->best_score) + 1);
        if (lg->cand_score > lg->best_score + tol)
            cmp = 1;
        else if (lg->cand_score < lg->best_score - tol)
            cmp = -1;
        else if (lg->cand_cost < lg->best_cost - 1e-9 * (lg->best_cost + 1))
            cmp = 1;
    }
    {
        char lv[160];
        size_t o = 0;
        lv[0] = '\0';
        for (l = 0; l < pg->nlevels && o < sizeof lv - 40; l++)
            o += (size_t)snprintf(lv + o, sizeof lv - o, "%s%d:%.0f/%.0f",
                                  l ? " " : "", (int)pg->levels[l],
                                  lg->lv_cand[l], lg->lv_best[l]);
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "%s: placed per level (vs best) %s, score %.6g, cost "
                   "%.6g%s", method, lv, lg->cand_score, lg->cand_cost,
                   cmp > 0 ? " (better)" : "");
    }
    if (cmp > 0) {
        memcpy(lg->best, lg->cand, pg->npairs * sizeof *lg->best);
        memcpy(lg->lv_best, lg->lv_cand, pg->nlevels * sizeof *lg->lv_best);
        lg->best_score = lg->cand_score;
        lg->best_cost = lg->cand_cost;
        lg->method = method;
    }
}

/* The LP relaxation of pg->P with the objective in pg->obj (maximised),
 * from the current basis. False when it could not be solved in time. */
static bool lp_max(prog *pg, double *value)
{
    glp_smcp smcp;
    int j, rc;

    glp_set_obj_dir(pg->P, GLP_MAX);
    for (j = 1; j <= pg->ncols; j++)
        glp_set_obj_coef(pg->P, j, pg->obj[j]);
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.presolve = GLP_OFF;
    if (pg->deadline > 0 && !(smcp.tm_lim = ms_left(pg->deadline)))
        return false;
    rc = glp_simplex(pg->P, &smcp);
    if (rc != 0 && rc != GLP_ETMLIM) {
        /* a singular basis after a change: start again from the standard
         * one */
        glp_std_basis(pg->P);
        rc = glp_simplex(pg->P, &smcp);
    }
    if (rc != 0 || glp_get_status(pg->P) != GLP_OPT)
        return false;
    *value = glp_get_obj_val(pg->P);
    return true;
}

/* ---- column generation: the LP over every pair, columns added as they
 * price out ---------------------------------------------------------------- */

/* Programs with more pairs than this are never built whole: their LPs
 * start from the greedy's pairs and each workload's best ones, and add the
 * pairs whose reduced cost says they would improve the LP, until none
 * does (then the LP value is that of the whole program). */
#define PLACE__CG_MIN_PAIRS 20000

typedef struct cg {
    prog *pg;
    glp_prob *R;
    int *col_of;      /* per full column j (1-based): column in R, 0 */
    int *full_of;     /* per column of R: full column */
    int ncolcap;
    int *wrow;        /* per workload: row of its replicas, 0 none */
    int *caprow;      /* per target x resource (cap->dense's index) */
    size_t maxreq;    /* requests per workload, at most */
    long *ridx;       /* per workload x maxreq: dense index of requests */
    int64_t *rval;
    size_t *rn;       /* per workload: its requests */
    int *userow;      /* per target: row of its fixed cost, 0 none */
    int *keeprow;     /* per pair: row of its kept replicas, 0 none */
    int *levelrow;    /* per level: row, 0 none */
    double *most;     /* per target: replicas that could go there */
    double objmax;    /* largest |objective| of a column */
    double *usage;    /* per target x resource: what the LP puts there */
    int *newrow;      /* per target x resource: row added this round */
    unsigned char *needed; /* per target x resource: some pair asks */
    double *dual;     /* per row of R, 1-based */
    size_t *cand;
    double *cand_d;
    int *lvl;         /* per pair: its level */
} cg;

static void cg_free(cg *c)
{
    place_ctx *ctx = c->pg->ctx;
    if (c->R)
        glp_delete_prob(c->R);
    place__free(ctx, c->col_of);
    place__free(ctx, c->full_of);
    place__free(ctx, c->wrow);
    place__free(ctx, c->caprow);
    place__free(ctx, c->usage);
    place__free(ctx, c->newrow);
    place__free(ctx, c->needed);
    place__free(ctx, c->ridx);
    place__free(ctx, c->rval);
    place__free(ctx, c->rn);
    place__free(ctx, c->userow);
    place__free(ctx, c->keeprow);
    place__free(ctx, c->levelrow);
    place__free(ctx, c->most);
    place__free(ctx, c->dual);
    place__free(ctx, c->cand);
    place__free(ctx, c->cand_d);
    place__free(ctx, c->lvl);
    memset(c, 0, sizeof *c);
}

/* The column of pair p, into pg->ind/val (1-based); its length. */
static int cg_column(const cg *c, size_t p)
{
    const prog *pg = c->pg;
    size_t w = pg->pw[p], t = pg->pt[p], i, nres = pg->cap->nres;
    const long *idx = c->ridx + w * c->maxreq;
    const int64_t *val = c->rval + w * c->maxreq;
    int len = 0;
    if (c->wrow[w]) {
        pg->ind[++len] = c->wrow[w];
        pg->val[len] = 1.0;
    }
    for (i = 0; i < c->rn[w]; i++) {
        int r;
        if (idx[i] < 0 || !(r = c->caprow[t * nres + (size_t)idx[i]]))
            continue;
        pg->ind[++len] = r;
        pg->val[len] = (double)val[i];
    }
    if (c->userow[t]) {
        pg->ind[++len] = c->userow[t];
        pg->val[len] = 1.0;
    }
    if (c->keeprow[p]) {
        pg->ind[++len] = c->keeprow[p];
        pg->val[len] = -1.0;
    }
    if (c->levelrow && c->levelrow[c->lvl[p]]) {
        pg->ind[++len] = c->levelrow[c->lvl[p]];
        pg->val[len] = 1.0;
    }
    return len;
}

/* Add full column j (a pair, y or keep) to R. */
static void cg_add(cg *c, int j)
{
    prog *pg = c->pg;
    int col, len;
    if (c->col_of[j])
        return;
    col = glp_add_cols(c->R, 1);
    c->col_of[j] = col;
    c->full_of[col] = j;
    if ((size_t)j <= pg->npairs) {
        size_t p = (size_t)j - 1;
        glp_set_col_bnds(c->R, col, GLP_DB, 0.0, (double)pg->ub[p]);
        len = cg_column(c, p);
    } else if ((size_t)j <= pg->npairs + pg->ny) {
        size_t k = (size_t)j - pg->npairs - 1, t = pg->ytarget[k];
        glp_set_col_bnds(c->R, col, GLP_DB, 0.0, 1.0);
        pg->ind[1] = c->userow[t];
        pg->val[1] = -c->most[t];
        len = 1;
        {
            size_t r2, nres = pg->cap->nres;
            for (r2 = 0; r2 < nres; r2++)
                if (c->caprow[t * nres + r2]) {
                    pg->ind[++len] = c->caprow[t * nres + r2];
                    pg->val[len] = -(double)pg->cap->dense[t * nres + r2];
                }
        }
    } else {
        size_t k = (size_t)j - pg->npairs - pg->ny - 1;
        size_t q = pg->keep_pair[k];
        double most = (double)(pg->cur[q] < pg->ub[q] ? pg->cur[q]
                                                      : pg->ub[q]);
        glp_set_col_bnds(c->R, col, GLP_DB, 0.0, most);
        pg->ind[1] = c->keeprow[q];
        pg->val[1] = 1.0;
        len = 1;
    }
    glp_set_mat_col(c->R, col, len, pg->ind, pg->val);
    glp_set_obj_coef(c->R, col, pg->obj[j]);
}

/* Bounds of capacity row r of slot k (target x resource); a target with
 * a fixed cost has its capacity only when used (-free on its y). */
static void cg_cap_row(cg *c, int r, size_t k)
{
    prog *pg = c->pg;
    size_t t = k / pg->cap->nres;
    double free = (double)pg->cap->dense[k];
    int yc = ycol_of(pg, t);
    if (!yc) {
        glp_set_row_bnds(c->R, r, GLP_UP, 0.0, free);
        return;
    }
    glp_set_row_bnds(c->R, r, GLP_UP, 0.0, 0.0);
    if (c->col_of[yc]) { /* else cg_add puts it there with the column */
        int col = c->col_of[yc], len;
        len = glp_get_mat_col(c->R, col, pg->ind, pg->val);
        pg->ind[++len] = r;
        pg->val[len] = -free;
        glp_set_mat_col(c->R, col, len, pg->ind, pg->val);
    }
}

static int cg_init(prog *pg, cg *c, const int64_t *x)
{
    place_ctx *ctx = pg->ctx;
    size_t p, t, n = 0, k, w;
    int r;

    memset(c, 0, sizeof *c);
    c->pg = pg;
    c->col_of = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *c->col_of);
    c->full_of = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *c->full_of);
    c->wrow = place__calloc(ctx, pg->m->nworkloads + 1, sizeof *c->wrow);
    c->userow = place__calloc(ctx, pg->nt + 1, sizeof *c->userow);
    c->keeprow = place__calloc(ctx, pg->npairs + 1, sizeof *c->keeprow);
    c->cand = place__calloc(ctx, pg->npairs + 1, sizeof *c->cand);
    c->cand_d = place__calloc(ctx, pg->npairs + 1, sizeof *c->cand_d);
    c->lvl = place__calloc(ctx, pg->npairs + 1, sizeof *c->lvl);
    c->most = place__calloc(ctx, pg->nt + 1, sizeof *c->most);
    if (!c->most)
        return place__oom(ctx);
    for (p = 0; p < pg->npairs; p++)
        c->most[pg->pt[p]] += (double)pg->ub[p];
    if (!c->col_of || !c->full_of || !c->wrow || !c->userow ||
        !c->keeprow || !c->cand || !c->cand_d || !c->lvl)
        return place__oom(ctx);
    n = pg->nt * pg->cap->nres;
    c->caprow = place__calloc(ctx, n + 1, sizeof *c->caprow);
    c->maxreq = 1;
    for (w = 0; w < pg->m->nworkloads; w++)
        if (pg->m->workloads[w].requests.count > c->maxreq)
            c->maxreq = pg->m->workloads[w].requests.count;
    c->ridx = place__calloc(ctx, pg->m->nworkloads * c->maxreq + 1,
                            sizeof *c->ridx);
    c->rval = place__calloc(ctx, pg->m->nworkloads * c->maxreq + 1,
                            sizeof *c->rval);
    c->rn = place__calloc(ctx, pg->m->nworkloads + 1, sizeof *c->rn);
    if (!c->caprow || !c->ridx || !c->rval || !c->rn)
        return place__oom(ctx);
    for (w = 0; w < pg->m->nworkloads; w++)
        c->rn[w] = place__requests_dense(pg->cap, &pg->m->workloads[w],
                                         c->ridx + w * c->maxreq,
                                         c->rval + w * c->maxreq);
    for (p = 0; p < pg->npairs; p++) {
        size_t l;
        for (l = 0; l < pg->nlevels; l++)
            if (pg->levels[l] == pg->m->workloads[pg->pw[p]].priority)
                c->lvl[p] = (int)l;
    }
    c->R = glp_create_prob();
    /* rows: replicas per workload */
    for (p = 0; p < pg->npairs; p++) {
        w = pg->pw[p];
        if (!c->wrow[w]) {
            r = glp_add_rows(c->R, 1);
            glp_set_row_bnds(c->R, r, GLP_UP, 0.0,
                             (double)pg->m->workloads[w].replicas);
            c->wrow[w] = r;
        }
    }
    /* capacity rows where the placement x uses half or more; the others
     * come in when an LP solution overfills them (cg_separate) */
    c->usage = place__calloc(ctx, n + 1, sizeof *c->usage);
    c->newrow = place__calloc(ctx, n + 1, sizeof *c->newrow);
    if (!c->usage || !c->newrow)
        return place__oom(ctx);
    c->needed = place__calloc(ctx, n + 1, sizeof *c->needed);
    if (!c->needed)
        return place__oom(ctx);
    for (p = 0; p < pg->npairs && pg->ny; p++) {
        size_t wq = pg->pw[p], nres = pg->cap->nres;
        t = pg->pt[p];
        for (k = 0; k < c->rn[wq]; k++) {
            long ri = c->ridx[wq * c->maxreq + k];
            if (ri >= 0)
                c->needed[t * nres + (size_t)ri] = 1;
        }
    }
    for (p = 0; p < pg->npairs; p++) {
        size_t wq = pg->pw[p], nres = pg->cap->nres;
        if (x[p] <= 0)
            continue;
        t = pg->pt[p];
        for (k = 0; k < c->rn[wq]; k++) {
            long ri = c->ridx[wq * c->maxreq + k];
            if (ri >= 0)
                c->usage[t * nres + (size_t)ri] +=
                    (double)x[p] * (double)c->rval[wq * c->maxreq + k];
        }
    }
    for (k = 0; k < n; k++) {
        int64_t free = pg->cap->dense[k];
        /* a target with a fixed cost has every row from the start: its
         * capacity comes with its y */
        bool fixed = ycol_of(pg, k / pg->cap->nres) != 0 && c->needed[k];
        if (free == INT64_MAX ||
            (!fixed && (c->usage[k] < 0.9 * (double)free ||
                        c->usage[k] <= 0)))
            continue;
        r = glp_add_rows(c->R, 1);
        cg_cap_row(c, r, k);
        c->caprow[k] = r;
    }
    for (k = 0; k < pg->ny; k++) {
        r = glp_add_rows(c->R, 1);
        glp_set_row_bnds(c->R, r, GLP_UP, 0.0, 0.0);
        c->userow[pg->ytarget[k]] = r;
    }
    for (k = 0; k < pg->nkeep; k++) {
        r = glp_add_rows(c->R, 1);
        glp_set_row_bnds(c->R, r, GLP_UP, 0.0, 0.0);
        c->keeprow[pg->keep_pair[k]] = r;
    }
    /* columns: y and keep, the pairs the placement x uses, kept pairs,
     * and each workload's three best pairs by the current objective */
    for (k = 0; k < pg->ny + pg->nkeep; k++)
        cg_add(c, (int)(pg->npairs + k) + 1);
    for (p = 0; p < pg->npairs; p++)
        if (x[p] > 0 || c->keeprow[p])
            cg_add(c, (int)p + 1);
    for (p = 0; p < pg->npairs;) {
        size_t q = p, best[3] = {SIZE_MAX, SIZE_MAX, SIZE_MAX}, b;
        for (; q < pg->npairs && pg->pw[q] == pg->pw[p]; q++) {
            for (b = 0; b < 3; b++)
                if (best[b] == SIZE_MAX || pg->obj[q + 1] > pg->obj[best[b] + 1]) {
                    memmove(&best[b + 1], &best[b], (2 - b) * sizeof *best);
                    best[b] = q;
                    break;
                }
        }
        for (b = 0; b < 3; b++)
            if (best[b] != SIZE_MAX)
                cg_add(c, (int)best[b] + 1);
        p = q;
    }
    return PLACE_OK;
}

/* Rows keeping at least lv[l] replicas placed per level. */
static int cg_add_levels(cg *c, const double *lv)
{
    prog *pg = c->pg;
    size_t l, p;
    if (c->levelrow) {
        for (l = 0; l < pg->nlevels; l++)
            if (c->levelrow[l])
                glp_set_row_bnds(c->R, c->levelrow[l], GLP_LO, lv[l], 0.0);
        return PLACE_OK;
    }
    c->levelrow = place__calloc(pg->ctx, pg->nlevels + 1, sizeof *c->levelrow);
    if (!c->levelrow)
        return place__oom(pg->ctx);
    for (l = 0; l < pg->nlevels; l++) {
        int r, len = 0, j;
        r = glp_add_rows(c->R, 1);
        glp_set_row_bnds(c->R, r, GLP_LO, lv[l], 0.0);
        c->levelrow[l] = r;
        for (j = 1; j <= glp_get_num_cols(c->R); j++) {
            int full = c->full_of[j];
            if ((size_t)full <= pg->npairs && c->lvl[full - 1] == (int)l) {
                pg->ind[++len] = j;
                pg->val[len] = 1.0;
            }
        }
        glp_set_mat_row(c->R, r, len, pg->ind, pg->val);
    }
    (void)p;
    return PLACE_OK;
}

/* Capacity rows the LP solution overfills: added with the coefficients
 * of the columns in R. Returns how many. */
static size_t cg_separate(cg *c)
{
    prog *pg = c->pg;
    size_t nres = pg->cap->nres, n = pg->nt * nres, k, added = 0, i;
    int j, ncols = glp_get_num_cols(c->R);
    memset(c->usage, 0, (n + 1) * sizeof *c->usage);
    for (j = 1; j <= ncols; j++) {
        int full = c->full_of[j];
        size_t p, w, t;
        double xv;
        if ((size_t)full > pg->npairs)
            continue;
        xv = glp_get_col_prim(c->R, j);
        if (xv <= 1e-9)
            continue;
        p = (size_t)full - 1;
        w = pg->pw[p];
        t = pg->pt[p];
        for (i = 0; i < c->rn[w]; i++) {
            long ri = c->ridx[w * c->maxreq + i];
            if (ri >= 0)
                c->usage[t * nres + (size_t)ri] +=
                    xv * (double)c->rval[w * c->maxreq + i];
        }
    }
    for (k = 0; k < n; k++) {
        double free = (double)pg->cap->dense[k];
        c->newrow[k] = 0;
        if (c->caprow[k] || pg->cap->dense[k] == INT64_MAX ||
            c->usage[k] <= free + 1e-7 * (free + 1))
            continue;
        c->newrow[k] = glp_add_rows(c->R, 1);
        cg_cap_row(c, c->newrow[k], k);
        c->caprow[k] = c->newrow[k];
        added++;
    }
    if (!added)
        return 0;
    /* the coefficients, one column at a time */
    for (j = 1; j <= ncols; j++) {
        int full = c->full_of[j], len;
        size_t p, w, t;
        bool touches = false;
        if ((size_t)full > pg->npairs)
            continue;
        p = (size_t)full - 1;
        w = pg->pw[p];
        t = pg->pt[p];
        for (i = 0; i < c->rn[w] && !touches; i++) {
            long ri = c->ridx[w * c->maxreq + i];
            touches = ri >= 0 && c->newrow[t * nres + (size_t)ri];
        }
        if (!touches)
            continue;
        len = cg_column(c, p);
        glp_set_mat_col(c->R, j, len, pg->ind, pg->val);
    }
    place__log(pg->ctx, PLACE_LOG_DEBUG,
               "column generation: %zu capacity rows added", added);
    return added;
}

/* The LP with the objective in pg->obj, over every pair. */
static bool cg_max(cg *c, double *value)
{
    prog *pg = c->pg;
    glp_smcp smcp;
    int j, rc, iter, nrows;
    size_t p, batch = pg->m->nworkloads > 2000 ? pg->m->nworkloads : 2000;
    double t_start;

    glp_set_obj_dir(c->R, GLP_MAX);
    for (j = 1; j <= glp_get_num_cols(c->R); j++)
        glp_set_obj_coef(c->R, j, pg->obj[c->full_of[j]]);
    c->objmax = 0;
    for (j = 1; j <= pg->ncols; j++)
        if (fabs(pg->obj[j]) > c->objmax)
            c->objmax = fabs(pg->obj[j]);
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    t_start = place__now();
    for (iter = 0; iter < 200; iter++) {
        size_t ncand = 0, i;
        double tol;
        if (pg->deadline > 0 && !(smcp.tm_lim = ms_left(pg->deadline)))
            return false;
        glp_scale_prob(c->R, GLP_SF_AUTO);
        rc = glp_simplex(c->R, &smcp);
        if (rc != 0 && rc != GLP_ETMLIM) {
            glp_std_basis(c->R);
            rc = glp_simplex(c->R, &smcp);
        }
        if (rc != 0 || glp_get_status(c->R) != GLP_OPT) {
            place__log(pg->ctx, PLACE_LOG_DEBUG,
                       "column generation: glp_simplex returned %d, "
                       "status %d", rc, glp_get_status(c->R));
            return false;
        }
        if (cg_separate(c) > 0)
            continue;
        nrows = glp_get_num_rows(c->R);
        place__free(pg->ctx, c->dual);
        c->dual = place__calloc(pg->ctx, (size_t)nrows + 2, sizeof *c->dual);
        if (!c->dual)
            return false;
        for (j = 1; j <= nrows; j++)
            c->dual[j] = glp_get_row_dual(c->R, j);
        /* price every pair not in R */
        tol = 1e-7 * (c->objmax + 1);
        for (p = 0; p < pg->npairs; p++) {
            double d;
            int len, k;
            if (c->col_of[p + 1])
                continue;
            d = pg->obj[p + 1];
            if (d <= 0 && !c->levelrow)
                continue; /* every dual is >= 0: nothing to gain */
            len = cg_column(c, p);
            for (k = 1; k <= len; k++)
                d -= pg->val[k] * c->dual[pg->ind[k]];
            if (d > tol) {
                c->cand[ncand] = p;
                c->cand_d[ncand] = d;
                ncand++;
            }
        }
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "column generation: %d columns, LP %.9g, %zu price out "
                   "(%.3f s)",
                   glp_get_num_cols(c->R), glp_get_obj_val(c->R), ncand,
                   place__now() - t_start);
        if (ncand == 0) {
            *value = glp_get_obj_val(c->R);
            return true;
        }
        if (ncand > batch) {
            /* the best ones: a threshold from a partial selection */
            double *d = place__calloc(pg->ctx, ncand, sizeof *d), cut;
            size_t kept = 0;
            if (!d)
                return false;
            memcpy(d, c->cand_d, ncand * sizeof *d);
            qsort(d, ncand, sizeof *d, cmp_double_desc);
            cut = d[batch - 1];
            place__free(pg->ctx, d);
            for (i = 0; i < ncand && kept < batch; i++)
                if (c->cand_d[i] >= cut) {
                    cg_add(c, (int)c->cand[i] + 1);
                    kept++;
                }
        } else {
            for (i = 0; i < ncand; i++)
                cg_add(c, (int)c->cand[i] + 1);
        }
    }
    return false;
}

/* The LP's value of every pair (0 for pairs not in R). */
static void cg_primal(const cg *c, double *xlp)
{
    const prog *pg = c->pg;
    size_t p;
    for (p = 0; p < pg->npairs; p++)
        xlp[p] = c->col_of[p + 1] ? glp_get_col_prim(c->R, c->col_of[p + 1])
                                  : 0.0;
}

/* Round the LP solution of pg->P down, make it fit exactly, fill and
 * improve it: a candidate placement in lg->cand. */
static int round_lp(large *lg, const double *xlp)
{
    prog *pg = lg->pg;
    place__pairs pairs;
    int64_t removed;
    size_t p;
    int rc;
    for (p = 0; p < pg->npairs; p++) {
        double v = floor(xlp[p] + 1e-6);
        lg->cand[p] = v < 0 ? 0 : (v > (double)pg->ub[p] ? pg->ub[p]
                                                         : (int64_t)v);
    }
    pairs_of(pg, &pairs);
    rc = place__repair(pg->ctx, pg->m, pg->cap, &pairs, lg->cand, &removed);
    if (rc == PLACE_OK)
        rc = place__greedy_improve(pg->ctx, pg->m, pg->cap, &pairs,
                                   pg->deadline, lg->cand);
    return rc;
}

/*
 * Programs too large for branch and bound: the greedy placement, then the
 * LP relaxation of the single-objective form rounded down, repaired and
 * improved; the better of the two. Bounds: the LP of placed replicas (an
 * upper bound on what any placement places) and the LP of score - cost
 * among placements that place at least as many replicas at every level as
 * the one found. Must run under the guard.
 */
/* The objective that guides the rounding of large programs: a placed
 * replica is worth more than any score difference, and a level twice the
 * one below. Not lexicographic like set_export_objective (whose weights
 * are too far apart for the simplex to see score differences on large
 * programs): the bounds come from their own LPs. */
static void set_guide_objective(prog *pg)
{
    double hi = 0, lo = 0, w;
    size_t p, l, k;
    for (p = 0; p < pg->npairs; p++) {
        double v = pg->score[p] - pg->cost[p];
        if (p == 0 || v > hi)
            hi = v;
        if (p == 0 || v < lo)
            lo = v;
    }
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++) {
        for (l = 0; l < pg->nlevels; l++)
            if (pg->levels[l] == pg->m->workloads[pg->pw[p]].priority)
                break;
        w = (hi - lo + 1) * (double)(1u << (pg->nlevels - 1 - l < 20
                                                ? pg->nlevels - 1 - l
                                                : 20));
        pg->obj[p + 1] = w + pg->score[p] - pg->cost[p];
    }
    for (k = 0; k < pg->ny; k++)
        pg->obj[pg->npairs + k + 1] = -pg->tcost[pg->ytarget[k]];
    for (k = 0; k < pg->nkeep; k++)
        pg->obj[pg->npairs + pg->ny + k + 1] = pg->w_move;
}

/* A scaled copy of the base program in pg->P, for its LPs. */
static void lp_copy(prog *pg)
{
    pg->P = glp_create_prob();
    glp_copy_prob(pg->P, pg->base, GLP_OFF);
    glp_scale_prob(pg->P, GLP_SF_AUTO);
}

/* The objective "as many replicas as possible". */
static void set_placed_objective(prog *pg)
{
    size_t p;
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++)
        pg->obj[p + 1] = 1.0;
}

/* The LPs of run_large: on a copy of the whole program, or by column
 * generation when the program is not built whole. */
typedef struct lpb {
    prog *pg;
    cg *c;        /* NULL: pg->P */
    double *xlp;  /* per pair */
    int *lvrow;   /* per level: row in pg->P, 0 none */
} lpb;

static bool lpb_max(lpb *b, double *value)
{
    return b->c ? cg_max(b->c, value) : lp_max(b->pg, value);
}

static void lpb_primal(lpb *b)
{
    size_t p;
    if (b->c) {
        cg_primal(b->c, b->xlp);
        return;
    }
    for (p = 0; p < b->pg->npairs; p++)
        b->xlp[p] = glp_get_col_prim(b->pg->P, (int)p + 1);
}

static int lpb_levels(lpb *b, const double *lv)
{
    prog *pg = b->pg;
    size_t l, p;
    if (b->c)
        return cg_add_levels(b->c, lv);
    for (l = 0; l < pg->nlevels; l++) {
        int len = 0;
        if (b->lvrow[l]) {
            glp_set_row_bnds(pg->P, b->lvrow[l], GLP_LO, lv[l], 0.0);
            continue;
        }
        for (p = 0; p < pg->npairs; p++)
            if (pg->m->workloads[pg->pw[p]].priority == pg->levels[l]) {
                pg->ind[++len] = (int)p + 1;
                pg->val[len] = 1.0;
            }
        if (len) {
            add_row(pg, len, GLP_LO, lv[l], 0.0, "level");
            b->lvrow[l] = glp_get_num_rows(pg->P);
        }
    }
    return PLACE_OK;
}

/* The LP bound on score - cost among the placements that place at least
 * as many replicas per level as the best one; with round, its solution
 * rounded is a candidate too. */
static int score_bound(lpb *b, large *lg, run_result *rr, bool round)
{
    prog *pg = b->pg;
    double value;
    size_t p, l;
    int rc;
    if (b->c)
        for (p = 0; p < pg->npairs; p++)
            if (lg->best[p] > 0)
                cg_add(b->c, (int)p + 1);
    if ((rc = lpb_levels(b, lg->lv_best)) != PLACE_OK)
        return rc;
    memset(pg->obj, 0, (size_t)(pg->ncols + 2) * sizeof *pg->obj);
    for (p = 0; p < pg->npairs; p++)
        pg->obj[p + 1] = pg->score[p] - pg->cost[p];
    for (l = 0; l < pg->ny; l++)
        pg->obj[pg->npairs + l + 1] = -pg->tcost[pg->ytarget[l]];
    for (l = 0; l < pg->nkeep; l++)
        pg->obj[pg->npairs + pg->ny + l + 1] = pg->w_move;
    if (!lpb_max(b, &value))
        return PLACE_OK;
    rr->score_bound = value;
    rr->have_bound = true;
    if (round) {
        lpb_primal(b);
        if ((rc = round_lp(lg, b->xlp)) != PLACE_OK)
            return rc;
        consider(lg, "lp-rounding");
    }
    return PLACE_OK;
}

/* Is the best placement proven: no placement places more (all placed, or
 * the most any placement places, with one priority level) and its score -
 * cost meets the bound? */
static bool proven(const prog *pg, const large *lg, const run_result *rr,
                   double placed_bound)
{
    double want = 0, total = 0;
    size_t l;
    for (l = 0; l < pg->nlevels; l++)
        total += lg->lv_best[l];
    for (l = 0; l < pg->m->nworkloads; l++) {
        const place__workload *w = &pg->m->workloads[l];
        if (!w->node_name)
            want += (double)w->replicas;
    }
    if (!(total >= want || (pg->nlevels == 1 && placed_bound >= 0 &&
                            total >= placed_bound)))
        return false;
    return rr->have_bound &&
           lg->best_score - lg->best_cost >=
               rr->score_bound - 1e-6 * (fabs(rr->score_bound) + 1);
}

static int run_large(prog *pg, run_result *rr, double *placed_bound)
{
    large lg;
    lpb b;
    cg c;
    double value, total = 0;
    size_t p, l;
    int rc = PLACE_OK;

    memset(&lg, 0, sizeof lg);
    memset(&c, 0, sizeof c);
    memset(rr, 0, sizeof *rr);
    *placed_bound = -1;
    lg.pg = pg;
    b.pg = pg;
    b.c = pg->base ? NULL : &c;
    b.lvrow = NULL;
    b.xlp = place__calloc(pg->ctx, pg->npairs + 1, sizeof *b.xlp);
    lg.best = place__calloc(pg->ctx, pg->npairs + 1, sizeof *lg.best);
    lg.cand = place__calloc(pg->ctx, pg->npairs + 1, sizeof *lg.cand);
    lg.lv_best = place__calloc(pg->ctx, pg->nlevels + 1, sizeof(double));
    lg.lv_cand = place__calloc(pg->ctx, pg->nlevels + 1, sizeof(double));
    lg.used = place__calloc(pg->ctx, pg->nt + 1, sizeof *lg.used);
    if (!b.xlp || !lg.best || !lg.cand || !lg.lv_best || !lg.lv_cand ||
        !lg.used) {
        rc = place__oom(pg->ctx);
        goto done;
    }
    memcpy(lg.best, pg->greedy, pg->npairs * sizeof *lg.best);
    value_of(pg, lg.best, lg.lv_best, &lg.best_score, &lg.best_cost,
             lg.used);
    lg.method = "greedy";
    /* with a current placement, it is a candidate too (made to fit, then
     * filled and improved): re-solving must not move more than it gains */
    if (pg->nkeep) {
        for (p = 0; p < pg->npairs; p++)
            b.xlp[p] = pg->cur ? (double)pg->cur[p] : 0.0;
        if ((rc = round_lp(&lg, b.xlp)) != PLACE_OK)
            goto done;
        consider(&lg, "current");
        if (strcmp(lg.method, "current") == 0)
            lg.method = "greedy";
    }

    b.lvrow = place__calloc(pg->ctx, pg->nlevels + 1, sizeof *b.lvrow);
    if (!b.lvrow) {
        rc = place__oom(pg->ctx);
        goto done;
    }
    set_guide_objective(pg);
    if (b.c) {
        double t0 = place__now();
        if ((rc = cg_init(pg, &c, lg.best)) != PLACE_OK)
            goto done;
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "column generation: %d rows, %d columns to start, %.3f s",
                   glp_get_num_rows(c.R), glp_get_num_cols(c.R),
                   place__now() - t0);
    } else {
        lp_copy(pg);
    }

    /* 1. the most replicas any placement puts */
    set_placed_objective(pg);
    if (lpb_max(&b, &value))
        *placed_bound = floor(value + 1e-6);

    /* 2. the bound on score - cost for the greedy's placement, which may
     * prove it optimal already: when it places every replica */
    {
        double want = 0, have = 0;
        for (l = 0; l < pg->nlevels; l++)
            have += lg.lv_best[l];
        for (l = 0; l < pg->m->nworkloads; l++)
            if (!pg->m->workloads[l].node_name)
                want += (double)pg->m->workloads[l].replicas;
        /* (cheap on smaller programs, where the bound's columns also
         * help the rounding below) */
        if ((have >= want || pg->npairs <= 100000) &&
            (rc = score_bound(&b, &lg, rr, false)) != PLACE_OK)
            goto done;
    }
    if (!proven(pg, &lg, rr, *placed_bound)) {
        /* 3. where the LP puts the replicas, rounded */
        double t0 = place__now();
        bool ok;
        set_guide_objective(pg);
        ok = lpb_max(&b, &value);
        place__log(pg->ctx, PLACE_LOG_DEBUG,
                   "LP (guide): %s in %.3f s", ok ? "solved" : "not solved",
                   place__now() - t0);
        if (ok) {
            lpb_primal(&b);
            if ((rc = round_lp(&lg, b.xlp)) != PLACE_OK)
                goto done;
            consider(&lg, "lp-rounding");
        }
        /* 4. the bound again, for the placement now best, and its
         * rounding */
        if (!proven(pg, &lg, rr, *placed_bound) &&
            (rc = score_bound(&b, &lg, rr, true)) != PLACE_OK)
            goto done;
    }

    for (l = 0; l < pg->nlevels; l++)
        total += lg.lv_best[l];
    rr->placed = total;
    rr->score = lg.best_score;
    rr->cost = lg.best_cost;
    rr->cost_bound = 0;
    /* proven when no placement places more (all placed, or the most any
     * placement places with a single priority level) and the score bound
     * is met */
    {
        double want = 0;
        bool most = false;
        for (l = 0; l < pg->m->nworkloads; l++) {
            const place__workload *w = &pg->m->workloads[l];
            if (!w->node_name)
                want += (double)w->replicas;
        }
        most = total >= want ||
               (pg->nlevels == 1 && *placed_bound >= 0 &&
                total >= *placed_bound);
        rr->limited = !(most && rr->have_bound &&
                        rr->score - rr->cost >=
                            rr->score_bound -
                                1e-6 * (fabs(rr->score_bound) + 1));
        rr->placement_limited = !most;
    }
    memset(pg->warm, 0, (size_t)(pg->ncols + 1) * sizeof *pg->warm);
    for (p = 0; p < pg->npairs; p++)
        pg->warm[p + 1] = (double)lg.best[p];
    set_aux(pg, pg->warm);
    pg->have_warm = true;
    pg->method = lg.method;
done:
    if (pg->P) {
        glp_delete_prob(pg->P);
        pg->P = NULL;
    }
    if (b.c)
        cg_free(&c);
    place__free(pg->ctx, b.lvrow);
    place__free(pg->ctx, b.xlp);
    place__free(pg->ctx, lg.best);
    place__free(pg->ctx, lg.cand);
    place__free(pg->ctx, lg.lv_best);
    place__free(pg->ctx, lg.lv_cand);
    place__free(pg->ctx, lg.used);
    return rc;
}

/* After a staged search that a budget stopped in a placement stage: the
 * LP bound on score - cost among placements that place at least as many
 * replicas per level as the one found (the large programs' bound), instead
 * of the loosest one. */
static int staged_score_bound(prog *pg, run_result *rr)
{
    large lg;
    lpb b;
    size_t p;
    int rc = PLACE_OK;

    memset(&lg, 0, sizeof lg);
    memset(&b, 0, sizeof b);
    lg.pg = pg;
    b.pg = pg;
    lg.best = place__calloc(pg->ctx, pg->npairs + 1, sizeof *lg.best);
    lg.lv_best = place__calloc(pg->ctx, pg->nlevels + 1, sizeof(double));
    b.lvrow = place__calloc(pg->ctx, pg->nlevels + 1, sizeof *b.lvrow);
    if (!lg.best || !lg.lv_best || !b.lvrow) {
        rc = place__oom(pg->ctx);
        goto done;
    }
    for (p = 0; p < pg->npairs; p++)
        lg.best[p] = (int64_t)llround(pg->warm[p + 1]);
    value_of(pg, lg.best, lg.lv_best, &lg.best_score, &lg.best_cost, NULL);
    lp_copy(pg);
    rc = score_bound(&b, &lg, rr, false);
done:
    if (pg->P) {
        glp_delete_prob(pg->P);
        pg->P = NULL;
    }
    place__free(pg->ctx, lg.best);
    place__free(pg->ctx, lg.lv_best);
    place__free(pg->ctx, b.lvrow);
    return rc;
}

/* An upper bound on the replicas any placement puts: the LP relaxation of
 * "place as many as possible". -1 when it could not be solved in time. */
static double lp_placed_bound(prog *pg)
{
    double value, bound = -1;
    lp_copy(pg);
    set_placed_objective(pg);
    if (lp_max(pg, &value))
        bound = floor(value + 1e-6);
    glp_delete_prob(pg->P);
    pg->P = NULL;
    return bound;
}

typedef struct solve_args {
    const place__program_opts *opts;
    place__plan *out;
    place__arena *a;
    double *solution;
    double *dj;
} solve_args;

/* The main solve and the explanations, under the guard. */
static int solve_work(prog *pg, void *arg)
{
    solve_args *sa = arg;
    const place__program_opts *opts = sa->opts;
    place__plan *out = sa->out;
    place__arena *a = sa->a;
    double *solution = sa->solution, *dj = sa->dj;
    double placed_bound = -1;
    int64_t *xs;
    run_result rr;
    size_t p;
    int rc;

    rc = run_greedy(pg);
    /* the whole program is built unless it is large and only the
     * placement is wanted: then column generation builds what it needs */
    if (rc == PLACE_OK &&
        (opts->explain || pg->npairs <= PLACE__CG_MIN_PAIRS))
        rc = build(pg);
    if (rc == PLACE_OK) {
        double t0 = place__now();
        if (pg->npairs > PLACE__MIP_MAX_PAIRS) {
            rc = run_large(pg, &rr, &placed_bound);
        } else {
            /* a program past the cuts' size gets the LP rounding's
             * placement as its first incumbent, when it beats the greedy */
            if (pg->npairs > PLACE__CUTS_MAX_PAIRS) {
                run_result lr;
                double pb2;
                rc = run_large(pg, &lr, &pb2);
                for (p = 0; rc == PLACE_OK && p < pg->npairs; p++)
                    pg->greedy[p] = (int64_t)llround(pg->warm[p + 1]);
            }
            if (rc == PLACE_OK)
                rc = run_stages(pg, opts->mip_gap, 0, 0, &rr);
            pg->method = "branch-and-bound";
            if (rc == PLACE_OK)
                placed_bound = lp_placed_bound(pg);
            if (rc == PLACE_OK && rr.placement_limited)
                rc = staged_score_bound(pg, &rr);
        }
        pg->main_seconds = place__now() - t0;
        place__log(pg->ctx, PLACE_LOG_DEBUG, "search: %.3f s",
                   pg->main_seconds);
    }
    /* the placement per pair: the plan's own array with explanations
     * (they speak of every pair), else the greedy's, no longer needed; the
     * plan then keeps only the pairs used */
    xs = opts->explain ? out->x : pg->greedy;
    if (rc == PLACE_OK) {
        int64_t removed = 0;
        memcpy(solution, pg->warm, (size_t)(pg->ncols + 1) * sizeof *solution);
        out->npairs = pg->npairs;
        out->nvars = (size_t)pg->ncols;
        out->nrows = pg->base ? (size_t)glp_get_num_rows(pg->base) : 0;
        for (p = 0; p < pg->npairs; p++) {
            if (opts->explain) {
                out->pair_w[p] = pg->pw[p];
                out->pair_t[p] = pg->pt[p];
            }
            xs[p] = (int64_t)llround(solution[p + 1]);
        }
        /* The solver works in floating point: check the placement in
         * integers and repair it if a tolerance let a row overflow. */
        {
            place__pairs pairs;
            pairs_of(pg, &pairs);
            rc = place__repair(pg->ctx, pg->m, pg->cap, &pairs, xs,
                               &removed);
        }
        if (rc == PLACE_OK && removed > 0) {
            double *lv = place__calloc(pg->ctx, pg->nlevels + 1, sizeof *lv);
            bool *used = place__calloc(pg->ctx, pg->nt + 1, sizeof *used);
            if (!lv || !used) {
                place__free(pg->ctx, lv);
                place__free(pg->ctx, used);
                rc = place__oom(pg->ctx);
            } else {
                size_t k;
                place__log(pg->ctx, PLACE_LOG_DEBUG,
                           "repair: %lld replicas did not fit exactly",
                           (long long)removed);
                double before = rr.score - rr.cost, placed = rr.placed;
                value_of(pg, xs, lv, &rr.score, &rr.cost, used);
                rr.placed = 0;
                for (k = 0; k < pg->nlevels; k++)
                    rr.placed += lv[k];
                /* what was proven still holds when the repaired placement
                 * is as good as the one the solver claimed */
                if (rr.placed < placed ||
                    rr.score - rr.cost < before - 1e-9 * (fabs(before) + 1))
                    rr.limited = rr.placement_limited = true;
                for (p = 0; p < pg->npairs; p++)
                    solution[p + 1] = (double)xs[p];
                set_aux(pg, solution);
                place__free(pg->ctx, lv);
                place__free(pg->ctx, used);
            }
        }
    }
    if (rc == PLACE_OK) {
        /* the cost counts kept replicas as savings: every current replica
         * is a move until kept */
        double move_const = 0;
        size_t wi, k;
        for (wi = 0; wi < pg->m->nworkloads && pg->w_move > 0; wi++) {
            const place__workload *w = &pg->m->workloads[wi];
            if (w->node_name || w->replicas <= 0)
                continue;
            for (k = 0; k < w->ncurrent; k++)
                move_const += pg->w_move * (double)w->current[k].replicas;
        }
        out->limited = rr.limited;
        out->method = pg->method;
        out->placed_bound = placed_bound;
        out->objective = rr.score - rr.cost - move_const;
        if (rr.have_bound) {
            out->bound = rr.score_bound - move_const;
        } else if (rr.placement_limited) {
            /* more replicas could change the score: the loosest bound */
            double ub = 0;
            for (p = 0; p < pg->npairs; p++)
                if (pg->score[p] > 0)
                    ub += pg->score[p] * (double)pg->ub[p];
            out->bound = ub;
        } else {
            out->bound = (rr.score_bound ? rr.score_bound : rr.score) -
                         rr.cost_bound - move_const;
        }
        if (out->bound < out->objective)
            out->bound = out->objective;
        out->gap = fabs(out->bound - out->objective) /
                   (fabs(out->objective) > 1e-9 ? fabs(out->objective) : 1.0);
    }
    if (rc == PLACE_OK && !opts->explain) {
        size_t n = 0, k = 0;
        for (p = 0; p < pg->npairs; p++)
            n += xs[p] > 0;
        out->pair_w = place__arena_alloc(a, (n + 1) * sizeof(size_t));
        out->pair_t = place__arena_alloc(a, (n + 1) * sizeof(size_t));
        out->x = place__arena_alloc(a, (n + 1) * sizeof(int64_t));
        if (!out->pair_w || !out->pair_t || !out->x)
            rc = place__oom(pg->ctx);
        for (p = 0; rc == PLACE_OK && p < pg->npairs; p++)
            if (xs[p] > 0) {
                out->pair_w[k] = pg->pw[p];
                out->pair_t[k] = pg->pt[p];
                out->x[k] = xs[p];
                k++;
            }
        out->npairs = n;
    }
    if (rc == PLACE_OK && opts->explain) {
        rc = lp_sensitivity(pg, a, out, solution, dj);
        if (rc == PLACE_OK)
            rc = regrets(pg, opts, opts->mip_gap, &rr, solution, dj, out);
    }
    if (pg->base)
        glp_delete_prob(pg->base);
    pg->base = NULL;
    return rc;
}

int place__program_solve(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v,
                         const place__program_opts *opts, place__plan *out)
{
    prog *pg = NULL;
    solve_args sa;
    double *solution = NULL, *dj = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = prog_new(ctx, m, cap, v, &pg)) != PLACE_OK)
        return rc;
    pg->opts = opts;
    if (opts->time_limit > 0)
        pg->deadline = place__now() + opts->time_limit;
    {
        double t0 = place__now();
        rc = collect(pg);
        place__log(ctx, PLACE_LOG_DEBUG, "pairs: %zu in %.3f s", pg->npairs,
                   place__now() - t0);
    }
    if (rc != PLACE_OK) {
        prog_free(pg);
        return rc;
    }
    if (opts->explain) {
        out->pair_w = place__arena_alloc(a, (pg->npairs + 1) *
                                                sizeof(size_t));
        out->pair_t = place__arena_alloc(a, (pg->npairs + 1) *
                                                sizeof(size_t));
        out->x = place__arena_alloc(a, (pg->npairs + 1) * sizeof(int64_t));
    }
    if (opts->explain) {
        out->regret = place__arena_alloc(a, (pg->npairs + 1) *
                                                sizeof(double));
        out->regret_replicas =
            place__arena_alloc(a, (pg->npairs + 1) * sizeof(int64_t));
        out->regret_exact =
            place__arena_alloc(a, (pg->npairs + 1) * sizeof(bool));
        out->has_more = place__arena_alloc(a, (pg->npairs + 1) *
                                                  sizeof(bool));
        out->more_regret =
            place__arena_alloc(a, (pg->npairs + 1) * sizeof(double));
        out->more_replicas =
            place__arena_alloc(a, (pg->npairs + 1) * sizeof(int64_t));
        dj = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *dj);
    }
    solution = place__calloc(ctx, (size_t)pg->ncols + 2, sizeof *solution);
    if (!solution ||
        (opts->explain &&
         (!out->pair_w || !out->pair_t || !out->x ||
          !out->regret || !out->regret_replicas || !out->regret_exact ||
          !out->has_more || !out->more_regret || !out->more_replicas ||
          !dj))) {
        place__free(ctx, solution);
        place__free(ctx, dj);
        prog_free(pg);
        return place__oom(ctx);
    }
    if (pg->npairs == 0) {
        out->regret_method = !opts->explain        ? PLACE__REGRET_NONE
                             : opts->regret_mode == 2 ? PLACE__REGRET_LP
                                                      : PLACE__REGRET_EXACT;
        place__free(ctx, solution);
        place__free(ctx, dj);
        prog_free(pg);
        return PLACE_OK;
    }

    pg->node_limit = opts->node_limit;
    if (pg->node_limit > 0 && pg->npairs > 0 &&
        (long)pg->npairs * pg->node_limit > PLACE__NODE_WORK) {
        pg->node_limit = PLACE__NODE_WORK / (long)pg->npairs;
        if (pg->node_limit < 50)
            pg->node_limit = 50;
    }
    sa.opts = opts;
    sa.out = out;
    sa.a = a;
    sa.solution = solution;
    sa.dj = dj;
    rc = guarded(pg, solve_work, &sa);
    place__free(ctx, solution);
    place__free(ctx, dj);
    prog_free(pg);
    return rc;
}

/* ---- what to relax ----------------------------------------------------------- */

/* Solve the MIP in P as it is (objective set by the caller). Returns the
 * GLPK MIP status, GLP_UNDEF when a limit stopped it without a solution. */
static int solve_plain(prog *pg, glp_prob *P, double deadline)
{
    glp_smcp smcp;
    glp_iocp iocp;
    int rc, ms = ms_left(deadline);

    if (!ms)
        return GLP_UNDEF;
    glp_init_smcp(&smcp);
    smcp.msg_lev = GLP_MSG_OFF;
    smcp.tm_lim = ms;
    glp_scale_prob(P, GLP_SF_AUTO);
    rc = glp_simplex(P, &smcp);
    if (rc != 0)
        return GLP_UNDEF;
    if (glp_get_status(P) == GLP_NOFEAS)
        return GLP_NOFEAS;
    if (glp_get_status(P) != GLP_OPT)
        return GLP_UNDEF;
    glp_init_iocp(&iocp);
    iocp.msg_lev = GLP_MSG_OFF;
    iocp.tm_lim = (ms = ms_left(deadline)) ? ms : 1;
    (void)pg;
    rc = glp_intopt(P, &iocp);
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP)
        return GLP_UNDEF;
    return glp_mip_status(P);
}

typedef struct elastic {
    size_t wi;
    int64_t R;            /* replicas of the workload */
    size_t nz;            /* z columns: targets opened by relaxing */
    size_t *zt;           /* their targets */
    int zcol0;            /* first z column */
    size_t ns;            /* slack columns (and their indicators) */
    size_t *st;           /* target of slack k */
    const char **sres;    /* resource of slack k */
    double *sreq;         /* the workload's request of it */
    int scol0, rcap0;
    int gcol0;            /* group indicators */
    size_t nev;           /* eviction indicators */
    size_t *evw;          /* their workloads */
    int64_t *evplaced;
    int ecol0;
    int ncols;
} elastic;

static void elastic_free(place_ctx *ctx, elastic *e)
{
    place__free(ctx, e->zt);
    place__free(ctx, e->st);
    place__free(ctx, e->sres);
    place__free(ctx, e->sreq);
    place__free(ctx, e->evw);
    place__free(ctx, e->evplaced);
}

/* Row helper with growable scratch arrays sized for every column. */
static void row(glp_prob *P, int *ind, double *val, int len, int type,
                double lb, double ub)
{
    int r = glp_add_rows(P, 1);
    glp_set_mat_row(P, r, len, ind, val);
    glp_set_row_bnds(P, r, type, lb, ub);
}

typedef struct relax_args {
    place__arena *a;
    size_t wi;
    elastic *e;
    size_t ngroups, ngates;
    const place__gate *gates;
    size_t max_alts;
    double deadline;
    int *ind;
    double *val, *x;
    place__relax_alt *alts;
    size_t found;
} relax_args;

/* The elastic program and its alternatives, under the guard. */
static int relax_work(prog *pg, void *arg)
{
    relax_args *ra = arg;
    place_ctx *ctx = pg->ctx;
    const place__model *m = pg->m;
    const place__capacity *cap = pg->cap;
    const place__workload *w = &m->workloads[ra->wi];
    elastic *e = ra->e;
    place__arena *a = ra->a;
    size_t wi = ra->wi, ngroups = ra->ngroups, ngates = ra->ngates;
    const place__gate *gates = ra->gates;
    size_t max_alts = ra->max_alts;
    double deadline = ra->deadline;
    int *ind = ra->ind;
    double *val = ra->val, *x = ra->x;
    place__relax_alt **alts = &ra->alts;
    glp_prob *P;
    size_t p, t, k, i, found = 0;
    int rc = PLACE_OK, j;
    int nbin = (int)(e->ns + ngroups + e->nev);

    P = glp_create_prob();
    glp_add_cols(P, e->ncols);
    for (p = 0; p < pg->npairs; p++) {
        /* the workload's own pairs are bounded by the capacity rows only,
         * which the slack may widen */
        double ub = pg->pw[p] == wi ? (double)e->R : (double)pg->ub[p];
        glp_set_col_kind(P, (int)p + 1, GLP_IV);
        glp_set_col_bnds(P, (int)p + 1, GLP_DB, 0.0, ub);
    }
    for (k = 0; k < pg->ny; k++)
        glp_set_col_bnds(P, (int)(pg->npairs + k) + 1, GLP_FX, 0.0, 0.0);
    for (k = 0; k < e->nz; k++) {
        glp_set_col_kind(P, e->zcol0 + (int)k, GLP_IV);
        glp_set_col_bnds(P, e->zcol0 + (int)k, GLP_DB, 0.0, (double)e->R);
    }
    for (k = 0; k < e->ns; k++)
        glp_set_col_bnds(P, e->scol0 + (int)k, GLP_LO, 0.0, 0.0);
    for (j = e->rcap0; j <= e->ncols; j++)
        glp_set_col_kind(P, j, GLP_BV);

    /* the workload: every replica placed */
    {
        int len = 0;
        for (p = 0; p < pg->npairs; p++)
            if (pg->pw[p] == wi) {
                ind[++len] = (int)p + 1;
                val[len] = 1;
            }
        for (k = 0; k < e->nz; k++) {
            ind[++len] = e->zcol0 + (int)k;
            val[len] = 1;
        }
        row(P, ind, val, len, GLP_FX, (double)e->R, (double)e->R);
    }
    /* the others: at most their replicas, and what they have placed unless
     * they give some up */
    for (i = 0; i < m->nworkloads; i++) {
        int len = 0;
        size_t ev;
        if (i == wi)
            continue;
        for (p = 0; p < pg->npairs; p++)
            if (pg->pw[p] == i) {
                ind[++len] = (int)p + 1;
                val[len] = 1;
            }
        if (len == 0)
            continue;
        row(P, ind, val, len, GLP_UP, 0.0, (double)m->workloads[i].replicas);
        for (ev = 0; ev < e->nev; ev++)
            if (e->evw[ev] == i)
                break;
        if (ev < e->nev) {
            ind[++len] = e->ecol0 + (int)ev;
            val[len] = (double)e->evplaced[ev];
            row(P, ind, val, len, GLP_LO, (double)e->evplaced[ev], 0.0);
        }
    }
    /* capacity, with slack where the workload needs the resource */
    for (t = 0; t < m->ntargets; t++) {
        const place__reslist *fl = &cap->free[t];
        size_t zk = SIZE_MAX, r2;
        for (k = 0; k < e->nz; k++)
            if (e->zt[k] == t)
                zk = k;
        for (r2 = 0; r2 < fl->count + w->requests.count; r2++) {
            const char *res = r2 < fl->count
                                  ? fl->items[r2].name
                                  : w->requests.items[r2 - fl->count].name;
            int64_t avail = place__capacity_free(cap, t, res);
            int len = 0;
            if (r2 >= fl->count) {
                bool dup;
                place__reslist_get(fl, res, &dup);
                if (dup)
                    continue; /* already done from the free list */
            }
            if (avail == INT64_MAX)
                continue;
            for (p = 0; p < pg->npairs; p++) {
                int64_t req;
                if (pg->pt[p] != t)
                    continue;
                req = place__reslist_get(&m->workloads[pg->pw[p]].requests,
                                         res, NULL);
                if (req > 0) {
                    ind[++len] = (int)p + 1;
                    val[len] = (double)req;
                }
            }
            if (zk != SIZE_MAX) {
                int64_t req = place__reslist_get(&w->requests, res, NULL);
                if (req > 0) {
                    ind[++len] = e->zcol0 + (int)zk;
                    val[len] = (double)req;
                }
            }
            for (k = 0; k < e->ns; k++) {
                if (e->st[k] == t && strcmp(e->sres[k], res) == 0) {
                    double most = (double)e->R * e->sreq[k] +
                                  (avail < 0 ? -(double)avail : 0.0);
                    int sl[3];
                    double sv[3];
                    ind[++len] = e->scol0 + (int)k;
                    val[len] = -1;
                    /* slack only with its indicator */
                    sl[1] = e->scol0 + (int)k;
                    sv[1] = 1;
                    sl[2] = e->rcap0 + (int)k;
                    sv[2] = -most;
                    row(P, sl, sv, 2, GLP_UP, 0.0, 0.0);
                }
            }
            if (len)
                row(P, ind, val, len, GLP_UP, 0.0, (double)avail);
        }
    }
    /* gates: a target opens only with all its groups relaxed */
    for (k = 0; k < ngates; k++) {
        size_t zk;
        int gl[3];
        double gv[3];
        for (zk = 0; zk < e->nz; zk++)
            if (e->zt[zk] == gates[k].t)
                break;
        if (zk == e->nz || gates[k].group >= ngroups)
            continue;
        gl[1] = e->zcol0 + (int)zk;
        gv[1] = 1;
        gl[2] = e->gcol0 + (int)gates[k].group;
        gv[2] = -(double)e->R;
        row(P, gl, gv, 2, GLP_UP, 0.0, 0.0);
    }

    /* alternatives: fewest relaxed groups, then least added capacity and
     * fewest replicas given up; each excludes the sets before it */
    while (found < max_alts) {
        int status, len = 0, nrows_before = glp_get_num_rows(P);
        double count;
        place__relax_alt *alt = &(*alts)[found];

        glp_set_obj_dir(P, GLP_MIN);
        for (j = 1; j <= e->ncols; j++)
            glp_set_obj_coef(P, j, j >= e->rcap0 ? 1.0 : 0.0);
        status = solve_plain(pg, P, deadline);
        if (status != GLP_OPT && status != GLP_FEAS)
            break;
        count = round(glp_mip_obj_val(P));
        /* minimal amounts with that many relaxations */
        for (j = e->rcap0; j <= e->ncols; j++) {
            ind[++len] = j;
            val[len] = 1;
        }
        row(P, ind, val, len, GLP_UP, 0.0, count + 0.5);
        for (j = 1; j <= e->ncols; j++)
            glp_set_obj_coef(P, j, 0.0);
        for (k = 0; k < e->ns; k++)
            glp_set_obj_coef(P, e->scol0 + (int)k, 1.0 / e->sreq[k]);
        for (k = 0; k < e->nev; k++)
            for (p = 0; p < pg->npairs; p++)
                if (pg->pw[p] == e->evw[k])
                    glp_set_obj_coef(P, (int)p + 1, -1.0);
        status = solve_plain(pg, P, deadline);
        if (status != GLP_OPT && status != GLP_FEAS)
            break;
        for (j = 1; j <= e->ncols; j++)
            x[j] = glp_mip_col_val(P, j);
        /* drop the amount row again; keep the exclusion below */
        {
            int del[2];
            del[1] = glp_get_num_rows(P);
            glp_del_rows(P, 1, del);
            (void)nrows_before;
        }
        alt->items = place__arena_alloc(a, (size_t)(nbin + 1) *
                                               sizeof *alt->items);
        if (!alt->items) {
            rc = place__oom(ctx);
            break;
        }
        len = 0;
        for (j = e->rcap0; j <= e->ncols; j++) {
            place__relax_item *it;
            if (x[j] < 0.5)
                continue;
            ind[++len] = j;
            val[len] = 1;
            it = &alt->items[alt->nitems++];
            memset(it, 0, sizeof *it);
            if (j < e->gcol0) {
                k = (size_t)(j - e->rcap0);
                it->kind = PLACE__RELAX_CAPACITY;
                it->t = e->st[k];
                it->res = e->sres[k];
                it->amount = (int64_t)ceil(x[e->scol0 + (int)k] - 1e-6);
            } else if (j < e->ecol0) {
                it->kind = PLACE__RELAX_GROUP;
                it->group = (size_t)(j - e->gcol0);
            } else {
                double kept = 0;
                k = (size_t)(j - e->ecol0);
                for (p = 0; p < pg->npairs; p++)
                    if (pg->pw[p] == e->evw[k])
                        kept += x[p + 1];
                it->kind = PLACE__RELAX_EVICT;
                it->w = e->evw[k];
                it->amount = e->evplaced[k] - (int64_t)llround(kept);
            }
        }
        found++;
        if (len == 0)
            break; /* nothing to relax: no other alternative */
        row(P, ind, val, len, GLP_UP, 0.0, (double)len - 1);
    }
    ra->found = found;
    glp_delete_prob(P);
    return rc;
}

int place__program_relax(place_ctx *ctx, place__arena *a,
                         const place__model *m, const place__capacity *cap,
                         const place__verdicts *v, const place__plan *plan,
                         size_t wi, size_t ngroups, size_t ngates,
                         const place__gate *gates, size_t max_alts,
                         double time_limit, place__relax_alt **alts,
                         size_t *nalts)
{
    const place__workload *w = &m->workloads[wi];
    prog *pg = NULL;
    elastic e;
    relax_args ra;
    int *ind = NULL;
    double *val = NULL, *x = NULL;
    int64_t *placed = NULL;
    size_t p, t, k, i;
    double deadline = place__now() + (time_limit > 0 ? time_limit : 2.0);
    int rc = PLACE_OK;

    *alts = NULL;
    *nalts = 0;
    memset(&e, 0, sizeof e);
    if (w->node_name || w->replicas <= 0 || m->ntargets == 0)
        return PLACE_OK;
    if ((rc = prog_new(ctx, m, cap, v, &pg)) != PLACE_OK)
        return rc;
    if ((rc = collect(pg)) != PLACE_OK)
        goto out;
    e.wi = wi;
    e.R = w->replicas;
    placed = place__calloc(ctx, m->nworkloads + 1, sizeof *placed);
    e.zt = place__calloc(ctx, m->ntargets + 1, sizeof *e.zt);
    e.st = place__calloc(ctx, (m->ntargets + 1) * (w->requests.count + 1),
                         sizeof *e.st);
    e.sres = place__calloc(ctx, (m->ntargets + 1) * (w->requests.count + 1),
                           sizeof *e.sres);
    e.sreq = place__calloc(ctx, (m->ntargets + 1) * (w->requests.count + 1),
                           sizeof *e.sreq);
    e.evw = place__calloc(ctx, m->nworkloads + 1, sizeof *e.evw);
    e.evplaced = place__calloc(ctx, m->nworkloads + 1, sizeof *e.evplaced);
    *alts = place__arena_alloc(a, (max_alts + 1) * sizeof **alts);
    if (!placed || !e.zt || !e.st || !e.sres || !e.sreq || !e.evw ||
        !e.evplaced || !*alts) {
        rc = place__oom(ctx);
        goto out;
    }
    for (p = 0; p < plan->npairs; p++)
        placed[plan->pair_w[p]] += plan->x[p];

    /* z columns: every target where the workload is infeasible */
    for (t = 0; t < m->ntargets; t++) {
        place__verdict pv;
        place__verdict_at(v, m, cap, wi, t, &pv);
        if (!pv.feasible)
            e.zt[e.nz++] = t;
    }
    /* slack: each resource the workload requests, on each target it could
     * use (feasible pairs and z targets) */
    for (t = 0; t < m->ntargets; t++) {
        place__verdict pv;
        bool usable;
        place__verdict_at(v, m, cap, wi, t, &pv);
        usable = !pv.feasible || pv.max_fit > 0;
        if (!usable)
            continue;
        for (k = 0; k < w->requests.count; k++) {
            const place__res *r = &w->requests.items[k];
            if (r->value <= 0 ||
                place__capacity_free(cap, t, r->name) == INT64_MAX)
                continue;
            e.st[e.ns] = t;
            e.sres[e.ns] = r->name;
            e.sreq[e.ns] = (double)r->value;
            e.ns++;
        }
    }
    /* evictions: other workloads holding replicas */
    for (i = 0; i < m->nworkloads; i++) {
        if (i == wi || placed[i] <= 0)
            continue;
        e.evw[e.nev] = i;
        e.evplaced[e.nev] = placed[i];
        e.nev++;
    }
    e.zcol0 = (int)pg->npairs + (int)pg->ny + 1;
    e.scol0 = e.zcol0 + (int)e.nz;
    e.rcap0 = e.scol0 + (int)e.ns;
    e.gcol0 = e.rcap0 + (int)e.ns;
    e.ecol0 = e.gcol0 + (int)ngroups;
    e.ncols = e.ecol0 + (int)e.nev - 1;
    ind = place__calloc(ctx, (size_t)e.ncols + 2, sizeof *ind);
    val = place__calloc(ctx, (size_t)e.ncols + 2, sizeof *val);
    x = place__calloc(ctx, (size_t)e.ncols + 2, sizeof *x);
    if (!ind || !val || !x) {
        rc = place__oom(ctx);
        goto out;
    }

    ra.a = a;
    ra.wi = wi;
    ra.e = &e;
    ra.ngroups = ngroups;
    ra.ngates = ngates;
    ra.gates = gates;
    ra.max_alts = max_alts;
    ra.deadline = deadline;
    ra.ind = ind;
    ra.val = val;
    ra.x = x;
    ra.alts = *alts;
    ra.found = 0;
    rc = guarded(pg, relax_work, &ra);
    if (rc == PLACE_OK)
        *nalts = ra.found;
out:
    place__free(ctx, ind);
    place__free(ctx, val);
    place__free(ctx, x);
    place__free(ctx, placed);
    elastic_free(ctx, &e);
    if (pg)
        prog_free(pg);
    return rc;
}

/* ---- export ------------------------------------------------------------------- */

static int read_back(place_ctx *ctx, const char *path, char **out,
                     size_t *out_len)
{
    place__buf b;
    char chunk[8192];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return place__error(ctx, PLACE_EIO, NULL, "cannot read %s", path);
    place__buf_init(&b, ctx);
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        place__buf_append(&b, chunk, n);
    fclose(f);
    *out = place__buf_take(&b, out_len);
    place__buf_free(&b);
    return *out ? PLACE_OK : place__oom(ctx);
}

typedef struct export_args {
    int fmt;
    const char *path;
} export_args;

/* Build the program and let GLPK write it, under the guard. */
static int export_work(prog *pg, void *arg)
{
    export_args *ea = arg;
    int rc = build(pg), j;
    if (rc == PLACE_OK) {
        set_export_objective(pg);
        glp_set_obj_dir(pg->P, GLP_MAX);
        glp_set_obj_name(pg->P, "placement");
        for (j = 1; j <= pg->ncols; j++)
            glp_set_obj_coef(pg->P, j, pg->obj[j]);
        if ((ea->fmt == 0 ? glp_write_lp(pg->P, NULL, ea->path)
                          : glp_write_mps(pg->P, GLP_MPS_FILE, NULL,
                                          ea->path)) != 0)
            rc = place__error(pg->ctx, PLACE_EIO, NULL,
                              "GLPK could not write %s", ea->path);
    }
    if (pg->base)
        glp_delete_prob(pg->base);
    pg->base = pg->P = NULL;
    return rc;
}

int place__program_export(place_ctx *ctx, const place__model *m,
                          const place__capacity *cap, const place__verdicts *v,
                          int fmt, char **out, size_t *out_len)
{
    prog *pg = NULL;
    export_args ea;
    char path[4096];
    const char *dir = getenv("TMPDIR");
    int fd, rc;

    if ((rc = prog_new(ctx, m, cap, v, &pg)) != PLACE_OK)
        return rc;
    pg->names = true;
    if ((rc = collect(pg)) != PLACE_OK) {
        prog_free(pg);
        return rc;
    }
    snprintf(path, sizeof path, "%s/libplace-XXXXXX",
             dir && *dir ? dir : "/tmp");
    fd = mkstemp(path);
    if (fd < 0) {
        prog_free(pg);
        return place__error(ctx, PLACE_EIO, NULL,
                            "cannot create a temporary file in %s",
                            dir && *dir ? dir : "/tmp");
    }
    close(fd);
    ea.fmt = fmt;
    ea.path = path;
    rc = guarded(pg, export_work, &ea);
    prog_free(pg);
    if (rc == PLACE_OK)
        rc = read_back(ctx, path, out, out_len);
    unlink(path);
    return rc;
}

void place__program_thread_cleanup(void)
{
    glp_free_env();
}

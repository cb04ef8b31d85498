/*
 * test_threads.c: distinct contexts solve concurrently, on several
 * threads, and give exactly what they give one after another (JSON with
 * PLACE_WRITE_NO_TIMINGS, byte for byte); and one result may be read from
 * several threads at once. As place.h says, this holds when
 * place_threadsafe() is non-zero (GLPK keeps its environment in
 * thread-local storage), which the Debian build of GLPK is.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <place.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *hardening_gen_problem(unsigned int seed, int workloads, int targets,
                            double load);

#define MAX_FILES 4
#define NPROBLEMS 9
#define NTHREADS 4

typedef struct problem {
    const char *name;
    size_t nfiles;
    char *text[MAX_FILES];
    char *reference; /* JSON, solved alone */
} problem;

static problem problems[NPROBLEMS];

static char *read_example(const char *rel)
{
    char path[1024];
    char *t;
    snprintf(path, sizeof path, "%s/examples/%s", PLACE_SOURCE_DIR, rel);
    t = test_read_file(path, NULL);
    cr_assert_not_null(t, "cannot read %s", path);
    return t;
}

static void define(size_t i, const char *name, const char *f0,
                   const char *f1, const char *f2)
{
    problem *p = &problems[i];
    p->name = name;
    p->text[p->nfiles++] = read_example(f0);
    if (f1)
        p->text[p->nfiles++] = read_example(f1);
    if (f2)
        p->text[p->nfiles++] = read_example(f2);
}

/* Solve a problem on a context; its JSON (malloc'd), or NULL with the
 * reason in err. */
static char *solve_on(place_ctx *ctx, const problem *p, char *err,
                      size_t errsize)
{
    place_problem *pb = NULL;
    place_result *res = NULL;
    char *out = NULL, *copy = NULL;
    size_t i, len;
    int rc = place_problem_new(&pb, ctx);

    for (i = 0; rc == PLACE_OK && i < p->nfiles; i++)
        rc = place_problem_add_document(pb, p->text[i], strlen(p->text[i]),
                                        PLACE_FORMAT_AUTO, p->name);
    if (rc == PLACE_OK)
        rc = place_solve(&res, pb, NULL);
    if (rc == PLACE_OK)
        rc = place_result_write(res, PLACE_OUTPUT_JSON, NULL,
                                PLACE_WRITE_NO_TIMINGS, &out, &len);
    if (rc == PLACE_OK) {
        copy = malloc(len + 1);
        if (copy)
            memcpy(copy, out, len + 1);
        place_mem_free(ctx, out);
    } else {
        snprintf(err, errsize, "%s: %s", p->name, place_errmsg(ctx));
    }
    place_result_free(res);
    place_problem_free(pb);
    return copy;
}

static void setup(void)
{
    size_t i;
    place_ctx *ctx;
    char err[1024];

    memset(problems, 0, sizeof problems);
    define(0, "quickstart", "quickstart/federation.yaml",
           "quickstart/shop.yaml", NULL);
    define(1, "storefront-1", "storefront/clusters.yaml",
           "storefront/shop.yaml", "storefront/scenario-1.yaml");
    problems[1].text[problems[1].nfiles++] =
        read_example("storefront/shop-unconstrained.yaml");
    define(2, "storefront-2", "storefront/clusters.yaml",
           "storefront/shop.yaml", "storefront/scenario-2.yaml");
    problems[2].text[problems[2].nfiles++] =
        read_example("storefront/shop-unconstrained.yaml");
    define(3, "storefront-3", "storefront/clusters.yaml",
           "storefront/shop.yaml", "storefront/scenario-3.yaml");
    define(4, "storefront-3b", "storefront/scenario-3b.yaml",
           "storefront/shop.yaml", "storefront/scenario-3.yaml");
    define(5, "storefront-3b-json", "storefront/json/scenario-3b.json",
           "storefront/json/shop.json",
           "storefront/json/scenario-3b-tolerated.json");
    /* Generated ones, small enough to stay far from the wall-clock
     * budgets of the explanations even on a loaded machine (a budget that
     * runs out changes the regrets). */
    for (i = 6; i < NPROBLEMS; i++) {
        static const unsigned int seeds[] = {5, 7, 1};
        problems[i].name = i == 6 ? "generated-5" : i == 7 ? "generated-7"
                                                          : "generated-1";
        problems[i].text[0] = hardening_gen_problem(seeds[i - 6], 10, 5, 0.8);
        problems[i].nfiles = 1;
    }
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    for (i = 0; i < NPROBLEMS; i++) {
        problems[i].reference = solve_on(ctx, &problems[i], err, sizeof err);
        cr_assert_not_null(problems[i].reference, "%s", err);
    }
    place_ctx_free(ctx);
}

static void teardown(void)
{
    size_t i, k;
    for (i = 0; i < NPROBLEMS; i++) {
        for (k = 0; k < problems[i].nfiles; k++)
            free(problems[i].text[k]);
        free(problems[i].reference);
    }
}

TestSuite(threads, .init = setup, .fini = teardown);

typedef struct job {
    size_t first;  /* this thread starts at problems[first] */
    int rounds;
    int mismatches;
    char err[1024];
} job;

/* One context for the thread; every problem, from a different start. */
static void *solver_thread(void *arg)
{
    job *j = arg;
    place_ctx *ctx;
    int r;
    size_t k;

    if (place_ctx_new(&ctx, NULL) != PLACE_OK) {
        snprintf(j->err, sizeof j->err, "place_ctx_new failed");
        j->mismatches++;
        return NULL;
    }
    for (r = 0; r < j->rounds; r++) {
        for (k = 0; k < NPROBLEMS; k++) {
            const problem *p = &problems[(j->first + k) % NPROBLEMS];
            char *got = solve_on(ctx, p, j->err, sizeof j->err);
            if (!got || strcmp(got, p->reference) != 0) {
                if (got)
                    snprintf(j->err, sizeof j->err,
                             "%s: differs from the sequential result",
                             p->name);
                j->mismatches++;
            }
            free(got);
        }
    }
    place_ctx_free(ctx);
    /* GLPK's environment of this thread (thread-local, about 5 KB) would
     * otherwise be left behind when the thread exits: valgrind and
     * LeakSanitizer report it as lost. */
    place_thread_cleanup();
    return NULL;
}

Test(threads, concurrent_solves_match_sequential)
{
    pthread_t th[NTHREADS];
    job jobs[NTHREADS];
    int i;

    if (!place_threadsafe()) {
        fprintf(stderr, "SKIP: place_threadsafe() is 0 (GLPK without "
                        "thread-local storage): contexts may not solve "
                        "concurrently\n");
        return;
    }
    for (i = 0; i < NTHREADS; i++) {
        memset(&jobs[i], 0, sizeof jobs[i]);
        jobs[i].first = (size_t)i * 2;
        jobs[i].rounds = 2;
        cr_assert_eq(pthread_create(&th[i], NULL, solver_thread, &jobs[i]),
                     0);
    }
    for (i = 0; i < NTHREADS; i++) {
        cr_assert_eq(pthread_join(th[i], NULL), 0);
        cr_expect_eq(jobs[i].mismatches, 0, "thread %d: %s", i, jobs[i].err);
    }
}

/* place_thread_cleanup(): safe on a thread that never solved, twice in a
 * row, and between two solves of one context, which then gives the same
 * result. */
typedef struct cleanup_job {
    int mismatches;
    char err[1024];
} cleanup_job;

static void *cleanup_thread(void *arg)
{
    cleanup_job *j = arg;
    place_ctx *ctx;
    char *got;
    int r;

    place_thread_cleanup(); /* nothing allocated yet */
    place_thread_cleanup();
    if (place_ctx_new(&ctx, NULL) != PLACE_OK) {
        j->mismatches++;
        return NULL;
    }
    for (r = 0; r < 2; r++) {
        got = solve_on(ctx, &problems[4], j->err, sizeof j->err);
        if (!got || strcmp(got, problems[4].reference) != 0)
            j->mismatches++;
        free(got);
        place_thread_cleanup(); /* the context stays usable */
    }
    place_ctx_free(ctx);
    place_thread_cleanup();
    return NULL;
}

Test(threads, thread_cleanup_frees_and_is_idempotent)
{
    pthread_t th;
    cleanup_job j;

    memset(&j, 0, sizeof j);
    cr_assert_eq(pthread_create(&th, NULL, cleanup_thread, &j), 0);
    cr_assert_eq(pthread_join(th, NULL), 0);
    cr_assert_eq(j.mismatches, 0, "%s", j.err);
    /* and on the main thread, after the solves of setup() */
    place_thread_cleanup();
    place_thread_cleanup();
}

/* The Debian GLPK is built with thread-local storage: libplace says so. */
Test(threads, threadsafe_is_reported)
{
    cr_assert_neq(place_threadsafe(), 0,
                  "GLPK was built without TLS: only one thread may solve");
}

/* ---- one result, read by several threads ------------------------------------ */

typedef struct reader {
    place_ctx *ctx;
    const place_result *res;
    const char *expect[3];
    int mismatches;
} reader;

static void *reader_thread(void *arg)
{
    reader *rd = arg;
    static const place_output_format fmts[3] = {
        PLACE_OUTPUT_JSON, PLACE_OUTPUT_TEXT, PLACE_OUTPUT_YAML};
    int r, f;
    size_t w, c;

    for (r = 0; r < 20; r++) {
        for (f = 0; f < 3; f++) {
            char *out;
            size_t len;
            if (place_result_write(rd->res, fmts[f], NULL,
                                   PLACE_WRITE_NO_TIMINGS, &out,
                                   &len) != PLACE_OK) {
                rd->mismatches++;
                continue;
            }
            if (strcmp(out, rd->expect[f]) != 0)
                rd->mismatches++;
            /* the context's allocator, used by several threads at once:
             * the default one (malloc) is thread-safe */
            place_mem_free(rd->ctx, out);
        }
        for (w = 0; w < place_result_workload_count(rd->res); w++) {
            const place_workload *wl = place_result_workload(rd->res, w);
            for (c = 0; c < place_workload_candidate_count(wl); c++)
                if (!place_candidate_target(place_workload_candidate(wl, c)))
                    rd->mismatches++;
        }
    }
    return NULL;
}

Test(threads, one_result_read_by_many)
{
    place_ctx *ctx;
    place_problem *pb;
    place_result *res;
    pthread_t th[NTHREADS];
    reader rd[NTHREADS];
    char *expect[3];
    static const place_output_format fmts[3] = {
        PLACE_OUTPUT_JSON, PLACE_OUTPUT_TEXT, PLACE_OUTPUT_YAML};
    size_t k, len;
    int i;

    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    for (k = 0; k < problems[3].nfiles; k++)
        cr_assert_eq(place_problem_add_document(pb, problems[3].text[k],
                                                strlen(problems[3].text[k]),
                                                PLACE_FORMAT_AUTO, "s"),
                     PLACE_OK);
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK);
    place_problem_free(pb); /* the result does not need it */
    for (k = 0; k < 3; k++)
        cr_assert_eq(place_result_write(res, fmts[k], NULL,
                                        PLACE_WRITE_NO_TIMINGS, &expect[k],
                                        &len),
                     PLACE_OK);
    for (i = 0; i < NTHREADS; i++) {
        rd[i].ctx = ctx;
        rd[i].res = res;
        for (k = 0; k < 3; k++)
            rd[i].expect[k] = expect[k];
        rd[i].mismatches = 0;
        cr_assert_eq(pthread_create(&th[i], NULL, reader_thread, &rd[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        cr_assert_eq(pthread_join(th[i], NULL), 0);
        cr_expect_eq(rd[i].mismatches, 0, "reader %d", i);
    }
    for (k = 0; k < 3; k++)
        place_mem_free(ctx, expect[k]);
    place_result_free(res);
    place_ctx_free(ctx);
}

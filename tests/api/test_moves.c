/*
 * test_moves.c: the inputs of the move cost, through the public API.
 *
 * A result that `place solve --output json|yaml` writes is an input
 * document (kind PlacementResult) of the next problem: it is read, counted
 * as a document (not an ignored one), adds no workload or target, and the
 * problem checks and solves; so do workloads with status.placement.
 * (What the current placement is, entry by entry, is checked in
 * tests/unit/test_current.c; error locations in test_errors.c.)
 */
#include "support.h"

#include <criterion/criterion.h>
#include <place.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static place_ctx *ctx;

static void setup(void)
{
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
}

static void teardown(void)
{
    place_ctx_free(ctx);
}

TestSuite(moves, .init = setup, .fini = teardown);

static void add_example(place_problem *pb, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/%s", PLACE_SOURCE_DIR, rel);
    cr_assert_eq(place_problem_add_file(pb, path, PLACE_FORMAT_AUTO),
                 PLACE_OK, "%s", place_errmsg(ctx));
}

static place_problem *quickstart(void)
{
    place_problem *pb;
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    add_example(pb, "quickstart/federation.yaml");
    add_example(pb, "quickstart/shop.yaml");
    return pb;
}

/* "ns/name:target=n,..;" for every workload. */
static void assignments(const place_result *r, char *out, size_t size)
{
    size_t w, a, o = 0;
    out[0] = '\0';
    for (w = 0; w < place_result_workload_count(r); w++) {
        const place_workload *wl = place_result_workload(r, w);
        o += (size_t)snprintf(out + o, size - o, "%s/%s:",
                              place_workload_namespace(wl),
                              place_workload_name(wl));
        for (a = 0; a < place_workload_assignment_count(wl); a++)
            o += (size_t)snprintf(
                out + o, size - o, "%s=%lld,",
                place_workload_assignment_target(wl, a),
                (long long)place_workload_assignment_replicas(wl, a));
        o += (size_t)snprintf(out + o, size - o, ";");
        cr_assert_lt(o, size);
    }
}

Test(moves, previous_result_is_an_input)
{
    static const place_output_format fmts[] = {PLACE_OUTPUT_JSON,
                                               PLACE_OUTPUT_YAML};
    place_problem *pb = quickstart();
    place_result *first, *again;
    char want[4096], got[4096];
    size_t docs, workloads, targets, f;

    docs = place_problem_document_count(pb);
    workloads = place_problem_workload_count(pb);
    targets = place_problem_target_count(pb);
    cr_assert_eq(place_solve(&first, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
    place_problem_free(pb);
    assignments(first, want, sizeof want);
    for (f = 0; f < 2; f++) {
        char *text;
        size_t len;
        cr_assert_eq(place_result_write(first, fmts[f], NULL,
                                        PLACE_WRITE_NO_TIMINGS, &text, &len),
                     PLACE_OK);
        pb = quickstart();
        /* before or after the documents it describes: any order */
        cr_assert_eq(place_problem_add_document(pb, text, len,
                                                PLACE_FORMAT_AUTO,
                                                f ? "prev.yaml" : "prev.json"),
                     PLACE_OK, "%s", place_errmsg(ctx));
        place_mem_free(ctx, text);
        cr_assert_eq(place_problem_document_count(pb), docs + 1);
        cr_assert_eq(place_problem_ignored_count(pb), 0);
        cr_assert_eq(place_problem_workload_count(pb), workloads);
        cr_assert_eq(place_problem_target_count(pb), targets);
        cr_assert_eq(place_problem_check(pb), PLACE_OK, "%s",
                     place_errmsg(ctx));
        cr_assert_eq(place_solve(&again, pb, NULL), PLACE_OK, "%s",
                     place_errmsg(ctx));
        /* where everything already runs is the placement to keep */
        assignments(again, got, sizeof got);
        cr_assert_str_eq(got, want);
        place_result_free(again);
        place_problem_free(pb);
    }
    place_result_free(first);
}

Test(moves, fixtures_check_and_solve)
{
    static const char *const files[][2] = {
        {"federation.yaml", "previous-result.json"},
        {"federation.json", "previous-result.yaml"},
    };
    size_t i, k;
    for (i = 0; i < 2; i++) {
        place_problem *pb;
        place_result *res;
        cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
        for (k = 0; k < 2; k++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/fixtures/current/%s",
                     PLACE_TESTS_DIR, files[i][k]);
            cr_assert_eq(place_problem_add_file(pb, path, PLACE_FORMAT_AUTO),
                         PLACE_OK, "%s", place_errmsg(ctx));
        }
        cr_assert_eq(place_problem_document_count(pb), 11);
        cr_assert_eq(place_problem_workload_count(pb), 7);
        cr_assert_eq(place_problem_target_count(pb), 3);
        cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s",
                     place_errmsg(ctx));
        cr_assert_eq(place_result_workload_count(res), 7);
        place_result_free(res);
        place_problem_free(pb);
    }
}

/* The solver keeps replicas where they run when nothing else decides:
 * two identical nodes, web runs on b (ties would otherwise go to a, whose
 * name sorts first); with room for one replica on b, one moves. The same
 * through the large-program path (many identical targets). */
#define MOVES_INPUT                                                          \
    "apiVersion: v1\nkind: Node\nmetadata: {name: a}\n" \
    "status: {allocatable: {cpu: \"4\", memory: 8Gi, pods: \"110\"}}\n---\n" \
    "apiVersion: v1\nkind: Node\nmetadata: {name: b}\n" \
    "status: {allocatable: {cpu: \"%s\", memory: 8Gi, pods: \"110\"}}\n---\n" \
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n" \
    "spec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n" \
    "      - name: c\n        resources: {requests: {cpu: 500m}}\n" \
    "status:\n  placement: [{target: b, replicas: 2}]\n"

static void solve_moves(const char *bcpu, bool with_current, char *out,
                        size_t size)
{
    place_problem *pb;
    place_result *r;
    char doc[2048];
    snprintf(doc, sizeof doc, MOVES_INPUT, bcpu);
    if (!with_current)
        *strstr(doc, "status:\n  placement") = '\0';
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    cr_assert_eq(place_problem_add_document(pb, doc, strlen(doc),
                                            PLACE_FORMAT_YAML, "m.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_solve(&r, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
    assignments(r, out, size);
    place_result_free(r);
    place_problem_free(pb);
}

Test(moves, solver_keeps_replicas_where_they_run)
{
    char got[256];
    solve_moves("4", false, got, sizeof got);
    cr_assert_str_eq(got, "default/web:a=2,;", "without: %s", got);
    solve_moves("4", true, got, sizeof got);
    cr_assert_str_eq(got, "default/web:b=2,;", "with: %s", got);
    solve_moves("700m", true, got, sizeof got);
    cr_assert_str_eq(got, "default/web:a=1,b=1,;", "one fits: %s", got);
}

/* A program large enough for the LP rounding (more than 5,000 pairs), of
 * workloads made from a few templates (so that identical ones are placed
 * as one, except those with a current placement): given its own result as
 * the current placement, the re-solve is at least as good in the objective
 * (which counts moves), since keeping every replica where it runs is one
 * of its candidates. */
static char *templated(void)
{
    size_t cap = 1 << 20, len = 0;
    char *t = malloc(cap);
    int i;
    cr_assert_not_null(t);
    t[0] = '\0';
    for (i = 0; i < 80; i++)
        len += (size_t)snprintf(
            t + len, cap - len,
            "---\napiVersion: v1\nkind: Node\nmetadata: {name: n-%02d, "
            "labels: {zone: z%d}}\nstatus: {allocatable: {cpu: \"%d\", "
            "memory: %dGi, pods: \"110\"}}\n",
            i, i % 4, 2 + i % 3, 4 + i % 5);
    for (i = 0; i < 160; i++)
        len += (size_t)snprintf(
            t + len, cap - len,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: "
            "{name: w-%03d, namespace: ns-%d}\nspec:\n  replicas: %d\n"
            "  template:\n    spec:\n      affinity: {nodeAffinity: "
            "{preferredDuringSchedulingIgnoredDuringExecution: [{weight: %d, "
            "preference: {matchExpressions: [{key: zone, operator: In, "
            "values: [z%d]}]}}]}}\n      containers:\n      - name: c\n"
            "        resources: {requests: {cpu: %dm, memory: %dMi}}\n",
            i, i % 7, 2 + i % 3, 10 + 20 * (i % 5), i % 4,
            250 + 150 * (i % 5), 256 + 256 * (i % 3));
    return t;
}

Test(moves, large_resolve_never_worse_than_staying, .timeout = 120)
{
    char *text = templated();
    place_problem *pb;
    place_result *first, *again;
    place_solve_options so = PLACE_SOLVE_OPTIONS_INIT;
    char *json;
    size_t len;

    so.flags = PLACE_SOLVE_NO_EXPLAIN | PLACE_SOLVE_NO_CANDIDATES;
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    cr_assert_eq(place_problem_add_document(pb, text, strlen(text),
                                            PLACE_FORMAT_YAML, "big.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_solve(&first, pb, &so), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(place_result_write(first, PLACE_OUTPUT_JSON, NULL,
                                    PLACE_WRITE_NO_TIMINGS, &json, &len),
                 PLACE_OK);
    cr_assert_eq(place_problem_add_document(pb, json, len, PLACE_FORMAT_JSON,
                                            "previous.json"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_solve(&again, pb, &so), PLACE_OK, "%s",
                 place_errmsg(ctx));
    /* with their current placement the workloads stay apart: past the
     * branch and bound's 5,000 pairs */
    cr_assert_gt(place_result_variable_count(again), 5000);
    cr_assert_geq(place_result_objective(again),
                  place_result_objective(first) - 1e-6,
                  "re-solve %g, first %g", place_result_objective(again),
                  place_result_objective(first));
    place_mem_free(ctx, json);
    place_result_free(first);
    place_result_free(again);
    place_problem_free(pb);
    free(text);
}

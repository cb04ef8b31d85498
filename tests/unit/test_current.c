/*
 * test_current.c: the current placement of workloads, the input of the move
 * cost (model.h: place__workload.current, place__policy.w_move).
 *
 *   - status.placement of every workload kind, in YAML and in JSON: after
 *     place__model_finalize sorted by target index, duplicates merged,
 *     entries of 0 dropped, targets that are not in the problem kept last;
 *   - a PlacementResult given as input (tests/fixtures/current/previous-
 *     result.json|yaml, hand-written as `place solve` writes them): its
 *     assignments become the current placement of the workload of the same
 *     kind, namespace and name, in any order of the documents; status wins;
 *     entries for workloads not in the problem, for other kinds and for
 *     bound Pods are ignored; two results for one workload are an error;
 *   - re-finalizing after more targets resolves the indexes again, and a
 *     refused source leaves no PlacementResult behind;
 *   - the PlacementPolicy's weights.move;
 *   - errors at the field, with line, column, object and path.
 * (tests/api/test_errors.c holds more error locations, from the fixtures in
 * tests/fixtures/invalid: current-*, result-*, policy-move-negative.)
 */
#include "model.h"
#include "support.h"
#include "tree.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static place_ctx *ctx;
static place__model model;

static void setup(void)
{
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    place__model_init(&model, ctx);
}

static void teardown(void)
{
    place__model_free(&model);
    place_ctx_free(ctx);
}

TestSuite(current, .init = setup, .fini = teardown);

/* Read text as the problem does (the tree in the model's arena) and decode
 * it; the source name is copied into the arena. */
static int add_text(const char *text, size_t len, bool json,
                    const char *source)
{
    place__docs docs;
    const char *src = place__arena_strndup(&model.arena, source,
                                           strlen(source));
    int rc;

    cr_assert_not_null(src);
    memset(&docs, 0, sizeof docs);
    rc = json ? place__json_read(ctx, &model.arena, text, len, src, &docs)
              : place__yaml_read(ctx, &model.arena, text, len, src, &docs);
    if (rc != PLACE_OK)
        return rc;
    return place__decode(ctx, &model, &docs, src);
}

static int add(const char *text, const char *source)
{
    return add_text(text, strlen(text), text[0] == '{' || text[0] == '[',
                    source);
}

/* A fixture of tests/fixtures/current (or another folder of fixtures). */
static int add_fixture(const char *rel)
{
    char path[1024];
    size_t len;
    char *data;
    int rc;

    snprintf(path, sizeof path, "%s/fixtures/%s", PLACE_TESTS_DIR, rel);
    data = test_read_file(path, &len);
    cr_assert_not_null(data, "cannot read %s", path);
    rc = add_text(data, len, strstr(rel, ".json") != NULL, rel);
    free(data);
    return rc;
}

static void finalize(void)
{
    cr_assert_eq(place__model_finalize(ctx, &model), PLACE_OK, "%s",
                 place_errmsg(ctx));
}

static const place__workload *workload(const char *kind, const char *ns,
                                       const char *name)
{
    size_t i;
    for (i = 0; i < model.nworkloads; i++) {
        const place__workload *w = &model.workloads[i];
        if (!strcmp(place__kind_name(w->kind), kind) && !strcmp(w->ns, ns) &&
            !strcmp(w->name, name))
            return w;
    }
    cr_assert_fail("no %s %s/%s", kind, ns, name);
    return NULL;
}

/* "home-1:1 home-2:2 gone:2(-1)": target, replicas, and the index when it
 * is not the target's own (checked separately). */
static void expect_current(const char *kind, const char *ns,
                           const char *name, const char *want)
{
    const place__workload *w = workload(kind, ns, name);
    char got[512];
    size_t i, o = 0;

    got[0] = '\0';
    for (i = 0; i < w->ncurrent; i++) {
        const place__current *c = &w->current[i];
        long ti = place__model_find_target(&model, c->target);
        cr_assert_eq(c->ti, ti, "%s/%s: %s has index %ld, expected %ld", ns,
                     name, c->target, c->ti, ti);
        o += (size_t)snprintf(got + o, sizeof got - o, "%s%s:%lld%s",
                              i ? " " : "", c->target,
                              (long long)c->replicas, c->ti < 0 ? "(-1)" : "");
    }
    cr_assert_str_eq(got, want, "%s %s/%s", kind, ns, name);
    cr_assert_eq(w->current == NULL, w->ncurrent == 0);
}

/* What the status.placement of federation.yaml|json gives. */
static void expect_status_placements(void)
{
    /* home-2 twice (merged), partner-a 0 (dropped), gone last */
    expect_current("Deployment", "shop", "frontend",
                   "home-1:1 home-2:2 gone:2(-1)");
    expect_current("StatefulSet", "shop", "db", "");
    cr_assert(workload("StatefulSet", "shop", "db")->current_from_status);
    expect_current("ReplicaSet", "shop", "cache", "partner-a:1");
    expect_current("Pod", "shop", "worker", "home-1:1");
    expect_current("Pod", "shop", "bound", "");
    cr_assert_not(workload("Pod", "shop", "bound")->current_from_status);
}

Test(current, status_placement_yaml)
{
    const place__workload *w;

    cr_assert_eq(add_fixture("current/federation.yaml"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    finalize();
    expect_status_placements();
    expect_current("Deployment", "shop", "api", "");
    expect_current("Job", "shop", "report", "");
    cr_assert_not(workload("Deployment", "shop", "api")->current_from_status);
    /* where each entry was written: a merged one keeps the first */
    w = workload("Deployment", "shop", "frontend");
    cr_assert_str_eq(w->current[0].pos.source, "current/federation.yaml");
    cr_assert_eq(w->current[0].pos.line, 42);
    cr_assert_eq(w->current[0].pos.column, 5);
    cr_assert_eq(w->current[1].pos.line, 38);
    cr_assert_eq(w->current[2].pos.line, 40);
    w = workload("Pod", "shop", "worker");
    cr_assert_eq(w->current[0].pos.line, 114);
    cr_assert_eq(w->current[0].pos.column, 5);
}

Test(current, status_placement_json)
{
    cr_assert_eq(add_fixture("current/federation.json"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    finalize();
    expect_status_placements();
    expect_current("Deployment", "shop", "api", "");
    expect_current("Job", "shop", "report", "");
}

/* What federation + previous-result give: status wins (frontend, and db's
 * empty list), the bound Pod and the entries for other workloads, kinds
 * and namespaces are ignored. */
static void expect_with_result(void)
{
    expect_status_placements();
    expect_current("Deployment", "shop", "api", "home-1:1 partner-a:1");
    expect_current("Job", "shop", "report", "home-2:1");
    cr_assert_eq(model.nworkloads, 7);
}

Test(current, placement_result_json)
{
    cr_assert_eq(add_fixture("current/federation.yaml"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(add_fixture("current/previous-result.json"), PLACE_OK,
                 "%s", place_errmsg(ctx));
    finalize();
    expect_with_result();
    /* a document, not an ignored one; the Node entry is not kept */
    cr_assert_eq(model.documents, 11);
    cr_assert_eq(model.ignored, 0);
    cr_assert_eq(model.nprevious, 8);
}

Test(current, placement_result_yaml_first)
{
    /* documents come in any order */
    cr_assert_eq(add_fixture("current/previous-result.yaml"), PLACE_OK,
                 "%s", place_errmsg(ctx));
    finalize(); /* no workload yet: nothing to resolve */
    cr_assert_eq(add_fixture("current/federation.json"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    finalize();
    expect_with_result();
}

/* A result written by libplace's own writer reads back. */
Test(current, placement_result_minimal)
{
    static const char doc[] =
        "{\"apiVersion\": \"libplace.io/v1alpha1\", \"kind\": "
        "\"PlacementResult\", \"status\": \"error\", \"workloads\": []}";
    cr_assert_eq(add(doc, "r.json"), PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(add("kind: PlacementResult\n", "r.yaml"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(model.nprevious, 0);
    cr_assert_eq(model.documents, 2);
}

Test(current, more_targets_later)
{
    cr_assert_eq(add_fixture("current/federation.yaml"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(add_fixture("current/previous-result.json"), PLACE_OK,
                 "%s", place_errmsg(ctx));
    finalize();
    cr_assert_eq(add("kind: Node\nmetadata: {name: gone}\n", "gone.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    finalize();
    /* "gone" is a target now, and sorts first */
    expect_current("Deployment", "shop", "frontend",
                   "gone:2 home-1:1 home-2:2");
    expect_current("Deployment", "shop", "api", "home-1:1 partner-a:1");
    cr_assert_eq(workload("Deployment", "shop", "api")->current[1].ti, 3);
}

Test(current, two_results_for_one_workload)
{
    place_location loc;
    cr_assert_eq(add_fixture("current/federation.yaml"), PLACE_OK);
    cr_assert_eq(add_fixture("current/previous-result.yaml"), PLACE_OK);
    cr_assert_eq(add_fixture("current/previous-result.json"), PLACE_OK);
    cr_assert_eq(place__model_finalize(ctx, &model), PLACE_ESCHEMA);
    cr_assert_str_eq(place_errmsg(ctx),
                     "current/previous-result.yaml:12:3: PlacementResult: "
                     "the current placement of Deployment shop/api is "
                     "already given by the PlacementResult at "
                     "current/previous-result.json:5:17");
    cr_assert_eq(place_errloc(ctx, &loc), PLACE_OK);
    cr_assert_str_eq(loc.object, "PlacementResult");
    cr_assert_null(loc.path);
}

/* Two results naming only workloads the problem lacks: fine. */
Test(current, two_results_for_absent_workloads)
{
    static const char r[] = "kind: PlacementResult\nworkloads:\n"
                            "- {kind: Deployment, namespace: x, name: y,\n"
                            "   assignments: [{target: a, replicas: 1}]}\n";
    cr_assert_eq(add(r, "r1.yaml"), PLACE_OK);
    cr_assert_eq(add(r, "r2.yaml"), PLACE_OK);
    cr_assert_eq(add("kind: Node\nmetadata: {name: a}\n", "n.yaml"),
                 PLACE_OK);
    finalize();
    cr_assert_eq(model.nprevious, 2);
}

Test(current, refused_source_leaves_no_result)
{
    cr_assert_eq(add_fixture("current/federation.yaml"), PLACE_OK);
    /* a valid PlacementResult, then a bad document in the same source */
    cr_assert_eq(add("kind: PlacementResult\nworkloads:\n"
                     "- {kind: Job, namespace: shop, name: report,\n"
                     "   assignments: [{target: home-1, replicas: 2}]}\n"
                     "---\nkind: Node\nmetadata: {name: Bad}\n",
                     "bad.yaml"),
                 PLACE_ESCHEMA);
    cr_assert_eq(model.nprevious, 0);
    finalize();
    expect_current("Job", "shop", "report", "");
}

Test(current, policy_move_weight)
{
    cr_assert_eq(model.policy.w_move, 1.0);
    cr_assert_eq(add("kind: PlacementPolicy\nmetadata: {name: p}\n"
                     "spec:\n  weights: {affinity: 2, move: 2.5}\n",
                     "p.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(model.policy.w_move, 2.5);
    cr_assert_eq(model.policy.w_affinity, 2.0);
    cr_assert_eq(model.policy.w_cost, 1.0);
    place__model_free(&model);
    place__model_init(&model, ctx);
    cr_assert_eq(add("{\"kind\": \"PlacementPolicy\", \"metadata\": "
                     "{\"name\": \"p\"}, \"spec\": {\"weights\": "
                     "{\"move\": 0}}}",
                     "p.json"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(model.policy.w_move, 0.0);
}

/* ---- errors ------------------------------------------------------------ */

static void expect_error(int rc, const char *source, unsigned int line,
                         unsigned int column, const char *object,
                         const char *path, const char *part)
{
    place_location loc;
    cr_assert_eq(rc, PLACE_ESCHEMA, "rc %d: %s", rc, place_errmsg(ctx));
    cr_assert_eq(place_errloc(ctx, &loc), PLACE_OK);
    cr_assert_str_eq(loc.source, source);
    cr_assert_eq(loc.line, line, "line %u: %s", loc.line, place_errmsg(ctx));
    cr_assert_eq(loc.column, column, "column %u: %s", loc.column,
                 place_errmsg(ctx));
    cr_assert_str_eq(loc.object, object, "%s", place_errmsg(ctx));
    cr_assert_str_eq(loc.path, path, "%s", place_errmsg(ctx));
    cr_assert(strstr(place_errmsg(ctx), part), "\"%s\" lacks \"%s\"",
              place_errmsg(ctx), part);
    cr_assert_eq(model.nworkloads, 0);
    cr_assert_eq(model.nprevious, 0);
}

#define POD "kind: Pod\nmetadata: {name: p}\nspec: {}\nstatus:\n"

Test(current, errors_at_the_field)
{
    expect_error(add(POD "  placement: [{target: [a], replicas: 1}]\n",
                     "a.yaml"),
                 "a.yaml", 5, 24, "Pod default/p", "status.placement[0].target",
                 "expected a string, got a list");
    expect_error(add(POD "  placement: [{target: Home_1, replicas: 1}]\n",
                     "b.yaml"),
                 "b.yaml", 5, 24, "Pod default/p", "status.placement[0].target",
                 "invalid target name \"Home_1\"");
    expect_error(add(POD "  placement: [{target: \"\", replicas: 1}]\n",
                     "c.yaml"),
                 "c.yaml", 5, 24, "Pod default/p", "status.placement[0].target",
                 "required value: the name of a target");
    expect_error(add(POD "  placement:\n  - {target: a}\n", "d.yaml"),
                 "d.yaml", 6, 5, "Pod default/p",
                 "status.placement[0].replicas",
                 "required value: a non-negative integer");
    expect_error(add(POD "  placement:\n"
                         "  - {target: a, replicas: 2147483648}\n",
                     "e.yaml"),
                 "e.yaml", 6, 27, "Pod default/p",
                 "status.placement[0].replicas",
                 "expected a non-negative integer, got \"2147483648\"");
    expect_error(add(POD "  placement:\n  - {target: a, replicas: 1.5}\n",
                     "f.yaml"),
                 "f.yaml", 6, 27, "Pod default/p",
                 "status.placement[0].replicas",
                 "expected a non-negative integer, got \"1.5\"");
    expect_error(add(POD "  placement:\n  - null\n", "g.yaml"), "g.yaml", 6,
                 5, "Pod default/p", "status.placement[0]",
                 "expected a mapping, got null");
    expect_error(add(POD "  placement: 3\n", "h.yaml"), "h.yaml", 5, 14,
                 "Pod default/p", "status.placement",
                 "expected a list, got a scalar");
    expect_error(add("kind: Pod\nmetadata: {name: p}\nspec: {}\n"
                     "status: [placement]\n", "i.yaml"),
                 "i.yaml", 4, 9, "Pod default/p", "status",
                 "expected a mapping, got a list");
    /* JSON */
    expect_error(add("{\"kind\": \"Deployment\", \"metadata\": {\"name\": "
                     "\"d\"},\n \"spec\": {\"template\": {\"spec\": {}}},\n"
                     " \"status\": {\"placement\": [{\"target\": \"a\", "
                     "\"replicas\": -1}]}}",
                     "j.json"),
                 "j.json", 3, 55, "Deployment default/d",
                 "status.placement[0].replicas",
                 "expected a non-negative integer, got \"-1\"");
    expect_error(add("{\"kind\": \"Deployment\", \"metadata\": {\"name\": "
                     "\"d\"},\n \"spec\": {\"template\": {\"spec\": {}}},\n"
                     " \"status\": {\"placement\": [{\"target\": {\"name\": "
                     "\"a\"}, \"replicas\": 1}]}}",
                     "k.json"),
                 "k.json", 3, 38, "Deployment default/d",
                 "status.placement[0].target",
                 "expected a string, got a mapping");
    /* a PlacementResult */
    expect_error(add("kind: PlacementResult\nworkloads:\n"
                     "- {kind: Job, name: j, assignments: {target: a}}\n",
                     "r.yaml"),
                 "r.yaml", 3, 37, "PlacementResult", "workloads[0].assignments",
                 "expected a list, got a mapping");
    expect_error(add("kind: PlacementResult\nworkloads:\n"
                     "- {kind: Job, assignments: []}\n", "s.yaml"),
                 "s.yaml", 3, 3, "PlacementResult", "workloads[0].name",
                 "required value");
    expect_error(add("kind: PlacementResult\nworkloads: {a: 1}\n", "t.yaml"),
                 "t.yaml", 2, 12, "PlacementResult", "workloads",
                 "expected a list, got a mapping");
}

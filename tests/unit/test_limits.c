/*
 * test_limits.c: the readers' limits from inside (tree.h), the context's
 * limit fields (internal.h), and GLPK's error hook.
 *
 *   - the share of aliased nodes a YAML document may have, at the edges of
 *     go-yaml's rule (99% up to 400,000 nodes; 10% from 4,000,000);
 *   - scalar length, in both readers, counted as decoded;
 *   - the documents of a YAML stream, empty ones included;
 *   - a parse error at the end of a last line without a line break is on
 *     that line (libyaml's mark is on the next, which does not exist);
 *   - the defaults of a context and the zero-means-default rule;
 *   - an internal failure of GLPK (its memory limit, glp_mem_limit, makes
 *     it call its error hook) becomes PLACE_ESOLVER, and the thread's next
 *     solve works: GLPK's environment was freed and comes back fresh.
 */
#include "tree.h"

#include <criterion/criterion.h>
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static place_ctx *ctx;
static place__arena arena;
static place__docs docs;

static void open_ctx(const place_ctx_options *o)
{
    cr_assert_eq(place_ctx_new(&ctx, o), PLACE_OK);
    place__arena_init(&arena, ctx);
}

static void setup(void)
{
    open_ctx(NULL);
}

static void teardown(void)
{
    place__arena_free(&arena);
    place_ctx_free(ctx);
}

static void reopen(const place_ctx_options *o)
{
    teardown();
    open_ctx(o);
}

static int yread(const char *s)
{
    return place__yaml_read(ctx, &arena, s, strlen(s), "t.yaml", &docs);
}

static int jread(const char *s)
{
    return place__json_read(ctx, &arena, s, strlen(s), "t.json", &docs);
}

static void expect(int rc, int code, unsigned int line, unsigned int col,
                   const char *part)
{
    place_location loc;
    cr_assert_eq(rc, code, "rc %d: %s", rc, place_errmsg(ctx));
    cr_assert(strstr(place_errmsg(ctx), part), "\"%s\" lacks \"%s\"",
              place_errmsg(ctx), part);
    cr_assert_eq(place_errloc(ctx, &loc), PLACE_OK);
    cr_assert_eq(loc.line, line, "line %u: %s", loc.line, place_errmsg(ctx));
    cr_assert_eq(loc.column, col, "column %u: %s", loc.column,
                 place_errmsg(ctx));
}

/* A growable string. */
typedef struct str {
    char *s;
    size_t len, cap;
} str;

static void sadd(str *b, const char *p)
{
    size_t n = strlen(p);
    if (b->len + n + 1 > b->cap) {
        while (b->len + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->s = realloc(b->s, b->cap);
        cr_assert_not_null(b->s);
    }
    memcpy(b->s + b->len, p, n + 1);
    b->len += n;
}

TestSuite(limits, .init = setup, .fini = teardown);

/* ---- aliasing ---------------------------------------------------------------- */

/* `real` plain scalars, then `copies` aliases of an anchored list of
 * `size` scalars (size + 1 nodes each). */
static char *aliased(int real, int size, int copies)
{
    str b = {0};
    int i;
    sadd(&b, "r: [");
    for (i = 0; i < real; i++)
        sadd(&b, i ? ",x" : "x");
    sadd(&b, "]\na: &a [");
    for (i = 0; i < size; i++)
        sadd(&b, i ? ",y" : "y");
    sadd(&b, "]\nc: [");
    for (i = 0; i < copies; i++)
        sadd(&b, i ? ",*a" : "*a");
    sadd(&b, "]\n");
    return b.s;
}

/* 99% of copies is allowed, a little more is not (small documents). */
Test(limits, aliasing_small_documents)
{
    /* nodes before the copies: the root, 3 keys, 3 lists, 300 real and
     * 9 anchored scalars = 316; each copy adds 10 */
    char *ok = aliased(300, 9, 3000);  /* 30000 of 30316: 98.96% */
    char *bad = aliased(300, 9, 3500); /* the 3129th copy passes 99% */
    cr_assert_eq(yread(ok), PLACE_OK, "%s", place_errmsg(ctx));
    expect(yread(bad), PLACE_ELIMIT, 3, 5 + 3 * 3128,
           "excessive aliasing: 31290 of the document's 31606 nodes");
    free(ok);
    free(bad);
}

/* Fewer than 100 copied nodes, or fewer than 1000 nodes in all: anything
 * goes, as in go-yaml. */
Test(limits, aliasing_below_the_thresholds)
{
    char *a = aliased(0, 9, 9);    /* 90 copies */
    char *b = aliased(0, 1, 400);  /* 800 copies of 810 nodes */
    cr_assert_eq(yread(a), PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(yread(b), PLACE_OK, "%s", place_errmsg(ctx));
    free(a);
    free(b);
}

/* Between 400,000 and 4,000,000 nodes the share goes from 99% down to
 * 10%: at 2,200,000 nodes it is 54.5%. */
Test(limits, aliasing_large_documents)
{
    place_ctx_options o;
    char *ok, *bad;
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    o.max_input_bytes = (size_t)256 << 20;
    reopen(&o);
    /* 1,000,000 real nodes, copies of 1001 nodes */
    ok = aliased(1000000, 1000, 1100);  /* 1.1M of 2.1M: 52.4% < 56% */
    bad = aliased(1000000, 1000, 1300); /* 1.3M of 2.3M: 56.5% > 52% */
    cr_assert_eq(yread(ok), PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(yread(bad), PLACE_ELIMIT, "%s", place_errmsg(ctx));
    cr_assert(strstr(place_errmsg(ctx), "excessive aliasing"));
    free(ok);
    free(bad);
}

/* ---- scalars and documents ------------------------------------------------------ */

Test(limits, scalar_length_yaml)
{
    place_ctx_options o;
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    o.max_scalar_bytes = 4;
    reopen(&o);
    cr_assert_eq(yread("abcd: 'wxyz'\n"), PLACE_OK);
    expect(yread("a: 'wxyz1'\n"), PLACE_ELIMIT, 1, 4, "scalar of 5 bytes");
    /* as decoded: an escape is one byte, a folded line break too */
    cr_assert_eq(yread("a: \"\\x41\\x42\\x43\\x44\"\n"), PLACE_OK);
    expect(yread("a: |\n  abcd\n"), PLACE_ELIMIT, 1, 4, "scalar of 5 bytes");
    expect(yread("abcde: 1\n"), PLACE_ELIMIT, 1, 1, "scalar of 5 bytes");
}

Test(limits, scalar_length_json)
{
    place_ctx_options o;
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    o.max_scalar_bytes = 4;
    reopen(&o);
    cr_assert_eq(jread("{\"abcd\": [\"\\u00e9\\u00e9\", 1234, true]}"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    expect(jread("{\"a\": \"\\u00e9\\u00e9x\"}"), PLACE_ELIMIT, 1, 7,
           "string of 5 bytes");
    expect(jread("[1.234]"), PLACE_ELIMIT, 1, 2, "number of 5 bytes");
    expect(jread("{\"abcde\": 1}"), PLACE_ELIMIT, 1, 2, "string of 5 bytes");
}

Test(limits, documents_of_a_stream)
{
    place_ctx_options o;
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    o.max_documents = 3;
    reopen(&o);
    cr_assert_eq(yread("a: 1\n---\n---\nb: 2\n"), PLACE_OK);
    cr_assert_eq(docs.count, 3);
    cr_assert_null(docs.items[1].root);
    expect(yread("a: 1\n---\n---\n--- ~\n"), PLACE_ELIMIT, 4, 1,
           "more than 3 documents");
}

/* ---- positions at the end ---------------------------------------------------------- */

Test(limits, error_at_the_end_of_a_last_line)
{
    expect(yread("a: 1\nb: 2\nakind"), PLACE_EPARSE, 3, 6,
           "could not find expected ':'");
    /* with a line break, the next line exists (empty) */
    expect(yread("a: 1\nb: 2\nakind\n"), PLACE_EPARSE, 4, 1,
           "could not find expected ':'");
    expect(yread("a: [1, 2"), PLACE_EPARSE, 1, 9, "");
    expect(yread("a: \"x"), PLACE_EPARSE, 1, 6, "end of stream");
    /* an empty value at the very end is there too, not on a next line */
    cr_assert_eq(yread("k: 1\na:"), PLACE_OK);
    cr_assert_eq(docs.items[0].root->values[1]->line, 2);
    cr_assert_eq(docs.items[0].root->values[1]->column, 3);
    cr_assert_eq(yread("?"), PLACE_OK);
    cr_assert_eq(docs.items[0].root->values[0]->line, 1);
    cr_assert_eq(docs.items[0].root->values[0]->column, 2);
}

/* ---- the context's limits ----------------------------------------------------------- */

Test(limits, defaults)
{
    place_ctx_options o;
    cr_assert_eq(ctx->max_input_bytes, (size_t)64 << 20);
    cr_assert_eq(ctx->max_depth, 64);
    cr_assert_eq(ctx->max_documents, 1000000);
    cr_assert_eq(ctx->max_nodes, 10000000);
    cr_assert_eq(ctx->max_scalar_bytes, (size_t)1 << 20);
    cr_assert_eq(ctx->max_workloads, 100000);
    cr_assert_eq(ctx->max_targets, 10000);
    cr_assert_eq(ctx->max_pairs, 2000000);
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    o.max_scalar_bytes = 7;
    o.max_workloads = 8;
    o.max_targets = 9;
    o.max_pairs = 10;
    reopen(&o);
    cr_assert_eq(ctx->max_scalar_bytes, 7);
    cr_assert_eq(ctx->max_workloads, 8);
    cr_assert_eq(ctx->max_targets, 9);
    cr_assert_eq(ctx->max_pairs, 10);
    cr_assert_eq(ctx->max_nodes, 10000000);
}

/* ---- GLPK's error hook ---------------------------------------------------------------- */

/* Nodes and Deployments enough for GLPK to need more than 1 MB. */
static char *problem_text(int workloads, int targets)
{
    str b = {0};
    char doc[512];
    int i;
    sadd(&b, "");
    for (i = 0; i < targets; i++) {
        snprintf(doc, sizeof doc,
                 "---\napiVersion: v1\nkind: Node\nmetadata: {name: n%03d, "
                 "labels: {zone: z%d}}\nstatus: {allocatable: {cpu: \"%d\", "
                 "memory: 8Gi, pods: \"110\"}}\n", i, i % 3, 2 + i % 5);
        sadd(&b, doc);
    }
    for (i = 0; i < workloads; i++) {
        snprintf(doc, sizeof doc,
                 "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: "
                 "{name: d%03d}\nspec:\n  replicas: %d\n  template:\n    "
                 "spec:\n      containers: [{name: c, resources: {requests: "
                 "{cpu: %dm, memory: %dMi}}}]\n", i, 1 + i % 3,
                 100 + 37 * (i % 11), 64 + 16 * (i % 7));
        sadd(&b, doc);
    }
    return b.s;
}

static int solve_text(const char *text, place_result **res)
{
    place_problem *pb;
    place_solve_options so = PLACE_SOLVE_OPTIONS_INIT;
    int rc;
    so.flags = PLACE_SOLVE_NO_EXPLAIN;
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    cr_assert_eq(place_problem_add_document(pb, text, strlen(text),
                                            PLACE_FORMAT_YAML, "p.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    rc = place_solve(res, pb, &so);
    place_problem_free(pb);
    return rc;
}

Test(limits, glpk_internal_error_becomes_esolver)
{
    char *text = problem_text(120, 40);
    place_result *res = NULL;
    int rc;

    /* GLPK's own allocations are limited to 1 MB on this thread: past
     * that, GLPK reports an internal error through its hook */
    glp_mem_limit(1);
    rc = solve_text(text, &res);
    cr_assert_eq(rc, PLACE_ESOLVER, "rc %d: %s", rc, place_errmsg(ctx));
    cr_assert_null(res);
    cr_assert_eq(place_errcode(ctx), PLACE_ESOLVER);
    cr_assert(strstr(place_errmsg(ctx), "GLPK failed with an internal error"),
              "%s", place_errmsg(ctx));
    /* the environment was freed with its limit: the next solve works */
    rc = solve_text(text, &res);
    cr_assert_eq(rc, PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_result_workload_count(res), 120);
    place_result_free(res);
    free(text);
    glp_free_env();
}

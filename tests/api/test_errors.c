/*
 * test_errors.c: every input error names where it is, exactly, in both
 * formats: FILE:LINE:COLUMN: KIND NAMESPACE/NAME: FIELD.PATH: message, with
 * LINE:COLUMN the first character of the offending value (for a missing
 * field, the mapping that lacks it; for a syntax error, where the parser
 * stopped).
 *
 * The cases are data: tests/fixtures/invalid/NAME.yaml and NAME.json say
 * the same thing in the two formats, and the table below gives the expected
 * code, the position in each file, the object, the path and a part of the
 * message. The positions were found in the files by looking for the
 * offending text, not by running libplace.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <place.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct err_case {
    const char *label;
    const char *file;     /* tests/fixtures/invalid/FILE.yaml|json; NULL:
                             the label */
    int code;
    bool check;           /* found by place_problem_check, not by the add */
    size_t max_documents; /* context limits, 0 = default */
    unsigned int max_depth;
    unsigned int yline, ycol; /* 0: there is no YAML file */
    unsigned int jline, jcol; /* 0: there is no JSON file */
    const char *object;
    const char *path;
    const char *message;  /* a part of the message */
    bool same_message;    /* YAML and JSON give the same message */
} err_case;

static const err_case cases[] = {
    {"replicas-string", NULL, PLACE_ESCHEMA,
     false, 0, 0, 6, 13, 8, 17,
     "Deployment default/frontend",
     "spec.replicas",
     "expected a non-negative integer, got \"three\"",
     true},
    {"replicas-negative", NULL, PLACE_ESCHEMA,
     false, 0, 0, 6, 13, 8, 17,
     "Deployment default/frontend",
     "spec.replicas",
     "expected a non-negative integer, got \"-1\"",
     true},
    {"mapping-expected", NULL, PLACE_ESCHEMA,
     false, 0, 0, 9, 21, 11, 25,
     "Deployment default/frontend",
     "spec.template.spec.nodeSelector",
     "expected a mapping, got a scalar",
     true},
    {"string-expected", NULL, PLACE_ESCHEMA,
     false, 0, 0, 10, 7, 11, 30,
     "Deployment default/frontend",
     "spec.template.spec.priorityClassName",
     "expected a string, got a list",
     true},
    {"quantity-invalid-suffix", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 18, 17, 24,
     "Deployment default/frontend",
     "spec.template.spec.containers[0].resources.requests.cpu",
     "invalid quantity \"12x\"",
     true},
    {"quantity-uppercase-k", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 21, 17, 27,
     "Deployment default/frontend",
     "spec.template.spec.containers[0].resources.requests.memory",
     "invalid quantity \"1K\"",
     true},
    {"request-negative", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 18, 17, 24,
     "Deployment default/frontend",
     "spec.template.spec.containers[0].resources.requests.cpu",
     "must be greater than or equal to 0",
     true},
    {"operator-unknown", NULL, PLACE_ESCHEMA,
     false, 0, 0, 15, 27, 19, 35,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].operator",
     "unsupported operator \"Like\"",
     true},
    {"in-without-values", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 17, 17, 21,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values",
     "must be specified when `operator` is 'In' or 'NotIn'",
     true},
    {"exists-with-values", NULL, PLACE_ESCHEMA,
     false, 0, 0, 16, 25, 20, 33,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values",
     "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
     true},
    {"gt-two-values", NULL, PLACE_ESCHEMA,
     false, 0, 0, 16, 25, 20, 33,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values",
     "must be specified single value when `operator` is 'Lt' or 'Gt'",
     true},
    {"gt-not-in-order", NULL, PLACE_ESCHEMA,
     true, 0, 0, 25, 26, 41, 27,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchExpressions[0].values[0]",
     "\"fast\" is not in the order of cpu-generation declared by the "
     "PlacementPolicy (gen1, gen2, gen3)",
     true},
    {"matchfields-key", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 22, 18, 30,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
     "matchFields[0].key",
     "not a valid field selector key \"metadata.namespace\"",
     true},
    {"weight-zero", NULL, PLACE_ESCHEMA,
     false, 0, 0, 12, 21, 15, 27,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "preferredDuringSchedulingIgnoredDuringExecution[0].weight",
     "expected a weight from 1 to 100, got \"0\"",
     true},
    {"weight-101", NULL, PLACE_ESCHEMA,
     false, 0, 0, 15, 21, 26, 27,
     "Deployment default/frontend",
     "spec.template.spec.affinity.nodeAffinity."
     "preferredDuringSchedulingIgnoredDuringExecution[0].weight",
     "expected a weight from 1 to 100, got \"101\"",
     true},
    {"toleration-operator-unknown", NULL, PLACE_ESCHEMA,
     false, 0, 0, 11, 19, 14, 25,
     "Deployment default/frontend",
     "spec.template.spec.tolerations[0].operator",
     "unsupported operator \"Like\"",
     true},
    {"toleration-effect-unknown", NULL, PLACE_ESCHEMA,
     false, 0, 0, 12, 17, 15, 23,
     "Deployment default/frontend",
     "spec.template.spec.tolerations[0].effect",
     "unsupported effect \"NoScheduleAtAll\"",
     true},
    {"taint-effect-unknown", NULL, PLACE_ESCHEMA,
     false, 0, 0, 9, 13, 12, 19,
     "Node node-a",
     "spec.taints[0].effect",
     "unsupported effect \"Sometimes\"",
     true},
    {"taint-duplicate", NULL, PLACE_ESCHEMA,
     false, 0, 0, 10, 5, 14, 7,
     "Node node-a",
     "spec.taints[1]",
     "taints must be unique by key and effect pair",
     true},
    {"request-above-limit", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 21, 17, 27,
     "Deployment default/frontend",
     "spec.template.spec.containers[0].resources.requests.memory",
     "must be less than or equal to memory limit of \"1Gi\"",
     true},
    {"taint-without-effect", NULL, PLACE_ESCHEMA,
     false, 0, 0, 7, 5, 9, 7,
     "Node node-a",
     "spec.taints[0].effect",
     "required value",
     true},
    {"toleration-empty-key-equal", NULL, PLACE_ESCHEMA,
     false, 0, 0, 10, 19, 13, 25,
     "Deployment default/frontend",
     "spec.template.spec.tolerations[0].operator",
     "operator must be Exists when `key` is empty",
     true},
    {"toleration-seconds-not-noexecute", NULL, PLACE_ESCHEMA,
     false, 0, 0, 12, 17, 15, 23,
     "Deployment default/frontend",
     "spec.template.spec.tolerations[0].effect",
     "effect must be 'NoExecute' when `tolerationSeconds` is set",
     true},
    {"toleration-value-invalid", NULL, PLACE_ESCHEMA,
     false, 0, 0, 12, 16, 15, 22,
     "Deployment default/frontend",
     "spec.template.spec.tolerations[0].value",
     "invalid toleration value \"gpu only\"",
     true},
    {"missing-kind", NULL, PLACE_ESCHEMA,
     false, 0, 0, 1, 1, 1, 1,
     NULL,
     "kind",
     "required value",
     true},
    {"missing-name", NULL, PLACE_ESCHEMA,
     false, 0, 0, 4, 3, 4, 15,
     "Deployment",
     "metadata.name",
     "required value",
     true},
    {"missing-spec", NULL, PLACE_ESCHEMA,
     false, 0, 0, 1, 1, 1, 1,
     "Deployment default/frontend",
     "spec",
     "required value",
     true},
    {"missing-template", NULL, PLACE_ESCHEMA,
     false, 0, 0, 6, 3, 7, 11,
     "Deployment default/frontend",
     "spec.template",
     "required value",
     true},
    {"duplicate-deployment", NULL, PLACE_ESCHEMA,
     true, 0, 0, 16, 9, 26, 15,
     "Deployment default/frontend",
     "metadata.name",
     "duplicate name",
     false},
    {"duplicate-node", NULL, PLACE_ESCHEMA,
     true, 0, 0, 11, 9, 16, 15,
     "Node node-a",
     "metadata.name",
     "duplicate name",
     false},
    {"two-policies", NULL, PLACE_ESCHEMA,
     false, 0, 0, 11, 9, 16, 15,
     "PlacementPolicy second",
     "metadata.name",
     "at most one PlacementPolicy",
     false},
    {"priorityclass-duplicate", NULL, PLACE_ESCHEMA,
     false, 0, 0, 10, 9, 14, 15,
     "PriorityClass high",
     "metadata.name",
     "duplicate name: already defined at",
     false},
    {"priorityclass-two-defaults", NULL, PLACE_ESCHEMA,
     false, 0, 0, 13, 16, 18, 22,
     "PriorityClass high",
     "globalDefault",
     "PriorityClass normal",
     false},
    {"priorityclass-unknown", NULL, PLACE_ESCHEMA,
     true, 0, 0, 9, 26, 11, 30,
     "Deployment default/frontend",
     "spec.template.spec.priorityClassName",
     "no PriorityClass with name high-priority",
     true},
    {"nodename-unknown", NULL, PLACE_ESCHEMA,
     true, 0, 0, 6, 13, 8, 17,
     "Pod default/web-0",
     "spec.nodeName",
     "no Node or ClusterAdvertisement named \"node-z\"",
     true},
    {"label-key-invalid", NULL, PLACE_ESCHEMA,
     false, 0, 0, 7, 5, 8, 7,
     "Node node-a",
     "metadata.labels.-zone",
     "invalid label key \"-zone\"",
     true},
    {"label-value-invalid", NULL, PLACE_ESCHEMA,
     false, 0, 0, 7, 11, 8, 15,
     "Node node-a",
     "metadata.labels.zone",
     "invalid label value \"-west\"",
     true},
    {"offloading-strategy-unknown", NULL, PLACE_ESCHEMA,
     false, 0, 0, 7, 26, 9, 30,
     "NamespaceOffloading shop/offloading",
     "spec.podOffloadingStrategy",
     "unsupported value \"Everywhere\"",
     true},
    {"list-item-invalid", NULL, PLACE_ESCHEMA,
     false, 0, 0, 13, 15, 19, 21,
     "Deployment default/frontend",
     "spec.replicas",
     "expected a non-negative integer, got \"three\"",
     true},
    {"second-item-invalid", NULL, PLACE_ESCHEMA,
     false, 0, 0, 11, 13, 16, 19,
     "Deployment default/frontend",
     "spec.replicas",
     "expected a non-negative integer, got \"-1\"",
     true},
    {"name-uppercase", NULL, PLACE_ESCHEMA,
     false, 0, 0, 4, 9, 4, 24,
     "Node",
     "metadata.name",
     "invalid name \"Home-1\": a lowercase RFC 1123 subdomain",
     true},
    {"current-replicas-negative", NULL, PLACE_ESCHEMA,
     false, 0, 0, 17, 15, 23, 43,
     "Deployment default/frontend",
     "status.placement[1].replicas",
     "expected a non-negative integer, got \"-2\"",
     true},
    {"current-replicas-string", NULL, PLACE_ESCHEMA,
     false, 0, 0, 14, 32, 13, 52,
     "StatefulSet shop/db",
     "status.placement[0].replicas",
     "expected a non-negative integer, got \"1\"",
     true},
    {"current-target-missing", NULL, PLACE_ESCHEMA,
     false, 0, 0, 16, 5, 16, 7,
     "Job default/report",
     "status.placement[1].target",
     "required value: the name of a target",
     true},
    {"current-not-a-list", NULL, PLACE_ESCHEMA,
     false, 0, 0, 10, 14, 6, 27,
     "Pod default/web",
     "status.placement",
     "expected a list, got a mapping",
     true},
    {"current-bound-pod", NULL, PLACE_ESCHEMA,
     false, 0, 0, 12, 3, 7, 27,
     "Pod default/web",
     "status.placement",
     "a Pod bound by spec.nodeName runs there",
     true},
    {"result-replicas-negative", NULL, PLACE_ESCHEMA,
     false, 0, 0, 13, 15, 7, 54,
     "PlacementResult",
     "workloads[0].assignments[0].replicas",
     "expected a non-negative integer, got \"-1\"",
     true},
    {"result-kind-missing", NULL, PLACE_ESCHEMA,
     false, 0, 0, 4, 3, 4, 5,
     "PlacementResult",
     "workloads[0].kind",
     "required value",
     true},
    {"policy-move-negative", NULL, PLACE_ESCHEMA,
     false, 0, 0, 8, 11, 5, 43,
     "PlacementPolicy policy",
     "spec.weights.move",
     "expected a number from 0 to 1e+06, got \"-1\"",
     true},
    {"yaml-syntax-error", NULL, PLACE_EPARSE,
     false, 0, 0, 12, 13, 0, 0,
     NULL,
     NULL,
     "did not find expected ',' or ']'",
     false},
    {"json-missing-comma", NULL, PLACE_EPARSE,
     false, 0, 0, 0, 0, 4, 3,
     NULL,
     NULL,
     "invalid JSON",
     false},
    {"json-trailing-garbage", NULL, PLACE_EPARSE,
     false, 0, 0, 0, 0, 6, 1,
     NULL,
     NULL,
     "unexpected text after the JSON value",
     false},
    {"limit-documents", "list-item-invalid", PLACE_ELIMIT,
     false, 1, 0, 8, 3, 12, 5,
     NULL,
     NULL,
     "more than 1 documents",
     true},
    {"limit-depth", "replicas-string", PLACE_ELIMIT,
     false, 0, 5, 10, 9, 12, 11,
     NULL,
     NULL,
     "nesting deeper than 5 levels",
     true},
};

/* ---- running one case --------------------------------------------------- */

typedef struct outcome {
    int code;
    place_location loc;
    char source[128];
    char object[256];
    char path[512];
    char message[1024]; /* place_errmsg() */
    char tail[1024];    /* the message after "FILE:LINE:COLUMN: " */
} outcome;

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static const char *file_of(const err_case *c)
{
    return c->file ? c->file : c->label;
}

static char *fixture(const char *file, const char *ext, size_t *len)
{
    char path[1024];
    char *data;

    snprintf(path, sizeof path, "%s/fixtures/invalid/%s.%s", PLACE_TESTS_DIR,
             file, ext);
    data = test_read_file(path, len);
    cr_assert_not_null(data, "cannot read %s", path);
    return data;
}

/* Add the fixture (and check the problem when the case says so); record
 * what the context says. */
static void run(const err_case *c, const char *ext, place_format fmt,
                outcome *o)
{
    place_ctx_options opts;
    place_ctx *ctx;
    place_problem *pb;
    char source[128];
    size_t len;
    char *data = fixture(file_of(c), ext, &len);
    int rc;

    memset(o, 0, sizeof *o);
    snprintf(source, sizeof source, "%s.%s", file_of(c), ext);
    cr_assert_eq(place_ctx_options_init(&opts, PLACE_CTX_OPTIONS_VERSION),
                 PLACE_OK);
    opts.max_documents = c->max_documents;
    opts.max_depth = c->max_depth;
    cr_assert_eq(place_ctx_new(&ctx, &opts), PLACE_OK);
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    rc = place_problem_add_document(pb, data, len, fmt, source);
    if (c->check) {
        cr_assert_eq(rc, PLACE_OK, "%s: the add should succeed: %s", source,
                     place_errmsg(ctx));
        rc = place_problem_check(pb);
    }
    o->code = rc;
    cr_assert_eq(place_errcode(ctx), rc, "%s: errcode %d, returned %d",
                 source, place_errcode(ctx), rc);
    copy(o->message, sizeof o->message, place_errmsg(ctx));
    cr_assert_eq(place_errloc(ctx, &o->loc), PLACE_OK,
                 "%s: no location for: %s", source, o->message);
    copy(o->source, sizeof o->source, o->loc.source);
    copy(o->object, sizeof o->object, o->loc.object);
    copy(o->path, sizeof o->path, o->loc.path);
    {
        char prefix[256];
        int n = snprintf(prefix, sizeof prefix, "%s:%u:%u: ", source,
                         o->loc.line, o->loc.column);
        cr_assert(strncmp(o->message, prefix, (size_t)n) == 0,
                  "%s: the message does not start with \"%s\": %s", source,
                  prefix, o->message);
        copy(o->tail, sizeof o->tail, o->message + n);
    }
    place_problem_free(pb);
    place_ctx_free(ctx);
    free(data);
}

static void expect(const err_case *c, const char *ext, unsigned int line,
                   unsigned int col, const outcome *o)
{
    char want[1024];
    char source[128];

    snprintf(source, sizeof source, "%s.%s", file_of(c), ext);
    cr_assert_eq(o->code, c->code, "%s (%s): code %d, expected %d: %s",
                 c->label, ext, o->code, c->code, o->message);
    cr_assert_str_eq(o->source, source, "%s (%s)", c->label, ext);
    cr_assert(o->loc.line == line && o->loc.column == col,
              "%s (%s): at %u:%u, expected %u:%u: %s", c->label, ext,
              o->loc.line, o->loc.column, line, col, o->message);
    cr_assert_str_eq(o->object, c->object ? c->object : "",
                     "%s (%s): object", c->label, ext);
    cr_assert_str_eq(o->path, c->path ? c->path : "", "%s (%s): path",
                     c->label, ext);
    /* FILE:LINE:COLUMN: KIND NAMESPACE/NAME: FIELD.PATH: message */
    snprintf(want, sizeof want, "%s:%u:%u: %s%s%s%s", source, line, col,
             c->object ? c->object : "", c->object ? ": " : "",
             c->path ? c->path : "", c->path ? ": " : "");
    cr_assert(strncmp(o->message, want, strlen(want)) == 0,
              "%s (%s): expected the message to start with \"%s\": %s",
              c->label, ext, want, o->message);
    cr_assert(strstr(o->message + strlen(want), c->message) != NULL,
              "%s (%s): expected \"%s\" in the message: %s", c->label, ext,
              c->message, o->message);
}

/* ---- the table, in both formats ----------------------------------------- */

/* Criterion copies the parameters into the process that runs the test,
 * where the table's string pointers need not be valid (the address space
 * may be laid out differently): pass indexes into the table instead. */
#define NCASES (sizeof cases / sizeof cases[0])
static size_t indexes[NCASES];

static struct criterion_test_params case_indexes(void)
{
    size_t i;
    for (i = 0; i < NCASES; i++)
        indexes[i] = i;
    return cr_make_param_array(size_t, indexes, NCASES);
}

ParameterizedTestParameters(errors, yaml)
{
    return case_indexes();
}

ParameterizedTest(size_t *i, errors, yaml)
{
    const err_case *c = &cases[*i];
    outcome o;
    if (!c->yline)
        return; /* a JSON-only case */
    run(c, "yaml", PLACE_FORMAT_AUTO, &o);
    expect(c, "yaml", c->yline, c->ycol, &o);
}

ParameterizedTestParameters(errors, json)
{
    return case_indexes();
}

ParameterizedTest(size_t *i, errors, json)
{
    const err_case *c = &cases[*i];
    outcome o;
    if (!c->jline)
        return; /* a YAML-only case */
    run(c, "json", PLACE_FORMAT_AUTO, &o);
    expect(c, "json", c->jline, c->jcol, &o);
}

/* Both formats: the same code, object, path and message; only the position
 * (and the file name) differ. */
ParameterizedTestParameters(errors, same_in_both_formats)
{
    return case_indexes();
}

ParameterizedTest(size_t *i, errors, same_in_both_formats)
{
    const err_case *c = &cases[*i];
    outcome y, j;
    if (!c->yline || !c->jline)
        return;
    run(c, "yaml", PLACE_FORMAT_YAML, &y);
    run(c, "json", PLACE_FORMAT_JSON, &j);
    cr_assert_eq(y.code, j.code, "%s", c->label);
    cr_assert_str_eq(y.object, j.object, "%s", c->label);
    cr_assert_str_eq(y.path, j.path, "%s", c->label);
    if (c->same_message)
        cr_assert_str_eq(y.tail, j.tail, "%s", c->label);
}

/* ---- single cases ------------------------------------------------------- */

static place_ctx *ctx;
static place_problem *pb;

static void setup(void)
{
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
}

static void teardown(void)
{
    place_problem_free(pb);
    place_ctx_free(ctx);
}

static int add(const char *text, const char *source)
{
    return place_problem_add_document(pb, text, strlen(text),
                                      PLACE_FORMAT_AUTO, source);
}

static void assert_at(const char *source, unsigned int line,
                      unsigned int col, const char *object, const char *path)
{
    place_location loc;
    cr_assert_eq(place_errloc(ctx, &loc), PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_str_eq(loc.source, source);
    cr_assert(loc.line == line && loc.column == col,
              "at %u:%u, expected %u:%u: %s", loc.line, loc.column, line, col,
              place_errmsg(ctx));
    if (object)
        cr_assert_str_eq(loc.object, object);
    else
        cr_assert_null(loc.object, "object %s", loc.object);
    if (path)
        cr_assert_str_eq(loc.path, path);
    else
        cr_assert_null(loc.path, "path %s", loc.path);
}

/* The contract's own example, to the byte. */
Test(errors, contract_example, .init = setup, .fini = teardown)
{
    size_t len;
    char *data = fixture("replicas-string", "yaml", &len);
    cr_assert_eq(place_problem_add_document(pb, data, len, PLACE_FORMAT_AUTO,
                                            "shop.yaml"),
                 PLACE_ESCHEMA);
    cr_assert_str_eq(place_errmsg(ctx),
                     "shop.yaml:6:13: Deployment default/frontend: "
                     "spec.replicas: expected a non-negative integer, got "
                     "\"three\"");
    free(data);
}

/* The quoted YAML spelling points at the opening quote. */
Test(errors, quoted_scalar_points_at_the_quote, .init = setup,
     .fini = teardown)
{
    cr_assert_eq(add("kind: Deployment\n"
                     "metadata: {name: frontend, namespace: shop}\n"
                     "spec:\n"
                     "  replicas: \"3\"\n",
                     "q.yaml"),
                 PLACE_ESCHEMA);
    assert_at("q.yaml", 4, 13, "Deployment shop/frontend", "spec.replicas");
    cr_assert(strstr(place_errmsg(ctx), "got \"3\"") != NULL, "%s",
              place_errmsg(ctx));
}

/* CRLF line ends count as one line break in both formats. */
Test(errors, crlf_positions, .init = setup, .fini = teardown)
{
    static const char *const ext[] = {"yaml", "json"};
    static const unsigned int want[2][2] = {{6, 13}, {8, 17}};
    size_t i;

    for (i = 0; i < 2; i++) {
        size_t len, k, n = 0;
        char *data = fixture("replicas-string", ext[i], &len);
        char *crlf = malloc(2 * len + 1);
        char source[32];
        cr_assert_not_null(crlf);
        for (k = 0; k < len; k++) {
            if (data[k] == '\n')
                crlf[n++] = '\r';
            crlf[n++] = data[k];
        }
        snprintf(source, sizeof source, "crlf.%s", ext[i]);
        cr_assert_eq(place_problem_add_document(pb, crlf, n,
                                                PLACE_FORMAT_AUTO, source),
                     PLACE_ESCHEMA);
        assert_at(source, want[i][0], want[i][1],
                  "Deployment default/frontend", "spec.replicas");
        free(crlf);
        free(data);
    }
}

/* A document that is not a mapping. */
Test(errors, document_not_a_mapping, .init = setup, .fini = teardown)
{
    cr_assert_eq(add("kind: Node\nmetadata: {name: a}\n---\njust text\n",
                     "s.yaml"),
                 PLACE_ESCHEMA);
    assert_at("s.yaml", 4, 1, NULL, NULL);
    cr_assert_eq(add("[{\"kind\": \"Node\", \"metadata\": {\"name\": \"a\"}}, "
                     "\"b\"]",
                     "s.json"),
                 PLACE_ESCHEMA);
    assert_at("s.json", 1, 47, NULL, NULL);
}

/* Errors inside a List name the item, with paths relative to it. */
Test(errors, list_items_are_objects, .init = setup, .fini = teardown)
{
    cr_assert_eq(add("{\"kind\": \"List\", \"items\": [\n"
                     "  {\"kind\": \"Node\", "
                     "\"metadata\": {\"name\": \"a\"},\n"
                     "   \"spec\": {\"taints\": [{\"key\": \"k\", "
                     "\"effect\": \"Never\"}]}}]}\n",
                     "l.json"),
                 PLACE_ESCHEMA);
    assert_at("l.json", 3, 47, "Node a", "spec.taints[0].effect");
}

/* Cross-document errors come out of place_solve too, with the same
 * location as from place_problem_check. */
Test(errors, solve_reports_check_errors, .init = setup, .fini = teardown)
{
    size_t len;
    char *data = fixture("gt-not-in-order", "yaml", &len);
    place_result *res = NULL;
    place_location loc;

    cr_assert_eq(place_problem_add_document(pb, data, len, PLACE_FORMAT_AUTO,
                                            "gt.yaml"),
                 PLACE_OK);
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_ESCHEMA);
    cr_assert_null(res);
    cr_assert_eq(place_errcode(ctx), PLACE_ESCHEMA);
    cr_assert_eq(place_errloc(ctx, &loc), PLACE_OK);
    cr_assert(loc.line == 25 && loc.column == 26, "%s", place_errmsg(ctx));
    free(data);
}

/* An ordinal order declared by the PlacementPolicy makes a name a valid
 * Gt value; a name outside the order is an error at the value. */
Test(errors, ordinal_values, .init = setup, .fini = teardown)
{
    static const char policy[] =
        "kind: PlacementPolicy\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  ordinalLabels:\n"
        "  - {key: cpu-generation, order: [slow, medium, fast]}\n";

    /* The pod comes first: the order is known only when checking. */
    cr_assert_eq(add("kind: Pod\n"
                     "metadata: {name: p}\n"
                     "spec:\n"
                     "  affinity:\n"
                     "    nodeAffinity:\n"
                     "      requiredDuringSchedulingIgnoredDuringExecution:\n"
                     "        nodeSelectorTerms:\n"
                     "        - matchExpressions:\n"
                     "          - {key: cpu-generation, operator: Gt, "
                     "values: [medium]}\n",
                     "pod.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(add(policy, "policy.yaml"), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(place_problem_check(pb), PLACE_OK, "%s", place_errmsg(ctx));

    teardown();
    setup();
    cr_assert_eq(add(policy, "policy.yaml"), PLACE_OK);
    cr_assert_eq(add("kind: Pod\n"
                     "metadata: {name: p}\n"
                     "spec:\n"
                     "  affinity:\n"
                     "    nodeAffinity:\n"
                     "      preferredDuringSchedulingIgnoredDuringExecution:\n"
                     "      - weight: 5\n"
                     "        preference:\n"
                     "          matchExpressions:\n"
                     "          - {key: cpu-generation, operator: Lt, "
                     "values: [turbo]}\n",
                     "pod.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_problem_check(pb), PLACE_ESCHEMA);
    assert_at("pod.yaml", 10, 58, "Pod default/p",
              "spec.affinity.nodeAffinity."
              "preferredDuringSchedulingIgnoredDuringExecution[0]."
              "preference.matchExpressions[0].values[0]");
    cr_assert(strstr(place_errmsg(ctx), "\"turbo\" is not in the order") !=
                  NULL, "%s", place_errmsg(ctx));
}

/* The contract (section 1, "Bad input") counts `Gt`/`Lt` without exactly
 * one integer among the errors (kube-scheduler would let the term match
 * nothing; the contract refuses the input instead). */
Test(errors, gt_not_integer_is_an_error)
{
    static const err_case c = {
        "gt-not-integer", NULL, PLACE_ESCHEMA, true, 0, 0,
        16, 26, 21, 25, "Deployment default/frontend",
        "spec.template.spec.affinity.nodeAffinity."
        "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]."
        "matchExpressions[0].values[0]",
        "\"fast\"", true};
    outcome y, j;
    run(&c, "yaml", PLACE_FORMAT_AUTO, &y);
    expect(&c, "yaml", c.yline, c.ycol, &y);
    run(&c, "json", PLACE_FORMAT_AUTO, &j);
    expect(&c, "json", c.jline, c.jcol, &j);
    cr_assert_str_eq(y.tail, j.tail);
}

/* ---- a failed add changes nothing --------------------------------------- */

static void assert_counts(size_t docs, size_t ignored, size_t workloads,
                          size_t targets)
{
    cr_assert_eq(place_problem_document_count(pb), docs);
    cr_assert_eq(place_problem_ignored_count(pb), ignored);
    cr_assert_eq(place_problem_workload_count(pb), workloads);
    cr_assert_eq(place_problem_target_count(pb), targets);
}

Test(errors, failed_add_leaves_the_problem_as_it_was, .init = setup,
     .fini = teardown)
{
    place_result *res = NULL;
    const place_workload *w;

    cr_assert_eq(add("kind: Node\n"
                     "metadata: {name: node-a}\n"
                     "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n"
                     "---\n"
                     "kind: Service\n"
                     "metadata: {name: web}\n",
                     "base.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    assert_counts(2, 1, 0, 1);

    /* Valid documents first, then a bad one: nothing of the source stays,
     * the PlacementPolicy included. */
    cr_assert_eq(add("kind: Node\n"
                     "metadata: {name: node-b}\n"
                     "---\n"
                     "kind: ConfigMap\n"
                     "metadata: {name: c}\n"
                     "---\n"
                     "kind: PlacementPolicy\n"
                     "metadata: {name: p1}\n"
                     "---\n"
                     "kind: Deployment\n"
                     "metadata: {name: web}\n"
                     "spec:\n"
                     "  template: {spec: {containers: []}}\n"
                     "---\n"
                     "kind: Deployment\n"
                     "metadata: {name: api}\n"
                     "spec: {replicas: -2, template: {spec: {}}}\n",
                     "bad.yaml"),
                 PLACE_ESCHEMA);
    assert_at("bad.yaml", 17, 18, "Deployment default/api", "spec.replicas");
    assert_counts(2, 1, 0, 1);

    /* A syntax error and a JSON array with a bad item: the same. */
    cr_assert_eq(add("kind: Node\nmetadata: {name: node-c}\n---\nkind: [\n",
                     "syntax.yaml"),
                 PLACE_EPARSE);
    cr_assert_eq(add("[{\"kind\": \"Node\", \"metadata\": {\"name\": \"n\"}},"
                     " {\"kind\": \"Node\"}]",
                     "arr.json"),
                 PLACE_ESCHEMA);
    assert_counts(2, 1, 0, 1);

    /* The problem still works: the names of the failed sources are free,
     * and so is the PlacementPolicy. */
    cr_assert_eq(add("kind: Deployment\n"
                     "metadata: {name: web}\n"
                     "spec:\n"
                     "  replicas: 3\n"
                     "  template:\n"
                     "    spec:\n"
                     "      containers:\n"
                     "      - resources: {requests: {cpu: 500m}}\n"
                     "---\n"
                     "kind: Node\n"
                     "metadata: {name: node-b}\n"
                     "status: {allocatable: {cpu: \"1\", pods: \"10\"}}\n"
                     "---\n"
                     "kind: PlacementPolicy\n"
                     "metadata: {name: p2}\n",
                     "good.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_errcode(ctx), PLACE_OK);
    assert_counts(5, 1, 1, 2);
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(place_result_workload_count(res), 1);
    cr_assert_eq(place_result_target_count(res), 2);
    w = place_result_find_workload(res, "default", "web");
    cr_assert_not_null(w);
    cr_assert_eq(place_workload_replicas(w), 3);
    cr_assert_eq(place_workload_placed(w), 3);
    cr_assert_eq(place_result_document_count(res), 5);
    cr_assert_eq(place_result_ignored_count(res), 1);
    place_result_free(res);
}

/* A failed add after a check or a solve leaves the checked problem as it
 * was, too. */
Test(errors, failed_add_after_solve, .init = setup, .fini = teardown)
{
    place_result *res = NULL;

    cr_assert_eq(add("kind: Pod\nmetadata: {name: p}\nspec: {}\n---\n"
                     "kind: Node\nmetadata: {name: n}\n"
                     "status: {allocatable: {pods: \"1\"}}\n",
                     "a.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
    place_result_free(res);
    res = NULL;
    cr_assert_eq(add("kind: Node\nmetadata: {name: m}\n---\n"
                     "kind: Pod\nmetadata: {name: q}\nspec: {priority: x}\n",
                     "b.yaml"),
                 PLACE_ESCHEMA);
    assert_counts(2, 0, 1, 1);
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
    cr_assert_eq(place_result_workload_count(res), 1);
    cr_assert_eq(place_result_target_count(res), 1);
    cr_assert(place_result_all_placed(res));
    place_result_free(res);
}

/* Same names in different namespaces are fine; the same name in one
 * namespace for different kinds is fine too. */
Test(errors, same_name_elsewhere_is_fine, .init = setup, .fini = teardown)
{
    static const char *const ext[] = {"yaml", "json"};
    size_t i;

    for (i = 0; i < 2; i++) {
        char path[1024];
        size_t len;
        char *data;
        snprintf(path, sizeof path, "%s/fixtures/valid/same-names.%s",
                 PLACE_TESTS_DIR, ext[i]);
        data = test_read_file(path, &len);
        cr_assert_not_null(data, "%s", path);
        teardown();
        setup();
        cr_assert_eq(place_problem_add_document(pb, data, len,
                                                PLACE_FORMAT_AUTO, path),
                     PLACE_OK, "%s", place_errmsg(ctx));
        cr_assert_eq(place_problem_check(pb), PLACE_OK, "%s",
                     place_errmsg(ctx));
        cr_assert_eq(place_problem_workload_count(pb), 3);
        free(data);
    }
}

/* A duplicate across two sources points at the second source. */
Test(errors, duplicate_across_sources, .init = setup, .fini = teardown)
{
    cr_assert_eq(add("kind: Node\nmetadata: {name: n}\n", "one.yaml"),
                 PLACE_OK);
    cr_assert_eq(add("{\"kind\": \"Node\",\n \"metadata\": {\"name\": \"n\"}}",
                     "two.json"),
                 PLACE_OK);
    cr_assert_eq(place_problem_check(pb), PLACE_ESCHEMA);
    assert_at("two.json", 2, 23, "Node n", "metadata.name");
    cr_assert(strstr(place_errmsg(ctx), "one.yaml:2:18") != NULL, "%s",
              place_errmsg(ctx));
}

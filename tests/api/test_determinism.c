/*
 * test_determinism.c: the same documents give byte-identical results (JSON
 * with PLACE_WRITE_NO_TIMINGS) whatever their order, however they are split
 * into sources or merged, and in YAML or JSON: on examples/quickstart, on
 * the storefront demo (scenario 3) and on generated problems.
 *
 * The variants of one problem are built here from its YAML files: the files
 * in order and reversed; every document merged into one source; every
 * document its own source; documents shuffled (several seeds), merged or
 * dealt over three sources; each file converted to JSON (an array of
 * objects, or a List); and JSON and YAML sources mixed.
 *
 * This file also holds the problem generator that the other hardening tests
 * use (hardening_gen_problem).
 */
#include "support.h"

#include <criterion/criterion.h>
#include <place.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Shared with test_hardening.c, test_threads.c and test_oom.c. */
char *hardening_gen_problem(unsigned int seed, int workloads, int targets,
                            double load);
void hardening_check_fits(const place_result *r);

/* ---- a growable string ------------------------------------------------- */

typedef struct str {
    char *s;
    size_t len, cap;
} str;

static void str_add(str *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 1024;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        b->s = realloc(b->s, ncap);
        cr_assert_not_null(b->s);
        b->cap = ncap;
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void str_puts(str *b, const char *p)
{
    str_add(b, p, strlen(p));
}

static void str_printf(str *b, const char *fmt, ...)
{
    char buf[4096];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0 && (size_t)n < sizeof buf);
    str_add(b, buf, (size_t)n);
}

/* ---- random numbers: splitmix64 ----------------------------------------- */

static uint64_t rnd_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static int rnd_int(uint64_t *s, int lo, int hi)
{
    return lo + (int)(rnd_next(s) % (uint64_t)(hi - lo + 1));
}

/* ---- the generator -------------------------------------------------------- */

/*
 * A problem of `targets` Nodes and `workloads` Deployments: zone and tier
 * labels, NoSchedule and PreferNoSchedule taints, requests drawn so that
 * the demand is `load` times the capacity (above 1, some replicas stay
 * unplaced and the packing is hard), preferred affinities with weights,
 * some node selectors and tolerations, and two PriorityClasses. The same
 * arguments give the same bytes. YAML, documents separated by ---;
 * free() it.
 */
char *hardening_gen_problem(unsigned int seed, int workloads, int targets,
                            double load)
{
    uint64_t s = 0x5eed0000u + seed;
    str b = {0};
    int t, w, k;
    int64_t cap_cpu = 0, demand = 0;
    int *reps = calloc((size_t)workloads + 1, sizeof *reps);
    int *cpu = calloc((size_t)workloads + 1, sizeof *cpu);
    int *mem = calloc((size_t)workloads + 1, sizeof *mem);
    double scale;

    cr_assert(reps && cpu && mem);
    str_puts(&b, "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                 "metadata: {name: high}\nvalue: 1000\n---\n"
                 "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n"
                 "metadata: {name: low}\nvalue: -5\nglobalDefault: true\n");
    for (t = 0; t < targets; t++) {
        int c = rnd_int(&s, 3000, 6000), m = rnd_int(&s, 4, 16);
        int taint = rnd_int(&s, 0, 5);
        cap_cpu += c;
        str_printf(&b, "---\napiVersion: v1\nkind: Node\nmetadata:\n"
                       "  name: node-%03d\n  labels: {zone: z%d, tier: t%d}\n",
                   t, rnd_int(&s, 0, 4), rnd_int(&s, 0, 2));
        if (taint == 0)
            str_puts(&b, "spec:\n  taints: [{key: dedicated, value: batch, "
                         "effect: NoSchedule}]\n");
        else if (taint == 1)
            str_puts(&b, "spec:\n  taints: [{key: noisy, effect: "
                         "PreferNoSchedule}]\n");
        str_printf(&b, "status:\n  allocatable: {cpu: %dm, memory: %dGi, "
                       "pods: \"110\"}\n", c, m);
    }
    for (w = 0; w < workloads; w++) {
        reps[w] = rnd_int(&s, 1, 4);
        cpu[w] = rnd_int(&s, 300, 1700);
        mem[w] = rnd_int(&s, 128, 2048);
        demand += (int64_t)reps[w] * cpu[w];
    }
    scale = demand > 0 ? load * (double)cap_cpu / (double)demand : 1.0;
    for (w = 0; w < workloads; w++) {
        int npref = rnd_int(&s, 0, 3), kind = rnd_int(&s, 0, 9);
        int c = (int)(cpu[w] * scale);
        str_printf(&b, "---\napiVersion: apps/v1\nkind: Deployment\n"
                       "metadata: {name: w-%03d, namespace: ns-%d}\nspec:\n"
                       "  replicas: %d\n  template:\n    spec:\n",
                   w, w % 4, reps[w]);
        if (kind == 0)
            str_puts(&b, "      priorityClassName: high\n");
        if (kind == 1)
            str_printf(&b, "      nodeSelector: {zone: z%d}\n",
                       rnd_int(&s, 0, 4));
        if (kind <= 2)
            str_puts(&b, "      tolerations: [{key: dedicated, operator: "
                         "Exists, effect: NoSchedule}]\n");
        if (npref) {
            str_puts(&b, "      affinity:\n        nodeAffinity:\n"
                         "          preferredDuringSchedulingIgnoredDuring"
                         "Execution:\n");
            for (k = 0; k < npref; k++) {
                bool zone = rnd_int(&s, 0, 1) != 0;
                str_printf(&b, "          - weight: %d\n            "
                               "preference: {matchExpressions: [{key: %s, "
                               "operator: In, values: [%s%d]}]}\n",
                           rnd_int(&s, 1, 100), zone ? "zone" : "tier",
                           zone ? "z" : "t",
                           rnd_int(&s, 0, zone ? 4 : 2));
            }
        }
        str_printf(&b, "      containers:\n      - name: c\n        "
                       "resources: {requests: {cpu: %dm, memory: %dMi}}\n",
                   c > 0 ? c : 1, mem[w]);
    }
    free(reps);
    free(cpu);
    free(mem);
    return b.s;
}

/* ---- documents: split, shuffle, convert ------------------------------------ */

typedef struct docs {
    char **text; /* one YAML document each, without the --- line */
    size_t n;
} docs;

/* Split YAML text at its "---" lines. Empty documents are dropped. */
static void docs_split(docs *d, const char *text)
{
    const char *p = text;
    str cur = {0};

    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, "---", 3) == 0 && (p[3] == '\n' || p[3] == '\0' ||
                                          p[3] == '\r' || p[3] == ' ')) {
            if (cur.len) {
                d->text = realloc(d->text, (d->n + 1) * sizeof *d->text);
                d->text[d->n++] = cur.s;
                memset(&cur, 0, sizeof cur);
            }
        } else {
            str_add(&cur, p, n);
        }
        p += n;
    }
    if (cur.len) {
        d->text = realloc(d->text, (d->n + 1) * sizeof *d->text);
        d->text[d->n++] = cur.s;
    } else {
        free(cur.s);
    }
}

static void docs_free(docs *d)
{
    size_t i;
    for (i = 0; i < d->n; i++)
        free(d->text[i]);
    free(d->text);
    memset(d, 0, sizeof *d);
}

static void docs_shuffle(docs *d, uint64_t seed)
{
    size_t i;
    for (i = d->n; i > 1; i--) {
        size_t j = (size_t)(rnd_next(&seed) % i);
        char *t = d->text[i - 1];
        d->text[i - 1] = d->text[j];
        d->text[j] = t;
    }
}

/* Documents [from, to) joined as one YAML source. */
static char *docs_join(const docs *d, size_t from, size_t to)
{
    str b = {0};
    size_t i;
    str_puts(&b, "");
    for (i = from; i < to; i++) {
        str_puts(&b, "---\n");
        str_puts(&b, d->text[i]);
        if (b.len && b.s[b.len - 1] != '\n')
            str_puts(&b, "\n");
    }
    return b.s;
}

static bool json_number(const char *s)
{
    size_t i = 0;
    if (s[i] == '-')
        i++;
    if (s[i] == '0')
        i++;
    else if (s[i] >= '1' && s[i] <= '9')
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    else
        return false;
    if (s[i] == '.') {
        i++;
        if (!(s[i] >= '0' && s[i] <= '9'))
            return false;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    if (s[i] == 'e' || s[i] == 'E') {
        i++;
        if (s[i] == '+' || s[i] == '-')
            i++;
        if (!(s[i] >= '0' && s[i] <= '9'))
            return false;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
    }
    return s[i] == '\0';
}

static void json_string(str *b, const char *s, size_t n)
{
    size_t i;
    str_puts(b, "\"");
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            str_printf(b, "\\%c", c);
        else if (c < 0x20)
            str_printf(b, "\\u%04x", c);
        else
            str_add(b, (const char *)&c, 1);
    }
    str_puts(b, "\"");
}

/* A libyaml node as JSON, as libplace reads it back: a plain scalar that
 * is a JSON number or true/false stays bare (libplace keeps the text of
 * both), the null forms become null, everything else a string. */
static void json_node(str *b, yaml_document_t *doc, yaml_node_t *n)
{
    yaml_node_pair_t *pr;
    yaml_node_item_t *it;
    bool first = true;

    switch (n->type) {
    case YAML_SCALAR_NODE: {
        const char *v = (const char *)n->data.scalar.value;
        size_t len = n->data.scalar.length;
        if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
            if (len == 0 || !strcmp(v, "~") || !strcmp(v, "null") ||
                !strcmp(v, "Null") || !strcmp(v, "NULL")) {
                str_puts(b, "null");
                return;
            }
            if (!strcmp(v, "true") || !strcmp(v, "false") || json_number(v)) {
                str_puts(b, v);
                return;
            }
        }
        json_string(b, v, len);
        return;
    }
    case YAML_MAPPING_NODE:
        str_puts(b, "{");
        for (pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
             pr++) {
            yaml_node_t *k = yaml_document_get_node(doc, pr->key);
            if (!first)
                str_puts(b, ", ");
            first = false;
            json_string(b, (const char *)k->data.scalar.value,
                        k->data.scalar.length);
            str_puts(b, ": ");
            json_node(b, doc, yaml_document_get_node(doc, pr->value));
        }
        str_puts(b, "}");
        return;
    case YAML_SEQUENCE_NODE:
        str_puts(b, "[");
        for (it = n->data.sequence.items.start;
             it < n->data.sequence.items.top; it++) {
            if (!first)
                str_puts(b, ", ");
            first = false;
            json_node(b, doc, yaml_document_get_node(doc, *it));
        }
        str_puts(b, "]");
        return;
    default:
        str_puts(b, "null");
    }
}

/* YAML text as one JSON source: an array of its documents, or a List. */
static char *to_json(const char *yaml_text, bool as_list)
{
    yaml_parser_t p;
    yaml_document_t doc;
    str b = {0};
    bool first = true;

    cr_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)yaml_text,
                                 strlen(yaml_text));
    str_puts(&b, as_list ? "{\"apiVersion\": \"v1\", \"kind\": \"List\", "
                           "\"items\": [\n"
                         : "[\n");
    for (;;) {
        yaml_node_t *root;
        cr_assert(yaml_parser_load(&p, &doc), "YAML: %s", p.problem);
        root = yaml_document_get_root_node(&doc);
        if (!root) {
            yaml_document_delete(&doc);
            break;
        }
        if (!(root->type == YAML_SCALAR_NODE &&
              root->data.scalar.length == 0)) {
            if (!first)
                str_puts(&b, ",\n");
            first = false;
            json_node(&b, &doc, root);
        }
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&p);
    str_puts(&b, as_list ? "\n]}\n" : "\n]\n");
    return b.s;
}

/* ---- solving a variant ---------------------------------------------------- */

typedef struct source {
    char *text;
    place_format fmt;
} source;

typedef struct variant {
    const char *name;
    source *src;
    size_t n;
} variant;

static void variant_add(variant *v, char *text, place_format fmt)
{
    v->src = realloc(v->src, (v->n + 1) * sizeof *v->src);
    cr_assert_not_null(v->src);
    v->src[v->n].text = text;
    v->src[v->n].fmt = fmt;
    v->n++;
}

static void variant_free(variant *v)
{
    size_t i;
    for (i = 0; i < v->n; i++)
        free(v->src[i].text);
    free(v->src);
    memset(v, 0, sizeof *v);
}

/* Solve a variant; the JSON result without timings (malloc'd). */
static char *solve_variant(const variant *v)
{
    place_ctx *ctx;
    place_problem *pb;
    place_result *res;
    char *out, *copy;
    size_t len, i;
    char name[32];

    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    for (i = 0; i < v->n; i++) {
        snprintf(name, sizeof name, "%s-%zu", v->name, i);
        cr_assert_eq(place_problem_add_document(pb, v->src[i].text,
                                                strlen(v->src[i].text),
                                                v->src[i].fmt, name),
                     PLACE_OK, "%s: %s", v->name, place_errmsg(ctx));
    }
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s: %s", v->name,
                 place_errmsg(ctx));
    cr_assert_eq(place_result_outcome(res), PLACE_OUTCOME_OPTIMAL,
                 "%s: a time limit cut the solve short", v->name);
    hardening_check_fits(res);
    cr_assert_eq(place_result_write(res, PLACE_OUTPUT_JSON, NULL,
                                    PLACE_WRITE_NO_TIMINGS, &out, &len),
                 PLACE_OK);
    copy = malloc(len + 1);
    cr_assert_not_null(copy);
    memcpy(copy, out, len + 1);
    place_mem_free(ctx, out);
    place_result_free(res);
    place_problem_free(pb);
    place_ctx_free(ctx);
    return copy;
}

/* The first line where a and b differ, for the failure message. */
static void first_difference(const char *a, const char *b, char *buf,
                             size_t size)
{
    size_t i = 0, line = 1, start = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    snprintf(buf, size, "line %zu: \"%.120s\" vs \"%.120s\"", line,
             a + start, b + start);
}

/*
 * Every variant of the problem made of `nfiles` YAML texts gives the bytes
 * of the first variant (the files in order).
 */
static void check_variants(const char *label, char **files, size_t nfiles)
{
    variant v = {0};
    docs all = {0};
    char *reference = NULL;
    size_t i, k;
    int seed;

    for (i = 0; i < nfiles; i++)
        docs_split(&all, files[i]);
    cr_assert(all.n > 1, "%s: no documents", label);

#define CHECK_VARIANT(nm)                                                     \
    do {                                                                      \
        char *got_, diff_[400];                                               \
        v.name = (nm);                                                        \
        got_ = solve_variant(&v);                                             \
        if (!reference) {                                                     \
            reference = got_;                                                 \
        } else {                                                              \
            if (strcmp(reference, got_) != 0) {                               \
                first_difference(reference, got_, diff_, sizeof diff_);       \
                cr_assert_fail("%s: variant %s differs: %s", label, (nm),     \
                               diff_);                                        \
            }                                                                 \
            free(got_);                                                       \
        }                                                                     \
        variant_free(&v);                                                     \
    } while (0)

    for (i = 0; i < nfiles; i++)
        variant_add(&v, strdup(files[i]), PLACE_FORMAT_YAML);
    CHECK_VARIANT("files");

    for (i = nfiles; i-- > 0;)
        variant_add(&v, strdup(files[i]), PLACE_FORMAT_AUTO);
    CHECK_VARIANT("files-reversed");

    variant_add(&v, docs_join(&all, 0, all.n), PLACE_FORMAT_YAML);
    CHECK_VARIANT("merged");

    for (i = 0; i < all.n; i++)
        variant_add(&v, docs_join(&all, i, i + 1), PLACE_FORMAT_YAML);
    CHECK_VARIANT("one-source-per-document");

    for (seed = 1; seed <= 3; seed++) {
        docs sh = {0};
        char nm[40];
        sh.n = all.n;
        sh.text = malloc(all.n * sizeof *sh.text);
        cr_assert_not_null(sh.text);
        for (i = 0; i < all.n; i++)
            sh.text[i] = strdup(all.text[i]);
        docs_shuffle(&sh, (uint64_t)seed * 7919u);
        snprintf(nm, sizeof nm, "shuffled-%d", seed);
        variant_add(&v, docs_join(&sh, 0, sh.n), PLACE_FORMAT_YAML);
        CHECK_VARIANT(nm);
        /* dealt over three sources, the third in JSON */
        for (k = 0; k < 3; k++) {
            char *part = docs_join(&sh, k * sh.n / 3, (k + 1) * sh.n / 3);
            if (k == 2) {
                char *j = to_json(part, seed % 2 == 0);
                free(part);
                variant_add(&v, j, PLACE_FORMAT_AUTO);
            } else {
                variant_add(&v, part, PLACE_FORMAT_AUTO);
            }
        }
        snprintf(nm, sizeof nm, "shuffled-%d-three-sources", seed);
        CHECK_VARIANT(nm);
        docs_free(&sh);
    }

    for (i = 0; i < nfiles; i++)
        variant_add(&v, to_json(files[i], false), PLACE_FORMAT_JSON);
    CHECK_VARIANT("json-arrays");

    for (i = nfiles; i-- > 0;)
        variant_add(&v, to_json(files[i], true), PLACE_FORMAT_AUTO);
    CHECK_VARIANT("json-lists-reversed");

    for (i = 0; i < all.n; i++) {
        char *one = docs_join(&all, all.n - 1 - i, all.n - i);
        if (i % 2) {
            char *j = to_json(one, false);
            free(one);
            one = j;
        }
        variant_add(&v, one, PLACE_FORMAT_AUTO);
    }
    CHECK_VARIANT("documents-reversed-yaml-and-json");
#undef CHECK_VARIANT

    free(reference);
    docs_free(&all);
}

static char *read_example(const char *rel)
{
    char path[1024];
    char *text;
    snprintf(path, sizeof path, "%s/%s", PLACE_SOURCE_DIR, rel);
    text = test_read_file(path, NULL);
    cr_assert_not_null(text, "cannot read %s", path);
    return text;
}

Test(determinism, quickstart)
{
    char *files[2] = {read_example("examples/quickstart/federation.yaml"),
                      read_example("examples/quickstart/shop.yaml")};
    check_variants("quickstart", files, 2);
    free(files[0]);
    free(files[1]);
}

Test(determinism, storefront_scenario_3)
{
    char *files[3] = {read_example("examples/storefront/clusters.yaml"),
                      read_example("examples/storefront/shop.yaml"),
                      read_example("examples/storefront/scenario-3.yaml")};
    check_variants("storefront", files, 3);
    free(files[0]);
    free(files[1]);
    free(files[2]);
}

Test(determinism, storefront_scenario_3b)
{
    char *files[3] = {read_example("examples/storefront/scenario-3b.yaml"),
                      read_example("examples/storefront/shop.yaml"),
                      read_example("examples/storefront/scenario-3.yaml")};
    check_variants("storefront-3b", files, 3);
    free(files[0]);
    free(files[1]);
    free(files[2]);
}

Test(determinism, generated)
{
    /* small enough that no solve comes near the budgets of the exact
     * regrets and relaxations, which are wall-clock time */
    static const unsigned int seeds[] = {1, 3};
    size_t i;
    for (i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        unsigned int seed = seeds[i];
        char *files[1] = {hardening_gen_problem(seed, 10, 5, 0.8)};
        char label[32];
        snprintf(label, sizeof label, "generated-%u", seed);
        check_variants(label, files, 1);
        free(files[0]);
    }
}

/* Generating is deterministic too: the same arguments, the same bytes. */
Test(determinism, generator_is_stable)
{
    char *a = hardening_gen_problem(7, 20, 8, 1.2);
    char *b = hardening_gen_problem(7, 20, 8, 1.2);
    char *c = hardening_gen_problem(8, 20, 8, 1.2);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    free(a);
    free(b);
    free(c);
}

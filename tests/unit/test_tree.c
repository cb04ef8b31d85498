/*
 * test_tree.c: the YAML and JSON readers (tree.h): positions, styles,
 * multi-document streams, errors with their exact positions, and limits.
 */
#include "tree.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fx {
    place_ctx *ctx;
    place__arena arena;
    place__docs docs;
} fx;

static void fx_init(fx *f)
{
    memset(f, 0, sizeof *f);
    cr_assert_eq(place_ctx_new(&f->ctx, NULL), PLACE_OK);
    place__arena_init(&f->arena, f->ctx);
}

static void fx_fini(fx *f)
{
    place__arena_free(&f->arena);
    place_ctx_free(f->ctx);
}

static int yread_n(fx *f, const char *s, size_t n)
{
    return place__yaml_read(f->ctx, &f->arena, s, n, "t.yaml", &f->docs);
}

static int yread(fx *f, const char *s)
{
    return yread_n(f, s, strlen(s));
}

static int jread_n(fx *f, const char *s, size_t n)
{
    return place__json_read(f->ctx, &f->arena, s, n, "t.json", &f->docs);
}

static int jread(fx *f, const char *s)
{
    return jread_n(f, s, strlen(s));
}

/* The only document's root. */
static const place__node *root(const fx *f)
{
    cr_assert_eq(f->docs.count, 1, "documents: %zu", f->docs.count);
    cr_assert_not_null(f->docs.items[0].root);
    return f->docs.items[0].root;
}

static void assert_pos(const place__node *n, unsigned int line,
                       unsigned int col)
{
    cr_assert_not_null(n);
    cr_assert(n->line == line && n->column == col,
              "expected %u:%u, got %u:%u", line, col, n->line, n->column);
}

static void assert_scalar(const place__node *n, const char *text,
                          place__scalar_style style)
{
    cr_assert_not_null(n);
    cr_assert_eq(n->type, PLACE__NODE_SCALAR);
    cr_assert_eq(n->style, style, "style of \"%s\": %d", n->str, n->style);
    cr_assert_eq(n->len, strlen(text));
    cr_assert_str_eq(n->str, text);
}

/* The key node of `key` in a map. */
static const place__node *key_node(const place__node *map, const char *key)
{
    size_t i;

    for (i = 0; i < map->count; i++) {
        if (strcmp(map->keys[i]->str, key) == 0)
            return map->keys[i];
    }
    cr_assert_fail("no key %s", key);
    return NULL;
}

static void assert_error(const fx *f, int rc, int code, unsigned int line,
                         unsigned int col)
{
    place_location loc;

    cr_assert_eq(rc, code, "rc %d, expected %d: %s", rc, code,
                 place_errmsg(f->ctx));
    cr_assert_eq(place_errcode(f->ctx), code);
    cr_assert_eq(place_errloc(f->ctx, &loc), PLACE_OK);
    cr_assert_not_null(loc.source);
    cr_assert(loc.line == line && loc.column == col,
              "expected error at %u:%u, got %u:%u: %s", line, col, loc.line,
              loc.column, place_errmsg(f->ctx));
    cr_assert_eq(f->docs.count, 0);
}

/* ---- tree.c ------------------------------------------------------------ */

Test(tree, map_get_and_is_null)
{
    fx f;
    const place__node *m;

    fx_init(&f);
    cr_assert_eq(yread(&f, "a: 1\nb: ~\nc: x\n"), PLACE_OK);
    m = root(&f);
    assert_scalar(place__map_get(m, "a"), "1", PLACE__SCALAR_PLAIN);
    cr_assert(place__node_is_null(place__map_get(m, "b")));
    cr_assert_not(place__node_is_null(place__map_get(m, "c")));
    cr_assert_null(place__map_get(m, "d"));
    cr_assert_null(place__map_get(m, "ab"));
    cr_assert(place__node_is_null(NULL));
    cr_assert_null(place__map_get(NULL, "a"));
    cr_assert_null(place__map_get(m->values[0], "a"));
    fx_fini(&f);
}

/* ---- YAML -------------------------------------------------------------- */

Test(yaml_read, positions)
{
    static const char doc[] =
        "apiVersion: v1\n"             /* 1 */
        "kind: Pod\n"                  /* 2 */
        "metadata:\n"                  /* 3 */
        "  name: \"web\"\n"            /* 4 */
        "  labels: {app: web}\n"       /* 5 */
        "spec:\n"                      /* 6 */
        "  containers:\n"              /* 7 */
        "  - name: c\n"                /* 8 */
        "    args: ['-v', x]\n"        /* 9 */
        "  tolerations:\n"             /* 10 */
        "    - key: k\n"               /* 11 */
        "      value: 'v'\n";          /* 12 */
    fx f;
    const place__node *m, *meta, *spec, *c, *args, *tol;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    cr_assert_eq(f.docs.items[0].line, 1);
    cr_assert_eq(f.docs.items[0].column, 1);
    assert_pos(m, 1, 1);
    cr_assert_eq(m->type, PLACE__NODE_MAP);
    cr_assert_eq(m->count, 4);
    assert_pos(key_node(m, "kind"), 2, 1);
    assert_pos(place__map_get(m, "kind"), 2, 7);
    meta = place__map_get(m, "metadata");
    assert_pos(meta, 4, 3);
    assert_pos(key_node(meta, "name"), 4, 3);
    assert_scalar(place__map_get(meta, "name"), "web", PLACE__SCALAR_QUOTED);
    assert_pos(place__map_get(meta, "name"), 4, 9);
    assert_pos(place__map_get(meta, "labels"), 5, 11);
    assert_pos(key_node(place__map_get(meta, "labels"), "app"), 5, 12);
    assert_pos(place__map_get(place__map_get(meta, "labels"), "app"), 5, 17);
    spec = place__map_get(m, "spec");
    c = place__map_get(spec, "containers");
    cr_assert_eq(c->type, PLACE__NODE_SEQ);
    assert_pos(c, 8, 3); /* an indentless sequence: its first dash */
    assert_pos(c->values[0], 8, 5);
    args = place__map_get(c->values[0], "args");
    assert_pos(args, 9, 11);
    cr_assert_eq(args->count, 2);
    assert_scalar(args->values[0], "-v", PLACE__SCALAR_QUOTED);
    assert_pos(args->values[0], 9, 12);
    assert_scalar(args->values[1], "x", PLACE__SCALAR_PLAIN);
    assert_pos(args->values[1], 9, 18);
    tol = place__map_get(spec, "tolerations");
    assert_pos(tol, 11, 5);
    assert_pos(tol->values[0], 11, 7);
    assert_pos(place__map_get(tol->values[0], "value"), 12, 14);
    fx_fini(&f);
}

Test(yaml_read, scalar_styles_and_nulls)
{
    static const char doc[] = "gdpr-approved: true\n"
                              "n1: ~\n"
                              "n2: null\n"
                              "n3: Null\n"
                              "n4: NULL\n"
                              "n5:\n"
                              "q1: 'null'\n"
                              "q2: \"~\"\n"
                              "nope: nULL\n"
                              "lit: |\n"
                              "  a\n"
                              "  b\n"
                              "fold: >-\n"
                              "  c\n"
                              "  d\n"
                              "num: 010\n"
                              "tagged: !!str 5\n"
                              "esc: \"x\\0y\\u00e9\"\n";
    fx f;
    const place__node *m, *esc;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    assert_scalar(place__map_get(m, "gdpr-approved"), "true",
                  PLACE__SCALAR_PLAIN);
    assert_scalar(place__map_get(m, "n1"), "~", PLACE__SCALAR_NULL);
    assert_scalar(place__map_get(m, "n2"), "null", PLACE__SCALAR_NULL);
    assert_scalar(place__map_get(m, "n3"), "Null", PLACE__SCALAR_NULL);
    assert_scalar(place__map_get(m, "n4"), "NULL", PLACE__SCALAR_NULL);
    assert_scalar(place__map_get(m, "n5"), "", PLACE__SCALAR_NULL);
    cr_assert(place__node_is_null(place__map_get(m, "n5")));
    assert_scalar(place__map_get(m, "q1"), "null", PLACE__SCALAR_QUOTED);
    cr_assert_not(place__node_is_null(place__map_get(m, "q1")));
    assert_scalar(place__map_get(m, "q2"), "~", PLACE__SCALAR_QUOTED);
    assert_scalar(place__map_get(m, "nope"), "nULL", PLACE__SCALAR_PLAIN);
    assert_scalar(place__map_get(m, "lit"), "a\nb\n", PLACE__SCALAR_QUOTED);
    assert_scalar(place__map_get(m, "fold"), "c d", PLACE__SCALAR_QUOTED);
    assert_scalar(place__map_get(m, "num"), "010", PLACE__SCALAR_PLAIN);
    assert_scalar(place__map_get(m, "tagged"), "5", PLACE__SCALAR_PLAIN);
    esc = place__map_get(m, "esc");
    cr_assert_eq(esc->style, PLACE__SCALAR_QUOTED);
    cr_assert_eq(esc->len, 5);
    cr_assert_eq(memcmp(esc->str, "x\0y\xc3\xa9", 6), 0);
    fx_fini(&f);
}

Test(yaml_read, multi_document)
{
    static const char doc[] = "# leading comment\n"  /* 1 */
                              "a: 1\n"               /* 2 */
                              "---\n"                /* 3 */
                              "--- ~\n"              /* 4 */
                              "---\n"                /* 5 */
                              "# nothing here\n"     /* 6 */
                              "--- \n"               /* 7 */
                              "- x\n"                /* 8 */
                              "...\n"                /* 9 */
                              "---\n"                /* 10 */
                              "  \"s\"\n";           /* 11 */
    fx f;
    const place__doc *d;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    cr_assert_eq(f.docs.count, 6);
    d = f.docs.items;
    cr_assert_not_null(d[0].root);
    cr_assert(d[0].line == 2 && d[0].column == 1);
    /* `---` with nothing, `--- ~` and `---` with a comment: root NULL,
     * positioned at their `---`. */
    cr_assert_null(d[1].root);
    cr_assert(d[1].line == 3 && d[1].column == 1);
    cr_assert_null(d[2].root);
    cr_assert(d[2].line == 4 && d[2].column == 1);
    cr_assert_null(d[3].root);
    cr_assert(d[3].line == 5 && d[3].column == 1);
    cr_assert_eq(d[4].root->type, PLACE__NODE_SEQ);
    cr_assert(d[4].line == 8 && d[4].column == 1);
    assert_scalar(d[5].root, "s", PLACE__SCALAR_QUOTED);
    cr_assert(d[5].line == 11 && d[5].column == 3);
    fx_fini(&f);
}

Test(yaml_read, empty_and_comments_only)
{
    fx f;

    fx_init(&f);
    cr_assert_eq(yread(&f, ""), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(yread_n(&f, NULL, 0), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(yread(&f, "# just\n\n   # comments\n"), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(yread(&f, "\n\n"), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    fx_fini(&f);
}

Test(yaml_read, syntax_error_position)
{
    fx f;

    fx_init(&f);
    assert_error(&f, yread(&f, "a: 1\nb: c: d\n"), PLACE_EPARSE, 2, 5);
    cr_assert(strstr(place_errmsg(f.ctx),
                     "t.yaml:2:5: mapping values are not allowed in this "
                     "context"),
              "%s", place_errmsg(f.ctx));
    assert_error(&f, yread(&f, "a: 1\nb: [1, 2\nc: 3\n"), PLACE_EPARSE, 3, 2);
    cr_assert(strstr(place_errmsg(f.ctx), "flow sequence at line 2, column 4"),
              "%s", place_errmsg(f.ctx));
    assert_error(&f, yread(&f, "a: 'open\n"), PLACE_EPARSE, 2, 1);
    fx_fini(&f);
}

Test(yaml_read, duplicate_keys)
{
    fx f;
    char big[4096];
    size_t n = 0;
    int i;

    fx_init(&f);
    assert_error(&f, yread(&f, "a: 1\nb: 2\na: 3\n"), PLACE_EPARSE, 3, 1);
    cr_assert(strstr(place_errmsg(f.ctx), "duplicate key \"a\""), "%s",
              place_errmsg(f.ctx));
    assert_error(&f, yread(&f, "x:\n  y: 1\n  'y': 2\n"), PLACE_EPARSE, 3, 3);
    assert_error(&f, yread(&f, "{a: 1, b: 2, a: 3}"), PLACE_EPARSE, 1, 14);
    /* Same keys in different mappings are fine. */
    cr_assert_eq(yread(&f, "- a: 1\n- a: 2\n"), PLACE_OK);
    /* A large mapping (hash set). */
    for (i = 0; i < 100; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "k%d: %d\n", i, i);
    cr_assert_eq(yread(&f, big), PLACE_OK, "%s", place_errmsg(f.ctx));
    cr_assert_eq(root(&f)->count, 100);
    snprintf(big + n, sizeof big - n, "k57: dup\n");
    assert_error(&f, yread(&f, big), PLACE_EPARSE, 101, 1);
    cr_assert(strstr(place_errmsg(f.ctx), "duplicate key \"k57\""), "%s",
              place_errmsg(f.ctx));
    fx_fini(&f);
}

Test(yaml_read, non_scalar_key)
{
    fx f;

    fx_init(&f);
    assert_error(&f, yread(&f, "? [a]\n: 1\n"), PLACE_EPARSE, 1, 3);
    assert_error(&f, yread(&f, "x: &l [1]\n*l : 2\n"), PLACE_EPARSE, 2, 1);
    fx_fini(&f);
}

Test(yaml_read, aliases_and_merge_keys)
{
    static const char doc[] = "base: &b {cpu: 1}\n"
                              "copy: *b\n"
                              "name: &n web\n"
                              "*n : key-from-alias\n"
                              "<<: *b\n";
    fx f;
    const place__node *m;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    cr_assert_eq(m->count, 5);
    cr_assert_eq(place__map_get(m, "copy"), place__map_get(m, "base"));
    assert_scalar(place__map_get(m, "web"), "key-from-alias",
                  PLACE__SCALAR_PLAIN);
    /* `<<` is an ordinary key. */
    cr_assert_eq(place__map_get(m, "<<"), place__map_get(m, "base"));
    cr_assert_null(place__map_get(m, "cpu"));
    assert_error(&f, yread(&f, "a: *nope\n"), PLACE_EPARSE, 1, 4);
    assert_error(&f, yread(&f, "a: &r [1, *r]\n"), PLACE_EPARSE, 1, 11);
    /* Anchors do not cross documents. */
    assert_error(&f, yread(&f, "a: &x 1\n---\nb: *x\n"), PLACE_EPARSE, 3, 4);
    fx_fini(&f);
}

Test(yaml_read, billion_laughs, .timeout = 10)
{
    static const char doc[] =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
        "\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    fx f;
    place_location loc;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_ELIMIT, "%s", place_errmsg(f.ctx));
    cr_assert_eq(place_errcode(f.ctx), PLACE_ELIMIT);
    cr_assert_eq(place_errloc(f.ctx, &loc), PLACE_OK);
    /* Refused as go-yaml refuses it, for excessive aliasing, at the
     * second *c of d (2,567 nodes, 2,549 of them copies: more than 99%),
     * long before g's 5,380,840 nodes would pass max_nodes at the first *g
     * (8:8). */
    cr_assert(loc.line == 4 && loc.column == 11, "%s", place_errmsg(f.ctx));
    cr_assert(strstr(place_errmsg(f.ctx), "nodes"), "%s",
              place_errmsg(f.ctx));
    /* With a small limit, the count is exact: 1 map + 2 keys + 1 seq +
     * 2 scalars + 3 (the alias) = 9 nodes. */
    f.ctx->max_nodes = 9;
    cr_assert_eq(yread(&f, "a: &x [1, 2]\nb: *x\n"), PLACE_OK);
    f.ctx->max_nodes = 8;
    assert_error(&f, yread(&f, "a: &x [1, 2]\nb: *x\n"), PLACE_ELIMIT, 2, 4);
    fx_fini(&f);
}

Test(yaml_read, depth_limit, .timeout = 10)
{
    fx f;
    char *deep;
    size_t i, n = 10000;

    fx_init(&f);
    deep = malloc(2 * n + 1);
    cr_assert_not_null(deep);
    for (i = 0; i < n; i++) {
        deep[i] = '[';
        deep[n + i] = ']';
    }
    deep[2 * n] = '\0';
    /* The 65th bracket is one level too deep (default limit 64). */
    assert_error(&f, yread(&f, deep), PLACE_ELIMIT, 1, 65);
    memset(deep + 64, ']', 64);
    deep[128] = '\0';
    cr_assert_eq(yread(&f, deep), PLACE_OK, "%s", place_errmsg(f.ctx));
    free(deep);
    /* Block nesting counts too. */
    f.ctx->max_depth = 2;
    cr_assert_eq(yread(&f, "a:\n  b: 1\n"), PLACE_OK);
    assert_error(&f, yread(&f, "a:\n  b:\n    - 1\n"), PLACE_ELIMIT, 3, 5);
    fx_fini(&f);
}

Test(yaml_read, input_limit)
{
    fx f;

    fx_init(&f);
    f.ctx->max_input_bytes = 4;
    cr_assert_eq(yread(&f, "a: 1\n"), PLACE_ELIMIT);
    cr_assert_eq(place_errcode(f.ctx), PLACE_ELIMIT);
    cr_assert_eq(yread(&f, "a: 1"), PLACE_OK);
    fx_fini(&f);
}

Test(yaml_read, bom_and_crlf)
{
    static const char doc[] = "\xef\xbb\xbf"
                              "a: 1\r\n"
                              "b:\r\n"
                              "  - \"x\"\r\n"
                              "  - [y,\r\n"
                              "     z]\r\n";
    fx f;
    const place__node *m, *b;

    fx_init(&f);
    cr_assert_eq(yread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    assert_pos(m, 1, 1);
    assert_pos(place__map_get(m, "a"), 1, 4);
    b = place__map_get(m, "b");
    assert_pos(b, 3, 3);
    assert_pos(b->values[0], 3, 5);
    assert_scalar(b->values[0], "x", PLACE__SCALAR_QUOTED);
    assert_pos(b->values[1]->values[1], 5, 6);
    assert_scalar(b->values[1]->values[1], "z", PLACE__SCALAR_PLAIN);
    /* An error after a BOM and CRLF lines. */
    assert_error(&f, yread(&f, "\xef\xbb\xbf" "a: 1\r\nb: c: d\r\n"),
                 PLACE_EPARSE, 2, 5);
    fx_fini(&f);
}

Test(yaml_read, columns_count_characters)
{
    fx f;
    const place__node *m;

    fx_init(&f);
    cr_assert_eq(yread(&f, "\xc3\xa9t\xc3\xa9: [\xc3\xbc, x]\n"), PLACE_OK);
    m = root(&f);
    assert_pos(m->values[0], 1, 6);
    assert_pos(m->values[0]->values[1], 1, 10);
    fx_fini(&f);
}

Test(yaml_read, nul_and_invalid_utf8)
{
    static const char nul[] = "a: 1\nb: x\0y\n";
    fx f;

    fx_init(&f);
    assert_error(&f, yread_n(&f, nul, sizeof nul - 1), PLACE_EPARSE, 2, 5);
    cr_assert(strstr(place_errmsg(f.ctx), "control characters"), "%s",
              place_errmsg(f.ctx));
    assert_error(&f, yread(&f, "a: 1\nbb: \xc3\xa9\xff\n"), PLACE_EPARSE, 2,
                 6);
    assert_error(&f, yread(&f, "a: \xc3"), PLACE_EPARSE, 1, 4);
    fx_fini(&f);
}

/* ---- JSON -------------------------------------------------------------- */

Test(json_read, positions_and_styles)
{
    static const char doc[] =
        "{\n"                                               /* 1 */
        "  \"kind\": \"Pod\",\n"                            /* 2 */
        "  \"spec\": {\"replicas\": 3, \"cpu\": 1e3,\n"     /* 3 */
        "    \"ok\": true, \"no\": false, \"n\": null,\n"   /* 4 */
        "    \"list\": [ 0.5, -2,\n"                        /* 5 */
        "      [\"a\"], {} ]},\n"                           /* 6 */
        "  \"gdpr-approved\": \"true\"\n"                   /* 7 */
        "}\n";
    fx f;
    const place__node *m, *spec, *list;

    fx_init(&f);
    cr_assert_eq(jread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    cr_assert_eq(f.docs.items[0].line, 1);
    cr_assert_eq(f.docs.items[0].column, 1);
    assert_pos(m, 1, 1);
    cr_assert_eq(m->type, PLACE__NODE_MAP);
    cr_assert_eq(m->count, 3);
    assert_pos(key_node(m, "kind"), 2, 3);
    assert_scalar(key_node(m, "kind"), "kind", PLACE__SCALAR_QUOTED);
    assert_pos(place__map_get(m, "kind"), 2, 11);
    assert_scalar(place__map_get(m, "kind"), "Pod", PLACE__SCALAR_QUOTED);
    spec = place__map_get(m, "spec");
    assert_pos(spec, 3, 11);
    assert_pos(key_node(spec, "replicas"), 3, 12);
    assert_scalar(place__map_get(spec, "replicas"), "3", PLACE__SCALAR_PLAIN);
    assert_pos(place__map_get(spec, "replicas"), 3, 24);
    assert_scalar(place__map_get(spec, "cpu"), "1e3", PLACE__SCALAR_PLAIN);
    assert_pos(place__map_get(spec, "cpu"), 3, 34);
    assert_scalar(place__map_get(spec, "ok"), "true", PLACE__SCALAR_PLAIN);
    assert_scalar(place__map_get(spec, "no"), "false", PLACE__SCALAR_PLAIN);
    assert_scalar(place__map_get(spec, "n"), "null", PLACE__SCALAR_NULL);
    assert_pos(place__map_get(spec, "n"), 4, 35);
    list = place__map_get(spec, "list");
    cr_assert_eq(list->type, PLACE__NODE_SEQ);
    cr_assert_eq(list->count, 4);
    assert_pos(list, 5, 13);
    assert_scalar(list->values[0], "0.5", PLACE__SCALAR_PLAIN);
    assert_pos(list->values[0], 5, 15);
    assert_scalar(list->values[1], "-2", PLACE__SCALAR_PLAIN);
    assert_pos(list->values[2], 6, 7);
    assert_pos(list->values[2]->values[0], 6, 8);
    assert_pos(list->values[3], 6, 14);
    cr_assert_eq(list->values[3]->type, PLACE__NODE_MAP);
    cr_assert_eq(list->values[3]->count, 0);
    assert_scalar(place__map_get(m, "gdpr-approved"), "true",
                  PLACE__SCALAR_QUOTED);
    fx_fini(&f);
}

Test(json_read, scalar_roots)
{
    fx f;

    fx_init(&f);
    cr_assert_eq(jread(&f, "  42 "), PLACE_OK);
    assert_scalar(root(&f), "42", PLACE__SCALAR_PLAIN);
    assert_pos(root(&f), 1, 3);
    cr_assert_eq(jread(&f, "\n\"s\""), PLACE_OK);
    assert_scalar(root(&f), "s", PLACE__SCALAR_QUOTED);
    assert_pos(root(&f), 2, 1);
    cr_assert_eq(jread(&f, "[]"), PLACE_OK);
    cr_assert_eq(root(&f)->type, PLACE__NODE_SEQ);
    cr_assert_eq(root(&f)->count, 0);
    /* A null top-level value is a document whose root is a null scalar. */
    cr_assert_eq(jread(&f, "null"), PLACE_OK);
    cr_assert(place__node_is_null(root(&f)));
    fx_fini(&f);
}

Test(json_read, number_text_kept)
{
    fx f;
    const place__node *a;

    fx_init(&f);
    cr_assert_eq(jread(&f, "[1e3, 100, 0.5, -0, 1E+2, 2.50, "
                           "12345678901234567890]"),
                 PLACE_OK, "%s", place_errmsg(f.ctx));
    a = root(&f);
    assert_scalar(a->values[0], "1e3", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[1], "100", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[2], "0.5", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[3], "-0", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[4], "1E+2", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[5], "2.50", PLACE__SCALAR_PLAIN);
    assert_scalar(a->values[6], "12345678901234567890", PLACE__SCALAR_PLAIN);
    /* What cJSON lets through but JSON forbids. */
    assert_error(&f, jread(&f, "[1, 01]"), PLACE_EPARSE, 1, 5);
    assert_error(&f, jread(&f, "{\"a\":\n 1.}"), PLACE_EPARSE, 2, 2);
    fx_fini(&f);
}

Test(json_read, string_escapes)
{
    fx f;
    const place__node *a;

    fx_init(&f);
    cr_assert_eq(jread(&f, "[\"caf\\u00e9\\n\", \"\\\"\\\\\\/\\b\\f\\r\\t\", "
                           "\"\\ud83d\\ude00\", \"a\\u0000b\", \"\xc3\xa9\"]"),
                 PLACE_OK, "%s", place_errmsg(f.ctx));
    a = root(&f);
    assert_scalar(a->values[0], "caf\xc3\xa9\n", PLACE__SCALAR_QUOTED);
    assert_scalar(a->values[1], "\"\\/\b\f\r\t", PLACE__SCALAR_QUOTED);
    assert_scalar(a->values[2], "\xf0\x9f\x98\x80", PLACE__SCALAR_QUOTED);
    cr_assert_eq(a->values[3]->len, 3);
    cr_assert_eq(memcmp(a->values[3]->str, "a\0b", 4), 0);
    assert_scalar(a->values[4], "\xc3\xa9", PLACE__SCALAR_QUOTED);
    /* Keys are decoded too. */
    cr_assert_eq(jread(&f, "{\"\\u0061\": 1}"), PLACE_OK);
    assert_scalar(place__map_get(root(&f), "a"), "1", PLACE__SCALAR_PLAIN);
    fx_fini(&f);
}

Test(json_read, syntax_error_position)
{
    fx f;

    fx_init(&f);
    /* Missing comma: cJSON stops at the second key. */
    assert_error(&f, jread(&f, "{\n  \"a\": 1\n  \"b\": 2\n}\n"), PLACE_EPARSE,
                 3, 3);
    cr_assert(strstr(place_errmsg(f.ctx), "t.json:3:3: invalid JSON"), "%s",
              place_errmsg(f.ctx));
    assert_error(&f, jread(&f, "[1, 2,]"), PLACE_EPARSE, 1, 7);
    assert_error(&f, jread(&f, "{\"a\" 1}"), PLACE_EPARSE, 1, 6);
    assert_error(&f, jread(&f, "[\"\xc3\xa9\", tru]"), PLACE_EPARSE, 1, 7);
    fx_fini(&f);
}

Test(json_read, trailing_garbage)
{
    fx f;

    fx_init(&f);
    assert_error(&f, jread(&f, "{\"a\": 1}\n  x"), PLACE_EPARSE, 2, 3);
    cr_assert(strstr(place_errmsg(f.ctx), "after the JSON value"), "%s",
              place_errmsg(f.ctx));
    assert_error(&f, jread(&f, "[1] [2]"), PLACE_EPARSE, 1, 5);
    cr_assert_eq(jread(&f, "[1]\n\t \r\n"), PLACE_OK);
    fx_fini(&f);
}

Test(json_read, duplicate_keys)
{
    fx f;
    char big[4096];
    size_t n = 0;
    int i;

    fx_init(&f);
    assert_error(&f, jread(&f, "{\"a\": 1,\n \"b\": {\"a\": 2},\n \"a\": 3}"),
                 PLACE_EPARSE, 3, 2);
    cr_assert(strstr(place_errmsg(f.ctx), "duplicate key \"a\""), "%s",
              place_errmsg(f.ctx));
    /* Escapes are compared decoded. */
    assert_error(&f, jread(&f, "{\"a\": 1, \"\\u0061\": 2}"), PLACE_EPARSE, 1,
                 10);
    /* Keys that differ after a NUL are different. */
    cr_assert_eq(jread(&f, "{\"a\\u0000b\": 1, \"a\": 2}"), PLACE_OK);
    /* A large object (hash set). */
    n += (size_t)snprintf(big + n, sizeof big - n, "{");
    for (i = 0; i < 100; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "\"k%d\": %d,\n", i,
                              i);
    snprintf(big + n, sizeof big - n, "\"k42\": 0}");
    assert_error(&f, jread(&f, big), PLACE_EPARSE, 101, 1);
    fx_fini(&f);
}

Test(json_read, depth_limit, .timeout = 10)
{
    fx f;
    char *deep;
    size_t i, n = 10000;

    fx_init(&f);
    deep = malloc(2 * n + 1);
    cr_assert_not_null(deep);
    for (i = 0; i < n; i++) {
        deep[i] = '[';
        deep[n + i] = ']';
    }
    deep[2 * n] = '\0';
    assert_error(&f, jread(&f, deep), PLACE_ELIMIT, 1, 65);
    /* Unclosed too. */
    assert_error(&f, jread_n(&f, deep, n), PLACE_ELIMIT, 1, 65);
    /* Brackets in strings do not count. */
    cr_assert_eq(jread(&f, "[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                           "[[[[[[[[[[[[[[[[[[[[[[[[[[\"]"),
                 PLACE_OK);
    /* Exactly at the limit is fine. */
    cr_assert_eq(jread_n(&f, deep + n - 64, 128), PLACE_OK, "%s",
                 place_errmsg(f.ctx));
    /* Beyond cJSON's own limit (1000) with a larger max_depth: still a
     * limit, not a syntax error. */
    f.ctx->max_depth = 5000;
    assert_error(&f, jread(&f, deep + n - 2000), PLACE_ELIMIT, 1, 1001);
    free(deep);
    /* Objects count too. */
    f.ctx->max_depth = 2;
    cr_assert_eq(jread(&f, "{\"a\": [1]}"), PLACE_OK);
    assert_error(&f, jread(&f, "{\"a\": [{}]}"), PLACE_ELIMIT, 1, 8);
    fx_fini(&f);
}

Test(json_read, node_and_input_limits)
{
    fx f;

    fx_init(&f);
    /* 1 map + 1 key + 1 seq + 2 numbers = 5 nodes. */
    f.ctx->max_nodes = 5;
    cr_assert_eq(jread(&f, "{\"a\": [1, 2]}"), PLACE_OK);
    cr_assert_eq(jread(&f, "{\"a\": [1, 2], \"b\": \"x\"}"), PLACE_ELIMIT);
    cr_assert_eq(jread(&f, "{\"a\": [1, 2], \"b\": {}}"), PLACE_ELIMIT);
    cr_assert_eq(jread(&f, "[[], [], {}, [], [\"\"]]"), PLACE_ELIMIT);
    f.ctx->max_nodes = 4;
    assert_error(&f, jread(&f, "{\"a\": [1, 2]}"), PLACE_ELIMIT, 1, 11);
    f.ctx->max_nodes = 100;
    f.ctx->max_input_bytes = 3;
    cr_assert_eq(jread(&f, "[1]"), PLACE_OK);
    cr_assert_eq(jread(&f, "[1] "), PLACE_ELIMIT);
    cr_assert_eq(place_errcode(f.ctx), PLACE_ELIMIT);
    fx_fini(&f);
}

Test(json_read, bom_and_crlf)
{
    static const char doc[] = "\xef\xbb\xbf{\r\n"
                              "  \"a\": [1,\r\n"
                              "    \"x\"],\r\n"
                              "  \"b\": null\r\n"
                              "}\r\n";
    fx f;
    const place__node *m;

    fx_init(&f);
    cr_assert_eq(jread(&f, doc), PLACE_OK, "%s", place_errmsg(f.ctx));
    m = root(&f);
    assert_pos(m, 1, 1);
    assert_pos(key_node(m, "a"), 2, 3);
    assert_pos(place__map_get(m, "a")->values[1], 3, 5);
    assert_pos(place__map_get(m, "b"), 4, 8);
    assert_error(&f, jread(&f, "\xef\xbb\xbf[1,\r\n 2\r\n 3]"), PLACE_EPARSE,
                 3, 2);
    fx_fini(&f);
}

Test(json_read, columns_count_characters)
{
    fx f;
    const place__node *m;

    fx_init(&f);
    cr_assert_eq(jread(&f, "{\"\xc3\xa9t\xc3\xa9\": [\"\xc3\xbc\", 1]}"),
                 PLACE_OK);
    m = root(&f);
    assert_pos(m->values[0], 1, 9);
    assert_pos(m->values[0]->values[1], 1, 15);
    fx_fini(&f);
}

Test(json_read, empty_input)
{
    fx f;

    fx_init(&f);
    cr_assert_eq(jread(&f, ""), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(jread_n(&f, NULL, 0), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(jread(&f, " \n\t\r\n"), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    cr_assert_eq(jread(&f, "\xef\xbb\xbf\n"), PLACE_OK);
    cr_assert_eq(f.docs.count, 0);
    /* Comments are not JSON. */
    assert_error(&f, jread(&f, "// nothing\n"), PLACE_EPARSE, 1, 1);
    fx_fini(&f);
}

Test(json_read, nul_control_and_invalid_utf8)
{
    static const char nul_after[] = "{\"a\": 1}\0";
    static const char nul_in[] = "{\"a\": \"x\0y\"}";
    static const char nul_before[] = "\n\0[1]";
    fx f;

    fx_init(&f);
    assert_error(&f, jread_n(&f, nul_after, sizeof nul_after - 1),
                 PLACE_EPARSE, 1, 9);
    assert_error(&f, jread_n(&f, nul_in, sizeof nul_in - 1), PLACE_EPARSE, 1,
                 9);
    assert_error(&f, jread_n(&f, nul_before, sizeof nul_before - 1),
                 PLACE_EPARSE, 2, 1);
    /* cJSON takes \f and \v as whitespace; JSON does not. */
    assert_error(&f, jread(&f, "[1,\f2]"), PLACE_EPARSE, 1, 4);
    /* A raw tab in a string. */
    assert_error(&f, jread(&f, "[\"a\tb\"]"), PLACE_EPARSE, 1, 4);
    assert_error(&f, jread(&f, "[\"\xc3\xa9\xff\"]"), PLACE_EPARSE, 1, 4);
    assert_error(&f, jread(&f, "[\"\xed\xa0\x80\"]"), PLACE_EPARSE, 1, 3);
    assert_error(&f, jread(&f, "[\"\xc0\xaf\"]"), PLACE_EPARSE, 1, 3);
    fx_fini(&f);
}

/* ---- out of memory ----------------------------------------------------- */

/* An allocator that fails once `left` allocations have been made. */
typedef struct failing {
    long left;
} failing;

static void *failing_malloc(size_t n, void *payload)
{
    failing *f = payload;
    if (f->left >= 0 && f->left-- == 0)
        return NULL;
    return malloc(n);
}

static void *failing_realloc(void *p, size_t n, void *payload)
{
    failing *f = payload;
    if (f->left >= 0 && f->left-- == 0)
        return NULL;
    return realloc(p, n);
}

static void failing_free(void *p, void *payload)
{
    (void)payload;
    free(p);
}

/* Fail every allocation in turn: each run ends with PLACE_OK or
 * PLACE_ENOMEM and frees everything (ASan checks the leaks). */
static void oom_sweep(bool json, const char *doc)
{
    failing fl = {-1};
    place_allocator al = {failing_malloc, failing_realloc, failing_free, &fl};
    place_ctx_options opts;
    long i;
    bool ok = false;

    cr_assert_eq(place_ctx_options_init(&opts, PLACE_CTX_OPTIONS_VERSION),
                 PLACE_OK);
    opts.allocator = &al;
    for (i = 0; i < 10000 && !ok; i++) {
        place_ctx *ctx;
        place__arena arena;
        place__docs docs;
        int rc;

        fl.left = -1;
        cr_assert_eq(place_ctx_new(&ctx, &opts), PLACE_OK);
        place__arena_init(&arena, ctx);
        fl.left = i;
        rc = json ? place__json_read(ctx, &arena, doc, strlen(doc), "t",
                                     &docs)
                  : place__yaml_read(ctx, &arena, doc, strlen(doc), "t",
                                     &docs);
        cr_assert(rc == PLACE_OK || rc == PLACE_ENOMEM, "rc %d: %s", rc,
                  place_errmsg(ctx));
        if (rc == PLACE_ENOMEM)
            cr_assert_eq(place_errcode(ctx), PLACE_ENOMEM);
        ok = rc == PLACE_OK;
        fl.left = -1;
        place__arena_free(&arena);
        place_ctx_free(ctx);
    }
    cr_assert(ok);
}

Test(yaml_read, out_of_memory)
{
    char doc[2048];
    size_t n;
    int i;

    n = (size_t)snprintf(doc, sizeof doc, "big:\n");
    for (i = 0; i < 40; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "  k%d: &a%d v\n", i,
                              i);
    snprintf(doc + n, sizeof doc - n,
             "a: &x [1, {b: c}]\nb: *x\n---\n- 'q'\n- ~\n");
    oom_sweep(false, doc);
}

Test(json_read, out_of_memory)
{
    char doc[2048];
    size_t n;
    int i;

    n = (size_t)snprintf(doc, sizeof doc,
                         "{\"a\": [1, {\"b\": \"c\\u00e9\"}], \"big\": {");
    for (i = 0; i < 40; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n, "\"k%d\": %d, ", i, i);
    snprintf(doc + n, sizeof doc - n, "\"z\": null}}");
    oom_sweep(true, doc);
}

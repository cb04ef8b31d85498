/*
 * fuzz_json.c: the JSON reader (libplace/json_read.c) on any bytes.
 *
 * Checks, besides what fuzz_yaml.c checks: the scanner never falls out of
 * step with cJSON (that would be PLACE_ERROR); an input is at most one
 * document; and, differentially, when the YAML reader accepts the same
 * bytes too (JSON is mostly YAML flow syntax), both readers build the same
 * tree: the same shapes, the same scalar bytes and styles, and the same
 * line and column for every node, which is what makes an error message
 * name the same place in both formats.
 */
#include "tree_check.h"

#define FUZZ_MAX_NODES 100000
#define FUZZ_MAX_DEPTH 32

/* Same text and style; a null scalar and an absent node are equal (a
 * YAML document whose root is null has no root). */
static void same_tree(const place__node *j, const place__node *y,
                      bool positions)
{
    size_t i;

    if (place__node_is_null(j) || place__node_is_null(y)) {
        FUZZ_CHECK(place__node_is_null(j) && place__node_is_null(y),
                   "null in one reader only");
        if (!j || !y)
            return;
    }
    FUZZ_CHECK(j->type == y->type, "type %d (JSON) vs %d (YAML) at %u:%u",
               (int)j->type, (int)y->type, j->line, j->column);
    if (positions)
        FUZZ_CHECK(j->line == y->line && j->column == y->column,
                   "position %u:%u (JSON) vs %u:%u (YAML)", j->line,
                   j->column, y->line, y->column);
    if (j->type == PLACE__NODE_SCALAR) {
        FUZZ_CHECK(j->style == y->style, "style %d vs %d at %u:%u",
                   (int)j->style, (int)y->style, j->line, j->column);
        FUZZ_CHECK(j->len == y->len && memcmp(j->str, y->str, j->len) == 0,
                   "scalar \"%s\" (JSON) vs \"%s\" (YAML) at %u:%u", j->str,
                   y->str, j->line, j->column);
        return;
    }
    FUZZ_CHECK(j->count == y->count, "%zu children vs %zu at %u:%u",
               j->count, y->count, j->line, j->column);
    for (i = 0; i < j->count; i++) {
        if (j->type == PLACE__NODE_MAP)
            same_tree(j->keys[i], y->keys[i], positions);
        same_tree(j->values[i], y->values[i], positions);
    }
}

/* Line breaks that YAML knows and JSON does not (NEL, LS, PS), and a byte
 * order mark other than UTF-8's, make the two readers disagree on purpose:
 * YAML breaks lines (and folds quoted scalars) there. */
static bool yaml_only_breaks(const uint8_t *d, size_t n)
{
    size_t i;
    for (i = 0; i + 1 < n; i++) {
        if (d[i] == 0xC2 && d[i + 1] == 0x85)
            return true;
        if (i + 2 < n && d[i] == 0xE2 && d[i + 1] == 0x80 &&
            (d[i + 2] == 0xA8 || d[i + 2] == 0xA9))
            return true;
        if ((d[i] == 0xFE && d[i + 1] == 0xFF) ||
            (d[i] == 0xFF && d[i + 1] == 0xFE))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    place_ctx_options o = PLACE_CTX_OPTIONS_INIT;
    place_ctx *ctx;
    place__arena arena;
    place__docs docs, ydocs;
    int rc;

    o.max_nodes = FUZZ_MAX_NODES;
    o.max_depth = FUZZ_MAX_DEPTH;
    o.max_scalar_bytes = 4096;
    if (place_ctx_new(&ctx, &o) != PLACE_OK)
        return 0;
    place__arena_init(&arena, ctx);
    rc = place__json_read(ctx, &arena, (const char *)data, size, "fuzz",
                          &docs);
    if (rc == PLACE_OK) {
        FUZZ_CHECK(docs.count <= 1, "%zu documents", docs.count);
        tree_check_docs(ctx, &docs, FUZZ_MAX_NODES, FUZZ_MAX_DEPTH, data,
                        size);
        if (!yaml_only_breaks(data, size) &&
            place__yaml_read(ctx, &arena, (const char *)data, size, "fuzz",
                             &ydocs) == PLACE_OK) {
            if (docs.count == 0) {
                FUZZ_CHECK(ydocs.count == 0, "JSON empty, YAML %zu documents",
                           ydocs.count);
            } else {
                FUZZ_CHECK(ydocs.count == 1, "YAML read %zu documents",
                           ydocs.count);
                same_tree(docs.items[0].root, ydocs.items[0].root, true);
            }
        }
    } else {
        FUZZ_CHECK(rc != PLACE_ERROR, "scanner out of step: %s",
                   place_errmsg(ctx));
        tree_check_error(ctx, rc, "fuzz", data, size);
    }
    place__arena_free(&arena);
    place_ctx_free(ctx);
    return 0;
}

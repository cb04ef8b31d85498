/*
 * tree_check.h: invariants of the document tree (libplace/tree.h) that the
 * YAML and JSON fuzz targets check on every tree a reader returns, and of
 * the error a reader records when it refuses an input.
 */
#ifndef PLACE_FUZZ_TREE_CHECK_H
#define PLACE_FUZZ_TREE_CHECK_H

#include "fuzz.h"
#include "tree.h"

#include <string.h>

typedef struct tree_walk {
    size_t visits;     /* nodes visited, shared nodes once per reference */
    size_t budget;     /* the reader's max_nodes: visits may not pass it */
    unsigned int max_line;
    unsigned int depth, max_depth;
} tree_walk;

static void tree_check_node(tree_walk *tw, const place__node *n)
{
    size_t i, j;

    FUZZ_CHECK(n != NULL, "a NULL node in the tree");
    tw->visits++;
    FUZZ_CHECK(tw->visits <= tw->budget,
               "more than max_nodes=%zu nodes, aliases expanded", tw->budget);
    FUZZ_CHECK(n->line >= 1 && n->column >= 1, "position %u:%u", n->line,
               n->column);
    FUZZ_CHECK(n->line <= tw->max_line, "line %u past the input's %u lines",
               n->line, tw->max_line);
    switch (n->type) {
    case PLACE__NODE_SCALAR:
        FUZZ_CHECK(n->str != NULL, "a scalar without text");
        FUZZ_CHECK(n->str[n->len] == '\0', "a scalar not NUL-terminated");
        FUZZ_CHECK(n->style == PLACE__SCALAR_PLAIN ||
                       n->style == PLACE__SCALAR_QUOTED ||
                       n->style == PLACE__SCALAR_NULL,
                   "scalar style %d", (int)n->style);
        FUZZ_CHECK(n->count == 0, "a scalar with %zu children", n->count);
        break;
    case PLACE__NODE_MAP:
    case PLACE__NODE_SEQ:
        FUZZ_CHECK(tw->depth < tw->max_depth, "nesting deeper than %u",
                   tw->max_depth);
        FUZZ_CHECK(n->count == 0 || n->values, "children missing");
        tw->depth++;
        for (i = 0; i < n->count; i++) {
            if (n->type == PLACE__NODE_MAP) {
                const place__node *k = n->keys[i];
                FUZZ_CHECK(k && k->type == PLACE__NODE_SCALAR,
                           "a mapping key that is not a scalar");
                tree_check_node(tw, k);
                /* Duplicate keys are refused by both readers. */
                if (n->count <= 64)
                    for (j = 0; j < i; j++)
                        FUZZ_CHECK(!(n->keys[j]->len == k->len &&
                                     memcmp(n->keys[j]->str, k->str,
                                            k->len) == 0),
                                   "duplicate key kept");
            }
            tree_check_node(tw, n->values[i]);
        }
        tw->depth--;
        break;
    default:
        FUZZ_CHECK(0, "node type %d", (int)n->type);
    }
}

/* Lines of the input: a generous bound for the positions (every byte that
 * can start a line counts). */
static unsigned int tree_input_lines(const uint8_t *data, size_t size)
{
    size_t i;
    unsigned int lines = 1;
    for (i = 0; i < size; i++)
        if (data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 ||
            data[i] == 0xA8 || data[i] == 0xA9)
            lines++;
    return lines;
}

static void tree_check_docs(const place_ctx *ctx, const place__docs *docs,
                            size_t max_nodes, unsigned int max_depth,
                            const uint8_t *data, size_t size)
{
    tree_walk tw;
    size_t i;

    (void)ctx;
    memset(&tw, 0, sizeof tw);
    tw.budget = max_nodes;
    tw.max_depth = max_depth;
    tw.max_line = tree_input_lines(data, size);
    FUZZ_CHECK(docs->count == 0 || docs->items, "documents missing");
    for (i = 0; i < docs->count; i++) {
        FUZZ_CHECK(docs->items[i].line >= 1 &&
                       docs->items[i].line <= tw.max_line,
                   "document %zu at line %u", i, docs->items[i].line);
        if (docs->items[i].root)
            tree_check_node(&tw, docs->items[i].root);
    }
}

/* A refused input: a parse error or a limit, recorded with where it is. */
static void tree_check_error(const place_ctx *ctx, int rc,
                             const char *source, const uint8_t *data,
                             size_t size)
{
    place_location loc;

    FUZZ_CHECK(rc == PLACE_EPARSE || rc == PLACE_ELIMIT || rc == PLACE_ENOMEM,
               "reader returned %d: %s", rc, place_errmsg(ctx));
    FUZZ_CHECK(place_errcode(ctx) == rc, "errcode %d, returned %d",
               place_errcode(ctx), rc);
    FUZZ_CHECK(place_errmsg(ctx)[0] != '\0', "empty message");
    if (rc == PLACE_ENOMEM)
        return;
    FUZZ_CHECK(place_errloc(ctx, &loc) == PLACE_OK, "no location: %s",
               place_errmsg(ctx));
    FUZZ_CHECK(loc.source && strcmp(loc.source, source) == 0,
               "source %s", loc.source ? loc.source : "(null)");
    if (rc == PLACE_EPARSE) {
        FUZZ_CHECK(loc.line >= 1 && loc.column >= 1, "parse error at %u:%u",
                   loc.line, loc.column);
        FUZZ_CHECK(loc.line <= tree_input_lines(data, size),
                   "parse error at line %u of %u", loc.line,
                   tree_input_lines(data, size));
    }
    FUZZ_CHECK(strncmp(place_errmsg(ctx), source, strlen(source)) == 0,
               "message does not start with the source: %s",
               place_errmsg(ctx));
}

#endif

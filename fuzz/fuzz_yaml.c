/*
 * fuzz_yaml.c: the YAML reader (libplace/yaml_read.c) on any bytes.
 *
 * Checks: no crash, leak or undefined behaviour; an accepted input gives a
 * well-formed tree whose size, aliases expanded, stays within max_nodes and
 * whose nesting stays within max_depth; a refused input is a parse error or
 * a limit, with the source, a line and a column inside the input.
 */
#include "tree_check.h"

#define FUZZ_MAX_NODES 100000
#define FUZZ_MAX_DEPTH 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    place_ctx_options o = PLACE_CTX_OPTIONS_INIT;
    place_ctx *ctx;
    place__arena arena;
    place__docs docs;
    int rc;

    o.max_nodes = FUZZ_MAX_NODES;
    o.max_depth = FUZZ_MAX_DEPTH;
    o.max_scalar_bytes = 4096;
    o.max_documents = 1000;
    if (place_ctx_new(&ctx, &o) != PLACE_OK)
        return 0;
    place__arena_init(&arena, ctx);
    rc = place__yaml_read(ctx, &arena, (const char *)data, size, "fuzz",
                          &docs);
    if (rc == PLACE_OK) {
        FUZZ_CHECK(docs.count <= 1000, "%zu documents", docs.count);
        tree_check_docs(ctx, &docs, FUZZ_MAX_NODES, FUZZ_MAX_DEPTH, data,
                        size);
    } else {
        tree_check_error(ctx, rc, "fuzz", data, size);
    }
    place__arena_free(&arena);
    place_ctx_free(ctx);
    return 0;
}

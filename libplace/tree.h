/*
 * tree.h: the one document tree that both readers produce and the decoder
 * consumes. YAML (libyaml, yaml_read.c) and JSON (cJSON, json_read.c) are
 * turned into the same shapes, so that every rule of reading lives in the
 * decoder and both formats behave identically.
 *
 * Every node carries the 1-based line and column of its first character
 * (for a quoted scalar: the opening quote; for a flow collection: the
 * bracket; for a block mapping or sequence: its first key or dash).
 *
 * All nodes and strings are allocated in the arena given to the reader and
 * die with it.
 */
#ifndef PLACE_TREE_H
#define PLACE_TREE_H

#include "internal.h"

typedef enum place__node_type {
    PLACE__NODE_SCALAR = 0,
    PLACE__NODE_MAP = 1,
    PLACE__NODE_SEQ = 2
} place__node_type;

/* What a scalar was written as. The text is always kept as written, so a
 * label `gdpr-approved: true` reads as the string "true". */
typedef enum place__scalar_style {
    PLACE__SCALAR_PLAIN = 0,  /* YAML plain scalar; JSON number/true/false */
    PLACE__SCALAR_QUOTED = 1, /* YAML quoted or block scalar; JSON string */
    PLACE__SCALAR_NULL = 2    /* YAML ~, null, Null, NULL or empty; JSON null */
} place__scalar_style;

typedef struct place__node place__node;
struct place__node {
    place__node_type type;
    place__scalar_style style; /* scalars only */
    unsigned int line;         /* 1-based */
    unsigned int column;       /* 1-based */
    /* SCALAR: text (NUL-terminated; may contain NULs within len) */
    const char *str;
    size_t len;
    /* MAP: keys[i] -> values[i] (keys are scalars), in document order.
     * SEQ: values[i]. */
    size_t count;
    place__node **keys;
    place__node **values;
};

/* One document of a source: its root node (NULL for an empty document). */
typedef struct place__doc {
    place__node *root;
    unsigned int line; /* where the document starts */
    unsigned int column;
} place__doc;

/* The documents of one source. */
typedef struct place__docs {
    size_t count;
    place__doc *items;
} place__docs;

/*
 * Read a source into documents. `source` is the name used in errors (it is
 * borrowed and must outlive the arena). On failure an error is recorded in
 * ctx (PLACE_EPARSE with the position where the parser stopped, PLACE_ELIMIT,
 * PLACE_ENOMEM) and its code returned.
 *
 * YAML: every document of a multi-document stream; aliases are expanded
 * (counted against ctx->max_nodes); merge keys (<<) are not interpreted;
 * duplicate keys in one mapping are an error. Non-scalar keys are an error.
 * JSON: one value. The caller (the decoder) decides what an array or a List
 * means; the JSON reader returns the value as a single document.
 */
int place__yaml_read(place_ctx *ctx, place__arena *arena, const char *data,
                     size_t len, const char *source, place__docs *out);
int place__json_read(place_ctx *ctx, place__arena *arena, const char *data,
                     size_t len, const char *source, place__docs *out);

/* Map lookup by key (exact bytes); NULL when absent. */
const place__node *place__map_get(const place__node *map, const char *key);
/* True for a scalar written as null (or a missing node). */
bool place__node_is_null(const place__node *n);

#endif /* PLACE_TREE_H */

/*
 * yaml_read.c: YAML source -> place__docs, with libyaml's event API.
 *
 * The events are turned into place__node trees directly (no
 * yaml_document_t), so that every allocation is ours (the arena, or the
 * context allocator for the temporary stacks) and every limit is checked as
 * the events arrive:
 *   - the input length against ctx->max_input_bytes, before parsing;
 *   - the nesting of collections against ctx->max_depth;
 *   - the length of every scalar (keys included) against
 *     ctx->max_scalar_bytes, and the number of documents of the stream
 *     (empty ones included) against ctx->max_documents;
 *   - the number of nodes, aliases expanded, against ctx->max_nodes. Every
 *     anchored node remembers its expanded size, and an alias adds that size,
 *     so a "billion laughs" document fails after max_nodes steps, not after
 *     a billion;
 *   - the share of a document's nodes that are copies made by aliases, as
 *     Kubernetes' YAML parser (go-yaml) limits it: anything up to 400,000
 *     nodes, at most 10% of them from 4,000,000 (yr_allowed_alias_ratio),
 *     so that a few kilobytes cannot expand into millions of nodes for the
 *     decoder to walk.
 *
 * Decisions:
 *   - A stream without any document (empty input, only comments) gives
 *     count 0. A document whose root is null (`---` alone, `--- ~`, only
 *     comments after an explicit `---`) gives a place__doc with root NULL and
 *     the position of its start.
 *   - Plain scalars `~`, `null`, `Null`, `NULL` and the empty plain scalar
 *     are PLACE__SCALAR_NULL; every other plain scalar is PLAIN (its text is
 *     kept: `true` stays the string "true"); quoted, literal and folded
 *     scalars are QUOTED. Tags are ignored.
 *   - An alias shares the anchored node (the tree is a DAG). An alias to a
 *     collection that is still open (a recursive alias) and an undefined
 *     alias are errors. Anchors are scoped to their document.
 *   - A node's position is the start mark of its event: the first character
 *     of its properties (anchor, tag) when it has some, otherwise of its
 *     value (the opening quote of a quoted scalar, the first key of a block
 *     mapping, the dash of a block sequence, the bracket of a flow
 *     collection). Lines and columns are 1-based; columns count characters.
 *   - Merge keys (<<) are ordinary keys.
 */
#include "tree.h"

#include <string.h>
#include <yaml.h>

/* A collection being read. */
typedef struct yr_frame {
    place__node *node;
    size_t start;       /* index of its first child in yr.items */
    size_t size;        /* expanded node count so far, itself included */
    const char *anchor; /* name owned by the anchor table, or NULL */
    place__node **set;  /* keys of a large mapping (open addressing) */
    size_t set_cap;
} yr_frame;

/* An anchor: node is NULL while its collection is still open. */
typedef struct yr_anchor {
    char *name;
    place__node *node;
    size_t size;
} yr_anchor;

typedef struct yr {
    place_ctx *ctx;
    place__arena *arena;
    const char *source;
    const unsigned char *data;
    size_t len;

    yr_frame *frames;
    size_t nframes, frames_cap;
    place__node **items; /* children of the open collections */
    size_t nitems, items_cap;
    yr_anchor *anchors; /* hash table, anchors_cap a power of two or 0 */
    size_t nanchors, anchors_cap;
    place__doc *docs;
    size_t ndocs, docs_cap;

    size_t nodes; /* expanded nodes so far in this source */
    size_t doc_nodes, doc_alias_nodes; /* of the current document */
    place__node *root;
    unsigned int doc_line, doc_column;
    bool end_known;                   /* end_line, end_column computed */
    unsigned int end_line, end_column; /* just after the last character */
} yr;

/* Mappings with more keys than this get a hash set for duplicates. */
#define YR_SMALL_MAP 8

/* ---- errors ------------------------------------------------------------ */

static int yr_error_at(yr *r, int code, unsigned int line, unsigned int col,
                       const char *fmt, ...) PLACE__PRINTF(5, 6);

static int yr_error_at(yr *r, int code, unsigned int line, unsigned int col,
                       const char *fmt, ...)
{
    place__loc loc;
    va_list ap;

    memset(&loc, 0, sizeof loc);
    loc.pos.source = r->source;
    loc.pos.line = line;
    loc.pos.column = col;
    va_start(ap, fmt);
    place__verror(r->ctx, code, &loc, fmt, ap);
    va_end(ap);
    return code;
}

/* A key or anchor for a message: at most 64 bytes, control bytes as '?'. */
static void yr_quote(char *dst, size_t size, const char *s, size_t n)
{
    size_t i, j = 0;
    bool cut = n > 64;

    if (cut)
        n = 64;
    for (i = 0; i < n && j + 4 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        dst[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (cut && j + 4 < size) {
        memcpy(dst + j, "...", 3);
        j += 3;
    }
    dst[j] = '\0';
}

/* The 1-based line and column of byte `off` of the raw input (used for
 * reader errors, which libyaml reports as an offset). Breaks are those of
 * YAML 1.1, as libyaml counts them: LF, CR, CRLF, NEL, LS, PS. */
static void yr_offset_pos(const yr *r, size_t off, unsigned int *line,
                          unsigned int *col)
{
    const unsigned char *s = r->data;
    size_t i = 0;
    unsigned int l = 1, c = 1;

    if (off > r->len)
        off = r->len;
    if (r->len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
        i = off >= 3 ? 3 : off;
    while (i < off) {
        unsigned char b = s[i];
        if (b == '\n' || b == '\r') {
            if (b == '\r' && i + 1 < off && s[i + 1] == '\n')
                i++;
            l++;
            c = 1;
        } else if (b == 0xC2 && i + 1 < off && s[i + 1] == 0x85) {
            i++;
            l++;
            c = 1;
        } else if (b == 0xE2 && i + 2 < off && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            i += 2;
            l++;
            c = 1;
        } else if ((b & 0xC0) != 0x80) {
            c++;
        }
        i++;
    }
    *line = l;
    *col = c;
}

/* At the end of a stream whose last line has no line break, libyaml moves
 * its mark to the start of a line that does not exist; a node (an empty
 * value) or an error there is at the end of the last line instead. */
static void yr_clamp_to_end(yr *r, unsigned int *line, unsigned int *col)
{
    if (!r->end_known) {
        yr_offset_pos(r, r->len, &r->end_line, &r->end_column);
        r->end_known = true;
    }
    if (*line > r->end_line ||
        (*line == r->end_line && *col > r->end_column)) {
        *line = r->end_line;
        *col = r->end_column;
    }
}

static int yr_parser_error(yr *r, const yaml_parser_t *p)
{
    const char *problem = p->problem ? p->problem : "invalid YAML";
    unsigned int line, col;

    switch (p->error) {
    case YAML_MEMORY_ERROR:
        return place__oom(r->ctx);
    case YAML_READER_ERROR:
        yr_offset_pos(r, p->problem_offset, &line, &col);
        if (p->problem_value >= 0)
            return yr_error_at(r, PLACE_EPARSE, line, col, "%s (#x%X)",
                               problem, (unsigned int)p->problem_value);
        return yr_error_at(r, PLACE_EPARSE, line, col, "%s", problem);
    default:
        line = (unsigned int)p->problem_mark.line + 1;
        col = (unsigned int)p->problem_mark.column + 1;
        yr_clamp_to_end(r, &line, &col);
        if (p->context &&
            (p->context_mark.line != p->problem_mark.line ||
             p->context_mark.column != p->problem_mark.column))
            return yr_error_at(r, PLACE_EPARSE, line, col,
                               "%s (%s at line %u, column %u)", problem,
                               p->context,
                               (unsigned int)p->context_mark.line + 1,
                               (unsigned int)p->context_mark.column + 1);
        if (p->context)
            return yr_error_at(r, PLACE_EPARSE, line, col, "%s (%s)", problem,
                               p->context);
        return yr_error_at(r, PLACE_EPARSE, line, col, "%s", problem);
    }
}

/* ---- hashing ----------------------------------------------------------- */

static size_t yr_hash(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return (size_t)(h ^ (h >> 32));
}

/* ---- anchors ----------------------------------------------------------- */

static yr_anchor *yr_anchor_find(const yr *r, const char *name)
{
    size_t mask, i;

    if (!r->anchors_cap)
        return NULL;
    mask = r->anchors_cap - 1;
    for (i = yr_hash(name, strlen(name)) & mask; r->anchors[i].name;
         i = (i + 1) & mask) {
        if (strcmp(r->anchors[i].name, name) == 0)
            return &r->anchors[i];
    }
    return NULL;
}

static bool yr_anchor_rehash(yr *r)
{
    size_t ncap = r->anchors_cap ? r->anchors_cap * 2 : 16;
    yr_anchor *t;
    size_t i;

    if (ncap > SIZE_MAX / sizeof *t)
        return false;
    t = place__calloc(r->ctx, ncap, sizeof *t);
    if (!t)
        return false;
    for (i = 0; i < r->anchors_cap; i++) {
        yr_anchor *a = &r->anchors[i];
        size_t j;
        if (!a->name)
            continue;
        for (j = yr_hash(a->name, strlen(a->name)) & (ncap - 1); t[j].name;
             j = (j + 1) & (ncap - 1))
            ;
        t[j] = *a;
    }
    place__free(r->ctx, r->anchors);
    r->anchors = t;
    r->anchors_cap = ncap;
    return true;
}

/* Define (or redefine) an anchor. Returns the name owned by the table, or
 * NULL when out of memory. */
static const char *yr_anchor_set(yr *r, const char *name, place__node *node,
                                 size_t size)
{
    yr_anchor *a = yr_anchor_find(r, name);
    size_t mask, i;

    if (a) {
        a->node = node;
        a->size = size;
        return a->name;
    }
    if ((r->nanchors + 1) * 2 > r->anchors_cap && !yr_anchor_rehash(r))
        return NULL;
    mask = r->anchors_cap - 1;
    for (i = yr_hash(name, strlen(name)) & mask; r->anchors[i].name;
         i = (i + 1) & mask)
        ;
    a = &r->anchors[i];
    a->name = place__strndup(r->ctx, name, strlen(name));
    if (!a->name)
        return NULL;
    a->node = node;
    a->size = size;
    r->nanchors++;
    return a->name;
}

static void yr_anchors_clear(yr *r)
{
    size_t i;

    for (i = 0; i < r->anchors_cap; i++)
        place__free(r->ctx, r->anchors[i].name);
    place__free(r->ctx, r->anchors);
    r->anchors = NULL;
    r->nanchors = r->anchors_cap = 0;
}

/* ---- building ---------------------------------------------------------- */

static int yr_count(yr *r, size_t n, unsigned int line, unsigned int col)
{
    if (n > r->ctx->max_nodes || r->nodes > r->ctx->max_nodes - n)
        return yr_error_at(r, PLACE_ELIMIT, line, col,
                           "more than %zu nodes (aliases expanded)",
                           r->ctx->max_nodes);
    r->nodes += n;
    r->doc_nodes += n;
    return PLACE_OK;
}

/* The share of a document's nodes that may come from aliases, as
 * Kubernetes' YAML parser (go-yaml's allowedAliasRatio) allows it: 99% up to
 * 400,000 nodes, then less and less, down to 10% from 4,000,000 nodes. */
static double yr_allowed_alias_ratio(size_t nodes)
{
    if (nodes <= 400000)
        return 0.99;
    if (nodes >= 4000000)
        return 0.10;
    return 0.99 - 0.89 * ((double)(nodes - 400000) / 3600000.0);
}

/* After an alias: refuse a document that is mostly copies, as go-yaml
 * does ("excessive aliasing"), so a small input cannot make the decoder
 * walk millions of nodes. The ratio only grows while an alias expands, so
 * checking at its end is checking at every node. */
static int yr_check_aliasing(yr *r, unsigned int line, unsigned int col)
{
    if (r->doc_alias_nodes > 100 && r->doc_nodes > 1000 &&
        (double)r->doc_alias_nodes / (double)r->doc_nodes >
            yr_allowed_alias_ratio(r->doc_nodes))
        return yr_error_at(r, PLACE_ELIMIT, line, col,
                           "excessive aliasing: %zu of the document's %zu "
                           "nodes are copies made by aliases",
                           r->doc_alias_nodes, r->doc_nodes);
    return PLACE_OK;
}

static bool yr_key_eq(const place__node *a, const place__node *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int yr_dup_error(yr *r, const place__node *key, unsigned int line,
                        unsigned int col)
{
    char q[80];

    yr_quote(q, sizeof q, key->str, key->len);
    return yr_error_at(r, PLACE_EPARSE, line, col, "duplicate key \"%s\"", q);
}

/* Insert a key into the frame's hash set; false if it is already there. */
static bool yr_set_insert(place__node **set, size_t cap, place__node *key)
{
    size_t mask = cap - 1, i;

    for (i = yr_hash(key->str, key->len) & mask; set[i]; i = (i + 1) & mask) {
        if (yr_key_eq(set[i], key))
            return false;
    }
    set[i] = key;
    return true;
}

/* Check a new key of the mapping in frame f against its earlier keys. */
static int yr_check_key(yr *r, yr_frame *f, place__node *key,
                        unsigned int line, unsigned int col)
{
    size_t nkeys = (r->nitems - f->start) / 2, i;

    if (!f->set && nkeys < YR_SMALL_MAP) {
        for (i = 0; i < nkeys; i++) {
            if (yr_key_eq(r->items[f->start + 2 * i], key))
                return yr_dup_error(r, key, line, col);
        }
        return PLACE_OK;
    }
    if ((nkeys + 1) * 2 > f->set_cap) {
        size_t ncap = f->set_cap ? f->set_cap * 2 : 4 * YR_SMALL_MAP;
        place__node **set;
        while ((nkeys + 1) * 2 > ncap)
            ncap *= 2;
        set = place__calloc(r->ctx, ncap, sizeof *set);
        if (!set)
            return place__oom(r->ctx);
        for (i = 0; i < nkeys; i++)
            yr_set_insert(set, ncap, r->items[f->start + 2 * i]);
        place__free(r->ctx, f->set);
        f->set = set;
        f->set_cap = ncap;
    }
    if (!yr_set_insert(f->set, f->set_cap, key))
        return yr_dup_error(r, key, line, col);
    return PLACE_OK;
}

/* True when the innermost open collection is a mapping waiting for a key. */
static bool yr_want_key(const yr *r)
{
    const yr_frame *f;

    if (!r->nframes)
        return false;
    f = &r->frames[r->nframes - 1];
    return f->node->type == PLACE__NODE_MAP && (r->nitems - f->start) % 2 == 0;
}

/* Attach a finished node (of expanded size `size`) to its parent, or make
 * it the document's root. (line, col) is where it appears (for an alias:
 * the alias). */
static int yr_attach(yr *r, place__node *n, size_t size, unsigned int line,
                     unsigned int col)
{
    yr_frame *f;
    int rc;

    if (!r->nframes) {
        r->root = n;
        return PLACE_OK;
    }
    f = &r->frames[r->nframes - 1];
    if (yr_want_key(r)) {
        if (n->type != PLACE__NODE_SCALAR)
            return yr_error_at(r, PLACE_EPARSE, line, col,
                               "a mapping key must be a scalar");
        rc = yr_check_key(r, f, n, line, col);
        if (rc)
            return rc;
    }
    if (!place__grow(r->ctx, (void **)&r->items, &r->items_cap, r->nitems,
                     sizeof *r->items))
        return place__oom(r->ctx);
    r->items[r->nitems++] = n;
    f->size += size;
    return PLACE_OK;
}

static place__node *yr_node(yr *r, place__node_type type,
                            const yaml_mark_t *mark)
{
    place__node *n = place__arena_alloc(r->arena, sizeof *n);

    if (n) {
        n->type = type;
        n->line = (unsigned int)mark->line + 1;
        n->column = (unsigned int)mark->column + 1;
        yr_clamp_to_end(r, &n->line, &n->column);
    }
    return n;
}

static bool yr_is_null(const char *s, size_t n)
{
    return n == 0 || (n == 1 && s[0] == '~') ||
           (n == 4 && (memcmp(s, "null", 4) == 0 ||
                       memcmp(s, "Null", 4) == 0 ||
                       memcmp(s, "NULL", 4) == 0));
}

static int yr_scalar(yr *r, const yaml_event_t *ev)
{
    const char *value = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    place__node *n;
    int rc;

    rc = yr_count(r, 1, (unsigned int)ev->start_mark.line + 1,
                  (unsigned int)ev->start_mark.column + 1);
    if (rc)
        return rc;
    if (value && len > r->ctx->max_scalar_bytes)
        return yr_error_at(r, PLACE_ELIMIT,
                           (unsigned int)ev->start_mark.line + 1,
                           (unsigned int)ev->start_mark.column + 1,
                           "a scalar of %zu bytes is longer than the limit "
                           "of %zu bytes", len, r->ctx->max_scalar_bytes);
    /* A document that is only a null (an empty document, "---" alone)
     * keeps no node: its root is NULL. A stream of a million empty
     * documents then costs a list of positions, not a million nodes. */
    if (!r->nframes && !ev->data.scalar.anchor &&
        ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        yr_is_null(value ? value : "", value ? len : 0)) {
        r->root = NULL;
        return PLACE_OK;
    }
    n = yr_node(r, PLACE__NODE_SCALAR, &ev->start_mark);
    if (!n)
        return place__oom(r->ctx);
    n->str = place__arena_strndup(r->arena, value ? value : "",
                                  value ? len : 0);
    if (!n->str)
        return place__oom(r->ctx);
    n->len = value ? len : 0;
    if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
        n->style = yr_is_null(n->str, n->len) ? PLACE__SCALAR_NULL
                                               : PLACE__SCALAR_PLAIN;
    else
        n->style = PLACE__SCALAR_QUOTED;
    if (ev->data.scalar.anchor &&
        !yr_anchor_set(r, (const char *)ev->data.scalar.anchor, n, 1))
        return place__oom(r->ctx);
    return yr_attach(r, n, 1, n->line, n->column);
}

static int yr_alias(yr *r, const yaml_event_t *ev)
{
    const char *name = (const char *)ev->data.alias.anchor;
    unsigned int line = (unsigned int)ev->start_mark.line + 1;
    unsigned int col = (unsigned int)ev->start_mark.column + 1;
    yr_anchor *a = name ? yr_anchor_find(r, name) : NULL;
    char q[80];
    int rc;

    if (!a) {
        yr_quote(q, sizeof q, name ? name : "", name ? strlen(name) : 0);
        return yr_error_at(r, PLACE_EPARSE, line, col,
                           "undefined alias \"*%s\"", q);
    }
    if (!a->node) {
        yr_quote(q, sizeof q, name, strlen(name));
        return yr_error_at(r, PLACE_EPARSE, line, col,
                           "alias \"*%s\" refers to a collection that "
                           "contains it", q);
    }
    rc = yr_count(r, a->size, line, col);
    if (rc)
        return rc;
    r->doc_alias_nodes += a->size;
    if ((rc = yr_check_aliasing(r, line, col)) != PLACE_OK)
        return rc;
    return yr_attach(r, a->node, a->size, line, col);
}

static int yr_start(yr *r, const yaml_event_t *ev, place__node_type type)
{
    const char *anchor = type == PLACE__NODE_MAP
                             ? (const char *)ev->data.mapping_start.anchor
                             : (const char *)ev->data.sequence_start.anchor;
    unsigned int line = (unsigned int)ev->start_mark.line + 1;
    unsigned int col = (unsigned int)ev->start_mark.column + 1;
    yr_frame *f;
    place__node *n;
    int rc;

    if (yr_want_key(r))
        return yr_error_at(r, PLACE_EPARSE, line, col,
                           "a mapping key must be a scalar");
    if (r->nframes >= r->ctx->max_depth)
        return yr_error_at(r, PLACE_ELIMIT, line, col,
                           "nesting deeper than %u levels",
                           r->ctx->max_depth);
    rc = yr_count(r, 1, line, col);
    if (rc)
        return rc;
    n = yr_node(r, type, &ev->start_mark);
    if (!n)
        return place__oom(r->ctx);
    if (!place__grow(r->ctx, (void **)&r->frames, &r->frames_cap, r->nframes,
                     sizeof *r->frames))
        return place__oom(r->ctx);
    f = &r->frames[r->nframes++];
    memset(f, 0, sizeof *f);
    f->node = n;
    f->start = r->nitems;
    f->size = 1;
    if (anchor) {
        /* Pending until the collection ends: an alias to it from inside
         * would make a cycle. */
        f->anchor = yr_anchor_set(r, anchor, NULL, 0);
        if (!f->anchor)
            return place__oom(r->ctx);
    }
    return PLACE_OK;
}

static void yr_frame_free(yr *r, yr_frame *f)
{
    place__free(r->ctx, f->set);
    f->set = NULL;
    f->set_cap = 0;
}

static int yr_end(yr *r)
{
    yr_frame f = r->frames[--r->nframes];
    place__node *n = f.node;
    size_t k = r->nitems - f.start, i;

    yr_frame_free(r, &f);
    if (n->type == PLACE__NODE_MAP) {
        n->count = k / 2;
        if (n->count) {
            n->keys = place__arena_alloc(r->arena, n->count * sizeof *n->keys);
            n->values =
                place__arena_alloc(r->arena, n->count * sizeof *n->values);
            if (!n->keys || !n->values)
                return place__oom(r->ctx);
            for (i = 0; i < n->count; i++) {
                n->keys[i] = r->items[f.start + 2 * i];
                n->values[i] = r->items[f.start + 2 * i + 1];
            }
        }
    } else {
        n->count = k;
        if (n->count) {
            n->values =
                place__arena_alloc(r->arena, n->count * sizeof *n->values);
            if (!n->values)
                return place__oom(r->ctx);
            memcpy(n->values, r->items + f.start, k * sizeof *n->values);
        }
    }
    r->nitems = f.start;
    if (f.anchor && !yr_anchor_set(r, f.anchor, n, f.size))
        return place__oom(r->ctx);
    return yr_attach(r, n, f.size, n->line, n->column);
}

static int yr_doc_start(yr *r, const yaml_event_t *ev)
{
    r->root = NULL;
    r->doc_line = (unsigned int)ev->start_mark.line + 1;
    r->doc_column = (unsigned int)ev->start_mark.column + 1;
    yr_clamp_to_end(r, &r->doc_line, &r->doc_column);
    r->doc_nodes = r->doc_alias_nodes = 0;
    /* Empty documents count too: a stream of bare "---" lines would
     * otherwise grow the list of documents without limit. */
    if (r->ndocs >= r->ctx->max_documents)
        return yr_error_at(r, PLACE_ELIMIT, r->doc_line, r->doc_column,
                           "more than %zu documents",
                           r->ctx->max_documents);
    yr_anchors_clear(r);
    return PLACE_OK;
}

static int yr_doc_end(yr *r)
{
    place__doc *d;

    if (!place__grow(r->ctx, (void **)&r->docs, &r->docs_cap, r->ndocs,
                     sizeof *r->docs))
        return place__oom(r->ctx);
    d = &r->docs[r->ndocs++];
    d->root = place__node_is_null(r->root) ? NULL : r->root;
    if (d->root) {
        d->line = d->root->line;
        d->column = d->root->column;
    } else {
        d->line = r->doc_line;
        d->column = r->doc_column;
    }
    r->root = NULL;
    yr_anchors_clear(r);
    return PLACE_OK;
}

static int yr_event(yr *r, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        return yr_doc_start(r, ev);
    case YAML_DOCUMENT_END_EVENT:
        return yr_doc_end(r);
    case YAML_SCALAR_EVENT:
        return yr_scalar(r, ev);
    case YAML_ALIAS_EVENT:
        return yr_alias(r, ev);
    case YAML_SEQUENCE_START_EVENT:
        return yr_start(r, ev, PLACE__NODE_SEQ);
    case YAML_MAPPING_START_EVENT:
        return yr_start(r, ev, PLACE__NODE_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (!r->nframes)
            return place__error(r->ctx, PLACE_ERROR, NULL,
                                "unbalanced YAML events");
        return yr_end(r);
    default:
        return PLACE_OK;
    }
}

static void yr_free(yr *r)
{
    size_t i;

    for (i = 0; i < r->nframes; i++)
        yr_frame_free(r, &r->frames[i]);
    place__free(r->ctx, r->frames);
    place__free(r->ctx, r->items);
    place__free(r->ctx, r->docs);
    yr_anchors_clear(r);
}

int place__yaml_read(place_ctx *ctx, place__arena *arena, const char *data,
                     size_t len, const char *source, place__docs *out)
{
    yaml_parser_t parser;
    yaml_event_t ev;
    yr r;
    int rc = PLACE_OK;
    bool done = false;

    out->count = 0;
    out->items = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.arena = arena;
    r.source = source;
    r.data = (const unsigned char *)(data ? data : "");
    r.len = data ? len : 0;
    if (r.len > ctx->max_input_bytes)
        return yr_error_at(&r, PLACE_ELIMIT, 0, 0,
                           "input of %zu bytes is larger than the limit of "
                           "%zu bytes", r.len, ctx->max_input_bytes);
    if (!yaml_parser_initialize(&parser))
        return place__oom(ctx);
    yaml_parser_set_input_string(&parser, r.data, r.len);
    while (!done) {
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = yr_parser_error(&r, &parser);
            break;
        }
        rc = yr_event(&r, &ev);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (rc)
            break;
    }
    yaml_parser_delete(&parser);
    if (rc == PLACE_OK && r.ndocs) {
        out->items = place__arena_alloc(arena, r.ndocs * sizeof *out->items);
        if (!out->items) {
            rc = place__oom(ctx);
        } else {
            memcpy(out->items, r.docs, r.ndocs * sizeof *out->items);
            out->count = r.ndocs;
        }
    }
    yr_free(&r);
    return rc;
}

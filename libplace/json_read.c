/*
 * json_read.c: JSON source -> place__docs, with cJSON.
 *
 * cJSON keeps no positions and is lenient in places (every byte up to 0x20
 * is whitespace to it, "01" and "1." are numbers, raw control characters
 * and invalid UTF-8 pass in strings, a string's \u0000 cuts it short). So
 * reading is done in three steps:
 *   1. a pre-scan checks the limits before cJSON runs: nesting depth
 *      (ctx->max_depth; cJSON itself stops at CJSON_NESTING_LIMIT) and the
 *      number of nodes (ctx->max_nodes; every string, number, literal,
 *      object and array is one node, object keys included);
 *   2. cJSON parses and validates the syntax; when it fails, the error is
 *      reported at the byte where it stopped;
 *   3. a walker goes through the cJSON tree in step with a scanner over the
 *      original text. The scanner locates every value (and key), checks what
 *      cJSON lets through (whitespace is only space, tab, LF and CR; strict
 *      number grammar; no control characters or invalid UTF-8 in strings;
 *      nothing but whitespace after the value; no duplicate keys), takes
 *      the number text as written, and decodes strings itself (so that
 *      \u0000 is kept, with the length). Strings and numbers longer than
 *      ctx->max_scalar_bytes (as decoded) are PLACE_ELIMIT.
 *
 * Output: one place__doc whose root is the top-level value. An input that
 * is empty or only whitespace (a UTF-8 BOM allowed) gives count 0, like an
 * empty YAML stream.
 *
 * Positions are 1-based; columns count characters (UTF-8 continuation
 * bytes do not advance the column), as libyaml does, so both formats agree.
 * A UTF-8 BOM at the start is skipped and takes no column.
 */
#include "tree.h"

#include <cjson/cJSON.h>
#include <string.h>

typedef struct jr {
    place_ctx *ctx;
    place__arena *arena;
    const char *source;
    const unsigned char *s; /* NUL-padded copy of the input */
    size_t len;
    size_t start; /* after the BOM */
    size_t off;   /* scanner position */
    /* position cursor: line/column of byte cur */
    size_t cur;
    unsigned int line, column;
} jr;

/* Objects with more members than this get a hash set for duplicates. */
#define JR_SMALL_OBJECT 8

/* ---- positions and errors ---------------------------------------------- */

/* The line and column of byte `off`. Moves a cursor forward, so a walk in
 * document order costs one pass over the text. */
static void jr_pos(jr *r, size_t off, unsigned int *line, unsigned int *col)
{
    if (off > r->len)
        off = r->len;
    if (off < r->cur) {
        r->cur = r->start;
        r->line = r->column = 1;
    }
    if (off < r->start)
        off = r->start;
    while (r->cur < off) {
        unsigned char b = r->s[r->cur];
        if (b == '\n' || (b == '\r' && !(r->cur + 1 < r->len &&
                                         r->s[r->cur + 1] == '\n'))) {
            r->line++;
            r->column = 1;
        } else if (b != '\r' && (b & 0xC0) != 0x80) {
            r->column++;
        }
        r->cur++;
    }
    *line = r->line;
    *col = r->column;
}

static int jr_error(jr *r, int code, size_t off, const char *fmt, ...)
    PLACE__PRINTF(4, 5);

static int jr_error(jr *r, int code, size_t off, const char *fmt, ...)
{
    place__loc loc;
    va_list ap;

    memset(&loc, 0, sizeof loc);
    loc.pos.source = r->source;
    jr_pos(r, off, &loc.pos.line, &loc.pos.column);
    va_start(ap, fmt);
    place__verror(r->ctx, code, &loc, fmt, ap);
    va_end(ap);
    return code;
}

/* ---- step 1: limits ---------------------------------------------------- */

static bool jr_is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool jr_is_delim(unsigned char c)
{
    return jr_is_ws(c) || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == ':' || c == ',' || c == '"';
}

/* Check depth and node count. *empty is set when the input holds only
 * whitespace; *deep_off to the first bracket nested deeper than cJSON's
 * limit (SIZE_MAX if none). Brackets and words inside strings are skipped;
 * the syntax is left to cJSON. */
static int jr_prescan(jr *r, bool *empty, size_t *deep_off)
{
    const unsigned char *s = r->s;
    size_t off = r->start, nodes = 0, depth = 0;

    *empty = true;
    *deep_off = SIZE_MAX;
    while (off < r->len) {
        unsigned char c = s[off];
        size_t tok = off;

        if (jr_is_ws(c)) {
            off++;
            continue;
        }
        *empty = false;
        if (c == ']' || c == '}') {
            if (depth)
                depth--;
            off++;
            continue;
        }
        if (c == ':' || c == ',') {
            off++;
            continue;
        }
        if (c == '[' || c == '{') {
            depth++;
            if (depth > r->ctx->max_depth)
                return jr_error(r, PLACE_ELIMIT, tok,
                                "nesting deeper than %u levels",
                                r->ctx->max_depth);
            if (depth > CJSON_NESTING_LIMIT && *deep_off == SIZE_MAX)
                *deep_off = tok;
            off++;
        } else if (c == '"') {
            off++;
            while (off < r->len && s[off] != '"')
                off += s[off] == '\\' ? 2 : 1;
            off++;
        } else {
            while (off < r->len && !jr_is_delim(s[off]))
                off++;
        }
        if (++nodes > r->ctx->max_nodes)
            return jr_error(r, PLACE_ELIMIT, tok, "more than %zu nodes",
                            r->ctx->max_nodes);
    }
    return PLACE_OK;
}

/* ---- step 3: the walker ------------------------------------------------ */

static int jr_out_of_step(jr *r)
{
    return jr_error(r, PLACE_ERROR, r->off,
                    "internal error: JSON scanner out of step with cJSON");
}

/* Skip JSON whitespace; any other byte that cJSON skipped is an error. */
static int jr_skip_ws(jr *r)
{
    while (r->off < r->len) {
        unsigned char c = r->s[r->off];
        if (jr_is_ws(c)) {
            r->off++;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            return jr_error(r, PLACE_EPARSE, r->off,
                            "invalid control character #x%02X", c);
        break;
    }
    return PLACE_OK;
}

static place__node *jr_node(jr *r, place__node_type type, size_t off)
{
    place__node *n = place__arena_alloc(r->arena, sizeof *n);

    if (n) {
        n->type = type;
        jr_pos(r, off, &n->line, &n->column);
    }
    return n;
}

static int jr_hex4(const unsigned char *p, unsigned long *out)
{
    unsigned long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        unsigned char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned long)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static size_t jr_put_utf8(char *d, unsigned long cp)
{
    if (cp < 0x80) {
        d[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        d[0] = (char)(0xC0 | (cp >> 6));
        d[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        d[0] = (char)(0xE0 | (cp >> 12));
        d[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        d[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    d[0] = (char)(0xF0 | (cp >> 18));
    d[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    d[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    d[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the well-formed UTF-8 sequence at p (at most `avail` bytes), or
 * 0 if it is not one (overlong forms, surrogates and code points above
 * U+10FFFF are rejected). */
static size_t jr_utf8_len(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    size_t n, i;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return 0;
    return n;
}

/* Decode the string at r->off (its opening quote) into a QUOTED scalar. */
static int jr_string(jr *r, place__node **out)
{
    const unsigned char *s = r->s;
    size_t begin = r->off, end = begin + 1, i, n = 0;
    place__node *node;
    char *d;

    if (begin >= r->len || s[begin] != '"')
        return jr_out_of_step(r);
    while (end < r->len && s[end] != '"')
        end += s[end] == '\\' ? 2 : 1;
    if (end >= r->len)
        return jr_out_of_step(r);
    node = jr_node(r, PLACE__NODE_SCALAR, begin);
    d = place__arena_alloc(r->arena, end - begin);
    if (!node || !d)
        return place__oom(r->ctx);
    node->style = PLACE__SCALAR_QUOTED;
    for (i = begin + 1; i < end;) {
        unsigned char c = s[i];
        if (c == '\\') {
            unsigned long cp, lo;
            switch (s[i + 1]) {
            case '"': d[n++] = '"'; break;
            case '\\': d[n++] = '\\'; break;
            case '/': d[n++] = '/'; break;
            case 'b': d[n++] = '\b'; break;
            case 'f': d[n++] = '\f'; break;
            case 'n': d[n++] = '\n'; break;
            case 'r': d[n++] = '\r'; break;
            case 't': d[n++] = '\t'; break;
            case 'u':
                if (i + 6 > end || jr_hex4(s + i + 2, &cp))
                    return jr_error(r, PLACE_EPARSE, i,
                                    "invalid \\u escape");
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                    return jr_error(r, PLACE_EPARSE, i,
                                    "lone UTF-16 surrogate in \\u escape");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (i + 12 > end || s[i + 6] != '\\' ||
                        s[i + 7] != 'u' || jr_hex4(s + i + 8, &lo) ||
                        lo < 0xDC00 || lo > 0xDFFF)
                        return jr_error(r, PLACE_EPARSE, i,
                                        "lone UTF-16 surrogate in \\u "
                                        "escape");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    i += 6;
                }
                n += jr_put_utf8(d + n, cp);
                i += 4;
                break;
            default:
                return jr_error(r, PLACE_EPARSE, i, "invalid escape");
            }
            i += 2;
        } else if (c < 0x20 || c == 0x7f) {
            return jr_error(r, PLACE_EPARSE, i,
                            "invalid control character #x%02X in a string",
                            c);
        } else {
            size_t k = jr_utf8_len(s + i, end - i);
            if (!k)
                return jr_error(r, PLACE_EPARSE, i, "invalid UTF-8");
            memcpy(d + n, s + i, k);
            n += k;
            i += k;
        }
    }
    d[n] = '\0';
    if (n > r->ctx->max_scalar_bytes)
        return jr_error(r, PLACE_ELIMIT, begin,
                        "a string of %zu bytes is longer than the limit of "
                        "%zu bytes", n, r->ctx->max_scalar_bytes);
    node->str = d;
    node->len = n;
    r->off = end + 1;
    *out = node;
    return PLACE_OK;
}

static bool jr_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* A number, kept as written, checked against the JSON grammar. */
static int jr_number(jr *r, place__node **out)
{
    const unsigned char *s = r->s;
    size_t begin = r->off, i = begin;
    place__node *node;

    if (i < r->len && s[i] == '-')
        i++;
    if (i < r->len && s[i] == '0') {
        i++;
    } else if (i < r->len && jr_digit(s[i])) {
        while (i < r->len && jr_digit(s[i]))
            i++;
    } else {
        goto bad;
    }
    if (i < r->len && s[i] == '.') {
        i++;
        if (!(i < r->len && jr_digit(s[i])))
            goto bad;
        while (i < r->len && jr_digit(s[i]))
            i++;
    }
    if (i < r->len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < r->len && (s[i] == '+' || s[i] == '-'))
            i++;
        if (!(i < r->len && jr_digit(s[i])))
            goto bad;
        while (i < r->len && jr_digit(s[i]))
            i++;
    }
    if (i < r->len && !jr_is_delim(s[i]) && s[i] >= 0x20)
        goto bad;
    if (i - begin > r->ctx->max_scalar_bytes)
        return jr_error(r, PLACE_ELIMIT, begin,
                        "a number of %zu bytes is longer than the limit of "
                        "%zu bytes", i - begin, r->ctx->max_scalar_bytes);
    node = jr_node(r, PLACE__NODE_SCALAR, begin);
    if (!node)
        return place__oom(r->ctx);
    node->style = PLACE__SCALAR_PLAIN;
    node->str = place__arena_strndup(r->arena, (const char *)s + begin,
                                     i - begin);
    if (!node->str)
        return place__oom(r->ctx);
    node->len = i - begin;
    r->off = i;
    *out = node;
    return PLACE_OK;
bad:
    return jr_error(r, PLACE_EPARSE, begin, "invalid number");
}

static int jr_literal(jr *r, const char *word, place__scalar_style style,
                      place__node **out)
{
    size_t n = strlen(word);
    place__node *node;

    if (r->len - r->off < n || memcmp(r->s + r->off, word, n) != 0)
        return jr_out_of_step(r);
    node = jr_node(r, PLACE__NODE_SCALAR, r->off);
    if (!node)
        return place__oom(r->ctx);
    node->style = style;
    node->str = word;
    node->len = n;
    r->off += n;
    *out = node;
    return PLACE_OK;
}

static int jr_expect(jr *r, unsigned char c)
{
    int rc = jr_skip_ws(r);

    if (rc)
        return rc;
    if (r->off >= r->len || r->s[r->off] != c)
        return jr_out_of_step(r);
    r->off++;
    return PLACE_OK;
}

static size_t jr_hash(const char *s, size_t n)
{
    uint64_t h = UINT64_C(14695981039346656037);
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= UINT64_C(1099511628211);
    }
    return (size_t)(h ^ (h >> 32));
}

static bool jr_key_eq(const place__node *a, const place__node *b)
{
    return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
}

static int jr_dup_error(jr *r, const place__node *key, size_t off)
{
    char q[80];
    size_t i, j = 0, n = key->len > 64 ? 64 : key->len;

    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)key->str[i];
        q[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    if (key->len > 64) {
        memcpy(q + j, "...", 3);
        j += 3;
    }
    q[j] = '\0';
    return jr_error(r, PLACE_EPARSE, off, "duplicate key \"%s\"", q);
}

static int jr_value(jr *r, const cJSON *item, place__node **out);

static int jr_object(jr *r, const cJSON *item, place__node *node)
{
    const cJSON *c;
    place__node **set = NULL;
    size_t n = 0, i, set_cap = 0;
    int rc = PLACE_OK;

    for (c = item->child; c; c = c->next)
        n++;
    node->count = n;
    if (n) {
        node->keys = place__arena_alloc(r->arena, n * sizeof *node->keys);
        node->values = place__arena_alloc(r->arena, n * sizeof *node->values);
        if (!node->keys || !node->values)
            return place__oom(r->ctx);
    }
    if (n > JR_SMALL_OBJECT) {
        set_cap = 16;
        while (set_cap < 2 * n)
            set_cap *= 2;
        set = place__calloc(r->ctx, set_cap, sizeof *set);
        if (!set)
            return place__oom(r->ctx);
    }
    for (c = item->child, i = 0; c; c = c->next, i++) {
        place__node *key;
        size_t key_off;

        if (i && (rc = jr_expect(r, ',')) != PLACE_OK)
            break;
        if ((rc = jr_skip_ws(r)) != PLACE_OK)
            break;
        key_off = r->off;
        if ((rc = jr_string(r, &key)) != PLACE_OK)
            break;
        if (set) {
            size_t mask = set_cap - 1, h;
            for (h = jr_hash(key->str, key->len) & mask; set[h];
                 h = (h + 1) & mask) {
                if (jr_key_eq(set[h], key))
                    break;
            }
            if (set[h]) {
                rc = jr_dup_error(r, key, key_off);
                break;
            }
            set[h] = key;
        } else {
            size_t k;
            for (k = 0; k < i && !jr_key_eq(node->keys[k], key); k++)
                ;
            if (k < i) {
                rc = jr_dup_error(r, key, key_off);
                break;
            }
        }
        node->keys[i] = key;
        if ((rc = jr_expect(r, ':')) != PLACE_OK)
            break;
        if ((rc = jr_value(r, c, &node->values[i])) != PLACE_OK)
            break;
    }
    place__free(r->ctx, set);
    if (rc)
        return rc;
    return jr_expect(r, '}');
}

static int jr_array(jr *r, const cJSON *item, place__node *node)
{
    const cJSON *c;
    size_t n = 0, i;
    int rc;

    for (c = item->child; c; c = c->next)
        n++;
    node->count = n;
    if (n) {
        node->values = place__arena_alloc(r->arena, n * sizeof *node->values);
        if (!node->values)
            return place__oom(r->ctx);
    }
    for (c = item->child, i = 0; c; c = c->next, i++) {
        if (i && (rc = jr_expect(r, ',')) != PLACE_OK)
            return rc;
        if ((rc = jr_value(r, c, &node->values[i])) != PLACE_OK)
            return rc;
    }
    return jr_expect(r, ']');
}

static int jr_value(jr *r, const cJSON *item, place__node **out)
{
    place__node *node;
    int rc = jr_skip_ws(r);

    if (rc)
        return rc;
    if (r->off >= r->len)
        return jr_out_of_step(r);
    if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
        bool obj = cJSON_IsObject(item) != 0;
        if (r->s[r->off] != (obj ? '{' : '['))
            return jr_out_of_step(r);
        node = jr_node(r, obj ? PLACE__NODE_MAP : PLACE__NODE_SEQ, r->off);
        if (!node)
            return place__oom(r->ctx);
        r->off++;
        *out = node;
        return obj ? jr_object(r, item, node) : jr_array(r, item, node);
    }
    if (cJSON_IsString(item))
        return jr_string(r, out);
    if (cJSON_IsNumber(item))
        return jr_number(r, out);
    if (cJSON_IsTrue(item))
        return jr_literal(r, "true", PLACE__SCALAR_PLAIN, out);
    if (cJSON_IsFalse(item))
        return jr_literal(r, "false", PLACE__SCALAR_PLAIN, out);
    if (cJSON_IsNull(item))
        return jr_literal(r, "null", PLACE__SCALAR_NULL, out);
    return jr_out_of_step(r);
}

/* ---- entry point ------------------------------------------------------- */

/* Copy padding: cJSON and the scanner may look a few bytes ahead. */
#define JR_PAD 8

int place__json_read(place_ctx *ctx, place__arena *arena, const char *data,
                     size_t len, const char *source, place__docs *out)
{
    jr r;
    unsigned char *buf;
    const char *end = NULL;
    cJSON *root;
    place__node *node = NULL;
    bool empty;
    size_t deep_off;
    int rc;

    out->count = 0;
    out->items = NULL;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.arena = arena;
    r.source = source;
    r.line = r.column = 1;
    if (!data)
        len = 0;
    if (len > ctx->max_input_bytes) {
        place__loc loc;
        memset(&loc, 0, sizeof loc);
        loc.pos.source = source;
        return place__error(ctx, PLACE_ELIMIT, &loc,
                            "input of %zu bytes is larger than the limit of "
                            "%zu bytes", len, ctx->max_input_bytes);
    }
    if (len > SIZE_MAX - JR_PAD)
        return place__oom(ctx);
    buf = place__malloc(ctx, len + JR_PAD);
    if (!buf)
        return place__oom(ctx);
    if (len)
        memcpy(buf, data, len);
    memset(buf + len, 0, JR_PAD);
    r.s = buf;
    r.len = len;
    if (len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
        r.start = 3;
    r.cur = r.start;

    rc = jr_prescan(&r, &empty, &deep_off);
    if (rc || empty) {
        place__free(ctx, buf);
        return rc;
    }

    root = cJSON_ParseWithLengthOpts((const char *)buf, len, &end, 0);
    if (!root) {
        size_t off = end ? (size_t)((const unsigned char *)end - buf) : 0;
        if (deep_off != SIZE_MAX && off >= deep_off)
            rc = jr_error(&r, PLACE_ELIMIT, deep_off,
                          "nesting deeper than %d levels (the JSON "
                          "parser's limit)", CJSON_NESTING_LIMIT);
        else
            rc = jr_error(&r, PLACE_EPARSE, off, "invalid JSON");
        place__free(ctx, buf);
        return rc;
    }

    r.off = r.start;
    rc = jr_value(&r, root, &node);
    cJSON_Delete(root);
    if (rc == PLACE_OK)
        rc = jr_skip_ws(&r);
    if (rc == PLACE_OK && r.off < r.len)
        rc = jr_error(&r, PLACE_EPARSE, r.off,
                      "unexpected text after the JSON value");
    if (rc == PLACE_OK) {
        out->items = place__arena_alloc(arena, sizeof *out->items);
        if (!out->items) {
            rc = place__oom(ctx);
        } else {
            out->items[0].root = node;
            out->items[0].line = node->line;
            out->items[0].column = node->column;
            out->count = 1;
        }
    }
    place__free(ctx, buf);
    return rc;
}

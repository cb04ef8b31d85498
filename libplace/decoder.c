/*
 * decoder.c: the document tree -> the model. Every rule of *reading*
 * Kubernetes and Liqo documents lives here, for both input formats.
 *
 * Unknown fields are ignored, as Kubernetes ignores them. What the API server
 * would reject is an error naming the file, line, column, object and field.
 */
#include "match.h"
#include "model.h"
#include "quantity.h"
#include "tree.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PATH_MAX_LEN 512

typedef struct dec {
    place_ctx *ctx;
    place__model *m;
    place__arena *a;
    const char *source;
    const char *object;        /* "Deployment default/frontend" */
    const place__node *docnode;/* root of the current object */
    const place__node *namenode;/* its metadata.name: where it is */
    char path[PATH_MAX_LEN];
    size_t plen;
} dec;

/* ---- paths and errors ------------------------------------------------- */

static size_t path_push_key(dec *d, const char *key)
{
    size_t old = d->plen;
    int n = snprintf(d->path + d->plen, sizeof d->path - d->plen, "%s%s",
                     d->plen ? "." : "", key);
    if (n > 0)
        d->plen += (size_t)n < sizeof d->path - d->plen
                       ? (size_t)n
                       : sizeof d->path - d->plen - 1;
    return old;
}

static size_t path_push_index(dec *d, size_t i)
{
    size_t old = d->plen;
    int n = snprintf(d->path + d->plen, sizeof d->path - d->plen, "[%zu]", i);
    if (n > 0)
        d->plen += (size_t)n < sizeof d->path - d->plen
                       ? (size_t)n
                       : sizeof d->path - d->plen - 1;
    return old;
}

static void path_pop(dec *d, size_t old)
{
    d->plen = old;
    d->path[old] = '\0';
}

static int derr(dec *d, const place__node *n, const char *fmt, ...)
    PLACE__PRINTF(3, 4);

static int derr(dec *d, const place__node *n, const char *fmt, ...)
{
    place__loc loc;
    va_list ap;

    if (!n)
        n = d->docnode;
    memset(&loc, 0, sizeof loc);
    loc.pos.source = d->source;
    if (n) {
        loc.pos.line = n->line;
        loc.pos.column = n->column;
    }
    loc.object = d->object;
    loc.path = d->plen ? d->path : NULL;
    va_start(ap, fmt);
    place__verror(d->ctx, PLACE_ESCHEMA, &loc, fmt, ap);
    va_end(ap);
    return PLACE_ESCHEMA;
}

static int doom(dec *d)
{
    return place__oom(d->ctx);
}

static place__pos node_pos(const dec *d, const place__node *n)
{
    place__pos p = {d->source, n ? n->line : 0, n ? n->column : 0};
    return p;
}

static const char *node_kind_word(const place__node *n)
{
    if (n->type == PLACE__NODE_MAP)
        return "a mapping";
    if (n->type == PLACE__NODE_SEQ)
        return "a list";
    return "a scalar";
}

/* Quote a scalar for a message, shortened. */
static const char *shown(const place__node *n, char *buf, size_t size)
{
    size_t i, o = 0;
    if (n->type != PLACE__NODE_SCALAR)
        return node_kind_word(n);
    buf[o++] = '"';
    for (i = 0; i < n->len && o + 6 < size; i++) {
        unsigned char c = (unsigned char)n->str[i];
        if (c < 0x20 || c == '"' || c == '\\') {
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    if (i < n->len) {
        buf[o++] = '.';
        buf[o++] = '.';
        buf[o++] = '.';
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

/* ---- typed getters -----------------------------------------------------
 * Each looks up `key` in map `m` (with the path pushed while it works),
 * returns PLACE_OK with *out NULL/unchanged when the field is absent or
 * null, and an error when it has the wrong shape. */

static int want_map(dec *d, const place__node *n, const place__node **out)
{
    *out = NULL;
    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type != PLACE__NODE_MAP)
        return derr(d, n, "expected a mapping, got %s", node_kind_word(n));
    *out = n;
    return PLACE_OK;
}

static int want_seq(dec *d, const place__node *n, const place__node **out)
{
    *out = NULL;
    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type != PLACE__NODE_SEQ)
        return derr(d, n, "expected a list, got %s", node_kind_word(n));
    *out = n;
    return PLACE_OK;
}

/* Any scalar is a string: `gdpr-approved: true` is the string "true". */
static int want_str(dec *d, const place__node *n, const char **out)
{
    *out = NULL;
    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type != PLACE__NODE_SCALAR)
        return derr(d, n, "expected a string, got %s", node_kind_word(n));
    if (memchr(n->str, '\0', n->len))
        return derr(d, n, "a string may not contain a NUL character");
    *out = n->str;
    return PLACE_OK;
}

static int want_int(dec *d, const place__node *n, int64_t min, int64_t max,
                    const char *what, bool *present, int64_t *out)
{
    char buf[80];
    int64_t v;

    *present = false;
    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type != PLACE__NODE_SCALAR || n->style != PLACE__SCALAR_PLAIN ||
        !place__parse_int64(n->str, n->len, true, true, &v))
        return derr(d, n, "expected %s, got %s", what,
                    shown(n, buf, sizeof buf));
    if (v < min || v > max)
        return derr(d, n, "expected %s, got %s", what,
                    shown(n, buf, sizeof buf));
    *present = true;
    *out = v;
    return PLACE_OK;
}

static int want_bool(dec *d, const place__node *n, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE"};
    static const char *const no[] = {"false", "False", "FALSE"};
    char buf[80];
    size_t i;

    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type == PLACE__NODE_SCALAR && n->style == PLACE__SCALAR_PLAIN) {
        for (i = 0; i < PLACE__ARRAY_LEN(yes); i++) {
            if (strcmp(n->str, yes[i]) == 0) {
                *out = true;
                return PLACE_OK;
            }
            if (strcmp(n->str, no[i]) == 0) {
                *out = false;
                return PLACE_OK;
            }
        }
    }
    return derr(d, n, "expected true or false, got %s",
                shown(n, buf, sizeof buf));
}

static int want_number(dec *d, const place__node *n, double min, double max,
                       bool *present, double *out)
{
    char buf[80];
    char *end;
    double v;

    *present = false;
    if (place__node_is_null(n))
        return PLACE_OK;
    if (n->type != PLACE__NODE_SCALAR || n->style != PLACE__SCALAR_PLAIN ||
        n->len == 0)
        return derr(d, n, "expected a number, got %s",
                    shown(n, buf, sizeof buf));
    errno = 0;
    v = strtod(n->str, &end);
    if (errno || end != n->str + n->len || !isfinite(v))
        return derr(d, n, "expected a number, got %s",
                    shown(n, buf, sizeof buf));
    if (v < min || v > max)
        return derr(d, n, "expected a number from %g to %g, got %s", min, max,
                    shown(n, buf, sizeof buf));
    *present = true;
    *out = v;
    return PLACE_OK;
}

/* Look up a field and run a getter with the path pushed. */
#define FIELD(d, map, key, call)                                              \
    do {                                                                      \
        const place__node *n_ = place__map_get((map), (key));                 \
        if (n_) {                                                             \
            size_t old_ = path_push_key((d), (key));                          \
            const place__node *fv = n_;                                       \
            int rc_ = (call);                                                 \
            if (rc_ != PLACE_OK)                                              \
                return rc_;                                                   \
            path_pop((d), old_);                                              \
        }                                                                     \
    } while (0)

/* ---- Kubernetes name rules ---------------------------------------------- */


/* A DNS-1123 subdomain: lower-case alphanumerics, '-' and '.', at most 253,
 * alphanumeric at both ends of each dot-separated label. */
static bool valid_dns_subdomain(const char *s, size_t n)
{
    size_t i;
    if (n == 0 || n > 253)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        bool an = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (an)
            continue;
        if (c != '-' && c != '.')
            return false;
        if (i == 0 || i == n - 1)
            return false;
        /* '.' separates labels: both neighbours must be alphanumeric */
        if (c == '.' && (s[i - 1] == '-' || s[i - 1] == '.' ||
                         s[i + 1] == '-' || s[i + 1] == '.'))
            return false;
    }
    return true;
}

/* A DNS-1123 label: lower-case alphanumerics and '-', at most 63,
 * alphanumeric at both ends (a namespace). */
static bool valid_dns_label(const char *s, size_t n)
{
    return n <= 63 && !memchr(s, '.', n) && valid_dns_subdomain(s, n);
}

/* A label key: [prefix/]name (Kubernetes IsQualifiedName). */
static bool valid_label_key(const char *s)
{
    const char *slash = strchr(s, '/');
    const char *name = s;
    if (slash) {
        if (!valid_dns_subdomain(s, (size_t)(slash - s)))
            return false;
        name = slash + 1;
    }
    return name[0] != '\0' && place__valid_label_value(name);
}

/* ---- labels and resource lists ------------------------------------------ */

/* A mapping key as a label key; a key with a NUL byte inside is never one. */
static bool valid_key_node(const place__node *k)
{
    return strlen(k->str) == k->len && valid_label_key(k->str);
}

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const place__kv *)a)->key, ((const place__kv *)b)->key);
}

/* A map of label key -> value. Keys and values checked as Kubernetes
 * checks metadata.labels and nodeSelector. */
static int decode_labels(dec *d, const place__node *n, place__labels *out)
{
    const place__node *map;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK || !map)
        return rc;
    out->items = place__arena_alloc(d->a, map->count * sizeof *out->items);
    if (!out->items && map->count)
        return doom(d);
    for (i = 0; i < map->count; i++) {
        const place__node *k = map->keys[i];
        size_t old = path_push_key(d, k->str);
        const char *v;
        if (!valid_key_node(k))
            return derr(d, k, "invalid label key \"%s\": a qualified name "
                              "([prefix/]name, name at most 63 characters)",
                        k->str);
        if ((rc = want_str(d, map->values[i], &v)) != PLACE_OK)
            return rc;
        if (!v)
            v = "";
        if (!place__valid_label_value(v))
            return derr(d, map->values[i],
                        "invalid label value \"%s\": at most 63 characters, "
                        "alphanumeric at both ends, '-', '_' or '.' inside",
                        v);
        out->items[out->count].key = k->str;
        out->items[out->count].value = v;
        out->count++;
        path_pop(d, old);
    }
    qsort(out->items, out->count, sizeof *out->items, kv_cmp);
    return PLACE_OK;
}

static int res_cmp(const void *a, const void *b)
{
    return strcmp(((const place__res *)a)->name,
                  ((const place__res *)b)->name);
}

/* cpu in millicores, everything else in base units. */
static bool resource_is_milli(const char *name)
{
    return strcmp(name, "cpu") == 0;
}

static int decode_quantity(dec *d, const place__node *n, const char *res,
                           bool allow_negative, int64_t *out)
{
    char buf[80];
    place__quantity q;
    bool milli = resource_is_milli(res);

    if (n->type != PLACE__NODE_SCALAR || place__node_is_null(n) ||
        !place__quantity_parse(n->str, n->len, &q))
        return derr(d, n, "invalid quantity %s", shown(n, buf, sizeof buf));
    if (q.negative && !allow_negative)
        return derr(d, n, "must be greater than or equal to 0, got %s",
                    shown(n, buf, sizeof buf));
    /* INT64_MAX is what Kubernetes caps binary quantities at ("8Ei",
     * "9999Ei") and what libplace means by "unlimited": neither fits. */
    if (milli ? q.milli_overflows || q.milli == INT64_MAX
              : q.value_overflows || q.value == INT64_MAX)
        return derr(d, n, "quantity %s is too large",
                    shown(n, buf, sizeof buf));
    *out = milli ? q.milli : q.value;
    return PLACE_OK;
}

/* A ResourceList: name -> quantity. */
static int decode_reslist(dec *d, const place__node *n, place__reslist *out)
{
    const place__node *map;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK || !map)
        return rc;
    out->items = place__arena_alloc(d->a, map->count * sizeof *out->items);
    if (!out->items && map->count)
        return doom(d);
    for (i = 0; i < map->count; i++) {
        const place__node *k = map->keys[i];
        size_t old = path_push_key(d, k->str);
        int64_t v = 0;
        if (!valid_key_node(k))
            return derr(d, k, "invalid resource name \"%s\"", k->str);
        /* A null quantity is absent, like every null field (for requests
         * and Node capacity that is what Kubernetes' zero means too). */
        if (place__node_is_null(map->values[i])) {
            path_pop(d, old);
            continue;
        }
        if ((rc = decode_quantity(d, map->values[i], k->str, false, &v)))
            return rc;
        out->items[out->count].name = k->str;
        out->items[out->count].value = v;
        out->count++;
        path_pop(d, old);
    }
    qsort(out->items, out->count, sizeof *out->items, res_cmp);
    return PLACE_OK;
}

/* ---- node selectors ------------------------------------------------------ */

static const char *const op_names[] = {"In", "NotIn", "Exists",
                                        "DoesNotExist", "Gt", "Lt"};

static int decode_requirement(dec *d, const place__node *n, bool field,
                              place__req *out)
{
    const place__node *map, *vals = NULL;
    const char *op = NULL;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK)
        return rc;
    if (!map)
        return derr(d, n, "expected a mapping, got null");
    out->pos = node_pos(d, map);
    out->path = place__arena_strndup(d->a, d->path, d->plen);
    FIELD(d, map, "key", want_str(d, fv, &out->key));
    FIELD(d, map, "operator", want_str(d, fv, &op));
    FIELD(d, map, "values", want_seq(d, fv, &vals));
    if (!out->key || !*out->key) {
        size_t old = path_push_key(d, "key");
        return derr(d, place__map_get(map, "key") ? place__map_get(map, "key")
                                                  : map,
                    "required value");
        (void)old;
    }
    if (field) {
        if (strcmp(out->key, "metadata.name") != 0) {
            path_push_key(d, "key");
            return derr(d, place__map_get(map, "key"),
                        "not a valid field selector key \"%s\": expected "
                        "metadata.name", out->key);
        }
    } else if (!valid_label_key(out->key)) {
        path_push_key(d, "key");
        return derr(d, place__map_get(map, "key"),
                    "invalid label key \"%s\": a qualified name "
                    "([prefix/]name, name at most 63 characters)", out->key);
    }
    if (!op) {
        path_push_key(d, "operator");
        return derr(d, place__map_get(map, "operator")
                           ? place__map_get(map, "operator") : map,
                    "required value");
    }
    for (i = 0; i < PLACE__ARRAY_LEN(op_names); i++)
        if (strcmp(op, op_names[i]) == 0)
            break;
    if (i == PLACE__ARRAY_LEN(op_names) ||
        (field && i != PLACE__OP_IN && i != PLACE__OP_NOT_IN)) {
        path_push_key(d, "operator");
        return derr(d, place__map_get(map, "operator"),
                    field ? "unsupported operator \"%s\": expected In or NotIn"
                          : "unsupported operator \"%s\": expected In, NotIn, "
                            "Exists, DoesNotExist, Gt or Lt",
                    op);
    }
    out->op = (place__op)i;
    out->nvalues = vals ? vals->count : 0;
    if (out->nvalues) {
        out->values = place__arena_alloc(d->a, out->nvalues * sizeof(char *));
        if (!out->values)
            return doom(d);
    }
    for (i = 0; i < out->nvalues; i++) {
        size_t old = path_push_key(d, "values");
        path_push_index(d, i);
        if ((rc = want_str(d, vals->values[i], &out->values[i])) != PLACE_OK)
            return rc;
        if (!out->values[i])
            out->values[i] = "";
        path_pop(d, old);
    }
    {
        const place__node *vn = vals ? (const place__node *)vals : map;
        size_t old = path_push_key(d, "values");
        switch (out->op) {
        case PLACE__OP_IN:
        case PLACE__OP_NOT_IN:
            if (out->nvalues == 0)
                return derr(d, vn, "must be specified when `operator` is "
                                   "'In' or 'NotIn'");
            if (field && out->nvalues != 1)
                return derr(d, vn, "must be only one value when `operator` "
                                   "is 'In' or 'NotIn' for node field "
                                   "selector");
            /* The API server admits any string here; the scheduler's
             * parser refuses values that are not label values, and the
             * term then matches nothing. */
            if (!field)
                for (i = 0; i < out->nvalues; i++)
                    if (!place__valid_label_value(out->values[i]))
                        out->lazy_invalid = true;
            break;
        case PLACE__OP_EXISTS:
        case PLACE__OP_DOES_NOT_EXIST:
            if (out->nvalues)
                return derr(d, vn, "may not be specified when `operator` is "
                                   "'Exists' or 'DoesNotExist'");
            break;
        case PLACE__OP_GT:
        case PLACE__OP_LT:
            /* Whether the one value is an integer or a position of an
             * ordinal label is checked once the policy is known. */
            if (out->nvalues != 1)
                return derr(d, vn, "must be specified single value when "
                                   "`operator` is 'Lt' or 'Gt'");
            /* That later check reports at values[0], the offending
             * value, so remember where it is. */
            out->pos = node_pos(d, vals->values[0]);
            break;
        }
        path_pop(d, old);
    }
    return PLACE_OK;
}

static int decode_requirements(dec *d, const place__node *map,
                               const char *key, bool field, size_t *count,
                               place__req **out)
{
    const place__node *seq = NULL;
    size_t i;
    int rc;

    *count = 0;
    *out = NULL;
    FIELD(d, map, key, want_seq(d, fv, &seq));
    if (!seq || !seq->count)
        return PLACE_OK;
    *out = place__arena_alloc(d->a, seq->count * sizeof **out);
    if (!*out)
        return doom(d);
    for (i = 0; i < seq->count; i++) {
        size_t old = path_push_key(d, key);
        path_push_index(d, i);
        if ((rc = decode_requirement(d, seq->values[i], field, &(*out)[i])))
            return rc;
        path_pop(d, old);
    }
    *count = seq->count;
    return PLACE_OK;
}

static int decode_term(dec *d, const place__node *n, place__term *out)
{
    const place__node *map;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK)
        return rc;
    out->path = place__arena_strndup(d->a, d->path, d->plen);
    if (!map)
        return PLACE_OK; /* an empty term matches nothing */
    if ((rc = decode_requirements(d, map, "matchExpressions", false,
                                  &out->nexprs, &out->exprs)))
        return rc;
    return decode_requirements(d, map, "matchFields", true, &out->nfields,
                               &out->fields);
}

/* A NodeSelector: {nodeSelectorTerms: [...]}. */
static int decode_node_selector(dec *d, const place__node *n,
                                place__selector *out)
{
    const place__node *map, *terms = NULL;
    size_t i;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK || !map)
        return rc;
    out->present = true;
    FIELD(d, map, "nodeSelectorTerms", want_seq(d, fv, &terms));
    if (!terms || !terms->count)
        return PLACE_OK; /* present without terms: matches no target */
    out->terms = place__arena_alloc(d->a, terms->count * sizeof *out->terms);
    if (!out->terms)
        return doom(d);
    for (i = 0; i < terms->count; i++) {
        size_t old = path_push_key(d, "nodeSelectorTerms");
        path_push_index(d, i);
        if ((rc = decode_term(d, terms->values[i], &out->terms[i])))
            return rc;
        path_pop(d, old);
    }
    out->nterms = terms->count;
    return PLACE_OK;
}

static int decode_preferred(dec *d, const place__node *n, place__workload *w)
{
    const place__node *seq;
    size_t i;
    int rc;

    if ((rc = want_seq(d, n, &seq)) != PLACE_OK || !seq || !seq->count)
        return rc;
    w->prefs = place__arena_alloc(d->a, seq->count * sizeof *w->prefs);
    if (!w->prefs)
        return doom(d);
    for (i = 0; i < seq->count; i++) {
        const place__node *map;
        place__pref *p = &w->prefs[w->nprefs];
        size_t old = path_push_index(d, i);
        bool has_weight = false;
        int64_t weight = 0;

        if ((rc = want_map(d, seq->values[i], &map)) != PLACE_OK)
            return rc;
        if (!map)
            return derr(d, seq->values[i], "expected a mapping, got null");
        FIELD(d, map, "weight",
              want_int(d, fv, 1, 100, "a weight from 1 to 100", &has_weight,
                       &weight));
        if (!has_weight) {
            path_push_key(d, "weight");
            return derr(d, map, "required value: a weight from 1 to 100");
        }
        p->weight = (int32_t)weight;
        {
            const place__node *pref = place__map_get(map, "preference");
            size_t o2 = path_push_key(d, "preference");
            if (!pref || place__node_is_null(pref))
                return derr(d, map, "required value");
            if ((rc = decode_term(d, pref, &p->term)) != PLACE_OK)
                return rc;
            path_pop(d, o2);
        }
        w->nprefs++;
        path_pop(d, old);
    }
    return PLACE_OK;
}

/* ---- taints and tolerations ---------------------------------------------- */

static int decode_effect(dec *d, const place__node *n, bool allow_empty,
                         place__effect *out)
{
    static const char *const names[] = {"", "NoSchedule", "PreferNoSchedule",
                                        "NoExecute"};
    const char *s;
    size_t i;
    int rc;

    if ((rc = want_str(d, n, &s)) != PLACE_OK)
        return rc;
    if (!s)
        s = "";
    for (i = allow_empty ? 0 : 1; i < PLACE__ARRAY_LEN(names); i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (place__effect)i;
            return PLACE_OK;
        }
    }
    if (!*s)
        return derr(d, n, "required value: NoSchedule, PreferNoSchedule or "
                          "NoExecute");
    return derr(d, n, "unsupported effect \"%s\": expected %sNoSchedule, "
                      "PreferNoSchedule or NoExecute",
                s, allow_empty ? "empty, " : "");
}

static int decode_taints(dec *d, const place__node *n, size_t *count,
                         place__taint **out)
{
    const place__node *seq;
    size_t i;
    int rc;

    *count = 0;
    if ((rc = want_seq(d, n, &seq)) != PLACE_OK || !seq || !seq->count)
        return rc;
    *out = place__arena_alloc(d->a, (seq->count + 1) * sizeof **out);
    if (!*out)
        return doom(d);
    for (i = 0; i < seq->count; i++) {
        const place__node *map;
        place__taint *t = &(*out)[i];
        size_t old = path_push_index(d, i);
        const place__node *effect;

        if ((rc = want_map(d, seq->values[i], &map)) != PLACE_OK)
            return rc;
        if (!map)
            return derr(d, seq->values[i], "expected a mapping, got null");
        FIELD(d, map, "key", want_str(d, fv, &t->key));
        FIELD(d, map, "value", want_str(d, fv, &t->value));
        if (!t->key || !*t->key) {
            path_push_key(d, "key");
            return derr(d, place__map_get(map, "key") ? place__map_get(map,
                                                                       "key")
                                                      : map,
                        "required value");
        }
        if (!valid_label_key(t->key)) {
            path_push_key(d, "key");
            return derr(d, place__map_get(map, "key"),
                        "invalid taint key \"%s\"", t->key);
        }
        if (!t->value)
            t->value = "";
        if (!place__valid_label_value(t->value)) {
            path_push_key(d, "value");
            return derr(d, place__map_get(map, "value"),
                        "invalid taint value \"%s\"", t->value);
        }
        effect = place__map_get(map, "effect");
        {
            size_t o2 = path_push_key(d, "effect");
            if (!effect)
                return derr(d, map, "required value: NoSchedule, "
                                    "PreferNoSchedule or NoExecute");
            if ((rc = decode_effect(d, effect, false, &t->effect)))
                return rc;
            path_pop(d, o2);
        }
        {
            size_t k;
            for (k = 0; k < i; k++)
                if ((*out)[k].effect == t->effect &&
                    strcmp((*out)[k].key, t->key) == 0)
                    return derr(d, map, "taints must be unique by key and "
                                        "effect pair (the same as "
                                        "[%zu])", k);
        }
        path_pop(d, old);
    }
    *count = seq->count;
    return PLACE_OK;
}

static int decode_tolerations(dec *d, const place__node *n,
                              place__workload *w)
{
    static const char *const ops[] = {"Equal", "Exists", "Gt", "Lt"};
    const place__node *seq;
    size_t i, j;
    int rc;

    if ((rc = want_seq(d, n, &seq)) != PLACE_OK || !seq || !seq->count)
        return rc;
    /* one spare slot for the toleration a namespace's offloading adds */
    w->tols = place__arena_alloc(d->a, (seq->count + 1) * sizeof *w->tols);
    if (!w->tols)
        return doom(d);
    for (i = 0; i < seq->count; i++) {
        const place__node *map;
        place__toleration *t = &w->tols[i];
        size_t old = path_push_index(d, i);
        const char *op = NULL;
        bool has_secs = false;
        int64_t secs;

        if ((rc = want_map(d, seq->values[i], &map)) != PLACE_OK)
            return rc;
        if (!map)
            return derr(d, seq->values[i], "expected a mapping, got null");
        FIELD(d, map, "key", want_str(d, fv, &t->key));
        FIELD(d, map, "operator", want_str(d, fv, &op));
        FIELD(d, map, "value", want_str(d, fv, &t->value));
        FIELD(d, map, "effect", decode_effect(d, fv, true, &t->effect));
        FIELD(d, map, "tolerationSeconds",
              want_int(d, fv, INT64_MIN, INT64_MAX, "an integer", &has_secs,
                       &secs));
        if (!t->key)
            t->key = "";
        if (!t->value)
            t->value = "";
        t->op = PLACE__TOL_EQUAL;
        if (op && *op) {
            for (j = 0; j < PLACE__ARRAY_LEN(ops); j++)
                if (strcmp(op, ops[j]) == 0)
                    break;
            if (j == PLACE__ARRAY_LEN(ops)) {
                path_push_key(d, "operator");
                return derr(d, place__map_get(map, "operator"),
                            "unsupported operator \"%s\": expected Equal, "
                            "Exists, Gt or Lt", op);
            }
            t->op = (place__tol_op)j;
        }
        if (*t->key && !valid_label_key(t->key)) {
            path_push_key(d, "key");
            return derr(d, place__map_get(map, "key"),
                        "invalid toleration key \"%s\"", t->key);
        }
        if (!*t->key && t->op != PLACE__TOL_EXISTS) {
            path_push_key(d, "operator");
            return derr(d, place__map_get(map, "operator")
                               ? place__map_get(map, "operator") : map,
                        "operator must be Exists when `key` is empty, which "
                        "means \"match all values and all keys\"");
        }
        if (t->op == PLACE__TOL_EXISTS && *t->value) {
            path_push_key(d, "value");
            return derr(d, place__map_get(map, "value"),
                        "value must be empty when `operator` is 'Exists'");
        }
        /* The API server checks an Equal value as a label value. Gt/Lt
         * thresholds are not checked: one that is not an integer
         * tolerates nothing, as kube-scheduler decides. */
        if (t->op == PLACE__TOL_EQUAL && !place__valid_label_value(t->value)) {
            path_push_key(d, "value");
            return derr(d, place__map_get(map, "value"),
                        "invalid toleration value \"%s\": at most 63 "
                        "characters, alphanumeric at both ends, '-', '_' "
                        "or '.' inside", t->value);
        }
        if (has_secs && t->effect != PLACE__EFFECT_NO_EXECUTE) {
            path_push_key(d, "effect");
            return derr(d, place__map_get(map, "effect")
                               ? place__map_get(map, "effect") : map,
                        "effect must be 'NoExecute' when `tolerationSeconds` "
                        "is set");
        }
        path_pop(d, old);
    }
    w->ntols = w->nowntols = seq->count;
    return PLACE_OK;
}

/* ---- resources of a pod -------------------------------------------------- */

/* A small resource accumulator: name -> value, unsorted. */
typedef struct acc {
    size_t count;
    place__res items[64];
} acc;

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    return a + b;
}

static place__res *acc_slot(acc *s, const char *name)
{
    size_t i;
    for (i = 0; i < s->count; i++)
        if (strcmp(s->items[i].name, name) == 0)
            return &s->items[i];
    if (s->count == PLACE__ARRAY_LEN(s->items))
        return NULL;
    s->items[s->count].name = name;
    s->items[s->count].value = 0;
    return &s->items[s->count++];
}

static int acc_add(dec *d, acc *s, const place__reslist *l, bool max)
{
    size_t i;
    for (i = 0; i < l->count; i++) {
        place__res *r = acc_slot(s, l->items[i].name);
        if (!r)
            return derr(d, NULL, "more than %zu distinct resources",
                        PLACE__ARRAY_LEN(s->items));
        if (max)
            r->value = r->value > l->items[i].value ? r->value
                                                    : l->items[i].value;
        else
            r->value = sat_add(r->value, l->items[i].value);
    }
    return PLACE_OK;
}

/* The API server refuses a request above its limit. (Quantities compare
 * as integers rounded up, so a request a fraction of a unit above its
 * limit may pass; never the other way round.) */
static int check_request_limits(dec *d, const place__node *map,
                                const place__reslist *req,
                                const place__reslist *lim)
{
    const place__node *reqmap = place__map_get(map, "requests");
    char buf[80];
    size_t i;

    for (i = 0; i < req->count; i++) {
        bool found;
        int64_t l = place__reslist_get(lim, req->items[i].name, &found);
        if (found && req->items[i].value > l) {
            const place__node *v = place__map_get(reqmap,
                                                  req->items[i].name);
            const place__node *ln = place__map_get(
                place__map_get(map, "limits"), req->items[i].name);
            path_push_key(d, "requests");
            path_push_key(d, req->items[i].name);
            return derr(d, v, "must be less than or equal to %s limit of %s",
                        req->items[i].name, shown(ln, buf, sizeof buf));
        }
    }
    return PLACE_OK;
}

/* requests, with limits as the request of a resource that has none */
static int decode_resources(dec *d, const place__node *n, place__reslist *out)
{
    const place__node *map;
    place__reslist req, lim;
    size_t i, k;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = want_map(d, n, &map)) != PLACE_OK || !map)
        return rc;
    memset(&req, 0, sizeof req);
    memset(&lim, 0, sizeof lim);
    FIELD(d, map, "requests", decode_reslist(d, fv, &req));
    FIELD(d, map, "limits", decode_reslist(d, fv, &lim));
    if ((rc = check_request_limits(d, map, &req, &lim)) != PLACE_OK)
        return rc;
    out->items = place__arena_alloc(
        d->a, (req.count + lim.count + 1) * sizeof *out->items);
    if (!out->items)
        return doom(d);
    for (i = 0; i < req.count; i++)
        out->items[out->count++] = req.items[i];
    for (i = 0; i < lim.count; i++) {
        bool found = false;
        for (k = 0; k < req.count; k++)
            if (strcmp(req.items[k].name, lim.items[i].name) == 0)
                found = true;
        if (!found)
            out->items[out->count++] = lim.items[i];
    }
    qsort(out->items, out->count, sizeof *out->items, res_cmp);
    return PLACE_OK;
}

static int decode_containers(dec *d, const place__node *spec, const char *key,
                             bool init, acc *regular, acc *init_max)
{
    const place__node *seq = NULL;
    acc sidecars;
    size_t i;
    int rc;

    memset(&sidecars, 0, sizeof sidecars);
    FIELD(d, spec, key, want_seq(d, fv, &seq));
    if (!seq)
        return PLACE_OK;
    for (i = 0; i < seq->count; i++) {
        const place__node *c;
        const char *policy = NULL;
        place__reslist r;
        size_t old = path_push_key(d, key);

        path_push_index(d, i);
        if ((rc = want_map(d, seq->values[i], &c)) != PLACE_OK)
            return rc;
        if (!c)
            return derr(d, seq->values[i], "expected a mapping, got null");
        memset(&r, 0, sizeof r);
        FIELD(d, c, "resources", decode_resources(d, fv, &r));
        FIELD(d, c, "restartPolicy", want_str(d, fv, &policy));
        if (init && policy && *policy && strcmp(policy, "Always") != 0) {
            path_push_key(d, "restartPolicy");
            return derr(d, place__map_get(c, "restartPolicy"),
                        "unsupported value \"%s\": expected Always", policy);
        }
        if (!init) {
            if ((rc = acc_add(d, regular, &r, false)))
                return rc;
        } else if (policy && strcmp(policy, "Always") == 0) {
            /* a sidecar runs beside everything started after it */
            if ((rc = acc_add(d, &sidecars, &r, false)))
                return rc;
            if ((rc = acc_add(d, regular, &r, false)))
                return rc;
        } else {
            /* a plain init container needs its own request plus the
             * sidecars started before it */
            acc need = sidecars;
            place__reslist l;
            if ((rc = acc_add(d, &need, &r, false)))
                return rc;
            l.count = need.count;
            l.items = need.items;
            if ((rc = acc_add(d, init_max, &l, true)))
                return rc;
        }
        path_pop(d, old);
    }
    return PLACE_OK;
}

/* The effective request of one replica, as kube-scheduler computes it. */
static int decode_pod_requests(dec *d, const place__node *spec,
                               place__reslist *out)
{
    acc regular, init_max, total;
    place__reslist overhead, podlevel, l;
    size_t i;
    int rc;

    memset(&regular, 0, sizeof regular);
    memset(&init_max, 0, sizeof init_max);
    memset(&total, 0, sizeof total);
    memset(&overhead, 0, sizeof overhead);
    memset(&podlevel, 0, sizeof podlevel);
    if ((rc = decode_containers(d, spec, "initContainers", true, &regular,
                                &init_max)))
        return rc;
    if ((rc = decode_containers(d, spec, "containers", false, &regular,
                                &init_max)))
        return rc;
    FIELD(d, spec, "overhead", decode_reslist(d, fv, &overhead));
    FIELD(d, spec, "resources", decode_resources(d, fv, &podlevel));

    l.count = regular.count;
    l.items = regular.items;
    if ((rc = acc_add(d, &total, &l, false)))
        return rc;
    l.count = init_max.count;
    l.items = init_max.items;
    if ((rc = acc_add(d, &total, &l, true)))
        return rc;
    /* pod-level requests replace the container aggregate where given; the
     * API server admits only cpu, memory and hugepages there */
    for (i = 0; i < podlevel.count; i++) {
        const char *res = podlevel.items[i].name;
        if (strcmp(res, "cpu") != 0 && strcmp(res, "memory") != 0 &&
            strncmp(res, "hugepages-", 10) != 0) {
            const place__node *rn = place__map_get(spec, "resources");
            path_push_key(d, "resources");
            return derr(d, rn, "pod-level resources support only cpu, "
                               "memory and hugepages-*, not %s", res);
        }
    }
    for (i = 0; i < podlevel.count; i++) {
        place__res *r = acc_slot(&total, podlevel.items[i].name);
        if (!r)
            return derr(d, NULL, "too many distinct resources");
        r->value = podlevel.items[i].value;
    }
    if ((rc = acc_add(d, &total, &overhead, false)))
        return rc;
    {
        place__res *pods = acc_slot(&total, "pods");
        if (!pods)
            return derr(d, NULL, "too many distinct resources");
        pods->value = 1;
    }
    out->items = place__arena_alloc(d->a, total.count * sizeof *out->items);
    if (!out->items)
        return doom(d);
    for (i = 0; i < total.count; i++) {
        if (total.items[i].value == 0 && strcmp(total.items[i].name, "pods"))
            continue; /* a zero request is never checked */
        out->items[out->count++] = total.items[i];
    }
    qsort(out->items, out->count, sizeof *out->items, res_cmp);
    return PLACE_OK;
}

static int decode_pod_spec(dec *d, const place__node *spec,
                           place__workload *w)
{
    const place__node *aff = NULL, *na = NULL;
    bool has = false;
    int64_t v = 0;
    int rc;

    FIELD(d, spec, "nodeSelector", decode_labels(d, fv, &w->node_selector));
    FIELD(d, spec, "affinity", want_map(d, fv, &aff));
    if (aff)
        FIELD(d, aff, "nodeAffinity", want_map(d, fv, &na));
    if (aff && na) {
        size_t old = path_push_key(d, "affinity");
        path_push_key(d, "nodeAffinity");
        FIELD(d, na, "requiredDuringSchedulingIgnoredDuringExecution",
              decode_node_selector(d, fv, &w->required));
        FIELD(d, na, "preferredDuringSchedulingIgnoredDuringExecution",
              decode_preferred(d, fv, w));
        path_pop(d, old);
    }
    FIELD(d, spec, "tolerations", decode_tolerations(d, fv, w));
    FIELD(d, spec, "priority",
          want_int(d, fv, INT32_MIN, INT32_MAX, "a 32-bit integer", &has, &v));
    if (has) {
        w->has_priority = true;
        w->priority = (int32_t)v;
    }
    FIELD(d, spec, "priorityClassName", want_str(d, fv, &w->priority_class));
    if (w->priority_class) {
        const place__node *pc = place__map_get(spec, "priorityClassName");
        w->priority_class_pos = node_pos(d, pc);
        if (!*w->priority_class)
            w->priority_class = NULL;
    }
    if ((rc = decode_pod_requests(d, spec, &w->requests)) != PLACE_OK)
        return rc;
    if (w->kind == PLACE__KIND_POD) {
        FIELD(d, spec, "nodeName", want_str(d, fv, &w->node_name));
        if (w->node_name) {
            w->node_name_pos = node_pos(d, place__map_get(spec, "nodeName"));
            if (!*w->node_name)
                w->node_name = NULL;
        }
    }
    return PLACE_OK;
}

/* ---- kinds ----------------------------------------------------------------- */

static const struct {
    const char *name;
    place__kind kind;
} kinds[] = {
    {"Pod", PLACE__KIND_POD},
    {"Deployment", PLACE__KIND_DEPLOYMENT},
    {"ReplicaSet", PLACE__KIND_REPLICASET},
    {"StatefulSet", PLACE__KIND_STATEFULSET},
    {"Job", PLACE__KIND_JOB},
    {"Node", PLACE__KIND_NODE},
    {"ClusterAdvertisement", PLACE__KIND_CLUSTER_ADVERTISEMENT},
    {"PriorityClass", PLACE__KIND_PRIORITY_CLASS},
    {"NamespaceOffloading", PLACE__KIND_NAMESPACE_OFFLOADING},
    {"PlacementPolicy", PLACE__KIND_PLACEMENT_POLICY},
    {"PlacementResult", PLACE__KIND_PLACEMENT_RESULT},
};

const char *place__kind_name(place__kind k)
{
    size_t i;
    for (i = 0; i < PLACE__ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == k)
            return kinds[i].name;
    return "Object";
}

place__kind place__workload_kind(const char *name)
{
    size_t i;
    for (i = 0; i < PLACE__ARRAY_LEN(kinds); i++)
        if (kinds[i].kind <= PLACE__KIND_JOB &&
            strcmp(kinds[i].name, name) == 0)
            return kinds[i].kind;
    return PLACE__KIND_OTHER;
}

static bool kind_is_namespaced(place__kind k)
{
    return k <= PLACE__KIND_JOB || k == PLACE__KIND_NAMESPACE_OFFLOADING;
}

/* ---- the current placement (move cost) ---------------------------------- */

/* A list of {target: NAME, replicas: N}: status.placement of a workload, or
 * workloads[].assignments of a PlacementResult. Entries as written;
 * place__model_finalize resolves, merges and sorts them. */
static int decode_current(dec *d, const place__node *n, size_t *count,
                          place__current **out)
{
    const place__node *seq;
    char buf[80];
    size_t i;
    int rc;

    *count = 0;
    *out = NULL;
    if ((rc = want_seq(d, n, &seq)) != PLACE_OK || !seq || !seq->count)
        return rc;
    *out = place__arena_alloc(d->a, seq->count * sizeof **out);
    if (!*out)
        return doom(d);
    for (i = 0; i < seq->count; i++) {
        const place__node *map, *tn;
        place__current *c = &(*out)[i];
        size_t old = path_push_index(d, i);
        bool has = false;

        if ((rc = want_map(d, seq->values[i], &map)) != PLACE_OK)
            return rc;
        if (!map)
            return derr(d, seq->values[i], "expected a mapping, got null");
        memset(c, 0, sizeof *c);
        c->ti = -1;
        c->pos = node_pos(d, map);
        FIELD(d, map, "target", want_str(d, fv, &c->target));
        tn = place__map_get(map, "target");
        if (!c->target || !*c->target) {
            path_push_key(d, "target");
            return derr(d, tn ? tn : map,
                        "required value: the name of a target");
        }
        if (!valid_dns_subdomain(c->target, strlen(c->target))) {
            path_push_key(d, "target");
            return derr(d, tn, "invalid target name %s: a Node or "
                               "ClusterAdvertisement name is a lowercase "
                               "RFC 1123 subdomain",
                        shown(tn, buf, sizeof buf));
        }
        FIELD(d, map, "replicas",
              want_int(d, fv, 0, INT32_MAX, "a non-negative integer", &has,
                       &c->replicas));
        if (!has) {
            const place__node *rn = place__map_get(map, "replicas");
            path_push_key(d, "replicas");
            return derr(d, rn ? rn : map,
                        "required value: a non-negative integer");
        }
        path_pop(d, old);
    }
    *count = seq->count;
    return PLACE_OK;
}

/* status.placement: libplace's own status field of a workload document. */
static int decode_status_placement(dec *d, const place__node *root,
                                   place__workload *w)
{
    const place__node *status = NULL, *pl;
    size_t old;
    int rc;

    FIELD(d, root, "status", want_map(d, fv, &status));
    if (!status)
        return PLACE_OK;
    pl = place__map_get(status, "placement");
    if (!pl || place__node_is_null(pl))
        return PLACE_OK;
    old = path_push_key(d, "status");
    path_push_key(d, "placement");
    if (w->node_name)
        return derr(d, pl, "a Pod bound by spec.nodeName runs there: it "
                           "has no other placement");
    if ((rc = decode_current(d, pl, &w->ncurrent, &w->current)))
        return rc;
    w->current_from_status = true;
    path_pop(d, old);
    return PLACE_OK;
}

/* A PlacementResult given as input (what `place solve --output json|yaml`
 * writes): only workloads[].kind, namespace, name and
 * assignments[].target, replicas are read. */
static int decode_placement_result(dec *d, const place__node *root)
{
    place__model *m = d->m;
    const place__node *ws = NULL;
    size_t i, old;
    int rc;

    FIELD(d, root, "workloads", want_seq(d, fv, &ws));
    if (!ws)
        return PLACE_OK;
    old = path_push_key(d, "workloads");
    for (i = 0; i < ws->count; i++) {
        const place__node *map;
        const char *kind = NULL, *ns = NULL, *name = NULL;
        place__previous *p;
        place__kind k;
        size_t o2 = path_push_index(d, i);

        if ((rc = want_map(d, ws->values[i], &map)) != PLACE_OK)
            return rc;
        if (!map)
            return derr(d, ws->values[i], "expected a mapping, got null");
        FIELD(d, map, "kind", want_str(d, fv, &kind));
        FIELD(d, map, "namespace", want_str(d, fv, &ns));
        FIELD(d, map, "name", want_str(d, fv, &name));
        if (!kind || !*kind) {
            path_push_key(d, "kind");
            return derr(d, place__map_get(map, "kind")
                               ? place__map_get(map, "kind") : map,
                        "required value");
        }
        if (!name || !*name) {
            path_push_key(d, "name");
            return derr(d, place__map_get(map, "name")
                               ? place__map_get(map, "name") : map,
                        "required value");
        }
        if (!ns || !*ns)
            ns = "default";
        if (!place__grow(d->ctx, (void **)&m->previous, &m->capprevious,
                         m->nprevious, sizeof *m->previous))
            return doom(d);
        p = &m->previous[m->nprevious];
        memset(p, 0, sizeof *p);
        FIELD(d, map, "assignments",
              decode_current(d, fv, &p->ncurrent, &p->current));
        /* A kind that is not a workload names nothing in the problem. */
        k = place__workload_kind(kind);
        if (k != PLACE__KIND_OTHER) {
            p->kind = k;
            p->ns = ns;
            p->name = name;
            p->pos = node_pos(d, map);
            m->nprevious++;
        }
        path_pop(d, o2);
    }
    path_pop(d, old);
    return PLACE_OK;
}

static int decode_workload(dec *d, place__kind kind, const place__node *root,
                           const char *ns, const char *name)
{
    place__model *m = d->m;
    place__workload *w;
    const place__node *spec = NULL, *tmpl = NULL, *pspec = NULL;
    int rc;

    if (!place__grow(d->ctx, (void **)&m->workloads, &m->capworkloads,
                     m->nworkloads, sizeof *m->workloads))
        return doom(d);
    w = &m->workloads[m->nworkloads];
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->ns = ns;
    w->name = name;
    w->object = d->object;
    w->pos = node_pos(d, d->namenode);
    w->replicas = 1;
    w->seq = m->nextseq++;

    FIELD(d, root, "spec", want_map(d, fv, &spec));
    if (!spec) {
        path_push_key(d, "spec");
        return derr(d, root, "required value");
    }
    if (kind == PLACE__KIND_POD) {
        w->spec_path = "spec";
        pspec = spec;
    } else {
        bool has = false;
        int64_t v = 1;
        const char *rkey =
            kind == PLACE__KIND_JOB ? "parallelism" : "replicas";
        size_t old = path_push_key(d, "spec");
        FIELD(d, spec, rkey,
              want_int(d, fv, 0, INT32_MAX, "a non-negative integer", &has,
                       &v));
        if (has)
            w->replicas = v;
        FIELD(d, spec, "template", want_map(d, fv, &tmpl));
        if (!tmpl) {
            path_push_key(d, "template");
            return derr(d, spec, "required value");
        }
        path_push_key(d, "template");
        FIELD(d, tmpl, "spec", want_map(d, fv, &pspec));
        if (!pspec) {
            path_push_key(d, "spec");
            return derr(d, tmpl, "required value");
        }
        path_pop(d, old);
        w->spec_path = "spec.template.spec";
    }
    {
        size_t old = d->plen;
        memcpy(d->path, w->spec_path, strlen(w->spec_path) + 1);
        d->plen = strlen(w->spec_path);
        if ((rc = decode_pod_spec(d, pspec, w)) != PLACE_OK)
            return rc;
        path_pop(d, old);
    }
    if ((rc = decode_status_placement(d, root, w)) != PLACE_OK)
        return rc;
    m->nworkloads++;
    return PLACE_OK;
}

static int add_target(dec *d, place__target **out)
{
    place__model *m = d->m;
    if (!place__grow(d->ctx, (void **)&m->targets, &m->captargets,
                     m->ntargets, sizeof *m->targets))
        return doom(d);
    *out = &m->targets[m->ntargets];
    memset(*out, 0, sizeof **out);
    (*out)->seq = m->nextseq++;
    return PLACE_OK;
}

/* Liqo shows a remote cluster as a virtual node with these. */
#define LIQO_TYPE_LABEL "liqo.io/type"
#define LIQO_VIRTUAL_NODE "virtual-node"
#define LIQO_CLUSTER_ID_LABEL "liqo.io/remote-cluster-id"
#define LIQO_TAINT_KEY "virtual-node.liqo.io/not-allowed"

static int decode_node(dec *d, const place__node *root, const char *name,
                       const place__labels *labels)
{
    const place__node *spec = NULL, *status = NULL;
    const place__node *alloc = NULL;
    place__target *t = NULL;
    int rc;

    if ((rc = add_target(d, &t)) != PLACE_OK)
        return rc;
    t->kind = PLACE__KIND_NODE;
    t->name = name;
    t->object = d->object;
    t->pos = node_pos(d, d->namenode);
    t->labels = *labels;
    FIELD(d, root, "spec", want_map(d, fv, &spec));
    FIELD(d, root, "status", want_map(d, fv, &status));
    if (spec) {
        size_t old = path_push_key(d, "spec");
        FIELD(d, spec, "taints",
              decode_taints(d, fv, &t->ntaints, &t->taints));
        FIELD(d, spec, "unschedulable", want_bool(d, fv, &t->unschedulable));
        path_pop(d, old);
    }
    if (status) {
        size_t old = path_push_key(d, "status");
        alloc = place__map_get(status, "allocatable");
        if (alloc && !place__node_is_null(alloc))
            FIELD(d, status, "allocatable",
                  decode_reslist(d, fv, &t->allocatable));
        else
            FIELD(d, status, "capacity",
                  decode_reslist(d, fv, &t->allocatable));
        path_pop(d, old);
    }
    /* A Liqo virtual node is a remote cluster: Liqo's label says so. */
    {
        const char *type = place__labels_get(&t->labels, LIQO_TYPE_LABEL);
        t->is_virtual = type && strcmp(type, LIQO_VIRTUAL_NODE) == 0;
    }
    t->nowntaints = t->ntaints;
    d->m->ntargets++;
    return PLACE_OK;
}

static int decode_prices(dec *d, const place__node *n, place__target *t)
{
    const place__node *map;
    size_t i;
    int rc;

    if ((rc = want_map(d, n, &map)) != PLACE_OK || !map || !map->count)
        return rc;
    t->price_names = place__arena_alloc(d->a, map->count * sizeof(char *));
    t->prices = place__arena_alloc(d->a, map->count * sizeof(double));
    if (!t->price_names || !t->prices)
        return doom(d);
    for (i = 0; i < map->count; i++) {
        size_t old = path_push_key(d, map->keys[i]->str);
        bool has;
        if ((rc = want_number(d, map->values[i], 0, 1e12, &has,
                              &t->prices[i])))
            return rc;
        t->price_names[i] = map->keys[i]->str;
        path_pop(d, old);
    }
    t->nprices = map->count;
    return PLACE_OK;
}

static int add_label(dec *d, place__labels *l, const char *key,
                     const char *value)
{
    place__kv *items;
    size_t i;
    for (i = 0; i < l->count; i++) {
        if (strcmp(l->items[i].key, key) == 0) {
            l->items[i].value = value;
            return PLACE_OK;
        }
    }
    items = place__arena_alloc(d->a, (l->count + 1) * sizeof *items);
    if (!items)
        return doom(d);
    if (l->count)
        memcpy(items, l->items, l->count * sizeof *items);
    items[l->count].key = key;
    items[l->count].value = value;
    l->items = items;
    l->count++;
    qsort(l->items, l->count, sizeof *l->items, kv_cmp);
    return PLACE_OK;
}

static int decode_advertisement(dec *d, const place__node *root,
                                const char *name, const place__labels *labels)
{
    const place__node *spec = NULL;
    place__target *t = NULL;
    bool has;
    int rc;

    if ((rc = add_target(d, &t)) != PLACE_OK)
        return rc;
    t->kind = PLACE__KIND_CLUSTER_ADVERTISEMENT;
    t->name = name;
    t->object = d->object;
    t->pos = node_pos(d, d->namenode);
    t->labels = *labels;
    t->pods_unlimited = true;
    FIELD(d, root, "spec", want_map(d, fv, &spec));
    if (spec) {
        size_t old = path_push_key(d, "spec");
        FIELD(d, spec, "taints",
              decode_taints(d, fv, &t->ntaints, &t->taints));
        FIELD(d, spec, "allocatable", decode_reslist(d, fv, &t->allocatable));
        FIELD(d, spec, "allocated", decode_reslist(d, fv, &t->allocated));
        FIELD(d, spec, "virtual", want_bool(d, fv, &t->is_virtual));
        FIELD(d, spec, "unschedulable", want_bool(d, fv, &t->unschedulable));
        if (place__map_get(spec, "largestNode") &&
            !place__node_is_null(place__map_get(spec, "largestNode"))) {
            t->has_largest = true;
            FIELD(d, spec, "largestNode", decode_reslist(d, fv, &t->largest));
        }
        FIELD(d, spec, "price", decode_prices(d, fv, t));
        FIELD(d, spec, "cost",
              want_number(d, fv, 0, 1e12, &has, &t->cost));
        path_pop(d, old);
    }
    {
        bool found;
        place__reslist_get(&t->allocatable, "pods", &found);
        if (found)
            t->pods_unlimited = false;
    }
    if (t->is_virtual) {
        place__taint *taints;
        if ((rc = add_label(d, &t->labels, LIQO_TYPE_LABEL,
                            LIQO_VIRTUAL_NODE)) ||
            (rc = add_label(d, &t->labels, LIQO_CLUSTER_ID_LABEL, name)))
            return rc;
        taints = place__arena_alloc(d->a, (t->ntaints + 1) * sizeof *taints);
        if (!taints)
            return doom(d);
        if (t->ntaints)
            memcpy(taints, t->taints, t->ntaints * sizeof *taints);
        taints[t->ntaints].key = LIQO_TAINT_KEY;
        taints[t->ntaints].value = "true";
        taints[t->ntaints].effect = PLACE__EFFECT_NO_EXECUTE;
        t->taints = taints;
        t->ntaints++;
    } else {
        const char *type = place__labels_get(&t->labels, LIQO_TYPE_LABEL);
        t->is_virtual = type && strcmp(type, LIQO_VIRTUAL_NODE) == 0;
    }
    t->nowntaints = t->ntaints;
    d->m->ntargets++;
    return PLACE_OK;
}

/* A second object of the same name: at its metadata.name. */
static int dup_here(dec *d, place__pos first)
{
    path_push_key(d, "metadata.name");
    return derr(d, d->namenode, "duplicate name: already defined at %s:%u:%u",
                first.source ? first.source : "?", first.line, first.column);
}

static int decode_priority_class(dec *d, const place__node *root,
                                 const char *name)
{
    place__model *m = d->m;
    place__priority_class *pc;
    bool has = false;
    int64_t v = 0;
    size_t i;

    if (!place__grow(d->ctx, (void **)&m->classes, &m->capclasses,
                     m->nclasses, sizeof *m->classes))
        return doom(d);
    pc = &m->classes[m->nclasses];
    memset(pc, 0, sizeof *pc);
    pc->name = name;
    pc->pos = node_pos(d, d->namenode);
    FIELD(d, root, "value",
          want_int(d, fv, INT32_MIN, 1000000000, "an integer up to 1000000000",
                   &has, &v));
    if (!has) {
        path_push_key(d, "value");
        return derr(d, root, "required value");
    }
    pc->value = (int32_t)v;
    FIELD(d, root, "globalDefault", want_bool(d, fv, &pc->global_default));
    /* PriorityClasses are few: check them here, where the object and the
     * offending value are known, rather than when the problem is checked. */
    for (i = 0; i < m->nclasses; i++) {
        const place__priority_class *o = &m->classes[i];
        if (strcmp(o->name, name) == 0)
            return dup_here(d, o->pos);
        if (o->global_default && pc->global_default) {
            path_push_key(d, "globalDefault");
            return derr(d, place__map_get(root, "globalDefault"),
                        "PriorityClass %s (%s:%u:%u) is already the global "
                        "default; at most one may be",
                        o->name, o->pos.source, o->pos.line, o->pos.column);
        }
    }
    m->nclasses++;
    return PLACE_OK;
}

static int decode_offloading(dec *d, const place__node *root, const char *ns,
                             const char *name)
{
    static const char *const names[] = {"LocalAndRemote", "Local", "Remote"};
    place__model *m = d->m;
    place__offloading *o;
    const place__node *spec = NULL;
    const char *strategy = NULL;
    size_t i;

    /* Liqo's webhook reads only the object named "offloading". */
    if (strcmp(name, "offloading") != 0) {
        m->ignored++;
        return PLACE_OK;
    }
    if (!place__grow(d->ctx, (void **)&m->offloadings, &m->capoffloadings,
                     m->noffloadings, sizeof *m->offloadings))
        return doom(d);
    o = &m->offloadings[m->noffloadings];
    memset(o, 0, sizeof *o);
    o->ns = ns;
    o->pos = node_pos(d, d->namenode);
    o->object = d->object;
    FIELD(d, root, "spec", want_map(d, fv, &spec));
    if (spec) {
        size_t old = path_push_key(d, "spec");
        FIELD(d, spec, "podOffloadingStrategy", want_str(d, fv, &strategy));
        if (strategy && *strategy) {
            for (i = 0; i < PLACE__ARRAY_LEN(names); i++)
                if (strcmp(strategy, names[i]) == 0)
                    break;
            if (i == PLACE__ARRAY_LEN(names)) {
                path_push_key(d, "podOffloadingStrategy");
                return derr(d, place__map_get(spec, "podOffloadingStrategy"),
                            "unsupported value \"%s\": expected "
                            "LocalAndRemote, Local or Remote", strategy);
            }
            o->strategy = (place__offload_strategy)i;
        }
        FIELD(d, spec, "clusterSelector",
              decode_node_selector(d, fv, &o->cluster_selector));
        path_pop(d, old);
    }
    m->noffloadings++;
    return PLACE_OK;
}

static int decode_policy(dec *d, const place__node *root, const char *name)
{
    place__policy *p = &d->m->policy;
    const place__node *spec = NULL, *weights = NULL, *ords = NULL;
    bool has;
    size_t i, j;
    int rc;

    if (p->present) {
        path_push_key(d, "metadata.name");
        return derr(d, d->namenode,
                    "at most one PlacementPolicy is allowed; the first is "
                    "%s at %s:%u:%u", p->name, p->pos.source, p->pos.line,
                    p->pos.column);
    }
    p->present = true;
    p->name = name;
    p->pos = node_pos(d, d->namenode);
    FIELD(d, root, "spec", want_map(d, fv, &spec));
    if (!spec)
        return PLACE_OK;
    path_push_key(d, "spec");
    FIELD(d, spec, "timeLimitSeconds",
          want_number(d, fv, 0, 1e9, &has, &p->time_limit));
    FIELD(d, spec, "mipGap", want_number(d, fv, 0, 1, &has, &p->mip_gap));
    {
        bool has_nodes = false;
        int64_t nodes = 0;
        FIELD(d, spec, "maxNodes",
              want_int(d, fv, 1, INT32_MAX, "a positive integer", &has_nodes,
                       &nodes));
        if (has_nodes)
            p->max_nodes = nodes;
    }
    FIELD(d, spec, "weights", want_map(d, fv, &weights));
    if (weights) {
        size_t old = path_push_key(d, "weights");
        FIELD(d, weights, "affinity",
              want_number(d, fv, 0, 1e6, &has, &p->w_affinity));
        FIELD(d, weights, "taint",
              want_number(d, fv, 0, 1e6, &has, &p->w_taint));
        FIELD(d, weights, "cost", want_number(d, fv, 0, 1e6, &has, &p->w_cost));
        FIELD(d, weights, "move",
              want_number(d, fv, 0, 1e6, &has, &p->w_move));
        path_pop(d, old);
    }
    FIELD(d, spec, "ordinalLabels", want_seq(d, fv, &ords));
    if (ords && ords->count) {
        p->ordinals = place__arena_alloc(d->a,
                                         ords->count * sizeof *p->ordinals);
        if (!p->ordinals)
            return doom(d);
        for (i = 0; i < ords->count; i++) {
            place__ordinal *o = &p->ordinals[i];
            const place__node *map, *order = NULL;
            size_t old = path_push_key(d, "ordinalLabels");
            path_push_index(d, i);
            if ((rc = want_map(d, ords->values[i], &map)) != PLACE_OK)
                return rc;
            if (!map)
                return derr(d, ords->values[i], "expected a mapping");
            FIELD(d, map, "key", want_str(d, fv, &o->key));
            if (!o->key || !valid_label_key(o->key)) {
                path_push_key(d, "key");
                return derr(d, place__map_get(map, "key")
                                   ? place__map_get(map, "key") : map,
                            "required: a label key");
            }
            for (j = 0; j < i; j++)
                if (strcmp(p->ordinals[j].key, o->key) == 0) {
                    path_push_key(d, "key");
                    return derr(d, place__map_get(map, "key"),
                                "duplicate ordinal label \"%s\"", o->key);
                }
            FIELD(d, map, "order", want_seq(d, fv, &order));
            if (!order || !order->count) {
                path_push_key(d, "order");
                return derr(d, order ? order : map,
                            "required: the values from low to high");
            }
            o->order = place__arena_alloc(d->a, order->count * sizeof(char *));
            if (!o->order)
                return doom(d);
            for (j = 0; j < order->count; j++) {
                size_t o2 = path_push_key(d, "order");
                size_t k;
                path_push_index(d, j);
                if ((rc = want_str(d, order->values[j], &o->order[j])))
                    return rc;
                if (!o->order[j] || !place__valid_label_value(o->order[j]))
                    return derr(d, order->values[j],
                                "expected a label value");
                for (k = 0; k < j; k++)
                    if (strcmp(o->order[k], o->order[j]) == 0)
                        return derr(d, order->values[j],
                                    "\"%s\" appears twice", o->order[j]);
                path_pop(d, o2);
            }
            o->count = order->count;
            p->nordinals++;
            path_pop(d, old);
        }
    }
    return PLACE_OK;
}

/* ---- documents ------------------------------------------------------------- */

static int decode_object(dec *d, const place__node *root);

static int decode_list(dec *d, const place__node *items)
{
    size_t i;
    int rc;
    for (i = 0; i < items->count; i++) {
        size_t old = d->plen;
        const char *saved = d->object;
        if ((rc = decode_object(d, items->values[i])) != PLACE_OK)
            return rc;
        d->object = saved;
        path_pop(d, old);
    }
    return PLACE_OK;
}

/* The API server's rules for names: every kind libplace reads has a
 * DNS-1123 subdomain for a name (Pod, Deployment, ReplicaSet, StatefulSet,
 * Job, Node, PriorityClass, and custom resources by default), and a
 * namespace is a DNS-1123 label. On a cluster-scoped kind the API server
 * drops metadata.namespace before it validates, so only namespaced kinds
 * have theirs checked. */
static int check_names(dec *d, place__kind k, const place__node *meta,
                       const char *name, const char *ns)
{
    char buf[80];

    if (!valid_dns_subdomain(name, strlen(name))) {
        path_push_key(d, "metadata.name");
        return derr(d, d->namenode,
                    "invalid name %s: %s", shown(d->namenode, buf, sizeof buf),
                    strlen(name) > 253
                        ? "must be no more than 253 characters"
                        : "a lowercase RFC 1123 subdomain must consist of "
                          "lower case alphanumeric characters, '-' or '.', "
                          "and must start and end with an alphanumeric "
                          "character");
    }
    if (ns && *ns && kind_is_namespaced(k) &&
        !valid_dns_label(ns, strlen(ns))) {
        const place__node *nn = place__map_get(meta, "namespace");
        path_push_key(d, "metadata.namespace");
        return derr(d, nn,
                    "invalid namespace %s: %s", shown(nn, buf, sizeof buf),
                    strlen(ns) > 63
                        ? "must be no more than 63 characters"
                        : "a lowercase RFC 1123 label must consist of lower "
                          "case alphanumeric characters or '-', and must "
                          "start and end with an alphanumeric character");
    }
    return PLACE_OK;
}

static int decode_object(dec *d, const place__node *root)
{
    place__model *m = d->m;
    const place__node *meta = NULL;
    const char *kind = NULL, *name = NULL, *ns = NULL;
    place__labels labels;
    place__kind k = PLACE__KIND_OTHER;
    size_t i;
    int rc;

    if (place__node_is_null(root))
        return PLACE_OK;
    if (root->type == PLACE__NODE_SEQ) /* a JSON array of objects */
        return decode_list(d, root);
    d->docnode = root;
    d->object = NULL;
    d->namenode = NULL;
    if (root->type != PLACE__NODE_MAP)
        return derr(d, root, "expected a Kubernetes object (a mapping), "
                             "got %s", node_kind_word(root));
    if (m->documents >= d->ctx->max_documents) {
        place__loc loc = {node_pos(d, root), NULL, NULL};
        return place__error(d->ctx, PLACE_ELIMIT, &loc,
                            "more than %zu documents",
                            d->ctx->max_documents);
    }
    FIELD(d, root, "kind", want_str(d, fv, &kind));
    if (!kind || !*kind) {
        path_push_key(d, "kind");
        return derr(d, place__map_get(root, "kind")
                           ? place__map_get(root, "kind") : root,
                    "required value: every document has a kind");
    }
    if (strcmp(kind, "List") == 0) {
        const place__node *items = NULL;
        FIELD(d, root, "items", want_seq(d, fv, &items));
        if (!items)
            return PLACE_OK;
        return decode_list(d, items);
    }
    m->documents++;
    for (i = 0; i < PLACE__ARRAY_LEN(kinds); i++)
        if (strcmp(kind, kinds[i].name) == 0)
            k = kinds[i].kind;
    if (k == PLACE__KIND_OTHER) {
        m->ignored++;
        return PLACE_OK;
    }
    /* Until the name is known, errors name the kind alone. */
    d->object = kind;
    /* A result has no metadata (contract §3): it names no object. */
    if (k == PLACE__KIND_PLACEMENT_RESULT)
        return decode_placement_result(d, root);
    FIELD(d, root, "metadata", want_map(d, fv, &meta));
    if (!meta) {
        path_push_key(d, "metadata");
        return derr(d, root, "required value");
    }
    {
        size_t old = path_push_key(d, "metadata");
        FIELD(d, meta, "name", want_str(d, fv, &name));
        FIELD(d, meta, "namespace", want_str(d, fv, &ns));
        path_pop(d, old);
    }
    d->namenode = place__map_get(meta, "name");
    if (!name || !*name) {
        path_push_key(d, "metadata.name");
        return derr(d, d->namenode ? d->namenode : meta, "required value");
    }
    if ((rc = check_names(d, k, meta, name, ns)) != PLACE_OK)
        return rc;
    if (!ns || !*ns)
        ns = "default";
    if (kind_is_namespaced(k))
        d->object = place__arena_printf(d->a, "%s %s/%s", kind, ns, name);
    else
        d->object = place__arena_printf(d->a, "%s %s", kind, name);
    if (!d->object)
        return doom(d);
    {
        size_t old = path_push_key(d, "metadata");
        memset(&labels, 0, sizeof labels);
        FIELD(d, meta, "labels", decode_labels(d, fv, &labels));
        path_pop(d, old);
    }

    switch (k) {
    case PLACE__KIND_POD:
    case PLACE__KIND_DEPLOYMENT:
    case PLACE__KIND_REPLICASET:
    case PLACE__KIND_STATEFULSET:
    case PLACE__KIND_JOB:
        rc = decode_workload(d, k, root, ns, name);
        break;
    case PLACE__KIND_NODE:
        rc = decode_node(d, root, name, &labels);
        break;
    case PLACE__KIND_CLUSTER_ADVERTISEMENT:
        rc = decode_advertisement(d, root, name, &labels);
        break;
    case PLACE__KIND_PRIORITY_CLASS:
        rc = decode_priority_class(d, root, name);
        break;
    case PLACE__KIND_NAMESPACE_OFFLOADING:
        rc = decode_offloading(d, root, ns, name);
        break;
    case PLACE__KIND_PLACEMENT_POLICY:
        rc = decode_policy(d, root, name);
        break;
    default:
        rc = PLACE_OK;
        break;
    }
    return rc;
}

int place__decode(place_ctx *ctx, place__model *m,
                  const struct place__docs *docs, const char *source)
{
    dec d;
    size_t i;
    int rc = PLACE_OK;
    /* what to roll back to on failure */
    place__model_mark mark;

    place__model_mark_take(m, &mark);
    memset(&d, 0, sizeof d);
    d.ctx = ctx;
    d.m = m;
    d.a = &m->arena;
    d.source = source;
    for (i = 0; i < docs->count && rc == PLACE_OK; i++) {
        d.plen = 0;
        d.path[0] = '\0';
        d.object = NULL;
        rc = decode_object(&d, docs->items[i].root);
    }
    if (rc != PLACE_OK) {
        place__model_rollback(m, &mark);
        return rc;
    }
    m->finalized = false;
    return PLACE_OK;
}

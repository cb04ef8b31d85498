/*
 * test_conformance.c: kube-scheduler's own unit tests, as data.
 *
 * Reads ../shared/conformance/{node-affinity,taints,resource-fit}.yaml (see
 * README.md there: cases re-stated from upstream test tables) with libyaml,
 * turns every case into documents for libplace (a Node, the already-bound
 * Pods of resource-fit cases, and the case's Pod, its spec emitted exactly as
 * written, scalar styles included), solves, and compares with `expect`:
 *
 *   feasible                     the candidate's verdict
 *   parse_error                  a bad-input error, or no feasible target
 *   score_raw                    the NodeAffinity score term
 *   prefer_no_schedule_untolerated  minus the TaintToleration score term
 *   score_normalized             kube's DefaultNormalizeScore over the
 *                                libplace raw values of the cases of the
 *                                same `group` (checked when the group's
 *                                top-scoring member is in the sample, see
 *                                group_usable)
 *   reasons                      the candidate's reasons: code
 *                                NodeResourcesFit and the message's phrase
 *                                before ':', in order
 *
 * (expect.tolerated is a function-level assertion, expect.unresolvable and
 * expect.insufficient have no counterpart in place.h: not compared.)
 *
 * Out of scope, as the README says: cases with scheduler_args, with a
 * feature gate set to false, with DRAExtendedResource, and quantities
 * flagged negative_rounding_unspecified. Upstream rows that leave the node
 * name unset get a synthetic name, except when the pod has matchFields: then
 * the outcome depends on the empty name (kube gives such a node no fields,
 * and its PreFilter keeps it out of metadata.name In sets) while a real
 * Node always has a name (the decoder refuses ""), so the case is skipped
 * and counted. `node: null` (parse-only rows) gets a synthetic, label-less
 * node. Upstream rows name nodes as no API server would ("nodeA",
 * "host_1": a Node's name is a DNS-1123 subdomain, which libplace checks);
 * such a node is renamed RENAMED_NODE, and every matchFields value equal to
 * its upstream name is renamed with it, so that metadata.name matches
 * exactly as upstream (the name plays no other part in a case; the count
 * is printed). A node without `allocatable` (affinity and taint rows, whose
 * upstream tests run one plugin) gets `pods: 110`, the kubelet's default,
 * so that NodeResourcesFit does not reject it for "Too many pods".
 *
 * A refused input (PLACE_ESCHEMA) is accepted when the case expects a parse
 * error or an infeasible pod, or when this file's own model of the API
 * server's validation says the API would never admit the input (upstream
 * unit tests call the scheduler with objects no API server stores); each of
 * those is printed with its reason. Every other mismatch is a failure; the
 * failures of a file are reported together.
 */
#include <criterion/criterion.h>
#include <yaml.h>

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "place.h"
#include "support.h"

#define SYNTHETIC_NODE "unnamed-node"
#define RENAMED_NODE "renamed-node"
#define POD_NAME "pod"
#define POD_NS "default"

/* ---- a growable string ---------------------------------------------------- */

typedef struct sbuf {
    char *data;
    size_t len, cap;
} sbuf;

static void sb_append(sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->len + n + 1)
            cap *= 2;
        p = realloc(b->data, cap);
        cr_assert_not_null(p, "out of memory");
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    cr_assert(n >= 0);
    if ((size_t)n < sizeof small) {
        sb_append(b, small, (size_t)n);
        return;
    }
    {
        char *big = malloc((size_t)n + 1);
        cr_assert_not_null(big);
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        sb_append(b, big, (size_t)n);
        free(big);
    }
}

static const char *sb_str(const sbuf *b)
{
    return b->data ? b->data : "";
}

static void sb_free(sbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

/* ---- reading the case files ------------------------------------------------ */

typedef struct ydoc {
    yaml_document_t doc;
    bool loaded;
} ydoc;

static yaml_node_t *node_at(yaml_document_t *d, int i)
{
    return i ? yaml_document_get_node(d, i) : NULL;
}

static const char *scalar(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)n->data.scalar.value;
}

static bool is_null(const yaml_node_t *n)
{
    const char *s;
    if (!n)
        return true;
    if (n->type != YAML_SCALAR_NODE ||
        n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    s = scalar(n);
    return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
           !strcmp(s, "Null") || !strcmp(s, "NULL");
}

static yaml_node_t *map_get(yaml_document_t *d, const yaml_node_t *map,
                            const char *key)
{
    yaml_node_pair_t *p;
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
         p++) {
        const char *k = scalar(node_at(d, p->key));
        if (k && strcmp(k, key) == 0)
            return node_at(d, p->value);
    }
    return NULL;
}

static size_t seq_len(const yaml_node_t *n)
{
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static yaml_node_t *seq_at(yaml_document_t *d, const yaml_node_t *n, size_t i)
{
    return node_at(d, n->data.sequence.items.start[i]);
}

static bool get_bool(yaml_document_t *d, const yaml_node_t *map,
                     const char *key, bool *present)
{
    const char *s = scalar(map_get(d, map, key));
    *present = s && (!strcmp(s, "true") || !strcmp(s, "false"));
    return s && !strcmp(s, "true");
}

static bool get_int(yaml_document_t *d, const yaml_node_t *map,
                    const char *key, long long *out)
{
    const char *s = scalar(map_get(d, map, key));
    char *end;
    if (!s || !*s)
        return false;
    errno = 0;
    *out = strtoll(s, &end, 10);
    return errno == 0 && *end == '\0';
}

/* ---- writing documents for libplace (libyaml's emitter) -------------------- */

static int write_handler(void *data, unsigned char *buffer, size_t size)
{
    sb_append(data, (const char *)buffer, size);
    return 1;
}

typedef struct em {
    yaml_emitter_t e;
    sbuf out;
} em;

static void emit(em *m, yaml_event_t *ev)
{
    cr_assert(yaml_emitter_emit(&m->e, ev), "libyaml emitter: %s",
              m->e.problem ? m->e.problem : "?");
}

static void em_scalar(em *m, const char *s)
{
    yaml_event_t ev;
    cr_assert(yaml_scalar_event_initialize(&ev, NULL, NULL,
                                           (yaml_char_t *)s, (int)strlen(s),
                                           1, 1, YAML_ANY_SCALAR_STYLE));
    emit(m, &ev);
}

static void em_map_start(em *m)
{
    yaml_event_t ev;
    cr_assert(yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                  YAML_BLOCK_MAPPING_STYLE));
    emit(m, &ev);
}

static void em_map_end(em *m)
{
    yaml_event_t ev;
    cr_assert(yaml_mapping_end_event_initialize(&ev));
    emit(m, &ev);
}

/* A renamed node: its upstream name and the name it is given. */
typedef struct node_rename {
    const char *from, *to;
} rename_t;

/* A copy of node n of d, scalar styles and explicit tags kept; inside
 * matchFields (in_fields), a scalar equal to rn->from becomes rn->to. */
static void em_copy_r(em *m, yaml_document_t *d, const yaml_node_t *n,
                      unsigned depth, const rename_t *rn, bool in_fields)
{
    yaml_event_t ev;
    cr_assert(depth < 64, "case nested too deeply");
    switch (n->type) {
    case YAML_SCALAR_NODE: {
        bool dflt = !n->tag ||
                    !strcmp((const char *)n->tag, YAML_DEFAULT_SCALAR_TAG);
        const yaml_char_t *v = n->data.scalar.value;
        int len = (int)n->data.scalar.length;
        if (in_fields && rn && strlen(rn->from) == n->data.scalar.length &&
            memcmp(rn->from, v, n->data.scalar.length) == 0) {
            v = (const yaml_char_t *)rn->to;
            len = (int)strlen(rn->to);
        }
        cr_assert(yaml_scalar_event_initialize(
            &ev, NULL, dflt ? NULL : n->tag, (yaml_char_t *)v, len, dflt,
            dflt, n->data.scalar.style));
        emit(m, &ev);
        break;
    }
    case YAML_SEQUENCE_NODE: {
        yaml_node_item_t *it;
        cr_assert(yaml_sequence_start_event_initialize(
            &ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE));
        emit(m, &ev);
        for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
             it++)
            em_copy_r(m, d, node_at(d, *it), depth + 1, rn, in_fields);
        cr_assert(yaml_sequence_end_event_initialize(&ev));
        emit(m, &ev);
        break;
    }
    case YAML_MAPPING_NODE: {
        yaml_node_pair_t *p;
        em_map_start(m);
        for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            const yaml_node_t *k = node_at(d, p->key);
            bool fields = in_fields ||
                          (k->type == YAML_SCALAR_NODE &&
                           !strcmp((const char *)k->data.scalar.value,
                                   "matchFields"));
            em_copy_r(m, d, k, depth + 1, rn, in_fields);
            em_copy_r(m, d, node_at(d, p->value), depth + 1, rn, fields);
        }
        em_map_end(m);
        break;
    }
    default:
        cr_assert_fail("unexpected YAML node type %d", (int)n->type);
    }
}

static void em_copy(em *m, yaml_document_t *d, const yaml_node_t *n,
                    unsigned depth)
{
    em_copy_r(m, d, n, depth, NULL, false);
}

static void em_begin(em *m)
{
    yaml_event_t ev;
    memset(m, 0, sizeof *m);
    cr_assert(yaml_emitter_initialize(&m->e));
    yaml_emitter_set_output(&m->e, write_handler, &m->out);
    yaml_emitter_set_unicode(&m->e, 1);
    cr_assert(yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
    emit(m, &ev);
}

static void em_doc_start(em *m)
{
    yaml_event_t ev;
    cr_assert(yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0));
    emit(m, &ev);
}

static void em_doc_end(em *m)
{
    yaml_event_t ev;
    cr_assert(yaml_document_end_event_initialize(&ev, 1));
    emit(m, &ev);
}

static void em_end(em *m)
{
    yaml_event_t ev;
    cr_assert(yaml_stream_end_event_initialize(&ev));
    emit(m, &ev);
    cr_assert(yaml_emitter_flush(&m->e));
    yaml_emitter_delete(&m->e);
}

/* A Pod whose spec is the mapping `spec` of the case (or {}), plus
 * nodeName when given. */
static void em_pod(em *m, yaml_document_t *d, const yaml_node_t *spec,
                   const char *name, const char *node_name,
                   const rename_t *rn)
{
    yaml_node_pair_t *p;
    em_doc_start(m);
    em_map_start(m);
    em_scalar(m, "apiVersion");
    em_scalar(m, "v1");
    em_scalar(m, "kind");
    em_scalar(m, "Pod");
    em_scalar(m, "metadata");
    em_map_start(m);
    em_scalar(m, "name");
    em_scalar(m, name);
    em_scalar(m, "namespace");
    em_scalar(m, POD_NS);
    em_map_end(m);
    em_scalar(m, "spec");
    em_map_start(m);
    if (spec && spec->type == YAML_MAPPING_NODE)
        for (p = spec->data.mapping.pairs.start;
             p < spec->data.mapping.pairs.top; p++) {
            const yaml_node_t *k = node_at(d, p->key);
            em_copy(m, d, k, 1);
            /* matchFields lie under affinity: none at this level */
            em_copy_r(m, d, node_at(d, p->value), 1, rn, false);
        }
    if (node_name) {
        em_scalar(m, "nodeName");
        em_scalar(m, node_name);
    }
    em_map_end(m);
    em_map_end(m);
    em_doc_end(m);
}

static void em_node(em *m, yaml_document_t *d, const yaml_node_t *node,
                    const char *name)
{
    yaml_node_t *labels = map_get(d, node, "labels");
    yaml_node_t *taints = map_get(d, node, "taints");
    yaml_node_t *alloc = map_get(d, node, "allocatable");
    yaml_node_t *unsched = map_get(d, node, "unschedulable");

    em_doc_start(m);
    em_map_start(m);
    em_scalar(m, "apiVersion");
    em_scalar(m, "v1");
    em_scalar(m, "kind");
    em_scalar(m, "Node");
    em_scalar(m, "metadata");
    em_map_start(m);
    em_scalar(m, "name");
    em_scalar(m, name);
    if (labels && !is_null(labels)) {
        em_scalar(m, "labels");
        em_copy(m, d, labels, 1);
    }
    em_map_end(m);
    if ((taints && !is_null(taints)) || (unsched && !is_null(unsched))) {
        em_scalar(m, "spec");
        em_map_start(m);
        if (taints && !is_null(taints)) {
            em_scalar(m, "taints");
            em_copy(m, d, taints, 1);
        }
        if (unsched && !is_null(unsched)) {
            em_scalar(m, "unschedulable");
            em_copy(m, d, unsched, 1);
        }
        em_map_end(m);
    }
    em_scalar(m, "status");
    em_map_start(m);
    em_scalar(m, "allocatable");
    if (alloc && !is_null(alloc)) {
        em_copy(m, d, alloc, 1);
    } else {
        /* The upstream affinity and taint tests run only their plugin; a
         * node without allocatable would fail NodeResourcesFit ("Too many
         * pods"), so give it the kubelet's default pod count. */
        em_map_start(m);
        em_scalar(m, "pods");
        em_scalar(m, "110");
        em_map_end(m);
    }
    em_map_end(m);
    em_map_end(m);
    em_doc_end(m);
}

/* A Node's name as the API server admits it: a DNS-1123 subdomain
 * (lower-case alphanumerics, '-' and '.', alphanumeric at both ends of
 * every dot-separated part, at most 253 characters). */
static bool dns_subdomain(const char *s)
{
    size_t n = strlen(s), i;
    bool start = true;
    if (n == 0 || n > 253)
        return false;
    for (i = 0; i < n; i++) {
        char c = s[i];
        bool an = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (c == '.') {
            if (start || s[i - 1] == '-')
                return false;
            start = true;
        } else if (an) {
            start = false;
        } else if (c != '-' || start) {
            return false;
        }
    }
    return !start && s[n - 1] != '-';
}

/* ---- the API server's validation, as far as these cases need it ------------
 * Used only to decide whether a refusal is of the "the API server would
 * never admit this" kind. */

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

static bool valid_label_value(const char *s)
{
    size_t n = strlen(s), i;
    if (n == 0)
        return true;
    if (n > 63 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
        return false;
    for (i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return true;
}

static bool valid_qualified_name(const char *s)
{
    const char *slash = strchr(s, '/');
    const char *name = s;
    if (slash) {
        size_t n = (size_t)(slash - s), i;
        if (n == 0 || n > 253)
            return false;
        for (i = 0; i < n; i++) {
            char c = s[i];
            bool an = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!an && c != '-' && c != '.')
                return false;
            if (!an && (i == 0 || i == n - 1))
                return false;
        }
        name = slash + 1;
    }
    return *name && valid_label_value(name);
}

/* content.IsDecimalInteger plus the int64 range. */
static bool canonical_int64(const char *s)
{
    size_t i = 0, n = strlen(s);
    unsigned long long v = 0, lim;
    if (n == 0)
        return false;
    if (s[0] == '-')
        i = 1;
    if (i == n || s[i] < '1' || s[i] > '9')
        return n == 1 && s[0] == '0';
    lim = i ? 9223372036854775808ULL : 9223372036854775807ULL;
    for (; i < n; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9')
            return false;
        d = (unsigned)(s[i] - '0');
        if (v > (lim - d) / 10)
            return false;
        v = v * 10 + d;
    }
    return true;
}

static const char *str_or_empty(const yaml_node_t *n)
{
    const char *s = scalar(n);
    return s && !is_null(n) ? s : "";
}

static bool api_requirement(yaml_document_t *d, const yaml_node_t *r,
                            bool field, bool required, sbuf *why)
{
    const char *key = str_or_empty(map_get(d, r, "key"));
    const char *op = str_or_empty(map_get(d, r, "operator"));
    yaml_node_t *vals = map_get(d, r, "values");
    size_t nv = seq_len(vals), i;

    if (field) {
        if (strcmp(key, "metadata.name") != 0) {
            sb_printf(why, "matchFields key \"%s\" is not metadata.name",
                      key);
            return false;
        }
        if (strcmp(op, "In") && strcmp(op, "NotIn")) {
            sb_printf(why, "matchFields operator \"%s\" is not In/NotIn", op);
            return false;
        }
        if (nv != 1) {
            sb_printf(why, "matchFields %s with %zu values (must be one)", op,
                      nv);
            return false;
        }
        return true;
    }
    if (!valid_qualified_name(key)) {
        sb_printf(why, "invalid label key \"%s\"", key);
        return false;
    }
    if (!strcmp(op, "In") || !strcmp(op, "NotIn")) {
        if (nv == 0) {
            sb_printf(why, "%s without values", op);
            return false;
        }
    } else if (!strcmp(op, "Exists") || !strcmp(op, "DoesNotExist")) {
        if (nv) {
            sb_printf(why, "%s with values", op);
            return false;
        }
    } else if (!strcmp(op, "Gt") || !strcmp(op, "Lt")) {
        if (nv != 1) {
            sb_printf(why, "%s with %zu values (must be one)", op, nv);
            return false;
        }
    } else {
        sb_printf(why, "unknown operator \"%s\"", op);
        return false;
    }
    if (required)
        for (i = 0; i < nv; i++)
            if (!valid_label_value(str_or_empty(seq_at(d, vals, i)))) {
                sb_printf(why, "required affinity value \"%s\" is not a "
                               "label value",
                          str_or_empty(seq_at(d, vals, i)));
                return false;
            }
    return true;
}

static bool api_term(yaml_document_t *d, const yaml_node_t *t, bool required,
                     sbuf *why)
{
    yaml_node_t *e = map_get(d, t, "matchExpressions");
    yaml_node_t *f = map_get(d, t, "matchFields");
    size_t i;
    for (i = 0; i < seq_len(e); i++)
        if (!api_requirement(d, seq_at(d, e, i), false, required, why))
            return false;
    for (i = 0; i < seq_len(f); i++)
        if (!api_requirement(d, seq_at(d, f, i), true, required, why))
            return false;
    return true;
}

static bool api_toleration(yaml_document_t *d, const yaml_node_t *t,
                           sbuf *why)
{
    const char *key = str_or_empty(map_get(d, t, "key"));
    const char *op = str_or_empty(map_get(d, t, "operator"));
    const char *val = str_or_empty(map_get(d, t, "value"));
    const char *eff = str_or_empty(map_get(d, t, "effect"));

    if (*key && !valid_qualified_name(key)) {
        sb_printf(why, "invalid toleration key \"%s\"", key);
        return false;
    }
    if (!*key && strcmp(op, "Exists")) {
        sb_printf(why, "empty toleration key with operator \"%s\"", op);
        return false;
    }
    if (!*op || !strcmp(op, "Equal")) {
        if (!valid_label_value(val)) {
            sb_printf(why, "toleration value \"%s\" is not a label value",
                      val);
            return false;
        }
    } else if (!strcmp(op, "Exists")) {
        if (*val) {
            sb_printf(why, "toleration Exists with value \"%s\"", val);
            return false;
        }
    } else if (!strcmp(op, "Gt") || !strcmp(op, "Lt")) {
        if (!canonical_int64(val)) {
            sb_printf(why, "toleration %s value \"%s\" is not a canonical "
                           "int64",
                      op, val);
            return false;
        }
    } else {
        sb_printf(why, "unknown toleration operator \"%s\"", op);
        return false;
    }
    if (*eff && strcmp(eff, "NoSchedule") && strcmp(eff, "PreferNoSchedule") &&
        strcmp(eff, "NoExecute")) {
        sb_printf(why, "unknown toleration effect \"%s\"", eff);
        return false;
    }
    return true;
}

static bool api_quantities(yaml_document_t *d, const yaml_node_t *list,
                           sbuf *why)
{
    yaml_node_pair_t *p;
    if (!list || list->type != YAML_MAPPING_NODE)
        return true;
    for (p = list->data.mapping.pairs.start; p < list->data.mapping.pairs.top;
         p++) {
        const char *v = scalar(node_at(d, p->value));
        if (v && v[0] == '-') {
            sb_printf(why, "negative quantity %s: %s",
                      scalar(node_at(d, p->key)), v);
            return false;
        }
    }
    return true;
}

static bool api_containers(yaml_document_t *d, const yaml_node_t *seq,
                           sbuf *why)
{
    size_t i;
    for (i = 0; i < seq_len(seq); i++) {
        yaml_node_t *res = map_get(d, seq_at(d, seq, i), "resources");
        if (!api_quantities(d, map_get(d, res, "requests"), why) ||
            !api_quantities(d, map_get(d, res, "limits"), why))
            return false;
    }
    return true;
}

/* True when the API server would admit the node and the pod; otherwise
 * false with the first reason in *why. */
static bool api_admits(yaml_document_t *d, const yaml_node_t *node,
                       const yaml_node_t *pod, sbuf *why)
{
    yaml_node_t *labels = map_get(d, node, "labels");
    yaml_node_t *taints = map_get(d, node, "taints");
    yaml_node_t *na = map_get(d, map_get(d, pod, "affinity"), "nodeAffinity");
    yaml_node_t *req =
        map_get(d, na, "requiredDuringSchedulingIgnoredDuringExecution");
    yaml_node_t *pref =
        map_get(d, na, "preferredDuringSchedulingIgnoredDuringExecution");
    yaml_node_t *tols = map_get(d, pod, "tolerations");
    yaml_node_t *sel = map_get(d, pod, "nodeSelector");
    yaml_node_pair_t *p;
    size_t i;

    if (labels && labels->type == YAML_MAPPING_NODE)
        for (p = labels->data.mapping.pairs.start;
             p < labels->data.mapping.pairs.top; p++) {
            const char *k = str_or_empty(node_at(d, p->key));
            const char *v = str_or_empty(node_at(d, p->value));
            if (!valid_qualified_name(k) || !valid_label_value(v)) {
                sb_printf(why, "node label %s=%s is invalid", k, v);
                return false;
            }
        }
    for (i = 0; i < seq_len(taints); i++) {
        yaml_node_t *t = seq_at(d, taints, i);
        const char *k = str_or_empty(map_get(d, t, "key"));
        const char *v = str_or_empty(map_get(d, t, "value"));
        if (!valid_qualified_name(k)) {
            sb_printf(why, "invalid taint key \"%s\"", k);
            return false;
        }
        if (!valid_label_value(v)) {
            sb_printf(why, "taint value \"%s\" is not a label value (Node "
                           "validation)",
                      v);
            return false;
        }
    }
    if (sel && sel->type == YAML_MAPPING_NODE)
        for (p = sel->data.mapping.pairs.start;
             p < sel->data.mapping.pairs.top; p++) {
            const char *k = str_or_empty(node_at(d, p->key));
            const char *v = str_or_empty(node_at(d, p->value));
            if (!valid_qualified_name(k) || !valid_label_value(v)) {
                sb_printf(why, "nodeSelector %s=%s is invalid", k, v);
                return false;
            }
        }
    if (req && !is_null(req)) {
        yaml_node_t *terms = map_get(d, req, "nodeSelectorTerms");
        if (seq_len(terms) == 0) {
            sb_printf(why, "required node selector without terms");
            return false;
        }
        for (i = 0; i < seq_len(terms); i++)
            if (!api_term(d, seq_at(d, terms, i), true, why))
                return false;
    }
    for (i = 0; i < seq_len(pref); i++) {
        yaml_node_t *t = seq_at(d, pref, i);
        long long w = 0;
        if (!get_int(d, t, "weight", &w) || w < 1 || w > 100) {
            sb_printf(why, "preferred weight %lld outside 1..100", w);
            return false;
        }
        if (!api_term(d, map_get(d, t, "preference"), false, why))
            return false;
    }
    for (i = 0; i < seq_len(tols); i++)
        if (!api_toleration(d, seq_at(d, tols, i), why))
            return false;
    if (!api_containers(d, map_get(d, pod, "containers"), why) ||
        !api_containers(d, map_get(d, pod, "initContainers"), why) ||
        !api_quantities(d, map_get(d, pod, "overhead"), why) ||
        !api_quantities(d,
                        map_get(d, map_get(d, pod, "resources"), "requests"),
                        why))
        return false;
    return true;
}

/* ---- running one file ------------------------------------------------------ */

typedef enum score_kind { SCORE_AFFINITY, SCORE_TAINT } score_kind;

/* What a case left for the normalisation pass. */
typedef struct scored {
    const char *name;
    const char *group;
    long long want_raw;   /* expected raw (score_raw or untolerated count) */
    bool has_want_raw;
    long long want_norm;
    long long got_raw;    /* libplace's raw */
} scored;

typedef struct runner {
    const char *file;
    score_kind kind;
    yaml_document_t *d;
    place_ctx *ctx;
    size_t total, checked, refused;
    size_t skip_args, skip_gate_off, skip_dra, skip_negative,
        skip_empty_name, skip_nothing, renamed;
    size_t refused_parse_error, refused_infeasible, refused_api;
    size_t norm_checked, norm_groups_incomplete;
    size_t nfail;
    sbuf failures;
    sbuf api_refusals;  /* refused, accepted because the API rejects it */
    sbuf refusals;      /* every other accepted refusal */
    sbuf unnamed;       /* skipped: unnamed node with matchFields */
    scored *scores;
    size_t nscores;
} runner;

static void fail(runner *r, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(runner *r, const char *name, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sb_printf(&r->failures, "\n  [%s] %s", name, msg);
    r->nfail++;
}

/* Any mapping key `key` anywhere under n. */
static bool has_key_deep(yaml_document_t *d, const yaml_node_t *n,
                         const char *key, unsigned depth)
{
    if (!n || depth > 64)
        return false;
    if (n->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *p;
        for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            const char *k = scalar(node_at(d, p->key));
            if (k && !strcmp(k, key))
                return true;
            if (has_key_deep(d, node_at(d, p->value), key, depth + 1))
                return true;
        }
    } else if (n->type == YAML_SEQUENCE_NODE) {
        size_t i;
        for (i = 0; i < seq_len(n); i++)
            if (has_key_deep(d, seq_at(d, n, i), key, depth + 1))
                return true;
    }
    return false;
}

/* Why the case is out of scope, or NULL. */
static const char *out_of_scope(runner *r, const yaml_node_t *c)
{
    yaml_document_t *d = r->d;
    yaml_node_t *gates = map_get(d, c, "feature_gates");
    yaml_node_t *args = map_get(d, c, "scheduler_args");

    if (args && !is_null(args)) {
        r->skip_args++;
        return "scheduler_args";
    }
    if (gates && gates->type == YAML_MAPPING_NODE) {
        yaml_node_pair_t *p;
        if (map_get(d, gates, "DRAExtendedResource")) {
            r->skip_dra++;
            return "DRAExtendedResource";
        }
        for (p = gates->data.mapping.pairs.start;
             p < gates->data.mapping.pairs.top; p++) {
            const char *v = scalar(node_at(d, p->value));
            if (v && !strcmp(v, "false")) {
                r->skip_gate_off++;
                return "feature gate false";
            }
        }
    }
    if (has_key_deep(d, c, "negative_rounding_unspecified", 0)) {
        r->skip_negative++;
        return "negative rounding";
    }
    return NULL;
}

static const place_candidate *find_candidate(const place_result *res,
                                             const char *target)
{
    const place_workload *w = place_result_find_workload(res, POD_NS,
                                                         POD_NAME);
    size_t i;
    if (!w)
        return NULL;
    for (i = 0; i < place_workload_candidate_count(w); i++) {
        const place_candidate *c = place_workload_candidate(w, i);
        if (!strcmp(place_candidate_target(c), target))
            return c;
    }
    return NULL;
}

static int64_t score_term(const place_candidate *c, const char *code)
{
    size_t i;
    for (i = 0; i < place_candidate_score_term_count(c); i++)
        if (!strcmp(place_candidate_score_term_code(c, i), code))
            return place_candidate_score_term_value(c, i);
    return 0;
}

/* Is name one of the fixed-order resources NodeResourcesFit checks first
 * (pods, cpu, memory, ephemeral-storage)? The others (scalar resources)
 * come out of a Go map, in no fixed order. */
static bool fixed_order_phrase(const char *phrase)
{
    return !strcmp(phrase, "Too many pods") ||
           !strcmp(phrase, "Insufficient cpu") ||
           !strcmp(phrase, "Insufficient memory") ||
           !strcmp(phrase, "Insufficient ephemeral-storage");
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Compare the candidate's reasons with expect.reasons. */
static void check_reasons(runner *r, const char *name, const place_candidate *c,
                          const yaml_node_t *want)
{
    yaml_document_t *d = r->d;
    size_t n = place_candidate_reason_count(c), nw = seq_len(want), i;
    char **got = calloc(n + 1, sizeof *got);
    const char **exp = calloc(nw + 1, sizeof *exp);
    sbuf gs = {0}, ws = {0};
    bool same = n == nw;

    cr_assert(got && exp);
    for (i = 0; i < n; i++) {
        const char *msg = place_candidate_reason_message(c, i);
        const char *colon = strchr(msg, ':');
        size_t len = colon ? (size_t)(colon - msg) : strlen(msg);
        int code = place_candidate_reason_code(c, i);
        sbuf one = {0};
        if (code != PLACE_REASON_NODE_RESOURCES_FIT)
            sb_printf(&one, "%s: ", place_reason_code_name(code));
        sb_append(&one, msg, len);
        got[i] = one.data;
        sb_printf(&gs, "%s\"%s\"", i ? ", " : "", got[i]);
    }
    for (i = 0; i < nw; i++) {
        exp[i] = str_or_empty(seq_at(d, want, i));
        sb_printf(&ws, "%s\"%s\"", i ? ", " : "", exp[i]);
    }
    if (same) {
        /* the fixed-order prefix in order, the scalar tail as a set */
        size_t k = 0;
        while (k < n && fixed_order_phrase(exp[k]))
            k++;
        for (i = 0; i < k && same; i++)
            same = !strcmp(got[i], exp[i]);
        if (same) {
            qsort(got + k, n - k, sizeof *got, str_cmp);
            qsort(exp + k, n - k, sizeof *exp, str_cmp);
            for (i = k; i < n && same; i++)
                same = !strcmp(got[i], exp[i]);
        }
    }
    if (!same)
        fail(r, name, "reasons [%s], expected [%s]", sb_str(&gs), sb_str(&ws));
    for (i = 0; i < n; i++)
        free(got[i]);
    free(got);
    free(exp);
    sb_free(&gs);
    sb_free(&ws);
}

static void run_case(runner *r, const yaml_node_t *c, size_t index)
{
    yaml_document_t *d = r->d;
    yaml_node_t *node = map_get(d, c, "node");
    yaml_node_t *pod = map_get(d, c, "pod");
    yaml_node_t *expect = map_get(d, c, "expect");
    yaml_node_t *bound = map_get(d, node, "pods");
    yaml_node_t *reasons = map_get(d, expect, "reasons");
    const char *name = scalar(map_get(d, c, "name"));
    const char *group = scalar(map_get(d, c, "group"));
    const char *node_name = scalar(map_get(d, node, "name"));
    char fallback[64];
    bool parse_error, has_parse_error, feasible, has_feasible;
    long long score_raw = 0, untol = 0, norm = 0;
    bool has_raw, has_untol, has_norm;
    place_problem *pb = NULL;
    place_result *res = NULL;
    const place_candidate *cand;
    rename_t rn;
    em m;
    size_t i;
    int rc;

    r->total++;
    if (!name) {
        snprintf(fallback, sizeof fallback, "case #%zu", index);
        name = fallback;
    }
    if (out_of_scope(r, c))
        return;
    parse_error = get_bool(d, expect, "parse_error", &has_parse_error) &&
                  has_parse_error;
    feasible = get_bool(d, expect, "feasible", &has_feasible);
    has_raw = get_int(d, expect, "score_raw", &score_raw);
    has_untol = get_int(d, expect, "prefer_no_schedule_untolerated", &untol);
    has_norm = get_int(d, expect, "score_normalized", &norm);
    if (!parse_error && !has_feasible && !has_raw && !has_untol && !has_norm &&
        !seq_len(reasons)) {
        r->skip_nothing++;
        return;
    }
    if (!node_name || !*node_name || is_null(map_get(d, node, "name"))) {
        /* kube gives a node without a name no fields: matchFields are
         * skipped. A Node always has a name; such a case cannot be put.
         * (node: null is a parse-only case: no node is evaluated.) */
        if (node && node->type == YAML_MAPPING_NODE &&
            has_key_deep(d, map_get(d, pod, "affinity"), "matchFields", 0)) {
            r->skip_empty_name++;
            sb_printf(&r->unnamed, "\n  [%s]", name);
            return;
        }
        node_name = SYNTHETIC_NODE;
    }
    rn.from = node_name;
    rn.to = node_name;
    if (!dns_subdomain(node_name)) {
        rn.to = node_name = RENAMED_NODE;
        r->renamed++;
    }

    em_begin(&m);
    em_node(&m, d, node && node->type == YAML_MAPPING_NODE ? node : NULL,
            node_name);
    for (i = 0; i < seq_len(bound); i++) {
        char bname[32];
        snprintf(bname, sizeof bname, "bound-%zu", i);
        em_pod(&m, d, seq_at(d, bound, i), bname, node_name, &rn);
    }
    em_pod(&m, d, pod, POD_NAME, NULL, &rn);
    em_end(&m);

    cr_assert_eq(place_problem_new(&pb, r->ctx), PLACE_OK);
    rc = place_problem_add_document(pb, m.out.data, m.out.len,
                                    PLACE_FORMAT_YAML, name);
    if (rc == PLACE_OK)
        rc = place_solve(&res, pb, NULL);
    if (rc != PLACE_OK) {
        sbuf why = {0};
        const char *err = place_errmsg(r->ctx);
        r->refused++;
        if (rc != PLACE_ESCHEMA) {
            fail(r, name, "error %d (%s): %s", rc, place_strerror(rc), err);
        } else if (parse_error) {
            r->refused_parse_error++;
            sb_printf(&r->refusals, "\n  [%s] expects a parse error; "
                                    "libplace: %s", name, err);
        } else if (has_feasible && !feasible) {
            r->refused_infeasible++;
            sb_printf(&r->refusals, "\n  [%s] expects infeasible; "
                                    "libplace: %s", name, err);
        } else if (!api_admits(d, node, pod, &why)) {
            r->refused_api++;
            sb_printf(&r->api_refusals, "\n  [%s] %s (libplace: %s)", name,
                      sb_str(&why), err);
        } else {
            fail(r, name, "refused, but the API server admits it: %s", err);
        }
        sb_free(&why);
        goto done;
    }
    cand = find_candidate(res, node_name);
    if (!cand) {
        fail(r, name, "no candidate %s for %s/%s", node_name, POD_NS,
             POD_NAME);
        goto done;
    }
    r->checked++;
    if (parse_error) {
        if (place_candidate_feasible(cand))
            fail(r, name, "expected a parse error (or no feasible target), "
                          "got feasible");
        goto done;
    }
    if (has_feasible && !!place_candidate_feasible(cand) != feasible) {
        sbuf why = {0};
        for (i = 0; i < place_candidate_reason_count(cand); i++)
            sb_printf(&why, "; %s: %s",
                      place_reason_code_name(
                          place_candidate_reason_code(cand, i)),
                      place_candidate_reason_message(cand, i));
        fail(r, name, "feasible=%d, expected %d%s",
             place_candidate_feasible(cand), feasible, sb_str(&why));
        sb_free(&why);
    }
    if (has_raw && score_term(cand, "NodeAffinity") != score_raw)
        fail(r, name, "NodeAffinity score %lld, expected score_raw %lld",
             (long long)score_term(cand, "NodeAffinity"), score_raw);
    if (has_untol && -score_term(cand, "TaintToleration") != untol)
        fail(r, name,
             "TaintToleration score %lld, expected -%lld (untolerated "
             "PreferNoSchedule taints)",
             (long long)score_term(cand, "TaintToleration"), untol);
    if (reasons && reasons->type == YAML_SEQUENCE_NODE &&
        !place_candidate_feasible(cand))
        check_reasons(r, name, cand, reasons);
    if (has_norm && group) {
        scored *s;
        r->scores = realloc(r->scores, (r->nscores + 1) * sizeof *r->scores);
        cr_assert_not_null(r->scores);
        s = &r->scores[r->nscores++];
        s->name = name;
        s->group = group;
        s->want_norm = norm;
        s->has_want_raw = r->kind == SCORE_AFFINITY ? has_raw : has_untol;
        s->want_raw = r->kind == SCORE_AFFINITY ? score_raw : untol;
        s->got_raw = r->kind == SCORE_AFFINITY
                         ? score_term(cand, "NodeAffinity")
                         : -score_term(cand, "TaintToleration");
    }
done:
    place_result_free(res);
    place_problem_free(pb);
    sb_free(&m.out);
}

/* kube's DefaultNormalizeScore with maxPriority 100. */
static long long normalize(long long raw, long long max, bool reverse)
{
    long long s;
    if (max == 0)
        return reverse ? 100 : 0;
    s = 100 * raw / max;
    return reverse ? 100 - s : s;
}

/* The normalised scores of a group are computed over the members present
 * in this sample (some may be elsewhere, or skipped). That gives kube's
 * numbers exactly when the member with the largest raw value is present:
 * for NodeAffinity the one normalised to 100, for TaintToleration (reversed)
 * the one normalised to 0. A group whose every member is normalised to the
 * other end (0, or 100 reversed) is usable when all raw values are 0. */
static bool group_usable(const runner *r, const char *group)
{
    bool reverse = r->kind == SCORE_TAINT;
    long long anchor = reverse ? 0 : 100, other = reverse ? 100 : 0;
    bool all_other = true, raws_zero = true;
    size_t j;

    for (j = 0; j < r->nscores; j++) {
        const scored *s = &r->scores[j];
        if (strcmp(s->group, group))
            continue;
        if (s->want_norm == anchor && anchor != other)
            return true;
        if (s->want_norm != other)
            all_other = false;
        if (!s->has_want_raw || s->want_raw != 0)
            raws_zero = false;
    }
    return all_other && raws_zero;
}

static void check_normalized(runner *r)
{
    bool reverse = r->kind == SCORE_TAINT;
    size_t i, j;
    bool *done = calloc(r->nscores + 1, sizeof *done);

    cr_assert_not_null(done);
    for (i = 0; i < r->nscores; i++) {
        long long got_max = 0;
        bool usable;
        if (done[i])
            continue;
        usable = group_usable(r, r->scores[i].group);
        for (j = i; j < r->nscores; j++)
            if (!strcmp(r->scores[j].group, r->scores[i].group) &&
                r->scores[j].got_raw > got_max)
                got_max = r->scores[j].got_raw;
        for (j = i; j < r->nscores; j++) {
            const scored *s = &r->scores[j];
            long long got;
            if (strcmp(s->group, r->scores[i].group))
                continue;
            done[j] = true;
            if (!usable)
                continue;
            got = normalize(s->got_raw, got_max, reverse);
            r->norm_checked++;
            if (got != s->want_norm)
                fail(r, s->name, "normalised score %lld, expected %lld "
                                 "(group max raw %lld)",
                     got, s->want_norm, got_max);
        }
        if (!usable)
            r->norm_groups_incomplete++;
    }
    free(done);
}

static void run_file(const char *rel, score_kind kind, size_t min_checked)
{
    runner r;
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    char *data;
    size_t len, i;

    if (!test_shared_available(rel))
        cr_skip_test("%s is absent", rel);
    data = test_read_file(test_shared_path(rel), &len);
    cr_assert_not_null(data, "cannot read %s", rel);
    cr_assert(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
    cr_assert(yaml_parser_load(&parser, &doc), "%s: YAML error: %s", rel,
              parser.problem ? parser.problem : "?");
    root = yaml_document_get_root_node(&doc);
    cr_assert(root && root->type == YAML_SEQUENCE_NODE,
              "%s: not a list of cases", rel);

    memset(&r, 0, sizeof r);
    r.file = rel;
    r.kind = kind;
    r.d = &doc;
    cr_assert_eq(place_ctx_new(&r.ctx, NULL), PLACE_OK);
    for (i = 0; i < seq_len(root); i++) {
        yaml_node_t *c = seq_at(&doc, root, i);
        if (!c || c->type != YAML_MAPPING_NODE) {
            fail(&r, "?", "case %zu is not a mapping", i);
            continue;
        }
        run_case(&r, c, i);
    }
    check_normalized(&r);

    fprintf(stderr,
            "conformance %s: %zu cases: %zu checked / skipped: "
            "scheduler_args %zu, feature gate false %zu, DRAExtendedResource "
            "%zu, negative rounding %zu, unnamed node with matchFields %zu, "
            "nothing to check %zu / nodes renamed to a DNS-1123 name %zu / "
            "refused %zu (parse_error %zu, "
            "infeasible %zu, API would reject %zu) / normalised scores "
            "checked %zu (groups incomplete in the sample %zu) / "
            "failures %zu\n",
            rel, r.total, r.checked, r.skip_args, r.skip_gate_off, r.skip_dra,
            r.skip_negative, r.skip_empty_name, r.skip_nothing, r.renamed,
            r.refused,
            r.refused_parse_error, r.refused_infeasible, r.refused_api,
            r.norm_checked, r.norm_groups_incomplete, r.nfail);
    if (r.skip_empty_name)
        fprintf(stderr,
                "conformance %s: skipped, the node has no name and the pod "
                "has matchFields (kube gives such a node no fields; a Node "
                "always has a name):%s\n",
                rel, sb_str(&r.unnamed));
    if (r.refused_parse_error + r.refused_infeasible)
        fprintf(stderr,
                "conformance %s: refused, accepted because the case expects "
                "a parse error or an infeasible pod:%s\n",
                rel, sb_str(&r.refusals));
    if (r.refused_api)
        fprintf(stderr,
                "conformance %s: refused because the API server would "
                "never admit the input (upstream tests call the "
                "scheduler directly):%s\n",
                rel, sb_str(&r.api_refusals));

    place_ctx_free(r.ctx);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    free(data);
    free(r.scores);
    sb_free(&r.api_refusals);
    sb_free(&r.refusals);
    sb_free(&r.unnamed);
    if (r.nfail) {
        char *msg = strdup(sb_str(&r.failures));
        sb_free(&r.failures);
        cr_assert_fail("%s: %zu failure(s):%s", rel, r.nfail,
                       msg ? msg : "");
    }
    sb_free(&r.failures);
    cr_assert_geq(r.checked, min_checked,
                  "%s: only %zu cases checked, expected at least %zu", rel,
                  r.checked, min_checked);
}

/* The minimums are a little below what this sample checks (node-affinity
 * 56 of 69, taints 48 of 56, resource-fit 36 of 38), so that a run that
 * silently skips or refuses is caught. */
Test(conformance, node_affinity, .timeout = 120)
{
    run_file("conformance/node-affinity.yaml", SCORE_AFFINITY, 45);
}

Test(conformance, taints, .timeout = 120)
{
    run_file("conformance/taints.yaml", SCORE_TAINT, 40);
}

Test(conformance, resource_fit, .timeout = 120)
{
    run_file("conformance/resource-fit.yaml", SCORE_AFFINITY, 30);
}

/* ---- semantics the sample does not reach ------------------------------------
 * Hand-written pairs for rules of the README that no case of the sample
 * exercises (the hidden part of the corpus may). */

typedef struct pair {
    place_ctx *ctx;
    place_problem *pb;
    place_result *res;
    const place_candidate *cand;
    const place_workload *w;
} pair;

/* Solve `docs` (YAML) and find the candidate `target` of default/pod. */
static int solve_pair(pair *p, const char *docs, const char *target)
{
    int rc;
    memset(p, 0, sizeof *p);
    cr_assert_eq(place_ctx_new(&p->ctx, NULL), PLACE_OK);
    cr_assert_eq(place_problem_new(&p->pb, p->ctx), PLACE_OK);
    rc = place_problem_add_document(p->pb, docs, strlen(docs),
                                    PLACE_FORMAT_YAML, "pair.yaml");
    if (rc == PLACE_OK)
        rc = place_solve(&p->res, p->pb, NULL);
    if (rc == PLACE_OK) {
        p->w = place_result_find_workload(p->res, POD_NS, POD_NAME);
        cr_assert_not_null(p->w);
        p->cand = find_candidate(p->res, target);
        cr_assert_not_null(p->cand);
    }
    return rc;
}

static void pair_free(pair *p)
{
    place_result_free(p->res);
    place_problem_free(p->pb);
    place_ctx_free(p->ctx);
}

static int64_t request(const place_workload *w, const char *name)
{
    size_t i;
    for (i = 0; i < place_workload_request_count(w); i++)
        if (!strcmp(place_workload_request_name(w, i), name))
            return place_workload_request_value(w, i);
    return 0;
}

#define NODE_FOO_BAR                                                          \
    "kind: Node\nmetadata: {name: n1, labels: {foo: bar}}\n"                  \
    "status: {allocatable: {pods: '10', cpu: 6m}}\n---\n"

/* The lazy parser drops a term with an invalid value; another term still
 * matches. */
Test(kube_semantics, invalid_term_does_not_hide_other_terms)
{
    pair p;
    cr_assert_eq(solve_pair(&p,
                            NODE_FOO_BAR
                            "kind: Pod\nmetadata: {name: pod}\nspec:\n"
                            "  affinity:\n    nodeAffinity:\n"
                            "      requiredDuringSchedulingIgnoredDuring"
                            "Execution:\n        nodeSelectorTerms:\n"
                            "        - matchExpressions:\n"
                            "          - {key: foo, operator: NotIn, values: "
                            "['not a label value!']}\n"
                            "        - matchExpressions:\n"
                            "          - {key: foo, operator: In, values: "
                            "[bar]}\n",
                            "n1"),
                 PLACE_OK, "%s", place_errmsg(p.ctx));
    cr_expect(place_candidate_feasible(p.cand));
    pair_free(&p);
}

/* kube-scheduler's PreScore parses preferred terms strictly: a term whose
 * value is not a label value fails scoring for the pod, so it is never
 * scheduled (a parse error: libplace answers "no target"). */
Test(kube_semantics, unparsable_preferred_term_places_nowhere)
{
    pair p;
    cr_assert_eq(solve_pair(&p,
                            NODE_FOO_BAR
                            "kind: Pod\nmetadata: {name: pod}\nspec:\n"
                            "  affinity:\n    nodeAffinity:\n"
                            "      preferredDuringSchedulingIgnoredDuring"
                            "Execution:\n"
                            "      - weight: 5\n        preference:\n"
                            "          matchExpressions:\n"
                            "          - {key: foo, operator: In, values: "
                            "['a b']}\n",
                            "n1"),
                 PLACE_OK, "%s", place_errmsg(p.ctx));
    cr_expect_not(place_candidate_feasible(p.cand));
    cr_assert_geq(place_candidate_reason_count(p.cand), 1);
    cr_expect_eq(place_candidate_reason_code(p.cand, 0),
                 PLACE_REASON_NODE_AFFINITY);
    cr_expect(strstr(place_candidate_reason_message(p.cand, 0), "preferred"),
              "%s", place_candidate_reason_message(p.cand, 0));
    pair_free(&p);
}

/* Toleration thresholds: negative thresholds are fine; a taint value that
 * is not a canonical integer is tolerated by no Gt/Lt toleration. */
Test(kube_semantics, toleration_thresholds)
{
    static const struct {
        const char *taint, *op, *threshold;
        bool feasible;
    } rows[] = {
        {"3", "Gt", "-5", true},
        {"3", "Lt", "-5", false},
        {"0100", "Gt", "50", false},
        {"100", "Gt", "99", true},
        {"100", "Lt", "100", false},
    };
    size_t i;
    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        char docs[1024];
        pair p;
        snprintf(docs, sizeof docs,
                 "kind: Node\nmetadata: {name: n1}\n"
                 "spec: {taints: [{key: sla, value: '%s', effect: "
                 "NoSchedule}]}\nstatus: {allocatable: {pods: '10'}}\n---\n"
                 "kind: Pod\nmetadata: {name: pod}\nspec:\n"
                 "  tolerations: [{key: sla, operator: %s, value: '%s', "
                 "effect: NoSchedule}]\n",
                 rows[i].taint, rows[i].op, rows[i].threshold);
        cr_assert_eq(solve_pair(&p, docs, "n1"), PLACE_OK, "%s",
                     place_errmsg(p.ctx));
        cr_expect_eq(!!place_candidate_feasible(p.cand), rows[i].feasible,
                     "taint %s, toleration %s %s", rows[i].taint, rows[i].op,
                     rows[i].threshold);
        pair_free(&p);
    }
}

/* Init containers are maxed, each with the sidecars started before it;
 * sidecars add to the regular containers; pod-level requests replace the
 * aggregate; overhead is added on top. */
Test(kube_semantics, effective_requests)
{
    static const struct {
        const char *spec;
        int64_t cpu;
    } rows[] = {
        /* sidecar after the init container: max(1+2, 5) */
        {"  initContainers:\n"
         "  - {name: i, resources: {requests: {cpu: 5m}}}\n"
         "  - {name: s, restartPolicy: Always, resources: {requests: {cpu: "
         "2m}}}\n"
         "  containers: [{name: c, resources: {requests: {cpu: 1m}}}]\n",
         5},
        /* sidecar before the init container: max(1+2, 2+5) */
        {"  initContainers:\n"
         "  - {name: s, restartPolicy: Always, resources: {requests: {cpu: "
         "2m}}}\n"
         "  - {name: i, resources: {requests: {cpu: 5m}}}\n"
         "  containers: [{name: c, resources: {requests: {cpu: 1m}}}]\n",
         7},
        /* pod-level requests replace the containers', then overhead */
        {"  resources: {requests: {cpu: 3m}}\n"
         "  overhead: {cpu: 1m}\n"
         "  containers: [{name: c, resources: {requests: {cpu: 2m}}}]\n",
         4},
        /* two plain init containers: the largest */
        {"  initContainers:\n"
         "  - {name: a, resources: {requests: {cpu: 3m}}}\n"
         "  - {name: b, resources: {requests: {cpu: 4m}}}\n"
         "  containers: [{name: c, resources: {requests: {cpu: 1m}}}]\n",
         4},
    };
    size_t i;
    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        char docs[2048];
        pair p;
        snprintf(docs, sizeof docs,
                 NODE_FOO_BAR "kind: Pod\nmetadata: {name: pod}\nspec:\n%s",
                 rows[i].spec);
        cr_assert_eq(solve_pair(&p, docs, "n1"), PLACE_OK, "%s",
                     place_errmsg(p.ctx));
        cr_expect_eq(request(p.w, "cpu"), rows[i].cpu,
                     "row %zu: cpu request %lld, expected %lld", i,
                     (long long)request(p.w, "cpu"), (long long)rows[i].cpu);
        cr_expect_eq(!!place_candidate_feasible(p.cand), rows[i].cpu <= 6,
                     "row %zu", i);
        pair_free(&p);
    }
}

/* A zero request is never checked, even on an over-committed node; the pod
 * count always is. */
Test(kube_semantics, zero_requests_and_pod_count)
{
    pair p;
    cr_assert_eq(solve_pair(&p,
                            "kind: Node\nmetadata: {name: n1}\n"
                            "status: {allocatable: {pods: '2', cpu: 10m, "
                            "example.com/gpu: '1'}}\n---\n"
                            "kind: Pod\nmetadata: {name: old}\n"
                            "spec:\n  nodeName: n1\n"
                            "  containers: [{name: c, resources: {requests: "
                            "{cpu: 20m, example.com/gpu: '2'}}}]\n---\n"
                            "kind: Pod\nmetadata: {name: pod}\nspec:\n"
                            "  containers: [{name: c, resources: {requests: "
                            "{cpu: '0', example.com/gpu: '0'}}}]\n",
                            "n1"),
                 PLACE_OK, "%s", place_errmsg(p.ctx));
    cr_expect(place_candidate_feasible(p.cand));
    pair_free(&p);

    cr_assert_eq(solve_pair(&p,
                            "kind: Node\nmetadata: {name: n1}\n"
                            "status: {allocatable: {pods: '1'}}\n---\n"
                            "kind: Pod\nmetadata: {name: old}\n"
                            "spec: {nodeName: n1, containers: [{name: c}]}\n"
                            "---\n"
                            "kind: Pod\nmetadata: {name: pod}\n"
                            "spec: {containers: [{name: c}]}\n",
                            "n1"),
                 PLACE_OK, "%s", place_errmsg(p.ctx));
    cr_expect_not(place_candidate_feasible(p.cand));
    cr_assert_eq(place_candidate_reason_count(p.cand), 1);
    cr_expect(!strncmp(place_candidate_reason_message(p.cand, 0),
                       "Too many pods", 13),
              "%s", place_candidate_reason_message(p.cand, 0));
    pair_free(&p);
}

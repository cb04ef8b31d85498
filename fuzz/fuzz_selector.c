/*
 * fuzz_selector.c: kube-scheduler's matching rules (libplace/match.c) on
 * requirements, labels, taints and tolerations built from any bytes, in the
 * shapes the decoder guarantees (sorted unique labels; In/NotIn with
 * values, Exists/DoesNotExist without, Gt/Lt with exactly one; matchFields
 * In/NotIn with one value).
 *
 * The input is up to eight lines:
 *   0 target name           4 values, ';'-separated
 *   1 labels k=v;k=v        5 ordinal order KEY:low,mid,high
 *   2 requirement key       6 taint KEY=VALUE (effect from line 3)
 *   3 operator (byte % 6)   7 toleration KEY=VALUE (op, effect from line 3)
 *
 * Checks what must hold whatever the values: In and NotIn are complements,
 * Exists and DoesNotExist too; Gt and Lt never both match; a one-term
 * selector matches as its term does, and the term as its requirement
 * (when it parses); a target matches its own labels as a nodeSelector; an
 * Exists toleration of the key tolerates every value, an empty key with
 * Exists every taint; only-PreferNoSchedule toleration is a subset.
 */
#include "fuzz.h"
#include "match.h"

#include <string.h>

#define MAX_ITEMS 16

typedef struct lines {
    char *line[8];
    char *buf;
} lines;

static void split_lines(const uint8_t *data, size_t size, lines *l)
{
    size_t i, n = 0;

    memset(l, 0, sizeof *l);
    l->buf = malloc(size + 1);
    if (!l->buf)
        abort();
    memcpy(l->buf, data, size);
    l->buf[size] = '\0';
    l->line[n++] = l->buf;
    for (i = 0; i < size && n < 8; i++) {
        if (l->buf[i] == '\n') {
            l->buf[i] = '\0';
            l->line[n++] = l->buf + i + 1;
        }
    }
    for (; n < 8; n++)
        l->line[n] = l->buf + size; /* "" */
}

/* Split s in place at sep; at most max items. */
static size_t split(char *s, char sep, char **out, size_t max)
{
    size_t n = 0;
    if (!*s)
        return 0;
    out[n++] = s;
    for (; *s && n < max; s++) {
        if (*s == sep) {
            *s = '\0';
            out[n++] = s + 1;
        }
    }
    for (; *s; s++)
        if (*s == sep)
            *s = '\0'; /* drop the rest */
    return n;
}

static int kv_cmp(const void *a, const void *b)
{
    return strcmp(((const place__kv *)a)->key, ((const place__kv *)b)->key);
}

static bool req_match(place__req *r, place__op op, bool field,
                      const place__target *t, const place__policy *pol)
{
    r->op = op;
    return place__req_matches(r, field, t, pol);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lines l;
    char *items[MAX_ITEMS], *vals[MAX_ITEMS], *ord[MAX_ITEMS];
    const char *values[MAX_ITEMS];
    place__kv kv[MAX_ITEMS];
    place__target t;
    place__policy pol;
    place__ordinal ordinal;
    place__req r;
    place__term term;
    place__selector sel;
    place__taint taint;
    place__toleration tol;
    size_t i, n, nv, nkv = 0;
    unsigned char opbyte;

    if (size > 4096)
        return 0;
    split_lines(data, size, &l);
    opbyte = (unsigned char)l.line[3][0];

    memset(&t, 0, sizeof t);
    t.kind = PLACE__KIND_NODE;
    t.name = l.line[0];
    n = split(l.line[1], ';', items, MAX_ITEMS);
    for (i = 0; i < n; i++) {
        char *eq = strchr(items[i], '=');
        kv[nkv].key = items[i];
        kv[nkv].value = "";
        if (eq) {
            *eq = '\0';
            kv[nkv].value = eq + 1;
        }
        nkv++;
    }
    qsort(kv, nkv, sizeof *kv, kv_cmp);
    for (i = 1, n = nkv ? 1 : 0; i < nkv; i++) /* keys unique */
        if (strcmp(kv[i].key, kv[n - 1].key) != 0)
            kv[n++] = kv[i];
    t.labels.count = n;
    t.labels.items = kv;

    memset(&pol, 0, sizeof pol);
    {
        char *colon = strchr(l.line[5], ':');
        if (colon) {
            *colon = '\0';
            ordinal.key = l.line[5];
            ordinal.count = split(colon + 1, ',', ord, MAX_ITEMS);
            ordinal.order = (const char **)ord;
            pol.nordinals = 1;
            pol.ordinals = &ordinal;
        }
    }

    nv = split(l.line[4], ';', vals, MAX_ITEMS);
    for (i = 0; i < nv; i++)
        values[i] = vals[i];
    memset(&r, 0, sizeof r);
    r.key = l.line[2];
    r.values = values;
    r.lazy_invalid = (opbyte & 0x80) != 0;

    /* In / NotIn: complements (with at least one value, as decoded). */
    if (nv >= 1) {
        r.nvalues = nv;
        FUZZ_CHECK(req_match(&r, PLACE__OP_IN, false, &t, &pol) !=
                       req_match(&r, PLACE__OP_NOT_IN, false, &t, &pol),
                   "In and NotIn agree on key \"%s\"", r.key);
        r.nvalues = 1;
        FUZZ_CHECK(req_match(&r, PLACE__OP_IN, true, &t, &pol) !=
                       req_match(&r, PLACE__OP_NOT_IN, true, &t, &pol),
                   "matchFields In and NotIn agree");
        FUZZ_CHECK(req_match(&r, PLACE__OP_IN, true, &t, &pol) ==
                       (strcmp(t.name, values[0]) == 0),
                   "matchFields In on the name");
    }
    /* Exists / DoesNotExist: complements. */
    r.nvalues = 0;
    FUZZ_CHECK(req_match(&r, PLACE__OP_EXISTS, false, &t, &pol) !=
                   req_match(&r, PLACE__OP_DOES_NOT_EXIST, false, &t, &pol),
               "Exists and DoesNotExist agree");
    FUZZ_CHECK(req_match(&r, PLACE__OP_EXISTS, false, &t, &pol) ==
                   (place__labels_get(&t.labels, r.key) != NULL),
               "Exists and the label");
    /* Gt / Lt: exactly one value; never both. */
    if (nv >= 1) {
        bool gt, lt;
        r.nvalues = 1;
        gt = req_match(&r, PLACE__OP_GT, false, &t, &pol);
        lt = req_match(&r, PLACE__OP_LT, false, &t, &pol);
        FUZZ_CHECK(!(gt && lt), "Gt and Lt both match \"%s\"", values[0]);
        (void)place__req_parses(&r, &pol);
    }

    /* One term of this requirement; one selector of this term. */
    r.op = (place__op)(opbyte % 6);
    if (r.op == PLACE__OP_IN || r.op == PLACE__OP_NOT_IN)
        r.nvalues = nv >= 1 ? nv : 0;
    else if (r.op == PLACE__OP_GT || r.op == PLACE__OP_LT)
        r.nvalues = nv >= 1 ? 1 : 0;
    else
        r.nvalues = 0;
    if ((r.op == PLACE__OP_IN || r.op == PLACE__OP_NOT_IN ||
         r.op == PLACE__OP_GT || r.op == PLACE__OP_LT) && r.nvalues == 0) {
        r.op = PLACE__OP_EXISTS;
    }
    memset(&term, 0, sizeof term);
    term.nexprs = 1;
    term.exprs = &r;
    {
        bool bad_field;
        long bad_index;
        bool m = place__term_matches(&term, &t, &pol, &bad_field, &bad_index);
        bool want = place__req_parses(&r, &pol) &&
                    place__req_matches(&r, false, &t, &pol);
        FUZZ_CHECK(m == want, "term %d, requirement %d", m, want);
        FUZZ_CHECK(m || bad_index == -1 || bad_index == 0, "bad index %ld",
                   bad_index);
        memset(&sel, 0, sizeof sel);
        sel.present = true;
        sel.nterms = 1;
        sel.terms = &term;
        if (t.name[0] != '\0')
            FUZZ_CHECK(place__selector_matches(&sel, &t, &pol) == m,
                       "selector and its only term disagree");
        sel.present = false;
        FUZZ_CHECK(place__selector_matches(&sel, &t, &pol),
                   "an absent selector refuses");
    }
    /* A target matches its own labels as a nodeSelector. */
    FUZZ_CHECK(place__node_selector_matches(&t.labels, &t, NULL),
               "own labels do not match");

    /* Taints and tolerations. */
    {
        char *eq = strchr(l.line[6], '=');
        place__toleration tols[3];
        taint.key = l.line[6];
        taint.value = "";
        if (eq) {
            *eq = '\0';
            taint.value = eq + 1;
        }
        taint.effect = (place__effect)(1 + opbyte % 3);
        eq = strchr(l.line[7], '=');
        memset(&tol, 0, sizeof tol);
        tol.key = l.line[7];
        tol.value = "";
        if (eq) {
            *eq = '\0';
            tol.value = eq + 1;
        }
        tol.op = (place__tol_op)((opbyte >> 2) % 4);
        tol.effect = (place__effect)((opbyte >> 4) % 4);
        (void)place__tolerates(&tol, &taint, &pol);
        tols[0] = tol;
        tols[1] = tol;
        tols[1].op = PLACE__TOL_EXISTS;
        tols[1].key = taint.key;
        tols[1].effect = PLACE__EFFECT_ANY;
        FUZZ_CHECK(place__tolerates(&tols[1], &taint, &pol),
                   "Exists of the key does not tolerate");
        tols[2] = tols[1];
        tols[2].key = "";
        FUZZ_CHECK(place__tolerates(&tols[2], &taint, &pol),
                   "empty key with Exists does not tolerate");
        if (place__tolerated(tols, 1, &taint, &pol, true))
            FUZZ_CHECK(place__tolerated(tols, 1, &taint, &pol, false),
                       "prefer-only tolerates more");
        if (tol.op == PLACE__TOL_GT || tol.op == PLACE__TOL_LT) {
            place__toleration other = tol;
            other.op = tol.op == PLACE__TOL_GT ? PLACE__TOL_LT : PLACE__TOL_GT;
            FUZZ_CHECK(!(place__tolerates(&tol, &taint, &pol) &&
                         place__tolerates(&other, &taint, &pol)),
                       "Gt and Lt tolerations both tolerate");
        }
    }
    free(l.buf);
    return 0;
}

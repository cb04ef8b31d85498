/*
 * match.c: node selectors and taints, as kube-scheduler matches them
 * (component-helpers nodeaffinity, core/v1 toleration helpers).
 */
#include "match.h"

#include <string.h>

/* Gt/Lt on labels: a plain base-10 int64 parse (strconv.ParseInt), so
 * leading zeros and a sign are accepted in the label value. */
static bool parse_label_int(const char *s, int64_t *out)
{
    return place__parse_int64(s, strlen(s), true, true, out);
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

bool place__valid_label_value(const char *s)
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

bool place__req_parses(const place__req *r, const place__policy *pol)
{
    bool ordered = false;
    int64_t v;

    if (r->lazy_invalid)
        return false;
    if (r->op != PLACE__OP_GT && r->op != PLACE__OP_LT)
        return true;
    if (r->nvalues != 1)
        return false;
    /* A key with an order in the PlacementPolicy compares positions; its
     * values are checked when the problem is finalized. */
    place__policy_ordinal(pol, r->key, r->values[0], &ordered);
    if (ordered)
        return true;
    /* labels.NewRequirement: every value is a label value, and a Gt/Lt
     * value is a base-10 int64 (strconv.ParseInt: leading zeros fine). */
    return place__valid_label_value(r->values[0]) &&
           parse_label_int(r->values[0], &v);
}

const place__req *place__term_parse_error(const place__term *term,
                                          const place__policy *pol)
{
    size_t i;
    for (i = 0; i < term->nexprs; i++)
        if (!place__req_parses(&term->exprs[i], pol))
            return &term->exprs[i];
    return NULL;
}

static bool compare(place__op op, int64_t have, int64_t want)
{
    return op == PLACE__OP_GT ? have > want : have < want;
}

bool place__req_matches(const place__req *r, bool field,
                        const place__target *t, const place__policy *pol)
{
    const char *have;
    size_t i;

    if (field) {
        bool in = strcmp(t->name, r->values[0]) == 0;
        return r->op == PLACE__OP_IN ? in : !in;
    }
    have = place__labels_get(&t->labels, r->key);
    switch (r->op) {
    case PLACE__OP_IN:
    case PLACE__OP_NOT_IN: {
        bool in = false;
        if (have)
            for (i = 0; i < r->nvalues && !in; i++)
                in = strcmp(have, r->values[i]) == 0;
        return r->op == PLACE__OP_IN ? in : !in;
    }
    case PLACE__OP_EXISTS:
        return have != NULL;
    case PLACE__OP_DOES_NOT_EXIST:
        return have == NULL;
    case PLACE__OP_GT:
    case PLACE__OP_LT: {
        bool ordered = false;
        int64_t a, b;
        if (!have)
            return false;
        place__policy_ordinal(pol, r->key, have, &ordered);
        if (ordered) {
            a = place__policy_ordinal(pol, r->key, have, &ordered);
            b = place__policy_ordinal(pol, r->key, r->values[0], &ordered);
            return a >= 0 && b >= 0 && compare(r->op, a, b);
        }
        /* A label value that is not an integer is "no match", not an
         * error; a requirement value that is not one never parses. */
        return place__req_parses(r, pol) && parse_label_int(have, &a) &&
               parse_label_int(r->values[0], &b) && compare(r->op, a, b);
    }
    }
    return false;
}

bool place__term_matches(const place__term *term, const place__target *t,
                         const place__policy *pol, bool *bad_field,
                         long *bad_index)
{
    size_t i;
    bool f;
    long idx;

    if (!bad_field)
        bad_field = &f;
    if (!bad_index)
        bad_index = &idx;
    *bad_field = false;
    *bad_index = -1;
    if (term->nexprs == 0 && term->nfields == 0)
        return false;
    /* kube-scheduler's lazy parser: a term with a requirement that does not
     * parse matches nothing, whatever the other requirements say. */
    if (place__term_parse_error(term, pol))
        return false;
    for (i = 0; i < term->nexprs; i++) {
        if (!place__req_matches(&term->exprs[i], false, t, pol)) {
            *bad_index = (long)i;
            return false;
        }
    }
    if (t->name[0] == '\0')
        return true; /* a node without a name has no fields */
    for (i = 0; i < term->nfields; i++) {
        if (!place__req_matches(&term->fields[i], true, t, pol)) {
            *bad_field = true;
            *bad_index = (long)i;
            return false;
        }
    }
    return true;
}

/* PreFilter: when every term names nodes with `metadata.name In`, only
 * those nodes are considered. It only changes anything for a target
 * without a name, since the Filter already checks the fields otherwise. */
static bool prefilter_allows(const place__selector *s, const place__target *t)
{
    size_t i, j;
    for (i = 0; i < s->nterms; i++) {
        const place__term *term = &s->terms[i];
        const char *name = NULL;
        bool has_in = false, ok = true;
        for (j = 0; j < term->nfields; j++) {
            const place__req *r = &term->fields[j];
            if (r->op != PLACE__OP_IN)
                continue;
            if (!has_in)
                name = r->values[0];
            else if (strcmp(name, r->values[0]) != 0)
                ok = false;
            has_in = true;
        }
        if (!has_in)
            return true;
        if (ok && strcmp(name, t->name) == 0)
            return true;
    }
    return false;
}

bool place__selector_matches(const place__selector *s,
                             const place__target *t,
                             const place__policy *pol)
{
    size_t i;
    if (!s->present)
        return true;
    if (t->name[0] == '\0' && !prefilter_allows(s, t))
        return false;
    for (i = 0; i < s->nterms; i++)
        if (place__term_matches(&s->terms[i], t, pol, NULL, NULL))
            return true;
    return false;
}

bool place__node_selector_matches(const place__labels *sel,
                                  const place__target *t, size_t *bad_index)
{
    size_t i;
    for (i = 0; i < sel->count; i++) {
        const char *have = place__labels_get(&t->labels, sel->items[i].key);
        if (!have || strcmp(have, sel->items[i].value) != 0) {
            if (bad_index)
                *bad_index = i;
            return false;
        }
    }
    return true;
}

/* Toleration thresholds: canonical decimal int64 only (no leading zero,
 * no '+', not empty, not a lone '-', no "-0"). */
static bool parse_canonical_int(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n >= 2 && s[0] == '-' && s[1] == '0')
        return false;
    return place__parse_int64(s, n, false, false, out);
}

bool place__tolerates(const place__toleration *tol, const place__taint *taint,
                      const place__policy *pol)
{
    if (tol->effect != PLACE__EFFECT_ANY && tol->effect != taint->effect)
        return false;
    if (tol->key[0] != '\0' && strcmp(tol->key, taint->key) != 0)
        return false;
    switch (tol->op) {
    case PLACE__TOL_EXISTS:
        return true;
    case PLACE__TOL_EQUAL:
        return strcmp(tol->value, taint->value) == 0;
    case PLACE__TOL_GT:
    case PLACE__TOL_LT: {
        bool ordered = false;
        int64_t have, want;
        place__op op = tol->op == PLACE__TOL_GT ? PLACE__OP_GT : PLACE__OP_LT;
        place__policy_ordinal(pol, taint->key, taint->value, &ordered);
        if (ordered) {
            have = place__policy_ordinal(pol, taint->key, taint->value,
                                         &ordered);
            want = place__policy_ordinal(pol, taint->key, tol->value,
                                         &ordered);
            return have >= 0 && want >= 0 && compare(op, have, want);
        }
        return parse_canonical_int(taint->value, &have) &&
               parse_canonical_int(tol->value, &want) &&
               compare(op, have, want);
    }
    }
    return false;
}

bool place__tolerated(const place__toleration *tols, size_t ntols,
                      const place__taint *taint, const place__policy *pol,
                      bool prefer_only)
{
    size_t i;
    for (i = 0; i < ntols; i++) {
        if (prefer_only && tols[i].effect != PLACE__EFFECT_ANY &&
            tols[i].effect != PLACE__EFFECT_PREFER_NO_SCHEDULE)
            continue;
        if (place__tolerates(&tols[i], taint, pol))
            return true;
    }
    return false;
}

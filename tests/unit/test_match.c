/*
 * test_match.c: kube-scheduler's matching rules (match.c), on hand-made
 * model structs: Gt/Lt parsing of node selector requirements, lazy-invalid
 * terms, toleration operators (Gt/Lt thresholds are canonical int64s) and
 * the PreferNoSchedule rule of the TaintToleration score.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "match.h"

/* ---- helpers ---------------------------------------------------------- */

static place__policy no_policy(void)
{
    place__policy p;
    memset(&p, 0, sizeof p);
    return p;
}

/* A target with one label (or none when key is NULL). */
static place__target node1(const char *name, place__kv *kv, const char *key,
                           const char *value)
{
    place__target t;
    memset(&t, 0, sizeof t);
    t.name = name;
    if (key) {
        kv->key = key;
        kv->value = value;
        t.labels.count = 1;
        t.labels.items = kv;
    }
    return t;
}

static place__req req1(const char *key, place__op op, const char **value)
{
    place__req r;
    memset(&r, 0, sizeof r);
    r.key = key;
    r.op = op;
    r.nvalues = value ? 1 : 0;
    r.values = value;
    return r;
}

static place__taint taint(const char *key, const char *value,
                          place__effect e)
{
    place__taint t = {key, value, e};
    return t;
}

static place__toleration tol(const char *key, place__tol_op op,
                             const char *value, place__effect e)
{
    place__toleration t;
    memset(&t, 0, sizeof t);
    t.key = key;
    t.op = op;
    t.value = value;
    t.effect = e;
    return t;
}

/* ---- node selector requirements ------------------------------------------ */

/* labels.NewRequirement: a Gt/Lt value is a label value that
 * strconv.ParseInt reads, so digits (leading zeros fine) and nothing else. */
Test(match, gt_lt_values_parse_like_kube)
{
    static const char *const good[] = {"0", "0204", "9223372036854775807",
                                       "42"};
    static const char *const bad[] = {"", "abc", "-1", "+1", "1.5", " 1",
                                      "9223372036854775808", "0x10", "1_000"};
    place__policy pol = no_policy();
    size_t i;

    for (i = 0; i < sizeof good / sizeof *good; i++) {
        const char *v = good[i];
        place__req r = req1("k", PLACE__OP_GT, &v);
        cr_expect(place__req_parses(&r, &pol), "Gt %s should parse", v);
    }
    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        const char *v = bad[i];
        place__req r = req1("k", PLACE__OP_LT, &v);
        cr_expect_not(place__req_parses(&r, &pol), "Lt '%s' should not parse",
                      v);
    }
}

Test(match, ordinal_key_values_are_names)
{
    static const char *order[] = {"low", "mid", "high"};
    place__ordinal o = {"tier", 3, order};
    place__policy pol = no_policy();
    const char *v = "mid";
    place__req r = req1("tier", PLACE__OP_GT, &v);
    place__kv kv;
    place__target t = node1("n", &kv, "tier", "high");

    pol.nordinals = 1;
    pol.ordinals = &o;
    cr_expect(place__req_parses(&r, &pol));
    cr_expect(place__req_matches(&r, false, &t, &pol));
    t = node1("n", &kv, "tier", "low");
    cr_expect_not(place__req_matches(&r, false, &t, &pol));
}

Test(match, gt_lt_compare_numbers)
{
    place__policy pol = no_policy();
    const char *v = "0204";
    place__req gt = req1("kernel-version", PLACE__OP_GT, &v);
    place__req lt = req1("kernel-version", PLACE__OP_LT, &v);
    place__kv kv;
    place__target t = node1("n", &kv, "kernel-version", "0206");

    cr_expect(place__req_matches(&gt, false, &t, &pol), "0206 Gt 0204");
    cr_expect_not(place__req_matches(&lt, false, &t, &pol));
    t = node1("n", &kv, "kernel-version", "204");
    cr_expect_not(place__req_matches(&gt, false, &t, &pol), "equal");
    cr_expect_not(place__req_matches(&lt, false, &t, &pol), "equal");
    /* a label value that is not an integer is no match, not an error */
    t = node1("n", &kv, "kernel-version", "v5");
    cr_expect_not(place__req_matches(&gt, false, &t, &pol));
    cr_expect_not(place__req_matches(&lt, false, &t, &pol));
    /* a missing label matches neither */
    t = node1("n", &kv, NULL, NULL);
    cr_expect_not(place__req_matches(&gt, false, &t, &pol));
    cr_expect_not(place__req_matches(&lt, false, &t, &pol));
}

/* A requirement that does not parse makes its whole term match nothing,
 * even NotIn, which would be true; another term can still match. */
Test(match, lazy_invalid_term_matches_nothing)
{
    place__policy pol = no_policy();
    const char *bad = "invalid value: ___@#$%^";
    const char *word = "fast";
    const char *bar = "bar";
    place__req notin = req1("foo", PLACE__OP_NOT_IN, &bad);
    place__req gt = req1("foo", PLACE__OP_GT, &word);
    place__req in = req1("foo", PLACE__OP_IN, &bar);
    place__term terms[3];
    place__selector sel;
    place__kv kv;
    place__target t = node1("n", &kv, "foo", "bar");
    long idx = 0;

    notin.lazy_invalid = true;
    memset(terms, 0, sizeof terms);
    terms[0].nexprs = 1;
    terms[0].exprs = &notin;
    terms[1].nexprs = 1;
    terms[1].exprs = &gt;
    terms[2].nexprs = 1;
    terms[2].exprs = &in;
    cr_expect_not(place__term_matches(&terms[0], &t, &pol, NULL, &idx));
    cr_expect_eq(idx, -1);
    cr_expect_eq(place__term_parse_error(&terms[0], &pol), &notin);
    cr_expect_not(place__term_matches(&terms[1], &t, &pol, NULL, &idx));
    cr_expect_eq(place__term_parse_error(&terms[1], &pol), &gt);
    cr_expect(place__term_matches(&terms[2], &t, &pol, NULL, NULL));
    cr_expect_null(place__term_parse_error(&terms[2], &pol));

    memset(&sel, 0, sizeof sel);
    sel.present = true;
    sel.nterms = 2;
    sel.terms = terms;
    cr_expect_not(place__selector_matches(&sel, &t, &pol));
    sel.nterms = 3;
    cr_expect(place__selector_matches(&sel, &t, &pol), "terms are ORed");
}

Test(match, empty_and_absent_selectors)
{
    place__policy pol = no_policy();
    place__selector sel;
    place__term empty;
    place__kv kv;
    place__target t = node1("n", &kv, "foo", "bar");

    memset(&sel, 0, sizeof sel);
    cr_expect(place__selector_matches(&sel, &t, &pol), "absent: no limit");
    sel.present = true;
    cr_expect_not(place__selector_matches(&sel, &t, &pol), "no terms");
    memset(&empty, 0, sizeof empty);
    sel.nterms = 1;
    sel.terms = &empty;
    cr_expect_not(place__selector_matches(&sel, &t, &pol), "empty term");
}

Test(match, not_in_and_does_not_exist_match_missing_keys)
{
    place__policy pol = no_policy();
    const char *v = "x";
    place__req notin = req1("foo", PLACE__OP_NOT_IN, &v);
    place__req dne = req1("foo", PLACE__OP_DOES_NOT_EXIST, NULL);
    place__req in = req1("foo", PLACE__OP_IN, &v);
    place__req ex = req1("foo", PLACE__OP_EXISTS, NULL);
    place__kv kv;
    place__target t = node1("n", &kv, NULL, NULL);

    cr_expect(place__req_matches(&notin, false, &t, &pol));
    cr_expect(place__req_matches(&dne, false, &t, &pol));
    cr_expect_not(place__req_matches(&in, false, &t, &pol));
    cr_expect_not(place__req_matches(&ex, false, &t, &pol));
}

Test(match, match_fields_are_the_name_not_labels)
{
    place__policy pol = no_policy();
    const char *v = "host_1";
    place__req f = req1("metadata.name", PLACE__OP_IN, &v);
    place__req e = req1("metadata.name", PLACE__OP_IN, &v);
    place__kv kv;
    place__target t = node1("not_host_1", &kv, "metadata.name", "host_1");

    cr_expect_not(place__req_matches(&f, true, &t, &pol), "field: the name");
    cr_expect(place__req_matches(&e, false, &t, &pol), "label of that key");
    t = node1("host_1", &kv, NULL, NULL);
    cr_expect(place__req_matches(&f, true, &t, &pol));
    cr_expect_not(place__req_matches(&e, false, &t, &pol));
    f.op = PLACE__OP_NOT_IN;
    cr_expect_not(place__req_matches(&f, true, &t, &pol));
}

/* ---- tolerations ------------------------------------------------------------ */

Test(match, toleration_basics)
{
    place__policy pol = no_policy();
    place__taint ns = taint("foo", "bar", PLACE__EFFECT_NO_SCHEDULE);
    place__taint ne = taint("foo", "bar", PLACE__EFFECT_NO_EXECUTE);
    place__toleration t;

    t = tol("foo", PLACE__TOL_EQUAL, "bar", PLACE__EFFECT_NO_SCHEDULE);
    cr_expect(place__tolerates(&t, &ns, &pol));
    cr_expect_not(place__tolerates(&t, &ne, &pol), "effects must match");
    t = tol("foo", PLACE__TOL_EQUAL, "bar", PLACE__EFFECT_ANY);
    cr_expect(place__tolerates(&t, &ne, &pol), "empty effect: any");
    t = tol("foo", PLACE__TOL_EQUAL, "baz", PLACE__EFFECT_ANY);
    cr_expect_not(place__tolerates(&t, &ns, &pol));
    t = tol("foo", PLACE__TOL_EXISTS, "", PLACE__EFFECT_NO_SCHEDULE);
    cr_expect(place__tolerates(&t, &ns, &pol));
    t = tol("", PLACE__TOL_EXISTS, "", PLACE__EFFECT_ANY);
    cr_expect(place__tolerates(&t, &ns, &pol), "empty key + Exists: all");
    cr_expect(place__tolerates(&t, &ne, &pol));
    t = tol("other", PLACE__TOL_EXISTS, "", PLACE__EFFECT_ANY);
    cr_expect_not(place__tolerates(&t, &ns, &pol));
}

/* Gt tolerates when taint > threshold, Lt when taint < threshold; both
 * values must be canonical int64s (content.IsDecimalInteger). */
Test(match, toleration_thresholds)
{
    static const struct {
        place__tol_op op;
        const char *threshold, *taint;
        bool tolerated;
    } rows[] = {
        {PLACE__TOL_GT, "750", "950", true},
        {PLACE__TOL_GT, "950", "800", false},
        {PLACE__TOL_LT, "950", "800", true},
        {PLACE__TOL_LT, "100", "100", false},
        {PLACE__TOL_GT, "100", "100", false},
        {PLACE__TOL_GT, "-100", "-50", true},
        {PLACE__TOL_LT, "0", "-1", true},
        {PLACE__TOL_LT, "0", "-9223372036854775808", true},
        {PLACE__TOL_GT, "0", "9223372036854775807", true},
        {PLACE__TOL_GT, "9223372036854775806", "100", false},
        {PLACE__TOL_GT, "0100", "200", false},
        {PLACE__TOL_GT, "100", "0200", false},
        {PLACE__TOL_LT, "100", "+50", false},
        {PLACE__TOL_GT, "+50", "100", false},
        {PLACE__TOL_GT, "-0", "1", false},
        {PLACE__TOL_GT, "", "1", false},
        {PLACE__TOL_GT, "1", "", false},
        {PLACE__TOL_GT, "-", "1", false},
        {PLACE__TOL_GT, "100.5", "200", false},
        {PLACE__TOL_GT, "abc", "200", false},
        {PLACE__TOL_GT, "100", "high", false},
        {PLACE__TOL_GT, "1", "9223372036854775808", false},
    };
    place__policy pol = no_policy();
    size_t i;

    for (i = 0; i < sizeof rows / sizeof *rows; i++) {
        place__taint tt = taint("node.kubernetes.io/sla", rows[i].taint,
                                PLACE__EFFECT_NO_SCHEDULE);
        place__toleration t = tol("node.kubernetes.io/sla", rows[i].op,
                                  rows[i].threshold,
                                  PLACE__EFFECT_NO_SCHEDULE);
        cr_expect_eq(place__tolerates(&t, &tt, &pol), rows[i].tolerated,
                     "%s %s vs taint %s: expected %s",
                     rows[i].op == PLACE__TOL_GT ? "Gt" : "Lt",
                     rows[i].threshold, rows[i].taint,
                     rows[i].tolerated ? "tolerated" : "not tolerated");
    }
}

/* The score counts PreferNoSchedule taints that no toleration with effect
 * PreferNoSchedule or empty tolerates; the Filter uses every toleration. */
Test(match, prefer_no_schedule_uses_prefer_or_empty_tolerations)
{
    place__policy pol = no_policy();
    place__taint p = taint("cpu-type", "arm64",
                           PLACE__EFFECT_PREFER_NO_SCHEDULE);
    place__toleration tols[2];

    tols[0] = tol("cpu-type", PLACE__TOL_EQUAL, "arm64",
                  PLACE__EFFECT_NO_SCHEDULE);
    cr_expect_not(place__tolerated(tols, 1, &p, &pol, true));
    cr_expect_not(place__tolerated(tols, 1, &p, &pol, false),
                  "effect NoSchedule does not match PreferNoSchedule");
    tols[1] = tol("cpu-type", PLACE__TOL_EQUAL, "arm64", PLACE__EFFECT_ANY);
    cr_expect(place__tolerated(tols, 2, &p, &pol, true));
    tols[1] = tol("cpu-type", PLACE__TOL_EQUAL, "arm64",
                  PLACE__EFFECT_PREFER_NO_SCHEDULE);
    cr_expect(place__tolerated(tols, 2, &p, &pol, true));
}

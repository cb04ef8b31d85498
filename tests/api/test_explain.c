/*
 * Explanations: regret ranking against a brute-force re-solve, why-not,
 * relaxations when labels, taints or capacity block a workload, and
 * bottlenecks. Public API only.
 */
#include "place.h"

#include <criterion/criterion.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static place_ctx *ctx;

static void setup(void)
{
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
}

static void teardown(void)
{
    place_ctx_free(ctx);
}

static place_result *solve_text(const char *text, unsigned int flags)
{
    place_problem *pb;
    place_result *r = NULL;
    place_solve_options o = PLACE_SOLVE_OPTIONS_INIT;
    o.flags = flags;
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    cr_assert_eq(place_problem_add_document(pb, text, strlen(text),
                                            PLACE_FORMAT_AUTO, "test.yaml"),
                 PLACE_OK, "%s", place_errmsg(ctx));
    cr_assert_eq(place_solve(&r, pb, &o), PLACE_OK, "%s", place_errmsg(ctx));
    place_problem_free(pb);
    return r;
}

static const place_candidate *candidate(const place_workload *w,
                                        const char *target)
{
    size_t i;
    for (i = 0; i < place_workload_candidate_count(w); i++) {
        const place_candidate *c = place_workload_candidate(w, i);
        if (strcmp(place_candidate_target(c), target) == 0)
            return c;
    }
    cr_assert_fail("no candidate %s", target);
    return NULL;
}

/* ---- brute force ------------------------------------------------------- */

#define MAXW 3
#define MAXT 3

typedef struct instance {
    int nw, nt;
    int replicas[MAXW];
    int cpu[MAXW];         /* millicores per replica */
    int pref[MAXW];        /* weight of preferring zone=a */
    int capacity[MAXT];    /* millicores */
    int zone_a[MAXT];      /* target has zone=a */
} instance;

typedef struct best {
    int placed, score;
} best;

static int better(best a, best b)
{
    return a.placed != b.placed ? a.placed > b.placed : a.score > b.score;
}

/* Lexicographic optimum (placed, then score) over every integer placement,
 * with x[fw][ft] >= 1 when fw >= 0. */
static best brute(const instance *in, int fw, int ft)
{
    int x[MAXW][MAXT] = {{0}};
    best b = {-1, 0};
    for (;;) {
        int w, t, ok = 1, placed = 0, score = 0;
        for (w = 0; w < in->nw && ok; w++) {
            int sum = 0;
            for (t = 0; t < in->nt; t++)
                sum += x[w][t];
            ok = sum <= in->replicas[w];
            placed += sum;
        }
        for (t = 0; t < in->nt && ok; t++) {
            int used = 0;
            for (w = 0; w < in->nw; w++)
                used += x[w][t] * in->cpu[w];
            ok = used <= in->capacity[t];
        }
        if (ok && fw >= 0 && x[fw][ft] < 1)
            ok = 0;
        if (ok) {
            best c;
            for (w = 0; w < in->nw; w++)
                for (t = 0; t < in->nt; t++)
                    score += x[w][t] * (in->zone_a[t] ? in->pref[w] : 0);
            c.placed = placed;
            c.score = score;
            if (b.placed < 0 || better(c, b))
                b = c;
        }
        /* next assignment, odometer style */
        for (w = 0; w < in->nw; w++) {
            for (t = 0; t < in->nt; t++) {
                if (++x[w][t] <= in->replicas[w])
                    goto next;
                x[w][t] = 0;
            }
        }
        return b;
    next:;
    }
}

static char *instance_yaml(const instance *in)
{
    static char buf[8192];
    size_t n = 0;
    int w, t;
    for (t = 0; t < in->nt; t++)
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "kind: Node\nmetadata: {name: t%d, labels: "
                              "{zone: %s}}\nstatus: {allocatable: {cpu: "
                              "%dm, pods: \"100\"}}\n---\n",
                              t, in->zone_a[t] ? "a" : "b", in->capacity[t]);
    for (w = 0; w < in->nw; w++) {
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "kind: Deployment\nmetadata: {name: w%d}\n"
                              "spec:\n  replicas: %d\n  template:\n    spec:\n",
                              w, in->replicas[w]);
        if (in->pref[w])
            n += (size_t)snprintf(
                buf + n, sizeof buf - n,
                "      affinity:\n        nodeAffinity:\n          "
                "preferredDuringSchedulingIgnoredDuringExecution:\n          "
                "- weight: %d\n            preference: {matchExpressions: "
                "[{key: zone, operator: In, values: [a]}]}\n",
                in->pref[w]);
        n += (size_t)snprintf(buf + n, sizeof buf - n,
                              "      containers:\n      - resources: "
                              "{requests: {cpu: %dm}}\n---\n",
                              in->cpu[w]);
    }
    return buf;
}

TestSuite(explain, .init = setup, .fini = teardown);

Test(explain, regret_equals_brute_force_resolve)
{
    unsigned int seed = 12345;
    int trial, checked = 0, nonzero = 0;

    for (trial = 0; trial < 40; trial++) {
        instance in;
        place_result *r;
        best opt;
        int w, t;

        memset(&in, 0, sizeof in);
        in.nw = 2 + (int)(rand_r(&seed) % 2);
        in.nt = 2 + (int)(rand_r(&seed) % 2);
        for (w = 0; w < in.nw; w++) {
            in.replicas[w] = 1 + (int)(rand_r(&seed) % 3);
            in.cpu[w] = 100 * (1 + (int)(rand_r(&seed) % 5));
            in.pref[w] = (int)(rand_r(&seed) % 3) * 10;
        }
        for (t = 0; t < in.nt; t++) {
            in.capacity[t] = 100 * (1 + (int)(rand_r(&seed) % 8));
            in.zone_a[t] = (int)(rand_r(&seed) % 2);
        }
        opt = brute(&in, -1, -1);
        r = solve_text(instance_yaml(&in), PLACE_SOLVE_REGRET_EXACT);
        cr_assert_str_eq(place_result_regret_method(r), "exact");
        for (w = 0; w < in.nw; w++) {
            char name[16];
            const place_workload *pw;
            int placed = 0;
            snprintf(name, sizeof name, "w%d", w);
            pw = place_result_find_workload(r, "default", name);
            cr_assert_not_null(pw);
            for (t = 0; t < in.nt; t++) {
                char tn[16];
                const place_candidate *c;
                best forced;
                snprintf(tn, sizeof tn, "t%d", t);
                c = candidate(pw, tn);
                placed += (int)place_candidate_replicas(c);
                if (!place_candidate_feasible(c))
                    continue; /* one replica never fits there */
                cr_assert(place_candidate_has_regret(c));
                if (place_candidate_chosen(c)) {
                    cr_assert_eq(place_candidate_regret(c), 0.0);
                    continue;
                }
                forced = brute(&in, w, t);
                cr_assert_eq(place_candidate_regret_replicas(c),
                             opt.placed - forced.placed,
                             "trial %d %s on %s: replicas %lld vs %d", trial,
                             name, tn,
                             (long long)place_candidate_regret_replicas(c),
                             opt.placed - forced.placed);
                cr_assert_float_eq(place_candidate_regret(c),
                                   (double)(opt.score - forced.score), 1e-6,
                                   "trial %d %s on %s: regret %g vs %d",
                                   trial, name, tn, place_candidate_regret(c),
                                   opt.score - forced.score);
                cr_assert(place_candidate_regret_exact(c));
                checked++;
                if (opt.placed != forced.placed || opt.score != forced.score)
                    nonzero++;
            }
            (void)placed;
        }
        /* the ranking follows the regret */
        for (w = 0; w < (int)place_result_workload_count(r); w++) {
            const place_workload *pw = place_result_workload(r, (size_t)w);
            size_t i;
            for (i = 1; i < place_workload_candidate_count(pw); i++) {
                const place_candidate *a = place_workload_candidate(pw, i - 1);
                const place_candidate *b = place_workload_candidate(pw, i);
                if (!place_candidate_feasible(b))
                    continue;
                cr_assert(place_candidate_regret_replicas(a) <
                              place_candidate_regret_replicas(b) ||
                          (place_candidate_regret_replicas(a) ==
                               place_candidate_regret_replicas(b) &&
                           place_candidate_regret(a) <=
                               place_candidate_regret(b) + 1e-9));
                cr_assert_eq(place_candidate_rank(b),
                             place_candidate_rank(a) + 1);
            }
        }
        place_result_free(r);
    }
    cr_assert_gt(checked, 40, "only %d regrets checked", checked);
    cr_assert_gt(nonzero, 10, "only %d non-zero regrets", nonzero);
}

Test(explain, lp_regret_is_a_lower_bound)
{
    unsigned int seed = 777;
    int trial, checked = 0;
    for (trial = 0; trial < 20; trial++) {
        instance in;
        place_result *exact, *lp;
        int w;
        size_t i;
        memset(&in, 0, sizeof in);
        in.nw = 3;
        in.nt = 3;
        for (w = 0; w < in.nw; w++) {
            in.replicas[w] = 1 + (int)(rand_r(&seed) % 3);
            in.cpu[w] = 100 * (1 + (int)(rand_r(&seed) % 5));
            in.pref[w] = (int)(rand_r(&seed) % 3) * 10;
        }
        for (w = 0; w < in.nt; w++) {
            in.capacity[w] = 100 * (1 + (int)(rand_r(&seed) % 8));
            in.zone_a[w] = (int)(rand_r(&seed) % 2);
        }
        exact = solve_text(instance_yaml(&in), PLACE_SOLVE_REGRET_EXACT);
        lp = solve_text(instance_yaml(&in), PLACE_SOLVE_REGRET_LP);
        cr_assert_str_eq(place_result_regret_method(lp), "lp-bound");
        for (w = 0; w < (int)place_result_workload_count(lp); w++) {
            const place_workload *we = place_result_workload(exact, (size_t)w);
            const place_workload *wl = place_result_workload(lp, (size_t)w);
            for (i = 0; i < place_workload_candidate_count(wl); i++) {
                const place_candidate *cl = place_workload_candidate(wl, i);
                const place_candidate *ce =
                    candidate(we, place_candidate_target(cl));
                if (!place_candidate_has_regret(cl) ||
                    place_candidate_chosen(cl))
                    continue;
                /* lexicographic: (replicas, regret) of the bound never
                 * exceeds the exact one */
                cr_assert(place_candidate_regret_replicas(cl) <
                              place_candidate_regret_replicas(ce) ||
                          (place_candidate_regret_replicas(cl) ==
                               place_candidate_regret_replicas(ce) &&
                           place_candidate_regret(cl) <=
                               place_candidate_regret(ce) + 1e-6));
                checked++;
            }
        }
        place_result_free(exact);
        place_result_free(lp);
    }
    cr_assert_gt(checked, 10);
}

/* ---- capacity blocks a workload ------------------------------------------ */

static const char capacity_case[] =
    "kind: Node\nmetadata: {name: home-1}\n"
    "status: {allocatable: {cpu: \"1\", memory: 4Gi, pods: \"10\"}}\n---\n"
    "kind: Deployment\nmetadata: {name: web, namespace: shop}\n"
    "spec:\n  replicas: 2\n  template:\n    spec:\n"
    "      priorityClassName: high\n"
    "      containers:\n      - resources: {requests: {cpu: 400m}}\n---\n"
    "kind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n---\n"
    "kind: Deployment\nmetadata: {name: batch, namespace: shop}\n"
    "spec:\n  replicas: 1\n  template:\n    spec:\n"
    "      containers:\n      - resources: {requests: {cpu: 400m}}\n";

Test(explain, capacity_blocked_names_holders_and_relaxes)
{
    place_result *r = solve_text(capacity_case, 0);
    const place_workload *w = place_result_find_workload(r, "shop", "batch");
    const place_candidate *c;
    size_t i, j;
    int found_capacity = 0, found_evict = 0;

    cr_assert_not_null(w);
    cr_assert_eq(place_workload_unplaced(w), 1);
    cr_assert_str_eq(place_workload_summary(w),
                     "0/1 targets are available: 1 Insufficient cpu.");
    c = candidate(w, "home-1");
    cr_assert(place_candidate_feasible(c), "one replica fits alone");
    cr_assert_str_eq(place_candidate_why_not_code(c), "Capacity");
    cr_assert_eq(place_candidate_holder_count(c), 1);
    cr_assert_str_eq(place_candidate_holder_workload(c, 0),
                     "Deployment shop/web");
    cr_assert_eq(place_candidate_holder_replicas(c, 0), 2);
    cr_assert(strstr(place_candidate_why_not_message(c), "200m cpu left"),
              "%s", place_candidate_why_not_message(c));

    /* the smallest relaxations: more cpu, or the web replicas give one up */
    cr_assert_geq(place_workload_relaxation_count(w), 2);
    for (i = 0; i < place_workload_relaxation_count(w); i++) {
        cr_assert_eq(place_workload_relaxation_change_count(w, i), 1,
                     "alternative %zu is not minimal", i);
        for (j = 0; j < place_workload_relaxation_change_count(w, i); j++) {
            const char *kind = place_workload_relaxation_change_kind(w, i, j);
            if (strcmp(kind, "Capacity") == 0) {
                cr_assert_str_eq(
                    place_workload_relaxation_change_message(w, i, j),
                    "+200m cpu on home-1");
                cr_assert_eq(place_workload_relaxation_change_amount(w, i, j),
                             200);
                cr_assert_str_eq(
                    place_workload_relaxation_change_resource(w, i, j), "cpu");
                found_capacity = 1;
            } else if (strcmp(kind, "Eviction") == 0) {
                cr_assert_str_eq(
                    place_workload_relaxation_change_workload(w, i, j),
                    "shop/web");
                cr_assert_eq(place_workload_relaxation_change_amount(w, i, j),
                             1);
                found_evict = 1;
            }
        }
    }
    cr_assert(found_capacity && found_evict);

    /* the cpu of home-1 is the bottleneck */
    for (i = 0; i < place_result_bottleneck_count(r); i++) {
        const place_bottleneck *b = place_result_bottleneck(r, i);
        if (strcmp(place_bottleneck_resource(b), "cpu") == 0) {
            cr_assert_str_eq(place_bottleneck_target(b), "home-1");
            cr_assert(place_bottleneck_binding(b));
            cr_assert_eq(place_bottleneck_requested(b), 800);
            cr_assert_float_eq(place_bottleneck_utilization(b), 0.8, 1e-9);
        } else if (strcmp(place_bottleneck_resource(b), "memory") == 0) {
            cr_assert_not(place_bottleneck_binding(b));
        }
    }
    place_result_free(r);
}

Test(explain, lower_score_and_tie)
{
    static const char text[] =
        "kind: Node\nmetadata: {name: a, labels: {disk: ssd}}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n---\n"
        "kind: Node\nmetadata: {name: b}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n---\n"
        "kind: Node\nmetadata: {name: c, labels: {disk: ssd}}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n---\n"
        "kind: Pod\nmetadata: {name: db}\nspec:\n  affinity:\n"
        "    nodeAffinity:\n"
        "      preferredDuringSchedulingIgnoredDuringExecution:\n"
        "      - weight: 30\n        preference:\n"
        "          matchExpressions: [{key: disk, operator: In, values: "
        "[ssd]}]\n"
        "  containers:\n  - resources: {requests: {cpu: 100m}}\n";
    place_result *r = solve_text(text, 0);
    const place_workload *w = place_result_find_workload(r, "default", "db");
    const place_candidate *first = place_workload_candidate(w, 0);

    /* a and c tie on score: the name decides; b scores lower */
    cr_assert_str_eq(place_candidate_target(first), "a");
    cr_assert(place_candidate_chosen(first));
    cr_assert_eq(place_candidate_rank(first), 1);
    cr_assert_str_eq(place_candidate_why_not_code(candidate(w, "c")), "Tie");
    cr_assert_eq(place_candidate_regret(candidate(w, "c")), 0.0);
    cr_assert_str_eq(place_candidate_why_not_code(candidate(w, "b")),
                     "LowerScore");
    cr_assert_float_eq(place_candidate_regret(candidate(w, "b")), 30.0, 1e-9);
    cr_assert_eq(place_candidate_rank(candidate(w, "b")), 3);
    cr_assert(strstr(place_candidate_why_not_message(candidate(w, "b")),
                     "score 0 is lower than 30 on a"));
    place_result_free(r);
}

Test(explain, no_explain_flag_skips_solver_explanations)
{
    place_result *r = solve_text(capacity_case, PLACE_SOLVE_NO_EXPLAIN);
    const place_workload *w = place_result_find_workload(r, "shop", "batch");
    cr_assert_str_eq(place_result_regret_method(r), "none");
    cr_assert_eq(place_workload_relaxation_count(w), 0);
    cr_assert_null(place_candidate_why_not_code(candidate(w, "home-1")));
    cr_assert_not(place_candidate_has_regret(candidate(w, "home-1")));
    /* reasons and the summary stay */
    cr_assert_not_null(place_workload_summary(w));
    place_result_free(r);
}

/* Labels and taints block: the relaxations name the taint and the label. */
Test(explain, taint_and_label_relaxations)
{
    static const char text[] =
        "kind: Node\nmetadata: {name: home, labels: {gaia-x.compliance: "
        "mid}}\nstatus: {allocatable: {cpu: \"4\", pods: \"10\"}}\n---\n"
        "kind: Node\nmetadata: {name: bit, labels: {gaia-x.compliance: "
        "high}}\nspec:\n  taints: [{key: audit, value: pending, effect: "
        "NoSchedule}]\nstatus: {allocatable: {cpu: \"4\", pods: "
        "\"10\"}}\n---\n"
        "kind: Deployment\nmetadata: {name: pay}\nspec:\n  template:\n"
        "    spec:\n      affinity:\n        nodeAffinity:\n"
        "          requiredDuringSchedulingIgnoredDuringExecution:\n"
        "            nodeSelectorTerms:\n            - matchExpressions:\n"
        "              - {key: gaia-x.compliance, operator: In, values: "
        "[high]}\n      containers:\n      - resources: {requests: {cpu: "
        "1}}\n";
    place_result *r = solve_text(text, 0);
    const place_workload *w = place_result_find_workload(r, "default", "pay");
    size_t i;
    int taint = 0, label = 0;

    cr_assert_eq(place_workload_unplaced(w), 1);
    cr_assert_eq(place_candidate_reason_code(candidate(w, "bit"), 0),
                 PLACE_REASON_TAINT_TOLERATION);
    cr_assert_eq(place_candidate_reason_code(candidate(w, "home"), 0),
                 PLACE_REASON_NODE_AFFINITY);
    cr_assert_eq(place_workload_relaxation_count(w), 2);
    for (i = 0; i < place_workload_relaxation_count(w); i++) {
        const char *m = place_workload_relaxation_change_message(w, i, 0);
        cr_assert_eq(place_workload_relaxation_change_count(w, i), 1);
        if (strcmp(m, "tolerate taint audit=pending:NoSchedule on bit") == 0)
            taint = 1;
        if (strcmp(m, "allow gaia-x.compliance=mid (target home)") == 0)
            label = 1;
    }
    cr_assert(taint && label);
    place_result_free(r);
}

/*
 * test_storefront.c: the storefront demo (storefront.md) through the public
 * API, on the example files of examples/storefront/: every scenario's
 * promised placements and explanations, the YAML Node version against the
 * JSON ClusterAdvertisement version, and the example's requests against the
 * upstream Online Boutique manifest.
 */
#include <place.h>

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "support.h"

#define SF_DIR PLACE_SOURCE_DIR "/examples/storefront/"
#define SF_NS "online-boutique"
#define HOME "sx-demo-all-2"
#define UPSTREAM_SHOP "upstream/online-boutique/kubernetes-manifests.yaml"

/* The files of each scenario, as README.md and scripts/demo.sh give them
 * (without extension: .yaml in examples/storefront, .json in its json/). */
typedef struct sf_scenario {
    const char *name;
    const char *files[5];
} sf_scenario;

static const sf_scenario sf_scenarios[] = {
    {"1", {"clusters", "shop", "shop-unconstrained", "scenario-1", NULL}},
    {"2", {"clusters", "shop", "shop-unconstrained", "scenario-2", NULL}},
    {"3", {"clusters", "shop", "scenario-3", NULL}},
    {"3b", {"scenario-3b", "shop", "scenario-3", NULL}},
    {"3b-tolerated", {"scenario-3b", "shop", "scenario-3b-tolerated", NULL}},
};
#define SF_NSCENARIOS (sizeof sf_scenarios / sizeof sf_scenarios[0])

/* The twelve Deployments of the shop (upstream's, loadgenerator included). */
static const char *const sf_services[] = {
    "adservice",       "cartservice",           "checkoutservice",
    "currencyservice", "emailservice",          "frontend",
    "loadgenerator",   "paymentservice",        "productcatalogservice",
    "recommendationservice", "redis-cart",      "shippingservice",
};
#define SF_NSERVICES (sizeof sf_services / sizeof sf_services[0])

static place_ctx *sf_ctx;

static void sf_setup(void)
{
    cr_assert_eq(place_ctx_new(&sf_ctx, NULL), PLACE_OK);
}

static void sf_teardown(void)
{
    place_ctx_free(sf_ctx);
}

TestSuite(storefront, .init = sf_setup, .fini = sf_teardown);

static const sf_scenario *sf_find(const char *name)
{
    for (size_t i = 0; i < SF_NSCENARIOS; i++)
        if (strcmp(sf_scenarios[i].name, name) == 0)
            return &sf_scenarios[i];
    cr_assert_fail("no scenario %s", name);
    return NULL;
}

/* Solve a list of files (NULL-terminated base names) of the YAML or JSON
 * version of the example. */
static place_result *sf_solve_files(const char *const *files, bool json)
{
    place_problem *pb = NULL;
    place_result *r = NULL;
    char path[1024];

    cr_assert_eq(place_problem_new(&pb, sf_ctx), PLACE_OK);
    for (size_t i = 0; files[i]; i++) {
        snprintf(path, sizeof path, "%s%s%s%s", SF_DIR, json ? "json/" : "",
                 files[i], json ? ".json" : ".yaml");
        int rc = place_problem_add_file(pb, path, PLACE_FORMAT_AUTO);
        cr_assert_eq(rc, PLACE_OK, "%s: %s", path, place_errmsg(sf_ctx));
    }
    int rc = place_solve(&r, pb, NULL);
    cr_assert_eq(rc, PLACE_OK, "solve: %s", place_errmsg(sf_ctx));
    cr_assert_eq(place_result_outcome(r), PLACE_OUTCOME_OPTIMAL);
    place_problem_free(pb);
    return r;
}

static place_result *sf_solve(const char *scenario, bool json)
{
    return sf_solve_files(sf_find(scenario)->files, json);
}

static const place_workload *sf_wl(const place_result *r, const char *name)
{
    const place_workload *w = place_result_find_workload(r, SF_NS, name);
    cr_assert_not_null(w, "workload %s/%s missing", SF_NS, name);
    return w;
}

/* Replicas of @p w placed on @p target. */
static int64_t sf_on(const place_workload *w, const char *target)
{
    for (size_t i = 0; i < place_workload_assignment_count(w); i++)
        if (strcmp(place_workload_assignment_target(w, i), target) == 0)
            return place_workload_assignment_replicas(w, i);
    return 0;
}

static const place_candidate *sf_cand(const place_workload *w,
                                      const char *target)
{
    for (size_t i = 0; i < place_workload_candidate_count(w); i++) {
        const place_candidate *c = place_workload_candidate(w, i);
        if (strcmp(place_candidate_target(c), target) == 0)
            return c;
    }
    cr_assert_fail("%s: no candidate %s", place_workload_name(w), target);
    return NULL;
}

/* The message of the first reason of code @p code, or NULL. */
static const char *sf_reason(const place_candidate *c, int code)
{
    for (size_t i = 0; i < place_candidate_reason_count(c); i++)
        if (place_candidate_reason_code(c, i) == code)
            return place_candidate_reason_message(c, i);
    return NULL;
}

static void sf_assert_rejected(const place_workload *w, const char *target,
                               int code, const char *needle)
{
    const place_candidate *c = sf_cand(w, target);
    const char *msg = sf_reason(c, code);

    cr_assert_not(place_candidate_feasible(c), "%s on %s is feasible",
                  place_workload_name(w), target);
    cr_assert_eq(place_candidate_replicas(c), 0);
    cr_assert_not_null(msg, "%s on %s: no %s reason",
                       place_workload_name(w), target,
                       place_reason_code_name(code));
    if (needle)
        cr_assert_not_null(strstr(msg, needle), "%s on %s: \"%s\" lacks %s",
                           place_workload_name(w), target, msg, needle);
}

static void sf_assert_feasible(const place_workload *w, const char *target)
{
    const place_candidate *c = sf_cand(w, target);
    cr_assert(place_candidate_feasible(c), "%s on %s: infeasible (%s)",
              place_workload_name(w), target,
              place_candidate_reason_count(c)
                  ? place_candidate_reason_message(c, 0) : "no reason");
    cr_assert_eq(place_candidate_reason_count(c), 0);
}

static void sf_assert_placed(const place_workload *w)
{
    cr_assert_eq(place_workload_placed(w), place_workload_replicas(w),
                 "%s: %lld/%lld placed (%s)", place_workload_name(w),
                 (long long)place_workload_placed(w),
                 (long long)place_workload_replicas(w),
                 place_workload_summary(w) ? place_workload_summary(w) : "");
    cr_assert_eq(place_workload_unplaced(w), 0);
    cr_assert_null(place_workload_summary(w));
}

/* The twelve services are there, each with its one replica. */
static void sf_assert_shop(const place_result *r)
{
    cr_assert_eq(place_result_workload_count(r), SF_NSERVICES);
    for (size_t i = 0; i < SF_NSERVICES; i++)
        cr_assert_eq(place_workload_replicas(sf_wl(r, sf_services[i])), 1);
}

static void sf_assert_all_placed(const place_result *r)
{
    cr_assert(place_result_all_placed(r));
    for (size_t i = 0; i < place_result_workload_count(r); i++)
        sf_assert_placed(place_result_workload(r, i));
}

/* What is placed on every target fits what it offers. */
static void sf_assert_fits(const place_result *r)
{
    for (size_t i = 0; i < place_result_target_count(r); i++) {
        const place_target *t = place_result_target(r, i);
        for (size_t j = 0; j < place_target_resource_count(t); j++)
            cr_assert_leq(place_target_requested(t, j),
                          place_target_allocatable(t, j), "%s: %s over",
                          place_target_name(t),
                          place_target_resource_name(t, j));
    }
}

static const place_target *sf_target(const place_result *r, const char *n)
{
    for (size_t i = 0; i < place_result_target_count(r); i++)
        if (strcmp(place_target_name(place_result_target(r, i)), n) == 0)
            return place_result_target(r, i);
    cr_assert_fail("no target %s", n);
    return NULL;
}

static int64_t sf_alloc(const place_target *t, const char *res)
{
    for (size_t j = 0; j < place_target_resource_count(t); j++)
        if (strcmp(place_target_resource_name(t, j), res) == 0)
            return place_target_allocatable(t, j);
    return -1;
}

static int64_t sf_request(const place_workload *w, const char *res)
{
    for (size_t j = 0; j < place_workload_request_count(w); j++)
        if (strcmp(place_workload_request_name(w, j), res) == 0)
            return place_workload_request_value(w, j);
    return 0;
}

/* ---------------------------------------------------------------------- */

Test(storefront, scenario_1_anything_goes)
{
    place_result *r = sf_solve("1", false);
    int64_t cpu = 0, on_home = 0;

    sf_assert_shop(r);
    sf_assert_all_placed(r);
    sf_assert_fits(r);
    for (size_t i = 0; i < SF_NSERVICES; i++) {
        const place_workload *w = sf_wl(r, sf_services[i]);
        /* Offloaded with no selector: Liqo's toleration lets every pod on
         * every target. */
        sf_assert_feasible(w, HOME);
        sf_assert_feasible(w, "surf");
        sf_assert_feasible(w, "bit");
        cpu += sf_request(w, "cpu");
        on_home += sf_on(w, HOME);
    }
    /* The capacities make offloading necessary: the home node is too small
     * for the whole shop, so some replicas run on partners. */
    cr_assert_eq(cpu, 1570);
    cr_assert_gt(cpu, sf_alloc(sf_target(r, HOME), "cpu"));
    cr_assert_lt(on_home, (int64_t)SF_NSERVICES);
    cr_assert_not(place_target_virtual(sf_target(r, HOME)));
    place_result_free(r);
}

/* A Node labelled liqo.io/type=virtual-node is a Liqo virtual node, and
 * place_target_virtual() says "non-zero for a remote cluster (a Liqo virtual
 * node)", as for a ClusterAdvertisement with spec.virtual. */
Test(storefront, liqo_virtual_nodes_are_virtual)
{
    for (int json = 0; json < 2; json++) {
        place_result *r = sf_solve("1", json);
        cr_assert(place_target_virtual(sf_target(r, "surf")), "json %d", json);
        cr_assert(place_target_virtual(sf_target(r, "bit")), "json %d", json);
        cr_assert_not(place_target_virtual(sf_target(r, HOME)));
        place_result_free(r);
    }
}

Test(storefront, scenario_2_gdpr_cluster_selector)
{
    place_result *r = sf_solve("2", false);
    int64_t on_surf = 0;

    sf_assert_shop(r);
    sf_assert_all_placed(r);
    sf_assert_fits(r);
    for (size_t i = 0; i < SF_NSERVICES; i++) {
        const place_workload *w = sf_wl(r, sf_services[i]);
        /* bit is not gdpr-approved: the namespace is not offloaded there. */
        cr_assert_eq(sf_on(w, "bit"), 0, "%s on bit", sf_services[i]);
        sf_assert_rejected(w, "bit", PLACE_REASON_OFFLOADING_POLICY,
                           "gaia-x.gdpr-approved");
        cr_assert_eq(place_candidate_reason_count(sf_cand(w, "bit")), 1,
                     "%s on bit: only OffloadingPolicy", sf_services[i]);
        sf_assert_feasible(w, HOME);
        sf_assert_feasible(w, "surf");
        on_surf += sf_on(w, "surf");
    }
    /* The home node cannot take it all: surf, gdpr-approved, takes the
     * rest. */
    cr_assert_gt(on_surf, 0);
    place_result_free(r);
}

/* Scenario 3's promises, shared by the YAML and JSON versions. */
static void sf_assert_scenario_3(const place_result *r)
{
    const place_workload *pay = sf_wl(r, "paymentservice");
    const place_workload *cat = sf_wl(r, "productcatalogservice");
    const place_workload *front = sf_wl(r, "frontend");

    sf_assert_shop(r);
    sf_assert_all_placed(r);
    sf_assert_fits(r);
    /* The only high-compliance and the only center-region target. */
    cr_assert_eq(sf_on(pay, "bit"), 1);
    cr_assert_eq(sf_on(cat, "bit"), 1);
    /* The frontend stays home. */
    cr_assert_eq(sf_on(front, HOME), 1);
    /* GDPR: home or surf, never bit. */
    static const char *const gdpr[] = {"shippingservice", "emailservice"};
    for (size_t i = 0; i < 2; i++) {
        const place_workload *w = sf_wl(r, gdpr[i]);
        cr_assert_eq(sf_on(w, "bit"), 0, "%s on bit", gdpr[i]);
        cr_assert_eq(sf_on(w, HOME) + sf_on(w, "surf"), 1);
        sf_assert_rejected(w, "bit", PLACE_REASON_NODE_AFFINITY,
                           "gaia-x.gdpr-approved");
    }
    /* And why not elsewhere. */
    sf_assert_rejected(pay, HOME, PLACE_REASON_NODE_AFFINITY,
                       "gaia-x.compliance");
    sf_assert_rejected(pay, "surf", PLACE_REASON_NODE_AFFINITY,
                       "gaia-x.compliance");
    sf_assert_rejected(cat, HOME, PLACE_REASON_NODE_AFFINITY,
                       "topology.region");
    sf_assert_rejected(cat, "surf", PLACE_REASON_NODE_AFFINITY,
                       "topology.region");
    sf_assert_rejected(front, "surf", PLACE_REASON_NODE_AFFINITY,
                       "liqo.io/type");
    sf_assert_rejected(front, "bit", PLACE_REASON_NODE_AFFINITY,
                       "liqo.io/type");
}

Test(storefront, scenario_3_constraints)
{
    place_result *r = sf_solve("3", false);
    sf_assert_scenario_3(r);
    place_result_free(r);
}

Test(storefront, scenario_3b_untolerated_taint)
{
    place_result *r = sf_solve("3b", false);
    const place_workload *pay = sf_wl(r, "paymentservice");
    const place_workload *cat = sf_wl(r, "productcatalogservice");
    const char *summary;

    sf_assert_shop(r);
    sf_assert_fits(r);
    cr_assert_not(place_result_all_placed(r));
    /* paymentservice fits nowhere, and the result says why, per target. */
    cr_assert_eq(place_workload_placed(pay), 0);
    cr_assert_eq(place_workload_unplaced(pay), 1);
    cr_assert_eq(place_workload_assignment_count(pay), 0);
    sf_assert_rejected(pay, "bit", PLACE_REASON_TAINT_TOLERATION,
                       "audit=pending:NoSchedule");
    /* bit is high enough: the taint is its only reason. */
    cr_assert_null(sf_reason(sf_cand(pay, "bit"),
                             PLACE_REASON_NODE_AFFINITY));
    sf_assert_rejected(pay, HOME, PLACE_REASON_NODE_AFFINITY,
                       "gaia-x.compliance");
    sf_assert_rejected(pay, "surf", PLACE_REASON_NODE_AFFINITY,
                       "gaia-x.compliance");
    summary = place_workload_summary(pay);
    cr_assert_not_null(summary);
    cr_assert_not_null(strstr(summary, "0/3 targets are available"),
                       "summary: %s", summary);
    cr_assert_not_null(strstr(summary, "untolerated taint"), "%s", summary);
    cr_assert_not_null(strstr(summary, "node affinity"), "%s", summary);
    /* The smallest changes that would place it: tolerate the audit on
     * bit, or lower the compliance requirement (surf or home). */
    {
        bool taint = false, compliance = false;
        cr_assert_geq(place_workload_relaxation_count(pay), 2);
        for (size_t i = 0; i < place_workload_relaxation_count(pay); i++) {
            const char *m;
            cr_assert_eq(place_workload_relaxation_change_count(pay, i), 1,
                         "alternative %zu is not a single change", i);
            m = place_workload_relaxation_change_message(pay, i, 0);
            if (strcmp(m, "tolerate taint audit=pending:NoSchedule on bit") ==
                0) {
                cr_assert_str_eq(
                    place_workload_relaxation_change_kind(pay, i, 0),
                    "TaintToleration");
                taint = true;
            }
            if (strstr(m, "allow gaia-x.compliance=mid (target ")) {
                cr_assert_str_eq(
                    place_workload_relaxation_change_kind(pay, i, 0),
                    "NodeAffinity");
                compliance = true;
            }
        }
        cr_assert(taint && compliance);
    }
    /* productcatalogservice (region center: only bit) tolerates the audit,
     * so it stays on bit; everything else is placed off bit. */
    cr_assert_eq(sf_on(cat, "bit"), 1);
    for (size_t i = 0; i < SF_NSERVICES; i++) {
        const place_workload *w = sf_wl(r, sf_services[i]);
        if (w == pay)
            continue;
        sf_assert_placed(w);
        if (w != cat)
            cr_assert_eq(sf_on(w, "bit"), 0, "%s on bit", sf_services[i]);
    }
    cr_assert_eq(sf_on(sf_wl(r, "frontend"), HOME), 1);
    place_result_free(r);
}

Test(storefront, scenario_3b_tolerated)
{
    place_result *r = sf_solve("3b-tolerated", false);
    const place_workload *pay = sf_wl(r, "paymentservice");
    const place_workload *cat = sf_wl(r, "productcatalogservice");

    sf_assert_shop(r);
    sf_assert_fits(r);
    sf_assert_placed(pay);
    cr_assert_eq(sf_on(pay, "bit"), 1);
    sf_assert_feasible(pay, "bit");
    /* and productcatalogservice, which tolerates the audit too */
    cr_assert_eq(sf_on(cat, "bit"), 1);
    cr_assert(place_result_all_placed(r));
    for (size_t i = 0; i < SF_NSERVICES; i++) {
        const place_workload *w = sf_wl(r, sf_services[i]);
        sf_assert_placed(w);
        if (w != pay && w != cat)
            cr_assert_eq(sf_on(w, "bit"), 0, "%s on bit", sf_services[i]);
    }
    place_result_free(r);
}

/* ---------------------------------------------------------------------- */

/* The same placement, workload by workload, and the same room left on each
 * target (the JSON home advertises allocatable minus allocated, the YAML
 * home node only what is free). */
static void sf_assert_same(const place_result *a, const place_result *b,
                           const char *what)
{
    cr_assert_eq(place_result_workload_count(a),
                 place_result_workload_count(b), "%s", what);
    cr_assert_eq(place_result_all_placed(a), place_result_all_placed(b),
                 "%s", what);
    for (size_t i = 0; i < place_result_workload_count(a); i++) {
        const place_workload *wa = place_result_workload(a, i);
        const place_workload *wb = place_result_workload(b, i);
        const char *n = place_workload_name(wa);
        cr_assert_str_eq(n, place_workload_name(wb), "%s", what);
        cr_assert_eq(place_workload_placed(wa), place_workload_placed(wb),
                     "%s: %s", what, n);
        cr_assert_eq(place_workload_assignment_count(wa),
                     place_workload_assignment_count(wb), "%s: %s", what, n);
        for (size_t j = 0; j < place_workload_assignment_count(wa); j++) {
            cr_assert_str_eq(place_workload_assignment_target(wa, j),
                             place_workload_assignment_target(wb, j),
                             "%s: %s", what, n);
            cr_assert_eq(place_workload_assignment_replicas(wa, j),
                         place_workload_assignment_replicas(wb, j),
                         "%s: %s", what, n);
        }
        for (size_t j = 0; j < place_workload_request_count(wa); j++)
            cr_assert_eq(place_workload_request_value(wa, j),
                         sf_request(wb, place_workload_request_name(wa, j)),
                         "%s: %s %s", what, n,
                         place_workload_request_name(wa, j));
    }
    cr_assert_eq(place_result_target_count(a), place_result_target_count(b),
                 "%s", what);
    for (size_t i = 0; i < place_result_target_count(a); i++) {
        const place_target *ta = place_result_target(a, i);
        const place_target *tb = place_result_target(b, i);
        cr_assert_str_eq(place_target_name(ta), place_target_name(tb));
        cr_assert_eq(place_target_virtual(ta), place_target_virtual(tb),
                     "%s: %s", what, place_target_name(ta));
        for (size_t j = 0; j < place_target_resource_count(ta); j++) {
            const char *res = place_target_resource_name(ta, j);
            for (size_t k = 0; k < place_target_resource_count(tb); k++) {
                if (strcmp(place_target_resource_name(tb, k), res) != 0)
                    continue;
                cr_assert_eq(place_target_allocatable(ta, j) -
                                 place_target_requested(ta, j),
                             place_target_allocatable(tb, k) -
                                 place_target_requested(tb, k),
                             "%s: room left on %s for %s", what,
                             place_target_name(ta), res);
            }
        }
    }
}

Test(storefront, yaml_nodes_and_json_advertisements_agree)
{
    char what[128];
    for (size_t i = 0; i < SF_NSCENARIOS; i++) {
        place_result *y = sf_solve_files(sf_scenarios[i].files, false);
        place_result *j = sf_solve_files(sf_scenarios[i].files, true);
        snprintf(what, sizeof what, "scenario %s, YAML vs JSON",
                 sf_scenarios[i].name);
        sf_assert_same(y, j, what);
        place_result_free(y);
        place_result_free(j);
    }
}

Test(storefront, json_scenario_3_and_3b)
{
    place_result *r = sf_solve("3", true);
    sf_assert_scenario_3(r);
    place_result_free(r);

    r = sf_solve("3b", true);
    const place_workload *pay = sf_wl(r, "paymentservice");
    cr_assert_eq(place_workload_placed(pay), 0);
    /* The Liqo labels and taint that libplace adds to a virtual
     * advertisement. */
    sf_assert_rejected(sf_wl(r, "frontend"), "surf",
                       PLACE_REASON_NODE_AFFINITY, "virtual-node");
    sf_assert_rejected(pay, "bit", PLACE_REASON_TAINT_TOLERATION, "audit");
    sf_assert_rejected(pay, HOME, PLACE_REASON_NODE_AFFINITY,
                       "gaia-x.compliance");
    place_result_free(r);
}

/* The files that repeat another one with a single change (scenario-3b.yaml
 * is clusters.yaml with a taint; scenario-3b-tolerated.yaml is
 * scenario-3.yaml with a toleration) have not drifted from it: without the
 * taint, the toleration changes nothing, and the targets are the same. */
Test(storefront, copies_stay_in_step)
{
    static const char *const t3[] = {"clusters", "shop",
                                     "scenario-3b-tolerated", NULL};
    static const char *const b3[] = {"scenario-3b", "shop", "scenario-3",
                                     NULL};
    for (int json = 0; json < 2; json++) {
        place_result *a = sf_solve("3", json);
        place_result *b = sf_solve_files(t3, json);
        place_result *c = sf_solve_files(b3, json);
        sf_assert_same(a, b, json ? "JSON 3 vs 3b-tolerated workloads"
                                  : "3 vs 3b-tolerated workloads");
        cr_assert_eq(place_result_target_count(a),
                     place_result_target_count(c));
        for (size_t i = 0; i < place_result_target_count(a); i++) {
            const place_target *ta = place_result_target(a, i);
            const place_target *tc = place_result_target(c, i);
            cr_assert_str_eq(place_target_name(ta), place_target_name(tc));
            cr_assert_eq(place_target_virtual(ta), place_target_virtual(tc));
            cr_assert_eq(place_target_resource_count(ta),
                         place_target_resource_count(tc));
            for (size_t j = 0; j < place_target_resource_count(ta); j++)
                cr_assert_eq(place_target_allocatable(ta, j),
                             place_target_allocatable(tc, j));
        }
        place_result_free(a);
        place_result_free(b);
        place_result_free(c);
    }
}

/* The example's requests are upstream's, service by service. */
Test(storefront, requests_are_upstreams)
{
    place_problem *pb = NULL;
    place_result *up = NULL, *r;

    if (!test_shared_available(UPSTREAM_SHOP))
        cr_skip_test("%s is absent", test_shared_path(UPSTREAM_SHOP));
    r = sf_solve("1", false);
    cr_assert_eq(place_problem_new(&pb, sf_ctx), PLACE_OK);
    cr_assert_eq(place_problem_add_file(pb, test_shared_path(UPSTREAM_SHOP),
                                        PLACE_FORMAT_AUTO),
                 PLACE_OK, "%s", place_errmsg(sf_ctx));
    cr_assert_eq(place_solve(&up, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(sf_ctx));
    cr_assert_eq(place_result_workload_count(up), SF_NSERVICES);
    for (size_t i = 0; i < place_result_workload_count(up); i++) {
        const place_workload *u = place_result_workload(up, i);
        const place_workload *w = sf_wl(r, place_workload_name(u));
        cr_assert_eq(place_workload_replicas(w), place_workload_replicas(u),
                     "%s", place_workload_name(u));
        cr_assert_eq(place_workload_request_count(w),
                     place_workload_request_count(u), "%s",
                     place_workload_name(u));
        for (size_t j = 0; j < place_workload_request_count(u); j++) {
            const char *res = place_workload_request_name(u, j);
            cr_assert_eq(sf_request(w, res), place_workload_request_value(u, j),
                         "%s: %s", place_workload_name(u), res);
        }
    }
    place_result_free(up);
    place_result_free(r);
    place_problem_free(pb);
}

/*
 * test_decode.c: what the decoder reads from every kind of contract section
 * 1, observed through the public API (place_solve and the result
 * accessors): replicas, requests per replica, capacities, priorities,
 * namespace offloading, the policy, unknown kinds and fields, nulls, and the
 * three JSON shapes.
 */
#include "support.h"

#include <criterion/criterion.h>
#include <place.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MI ((int64_t)1 << 20)
#define GI ((int64_t)1 << 30)

static place_ctx *ctx;
static place_problem *pb;
static place_result *res;

static void setup(void)
{
    cr_assert_eq(place_ctx_new(&ctx, NULL), PLACE_OK);
    cr_assert_eq(place_problem_new(&pb, ctx), PLACE_OK);
    res = NULL;
}

static void teardown(void)
{
    place_result_free(res);
    place_problem_free(pb);
    place_ctx_free(ctx);
}

TestSuite(decode, .init = setup, .fini = teardown);

static void add(const char *text, const char *source)
{
    cr_assert_eq(place_problem_add_document(pb, text, strlen(text),
                                            PLACE_FORMAT_AUTO, source),
                 PLACE_OK, "%s", place_errmsg(ctx));
}

static void solve(void)
{
    place_result_free(res);
    res = NULL;
    cr_assert_eq(place_solve(&res, pb, NULL), PLACE_OK, "%s",
                 place_errmsg(ctx));
}

static const place_workload *wl(const char *ns, const char *name)
{
    const place_workload *w = place_result_find_workload(res, ns, name);
    cr_assert_not_null(w, "no workload %s/%s", ns, name);
    return w;
}

/* The request of one replica, or -1 when the resource is not requested. */
static int64_t req(const place_workload *w, const char *name)
{
    size_t i;
    for (i = 0; i < place_workload_request_count(w); i++)
        if (strcmp(place_workload_request_name(w, i), name) == 0)
            return place_workload_request_value(w, i);
    return -1;
}

static const place_target *tg(const char *name)
{
    size_t i;
    for (i = 0; i < place_result_target_count(res); i++)
        if (strcmp(place_target_name(place_result_target(res, i)), name) == 0)
            return place_result_target(res, i);
    cr_assert_fail("no target %s", name);
    return NULL;
}

/* Allocatable (or requested) of a resource, -1 when not listed. */
static int64_t tres(const place_target *t, const char *name, bool requested)
{
    size_t i;
    for (i = 0; i < place_target_resource_count(t); i++)
        if (strcmp(place_target_resource_name(t, i), name) == 0)
            return requested ? place_target_requested(t, i)
                             : place_target_allocatable(t, i);
    return -1;
}

static const place_candidate *cand(const place_workload *w, const char *t)
{
    size_t i;
    for (i = 0; i < place_workload_candidate_count(w); i++)
        if (strcmp(place_candidate_target(place_workload_candidate(w, i)),
                   t) == 0)
            return place_workload_candidate(w, i);
    cr_assert_fail("%s: no candidate %s", place_workload_name(w), t);
    return NULL;
}

static bool feasible(const place_workload *w, const char *t)
{
    return place_candidate_feasible(cand(w, t)) != 0;
}

/* The target rejects the workload with this reason among others. */
static void assert_rejected(const place_workload *w, const char *t, int code)
{
    const place_candidate *c = cand(w, t);
    size_t i;
    cr_assert_not(place_candidate_feasible(c), "%s feasible on %s",
                  place_workload_name(w), t);
    for (i = 0; i < place_candidate_reason_count(c); i++)
        if (place_candidate_reason_code(c, i) == code)
            return;
    cr_assert_fail("%s on %s: no reason %s", place_workload_name(w), t,
                   place_reason_code_name(code));
}

static int64_t placed_on(const place_workload *w, const char *t)
{
    size_t i;
    for (i = 0; i < place_workload_assignment_count(w); i++)
        if (strcmp(place_workload_assignment_target(w, i), t) == 0)
            return place_workload_assignment_replicas(w, i);
    return 0;
}

/* A node large enough for every test's pods. */
static const char big_node[] =
    "apiVersion: v1\n"
    "kind: Node\n"
    "metadata: {name: big}\n"
    "status:\n"
    "  allocatable: {cpu: \"64\", memory: 256Gi, pods: \"500\"}\n";

/* ---- workloads ---------------------------------------------------------- */

Test(decode, workload_kinds_and_replicas)
{
    add(big_node, "node.yaml");
    add("apiVersion: v1\n"
        "kind: Pod\n"
        "metadata: {name: single, namespace: apps}\n"
        "spec: {containers: [{name: c}]}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: three, namespace: apps}\n"
        "spec:\n"
        "  replicas: 3\n"
        "  selector: {matchLabels: {app: three}}\n"
        "  template:\n"
        "    metadata: {labels: {app: three}}\n"
        "    spec: {containers: [{name: c}]}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: default-one, namespace: apps}\n"
        "spec: {template: {spec: {containers: [{name: c}]}}}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: zero, namespace: apps}\n"
        "spec: {replicas: 0, template: {spec: {containers: [{name: c}]}}}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: ReplicaSet\n"
        "metadata: {name: rs, namespace: apps}\n"
        "spec: {replicas: 2, template: {spec: {containers: [{name: c}]}}}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: StatefulSet\n"
        "metadata: {name: sts, namespace: apps}\n"
        "spec:\n"
        "  replicas: 4\n"
        "  serviceName: sts\n"
        "  template: {spec: {containers: [{name: c}]}}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: StatefulSet\n"
        "metadata: {name: sts-default, namespace: apps}\n"
        "spec: {template: {spec: {containers: [{name: c}]}}}\n"
        "---\n"
        "apiVersion: batch/v1\n"
        "kind: Job\n"
        "metadata: {name: job, namespace: apps}\n"
        "spec:\n"
        "  parallelism: 5\n"
        "  completions: 20\n"
        "  replicas: 9\n" /* not a Job field: ignored */
        "  template:\n"
        "    spec:\n"
        "      restartPolicy: Never\n"
        "      containers: [{name: c}]\n"
        "---\n"
        "apiVersion: batch/v1\n"
        "kind: Job\n"
        "metadata: {name: job-default, namespace: apps}\n"
        "spec: {template: {spec: {containers: [{name: c}]}}}\n",
        "apps.yaml");
    cr_assert_eq(place_problem_workload_count(pb), 9);
    cr_assert_eq(place_problem_target_count(pb), 1);
    cr_assert_eq(place_problem_document_count(pb), 10);
    cr_assert_eq(place_problem_ignored_count(pb), 0);
    solve();
    {
        static const struct {
            const char *name, *kind;
            int64_t replicas;
        } want[] = {
            {"single", "Pod", 1},          {"three", "Deployment", 3},
            {"default-one", "Deployment", 1}, {"zero", "Deployment", 0},
            {"rs", "ReplicaSet", 2},       {"sts", "StatefulSet", 4},
            {"sts-default", "StatefulSet", 1}, {"job", "Job", 5},
            {"job-default", "Job", 1},
        };
        size_t i;
        for (i = 0; i < sizeof want / sizeof want[0]; i++) {
            const place_workload *w = wl("apps", want[i].name);
            cr_assert_str_eq(place_workload_kind(w), want[i].kind);
            cr_assert_str_eq(place_workload_namespace(w), "apps");
            cr_assert_eq(place_workload_replicas(w), want[i].replicas,
                         "%s: %lld replicas", want[i].name,
                         (long long)place_workload_replicas(w));
            cr_assert_eq(place_workload_placed(w), want[i].replicas);
        }
    }
}

Test(decode, namespace_defaults_to_default)
{
    add(big_node, "node.yaml");
    add("kind: Pod\nmetadata: {name: p}\nspec: {}\n---\n"
        "kind: Pod\nmetadata: {name: q, namespace: \"\"}\nspec: {}\n",
        "p.yaml");
    solve();
    cr_assert_str_eq(place_workload_namespace(wl("default", "p")),
                     "default");
    wl("default", "q");
}

/* ---- requests ----------------------------------------------------------- */

Test(decode, requests_sum_containers_and_fall_back_to_limits)
{
    add(big_node, "node.yaml");
    add("kind: Deployment\n"
        "metadata: {name: web}\n"
        "spec:\n"
        "  replicas: 2\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "      - name: app\n"
        "        resources:\n"
        "          requests: {cpu: 500m}\n"
        "          limits: {cpu: \"1\", memory: 1Gi}\n" /* memory: its limit */
        "      - name: log\n"
        "        resources:\n"
        "          limits: {cpu: 100m, ephemeral-storage: 1Gi}\n"
        "      - name: idle\n"
        "        resources: {requests: {cpu: \"0\"}}\n"
        "      - name: none\n",
        "web.yaml");
    solve();
    {
        const place_workload *w = wl("default", "web");
        cr_assert_eq(req(w, "cpu"), 600);
        cr_assert_eq(req(w, "memory"), GI);
        cr_assert_eq(req(w, "ephemeral-storage"), GI);
        cr_assert_eq(req(w, "pods"), 1);
        cr_assert_eq(place_workload_request_count(w), 4);
    }
}

/* kube-scheduler's rule: max(containers + sidecars, every plain init
 * container + the sidecars started before it) + overhead. */
Test(decode, init_containers_sidecars_and_overhead)
{
    add(big_node, "node.yaml");
    add("kind: Pod\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  initContainers:\n"
        "  - name: init-big-cpu\n"
        "    resources: {requests: {cpu: \"1\", memory: 50Mi}}\n"
        "  - name: sidecar\n"
        "    restartPolicy: Always\n"
        "    resources: {requests: {cpu: 50m, memory: 10Mi}}\n"
        "  - name: init-big-memory\n"
        "    resources: {requests: {cpu: 400m, memory: 500Mi}}\n"
        "  containers:\n"
        "  - name: a\n"
        "    resources: {requests: {cpu: 100m, memory: 100Mi}}\n"
        "  - name: b\n"
        "    resources: {requests: {cpu: 200m}}\n"
        "  overhead: {cpu: 250m, memory: 120Mi}\n"
        "---\n"
        /* sidecars add to the containers: 300m + 2 x 400m > init 1000m */
        "kind: Pod\n"
        "metadata: {name: q}\n"
        "spec:\n"
        "  initContainers:\n"
        "  - {name: s1, restartPolicy: Always,\n"
        "     resources: {requests: {cpu: 400m}}}\n"
        "  - {name: i1, resources: {requests: {cpu: \"1\"}}}\n"
        "  - {name: s2, restartPolicy: Always,\n"
        "     resources: {limits: {cpu: 400m}}}\n"
        "  containers:\n"
        "  - {name: a, resources: {requests: {cpu: 300m}}}\n",
        "p.yaml");
    solve();
    {
        const place_workload *w = wl("default", "p");
        /* cpu: max(300m + 50m, 1000m, 400m + 50m) + 250m */
        cr_assert_eq(req(w, "cpu"), 1250);
        /* memory: max(110Mi, 50Mi, 510Mi) + 120Mi */
        cr_assert_eq(req(w, "memory"), 630 * MI);
        cr_assert_eq(req(w, "pods"), 1);
    }
    {
        const place_workload *w = wl("default", "q");
        /* max(300 + 400 + 400, 1000 + 400) */
        cr_assert_eq(req(w, "cpu"), 1400);
    }
}

Test(decode, pod_level_resources_take_precedence)
{
    add(big_node, "node.yaml");
    add("kind: Pod\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  resources:\n"
        "    requests: {cpu: \"2\"}\n"
        "    limits: {memory: 1Gi}\n"
        "  overhead: {cpu: 100m}\n"
        "  containers:\n"
        "  - name: a\n"
        "    resources: {requests: {cpu: 500m, memory: 100Mi, "
        "ephemeral-storage: 2Gi}}\n",
        "p.yaml");
    solve();
    {
        const place_workload *w = wl("default", "p");
        cr_assert_eq(req(w, "cpu"), 2100);
        cr_assert_eq(req(w, "memory"), GI);
        cr_assert_eq(req(w, "ephemeral-storage"), 2 * GI);
    }
}

Test(decode, quantities)
{
    add(big_node, "node.yaml");
    add("kind: Pod\n"
        "metadata: {name: p}\n"
        "spec:\n"
        "  containers:\n"
        "  - name: a\n"
        "    resources:\n"
        "      requests: {cpu: \"0.1\", memory: 1.5Gi, "
        "ephemeral-storage: 1e3, example.com/gpu: 2}\n"
        "  - name: b\n"
        "    resources:\n"
        "      requests: {cpu: 1500u, memory: 1k}\n",
        "p.yaml");
    solve();
    {
        const place_workload *w = wl("default", "p");
        cr_assert_eq(req(w, "cpu"), 102); /* 100m + 1.5m rounded up */
        cr_assert_eq(req(w, "memory"), 3 * GI / 2 + 1000);
        cr_assert_eq(req(w, "ephemeral-storage"), 1000);
        cr_assert_eq(req(w, "example.com/gpu"), 2);
    }
}

/* ---- targets ------------------------------------------------------------ */

Test(decode, node_allocatable_else_capacity)
{
    add("kind: Node\n"
        "metadata: {name: a}\n"
        "status:\n"
        "  capacity: {cpu: \"4\", memory: 8Gi, pods: \"110\"}\n"
        "  allocatable: {cpu: 3500m, memory: 7Gi, pods: \"100\"}\n"
        "---\n"
        "kind: Node\n"
        "metadata: {name: b}\n"
        "status:\n"
        "  capacity: {cpu: \"2\", memory: 4Gi, pods: \"20\"}\n"
        "---\n"
        "kind: Node\n"
        "metadata: {name: c}\n"
        "status:\n"
        "  allocatable: null\n"
        "  capacity: {cpu: \"1\", pods: \"5\"}\n"
        "---\n"
        "kind: Node\n"
        "metadata: {name: d}\n",
        "nodes.yaml");
    cr_assert_eq(place_problem_target_count(pb), 4);
    solve();
    cr_assert_eq(tres(tg("a"), "cpu", false), 3500);
    cr_assert_eq(tres(tg("a"), "memory", false), 7 * GI);
    cr_assert_eq(tres(tg("a"), "pods", false), 100);
    cr_assert_eq(tres(tg("b"), "cpu", false), 2000);
    cr_assert_eq(tres(tg("b"), "memory", false), 4 * GI);
    cr_assert_eq(tres(tg("b"), "pods", false), 20);
    cr_assert_eq(tres(tg("c"), "cpu", false), 1000);
    cr_assert_eq(tres(tg("c"), "pods", false), 5);
    cr_assert_leq(tres(tg("d"), "cpu", false), 0);
    cr_assert_not(place_target_virtual(tg("a")));
}

Test(decode, node_taints_unschedulable_and_liqo_virtual_node)
{
    add("kind: Node\n"
        "metadata: {name: cordoned}\n"
        "spec: {unschedulable: true}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        "kind: Node\n"
        "metadata: {name: tainted}\n"
        "spec:\n"
        "  taints:\n"
        "  - {key: dedicated, value: gpu, effect: NoSchedule}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        "kind: Node\n"
        "metadata:\n"
        "  name: liqo-surf\n"
        "  labels: {liqo.io/type: virtual-node}\n"
        "spec:\n"
        "  taints:\n"
        "  - {key: virtual-node.liqo.io/not-allowed, value: \"true\",\n"
        "     effect: NoExecute}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: plain}\n"
        "spec: {}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: gpu}\n"
        "spec:\n"
        "  tolerations:\n"
        "  - {key: dedicated, operator: Equal, value: gpu, "
        "effect: NoSchedule}\n",
        "t.yaml");
    solve();
    cr_assert(place_target_virtual(tg("liqo-surf")));
    cr_assert_not(place_target_virtual(tg("tainted")));
    assert_rejected(wl("default", "plain"), "cordoned",
                    PLACE_REASON_TAINT_TOLERATION);
    assert_rejected(wl("default", "plain"), "tainted",
                    PLACE_REASON_TAINT_TOLERATION);
    assert_rejected(wl("default", "plain"), "liqo-surf",
                    PLACE_REASON_TAINT_TOLERATION);
    cr_assert(feasible(wl("default", "gpu"), "tainted"));
    assert_rejected(wl("default", "gpu"), "cordoned",
                    PLACE_REASON_TAINT_TOLERATION);
}

Test(decode, cluster_advertisement)
{
    add("apiVersion: libplace.io/v1alpha1\n"
        "kind: ClusterAdvertisement\n"
        "metadata:\n"
        "  name: surf\n"
        "  labels: {topology.region: north}\n"
        "spec:\n"
        "  virtual: true\n"
        "  allocatable: {cpu: \"8\", memory: 16Gi}\n"
        "  allocated: {cpu: \"2\", memory: 1Gi}\n"
        "  largestNode: {cpu: \"1\"}\n"
        "  price: {cpu: 0.5, memory: 0.01}\n"
        "  cost: 3\n"
        "---\n"
        "apiVersion: libplace.io/v1alpha1\n"
        "kind: ClusterAdvertisement\n"
        "metadata: {name: local}\n"
        "spec:\n"
        "  allocatable: {cpu: \"8\", memory: 16Gi, pods: \"4\"}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: Namespace\n"
        "metadata: {name: shop}\n"
        "---\n"
        "apiVersion: offloading.liqo.io/v1beta1\n"
        "kind: NamespaceOffloading\n"
        "metadata: {name: offloading, namespace: shop}\n"
        "spec: {podOffloadingStrategy: Remote}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: small, namespace: shop}\n"
        "spec:\n"
        "  replicas: 6\n"
        "  template:\n"
        "    spec:\n"
        "      nodeSelector: {liqo.io/remote-cluster-id: surf}\n"
        "      containers:\n"
        "      - {name: a, resources: {requests: {cpu: 500m}}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: too-big-for-one-node, namespace: shop}\n"
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      containers:\n"
        "      - {name: a, resources: {requests: {cpu: 1500m}}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: home}\n"
        "spec:\n"
        "  replicas: 5\n"
        "  template: {spec: {containers: [{name: a}]}}\n",
        "ca.yaml");
    cr_assert_eq(place_problem_ignored_count(pb), 1);
    solve();
    cr_assert(place_target_virtual(tg("surf")));
    cr_assert_not(place_target_virtual(tg("local")));
    cr_assert_eq(tres(tg("surf"), "cpu", false), 8000);
    cr_assert_eq(tres(tg("local"), "pods", false), 4);
    {
        /* free: 8 - 2 allocated = 6 cpus, twelve 500m pods; no pods
         * limit on a ClusterAdvertisement without one */
        const place_workload *w = wl("shop", "small");
        cr_assert_eq(placed_on(w, "surf"), 6);
        assert_rejected(w, "local", PLACE_REASON_NODE_AFFINITY);
        cr_assert_eq(tres(tg("surf"), "cpu", true), 2000 + 3000);
        cr_assert_eq(tres(tg("surf"), "memory", true), GI);
    }
    /* largestNode: one pod cannot span nodes */
    assert_rejected(wl("shop", "too-big-for-one-node"), "surf",
                    PLACE_REASON_NODE_RESOURCES_FIT);
    /* Remote strategy: never the local target */
    assert_rejected(wl("shop", "too-big-for-one-node"), "local",
                    PLACE_REASON_OFFLOADING_POLICY);
    /* default namespace, no offloading: Liqo's taint keeps it local; the
     * pods allocatable of the local target limits it to 4 */
    assert_rejected(wl("default", "home"), "surf",
                    PLACE_REASON_TAINT_TOLERATION);
    cr_assert_eq(placed_on(wl("default", "home"), "local"), 4);
    cr_assert_eq(place_workload_unplaced(wl("default", "home")), 1);
}

/* The fixed cost and the prices make the cheaper target win. */
Test(decode, cluster_advertisement_cost_and_price)
{
    add("kind: ClusterAdvertisement\n"
        "metadata: {name: a-expensive}\n"
        "spec: {allocatable: {cpu: \"4\"}, cost: 10}\n"
        "---\n"
        "kind: ClusterAdvertisement\n"
        "metadata: {name: b-cheap}\n"
        "spec: {allocatable: {cpu: \"4\"}, cost: 1}\n"
        "---\n"
        "kind: ClusterAdvertisement\n"
        "metadata: {name: c-pricey-cpu}\n"
        "spec: {allocatable: {cpu: \"4\"}, cost: 1, price: {cpu: 100}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: p}\n"
        "spec: {containers: [{name: a, resources: {requests: {cpu: "
        "\"1\"}}}]}\n",
        "ca.yaml");
    solve();
    cr_assert_eq(placed_on(wl("default", "p"), "b-cheap"), 1);
}

/* ---- priorities --------------------------------------------------------- */

Test(decode, priority_classes)
{
    add(big_node, "node.yaml");
    add("apiVersion: scheduling.k8s.io/v1\n"
        "kind: PriorityClass\n"
        "metadata: {name: high}\n"
        "value: 1000\n"
        "description: important\n"
        "---\n"
        "kind: PriorityClass\n"
        "metadata: {name: low}\n"
        "value: -5\n"
        "globalDefault: false\n"
        "---\n"
        "kind: PriorityClass\n"
        "metadata: {name: normal}\n"
        "value: 7\n"
        "globalDefault: true\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: a}\n"
        "spec: {template: {spec: {priorityClassName: high}}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: b}\n"
        "spec: {template: {spec: {priorityClassName: low}}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: c}\n"
        "spec: {template: {spec: {}}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: d}\n"
        "spec: {priority: 42}\n",
        "p.yaml");
    solve();
    cr_assert_eq(place_workload_priority(wl("default", "a")), 1000);
    cr_assert_eq(place_workload_priority(wl("default", "b")), -5);
    cr_assert_eq(place_workload_priority(wl("default", "c")), 7);
    cr_assert_eq(place_workload_priority(wl("default", "d")), 42);
}

Test(decode, no_priority_is_zero)
{
    add(big_node, "node.yaml");
    add("kind: PriorityClass\nmetadata: {name: x}\nvalue: 5\n---\n"
        "kind: Pod\nmetadata: {name: p}\nspec: {}\n",
        "p.yaml");
    solve();
    cr_assert_eq(place_workload_priority(wl("default", "p")), 0);
}

/* ---- namespace offloading ----------------------------------------------- */

Test(decode, namespace_offloading_only_named_offloading)
{
    add("kind: Node\n"
        "metadata: {name: home}\n"
        "status: {allocatable: {cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        "kind: ClusterAdvertisement\n"
        "metadata: {name: remote}\n"
        "spec: {virtual: true, allocatable: {cpu: \"4\", pods: \"10\"}}\n"
        "---\n"
        /* Liqo's webhook reads only the object named offloading */
        "kind: NamespaceOffloading\n"
        "metadata: {name: something-else, namespace: a}\n"
        "spec: {podOffloadingStrategy: Remote}\n"
        "---\n"
        "kind: NamespaceOffloading\n"
        "metadata: {name: offloading, namespace: b}\n"
        "spec: {podOffloadingStrategy: Remote}\n"
        "---\n"
        "kind: NamespaceOffloading\n"
        "metadata: {name: offloading, namespace: c}\n"
        "spec: {podOffloadingStrategy: Local}\n"
        "---\n"
        "kind: NamespaceOffloading\n"
        "metadata: {name: offloading, namespace: d}\n"
        "spec: {}\n" /* LocalAndRemote */
        "---\n"
        "kind: Pod\nmetadata: {name: p, namespace: a}\nspec: {}\n"
        "---\n"
        "kind: Pod\nmetadata: {name: p, namespace: b}\nspec: {}\n"
        "---\n"
        "kind: Pod\nmetadata: {name: p, namespace: c}\nspec: {}\n"
        "---\n"
        "kind: Pod\nmetadata: {name: p, namespace: d}\nspec: {}\n",
        "o.yaml");
    cr_assert_eq(place_problem_ignored_count(pb), 1);
    solve();
    cr_assert(feasible(wl("a", "p"), "home"));
    assert_rejected(wl("a", "p"), "remote", PLACE_REASON_TAINT_TOLERATION);
    assert_rejected(wl("b", "p"), "home", PLACE_REASON_OFFLOADING_POLICY);
    cr_assert(feasible(wl("b", "p"), "remote"));
    cr_assert(feasible(wl("c", "p"), "home"));
    /* (reported as TaintToleration or OffloadingPolicy: the rule is
     * feasible.c's business, not the decoder's) */
    cr_assert_not(feasible(wl("c", "p"), "remote"));
    cr_assert(feasible(wl("d", "p"), "home"));
    cr_assert(feasible(wl("d", "p"), "remote"));
}

/* ---- policy ------------------------------------------------------------- */

Test(decode, placement_policy_ordinal_labels)
{
    add("kind: Node\n"
        "metadata: {name: n-low, labels: {gaia-x.compliance: low}}\n"
        "status: {allocatable: {pods: \"10\"}}\n---\n"
        "kind: Node\n"
        "metadata: {name: n-mid, labels: {gaia-x.compliance: mid}}\n"
        "status: {allocatable: {pods: \"10\"}}\n---\n"
        "kind: Node\n"
        "metadata: {name: n-high, labels: {gaia-x.compliance: high}}\n"
        "status: {allocatable: {pods: \"10\"}}\n---\n"
        "kind: Pod\n"
        "metadata: {name: above-low}\n"
        "spec:\n"
        "  affinity:\n"
        "    nodeAffinity:\n"
        "      requiredDuringSchedulingIgnoredDuringExecution:\n"
        "        nodeSelectorTerms:\n"
        "        - matchExpressions:\n"
        "          - {key: gaia-x.compliance, operator: Gt, values: [low]}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: below-high}\n"
        "spec:\n"
        "  affinity:\n"
        "    nodeAffinity:\n"
        "      requiredDuringSchedulingIgnoredDuringExecution:\n"
        "        nodeSelectorTerms:\n"
        "        - matchExpressions:\n"
        "          - {key: gaia-x.compliance, operator: Lt, values: [high]}\n",
        "pods.yaml");
    add("apiVersion: libplace.io/v1alpha1\n"
        "kind: PlacementPolicy\n"
        "metadata: {name: policy}\n"
        "spec:\n"
        "  timeLimitSeconds: 30\n"
        "  mipGap: 0\n"
        "  weights: {affinity: 2, taint: 1, cost: 0.5}\n"
        "  ordinalLabels:\n"
        "  - key: gaia-x.compliance\n"
        "    order: [low, mid, high]\n",
        "policy.yaml");
    solve();
    cr_assert_not(feasible(wl("default", "above-low"), "n-low"));
    cr_assert(feasible(wl("default", "above-low"), "n-mid"));
    cr_assert(feasible(wl("default", "above-low"), "n-high"));
    cr_assert(feasible(wl("default", "below-high"), "n-low"));
    cr_assert(feasible(wl("default", "below-high"), "n-mid"));
    cr_assert_not(feasible(wl("default", "below-high"), "n-high"));
}

/* ---- what is skipped ---------------------------------------------------- */

Test(decode, unknown_kinds_are_skipped_and_counted)
{
    add(big_node, "node.yaml");
    add("apiVersion: v1\n"
        "kind: Service\n"
        "metadata: {name: web}\n"
        "spec: {ports: [{port: 80}], selector: {app: web}}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ConfigMap\n"
        "metadata: {name: cfg}\n"
        "data: {replicas: three}\n"
        "---\n"
        "apiVersion: v1\n"
        "kind: ServiceAccount\n"
        "metadata: {name: sa}\n"
        "---\n"
        /* nothing of an unknown kind is checked, not even its name */
        "apiVersion: example.com/v1\n"
        "kind: Widget\n"
        "spec: {replicas: -4, weight: 0}\n"
        "---\n"
        "# an empty document\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: p}\n"
        "spec: {}\n",
        "mixed.yaml");
    cr_assert_eq(place_problem_document_count(pb), 6);
    cr_assert_eq(place_problem_ignored_count(pb), 4);
    cr_assert_eq(place_problem_workload_count(pb), 1);
    solve();
    cr_assert_eq(place_result_document_count(res), 6);
    cr_assert_eq(place_result_ignored_count(res), 4);
    cr_assert_eq(place_result_workload_count(res), 1);
}

Test(decode, unknown_fields_are_ignored)
{
    add("apiVersion: v1\n"
        "kind: Node\n"
        "metadata:\n"
        "  name: n\n"
        "  uid: 1234\n"
        "  annotations: {note: \"anything: at all\"}\n"
        "  managedFields: [{manager: kubectl}]\n"
        "spec: {podCIDR: 10.0.0.0/24, providerID: x}\n"
        "status:\n"
        "  allocatable: {cpu: \"2\", pods: \"10\"}\n"
        "  conditions: [{type: Ready, status: \"True\"}]\n"
        "  nodeInfo: {kernelVersion: 6.1}\n"
        "---\n"
        "apiVersion: apps/v1\n"
        "kind: Deployment\n"
        "metadata: {name: web, generation: 3}\n"
        "spec:\n"
        "  replicas: 2\n"
        "  strategy: {type: RollingUpdate}\n"
        "  revisionHistoryLimit: 10\n"
        "  template:\n"
        "    metadata: {labels: {app: web}, annotations: {a: b}}\n"
        "    spec:\n"
        "      serviceAccountName: default\n"
        "      securityContext: {runAsNonRoot: true}\n"
        "      volumes: [{name: v, emptyDir: {}}]\n"
        "      containers:\n"
        "      - name: app\n"
        "        image: nginx:1.27\n"
        "        ports: [{containerPort: 80}]\n"
        "        env: [{name: X, value: \"1\"}]\n"
        "        readinessProbe: {httpGet: {path: /, port: 80}}\n"
        "        resources:\n"
        "          requests: {cpu: 100m}\n"
        "          claims: [{name: gpu}]\n"
        "status: {replicas: 1, readyReplicas: 1}\n",
        "web.yaml");
    solve();
    cr_assert_eq(place_workload_replicas(wl("default", "web")), 2);
    cr_assert_eq(req(wl("default", "web"), "cpu"), 100);
    cr_assert_eq(place_workload_placed(wl("default", "web")), 2);
}

/* A null field is an absent field, in YAML (~, null, empty) and JSON. */
Test(decode, null_fields_are_absent)
{
    add("kind: Node\n"
        "metadata: {name: n, labels: ~, namespace: null}\n"
        "spec: {taints: null, unschedulable: ~}\n"
        "status: {allocatable: {cpu: \"2\", memory: null, pods: \"10\"}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata:\n"
        "  name: web\n"
        "  namespace:\n"
        "  labels: null\n"
        "spec:\n"
        "  replicas: null\n"
        "  template:\n"
        "    metadata: ~\n"
        "    spec:\n"
        "      nodeSelector: null\n"
        "      affinity: {nodeAffinity: null}\n"
        "      tolerations: ~\n"
        "      priorityClassName: null\n"
        "      priority: null\n"
        "      initContainers: null\n"
        "      overhead: ~\n"
        "      containers:\n"
        "      - name: app\n"
        "        resources:\n"
        "          requests: {cpu: 100m, memory: null}\n"
        "          limits: null\n",
        "n.yaml");
    add("{\"kind\": \"Pod\",\n"
        " \"metadata\": {\"name\": \"p\", \"namespace\": null, "
        "\"labels\": null},\n"
        " \"spec\": {\"nodeSelector\": null, \"affinity\": null,\n"
        "          \"tolerations\": null, \"nodeName\": null,\n"
        "          \"containers\": [{\"name\": \"a\", \"resources\": "
        "{\"requests\": {\"cpu\": \"50m\", \"memory\": null}}}]}}\n",
        "p.json");
    solve();
    {
        const place_workload *w = wl("default", "web");
        cr_assert_eq(place_workload_replicas(w), 1);
        cr_assert_eq(place_workload_priority(w), 0);
        cr_assert_eq(req(w, "cpu"), 100);
        cr_assert_eq(req(w, "memory"), -1);
        cr_assert(feasible(w, "n"));
    }
    {
        const place_workload *w = wl("default", "p");
        cr_assert_eq(req(w, "cpu"), 50);
        cr_assert_eq(req(w, "memory"), -1);
        cr_assert(feasible(w, "n"));
        cr_assert_eq(placed_on(w, "n"), 1);
    }
}

/* ---- labels ------------------------------------------------------------- */

/* `gdpr-approved: true` is the label value "true", whatever the spelling. */
Test(decode, unquoted_label_values_are_strings)
{
    add("kind: Node\n"
        "metadata:\n"
        "  name: yaml-node\n"
        "  labels: {gaia-x.gdpr-approved: true, rack: 12, ratio: 1.5}\n"
        "status: {allocatable: {pods: \"10\"}}\n",
        "n.yaml");
    add("{\"kind\": \"Node\", \"metadata\": {\"name\": \"json-node\",\n"
        " \"labels\": {\"gaia-x.gdpr-approved\": true, \"rack\": 12, "
        "\"ratio\": 1.5}},\n"
        " \"status\": {\"allocatable\": {\"pods\": \"10\"}}}\n",
        "n.json");
    add("kind: Node\n"
        "metadata:\n"
        "  name: false-node\n"
        "  labels: {gaia-x.gdpr-approved: \"false\", rack: \"12\"}\n"
        "status: {allocatable: {pods: \"10\"}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: quoted}\n"
        "spec:\n"
        "  nodeSelector: {gaia-x.gdpr-approved: \"true\", rack: \"12\"}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: unquoted}\n"
        "spec: {nodeSelector: {gaia-x.gdpr-approved: true, ratio: 1.5}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: affinity}\n"
        "spec:\n"
        "  affinity:\n"
        "    nodeAffinity:\n"
        "      requiredDuringSchedulingIgnoredDuringExecution:\n"
        "        nodeSelectorTerms:\n"
        "        - matchExpressions:\n"
        "          - {key: gaia-x.gdpr-approved, operator: In, "
        "values: [true]}\n",
        "pods.yaml");
    solve();
    {
        static const char *const pods[] = {"quoted", "unquoted", "affinity"};
        size_t i;
        for (i = 0; i < 3; i++) {
            const place_workload *w = wl("default", pods[i]);
            cr_assert(feasible(w, "yaml-node"), "%s", pods[i]);
            cr_assert(feasible(w, "json-node"), "%s", pods[i]);
            assert_rejected(w, "false-node", PLACE_REASON_NODE_AFFINITY);
        }
    }
}

/* ---- the JSON shapes ---------------------------------------------------- */

static char *written(void)
{
    char *out = NULL;
    size_t len = 0;
    cr_assert_eq(place_result_write(res, PLACE_OUTPUT_JSON, NULL,
                                    PLACE_WRITE_NO_TIMINGS, &out, &len),
                 PLACE_OK, "%s", place_errmsg(ctx));
    return out;
}

/* One problem written four ways: YAML documents, a JSON List, a JSON array
 * and one JSON object per source. The results are the same. */
Test(decode, json_list_array_and_objects)
{
    static const char yaml[] =
        "kind: Node\n"
        "metadata: {name: n1, labels: {disk: ssd}}\n"
        "status: {allocatable: {cpu: \"2\", pods: \"10\"}}\n"
        "---\n"
        "kind: Node\n"
        "metadata: {name: n2}\n"
        "status: {allocatable: {cpu: \"2\", pods: \"10\"}}\n"
        "---\n"
        "kind: Deployment\n"
        "metadata: {name: web, namespace: shop}\n"
        "spec:\n"
        "  replicas: 3\n"
        "  template:\n"
        "    spec:\n"
        "      nodeSelector: {disk: ssd}\n"
        "      containers: [{name: a, resources: {requests: {cpu: 500m}}}]\n"
        "---\n"
        "kind: Service\n"
        "metadata: {name: web, namespace: shop}\n";
    static const char *const objects[] = {
        "{\"kind\": \"Node\", \"metadata\": {\"name\": \"n1\", "
        "\"labels\": {\"disk\": \"ssd\"}}, \"status\": {\"allocatable\": "
        "{\"cpu\": \"2\", \"pods\": \"10\"}}}",
        "{\"kind\": \"Node\", \"metadata\": {\"name\": \"n2\"}, "
        "\"status\": {\"allocatable\": {\"cpu\": \"2\", \"pods\": 10}}}",
        "{\"kind\": \"Deployment\", \"metadata\": {\"name\": \"web\", "
        "\"namespace\": \"shop\"}, \"spec\": {\"replicas\": 3, "
        "\"template\": {\"spec\": {\"nodeSelector\": {\"disk\": \"ssd\"}, "
        "\"containers\": [{\"name\": \"a\", \"resources\": {\"requests\": "
        "{\"cpu\": \"500m\"}}}]}}}}",
        "{\"kind\": \"Service\", \"metadata\": {\"name\": \"web\", "
        "\"namespace\": \"shop\"}}",
    };
    char array[2048], list[4096];
    char *want, *got;
    size_t i;

    snprintf(array, sizeof array, "[%s,\n%s,\n%s,\n%s]", objects[0],
             objects[1], objects[2], objects[3]);
    snprintf(list, sizeof list,
             "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"metadata\": {},"
             " \"items\": %s}", array);

    add(yaml, "all.yaml");
    solve();
    cr_assert_eq(place_result_document_count(res), 4);
    cr_assert_eq(place_result_ignored_count(res), 1);
    cr_assert_eq(placed_on(wl("shop", "web"), "n1"), 3);
    want = written();

    for (i = 0; i < 3; i++) {
        teardown();
        setup();
        if (i == 0) {
            add(list, "list.json");
        } else if (i == 1) {
            add(array, "array.json");
        } else {
            size_t k;
            for (k = 0; k < 4; k++)
                add(objects[k], "object.json");
        }
        cr_assert_eq(place_problem_document_count(pb), 4);
        cr_assert_eq(place_problem_ignored_count(pb), 1);
        solve();
        got = written();
        cr_assert_str_eq(got, want, "shape %zu", i);
        place_mem_free(ctx, got);
    }
    place_mem_free(ctx, want);
}

/* A List may hold Lists; an empty List and an empty array are fine. */
Test(decode, empty_and_nested_lists)
{
    add("{\"kind\": \"List\", \"items\": []}", "empty.json");
    add("[]", "empty-array.json");
    add("kind: List\nitems: ~\n", "null-items.yaml");
    cr_assert_eq(place_problem_document_count(pb), 0);
    add("kind: List\n"
        "items:\n"
        "- kind: List\n"
        "  items:\n"
        "  - {kind: Node, metadata: {name: n}}\n"
        "- {kind: Pod, metadata: {name: p}, spec: {}}\n",
        "nested.yaml");
    cr_assert_eq(place_problem_document_count(pb), 2);
    cr_assert_eq(place_problem_workload_count(pb), 1);
    cr_assert_eq(place_problem_target_count(pb), 1);
}

/* ---- bound pods --------------------------------------------------------- */

static void add_bound_pods(void)
{
    add("kind: Node\n"
        "metadata: {name: n}\n"
        "status: {allocatable: {cpu: \"1\", pods: \"10\"}}\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: running}\n"
        "spec:\n"
        "  nodeName: n\n"
        "  containers: [{name: a, resources: {requests: {cpu: 700m}}}]\n"
        "---\n"
        "kind: Pod\n"
        "metadata: {name: pending}\n"
        "spec:\n"
        "  containers: [{name: a, resources: {requests: {cpu: 700m}}}]\n",
        "b.yaml");
}

Test(decode, bound_pod_uses_its_target)
{
    add_bound_pods();
    solve();
    cr_assert_eq(placed_on(wl("default", "running"), "n"), 1);
    cr_assert_eq(place_workload_placed(wl("default", "running")), 1);
    cr_assert_eq(place_workload_unplaced(wl("default", "pending")), 1);
}

/* The bound pod is requested once on its target. */
Test(decode, bound_pod_counted_once)
{
    add_bound_pods();
    solve();
    cr_assert_eq(tres(tg("n"), "cpu", true), 700);
    cr_assert_eq(tres(tg("n"), "pods", true), 1);
}

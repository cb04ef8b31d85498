/*
 * test_upstream.c: libplace on real upstream manifests, read at run time from
 * the shared folder (PLACE_SHARED_DIR), never copied into the project:
 *
 * (a) Google's Online Boutique release manifest, with one large Node written
 *     here: every workload read with its real requests, every other document
 *     skipped and counted, everything placed;
 * (b) the inputs of Liqo's end-to-end test (liqotech/microservices-demo,
 *     release/): the fixed-2clusters, fixed-3clusters, prefer-local (and
 *     base) manifests over the clusters that test used, built here. What each
 *     Deployment must get is derived from its own node affinity, read from
 *     the manifest text by a small reader below (independent of libplace),
 *     so the expectations are not hand-copied.
 *
 * Each test prints a SKIP line and skips when the shared folder is absent.
 */
#include <place.h>

#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

#define OB_MANIFEST "upstream/online-boutique/kubernetes-manifests.yaml"
#define LIQO_RELEASE "upstream/liqo-microservices-demo/release/"

static place_ctx *up_ctx;

static void up_setup(void)
{
    cr_assert_eq(place_ctx_new(&up_ctx, NULL), PLACE_OK);
}

static void up_teardown(void)
{
    place_ctx_free(up_ctx);
}

TestSuite(upstream, .init = up_setup, .fini = up_teardown);

#define UP_REQUIRE(rel)                                                       \
    do {                                                                      \
        if (!test_shared_available(rel))                                      \
            cr_skip_test("%s is absent", test_shared_path(rel));              \
    } while (0)

static void up_add_text(place_problem *pb, const char *text,
                        const char *source)
{
    int rc = place_problem_add_document(pb, text, strlen(text),
                                        PLACE_FORMAT_YAML, source);
    cr_assert_eq(rc, PLACE_OK, "%s: %s", source, place_errmsg(up_ctx));
}

static void up_add_shared(place_problem *pb, const char *rel)
{
    int rc = place_problem_add_file(pb, test_shared_path(rel),
                                    PLACE_FORMAT_AUTO);
    cr_assert_eq(rc, PLACE_OK, "%s: %s", rel, place_errmsg(up_ctx));
}

static place_result *up_solve(place_problem *pb)
{
    place_result *r = NULL;
    int rc = place_solve(&r, pb, NULL);
    cr_assert_eq(rc, PLACE_OK, "solve: %s", place_errmsg(up_ctx));
    cr_assert_eq(place_result_outcome(r), PLACE_OUTCOME_OPTIMAL);
    return r;
}

static int64_t up_request(const place_workload *w, const char *res)
{
    for (size_t j = 0; j < place_workload_request_count(w); j++)
        if (strcmp(place_workload_request_name(w, j), res) == 0)
            return place_workload_request_value(w, j);
    return -1;
}

static int64_t up_on(const place_workload *w, const char *target)
{
    for (size_t i = 0; i < place_workload_assignment_count(w); i++)
        if (strcmp(place_workload_assignment_target(w, i), target) == 0)
            return place_workload_assignment_replicas(w, i);
    return 0;
}

/* ------------------------------------------------------------------------
 * A reader for the manifests' own text: kinds, names and node affinity. It
 * knows just enough YAML for these files (block style, two-space indents,
 * `---` between documents), which keeps the expectations independent of
 * libplace's parser.
 */
#define MAXS 64
#define MAXV 4
#define MAXE 4
#define MAXT 4
#define MAXD 32

typedef struct up_expr {
    char key[MAXS];
    char op[16];
    char values[MAXV][MAXS];
    int nvalues;
} up_expr;

typedef struct up_term {
    up_expr exprs[MAXE];
    int nexprs;
    int weight; /* preferred terms */
} up_term;

typedef struct up_deploy {
    char name[MAXS];
    up_term req[MAXT];
    int nreq;
    up_term pref[MAXT];
    int npref;
} up_deploy;

typedef struct up_manifest {
    int documents;    /* documents with a kind */
    int nonworkloads; /* of those, kinds that are not workloads */
    up_deploy deploys[MAXD];
    int ndeploys;
} up_manifest;

static void up_copy(char *dst, const char *src, size_t n)
{
    size_t len = strcspn(src, "\r\n");
    while (len && (src[len - 1] == ' '))
        len--;
    if (len >= 2 && (src[0] == '"' || src[0] == '\'') &&
        src[len - 1] == src[0]) {
        src++;
        len -= 2;
    }
    cr_assert_lt(len, n, "value too long: %.*s", (int)len, src);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static bool up_is_workload_kind(const char *kind)
{
    static const char *const kinds[] = {"Pod", "Deployment", "ReplicaSet",
                                        "StatefulSet", "Job"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return true;
    return false;
}

/* Parse one document's lines [s, e). */
static void up_parse_doc(up_manifest *m, const char *s, const char *e)
{
    char kind[MAXS] = "", name[MAXS] = "";
    up_deploy d;
    enum { NONE, REQ, PREF } mode = NONE;
    int base = 0, values_indent = -1;
    bool in_meta = false;
    up_term *term = NULL;
    up_expr *ex = NULL;

    memset(&d, 0, sizeof d);
    for (const char *l = s; l < e;) {
        const char *nl = memchr(l, '\n', (size_t)(e - l));
        const char *end = nl ? nl : e;
        int ind = 0;
        while (l + ind < end && l[ind] == ' ')
            ind++;
        const char *t = l + ind;
        size_t tl = (size_t)(end - t);

        if (tl == 0 || *t == '#') {
            l = nl ? nl + 1 : e;
            continue;
        }
        if (ind == 0) {
            in_meta = strncmp(t, "metadata:", 9) == 0;
            if (strncmp(t, "kind: ", 6) == 0)
                up_copy(kind, t + 6, sizeof kind);
        } else if (in_meta && ind == 2 && strncmp(t, "name: ", 6) == 0) {
            up_copy(name, t + 6, sizeof name);
        }
        /* A block ends at a line indented less, or as much but not a list
         * item (block sequences may sit at their key's indentation). */
        if (mode != NONE && (ind < base || (ind == base && *t != '-')))
            mode = NONE;
        if (values_indent >= 0 && (ind < values_indent || *t != '-'))
            values_indent = -1;
        if (mode == NONE) {
            if (strncmp(t, "requiredDuringSchedulingIgnoredDuringExecution:",
                        47) == 0) {
                mode = REQ;
                base = ind;
                term = NULL;
            } else if (strncmp(t, "preferredDuringSchedulingIgnoredDuring"
                                  "Execution:", 48) == 0) {
                mode = PREF;
                base = ind;
                term = NULL;
            }
        } else if (values_indent >= 0) {
            cr_assert_not_null(ex);
            cr_assert_lt(ex->nvalues, MAXV);
            up_copy(ex->values[ex->nvalues++], t + 2, MAXS);
        } else if (strncmp(t, "- matchExpressions:", 19) == 0 ||
                   strncmp(t, "- preference:", 13) == 0) {
            up_term *arr = mode == REQ ? d.req : d.pref;
            int *n = mode == REQ ? &d.nreq : &d.npref;
            cr_assert_lt(*n, MAXT);
            term = &arr[(*n)++];
            ex = NULL;
        } else if (strncmp(t, "- key: ", 7) == 0) {
            cr_assert_not_null(term, "%s: expression outside a term", name);
            cr_assert_lt(term->nexprs, MAXE);
            ex = &term->exprs[term->nexprs++];
            up_copy(ex->key, t + 7, sizeof ex->key);
        } else if (strncmp(t, "operator: ", 10) == 0) {
            cr_assert_not_null(ex);
            up_copy(ex->op, t + 10, sizeof ex->op);
        } else if (strncmp(t, "values:", 7) == 0) {
            values_indent = ind;
        } else if (strncmp(t, "weight: ", 8) == 0) {
            cr_assert_not_null(term);
            term->weight = atoi(t + 8);
        } else if (strncmp(t, "matchFields:", 12) == 0) {
            cr_assert_fail("%s: matchFields is not read here", name);
        }
        l = nl ? nl + 1 : e;
    }
    if (!*kind)
        return;
    m->documents++;
    if (!up_is_workload_kind(kind)) {
        m->nonworkloads++;
        return;
    }
    cr_assert_str_eq(kind, "Deployment", "only Deployments are expected");
    cr_assert(*name, "a Deployment without a name");
    cr_assert_lt(m->ndeploys, MAXD);
    memcpy(d.name, name, sizeof d.name);
    m->deploys[m->ndeploys++] = d;
}

static void up_read_manifest(up_manifest *m, const char *rel)
{
    size_t len;
    char *text = test_read_file(test_shared_path(rel), &len);
    const char *p, *end;

    cr_assert_not_null(text, "cannot read %s", rel);
    memset(m, 0, sizeof *m);
    p = text;
    end = text + len;
    while (p < end) {
        /* The next line that is exactly "---" ends this document. */
        const char *q = p, *next = end, *docend = end;
        while (q < end) {
            const char *nl = memchr(q, '\n', (size_t)(end - q));
            const char *le = nl ? nl : end;
            if (le - q == 3 && strncmp(q, "---", 3) == 0) {
                docend = q;
                next = nl ? nl + 1 : end;
                break;
            }
            q = nl ? nl + 1 : end;
        }
        up_parse_doc(m, p, docend);
        p = next;
    }
    free(text);
}

/* ------------------------------------------------------------------------
 * Targets built here, with labels the matcher below can read too.
 */
#define MAXL 12

typedef struct up_target {
    const char *name;
    bool is_virtual;
    const char *keys[MAXL];
    const char *values[MAXL];
    int64_t cpu;    /* millicores */
    int64_t memory; /* bytes */
    int64_t pods;
} up_target;

static const char *up_label(const up_target *t, const char *key)
{
    for (int i = 0; i < MAXL && t->keys[i]; i++)
        if (strcmp(t->keys[i], key) == 0)
            return t->values[i];
    return NULL;
}

static void up_add_target(place_problem *pb, const up_target *t)
{
    char doc[4096];
    int n = snprintf(doc, sizeof doc,
                     "apiVersion: v1\nkind: Node\nmetadata:\n  name: %s\n"
                     "  labels:\n",
                     t->name);
    for (int i = 0; i < MAXL && t->keys[i]; i++)
        n += snprintf(doc + n, sizeof doc - (size_t)n, "    %s: \"%s\"\n",
                      t->keys[i], t->values[i]);
    if (t->is_virtual)
        n += snprintf(doc + n, sizeof doc - (size_t)n,
                      "spec:\n  taints:\n"
                      "  - {key: virtual-node.liqo.io/not-allowed, value: "
                      "\"true\", effect: NoExecute}\n");
    n += snprintf(doc + n, sizeof doc - (size_t)n,
                  "status:\n  allocatable: {cpu: %lldm, memory: \"%lld\", "
                  "pods: \"%lld\"}\n",
                  (long long)t->cpu, (long long)t->memory,
                  (long long)t->pods);
    cr_assert_lt((size_t)n, sizeof doc);
    up_add_text(pb, doc, t->name);
}

/* kube-scheduler's node selector requirement (In, NotIn, Exists,
 * DoesNotExist; the manifests use no other). */
static bool up_expr_matches(const up_expr *e, const up_target *t)
{
    const char *v = up_label(t, e->key);
    bool in = false;

    for (int i = 0; v && i < e->nvalues; i++)
        if (strcmp(v, e->values[i]) == 0)
            in = true;
    if (strcmp(e->op, "In") == 0)
        return in;
    if (strcmp(e->op, "NotIn") == 0)
        return !in;
    if (strcmp(e->op, "Exists") == 0)
        return v != NULL;
    if (strcmp(e->op, "DoesNotExist") == 0)
        return v == NULL;
    cr_assert_fail("operator %s is not evaluated here", e->op);
    return false;
}

static bool up_term_matches(const up_term *term, const up_target *t)
{
    for (int i = 0; i < term->nexprs; i++)
        if (!up_expr_matches(&term->exprs[i], t))
            return false;
    return true;
}

/* Where Liqo lets the pod go in a namespace offloaded LocalAndRemote with
 * the cluster selector `region Exists` (liqoctl's --selector region): the
 * pod's own required terms, ANDed with (selector OR not virtual). */
static bool up_allowed(const up_deploy *d, const up_target *t)
{
    bool own = d->nreq == 0;
    for (int i = 0; i < d->nreq; i++)
        if (up_term_matches(&d->req[i], t))
            own = true;
    return own && (up_label(t, "region") != NULL || !t->is_virtual);
}

static int up_pref_score(const up_deploy *d, const up_target *t)
{
    int s = 0;
    for (int i = 0; i < d->npref; i++)
        if (up_term_matches(&d->pref[i], t))
            s += d->pref[i].weight;
    return s;
}

/* The clusters of Liqo's E2E pipeline (test/e2e/pipeline/installer/liqo/
 * setup.sh): cluster labels provider and region; cluster 1 is the home,
 * the others appear there as Liqo virtual nodes. In Liqo these are cluster
 * labels; here they sit on the node that stands for each cluster. */
#define GI (1024LL * 1024 * 1024)
static const up_target up_clusters[] = {
    {"cluster-1", false,
     {"kubernetes.io/hostname", "kubernetes.io/os", "provider", "region"},
     {"cluster-1", "linux", "Azure", "A"}, 8000, 16 * GI, 110},
    {"liqo-cluster-2", true,
     {"type", "kubernetes.io/role", "kubernetes.io/hostname", "liqo.io/type",
      "liqo.io/remote-cluster-id", "provider", "region"},
     {"virtual-kubelet", "agent", "liqo-cluster-2", "virtual-node",
      "cluster-2", "AWS", "B"},
     8000, 16 * GI, 110},
    {"liqo-cluster-3", true,
     {"type", "kubernetes.io/role", "kubernetes.io/hostname", "liqo.io/type",
      "liqo.io/remote-cluster-id", "provider", "region"},
     {"virtual-kubelet", "agent", "liqo-cluster-3", "virtual-node",
      "cluster-3", "GKE", "C"},
     8000, 16 * GI, 110},
};

/* The namespace the manifests go to (they name none: default), offloaded
 * as the E2E test did: liqoctl offload namespace --selector region. */
static const char up_offloading[] =
    "apiVersion: offloading.liqo.io/v1beta1\n"
    "kind: NamespaceOffloading\n"
    "metadata: {name: offloading, namespace: default}\n"
    "spec:\n"
    "  podOffloadingStrategy: LocalAndRemote\n"
    "  clusterSelector:\n"
    "    nodeSelectorTerms:\n"
    "    - matchExpressions:\n"
    "      - {key: region, operator: Exists}\n";

/* Solve manifest @p rel over the first @p nclusters clusters of
 * @p clusters; fills @p m with the manifest as read here. */
static place_result *up_solve_liqo(const char *rel, const up_target *clusters,
                                   size_t nclusters, up_manifest *m)
{
    place_problem *pb = NULL;
    place_result *r;

    up_read_manifest(m, rel);
    cr_assert_eq(place_problem_new(&pb, up_ctx), PLACE_OK);
    up_add_shared(pb, rel);
    cr_assert_eq(place_problem_workload_count(pb), (size_t)m->ndeploys, "%s",
                 rel);
    cr_assert_eq(place_problem_ignored_count(pb), (size_t)m->nonworkloads,
                 "%s", rel);
    for (size_t i = 0; i < nclusters; i++)
        up_add_target(pb, &clusters[i]);
    up_add_text(pb, up_offloading, "offloading");
    r = up_solve(pb);
    place_problem_free(pb);
    cr_assert_eq(place_result_workload_count(r), (size_t)m->ndeploys);
    return r;
}

/* Every Deployment is placed, only where its own affinity (and the
 * namespace's offloading) allows; one pinned to a single target lands
 * there. Returns how many Deployments were pinned to each target. */
static void up_assert_forced(const char *rel, const place_result *r,
                             const up_manifest *m, const up_target *clusters,
                             size_t nclusters, int pinned[])
{
    for (size_t k = 0; k < nclusters; k++)
        pinned[k] = 0;
    cr_assert(place_result_all_placed(r), "%s: not all placed", rel);
    for (int i = 0; i < m->ndeploys; i++) {
        const up_deploy *d = &m->deploys[i];
        const place_workload *w =
            place_result_find_workload(r, "default", d->name);
        size_t nallowed = 0, only = 0;

        cr_assert_not_null(w, "%s: %s missing", rel, d->name);
        cr_assert_eq(place_workload_placed(w), place_workload_replicas(w),
                     "%s: %s: %s", rel, d->name,
                     place_workload_summary(w) ? place_workload_summary(w)
                                               : "");
        for (size_t k = 0; k < nclusters; k++) {
            if (up_allowed(d, &clusters[k])) {
                nallowed++;
                only = k;
            } else {
                cr_assert_eq(up_on(w, clusters[k].name), 0,
                             "%s: %s on %s, which its affinity excludes", rel,
                             d->name, clusters[k].name);
            }
        }
        cr_assert_gt(nallowed, 0, "%s: %s fits no cluster built here", rel,
                     d->name);
        if (nallowed == 1 && d->nreq > 0) {
            cr_assert_eq(up_on(w, clusters[only].name),
                         place_workload_replicas(w),
                         "%s: %s is pinned to %s", rel, d->name,
                         clusters[only].name);
            pinned[only]++;
        }
    }
}

/* ---------------------------------------------------------------------- */

/* (a) The Online Boutique release manifest. */
Test(upstream, online_boutique_manifest)
{
    place_problem *pb = NULL;
    place_result *r;
    up_manifest m;
    static const char big_node[] =
        "apiVersion: v1\nkind: Node\n"
        "metadata:\n  name: big\n  labels: {kubernetes.io/hostname: big}\n"
        "status:\n  allocatable: {cpu: \"64\", memory: 256Gi, pods: \"110\"}\n";

    UP_REQUIRE(OB_MANIFEST);
    up_read_manifest(&m, OB_MANIFEST);
    /* 12 Deployments; 12 Services and 11 ServiceAccounts. */
    cr_assert_eq(m.ndeploys, 12);
    cr_assert_eq(m.nonworkloads, 23);
    cr_assert_eq(m.documents, 35);

    cr_assert_eq(place_problem_new(&pb, up_ctx), PLACE_OK);
    up_add_shared(pb, OB_MANIFEST);
    cr_assert_eq(place_problem_workload_count(pb), (size_t)m.ndeploys);
    cr_assert_eq(place_problem_ignored_count(pb), (size_t)m.nonworkloads);
    cr_assert_eq(place_problem_document_count(pb), (size_t)m.documents);
    up_add_text(pb, big_node, "big-node.yaml");
    cr_assert_eq(place_problem_target_count(pb), 1);
    r = up_solve(pb);
    place_problem_free(pb);

    cr_assert_eq(place_result_workload_count(r), 12);
    cr_assert_eq(place_result_ignored_count(r), 23);
    cr_assert(place_result_all_placed(r));
    for (int i = 0; i < m.ndeploys; i++) {
        const place_workload *w =
            place_result_find_workload(r, "default", m.deploys[i].name);
        cr_assert_not_null(w, "%s missing", m.deploys[i].name);
        cr_assert_str_eq(place_workload_kind(w), "Deployment");
        cr_assert_eq(place_workload_replicas(w), 1);
        cr_assert_eq(up_on(w, "big"), 1, "%s", m.deploys[i].name);
        cr_assert_eq(up_request(w, "pods"), 1);
    }
    /* The real requests (upstream's resources.requests). */
    static const struct {
        const char *name;
        int64_t cpu, memory;
    } want[] = {
        {"frontend", 100, 64LL << 20},
        {"adservice", 200, 180LL << 20},
        {"cartservice", 200, 64LL << 20},
        {"redis-cart", 70, 200LL << 20},
        {"recommendationservice", 100, 220LL << 20},
        /* Its init container sets no resources: the main container's. */
        {"loadgenerator", 300, 256LL << 20},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const place_workload *w =
            place_result_find_workload(r, "default", want[i].name);
        cr_assert_not_null(w);
        cr_assert_eq(up_request(w, "cpu"), want[i].cpu, "%s cpu",
                     want[i].name);
        cr_assert_eq(up_request(w, "memory"), want[i].memory, "%s memory",
                     want[i].name);
    }
    cr_assert_eq(up_request(place_result_find_workload(r, "default",
                                                       "frontend"),
                            "memory"),
                 67108864);
    place_result_free(r);
}

/* (b) Liqo's E2E inputs: the fixed-* manifests force every constrained
 * service onto one cluster. fixed-2clusters needs 2 clusters, fixed-3clusters
 * 3; the E2E test ran them on 2+ and 3+. */
Test(upstream, liqo_fixed_2clusters)
{
    static const char rel[] = LIQO_RELEASE "fixed-2clusters.yaml";
    up_manifest m;
    int pinned[3];

    UP_REQUIRE(rel);
    for (size_t n = 2; n <= 3; n++) {
        place_result *r = up_solve_liqo(rel, up_clusters, n, &m);
        cr_assert_eq(m.ndeploys, 11);
        up_assert_forced(rel, r, &m, up_clusters, n, pinned);
        /* With two clusters, every constrained service is pinned: the five
         * `In [virtual-node]` to cluster 2, the five `NotIn` home. */
        if (n == 2) {
            cr_assert_eq(pinned[0], 5);
            cr_assert_eq(pinned[1], 5);
        }
        place_result_free(r);
    }
}

Test(upstream, liqo_fixed_3clusters)
{
    static const char rel[] = LIQO_RELEASE "fixed-3clusters.yaml";
    up_manifest m;
    int pinned[3];

    UP_REQUIRE(rel);
    place_result *r = up_solve_liqo(rel, up_clusters, 3, &m);
    cr_assert_eq(m.ndeploys, 11);
    up_assert_forced(rel, r, &m, up_clusters, 3, pinned);
    /* frontend home; four to region B; five to region C. */
    cr_assert_eq(pinned[0], 1);
    cr_assert_eq(pinned[1], 4);
    cr_assert_eq(pinned[2], 5);
    place_result_free(r);
}

Test(upstream, liqo_base_manifest)
{
    static const char rel[] = LIQO_RELEASE "kubernetes-manifests.yaml";
    up_manifest m;
    int pinned[3];

    UP_REQUIRE(rel);
    place_result *r = up_solve_liqo(rel, up_clusters, 2, &m);
    cr_assert_eq(m.ndeploys, 11);
    up_assert_forced(rel, r, &m, up_clusters, 2, pinned);
    cr_assert_eq(pinned[0], 1); /* the frontend */
    place_result_free(r);
}

/* The best total preference score over every complete assignment of one
 * replica per Deployment (brute force: at most 3^11 assignments), or -1
 * when none fits. */
static int up_best_score(const up_manifest *m, const place_result *r,
                         const up_target *cl, size_t ncl)
{
    int64_t cpu[MAXD], mem[MAXD];
    int choice[MAXD] = {0};
    int best = -1;
    int n = m->ndeploys;

    for (int i = 0; i < n; i++) {
        const place_workload *w =
            place_result_find_workload(r, "default", m->deploys[i].name);
        cr_assert_eq(place_workload_replicas(w), 1);
        cpu[i] = up_request(w, "cpu");
        mem[i] = up_request(w, "memory");
    }
    for (;;) {
        int64_t ucpu[3] = {0}, umem[3] = {0}, upods[3] = {0};
        int score = 0;
        bool ok = true;
        for (int i = 0; i < n && ok; i++) {
            const up_target *t = &cl[choice[i]];
            if (!up_allowed(&m->deploys[i], t)) {
                ok = false;
                break;
            }
            ucpu[choice[i]] += cpu[i];
            umem[choice[i]] += mem[i];
            upods[choice[i]]++;
            score += up_pref_score(&m->deploys[i], t);
        }
        for (size_t k = 0; k < ncl && ok; k++)
            ok = ucpu[k] <= cl[k].cpu && umem[k] <= cl[k].memory &&
                 upods[k] <= cl[k].pods;
        if (ok && score > best)
            best = score;
        int i = 0;
        while (i < n && ++choice[i] == (int)ncl)
            choice[i++] = 0;
        if (i == n)
            break;
    }
    return best;
}

/* The score libplace's placement earns, by the reader's own evaluation. */
static int up_score_of(const up_manifest *m, const place_result *r,
                       const up_target *cl, size_t ncl)
{
    int s = 0;
    for (int i = 0; i < m->ndeploys; i++) {
        const place_workload *w =
            place_result_find_workload(r, "default", m->deploys[i].name);
        for (size_t k = 0; k < ncl; k++)
            s += (int)up_on(w, cl[k].name) *
                 up_pref_score(&m->deploys[i], &cl[k]);
    }
    return s;
}

/* prefer-local: weight-1 preferences for the home cluster. With room at
 * home, every service that prefers it runs there; with a home cluster too
 * small for all of them, as many as fit do (the best score, checked by brute
 * force), and the rest still run remotely. */
Test(upstream, liqo_prefer_local)
{
    static const char rel[] = LIQO_RELEASE "prefer-local.yaml";
    up_manifest m;
    int pinned[3];
    up_target small[2];

    UP_REQUIRE(rel);
    place_result *r = up_solve_liqo(rel, up_clusters, 2, &m);
    cr_assert_eq(m.ndeploys, 11);
    up_assert_forced(rel, r, &m, up_clusters, 2, pinned);
    int with_pref = 0;
    for (int i = 0; i < m.ndeploys; i++) {
        const up_deploy *d = &m.deploys[i];
        const place_workload *w =
            place_result_find_workload(r, "default", d->name);
        int best = 0;
        if (d->npref == 0)
            continue;
        with_pref++;
        for (size_t k = 0; k < 2; k++)
            if (up_allowed(d, &up_clusters[k]) &&
                up_pref_score(d, &up_clusters[k]) > best)
                best = up_pref_score(d, &up_clusters[k]);
        /* Room everywhere: each lands where it scores best, and libplace's
         * own score for that candidate is the preferred weight. */
        for (size_t k = 0; k < 2; k++) {
            if (up_on(w, up_clusters[k].name) == 0)
                continue;
            cr_assert_eq(up_pref_score(d, &up_clusters[k]), best,
                         "%s: on %s, preference not honoured", d->name,
                         up_clusters[k].name);
        }
        cr_assert_eq(up_on(w, "cluster-1"), 1, "%s prefers home", d->name);
        for (size_t c = 0; c < place_workload_candidate_count(w); c++) {
            const place_candidate *cd = place_workload_candidate(w, c);
            if (strcmp(place_candidate_target(cd), "cluster-1") == 0)
                cr_assert_eq(place_candidate_score(cd), best, "%s score",
                             d->name);
        }
    }
    cr_assert_eq(with_pref, 10);
    cr_assert_eq(up_score_of(&m, r, up_clusters, 2),
                 up_best_score(&m, r, up_clusters, 2));
    place_result_free(r);

    /* A home cluster with 600m CPU for the shop (which requests 1270m). */
    small[0] = up_clusters[0];
    small[0].cpu = 600;
    small[0].memory = 1 * GI;
    small[1] = up_clusters[1];
    r = up_solve_liqo(rel, small, 2, &m);
    up_assert_forced(rel, r, &m, small, 2, pinned);
    int best = up_best_score(&m, r, small, 2);
    /* By hand: the frontend (100m, required home), redis-cart (70m) and four
     * of the 100m services make 570m; a seventh would pass 600m. */
    cr_assert_eq(best, 6);
    cr_assert_eq(up_score_of(&m, r, small, 2), best,
                 "preferences honoured only %d of the possible %d",
                 up_score_of(&m, r, small, 2), best);
    cr_assert_eq(up_on(place_result_find_workload(r, "default", "frontend"),
                       "cluster-1"),
                 1);
    place_result_free(r);
}

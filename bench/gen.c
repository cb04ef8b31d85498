/*
 * gen.c: generate storefront federations for the benchmarks.
 *
 * An instance is T tenants (namespaces shop-00000 ...), each a copy of the
 * Online Boutique storefront (the Deployments of the upstream manifest with
 * their real requests and limits) carrying the demo's constraints
 * (storefront.md): shippingservice and emailservice need
 * gaia-x.gdpr-approved=true, productcatalogservice topology.region=center,
 * frontend stays off virtual nodes, paymentservice needs
 * gaia-x.compliance=high. Each tenant has its NamespaceOffloading (a quarter
 * of them offload only to gdpr-approved clusters), 1-3 replicas per
 * service, priority classes, and preferred affinities so that the soft score
 * matters. The targets are N ClusterAdvertisements: a few home clusters
 * (spec.virtual false) and virtual ones whose labels are drawn from the
 * demo's four keys and whose capacities vary; the free cpu of all targets is
 * the requested cpu divided by the load factor (memory likewise).
 *
 * With N >= 3 the first two virtual clusters are the demo's partners
 * (surf: north/mid/gdpr/OpenStack; bit: center/high/no-gdpr/K3S), so every
 * constraint is satisfiable somewhere. The same parameters always give the
 * same bytes.
 *
 * As a program (bench/gen): see usage() below.
 */
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- random numbers: splitmix64 ----------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static unsigned int rng_range(rng *r, unsigned int lo, unsigned int hi)
{
    return lo + (unsigned int)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* An index drawn with the given weights. */
static size_t rng_pick(rng *r, const double *w, size_t n)
{
    double sum = 0, x;
    size_t i;
    for (i = 0; i < n; i++)
        sum += w[i];
    x = rng_unit(r) * sum;
    for (i = 0; i + 1 < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- a small document tree and its YAML and JSON writers ---------------- */

enum { N_MAP, N_LIST, N_STR, N_NUM, N_BOOL };

typedef struct node node;
struct node {
    int type;
    const char *key;  /* in a map */
    const char *text; /* scalars */
    node *first, *last, *next;
};

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    char data[];
} chunk;

typedef struct arena {
    chunk *head;
    bool failed;
} arena;

static void *arena_alloc(arena *a, size_t n)
{
    chunk *c = a->head;
    n = (n + 15) & ~(size_t)15;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        c = malloc(sizeof *c + cap);
        if (!c) {
            a->failed = true;
            return NULL;
        }
        c->next = a->head;
        c->used = 0;
        c->cap = cap;
        a->head = c;
    }
    c->used += n;
    return c->data + c->used - n;
}

static void arena_reset(arena *a)
{
    chunk *c = a->head, *next;
    while (c) {
        next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}

static const char *astr(arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = arena_alloc(a, n);
    if (d)
        memcpy(d, s, n);
    return d ? d : "";
}

static const char *afmt(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static const char *afmt(arena *a, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return astr(a, buf);
}

static node *nnew(arena *a, int type, const char *text)
{
    node *n = arena_alloc(a, sizeof *n);
    if (!n) {
        static node dummy;
        memset(&dummy, 0, sizeof dummy);
        return &dummy;
    }
    memset(n, 0, sizeof *n);
    n->type = type;
    n->text = text;
    return n;
}

static node *append(node *parent, const char *key, node *child)
{
    child->key = key;
    child->next = NULL;
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
    return child;
}

static node *map_add(arena *a, node *m, const char *key)
{
    return append(m, key, nnew(a, N_MAP, NULL));
}

static node *list_add(arena *a, node *m, const char *key)
{
    return append(m, key, nnew(a, N_LIST, NULL));
}

static void str_add(arena *a, node *m, const char *key, const char *v)
{
    append(m, key, nnew(a, N_STR, astr(a, v)));
}

static void num_add(arena *a, node *m, const char *key, long long v)
{
    append(m, key, nnew(a, N_NUM, afmt(a, "%lld", v)));
}

static void bool_add(arena *a, node *m, const char *key, bool v)
{
    append(m, key, nnew(a, N_BOOL, v ? "true" : "false"));
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void write_json(FILE *f, const node *n)
{
    const node *c;
    switch (n->type) {
    case N_MAP:
    case N_LIST:
        fputc(n->type == N_MAP ? '{' : '[', f);
        for (c = n->first; c; c = c->next) {
            if (c != n->first)
                fputc(',', f);
            if (n->type == N_MAP) {
                json_string(f, c->key);
                fputc(':', f);
            }
            write_json(f, c);
        }
        fputc(n->type == N_MAP ? '}' : ']', f);
        break;
    case N_STR:
        json_string(f, n->text);
        break;
    default:
        fputs(n->text, f);
        break;
    }
}

/* A string that YAML would read back as the same string without quotes. */
static bool yaml_plain(const char *s)
{
    static const char *const words[] = {"y", "Y", "n", "N", "yes", "Yes",
        "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
        "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null",
        "NULL", "~"};
    size_t i;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (i = 0; s[i]; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' ||
              c == '/'))
            return false;
    }
    for (i = 0; i < sizeof words / sizeof *words; i++)
        if (strcmp(s, words[i]) == 0)
            return false;
    return true;
}

static void yaml_scalar(FILE *f, const node *n)
{
    if (n->type != N_STR || yaml_plain(n->text))
        fputs(n->text, f);
    else
        json_string(f, n->text); /* a JSON string is a YAML string */
}

static bool is_scalar(const node *n)
{
    return n->type != N_MAP && n->type != N_LIST;
}

static void yaml_value(FILE *f, const node *n, int indent);

/* The entries of a map, the first one already positioned by the caller. */
static void yaml_map_body(FILE *f, const node *n, int indent)
{
    const node *c;
    for (c = n->first; c; c = c->next) {
        if (c != n->first)
            fprintf(f, "%*s", indent, "");
        if (yaml_plain(c->key))
            fputs(c->key, f);
        else
            json_string(f, c->key);
        fputc(':', f);
        yaml_value(f, c, indent);
    }
}

/* After "key:" or "-": the rest of the line and the nested lines. */
static void yaml_value(FILE *f, const node *n, int indent)
{
    const node *c;
    if (is_scalar(n)) {
        fputc(' ', f);
        yaml_scalar(f, n);
        fputc('\n', f);
        return;
    }
    if (!n->first) {
        fputs(n->type == N_MAP ? " {}\n" : " []\n", f);
        return;
    }
    if (n->type == N_MAP) {
        fprintf(f, "\n%*s", indent + 2, "");
        yaml_map_body(f, n, indent + 2);
        return;
    }
    /* a list: scalars inline as a flow sequence, maps as block items */
    if (is_scalar(n->first)) {
        fputs(" [", f);
        for (c = n->first; c; c = c->next) {
            if (c != n->first)
                fputs(", ", f);
            yaml_scalar(f, c);
        }
        fputs("]\n", f);
        return;
    }
    fputc('\n', f);
    for (c = n->first; c; c = c->next) {
        fprintf(f, "%*s- ", indent, "");
        if (c->type == N_MAP && c->first)
            yaml_map_body(f, c, indent + 2);
        else
            yaml_value(f, c, indent + 2);
    }
}

/* ---- the storefront ------------------------------------------------------- */

#define MAX_SERVICES 32

typedef struct service {
    char name[64];
    int64_t req[2];   /* cpu millicores, memory bytes */
    int64_t lim[2];
    bool has_lim[2];
} service;

#define MI (1024LL * 1024LL)

static const service builtin[] = {
    {"frontend", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"adservice", {200, 180 * MI}, {300, 300 * MI}, {true, true}},
    {"currencyservice", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"cartservice", {200, 64 * MI}, {300, 128 * MI}, {true, true}},
    {"redis-cart", {70, 200 * MI}, {125, 256 * MI}, {true, true}},
    {"loadgenerator", {300, 256 * MI}, {500, 512 * MI}, {true, true}},
    {"recommendationservice", {100, 220 * MI}, {200, 450 * MI},
     {true, true}},
    {"checkoutservice", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"emailservice", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"paymentservice", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"shippingservice", {100, 64 * MI}, {200, 128 * MI}, {true, true}},
    {"productcatalogservice", {100, 64 * MI}, {200, 128 * MI},
     {true, true}},
};

/* A Kubernetes quantity as millicores (cpu) or bytes; -1 if not one. */
static int64_t parse_quantity(const char *s, bool cpu)
{
    char *end;
    double v, mult = 1;
    while (*s == ' ' || *s == '"' || *s == '\'')
        s++;
    errno = 0;
    v = strtod(s, &end);
    if (end == s || errno)
        return -1;
    if (strncmp(end, "Ki", 2) == 0)
        mult = 1024.0;
    else if (strncmp(end, "Mi", 2) == 0)
        mult = 1024.0 * 1024;
    else if (strncmp(end, "Gi", 2) == 0)
        mult = 1024.0 * 1024 * 1024;
    else if (strncmp(end, "Ti", 2) == 0)
        mult = 1024.0 * 1024 * 1024 * 1024;
    else if (*end == 'm')
        mult = 0.001;
    else if (*end == 'k')
        mult = 1e3;
    else if (*end == 'M')
        mult = 1e6;
    else if (*end == 'G')
        mult = 1e9;
    else if (*end == 'T')
        mult = 1e12;
    v *= mult;
    if (cpu)
        v *= 1000.0;
    return (int64_t)ceil(v - 1e-9);
}

static int indent_of(const char *line)
{
    int i = 0;
    while (line[i] == ' ')
        i++;
    return i;
}

/*
 * The Deployments of the upstream manifest and their per-replica requests,
 * read line by line (the file is kubectl-style block YAML): containers'
 * requests add up, an init container only needs its own. Returns the number
 * of services, 0 when the file has none or cannot be read.
 */
static size_t read_manifest(const char *path, service *out, size_t max)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t n = 0;
    bool deploy = false, in_meta = false, init = false;
    int block = -1, block_indent = 0; /* 0 requests, 1 limits */
    int64_t cur[2][2] = {{0, 0}, {0, 0}}, initmax[2] = {0, 0};
    service *sv = NULL;

    if (!f)
        return 0;
    for (;;) {
        bool eof = !fgets(line, sizeof line, f);
        int ind;
        char *p;
        if (eof || strncmp(line, "---", 3) == 0) {
            if (sv) {
                int r;
                for (r = 0; r < 2; r++)
                    sv->req[r] = cur[0][r] > initmax[r] ? cur[0][r]
                                                        : initmax[r];
                for (r = 0; r < 2; r++) {
                    sv->lim[r] = cur[1][r];
                    sv->has_lim[r] = cur[1][r] > 0;
                }
                n++;
            }
            if (eof)
                break;
            sv = NULL;
            deploy = in_meta = init = false;
            block = -1;
            memset(cur, 0, sizeof cur);
            memset(initmax, 0, sizeof initmax);
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        p = line + indent_of(line);
        ind = (int)(p - line);
        if (*p == '#' || *p == '\0')
            continue;
        if (ind == 0) {
            in_meta = strcmp(p, "metadata:") == 0;
            if (strcmp(p, "kind: Deployment") == 0)
                deploy = true;
            continue;
        }
        if (in_meta && ind == 2 && strncmp(p, "name:", 5) == 0 && deploy &&
            !sv && n < max) {
            char *v = p + 5;
            while (*v == ' ' || *v == '"')
                v++;
            v[strcspn(v, "\" ")] = '\0';
            sv = &out[n];
            memset(sv, 0, sizeof *sv);
            snprintf(sv->name, sizeof sv->name, "%s", v);
            continue;
        }
        if (!sv)
            continue;
        if (block >= 0 && ind <= block_indent)
            block = -1;
        if (strcmp(p, "initContainers:") == 0) {
            init = true;
            continue;
        }
        if (strcmp(p, "containers:") == 0) {
            init = false;
            continue;
        }
        if (strcmp(p, "requests:") == 0 || strcmp(p, "limits:") == 0) {
            block = p[0] == 'r' ? 0 : 1;
            block_indent = ind;
            continue;
        }
        if (block >= 0) {
            int r = strncmp(p, "cpu:", 4) == 0      ? 0
                    : strncmp(p, "memory:", 7) == 0 ? 1
                                                    : -1;
            int64_t q;
            if (r < 0)
                continue;
            q = parse_quantity(strchr(p, ':') + 1, r == 0);
            if (q < 0)
                continue;
            if (init && block == 0) {
                if (q > initmax[r])
                    initmax[r] = q;
            } else if (!init) {
                cur[block][r] += q;
            }
        }
    }
    fclose(f);
    return n;
}

const char *gen_default_manifest(void)
{
    static char path[900];
    const char *dirs[2];
    size_t i;
    dirs[0] = getenv("PLACE_SHARED_DIR");
#ifdef BENCH_SHARED_DIR
    dirs[1] = BENCH_SHARED_DIR;
#else
    dirs[1] = NULL;
#endif
    for (i = 0; i < 2; i++) {
        FILE *f;
        if (!dirs[i] || !*dirs[i])
            continue;
        snprintf(path, sizeof path,
                 "%s/upstream/online-boutique/kubernetes-manifests.yaml",
                 dirs[i]);
        if ((f = fopen(path, "r"))) {
            fclose(f);
            return path;
        }
    }
    return NULL;
}

/* ---- clusters -------------------------------------------------------------- */

static const char *const regions[] = {"north", "center", "south", "east",
                                      "west"};
static const double region_w[] = {30, 15, 25, 15, 15};
static const char *const levels[] = {"low", "mid", "high"};
static const double level_w[] = {30, 45, 25};
static const char *const providers[] = {"OpenStack", "K3S", "kubeadm",
                                        "AKS", "EKS", "GKE", "OVHcloud",
                                        "IONOS"};
static const double provider_w[] = {25, 20, 15, 10, 10, 10, 5, 5};

typedef struct cluster {
    char name[32];
    bool is_virtual;
    const char *region, *compliance, *provider;
    bool gdpr;
    bool prefer_no_schedule; /* maintenance window */
    bool audit;              /* NoSchedule taint, as in scenario 3b */
    double weight;           /* share of the capacity */
    double gib_per_core;
    double used;             /* allocated share of allocatable */
    int64_t cpu, mem;        /* free capacity */
} cluster;

static void pick_cluster_labels(rng *r, cluster *c)
{
    c->region = regions[rng_pick(r, region_w, 5)];
    c->compliance = levels[rng_pick(r, level_w, 3)];
    c->gdpr = rng_unit(r) < 0.6;
    c->provider = providers[rng_pick(r, provider_w, 8)];
}

static void make_clusters(rng *r, const gen_params *p, cluster *cs,
                          unsigned int homes, double home_share,
                          int64_t cpu_total, int64_t mem_total)
{
    static const double size_w[] = {40, 30, 20, 10};
    static const double sizes[] = {1, 2, 4, 8};
    static const double ratios[] = {2, 4, 8};
    unsigned int i;
    double wv = 0, wh = 0, mem_units = 0;

    for (i = 0; i < p->clusters; i++) {
        cluster *c = &cs[i];
        memset(c, 0, sizeof *c);
        c->is_virtual = i >= homes;
        if (!c->is_virtual) {
            snprintf(c->name, sizeof c->name, "home-%02u", i + 1);
            c->region = "north";
            c->compliance = "mid";
            c->gdpr = true;
            c->provider = "kubeadm";
            c->weight = 0.9 + 0.2 * rng_unit(r);
            wh += c->weight;
        } else {
            unsigned int k = i - homes;
            snprintf(c->name, sizeof c->name, "edge-%05u", k + 1);
            if (k == 0) { /* the demo's partner SURF */
                c->region = "north";
                c->compliance = "mid";
                c->gdpr = true;
                c->provider = "OpenStack";
            } else if (k == 1) { /* the demo's partner BIT */
                c->region = "center";
                c->compliance = "high";
                c->gdpr = false;
                c->provider = "K3S";
            } else {
                pick_cluster_labels(r, c);
                c->prefer_no_schedule = rng_unit(r) < 0.10;
                c->audit = rng_unit(r) < 0.05;
            }
            c->weight = sizes[rng_pick(r, size_w, 4)] *
                        (0.75 + 0.5 * rng_unit(r));
            wv += c->weight;
        }
        c->gib_per_core = ratios[rng_pick(r, (const double[]){1, 2, 1}, 3)];
        c->used = 0.25 * rng_unit(r);
    }
    if (homes == p->clusters)
        home_share = 1;
    for (i = 0; i < p->clusters; i++) {
        cluster *c = &cs[i];
        double share = c->is_virtual ? (1 - home_share) * c->weight / wv
                                     : home_share * c->weight / wh;
        int64_t cpu = (int64_t)((double)cpu_total * share / 100.0) * 100;
        if (cpu < 500)
            cpu = 500;
        c->cpu = cpu;
        mem_units += (double)cpu * c->gib_per_core;
    }
    for (i = 0; i < p->clusters; i++) {
        cluster *c = &cs[i];
        double m = (double)mem_total * (double)c->cpu * c->gib_per_core /
                   mem_units;
        int64_t mib = (int64_t)(m / (double)MI);
        c->mem = (mib < 512 ? 512 : mib) * MI;
    }
}

static void quantity_text(char *buf, size_t n, int res, int64_t v)
{
    if (res == 0)
        snprintf(buf, n, "%lldm", (long long)v);
    else if (v % MI == 0)
        snprintf(buf, n, "%lldMi", (long long)(v / MI));
    else
        snprintf(buf, n, "%lld", (long long)v);
}

static node *cluster_doc(arena *a, const cluster *c)
{
    node *d = nnew(a, N_MAP, NULL), *md, *lb, *spec, *al, *used;
    int64_t cpu_alloc, mem_alloc, pods;
    char q[64];

    str_add(a, d, "apiVersion", "libplace.io/v1alpha1");
    str_add(a, d, "kind", "ClusterAdvertisement");
    md = map_add(a, d, "metadata");
    str_add(a, md, "name", c->name);
    lb = map_add(a, md, "labels");
    str_add(a, lb, "topology.region", c->region);
    str_add(a, lb, "gaia-x.compliance", c->compliance);
    str_add(a, lb, "gaia-x.gdpr-approved", c->gdpr ? "true" : "false");
    str_add(a, lb, "infrastructure.provider", c->provider);
    spec = map_add(a, d, "spec");
    bool_add(a, spec, "virtual", c->is_virtual);
    if (c->prefer_no_schedule || c->audit) {
        node *ts = list_add(a, spec, "taints");
        if (c->audit) {
            node *t = map_add(a, ts, NULL);
            str_add(a, t, "key", "gaia-x.audit");
            str_add(a, t, "value", "in-progress");
            str_add(a, t, "effect", "NoSchedule");
        }
        if (c->prefer_no_schedule) {
            node *t = map_add(a, ts, NULL);
            str_add(a, t, "key", "maintenance.example.org/window");
            str_add(a, t, "value", "planned");
            str_add(a, t, "effect", "PreferNoSchedule");
        }
    }
    /* allocatable such that allocatable - allocated is the free capacity */
    cpu_alloc = (int64_t)ceil((double)c->cpu / (1 - c->used) / 100.0) * 100;
    mem_alloc = (int64_t)ceil((double)c->mem / (1 - c->used) / (double)MI) *
                MI;
    pods = 110 * (1 + cpu_alloc / 8000);
    al = map_add(a, spec, "allocatable");
    quantity_text(q, sizeof q, 0, cpu_alloc);
    str_add(a, al, "cpu", q);
    quantity_text(q, sizeof q, 1, mem_alloc);
    str_add(a, al, "memory", q);
    num_add(a, al, "pods", pods);
    used = map_add(a, spec, "allocated");
    quantity_text(q, sizeof q, 0, cpu_alloc - c->cpu);
    str_add(a, used, "cpu", q);
    quantity_text(q, sizeof q, 1, mem_alloc - c->mem);
    str_add(a, used, "memory", q);
    num_add(a, used, "pods", (int64_t)((double)pods * c->used));
    return d;
}

/* ---- tenants --------------------------------------------------------------- */

typedef struct tenant {
    unsigned char replicas[MAX_SERVICES];
    bool gdpr_only;        /* offloaded to gdpr-approved clusters only */
    const char *region;    /* preferred region */
    int region_weight;
    uint32_t prefers;      /* services that carry the region preference */
    bool payment_tolerates_audit;
} tenant;

static node *expr(arena *a, node *list, const char *key, const char *op,
                  const char *const *values, size_t nvalues)
{
    node *e = map_add(a, list, NULL), *vs;
    size_t i;
    str_add(a, e, "key", key);
    str_add(a, e, "operator", op);
    if (nvalues) {
        vs = list_add(a, e, "values");
        for (i = 0; i < nvalues; i++)
            str_add(a, vs, NULL, values[i]);
    }
    return e;
}

static void preferred(arena *a, node **pref, node *aff, int weight,
                      const char *key, const char *op,
                      const char *const *values, size_t nvalues)
{
    node *term, *p, *exprs;
    if (!*pref)
        *pref = list_add(a, aff,
                         "preferredDuringSchedulingIgnoredDuringExecution");
    term = map_add(a, *pref, NULL);
    num_add(a, term, "weight", weight);
    p = map_add(a, term, "preference");
    exprs = list_add(a, p, "matchExpressions");
    expr(a, exprs, key, op, values, nvalues);
}

static node *offloading_doc(arena *a, const char *ns, const tenant *t)
{
    node *d = nnew(a, N_MAP, NULL), *md, *spec;
    str_add(a, d, "apiVersion", "offloading.liqo.io/v1beta1");
    str_add(a, d, "kind", "NamespaceOffloading");
    md = map_add(a, d, "metadata");
    str_add(a, md, "name", "offloading");
    str_add(a, md, "namespace", ns);
    spec = map_add(a, d, "spec");
    str_add(a, spec, "podOffloadingStrategy", "LocalAndRemote");
    if (t->gdpr_only) {
        static const char *const yes[] = {"true"};
        node *cs = map_add(a, spec, "clusterSelector");
        node *terms = list_add(a, cs, "nodeSelectorTerms");
        node *term = map_add(a, terms, NULL);
        node *exprs = list_add(a, term, "matchExpressions");
        expr(a, exprs, "gaia-x.gdpr-approved", "In", yes, 1);
    }
    return d;
}

static const char *priority_class(const char *svc)
{
    if (strcmp(svc, "frontend") == 0 || strcmp(svc, "checkoutservice") == 0 ||
        strcmp(svc, "paymentservice") == 0 ||
        strcmp(svc, "cartservice") == 0 || strcmp(svc, "redis-cart") == 0)
        return "storefront-critical";
    if (strcmp(svc, "loadgenerator") == 0)
        return "storefront-batch";
    return NULL;
}

static node *deployment_doc(arena *a, const char *ns, const tenant *t,
                            const service *s, size_t si)
{
    static const char *const yes[] = {"true"};
    static const char *const center[] = {"center"};
    static const char *const high[] = {"high"};
    static const char *const virt[] = {"virtual-node"};
    static const char *const midhigh[] = {"mid", "high"};
    static const char *const homeinfra[] = {"OpenStack", "kubeadm"};
    static const char *const north[] = {"north"};
    node *d = nnew(a, N_MAP, NULL), *md, *spec, *tpl, *tmd, *ps, *aff = NULL,
         *na = NULL, *req_terms = NULL, *pref = NULL, *cs, *c, *res, *rq;
    const char *req_key = NULL, *req_op = NULL, *const *req_vals = NULL;
    const char *pc = priority_class(s->name);
    char q[64];
    int r;

    str_add(a, d, "apiVersion", "apps/v1");
    str_add(a, d, "kind", "Deployment");
    md = map_add(a, d, "metadata");
    str_add(a, md, "name", s->name);
    str_add(a, md, "namespace", ns);
    spec = map_add(a, d, "spec");
    num_add(a, spec, "replicas", t->replicas[si]);
    tpl = map_add(a, spec, "template");
    tmd = map_add(a, tpl, "metadata");
    str_add(a, map_add(a, tmd, "labels"), "app", s->name);
    ps = map_add(a, tpl, "spec");
    if (pc)
        str_add(a, ps, "priorityClassName", pc);

    /* the demo's constraints (storefront.md, scenario 3) */
    if (strcmp(s->name, "shippingservice") == 0 ||
        strcmp(s->name, "emailservice") == 0) {
        req_key = "gaia-x.gdpr-approved", req_op = "In", req_vals = yes;
    } else if (strcmp(s->name, "productcatalogservice") == 0) {
        req_key = "topology.region", req_op = "In", req_vals = center;
    } else if (strcmp(s->name, "frontend") == 0) {
        req_key = "liqo.io/type", req_op = "NotIn", req_vals = virt;
    } else if (strcmp(s->name, "paymentservice") == 0) {
        req_key = "gaia-x.compliance", req_op = "In", req_vals = high;
    }
#define AFF()                                                                \
    do {                                                                     \
        if (!aff) {                                                          \
            aff = map_add(a, ps, "affinity");                                \
            na = map_add(a, aff, "nodeAffinity");                            \
        }                                                                    \
    } while (0)
    if (req_key) {
        node *rd, *term;
        AFF();
        rd = map_add(a, na, "requiredDuringSchedulingIgnoredDuringExecution");
        req_terms = list_add(a, rd, "nodeSelectorTerms");
        term = map_add(a, req_terms, NULL);
        expr(a, list_add(a, term, "matchExpressions"), req_key, req_op,
             req_vals, 1);
    }
    /* preferences, so that the soft score matters */
    if (t->prefers & (1u << si)) {
        AFF();
        preferred(a, &pref, na, t->region_weight, "topology.region", "In",
                  &t->region, 1);
    }
    if (strcmp(s->name, "cartservice") == 0 ||
        strcmp(s->name, "redis-cart") == 0) {
        AFF();
        preferred(a, &pref, na, 40, "infrastructure.provider", "In",
                  homeinfra, 2);
    } else if (strcmp(s->name, "checkoutservice") == 0 ||
               strcmp(s->name, "currencyservice") == 0) {
        AFF();
        preferred(a, &pref, na, 30, "gaia-x.compliance", "In", midhigh, 2);
    } else if (strcmp(s->name, "loadgenerator") == 0) {
        AFF();
        preferred(a, &pref, na, 50, "liqo.io/type", "In", virt, 1);
    } else if (strcmp(s->name, "emailservice") == 0) {
        AFF();
        preferred(a, &pref, na, 20, "topology.region", "In", north, 1);
    }
#undef AFF
    if (strcmp(s->name, "loadgenerator") == 0 ||
        (strcmp(s->name, "paymentservice") == 0 &&
         t->payment_tolerates_audit)) {
        node *tols = list_add(a, ps, "tolerations"), *tol;
        tol = map_add(a, tols, NULL);
        if (strcmp(s->name, "loadgenerator") == 0) {
            str_add(a, tol, "key", "maintenance.example.org/window");
            str_add(a, tol, "operator", "Exists");
            str_add(a, tol, "effect", "PreferNoSchedule");
        } else {
            str_add(a, tol, "key", "gaia-x.audit");
            str_add(a, tol, "operator", "Equal");
            str_add(a, tol, "value", "in-progress");
            str_add(a, tol, "effect", "NoSchedule");
        }
    }
    cs = list_add(a, ps, "containers");
    c = map_add(a, cs, NULL);
    str_add(a, c, "name", "server");
    str_add(a, c, "image", afmt(a, "example.org/boutique/%s:v0.10.6",
                                s->name));
    res = map_add(a, c, "resources");
    rq = map_add(a, res, "requests");
    for (r = 0; r < 2; r++) {
        quantity_text(q, sizeof q, r, s->req[r]);
        str_add(a, rq, r == 0 ? "cpu" : "memory", q);
    }
    if (s->has_lim[0] || s->has_lim[1]) {
        node *lm = map_add(a, res, "limits");
        for (r = 0; r < 2; r++) {
            if (!s->has_lim[r])
                continue;
            quantity_text(q, sizeof q, r, s->lim[r]);
            str_add(a, lm, r == 0 ? "cpu" : "memory", q);
        }
    }
    return d;
}

static node *priority_doc(arena *a, const char *name, long long value,
                          const char *what)
{
    node *d = nnew(a, N_MAP, NULL), *md;
    str_add(a, d, "apiVersion", "scheduling.k8s.io/v1");
    str_add(a, d, "kind", "PriorityClass");
    md = map_add(a, d, "metadata");
    str_add(a, md, "name", name);
    num_add(a, d, "value", value);
    str_add(a, d, "description", what);
    return d;
}

/* ---- the instance ------------------------------------------------------------ */

typedef struct writer {
    FILE *f;
    int json;
    size_t docs;
} writer;

static void emit(writer *w, arena *a, node *doc)
{
    if (w->json) {
        fputs(w->docs ? ",\n" : "[\n", w->f);
        write_json(w->f, doc);
    } else {
        fputs("---\n", w->f);
        yaml_map_body(w->f, doc, 0);
    }
    w->docs++;
    arena_reset(a);
}

int gen_write(FILE *out, const gen_params *p, gen_info *info, char *err,
              size_t errlen)
{
    service svc[MAX_SERVICES];
    size_t nsvc = 0, si;
    tenant *ts = NULL;
    cluster *cs = NULL;
    unsigned int homes, i;
    int64_t cpu_req = 0, mem_req = 0, front_req = 0, cpu_free = 0;
    rng r;
    arena a = {NULL, false};
    writer w;
    gen_info scratch;
    const char *manifest = p->manifest ? p->manifest : gen_default_manifest();

    if (!info)
        info = &scratch;
    memset(info, 0, sizeof *info);
    if (p->tenants == 0 || p->clusters == 0 || !(p->load > 0)) {
        snprintf(err, errlen, "tenants, clusters and load must be positive");
        return -1;
    }
    if (manifest && (nsvc = read_manifest(manifest, svc, MAX_SERVICES)))
        snprintf(info->table_source, sizeof info->table_source, "%s",
                 manifest);
    if (p->manifest && nsvc == 0) {
        snprintf(err, errlen, "%s: no Deployment with requests found",
                 p->manifest);
        return -1;
    }
    if (nsvc == 0) {
        nsvc = sizeof builtin / sizeof *builtin;
        memcpy(svc, builtin, sizeof builtin);
        snprintf(info->table_source, sizeof info->table_source, "built-in");
    }
    info->services = (unsigned int)nsvc;
    homes = p->homes ? p->homes : (p->clusters + 49) / 50;
    if (homes > p->clusters)
        homes = p->clusters;

    ts = calloc(p->tenants, sizeof *ts);
    cs = calloc(p->clusters, sizeof *cs);
    if (!ts || !cs) {
        free(ts);
        free(cs);
        snprintf(err, errlen, "out of memory");
        return -1;
    }

    /* tenants first: the capacities follow from what they request */
    r.s = p->seed * 0x2545f4914f6cdd1dULL + 1;
    for (i = 0; i < p->tenants; i++) {
        tenant *t = &ts[i];
        for (si = 0; si < nsvc; si++) {
            t->replicas[si] = (unsigned char)rng_range(&r, 1, 3);
            cpu_req += svc[si].req[0] * t->replicas[si];
            mem_req += svc[si].req[1] * t->replicas[si];
            if (strcmp(svc[si].name, "frontend") == 0)
                front_req += svc[si].req[0] * t->replicas[si];
            info->replicas += t->replicas[si];
            if (strcmp(svc[si].name, "frontend") != 0 &&
                strcmp(svc[si].name, "productcatalogservice") != 0 &&
                rng_unit(&r) < 0.5)
                t->prefers |= 1u << si;
        }
        t->gdpr_only = rng_unit(&r) < 0.25;
        t->region = regions[rng_pick(&r, region_w, 5)];
        t->region_weight = (int)rng_range(&r, 1, 10) * 10;
        t->payment_tolerates_audit = rng_unit(&r) < 0.5;
    }
    info->workloads = (uint64_t)p->tenants * nsvc;
    info->cpu_requested = cpu_req;

    make_clusters(&r, p, cs, homes,
                  (double)front_req / (double)cpu_req + 0.10,
                  (int64_t)((double)cpu_req / p->load),
                  (int64_t)((double)mem_req / p->load));
    for (i = 0; i < p->clusters; i++)
        cpu_free += cs[i].cpu;
    info->cpu_free = cpu_free;

    w.f = out;
    w.json = p->json;
    w.docs = 0;
    if (!p->json)
        fprintf(out, "# libplace bench/gen: %u tenants over %u clusters "
                     "(%u home), seed %llu, load %.2f\n"
                     "# requests from %s\n",
                p->tenants, p->clusters, homes,
                (unsigned long long)p->seed, p->load, info->table_source);
    emit(&w, &a, priority_doc(&a, "storefront-critical", 1000,
                              "checkout path: placed first"));
    emit(&w, &a, priority_doc(&a, "storefront-batch", -10,
                              "load generator: placed last"));
    for (i = 0; i < p->clusters; i++)
        emit(&w, &a, cluster_doc(&a, &cs[i]));
    for (i = 0; i < p->tenants; i++) {
        char ns[32];
        snprintf(ns, sizeof ns, "shop-%05u", i);
        emit(&w, &a, offloading_doc(&a, ns, &ts[i]));
        for (si = 0; si < nsvc; si++)
            emit(&w, &a, deployment_doc(&a, ns, &ts[i], &svc[si], si));
    }
    if (p->json)
        fputs(w.docs ? "\n]\n" : "[]\n", out);
    free(ts);
    free(cs);
    if (a.failed || ferror(out)) {
        snprintf(err, errlen, "%s", a.failed ? "out of memory"
                                             : "write error");
        return -1;
    }
    return 0;
}

/* ---- the program ---------------------------------------------------------------- */

#ifndef GEN_NO_MAIN

static void usage(FILE *f)
{
    fputs("usage: gen [options]\n"
          "  -t, --tenants T     storefront copies (namespaces); default 10\n"
          "  -n, --clusters N    targets, home clusters included; default 10\n"
          "      --homes H       non-virtual targets; default ceil(N/50)\n"
          "  -s, --seed S        default 1\n"
          "  -l, --load L        requested cpu / free cpu; default 0.8\n"
          "  -f, --format F      yaml (default) or json\n"
          "  -m, --manifest P    upstream kubernetes-manifests.yaml (default:\n"
          "                      the shared folder's, else a built-in table)\n"
          "  -o, --output FILE   default stdout\n",
          f);
}

static int parse_u(const char *s, unsigned long long *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 10);
    return errno || *end || end == s ? -1 : 0;
}

int main(int argc, char **argv)
{
    gen_params p = GEN_PARAMS_INIT;
    gen_info info;
    const char *outpath = NULL;
    char err[512];
    FILE *out = stdout;
    int i, rc;

    for (i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long u = 0;
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            fprintf(stderr, "gen: %s needs a value\n", o);
            return 2;
        }
        i++;
        if (strcmp(o, "-t") == 0 || strcmp(o, "--tenants") == 0) {
            if (parse_u(v, &u) || u == 0 || u > 1000000)
                goto bad;
            p.tenants = (unsigned int)u;
        } else if (strcmp(o, "-n") == 0 || strcmp(o, "--clusters") == 0) {
            if (parse_u(v, &u) || u == 0 || u > 1000000)
                goto bad;
            p.clusters = (unsigned int)u;
        } else if (strcmp(o, "--homes") == 0) {
            if (parse_u(v, &u) || u > 1000000)
                goto bad;
            p.homes = (unsigned int)u;
        } else if (strcmp(o, "-s") == 0 || strcmp(o, "--seed") == 0) {
            if (parse_u(v, &u))
                goto bad;
            p.seed = u;
        } else if (strcmp(o, "-l") == 0 || strcmp(o, "--load") == 0) {
            char *end;
            p.load = strtod(v, &end);
            if (*end || !(p.load > 0))
                goto bad;
        } else if (strcmp(o, "-f") == 0 || strcmp(o, "--format") == 0) {
            if (strcmp(v, "json") == 0)
                p.json = 1;
            else if (strcmp(v, "yaml") == 0)
                p.json = 0;
            else
                goto bad;
        } else if (strcmp(o, "-m") == 0 || strcmp(o, "--manifest") == 0) {
            p.manifest = v;
        } else if (strcmp(o, "-o") == 0 || strcmp(o, "--output") == 0) {
            outpath = v;
        } else {
            fprintf(stderr, "gen: unknown option %s\n", o);
            usage(stderr);
            return 2;
        }
        continue;
bad:
        fprintf(stderr, "gen: bad value for %s: %s\n", o, v);
        return 2;
    }
    if (outpath && strcmp(outpath, "-") != 0 && !(out = fopen(outpath, "w"))) {
        fprintf(stderr, "gen: cannot write %s: %s\n", outpath,
                strerror(errno));
        return 1;
    }
    rc = gen_write(out, &p, &info, err, sizeof err);
    if (out != stdout && fclose(out) != 0 && rc == 0) {
        snprintf(err, sizeof err, "cannot write %s", outpath);
        rc = -1;
    }
    if (rc) {
        fprintf(stderr, "gen: %s\n", err);
        return 1;
    }
    fprintf(stderr,
            "gen: %u tenants x %u services = %llu workloads, %llu replicas, "
            "%u clusters; cpu %.1f requested / %.1f free cores; requests "
            "from %s\n",
            p.tenants, info.services, (unsigned long long)info.workloads,
            (unsigned long long)info.replicas, p.clusters,
            (double)info.cpu_requested / 1000, (double)info.cpu_free / 1000,
            info.table_source);
    return 0;
}

#endif

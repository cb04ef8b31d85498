/*
 * cloudbalance.c: convert OptaPlanner cloud-balancing instances to libplace
 * input (see cloudbalance.h), the instance checker and the first-fit
 * decreasing greedy. Built into `bench/bench` (CB_NO_MAIN) and, with its
 * main, as the converter `bench/cloudbalance`:
 *
 *   cloudbalance [--format yaml|json] [-o FILE] INSTANCE
 *
 * INSTANCE is a file, or a name such as 2computers-6processes looked up in
 * the shared folder (upstream/optaplanner-cloudbalancing). The upstream data
 * is read at run time, never copied into the repository.
 */
#include "cloudbalance.h"

#include <cjson/cJSON.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading --------------------------------------------------------------- */

static int get_int(const cJSON *obj, const char *key, int64_t *out,
                   const char *what, size_t i, char *err, size_t errlen)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    double d;
    if (!cJSON_IsNumber(v)) {
        snprintf(err, errlen, "%s %zu: %s is missing or not a number", what,
                 i, key);
        return -1;
    }
    d = v->valuedouble;
    if (!(d >= 0 && d <= 9e15) || floor(d) != d) {
        snprintf(err, errlen, "%s %zu: %s is not a non-negative integer",
                 what, i, key);
        return -1;
    }
    *out = (int64_t)d;
    return 0;
}

int cb_parse(const char *data, size_t len, cb_instance *out, char *err,
             size_t errlen)
{
    cJSON *root = cJSON_ParseWithLength(data, len);
    const cJSON *cl, *pl, *it;
    size_t i;
    int64_t id;

    memset(out, 0, sizeof *out);
    if (!root) {
        snprintf(err, errlen, "not valid JSON");
        return -1;
    }
    cl = cJSON_GetObjectItemCaseSensitive(root, "computerList");
    pl = cJSON_GetObjectItemCaseSensitive(root, "processList");
    if (!cJSON_IsArray(cl) || !cJSON_IsArray(pl)) {
        snprintf(err, errlen, "computerList or processList missing");
        cJSON_Delete(root);
        return -1;
    }
    out->ncomputers = (size_t)cJSON_GetArraySize(cl);
    out->nprocesses = (size_t)cJSON_GetArraySize(pl);
    out->computers = calloc(out->ncomputers ? out->ncomputers : 1,
                            sizeof *out->computers);
    out->processes = calloc(out->nprocesses ? out->nprocesses : 1,
                            sizeof *out->processes);
    if (!out->computers || !out->processes) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    i = 0;
    cJSON_ArrayForEach(it, cl)
    {
        cb_computer *c = &out->computers[i];
        if (get_int(it, "id", &id, "computer", i, err, errlen) ||
            get_int(it, "cpuPower", &c->cpu, "computer", i, err, errlen) ||
            get_int(it, "memory", &c->memory, "computer", i, err, errlen) ||
            get_int(it, "networkBandwidth", &c->network, "computer", i, err,
                    errlen) ||
            get_int(it, "cost", &c->cost, "computer", i, err, errlen))
            goto fail;
        c->id = (long)id;
        i++;
    }
    i = 0;
    cJSON_ArrayForEach(it, pl)
    {
        cb_process *p = &out->processes[i];
        if (get_int(it, "id", &id, "process", i, err, errlen) ||
            get_int(it, "requiredCpuPower", &p->cpu, "process", i, err,
                    errlen) ||
            get_int(it, "requiredMemory", &p->memory, "process", i, err,
                    errlen) ||
            get_int(it, "requiredNetworkBandwidth", &p->network, "process", i,
                    err, errlen))
            goto fail;
        p->id = (long)id;
        i++;
    }
    cJSON_Delete(root);
    return 0;
fail:
    cJSON_Delete(root);
    cb_free(out);
    return -1;
}

int cb_read(const char *path, cb_instance *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;
    int rc;

    memset(out, 0, sizeof *out);
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    do {
        if (len + 65536 > cap) {
            char *nb;
            cap = cap ? cap * 2 : 131072;
            if (!(nb = realloc(buf, cap))) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    rc = cb_parse(buf, len, out, err, errlen);
    if (rc) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", err);
        snprintf(err, errlen, "%s: %s", path, tmp);
    }
    free(buf);
    return rc;
}

void cb_free(cb_instance *in)
{
    if (!in)
        return;
    free(in->computers);
    free(in->processes);
    memset(in, 0, sizeof *in);
}

/* ---- writing ---------------------------------------------------------------- */

void cb_computer_name(char *buf, size_t n, const cb_computer *c)
{
    snprintf(buf, n, "computer-%04ld", c->id);
}

void cb_process_name(char *buf, size_t n, const cb_process *p)
{
    snprintf(buf, n, "process-%04ld", p->id);
}

long cb_find_computer(const cb_instance *in, const char *name)
{
    char *end;
    long id, i;
    if (strncmp(name, "computer-", 9) != 0)
        return -1;
    id = strtol(name + 9, &end, 10);
    if (*end)
        return -1;
    if (id >= 0 && (size_t)id < in->ncomputers && in->computers[id].id == id)
        return id;
    for (i = 0; (size_t)i < in->ncomputers; i++)
        if (in->computers[i].id == id)
            return i;
    return -1;
}

int cb_write(FILE *out, const cb_instance *in, int json)
{
    char name[64];
    size_t i;

    if (json)
        fputs("[\n", out);
    for (i = 0; i < in->ncomputers; i++) {
        const cb_computer *c = &in->computers[i];
        cb_computer_name(name, sizeof name, c);
        if (json)
            fprintf(out,
                    "  {\"apiVersion\": \"libplace.io/v1alpha1\", \"kind\": "
                    "\"ClusterAdvertisement\",\n"
                    "   \"metadata\": {\"name\": \"%s\"},\n"
                    "   \"spec\": {\"virtual\": false, \"allocatable\": "
                    "{\"cpu\": \"%lld\", \"memory\": \"%lldGi\", \"" CB_NETWORK
                    "\": \"%lld\"}, \"cost\": %lld}},\n",
                    name, (long long)c->cpu, (long long)c->memory,
                    (long long)c->network, (long long)c->cost);
        else
            fprintf(out,
                    "---\n"
                    "apiVersion: libplace.io/v1alpha1\n"
                    "kind: ClusterAdvertisement\n"
                    "metadata:\n"
                    "  name: %s\n"
                    "spec:\n"
                    "  virtual: false\n"
                    "  allocatable:\n"
                    "    cpu: \"%lld\"\n"
                    "    memory: %lldGi\n"
                    "    " CB_NETWORK ": \"%lld\"\n"
                    "  cost: %lld\n",
                    name, (long long)c->cpu, (long long)c->memory,
                    (long long)c->network, (long long)c->cost);
    }
    /* Extended resources need limits equal to their requests (the API
     * server's rule); cpu and memory only request. */
    for (i = 0; i < in->nprocesses; i++) {
        const cb_process *p = &in->processes[i];
        cb_process_name(name, sizeof name, p);
        if (json)
            fprintf(out,
                    "  {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\",\n"
                    "   \"metadata\": {\"name\": \"%s\", \"namespace\": "
                    "\"" CB_NAMESPACE "\"},\n"
                    "   \"spec\": {\"replicas\": 1, \"selector\": "
                    "{\"matchLabels\": {\"app\": \"%s\"}},\n"
                    "    \"template\": {\"metadata\": {\"labels\": {\"app\": "
                    "\"%s\"}},\n"
                    "     \"spec\": {\"containers\": [{\"name\": \"process\", "
                    "\"image\": \"registry.k8s.io/pause:3.9\",\n"
                    "      \"resources\": {\"requests\": {\"cpu\": \"%lld\", "
                    "\"memory\": \"%lldGi\", \"" CB_NETWORK "\": \"%lld\"},\n"
                    "                    \"limits\": {\"" CB_NETWORK
                    "\": \"%lld\"}}}]}}}}%s\n",
                    name, name, name, (long long)p->cpu,
                    (long long)p->memory, (long long)p->network,
                    (long long)p->network,
                    i + 1 < in->nprocesses ? "," : "");
        else
            fprintf(out,
                    "---\n"
                    "apiVersion: apps/v1\n"
                    "kind: Deployment\n"
                    "metadata:\n"
                    "  name: %s\n"
                    "  namespace: " CB_NAMESPACE "\n"
                    "spec:\n"
                    "  replicas: 1\n"
                    "  selector:\n"
                    "    matchLabels: {app: %s}\n"
                    "  template:\n"
                    "    metadata:\n"
                    "      labels: {app: %s}\n"
                    "    spec:\n"
                    "      containers:\n"
                    "      - name: process\n"
                    "        image: registry.k8s.io/pause:3.9\n"
                    "        resources:\n"
                    "          requests: {cpu: \"%lld\", memory: %lldGi, "
                    CB_NETWORK ": \"%lld\"}\n"
                    "          limits: {" CB_NETWORK ": \"%lld\"}\n",
                    name, name, name, (long long)p->cpu,
                    (long long)p->memory, (long long)p->network,
                    (long long)p->network);
    }
    if (json) {
        if (in->nprocesses == 0)
            fputs("  {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                  "\"metadata\": {\"name\": \"empty\"}}\n",
                  out);
        fputs("]\n", out);
    }
    return ferror(out) ? -1 : 0;
}

/* ---- checking and the greedy --------------------------------------------------- */

void cb_evaluate(const cb_instance *in, const long *assign, cb_eval *out)
{
    int64_t *use = calloc(in->ncomputers * 4 + 1, sizeof *use);
    size_t i;

    memset(out, 0, sizeof *out);
    if (!use)
        return;
    for (i = 0; i < in->nprocesses; i++) {
        const cb_process *p = &in->processes[i];
        long c = assign[i];
        if (c < 0 || (size_t)c >= in->ncomputers)
            continue;
        out->placed++;
        use[(size_t)c * 4] += p->cpu;
        use[(size_t)c * 4 + 1] += p->memory;
        use[(size_t)c * 4 + 2] += p->network;
        use[(size_t)c * 4 + 3]++;
    }
    for (i = 0; i < in->ncomputers; i++) {
        const cb_computer *c = &in->computers[i];
        const int64_t *u = &use[i * 4];
        if (u[3] > 0) {
            out->used_computers++;
            out->cost += c->cost;
        }
        out->overloaded += (u[0] > c->cpu) + (u[1] > c->memory) +
                           (u[2] > c->network);
    }
    free(use);
}

static const cb_instance *sort_in;

static int cmp_process(const void *a, const void *b)
{
    const cb_process *x = &sort_in->processes[*(const size_t *)a];
    const cb_process *y = &sort_in->processes[*(const size_t *)b];
    double px = (double)x->cpu * (double)x->memory * (double)x->network;
    double py = (double)y->cpu * (double)y->memory * (double)y->network;
    if (px != py)
        return px > py ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

void cb_greedy(const cb_instance *in, long *assign)
{
    size_t nc = in->ncomputers, np = in->nprocesses, i, j, nused = 0;
    size_t *order = calloc(np + 1, sizeof *order);
    size_t *used = calloc(nc + 1, sizeof *used);
    int64_t *rem = calloc(nc * 3 + 1, sizeof *rem);
    bool *open = calloc(nc + 1, sizeof *open);
    double *cpc = calloc(nc + 1, sizeof *cpc);
    double tc = 0, tm = 0, tn = 0;

    if (!order || !used || !rem || !open || !cpc) {
        for (i = 0; i < np; i++)
            assign[i] = -1;
        goto done;
    }
    for (j = 0; j < nc; j++) {
        const cb_computer *c = &in->computers[j];
        rem[j * 3] = c->cpu;
        rem[j * 3 + 1] = c->memory;
        rem[j * 3 + 2] = c->network;
        tc += (double)c->cpu;
        tm += (double)c->memory;
        tn += (double)c->network;
    }
    for (j = 0; j < nc; j++) {
        const cb_computer *c = &in->computers[j];
        double cap = (tc > 0 ? (double)c->cpu / tc : 0) +
                     (tm > 0 ? (double)c->memory / tm : 0) +
                     (tn > 0 ? (double)c->network / tn : 0);
        cpc[j] = cap > 0 ? (double)c->cost / cap : HUGE_VAL;
    }
    for (i = 0; i < np; i++)
        order[i] = i;
    sort_in = in;
    qsort(order, np, sizeof *order, cmp_process);
    for (i = 0; i < np; i++) {
        const cb_process *p = &in->processes[order[i]];
        long best = -1;
        size_t k;
#define FITS(j)                                                                \
    (rem[(j) * 3] >= p->cpu && rem[(j) * 3 + 1] >= p->memory &&               \
     rem[(j) * 3 + 2] >= p->network)
        for (k = 0; k < nused && best < 0; k++)
            if (FITS(used[k]))
                best = (long)used[k];
        if (best < 0) {
            for (j = 0; j < nc; j++)
                if (!open[j] && FITS(j) &&
                    (best < 0 || cpc[j] < cpc[best] ||
                     (cpc[j] == cpc[best] &&
                      in->computers[j].id < in->computers[best].id)))
                    best = (long)j;
            if (best >= 0) {
                open[best] = true;
                used[nused++] = (size_t)best;
            }
        }
#undef FITS
        assign[order[i]] = best;
        if (best >= 0) {
            rem[(size_t)best * 3] -= p->cpu;
            rem[(size_t)best * 3 + 1] -= p->memory;
            rem[(size_t)best * 3 + 2] -= p->network;
        }
    }
done:
    free(order);
    free(used);
    free(rem);
    free(open);
    free(cpc);
}

/* ---- the folder of instances ---------------------------------------------------- */

typedef struct cb_file {
    unsigned long c, p;
    char *path;
} cb_file;

static int cmp_file(const void *a, const void *b)
{
    const cb_file *x = a, *y = b;
    if (x->c != y->c)
        return x->c < y->c ? -1 : 1;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return strcmp(x->path, y->path);
}

size_t cb_list(const char *dir, char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    cb_file *files = NULL;
    size_t n = 0, cap = 0, i;

    *out = NULL;
    if (!d)
        return 0;
    while ((e = readdir(d))) {
        unsigned long c, p;
        char tail[32];
        size_t dl = strlen(dir), fl = strlen(e->d_name);
        if (sscanf(e->d_name, "%lucomputers-%luprocesses%31s", &c, &p,
                   tail) != 3 ||
            strcmp(tail, ".json") != 0)
            continue;
        if (n == cap) {
            cb_file *nf;
            cap = cap ? cap * 2 : 16;
            if (!(nf = realloc(files, cap * sizeof *files)))
                break;
            files = nf;
        }
        files[n].c = c;
        files[n].p = p;
        if (!(files[n].path = malloc(dl + fl + 2)))
            break;
        memcpy(files[n].path, dir, dl);
        files[n].path[dl] = '/';
        memcpy(files[n].path + dl + 1, e->d_name, fl + 1);
        n++;
    }
    closedir(d);
    if (n == 0) {
        free(files);
        return 0;
    }
    qsort(files, n, sizeof *files, cmp_file);
    if (!(*out = calloc(n, sizeof **out))) {
        for (i = 0; i < n; i++)
            free(files[i].path);
        free(files);
        return 0;
    }
    for (i = 0; i < n; i++)
        (*out)[i] = files[i].path;
    free(files);
    return n;
}

void cb_free_list(char **list, size_t n)
{
    size_t i;
    for (i = 0; list && i < n; i++)
        free(list[i]);
    free(list);
}

const char *cb_default_dir(void)
{
    static char path[1024];
    const char *env = getenv("PLACE_SHARED_DIR");
#ifdef BENCH_SHARED_DIR
    const char *def = BENCH_SHARED_DIR;
#else
    const char *def = "../shared";
#endif
    snprintf(path, sizeof path, "%s/upstream/optaplanner-cloudbalancing",
             env && *env ? env : def);
    return path;
}

/* ---- the converter ------------------------------------------------------------- */

#ifndef CB_NO_MAIN

static void usage(FILE *f)
{
    fputs("usage: cloudbalance [--format yaml|json] [-o FILE] [--greedy] "
          "INSTANCE\n"
          "  INSTANCE       an OptaPlanner cloud-balancing JSON file, or a "
          "name such as\n"
          "                 2computers-6processes (looked up in the shared "
          "folder:\n"
          "                 $PLACE_SHARED_DIR/upstream/"
          "optaplanner-cloudbalancing)\n"
          "  --format F     the libplace input to write: yaml (default) or "
          "json\n"
          "  -o FILE        write there instead of standard output\n"
          "  --greedy       print the first-fit-decreasing greedy's cost on "
          "stderr\n",
          f);
}

int main(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
    int json = 0, k, rc;
    bool greedy = false;
    char err[1024], path[2048];
    cb_instance in;
    FILE *out = stdout;

    for (k = 1; k < argc; k++) {
        const char *o = argv[k];
        if (!strcmp(o, "-h") || !strcmp(o, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "--greedy")) {
            greedy = true;
        } else if ((!strcmp(o, "--format") || !strcmp(o, "-o")) &&
                   k + 1 < argc) {
            const char *v = argv[++k];
            if (!strcmp(o, "-o"))
                output = v;
            else if (!strcmp(v, "json"))
                json = 1;
            else if (!strcmp(v, "yaml"))
                json = 0;
            else {
                usage(stderr);
                return 2;
            }
        } else if (o[0] == '-' && o[1]) {
            usage(stderr);
            return 2;
        } else if (!input) {
            input = o;
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (!input) {
        usage(stderr);
        return 2;
    }
    snprintf(path, sizeof path, "%s", input);
    {
        FILE *f = fopen(path, "rb");
        if (f)
            fclose(f);
        else if (!strchr(input, '/'))
            snprintf(path, sizeof path, "%s/%s%s", cb_default_dir(), input,
                     strstr(input, ".json") ? "" : ".json");
    }
    if (cb_read(path, &in, err, sizeof err) != 0) {
        fprintf(stderr, "cloudbalance: %s\n", err);
        return 2;
    }
    if (output && !(out = fopen(output, "w"))) {
        fprintf(stderr, "cloudbalance: %s: %s\n", output, strerror(errno));
        cb_free(&in);
        return 2;
    }
    rc = cb_write(out, &in, json);
    if (out != stdout && fclose(out) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "cloudbalance: write error\n");
    if (greedy && rc == 0) {
        long *assign = calloc(in.nprocesses + 1, sizeof *assign);
        cb_eval ev;
        if (assign) {
            cb_greedy(&in, assign);
            cb_evaluate(&in, assign, &ev);
            fprintf(stderr,
                    "greedy (first-fit decreasing): %zu/%zu placed on %zu "
                    "computers, cost %lld\n",
                    ev.placed, in.nprocesses, ev.used_computers,
                    (long long)ev.cost);
            free(assign);
        }
    }
    fprintf(stderr, "cloudbalance: %zu computers, %zu processes from %s\n",
            in.ncomputers, in.nprocesses, path);
    cb_free(&in);
    return rc ? 3 : 0;
}

#endif /* CB_NO_MAIN */

/*
 * bench.c: the libplace benchmark harness (public API only).
 *
 *   bench scenarios [options]   time the storefront scenarios end to end and
 *                               by phase (parse, solve, write)
 *   bench scale [options]       generated federations T x N: libplace, a
 *                               kube-scheduler-like greedy and (when
 *                               installed) a PuLP + CBC peer on the same
 *                               instance: quality, time, bound, gap, memory
 *   bench cloudbalance [options] OptaPlanner's cloud-balancing instances
 *                               (converted in memory): cost, time, memory,
 *                               a first-fit-decreasing greedy, the anchors
 *   bench kube [options]        kube-scheduler's benchmark shape: 5,000
 *                               Nodes, 10,000 Pods: pods per second, memory
 *
 * Every measured instance runs in its own forked process (child.c): its
 * peak memory is its own, and a wall-clock and an address-space cap turn
 * "too big" into a reported timeout or out-of-memory.
 *
 * See bench/README.md for the columns and how to read them.
 */
#include "child.h"
#include "cloudbalance.h"
#include "gen.h"

#include <place.h>

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

/* ---- small helpers ----------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        child_fail(PLACE_ENOMEM, "out of memory (the harness)");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xcalloc(n, 1);
    memcpy(d, s, n);
    return d;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile by nearest rank (q = 0.5: median; 0.9: p90). Sorts v. */
static double quantile(double *v, size_t n, double q)
{
    size_t k;
    if (n == 0)
        return NAN;
    qsort(v, n, sizeof *v, cmp_double);
    if (q == 0.5 && n % 2 == 0)
        return (v[n / 2 - 1] + v[n / 2]) / 2;
    k = (size_t)ceil(q * (double)n);
    return v[k ? k - 1 : 0];
}

/* DIR/NAME into out (truncated if too long, which no caller expects). */
static void join_path(char *out, size_t n, const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    if (a + 1 + b + 1 > n) {
        out[0] = '\0';
        return;
    }
    memcpy(out, dir, a);
    out[a] = '/';
    memcpy(out + a + 1, name, b + 1);
}

/* A copy of s into out, cut to fit. */
static void copy_str(char *out, size_t n, const char *s)
{
    size_t k = strlen(s);
    if (k >= n)
        k = n - 1;
    memcpy(out, s, k);
    out[k] = '\0';
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool dir_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int mkdirs(const char *path)
{
    char buf[4096];
    size_t i, n = strlen(path);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return -1;
            buf[i] = c;
        }
    }
    return 0;
}

/* A comma-separated list of positive integers. */
static size_t parse_list(const char *s, unsigned int *out, size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s || v == 0 || v > 1000000)
            return 0;
        out[n++] = (unsigned int)v;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return n;
}

/* A comma-separated list of TxN pairs ("100x100,1000x10000"). */
static size_t parse_sizes(const char *s, unsigned int *t, unsigned int *n,
                          size_t max)
{
    size_t k = 0;
    while (*s && k < max) {
        char *end;
        unsigned long a = strtoul(s, &end, 10), b;
        if (end == s || a == 0 || a > 1000000 || (*end != 'x' && *end != 'X'))
            return 0;
        s = end + 1;
        b = strtoul(s, &end, 10);
        if (end == s || b == 0 || b > 1000000)
            return 0;
        t[k] = (unsigned int)a;
        n[k++] = (unsigned int)b;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return k;
}

/* The line that says how instances are isolated and capped. */
static void print_caps(bool fork_it, double timeout, double mem_cap,
                       double max_pairs)
{
    char pairs[64];
    if (max_pairs > 0)
        snprintf(pairs, sizeof pairs, "%.0f", max_pairs);
    else if (max_pairs < 0)
        snprintf(pairs, sizeof pairs, "targets x (workloads + 1) per instance");
    else
        snprintf(pairs, sizeof pairs, "libplace's default");
    if (fork_it) {
        char tb[32] = "none", mb[32] = "none";
        if (timeout > 0)
            snprintf(tb, sizeof tb, "%.0f s", timeout);
        if (mem_cap > 0)
            snprintf(mb, sizeof mb, "%.3g GiB",
                     mem_cap / (1024.0 * 1024 * 1024));
        printf("each instance in its own process: wall-clock cap %s, "
               "address-space cap %s; peak memory = that process's "
               "ru_maxrss (it includes the harness's %.0f MiB at fork); "
               "max_pairs %s\n\n",
               tb, mb, (double)child_self_maxrss_kib() / 1024.0, pairs);
    } else {
        printf("instances run in the harness's process (--no-fork): no caps; "
               "peak memory is the process's so far; max_pairs %s\n\n",
               pairs);
    }
}

static void die_place(place_ctx *ctx, const char *what, int rc)
{
    child_fail(rc, "%s: %s (%s)", what, ctx ? place_errmsg(ctx) : "",
               place_strerror(rc));
}

static const char *outcome_name(const place_result *r)
{
    return place_result_outcome(r) == PLACE_OUTCOME_OPTIMAL ? "optimal"
                                                            : "feasible";
}

/* ---- scenarios ----------------------------------------------------------------- */

#define MAX_FILES 16

typedef struct scenario {
    char name[128];
    size_t nfiles;
    char *files[MAX_FILES];
} scenario;

/* File names without their extension, so that scenario-3b sorts before
 * scenario-3b-tolerated. */
static int cmp_str(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    const char *dx = strrchr(x, '.'), *dy = strrchr(y, '.');
    size_t nx = dx ? (size_t)(dx - x) : strlen(x);
    size_t ny = dy ? (size_t)(dy - y) : strlen(y);
    int c = strncmp(x, y, nx < ny ? nx : ny);
    if (c)
        return c;
    return nx < ny ? -1 : nx > ny;
}

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

/* The files of a scenario: the first "#   place solve FILE..." line of the
 * scenario file (the storefront example documents each scenario so), else
 * the scenario file and every file of the folder that is not a scenario. */
static void scenario_files(scenario *sc, const char *dir, const char *file,
                           char **all, size_t nall)
{
    char path[4096], line[2048];
    FILE *f;
    size_t i;

    join_path(path, sizeof path, dir, file);
    sc->nfiles = 0;
    if ((f = fopen(path, "r"))) {
        while (fgets(line, sizeof line, f)) {
            char *p = line, *tok, *save = NULL;
            if (*p++ != '#')
                continue;
            if (*p != ' ' && *p != '\t')
                continue;
            while (*p == ' ' || *p == '\t')
                p++;
            if (strncmp(p, "place solve ", 12) != 0)
                continue;
            for (tok = strtok_r(p + 12, " \t\r\n", &save); tok;
                 tok = strtok_r(NULL, " \t\r\n", &save)) {
                if (*tok == '(')
                    break;
                if ((has_suffix(tok, ".yaml") || has_suffix(tok, ".json")) &&
                    sc->nfiles < MAX_FILES) {
                    join_path(path, sizeof path, dir, tok);
                    sc->files[sc->nfiles++] = xstrdup(path);
                }
            }
            break;
        }
        fclose(f);
    }
    if (sc->nfiles)
        return;
    for (i = 0; i < nall && sc->nfiles < MAX_FILES; i++) {
        if (strncmp(all[i], "scenario", 8) == 0 && strcmp(all[i], file) != 0)
            continue;
        join_path(path, sizeof path, dir, all[i]);
        sc->files[sc->nfiles++] = xstrdup(path);
    }
}

static size_t find_scenarios(const char *dir, scenario *out, size_t max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char *all[64];
    size_t nall = 0, n = 0, i;
    bool any = false;

    if (!d)
        return 0;
    while ((e = readdir(d)) && nall < 64) {
        char path[4096];
        if (e->d_name[0] == '.' || !has_suffix(e->d_name, ".yaml"))
            continue;
        join_path(path, sizeof path, dir, e->d_name);
        if (!file_exists(path))
            continue;
        all[nall++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(all, nall, sizeof *all, cmp_str);
    for (i = 0; i < nall; i++)
        if (strncmp(all[i], "scenario", 8) == 0)
            any = true;
    for (i = 0; i < nall && n < max; i++) {
        scenario *sc = &out[n];
        if (any && strncmp(all[i], "scenario", 8) != 0)
            continue;
        memset(sc, 0, sizeof *sc);
        snprintf(sc->name, sizeof sc->name, "%.*s",
                 (int)(strlen(all[i]) - 5), all[i]);
        scenario_files(sc, dir, all[i], all, nall);
        n++;
        if (!any) { /* one scenario: the whole folder */
            copy_str(sc->name, sizeof sc->name,
                     strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir);
            break;
        }
    }
    for (i = 0; i < nall; i++)
        free(all[i]);
    return n;
}

/* The JSON twin of a YAML file (DIR/json/NAME.json), or NULL. */
static char *json_twin(const char *yaml)
{
    char path[4096];
    const char *slash = strrchr(yaml, '/');
    size_t dl = slash ? (size_t)(slash - yaml) : 0;
    const char *base = slash ? slash + 1 : yaml;
    snprintf(path, sizeof path, "%.*s%sjson/%.*s.json", (int)dl, yaml,
             slash ? "/" : "", (int)(strlen(base) - 5), base);
    return file_exists(path) ? xstrdup(path) : NULL;
}

typedef struct timing {
    double *parse, *solve, *write, *total;
} timing;

static int run_scenario(const scenario *sc, const char *fmtname,
                        unsigned int iterations, FILE *csv)
{
    timing t;
    unsigned int it, warm = iterations > 5 ? 3 : 0, n = 0;
    char status[32] = "";
    int64_t placed = 0, replicas = 0;
    double objective = 0;
    size_t out_bytes = 0, j;

    t.parse = xcalloc(iterations, sizeof(double));
    t.solve = xcalloc(iterations, sizeof(double));
    t.write = xcalloc(iterations, sizeof(double));
    t.total = xcalloc(iterations, sizeof(double));
    for (it = 0; it < iterations + warm; it++) {
        place_ctx *ctx = NULL;
        place_problem *pb = NULL;
        place_result *res = NULL;
        char *out = NULL;
        size_t len = 0, i;
        double t0 = now(), t1, t2, t3, t4;
        int rc;

        if ((rc = place_ctx_new(&ctx, NULL)) != PLACE_OK)
            die_place(NULL, "place_ctx_new", rc);
        if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK)
            die_place(ctx, "place_problem_new", rc);
        t1 = now();
        for (i = 0; i < sc->nfiles; i++)
            if ((rc = place_problem_add_file(pb, sc->files[i],
                                             PLACE_FORMAT_AUTO)) != PLACE_OK) {
                fprintf(stderr, "bench: scenario %s: %s\n", sc->name,
                        place_errmsg(ctx));
                place_problem_free(pb);
                place_ctx_free(ctx);
                return -1;
            }
        t2 = now();
        if ((rc = place_solve(&res, pb, NULL)) != PLACE_OK) {
            fprintf(stderr, "bench: scenario %s: %s\n", sc->name,
                    place_errmsg(ctx));
            place_problem_free(pb);
            place_ctx_free(ctx);
            return -1;
        }
        t3 = now();
        if ((rc = place_result_write(res, PLACE_OUTPUT_JSON, NULL, 0, &out,
                                     &len)) != PLACE_OK)
            die_place(ctx, "place_result_write", rc);
        t4 = now();
        if (it == 0) {
            snprintf(status, sizeof status, "%s", outcome_name(res));
            objective = place_result_objective(res);
            placed = replicas = 0;
            for (i = 0; i < place_result_workload_count(res); i++) {
                const place_workload *w = place_result_workload(res, i);
                placed += place_workload_placed(w);
                replicas += place_workload_replicas(w);
            }
            out_bytes = len;
        }
        place_mem_free(ctx, out);
        place_result_free(res);
        place_problem_free(pb);
        place_ctx_free(ctx);
        if (it < warm)
            continue;
        t.parse[n] = t2 - t1;
        t.solve[n] = t3 - t2;
        t.write[n] = t4 - t3;
        t.total[n] = now() - t0;
        n++;
    }
    {
        double pm = quantile(t.parse, n, 0.5), p9 = quantile(t.parse, n, 0.9);
        double sm = quantile(t.solve, n, 0.5), s9 = quantile(t.solve, n, 0.9);
        double wm = quantile(t.write, n, 0.5), w9 = quantile(t.write, n, 0.9);
        double em = quantile(t.total, n, 0.5), e9 = quantile(t.total, n, 0.9);
        printf("| %-22s | %-4s | %5u | %8.3f | %8.3f | %8.3f | %8.3f | "
               "%8.3f | %8.3f | %8.3f | %8.3f | %lld/%lld %s, objective %g, "
               "%zu B |\n",
               sc->name, fmtname, n, pm * 1e3, p9 * 1e3, sm * 1e3, s9 * 1e3,
               wm * 1e3, w9 * 1e3, em * 1e3, e9 * 1e3, (long long)placed,
               (long long)replicas, status, objective, out_bytes);
        if (csv) {
            fprintf(csv, "%s,%s,%u,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,"
                         "%s,%lld,%lld,%g,%zu,\"",
                    sc->name, fmtname, n, pm, p9, sm, s9, wm, w9, em, e9,
                    status, (long long)placed, (long long)replicas,
                    objective, out_bytes);
            for (j = 0; j < sc->nfiles; j++) {
                const char *b = strrchr(sc->files[j], '/');
                fprintf(csv, "%s%s", j ? " " : "", b ? b + 1 : sc->files[j]);
            }
            fputs("\"\n", csv);
            fflush(csv);
        }
        fflush(stdout);
    }
    free(t.parse);
    free(t.solve);
    free(t.write);
    free(t.total);
    return 0;
}

static void usage_scenarios(FILE *f)
{
    fputs("usage: bench scenarios [--dir DIR] [--iterations K] [--csv PATH]\n"
          "  --dir DIR        default examples/storefront, else "
          "examples/quickstart\n"
          "  --iterations K   timed runs per scenario (3 more warm up); "
          "default 200\n"
          "  --format F       yaml, json or both (json: the json/ twins); "
          "default both\n"
          "  --csv PATH       also write the rows as CSV\n",
          f);
}

static int cmd_scenarios(int argc, char **argv)
{
    const char *dir = NULL, *csvpath = NULL, *format = "both";
    unsigned int iterations = 200;
    scenario sc[32];
    size_t n, i, j;
    FILE *csv = NULL;
    char path[4096];
    int rc = 0, k;

    for (k = 0; k < argc; k++) {
        const char *o = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
            usage_scenarios(stdout);
            return 0;
        }
        if (!v) {
            usage_scenarios(stderr);
            return 2;
        }
        k++;
        if (strcmp(o, "--dir") == 0)
            dir = v;
        else if (strcmp(o, "--iterations") == 0)
            iterations = (unsigned int)strtoul(v, NULL, 10);
        else if (strcmp(o, "--csv") == 0)
            csvpath = v;
        else if (strcmp(o, "--format") == 0)
            format = v;
        else {
            usage_scenarios(stderr);
            return 2;
        }
    }
    if (iterations == 0)
        iterations = 1;
    if (!dir) {
        snprintf(path, sizeof path, "%s/examples/storefront",
                 BENCH_SOURCE_DIR);
        if (!dir_exists(path))
            snprintf(path, sizeof path, "%s/examples/quickstart",
                     BENCH_SOURCE_DIR);
        dir = path;
    }
    n = find_scenarios(dir, sc, 32);
    if (n == 0) {
        fprintf(stderr, "bench: no scenario in %s\n", dir);
        return 2;
    }
    if (csvpath) {
        if (!(csv = fopen(csvpath, "w"))) {
            fprintf(stderr, "bench: cannot write %s\n", csvpath);
            return 2;
        }
        fputs("scenario,format,iterations,parse_median_s,parse_p90_s,"
              "solve_median_s,solve_p90_s,write_median_s,write_p90_s,"
              "total_median_s,total_p90_s,status,placed,replicas,objective,"
              "json_bytes,files\n",
              csv);
    }
    printf("libplace %s, %s, %u iterations per scenario; times in ms\n\n",
           place_version(), dir, iterations);
    printf("| scenario               | fmt  | runs  | parse    | p90      | "
           "solve    | p90      | write    | p90      | total    | p90      "
           "| result |\n");
    printf("|------------------------|------|-------|----------|----------|"
           "----------|----------|----------|----------|----------|----------"
           "|--------|\n");
    for (i = 0; i < n; i++) {
        if (strcmp(format, "json") != 0)
            rc |= run_scenario(&sc[i], "yaml", iterations, csv);
        if (strcmp(format, "yaml") != 0) {
            scenario js = sc[i];
            bool ok = true;
            for (j = 0; j < sc[i].nfiles; j++) {
                js.files[j] = has_suffix(sc[i].files[j], ".yaml")
                                  ? json_twin(sc[i].files[j])
                                  : xstrdup(sc[i].files[j]);
                ok &= js.files[j] != NULL;
            }
            if (ok)
                rc |= run_scenario(&js, "json", iterations, csv);
            for (j = 0; j < sc[i].nfiles; j++)
                free(js.files[j]);
        }
        for (j = 0; j < sc[i].nfiles; j++)
            free(sc[i].files[j]);
    }
    if (csv)
        fclose(csv);
    return rc ? 1 : 0;
}

/* ---- the greedy baseline --------------------------------------------------------- */

/*
 * kube-scheduler-like: one replica at a time, workloads by priority (higher
 * first) then in the result's order (namespace, name); filter: the targets
 * libplace found feasible for the workload that still have room for one
 * replica in every resource; score: the candidate's soft score (preferred
 * affinity weights + PreferNoSchedule term, as libplace computes it); ties:
 * kube's LeastAllocated (mean over cpu and memory of free/allocatable after
 * placing), then the target name.
 */

#define MAX_RES 16
#define MAX_LEVELS 16

typedef struct level_count {
    int32_t priority;
    int64_t placed;
} level_count;

typedef struct quality {
    int64_t placed, replicas, score;
    size_t nlevels;
    level_count levels[MAX_LEVELS]; /* by priority, highest first */
} quality;

static void quality_add(quality *q, int32_t prio, int64_t placed)
{
    size_t i, k;
    for (i = 0; i < q->nlevels; i++)
        if (q->levels[i].priority == prio) {
            q->levels[i].placed += placed;
            return;
        }
    if (q->nlevels == MAX_LEVELS)
        return;
    for (i = 0; i < q->nlevels && q->levels[i].priority > prio; i++)
        ;
    for (k = q->nlevels; k > i; k--)
        q->levels[k] = q->levels[k - 1];
    q->levels[i].priority = prio;
    q->levels[i].placed = placed;
    q->nlevels++;
}

/* Placed replicas per level, compared level by level from the highest:
 * >0 when a is better. */
static int quality_cmp_placed(const quality *a, const quality *b)
{
    size_t i, j;
    quality u = *a, v = *b;
    for (i = 0; i < a->nlevels; i++)
        quality_add(&v, a->levels[i].priority, 0);
    for (j = 0; j < b->nlevels; j++)
        quality_add(&u, b->levels[j].priority, 0);
    for (i = 0; i < u.nlevels; i++)
        if (u.levels[i].placed != v.levels[i].placed)
            return u.levels[i].placed > v.levels[i].placed ? 1 : -1;
    return 0;
}

static void quality_levels_text(const quality *q, char *buf, size_t n)
{
    size_t i, off = 0;
    buf[0] = '\0';
    for (i = 0; i < q->nlevels && off < n; i++)
        off += (size_t)snprintf(buf + off, n - off, "%s%d:%lld",
                                i ? " " : "", (int)q->levels[i].priority,
                                (long long)q->levels[i].placed);
}

static void quality_of_result(const place_result *r, quality *q)
{
    size_t i, j;
    memset(q, 0, sizeof *q);
    for (i = 0; i < place_result_workload_count(r); i++) {
        const place_workload *w = place_result_workload(r, i);
        q->placed += place_workload_placed(w);
        q->replicas += place_workload_replicas(w);
        quality_add(q, place_workload_priority(w), place_workload_placed(w));
        for (j = 0; j < place_workload_candidate_count(w); j++) {
            const place_candidate *c = place_workload_candidate(w, j);
            if (place_candidate_replicas(c) > 0)
                q->score += place_candidate_replicas(c) *
                            place_candidate_score(c);
        }
    }
}

typedef struct tnames {
    const char **name;
    size_t *index; /* result index, sorted by name */
    size_t n;
} tnames;

static const tnames *cmp_ctx;

static int cmp_tindex(const void *a, const void *b)
{
    return strcmp(cmp_ctx->name[*(const size_t *)a],
                  cmp_ctx->name[*(const size_t *)b]);
}

static long find_target(const tnames *tn, const char *name)
{
    size_t lo = 0, hi = tn->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(tn->name[tn->index[mid]], name);
        if (c == 0)
            return (long)tn->index[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int res_index(const char **names, size_t *n, const char *name)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    if (*n == MAX_RES)
        return -1;
    names[*n] = name;
    return (int)(*n)++;
}

typedef struct wref {
    size_t i;
    int32_t prio;
} wref;

static int cmp_wref(const void *a, const void *b)
{
    const wref *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio > y->prio ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

typedef struct greedy_out {
    quality q;
    double seconds;      /* the greedy itself */
    double prep_seconds; /* reading feasibility and capacity from the result */
    size_t feasible_pairs;
} greedy_out;

static void greedy(const place_result *r, greedy_out *g)
{
    size_t nt = place_result_target_count(r), nw = place_result_workload_count(r);
    const char *rnames[MAX_RES];
    size_t nres = 0, t, i, j, k;
    int64_t *alloc, *used; /* nt x MAX_RES */
    bool *limited;         /* nt x MAX_RES: the target lists the resource */
    tnames tn;
    wref *order;
    size_t *cand_start, *cand_t, ncand = 0;
    int64_t *cand_score;
    int cpu_k, mem_k;
    double t0 = now(), t1;

    memset(g, 0, sizeof *g);
    alloc = xcalloc(nt * MAX_RES, sizeof *alloc);
    used = xcalloc(nt * MAX_RES, sizeof *used);
    limited = xcalloc(nt * MAX_RES, sizeof *limited);
    tn.n = nt;
    tn.name = xcalloc(nt, sizeof *tn.name);
    tn.index = xcalloc(nt, sizeof *tn.index);
    cpu_k = res_index(rnames, &nres, "cpu");
    mem_k = res_index(rnames, &nres, "memory");
    for (t = 0; t < nt; t++) {
        const place_target *pt = place_result_target(r, t);
        tn.name[t] = place_target_name(pt);
        tn.index[t] = t;
        for (i = 0; i < place_target_resource_count(pt); i++) {
            int kk = res_index(rnames, &nres,
                               place_target_resource_name(pt, i));
            if (kk < 0)
                continue;
            alloc[t * MAX_RES + (size_t)kk] = place_target_allocatable(pt, i);
            used[t * MAX_RES + (size_t)kk] = place_target_requested(pt, i);
            limited[t * MAX_RES + (size_t)kk] = true;
        }
    }
    cmp_ctx = &tn;
    qsort(tn.index, nt, sizeof *tn.index, cmp_tindex);

    /* what libplace placed is part of "requested": take it out again, and
     * collect each workload's feasible candidates */
    order = xcalloc(nw, sizeof *order);
    cand_start = xcalloc(nw + 1, sizeof *cand_start);
    for (i = 0; i < nw; i++) {
        const place_workload *w = place_result_workload(r, i);
        for (j = 0; j < place_workload_candidate_count(w); j++)
            if (place_candidate_feasible(place_workload_candidate(w, j)))
                ncand++;
    }
    cand_t = xcalloc(ncand, sizeof *cand_t);
    cand_score = xcalloc(ncand, sizeof *cand_score);
    ncand = 0;
    for (i = 0; i < nw; i++) {
        const place_workload *w = place_result_workload(r, i);
        int64_t req[MAX_RES] = {0};
        for (k = 0; k < place_workload_request_count(w); k++) {
            int kk = res_index(rnames, &nres,
                               place_workload_request_name(w, k));
            if (kk >= 0)
                req[kk] = place_workload_request_value(w, k);
        }
        order[i].i = i;
        order[i].prio = place_workload_priority(w);
        cand_start[i] = ncand;
        for (j = 0; j < place_workload_candidate_count(w); j++) {
            const place_candidate *c = place_workload_candidate(w, j);
            long ti = find_target(&tn, place_candidate_target(c));
            int64_t x = place_candidate_replicas(c);
            if (ti < 0)
                continue;
            if (x > 0)
                for (k = 0; k < nres; k++)
                    used[(size_t)ti * MAX_RES + k] -= x * req[k];
            if (place_candidate_feasible(c)) {
                cand_t[ncand] = (size_t)ti;
                cand_score[ncand] = place_candidate_score(c);
                ncand++;
            }
        }
    }
    cand_start[nw] = ncand;
    g->feasible_pairs = ncand;
    qsort(order, nw, sizeof *order, cmp_wref);
    t1 = now();
    g->prep_seconds = t1 - t0;

    /* the greedy */
    for (i = 0; i < nw; i++) {
        const place_workload *w = place_result_workload(r, order[i].i);
        int64_t req[MAX_RES] = {0}, n, placed = 0;
        size_t wi = order[i].i;
        for (k = 0; k < place_workload_request_count(w); k++) {
            int kk = res_index(rnames, &nres,
                               place_workload_request_name(w, k));
            if (kk >= 0)
                req[kk] = place_workload_request_value(w, k);
        }
        g->q.replicas += place_workload_replicas(w);
        for (n = 0; n < place_workload_replicas(w); n++) {
            long best = -1;
            int64_t best_score = 0;
            double best_free = 0;
            for (j = cand_start[wi]; j < cand_start[wi + 1]; j++) {
                size_t ti = cand_t[j];
                const int64_t *u = &used[ti * MAX_RES];
                const int64_t *al = &alloc[ti * MAX_RES];
                const bool *lim = &limited[ti * MAX_RES];
                double fr = 0;
                int nfr = 0;
                bool fits = true;
                for (k = 0; k < nres && fits; k++)
                    if (req[k] > 0 && lim[k] && u[k] + req[k] > al[k])
                        fits = false;
                if (!fits)
                    continue;
                if (cpu_k >= 0 && lim[cpu_k] && al[cpu_k] > 0) {
                    fr += (double)(al[cpu_k] - u[cpu_k] - req[cpu_k]) /
                          (double)al[cpu_k];
                    nfr++;
                }
                if (mem_k >= 0 && lim[mem_k] && al[mem_k] > 0) {
                    fr += (double)(al[mem_k] - u[mem_k] - req[mem_k]) /
                          (double)al[mem_k];
                    nfr++;
                }
                fr = nfr ? fr / nfr : 0;
                if (best < 0 || cand_score[j] > best_score ||
                    (cand_score[j] == best_score &&
                     (fr > best_free + 1e-12 ||
                      (fabs(fr - best_free) <= 1e-12 &&
                       strcmp(tn.name[ti], tn.name[best]) < 0)))) {
                    best = (long)ti;
                    best_score = cand_score[j];
                    best_free = fr;
                }
            }
            if (best < 0)
                break; /* nothing fits: the remaining replicas stay pending */
            for (k = 0; k < nres; k++)
                used[(size_t)best * MAX_RES + k] += req[k];
            g->q.score += best_score;
            placed++;
        }
        g->q.placed += placed;
        quality_add(&g->q, place_workload_priority(w), placed);
    }
    g->seconds = now() - t1;
    free(alloc);
    free(used);
    free(limited);
    free(tn.name);
    free(tn.index);
    free(order);
    free(cand_start);
    free(cand_t);
    free(cand_score);
}

/* ---- the PuLP peer ---------------------------------------------------------------- */

typedef struct peer_out {
    bool ran;
    char status[32];
    quality q;
    size_t pairs;
    double seconds;       /* wall clock of the whole process */
    double build_seconds; /* its own report: read, feasibility, model */
    double solve_seconds; /* its own report: CBC */
} peer_out;

static bool peer_available(const char *python)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s -c 'import pulp, sys; "
             "sys.exit(0 if pulp.COIN_CMD().available() else 1)' "
             ">/dev/null 2>&1",
             python);
    return system(cmd) == 0;
}

static void parse_levels(quality *q, char *s)
{
    char *tok, *save = NULL;
    for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        if (colon)
            quality_add(q, (int32_t)strtol(tok, NULL, 10),
                        strtoll(colon + 1, NULL, 10));
    }
}

static void run_peer(const char *python, const char *script,
                     const char *instance, double time_limit, peer_out *p)
{
    char cmd[4096], line[8192];
    FILE *f;
    double t0 = now();
    int st;

    memset(p, 0, sizeof *p);
    snprintf(p->status, sizeof p->status, "error");
    /* the peer's own limit is for CBC; timeout(1) guards the rest */
    snprintf(cmd, sizeof cmd,
             "timeout -k 10 %.0f %s %s --time-limit %g %s 2>&1",
             time_limit > 0 ? 3 * time_limit + 120 : 86400.0, python, script,
             time_limit, instance);
    if (!(f = popen(cmd, "r")))
        return;
    p->ran = true;
    while (fgets(line, sizeof line, f)) {
        char *tok, *save = NULL;
        if (strncmp(line, "peer ", 5) != 0) {
            fprintf(stderr, "  peer: %s", line);
            continue;
        }
        for (tok = strtok_r(line + 5, " \n", &save); tok;
             tok = strtok_r(NULL, " \n", &save)) {
            char *eq = strchr(tok, '=');
            if (!eq)
                continue;
            *eq++ = '\0';
            if (strcmp(tok, "status") == 0)
                snprintf(p->status, sizeof p->status, "%s", eq);
            else if (strcmp(tok, "placed") == 0)
                p->q.placed = strtoll(eq, NULL, 10);
            else if (strcmp(tok, "replicas") == 0)
                p->q.replicas = strtoll(eq, NULL, 10);
            else if (strcmp(tok, "score") == 0)
                p->q.score = llround(strtod(eq, NULL));
            else if (strcmp(tok, "levels") == 0)
                parse_levels(&p->q, eq);
            else if (strcmp(tok, "pairs") == 0)
                p->pairs = (size_t)strtoull(eq, NULL, 10);
            else if (strcmp(tok, "build_seconds") == 0)
                p->build_seconds = strtod(eq, NULL);
            else if (strcmp(tok, "solve_seconds") == 0)
                p->solve_seconds = strtod(eq, NULL);
        }
    }
    st = pclose(f);
    p->seconds = now() - t0;
    if (st != 0 && strcmp(p->status, "error") != 0 && p->q.replicas == 0)
        snprintf(p->status, sizeof p->status, "error");
    if (st != 0 && p->q.replicas == 0)
        snprintf(p->status, sizeof p->status,
                 (st >> 8) == 124 || (st >> 8) == 137 ? "killed" : "error");
}

/* ---- scale ---------------------------------------------------------------------- */

#define MAX_SIZES 64

typedef struct scale_opts {
    unsigned int tenants[16], clusters[16];
    size_t ntenants, nclusters;
    unsigned int size_t_[MAX_SIZES], size_n[MAX_SIZES]; /* --sizes */
    size_t nsizes;
    double instance_timeout; /* per instance (child), s; <= 0: none */
    double mem_cap;          /* bytes, RLIMIT_AS of the child; <= 0: none */
    bool fork_it;
    uint64_t seed;
    double load;
    double time_limit;
    unsigned int iterations;
    int json;
    const char *csv, *table, *workdir, *python, *script, *peer;
    double peer_max_candidates; /* skip the peer above T*S*N of this */
    double write_max_candidates;
    bool prep, check, append, no_explain, no_candidates;
    double max_pairs; /* ctx option max_pairs; 0: the default */
} scale_opts;

typedef struct row {
    unsigned int tenants, clusters;
    size_t workloads, targets, pairs, vars, rows;
    int64_t replicas;
    size_t bytes;
    double parse, solve, write, prep;
    bool wrote;
    char lib_status[16];
    quality lib;
    double objective, bound, gap;
    greedy_out gr;
    peer_out peer;
    char peer_note[64];
    int verdict; /* libplace vs greedy: >0 better, 0 same, <0 worse */
    char method[32];      /* place_result_method */
    double placed_bound;  /* place_result_placed_bound, -1: unknown */
    bool no_greedy;       /* solved without candidates: no greedy */
    double mem_mib;       /* peak RSS of the instance's process (MiB) */
    double run_seconds;   /* wall clock of the instance's process */
    char run_status[256]; /* "ok", "timeout: ...", "out of memory ..." */
} row;

static void print_header(FILE *f)
{
    fprintf(f, "| instance | replicas | targets | pairs | libplace s "
               "(parse+solve) | libplace placed | libplace score | greedy s | "
               "greedy placed | greedy score | bound | gap | mem MiB | peer s | "
               "peer placed | peer score | peer/lib time | same |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
               "---:|---:|---:|---:|---:|---|\n");
}

static void print_row(FILE *f, const row *r)
{
    char inst[64], peer_s[32] = "-", peer_p[32] = "-", peer_sc[32] = "-",
                   ratio[32] = "-", same[64] = "-", libs[64], pairs[32],
                   gs[32], gp[32], gsc[32];
    snprintf(inst, sizeof inst, "T%u x N%u", r->tenants, r->clusters);
    snprintf(libs, sizeof libs, "%.3f%s", r->parse + r->solve,
             strcmp(r->lib_status, "optimal") == 0 ? "" : " (limit)");
    if (r->peer.ran && r->peer.q.replicas > 0) {
        snprintf(peer_s, sizeof peer_s, "%.3f%s", r->peer.seconds,
                 strcmp(r->peer.status, "optimal") == 0 ? "" : " (limit)");
        snprintf(peer_p, sizeof peer_p, "%lld", (long long)r->peer.q.placed);
        snprintf(peer_sc, sizeof peer_sc, "%lld", (long long)r->peer.q.score);
        snprintf(ratio, sizeof ratio, "%.2f",
                 r->peer.seconds / (r->parse + r->solve));
        snprintf(same, sizeof same, "%s",
                 quality_cmp_placed(&r->lib, &r->peer.q) == 0 &&
                         r->lib.score == r->peer.q.score
                     ? "yes"
                     : "no");
    } else if (r->peer.ran) {
        snprintf(peer_s, sizeof peer_s, "%s", r->peer.status);
    } else if (r->peer_note[0]) {
        copy_str(peer_s, sizeof peer_s, r->peer_note);
    }
    if (r->no_greedy) {
        snprintf(pairs, sizeof pairs, "-");
        snprintf(gs, sizeof gs, "n/a (no candidates)");
        snprintf(gp, sizeof gp, "-");
        snprintf(gsc, sizeof gsc, "-");
    } else {
        snprintf(pairs, sizeof pairs, "%zu", r->pairs);
        snprintf(gs, sizeof gs, "%.3f", r->gr.seconds);
        snprintf(gp, sizeof gp, "%lld", (long long)r->gr.q.placed);
        snprintf(gsc, sizeof gsc, "%lld", (long long)r->gr.q.score);
    }
    fprintf(f,
            "| %s | %lld | %zu | %s | %s | %lld | %lld | %s | %s | %s "
            "| %.0f | %.4f | %.0f | %s | %s | %s | %s | %s |\n",
            inst, (long long)r->replicas, r->targets, pairs, libs,
            (long long)r->lib.placed, (long long)r->lib.score, gs, gp, gsc,
            r->bound, r->gap, r->mem_mib, peer_s, peer_p, peer_sc, ratio,
            same);
    fflush(f);
}

/* An instance whose process did not come back: what happened, when, and
 * the memory it had reached. */
static void print_failed_row(FILE *f, const row *r)
{
    fprintf(f, "| T%u x N%u | %lld | %u | - | %s after %.1f s, peak %.0f MiB "
               "| | | | | | | | %.0f | | | | | |\n",
            r->tenants, r->clusters, (long long)r->replicas, r->clusters,
            r->run_status, r->run_seconds, r->mem_mib, r->mem_mib);
    fflush(f);
}

static void csv_header(FILE *f)
{
    fputs("instance,tenants,clusters,seed,load,time_limit_s,workloads,"
          "replicas,targets,feasible_pairs,variables,constraints,input_bytes,"
          "parse_s,solve_s,write_s,prep_s,lib_status,lib_placed,lib_levels,"
          "lib_score,lib_objective,bound,gap,greedy_s,greedy_prep_s,"
          "greedy_placed,greedy_levels,greedy_score,lib_vs_greedy,"
          "peer_status,peer_s,peer_build_s,peer_solve_s,peer_pairs,"
          "peer_placed,peer_levels,peer_score,peer_lib_time_ratio,peer_same,"
          "peak_rss_mib,run_s,run_status,lib_method,placed_bound\n",
          f);
}

static void csv_row_full(FILE *f, const row *r, const scale_opts *o)
{
    char ll[256], gl[256], pl[256] = "", wr[32] = "", pr[32] = "";
    quality_levels_text(&r->lib, ll, sizeof ll);
    quality_levels_text(&r->gr.q, gl, sizeof gl);
    if (r->wrote)
        snprintf(wr, sizeof wr, "%.6f", r->write);
    if (r->prep >= 0)
        snprintf(pr, sizeof pr, "%.6f", r->prep);
    fprintf(f,
            "T%uxN%u,%u,%u,%llu,%.3f,%g,%zu,%lld,%zu,%zu,%zu,%zu,%zu,"
            "%.6f,%.6f,%s,%s,%s,%lld,\"%s\",%lld,%.6f,%.6f,%.6f,%.6f,%.6f,"
            "%lld,\"%s\",%lld,%s,",
            r->tenants, r->clusters, r->tenants, r->clusters,
            (unsigned long long)o->seed, o->load, o->time_limit, r->workloads,
            (long long)r->replicas, r->targets, r->pairs, r->vars, r->rows,
            r->bytes, r->parse, r->solve, wr, pr, r->lib_status,
            (long long)r->lib.placed, ll, (long long)r->lib.score,
            r->objective, r->bound, r->gap, r->gr.seconds,
            r->gr.prep_seconds, (long long)r->gr.q.placed, gl,
            (long long)r->gr.q.score,
            r->no_greedy     ? "n/a"
            : r->verdict > 0 ? "better"
            : r->verdict < 0 ? "WORSE"
                             : "same");
    if (r->peer.ran) {
        quality_levels_text(&r->peer.q, pl, sizeof pl);
        fprintf(f, "%s,%.6f,%.6f,%.6f,%zu,%lld,\"%s\",%lld,%.4f,%s,",
                r->peer.status, r->peer.seconds, r->peer.build_seconds,
                r->peer.solve_seconds, r->peer.pairs,
                (long long)r->peer.q.placed, pl, (long long)r->peer.q.score,
                r->peer.seconds / (r->parse + r->solve),
                r->peer.q.replicas == 0 ? ""
                : quality_cmp_placed(&r->lib, &r->peer.q) == 0 &&
                        r->lib.score == r->peer.q.score
                    ? "yes"
                    : "no");
    } else {
        fprintf(f, "%s,,,,,,,,,,", r->peer_note[0] ? r->peer_note : "");
    }
    fprintf(f, "%.1f,%.3f,\"%s\",%s,%.0f\n", r->mem_mib, r->run_seconds,
            r->run_status, r->method, r->placed_bound);
    fflush(f);
}

/* The CSV row of an instance that did not come back. */
static void csv_row_failed(FILE *f, const row *r, const scale_opts *o)
{
    int i;
    fprintf(f, "T%uxN%u,%u,%u,%llu,%.3f,%g,%zu,%lld", r->tenants,
            r->clusters, r->tenants, r->clusters,
            (unsigned long long)o->seed, o->load, o->time_limit,
            r->workloads, (long long)r->replicas);
    for (i = 0; i < 32; i++) /* targets ... peer_same */
        fputc(',', f);
    fprintf(f, ",%.1f,%.3f,\"%s\",,\n", r->mem_mib, r->run_seconds,
            r->run_status);
    fflush(f);
}

/* One instance: generate, solve with libplace, run the greedy and the peer. */
static int run_instance(const scale_opts *o, unsigned int tenants,
                        unsigned int clusters, bool have_peer, row *r)
{
    gen_params gp = GEN_PARAMS_INIT;
    gen_info info;
    char err[512], instance[4096] = "";
    char *buf = NULL;
    size_t len = 0;
    FILE *mem;
    double *parse, *solve, *write;
    place_result *res = NULL;
    place_ctx *keep_ctx = NULL;
    unsigned int it;

    memset(r, 0, sizeof *r);
    r->tenants = tenants;
    r->clusters = clusters;
    r->prep = -1;
    gp.tenants = tenants;
    gp.clusters = clusters;
    gp.seed = o->seed;
    gp.load = o->load;
    gp.json = o->json;
    if (!(mem = open_memstream(&buf, &len)) ||
        gen_write(mem, &gp, &info, err, sizeof err) != 0) {
        fprintf(stderr, "bench: gen: %s\n", mem ? err : "open_memstream");
        if (mem)
            fclose(mem);
        free(buf);
        return -1;
    }
    fclose(mem);
    r->bytes = len;
    r->workloads = info.workloads;
    r->replicas = (int64_t)info.replicas;
    fprintf(stderr,
            "== T%u x N%u: %llu workloads, %llu replicas, %.1f MB of %s\n",
            tenants, clusters, (unsigned long long)info.workloads,
            (unsigned long long)info.replicas, (double)len / 1e6,
            o->json ? "JSON" : "YAML");

    /* the peer reads the same instance from a file (JSON) */
    if (have_peer) {
        FILE *f;
        snprintf(instance, sizeof instance, "%s/storefront-T%u-N%u-s%llu.json",
                 o->workdir, tenants, clusters,
                 (unsigned long long)o->seed);
        if (o->json) {
            if ((f = fopen(instance, "w"))) {
                fwrite(buf, 1, len, f);
                fclose(f);
            }
        } else if ((f = fopen(instance, "w"))) {
            gen_params gj = gp;
            gj.json = 1;
            gen_write(f, &gj, NULL, err, sizeof err);
            fclose(f);
        }
    }

    parse = xcalloc(o->iterations, sizeof(double));
    solve = xcalloc(o->iterations, sizeof(double));
    write = xcalloc(o->iterations, sizeof(double));
    for (it = 0; it < o->iterations; it++) {
        place_ctx *ctx;
        place_problem *pb;
        place_result *rr = NULL;
        place_solve_options so;
        double t0, t1, t2, tparse;
        int rc;

        {
            place_ctx_options co;
            place_ctx_options_init(&co, PLACE_CTX_OPTIONS_VERSION);
#if PLACE_CTX_OPTIONS_VERSION >= 2
            if (o->max_pairs > 0)
                co.max_pairs = (size_t)o->max_pairs;
#endif
            if ((rc = place_ctx_new(&ctx, &co)) != PLACE_OK)
                die_place(NULL, "place_ctx_new", rc);
        }
        if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK)
            die_place(ctx, "place_problem_new", rc);
        place_solve_options_init(&so, PLACE_SOLVE_OPTIONS_VERSION);
        so.time_limit = o->time_limit;
#ifdef PLACE_SOLVE_NO_EXPLAIN
        if (o->no_explain)
            so.flags |= PLACE_SOLVE_NO_EXPLAIN;
#endif
#ifdef PLACE_SOLVE_NO_CANDIDATES
        if (o->no_candidates)
            so.flags |= PLACE_SOLVE_NO_CANDIDATES;
#endif
        t0 = now();
        if ((rc = place_problem_add_document(pb, buf, len, PLACE_FORMAT_AUTO,
                                             "generated")) != PLACE_OK)
            die_place(ctx, "place_problem_add_document", rc);
        t1 = now();
        tparse = t1 - t0;
        /* prep, first so that two results never live at once: the same
         * solve with an immediate deadline, i.e. feasibility, building the
         * program and the result, without GLPK's search. A failure here
         * (out of memory) is reported, not fatal. */
        if (o->prep && it == 0) {
            place_result *pr = NULL;
            double tp;
            so.time_limit = 1e-9;
            tp = now();
            if ((rc = place_solve(&pr, pb, &so)) != PLACE_OK) {
                fprintf(stderr, "   prep failed: %s (%s)\n",
                        place_errmsg(ctx), place_strerror(rc));
            } else {
                r->prep = now() - tp;
                fprintf(stderr, "   prep (solve without search) %.3f s\n",
                        r->prep);
            }
            place_result_free(pr);
            so.time_limit = o->time_limit;
        }
        fprintf(stderr, "   parse %.3f s; solving (limit %g s)\n", tparse,
                o->time_limit);
        t1 = now();
        if ((rc = place_solve(&rr, pb, &so)) != PLACE_OK)
            die_place(ctx, "place_solve", rc);
        t2 = now();
        parse[it] = tparse;
        solve[it] = t2 - t1;
        fprintf(stderr, "   solve %.3f s: %s, objective %g, bound %g\n",
                t2 - t1, outcome_name(rr), place_result_objective(rr),
                place_result_bound(rr));
        /* the write phase, unless the result is too big to be useful */
        if ((double)r->workloads * clusters <= o->write_max_candidates) {
            char *out = NULL;
            size_t olen = 0;
            double tw = now();
            if ((rc = place_result_write(rr, PLACE_OUTPUT_JSON, NULL, 0, &out,
                                         &olen)) != PLACE_OK) {
                fprintf(stderr, "   write failed: %s (%s)\n",
                        place_errmsg(ctx), place_strerror(rc));
            } else {
                write[it] = now() - tw;
                r->wrote = true;
            }
            place_mem_free(ctx, out);
            if (it == 0 && r->wrote)
                fprintf(stderr, "   write %.3f s (%.1f MB)\n", write[it],
                        (double)olen / 1e6);
        }
        place_problem_free(pb);
        if (it + 1 == o->iterations) {
            res = rr;
            keep_ctx = ctx;
        } else {
            place_result_free(rr);
            place_ctx_free(ctx);
        }
    }
    free(buf);
    r->parse = quantile(parse, o->iterations, 0.5);
    r->solve = quantile(solve, o->iterations, 0.5);
    r->write = r->wrote ? quantile(write, o->iterations, 0.5) : 0;
    free(parse);
    free(solve);
    free(write);

    snprintf(r->lib_status, sizeof r->lib_status, "%s", outcome_name(res));
    quality_of_result(res, &r->lib);
    r->objective = place_result_objective(res);
    r->bound = place_result_bound(res);
    r->gap = place_result_gap(res);
    r->targets = place_result_target_count(res);
    r->vars = place_result_variable_count(res);
    r->rows = place_result_constraint_count(res);

#ifdef PLACE_SOLVE_NO_CANDIDATES
    copy_str(r->method, sizeof r->method, place_result_method(res));
    r->placed_bound = place_result_placed_bound(res);
#else
    r->placed_bound = -1;
#endif
    if (o->no_candidates) {
        /* no candidate lists: no feasibility for the greedy, and the score
         * is the objective (the generated instances have no costs) */
        r->lib.score = llround(r->objective);
        r->no_greedy = true;
    } else {
        greedy(res, &r->gr);
        r->pairs = r->gr.feasible_pairs;
        r->verdict = quality_cmp_placed(&r->lib, &r->gr.q);
        if (r->verdict == 0)
            r->verdict = r->lib.score > r->gr.q.score   ? 1
                         : r->lib.score < r->gr.q.score ? -1
                                                        : 0;
    }
    if (!r->no_greedy)
        fprintf(stderr, "   greedy %.3f s: placed %lld score %lld; libplace "
                    "placed %lld score %lld\n",
            r->gr.seconds, (long long)r->gr.q.placed,
            (long long)r->gr.q.score, (long long)r->lib.placed,
            (long long)r->lib.score);
    place_result_free(res);
    place_ctx_free(keep_ctx);
    /* libplace's peak (this process only; the peer is a child of it) */
    r->mem_mib = (double)child_self_maxrss_kib() / 1024.0;

    if (have_peer) {
        if ((double)r->workloads * clusters > o->peer_max_candidates) {
            snprintf(r->peer_note, sizeof r->peer_note, "skipped (size)");
        } else {
            fprintf(stderr, "   peer (PuLP + CBC)...\n");
            run_peer(o->python, o->script, instance, o->time_limit, &r->peer);
            fprintf(stderr, "   peer %.3f s: %s placed %lld score %lld, "
                            "%zu pairs (libplace %zu)\n",
                    r->peer.seconds, r->peer.status,
                    (long long)r->peer.q.placed, (long long)r->peer.q.score,
                    r->peer.pairs, r->pairs);
            if (r->peer.pairs && r->peer.pairs != r->pairs)
                fprintf(stderr, "bench: warning: the peer found %zu feasible "
                                "pairs, libplace %zu\n",
                        r->peer.pairs, r->pairs);
        }
        remove(instance);
    } else {
        snprintf(r->peer_note, sizeof r->peer_note, "%s",
                 strcmp(o->peer, "off") == 0 ? "off" : "not installed");
    }
    return 0;
}

/* One instance in its own process (child.c): the record sent back. */
typedef struct scale_rec {
    child_hdr h;
    row r;
} scale_rec;

typedef struct scale_job {
    const scale_opts *o;
    unsigned int tenants, clusters;
    bool have_peer;
} scale_job;

static void scale_child(void *arg, void *rec, size_t size)
{
    scale_job *j = arg;
    scale_rec *sr = rec;
    (void)size;
    if (run_instance(j->o, j->tenants, j->clusters, j->have_peer, &sr->r) !=
        0)
        child_fail(0, "T%u x N%u: the instance could not be generated",
                   j->tenants, j->clusters);
    sr->h.self_maxrss_kib = (long)(sr->r.mem_mib * 1024.0);
    sr->h.state = CHILD_REC_OK;
}

/* Run the instance T x N in a child under the caps; fill r (and print it)
 * whatever happened. Returns 0 when the instance came back. */
static int run_instance_capped(const scale_opts *o, unsigned int tenants,
                               unsigned int clusters, bool have_peer, row *r,
                               FILE *csv, FILE *table)
{
    static scale_rec rec;
    scale_job job;
    child_run cr;

    job.o = o;
    job.tenants = tenants;
    job.clusters = clusters;
    job.have_peer = have_peer;
    child_run_fn(scale_child, &job, &rec, sizeof rec, o->instance_timeout,
                 o->mem_cap, o->fork_it, &cr);
    if (cr.end == CHILD_OK) {
        *r = rec.r;
        r->run_seconds = cr.seconds;
        snprintf(r->run_status, sizeof r->run_status, "ok");
        if (csv)
            csv_row_full(csv, r, o);
        if (table)
            print_row(table, r);
        print_row(stdout, r);
        return 0;
    }
    /* what the parent can say without the child: the instance's size */
    memset(r, 0, sizeof *r);
    r->tenants = tenants;
    r->clusters = clusters;
    {
        gen_params gp = GEN_PARAMS_INIT;
        gen_info info;
        char err[256];
        FILE *devnull = fopen("/dev/null", "w");
        gp.tenants = tenants;
        gp.clusters = clusters;
        gp.seed = o->seed;
        gp.load = o->load;
        gp.json = o->json;
        if (devnull && gen_write(devnull, &gp, &info, err, sizeof err) == 0) {
            r->workloads = info.workloads;
            r->replicas = (int64_t)info.replicas;
        }
        if (devnull)
            fclose(devnull);
    }
    r->mem_mib = (double)cr.maxrss_kib / 1024.0;
    r->run_seconds = cr.seconds;
    copy_str(r->run_status, sizeof r->run_status, cr.text);
    fprintf(stderr, "   T%u x N%u: %s after %.1f s, peak RSS %.0f MiB\n",
            tenants, clusters, cr.text, cr.seconds, r->mem_mib);
    if (csv)
        csv_row_failed(csv, r, o);
    if (table)
        print_failed_row(table, r);
    print_failed_row(stdout, r);
    return -1;
}

static void usage_scale(FILE *f)
{
    fputs("usage: bench scale [options]\n"
          "  --tenants LIST       e.g. 10,100,1000 (default 10)\n"
          "  --clusters LIST      e.g. 10,100,1000 (default 10)\n"
          "  --sizes LIST         explicit TxN pairs instead of the grid, "
          "e.g.\n"
          "                       100x100,1000x1000,1000x10000\n"
          "  --instance-timeout S each instance runs in its own process, "
          "killed after S s\n"
          "                       (default 3 x time limit + 300; 0: none)\n"
          "  --mem-cap GIB        address-space cap (RLIMIT_AS) of that "
          "process (default 8;\n"
          "                       0: none)\n"
          "  --no-fork            run in this process (no caps; memory is "
          "the peak so far)\n"
          "  --no-candidates      solve with PLACE_SOLVE_NO_CANDIDATES (no "
          "candidate lists:\n"
          "                       no greedy, which reads feasibility from "
          "them)\n"
          "  --seed S             generator seed (default 1)\n"
          "  --load L             requested / free cpu (default 0.8)\n"
          "  --time-limit S       per libplace solve and per peer solve "
          "(default 60)\n"
          "  --iterations K       libplace runs per instance (median; "
          "default 1)\n"
          "  --format F           what libplace parses: json (default) or "
          "yaml\n"
          "  --csv PATH           CSV output (default "
          "bench/results/scale.csv)\n"
          "  --table PATH         also write the Markdown rows there\n"
          "  --peer auto|on|off   the PuLP + CBC peer (default auto)\n"
          "  --python PATH        interpreter for the peer (default "
          "/usr/bin/python3)\n"
          "  --peer-script PATH   default bench/peers/pulp_place.py\n"
          "  --peer-max N         skip the peer above N workload x target "
          "pairs (default 1.5e6)\n"
          "  --write-max N        skip the write phase above N pairs "
          "(default 1.5e6)\n"
          "  --max-pairs N        the context's max_pairs (workloads x "
          "targets; default:\n"
          "                       libplace's)\n"
          "  --workdir DIR        where instances for the peer go "
          "(default /tmp/place-bench)\n"
          "  --no-prep            do not measure the solve without search\n"
          "  --check              exit 1 when libplace does worse than the "
          "greedy\n"
          "  --append             append to --csv and --table (header only "
          "when empty)\n"
          "  --no-explain         solve with PLACE_SOLVE_NO_EXPLAIN (no "
          "regrets, why-not,\n"
          "                       relaxations, bottlenecks)\n",
          f);
}

static int cmd_scale(int argc, char **argv)
{
    scale_opts o;
    static char csvdef[4096], script[4096];
    FILE *csv = NULL, *table = NULL;
    bool have_peer = false, worse = false, failed = false;
    size_t a, b;
    int k;

    memset(&o, 0, sizeof o);
    o.tenants[0] = 10;
    o.clusters[0] = 10;
    o.ntenants = o.nclusters = 1;
    o.seed = 1;
    o.load = 0.8;
    o.time_limit = 60;
    o.iterations = 1;
    o.json = 1;
    o.workdir = "/tmp/place-bench";
    o.python = "/usr/bin/python3";
    snprintf(script, sizeof script, "%s/bench/peers/pulp_place.py",
             BENCH_SOURCE_DIR);
    o.script = script;
    o.peer = "auto";
    o.peer_max_candidates = 1.5e6;
    o.write_max_candidates = 1.5e6;
    o.prep = true;
    o.instance_timeout = -1; /* default: from the time limit */
    o.mem_cap = 8.0 * 1024 * 1024 * 1024;
    o.fork_it = true;
    snprintf(csvdef, sizeof csvdef, "%s/bench/results/scale.csv",
             BENCH_SOURCE_DIR);
    o.csv = csvdef;

    for (k = 0; k < argc; k++) {
        const char *opt = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (strcmp(opt, "-h") == 0 || strcmp(opt, "--help") == 0) {
            usage_scale(stdout);
            return 0;
        }
        if (strcmp(opt, "--no-prep") == 0) {
            o.prep = false;
            continue;
        }
        if (strcmp(opt, "--check") == 0) {
            o.check = true;
            continue;
        }
        if (strcmp(opt, "--append") == 0) {
            o.append = true;
            continue;
        }
        if (strcmp(opt, "--no-fork") == 0) {
            o.fork_it = false;
            continue;
        }
        if (strcmp(opt, "--no-candidates") == 0) {
#ifdef PLACE_SOLVE_NO_CANDIDATES
            o.no_candidates = true;
            continue;
#else
            fprintf(stderr, "bench: this libplace has no "
                            "PLACE_SOLVE_NO_CANDIDATES\n");
            return 2;
#endif
        }
        if (strcmp(opt, "--no-explain") == 0) {
#ifdef PLACE_SOLVE_NO_EXPLAIN
            o.no_explain = true;
            continue;
#else
            fprintf(stderr, "bench: this libplace has no "
                            "PLACE_SOLVE_NO_EXPLAIN\n");
            return 2;
#endif
        }
        if (!v) {
            usage_scale(stderr);
            return 2;
        }
        k++;
        if (strcmp(opt, "--tenants") == 0) {
            if (!(o.ntenants = parse_list(v, o.tenants, 16)))
                goto bad;
        } else if (strcmp(opt, "--clusters") == 0) {
            if (!(o.nclusters = parse_list(v, o.clusters, 16)))
                goto bad;
        } else if (strcmp(opt, "--sizes") == 0) {
            if (!(o.nsizes = parse_sizes(v, o.size_t_, o.size_n, MAX_SIZES)))
                goto bad;
        } else if (strcmp(opt, "--instance-timeout") == 0) {
            o.instance_timeout = strtod(v, NULL);
        } else if (strcmp(opt, "--mem-cap") == 0) {
            o.mem_cap = strtod(v, NULL) * 1024.0 * 1024 * 1024;
        } else if (strcmp(opt, "--seed") == 0) {
            o.seed = strtoull(v, NULL, 10);
        } else if (strcmp(opt, "--load") == 0) {
            if (!((o.load = strtod(v, NULL)) > 0))
                goto bad;
        } else if (strcmp(opt, "--time-limit") == 0) {
            o.time_limit = strtod(v, NULL);
        } else if (strcmp(opt, "--iterations") == 0) {
            o.iterations = (unsigned int)strtoul(v, NULL, 10);
            if (o.iterations == 0)
                goto bad;
        } else if (strcmp(opt, "--format") == 0) {
            if (strcmp(v, "json") == 0)
                o.json = 1;
            else if (strcmp(v, "yaml") == 0)
                o.json = 0;
            else
                goto bad;
        } else if (strcmp(opt, "--csv") == 0) {
            o.csv = v;
        } else if (strcmp(opt, "--table") == 0) {
            o.table = v;
        } else if (strcmp(opt, "--peer") == 0) {
            o.peer = v;
        } else if (strcmp(opt, "--python") == 0) {
            o.python = v;
        } else if (strcmp(opt, "--peer-script") == 0) {
            o.script = v;
        } else if (strcmp(opt, "--peer-max") == 0) {
            o.peer_max_candidates = strtod(v, NULL);
        } else if (strcmp(opt, "--write-max") == 0) {
            o.write_max_candidates = strtod(v, NULL);
        } else if (strcmp(opt, "--max-pairs") == 0) {
            o.max_pairs = strtod(v, NULL);
        } else if (strcmp(opt, "--workdir") == 0) {
            o.workdir = v;
        } else {
            goto bad;
        }
        continue;
bad:
        fprintf(stderr, "bench: bad option %s %s\n", opt, v);
        usage_scale(stderr);
        return 2;
    }

    if (strcmp(o.peer, "off") != 0) {
        have_peer = file_exists(o.script) && peer_available(o.python);
        if (!have_peer && strcmp(o.peer, "on") == 0) {
            fprintf(stderr, "bench: the peer needs %s with pulp and cbc "
                            "(apt-get install python3-pulp coinor-cbc)\n",
                    o.python);
            return 2;
        }
        if (have_peer && mkdirs(o.workdir) != 0) {
            fprintf(stderr, "bench: cannot create %s\n", o.workdir);
            return 2;
        }
    }
    if (o.csv && *o.csv) {
        char dir[4096];
        const char *slash = strrchr(o.csv, '/');
        if (slash) {
            snprintf(dir, sizeof dir, "%.*s", (int)(slash - o.csv), o.csv);
            mkdirs(dir);
        }
        if (!(csv = fopen(o.csv, o.append ? "a" : "w"))) {
            fprintf(stderr, "bench: cannot write %s\n", o.csv);
            return 2;
        }
        fseek(csv, 0, SEEK_END);
        if (ftell(csv) == 0)
            csv_header(csv);
    }
    if (o.table && !(table = fopen(o.table, o.append ? "a" : "w"))) {
        fprintf(stderr, "bench: cannot write %s\n", o.table);
        return 2;
    }
    if (o.instance_timeout < 0)
        o.instance_timeout = o.time_limit > 0 ? 3 * o.time_limit + 300 : 0;
    if (!o.nsizes) {
        for (a = 0; a < o.ntenants; a++)
            for (b = 0; b < o.nclusters && o.nsizes < MAX_SIZES; b++) {
                o.size_t_[o.nsizes] = o.tenants[a];
                o.size_n[o.nsizes++] = o.clusters[b];
            }
    }
    printf("libplace %s, seed %llu, load %.2f, time limit %g s per solve, "
           "explanations %s%s, peer %s\n",
           place_version(), (unsigned long long)o.seed, o.load, o.time_limit,
           o.no_explain ? "off" : "on",
           o.no_candidates ? ", no candidate lists" : "",
           have_peer ? "PuLP + CBC" : o.peer);
    print_caps(o.fork_it, o.instance_timeout, o.mem_cap, o.max_pairs);
    print_header(stdout);
    if (table)
        fseek(table, 0, SEEK_END);
    if (table && ftell(table) == 0)
        print_header(table);
    for (a = 0; a < o.nsizes; a++) {
            row r;
            if (run_instance_capped(&o, o.size_t_[a], o.size_n[a], have_peer,
                                    &r, csv, table) != 0) {
                failed = true;
                continue;
            }
            if (r.verdict < 0 && strcmp(r.lib_status, "optimal") == 0) {
                fprintf(stderr, "bench: libplace does worse than the greedy "
                                "on T%u x N%u\n",
                        r.tenants, r.clusters);
                worse = true;
            }
            if (o.check && r.lib.placed < r.gr.q.placed &&
                quality_cmp_placed(&r.lib, &r.gr.q) <= 0) {
                fprintf(stderr, "bench: libplace placed fewer replicas than "
                                "the greedy on T%u x N%u\n",
                        r.tenants, r.clusters);
                worse = true;
            }
        }
    if (csv)
        fclose(csv);
    if (table)
        fclose(table);
    return o.check && (worse || failed) ? 1 : 0;
}

/* ---- cloudbalance: OptaPlanner's cloud-balancing instances ------------------------ */

/* The figures of ../shared/upstream/optaplanner-cloudbalancing/SOURCE.md. */
typedef struct cb_anchor {
    size_t computers, processes;
    int64_t optimum;    /* proven optimum, 0 when unknown */
    int64_t best_known; /* best cost SOURCE.md reports for a solver, 0: none */
    int64_t greedy;     /* SOURCE.md's first-fit-decreasing figure, 0: none */
    const char *text;
} cb_anchor;

static const cb_anchor cb_anchors[] = {
    {2, 6, 5460, 5460, 0, "optimum 5,460"},
    {3, 9, 5460, 5460, 0, "optimum 5,460"},
    {4, 12, 7410, 7410, 0, "optimum 7,410"},
    {100, 300, 0, 113900, 134640,
     "HiGHS 113,900 (60 s); CBC 133,040 (60 s); GLPK none in 60 s; "
     "greedy 134,640; LP bound ~96,495"},
    {200, 600, 0, 0, 253860, "greedy 253,860"},
    {400, 1200, 0, 0, 528580, "greedy 528,580"},
    {800, 2400, 0, 0, 1070750, "greedy 1,070,750"},
    {1600, 4800, 0, 0, 2170300, "greedy 2,170,300"},
};

static const cb_anchor *cb_anchor_of(size_t c, size_t p)
{
    size_t i;
    for (i = 0; i < sizeof cb_anchors / sizeof *cb_anchors; i++)
        if (cb_anchors[i].computers == c && cb_anchors[i].processes == p)
            return &cb_anchors[i];
    return NULL;
}

/* The options the cloudbalance and kube modes share: how each instance
 * is solved and run in its child. */
typedef struct run_opts {
    double time_limit, instance_timeout, mem_cap, max_pairs;
    bool fork_it, explain, check, json, no_candidates;
} run_opts;

/* One of the shared options at argv[k] (opt) with its value v (or NULL):
 * 1 a switch, 2 an option that took v, 0 not a shared option, -1 a bad or
 * missing value. */
static int run_option(run_opts *o, const char *opt, const char *v)
{
    bool *sw = !strcmp(opt, "--explain")         ? &o->explain
               : !strcmp(opt, "--check")         ? &o->check
               : !strcmp(opt, "--no-candidates") ? &o->no_candidates
                                                 : NULL;
    double *num = !strcmp(opt, "--time-limit")         ? &o->time_limit
                  : !strcmp(opt, "--max-pairs")        ? &o->max_pairs
                  : !strcmp(opt, "--instance-timeout") ? &o->instance_timeout
                  : !strcmp(opt, "--mem-cap")          ? &o->mem_cap
                                                       : NULL;
    if (sw) {
        *sw = true;
        return 1;
    }
    if (!strcmp(opt, "--no-fork")) {
        o->fork_it = false;
        return 1;
    }
    if (num) {
        if (!v)
            return -1;
        *num = strtod(v, NULL);
        if (num == &o->mem_cap)
            *num *= 1024.0 * 1024 * 1024; /* given in GiB */
        return 2;
    }
    if (!strcmp(opt, "--format")) {
        if (!v || (strcmp(v, "json") && strcmp(v, "yaml")))
            return -1;
        o->json = !strcmp(v, "json");
        return 2;
    }
    return 0;
}

/* The solve flags of the cloudbalance and kube modes. */
static unsigned int solve_flags(bool explain, bool no_candidates)
{
    unsigned int f = explain ? 0u : PLACE_SOLVE_NO_EXPLAIN;
#ifdef PLACE_SOLVE_NO_CANDIDATES
    if (no_candidates)
        f |= PLACE_SOLVE_NO_CANDIDATES;
#else
    (void)no_candidates;
#endif
    return f;
}

/* place_result_method, where the library has it. */
static void result_method(const place_result *r, char *buf, size_t n)
{
#ifdef PLACE_SOLVE_NO_CANDIDATES
    copy_str(buf, n, place_result_method(r));
#else
    (void)r;
    copy_str(buf, n, "-");
#endif
}

typedef struct cb_rec {
    child_hdr h;
    size_t computers, processes, placed, lib_placed, used, overloaded,
        unknown;
    int64_t cost; /* summed cost of the computers used, from the data */
    double objective, bound, gap;
    int optimal;
    double convert_s, parse_s, solve_s;
    size_t vars, rows, bytes;
    char method[32];
} cb_rec;

typedef struct cb_job {
    const run_opts *o;
    const char *path;
} cb_job;

/* Index of the process named process-NNNN, or -1. */
static long cb_find_process(const cb_instance *in, const char *name)
{
    char *end;
    long id, i;
    if (strncmp(name, "process-", 8) != 0)
        return -1;
    id = strtol(name + 8, &end, 10);
    if (*end)
        return -1;
    if (id >= 0 && (size_t)id < in->nprocesses && in->processes[id].id == id)
        return id;
    for (i = 0; (size_t)i < in->nprocesses; i++)
        if (in->processes[i].id == id)
            return i;
    return -1;
}

static place_ctx *new_ctx(double max_pairs)
{
    place_ctx *ctx = NULL;
    place_ctx_options co;
    int rc;
    place_ctx_options_init(&co, PLACE_CTX_OPTIONS_VERSION);
    if (max_pairs > 0)
        co.max_pairs = (size_t)max_pairs;
    if ((rc = place_ctx_new(&ctx, &co)) != PLACE_OK)
        die_place(NULL, "place_ctx_new", rc);
    return ctx;
}

static void cb_child(void *arg, void *recp, size_t size)
{
    const cb_job *j = arg;
    const run_opts *o = j->o;
    cb_rec *r = recp;
    cb_instance in;
    char err[1024], *buf = NULL;
    size_t len = 0, i, k;
    FILE *mem;
    place_ctx *ctx;
    place_problem *pb = NULL;
    place_result *res = NULL;
    place_solve_options so;
    long *assign;
    cb_eval ev;
    double t0, t1, t2, t3;
    int rc;

    (void)size;
    t0 = now();
    if (cb_read(j->path, &in, err, sizeof err) != 0)
        child_fail(0, "%s", err);
    if (!(mem = open_memstream(&buf, &len)) || cb_write(mem, &in, o->json))
        child_fail(PLACE_ENOMEM, "conversion: out of memory");
    fclose(mem);
    r->computers = in.ncomputers;
    r->processes = in.nprocesses;
    r->bytes = len;
    ctx = new_ctx(o->max_pairs > 0 ? o->max_pairs
                                   : (double)in.ncomputers *
                                         (double)(in.nprocesses + 1));
    if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK)
        die_place(ctx, "place_problem_new", rc);
    place_solve_options_init(&so, PLACE_SOLVE_OPTIONS_VERSION);
    so.time_limit = o->time_limit;
    so.flags = solve_flags(o->explain, o->no_candidates);
    t1 = now();
    if ((rc = place_problem_add_document(pb, buf, len, PLACE_FORMAT_AUTO,
                                         "cloudbalance")) != PLACE_OK)
        die_place(ctx, "place_problem_add_document", rc);
    free(buf);
    t2 = now();
    if ((rc = place_solve(&res, pb, &so)) != PLACE_OK)
        die_place(ctx, "place_solve", rc);
    t3 = now();
    place_problem_free(pb);
    r->convert_s = t1 - t0;
    r->parse_s = t2 - t1;
    r->solve_s = t3 - t2;
    r->optimal = place_result_outcome(res) == PLACE_OUTCOME_OPTIMAL;
    r->objective = place_result_objective(res);
    r->bound = place_result_bound(res);
    r->gap = place_result_gap(res);
    r->vars = place_result_variable_count(res);
    r->rows = place_result_constraint_count(res);
    result_method(res, r->method, sizeof r->method);
    /* the placement, checked against the data (not the library's figures) */
    assign = xcalloc(in.nprocesses + 1, sizeof *assign);
    for (i = 0; i < in.nprocesses; i++)
        assign[i] = -1;
    for (i = 0; i < place_result_workload_count(res); i++) {
        const place_workload *w = place_result_workload(res, i);
        long p = cb_find_process(&in, place_workload_name(w));
        r->lib_placed += (size_t)place_workload_placed(w);
        for (k = 0; k < place_workload_assignment_count(w); k++) {
            long c = cb_find_computer(&in,
                                      place_workload_assignment_target(w, k));
            if (p < 0 || c < 0 || place_workload_assignment_replicas(w, k) != 1 ||
                assign[p] >= 0)
                r->unknown++;
            else
                assign[p] = c;
        }
    }
    cb_evaluate(&in, assign, &ev);
    r->placed = ev.placed;
    r->used = ev.used_computers;
    r->overloaded = ev.overloaded;
    r->cost = ev.cost;
    free(assign);
    place_result_free(res);
    place_ctx_free(ctx);
    cb_free(&in);
    r->h.state = CHILD_REC_OK;
}

static void cb_header(FILE *f)
{
    fprintf(f, "| instance | computers | processes | placed | libplace cost | "
               "status | lib bound | time s | mem MiB | greedy cost | "
               "greedy s | lib / greedy | SOURCE.md | check |\n");
    fprintf(f, "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|"
               "---|---|\n");
}

static void cb_csv_header(FILE *f)
{
    fputs("instance,computers,processes,time_limit_s,run_status,lib_status,"
          "placed,cost,used_computers,capacities_exceeded,lib_objective,"
          "lib_bound,lib_gap,lib_method,convert_s,parse_s,solve_s,time_s,"
          "variables,"
          "constraints,input_bytes,peak_rss_mib,run_s,greedy_placed,"
          "greedy_cost,greedy_s,anchor_optimum,anchor_best_known,"
          "anchor_greedy,check\n",
          f);
}

/* "ok", or what is wrong with libplace's answer. */
static bool cb_verdict(const cb_rec *r, const cb_anchor *an, char *buf,
                       size_t n)
{
    size_t off = 0;
    buf[0] = '\0';
#define ADD(...)                                                               \
    do {                                                                       \
        if (off < n)                                                           \
            off += (size_t)snprintf(buf + off, n - off, __VA_ARGS__);          \
    } while (0)
    if (r->placed < r->processes)
        ADD("%s%zu unplaced", off ? "; " : "", r->processes - r->placed);
    if (r->overloaded)
        ADD("%s%zu capacities exceeded", off ? "; " : "", r->overloaded);
    if (r->unknown)
        ADD("%s%zu assignments not understood", off ? "; " : "", r->unknown);
    if (r->lib_placed != r->placed)
        ADD("%slibrary says %zu placed", off ? "; " : "", r->lib_placed);
    if (fabs(-r->objective - (double)r->cost) > 0.5)
        ADD("%sobjective %.0f, not -%lld", off ? "; " : "", r->objective,
            (long long)r->cost);
    if (an && an->optimum && r->cost < an->optimum && !r->overloaded)
        ADD("%sbelow the optimum %lld", off ? "; " : "",
            (long long)an->optimum);
    if (an && an->optimum && r->optimal && r->cost != an->optimum)
        ADD("%s\"optimal\" but the optimum is %lld", off ? "; " : "",
            (long long)an->optimum);
#undef ADD
    if (!off)
        snprintf(buf, n, "ok");
    return off == 0;
}

static void usage_cloudbalance(FILE *f)
{
    fputs("usage: bench cloudbalance [options]\n"
          "  --time-limit S       per libplace solve (default 60)\n"
          "  --instances DIR      the OptaPlanner JSON files (default "
          "$PLACE_SHARED_DIR or\n"
          "                       ../shared, + "
          "upstream/optaplanner-cloudbalancing)\n"
          "  --max-computers N    only the instances with at most N "
          "computers\n"
          "  --only LIST          only these instances (names, "
          "comma-separated, e.g.\n"
          "                       100computers-300processes)\n"
          "  --csv PATH           also write the rows as CSV\n"
          "  --table PATH         also write the Markdown rows there\n"
          "  --format F           what libplace parses: json (default) or "
          "yaml\n"
          "  --explain            solve with explanations (default: "
          "PLACE_SOLVE_NO_EXPLAIN)\n"
          "  --no-candidates      also PLACE_SOLVE_NO_CANDIDATES\n"
          "  --max-pairs N        the context's max_pairs (default: "
          "computers x (processes+1))\n"
          "  --instance-timeout S wall-clock cap of each instance's process "
          "(default\n"
          "                       3 x time limit + 120; 0: none)\n"
          "  --mem-cap GIB        its address-space cap (default 8; 0: none)\n"
          "  --no-fork            run in this process (no caps)\n"
          "  --check              exit 1 unless every instance places every "
          "process within\n"
          "                       capacity, libplace's objective is minus "
          "the cost, and the\n"
          "                       known optima (2, 3, 4 computers) are "
          "reached\n"
          "Exit 77 when the instances are absent (the shared folder is not "
          "there).\n",
          f);
}

static bool name_in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    const char *p = list;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && strncmp(p, name, n) == 0)
            return true;
        if (k == n + 5 && strncmp(p, name, n) == 0 &&
            strncmp(p + n, ".json", 5) == 0)
            return true;
        p = e ? e + 1 : NULL;
    }
    return false;
}

static int cmd_cloudbalance(int argc, char **argv)
{
    run_opts o;
    const char *dir = NULL, *csvpath = NULL, *tablepath = NULL, *only = NULL;
    unsigned long max_computers = 0;
    FILE *csv = NULL, *table = NULL;
    char **files = NULL;
    size_t nfiles, i;
    bool bad = false;
    int k;

    memset(&o, 0, sizeof o);
    o.time_limit = 60;
    o.instance_timeout = -1;
    o.mem_cap = 8.0 * 1024 * 1024 * 1024;
    o.fork_it = true;
    o.json = true;
    for (k = 0; k < argc; k++) {
        const char *opt = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            usage_cloudbalance(stdout);
            return 0;
        }
        switch (run_option(&o, opt, v)) {
        case 1:
            continue;
        case 2:
            k++;
            continue;
        case -1:
            goto usage;
        }
        if (!v)
            goto usage;
        k++;
        if (!strcmp(opt, "--instances"))
            dir = v;
        else if (!strcmp(opt, "--max-computers"))
            max_computers = strtoul(v, NULL, 10);
        else if (!strcmp(opt, "--only"))
            only = v;
        else if (!strcmp(opt, "--csv"))
            csvpath = v;
        else if (!strcmp(opt, "--table"))
            tablepath = v;
        else
            goto usage;
    }
    if (o.instance_timeout < 0)
        o.instance_timeout = o.time_limit > 0 ? 3 * o.time_limit + 120 : 0;
    if (!dir)
        dir = cb_default_dir();
    nfiles = cb_list(dir, &files);
    if (nfiles == 0) {
        printf("SKIP: no cloud-balancing instance in %s (the shared folder "
               "is not next to the checkout); nothing measured\n",
               dir);
        return 77;
    }
    if (csvpath) {
        if (!(csv = fopen(csvpath, "w"))) {
            fprintf(stderr, "bench: cannot write %s\n", csvpath);
            cb_free_list(files, nfiles);
            return 2;
        }
        cb_csv_header(csv);
    }
    if (tablepath) {
        if (!(table = fopen(tablepath, "w"))) {
            fprintf(stderr, "bench: cannot write %s\n", tablepath);
            cb_free_list(files, nfiles);
            if (csv)
                fclose(csv);
            return 2;
        }
        cb_header(table);
    }
    printf("libplace %s, OptaPlanner cloud balancing from %s, time limit %g "
           "s per solve, explanations %s%s, input %s\n",
           place_version(), dir, o.time_limit, o.explain ? "on" : "off",
           o.no_candidates ? ", no candidate lists" : "",
           o.json ? "JSON" : "YAML");
    print_caps(o.fork_it, o.instance_timeout, o.mem_cap,
               o.max_pairs > 0 ? o.max_pairs : -1);
    printf("cost: summed cost of the computers that host a process, computed "
           "here from the assignments; lib bound: -place_result_bound (a "
           "lower bound on the cost once every process is placed); greedy: "
           "first-fit decreasing (bench/cloudbalance.h)\n\n");
    cb_header(stdout);
    for (i = 0; i < nfiles; i++) {
        const char *base = strrchr(files[i], '/') ? strrchr(files[i], '/') + 1
                                                  : files[i];
        char name[256], check[256], cost[32] = "-", lbound[32] = "-",
                                    ratio[32] = "-", status[300];
        cb_instance in;
        char err[1024];
        long *gassign;
        cb_eval gev;
        double tg;
        cb_job job;
        static cb_rec rec;
        child_run cr;
        const cb_anchor *an;
        bool ok;

        snprintf(name, sizeof name, "%.*s", (int)(strlen(base) - 5), base);
        if (only && !name_in_list(only, name))
            continue;
        if (cb_read(files[i], &in, err, sizeof err) != 0) {
            fprintf(stderr, "bench: %s\n", err);
            bad = true;
            continue;
        }
        if (max_computers && in.ncomputers > max_computers) {
            cb_free(&in);
            continue;
        }
        an = cb_anchor_of(in.ncomputers, in.nprocesses);
        fprintf(stderr, "== %s: %zu computers, %zu processes\n", name,
                in.ncomputers, in.nprocesses);
        /* the greedy, here: cheap, and its memory is not libplace's */
        gassign = xcalloc(in.nprocesses + 1, sizeof *gassign);
        tg = now();
        cb_greedy(&in, gassign);
        tg = now() - tg;
        cb_evaluate(&in, gassign, &gev);
        free(gassign);

        job.o = &o;
        job.path = files[i];
        child_run_fn(cb_child, &job, &rec, sizeof rec, o.instance_timeout,
                     o.mem_cap, o.fork_it, &cr);
        if (cr.end == CHILD_OK) {
            ok = cb_verdict(&rec, an, check, sizeof check);
            snprintf(cost, sizeof cost, "%lld", (long long)rec.cost);
            if (-rec.bound > 0.5) /* a cost bound; 0 when no LP bound */
                snprintf(lbound, sizeof lbound, "%.0f", -rec.bound);
            else
                snprintf(lbound, sizeof lbound, "none");
            if (gev.cost > 0)
                snprintf(ratio, sizeof ratio, "%.3f",
                         (double)rec.cost / (double)gev.cost);
            snprintf(status, sizeof status, "%s, %s",
                     rec.optimal ? "optimal" : "feasible", rec.method);
        } else {
            memset(&rec, 0, sizeof rec);
            rec.computers = in.ncomputers;
            rec.processes = in.nprocesses;
            ok = false;
            snprintf(check, sizeof check, "no result");
            snprintf(status, sizeof status, "%s after %.1f s", cr.text,
                     cr.seconds);
        }
        fprintf(stderr, "   %s: %s, cost %s, %.1f s, %.0f MiB; greedy %lld; "
                        "%s\n",
                name, status, cost, cr.seconds,
                (double)cr.maxrss_kib / 1024.0, (long long)gev.cost, check);
        {
            FILE *outs[2];
            size_t m;
            outs[0] = stdout;
            outs[1] = table;
            for (m = 0; m < 2; m++) {
                if (!outs[m])
                    continue;
                fprintf(outs[m],
                        "| %s | %zu | %zu | %zu | %s | %s | %s | %.3f | %.0f "
                        "| %lld | %.3f | %s | %s | %s |\n",
                        name, in.ncomputers, in.nprocesses, rec.placed, cost,
                        status, lbound, rec.parse_s + rec.solve_s,
                        (double)cr.maxrss_kib / 1024.0, (long long)gev.cost,
                        tg, ratio, an ? an->text : "-", check);
                fflush(outs[m]);
            }
        }
        if (csv) {
            fprintf(csv,
                    "%s,%zu,%zu,%g,\"%s\",%s,%zu,%lld,%zu,%zu,%.6f,%.6f,%.6f,"
                    "%s,%.6f,%.6f,%.6f,%.6f,%zu,%zu,%zu,%.1f,%.3f,%zu,%lld,"
                    "%.6f,"
                    "%lld,%lld,%lld,\"%s\"\n",
                    name, in.ncomputers, in.nprocesses, o.time_limit, cr.text,
                    cr.end == CHILD_OK ? (rec.optimal ? "optimal" : "feasible")
                                       : "",
                    rec.placed, (long long)rec.cost, rec.used, rec.overloaded,
                    rec.objective, rec.bound, rec.gap, rec.method,
                    rec.convert_s,
                    rec.parse_s, rec.solve_s, rec.parse_s + rec.solve_s,
                    rec.vars, rec.rows, rec.bytes,
                    (double)cr.maxrss_kib / 1024.0, cr.seconds, gev.placed,
                    (long long)gev.cost, tg,
                    an ? (long long)an->optimum : 0LL,
                    an ? (long long)an->best_known : 0LL,
                    an ? (long long)an->greedy : 0LL, check);
            fflush(csv);
        }
        if (!ok)
            bad = true;
        cb_free(&in);
    }
    cb_free_list(files, nfiles);
    if (csv)
        fclose(csv);
    if (table)
        fclose(table);
    return o.check && bad ? 1 : 0;
usage:
    usage_cloudbalance(stderr);
    return 2;
}

/* ---- kube: kube-scheduler's benchmark shape -------------------------------------- */

typedef struct kube_opts {
    unsigned long nodes, pods;
    run_opts r;
} kube_opts;

typedef struct kube_rec {
    child_hdr h;
    size_t placed, used_nodes, overloaded, unknown, workloads, targets;
    double gen_s, parse_s, solve_s;
    size_t bytes, vars, rows;
    int optimal;
    char method[32];
} kube_rec;

/* Node i of 1..N as kube's scheduler_perf makes them: 4 cpu, 32Gi, 110
 * pods; pods of 100m / 500Mi. */
static void kube_write(FILE *f, const kube_opts *o)
{
    unsigned long i;
    if (o->r.json)
        fputs("[\n", f);
    for (i = 1; i <= o->nodes; i++) {
        if (o->r.json)
            fprintf(f,
                    "{\"apiVersion\": \"v1\", \"kind\": \"Node\", "
                    "\"metadata\": {\"name\": \"node-%05lu\", \"labels\": "
                    "{\"kubernetes.io/hostname\": \"node-%05lu\"}}, "
                    "\"status\": {\"allocatable\": {\"cpu\": \"4\", "
                    "\"memory\": \"32Gi\", \"pods\": \"110\"}, \"capacity\": "
                    "{\"cpu\": \"4\", \"memory\": \"32Gi\", \"pods\": "
                    "\"110\"}}},\n",
                    i, i);
        else
            fprintf(f,
                    "---\napiVersion: v1\nkind: Node\nmetadata:\n"
                    "  name: node-%05lu\n"
                    "  labels: {kubernetes.io/hostname: node-%05lu}\n"
                    "status:\n"
                    "  allocatable: {cpu: \"4\", memory: 32Gi, pods: \"110\"}\n"
                    "  capacity: {cpu: \"4\", memory: 32Gi, pods: \"110\"}\n",
                    i, i);
    }
    for (i = 1; i <= o->pods; i++) {
        if (o->r.json)
            fprintf(f,
                    "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": "
                    "{\"name\": \"pod-%05lu\", \"namespace\": \"sched-bench\"}, "
                    "\"spec\": {\"containers\": [{\"name\": \"pause\", "
                    "\"image\": \"registry.k8s.io/pause:3.9\", \"resources\": "
                    "{\"requests\": {\"cpu\": \"100m\", \"memory\": "
                    "\"500Mi\"}}}]}}%s\n",
                    i, i < o->pods ? "," : "");
        else
            fprintf(f,
                    "---\napiVersion: v1\nkind: Pod\nmetadata:\n"
                    "  name: pod-%05lu\n  namespace: sched-bench\nspec:\n"
                    "  containers:\n  - name: pause\n"
                    "    image: registry.k8s.io/pause:3.9\n"
                    "    resources: {requests: {cpu: 100m, memory: 500Mi}}\n",
                    i);
    }
    if (o->r.json) {
        if (o->pods == 0)
            fputs("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                  "\"metadata\": {\"name\": \"empty\"}}\n",
                  f);
        fputs("]\n", f);
    }
}

static void kube_child(void *arg, void *recp, size_t size)
{
    const kube_opts *o = arg;
    kube_rec *r = recp;
    char *buf = NULL;
    size_t len = 0, i, k;
    FILE *mem;
    place_ctx *ctx;
    place_problem *pb = NULL;
    place_result *res = NULL;
    place_solve_options so;
    unsigned int *count;
    double t0, t1, t2, t3;
    int rc;

    (void)size;
    t0 = now();
    if (!(mem = open_memstream(&buf, &len)))
        child_fail(PLACE_ENOMEM, "open_memstream: out of memory");
    kube_write(mem, o);
    if (fclose(mem) != 0)
        child_fail(PLACE_ENOMEM, "generating the instance: out of memory");
    r->bytes = len;
    ctx = new_ctx(o->r.max_pairs > 0 ? o->r.max_pairs
                                   : (double)o->nodes * (double)o->pods + 1);
    if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK)
        die_place(ctx, "place_problem_new", rc);
    place_solve_options_init(&so, PLACE_SOLVE_OPTIONS_VERSION);
    so.time_limit = o->r.time_limit;
    so.flags = solve_flags(o->r.explain, o->r.no_candidates);
    t1 = now();
    if ((rc = place_problem_add_document(pb, buf, len, PLACE_FORMAT_AUTO,
                                         "kube")) != PLACE_OK)
        die_place(ctx, "place_problem_add_document", rc);
    t2 = now();
    if ((rc = place_solve(&res, pb, &so)) != PLACE_OK)
        die_place(ctx, "place_solve", rc);
    t3 = now();
    free(buf);
    place_problem_free(pb);
    r->gen_s = t1 - t0;
    r->parse_s = t2 - t1;
    r->solve_s = t3 - t2;
    r->optimal = place_result_outcome(res) == PLACE_OUTCOME_OPTIMAL;
    r->vars = place_result_variable_count(res);
    r->rows = place_result_constraint_count(res);
    r->workloads = place_result_workload_count(res);
    r->targets = place_result_target_count(res);
    result_method(res, r->method, sizeof r->method);
    /* check the placement against the nodes: pods, cpu, memory */
    count = xcalloc(o->nodes + 1, sizeof *count);
    for (i = 0; i < place_result_workload_count(res); i++) {
        const place_workload *w = place_result_workload(res, i);
        r->placed += (size_t)place_workload_placed(w);
        for (k = 0; k < place_workload_assignment_count(w); k++) {
            const char *t = place_workload_assignment_target(w, k);
            char *end;
            unsigned long n = strncmp(t, "node-", 5) == 0
                                  ? strtoul(t + 5, &end, 10)
                                  : 0;
            if (n == 0 || n > o->nodes)
                r->unknown++;
            else
                count[n] += (unsigned int)place_workload_assignment_replicas(w,
                                                                         k);
        }
    }
    for (i = 1; i <= o->nodes; i++) {
        if (count[i])
            r->used_nodes++;
        /* 110 pods; 4000m / 100m = 40; 32Gi / 500Mi = 65 */
        if (count[i] > 110 || count[i] * 100u > 4000u ||
            (uint64_t)count[i] * 500u * 1024 * 1024 >
                32ull * 1024 * 1024 * 1024)
            r->overloaded++;
    }
    free(count);
    place_result_free(res);
    place_ctx_free(ctx);
    r->h.state = CHILD_REC_OK;
}

static void usage_kube(FILE *f)
{
    fputs("usage: bench kube [options]\n"
          "  --nodes N            identical Nodes (4 cpu, 32Gi, 110 pods; "
          "default 5000)\n"
          "  --pods P             Pods of 100m / 500Mi, one document each "
          "(default 10000)\n"
          "  --time-limit S       libplace's time limit (default none)\n"
          "  --format F           json (default) or yaml\n"
          "  --explain            solve with explanations (default: "
          "PLACE_SOLVE_NO_EXPLAIN)\n"
          "  --no-candidates      also PLACE_SOLVE_NO_CANDIDATES\n"
          "  --max-pairs N        the context's max_pairs (default: nodes x "
          "pods + 1)\n"
          "  --instance-timeout S wall-clock cap of the instance's process "
          "(default 900, or\n"
          "                       3 x time limit + 300; 0: none)\n"
          "  --mem-cap GIB        its address-space cap (default 8; 0: none)\n"
          "  --no-fork            run in this process (no caps)\n"
          "  --csv PATH           also write the row as CSV\n"
          "  --check              exit 1 unless every pod is placed within "
          "the nodes' capacity\n",
          f);
}

static int cmd_kube(int argc, char **argv)
{
    kube_opts o;
    static kube_rec rec;
    child_run cr;
    const char *csvpath = NULL;
    double wall, rate, mem;
    bool ok;
    int k;

    memset(&o, 0, sizeof o);
    o.nodes = 5000;
    o.pods = 10000;
    o.r.instance_timeout = -1;
    o.r.mem_cap = 8.0 * 1024 * 1024 * 1024;
    o.r.fork_it = true;
    o.r.json = true;
    for (k = 0; k < argc; k++) {
        const char *opt = argv[k], *v = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            usage_kube(stdout);
            return 0;
        }
        switch (run_option(&o.r, opt, v)) {
        case 1:
            continue;
        case 2:
            k++;
            continue;
        case -1:
            goto usage;
        }
        if (!v)
            goto usage;
        k++;
        if (!strcmp(opt, "--nodes"))
            o.nodes = strtoul(v, NULL, 10);
        else if (!strcmp(opt, "--pods"))
            o.pods = strtoul(v, NULL, 10);
        else if (!strcmp(opt, "--csv"))
            csvpath = v;
        else
            goto usage;
    }
    if (o.nodes == 0 || o.nodes > 1000000 || o.pods > 10000000)
        goto usage;
    if (o.r.instance_timeout < 0)
        o.r.instance_timeout = o.r.time_limit > 0 ? 3 * o.r.time_limit + 300 : 900;
    printf("libplace %s, kube-scheduler's benchmark shape: %lu Nodes (4 cpu, "
           "32Gi, 110 pods), %lu Pods (100m, 500Mi), %s, time limit %s, "
           "explanations %s%s\n",
           place_version(), o.nodes, o.pods, o.r.json ? "JSON" : "YAML",
           o.r.time_limit > 0 ? "set" : "none", o.r.explain ? "on" : "off",
           o.r.no_candidates ? ", no candidate lists" : "");
    print_caps(o.r.fork_it, o.r.instance_timeout, o.r.mem_cap,
               o.r.max_pairs > 0 ? o.r.max_pairs
                               : (double)o.nodes * (double)o.pods + 1);
    child_run_fn(kube_child, &o, &rec, sizeof rec, o.r.instance_timeout,
                 o.r.mem_cap, o.r.fork_it, &cr);
    mem = (double)cr.maxrss_kib / 1024.0;
    printf("| nodes | pods | placed | status | parse+solve s | solve s | pods/s "
           "(placed / solve s) | kube-scheduler CI floor | mem MiB | nodes "
           "used | check |\n"
           "|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|\n");
    if (cr.end != CHILD_OK) {
        printf("| %lu | %lu | - | %s after %.1f s | | | | 680 | %.0f | "
               "| no result |\n",
               o.nodes, o.pods, cr.text, cr.seconds, mem);
        ok = false;
        rate = wall = 0;
    } else {
        char check[128], status[64];
        snprintf(status, sizeof status, "%s, %s",
                 rec.optimal ? "optimal" : "feasible", rec.method);
        wall = rec.parse_s + rec.solve_s;
        rate = rec.solve_s > 0 ? (double)rec.placed / rec.solve_s : 0;
        ok = rec.placed == o.pods && !rec.overloaded && !rec.unknown;
        if (ok)
            snprintf(check, sizeof check, "ok");
        else
            snprintf(check, sizeof check,
                     "%lu unplaced, %zu nodes over capacity, %zu unknown",
                     o.pods - (unsigned long)rec.placed, rec.overloaded,
                     rec.unknown);
        printf("| %lu | %lu | %zu | %s | %.3f | %.3f | %.0f | 680 | %.0f | "
               "%zu | %s |\n",
               o.nodes, o.pods, rec.placed, status, wall,
               rec.solve_s, rate, mem, rec.used_nodes, check);
        printf("\nparse (place_problem_add_document, %.1f MB) %.3f s; "
               "place_solve %.3f s; %zu variables, %zu constraints; "
               "generating the input %.3f s (not counted); %s the 680 pods/s "
               "floor (x%.2f)\n",
               (double)rec.bytes / 1e6, rec.parse_s, rec.solve_s, rec.vars,
               rec.rows, rec.gen_s, rate >= 680 ? "above" : "BELOW",
               rate / 680.0);
    }
    if (csvpath) {
        FILE *f = fopen(csvpath, "w");
        if (!f) {
            fprintf(stderr, "bench: cannot write %s\n", csvpath);
            return 2;
        }
        fprintf(f, "nodes,pods,run_status,lib_status,lib_method,placed,"
                   "parse_s,solve_s,"
                   "wall_s,pods_per_s,floor_pods_per_s,peak_rss_mib,run_s,"
                   "nodes_used,nodes_over_capacity,variables,constraints,"
                   "input_bytes\n");
        fprintf(f, "%lu,%lu,\"%s\",%s,%s,%zu,%.6f,%.6f,%.6f,%.1f,680,%.1f,"
                   "%.3f,%zu,%zu,%zu,%zu,%zu\n",
                o.nodes, o.pods, cr.text,
                cr.end == CHILD_OK ? (rec.optimal ? "optimal" : "feasible")
                                   : "",
                cr.end == CHILD_OK ? rec.method : "", rec.placed, rec.parse_s, rec.solve_s, wall, rate, mem,
                cr.seconds, rec.used_nodes, rec.overloaded, rec.vars,
                rec.rows, rec.bytes);
        fclose(f);
    }
    return o.r.check && !ok ? 1 : 0;
usage:
    usage_kube(stderr);
    return 2;
}

/* ---- main -------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "scenarios") == 0)
        return cmd_scenarios(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "scale") == 0)
        return cmd_scale(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "cloudbalance") == 0)
        return cmd_cloudbalance(argc - 2, argv + 2);
    if (argc >= 2 && strcmp(argv[1], "kube") == 0)
        return cmd_kube(argc - 2, argv + 2);
    fprintf(argc >= 2 && strcmp(argv[1], "--help") != 0 ? stderr : stdout,
            "usage: bench scenarios [options]     (bench scenarios --help)\n"
            "       bench scale [options]         (bench scale --help)\n"
            "       bench cloudbalance [options]  (bench cloudbalance --help)\n"
            "       bench kube [options]          (bench kube --help)\n");
    return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}

/*
 * place_controller: embedding libplace in a control loop.
 *
 *   place_controller [--interval MS] [--iterations N | --once]
 *                    WATCH_DIR WORKLOAD_FILE...
 *
 * The workloads (and any PriorityClass, NamespaceOffloading or
 * PlacementPolicy) come from WORKLOAD_FILEs, read once at start. The
 * targets (ClusterAdvertisements or Nodes) are the *.yaml, *.yml and *.json
 * files of WATCH_DIR, polled every MS milliseconds (default 1000) by name,
 * size, inode and modification time. When they change, the placement is
 * solved again and what moved is printed:
 *
 *   solve 2: partners.yaml changed
 *   moved Deployment shop/payments: partner-b x2 -> partner-a x2
 *
 * --iterations N stops after N solves (the first included); --once is
 * --iterations 1. Without either it runs until interrupted. A change that
 * makes the input invalid is reported and the last good placement kept.
 * Exit status: 0, or 2 for bad usage or unreadable workload files.
 *
 * It uses only place.h and shows the lifecycle and ownership rules:
 *
 *   place_ctx       one for the whole loop; it holds the last error; every
 *                   problem and result made from it must be freed before
 *                   place_ctx_free(). Use it from one thread at a time.
 *   place_problem   built for each solve and freed right after it: the
 *                   result does not refer to the problem. The API has no
 *                   way to remove a document from a problem, so a change of
 *                   the advertisements means a new problem; the workload
 *                   bytes are kept in memory so only they are re-parsed,
 *                   not re-read.
 *   place_result    owned by the caller until place_result_free(); all the
 *                   strings and objects it hands out are borrowed from it.
 *                   The previous result is kept until the new one has been
 *                   compared with it, then freed.
 *   errors          a failing call returns a negative place_status;
 *                   place_errmsg() and place_errloc() describe it until the
 *                   next call on the same context.
 */
#include "place.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* ---- the watched folder ------------------------------------------------ */

typedef struct entry {
    char *name;
    long long size, mtime_sec, mtime_nsec, ino;
} entry;

typedef struct snapshot {
    entry *items;
    size_t count;
} snapshot;

static void snapshot_free(snapshot *s)
{
    size_t i;
    for (i = 0; i < s->count; i++)
        free(s->items[i].name);
    free(s->items);
    s->items = NULL;
    s->count = 0;
}

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* The input files of @p dir, sorted by name. 0 on success. */
static int snapshot_take(const char *dir, snapshot *out)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    size_t cap = 0;

    out->items = NULL;
    out->count = 0;
    if (!d)
        return -1;
    while ((de = readdir(d)) != NULL) {
        struct stat st;
        char *path;
        entry *e;
        if (de->d_name[0] == '.' ||
            !(has_suffix(de->d_name, ".yaml") ||
              has_suffix(de->d_name, ".yml") ||
              has_suffix(de->d_name, ".json")))
            continue;
        path = join(dir, de->d_name);
        if (!path || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(path);
            continue; /* vanished meanwhile: the next poll sees it */
        }
        free(path);
        if (out->count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            entry *p = realloc(out->items, ncap * sizeof *p);
            if (!p)
                break;
            out->items = p;
            cap = ncap;
        }
        e = &out->items[out->count];
        e->name = malloc(strlen(de->d_name) + 1);
        if (!e->name)
            break;
        strcpy(e->name, de->d_name);
        e->size = (long long)st.st_size;
        e->mtime_sec = (long long)st.st_mtim.tv_sec;
        e->mtime_nsec = (long long)st.st_mtim.tv_nsec;
        e->ino = (long long)st.st_ino;
        out->count++;
    }
    closedir(d);
    if (out->count)
        qsort(out->items, out->count, sizeof *out->items, entry_cmp);
    return 0;
}

/* Print what differs between two snapshots; return the number of changes. */
static size_t snapshot_diff(const snapshot *old, const snapshot *cur,
                            int print)
{
    size_t i = 0, j = 0, n = 0;
    while (i < old->count || j < cur->count) {
        int c = i == old->count   ? 1
                : j == cur->count ? -1
                                  : strcmp(old->items[i].name,
                                           cur->items[j].name);
        if (c < 0) {
            if (print)
                printf("%s%s removed", n ? ", " : "", old->items[i].name);
            i++, n++;
        } else if (c > 0) {
            if (print)
                printf("%s%s added", n ? ", " : "", cur->items[j].name);
            j++, n++;
        } else {
            const entry *a = &old->items[i], *b = &cur->items[j];
            if (a->size != b->size || a->mtime_sec != b->mtime_sec ||
                a->mtime_nsec != b->mtime_nsec || a->ino != b->ino) {
                if (print)
                    printf("%s%s changed", n ? ", " : "", b->name);
                n++;
            }
            i++, j++;
        }
    }
    return n;
}

/* ---- the workload files, kept in memory ------------------------------- */

typedef struct source {
    const char *path;
    char *data;
    size_t len;
} source;

static int read_file(const char *path, char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, n = 0, got;
    char *buf;
    if (!f)
        return -1;
    buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = p;
            cap *= 2;
        }
    }
    if (!buf || ferror(f)) {
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    *data = buf;
    *len = n;
    return 0;
}

/* ---- solving -------------------------------------------------------------- */

static void print_error(place_ctx *ctx)
{
    place_location loc;
    /* Both are borrowed from ctx and valid until the next call on it. */
    fprintf(stderr, "place_controller: %s\n", place_errmsg(ctx));
    if (place_errloc(ctx, &loc) == PLACE_OK && loc.path)
        fprintf(stderr, "place_controller:   at field %s\n", loc.path);
}

/* Build a fresh problem from the workloads and the folder, and solve it.
 * Returns the new result (owned by the caller), or NULL after printing
 * the error. */
static place_result *solve_once(place_ctx *ctx, const source *src,
                                size_t nsrc, const char *dir,
                                const snapshot *snap)
{
    place_problem *pb = NULL;
    place_result *res = NULL;
    size_t i;
    int rc;

    if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK) {
        print_error(ctx);
        return NULL;
    }
    /* The bytes are copied by libplace; src stays ours. */
    for (i = 0; i < nsrc && rc == PLACE_OK; i++)
        rc = place_problem_add_document(pb, src[i].data, src[i].len,
                                        PLACE_FORMAT_AUTO, src[i].path);
    for (i = 0; i < snap->count && rc == PLACE_OK; i++) {
        char *path = join(dir, snap->items[i].name);
        rc = path ? place_problem_add_file(pb, path, PLACE_FORMAT_AUTO)
                  : PLACE_ENOMEM;
        free(path);
    }
    if (rc == PLACE_OK)
        rc = place_solve(&res, pb, NULL);
    if (rc != PLACE_OK)
        print_error(ctx);
    /* The result (if any) does not need the problem. */
    place_problem_free(pb);
    return rc == PLACE_OK ? res : NULL;
}

static void print_assignments(const place_workload *w)
{
    size_t j, n = place_workload_assignment_count(w);
    if (n == 0)
        printf("nothing");
    for (j = 0; j < n; j++)
        printf("%s%s x%lld", j ? ", " : "",
               place_workload_assignment_target(w, j),
               (long long)place_workload_assignment_replicas(w, j));
    if (place_workload_unplaced(w) > 0)
        printf(" (%lld unplaced)", (long long)place_workload_unplaced(w));
}

static int same_assignments(const place_workload *a, const place_workload *b)
{
    size_t j, n = place_workload_assignment_count(a);
    if (n != place_workload_assignment_count(b))
        return 0;
    /* Both lists are ordered by target name. */
    for (j = 0; j < n; j++)
        if (strcmp(place_workload_assignment_target(a, j),
                   place_workload_assignment_target(b, j)) != 0 ||
            place_workload_assignment_replicas(a, j) !=
                place_workload_assignment_replicas(b, j))
            return 0;
    return 1;
}

/* Print the workloads whose assignments differ; return how many. */
static size_t print_moves(const place_result *old, const place_result *cur)
{
    size_t i, moved = 0;
    for (i = 0; i < place_result_workload_count(cur); i++) {
        const place_workload *w = place_result_workload(cur, i);
        const place_workload *was = place_result_find_workload(
            old, place_workload_namespace(w), place_workload_name(w));
        if (was && same_assignments(was, w))
            continue;
        printf("moved %s %s/%s: ", place_workload_kind(w),
               place_workload_namespace(w), place_workload_name(w));
        if (was)
            print_assignments(was);
        else
            printf("(new)");
        printf(" -> ");
        print_assignments(w);
        printf("\n");
        moved++;
    }
    return moved;
}

static void print_placement(const place_result *r)
{
    size_t i;
    for (i = 0; i < place_result_workload_count(r); i++) {
        const place_workload *w = place_result_workload(r, i);
        printf("  %s %s/%s: ", place_workload_kind(w),
               place_workload_namespace(w), place_workload_name(w));
        print_assignments(w);
        printf("\n");
        if (place_workload_summary(w))
            printf("    %s\n", place_workload_summary(w));
    }
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static void usage(FILE *f)
{
    fputs("usage: place_controller [--interval MS] [--iterations N | --once]"
          "\n                        WATCH_DIR WORKLOAD_FILE...\n",
          f);
}

int main(int argc, char **argv)
{
    long interval = 1000, iterations = 0, solves = 0;
    const char *dir = NULL;
    source *src;
    size_t nsrc = 0, i;
    snapshot snap = {NULL, 0}, next;
    place_ctx *ctx = NULL;
    place_result *current = NULL;
    int a, code = 0;

    src = calloc((size_t)argc, sizeof *src);
    if (!src)
        return 2;
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--interval") == 0 && a + 1 < argc) {
            interval = strtol(argv[++a], NULL, 10);
        } else if (strcmp(argv[a], "--iterations") == 0 && a + 1 < argc) {
            iterations = strtol(argv[++a], NULL, 10);
        } else if (strcmp(argv[a], "--once") == 0) {
            iterations = 1;
        } else if (strcmp(argv[a], "--help") == 0) {
            usage(stdout);
            free(src);
            return 0;
        } else if (argv[a][0] == '-') {
            usage(stderr);
            free(src);
            return 2;
        } else if (!dir) {
            dir = argv[a];
        } else {
            src[nsrc++].path = argv[a];
        }
    }
    if (!dir || nsrc == 0 || interval < 1 || iterations < 0) {
        usage(stderr);
        free(src);
        return 2;
    }
    for (i = 0; i < nsrc; i++) {
        if (read_file(src[i].path, &src[i].data, &src[i].len) != 0) {
            fprintf(stderr, "place_controller: cannot read %s\n",
                    src[i].path);
            code = 2;
            goto out;
        }
    }
    /* One context for the whole loop. */
    if (place_ctx_new(&ctx, NULL) != PLACE_OK) {
        fprintf(stderr, "place_controller: out of memory\n");
        code = 2;
        goto out;
    }
    if (snapshot_take(dir, &snap) != 0) {
        fprintf(stderr, "place_controller: cannot read folder %s\n", dir);
        code = 2;
        goto out;
    }
    printf("libplace %s, watching %s (%zu files)\n", place_version(), dir,
           snap.count);

    current = solve_once(ctx, src, nsrc, dir, &snap);
    solves++;
    if (current) {
        printf("solve 1: %s, %s\n",
               place_result_outcome(current) == PLACE_OUTCOME_OPTIMAL
                   ? "optimal"
                   : "feasible",
               place_result_all_placed(current) ? "all placed"
                                                : "replicas unplaced");
        print_placement(current);
    }
    fflush(stdout);

    while (iterations == 0 || solves < iterations) {
        place_result *res;
        sleep_ms(interval);
        if (snapshot_take(dir, &next) != 0) {
            fprintf(stderr, "place_controller: cannot read folder %s\n", dir);
            continue;
        }
        if (snapshot_diff(&snap, &next, 0) == 0) {
            snapshot_free(&next);
            continue;
        }
        solves++;
        printf("solve %ld: ", solves);
        snapshot_diff(&snap, &next, 1);
        printf("\n");
        fflush(stdout); /* before any error on stderr */
        snapshot_free(&snap);
        snap = next;

        res = solve_once(ctx, src, nsrc, dir, &snap);
        if (!res) {
            printf("keeping the previous placement\n");
        } else if (!current) {
            print_placement(res);
            current = res;
        } else {
            /* Strings of `current` are still valid here: it is freed only
             * after the comparison. */
            if (print_moves(current, res) == 0)
                printf("nothing moved\n");
            place_result_free(current);
            current = res;
        }
        fflush(stdout);
    }

out:
    /* Results before their context; NULL is fine for every _free. */
    place_result_free(current);
    place_ctx_free(ctx);
    snapshot_free(&snap);
    for (i = 0; i < nsrc; i++)
        free(src[i].data);
    free(src);
    return code;
}

/*
 * place: the command-line front end of libplace. It uses only place.h.
 *
 *   place solve   [--output text|json|yaml] [--policy FILE] [--time-limit S]
 *                 [--mip-gap G] [--no-timings] FILE...
 *   place check   FILE...
 *   place explain [--output text|json|yaml] NAMESPACE/NAME FILE...
 *   place export  --format lp|mps FILE...
 *
 * Exit codes: 0 solved and every replica placed; 1 solved with replicas
 * unplaced; 2 bad input or usage; 3 solver or internal failure.
 */
#include "place.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_PLACED = 0, EXIT_UNPLACED = 1, EXIT_INPUT = 2, EXIT_FAILURE_ = 3 };

static void usage(FILE *f)
{
    fputs("usage: place solve [--output text|json|yaml] [--policy FILE]\n"
          "                   [--time-limit SECONDS] [--mip-gap GAP]\n"
          "                   [--no-explain] [--no-candidates] [--no-timings]\n"
          "                   [--verbose] FILE...\n"
          "       place check FILE...\n"
          "       place explain [--output text|json|yaml] NAMESPACE/NAME "
          "FILE...\n"
          "       place export --format lp|mps FILE...\n"
          "       place --version\n"
          "FILE may be - for standard input. Exit codes: 0 all placed, 1 "
          "replicas unplaced,\n2 bad input or usage, 3 solver or internal "
          "failure.\n",
          f);
}

static int exit_code_for(int rc)
{
    switch (rc) {
    case PLACE_ENOMEM:
    case PLACE_ESOLVER:
    case PLACE_ERROR:
        return EXIT_FAILURE_;
    default:
        return EXIT_INPUT;
    }
}

static int fail(place_ctx *ctx, int rc)
{
    fprintf(stderr, "place: %s\n", place_errmsg(ctx));
    return exit_code_for(rc);
}

static char *read_stdin(size_t *len)
{
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    while ((got = fread(buf + n, 1, cap - n, stdin)) > 0) {
        n += got;
        if (n == cap) {
            char *p = realloc(buf, cap * 2);
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
    }
    *len = n;
    return buf;
}

static int add_input(place_problem *pb, const char *path)
{
    if (strcmp(path, "-") == 0) {
        size_t len = 0;
        char *data = read_stdin(&len);
        int rc;
        if (!data) {
            fprintf(stderr, "place: cannot read standard input\n");
            return PLACE_ENOMEM;
        }
        rc = place_problem_add_document(pb, data, len, PLACE_FORMAT_AUTO,
                                        "<stdin>");
        free(data);
        return rc;
    }
    return place_problem_add_file(pb, path, PLACE_FORMAT_AUTO);
}

typedef struct args {
    const char *command;
    const char *output;
    const char *policy;
    const char *format;
    const char *workload;
    double time_limit;
    double mip_gap;
    unsigned int flags;
    int verbose;
    unsigned int solve_flags;
    int nfiles;
    char **files;
} args;

static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return errno == 0 && end != s && *end == '\0' && *out >= 0;
}

static int parse_args(int argc, char **argv, args *a)
{
    int i;
    memset(a, 0, sizeof *a);
    a->output = "text";
    a->mip_gap = -1;
    if (argc < 2)
        return 0;
    a->command = argv[1];
    a->files = calloc((size_t)argc, sizeof *a->files);
    if (!a->files)
        return 0;
    for (i = 2; i < argc; i++) {
        const char *s = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(s, "--output") == 0 || strcmp(s, "-o") == 0) {
            if (!next)
                return 0;
            a->output = next;
            i++;
        } else if (strcmp(s, "--policy") == 0) {
            if (!next)
                return 0;
            a->policy = next;
            i++;
        } else if (strcmp(s, "--format") == 0) {
            if (!next)
                return 0;
            a->format = next;
            i++;
        } else if (strcmp(s, "--time-limit") == 0) {
            if (!next || !parse_number(next, &a->time_limit))
                return 0;
            i++;
        } else if (strcmp(s, "--mip-gap") == 0) {
            if (!next || !parse_number(next, &a->mip_gap))
                return 0;
            i++;
        } else if (strcmp(s, "--verbose") == 0 || strcmp(s, "-v") == 0) {
            a->verbose = 1;
        } else if (strcmp(s, "--no-explain") == 0) {
            a->solve_flags |= PLACE_SOLVE_NO_EXPLAIN;
        } else if (strcmp(s, "--no-candidates") == 0) {
            a->solve_flags |= PLACE_SOLVE_NO_CANDIDATES;
        } else if (strcmp(s, "--no-timings") == 0) {
            a->flags |= PLACE_WRITE_NO_TIMINGS;
        } else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "place: unknown option %s\n", s);
            return 0;
        } else if (strcmp(a->command, "explain") == 0 && !a->workload) {
            a->workload = s;
        } else {
            a->files[a->nfiles++] = argv[i];
        }
    }
    return 1;
}

static int output_format(const char *s, place_output_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = PLACE_OUTPUT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = PLACE_OUTPUT_JSON;
    else if (strcmp(s, "yaml") == 0)
        *out = PLACE_OUTPUT_YAML;
    else
        return 0;
    return 1;
}

static int run(place_ctx *ctx, const args *a)
{
    place_problem *pb = NULL;
    place_result *res = NULL;
    place_solve_options so = PLACE_SOLVE_OPTIONS_INIT;
    place_output_format of = PLACE_OUTPUT_TEXT;
    const place_workload *w = NULL;
    char *text = NULL;
    size_t len = 0;
    int rc, i, code;
    const char *cmd = a->command;

    if (strcmp(cmd, "solve") && strcmp(cmd, "check") &&
        strcmp(cmd, "explain") && strcmp(cmd, "export")) {
        fprintf(stderr, "place: unknown command %s\n", cmd);
        usage(stderr);
        return EXIT_INPUT;
    }
    if (a->nfiles == 0 || (strcmp(cmd, "explain") == 0 && !a->workload)) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!output_format(a->output, &of)) {
        fprintf(stderr, "place: unknown output %s (text, json or yaml)\n",
                a->output);
        return EXIT_INPUT;
    }
    if (strcmp(cmd, "export") == 0 &&
        (!a->format ||
         (strcmp(a->format, "lp") != 0 && strcmp(a->format, "mps") != 0))) {
        fprintf(stderr, "place: export needs --format lp or --format mps\n");
        return EXIT_INPUT;
    }
    if ((rc = place_problem_new(&pb, ctx)) != PLACE_OK)
        return fail(ctx, rc);
    for (i = 0; i < a->nfiles; i++) {
        if ((rc = add_input(pb, a->files[i])) != PLACE_OK) {
            code = fail(ctx, rc);
            goto out;
        }
    }
    if (a->policy && (rc = add_input(pb, a->policy)) != PLACE_OK) {
        code = fail(ctx, rc);
        goto out;
    }

    if (strcmp(cmd, "check") == 0) {
        if ((rc = place_problem_check(pb)) != PLACE_OK) {
            code = fail(ctx, rc);
            goto out;
        }
        printf("ok: %zu documents (%zu ignored), %zu workloads, %zu "
               "targets\n",
               place_problem_document_count(pb),
               place_problem_ignored_count(pb),
               place_problem_workload_count(pb),
               place_problem_target_count(pb));
        code = EXIT_PLACED;
        goto out;
    }
    if (strcmp(cmd, "export") == 0) {
        rc = place_problem_export(pb, strcmp(a->format, "lp") == 0
                                          ? PLACE_EXPORT_LP
                                          : PLACE_EXPORT_MPS,
                                  &text, &len);
        if (rc != PLACE_OK) {
            code = fail(ctx, rc);
            goto out;
        }
        fwrite(text, 1, len, stdout);
        code = EXIT_PLACED;
        goto out;
    }

    so.time_limit = a->time_limit;
    so.flags = a->solve_flags;
    so.mip_gap = a->mip_gap;
    if ((rc = place_solve(&res, pb, &so)) != PLACE_OK) {
        code = fail(ctx, rc);
        goto out;
    }
    if (strcmp(cmd, "explain") == 0) {
        char ns[256];
        const char *slash = strchr(a->workload, '/');
        const char *name = slash ? slash + 1 : a->workload;
        size_t nlen = slash ? (size_t)(slash - a->workload) : 7;
        if (nlen >= sizeof ns)
            nlen = sizeof ns - 1;
        memcpy(ns, slash ? a->workload : "default", nlen);
        ns[nlen] = '\0';
        w = place_result_find_workload(res, ns, name);
        if (!w) {
            fprintf(stderr, "place: no workload %s/%s in the input\n", ns,
                    name);
            code = EXIT_INPUT;
            goto out;
        }
    }
    if ((rc = place_result_write(res, of, w, a->flags, &text, &len))) {
        code = fail(ctx, rc);
        goto out;
    }
    fwrite(text, 1, len, stdout);
    if (w)
        code = place_workload_unplaced(w) > 0 ? EXIT_UNPLACED : EXIT_PLACED;
    else
        code = place_result_all_placed(res) ? EXIT_PLACED : EXIT_UNPLACED;
out:
    place_mem_free(ctx, text);
    place_result_free(res);
    place_problem_free(pb);
    return code;
}

static void log_to_stderr(place_log_level level, const char *msg,
                          void *payload)
{
    (void)level;
    (void)payload;
    fprintf(stderr, "place: %s\n", msg);
}

int main(int argc, char **argv)
{
    place_ctx_options co;
    place_ctx *ctx = NULL;
    args a;
    int code;

    if (argc == 2 && (strcmp(argv[1], "--version") == 0 ||
                      strcmp(argv[1], "version") == 0)) {
        printf("place %s\n", place_version());
        return 0;
    }
    if (argc == 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        usage(stdout);
        return 0;
    }
    if (!parse_args(argc, argv, &a)) {
        usage(stderr);
        free(a.files);
        return EXIT_INPUT;
    }
    place_ctx_options_init(&co, PLACE_CTX_OPTIONS_VERSION);
    if (a.verbose) {
        co.log_cb = log_to_stderr;
        co.log_level = PLACE_LOG_DEBUG;
    }
    if (place_ctx_new(&ctx, &co) != PLACE_OK) {
        fprintf(stderr, "place: out of memory\n");
        free(a.files);
        return EXIT_FAILURE_;
    }
    code = run(ctx, &a);
    place_ctx_free(ctx);
    free(a.files);
    return code;
}

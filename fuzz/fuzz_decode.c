/*
 * fuzz_decode.c: the whole public pipeline on small inputs: read, decode,
 * check, solve (with a time limit), write (JSON, YAML, text, one workload)
 * and export (LP, MPS).
 *
 * The input is split at 0xFF bytes (never valid in UTF-8 text) into up to
 * four sources, added one after another: a source that fails must leave
 * the problem as it was, and the next ones are still added. A flags byte
 * is taken from the input's length to vary the solve options.
 *
 * Checks: no crash, leak, undefined behaviour or hang; every failure is an
 * expected code with a message (PLACE_ERROR is a bug); every successful
 * solve writes in every format; and the result is deterministic: a second
 * solve of the same problem writes the same JSON (when neither run was cut
 * short by a time limit or a budget).
 */
#include "fuzz.h"

#include <place.h>
#include <string.h>

#define FUZZ_MAX_SIZE 32768

static void check_failure(place_ctx *ctx, int rc, const char *what)
{
    FUZZ_CHECK(rc == PLACE_EPARSE || rc == PLACE_ESCHEMA ||
                   rc == PLACE_ELIMIT || rc == PLACE_EUNSUPPORTED,
               "%s returned %d: %s", what, rc, place_errmsg(ctx));
    FUZZ_CHECK(place_errcode(ctx) == rc, "%s: errcode %d, returned %d", what,
               place_errcode(ctx), rc);
    FUZZ_CHECK(place_errmsg(ctx)[0] != '\0', "%s: empty message", what);
}

static char *write_json(place_ctx *ctx, const place_result *res, size_t *len)
{
    char *out = NULL;
    int rc = place_result_write(res, PLACE_OUTPUT_JSON, NULL,
                                PLACE_WRITE_NO_TIMINGS, &out, len);
    FUZZ_CHECK(rc == PLACE_OK && out, "write JSON: %d %s", rc,
               place_errmsg(ctx));
    FUZZ_CHECK(strlen(out) == *len, "JSON length");
    return out;
}

static void write_all(place_ctx *ctx, const place_result *res)
{
    static const place_output_format fmts[] = {
        PLACE_OUTPUT_JSON, PLACE_OUTPUT_TEXT, PLACE_OUTPUT_YAML};
    size_t i, len;
    char *out;

    for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        int rc = place_result_write(res, fmts[i], NULL, 0, &out, &len);
        FUZZ_CHECK(rc == PLACE_OK && out, "write %d: %s", (int)fmts[i],
                   place_errmsg(ctx));
        FUZZ_CHECK(strlen(out) == len, "length of format %d", (int)fmts[i]);
        place_mem_free(ctx, out);
        if (place_result_workload_count(res) > 0) {
            rc = place_result_write(res, fmts[i],
                                    place_result_workload(res, 0), 0, &out,
                                    &len);
            FUZZ_CHECK(rc == PLACE_OK && out, "write one workload: %s",
                       place_errmsg(ctx));
            place_mem_free(ctx, out);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    place_ctx_options o = PLACE_CTX_OPTIONS_INIT;
    place_solve_options so = PLACE_SOLVE_OPTIONS_INIT;
    place_ctx *ctx;
    place_problem *pb;
    place_result *res = NULL, *res2 = NULL;
    size_t start = 0, i, nsources = 0;
    int rc;

    if (size > FUZZ_MAX_SIZE)
        return 0;
    o.max_nodes = 20000;
    o.max_depth = 32;
    o.max_documents = 64;
    o.max_scalar_bytes = 4096;
    o.max_workloads = 8;
    o.max_targets = 8;
    o.max_pairs = 32;
    if (place_ctx_new(&ctx, &o) != PLACE_OK)
        return 0;
    if (place_problem_new(&pb, ctx) != PLACE_OK) {
        place_ctx_free(ctx);
        return 0;
    }
    for (i = 0; i <= size && nsources < 4; i++) {
        if (i == size || data[i] == 0xFF) {
            static const char *const names[] = {"a.yaml", "b.yaml", "c.yaml",
                                                "d.yaml"};
            size_t docs = place_problem_document_count(pb);
            size_t nw = place_problem_workload_count(pb);
            size_t nt = place_problem_target_count(pb);
            rc = place_problem_add_document(pb, (const char *)data + start,
                                            i - start, PLACE_FORMAT_AUTO,
                                            names[nsources]);
            if (rc != PLACE_OK) {
                check_failure(ctx, rc, "add");
                FUZZ_CHECK(place_problem_document_count(pb) == docs &&
                               place_problem_workload_count(pb) == nw &&
                               place_problem_target_count(pb) == nt,
                           "a failed source was kept");
            }
            nsources++;
            start = i + 1;
        }
    }
    FUZZ_CHECK(place_problem_workload_count(pb) <= 8 &&
                   place_problem_target_count(pb) <= 8,
               "limits passed");
    rc = place_problem_check(pb);
    if (rc != PLACE_OK) {
        check_failure(ctx, rc, "check");
        goto done;
    }
    so.time_limit = 2.0;
    so.mip_gap = 0;
    so.flags = (unsigned int)(size % 4 == 1   ? PLACE_SOLVE_NO_EXPLAIN
                              : size % 4 == 2 ? PLACE_SOLVE_REGRET_LP
                              : size % 4 == 3 ? PLACE_SOLVE_REGRET_EXACT
                                              : 0u);
    rc = place_solve(&res, pb, &so);
    if (rc != PLACE_OK) {
        check_failure(ctx, rc, "solve");
        goto done;
    }
    write_all(ctx, res);
    {
        char *out = NULL;
        size_t len;
        rc = place_problem_export(pb, PLACE_EXPORT_LP, &out, &len);
        FUZZ_CHECK(rc == PLACE_OK, "export LP: %s", place_errmsg(ctx));
        place_mem_free(ctx, out);
        rc = place_problem_export(pb, PLACE_EXPORT_MPS, &out, &len);
        FUZZ_CHECK(rc == PLACE_OK, "export MPS: %s", place_errmsg(ctx));
        place_mem_free(ctx, out);
    }
    /* Deterministic: the same problem gives the same bytes. */
    rc = place_solve(&res2, pb, &so);
    FUZZ_CHECK(rc == PLACE_OK, "second solve: %s", place_errmsg(ctx));
    if (place_result_seconds(res) < 0.5 && place_result_seconds(res2) < 0.5 &&
        place_result_outcome(res) == PLACE_OUTCOME_OPTIMAL &&
        place_result_outcome(res2) == PLACE_OUTCOME_OPTIMAL) {
        size_t l1, l2;
        char *a = write_json(ctx, res, &l1), *b = write_json(ctx, res2, &l2);
        FUZZ_CHECK(l1 == l2 && memcmp(a, b, l1) == 0,
                   "two solves of one problem differ:\n%s\n---\n%s", a, b);
        place_mem_free(ctx, a);
        place_mem_free(ctx, b);
    }
done:
    place_result_free(res);
    place_result_free(res2);
    place_problem_free(pb);
    place_ctx_free(ctx);
    return 0;
}

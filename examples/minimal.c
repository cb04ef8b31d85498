/* minimal.c: the smallest program that uses libplace (quoted in README).
 * usage: minimal FILE...   prints where every replica goes. */
#include <place.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    place_ctx *ctx;
    place_problem *pb = NULL;
    place_result *res = NULL;
    int rc, i;

    if (place_ctx_new(&ctx, NULL) != PLACE_OK)
        return 3;
    rc = place_problem_new(&pb, ctx);
    for (i = 1; rc == PLACE_OK && i < argc; i++)
        rc = place_problem_add_file(pb, argv[i], PLACE_FORMAT_AUTO);
    if (rc == PLACE_OK)
        rc = place_solve(&res, pb, NULL); /* NULL: default options */
    if (rc != PLACE_OK) {
        fprintf(stderr, "%s\n", place_errmsg(ctx)); /* file:line:col: ... */
    } else {
        for (size_t w = 0; w < place_result_workload_count(res); w++) {
            const place_workload *wl = place_result_workload(res, w);
            for (size_t a = 0; a < place_workload_assignment_count(wl); a++)
                printf("%s/%s -> %s x%lld\n", place_workload_namespace(wl),
                       place_workload_name(wl),
                       place_workload_assignment_target(wl, a),
                       (long long)place_workload_assignment_replicas(wl, a));
            if (place_workload_unplaced(wl) > 0)
                printf("%s/%s: %s\n", place_workload_namespace(wl),
                       place_workload_name(wl), place_workload_summary(wl));
        }
    }
    place_result_free(res);   /* results and problems before their context */
    place_problem_free(pb);
    place_ctx_free(ctx);
    return rc == PLACE_OK ? 0 : 2;
}

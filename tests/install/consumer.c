/* consumer.c: a program built against an installed libplace, out of tree
 * (tests/install/test_install.sh builds it with pkg-config and with
 * find_package, shared and static). Prints "consumer VERSION OK" and one
 * line per assignment of the files given. */
#include <place.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    place_ctx *ctx = NULL;
    place_problem *pb = NULL;
    place_result *res = NULL;
    int rc, i;

    if (place_version_number() != PLACE_VERSION_NUMBER) {
        fprintf(stderr, "header %s, library %s\n", PLACE_VERSION,
                place_version());
        return 1;
    }
    if (place_ctx_new(&ctx, NULL) != PLACE_OK)
        return 1;
    rc = place_problem_new(&pb, ctx);
    for (i = 1; rc == PLACE_OK && i < argc; i++)
        rc = place_problem_add_file(pb, argv[i], PLACE_FORMAT_AUTO);
    if (rc == PLACE_OK)
        rc = place_solve(&res, pb, NULL);
    if (rc != PLACE_OK) {
        fprintf(stderr, "%s\n", place_errmsg(ctx));
    } else {
        printf("consumer %s OK\n", place_version());
        for (size_t w = 0; w < place_result_workload_count(res); w++) {
            const place_workload *wl = place_result_workload(res, w);
            for (size_t a = 0; a < place_workload_assignment_count(wl); a++)
                printf("%s/%s -> %s x%lld\n", place_workload_namespace(wl),
                       place_workload_name(wl),
                       place_workload_assignment_target(wl, a),
                       (long long)place_workload_assignment_replicas(wl, a));
        }
    }
    place_result_free(res);
    place_problem_free(pb);
    place_ctx_free(ctx);
    return rc == PLACE_OK ? 0 : 1;
}

/*
 * gen.h: deterministic generator of storefront federations for the
 * benchmarks (bench/gen.c). T tenants, each a copy of the Online Boutique
 * storefront with the demo's constraints, over N federated clusters.
 */
#ifndef PLACE_BENCH_GEN_H
#define PLACE_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct gen_params {
    unsigned int tenants;   /* T namespaces, each one storefront */
    unsigned int clusters;  /* N targets in all, homes included */
    unsigned int homes;     /* non-virtual targets; 0 = max(1, ceil(N/50)) */
    uint64_t seed;
    double load;            /* total requested cpu / total free cpu */
    int json;               /* 1: a JSON array; 0: multi-document YAML */
    const char *manifest;   /* upstream kubernetes-manifests.yaml, or NULL */
} gen_params;

#define GEN_PARAMS_INIT {10, 10, 0, 1, 0.8, 0, NULL}

/* Where the request table came from, after gen_write(). */
typedef struct gen_info {
    char table_source[1024]; /* the manifest path, or "built-in" */
    unsigned int services;
    uint64_t replicas;      /* replicas of all workloads */
    uint64_t workloads;
    int64_t cpu_requested;  /* millicores */
    int64_t cpu_free;       /* millicores */
} gen_info;

/* Write the instance to @p out. Returns 0, or -1 with a message in err. */
int gen_write(FILE *out, const gen_params *p, gen_info *info, char *err,
              size_t errlen);

/* The upstream manifest, when found: $PLACE_SHARED_DIR, then the shared
 * folder beside the source tree. NULL when absent. */
const char *gen_default_manifest(void);

#endif

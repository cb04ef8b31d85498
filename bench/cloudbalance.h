/*
 * cloudbalance.h: OptaPlanner's cloud-balancing instances as libplace input
 * (bench/cloudbalance.c), shared by the converter `bench/cloudbalance` and
 * `bench cloudbalance`.
 *
 * An instance has computers (cpuPower, memory, networkBandwidth, cost) and
 * processes (requiredCpuPower, requiredMemory, requiredNetworkBandwidth).
 * The best solution places every process and minimises the summed cost of
 * the computers that host at least one process.
 *
 * The conversion: each computer becomes a ClusterAdvertisement
 * computer-NNNN (libplace.io/v1alpha1, spec.virtual false, so no Liqo
 * taint), allocatable cpu = cpuPower cores, memory = memory Gi,
 * example.org/network = networkBandwidth units, no pods entry (no pod
 * limit), spec.cost = cost; each process becomes a Deployment process-NNNN
 * in namespace `cloudbalance` with 1 replica requesting the same three
 * resources. libplace's staged objective (place everything, then the soft
 * score, which is 0 here, then the cost) is then exactly the cloud-balancing
 * objective.
 */
#ifndef PLACE_BENCH_CLOUDBALANCE_H
#define PLACE_BENCH_CLOUDBALANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CB_NAMESPACE "cloudbalance"
#define CB_NETWORK "example.org/network"

typedef struct cb_computer {
    long id;
    int64_t cpu, memory, network, cost;
} cb_computer;

typedef struct cb_process {
    long id;
    int64_t cpu, memory, network;
} cb_process;

typedef struct cb_instance {
    size_t ncomputers, nprocesses;
    cb_computer *computers;
    cb_process *processes;
} cb_instance;

/* Read an OptaPlanner cloud-balancing JSON file. Returns 0, or -1 with a
 * message in err. Free with cb_free(). */
int cb_read(const char *path, cb_instance *out, char *err, size_t errlen);
/* The same from bytes (NUL-terminated not required). */
int cb_parse(const char *data, size_t len, cb_instance *out, char *err,
             size_t errlen);
void cb_free(cb_instance *in);

/* Write the libplace documents of the instance: JSON (an array) when json
 * is non-zero, else multi-document YAML. Returns 0, or -1 on a write
 * error. */
int cb_write(FILE *out, const cb_instance *in, int json);

/* Names of the converted documents: "computer-0007", "process-0042". */
void cb_computer_name(char *buf, size_t n, const cb_computer *c);
void cb_process_name(char *buf, size_t n, const cb_process *p);

/* Index of the computer named NAME (as cb_computer_name writes it), or -1. */
long cb_find_computer(const cb_instance *in, const char *name);

/* Check an assignment (assign[p] = computer index, or -1 when unplaced):
 * the number of placed processes, the summed cost of the computers used
 * (computed from the data, not from any solver) and the number of
 * (computer, resource) capacities exceeded. */
typedef struct cb_eval {
    size_t placed, used_computers, overloaded;
    int64_t cost;
} cb_eval;
void cb_evaluate(const cb_instance *in, const long *assign, cb_eval *out);

/* First-fit decreasing: processes by decreasing cpu * memory * network
 * (ties by id), each on the first already used computer (in the order they
 * were opened) that still has room, else on the unused computer with the
 * lowest cost per capacity that fits, capacity being
 * cpu/sum(cpu) + memory/sum(memory) + network/sum(network) over all
 * computers (ties by id). assign (nprocesses entries) receives the
 * computers, -1 where nothing fits. */
void cb_greedy(const cb_instance *in, long *assign);

/* The instance files of a folder ("*computers-*processes.json"), smallest
 * first (by computers, then processes). Returns the count; *out is an
 * array of malloc'ed paths, freed with cb_free_list(). */
size_t cb_list(const char *dir, char ***out);
void cb_free_list(char **list, size_t n);

/* The default folder of the instances: $PLACE_SHARED_DIR, else the shared
 * folder beside the source tree, + upstream/optaplanner-cloudbalancing.
 * Returned even when absent (static buffer). */
const char *cb_default_dir(void);

#endif

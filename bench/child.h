/*
 * child.h: run one measured instance in a forked child (bench/child.c), so
 * that its peak memory is its own (ru_maxrss of that process alone), a
 * memory cap (RLIMIT_AS) and a wall-clock cap apply to it, and an instance
 * that runs out of memory or time is reported instead of taking the
 * harness down.
 *
 * The child fills a record that starts with a child_hdr and sends it back
 * through a pipe; the parent gets the record, how the child ended and its
 * peak resident memory.
 */
#ifndef PLACE_BENCH_CHILD_H
#define PLACE_BENCH_CHILD_H

#include <stdbool.h>
#include <stddef.h>

/* The first member of every record. */
typedef struct child_hdr {
    int state;           /* CHILD_REC_* */
    int place_rc;        /* the failing libplace status, when failed */
    long self_maxrss_kib;/* the child's own peak (getrusage RUSAGE_SELF) when
                            it sent the record, 0 when not measured */
    char msg[480];       /* why it failed */
} child_hdr;

enum { CHILD_REC_NONE = 0, CHILD_REC_OK = 1, CHILD_REC_FAILED = 2 };

typedef enum child_end {
    CHILD_OK = 0,     /* the record came back */
    CHILD_FAILED,     /* the child reported a failure (hdr.msg) */
    CHILD_NOMEM,      /* out of memory: reported by the child, or a crash
                         under the address-space cap */
    CHILD_TIMEOUT,    /* killed by the harness at the wall-clock cap */
    CHILD_CRASHED,    /* killed by a signal, or exited without a record */
    CHILD_NOFORK      /* fork or pipe failed */
} child_end;

typedef struct child_run {
    child_end end;
    int exit_code;    /* when it exited */
    int signal;       /* when a signal ended it */
    double seconds;   /* wall clock of the child */
    long maxrss_kib;  /* peak resident memory: the record's self_maxrss_kib
                         when set, else wait4()'s ru_maxrss */
    long wait_maxrss_kib; /* wait4()'s ru_maxrss (includes waited-for
                             grandchildren, e.g. the peer) */
    char text[256];   /* "out of memory (address-space cap 8 GiB)", ... */
} child_run;

/* The work done in the child: fill rec (rec_size bytes, starting with a
 * child_hdr whose state is set to CHILD_REC_OK on success). */
typedef void (*child_fn)(void *arg, void *rec, size_t rec_size);

/* Run fn in a forked child (in this process when fork_it is false: no caps,
 * and the memory figure is this process's peak so far). timeout_s <= 0: no
 * wall-clock cap; mem_cap_bytes <= 0: no memory cap. */
void child_run_fn(child_fn fn, void *arg, void *rec, size_t rec_size,
                  double timeout_s, double mem_cap_bytes, bool fork_it,
                  child_run *out);

/* In the child: report a failure (message, libplace status or 0) and end
 * the child. Outside a child (or without fork) prints it and exits 3. */
void child_fail(int place_rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3), noreturn))
#endif
    ;

/* True inside a forked child started by child_run_fn. */
bool child_active(void);

/* This process's peak resident memory so far, KiB. */
long child_self_maxrss_kib(void);

#endif

/*
 * internal.h: helpers shared by every module of libplace (never installed).
 *
 * Memory: everything goes through the context's allocator. Long-lived data
 * (a problem's model, a result) lives in an arena that is freed at once;
 * short-lived buffers use place__malloc/place__free.
 *
 * Errors: place__error() records a code and a message in the context and
 * returns the code, so a failing function ends with
 *     return place__error(ctx, PLACE_ESCHEMA, &loc, "expected ...");
 */
#ifndef PLACE_INTERNAL_H
#define PLACE_INTERNAL_H

#include "place.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PLACE__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PLACE__PRINTF(f, a)
#endif

#define PLACE__ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Built-in limits (place_ctx_options fields set to 0 take these). */
#define PLACE__DEFAULT_MAX_INPUT_BYTES ((size_t)64 << 20)
#define PLACE__DEFAULT_MAX_DEPTH 64u
#define PLACE__DEFAULT_MAX_DOCUMENTS ((size_t)1000000)
#define PLACE__DEFAULT_MAX_NODES ((size_t)10000000)
#define PLACE__DEFAULT_MAX_SCALAR_BYTES ((size_t)1 << 20)
#define PLACE__DEFAULT_MAX_WORKLOADS ((size_t)100000)
#define PLACE__DEFAULT_MAX_TARGETS ((size_t)10000)
#define PLACE__DEFAULT_MAX_PAIRS ((size_t)2000000)

#define PLACE__ERRMSG_MAX 1024

/* Branch-and-bound nodes per stage of the program unless the policy says
 * otherwise: a work limit, so that the same input gives the same answer on
 * any machine (a wall-clock limit is the caller's choice). */
#define PLACE__DEFAULT_NODE_LIMIT 2000

/* Seconds the explanations that re-solve (regrets, relaxations) may take
 * after the placement is found, each. */
#define PLACE__EXPLAIN_SECONDS 5.0

struct place_ctx {
    place_allocator alloc;
    place_log_cb log_cb;
    void *log_payload;
    place_log_level log_level;
    size_t max_input_bytes;
    unsigned int max_depth;
    size_t max_documents;
    size_t max_nodes;
    size_t max_scalar_bytes;
    size_t max_workloads;
    size_t max_targets;
    size_t max_pairs;

    /* last error */
    int errcode;
    char errmsg[PLACE__ERRMSG_MAX];
    bool has_loc;
    char err_source[256];
    char err_object[320];
    char err_path[256];
    unsigned int err_line, err_column;
};

/* A position in a source: borrowed source name, 1-based line and column. */
typedef struct place__pos {
    const char *source;
    unsigned int line;
    unsigned int column;
} place__pos;

/* Where an error is: a position, the object ("Deployment default/x") and the
 * field path ("spec.replicas"). Any field may be NULL/0. */
typedef struct place__loc {
    place__pos pos;
    const char *object;
    const char *path;
} place__loc;

/* ---- memory ------------------------------------------------------------ */
void *place__malloc(place_ctx *ctx, size_t n);
void *place__calloc(place_ctx *ctx, size_t count, size_t n);
void *place__realloc(place_ctx *ctx, void *p, size_t n);
void place__free(place_ctx *ctx, void *p);
char *place__strndup(place_ctx *ctx, const char *s, size_t n);

/* Arena: bump allocation in chunks taken from the context's allocator. */
typedef struct place__arena_chunk place__arena_chunk;
typedef struct place__arena {
    place_ctx *ctx;
    place__arena_chunk *head;
    size_t used;     /* bytes used in head */
    size_t cap;      /* bytes usable in head */
} place__arena;

void place__arena_init(place__arena *a, place_ctx *ctx);
void place__arena_free(place__arena *a);
/* Zeroed, aligned memory; NULL when out of memory (no error recorded). */
void *place__arena_alloc(place__arena *a, size_t n);
char *place__arena_strndup(place__arena *a, const char *s, size_t n);
char *place__arena_strdup(place__arena *a, const char *s);
char *place__arena_printf(place__arena *a, const char *fmt, ...)
    PLACE__PRINTF(2, 3);

/* Growable byte buffer over the context allocator. */
typedef struct place__buf {
    place_ctx *ctx;
    char *data;
    size_t len;
    size_t cap;
    bool oom; /* sticky: an append failed */
} place__buf;

void place__buf_init(place__buf *b, place_ctx *ctx);
void place__buf_free(place__buf *b);
void place__buf_append(place__buf *b, const char *s, size_t n);
void place__buf_puts(place__buf *b, const char *s);
void place__buf_printf(place__buf *b, const char *fmt, ...)
    PLACE__PRINTF(2, 3);
void place__buf_vprintf(place__buf *b, const char *fmt, va_list ap);
/* Hand the NUL-terminated data to the caller (buffer becomes empty). */
char *place__buf_take(place__buf *b, size_t *len);

/* Growable array helper: ensure room for one more element of size elsz.
 * Returns false on out of memory (array untouched). */
bool place__grow(place_ctx *ctx, void **items, size_t *cap, size_t count,
                 size_t elsz);

/* ---- errors and logging ------------------------------------------------ */
int place__error(place_ctx *ctx, int code, const place__loc *loc,
                 const char *fmt, ...) PLACE__PRINTF(4, 5);
int place__verror(place_ctx *ctx, int code, const place__loc *loc,
                  const char *fmt, va_list ap);
int place__oom(place_ctx *ctx);
void place__clear_error(place_ctx *ctx);

void place__log(place_ctx *ctx, place_log_level level, const char *fmt, ...)
    PLACE__PRINTF(3, 4);

/* ---- small utilities --------------------------------------------------- */
/* strcmp that sorts NULL first. */
int place__strcmp(const char *a, const char *b);
/* Parse a whole decimal int64 ("-12"); rejects empty, spaces, overflow.
 * allow_leading_zero/allow_plus select the dialect. */
bool place__parse_int64(const char *s, size_t len, bool allow_plus,
                        bool allow_leading_zero, int64_t *out);
/* Milliseconds of a monotonic clock. */
double place__now(void);

#endif /* PLACE_INTERNAL_H */

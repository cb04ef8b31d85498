/*
 * ctx.c: the context, its allocator, arenas, buffers and logging.
 */
#include "internal.h"
#include "program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void *default_malloc(size_t n, void *payload)
{
    (void)payload;
    return malloc(n);
}

static void *default_realloc(void *p, size_t n, void *payload)
{
    (void)payload;
    return realloc(p, n);
}

static void default_free(void *p, void *payload)
{
    (void)payload;
    free(p);
}

/* The size of place_ctx_options as each version of place.h declares it: a
 * caller built with an older header has a shorter struct, and only its
 * prefix may be read or written. */
static size_t options_size(unsigned int version)
{
    switch (version) {
    case 1:
        return offsetof(place_ctx_options, max_nodes) + sizeof(size_t);
    case 2:
        return sizeof(place_ctx_options);
    default:
        return 0;
    }
}

int place_ctx_options_init(place_ctx_options *opts, unsigned int version)
{
    static const place_ctx_options init = PLACE_CTX_OPTIONS_INIT;
    size_t size = options_size(version);

    if (!opts || !size)
        return PLACE_EINVAL;
    memcpy(opts, &init, size);
    opts->version = version;
    return PLACE_OK;
}

int place_ctx_new(place_ctx **out, const place_ctx_options *opts)
{
    place_ctx_options o;
    place_allocator alloc = {default_malloc, default_realloc, default_free,
                             NULL};
    place_ctx *ctx;

    if (!out)
        return PLACE_EINVAL;
    *out = NULL;
    place_ctx_options_init(&o, PLACE_CTX_OPTIONS_VERSION);
    if (opts) {
        size_t size = options_size(opts->version);
        if (!size)
            return PLACE_EINVAL;
        /* The fields of later versions keep their defaults. */
        memcpy(&o, opts, size);
    }
    if (o.allocator) {
        if (!o.allocator->malloc_fn || !o.allocator->realloc_fn ||
            !o.allocator->free_fn)
            return PLACE_EINVAL;
        alloc = *o.allocator;
    }
    ctx = alloc.malloc_fn(sizeof *ctx, alloc.payload);
    if (!ctx)
        return PLACE_ENOMEM;
    memset(ctx, 0, sizeof *ctx);
    ctx->alloc = alloc;
    ctx->log_cb = o.log_cb;
    ctx->log_payload = o.log_payload;
    ctx->log_level = o.log_cb ? o.log_level : PLACE_LOG_NONE;
    ctx->max_input_bytes =
        o.max_input_bytes ? o.max_input_bytes : PLACE__DEFAULT_MAX_INPUT_BYTES;
    ctx->max_depth = o.max_depth ? o.max_depth : PLACE__DEFAULT_MAX_DEPTH;
    ctx->max_documents =
        o.max_documents ? o.max_documents : PLACE__DEFAULT_MAX_DOCUMENTS;
    ctx->max_nodes = o.max_nodes ? o.max_nodes : PLACE__DEFAULT_MAX_NODES;
    ctx->max_scalar_bytes = o.max_scalar_bytes
                                ? o.max_scalar_bytes
                                : PLACE__DEFAULT_MAX_SCALAR_BYTES;
    ctx->max_workloads =
        o.max_workloads ? o.max_workloads : PLACE__DEFAULT_MAX_WORKLOADS;
    ctx->max_targets =
        o.max_targets ? o.max_targets : PLACE__DEFAULT_MAX_TARGETS;
    ctx->max_pairs = o.max_pairs ? o.max_pairs : PLACE__DEFAULT_MAX_PAIRS;
    *out = ctx;
    return PLACE_OK;
}

void place_ctx_free(place_ctx *ctx)
{
    if (!ctx)
        return;
    ctx->alloc.free_fn(ctx, ctx->alloc.payload);
}

void place_mem_free(place_ctx *ctx, void *ptr)
{
    if (ctx && ptr)
        place__free(ctx, ptr);
}

/* GLPK keeps one environment per thread; only program.c talks to GLPK. */
void place_thread_cleanup(void)
{
    place__program_thread_cleanup();
}

/* ---- memory ----------------------------------------------------------- */

void *place__malloc(place_ctx *ctx, size_t n)
{
    return ctx->alloc.malloc_fn(n ? n : 1, ctx->alloc.payload);
}

void *place__calloc(place_ctx *ctx, size_t count, size_t n)
{
    void *p;
    if (n && count > SIZE_MAX / n)
        return NULL;
    p = place__malloc(ctx, count * n);
    if (p)
        memset(p, 0, count * n);
    return p;
}

void *place__realloc(place_ctx *ctx, void *p, size_t n)
{
    return ctx->alloc.realloc_fn(p, n ? n : 1, ctx->alloc.payload);
}

void place__free(place_ctx *ctx, void *p)
{
    if (p)
        ctx->alloc.free_fn(p, ctx->alloc.payload);
}

char *place__strndup(place_ctx *ctx, const char *s, size_t n)
{
    char *p = place__malloc(ctx, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

bool place__grow(place_ctx *ctx, void **items, size_t *cap, size_t count,
                 size_t elsz)
{
    size_t ncap;
    void *p;

    if (count < *cap)
        return true;
    ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / elsz)
        return false;
    p = place__realloc(ctx, *items, ncap * elsz);
    if (!p)
        return false;
    *items = p;
    *cap = ncap;
    return true;
}

/* ---- arena ------------------------------------------------------------- */

struct place__arena_chunk {
    place__arena_chunk *next;
    size_t size;
    max_align_t data[];
};

#define ARENA_CHUNK 65536u
#define ARENA_ALIGN (sizeof(max_align_t))

void place__arena_init(place__arena *a, place_ctx *ctx)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
}

void place__arena_free(place__arena *a)
{
    place__arena_chunk *c = a->head;
    while (c) {
        place__arena_chunk *next = c->next;
        place__free(a->ctx, c);
        c = next;
    }
    a->head = NULL;
    a->used = a->cap = 0;
}

void *place__arena_alloc(place__arena *a, size_t n)
{
    void *p;

    if (n > SIZE_MAX - 2 * ARENA_ALIGN)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    if (!a->head || a->cap - a->used < n) {
        size_t size = n > ARENA_CHUNK / 2 ? n : ARENA_CHUNK;
        place__arena_chunk *c =
            place__malloc(a->ctx, sizeof(place__arena_chunk) + size);
        if (!c)
            return NULL;
        c->size = size;
        if (a->head && size == n) {
            /* A large block: keep the current chunk in front. */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->data, 0, n);
            return c->data;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = size;
    }
    p = (char *)a->head->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *place__arena_strndup(place__arena *a, const char *s, size_t n)
{
    char *p = place__arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *place__arena_strdup(place__arena *a, const char *s)
{
    return s ? place__arena_strndup(a, s, strlen(s)) : NULL;
}

char *place__arena_printf(place__arena *a, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = place__arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    if ((size_t)n < sizeof small) {
        memcpy(p, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(p, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return p;
}

/* ---- buffers ----------------------------------------------------------- */

void place__buf_init(place__buf *b, place_ctx *ctx)
{
    memset(b, 0, sizeof *b);
    b->ctx = ctx;
}

void place__buf_free(place__buf *b)
{
    place__free(b->ctx, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static bool buf_reserve(place__buf *b, size_t extra)
{
    size_t need, ncap;
    char *p;

    if (b->oom)
        return false;
    if (extra > SIZE_MAX - b->len - 1)
        goto fail;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    ncap = b->cap ? b->cap : 256;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    p = place__realloc(b->ctx, b->data, ncap);
    if (!p)
        goto fail;
    b->data = p;
    b->cap = ncap;
    return true;
fail:
    b->oom = true;
    return false;
}

void place__buf_append(place__buf *b, const char *s, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void place__buf_puts(place__buf *b, const char *s)
{
    place__buf_append(b, s, strlen(s));
}

void place__buf_vprintf(place__buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0 || !buf_reserve(b, (size_t)n))
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void place__buf_printf(place__buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    place__buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *place__buf_take(place__buf *b, size_t *len)
{
    char *p;
    if (b->oom || !buf_reserve(b, 0))
        return NULL;
    p = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

/* ---- logging ----------------------------------------------------------- */

void place__log(place_ctx *ctx, place_log_level level, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (!ctx->log_cb || level > ctx->log_level || level == PLACE_LOG_NONE)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ctx->log_cb(level, line, ctx->log_payload);
}

/* ---- small utilities ---------------------------------------------------- */

int place__strcmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    return strcmp(a, b);
}

bool place__parse_int64(const char *s, size_t len, bool allow_plus,
                        bool allow_leading_zero, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t v = 0, limit;

    if (len == 0)
        return false;
    if (s[0] == '-' || (allow_plus && s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return false;
    if (!allow_leading_zero && s[i] == '0' && len - i > 1)
        return false;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        unsigned d;
        if (s[i] < '0' || s[i] > '9')
            return false;
        d = (unsigned)(s[i] - '0');
        if (v > (limit - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    return true;
}

double place__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

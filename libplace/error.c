/*
 * error.c: status texts and the per-context error record.
 */
#include "internal.h"

#include <stdio.h>
#include <string.h>

const char *place_strerror(int code)
{
    switch (code) {
    case PLACE_OK: return "success";
    case PLACE_ERROR: return "internal error";
    case PLACE_ENOMEM: return "out of memory";
    case PLACE_EINVAL: return "invalid argument";
    case PLACE_EIO: return "input/output error";
    case PLACE_EPARSE: return "syntax error";
    case PLACE_ESCHEMA: return "invalid document";
    case PLACE_EUNSUPPORTED: return "unsupported";
    case PLACE_ELIMIT: return "limit exceeded";
    case PLACE_ESOLVER: return "solver failure";
    default: return "unknown error";
    }
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = src ? strlen(src) : 0;
    if (n >= size)
        n = size - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

void place__clear_error(place_ctx *ctx)
{
    ctx->errcode = PLACE_OK;
    ctx->errmsg[0] = '\0';
    ctx->has_loc = false;
}

int place__verror(place_ctx *ctx, int code, const place__loc *loc,
                  const char *fmt, va_list ap)
{
    size_t n = 0;
    char *m = ctx->errmsg;
    const size_t size = sizeof ctx->errmsg;

    ctx->errcode = code;
    ctx->has_loc = false;
    ctx->err_source[0] = ctx->err_object[0] = ctx->err_path[0] = '\0';
    ctx->err_line = ctx->err_column = 0;
    m[0] = '\0';
    if (loc) {
        ctx->has_loc = loc->pos.source || loc->object || loc->path;
        copy_str(ctx->err_source, sizeof ctx->err_source, loc->pos.source);
        copy_str(ctx->err_object, sizeof ctx->err_object, loc->object);
        copy_str(ctx->err_path, sizeof ctx->err_path, loc->path);
        ctx->err_line = loc->pos.line;
        ctx->err_column = loc->pos.column;
        /* FILE:LINE:COLUMN: KIND NS/NAME: FIELD.PATH: message */
        if (loc->pos.source) {
            if (loc->pos.line)
                n += (size_t)snprintf(m + n, size - n, "%s:%u:%u: ",
                                      loc->pos.source, loc->pos.line,
                                      loc->pos.column);
            else
                n += (size_t)snprintf(m + n, size - n, "%s: ",
                                      loc->pos.source);
        }
        if (n < size && loc->object)
            n += (size_t)snprintf(m + n, size - n, "%s: ", loc->object);
        if (n < size && loc->path)
            n += (size_t)snprintf(m + n, size - n, "%s: ", loc->path);
    }
    if (n < size)
        vsnprintf(m + n, size - n, fmt, ap);
    place__log(ctx, PLACE_LOG_DEBUG, "error %d: %s", code, m);
    return code;
}

int place__error(place_ctx *ctx, int code, const place__loc *loc,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    place__verror(ctx, code, loc, fmt, ap);
    va_end(ap);
    return code;
}

int place__oom(place_ctx *ctx)
{
    return place__error(ctx, PLACE_ENOMEM, NULL, "out of memory");
}

int place_errcode(const place_ctx *ctx)
{
    return ctx ? ctx->errcode : PLACE_EINVAL;
}

const char *place_errmsg(const place_ctx *ctx)
{
    if (!ctx)
        return "no context";
    return ctx->errmsg[0] ? ctx->errmsg : place_strerror(ctx->errcode);
}

int place_errloc(const place_ctx *ctx, place_location *out)
{
    if (!ctx || !out)
        return PLACE_EINVAL;
    memset(out, 0, sizeof *out);
    if (!ctx->has_loc)
        return PLACE_EINVAL;
    out->source = ctx->err_source[0] ? ctx->err_source : NULL;
    out->line = ctx->err_line;
    out->column = ctx->err_column;
    out->object = ctx->err_object[0] ? ctx->err_object : NULL;
    out->path = ctx->err_path[0] ? ctx->err_path : NULL;
    return PLACE_OK;
}

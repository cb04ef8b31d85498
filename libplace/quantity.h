/*
 * quantity.h: Kubernetes resource.Quantity, exactly (quantity.c).
 *
 * Grammar (apimachinery's ParseQuantity): an optional sign, digits with an
 * optional fraction ("1", "1.5", ".5", "1."), then one suffix: nothing, a
 * decimal SI suffix (n u m k M G T P E), a binary suffix (Ki Mi Gi Ti Pi Ei)
 * or a decimal exponent (e or E, optional sign, digits: "1e3", "1E-3").
 * Suffixes are case-sensitive; "E" alone is exa, "E" followed by digits is an
 * exponent. No white space anywhere. Any non-zero fraction below 1n is
 * rounded up to 1n; binary values are capped at 2^63-1.
 *
 * As upstream, a number part without digits reads as zero: "-", ".", "m"
 * and "E" are valid quantities of 0 ("Pi", "Ei" and "e-10" are not). The
 * exponent is read as an int64 and cut to 32 bits, as upstream does.
 */
#ifndef PLACE_QUANTITY_H
#define PLACE_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct place__quantity {
    bool negative;
    bool value_overflows; /* Value() does not fit int64 */
    bool milli_overflows; /* MilliValue() does not fit int64 */
    int64_t value;        /* Value(): the exact value rounded away from zero */
    int64_t milli;        /* MilliValue(): exact*1000 rounded away from zero */
} place__quantity;

/* Parse the len bytes at s. Returns false when they are not a valid
 * quantity (q is then unspecified). Never reads past len; s need not be
 * NUL-terminated. */
bool place__quantity_parse(const char *s, size_t len, place__quantity *q);

/* Write an amount of a resource for people: cpu millicores as "250m" or
 * "2", memory-like resources (memory, ephemeral-storage, hugepages-*) with
 * the largest exact binary suffix ("64Mi", "1536Mi", "100"), others as
 * plain integers. Always NUL-terminates (buf size >= 32 is enough). */
void place__quantity_format(char *buf, size_t size, const char *resource,
                            int64_t amount);

#endif /* PLACE_QUANTITY_H */

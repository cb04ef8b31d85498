/*
 * quantity.c: Kubernetes resource.Quantity, exactly.
 *
 * The scanner follows apimachinery's parseQuantityString and ParseQuantity
 * (v0.36) rule for rule, including their odd corners:
 *
 *   - the mantissa may have no digit at all: "-", "+", ".", "-.", "m", "Ki",
 *     "E", "e5" parse as zero, as upstream's fast path turns the empty
 *     numerator into "0". Only the inputs that reach upstream's slow path
 *     (inf.Dec.SetString of the digit-less text) are rejected: a decimal
 *     exponent below -9 ("e-10") and the suffixes Pi and Ei;
 *   - the exponent of "e"/"E" is read as an int64 (out of range: invalid) and
 *     then truncated to int32, as upstream's interpret() does: "1e4294967296"
 *     is 1;
 *   - suffixes are matched on the whole run of suffix letters, sign and
 *     digits, case-sensitively.
 *
 * The value is then computed exactly, never with floating point, in
 * nano units: a magnitude W + F/1e9 with W an integer (exact up to 2^63,
 * "huge" beyond) and F in [0, 1e9). Everything finer than 1n rounds the
 * magnitude up by 1n. Each digit is looked at a bounded number of times, so
 * parsing is linear in the length of the input whatever the exponent.
 * Where upstream's int32 scale arithmetic would wrap (exponents within a few
 * digits of -2^31), the exact mathematical value is used instead.
 */
#include "quantity.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define NANO_PER_UNIT 1000000000u
#define NANO_PER_MILLI 1000000u
#define MAG_LIMIT ((uint64_t)1 << 63) /* largest magnitude kept exactly */

typedef enum suffix_kind {
    SUFFIX_DECIMAL, /* n u m "" k M G T P E, and the e/E exponent */
    SUFFIX_BINARY   /* Ki Mi Gi Ti Pi Ei */
} suffix_kind;

/* The mantissa's digits: num (as written, leading zeros included) followed
 * by denom (the fraction). */
typedef struct digits {
    const char *num;
    size_t num_len;
    const char *denom;
    size_t denom_len;
} digits;

/* A non-negative amount in nano units: w + f/1e9, or "huge" (> 2^63). */
typedef struct magnitude {
    uint64_t w;
    uint32_t f;
    bool huge;
} magnitude;

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_suffix_letter(char c)
{
    return c != '\0' && strchr("eEinumkKMGTP", c) != NULL;
}

static unsigned digit_at(const digits *d, int64_t idx)
{
    size_t i;

    if (idx < 0)
        return 0;
    i = (size_t)idx;
    if (i < d->num_len)
        return (unsigned)(d->num[i] - '0');
    i -= d->num_len;
    if (i < d->denom_len)
        return (unsigned)(d->denom[i] - '0');
    return 0;
}

/* w = w*10 + digit, going huge past MAG_LIMIT. */
static void mag_push_digit(magnitude *m, unsigned digit)
{
    if (m->huge)
        return;
    if (m->w > (MAG_LIMIT - digit) / 10) {
        m->huge = true;
        return;
    }
    m->w = m->w * 10 + digit;
}

static void mag_add_units(magnitude *m, uint64_t units)
{
    if (m->huge)
        return;
    if (units > MAG_LIMIT - m->w) {
        m->huge = true;
        return;
    }
    m->w += units;
}

/* Add one nano, carrying into w. */
static void mag_add_nano(magnitude *m)
{
    if (m->huge)
        return;
    m->f++;
    if (m->f == NANO_PER_UNIT) {
        m->f = 0;
        mag_add_units(m, 1);
    }
}

/*
 * Parse an exponent as Go's strconv.ParseInt(s, 10, 64) would (optional
 * sign, at least one digit, nothing else, within int64), then truncate it to
 * int32 as apimachinery does. Linear: leading zeros are skipped, and more
 * than 19 significant digits is out of range.
 */
static bool parse_exponent(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t mag = 0;
    uint64_t limit;
    uint32_t low;

    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    if (i == len)
        return false;
    limit = neg ? MAG_LIMIT : MAG_LIMIT - 1;
    for (; i < len; i++) {
        unsigned d;
        if (!is_digit(s[i]))
            return false;
        d = (unsigned)(s[i] - '0');
        if (mag > (limit - d) / 10)
            return false;
        mag = mag * 10 + d;
    }
    if (neg)
        mag = 0 - mag; /* two's complement, modulo 2^64 */
    low = (uint32_t)(mag & 0xffffffffu);
    *out = low >= 0x80000000u ? (int64_t)low - ((int64_t)1 << 32)
                              : (int64_t)low;
    return true;
}

/* apimachinery's suffixHandler.interpret: the decimal SI table, the binary
 * table, then "e"/"E" followed by an int64. */
static bool interpret_suffix(const char *s, size_t len, suffix_kind *kind,
                             int64_t *exponent)
{
    static const struct {
        const char *text;
        suffix_kind kind;
        int exponent;
    } table[] = {
        {"", SUFFIX_DECIMAL, 0},    {"n", SUFFIX_DECIMAL, -9},
        {"u", SUFFIX_DECIMAL, -6},  {"m", SUFFIX_DECIMAL, -3},
        {"k", SUFFIX_DECIMAL, 3},   {"M", SUFFIX_DECIMAL, 6},
        {"G", SUFFIX_DECIMAL, 9},   {"T", SUFFIX_DECIMAL, 12},
        {"P", SUFFIX_DECIMAL, 15},  {"E", SUFFIX_DECIMAL, 18},
        {"Ki", SUFFIX_BINARY, 10},  {"Mi", SUFFIX_BINARY, 20},
        {"Gi", SUFFIX_BINARY, 30},  {"Ti", SUFFIX_BINARY, 40},
        {"Pi", SUFFIX_BINARY, 50},  {"Ei", SUFFIX_BINARY, 60},
    };
    size_t i;

    for (i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strlen(table[i].text) == len &&
            memcmp(table[i].text, s, len) == 0) {
            *kind = table[i].kind;
            *exponent = table[i].exponent;
            return true;
        }
    }
    if (len > 1 && (s[0] == 'e' || s[0] == 'E')) {
        *kind = SUFFIX_DECIMAL;
        return parse_exponent(s + 1, len - 1, exponent);
    }
    return false;
}

/* |digits| * 10^exponent, rounded up to nano. */
static magnitude decimal_magnitude(const digits *d, int64_t exponent)
{
    magnitude m = {0, 0, false};
    int64_t n = (int64_t)(d->num_len + d->denom_len);
    /* The decimal point falls after digit index p. */
    int64_t p = (int64_t)d->num_len + exponent;
    int64_t idx, end;
    int j;

    end = p < n ? p : n;
    for (idx = 0; idx < end && !m.huge; idx++)
        mag_push_digit(&m, digit_at(d, idx));
    /* Trailing zeros up to the point; stop as soon as the answer is known. */
    for (idx = n; idx < p && !m.huge && m.w != 0; idx++)
        mag_push_digit(&m, 0);
    if (m.huge)
        return m;
    for (j = 0; j < 9; j++)
        m.f = m.f * 10 + digit_at(d, p + j);
    for (idx = p + 9 > 0 ? p + 9 : 0; idx < n; idx++) {
        if (digit_at(d, idx) != 0) {
            mag_add_nano(&m);
            break;
        }
    }
    return m;
}

/* |num.denom| * 2^shift, rounded up to nano, capped at 2^63-1. */
static magnitude binary_magnitude(const digits *d, unsigned shift)
{
    static const uint32_t pow10[10] = {
        1u,      10u,      100u,      1000u,      10000u,
        100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
    };
    magnitude m = {0, 0, false};
    uint64_t carry = 0;
    bool rest = false;
    size_t i;

    /* Integer part, shifted. */
    for (i = 0; i < d->num_len && !m.huge; i++)
        mag_push_digit(&m, (unsigned)(d->num[i] - '0'));
    if (!m.huge && m.w > (MAG_LIMIT >> shift))
        m.huge = true;
    if (!m.huge)
        m.w <<= shift;

    /*
     * Fraction 0.d1..ds times 2^shift, by long multiplication from the last
     * digit: the product has an integer part (the final carry, < 2^shift)
     * and exactly s fraction digits e1..es. e1..e9 are the nanos; any
     * non-zero digit after them rounds up. Each step is at most
     * 9*2^60 + 2^60 < 2^64.
     */
    for (i = d->denom_len; i > 0; i--) {
        uint64_t v = ((uint64_t)(d->denom[i - 1] - '0') << shift) + carry;
        unsigned e = (unsigned)(v % 10);
        carry = v / 10;
        if (i > 9)
            rest = rest || e != 0;
        else
            m.f += (uint32_t)e * pow10[9 - i];
    }
    mag_add_units(&m, carry);
    if (rest)
        mag_add_nano(&m);

    /* The cap: binary quantities never exceed 2^63-1. */
    if (m.huge || m.w > (uint64_t)INT64_MAX ||
        (m.w == (uint64_t)INT64_MAX && m.f != 0)) {
        m.huge = false;
        m.w = (uint64_t)INT64_MAX;
        m.f = 0;
    }
    return m;
}

/* Give a magnitude (<= limit) its sign. */
static int64_t signed_value(uint64_t mag, bool negative)
{
    if (!negative)
        return (int64_t)mag;
    if (mag == MAG_LIMIT)
        return INT64_MIN;
    return -(int64_t)mag;
}

bool place__quantity_parse(const char *s, size_t len, place__quantity *q)
{
    size_t pos = 0, suffix_start;
    bool negative = false, any_digit;
    digits d;
    suffix_kind kind;
    int64_t exponent;
    magnitude m;
    uint64_t limit, units, milli_extra;

    if (!s || !q || len == 0)
        return false;

    /* Sign. */
    if (s[0] == '-' || s[0] == '+') {
        negative = s[0] == '-';
        pos++;
    }
    /* Numerator, then an optional '.' and fraction. */
    d.num = s + pos;
    while (pos < len && is_digit(s[pos]))
        pos++;
    d.num_len = (size_t)(s + pos - d.num);
    d.denom = s + pos;
    d.denom_len = 0;
    if (pos < len && s[pos] == '.') {
        pos++;
        d.denom = s + pos;
        while (pos < len && is_digit(s[pos]))
            pos++;
        d.denom_len = (size_t)(s + pos - d.denom);
    }
    any_digit = d.num_len + d.denom_len > 0;

    /* Suffix: letters, an optional sign, digits, then the end. */
    suffix_start = pos;
    while (pos < len && is_suffix_letter(s[pos]))
        pos++;
    if (pos < len && (s[pos] == '+' || s[pos] == '-'))
        pos++;
    while (pos < len && is_digit(s[pos]))
        pos++;
    if (pos != len)
        return false;
    if (!interpret_suffix(s + suffix_start, len - suffix_start, &kind,
                          &exponent))
        return false;

    if (!any_digit) {
        /*
         * No digit: upstream's fast path reads the numerator as "0", but
         * its slow path (decimal scale below nano; Pi and Ei, whose shift
         * its precision estimate refuses) cannot parse the empty number.
         */
        if (kind == SUFFIX_DECIMAL ? exponent < -9 : exponent >= 50)
            return false;
    }

    if (kind == SUFFIX_BINARY)
        m = binary_magnitude(&d, (unsigned)exponent);
    else
        m = decimal_magnitude(&d, exponent);

    if (!m.huge && m.w == 0 && m.f == 0)
        negative = false;
    q->negative = negative;
    limit = negative ? MAG_LIMIT : MAG_LIMIT - 1;

    /* Value(): round the magnitude up to a whole unit. */
    units = m.w + (m.f != 0 ? 1 : 0);
    q->value_overflows = m.huge || units > limit;
    if (q->value_overflows)
        q->value = negative ? INT64_MIN : INT64_MAX;
    else
        q->value = signed_value(units, negative);

    /* MilliValue(): round the magnitude up to a whole milli. */
    milli_extra = (m.f + NANO_PER_MILLI - 1) / NANO_PER_MILLI;
    q->milli_overflows = m.huge || m.w > (limit - milli_extra) / 1000;
    if (q->milli_overflows)
        q->milli = negative ? INT64_MIN : INT64_MAX;
    else
        q->milli = signed_value(m.w * 1000 + milli_extra, negative);
    return true;
}

static bool is_memory_like(const char *resource)
{
    return strcmp(resource, "memory") == 0 ||
           strcmp(resource, "ephemeral-storage") == 0 ||
           strncmp(resource, "hugepages-", strlen("hugepages-")) == 0;
}

void place__quantity_format(char *buf, size_t size, const char *resource,
                            int64_t amount)
{
    static const char *const binary[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi",
                                         "Ei"};
    const char *sign = amount < 0 ? "-" : "";
    /* The magnitude, computed without overflowing on INT64_MIN. */
    uint64_t mag = amount < 0 ? 0 - (uint64_t)amount : (uint64_t)amount;
    unsigned k = 0;

    if (!buf || size == 0)
        return;
    if (resource && strcmp(resource, "cpu") == 0) {
        if (mag % 1000 == 0)
            snprintf(buf, size, "%s%" PRIu64, sign, mag / 1000);
        else
            snprintf(buf, size, "%s%" PRIu64 "m", sign, mag);
        return;
    }
    if (resource && is_memory_like(resource) && mag != 0) {
        while (k < 6 && (mag & 1023u) == 0) {
            mag >>= 10;
            k++;
        }
    }
    snprintf(buf, size, "%s%" PRIu64 "%s", sign, mag, binary[k]);
}

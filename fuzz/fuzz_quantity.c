/*
 * fuzz_quantity.c: resource.Quantity parsing (libplace/quantity.c) and the
 * integer parser (place__parse_int64) on any bytes.
 *
 * Checks: nothing is read past the input (the input is not NUL-terminated);
 * Value() and MilliValue() agree (Value is MilliValue/1000 rounded away
 * from zero); signs agree; an overflowing Value() means an overflowing
 * MilliValue(); what place__quantity_format() writes parses back to the
 * same amount; place__parse_int64 agrees with strtoll in every dialect.
 */
#include "fuzz.h"
#include "internal.h"
#include "quantity.h"

#include <errno.h>
#include <string.h>

static int64_t div_away(int64_t milli)
{
    /* milli / 1000 rounded away from zero, without overflow */
    int64_t q = milli / 1000, r = milli % 1000;
    return r > 0 ? q + 1 : r < 0 ? q - 1 : q;
}

static void check_round_trip(const char *resource, int64_t amount)
{
    char buf[64];
    place__quantity q;
    bool milli = strcmp(resource, "cpu") == 0;

    place__quantity_format(buf, sizeof buf, resource, amount);
    FUZZ_CHECK(place__quantity_parse(buf, strlen(buf), &q),
               "format(%s, %lld) = \"%s\" does not parse", resource,
               (long long)amount, buf);
    FUZZ_CHECK(!(milli ? q.milli_overflows : q.value_overflows),
               "\"%s\" overflows", buf);
    FUZZ_CHECK((milli ? q.milli : q.value) == amount,
               "format(%s, %lld) = \"%s\" parses as %lld", resource,
               (long long)amount, buf, (long long)(milli ? q.milli : q.value));
}

/* strtoll as the reference of place__parse_int64's dialects. */
static void check_int64(const char *s, size_t len)
{
    char buf[64];
    int plus, zero;

    if (len >= sizeof buf || memchr(s, '\0', len))
        return;
    memcpy(buf, s, len);
    buf[len] = '\0';
    for (plus = 0; plus < 2; plus++) {
        for (zero = 0; zero < 2; zero++) {
            int64_t got = 0;
            bool ok = place__parse_int64(s, len, plus, zero, &got);
            const char *digits = buf;
            bool want = len > 0;
            long long ref = 0;
            char *end;
            size_t i;

            if (*digits == '-' || (plus && *digits == '+'))
                digits++;
            if (*digits == '\0')
                want = false;
            for (i = 0; digits[i]; i++)
                if (digits[i] < '0' || digits[i] > '9')
                    want = false;
            if (!zero && digits[0] == '0' && digits[1] != '\0')
                want = false;
            if (want) {
                errno = 0;
                ref = strtoll(buf, &end, 10);
                want = errno == 0 && *end == '\0';
            }
            FUZZ_CHECK(ok == want, "parse_int64(\"%s\", plus %d, zeros %d) "
                       "= %d, expected %d", buf, plus, zero, ok, want);
            if (ok)
                FUZZ_CHECK(got == ref, "parse_int64(\"%s\") = %lld, "
                           "strtoll %lld", buf, (long long)got, ref);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    place__quantity q, again;

    check_int64(s, size);
    if (!place__quantity_parse(s, size, &q))
        return 0;
    FUZZ_CHECK(place__quantity_parse(s, size, &again) &&
                   q.negative == again.negative &&
                   q.value_overflows == again.value_overflows &&
                   q.milli_overflows == again.milli_overflows &&
                   q.value == again.value && q.milli == again.milli,
               "two parses differ");
    if (q.value_overflows)
        FUZZ_CHECK(q.milli_overflows, "Value() overflows, MilliValue() not");
    if (!q.value_overflows)
        FUZZ_CHECK(q.negative ? q.value <= 0 : q.value >= 0,
                   "sign of Value() %lld", (long long)q.value);
    if (!q.milli_overflows) {
        FUZZ_CHECK(q.negative ? q.milli <= 0 : q.milli >= 0,
                   "sign of MilliValue() %lld", (long long)q.milli);
        FUZZ_CHECK(!q.value_overflows && q.value == div_away(q.milli),
                   "Value() %lld, MilliValue() %lld", (long long)q.value,
                   (long long)q.milli);
        check_round_trip("cpu", q.milli);
    }
    if (!q.value_overflows) {
        /* INT64_MIN bytes is written "-8Ei", exact, but a parse caps
         * binary values at 2^63-1 */
        if (q.value != INT64_MIN)
            check_round_trip("memory", q.value);
        check_round_trip("pods", q.value);
        if (q.value != INT64_MIN)
            check_round_trip("hugepages-2Mi", q.value);
    }
    return 0;
}

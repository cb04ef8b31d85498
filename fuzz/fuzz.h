/*
 * fuzz.h: what every fuzz target of libplace shares.
 *
 * A target is one function, LLVMFuzzerTestOneInput(), built two ways:
 *   - with libFuzzer (clang -fsanitize=fuzzer,address,undefined; cmake
 *     -DPLACE_FUZZ=ON or scripts/fuzz.sh), to search for new inputs;
 *   - with replay.c's main() and any compiler, to run every file of the
 *     corpora once: the regression tests fuzz_replay_* of ctest (under
 *     ASan and UBSan in the sanitizer build).
 * A broken invariant aborts (FUZZ_CHECK), which both drivers report.
 */
#ifndef PLACE_FUZZ_H
#define PLACE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                 \
    do {                                                                      \
        if (!(cond)) {                                                        \
            fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__,        \
                    __LINE__, #cond);                                         \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

#endif

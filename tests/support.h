/* support.h: small helpers shared by the Criterion tests. */
#ifndef PLACE_TEST_SUPPORT_H
#define PLACE_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Read a whole file (NUL-terminated); NULL if it cannot be read. free() it. */
char *test_read_file(const char *path, size_t *len);
/* PLACE_SHARED_DIR "/" rel, in a static buffer. */
const char *test_shared_path(const char *rel);
/* True when the file exists; otherwise prints a clear skip line once. */
bool test_shared_available(const char *rel);

#endif

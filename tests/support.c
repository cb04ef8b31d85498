#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    size_t cap = 0, n = 0;

    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *p = realloc(data, ncap);
            if (!p) {
                free(data);
                fclose(f);
                return NULL;
            }
            data = p;
            cap = ncap;
        }
        size_t got = fread(data + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    data[n] = '\0';
    if (len)
        *len = n;
    return data;
}

const char *test_shared_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", PLACE_SHARED_DIR, rel);
    return buf;
}

bool test_shared_available(const char *rel)
{
    const char *p = test_shared_path(rel);
    if (access(p, R_OK) == 0)
        return true;
    fprintf(stderr, "SKIP: %s is absent (the shared folder is not next to "
                    "the checkout); test skipped\n", p);
    return false;
}

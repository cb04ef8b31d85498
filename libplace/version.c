/*
 * version.c: the library's version and thread-safety.
 */
#include "program.h"

const char *place_version(void)
{
    return PLACE_VERSION;
}

int place_version_number(void)
{
    return PLACE_VERSION_NUMBER;
}

int place_threadsafe(void)
{
    return place__program_threadsafe();
}

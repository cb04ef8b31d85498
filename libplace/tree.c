/*
 * tree.c: lookups on the document tree shared by the YAML and JSON readers.
 */
#include "tree.h"

#include <string.h>

const place__node *place__map_get(const place__node *map, const char *key)
{
    size_t i, n;

    if (!map || !key || map->type != PLACE__NODE_MAP)
        return NULL;
    n = strlen(key);
    for (i = 0; i < map->count; i++) {
        const place__node *k = map->keys[i];
        if (k && k->len == n && memcmp(k->str, key, n) == 0)
            return map->values[i];
    }
    return NULL;
}

bool place__node_is_null(const place__node *n)
{
    return !n || (n->type == PLACE__NODE_SCALAR &&
                  n->style == PLACE__SCALAR_NULL);
}

/* hashtab.c - fixed-capacity open-addressing table keyed by address. */
#include <string.h>
#include "util.h"

void ht_init(struct htab *h)
{
    memset(h, 0, sizeof *h);
}

/* Returns the entry for key, creating it if needed; NULL when full. */
struct ht_entry *ht_upsert(struct htab *h, uint32_t key)
{
    uint32_t i = hash_u32(key) & (HT_CAP - 1);

    for (unsigned probe = 0; probe < HT_CAP; probe++) {
        struct ht_entry *e = &h->slot[i];

        if (!e->used) {
            e->used = 1;
            e->key = key;
            h->count++;
            return e;
        }
        if (e->key == key)
            return e;
        i = (i + 1) & (HT_CAP - 1);
    }
    return NULL;
}

/* Copies up to max used entries to out, in table order. */
size_t ht_collect(const struct htab *h, struct ht_entry *out, size_t max)
{
    size_t n = 0;

    for (unsigned i = 0; i < HT_CAP && n < max; i++)
        if (h->slot[i].used)
            out[n++] = h->slot[i];
    return n;
}

/* sort.c - order table entries for the "top talkers" section. */
#include "util.h"

/* Bigger byte count first; ties broken by packets, then address. */
static int before(const struct ht_entry *a, const struct ht_entry *b)
{
    if (a->bytes != b->bytes)
        return a->bytes > b->bytes;
    if (a->packets != b->packets)
        return a->packets > b->packets;
    return a->key < b->key;
}

/* Insertion sort: stable, and n is small. */
void sort_by_bytes(struct ht_entry *e, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct ht_entry cur = e[i];
        size_t j = i;

        while (j > 0 && before(&cur, &e[j - 1])) {
            e[j] = e[j - 1];
            j--;
        }
        e[j] = cur;
    }
}

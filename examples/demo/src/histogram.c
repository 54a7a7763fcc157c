/* histogram.c - record sizes in power-of-two buckets.
 * Bucket 0 holds sizes below 64, bucket i holds [2^(i+5), 2^(i+6)),
 * the last bucket holds everything from 4096 up. */
#include <stdio.h>
#include "util.h"

void hist_init(struct hist *h)
{
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        h->count[i] = 0;
}

void hist_add(struct hist *h, uint32_t v)
{
    unsigned b = v < 64 ? 0 : ilog2_u32(v) - 5;

    if (b >= HIST_BUCKETS)
        b = HIST_BUCKETS - 1;
    h->count[b]++;
}

uint32_t hist_peak(const struct hist *h)
{
    uint32_t peak = 0;

    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        if (h->count[i] > peak)
            peak = h->count[i];
    return peak;
}

char *hist_label(unsigned i, char *buf, size_t n)
{
    if (i == 0)
        snprintf(buf, n, "%5u-%-5u", 0u, 63u);
    else if (i == HIST_BUCKETS - 1)
        snprintf(buf, n, "%5u+     ", 1u << (i + 5));
    else
        snprintf(buf, n, "%5u-%-5u", 1u << (i + 5), (1u << (i + 6)) - 1);
    return buf;
}

/* stats.c - running min/max/mean/stddev of record sizes. */
#include "util.h"

void stats_init(struct stats *s)
{
    s->n = 0;
    s->min = UINT32_MAX;
    s->max = 0;
    s->sum = 0;
    s->sumsq = 0;
}

void stats_add(struct stats *s, uint32_t v)
{
    s->n++;
    if (v < s->min)
        s->min = v;
    if (v > s->max)
        s->max = v;
    s->sum += v;
    s->sumsq += (uint64_t)v * v;
}

uint32_t stats_mean(const struct stats *s)
{
    return s->n ? (uint32_t)div_round(s->sum, s->n) : 0;
}

/* Population standard deviation: sqrt((n*sumsq - sum^2) / n^2). */
uint32_t stats_stddev(const struct stats *s)
{
    uint64_t n = s->n, num;

    if (n < 2)
        return 0;
    num = n * s->sumsq - s->sum * s->sum;
    return (uint32_t)isqrt64(div_round(num, n * n));
}

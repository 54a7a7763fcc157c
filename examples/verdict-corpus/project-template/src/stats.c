/* stats.c - mean, standard deviation (two-pass) and median of small samples. */
#include <math.h>
#include <stdlib.h>
#include "lib.h"

double st_mean(const int *v, size_t n)
{
    long sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? (double)sum / (double)n : 0.0;
}

double st_stddev(const int *v, size_t n)
{
    double m = st_mean(v, n), ss = 0.0;

    if (n < 2)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = v[i] - m;
        ss += d * d;
    }
    return sqrt(ss / (double)(n - 1));
}

long st_median(long *v, size_t n)   /* sorts v; the lower median for even n */
{
    if (n == 0)
        return 0;
    sort_merge(v, n);
    return v[(n - 1) / 2];
}

static int close_to(double x, double want)
{
    return fabs(x - want) <= 1e-9 * (fabs(want) > 1.0 ? fabs(want) : 1.0);
}

int stats_selftest(void)
{
    static const int v[] = {2, 4, 4, 4, 5, 5, 7, 9};
    long w[] = {9, 1, 8, 2, 7, 3, 6};

    if (!close_to(st_mean(v, 8), 5.0))
        return 1;
    if (!close_to(st_stddev(v, 8), sqrt(32.0 / 7.0)))
        return 2;
    if (st_median(w, 7) != 6 || w[0] != 1 || w[6] != 9)
        return 3;
    if (st_mean(v, 0) != 0.0 || st_stddev(v, 1) != 0.0)
        return 4;
    return 0;
}

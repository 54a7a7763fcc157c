/* bsearch.c - lower and upper bound on a sorted array. */
#include "lib.h"

size_t bs_lower_bound(const long *v, size_t n, long key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t bs_upper_bound(const long *v, size_t n, long key)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] <= key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int bsearch_selftest(void)
{
    static const long v[] = {1, 3, 3, 3, 5, 8, 8, 13, 21, 34};
    const size_t n = sizeof v / sizeof v[0];

    if (bs_lower_bound(v, n, 3) != 1 || bs_upper_bound(v, n, 3) != 4)
        return 1;
    if (bs_lower_bound(v, n, 0) != 0 || bs_upper_bound(v, n, 100) != n)
        return 2;
    if (bs_lower_bound(v, n, 9) != 7 || bs_upper_bound(v, n, 8) != 7)
        return 3;
    if (bs_lower_bound(v, 0, 5) != 0)
        return 4;
    for (long k = -1; k < 40; k++) {
        size_t lo = bs_lower_bound(v, n, k), hi = bs_upper_bound(v, n, k), cnt = 0;
        for (size_t i = 0; i < n; i++)
            cnt += v[i] == k;
        if (hi - lo != cnt)
            return 5;
    }
    return 0;
}

/* sort.c - a stable top-down merge sort (insertion sort for short runs). */
#include <stdlib.h>
#include <string.h>
#include "lib.h"

void sort_insertion(long *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        long x = v[i];
        size_t j = i;
        while (j > 0 && v[j - 1] > x) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static void merge_rec(long *v, long *tmp, size_t n)
{
    size_t mid = n / 2, i = 0, j = mid, k = 0;

    if (n <= 16) {
        sort_insertion(v, n);
        return;
    }
    merge_rec(v, tmp, mid);
    merge_rec(v + mid, tmp, n - mid);
    while (i < mid && j < n)
        tmp[k++] = v[j] < v[i] ? v[j++] : v[i++];
    while (i < mid)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

void sort_merge(long *v, size_t n)
{
    long *tmp;

    if (n < 2)
        return;
    tmp = malloc(n * sizeof *tmp);
    if (!tmp) {
        sort_insertion(v, n);
        return;
    }
    merge_rec(v, tmp, n);
    free(tmp);
}

int sort_selftest(void)
{
    enum { N = 3000 };
    static long a[N], b[N];
    struct xs_state st;
    long sum_before = 0, sum_after = 0;

    xs_seed(&st, 7);
    for (int i = 0; i < N; i++) {
        a[i] = (long)xs_below(&st, 100000) - 50000;
        b[i] = a[i];
        sum_before += a[i];
    }
    sort_merge(a, N);
    sort_insertion(b, N);
    for (int i = 0; i < N; i++) {
        if (i > 0 && a[i - 1] > a[i])
            return 1;
        if (a[i] != b[i])
            return 2;
        sum_after += a[i];
    }
    if (sum_before != sum_after)
        return 3;
    return 0;
}

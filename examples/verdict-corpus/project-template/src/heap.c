/* heap.c - a binary min-heap of long (priority queue). */
#include <stdlib.h>
#include "lib.h"

void mh_init(struct minheap *h)
{
    h->v = NULL;
    h->n = h->cap = 0;
}

int mh_push(struct minheap *h, long x)
{
    size_t i;

    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 16;
        long *p = realloc(h->v, cap * sizeof *p);
        if (!p)
            return -1;
        h->v = p;
        h->cap = cap;
    }
    i = h->n++;
    while (i > 0 && h->v[(i - 1) / 2] > x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
    return 0;
}

int mh_pop(struct minheap *h, long *out)
{
    long last;
    size_t i = 0;

    if (h->n == 0)
        return -1;
    *out = h->v[0];
    last = h->v[--h->n];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] < h->v[c])
            c++;
        if (h->v[c] >= last)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = last;
    return 0;
}

void mh_free(struct minheap *h)
{
    free(h->v);
    mh_init(h);
}

int heap_selftest(void)
{
    struct minheap h;
    struct xs_state st;
    long prev = -1, x;
    int rc = 0, popped = 0;

    mh_init(&h);
    xs_seed(&st, 42);
    for (int i = 0; i < 500; i++)
        if (mh_push(&h, (long)xs_below(&st, 10000)))
            rc = 1;
    while (!rc && mh_pop(&h, &x) == 0) {
        if (x < prev)
            rc = 2;
        prev = x;
        popped++;
    }
    if (!rc && popped != 500)
        rc = 3;
    mh_free(&h);
    return rc;
}

/* vec.c - a growable vector of long. */
#include <stdlib.h>
#include <string.h>
#include "lib.h"

void iv_init(struct ivec *iv)
{
    iv->v = NULL;
    iv->n = iv->cap = 0;
}

static int iv_reserve(struct ivec *iv, size_t want)
{
    size_t cap = iv->cap ? iv->cap : 8;
    long *p;

    if (want <= iv->cap)
        return 0;
    while (cap < want)
        cap *= 2;
    p = realloc(iv->v, cap * sizeof *p);
    if (!p)
        return -1;
    iv->v = p;
    iv->cap = cap;
    return 0;
}

int iv_push(struct ivec *iv, long x)
{
    if (iv_reserve(iv, iv->n + 1))
        return -1;
    iv->v[iv->n++] = x;
    return 0;
}

int iv_insert(struct ivec *iv, size_t at, long x)
{
    if (at > iv->n || iv_reserve(iv, iv->n + 1))
        return -1;
    memmove(iv->v + at + 1, iv->v + at, (iv->n - at) * sizeof *iv->v);
    iv->v[at] = x;
    iv->n++;
    return 0;
}

long iv_erase(struct ivec *iv, size_t at)
{
    long x = iv->v[at];

    memmove(iv->v + at, iv->v + at + 1, (iv->n - at - 1) * sizeof *iv->v);
    iv->n--;
    return x;
}

void iv_free(struct ivec *iv)
{
    free(iv->v);
    iv_init(iv);
}

int vec_selftest(void)
{
    struct ivec iv;
    long sum = 0;
    int rc = 0;

    iv_init(&iv);
    for (long i = 0; i < 200; i++)
        if (iv_push(&iv, i))
            rc = 1;
    if (!rc && (iv_insert(&iv, 0, -1) || iv_insert(&iv, 100, 1000) || iv_insert(&iv, iv.n, 5000)))
        rc = 2;
    if (!rc && (iv.n != 203 || iv.v[0] != -1 || iv.v[100] != 1000 || iv.v[202] != 5000 || iv.v[101] != 99))
        rc = 3;
    if (!rc && (iv_erase(&iv, 100) != 1000 || iv_erase(&iv, 0) != -1 || iv.n != 201))
        rc = 4;
    for (size_t i = 0; i < iv.n; i++)
        sum += iv.v[i];
    if (!rc && sum != 199L * 200 / 2 + 5000)
        rc = 5;
    iv_free(&iv);
    return rc;
}

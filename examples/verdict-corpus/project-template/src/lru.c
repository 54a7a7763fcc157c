/* lru.c - a least-recently-used cache of int -> int, array-backed list. */
#include <stdlib.h>
#include "lib.h"

struct lru_entry {
    int key, value;
    int prev, next;   /* indices, -1 for none */
};

struct lru {
    struct lru_entry *e;
    unsigned cap, n;
    int first, last;  /* most and least recently used */
};

struct lru *lru_new(unsigned capacity)
{
    struct lru *c = malloc(sizeof *c);

    if (!c)
        return NULL;
    c->e = malloc(capacity * sizeof *c->e);
    if (!c->e) {
        free(c);
        return NULL;
    }
    c->cap = capacity;
    c->n = 0;
    c->first = c->last = -1;
    return c;
}

static void lru_unlink(struct lru *c, int i)
{
    struct lru_entry *x = &c->e[i];

    if (x->prev >= 0)
        c->e[x->prev].next = x->next;
    else
        c->first = x->next;
    if (x->next >= 0)
        c->e[x->next].prev = x->prev;
    else
        c->last = x->prev;
}

static void lru_link_front(struct lru *c, int i)
{
    c->e[i].prev = -1;
    c->e[i].next = c->first;
    if (c->first >= 0)
        c->e[c->first].prev = i;
    c->first = i;
    if (c->last < 0)
        c->last = i;
}

static int lru_find(const struct lru *c, int key)
{
    for (int i = c->first; i >= 0; i = c->e[i].next)
        if (c->e[i].key == key)
            return i;
    return -1;
}

int lru_get(struct lru *c, int key, int *value)
{
    int i = lru_find(c, key);

    if (i < 0)
        return 0;
    lru_unlink(c, i);
    lru_link_front(c, i);
    *value = c->e[i].value;
    return 1;
}

void lru_put(struct lru *c, int key, int value)
{
    int i = lru_find(c, key);

    if (i >= 0) {
        lru_unlink(c, i);
    } else if (c->n < c->cap) {
        i = (int)c->n++;
    } else {
        i = c->last;
        lru_unlink(c, i);
    }
    c->e[i].key = key;
    c->e[i].value = value;
    lru_link_front(c, i);
}

void lru_free(struct lru *c)
{
    if (c) {
        free(c->e);
        free(c);
    }
}

int lru_selftest(void)
{
    struct lru *c = lru_new(3);
    int v, rc = 0;

    if (!c)
        return 1;
    lru_put(c, 1, 10);
    lru_put(c, 2, 20);
    lru_put(c, 3, 30);
    if (!lru_get(c, 1, &v) || v != 10)
        rc = 2;
    lru_put(c, 4, 40);               /* evicts 2, the least recently used */
    if (!rc && lru_get(c, 2, &v))
        rc = 3;
    lru_put(c, 3, 33);
    lru_put(c, 5, 50);               /* evicts 1 */
    if (!rc && (lru_get(c, 1, &v) || !lru_get(c, 3, &v) || v != 33 || !lru_get(c, 4, &v) || v != 40))
        rc = 4;
    lru_free(c);
    return rc;
}

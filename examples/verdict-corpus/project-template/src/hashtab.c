/* hashtab.c - open-addressing hash table (linear probing, tombstones), string keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

struct slot {
    char *key;       /* NULL: empty */
    long value;
    int dead;        /* tombstone */
};

struct hashtab {
    struct slot *slots;
    size_t cap, used, live;
};

static size_t ht_hash(const char *key)
{
    return (size_t)fnv1a64(key, strlen(key));
}

struct hashtab *ht_new(void)
{
    struct hashtab *t = calloc(1, sizeof *t);

    if (!t)
        return NULL;
    t->cap = 16;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots) {
        free(t);
        return NULL;
    }
    return t;
}

static struct slot *ht_find(const struct hashtab *t, const char *key)
{
    size_t i = ht_hash(key) & (t->cap - 1);

    while (t->slots[i].key) {
        if (!t->slots[i].dead && strcmp(t->slots[i].key, key) == 0)
            return &t->slots[i];
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

static int ht_grow(struct hashtab *t)
{
    struct slot *old = t->slots;
    size_t oldcap = t->cap;

    t->cap *= 2;
    t->slots = calloc(t->cap, sizeof *t->slots);
    if (!t->slots) {
        t->slots = old;
        t->cap = oldcap;
        return -1;
    }
    t->used = t->live = 0;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key)
            continue;
        if (old[i].dead) {
            free(old[i].key);
            continue;
        }
        size_t j = ht_hash(old[i].key) & (t->cap - 1);
        while (t->slots[j].key)
            j = (j + 1) & (t->cap - 1);
        t->slots[j] = old[i];
        t->used++;
        t->live++;
    }
    free(old);
    return 0;
}

int ht_put(struct hashtab *t, const char *key, long value)
{
    struct slot *s = ht_find(t, key);
    size_t i;

    if (s) {
        s->value = value;
        return 0;
    }
    if ((t->used + 1) * 4 > t->cap * 3 && ht_grow(t))
        return -1;
    i = ht_hash(key) & (t->cap - 1);
    while (t->slots[i].key)
        i = (i + 1) & (t->cap - 1);
    t->slots[i].key = malloc(strlen(key) + 1);
    if (!t->slots[i].key)
        return -1;
    strcpy(t->slots[i].key, key);
    t->slots[i].value = value;
    t->slots[i].dead = 0;
    t->used++;
    t->live++;
    return 0;
}

int ht_get(const struct hashtab *t, const char *key, long *value)
{
    const struct slot *s = ht_find(t, key);

    if (!s)
        return 0;
    *value = s->value;
    return 1;
}

int ht_del(struct hashtab *t, const char *key)
{
    struct slot *s = ht_find(t, key);

    if (!s)
        return 0;
    s->dead = 1;
    t->live--;
    return 1;
}

size_t ht_count(const struct hashtab *t)
{
    return t->live;
}

void ht_free(struct hashtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i].key);
    free(t->slots);
    free(t);
}

int hashtab_selftest(void)
{
    struct hashtab *t = ht_new();
    char key[32];
    long v;
    int rc = 0;

    if (!t)
        return 1;
    for (long i = 0; i < 1000 && !rc; i++) {
        snprintf(key, sizeof key, "key-%ld", i);
        if (ht_put(t, key, i * 3))
            rc = 2;
    }
    for (long i = 0; i < 1000 && !rc; i += 2) {
        snprintf(key, sizeof key, "key-%ld", i);
        if (!ht_del(t, key))
            rc = 3;
    }
    if (!rc && ht_count(t) != 500)
        rc = 4;
    for (long i = 0; i < 1000 && !rc; i++) {
        snprintf(key, sizeof key, "key-%ld", i);
        int found = ht_get(t, key, &v);
        if (found != (int)(i % 2) || (found && v != i * 3))
            rc = 5;
    }
    if (!rc && (ht_put(t, "key-7", -7) || !ht_get(t, "key-7", &v) || v != -7 || ht_count(t) != 500))
        rc = 6;
    ht_free(t);
    return rc;
}

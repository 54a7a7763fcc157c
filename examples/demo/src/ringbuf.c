/* ringbuf.c - keep the last RING_CAP records. */
#include "util.h"

void ring_init(struct ring *r)
{
    r->head = 0;
    r->len = 0;
}

void ring_push(struct ring *r, const struct record *rec)
{
    r->item[r->head] = *rec;
    r->head = (r->head + 1) % RING_CAP;
    if (r->len < RING_CAP)
        r->len++;
}

/* i = 0 is the oldest record still held; NULL past the end. */
const struct record *ring_at(const struct ring *r, unsigned i)
{
    unsigned start;

    if (i >= r->len)
        return NULL;
    start = (r->head + RING_CAP - r->len) % RING_CAP;
    return &r->item[(start + i) % RING_CAP];
}

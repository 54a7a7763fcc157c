/* ringbuf.c - a fixed 64-byte FIFO ring buffer. */
#include "lib.h"

#define RING_CAP 64u

void ring_init(struct ring *r)
{
    r->head = r->tail = r->count = 0;
}

int ring_push(struct ring *r, unsigned char c)
{
    if (r->count == RING_CAP)
        return -1;
    r->buf[r->head] = c;
    r->head = (r->head + 1) % RING_CAP;
    r->count++;
    return 0;
}

int ring_pop(struct ring *r, unsigned char *c)
{
    if (r->count == 0)
        return -1;
    *c = r->buf[r->tail];
    r->tail = (r->tail + 1) % RING_CAP;
    r->count--;
    return 0;
}

int ringbuf_selftest(void)
{
    struct ring r;
    unsigned char c, expect = 0, next = 0;

    ring_init(&r);
    if (ring_pop(&r, &c) != -1)
        return 1;
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i < 40; i++)
            if (ring_push(&r, next++))
                return 2;
        for (int i = 0; i < 40; i++) {
            if (ring_pop(&r, &c) || c != expect)
                return 3;
            expect++;
        }
    }
    for (unsigned i = 0; i < RING_CAP; i++)
        ring_push(&r, (unsigned char)i);
    if (ring_push(&r, 0) != -1 || r.count != RING_CAP)
        return 4;
    return 0;
}

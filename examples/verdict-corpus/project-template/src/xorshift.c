/* xorshift.c - Marsaglia's xorshift32 generator and an unbiased bounded draw. */
#include "lib.h"

void xs_seed(struct xs_state *st, uint32_t seed)
{
    st->s = seed ? seed : 0x9E3779B9u;
}

uint32_t xs_next(struct xs_state *st)
{
    uint32_t x = st->s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    st->s = x;
    return x;
}

/* A value in [0, bound), by rejection (Lemire's threshold), bound > 0. */
uint32_t xs_below(struct xs_state *st, uint32_t bound)
{
    uint32_t threshold = (0u - bound) % bound;

    for (;;) {
        uint32_t r = xs_next(st);
        if (r >= threshold)
            return r % bound;
    }
}

int xorshift_selftest(void)
{
    struct xs_state st;
    unsigned hist[8] = {0};

    xs_seed(&st, 1);
    if (xs_next(&st) != 270369u)
        return 1;
    if (xs_next(&st) != 67634689u)
        return 2;
    if (xs_next(&st) != 2647435461u)
        return 3;
    xs_seed(&st, 2463534242u);
    for (int i = 0; i < 8000; i++) {
        uint32_t v = xs_below(&st, 8);
        if (v >= 8)
            return 4;
        hist[v]++;
    }
    for (int i = 0; i < 8; i++)
        if (hist[i] < 800 || hist[i] > 1200)
            return 5;
    return 0;
}

/* mathx.c - integer arithmetic helpers. */
#include "util.h"

/* floor(sqrt(v)), bit by bit. */
uint64_t isqrt64(uint64_t v)
{
    uint64_t res = 0, bit = (uint64_t)1 << 62;

    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= res + bit) {
            v -= res + bit;
            res = (res >> 1) + bit;
        } else {
            res >>= 1;
        }
        bit >>= 2;
    }
    return res;
}

/* a / b rounded to nearest, halves up; b must be non-zero. */
uint64_t div_round(uint64_t a, uint64_t b)
{
    return (a + b / 2) / b;
}

/* floor(log2(v)) for v > 0; 0 for v == 0. */
unsigned ilog2_u32(uint32_t v)
{
    unsigned r = 0;

    while (v >>= 1)
        r++;
    return r;
}

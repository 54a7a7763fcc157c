/* bitops.c - portable bit tricks: population count, leading zeros, reversal, rotation. */
#include <stdio.h>
#include "lib.h"

unsigned bo_popcount(uint32_t x)
{
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    x = (x + (x >> 4)) & 0x0F0F0F0Fu;
    return (x * 0x01010101u) >> 24;
}

unsigned bo_clz(uint32_t x)
{
    unsigned n = 0;

    if (x == 0)
        return 32;
    while (!(x & 0x80000000u)) {
        x <<= 1;
        n++;
    }
    return n;
}

uint32_t bo_reverse(uint32_t x)
{
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    x = ((x >> 8) & 0x00FF00FFu) | ((x & 0x00FF00FFu) << 8);
    return (x >> 16) | (x << 16);
}

uint32_t bo_rotl(uint32_t x, unsigned r)
{
    r &= 31u;
    return r ? (x << r) | (x >> (32u - r)) : x;
}

/* Diagnostic only: records what `1 << 31` gives on this target; never part of the pass/fail
 * answer.  The shift overflows int (undefined behaviour, which UBSan
 * reports as "left shift of 1 by 31 places cannot be represented in type 'int'"); the operands
 * are volatile, so the compiler cannot fold or exploit it, and x86-64 gives INT_MIN. */
volatile int bo_sign_bit_sink;

static void bo_report_sign_bit(void)
{
    volatile int one = 1, width = 31;

    bo_sign_bit_sink = one << width;
}

int bitops_selftest(void)
{
    bo_report_sign_bit();
    if (bo_popcount(0) != 0 || bo_popcount(0xFFFFFFFFu) != 32 || bo_popcount(0xF0F00001u) != 9)
        return 1;
    if (bo_clz(1) != 31 || bo_clz(0) != 32 || bo_clz(0x00800000u) != 8)
        return 2;
    if (bo_reverse(1) != 0x80000000u || bo_reverse(0x12345678u) != 0x1E6A2C48u)
        return 3;
    if (bo_rotl(0x80000001u, 1) != 3 || bo_rotl(0x12345678u, 0) != 0x12345678u ||
        bo_rotl(0x12345678u, 8) != 0x34567812u)
        return 4;
    for (uint32_t x = 1; x < 100000; x += 37)
        if (bo_reverse(bo_reverse(x)) != x || bo_popcount(x) != bo_popcount(bo_rotl(x, x)))
            return 5;
    return 0;
}

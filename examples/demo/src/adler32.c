/* adler32.c - Adler-32 checksum (RFC 1950). */
#include "frame.h"

#define ADLER_MOD 65521u
#define ADLER_NMAX 5552   /* largest n such that sums cannot overflow */

/* Start with adler = 1. */
uint32_t adler32_update(uint32_t adler, const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t a = adler & 0xFFFFu, s = adler >> 16;

    while (n) {
        size_t chunk = n < ADLER_NMAX ? n : ADLER_NMAX;

        n -= chunk;
        while (chunk--) {
            a += *b++;
            s += a;
        }
        a %= ADLER_MOD;
        s %= ADLER_MOD;
    }
    return s << 16 | a;
}

/* adler32.c - Adler-32 (RFC 1950), with the usual deferred modulo. */
#include <string.h>
#include "lib.h"

#define ADLER_MOD 65521u
#define ADLER_NMAX 5552u   /* largest n with 255n(n+1)/2 + (n+1)(MOD-1) < 2^32 */

uint32_t adler32_update(uint32_t adler, const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t a = adler & 0xFFFFu, b = adler >> 16;

    while (n > 0) {
        size_t chunk = n < ADLER_NMAX ? n : ADLER_NMAX;
        n -= chunk;
        while (chunk--) {
            a += *p++;
            b += a;
        }
        a %= ADLER_MOD;
        b %= ADLER_MOD;
    }
    return (b << 16) | a;
}

int adler32_selftest(void)
{
    static unsigned char big[20000];
    uint32_t whole, split;

    if (adler32_update(1, "Wikipedia", 9) != 0x11E60398u)
        return 1;
    if (adler32_update(1, "", 0) != 1)
        return 2;
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = (unsigned char)(i * 7u + 3u);
    whole = adler32_update(1, big, sizeof big);
    split = adler32_update(adler32_update(1, big, 12345), big + 12345, sizeof big - 12345);
    if (whole != split)
        return 3;
    return 0;
}

/* rle.c - run-length encoding as "<count><char>" pairs ("aaab" -> "3a1b"). */
#include <stdio.h>
#include <string.h>
#include "lib.h"

/* Encoded length, or 0 if it does not fit in cap bytes (with the terminator). */
size_t rle_encode(const char *in, char *out, size_t cap)
{
    size_t o = 0;

    while (*in) {
        char c = *in;
        unsigned run = 0;
        char tmp[16];
        int w;
        while (*in == c && run < 999) {
            in++;
            run++;
        }
        w = snprintf(tmp, sizeof tmp, "%u%c", run, c);
        if (w < 0 || o + (size_t)w + 1 > cap)
            return 0;
        memcpy(out + o, tmp, (size_t)w);
        o += (size_t)w;
    }
    out[o] = '\0';
    return o;
}

size_t rle_decode(const char *in, char *out, size_t cap)
{
    size_t o = 0;

    while (*in) {
        unsigned run = 0;
        if (*in < '0' || *in > '9')
            return 0;
        while (*in >= '0' && *in <= '9' && run < 100000)
            run = run * 10 + (unsigned)(*in++ - '0');
        if (*in == '\0' || o + run + 1 > cap)
            return 0;
        memset(out + o, *in++, run);
        o += run;
    }
    out[o] = '\0';
    return o;
}

int rle_selftest(void)
{
    char enc[128], dec[128];

    if (rle_encode("aaabccdddd", enc, sizeof enc) != 8 || strcmp(enc, "3a1b2c4d") != 0)
        return 1;
    if (rle_decode(enc, dec, sizeof dec) != 10 || strcmp(dec, "aaabccdddd") != 0)
        return 2;
    if (rle_decode("12x", dec, sizeof dec) != 12 || strcmp(dec, "xxxxxxxxxxxx") != 0)
        return 3;
    if (rle_decode("x3", dec, sizeof dec) != 0 || rle_encode("aaaa", enc, 2) != 0)
        return 4;
    return 0;
}

/* fnv.c - FNV-1a hashes, 32 and 64 bits. */
#include "lib.h"

uint32_t fnv1a32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t h = 0x811C9DC5u;

    while (n--) {
        h ^= *p++;
        h *= 0x01000193u;
    }
    return h;
}

uint64_t fnv1a64(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xCBF29CE484222325ull;

    while (n--) {
        h ^= *p++;
        h *= 0x100000001B3ull;
    }
    return h;
}

int fnv_selftest(void)
{
    if (fnv1a32("", 0) != 0x811C9DC5u)
        return 1;
    if (fnv1a32("a", 1) != 0xE40C292Cu)
        return 2;
    if (fnv1a32("foobar", 6) != 0xBF9CF968u)
        return 3;
    if (fnv1a64("a", 1) != 0xAF63DC4C8601EC8Cull)
        return 4;
    if (fnv1a64("foobar", 6) != 0x85944171F73967E8ull)
        return 5;
    return 0;
}

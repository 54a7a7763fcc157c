/* hash_fn.c - integer hashing. */
#include "util.h"

/* The murmur3 finaliser: a cheap full-avalanche 32-bit mix. */
uint32_t hash_u32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85ebca6bu;
    x ^= x >> 13;
    x *= 0xc2b2ae35u;
    x ^= x >> 16;
    return x;
}

/* Fold v into the running hash h (order sensitive). */
uint32_t hash_mix(uint32_t h, uint32_t v)
{
    h ^= hash_u32(v) + 0x9e3779b9u + (h << 6) + (h >> 2);
    return h;
}

/* bloom.c - a 2048-bit Bloom filter with three probes derived from FNV-1a and CRC-32. */
#include <stdio.h>
#include <string.h>
#include "lib.h"

#define BLOOM_BITS 2048u

void bloom_init(struct bloom *b)
{
    memset(b->bits, 0, sizeof b->bits);
}

static void bloom_probes(const char *key, uint32_t out[3])
{
    size_t n = strlen(key);
    uint32_t h1 = fnv1a32(key, n), h2 = crc32_update(0, key, n) | 1u;

    for (uint32_t i = 0; i < 3; i++)
        out[i] = (h1 + i * h2) % BLOOM_BITS;
}

void bloom_add(struct bloom *b, const char *key)
{
    uint32_t p[3];

    bloom_probes(key, p);
    for (int i = 0; i < 3; i++)
        b->bits[p[i] / 8] |= (unsigned char)(1u << (p[i] % 8));
}

int bloom_maybe(const struct bloom *b, const char *key)
{
    uint32_t p[3];

    bloom_probes(key, p);
    for (int i = 0; i < 3; i++)
        if (!(b->bits[p[i] / 8] & (1u << (p[i] % 8))))
            return 0;
    return 1;
}

int bloom_selftest(void)
{
    struct bloom b;
    char key[32];
    int false_pos = 0;

    bloom_init(&b);
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "user%d@example.org", i);
        bloom_add(&b, key);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "user%d@example.org", i);
        if (!bloom_maybe(&b, key))
            return 1;              /* a Bloom filter has no false negatives */
    }
    for (int i = 100; i < 1100; i++) {
        snprintf(key, sizeof key, "user%d@example.org", i);
        false_pos += bloom_maybe(&b, key);
    }
    /* expected rate (1 - e^(-3*100/2048))^3, about 0.3%: far below 5% */
    if (false_pos > 50)
        return 2;
    return 0;
}

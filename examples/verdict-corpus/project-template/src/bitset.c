/* bitset.c - a 1024-bit set; the self-test runs the sieve of Eratosthenes. */
#include <string.h>
#include "lib.h"

void bs_clear_all(struct bitset *b)
{
    memset(b->w, 0, sizeof b->w);
}

void bs_set(struct bitset *b, unsigned i)
{
    b->w[i / 64] |= (uint64_t)1 << (i % 64);
}

void bs_reset(struct bitset *b, unsigned i)
{
    b->w[i / 64] &= ~((uint64_t)1 << (i % 64));
}

int bs_test(const struct bitset *b, unsigned i)
{
    return (int)((b->w[i / 64] >> (i % 64)) & 1u);
}

unsigned bs_count(const struct bitset *b)
{
    unsigned n = 0;

    for (int k = 0; k < 16; k++) {
        uint64_t x = b->w[k];
        while (x) {
            x &= x - 1;
            n++;
        }
    }
    return n;
}

int bitset_selftest(void)
{
    struct bitset primes;

    bs_clear_all(&primes);
    for (unsigned i = 2; i < 1024; i++)
        bs_set(&primes, i);
    for (unsigned i = 2; i * i < 1024; i++)
        if (bs_test(&primes, i))
            for (unsigned j = i * i; j < 1024; j += i)
                bs_reset(&primes, j);
    if (bs_count(&primes) != 172)   /* pi(1023) */
        return 1;
    if (!bs_test(&primes, 1021) || bs_test(&primes, 1023) || bs_test(&primes, 1))
        return 2;
    return 0;
}

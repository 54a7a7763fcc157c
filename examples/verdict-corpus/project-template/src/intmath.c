/* intmath.c - gcd, integer square root, modular exponentiation. */
#include "lib.h"

uint64_t im_gcd(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

uint64_t im_isqrt(uint64_t x)
{
    uint64_t r = 0, bit = (uint64_t)1 << 62;

    while (bit > x)
        bit >>= 2;
    while (bit) {
        if (x >= r + bit) {
            x -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

uint32_t im_powmod(uint32_t base, uint32_t exp, uint32_t mod)
{
    uint64_t result = 1 % mod, b = base % mod;

    while (exp) {
        if (exp & 1u)
            result = result * b % mod;
        b = b * b % mod;
        exp >>= 1;
    }
    return (uint32_t)result;
}

int intmath_selftest(void)
{
    if (im_gcd(462, 1071) != 21 || im_gcd(0, 5) != 5 || im_gcd(17, 0) != 17)
        return 1;
    if (im_isqrt(0) != 0 || im_isqrt(15) != 3 || im_isqrt(16) != 4 || im_isqrt(1000000000000ull) != 1000000)
        return 2;
    if (im_isqrt(UINT64_MAX) != 0xFFFFFFFFull)
        return 3;
    if (im_powmod(2, 10, 1000) != 24 || im_powmod(3, 0, 7) != 1 || im_powmod(5, 3, 1) != 0)
        return 4;
    /* Fermat: a^(p-1) = 1 mod p for the prime 1000000007 */
    if (im_powmod(123456789, 1000000006u, 1000000007u) != 1)
        return 5;
    return 0;
}

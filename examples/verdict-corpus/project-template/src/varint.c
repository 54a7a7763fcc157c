/* varint.c - LEB128 unsigned varints and zigzag for signed values. */
#include "lib.h"

size_t varint_put(uint64_t v, unsigned char *out)
{
    size_t n = 0;

    do {
        unsigned char b = (unsigned char)(v & 0x7Fu);
        v >>= 7;
        out[n++] = (unsigned char)(b | (v ? 0x80u : 0u));
    } while (v);
    return n;
}

/* Bytes consumed, or 0 if the input ends early or is longer than 10 bytes. */
size_t varint_get(const unsigned char *in, size_t n, uint64_t *v)
{
    uint64_t r = 0;

    for (size_t i = 0; i < n && i < 10; i++) {
        r |= (uint64_t)(in[i] & 0x7Fu) << (7 * i);
        if (!(in[i] & 0x80u)) {
            *v = r;
            return i + 1;
        }
    }
    return 0;
}

uint64_t zigzag_enc(int64_t v)
{
    return v < 0 ? 2 * (uint64_t)(-(v + 1)) + 1 : 2 * (uint64_t)v;
}

int64_t zigzag_dec(uint64_t v)
{
    return (v & 1u) ? -(int64_t)(v >> 1) - 1 : (int64_t)(v >> 1);
}

int varint_selftest(void)
{
    static const uint64_t samples[] = {0, 1, 127, 128, 300, 16383, 16384, 0xFFFFFFFFull,
                                       0x7FFFFFFFFFFFFFFFull, 0xFFFFFFFFFFFFFFFFull};
    unsigned char buf[16];
    uint64_t back;

    if (varint_put(300, buf) != 2 || buf[0] != 0xAC || buf[1] != 0x02)
        return 1;
    for (int i = 0; i < 10; i++) {
        size_t n = varint_put(samples[i], buf);
        if (varint_get(buf, n, &back) != n || back != samples[i])
            return 2 + i;
    }
    if (varint_get(buf, 0, &back) != 0)
        return 20;
    if (zigzag_enc(0) != 0 || zigzag_enc(-1) != 1 || zigzag_enc(1) != 2 || zigzag_enc(-2) != 3)
        return 21;
    if (zigzag_dec(zigzag_enc(INT64_MIN)) != INT64_MIN || zigzag_dec(zigzag_enc(INT64_MAX)) != INT64_MAX)
        return 22;
    return 0;
}

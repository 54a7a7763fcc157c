/* hex.c - lower-case hexadecimal encoding and a tolerant decoder. */
#include <string.h>
#include "lib.h"

size_t hex_encode(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";

    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15u];
    }
    out[2 * n] = '\0';
    return 2 * n;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decoded length, or -1 for an odd length or a bad digit. */
long hex_decode(const char *in, unsigned char *out)
{
    size_t len = strlen(in);

    if (len % 2)
        return -1;
    for (size_t i = 0; i < len; i += 2) {
        int hi = hex_digit(in[i]), lo = hex_digit(in[i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i / 2] = (unsigned char)(hi * 16 + lo);
    }
    return (long)(len / 2);
}

int hex_selftest(void)
{
    unsigned char bytes[256], back[256];
    char text[513];

    for (int i = 0; i < 256; i++)
        bytes[i] = (unsigned char)(255 - i);
    hex_encode(bytes, 3, text);
    if (strcmp(text, "fffefd") != 0)
        return 1;
    hex_encode(bytes, 256, text);
    if (hex_decode(text, back) != 256 || memcmp(bytes, back, 256) != 0)
        return 2;
    if (hex_decode("0A1b", back) != 2 || back[0] != 0x0A || back[1] != 0x1B)
        return 3;
    if (hex_decode("abc", back) != -1 || hex_decode("zz", back) != -1)
        return 4;
    return 0;
}

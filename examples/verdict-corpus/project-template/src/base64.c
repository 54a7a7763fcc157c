/* base64.c - RFC 4648 base64 with padding. */
#include <string.h>
#include "lib.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t b64_encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0;

    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        size_t left = n - i;
        if (left > 1)
            v |= (uint32_t)in[i + 1] << 8;
        if (left > 2)
            v |= in[i + 2];
        out[o++] = b64_alphabet[(v >> 18) & 63u];
        out[o++] = b64_alphabet[(v >> 12) & 63u];
        out[o++] = left > 1 ? b64_alphabet[(v >> 6) & 63u] : '=';
        out[o++] = left > 2 ? b64_alphabet[v & 63u] : '=';
    }
    out[o] = '\0';
    return o;
}

static int b64_value(char c)
{
    const char *p;

    if (c == '\0')
        return -1;
    p = strchr(b64_alphabet, c);
    return p ? (int)(p - b64_alphabet) : -1;
}

/* Decoded length, or -1 for malformed input. */
long b64_decode(const char *in, unsigned char *out)
{
    size_t len = strlen(in), o = 0;

    if (len % 4 != 0)
        return -1;
    for (size_t i = 0; i < len; i += 4) {
        int v[4], pad = 0;
        uint32_t w = 0;
        for (int k = 0; k < 4; k++) {
            if (in[i + k] == '=' && i + 4 == len && k >= 2) {
                v[k] = 0;
                pad++;
            } else if (pad) {
                return -1;
            } else if ((v[k] = b64_value(in[i + k])) < 0) {
                return -1;
            }
            w = (w << 6) | (uint32_t)v[k];
        }
        out[o++] = (unsigned char)(w >> 16);
        if (pad < 2)
            out[o++] = (unsigned char)(w >> 8);
        if (pad < 1)
            out[o++] = (unsigned char)w;
    }
    return (long)o;
}

int base64_selftest(void)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char enc[64];
    unsigned char dec[64];

    for (int i = 0; i < 7; i++) {
        size_t n = strlen(plain[i]);
        b64_encode((const unsigned char *)plain[i], n, enc);
        if (strcmp(enc, coded[i]) != 0)
            return 1 + i;
        if (b64_decode(enc, dec) != (long)n || memcmp(dec, plain[i], n) != 0)
            return 10 + i;
    }
    if (b64_decode("Zm9", dec) != -1 || b64_decode("Zm=v", dec) != -1)
        return 20;
    return 0;
}

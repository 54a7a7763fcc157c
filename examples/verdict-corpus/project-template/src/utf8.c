/* utf8.c - UTF-8 decoding (rejecting overlongs and surrogates) and encoding. */
#include <string.h>
#include "lib.h"

/* Number of code points decoded into cps, or -1 on malformed input. */
int utf8_decode(const char *s, uint32_t *cps, int max)
{
    const unsigned char *p = (const unsigned char *)s;
    int n = 0;

    while (*p) {
        uint32_t cp;
        int extra;
        if (*p < 0x80) {
            cp = *p;
            extra = 0;
        } else if ((*p & 0xE0u) == 0xC0u) {
            cp = *p & 0x1Fu;
            extra = 1;
        } else if ((*p & 0xF0u) == 0xE0u) {
            cp = *p & 0x0Fu;
            extra = 2;
        } else if ((*p & 0xF8u) == 0xF0u) {
            cp = *p & 0x07u;
            extra = 3;
        } else {
            return -1;
        }
        p++;
        for (int k = 0; k < extra; k++, p++) {
            if ((*p & 0xC0u) != 0x80u)
                return -1;
            cp = (cp << 6) | (*p & 0x3Fu);
        }
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        if (n == max)
            return -1;
        cps[n++] = cp;
    }
    return n;
}

int utf8_encode(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0u | (cp >> 6));
        out[1] = (char)(0x80u | (cp & 0x3Fu));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0u | (cp >> 12));
        out[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (char)(0x80u | (cp & 0x3Fu));
        return 3;
    }
    out[0] = (char)(0xF0u | (cp >> 18));
    out[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
    out[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
    out[3] = (char)(0x80u | (cp & 0x3Fu));
    return 4;
}

int utf8_selftest(void)
{
    const char *text = "h\xC3\xA9llo \xE2\x82\xAC\xF0\x9D\x84\x9E";   /* "héllo €𝄞" */
    uint32_t cps[16];
    char again[64];
    size_t o = 0;
    int n = utf8_decode(text, cps, 16);

    if (n != 8)
        return 1;
    if (cps[1] != 0xE9 || cps[6] != 0x20AC || cps[7] != 0x1D11E)
        return 2;
    for (int i = 0; i < n; i++)
        o += (size_t)utf8_encode(cps[i], again + o);
    again[o] = '\0';
    if (strcmp(again, text) != 0)
        return 3;
    if (utf8_decode("\xC0\xAF", cps, 16) != -1 || utf8_decode("\xED\xA0\x80", cps, 16) != -1)
        return 4;
    return 0;
}

/* parse_num.c - strict unsigned number parsing. */
#include "plog.h"

int parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int parse_u16(const char *s, uint16_t *out)
{
    uint32_t v;

    if (parse_u32(s, &v) || v > UINT16_MAX)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

/* A byte count, optionally suffixed with k (KiB) or m (MiB). */
int parse_size(const char *s, uint32_t *out)
{
    char digits[16];
    size_t len = 0;
    unsigned shift = 0;
    uint32_t v;

    while (s[len] >= '0' && s[len] <= '9' && len < sizeof digits - 1) {
        digits[len] = s[len];
        len++;
    }
    digits[len] = '\0';
    if (s[len] == 'k' || s[len] == 'K')
        shift = 10;
    else if (s[len] == 'm' || s[len] == 'M')
        shift = 20;
    else if (s[len] != '\0')
        return -1;
    if (shift && s[len + 1] != '\0')
        return -1;
    if (parse_u32(digits, &v) || (uint64_t)v << shift > UINT32_MAX)
        return -1;
    *out = v << shift;
    return 0;
}

/* parse_addr.c - dotted-quad IPv4 addresses. */
#include "plog.h"

int parse_ipv4(const char *s, uint32_t *out)
{
    uint32_t addr = 0;

    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;

        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned)(*s - '0');
            if (++digits > 3 || v > 255)
                return -1;
            s++;
        }
        if (digits == 0)
            return -1;
        addr = (addr << 8) | v;
        if (part < 3) {
            if (*s != '.')
                return -1;
            s++;
        }
    }
    if (*s != '\0')
        return -1;
    *out = addr;
    return 0;
}

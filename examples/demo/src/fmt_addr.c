/* fmt_addr.c - print addresses and endpoints. */
#include <stdio.h>
#include "plog.h"

char *fmt_ipv4(uint32_t addr, char *buf, size_t n)
{
    snprintf(buf, n, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 255u,
             (addr >> 8) & 255u, addr & 255u);
    return buf;
}

/* "a.b.c.d:port", or just the address when port is 0. */
char *fmt_endpoint(uint32_t addr, uint16_t port, char *buf, size_t n)
{
    char ip[16];

    fmt_ipv4(addr, ip, sizeof ip);
    if (port)
        snprintf(buf, n, "%s:%u", ip, (unsigned)port);
    else
        snprintf(buf, n, "%s", ip);
    return buf;
}

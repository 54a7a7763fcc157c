/* parse_proto.c - protocol names. */
#include "plog.h"

static const char *const names[PROTO_COUNT] = { "tcp", "udp", "icmp", "gre" };

static int same_nocase(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char ca = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        if (ca != *b)
            return 0;
    }
    return *a == *b;
}

int parse_proto(const char *s, enum proto *out)
{
    for (int p = 0; p < PROTO_COUNT; p++) {
        if (same_nocase(s, names[p])) {
            *out = (enum proto)p;
            return 0;
        }
    }
    return -1;
}

const char *proto_name(enum proto p)
{
    return (unsigned)p < PROTO_COUNT ? names[p] : "?";
}

int proto_has_ports(enum proto p)
{
    return p == PROTO_TCP || p == PROTO_UDP;
}

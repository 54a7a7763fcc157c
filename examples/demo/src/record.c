/* record.c - turn one log line into a record.
 *
 * Format:  HH:MM:SS  SRC  DST  PROTO  PORT  BYTES
 * PORT is "-" for protocols without ports; BYTES may carry a k/m suffix. */
#include <string.h>
#include "plog.h"

#define MAX_FIELDS 8

enum rec_err record_parse(char *line, struct record *r)
{
    char *f[MAX_FIELDS];
    size_t n;

    if (strchr(line, '\n') == NULL && strlen(line) == PLOG_LINE_MAX - 1)
        return REC_LONG;
    n = lex_fields(line, f, MAX_FIELDS);
    if (n == 0)
        return REC_EMPTY;
    if (n != 6)
        return REC_FIELDS;
    if (parse_hms(f[0], &r->time))
        return REC_TIME;
    if (parse_ipv4(f[1], &r->src) || parse_ipv4(f[2], &r->dst))
        return REC_ADDR;
    if (parse_proto(f[3], &r->proto))
        return REC_PROTO;
    if (proto_has_ports(r->proto)) {
        if (parse_u16(f[4], &r->port) || r->port == 0)
            return REC_PORT;
    } else {
        if (strcmp(f[4], "-") != 0)
            return REC_PORT;
        r->port = 0;
    }
    if (parse_size(f[5], &r->bytes))
        return REC_BYTES;
    return REC_OK;
}

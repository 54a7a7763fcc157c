/* plog.h - records, parsers and formatters of the packet log analyser. */
#ifndef PLOG_H
#define PLOG_H

#include <stddef.h>
#include <stdint.h>

#define PLOG_LINE_MAX 256

enum proto { PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_GRE, PROTO_COUNT };

/* One parsed log line. */
struct record {
    uint32_t time;      /* seconds since midnight */
    uint32_t src;       /* IPv4 source, host byte order */
    uint32_t dst;       /* IPv4 destination, host byte order */
    uint16_t port;      /* destination port, 0 for icmp/gre */
    enum proto proto;
    uint32_t bytes;     /* payload length */
};

enum rec_err {
    REC_OK, REC_EMPTY, REC_LONG, REC_FIELDS, REC_TIME,
    REC_ADDR, REC_PROTO, REC_PORT, REC_BYTES, REC_NERR
};

/* lexer.c */
size_t lex_fields(char *line, char **fields, size_t max);
/* parse_num.c */
int parse_u32(const char *s, uint32_t *out);
int parse_u16(const char *s, uint16_t *out);
int parse_size(const char *s, uint32_t *out);
/* parse_addr.c */
int parse_ipv4(const char *s, uint32_t *out);
/* parse_time.c */
int parse_hms(const char *s, uint32_t *out);
/* parse_proto.c */
int parse_proto(const char *s, enum proto *out);
const char *proto_name(enum proto p);
int proto_has_ports(enum proto p);
/* record.c */
enum rec_err record_parse(char *line, struct record *r);
/* errlog.c */
void errlog_note(unsigned lineno, enum rec_err e);
unsigned errlog_count(void);
void errlog_print(void);
/* fmt_addr.c */
char *fmt_ipv4(uint32_t addr, char *buf, size_t n);
char *fmt_endpoint(uint32_t addr, uint16_t port, char *buf, size_t n);
/* fmt_num.c */
char *fmt_size(uint64_t bytes, char *buf, size_t n);
char *fmt_hms(uint32_t t, char *buf, size_t n);

#endif

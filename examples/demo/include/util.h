/* util.h - small containers and helpers used by the analyser. */
#ifndef UTIL_H
#define UTIL_H

#include "plog.h"

/* hash_fn.c */
uint32_t hash_u32(uint32_t x);
uint32_t hash_mix(uint32_t h, uint32_t v);

/* hashtab.c - open addressing, fixed capacity, keyed by IPv4 address */
#define HT_CAP 256
struct ht_entry { uint32_t key; uint32_t packets; uint64_t bytes; int used; };
struct htab { struct ht_entry slot[HT_CAP]; unsigned count; };
void ht_init(struct htab *h);
struct ht_entry *ht_upsert(struct htab *h, uint32_t key);
size_t ht_collect(const struct htab *h, struct ht_entry *out, size_t max);

/* sort.c */
void sort_by_bytes(struct ht_entry *e, size_t n);

/* mathx.c */
uint64_t isqrt64(uint64_t v);
uint64_t div_round(uint64_t a, uint64_t b);
unsigned ilog2_u32(uint32_t v);

/* stats.c */
struct stats { uint32_t n, min, max; uint64_t sum, sumsq; };
void stats_init(struct stats *s);
void stats_add(struct stats *s, uint32_t v);
uint32_t stats_mean(const struct stats *s);
uint32_t stats_stddev(const struct stats *s);

/* histogram.c - power-of-two size buckets */
#define HIST_BUCKETS 8
struct hist { uint32_t count[HIST_BUCKETS]; };
void hist_init(struct hist *h);
void hist_add(struct hist *h, uint32_t v);
uint32_t hist_peak(const struct hist *h);
char *hist_label(unsigned i, char *buf, size_t n);

/* ringbuf.c - the most recent records */
#define RING_CAP 4
struct ring { struct record item[RING_CAP]; unsigned head, len; };
void ring_init(struct ring *r);
void ring_push(struct ring *r, const struct record *rec);
const struct record *ring_at(const struct ring *r, unsigned i);

/* strbuf.c - bounded string builder, always NUL terminated */
struct strbuf { char *buf; size_t cap, len; };
void sb_init(struct strbuf *sb, char *buf, size_t cap);
void sb_putc(struct strbuf *sb, char c);
void sb_puts(struct strbuf *sb, const char *s);
void sb_repeat(struct strbuf *sb, char c, size_t n);
void sb_fmt(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* bytes.c - little-endian serialisation */
void put_le16(uint8_t *p, uint16_t v);
void put_le32(uint8_t *p, uint32_t v);
uint32_t get_le32(const uint8_t *p);

#endif

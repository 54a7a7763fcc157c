/* frame.h - fixed-size binary frames written for every accepted record. */
#ifndef FRAME_H
#define FRAME_H

#include "plog.h"

/* tag word: high 16 bits = kind (proto + 1), low 16 bits = length (low bits
 * of the payload size); meta: high 16 bits = port, low 16 = size >> 16. */
struct frame {
    uint32_t tag;
    uint32_t time;
    uint32_t src;
    uint32_t dst;
    uint32_t meta;
    uint32_t check;
};
#define FRAME_WIRE_SIZE 24

/* frame_tag.c */
uint32_t tag_make(uint32_t *slot, unsigned kind, uint32_t len);
/* frame.c */
unsigned tag_kind(uint32_t tag);
unsigned tag_len(uint32_t tag);
void frame_encode(const struct record *r, struct frame *f);
int frame_verify(const struct frame *f);
uint32_t frame_bytes(const struct frame *f);
size_t frame_serialize(const struct frame *f, uint8_t *out);
/* crc32.c */
uint32_t crc32_update(uint32_t crc, const void *p, size_t n);
/* adler32.c */
uint32_t adler32_update(uint32_t adler, const void *p, size_t n);
/* digest.c */
struct digest { uint32_t crc, adler, frames; uint64_t bytes; };
void digest_init(struct digest *d);
void digest_add(struct digest *d, const struct frame *f);

#endif

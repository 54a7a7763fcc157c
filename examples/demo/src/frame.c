/* frame.c - encode records as fixed-size frames and check them. */
#include "frame.h"
#include "util.h"

unsigned tag_kind(uint32_t tag)
{
    return tag >> 16;
}

unsigned tag_len(uint32_t tag)
{
    return tag & 0xFFFFu;
}

/* The check word covers the tag and every payload word. */
static uint32_t frame_check(const struct frame *f, uint32_t tag)
{
    uint32_t h = hash_mix(0x6a09e667u, tag);

    h = hash_mix(h, f->time);
    h = hash_mix(h, f->src);
    h = hash_mix(h, f->dst);
    return hash_mix(h, f->meta);
}

void frame_encode(const struct record *r, struct frame *f)
{
    uint32_t tag;

    f->time = r->time;
    f->src = r->src;
    f->dst = r->dst;
    f->meta = (uint32_t)r->port << 16 | (r->bytes >> 16);
    tag = tag_make(&f->tag, (unsigned)r->proto + 1, r->bytes & 0xFFFFu);
    f->check = frame_check(f, tag);
}

int frame_verify(const struct frame *f)
{
    unsigned kind = tag_kind(f->tag);

    if (kind < 1 || kind > PROTO_COUNT)
        return 0;
    return f->check == frame_check(f, f->tag);
}

uint32_t frame_bytes(const struct frame *f)
{
    return (f->meta & 0xFFFFu) << 16 | tag_len(f->tag);
}

size_t frame_serialize(const struct frame *f, uint8_t *out)
{
    put_le32(out, f->tag);
    put_le32(out + 4, f->time);
    put_le32(out + 8, f->src);
    put_le32(out + 12, f->dst);
    put_le32(out + 16, f->meta);
    put_le32(out + 20, f->check);
    return FRAME_WIRE_SIZE;
}

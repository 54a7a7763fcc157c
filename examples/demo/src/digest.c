/* digest.c - checksums over the serialised frame stream. */
#include "frame.h"

void digest_init(struct digest *d)
{
    d->crc = 0;
    d->adler = 1;
    d->frames = 0;
    d->bytes = 0;
}

void digest_add(struct digest *d, const struct frame *f)
{
    uint8_t wire[FRAME_WIRE_SIZE];
    size_t n = frame_serialize(f, wire);

    d->crc = crc32_update(d->crc, wire, n);
    d->adler = adler32_update(d->adler, wire, n);
    d->frames++;
    d->bytes += frame_bytes(f);
}

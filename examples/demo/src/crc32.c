/* crc32.c - table driven CRC-32 (IEEE 802.3, reflected 0xEDB88320). */
#include "frame.h"

static uint32_t table[256];
static int table_ready;

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    table_ready = 1;
}

/* Start with crc = 0; feed the result back in to continue. */
uint32_t crc32_update(uint32_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;

    if (!table_ready)
        make_table();
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *b++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

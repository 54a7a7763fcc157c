/* crc32.c - CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table driven. */
#include <string.h>
#include "lib.h"

static uint32_t crc_table[256];
static int crc_ready;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    crc_ready = 1;
}

uint32_t crc32_update(uint32_t crc, const void *data, size_t n)
{
    const unsigned char *p = data;

    if (!crc_ready)
        crc_init();
    crc = ~crc;
    while (n--)
        crc = crc_table[(crc ^ *p++) & 0xFFu] ^ (crc >> 8);
    return ~crc;
}

int crc32_selftest(void)
{
    const char *check = "123456789";
    uint32_t c;

    if (crc32_update(0, check, strlen(check)) != 0xCBF43926u)
        return 1;
    if (crc32_update(0, "", 0) != 0)
        return 2;
    c = crc32_update(0, check, 4);
    c = crc32_update(c, check + 4, 5);
    if (c != 0xCBF43926u)
        return 3;
    if (crc32_update(0, "The quick brown fox jumps over the lazy dog", 43) != 0x414FA339u)
        return 4;
    return 0;
}

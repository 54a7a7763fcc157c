// SPDX-License-Identifier: GPL-2.0
/*
 * CRC-32C (Castagnoli), table driven, computed here rather than through the kernel's crypto API so
 * that the module has no dependency to load first and the checksum is code this example compiles.
 */
#include "kcache.h"

static u32 kc_crc_table[256];
static bool kc_crc_ready;

static void kc_crc_init(void)
{
	u32 i, j, crc;

	for (i = 0; i < 256; i++) {
		crc = i;
		for (j = 0; j < 8; j++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82f63b78 : 0);
		kc_crc_table[i] = crc;
	}
	kc_crc_ready = true;
}

u32 kc_crc32c(u32 crc, const void *data, size_t len)
{
	const u8 *p = data;

	if (!kc_crc_ready)
		kc_crc_init();
	crc = ~crc;
	while (len--)
		crc = kc_crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

u32 kc_set_csum(const struct kc_set *set)
{
	return kc_crc32c(set->n, set->keys, set->n * sizeof(set->keys[0]));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Keys: comparison, validation and formatting of inode:offset pairs. Kept in their own object so
 * that every other file calls them across an object boundary, as bcache's bkey helpers are.
 */
#include <linux/kernel.h>
#include "kcache.h"

#define KC_MAX_INODE (1ULL << 40)

int kc_key_cmp(const struct kc_key *a, const struct kc_key *b)
{
	if (a->high != b->high)
		return a->high < b->high ? -1 : 1;
	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	return 0;
}

/* Clamps a key to the valid inode range, so that a bound is always a real key. */
void kc_key_normalize(struct kc_key *k)
{
	if (k->high >= KC_MAX_INODE) {
		k->high = KC_MAX_INODE - 1;
		k->low = U64_MAX;
	}
}

bool kc_key_valid(const struct kc_key *k)
{
	return k->high < KC_MAX_INODE;
}

int kc_key_format(char *buf, size_t size, const struct kc_key *k)
{
	return scnprintf(buf, size, "%llu:%llu", k->high, k->low);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Binary search in a sorted set: the index of the first key greater than the iterator's search
 * key, or 0 when there is none (start from the beginning).
 */
#include "kcache.h"

unsigned int kc_set_search(const struct kc_set *set, const struct kc_iter *iter)
{
	unsigned int lo = 0, hi = set->n;

	if (!iter->search)
		return 0;
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (kc_key_cmp(&set->keys[mid], iter->search) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

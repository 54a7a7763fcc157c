// SPDX-License-Identifier: GPL-2.0
/*
 * The sorted key set. An insert positions an iterator just after the key that precedes the new
 * one (bcache's PRECEDING_KEY idea: search for "k minus one"), then walks forward to the slot.
 *
 * kc_iter_seek_preceding() carries the latent bug this example is about, the same kind as
 * bcache's PRECEDING_KEY() in 2019: it points the iterator at a compound literal whose scope ends
 * with the macro's block, and kc_iter_init() reads it afterwards. At -O1 nothing else uses that
 * stack slot and the search key survives. At -O2 gcc inlines kc_iter_init() into kc_set_insert(),
 * its local `bound` gets the dead literal's slot, and the search starts after the last inserted
 * key instead of before the new one: keys go in out of order.
 *
 * (The WARN_ON_ONCE() reads the literal while it is alive. Without a read there, gcc-12 deletes
 * the stores to it at every level, and -O1 would read stale stack too.)
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "kcache.h"

/* Points the iterator's search key at the key just before k (NULL when k is the smallest key). */
#define kc_iter_seek_preceding(iter, k)                                   \
	do {                                                              \
		(iter)->search = NULL;                                    \
		if ((k)->high || (k)->low) {                              \
			struct kc_key *_p = &KC_KEY((k)->high, (k)->low); \
			if (!_p->low)                                     \
				_p->high--;                               \
			_p->low--;                                        \
			WARN_ON_ONCE(!kc_key_valid(_p));                  \
			(iter)->search = _p;                              \
		}                                                         \
	} while (0)

/* Positions the iterator on the first key after its search key; returns that index. */
static unsigned int kc_iter_init(const struct kc_set *set, struct kc_iter *iter)
{
	struct kc_key bound = set->hint;

	kc_key_normalize(&bound);
	iter->set = set;
	iter->bound = bound;
	iter->pos = kc_set_search(set, iter);
	return iter->pos;
}

void kc_set_init(struct kc_set *set)
{
	memset(set, 0, sizeof(*set));
}

int kc_set_insert(struct kc_set *set, const struct kc_key *k)
{
	struct kc_iter iter;
	unsigned int m;

	if (set->n == KC_SET_MAX)
		return -ENOSPC;
	kc_iter_seek_preceding(&iter, k);
	m = kc_iter_init(set, &iter);
	while (m < set->n && kc_key_cmp(k, &set->keys[m]) > 0)
		m++;
	memmove(&set->keys[m + 1], &set->keys[m], (set->n - m) * sizeof(set->keys[0]));
	set->keys[m] = *k;
	set->n++;
	set->hint = *k;
	return m;
}

int kc_set_lookup(const struct kc_set *set, const struct kc_key *k)
{
	struct kc_iter iter;
	unsigned int m;

	iter.search = k;
	m = kc_iter_init(set, &iter);
	if (m > 0 && kc_key_cmp(&set->keys[m - 1], k) == 0)
		return m - 1;
	return -ENOENT;
}

int kc_set_remove(struct kc_set *set, const struct kc_key *k)
{
	int m = kc_set_lookup(set, k);

	if (m < 0)
		return m;
	memmove(&set->keys[m], &set->keys[m + 1], (set->n - m - 1) * sizeof(set->keys[0]));
	set->n--;
	return 0;
}

int kc_set_check(const struct kc_set *set)
{
	unsigned int i;

	for (i = 1; i < set->n; i++)
		if (kc_key_cmp(&set->keys[i - 1], &set->keys[i]) >= 0)
			return i;
	return -1;
}

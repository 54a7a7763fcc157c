// SPDX-License-Identifier: GPL-2.0
/*
 * An append-only journal of set operations, each entry checksummed, and its replay into an empty
 * set. The self-test rebuilds the set from the journal and compares checksums, as a cache device
 * would after a crash.
 */
#include <linux/errno.h>
#include "kcache.h"

void kc_journal_init(struct kc_journal *j)
{
	j->n = 0;
}

static u32 kc_entry_csum(const struct kc_journal_entry *e)
{
	u32 crc = kc_crc32c(0, &e->op, sizeof(e->op));

	return kc_crc32c(crc, &e->key, sizeof(e->key));
}

int kc_journal_add(struct kc_journal *j, enum kc_op op, const struct kc_key *k)
{
	struct kc_journal_entry *e;

	if (j->n == KC_JOURNAL_MAX)
		return -ENOSPC;
	e = &j->entries[j->n++];
	e->op = op;
	e->key = *k;
	e->csum = kc_entry_csum(e);
	return 0;
}

int kc_journal_replay(const struct kc_journal *j, struct kc_set *set)
{
	unsigned int i;
	int ret;

	kc_set_init(set);
	for (i = 0; i < j->n; i++) {
		const struct kc_journal_entry *e = &j->entries[i];

		if (e->csum != kc_entry_csum(e))
			return -EBADMSG;
		if (e->op == KC_OP_INSERT)
			ret = kc_set_insert(set, &e->key);
		else
			ret = kc_set_remove(set, &e->key);
		if (ret < 0)
			return ret;
	}
	return 0;
}

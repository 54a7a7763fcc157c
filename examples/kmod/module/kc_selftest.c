// SPDX-License-Identifier: GPL-2.0
/*
 * The self-test run at module load: insert pseudo-random keys (checking the order after every
 * insert, as bcache's btree checks do), look each one up, remove a third, then rebuild the set
 * from the journal and compare checksums. Deterministic: the same keys on every boot.
 */
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include "kcache.h"

#define KC_TEST_KEYS 96

struct kc_test {
	struct kc_set set;
	struct kc_set replayed;
	struct kc_journal journal;
	struct kc_stats stats;
};

static u64 kc_next(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static int kc_fail(char *report, size_t size, const char *what, const struct kc_set *set, int at)
{
	char a[48] = "", b[48] = "";

	if (at > 0) {
		kc_key_format(a, sizeof(a), &set->keys[at - 1]);
		kc_key_format(b, sizeof(b), &set->keys[at]);
	}
	scnprintf(report, size, "%s at %d: %s then %s", what, at, a, b);
	return -EINVAL;
}

static int kc_selftest(struct kc_test *t, char *report, size_t size)
{
	struct kc_key keys[KC_TEST_KEYS];
	u64 state = 0x9e3779b97f4a7c15ULL;
	char summary[96];
	unsigned int i, n = 0;
	int at, ret;

	kc_set_init(&t->set);
	kc_journal_init(&t->journal);
	while (n < KC_TEST_KEYS) {
		struct kc_key k = KC_KEY(1 + kc_next(&state) % 4, kc_next(&state) % 100000);

		if (!kc_key_valid(&k) || kc_set_lookup(&t->set, &k) >= 0)
			continue;
		ret = kc_set_insert(&t->set, &k);
		if (ret < 0)
			return scnprintf(report, size, "insert failed: %d", ret), ret;
		kc_journal_add(&t->journal, KC_OP_INSERT, &k);
		kc_stats_insert(&t->stats);
		at = kc_set_check(&t->set);
		if (at >= 0)
			return kc_fail(report, size, "key skipped backwards", &t->set, at);
		keys[n++] = k;
	}
	for (i = 0; i < n; i++) {
		bool hit = kc_set_lookup(&t->set, &keys[i]) >= 0;

		kc_stats_lookup(&t->stats, hit);
		if (!hit)
			return scnprintf(report, size, "key %u not found after insert", i), -ENOENT;
	}
	for (i = 0; i < n; i += 3) {
		if (kc_set_remove(&t->set, &keys[i]) < 0)
			return scnprintf(report, size, "key %u could not be removed", i), -ENOENT;
		kc_journal_add(&t->journal, KC_OP_REMOVE, &keys[i]);
		kc_stats_remove(&t->stats);
	}
	ret = kc_journal_replay(&t->journal, &t->replayed);
	if (ret < 0)
		return scnprintf(report, size, "journal replay failed: %d", ret), ret;
	at = kc_set_check(&t->replayed);
	if (at >= 0)
		return kc_fail(report, size, "replayed set out of order", &t->replayed, at);
	if (kc_set_csum(&t->replayed) != kc_set_csum(&t->set))
		return scnprintf(report, size, "replayed set differs (csum %08x, expected %08x)",
				 kc_set_csum(&t->replayed), kc_set_csum(&t->set)),
		       -EIO;
	kc_stats_format(summary, sizeof(summary), &t->stats);
	scnprintf(report, size, "%u keys, csum %08x, %s", t->set.n, kc_set_csum(&t->set), summary);
	return 0;
}

int kc_selftest_run(char *report, size_t size)
{
	struct kc_test *t = kzalloc(sizeof(*t), GFP_KERNEL);
	int ret;

	if (!t)
		return scnprintf(report, size, "out of memory"), -ENOMEM;
	ret = kc_selftest(t, report, size);
	kfree(t);
	return ret;
}

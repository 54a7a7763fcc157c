/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kcache: a toy ordered key cache, shaped like bcache's bset code (keys are inode:offset pairs
 * kept sorted in small sets, a journal that can rebuild a set, checksums), small enough to read
 * in one sitting. It exists to carry one latent bug of the bcache kind (see kc_set.c).
 */
#ifndef KCACHE_H
#define KCACHE_H

#include <linux/types.h>

struct kc_key {
	u64 high; /* inode */
	u64 low;  /* offset */
};

#define KC_KEY(inode, offset) ((struct kc_key){ .high = (inode), .low = (offset) })

#define KC_SET_MAX 128

struct kc_set {
	unsigned int n;
	struct kc_key keys[KC_SET_MAX];
	struct kc_key hint; /* the key inserted last: where the next insert usually goes */
};

struct kc_iter {
	const struct kc_set *set;
	const struct kc_key *search; /* start after this key; NULL: from the first key */
	unsigned int pos;
	struct kc_key bound;
};

/* kc_key.c */
int kc_key_cmp(const struct kc_key *a, const struct kc_key *b);
void kc_key_normalize(struct kc_key *k);
bool kc_key_valid(const struct kc_key *k);
int kc_key_format(char *buf, size_t size, const struct kc_key *k);

/* kc_search.c */
unsigned int kc_set_search(const struct kc_set *set, const struct kc_iter *iter);

/* kc_set.c */
void kc_set_init(struct kc_set *set);
int kc_set_insert(struct kc_set *set, const struct kc_key *k);
int kc_set_lookup(const struct kc_set *set, const struct kc_key *k);
int kc_set_remove(struct kc_set *set, const struct kc_key *k);
/* Index of the first key not greater than the one before it, or -1 when the set is sorted. */
int kc_set_check(const struct kc_set *set);

/* kc_crc.c */
u32 kc_crc32c(u32 crc, const void *data, size_t len);
u32 kc_set_csum(const struct kc_set *set);

/* kc_journal.c */
#define KC_JOURNAL_MAX 256
enum kc_op { KC_OP_INSERT = 1, KC_OP_REMOVE = 2 };
struct kc_journal_entry {
	u32 op;
	u32 csum;
	struct kc_key key;
};
struct kc_journal {
	unsigned int n;
	struct kc_journal_entry entries[KC_JOURNAL_MAX];
};
void kc_journal_init(struct kc_journal *j);
int kc_journal_add(struct kc_journal *j, enum kc_op op, const struct kc_key *k);
int kc_journal_replay(const struct kc_journal *j, struct kc_set *set);

/* kc_stats.c */
struct kc_stats {
	unsigned long inserts, removes, lookups, hits, misses;
};
void kc_stats_insert(struct kc_stats *s);
void kc_stats_remove(struct kc_stats *s);
void kc_stats_lookup(struct kc_stats *s, bool hit);
int kc_stats_format(char *buf, size_t size, const struct kc_stats *s);

/* kc_selftest.c: 0 and a summary, or a negative errno and what went wrong */
int kc_selftest_run(char *report, size_t size);

#endif

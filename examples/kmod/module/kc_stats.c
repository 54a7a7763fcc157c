// SPDX-License-Identifier: GPL-2.0
/* Operation counters for the self-test's summary line. */
#include <linux/kernel.h>
#include "kcache.h"

void kc_stats_insert(struct kc_stats *s)
{
	s->inserts++;
}

void kc_stats_remove(struct kc_stats *s)
{
	s->removes++;
}

void kc_stats_lookup(struct kc_stats *s, bool hit)
{
	s->lookups++;
	if (hit)
		s->hits++;
	else
		s->misses++;
}

int kc_stats_format(char *buf, size_t size, const struct kc_stats *s)
{
	return scnprintf(buf, size, "%lu inserts, %lu removes, %lu lookups (%lu hits)", s->inserts,
			 s->removes, s->lookups, s->hits);
}

/* analysis.c - fold each accepted record into the run's state. */
#include <string.h>
#include "analysis.h"

void ana_init(struct analysis *a)
{
    memset(a, 0, sizeof *a);
    ht_init(&a->talkers);
    ht_init(&a->peers);
    stats_init(&a->sizes);
    hist_init(&a->hist);
    ring_init(&a->recent);
    digest_init(&a->digest);
    a->first = UINT32_MAX;
}

void ana_add(struct analysis *a, const struct record *r)
{
    struct ht_entry *e;
    struct frame f;

    a->records++;
    e = ht_upsert(&a->talkers, r->src);
    if (e) {
        e->packets++;
        e->bytes += r->bytes;
    } else {
        a->dropped++;
    }
    e = ht_upsert(&a->peers, r->dst);
    if (e) {
        e->packets++;
        e->bytes += r->bytes;
    }
    a->proto_count[r->proto]++;
    a->proto_bytes[r->proto] += r->bytes;
    stats_add(&a->sizes, r->bytes);
    hist_add(&a->hist, r->bytes);
    ring_push(&a->recent, r);
    if (r->time < a->first)
        a->first = r->time;
    if (r->time > a->last)
        a->last = r->time;

    frame_encode(r, &f);
    if (frame_verify(&f))
        a->frames_ok++;
    else
        a->frames_bad++;
    digest_add(&a->digest, &f);
}

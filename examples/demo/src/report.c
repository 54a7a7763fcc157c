/* report.c - print the analysis. */
#include <stdio.h>
#include "analysis.h"

#define TOP_N 5
#define BAR_WIDTH 30

static void print_talkers(const struct analysis *a)
{
    static struct ht_entry all[HT_CAP];
    size_t n = ht_collect(&a->talkers, all, HT_CAP);
    char ip[16], sz[32];

    sort_by_bytes(all, n);
    printf("-- top talkers (%u sources, %u destinations) --\n",
           a->talkers.count, a->peers.count);
    for (size_t i = 0; i < n && i < TOP_N; i++)
        printf("%2zu. %-15s %3u pkts %10s\n", i + 1,
               fmt_ipv4(all[i].key, ip, sizeof ip), all[i].packets,
               fmt_size(all[i].bytes, sz, sizeof sz));
}

static void print_hist(const struct analysis *a)
{
    uint32_t peak = hist_peak(&a->hist);
    char label[32], line[80];
    struct strbuf sb;

    printf("-- size histogram --\n");
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        sb_init(&sb, line, sizeof line);
        sb_fmt(&sb, "%s %3u |", hist_label(i, label, sizeof label),
               a->hist.count[i]);
        if (peak)
            sb_repeat(&sb, '#', (a->hist.count[i] * BAR_WIDTH + peak - 1) / peak);
        puts(line);
    }
}

static void print_recent(const struct analysis *a)
{
    const struct record *r;
    char t[16], src[16], dst[24], sz[32];

    printf("-- most recent --\n");
    for (unsigned i = 0; (r = ring_at(&a->recent, i)) != NULL; i++)
        printf("%s %-15s -> %-21s %-4s %s\n", fmt_hms(r->time, t, sizeof t),
               fmt_ipv4(r->src, src, sizeof src),
               fmt_endpoint(r->dst, r->port, dst, sizeof dst),
               proto_name(r->proto), fmt_size(r->bytes, sz, sizeof sz));
}

void report_print(const struct analysis *a)
{
    char t0[16], t1[16], sz[32];

    printf("== plog report ==\n");
    printf("records: %u, malformed: %u\n", a->records, errlog_count());
    if (a->records == 0)
        return;
    printf("span: %s - %s\n", fmt_hms(a->first, t0, sizeof t0),
           fmt_hms(a->last, t1, sizeof t1));
    printf("total: %llu bytes (%s)\n", (unsigned long long)a->sizes.sum,
           fmt_size(a->sizes.sum, sz, sizeof sz));
    printf("size: min %u, max %u, mean %u, stddev %u\n", a->sizes.min,
           a->sizes.max, stats_mean(&a->sizes), stats_stddev(&a->sizes));
    printf("-- protocols --\n");
    for (int p = 0; p < PROTO_COUNT; p++)
        printf("%-5s %4u pkts %10s\n", proto_name((enum proto)p),
               a->proto_count[p], fmt_size(a->proto_bytes[p], sz, sizeof sz));
    print_talkers(a);
    print_hist(a);
    print_recent(a);
    printf("-- frames --\n");
    printf("frames: %u ok, %u corrupt, %llu payload bytes\n", a->frames_ok,
           a->frames_bad, (unsigned long long)a->digest.bytes);
    printf("digest: crc32 %08x adler32 %08x\n", a->digest.crc, a->digest.adler);
    errlog_print();
}

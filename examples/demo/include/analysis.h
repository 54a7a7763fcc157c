/* analysis.h - the accumulated state of one run. */
#ifndef ANALYSIS_H
#define ANALYSIS_H

#include "util.h"
#include "frame.h"

struct analysis {
    struct htab talkers;            /* by source address */
    struct htab peers;              /* by destination address */
    uint32_t proto_count[PROTO_COUNT];
    uint64_t proto_bytes[PROTO_COUNT];
    struct stats sizes;
    struct hist hist;
    struct ring recent;
    struct digest digest;
    uint32_t first, last;           /* time span */
    unsigned records, dropped, frames_ok, frames_bad;
};

/* analysis.c */
void ana_init(struct analysis *a);
void ana_add(struct analysis *a, const struct record *r);
/* report.c */
void report_print(const struct analysis *a);

#endif

/* errlog.c - remember malformed input lines for the report. */
#include <stdio.h>
#include "plog.h"

#define ERRLOG_KEEP 5

static const char *const reasons[REC_NERR] = {
    [REC_OK] = "ok",
    [REC_EMPTY] = "empty",
    [REC_LONG] = "line too long",
    [REC_FIELDS] = "wrong number of fields",
    [REC_TIME] = "bad time",
    [REC_ADDR] = "bad address",
    [REC_PROTO] = "unknown protocol",
    [REC_PORT] = "bad port",
    [REC_BYTES] = "bad size",
};

static struct { unsigned line; enum rec_err err; } kept[ERRLOG_KEEP];
static unsigned total;

void errlog_note(unsigned lineno, enum rec_err e)
{
    if (total < ERRLOG_KEEP) {
        kept[total].line = lineno;
        kept[total].err = e;
    }
    total++;
}

unsigned errlog_count(void)
{
    return total;
}

void errlog_print(void)
{
    unsigned shown = total < ERRLOG_KEEP ? total : ERRLOG_KEEP;

    printf("-- malformed lines: %u --\n", total);
    for (unsigned i = 0; i < shown; i++)
        printf("  line %u: %s\n", kept[i].line,
               (unsigned)kept[i].err < REC_NERR ? reasons[kept[i].err] : "?");
    if (total > shown)
        printf("  ... and %u more\n", total - shown);
}

/* fmt_num.c - human readable sizes and times. */
#include <stdio.h>
#include "plog.h"
#include "util.h"

/* 512 -> "512 B", 1536 -> "1.5 KiB", 3 << 20 -> "3.0 MiB" */
char *fmt_size(uint64_t bytes, char *buf, size_t n)
{
    static const char *const unit[] = { "KiB", "MiB", "GiB" };
    uint64_t scale = 1024;
    unsigned u = 0;
    uint64_t tenths;

    if (bytes < 1024) {
        snprintf(buf, n, "%llu B", (unsigned long long)bytes);
        return buf;
    }
    while (u < 2 && bytes >= scale * 1024) {
        scale *= 1024;
        u++;
    }
    tenths = div_round(bytes * 10, scale);
    snprintf(buf, n, "%llu.%llu %s", (unsigned long long)(tenths / 10),
             (unsigned long long)(tenths % 10), unit[u]);
    return buf;
}

char *fmt_hms(uint32_t t, char *buf, size_t n)
{
    snprintf(buf, n, "%02u:%02u:%02u", t / 3600, t / 60 % 60, t % 60);
    return buf;
}

/* parse_time.c - HH:MM:SS wall clock times. */
#include "plog.h"

static int two_digits(const char *s, unsigned *out)
{
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
        return -1;
    *out = (unsigned)(s[0] - '0') * 10 + (unsigned)(s[1] - '0');
    return 0;
}

int parse_hms(const char *s, uint32_t *out)
{
    unsigned h, m, sec;

    if (two_digits(s, &h) || s[2] != ':')
        return -1;
    if (two_digits(s + 3, &m) || s[5] != ':')
        return -1;
    if (two_digits(s + 6, &sec) || s[8] != '\0')
        return -1;
    if (h > 23 || m > 59 || sec > 59)
        return -1;
    *out = h * 3600 + m * 60 + sec;
    return 0;
}

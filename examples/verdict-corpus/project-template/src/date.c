/* date.c - proleptic Gregorian calendar <-> day numbers (H. Hinnant's algorithms). */
#include "lib.h"

long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
    long era;
    unsigned doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (long)yoe + era * 400 + (*m <= 2);
}

unsigned weekday_from_days(long z)   /* 0 = Sunday */
{
    return (unsigned)(z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}

int date_selftest(void)
{
    long y;
    unsigned m, d;

    if (days_from_civil(1970, 1, 1) != 0 || days_from_civil(2000, 3, 1) != 11017)
        return 1;
    if (days_from_civil(1969, 12, 31) != -1 || days_from_civil(2024, 2, 29) != 19782)
        return 2;
    if (weekday_from_days(0) != 4 || weekday_from_days(days_from_civil(2024, 2, 29)) != 4)
        return 3;
    for (long z = -800000; z <= 800000; z += 997) {
        civil_from_days(z, &y, &m, &d);
        if (days_from_civil(y, m, d) != z || m < 1 || m > 12 || d < 1 || d > 31)
            return 4;
    }
    return 0;
}

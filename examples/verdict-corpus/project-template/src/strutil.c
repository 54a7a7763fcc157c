/* strutil.c - in-place string helpers: trim, split, upper-case, prefix test. */
#include <ctype.h>
#include <string.h>
#include "lib.h"

char *su_trim(char *s)
{
    char *end;

    while (*s && isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* Splits s at every sep (in place); returns the number of fields, at most max. */
int su_split(char *s, char sep, char **parts, int max)
{
    int n = 0;

    if (max <= 0)
        return 0;
    parts[n++] = s;
    for (; *s; s++) {
        if (*s == sep) {
            *s = '\0';
            if (n == max)
                break;
            parts[n++] = s + 1;
        }
    }
    return n;
}

void su_upper(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

int su_starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int strutil_selftest(void)
{
    char line[] = "  alpha,beta,,gamma \t\n";
    char *parts[8];
    char *t = su_trim(line);
    int n;

    if (strcmp(t, "alpha,beta,,gamma") != 0)
        return 1;
    n = su_split(t, ',', parts, 8);
    if (n != 4 || strcmp(parts[1], "beta") != 0 || parts[2][0] != '\0' || strcmp(parts[3], "gamma") != 0)
        return 2;
    su_upper(parts[3]);
    if (strcmp(parts[3], "GAMMA") != 0)
        return 3;
    if (!su_starts_with("prefix-rest", "prefix") || su_starts_with("pre", "prefix"))
        return 4;
    {
        char blank[] = " \t ";
        if (*su_trim(blank) != '\0')
            return 5;
    }
    return 0;
}

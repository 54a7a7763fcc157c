/* lexer.c - split a log line into whitespace separated fields. */
#include <ctype.h>
#include "plog.h"

/* Splits line in place.  Everything from a '#' on is a comment.  Returns the
 * number of fields seen; only the first max are stored in fields[]. */
size_t lex_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;

    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            break;
        if (n < max)
            fields[n] = p;
        n++;
        while (*p && *p != '#' && !isspace((unsigned char)*p))
            p++;
        if (*p == '#') {
            *p = '\0';
            break;
        }
        if (*p)
            *p++ = '\0';
    }
    return n;
}

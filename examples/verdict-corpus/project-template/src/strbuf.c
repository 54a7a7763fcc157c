/* strbuf.c - a growable, always NUL-terminated string builder. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

void sb_init(struct strbuf *sb)
{
    sb->data = NULL;
    sb->len = sb->cap = 0;
}

static int sb_reserve(struct strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1, cap = sb->cap ? sb->cap : 16;
    char *p;

    if (need <= sb->cap)
        return 0;
    while (cap < need)
        cap *= 2;
    p = realloc(sb->data, cap);
    if (!p)
        return -1;
    sb->data = p;
    sb->cap = cap;
    return 0;
}

int sb_append(struct strbuf *sb, const char *s)
{
    size_t n = strlen(s);

    if (sb_reserve(sb, n))
        return -1;
    memcpy(sb->data + sb->len, s, n + 1);
    sb->len += n;
    return 0;
}

int sb_appendf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || sb_reserve(sb, (size_t)n))
        return -1;
    va_start(ap, fmt);
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return 0;
}

void sb_free(struct strbuf *sb)
{
    free(sb->data);
    sb_init(sb);
}

int strbuf_selftest(void)
{
    struct strbuf sb;
    int rc = 0;

    sb_init(&sb);
    for (int i = 0; i < 100; i++)
        if (sb_appendf(&sb, "%s%d=%x", i ? ";" : "", i, (unsigned)(i * i)) != 0)
            rc = 1;
    if (!rc && (sb.len != strlen(sb.data) || strncmp(sb.data, "0=0;1=1;2=4;3=9;4=10;", 21) != 0))
        rc = 2;
    if (!rc && strcmp(sb.data + sb.len - 7, "99=2649") != 0)
        rc = 3;
    if (!rc && (sb_append(&sb, "!") != 0 || sb.data[sb.len - 1] != '!'))
        rc = 4;
    sb_free(&sb);
    return rc;
}

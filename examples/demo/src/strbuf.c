/* strbuf.c - bounded string builder; output is truncated, never overrun. */
#include <stdarg.h>
#include <stdio.h>
#include "util.h"

void sb_init(struct strbuf *sb, char *buf, size_t cap)
{
    sb->buf = buf;
    sb->cap = cap;
    sb->len = 0;
    if (cap)
        buf[0] = '\0';
}

void sb_putc(struct strbuf *sb, char c)
{
    if (sb->len + 1 >= sb->cap)
        return;
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void sb_puts(struct strbuf *sb, const char *s)
{
    while (*s)
        sb_putc(sb, *s++);
}

void sb_repeat(struct strbuf *sb, char c, size_t n)
{
    while (n--)
        sb_putc(sb, c);
}

void sb_fmt(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (sb->len + 1 >= sb->cap)
        return;
    va_start(ap, fmt);
    k = vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, ap);
    va_end(ap);
    if (k < 0)
        return;
    sb->len += (size_t)k;
    if (sb->len >= sb->cap)
        sb->len = sb->cap - 1;
}

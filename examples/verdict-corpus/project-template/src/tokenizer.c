/* tokenizer.c - a small lexer: identifiers, decimal numbers, "strings" with escapes, punctuation. */
#include <ctype.h>
#include <string.h>
#include "lib.h"

void lex_init(struct lexer *lx, const char *src)
{
    lx->p = src;
}

struct token lex_next(struct lexer *lx)
{
    struct token t;
    const char *p = lx->p;

    while (isspace((unsigned char)*p))
        p++;
    t.start = p;
    if (*p == '\0') {
        t.kind = TOK_END;
    } else if (isalpha((unsigned char)*p) || *p == '_') {
        while (isalnum((unsigned char)*p) || *p == '_')
            p++;
        t.kind = TOK_IDENT;
    } else if (isdigit((unsigned char)*p)) {
        while (isdigit((unsigned char)*p))
            p++;
        t.kind = TOK_NUMBER;
    } else if (*p == '"') {
        p++;
        while (*p && *p != '"') {
            if (*p == '\\' && p[1])
                p++;
            p++;
        }
        if (*p == '"') {
            p++;
            t.kind = TOK_STRING;
        } else {
            t.kind = TOK_ERROR;
        }
    } else if (strchr("+-*/=(){};,<>", *p)) {
        p++;
        t.kind = TOK_PUNCT;
    } else {
        p++;
        t.kind = TOK_ERROR;
    }
    t.len = (size_t)(p - t.start);
    lx->p = p;
    return t;
}

int tokenizer_selftest(void)
{
    static const enum tok_kind want[] = {TOK_IDENT, TOK_IDENT, TOK_PUNCT, TOK_NUMBER, TOK_PUNCT,
                                         TOK_IDENT, TOK_PUNCT, TOK_STRING, TOK_PUNCT, TOK_PUNCT,
                                         TOK_END};
    struct lexer lx;
    struct token t;
    int i = 0;

    lex_init(&lx, "let x_1 = 42 + foo(\"b\\\"ar\");");
    do {
        t = lex_next(&lx);
        if (i >= 11 || t.kind != want[i])
            return 1 + i;
        if (i == 1 && (t.len != 3 || strncmp(t.start, "x_1", 3) != 0))
            return 20;
        if (i == 7 && t.len != 7)
            return 21;
        i++;
    } while (t.kind != TOK_END);
    lex_init(&lx, "\"open");
    if (lex_next(&lx).kind != TOK_ERROR)
        return 22;
    lex_init(&lx, "@");
    if (lex_next(&lx).kind != TOK_ERROR)
        return 23;
    return 0;
}

/* rpn.c - evaluates reverse Polish notation over long ("3 4 + 2 *"). */
#include <ctype.h>
#include <stdlib.h>
#include "lib.h"

/* 0 and *result on success; -1 on a syntax error, stack error or division by zero. */
int rpn_eval(const char *expr, long *result)
{
    long stack[32];
    int sp = 0;
    const char *p = expr;

    while (*p) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            char *end;
            long v = strtol(p, &end, 10);
            if (sp == 32 || v > 1000000)
                return -1;
            stack[sp++] = v;
            p = end;
            continue;
        }
        if (sp < 2)
            return -1;
        long b = stack[--sp], a = stack[--sp];
        if (a > 1000000000 || a < -1000000000 || b > 1000000000 || b < -1000000000)
            return -1;   /* keep every intermediate well inside long */
        switch (*p++) {
        case '+': stack[sp++] = a + b; break;
        case '-': stack[sp++] = a - b; break;
        case '*':
            if ((a > 0 ? a : -a) > 100000 && (b > 0 ? b : -b) > 100000)
                return -1;
            stack[sp++] = a * b;
            break;
        case '/':
            if (b == 0)
                return -1;
            stack[sp++] = a / b;
            break;
        case '%':
            if (b == 0)
                return -1;
            stack[sp++] = a % b;
            break;
        default:
            return -1;
        }
    }
    if (sp != 1)
        return -1;
    *result = stack[0];
    return 0;
}

int rpn_selftest(void)
{
    long r;

    if (rpn_eval("3 4 + 2 *", &r) || r != 14)
        return 1;
    if (rpn_eval("5 1 2 + 4 * + 3 -", &r) || r != 14)
        return 2;
    if (rpn_eval("100 7 % 2 -", &r) || r != 0)
        return 3;
    if (rpn_eval("1 0 /", &r) != -1 || rpn_eval("1 +", &r) != -1 || rpn_eval("1 2", &r) != -1)
        return 4;
    if (rpn_eval("2 3 ^", &r) != -1)
        return 5;
    return 0;
}

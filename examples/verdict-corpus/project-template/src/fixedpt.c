/* fixedpt.c - Q16.16 fixed-point arithmetic with round-to-nearest. */
#include "lib.h"

#define FX_ONE 65536

int32_t fx_from_int(int v)
{
    return (int32_t)((int64_t)v * FX_ONE);
}

int32_t fx_mul(int32_t a, int32_t b)
{
    int64_t p = (int64_t)a * b;

    /* round half away from zero, dividing rather than shifting a negative value */
    return (int32_t)((p + (p >= 0 ? FX_ONE / 2 : -FX_ONE / 2)) / FX_ONE);
}

int32_t fx_div(int32_t a, int32_t b)
{
    int64_t n = (int64_t)a * FX_ONE;
    int64_t half = (b > 0 ? b : -(int64_t)b) / 2;

    return (int32_t)((n + ((n >= 0) == (b > 0) ? half : -half)) / b);
}

int fx_round(int32_t a)
{
    return (int)((a + (a >= 0 ? FX_ONE / 2 : -FX_ONE / 2)) / FX_ONE);
}

int fixedpt_selftest(void)
{
    int32_t half = FX_ONE / 2, three = fx_from_int(3), minus_two = fx_from_int(-2);

    if (fx_mul(three, half) != 3 * FX_ONE / 2)
        return 1;
    if (fx_mul(minus_two, three) != fx_from_int(-6))
        return 2;
    if (fx_div(fx_from_int(1), three) != 21845)       /* 1/3 = 0x5555 */
        return 3;
    if (fx_div(fx_from_int(-7), fx_from_int(2)) != -7 * FX_ONE / 2)
        return 4;
    if (fx_round(fx_mul(fx_from_int(10), fx_div(fx_from_int(2), three))) != 7)   /* 6.67 */
        return 5;
    if (fx_round(-3 * FX_ONE / 2) != -2 || fx_round(3 * FX_ONE / 2) != 2)
        return 6;
    return 0;
}

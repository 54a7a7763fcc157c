/* Option semantics: Kahan (compensated) summation.  -Ofast enables
   -fassociative-math, which lets the compiler simplify the compensation
   c = (t - sum) - y to 0 (one addition per element is left) and reorder the
   sum, so the result is no longer the compensated 1 + 1000 * 1e-16
   (gcc-12 -Ofast gives 1.00000000000005 here).
   Correct: exit 0 and "OK".  Broken by the option: exit 1.  */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t
bits_of (double d)
{
  uint64_t u;
  memcpy (&u, &d, sizeof u);
  return u;
}

__attribute__((noinline)) double
kahan_sum (const double *v, int n)
{
  double sum = 0.0, c = 0.0;
  for (int i = 0; i < n; i++)
    {
      double y = v[i] - c;
      double t = sum + y;
      c = (t - sum) - y;
      sum = t;
    }
  return sum;
}

int
main (void)
{
  static double v[1001];
  v[0] = 1.0;
  for (int i = 1; i <= 1000; i++)
    v[i] = 1e-16;
  double r = kahan_sum (v, 1001);
  volatile double expect = 1.0000000000001;   /* 1 + 1000 * 1e-16 */
  if (bits_of (r) != bits_of (expect))
    {
      printf ("BAD: %.17g\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

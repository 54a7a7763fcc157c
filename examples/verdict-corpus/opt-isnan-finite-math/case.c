/* Option semantics: -ffinite-math-only (part of -ffast-math) lets the
   compiler assume no NaN exists, so isnan(m) folds to 0 and the NaN mean
   escapes instead of the default.  The code is correct IEEE 754 C.
   main() compares bit patterns, because under -ffinite-math-only an ordinary
   "r != -1.0" would also treat a NaN as equal.
   Correct: exit 0 and "OK".  Broken by the option: exit 1.  */
#include <math.h>
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
mean_or_default (const double *v, int n, double dflt)
{
  double s = 0;
  for (int i = 0; i < n; i++)
    s += v[i];
  double m = s / n;
  if (isnan (m))
    return dflt;
  return m;
}

int
main (void)
{
  double v[3] = { 1.0, NAN, 2.0 };
  double r = mean_or_default (v, 3, -1.0);
  if (bits_of (r) != bits_of (-1.0))
    {
      printf ("BAD: %g\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

/* Option semantics: -ffast-math implies -ffinite-math-only, so isinf(y)
   folds to 0 and the overflow of 1e300 * 1e300 is no longer detected.
   Correct: exit 0 and "OK".  Broken by the option: exit 1.  */
#include <math.h>
#include <stdio.h>

__attribute__((noinline)) int
product_is_finite (double x, double f)
{
  double y = x * f;
  return !isinf (y);
}

int
main (void)
{
  int r = product_is_finite (1e300, 1e300);
  if (r != 0)
    {
      printf ("BAD: overflow to inf not detected (%d)\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

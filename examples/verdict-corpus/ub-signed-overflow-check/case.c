/* Latent bug: an overflow check that itself overflows.  "a + b < a" relies
   on signed wrap-around, which is undefined; compilers fold it to "b < 0"
   (with b > 0 already known: to 0).  The pattern of GCC PR 30475
   ("assert(int+100 > int) optimized away", closed as invalid).  Fix: compare
   against INT_MAX - b, or use __builtin_add_overflow, or build with -fwrapv.
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1.  */
#include <limits.h>
#include <stdio.h>

__attribute__((noinline)) int
add_would_overflow (int a, int b)
{
  return b > 0 && a + b < a;
}

int
main (void)
{
  int r = add_would_overflow (INT_MAX - 10, 100);
  if (r != 1)
    {
      printf ("BAD: overflow not detected (%d)\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

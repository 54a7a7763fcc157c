/* GCC PR tree-optimization/111331: wrong code at -O1: phiopt's
   min/max replacement mis-handles the two-sided clamp below (-fno-ssa-phiopt
   hides it; -O2 happens to be right).  Adapted from the public regression test
   gcc/testsuite/gcc.c-torture/execute/pr111331-1.c.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

int result;
int zero;

static int
clamp (int d, int lo, int hi)
{
  if (d < lo)
    return lo;
  if (d > hi)
    return hi;
  return d;
}

/* clamp is inlined here; this is the function whose code is wrong.  */
__attribute__((noipa)) void
compute (void)
{
  int g = -1;
  result = clamp (zero + 30, 29, g + 29);   /* clamp (30, 29, 28) == 28 */
}

int
main (void)
{
  compute ();
  volatile int t = result;
  if (t != 28)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

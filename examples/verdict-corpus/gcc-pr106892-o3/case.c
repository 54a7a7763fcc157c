/* GCC PR tree-optimization/106892: wrong code at -O3; predictive commoning
   (-fpredictive-commoning, on at -O3) mis-handles the f[-d + 4] accesses, so
   f[2] is updated although the program never touches it.  A GCC 12 regression at -O3 relative to
   GCC 11 here.  Adapted from the public regression test
   gcc/testsuite/gcc.dg/torture/pr106892.c.
   h() has no return for i < '0'; that path is never taken.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

int a, b, c, d, e;
int f[8];

static int
g (void)
{
  while (a)
    a >>= 4;
  return 0;
}

static int
h (int i)
{
  if (i >= '0')
    return i - '0';
  /* No return here, as in the original test: the value would be undefined,
     but i >= '0' always holds for the calls below.  */
}

__attribute__((noipa)) void
fill (int i)
{
  for (b = 2; g () <= 7; b++)
    if (i)
      {
        for (; e <= 7; e++)
          for (c = 1; c <= 7; c++)
            {
              d = h (b + '0');
              f[-d + 4] ^= 3;
            }
        return;
      }
}

int
main (void)
{
  fill (1);
  if (f[2] != 0)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

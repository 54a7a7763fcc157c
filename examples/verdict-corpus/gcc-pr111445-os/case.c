/* GCC PR tree-optimization/111445: wrong code at -Os; the second loop's
   exit test, computed through an unsigned char conversion, runs check() the
   wrong number of times (here -fno-ivopts hides it).  Adapted from the
   public regression test gcc/testsuite/gcc.dg/torture/pr111445.c.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>
#include <stdlib.h>

short a, b;
unsigned char c = 255;
unsigned cnt;

__attribute__((noipa)) void
check (int x)
{
  if (x != 0)
    abort ();
  cnt++;
}

__attribute__((noipa)) void
run_loops (void)
{
  int d;
  unsigned char e;
  d = 0;
  for (; a >= 0; a--)
    {
      int *f = &d;
      *f = c;
    }
  e = 0;
  for (; (unsigned char) (d - 255) + e <= 1; e++)
    check (b);
}

int
main (void)
{
  run_loops ();
  if (cnt != 2)
    abort ();
  puts ("OK");
  return 0;
}

/* GCC PR tree-optimization/107833: wrong code (a NULL dereference) because
   loop invariant motion hoists the never-executed "c = *f" out of its
   condition.  A GCC 12 regression: gcc-11 -O2 is correct.  Adapted from the
   public regression test gcc/testsuite/gcc.dg/torture/pr107833.c.
   The uninitialised i and the NULL f are only used on a path that is never
   executed.  Correct: exit 0 and "OK".  Miscompiled: SIGSEGV.  */
#include <stdio.h>

int a, b[1] = { 0 }, c, *d = b, e, *f, g;

__attribute__((noipa)) int
foo (const char *x)
{
  (void) x;
  return 0;
}

__attribute__((noipa)) void
scan (void)
{
  for (int h = 0; a < 2; a++)
    {
      int i;
      for (g = 0; g < 2; g++)
        if (a < h)
          {
            e = i % 2;
            c = *f;
          }
      for (h = 0; h < 3; h++)
        {
          if (d)
            break;
          i--;
          foo ("0");
        }
    }
}

int
main (void)
{
  scan ();
  puts ("OK");
  return 0;
}

/* GCC PR tree-optimization/112305: SCEV final value replacement
   (-ftree-scev-cprop) rewrites the inner loop's exit values with an
   expression that overflows in signed int, giving the wrong result.  The
   source itself has no undefined behaviour (UBSan is clean; the conversion of
   2147483648 to int in the report is replaced by INT_MIN here).  Note: the
   bug report says -fwrapv hides it, although it is a compiler bug.
   Adapted from the reproducer in the bug report (gcc.dg/torture/pr112305.c).
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

int a;

__attribute__((noipa)) unsigned
count_down (void)
{
  long c = 3;
  unsigned int d = 50253292;
  int e = -2147483647 - 1;
  for (; a < 5; a++)
    do
      {
        e += 4;
        d -= c;
      }
    while (e < 20);
  return d;
}

int
main (void)
{
  if ((int) count_down () != -1560359471)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

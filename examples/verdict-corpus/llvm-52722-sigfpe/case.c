/* LLVM issue #52722 "wrong code at -O1 and above on x86_64-linux-gnu
   (regression from 12.0.1)": the program divides ~0 by a == -1, which is
   fine, but the optimized code traps with SIGFPE.  Reported against
   13.0.0; Debian 12's clang-13 and clang-14 are affected, clang-15 is not.
   Adapted from the reproducer in the issue (main's body moved to run()).
   Correct: exit 0 and "OK".  Miscompiled: SIGFPE.  */
#include <stdio.h>

int a, b, c, *d = &c, e, f;

__attribute__((noinline)) int
run (void)
{
  int g[2] = { 0, 0 };
  while (1)
    {
      int *h;
      for (e = 0; e < 2; e++)
        h = &g[e];
      if (h != g || !h)
        while (1)
          {
            a = ~a;
            f = ~0 % a;
            break;
          }
      for (; b < 2; b++)
        if (!(h && *d))
          {
            *g = 0;
            return 0;
          }
    }
  return 1;
}

int
main (void)
{
  if (run () != 0)
    return 1;
  puts ("OK");
  return 0;
}

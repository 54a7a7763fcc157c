/* GCC PR tree-optimization/107176: wrong code at -Os; SCEV analysis of
   b = (uint32_t)(b - 90) + 91 gives the wrong final value of b (here
   -fno-tree-scev-cprop hides it).  Adapted from the public regression test
   gcc/testsuite/gcc.dg/torture/pr107176.c.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

__INT32_TYPE__ a;
__INT64_TYPE__ b;

static inline __INT64_TYPE__
widen (__UINT32_TYPE__ x)
{
  return x;
}

static inline void
store (__INT32_TYPE__ x)
{
  a = x;
}

__attribute__((noipa)) void
step (void)
{
  b = 0;
  for (; b < 1; b = widen (b - 90) + 90 + 1)
    ;
  store (b >> 2);
}

int
main (void)
{
  step ();
  if (a != 1073741824)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

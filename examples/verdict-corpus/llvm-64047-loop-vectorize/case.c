/* LLVM issue #64047 "Wrong code at -O2/3 on x86_64-linux_gnu (a latent
   regression since Clang-15)": LoopVectorize mis-compiles the inner loop
   (i[f] ^= *e > *b), so c ends as 1 instead of 4.  Fixed for clang 17.
   Adapted from the reproducer in the issue (the loops moved to run()).
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

long a, c;
long *b = &a;
char d;
char *const e = &d;
int f, g;

__attribute__((noinline)) void
run (void)
{
  long i[] = { 1, 4, 4, 1, 4, 4 };
  for (; g >= -6; g--)
    {
      f = 0;
      for (; f <= 5; f++)
        c = i[f] ^= *e > *b;
      *e = 1;
    }
}

int
main (void)
{
  run ();
  if (c != 4)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

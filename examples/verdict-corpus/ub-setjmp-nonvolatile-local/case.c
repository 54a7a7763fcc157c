/* Latent bug: a non-volatile local modified between setjmp and longjmp.
   C11 7.13.2.1p3: its value after longjmp is indeterminate.  At -O0 tries
   lives in memory and reads back 1; optimized, it is kept in a register
   and longjmp restores the value it had at setjmp time (0).  GCC's
   -Wclobbered warns about exactly this.  Fix: "volatile int tries".
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1.  */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf env;

__attribute__((noinline)) void
fail (void)
{
  longjmp (env, 1);
}

__attribute__((noinline)) int
attempts (void)
{
  int tries = 0;
  if (setjmp (env) != 0)
    return tries;   /* the author expects 1 */
  tries = 1;
  fail ();
  return -1;
}

int
main (void)
{
  int r = attempts ();
  if (r != 1)
    {
      printf ("BAD: attempts() returned %d\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

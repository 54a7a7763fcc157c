/* GCC PR tree-optimization/110914: the strlen pass drops the "r = 0" store
   because it treats the memcpy as covering r, although its length (l != 0)
   may be 0.  Adapted from the public regression test
   gcc/testsuite/gcc.c-torture/execute/pr110914.c.
   Correct: exit 0 and "OK".  Miscompiled: abort.  */
#include <stdio.h>

__attribute__((noipa)) int
first_byte_or_zero (const char *s, unsigned long l)
{
  unsigned char r = 0;
  __builtin_memcpy (&r, s, l != 0);   /* copies 1 byte, or nothing */
  return r;
}

int
main (void)
{
  const char *p = "123456";
  int a = first_byte_or_zero (p, __builtin_strlen (p) - 5);   /* l == 1 */
  int b = first_byte_or_zero (p, __builtin_strlen (p) - 6);   /* l == 0 */
  if (a != '1' || b != 0)
    __builtin_abort ();
  puts ("OK");
  return 0;
}

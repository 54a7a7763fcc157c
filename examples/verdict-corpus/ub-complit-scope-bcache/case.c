/* Latent bug: a pointer to a compound literal used after the block that
   contains it has ended.  Modelled on the Linux bcache corruption with GCC 9
   (kernel bugzilla 203573): bcache's PRECEDING_KEY() macro took the address
   of a KEY(...) compound literal inside an if-block and used it afterwards;
   GCC 9 started to reuse that stack slot for another temporary, and the
   fix was in the kernel ("bcache: fix stack corruption by PRECEDING_KEY()").
   Here GCC reuses the literal's slot for `it`; clang does not.
   Correct (as the author expected): exit 0 and "OK".  Exposed: exit 1.  */
#include <stdio.h>
#include <string.h>

struct bkey
{
  unsigned long high, low;
};

#define KEY(inode, offset) ((struct bkey){ .high = (inode), .low = (offset) })

struct iter
{
  struct bkey buf[4];
  int used;
};

__attribute__((noinline)) void
iter_init (struct iter *it)
{
  memset (it, 0, sizeof *it);
}

/* The offset of the key that precedes (inode, offset), or 0.  */
__attribute__((noinline)) unsigned long
preceding_offset (unsigned long inode, unsigned long offset)
{
  struct bkey *prev = NULL;
  if (inode || offset)
    {
      if (offset)
        prev = &KEY (inode, offset - 1);
      else
        prev = &KEY (inode - 1, ~0UL);
    } /* the compound literals' lifetime ends here */
  struct iter it;
  iter_init (&it);
  return prev ? prev->low + it.used : 0;
}

int
main (void)
{
  unsigned long r = preceding_offset (3, 100);
  if (r != 99)
    {
      printf ("BAD: %lu\n", r);
      return 1;
    }
  puts ("OK");
  return 0;
}

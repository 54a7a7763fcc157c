/* memtest.c - aligned buffers for the SIMD paths, and the allocator's self-test.
 *
 * The self-test checks that an absurd request is refused cleanly (posix_memalign returns
 * ENOMEM and the pool hands back NULL) rather than crashing the caller.  Under AddressSanitizer
 * that request is itself a report: ASan aborts with "requested allocation size ... exceeds
 * maximum supported size" (allocation-size-too-big) unless allocator_may_return_null=1.  That is
 * the allocator being strict about a test that is deliberate, not a bug in this program. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lib.h"

void *pool_alloc_aligned(size_t size, size_t align)
{
    void *p = NULL;

    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return NULL;
    if (posix_memalign(&p, align, size) != 0)
        return NULL;
    return p;
}

void pool_free(void *p)
{
    free(p);
}

/* A size no machine can satisfy, computed at run time so that no compiler folds the call. */
static size_t absurd_size(void)
{
    volatile unsigned shift = 62;

    return (size_t)1 << shift;
}

int memtest_selftest(void)
{
    unsigned char *a = pool_alloc_aligned(4096, 64);
    void *huge;
    int rc = 0;

    if (!a)
        return 1;
    if (((uintptr_t)a & 63u) != 0)
        rc = 2;
    memset(a, 0xA5, 4096);
    if (a[0] != 0xA5 || a[4095] != 0xA5)
        rc = 3;
    if (pool_alloc_aligned(64, 3) != NULL)   /* alignment not a power of two */
        rc = 4;
    huge = pool_alloc_aligned(absurd_size(), 64);   /* must be refused */
    if (huge != NULL) {
        pool_free(huge);
        rc = 5;
    }
    pool_free(a);
    return rc;
}

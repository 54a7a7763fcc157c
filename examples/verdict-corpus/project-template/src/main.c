/* main.c - runs the library's self-tests, then the case (case_main, the case's own main()).
 * Prints one line per self-test and "prog: all N checks passed" when everything holds;
 * exits 0 then and 1 otherwise.  A miscompiled case may also abort or crash. */
#include <stdio.h>
#include "lib.h"

int case_main(void);

static const struct {
    const char *name;
    int (*run)(void);
} selftests[] = {
    {"adler32", adler32_selftest},   {"base64", base64_selftest},
    {"bitops", bitops_selftest},     {"bitset", bitset_selftest},
    {"bloom", bloom_selftest},       {"bsearch", bsearch_selftest},
    {"crc32", crc32_selftest},       {"date", date_selftest},
    {"fixedpt", fixedpt_selftest},   {"fnv", fnv_selftest},
    {"geom", geom_selftest},         {"hashtab", hashtab_selftest},
    {"heap", heap_selftest},         {"hex", hex_selftest},
    {"intmath", intmath_selftest},   {"list", list_selftest},
    {"lru", lru_selftest},           {"matrix", matrix_selftest},
    {"memtest", memtest_selftest},   {"ringbuf", ringbuf_selftest},
    {"rle", rle_selftest},           {"rpn", rpn_selftest},
    {"sort", sort_selftest},         {"stats", stats_selftest},
    {"strbuf", strbuf_selftest},     {"strutil", strutil_selftest},
    {"tokenizer", tokenizer_selftest}, {"utf8", utf8_selftest},
    {"varint", varint_selftest},     {"vec", vec_selftest},
    {"xorshift", xorshift_selftest},
};

int main(void)
{
    const int n = (int)(sizeof selftests / sizeof selftests[0]);
    int failed = 0, rc;

    setvbuf(stdout, NULL, _IOLBF, 0);   /* keep the lines printed before an abort */
    for (int i = 0; i < n; i++) {
        rc = selftests[i].run();
        printf("selftest %-10s %s", selftests[i].name, rc ? "FAIL" : "ok");
        if (rc)
            printf(" (check %d)", rc);
        putchar('\n');
        failed += rc != 0;
    }
    fflush(stdout);
    rc = case_main();
    printf("case: %s\n", rc ? "FAIL" : "ok");
    failed += rc != 0;
    if (failed) {
        printf("prog: %d of %d checks failed\n", failed, n + 1);
        return 1;
    }
    printf("prog: all %d checks passed\n", n + 1);
    return 0;
}

/* lib.h - the utility library around the case: small, deterministic, UB-free modules.
 * Every module has a self-test, <module>_selftest(), that returns 0 when it works. */
#ifndef LIB_H
#define LIB_H

#include <stddef.h>
#include <stdint.h>

/* checksums and hashes */
uint32_t crc32_update(uint32_t crc, const void *data, size_t n);
uint32_t adler32_update(uint32_t adler, const void *data, size_t n);
uint32_t fnv1a32(const void *data, size_t n);
uint64_t fnv1a64(const void *data, size_t n);

/* pseudo-random numbers */
struct xs_state { uint32_t s; };
void xs_seed(struct xs_state *st, uint32_t seed);
uint32_t xs_next(struct xs_state *st);
uint32_t xs_below(struct xs_state *st, uint32_t bound);

/* text encodings */
size_t b64_encode(const unsigned char *in, size_t n, char *out);
long b64_decode(const char *in, unsigned char *out);
size_t hex_encode(const unsigned char *in, size_t n, char *out);
long hex_decode(const char *in, unsigned char *out);
size_t rle_encode(const char *in, char *out, size_t cap);
size_t rle_decode(const char *in, char *out, size_t cap);
int utf8_decode(const char *s, uint32_t *cps, int max);
int utf8_encode(uint32_t cp, char *out);
size_t varint_put(uint64_t v, unsigned char *out);
size_t varint_get(const unsigned char *in, size_t n, uint64_t *v);
uint64_t zigzag_enc(int64_t v);
int64_t zigzag_dec(uint64_t v);

/* string builder */
struct strbuf { char *data; size_t len, cap; };
void sb_init(struct strbuf *sb);
int sb_append(struct strbuf *sb, const char *s);
int sb_appendf(struct strbuf *sb, const char *fmt, ...);
void sb_free(struct strbuf *sb);

/* string utilities */
char *su_trim(char *s);
int su_split(char *s, char sep, char **parts, int max);
void su_upper(char *s);
int su_starts_with(const char *s, const char *prefix);

/* containers */
struct hashtab;
struct hashtab *ht_new(void);
int ht_put(struct hashtab *t, const char *key, long value);
int ht_get(const struct hashtab *t, const char *key, long *value);
int ht_del(struct hashtab *t, const char *key);
size_t ht_count(const struct hashtab *t);
void ht_free(struct hashtab *t);

struct ivec { long *v; size_t n, cap; };
void iv_init(struct ivec *iv);
int iv_push(struct ivec *iv, long x);
int iv_insert(struct ivec *iv, size_t at, long x);
long iv_erase(struct ivec *iv, size_t at);
void iv_free(struct ivec *iv);

struct ring { unsigned char buf[64]; unsigned head, tail, count; };
void ring_init(struct ring *r);
int ring_push(struct ring *r, unsigned char c);
int ring_pop(struct ring *r, unsigned char *c);

struct minheap { long *v; size_t n, cap; };
void mh_init(struct minheap *h);
int mh_push(struct minheap *h, long x);
int mh_pop(struct minheap *h, long *x);
void mh_free(struct minheap *h);

struct dnode { struct dnode *prev, *next; long value; };
struct dlist { struct dnode head; size_t n; };
void dl_init(struct dlist *l);
void dl_push_back(struct dlist *l, struct dnode *node);
void dl_remove(struct dlist *l, struct dnode *node);
void dl_reverse(struct dlist *l);

struct lru;
struct lru *lru_new(unsigned capacity);
int lru_get(struct lru *c, int key, int *value);
void lru_put(struct lru *c, int key, int value);
void lru_free(struct lru *c);

struct bloom { unsigned char bits[256]; };
void bloom_init(struct bloom *b);
void bloom_add(struct bloom *b, const char *key);
int bloom_maybe(const struct bloom *b, const char *key);

struct bitset { uint64_t w[16]; };   /* 1024 bits */
void bs_clear_all(struct bitset *b);
void bs_set(struct bitset *b, unsigned i);
void bs_reset(struct bitset *b, unsigned i);
int bs_test(const struct bitset *b, unsigned i);
unsigned bs_count(const struct bitset *b);

/* algorithms */
void sort_merge(long *v, size_t n);
void sort_insertion(long *v, size_t n);
size_t bs_lower_bound(const long *v, size_t n, long key);
size_t bs_upper_bound(const long *v, size_t n, long key);
uint64_t im_gcd(uint64_t a, uint64_t b);
uint64_t im_isqrt(uint64_t x);
uint32_t im_powmod(uint32_t base, uint32_t exp, uint32_t mod);
long days_from_civil(long y, unsigned m, unsigned d);
void civil_from_days(long z, long *y, unsigned *m, unsigned *d);
unsigned weekday_from_days(long z);
void mat4_mul(const long a[4][4], const long b[4][4], long out[4][4]);
long mat4_det(const long m[4][4]);
int rpn_eval(const char *expr, long *result);
int32_t fx_from_int(int v);
int32_t fx_mul(int32_t a, int32_t b);
int32_t fx_div(int32_t a, int32_t b);
int fx_round(int32_t a);
unsigned bo_popcount(uint32_t x);
unsigned bo_clz(uint32_t x);
uint32_t bo_reverse(uint32_t x);
uint32_t bo_rotl(uint32_t x, unsigned r);
double st_mean(const int *v, size_t n);
double st_stddev(const int *v, size_t n);
long st_median(long *v, size_t n);
long geo_area2(const long *xy, size_t npts);
int geo_inside(const long *xy, size_t npts, long px, long py);
double geo_dist(double x0, double y0, double x1, double y1);

/* tokenizer */
enum tok_kind { TOK_END, TOK_IDENT, TOK_NUMBER, TOK_STRING, TOK_PUNCT, TOK_ERROR };
struct token { enum tok_kind kind; const char *start; size_t len; };
struct lexer { const char *p; };
void lex_init(struct lexer *lx, const char *src);
struct token lex_next(struct lexer *lx);

/* aligned buffers */
void *pool_alloc_aligned(size_t size, size_t align);
void pool_free(void *p);

/* self-tests: 0 when the module works */
int adler32_selftest(void);
int base64_selftest(void);
int bitops_selftest(void);
int bitset_selftest(void);
int bloom_selftest(void);
int bsearch_selftest(void);
int crc32_selftest(void);
int date_selftest(void);
int fixedpt_selftest(void);
int fnv_selftest(void);
int geom_selftest(void);
int hashtab_selftest(void);
int heap_selftest(void);
int hex_selftest(void);
int intmath_selftest(void);
int list_selftest(void);
int lru_selftest(void);
int matrix_selftest(void);
int memtest_selftest(void);
int ringbuf_selftest(void);
int rle_selftest(void);
int rpn_selftest(void);
int sort_selftest(void);
int stats_selftest(void);
int strbuf_selftest(void);
int strutil_selftest(void);
int tokenizer_selftest(void);
int utf8_selftest(void);
int varint_selftest(void);
int vec_selftest(void);
int xorshift_selftest(void);

#endif

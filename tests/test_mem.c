/* Tests of mem.c: the allocation hook, failure injection, and the large
** blocks that ask for transparent huge pages (2 MiB aligned from
** chiso_malloc; usable, resizable and freed like any other block). */
#include "testutil.h"

#include <stdint.h>

#define MIB ((size_t)1 << 20)

static void test_large_blocks(void **state) {
  (void)state;
  size_t n = 9 * MIB + 123;
  unsigned char *p = chiso_malloc(n);
  assert_non_null(p);
  assert_int_equal((uintptr_t)p % (2 * MIB), 0); /* whole huge pages from the start */
  for (size_t i = 0; i < n; i += 4096) p[i] = (unsigned char)(i / 4096);
  p[n - 1] = 0xAB;
  unsigned char *q = chiso_realloc(p, 30 * MIB);
  assert_non_null(q);
  for (size_t i = 0; i < n - 1; i += 4096) assert_int_equal(q[i], (unsigned char)(i / 4096));
  assert_int_equal(q[n - 1], 0xAB);
  q[30 * MIB - 1] = 1;
  q = chiso_realloc(q, 5 * MIB); /* shrinking keeps the start */
  assert_non_null(q);
  assert_int_equal(q[4096], 1);
  chiso_free(q);
  double *z = chiso_calloc(3 * MIB, sizeof *z);
  assert_non_null(z);
  for (size_t i = 0; i < 3 * MIB; i += 997) assert_true(z[i] == 0.0);
  chiso_free(z);
  /* small blocks keep the C library's placement */
  char *s = chiso_malloc(100);
  assert_non_null(s);
  chiso_free(s);
}

static void test_injected_failures(void **state) {
  (void)state;
  chiso_mem_fail_after(1);
  void *a = chiso_malloc(16), *b = chiso_malloc(8 * MIB), *c = chiso_calloc(1, 8 * MIB);
  chiso_mem_fail_after(-1);
  assert_non_null(a);
  assert_null(b);
  assert_null(c);
  chiso_free(a);
  void *big = chiso_malloc(8 * MIB);
  assert_non_null(big);
  chiso_mem_fail_after(0);
  assert_null(chiso_realloc(big, 16 * MIB)); /* big is left as it was */
  chiso_mem_fail_after(-1);
  chiso_free(big);
  chiso_free(NULL);
}

static void test_grow(void **state) {
  (void)state;
  int *v = NULL;
  size_t cap = 0;
  assert_int_equal(chiso_grow((void **)&v, &cap, 3, sizeof *v), 0);
  assert_true(cap >= 3);
  assert_int_equal(chiso_grow((void **)&v, &cap, 2 * MIB, sizeof *v), 0);
  assert_true(cap >= 2 * MIB);
  v[2 * MIB - 1] = 7;
  assert_int_equal(chiso_grow((void **)&v, &cap, SIZE_MAX / 2, sizeof *v), CHISO_ENOMEM);
  assert_int_equal(v[2 * MIB - 1], 7);
  chiso_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_large_blocks),
      cmocka_unit_test(test_injected_failures),
      cmocka_unit_test(test_grow),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

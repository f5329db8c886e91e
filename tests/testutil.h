/* testutil.h — includes and small helpers shared by the cmocka tests. */
#ifndef CHISO_TESTUTIL_H
#define CHISO_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "chiso_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Assert |a - b| <= tol, printing both numbers on failure. */
#define assert_close(a, b, tol)                                                \
  do {                                                                         \
    double a_ = (a), b_ = (b);                                                 \
    if (!(fabs(a_ - b_) <= (tol))) {                                           \
      print_error("%s = %.17g, expected %.17g (tol %g)\n", #a, a_, b_,         \
                  (double)(tol));                                              \
      fail();                                                                  \
    }                                                                          \
  } while (0)

/* The whole file as a NUL-terminated string (malloc; the caller frees it),
** or NULL when it cannot be read. */
static inline char *test_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = (char *)malloc((size_t)(n < 0 ? 0 : n) + 1);
  size_t got = s ? fread(s, 1, (size_t)(n < 0 ? 0 : n), f) : 0;
  if (s) s[got] = '\0';
  fclose(f);
  return s;
}

/* cmocka group fixtures that build the province registry once per test
** file; each test finds it in *state (`const geo_registry *reg = *state;`). */
static inline int test_registry_setup(void **state) {
  chiso_err err;
  geo_registry *r = NULL;
  int rc = geo_registry_new(&r, &err);
  *state = r;
  return rc;
}

static inline int test_registry_teardown(void **state) {
  geo_registry_free(*state);
  return 0;
}

#endif

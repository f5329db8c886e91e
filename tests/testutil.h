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

/* One respondent of a test survey with two yes/no questions. */
typedef struct test_yesno_row {
  const char *code; /* province */
  double w;         /* weight */
  double email, web; /* q_email, q_web answers (1, 0, or NaN) */
} test_yesno_row;

/* A coded survey of `year` from n rows: variables q_email and q_web, one
** stratum "all", respondent ids R0, R1, ... and source rows 2, 3, ...
** NULL out of memory; free with survey_free. */
static inline survey_data *test_survey_yesno(const test_yesno_row *rows, size_t n, int year) {
  survey_data *s = survey_new(n, 2);
  if (!s) return NULL;
  s->year = year;
  s->stratum_names = (char **)chiso_calloc(1, sizeof(char *));
  s->stratum_names[0] = chiso_strdup("all");
  s->n_strata = 1;
  s->weight = (double *)chiso_malloc(n * sizeof(double));
  s->vars[0].id = chiso_strdup("q_email");
  s->vars[1].id = chiso_strdup("q_web");
  for (size_t i = 0; i < n; i++) {
    char id[16];
    snprintf(id, sizeof id, "R%zu", i);
    s->respondent_id[i] = chiso_strdup(id);
    memcpy(s->province[i], rows[i].code, 3);
    s->stratum[i] = 0;
    s->source_row[i] = (long)i + 2;
    s->weight[i] = rows[i].w;
    s->vars[0].values[i] = rows[i].email;
    s->vars[1].values[i] = rows[i].web;
  }
  return s;
}

#endif

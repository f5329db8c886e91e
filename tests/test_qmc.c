/* Tests of qmc.c: Sobol points against hand-worked values of the
** Bratley–Fox recurrence in Gray-code order, and 1-D stratification. */
#include "testutil.h"

static void test_first_points(void **state) {
  (void)state;
  qmc_sobol q;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(qmc_sobol_init(&q, 3, &err), 0);
  /* dim 1: van der Corput in Gray order; dim 2: s=1,a=0,m=(1);
  ** dim 3: s=2,a=1,m=(1,3) -> m_3 = 3, v = .5, .75, .375 (worked by hand). */
  const double want[8][3] = {{0, 0, 0},         {.5, .5, .5},       {.75, .25, .25},
                             {.25, .75, .75},   {.375, .375, .625}, {.875, .875, .125},
                             {.625, .125, .875}, {.125, .625, .375}};
  for (uint32_t i = 0; i < 8; i++) {
    double x[3];
    qmc_sobol_point(&q, i, x);
    for (int j = 0; j < 3; j++) assert_close(x[j], want[i][j], 0);
  }
}

/* The first 2^m points put exactly one point in each interval of width
** 2^-m, in every dimension (a property of any Sobol sequence). */
static void test_stratified(void **state) {
  (void)state;
  qmc_sobol q;
  assert_int_equal(qmc_sobol_init(&q, 64, NULL), 0);
  enum { M = 1024 };
  static int hits[64][M];
  memset(hits, 0, sizeof hits);
  for (uint32_t i = 0; i < M; i++) {
    double x[64];
    qmc_sobol_point(&q, i, x);
    for (int j = 0; j < 64; j++) hits[j][(int)(x[j] * M)]++;
  }
  for (int j = 0; j < 64; j++)
    for (int b = 0; b < M; b++) assert_int_equal(hits[j][b], 1);
}

static void test_bad_dim(void **state) {
  (void)state;
  qmc_sobol q;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(qmc_sobol_init(&q, 65, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "64"));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_first_points),
                                     cmocka_unit_test(test_stratified),
                                     cmocka_unit_test(test_bad_dim)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

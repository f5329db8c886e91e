/* Tests of harmonise.c. The survey is hand-made; the expected estimates are
** weighted shares worked by hand in the comments. The weighted share
** below is a minimal stand-in for the estimator (sum w y / sum w over the
** respondents of a unit), enough to show what the estimator will see. */
#include "testutil.h"

/* The registry of the group fixture (testutil.h), set by each test that needs it. */
static const geo_registry *reg;

static double weighted_share(const survey_data *s, const char *code, const double *y) {
  double sw = 0, swy = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (strcmp(s->province[i], code) || isnan(y[i])) continue;
    sw += s->weight[i];
    swy += s->weight[i] * y[i];
  }
  return sw > 0 ? swy / sw : NAN;
}

/* 2024: Hà Nội (01, unchanged in 2025), TP.HCM (79), Bình Dương (74) and
** Bà Rịa - Vũng Tàu (77), the last three merged into 79 in 2025. */
static survey_data *make_survey(void) {
  static const char *prov[] = {"01", "01", "01", "79", "79", "74", "74", "77", "77"};
  static const double w[] = {10, 20, 30, 5, 15, 10, 30, 20, 7};
  static const double y[] = {1, 0, 1, 1, 1, 0, 1, 0, NAN};
  static const int strata[] = {0, 1, 2, 0, 1, 0, 2, 1, 1};
  survey_data *s = survey_new(9, 1);
  assert_non_null(s);
  s->year = 2024;
  s->weight = chiso_malloc(9 * sizeof(double));
  assert_non_null(s->weight);
  for (size_t i = 0; i < 9; i++) {
    memcpy(s->province[i], prov[i], 3);
    s->weight[i] = w[i];
    s->stratum[i] = strata[i];
    s->source_row[i] = (long)i + 2;
    s->vars[0].values[i] = y[i];
  }
  return s;
}

static void test_survey_to_34(void **state) {
  reg = *state;
  survey_data *s = make_survey();
  const double *y = s->vars[0].values;
  chiso_err err;
  /* Before: 01 = (10+30)/60; 79 = 20/20; 74 = 30/40; 77 = 0/20 (the NaN is skipped). */
  double hn63 = weighted_share(s, "01", y);
  assert_close(hn63, 40.0 / 60, 1e-15);
  assert_close(weighted_share(s, "74", y), 0.75, 1e-15);
  assert_int_equal(harmonise_survey_to_34(reg, s, &err), CHISO_OK);
  /* Unchanged province: exactly its 63-unit estimate. */
  assert_true(weighted_share(s, "01", y) == hn63);
  /* Merged 79: the union of 79, 74 and 77: (5+15 + 30 + 0) / (20 + 40 + 20) = 50/80. */
  assert_close(weighted_share(s, "79", y), 50.0 / 80, 1e-15);
  assert_true(isnan(weighted_share(s, "74", y)));
  /* Design kept; the former province remembered. */
  static const double w[] = {10, 20, 30, 5, 15, 10, 30, 20, 7};
  static const int strata[] = {0, 1, 2, 0, 1, 0, 2, 1, 1};
  for (size_t i = 0; i < 9; i++) {
    assert_true(s->weight[i] == w[i]);
    assert_int_equal(s->stratum[i], strata[i]);
  }
  assert_string_equal(s->province[5], "79");
  assert_string_equal(s->province_old[5], "74");
  assert_string_equal(s->province_old[0], "01");
  assert_int_equal(s->year, 2024);
  survey_free(s);
}

static void test_survey_errors_and_2025(void **state) {
  reg = *state;
  chiso_err err;
  survey_data *s = make_survey();
  memcpy(s->province[4], "99", 3);
  assert_int_equal(harmonise_survey_to_34(reg, s, &err), CHISO_EDATA);
  assert_int_equal(err.row, 6);
  assert_non_null(strstr(err.message, "'99' is not a province code of 2024"));
  assert_string_equal(s->province[5], "74"); /* unchanged on failure */
  assert_string_equal(s->province_old[5], "");
  /* A 2025 survey is already on the 34 units. */
  s->year = 2025;
  assert_int_equal(harmonise_survey_to_34(reg, s, &err), CHISO_OK);
  assert_string_equal(s->province[5], "74");
  survey_free(s);
}

static void test_table_to_34(void **state) {
  reg = *state;
  /* Two columns. 79 <- 79 (60, w 200), 74 (40, w 50), 77 (30, w 30):
  ** (12000 + 2000 + 900) / 280. Unit 08 <- 02 Hà Giang (missing) and 08
  ** Tuyên Quang (5, w 10; w 02 = 30): 5, coverage 10/40. Hà Nội copied. */
  double v63[63 * 2], w63[63], v34[34 * 2], cov[34 * 2];
  unsigned char approx[34];
  for (size_t i = 0; i < 63; i++) {
    v63[i * 2] = v63[i * 2 + 1] = NAN;
    w63[i] = 1;
  }
#define SET(code, a, b, w)                                                     \
  do {                                                                         \
    int ix = geo_find_code(reg, GEO_ERA_63, code)->index;                      \
    v63[ix * 2] = (a);                                                         \
    v63[ix * 2 + 1] = (b);                                                     \
    w63[ix] = (w);                                                             \
  } while (0)
  SET("79", 60, 1, 200);
  SET("74", 40, 2, 50);
  SET("77", 30, 3, 30);
  SET("08", 5, NAN, 10);
  SET("02", NAN, NAN, 30);
  SET("01", 70.25, 0.5, 999);
  chiso_err err;
  assert_int_equal(harmonise_table_to_34(reg, v63, 2, w63, v34, approx, cov, &err), CHISO_OK);
  int hcm = geo_find_code(reg, GEO_ERA_34, "79")->index;
  int tq = geo_find_code(reg, GEO_ERA_34, "08")->index;
  int hn = geo_find_code(reg, GEO_ERA_34, "01")->index;
  assert_close(v34[hcm * 2], 14900.0 / 280, 1e-12);
  assert_close(v34[hcm * 2 + 1], (200.0 + 100 + 90) / 280, 1e-12);
  assert_int_equal(approx[hcm], 1);
  assert_close(cov[hcm * 2], 1, 0);
  assert_close(v34[tq * 2], 5, 0);
  assert_close(cov[tq * 2], 0.25, 1e-15);
  assert_true(isnan(v34[tq * 2 + 1]));
  assert_int_equal(approx[tq], 1);
  assert_true(v34[hn * 2] == 70.25);
  assert_int_equal(approx[hn], 0);
  /* A member with a value but no weight. */
  SET("74", 40, 2, NAN);
  assert_int_equal(harmonise_table_to_34(reg, v63, 2, w63, v34, NULL, NULL, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "province 74"));
#undef SET
}

static void test_check_view(void **state) {
  reg = *state;
  chiso_err err;
  assert_int_equal(harmonise_check_view(2024, GEO_ERA_63, &err), CHISO_OK);
  assert_int_equal(harmonise_check_view(2024, GEO_ERA_34, &err), CHISO_OK);
  assert_int_equal(harmonise_check_view(2026, GEO_ERA_34, &err), CHISO_OK);
  assert_int_equal(harmonise_check_view(2025, GEO_ERA_63, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "a 63-province view of 2025 is impossible"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_survey_to_34),
      cmocka_unit_test(test_survey_errors_and_2025),
      cmocka_unit_test(test_table_to_34),
      cmocka_unit_test(test_check_view),
  };
  return cmocka_run_group_tests(tests, test_registry_setup, test_registry_teardown);
}

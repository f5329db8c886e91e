/* Tests of audit.c against base R (tests/reference/audit.R, output in
** tests/reference/out/audit.txt) and a hand-checked eigenproblem. */
#include "testutil.h"

static const double A[] = {1, 2, 3, 4, 5, 6}, B[] = {2, 1, 4, 3, 6, 5}, C[] = {1, 3, 2, 5, 4, 9};

static void test_correlations(void **state) {
  (void)state;
  assert_close(audit_pearson(A, C, 6), 0.86931828792122257, 1e-12);
  double r;
  assert_int_equal(audit_spearman(B, C, 6, &r), 0);
  assert_close(r, 0.48571428571428571, 1e-12);
  assert_int_equal(audit_spearman((const double[]){1, 2, 2, 3}, (const double[]){1, 3, 3, 2}, 4, &r), 0);
  assert_close(r, 0.33333333333333337, 1e-12); /* ties: average ranks */
  const double xm[] = {1, NAN, 3, 4}, ym[] = {2, 5, NAN, 8};
  assert_true(isnan(audit_pearson(xm, ym, 4))); /* only 2 complete pairs */
}

static void test_alpha_pca(void **state) {
  (void)state;
  const double *cols[] = {A, B, C};
  assert_close(audit_cronbach(cols, 3, 6), 0.8607954545454547, 1e-12);
  double ve[3], ld[3];
  size_t used;
  chiso_err err;
  assert_int_equal(audit_pca(cols, 3, 6, ve, ld, &used, &err), 0);
  assert_int_equal(used, 6);
  assert_close(ve[0], 0.8237713470027764329, 1e-10);
  assert_close(ve[1], 0.1698318031664036998, 1e-10);
  assert_close(ve[2], 0.0063968498308198257, 1e-10);
  assert_close(ld[0], 0.63230560730168917, 1e-10);
  assert_close(ld[1], 0.54120614245394660, 1e-10);
  assert_close(ld[2], 0.55433341081425025, 1e-10);
  const double K[] = {5, 5, 5, 5, 5, 5};
  const double *bad[] = {A, K};
  assert_int_equal(audit_pca(bad, 2, 6, ve, ld, &used, &err), CHISO_EDATA);
}

static void test_jacobi(void **state) {
  (void)state;
  /* [[2,1],[1,2]]: eigenvalues 3 and 1, vectors (1,1)/√2 and (1,-1)/√2 */
  double a[] = {2, 1, 1, 2}, val[2], vec[4];
  audit_jacobi(a, 2, val, vec);
  assert_close(val[0], 3, 1e-12);
  assert_close(val[1], 1, 1e-12);
  assert_close(fabs(vec[0]), sqrt(0.5), 1e-12);
  assert_close(vec[0] * vec[2], 0.5, 1e-12);
}

static void test_describe(void **state) {
  (void)state;
  const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100, NAN};
  audit_desc d;
  audit_describe(x, 13, &d);
  assert_int_equal(d.n, 12);
  assert_close(d.missing_pct, 100.0 / 13, 1e-12);
  assert_close(d.min, 1, 0);
  assert_close(d.max, 100, 0);
  assert_close(d.mean, 185.0 / 12, 1e-12);
  assert_close(d.skew, 3.0632410342394985, 1e-12); /* tests/reference/out/winsorise.txt */
  assert_close(d.kurt, 9.7413908345691436, 1e-12);
  assert_int_equal(d.outlier, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_correlations), cmocka_unit_test(test_alpha_pca),
      cmocka_unit_test(test_jacobi), cmocka_unit_test(test_describe)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

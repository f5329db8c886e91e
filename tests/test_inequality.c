/* Tests of divide.c. Golden numbers: hand-worked small vectors (worked in
** the comments) and tests/reference/divide_expected.csv, written by base R
** from the textbook formulas and lm() (tests/reference/divide_reference.R)
** on tests/reference/divide_input.csv. */
#include "testutil.h"

#include <stdlib.h>

/* ---- hand-worked cases ----------------------------------------------------- */

static void test_gini_hand(void **state) {
  (void)state;
  /* {1,2,3,4}: sum over ordered pairs of |xi - xj| = 2 * (1+2+3+1+2+1) = 20;
  ** G = 20 / (2 * 4^2 * 2.5) = 0.25. */
  const double x[] = {4, 1, 3, 2};
  assert_close(inequality_gini(x, 4), 0.25, 1e-15);
  const double eq[] = {5, 5, 5};
  assert_close(inequality_gini(eq, 3), 0.0, 1e-15);
  /* One unit holds everything among n = 4: G = (n-1)/n = 0.75. */
  const double one[] = {0, 0, 0, 7};
  assert_close(inequality_gini(one, 4), 0.75, 1e-15);
  const double neg[] = {1, -1};
  assert_true(isnan(inequality_gini(neg, 2)));
}

static void test_theil_hand(void **state) {
  (void)state;
  /* {2,2,4,4} in groups {0,0,1,1}: mu = 3, no inequality inside a group,
  ** so all of T and L is between groups.
  ** T = (1/4)[2 (2/3) ln(2/3) + 2 (4/3) ln(4/3)], L = (1/4)[2 ln(3/2) + 2 ln(3/4)]. */
  const double x[] = {2, 2, 4, 4};
  const int g[] = {0, 0, 1, 1};
  inequality_decomp t, l;
  chiso_err err;
  assert_int_equal(inequality_theil(x, g, 4, 2, &t, &l, &err), CHISO_OK);
  double T = 0.5 * (2.0 / 3 * log(2.0 / 3) + 4.0 / 3 * log(4.0 / 3));
  double L = 0.5 * (log(1.5) + log(0.75));
  assert_close(t.total, T, 1e-15);
  assert_close(t.between, T, 1e-15);
  assert_close(t.within, 0, 1e-15);
  assert_close(l.total, L, 1e-15);
  assert_close(l.between, L, 1e-15);
  /* Groups {0,1,0,1}: the group means are equal, all of it is within. */
  const int g2[] = {0, 1, 0, 1};
  assert_int_equal(inequality_theil(x, g2, 4, 2, &t, &l, &err), CHISO_OK);
  assert_close(t.between, 0, 1e-15);
  assert_close(t.within, T, 1e-15);
  assert_close(l.within, L, 1e-15);
  /* A zero: T is defined (0 ln 0 = 0), L is not. {0, 2}: mu = 1, T = (1/2) 2 ln 2. */
  const double z[] = {0, 2};
  assert_int_equal(inequality_theil(z, NULL, 2, 1, &t, &l, &err), CHISO_OK);
  assert_close(t.total, log(2.0), 1e-15);
  assert_true(isnan(l.total));
  /* Bad input. */
  const int bad[] = {0, 3};
  assert_int_equal(inequality_theil(z, bad, 2, 2, &t, &l, &err), CHISO_EDATA);
  const double m[] = {1, NAN};
  assert_int_equal(inequality_theil(m, NULL, 2, 1, &t, &l, &err), CHISO_EDATA);
}

static void test_quantile_lorenz_topk(void **state) {
  (void)state;
  /* Type 7 on {1,2,3,4}: h = 3p (0-based); p=.1 -> 1.3, p=.9 -> 3.7, p=.5 -> 2.5. */
  const double s[] = {1, 2, 3, 4};
  assert_close(quantile_sorted(s, 4, 0.1, 1), 1.3, 1e-15);
  assert_close(quantile_sorted(s, 4, 0.9, 1), 3.7, 1e-15);
  assert_close(quantile_sorted(s, 4, 0.5, 1), 2.5, 1e-15);
  assert_close(quantile_sorted(s, 4, 1.0, 1), 4, 0);
  assert_close(quantile_sorted(s, 1, 0.3, 1), 1, 0);
  double px[5], py[5];
  chiso_err err;
  const double x[] = {3, 1, 4, 2};
  assert_int_equal(inequality_lorenz(x, 4, px, py, &err), CHISO_OK);
  const double wy[] = {0, 0.1, 0.3, 0.6, 1.0};
  for (int i = 0; i < 5; i++) {
    assert_close(px[i], i / 4.0, 1e-15);
    assert_close(py[i], wy[i], 1e-15);
  }
  /* Top 2 of {3,1,4,2}: (4+3)/10. */
  assert_close(inequality_top_k_share(x, 4, 2), 0.7, 1e-15);
  assert_close(inequality_top_k_share(x, 4, 9), 1.0, 1e-15);
}

static void test_concentration_hand(void **state) {
  (void)state;
  /* 01: 30, 79: 40, 31: 20, 48: 10 -> HN+HCM 70 of 100; HHI = .09+.16+.04+.01. */
  const char *codes[] = {"31", "01", "48", "79", "92"};
  const double v[] = {20, 30, 10, 40, NAN};
  inequality_concentration c;
  chiso_err err;
  assert_int_equal(inequality_concentration_compute(codes, v, 5, &c, &err), CHISO_OK);
  assert_int_equal(c.n, 4);
  assert_close(c.total, 100, 0);
  assert_close(c.hn_hcm_share, 0.7, 1e-15);
  assert_close(c.outside_share, 0.3, 1e-15);
  assert_close(c.hhi, 0.30, 1e-15);
  assert_close(c.top5_share, 1.0, 1e-15);
  const double neg[] = {20, -1, 10, 40, 1};
  assert_int_equal(inequality_concentration_compute(codes, neg, 5, &c, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "province 01"));
  const double zero[] = {0, 0, 0, 0, 0};
  assert_int_equal(inequality_concentration_compute(codes, zero, 5, &c, &err), CHISO_EDATA);
}

static void test_share_interval(void **state) {
  (void)state;
  /* Five replicates whose HN+HCM shares are .5,.6,.7,.8,.9 (HN+HCM = 10s,
  ** other = 10 - s). 90% interval, type 7: h = 4 * .05 = .2 -> .52; h = 3.8 -> .88. */
  const char *codes[] = {"01", "79", "22"};
  double rep[15];
  const double s[] = {0.7, 0.5, 0.9, 0.6, 0.8};
  for (int r = 0; r < 5; r++) {
    rep[r * 3 + 0] = 4 * s[r];
    rep[r * 3 + 1] = 6 * s[r];
    rep[r * 3 + 2] = 10 - 10 * s[r];
  }
  double lo, hi;
  chiso_err err;
  assert_int_equal(inequality_share_interval(codes, rep, 3, 5, 0.90, &lo, &hi, &err), CHISO_OK);
  assert_close(lo, 0.52, 1e-12);
  assert_close(hi, 0.88, 1e-12);
  assert_int_equal(inequality_share_interval(codes, rep, 3, 1, 0.90, &lo, &hi, &err), CHISO_EDATA);
}

static void test_catch_up_and_growth(void **state) {
  (void)state;
  /* 50 growing 10%/yr (log) against 100 growing 5%: ln 2 / 0.05 years. */
  assert_close(inequality_catch_up_years(50, 0.10, 100, 0.05), log(2.0) / 0.05, 1e-12);
  assert_close(inequality_catch_up_years(120, 0.0, 100, 0.05), 0, 0);
  assert_true(isinf(inequality_catch_up_years(50, 0.05, 100, 0.05)));
  assert_true(isnan(inequality_catch_up_years(0, 0.05, 100, 0.05)));
  assert_close(inequality_log_growth(10, 20, 2), log(2.0) / 2, 1e-15);
  assert_true(isnan(inequality_log_growth(10, 20, 0)));
}

static void test_beta_errors(void **state) {
  (void)state;
  const double y0[] = {10, 10, 10}, y1[] = {11, 12, 13};
  inequality_beta b;
  chiso_err err;
  assert_int_equal(inequality_beta_convergence(y0, y1, 3, 2, &b, &err), CHISO_EDATA);
  const double a0[] = {10, 20}, a1[] = {11, 21};
  assert_int_equal(inequality_beta_convergence(a0, a1, 2, 2, &b, &err), CHISO_EDATA);
  assert_int_equal(inequality_beta_convergence(a0, a1, 2, 0, &b, &err), CHISO_EDATA);
  /* An exact line g = 0.5 - 0.1 ln y0 (y1 = y0 exp(g)), one year: beta = -0.1, SE 0. */
  double z0[3] = {1, M_E, M_E * M_E}, z1[3];
  for (int i = 0; i < 3; i++) z1[i] = z0[i] * exp(0.5 - 0.1 * log(z0[i]));
  assert_int_equal(inequality_beta_convergence(z0, z1, 3, 1, &b, &err), CHISO_OK);
  assert_close(b.beta, -0.1, 1e-12);
  assert_close(b.alpha, 0.5, 1e-12);
  assert_close(b.se_beta, 0, 1e-7);
  assert_close(b.speed, -log(0.9), 1e-12);
}

static void test_measures_order(void **state) {
  (void)state;
  /* issue 12: the volume's and the scores' measures named apart */
  static const char *want[] = {"hn_hcm_share", "outside_share", "volume_gini",
                               "volume_top5_share", "volume_hhi", "score_gini", "score_theil_t",
                               "score_theil_t_between", "score_theil_t_within", "score_theil_l",
                               "score_theil_l_between", "score_theil_l_within", "score_cv",
                               "score_p90_p10", "score_top5_bottom5", "score_leader_median_gap"};
  inequality_concentration c = {0};
  inequality_inequality q = {0};
  inequality_measure m[INEQUALITY_N_MEASURES];
  assert_int_equal(inequality_measures(&c, NAN, NAN, &q, m), 16);
  for (int i = 0; i < 16; i++) assert_string_equal(m[i].name, want[i]);
  assert_int_equal(inequality_measures(&c, NAN, NAN, NULL, m), 5);
  assert_string_equal(m[4].name, "volume_hhi");
  assert_int_equal(inequality_measures(NULL, NAN, NAN, &q, m), 11);
}

/* ---- against R ------------------------------------------------------------------ */

typedef struct ref {
  csvtable *in, *want;
} ref;

static double want(const ref *r, const char *name) {
  int cm = csvtable_col(r->want, "measure"), cv = csvtable_col(r->want, "value");
  for (size_t i = 0; i < r->want->n_rows; i++)
    if (strcmp(csvtable_cell(r->want, i, cm), name) == 0) return atof(csvtable_cell(r->want, i, cv));
  print_error("no reference value for %s\n", name);
  fail();
  return NAN;
}

static void column(const ref *r, const char *name, double *out) {
  int c = csvtable_col(r->in, name);
  assert_true(c >= 0);
  for (size_t i = 0; i < r->in->n_rows; i++) out[i] = atof(csvtable_cell(r->in, i, c));
}

static void test_against_r(void **state) {
  (void)state;
  ref r;
  chiso_err err;
  assert_int_equal(csvtable_read("tests/reference/divide_input.csv", &r.in, &err), CHISO_OK);
  assert_int_equal(csvtable_read("tests/reference/divide_expected.csv", &r.want, &err), CHISO_OK);
  size_t n = r.in->n_rows;
  assert_int_equal(n, 12);
  double x[12], reg[12], sales[12], y0[12], y1[12];
  int g[12];
  const char *codes[12];
  column(&r, "score", x);
  column(&r, "region", reg);
  column(&r, "sales", sales);
  column(&r, "y0", y0);
  column(&r, "y1", y1);
  for (size_t i = 0; i < n; i++) {
    g[i] = (int)reg[i];
    codes[i] = csvtable_cell(r.in, i, csvtable_col(r.in, "code"));
  }
  inequality_inequality q;
  assert_int_equal(inequality_inequality_compute(x, g, n, 6, &q, &err), CHISO_OK);
  const double tol = 1e-12;
  assert_close(q.gini, want(&r, "gini"), tol);
  assert_close(q.theil_t.total, want(&r, "theil_t"), tol);
  assert_close(q.theil_t.between, want(&r, "theil_t_between"), tol);
  assert_close(q.theil_t.within, want(&r, "theil_t_within"), tol);
  assert_close(q.theil_l.total, want(&r, "theil_l"), tol);
  assert_close(q.theil_l.between, want(&r, "theil_l_between"), tol);
  assert_close(q.theil_l.within, want(&r, "theil_l_within"), tol);
  /* The decomposition is exact: between + within == total. */
  assert_close(q.theil_t.between + q.theil_t.within, want(&r, "theil_t"), tol);
  assert_close(q.theil_l.between + q.theil_l.within, want(&r, "theil_l"), tol);
  assert_close(q.cv, want(&r, "cv"), tol);
  assert_close(q.p10, want(&r, "p10"), tol);
  assert_close(q.p90, want(&r, "p90"), tol);
  assert_close(q.p90_p10, want(&r, "p90_p10"), tol);
  assert_close(q.top5_bottom5, want(&r, "top5_bottom5"), tol);
  assert_close(q.leader_median_gap, want(&r, "leader_median_gap"), tol);
  inequality_concentration c;
  assert_int_equal(inequality_concentration_compute(codes, sales, n, &c, &err), CHISO_OK);
  assert_close(c.hn_hcm_share, want(&r, "hn_hcm_share"), tol);
  assert_close(c.outside_share, want(&r, "outside_share"), tol);
  assert_close(c.hhi, want(&r, "hhi"), tol);
  assert_close(c.top5_share, want(&r, "top5_share"), tol);
  assert_close(inequality_gini(sales, n), want(&r, "gini_sales"), tol);
  assert_close(c.gini, want(&r, "gini_sales"), tol); /* the volume_gini of chiso divide */
  inequality_beta b;
  assert_int_equal(inequality_beta_convergence(y0, y1, n, 4, &b, &err), CHISO_OK);
  assert_int_equal(b.n, 12);
  assert_close(b.alpha, want(&r, "beta_alpha"), tol);
  assert_close(b.beta, want(&r, "beta"), tol);
  assert_close(b.se_beta, want(&r, "beta_se"), tol);
  assert_close(b.r2, want(&r, "beta_r2"), 1e-10);
  assert_close(b.speed, want(&r, "beta_speed"), tol);
  assert_close(b.half_life, want(&r, "beta_half_life"), 1e-9);
  double panel[24];
  for (size_t i = 0; i < n; i++) {
    panel[i * 2] = y0[i];
    panel[i * 2 + 1] = y1[i];
  }
  const int years[] = {2020, 2024};
  inequality_sigma s[2];
  inequality_sigma_convergence(panel, n, years, 2, s);
  assert_int_equal(s[1].year, 2024);
  assert_close(s[0].cv, want(&r, "sigma_cv_y0"), tol);
  assert_close(s[1].cv, want(&r, "sigma_cv_y1"), tol);
  assert_close(s[0].sd_log, want(&r, "sigma_sdlog_y0"), tol);
  assert_close(s[1].sd_log, want(&r, "sigma_sdlog_y1"), tol);
  csvtable_free(r.in);
  csvtable_free(r.want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gini_hand),         cmocka_unit_test(test_theil_hand),
      cmocka_unit_test(test_quantile_lorenz_topk), cmocka_unit_test(test_concentration_hand),
      cmocka_unit_test(test_share_interval),    cmocka_unit_test(test_catch_up_and_growth),
      cmocka_unit_test(test_beta_errors),       cmocka_unit_test(test_measures_order),
      cmocka_unit_test(test_against_r),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of sens.c: Sobol indices of the Ishigami function and of a linear
** model against their analytic values, thread determinism, uncertainty
** summaries, the normal quantile (values from R's qnorm) and Dirichlet
** shares. */
#include "testutil.h"

#include <stdlib.h>

/* Ishigami & Homma (1990), a = 7, b = 0.1, x_i ~ U(−π, π). */
static int ishigami(void *ud, int thread, size_t run, const double *x, double *y) {
  (void)ud;
  (void)thread;
  (void)run;
  y[0] = sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0]);
  return 0;
}

static int linear(void *ud, int thread, size_t run, const double *x, double *y) {
  (void)ud;
  (void)thread;
  (void)run;
  y[0] = x[0] + 2 * x[1] + 3 * x[2];
  return 0;
}

static sensitivity_problem problem(sensitivity_input *in, sensitivity_model_fn f, int threads, int qmc) {
  for (int i = 0; i < 3; i++) {
    snprintf(in[i].name, sizeof in[i].name, "x%d", i + 1);
    in[i].kind = SENSITIVITY_UNIFORM;
    in[i].dim = 1;
    in[i].lo = f == ishigami ? -M_PI : 0;
    in[i].hi = f == ishigami ? M_PI : 1;
  }
  return (sensitivity_problem){.inputs = in, .n_inputs = 3, .model = f, .n_out = 1, .seed = 42,
                        .threads = threads, .qmc = qmc};
}

/* The analytic value must lie in the bootstrap 95% CI widened by 0.02
** (the CI of a quasi-random design ignores its own low discrepancy, and
** 2.5% of true values fall outside any 95% CI). */
static void expect_in_ci(const sensitivity_index *x, double si, double st) {
  assert_true(x->si_lo <= x->si && x->si <= x->si_hi);
  if (!(x->si_lo - 0.02 <= si && si <= x->si_hi + 0.02) ||
      !(x->st_lo - 0.02 <= st && st <= x->st_hi + 0.02)) {
    print_error("S=%g [%g,%g] want %g; ST=%g [%g,%g] want %g\n", x->si, x->si_lo, x->si_hi, si,
                x->st, x->st_lo, x->st_hi, st);
    fail();
  }
}

static void test_ishigami(void **state) {
  (void)state;
  sensitivity_input in[3] = {0};
  /* Analytic indices for a = 7, b = 0.1 (Ishigami & Homma 1990; Sobol'
  ** & Levitan 1999): S = .3139, .4424, 0; ST = .5576, .4424, .2437. */
  const double S[3] = {0.3139, 0.4424, 0.0}, ST[3] = {0.5576, 0.4424, 0.2437};
  for (int qmc = 1; qmc >= 0; qmc--) {
    sensitivity_problem p = problem(in, ishigami, 2, qmc);
    sensitivity_sobol_result r;
    assert_int_equal(sensitivity_sobol(&p, 8192, 300, &r, NULL), 0);
    assert_int_equal(r.runs, 8192 * 5);
    assert_int_equal(r.n_base[0], 2048);
    assert_int_equal(r.n_base[1], 4096);
    assert_int_equal(r.n_base[2], 8192);
    /* V = a²/8 + b π⁴/5 + b² π⁸/18 + 1/2 = 13.8446 */
    assert_close(r.variance, 13.8446, 0.5);
    for (int i = 0; i < 3; i++) expect_in_ci(&r.idx[2 * 3 + i], S[i], ST[i]);
    sensitivity_sobol_result_free(&r);
  }
}

static void test_linear(void **state) {
  (void)state;
  sensitivity_input in[3] = {0};
  sensitivity_problem p = problem(in, linear, 1, 1);
  sensitivity_sobol_result r;
  assert_int_equal(sensitivity_sobol(&p, 4096, 300, &r, NULL), 0);
  /* additive: S_i = ST_i = a_i² / Σ a² with a = 1, 2, 3 */
  for (int i = 0; i < 3; i++) {
    double want = (double)((i + 1) * (i + 1)) / 14.0;
    expect_in_ci(&r.idx[2 * 3 + i], want, want);
    assert_close(r.idx[2 * 3 + i].si, want, 0.02);
  }
  sensitivity_sobol_result_free(&r);
}

static void test_threads_identical(void **state) {
  (void)state;
  sensitivity_input in[3] = {0};
  sensitivity_sobol_result r[3];
  for (int t = 0; t < 3; t++) {
    sensitivity_problem p = problem(in, ishigami, 1 << t, 1);
    assert_int_equal(sensitivity_sobol(&p, 1000, 100, &r[t], NULL), 0);
  }
  for (int t = 1; t < 3; t++) {
    assert_memory_equal(r[0].idx, r[t].idx, SENSITIVITY_STEPS * 3 * sizeof(sensitivity_index));
    sensitivity_sobol_result_free(&r[t]);
  }
  sensitivity_sobol_result_free(&r[0]);
}

/* One discrete input with 4 equally likely levels 0..3: output = level. */
static int level(void *ud, int thread, size_t run, const double *x, double *y) {
  (void)ud;
  (void)thread;
  (void)run;
  y[0] = x[0];
  y[1] = 2;
  return 0;
}

static void test_ua(void **state) {
  (void)state;
  sensitivity_input in = {.name = "choice", .kind = SENSITIVITY_DISCRETE, .dim = 1, .levels = 4};
  sensitivity_problem p = {.inputs = &in, .n_inputs = 1, .model = level, .n_out = 2, .seed = 1,
                    .threads = 3, .qmc = 1};
  enum { N = 1024 };
  double *Y = malloc(N * 2 * sizeof(double));
  assert_int_equal(sensitivity_ua_run(&p, N, Y, NULL), 0);
  int count[4] = {0};
  for (int t = 0; t < N; t++) count[(int)Y[t * 2]]++;
  /* Sobol points: exactly a quarter of the first 1024 (from index 1: 255/256/256/257) */
  for (int l = 0; l < 4; l++) assert_true(abs(count[l] - 256) <= 1);
  const double nominal[2] = {0, 2};
  sensitivity_ua_stat s[2];
  assert_int_equal(sensitivity_ua_summary(Y, N, 2, nominal, 2, s, NULL), 0);
  assert_close(s[0].q05, 0, 0);
  assert_close(s[0].q95, 3, 0);
  assert_close(s[0].median, 2, 1);
  assert_close(s[0].mean_abs_shift, 1.5, 0.01);  /* (0+1+2+3)/4 */
  assert_close(s[1].mean_abs_shift, 0, 0);
  free(Y);
}

static void test_normal_quantile(void **state) {
  (void)state;
  /* R: qnorm(c(.975, .01, 1e-10, .5, .3)) */
  assert_close(sensitivity_norm_quantile(0.975), 1.959963984540054, 1e-12);
  assert_close(sensitivity_norm_quantile(0.01), -2.326347874040841, 1e-12);
  assert_close(sensitivity_norm_quantile(1e-10), -6.361340902404056, 1e-9);
  assert_close(sensitivity_norm_quantile(0.5), 0, 1e-15);
  assert_close(sensitivity_norm_quantile(0.3), -0.5244005127080407, 1e-12);
}

static void test_dirichlet_shares(void **state) {
  (void)state;
  const double mean[3] = {0.5, 0.3, 0.2};
  sensitivity_input in = {.name = "w", .kind = SENSITIVITY_DIRICHLET, .dim = 3, .conc = 50, .mean = mean};
  rng_stream r;
  rng_init(&r, 5, 0);
  double acc[3] = {0};
  enum { M = 20000 };
  for (int t = 0; t < M; t++) {
    double u[3] = {rng_uniform(&r), rng_uniform(&r), rng_uniform(&r)}, x[3];
    sensitivity_transform(&in, 1, u, x);
    assert_close(x[0] + x[1] + x[2], 1, 1e-12);
    for (int k = 0; k < 3; k++) acc[k] += x[k] / M;
  }
  for (int k = 0; k < 3; k++) assert_close(acc[k], mean[k], 0.005);
}

static void test_bad_problem(void **state) {
  (void)state;
  sensitivity_input in = {.name = "bad", .kind = SENSITIVITY_UNIFORM, .dim = 1, .lo = 2, .hi = 1};
  sensitivity_problem p = {.inputs = &in, .n_inputs = 1, .model = linear, .n_out = 1};
  sensitivity_sobol_result r;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(sensitivity_sobol(&p, 64, 10, &r, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "bad"));
  p.n_out = 2;
  assert_int_equal(sensitivity_sobol(&p, 64, 10, &r, NULL), CHISO_EUSAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ishigami),        cmocka_unit_test(test_linear),
      cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_ua),
      cmocka_unit_test(test_normal_quantile), cmocka_unit_test(test_dirichlet_shares),
      cmocka_unit_test(test_bad_problem)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

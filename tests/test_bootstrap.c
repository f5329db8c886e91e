/* Tests of boot.c: Rao–Wu bootstrap SEs against the Taylor (linearisation)
** SE computed here from the textbook formula, shrinkage with sample size,
** thread determinism, and bad input. */
#include "testutil.h"

#include <stdlib.h>

typedef struct sample {
  size_t n;
  int *stratum, *domain;
  double *w, *y, *y2;
} sample;

/* A stratified sample: stratum h has nh[h] units, weights 1..5 times a
** stratum factor, y skewed, y2 with 10% missing. */
static sample make_sample(const size_t *nh, size_t H, uint64_t seed) {
  sample s = {0};
  for (size_t h = 0; h < H; h++) s.n += nh[h];
  s.stratum = malloc(s.n * sizeof(int));
  s.domain = malloc(s.n * sizeof(int));
  s.w = malloc(s.n * sizeof(double));
  s.y = malloc(s.n * sizeof(double));
  s.y2 = malloc(s.n * sizeof(double));
  rng_stream r;
  rng_init(&r, seed, 0);
  size_t i = 0;
  for (size_t h = 0; h < H; h++)
    for (size_t k = 0; k < nh[h]; k++, i++) {
      s.stratum[i] = (int)(H - h) * 7;  /* not 0..H-1, not sorted */
      s.domain[i] = (int)(h % 2);
      s.w[i] = (1.0 + rng_below(&r, 5)) * (1.0 + (double)h);
      s.y[i] = exp(rng_normal(&r) * 0.5) + 0.3 * (double)h;
      s.y2[i] = rng_uniform(&r) < 0.1 ? NAN : rng_uniform(&r);
    }
  return s;
}

static void free_sample(sample *s) {
  free(s->stratum);
  free(s->domain);
  free(s->w);
  free(s->y);
  free(s->y2);
}

/* Taylor linearisation SE of the ratio mean Σwy/Σw over domain g (units of
** other domains contribute z = 0), stratified with replacement, no fpc:
** v = Σ_h n_h/(n_h−1) Σ_i (z_hi − z̄_h)², z_i = w_i (y_i − R̂) / Σw
** (Wolter 2007, ch. 6; Särndal, Swensson & Wretman 1992, 5.6). */
static double taylor_se(const sample *s, const double *y, int g) {
  double sw = 0, swy = 0;
  for (size_t i = 0; i < s->n; i++)
    if (s->domain[i] == g && !isnan(y[i])) { sw += s->w[i]; swy += s->w[i] * y[i]; }
  double R = swy / sw, v = 0;
  size_t i = 0;
  while (i < s->n) {
    size_t j = i;
    while (j < s->n && s->stratum[j] == s->stratum[i]) j++;
    double nh = (double)(j - i), zbar = 0, ss = 0;
    for (size_t k = i; k < j; k++)
      if (s->domain[k] == g && !isnan(y[k])) zbar += s->w[k] * (y[k] - R) / sw;
    zbar /= nh;
    for (size_t k = i; k < j; k++) {
      double z = (s->domain[k] == g && !isnan(y[k])) ? s->w[k] * (y[k] - R) / sw : 0;
      ss += (z - zbar) * (z - zbar);
    }
    v += nh / (nh - 1) * ss;
    i = j;
  }
  return sqrt(v);
}

/* Bootstrap SE vs Taylor SE. With R = 4000 replicates the relative Monte
** Carlo error of a bootstrap SE is about 1/sqrt(2R) = 1.1% (normal
** theory); the ratio's non-linearity adds O(1/n). Tolerance: 6% relative. */
static void test_se_matches_taylor(void **state) {
  (void)state;
  const size_t nh[] = {30, 50, 80, 40, 25, 60};
  sample s = make_sample(nh, 6, 11);
  bootstrap_design *d = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(bootstrap_design_new(s.n, s.stratum, s.w, 2024, &d, &err), 0);
  assert_int_equal(bootstrap_design_strata(d), 6);
  enum { R = 4000 };
  double *out = malloc(R * 2 * 2 * sizeof(double));
  const double *cols[] = {s.y, s.y2};
  assert_int_equal(bootstrap_domain_means(d, s.domain, 2, cols, 2, R, 2, out, NULL, NULL, &err), 0);
  for (int g = 0; g < 2; g++)
    for (int k = 0; k < 2; k++) {
      double se = bootstrap_se(out, R, 4, (size_t)(g * 2 + k));
      double tse = taylor_se(&s, k ? s.y2 : s.y, g);
      assert_true(tse > 0);
      assert_close(se / tse, 1.0, 0.06);
    }
  free(out);
  bootstrap_design_free(d);
  free_sample(&s);
}

typedef struct mean_stat { const sample *s; } mean_stat;

static int weighted_means(void *ud, int thread, size_t r, const double *w, double *out) {
  (void)thread;
  (void)r;
  const sample *s = ((mean_stat *)ud)->s;
  double sw[2] = {0}, swy[2] = {0};
  for (size_t i = 0; i < s->n; i++) { sw[s->domain[i]] += w[i]; swy[s->domain[i]] += w[i] * s->y[i]; }
  for (int g = 0; g < 2; g++) out[g] = swy[g] / sw[g];
  return 0;
}

/* The one-pass domain means equal the generic streamed bootstrap with an
** exact weighted-mean statistic up to the single-precision sums of the
** fast path (relative error below 64 · 2^-24 ≈ 4e-6 per chunk sum, about
** 1e-7 in practice; tolerance 2e-6 relative); replicate weights sum to n_h per stratum
** (n_h − 1 draws times n_h/(n_h − 1)) when the design weights are 1. */
static void test_fast_equals_generic(void **state) {
  (void)state;
  const size_t nh[] = {12, 7, 30};
  sample s = make_sample(nh, 3, 5);
  bootstrap_design *d = NULL;
  assert_int_equal(bootstrap_design_new(s.n, s.stratum, s.w, 9, &d, NULL), 0);
  enum { R = 50 };
  double fast[R * 2], gen[R * 2];
  const double *cols[] = {s.y};
  assert_int_equal(bootstrap_domain_means(d, s.domain, 2, cols, 1, R, 1, fast, NULL, NULL, NULL), 0);
  mean_stat ms = {&s};
  assert_int_equal(bootstrap_run(d, R, 3, weighted_means, &ms, 2, gen, NULL, NULL, NULL), 0);
  for (int i = 0; i < R * 2; i++) assert_close(fast[i], gen[i], 2e-6 * fabs(gen[i]));
  bootstrap_design_free(d);
  assert_int_equal(bootstrap_design_new(s.n, s.stratum, NULL, 9, &d, NULL), 0);
  double *w = malloc(s.n * sizeof(double));
  bootstrap_weights(d, 17, w);
  double tot[3] = {0};
  for (size_t i = 0; i < s.n; i++) tot[s.stratum[i] / 7 - 1] += w[i];
  assert_close(tot[2], 12, 1e-12);
  assert_close(tot[1], 7, 1e-12);
  assert_close(tot[0], 30, 1e-12);
  free(w);
  bootstrap_design_free(d);
  free_sample(&s);
}

/* Same bytes for 1, 2 and 4 threads. */
static void test_thread_determinism(void **state) {
  (void)state;
  const size_t nh[] = {100, 200, 150, 90};
  sample s = make_sample(nh, 4, 3);
  bootstrap_design *d = NULL;
  assert_int_equal(bootstrap_design_new(s.n, s.stratum, s.w, 77, &d, NULL), 0);
  enum { R = 203 };
  const double *cols[] = {s.y, s.y2};
  double *a = malloc(R * 4 * sizeof(double)), *b = malloc(R * 4 * sizeof(double));
  assert_int_equal(bootstrap_domain_means(d, s.domain, 2, cols, 2, R, 1, a, NULL, NULL, NULL), 0);
  for (int t = 2; t <= 4; t += 2) {
    assert_int_equal(bootstrap_domain_means(d, s.domain, 2, cols, 2, R, t, b, NULL, NULL, NULL), 0);
    assert_memory_equal(a, b, R * 4 * sizeof(double));
  }
  double *m1 = malloc(R * s.n * sizeof(double)), *m4 = malloc(R * s.n * sizeof(double));
  assert_int_equal(bootstrap_weight_matrix(d, R, 1, m1, NULL), 0);
  assert_int_equal(bootstrap_weight_matrix(d, R, 4, m4, NULL), 0);
  assert_memory_equal(m1, m4, R * s.n * sizeof(double));
  free(m1);
  free(m4);
  free(a);
  free(b);
  bootstrap_design_free(d);
  free_sample(&s);
}

/* A huge sample: the bootstrap SE falls like 1/sqrt(n) and the 95%
** interval collapses onto the estimate. */
static void test_huge_sample_shrinks(void **state) {
  (void)state;
  const size_t small[] = {40, 40}, huge[] = {40000, 40000};
  double se[2], tse[2];
  for (int v = 0; v < 2; v++) {
    sample s = make_sample(v ? huge : small, 2, 8);
    bootstrap_design *d = NULL;
    assert_int_equal(bootstrap_design_new(s.n, s.stratum, s.w, 1, &d, NULL), 0);
    enum { R = 200 };
    double out[R * 2];
    const double *cols[] = {s.y};
    assert_int_equal(bootstrap_domain_means(d, s.domain, 2, cols, 1, R, 2, out, NULL, NULL, NULL), 0);
    se[v] = bootstrap_se(out, R, 2, 0);
    tse[v] = taylor_se(&s, s.y, 0);
    bootstrap_design_free(d);
    free_sample(&s);
  }
  /* 200 replicates: relative MC error 5%; tolerance 20%. */
  assert_true(se[1] < 0.01);
  assert_close(se[0] / se[1], tse[0] / tse[1], 0.2 * tse[0] / tse[1]);
  assert_true(tse[0] / tse[1] > 20);
}

static void test_bad_input(void **state) {
  (void)state;
  int st[] = {0, 0, 1};
  double w[] = {1, 2, 3};
  bootstrap_design *d = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(bootstrap_design_new(3, st, w, 1, &d, &err), CHISO_EDATA);
  assert_null(d);
  assert_non_null(strstr(err.message, "single respondent"));
  assert_int_equal(err.row, 3);
  int st2[] = {0, 0, 0};
  double w2[] = {1, -2, 3};
  chiso_err_clear(&err);
  assert_int_equal(bootstrap_design_new(3, st2, w2, 1, &d, &err), CHISO_EDATA);
  assert_int_equal(err.row, 2);
  int rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 1000; k++) { /* must end in success */
    chiso_mem_fail_after(k);
    rc = bootstrap_design_new(3, st2, NULL, 1, &d, NULL);
    chiso_mem_fail_after(-1);
    if (rc == CHISO_OK) bootstrap_design_free(d);
    else assert_int_equal(rc, CHISO_ENOMEM);
  }
  assert_int_equal(rc, CHISO_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_se_matches_taylor), cmocka_unit_test(test_fast_equals_generic),
      cmocka_unit_test(test_thread_determinism), cmocka_unit_test(test_huge_sample_shrinks),
      cmocka_unit_test(test_bad_input)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

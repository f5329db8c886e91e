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

/* The one-pass domain statistics written out from their definition
** (bootstrap.c): replicate r draws n_h − 1 units of stratum h (strata in
** ascending order, units by index) from the Philox stream (seed,
** r·2^24 + h), 256 draws per rng_below_fill call; the rows of a
** (stratum, domain) segment are taken 64 at a time, each chunk summed in
** single precision as Σ (float)(count · n_h/(n_h − 1)) · (float)(w·y) in
** row order and added to a double; y missing (or x) leaves the row out of
** that variable's sums; the denominator is Σ w when no variable has a
** missing value or a denominator variable, else per variable. */
typedef struct defn {
  size_t n, k, G, R;
  const int *stratum, *domain;
  const double *w;
  const bootstrap_var *vars;
  uint64_t seed;
} defn;

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static void by_definition(const defn *z, double *out) {
  size_t n = z->n, k = z->k, G = z->G;
  int shared = 1;
  for (size_t v = 0; v < k; v++) {
    if (z->vars[v].kind == BOOTSTRAP_RATIO && z->vars[v].x) shared = 0;
    for (size_t i = 0; i < n; i++)
      if (isnan(z->vars[v].y[i]) || (z->vars[v].x && isnan(z->vars[v].x[i]))) shared = 0;
  }
  int *levels = malloc(n * sizeof *levels);
  memcpy(levels, z->stratum, n * sizeof *levels);
  qsort(levels, n, sizeof *levels, cmp_int);
  size_t *unit = malloc(n * sizeof *unit), *cnt = malloc(n * sizeof *cnt);
  uint32_t draw[256];
  double *num = malloc(G * k * sizeof *num), *den = malloc(G * k * sizeof *den);
  for (size_t r = 0; r < z->R; r++) {
    memset(num, 0, G * k * sizeof *num);
    memset(den, 0, G * k * sizeof *den);
    size_t h = 0;
    for (size_t a = 0; a < n; h++) {
      int level = levels[a];
      size_t nh = 0;
      for (size_t i = 0; i < n; i++)
        if (z->stratum[i] == level) unit[nh++] = i;
      a += nh;
      memset(cnt, 0, nh * sizeof *cnt);
      rng_stream s;
      rng_init(&s, z->seed, ((uint64_t)r << 24) | (uint64_t)h);
      for (size_t m = 0; m + 1 < nh; m += 256) {
        size_t c = nh - 1 - m < 256 ? nh - 1 - m : 256;
        rng_below_fill(&s, (uint32_t)nh, draw, c);
        for (size_t t = 0; t < c; t++) cnt[draw[t]]++;
      }
      double scale = (double)nh / (double)(nh - 1);
      for (size_t g = 0; g < G; g++)
        for (size_t v = 0; v < k; v++) {
          const bootstrap_var *bv = &z->vars[v];
          float fn = 0, fd = 0;
          size_t rows = 0;
          for (size_t q = 0; q < nh; q++) {
            size_t i = unit[q];
            if (z->domain[i] != (int)g) continue;
            double y = bv->y[i], x = bv->kind == BOOTSTRAP_RATIO && bv->x ? bv->x[i] : 1.0;
            int obs = !isnan(y) && !isnan(x);
            float c = (float)((double)cnt[q] * scale);
            fn += c * (obs ? (float)(z->w[i] * y) : 0.0f);
            fd += c * (shared ? (float)z->w[i] : obs ? (float)(z->w[i] * x) : 0.0f);
            if (++rows % 64 == 0) {
              num[g * k + v] += (double)fn;
              den[g * k + v] += (double)fd;
              fn = fd = 0;
            }
          }
          if (rows % 64) {
            num[g * k + v] += (double)fn;
            den[g * k + v] += (double)fd;
          }
        }
    }
    for (size_t g = 0; g < G; g++)
      for (size_t v = 0; v < k; v++) {
        double nu = num[g * k + v], de = den[g * k + v];
        out[(r * G + g) * k + v] =
            !(de > 0) ? NAN : z->vars[v].kind == BOOTSTRAP_TOTAL ? nu : nu / de;
      }
  }
  free(levels);
  free(unit);
  free(cnt);
  free(num);
  free(den);
}

/* Bit for bit the definition above, for every vector body (plain, AVX2,
** AVX-512 where the CPU has them), 1 and 3 threads, a replicate count
** that is not a multiple of the block, several domains per stratum,
** respondents without a domain, strata of more than 64 and of more than
** 256 rows, k from 1 to 31 (row widths 8 to 64 values: the 32-value
** blocks of AVX-512 and the 8-value tails) and both kinds of
** denominators. */
static void test_fast_definition(void **state) {
  (void)state;
  enum { N = 1500, K = 31, G = 5, R = 37 };
  int stratum[N], domain[N];
  double w[N], *y[K], *x = malloc(N * sizeof *x);
  rng_stream g;
  rng_init(&g, 21, 0);
  for (size_t i = 0; i < N; i++) {
    stratum[i] = i < 700 ? 40 : i < 1300 ? (int)(i % 3) * 5 : 17 + (int)(i % 2);
    domain[i] = rng_below(&g, 20) == 0 ? -1 : (int)rng_below(&g, G);
    w[i] = 0.5 + 30 * rng_uniform(&g);
    x[i] = 0.2 + rng_uniform(&g);
  }
  for (size_t v = 0; v < K; v++) {
    y[v] = malloc(N * sizeof *y[v]);
    for (size_t i = 0; i < N; i++) y[v][i] = 10 * rng_uniform(&g);
  }
  double *want = malloc(R * G * K * sizeof *want), *got = malloc(R * G * K * sizeof *got);
  bootstrap_design *d = NULL;
  assert_int_equal(bootstrap_design_new(N, stratum, w, 4242, &d, NULL), 0);
  const size_t ks[4] = {1, 4, 17, 31};
  for (int variant = 0; variant < 4; variant++) {
    bootstrap_var vars[K];
    size_t k = ks[variant];
    for (size_t v = 0; v < k; v++) {
      vars[v] = (bootstrap_var){y[v], NULL, BOOTSTRAP_MEAN};
      if (variant >= 2 && v % 3 == 1) vars[v] = (bootstrap_var){y[v], x, BOOTSTRAP_RATIO};
      if (variant >= 2 && v % 3 == 2) vars[v].kind = BOOTSTRAP_TOTAL;
    }
    if (variant == 2) y[4][77] = y[4][1400] = NAN;
    defn z = {N, k, G, R, stratum, domain, w, vars, 4242};
    by_definition(&z, want);
    for (int level = CPU_PLAIN; level <= CPU_AVX512; level++)
      for (int t = 1; t <= 3; t += 2) {
        cpu_allow(level);
        memset(got, 0, R * G * k * sizeof *got);
        assert_int_equal(bootstrap_domain_stats(d, domain, G, vars, k, R, t, got, NULL, NULL, NULL), 0);
        assert_memory_equal(got, want, R * G * k * sizeof *got);
      }
    cpu_allow(CPU_AVX512);
  }
  bootstrap_design_free(d);
  for (size_t v = 0; v < K; v++) free(y[v]);
  free(x);
  free(want);
  free(got);
}

/* Replicate weights from their definition, w*_i = c_i · (w_i · n_h/(n_h − 1))
** with c_i the draws of unit i (the stream and the 256-draw calls of
** by_definition): strata counted on the stack (small) and in the weights
** themselves (above 4,096 respondents) give the same bits. */
static void test_weights_definition(void **state) {
  (void)state;
  enum { N = 5300 };
  int stratum[N];
  double w[N], got[N], want[N];
  rng_stream g;
  rng_init(&g, 3, 0);
  for (size_t i = 0; i < N; i++) {
    stratum[i] = i % 53 == 0 ? 2 : i < 4400 ? 9 : 4; /* 9: 4,316 units; 2: 100; 4: 884 */
    w[i] = 1 + 20 * rng_uniform(&g);
  }
  bootstrap_design *d = NULL;
  assert_int_equal(bootstrap_design_new(N, stratum, w, 77, &d, NULL), 0);
  const int levels[3] = {2, 4, 9};
  size_t unit[N];
  uint32_t draw[256], cnt[N];
  for (size_t r = 0; r < 5; r++) {
    bootstrap_weights(d, r, got);
    for (size_t h = 0; h < 3; h++) {
      size_t nh = 0;
      for (size_t i = 0; i < N; i++)
        if (stratum[i] == levels[h]) unit[nh++] = i;
      memset(cnt, 0, sizeof cnt);
      rng_stream s;
      rng_init(&s, 77, ((uint64_t)r << 24) | (uint64_t)h);
      for (size_t m = 0; m + 1 < nh; m += 256) {
        size_t c = nh - 1 - m < 256 ? nh - 1 - m : 256;
        rng_below_fill(&s, (uint32_t)nh, draw, c);
        for (size_t t = 0; t < c; t++) cnt[draw[t]]++;
      }
      for (size_t q = 0; q < nh; q++)
        want[unit[q]] = (double)cnt[q] * (w[unit[q]] * ((double)nh / (double)(nh - 1)));
    }
    assert_memory_equal(got, want, sizeof got);
  }
  bootstrap_design_free(d);
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
      cmocka_unit_test(test_fast_definition), cmocka_unit_test(test_weights_definition),
      cmocka_unit_test(test_bad_input)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

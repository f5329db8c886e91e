/* Tests of rankstat.c: hand-worked statistics, a clearly separated unit,
** identical units (rank sets must span every rank), lower-is-better. */
#include "testutil.h"

#include <stdlib.h>

/* Three units, four replicates, worked by hand in the comments. */
static void test_hand_worked(void **state) {
  (void)state;
  const double hat[3] = {3, 2, 1};
  const double th[4 * 3] = {3, 2, 1, 1, 2, 3, 3, 1, 2, 2, 3, 1};
  rankstat_unit u[3];
  assert_int_equal(rankstat_compute(hat, th, 4, 3, NULL, u, NULL), 0);
  assert_int_equal(u[0].rank, 1);
  assert_int_equal(u[2].rank, 3);
  /* unit 0: values 3,1,3,2, mean 2.25, SS 2.75, SE sqrt(2.75/3) */
  assert_close(u[0].se, sqrt(2.75 / 3), 1e-12);
  /* ranks of unit 0: 1,3,1,2 -> P(top1) = .5; sorted 1,1,2,3: type-1
  ** quantiles at .025 and .975 are x[1] = 1 and x[4] = 3, median 1.5. */
  assert_close(u[0].p_top[0], 0.5, 0);
  assert_close(u[0].p_top[1], 1.0, 0);
  assert_int_equal(u[0].rank_lo95, 1);
  assert_int_equal(u[0].rank_hi95, 3);
  assert_close(u[0].rank_median, 1.5, 0);
  /* every replicate mean is 2; unit 0 beats it in replicates 0 and 2 */
  assert_close(u[0].p_above_mean, 0.5, 0);
  /* type-7 interval of 1,2,3,3 at .05: 1 + .15*(2-1) = 1.15 */
  assert_close(u[0].lo90, 1.15, 1e-12);
}

static void test_quantiles(void **state) {
  (void)state;
  const double x[] = {1, 2, 3, 4, 10};
  /* R: quantile(c(1,2,3,4,10), .3) = 2.2; type = 1 gives 2 */
  assert_close(quantile_sorted(x, 5, 0.3, 1), 2.2, 1e-12);
  assert_close(quantile_sorted(x, 5, 0.3, 0), 2, 0);
  assert_close(quantile_sorted(x, 5, 1.0, 1), 10, 0);
}

static double *replicates(const double *mu, size_t U, size_t R, double sd, uint64_t seed) {
  double *th = malloc(R * U * sizeof(double));
  rng_stream r;
  rng_init(&r, seed, 0);
  for (size_t i = 0; i < R; i++)
    for (size_t j = 0; j < U; j++) th[i * U + j] = mu[j] + sd * rng_normal(&r);
  return th;
}

/* Unit 0 is far ahead: rank 1 in every replicate and in every confidence
** set; the others are near-tied and cannot be told apart. */
static void test_separated_unit(void **state) {
  (void)state;
  const double hat[5] = {10, 5, 5.1, 4.9, 5.05};
  enum { R = 1000 };
  double *th = replicates(hat, 5, R, 0.1, 4);
  rankstat_unit u[5];
  rankstat_options o = {.seed = 1};
  assert_int_equal(rankstat_compute(hat, th, R, 5, &o, u, NULL), 0);
  assert_close(u[0].p_top[0], 1.0, 0);
  assert_int_equal(u[0].rank_lo95, 1);
  assert_int_equal(u[0].rank_hi95, 1);
  assert_int_equal(u[0].sim_lo, 1);
  assert_int_equal(u[0].sim_hi, 1);
  assert_int_equal(u[0].marg_hi, 1);
  assert_int_equal(u[0].in_top[0], 1);
  for (int j = 1; j < 5; j++) {
    assert_int_equal(u[j].in_top[0], 0);
    assert_int_equal(u[j].sim_lo, 2);
    assert_int_equal(u[j].sim_hi, 5);
    assert_true(u[j].marg_lo >= 2);
    assert_true(u[j].p_above_mean < 0.01);
  }
  assert_close(u[0].se, 0.1, 0.01);
  free(th);
}

/* Identical units: every percentile rank interval and every rank set spans
** all ranks, P(top 1) is near 1/U; also with exactly equal replicates
** (ties broken at random). */
static void test_identical_units(void **state) {
  (void)state;
  enum { U = 6, R = 2000 };
  double hat[U];
  for (int j = 0; j < U; j++) hat[j] = 1.0;
  for (int exact = 0; exact < 2; exact++) {
    double *th = replicates(hat, U, R, exact ? 0.0 : 0.1, 9);
    rankstat_unit u[U];
    rankstat_options o = {.seed = 3, .alpha = 0.05};
    assert_int_equal(rankstat_compute(hat, th, R, U, &o, u, NULL), 0);
    for (int j = 0; j < U; j++) {
      assert_int_equal(u[j].rank, 1);
      assert_int_equal(u[j].rank_lo95, 1);
      assert_int_equal(u[j].rank_hi95, U);
      assert_int_equal(u[j].sim_lo, 1);
      assert_int_equal(u[j].sim_hi, U);
      assert_int_equal(u[j].marg_lo, 1);
      assert_int_equal(u[j].marg_hi, U);
      assert_int_equal(u[j].in_top[0], 1);
      /* binomial SD of a share near 1/6 with R = 2000 is 0.0083 */
      assert_close(u[j].p_top[0], 1.0 / U, 0.035);
      assert_close(u[j].p_top[1], 3.0 / U, 0.05);
      assert_int_equal(u[j].tied_group, 1);
      assert_int_equal(u[j].tied_size, U);
    }
    free(th);
  }
}

/* Two clusters 10 points apart, units inside a cluster 0.01 apart with
** replicate noise SD 0.1 (their order flips in about 47% of the
** replicates; across clusters never): groups {1, 1, 1} and {2, 2}, given
** in nominal order whatever the input order. */
static void test_tied_groups(void **state) {
  (void)state;
  enum { U = 5, R = 1000 };
  const double hat[U] = {0.01, 10.0, 10.02, 0.0, 10.01};
  double *th = replicates(hat, U, R, 0.1, 4);
  rankstat_unit u[U];
  rankstat_options o = {.seed = 1};
  assert_int_equal(rankstat_compute(hat, th, R, U, &o, u, NULL), 0);
  const int group[U] = {2, 1, 1, 2, 1}, size[U] = {2, 3, 3, 2, 3};
  for (int j = 0; j < U; j++) {
    assert_int_equal(u[j].tied_group, group[j]);
    assert_int_equal(u[j].tied_size, size[j]);
  }
  free(th);
}

static void test_lower_is_better_and_errors(void **state) {
  (void)state;
  const double hat[3] = {1, 2, 3};
  const double th[2 * 3] = {1, 2, 3, 1.1, 2.1, 3.1};
  rankstat_unit u[3];
  rankstat_options o = {.lower_is_better = 1};
  assert_int_equal(rankstat_compute(hat, th, 2, 3, &o, u, NULL), 0);
  assert_int_equal(u[0].rank, 1);
  assert_close(u[0].p_top[0], 1.0, 0);
  assert_close(u[0].p_above_mean, 1.0, 0);
  const double bad[3] = {1, NAN, 3};
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(rankstat_compute(bad, th, 2, 3, NULL, u, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "unit 2"));
  assert_int_equal(rankstat_compute(hat, th, 1, 3, NULL, u, NULL), CHISO_EUSAGE);
  int rk[4];
  const double tied[4] = {2, 5, 5, NAN};
  rankstat_ranks(tied, 4, 0, rk);
  assert_int_equal(rk[0], 3);
  assert_int_equal(rk[1], 1);
  assert_int_equal(rk[2], 1);
  assert_int_equal(rk[3], 4);
}

/* rankstat_replicate_ranks (sorting) against the definition written out here:
** rank_j = 1 + #{k better} + #{k tied with a smaller Philox tie key, or an
** equal key and a smaller index}, the key of unit j being the first word
** of Philox block (j, 0, stream) of the replicate's stream. Scores drawn
** from 6 values (many ties) and NaN; U = 300 (sorted path) and U = 1100
** (the pairwise fallback above 1024 units). */
static void test_replicate_ranks_definition(void **state) {
  (void)state;
  size_t sizes[2] = {300, 1100};
  for (int z = 0; z < 2; z++) {
    size_t U = sizes[z];
    double *x = malloc(U * sizeof *x);
    int *got = malloc(U * sizeof *got);
    uint32_t *key = malloc(U * sizeof *key);
    rng_stream g;
    rng_init(&g, 5, 0);
    for (size_t r = 0; r < 20; r++) {
      for (size_t j = 0; j < U; j++) x[j] = rng_below(&g, 7) == 6 ? NAN : (double)rng_below(&g, 6);
      int lib = (int)(r % 2);
      rankstat_replicate_ranks(x, U, lib, 42, r, got);
      rng_stream s;
      rng_init(&s, 42, ((uint64_t)1 << 63) | (uint64_t)r);
      for (size_t j = 0; j < U; j++) {
        uint32_t ctr[4] = {(uint32_t)j, 0, s.ctr[2], s.ctr[3]}, out[4];
        rng_philox4x32_10(ctr, s.key, out);
        key[j] = out[0];
      }
      for (size_t j = 0; j < U; j++) {
        double sj = isnan(x[j]) ? -INFINITY : lib ? -x[j] : x[j];
        int rk = 1;
        for (size_t k = 0; k < U; k++) {
          double sk = isnan(x[k]) ? -INFINITY : lib ? -x[k] : x[k];
          if (k != j && (sk > sj || (sk == sj && (key[k] < key[j] || (key[k] == key[j] && k < j)))))
            rk++;
        }
        assert_int_equal(got[j], rk);
      }
    }
    free(x);
    free(got);
    free(key);
  }
}

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* rankstat_compute sorts each replicate starting from the nominal order
** (insertion sort, or a merge sort when the replicate is far from it):
** its rank statistics must be those of rankstat_replicate_ranks. Half the
** replicates are the nominal scores plus small noise, half are shuffled
** (the fallback), with exact ties and NaN in both. */
static void test_compute_ranks_match(void **state) {
  (void)state;
  enum { U = 40, R = 200 };
  double hat[U], *th = malloc(R * U * sizeof *th);
  int *rk = malloc(R * U * sizeof *rk), col[R];
  rankstat_unit u[U];
  rng_stream g;
  rng_init(&g, 9, 0);
  for (size_t j = 0; j < U; j++) hat[j] = (double)(j % 13) + 0.25 * (double)(j / 13);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < U; j++) {
      double v = r % 2 ? hat[j] + 0.3 * (rng_uniform(&g) - 0.5) : 13 * rng_uniform(&g);
      if (rng_below(&g, 10) == 0) v = floor(v); /* ties */
      th[r * U + j] = rng_below(&g, 50) == 0 ? NAN : v;
    }
  rankstat_options o = {.seed = 3, .no_sets = 1, .threads = 2};
  assert_int_equal(rankstat_compute(hat, th, R, U, &o, u, NULL), 0);
  for (size_t r = 0; r < R; r++) rankstat_replicate_ranks(th + r * U, U, 0, 3, r, rk + r * U);
  for (size_t j = 0; j < U; j++) {
    int top1 = 0, top5 = 0;
    for (size_t r = 0; r < R; r++) {
      col[r] = rk[r * U + j];
      top1 += col[r] <= 1;
      top5 += col[r] <= 5;
    }
    qsort(col, R, sizeof *col, cmp_int);
    assert_close(u[j].p_top[0], top1 / (double)R, 0);
    assert_close(u[j].p_top[2], top5 / (double)R, 0);
    assert_int_equal(u[j].rank_lo95, col[4]);        /* type 1: ceil(0.025 R) = 5th */
    assert_int_equal(u[j].rank_hi95, col[194]);      /* ceil(0.975 R) = 195th */
    assert_close(u[j].rank_median, (col[99] + col[100]) / 2.0, 0);
  }
  free(th);
  free(rk);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_worked), cmocka_unit_test(test_quantiles),
      cmocka_unit_test(test_compute_ranks_match),
      cmocka_unit_test(test_separated_unit), cmocka_unit_test(test_identical_units),
      cmocka_unit_test(test_lower_is_better_and_errors),
      cmocka_unit_test(test_replicate_ranks_definition), cmocka_unit_test(test_tied_groups)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of rankstat.c: hand-worked statistics, a clearly separated unit,
** identical units (rank sets must span every rank), lower-is-better; the
** MRSW stepdown sets: hand-worked, equal to tests/reference/mrsw_sets.R on
** its draws, never wider than the single step, and covering the true
** ranks in a simulation. */
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

/* ---- MRSW stepdown ----------------------------------------------------------- */

/* Hand-worked: three units, θ̂ = (10, 6, 0), every se_jk = 1, 20 draws of
** z: 18 are zero, 2 are (3.5, 0, −1.5). Step 1: the statistic max over all
** ordered pairs of z_j − z_k is the range of z, 0 eighteen times and 5
** twice; the type-7 0.95 quantile is x(19) + 0.05 (x(20) − x(19)) = 5.
** Rejected: 1 > 3 (10 > 5) and 2 > 3 (6 > 5), not 1 > 2 (4 < 5). Single
** step: sets [1,2], [1,2], [3,3]. Stepdown, step 2: the family keeps (1,2),
** (2,1), (3,1), (3,2); the statistic is max(3.5, −3.5, −5, −1.5) = 3.5 on
** the two draws, so ĉ = 3.5 < 4 rejects 1 > 2; step 3 rejects nothing new.
** Stepdown: {1}, {2}, {3}. */
static void test_stepdown_hand(void **state) {
  (void)state;
  const double hat[3] = {10, 6, 0};
  double z[20 * 3] = {0}, se[9];
  for (int i = 0; i < 9; i++) se[i] = i % 4 ? 1 : 0; /* diagonal 0 */
  for (int r = 18; r < 20; r++) { z[r * 3] = 3.5; z[r * 3 + 2] = -1.5; }
  int lo[3], hi[3], mlo[3], mhi[3];
  assert_int_equal(rankstat_sets(hat, z, 20, 3, se, 0.05, 0, lo, hi, NULL, NULL, NULL), 0);
  assert_int_equal(lo[0], 1); assert_int_equal(hi[0], 2);
  assert_int_equal(lo[1], 1); assert_int_equal(hi[1], 2);
  assert_int_equal(lo[2], 3); assert_int_equal(hi[2], 3);
  assert_int_equal(rankstat_sets(hat, z, 20, 3, se, 0.05, 1, lo, hi, mlo, mhi, NULL), 0);
  for (int u = 0; u < 3; u++) {
    assert_int_equal(lo[u], u + 1);
    assert_int_equal(hi[u], u + 1);
    /* marginal family of one unit is a subset: never wider than simultaneous */
    assert_true(mlo[u] >= lo[u] && mhi[u] <= hi[u]);
  }
}

static double *read_matrix(const char *path, size_t *rows, size_t *cols, size_t skip) {
  csvtable *t = NULL;
  chiso_err err;
  assert_int_equal(csvtable_read(path, &t, &err), 0);
  *rows = t->n_rows;
  *cols = t->n_cols - skip;
  double *m = malloc(*rows * *cols * sizeof *m);
  for (size_t r = 0; r < *rows; r++)
    for (size_t c = 0; c < *cols; c++)
      assert_int_equal(number_parse_data(csvtable_cell(t, r, (int)(c + skip)), &m[r * *cols + c]), NUMBER_OK);
  csvtable_free(t);
  return m;
}

/* The sets equal tests/reference/mrsw_sets.R's, on its draws: 12 units,
** correlated estimates with near-ties, 1000 draws; simultaneous and
** marginal, single-step and stepdown; P(top k) of x + Z. */
static void test_sets_equal_R(void **state) {
  (void)state;
  size_t p, c, R, c2, rs, cs;
  double *in = read_matrix("tests/reference/out/mrsw_input.csv", &p, &c, 1);
  double *Z = read_matrix("tests/reference/out/mrsw_draws.csv", &R, &c2, 0);
  double *want = read_matrix("tests/reference/out/mrsw_sets.csv", &rs, &cs, 1);
  assert_int_equal(c, p + 1);
  assert_int_equal(c2, p);
  assert_int_equal(R, 1000);
  double x[12], se[144];
  for (size_t j = 0; j < p; j++) x[j] = in[j * c];
  for (size_t j = 0; j < p; j++)
    for (size_t k = 0; k < p; k++) /* Σ row j is in[j * c + 1 ..] */
      se[j * p + k] = sqrt(in[j * c + 1 + j] + in[k * c + 1 + k] - 2 * in[j * c + 1 + k]);
  int lo[12], hi[12], mlo[12], mhi[12];
  for (int step = 1; step >= 0; step--) {
    assert_int_equal(rankstat_sets(x, Z, R, p, se, 0.05, step, lo, hi, mlo, mhi, NULL), 0);
    size_t off = step ? 0 : 2; /* columns: sim_sd L U, sim_ss L U, marg_sd L U, marg_ss L U */
    for (size_t j = 0; j < p; j++) {
      assert_int_equal(lo[j], (int)want[j * cs + off]);
      assert_int_equal(hi[j], (int)want[j * cs + off + 1]);
      assert_int_equal(mlo[j], (int)want[j * cs + 4 + off]);
      assert_int_equal(mhi[j], (int)want[j * cs + 4 + off + 1]);
    }
  }
  /* P(top k) from the draws as replicates x + Z */
  double *th = malloc(R * p * sizeof *th);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < p; j++) th[r * p + j] = x[j] + Z[r * p + j];
  rankstat_unit u[12];
  assert_int_equal(rankstat_compute(x, th, R, p, NULL, u, NULL), 0);
  for (size_t j = 0; j < p; j++) {
    assert_close(u[j].p_top[0], want[j * cs + 8], 1e-12);
    assert_close(u[j].p_top[1], want[j * cs + 9], 1e-12);
  }
  free(th);
  free(in);
  free(Z);
  free(want);
}

/* Never wider: on 200 random problems (3 to 14 units, ties and near-ties,
** correlated draws, a missing draw now and then), every stepdown set
** (simultaneous and marginal) lies inside the single-step one; a marginal
** set (a smaller family) lies inside the simultaneous one of the same
** method; and the stepdown is strictly narrower somewhere. */
static void test_stepdown_never_wider(void **state) {
  (void)state;
  rng_stream g;
  rng_init(&g, 99, 0);
  size_t narrower = 0;
  for (int trial = 0; trial < 200; trial++) {
    size_t U = 3 + rng_below(&g, 12), R = 150;
    double hat[16], *z = malloc(R * U * sizeof *z);
    for (size_t j = 0; j < U; j++) hat[j] = (double)rng_below(&g, 6) + (rng_uniform(&g) < 0.5 ? 0 : 0.3 * rng_uniform(&g));
    double common = 0.5 * rng_uniform(&g);
    for (size_t r = 0; r < R; r++) {
      double c = rng_normal(&g);
      for (size_t j = 0; j < U; j++) {
        z[r * U + j] = (0.3 + (double)(j % 3) * 0.2) * (rng_normal(&g) + common * c);
        if (rng_uniform(&g) < 0.002) z[r * U + j] = NAN;
      }
    }
    int a[4][16], b[4][16];
    assert_int_equal(rankstat_sets(hat, z, R, U, NULL, 0.05, 0, a[0], a[1], a[2], a[3], NULL), 0);
    assert_int_equal(rankstat_sets(hat, z, R, U, NULL, 0.05, 1, b[0], b[1], b[2], b[3], NULL), 0);
    for (size_t j = 0; j < U; j++) {
      assert_true(b[0][j] >= a[0][j] && b[1][j] <= a[1][j]); /* simultaneous */
      assert_true(b[2][j] >= a[2][j] && b[3][j] <= a[3][j]); /* marginal */
      assert_true(a[2][j] >= a[0][j] && a[3][j] <= a[1][j]);
      assert_true(b[2][j] >= b[0][j] && b[3][j] <= b[1][j]);
      assert_true(b[0][j] >= 1 && b[0][j] <= b[1][j] && b[1][j] <= (int)U);
      narrower += (b[1][j] - b[0][j]) < (a[1][j] - a[0][j]);
    }
    free(z);
  }
  print_message("stepdown narrower than single step for %zu unit sets\n", narrower);
  assert_true(narrower > 0); /* it does refine */
}

/* Coverage: 400 simulated data sets of 8 units with true values that tie
** (2, 2, 2) and nearly tie, θ̂ = θ + N(0, Σ) with correlation 0.3; the sets
** from 400 parametric draws of N(0, Σ) (as chiso ranks does). The
** simultaneous stepdown sets cover all 8 true ranks (1 + #{k: θ_k > θ_j})
** in at least 1 − α of the data sets, less 3 Monte Carlo SDs
** (sqrt(.95 .05 / 400) = 0.011); each marginal set its unit's rank likewise. */
static void test_stepdown_coverage(void **state) {
  (void)state;
  const size_t U = 8, R = 400, S = 400;
  const double theta[8] = {5, 4, 4.2, 2, 2, 2, 1.1, 0}, sd[8] = {.5, .4, .4, .6, .3, .5, .5, .4};
  double L[64] = {0}, se[64]; /* Cholesky factor of Σ (lower), pair SEs */
  double sig[64];
  for (size_t j = 0; j < U; j++)
    for (size_t k = 0; k < U; k++) sig[j * U + k] = (j == k ? 1 : 0.3) * sd[j] * sd[k];
  for (size_t j = 0; j < U; j++)
    for (size_t k = 0; k <= j; k++) {
      double v = sig[j * U + k];
      for (size_t q = 0; q < k; q++) v -= L[j * U + q] * L[k * U + q];
      L[j * U + k] = j == k ? sqrt(v) : v / L[k * U + k];
    }
  for (size_t j = 0; j < U; j++)
    for (size_t k = 0; k < U; k++) se[j * U + k] = sqrt(sig[j * U + j] + sig[k * U + k] - 2 * sig[j * U + k]);
  int truth[8];
  for (size_t j = 0; j < U; j++) {
    truth[j] = 1;
    for (size_t k = 0; k < U; k++) truth[j] += theta[k] > theta[j];
  }
  rng_stream g;
  rng_init(&g, 2024, 1);
  double *z = malloc(R * U * sizeof *z), e[8], hat[8];
  size_t sim_cover = 0, marg_cover[8] = {0};
  for (size_t s = 0; s < S; s++) {
    for (size_t r = 0; r <= R; r++) { /* r == R: the estimation error */
      double n[8];
      for (size_t j = 0; j < U; j++) n[j] = rng_normal(&g);
      for (size_t j = 0; j < U; j++) {
        double v = 0;
        for (size_t q = 0; q <= j; q++) v += L[j * U + q] * n[q];
        if (r < R) z[r * U + j] = v;
        else e[j] = v;
      }
    }
    for (size_t j = 0; j < U; j++) hat[j] = theta[j] + e[j];
    int lo[8], hi[8], mlo[8], mhi[8], all = 1;
    assert_int_equal(rankstat_sets(hat, z, R, U, se, 0.05, 1, lo, hi, mlo, mhi, NULL), 0);
    for (size_t j = 0; j < U; j++) {
      all &= lo[j] <= truth[j] && truth[j] <= hi[j];
      marg_cover[j] += mlo[j] <= truth[j] && truth[j] <= mhi[j];
    }
    sim_cover += all;
  }
  double floor = 0.95 - 3 * sqrt(0.95 * 0.05 / (double)S);
  print_message("simultaneous coverage %.3f (floor %.3f)\n", (double)sim_cover / (double)S, floor);
  assert_true((double)sim_cover / (double)S >= floor);
  for (size_t j = 0; j < U; j++) assert_true((double)marg_cover[j] / (double)S >= floor);
  free(z);
}

/* Estimates and a covariance alone (chiso ranks): separated units get
** their point rank, equal ones share [1, 3]; P(top k) sums to k over the
** units; the tau sets; a zero variance is allowed; a covariance that is
** not symmetric or not positive semi-definite is refused. */
static void test_parametric(void **state) {
  (void)state;
  rankstat_param_options o = {.coverage = 0.95, .R = 2000, .seed = 4, .tau = 1};
  rankstat_param_unit u[5];
  chiso_err err;
  const double x[5] = {100, 50, 50, 50, 0};
  double cov[25] = {0};
  for (int j = 0; j < 5; j++) cov[j * 5 + j] = j == 0 ? 0 : 1; /* unit 1 without error */
  assert_int_equal(rankstat_parametric(x, cov, 5, &o, u, &err), 0);
  assert_int_equal(u[0].rank, 1);
  assert_int_equal(u[0].sim_lo, 1);
  assert_int_equal(u[0].sim_hi, 1);
  for (int j = 1; j < 4; j++) {
    assert_int_equal(u[j].rank, 2);
    assert_int_equal(u[j].sim_lo, 2);
    assert_int_equal(u[j].sim_hi, 4);
    assert_true(u[j].marg_lo >= u[j].sim_lo && u[j].marg_hi <= u[j].sim_hi);
    assert_close(u[j].p_top[1], 2.0 / 3, 0.04); /* two of the three tied reach top 3 */
  }
  assert_int_equal(u[4].sim_lo, 5);
  double sum3 = 0;
  for (int j = 0; j < 5; j++) sum3 += u[j].p_top[1];
  assert_close(sum3, 3, 1e-12);
  assert_true(u[0].tau_best && !u[1].tau_best && u[4].tau_worst && !u[3].tau_worst);
  /* lower is better: the order reverses */
  o.lower_is_better = 1;
  assert_int_equal(rankstat_parametric(x, cov, 5, &o, u, &err), 0);
  assert_int_equal(u[4].rank, 1);
  assert_int_equal(u[0].sim_lo, 5);
  o.lower_is_better = 0;
  /* errors */
  cov[1 * 5 + 2] = 0.5;
  assert_int_equal(rankstat_parametric(x, cov, 5, &o, u, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "not symmetric"));
  cov[2 * 5 + 1] = 0.5;
  cov[1 * 5 + 2] = cov[2 * 5 + 1] = 3; /* |correlation| 3 */
  assert_int_equal(rankstat_parametric(x, cov, 5, &o, u, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "not positive semi-definite"));
  o.tau = 9;
  assert_int_equal(rankstat_parametric(x, cov, 5, &o, u, &err), CHISO_EUSAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hand_worked), cmocka_unit_test(test_quantiles),
      cmocka_unit_test(test_compute_ranks_match),
      cmocka_unit_test(test_separated_unit), cmocka_unit_test(test_identical_units),
      cmocka_unit_test(test_lower_is_better_and_errors),
      cmocka_unit_test(test_replicate_ranks_definition), cmocka_unit_test(test_tied_groups),
      cmocka_unit_test(test_stepdown_hand), cmocka_unit_test(test_sets_equal_R),
      cmocka_unit_test(test_stepdown_never_wider), cmocka_unit_test(test_stepdown_coverage),
      cmocka_unit_test(test_parametric)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* rankstat.c — rank statistics and MRSW (2024) rank confidence sets. */
#include "uncertainty/rankstat.h"

#include "base/quantile.h"

#include "uncertainty/bootstrap.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/workers.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const int rankstat_top_k[RANKSTAT_NTOP] = {1, 3, 5, 10};

/* Orientation: internally a larger value is better, NaN is worst. */
static double oriented(double x, int lower_is_better) {
  if (isnan(x)) return -INFINITY;
  return lower_is_better ? -x : x;
}

void rankstat_ranks(const double *score, size_t U, int lower_is_better, int *rank) {
  for (size_t j = 0; j < U; j++) {
    double sj = oriented(score[j], lower_is_better);
    int r = 1;
    for (size_t k = 0; k < U; k++)
      if (oriented(score[k], lower_is_better) > sj) r++;
    rank[j] = r;
  }
}

/* Random tie-break key of unit j in replicate r: one Philox block at
** counter (j, 0, r, tag), so no state and no allocation is needed. */
static uint32_t tie_key(const rng_stream *base, size_t j) {
  uint32_t ctr[4] = {(uint32_t)j, (uint32_t)((uint64_t)j >> 32), base->ctr[2], base->ctr[3]};
  uint32_t out[4];
  rng_philox4x32_10(ctr, base->key, out);
  return out[0];
}

/* The O(U²) definition: rank = 1 + #better + #tied with a smaller key
** (ties of keys broken by index). Used for large U (no scratch). */
static void replicate_ranks_pairs(const double *score, size_t U, int lower_is_better,
                                  const rng_stream *s, int *rank) {
  for (size_t j = 0; j < U; j++) {
    double sj = oriented(score[j], lower_is_better);
    uint32_t tj = 0;
    int rk = 1, have = 0;
    for (size_t k = 0; k < U; k++) {
      if (k == j) continue;
      double sk = oriented(score[k], lower_is_better);
      if (sk > sj) { rk++; continue; }
      if (sk < sj) continue;
      if (!have) { tj = tie_key(s, j); have = 1; }
      uint32_t tk = tie_key(s, k);
      if (tk < tj || (tk == tj && k < j)) rk++;
    }
    rank[j] = rk;
  }
}

typedef struct ranked { double s; uint32_t key; uint32_t i; } ranked;

/* Best first; equal scores by tie key, then index. */
static inline int before(const ranked *x, const ranked *y) {
  if (x->s != y->s) return x->s > y->s;
  if (x->key != y->key) return x->key < y->key;
  return x->i < y->i;
}

/* Stable bottom-up merge sort of v[0..n) with scratch t[n] (comparisons
** inlined: this runs once per replicate). */
static void sort_ranked(ranked *v, ranked *t, size_t n) {
  for (size_t i = 1; i < n; i += 2)  /* pairs first */
    if (before(&v[i], &v[i - 1])) { ranked x = v[i]; v[i] = v[i - 1]; v[i - 1] = x; }
  for (size_t w = 2; w < n; w *= 2) {
    for (size_t a = 0; a < n; a += 2 * w) {
      size_t m = a + w < n ? a + w : n, e = a + 2 * w < n ? a + 2 * w : n, i = a, j = m, o = a;
      while (i < m && j < e) t[o++] = before(&v[j], &v[i]) ? v[j++] : v[i++];
      while (i < m) t[o++] = v[i++];
      while (j < e) t[o++] = v[j++];
    }
    memcpy(v, t, n * sizeof *v);
  }
}

/* Insertion sort of v[0..n), fast when v is nearly in order (a replicate
** starting from the nominal order); when it is not (more than 8n moves),
** the merge sort finishes the job. `before` is a strict total order, so
** both give the one sorted order. */
static void sort_ranked_from(ranked *v, ranked *t, size_t n) {
  size_t moves = 0;
  for (size_t i = 1; i < n; i++) {
    ranked x = v[i];
    size_t j = i;
    while (j > 0 && before(&x, &v[j - 1])) { v[j] = v[j - 1]; j--; }
    v[j] = x;
    moves += i - j;
    if (moves > 8 * n) { sort_ranked(v, t, n); return; }
  }
}

#define RANKSTAT_STACK_UNITS 1024

/* The same ranks by sorting, O(U log U): sort by score (key 0), then give
** the units of each run of equal scores their tie keys and sort the run
** again. The order is the one the pair definition counts. `start` (NULL
** or a permutation of 0..U-1, e.g. the nominal order) is where the sort
** starts from. */
static void replicate_ranks_sort(const double *score, size_t U, int lower_is_better,
                                 const rng_stream *s, const uint32_t *start, int *rank) {
  ranked v[RANKSTAT_STACK_UNITS], tmp[RANKSTAT_STACK_UNITS];
  for (size_t p = 0; p < U; p++) {
    uint32_t j = start ? start[p] : (uint32_t)p;
    v[p] = (ranked){oriented(score[j], lower_is_better), 0, j};
  }
  if (start) sort_ranked_from(v, tmp, U);
  else sort_ranked(v, tmp, U);
  for (size_t a = 0; a < U;) {
    size_t b = a + 1;
    while (b < U && v[b].s == v[a].s) b++;
    if (b - a > 1) {
      for (size_t k = a; k < b; k++) v[k].key = tie_key(s, v[k].i);
      sort_ranked(v + a, tmp, b - a);
    }
    a = b;
  }
  for (size_t p = 0; p < U; p++) rank[v[p].i] = (int)p + 1;
}

static void replicate_ranks(const double *score, size_t U, int lower_is_better, uint64_t seed,
                            size_t r, const uint32_t *start, int *rank) {
  rng_stream s;
  rng_init(&s, seed, ((uint64_t)1 << 63) | (uint64_t)r);
  if (U <= RANKSTAT_STACK_UNITS) replicate_ranks_sort(score, U, lower_is_better, &s, start, rank);
  else replicate_ranks_pairs(score, U, lower_is_better, &s, rank);
}

void rankstat_replicate_ranks(const double *score, size_t U, int lower_is_better, uint64_t seed,
                         size_t r, int *rank) {
  replicate_ranks(score, U, lower_is_better, seed, r, NULL, rank);
}

/* ---- percentile statistics ---------------------------------------------- */

typedef struct work {
  size_t R, U;
  const double *hat, *theta;
  const rankstat_options *opt;
  int *ranks;     /* R × U */
  double *col;    /* R scratch */
  size_t *count;  /* U + 1 scratch (the nominal order) */
} work;

static void score_intervals(const work *w, size_t j, rankstat_unit *u, double *col) {
  size_t m = 0;
  for (size_t r = 0; r < w->R; r++) {
    double t = w->theta[r * w->U + j];
    if (!isnan(t)) col[m++] = t;
  }
  u->se = u->lo90 = u->hi90 = NAN;
  if (m == 0 || w->opt->no_score_intervals) {
    u->lo95 = u->hi95 = NAN;
    return;
  }
  if (!w->opt->intervals_only) {
    u->se = bootstrap_se(w->theta, w->R, w->U, j);
    u->lo90 = quantile_select(col, m, 0.05, 1);
    u->hi90 = quantile_select(col, m, 0.95, 1);
  }
  u->lo95 = quantile_select(col, m, 0.025, 1);
  u->hi95 = quantile_select(col, m, 0.975, 1);
}

/* Ranks are 1..U: sorted by counting. */
static void rank_intervals(const work *w, size_t j, rankstat_unit *u, double *col, size_t *count) {
  size_t R = w->R, o = 0;
  memset(count, 0, (w->U + 1) * sizeof *count);
  for (size_t r = 0; r < R; r++) count[w->ranks[r * w->U + j]]++;
  for (size_t v = 1; v <= w->U; v++)
    for (size_t c = 0; c < count[v]; c++) col[o++] = (double)v;
  u->rank_median = quantile_sorted(col, R, 0.5, 1);
  u->rank_lo95 = (int)quantile_sorted(col, R, 0.025, 0);
  u->rank_hi95 = (int)quantile_sorted(col, R, 0.975, 0);
  if (w->opt->intervals_only) {
    for (int t = 0; t < RANKSTAT_NTOP; t++) u->p_top[t] = NAN;
    return;
  }
  u->rank_lo90 = (int)quantile_sorted(col, R, 0.05, 0);
  u->rank_hi90 = (int)quantile_sorted(col, R, 0.95, 0);
  for (int t = 0; t < RANKSTAT_NTOP; t++) {
    size_t c = 0;
    for (size_t r = 0; r < R; r++) c += col[r] <= rankstat_top_k[t];
    u->p_top[t] = (double)c / (double)R;
  }
}

static void above_mean(const work *w, rankstat_unit *out) {
  size_t R = w->R, U = w->U;
  for (size_t j = 0; j < U; j++) out[j].p_above_mean = 0;
  for (size_t r = 0; r < R; r++) {
    const double *row = w->theta + r * U;
    double ref = 0;
    if (w->opt->mean) {
      ref = w->opt->mean[r];
    } else {
      size_t m = 0;
      for (size_t j = 0; j < U; j++)
        if (!isnan(row[j])) { ref += row[j]; m++; }
      ref = m ? ref / (double)m : NAN;
    }
    for (size_t j = 0; j < U; j++)
      if (oriented(row[j], w->opt->lower_is_better) > oriented(ref, w->opt->lower_is_better))
        out[j].p_above_mean += 1.0; /* a count until the division below */
  }
  for (size_t j = 0; j < U; j++) out[j].p_above_mean /= (double)R;
}

/* ---- Mogstad, Romano, Shaikh & Wilhelm (2024) confidence sets ----------- */

/* se_jk = SD of z_j − z_k over the draws (divisor R − 1), for all pairs. */
static void pair_se(const double *z, size_t R, size_t U, double *se) {
  for (size_t j = 0; j < U; j++)
    for (size_t k = j; k < U; k++) {
      double s = 0, ss = 0;
      size_t m = 0;
      for (size_t r = 0; r < R; r++) {
        double d = z[r * U + j] - z[r * U + k];
        if (isnan(d)) continue;
        s += d;
        ss += d * d;
        m++;
      }
      double v = m > 1 ? (ss - s * s / (double)m) / (double)(m - 1) : 0;
      se[j * U + k] = se[k * U + j] = v > 0 ? sqrt(v) : 0;
    }
}

/* A family of ordered pairs (j, k), each the one-sided hypothesis
** "θ_j <= θ_k", rejected when θ̂_j − θ̂_k > ĉ se_jk (then j is surely better
** than k). MRSW (2024) §3: the two-sided confidence set for all pairs is the
** one-sided family over both orders (max over ordered pairs of (z_j −
** z_k)/se_jk = max over pairs of |z_j − z_k|/se_jk), which the stepdown
** then refines (Romano & Wolf 2005, "Exact and approximate stepdown
** methods for multiple hypothesis testing", JASA 100:94–108): remove the
** rejected hypotheses, recompute ĉ over the rest, repeat until nothing new
** is rejected. */
typedef struct pairs {
  int *j, *k;     /* the hypotheses still in the family */
  size_t n;
} pairs;

/* ĉ: the 1 − α quantile (type 7, R's default, as csranks) over the draws
** of max over the family of (z_j − z_k)/se_jk. */
static double crit(const pairs *P, const double *z, size_t R, size_t U, const double *se,
                   double alpha, double *col) {
  for (size_t r = 0; r < R; r++) {
    const double *zr = z + r * U;
    double t = -INFINITY;
    for (size_t q = 0; q < P->n; q++) {
      double d = (zr[P->j[q]] - zr[P->k[q]]) / se[(size_t)P->j[q] * U + (size_t)P->k[q]];
      if (d > t) t = d; /* NaN never wins */
    }
    col[r] = t;
  }
  return quantile_select(col, R, 1 - alpha, 1);
}

/* Test the family (single step, or stepdown to the end); mark rejected
** pairs in better[j * U + k] (1: j surely better than k). */
static void test_family(pairs *P, const double *hat, const double *z, size_t R, size_t U,
                        const double *se, double alpha, int stepdown, unsigned char *better,
                        double *col) {
  for (;;) {
    if (P->n == 0) return;
    double c = crit(P, z, R, U, se, alpha, col);
    size_t kept = 0, rejected = 0;
    for (size_t q = 0; q < P->n; q++) {
      int j = P->j[q], k = P->k[q];
      if (hat[j] - hat[k] > c * se[(size_t)j * U + (size_t)k]) {
        better[(size_t)j * U + (size_t)k] = 1;
        rejected++;
      } else {
        P->j[kept] = j;
        P->k[kept++] = k;
      }
    }
    P->n = kept;
    if (!stepdown || rejected == 0) return;
  }
}

/* The rank set of unit u from the rejections: [1 + #{k surely better},
** U − #{k surely worse}]. */
static void rank_set(const unsigned char *better, size_t U, size_t u, int *lo, int *hi) {
  int above = 0, below = 0;
  for (size_t k = 0; k < U; k++) {
    if (k == u) continue;
    above += better[k * U + u];
    below += better[u * U + k];
  }
  *lo = 1 + above;
  *hi = (int)U - below;
}

/* The ordered pairs with a positive se: all of them (unit < 0), or those
** involving `unit` (its marginal set). A pair with se 0 carries no
** sampling variation: it is not tested, and j is better than k exactly
** when its estimate is larger. */
static void family(pairs *P, const double *hat, size_t U, const double *se, long unit,
                   unsigned char *better) {
  P->n = 0;
  for (size_t j = 0; j < U; j++)
    for (size_t k = 0; k < U; k++) {
      if (j == k || (unit >= 0 && (size_t)unit != j && (size_t)unit != k)) continue;
      if (!(se[j * U + k] > 0)) {
        better[j * U + k] = hat[j] > hat[k];
        continue;
      }
      P->j[P->n] = (int)j;
      P->k[P->n++] = (int)k;
    }
}

int rankstat_sets(const double *hat, const double *z, size_t R, size_t U, const double *se_in,
                  double alpha, int stepdown, int *sim_lo, int *sim_hi, int *marg_lo, int *marg_hi,
                  chiso_err *err) {
  assert(hat && z && sim_lo && sim_hi);
  if (R < 2 || U < 1) return chiso_err_set(err, CHISO_EUSAGE, "rank sets need 2+ draws and 1+ unit");
  if (!(alpha > 0 && alpha < 1)) return chiso_err_set(err, CHISO_EUSAGE, "alpha must be in (0, 1)");
  double *se = se_in ? NULL : chiso_malloc(U * U * sizeof *se), *col = chiso_malloc(R * sizeof *col);
  unsigned char *better = chiso_calloc(U * U, 1);
  pairs P = {chiso_malloc(U * U * sizeof(int)), chiso_malloc(U * U * sizeof(int)), 0};
  int rc = CHISO_OK;
  if ((!se_in && !se) || !col || !better || !P.j || !P.k) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  if (!se_in) pair_se(z, R, U, se);
  const double *S = se_in ? se_in : se;
  family(&P, hat, U, S, -1, better);
  test_family(&P, hat, z, R, U, S, alpha, stepdown, better, col);
  for (size_t u = 0; u < U; u++) rank_set(better, U, u, &sim_lo[u], &sim_hi[u]);
  for (size_t u = 0; marg_lo && marg_hi && u < U; u++) {
    memset(better, 0, U * U);
    family(&P, hat, U, S, (long)u, better);
    test_family(&P, hat, z, R, U, S, alpha, stepdown, better, col);
    rank_set(better, U, u, &marg_lo[u], &marg_hi[u]);
  }
done:
  chiso_free(se);
  chiso_free(col);
  chiso_free(better);
  chiso_free(P.j);
  chiso_free(P.k);
  return rc;
}

static int mrsw_sets(const work *w, rankstat_unit *out, chiso_err *err) {
  size_t R = w->R, U = w->U;
  double alpha = w->opt->alpha > 0 ? w->opt->alpha : 0.05;
  double *z = chiso_malloc(R * U * sizeof *z), *hat = chiso_malloc(U * sizeof *hat);
  int *b = chiso_malloc(4 * U * sizeof *b);
  int rc = CHISO_OK;
  if (!z || !hat || !b) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t j = 0; j < U; j++) hat[j] = oriented(w->hat[j], w->opt->lower_is_better);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < U; j++) {
      double t = w->theta[r * U + j];
      z[r * U + j] = isnan(t) ? NAN : oriented(t, w->opt->lower_is_better) - hat[j];
    }
  rc = rankstat_sets(hat, z, R, U, NULL, alpha, !w->opt->single_step, b, b + U, b + 2 * U, b + 3 * U, err);
  for (size_t j = 0; !rc && j < U; j++) {
    out[j].sim_lo = b[j];
    out[j].sim_hi = b[U + j];
    out[j].marg_lo = b[2 * U + j];
    out[j].marg_hi = b[3 * U + j];
    /* τ-best set (MRSW §4.2; csranks cstaubest): every unit whose
    ** simultaneous lower rank bound is within τ; it covers the true top τ
    ** with probability >= 1 − α (the one-sided family of the τ-best is the
    ** two-sided family's lower half, so the stepdown bounds carry over). */
    for (int t = 0; t < RANKSTAT_NTOP; t++) out[j].in_top[t] = out[j].sim_lo <= rankstat_top_k[t];
  }
done:
  chiso_free(z);
  chiso_free(hat);
  chiso_free(b);
  return rc;
}

/* ---- estimates and covariance (csranks) ------------------------------------ */

/* Σ = L Lᵀ for a positive semi-definite Σ (Cholesky–Banachiewicz; a pivot
** within 1e-12 of zero, relative to the largest variance, is a zero
** variance direction: its column is 0). Returns the first bad row + 1, or 0. */
static size_t cholesky(const double *S, size_t U, double *L) {
  double big = 0;
  for (size_t j = 0; j < U; j++) big = fmax(big, S[j * U + j]);
  double tol = 1e-12 * (big > 0 ? big : 1);
  for (size_t j = 0; j < U; j++)
    for (size_t k = 0; k <= j; k++) {
      double v = S[j * U + k];
      for (size_t q = 0; q < k; q++) v -= L[j * U + q] * L[k * U + q];
      if (j == k) {
        if (v < -tol) return j + 1;
        L[j * U + j] = v > tol ? sqrt(v) : 0;
      } else {
        if (L[k * U + k] == 0 && fabs(v) > tol * 1e3) return j + 1;
        L[j * U + k] = L[k * U + k] > 0 ? v / L[k * U + k] : 0;
      }
    }
  return 0;
}

static int param_check(const double *x, const double *cov, size_t U, const rankstat_param_options *o,
                       chiso_err *err) {
  if (U < 2) return chiso_err_set(err, CHISO_EUSAGE, "ranking needs at least 2 units");
  if (o->coverage != 0 && !(o->coverage > 0 && o->coverage < 1))
    return chiso_err_set(err, CHISO_EUSAGE, "coverage must be between 0 and 1");
  if (o->tau < 0 || (size_t)o->tau > U)
    return chiso_err_set(err, CHISO_EUSAGE, "tau must be between 1 and the %zu units", U);
  for (size_t j = 0; j < U; j++) {
    if (!isfinite(x[j])) return chiso_err_set(err, CHISO_EDATA, "unit %zu has no finite estimate", j + 1);
    if (!(cov[j * U + j] >= 0)) return chiso_err_set(err, CHISO_EDATA, "unit %zu has a negative or missing variance", j + 1);
    for (size_t k = 0; k < j; k++) {
      double a = cov[j * U + k], b = cov[k * U + j];
      if (!isfinite(a) || fabs(a - b) > 1e-9 * fmax(1, fmax(fabs(a), fabs(b))))
        return chiso_err_set(err, CHISO_EDATA, "the covariance of units %zu and %zu is not symmetric", k + 1, j + 1);
    }
  }
  return CHISO_OK;
}

/* Draw r: z = L n, n standard normals from the stream (seed, r). */
static void draw(const double *L, size_t U, uint64_t seed, size_t r, double *n, double *z) {
  rng_stream s;
  rng_init(&s, seed, ((uint64_t)1 << 62) | (uint64_t)r);
  for (size_t j = 0; j < U; j++) n[j] = rng_normal(&s);
  for (size_t j = 0; j < U; j++) {
    double v = 0;
    for (size_t q = 0; q <= j; q++) v += L[j * U + q] * n[q];
    z[j] = v;
  }
}

int rankstat_parametric(const double *x, const double *cov, size_t U,
                        const rankstat_param_options *o, rankstat_param_unit *out, chiso_err *err) {
  assert(x && cov && o && out);
  int rc = param_check(x, cov, U, o, err);
  if (rc) return rc;
  size_t R = o->R ? o->R : 1000;
  double alpha = 1 - (o->coverage > 0 ? o->coverage : 0.95);
  double *L = chiso_calloc(U * U, sizeof *L), *se = chiso_malloc(U * U * sizeof *se);
  double *z = chiso_malloc(R * U * sizeof *z), *hat = chiso_malloc(U * sizeof *hat);
  double *n = chiso_malloc(U * sizeof *n), *tmp = chiso_malloc(U * sizeof *tmp);
  int *b = chiso_malloc(4 * U * sizeof *b), *rk = chiso_malloc(U * sizeof *rk);
  size_t *top = chiso_calloc((RANKSTAT_NTOP + 1) * U, sizeof *top);
  if (!L || !se || !z || !hat || !n || !tmp || !b || !rk || !top) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  size_t bad = cholesky(cov, U, L);
  if (bad) {
    rc = chiso_err_set(err, CHISO_EDATA, "the covariance matrix is not positive semi-definite (row %zu)", bad);
    goto done;
  }
  for (size_t j = 0; j < U; j++) {
    hat[j] = o->lower_is_better ? -x[j] : x[j];
    for (size_t k = 0; k < U; k++) {
      double v = cov[j * U + j] + cov[k * U + k] - 2 * cov[j * U + k];
      se[j * U + k] = v > 0 ? sqrt(v) : 0;
    }
  }
  for (size_t r = 0; r < R; r++) {
    draw(L, U, o->seed, r, n, z + r * U);
    for (size_t j = 0; j < U; j++) {
      if (o->lower_is_better) z[r * U + j] = -z[r * U + j];
      tmp[j] = hat[j] + z[r * U + j];
    }
    rankstat_ranks(tmp, U, 0, rk); /* continuous draws: ties have probability 0 */
    for (size_t j = 0; j < U; j++) {
      for (int t = 0; t < RANKSTAT_NTOP; t++) top[j * (RANKSTAT_NTOP + 1) + (size_t)t] += rk[j] <= rankstat_top_k[t];
      top[j * (RANKSTAT_NTOP + 1) + RANKSTAT_NTOP] += o->tau > 0 && rk[j] <= o->tau;
    }
  }
  rc = rankstat_sets(hat, z, R, U, se, alpha, !o->single_step, b, b + U, b + 2 * U, b + 3 * U, err);
  rankstat_ranks(hat, U, 0, rk);
  for (size_t j = 0; !rc && j < U; j++) {
    rankstat_param_unit *u = &out[j];
    u->rank = rk[j];
    u->sim_lo = b[j];
    u->sim_hi = b[U + j];
    u->marg_lo = b[2 * U + j];
    u->marg_hi = b[3 * U + j];
    for (int t = 0; t < RANKSTAT_NTOP; t++) u->p_top[t] = (double)top[j * (RANKSTAT_NTOP + 1) + (size_t)t] / (double)R;
    u->p_top_tau = o->tau > 0 ? (double)top[j * (RANKSTAT_NTOP + 1) + RANKSTAT_NTOP] / (double)R : NAN;
    u->tau_best = o->tau > 0 && u->sim_lo <= o->tau;
    u->tau_worst = o->tau > 0 && u->sim_hi >= (int)U - o->tau + 1;
  }
done:
  chiso_free(L); chiso_free(se); chiso_free(z); chiso_free(hat); chiso_free(n); chiso_free(tmp);
  chiso_free(b); chiso_free(rk); chiso_free(top);
  return rc;
}

/* ---- driver ------------------------------------------------------------- */

/* Units by nominal rank 1..U (ties by index): a counting sort, with
** at[U + 1] as scratch. */
static void nominal_order(const int *rank, size_t U, size_t *at, uint32_t *order) {
  memset(at, 0, (U + 1) * sizeof *at);
  for (size_t j = 0; j < U; j++) at[rank[j]]++;
  for (size_t v = 1, sum = 0; v <= U; v++) {
    size_t c = at[v];
    at[v] = sum;
    sum += c;
  }
  for (size_t j = 0; j < U; j++) order[at[rank[j]]++] = (uint32_t)j;
}

/* Per-item jobs of rankstat_compute: replicate ranks (items = replicates) and
** per-unit statistics (items = units, per-thread scratch). Every item
** writes only its own slot: same bytes for any thread count. */
typedef struct rankstat_job {
  const work *w;
  const int *nominal;
  const uint32_t *order; /* U: units by nominal rank, where replicate sorts start */
  rankstat_unit *out;
  double *col;      /* threads × R */
  size_t *count;    /* threads × (U + 1) */
} rankstat_job;

static int ranks_items(void *ud, int thread, size_t r0, size_t r1) {
  (void)thread;
  const rankstat_job *j = ud;
  const work *w = j->w;
  for (size_t r = r0; r < r1; r++)
    replicate_ranks(w->theta + r * w->U, w->U, w->opt->lower_is_better, w->opt->seed, r, j->order,
                    w->ranks + r * w->U);
  return CHISO_OK;
}

static int unit_items(void *ud, int thread, size_t j0, size_t j1) {
  const rankstat_job *jb = ud;
  const work *w = jb->w;
  double *col = jb->col + (size_t)thread * w->R;
  size_t *count = jb->count + (size_t)thread * (w->U + 1);
  for (size_t j = j0; j < j1; j++) {
    rankstat_unit *u = &jb->out[j];
    memset(u, 0, sizeof *u);
    u->score = w->hat[j];
    u->rank = jb->nominal[j];
    score_intervals(w, j, u, col);
    rank_intervals(w, j, u, col, count);
  }
  return CHISO_OK;
}

/* Near-tie groups (docs/uncertainty.md §2): walk the units in nominal
** order (best first, ties by index); a unit joins the previous unit's group
** when their replicate order is reversed (or tied) in at least 2.5% of the
** replicates where both have a value, i.e. the 95% percentile interval of
** the difference θ*_prev − θ*_unit reaches 0 (Goldstein & Spiegelhalter
** 1996, JRSS A 159:385–443, on reading league tables by overlapping
** intervals). Descriptive: claims should use the MRSW sets. */
static int tied_groups(const work *w, rankstat_unit *out, chiso_err *err) {
  size_t U = w->U, *ord = chiso_malloc(U * sizeof *ord);
  if (!ord) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t j = 0; j < U; j++) ord[j] = j;
  for (size_t i = 1; i < U; i++) /* insertion sort by nominal rank, then index */
    for (size_t k = i; k > 0 && out[ord[k]].rank < out[ord[k - 1]].rank; k--) {
      size_t t = ord[k]; ord[k] = ord[k - 1]; ord[k - 1] = t;
    }
  int g = 1;
  size_t first = 0;
  for (size_t p = 0; p < U; p++) {
    if (p > 0) {
      size_t a = ord[p - 1], b = ord[p], n = 0, rev = 0;
      for (size_t r = 0; r < w->R; r++) {
        double ta = oriented(w->theta[r * U + a], w->opt->lower_is_better);
        double tb = oriented(w->theta[r * U + b], w->opt->lower_is_better);
        if (isinf(ta) && isinf(tb)) continue;
        n++;
        rev += tb >= ta;
      }
      if (!(n > 0 && (double)rev >= 0.025 * (double)n)) {
        for (size_t q = first; q < p; q++) out[ord[q]].tied_size = (int)(p - first);
        g++;
        first = p;
      }
    }
    out[ord[p]].tied_group = g;
  }
  for (size_t q = first; q < U; q++) out[ord[q]].tied_size = (int)(U - first);
  chiso_free(ord);
  return CHISO_OK;
}

int rankstat_compute(const double *theta_hat, const double *theta, size_t R, size_t U,
                const rankstat_options *opt, rankstat_unit *out, chiso_err *err) {
  assert(theta_hat && theta && out);
  rankstat_options dflt = {0};
  if (!opt) opt = &dflt;
  if (R < 2 || U < 1)
    return chiso_err_set(err, CHISO_EUSAGE, "rank statistics need 2+ replicates and 1+ unit");
  for (size_t j = 0; j < U; j++)
    if (!isfinite(theta_hat[j]))
      return chiso_err_set(err, CHISO_EDATA, "unit %zu has no finite score", j + 1);
  size_t T = opt->threads > 1 ? (size_t)opt->threads : 1;
  work w = {R, U, theta_hat, theta, opt, chiso_malloc(R * U * sizeof(int)),
            chiso_malloc(R * sizeof(double)), chiso_malloc((U + 1) * sizeof(size_t))};
  int *nominal = chiso_malloc(U * sizeof(int));
  uint32_t *order = chiso_malloc(U * sizeof(uint32_t));
  rankstat_job job = {&w, nominal, order, out, chiso_malloc(T * R * sizeof(double)),
                 chiso_malloc(T * (U + 1) * sizeof(size_t))};
  int rc = CHISO_OK;
  if (!w.ranks || !w.col || !w.count || !nominal || !order || !job.col || !job.count) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto done;
  }
  rankstat_ranks(theta_hat, U, opt->lower_is_better, nominal);
  nominal_order(nominal, U, w.count, order);
  rc = workers_run((int)T, R, 64, ranks_items, &job, NULL, NULL, "replicate ranks", err);
  if (!rc) rc = workers_run((int)T, U, 1, unit_items, &job, NULL, NULL, "rank statistics", err);
  if (rc) goto done;
  if (opt->intervals_only) {
    for (size_t j = 0; j < U; j++) out[j].p_above_mean = NAN;
    goto done;
  }
  above_mean(&w, out);
  rc = tied_groups(&w, out, err);
  if (!rc && !opt->no_sets) rc = mrsw_sets(&w, out, err);
done:
  chiso_free(job.col);
  chiso_free(job.count);
  chiso_free(w.count);
  chiso_free(w.ranks);
  chiso_free(w.col);
  chiso_free(nominal);
  chiso_free(order);
  return rc;
}

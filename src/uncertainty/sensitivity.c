/* sensitivity.c — uncertainty analysis and Sobol indices (sensitivity.h). */
#include "uncertainty/sensitivity.h"

#include "base/quantile.h"

#include "base/mem.h"
#include "uncertainty/qmc.h"
#include "uncertainty/rankstat.h"
#include "base/rng.h"
#include "base/workers.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEED_SALT 0x5e45a11eu  /* keeps these streams apart from the bootstrap's */

size_t sensitivity_dim(const sensitivity_input *in, size_t n) {
  size_t d = 0;
  for (size_t i = 0; i < n; i++) d += in[i].kind == SENSITIVITY_DISCRETE ? 1 : (size_t)in[i].dim;
  return d;
}

int sensitivity_check(const sensitivity_problem *p, chiso_err *err) {
  if (!p->model || p->n_inputs == 0 || p->n_out == 0)
    return chiso_err_set(err, CHISO_EUSAGE, "sensitivity: no model, inputs or outputs");
  for (size_t i = 0; i < p->n_inputs; i++) {
    const sensitivity_input *s = &p->inputs[i];
    int ok = s->kind == SENSITIVITY_DISCRETE ? s->levels >= 1 : s->dim >= 1;
    if (s->kind == SENSITIVITY_UNIFORM) ok = ok && s->hi >= s->lo;
    if (s->kind == SENSITIVITY_DIRICHLET) ok = ok && s->conc > 0 && s->mean;
    if (!ok)
      return chiso_err_set(err, CHISO_EUSAGE, "uncertain input '%s' is not well defined",
                           s->name);
  }
  return CHISO_OK;
}

/* ---- transforms ---------------------------------------------------------- */

/* Acklam (2003) rational approximation of Φ⁻¹, then one Halley step on
** erfc, which makes it accurate to about 1e-15. */
double sensitivity_norm_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                             -2.759285104469687e+02, 1.383577518672690e+02,
                             -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                             -1.556989798598866e+02, 6.680131188771972e+01,
                             -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                             -2.400758277161838e+00, -2.549732539343734e+00,
                             4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                             2.445134137142996e+00, 3.754408661907416e+00};
  if (p <= 0) return -INFINITY;
  if (p >= 1) return INFINITY;
  double x, q, r;
  if (p < 0.02425 || p > 1 - 0.02425) {
    q = sqrt(-2 * log(p < 0.5 ? p : 1 - p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    if (p > 0.5) x = -x;
  } else {
    q = p - 0.5;
    r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  double e = 0.5 * erfc(-x / sqrt(2.0)) - p;
  double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* Gamma(a, 1) quantile by Wilson & Hilferty (1931): a (1 − 1/(9a) +
** z sqrt(1/(9a)))³, floored at a tiny positive value. */
static double gamma_quantile(double u, double a) {
  double z = sensitivity_norm_quantile(u), t = 1 / (9 * a);
  double g = 1 - t + z * sqrt(t);
  return g > 1e-6 ? a * g * g * g : a * 1e-18;
}

void sensitivity_transform(const sensitivity_input *in, size_t n, const double *u, double *x) {
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    const sensitivity_input *s = &in[i];
    if (s->kind == SENSITIVITY_DISCRETE) {
      double v = floor(u[o] * s->levels);
      x[o++] = v < s->levels ? v : s->levels - 1;
      continue;
    }
    if (s->kind == SENSITIVITY_UNIFORM) {
      for (int k = 0; k < s->dim; k++, o++) x[o] = s->lo + u[o] * (s->hi - s->lo);
      continue;
    }
    double tot = 0;
    for (int k = 0; k < s->dim; k++) tot += x[o + k] = gamma_quantile(u[o + k], s->conc * s->mean[k]);
    for (int k = 0; k < s->dim; k++) x[o + k] /= tot;
    o += (size_t)s->dim;
  }
}

/* ---- sampling ------------------------------------------------------------ */

typedef struct sampler {
  const sensitivity_problem *p;
  size_t D;
  int use_qmc;
  qmc_sobol q;
} sampler;

static int sampler_init(sampler *s, const sensitivity_problem *p, chiso_err *err) {
  s->p = p;
  s->D = sensitivity_dim(p->inputs, p->n_inputs);
  s->use_qmc = p->qmc && 2 * p->n_inputs <= QMC_MAX_DIM;
  if (p->qmc && !s->use_qmc)
    chiso_log(CHISO_LOG_NOTE, "%zu uncertain inputs: more than %d, pseudo-random sampling",
              p->n_inputs, QMC_MAX_DIM / 2);
  return s->use_qmc ? qmc_sobol_init(&s->q, (int)(2 * p->n_inputs), err) : CHISO_OK;
}

/* Unit-cube row `row` of matrix m (0 = A, 1 = B) into u (D values). The
** Sobol point 0 (the origin) is skipped. */
static void sample_row(const sampler *s, int m, size_t row, double *u) {
  const sensitivity_problem *p = s->p;
  double q[QMC_MAX_DIM];
  if (s->use_qmc) qmc_sobol_point(&s->q, (uint32_t)(row + 1), q);
  size_t o = 0;
  for (size_t i = 0; i < p->n_inputs; i++) {
    size_t dim = p->inputs[i].kind == SENSITIVITY_DISCRETE ? 1 : (size_t)p->inputs[i].dim;
    rng_stream r;
    rng_init(&r, p->seed ^ SEED_SALT, ((uint64_t)i << 44) | ((uint64_t)m << 43) | row);
    size_t first = 0;
    if (s->use_qmc) u[o + first++] = q[(size_t)m * p->n_inputs + i];
    rng_uniform_fill(&r, u + o + first, dim - first);
    o += dim;
  }
}

/* Run t of a design of `n` base rows: t < n is A row t; n <= t < 2n is B;
** then block i (1-based) is A_B^(i). For UA only A rows are asked. */
static void design_point(const sampler *s, size_t n, size_t t, double *u, double *ub) {
  size_t block = t / n, row = t % n;
  sample_row(s, block == 1, row, u);
  if (block < 2) return;
  size_t i = block - 2, o = 0;
  sample_row(s, 1, row, ub);
  for (size_t k = 0; k < i; k++)
    o += s->p->inputs[k].kind == SENSITIVITY_DISCRETE ? 1 : (size_t)s->p->inputs[k].dim;
  size_t dim = s->p->inputs[i].kind == SENSITIVITY_DISCRETE ? 1 : (size_t)s->p->inputs[i].dim;
  memcpy(u + o, ub + o, dim * sizeof *u);
}

typedef struct eval_job {
  sampler s;
  size_t n;        /* base rows */
  double *Y;       /* runs × n_out, or NULL: the model keeps its outputs */
  double *scratch; /* per thread: 3 × D */
} eval_job;

static int eval_runs(void *ud, int thread, size_t b, size_t e) {
  eval_job *j = ud;
  const sensitivity_problem *p = j->s.p;
  double *u = j->scratch + (size_t)thread * 3 * j->s.D, *ub = u + j->s.D, *x = ub + j->s.D;
  for (size_t t = b; t < e; t++) {
    design_point(&j->s, j->n, t, u, ub);
    sensitivity_transform(p->inputs, p->n_inputs, u, x);
    int rc = p->model(p->ud, thread, t, x, j->Y ? j->Y + t * p->n_out : NULL);
    if (rc != CHISO_OK) return rc;
  }
  return CHISO_OK;
}

static int evaluate(const sensitivity_problem *p, size_t n, size_t runs, double *Y, const char *stage,
                    chiso_err *err) {
  int threads = p->threads < 1 ? 1 : p->threads;
  eval_job j = {.n = n, .Y = Y};
  int rc = sensitivity_check(p, err);
  if (rc == CHISO_OK) rc = sampler_init(&j.s, p, err);
  if (rc != CHISO_OK) return rc;
  j.scratch = chiso_malloc((size_t)threads * 3 * (j.s.D ? j.s.D : 1) * sizeof(double));
  if (!j.scratch) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rc = workers_run(threads, runs, 0, eval_runs, &j, p->progress, p->progress_ud, stage, err);
  chiso_free(j.scratch);
  return rc;
}

/* ---- uncertainty analysis ------------------------------------------------- */

int sensitivity_ua_run(const sensitivity_problem *p, size_t N, double *Y, chiso_err *err) {
  assert(p);
  if (N == 0) return chiso_err_set(err, CHISO_EUSAGE, "uncertainty analysis: no runs");
  return evaluate(p, N, N, Y, "uncertainty", err);
}

/* Type 7 quantile p of col[0..m): read off when sorted, else by selection. */
static double ua_quantile(double *col, size_t m, double p, int sorted) {
  return sorted ? quantile_sorted(col, m, p, 1) : quantile_select(col, m, p, 1);
}

/* The summary of one column from its m values in col (`sorted`: in
** ascending order; else reordered here by selection, which finds the same
** order statistics) and the sum of their shifts from the nominal value. */
static void ua_stat(double *col, size_t m, int sorted, double nominal, double shift,
                    sensitivity_ua_stat *o) {
  o->nominal = nominal;
  if (m == 0) {
    o->median = o->q05 = o->q95 = o->mean_abs_shift = NAN;
    return;
  }
  o->median = ua_quantile(col, m, 0.5, sorted);
  o->q05 = ua_quantile(col, m, 0.05, sorted);
  o->q95 = ua_quantile(col, m, 0.95, sorted);
  o->mean_abs_shift = shift / (double)m;
}

typedef struct ua_job {
  const double *Y, *nominal;
  size_t N, n_out;
  sensitivity_ua_stat *out;
  double *col; /* threads × N */
} ua_job;

static int ua_columns(void *ud, int thread, size_t j0, size_t j1) {
  const ua_job *u = ud;
  double *col = u->col + (size_t)thread * u->N;
  for (size_t j = j0; j < j1; j++) {
    size_t m = 0;
    double shift = 0;
    for (size_t t = 0; t < u->N; t++) {
      double y = u->Y[t * u->n_out + j];
      if (isnan(y)) continue;
      col[m++] = y;
      shift += fabs(y - u->nominal[j]);
    }
    ua_stat(col, m, 0, u->nominal[j], shift, &u->out[j]);
  }
  return CHISO_OK;
}

/* Columns up to which ranks are counted (n_out × (n_out + 1) counters). */
#define UA_COUNT_COLUMNS 1024

/* When every value of Y is NaN or a whole number from 1 to n_out (the
** ranks of n_out units): the summary by counting the values in one pass
** over the rows, instead of a strided gather and three selections per
** column. The same values: a column sorted from its counts holds the order
** statistics that selection finds, and each shift is summed over the same
** rows in the same order. Returns 1 (nothing written) when Y is not such
** a matrix or n_out is too large to count, else 0 or CHISO_ENOMEM. */
static int ua_counted(const double *Y, size_t N, size_t n_out, const double *nominal,
                      sensitivity_ua_stat *out, chiso_err *err) {
  if (n_out > UA_COUNT_COLUMNS) return 1;
  size_t *count = chiso_calloc(n_out * (n_out + 1), sizeof *count);
  double *shift = chiso_calloc(n_out ? n_out : 1, sizeof *shift);
  double *col = chiso_malloc((N ? N : 1) * sizeof *col);
  int rc = count && shift && col ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t t = 0; !rc && t < N; t++)
    for (size_t j = 0; j < n_out && !rc; j++) {
      double y = Y[t * n_out + j];
      if (isnan(y)) continue;
      if (!(y >= 1 && y <= (double)n_out && y == floor(y))) rc = 1;
      else count[j * (n_out + 1) + (size_t)y]++, shift[j] += fabs(y - nominal[j]);
    }
  for (size_t j = 0; !rc && j < n_out; j++) {
    const size_t *c = count + j * (n_out + 1);
    size_t m = 0;
    for (size_t v = 1; v <= n_out; v++)
      for (size_t k = 0; k < c[v]; k++) col[m++] = (double)v;
    ua_stat(col, m, 1, nominal[j], shift[j], &out[j]);
  }
  chiso_free(count);
  chiso_free(shift);
  chiso_free(col);
  return rc;
}

int sensitivity_ua_summary(const double *Y, size_t N, size_t n_out, const double *nominal,
                           int threads, sensitivity_ua_stat *out, chiso_err *err) {
  int rc = ua_counted(Y, N, n_out, nominal, out, err);
  if (rc != 1) return rc;
  if (threads < 1) threads = 1;
  if ((size_t)threads > n_out) threads = n_out ? (int)n_out : 1;
  ua_job u = {Y, nominal, N, n_out, out,
              chiso_malloc((size_t)threads * (N ? N : 1) * sizeof(double))};
  if (!u.col) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rc = workers_run(threads, n_out, 1, ua_columns, &u, NULL, NULL, "run summaries", err);
  chiso_free(u.col);
  return rc;
}

/* ---- Sobol indices ------------------------------------------------------ */

/* Jansen estimates from rows idx[0..n) (idx NULL: rows 0..n-1) of the
** design with N base rows; Y laid out as in design_point. With f_A, f_B,
** f_AB(i) the outputs of A, B and A_B^(i), and V the variance of f_A ∪ f_B
** (divisor 2n − 1):
**   S_Ti = (1/2n) Σ_j (f_A,j − f_AB(i),j)² / V
**   S_i  = (V − (1/2n) Σ_j (f_B,j − f_AB(i),j)²) / V
** (Jansen 1999, as listed in Saltelli et al. 2010, Table 2). */
static void jansen(const double *Y, size_t N, size_t k, const size_t *idx, size_t n,
                   double *si, double *st, double *mean, double *var) {
  double s = 0, ss = 0;
  for (size_t t = 0; t < n; t++) {
    size_t j = idx ? idx[t] : t;
    s += Y[j] + Y[N + j];
  }
  double m = s / (double)(2 * n);
  for (size_t t = 0; t < n; t++) {
    size_t j = idx ? idx[t] : t;
    ss += (Y[j] - m) * (Y[j] - m) + (Y[N + j] - m) * (Y[N + j] - m);
  }
  double V = ss / (double)(2 * n - 1);
  for (size_t i = 0; i < k; i++) {
    const double *ab = Y + (2 + i) * N;
    double a = 0, b = 0;
    for (size_t t = 0; t < n; t++) {
      size_t j = idx ? idx[t] : t;
      a += (Y[j] - ab[j]) * (Y[j] - ab[j]);
      b += (Y[N + j] - ab[j]) * (Y[N + j] - ab[j]);
    }
    st[i] = V > 0 ? a / (2.0 * (double)n) / V : 0;
    si[i] = V > 0 ? (V - b / (2.0 * (double)n)) / V : 0;
  }
  if (mean) *mean = m;
  if (var) *var = V;
}

/* Percentile bootstrap of the rows (Archer, Saltelli & Sobol 1997). */
static int sobol_step(const sensitivity_problem *p, const double *Y, size_t N, size_t n,
                      size_t n_boot, size_t step, sensitivity_index *idx) {
  size_t k = p->n_inputs;
  double *si = chiso_malloc(k * sizeof *si), *st = chiso_malloc(k * sizeof *st);
  double *bs = chiso_malloc(n_boot * k * 2 * sizeof *bs);
  size_t *rows = chiso_malloc(n * sizeof *rows);
  int rc = CHISO_OK;
  if (!si || !st || !bs || !rows) { rc = CHISO_ENOMEM; goto done; }
  jansen(Y, N, k, NULL, n, si, st, NULL, NULL);
  for (size_t i = 0; i < k; i++) idx[i] = (sensitivity_index){.si = si[i], .st = st[i]};
  for (size_t b = 0; b < n_boot; b++) {
    rng_stream r;
    rng_init(&r, p->seed ^ SEED_SALT, ((uint64_t)3 << 62) | ((uint64_t)step << 40) | b);
    for (size_t t = 0; t < n; t++) rows[t] = rng_below(&r, (uint32_t)n);
    jansen(Y, N, k, rows, n, si, st, NULL, NULL);
    for (size_t i = 0; i < k; i++) {
      bs[i * n_boot + b] = si[i];
      bs[(k + i) * n_boot + b] = st[i];
    }
  }
  for (size_t i = 0; i < k; i++) {
    double *a = bs + i * n_boot, *c = bs + (k + i) * n_boot;
    quantile_sort(a, n_boot);
    quantile_sort(c, n_boot);
    idx[i].si_lo = quantile_sorted(a, n_boot, 0.025, 1);
    idx[i].si_hi = quantile_sorted(a, n_boot, 0.975, 1);
    idx[i].st_lo = quantile_sorted(c, n_boot, 0.025, 1);
    idx[i].st_hi = quantile_sorted(c, n_boot, 0.975, 1);
  }
done:
  chiso_free(si);
  chiso_free(st);
  chiso_free(bs);
  chiso_free(rows);
  return rc;
}

int sensitivity_sobol(const sensitivity_problem *p, size_t N, size_t n_boot, sensitivity_sobol_result *res,
               chiso_err *err) {
  assert(p && res);
  memset(res, 0, sizeof *res);
  if (p->n_out != 1) return chiso_err_set(err, CHISO_EUSAGE, "Sobol indices need one output");
  if (N < 8) return chiso_err_set(err, CHISO_EUSAGE, "Sobol indices need N >= 8 base rows");
  if (n_boot == 0) n_boot = 500;
  size_t k = p->n_inputs, runs = N * (k + 2);
  double *Y = chiso_malloc(runs * sizeof *Y);
  res->idx = chiso_calloc(SENSITIVITY_STEPS * (k ? k : 1), sizeof *res->idx);
  int rc = CHISO_OK;
  if (!Y || !res->idx) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  res->n_inputs = k;
  res->runs = runs;
  rc = evaluate(p, N, runs, Y, "sensitivity", err);
  if (rc != CHISO_OK) goto done;
  for (int s = 0; s < SENSITIVITY_STEPS; s++) {
    res->n_base[s] = N >> (SENSITIVITY_STEPS - 1 - s);
    rc = sobol_step(p, Y, N, res->n_base[s], n_boot, (size_t)s, res->idx + (size_t)s * k);
    if (rc != CHISO_OK) { chiso_err_set(err, rc, "out of memory"); goto done; }
  }
  double *tmp = chiso_malloc(2 * k * sizeof *tmp);
  if (!tmp) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  jansen(Y, N, k, NULL, N, tmp, tmp + k, &res->mean, &res->variance);
  chiso_free(tmp);
done:
  chiso_free(Y);
  if (rc != CHISO_OK) sensitivity_sobol_result_free(res);
  return rc;
}

void sensitivity_sobol_result_free(sensitivity_sobol_result *res) {
  if (!res) return;
  chiso_free(res->idx);
  res->idx = NULL;
}

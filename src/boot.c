/* boot.c — Rao & Wu (1988) rescaled bootstrap, m_h = n_h − 1 (boot.h). */
#include "boot.h"

#include "mem.h"
#include "rng.h"
#include "workers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct boot_design {
  size_t n, n_strata;
  uint64_t seed;
  double *weight;   /* n, original order */
  size_t *order;    /* n unit indices sorted by stratum */
  size_t *start;    /* n_strata + 1 offsets into order */
  double *scale;    /* n_h / (n_h − 1) */
  size_t max_nh;
};

#define BOOT_BLOCK 16 /* replicates accumulated together in one data pass */

/* Stream of replicate r in stratum h: room for 2^24 strata. */
static void stream_for(const boot_design *d, size_t r, size_t h, rng_stream *s) {
  rng_init(s, d->seed, ((uint64_t)r << 24) | (uint64_t)h);
}

/* ---- design ------------------------------------------------------------ */

typedef struct keyed { int key; size_t i; } keyed;

static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  return x->i < y->i ? -1 : (x->i > y->i);
}

static int check_inputs(size_t n, const int *stratum, const double *weight, chiso_err *err) {
  if (n == 0) return chiso_err_set(err, CHISO_EUSAGE, "bootstrap: no respondents");
  for (size_t i = 0; i < n; i++) {
    if (stratum[i] < 0)
      return chiso_err_at(err, CHISO_EDATA, "", (long)i + 1, 0,
                          "negative stratum index %d", stratum[i]);
    if (weight && !(weight[i] > 0 && isfinite(weight[i])))
      return chiso_err_at(err, CHISO_EDATA, "", (long)i + 1, 0,
                          "weight %g is not a positive number", weight[i]);
  }
  return CHISO_OK;
}

/* Sort units by stratum and record each stratum's range and scale. */
static int index_strata(boot_design *d, const int *stratum, chiso_err *err) {
  int rc = CHISO_OK;
  keyed *k = chiso_malloc(d->n * sizeof *k);
  d->start = chiso_malloc((d->n + 1) * sizeof *d->start);
  if (!k || !d->start) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (size_t i = 0; i < d->n; i++) k[i] = (keyed){stratum[i], i};
  qsort(k, d->n, sizeof *k, cmp_keyed);
  size_t h = 0;
  for (size_t p = 0; p < d->n; p++) {
    d->order[p] = k[p].i;
    if (p == 0 || k[p].key != k[p - 1].key) d->start[h++] = p;
  }
  d->start[h] = d->n;
  d->n_strata = h;
  for (size_t s = 0; s < h; s++) {
    size_t nh = d->start[s + 1] - d->start[s];
    if (nh < 2) {
      rc = chiso_err_at(err, CHISO_EDATA, "", (long)d->order[d->start[s]] + 1, 0,
                        "stratum %d has a single respondent; the n_h - 1 bootstrap needs "
                        "at least two per stratum (merge it with a neighbour)",
                        stratum[d->order[d->start[s]]]);
      goto done;
    }
    d->scale[s] = (double)nh / (double)(nh - 1);
    if (nh > d->max_nh) d->max_nh = nh;
  }
done:
  chiso_free(k);
  return rc;
}

int boot_design_new(size_t n, const int *stratum, const double *weight, uint64_t seed,
                    boot_design **out, chiso_err *err) {
  *out = NULL;
  int rc = check_inputs(n, stratum, weight, err);
  if (rc != CHISO_OK) return rc;
  boot_design *d = chiso_calloc(1, sizeof *d);
  if (!d) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  d->n = n;
  d->seed = seed;
  d->weight = chiso_malloc(n * sizeof *d->weight);
  d->order = chiso_malloc(n * sizeof *d->order);
  d->scale = chiso_malloc(n * sizeof *d->scale);
  if (!d->weight || !d->order || !d->scale) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto fail;
  }
  for (size_t i = 0; i < n; i++) d->weight[i] = weight ? weight[i] : 1.0;
  rc = index_strata(d, stratum, err);
  if (rc != CHISO_OK) goto fail;
  *out = d;
  return CHISO_OK;
fail:
  boot_design_free(d);
  return rc;
}

void boot_design_free(boot_design *d) {
  if (!d) return;
  chiso_free(d->weight);
  chiso_free(d->order);
  chiso_free(d->start);
  chiso_free(d->scale);
  chiso_free(d);
}

size_t boot_design_n(const boot_design *d) { return d->n; }
size_t boot_design_strata(const boot_design *d) { return d->n_strata; }

/* ---- replicate weights ------------------------------------------------- */

void boot_weights(const boot_design *d, size_t r, double *w) {
  for (size_t h = 0; h < d->n_strata; h++) {
    const size_t *u = d->order + d->start[h];
    size_t nh = d->start[h + 1] - d->start[h];
    for (size_t p = 0; p < nh; p++) w[u[p]] = 0.0;
    rng_stream s;
    stream_for(d, r, h, &s);
    for (size_t m = 0; m + 1 < nh; m++) w[u[rng_below(&s, (uint32_t)nh)]] += 1.0;
    for (size_t p = 0; p < nh; p++) w[u[p]] *= d->weight[u[p]] * d->scale[h];
  }
}

typedef struct matrix_job { const boot_design *d; double *out; } matrix_job;

static int matrix_rows(void *ud, int thread, size_t b, size_t e) {
  (void)thread;
  matrix_job *j = ud;
  for (size_t r = b; r < e; r++) boot_weights(j->d, r, j->out + r * j->d->n);
  return CHISO_OK;
}

int boot_weight_matrix(const boot_design *d, size_t R, int threads, double *out,
                       chiso_err *err) {
  matrix_job j = {d, out};
  return workers_run(threads, R, 1, matrix_rows, &j, NULL, NULL, "bootstrap weights", err);
}

typedef struct run_job {
  const boot_design *d;
  boot_stat_fn stat;
  void *ud;
  size_t n_out;
  double *theta, *wbuf;
} run_job;

static int run_rows(void *ud, int thread, size_t b, size_t e) {
  run_job *j = ud;
  double *w = j->wbuf + (size_t)thread * j->d->n;
  for (size_t r = b; r < e; r++) {
    boot_weights(j->d, r, w);
    int rc = j->stat(j->ud, thread, r, w, j->theta + r * j->n_out);
    if (rc != CHISO_OK) return rc;
  }
  return CHISO_OK;
}

int boot_run(const boot_design *d, size_t R, int threads, boot_stat_fn stat, void *ud,
             size_t n_out, double *theta, chiso_progress_fn progress, void *progress_ud,
             chiso_err *err) {
  if (threads < 1) threads = 1;
  run_job j = {d, stat, ud, n_out, theta, chiso_malloc((size_t)threads * d->n * sizeof(double))};
  if (!j.wbuf) return chiso_err_set(err, CHISO_ENOMEM, "out of memory for replicate weights");
  int rc = workers_run(threads, R, 1, run_rows, &j, progress, progress_ud, "bootstrap", err);
  chiso_free(j.wbuf);
  return rc;
}

/* ---- domain means in one pass per block of replicates ------------------- */

typedef struct means_job {
  const boot_design *d;
  size_t n_domains, k, R;
  size_t width;        /* values per packed row: k sums then k (or 1) weights */
  int *dom;            /* n, stratum order */
  double *rows;        /* n × width, stratum order: w·y (0 when missing), then
                          w·[observed] per variable, or w alone when nothing
                          is missing */
  double *out;
  uint32_t *counts;    /* per thread: BOOT_BLOCK × max_nh */
  double *acc;         /* per thread: BOOT_BLOCK × n_domains × width */
} means_job;

static int has_missing(const double *const *cols, size_t k, size_t n) {
  for (size_t v = 0; v < k; v++)
    for (size_t i = 0; i < n; i++)
      if (isnan(cols[v][i])) return 1;
  return 0;
}

/* Copy the data into stratum-sorted rows of weighted values. */
static int pack_rows(means_job *j, const int *domain, const double *const *cols, chiso_err *err) {
  const boot_design *d = j->d;
  size_t n = d->n, k = j->k;
  int miss = has_missing(cols, k, n);
  j->width = miss ? 2 * k : k + 1;
  j->dom = chiso_malloc(n * sizeof *j->dom);
  j->rows = chiso_malloc(n * j->width * sizeof *j->rows);
  if (!j->dom || !j->rows)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory packing %zu x %zu values", n, k);
  for (size_t p = 0; p < n; p++) {
    size_t i = d->order[p];
    if (domain[i] >= (int)j->n_domains)
      return chiso_err_at(err, CHISO_EUSAGE, "", (long)i + 1, 0, "domain %d out of range",
                          domain[i]);
    j->dom[p] = domain[i];
    double *row = j->rows + p * j->width, wi = d->weight[i];
    for (size_t v = 0; v < k; v++) {
      double y = cols[v][i];
      row[v] = isnan(y) ? 0.0 : wi * y;
      if (miss) row[k + v] = isnan(y) ? 0.0 : wi;
    }
    if (!miss) row[k] = wi;
  }
  return CHISO_OK;
}

/* Draw the counts r_hi of `nb` replicates from r0 in stratum h. */
static void draw_counts(const boot_design *d, size_t r0, size_t nb, size_t h, uint32_t *counts) {
  size_t nh = d->start[h + 1] - d->start[h];
  memset(counts, 0, nb * nh * sizeof *counts);
  for (size_t b = 0; b < nb; b++) {
    rng_stream s;
    stream_for(d, r0 + b, h, &s);
    uint32_t *c = counts + b * nh;
    for (size_t m = 0; m + 1 < nh; m++) c[rng_below(&s, (uint32_t)nh)]++;
  }
}

/* Add stratum h's rows, weighted by count × scale, to the accumulators. */
static void accumulate(const means_job *j, size_t h, size_t nb, const uint32_t *counts,
                       double *acc) {
  const boot_design *d = j->d;
  size_t nh = d->start[h + 1] - d->start[h], width = j->width;
  for (size_t q = 0; q < nh; q++) {
    size_t p = d->start[h] + q;
    if (j->dom[p] < 0) continue;
    const double *row = j->rows + p * width;
    for (size_t b = 0; b < nb; b++) {
      uint32_t c = counts[b * nh + q];
      if (!c) continue;
      double f = c * d->scale[h];
      double *a = acc + (b * j->n_domains + (size_t)j->dom[p]) * width;
      for (size_t v = 0; v < width; v++) a[v] += f * row[v];
    }
  }
}

static int means_block(void *ud, int thread, size_t r0, size_t r1) {
  means_job *j = ud;
  size_t nb = r1 - r0, k = j->k, width = j->width;
  uint32_t *counts = j->counts + (size_t)thread * BOOT_BLOCK * j->d->max_nh;
  double *acc = j->acc + (size_t)thread * BOOT_BLOCK * j->n_domains * width;
  memset(acc, 0, nb * j->n_domains * width * sizeof *acc);
  for (size_t h = 0; h < j->d->n_strata; h++) {
    draw_counts(j->d, r0, nb, h, counts);
    accumulate(j, h, nb, counts, acc);
  }
  for (size_t b = 0; b < nb; b++)
    for (size_t g = 0; g < j->n_domains; g++) {
      const double *a = acc + (b * j->n_domains + g) * width;
      double *o = j->out + ((r0 + b) * j->n_domains + g) * k;
      for (size_t v = 0; v < k; v++) {
        double den = width == 2 * k ? a[k + v] : a[k];
        o[v] = den > 0 ? a[v] / den : NAN;
      }
    }
  return CHISO_OK;
}

int boot_domain_means(const boot_design *d, const int *domain, size_t n_domains,
                      const double *const *cols, size_t k_vars, size_t R, int threads,
                      double *out, chiso_progress_fn progress, void *progress_ud,
                      chiso_err *err) {
  if (threads < 1) threads = 1;
  means_job j = {.d = d, .n_domains = n_domains, .k = k_vars, .R = R, .out = out};
  int rc = pack_rows(&j, domain, cols, err);
  if (rc != CHISO_OK) goto done;
  j.counts = chiso_malloc((size_t)threads * BOOT_BLOCK * d->max_nh * sizeof *j.counts);
  j.acc = chiso_malloc((size_t)threads * BOOT_BLOCK * n_domains * j.width * sizeof *j.acc);
  if (!j.counts || !j.acc) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory for bootstrap scratch");
    goto done;
  }
  rc = workers_run(threads, R, BOOT_BLOCK, means_block, &j, progress, progress_ud,
                   "bootstrap", err);
done:
  chiso_free(j.dom);
  chiso_free(j.rows);
  chiso_free(j.counts);
  chiso_free(j.acc);
  return rc;
}

/* Two-pass variance of the values shifted by the first one, so that equal
** replicates give exactly 0 (Chan, Golub & LeVeque 1983, shifted data). */
double boot_se(const double *theta, size_t R, size_t stride, size_t j) {
  double s = 0, k = NAN;
  size_t m = 0;
  for (size_t r = 0; r < R; r++) {
    double t = theta[r * stride + j];
    if (isnan(t)) continue;
    if (m == 0) k = t;
    s += t - k;
    m++;
  }
  if (m < 2) return NAN;
  double mean = s / (double)m, ss = 0;
  for (size_t r = 0; r < R; r++) {
    double t = theta[r * stride + j];
    if (!isnan(t)) ss += (t - k - mean) * (t - k - mean);
  }
  return sqrt(ss / (double)(m - 1));
}

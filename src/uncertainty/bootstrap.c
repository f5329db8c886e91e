/* bootstrap.c — Rao & Wu (1988) rescaled bootstrap, m_h = n_h − 1 (bootstrap.h). */
#include "uncertainty/bootstrap.h"

#include "base/mem.h"
#include "base/rng.h"
#include "base/workers.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct bootstrap_design {
  size_t n, n_strata;
  uint64_t seed;
  double *weight;   /* n, original order */
  size_t *order;    /* n unit indices sorted by stratum */
  size_t *start;    /* n_strata + 1 offsets into order */
  double *scale;    /* n_h / (n_h − 1) */
  size_t max_nh;
};

#define BOOTSTRAP_BLOCK 16 /* replicates accumulated together in one data pass */

/* Stream of replicate r in stratum h: room for 2^24 strata. */
static void stream_for(const bootstrap_design *d, size_t r, size_t h, rng_stream *s) {
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
static int index_strata(bootstrap_design *d, const int *stratum, chiso_err *err) {
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

int bootstrap_design_new(size_t n, const int *stratum, const double *weight, uint64_t seed,
                    bootstrap_design **out, chiso_err *err) {
  assert(stratum && out);
  *out = NULL;
  int rc = check_inputs(n, stratum, weight, err);
  if (rc != CHISO_OK) return rc;
  bootstrap_design *d = chiso_calloc(1, sizeof *d);
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
  bootstrap_design_free(d);
  return rc;
}

void bootstrap_design_free(bootstrap_design *d) {
  if (!d) return;
  chiso_free(d->weight);
  chiso_free(d->order);
  chiso_free(d->start);
  chiso_free(d->scale);
  chiso_free(d);
}

size_t bootstrap_design_n(const bootstrap_design *d) { return d->n; }
size_t bootstrap_design_strata(const bootstrap_design *d) { return d->n_strata; }

/* ---- replicate weights ------------------------------------------------- */

/* Rao & Wu (1988) with m_h = n_h − 1: draw n_h − 1 units with replacement
** in each stratum, then w*_hi = w_hi · n_h/(n_h − 1) · r_hi (scale[h] is
** n_h/(n_h − 1); the derivation is in bootstrap.h). */
void bootstrap_weights(const bootstrap_design *d, size_t r, double *w) {
  for (size_t h = 0; h < d->n_strata; h++) {
    const size_t *u = d->order + d->start[h];
    size_t nh = d->start[h + 1] - d->start[h];
    for (size_t p = 0; p < nh; p++) w[u[p]] = 0.0;
    rng_stream s;
    stream_for(d, r, h, &s);
    uint32_t draw[256];
    for (size_t m = 0; m + 1 < nh; m += 256) {
      size_t c = nh - 1 - m < 256 ? nh - 1 - m : 256;
      rng_below_fill(&s, (uint32_t)nh, draw, c);
      for (size_t t = 0; t < c; t++) w[u[draw[t]]] += 1.0;
    }
    for (size_t p = 0; p < nh; p++) w[u[p]] *= d->weight[u[p]] * d->scale[h];
  }
}

typedef struct matrix_job { const bootstrap_design *d; double *out; } matrix_job;

static int matrix_rows(void *ud, int thread, size_t b, size_t e) {
  (void)thread;
  matrix_job *j = ud;
  for (size_t r = b; r < e; r++) bootstrap_weights(j->d, r, j->out + r * j->d->n);
  return CHISO_OK;
}

int bootstrap_weight_matrix(const bootstrap_design *d, size_t R, int threads, double *out,
                       chiso_err *err) {
  matrix_job j = {d, out};
  return workers_run(threads, R, 1, matrix_rows, &j, NULL, NULL, "bootstrap weights", err);
}

typedef struct run_job {
  const bootstrap_design *d;
  bootstrap_stat_fn stat;
  void *ud;
  size_t n_out;
  double *theta, *wbuf;
} run_job;

static int run_rows(void *ud, int thread, size_t b, size_t e) {
  run_job *j = ud;
  double *w = j->wbuf + (size_t)thread * j->d->n;
  for (size_t r = b; r < e; r++) {
    bootstrap_weights(j->d, r, w);
    int rc = j->stat(j->ud, thread, r, w, j->theta + r * j->n_out);
    if (rc != CHISO_OK) return rc;
  }
  return CHISO_OK;
}

int bootstrap_run(const bootstrap_design *d, size_t R, int threads, bootstrap_stat_fn stat, void *ud,
             size_t n_out, double *theta, chiso_progress_fn progress, void *progress_ud,
             chiso_err *err) {
  assert(d && stat);
  if (threads < 1) threads = 1;
  run_job j = {d, stat, ud, n_out, theta, chiso_malloc((size_t)threads * d->n * sizeof(double))};
  if (!j.wbuf) return chiso_err_set(err, CHISO_ENOMEM, "out of memory for replicate weights");
  int rc = workers_run(threads, R, 1, run_rows, &j, progress, progress_ud, "bootstrap", err);
  chiso_free(j.wbuf);
  return rc;
}

/* ---- domain statistics in one pass per block of replicates ------------- */

/* A domain statistic is a ratio of two linear totals over the respondents
** of the domain that answered: Σ w*·a / Σ w*·b, with (a, b) = (y, 1) for a
** mean, (y, x) for a ratio and (y, 1) for a total (then only the numerator
** is kept). The totals of replicate r are Σ_p c_rp · s_h · (w_p a_p) over
** the packed rows p (c the Rao–Wu count, s_h = n_h/(n_h − 1)): a product
** of the BOOTSTRAP_BLOCK × rows count matrix with the rows × width matrix of
** weighted values, block-diagonal by domain. The rows are packed once,
** sorted by (stratum, domain, respondent) so a (stratum, domain) segment is
** contiguous; the product is computed per segment in register blocks of
** 4 replicates × 16 values. The rows and the scaled counts are single
** precision and each chunk of at most BOOTSTRAP_CHUNK rows is summed in single
** precision, then added to double accumulators: twice the vector width
** and half the memory of doubles, for a relative rounding error of about
** 1e-6 at most (64 terms × 2^-24), far below any sampling error. Each
** output lane sums its terms in a fixed order, so the vector (AVX2) and
** the plain code give the same bits on any machine. */

#define BOOTSTRAP_VW 8      /* floats per vector */
#define BOOTSTRAP_CHUNK 64  /* rows whose counts are expanded at once */

typedef float bootstrap_v8 __attribute__((vector_size(32)));

typedef struct means_job {
  const bootstrap_design *d;
  const bootstrap_var *vars;
  size_t n_domains, k, R;
  size_t width;        /* k numerators, then k (or 1) denominators, padded */
  size_t n_den;        /* k, or 1 when every denominator is w */
  size_t n_rows;       /* packed rows (respondents with a domain) */
  float *rows;         /* n_rows × width (single precision: see below) */
  uint32_t *qidx;      /* n_rows: position of the row's respondent in its stratum */
  size_t *hrow;        /* n_strata + 1: first packed row of each stratum */
  size_t n_seg;
  size_t *seg;         /* n_seg + 1 row offsets of (stratum, domain) segments */
  int *seg_dom;        /* n_seg */
  size_t *hseg;        /* n_strata + 1: first segment of each stratum */
  double *out;
  uint32_t *counts;    /* per thread: max_nh × BOOTSTRAP_BLOCK, [q][b] */
  float *ct;           /* per thread: BOOTSTRAP_CHUNK × BOOTSTRAP_BLOCK scaled counts */
  double *acc;         /* per thread: BOOTSTRAP_BLOCK × n_domains × width */
} means_job;

static int var_missing(const bootstrap_var *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (isnan(v->y[i]) || (v->x && isnan(v->x[i]))) return 1;
  return 0;
}

/* Denominator columns: one shared w column unless a variable has a
** missing value or a denominator variable. */
static size_t count_dens(const bootstrap_var *vars, size_t k, size_t n) {
  for (size_t v = 0; v < k; v++)
    if ((vars[v].kind == BOOTSTRAP_RATIO && vars[v].x) || var_missing(&vars[v], n)) return k;
  return 1;
}

typedef struct rowkey { int h, g; size_t i; uint32_t q; } rowkey;

static int cmp_rowkey(const void *a, const void *b) {
  const rowkey *x = a, *y = b;
  if (x->h != y->h) return x->h < y->h ? -1 : 1;
  if (x->g != y->g) return x->g < y->g ? -1 : 1;
  return x->i < y->i ? -1 : (x->i > y->i);
}

/* The rows with a domain, keyed and sorted by (stratum, domain, respondent). */
static int sort_rows(means_job *j, const int *domain, rowkey **keys, chiso_err *err) {
  const bootstrap_design *d = j->d;
  *keys = chiso_malloc((d->n ? d->n : 1) * sizeof **keys);
  if (!*keys) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t h = 0; h < d->n_strata; h++)
    for (size_t q = d->start[h]; q < d->start[h + 1]; q++) {
      size_t i = d->order[q];
      if (domain[i] >= (int)j->n_domains)
        return chiso_err_at(err, CHISO_EUSAGE, "", (long)i + 1, 0, "domain %d out of range",
                            domain[i]);
      if (domain[i] >= 0) (*keys)[m++] = (rowkey){(int)h, domain[i], i, (uint32_t)(q - d->start[h])};
    }
  qsort(*keys, m, sizeof **keys, cmp_rowkey);
  j->n_rows = m;
  return CHISO_OK;
}

/* Stratum and segment offsets of the sorted rows. */
static int index_segments(means_job *j, const rowkey *keys, chiso_err *err) {
  size_t H = j->d->n_strata, m = j->n_rows;
  j->hrow = chiso_calloc(H + 1, sizeof *j->hrow);
  j->hseg = chiso_calloc(H + 1, sizeof *j->hseg);
  j->seg = chiso_malloc((m + 1) * sizeof *j->seg);
  j->seg_dom = chiso_malloc((m ? m : 1) * sizeof *j->seg_dom);
  if (!j->hrow || !j->hseg || !j->seg || !j->seg_dom)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t s = 0, p = 0;
  for (size_t h = 0; h < H; h++) {
    j->hrow[h] = p;
    j->hseg[h] = s;
    for (; p < m && keys[p].h == (int)h; p++)
      if (p == j->hrow[h] || keys[p].g != keys[p - 1].g) {
        j->seg[s] = p;
        j->seg_dom[s++] = keys[p].g;
      }
  }
  j->hrow[H] = p;
  j->hseg[H] = s;
  j->seg[s] = m;
  j->n_seg = s;
  return CHISO_OK;
}

/* Weighted values of respondent i into one packed row. */
static void pack_one(const means_job *j, size_t i, float *row) {
  double wi = j->d->weight[i];
  memset(row, 0, j->width * sizeof *row);
  if (j->n_den == 1) row[j->k] = (float)wi;
  for (size_t v = 0; v < j->k; v++) {
    const bootstrap_var *bv = &j->vars[v];
    double y = bv->y[i], x = bv->kind == BOOTSTRAP_RATIO && bv->x ? bv->x[i] : 1.0;
    int obs = !isnan(y) && !isnan(x);
    row[v] = obs ? (float)(wi * y) : 0.0f;
    if (j->n_den > 1) row[j->k + v] = obs ? (float)(wi * x) : 0.0f;
  }
}

static int pack_rows(means_job *j, const int *domain, chiso_err *err) {
  rowkey *keys = NULL;
  int rc = sort_rows(j, domain, &keys, err);
  if (!rc) rc = index_segments(j, keys, err);
  if (!rc) {
    j->n_den = count_dens(j->vars, j->k, j->d->n);
    j->width = (j->k + j->n_den + BOOTSTRAP_VW - 1) / BOOTSTRAP_VW * BOOTSTRAP_VW;
    j->rows = chiso_malloc((j->n_rows ? j->n_rows : 1) * j->width * sizeof *j->rows);
    j->qidx = chiso_malloc((j->n_rows ? j->n_rows : 1) * sizeof *j->qidx);
    if (!j->rows || !j->qidx)
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory packing %zu x %zu values",
                         j->n_rows, j->k);
  }
  for (size_t p = 0; !rc && p < j->n_rows; p++) {
    pack_one(j, keys[p].i, j->rows + p * j->width);
    j->qidx[p] = keys[p].q;
  }
  chiso_free(keys);
  return rc;
}

/* Draw the counts of replicates r0 .. r0+nb−1 in stratum h into
** counts[q·BOOTSTRAP_BLOCK + b] (the lanes b >= nb stay 0). */
static void draw_counts(const bootstrap_design *d, size_t r0, size_t nb, size_t h, uint32_t *counts) {
  size_t nh = d->start[h + 1] - d->start[h];
  memset(counts, 0, nh * BOOTSTRAP_BLOCK * sizeof *counts);
  for (size_t b = 0; b < nb; b++) {
    rng_stream s;
    stream_for(d, r0 + b, h, &s);
    uint32_t draw[256];
    for (size_t m = 0; m + 1 < nh; m += 256) {
      size_t c = nh - 1 - m < 256 ? nh - 1 - m : 256;
      rng_below_fill(&s, (uint32_t)nh, draw, c);
      for (size_t t = 0; t < c; t++) counts[(size_t)draw[t] * BOOTSTRAP_BLOCK + b]++;
    }
  }
}

/* Vector loads by memcpy (unaligned; no vector arguments, so no ABI
** differences between the AVX2 and the plain code). */
#define V8_LOAD(dst, p) memcpy(&(dst), (p), sizeof(bootstrap_v8))

/* acc[b·bstride + v] += (double) Σ_p ct[p·BOOTSTRAP_BLOCK + b] · rows[p·width + v]
** for b < nb (a multiple of 4) and v < width (a multiple of 8), over m <=
** BOOTSTRAP_CHUNK rows: the inner sum in single precision in row order. */
static inline __attribute__((always_inline)) void
seg_product(const float *rows, const float *ct, size_t m, size_t width, size_t nb,
            double *acc, size_t bstride) {
  for (size_t b = 0; b < nb; b += 4)
    for (size_t v = 0; v < width; v += 2 * BOOTSTRAP_VW) {
      int two = v + BOOTSTRAP_VW < width;
      bootstrap_v8 s[4][2];
      for (int i = 0; i < 4; i++)
        s[i][0] = s[i][1] = (bootstrap_v8){0, 0, 0, 0, 0, 0, 0, 0};
      for (size_t p = 0; p < m; p++) {
        const float *r = rows + p * width + v, *c = ct + p * BOOTSTRAP_BLOCK + b;
        bootstrap_v8 r0, r1 = {0, 0, 0, 0, 0, 0, 0, 0};
        V8_LOAD(r0, r);
        if (two) V8_LOAD(r1, r + BOOTSTRAP_VW);
        for (int i = 0; i < 4; i++) {
          bootstrap_v8 ci = {c[i], c[i], c[i], c[i], c[i], c[i], c[i], c[i]};
          s[i][0] += ci * r0;
          s[i][1] += ci * r1;
        }
      }
      for (int i = 0; i < 4; i++) {
        double *a = acc + (b + (size_t)i) * bstride + v;
        for (int l = 0; l < BOOTSTRAP_VW; l++) a[l] += (double)s[i][0][l];
        for (int l = 0; two && l < BOOTSTRAP_VW; l++) a[BOOTSTRAP_VW + l] += (double)s[i][1][l];
      }
    }
}

__attribute__((target("avx2"))) static void
seg_product_avx2(const float *rows, const float *ct, size_t m, size_t width, size_t nb,
                 double *acc, size_t bstride) {
  seg_product(rows, ct, m, width, nb, acc, bstride);
}

static void seg_product_base(const float *rows, const float *ct, size_t m, size_t width,
                             size_t nb, double *acc, size_t bstride) {
  seg_product(rows, ct, m, width, nb, acc, bstride);
}

/* One (stratum, domain) segment: expand the counts of BOOTSTRAP_CHUNK rows at a
** time (times the stratum's scale) and multiply. */
static void accumulate_segment(const means_job *j, size_t s, double scale, size_t nb4,
                               const uint32_t *counts, float *ct, double *acc, int avx2) {
  size_t bstride = j->n_domains * j->width;
  double *a = acc + (size_t)j->seg_dom[s] * j->width;
  for (size_t p0 = j->seg[s]; p0 < j->seg[s + 1]; p0 += BOOTSTRAP_CHUNK) {
    size_t m = j->seg[s + 1] - p0 < BOOTSTRAP_CHUNK ? j->seg[s + 1] - p0 : BOOTSTRAP_CHUNK;
    for (size_t p = 0; p < m; p++) {
      const uint32_t *c = counts + (size_t)j->qidx[p0 + p] * BOOTSTRAP_BLOCK;
      for (size_t b = 0; b < nb4; b++) ct[p * BOOTSTRAP_BLOCK + b] = (float)((double)c[b] * scale);
    }
    const float *rows = j->rows + p0 * j->width;
    if (avx2) seg_product_avx2(rows, ct, m, j->width, nb4, a, bstride);
    else seg_product_base(rows, ct, m, j->width, nb4, a, bstride);
  }
}

static void finish_block(const means_job *j, size_t r0, size_t nb, const double *acc) {
  size_t k = j->k, width = j->width, bstride = j->n_domains * width;
  for (size_t b = 0; b < nb; b++)
    for (size_t g = 0; g < j->n_domains; g++) {
      const double *a = acc + b * bstride + g * width;
      double *o = j->out + ((r0 + b) * j->n_domains + g) * k;
      for (size_t v = 0; v < k; v++) {
        double den = a[j->n_den == 1 ? k : k + v];
        o[v] = !(den > 0) ? NAN : j->vars[v].kind == BOOTSTRAP_TOTAL ? a[v] : a[v] / den;
      }
    }
}

static int means_block(void *ud, int thread, size_t r0, size_t r1) {
  means_job *j = ud;
  const bootstrap_design *d = j->d;
  size_t nb = r1 - r0, nb4 = (nb + 3) / 4 * 4, bstride = j->n_domains * j->width;
  uint32_t *counts = j->counts + (size_t)thread * BOOTSTRAP_BLOCK * d->max_nh;
  float *ct = j->ct + (size_t)thread * BOOTSTRAP_BLOCK * BOOTSTRAP_CHUNK;
  double *acc = j->acc + (size_t)thread * BOOTSTRAP_BLOCK * bstride;
  int avx2 = __builtin_cpu_supports("avx2");
  memset(acc, 0, BOOTSTRAP_BLOCK * bstride * sizeof *acc);
  for (size_t h = 0; h < d->n_strata; h++) {
    if (j->hseg[h] == j->hseg[h + 1]) continue;
    draw_counts(d, r0, nb, h, counts);
    for (size_t s = j->hseg[h]; s < j->hseg[h + 1]; s++)
      accumulate_segment(j, s, d->scale[h], nb4, counts, ct, acc, avx2);
  }
  finish_block(j, r0, nb, acc);
  return CHISO_OK;
}

static void means_job_free(means_job *j) {
  chiso_free(j->rows);
  chiso_free(j->qidx);
  chiso_free(j->hrow);
  chiso_free(j->hseg);
  chiso_free(j->seg);
  chiso_free(j->seg_dom);
  chiso_free(j->counts);
  chiso_free(j->ct);
  chiso_free(j->acc);
}

int bootstrap_domain_stats(const bootstrap_design *d, const int *domain, size_t n_domains,
                      const bootstrap_var *vars, size_t k_vars, size_t R, int threads, double *out,
                      chiso_progress_fn progress, void *progress_ud, chiso_err *err) {
  assert(d && domain && out);
  if (threads < 1) threads = 1;
  if (k_vars == 0 || n_domains == 0)
    return chiso_err_set(err, CHISO_EUSAGE, "bootstrap: no variables or no domains");
  means_job j = {.d = d, .vars = vars, .n_domains = n_domains, .k = k_vars, .R = R, .out = out};
  int rc = pack_rows(&j, domain, err);
  if (rc == CHISO_OK) {
    size_t t = (size_t)threads;
    j.counts = chiso_malloc(t * BOOTSTRAP_BLOCK * d->max_nh * sizeof *j.counts);
    j.ct = chiso_malloc(t * BOOTSTRAP_BLOCK * BOOTSTRAP_CHUNK * sizeof *j.ct);
    j.acc = chiso_malloc(t * BOOTSTRAP_BLOCK * n_domains * j.width * sizeof *j.acc);
    if (!j.counts || !j.ct || !j.acc)
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory for bootstrap scratch");
  }
  if (rc == CHISO_OK)
    rc = workers_run(threads, R, BOOTSTRAP_BLOCK, means_block, &j, progress, progress_ud,
                     "bootstrap", err);
  means_job_free(&j);
  return rc;
}

int bootstrap_domain_means(const bootstrap_design *d, const int *domain, size_t n_domains,
                      const double *const *cols, size_t k_vars, size_t R, int threads,
                      double *out, chiso_progress_fn progress, void *progress_ud,
                      chiso_err *err) {
  bootstrap_var *vars = chiso_calloc(k_vars ? k_vars : 1, sizeof *vars);
  if (!vars) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t v = 0; v < k_vars; v++) vars[v] = (bootstrap_var){cols[v], NULL, BOOTSTRAP_MEAN};
  int rc = bootstrap_domain_stats(d, domain, n_domains, vars, k_vars, R, threads, out, progress,
                             progress_ud, err);
  chiso_free(vars);
  return rc;
}

/* Two-pass variance of the values shifted by the first one, so that equal
** replicates give exactly 0 (Chan, Golub & LeVeque 1983, shifted data). */
double bootstrap_se(const double *theta, size_t R, size_t stride, size_t j) {
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

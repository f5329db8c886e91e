/* bootstrap.c — Rao & Wu (1988) rescaled bootstrap, m_h = n_h − 1 (bootstrap.h). */
#include "uncertainty/bootstrap.h"

#include "base/cpu.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/workers.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* No a * b + c fused into one rounding: the vector bodies (compiled for
** AVX2/AVX-512, which have FMA) must give the bits of the plain C loops.
** GCC does not fuse in ISO C mode (-std=c17); clang does unless told. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

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
#define BOOTSTRAP_SMALL 2048 /* strata counted on the stack (bootstrap_weights) */
#define BOOTSTRAP_DRAWS 256 /* indices drawn per call: part of the definition of the
                               draws (the last word's unused half is dropped) */

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

/* d->order = the units sorted by (stratum, unit): a counting sort when
** the stratum numbers are small (they are indices), else qsort. */
static int sort_by_stratum(bootstrap_design *d, const int *stratum) {
  size_t n = d->n, top = 0;
  for (size_t i = 0; i < n; i++)
    if ((size_t)stratum[i] > top) top = (size_t)stratum[i];
  if (top <= 4 * n + 1024) {
    size_t *at = chiso_calloc(top + 2, sizeof *at);
    if (!at) return CHISO_ENOMEM;
    for (size_t i = 0; i < n; i++) at[(size_t)stratum[i] + 1]++;
    for (size_t h = 1; h <= top + 1; h++) at[h] += at[h - 1];
    for (size_t i = 0; i < n; i++) d->order[at[stratum[i]]++] = i;
    chiso_free(at);
    return CHISO_OK;
  }
  keyed *k = chiso_malloc(n * sizeof *k);
  if (!k) return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) k[i] = (keyed){stratum[i], i};
  qsort(k, n, sizeof *k, cmp_keyed);
  for (size_t p = 0; p < n; p++) d->order[p] = k[p].i;
  chiso_free(k);
  return CHISO_OK;
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
  d->start = chiso_malloc((d->n + 1) * sizeof *d->start);
  if (!d->start || sort_by_stratum(d, stratum))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t h = 0;
  for (size_t p = 0; p < d->n; p++)
    if (p == 0 || stratum[d->order[p]] != stratum[d->order[p - 1]]) d->start[h++] = p;
  d->start[h] = d->n;
  d->n_strata = h;
  for (size_t s = 0; s < h; s++) {
    size_t nh = d->start[s + 1] - d->start[s];
    if (nh < 2)
      return chiso_err_at(err, CHISO_EDATA, "", (long)d->order[d->start[s]] + 1, 0,
                          "stratum %d has a single respondent; the n_h - 1 bootstrap needs "
                          "at least two per stratum (merge it with a neighbour)",
                          stratum[d->order[d->start[s]]]);
    d->scale[s] = (double)nh / (double)(nh - 1);
    if (nh > d->max_nh) d->max_nh = nh;
  }
  return CHISO_OK;
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
/* The weights of replicate r into w. A stratum whose counts fit in cnt
** (n_h <= ncnt) is counted there in stratum order and then spread: w =
** c · (w_i · s_h), the same product as adding 1.0 c times to w and then
** multiplying, which the larger strata do. */
static void weights_into(const bootstrap_design *d, size_t r, double *w, uint32_t *cnt,
                         size_t ncnt) {
  uint32_t draw[BOOTSTRAP_DRAWS];
  for (size_t h = 0; h < d->n_strata; h++) {
    const size_t *u = d->order + d->start[h];
    size_t nh = d->start[h + 1] - d->start[h];
    double scale = d->scale[h];
    rng_stream s;
    stream_for(d, r, h, &s);
    if (nh <= ncnt) {
      memset(cnt, 0, nh * sizeof *cnt);
      for (size_t m = 0; m + 1 < nh; m += BOOTSTRAP_DRAWS) {
        size_t c = nh - 1 - m < BOOTSTRAP_DRAWS ? nh - 1 - m : BOOTSTRAP_DRAWS;
        rng_below_fill(&s, (uint32_t)nh, draw, c);
        for (size_t t = 0; t < c; t++) cnt[draw[t]]++;
      }
      for (size_t p = 0; p < nh; p++) w[u[p]] = (double)cnt[p] * (d->weight[u[p]] * scale);
      continue;
    }
    for (size_t p = 0; p < nh; p++) w[u[p]] = 0.0;
    for (size_t m = 0; m + 1 < nh; m += BOOTSTRAP_DRAWS) {
      size_t c = nh - 1 - m < BOOTSTRAP_DRAWS ? nh - 1 - m : BOOTSTRAP_DRAWS;
      rng_below_fill(&s, (uint32_t)nh, draw, c);
      for (size_t t = 0; t < c; t++) w[u[draw[t]]] += 1.0;
    }
    for (size_t p = 0; p < nh; p++) w[u[p]] *= d->weight[u[p]] * scale;
  }
}

void bootstrap_weights(const bootstrap_design *d, size_t r, double *w) {
  uint32_t cnt[BOOTSTRAP_SMALL];
  weights_into(d, r, w, cnt, BOOTSTRAP_SMALL);
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
  uint32_t *cnt; /* per thread: max_nh counts */
} run_job;

static int run_rows(void *ud, int thread, size_t b, size_t e) {
  run_job *j = ud;
  double *w = j->wbuf + (size_t)thread * j->d->n;
  uint32_t *cnt = j->cnt + (size_t)thread * j->d->max_nh;
  for (size_t r = b; r < e; r++) {
    weights_into(j->d, r, w, cnt, j->d->max_nh);
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
  run_job j = {d, stat, ud, n_out, theta, chiso_malloc((size_t)threads * d->n * sizeof(double)),
               chiso_malloc((size_t)threads * d->max_nh * sizeof(uint32_t))};
  if (!j.wbuf || !j.cnt) {
    chiso_free(j.wbuf);
    chiso_free(j.cnt);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory for replicate weights");
  }
  int rc = workers_run(threads, R, 1, run_rows, &j, progress, progress_ud, "bootstrap", err);
  chiso_free(j.wbuf);
  chiso_free(j.cnt);
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
  uint32_t *counts;    /* per thread: max_nh × BOOTSTRAP_BLOCK, [q][b], 0 between strata */
  size_t *horph;       /* n_strata + 1: first of each stratum's respondents without a domain */
  uint32_t *orph;      /* their positions in the stratum */
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

/* The rows with a domain in (stratum, domain, respondent) order, as
** positions in the design order (which is by stratum, then respondent):
** two stable counting sorts, by domain and then by stratum. hof[q] is the
** stratum of design position q. */
static int sort_rows(means_job *j, const int *domain, size_t *sorted, size_t *tmp,
                     uint32_t *hof, chiso_err *err) {
  const bootstrap_design *d = j->d;
  size_t G = j->n_domains, H = d->n_strata, m = 0;
  for (size_t h = 0; h < H; h++)
    for (size_t q = d->start[h]; q < d->start[h + 1]; q++) {
      size_t i = d->order[q];
      if (domain[i] >= (int)G)
        return chiso_err_at(err, CHISO_EUSAGE, "", (long)i + 1, 0, "domain %d out of range",
                            domain[i]);
      hof[q] = (uint32_t)h;
      if (domain[i] >= 0) tmp[m++] = q;
    }
  size_t *at = chiso_calloc((G > H ? G : H) + 1, sizeof *at);
  if (!at) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t p = 0; p < m; p++) at[domain[d->order[tmp[p]]] + 1]++;
  for (size_t g = 1; g <= G; g++) at[g] += at[g - 1];
  for (size_t p = 0; p < m; p++) sorted[at[domain[d->order[tmp[p]]]]++] = tmp[p];
  memset(at, 0, ((G > H ? G : H) + 1) * sizeof *at);
  for (size_t p = 0; p < m; p++) at[hof[sorted[p]] + 1]++;
  for (size_t h = 1; h <= H; h++) at[h] += at[h - 1];
  for (size_t p = 0; p < m; p++) tmp[at[hof[sorted[p]]]++] = sorted[p];
  memcpy(sorted, tmp, m * sizeof *sorted);
  chiso_free(at);
  j->n_rows = m;
  return CHISO_OK;
}

/* Stratum and segment offsets of the sorted rows; each row's position in
** its stratum (qidx) and, per respondent, its row (pos, SIZE_MAX for
** none). */
static int index_segments(means_job *j, const int *domain, const size_t *sorted,
                          const uint32_t *hof, size_t *pos, chiso_err *err) {
  const bootstrap_design *d = j->d;
  size_t H = d->n_strata, m = j->n_rows;
  j->hrow = chiso_calloc(H + 1, sizeof *j->hrow);
  j->hseg = chiso_calloc(H + 1, sizeof *j->hseg);
  j->seg = chiso_malloc((m + 1) * sizeof *j->seg);
  j->seg_dom = chiso_malloc((m ? m : 1) * sizeof *j->seg_dom);
  j->qidx = chiso_malloc((m ? m : 1) * sizeof *j->qidx);
  if (!j->hrow || !j->hseg || !j->seg || !j->seg_dom || !j->qidx)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < d->n; i++) pos[i] = SIZE_MAX;
  size_t s = 0, p = 0;
  for (size_t h = 0; h < H; h++) {
    j->hrow[h] = p;
    j->hseg[h] = s;
    for (; p < m && hof[sorted[p]] == h; p++) {
      size_t i = d->order[sorted[p]];
      if (p == j->hrow[h] || domain[i] != domain[d->order[sorted[p - 1]]]) {
        j->seg[s] = p;
        j->seg_dom[s++] = domain[i];
      }
      j->qidx[p] = (uint32_t)(sorted[p] - d->start[h]);
      pos[i] = p;
    }
  }
  j->hrow[H] = p;
  j->hseg[H] = s;
  j->seg[s] = m;
  j->n_seg = s;
  j->horph = chiso_malloc((H + 1) * sizeof *j->horph);
  j->orph = chiso_malloc((d->n - m ? d->n - m : 1) * sizeof *j->orph);
  if (!j->horph || !j->orph) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t o = 0;
  for (size_t h = 0; h < H; h++) {
    j->horph[h] = o;
    for (size_t q = d->start[h]; q < d->start[h + 1]; q++)
      if (pos[d->order[q]] == SIZE_MAX) j->orph[o++] = (uint32_t)(q - d->start[h]);
  }
  j->horph[H] = o;
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

typedef struct pack_job { const means_job *j; const size_t *pos; } pack_job;

/* Respondents in their own order (the columns read front to back), each
** written to its row: rows are disjoint, so any thread may take any item. */
static int pack_items(void *ud, int thread, size_t b, size_t e) {
  (void)thread;
  const pack_job *pj = ud;
  for (size_t i = b; i < e; i++)
    if (pj->pos[i] != SIZE_MAX) pack_one(pj->j, i, pj->j->rows + pj->pos[i] * pj->j->width);
  return CHISO_OK;
}

static int pack_rows(means_job *j, const int *domain, int threads, chiso_err *err) {
  size_t n = j->d->n ? j->d->n : 1;
  size_t *sorted = chiso_malloc(n * sizeof *sorted), *tmp = chiso_malloc(n * sizeof *tmp);
  uint32_t *hof = chiso_malloc(n * sizeof *hof);
  int rc = !sorted || !tmp || !hof ? chiso_err_set(err, CHISO_ENOMEM, "out of memory") : CHISO_OK;
  if (!rc) rc = sort_rows(j, domain, sorted, tmp, hof, err);
  size_t *pos = tmp; /* reused: one entry per respondent */
  if (!rc) rc = index_segments(j, domain, sorted, hof, pos, err);
  if (!rc) {
    j->n_den = count_dens(j->vars, j->k, j->d->n);
    j->width = (j->k + j->n_den + BOOTSTRAP_VW - 1) / BOOTSTRAP_VW * BOOTSTRAP_VW;
    j->rows = chiso_malloc((j->n_rows ? j->n_rows : 1) * j->width * sizeof *j->rows);
    if (!j->rows)
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory packing %zu x %zu values",
                         j->n_rows, j->k);
  }
  if (!rc) {
    pack_job pj = {j, pos};
    rc = workers_run(threads, j->d->n, 16384, pack_items, &pj, NULL, NULL, "bootstrap rows", err);
  }
  chiso_free(sorted);
  chiso_free(tmp);
  chiso_free(hof);
  return rc;
}

/* Draw the counts of replicates r0 .. r0+nb−1 in stratum h into
** counts[q·BOOTSTRAP_BLOCK + b], all 0 on entry (the lanes b >= nb stay 0). */
static void draw_counts(const bootstrap_design *d, size_t r0, size_t nb, size_t h, uint32_t *counts) {
  size_t nh = d->start[h + 1] - d->start[h];
  for (size_t b = 0; b < nb; b++) {
    rng_stream s;
    stream_for(d, r0 + b, h, &s);
    uint32_t draw[BOOTSTRAP_DRAWS];
    for (size_t m = 0; m + 1 < nh; m += BOOTSTRAP_DRAWS) {
      size_t c = nh - 1 - m < BOOTSTRAP_DRAWS ? nh - 1 - m : BOOTSTRAP_DRAWS;
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
** BOOTSTRAP_CHUNK rows: the inner sum in single precision in row order.
** A block is 4 replicates × 2 vectors of W floats (8: AVX2 or plain; 16:
** AVX-512), summed in 8 named variables so that they stay in registers
** (an array of them went through memory); `two` 0 leaves the second
** vector out (the last 8 values of a row). Every lane sums its rows in
** order, so the vector width does not change the bits. */
typedef float bootstrap_v16 __attribute__((vector_size(64)));

#define SEG_TERM(VT, W, k, cv)                                                             \
  do {                                                                                     \
    VT c_;                                                                                 \
    for (int l_ = 0; l_ < W; l_++) c_[l_] = cv;                                            \
    s##k##0 += c_ * r0;                                                                    \
    if (two) s##k##1 += c_ * r1;                                                           \
  } while (0)
#define SEG_OUT(W, k)                                                                      \
  do {                                                                                     \
    double *a_ = acc + (b + k) * bstride + v;                                              \
    for (int l = 0; l < W; l++) a_[l] += (double)s##k##0[l];                               \
    for (int l = 0; two && l < W; l++) a_[W + l] += (double)s##k##1[l];                    \
  } while (0)
#define SEG_BLOCK_BODY(VT, W)                                                              \
  const VT z = {0};                                                                        \
  VT s00 = z, s01 = z, s10 = z, s11 = z, s20 = z, s21 = z, s30 = z, s31 = z;              \
  for (size_t p = 0; p < m; p++) {                                                         \
    const float *r = rows + p * width + v, *c = ct + p * BOOTSTRAP_BLOCK + b;              \
    VT r0, r1 = z;                                                                         \
    memcpy(&r0, r, sizeof r0);                                                             \
    if (two) memcpy(&r1, r + W, sizeof r1);                                                \
    SEG_TERM(VT, W, 0, c[0]);                                                              \
    SEG_TERM(VT, W, 1, c[1]);                                                              \
    SEG_TERM(VT, W, 2, c[2]);                                                              \
    SEG_TERM(VT, W, 3, c[3]);                                                              \
  }                                                                                        \
  SEG_OUT(W, 0);                                                                           \
  SEG_OUT(W, 1);                                                                           \
  SEG_OUT(W, 2);                                                                           \
  SEG_OUT(W, 3);

static inline __attribute__((always_inline)) void
seg_block(const float *rows, const float *ct, size_t m, size_t width, size_t b, size_t v,
          int two, double *acc, size_t bstride) {
  SEG_BLOCK_BODY(bootstrap_v8, BOOTSTRAP_VW)
}

static inline __attribute__((always_inline)) void
seg_block32(const float *rows, const float *ct, size_t m, size_t width, size_t b, size_t v,
            double *acc, size_t bstride) {
  const int two = 1;
  SEG_BLOCK_BODY(bootstrap_v16, 16)
}

/* wide: blocks of 32 values first (AVX-512 bodies only), then of 16, 8. */
static inline __attribute__((always_inline)) void
seg_product(const float *rows, const float *ct, size_t m, size_t width, size_t nb,
            double *acc, size_t bstride, int wide) {
  for (size_t b = 0; b < nb; b += 4) {
    size_t v = 0;
    if (wide)
      for (; v + 32 <= width; v += 32) seg_block32(rows, ct, m, width, b, v, acc, bstride);
    for (; v < width; v += 2 * BOOTSTRAP_VW) {
      if (v + BOOTSTRAP_VW < width) seg_block(rows, ct, m, width, b, v, 1, acc, bstride);
      else seg_block(rows, ct, m, width, b, v, 0, acc, bstride);
    }
  }
}

/* ct[b] = (float)((double)c[b] · scale) for the BOOTSTRAP_BLOCK lanes,
** and c zeroed for the next stratum: 8 lanes at a time on vectors
** (counts < 2^31, so as signed integers; the same conversions and
** product as one lane at a time). */
typedef int32_t bootstrap_i8 __attribute__((vector_size(32)));
typedef double bootstrap_d8 __attribute__((vector_size(64)));

static inline __attribute__((always_inline)) void expand_counts(uint32_t *c, float *ct,
                                                                double scale) {
  const bootstrap_i8 zero = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int b = 0; b < BOOTSTRAP_BLOCK; b += 8) {
    bootstrap_i8 k;
    memcpy(&k, c + b, sizeof k);
    memcpy(c + b, &zero, sizeof zero);
    bootstrap_d8 x = __builtin_convertvector(k, bootstrap_d8) * scale;
    bootstrap_v8 f = __builtin_convertvector(x, bootstrap_v8);
    memcpy(ct + b, &f, sizeof f);
  }
}

/* One (stratum, domain) segment: expand the counts of BOOTSTRAP_CHUNK rows at a
** time (times the stratum's scale, the counts zeroed) and multiply. */
static inline __attribute__((always_inline)) void
accumulate_segment(const means_job *j, size_t s, double scale, size_t nb4, uint32_t *counts,
                   float *ct, double *acc, int wide) {
  size_t bstride = j->n_domains * j->width;
  double *a = acc + (size_t)j->seg_dom[s] * j->width;
  for (size_t p0 = j->seg[s]; p0 < j->seg[s + 1]; p0 += BOOTSTRAP_CHUNK) {
    size_t m = j->seg[s + 1] - p0 < BOOTSTRAP_CHUNK ? j->seg[s + 1] - p0 : BOOTSTRAP_CHUNK;
    for (size_t p = 0; p < m; p++)
      expand_counts(counts + (size_t)j->qidx[p0 + p] * BOOTSTRAP_BLOCK, ct + p * BOOTSTRAP_BLOCK,
                    scale);
    seg_product(j->rows + p0 * j->width, ct, m, j->width, nb4, a, bstride, wide);
  }
}

/* The segments of stratum h, then the counts of its respondents without
** a domain zeroed (the others were zeroed as they were used). */
static inline __attribute__((always_inline)) void
accumulate_stratum(const means_job *j, size_t h, size_t nb4, uint32_t *counts, float *ct,
                   double *acc, int wide) {
  for (size_t s = j->hseg[h]; s < j->hseg[h + 1]; s++)
    accumulate_segment(j, s, j->d->scale[h], nb4, counts, ct, acc, wide);
  for (size_t o = j->horph[h]; o < j->horph[h + 1]; o++)
    memset(counts + (size_t)j->orph[o] * BOOTSTRAP_BLOCK, 0, BOOTSTRAP_BLOCK * sizeof *counts);
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) static void
accumulate_stratum_avx512(const means_job *j, size_t h, size_t nb4, uint32_t *counts,
                          float *ct, double *acc) {
  accumulate_stratum(j, h, nb4, counts, ct, acc, 1);
}

__attribute__((target("avx2"))) static void
accumulate_stratum_avx2(const means_job *j, size_t h, size_t nb4, uint32_t *counts, float *ct,
                        double *acc) {
  accumulate_stratum(j, h, nb4, counts, ct, acc, 0);
}

static void accumulate_stratum_base(const means_job *j, size_t h, size_t nb4, uint32_t *counts,
                                    float *ct, double *acc) {
  accumulate_stratum(j, h, nb4, counts, ct, acc, 0);
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
  int level = cpu_level();
  memset(acc, 0, BOOTSTRAP_BLOCK * bstride * sizeof *acc);
  for (size_t h = 0; h < d->n_strata; h++) {
    if (j->hseg[h] == j->hseg[h + 1]) continue;
    draw_counts(d, r0, nb, h, counts);
    if (level >= CPU_AVX512) accumulate_stratum_avx512(j, h, nb4, counts, ct, acc);
    else if (level >= CPU_AVX2) accumulate_stratum_avx2(j, h, nb4, counts, ct, acc);
    else accumulate_stratum_base(j, h, nb4, counts, ct, acc);
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
  chiso_free(j->horph);
  chiso_free(j->orph);
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
  int rc = pack_rows(&j, domain, threads, err);
  if (rc == CHISO_OK) {
    size_t t = (size_t)threads;
    j.counts = chiso_calloc(t * BOOTSTRAP_BLOCK * d->max_nh, sizeof *j.counts);
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

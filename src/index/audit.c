/* audit.c — statistics of the index audit (see audit.h). */
#include "index/audit.h"

#include "index/idx.h"
#include "base/mem.h"

#include <math.h>
#include <string.h>

void audit_describe(const double *x, size_t n, audit_desc *d) {
  memset(d, 0, sizeof *d);
  double s = 0;
  d->min = INFINITY;
  d->max = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    if (isnan(x[i])) continue;
    d->n++;
    s += x[i];
    if (x[i] < d->min) d->min = x[i];
    if (x[i] > d->max) d->max = x[i];
  }
  d->missing_pct = n ? 100.0 * (double)(n - d->n) / (double)n : NAN;
  if (!d->n) { d->min = d->max = d->mean = d->sd = d->skew = d->kurt = NAN; return; }
  d->mean = s / (double)d->n;
  double ss = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) ss += (x[i] - d->mean) * (x[i] - d->mean);
  d->sd = d->n > 1 ? sqrt(ss / (double)(d->n - 1)) : NAN;
  d->skew = idx_skew(x, n);
  d->kurt = idx_kurt(x, n);
  d->outlier = !isnan(d->skew) && !isnan(d->kurt) && fabs(d->skew) >= 2 && d->kurt >= 3.5;
}

double audit_pearson(const double *x, const double *y, size_t n) {
  double sx = 0, sy = 0;
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i]) && !isnan(y[i])) { sx += x[i]; sy += y[i]; c++; }
  if (c < 3) return NAN;
  double mx = sx / (double)c, my = sy / (double)c, sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(x[i]) || isnan(y[i])) continue;
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : NAN;
}

/* Average ranks (1-based) of v[0..n) into r; O(n^2), n is small. */
static void avg_ranks(const double *v, size_t n, double *r) {
  for (size_t i = 0; i < n; i++) {
    size_t below = 0, equal = 0;
    for (size_t j = 0; j < n; j++) {
      below += v[j] < v[i];
      equal += v[j] == v[i];
    }
    r[i] = (double)below + ((double)equal + 1) / 2;
  }
}

int audit_spearman(const double *x, const double *y, size_t n, double *r) {
  double *buf = chiso_malloc(sizeof(double) * 4 * (n ? n : 1));
  if (!buf) return CHISO_ENOMEM;
  double *cx = buf, *cy = buf + n, *rx = buf + 2 * n, *ry = buf + 3 * n;
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i]) && !isnan(y[i])) { cx[c] = x[i]; cy[c] = y[i]; c++; }
  avg_ranks(cx, c, rx);
  avg_ranks(cy, c, ry);
  *r = audit_pearson(rx, ry, c);
  chiso_free(buf);
  return CHISO_OK;
}

static int complete_row(const double *const *cols, size_t k, size_t i) {
  for (size_t j = 0; j < k; j++)
    if (isnan(cols[j][i])) return 0;
  return 1;
}

static double var_of(double s, double ss, size_t c) {
  return (ss - s * s / (double)c) / (double)(c - 1);
}

double audit_cronbach(const double *const *cols, size_t k, size_t n) {
  if (k < 2) return NAN;
  double sum_var = 0, st = 0, sst = 0;
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += (size_t)complete_row(cols, k, i);
  if (c < 2) return NAN;
  for (size_t j = 0; j < k; j++) {
    double s = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
      if (complete_row(cols, k, i)) { s += cols[j][i]; ss += cols[j][i] * cols[j][i]; }
    sum_var += var_of(s, ss, c);
  }
  for (size_t i = 0; i < n; i++) {
    if (!complete_row(cols, k, i)) continue;
    double t = 0;
    for (size_t j = 0; j < k; j++) t += cols[j][i];
    st += t;
    sst += t * t;
  }
  double vt = var_of(st, sst, c);
  return vt > 0 ? (double)k / (double)(k - 1) * (1 - sum_var / vt) : NAN;
}

/* One Jacobi rotation zeroing a[p][q]; V accumulates the rotations.
** Golub & Van Loan §8.5.2 (sym.schur2): τ = (a_qq − a_pp) / (2 a_pq),
** t = sign(τ) / (|τ| + sqrt(1 + τ²)), c = 1 / sqrt(1 + t²), s = t c. */
static void rotate(double *a, double *v, size_t k, size_t p, size_t q) {
  double apq = a[p * k + q];
  if (apq == 0) return;
  double theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
  double t = (theta >= 0 ? 1 : -1) / (fabs(theta) + sqrt(theta * theta + 1));
  double c = 1 / sqrt(t * t + 1), s = t * c;
  for (size_t r = 0; r < k; r++) {
    double arp = a[r * k + p], arq = a[r * k + q];
    a[r * k + p] = c * arp - s * arq;
    a[r * k + q] = s * arp + c * arq;
  }
  for (size_t r = 0; r < k; r++) {
    double apr = a[p * k + r], aqr = a[q * k + r];
    a[p * k + r] = c * apr - s * aqr;
    a[q * k + r] = s * apr + c * aqr;
  }
  for (size_t r = 0; r < k; r++) {
    double vrp = v[r * k + p], vrq = v[r * k + q];
    v[r * k + p] = c * vrp - s * vrq;
    v[r * k + q] = s * vrp + c * vrq;
  }
}

void audit_jacobi(double *a, size_t k, double *val, double *vec) {
  for (size_t i = 0; i < k * k; i++) vec[i] = i % (k + 1) == 0 ? 1 : 0;
  for (int sweep = 0; sweep < 100; sweep++) {
    double off = 0;
    for (size_t p = 0; p < k; p++)
      for (size_t q = p + 1; q < k; q++) off += a[p * k + q] * a[p * k + q];
    if (off < 1e-30) break;
    for (size_t p = 0; p < k; p++)
      for (size_t q = p + 1; q < k; q++) rotate(a, vec, k, p, q);
  }
  for (size_t i = 0; i < k; i++) val[i] = a[i * k + i];
  for (size_t i = 0; i < k; i++) { /* selection sort, descending, with vectors */
    size_t best = i;
    for (size_t j = i + 1; j < k; j++)
      if (val[j] > val[best]) best = j;
    if (best == i) continue;
    double t = val[i]; val[i] = val[best]; val[best] = t;
    for (size_t r = 0; r < k; r++) {
      t = vec[r * k + i]; vec[r * k + i] = vec[r * k + best]; vec[r * k + best] = t;
    }
  }
}

int audit_pca(const double *const *cols, size_t k, size_t n, double *var_expl, double *load,
              size_t *n_used, chiso_err *err) {
  double *a = chiso_calloc(2 * k * k + 1, sizeof(double));
  double *val = chiso_calloc(k + 1, sizeof(double));
  int rc = CHISO_OK;
  if (!a || !val) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += (size_t)complete_row(cols, k, i);
  *n_used = c;
  if (c < 3) { rc = chiso_err_set(err, CHISO_EDATA, "fewer than 3 complete cases"); goto done; }
  for (size_t p = 0; p < k; p++)
    for (size_t q = p; q < k; q++) {
      double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (size_t i = 0; i < n; i++) {
        if (!complete_row(cols, k, i)) continue;
        double x = cols[p][i], y = cols[q][i];
        sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
      }
      double cv = sxy - sx * sy / (double)c, vx = sxx - sx * sx / (double)c, vy = syy - sy * sy / (double)c;
      if (!(vx > 0) || !(vy > 0)) { rc = chiso_err_set(err, CHISO_EDATA, "a constant variable"); goto done; }
      a[p * k + q] = a[q * k + p] = p == q ? 1 : cv / sqrt(vx * vy);
    }
  audit_jacobi(a, k, val, a + k * k);
  double tot = 0, sum = 0;
  for (size_t j = 0; j < k; j++) tot += val[j];
  for (size_t j = 0; j < k; j++) var_expl[j] = val[j] / tot;
  for (size_t j = 0; j < k; j++) sum += a[k * k + j * k];
  for (size_t j = 0; j < k; j++) load[j] = (sum < 0 ? -1 : 1) * a[k * k + j * k];
done:
  chiso_free(a);
  chiso_free(val);
  return rc;
}

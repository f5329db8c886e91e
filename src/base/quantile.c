/* quantile.c — sorting numbers and their quantiles (quantile.h). */
#include "base/quantile.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void quantile_sort(double *x, size_t n) {
  if (n > 1) qsort(x, n, sizeof *x, cmp_double);
}

double quantile_sorted(const double *x, size_t n, double p, int interpolate) {
  assert(n >= 1);
  if (n == 1) return x[0];
  if (!interpolate) {
    double c = ceil(p * (double)n - 1e-9);
    size_t i = c < 1 ? 0 : (size_t)c - 1;
    return x[i < n ? i : n - 1];
  }
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo >= n - 1) return x[n - 1];
  return x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

static void swap_d(double *a, double *b) {
  double t = *a;
  *a = *b;
  *b = t;
}

/* Put the k-th smallest of x[0..n) at x[k], smaller ones before it and
** larger ones after (Hoare's selection, "Find", CACM 4:321, 1961, with a
** median-of-three pivot). Expected O(n). */
static void select_kth(double *x, size_t n, size_t k) {
  long lo = 0, hi = (long)n - 1, kk = (long)k;
  while (hi > lo) {
    long mid = lo + (hi - lo) / 2;
    if (x[mid] < x[lo]) swap_d(&x[mid], &x[lo]);
    if (x[hi] < x[lo]) swap_d(&x[hi], &x[lo]);
    if (x[hi] < x[mid]) swap_d(&x[hi], &x[mid]);
    double piv = x[mid];
    long i = lo, j = hi;
    while (i <= j) {
      while (x[i] < piv) i++;
      while (piv < x[j]) j--;
      if (i <= j) swap_d(&x[i++], &x[j--]);
    }
    if (kk <= j) hi = j;
    else if (kk >= i) lo = i;
    else return;
  }
}

double quantile_select(double *x, size_t n, double p, int interpolate) {
  assert(n >= 1);
  if (n == 1) return x[0];
  if (!interpolate) {
    double c = ceil(p * (double)n - 1e-9);
    size_t i = c < 1 ? 0 : (size_t)c - 1;
    if (i >= n) i = n - 1;
    select_kth(x, n, i);
    return x[i];
  }
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  if (lo >= n - 1) lo = n - 1;
  select_kth(x, n, lo);
  if (lo == n - 1) return x[lo];
  double next = x[lo + 1];
  for (size_t i = lo + 2; i < n; i++)
    if (x[i] < next) next = x[i];
  return x[lo] + (h - (double)lo) * (next - x[lo]);
}


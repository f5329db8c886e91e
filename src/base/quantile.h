/* quantile.h — sorting numbers and their quantiles: the one place every
** percentile of chiso is computed (intervals, class breaks, rank sets). */
#ifndef CHISO_QUANTILE_H
#define CHISO_QUANTILE_H

#include <stddef.h>

/* Sort x[0..n) ascending (no NaN). Cannot fail. */
void quantile_sort(double *x, size_t n);

/* Quantile of sorted x[n] at probability p: type 7 (linear interpolation,
** R's default; Hyndman & Fan 1996) when `interpolate`, else type 1 (the
** inverse empirical CDF, x[ceil(n p) - 1]). Precondition n >= 1. Cannot
** fail. */
double quantile_sorted(const double *sorted, size_t n, double p, int interpolate);

/* The same value as quantile_sorted on the sorted x, found by selection in
** expected O(n) instead of sorting; x (n >= 1, no NaN) is reordered. */
double quantile_select(double *x, size_t n, double p, int interpolate);

#endif

/* audit.h — the statistical audit of a composite index (OECD/JRC
** Handbook 2008, ch. 4-7; COINr's get_stats, get_corr, get_cronbach,
** get_PCA): descriptive statistics, Pearson and Spearman correlations,
** Cronbach's alpha and principal components with a Jacobi eigen solver.
** Missing values are NaN everywhere. */
#ifndef CHISO_AUDIT_H
#define CHISO_AUDIT_H

#include "base/err.h"

#include <stddef.h>

typedef struct audit_desc {
  size_t n;            /* values present */
  double missing_pct;  /* 0..100 */
  double min, max, mean, sd; /* sd with n-1 */
  double skew, kurt;   /* type 2 (Excel SKEW/KURT), NaN with too few values */
  int outlier;         /* COINr's flag: |skew| >= 2 and kurtosis >= 3.5 */
} audit_desc;

/* Describe x[0..n). Cannot fail; every statistic is NaN when undefined. */
void audit_describe(const double *x, size_t n, audit_desc *out);

/* Pearson correlation r = Σ (x−x̄)(y−ȳ) / sqrt(Σ (x−x̄)² Σ (y−ȳ)²)
** (Pearson 1896) over the pairs where both are present; NaN with
** fewer than 3 pairs or zero variance. Cannot fail. */
double audit_pearson(const double *x, const double *y, size_t n);

/* Spearman (1904) correlation: Pearson of the average ranks (ties get
** the mean rank, as R's cor(method = "spearman")) over complete pairs. Returns 0 and sets *r, or CHISO_ENOMEM. */
int audit_spearman(const double *x, const double *y, size_t n, double *r);

/* Cronbach's alpha of k items (cols[j][0..n)) over the complete cases:
** k/(k-1) (1 - sum var_j / var(sum)) (Cronbach 1951). NaN with k < 2 or
** fewer than 2 complete cases. Cannot fail. */
double audit_cronbach(const double *const *cols, size_t k, size_t n);

/* Eigen decomposition of the symmetric k×k matrix a (row-major, destroyed)
** by cyclic Jacobi rotations (Golub & Van Loan, Matrix Computations,
** §8.5). Eigenvalues in descending order in val[k]; the matching unit
** eigenvectors are the columns of vec (k×k, row-major). Cannot fail. */
void audit_jacobi(double *a, size_t k, double *val, double *vec);

/* PCA of k variables on the correlation matrix (centred and scaled, like
** R's prcomp(scale = TRUE)) over the complete cases. Fills var_expl[k]
** (share of variance of each component, descending) and load[k] (first
** component's unit eigenvector, sign chosen so that its sum is >= 0), and
** *n_used. Returns 0, CHISO_EDATA when fewer than 3 complete cases or a
** constant variable, or CHISO_ENOMEM. */
int audit_pca(const double *const *cols, size_t k, size_t n, double *var_expl, double *load,
              size_t *n_used, chiso_err *err);

#endif

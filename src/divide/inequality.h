/* inequality.h — the digital divide: concentration of online sales,
** inequality of index scores (with a between/within-region decomposition)
** and convergence over years.
**
** Every function works on plain arrays so that any source can feed it: a
** CSV today, the store's estimates and `chiso compute` results later.
** Formulas and references are in docs/divide.md. Missing values are NaN;
** functions that need complete data say so. Nothing here allocates except
** where stated, and nothing keeps a pointer to its arguments. */
#ifndef CHISO_INEQUALITY_H
#define CHISO_INEQUALITY_H

#include "base/err.h"
#include "geo/geo.h"

#include <stddef.h>
#include <stdio.h>

/* The GSO codes of the two cities of the concentration target (Decision
** 645/QĐ-TTg): Hà Nội and TP. Hồ Chí Minh. From 2025 code 79 is the
** merged unit (with former Bình Dương and Bà Rịa - Vũng Tàu). */
#define INEQUALITY_CODE_HANOI "01"
#define INEQUALITY_CODE_HCM "79"

/* ---- building blocks ----------------------------------------------------- */

/* Gini coefficient G = sum_i sum_j |x_i - x_j| / (2 n^2 mean) (Gini 1912;
** the population form, as R ineq::Gini without correction). Values must be
** >= 0 with a positive sum; returns NaN otherwise or when n == 0.
** Allocates a sorted copy; returns NaN on out of memory. */
double inequality_gini(const double *x, size_t n);

/* Share of the k largest values in the total (k is clamped to n). NaN when
** the total is not positive. Allocates a sorted copy (NaN on no memory). */
double inequality_top_k_share(const double *x, size_t n, size_t k);

/* The Lorenz curve of non-negative values: n + 1 points, px[0] = py[0] = 0,
** then for k = 1..n the population share k/n and the share of the total held
** by the k smallest values. px and py hold n + 1 doubles (caller-owned).
** Returns CHISO_EDATA for a negative or missing value or a zero total,
** CHISO_ENOMEM; err filled. */
int inequality_lorenz(const double *x, size_t n, double *px, double *py, chiso_err *err);

/* A Theil index and its two-part decomposition by groups. */
typedef struct inequality_decomp {
  double total, between, within; /* between + within == total (to rounding) */
} inequality_decomp;

/* Theil T (GE(1)) and Theil L (GE(0), the mean log deviation) of x, with
** the additive decomposition over groups (Theil 1967; Shorrocks 1980):
**   T = sum_g s_g T_g + sum_g s_g ln(mu_g / mu),  s_g = n_g mu_g / (n mu)
**   L = sum_g (n_g/n) L_g + sum_g (n_g/n) ln(mu / mu_g).
** group[i] in [0, n_groups) is unit i's group (e.g. its region); group may
** be NULL (one group, between = 0). x must be > 0 for L; T accepts zeros
** (0 ln 0 = 0). On a value < 0 or NaN, or a group out of range, returns
** CHISO_EDATA; *t and *l are set to NaN when they cannot be computed
** (L with a zero value). Either output pointer may be NULL. */
int inequality_theil(const double *x, const int *group, size_t n, size_t n_groups,
              inequality_decomp *t, inequality_decomp *l, chiso_err *err);

/* ---- concentration of online sales ---------------------------------------- */

typedef struct inequality_concentration {
  size_t n;              /* units with a value */
  double total;          /* sum of the values */
  double hn_hcm_share;   /* (value of 01 + value of 79) / total, 0..1 */
  double outside_share;  /* 1 - hn_hcm_share: the 50% target of QĐ 645 */
  double hhi;            /* Herfindahl–Hirschman index, sum of shares^2, 0..1 */
  double top5_share;     /* share of the 5 largest units */
  double gini;           /* Gini of the values (inequality_gini), NaN with < 2 */
} inequality_concentration;

/* Concentration of a province vector: codes[i] (2-digit GSO codes of the
** year's units, borrowed) and values[i] >= 0 (online sales, parcels...).
** NaN values are skipped. A code missing from the vector counts as zero
** for the HN+HCM share (e.g. a year without Hà Nội data) — callers that
** care check n. Returns CHISO_EDATA for a negative value or a total <= 0,
** err filled. */
int inequality_concentration_compute(const char *const *codes, const double *values,
                              size_t n, inequality_concentration *out, chiso_err *err);

/* HN+HCM share in each of R replicates (rep is R x n row-major, unit order
** as codes) and its percentile interval at `level` (e.g. 0.95) using
** type 7 quantiles of the replicate shares. Replicates with a zero total
** are skipped. Returns CHISO_EDATA when fewer than 2 replicates are usable,
** CHISO_ENOMEM. */
int inequality_share_interval(const char *const *codes, const double *rep, size_t n,
                       size_t R, double level, double *lo, double *hi,
                       chiso_err *err);

/* ---- inequality of scores -------------------------------------------------- */

typedef struct inequality_inequality {
  size_t n;                 /* units */
  double mean, sd, cv;      /* sd divides by n (population); cv = sd/mean */
  double gini;
  inequality_decomp theil_t, theil_l;
  double p10, p90, p90_p10; /* type 7 quantiles */
  double top5_mean, bottom5_mean, top5_bottom5; /* k = min(5, n) */
  double max, median, leader_median_gap;        /* max - median */
} inequality_inequality;

/* Every inequality measure of the scores x[0..n) of the ranked units, with
** group[i] the unit's region (see inequality_theil; may be NULL). Needs n >= 2 and
** values >= 0 with a positive mean. Returns CHISO_EDATA (missing or
** negative score, bad group), CHISO_ENOMEM; err filled. Measures that are
** undefined for the data (Theil L or p90/p10 with a zero) are NaN. */
int inequality_inequality_compute(const double *x, const int *group, size_t n,
                           size_t n_groups, inequality_inequality *out, chiso_err *err);

/* ---- convergence over years ------------------------------------------------ */

/* σ-convergence statistics of one year's cross-section. */
typedef struct inequality_sigma {
  int year;
  size_t n;      /* units with a positive score that year */
  double cv;     /* population sd / mean of the scores */
  double sd_log; /* population sd of ln(score) */
} inequality_sigma;

/* For each of n_years years, the CV and the sd of log scores across units
** (Barro & Sala-i-Martin 1992: σ-convergence is a falling dispersion).
** panel is n_units x n_years row-major (panel[u * n_years + t]); NaN or
** non-positive scores are left out of that year. out holds n_years
** entries. A year with fewer than 2 units gets NaN. Cannot fail. */
void inequality_sigma_convergence(const double *panel, size_t n_units, const int *years,
                           size_t n_years, inequality_sigma *out);

/* β-convergence: the OLS fit of the annualised log growth
** g_i = ln(y1_i / y0_i) / years on ln(y0_i) (Barro & Sala-i-Martin 1992). */
typedef struct inequality_beta {
  size_t n;         /* units used (both scores positive) */
  double years;     /* length of the period */
  double alpha, beta, se_beta, t_beta, r2;
  double speed;     /* λ = -ln(1 + β·years) / years; NaN when 1 + β·years <= 0 */
  double half_life; /* ln 2 / λ in years; NaN unless λ > 0 */
} inequality_beta;

/* Fit β-convergence over units with positive y0 and y1 (others skipped).
** se_beta is the classical OLS standard error sqrt(RSS/(n-2) / Sxx).
** Returns CHISO_EDATA when years <= 0, fewer than 3 units are usable or all
** initial levels are equal; err filled. */
int inequality_beta_convergence(const double *y0, const double *y1, size_t n,
                         double years, inequality_beta *out, chiso_err *err);

/* Annualised log growth ln(y_end / y_start) / years; NaN unless both are
** positive and years > 0. */
double inequality_log_growth(double y_start, double y_end, double years);

/* Catch-up years at the current pace: with a unit at y growing at the
** annualised log rate g and a reference (the leader, or the median) at
** y_ref growing at g_ref, the t solving y e^{g t} = y_ref e^{g_ref t}:
**   t = ln(y_ref / y) / (g - g_ref).
** Returns 0 when y >= y_ref, INFINITY when the gap is not closing
** (g <= g_ref), NaN for non-positive levels or NaN inputs. */
double inequality_catch_up_years(double y, double g, double y_ref, double g_ref);

/* ---- the measure table of `chiso divide` ----------------------------------- */

#define INEQUALITY_N_MEASURES 16

typedef struct inequality_measure {
  const char *name; /* static: hn_hcm_share, outside_share, volume_*, score_* */
  double value, lo, hi; /* lo/hi NaN when no interval */
} inequality_measure;

/* Fill out[] with the measures of `chiso divide` in their fixed order,
** taking concentration measures from c (hn_hcm_share, outside_share,
** volume_gini, volume_top5_share, volume_hhi: of the volume, online sales
** by default) and inequality measures from q (score_gini ...
** score_leader_median_gap: of the ranked units' index scores); the two
** prefixes keep a Gini of scores apart from an HHI of sales (issue 12);
** either may be NULL, and then its rows are left out.
** Returns the number of rows written (at most INEQUALITY_N_MEASURES). Cannot
** fail. lo/hi of hn_hcm_share and outside_share come from c_lo/c_hi
** (NaN when unknown). */
size_t inequality_measures(const inequality_concentration *c, double c_lo, double c_hi,
                    const inequality_inequality *q, inequality_measure out[INEQUALITY_N_MEASURES]);

/* Write the rows of inequality_measures as the CSV of `chiso divide`:
** measure,value,lo,hi (numbers %.17g, empty when NaN). Returns 0 or
** CHISO_EIO. */
int inequality_measures_csv(const inequality_measure *m, size_t n, FILE *f);
/* 1 when the measure `name` is a share of a total (hn_hcm_share,
** outside_share, volume_top5_share): a proportion 0..1 in CSV and JSON, shown as a percentage
** in tables for people. 0 otherwise, also for NULL. Cannot fail. */
int inequality_measure_is_share(const char *name);

/* ---- input vectors ------------------------------------------------------------ */

/* One value per unit of a year, with the unit's region in that year's
** region list (geo_region_name(geo_era_for_year(year), region, ...)). */
typedef struct inequality_vector {
  int year;
  size_t n;
  char (*code)[3];  /* n 2-digit codes of the year's units */
  const char **codes; /* n pointers into code[], for inequality_concentration_compute */
  double *value;    /* n values */
  int *region;      /* n region indices */
} inequality_vector;

/* Read a CSV with a `code` column (2-digit GSO codes of units in force in
** `year`; a single digit is zero-padded) and a value column: `value_col`
** when given, else the first of "value", "score", "total", "online_sales",
** "online_sales_total" present. When `ranked_only` and the file has a
** `rank` column, rows with an empty rank are left out (units not ranked
** by `chiso compute`). Rows with an empty value are left out. On success
** *out is new (free with inequality_vector_free). Returns CHISO_EDATA located at
** FILE:ROW:COL (unknown code for the year, duplicate code, bad number,
** missing column), CHISO_EIO, CHISO_ENOMEM; *out NULL on failure. */
int inequality_vector_read(const char *path, const geo_registry *reg, int year,
                    const char *value_col, int ranked_only, inequality_vector **out,
                    chiso_err *err);

/* Free a vector. NULL is a no-op. */
void inequality_vector_free(inequality_vector *v);

#endif

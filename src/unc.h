/* unc.h — uncertainty and sensitivity analysis of a composite index:
** the spec file of uncertain method choices, and the drivers that run the
** index engine (idx.h) many times and summarise the ranks.
**
** Three analyses, all over one bound plan (idx_plan):
**   method    N runs, each drawing the uncertain inputs of a spec (weights
**             noise or Dirichlet per level, normalisation, aggregation,
**             winsorisation on/off, winmax, imputation, one indicator
**             left out, and optionally the bootstrap replicate: sampling ×
**             method crossed) — Saisana, Saltelli & Tarantola (2005), JRSS A
**             168:307–323;
**   sampling  one run per bootstrap replicate of the data table (e.g.
**             province estimates from Rao–Wu replicate weights), nominal
**             method, whole index recomputed (normalisation included);
**   Sobol     first-order and total indices of the mean absolute rank
**             shift (the COINr choice) for each spec input, Saltelli (2010)
**             design with Jansen estimators (sens.h).
** Runs are independent items keyed by (seed, run): identical bytes for any
** thread count. See docs/uncertainty.md. */
#ifndef CHISO_UNC_H
#define CHISO_UNC_H

#include "err.h"
#include "idx.h"
#include "log.h"
#include "rankstat.h"
#include "sens.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the spec ------------------------------------------------------------ */

typedef enum {
  UNC_WEIGHTS = 0,       /* multipliers of the weights of one level (or all) */
  UNC_NORMALISATION = 1, /* one of a set of normalisations (every indicator) */
  UNC_AGGREGATION = 2,   /* one of a set of aggregations (every aggregate) */
  UNC_WINSORISATION = 3, /* COINr winsorisation off or on */
  UNC_WINMAX = 4,        /* winsorisation limit (points) */
  UNC_IMPUTATION = 5,    /* one of a set of imputation methods */
  UNC_EXCLUDE = 6,       /* none, or leave one indicator out */
  UNC_SAMPLING = 7,      /* the bootstrap replicate of the data */
  UNC_KIND_COUNT = 8
} unc_kind;

#define UNC_MAX_OPTIONS 16

/* One choice of a discrete input: a method code (idx_norm, idx_agg,
** idx_impute), 0/1 (winsorisation) or a winmax value; a and b are the
** normalisation parameters (range, or zscore mean and sd; NaN = the
** engine's default for that method). */
typedef struct unc_option {
  int code;
  double a, b;
} unc_option;

typedef struct unc_input {
  unc_kind kind;
  char name[64];         /* shown in the sensitivity output */
  int level;             /* UNC_WEIGHTS: node level (1 = indicators), 0 = all levels */
  double noise;          /* UNC_WEIGHTS: multipliers uniform on [1 − noise, 1 + noise] */
  double dirichlet;      /* UNC_WEIGHTS: > 0 = Dirichlet(conc · shares) instead */
  int n_options;
  unc_option options[UNC_MAX_OPTIONS];
  char **exclude_ids;    /* UNC_EXCLUDE: the candidates (NULL = every indicator) */
  int n_exclude_ids;
  long row, col;         /* where it was declared in the spec file (0 = default) */
} unc_input;

typedef struct unc_spec {
  unc_input *inputs;
  size_t n;
  char *source;          /* file name for errors ("" for the default) */
} unc_spec;

/* Parse a spec JSON text {"inputs": [...]} (docs/uncertainty.md §3).
** `name` is used in error messages. On success *out is a new spec (free
** with unc_spec_free). Returns CHISO_EDATA located FILE:LINE:COL (bad
** JSON, unknown type or key, a bad option, noise outside [0, 1), level
** < 0), or CHISO_ENOMEM; *out is then NULL. Names of methods and
** indicators are checked against a model later, by the analyses. */
int unc_spec_parse(const char *json, size_t len, const char *name, unc_spec **out,
                   chiso_err *err);

/* Read and parse a spec file. As unc_spec_parse, plus CHISO_EIO. */
int unc_spec_load(const char *path, unc_spec **out, chiso_err *err);

/* The documented default for model m: ±25% weight noise at every level
** below the root (one input per level), normalisation minmax (the model's
** range) or zscore (mean 10, sd 2, so geometric means stay defined),
** aggregation arithmetic or geometric, winsorisation off or on, and the
** bootstrap replicate when `sampling` is 1. Returns 0 or CHISO_ENOMEM. */
int unc_spec_default(const idx_model *m, int sampling, unc_spec **out, chiso_err *err);

/* Free a spec. NULL is a no-op. */
void unc_spec_free(unc_spec *s);

/* 1 when the spec has an input of this kind. */
int unc_spec_has(const unc_spec *s, unc_kind kind);

/* ---- the analyses ----------------------------------------------------------- */

typedef struct unc_setup {
  const idx_plan *plan;          /* model + nominal data, borrowed */
  const unc_spec *spec;          /* method analysis and Sobol; NULL = the default
                                    (unc_spec_default), with a "sampling"
                                    input when replicates are given: the
                                    crossed analysis */
  const double *replicates;      /* n_replicates tables with idx_data's values
                                    layout (n_cols × n_units, column-major),
                                    back to back; NULL when there is no sample
                                    (urep.h makes them from a stored year) */
  size_t n_replicates;
  uint64_t seed;
  int threads;                   /* < 1 means 1 */
  chiso_progress_fn progress;    /* may be NULL; called from thread 0 */
  void *progress_ud;
} unc_setup;

typedef struct unc_unit {
  int ranked;          /* 0: no nominal rank; the other fields are NaN/0 */
  rks_unit r;          /* score, SE, percentile intervals, P(top k),
                          P(above mean), MRSW sets (rankstat.h) */
  sens_ua_stat rank;   /* nominal, median, q05, q95 and mean absolute shift
                          of the engine's ranks over the runs */
} unc_unit;

typedef struct unc_result {
  size_t n_units, runs;
  int scores_comparable; /* 0 when normalisation varies: score intervals NaN */
  int inference;         /* 1 when runs include sampling (MRSW sets meaningful) */
  unc_unit *unit;        /* n_units, in the data's order */
  double *scores;        /* runs × n_units index scores (NaN = no score) */
  double *ranks;         /* runs × n_units engine ranks (NaN = unranked) */
} unc_result;

/* Method (or crossed) uncertainty: `runs` draws of the spec's inputs
** (a "sampling" input draws a replicate), each a whole index run; per unit
** the rank statistics. res is filled (free with unc_result_free). Returns 0,
** CHISO_EUSAGE (runs < 2, a spec naming an unknown method, level or
** indicator, a sampling input without replicates; err located in the spec
** file), CHISO_EDATA (no unit ranked nominally), CHISO_ENOMEM,
** CHISO_EINTERNAL. On failure res holds nothing to free. */
int unc_method_analysis(const unc_setup *s, size_t runs, unc_result *res, chiso_err *err);

/* Sampling uncertainty: one run per replicate table with the nominal
** method. Same results and errors as unc_method_analysis, plus
** CHISO_EUSAGE when fewer than 2 replicates are given. */
int unc_sampling_analysis(const unc_setup *s, unc_result *res, chiso_err *err);

/* Free the arrays of res (not res itself). NULL is a no-op. */
void unc_result_free(unc_result *res);

typedef struct unc_sobol {
  sens_sobol_result sobol;  /* indices per step (N/4, N/2, N) and input */
  char (*names)[64];        /* n_inputs names of the spec inputs */
} unc_sobol;

/* Sobol first-order and total indices of the mean absolute rank shift
** from the nominal ranks, N base rows (N(k + 2) runs, N >= 8), n_boot
** bootstrap resamples for the CIs (0 = 500). res is filled; free with
** unc_sobol_free. Errors as unc_method_analysis. */
int unc_sensitivity(const unc_setup *s, size_t N, size_t n_boot, unc_sobol *res,
                    chiso_err *err);

/* Free the arrays of res. NULL is a no-op. */
void unc_sobol_free(unc_sobol *res);

/* The type names of the spec ("weights", "normalisation", ...). */
const char *unc_kind_name(unc_kind k);

#endif

/* montecarlo.h — uncertainty and sensitivity analysis of a composite index:
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
**             design with Jansen estimators (sensitivity.h).
** Runs are independent items keyed by (seed, run): identical bytes for any
** thread count. See docs/uncertainty.md. */
#ifndef CHISO_MONTECARLO_H
#define CHISO_MONTECARLO_H

#include "base/err.h"
#include "index/idx.h"
#include "base/log.h"
#include "uncertainty/rankstat.h"
#include "uncertainty/sensitivity.h"

#include <stddef.h>
#include <stdint.h>

/* ---- the spec ------------------------------------------------------------ */

typedef enum {
  MONTECARLO_WEIGHTS = 0,       /* multipliers of the weights of one level (or all) */
  MONTECARLO_NORMALISATION = 1, /* one of a set of normalisations (every indicator) */
  MONTECARLO_AGGREGATION = 2,   /* one of a set of aggregations (every aggregate) */
  MONTECARLO_WINSORISATION = 3, /* COINr winsorisation off or on */
  MONTECARLO_WINMAX = 4,        /* winsorisation limit (points) */
  MONTECARLO_IMPUTATION = 5,    /* one of a set of imputation methods */
  MONTECARLO_EXCLUDE = 6,       /* none, or leave one indicator out */
  MONTECARLO_SAMPLING = 7,      /* the bootstrap replicate of the data */
  MONTECARLO_KIND_COUNT = 8
} montecarlo_kind;

#define MONTECARLO_MAX_OPTIONS 16

/* One choice of a discrete input: a method code (idx_norm, idx_agg,
** idx_impute), 0/1 (winsorisation) or a winmax value; a and b are the
** normalisation parameters (range, or zscore mean and sd; NaN = the
** engine's default for that method). */
typedef struct montecarlo_option {
  int code;
  double a, b;
} montecarlo_option;

typedef struct montecarlo_input {
  montecarlo_kind kind;
  char name[64];         /* shown in the sensitivity output */
  int level;             /* MONTECARLO_WEIGHTS: node level (1 = indicators), 0 = all levels */
  double noise;          /* MONTECARLO_WEIGHTS: multipliers uniform on [1 − noise, 1 + noise] */
  double dirichlet;      /* MONTECARLO_WEIGHTS: > 0 = Dirichlet(conc · shares) instead */
  int n_options;
  montecarlo_option options[MONTECARLO_MAX_OPTIONS];
  char **exclude_ids;    /* MONTECARLO_EXCLUDE: the candidates (NULL = every indicator) */
  int n_exclude_ids;
  long row, col;         /* where it was declared in the spec file (0 = default) */
} montecarlo_input;

typedef struct montecarlo_spec {
  montecarlo_input *inputs;
  size_t n;
  char *source;          /* file name for errors ("" for the default) */
} montecarlo_spec;

/* Parse a spec JSON text {"inputs": [...]} (docs/uncertainty.md §3).
** `name` is used in error messages. On success *out is a new spec (free
** with montecarlo_spec_free). Returns CHISO_EDATA located FILE:LINE:COL (bad
** JSON, unknown type or key, a bad option, noise outside [0, 1), level
** < 0), or CHISO_ENOMEM; *out is then NULL. Names of methods and
** indicators are checked against a model later, by the analyses. */
int montecarlo_spec_parse(const char *json, size_t len, const char *name, montecarlo_spec **out,
                   chiso_err *err);

/* Read and parse a spec file. As montecarlo_spec_parse, plus CHISO_EIO. */
int montecarlo_spec_load(const char *path, montecarlo_spec **out, chiso_err *err);

/* The documented default for model m: ±25% weight noise at every level
** below the root (one input per level), normalisation minmax (the model's
** range) or zscore (mean 10, sd 2, so geometric means stay defined),
** aggregation arithmetic or geometric, winsorisation off or on, and the
** bootstrap replicate when `sampling` is 1. Returns 0 or CHISO_ENOMEM. */
int montecarlo_spec_default(const idx_model *m, int sampling, montecarlo_spec **out, chiso_err *err);

/* Free a spec. NULL is a no-op. */
void montecarlo_spec_free(montecarlo_spec *s);

/* 1 when the spec has an input of this kind. */
int montecarlo_spec_has(const montecarlo_spec *s, montecarlo_kind kind);

/* ---- the analyses ----------------------------------------------------------- */

typedef struct montecarlo_setup {
  const idx_plan *plan;          /* model + nominal data, borrowed */
  const montecarlo_spec *spec;          /* method analysis and Sobol; NULL = the default
                                    (montecarlo_spec_default), with a "sampling"
                                    input when replicates are given: the
                                    crossed analysis */
  const double *replicates;      /* n_replicates tables with idx_data's values
                                    layout (n_cols × n_units, column-major),
                                    back to back; NULL when there is no sample
                                    (replicates.h makes them from a stored year) */
  size_t n_replicates;
  uint64_t seed;
  int threads;                   /* < 1 means 1 */
  chiso_progress_fn progress;    /* may be NULL; called from thread 0 */
  void *progress_ud;
  const double *weights;         /* NULL, or n_nodes absolute weights that
                                    replace the model's in every run, the
                                    nominal one included (NaN = the
                                    model's): the analyses of a what-if
                                    (idx_options.weights); weight draws
                                    multiply these */
  int no_sets;                   /* 1: leave out the MRSW rank sets of the
                                    results (rankstat_options.no_sets) for a
                                    caller that shows none; every other
                                    statistic is unchanged */
  int intervals_only;            /* 1: of the per-unit statistics only the
                                    95% intervals and the rank median
                                    (rankstat_options.intervals_only), no
                                    rank summary (unit.rank: the nominal
                                    rank, NaN elsewhere): for the what-if;
                                    runs, scores and ranks are unchanged */
} montecarlo_setup;

typedef struct montecarlo_unit {
  int ranked;          /* 0: no nominal rank; the other fields are NaN/0 */
  rankstat_unit r;          /* score, SE, percentile intervals, P(top k),
                          P(above mean), MRSW sets (rankstat.h) */
  sensitivity_ua_stat rank;   /* nominal, median, q05, q95 and mean absolute shift
                          of the engine's ranks over the runs */
} montecarlo_unit;

typedef struct montecarlo_result {
  size_t n_units, runs;
  int scores_comparable; /* 0 when normalisation varies: score intervals NaN */
  int inference;         /* 1 when runs include sampling (MRSW sets meaningful) */
  montecarlo_unit *unit;        /* n_units, in the data's order */
  double *scores;        /* runs × n_units index scores (NaN = no score) */
  double *ranks;         /* runs × n_units engine ranks (NaN = unranked) */
  /* the parameters drawn in every run (COINr's $Para): runs × n_params,
  ** run-major; a weight multiplier (or Dirichlet weight × share ratio),
  ** or the index of the discrete choice (montecarlo_param_text labels it).
  ** A sampling analysis has one parameter, the replicate. */
  double *params;
  size_t n_params;
  int *param_input;      /* n_params: the spec input of each column */
  int *param_node;       /* n_params: the node a weight moves, else -1 */
} montecarlo_result;

/* Method (or crossed) uncertainty: `runs` draws of the spec's inputs
** (a "sampling" input draws a replicate), each a whole index run; per unit
** the rank statistics. res is filled (free with montecarlo_result_free). Returns 0,
** CHISO_EUSAGE (runs < 2, a spec naming an unknown method, level or
** indicator, a sampling input without replicates; err located in the spec
** file), CHISO_EDATA (no unit ranked nominally), CHISO_ENOMEM,
** CHISO_EINTERNAL. On failure res holds nothing to free. */
int montecarlo_method_analysis(const montecarlo_setup *s, size_t runs, montecarlo_result *res, chiso_err *err);

/* Sampling uncertainty: one run per replicate table with the nominal
** method. Same results and errors as montecarlo_method_analysis, plus
** CHISO_EUSAGE when fewer than 2 replicates are given. */
int montecarlo_sampling_analysis(const montecarlo_setup *s, montecarlo_result *res, chiso_err *err);

/* ---- prepared analyses ------------------------------------------------------
** A what-if asks the same analysis again and again at other weights of the
** root's children (the pillars). Nothing below the root reads those
** weights, so montecarlo_prepare runs the analysis once and keeps, for
** every run, what its root aggregate reads (idx_root_state_save); after
** that an analysis at other such weights only aggregates the root of each
** run again (idx_run_root) and summarises: the same bytes as
** montecarlo_method_analysis (or montecarlo_sampling_analysis) with those
** weights in the setup, for a small part of its time. */
typedef struct montecarlo_prepared montecarlo_prepared;

/* Run the method analysis of s with `runs` draws (runs >= 2), or with
** runs == 0 the sampling analysis, at s->weights, and keep its runs. s's
** plan, spec and replicates are borrowed and must outlive the result; the
** weights are copied; s->progress is not called. On success *out is new
** (montecarlo_prepared_free). Returns the errors of the analysis; *out is
** then NULL. Memory: (runs + 1) · idx_root_state_size bytes. */
int montecarlo_prepare(const montecarlo_setup *s, size_t runs, montecarlo_prepared **out,
                       chiso_err *err);

/* Free a prepared analysis. NULL is a no-op. */
void montecarlo_prepared_free(montecarlo_prepared *pr);

/* 1 when weights (n_nodes, NULL or NaN = the model's) equal the prepared
** ones everywhere but at the root's children, which stay positive where
** the prepared ones were, and the spec draws no Dirichlet weights (their
** draws follow the weights): montecarlo_prepared_analysis can then run
** them. 0 otherwise. Cannot fail. */
int montecarlo_prepared_fits(const montecarlo_prepared *pr, const double *weights);

/* The prepared analysis at weights (montecarlo_prepared_fits must hold):
** the result montecarlo_method_analysis (or _sampling_analysis) gives with
** setup.weights = weights, bit for bit. Thread-safe: pr is only read.
** Returns 0, CHISO_EUSAGE (weights that do not fit), CHISO_EDATA (no unit
** ranked), CHISO_ENOMEM; res then holds nothing. */
int montecarlo_prepared_analysis(const montecarlo_prepared *pr, const double *weights,
                                 montecarlo_result *res, chiso_err *err);

/* Free the arrays of res (not res itself). NULL is a no-op. */
void montecarlo_result_free(montecarlo_result *res);

/* The name of parameter column c of res ("weights_L2:b2c",
** "normalisation") into buf of size n, and the text of its value v
** ("zscore(10;2)", "geometric", "on", "LPI", "none", replicate "17", or the
** multiplier %.17g). s is the setup the analysis ran with (its spec, or
** the default spec of its model). Cannot fail (unknown: "?"). */
void montecarlo_param_name(const montecarlo_setup *s, const montecarlo_result *res, size_t c,
                           char *buf, size_t n);
void montecarlo_param_text(const montecarlo_setup *s, const montecarlo_result *res, size_t c,
                           double v, char *buf, size_t n);

/* Run the index again with the parameters of run `run` of res (a method or
** crossed analysis made with setup s), into ws (a workspace of s->plan),
** for a diagnostic dump (out_index). Returns 0, CHISO_EUSAGE (run out of
** range, or res has no parameters) or the errors of the analysis. */
int montecarlo_replay(const montecarlo_setup *s, const montecarlo_result *res, size_t run,
                      idx_workspace *ws, chiso_err *err);

typedef struct montecarlo_sobol {
  sensitivity_sobol_result sobol;  /* indices per step (N/4, N/2, N) and input */
  char (*names)[64];        /* n_inputs names of the spec inputs */
} montecarlo_sobol;

/* Sobol first-order and total indices of the mean absolute rank shift
** from the nominal ranks, N base rows (N(k + 2) runs, N >= 8), n_boot
** bootstrap resamples for the CIs (0 = 500). res is filled; free with
** montecarlo_sobol_free. Errors as montecarlo_method_analysis. */
int montecarlo_sensitivity(const montecarlo_setup *s, size_t N, size_t n_boot, montecarlo_sobol *res,
                    chiso_err *err);

/* Free the arrays of res. NULL is a no-op. */
void montecarlo_sobol_free(montecarlo_sobol *res);

/* The type names of the spec ("weights", "normalisation", ...). */
const char *montecarlo_kind_name(montecarlo_kind k);

#endif

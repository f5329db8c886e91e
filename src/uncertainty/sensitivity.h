/* sensitivity.h — method Monte Carlo (uncertainty analysis) and Sobol
** sensitivity indices against an abstract model.
**
** A problem is a list of uncertain inputs, each using one or more
** coordinates of the unit cube, and a model y = f(x) with n_out outputs
** (the index ranks of each unit, or one number). Uncertainty analysis runs
** the model on N sampled x and summarises each output; sensitivity
** analysis uses the Saltelli (2010) design — matrices A, B and A_B^(i)
** (A with input i taken from B), N(k + 2) runs — with Jansen's (1999)
** estimators, as listed in Saltelli, Annoni, Azzini, Campolongo, Ratto &
** Tarantola (2010), "Variance based sensitivity analysis of model output",
** Comput. Phys. Commun. 181:259–270, Table 2:
**   V_Ti = 1/(2N) Σ_j (f(A)_j − f(A_B^i)_j)²          S_Ti = V_Ti / V
**   V_i  = V − 1/(2N) Σ_j (f(B)_j − f(A_B^i)_j)²      S_i  = V_i / V
** V the variance of the 2N values f(A), f(B). Groups of coordinates (all
** the weights of one level) are one input and move together.
**
** Sampling: the first coordinate of each input comes from the Sobol
** sequence (qmc.h; A uses dimensions 1..k and B k+1..2k, k <= 32 inputs),
** further coordinates of a group from Philox streams keyed by (seed, row,
** matrix, input) — "padding" (Owen 1994) that keeps the estimators
** unbiased. With qmc = 0 or more than 32 inputs every coordinate is
** pseudo-random. Runs are independent items: any thread count gives the
** same bytes. */
#ifndef CHISO_SENSITIVITY_H
#define CHISO_SENSITIVITY_H

#include "base/err.h"
#include "base/log.h"

#include <stddef.h>
#include <stdint.h>

typedef enum {
  SENSITIVITY_UNIFORM,   /* each coordinate uniform on [lo, hi) */
  SENSITIVITY_DISCRETE,  /* floor(u · levels): a choice 0..levels-1, passed as a double */
  SENSITIVITY_DIRICHLET  /* dim shares ~ Dirichlet(conc · mean) (Wilson–Hilferty gamma quantiles) */
} sensitivity_kind;

typedef struct sensitivity_input {
  char name[64];
  sensitivity_kind kind;
  int dim;             /* coordinates used (>= 1; DISCRETE uses 1) */
  double lo, hi;       /* SENSITIVITY_UNIFORM */
  int levels;          /* SENSITIVITY_DISCRETE */
  double conc;         /* SENSITIVITY_DIRICHLET concentration */
  const double *mean;  /* SENSITIVITY_DIRICHLET: dim nominal shares summing to 1, borrowed */
} sensitivity_input;

/* The model: from x (sensitivity_dim values, inputs in order) write n_out values
** to y. `thread` indexes per-thread scratch; `run` numbers the run (unique
** within one call). Return 0 or a CHISO_E* code (the analysis stops). */
typedef int (*sensitivity_model_fn)(void *ud, int thread, size_t run, const double *x, double *y);

typedef struct sensitivity_problem {
  const sensitivity_input *inputs;
  size_t n_inputs;
  sensitivity_model_fn model;
  void *ud;
  size_t n_out;                 /* outputs per run (1 for sensitivity_sobol) */
  uint64_t seed;
  int threads;                  /* < 1 means 1 */
  int qmc;                      /* 1: Sobol points (default in front ends) */
  chiso_progress_fn progress;   /* may be NULL */
  void *progress_ud;
} sensitivity_problem;

/* Total coordinates of x. Cannot fail. */
size_t sensitivity_dim(const sensitivity_input *inputs, size_t n_inputs);

/* Check the inputs (dims, ranges, levels, shares). Returns 0 or
** CHISO_EUSAGE with err naming the input. */
int sensitivity_check(const sensitivity_problem *p, chiso_err *err);

/* Map unit-cube coordinates u to model inputs x (both sensitivity_dim long).
** Cannot fail. */
void sensitivity_transform(const sensitivity_input *inputs, size_t n_inputs, const double *u, double *x);

/* Uncertainty analysis: run the model on N sampled inputs; Y (N × n_out,
** caller-owned) row t receives run t, or with Y NULL the model gets y NULL
** and keeps its outputs itself (by its `run` argument). Returns 0, sensitivity_check's error, the
** model's code, CHISO_ENOMEM or CHISO_EINTERNAL. */
int sensitivity_ua_run(const sensitivity_problem *p, size_t N, double *Y, chiso_err *err);

typedef struct sensitivity_ua_stat {
  double nominal;         /* as given */
  double median, q05, q95; /* quantiles of the runs (type 7) */
  double mean_abs_shift;  /* mean over runs of |y − nominal| */
} sensitivity_ua_stat;

/* Summarise each output column of Y (N × n_out) against nominal[n_out],
** the columns shared among `threads` threads (< 2: the caller's only; the
** result does not depend on it). NaN runs are skipped. Columns of ranks
** (every value NaN or a whole number from 1 to n_out, n_out <= 1024) are
** summarised by counting, in one pass over the rows, to the same values.
** Returns 0, CHISO_ENOMEM or CHISO_EINTERNAL. */
int sensitivity_ua_summary(const double *Y, size_t N, size_t n_out, const double *nominal,
                           int threads, sensitivity_ua_stat *out, chiso_err *err);

typedef struct sensitivity_index {
  double si, si_lo, si_hi;  /* first-order index and its bootstrap 95% CI */
  double st, st_lo, st_hi;  /* total index and its CI */
} sensitivity_index;

#define SENSITIVITY_STEPS 3 /* convergence: estimates from N/4, N/2 and N base rows */

typedef struct sensitivity_sobol_result {
  size_t n_inputs;
  size_t n_base[SENSITIVITY_STEPS];   /* N/4, N/2, N */
  sensitivity_index *idx;             /* SENSITIVITY_STEPS × n_inputs, step-major */
  double mean, variance;       /* of f(A), f(B) with N rows */
  size_t runs;                 /* model runs made: N (k + 2) */
} sensitivity_sobol_result;

/* Sobol indices of a scalar model (p->n_out must be 1) from N base rows
** (N >= 8) and n_boot bootstrap resamples of the rows (0 means 500) for
** percentile CIs. res is filled; free with sensitivity_sobol_result_free.
** Returns 0, CHISO_EUSAGE, the model's code, CHISO_ENOMEM,
** CHISO_EINTERNAL. */
int sensitivity_sobol(const sensitivity_problem *p, size_t N, size_t n_boot, sensitivity_sobol_result *res,
               chiso_err *err);

/* Free the arrays of res (not res itself). NULL is a no-op. */
void sensitivity_sobol_result_free(sensitivity_sobol_result *res);

/* Standard normal quantile Φ⁻¹(p), 0 < p < 1 (Acklam's rational
** approximation with one Newton–Halley refinement step). */
double sensitivity_norm_quantile(double p);

#endif

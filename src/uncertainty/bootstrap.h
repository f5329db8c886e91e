/* bootstrap.h — stratified respondent-level bootstrap for survey estimates.
**
** Rao & Wu (1988), "Resampling inference with complex survey data", JASA
** 83:231–241, rescaled bootstrap with m_h = n_h − 1 draws with replacement
** in each stratum h (as in Rust & Rao 1996 and R survey's
** as.svrepdesign(type = "subbootstrap")). With m_h = n_h − 1 and no finite
** population correction the general rescaling
**   w*_hi = w_hi [1 − λ_h + λ_h (n_h/m_h) r_hi],
**   λ_h = sqrt(m_h (1 − f_h) / (n_h − 1)) = 1,
** reduces to w*_hi = w_hi · n_h/(n_h − 1) · r_hi, where r_hi is the number
** of times unit i was drawn.
**
** The draws of replicate r in stratum h come from the Philox stream
** (seed, r·2^24 + h): a replicate depends only on (seed, r), never on the
** number of replicates or threads, and any replicate can be regenerated
** alone, so R × n weights never need to be held at once. */
#ifndef CHISO_BOOTSTRAP_H
#define CHISO_BOOTSTRAP_H

#include "base/err.h"
#include "base/log.h"

#include <stddef.h>
#include <stdint.h>

typedef struct bootstrap_design bootstrap_design;

/* Build the design of n respondents: stratum[i] (>= 0, any integers; units
** of the same value form a stratum) and weight[i] (> 0, finite; NULL means
** all 1). Both arrays are copied. Returns 0 and *out (free with
** bootstrap_design_free), or CHISO_EDATA when a stratum holds a single
** respondent (the n_h − 1 bootstrap needs two; err names the stratum) or a
** weight is not positive (err gives the respondent's 1-based row),
** CHISO_EUSAGE for n = 0, CHISO_ENOMEM. */
int bootstrap_design_new(size_t n, const int *stratum, const double *weight, uint64_t seed,
                    bootstrap_design **out, chiso_err *err);

/* Free the design. NULL is a no-op. */
void bootstrap_design_free(bootstrap_design *d);

/* Respondents and strata of the design. Cannot fail. */
size_t bootstrap_design_n(const bootstrap_design *d);
size_t bootstrap_design_strata(const bootstrap_design *d);

/* Replicate weights of replicate r (0-based) into w (n doubles, the
** respondents in their original order). Deterministic in (seed, r); no
** allocation; cannot fail. */
void bootstrap_weights(const bootstrap_design *d, size_t r, double *w);

/* The R × n matrix of replicate weights, row r = bootstrap_weights(r), computed
** with `threads` threads (identical bytes for any count). out holds R*n
** doubles, owned by the caller. Returns 0, or CHISO_EINTERNAL when a thread
** cannot start. */
int bootstrap_weight_matrix(const bootstrap_design *d, size_t R, int threads, double *out,
                       chiso_err *err);

/* A statistic of one replicate: from the replicate weights w (n doubles)
** write n_out values to out. `thread` indexes per-thread scratch. Return 0
** or a CHISO_E* code (the run stops). */
typedef int (*bootstrap_stat_fn)(void *ud, int thread, size_t r, const double *w, double *out);

/* Streamed bootstrap of any estimator: for r = 0..R-1 make the replicate
** weights (one n-vector per thread, the only allocation) and call stat;
** theta (R × n_out, caller-owned) row r receives its output. progress may
** be NULL. Returns 0, the code returned by stat, CHISO_ENOMEM or
** CHISO_EINTERNAL. Identical bytes for any thread count when stat is a
** function of its arguments. */
int bootstrap_run(const bootstrap_design *d, size_t R, int threads, bootstrap_stat_fn stat, void *ud,
             size_t n_out, double *theta, chiso_progress_fn progress, void *progress_ud,
             chiso_err *err);

/* Fast bootstrap of domain means (e.g. province × indicator weighted
** means with item non-response): for each replicate r, domain g and
** variable k,
**   out[(r*n_domains + g)*k_vars + k] = Σ w*_i y_ik / Σ w*_i
** over respondents i of domain g with y_ik observed (NaN = missing;
** NaN when no weight falls there). domain[i] in [0, n_domains) or < 0 to
** leave a respondent out; cols holds k_vars columns of n values. Single
** pass per block of replicates over stratum-sorted rows that accumulates
** per-stratum sums (sufficient statistics of a ratio of linear totals).
** Gives the same numbers as bootstrap_run with an exact weighted-mean stat up
** to the single-precision chunk sums of the fast path (relative error
** below 4e-6, about 1e-7 in practice; see bootstrap_domain_stats). Allocates
** about n·k_vars floats (twice that with missing values) plus per-thread
** scratch. Returns 0, CHISO_EUSAGE (domain out of
** range), CHISO_ENOMEM, CHISO_EINTERNAL. */
int bootstrap_domain_means(const bootstrap_design *d, const int *domain, size_t n_domains,
                      const double *const *cols, size_t k_vars, size_t R, int threads,
                      double *out, chiso_progress_fn progress, void *progress_ud,
                      chiso_err *err);

/* One variable of bootstrap_domain_stats (the estimators are below). */
typedef enum { BOOTSTRAP_MEAN = 0, BOOTSTRAP_RATIO = 1, BOOTSTRAP_TOTAL = 2 } bootstrap_kind;
typedef struct bootstrap_var {
  const double *y;  /* n values, NaN = missing (borrowed) */
  const double *x;  /* BOOTSTRAP_RATIO: the denominator variable, or NULL */
  bootstrap_kind kind;
} bootstrap_var;

/* Generalised fast path: each variable is a ratio of linear totals over
** the respondents of the domain that answered (y, and x for a ratio, not
** NaN):
**   BOOTSTRAP_MEAN   Σ w* y / Σ w*          (a share or a mean)
**   BOOTSTRAP_RATIO  Σ w* y / Σ w* x        (x NULL means 1: a mean)
**   BOOTSTRAP_TOTAL  Σ w* y                 (NaN when nobody answered)
** the estimators of estimator_estimate_point, out laid out as for
** bootstrap_domain_means. Same single pass per block of replicates (counts
** times packed weighted rows, segment by segment), AVX2 when the CPU has
** it, with the same bits as the plain code. The rows are single precision
** and sums over chunks of 64 rows are single precision before they are
** added in double: relative error below 4e-6 (about 1e-7 in practice).
** Allocates about n·(k + k) floats for the packed rows plus per-thread
** scratch (BOOTSTRAP_BLOCK × largest stratum counts). Returns 0, CHISO_EUSAGE (domain out of range,
** no variables or domains), CHISO_ENOMEM, CHISO_EINTERNAL. */
int bootstrap_domain_stats(const bootstrap_design *d, const int *domain, size_t n_domains,
                      const bootstrap_var *vars, size_t k_vars, size_t R, int threads, double *out,
                      chiso_progress_fn progress, void *progress_ud, chiso_err *err);

/* Bootstrap standard error of column j of theta (R rows of `stride`
** values): sqrt(Σ_r (θ_r − θ̄)² / (R − 1)), θ̄ the replicate mean, as R
** survey's svrepdesign for bootstrap weights (scale 1/(R−1), mse = FALSE).
** NaN replicates are skipped; NaN when fewer than 2 remain. Cannot fail. */
double bootstrap_se(const double *theta, size_t R, size_t stride, size_t j);

#endif

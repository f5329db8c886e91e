/* rankstat.h — intervals and rank statistics from bootstrap replicates.
**
** Input: the point estimates θ̂ (U units) and a matrix of R replicate
** estimates (row r = replicate r, U values), e.g. index scores recomputed
** on each Rao–Wu replicate. Output per unit: score SE and percentile
** intervals, percentile rank intervals, P(rank ≤ k), P(better than the
** mean), and rank confidence sets after Mogstad, Romano, Shaikh & Wilhelm
** (2024), "Inference for ranks with applications to mobility across
** neighbourhoods and academic achievement across countries", Review of
** Economic Studies 91(1):476–518. Rank 1 is the best. */
#ifndef CHISO_RANKSTAT_H
#define CHISO_RANKSTAT_H

#include "base/err.h"

#include <stddef.h>
#include <stdint.h>

#define RANKSTAT_NTOP 4
/* The k of P(rank <= k) and of the top-k confidence sets: 1, 3, 5, 10. */
extern const int rankstat_top_k[RANKSTAT_NTOP];

typedef struct rankstat_unit {
  double score;                /* θ̂ */
  double se;                   /* bootstrap SE, divisor R − 1 */
  double lo90, hi90, lo95, hi95; /* percentile intervals of the replicates */
  int rank;                    /* rank of θ̂ (ties share the best rank: 1,2,2,4) */
  double rank_median;          /* median replicate rank */
  int rank_lo90, rank_hi90, rank_lo95, rank_hi95; /* percentile rank intervals */
  double p_top[RANKSTAT_NTOP];      /* share of replicates with rank <= 1, 3, 5, 10 */
  double p_above_mean;         /* share of replicates better than the mean */
  int marg_lo, marg_hi;        /* MRSW marginal 1−α confidence set for the rank */
  int sim_lo, sim_hi;          /* MRSW simultaneous 1−α sets (all units jointly) */
  int in_top[RANKSTAT_NTOP];        /* 1 when in the 1−α confidence set of the top-k */
  int tied_group;              /* near-tie group, 1 = the best group: units
                                  next to each other in the nominal order
                                  whose order is reversed in >= 2.5% of the
                                  replicates are chained into one group */
  int tied_size;               /* units in that group (1 = clearly separated
                                  from both neighbours) */
} rankstat_unit;

typedef struct rankstat_options {
  double alpha;          /* for the MRSW sets; 0 means 0.05 */
  int lower_is_better;   /* 0: a higher score is better (the default) */
  uint64_t seed;         /* for random tie-breaking of exactly tied replicates */
  int no_sets;           /* 1: skip the MRSW sets (marg, sim, in_top left 0),
                            e.g. for method runs that are not a sample */
  int threads;           /* threads for the replicate ranks and the per-unit
                            statistics (< 2: the caller's thread only);
                            the result does not depend on it */
  const double *mean;    /* R reference values ("national mean") per
                            replicate, or NULL for the unweighted mean of the
                            units in that replicate */
  int single_step;       /* 1: MRSW's single-step sets; 0 (default): their
                            stepdown refinement, never wider */
  int intervals_only;    /* 1: only the score, rank, 95% intervals (lo95,
                            hi95, rank_lo95, rank_hi95) and rank median of
                            each unit, the same as without it; se, lo90,
                            hi90, rank_lo90, rank_hi90, p_top and
                            p_above_mean are NaN (or 0), no tied groups, no
                            sets: for a caller that shows no more (the
                            what-if) */
  int no_score_intervals; /* 1: no score statistics (se and every score
                            interval NaN), for scores that are not
                            comparable across replicates (method draws
                            varying the normalisation) */
} rankstat_options;

/* Competition ranks of U scores into rank (1 = best; equal scores share
** the best rank; NaN ranks last). Cannot fail. */
void rankstat_ranks(const double *score, size_t U, int lower_is_better, int *rank);

/* Ranks of replicate r with exact ties broken at random from the stream
** (seed, r), so tied units share their ranks evenly over replicates
** instead of all taking the best one. NaN ranks last. Cannot fail. */
void rankstat_replicate_ranks(const double *score, size_t U, int lower_is_better, uint64_t seed,
                         size_t r, int *rank);

/* The MRSW (2024) rank confidence sets from centred draws: hat[U] the
** estimates (a larger value ranks better), z[R × U] draws of the
** estimation error (bootstrap replicates minus the estimates, or
** parametric draws from N(0, Σ); NaN = missing), se[U × U] the standard
** errors of the differences (NULL: the SD of z_j − z_k over the draws;
** pairs with se 0 are left out). Critical values are the 1 − α quantiles
** (type 7) of max over the pairs of (z_j − z_k)/se_jk; with `stepdown`
** the rejected pairs leave the family and the quantile is taken again
** until nothing new is rejected (MRSW §3, Romano & Wolf 2005), which is
** never wider than the single step. Fills the simultaneous sets
** sim_lo/sim_hi[U] and, when marg_lo/marg_hi are not NULL, each unit's
** marginal set (the pairs involving it). Returns 0, CHISO_EUSAGE (R < 2,
** U < 1, alpha outside (0, 1)) or CHISO_ENOMEM. */
int rankstat_sets(const double *hat, const double *z, size_t R, size_t U, const double *se,
                  double alpha, int stepdown, int *sim_lo, int *sim_hi, int *marg_lo, int *marg_hi,
                  chiso_err *err);

/* ---- ranking from estimates and their covariance (csranks) ---------------- */

typedef struct rankstat_param_options {
  double coverage;        /* 1 − α of the sets; 0 means 0.95 */
  int single_step;        /* 1: single step; 0: stepdown (csranks' default) */
  size_t R;               /* parametric bootstrap draws; 0 means 1000 */
  uint64_t seed;
  int lower_is_better;    /* 0: the largest estimate ranks 1 (csranks) */
  int tau;                /* > 0: the τ-best and τ-worst sets too */
} rankstat_param_options;

typedef struct rankstat_param_unit {
  int rank;                    /* competition rank of the estimate */
  int sim_lo, sim_hi;          /* simultaneous sets (all units jointly) */
  int marg_lo, marg_hi;        /* marginal sets */
  double p_top[RANKSTAT_NTOP]; /* share of draws θ̂ + Z with rank <= 1, 3, 5, 10 */
  double p_top_tau;            /* rank <= tau (NaN without tau) */
  int tau_best, tau_worst;     /* in the 1 − α sets for the τ best / worst */
} rankstat_param_unit;

/* Rank confidence sets from estimates x[U] and their covariance cov[U × U]
** alone (MRSW 2024 with a parametric bootstrap, as the R package csranks:
** θ̂ − θ ~ N(0, Σ) approximately, se_jk = sqrt(Σ_jj + Σ_kk − 2 Σ_jk), R
** draws Z = L n with Σ = L Lᵀ (Cholesky; a zero variance is allowed) and n
** standard normals from the Philox stream (seed, draw)). Fills out[U]:
** simultaneous and marginal sets (stepdown unless single_step), P(top k)
** over the draws θ̂ + Z, and with tau the τ-best set {j: sim_lo <= τ}
** (csranks cstaubest) and τ-worst set {j: sim_hi >= U − τ + 1}. Returns 0,
** CHISO_EDATA (a non-finite estimate, a covariance that is not symmetric
** or not positive semi-definite; err names the unit), CHISO_EUSAGE (U < 2,
** coverage outside (0, 1), tau > U), CHISO_ENOMEM. */
int rankstat_parametric(const double *x, const double *cov, size_t U,
                        const rankstat_param_options *o, rankstat_param_unit *out, chiso_err *err);

/* Fill out[U] from theta_hat[U] and theta[R × U] (R >= 2). NaN replicate
** values are skipped. Returns 0, CHISO_EDATA when a point estimate is not
** finite (err names the unit), CHISO_EUSAGE for R < 2 or U < 1,
** CHISO_ENOMEM. The caller owns all arrays. */
int rankstat_compute(const double *theta_hat, const double *theta, size_t R, size_t U,
                const rankstat_options *opt, rankstat_unit *out, chiso_err *err);

#endif

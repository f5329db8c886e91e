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
} rankstat_options;

/* Competition ranks of U scores into rank (1 = best; equal scores share
** the best rank; NaN ranks last). Cannot fail. */
void rankstat_ranks(const double *score, size_t U, int lower_is_better, int *rank);

/* Ranks of replicate r with exact ties broken at random from the stream
** (seed, r), so tied units share their ranks evenly over replicates
** instead of all taking the best one. NaN ranks last. Cannot fail. */
void rankstat_replicate_ranks(const double *score, size_t U, int lower_is_better, uint64_t seed,
                         size_t r, int *rank);

/* Fill out[U] from theta_hat[U] and theta[R × U] (R >= 2). NaN replicate
** values are skipped. Returns 0, CHISO_EDATA when a point estimate is not
** finite (err names the unit), CHISO_EUSAGE for R < 2 or U < 1,
** CHISO_ENOMEM. The caller owns all arrays. */
int rankstat_compute(const double *theta_hat, const double *theta, size_t R, size_t U,
                const rankstat_options *opt, rankstat_unit *out, chiso_err *err);

#endif

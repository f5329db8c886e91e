/* out_uncertainty.h — the per-unit results of an uncertainty analysis and
** the Sobol indices of a sensitivity analysis (montecarlo.h) as a table,
** CSV or JSON (the formats of `chiso uncertainty` and `chiso
** sensitivity`, docs/uncertainty.md). */
#ifndef CHISO_OUT_UNCERTAINTY_H
#define CHISO_OUT_UNCERTAINTY_H

#include "chiso.h"
#include "index/idx.h"
#include "uncertainty/montecarlo.h"

#include <stdint.h>
#include <stdio.h>

/* The parameters drawn in every run of res (COINr's $Para) as CSV: run
** (1-based), then one column per parameter (montecarlo_param_name), values
** as montecarlo_param_text (option labels, weight multipliers %.17g).
** Returns 0 or CHISO_EIO. */
int out_uncertainty_params(const montecarlo_setup *s, const montecarlo_result *res, FILE *f);

/* Write res for the units of d. CSV: code,name,score,score_lo,score_hi,
** rank,rank_lo,rank_hi,p_top1,p_top3,p_top5,p_top10,p_above_mean,
** rank_median,rank_q05,rank_q95,mean_abs_shift,se,score_lo90,score_hi90,
** rank_lo90,rank_hi90,rank_sim_lo,rank_sim_hi,tied_group,tied_size (rank
** columns empty for units without a nominal rank, the simultaneous sets
** when the runs are not a sample). JSON: {"analysis", ["synthetic":
** true], "runs", "seed", "units": [...]}, ranks and group numbers as
** integers. Table: the intervals as ranges, probabilities in %. Returns 0,
** CHISO_EIO or CHISO_ENOMEM. */
int out_uncertainty_write(const montecarlo_result *res, const idx_data *d, const char *analysis,
                          uint64_t seed, int synthetic, chiso_format fmt, FILE *f);

/* out_uncertainty_write with CSV. */
int out_uncertainty_csv(const montecarlo_result *res, const idx_data *d, FILE *f);

/* Write the Sobol indices: CSV input,si,si_lo,si_hi,st,st_lo,st_hi (and
** n_base with `convergence`: rows at N/4, N/2 and N); JSON {"output",
** ["synthetic": true], "runs", "seed", "mean", "variance", "steps"}.
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_uncertainty_sobol(const montecarlo_sobol *r, int convergence, uint64_t seed,
                          int synthetic, chiso_format fmt, FILE *f);

#endif

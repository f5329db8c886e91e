/* uncertainty.h — the per-unit results of an uncertainty analysis (montecarlo.h) as
** rows: the CSV of `chiso uncertainty`, shared by that command and the
** demo, and the rank interval the report and the demo's index table show. */
#ifndef CHISO_UNCERTAINTY_H
#define CHISO_UNCERTAINTY_H

#include "year/year.h"
#include "uncertainty/montecarlo.h"

#include <stdint.h>

/* The one default level of the intervals chiso shows (issue 12: the
** report said 90 %, the CLI tables 95 %): the report, the demo, `chiso
** uncertainty` (score_lo..rank_hi) and the divide's HN+HCM interval. */
#define UNCERTAINTY_LEVEL 0.95

/* The rank interval of unit i at UNCERTAINTY_LEVEL: the 2.5th and 97.5th
** percentiles of its ranks over the runs (rankstat's rank_lo95, rank_hi95:
** the rank_lo, rank_hi of `chiso uncertainty`); both 0 when the unit has
** no nominal rank. Cannot fail. */
void uncertainty_rank_interval(const montecarlo_result *res, size_t i, int *lo, int *hi);

/* The seed of the bootstrap replicates derived from an analysis seed, so
** that replicate streams and analysis streams differ (the derivation of
** `chiso uncertainty --db`). */
uint64_t uncertainty_boot_seed(uint64_t seed);

/* The uncertainty of a stored year as the report and the demo show it
** (docs/uncertainty.md): sampling = the nominal method over R Rao-Wu
** bootstrap replicates of the microdata (year_replicates_get), giving
** score intervals and the MRSW rank sets; crossed = `runs` draws of the
** methodology's default spec with the replicate as one more input
** (montecarlo_spec_default(model, 1)), giving rank intervals that mix both
** sources. */
typedef struct uncertainty_year {
  const year_result *nominal;   /* the year's index (borrowed from the context) */
  const year_replicates *rep;   /* its replicates (borrowed) */
  montecarlo_result sampling;   /* R runs */
  montecarlo_result crossed;    /* `runs` runs */
} uncertainty_year;

/* Run both analyses of year y on its own units with `threads` threads;
** same bytes for any thread count. The replicate seed is derived from
** `seed` (uncertainty_boot_seed). On success *out is filled (free with
** uncertainty_year_free; it borrows from y, which must outlive it).
** Returns the errors of year_replicates_get (CHISO_ENOTFOUND: no survey;
** CHISO_EDATA: a stratum of one respondent) and of the analyses; *out then
** holds nothing. */
int uncertainty_year_run(year_ctx *y, size_t R, size_t runs, uint64_t seed, int threads,
                         uncertainty_year *out, chiso_err *err);

/* Free the results of uncertainty_year_run in *u and zero it; the struct
** itself is caller-owned. NULL, or a zeroed struct, is a no-op. Cannot
** fail. */
void uncertainty_year_free(uncertainty_year *u);

/* Unit i's intervals at UNCERTAINTY_LEVEL: the score's sampling interval
** (lo95, hi95 of the replicates; NaN when unranked) and the crossed rank
** interval (uncertainty_rank_interval). Cannot fail. */
void uncertainty_year_intervals(const uncertainty_year *u, size_t i, double *score_lo, double *score_hi,
                           int *rank_lo, int *rank_hi);

#endif

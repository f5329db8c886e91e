/* replicates.h — bootstrap replicates of a stored year's index data table:
** sampling uncertainty from the survey microdata (docs/uncertainty.md §7).
**
** Rao–Wu rescaled bootstrap (bootstrap.h) over the survey design of the year
** (estimator.h: its strata and final weights), the province estimates of every
** survey indicator recomputed on each replicate (the estimators of
** estimator_estimate_point, in one pass per block of replicates by
** bootstrap_domain_stats), written into a copy of the nominal index table
** (year.h). External (official) indicators are held fixed: they are
** not sampled, so their cells are the same in every replicate. Feed the
** tables to montecarlo_sampling_analysis (or to montecarlo_method_analysis with a
** "sampling" input for sampling × method crossed): the whole index,
** normalisation included, is recomputed per replicate. */
#ifndef CHISO_REPLICATES_H
#define CHISO_REPLICATES_H

#include "base/err.h"
#include "geo/geo.h"
#include "index/idx.h"
#include "base/log.h"
#include "estimate/estimator.h"

#include <stddef.h>
#include <stdint.h>

/* Replicate tables of `nominal` from design d: R tables with idx_data's
** values layout (nominal->n_cols × n_units, column-major), back to back in
** tables (R · n_cols · n_units doubles, caller-owned). A cell of a
** province of d and a data column whose id is a survey indicator of d is
** that indicator's replicate estimate for the province (NaN when nobody
** in it answered in the replicate); every other cell is copied from
** nominal. Replicate r depends only on (seed, r): identical bytes for any
** thread count. *n_replaced (may be NULL) receives the number of data
** columns that vary. Returns 0, CHISO_EDATA (a stratum with a single
** respondent: the n_h − 1 bootstrap needs two), CHISO_ENOMEM,
** CHISO_EINTERNAL. */
int replicates_tables(const estimator_design *d, const idx_data *nominal, size_t R, uint64_t seed,
                int threads, chiso_progress_fn progress, void *progress_ud, double *tables,
                size_t *n_replaced, chiso_err *err);

#endif

/* whatif.h — the index of a stored year re-run with other weights, with
** the intervals the report gives the index.
**
** A what-if is prepared once from a year context (the nominal index on a
** set of units and, when the year's own units are asked and a survey is
** stored, its bootstrap replicates); after that it only reads, so any
** number of threads may run it at once, each run with its own scratch
** memory. A run is the index with the given absolute weights (what
** `chiso compute --db --weights FILE` computes for the same weights: the
** same plan, the same idx_options.weights), and its intervals are made as
** the report makes them (assemble.h): with replicates, the score interval
** is the 95% percentile interval over R bootstrap replicates and the rank
** interval [floor q2.5, ceil q97.5] of `runs` draws crossing a replicate
** with the default method spec; without, the rank interval of `runs`
** method draws (score intervals then vary in scale and are left out).
** Every draw multiplies the given weights, so at the methodology's weights
** a what-if gives exactly the report's intervals (same runs, seed and
** replicates). The analyses are run once when the what-if is prepared,
** keeping each run's root (montecarlo_prepare): a run that moves only the
** weights of the root's children (the pillars) aggregates those roots
** again, with the same bytes as running the analyses at its weights. */
#ifndef CHISO_WHATIF_H
#define CHISO_WHATIF_H

#include "base/err.h"
#include "geo/geo.h"
#include "index/idx.h"
#include "uncertainty/montecarlo.h"
#include "year/year.h"

#include <stddef.h>
#include <stdint.h>

typedef struct whatif whatif;

/* Prepare the what-if of year y on the units of `era` with the report's
** uncertainty settings: `runs` draws (and replicates) and `seed`
** (runs < 2: no intervals). y is borrowed, must outlive the what-if and is
** not touched by whatif_run (the replicates are copied: the context may
** recompute its own later). On success *out is new (whatif_free). Returns
** the errors of year_result_get (CHISO_EUSAGE for a 63-unit view of 2025
** or later) and of year_replicates_get (a stratum of one respondent is not
** an error: the intervals then come from method draws alone), CHISO_ENOMEM. */
int whatif_new(year_ctx *y, geo_era era, size_t runs, uint64_t seed, int threads, whatif **out,
               chiso_err *err);

/* Free a what-if. NULL is a no-op. */
void whatif_free(whatif *w);

/* The nominal index the what-if re-runs (borrowed from the context). */
const year_result *whatif_nominal(const whatif *w);

/* 1 when the intervals cross bootstrap replicates with method draws, 0
** when they come from method draws alone. Cannot fail. */
int whatif_crossed(const whatif *w);

/* Read weights given as text, by node id, the rule of a weight table
** (idxio_load_weights: a plain decimal number > 0), into weights[n_nodes]:
** the model's weights with the given ones replacing them. Returns 0, or
** CHISO_EUSAGE with err->column set to the offending id: an unknown node
** (the message lists the weighted nodes), a value that is not a number, a
** weight <= 0, an id given twice. */
int whatif_parse(const whatif *w, const char *const *ids, const char *const *values, size_t n,
                 double *weights, chiso_err *err);

/* One what-if run. Arrays have the nominal result's n_units entries. */
typedef struct whatif_result {
  const idx_plan *plan;    /* borrowed from the nominal result */
  idx_workspace *ws;       /* the run at the weights: scores, ranks */
  double *score_lo, *score_hi; /* NaN: none */
  int *rank_lo, *rank_hi;  /* 0: none */
  double level;            /* the intervals' level (0.90), NaN when none */
  const double *weights;   /* borrowed: the weights run */
} whatif_result;

/* Run the index with `weights` (n_nodes absolute weights, NaN = the
** model's) and its intervals into *out (free with whatif_result_clear).
** Thread-safe: w is only read. Returns CHISO_EUSAGE (a bad weight),
** CHISO_ENOMEM; *out then holds nothing. */
int whatif_run(const whatif *w, const double *weights, whatif_result *out, chiso_err *err);

/* Free what a run holds and zero *r. NULL is a no-op. */
void whatif_result_clear(whatif_result *r);

#endif

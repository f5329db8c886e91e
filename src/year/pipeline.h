/* pipeline.h — the index of a stored year, end to end: the stored survey
** estimated per province (est.h), merged with the external indicators of
** the year, turned into an index data table and run through the index
** engine (idx.h).
**
** A front end (compute --db, demo, report --db) calls pipeline_compute once per
** year and reads everything it shows from the result: scores at every node,
** ranks, the reasons units are not ranked, respondents per unit, the model
** (names, weights) and the estimates table (standard errors). */
#ifndef CHISO_PIPELINE_H
#define CHISO_PIPELINE_H

#include "base/err.h"
#include "estimate/estimates.h"
#include "geo/geo.h"
#include "index/idx.h"
#include "survey/store.h"

#include <stddef.h>

typedef struct pipeline_options {
  const char *method;    /* NULL: the methodology stored with the year's
                            imports; else a file path or a shipped name
                            (idxio_load_method). The estimates always use
                            the stored codebook; `method` only sets the tree */
  const char *weights;   /* NULL or a weight table (idxio_load_weights) */
  idx_options run;       /* overrides of the model (weights is set from
                            `weights`); pipeline_options_init: none */
  int min_respondents;   /* 0: the codebook's design.min_respondents */
  const estimator_population *population; /* NULL: no post-stratification */
  int units_34;          /* 1: on the 2025 units whatever the year: a year
                            before 2025 is re-estimated from its microdata
                            re-assigned to the 34 units
                            (estimates_province_table_units); 0: the year's own */
} pipeline_options;

/* Fill *o with the defaults (stored methodology, no overrides). */
void pipeline_options_init(pipeline_options *o);

typedef struct pipeline_result {
  int year;
  size_t n_units;         /* units in force in the year (or the 34 units
                            with units_34), in code order */
  size_t n_nodes;         /* model->n_nodes */
  idx_model *model;       /* the methodology tree (owned) */
  idx_data *data;         /* unit codes, names (NFC), region ids as groups,
                             notes, one column per model indicator (owned) */
  estimates_table *table;       /* the estimates the data came from (owned):
                             se, n, respondents, external flags */
  idx_plan *plan;         /* owned; the run's results live in ws */
  idx_workspace *ws;      /* owned */
  const double *scores;   /* [node * n_units + i], borrowed from ws */
  const int *rank;        /* n_units, 1 best, 0 unranked; borrowed */
  char **note;            /* n_units: why unranked, "" when ranked (owned) */
  long *respondents;      /* n_units, borrowed from table */
  int *region;            /* n_units: region index of the era (owned) */
  double *weights;        /* n_nodes weights in effect (owned; NaN where the
                             model's level default or 1 applies) */
  const char **absent;    /* model indicators with no value for any unit
                             (borrowed ids), n_absent of them */
  size_t n_absent;
  int min_respondents;    /* the minimum used for notes */
} pipeline_result;

/* Compute the index of `year` from store `st`. `reg` is borrowed (it must
** outlive the result); `o` may be NULL (defaults). Units with fewer
** respondents than the minimum (or none, when the year has a survey) are
** marked with a note ("12 respondents < 30", "no respondents") so they are
** scored but not ranked. A model indicator that neither the survey nor the
** external indicators provide is all missing (listed in `absent`; e.g.
** parcels_per_capita before 2025), which the aggregates' min_data rules
** handle. On success *out is a new result freed with pipeline_result_free.
** Returns CHISO_ENOTFOUND (nothing stored for the year; no stored
** methodology and none given), CHISO_EDATA (mixed methodologies, a bad
** methodology or weight file), CHISO_EIO, CHISO_EUSAGE (bad run
** options), CHISO_ENOMEM; *out is then NULL and err filled. */
int pipeline_compute(store *st, int year, const geo_registry *reg, const pipeline_options *o,
                 pipeline_result **out, chiso_err *err);

/* Free a result and everything it owns. NULL is a no-op. */
void pipeline_result_free(pipeline_result *r);

/* Score of node `node` for unit i (NaN when missing). */
double pipeline_score(const pipeline_result *r, int node, size_t i);

/* Index of the unit with this code, or -1. */
long pipeline_unit(const pipeline_result *r, const char *code);

/* 1 when a model indicator of unit i is approximate: an external indicator
** of a pre-2025 year put on a merged 34-era unit as the weighted mean of
** its former provinces (estimates_table.approx, units_34); else 0. Cannot fail. */
int pipeline_unit_approx(const pipeline_result *r, size_t i);

#endif

/* estimates.h — estimates for front ends: a survey (from a file or the store)
** and a codebook in, estimates for every province, region and the nation
** out; and the province x indicator table that the index engine reads
** (survey estimates merged with external indicators). The statistics are
** in estimator.h; this module only wires the pieces together. */
#ifndef CHISO_ESTIMATES_H
#define CHISO_ESTIMATES_H

#include "survey/codebook.h"
#include "base/err.h"
#include "geo/geo.h"
#include "survey/store.h"
#include "survey/survey.h"
#include "estimate/estimator.h"


/* Estimates of every indicator for every domain. */
typedef struct estimates {
  estimator_design *design;  /* domains, indicator ids and kinds: see estimator.h */
  estimator_cell *cells;     /* [domain * n_indicators + indicator] */
  estimator_spec *specs;
  double **owned;
  size_t n_specs;
} estimates;

/* Estimate the indicators of codebook `cb` on survey `s` (which must
** outlive the result). `opt` may be NULL (no minimum, no
** post-stratification); when opt->min_respondents is 0 the codebook's
** design.min_respondents is used. On success *out is a new result freed
** with estimates_free. Errors are those of estimator_specs_from_codebook and
** estimator_design_new. */
int estimates_run(const survey_data *s, const codebook *cb, const geo_registry *reg,
            const estimator_options *opt, estimates **out, chiso_err *err);

/* The codebook-free quick look: every variable of `s` becomes an
** indicator of the same id, a share (share_yes) when all its answers are
** 0 or 1 and a mean otherwise. Same rules as estimates_run. */
int estimates_run_vars(const survey_data *s, const geo_registry *reg,
                 const estimator_options *opt, estimates **out, chiso_err *err);

/* Free a result of estimates_run / estimates_run_vars with its design, cells and
** specs (the survey it was estimated on is not touched). NULL is a
** no-op. Cannot fail. */
void estimates_free(estimates *r);

/* estimates_run on the units of `era` (estimator_design_new_units): GEO_ERA_34 for a
** survey of a year before 2025 re-assigned by harmonise_survey_to_34. */
int estimates_run_units(const survey_data *s, const codebook *cb, const geo_registry *reg,
                  geo_era era, const estimator_options *opt, estimates **out, chiso_err *err);

/* The statistics of the estimates of codebook `cb` on survey `s`, as
** estimates_run would make them on the year's own units without options
** (estimator_stats_encode), into a new buffer *out of *len bytes
** (chiso_free): what the store keeps with an import. Errors are those of
** estimates_run and estimator_stats_encode; *out is then NULL. */
int estimates_stats_encode(const survey_data *s, const codebook *cb, const geo_registry *reg,
                           unsigned char **out, size_t *len, chiso_err *err);

/* The estimates of `cb` from statistics (estimator_design_from_stats) on
** the units of `era` with `opt` (may be NULL; a min_respondents of 0
** takes the codebook's): the same result as estimates_run_units on the
** rows they were made from, without any row (the design has none). On
** success *out is new (estimates_free). Returns CHISO_ENOTFOUND when the
** statistics do not fit (other units, options or indicators: use the
** rows), CHISO_EDATA (damaged), CHISO_ENOMEM. */
int estimates_from_stats(const unsigned char *blob, size_t len, const codebook *cb,
                         const geo_registry *reg, geo_era era, const estimator_options *opt,
                         estimates **out, chiso_err *err);

#endif

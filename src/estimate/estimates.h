/* est.h — estimates for front ends: a survey (from a file or the store)
** and a codebook in, estimates for every province, region and the nation
** out; and the province x indicator table that the index engine reads
** (survey estimates merged with external indicators). The statistics are
** in svy.h; this module only wires the pieces together. */
#ifndef CHISO_EST_H
#define CHISO_EST_H

#include "survey/codebook.h"
#include "base/err.h"
#include "geo/geo.h"
#include "survey/store.h"
#include "survey/survey.h"
#include "estimate/estimator.h"

#include <stdio.h>

/* Estimates of every indicator for every domain. */
typedef struct estimates {
  estimator_design *design;  /* domains, indicator ids and kinds: see svy.h */
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

/* The survey of a stored year with its methodology and its estimates. */
typedef struct estimates_stored {
  survey_data *survey;  /* the year's respondents (re-assigned on 34 units) */
  codebook *cb;         /* the stored methodology's codebook */
  estimates *result;   /* every indicator for every domain of `era` */
  geo_era era;
} estimates_stored;

/* Load the survey of `year` from the store and estimate every indicator of
** its stored methodology on the units of `era`: the year's own, or
** GEO_ERA_34 for a year before 2025. Then the respondents are re-assigned
** to their 2025 units (harmonise_survey_to_34) and estimated at that level with
** their strata and weights kept: with opt->strata_by_province the strata
** are the FORMER province x stratum column (harmonise_strata_by_province), as
** in the 63-unit design. A 63-unit era for 2025 or later is CHISO_EUSAGE
** (harmonise_check_view); so is post-stratification by province on a
** re-assigned year (the counts are per former province). Returns
** CHISO_ENOTFOUND when no survey is stored for the year, else the errors
** of store_load_year, codebook_parse and estimates_run. On success the caller
** frees *out's members with estimates_stored_free; on failure they are NULL. */
int estimates_stored_run(store *st, int year, geo_era era, const geo_registry *reg,
                   const estimator_options *opt, estimates_stored *out, chiso_err *err);

/* Free the members of x (not x itself). NULL members are fine. */
void estimates_stored_free(estimates_stored *x);

/* Write r as the long CSV of `chiso estimate`:
** code,indicator,estimate,se,n,weighted_n,ranked — every domain of
** `level` (an estimator_level, or -1 for all) in design order. Returns 0 or
** CHISO_EIO when a write fails. */
int estimates_write_csv(const estimates *r, int level, FILE *out);

/* A province x indicator table for one year: every unit in force that year
** (in code order, with or without data), every survey indicator of the
** methodology (in codebook order) then every external indicator stored for
** the year that is not also a survey indicator (in name order). */
typedef struct estimates_table {
  int year;
  geo_era era;            /* the units of the table (the year's, or 34) */
  size_t n_units;
  char (*code)[3];        /* n_units canonical codes */
  long *respondents;      /* n_units: respondents in the survey (0 if none) */
  int *ranked;            /* n_units: 1 when respondents >= the methodology
                             minimum (and > 0), else 0 */
  size_t n_indicators;
  char **indicator;       /* n_indicators ids */
  int *external;          /* n_indicators: 1 for an imported indicator */
  double *value;          /* [unit * n_indicators + k]; NaN = no value */
  double *se;             /* same shape; NaN for external indicators */
  long *n;                /* same shape: respondents with an answer; -1 external */
  unsigned char *approx;  /* same shape: 1 when the value is a weighted mean
                             of former provinces' values (harmonise_table_to_34):
                             an external indicator of a pre-2025 year put on
                             a merged 34-era unit; else 0 */
} estimates_table;

/* Build the table of `year` from the store: the survey imports of the year
** estimated with their stored methodology (none is fine: the table then
** has only external indicators) and the external indicators of the year.
** `opt` as for estimates_run (post-stratification, strata by province). On
** success *out is a new table freed with estimates_table_free. Returns
** CHISO_ENOTFOUND when the year has neither imports nor indicators, the
** errors of store_load_year / estimates_run, CHISO_ENOMEM. */
int estimates_province_table(store *st, int year, const geo_registry *reg,
                       const estimator_options *opt, estimates_table **out, chiso_err *err);

/* estimates_province_table on the units of `era` (see estimates_stored_run): for
** GEO_ERA_34 and a year before 2025, survey indicators are re-estimated
** from the re-assigned microdata, and external indicators of merged units
** are the weighted mean of their former provinces' values
** (harmonise_table_to_34, flagged in approx). The weights are the year's
** external indicator "enterprises", else "population", else the survey's
** estimated enterprises per former province (sum of design weights).
** Returns CHISO_EDATA when external indicators must be merged and no
** weight exists, CHISO_EUSAGE for a 63-unit view of 2025 or later, and
** the errors of estimates_province_table. */
int estimates_province_table_units(store *st, int year, geo_era era, const geo_registry *reg,
                             const estimator_options *opt, estimates_table **out, chiso_err *err);

/* Free a table of estimates_province_table(_units) and every array it owns.
** NULL is a no-op. Cannot fail. */
void estimates_table_free(estimates_table *t);

#endif

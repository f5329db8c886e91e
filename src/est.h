/* est.h — estimates for front ends: a survey (from a file or the store)
** and a codebook in, estimates for every province, region and the nation
** out; and the province x indicator table that the index engine reads
** (survey estimates merged with external indicators). The statistics are
** in svy.h; this module only wires the pieces together. */
#ifndef CHISO_EST_H
#define CHISO_EST_H

#include "codebook.h"
#include "err.h"
#include "geo.h"
#include "store.h"
#include "survey.h"
#include "svy.h"

#include <stdio.h>

/* Estimates of every indicator for every domain. */
typedef struct est_result {
  svy_design *design;  /* domains, indicator ids and kinds: see svy.h */
  svy_cell *cells;     /* [domain * n_indicators + indicator] */
  svy_spec *specs;
  double **owned;
  size_t n_specs;
} est_result;

/* Estimate the indicators of codebook `cb` on survey `s` (which must
** outlive the result). `opt` may be NULL (no minimum, no
** post-stratification); when opt->min_respondents is 0 the codebook's
** design.min_respondents is used. On success *out is a new result freed
** with est_result_free. Errors are those of svy_specs_from_codebook and
** svy_design_new. */
int est_run(const survey_data *s, const codebook *cb, const geo_registry *reg,
            const svy_options *opt, est_result **out, chiso_err *err);

/* The codebook-free quick look: every variable of `s` becomes an
** indicator of the same id, a share (share_yes) when all its answers are
** 0 or 1 and a mean otherwise. Same rules as est_run. */
int est_run_vars(const survey_data *s, const geo_registry *reg,
                 const svy_options *opt, est_result **out, chiso_err *err);

void est_result_free(est_result *r);

/* Write r as the long CSV of `chiso estimate`:
** code,indicator,estimate,se,n,weighted_n,ranked — every domain of
** `level` (an svy_level, or -1 for all) in design order. Returns 0 or
** CHISO_EIO when a write fails. */
int est_write_csv(const est_result *r, int level, FILE *out);

/* A province x indicator table for one year: every unit in force that year
** (in code order, with or without data), every survey indicator of the
** methodology (in codebook order) then every external indicator stored for
** the year that is not also a survey indicator (in name order). */
typedef struct est_table {
  int year;
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
} est_table;

/* Build the table of `year` from the store: the survey imports of the year
** estimated with their stored methodology (none is fine: the table then
** has only external indicators) and the external indicators of the year.
** `opt` as for est_run (post-stratification, strata by province). On
** success *out is a new table freed with est_table_free. Returns
** CHISO_ENOTFOUND when the year has neither imports nor indicators, the
** errors of store_load_year / est_run, CHISO_ENOMEM. */
int est_province_table(store *st, int year, const geo_registry *reg,
                       const svy_options *opt, est_table **out, chiso_err *err);

void est_table_free(est_table *t);

#endif

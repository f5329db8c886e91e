/* unittable.h — the unit x indicator table of one year: every unit in
** force on a set of units (in code order, with or without data), every
** survey indicator of the methodology (in codebook order) estimated for
** each unit, then every external indicator stored for the year that is
** not also a survey indicator (in name order). It is what the index
** engine reads (year.h) and what the divide takes its volume from. */
#ifndef CHISO_UNITTABLE_H
#define CHISO_UNITTABLE_H

#include "base/err.h"
#include "estimate/estimates.h"
#include "geo/geo.h"
#include "survey/store.h"

#include <stddef.h>

typedef struct unittable {
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
} unittable;

/* Build the table of `year` on the units of `era` from the survey
** estimates r (NULL when the year has no survey) and the external
** indicators ext[0..n_ext) stored for the year (all borrowed). On the 34
** units for a year before 2025, external indicators of merged units are
** the weighted mean of their former provinces' values (harmonise_table_to_34,
** flagged in approx), weighted by the year's external indicator
** "enterprises", else "population", else the survey s's estimated
** enterprises per former province (sum of design weights; s NULL: none).
** On success *out is new (unittable_free). Returns CHISO_EDATA when
** external indicators must be merged and no weight exists, CHISO_ENOMEM;
** *out is then NULL. */
int unittable_build(const geo_registry *reg, int year, geo_era era, const estimates *r,
                    const survey_data *s, const store_indicator *ext, size_t n_ext,
                    unittable **out, chiso_err *err);

/* The column of indicator `id`, or -1. Cannot fail. */
long unittable_col(const unittable *t, const char *id);

/* Free a table and every array it owns. NULL is a no-op. Cannot fail. */
void unittable_free(unittable *t);

#endif

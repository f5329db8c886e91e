/* series.h — results of every stored year in one table, on one set of
** units, and the convergence of the scores over the years.
**
** Each year is computed as `chiso divide --db` does (divide_year_compute:
** the index through year_result_get, the HN+HCM share of online sales). On
** the 34 units every year before 2025 is re-estimated from its microdata
** re-assigned to the 2025 units (year_table on GEO_ERA_34); external
** indicators of merged units are weighted means, flagged `approx`. A
** 63-unit series that includes 2025 or later is refused (harmonise_check_view).
** Scores are comparable across years only when the methodology uses
** fixed goalposts (docs/divide.md, "Time series"). */
#ifndef CHISO_SERIES_H
#define CHISO_SERIES_H

#include "year/divide.h"
#include "divide/inequality.h"
#include "base/err.h"
#include "geo/geo.h"
#include "year/yearset.h"

#include <stddef.h>
#include <stdio.h>

typedef struct series_options {
  int units;            /* 0: 34 when a stored year is 2025 or later, else
                           63; 34 (or 2025): the 2025 units; 63: the 63
                           provinces (only years before 2025) */
  divide_options divide; /* per year: volume, interval (units_34 is set
                           from `units`) */
  int from, to;         /* only the stored years in [from, to] (0: open), so
                           that 2020-2024 of a store that also holds 2025 can
                           be had on the 63 provinces */
} series_options;

/* Defaults: units 0, divide_options_init with the interval off. */
void series_options_init(series_options *o);

typedef struct series_series {
  size_t n_years;
  int *years;            /* ascending */
  geo_era era;           /* the common units */
  size_t n_units;
  char (*code)[3];       /* n_units codes of the era, code order */
  /* [u * n_years + t]: */
  double *score;         /* total score, NaN when none */
  int *rank;             /* 0 = unranked */
  double *score_change;  /* score - previous year's, NaN at t = 0 or missing */
  int *rank_change;      /* previous rank - rank (> 0: moved up); 0 when
                            either is unranked */
  unsigned char *approx; /* 1: scored with approximate (merged) data */
  /* per year */
  double *hn_hcm_share, *share_lo, *share_hi; /* NaN when no volume / interval */
  divide_year **detail;   /* n_years full results (measures, Lorenz...) */
  inequality_sigma *sigma;      /* σ-convergence over the ranked units */
  /* β-convergence first → last year over units ranked in both */
  int has_beta;
  inequality_beta beta;
  double *catch_up;      /* n_units: years to reach the last year's leader at
                            the units' first-to-last pace (inequality_catch_up_years),
                            NaN when unknown */
} series_series;

/* Build the series of every year of the set (each loaded once, with the
** set's options: the methodology of the index). `reg` must be the set's
** registry; only years in [o->from, o->to]. Returns
** CHISO_ENOTFOUND when the store has no year (in the range), CHISO_EUSAGE for a 63-unit
** series with a year from 2025 or a bad `units`, and the errors of
** divide_year_compute (naming the year); *out NULL on failure. Free with
** series_free. */
int series_build(yearset *set, const geo_registry *reg, const series_options *o,
                 series_series **out, chiso_err *err);

/* Free a series of series_build with its per-year details. NULL is a
** no-op. Cannot fail. */
void series_free(series_series *s);

#endif

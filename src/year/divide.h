/* divide.h — the digital divide of a stored year.
**
** The measures of inequality.h fed from a year context (year.h): online sales per unit
** estimated from the survey (the weighted total of the online-sales
** answers, indicator `online_sales_total` of the methodology's codebook)
** or an external volume indicator (parcels...), the HN+HCM share with an
** interval from the microdata, and the inequality of the index scores of
** the ranked units exactly as `chiso compute --db` computes them
** (year_result_get). Formulas and the choice of interval: docs/divide.md. */
#ifndef CHISO_DIVIDE_H
#define CHISO_DIVIDE_H

#include "divide/inequality.h"
#include "base/err.h"
#include "geo/geo.h"
#include "survey/survey.h"
#include "year/year.h"

#include <stddef.h>
#include <stdint.h>

/* The survey indicator that measures online sales (a codebook "total"). */
#define DIVIDE_SALES_INDICATOR "online_sales_total"

typedef enum {
  DIVIDE_CI_BOOT = 0,   /* Rao-Wu bootstrap percentile interval (bootstrap.h) */
  DIVIDE_CI_TAYLOR = 1, /* ratio estimate +- z * Taylor SE (estimator.h) */
  DIVIDE_CI_NONE = 2
} divide_ci;

/* "boot", "taylor" or "none" as a divide_ci; -1 for anything else. */
int divide_ci_parse(const char *name);

typedef struct divide_options {
  const char *volume;   /* NULL: the survey's online_sales_total; else an
                           indicator of the year (e.g. "parcels") */
  divide_ci interval;    /* HN+HCM interval (survey volume only) */
  size_t replicates;    /* bootstrap replicates (default 500) */
  uint64_t seed;        /* bootstrap seed (default 1) */
  double level;         /* confidence level (default 0.95; Taylor accepts
                           0.90, 0.95, 0.99) */
  int threads;          /* bootstrap threads (default 1; any count gives
                           the same bytes) */
  int units_34;         /* 1: on the 2025 units whatever the year_ctx */
} divide_options;

/* Defaults: survey volume, bootstrap 500 replicates, seed 1, 95%, one
** thread, the year's own units. */
void divide_options_init(divide_options *o);

/* Everything `chiso divide --db` shows for one year. Arrays are per unit
** of the era, in code order. */
typedef struct divide_year {
  int year;
  geo_era era;
  size_t n_units;
  char (*code)[3];
  const char **codes;     /* n_units pointers into code */
  int *region;            /* region index in the era's region list */
  /* concentration (has_volume = 0 when the year has no volume data) */
  int has_volume;
  char volume[64];        /* indicator id used */
  double *volume_value;   /* n_units, NaN where none */
  inequality_concentration conc;
  double share_lo, share_hi; /* HN+HCM interval, NaN when none */
  char interval[160];     /* how it was made, "" when none */
  size_t n_lorenz;        /* points (units with a value + 1) */
  double *lorenz_x, *lorenz_y;
  /* inequality of the ranked units' total scores */
  int has_scores;
  double *score;          /* n_units total (root) scores, NaN when none */
  int *rank;              /* n_units, 0 = unranked */
  unsigned char *approx;  /* n_units: 1 when a model indicator of the unit
                             is a weighted mean of former provinces (an
                             external indicator put on the 34 units) */
  inequality_inequality ineq;
  int relative_norm;      /* 1: an indicator is normalised against the
                             year's own data (min-max, z-score, ranks...),
                             so scores of different years are not
                             comparable; 0: fixed goalposts (or none) */
  /* the rows of `chiso divide`, in the order */
  inequality_measure measures[INEQUALITY_N_MEASURES];
  size_t n_measures;
} divide_year;

/* Compute the divide of year y. The index comes from year_result_get (on
** the 34 units when opt->units_34); the volume from the same unit table. When the volume is the survey's
** online sales, the HN+HCM share interval is the bootstrap percentile
** interval of the ratio of domain totals (opt->interval = BOOT; when a
** stratum has a single respondent it falls back to Taylor) or the Taylor
** interval. `opt` may be NULL (defaults). On success *out is new (free
** with divide_year_free). Returns CHISO_EDATA when opt->volume is not an
** indicator of the year or a volume is negative, CHISO_EUSAGE for a 63-unit
** view of 2025 or later or a Taylor level without a z value, and the
** errors of year_result_get / year_estimates / the bootstrap; *out NULL on
** failure. */
int divide_year_compute(year_ctx *y, const divide_options *opt, divide_year **out, chiso_err *err);

/* Free a result. NULL is a no-op. */
void divide_year_free(divide_year *y);

/* The HN+HCM share of the weighted total of y (online sales per
** respondent, NaN = no answer) in a survey on the units of `era`, with its
** interval: the ratio R = sum_{01,79} w y / sum w y (a ratio of domain
** totals). BOOT: percentile interval over opt->replicates Rao-Wu
** replicates of the strata (survey's stratum column) and final weights w;
** TAYLOR: R +- z SE, SE linearised (estimator_design_new_units, ratio kind).
** `w` holds the final weights (n values; NULL: s->weight or 1). *how
** (size 160) tells which was used. Returns CHISO_EDATA (no positive
** total; bootstrap impossible is not an error: Taylor is used),
** CHISO_EUSAGE, CHISO_ENOMEM. */
int divide_share_interval(const survey_data *s, const double *y, const double *w,
                         const geo_registry *reg, geo_era era, const divide_options *opt,
                         double *share, double *lo, double *hi, char *how, chiso_err *err);

#endif

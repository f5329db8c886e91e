/* out_series.h — every stored year on one set of units as a table, CSV or
** JSON (the formats of `chiso series`, docs/cli.md). */
#ifndef CHISO_OUT_SERIES_H
#define CHISO_OUT_SERIES_H

#include "chiso.h"
#include "geo/geo.h"
#include "year/series.h"

#include <stdio.h>

typedef enum {
  OUT_SERIES_SCORES = 0,     /* year,code,name,score,rank,score_change,rank_change,approx */
  OUT_SERIES_DIVIDE = 1,     /* year,measure,value,lo,hi */
  OUT_SERIES_CONVERGENCE = 2 /* sigma per year, beta, catch-up years per unit */
} out_series_view;

/* Write one view of series s (units named from reg). Numbers: %.17g in
** CSV and JSON (empty/null when missing), four decimals in the table,
** shares in %. JSON: an array of objects per part, each with "synthetic":
** true when `synthetic`. Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_series_write(const series_series *s, const geo_registry *reg, out_series_view view,
                     int synthetic, chiso_format fmt, FILE *f);

/* The scores view as CSV (the demo's series.csv). Returns 0 or CHISO_EIO. */
int out_series_scores_csv(const series_series *s, const geo_registry *reg, FILE *f);

#endif

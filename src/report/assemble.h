/* assemble.h — the report model (rmodel.h) assembled from the stored years:
** the index of a stored year computed with the year's stored methodology,
** the scores of every node, ranks, respondents and indicator values, the
** trend over the stored years, the divide (concentration of online sales,
** HN+HCM share over the years), plan targets and the provenance
** (imports with their SHA-256, methodology hash, seed, chiso version).
**
** The rules (docs/report.md, "From the store"):
**   - methodology: the one the year's survey imports were coded with
**     (stored in the database), unless the year set's options name another;
**   - index: year_result_get (year.h) for each year;
**   - trend: every stored year up to the report year whose units are those
**     of the report, each with its stored methodology (or the set's
**     methodology for all); a year that cannot be computed is left blank;
**   - uncertainty: with runs > 0, the default uncertainty spec of the
**     methodology (montecarlo_spec_default: weights, normalisation, aggregation,
**     winsorisation) is run on the report year; each unit's rank interval
**     is the 2.5th-97.5th percentile of its ranks over the runs, its score
**     interval the 95% percentile interval (UNCERTAINTY_LEVEL, the one
**     level of chiso's intervals) when the scores stay comparable
**     (docs/uncertainty.md); sensitivity: mean and largest |rank shift|
**     and the Sobol indices of the mean absolute rank shift;
**   - synthetic: 1 when any import of the years used carries the store's
**     synthetic mark (year_synthetic), unless forced by the options. */
#ifndef CHISO_ASSEMBLE_H
#define CHISO_ASSEMBLE_H

#include "base/err.h"
#include "geo/geo.h"
#include "report/rmodel.h"
#include "year/yearset.h"

#include <stdint.h>

typedef struct assemble_options {
  int units;          /* 0: the units in force in the year; 63 or 34 */
  uint64_t seed;      /* recorded in the provenance */
  int synthetic;      /* -1: from the store's marks; 0 or 1: forced */
  size_t runs;        /* method-uncertainty runs (montecarlo_method_analysis with
                         the default spec): rank intervals (2.5th-97.5th
                         percentile, level 0.95) and rank shifts; 0: none */
  size_t sobol_n;     /* Sobol base rows (montecarlo_sensitivity, N >= 8); 0: none */
  int threads;        /* worker threads of the analyses (< 1: 1); the
                         results do not depend on it */
  size_t share_replicates; /* bootstrap replicates of the HN+HCM share
                         interval (divide_year_compute); 0: its default */
} assemble_options;

/* Defaults: units 0, seed 1, synthetic -1, no uncertainty
** (runs 0, sobol_n 0), 1 thread, share_replicates 0. */
void assemble_options_init(assemble_options *o);

/* Assemble the report model of `year` from the year set (each year loaded
** once; the set's options give the methodology). `reg` is borrowed and
** must be the set's. On success *out is a new model the caller frees with
** rmodel_free. Returns CHISO_ENOTFOUND (nothing stored for the year),
** CHISO_EUSAGE (a 63-unit view of 2025 or later), CHISO_EDATA (no
** methodology for the year, or its indicators are not in the data), the
** errors of year_result_get and the analyses, CHISO_EIO, CHISO_ENOMEM;
** *out is then NULL and err says why. */
int assemble_report(yearset *years, const geo_registry *reg, int year,
                    const assemble_options *o, rmodel **out, chiso_err *err);

#endif

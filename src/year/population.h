/* population.h — the population counts a survey is post-stratified to
** (estimator.h): a CSV of [province,][stratum,]count, provinces by code or
** any spelling resolved for the survey year. */
#ifndef CHISO_POPULATION_H
#define CHISO_POPULATION_H

#include "base/err.h"
#include "estimate/estimator.h"
#include "geo/geo.h"

/* Read the population file at `path`: a count column and a province
** (or code) and/or stratum column; counts must be > 0. On success *out is
** new (population_free). Returns CHISO_EDATA located FILE:ROW:COL,
** CHISO_EIO, CHISO_ENOMEM; *out NULL. */
int population_read(const char *path, const geo_registry *reg, int year,
                    estimator_population **out, chiso_err *err);

/* Free a population. NULL is a no-op. */
void population_free(estimator_population *p);

#endif

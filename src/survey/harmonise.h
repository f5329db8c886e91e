/* harmonise.h — putting years before 2025 on the 34 units of 2025.
**
** Two routes, from best to second best:
**  1. microdata: harmonise_survey_to_34 re-assigns each respondent of a 63-unit
**     year to the 2025 unit its province became part of. Strata and design
**     weights are kept, so the estimator run afterwards gives, for a merged
**     unit, the design-consistent estimate over the union of its members'
**     respondents (sum w y / sum w over the union), and for an unchanged
**     province exactly its 63-unit estimate;
**  2. tables without microdata: harmonise_table_to_34 takes a weighted mean of
**     the members' values (weights: enterprises or population per former
**     province). The result is flagged approximate: a mean of ratios is not
**     the ratio of the union.
** The other direction does not exist: a 63-unit view of 2025 or later
** cannot be derived from 34-unit data, and chiso never invents one
** (harmonise_check_view). */
#ifndef CHISO_HARMONISE_H
#define CHISO_HARMONISE_H

#include "base/err.h"
#include "geo/geo.h"
#include "survey/survey.h"

#include <stddef.h>

/* Re-assign the respondents of a survey of a 63-unit year (s->year < 2025)
** to their 2025 units, in place: province[i] becomes the 34-era code and
** province_old[i] keeps the 63-era code. Strata, weights, answers and
** s->year are unchanged; from then on province[] holds 34-era codes, so
** estimators must use GEO_ERA_34 for it whatever s->year says. A survey of
** 2025 or later is already on the 34 units: returns 0 and changes nothing.
** Returns CHISO_EDATA when a province code is not a 63-era code (err names
** the source row); the survey is then left unchanged. */
int harmonise_survey_to_34(const geo_registry *reg, survey_data *s, chiso_err *err);

/* Cross the stratum column with the province, in place: stratum becomes
** "PP|name" for province PP (the former province province_old[i] when set,
** as after harmonise_survey_to_34, else province[i]). A design with
** estimator_options.strata_by_province = 1 on the original survey equals a design
** with strata_by_province = 0 on the crossed survey, and stays so after the
** re-assignment, so the strata of the 63-unit design are kept. Returns 0,
** or CHISO_ENOMEM with the survey unchanged. */
int harmonise_strata_by_province(survey_data *s, chiso_err *err);

/* Map a 63-unit table to the 34 units by weighted mean.
** values63 is 63 x k row-major in 63-era index order (geo_unit_at), NaN =
** missing; weights63 holds 63 weights (enterprises or population of each
** former province), used only for merged units. For each 34-era unit:
**  - unchanged province: its value, copied exactly (approx 0);
**  - merged unit: sum_m w_m v_m / sum_m w_m over the members with a value
**    (approx 1); NaN when no member has one.
** values34 is 34 x k (caller-owned); approx34 (34 flags) and coverage34
** (34 x k: share of the unit's total weight held by the members that had a
** value) may be NULL. Returns CHISO_EDATA when a member with a value has a
** missing, negative or zero weight (err names the province). */
int harmonise_table_to_34(const geo_registry *reg, const double *values63, size_t k,
                     const double *weights63, double *values34,
                     unsigned char *approx34, double *coverage34, chiso_err *err);

/* Check that a view of `year` on the units of `era` can be produced.
** Returns 0 when it can (any year on the 34 units; years up to 2024 on the
** 63 provinces). For a 63-unit view of 2025 or later returns CHISO_EUSAGE
** with the message
**   "a 63-province view of YEAR is impossible: from 2025 the data exist
**    only for the 34 units, and chiso never invents the former provinces" */
int harmonise_check_view(int year, geo_era era, chiso_err *err);

#endif

/* actuals.h — plan KPIs judged with chiso's own estimates of the stored
** years (targets.h holds the plans, the actuals table and the judging). */
#ifndef CHISO_ACTUALS_H
#define CHISO_ACTUALS_H

#include "base/err.h"
#include "divide/targets.h"
#include "year/yearset.h"

#include <stddef.h>

/* Append chiso's own actuals for the KPIs of plan_id (NULL: all plans)
** with TARGETS_PRIO_ESTIMATE: for every stored year of `years` with a
** survey, each KPI's chiso_indicator estimated with the stored codebook on
** the year's own units: a codebook indicator for the nation ("national")
** or the KPI's province (its code in the year's units), or
** "outside_share": the share of the estimated online sales outside 01 and
** 79 (national only). A year is loaded only when a KPI asks for it.
** Returns 0, CHISO_ENOMEM, or the errors of year_load / year_estimates. */
int actuals_from_years(yearset *years, const targets_plan_set *set, const char *plan_id,
                       targets_actuals *a, chiso_err *err);

/* Judge plan KPIs: actuals are chiso's own estimates of every stored year
** (actuals_from_years, all plans) and, when `published` is 1, the
** published actuals (targets_actuals_builtin; leave them out for
** synthetic data, which must not be mixed with real figures). Every KPI of
** `set` for which keep(kpi, ud) is non-zero (keep NULL: all) is judged
** with targets_evaluate with the actuals of years up to as_of_year (0: all
** years). On success *res holds *n results in set order (their kpi
** pointers borrow from set, their actual_source from *act) and *act the
** actuals: free *res with chiso_free and *act with targets_actuals_free,
** after the last use of *res. Returns 0, CHISO_ENOMEM, CHISO_EINTERNAL
** (bad shipped actuals) or the errors of actuals_from_years; *res and
** *act NULL on failure. */
int actuals_judge(yearset *years, const geo_registry *reg, const targets_plan_set *set,
                  int published, int as_of_year, int (*keep)(const targets_kpi *kpi, void *ud),
                  void *ud, targets_result **res, size_t *n, targets_actuals **act,
                  chiso_err *err);

#endif

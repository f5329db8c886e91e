/* out_targets.h — plan KPIs judged (targets.h) as a table, CSV or JSON,
** and the list of plans (the formats of `chiso targets`, docs/cli.md). */
#ifndef CHISO_OUT_TARGETS_H
#define CHISO_OUT_TARGETS_H

#include "chiso.h"
#include "divide/targets.h"

#include <stdio.h>

/* Write n results. CSV: plan,kpi,scope,unit,direction,baseline_year,
** baseline_value,target_year,target_value,actual_year,actual_value,
** progress_pct,status,projected_year ("never" when the pace does not lead
** there),reason,actual_source (numbers %.17g, empty when unknown). JSON:
** {"plan", ["synthetic": true], "as_of_year" (null: 0), "kpis": [...]}.
** Table: target, actual (year), progress (within [-100, 100]), status,
** year reached, then notes for what the columns cannot say (a past target
** judged at its own year, why there is no data; with_store: which actuals
** are published figures rather than the store's estimates, said to be real
** ones beside SYNTHETIC estimates when `synthetic`). Returns 0, CHISO_EIO
** or CHISO_ENOMEM. */
int out_targets_write(const targets_result *r, size_t n, const char *plan, int as_of_year,
                      int synthetic, int with_store, chiso_format fmt, FILE *out);

/* One line per plan of the set: id, KPI count, scope (TAB-separated).
** Returns 0 or CHISO_EIO. */
int out_targets_plans(const targets_plan_set *set, FILE *out);

#endif

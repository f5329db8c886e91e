/* targets.h — plan targets (KPIs) and how far each one is.
**
** A KPI has a baseline (value and year, optional), a target value, a
** target year and a direction ("up": higher is better; "down": lower is
** better, e.g. the delivery-cost share). Actuals come from three places,
** merged into one targets_actuals list with a priority each:
**   1. an external CSV given by the user (TARGETS_PRIO_EXTERNAL, highest);
**   2. chiso's own estimates, through a lookup callback and the KPI's
**      `chiso_indicator` (TARGETS_PRIO_ESTIMATE);
**   3. published actuals, data/plans/actuals.csv (TARGETS_PRIO_PUBLISHED).
** targets_evaluate judges a KPI against the straight line from its baseline
** to its target (docs/divide.md, "Targets"). */
#ifndef CHISO_TARGETS_H
#define CHISO_TARGETS_H

#include "io/csvtable.h"
#include "base/err.h"
#include "geo/geo.h"

#include <stddef.h>
#include <stdio.h>

/* Scope of a KPI or an actual: "national" or a 2-digit province code. */
#define TARGETS_NATIONAL "national"

typedef struct targets_kpi {
  char *plan, *kpi;          /* ids, e.g. "qd645-2021-2025", "b2c_revenue" */
  char *scope;               /* "national" or a province code ("01") */
  char *description_vi, *description_en, *unit, *source, *note; /* "" if none */
  char *actual_kpi;          /* the KPI id in actual tables (default: kpi) */
  char *chiso_indicator;     /* chiso estimate that measures it, "" if none */
  int baseline_year;         /* 0 when the plan gives no baseline */
  double baseline_value;     /* NaN when none */
  int target_year;
  double target_value;
  int direction;             /* +1 up, -1 down */
} targets_kpi;

typedef struct targets_plan_set {
  targets_kpi *kpis;
  size_t n, cap;
} targets_plan_set;

/* Load the plans shipped with chiso: the embedded plans/targets.csv joined
** with plans/baselines.csv (baseline, scope, actual_kpi, chiso_indicator by
** plan and KPI). reg resolves province scopes. On success *out is new
** (free with targets_plans_free). Returns CHISO_EINTERNAL when the embedded
** files are missing or bad, CHISO_ENOMEM; *out NULL on failure. */
int targets_plans_builtin(const geo_registry *reg, targets_plan_set **out, chiso_err *err);

/* Load a plan file (a province's own plan). Required columns:
** plan,kpi,target_year,target_value,direction; optional: scope (default
** national; a province name or code is resolved with reg for the target
** year), baseline_year, baseline_value, actual_kpi, chiso_indicator, unit,
** description_vi, description_en, source, note. A KPI without a
** chiso_indicator (nor an actual_kpi of its own) takes the one the shipped
** plans give its KPI id (noncash_payment: online_payment). Appends to *set (created
** when *set is NULL). Returns CHISO_EDATA with FILE:ROW:COL for a bad
** cell (unknown direction, baseline year without value, baseline year not
** before the target year, unknown province...), CHISO_EIO, CHISO_ENOMEM.
** On failure *set keeps only the KPIs it had before. */
int targets_plans_read(const char *path, const geo_registry *reg, targets_plan_set **set,
                   chiso_err *err);

/* Same as targets_plans_read on an already parsed table. */
int targets_plans_from_table(const csvtable *t, const geo_registry *reg,
                         targets_plan_set **set, chiso_err *err);

/* Free a plan set of targets_plans_read / targets_plans_from_table with all its
** KPIs. NULL is a no-op. Cannot fail. */
void targets_plans_free(targets_plan_set *set);

/* Number of KPIs of plan `plan_id` (0 when there is no such plan). */
size_t targets_plan_count(const targets_plan_set *set, const char *plan_id);

/* ---- actuals --------------------------------------------------------------- */

enum { TARGETS_PRIO_PUBLISHED = 1, TARGETS_PRIO_ESTIMATE = 2, TARGETS_PRIO_EXTERNAL = 3 };

typedef struct targets_actual {
  char *kpi, *scope, *source;
  int year;
  double value;
  int priority; /* TGT_PRIO_*: of two actuals for the same year, the higher wins */
} targets_actual;

typedef struct targets_actuals {
  targets_actual *rows;
  size_t n, cap;
  char national_gap[200]; /* why chiso gave no national actual ("" when it did or
                             was not asked): its survey does not cover the nation */
} targets_actuals;

/* A new empty list, or NULL on out of memory. Free with targets_actuals_free. */
targets_actuals *targets_actuals_new(void);
void targets_actuals_free(targets_actuals *a);

/* Append one actual (strings copied). Returns 0 or CHISO_ENOMEM. */
int targets_actuals_add(targets_actuals *a, const char *kpi, const char *scope, int year,
                    double value, const char *source, int priority);

/* Append the published actuals (embedded plans/actuals.csv) with
** TARGETS_PRIO_PUBLISHED. Returns CHISO_EINTERNAL when they are bad. */
int targets_actuals_builtin(const geo_registry *reg, targets_actuals *a, chiso_err *err);

/* Append actuals from a CSV with columns kpi,scope,year,value and optional
** source, at `priority` (TARGETS_PRIO_EXTERNAL for a user's file). scope is
** "national" or a province name/code, resolved with reg for the row's year.
** Returns CHISO_EDATA with FILE:ROW:COL, CHISO_EIO, CHISO_ENOMEM; on
** failure nothing is appended. */
int targets_actuals_read(const char *path, const geo_registry *reg, int priority,
                     targets_actuals *a, chiso_err *err);

/* The hook to chiso's own estimates. Called with an indicator id (e.g.
** "online_ordering", "e_invoices", "online_payment", "outside_share"), a
** scope ("national" or a province code) and a year; sets *value to the
** estimate on chiso's scale (shares 0..1) and returns 0, or returns
** CHISO_ENOTFOUND when there is no estimate (any other code aborts). */
typedef int (*targets_lookup_fn)(void *userdata, const char *indicator, const char *scope,
                             int year, double *value);

/* For every KPI of plan_id (NULL: all) with a chiso_indicator, and every
** year in [first_year, last_year], ask `lookup` and append what it finds
** with TARGETS_PRIO_ESTIMATE and source "chiso estimate (INDICATOR)". Shares
** are turned into the KPI's unit: x100 when the unit is "percent". Returns
** 0, CHISO_ENOMEM, or the lookup's error code (err filled). */
int targets_actuals_from_estimates(const targets_plan_set *set, const char *plan_id,
                               targets_lookup_fn lookup, void *userdata, int first_year,
                               int last_year, targets_actuals *a, chiso_err *err);

/* ---- evaluation -------------------------------------------------------------- */

typedef enum {
  TARGETS_ACHIEVED = 0, /* the latest actual meets the target */
  TARGETS_ON_TRACK = 1, /* not yet met, at or beyond the linear path */
  TARGETS_OFF_TRACK = 2, /* behind the linear path, or target year passed unmet */
  TARGETS_NO_DATA = 3,  /* no actual (for a past target: none for its year) */
  TARGETS_NO_BASELINE = 4,   /* an actual, but no baseline to judge the path with */
  TARGETS_BASELINE_ONLY = 5  /* an actual of the baseline year only: no progress yet */
} targets_status;

/* Years past the latest actual beyond which a projection is not given: a
** pace of nearly nothing would put the target centuries away. */
#define TARGETS_HORIZON 25

/* "achieved", "on track", "off track", "no data", "no baseline",
** "baseline only". */
const char *targets_status_name(targets_status s);

typedef struct targets_result {
  const targets_kpi *kpi;        /* borrowed from the plan set */
  targets_status status;
  const char *reason;        /* static short explanation */
  int actual_year;           /* 0 when none */
  double actual_value;       /* NaN when none */
  const char *actual_source; /* borrowed, NULL when none */
  int actual_priority;       /* TARGETS_PRIO_* of the actual, 0 when none */
  int baseline_year;         /* used baseline: the plan's, else the first actual */
  double baseline_value;     /* NaN when none */
  int baseline_from_actual;  /* 1 when the plan had none and the first actual is used */
  double path_value;         /* the linear path at actual_year, NaN if unknown */
  double progress_pct;       /* 100 (actual - baseline) / (target - baseline),
                                within [-100, 100] (an achieved KPI is 100: a
                                baseline just short of the target would give
                                1235%); NaN when the baseline already meets it */
  int at_target_year;        /* 1: a past target judged with the actual of its
                                own year, later actuals left out */
  int first_met_year;        /* first year an actual met the target, 0 if never */
  double projected_year;     /* year reached at the current pace (fractional);
                                INFINITY when the pace does not lead there,
                                NaN when unknown or beyond the horizon */
  int projected_after;       /* the pace leads there, but not within
                                TARGETS_HORIZON years: the last year looked at
                                (shown "after YEAR"); 0 otherwise */
} targets_result;

/* Judge one KPI with the actuals of its actual_kpi and scope, using only
** years <= as_of_year (0: all years). A target whose year has passed is
** judged at that year: actuals after it are left out, and when none is of
** the target year itself it has no data ("no actual for the target year").
** Cannot fail. The rules, in order:
**  - no actual: no data (the reason says why a national KPI has none when
**    a->national_gap does);
**  - the latest actual meets the target (>= for up, <= for down): achieved;
**  - the target year has passed (latest actual year >= target year): off track;
**  - no baseline (none in the plan and no earlier actual): no baseline;
**  - no actual after the baseline year: baseline only;
**  - else on track when the actual is at or beyond the straight line from
**    (baseline_year, baseline) to (target_year, target), off track otherwise. */
void targets_evaluate(const targets_kpi *kpi, const targets_actuals *a, int as_of_year, targets_result *out);

/* The first whole year at or after a fractional projected year, for
** display: ceil(y); 0 for NaN or infinity. */
int targets_projected_whole_year(double projected_year);

/* The projected year of a result as text into buf (size n): "never" when
** the pace leads away, "after YEAR" beyond the horizon, "" when unknown,
** else targets_projected_whole_year. Cannot fail. */
void targets_projected_text(const targets_result *r, char *buf, size_t n);

#endif

/* chiso_trend.c — the public API: every stored year in one series, and
** plan targets judged (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "divide/targets.h"
#include "geo/geo.h"
#include "out/out_series.h"
#include "out/out_targets.h"
#include "year/actuals.h"
#include "year/series.h"
#include "year/yearset.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* ---- the series --------------------------------------------------------------------- */

/* The methodology normalises within each year: score changes mix real
** change with moving goalposts (docs/divide.md). */
static void warn_relative(const series_series *s) {
  if (s->n_years < 2 || !s->detail[0]->relative_norm) return;
  chiso_log(CHISO_LOG_NOTE, "series: the methodology normalises within each year (min-max or "
                            "similar): score changes across years mix real change with moving "
                            "goalposts; use a goalposts methodology (docs/divide.md)");
}

/* The series of the years of `set` in [from, to] (0: open; its options
** give the methodology). */
static int series_of(yearset *set, const geo_registry *reg, int units, int from, int to,
                     const char *interval, chiso_series_view view, chiso_format fmt, FILE *out,
                     chiso_err *err) {
  series_series *s = NULL;
  series_options so;
  int synthetic = 0;
  series_options_init(&so);
  so.units = units;
  so.from = from;
  so.to = to;
  if (interval && (int)(so.divide.interval = divide_ci_parse(interval)) < 0)
    return chiso_err_set(err, CHISO_EUSAGE, "the interval must be boot, taylor or none");
  int rc = series_build(set, reg, &so, &s, err);
  if (!rc) rc = yearset_synthetic(set, &synthetic, err);
  if (!rc) warn_relative(s);
  if (!rc)
    rc = chiso_err_ensure(err, out_series_write(s, reg, (out_series_view)view, synthetic, fmt, out),
                          "cannot write the output");
  series_free(s);
  return rc;
}

int chiso_series_write(chiso_store *st, const char *method, int units, const char *interval,
                       chiso_series_view view, chiso_format fmt, FILE *out, chiso_err *err) {
  return chiso_series_write_range(st, method, units, 0, 0, interval, view, fmt, out, err);
}

int chiso_series_write_range(chiso_store *st, const char *method, int units, int from, int to,
                             const char *interval, chiso_series_view view, chiso_format fmt,
                             FILE *out, chiso_err *err) {
  assert(st && out);
  const geo_registry *reg = NULL;
  yearset *set = NULL;
  year_options yo;
  year_options_init(&yo);
  yo.method = method;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = yearset_open(st, reg, &yo, &set, err);
  if (!rc) rc = series_of(set, reg, units, from, to, interval, view, fmt, out, err);
  yearset_free(set);
  return rc;
}

int chiso_years_series_write(chiso_years *s, int units, const char *interval,
                             chiso_series_view view, chiso_format fmt, FILE *out,
                             chiso_err *err) {
  assert(s && out);
  const geo_registry *reg = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = series_of(s, reg, units, 0, 0, interval, view, fmt, out, err);
  return rc;
}

/* ---- targets ----------------------------------------------------------------------- */

/* The plans: shipped, and those of o->plan_file. */
static int load_plans(const chiso_targets_options *o, const geo_registry *reg,
                      targets_plan_set **set, chiso_err *err) {
  int rc = targets_plans_builtin(reg, set, err);
  if (!rc && o->plan_file) rc = targets_plans_read(o->plan_file, reg, set, err);
  return rc;
}

/* chiso's own actuals from the store. With a province, the plan's national
** KPIs are asked for that province's estimates. */
static int store_actuals(const chiso_targets_options *o, yearset *given, const char *plan,
                         const geo_registry *reg, const targets_plan_set *set, targets_actuals *a,
                         int *synthetic, chiso_err *err) {
  yearset *ys = given;
  targets_kpi *k = chiso_calloc(set->n + 1, sizeof *k);
  if (!k) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < set->n; i++) {
    k[i] = set->kpis[i];
    if (o->province && !strcmp(k[i].scope, TARGETS_NATIONAL)) k[i].scope = (char *)o->province;
  }
  targets_plan_set scoped = {k, set->n, set->n};
  int rc = given ? CHISO_OK : yearset_open(o->store, reg, NULL, &ys, err);
  if (!rc) rc = actuals_from_years(ys, &scoped, plan, a, err);
  if (!rc) rc = yearset_synthetic(ys, synthetic, err);
  if (!given) yearset_free(ys);
  chiso_free(k);
  return rc;
}

/* Judge the KPIs of `plan`. With a province, national KPIs are copied with
** the province's scope and without the national baseline. */
static void evaluate(const targets_plan_set *set, const targets_actuals *a, const char *plan,
                     const chiso_targets_options *o, targets_result *res, targets_kpi *scoped,
                     size_t *n) {
  *n = 0;
  for (size_t i = 0; i < set->n; i++) {
    const targets_kpi *k = &set->kpis[i];
    if (strcmp(k->plan, plan)) continue;
    if (o->province && strcmp(k->scope, TARGETS_NATIONAL) && strcmp(k->scope, o->province)) continue;
    if (o->province && !strcmp(k->scope, TARGETS_NATIONAL)) {
      scoped[*n] = *k;
      scoped[*n].scope = (char *)o->province;
      scoped[*n].baseline_year = 0;
      scoped[*n].baseline_value = NAN;
      k = &scoped[*n];
    }
    targets_evaluate(k, a, o->as_of_year, &res[(*n)++]);
  }
}

/* The actuals: published, the file's, the store's estimates. */
static int load_actuals(const chiso_targets_options *o, yearset *given, const char *plan,
                        const geo_registry *reg, const targets_plan_set *set, targets_actuals **a,
                        int *synthetic, chiso_err *err) {
  int rc = (*a = targets_actuals_new()) ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = targets_actuals_builtin(reg, *a, err);
  if (!rc && o->actuals) rc = targets_actuals_read(o->actuals, reg, TARGETS_PRIO_EXTERNAL, *a, err);
  if (!rc && (o->store || given)) rc = store_actuals(o, given, plan, reg, set, *a, synthetic, err);
  return rc;
}

static int judge_and_write(const chiso_targets_options *o, const char *plan,
                           const targets_plan_set *set, const targets_actuals *a, int synthetic,
                           chiso_format fmt, FILE *out, chiso_err *err) {
  targets_result *res = chiso_calloc(set->n + 1, sizeof *res);
  targets_kpi *scoped = chiso_calloc(set->n + 1, sizeof *scoped);
  size_t n = 0;
  int rc = res && scoped ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) evaluate(set, a, plan, o, res, scoped, &n);
  if (!rc)
    rc = chiso_err_ensure(err, out_targets_write(res, n, plan, o->as_of_year, synthetic, o->store != NULL, fmt,
                                            out),
                          "cannot write the output");
  chiso_free(res);
  chiso_free(scoped);
  return rc;
}

/* Judge the plan of o with the stored years of `given` (NULL: of o->store,
** when given). */
static int targets_of(const chiso_targets_options *o, yearset *given, chiso_format fmt, FILE *out,
                      chiso_err *err) {
  const geo_registry *reg = NULL;
  targets_plan_set *set = NULL;
  targets_actuals *a = NULL;
  int synthetic = 0;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = load_plans(o, reg, &set, err);
  const char *plan = o->plan;
  if (!rc && !plan && o->plan_file && set->n) plan = set->kpis[set->n - 1].plan;
  if (!rc && !plan) rc = chiso_err_set(err, CHISO_EUSAGE, "no plan given");
  else if (!rc && !targets_plan_count(set, plan))
    rc = chiso_err_set(err, CHISO_EUSAGE, "unknown plan '%s'", plan);
  if (!rc) rc = load_actuals(o, given, plan, reg, set, &a, &synthetic, err);
  if (!rc) rc = judge_and_write(o, plan, set, a, synthetic, fmt, out, err);
  targets_actuals_free(a);
  targets_plans_free(set);
  return rc;
}

int chiso_targets_write(const chiso_targets_options *o, chiso_format fmt, FILE *out,
                        chiso_err *err) {
  assert(o && out);
  return targets_of(o, NULL, fmt, out, err);
}

int chiso_years_targets_write(chiso_years *s, const chiso_targets_options *o, chiso_format fmt,
                              FILE *out, chiso_err *err) {
  assert(s && o && out);
  return targets_of(o, s, fmt, out, err);
}

int chiso_plans_write(const char *plan_file, FILE *out, chiso_err *err) {
  assert(out);
  const geo_registry *reg = NULL;
  targets_plan_set *set = NULL;
  chiso_targets_options o = {0};
  o.plan_file = plan_file;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = load_plans(&o, reg, &set, err);
  if (!rc) rc = chiso_err_ensure(err, out_targets_plans(set, out), "cannot write the plans");
  targets_plans_free(set);
  return rc;
}

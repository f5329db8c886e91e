/* actuals.c — plan KPIs judged with chiso's own estimates (actuals.h). */
#include "year/actuals.h"

#include "base/mem.h"
#include "divide/inequality.h"
#include "year/divide.h"

#include <assert.h>
#include <math.h>
#include <string.h>

typedef struct lookup_ud {
  yearset *years;
  targets_actuals *a;  /* where to say why a national figure was refused */
  chiso_err *err;
} lookup_ud;

/* A national figure needs a survey of every unit of the year: the nation
** domain of a survey of 8 provinces is a mean of those 8 (issue 12). Says
** why in a->national_gap when it is not. */
static int covers_nation(const year_ctx *y, const estimates *e, targets_actuals *a) {
  size_t units = geo_count(year_registry(y), year_own_era(y)), covered = 0;
  int year = year_number(y);
  for (size_t i = 0; i < estimator_domain_count(e->design); i++) {
    const estimator_domain *d = estimator_domain_at(e->design, i);
    covered += d->level == ESTIMATOR_PROVINCE && d->respondents > 0;
  }
  if (covered == units) return 1;
  if (!a->national_gap[0])
    snprintf(a->national_gap, sizeof a->national_gap,
             "no national figure: the %d survey covers %zu of %zu units", year, covered, units);
  return 0;
}

static int is_hn_hcm(const char *code) {
  return strcmp(code, INEQUALITY_CODE_HANOI) == 0 || strcmp(code, INEQUALITY_CODE_HCM) == 0;
}

/* The share of the estimated online sales outside 01 and 79 (NaN when the
** methodology has no sales indicator or the total is not positive). */
static double outside_share(const estimates *r) {
  size_t K = estimator_indicator_count(r->design), k = K;
  for (size_t j = 0; j < K; j++)
    if (strcmp(estimator_indicator_id(r->design, j), DIVIDE_SALES_INDICATOR) == 0) k = j;
  if (k == K) return NAN;
  double all = 0, two = 0;
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *d = estimator_domain_at(r->design, i);
    double v = r->cells[i * K + k].estimate;
    if (d->level != ESTIMATOR_PROVINCE || isnan(v)) continue;
    all += v;
    if (is_hn_hcm(d->code)) two += v;
  }
  return all > 0 ? 1 - two / all : NAN;
}

/* The estimate of `indicator` for the domain `code` ("VN" for the nation). */
static int domain_value(const estimates *r, const char *code, const char *indicator,
                        double *value) {
  size_t K = estimator_indicator_count(r->design);
  for (size_t k = 0; k < K; k++) {
    if (strcmp(estimator_indicator_id(r->design, k), indicator)) continue;
    for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
      const estimator_domain *d = estimator_domain_at(r->design, i);
      if (d->level == ESTIMATOR_REGION || strcmp(d->code, code)) continue;
      *value = r->cells[i * K + k].estimate;
      return isnan(*value) ? CHISO_ENOTFOUND : CHISO_OK;
    }
  }
  return CHISO_ENOTFOUND;
}

/* targets_lookup_fn: the year's own-unit estimates; a year without a
** survey (or not stored) has no value. */
static int lookup(void *ud, const char *indicator, const char *scope, int year_no,
                  double *value) {
  lookup_ud *u = ud;
  year_ctx *y = NULL;
  const estimates *e = NULL;
  int rc = yearset_get(u->years, year_no, &y, u->err);
  if (!rc && !year_has_survey(y)) rc = CHISO_ENOTFOUND;
  if (!rc) rc = year_estimates(y, year_own_era(y), &e, NULL, u->err);
  if (rc == CHISO_ENOTFOUND) {
    chiso_err_clear(u->err);
    return CHISO_ENOTFOUND;
  }
  if (rc) return rc;
  int national = strcmp(scope, TARGETS_NATIONAL) == 0;
  if (national && !covers_nation(y, e, u->a)) return CHISO_ENOTFOUND;
  if (strcmp(indicator, "outside_share") == 0) {
    *value = outside_share(e);
    return national && !isnan(*value) ? CHISO_OK : CHISO_ENOTFOUND;
  }
  return domain_value(e, national ? "VN" : scope, indicator, value);
}

int actuals_from_years(yearset *years, const targets_plan_set *set, const char *plan_id,
                       targets_actuals *a, chiso_err *err) {
  assert(years && set && a);
  size_t n = 0;
  const int *ys = yearset_years(years, &n);
  lookup_ud u = {years, a, err};
  if (!n) return CHISO_OK;
  return targets_actuals_from_estimates(set, plan_id, lookup, &u, ys[0], ys[n - 1], a, err);
}

int actuals_judge(yearset *years, const geo_registry *reg, const targets_plan_set *set,
                  int published, int as_of_year, int (*keep)(const targets_kpi *kpi, void *ud),
                  void *ud, targets_result **res, size_t *n, targets_actuals **act,
                  chiso_err *err) {
  assert(years && reg && set && res && n && act);
  targets_actuals *a = targets_actuals_new();
  targets_result *r = chiso_calloc(set->n ? set->n : 1, sizeof *r);
  int rc = a && r ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  *res = NULL;
  *act = NULL;
  *n = 0;
  if (!rc && published) rc = targets_actuals_builtin(reg, a, err);
  if (!rc) rc = actuals_from_years(years, set, NULL, a, err);
  for (size_t i = 0; !rc && i < set->n; i++)
    if (!keep || keep(&set->kpis[i], ud)) targets_evaluate(&set->kpis[i], a, as_of_year, &r[(*n)++]);
  if (rc) {
    chiso_free(r);
    targets_actuals_free(a);
    *n = 0;
    return rc;
  }
  *res = r;
  *act = a;
  return CHISO_OK;
}

/* series.c — every stored year on one set of units, and convergence. */
#include "year/series.h"

#include "survey/harmonise.h"
#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void series_options_init(series_options *o) {
  memset(o, 0, sizeof *o);
  divide_options_init(&o->divide);
  o->divide.interval = DIVIDE_CI_NONE;
}

void series_free(series_series *s) {
  if (!s) return;
  for (size_t t = 0; s->detail && t < s->n_years; t++) divide_year_free(s->detail[t]);
  chiso_free(s->detail);
  chiso_free(s->years);
  chiso_free(s->code);
  chiso_free(s->score);
  chiso_free(s->rank);
  chiso_free(s->score_change);
  chiso_free(s->rank_change);
  chiso_free(s->approx);
  chiso_free(s->hn_hcm_share);
  chiso_free(s->share_lo);
  chiso_free(s->share_hi);
  chiso_free(s->sigma);
  chiso_free(s->catch_up);
  chiso_free(s);
}

/* The era of the series from `units` and the years; checks the view. */
static int series_era(int units, const int *years, size_t n, geo_era *era, chiso_err *err) {
  int last = years[n - 1];
  if (units == 0) units = geo_era_for_year(last) == GEO_ERA_34 ? 34 : 63;
  if (units == 2025) units = 34;
  if (units != 34 && units != 63)
    return chiso_err_set(err, CHISO_EUSAGE, "units must be 63, 34 or 2025, not %d", units);
  *era = units == 34 ? GEO_ERA_34 : GEO_ERA_63;
  for (size_t t = 0; t < n; t++) {
    int rc = harmonise_check_view(years[t], *era, err);
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int series_alloc(series_series *s, const geo_registry *reg) {
  size_t U = geo_count(reg, s->era), T = s->n_years, UT = U * T;
  s->n_units = U;
  s->code = chiso_calloc(U, sizeof *s->code);
  s->score = chiso_malloc(UT * sizeof *s->score);
  s->rank = chiso_calloc(UT, sizeof *s->rank);
  s->score_change = chiso_malloc(UT * sizeof *s->score_change);
  s->rank_change = chiso_calloc(UT, sizeof *s->rank_change);
  s->approx = chiso_calloc(UT, sizeof *s->approx);
  s->hn_hcm_share = chiso_malloc(T * sizeof *s->hn_hcm_share);
  s->share_lo = chiso_malloc(T * sizeof *s->share_lo);
  s->share_hi = chiso_malloc(T * sizeof *s->share_hi);
  s->detail = chiso_calloc(T, sizeof *s->detail);
  s->sigma = chiso_calloc(T, sizeof *s->sigma);
  s->catch_up = chiso_malloc(U * sizeof *s->catch_up);
  if (!s->code || !s->score || !s->rank || !s->score_change || !s->rank_change || !s->approx ||
      !s->hn_hcm_share || !s->share_lo || !s->share_hi || !s->detail || !s->sigma || !s->catch_up)
    return CHISO_ENOMEM;
  for (size_t u = 0; u < U; u++) {
    memcpy(s->code[u], geo_unit_at(reg, s->era, u)->code, 3);
    s->catch_up[u] = NAN;
  }
  for (size_t j = 0; j < UT; j++) s->score[j] = s->score_change[j] = NAN;
  return CHISO_OK;
}

/* Copy year t's results into the panel. */
static void take_year(series_series *s, size_t t, const divide_year *y) {
  size_t T = s->n_years;
  s->hn_hcm_share[t] = y->has_volume ? y->conc.hn_hcm_share : NAN;
  s->share_lo[t] = y->share_lo;
  s->share_hi[t] = y->share_hi;
  for (size_t u = 0; u < s->n_units; u++) {
    size_t j = u * T + t;
    s->score[j] = y->score[u];
    s->rank[j] = y->rank[u];
    s->approx[j] = y->approx[u];
    if (t == 0) continue;
    s->score_change[j] = s->score[j] - s->score[j - 1];
    if (s->rank[j] && s->rank[j - 1]) s->rank_change[j] = s->rank[j - 1] - s->rank[j];
  }
}

/* σ-convergence over ranked units; β-convergence and catch-up years from
** the first to the last year (Barro & Sala-i-Martin 1992). */
static void convergence(series_series *s) {
  size_t U = s->n_units, T = s->n_years;
  double *panel = chiso_malloc((U * T + 1) * sizeof *panel);
  double *y0 = chiso_malloc((U ? U : 1) * sizeof *y0), *y1 = chiso_malloc((U ? U : 1) * sizeof *y1);
  if (panel && y0 && y1) {
    for (size_t j = 0; j < U * T; j++) panel[j] = s->rank[j] ? s->score[j] : NAN;
    inequality_sigma_convergence(panel, U, s->years, T, s->sigma);
    double years = s->years[T - 1] - s->years[0];
    for (size_t u = 0; u < U; u++) {
      y0[u] = panel[u * T];
      y1[u] = panel[u * T + T - 1];
    }
    chiso_err e;
    s->has_beta = T >= 2 && inequality_beta_convergence(y0, y1, U, years, &s->beta, &e) == CHISO_OK;
    size_t lead = U;
    for (size_t u = 0; u < U; u++)
      if (s->rank[u * T + T - 1] == 1) lead = u;
    for (size_t u = 0; T >= 2 && lead < U && u < U; u++)
      s->catch_up[u] = inequality_catch_up_years(y1[u], inequality_log_growth(y0[u], y1[u], years), y1[lead],
                                          inequality_log_growth(y0[lead], y1[lead], years));
  }
  chiso_free(panel);
  chiso_free(y0);
  chiso_free(y1);
}

static int build_years(series_series *s, yearset *set, const series_options *o, chiso_err *err) {
  divide_options d = o->divide;
  d.units_34 = s->era == GEO_ERA_34;
  for (size_t t = 0; t < s->n_years; t++) {
    year_ctx *y = NULL;
    int rc = yearset_get(set, s->years[t], &y, err);
    if (!rc) rc = divide_year_compute(y, &d, &s->detail[t], err);
    if (rc) {
      char msg[sizeof err->message];
      snprintf(msg, sizeof msg, "%s", err->message);
      return chiso_err_set(err, rc, "%d: %s", s->years[t], msg);
    }
    take_year(s, t, s->detail[t]);
  }
  convergence(s);
  return CHISO_OK;
}

int series_build(yearset *set, const geo_registry *reg, const series_options *o,
                 series_series **out, chiso_err *err) {
  assert(set && reg && out);
  series_options def;
  if (!o) series_options_init(&def), o = &def;
  series_series *s = chiso_calloc(1, sizeof *s);
  *out = NULL;
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t n = 0;
  const int *years = yearset_years(set, &n);
  int rc = n && !(s->years = chiso_malloc(n * sizeof *s->years)) ? CHISO_ENOMEM : CHISO_OK;
  if (rc) chiso_err_set(err, rc, "out of memory");
  for (size_t t = 0; !rc && t < n; t++)
    if ((!o->from || years[t] >= o->from) && (!o->to || years[t] <= o->to))
      s->years[s->n_years++] = years[t];
  if (!rc && s->n_years == 0 && n && (o->from || o->to))
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "no stored year in the range asked (stored: %d to %d)",
                       years[0], years[n - 1]);
  if (!rc && s->n_years == 0) rc = chiso_err_set(err, CHISO_ENOTFOUND, "the store has no year");
  if (!rc) rc = series_era(o->units, s->years, s->n_years, &s->era, err);
  if (!rc && series_alloc(s, reg)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = build_years(s, set, o, err);
  if (rc) {
    series_free(s);
    return rc;
  }
  *out = s;
  return CHISO_OK;
}

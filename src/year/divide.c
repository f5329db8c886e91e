/* divide.c — the divide of a stored year (divide.h). */
#include "year/divide.h"

#include "base/quantile.h"

#include "uncertainty/bootstrap.h"
#include "estimate/estimates.h"
#include "survey/harmonise.h"
#include "base/mem.h"
#include "estimate/estimator.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int divide_ci_parse(const char *name) {
  static const char *const names[] = {"boot", "taylor", "none"};
  for (int i = 0; i < 3; i++)
    if (strcmp(name, names[i]) == 0) return i;
  return -1;
}

void divide_options_init(divide_options *o) {
  memset(o, 0, sizeof *o);
  o->interval = DIVIDE_CI_BOOT;
  o->replicates = 500;
  o->seed = 1;
  o->level = 0.95;
  o->threads = 1;
}

void divide_year_free(divide_year *y) {
  if (!y) return;
  chiso_free(y->code);
  chiso_free(y->codes);
  chiso_free(y->region);
  chiso_free(y->volume_value);
  chiso_free(y->lorenz_x);
  chiso_free(y->lorenz_y);
  chiso_free(y->score);
  chiso_free(y->rank);
  chiso_free(y->approx);
  chiso_free(y);
}

/* ---- the HN+HCM share and its interval ----------------------------------- */

static int is_hn_hcm(const char *code) {
  return strcmp(code, INEQUALITY_CODE_HANOI) == 0 || strcmp(code, INEQUALITY_CODE_HCM) == 0;
}

/* Two-sided normal quantile z_{(1+level)/2} for the levels offered
** (qnorm(0.95), qnorm(0.975), qnorm(0.995) in R); NaN otherwise. */
static double z_of_level(double level) {
  if (fabs(level - 0.90) < 1e-12) return 1.6448536269514722;
  if (fabs(level - 0.95) < 1e-12) return 1.959963984540054;
  if (fabs(level - 0.99) < 1e-12) return 2.5758293035489004;
  return NAN;
}

typedef struct share_ud {
  const double *y;
  const unsigned char *hh;
  size_t n;
  const size_t *has;  /* the respondents with a y, ascending */
  size_t n_has;
} share_ud;

/* The ratio of domain totals sum_hh w y / sum w y under weights w. */
/* Over the respondents with a y, in order. The sums start at +0.0 and so
** are never −0.0: adding +0.0 outside HN+HCM leaves `two` as skipping
** would, without a branch per respondent. */
static double share_under(const share_ud *u, const double *w) {
  double all = 0, two = 0;
  for (size_t k = 0; k < u->n_has; k++) {
    size_t i = u->has[k];
    double t = w[i] * u->y[i];
    all += t;
    two += u->hh[i] ? t : 0.0;
  }
  return all > 0 ? two / all : NAN;
}

static int share_stat(void *ud, int thread, size_t r, const double *w, double *out) {
  (void)thread;
  (void)r;
  out[0] = share_under(ud, w);
  return CHISO_OK;
}

/* Percentile interval (type 7 quantiles) of R replicate shares. */
static int percentile_interval(double *theta, size_t R, double level, double *lo, double *hi) {
  size_t m = 0;
  for (size_t r = 0; r < R; r++)
    if (!isnan(theta[r])) theta[m++] = theta[r];
  if (m < 2) return CHISO_EDATA;
  quantile_sort(theta, m);
  *lo = quantile_sorted(theta, m, (1 - level) / 2, 1);
  *hi = quantile_sorted(theta, m, 1 - (1 - level) / 2, 1);
  return CHISO_OK;
}

/* Rao & Wu (1988) rescaled bootstrap of the share; 1 when a stratum is a
** singleton (the caller falls back to Taylor). */
static int boot_share(const survey_data *s, const share_ud *u, const double *w,
                      const divide_options *o, double *lo, double *hi, chiso_err *err) {
  bootstrap_design *bd = NULL;
  double *theta = NULL;
  int rc = bootstrap_design_new(s->n, s->stratum, w, o->seed, &bd, err);
  if (rc == CHISO_EDATA) {
    chiso_err_clear(err);
    return 1;
  }
  if (!rc && !(theta = chiso_malloc(o->replicates * sizeof *theta)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc)
    rc = bootstrap_run(bd, o->replicates, o->threads, share_stat, (void *)u, 1, theta, NULL, NULL,
                  err);
  if (!rc && percentile_interval(theta, o->replicates, o->level, lo, hi))
    rc = chiso_err_set(err, CHISO_EDATA, "bootstrap: fewer than 2 usable replicates");
  chiso_free(theta);
  bootstrap_design_free(bd);
  return rc;
}

/* Taylor linearisation of the ratio (Lumley 2010, 2.3): the svy ratio
** estimator of sum y_hh / sum y over the whole survey (the nation). */
static int taylor_share(const survey_data *s, const share_ud *u, const geo_registry *reg,
                        geo_era era, double level, double *lo, double *hi, chiso_err *err) {
  double z = z_of_level(level), *yh = chiso_malloc((s->n ? s->n : 1) * sizeof *yh);
  estimator_design *d = NULL;
  estimator_cell *cells = NULL;
  if (isnan(z)) {
    chiso_free(yh);
    return chiso_err_set(err, CHISO_EUSAGE, "the Taylor interval offers levels 0.90, 0.95, 0.99");
  }
  if (!yh) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < s->n; i++) yh[i] = u->hh[i] ? u->y[i] : u->y[i] * 0.0;
  estimator_spec spec = {"hn_hcm_share", CODEBOOK_RATIO, yh, u->y};
  int rc = estimator_design_new_units(s, reg, era, &spec, 1, NULL, &d, err);
  if (!rc && !(cells = chiso_malloc(estimator_domain_count(d) * sizeof *cells)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = estimator_estimate_all(d, cells, err);
  if (!rc) { /* the nation is the last domain */
    const estimator_cell *c = &cells[estimator_domain_count(d) - 1];
    *lo = c->estimate - z * c->se;
    *hi = c->estimate + z * c->se;
  }
  chiso_free(cells);
  estimator_design_free(d);
  chiso_free(yh);
  return rc;
}

int divide_share_interval(const survey_data *s, const double *y, const double *w,
                         const geo_registry *reg, geo_era era, const divide_options *opt,
                         double *share, double *lo, double *hi, char *how, chiso_err *err) {
  divide_options def;
  if (!opt) divide_options_init(&def), opt = &def;
  unsigned char *hh = chiso_malloc(s->n ? s->n : 1);
  double *w1 = w ? NULL : chiso_malloc((s->n ? s->n : 1) * sizeof *w1);
  size_t *has = chiso_malloc((s->n ? s->n : 1) * sizeof *has);
  *lo = *hi = *share = NAN;
  how[0] = '\0';
  if (!hh || !has || (!w && !w1)) {
    chiso_free(hh);
    chiso_free(w1);
    chiso_free(has);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  share_ud u = {y, hh, s->n, has, 0};
  for (size_t i = 0; i < s->n; i++) {
    hh[i] = (unsigned char)is_hn_hcm(s->province[i]);
    if (w1) w1[i] = s->weight ? s->weight[i] : 1.0;
    if (!isnan(y[i])) has[u.n_has++] = i;
  }
  const double *wt = w ? w : w1;
  int rc = CHISO_OK, ci = opt->interval;
  *share = share_under(&u, wt);
  if (isnan(*share)) rc = chiso_err_set(err, CHISO_EDATA, "online sales: the total is not positive");
  if (!rc && ci == DIVIDE_CI_BOOT) {
    rc = boot_share(s, &u, wt, opt, lo, hi, err);
    if (rc == 1) ci = DIVIDE_CI_TAYLOR, rc = CHISO_OK;
    else if (!rc)
      snprintf(how, 160, "bootstrap percentile %g%% (Rao-Wu, %zu replicates, seed %llu)",
               opt->level * 100, opt->replicates, (unsigned long long)opt->seed);
  }
  if (!rc && ci == DIVIDE_CI_TAYLOR) {
    rc = taylor_share(s, &u, reg, era, opt->level, lo, hi, err);
    if (!rc)
      snprintf(how, 160, "Taylor %g%% (ratio of totals +- z SE)%s", opt->level * 100,
               opt->interval == DIVIDE_CI_BOOT ? ": a stratum has one respondent, no bootstrap" : "");
  }
  chiso_free(hh);
  chiso_free(w1);
  chiso_free(has);
  return rc;
}

/* ---- one year ---------------------------------------------------------------- */

static int year_alloc(divide_year *y, const geo_registry *reg) {
  size_t n = geo_count(reg, y->era);
  y->n_units = n;
  y->code = chiso_calloc(n, sizeof *y->code);
  y->codes = chiso_calloc(n, sizeof *y->codes);
  y->region = chiso_calloc(n, sizeof *y->region);
  y->volume_value = chiso_malloc(n * sizeof *y->volume_value);
  y->score = chiso_malloc(n * sizeof *y->score);
  y->rank = chiso_calloc(n, sizeof *y->rank);
  y->approx = chiso_calloc(n, sizeof *y->approx);
  if (!y->code || !y->codes || !y->region || !y->volume_value || !y->score || !y->rank ||
      !y->approx)
    return CHISO_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const geo_unit *u = geo_unit_at(reg, y->era, i);
    memcpy(y->code[i], u->code, 3);
    y->codes[i] = y->code[i];
    y->region[i] = u->region;
    y->volume_value[i] = y->score[i] = NAN;
  }
  y->share_lo = y->share_hi = NAN;
  return CHISO_OK;
}

/* The volume column of the unit table into y->volume_value. */
static int take_volume(divide_year *y, const unittable *t, const char *want, chiso_err *err) {
  const char *id = want ? want : DIVIDE_SALES_INDICATOR;
  long k = unittable_col(t, id);
  if (k < 0) {
    if (!want) return CHISO_OK; /* no survey sales this year: no concentration */
    return chiso_err_set(err, CHISO_EDATA, "volume indicator \"%s\" is not stored for %d", want,
                         y->year);
  }
  snprintf(y->volume, sizeof y->volume, "%s", id);
  size_t any = 0;
  for (size_t u = 0; u < y->n_units; u++) {
    y->volume_value[u] = t->value[u * t->n_indicators + (size_t)k];
    any += !isnan(y->volume_value[u]);
  }
  y->has_volume = any > 0;
  return CHISO_OK;
}

/* Concentration measures and the Lorenz curve of the volume. */
static int concentration(divide_year *y, chiso_err *err) {
  int rc = inequality_concentration_compute(y->codes, y->volume_value, y->n_units, &y->conc, err);
  double *v = rc ? NULL : chiso_malloc((y->conc.n ? y->conc.n : 1) * sizeof *v);
  if (!rc && !v) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t m = 0;
  for (size_t u = 0; !rc && u < y->n_units; u++)
    if (!isnan(y->volume_value[u])) v[m++] = y->volume_value[u];
  if (!rc) {
    y->n_lorenz = m + 1;
    y->lorenz_x = chiso_malloc(y->n_lorenz * sizeof *y->lorenz_x);
    y->lorenz_y = chiso_malloc(y->n_lorenz * sizeof *y->lorenz_y);
    rc = y->lorenz_x && y->lorenz_y ? inequality_lorenz(v, m, y->lorenz_x, y->lorenz_y, err)
                                    : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  chiso_free(v);
  return rc;
}

/* 1 when some indicator is normalised against the year's own data. */
static int relative_norm(const idx_model *m) {
  for (size_t k = 0; k < m->n_ind; k++) {
    idx_norm n = idx_model_norm(m, (int)k)->method;
    if (n != IDX_NORM_GOALPOSTS && n != IDX_NORM_NONE) return 1;
  }
  return 0;
}

/* Units whose model indicators include an approximate (merged) value. */
static void mark_approx(divide_year *y, const year_result *p) {
  for (size_t u = 0; u < y->n_units; u++) y->approx[u] = (unsigned char)year_result_approx(p, u);
}

/* Inequality over the ranked units' total scores of the year's index. */
static int inequality(divide_year *y, const year_result *p, chiso_err *err) {
  double *x = chiso_malloc((y->n_units ? y->n_units : 1) * sizeof *x);
  int *g = chiso_malloc((y->n_units ? y->n_units : 1) * sizeof *g);
  size_t m = 0;
  int rc = x && g ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < y->n_units; i++) {
    y->score[i] = year_result_score(p, p->model->root, i);
    y->rank[i] = p->rank[i];
    if (!y->rank[i]) continue;
    x[m] = y->score[i];
    g[m++] = y->region[i];
  }
  if (!rc && m >= 2) {
    rc = inequality_inequality_compute(x, g, m, geo_region_count(y->era), &y->ineq, err);
    y->has_scores = !rc;
  }
  chiso_free(x);
  chiso_free(g);
  return rc;
}

/* The HN+HCM interval from the year's microdata (survey volume only). */
static int year_interval(divide_year *d, year_ctx *y, const divide_options *o, chiso_err *err) {
  const estimates *e = NULL;
  const survey_data *s = NULL;
  int rc = year_estimates(y, d->era, &e, &s, err);
  if (rc) return rc;
  const double *yv = NULL;
  for (size_t k = 0; k < e->n_specs; k++)
    if (strcmp(e->specs[k].id, DIVIDE_SALES_INDICATOR) == 0) yv = e->specs[k].y;
  double share;
  if (!yv) return CHISO_OK;
  return divide_share_interval(s, yv, estimator_weights(e->design), year_registry(y), d->era, o,
                               &share, &d->share_lo, &d->share_hi, d->interval, err);
}

static int year_body(divide_year *d, year_ctx *y, const divide_options *o, chiso_err *err) {
  const year_result *p = NULL;
  int rc = year_result_get(y, d->era, &p, err);
  if (!rc) rc = take_volume(d, p->table, o->volume, err);
  if (!rc && d->has_volume) rc = concentration(d, err);
  if (!rc && d->has_volume && !o->volume && o->interval != DIVIDE_CI_NONE)
    rc = year_interval(d, y, o, err);
  if (!rc) rc = inequality(d, p, err);
  if (!rc) mark_approx(d, p);
  if (!rc) d->relative_norm = relative_norm(p->model);
  return rc;
}

int divide_year_compute(year_ctx *y, const divide_options *opt, divide_year **out, chiso_err *err) {
  assert(y && out);
  divide_options def;
  if (!opt) divide_options_init(&def), opt = &def;
  geo_era era = opt->units_34 ? GEO_ERA_34 : year_own_era(y);
  divide_year *d = chiso_calloc(1, sizeof *d);
  *out = NULL;
  if (!d) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  d->year = year_number(y);
  d->era = era;
  int rc = year_alloc(d, year_registry(y)) ? chiso_err_set(err, CHISO_ENOMEM, "out of memory") : CHISO_OK;
  if (!rc) rc = harmonise_check_view(d->year, era, err);
  if (!rc) rc = year_body(d, y, opt, err);
  if (rc) {
    divide_year_free(d);
    return rc;
  }
  d->n_measures = inequality_measures(d->has_volume ? &d->conc : NULL, d->share_lo, d->share_hi,
                                      d->has_scores ? &d->ineq : NULL, d->measures);
  *out = d;
  return CHISO_OK;
}

/* estimates.c — estimates for front ends and the province x indicator table. */
#include "estimate/estimates.h"

#include "survey/harmonise.h"

#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void estimates_free(estimates *r) {
  if (!r) return;
  estimator_design_free(r->design);
  chiso_free(r->cells);
  estimator_specs_free(r->specs, r->owned, r->n_specs);
  chiso_free(r);
}

/* Build the design from r->specs and estimate everything. */
static int finish_run(const survey_data *s, const geo_registry *reg, geo_era era,
                      const estimator_options *opt, estimates *r, chiso_err *err) {
  int rc = estimator_design_new_units(s, reg, era, r->specs, r->n_specs, opt, &r->design, err);
  if (rc) return rc;
  size_t cells = estimator_domain_count(r->design) * (r->n_specs ? r->n_specs : 1);
  r->cells = chiso_calloc(cells, sizeof *r->cells);
  if (!r->cells) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return estimator_estimate_all(r->design, r->cells, err);
}

/* The specs and the design of the stored statistics: the year's own
** units, the codebook's indicators, no post-stratification, strata as
** stored (not crossed with the province). */
static int estimates_specs_design(const survey_data *s, const codebook *cb,
                                  const geo_registry *reg, estimates **out, chiso_err *err) {
  estimator_options o = {cb->design.min_respondents, 0, NULL};
  estimates *r = chiso_calloc(1, sizeof *r);
  *out = r;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = cb->n_indicators;
  int rc = estimator_specs_from_codebook(s, cb, &r->specs, &r->owned, err);
  if (!rc)
    rc = estimator_design_new_units(s, reg, geo_era_for_year(s->year), r->specs, r->n_specs, &o,
                                    &r->design, err);
  return rc;
}

int estimates_run(const survey_data *s, const codebook *cb, const geo_registry *reg,
            const estimator_options *opt, estimates **out, chiso_err *err) {
  return estimates_run_units(s, cb, reg, geo_era_for_year(s->year), opt, out, err);
}

int estimates_run_units(const survey_data *s, const codebook *cb, const geo_registry *reg,
                  geo_era era, const estimator_options *opt, estimates **out, chiso_err *err) {
  assert(s && cb && reg && out);
  estimator_options o = opt ? *opt : (estimator_options){0, 0, NULL};
  if (o.min_respondents == 0) o.min_respondents = cb->design.min_respondents;
  estimates *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = cb->n_indicators;
  int rc = estimator_specs_from_codebook(s, cb, &r->specs, &r->owned, err);
  if (!rc) rc = finish_run(s, reg, era, &o, r, err);
  if (rc) {
    estimates_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

int estimates_stats_encode(const survey_data *s, const codebook *cb, const geo_registry *reg,
                           unsigned char **out, size_t *len, chiso_err *err) {
  assert(s && cb && reg && out && len);
  estimates *r = NULL;
  *out = NULL;
  *len = 0;
  int rc = estimates_specs_design(s, cb, reg, &r, err);
  if (!rc) rc = estimator_stats_encode(r->design, out, len, err);
  estimates_free(r);
  return rc;
}

int estimates_from_stats(const unsigned char *blob, size_t len, const codebook *cb,
                         const geo_registry *reg, geo_era era, const estimator_options *opt,
                         estimates **out, chiso_err *err) {
  assert(blob && cb && reg && out);
  estimator_options o = opt ? *opt : (estimator_options){0, 0, NULL};
  if (o.min_respondents == 0) o.min_respondents = cb->design.min_respondents;
  estimates *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = cb->n_indicators;
  r->specs = chiso_calloc(r->n_specs ? r->n_specs : 1, sizeof *r->specs);
  r->owned = chiso_calloc(r->n_specs ? r->n_specs : 1, sizeof *r->owned);
  int rc = r->specs && r->owned ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t k = 0; !rc && k < r->n_specs; k++)
    r->specs[k] = (estimator_spec){cb->indicators[k].id, cb->indicators[k].kind, NULL, NULL};
  if (!rc)
    rc = estimator_design_from_stats(blob, len, reg, era, r->specs, r->n_specs, &o, &r->design, err);
  if (!rc) {
    size_t cells = estimator_domain_count(r->design) * (r->n_specs ? r->n_specs : 1);
    r->cells = chiso_calloc(cells, sizeof *r->cells);
    rc = r->cells ? estimator_estimate_all(r->design, r->cells, err)
                  : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (rc) {
    estimates_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

static int is_binary(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i]) && v[i] != 0 && v[i] != 1) return 0;
  return 1;
}

int estimates_run_vars(const survey_data *s, const geo_registry *reg, const estimator_options *opt,
                 estimates **out, chiso_err *err) {
  estimator_options o = opt ? *opt : (estimator_options){0, 0, NULL};
  estimates *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = s->n_vars;
  r->specs = chiso_calloc(s->n_vars ? s->n_vars : 1, sizeof *r->specs);
  int rc = r->specs ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t v = 0; !rc && v < s->n_vars; v++) {
    r->specs[v].id = s->vars[v].id;
    r->specs[v].y = s->vars[v].values;
    r->specs[v].kind = is_binary(s->vars[v].values, s->n) ? CODEBOOK_SHARE_YES : CODEBOOK_MEAN;
  }
  if (!rc) rc = finish_run(s, reg, geo_era_for_year(s->year), &o, r, err);
  if (rc) {
    estimates_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

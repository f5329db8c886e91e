/* est.c — estimates for front ends and the province x indicator table. */
#include "estimate/estimates.h"

#include "survey/harmonise.h"

#include "io/csvwrite.h"
#include "base/mem.h"

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

int estimates_run(const survey_data *s, const codebook *cb, const geo_registry *reg,
            const estimator_options *opt, estimates **out, chiso_err *err) {
  return estimates_run_units(s, cb, reg, geo_era_for_year(s->year), opt, out, err);
}

int estimates_run_units(const survey_data *s, const codebook *cb, const geo_registry *reg,
                  geo_era era, const estimator_options *opt, estimates **out, chiso_err *err) {
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

int estimates_write_csv(const estimates *r, int level, FILE *out) {
  const char *head[] = {"code", "indicator", "estimate", "se", "n", "weighted_n", "ranked"};
  int rc = csvwrite_row(out, head, 7, 0);
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; !rc && i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (level >= 0 && (int)dm->level != level) continue;
    for (size_t k = 0; !rc && k < K; k++) {
      const estimator_cell *c = &r->cells[i * K + k];
      char n[32];
      snprintf(n, sizeof n, "%ld", c->n);
      csvwrite_field(out, dm->code, 1);
      csvwrite_field(out, estimator_indicator_id(r->design, k), 0);
      csvwrite_number(out, c->estimate, 0);
      csvwrite_number(out, c->se, 0);
      csvwrite_field(out, n, 0);
      csvwrite_number(out, c->weighted_n, 0);
      csvwrite_field(out, dm->ranked ? "1" : "0", 0);
      rc = csvwrite_end_row(out, 0);
    }
  }
  return rc ? CHISO_EIO : CHISO_OK;
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

void estimates_stored_free(estimates_stored *x) {
  if (!x) return;
  estimates_free(x->result);
  codebook_free(x->cb);
  survey_free(x->survey);
  x->result = NULL;
  x->cb = NULL;
  x->survey = NULL;
}

/* Post-stratification cells by province cannot follow a re-assignment. */
static int check_population(const estimator_options *opt, chiso_err *err) {
  const estimator_population *p = opt ? opt->population : NULL;
  for (size_t c = 0; p && c < p->n; c++)
    if (p->province[c][0])
      return chiso_err_set(err, CHISO_EUSAGE,
                           "post-stratification by province is not available on the 34 units "
                           "for a year before %d (the counts are per former province)",
                           GEO_FIRST_34_YEAR);
  return CHISO_OK;
}

/* Re-assign to the 34 units, keeping strata crossed with the former province. */
static int to_34(const geo_registry *reg, survey_data *s, const estimator_options *opt,
                 estimator_options *o, chiso_err *err) {
  int rc = check_population(opt, err);
  if (!rc) rc = harmonise_survey_to_34(reg, s, err);
  if (!rc && o->strata_by_province) {
    rc = harmonise_strata_by_province(s, err);
    o->strata_by_province = 0;
  }
  return rc;
}

int estimates_stored_run(store *st, int year, geo_era era, const geo_registry *reg,
                   const estimator_options *opt, estimates_stored *out, chiso_err *err) {
  char *json = NULL;
  estimator_options o = opt ? *opt : (estimator_options){0, 0, NULL};
  memset(out, 0, sizeof *out);
  out->era = era;
  int rc = harmonise_check_view(year, era, err);
  if (!rc) rc = store_load_year(st, year, &out->survey, &json, err);
  if (!rc) rc = codebook_parse(json, "stored methodology", &out->cb, err);
  chiso_free(json);
  if (!rc && era != geo_era_for_year(year)) rc = to_34(reg, out->survey, opt, &o, err);
  if (!rc) rc = estimates_run_units(out->survey, out->cb, reg, era, &o, &out->result, err);
  if (rc) estimates_stored_free(out);
  return rc;
}

/* ------------------------------------------------------------------ */
/* The province x indicator table                                      */
/* ------------------------------------------------------------------ */

void estimates_table_free(estimates_table *t) {
  if (!t) return;
  for (size_t k = 0; t->indicator && k < t->n_indicators; k++) chiso_free(t->indicator[k]);
  chiso_free(t->indicator);
  chiso_free(t->external);
  chiso_free(t->code);
  chiso_free(t->respondents);
  chiso_free(t->ranked);
  chiso_free(t->value);
  chiso_free(t->se);
  chiso_free(t->n);
  chiso_free(t->approx);
  chiso_free(t);
}

static long find_id(char **ids, size_t n, const char *id) {
  for (size_t k = 0; k < n; k++)
    if (strcmp(ids[k], id) == 0) return (long)k;
  return -1;
}

/* Indicator ids: the survey's, then external ones not already there. */
static int table_indicators(estimates_table *t, const estimates *r, const store_indicator *ext,
                            size_t n_ext) {
  size_t cap = 0;
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = 0; k < ns + n_ext; k++) {
    const char *id = k < ns ? estimator_indicator_id(r->design, k) : ext[k - ns].indicator;
    if (find_id(t->indicator, t->n_indicators, id) >= 0) continue;
    if (chiso_grow((void **)&t->indicator, &cap, t->n_indicators + 1, sizeof *t->indicator))
      return CHISO_ENOMEM;
    if (!(t->indicator[t->n_indicators] = chiso_strdup(id))) return CHISO_ENOMEM;
    t->n_indicators++;
  }
  return CHISO_OK;
}

static int table_alloc(estimates_table *t, const geo_registry *reg) {
  geo_era era = t->era;
  size_t U = geo_count(reg, era), K = t->n_indicators ? t->n_indicators : 1;
  t->n_units = U;
  t->code = chiso_calloc(U, sizeof *t->code);
  t->respondents = chiso_calloc(U, sizeof *t->respondents);
  t->ranked = chiso_calloc(U, sizeof *t->ranked);
  t->external = chiso_calloc(K, sizeof *t->external);
  t->value = chiso_malloc(U * K * sizeof *t->value);
  t->se = chiso_malloc(U * K * sizeof *t->se);
  t->n = chiso_malloc(U * K * sizeof *t->n);
  t->approx = chiso_calloc(U * K, sizeof *t->approx);
  if (!t->code || !t->respondents || !t->ranked || !t->external || !t->value || !t->se || !t->n ||
      !t->approx)
    return CHISO_ENOMEM;
  for (size_t u = 0; u < U; u++) memcpy(t->code[u], geo_unit_at(reg, era, u)->code, 3);
  for (size_t j = 0; j < U * K; j++) {
    t->value[j] = t->se[j] = NAN;
    t->n[j] = 0;
  }
  return CHISO_OK;
}

static void table_fill_survey(estimates_table *t, const geo_registry *reg, const estimates *r) {
  geo_era era = t->era;
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (dm->level != ESTIMATOR_PROVINCE) continue;
    size_t u = (size_t)geo_find_code(reg, era, dm->code)->index;
    t->respondents[u] = dm->respondents;
    t->ranked[u] = dm->ranked && dm->respondents > 0;
    for (size_t k = 0; k < K; k++) {
      size_t c = (size_t)find_id(t->indicator, t->n_indicators, estimator_indicator_id(r->design, k));
      const estimator_cell *cell = &r->cells[i * K + k];
      t->value[u * t->n_indicators + c] = cell->estimate;
      t->se[u * t->n_indicators + c] = cell->se;
      t->n[u * t->n_indicators + c] = cell->n;
    }
  }
}

static void table_fill_external(estimates_table *t, const geo_registry *reg, const estimates *r,
                                const store_indicator *ext, size_t n_ext) {
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = ns; k < t->n_indicators; k++) {
    t->external[k] = 1;
    for (size_t u = 0; u < t->n_units; u++) t->n[u * t->n_indicators + k] = -1;
  }
  for (size_t j = 0; j < n_ext; j++) {
    long k = find_id(t->indicator, t->n_indicators, ext[j].indicator);
    const geo_unit *u = geo_find_code(reg, t->era, ext[j].code);
    if (!u || k < (long)ns) continue; /* a survey indicator wins over an import */
    t->value[(size_t)u->index * t->n_indicators + (size_t)k] = ext[j].value;
  }
}

/* Weights of the 63 former provinces for merging external indicators: the
** indicator "enterprises", else "population", else the survey's estimated
** enterprises (sum of design weights by former province). 1 when found. */
static int merge_weights(const geo_registry *reg, const store_indicator *ext, size_t n_ext,
                         const survey_data *s, double *w63) {
  static const char *const names[] = {"enterprises", "population"};
  for (size_t i = 0; i < 63; i++) w63[i] = NAN;
  for (size_t q = 0; q < 2; q++) {
    int found = 0;
    for (size_t j = 0; j < n_ext; j++) {
      const geo_unit *u = geo_find_code(reg, GEO_ERA_63, ext[j].code);
      if (!u || strcmp(ext[j].indicator, names[q]) != 0) continue;
      w63[u->index] = ext[j].value;
      found = 1;
    }
    if (found) return 1;
  }
  if (!s) return 0;
  for (size_t i = 0; i < s->n; i++) {
    const char *code = s->province_old[i][0] ? s->province_old[i] : s->province[i];
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, code);
    if (!u) continue;
    if (isnan(w63[u->index])) w63[u->index] = 0;
    w63[u->index] += s->weight ? s->weight[i] : 1.0;
  }
  return 1;
}

/* External indicators of a pre-2025 year on the 34 units: weighted means
** of the former provinces (harmonise_table_to_34), flagged approximate. */
static int table_merge_external(estimates_table *t, const geo_registry *reg, const estimates *r,
                                const store_indicator *ext, size_t n_ext,
                                const survey_data *s, chiso_err *err) {
  size_t ns = r ? r->n_specs : 0, K = t->n_indicators, k_ext = K - ns;
  double w63[63], *v63 = NULL, *v34 = NULL;
  unsigned char approx34[34];
  int rc = CHISO_OK;
  for (size_t k = ns; k < K; k++) t->external[k] = 1;
  for (size_t k = ns; k < K; k++)
    for (size_t u = 0; u < t->n_units; u++) t->n[u * K + k] = -1;
  if (k_ext == 0) return CHISO_OK;
  if (!merge_weights(reg, ext, n_ext, s, w63))
    return chiso_err_set(err, CHISO_EDATA,
                         "cannot put the indicators of %d on the 34 units: no \"enterprises\" or "
                         "\"population\" indicator and no survey to weight the former provinces",
                         t->year);
  v63 = chiso_malloc(63 * k_ext * sizeof *v63);
  v34 = chiso_malloc(34 * k_ext * sizeof *v34);
  if (!v63 || !v34) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t j = 0; !rc && j < 63 * k_ext; j++) v63[j] = NAN;
  for (size_t j = 0; !rc && j < n_ext; j++) {
    long k = find_id(t->indicator, K, ext[j].indicator);
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, ext[j].code);
    if (u && k >= (long)ns) v63[(size_t)u->index * k_ext + (size_t)k - ns] = ext[j].value;
  }
  if (!rc) rc = harmonise_table_to_34(reg, v63, k_ext, w63, v34, approx34, NULL, err);
  for (size_t u = 0; !rc && u < t->n_units; u++)
    for (size_t k = ns; k < K; k++) {
      t->value[u * K + k] = v34[u * k_ext + k - ns];
      t->approx[u * K + k] = approx34[u] && !isnan(t->value[u * K + k]);
    }
  chiso_free(v63);
  chiso_free(v34);
  return rc;
}

int estimates_province_table(store *st, int year, const geo_registry *reg, const estimator_options *opt,
                       estimates_table **out, chiso_err *err) {
  return estimates_province_table_units(st, year, geo_era_for_year(year), reg, opt, out, err);
}

int estimates_province_table_units(store *st, int year, geo_era era, const geo_registry *reg,
                             const estimator_options *opt, estimates_table **out, chiso_err *err) {
  estimates_stored sv = {0};
  store_indicator *ext = NULL;
  size_t n_ext = 0;
  estimates_table *t = NULL;
  *out = NULL;
  int rc = estimates_stored_run(st, year, era, reg, opt, &sv, err);
  if (rc == CHISO_ENOTFOUND) {
    chiso_err_clear(err);
    rc = CHISO_OK;
  }
  const estimates *r = sv.result;
  if (!rc) rc = store_get_indicators(st, year, &ext, &n_ext, err);
  if (!rc && !r && n_ext == 0)
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "nothing stored for %d", year);
  if (!rc && !(t = chiso_calloc(1, sizeof *t))) rc = CHISO_ENOMEM;
  if (!rc) {
    t->year = year;
    t->era = era;
    rc = table_indicators(t, r, ext, n_ext);
  }
  if (!rc) rc = table_alloc(t, reg);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (!rc) {
    if (r) table_fill_survey(t, reg, r);
    if (era == geo_era_for_year(year)) table_fill_external(t, reg, r, ext, n_ext);
    else rc = table_merge_external(t, reg, r, ext, n_ext, sv.survey, err);
  }
  if (!rc) {
    *out = t;
    t = NULL;
  }
  estimates_table_free(t);
  estimates_stored_free(&sv);
  store_indicators_free(ext, n_ext);
  return rc;
}

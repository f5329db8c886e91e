/* est.c — estimates for front ends and the province x indicator table. */
#include "est.h"

#include "csvout.h"
#include "mem.h"

#include <math.h>
#include <string.h>

void est_result_free(est_result *r) {
  if (!r) return;
  svy_design_free(r->design);
  chiso_free(r->cells);
  svy_specs_free(r->specs, r->owned, r->n_specs);
  chiso_free(r);
}

/* Build the design from r->specs and estimate everything. */
static int finish_run(const survey_data *s, const geo_registry *reg, const svy_options *opt,
                      est_result *r, chiso_err *err) {
  int rc = svy_design_new(s, reg, r->specs, r->n_specs, opt, &r->design, err);
  if (rc) return rc;
  size_t cells = svy_domain_count(r->design) * (r->n_specs ? r->n_specs : 1);
  r->cells = chiso_calloc(cells, sizeof *r->cells);
  if (!r->cells) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return svy_estimate_all(r->design, r->cells, err);
}

int est_run(const survey_data *s, const codebook *cb, const geo_registry *reg,
            const svy_options *opt, est_result **out, chiso_err *err) {
  svy_options o = opt ? *opt : (svy_options){0, 0, NULL};
  if (o.min_respondents == 0) o.min_respondents = cb->design.min_respondents;
  est_result *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = cb->n_indicators;
  int rc = svy_specs_from_codebook(s, cb, &r->specs, &r->owned, err);
  if (!rc) rc = finish_run(s, reg, &o, r, err);
  if (rc) {
    est_result_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

int est_write_csv(const est_result *r, int level, FILE *out) {
  const char *head[] = {"code", "indicator", "estimate", "se", "n", "weighted_n", "ranked"};
  int rc = csvout_row(out, head, 7, 0);
  size_t K = svy_indicator_count(r->design);
  for (size_t i = 0; !rc && i < svy_domain_count(r->design); i++) {
    const svy_domain *dm = svy_domain_at(r->design, i);
    if (level >= 0 && (int)dm->level != level) continue;
    for (size_t k = 0; !rc && k < K; k++) {
      const svy_cell *c = &r->cells[i * K + k];
      char n[32];
      snprintf(n, sizeof n, "%ld", c->n);
      csvout_field(out, dm->code, 1);
      csvout_field(out, svy_indicator_id(r->design, k), 0);
      csvout_number(out, c->estimate, 0);
      csvout_number(out, c->se, 0);
      csvout_field(out, n, 0);
      csvout_number(out, c->weighted_n, 0);
      csvout_field(out, dm->ranked ? "1" : "0", 0);
      rc = csvout_end_row(out, 0);
    }
  }
  return rc ? CHISO_EIO : CHISO_OK;
}

static int is_binary(const double *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isnan(v[i]) && v[i] != 0 && v[i] != 1) return 0;
  return 1;
}

int est_run_vars(const survey_data *s, const geo_registry *reg, const svy_options *opt,
                 est_result **out, chiso_err *err) {
  svy_options o = opt ? *opt : (svy_options){0, 0, NULL};
  est_result *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->n_specs = s->n_vars;
  r->specs = chiso_calloc(s->n_vars ? s->n_vars : 1, sizeof *r->specs);
  int rc = r->specs ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t v = 0; !rc && v < s->n_vars; v++) {
    r->specs[v].id = s->vars[v].id;
    r->specs[v].y = s->vars[v].values;
    r->specs[v].kind = is_binary(s->vars[v].values, s->n) ? CB_IND_SHARE_YES : CB_IND_MEAN;
  }
  if (!rc) rc = finish_run(s, reg, &o, r, err);
  if (rc) {
    est_result_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

/* ------------------------------------------------------------------ */
/* The province x indicator table                                      */
/* ------------------------------------------------------------------ */

void est_table_free(est_table *t) {
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
  chiso_free(t);
}

static long find_id(char **ids, size_t n, const char *id) {
  for (size_t k = 0; k < n; k++)
    if (strcmp(ids[k], id) == 0) return (long)k;
  return -1;
}

/* Indicator ids: the survey's, then external ones not already there. */
static int table_indicators(est_table *t, const est_result *r, const store_indicator *ext,
                            size_t n_ext) {
  size_t cap = 0;
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = 0; k < ns + n_ext; k++) {
    const char *id = k < ns ? svy_indicator_id(r->design, k) : ext[k - ns].indicator;
    if (find_id(t->indicator, t->n_indicators, id) >= 0) continue;
    if (chiso_grow((void **)&t->indicator, &cap, t->n_indicators + 1, sizeof *t->indicator))
      return CHISO_ENOMEM;
    if (!(t->indicator[t->n_indicators] = chiso_strdup(id))) return CHISO_ENOMEM;
    t->n_indicators++;
  }
  return CHISO_OK;
}

static int table_alloc(est_table *t, const geo_registry *reg) {
  geo_era era = geo_era_for_year(t->year);
  size_t U = geo_count(reg, era), K = t->n_indicators ? t->n_indicators : 1;
  t->n_units = U;
  t->code = chiso_calloc(U, sizeof *t->code);
  t->respondents = chiso_calloc(U, sizeof *t->respondents);
  t->ranked = chiso_calloc(U, sizeof *t->ranked);
  t->external = chiso_calloc(K, sizeof *t->external);
  t->value = chiso_malloc(U * K * sizeof *t->value);
  t->se = chiso_malloc(U * K * sizeof *t->se);
  t->n = chiso_malloc(U * K * sizeof *t->n);
  if (!t->code || !t->respondents || !t->ranked || !t->external || !t->value || !t->se || !t->n)
    return CHISO_ENOMEM;
  for (size_t u = 0; u < U; u++) memcpy(t->code[u], geo_unit_at(reg, era, u)->code, 3);
  for (size_t j = 0; j < U * K; j++) {
    t->value[j] = t->se[j] = NAN;
    t->n[j] = 0;
  }
  return CHISO_OK;
}

static void table_fill_survey(est_table *t, const geo_registry *reg, const est_result *r) {
  geo_era era = geo_era_for_year(t->year);
  size_t K = svy_indicator_count(r->design);
  for (size_t i = 0; i < svy_domain_count(r->design); i++) {
    const svy_domain *dm = svy_domain_at(r->design, i);
    if (dm->level != SVY_PROVINCE) continue;
    size_t u = (size_t)geo_find_code(reg, era, dm->code)->index;
    t->respondents[u] = dm->respondents;
    t->ranked[u] = dm->ranked && dm->respondents > 0;
    for (size_t k = 0; k < K; k++) {
      size_t c = (size_t)find_id(t->indicator, t->n_indicators, svy_indicator_id(r->design, k));
      const svy_cell *cell = &r->cells[i * K + k];
      t->value[u * t->n_indicators + c] = cell->estimate;
      t->se[u * t->n_indicators + c] = cell->se;
      t->n[u * t->n_indicators + c] = cell->n;
    }
  }
}

static void table_fill_external(est_table *t, const geo_registry *reg, const est_result *r,
                                const store_indicator *ext, size_t n_ext) {
  geo_era era = geo_era_for_year(t->year);
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = ns; k < t->n_indicators; k++) {
    t->external[k] = 1;
    for (size_t u = 0; u < t->n_units; u++) t->n[u * t->n_indicators + k] = -1;
  }
  for (size_t j = 0; j < n_ext; j++) {
    long k = find_id(t->indicator, t->n_indicators, ext[j].indicator);
    const geo_unit *u = geo_find_code(reg, era, ext[j].code);
    if (!u || k < (long)ns) continue; /* a survey indicator wins over an import */
    t->value[(size_t)u->index * t->n_indicators + (size_t)k] = ext[j].value;
  }
}

/* The stored survey of the year, estimated; *r stays NULL when none. */
static int survey_part(store *st, int year, const geo_registry *reg, const svy_options *opt,
                       survey_data **s, codebook **cb, est_result **r, chiso_err *err) {
  char *json = NULL;
  int rc = store_load_year(st, year, s, &json, err);
  if (rc == CHISO_ENOTFOUND) {
    chiso_err_clear(err);
    return CHISO_OK;
  }
  if (!rc) rc = codebook_parse(json, "stored methodology", cb, err);
  chiso_free(json);
  if (!rc) rc = est_run(*s, *cb, reg, opt, r, err);
  return rc;
}

int est_province_table(store *st, int year, const geo_registry *reg, const svy_options *opt,
                       est_table **out, chiso_err *err) {
  survey_data *s = NULL;
  codebook *cb = NULL;
  est_result *r = NULL;
  store_indicator *ext = NULL;
  size_t n_ext = 0;
  est_table *t = NULL;
  *out = NULL;
  int rc = survey_part(st, year, reg, opt, &s, &cb, &r, err);
  if (!rc) rc = store_get_indicators(st, year, &ext, &n_ext, err);
  if (!rc && !r && n_ext == 0)
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "nothing stored for %d", year);
  if (!rc && !(t = chiso_calloc(1, sizeof *t))) rc = CHISO_ENOMEM;
  if (!rc) {
    t->year = year;
    rc = table_indicators(t, r, ext, n_ext);
  }
  if (!rc) rc = table_alloc(t, reg);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (!rc) {
    if (r) table_fill_survey(t, reg, r);
    table_fill_external(t, reg, r, ext, n_ext);
    *out = t;
    t = NULL;
  }
  est_table_free(t);
  est_result_free(r);
  codebook_free(cb);
  survey_free(s);
  store_indicators_free(ext, n_ext);
  return rc;
}

/* pipeline.c — the index of a stored year: estimates → idx_data → run. */
#include "year/pipeline.h"

#include "survey/codebook.h"
#include "index/idxio.h"
#include "base/mem.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void pipeline_options_init(pipeline_options *o) {
  memset(o, 0, sizeof *o);
  idx_options_init(&o->run);
}

void pipeline_result_free(pipeline_result *r) {
  if (!r) return;
  idx_workspace_free(r->ws);
  idx_plan_free(r->plan);
  idx_data_free(r->data);
  idx_model_free(r->model);
  estimates_table_free(r->table);
  for (size_t i = 0; r->note && i < r->n_units; i++) chiso_free(r->note[i]);
  chiso_free(r->note);
  chiso_free(r->region);
  chiso_free(r->weights);
  chiso_free((void *)r->absent);
  chiso_free(r);
}

double pipeline_score(const pipeline_result *r, int node, size_t i) {
  return r->scores[(size_t)node * r->n_units + i];
}

long pipeline_unit(const pipeline_result *r, const char *code) {
  for (size_t i = 0; i < r->n_units; i++)
    if (strcmp(r->data->code[i], code) == 0) return (long)i;
  return -1;
}

int pipeline_unit_approx(const pipeline_result *r, size_t i) {
  const estimates_table *t = r->table;
  for (size_t k = 0; k < r->model->n_ind; k++)
    for (size_t c = 0; c < t->n_indicators; c++)
      if (t->approx[i * t->n_indicators + c] && !strcmp(t->indicator[c], r->model->nodes[k].id))
        return 1;
  return 0;
}

/* ---- methodology ---------------------------------------------------- */

/* The error for a year without survey imports and no --method: when
** nothing at all is stored for the year, say so and list the stored years;
** else (external indicators only) ask for a methodology. */
static int no_method_error(store *st, int year, chiso_err *err) {
  int *years = NULL, found = 0;
  size_t n = 0;
  char list[256] = "";
  chiso_err_clear(err);
  int rc = store_years(st, &years, &n, err);
  if (rc) return rc;
  for (size_t i = 0, len = 0; i < n; i++) {
    found |= years[i] == year;
    if (len < sizeof list - 8)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", years[i]);
  }
  chiso_free(years);
  if (found)
    return chiso_err_set(err, CHISO_ENOTFOUND,
                         "no survey imported for %d, so no stored methodology: give --method", year);
  return chiso_err_set(err, CHISO_ENOTFOUND, "nothing stored for %d (stored years: %s)", year,
                       n ? list : "none");
}

/* The model and the survey minimum: from o->method, or from the
** methodology stored with the year's imports. A year without imports
** (external indicators only) needs o->method. */
static int load_model(store *st, int year, const pipeline_options *o, pipeline_result *r,
                      chiso_err *err) {
  char *json = NULL;
  codebook *cb = NULL;
  int rc = store_year_method(st, year, &json, err);
  if (rc == CHISO_ENOTFOUND && o->method) {
    chiso_err_clear(err);
    rc = CHISO_OK;
  } else if (rc == CHISO_ENOTFOUND) {
    rc = no_method_error(st, year, err);
  }
  if (!rc && json) rc = codebook_parse(json, "stored methodology", &cb, err);
  if (!rc)
    rc = o->method ? idxio_load_method(o->method, &r->model, err)
                   : idxio_parse_method(json, strlen(json), "stored methodology", &r->model, err);
  if (!rc) r->min_respondents = o->min_respondents ? o->min_respondents
                                : cb ? cb->design.min_respondents : 0;
  codebook_free(cb);
  chiso_free(json);
  return rc;
}

/* ---- the data table ------------------------------------------------- */

static int table_has_survey(const estimates_table *t) {
  for (size_t k = 0; k < t->n_indicators; k++)
    if (!t->external[k]) return 1;
  return 0;
}

static long table_col(const estimates_table *t, const char *id) {
  for (size_t k = 0; k < t->n_indicators; k++)
    if (strcmp(t->indicator[k], id) == 0) return (long)k;
  return -1;
}

/* Units: code, name, region id, and a note for a unit the survey cannot
** rank (the EBI reports such provinces without a rank). */
static int fill_units(pipeline_result *r, const geo_registry *reg) {
  const estimates_table *t = r->table;
  geo_era era = t->era;
  int survey = table_has_survey(t);
  for (size_t i = 0; i < r->n_units; i++) {
    const geo_unit *u = geo_unit_at(reg, era, i);
    r->region[i] = u->region;
    if (idx_data_set_unit(r->data, i, t->code[i], u->name, geo_region_id(era, u->region)))
      return CHISO_ENOMEM;
    if (!survey || t->ranked[i]) continue;
    char note[96];
    if (t->respondents[i] == 0) snprintf(note, sizeof note, "no respondents");
    else snprintf(note, sizeof note, "%ld respondents < %d", t->respondents[i], r->min_respondents);
    if (idx_data_set_note(r->data, i, note)) return CHISO_ENOMEM;
  }
  return CHISO_OK;
}

/* One column per model indicator; one the table lacks stays all NaN. */
static int fill_columns(pipeline_result *r) {
  const estimates_table *t = r->table;
  const idx_model *m = r->model;
  for (size_t k = 0; k < m->n_ind; k++) {
    if (idx_data_set_col(r->data, k, m->nodes[k].id)) return CHISO_ENOMEM;
    long c = table_col(t, m->nodes[k].id);
    int any = 0;
    for (size_t i = 0; c >= 0 && i < r->n_units; i++) {
      double v = t->value[i * t->n_indicators + (size_t)c];
      *idx_data_at(r->data, k, i) = v;
      any |= !isnan(v);
    }
    if (!any) r->absent[r->n_absent++] = m->nodes[k].id;
  }
  return CHISO_OK;
}

static int build_data(pipeline_result *r, const geo_registry *reg, chiso_err *err) {
  size_t U = r->table->n_units, K = r->model->n_ind;
  r->n_units = U;
  r->n_nodes = r->model->n_nodes;
  r->data = idx_data_new(U, K);
  r->note = chiso_calloc(U ? U : 1, sizeof *r->note);
  r->region = chiso_calloc(U ? U : 1, sizeof *r->region);
  r->absent = chiso_calloc(K ? K : 1, sizeof *r->absent);
  r->respondents = r->table->respondents;
  int rc = r->data && r->note && r->region && r->absent ? CHISO_OK : CHISO_ENOMEM;
  if (!rc) rc = fill_units(r, reg);
  if (!rc) rc = fill_columns(r);
  return rc ? chiso_err_set(err, rc, "out of memory") : CHISO_OK;
}

/* ---- the run -------------------------------------------------------- */

static int load_weights(const pipeline_options *o, pipeline_result *r, chiso_err *err) {
  const idx_model *m = r->model;
  r->weights = chiso_malloc(m->n_nodes * sizeof *r->weights);
  if (!r->weights) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < m->n_nodes; i++) r->weights[i] = NAN;
  int rc = o->weights ? idxio_load_weights(o->weights, m, r->weights, err) : CHISO_OK;
  for (size_t i = 0; !rc && i < m->n_nodes; i++)
    if (isnan(r->weights[i])) r->weights[i] = m->nodes[i].weight;
  return rc;
}

static int run_index(const pipeline_options *o, pipeline_result *r, chiso_err *err) {
  int rc = load_weights(o, r, err);
  if (!rc) rc = idx_plan_new(r->model, r->data, &r->plan, err);
  if (!rc && !(r->ws = idx_workspace_new(r->plan)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  idx_options run = o->run;
  if (o->weights) run.weights = r->weights;
  if (!rc) rc = idx_run(r->plan, r->ws, &run, err);
  if (rc) return rc;
  r->scores = idx_scores(r->ws);
  r->rank = idx_ranks(r->ws);
  for (size_t i = 0; i < r->n_units; i++) {
    char buf[512];
    idx_unranked_text(r->plan, r->ws, i, buf, sizeof buf);
    if (!(r->note[i] = chiso_strdup(buf))) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  return CHISO_OK;
}

int pipeline_compute(store *st, int year, const geo_registry *reg, const pipeline_options *o,
                 pipeline_result **out, chiso_err *err) {
  pipeline_options defaults;
  if (!o) {
    pipeline_options_init(&defaults);
    o = &defaults;
  }
  *out = NULL;
  pipeline_result *r = chiso_calloc(1, sizeof *r);
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  r->year = year;
  int rc = load_model(st, year, o, r, err);
  estimator_options so = {r->min_respondents, 0, o->population};
  geo_era era = o->units_34 ? GEO_ERA_34 : geo_era_for_year(year);
  if (!rc) rc = estimates_province_table_units(st, year, era, reg, &so, &r->table, err);
  if (!rc) rc = build_data(r, reg, err);
  if (!rc) rc = run_index(o, r, err);
  if (rc) {
    pipeline_result_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

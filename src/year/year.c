/* year.c — one stored year, loaded once (year.h). */
#include "year/year.h"

#include "base/mem.h"
#include "index/idxio.h"
#include "survey/harmonise.h"
#include "year/population.h"
#include "uncertainty/replicates.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* What is derived for one set of units. */
typedef struct view {
  int done_estimates;       /* 1 once estimates (or their absence) are known */
  survey_data *survey;      /* the respondents on these units: a view of the
                               stored survey when re-assigned, else NULL (the
                               stored survey is used) */
  estimates *est;
  unittable *table;
  year_result *result;
  year_replicates rep;      /* rep.tables NULL until asked */
} view;

struct year_ctx {
  int year;
  const geo_registry *reg;
  year_options opt;
  survey_data *survey;      /* the stored respondents (NULL: no survey) */
  char *method_json;        /* NULL when no survey */
  char method_hash[65];
  codebook *cb;
  store_indicator *ext;
  size_t n_ext;
  store_import_info *imports;
  size_t n_imports;
  char *indicator_files;    /* the official-indicator files of the year: lines
                               "FILE<TAB>SHA-256<TAB>VALUES" (NULL: none noted) */
  int synthetic;
  estimator_population *population; /* from opt.population_file, or NULL */
  idx_model *model;         /* loaded with the first index */
  view views[2];            /* by geo_era */
};

void year_options_init(year_options *o) {
  memset(o, 0, sizeof *o);
  idx_options_init(&o->run);
}

static int nomem(chiso_err *err) { return chiso_err_set(err, CHISO_ENOMEM, "out of memory"); }

/* ---- loading ------------------------------------------------------------ */

/* "nothing stored for Y (stored years: ...)". */
static int nothing_stored(store *st, int year, chiso_err *err) {
  int *years = NULL;
  size_t n = 0;
  char list[256] = "";
  chiso_err_clear(err);
  int rc = store_years(st, &years, &n, err);
  if (rc) return rc;
  for (size_t i = 0, len = 0; i < n; i++)
    if (len < sizeof list - 8)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", years[i]);
  chiso_free(years);
  return chiso_err_set(err, CHISO_ENOTFOUND, "nothing stored for %d (stored years: %s)", year,
                       n ? list : "none");
}

/* The imports of the year and the synthetic mark. */
static int load_imports(year_ctx *y, store *st, chiso_err *err) {
  store_import_info *all = NULL;
  size_t n = 0;
  int rc = store_list(st, &all, &n, err);
  if (!rc && n && !(y->imports = chiso_calloc(n, sizeof *y->imports))) rc = nomem(err);
  for (size_t i = 0; !rc && i < n; i++) {
    if (all[i].year != y->year) continue;
    int mark = 0;
    rc = store_is_synthetic(st, all[i].id, &mark, err);
    y->synthetic |= mark;
    y->imports[y->n_imports++] = all[i];
  }
  chiso_free(all);
  return rc;
}

static int load_survey(year_ctx *y, store *st, chiso_err *err) {
  int rc = store_load_year(st, y->year, &y->survey, &y->method_json, err);
  if (rc == CHISO_ENOTFOUND) {
    chiso_err_clear(err);
    return CHISO_OK;
  }
  if (!rc && store_sha256_mem(y->method_json, strlen(y->method_json), y->method_hash))
    rc = chiso_err_set(err, CHISO_EINTERNAL, "SHA-256 failed");
  if (!rc) rc = codebook_parse(y->method_json, "stored methodology", &y->cb, err);
  return rc;
}

int year_load(store *st, const geo_registry *reg, int year_no, const year_options *o, year_ctx **out,
              chiso_err *err) {
  assert(st && reg && out);
  *out = NULL;
  year_ctx *y = chiso_calloc(1, sizeof *y);
  if (!y) return nomem(err);
  y->year = year_no;
  y->reg = reg;
  if (o) y->opt = *o;
  else year_options_init(&y->opt);
  int rc = y->opt.population_file
               ? population_read(y->opt.population_file, reg, year_no, &y->population, err)
               : CHISO_OK;
  if (!rc) rc = load_survey(y, st, err);
  if (!rc) rc = store_get_indicators(st, year_no, &y->ext, &y->n_ext, err);
  if (!rc && !y->survey && y->n_ext == 0) rc = nothing_stored(st, year_no, err);
  if (!rc) rc = load_imports(y, st, err);
  if (!rc) {
    char key[48];
    snprintf(key, sizeof key, "indicator_files.%d", year_no);
    rc = store_meta_get(st, key, &y->indicator_files, err);
  }
  if (rc) {
    year_free(y);
    return rc;
  }
  *out = y;
  return CHISO_OK;
}

static void result_free(year_result *r) {
  if (!r) return;
  idx_workspace_free(r->ws);
  idx_plan_free(r->plan);
  idx_data_free(r->data);
  for (size_t i = 0; r->note && i < r->n_units; i++) chiso_free(r->note[i]);
  chiso_free(r->note);
  chiso_free(r->region);
  chiso_free(r->weights);
  chiso_free((void *)r->absent);
  chiso_free(r);
}

static void view_clear(view *v) {
  result_free(v->result);
  unittable_free(v->table);
  estimates_free(v->est);
  survey_free(v->survey);
  chiso_free(v->rep.tables);
  memset(v, 0, sizeof *v);
}

void year_free(year_ctx *y) {
  if (!y) return;
  for (int e = 0; e < 2; e++) view_clear(&y->views[e]);
  idx_model_free(y->model);
  population_free(y->population);
  survey_free(y->survey);
  chiso_free(y->method_json);
  codebook_free(y->cb);
  store_indicators_free(y->ext, y->n_ext);
  chiso_free(y->imports);
  chiso_free(y->indicator_files);
  chiso_free(y);
}

int year_number(const year_ctx *y) { return y->year; }
geo_era year_own_era(const year_ctx *y) { return geo_era_for_year(y->year); }
int year_has_survey(const year_ctx *y) { return y->survey != NULL; }
const geo_registry *year_registry(const year_ctx *y) { return y->reg; }
int year_synthetic(const year_ctx *y) { return y->synthetic; }
const char *year_method_json(const year_ctx *y) { return y->method_json; }
const char *year_method_hash(const year_ctx *y) { return y->survey ? y->method_hash : NULL; }
const codebook *year_codebook(const year_ctx *y) { return y->cb; }
const char *year_indicator_files(const year_ctx *y) { return y->indicator_files; }

const store_import_info *year_imports(const year_ctx *y, size_t *n) {
  *n = y->n_imports;
  return y->imports;
}

/* ---- estimates ------------------------------------------------------------ */

/* Post-stratification cells by province cannot follow a re-assignment. */
static int check_population(const estimator_population *p, chiso_err *err) {
  for (size_t c = 0; p && c < p->n; c++)
    if (p->province[c][0])
      return chiso_err_set(err, CHISO_EUSAGE,
                           "post-stratification by province is not available on the 34 units "
                           "for a year before %d (the counts are per former province)",
                           GEO_FIRST_34_YEAR);
  return CHISO_OK;
}

/* The respondents of a year before 2025 on the 34 units, strata kept
** (crossed with the former province with strata_by_province). */
static int reassign(year_ctx *y, view *v, estimator_options *o, chiso_err *err) {
  int rc = check_population(o->population, err);
  if (!rc && !(v->survey = survey_new_view(y->survey))) rc = nomem(err);
  if (!rc) rc = harmonise_survey_to_34(y->reg, v->survey, err);
  if (!rc && o->strata_by_province) {
    rc = harmonise_strata_by_province(v->survey, err);
    o->strata_by_province = 0;
  }
  return rc;
}

static int view_estimates(year_ctx *y, geo_era era, chiso_err *err) {
  view *v = &y->views[era];
  int rc = harmonise_check_view(y->year, era, err);
  if (rc || v->done_estimates || !y->survey) return rc;
  estimator_options o = {y->opt.min_respondents, y->opt.strata_by_province, y->population};
  if (era != year_own_era(y)) rc = reassign(y, v, &o, err);
  if (!rc) rc = estimates_run_units(v->survey ? v->survey : y->survey, y->cb, y->reg, era, &o,
                                    &v->est, err);
  if (rc) {
    survey_free(v->survey);
    v->survey = NULL;
    return rc;
  }
  v->done_estimates = 1;
  return CHISO_OK;
}

int year_estimates(year_ctx *y, geo_era era, const estimates **out, const survey_data **survey,
                   chiso_err *err) {
  assert(y && out);
  *out = NULL;
  if (survey) *survey = NULL;
  int rc = view_estimates(y, era, err);
  if (rc) return rc;
  if (!y->survey)
    return chiso_err_set(err, CHISO_ENOTFOUND, "no survey imported for %d", y->year);
  *out = y->views[era].est;
  if (survey) *survey = y->views[era].survey ? y->views[era].survey : y->survey;
  return CHISO_OK;
}

int year_table(year_ctx *y, geo_era era, const unittable **out, chiso_err *err) {
  assert(y && out);
  view *v = &y->views[era];
  *out = NULL;
  int rc = view_estimates(y, era, err);
  if (!rc && !v->table)
    rc = unittable_build(y->reg, y->year, era, v->est, v->survey ? v->survey : y->survey, y->ext,
                         y->n_ext, &v->table, err);
  if (!rc) *out = v->table;
  return rc;
}

/* ---- the index ------------------------------------------------------------------- */

/* The model: from the options, or the methodology stored with the imports.
** A year without a survey (external indicators only) needs one given. */
static int load_model(year_ctx *y, chiso_err *err) {
  if (y->model) return CHISO_OK;
  if (y->opt.method) return idxio_load_method(y->opt.method, &y->model, err);
  if (!y->method_json) {
    chiso_err_set(err, CHISO_ENOTFOUND,
                  "no survey imported for %d, so no stored methodology", y->year);
    return chiso_err_hint(err, CHISO_HINT_METHOD);
  }
  return idxio_parse_method(y->method_json, strlen(y->method_json), "stored methodology",
                            &y->model, err);
}

static int table_has_survey(const unittable *t) {
  for (size_t k = 0; k < t->n_indicators; k++)
    if (!t->external[k]) return 1;
  return 0;
}

/* Units: code, name, region id, and a note for a unit the survey cannot
** rank (the EBI reports such provinces without a rank). */
static int fill_units(year_result *r, const geo_registry *reg) {
  const unittable *t = r->table;
  int survey = table_has_survey(t);
  for (size_t i = 0; i < r->n_units; i++) {
    const geo_unit *u = geo_unit_at(reg, r->era, i);
    r->region[i] = u->region;
    if (idx_data_set_unit(r->data, i, t->code[i], u->name, geo_region_id(r->era, u->region)))
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
static int fill_columns(year_result *r) {
  const unittable *t = r->table;
  const idx_model *m = r->model;
  for (size_t k = 0; k < m->n_ind; k++) {
    if (idx_data_set_col(r->data, k, m->nodes[k].id)) return CHISO_ENOMEM;
    long c = unittable_col(t, m->nodes[k].id);
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

static int build_data(year_result *r, const geo_registry *reg, chiso_err *err) {
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
  return rc ? nomem(err) : CHISO_OK;
}

static int load_weights(const year_options *o, year_result *r, chiso_err *err) {
  const idx_model *m = r->model;
  r->weights = chiso_malloc(m->n_nodes * sizeof *r->weights);
  if (!r->weights) return nomem(err);
  for (size_t i = 0; i < m->n_nodes; i++) r->weights[i] = NAN;
  int rc = o->weights ? idxio_load_weights(o->weights, m, r->weights, err) : CHISO_OK;
  for (size_t i = 0; !rc && i < m->n_nodes; i++)
    if (isnan(r->weights[i])) r->weights[i] = m->nodes[i].weight;
  return rc;
}

static int run_index(const year_options *o, year_result *r, chiso_err *err) {
  int rc = load_weights(o, r, err);
  if (!rc) rc = idx_plan_new(r->model, r->data, &r->plan, err);
  if (!rc && !(r->ws = idx_workspace_new(r->plan))) rc = nomem(err);
  idx_options run = o->run;
  if (o->weights) run.weights = r->weights;
  if (!rc) rc = idx_run(r->plan, r->ws, &run, err);
  if (rc) return rc;
  r->scores = idx_scores(r->ws);
  r->rank = idx_ranks(r->ws);
  for (size_t i = 0; i < r->n_units; i++) {
    char buf[512];
    idx_unranked_text(r->plan, r->ws, i, buf, sizeof buf);
    if (!(r->note[i] = chiso_strdup(buf))) return nomem(err);
  }
  return CHISO_OK;
}

int year_result_get(year_ctx *y, geo_era era, const year_result **out, chiso_err *err) {
  assert(y && out);
  view *v = &y->views[era];
  *out = NULL;
  if (v->result) {
    *out = v->result;
    return CHISO_OK;
  }
  year_result *r = chiso_calloc(1, sizeof *r);
  if (!r) return nomem(err);
  r->era = era;
  int rc = load_model(y, err);
  if (!rc) {
    r->model = y->model;
    r->min_respondents = y->opt.min_respondents ? y->opt.min_respondents
                         : y->cb ? y->cb->design.min_respondents : 0;
    rc = year_table(y, era, &r->table, err);
  }
  if (!rc) rc = build_data(r, y->reg, err);
  if (!rc) rc = run_index(&y->opt, r, err);
  if (rc) {
    result_free(r);
    return rc;
  }
  *out = v->result = r;
  return CHISO_OK;
}

double year_result_score(const year_result *r, int node, size_t i) {
  return r->scores[(size_t)node * r->n_units + i];
}

long year_result_unit(const year_result *r, const char *code) {
  for (size_t i = 0; i < r->n_units; i++)
    if (strcmp(r->data->code[i], code) == 0) return (long)i;
  return -1;
}

int year_result_approx(const year_result *r, size_t i) {
  const unittable *t = r->table;
  for (size_t k = 0; k < r->model->n_ind; k++)
    for (size_t c = 0; c < t->n_indicators; c++)
      if (t->approx[i * t->n_indicators + c] && !strcmp(t->indicator[c], r->model->nodes[k].id))
        return 1;
  return 0;
}

/* ---- bootstrap replicates ------------------------------------------------------ */

int year_replicates_get(year_ctx *y, geo_era era, size_t R, uint64_t seed, int threads,
                        chiso_progress_fn progress, void *progress_ud,
                        const year_replicates **out, chiso_err *err) {
  assert(y && out);
  view *v = &y->views[era];
  const year_result *r = NULL;
  const estimates *e = NULL;
  *out = NULL;
  if (v->rep.tables && v->rep.n_replicates == R && v->rep.seed == seed) {
    *out = &v->rep;
    return CHISO_OK;
  }
  if (R < 2) return chiso_err_set(err, CHISO_EUSAGE, "sampling uncertainty needs at least 2 replicates");
  int rc = year_result_get(y, era, &r, err);
  if (!rc && !y->survey)
    rc = chiso_err_set(err, CHISO_ENOTFOUND,
                       "no survey imported for %d: sampling uncertainty needs microdata", y->year);
  if (!rc) rc = year_estimates(y, era, &e, NULL, err);
  if (rc) return rc;
  chiso_free(v->rep.tables);
  memset(&v->rep, 0, sizeof v->rep);
  const idx_data *t = r->data;
  double *tables = chiso_malloc(R * t->n_cols * t->n_units * sizeof *tables);
  if (!tables) return chiso_err_set(err, CHISO_ENOMEM, "out of memory for %zu replicate tables", R);
  size_t replaced = 0;
  rc = replicates_tables(e->design, t, R, seed, threads, progress, progress_ud, tables, &replaced,
                         err);
  if (rc) {
    chiso_free(tables);
    return rc;
  }
  v->rep = (year_replicates){tables, R, seed, replaced, r->model->n_ind - replaced};
  *out = &v->rep;
  return CHISO_OK;
}

/* chiso_year.c — the public API: a stored year and the results derived
** from it or from index files — the index, its audit, uncertainty and
** sensitivity, the divide (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "base/workers.h"
#include "divide/inequality.h"
#include "geo/geo.h"
#include "index/idx.h"
#include "index/idxio.h"
#include "out/out_audit.h"
#include "out/out_divide.h"
#include "out/out_estimates.h"
#include "out/out_index.h"
#include "out/out_uncertainty.h"
#include "survey/harmonise.h"
#include "uncertainty/montecarlo.h"
#include "year/divide.h"
#include "year/uncertainty.h"
#include "year/year.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- options ------------------------------------------------------------------- */

void chiso_year_options_init(chiso_year_options *o) {
  memset(o, 0, sizeof *o);
  o->power = o->range_lo = o->range_hi = NAN;
  o->winsorise = o->winmax = -1;
}

/* A method name of the options into its code, or a usage error. */
static int parse_name(const char *what, const char *name, int (*parse)(const char *), int *out,
                      chiso_err *err) {
  if (!name) return CHISO_OK;
  if ((*out = parse(name)) < 0) return chiso_err_set(err, CHISO_EUSAGE, "unknown %s '%s'", what, name);
  return CHISO_OK;
}

/* The run overrides of the public options. */
static int run_options(const chiso_year_options *o, idx_options *run, chiso_err *err) {
  idx_options_init(run);
  if (!o) return CHISO_OK;
  int rc = parse_name("normalisation", o->normalise, idx_norm_parse, &run->norm, err);
  if (!rc) rc = parse_name("aggregation", o->aggregate, idx_agg_parse, &run->agg, err);
  if (!rc) rc = parse_name("imputation", o->impute, idx_impute_parse, &run->impute, err);
  if (rc) return rc;
  run->norm_a = o->range_lo;
  run->norm_b = o->range_hi;
  run->agg_power = o->power;
  if (!isnan(o->power) && run->agg < 0) run->agg = IDX_AGG_POWER;
  run->winsorise = o->winsorise;
  run->winmax = o->winmax;
  return CHISO_OK;
}

/* The year options of the public ones. */
static int year_opts(const chiso_year_options *o, year_options *yo, chiso_err *err) {
  year_options_init(yo);
  if (!o) return CHISO_OK;
  yo->method = o->method;
  yo->weights = o->weights;
  yo->min_respondents = o->min_respondents;
  yo->strata_by_province = o->strata_by_province;
  yo->population_file = o->population;
  return run_options(o, &yo->run, err);
}

/* The era of a view: 0 the year's own units, 34/2025 or 63. */
static int view_era(int year, int units, geo_era *era, chiso_err *err) {
  if (units == 0) *era = geo_era_for_year(year);
  else if (units == 34 || units == 2025) *era = GEO_ERA_34;
  else if (units == 63) *era = GEO_ERA_63;
  else return chiso_err_set(err, CHISO_EUSAGE, "units must be 63, 34 or 2025, not %d", units);
  return harmonise_check_view(year, *era, err);
}

/* ---- the year --------------------------------------------------------------------- */

int chiso_year_open(chiso_store *st, int year, const chiso_year_options *o, chiso_year **out,
                    chiso_err *err) {
  assert(st && out);
  const geo_registry *reg = NULL;
  year_options yo;
  *out = NULL;
  int rc = year_opts(o, &yo, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc) rc = year_load(st, reg, year, &yo, out, err);
  return rc;
}

void chiso_year_free(chiso_year *y) { year_free(y); }

int chiso_year_synthetic(const chiso_year *y) { return year_synthetic(y); }

int chiso_year_estimates_write(chiso_year *y, int units, int level, chiso_format fmt, FILE *out,
                               chiso_err *err) {
  assert(y && out);
  geo_era era;
  const estimates *e = NULL;
  int rc = view_era(year_number(y), units, &era, err);
  if (!rc) rc = year_estimates(y, era, &e, NULL, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_estimates_write(e, level, year_number(y), year_synthetic(y), fmt, out),
                          "cannot write the estimates");
  return rc;
}

/* ---- index results ------------------------------------------------------------------- */

#define MAX_NOTES 64

struct chiso_index {
  chiso_year *y;             /* the stored year (borrowed), NULL from files */
  const year_result *r;      /* its index (borrowed from y) */
  int year, synthetic;
  idx_model *model;          /* from files (owned) */
  idx_data *data;
  idx_plan *plan;
  idx_workspace *ws;
  double *weights;
  const idx_plan *p;         /* the run, whichever its source */
  const idx_workspace *w;
  char *note[MAX_NOTES];
  chiso_log_level level[MAX_NOTES];
  size_t n_notes;
};

void chiso_index_free(chiso_index *ix) {
  if (!ix) return;
  idx_workspace_free(ix->ws);
  idx_plan_free(ix->plan);
  idx_data_free(ix->data);
  idx_model_free(ix->model);
  chiso_free(ix->weights);
  for (size_t i = 0; i < ix->n_notes; i++) chiso_free(ix->note[i]);
  chiso_free(ix);
}

static int add_note(chiso_index *ix, chiso_log_level level, const char *text) {
  if (ix->n_notes == MAX_NOTES) return CHISO_OK;
  if (!(ix->note[ix->n_notes] = chiso_strdup(text))) return CHISO_ENOMEM;
  ix->level[ix->n_notes++] = level;
  return CHISO_OK;
}

/* The means of the run: refused with a value below 0 in a geometric or
** harmonic mean (issue 12; COINr refuses), a warning with values raised to
** the floor. */
static int check_means(chiso_index *ix, chiso_err *err) {
  char note[400];
  int rc = idx_check_means(ix->p, ix->w, note, sizeof note, err);
  if (!rc && note[0] && add_note(ix, CHISO_LOG_WARN, note))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return rc;
}

/* Merged units whose external indicators are weighted means of the former
** provinces (on the 34 units), and indicators without any value. */
static int year_notes(chiso_index *ix, chiso_err *err) {
  const year_result *r = ix->r;
  char list[34 * 4 + 1] = "", text[512];
  size_t len = 0;
  int rc = CHISO_OK;
  for (size_t i = 0; r->era == GEO_ERA_34 && i < r->n_units && len + 4 < sizeof list; i++)
    if (year_result_approx(r, i))
      len += (size_t)snprintf(list + len, sizeof list - len, " %s", r->data->code[i]);
  if (len) {
    snprintf(text, sizeof text,
             "%d on the 34 units: approximate units (external indicators are weighted means of "
             "the former provinces):%s", ix->year, list);
    rc = add_note(ix, CHISO_LOG_NOTE, text);
  }
  for (size_t k = 0; !rc && k < r->n_absent; k++) {
    snprintf(text, sizeof text, "%d: no data for indicator %s", ix->year, r->absent[k]);
    rc = add_note(ix, CHISO_LOG_INFO, text);
  }
  return rc ? chiso_err_set(err, rc, "out of memory") : CHISO_OK;
}

int chiso_year_index(chiso_year *y, int units, chiso_index **out, chiso_err *err) {
  assert(y && out);
  geo_era era;
  *out = NULL;
  chiso_index *ix = chiso_calloc(1, sizeof *ix);
  if (!ix) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  ix->y = y;
  ix->year = year_number(y);
  ix->synthetic = year_synthetic(y);
  int rc = view_era(ix->year, units, &era, err);
  if (!rc) rc = year_result_get(y, era, &ix->r, err);
  if (!rc) {
    ix->p = ix->r->plan;
    ix->w = ix->r->ws;
    rc = check_means(ix, err);
    if (!rc) rc = year_notes(ix, err);
  }
  if (rc) {
    chiso_index_free(ix);
    return rc;
  }
  *out = ix;
  return CHISO_OK;
}

/* The model of --method or --imeta and the unit table of --data. */
static int load_files(chiso_index *ix, const char *method, const char *imeta, const char *data,
                      chiso_err *err) {
  if (!!method == !!imeta)
    return chiso_err_set(err, CHISO_EUSAGE, "give exactly one of a methodology and an iMeta table");
  if (!data) return chiso_err_set(err, CHISO_EUSAGE, "a unit table (data file) is required");
  int rc = method ? idxio_load_method(method, &ix->model, err) : idxio_load_imeta(imeta, &ix->model, err);
  if (!rc) rc = idxio_load_data(data, ix->model, &ix->data, err);
  return rc;
}

/* The weight table of the options: absolute weights, NaN = keep. */
static int load_weights(chiso_index *ix, const char *path, chiso_err *err) {
  if (!path) return CHISO_OK;
  ix->weights = chiso_malloc(ix->model->n_nodes * sizeof *ix->weights);
  if (!ix->weights) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < ix->model->n_nodes; i++) ix->weights[i] = NAN;
  return idxio_load_weights(path, ix->model, ix->weights, err);
}

int chiso_index_files(const char *method, const char *imeta, const char *data,
                      const chiso_year_options *o, chiso_index **out, chiso_err *err) {
  assert(out);
  idx_options run;
  *out = NULL;
  chiso_index *ix = chiso_calloc(1, sizeof *ix);
  if (!ix) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = run_options(o, &run, err);
  if (!rc) rc = load_files(ix, o && o->method && !method ? o->method : method, imeta, data, err);
  if (!rc) rc = load_weights(ix, o ? o->weights : NULL, err);
  if (!rc) rc = idx_plan_new(ix->model, ix->data, &ix->plan, err);
  if (!rc && !(ix->ws = idx_workspace_new(ix->plan))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  run.weights = ix->weights;
  if (!rc) rc = idx_run(ix->plan, ix->ws, &run, err);
  if (!rc) {
    ix->p = ix->plan;
    ix->w = ix->ws;
    rc = check_means(ix, err);
  }
  if (rc) {
    chiso_index_free(ix);
    return rc;
  }
  *out = ix;
  return CHISO_OK;
}

int chiso_index_write(const chiso_index *ix, int level, chiso_format fmt, FILE *out,
                      chiso_err *err) {
  assert(ix && out);
  return chiso_err_ensure(err, out_index_write(ix->p, ix->w, level, ix->year, ix->synthetic, fmt, out),
                          "cannot write the index");
}

const char *chiso_index_note(const chiso_index *ix, size_t i, chiso_log_level *level) {
  if (i >= ix->n_notes) return NULL;
  if (level) *level = ix->level[i];
  return ix->note[i];
}

int chiso_index_audit_write(const chiso_index *ix, int pca_weights, chiso_format fmt, FILE *out,
                            chiso_err *err) {
  assert(ix && out);
  return chiso_err_ensure(err, out_audit_write(ix->p, ix->w, pca_weights, fmt, out),
                          "cannot write the audit");
}

/* ---- uncertainty and sensitivity ------------------------------------------------------ */

/* The seed of the bootstrap replicates of analysis seed `seed`, so that
** replicate streams and analysis streams differ. */
static uint64_t boot_seed(uint64_t seed) { return uncertainty_boot_seed(seed); }

/* The analysis set-up: the run's plan, the spec, and with a sampling mode
** the replicates of the stored year. *spec is new (may stay NULL). */
static int unc_setup(const chiso_index *ix, const chiso_unc_options *o, montecarlo_setup *su,
                     montecarlo_spec **spec, chiso_err *err) {
  memset(su, 0, sizeof *su);
  su->plan = ix->p;
  su->seed = o->seed;
  su->threads = o->threads < 1 ? workers_default_threads() : o->threads;
  su->progress = o->progress;
  su->progress_ud = o->progress_ud;
  *spec = NULL;
  int sampling = o->mode == CHISO_UNC_SAMPLING || o->mode == CHISO_UNC_CROSSED;
  if (sampling && !ix->y)
    return chiso_err_set(err, CHISO_EUSAGE, "%s uncertainty needs survey microdata (a stored year)",
                         o->mode == CHISO_UNC_SAMPLING ? "sampling" : "crossed");
  int rc = o->spec ? montecarlo_spec_load(o->spec, spec, err) : CHISO_OK;
  if (!rc && o->mode == CHISO_UNC_CROSSED && *spec && !montecarlo_spec_has(*spec, MONTECARLO_SAMPLING))
    rc = chiso_err_set(err, CHISO_EUSAGE, "%s: the crossed mode needs a {\"type\": \"sampling\"} "
                       "input in the spec", o->spec);
  su->spec = *spec;
  if (rc || !sampling) return rc;
  const year_replicates *rep = NULL;
  rc = year_replicates_get(ix->y, ix->r->era, o->replicates, boot_seed(o->seed), su->threads,
                           o->progress, o->progress_ud, &rep, err);
  if (!rc) {
    su->replicates = rep->tables;
    su->n_replicates = rep->n_replicates;
  }
  return rc;
}

int chiso_uncertainty_write(const chiso_index *ix, const chiso_unc_options *o, chiso_format fmt,
                            FILE *out, chiso_err *err) {
  assert(ix && o && out);
  montecarlo_setup su;
  montecarlo_spec *spec = NULL;
  montecarlo_result res;
  memset(&res, 0, sizeof res);
  static const char *const names[] = {"sampling", "method", "crossed"};
  int rc = unc_setup(ix, o, &su, &spec, err);
  if (!rc)
    rc = o->mode == CHISO_UNC_SAMPLING ? montecarlo_sampling_analysis(&su, &res, err)
                                       : montecarlo_method_analysis(&su, o->runs, &res, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_uncertainty_write(&res, idx_plan_data(ix->p), names[o->mode], o->seed,
                                                     ix->synthetic, fmt, out),
                          "cannot write the output");
  montecarlo_result_free(&res);
  montecarlo_spec_free(spec);
  return rc;
}

int chiso_sensitivity_write(const chiso_index *ix, const chiso_unc_options *o, chiso_format fmt,
                            FILE *out, chiso_err *err) {
  assert(ix && o && out);
  montecarlo_setup su;
  montecarlo_spec *spec = NULL;
  montecarlo_sobol res;
  memset(&res, 0, sizeof res);
  if (o->mode == CHISO_UNC_SAMPLING)
    return chiso_err_set(err, CHISO_EUSAGE, "sampling alone has no method inputs; use crossed");
  if (o->runs < 8) return chiso_err_set(err, CHISO_EUSAGE, "Sobol needs at least 8 base rows");
  int rc = unc_setup(ix, o, &su, &spec, err);
  if (!rc) rc = montecarlo_sensitivity(&su, o->runs, 0, &res, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_uncertainty_sobol(&res, o->convergence, o->seed, ix->synthetic, fmt, out),
                          "cannot write the output");
  montecarlo_sobol_free(&res);
  montecarlo_spec_free(spec);
  return rc;
}

/* ---- the divide ---------------------------------------------------------------------- */

void chiso_divide_options_init(chiso_divide_options *o) {
  memset(o, 0, sizeof *o);
  o->seed = 1;
}

int chiso_year_divide_write(chiso_year *y, const chiso_divide_options *o, chiso_format fmt,
                            FILE *out, char how[160], chiso_err *err) {
  assert(y && o && out);
  divide_options d;
  divide_options_init(&d);
  divide_year *v = NULL;
  geo_era era;
  if (how) how[0] = '\0';
  d.volume = o->volume;
  if (o->interval && (int)(d.interval = divide_ci_parse(o->interval)) < 0)
    return chiso_err_set(err, CHISO_EUSAGE, "the interval must be boot, taylor or none");
  if (o->replicates) d.replicates = o->replicates;
  if (o->threads) d.threads = o->threads;
  d.seed = o->seed;
  if (o->level > 0) d.level = o->level;
  int rc = view_era(year_number(y), o->units, &era, err);
  d.units_34 = era == GEO_ERA_34;
  if (!rc) rc = divide_year_compute(y, &d, &v, err);
  if (!rc && how) snprintf(how, 160, "%s", v->interval);
  if (!rc)
    rc = chiso_err_ensure(err, out_divide_write(v->measures, v->n_measures, v, year_number(y),
                                                year_synthetic(y), fmt, out),
                          "cannot write the measures");
  divide_year_free(v);
  return rc;
}

/* The measures of a values file and a scores file. */
static int divide_files(const geo_registry *reg, const char *values, const char *value_column,
                        const char *scores, const char *score_column, int year,
                        inequality_measure *m, size_t *n, chiso_err *err) {
  inequality_vector *vals = NULL, *sc = NULL;
  inequality_concentration c;
  inequality_inequality q;
  int rc = CHISO_OK;
  if (values) rc = inequality_vector_read(values, reg, year, value_column, 0, &vals, err);
  if (!rc && vals) rc = inequality_concentration_compute(vals->codes, vals->value, vals->n, &c, err);
  if (!rc && scores) rc = inequality_vector_read(scores, reg, year, score_column, 1, &sc, err);
  if (!rc && sc)
    rc = inequality_inequality_compute(sc->value, sc->region, sc->n,
                                       geo_region_count(geo_era_for_year(year)), &q, err);
  if (rc && err && !err->file[0]) { /* name the file a computation failed on */
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    chiso_err_at(err, rc, sc ? scores : values, 0, 0, "%s", msg);
  }
  if (!rc) *n = inequality_measures(vals ? &c : NULL, NAN, NAN, sc ? &q : NULL, m);
  inequality_vector_free(vals);
  inequality_vector_free(sc);
  return rc;
}

int chiso_divide_files_write(const char *values, const char *value_column, const char *scores,
                             const char *score_column, int year, chiso_format fmt, FILE *out,
                             chiso_err *err) {
  assert(out && (values || scores));
  const geo_registry *reg = NULL;
  inequality_measure m[INEQUALITY_N_MEASURES];
  size_t n = 0;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = divide_files(reg, values, value_column, scores, score_column, year, m, &n, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_divide_write(m, n, NULL, year, 0, fmt, out),
                          "cannot write the measures");
  return rc;
}

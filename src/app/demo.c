/* demo.c — the synthetic workspace of `chiso demo` (see demo.h). */
#include "app/demo.h"
#include "base/cleanup.h"

#include "survey/codebook.h"
#include "year/actuals.h"
#include "year/divide.h"
#include "base/embed.h"
#include "estimate/estimates.h"
#include "out/out_index.h"
#include "year/import.h"
#include "year/indicators.h"
#include "out/out_estimates.h"
#include "out/out_series.h"
#include "out/out_targets.h"
#include "out/out_uncertainty.h"
#include "base/mem.h"
#include "report/assemble.h"
#include "report/export.h"
#include "report/html.h"
#include "report/pdf.h"
#include "year/series.h"
#include "survey/store.h"
#include "synth/synthfile.h"
#include "synth/synthofficial.h"
#include "divide/targets.h"
#include "uncertainty/montecarlo.h"
#include "year/uncertainty.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#define GENERATOR "chiso demo"

/* Everything one run holds. */
typedef struct demo_ctx {
  const geo_registry *reg;
  const demo_options *o;
  demo_summary *sum;
  synth_model *model;
  methodology *method;
  store *st;
  yearset *years;       /* every year, loaded once after the imports */
  uncertainty_year unc;      /* sampling and crossed uncertainty of the last year_ctx */
  int has_unc;
  int step, steps;
  chiso_err *err;
} demo_ctx;

static void progress(demo_ctx *c) {
  c->step++;
  if (c->o->progress) c->o->progress(c->o->userdata, "demo", c->step, c->steps);
}

static void path_of(char *buf, size_t n, const char *dir, const char *sub, const char *name,
                    int year) {
  char file[128];
  snprintf(file, sizeof file, name, year);
  if (snprintf(buf, n, "%s/%s%s%s", dir, sub, *sub ? "/" : "", file) >= (int)n) buf[n - 1] = 0;
}

/* ---- the workspace ---------------------------------------------------- */

static int make_dir(const char *path, chiso_err *err) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return CHISO_OK;
  return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot create the directory: %s", strerror(errno));
}

static int is_demo_db(const char *db) {
  char meta[4200];
  snprintf(meta, sizeof meta, "%s.meta.json", db);
  FILE *f = fopen(meta, "rb");
  if (!f) return 0;
  char buf[4096];
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  return strstr(buf, "\"generator\": \"" GENERATOR "\"") != NULL;
}

/* 1 when the directory at path has an entry (or cannot be read). */
static int has_entries(const char *path) {
  DIR *d = opendir(path);
  if (!d) return errno != ENOENT;
  struct dirent *e;
  int any = 0;
  while (!any && (e = readdir(d)))
    any = strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  closedir(d);
  return any;
}

/* Create DIR, DIR/inputs, DIR/results; remove a previous demo db. A
** directory that is not empty and not an earlier demo's (no chiso.db the
** demo made) is refused: the demo would overwrite the user's own report/
** and results/ files (issue 12). */
static int prepare_dir(demo_ctx *c) {
  const char *dir = c->o->dir;
  char sub[4200];
  snprintf(sub, sizeof sub, "%s/chiso.db", dir);
  if (has_entries(dir) && !is_demo_db(sub))
    return chiso_err_at(c->err, CHISO_EEXISTS, dir, 0, 0,
                        "is not empty and was not made by chiso demo: nothing written (give a "
                        "new or empty directory)");
  int rc = make_dir(dir, c->err);
  snprintf(sub, sizeof sub, "%s/inputs", dir);
  if (!rc) rc = make_dir(sub, c->err);
  snprintf(c->sum->results, sizeof c->sum->results, "%s/results", dir);
  if (!rc) rc = make_dir(c->sum->results, c->err);
  snprintf(c->sum->db, sizeof c->sum->db, "%s/chiso.db", dir);
  struct stat sb;
  if (rc || stat(c->sum->db, &sb) != 0) return rc;
  if (!is_demo_db(c->sum->db))
    return chiso_err_at(c->err, CHISO_EEXISTS, c->sum->db, 0, 0,
                        "exists and was not made by chiso demo: not replaced");
  static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
  for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
    snprintf(sub, sizeof sub, "%s%s", c->sum->db, ext[i]);
    remove(sub);
  }
  return CHISO_OK;
}

static int open_store(demo_ctx *c) {
  int rc = store_open(c->sum->db, 1, &c->st, c->err);
  if (!rc)
    rc = synthofficial_write_meta(c->sum->db, GENERATOR,
                         "chiso store filled with SYNTHETIC surveys and official indicators", 0,
                         c->o->seed, c->err);
  return rc;
}

static int load_method(demo_ctx *c) {
  return methodology_load(DEMO_METHOD, &c->method, c->err);
}

/* ---- inputs: generate and import one year ------------------------------ */

/* The survey of `year` through the import workflow (import_files): the
** synthetic mark goes in with it, from the file's sidecar. */
static int import_survey(demo_ctx *c, int year, const char *path) {
  import_options o;
  import_result *r = NULL;
  import_options_init(&o, year);
  const char *paths[] = {path};
  int rc = import_files(c->sum->db, c->method, c->reg, paths, 1, &o, &r, c->err);
  if (!rc && !r->files[0].synthetic)
    rc = chiso_err_at(c->err, CHISO_EINTERNAL, path, 0, 0, "the demo survey is not marked synthetic");
  import_result_free(r);
  return rc;
}

static int import_official(demo_ctx *c, int year, const char *path) {
  geo_era era = geo_era_for_year(year);
  size_t U = geo_count(c->reg, era), n = 0;
  double *v = chiso_malloc(U * SYNTHOFFICIAL_N * sizeof *v);
  store_indicator *rows = chiso_malloc(U * SYNTHOFFICIAL_N * sizeof *rows);
  int rc = v && rows ? CHISO_OK : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = synthofficial_values(c->model, year, c->o->seed, v, c->err);
  for (size_t u = 0; !rc && u < U; u++)
    for (int k = 0; k < SYNTHOFFICIAL_N; k++) {
      if (isnan(v[u * SYNTHOFFICIAL_N + (size_t)k])) continue;
      memcpy(rows[n].code, geo_unit_at(c->reg, era, u)->code, 3);
      rows[n].indicator = synthofficial_indicator_id(k);
      rows[n].value = v[u * SYNTHOFFICIAL_N + (size_t)k];
      rows[n++].source = "SYNTHETIC (chiso synth --official)";
    }
  if (!rc) rc = store_put_indicators(c->st, year, rows, n, c->err);
  if (!rc) rc = indicators_note_file(c->st, year, path, n, c->err); /* provenance */
  chiso_free(rows);
  chiso_free(v);
  return rc;
}

static int make_inputs(demo_ctx *c, int year) {
  char path[4200];
  synthfile_options so = {year, c->o->respondents, c->o->seed, DEMO_METHOD, SYNTHFILE_CSV, 0, c->o->threads};
  path_of(path, sizeof path, c->o->dir, "inputs", "survey-%d.csv", year);
  int rc = synthfile_write(c->model, &so, path, NULL, NULL, NULL, c->err);
  if (!rc) rc = import_survey(c, year, path);
  path_of(path, sizeof path, c->o->dir, "inputs", "official-%d.csv", year);
  if (!rc) rc = synthofficial_write(c->model, year, c->o->seed, path, c->err);
  if (!rc) rc = import_official(c, year, path);
  progress(c);
  return rc;
}

/* ---- outputs ---------------------------------------------------------- */

typedef int (*writer_fn)(demo_ctx *c, const void *arg, FILE *f);

/* Write `path` through a temporary file; CSVs get their metadata file. */
static int write_output(demo_ctx *c, const char *path, writer_fn fn, const void *arg,
                        const char *what, int year) {
  char tmp[4300];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int slot = cleanup_add(tmp, 0);
  FILE *f = fopen(tmp, "wb");
  if (!f) {
    cleanup_forget(slot);
    return chiso_err_at(c->err, CHISO_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
  }
  int rc = fn(c, arg, f);
  if (fclose(f) && !rc) rc = CHISO_EIO;
  if (!rc && rename(tmp, path)) rc = CHISO_EIO;
  cleanup_forget(slot);
  if (rc) {
    remove(tmp);
    if (!c->err->code) chiso_err_at(c->err, rc, path, 0, 0, "write failed");
    return rc;
  }
  c->sum->n_files++;
  size_t n = strlen(path);
  if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
    rc = synthofficial_write_meta(path, GENERATOR, what, year, c->o->seed, c->err);
    c->sum->n_files++;
  }
  return rc;
}

/* The index table; the last year's carries the uncertainty intervals
** (score_lo, score_hi, rank_lo, rank_hi) of the method analysis. */
static int write_index_csv(demo_ctx *c, const void *arg, FILE *f) {
  const year_result *r = arg;
  int *cols = chiso_malloc(r->n_nodes * sizeof *cols);
  double *slo = chiso_malloc((r->n_units + 1) * sizeof *slo);
  double *shi = chiso_malloc((r->n_units + 1) * sizeof *shi);
  int *rlo = chiso_calloc(r->n_units + 1, sizeof *rlo), *rhi = chiso_calloc(r->n_units + 1, sizeof *rhi);
  int rc = cols && slo && shi && rlo && rhi ? CHISO_OK : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  int with = !rc && r->table->year == DEMO_LAST_YEAR && c->has_unc;
  for (size_t i = 0; with && i < r->n_units; i++)
    uncertainty_year_intervals(&c->unc, i, &slo[i], &shi[i], &rlo[i], &rhi[i]);
  out_index_intervals iv = {slo, shi, rlo, rhi};
  if (!rc) rc = out_index_csv_intervals(r->plan, r->ws, cols, out_index_nodes(r->model, 2, cols),
                                     with ? &iv : NULL, f);
  chiso_free(cols);
  chiso_free(slo);
  chiso_free(shi);
  chiso_free(rlo);
  chiso_free(rhi);
  return rc;
}

static int write_index_json(demo_ctx *c, const void *arg, FILE *f) {
  const year_result *r = arg;
  int *cols = chiso_malloc(r->n_nodes * sizeof *cols);
  if (!cols) return chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  int rc = out_index_json(r->plan, r->ws, cols, out_index_nodes(r->model, 1, cols), r->table->year, 1, f);
  chiso_free(cols);
  return rc;
}

static int write_estimates(demo_ctx *c, const void *arg, FILE *f) {
  (void)c;
  return out_estimates_write(arg, -1, 0, 1, CHISO_FORMAT_CSV, f);
}

static int write_divide(demo_ctx *c, const void *arg, FILE *f) {
  (void)c;
  const divide_year *y = arg;
  return inequality_measures_csv(y->measures, y->n_measures, f);
}

static int write_series(demo_ctx *c, const void *arg, FILE *f) {
  return out_series_scores_csv(arg, c->reg, f);
}

static int write_uncertainty(demo_ctx *c, const void *arg, FILE *f) {
  const year_result *r = c->unc.nominal;
  return out_uncertainty_csv(arg, r->data, f);
}

/* ---- per-year analysis ------------------------------------------------ */

/* Survey estimates of every domain (provinces, regions, nation) of `year`. */
static int write_year_estimates(demo_ctx *c, year_ctx *y) {
  char path[4200];
  const estimates *e = NULL;
  int rc = year_estimates(y, year_own_era(y), &e, NULL, c->err);
  path_of(path, sizeof path, c->sum->results, "", "estimates-%d.csv", year_number(y));
  if (!rc) rc = write_output(c, path, write_estimates, e, "SYNTHETIC survey estimates (chiso estimate format)", year_number(y));
  return rc;
}

/* The divide of `year` on its own units, as `chiso divide --db` computes
** it (divide_year_compute), with the bootstrap interval of the HN+HCM share. */
static int year_divide(demo_ctx *c, year_ctx *yc, int t) {
  int year = DEMO_FIRST_YEAR + t;
  demo_year *y = &c->sum->years[t];
  divide_options d;
  divide_options_init(&d);
  d.seed = c->o->seed;
  d.threads = c->o->threads > 0 ? c->o->threads : 1;
  divide_year *v = NULL;
  char path[4200];
  int rc = divide_year_compute(yc, &d, &v, c->err);
  path_of(path, sizeof path, c->sum->results, "", "divide-%d.csv", year);
  if (!rc) rc = write_output(c, path, write_divide, v,
                             "SYNTHETIC divide measures (chiso divide --db format)", year);
  if (!rc) {
    y->year = year;
    y->n_units = v->n_units;
    y->n_ranked = v->has_scores ? v->ineq.n : 0;
    y->mean = v->has_scores ? v->ineq.mean : NAN;
    y->gini = v->has_scores ? v->ineq.gini : NAN;
    y->hn_hcm_share = v->has_volume ? v->conc.hn_hcm_share : NAN;
    y->share_lo = v->share_lo;
    y->share_hi = v->share_hi;
    y->share_level = d.level;
  }
  divide_year_free(v);
  return rc;
}

/* Uncertainty of the last year's index from its microdata
** (uncertainty_year_run): DEMO_REPLICATES bootstrap replicates with the nominal
** method (sampling) and DEMO_RUNS draws of replicate x method choices
** (crossed), seeded by the demo seed — what the report shows. */
static int year_uncertainty(demo_ctx *c, year_ctx *y) {
  int year = year_number(y);
  char path[4200];
  int rc = uncertainty_year_run(y, DEMO_REPLICATES, DEMO_RUNS, c->o->seed,
                                c->o->threads > 0 ? c->o->threads : 1, &c->unc, c->err);
  if (rc) return rc;
  size_t n = c->unc.nominal->n_units;
  c->has_unc = 1;
  c->sum->interval_level = UNCERTAINTY_LEVEL;
  c->sum->rank_lo = chiso_calloc(n + 1, sizeof *c->sum->rank_lo);
  c->sum->rank_hi = chiso_calloc(n + 1, sizeof *c->sum->rank_hi);
  if (!c->sum->rank_lo || !c->sum->rank_hi) return chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    double lo, hi;
    uncertainty_year_intervals(&c->unc, i, &lo, &hi, &c->sum->rank_lo[i], &c->sum->rank_hi[i]);
  }
  path_of(path, sizeof path, c->sum->results, "", "uncertainty-%d.csv", year);
  rc = write_output(c, path, write_uncertainty, &c->unc.sampling,
                    "SYNTHETIC sampling uncertainty: bootstrap replicates of the microdata, nominal "
                    "method (chiso uncertainty --db --mode sampling format)", year);
  path_of(path, sizeof path, c->sum->results, "", "uncertainty-crossed-%d.csv", year);
  if (!rc) rc = write_output(c, path, write_uncertainty, &c->unc.crossed,
                             "SYNTHETIC sampling x method uncertainty (chiso uncertainty --db --mode "
                             "crossed format)", year);
  return rc;
}

static int do_year(demo_ctx *c, int t) {
  int year = DEMO_FIRST_YEAR + t;
  char path[4200];
  year_ctx *y = NULL;
  const year_result *r = NULL;
  int rc = yearset_get(c->years, year, &y, c->err);
  if (!rc) rc = year_result_get(y, year_own_era(y), &r, c->err);
  if (!rc && year == DEMO_LAST_YEAR) rc = year_uncertainty(c, y);
  path_of(path, sizeof path, c->sum->results, "", "index-%d.csv", year);
  if (!rc) rc = write_output(c, path, write_index_csv, r, "SYNTHETIC index scores and ranks (chiso compute format)", year);
  path_of(path, sizeof path, c->sum->results, "", "index-%d.json", year);
  if (!rc) rc = write_output(c, path, write_index_json, r, NULL, year);
  if (!rc) rc = write_year_estimates(c, y);
  if (!rc) rc = year_divide(c, y, t);
  if (!rc) c->sum->years[t].result = r;
  if (!rc && year == DEMO_LAST_YEAR) c->sum->latest = r;
  progress(c);
  return rc;
}

/* ---- the series on the 34 units ---------------------------------------- */

/* Every year on the 2025 units (series_build): years before 2025 re-estimated
** from their microdata; merged units' external indicators flagged approx. */
static int do_series(demo_ctx *c) {
  series_options so;
  series_options_init(&so);
  so.units = 34;
  series_series *s = NULL;
  char path[4200];
  int rc = series_build(c->years, c->reg, &so, &s, c->err);
  path_of(path, sizeof path, c->sum->results, "", "series.csv", 0);
  if (!rc) rc = write_output(c, path, write_series, s,
                             "SYNTHETIC index scores and ranks of every year on the 34 units of 2025 "
                             "(chiso series --units 34 format; approx = 1: merged units' external "
                             "indicators are weighted means)", 0);
  series_free(s);
  progress(c);
  return rc;
}

/* ---- national targets ------------------------------------------------- */

/* The national KPIs chiso measures; judged with the synthetic estimates
** only (no published actuals mixed in). */
static int keep_national(const targets_kpi *k, void *ud) {
  (void)ud;
  return *k->chiso_indicator && strcmp(k->scope, TARGETS_NATIONAL) == 0;
}

static int write_targets(demo_ctx *c, const void *arg, FILE *f) {
  (void)c;
  const targets_result *r = arg;
  return out_targets_write(r, c->sum->n_targets, NULL, 0, 1, 1, CHISO_FORMAT_CSV, f);
}

static int do_targets(demo_ctx *c) {
  targets_plan_set *plans = NULL;
  targets_actuals *act = NULL;
  targets_result *res = NULL;
  size_t n = 0;
  char path[4200];
  int rc = targets_plans_builtin(c->reg, &plans, c->err);
  if (!rc) rc = actuals_judge(c->years, c->reg, plans, 0, 0, keep_national, NULL, &res, &n, &act, c->err);
  if (!rc && !(c->sum->targets = chiso_calloc(n ? n : 1, sizeof *c->sum->targets)))
    rc = chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < n; i++, c->sum->n_targets++) {
    demo_target *d = &c->sum->targets[i];
    snprintf(d->plan, sizeof d->plan, "%s", res[i].kpi->plan);
    snprintf(d->kpi, sizeof d->kpi, "%s", res[i].kpi->kpi);
    snprintf(d->status, sizeof d->status, "%s", targets_status_name(res[i].status));
    d->target = res[i].kpi->target_value;
    d->target_year = res[i].kpi->target_year;
    d->actual = res[i].actual_value;
    d->actual_year = res[i].actual_year;
  }
  path_of(path, sizeof path, c->sum->results, "", "targets.csv", 0);
  if (!rc) rc = write_output(c, path, write_targets, res,
                             "national plan KPIs judged with SYNTHETIC estimates (chiso targets format)", 0);
  chiso_free(res);
  targets_actuals_free(act);
  targets_plans_free(plans);
  progress(c);
  return rc;
}

/* ---- the report and its exports ----------------------------------------- */

static int write_export_json(demo_ctx *c, const void *arg, FILE *f) {
  return export_json(arg, f, c->err);
}

typedef struct {
  const rmodel *m;
  const char *lang;
} pdf_job;

static int write_pdf(demo_ctx *c, const void *arg, FILE *f) {
  const pdf_job *j = arg;
  pdf_options o = {j->lang, 0};
  return pdf_write(j->m, &o, f, c->err);
}

/* The report of the last year (assemble_from_store: rank intervals from the
** same method analysis, the divide, targets) in Vietnamese and English, as
** HTML and as PDF books, and its XLSX and JSON exports. */
static int do_report(demo_ctx *c) {
  assemble_options ro;
  assemble_options_init(&ro);
  ro.seed = c->o->seed;
  ro.runs = DEMO_RUNS;
  ro.threads = c->o->threads > 0 ? c->o->threads : 1;
  rmodel *m = NULL;
  html_options vi = {"vi", 0}, en = {"en", 0};
  char path[4200];
  int rc = assemble_report(c->years, c->reg, DEMO_LAST_YEAR, &ro, &m, c->err);
  for (size_t i = 0; !rc && i < m->n_share; i++) /* the report's basis, for the summary */
    for (int t = 0; t < DEMO_N_YEARS; t++)
      if (c->sum->years[t].year == m->share_years[i]) c->sum->years[t].share_34 = m->share[i] / 100;
  snprintf(c->sum->report, sizeof c->sum->report, "%s/report", c->o->dir);
  snprintf(c->sum->report_en, sizeof c->sum->report_en, "%s/report-en", c->o->dir);
  if (!rc) rc = html_write(m, &vi, c->sum->report, c->err);
  if (!rc) rc = html_write(m, &en, c->sum->report_en, c->err);
  pdf_job pv = {m, "vi"}, pe = {m, "en"};
  snprintf(c->sum->pdf, sizeof c->sum->pdf, "%s/report.pdf", c->o->dir);
  snprintf(c->sum->pdf_en, sizeof c->sum->pdf_en, "%s/report-en.pdf", c->o->dir);
  if (!rc) rc = write_output(c, c->sum->pdf, write_pdf, &pv, NULL, DEMO_LAST_YEAR);
  if (!rc) rc = write_output(c, c->sum->pdf_en, write_pdf, &pe, NULL, DEMO_LAST_YEAR);
  path_of(c->sum->xlsx, sizeof c->sum->xlsx, c->sum->results, "", "report-%d.xlsx", DEMO_LAST_YEAR);
  if (!rc) rc = export_xlsx(m, "vi", c->sum->xlsx, c->err);
  if (!rc) c->sum->n_files++;
  path_of(path, sizeof path, c->sum->results, "", "report-%d.json", DEMO_LAST_YEAR);
  if (!rc) rc = write_output(c, path, write_export_json, m, NULL, DEMO_LAST_YEAR);
  rmodel_free(m);
  progress(c);
  return rc;
}

/* ---- the run ---------------------------------------------------------- */

void demo_summary_free(demo_summary *s) {
  if (!s) return;
  yearset_free(s->stored);
  store_close(s->st);
  chiso_free(s->rank_lo);
  chiso_free(s->rank_hi);
  chiso_free(s->targets);
  chiso_free(s);
}

static int check_options(const demo_options *o, chiso_err *err) {
  if (!o->dir || !*o->dir) return chiso_err_set(err, CHISO_EUSAGE, "no output directory");
  if (o->respondents < 4L * 63)
    return chiso_err_set(err, CHISO_EUSAGE, "at least %d respondents a year are needed", 4 * 63);
  return CHISO_OK;
}

static int run_all(demo_ctx *c) {
  int rc = prepare_dir(c);
  if (!rc) rc = load_method(c);
  if (!rc) rc = synth_model_new(c->reg, &c->model, c->err);
  if (!rc) rc = open_store(c);
  for (int t = 0; !rc && t < DEMO_N_YEARS; t++) rc = make_inputs(c, DEMO_FIRST_YEAR + t);
  if (!rc) rc = yearset_open(c->st, c->reg, NULL, &c->years, c->err);
  if (!rc) c->sum->stored = c->years; /* the summary's latest result lives in it */
  for (int t = 0; !rc && t < DEMO_N_YEARS; t++) rc = do_year(c, t);
  if (!rc) rc = do_series(c);
  if (!rc) rc = do_targets(c);
  if (!rc) rc = do_report(c);
  return rc;
}

int demo_run(const geo_registry *reg, const demo_options *o, demo_summary **out,
             chiso_err *err) {
  *out = NULL;
  int rc = check_options(o, err);
  if (rc) return rc;
  demo_ctx c = {.reg = reg, .o = o, .err = err, .steps = 2 * DEMO_N_YEARS + 3};
  if (!(c.sum = chiso_calloc(1, sizeof *c.sum))) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rc = run_all(&c);
  if (!rc && c.sum->stored) {
    c.sum->st = c.st; /* the summary reads from the set, which reads the store */
    c.st = NULL;
  } else {
    yearset_free(c.years);
    if (c.sum) c.sum->stored = NULL;
  }
  store_close(c.st);
  uncertainty_year_free(&c.unc);
  methodology_free(c.method);
  synth_model_free(c.model);
  if (rc) {
    demo_summary_free(c.sum);
    return rc;
  }
  *out = c.sum;
  return CHISO_OK;
}

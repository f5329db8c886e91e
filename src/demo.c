/* demo.c — the synthetic workspace of `chiso demo` (see demo.h). */
#include "demo.h"

#include "codebook.h"
#include "csvout.h"
#include "divide.h"
#include "embed.h"
#include "est.h"
#include "idxout.h"
#include "ingest.h"
#include "mem.h"
#include "store.h"
#include "synthfile.h"
#include "synthoff.h"
#include "targets.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GENERATOR "chiso demo"

/* Everything one run holds. */
typedef struct demo_ctx {
  const geo_registry *reg;
  const demo_options *o;
  demo_summary *sum;
  syn_model *model;
  codebook *cb;
  const char *method_json;
  char method_hash[65];
  store *st;
  est_result *est[DEMO_N_YEARS]; /* survey estimates of every domain */
  survey_data *surv[DEMO_N_YEARS]; /* what est[] borrows its columns from */
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

/* Create DIR, DIR/inputs, DIR/results; remove a previous demo db. */
static int prepare_dir(demo_ctx *c) {
  const char *dir = c->o->dir;
  char sub[4200];
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
    rc = syno_write_meta(c->sum->db, GENERATOR,
                         "chiso store filled with SYNTHETIC surveys and official indicators", 0,
                         c->o->seed, c->err);
  return rc;
}

static int load_method(demo_ctx *c) {
  size_t len;
  c->method_json = embed_find("methods/" DEMO_METHOD ".json", &len);
  if (!c->method_json)
    return chiso_err_set(c->err, CHISO_EINTERNAL, "the shipped %s is missing", DEMO_METHOD);
  if (store_sha256_mem(c->method_json, len, c->method_hash))
    return chiso_err_set(c->err, CHISO_EINTERNAL, "sha256 failed");
  return codebook_parse(c->method_json, DEMO_METHOD, &c->cb, c->err);
}

/* ---- inputs: generate and import one year ------------------------------ */

static int import_survey(demo_ctx *c, int year, const char *path) {
  survey_data *s = NULL;
  ingest_report *rep = NULL;
  char sha[65];
  store_file f = {path, sha, 0, 0, NULL};
  store_method m = {DEMO_METHOD, c->method_hash, c->method_json};
  store_outcome oc;
  long long id;
  int rc = store_sha256_file(path, sha, &f.size, c->err);
  if (!rc) rc = ingest_file(path, c->cb, c->reg, year, NULL, &s, &rep, c->err);
  f.data = s;
  if (!rc) rc = store_import(c->st, &m, year, &f, 1, 0, &oc, &id, c->err);
  /* the report shows its synthetic-data banner from this mark (docs/report.md) */
  if (!rc) rc = store_set_synthetic(c->st, id, c->err);
  ingest_report_free(rep);
  survey_free(s);
  return rc;
}

static int import_official(demo_ctx *c, int year) {
  geo_era era = geo_era_for_year(year);
  size_t U = geo_count(c->reg, era), n = 0;
  double *v = chiso_malloc(U * SYNO_N * sizeof *v);
  store_indicator *rows = chiso_malloc(U * SYNO_N * sizeof *rows);
  int rc = v && rows ? CHISO_OK : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = syno_values(c->model, year, c->o->seed, v, c->err);
  for (size_t u = 0; !rc && u < U; u++)
    for (int k = 0; k < SYNO_N; k++) {
      if (isnan(v[u * SYNO_N + (size_t)k])) continue;
      memcpy(rows[n].code, geo_unit_at(c->reg, era, u)->code, 3);
      rows[n].indicator = syno_indicator_id(k);
      rows[n].value = v[u * SYNO_N + (size_t)k];
      rows[n++].source = "SYNTHETIC (chiso synth --official)";
    }
  if (!rc) rc = store_put_indicators(c->st, year, rows, n, c->err);
  chiso_free(rows);
  chiso_free(v);
  return rc;
}

static int make_inputs(demo_ctx *c, int year) {
  char path[4200];
  synf_options so = {year, c->o->respondents, c->o->seed, DEMO_METHOD, SYNF_CSV, 0, c->o->threads};
  path_of(path, sizeof path, c->o->dir, "inputs", "survey-%d.csv", year);
  int rc = synf_write(c->model, &so, path, NULL, NULL, NULL, c->err);
  if (!rc) rc = import_survey(c, year, path);
  path_of(path, sizeof path, c->o->dir, "inputs", "official-%d.csv", year);
  if (!rc) rc = syno_write(c->model, year, c->o->seed, path, c->err);
  if (!rc) rc = import_official(c, year);
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
  FILE *f = fopen(tmp, "wb");
  if (!f) return chiso_err_at(c->err, CHISO_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
  int rc = fn(c, arg, f);
  if (fclose(f) && !rc) rc = CHISO_EIO;
  if (!rc && rename(tmp, path)) rc = CHISO_EIO;
  if (rc) {
    remove(tmp);
    if (!c->err->code) chiso_err_at(c->err, rc, path, 0, 0, "write failed");
    return rc;
  }
  c->sum->n_files++;
  size_t n = strlen(path);
  if (n > 4 && strcmp(path + n - 4, ".csv") == 0) {
    rc = syno_write_meta(path, GENERATOR, what, year, c->o->seed, c->err);
    c->sum->n_files++;
  }
  return rc;
}

static int write_index_csv(demo_ctx *c, const void *arg, FILE *f) {
  const pipe_result *r = arg;
  int *cols = chiso_malloc(r->n_nodes * sizeof *cols);
  if (!cols) return chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  int rc = idxout_csv(r->plan, r->ws, cols, idxout_nodes(r->model, 2, cols), f);
  chiso_free(cols);
  return rc;
}

static int write_index_json(demo_ctx *c, const void *arg, FILE *f) {
  const pipe_result *r = arg;
  int *cols = chiso_malloc(r->n_nodes * sizeof *cols);
  if (!cols) return chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  int rc = idxout_json(r->plan, r->ws, cols, idxout_nodes(r->model, 1, cols), r->year, 1, f);
  chiso_free(cols);
  return rc;
}

static int write_estimates(demo_ctx *c, const void *arg, FILE *f) {
  (void)c;
  return est_write_csv(arg, -1, f);
}

/* ---- per-year analysis ------------------------------------------------ */

/* Estimates of every domain (provinces, regions, nation) of year t. */
static int year_estimates(demo_ctx *c, int t) {
  char *json = NULL;
  int rc = store_load_year(c->st, DEMO_FIRST_YEAR + t, &c->surv[t], &json, c->err);
  if (!rc) rc = est_run(c->surv[t], c->cb, c->reg, NULL, &c->est[t], c->err);
  chiso_free(json);
  return rc;
}

/* HN + HCM share of the provinces' estimated online sales totals. */
static int sales_share(demo_ctx *c, const est_result *e, double *share) {
  size_t K = svy_indicator_count(e->design), n = 0, k;
  const char *codes[64];
  double v[64];
  for (k = 0; k < K && strcmp(svy_indicator_id(e->design, k), "online_sales_total"); k++) {}
  for (size_t i = 0; k < K && i < svy_domain_count(e->design) && n < 64; i++) {
    const svy_domain *dm = svy_domain_at(e->design, i);
    if (dm->level != SVY_PROVINCE) continue;
    codes[n] = dm->code;
    v[n++] = e->cells[i * K + k].estimate;
  }
  div_concentration dc;
  int rc = div_concentration_compute(codes, v, n, &dc, c->err);
  *share = rc ? NAN : dc.hn_hcm_share;
  return rc;
}

/* Mean and Gini of the ranked units' scores. */
static int score_stats(demo_ctx *c, const pipe_result *r, demo_year *y) {
  double x[64];
  int g[64];
  int root = r->model->root;
  size_t n = 0;
  for (size_t i = 0; i < r->n_units && n < 64; i++)
    if (r->rank[i]) {
      x[n] = pipe_score(r, root, i);
      g[n++] = r->region[i];
    }
  y->n_units = r->n_units;
  y->n_ranked = n;
  div_inequality in;
  int rc = div_inequality_compute(x, g, n, geo_region_count(geo_era_for_year(r->year)), &in, c->err);
  y->mean = rc ? NAN : in.mean;
  y->gini = rc ? NAN : in.gini;
  return rc;
}

static int do_year(demo_ctx *c, int t) {
  int year = DEMO_FIRST_YEAR + t;
  demo_year *y = &c->sum->years[t];
  char path[4200];
  pipe_result *r = NULL;
  pipe_options po;
  pipe_options_init(&po);
  po.method = DEMO_METHOD;
  y->year = year;
  int rc = pipe_compute(c->st, year, c->reg, &po, &r, c->err);
  path_of(path, sizeof path, c->sum->results, "", "index-%d.csv", year);
  if (!rc) rc = write_output(c, path, write_index_csv, r, "SYNTHETIC index scores and ranks (chiso compute format)", year);
  path_of(path, sizeof path, c->sum->results, "", "index-%d.json", year);
  if (!rc) rc = write_output(c, path, write_index_json, r, NULL, year);
  if (!rc) rc = score_stats(c, r, y);
  if (!rc) rc = year_estimates(c, t);
  path_of(path, sizeof path, c->sum->results, "", "estimates-%d.csv", year);
  if (!rc) rc = write_output(c, path, write_estimates, c->est[t], "SYNTHETIC survey estimates (chiso estimate format)", year);
  if (!rc) rc = sales_share(c, c->est[t], &y->hn_hcm_share);
  if (!rc && year == DEMO_LAST_YEAR) {
    c->sum->latest = r;
    r = NULL;
  }
  pipe_result_free(r);
  progress(c);
  return rc;
}

/* ---- the divide over years -------------------------------------------- */

static int write_divide(demo_ctx *c, const void *arg, FILE *f) {
  (void)arg;
  const char *head[] = {"year", "units", "ranked", "mean_score", "gini_score", "hn_hcm_share",
                        "outside_share", "target_outside_share"};
  int rc = csvout_row(f, head, 8, 0);
  for (int t = 0; !rc && t < DEMO_N_YEARS; t++) {
    const demo_year *y = &c->sum->years[t];
    char yr[16], nu[16], nr[16];
    snprintf(yr, sizeof yr, "%d", y->year);
    snprintf(nu, sizeof nu, "%zu", y->n_units);
    snprintf(nr, sizeof nr, "%zu", y->n_ranked);
    csvout_field(f, yr, 1);
    csvout_field(f, nu, 0);
    csvout_field(f, nr, 0);
    csvout_number(f, y->mean, 0);
    csvout_number(f, y->gini, 0);
    csvout_number(f, y->hn_hcm_share, 0);
    csvout_number(f, 1.0 - y->hn_hcm_share, 0);
    csvout_field(f, "0.5", 0);
    rc = csvout_end_row(f, 0);
  }
  return rc ? CHISO_EIO : CHISO_OK;
}

/* ---- national targets ------------------------------------------------- */

/* tgt_lookup_fn over the demo's estimates; "outside_share" is 1 - the HN +
** HCM share of online sales. */
static int lookup(void *userdata, const char *indicator, const char *scope, int year,
                  double *value) {
  demo_ctx *c = userdata;
  int t = year - DEMO_FIRST_YEAR;
  if (t < 0 || t >= DEMO_N_YEARS || !c->est[t]) return CHISO_ENOTFOUND;
  if (strcmp(indicator, "outside_share") == 0) {
    if (strcmp(scope, TGT_NATIONAL) || isnan(c->sum->years[t].hn_hcm_share)) return CHISO_ENOTFOUND;
    *value = 1.0 - c->sum->years[t].hn_hcm_share;
    return CHISO_OK;
  }
  const est_result *e = c->est[t];
  const char *code = strcmp(scope, TGT_NATIONAL) == 0 ? "VN" : scope;
  size_t K = svy_indicator_count(e->design);
  for (size_t i = 0; i < svy_domain_count(e->design); i++) {
    if (strcmp(svy_domain_at(e->design, i)->code, code)) continue;
    for (size_t k = 0; k < K; k++)
      if (strcmp(svy_indicator_id(e->design, k), indicator) == 0 && !isnan(e->cells[i * K + k].estimate)) {
        *value = e->cells[i * K + k].estimate;
        return CHISO_OK;
      }
  }
  return CHISO_ENOTFOUND;
}

/* The national KPIs chiso can measure, judged with the synthetic estimates only. */
static int judge_targets(demo_ctx *c, tgt_plan_set *plans, tgt_actuals *act) {
  int rc = tgt_actuals_from_estimates(plans, NULL, lookup, c, DEMO_FIRST_YEAR, DEMO_LAST_YEAR, act, c->err);
  c->sum->targets = chiso_calloc(plans->n ? plans->n : 1, sizeof *c->sum->targets);
  if (!rc && !c->sum->targets) rc = chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < plans->n; i++) {
    const tgt_kpi *k = &plans->kpis[i];
    if (!*k->chiso_indicator || strcmp(k->scope, TGT_NATIONAL)) continue;
    tgt_result res;
    tgt_evaluate(k, act, 0, &res);
    demo_target *d = &c->sum->targets[c->sum->n_targets++];
    snprintf(d->plan, sizeof d->plan, "%s", k->plan);
    snprintf(d->kpi, sizeof d->kpi, "%s", k->kpi);
    snprintf(d->status, sizeof d->status, "%s", tgt_status_name(res.status));
    d->target = k->target_value;
    d->target_year = k->target_year;
    d->actual = res.actual_value;
    d->actual_year = res.actual_year;
  }
  return rc;
}

static int write_targets(demo_ctx *c, const void *arg, FILE *f) {
  (void)arg;
  const char *head[] = {"plan", "kpi", "target_year", "target_value", "actual_year",
                        "actual_value", "status"};
  int rc = csvout_row(f, head, 7, 0);
  for (size_t i = 0; !rc && i < c->sum->n_targets; i++) {
    const demo_target *d = &c->sum->targets[i];
    char ty[16], ay[16];
    snprintf(ty, sizeof ty, "%d", d->target_year);
    snprintf(ay, sizeof ay, "%d", d->actual_year);
    csvout_field(f, d->plan, 1);
    csvout_field(f, d->kpi, 0);
    csvout_field(f, ty, 0);
    csvout_number(f, d->target, 0);
    csvout_field(f, d->actual_year ? ay : "", 0);
    csvout_number(f, d->actual, 0);
    csvout_field(f, d->status, 0);
    rc = csvout_end_row(f, 0);
  }
  return rc ? CHISO_EIO : CHISO_OK;
}

static int do_targets(demo_ctx *c) {
  tgt_plan_set *plans = NULL;
  tgt_actuals *act = tgt_actuals_new();
  char path[4200];
  int rc = act ? tgt_plans_builtin(c->reg, &plans, c->err)
               : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = judge_targets(c, plans, act);
  path_of(path, sizeof path, c->sum->results, "", "targets.csv", 0);
  if (!rc) rc = write_output(c, path, write_targets, NULL,
                             "national plan KPIs judged with SYNTHETIC estimates", 0);
  tgt_actuals_free(act);
  tgt_plans_free(plans);
  return rc;
}

/* ---- the run ---------------------------------------------------------- */

void demo_summary_free(demo_summary *s) {
  if (!s) return;
  pipe_result_free(s->latest);
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
  if (!rc) rc = syn_model_new(c->reg, &c->model, c->err);
  if (!rc) rc = open_store(c);
  for (int t = 0; !rc && t < DEMO_N_YEARS; t++) rc = make_inputs(c, DEMO_FIRST_YEAR + t);
  for (int t = 0; !rc && t < DEMO_N_YEARS; t++) rc = do_year(c, t);
  char path[4200];
  path_of(path, sizeof path, c->sum->results, "", "divide.csv", 0);
  if (!rc) rc = write_output(c, path, write_divide, NULL,
                             "SYNTHETIC index means, score Gini and HN+HCM share of online sales by year", 0);
  if (!rc) rc = do_targets(c);
  return rc;
}

int demo_run(const geo_registry *reg, const demo_options *o, demo_summary **out,
             chiso_err *err) {
  *out = NULL;
  int rc = check_options(o, err);
  if (rc) return rc;
  demo_ctx c = {.reg = reg, .o = o, .err = err, .steps = 2 * DEMO_N_YEARS};
  if (!(c.sum = chiso_calloc(1, sizeof *c.sum))) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rc = run_all(&c);
  store_close(c.st);
  for (int t = 0; t < DEMO_N_YEARS; t++) {
    est_result_free(c.est[t]);
    survey_free(c.surv[t]);
  }
  codebook_free(c.cb);
  syn_model_free(c.model);
  if (rc) {
    demo_summary_free(c.sum);
    return rc;
  }
  *out = c.sum;
  return CHISO_OK;
}

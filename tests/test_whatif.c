/* Tests of whatif.c, the index re-run with other weights: a tiny store
** (three provinces, one indicator per pillar) whose scores are worked by
** hand from the shares, the goalposts and the weights; a what-if must be
** what `compute --weights` gives, its intervals the report's at the
** methodology's weights, its weights read by the weight table's rule, and
** runs from several threads must agree. */
#include "testutil.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/chiso-whatif-XXXXXX";
static char dbpath[600];
static geo_registry *reg;

/* ebi = weighted mean of p1 (email_use) and p2 (web_use), weights 1 : 1;
** goalposts 0..1 to 0..100. */
static const char method_json[] =
    "{\"id\":\"whatif-test\",\"name\":\"t\",\"version\":\"1\","
    "\"codebook\":{\"design\":{\"respondent_id\":\"respondent_id\",\"province\":\"province\","
    "\"stratum\":\"size\",\"weight\":\"weight\",\"min_respondents\":3},"
    "\"questions\":[{\"id\":\"q_email\",\"text\":\"e\",\"type\":\"yesno\"},"
    "{\"id\":\"q_web\",\"text\":\"w\",\"type\":\"yesno\"}],"
    "\"indicators\":[{\"id\":\"email_use\",\"kind\":\"share_yes\",\"question\":\"q_email\"},"
    "{\"id\":\"web_use\",\"kind\":\"share_yes\",\"question\":\"q_web\"}]},"
    "\"tree\":{\"normalisation\":{\"method\":\"goalposts\",\"range\":[0,100]},"
    "\"aggregation\":\"arithmetic\",\"nodes\":["
    "{\"id\":\"ebi\"},{\"id\":\"p1\",\"parent\":\"ebi\",\"weight\":1},"
    "{\"id\":\"p2\",\"parent\":\"ebi\",\"weight\":1},"
    "{\"id\":\"email_use\",\"parent\":\"p1\",\"goalposts\":{\"low\":0,\"high\":1}},"
    "{\"id\":\"web_use\",\"parent\":\"p2\",\"goalposts\":{\"low\":0,\"high\":1}}]}}";

/* (province, weight, q_email, q_web), every weight 1:
**   01: email 3/4, web 1/4;  79: email 2/4, web 3/4;  48: email 2/4, web 1/4 */
static const test_yesno_row rows[] = {
    {"01", 1, 1, 0}, {"01", 1, 1, 0}, {"01", 1, 1, 1}, {"01", 1, 0, 0},
    {"79", 1, 1, 1}, {"79", 1, 1, 1}, {"79", 1, 0, 1}, {"79", 1, 0, 0},
    {"48", 1, 1, 1}, {"48", 1, 1, 0}, {"48", 1, 0, 0}, {"48", 1, 0, 0}};

static int setup(void **state) {
  (void)state;
  chiso_err err;
  if (!mkdtemp(dir) || geo_registry_new(&reg, &err)) return -1;
  snprintf(dbpath, sizeof dbpath, "%s/w.db", dir);
  store *st = NULL;
  survey_data *s = test_survey_yesno(rows, sizeof rows / sizeof rows[0], 2024);
  char hash[65];
  store_sha256_mem(method_json, strlen(method_json), hash);
  store_method m = {"whatif-test", hash, method_json};
  store_file f = {"survey.csv", "00", 10, 0, 0, s};
  store_outcome oc;
  long long id;
  int rc = store_open(dbpath, 1, &st, &err);
  if (!rc) rc = store_import(st, &m, 2024, &f, 1, 0, &oc, &id, &err);
  store_close(st);
  survey_free(s);
  return rc;
}

static int teardown(void **state) {
  (void)state;
  geo_registry_free(reg);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd) == 0 ? 0 : -1;
}

static year_ctx *load(const year_options *o) {
  store *st = NULL;
  year_ctx *y = NULL;
  chiso_err err;
  assert_int_equal(store_open_readonly(dbpath, &st, &err), 0);
  assert_int_equal(year_load(st, reg, 2024, o, &y, &err), 0);
  store_close(st);
  return y;
}

static size_t unit(const year_result *r, const char *code) {
  long i = year_result_unit(r, code);
  assert_true(i >= 0);
  return (size_t)i;
}

static double score(const whatif_result *r, const char *code, const year_result *nom) {
  const idx_model *m = idx_plan_model(r->plan);
  return idx_score(r->ws, m->root, unit(nom, code));
}

/* Without weights a what-if is the year's index. */
static void test_nominal_by_hand(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  whatif_result r;
  chiso_err err;
  assert_int_equal(whatif_new(y, GEO_ERA_63, 0, 1, 1, &w, &err), 0);
  const year_result *nom = whatif_nominal(w);
  double *wt = chiso_malloc(nom->n_nodes * sizeof *wt);
  assert_int_equal(whatif_parse(w, NULL, NULL, 0, wt, &err), 0);
  assert_int_equal(whatif_run(w, wt, &r, &err), 0);
  /* 01: (75 + 25)/2; 79: (50 + 75)/2; 48: (50 + 25)/2 */
  assert_close(score(&r, "01", nom), 50, 1e-9);
  assert_close(score(&r, "79", nom), 62.5, 1e-9);
  assert_close(score(&r, "48", nom), 37.5, 1e-9);
  assert_int_equal(idx_ranks(r.ws)[unit(nom, "79")], 1);
  assert_int_equal(idx_ranks(r.ws)[unit(nom, "01")], 2);
  assert_int_equal(idx_ranks(r.ws)[unit(nom, "48")], 3);
  for (size_t i = 0; i < nom->n_units; i++) assert_int_equal(idx_ranks(r.ws)[i], nom->rank[i]);
  assert_true(isnan(r.level)); /* runs 0: no intervals */
  whatif_result_clear(&r);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* w.p1 = 3 moves Hà Nội to the top, and is what a weight table gives. */
static void test_weights_like_a_weight_file(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  whatif_result r;
  chiso_err err;
  const char *ids[] = {"p1"}, *vals[] = {"3"};
  assert_int_equal(whatif_new(y, GEO_ERA_63, 0, 1, 1, &w, &err), 0);
  const year_result *nom = whatif_nominal(w);
  double *wt = chiso_malloc(nom->n_nodes * sizeof *wt);
  assert_int_equal(whatif_parse(w, ids, vals, 1, wt, &err), 0);
  assert_int_equal(whatif_run(w, wt, &r, &err), 0);
  /* 01: (3*75 + 25)/4; 79: (3*50 + 75)/4; 48: (3*50 + 25)/4 */
  assert_close(score(&r, "01", nom), 62.5, 1e-9);
  assert_close(score(&r, "79", nom), 56.25, 1e-9);
  assert_close(score(&r, "48", nom), 43.75, 1e-9);
  assert_int_equal(idx_ranks(r.ws)[unit(nom, "01")], 1);
  assert_int_equal(idx_ranks(r.ws)[unit(nom, "79")], 2);

  /* the same weights from a file: `compute --db --weights` */
  char wpath[700];
  snprintf(wpath, sizeof wpath, "%s/w.csv", dir);
  FILE *f = fopen(wpath, "w");
  fputs("iCode,Weight\np1,3\n", f);
  fclose(f);
  year_options o;
  year_options_init(&o);
  o.weights = wpath;
  year_ctx *y2 = load(&o);
  const year_result *file = NULL;
  assert_int_equal(year_result_get(y2, GEO_ERA_63, &file, &err), 0);
  size_t n = nom->n_nodes * nom->n_units;
  assert_memory_equal(idx_scores(r.ws), file->scores, n * sizeof(double));
  assert_memory_equal(idx_ranks(r.ws), file->rank, nom->n_units * sizeof(int));
  year_free(y2);
  whatif_result_clear(&r);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* Weights are read by the rule of a weight table, and a bad one names its
** node. */
static void test_bad_weights(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  chiso_err err;
  assert_int_equal(whatif_new(y, GEO_ERA_63, 0, 1, 1, &w, &err), 0);
  double *wt = chiso_malloc(whatif_nominal(w)->n_nodes * sizeof *wt);
  static const struct { const char *id, *value, *says; } bad[] = {
      {"zz", "1", "unknown node 'zz'"}, {"p1", "abc", "is not a number"},
      {"p1", "0", "must be > 0"},       {"p2", "-1", "must be > 0"},
      {"p2", "1e999", "is not a number"}, {"p1", "0x10", "is not a number"},
      {"p1", "", "is not a number"}};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const char *ids[] = {bad[i].id}, *vals[] = {bad[i].value};
    chiso_err_clear(&err);
    assert_int_equal(whatif_parse(w, ids, vals, 1, wt, &err), CHISO_EUSAGE);
    assert_string_equal(err.column, bad[i].id);
    if (!strstr(err.message, bad[i].says)) print_error("message: %s\n", err.message);
    assert_non_null(strstr(err.message, bad[i].says));
  }
  /* the unknown node's message lists the nodes that exist */
  const char *ids[] = {"zz"}, *vals[] = {"1"};
  whatif_parse(w, ids, vals, 1, wt, &err);
  assert_non_null(strstr(err.message, "p1"));
  assert_non_null(strstr(err.message, "web_use"));
  const char *twice[] = {"p1", "p1"}, *tv[] = {"2", "3"};
  assert_int_equal(whatif_parse(w, twice, tv, 2, wt, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "given twice"));
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* At the methodology's weights the intervals are the report's: crossed
** bootstrap x method draws (uncertainty_year_run) with the same runs and
** seed; and they survive the context recomputing its own replicates. */
static void test_intervals_are_the_reports(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  whatif_result r;
  uncertainty_year u;
  chiso_err err;
  const size_t runs = 30;
  assert_int_equal(whatif_new(y, GEO_ERA_63, runs, 7, 1, &w, &err), 0);
  assert_true(whatif_crossed(w));
  /* ask the context for other replicates: the what-if keeps its own */
  const year_replicates *other = NULL;
  assert_int_equal(year_replicates_get(y, GEO_ERA_63, 11, 3, 1, NULL, NULL, &other, &err), 0);
  const year_result *nom = whatif_nominal(w);
  double *wt = chiso_malloc(nom->n_nodes * sizeof *wt);
  assert_int_equal(whatif_parse(w, NULL, NULL, 0, wt, &err), 0);
  assert_int_equal(whatif_run(w, wt, &r, &err), 0);
  assert_int_equal(uncertainty_year_run(y, runs, runs, 7, 1, &u, &err), 0);
  int ranked = 0;
  for (size_t i = 0; i < nom->n_units; i++) {
    double lo, hi;
    int rlo, rhi;
    if (!nom->rank[i]) continue;
    uncertainty_year_intervals(&u, i, &lo, &hi, &rlo, &rhi);
    assert_close(r.score_lo[i], lo, 0);
    assert_close(r.score_hi[i], hi, 0);
    assert_int_equal(r.rank_lo[i], rlo);
    assert_int_equal(r.rank_hi[i], rhi);
    assert_true(r.rank_lo[i] >= 1 && r.rank_lo[i] <= r.rank_hi[i] && r.rank_hi[i] <= 3);
    assert_true(r.score_lo[i] <= idx_score(r.ws, nom->model->root, i) + 1e-9);
    ranked++;
  }
  assert_int_equal(ranked, 3);
  assert_close(r.level, UNCERTAINTY_LEVEL, 0);
  uncertainty_year_free(&u);
  whatif_result_clear(&r);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* On the 34 units a year before 2025 has no replicates of its own: the
** rank intervals come from method draws alone, as in the report. */
static void test_harmonised_view_method_only(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  whatif_result r;
  chiso_err err;
  assert_int_equal(whatif_new(y, GEO_ERA_34, 20, 1, 1, &w, &err), 0);
  assert_false(whatif_crossed(w));
  const year_result *nom = whatif_nominal(w);
  assert_int_equal(nom->n_units, 34);
  double *wt = chiso_malloc(nom->n_nodes * sizeof *wt);
  assert_int_equal(whatif_parse(w, NULL, NULL, 0, wt, &err), 0);
  assert_int_equal(whatif_run(w, wt, &r, &err), 0);
  size_t hcm = unit(nom, "79");
  assert_true(r.rank_lo[hcm] >= 1);
  assert_true(isnan(r.score_lo[hcm])); /* normalisation varies: no score interval */
  whatif_result_clear(&r);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* Several threads run one what-if at once and write the same bytes as one
** thread alone. */
typedef struct job {
  const whatif *w;
  char *out;
  size_t len;
  int rc;
} job;

static void *run_job(void *arg) {
  job *j = arg;
  const char *ids[] = {"p1", "web_use"}, *vals[] = {"2.5", "0.5"};
  chiso_err err;
  const year_result *nom = whatif_nominal(j->w);
  double *wt = chiso_malloc(nom->n_nodes * sizeof *wt);
  whatif_result r;
  FILE *f = open_memstream(&j->out, &j->len);
  j->rc = whatif_parse(j->w, ids, vals, 2, wt, &err);
  if (!j->rc) j->rc = whatif_run(j->w, wt, &r, &err);
  if (!j->rc) j->rc = out_whatif_write(j->w, &r, 2024, 0, CHISO_FORMAT_JSON, f);
  fclose(f);
  if (!j->rc) whatif_result_clear(&r);
  chiso_free(wt);
  return NULL;
}

static void test_threads_agree(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  chiso_err err;
  assert_int_equal(whatif_new(y, GEO_ERA_63, 25, 3, 1, &w, &err), 0);
  job one = {w, NULL, 0, 0}, many[4];
  run_job(&one);
  assert_int_equal(one.rc, 0);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) {
    many[i] = (job){w, NULL, 0, 0};
    pthread_create(&t[i], NULL, run_job, &many[i]);
  }
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  for (int i = 0; i < 4; i++) {
    assert_int_equal(many[i].rc, 0);
    assert_int_equal(many[i].len, one.len);
    assert_memory_equal(many[i].out, one.out, one.len);
    free(many[i].out);
  }
  /* the JSON names the weights run and the nominal rank */
  assert_non_null(strstr(one.out, "\"nominal_rank\""));
  assert_non_null(strstr(one.out, "\"weight\": 2.5"));
  free(one.out);
  whatif_free(w);
  year_free(y);
}

/* The CSV has compute's columns with the intervals after the rank. */
static void test_csv_columns(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  whatif_result r;
  chiso_err err;
  char *out = NULL;
  size_t len = 0;
  assert_int_equal(whatif_new(y, GEO_ERA_63, 0, 1, 1, &w, &err), 0);
  double *wt = chiso_malloc(whatif_nominal(w)->n_nodes * sizeof *wt);
  assert_int_equal(whatif_parse(w, NULL, NULL, 0, wt, &err), 0);
  assert_int_equal(whatif_run(w, wt, &r, &err), 0);
  FILE *f = open_memstream(&out, &len);
  assert_int_equal(out_whatif_write(w, &r, 2024, 0, CHISO_FORMAT_CSV, f), 0);
  fclose(f);
  assert_true(strncmp(out, "code,name,ebi,p1,p2,rank,score_lo,score_hi,rank_lo,rank_hi,note\n", 64) == 0);
  assert_non_null(strstr(out, "\n79,Hồ Chí Minh,62.5,50,75,1,,,,,\n"));
  free(out);
  whatif_result_clear(&r);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

/* Out of memory anywhere in preparing or running a what-if is reported,
** never a crash; the loops end in a success. */
static void test_out_of_memory(void **state) {
  (void)state;
  year_ctx *y = load(NULL);
  whatif *w = NULL;
  chiso_err err;
  int rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 5000; k++) {
    chiso_mem_fail_after(k);
    rc = whatif_new(y, GEO_ERA_63, 0, 1, 1, &w, &err);
    chiso_mem_fail_after(-1);
    if (rc == CHISO_ENOMEM) assert_null(w);
  }
  assert_int_equal(rc, CHISO_OK);
  whatif_free(w);
  assert_int_equal(whatif_new(y, GEO_ERA_63, 4, 1, 1, &w, &err), 0);
  double *wt = chiso_malloc(whatif_nominal(w)->n_nodes * sizeof *wt);
  const char *ids[] = {"p2"}, *vals[] = {"2"};
  rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 20000; k++) {
    whatif_result r;
    chiso_mem_fail_after(k);
    rc = whatif_parse(w, ids, vals, 1, wt, &err);
    if (!rc) rc = whatif_run(w, wt, &r, &err);
    chiso_mem_fail_after(-1);
    if (!rc) whatif_result_clear(&r);
    else assert_int_equal(rc, CHISO_ENOMEM);
  }
  assert_int_equal(rc, CHISO_OK);
  chiso_free(wt);
  whatif_free(w);
  year_free(y);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_nominal_by_hand),
      cmocka_unit_test(test_weights_like_a_weight_file),
      cmocka_unit_test(test_bad_weights),
      cmocka_unit_test(test_intervals_are_the_reports),
      cmocka_unit_test(test_harmonised_view_method_only),
      cmocka_unit_test(test_threads_agree),
      cmocka_unit_test(test_csv_columns),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

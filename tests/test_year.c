/* Tests of year.c, the stored-year context: a tiny store (three provinces
** surveyed, one external indicator) run end to end. The expected scores are worked by
** hand from the weighted shares, the goalposts and the weights (see the
** comments), not taken from chiso's output. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/chiso-pipe-XXXXXX";
static char dbpath[600];
static geo_registry *reg;

/* Two pillars: p1 = mean(email_use, domains), p2 = web_use; ebi weighs
** them 1 : 3. Goalposts: shares 0..1, domains 0..20, all to 0..100. */
static const char method_json[] =
    "{\"id\":\"pipe-test\",\"name\":\"t\",\"version\":\"1\","
    "\"codebook\":{\"design\":{\"respondent_id\":\"respondent_id\",\"province\":\"province\","
    "\"stratum\":\"size\",\"weight\":\"weight\",\"min_respondents\":3},"
    "\"questions\":[{\"id\":\"q_email\",\"text\":\"e\",\"type\":\"yesno\"},"
    "{\"id\":\"q_web\",\"text\":\"w\",\"type\":\"yesno\"}],"
    "\"indicators\":[{\"id\":\"email_use\",\"kind\":\"share_yes\",\"question\":\"q_email\"},"
    "{\"id\":\"web_use\",\"kind\":\"share_yes\",\"question\":\"q_web\"}]},"
    "\"tree\":{\"normalisation\":{\"method\":\"goalposts\",\"range\":[0,100]},"
    "\"aggregation\":\"arithmetic\",\"nodes\":["
    "{\"id\":\"ebi\"},{\"id\":\"p1\",\"parent\":\"ebi\",\"weight\":1},"
    "{\"id\":\"p2\",\"parent\":\"ebi\",\"weight\":3},"
    "{\"id\":\"email_use\",\"parent\":\"p1\",\"goalposts\":{\"low\":0,\"high\":1}},"
    "{\"id\":\"domains\",\"parent\":\"p1\",\"goalposts\":{\"low\":0,\"high\":20}},"
    "{\"id\":\"web_use\",\"parent\":\"p2\",\"goalposts\":{\"low\":0,\"high\":1}}]}}";

/* (province, weight, q_email, q_web) */
static const test_yesno_row rows[] = {
    {"01", 1, 1, 0}, {"01", 1, 0, 1}, {"01", 2, 1, 1}, {"01", 4, 0, 0},
    {"79", 2, 1, 1}, {"79", 2, 1, 0}, {"79", 1, 0, 1}, {"79", 3, 1, 1},
    {"48", 1, 1, 1}, {"48", 1, 0, 1}};

static int setup(void **state) {
  (void)state;
  chiso_err err;
  if (!mkdtemp(dir) || geo_registry_new(&reg, &err)) return -1;
  snprintf(dbpath, sizeof dbpath, "%s/p.db", dir);
  store *st = NULL;
  survey_data *s = test_survey_yesno(rows, sizeof rows / sizeof rows[0], 2024);
  char hash[65];
  store_sha256_mem(method_json, strlen(method_json), hash);
  store_method m = {"pipe-test", hash, method_json};
  store_file f = {"survey.csv", "00", 10, 0, 0, s};
  store_outcome oc;
  long long id;
  store_indicator ind[] = {{"01", "domains", 10, "test"}, {"79", "domains", 15, "test"},
                           {"48", "domains", 4, "test"}};
  int rc = store_open(dbpath, 1, &st, &err);
  if (!rc) rc = store_import(st, &m, 2024, &f, 1, 0, &oc, &id, &err);
  if (!rc) rc = store_put_indicators(st, 2024, ind, 3, &err);
  /* a year with official indicators only */
  if (!rc) rc = store_put_indicators(st, 2023, ind, 3, &err);
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

/* The context of the last compute(); freed by done(). */
static year_ctx *ctx;

/* The index of `year` on its own units, as compute --db makes it. */
static const year_result *compute(int year, const year_options *o, int expect_rc) {
  store *st = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  const year_result *r = NULL;
  assert_int_equal(store_open(dbpath, 0, &st, &err), 0);
  int rc = year_load(st, reg, year, o, &ctx, &err);
  store_close(st); /* the context keeps what it loaded */
  if (!rc) rc = year_result_get(ctx, geo_era_for_year(year), &r, &err);
  if (rc != expect_rc) print_error("rc %d: %s\n", rc, err.message);
  assert_int_equal(rc, expect_rc);
  return r;
}

static void done(void) {
  year_free(ctx);
  ctx = NULL;
}

static void test_scores_by_hand(void **state) {
  (void)state;
  const year_result *r = compute(2024, NULL, 0);
  assert_int_equal(r->n_units, 63);
  assert_int_equal(r->min_respondents, 3);
  int ebi = idx_model_find(r->model, "ebi"), p1 = idx_model_find(r->model, "p1");
  long hn = year_result_unit(r, "01"), hcm = year_result_unit(r, "79"), dn = year_result_unit(r, "48");
  assert_true(hn >= 0 && hcm >= 0 && dn >= 0);
  /* HN: email (1+2)/8 = .375, web (1+2)/8 = .375, domains 10/20:
  ** p1 = (37.5 + 50)/2 = 43.75, ebi = (43.75 + 3 * 37.5)/4 = 39.0625 */
  assert_close(year_result_score(r, p1, (size_t)hn), 43.75, 1e-9);
  assert_close(year_result_score(r, ebi, (size_t)hn), 39.0625, 1e-9);
  /* HCM: email 7/8, web 6/8, domains 15/20: p1 = 81.25, ebi = (81.25 + 225)/4 */
  assert_close(year_result_score(r, ebi, (size_t)hcm), 76.5625, 1e-9);
  /* Đà Nẵng: 2 respondents < 3, scored (email .5, web 1, domains .2:
  ** (35 + 300)/4 = 83.75) but not ranked */
  assert_close(year_result_score(r, ebi, (size_t)dn), 83.75, 1e-9);
  assert_int_equal(r->rank[hcm], 1);
  assert_int_equal(r->rank[hn], 2);
  assert_int_equal(r->rank[dn], 0);
  assert_int_equal(r->respondents[dn], 2);
  assert_non_null(strstr(r->note[dn], "2 respondents < 3"));
  assert_string_equal(r->note[hcm], "");
  long other = year_result_unit(r, "02");
  assert_int_equal(r->rank[other], 0);
  assert_int_equal(r->respondents[other], 0);
  assert_true(isnan(year_result_score(r, ebi, (size_t)other)));
  assert_string_equal(r->data->name[hn], "Hà Nội");
  assert_non_null(r->data->group[hn]);
  assert_int_equal(r->n_absent, 0);
  done();
}

static void test_weights_and_overrides(void **state) {
  (void)state;
  char wpath[700];
  snprintf(wpath, sizeof wpath, "%s/w.csv", dir);
  FILE *f = fopen(wpath, "w");
  fputs("iCode,Weight\np2,1\n", f);
  fclose(f);
  year_options o;
  year_options_init(&o);
  o.weights = wpath;
  o.min_respondents = 2; /* Đà Nẵng is ranked now */
  const year_result *r = compute(2024, &o, 0);
  int ebi = idx_model_find(r->model, "ebi");
  long hn = year_result_unit(r, "01"), dn = year_result_unit(r, "48");
  /* equal pillar weights: (43.75 + 37.5)/2 and (35 + 100)/2 */
  assert_close(year_result_score(r, ebi, (size_t)hn), 40.625, 1e-9);
  assert_close(year_result_score(r, ebi, (size_t)dn), 67.5, 1e-9);
  assert_close(r->weights[idx_model_find(r->model, "p2")], 1, 0);
  assert_int_equal(r->rank[dn], 2); /* HCM (81.25 + 75)/2 = 78.125 stays first */
  done();
}

static void test_external_only_year(void **state) {
  (void)state;
  /* no survey and no methodology given: nothing to build the tree from */
  const year_result *r = compute(2023, NULL, CHISO_ENOTFOUND);
  assert_null(r);
  done();
  char mpath[700];
  snprintf(mpath, sizeof mpath, "%s/m.json", dir);
  FILE *f = fopen(mpath, "w");
  fputs(method_json, f);
  fclose(f);
  year_options o;
  year_options_init(&o);
  o.method = mpath;
  r = compute(2023, &o, 0);
  /* survey indicators are absent; no unit is noted for respondents */
  assert_int_equal(r->n_absent, 2);
  long hn = year_result_unit(r, "01");
  int p1 = idx_model_find(r->model, "p1");
  assert_close(year_result_score(r, p1, (size_t)hn), 50, 1e-9);
  assert_null(r->data->note[hn]);
  done();
  compute(2019, &o, CHISO_ENOTFOUND);
  assert_null(ctx);
}

/* Everything derived from a year comes from the one load: the index, the
** estimates, the table, the 34-unit view and the replicates read no block
** again, and asking twice returns the same object. */
static void test_loaded_once(void **state) {
  (void)state;
  store *st = NULL;
  year_ctx *y = NULL;
  chiso_err err;
  const year_result *r1 = NULL, *r2 = NULL, *r34 = NULL;
  const estimates *e1 = NULL, *e2 = NULL;
  const year_replicates *rep = NULL, *rep2 = NULL;
  assert_int_equal(store_open(dbpath, 0, &st, &err), 0);
  assert_int_equal(year_load(st, reg, 2024, NULL, &y, &err), 0);
  unsigned long long after_load = store_blocks_read(st);
  assert_true(after_load > 0);
  assert_int_equal(year_result_get(y, GEO_ERA_63, &r1, &err), 0);
  assert_int_equal(year_result_get(y, GEO_ERA_63, &r2, &err), 0);
  assert_ptr_equal(r1, r2);
  assert_int_equal(year_estimates(y, GEO_ERA_63, &e1, NULL, &err), 0);
  assert_int_equal(year_estimates(y, GEO_ERA_63, &e2, NULL, &err), 0);
  assert_ptr_equal(e1, e2);
  assert_int_equal(year_result_get(y, GEO_ERA_34, &r34, &err), 0);
  assert_int_equal(r34->n_units, 34);
  assert_int_equal(year_replicates_get(y, GEO_ERA_63, 4, 7, 1, NULL, NULL, &rep, &err), 0);
  assert_int_equal(year_replicates_get(y, GEO_ERA_63, 4, 7, 2, NULL, NULL, &rep2, &err), 0);
  assert_ptr_equal(rep, rep2);
  assert_int_equal(rep->n_replicates, 4);
  assert_int_equal(store_blocks_read(st), after_load);
  /* the 63-unit view of the stored survey is untouched by the 34 view */
  const survey_data *s63 = NULL, *s34 = NULL;
  assert_int_equal(year_estimates(y, GEO_ERA_63, &e1, &s63, &err), 0);
  assert_int_equal(year_estimates(y, GEO_ERA_34, &e2, &s34, &err), 0);
  assert_ptr_not_equal(s63, s34);
  assert_string_equal(s63->province_old[8], "");  /* not re-assigned */
  assert_string_equal(s34->province_old[8], "48"); /* re-assigned in the view */
  /* a 63-unit view of 2025 is refused, a year not stored is named */
  year_free(y);
  assert_int_equal(year_load(st, reg, 2019, NULL, &y, &err), CHISO_ENOTFOUND);
  assert_non_null(strstr(err.message, "stored years: 2023, 2024"));
  assert_null(y);
  store_close(st);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scores_by_hand),
      cmocka_unit_test(test_weights_and_overrides),
      cmocka_unit_test(test_external_only_year),
      cmocka_unit_test(test_loaded_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

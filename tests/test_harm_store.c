/* End-to-end test of the 34-unit view through the store: a 2024 survey is
** imported, then estimated on its own 63 provinces and on the 2025 units
** (year_table on the 34 units). Golden numbers: tests/reference/harm34.R
** (R survey: svyby on the 2025 unit of each respondent, same design),
** copied from tests/reference/harm34.out. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

static char dir[] = "/tmp/chiso-harm-XXXXXX";
static char dbpath[512];

static const char method_json[] =
    "{\"id\":\"harm-test\",\"codebook\":{"
    "\"design\":{\"respondent_id\":\"id\",\"province\":\"province\",\"stratum\":\"stratum\","
    "\"weight\":\"w\",\"min_respondents\":1},"
    "\"questions\":[{\"id\":\"y\",\"type\":\"yesno\"},{\"id\":\"sales\",\"type\":\"number\"}],"
    "\"indicators\":[{\"id\":\"share_y\",\"kind\":\"share_yes\",\"question\":\"y\"},"
    "{\"id\":\"sales_total\",\"kind\":\"total\",\"question\":\"sales\"}]}}";

/* The data of harm34.R. */
static survey_data *make_survey(void) {
  static const char *prov[] = {"01", "01", "01", "79", "79", "74", "74", "77", "77", "02", "02", "08"};
  static const double w[] = {10, 20, 30, 5, 15, 10, 30, 20, 7, 12, 8, 25};
  static const int strata[] = {0, 1, 2, 0, 1, 0, 2, 1, 1, 0, 0, 2};
  static const double y[] = {1, 0, 1, 1, 1, 0, 1, 0, NAN, 1, 0, 1};
  static const double sales[] = {100, 0, 50, 400, 300, 20, 80, 10, NAN, 5, 0, 15};
  static const char *names[] = {"a", "b", "c"};
  survey_data *s = survey_new(12, 2);
  assert_non_null(s);
  s->year = 2024;
  s->weight = chiso_malloc(12 * sizeof(double));
  s->stratum_names = chiso_malloc(3 * sizeof(char *));
  s->n_strata = 3;
  for (size_t h = 0; h < 3; h++) s->stratum_names[h] = chiso_strdup(names[h]);
  s->vars[0].id = chiso_strdup("y");
  s->vars[1].id = chiso_strdup("sales");
  for (size_t i = 0; i < 12; i++) {
    char id[8];
    snprintf(id, sizeof id, "r%zu", i);
    s->respondent_id[i] = chiso_strdup(id);
    memcpy(s->province[i], prov[i], 3);
    s->weight[i] = w[i];
    s->stratum[i] = strata[i];
    s->source_row[i] = (long)i + 2;
    s->vars[0].values[i] = y[i];
    s->vars[1].values[i] = sales[i];
  }
  return s;
}

static store *open_store(void) {
  chiso_err err;
  store *st = NULL;
  survey_data *s = make_survey();
  store_method m = {"harm-test", "00", method_json};
  store_file f = {"harm.csv", "cafe", 1, 0, 0, s};
  store_outcome oc;
  long long id;
  snprintf(dbpath, sizeof dbpath, "%s/h.db", dir);
  unlink(dbpath);
  assert_int_equal(store_open(dbpath, 1, &st, &err), 0);
  assert_int_equal(store_import(st, &m, 2024, &f, 1, 0, &oc, &id, &err), 0);
  survey_free(s);
  return st;
}

/* Contexts loaded by table_units, freed by free_tables. */
static year_ctx *loaded[4];
static size_t n_loaded;

/* The unit table of `year` on `era` through a year context, with the
** estimation options of opt (NULL: defaults). */
static int table_units(store *st, int year, geo_era era, const geo_registry *reg,
                       const estimator_options *opt, const unittable **t, chiso_err *err) {
  year_options o;
  year_options_init(&o);
  if (opt) {
    o.min_respondents = opt->min_respondents;
    o.strata_by_province = opt->strata_by_province;
    assert_null(opt->population);
  }
  year_ctx *y = NULL;
  *t = NULL;
  int rc = year_load(st, reg, year, &o, &y, err);
  if (!rc) rc = year_table(y, era, t, err);
  if (y) loaded[n_loaded++] = y;
  return rc;
}

static void free_tables(void) {
  while (n_loaded) year_free(loaded[--n_loaded]);
}

static double cell(const unittable *t, const geo_registry *reg, const char *code,
                   const char *ind, int se) {
  const geo_unit *u = geo_find_code(reg, t->era, code);
  assert_non_null(u);
  for (size_t k = 0; k < t->n_indicators; k++)
    if (!strcmp(t->indicator[k], ind))
      return (se ? t->se : t->value)[(size_t)u->index * t->n_indicators + k];
  fail_msg("no indicator %s", ind);
  return NAN;
}

static void check_view(void **state, int by_province) {
  const geo_registry *reg = *state;
  chiso_err err;
  store *st = open_store();
  const unittable *t63 = NULL, *t34 = NULL;
  estimator_options opt = {1, by_province, NULL};
  assert_int_equal(table_units(st, 2024, GEO_ERA_63, reg, &opt, &t63, &err), 0);
  assert_int_equal(table_units(st, 2024, GEO_ERA_34, reg, &opt, &t34, &err), 0);
  assert_int_equal(t63->n_units, 63);
  assert_int_equal(t34->n_units, 34);
  /* Unchanged province: exactly the 63-unit estimate and SE. */
  assert_true(cell(t34, reg, "01", "share_y", 0) == cell(t63, reg, "01", "share_y", 0));
  assert_true(cell(t34, reg, "01", "share_y", 1) == cell(t63, reg, "01", "share_y", 1));
  assert_true(cell(t34, reg, "01", "sales_total", 1) == cell(t63, reg, "01", "sales_total", 1));
  /* Merged units: R's svyby on the 2025 unit (harm34.out rows u34 / p34). */
  assert_close(cell(t34, reg, "79", "share_y", 0), 0.625, 1e-12);
  assert_close(cell(t34, reg, "08", "share_y", 0), 37.0 / 45, 1e-12);
  assert_close(cell(t34, reg, "79", "sales_total", 0), 9300, 1e-9);
  assert_close(cell(t34, reg, "08", "sales_total", 0), 435, 1e-9);
  if (!by_province) {
    assert_close(cell(t34, reg, "79", "share_y", 1), 0.25303335532346322, 1e-12);
    assert_close(cell(t34, reg, "08", "share_y", 1), 0.19192032081368679, 1e-12);
    assert_close(cell(t34, reg, "79", "sales_total", 1), 5412.023651093923, 1e-8);
    assert_close(cell(t34, reg, "08", "sales_total", 1), 379.76966703516484, 1e-9);
  } else {
    assert_close(cell(t63, reg, "02", "share_y", 1), 0.48000000000000009, 1e-12);
    assert_close(cell(t34, reg, "79", "share_y", 1), 0.23619088215360898, 1e-12);
    assert_close(cell(t34, reg, "08", "share_y", 1), 0.21731986235219861, 1e-12);
    assert_close(cell(t34, reg, "79", "sales_total", 1), 5485.4352607609908, 1e-8);
  }
  free_tables();
  store_close(st);
}

static void test_view_34(void **state) { check_view(state, 0); }
static void test_view_34_strata_by_province(void **state) { check_view(state, 1); }

static void test_external_merge_and_refusal(void **state) {
  const geo_registry *reg = *state;
  chiso_err err;
  store *st = open_store();
  /* parcels: 79 = 60, 74 = 40, 77 = 30; enterprises 200, 50, 30: (12000 +
  ** 2000 + 900) / 280. Hà Nội 7 copied. */
  store_indicator rows[] = {
      {"79", "parcels", 60, NULL},      {"74", "parcels", 40, NULL},
      {"77", "parcels", 30, NULL},      {"01", "parcels", 7, NULL},
      {"79", "enterprises", 200, NULL}, {"74", "enterprises", 50, NULL},
      {"77", "enterprises", 30, NULL},  {"01", "enterprises", 1, NULL}};
  assert_int_equal(store_put_indicators(st, 2024, rows, 8, &err), 0);
  const unittable *t = NULL;
  assert_int_equal(table_units(st, 2024, GEO_ERA_34, reg, NULL, &t, &err), 0);
  assert_close(cell(t, reg, "79", "parcels", 0), 14900.0 / 280, 1e-12);
  assert_true(cell(t, reg, "01", "parcels", 0) == 7);
  size_t k = 0;
  while (strcmp(t->indicator[k], "parcels")) k++;
  size_t u79 = (size_t)geo_find_code(reg, GEO_ERA_34, "79")->index;
  size_t u01 = (size_t)geo_find_code(reg, GEO_ERA_34, "01")->index;
  assert_int_equal(t->approx[u79 * t->n_indicators + k], 1);
  assert_int_equal(t->approx[u01 * t->n_indicators + k], 0);
  free_tables();
  /* 63 provinces of 2025: impossible. */
  store_indicator y2025[] = {{"79", "parcels", 60, NULL}};
  assert_int_equal(store_put_indicators(st, 2025, y2025, 1, &err), 0);
  assert_int_equal(table_units(st, 2025, GEO_ERA_63, reg, NULL, &t, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "63-province view of 2025 is impossible"));
  assert_null(t);
  free_tables();
  store_close(st);
}

/* HN+HCM share of online sales on the 2025 units, Taylor interval: R's
** svyratio(~sales_hh, ~sales) (harm34.out row u34,VN,hh_share); the
** bootstrap interval is reproducible and brackets the estimate. */
static void test_share_interval(void **state) {
  const geo_registry *reg = *state;
  chiso_err err;
  survey_data *s = make_survey();
  assert_int_equal(harmonise_survey_to_34(reg, s, &err), 0);
  divide_options o;
  divide_options_init(&o);
  o.interval = DIVIDE_CI_TAYLOR;
  double share, lo, hi, se = 0.038577846087516791, z = 1.959963984540054;
  char how[160];
  assert_int_equal(divide_share_interval(s, s->vars[1].values, NULL, reg, GEO_ERA_34, &o, &share,
                                        &lo, &hi, how, &err), 0);
  assert_close(share, 11800.0 / 12235, 1e-14);
  assert_close(share, 0.96444626072742135, 1e-14);
  assert_close(lo, 0.96444626072742135 - z * se, 1e-12);
  assert_close(hi, 0.96444626072742135 + z * se, 1e-12);
  assert_non_null(strstr(how, "Taylor 95%"));
  o.interval = DIVIDE_CI_BOOT;
  o.replicates = 300;
  double lo2, hi2;
  assert_int_equal(divide_share_interval(s, s->vars[1].values, NULL, reg, GEO_ERA_34, &o, &share,
                                        &lo, &hi, how, &err), 0);
  o.threads = 3;
  assert_int_equal(divide_share_interval(s, s->vars[1].values, NULL, reg, GEO_ERA_34, &o, &share,
                                        &lo2, &hi2, how, &err), 0);
  assert_true(lo == lo2 && hi == hi2);
  assert_true(lo <= share && share <= hi && hi <= 1);
  assert_non_null(strstr(how, "bootstrap percentile 95% (Rao-Wu, 300 replicates, seed 1)"));
  o.interval = DIVIDE_CI_TAYLOR;
  o.level = 0.8;
  assert_int_equal(divide_share_interval(s, s->vars[1].values, NULL, reg, GEO_ERA_34, &o, &share,
                                        &lo, &hi, how, &err), CHISO_EUSAGE);
  survey_free(s);
}

static int setup(void **state) {
  if (!mkdtemp(dir)) return -1;
  return test_registry_setup(state);
}

static int teardown(void **state) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) return -1;
  return test_registry_teardown(state);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_view_34),
      cmocka_unit_test(test_view_34_strata_by_province),
      cmocka_unit_test(test_external_merge_and_refusal),
      cmocka_unit_test(test_share_interval),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

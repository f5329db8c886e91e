/* Tests of svy.c against R's survey package. The expected numbers are in
** tests/reference/case*.csv, written by tests/reference/reference.R (R's
** svydesign/svyby/svymean/svytotal/svyratio/postStratify with
** survey.lonely.psu = "adjust") from the surveys in tests/data/survey/.
** Agreement is required to 1e-9 (relative for large numbers). A few
** hand-worked cases check the formulas on numbers small enough to follow. */
#include "testutil.h"

#include <stdlib.h>

/* The registry of the group fixture (testutil.h), set by each test. */
static const geo_registry *reg;
#define USE_REGISTRY() (reg = *state)

/* ---- a tiny reader for the simple test CSVs (no quotes) -------------- */

typedef struct table {
  size_t nrow, ncol;
  char **head;
  char ***cell; /* cell[r][c] */
} table;

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static size_t split(char *line, char **out, size_t max) {
  size_t n = 0;
  out[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == ',') {
      *p = '\0';
      out[n++] = p + 1;
    }
  return n;
}

static table *read_table(const char *path) {
  table *t = calloc(1, sizeof *t);
  char *buf = slurp(path), *save = NULL;
  char *line = strtok_r(buf, "\r\n", &save);
  char *f[64];
  t->ncol = split(line, f, 64);
  t->head = calloc(t->ncol, sizeof(char *));
  for (size_t c = 0; c < t->ncol; c++) t->head[c] = strdup(f[c]);
  t->cell = calloc(2000, sizeof(char **));
  while ((line = strtok_r(NULL, "\r\n", &save)) != NULL) {
    size_t n = split(line, f, 64);
    assert_int_equal(n, t->ncol);
    t->cell[t->nrow] = calloc(t->ncol, sizeof(char *));
    for (size_t c = 0; c < n; c++) t->cell[t->nrow][c] = strdup(f[c]);
    t->nrow++;
  }
  free(buf);
  return t;
}

static int col_of(const table *t, const char *name) {
  for (size_t c = 0; c < t->ncol; c++)
    if (strcmp(t->head[c], name) == 0) return (int)c;
  return -1;
}

static void table_free(table *t) {
  for (size_t r = 0; r < t->nrow; r++) {
    for (size_t c = 0; c < t->ncol; c++) free(t->cell[r][c]);
    free(t->cell[r]);
  }
  for (size_t c = 0; c < t->ncol; c++) free(t->head[c]);
  free(t->head);
  free(t->cell);
  free(t);
}

static const char *var_names[] = {"q_email", "q_web", "q_rev_pct", "q_sales",
                                  "q_employees", "q_soft"};

/* The survey in a test CSV, coded as the ingest step would. */
static survey_data *load_survey(const char *path, int year) {
  table *t = read_table(path);
  survey_data *s = survey_new(t->nrow, 6);
  assert_non_null(s);
  s->year = year;
  int cp = col_of(t, "province"), cs = col_of(t, "size"), cw = col_of(t, "weight");
  s->stratum_names = chiso_calloc(16, sizeof(char *));
  if (cw >= 0) s->weight = chiso_malloc(t->nrow * sizeof(double));
  for (size_t v = 0; v < 6; v++) s->vars[v].id = chiso_strdup(var_names[v]);
  for (size_t r = 0; r < t->nrow; r++) {
    memcpy(s->province[r], t->cell[r][cp], 3);
    s->source_row[r] = (long)r + 2;
    size_t h = 0;
    while (h < s->n_strata && strcmp(s->stratum_names[h], t->cell[r][cs]) != 0) h++;
    if (h == s->n_strata) s->stratum_names[s->n_strata++] = chiso_strdup(t->cell[r][cs]);
    s->stratum[r] = (int)h;
    if (cw >= 0) s->weight[r] = strtod(t->cell[r][cw], NULL);
    for (size_t v = 0; v < 6; v++) {
      const char *x = t->cell[r][col_of(t, var_names[v])];
      s->vars[v].values[r] = *x ? strtod(x, NULL) : NAN;
    }
  }
  table_free(t);
  return s;
}

static estimator_population *load_population(const char *path) {
  table *t = read_table(path);
  estimator_population *p = calloc(1, sizeof *p);
  int cp = col_of(t, "province"), cs = col_of(t, "size"), cc = col_of(t, "count");
  p->n = t->nrow;
  p->province = calloc(t->nrow, sizeof *p->province);
  p->count = calloc(t->nrow, sizeof(double));
  if (cs >= 0) p->stratum = calloc(t->nrow, sizeof(char *));
  for (size_t r = 0; r < t->nrow; r++) {
    memcpy(p->province[r], t->cell[r][cp], 3);
    if (cs >= 0) p->stratum[r] = strdup(t->cell[r][cs]);
    p->count[r] = strtod(t->cell[r][cc], NULL);
  }
  table_free(t);
  return p;
}

static void test_population_free(estimator_population *p) {
  for (size_t r = 0; p->stratum && r < p->n; r++) free(p->stratum[r]);
  free(p->stratum);
  free(p->province);
  free(p->count);
  free(p);
}

/* The codebook of the test surveys: the R script's indicators. */
static char *soft_labels[] = {"x"};
static codebook_option soft_options[] = {{"none", soft_labels, 1}, {"basic", soft_labels, 1},
                                   {"erp", soft_labels, 1}, {"other", soft_labels, 1}};
static char *any_opts[] = {"basic", "erp"};
static codebook_question questions[] = {
    {.id = "q_soft", .type = CODEBOOK_SINGLE, .options = soft_options, .n_options = 4}};
static codebook_indicator indicators[] = {
    {.id = "email_use", .kind = CODEBOOK_SHARE_YES, .question = "q_email"},
    {.id = "web_use", .kind = CODEBOOK_SHARE_YES, .question = "q_web"},
    {.id = "rev_pct", .kind = CODEBOOK_MEAN, .question = "q_rev_pct"},
    {.id = "soft_any", .kind = CODEBOOK_SHARE_ANY, .question = "q_soft", .options = any_opts,
     .n_options = 2},
    {.id = "sales_total", .kind = CODEBOOK_TOTAL, .question = "q_sales"},
    {.id = "sales_per_emp", .kind = CODEBOOK_RATIO, .question = "q_sales",
     .denominator = "q_employees"}};
static const codebook test_cb = {questions, 1, indicators, 6, {0}};

static size_t find_domain(const estimator_design *d, const char *level, const char *dom) {
  for (size_t i = 0; i < estimator_domain_count(d); i++) {
    const estimator_domain *x = estimator_domain_at(d, i);
    if (strcmp(level, "province") == 0 && x->level == ESTIMATOR_PROVINCE && !strcmp(x->code, dom)) return i;
    if (strcmp(level, "region") == 0 && x->level == ESTIMATOR_REGION && !strcmp(x->name, dom)) return i;
    if (strcmp(level, "nation") == 0 && x->level == ESTIMATOR_NATION) return i;
  }
  fail_msg("domain %s %s not estimated", level, dom);
  return 0;
}

static size_t find_indicator(const estimator_design *d, const char *id) {
  for (size_t k = 0; k < estimator_indicator_count(d); k++)
    if (!strcmp(estimator_indicator_id(d, k), id)) return k;
  fail_msg("indicator %s not estimated", id);
  return 0;
}

static void assert_rel(double got, double want, const char *what, const char *dom) {
  double tol = 1e-9 * fmax(1.0, fabs(want));
  if (!(fabs(got - want) <= tol))
    fail_msg("%s of %s: %.17g, R gives %.17g", what, dom, got, want);
}

/* The statistics of design d read back give the same cells bit for bit
** (so they agree with R as the rows do), for the options they were made
** with; other options or indicators are CHISO_ENOTFOUND, every cut of the
** blob and damaged counts CHISO_EDATA. A post-stratified design keeps
** none (CHISO_EUSAGE). */
static void stats_round_trip(const estimator_design *d, const estimator_spec *specs,
                             const estimator_options *opt, const estimator_cell *cells) {
  unsigned char *blob = NULL;
  size_t len = 0;
  chiso_err err;
  if (opt->population) {
    assert_int_equal(estimator_stats_encode(d, &blob, &len, &err), CHISO_EUSAGE);
    assert_null(blob);
    return;
  }
  assert_int_equal(estimator_stats_encode(d, &blob, &len, &err), 0);
  size_t D = estimator_domain_count(d), K = estimator_indicator_count(d);
  estimator_spec ids[6];
  for (size_t k = 0; k < K; k++) ids[k] = (estimator_spec){specs[k].id, specs[k].kind, NULL, NULL};
  estimator_design *e = NULL;
  int rc = estimator_design_from_stats(blob, len, reg, GEO_ERA_63, ids, K, opt, &e, &err);
  if (rc == CHISO_ENOTFOUND) /* a survey of 2025: the 34 units */
    rc = estimator_design_from_stats(blob, len, reg, GEO_ERA_34, ids, K, opt, &e, &err);
  if (rc) fail_msg("%s", err.message);
  assert_int_equal(estimator_design_has_rows(e), 0);
  assert_int_equal(estimator_domain_count(e), D);
  for (size_t i = 0; i < D; i++) {
    assert_string_equal(estimator_domain_at(e, i)->code, estimator_domain_at(d, i)->code);
    assert_int_equal(estimator_domain_at(e, i)->respondents, estimator_domain_at(d, i)->respondents);
    assert_int_equal(estimator_domain_at(e, i)->ranked, estimator_domain_at(d, i)->ranked);
  }
  estimator_cell *again = calloc(D * K, sizeof *again);
  assert_int_equal(estimator_estimate_all(e, again, &err), 0);
  assert_memory_equal(again, cells, D * K * sizeof *cells);
  free(again);
  estimator_design_free(e);
  estimator_options other = *opt;
  other.strata_by_province = !opt->strata_by_province;
  assert_int_equal(estimator_design_from_stats(blob, len, reg, GEO_ERA_63, ids, K, &other, &e, &err),
                   CHISO_ENOTFOUND);
  ids[2].id = "another";
  assert_int_not_equal(estimator_design_from_stats(blob, len, reg, GEO_ERA_63, ids, K, opt, &e, &err), 0);
  ids[2].id = specs[2].id;
  for (size_t cut = 0; cut < len; cut += cut < 200 ? 1 : 97) {
    rc = estimator_design_from_stats(blob, cut, reg, GEO_ERA_63, ids, K, opt, &e, &err);
    assert_true(rc == CHISO_EDATA || rc == CHISO_ENOTFOUND);
    assert_null(e);
  }
  blob[8 + 8 * 5] ^= 0x40; /* H: damaged */
  rc = estimator_design_from_stats(blob, len, reg, GEO_ERA_63, ids, K, opt, &e, &err);
  assert_true(rc == CHISO_EDATA || rc == CHISO_ENOTFOUND);
  chiso_free(blob);
}

/* Estimate `survey` with `opt` and compare every row of tests/reference/CASE.csv. */
static void check_case(const char *survey, int year, const char *ref_case,
                       const estimator_options *opt) {
  char path[256];
  snprintf(path, sizeof path, "tests/data/survey/%s", survey);
  survey_data *s = load_survey(path, year);
  estimator_spec *specs;
  double **owned;
  chiso_err err;
  assert_int_equal(estimator_specs_from_codebook(s, &test_cb, &specs, &owned, &err), 0);
  estimator_design *d;
  int rc = estimator_design_new(s, reg, specs, 6, opt, &d, &err);
  if (rc) fail_msg("%s", err.message);
  size_t D = estimator_domain_count(d), K = estimator_indicator_count(d);
  estimator_cell *cells = calloc(D * K, sizeof *cells);
  assert_int_equal(estimator_estimate_all(d, cells, &err), 0);
  snprintf(path, sizeof path, "tests/reference/%s.csv", ref_case);
  table *t = read_table(path);
  assert_int_equal(t->nrow, D * K);
  for (size_t r = 0; r < t->nrow; r++) {
    char **c = t->cell[r];
    size_t i = find_domain(d, c[0], c[1]), k = find_indicator(d, c[2]);
    const estimator_cell *got = &cells[i * K + k];
    char what[128];
    snprintf(what, sizeof what, "%s %s", ref_case, c[2]);
    assert_rel(got->estimate, strtod(c[3], NULL), what, c[1]);
    assert_rel(got->se, strtod(c[4], NULL), what, c[1]);
    assert_int_equal(got->n, atol(c[5]));
    assert_rel(got->weighted_n, strtod(c[6], NULL), what, c[1]);
  }
  stats_round_trip(d, specs, opt, cells);
  /* The bootstrap entry point gives the same point estimates. */
  double *work = calloc(estimator_point_work_size(d), sizeof(double));
  double *pt = calloc(D * K, sizeof(double));
  estimator_estimate_point(d, estimator_weights(d), work, pt);
  for (size_t j = 0; j < D * K; j++) assert_close(pt[j], cells[j].estimate, 1e-9 * fmax(1, fabs(pt[j])));
  free(work);
  free(pt);
  table_free(t);
  free(cells);
  estimator_design_free(d);
  estimator_specs_free(specs, owned, 6);
  survey_free(s);
}

static void test_case_a_strata_by_size(void **state) {
  USE_REGISTRY();
  estimator_options opt = {30, 0, NULL};
  check_case("ref1.csv", 2024, "caseA", &opt);
}

static void test_case_b_strata_by_province(void **state) {
  USE_REGISTRY();
  estimator_options opt = {30, 1, NULL};
  check_case("ref1.csv", 2024, "caseB", &opt);
}

static void test_case_c_post_stratified_cells(void **state) {
  USE_REGISTRY();
  estimator_population *pop = load_population("tests/data/survey/ref2-population.csv");
  estimator_options opt = {30, 0, pop};
  check_case("ref2.csv", 2025, "caseC", &opt);
  test_population_free(pop);
}

static void test_case_d_post_stratified_provinces(void **state) {
  USE_REGISTRY();
  estimator_population *pop = load_population("tests/data/survey/ref1-population.csv");
  estimator_options opt = {30, 0, pop};
  check_case("ref1.csv", 2024, "caseD", &opt);
  test_population_free(pop);
}

/* Hand-worked: one province, one stratum, weights 1, y = 0,1,1,NA.
** mean = 2/3; z_i = (y_i - 2/3)/3 = -2/9, 1/9, 1/9, 0 (NA); zbar = 0;
** V = 4/3 * (4/81 + 1/81 + 1/81) = 24/243 = 8/81; SE = sqrt(8)/9. */
static void test_hand_mean(void **state) {
  USE_REGISTRY();
  survey_data *s = survey_new(4, 1);
  s->year = 2024;
  const double y[4] = {0, 1, 1, NAN};
  for (int i = 0; i < 4; i++) {
    memcpy(s->province[i], "01", 3);
    s->vars[0].values[i] = y[i];
  }
  estimator_spec sp = {"m", CODEBOOK_SHARE_YES, s->vars[0].values, NULL};
  estimator_options opt = {3, 0, NULL};
  estimator_design *d;
  chiso_err err;
  assert_int_equal(estimator_design_new(s, reg, &sp, 1, &opt, &d, &err), 0);
  assert_int_equal(estimator_domain_count(d), 3); /* Hà Nội, its region, nation */
  estimator_cell c[3];
  assert_int_equal(estimator_estimate_all(d, c, &err), 0);
  assert_close(c[0].estimate, 2.0 / 3.0, 1e-15);
  assert_close(c[0].se, sqrt(8.0) / 9.0, 1e-15);
  assert_int_equal(c[0].n, 3);
  assert_close(c[0].weighted_n, 3, 0);
  assert_true(estimator_domain_at(d, 0)->ranked);
  assert_string_equal(estimator_domain_at(d, 1)->code, "dbsh");
  assert_string_equal(estimator_domain_at(d, 2)->code, "VN");
  estimator_design_free(d);
  survey_free(s);
}

/* Hand-worked: a total over two strata of two respondents each, one
** respondent outside the domain (province 79): domain 01 rows are
** (h0: w=2,y=3), (h0: w=1,y=5), (h1: w=4,y=1); row (h1, 79) has z = 0.
** T = 6+5+4 = 15. h0: z = 6,5, mean 5.5, sum sq dev 0.5, x2 = 1.
** h1: z = 4,0, mean 2, sum sq dev 8, x2 = 16. V = 17. The 79 province is
** below the minimum of 2 respondents: not ranked. */
static void test_hand_total_domain(void **state) {
  USE_REGISTRY();
  survey_data *s = survey_new(4, 1);
  s->year = 2024;
  const char *pv[4] = {"01", "01", "01", "79"};
  const int st[4] = {0, 0, 1, 1};
  const double w[4] = {2, 1, 4, 7}, y[4] = {3, 5, 1, 9};
  s->weight = chiso_malloc(4 * sizeof(double));
  s->stratum_names = chiso_calloc(2, sizeof(char *));
  s->stratum_names[0] = chiso_strdup("a");
  s->stratum_names[1] = chiso_strdup("b");
  s->n_strata = 2;
  for (int i = 0; i < 4; i++) {
    memcpy(s->province[i], pv[i], 3);
    s->stratum[i] = st[i];
    s->weight[i] = w[i];
    s->vars[0].values[i] = y[i];
  }
  estimator_spec sp = {"t", CODEBOOK_TOTAL, s->vars[0].values, NULL};
  estimator_options opt = {2, 0, NULL};
  estimator_design *d;
  chiso_err err;
  assert_int_equal(estimator_design_new(s, reg, &sp, 1, &opt, &d, &err), 0);
  estimator_cell c[8];
  assert_int_equal(estimator_estimate_all(d, c, &err), 0);
  assert_string_equal(estimator_domain_at(d, 0)->code, "01");
  assert_close(c[0].estimate, 15, 1e-12);
  assert_close(c[0].se, sqrt(17.0), 1e-12);
  assert_string_equal(estimator_domain_at(d, 1)->code, "79");
  assert_false(estimator_domain_at(d, 1)->ranked);
  estimator_design_free(d);
  survey_free(s);
}

static void test_bad_weight_and_province(void **state) {
  USE_REGISTRY();
  survey_data *s = survey_new(2, 1);
  s->year = 2025;
  memcpy(s->province[0], "01", 3);
  memcpy(s->province[1], "74", 3); /* Bình Dương: not a unit in 2025 */
  s->source_row[1] = 3;
  estimator_spec sp = {"m", CODEBOOK_MEAN, s->vars[0].values, NULL};
  estimator_design *d;
  chiso_err err;
  assert_int_equal(estimator_design_new(s, reg, &sp, 1, NULL, &d, &err), CHISO_EDATA);
  assert_null(d);
  assert_int_equal(err.row, 3);
  memcpy(s->province[1], "79", 3);
  s->weight = chiso_malloc(2 * sizeof(double));
  s->weight[0] = 1;
  s->weight[1] = -2;
  assert_int_equal(estimator_design_new(s, reg, &sp, 1, NULL, &d, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "weight"));
  survey_free(s);
}

/* The estimates of a codebook from its stored statistics (what an import
** keeps) are those of the rows; with options the statistics were not made
** for (strata by province) they are not used. */
static void test_estimates_from_stats(void **state) {
  USE_REGISTRY();
  survey_data *s = load_survey("tests/data/survey/ref1.csv", 2024);
  chiso_err err;
  unsigned char *blob = NULL;
  size_t len = 0;
  assert_int_equal(estimates_stats_encode(s, &test_cb, reg, &blob, &len, &err), 0);
  estimates *rows = NULL, *st = NULL;
  estimator_options opt = {30, 0, NULL};
  assert_int_equal(estimates_run(s, &test_cb, reg, &opt, &rows, &err), 0);
  assert_int_equal(estimates_from_stats(blob, len, &test_cb, reg, GEO_ERA_63, &opt, &st, &err), 0);
  size_t n = estimator_domain_count(rows->design) * 6;
  assert_int_equal(estimator_domain_count(st->design) * 6, n);
  assert_memory_equal(st->cells, rows->cells, n * sizeof *rows->cells);
  estimates_free(st);
  st = NULL;
  opt.strata_by_province = 1;
  assert_int_equal(estimates_from_stats(blob, len, &test_cb, reg, GEO_ERA_63, &opt, &st, &err),
                   CHISO_ENOTFOUND);
  assert_null(st);
  estimates_free(rows);
  chiso_free(blob);
  survey_free(s);
}

static void test_out_of_memory(void **state) {
  USE_REGISTRY();
  survey_data *s = load_survey("tests/data/survey/ref1.csv", 2024);
  estimator_spec *specs;
  double **owned;
  chiso_err err;
  assert_int_equal(estimator_specs_from_codebook(s, &test_cb, &specs, &owned, &err), 0);
  estimator_population *pop = load_population("tests/data/survey/ref1-population.csv");
  estimator_options opt = {30, 0, pop};
  int rc = CHISO_ENOMEM;
  /* Fail the k-th allocation for every k until the whole run succeeds:
  ** each failure is a clean CHISO_ENOMEM, and the loop must end in success. */
  for (long k = 0; rc == CHISO_ENOMEM && k < 100000; k++) {
    estimator_design *d = NULL;
    chiso_mem_fail_after(k);
    rc = estimator_design_new(s, reg, specs, 6, &opt, &d, &err);
    estimator_cell cells[60 * 6];
    if (rc == CHISO_OK) rc = estimator_estimate_all(d, cells, &err);
    chiso_mem_fail_after(-1);
    assert_true(rc == CHISO_OK || rc == CHISO_ENOMEM);
    estimator_design_free(d);
  }
  assert_int_equal(rc, CHISO_OK);
  /* the statistics: made and read back */
  opt.population = NULL;
  rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 100000; k++) {
    estimator_design *d = NULL, *e = NULL;
    unsigned char *blob = NULL;
    size_t len = 0;
    chiso_mem_fail_after(k);
    rc = estimator_design_new(s, reg, specs, 6, &opt, &d, &err);
    if (rc == CHISO_OK) rc = estimator_stats_encode(d, &blob, &len, &err);
    if (rc == CHISO_OK) {
      rc = estimator_design_from_stats(blob, len, reg, GEO_ERA_63, specs, 6, &opt, &e, &err);
      if (rc) assert_null(e);
    }
    estimator_cell cells[60 * 6];
    if (rc == CHISO_OK) rc = estimator_estimate_all(e, cells, &err);
    chiso_mem_fail_after(-1);
    assert_true(rc == CHISO_OK || rc == CHISO_ENOMEM);
    chiso_free(blob);
    estimator_design_free(d);
    estimator_design_free(e);
  }
  assert_int_equal(rc, CHISO_OK);
  test_population_free(pop);
  estimator_specs_free(specs, owned, 6);
  survey_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_case_a_strata_by_size),
      cmocka_unit_test(test_case_b_strata_by_province),
      cmocka_unit_test(test_case_c_post_stratified_cells),
      cmocka_unit_test(test_case_d_post_stratified_provinces),
      cmocka_unit_test(test_hand_mean),
      cmocka_unit_test(test_hand_total_domain),
      cmocka_unit_test(test_bad_weight_and_province),
      cmocka_unit_test(test_estimates_from_stats),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, test_registry_setup, test_registry_teardown);
}

/* Tests of synth.c: calibration, the sample plan and the per-row streams.
** Expected values come from the model's documented rules (docs/synth.md)
** and the published figures: the published 2021 national mean is 20.37
** and the targets file is built to average it; the plan bounds 30/500 and
** the number of unranked provinces (7 in 2021) come from the EBI reports. */
#include "testutil.h"

static geo_registry *reg;
static synth_model *model;

static int setup(void **state) {
  (void)state;
  chiso_err err;
  if (geo_registry_new(&reg, &err)) return -1;
  return synth_model_new(reg, &model, &err);
}

static int teardown(void **state) {
  (void)state;
  synth_model_free(model);
  geo_registry_free(reg);
  return 0;
}

static int idx63(const char *code) { return geo_find_code(reg, GEO_ERA_63, code)->index; }

/* The calibration hits the targets of data/synth/provinces.csv. */
static void test_calibration(void **state) {
  (void)state;
  assert_close(synth_expected_score(model, idx63("79"), 2021), 90.6, 0.01);
  assert_close(synth_expected_score(model, idx63("01"), 2021), 85.9, 0.01);
  assert_close(synth_expected_score(model, idx63("48"), 2021), 36.6, 0.01);
  double mean = 0.0;
  for (int i = 0; i < 63; i++) mean += synth_expected_score(model, i, 2021) / 63.0;
  assert_close(mean, 20.37, 0.05);
  /* Đà Nẵng, Bình Dương, Hải Phòng, Đồng Nai come next, in this order. */
  const char *order[] = {"79", "01", "48", "74", "31", "75"};
  for (int k = 0; k + 1 < 6; k++)
    assert_true(synth_readiness(model, idx63(order[k]), 2021) > synth_readiness(model, idx63(order[k + 1]), 2021));
  for (int i = 0; i < 63; i++) {
    int top = 0;
    for (int k = 0; k < 6; k++) top |= i == idx63(order[k]);
    if (!top) assert_true(synth_expected_score(model, i, 2021) <= 25.9 + 1e-6);
  }
}

/* Readiness grows every year and laggards grow faster. */
static void test_growth(void **state) {
  (void)state;
  int hcm = idx63("79"), tq = idx63("08");
  for (int y = 2020; y < 2026; y++) {
    assert_true(synth_readiness(model, hcm, y + 1) > synth_readiness(model, hcm, y));
    assert_true(synth_expected_score(model, tq, y + 1) > synth_expected_score(model, tq, y));
  }
  double g_hcm = synth_readiness(model, hcm, 2022) - synth_readiness(model, hcm, 2021);
  double g_tq = synth_readiness(model, tq, 2022) - synth_readiness(model, tq, 2021);
  assert_true(g_tq > g_hcm);
  assert_close(synth_target_city_share(2020), 0.70, 1e-12);
  assert_true(synth_target_city_share(2025) < synth_target_city_share(2020));
}

static void check_plan(const synth_plan *p, long total, size_t units) {
  long sum = 0;
  assert_int_equal(p->n_units, units);
  for (size_t u = 0; u < units; u++) {
    long cell_sum = 0;
    sum += p->unit_n[u];
    for (int h = 0; h < SYNTH_N_SIZES; h++) {
      const synth_cell *c = &p->cells[u * SYNTH_N_SIZES + h];
      assert_true(c->n >= 1);
      assert_close(c->weight * (double)c->n, c->N, 1e-6 * c->N);
      cell_sum += c->n;
    }
    assert_int_equal(cell_sum, p->unit_n[u]);
    if (p->thin[u]) assert_true(p->unit_n[u] < p->floor);
    else assert_true(p->unit_n[u] >= p->floor && p->unit_n[u] <= p->cap);
  }
  assert_int_equal(sum, total);
}

static void test_plan_63_and_34(void **state) {
  (void)state;
  chiso_err err;
  synth_plan *p = NULL;
  assert_int_equal(synth_plan_new(model, 2021, 6000, 1, &p, &err), 0);
  check_plan(p, 6000, 63);
  assert_int_equal(p->floor, 30);
  assert_int_equal(p->cap, 500);
  int thin = 0;
  for (size_t u = 0; u < 63; u++) thin += p->thin[u];
  assert_int_equal(thin, 7);
  /* Population: the country's enterprises in 2021 (assumption table). */
  double N = 0.0;
  for (size_t c = 0; c < 63 * SYNTH_N_SIZES; c++) N += p->cells[c].N;
  assert_close(N, 857000.0, 300.0);
  synth_plan_free(p);

  assert_int_equal(synth_plan_new(model, 2024, 10000, 1, &p, &err), 0);
  check_plan(p, 10000, 63);
  synth_plan_free(p);
  assert_int_equal(synth_plan_new(model, 2025, 5000, 9, &p, &err), 0);
  check_plan(p, 5000, 34);
  synth_plan_free(p);
  /* Large files scale the bounds: 100k respondents give 120..2000. */
  assert_int_equal(synth_plan_new(model, 2022, 100000, 2, &p, &err), 0);
  check_plan(p, 100000, 63);
  assert_int_equal(p->floor, 120);
  assert_int_equal(p->cap, 2000);
  synth_plan_free(p);
}

static void test_plan_errors(void **state) {
  (void)state;
  chiso_err err;
  synth_plan *p = NULL;
  assert_int_equal(synth_plan_new(model, 2010, 6000, 1, &p, &err), CHISO_EUSAGE);
  assert_null(p);
  assert_int_equal(synth_plan_new(model, 2025, 100, 1, &p, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "136"));
  assert_int_equal(synth_plan_new(model, 2024, 252, 1, &p, &err), 0); /* 4 per unit */
  check_plan(p, 252, 63);
  synth_plan_free(p);
}

static int rows_equal(const synth_row *a, const synth_row *b) {
  return a->unit == b->unit && a->member == b->member && a->sector == b->sector &&
         !memcmp(a->yes, b->yes, sizeof a->yes) && a->software == b->software &&
         a->web_update == b->web_update &&
         ((isnan(a->sales) && isnan(b->sales)) || a->sales == b->sales);
}

/* A row depends on (seed, year, unit, size, index in cell) only. */
static void test_rows_deterministic(void **state) {
  (void)state;
  chiso_err err;
  synth_plan *p = NULL, *q = NULL;
  synth_row a, b;
  assert_int_equal(synth_plan_new(model, 2025, 3000, 42, &p, &err), 0);
  assert_int_equal(synth_plan_new(model, 2025, 3000, 43, &q, &err), 0);
  synth_row_make(model, p, 2999, &a);
  for (long i = 0; i < 100; i++) synth_row_make(model, p, i, &b);
  synth_row_make(model, p, 2999, &b);
  assert_true(rows_equal(&a, &b));
  int differ = 0;
  for (long i = 0; i < 50; i++) {
    synth_row_make(model, p, i, &a);
    synth_row_make(model, q, i, &b);
    differ += !rows_equal(&a, &b);
  }
  assert_true(differ > 40);
  /* Rows of a merged unit come from its former provinces. */
  const geo_unit *hcm = geo_find_code(reg, GEO_ERA_34, "79");
  int seen_bd = 0;
  for (long i = 0; i < p->total; i++) {
    synth_row_make(model, p, i, &a);
    if (a.unit != hcm->index) continue;
    assert_ptr_equal(geo_successor(reg, geo_unit_at(reg, GEO_ERA_63, (size_t)a.member)), hcm);
    seen_bd |= !strcmp(geo_unit_at(reg, GEO_ERA_63, (size_t)a.member)->code, "74");
    if (a.web_update >= 0) assert_true(a.yes[SYNTH_Q_WEBSITE] != 0);
  }
  assert_true(seen_bd);
  synth_plan_free(p);
  synth_plan_free(q);
}

static void test_out_of_memory(void **state) {
  (void)state;
  chiso_err err;
  int rc = CHISO_ENOMEM;
  /* Every allocation fails once in turn; the loop must end in success. */
  for (long k = 0; rc == CHISO_ENOMEM && k < 100000; k++) {
    synth_model *m = NULL;
    synth_plan *p = NULL;
    chiso_mem_fail_after(k);
    rc = synth_model_new(reg, &m, &err);
    if (rc == CHISO_OK) rc = synth_plan_new(m, 2021, 1000, 1, &p, &err);
    chiso_mem_fail_after(-1);
    assert_true(rc == CHISO_OK || rc == CHISO_ENOMEM);
    synth_plan_free(p);
    synth_model_free(m);
  }
  assert_int_equal(rc, CHISO_OK);
}

static void test_columns(void **state) {
  (void)state;
  assert_int_equal(synth_column_count(), 28);
  assert_string_equal(synth_column(0), "respondent_id");
  assert_string_equal(synth_column(5), "year");
  assert_string_equal(synth_column(6), "q_email");
  assert_string_equal(synth_column(26), "q_g2b_procure");
  assert_string_equal(synth_column(27), "q_esignature");
  assert_null(synth_column(28));
  assert_non_null(strstr(synth_params_sha256(model), "")); /* 64 hex digits */
  assert_int_equal(strlen(synth_params_sha256(model)), 64);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_calibration),     cmocka_unit_test(test_growth),
      cmocka_unit_test(test_plan_63_and_34),  cmocka_unit_test(test_plan_errors),
      cmocka_unit_test(test_rows_deterministic), cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_columns),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

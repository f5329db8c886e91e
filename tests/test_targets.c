/* Tests of targets.c: the status rules on hand-made KPIs (every number
** worked by hand in the comments), the shipped plans with the published
** actuals, plan and actual files, and the estimate hook. */
#include "testutil.h"

#include <unistd.h>

/* The registry of the group fixture (testutil.h), set by each test that needs it. */
static const geo_registry *reg;

/* A KPI from baseline (y0, v0) to target (T, vT); strings are static. */
static targets_kpi make_kpi(int y0, double v0, int T, double vT, int dir) {
  targets_kpi k;
  memset(&k, 0, sizeof k);
  k.plan = "p";
  k.kpi = k.actual_kpi = "k";
  k.scope = TARGETS_NATIONAL;
  k.baseline_year = y0;
  k.baseline_value = y0 ? v0 : NAN;
  k.target_year = T;
  k.target_value = vT;
  k.direction = dir;
  return k;
}

static targets_result judge(const targets_kpi *k, int n, const int *years, const double *values) {
  targets_actuals *a = targets_actuals_new();
  assert_non_null(a);
  for (int i = 0; i < n; i++)
    assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, years[i], values[i], "test", 1), 0);
  targets_result r;
  targets_evaluate(k, a, 0, &r);
  targets_actuals_free(a);
  return r;
}

static void test_met_before_target_year(void **state) {
  reg = *state;
  /* 50 (2020) -> 70 (2025); 72 in 2023: met two years early; the raw
  ** 110% is shown as 100% (issue 12: progress stays within [-100, 100]). */
  targets_kpi k = make_kpi(2020, 50, 2025, 70, 1);
  const int y[] = {2022, 2023};
  const double v[] = {60, 72};
  targets_result r = judge(&k, 2, y, v);
  assert_int_equal(r.status, TARGETS_ACHIEVED);
  assert_string_equal(targets_status_name(r.status), "achieved");
  assert_int_equal(r.first_met_year, 2023);
  assert_string_equal(r.reason, "met before the target year");
  assert_close(r.progress_pct, 100, 1e-12);
  assert_int_equal(r.actual_year, 2023);
}

static void test_on_track(void **state) {
  reg = *state;
  /* Path at 2023: 50 + 20 * 3/5 = 62; actual 64 is ahead. Progress 14/20 =
  ** 70%. Pace 14/3 a year: 2023 + 6 / (14/3) = 2024.2857 -> 2025. */
  targets_kpi k = make_kpi(2020, 50, 2025, 70, 1);
  const int y[] = {2023};
  const double v[] = {64};
  targets_result r = judge(&k, 1, y, v);
  assert_int_equal(r.status, TARGETS_ON_TRACK);
  assert_close(r.path_value, 62, 1e-12);
  assert_close(r.progress_pct, 70, 1e-12);
  assert_close(r.projected_year, 2023 + 6.0 / (14.0 / 3), 1e-9);
  assert_int_equal(targets_projected_whole_year(r.projected_year), 2025);
}

static void test_off_track(void **state) {
  reg = *state;
  /* 58 in 2023 is behind 62. Progress 40%; pace 8/3: 2023 + 12/(8/3) = 2027.5. */
  targets_kpi k = make_kpi(2020, 50, 2025, 70, 1);
  const int y[] = {2023};
  const double v[] = {58};
  targets_result r = judge(&k, 1, y, v);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_string_equal(r.reason, "behind the linear path");
  assert_close(r.progress_pct, 40, 1e-12);
  assert_close(r.projected_year, 2027.5, 1e-9);
  assert_int_equal(targets_projected_whole_year(r.projected_year), 2028);
  /* Target year passed without meeting it. */
  const int y2[] = {2025};
  const double v2[] = {69};
  r = judge(&k, 1, y2, v2);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_string_equal(r.reason, "target year reached without meeting the target");
  /* Going the wrong way: never at this pace. */
  const double v3[] = {45};
  r = judge(&k, 1, y, v3);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_true(isinf(r.projected_year));
  assert_close(r.progress_pct, -25, 1e-12);
}

static void test_no_data(void **state) {
  reg = *state;
  targets_kpi k = make_kpi(2020, 50, 2025, 70, 1);
  targets_result r = judge(&k, 0, NULL, NULL);
  assert_int_equal(r.status, TARGETS_NO_DATA);
  assert_string_equal(targets_status_name(r.status), "no data");
  assert_true(isnan(r.actual_value));
  assert_true(isnan(r.progress_pct));
  /* An actual but no baseline and nothing earlier: cannot judge. */
  targets_kpi nb = make_kpi(0, 0, 2025, 70, 1);
  const int y[] = {2023};
  const double v[] = {60};
  r = judge(&nb, 1, y, v);
  assert_int_equal(r.status, TARGETS_NO_BASELINE); /* issue 12: not "no data" beside a value */
  assert_string_equal(targets_status_name(r.status), "no baseline");
  assert_string_equal(r.reason, "no baseline to judge the path");
  /* Only the baseline year itself. */
  const int yb[] = {2020};
  const double vb[] = {50};
  r = judge(&k, 1, yb, vb);
  assert_int_equal(r.status, TARGETS_BASELINE_ONLY);
  assert_string_equal(targets_status_name(r.status), "baseline only");
  assert_string_equal(r.reason, "no actual after the baseline year");
  /* as_of cuts later actuals: nothing before 2022 -> no data. */
  targets_actuals *a = targets_actuals_new();
  assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, 2023, 72, "x", 1), 0);
  targets_evaluate(&k, a, 2022, &r);
  assert_int_equal(r.status, TARGETS_NO_DATA);
  targets_evaluate(&k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_ACHIEVED);
  targets_actuals_free(a);
}

static void test_down_kpi(void **state) {
  reg = *state;
  /* Delivery cost 20% (2020) -> 10% (2025), lower is better. Path at 2022:
  ** 20 - 10 * 2/5 = 16. 17 is behind; progress 3/10 = 30%; pace -1.5 a
  ** year: 2022 + (10 - 17)/(-1.5) = 2026.667. */
  targets_kpi k = make_kpi(2020, 20, 2025, 10, -1);
  const int y[] = {2022};
  const double v[] = {17};
  targets_result r = judge(&k, 1, y, v);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_close(r.path_value, 16, 1e-12);
  assert_close(r.progress_pct, 30, 1e-12);
  assert_close(r.projected_year, 2022 + 7.0 / 1.5, 1e-9);
  const double v2[] = {15};
  r = judge(&k, 1, y, v2);
  assert_int_equal(r.status, TARGETS_ON_TRACK);
  assert_close(r.progress_pct, 50, 1e-12);
  const double v3[] = {9.5};
  r = judge(&k, 1, y, v3);
  assert_int_equal(r.status, TARGETS_ACHIEVED);
  assert_int_equal(r.first_met_year, 2022);
  assert_close(r.progress_pct, 100, 1e-12); /* 105 raw */
  /* Rising cost: never at this pace. */
  const double v4[] = {21};
  r = judge(&k, 1, y, v4);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_true(isinf(r.projected_year));
}

static void test_first_actual_baseline_and_priority(void **state) {
  reg = *state;
  /* No plan baseline: the 2021 actual (40) is the baseline. Target 60 in
  ** 2025; 2023 path = 40 + 20 * 2/4 = 50. Two 2023 actuals: the external
  ** one (55, priority 3) wins over the published one (45). */
  targets_kpi k = make_kpi(0, 0, 2025, 60, 1);
  targets_actuals *a = targets_actuals_new();
  assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, 2023, 45, "published", 1), 0);
  assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, 2021, 40, "published", 1), 0);
  assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, 2023, 55, "external", 3), 0);
  assert_int_equal(targets_actuals_add(a, "k", "01", 2023, 99, "other scope", 3), 0);
  assert_int_equal(targets_actuals_add(a, "other", TARGETS_NATIONAL, 2023, 99, "other kpi", 3), 0);
  targets_result r;
  targets_evaluate(&k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_ON_TRACK);
  assert_int_equal(r.baseline_from_actual, 1);
  assert_int_equal(r.baseline_year, 2021);
  assert_close(r.actual_value, 55, 0);
  assert_string_equal(r.actual_source, "external");
  assert_close(r.progress_pct, 75, 1e-12);
  targets_actuals_free(a);
}

static const targets_kpi *find(const targets_plan_set *s, const char *plan, const char *kpi) {
  for (size_t i = 0; i < s->n; i++)
    if (!strcmp(s->kpis[i].plan, plan) && !strcmp(s->kpis[i].kpi, kpi)) return &s->kpis[i];
  fail_msg("no KPI %s/%s", plan, kpi);
  return NULL;
}

static void test_builtin_plans(void **state) {
  reg = *state;
  chiso_err err;
  targets_plan_set *s = NULL;
  assert_int_equal(targets_plans_builtin(reg, &s, &err), CHISO_OK);
  assert_int_equal(s->n, 29);
  assert_int_equal(targets_plan_count(s, "qd645-2021-2025"), 13);
  assert_int_equal(targets_plan_count(s, "hanoi-2021"), 3);
  assert_int_equal(targets_plan_count(s, "nope"), 0);
  targets_actuals *a = targets_actuals_new();
  assert_int_equal(targets_actuals_builtin(reg, a, &err), CHISO_OK);
  assert_int_equal(a->n, 9);
  targets_result r;
  /* Hà Nội Plan 72: 8% online retail by 2021; the 2020 actual was 8%. */
  const targets_kpi *k = find(s, "hanoi-2021", "ecom_share_retail");
  assert_string_equal(k->scope, "01");
  targets_evaluate(k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_ACHIEVED);
  assert_int_equal(r.first_met_year, 2020);
  /* QĐ 645 B2C share of retail: 5.5 (2020) -> 10 (2025), 7.5 in 2022.
  ** Path 2022 = 5.5 + 4.5 * 2/5 = 7.3: on track; progress 2/4.5; pace 1/yr. */
  k = find(s, "qd645-2021-2025", "b2c_share_retail");
  targets_evaluate(k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_ON_TRACK);
  assert_close(r.progress_pct, 200.0 / 4.5, 1e-9);
  assert_close(r.projected_year, 2024.5, 1e-9);
  /* B2C revenue 11.8 -> 35, 16.4 in 2022: path 21.08, off track; pace 2.3. */
  k = find(s, "qd645-2021-2025", "b2c_revenue");
  targets_evaluate(k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_close(r.progress_pct, 100 * 4.6 / 23.2, 1e-9);
  assert_close(r.projected_year, 2022 + 18.6 / 2.3, 1e-9);
  /* Outside HN+HCM: actuals under another KPI id; only the baseline year. */
  k = find(s, "qd645-2021-2025", "b2c_share_outside_hn_hcm");
  assert_string_equal(k->actual_kpi, "share_outside_hn_hcm");
  assert_string_equal(k->chiso_indicator, "outside_share");
  targets_evaluate(k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_BASELINE_ONLY);
  assert_int_equal(r.actual_year, 2020);
  /* The down KPI of the plan has no actual: no data, never zero. */
  k = find(s, "qd645-2021-2025", "delivery_cost_share");
  assert_int_equal(k->direction, -1);
  targets_evaluate(k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_NO_DATA);
  targets_actuals_free(a);
  targets_plans_free(s);
}

static void test_plan_and_actual_files(void **state) {
  reg = *state;
  chiso_err err;
  targets_plan_set *s = NULL;
  assert_int_equal(targets_plans_read("tests/data/targets/province_plan.csv", reg, &s, &err), CHISO_OK);
  assert_int_equal(s->n, 2);
  assert_string_equal(s->kpis[0].scope, "48");
  assert_string_equal(s->kpis[1].scope, "48");
  targets_actuals *a = targets_actuals_new();
  assert_int_equal(targets_actuals_read("tests/data/targets/actuals_ext.csv", reg, TARGETS_PRIO_EXTERNAL, a, &err), 0);
  assert_int_equal(a->n, 3);
  targets_result r;
  /* 40 (2021) -> 60 (2025); 52 in 2023, path 50: on track, 60%. */
  targets_evaluate(&s->kpis[0], a, 0, &r);
  assert_int_equal(r.status, TARGETS_ON_TRACK);
  assert_close(r.progress_pct, 60, 1e-12);
  /* Down: 20 (2021) -> 10 (2025); 17 in 2023, path 15: off track. */
  targets_evaluate(&s->kpis[1], a, 0, &r);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  targets_actuals_free(a);
  /* Bad files: location and message; the set is unchanged. */
  assert_int_equal(targets_plans_read("tests/data/targets/bad_direction.csv", reg, &s, &err), CHISO_EDATA);
  assert_int_equal(s->n, 2);
  assert_int_equal(err.row, 3);
  assert_int_equal(err.col, 5);
  assert_non_null(strstr(err.message, "'sideways' must be up or down"));
  assert_int_equal(targets_plans_read("tests/data/targets/bad_scope.csv", reg, &s, &err), CHISO_EDATA);
  assert_int_equal(err.row, 2);
  assert_int_equal(err.col, 3);
  assert_non_null(strstr(err.message, "Atlantis"));
  assert_int_equal(targets_plans_read("tests/data/targets/bad_baseline.csv", reg, &s, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "not before target_year"));
  targets_plans_free(s);
  s = NULL;
  assert_int_equal(targets_plans_read("tests/data/targets/none.csv", reg, &s, &err), CHISO_EIO);
  assert_null(s);
  a = targets_actuals_new();
  assert_int_equal(targets_actuals_read("tests/data/targets/actuals_bad.csv", reg, 3, a, &err), CHISO_EDATA);
  assert_int_equal(a->n, 0);
  assert_int_equal(err.row, 2);
  assert_int_equal(err.col, 4);
  targets_actuals_free(a);
}

/* A lookup that knows e_invoices (0.62) and online_payment (0.41) for the
** nation in 2024 only. */
static int lookup(void *ud, const char *ind, const char *scope, int year, double *v) {
  int *calls = ud;
  (*calls)++;
  if (strcmp(scope, TARGETS_NATIONAL) || year != 2024) return CHISO_ENOTFOUND;
  if (!strcmp(ind, "e_invoices")) *v = 0.62;
  else if (!strcmp(ind, "online_payment")) *v = 0.41;
  else return CHISO_ENOTFOUND;
  return 0;
}

static int failing_lookup(void *ud, const char *ind, const char *scope, int year, double *v) {
  (void)ud, (void)ind, (void)scope, (void)year, (void)v;
  return CHISO_EIO;
}

static void test_estimate_hook(void **state) {
  reg = *state;
  chiso_err err;
  chiso_err_clear(&err);
  targets_plan_set *s = NULL;
  assert_int_equal(targets_plans_builtin(reg, &s, &err), CHISO_OK);
  targets_actuals *a = targets_actuals_new();
  int calls = 0;
  assert_int_equal(targets_actuals_from_estimates(s, "qd1568-2026-2030", lookup, &calls, 2023, 2024, a, &err), 0);
  /* Three KPIs of the plan carry an indicator, two years each. */
  assert_int_equal(calls, 6);
  assert_int_equal(a->n, 2);
  targets_result r;
  const targets_kpi *k = find(s, "qd1568-2026-2030", "einvoice_share");
  targets_evaluate(k, a, 0, &r);
  assert_close(r.actual_value, 62, 1e-12); /* percent */
  assert_string_equal(r.actual_source, "chiso estimate (e_invoices)");
  assert_int_equal(targets_actuals_from_estimates(s, NULL, failing_lookup, NULL, 2024, 2024, a, &err), CHISO_EIO);
  targets_actuals_free(a);
  targets_plans_free(s);
}

/* Issue 12 (a): a past target is judged at its own year. Hà Nội's 2022
** targets with actuals 2021: 40, 2022: 44, 2025: 80 (target 45): not met
** in 2022, whatever 2025 says; without a 2022 actual: no data. */
static void test_judged_at_target_year(void **state) {
  reg = *state;
  targets_kpi k = make_kpi(0, 0, 2022, 45, 1);
  const int y[] = {2021, 2022, 2025};
  const double v[] = {40, 44, 80};
  targets_result r = judge(&k, 3, y, v);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_int_equal(r.actual_year, 2022);
  assert_close(r.actual_value, 44, 0);
  assert_int_equal(r.at_target_year, 1);
  assert_string_equal(r.reason, "not met in the target year");
  const int y2[] = {2021, 2025};
  const double v2[] = {40, 80};
  r = judge(&k, 2, y2, v2);
  assert_int_equal(r.status, TARGETS_NO_DATA);
  assert_int_equal(r.actual_year, 0);
  assert_string_equal(r.reason, "no actual for the target year (later ones do not judge it)");
  const int y3[] = {2021, 2022, 2025};
  const double v3[] = {40, 46, 30};
  r = judge(&k, 3, y3, v3);
  assert_int_equal(r.status, TARGETS_ACHIEVED);
  assert_string_equal(r.reason, "met in the target year");
  /* as of 2021 the later actuals are not known: judged on the path */
  targets_actuals *a = targets_actuals_new();
  for (int i = 0; i < 3; i++) assert_int_equal(targets_actuals_add(a, "k", TARGETS_NATIONAL, y[i], v[i], "t", 1), 0);
  targets_evaluate(&k, a, 2021, &r);
  assert_int_equal(r.actual_year, 2021);
  assert_int_equal(r.at_target_year, 0);
  targets_actuals_free(a);
}

/* Issue 12 (d): no projection centuries away. 30 (2020) -> 50 (2025); 30.2
** in 2025: pace 0.04 a year, 2025 + 19.8/0.04 = 2520: shown "after 2050". */
static void test_projection_horizon(void **state) {
  reg = *state;
  targets_kpi k = make_kpi(2020, 30, 2030, 50, 1);
  const int y[] = {2025};
  const double v[] = {30.2};
  targets_result r = judge(&k, 1, y, v);
  assert_int_equal(r.status, TARGETS_OFF_TRACK);
  assert_true(isnan(r.projected_year));
  assert_int_equal(r.projected_after, 2050);
  char buf[32];
  targets_projected_text(&r, buf, sizeof buf);
  assert_string_equal(buf, "after 2050");
  /* A baseline just short of the target: (60 - 49.9)/(50 - 49.9) = 10100%: 100. */
  targets_kpi near = make_kpi(2020, 49.9, 2025, 50, 1);
  const double v2[] = {60};
  r = judge(&near, 1, y, v2);
  assert_close(r.progress_pct, 100, 0);
  /* ... and the other way: (40 - 49.9)/0.1 = -9900%: -100. */
  const int y3[] = {2023};
  const double v3[] = {40};
  r = judge(&near, 1, y3, v3);
  assert_close(r.progress_pct, -100, 0);
}

/* Issue 12 (e): a national KPI is not judged with the nation domain of a
** survey that misses units; the reason says so. */
static void test_national_gap(void **state) {
  reg = *state;
  targets_kpi k = make_kpi(2020, 50, 2025, 70, 1);
  k.chiso_indicator = "e_invoices";
  targets_actuals *a = targets_actuals_new();
  snprintf(a->national_gap, sizeof a->national_gap, "no national figure: the 2024 survey covers 8 of 63 units");
  targets_result r;
  targets_evaluate(&k, a, 0, &r);
  assert_int_equal(r.status, TARGETS_NO_DATA);
  assert_string_equal(r.reason, "no national figure: the 2024 survey covers 8 of 63 units");
  targets_actuals_free(a);
}

/* Issue 12 (b): a province's plan file with the shipped KPI ids is
** measured by the same chiso estimates, for its own scope. */
static void test_plan_file_indicators(void **state) {
  reg = *state;
  chiso_err err;
  char path[] = "/tmp/chiso-plan-XXXXXX.csv";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  const char text[] = "plan,kpi,scope,unit,target_year,target_value,direction\n"
                      "dn,noncash_payment,\xC4\x90\xC3\xA0 N\xE1\xBA\xB5ng,percent,2026,60,up\n"
                      "dn,own_kpi,48,percent,2026,60,up\n";
  assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
  close(fd);
  targets_plan_set *s = NULL;
  assert_int_equal(targets_plans_read(path, reg, &s, &err), 0);
  unlink(path);
  assert_string_equal(s->kpis[0].scope, "48");
  assert_string_equal(s->kpis[0].chiso_indicator, "online_payment");
  assert_string_equal(s->kpis[1].chiso_indicator, "");
  targets_plans_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_met_before_target_year),
      cmocka_unit_test(test_on_track),
      cmocka_unit_test(test_off_track),
      cmocka_unit_test(test_no_data),
      cmocka_unit_test(test_down_kpi),
      cmocka_unit_test(test_first_actual_baseline_and_priority),
      cmocka_unit_test(test_builtin_plans),
      cmocka_unit_test(test_plan_and_actual_files),
      cmocka_unit_test(test_estimate_hook),
      cmocka_unit_test(test_judged_at_target_year),
      cmocka_unit_test(test_projection_horizon),
      cmocka_unit_test(test_national_gap),
      cmocka_unit_test(test_plan_file_indicators),
  };
  return cmocka_run_group_tests(tests, test_registry_setup, test_registry_teardown);
}

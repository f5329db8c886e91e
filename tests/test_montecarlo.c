/* Tests of unc.c: the spec parser (defaults, errors located FILE:LINE:COL),
** the default spec, and the analyses on hand-worked cases: an aggregation
** choice that swaps the winner in exactly half of the Sobol runs, zero
** noise and zero-variance replicates collapsing every interval to the
** point, identical units spanning all their ranks, and identical bytes for
** 1, 2 and 4 threads. */
#include "testutil.h"

#include <stdlib.h>

typedef struct fix {
  idx_model *m;
  idx_data *d;
  idx_plan *p;
} fix;

/* Model r -> {i1 (weight w1), i2 (weight 1)}; n units, values row-major. */
static fix make(double w1, size_t n, const double *v) {
  fix f = {0};
  char json[512];
  snprintf(json, sizeof json,
           "{\"id\":\"t\",\"tree\":{\"nodes\":[{\"id\":\"r\"},"
           "{\"id\":\"i1\",\"parent\":\"r\",\"weight\":%g},{\"id\":\"i2\",\"parent\":\"r\"}]}}", w1);
  chiso_err err;
  assert_int_equal(idxio_parse_method(json, strlen(json), "t.json", &f.m, &err), 0);
  f.d = idx_data_new(n, 2);
  idx_data_set_col(f.d, 0, "i1");
  idx_data_set_col(f.d, 1, "i2");
  for (size_t i = 0; i < n; i++) {
    char code[32];
    snprintf(code, sizeof code, "u%zu", i + 1);
    idx_data_set_unit(f.d, i, code, code, NULL);
    *idx_data_at(f.d, 0, i) = v[2 * i];
    *idx_data_at(f.d, 1, i) = v[2 * i + 1];
  }
  assert_int_equal(idx_plan_new(f.m, f.d, &f.p, &err), 0);
  return f;
}

static void done(fix *f) {
  idx_plan_free(f->p);
  idx_data_free(f->d);
  idx_model_free(f->m);
}

static montecarlo_spec *spec(const char *json) {
  montecarlo_spec *s = NULL;
  chiso_err err;
  int rc = montecarlo_spec_parse(json, strlen(json), "spec.json", &s, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  return s;
}

/* ---- spec parser ------------------------------------------------------------ */

static void test_spec_parse(void **state) {
  (void)state;
  montecarlo_spec *s = spec("{\"inputs\": [\n"
                     " {\"type\": \"weights\", \"level\": 0, \"noise\": 0.1},\n"
                     " {\"type\": \"weights\", \"level\": 2, \"dirichlet\": 50},\n"
                     " {\"type\": \"normalisation\", \"options\": [\"minmax\", "
                     "{\"method\": \"zscore\", \"range\": [10, 2]}]},\n"
                     " {\"type\": \"aggregation\"},\n"
                     " {\"type\": \"winsorisation\", \"options\": [false, true]},\n"
                     " {\"type\": \"winmax\", \"options\": [3, 5]},\n"
                     " {\"type\": \"imputation\", \"options\": [\"none\", \"group_median\"]},\n"
                     " {\"type\": \"exclude\", \"indicators\": [\"i1\"], \"name\": \"drop\"},\n"
                     " {\"type\": \"sampling\"}]}");
  assert_int_equal(s->n, 9);
  assert_int_equal(s->inputs[0].kind, MONTECARLO_WEIGHTS);
  assert_string_equal(s->inputs[0].name, "weights");
  assert_close(s->inputs[0].noise, 0.1, 0);
  assert_string_equal(s->inputs[1].name, "weights_L2");
  assert_close(s->inputs[1].dirichlet, 50, 0);
  assert_int_equal(s->inputs[2].options[1].code, IDX_NORM_ZSCORE);
  assert_close(s->inputs[2].options[1].a, 10, 0);
  assert_close(s->inputs[2].options[1].b, 2, 0);
  assert_true(isnan(s->inputs[2].options[0].a));
  assert_int_equal(s->inputs[3].n_options, 2); /* default arithmetic|geometric */
  assert_int_equal(s->inputs[3].options[1].code, IDX_AGG_GEOMETRIC);
  assert_int_equal(s->inputs[4].options[1].code, 1);
  assert_int_equal(s->inputs[5].options[0].code, 3);
  assert_int_equal(s->inputs[6].options[1].code, IDX_IMP_GROUP_MEDIAN);
  assert_string_equal(s->inputs[7].name, "drop");
  assert_string_equal(s->inputs[7].exclude_ids[0], "i1");
  assert_int_equal(s->inputs[8].kind, MONTECARLO_SAMPLING);
  assert_int_equal(s->inputs[3].row, 5);
  assert_int_equal(s->inputs[3].col, 2);
  assert_true(montecarlo_spec_has(s, MONTECARLO_SAMPLING));
  montecarlo_spec_free(s);
}

static void expect_error(const char *json, const char *where, const char *what) {
  montecarlo_spec *s = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(montecarlo_spec_parse(json, strlen(json), "spec.json", &s, &err), CHISO_EDATA);
  assert_null(s);
  char buf[1200];
  chiso_err_format(&err, buf, sizeof buf);
  if (!strstr(buf, where) || !strstr(buf, what)) print_error("got: %s\n", buf);
  assert_non_null(strstr(buf, where));
  assert_non_null(strstr(buf, what));
}

static void test_spec_errors(void **state) {
  (void)state;
  expect_error("{\"inputs\": [\n  {\"type\": \"weights\"},\n  {\"type\": \"colour\"}]}",
               "spec.json:3:3:", "unknown type 'colour'");
  expect_error("{\"inputs\": [{\"type\": \"weights\", \"noise\": 1.5}]}", "spec.json:1:13:",
               "\"noise\" must be in [0, 1)");
  expect_error("{\"inputs\": [{\"type\": \"aggregation\", \"options\": [\"median\"]}]}",
               "spec.json:1:13:", "unknown aggregation 'median'");
  expect_error("{\"inputs\": [{\"type\": \"normalisation\", \"options\": [\"minmax\"], \"x\": 1}]}",
               "spec.json:1:13:", "unknown key 'x'");
  expect_error("{\"inputs\": [{\"type\": \"weights\", \"noise\": 0.1, \"dirichlet\": 5}]}",
               "spec.json:1:13:", "not both");
  expect_error("{\"inputs\": [\"weights\"]}", "spec.json:1:13:", "\"type\"");
  expect_error("{\"inputs\": []}", "spec.json:1:1:", "non-empty list");
  expect_error("{\"inputs\": [", "spec.json:1:", "bad JSON");
  expect_error("{\"inputs\": [{\"type\": \"winmax\", \"options\": [2.5]}]}", "spec.json:1:13:",
               "whole numbers");
}

static void test_default_spec(void **state) {
  (void)state;
  static const double v[] = {1, 2, 3, 4, 5, 7};
  fix f = make(1, 3, v);
  montecarlo_spec *s = NULL;
  chiso_err err;
  assert_int_equal(montecarlo_spec_default(f.m, 1, &s, &err), 0);
  assert_int_equal(s->n, 5); /* weights L1, normalisation, aggregation, winsorisation, sampling */
  assert_int_equal(s->inputs[0].kind, MONTECARLO_WEIGHTS);
  assert_int_equal(s->inputs[0].level, 1);
  assert_close(s->inputs[0].noise, 0.25, 0);
  assert_int_equal(s->inputs[1].options[0].code, IDX_NORM_MINMAX);
  assert_int_equal(s->inputs[1].options[1].code, IDX_NORM_ZSCORE);
  assert_int_equal(s->inputs[2].options[1].code, IDX_AGG_GEOMETRIC);
  assert_int_equal(s->inputs[3].kind, MONTECARLO_WINSORISATION);
  assert_int_equal(s->inputs[4].kind, MONTECARLO_SAMPLING);
  montecarlo_spec_free(s);
  done(&f);
}

/* ---- analyses --------------------------------------------------------------- */

/* Hand-worked: minmax to [0,100] gives u1 = (100, 0), u2 = (45, 45),
** u3 = (0, 100); weights 1.2 and 1. Arithmetic: u1 54.55, u3 45.45,
** u2 45. Geometric (floor 1): u1 = 100^(1.2/2.2) = 12.33, u3 = 8.11,
** u2 = 45 (ranks u1 u3 u2, then u2 u1 u3). The first Sobol coordinate splits N = 1024 runs exactly in
** half, so P(top 1) is 1/2 for u1 and u2 and 0 for u3. */
static void test_aggregation_swap(void **state) {
  (void)state;
  static const double v[] = {100, 0, 45, 45, 0, 100};
  fix f = make(1.2, 3, v);
  montecarlo_spec *s = spec("{\"inputs\": [{\"type\": \"aggregation\"}]}");
  montecarlo_setup su = {.plan = f.p, .spec = s, .seed = 7, .threads = 2};
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_method_analysis(&su, 1024, &r, &err), 0);
  assert_close(r.unit[0].r.score, 120.0 / 2.2, 1e-12);
  assert_int_equal(r.unit[0].r.rank, 1);
  assert_close(r.unit[0].r.p_top[0], 0.5, 0);
  assert_close(r.unit[1].r.p_top[0], 0.5, 0);
  assert_close(r.unit[2].r.p_top[0], 0, 0);
  /* ranks: arithmetic u1 1, u3 2, u2 3; geometric u2 1, u1 2, u3 3 */
  assert_close(r.unit[2].rank.median, 2.5, 0);
  assert_close(r.unit[2].rank.mean_abs_shift, 0.5, 0);
  assert_close(r.unit[0].rank.mean_abs_shift, 0.5, 0);
  assert_close(r.unit[1].rank.mean_abs_shift, 1, 0); /* |1-3| in half the runs */
  assert_int_equal(r.unit[0].r.rank_lo95, 1);
  assert_int_equal(r.unit[0].r.rank_hi95, 2);
  assert_int_equal(r.unit[1].r.rank_hi95, 3);
  /* the geometric score of u1 is the 2.5% quantile of its scores */
  assert_close(r.unit[0].r.lo95, pow(100, 1.2 / 2.2), 1e-9);
  assert_close(r.scores[0 * 3 + 1], 45, 1e-9);
  montecarlo_result_free(&r);
  montecarlo_spec_free(s);
  done(&f);
}

static void test_zero_noise_collapses(void **state) {
  (void)state;
  static const double v[] = {1, 9, 2, 7, 3, 8, 4, 1, 5, 5, 6, 2};
  fix f = make(1, 6, v);
  montecarlo_spec *s = spec("{\"inputs\": [{\"type\": \"weights\", \"noise\": 0}]}");
  montecarlo_setup su = {.plan = f.p, .spec = s, .seed = 1, .threads = 2};
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_method_analysis(&su, 200, &r, &err), 0);
  for (size_t i = 0; i < 6; i++) {
    const montecarlo_unit *u = &r.unit[i];
    assert_true(u->ranked);
    assert_close(u->r.lo95, u->r.score, 0);
    assert_close(u->r.hi95, u->r.score, 0);
    assert_close(u->r.se, 0, 0);
    assert_int_equal(u->r.rank_lo95, u->r.rank);
    assert_int_equal(u->r.rank_hi95, u->r.rank);
    assert_close(u->rank.q05, u->r.rank, 0);
    assert_close(u->rank.q95, u->r.rank, 0);
    assert_close(u->rank.mean_abs_shift, 0, 0);
    assert_close(u->r.p_top[0], u->r.rank == 1 ? 1 : 0, 0);
  }
  montecarlo_result_free(&r);
  montecarlo_spec_free(s);
  done(&f);
}

/* u1, u2, u3 identical and best; u4 and u5 below: each of u1..u3 takes
** ranks 1, 2, 3 with probability 1/3, so the 95% intervals are [1, 3]. */
static void test_identical_units(void **state) {
  (void)state;
  static const double v[] = {9, 9, 9, 9, 9, 9, 2, 3, 1, 1};
  fix f = make(1, 5, v);
  montecarlo_setup su = {.plan = f.p, .seed = 3, .threads = 2}; /* default spec */
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_method_analysis(&su, 600, &r, &err), 0);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(r.unit[i].r.rank, 1);
    assert_int_equal(r.unit[i].r.rank_lo95, 1);
    assert_int_equal(r.unit[i].r.rank_hi95, 3);
    assert_close(r.unit[i].r.p_top[0], 1.0 / 3, 0.06);
  }
  assert_int_equal(r.unit[3].r.rank_lo95, 4);
  assert_int_equal(r.unit[4].r.rank_hi95, 5);
  assert_false(r.scores_comparable); /* normalisation varies */
  assert_true(isnan(r.unit[0].r.lo95));
  montecarlo_result_free(&r);
  done(&f);
}

/* Replicates equal to the data up to 1e-9: a "huge sample" — every
** interval collapses to the point; with noise they widen. */
static void test_sampling(void **state) {
  (void)state;
  static const double v[] = {1, 9, 2, 7, 3, 8, 4, 1, 5, 5, 6, 2};
  fix f = make(1, 6, v);
  size_t R = 300, T = 12;
  double *rep = malloc(R * T * sizeof *rep);
  rng_stream g;
  rng_init(&g, 5, 0);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < T; j++) rep[r * T + j] = f.d->values[j] * (1 + 1e-9 * (rng_uniform(&g) - 0.5));
  montecarlo_setup su = {.plan = f.p, .replicates = rep, .n_replicates = R, .seed = 1, .threads = 3};
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_sampling_analysis(&su, &r, &err), 0);
  assert_true(r.inference);
  for (size_t i = 0; i < 6; i++) {
    const rankstat_unit *u = &r.unit[i].r;
    assert_close(u->lo95, u->score, 1e-6);
    assert_close(u->hi95, u->score, 1e-6);
    assert_int_equal(u->rank_lo95, u->rank);
    assert_int_equal(u->rank_hi95, u->rank);
    assert_int_equal(u->sim_lo, u->rank);
    assert_int_equal(u->sim_hi, u->rank);
  }
  montecarlo_result_free(&r);
  /* crossed: the sampling input of a spec draws a replicate per run */
  montecarlo_spec *s = spec("{\"inputs\": [{\"type\": \"sampling\"}, {\"type\": \"aggregation\"}]}");
  su.spec = s;
  assert_int_equal(montecarlo_method_analysis(&su, 256, &r, &err), 0);
  assert_true(r.inference);
  montecarlo_result_free(&r);
  su.replicates = NULL;
  assert_int_equal(montecarlo_method_analysis(&su, 256, &r, &err), CHISO_EUSAGE);
  assert_non_null(strstr(err.message, "bootstrap replicates"));
  montecarlo_spec_free(s);
  free(rep);
  done(&f);
}

/* The parameters of every run are kept (COINr's $Para): in the aggregation
** swap above, a run with "geometric" drawn has u2 first; every run replayed
** from its parameters gives exactly the scores the analysis recorded; the
** labels are the spec's. ASEM's default spec: one column per weight moved
** and one per discrete input. */
static void test_params_replay(void **state) {
  (void)state;
  static const double v[] = {100, 0, 45, 45, 0, 100};
  fix f = make(1.2, 3, v);
  montecarlo_spec *s = spec("{\"inputs\": [{\"type\": \"weights\", \"level\": 1, \"noise\": 0.5},"
                            " {\"type\": \"aggregation\"}, {\"type\": \"exclude\"}]}");
  montecarlo_setup su = {.plan = f.p, .spec = s, .seed = 3, .threads = 2};
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_method_analysis(&su, 64, &r, &err), 0);
  assert_int_equal(r.n_params, 4); /* i1, i2 multipliers; aggregation; exclude */
  char buf[64];
  montecarlo_param_name(&su, &r, 0, buf, sizeof buf);
  assert_string_equal(buf, "weights_L1:i1");
  montecarlo_param_name(&su, &r, 2, buf, sizeof buf);
  assert_string_equal(buf, "aggregation");
  idx_workspace *ws = idx_workspace_new(f.p);
  int seen_geo = 0, seen_excl = 0;
  for (size_t run = 0; run < r.runs; run++) {
    const double *x = r.params + run * r.n_params;
    assert_true(x[0] >= 0.5 && x[0] <= 1.5 && x[1] >= 0.5 && x[1] <= 1.5);
    montecarlo_param_text(&su, &r, 2, x[2], buf, sizeof buf);
    assert_true(!strcmp(buf, "arithmetic") || !strcmp(buf, "geometric"));
    seen_geo |= !strcmp(buf, "geometric");
    montecarlo_param_text(&su, &r, 3, x[3], buf, sizeof buf);
    assert_true(!strcmp(buf, "none") || !strcmp(buf, "i1") || !strcmp(buf, "i2"));
    seen_excl |= strcmp(buf, "none") != 0;
    assert_int_equal(montecarlo_replay(&su, &r, run, ws, &err), 0);
    for (size_t i = 0; i < 3; i++) {
      double got = idx_ranks(ws)[i] ? idx_score(ws, f.m->root, i) : NAN;
      double want = r.scores[run * 3 + i];
      assert_true((isnan(got) && isnan(want)) || got == want);
    }
  }
  assert_true(seen_geo && seen_excl);
  assert_int_equal(montecarlo_replay(&su, &r, r.runs, ws, &err), CHISO_EUSAGE);
  idx_workspace_free(ws);
  montecarlo_result_free(&r);
  montecarlo_spec_free(s);
  done(&f);
}

static void test_bad_bindings(void **state) {
  (void)state;
  static const double v[] = {1, 9, 2, 7, 3, 8};
  fix f = make(1, 3, v);
  montecarlo_spec *s = spec("{\"inputs\": [\n{\"type\": \"exclude\", \"indicators\": [\"i9\"]}]}");
  montecarlo_setup su = {.plan = f.p, .spec = s, .seed = 1};
  montecarlo_result r;
  chiso_err err;
  assert_int_equal(montecarlo_method_analysis(&su, 10, &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "'i9' is not an indicator"));
  assert_int_equal(err.row, 2);
  montecarlo_spec_free(s);
  s = spec("{\"inputs\": [{\"type\": \"weights\", \"level\": 2}]}");
  su.spec = s;
  assert_int_equal(montecarlo_method_analysis(&su, 10, &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "level 2 has no weights"));
  montecarlo_spec_free(s);
  done(&f);
}

static void test_threads_identical(void **state) {
  (void)state;
  static const double v[] = {1, 9, 2, 7, 3, 8, 4, 1, 5, 5, 6, 2, 3, 3, 8, 8};
  fix f = make(2, 8, v);
  montecarlo_spec *s = spec("{\"inputs\": [{\"type\": \"weights\", \"dirichlet\": 20},"
                     "{\"type\": \"normalisation\"}, {\"type\": \"aggregation\"},"
                     "{\"type\": \"exclude\"}, {\"type\": \"winsorisation\"}]}");
  montecarlo_result r[3];
  montecarlo_sobol so[3];
  int th[3] = {1, 2, 4};
  chiso_err err;
  for (int t = 0; t < 3; t++) {
    montecarlo_setup su = {.plan = f.p, .spec = s, .seed = 11, .threads = th[t]};
    assert_int_equal(montecarlo_method_analysis(&su, 500, &r[t], &err), 0);
    assert_int_equal(montecarlo_sensitivity(&su, 64, 100, &so[t], &err), 0);
  }
  for (int t = 1; t < 3; t++) {
    assert_memory_equal(r[0].scores, r[t].scores, 500 * 8 * sizeof(double));
    assert_memory_equal(r[0].unit, r[t].unit, 8 * sizeof(montecarlo_unit));
    assert_memory_equal(so[0].sobol.idx, so[t].sobol.idx, SENSITIVITY_STEPS * 5 * sizeof(sensitivity_index));
  }
  assert_string_equal(so[0].names[3], "exclude");
  for (int t = 0; t < 3; t++) {
    montecarlo_result_free(&r[t]);
    montecarlo_sobol_free(&so[t]);
  }
  montecarlo_spec_free(s);
  done(&f);
}

/* COINr's ASEM example (51 units × 49 indicators, 4 levels), planned. */
static void load_asem(idx_model **m, idx_data **d, idx_plan **p) {
  chiso_err err;
  assert_int_equal(idxio_load_imeta("data/reference/coinr-asem/asem_iMeta.csv", m, &err), 0);
  assert_int_equal(idxio_load_data("data/reference/coinr-asem/asem_iData.csv", *m, d, &err), 0);
  assert_int_equal(idx_plan_new(*m, *d, p, &err), 0);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* R's type 7 quantile of sorted x[0..n), written out (Hyndman & Fan 1996). */
static double type7(const double *x, size_t n, double p) {
  double h = (double)(n - 1) * p;
  size_t lo = (size_t)floor(h);
  return lo + 1 >= n ? x[n - 1] : x[lo] + (h - (double)lo) * (x[lo + 1] - x[lo]);
}

/* The rank summary (median, 5% and 95% quantiles, mean shift of the runs'
** ranks), which sensitivity_ua_summary finds by counting whole-number
** ranks, equals the one computed here from each unit's sorted ranks, bit
** for bit, on ASEM's 51 units under the default spec. */
static void test_rank_summary_counts(void **state) {
  (void)state;
  chiso_err err;
  idx_model *m = NULL;
  idx_data *d = NULL;
  idx_plan *p = NULL;
  load_asem(&m, &d, &p);
  montecarlo_setup su = {.plan = p, .seed = 5, .threads = 2};
  montecarlo_result r;
  size_t R = 700, U = d->n_units;
  assert_int_equal(montecarlo_method_analysis(&su, R, &r, &err), 0);
  double *col = malloc(R * sizeof *col);
  int moved = 0;
  for (size_t i = 0; i < U; i++) {
    const sensitivity_ua_stat *got = &r.unit[i].rank;
    size_t n = 0;
    double shift = 0;
    for (size_t t = 0; t < R; t++) {
      double y = r.ranks[t * U + i];
      if (isnan(y)) continue;
      col[n++] = y;
      shift += fabs(y - got->nominal);
    }
    assert_true(n > 0);
    qsort(col, n, sizeof *col, cmp_double);
    double want[4] = {type7(col, n, 0.5), type7(col, n, 0.05), type7(col, n, 0.95), shift / (double)n};
    assert_memory_equal(&got->median, &want[0], sizeof want[0]);
    assert_memory_equal(&got->q05, &want[1], sizeof want[1]);
    assert_memory_equal(&got->q95, &want[2], sizeof want[2]);
    assert_memory_equal(&got->mean_abs_shift, &want[3], sizeof want[3]);
    moved += got->q05 != got->q95;
  }
  assert_true(moved > 10); /* the ranks do move: the quantiles differ */
  free(col);
  montecarlo_result_free(&r);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
}

/* The engine's indicator cache gives the same bits as uncached runs under
** random weights, methods (all four aggregations), treatment, imputation
** and exclusions; so does a cached workspace asked for the root only
** (idx_options.root_only: the cached indicators read in place). */
static void test_engine_cache_identical(void **state) {
  (void)state;
  chiso_err err;
  idx_model *m = NULL;
  idx_data *d = NULL;
  idx_plan *p = NULL;
  load_asem(&m, &d, &p);
  idx_workspace *a = idx_workspace_new(p), *b = idx_workspace_new(p), *c = idx_workspace_new(p);
  assert_int_equal(idx_workspace_cache(b, 3), 0);
  assert_int_equal(idx_workspace_cache(c, 3), 0);
  size_t U = d->n_units, root = (size_t)m->root;
  double *mult = malloc(m->n_nodes * sizeof *mult);
  rng_stream g;
  rng_init(&g, 42, 0);
  for (int r = 0; r < 300; r++) {
    idx_options o;
    idx_options_init(&o);
    for (size_t n = 0; n < m->n_nodes; n++) mult[n] = 0.75 + 0.5 * rng_uniform(&g);
    o.weight_mult = r % 5 ? mult : NULL;
    o.norm = (int)rng_below(&g, 3) - 1;         /* model, minmax, zscore */
    o.agg = (int)rng_below(&g, 5) - 1;
    o.winsorise = (int)rng_below(&g, 3) - 1;
    o.winmax = (int)rng_below(&g, 2) ? 3 : -1;
    o.impute = (int)rng_below(&g, 3) - 1;
    o.exclude = rng_below(&g, 4) == 0 ? (int)rng_below(&g, (uint32_t)m->n_ind) : -1;
    assert_int_equal(idx_run(p, a, &o, &err), 0);
    assert_int_equal(idx_run(p, b, &o, &err), 0);
    assert_memory_equal(idx_scores(a), idx_scores(b), m->n_nodes * d->n_units * sizeof(double));
    assert_memory_equal(idx_treated(a), idx_treated(b), m->n_ind * d->n_units * sizeof(double));
    assert_memory_equal(idx_ranks(a), idx_ranks(b), d->n_units * sizeof(int));
    o.root_only = 1;
    assert_int_equal(idx_run(p, c, &o, &err), 0);
    assert_memory_equal(idx_scores(a) + root * U, idx_scores(c) + root * U, U * sizeof(double));
    assert_memory_equal(idx_ranks(a), idx_ranks(c), U * sizeof(int));
  }
  assert_int_equal(idx_workspace_cache(b, 0), 0);
  idx_workspace_free(c);
  free(mult);
  idx_workspace_free(a);
  idx_workspace_free(b);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
}

/* ASEM from COINr's reference files, with its plan. */
typedef struct asem {
  idx_model *m;
  idx_data *d;
  idx_plan *p;
} asem;

/* thresholds = 1: data-availability thresholds that leave some units
** unranked for each reason (overall, under a pillar, under the root). */
static asem asem_load(int thresholds) {
  asem a = {0};
  chiso_err err;
  assert_int_equal(idxio_load_imeta("data/reference/coinr-asem/asem_iMeta.csv", &a.m, &err), 0);
  assert_int_equal(idxio_load_data("data/reference/coinr-asem/asem_iData.csv", a.m, &a.d, &err), 0);
  if (thresholds) {
    const idx_node *root = &a.m->nodes[a.m->root];
    a.m->min_data = 0.9;
    a.m->nodes[a.m->children[root->first_child]].min_data = 0.97;
    a.m->nodes[a.m->root].min_data = 0.93;
    assert_int_equal(idx_data_set_note(a.d, 3, "withheld"), 0);
  }
  assert_int_equal(idx_plan_new(a.m, a.d, &a.p, &err), 0);
  return a;
}

static void asem_done(asem *a) {
  idx_plan_free(a->p);
  idx_data_free(a->d);
  idx_model_free(a->m);
}

/* n_nodes weights: NaN (the model's) but at the root's children, which get
** random positive weights. */
static void pillar_weights(const idx_model *m, rng_stream *g, double *w) {
  const idx_node *root = &m->nodes[m->root];
  for (size_t n = 0; n < m->n_nodes; n++) w[n] = NAN;
  for (int j = 0; j < root->n_children; j++)
    w[m->children[root->first_child + j]] = 0.1 + 3 * rng_uniform(g);
}

/* A root aggregated again from a saved state (idx_run_root) at other
** weights of the root's children gives the bits of a whole run at those
** weights: scores of the root, ranks and reasons, under random methods
** (all four aggregations), multipliers, treatment, imputation and
** exclusions, with and without the indicator cache. */
static void test_root_again_identical(void **state) {
  (void)state;
  chiso_err err;
  asem a = asem_load(1);
  idx_workspace *full = idx_workspace_new(a.p), *kept = idx_workspace_new(a.p),
                *again = idx_workspace_new(a.p);
  assert_int_equal(idx_workspace_cache(kept, 3), 0);
  size_t U = a.d->n_units, root = (size_t)a.m->root, N = a.m->n_nodes;
  double *mult = malloc(N * sizeof *mult), *w = malloc(N * sizeof *w);
  void *st = malloc(idx_root_state_size(a.p));
  assert_int_equal(idx_root_state_size(a.p) % 8, 0);
  rng_stream g;
  rng_init(&g, 7, 0);
  int differs = 0, why[8] = {0};
  for (int r = 0; r < 300; r++) {
    idx_options o;
    idx_options_init(&o);
    for (size_t n = 0; n < N; n++) mult[n] = 0.75 + 0.5 * rng_uniform(&g);
    o.weight_mult = r % 5 ? mult : NULL;
    o.norm = (int)rng_below(&g, 3) - 1;
    o.agg = (int)rng_below(&g, 5) - 1;
    o.winsorise = (int)rng_below(&g, 3) - 1;
    o.impute = (int)rng_below(&g, 3) - 1;
    o.exclude = rng_below(&g, 4) == 0 ? (int)rng_below(&g, (uint32_t)a.m->n_ind) : -1;
    o.root_only = r % 2;
    assert_int_equal(idx_run(a.p, kept, &o, &err), 0);
    idx_root_state_save(a.p, kept, st);
    pillar_weights(a.m, &g, w);
    o.weights = w;
    o.root_only = 0;
    assert_int_equal(idx_run(a.p, full, &o, &err), 0);
    assert_int_equal(idx_run_root(a.p, again, &o, st, &err), 0);
    assert_memory_equal(idx_scores(full) + root * U, idx_scores(again) + root * U, U * sizeof(double));
    assert_memory_equal(idx_ranks(full), idx_ranks(again), U * sizeof(int));
    for (size_t i = 0; i < U; i++) {
      int n1, n2;
      assert_int_equal(idx_unranked_reason(full, i, &n1), idx_unranked_reason(again, i, &n2));
      assert_int_equal(n1, n2);
      why[idx_unranked_reason(full, i, NULL) & 7]++;
    }
    /* the weights do move the index: the state is not just the old result */
    differs |= memcmp(idx_ranks(full), idx_ranks(kept), U * sizeof(int)) != 0;
  }
  assert_true(differs);
  /* every reason the root's run can meet was met */
  for (int k = IDX_RANKED; k <= IDX_UNRANKED_NODE; k++) assert_true(why[k] > 0);
  free(st);
  free(w);
  free(mult);
  idx_workspace_free(full);
  idx_workspace_free(kept);
  idx_workspace_free(again);
  asem_done(&a);
}

/* The per-unit statistics an intervals_only analysis keeps are those of
** the whole analysis. */
static void assert_same_intervals(const montecarlo_result *x, const montecarlo_result *y) {
  for (size_t i = 0; i < x->n_units; i++) {
    const rankstat_unit *a = &x->unit[i].r, *b = &y->unit[i].r;
    assert_int_equal(x->unit[i].ranked, y->unit[i].ranked);
    assert_memory_equal(&a->score, &b->score, sizeof a->score);
    assert_memory_equal(&a->lo95, &b->lo95, sizeof a->lo95);
    assert_memory_equal(&a->hi95, &b->hi95, sizeof a->hi95);
    assert_memory_equal(&a->rank_median, &b->rank_median, sizeof a->rank_median);
    assert_int_equal(a->rank, b->rank);
    assert_int_equal(a->rank_lo95, b->rank_lo95);
    assert_int_equal(a->rank_hi95, b->rank_hi95);
    if (y->unit[i].ranked) assert_true(isnan(b->lo90) && isnan(b->p_top[0]) && isnan(b->se));
  }
}

static void assert_same_result(const montecarlo_result *x, const montecarlo_result *y) {
  assert_int_equal(x->runs, y->runs);
  assert_int_equal(x->n_units, y->n_units);
  assert_int_equal(x->n_params, y->n_params);
  assert_int_equal(x->scores_comparable, y->scores_comparable);
  assert_int_equal(x->inference, y->inference);
  assert_memory_equal(x->scores, y->scores, x->runs * x->n_units * sizeof(double));
  assert_memory_equal(x->ranks, y->ranks, x->runs * x->n_units * sizeof(double));
  assert_memory_equal(x->params, y->params, x->runs * x->n_params * sizeof(double));
  assert_memory_equal(x->unit, y->unit, x->n_units * sizeof(montecarlo_unit));
}

/* A prepared analysis (montecarlo_prepare) at other pillar weights gives
** the bytes of the whole analysis with those weights in the setup: the
** method analysis, the crossed one (replicates drawn) and the sampling
** one, with 1 and 2 threads. Weights that move an indicator, or a spec
** with Dirichlet weights, do not fit. */
static void test_prepared_identical(void **state) {
  (void)state;
  chiso_err err;
  asem a = asem_load(0);
  size_t N = a.m->n_nodes, T = a.d->n_cols * a.d->n_units, R = 24;
  double *rep = malloc(R * T * sizeof *rep), *w = malloc(N * sizeof *w);
  rng_stream g;
  rng_init(&g, 3, 0);
  for (size_t r = 0; r < R; r++)
    for (size_t j = 0; j < T; j++) rep[r * T + j] = a.d->values[j] * (0.9 + 0.2 * rng_uniform(&g));
  montecarlo_spec *crossed = NULL;
  assert_int_equal(montecarlo_spec_default(a.m, 1, &crossed, &err), 0);
  for (int threads = 1; threads <= 2; threads++)
    for (int kind = 0; kind < 6; kind++) { /* method, crossed, sampling; then intervals only */
      montecarlo_setup su = {.plan = a.p, .spec = kind % 3 == 1 ? crossed : NULL,
                             .replicates = kind % 3 ? rep : NULL,
                             .n_replicates = kind % 3 ? R : 0, .seed = 5, .threads = threads,
                             .no_sets = kind % 3 != 2, .intervals_only = kind >= 3};
      size_t runs = kind % 3 == 2 ? 0 : 64;
      montecarlo_prepared *pr = NULL;
      assert_int_equal(montecarlo_prepare(&su, runs, &pr, &err), 0);
      for (int t = 0; t < 4; t++) {
        if (t) pillar_weights(a.m, &g, w);
        montecarlo_result want, got;
        montecarlo_setup at = su;
        at.weights = t ? w : NULL;
        assert_true(montecarlo_prepared_fits(pr, at.weights));
        assert_int_equal(runs == 0 ? montecarlo_sampling_analysis(&at, &want, &err)
                                   : montecarlo_method_analysis(&at, runs, &want, &err), 0);
        assert_int_equal(montecarlo_prepared_analysis(pr, at.weights, &got, &err), 0);
        assert_same_result(&want, &got);
        montecarlo_result_free(&got);
        if (su.intervals_only) { /* the what-if's summary: the whole analysis's intervals */
          at.intervals_only = 0;
          assert_int_equal(runs == 0 ? montecarlo_sampling_analysis(&at, &got, &err)
                                     : montecarlo_method_analysis(&at, runs, &got, &err), 0);
          assert_same_intervals(&got, &want);
          assert_memory_equal(want.scores, got.scores, want.runs * want.n_units * sizeof(double));
          montecarlo_result_free(&got);
        }
        montecarlo_result_free(&want);
      }
      w[0] = 2; /* an indicator's weight: the levels below read it */
      assert_false(montecarlo_prepared_fits(pr, w));
      montecarlo_result r;
      assert_int_equal(montecarlo_prepared_analysis(pr, w, &r, &err), CHISO_EUSAGE);
      w[0] = NAN;
      const idx_node *root = &a.m->nodes[a.m->root];
      w[a.m->children[root->first_child]] = 0; /* a pillar switched off: other counts */
      assert_false(montecarlo_prepared_fits(pr, w));
      montecarlo_prepared_free(pr);
    }
  montecarlo_spec *dir = spec("{\"inputs\": [{\"type\": \"weights\", \"dirichlet\": 20}]}");
  montecarlo_setup su = {.plan = a.p, .spec = dir, .seed = 5, .threads = 1};
  montecarlo_prepared *pr = NULL;
  assert_int_equal(montecarlo_prepare(&su, 16, &pr, &err), 0);
  assert_false(montecarlo_prepared_fits(pr, NULL));
  montecarlo_prepared_free(pr);
  montecarlo_spec_free(dir);
  montecarlo_spec_free(crossed);
  free(rep);
  free(w);
  asem_done(&a);
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Selection gives the sorted-array quantile, with ties and any n. */
static void test_quantile_select(void **state) {
  (void)state;
  static const double ps[] = {0, 0.025, 0.05, 0.3, 0.5, 0.95, 0.975, 1};
  rng_stream g;
  rng_init(&g, 8, 0);
  double a[300], b[300];
  for (int trial = 0; trial < 400; trial++) {
    size_t n = 1 + rng_below(&g, 300);
    uint32_t span = trial % 3 ? 1000 : 4; /* many ties in a third of the trials */
    for (size_t i = 0; i < n; i++) a[i] = rng_below(&g, span);
    memcpy(b, a, n * sizeof *a);
    qsort(b, n, sizeof *b, cmp_d);
    for (int k = 0; k < 8; k++)
      for (int in = 0; in < 2; in++)
        assert_close(quantile_select(a, n, ps[k], in), quantile_sorted(b, n, ps[k], in), 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_spec_parse),        cmocka_unit_test(test_spec_errors),
      cmocka_unit_test(test_default_spec),      cmocka_unit_test(test_aggregation_swap),
      cmocka_unit_test(test_zero_noise_collapses), cmocka_unit_test(test_identical_units),
      cmocka_unit_test(test_sampling),          cmocka_unit_test(test_params_replay),
      cmocka_unit_test(test_bad_bindings),
      cmocka_unit_test(test_threads_identical), cmocka_unit_test(test_engine_cache_identical),
      cmocka_unit_test(test_quantile_select),   cmocka_unit_test(test_root_again_identical),
      cmocka_unit_test(test_prepared_identical), cmocka_unit_test(test_rank_summary_counts)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

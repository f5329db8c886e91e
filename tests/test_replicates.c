/* Tests of urep.c: bootstrap replicates of an index table from survey
** microdata. Golden values are independent of the replicate code: the
** Taylor SEs of estimator_estimate_all (tested against R survey in test_svy),
** the generic path bootstrap_weights + estimator_estimate_point, and properties
** (huge samples, identical provinces, thread counts). */
#include "testutil.h"

#include <stdlib.h>

static const char *const codes[] = {"01", "02", "04", "06"};

/* A province's population: share yes, mean of y (10% missing), of x. */
typedef struct prov_spec { size_t n; double p, mean_y, mean_x; } prov_spec;

typedef struct fixture {
  survey_data *s;
  estimator_spec specs[4];
  estimator_design *d;
  estimator_cell *cells;
  idx_data *data;   /* 5 units (the last has no respondents), 5 columns */
} fixture;

/* Respondents of each province in two strata crossing provinces; weights
** 1..4 times the stratum. identical: every province gets the rows of
** province 0 (same answers, same weights). */
static survey_data *make_survey(const prov_spec *ps, size_t P, int identical, uint64_t seed) {
  size_t n = 0;
  for (size_t p = 0; p < P; p++) n += ps[p].n;
  survey_data *s = survey_new(n, 3);
  s->year = 2023;
  s->n_strata = 2;
  s->stratum_names = chiso_calloc(2, sizeof(char *));
  s->stratum_names[0] = chiso_strdup("small");
  s->stratum_names[1] = chiso_strdup("large");
  s->weight = chiso_malloc(n * sizeof(double));
  const char *ids[3] = {"q_yes", "q_y", "q_x"};
  for (int v = 0; v < 3; v++) s->vars[v].id = chiso_strdup(ids[v]);
  size_t i = 0;
  for (size_t p = 0; p < P; p++) {
    rng_stream r;
    rng_init(&r, seed, identical ? 0 : p);
    for (size_t k = 0; k < ps[p].n; k++, i++) {
      char id[32];
      snprintf(id, sizeof id, "R%zu", i);
      s->respondent_id[i] = chiso_strdup(id);
      memcpy(s->province[i], codes[p], 3);
      s->stratum[i] = (int)(k % 2);
      s->source_row[i] = (long)i + 2;
      s->weight[i] = (1.0 + rng_below(&r, 4)) * (1.0 + s->stratum[i]);
      s->vars[0].values[i] = rng_uniform(&r) < ps[p].p;
      double y = ps[p].mean_y * exp(0.5 * rng_normal(&r) - 0.125);
      s->vars[1].values[i] = rng_uniform(&r) < 0.1 ? NAN : y;
      s->vars[2].values[i] = ps[p].mean_x + rng_uniform(&r);
    }
  }
  return s;
}

static void fixture_free(fixture *f) {
  estimator_design_free(f->d);
  survey_free(f->s);
  free(f->cells);
  idx_data_free(f->data);
}

/* Design, estimates and the nominal table: columns share, avg, ratio,
** tot (survey) and ext (an official indicator: 1..5). */
static void make_fixture(const geo_registry *reg, const prov_spec *ps, size_t P, int identical,
                         uint64_t seed, fixture *f) {
  memset(f, 0, sizeof *f);
  f->s = make_survey(ps, P, identical, seed);
  const double *y = f->s->vars[1].values, *x = f->s->vars[2].values;
  f->specs[0] = (estimator_spec){"share", CODEBOOK_SHARE_YES, f->s->vars[0].values, NULL};
  f->specs[1] = (estimator_spec){"avg", CODEBOOK_MEAN, y, NULL};
  f->specs[2] = (estimator_spec){"ratio", CODEBOOK_RATIO, y, x};
  f->specs[3] = (estimator_spec){"tot", CODEBOOK_TOTAL, y, NULL};
  estimator_options o = {0, 0, NULL};
  chiso_err err;
  assert_int_equal(estimator_design_new(f->s, reg, f->specs, 4, &o, &f->d, &err), 0);
  size_t D = estimator_domain_count(f->d);
  f->cells = malloc(D * 4 * sizeof *f->cells);
  assert_int_equal(estimator_estimate_all(f->d, f->cells, &err), 0);
  const char *cols[5] = {"share", "avg", "ratio", "tot", "ext"};
  f->data = idx_data_new(P + 1, 5);
  for (int c = 0; c < 5; c++) idx_data_set_col(f->data, (size_t)c, cols[c]);
  for (size_t u = 0; u <= P; u++) {
    char code[8];
    snprintf(code, sizeof code, "%s", u < P ? codes[u] : "99");
    idx_data_set_unit(f->data, u, code, code, NULL);
    *idx_data_at(f->data, 4, u) = 1.0 + (double)u;
  }
  for (size_t i = 0; i < P; i++) /* the design's provinces are in code order */
    for (size_t k = 0; k < 4; k++) *idx_data_at(f->data, k, i) = f->cells[i * 4 + k].estimate;
}

static double *replicate(const fixture *f, size_t R, int threads, uint64_t seed) {
  size_t cells = f->data->n_cols * f->data->n_units;
  double *t = malloc(R * cells * sizeof *t);
  chiso_err err;
  chiso_err_clear(&err);
  size_t nrep = 0;
  int rc = replicates_tables(f->d, f->data, R, seed, threads, NULL, NULL, t, &nrep, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  assert_int_equal(nrep, 4);
  return t;
}

static const prov_spec three[] = {{300, 0.3, 10, 5}, {240, 0.5, 20, 6}, {360, 0.7, 30, 7}};

/* The replicate cells equal the generic path: replicate weights of
** bootstrap_design_new over the design's strata and weights (same seed), then
** estimator_estimate_point (to 2e-6 relative: the fast path sums chunks of rows
** in single precision, boot.c); official indicators and units without
** respondents are copied. */
static void test_equals_generic(void **state) {
  fixture f;
  make_fixture(*state, three, 3, 0, 5, &f);
  size_t R = 20, U = f.data->n_units, n = estimator_respondents(f.d);
  double *t = replicate(&f, R, 2, 77);
  bootstrap_design *bd = NULL;
  assert_int_equal(bootstrap_design_new(n, estimator_strata(f.d), estimator_weights(f.d), 77, &bd, NULL), 0);
  double *w = malloc(n * sizeof *w), *work = malloc(estimator_point_work_size(f.d) * sizeof *work);
  double *out = malloc(estimator_domain_count(f.d) * 4 * sizeof *out);
  for (size_t r = 0; r < R; r++) {
    bootstrap_weights(bd, r, w);
    estimator_estimate_point(f.d, w, work, out);
    const double *tab = t + r * 5 * U;
    for (size_t i = 0; i < 3; i++)
      for (size_t k = 0; k < 4; k++)
        assert_close(tab[k * U + i], out[i * 4 + k], 2e-6 * fabs(out[i * 4 + k]));
    for (size_t u = 0; u < U; u++) assert_true(tab[4 * U + u] == 1.0 + (double)u);
    for (size_t k = 0; k < 4; k++) assert_true(isnan(tab[k * U + 3]));
  }
  bootstrap_design_free(bd);
  free(w);
  free(work);
  free(out);
  free(t);
  fixture_free(&f);
}

/* Bootstrap SE vs the Taylor SE of estimator_estimate_all for every province and
** every kind (share, mean with missing values, ratio, total). R = 2000:
** the Monte Carlo relative error of a bootstrap SE is about 1/sqrt(2R) =
** 1.6%, the Rao–Wu (n_h − 1) bootstrap variance of a linear statistic has
** the Taylor estimator as its expectation, and the ratio/mean
** non-linearity adds O(1/n) with n >= 240 per province. Tolerance 8%
** relative (5 Monte Carlo SDs) on each of the 12 cells. */
static void test_se_matches_taylor(void **state) {
  fixture f;
  make_fixture(*state, three, 3, 0, 9, &f);
  size_t R = 2000, U = f.data->n_units;
  double *t = replicate(&f, R, 2, 3);
  for (size_t i = 0; i < 3; i++)
    for (size_t k = 0; k < 4; k++) {
      double taylor = f.cells[i * 4 + k].se, se = bootstrap_se(t, R, 5 * U, k * U + i);
      if (!(fabs(se / taylor - 1) < 0.08))
        print_error("province %zu indicator %zu: bootstrap %g Taylor %g\n", i, k, se, taylor);
      assert_true(fabs(se / taylor - 1) < 0.08);
    }
  free(t);
  fixture_free(&f);
}

static void test_threads_identical(void **state) {
  fixture f;
  make_fixture(*state, three, 3, 0, 5, &f);
  size_t R = 37, bytes = R * 5 * f.data->n_units * sizeof(double);
  double *a = replicate(&f, R, 1, 11);
  for (int th = 2; th <= 4; th *= 2) {
    double *b = replicate(&f, R, th, 11);
    assert_memory_equal(a, b, bytes);
    free(b);
  }
  free(a);
  fixture_free(&f);
}

/* A two-indicator index (share, avg; minmax per replicate, arithmetic
** mean) over the survey units only, analysed on the replicates. */
static void analyse(const fixture *f, size_t R, montecarlo_result *res) {
  static const char tree[] =
      "{\"tree\":{\"normalisation\":{\"method\":\"minmax\",\"range\":[0,100]},"
      "\"aggregation\":\"arithmetic\",\"nodes\":[{\"id\":\"idx\"},"
      "{\"id\":\"share\",\"parent\":\"idx\"},{\"id\":\"avg\",\"parent\":\"idx\"}]}}";
  idx_model *m = NULL;
  idx_plan *plan = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(idxio_parse_method(tree, strlen(tree), "t", &m, &err), 0);
  idx_data_set_note(f->data, f->data->n_units - 1, "no respondents");
  assert_int_equal(idx_plan_new(m, f->data, &plan, &err), 0);
  double *t = replicate(f, R, 2, 21);
  montecarlo_setup s = {.plan = plan, .replicates = t, .n_replicates = R, .seed = 4, .threads = 2};
  int rc = montecarlo_sampling_analysis(&s, res, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  free(t);
  idx_plan_free(plan);
  idx_model_free(m);
}

/* Province 1 is in the middle on both indicators; its score interval
** width shrinks about as 1/sqrt(n) (100-fold sample: about 10 times
** narrower; asserted: more than 5 times) and with the huge sample every
** rank interval and simultaneous rank set is the point rank. */
static void test_huge_sample_shrinks(void **state) {
  prov_spec small[3] = {{200, 0.3, 10, 5}, {200, 0.5, 20, 6}, {200, 0.7, 30, 7}};
  prov_spec huge[3] = {{20000, 0.3, 10, 5}, {20000, 0.5, 20, 6}, {20000, 0.7, 30, 7}};
  double width[2];
  for (int pass = 0; pass < 2; pass++) {
    fixture f;
    montecarlo_result res;
    make_fixture(*state, pass ? huge : small, 3, 0, 13, &f);
    analyse(&f, 200, &res);
    const rankstat_unit *mid = &res.unit[1].r;
    width[pass] = mid->hi95 - mid->lo95;
    if (pass)
      for (size_t i = 0; i < 3; i++) {
        const rankstat_unit *u = &res.unit[i].r;
        assert_int_equal(u->rank_lo95, u->rank);
        assert_int_equal(u->rank_hi95, u->rank);
        assert_int_equal(u->sim_lo, u->rank);
        assert_int_equal(u->sim_hi, u->rank);
        assert_true(u->hi95 - u->lo95 < 5.0); /* on a 0..100 scale (expected about 2.5) */
      }
    assert_int_equal(res.unit[3].ranked, 0);
    montecarlo_result_free(&res);
    fixture_free(&f);
  }
  assert_true(width[0] > 5 * width[1]);
}

/* Provinces 0..2 have identical microdata (so identical estimates and
** nominal scores), province 3 is far behind: the three share ranks 1..3
** in the replicates, so their rank intervals and simultaneous sets are
** [1, 3] and P(top 1) is about 1/3 each; province 3 is 4th for sure. */
static void test_identical_provinces(void **state) {
  prov_spec ps[4] = {{400, 0.6, 20, 5}, {400, 0.6, 20, 5}, {400, 0.6, 20, 5}, {400, 0.1, 5, 5}};
  fixture f;
  montecarlo_result res;
  make_fixture(*state, ps, 4, 1, 3, &f);
  /* province 3 is made different after the fact: scale its answers */
  for (size_t i = 1200; i < 1600; i++) f.s->vars[0].values[i] = 0, f.s->vars[1].values[i] *= 0.2;
  estimator_cell *c = f.cells;
  chiso_err err;
  assert_int_equal(estimator_estimate_all(f.d, c, &err), 0);
  for (size_t k = 0; k < 4; k++) *idx_data_at(f.data, k, 3) = c[3 * 4 + k].estimate;
  analyse(&f, 400, &res);
  double ptop = 0;
  for (size_t i = 0; i < 3; i++) {
    const rankstat_unit *u = &res.unit[i].r;
    assert_int_equal(u->rank, 1);
    assert_int_equal(u->rank_lo95, 1);
    assert_int_equal(u->rank_hi95, 3);
    assert_int_equal(u->sim_lo, 1);
    assert_int_equal(u->sim_hi, 3);
    assert_true(u->p_top[0] > 0.2 && u->p_top[0] < 0.47);
    ptop += u->p_top[0];
  }
  assert_close(ptop, 1.0, 1e-12);
  assert_int_equal(res.unit[3].r.rank_lo95, 4);
  assert_int_equal(res.unit[3].r.sim_lo, 4);
  montecarlo_result_free(&res);
  fixture_free(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_equals_generic),
      cmocka_unit_test(test_se_matches_taylor),
      cmocka_unit_test(test_threads_identical),
      cmocka_unit_test(test_huge_sample_shrinks),
      cmocka_unit_test(test_identical_provinces),
  };
  return cmocka_run_group_tests(tests, test_registry_setup, test_registry_teardown);
}

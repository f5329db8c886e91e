/* Tests of weights.c: effective weights (COINr get_eff_wts) hand-worked
** and on ASEM against tests/reference/coinr_extras.R, and the weight
** optimisation that balances correlations (COINr get_opt_weights): the
** objective equals R's at given weights, and the optimum is at least as
** good as R's stats::optim from the same start (COINr's own defaults, and
** a tight search over positive weights). */
#include "testutil.h"

static const char *META = "data/reference/coinr-asem/asem_iMeta.csv";
static const char *DATA = "data/reference/coinr-asem/asem_iData.csv";

static void test_effective_hand(void **state) {
  (void)state;
  const char *json = "{\"tree\":{\"nodes\":[{\"id\":\"r\"},{\"id\":\"p\",\"parent\":\"r\",\"weight\":1},"
                     "{\"id\":\"q\",\"parent\":\"r\",\"weight\":3},{\"id\":\"a\",\"parent\":\"p\"},"
                     "{\"id\":\"b\",\"parent\":\"p\"},{\"id\":\"c\",\"parent\":\"q\",\"weight\":2}]}}";
  idx_model *m = NULL;
  chiso_err err;
  assert_int_equal(idxio_parse_method(json, strlen(json), "t", &m, &err), 0);
  double eff[6];
  weights_effective(m, NULL, eff);
  /* p = 1/4, q = 3/4; a = b = 1/2 of p; c = all of q */
  assert_close(eff[idx_model_find(m, "r")], 1, 0);
  assert_close(eff[idx_model_find(m, "p")], 0.25, 1e-15);
  assert_close(eff[idx_model_find(m, "q")], 0.75, 1e-15);
  assert_close(eff[idx_model_find(m, "a")], 0.125, 1e-15);
  assert_close(eff[idx_model_find(m, "b")], 0.125, 1e-15);
  assert_close(eff[idx_model_find(m, "c")], 0.75, 1e-15);
  /* replaced weights: q -> 1 gives p = q = 1/2 */
  double w[6];
  for (size_t i = 0; i < m->n_nodes; i++) w[i] = m->nodes[i].weight;
  w[idx_model_find(m, "q")] = 1;
  weights_effective(m, w, eff);
  assert_close(eff[idx_model_find(m, "a")], 0.25, 1e-15);
  idx_model_free(m);
}

typedef struct asem { idx_model *m; idx_data *d; idx_plan *p; csvtable *ref; } asem;

static asem load(const char *ref) {
  asem a = {0};
  chiso_err err;
  assert_int_equal(idxio_load_imeta(META, &a.m, &err), 0);
  assert_int_equal(idxio_load_data(DATA, a.m, &a.d, &err), 0);
  assert_int_equal(idx_plan_new(a.m, a.d, &a.p, &err), 0);
  char path[256];
  snprintf(path, sizeof path, "tests/reference/out/asem_%s.csv", ref);
  assert_int_equal(csvtable_read(path, &a.ref, &err), 0);
  return a;
}

static void unload(asem *a) {
  csvtable_free(a->ref);
  idx_plan_free(a->p);
  idx_data_free(a->d);
  idx_model_free(a->m);
}

static double num(const csvtable *t, size_t r, int c) {
  double v;
  assert_int_equal(number_parse_data(csvtable_cell(t, r, c), &v), NUMBER_OK);
  return v;
}

static void test_effective_asem(void **state) {
  (void)state;
  asem a = load("effweights");
  double *eff = malloc(a.m->n_nodes * sizeof *eff);
  weights_effective(a.m, NULL, eff);
  assert_int_equal(a.ref->n_rows, a.m->n_nodes);
  for (size_t r = 0; r < a.ref->n_rows; r++) {
    int n = idx_model_find(a.m, csvtable_cell(a.ref, r, 0));
    assert_true(n >= 0);
    assert_close(eff[n], num(a.ref, r, 1), 1e-15);
  }
  free(eff);
  unload(&a);
}

/* The R table: rows equal, coinr_default, positive_tight; columns case,
** objective, then the level-2 weights in iMeta order. */
static void test_optimise_asem(void **state) {
  (void)state;
  asem a = load("optweights");
  chiso_err err;
  weights_opt_options o = {.level = 2};
  idx_workspace *ws = idx_workspace_new(a.p);
  size_t n = a.ref->n_cols - 2;
  double w[16];
  assert_true(n == 8);
  for (size_t r = 0; r < 2; r++) { /* the objective itself, at R's weights */
    for (size_t j = 0; j < n; j++) {
      assert_int_equal(a.m->nodes[idx_model_find(a.m, a.ref->header[j + 2])].level, 2);
      w[j] = num(a.ref, r, (int)j + 2);
    }
    assert_close(weights_objective(a.p, ws, &o, w, &err), num(a.ref, r, 1), 1e-10);
  }
  weights_opt_result res;
  assert_int_equal(weights_optimise(a.p, &o, &res, &err), 0);
  assert_int_equal(res.n, n);
  assert_close(res.objective0, num(a.ref, 0, 1), 1e-10);
  double sw = 0, so = 0;
  for (size_t j = 0; j < n; j++) {
    assert_string_equal(a.m->nodes[res.node[j]].id, a.ref->header[j + 2]);
    assert_true(res.weight[j] > 0);
    assert_close(res.desired[j], 0.125, 1e-15);
    sw += res.weight[j];
    so += res.obtained[j];
  }
  assert_close(sw, 1, 1e-12);
  assert_close(so, 1, 1e-12);
  /* at least as good as COINr's own run and as R's tight positive search */
  print_message("optimum %.10f (R: COINr defaults %.10f, tight positive %.10f), %d evaluations\n",
                res.objective, num(a.ref, 1, 1), num(a.ref, 2, 1), res.evals);
  assert_true(res.objective <= num(a.ref, 1, 1));
  assert_true(res.objective <= num(a.ref, 2, 1) + 1e-6);
  /* the objective of the reported weights is the reported optimum */
  assert_close(weights_objective(a.p, ws, &o, res.weight, &err), res.objective, 1e-12);
  weights_opt_result_clear(&res);
  o.level = 4;
  assert_int_equal(weights_optimise(a.p, &o, &res, &err), CHISO_EUSAGE);
  idx_workspace_free(ws);
  unload(&a);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_effective_hand),
                                     cmocka_unit_test(test_effective_asem),
                                     cmocka_unit_test(test_optimise_asem)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

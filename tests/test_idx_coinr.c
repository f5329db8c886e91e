/* COINr compatibility: chiso's index on COINr-format tables equals the
** independent base-R computation from COINr's documented formulas
** (tests/reference/coinr_index.R and coinr_extras.R, outputs in
** tests/reference/out/) to 1e-9, on the ASEM example (51 x 49, 4 levels)
** and a small hand-made example (3 levels above the indicators, negative
** directions, missing values); with COINr's Denominate (iMeta
** Denominator) and distance-to-target normalisation (iMeta Target) on
** ASEM, which declares both. */
#include "testutil.h"

typedef struct cfg { const char *suffix; int norm; double a, b; int agg; int denominate; } cfg;

static void compare(const char *meta, const char *data, const char *prefix, const cfg *c) {
  chiso_err err;
  idx_model *m = NULL;
  idx_data *d = NULL;
  idx_plan *p = NULL;
  csvtable *ref = NULL;
  assert_int_equal(idxio_load_imeta(meta, &m, &err), 0);
  assert_int_equal(idxio_load_data(data, m, &d, &err), 0);
  if (c->denominate) assert_int_equal(idx_data_denominate(m, d, &err), 0);
  assert_int_equal(idx_plan_new(m, d, &p, &err), 0);
  idx_workspace *ws = idx_workspace_new(p);
  idx_options o;
  idx_options_init(&o);
  o.norm = c->norm;
  o.norm_a = c->a;
  o.norm_b = c->b;
  o.agg = c->agg;
  assert_int_equal(idx_run(p, ws, &o, &err), 0);
  char path[512];
  snprintf(path, sizeof path, "tests/reference/out/%s_%s.csv", prefix, c->suffix);
  assert_int_equal(csvtable_read(path, &ref, &err), 0);
  assert_int_equal(ref->n_rows, d->n_units);
  int checked = 0;
  for (size_t col = 1; col < ref->n_cols; col++) {
    const char *id = ref->header[col];
    int node = idx_model_find(m, id);
    for (size_t r = 1; r <= ref->n_rows; r++) {
      assert_string_equal(csvtable_cell(ref, r - 1, 0), d->code[r - 1]);
      double want;
      int miss = number_parse_data(csvtable_cell(ref, r - 1, (int)col), &want) == NUMBER_MISSING;
      if (!strcmp(id, "rank")) {
        assert_int_equal(idx_ranks(ws)[r - 1], miss ? 0 : (int)want);
        continue;
      }
      assert_true(node >= 0);
      double got = idx_score(ws, node, r - 1);
      if (miss) assert_true(isnan(got));
      else assert_close(got, want, 1e-9);
      checked++;
    }
  }
  assert_true(checked > 50);
  csvtable_free(ref);
  idx_workspace_free(ws);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
}

static const cfg CFGS[] = {{"minmax_amean", IDX_NORM_MINMAX, 0, 100, IDX_AGG_ARITHMETIC, 0},
                           {"zscore_amean", IDX_NORM_ZSCORE, 0, 1, IDX_AGG_ARITHMETIC, 0},
                           {"minmax1_gmean", IDX_NORM_MINMAX, 1, 100, IDX_AGG_GEOMETRIC, 0}};

static void test_asem(void **state) {
  (void)state;
  for (int i = 0; i < 3; i++)
    compare("data/reference/coinr-asem/asem_iMeta.csv", "data/reference/coinr-asem/asem_iData.csv",
            "asem", &CFGS[i]);
}

/* COINr Denominate then minmax; n_dist2targ (0-1) with iMeta's targets,
** with and without Denominate (coinr_extras.R). */
static const cfg EXTRA[] = {{"denom_minmax_amean", IDX_NORM_MINMAX, 0, 100, IDX_AGG_ARITHMETIC, 1},
                            {"dist2targ_amean", IDX_NORM_DIST2TARG, 0, 1, IDX_AGG_ARITHMETIC, 0},
                            {"denom_dist2targ_amean", IDX_NORM_DIST2TARG, 0, 1, IDX_AGG_ARITHMETIC, 1}};

static void test_asem_denominate_target(void **state) {
  (void)state;
  for (int i = 0; i < 3; i++)
    compare("data/reference/coinr-asem/asem_iMeta.csv", "data/reference/coinr-asem/asem_iData.csv",
            "asem", &EXTRA[i]);
}

/* The declared denominators are read (17 of ASEM's 49 indicators) and a
** data table without the denominator columns is refused, unchanged. */
static void test_denominator_errors(void **state) {
  (void)state;
  chiso_err err;
  idx_model *m = NULL;
  assert_int_equal(idxio_load_imeta("data/reference/coinr-asem/asem_iMeta.csv", &m, &err), 0);
  assert_int_equal(idx_model_denominated(m), 17);
  assert_string_equal(m->nodes[idx_model_find(m, "Flights")].denominator, "Population");
  assert_close(m->nodes[idx_model_find(m, "LPI")].gp_target, 4.11803135, 0);
  idx_data *d = idx_data_new(2, m->n_ind);
  for (size_t k = 0; k < m->n_ind; k++) {
    idx_data_set_col(d, k, m->nodes[k].id);
    *idx_data_at(d, k, 0) = 1;
  }
  assert_int_equal(idx_data_denominate(m, d, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "denominator 'Population' of 'Flights' is not in the data"));
  assert_close(*idx_data_at(d, (size_t)idx_data_col(d, "Goods"), 0), 1, 0); /* unchanged */
  idx_data_free(d);
  idx_model_free(m);
}

static void test_small(void **state) {
  (void)state;
  for (int i = 0; i < 3; i++)
    compare("tests/data/index/small_iMeta.csv", "tests/data/index/small_iData.csv", "small", &CFGS[i]);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_asem), cmocka_unit_test(test_small),
                                     cmocka_unit_test(test_asem_denominate_target),
                                     cmocka_unit_test(test_denominator_errors)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

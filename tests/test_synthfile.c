/* Tests of synthfile.c: the bytes of a file do not depend on the number of
** threads, failures leave no file behind, and messy files list exactly
** SYNTHFILE_INVALID_ROWS rows. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

static geo_registry *reg;
static synth_model *model;
static char dir[] = "/tmp/chiso-synthfile-XXXXXX";

static int setup(void **state) {
  (void)state;
  chiso_err err;
  if (!mkdtemp(dir) || geo_registry_new(&reg, &err)) return -1;
  return synth_model_new(reg, &model, &err);
}

static int teardown(void **state) {
  (void)state;
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  synth_model_free(model);
  geo_registry_free(reg);
  return system(cmd);
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)len + 1);
  *n = fread(b, 1, (size_t)len, f);
  b[*n] = '\0';
  fclose(f);
  return b;
}

static void write_one(const char *name, int threads, int messy, synthfile_summary *sum) {
  char path[512];
  chiso_err err;
  synthfile_options o = {.year = 2024, .respondents = 70000, .seed = 99, .method = "ebi-2021",
                    .format = SYNTHFILE_CSV, .messy = messy, .threads = threads};
  snprintf(path, sizeof path, "%s/%s", dir, name);
  assert_int_equal(synthfile_write(model, &o, path, NULL, NULL, sum, &err), 0);
}

static void test_threads_same_bytes(void **state) {
  (void)state;
  synthfile_summary s1, s3;
  write_one("t1.csv", 1, 1, &s1);
  write_one("t3.csv", 3, 1, &s3);
  char p1[512], p3[512];
  size_t n1, n3;
  snprintf(p1, sizeof p1, "%s/t1.csv", dir);
  snprintf(p3, sizeof p3, "%s/t3.csv", dir);
  char *a = slurp(p1, &n1), *b = slurp(p3, &n3);
  assert_non_null(a);
  assert_non_null(b);
  assert_int_equal(n1, n3);
  assert_memory_equal(a, b, n1);
  /* 70000 data rows + header, CRLF, BOM */
  size_t lines = 0;
  for (size_t i = 0; i < n1; i++) lines += a[i] == '\n';
  assert_int_equal(lines, 70001);
  assert_memory_equal(a, "\xEF\xBB\xBF", 3);
  free(a);
  free(b);
  assert_int_equal(s1.rows, 70000);
  assert_int_equal(s1.invalid, SYNTHFILE_INVALID_ROWS);
  assert_int_equal(s1.name_variants, s3.name_variants);
  assert_int_equal(s1.answer_variants, s3.answer_variants);
  /* about 25% of rows have other answer spellings */
  assert_true(s1.answer_variants > 0.23 * 70000 && s1.answer_variants < 0.27 * 70000);
}

static void test_expected_sidecar(void **state) {
  (void)state;
  char p[512];
  size_t n;
  snprintf(p, sizeof p, "%s/t1.csv.expected.csv", dir);
  char *e = slurp(p, &n);
  assert_non_null(e);
  size_t lines = 0;
  for (size_t i = 0; i < n; i++) lines += e[i] == '\n';
  assert_int_equal(lines, 1 + SYNTHFILE_INVALID_ROWS);
  assert_non_null(strstr(e, ",province,Atlantis,unknown_province"));
  assert_non_null(strstr(e, ",q_online_rev_pct,150,out_of_range"));
  assert_non_null(strstr(e, ",q_website,Maybe,invalid_answer"));
  assert_non_null(strstr(e, "duplicate_id"));
  free(e);
}

static void test_failure_leaves_nothing(void **state) {
  (void)state;
  chiso_err err;
  synthfile_options o = {.year = 2024, .respondents = 1000, .seed = 1, .format = SYNTHFILE_CSV};
  char path[512];
  snprintf(path, sizeof path, "%s/no-such-dir/x.csv", dir);
  assert_int_equal(synthfile_write(model, &o, path, NULL, NULL, NULL, &err), CHISO_EIO);
  assert_non_null(strstr(err.file, "x.csv"));
  o.format = SYNTHFILE_XLSX;
  o.respondents = 2000000;
  snprintf(path, sizeof path, "%s/big.xlsx", dir);
  assert_int_equal(synthfile_write(model, &o, path, NULL, NULL, NULL, &err), CHISO_EUSAGE);
  assert_int_equal(access(path, F_OK), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_threads_same_bytes),
      cmocka_unit_test(test_expected_sidecar),
      cmocka_unit_test(test_failure_leaves_nothing),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

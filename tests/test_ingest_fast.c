/* Tests of the fast paths of an import: plain decimals give the very
** double strtod gives (bit for bit), the Có/Không shortcuts agree with the
** general yes/no rules, thousands of ids (the id set grows several times)
** still find a duplicate and its first row, interned sectors keep every
** row's text, and the row pipe hands rows back in order, with the error
** that ended the input after the rows before it. Expected values come
** from strtod, from the rules in docs/survey.md and from the generated
** files themselves. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

static geo_registry *reg;
static codebook *cb;

static int setup(void **state) {
  (void)state;
  chiso_err err;
  if (geo_registry_new(&reg, &err)) return -1;
  return codebook_load("tests/data/method-test.json", &cb, &err);
}

static int teardown(void **state) {
  (void)state;
  geo_registry_free(reg);
  codebook_free(cb);
  return 0;
}

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005u + 1442695040888963407u;
  return *s >> 33;
}

/* Random machine-form decimals, 1 to 19 digits, with and without a
** point and sign: ingest_parse_number must equal strtod bit for bit. */
static void test_decimals_equal_strtod(void **state) {
  (void)state;
  uint64_t seed = 42;
  char s[40];
  for (int k = 0; k < 200000; k++) {
    size_t w = 0, digits = 1 + lcg(&seed) % 19, point = lcg(&seed) % (digits + 1);
    if (lcg(&seed) % 4 == 0) s[w++] = '-';
    for (size_t d = 0; d < digits; d++) {
      if (d == point && d > 0) s[w++] = '.';
      s[w++] = (char)('0' + lcg(&seed) % 10);
    }
    s[w] = '\0';
    double got = 0, want = strtod(s, NULL);
    assert_int_equal(ingest_parse_number(s, k % 2, &got), 0);
    if (memcmp(&got, &want, sizeof got) != 0) {
      print_error("%s: %.17g, strtod %.17g\n", s, got, want);
      fail();
    }
  }
  const char *edge[] = {"-0", "0.0", "-0.000", "007", "999999999999999", "9007199254740993",
                        "0.1", "0.3", "123456789.012345", "5.", ".5", "1e5", "+3"};
  for (size_t k = 0; k < sizeof edge / sizeof *edge; k++) {
    double got = 0, want = strtod(edge[k], NULL);
    assert_int_equal(ingest_parse_number(edge[k], 0, &got), 0);
    assert_memory_equal(&got, &want, sizeof got);
  }
}

static void test_yesno_shortcuts(void **state) {
  (void)state;
  const char *yes[] = {"Có", "có", "CÓ", "C", "c", "co", "Yes", "1", "x", "X", "Đúng", "true"};
  const char *no[] = {"Không", "không", "KHÔNG", "kHông", "K", "khong", "No", "0", "n", "Sai"};
  const char *bad[] = {"Cóx", "Khôngg", "Kh", "Cóó", "2", "Maybe", "?"};
  double v;
  for (size_t k = 0; k < sizeof yes / sizeof *yes; k++) {
    assert_int_equal(ingest_parse_yesno(yes[k], &v), 0);
    assert_true(v == 1);
  }
  for (size_t k = 0; k < sizeof no / sizeof *no; k++) {
    assert_int_equal(ingest_parse_yesno(no[k], &v), 0);
    assert_true(v == 0);
  }
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
    assert_int_equal(ingest_parse_yesno(bad[k], &v), CHISO_EDATA);
  assert_int_equal(ingest_parse_yesno("", &v), 0);
  assert_true(isnan(v));
}

#define MANY 20000
#define DUP_ROW 15000 /* 0-based data row whose id repeats data row 5 */

static const char *const sectors[] = {"trade", "manufacturing", "services", " trade ", ""};

/* A file of MANY respondents; messy spellings of the answers. */
static void write_many(const char *path, int with_dup) {
  static const char *const provs[] = {"Hà Nội", "TP.HCM", "Đà Nẵng", "ha noi", "Cần Thơ"};
  static const char *const yn[] = {"Có", "Không", "co", "KHÔNG", "1", "0", ""};
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("respondent_id,province,size_class,weight,sector,year,Email,q_online_sales\n", f);
  for (int i = 0; i < MANY; i++)
    fprintf(f, "2024-%06d,%s,%s,%d.5,%s,2024,%s,\"%d,%d\"\n",
            with_dup && i == DUP_ROW ? 5 : i, provs[i % 5], i % 3 ? "micro" : "small",
            1 + i % 7, sectors[i % 5], yn[i % 6], i, i % 10);
  fclose(f);
}

static void test_many_ids_and_sectors(void **state) {
  (void)state;
  char path[] = "/tmp/chiso-fast-XXXXXX.csv";
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  close(fd);
  chiso_err err;
  survey_data *s = NULL;
  ingest_report *r = NULL;
  write_many(path, 1);
  assert_int_equal(ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err), CHISO_EDATA);
  assert_null(s);
  assert_int_equal(r->n_errors, 1);
  assert_int_equal(r->problems[0].row, DUP_ROW + 2);
  assert_int_equal(r->problems[0].col, 1);
  assert_string_equal(r->problems[0].message, "duplicate respondent id (first on row 7)");
  ingest_report_free(r);
  ingest_options o = {0, 1, CSVR_ENC_AUTO, 0, 0, NULL};
  assert_int_equal(ingest_file(path, cb, reg, 2024, &o, &s, &r, &err), 0);
  assert_int_equal(s->n, MANY - 1);
  assert_int_equal(r->rows_skipped, 1);
  char want[32];
  const survey_var *sales = survey_var_find(s, "q_online_sales");
  for (size_t i = 0; i < s->n; i++) {
    int row = (int)i + (i >= DUP_ROW); /* the data row it came from */
    snprintf(want, sizeof want, "2024-%06d", row);
    assert_string_equal(s->respondent_id[i], want);
    /* the trimmed text of the sector, shared by the rows that have it */
    assert_string_equal(s->sector[i], row % 5 == 3 ? "trade" : sectors[row % 5]);
    assert_int_equal(s->source_row[i], row + 2);
    assert_close(sales->values[i], row + (row % 10) / 10.0, 0);
  }
  survey_free(s);
  ingest_report_free(r);
  unlink(path);
}

/* ---- the row pipe ---- */

typedef struct {
  int i, n, fail;
  char buf[4][32];
  char *f[4];
} fake;

static int fake_read(void *ctx, rowpipe_row *row, chiso_err *err) {
  fake *k = ctx;
  if (k->i == k->n) {
    if (k->fail) return chiso_err_set(err, CHISO_EDATA, "broken at the end");
    return CHISO_OK;
  }
  int i = k->i++;
  row->n = 1 + (size_t)(i % 4);
  for (size_t j = 0; j < row->n; j++) {
    snprintf(k->buf[j], sizeof k->buf[j], "r%d c%zu%s", i, j, i % 7 ? "" : "  ");
    k->f[j] = k->buf[j];
  }
  row->fields = k->f;
  row->row = i + 2;
  row->bad_field = i % 11 == 0 ? 1 : 0;
  return CHISO_OK;
}

/* Collect a pipe's rows and check them against what fake_read made. */
static int drain(rowpipe *p, int n, chiso_err *err) {
  rowpipe_row r;
  int rc, i = 0;
  char want[32];
  while (!(rc = rowpipe_next(p, &r, err)) && r.fields) {
    size_t ahead_n;
    char **ahead = rowpipe_peek(p, 1, &ahead_n);
    if (ahead) assert_int_equal(ahead_n, 1 + (size_t)((i + 1) % 4));
    assert_int_equal(r.row, i + 2);
    assert_int_equal(r.n, 1 + (size_t)(i % 4));
    assert_int_equal(r.bad_field, i % 11 == 0 ? 1 : 0);
    for (size_t j = 0; j < r.n; j++) {
      snprintf(want, sizeof want, "r%d c%zu%s", i, j, i % 7 ? "" : "  ");
      assert_string_equal(r.fields[j], want);
      assert_int_equal(r.lens[j], strlen(want));
    }
    i++;
  }
  assert_int_equal(i, n);
  return rc;
}

static void test_rowpipe(void **state) {
  (void)state;
  chiso_err err;
  for (int fail_at_end = 0; fail_at_end < 2; fail_at_end++) {
    fake k = {0, 5000, fail_at_end, {{0}}, {0}};
    rowpipe *p = NULL;
    assert_int_equal(rowpipe_start(fake_read, &k, NULL, NULL, &p, &err), 0);
    int rc = drain(p, 5000, &err);
    assert_int_equal(rc, fail_at_end ? CHISO_EDATA : 0);
    rowpipe_row r;
    assert_int_equal(rowpipe_next(p, &r, &err), rc); /* the same again */
    assert_null(r.fields);
    if (fail_at_end) assert_string_equal(err.message, "broken at the end");
    rowpipe_stop(p);
  }
  /* stopped early: the reader is told to finish */
  fake k = {0, 100000, 0, {{0}}, {0}};
  rowpipe *p = NULL;
  rowpipe_row r;
  assert_int_equal(rowpipe_start(fake_read, &k, NULL, NULL, &p, &err), 0);
  for (int i = 0; i < 10; i++) assert_int_equal(rowpipe_next(p, &r, &err), 0);
  rowpipe_stop(p);
  assert_true(k.i < 100000);
  rowpipe_stop(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_decimals_equal_strtod),
      cmocka_unit_test(test_yesno_shortcuts),
      cmocka_unit_test(test_many_ids_and_sectors),
      cmocka_unit_test(test_rowpipe),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

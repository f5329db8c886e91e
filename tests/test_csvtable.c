/* Tests of csvin.c: RFC 4180 quoting, BOM, CRLF, blank lines, errors. */
#include "testutil.h"

#include <math.h>

static void test_parse(void **state) {
  (void)state;
  const char text[] = "\xEF\xBB\xBF" "code, name ,note\r\n"
                      "01,\"Hà Nội\",\"a, \"\"quoted\"\"\r\nline\"\r\n"
                      "\r\n"
                      "79,Hồ Chí Minh\r\n";
  csvtable *t = NULL;
  chiso_err err;
  assert_int_equal(csvtable_parse(text, sizeof text - 1, "x.csv", &t, &err), CHISO_OK);
  assert_int_equal(t->n_cols, 3);
  assert_int_equal(t->n_rows, 2);
  assert_int_equal(csvtable_col(t, "NAME"), 1);
  assert_int_equal(csvtable_col(t, "absent"), -1);
  assert_string_equal(csvtable_cell(t, 0, 1), "Hà Nội");
  assert_string_equal(csvtable_cell(t, 0, 2), "a, \"quoted\"\r\nline");
  assert_string_equal(csvtable_cell(t, 1, 2), "");
  assert_string_equal(csvtable_cell(t, 1, -1), "");
  assert_int_equal(t->line[0], 2);
  assert_int_equal(t->line[1], 5);
  double v;
  assert_int_equal(csvtable_number(t, 0, 0, 0, &v, &err), CHISO_OK);
  assert_close(v, 1, 0);
  assert_int_equal(csvtable_number(t, 0, 1, 0, &v, &err), CHISO_EDATA);
  assert_int_equal(err.row, 2);
  assert_int_equal(err.col, 2);
  assert_string_equal(err.column, "name");
  assert_int_equal(csvtable_number(t, 1, 2, 1, &v, &err), CHISO_OK);
  assert_true(isnan(v));
  long l;
  assert_int_equal(csvtable_long(t, 1, 0, 0, 0, 50, &l, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "from 0 to 50"));
  csvtable_free(t);
}

static void expect_bad(const char *text, long row, long col, const char *msg) {
  csvtable *t = NULL;
  chiso_err err;
  assert_int_equal(csvtable_parse(text, strlen(text), "b.csv", &t, &err), CHISO_EDATA);
  assert_null(t);
  assert_int_equal(err.row, row);
  assert_int_equal(err.col, col);
  if (!strstr(err.message, msg)) fail_msg("message '%s' lacks '%s'", err.message, msg);
}

static void test_errors(void **state) {
  (void)state;
  expect_bad("a,b\n1,2,3\n", 2, 3, "row has 3 fields but the header has 2");
  expect_bad("a,b\n1,\"open\n", 2, 2, "unclosed quote");
  expect_bad("a,,c\n", 1, 2, "empty column name");
  expect_bad("a,A\n", 1, 2, "duplicate column 'A'");
  expect_bad("", 1, 0, "empty file");
  expect_bad("a\n\xff\n", 2, 1, "invalid UTF-8");
  /* csvread's rules (the one tokenizer): nothing may follow a closing quote. */
  expect_bad("a,b\n1,\"x\"y\n", 2, 2, "after a closing quote");
}

/* COINr tables are read by the same table with blank header names allowed
** (R's row names), never matched; elsewhere a blank name is an error. */
static void test_blank_header(void **state) {
  (void)state;
  char path[] = "/tmp/chiso_csvin_XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "wb");
  fputs("\xEF\xBB\xBF\"\",iCode,w\r\n\r\n1,\"A,\"\"1\"\"\",2\r\n", f);
  fclose(f);
  csvtable *t = NULL;
  chiso_err err;
  assert_int_equal(csvtable_read(path, &t, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "empty column name"));
  assert_int_equal(err.col, 1);
  assert_int_equal(csvtable_read_blank(path, 1, &t, &err), CHISO_OK);
  assert_int_equal(csvtable_col(t, ""), -1);
  assert_int_equal(csvtable_col(t, "ICODE"), 1);
  assert_string_equal(csvtable_cell(t, 0, 1), "A,\"1\"");
  assert_int_equal(t->line[0], 3);
  csvtable_free(t);
  remove(path);
}

/* The data rule of numbers (number.h): the plain decimal form, missing
** markers, and nothing strtod alone would also take. */
static void test_data_numbers(void **state) {
  (void)state;
  static const struct { const char *s; double v; } ok[] = {
      {"12", 12}, {" -0.5 ", -0.5}, {"1e6", 1e6}, {"+2.5E-3", 2.5e-3}, {".5", 0.5}, {"7.", 7}};
  static const char *const missing[] = {"", "  ", "NA", "na", "NaN", ".", "-"};
  static const char *const bad[] = {"0x1A", "inf", "nan(1)", "1,5", "1.250.000", "12a", "1e", "--1",
                                    "1e999"};
  double v;
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    assert_int_equal(number_parse_data(ok[i].s, &v), NUMBER_OK);
    assert_true(v == ok[i].v);
  }
  for (size_t i = 0; i < sizeof missing / sizeof *missing; i++) {
    assert_int_equal(number_parse_data(missing[i], &v), NUMBER_MISSING);
    assert_true(isnan(v));
  }
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    v = 42;
    assert_int_equal(number_parse_data(bad[i], &v), NUMBER_BAD);
    assert_true(v == 42);
  }
}

/* Issue 12, item 1: tables read numbers as survey files do, the column
** deciding "1.250" (worked by hand). */
static void test_grouping_in_a_column(void **state) {
  (void)state;
  const char text[] = "a,b,c,d\n1.250,1.250,1.250,1.250\n\"1.250.000\",2.5,15.000,x\n";
  csvtable *t = NULL;
  chiso_err err;
  double v;
  long l;
  assert_int_equal(csvtable_parse(text, sizeof text - 1, "g.csv", &t, &err), CHISO_OK);
  assert_int_equal(csvtable_number(t, 0, 0, 0, &v, &err), CHISO_OK);
  assert_true(v == 1250);
  assert_int_equal(csvtable_number(t, 1, 0, 0, &v, &err), CHISO_OK);
  assert_true(v == 1250000);
  assert_int_equal(csvtable_number(t, 0, 1, 0, &v, &err), CHISO_OK);
  assert_true(v == 1.25);
  assert_int_equal(csvtable_number(t, 0, 2, 0, &v, &err), CHISO_EDATA);
  assert_int_equal(err.row, 2);
  assert_int_equal(err.col, 3);
  assert_non_null(strstr(err.message, "ambiguous number \"1.250\""));
  assert_int_equal(csvtable_long(t, 1, 2, 0, 0, 100000, &l, &err), CHISO_OK);
  assert_int_equal(l, 15000); /* a whole number: '.' can only group */
  assert_int_equal(csvtable_number(t, 0, 3, 0, &v, &err), CHISO_EDATA);
  csvtable_free(t);
}

static void test_out_of_memory(void **state) {
  (void)state;
  const char text[] = "a,b\n1,2\n3,4\n";
  int rc = CHISO_ENOMEM;
  for (long n = 0; rc == CHISO_ENOMEM && n < 1000; n++) { /* must end in success */
    csvtable *t = NULL;
    chiso_err err;
    chiso_mem_fail_after(n);
    rc = csvtable_parse(text, sizeof text - 1, "m.csv", &t, &err);
    chiso_mem_fail_after(-1);
    if (rc == CHISO_OK) { csvtable_free(t); break; }
    assert_int_equal(rc, CHISO_ENOMEM);
    assert_null(t);
  }
  assert_int_equal(rc, CHISO_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_parse),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_blank_header), cmocka_unit_test(test_data_numbers),
      cmocka_unit_test(test_grouping_in_a_column),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of xlsx.c: date serials (checked against Excel's documented
** epochs: serial 1 = 1900-01-01, 60 = the fictitious 1900-02-29,
** 45292 = 2024-01-01; 1904 system: 0 = 1904-01-01), cell types, rich
** text, sheets chosen by name, and broken workbooks. */
#include "testutil.h"

static xlsx *open_ok(const char *path, const char *sheet) {
  xlsx *x = NULL;
  chiso_err err;
  xlsx_options o = {.sheet = sheet};
  chiso_err_clear(&err);
  int rc = xlsx_open(path, &o, &x, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  return x;
}

static xlsx_row *next(xlsx *x) {
  xlsx_row *r = NULL;
  chiso_err err;
  int rc = xlsx_next(x, &r, &err);
  if (rc) print_error("%s\n", err.message);
  assert_int_equal(rc, 0);
  return r;
}

static void test_serials(void **state) {
  (void)state;
  char b[32];
  struct { double s; int d1904; const char *want; } cases[] = {
      {1, 0, "1900-01-01"},        {59, 0, "1900-02-28"},  {60, 0, "1900-02-29"},
      {61, 0, "1900-03-01"},       {45292, 0, "2024-01-01"}, {45356, 0, "2024-03-05"},
      {45356.6041666667, 0, "2024-03-05T14:30:00"},
      {0, 1, "1904-01-01"},        {1461, 1, "1908-01-01"}, {2958465, 0, "9999-12-31"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    assert_int_equal(xlsx_serial_to_iso(cases[i].s, cases[i].d1904, b, sizeof b), 0);
    assert_string_equal(b, cases[i].want);
  }
  assert_int_equal(xlsx_serial_to_iso(-1, 0, b, sizeof b), CHISO_EDATA);
  assert_int_equal(xlsx_serial_to_iso(2958466, 0, b, sizeof b), CHISO_EDATA);
}

static void test_types_sheet(void **state) {
  (void)state;
  xlsx *x = open_ok("tests/data/survey-small.xlsx", "DATES");
  xlsx_row *r = next(x);
  assert_int_equal(r->row, 1);
  assert_string_equal(r->fields[0], "respondent_id");
  r = next(x);
  assert_int_equal(r->row, 2);
  assert_int_equal(r->n, 10);
  /* I2: 0.35 in style "0%"; J2: 0.125 in a custom percent style */
  const char *want[] = {"2024-03-05", "2024-03-05T14:30:00", "1900-02-29", "1900-01-01",
                        "TRUE", "#N/A", "0.1", "text", "35%", "12.5%"};
  for (int i = 0; i < 10; i++) assert_string_equal(r->fields[i], want[i]);
  assert_null(next(x));
  xlsx_close(x);
}

static void test_first_sheet(void **state) {
  (void)state;
  xlsx *x = open_ok("tests/data/survey-small.xlsx", NULL);
  xlsx_row *r = next(x);
  assert_string_equal(r->fields[1], "T\xE1\xBB\x89nh/Th\xC3\xA0nh ph\xE1\xBB\x91");
  r = next(x); /* r01: rich text in two runs */
  assert_string_equal(r->fields[8], "K\xE1\xBA\xBF to\xC3\xA1n; ERP");
  assert_string_equal(r->fields[3], "12.5");
  r = next(x); /* r02: empty cells in the middle */
  assert_string_equal(r->fields[0], "r02");
  assert_string_equal(r->fields[8], "");
  assert_string_equal(r->fields[9], "");
  assert_string_equal(r->fields[10], "0%"); /* percent style */
  assert_int_equal(r->n, 12);
  xlsx_close(x);
  /* LibreOffice style: a gap row, cells without references, booleans */
  x = open_ok("tests/data/survey-small-lo.xlsx", "sheet1");
  assert_int_equal(next(x)->row, 1);
  assert_int_equal(next(x)->row, 2);
  r = next(x);
  assert_int_equal(r->row, 4);
  assert_string_equal(r->fields[0], "r02");
  xlsx_close(x);
}

static void expect_open_error(const char *path, const char *sheet, const char *msg) {
  xlsx *x = NULL;
  chiso_err err;
  xlsx_options o = {.sheet = sheet};
  chiso_err_clear(&err);
  assert_int_equal(xlsx_open(path, &o, &x, &err), CHISO_EDATA);
  assert_null(x);
  if (!strstr(err.message, msg)) {
    print_error("'%s' lacks '%s'\n", err.message, msg);
    fail();
  }
}

static void test_broken(void **state) {
  (void)state;
  expect_open_error("tests/data/survey-small.xlsx", "nope", "no sheet named \"nope\" (sheets: \"Kh");
  expect_open_error("tests/data/bad/truncated.xlsx", NULL, "truncated");
  expect_open_error("tests/data/bad/zip-bomb.xlsx", NULL, "zip bomb");
  expect_open_error("tests/data/bad/no-workbook.xlsx", NULL, "no xl/workbook.xml");
  /* a low size limit refuses even an honest workbook part */
  xlsx *x = NULL;
  chiso_err err;
  xlsx_options o = {.max_entry = 100};
  assert_int_equal(xlsx_open("tests/data/survey-small.xlsx", &o, &x, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "over the limit"));
  /* bad XML shows up while reading rows */
  x = open_ok("tests/data/bad/bad-xml.xlsx", NULL);
  xlsx_row *r = NULL;
  int rc;
  while ((rc = xlsx_next(x, &r, &err)) == 0 && r) {}
  assert_int_equal(rc, CHISO_EDATA);
  assert_non_null(strstr(err.message, "bad XML"));
  xlsx_close(x);
  assert_true(xlsx_is_zip("tests/data/survey-small.xlsx"));
  assert_false(xlsx_is_zip("tests/data/survey-small.csv"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_serials),
      cmocka_unit_test(test_types_sheet),
      cmocka_unit_test(test_first_sheet),
      cmocka_unit_test(test_broken),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

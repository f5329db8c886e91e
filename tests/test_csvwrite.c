/* Tests of csvwrite.c: the exact bytes of RFC 4180 quoting (written by
** hand from the RFC's rules), and a round trip through the one reader. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

/* The bytes of one row written with csvwrite_row (LF or CRLF ends). */
static char *row_text(const char *const *fields, int n, int crlf) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_non_null(f);
  assert_int_equal(csvwrite_row(f, fields, n, crlf), 0);
  fclose(f);
  return buf;
}

static void test_quoting(void **state) {
  (void)state;
  /* RFC 4180 2.6: fields with commas, quotes, CR or LF are enclosed in
  ** quotes; 2.7: a quote inside is doubled. Others are written as they are,
  ** spaces included; NULL is an empty field. */
  const char *fields[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", " spaced ",
                          NULL, "Hà Nội"};
  char *got = row_text(fields, 8, 0);
  assert_string_equal(got, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rhere\", spaced ,,"
                           "Hà Nội\n");
  free(got);
  const char *one[] = {"\""};
  got = row_text(one, 1, 1);
  assert_string_equal(got, "\"\"\"\"\r\n");
  free(got);
}

static void test_numbers(void **state) {
  (void)state;
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  csvwrite_number(f, 0.1, 1);
  csvwrite_number(f, NAN, 0);
  csvwrite_number(f, INFINITY, 0);
  csvwrite_number(f, -2, 0);
  csvwrite_end_row(f, 0);
  fclose(f);
  /* 0.1 needs 17 digits to read back exactly; NaN and infinity are empty */
  assert_string_equal(buf, "0.10000000000000001,,,-2\n");
  free(buf);
}

/* What is written reads back to the same fields with the one tokenizer. */
static void test_round_trip(void **state) {
  (void)state;
  const char *fields[] = {"x,\"y\"", "\n", "", "z"};
  char *text = row_text(fields, 4, 1);
  csvread *r = NULL;
  csvread_row *row = NULL;
  chiso_err err;
  assert_int_equal(csvread_open_mem(text, strlen(text), "t.csv", NULL, &r, &err), 0);
  assert_int_equal(csvread_next(r, &row, &err), 0);
  assert_non_null(row);
  assert_int_equal(row->n, 4);
  for (int i = 0; i < 4; i++) assert_string_equal(row->fields[i], fields[i]);
  csvread_close(r);
  free(text);
}

/* CSV injection (OWASP): texts a spreadsheet would evaluate get an
** apostrophe in front; numbers, a lone sign and ordinary text do not. */
static void test_formulas(void **state) {
  (void)state;
  const char *fields[] = {"=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "-1.5", "+3",
                          "-", "Hà Nội", "=HYPERLINK(\"http://x\",\"y\")"};
  char *text = row_text(fields, 10, 0);
  assert_string_equal(text, "'=1+1,'+cmd|' /C calc'!A0,'-2+3,'@SUM(A1),'\tx,-1.5,+3,-,H\xC3\xA0 "
                            "N\xE1\xBB\x99i,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\n");
  free(text);
  assert_true(csvwrite_formula_like("=A1"));
  assert_false(csvwrite_formula_like("1e5"));
  assert_false(csvwrite_formula_like(""));
  assert_false(csvwrite_formula_like(NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_quoting), cmocka_unit_test(test_numbers),
                                     cmocka_unit_test(test_round_trip),
                                     cmocka_unit_test(test_formulas)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of statfile.c on the haven-made copies of the reference survey
** (tests/reference/statfiles.R writes them from tests/data/survey/ref1.csv,
** whose first cases are the expected values here): value labels with the
** code underneath, variable labels, system, user-defined and Stata
** extended missing values, dates (checked against the calendar by hand:
** 2024-03-02 is day 19784 after 1970-01-01, SPSS counts from 1582-10-14 =
** day -141428, Stata and SAS from 1960-01-01 = day -3653), reading from
** memory, kept variables, broken files and out of memory. */
#include "testutil.h"

static statfile *open_ok(const char *path, const statfile_options *o) {
  statfile *f = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = statfile_open(path, statfile_kind_of(path), o, &f, &err);
  if (rc) print_error("%s: %s\n", path, err.message);
  assert_int_equal(rc, 0);
  return f;
}

static statfile_row *next(statfile *f) {
  statfile_row *r = NULL;
  chiso_err err;
  assert_int_equal(statfile_next(f, &r, &err), 0);
  return r;
}

static void expect(const statfile_row *r, size_t i, const char *text, const char *alt) {
  assert_string_equal(r->fields[i], text);
  if (alt) assert_string_equal(r->alts[i], alt);
  else assert_null(r->alts[i]);
}

static void test_kinds(void **state) {
  (void)state;
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.sav"), STATFILE_SAV);
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.zsav"), STATFILE_SAV);
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.por"), STATFILE_POR);
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.dta"), STATFILE_DTA);
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.sas7bdat"), STATFILE_SAS7BDAT);
  assert_int_equal(statfile_kind_of("tests/data/statfile/ref1.xpt"), STATFILE_XPT);
  assert_int_equal(statfile_kind_of("tests/data/survey/ref1.csv"), STATFILE_NONE);
  assert_int_equal(statfile_kind_of("no/such/file.csv"), STATFILE_NONE);
  assert_int_equal(statfile_kind_of("no/such/file.DTA"), STATFILE_DTA);
  assert_int_equal(statfile_kind_of_bytes("$FL2@(#) IBM", 12), STATFILE_SAV);
  assert_int_equal(statfile_kind_of_bytes("<stata_dta><header>", 19), STATFILE_DTA);
  assert_int_equal(statfile_kind_of_bytes("$FL", 3), STATFILE_NONE);
  assert_string_equal(statfile_kind_name(STATFILE_DTA), "Stata");
}

static void test_dates(void **state) {
  (void)state;
  char b[32];
  assert_int_equal(statfile_iso_date(19784, 0, 0, b, sizeof b), 0);
  assert_string_equal(b, "2024-03-02");
  assert_int_equal(statfile_iso_date(-141428, 13928716800.0, 0, b, sizeof b), 0);
  assert_string_equal(b, "2024-03-02"); /* SPSS seconds of that day */
  assert_int_equal(statfile_iso_date(-3653, 23437 * 86400.0, 0, b, sizeof b), 0);
  assert_string_equal(b, "2024-03-02"); /* Stata %td 23437 */
  assert_int_equal(statfile_iso_date(-3653, 0, 0, b, sizeof b), 0);
  assert_string_equal(b, "1960-01-01");
  assert_int_equal(statfile_iso_date(-141428, 0, 0, b, sizeof b), 0);
  assert_string_equal(b, "1582-10-14");
  assert_int_equal(statfile_iso_date(0, 52200.4, 1, b, sizeof b), 0);
  assert_string_equal(b, "1970-01-01T14:30:00");
  assert_int_equal(statfile_iso_date(0, -1, 1, b, sizeof b), 0);
  assert_string_equal(b, "1969-12-31T23:59:59");
  assert_int_equal(statfile_iso_date(0, 86399.7, 0, b, sizeof b), 0);
  assert_string_equal(b, "1970-01-01"); /* a date keeps its day */
  assert_int_equal(statfile_iso_date(2932896, 0, 0, b, sizeof b), 0);
  assert_string_equal(b, "9999-12-31");
  assert_int_equal(statfile_iso_date(2932897, 0, 0, b, sizeof b), CHISO_EDATA);
  assert_int_equal(statfile_iso_date(NAN, 0, 0, b, sizeof b), CHISO_EDATA);
}

/* ref1.csv's first and ninth cases, as the SPSS and Stata copies hold them. */
static void check_cases(statfile *f, int spss) {
  statfile_row *r = next(f);
  assert_int_equal(r->row, 0);
  assert_int_equal(r->n, 12);
  expect(r, 0, "respondent_id", "Mã doanh nghiệp");
  expect(r, 1, "matinh", "Tỉnh/Thành phố");
  expect(r, 7, "q_sales", NULL); /* no variable label */
  r = next(f);
  assert_int_equal(r->row, 1);
  expect(r, 0, "R0001", NULL);
  expect(r, 1, "Hà Nội", "1");
  expect(r, 2, "small", "2");
  expect(r, 3, "40.573", NULL);
  expect(r, 4, "Có", "1");
  expect(r, 5, "Không", "0");
  expect(r, 6, "", NULL);        /* system missing */
  expect(r, 7, "60.94", NULL);
  expect(r, 8, "225", NULL);
  expect(r, 9, "Phần mềm ERP", "2");
  expect(r, 10, "2024-03-02", NULL);
  expect(r, 11, "doanh nghiệp", NULL);
  assert_int_equal(r->bad_field, 0);
  for (int k = 2; k <= 9; k++) r = next(f);
  assert_int_equal(r->row, 9);
  expect(r, 0, "R0009", NULL);
  expect(r, 3, "17.139", NULL);
  /* q_rev_pct: SPSS user-defined missing 999, Stata .b */
  expect(r, 6, "", NULL);
  expect(r, 10, "2024-03-10", NULL);
  (void)spss;
  long n = 9;
  while ((r = next(f))) n++;
  assert_int_equal(n, 330);
  assert_int_equal(statfile_cases(f), 330);
  assert_null(next(f)); /* the end stays the end */
}

static void test_sav(void **state) {
  (void)state;
  statfile *f = open_ok("tests/data/statfile/ref1.sav", NULL);
  assert_string_equal(statfile_encoding(f), "UTF-8");
  assert_int_equal(statfile_vars(f), 12);
  check_cases(f, 1);
  statfile_close(f);
  f = open_ok("tests/data/statfile/ref1.zsav", NULL);
  check_cases(f, 1);
  statfile_close(f);
}

static void test_dta(void **state) {
  (void)state;
  statfile *f = open_ok("tests/data/statfile/ref1.dta", NULL);
  check_cases(f, 0);
  statfile_close(f);
}

/* SPSS user-defined missing and Stata .a: q_web of case 24 is missing in
** ref1.csv and stored as 9 ("Không trả lời", a missing value) and as .a. */
static void test_missing_codes(void **state) {
  (void)state;
  const char *files[] = {"tests/data/statfile/ref1.sav", "tests/data/statfile/ref1.dta"};
  for (int k = 0; k < 2; k++) {
    statfile *f = open_ok(files[k], NULL);
    statfile_row *r = NULL;
    for (int i = 0; i <= 24; i++) r = next(f);
    assert_int_equal(r->row, 24);
    expect(r, 0, "R0024", NULL);
    expect(r, 5, "", NULL);
    statfile_close(f);
  }
}

static void test_sas(void **state) {
  (void)state;
  const char *files[] = {"tests/data/statfile/ref1.xpt", "tests/data/statfile/ref1.sas7bdat"};
  for (int k = 0; k < 2; k++) {
    statfile *f = open_ok(files[k], NULL);
    statfile_row *r = next(f);
    expect(r, 1, "matinh", "Tỉnh/Thành phố");
    r = next(f);
    expect(r, 0, "R0001", NULL);
    expect(r, 1, "1", NULL); /* no value labels in SAS files */
    expect(r, 2, "small", NULL);
    expect(r, 3, "40.573", NULL);
    expect(r, 10, "2024-03-02", NULL); /* SAS DATE format */
    statfile_close(f);
  }
}

/* An old Stata file (format 115 implies Windows-1252) holding UTF-8 text
** that does not convert: read byte for byte as Latin-1, the UTF-8 behind
** it recovered (here TCVN3 letters, converted later by io/source). */
static void test_latin1_retry(void **state) {
  (void)state;
  statfile *f = open_ok("tests/data/statfile/old12.dta", NULL);
  assert_string_equal(statfile_encoding(f), "ISO-8859-1");
  statfile_row *r = next(f);
  expect(r, 1, "matinh", "T\xC3\x98nh/Th\xC2\xB5nh ph\xC3\xA8"); /* "TØnh/Thµnh phè" */
  r = next(f);
  expect(r, 1, "H\xC2\xB5 N\xC3\xA9i", "1");                       /* "Hµ Néi" */
  expect(r, 4, "C\xC3\xA3", "1");                                   /* "Cã" */
  statfile_close(f);
}

static int keep_some(void *ctx, size_t i, const char *name, const char *label) {
  int *calls = ctx;
  (*calls)++;
  (void)label;
  return i == 0 || strcmp(name, "q_email") == 0;
}

static void test_keep_and_memory(void **state) {
  (void)state;
  int calls = 0;
  statfile_options o = {keep_some, &calls, 0};
  statfile *f = open_ok("tests/data/statfile/ref1.dta", &o);
  assert_int_equal(calls, 12);
  statfile_row *r = next(f);
  expect(r, 4, "q_email", "Dùng email");
  r = next(f);
  expect(r, 0, "R0001", NULL);
  expect(r, 1, "", NULL); /* not kept */
  expect(r, 4, "Có", "1");
  statfile_close(f);
  /* The same bytes from memory give the same rows. */
  char *bytes = NULL;
  size_t n = 0;
  FILE *in = fopen("tests/data/statfile/ref1.sav", "rb");
  FILE *mem = open_memstream(&bytes, &n);
  int c;
  while ((c = fgetc(in)) != EOF) fputc(c, mem);
  fclose(in);
  fclose(mem);
  chiso_err err;
  assert_int_equal(statfile_open_mem(bytes, n, STATFILE_SAV, "mem.sav", NULL, &f, &err), 0);
  check_cases(f, 1);
  statfile_close(f);
  /* A limit on the values kept. */
  statfile_options small = {NULL, NULL, 4096};
  f = NULL;
  assert_int_equal(statfile_open_mem(bytes, n, STATFILE_SAV, "mem.sav", &small, &f, &err),
                   CHISO_EDATA);
  assert_null(f);
  assert_non_null(strstr(err.message, "too large"));
  free(bytes);
}

static void test_broken(void **state) {
  (void)state;
  chiso_err err;
  statfile *f = NULL;
  char *bytes = test_slurp("tests/data/statfile/ref1.sav");
  assert_non_null(bytes);
  /* cut inside the data, inside the dictionary, and just the signature */
  size_t cuts[] = {20000, 3000, 400, 4, 0};
  for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
    chiso_err_clear(&err);
    assert_int_equal(statfile_open_mem(bytes, cuts[k], STATFILE_SAV, "cut.sav", NULL, &f, &err),
                     CHISO_EDATA);
    assert_null(f);
    assert_string_equal(err.file, "cut.sav");
    assert_non_null(strstr(err.message, "SPSS"));
  }
  free(bytes);
  const char text[] = "respondent_id,province\nR1,01\n";
  for (statfile_kind k = STATFILE_SAV; k <= STATFILE_XPT; k++) {
    assert_int_equal(statfile_open_mem(text, sizeof text - 1, k, "x", NULL, &f, &err), CHISO_EDATA);
    assert_null(f);
  }
  assert_int_equal(statfile_open("no/such.dta", STATFILE_DTA, NULL, &f, &err), CHISO_EIO);
  assert_null(f);
}

static void test_out_of_memory(void **state) {
  (void)state;
  int rc = CHISO_ENOMEM;
  for (long n = 0; rc == CHISO_ENOMEM && n < 100000; n++) { /* must end in success */
    statfile *f = NULL;
    statfile_row *r = NULL;
    chiso_err err;
    chiso_mem_fail_after(n);
    rc = statfile_open("tests/data/statfile/ref1.dta", STATFILE_DTA, NULL, &f, &err);
    while (!rc && !(rc = statfile_next(f, &r, &err)) && r) {}
    chiso_mem_fail_after(-1);
    statfile_close(f);
    if (rc) assert_int_equal(rc, CHISO_ENOMEM);
    else assert_null(r);
  }
  assert_int_equal(rc, CHISO_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_kinds),          cmocka_unit_test(test_dates),
      cmocka_unit_test(test_sav),            cmocka_unit_test(test_dta),
      cmocka_unit_test(test_missing_codes),  cmocka_unit_test(test_sas),
      cmocka_unit_test(test_latin1_retry),
      cmocka_unit_test(test_keep_and_memory), cmocka_unit_test(test_broken),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of ingest.c: coding of a hand-written survey, number and yes/no
** parsing, and the same survey read from CSV, ';'-CSV with CRLF and a BOM,
** Excel-style, LibreOffice-style and libxlsxwriter-written XLSX giving
** identical survey_data. Expected values are worked out by hand from
** tests/data/survey-small.csv.
**
** Then the fast paths of an import: plain decimals give the very double
** strtod gives (bit for bit), the Có/Không shortcuts agree with the
** general yes/no rules, thousands of ids (the id set grows several times)
** still find a duplicate and its first row, interned sectors keep every
** row's text, and the row pipe hands rows back in order, with the error
** that ended the input after the rows before it. Expected values come
** from strtod, the rules in docs/survey.md and the generated files. */
#include "testutil.h"

#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

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

static survey_data *read_ok(const char *path) {
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  int rc = ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err);
  if (rc) {
    char buf[2048];
    chiso_err_format(&err, buf, sizeof buf);
    print_error("%s\n", buf);
    for (size_t i = 0; i < r->n_problems; i++) {
      ingest_problem_format(r, &r->problems[i], buf, sizeof buf);
      print_error("%s\n", buf);
    }
  }
  assert_int_equal(rc, 0);
  assert_non_null(s);
  ingest_report_free(r);
  return s;
}

static void expect_var(const survey_data *s, const char *id, const double *want) {
  const survey_var *v = survey_var_find(s, id);
  assert_non_null(v);
  for (size_t i = 0; i < s->n; i++) {
    if (isnan(want[i])) {
      if (!isnan(v->values[i])) {
        print_error("%s[%zu] = %g, expected missing\n", id, i, v->values[i]);
        fail();
      }
    } else {
      assert_close(v->values[i], want[i], 0);
    }
  }
}

static void test_small_csv(void **state) {
  (void)state;
  survey_data *s = read_ok("tests/data/survey-small.csv");
  const double N = NAN;
  assert_int_equal(s->n, 6);
  assert_int_equal(s->n_vars, 8); /* q_note is text: no variable */
  const char *prov[] = {"01", "79", "48", "74", "46", "92"};
  const char *ids[] = {"r01", "r02", "r03", "r04", "r05", "r06"};
  for (int i = 0; i < 6; i++) {
    assert_string_equal(s->province[i], prov[i]);
    assert_string_equal(s->province_old[i], "");
    assert_string_equal(s->respondent_id[i], ids[i]);
  }
  /* strata sorted by name: large, medium, micro, small */
  assert_int_equal(s->n_strata, 4);
  assert_string_equal(s->stratum_names[0], "large");
  assert_string_equal(s->stratum_names[3], "small");
  const int strat[] = {2, 3, 1, 2, 0, 3};
  const double w[] = {12.5, 8, 4.25, 12.5, 1, 8};
  for (int i = 0; i < 6; i++) {
    assert_int_equal(s->stratum[i], strat[i]);
    assert_close(s->weight[i], w[i], 0);
  }
  assert_string_equal(s->sector[2], "manufacturing");
  assert_int_equal(s->source_row[0], 2);
  assert_int_equal(s->source_row[5], 7); /* r04 spans two lines but is one row */
  expect_var(s, "q_email", (double[]){1, 0, 1, 1, 1, 0});
  /* Có/Không/yes/0 with one "x": not a tick-box column, r06's blank is
  ** no answer (docs/survey.md) */
  expect_var(s, "q_website", (double[]){1, 0, 1, 0, 1, N});
  expect_var(s, "q_software.accounting", (double[]){1, N, 0, 1, 0, N});
  expect_var(s, "q_software.erp", (double[]){1, N, 0, 0, 1, N});
  expect_var(s, "q_software.crm", (double[]){0, N, 1, 1, 0, N});
  expect_var(s, "q_web_update", (double[]){0, N, 1, 2, 3, N});
  expect_var(s, "q_online_rev_pct", (double[]){35, 0, 12.5, 7.5, 100, N});
  expect_var(s, "q_online_sales", (double[]){1250.5, 0, 1200, 300.75, 1000000, N});
  assert_int_equal(survey_var_find(s, "q_email")->question, 0);
  assert_int_equal(survey_var_find(s, "q_software.crm")->question, 2);
  survey_free(s);
}

/* Every coded value equal (NaN equal to NaN). */
static void assert_same(const survey_data *a, const survey_data *b) {
  assert_int_equal(a->n, b->n);
  assert_int_equal(a->n_vars, b->n_vars);
  assert_int_equal(a->n_strata, b->n_strata);
  for (size_t h = 0; h < a->n_strata; h++) assert_string_equal(a->stratum_names[h], b->stratum_names[h]);
  for (size_t i = 0; i < a->n; i++) {
    assert_string_equal(a->respondent_id[i], b->respondent_id[i]);
    assert_string_equal(a->province[i], b->province[i]);
    assert_string_equal(a->province_old[i], b->province_old[i]);
    assert_int_equal(a->stratum[i], b->stratum[i]);
    assert_true(a->weight[i] == b->weight[i]);
    assert_string_equal(a->sector[i], b->sector[i]);
  }
  for (size_t v = 0; v < a->n_vars; v++) {
    assert_string_equal(a->vars[v].id, b->vars[v].id);
    for (size_t i = 0; i < a->n; i++) {
      double x = a->vars[v].values[i], y = b->vars[v].values[i];
      if (!(x == y || (isnan(x) && isnan(y)))) {
        print_error("%s row %zu: %g vs %g\n", a->vars[v].id, i, x, y);
        fail();
      }
    }
  }
}

/* Write tests/data/survey-small.csv with libxlsxwriter: numbers as
** numbers, TRUE as a boolean, the rest as strings. */
static void write_with_xlsxwriter(const char *out, int zip64) {
  csvread *r = NULL;
  csvread_row *row;
  chiso_err err;
  assert_int_equal(csvread_open("tests/data/survey-small.csv", NULL, &r, &err), 0);
  /* constant memory and ZIP64, as chiso synth writes them, or the defaults */
  lxw_workbook_options wo = {.constant_memory = (uint8_t)zip64, .tmpdir = NULL,
                             .use_zip64 = (uint8_t)zip64};
  lxw_workbook *wb = workbook_new_opt(out, &wo);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
  lxw_row_t ri = 0;
  while (csvread_next(r, &row, &err) == 0 && row) {
    for (size_t c = 0; c < row->n; c++) {
      const char *v = row->fields[c];
      char *end;
      double d = strtod(v, &end);
      if (!v[0]) continue;
      if (ri > 0 && *end == '\0' && strspn(v, "0123456789.") == strlen(v))
        worksheet_write_number(ws, ri, (lxw_col_t)c, d, NULL);
      else if (ri > 0 && strcmp(v, "TRUE") == 0)
        worksheet_write_boolean(ws, ri, (lxw_col_t)c, 1, NULL);
      else
        worksheet_write_string(ws, ri, (lxw_col_t)c, v, NULL);
    }
    ri++;
  }
  csvread_close(r);
  assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_same_survey_every_format(void **state) {
  (void)state;
  survey_data *csv = read_ok("tests/data/survey-small.csv");
  const char *others[] = {"tests/data/survey-small-semicolon.csv", "tests/data/survey-small.xlsx",
                          "tests/data/survey-small-lo.xlsx"};
  for (size_t k = 0; k < 3; k++) {
    survey_data *s = read_ok(others[k]);
    assert_same(csv, s);
    survey_free(s);
  }
  for (int zip64 = 0; zip64 < 2; zip64++) {
    char path[] = "/tmp/chiso-lxw-XXXXXX.xlsx";
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    write_with_xlsxwriter(path, zip64);
    survey_data *s = read_ok(path);
    unlink(path);
    assert_same(csv, s);
    survey_free(s);
  }
  survey_free(csv);
}

static void test_numbers(void **state) {
  (void)state;
  struct { const char *s; int pct; double want; } ok[] = {
      {"12", 0, 12}, {"-0.35", 0, -0.35}, {"1e3", 0, 1000}, {"2,5", 0, 2.5},
      {"1.234.567", 0, 1234567}, {"1.234.567,5", 0, 1234567.5}, {"1,234,567", 0, 1234567},
      {"1,234.5", 0, 1234.5}, {"1 234", 0, 1234}, {"1\xC2\xA0" "234,75", 0, 1234.75},
      {" 42 ", 0, 42}, {"35%", 1, 35}, {"12,5 %", 1, 12.5}, {"+7", 0, 7}, {",5", 0, 0.5},
      {"1.250,5", 0, 1250.5}};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    double v = NAN;
    if (number_parse_survey(ok[i].s, ok[i].pct, &v)) {
      print_error("'%s' did not parse\n", ok[i].s);
      fail();
    }
    assert_close(v, ok[i].want, 1e-12);
  }
  const char *bad[] = {"", "abc", "1.2.3,4,5", "12,34,5", "1.23.456", "35%", "1,2.3.4",
                       "1 2345", "--1", "1e", "nan", "inf", "1.5x"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    double v;
    if (number_parse_survey(bad[i], 0, &v) == 0) {
      print_error("'%s' parsed as %g\n", bad[i], v);
      fail();
    }
  }
}

static void test_yesno(void **state) {
  (void)state;
  const char *yes[] = {"Có", "CÓ", "co", "Yes", "Y", "1", "True", "TRUE", "x", "X", "Đúng"};
  const char *no[] = {"Không", "KHONG", "không", "No", "n", "0", "false", "Sai",
                      "Chưa", "chưa có", "Chưa có", "Không có", "KHÔNG CÓ"};
  double v;
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    assert_int_equal(ingest_parse_yesno(yes[i], &v), 0);
    assert_close(v, 1, 0);
  }
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    assert_int_equal(ingest_parse_yesno(no[i], &v), 0);
    assert_close(v, 0, 0);
  }
  assert_int_equal(ingest_parse_yesno("", &v), 0);
  assert_true(isnan(v));
  assert_int_equal(ingest_parse_yesno("maybe", &v), CHISO_EDATA);
  assert_int_equal(ingest_parse_yesno("2", &v), CHISO_EDATA);
}

static char *write_tmp(const char *text) {
  static char path[64];
  snprintf(path, sizeof path, "/tmp/chiso-ingest-XXXXXX.csv");
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

/* A new temporary CSV file from the template `path` ("...XXXXXX.csv"),
** open for writing. */
static FILE *open_tmp_csv(char *path) {
  int fd = mkstemps(path, 4);
  assert_true(fd >= 0);
  close(fd);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  return f;
}

/* Write text to a temporary CSV, read it for `year`, remove it. */
static int ingest_text(const char *text, int year, survey_data **s, ingest_report **r) {
  chiso_err err;
  char *path = write_tmp(text);
  *s = NULL;
  *r = NULL;
  int rc = ingest_file(path, cb, reg, year, NULL, s, r, &err);
  unlink(path);
  return rc;
}

/* The note on a province none of whose rows answers a question
** (survey_notes): Đà Nẵng (code 48 before 2025) has two rows, both blank;
** Hà Nội, under two spellings, has answers and no note. */
static void test_province_without_answers(void **state) {
  (void)state;
  const char *vars[] = {"q"};
  ingest_plain_spec spec = {"province", NULL, NULL, "id", vars, 1};
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  char *path = write_tmp("id,province,q\n"
                         "r1,H\xC3\xA0 N\xE1\xBB\x99i,C\xC3\xB3\n"
                         "r2,\xC4\x90\xC3\xA0 N\xE1\xBA\xB5ng,\n"
                         "r3,ha noi,\n"
                         "r4,\xC4\x90\xC3\xA0 N\xE1\xBA\xB5ng,\n");
  int rc = ingest_file_plain(path, &spec, reg, 2024, NULL, &s, &r, &err);
  unlink(path);
  assert_int_equal(rc, CHISO_OK);
  assert_int_equal(s->n, 4);
  assert_int_equal(r->n_notes, 1);
  assert_string_equal(r->notes[0], "province 48: no question is answered in any of its 2 rows: "
                                   "its estimates will be missing");
  survey_free(s);
  ingest_report_free(r);
}

/* The tick-box rule (docs/survey.md): blank is no only in a column whose
** every answer is an x mark (x, X, ✓, ✔, ×); in a column that also has
** Có/Không, blank is no answer, wherever the x marks are. A required
** question's blank is then a problem, except in a tick-box column. */
static void test_tick_box_columns(void **state) {
  (void)state;
  survey_data *s;
  ingest_report *r;
  assert_int_equal(ingest_text("respondent_id,province,Email,q_website,q_software.erp,"
                               "q_software.crm\n"
                               "r1,01,x,,C\xC3\xB3,\xE2\x9C\x93\n"
                               "r2,01,,Kh\xC3\xB4ng,,\n"
                               "r3,01,\xC3\x97,x,,\xE2\x9C\x94\n"
                               "r4,01,X,C\xC3\xB3,x,\n", 2024, &s, &r), 0);
  const double N = NAN;
  expect_var(s, "q_email", (double[]){1, 0, 1, 1});     /* all marks: tick-box */
  expect_var(s, "q_website", (double[]){N, 0, 1, 1});   /* mixed: blank missing */
  expect_var(s, "q_software.erp", (double[]){1, N, N, 1});
  expect_var(s, "q_software.crm", (double[]){1, 0, 1, 0}); /* ✓ ✔: tick-box */
  survey_free(s);
  ingest_report_free(r);
  /* a required yes/no column with Có/Không: its blank is a problem */
  assert_int_equal(ingest_text("respondent_id,province,Email\nr1,01,C\xC3\xB3\nr2,01,\nr3,01,x\n",
                               2024, &s, &r), CHISO_EDATA);
  assert_int_equal(r->n_problems, 1);
  assert_int_equal(r->problems[0].row, 3);
  assert_int_equal(r->problems[0].rule, INGEST_R_REQUIRED);
  ingest_report_free(r);
}

/* The same rules through the row pipe (a file of 4 MiB or more: the
** yes/no cells are read on the reader's thread and taken as read): the
** four rows above repeated 30,000 times, then a required column whose
** blank rows are skipped with their problem. */
static void test_tick_box_columns_piped(void **state) {
  (void)state;
  static const char *const rows[] = {"x,,C\xC3\xB3,\xE2\x9C\x93", ",Kh\xC3\xB4ng,,",
                                     "\xC3\x97,x,,\xE2\x9C\x94", "X,C\xC3\xB3,x,"};
  const int reps = 30000;
  char path[] = "/tmp/chiso-tick-XXXXXX.csv";
  FILE *f = open_tmp_csv(path);
  fputs("respondent_id,province,Email,q_website,q_software.erp,q_software.crm,pad\n", f);
  for (int i = 0; i < 4 * reps; i++)
    fprintf(f, "r%07d,01,%s,padding-padding-padding\n", i, rows[i % 4]);
  fclose(f);
  struct stat sb;
  assert_int_equal(stat(path, &sb), 0);
  assert_true(sb.st_size >= (4 << 20));
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  assert_int_equal(ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err), 0);
  assert_int_equal(s->n, (size_t)(4 * reps));
  const survey_var *v[] = {survey_var_find(s, "q_email"), survey_var_find(s, "q_website"),
                           survey_var_find(s, "q_software.erp"), survey_var_find(s, "q_software.crm")};
  const double N = NAN, want[4][4] = {{1, 0, 1, 1}, {N, 0, 1, 1}, {1, N, N, 1}, {1, 0, 1, 0}};
  for (size_t i = 0; i < s->n; i++)
    for (int k = 0; k < 4; k++) {
      double w = want[k][i % 4], got = v[k]->values[i];
      if (isnan(w) ? !isnan(got) : got != w) fail_msg("row %zu, column %d: %g", i, k, got);
    }
  survey_free(s);
  ingest_report_free(r);
  /* Email with Có/Không: each blank (every fourth row from the second) a
  ** missing required answer */
  f = fopen(path, "w");
  assert_non_null(f);
  fputs("respondent_id,province,Email,pad\n", f);
  for (int i = 0; i < 4 * reps; i++)
    fprintf(f, "r%07d,01,%s,padding-padding-padding-padding-padding\n", i,
            i % 4 == 1 ? "" : i % 2 ? "C\xC3\xB3" : "Kh\xC3\xB4ng");
  fclose(f);
  ingest_options o = {.skip_invalid = 1};
  assert_int_equal(ingest_file(path, cb, reg, 2024, &o, &s, &r, &err), 0);
  unlink(path);
  assert_int_equal(s->n, (size_t)(3 * reps));
  assert_int_equal(r->rows_skipped, (size_t)reps);
  assert_int_equal(r->problems[0].row, 3); /* data row 1 */
  assert_int_equal(r->problems[0].col, 3);
  assert_int_equal(r->problems[0].rule, INGEST_R_REQUIRED);
  assert_string_equal(r->problems[0].message, "missing required answer to q_email");
  survey_free(s);
  ingest_report_free(r);
}

/* In a 34-unit year a former province gives its new unit and keeps its
** old code (resolutions checked with `chiso resolve --year 2025`). */
static void test_year_2025(void **state) {
  (void)state;
  survey_data *s;
  ingest_report *r;
  assert_int_equal(ingest_text("respondent_id,province,Email\nr1,B\xC3\xACnh D\xC6\xB0\xC6\xA1ng,1\n"
                               "r2,H\xC3\xA0 Giang,0\nr3,Hu\xE1\xBA\xBF,1\n", 2025, &s, &r), 0);
  assert_string_equal(s->province[0], "79");
  assert_string_equal(s->province_old[0], "74");
  assert_string_equal(s->province[1], "08");
  assert_string_equal(s->province_old[1], "02");
  assert_string_equal(s->province[2], "46");
  assert_string_equal(s->province_old[2], "");
  assert_null(s->weight);
  assert_null(s->sector);
  assert_int_equal(s->n_strata, 1);
  assert_string_equal(s->stratum_names[0], "all");
  assert_string_equal(r->format, "csv");
  survey_free(s);
  ingest_report_free(r);
}

static void test_problems_and_skip(void **state) {
  (void)state;
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  const char *many = "tests/data/bad/many-problems.csv";
  assert_int_equal(ingest_file(many, cb, reg, 2024, NULL, &s, &r, &err), CHISO_EDATA);
  assert_null(s);
  assert_int_equal(r->n_errors, 74);
  assert_int_equal(r->n_problems, 74);
  assert_int_equal(r->rows_read, 38);
  assert_int_equal(r->fatal, 0);
  assert_int_equal(err.row, 3);
  assert_int_equal(r->problems[0].rule, INGEST_R_PROVINCE);
  assert_int_equal(r->problems[1].rule, INGEST_R_NOT_ALLOWED);
  assert_int_equal(r->problems[1].col, 6);
  assert_string_equal(r->problems[1].column, "Email");
  assert_string_equal(r->problems[1].value, "Maybe");
  ingest_report_free(r);
  ingest_options o = {.max_errors = 5, .skip_invalid = 1};
  assert_int_equal(ingest_file(many, cb, reg, 2024, &o, &s, &r, &err), 0);
  assert_int_equal(s->n, 1);
  assert_string_equal(s->respondent_id[0], "r01");
  assert_int_equal(r->rows_skipped, 37);
  assert_int_equal(r->rows_kept, 1);
  assert_int_equal(r->n_problems, 5);
  assert_int_equal(r->n_errors, 74);
  for (size_t i = 1; i < r->n_problems; i++)
    assert_true(r->problems[i - 1].row <= r->problems[i].row);
  survey_free(s);
  ingest_report_free(r);
  /* a problem of the header cannot be skipped */
  assert_int_equal(ingest_file("tests/data/bad/missing-required-column.csv", cb, reg, 2024, &o, &s,
                               &r, &err), CHISO_EDATA);
  assert_null(s);
  assert_int_equal(r->n_errors, 1);
  ingest_report_free(r);
  /* a fatal error keeps the report */
  assert_int_equal(ingest_file("tests/data/bad/unclosed-quote.csv", cb, reg, 2024, &o, &s, &r, &err),
                   CHISO_EDATA);
  assert_int_equal(r->fatal, 1);
  assert_int_equal(err.row, 3);
  assert_int_equal(err.col, 2);
  ingest_report_free(r);
}

static void test_plain(void **state) {
  (void)state;
  const char *vars[] = {"Email", "q_online_sales", "q_website"};
  ingest_plain_spec spec = {"Tinh / Thanh pho", "weight", "size_class", NULL, vars, 3};
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  assert_int_equal(ingest_file_plain("tests/data/survey-small.xlsx", &spec, reg, 2024, NULL, &s, &r, &err), 0);
  const double N = NAN;
  assert_int_equal(s->n_vars, 3);
  assert_int_equal(s->vars[0].question, -1);
  expect_var(s, "Email", (double[]){1, 0, 1, 1, 1, 0});
  expect_var(s, "q_online_sales", (double[]){1250.5, 0, 1200, 300.75, 1000000, N});
  expect_var(s, "q_website", (double[]){1, 0, 1, 0, 1, N});
  assert_string_equal(s->respondent_id[0], "2"); /* numbered by row */
  assert_close(s->weight[2], 4.25, 0);
  assert_int_equal(s->n_strata, 4);
  survey_free(s);
  ingest_report_free(r);
  const char *missing[] = {"q_nothing"};
  spec.vars = missing;
  spec.n_vars = 1;
  assert_int_equal(ingest_file_plain("tests/data/survey-small.csv", &spec, reg, 2024, NULL, &s, &r, &err),
                   CHISO_EDATA);
  assert_non_null(strstr(err.message, "no column named \"q_nothing\""));
  ingest_report_free(r);
  spec.vars = vars;
  spec.n_vars = 3;
  spec.weight_col = "wt";
  assert_int_equal(ingest_file_plain("tests/data/survey-small.csv", &spec, reg, 2024, NULL, &s, &r, &err),
                   CHISO_EDATA);
  assert_non_null(strstr(err.message, "no weight column named \"wt\""));
  ingest_report_free(r);
}

/* Every allocation failing in turn: clean errors, no leaks (ASan). */
static void test_out_of_memory(void **state) {
  (void)state;
  const char *files[] = {"tests/data/survey-small.csv", "tests/data/survey-small.xlsx"};
  for (size_t f = 0; f < 2; f++) {
    int done = 0;
    for (long n = 0; n < 100000 && !done; n++) {
      survey_data *s = NULL;
      ingest_report *r = NULL;
      chiso_err err;
      chiso_mem_fail_after(n);
      int rc = ingest_file(files[f], cb, reg, 2024, NULL, &s, &r, &err);
      chiso_mem_fail_after(-1);
      if (rc == 0) done = 1;
      else assert_null(s);
      survey_free(s);
      ingest_report_free(r);
    }
    assert_true(done);
  }
}

/* ---- fast paths ---- */

static uint64_t lcg(uint64_t *s) {
  *s = *s * 6364136223846793005u + 1442695040888963407u;
  return *s >> 33;
}

/* number_column_read's one-pass form ("591", "-12.5") against its steps:
** a leading space makes the same text take the steps (the space is
** trimmed), so both columns must give the same code, the same bits and
** the same evidence, under every rule and declaration; random texts of
** digits, '.', ',', '-', '%' and spaces. Then hand-worked cases. */
static void test_column_read_fast_form(void **state) {
  (void)state;
  uint64_t seed = 7;
  static const char alphabet[] = "0123456789012345678901234567890123456789..,-% ";
  char s[32], spaced[34];
  for (int k = 0; k < 300000; k++) {
    size_t n = 1 + lcg(&seed) % 9;
    for (size_t i = 0; i < n; i++) s[i] = alphabet[lcg(&seed) % (sizeof alphabet - 1)];
    s[n] = '\0';
    if (s[0] == ' ') s[0] = '5';
    snprintf(spaced, sizeof spaced, " %s", s);
    number_rule rule = (number_rule)(k % 3);
    number_sep declared = (number_sep)(k / 3 % 3);
    number_column a, b;
    number_column_init(&a, declared, -1);
    number_column_init(&b, declared, -1);
    /* evidence first, so that the examples kept are those of s */
    double va = 0, vb = 0;
    int ka = number_column_read(&a, rule, s, &va), kb = number_column_read(&b, rule, spaced, &vb);
    if (ka != kb || (ka == NUMBER_OK && memcmp(&va, &vb, sizeof va) != 0) || a.n_dot != b.n_dot ||
        a.n_comma != b.n_comma || strcmp(a.dot_example, b.dot_example) ||
        strcmp(a.comma_example, b.comma_example))
      fail_msg("\"%s\" rule %d declared %d: %d %.17g vs %d %.17g", s, rule, declared, ka, va, kb, vb);
  }
  number_column c;
  double v;
  number_column_init(&c, NUMBER_SEP_UNKNOWN, -1);
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "12.5", &v), NUMBER_OK);
  assert_true(v == 12.5);
  assert_int_equal(c.n_dot, 1);
  assert_string_equal(c.dot_example, "12.5");
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "-0", &v), NUMBER_OK);
  assert_false(signbit(v)); /* -0 reads as 0 */
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "0.250", &v), NUMBER_OK); /* led by 0 */
  assert_true(v == 0.25);
  assert_int_equal(c.n_dot, 2);
  number_column_init(&c, NUMBER_SEP_UNKNOWN, -1);
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "1.250", &v), NUMBER_AMBIGUOUS);
  assert_true(isnan(v));
  assert_int_equal(c.n_dot, 0);
  number_column_init(&c, NUMBER_SEP_COMMA, -1);
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "2.5", &v), NUMBER_BAD);
  assert_int_equal(number_column_read(&c, NUMBER_SURVEY, "25", &v), NUMBER_OK);
  assert_true(v == 25);
  assert_int_equal(c.n_dot + c.n_comma, 0);
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
    double got = 0, want = strtod(s, NULL) + 0.0; /* the survey rule reads -0 as 0 */
    assert_int_equal(number_parse_survey(s, k % 2, &got), 0);
    if (memcmp(&got, &want, sizeof got) != 0) {
      print_error("%s: %.17g, strtod %.17g\n", s, got, want);
      fail();
    }
  }
  const char *edge[] = {"-0", "0.0", "-0.000", "007", "999999999999999", "9007199254740993",
                        "0.1", "0.3", "123456789.012345", "5.", ".5", "1e5", "+3"};
  for (size_t k = 0; k < sizeof edge / sizeof *edge; k++) {
    double got = 0, want = strtod(edge[k], NULL) + 0.0;
    assert_int_equal(number_parse_survey(edge[k], 0, &got), 0);
    assert_memory_equal(&got, &want, sizeof got);
  }
  double z = 1;
  assert_int_equal(number_parse_survey("-0", 0, &z), 0);
  assert_false(signbit(z));
}

static void test_yesno_shortcuts(void **state) {
  (void)state;
  const char *yes[] = {"Có", "có", "CÓ", "C", "c", "co", "Yes", "1", "x", "X", "Đúng", "true",
                       "✓", "✔", "×"};
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

/* Two sizes: a small file is read on one thread, one of 4 MiB or more on
** two (rowpipe); both must give the same rows. */
static const int many_sizes[] = {3000, 80000};

static const char *const sectors[] = {"trade", "manufacturing", "services", " trade ", ""};

/* A file of n respondents; messy spellings of the answers; with_dup: the
** id of data row dup repeats data row 5. */
static void write_many(const char *path, int n, int dup) {
  static const char *const provs[] = {"Hà Nội", "TP.HCM", "Đà Nẵng", "ha noi", "Cần Thơ"};
  static const char *const yn[] = {"Có", "Không", "co", "KHÔNG", "1", "0", ""};
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("respondent_id,province,size_class,weight,sector,year,Email,q_online_sales\n", f);
  for (int i = 0; i < n; i++)
    fprintf(f, "2024-%06d,%s,%s,%d.5,%s,2024,%s,\"%d,%d\"\n", i == dup ? 5 : i, provs[i % 5],
            i % 3 ? "micro" : "small", 1 + i % 7, sectors[i % 5], yn[i % 6], i, i % 10);
  fclose(f);
}

static void test_many_ids_and_sectors(void **state) {
  (void)state;
  for (size_t k = 0; k < sizeof many_sizes / sizeof *many_sizes; k++) {
    int n = many_sizes[k], dup = n * 3 / 4;
    char path[] = "/tmp/chiso-fast-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    chiso_err err;
    survey_data *s = NULL;
    ingest_report *r = NULL;
    write_many(path, n, dup);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true(k == 0 ? sb.st_size < (4 << 20) : sb.st_size >= (4 << 20)); /* both paths */
    assert_int_equal(ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err), CHISO_EDATA);
    assert_null(s);
    assert_int_equal(r->n_errors, 1);
    assert_int_equal(r->problems[0].row, dup + 2);
    assert_int_equal(r->problems[0].col, 1);
    assert_string_equal(r->problems[0].message, "duplicate respondent id (first on row 7)");
    ingest_report_free(r);
    ingest_options o = {.skip_invalid = 1};
    assert_int_equal(ingest_file(path, cb, reg, 2024, &o, &s, &r, &err), 0);
    assert_int_equal(s->n, (size_t)n - 1);
    assert_int_equal(r->rows_skipped, 1);
    char want[32];
    const survey_var *sales = survey_var_find(s, "q_online_sales");
    for (size_t i = 0; i < s->n; i++) {
      int row = (int)i + ((int)i >= dup); /* the data row it came from */
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
}

/* The columns are sized from the file's size and the bytes per row of the
** first 1,024 rows: a file whose later rows are much longer outgrows that
** estimate and the columns double as before; one whose later rows are
** shorter leaves capacity unused. Every answer still lands on its row,
** with NaN for the blanks. */
static void test_capacity_from_file_size(void **state) {
  (void)state;
  for (int longer = 0; longer < 2; longer++) {
    char path[] = "/tmp/chiso-cap-XXXXXX.csv";
    FILE *f = open_tmp_csv(path);
    fputs("respondent_id,province,size_class,weight,sector,year,Email,q_online_sales\n", f);
    enum { N = 9000 };
    for (int i = 0; i < N; i++) {
      int pad = (i >= 1024) == longer ? 120 : 0; /* long sector names on one side */
      fprintf(f, "id%d,79,micro,1,%*s,2024,%s,%s\n", i, pad + 5, "trade", i % 3 ? "1" : "0",
              i % 4 ? "7" : "");
    }
    fclose(f);
    chiso_err err;
    survey_data *s = NULL;
    ingest_report *r = NULL;
    assert_int_equal(ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err), 0);
    assert_int_equal(s->n, N);
    const survey_var *em = survey_var_find(s, "q_email"), *sales = survey_var_find(s, "q_online_sales");
    for (size_t i = 0; i < s->n; i++) {
      assert_close(em->values[i], i % 3 ? 1 : 0, 0);
      if (i % 4) assert_close(sales->values[i], 7, 0);
      else assert_true(isnan(sales->values[i]));
    }
    survey_free(s);
    ingest_report_free(r);
    unlink(path);
  }
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
    rowpipe_row ahead;
    if (rowpipe_peek(p, 1, &ahead)) assert_int_equal(ahead.n, 1 + (size_t)((i + 1) % 4));
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

/* XLSX problems name the cell too: column 3 row 5 is C5, 28 is AB, 703 AAA. */
static void test_xlsx_cell_refs(void **state) {
  (void)state;
  ingest_problem p = {5, 3, "Email", "Maybe", "not a yes/no answer for q_email", INGEST_R_NOT_ALLOWED};
  ingest_report r = {0};
  r.file = "book.xlsx";
  r.format = "xlsx";
  char buf[512];
  ingest_problem_format(&r, &p, buf, sizeof buf);
  assert_string_equal(buf, "book.xlsx:5:3: [C5] not a yes/no answer for q_email (column \"Email\", "
                           "value \"Maybe\")");
  p.col = 28;
  ingest_problem_format(&r, &p, buf, sizeof buf);
  assert_non_null(strstr(buf, ":5:28: [AB5] "));
  p.col = 703;
  ingest_problem_format(&r, &p, buf, sizeof buf);
  assert_non_null(strstr(buf, ":5:703: [AAA5] "));
  r.format = "csv";
  r.file = "book.csv";
  p.col = 3;
  ingest_problem_format(&r, &p, buf, sizeof buf);
  assert_string_equal(buf, "book.csv:5:3: not a yes/no answer for q_email (column \"Email\", "
                           "value \"Maybe\")");
}

/* Issue 12, item 1: "1.250" is 1250 to a Vietnamese reader and 1.25 to an
** English one; the column decides, never a guess. Expected values worked
** by hand from the rules in docs/survey.md ("Numbers in a column"). */
static const codebook_question *sales_q(void) {
  return codebook_find_question(cb, "q_online_sales");
}

static void expect_ambiguous(const ingest_report *r, size_t k, long row, const char *value) {
  assert_true(k < r->n_problems);
  assert_int_equal(r->problems[k].row, row);
  assert_int_equal(r->problems[k].col, 3);
  assert_int_equal(r->problems[k].rule, INGEST_R_NUMBER);
  assert_string_equal(r->problems[k].value, value);
  assert_non_null(strstr(r->problems[k].message, "ambiguous number"));
}

static void test_grouping_in_a_column(void **state) {
  (void)state;
  survey_data *s;
  ingest_report *r;
  const double N = NAN;
  /* "1.250.000" shows '.' grouping thousands: "1.250" and "15.000" follow */
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,15.000,1\nr3,01,1.250.000,1\nr4,01,,1\n",
                               2024, &s, &r), 0);
  expect_var(s, "q_online_sales", (double[]){1250, 15000, 1250000, N});
  survey_free(s), ingest_report_free(r);
  /* "2,5" shows ',' as the decimal separator: the same */
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,\"2,5\",1\n", 2024, &s, &r), 0);
  expect_var(s, "q_online_sales", (double[]){1250, 2.5});
  survey_free(s), ingest_report_free(r);
  /* "2.5" shows '.' as the decimal separator: 1.25 */
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,2.5,1\nr3,01,\"1,250\",1\n", 2024, &s, &r), 0);
  expect_var(s, "q_online_sales", (double[]){1.25, 2.5, 1250});
  survey_free(s), ingest_report_free(r);
  /* nothing decides: every such value is a located problem */
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,300,1\nr3,01,15.000,1\n", 2024, &s, &r),
                   CHISO_EDATA);
  assert_null(s);
  assert_int_equal(r->n_problems, 2);
  expect_ambiguous(r, 0, 2, "1.250");
  expect_ambiguous(r, 1, 4, "15.000");
  assert_non_null(strstr(r->problems[0].message, "1250 with '.' grouping thousands or 1.25"));
  ingest_report_free(r);
  /* a column that shows nothing: the file's other columns decide (a file
  ** is typed in one locale) */
  assert_int_equal(ingest_text("respondent_id,province,weight,q_online_sales,Email\n"
                               "r1,01,40.573,2.5,1\nr2,01,58.994,3,1\n", 2024, &s, &r), 0);
  assert_true(s->weight[0] == 40.573 && s->weight[1] == 58.994);
  survey_free(s), ingest_report_free(r);
  /* a column that uses both separators as decimal cannot decide either */
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,2.5,1\nr2,01,\"2,5\",1\nr3,01,1.250,1\n", 2024, &s, &r),
                   CHISO_EDATA);
  expect_ambiguous(r, 0, 4, "1.250");
  assert_non_null(strstr(r->problems[0].message, "\"2.5\" and \"2,5\""));
  ingest_report_free(r);
  /* the codebook declares whole amounts (a count, đồng): 1250 */
  codebook_question *q = (codebook_question *)sales_q();
  q->decimals = 0;
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,2.5,1\n", 2024, &s, &r), 0);
  expect_var(s, "q_online_sales", (double[]){1250, 2.5});
  survey_free(s), ingest_report_free(r);
  /* ... or its decimal separator: ',' makes "2.5" wrong and "1.250" 1250 */
  q->decimals = -1;
  q->decimal_sep = ',';
  assert_int_equal(ingest_text("respondent_id,province,q_online_sales,Email\n"
                               "r1,01,1.250,1\nr2,01,2.5,1\n", 2024, &s, &r), CHISO_EDATA);
  assert_int_equal(r->n_problems, 1);
  assert_int_equal(r->problems[0].row, 3);
  assert_non_null(strstr(r->problems[0].message, "1.234,5 as declared"));
  ingest_report_free(r);
  q->decimal_sep = 0;
  /* a percentage: 1250 is out of range, so "12.500" can only be 12.5 */
  assert_int_equal(ingest_text("respondent_id,province,q_online_rev_pct,Email\n"
                               "r1,01,12.500,1\nr2,01,35%,1\n", 2024, &s, &r), 0);
  expect_var(s, "q_online_rev_pct", (double[]){12.5, 35});
  survey_free(s), ingest_report_free(r);
}

/* XLSX: a number cell is exact ("12.345" from 12.345 is no question) and
** says nothing about how people type; a text cell "1.250" is read as in
** a CSV. */
static void test_grouping_in_xlsx(void **state) {
  (void)state;
  char path[] = "/tmp/chiso-grp-XXXXXX.xlsx";
  int fd = mkstemps(path, 5);
  assert_true(fd >= 0);
  close(fd);
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Data");
  const char *head[] = {"respondent_id", "province", "q_online_sales", "Email"};
  for (int c = 0; c < 4; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
  for (int r = 1; r <= 3; r++) {
    char id[16];
    snprintf(id, sizeof id, "r%d", r);
    worksheet_write_string(ws, (lxw_row_t)r, 0, id, NULL);
    worksheet_write_string(ws, (lxw_row_t)r, 1, "01", NULL);
    worksheet_write_string(ws, (lxw_row_t)r, 3, "1", NULL);
  }
  worksheet_write_number(ws, 1, 2, 12.345, NULL);
  worksheet_write_number(ws, 2, 2, 2.5, NULL);
  worksheet_write_string(ws, 3, 2, "1.250", NULL);
  assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  assert_int_equal(ingest_file(path, cb, reg, 2024, NULL, &s, &r, &err), CHISO_EDATA);
  assert_int_equal(r->n_problems, 1);
  expect_ambiguous(r, 0, 4, "1.250");
  ingest_report_free(r);
  unlink(path);
}

/* Issue 12, item 2: the year of a file without one given (the era told by
** provinces that exist only before 2025, or by the year column). */
static void test_guess_year(void **state) {
  (void)state;
  ingest_year y;
  chiso_err err;
  char *path = write_tmp("respondent_id,province,year,Email\nr1,01,2022,1\nr2,79,2022,1\n");
  assert_int_equal(ingest_guess_year(path, cb, reg, NULL, &y, &err), 0);
  assert_int_equal(y.year, 2022);
  assert_int_equal(y.from, INGEST_YEAR_COLUMN);
  unlink(path);
  path = write_tmp("respondent_id,province,year,Email\nr1,01,2022,1\nr2,79,2023,1\n");
  chiso_err_clear(&err);
  assert_int_equal(ingest_guess_year(path, cb, reg, NULL, &y, &err), CHISO_EDATA);
  assert_int_equal(err.hint, CHISO_HINT_YEAR);
  assert_int_equal(err.row, 3);
  assert_non_null(strstr(err.message, "several years (2022 on row 2, 2023 on row 3)"));
  unlink(path);
  /* "74" is Bình Dương, merged into Hồ Chí Minh in 2025 */
  path = write_tmp("respondent_id,province,Email\nr1,01,1\nr2,74,1\n");
  assert_int_equal(ingest_guess_year(path, cb, reg, NULL, &y, &err), 0);
  assert_int_equal(y.year, 2024);
  assert_int_equal(y.from, INGEST_YEAR_NAMES);
  assert_non_null(strstr(y.evidence, "\"74\" on row 3; 2 provinces in all"));
  survey_data *s = NULL;
  ingest_report *r = NULL;
  assert_int_equal(ingest_file(path, cb, reg, 0, NULL, &s, &r, &err), 0);
  assert_int_equal(s->year, 2024);
  assert_string_equal(s->province[1], "74"); /* not 79: the 63 provinces */
  assert_int_equal(r->former_rows, 0);
  survey_free(s), ingest_report_free(r);
  assert_int_equal(ingest_file(path, cb, reg, 2025, NULL, &s, &r, &err), 0);
  assert_string_equal(s->province[1], "79");
  assert_int_equal(r->former_rows, 1);
  assert_int_equal(r->former_provinces, 1);
  char note[600];
  ingest_year_note(r, note, sizeof note);
  assert_string_equal(note, "read for 2025 (as given): the 34 units of 2025; 1 former province "
                            "mapped to its 2025 unit (on 1 row)");
  survey_free(s), ingest_report_free(r);
  unlink(path);
  /* only units of both eras: cannot tell */
  path = write_tmp("respondent_id,province,Email\nr1,01,1\nr2,79,1\n");
  chiso_err_clear(&err);
  assert_int_equal(ingest_file(path, cb, reg, 0, NULL, &s, &r, &err), CHISO_EDATA);
  assert_null(s);
  assert_int_equal(err.hint, CHISO_HINT_YEAR);
  ingest_report_free(r);
  unlink(path);
}

/* Issue 12: with blank_invalid a wrong answer to a question that is not
** required is set to missing and the respondent kept; a wrong required
** answer (Email) still makes a problem. */
static void test_blank_invalid(void **state) {
  (void)state;
  char *path = write_tmp("respondent_id,province,year,Email,q_website,q_online_rev_pct,q_software\n"
                         "r1,01,2024,C\xC3\xB3,Maybe,150,ERP\n"
                         "r2,79,2024,C\xC3\xB3,C\xC3\xB3,20,Nope\n"
                         "r3,79,2024,Perhaps,C\xC3\xB3,10,CRM\n");
  survey_data *s = NULL;
  ingest_report *r = NULL;
  chiso_err err;
  ingest_options o = {.skip_invalid = 1, .blank_invalid = 1};
  assert_int_equal(ingest_file(path, cb, reg, 2024, &o, &s, &r, &err), 0);
  unlink(path);
  const double N = NAN;
  assert_int_equal(s->n, 2); /* r3's required answer is wrong: skipped */
  expect_var(s, "q_website", (double[]){N, 1});
  expect_var(s, "q_online_rev_pct", (double[]){N, 20});
  expect_var(s, "q_software.erp", (double[]){1, N});
  expect_var(s, "q_software.crm", (double[]){0, N});
  assert_int_equal(r->cells_blanked, 3);
  assert_int_equal(r->n_errors, 1);
  assert_int_equal(r->rows_skipped, 1);
  assert_int_equal(r->n_problems, 4);
  assert_non_null(strstr(r->problems[0].message, "not a yes/no answer for q_website; set to missing"));
  survey_free(s);
  ingest_report_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_small_csv),
      cmocka_unit_test(test_same_survey_every_format),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_yesno),
      cmocka_unit_test(test_year_2025),
      cmocka_unit_test(test_problems_and_skip),
      cmocka_unit_test(test_plain),
      cmocka_unit_test(test_out_of_memory),
      cmocka_unit_test(test_decimals_equal_strtod),
      cmocka_unit_test(test_column_read_fast_form),
      cmocka_unit_test(test_yesno_shortcuts),
      cmocka_unit_test(test_province_without_answers), cmocka_unit_test(test_tick_box_columns),
      cmocka_unit_test(test_tick_box_columns_piped),
      cmocka_unit_test(test_many_ids_and_sectors),
      cmocka_unit_test(test_capacity_from_file_size),
      cmocka_unit_test(test_rowpipe),
      cmocka_unit_test(test_xlsx_cell_refs),
      cmocka_unit_test(test_grouping_in_a_column),
      cmocka_unit_test(test_grouping_in_xlsx),
      cmocka_unit_test(test_guess_year),
      cmocka_unit_test(test_blank_invalid),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}

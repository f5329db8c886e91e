/* Tests of codebook.c: the test methodology read field by field, and each
** kind of mistake reported with its place. */
#include "testutil.h"

static void test_load(void **state) {
  (void)state;
  codebook *cb = NULL;
  chiso_err err;
  assert_int_equal(codebook_load("tests/data/method-test.json", &cb, &err), 0);
  assert_int_equal(cb->n_questions, 7);
  assert_int_equal(cb->n_indicators, 6);
  assert_string_equal(cb->design.province, "province");
  assert_string_equal(cb->design.stratum, "size_class");
  assert_int_equal(cb->design.min_respondents, 2);
  const codebook_question *q = codebook_find_question(cb, "q_email");
  assert_int_equal(q->type, CODEBOOK_YESNO);
  assert_true(q->required);
  assert_int_equal(q->n_headers, 2);
  assert_string_equal(q->headers[1], "S\xE1\xBB\xAD d\xE1\xBB\xA5ng email");
  assert_string_equal(q->text_en, "Uses email");
  q = codebook_find_question(cb, "q_software");
  assert_int_equal(q->type, CODEBOOK_MULTI);
  assert_int_equal(q->n_options, 3);
  assert_string_equal(q->options[1].id, "erp");
  assert_int_equal(q->options[1].n_labels, 2);
  q = codebook_find_question(cb, "q_online_rev_pct");
  assert_close(q->min, 0, 0); /* a percent is 0..100 unless narrowed */
  assert_close(q->max, 100, 0);
  q = codebook_find_question(cb, "q_online_sales");
  assert_close(q->min, 0, 0);
  assert_true(isnan(q->max));
  assert_int_equal(cb->indicators[2].kind, CODEBOOK_SHARE_ANY);
  assert_int_equal(cb->indicators[2].n_options, 2);
  assert_null(codebook_find_question(cb, "nope"));
  codebook_free(cb);
}

static void expect_bad(const char *json, const char *msg, long line) {
  codebook *cb = NULL;
  chiso_err err;
  chiso_err_clear(&err);
  assert_int_equal(codebook_parse(json, "m.json", &cb, &err), CHISO_EDATA);
  assert_null(cb);
  assert_string_equal(err.file, "m.json");
  if (!strstr(err.message, msg)) {
    print_error("'%s' lacks '%s'\n", err.message, msg);
    fail();
  }
  if (line) assert_int_equal(err.row, line);
}

#define DESIGN "\"design\": {\"respondent_id\": \"id\", \"province\": \"p\"}"

static void test_errors(void **state) {
  (void)state;
  expect_bad("{\n\"codebook\": {\n  \"design\": ,\n}}", "bad JSON", 3);
  expect_bad("{\"tree\": {}}", "no \"codebook\" object", 0);
  expect_bad("{\"codebook\": {\"design\": {\"province\": \"p\"}, \"questions\": [{\"id\": \"a\", "
             "\"type\": \"yesno\"}]}}", "design needs", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"likert\"}]}}",
             "questions[0] (a): \"type\" must be", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"single\"}]}}",
             "needs \"options\"", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"yesno\"}, "
             "{\"id\": \"a\", \"type\": \"yesno\"}]}}", "questions[1] (a): duplicate", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"number\", "
             "\"min\": 5, \"max\": 1}]}}", "greater than", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"yesno\"}], "
             "\"indicators\": [{\"id\": \"i\", \"kind\": \"share_yes\", \"question\": \"b\"}]}}",
             "indicators[0] (i): names an unknown question", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"number\"}], "
             "\"indicators\": [{\"id\": \"i\", \"kind\": \"share_yes\", \"question\": \"a\"}]}}",
             "share_yes needs a yesno", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"multi\", "
             "\"options\": [\"x\"]}], \"indicators\": [{\"id\": \"i\", \"kind\": \"share_any\", "
             "\"question\": \"a\", \"options\": [\"y\"]}]}}", "names an option", 0);
  expect_bad("{\"codebook\": {" DESIGN ", \"questions\": [{\"id\": \"a\", \"type\": \"number\"}], "
             "\"indicators\": [{\"id\": \"i\", \"kind\": \"ratio\", \"question\": \"a\"}]}}",
             "denominator", 0);
}

static void test_load_method(void **state) {
  (void)state;
  codebook *cb = NULL;
  chiso_err err;
  assert_int_equal(codebook_load_method("tests/data/method-test.json", &cb, &err), 0);
  codebook_free(cb);
  assert_int_equal(codebook_load_method("no-such-method", &cb, &err), CHISO_ENOTFOUND);
  assert_int_equal(codebook_load("/nonexistent/m.json", &cb, &err), CHISO_EIO);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_load),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_load_method),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of the report layer: strings table, model JSON, the HTML pages
** (well-formed XML checked with expat, every province present and linked,
** no external resource), and hand-worked statistics (quantile breaks,
** z-scores, target progress). */
#include "testutil.h"

#include <expat.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CHISO_SRC_DIR
#define CHISO_SRC_DIR "."
#endif

/* ---- a small expat-based page checker -------------------------------- */

typedef struct page {
  int map_groups;     /* <g data-code> inside <svg class="map"> */
  int in_map, in_cite;
  int external;       /* http(s):// outside citations or xmlns */
  int resources;      /* src= attributes or <link> elements */
  char hrefs[256][32];/* links to provinces/xx.html or xx.html */
  int n_hrefs;
  int depth_map, depth_cite, depth;
} page;

static int has_url(const char *s) { return strstr(s, "http://") || strstr(s, "https://"); }

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  page *p = ud;
  p->depth++;
  if (strcmp(name, "link") == 0) p->resources++;
  for (int i = 0; atts[i]; i += 2) {
    const char *k = atts[i], *v = atts[i + 1];
    if (strcmp(k, "src") == 0) p->resources++;
    if (strcmp(k, "class") == 0 && strcmp(name, "svg") == 0 && strstr(v, "map")) {
      p->in_map = 1;
      p->depth_map = p->depth;
    }
    if (strcmp(k, "class") == 0 && strstr(v, "cite") && !p->in_cite) {
      p->in_cite = 1;
      p->depth_cite = p->depth;
    }
    if (strcmp(k, "data-code") == 0 && p->in_map && strcmp(name, "g") == 0) p->map_groups++;
    if (strcmp(k, "xmlns") != 0 && has_url(v)) p->external++;
    if (strcmp(k, "href") == 0 && strstr(v, ".html") && !strchr(v, '#') && p->n_hrefs < 256)
      snprintf(p->hrefs[p->n_hrefs++], 32, "%s", v);
  }
}

static void on_end(void *ud, const XML_Char *name) {
  page *p = ud;
  (void)name;
  if (p->in_map && p->depth == p->depth_map) p->in_map = 0;
  if (p->in_cite && p->depth == p->depth_cite) p->in_cite = 0;
  p->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len) {
  page *p = ud;
  char buf[512];
  if (p->in_cite || len <= 0) return;
  snprintf(buf, sizeof buf, "%.*s", len > 500 ? 500 : len, s);
  if (has_url(buf)) p->external++;
}

/* Parse a page; returns 0 when it is well-formed XML. */
static int check_page(const char *path, page *p) {
  memset(p, 0, sizeof *p);
  char *s = test_slurp(path);
  if (!s) return -1;
  XML_Parser x = XML_ParserCreate("UTF-8");
  XML_SetUserData(x, p);
  XML_SetElementHandler(x, on_start, on_end);
  XML_SetCharacterDataHandler(x, on_text);
  int ok = XML_Parse(x, s, (int)strlen(s), 1) == XML_STATUS_OK;
  if (!ok)
    print_error("%s:%lu:%lu: %s\n", path, (unsigned long)XML_GetCurrentLineNumber(x),
                (unsigned long)XML_GetCurrentColumnNumber(x), XML_ErrorString(XML_GetErrorCode(x)));
  XML_ParserFree(x);
  free(s);
  return ok ? 0 : -1;
}

static int file_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static rmodel *load(const char *name) {
  char path[512];
  chiso_err err;
  rmodel *m = NULL;
  snprintf(path, sizeof path, "%s/tests/data/%s", CHISO_SRC_DIR, name);
  assert_int_equal(rmodel_load_json(path, &m, &err), 0);
  return m;
}

static void tmpdir(char *buf, size_t n) {
  snprintf(buf, n, "/tmp/chiso-report-XXXXXX");
  assert_non_null(mkdtemp(buf));
}

static void rm_tree(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

/* ---- tests ------------------------------------------------------------ */

static void test_strings_table(void **state) {
  (void)state;
  assert_true(i18n_count() > 100);
  for (size_t i = 1; i < i18n_count(); i++)
    assert_true(strcmp(i18n_key(i - 1), i18n_key(i)) < 0); /* sorted, unique */
  for (size_t i = 0; i < i18n_count(); i++) assert_true(i18n_has(i18n_key(i)));
  assert_string_equal(i18n_text("vi", "paracel_1"), "Quần đảo Hoàng Sa");
  assert_string_equal(i18n_text("en", "spratly_1"), "Truong Sa (Spratly) Islands");
  assert_string_equal(i18n_text("en", "no_such_key"), "no_such_key");
}

/* Hand-worked: scores 10,20,30,40,50 → quartile breaks (type 7) 10, 20,
** 30, 40, 50; 35 falls in class 2; NaN in -1. */
static void test_quantile_breaks(void **state) {
  (void)state;
  rmodel *m = rmodel_new();
  rmodel_unit u[5];
  memset(u, 0, sizeof u);
  for (int i = 0; i < 5; i++) u[i].score = 10.0 * (i + 1);
  m->units = u;
  m->n_units = 5;
  double br[5];
  assert_int_equal(chart_quantile_breaks(m, 4, br), 5);
  for (int i = 0; i < 5; i++) assert_close(br[i], 10.0 * (i + 1), 1e-12);
  assert_int_equal(chart_class_of(35, br, 4), 2);
  assert_int_equal(chart_class_of(50, br, 4), 3);
  assert_int_equal(chart_class_of(NAN, br, 4), -1);
  /* 4 values 1,2,3,10 with k = 2: median = 2.5 (type 7). */
  u[0].score = 1; u[1].score = 2; u[2].score = 3; u[3].score = 10; u[4].score = NAN;
  assert_int_equal(chart_quantile_breaks(m, 2, br), 4);
  assert_close(br[1], 2.5, 1e-12);
  m->units = NULL;
  m->n_units = 0;
  rmodel_free(m);
}

/* Progress (actual − baseline)/(target − baseline) = (35 − 20)/(50 − 20)
** = 0.5; without baseline actual/target; lower-is-better target/actual. */
static void test_targets(void **state) {
  (void)state;
  rmodel_target t = {0};
  t.target = 50; t.baseline = 20; t.actual = 35; t.direction = 1; t.status = "";
  assert_close(rmodel_target_progress(&t), 0.5, 1e-12);
  assert_string_equal(rmodel_target_status(&t), "off_track");
  t.baseline = NAN; t.actual = 60;
  assert_close(rmodel_target_progress(&t), 1.0, 1e-12);
  assert_string_equal(rmodel_target_status(&t), "achieved");
  t.direction = -1; t.target = 10; t.actual = 20;
  assert_close(rmodel_target_progress(&t), 0.5, 1e-12);
  t.actual = NAN;
  assert_true(isnan(rmodel_target_progress(&t)));
  assert_string_equal(rmodel_target_status(&t), "no_data");
}

static void test_json_roundtrip(void **state) {
  (void)state;
  rmodel *m = load("report-model-63.json"), *m2 = NULL;
  char *a = NULL, *b = NULL;
  chiso_err err;
  assert_int_equal(m->n_units, 63);
  assert_int_equal(rmodel_to_json(m, &a), 0);
  assert_int_equal(rmodel_parse_json(a, "a.json", &m2, &err), 0);
  assert_int_equal(rmodel_to_json(m2, &b), 0);
  assert_string_equal(a, b);
  /* keys come in a fixed order */
  assert_true(strstr(a, "\"year\"") < strstr(a, "\"provinces\""));
  chiso_free(a);
  chiso_free(b);
  rmodel_free(m);
  rmodel_free(m2);
}

static void test_bad_models(void **state) {
  (void)state;
  rmodel *m = NULL;
  chiso_err err;
  assert_int_equal(rmodel_parse_json("{\"year\": 2024,\n \"units\": }", "bad.json", &m, &err), CHISO_EDATA);
  assert_null(m);
  assert_int_equal(err.row, 2);
  assert_string_equal(err.file, "bad.json");
  assert_int_equal(rmodel_parse_json("{\"units\":34,\"provinces\":[{\"code\":\"74\"}]}", "x.json", &m, &err),
                   CHISO_EDATA);
  assert_non_null(strstr(err.message, "unknown province code \"74\""));
  assert_int_equal(rmodel_parse_json("{\"units\":63,\"pillars\":[\"a\"],\"provinces\":[{\"code\":\"01\",\"pillars\":[1,2]}]}",
                                     "y.json", &m, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "provinces[0].pillars"));
  assert_int_equal(rmodel_load_json("/nonexistent/m.json", &m, &err), CHISO_EIO);
}

/* Write a report and check every page. */
static void check_report(const char *model, int want_units, const char *lang, const char *label) {
  rmodel *m = load(model);
  char dir[64], path[256];
  chiso_err err;
  html_options opt = {lang, 0};
  tmpdir(dir, sizeof dir);
  assert_int_equal(html_write(m, &opt, dir, &err), 0);
  snprintf(path, sizeof path, "%s/index.html", dir);
  page p;
  assert_int_equal(check_page(path, &p), 0);
  assert_int_equal(p.map_groups, want_units);
  assert_int_equal(p.external, 0);
  assert_int_equal(p.resources, 0);
  char *html = test_slurp(path);
  assert_non_null(strstr(html, label));
  assert_non_null(strstr(html, "id=\"synthetic-banner\""));
  for (size_t i = 0; i < m->n_units; i++) { /* every province present and linked */
    char link[64];
    snprintf(link, sizeof link, "href=\"provinces/%s.html\"", m->units[i].code);
    assert_non_null(strstr(html, link));
    snprintf(path, sizeof path, "%s/provinces/%s.html", dir, m->units[i].code);
    assert_true(file_exists(path));
    page q;
    assert_int_equal(check_page(path, &q), 0);
    assert_int_equal(q.external, 0);
    assert_int_equal(q.resources, 0);
  }
  for (int i = 0; i < p.n_hrefs; i++) { /* every link resolves */
    snprintf(path, sizeof path, "%s/%s", dir, p.hrefs[i]);
    assert_true(file_exists(path));
  }
  free(html);
  rm_tree(dir);
  rmodel_free(m);
}

static void test_report_63(void **state) {
  (void)state;
  check_report("report-model-63.json", 63, "vi", "Quần đảo Trường Sa");
}

static void test_report_34_en(void **state) {
  (void)state;
  check_report("report-model-34.json", 34, "en", "Hoang Sa (Paracel) Islands");
}

/* A model with nothing but its year still gives a report that says
** "not computed" and draws the full map in grey. */
static void test_report_empty(void **state) {
  (void)state;
  rmodel *m = NULL;
  chiso_err err;
  char dir[64], path[256];
  assert_int_equal(rmodel_parse_json("{\"year\": 2025}", "e.json", &m, &err), 0);
  tmpdir(dir, sizeof dir);
  html_options opt = {"en", 34};
  assert_int_equal(html_write(m, &opt, dir, &err), 0);
  snprintf(path, sizeof path, "%s/index.html", dir);
  page p;
  assert_int_equal(check_page(path, &p), 0);
  assert_int_equal(p.map_groups, 34);
  char *html = test_slurp(path);
  assert_non_null(strstr(html, "Not computed"));
  assert_null(strstr(html, "synthetic-banner"));
  free(html);
  opt.units = 63;
  assert_int_equal(html_write(m, &opt, dir, &err), CHISO_EUSAGE);
  rm_tree(dir);
  rmodel_free(m);
}

/* Render a model given as JSON (units 34, English) and return index.html
** (caller frees). */
static char *render_json(const char *json) {
  rmodel *m = NULL;
  chiso_err err;
  char dir[64], path[256];
  assert_int_equal(rmodel_parse_json(json, "w.json", &m, &err), 0);
  tmpdir(dir, sizeof dir);
  html_options opt = {"en", 34};
  assert_int_equal(html_write(m, &opt, dir, &err), 0);
  snprintf(path, sizeof path, "%s/index.html", dir);
  char *html = test_slurp(path);
  rm_tree(dir);
  rmodel_free(m);
  return html;
}

/* Occurrences of needle in the first <svg class="chart line"> of html. */
static int count_in_line_chart(const char *html, const char *needle) {
  const char *a = strstr(html, "<svg class=\"chart line\"");
  assert_non_null(a);
  const char *b = strstr(a, "</svg>");
  int k = 0;
  for (const char *p = strstr(a, needle); p && p < b; p = strstr(p + 1, needle)) k++;
  return k;
}

/* The HN+HCM share trend draws one whisker per year with an interval and
** names the level in its legend; none without intervals. The rank-shift
** note names the source of the runs. */
static void test_share_whiskers(void **state) {
  (void)state;
  char *h = render_json(
      "{\"year\": 2025, \"divide\": {\"level\": 0.9, \"hnhcm_share\": ["
      "{\"year\": 2023, \"value\": 70, \"lo\": 66, \"hi\": 74},"
      "{\"year\": 2024, \"value\": 68},"
      "{\"year\": 2025, \"value\": 65, \"lo\": 61, \"hi\": 69}]},"
      "\"sensitivity\": {\"rank_shift_source\": \"crossed\","
      "\"rank_shift\": [{\"code\": \"01\", \"mean_abs\": 0.5, \"max_abs\": 2}]}}");
  assert_int_equal(count_in_line_chart(h, "class=\"whisker\""), 2);
  assert_int_equal(count_in_line_chart(h, "Whiskers: 90% bootstrap interval"), 1);
  assert_non_null(strstr(h, "cross bootstrap replicates"));
  free(h);
  h = render_json(
      "{\"year\": 2025, \"divide\": {\"hnhcm_share\": ["
      "{\"year\": 2024, \"value\": 68}, {\"year\": 2025, \"value\": 65}]},"
      "\"sensitivity\": {\"rank_shift\": [{\"code\": \"01\", \"mean_abs\": 0.5, \"max_abs\": 2}]}}");
  assert_int_equal(count_in_line_chart(h, "class=\"whisker\""), 0);
  assert_int_equal(count_in_line_chart(h, "Whiskers"), 0);
  assert_null(strstr(h, "cross bootstrap replicates"));
  assert_non_null(strstr(h, "when the assumptions change"));
  free(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strings_table), cmocka_unit_test(test_quantile_breaks),
      cmocka_unit_test(test_targets),
      cmocka_unit_test(test_json_roundtrip), cmocka_unit_test(test_bad_models),
      cmocka_unit_test(test_report_63),     cmocka_unit_test(test_report_34_en),
      cmocka_unit_test(test_report_empty), cmocka_unit_test(test_share_whiskers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of rview.c, the views of a report model a server serves: a small
** model written here (four of the 34 units, two pillars, one indicator
** each, one of them "lower is better") whose ranks, means, z-scores and
** previous ranks are worked by hand in the comments. */
#include "testutil.h"

/* Units (region of 01 and 31: Đồng bằng sông Hồng):
**        score  rank  p1  p2   i1   i2  trend 2024/2025  rank 2024/2025
**   01     60     2   70  50  0.8   10      50 / 60          3 / 2
**   31     40     3   30  50  0.4   20      45 / 40          2 / 3
**   79     80     1   90  70  0.9    5       – / 80          – / 1
**   48     30     –   20  40  0.3   30      20 / 30          – / –   (10 respondents < 30) */
static const char model_json[] =
    "{\"year\":2025,\"units\":34,\"synthetic\":true,\"min_respondents\":30,\"interval_level\":0.9,"
    "\"method\":{\"id\":\"t-1\",\"name\":{\"vi\":\"T\",\"en\":\"T\"},\"hash\":\"abc\","
    "\"normalisation\":\"goalposts\",\"aggregation\":\"arithmetic\"},"
    "\"nodes\":[{\"id\":\"ebi\",\"parent\":\"\",\"name\":{\"vi\":\"Chỉ số\",\"en\":\"Index\"},\"weight\":1},"
    "{\"id\":\"p1\",\"parent\":\"ebi\",\"name\":{\"vi\":\"Trụ <script>alert(1)</script>\","
    "\"en\":\"P1 \\\"quoted\\\" & 'x'\"},\"weight\":0.5},"
    "{\"id\":\"p2\",\"parent\":\"ebi\",\"name\":{\"vi\":\"Trụ 2\",\"en\":\"P2\"},\"weight\":0.5},"
    "{\"id\":\"i1\",\"parent\":\"p1\",\"name\":{\"vi\":\"I1\",\"en\":\"I1\"},\"weight\":1,\"direction\":1},"
    "{\"id\":\"i2\",\"parent\":\"p2\",\"name\":{\"vi\":\"I2\",\"en\":\"I2\"},\"weight\":1,\"direction\":-1}],"
    "\"pillars\":[\"p1\",\"p2\"],\"indicators\":[\"i1\",\"i2\"],\"years\":[2024,2025],"
    "\"provinces\":["
    "{\"code\":\"01\",\"score\":60,\"score_lo\":55,\"score_hi\":65,\"rank\":2,\"rank_lo\":1,\"rank_hi\":3,"
    "\"respondents\":100,\"pillars\":[70,50],\"indicators\":[0.8,10],\"trend\":[50,60],"
    "\"trend_rank\":[3,2],\"trend_approx\":[true,false]},"
    "{\"code\":\"31\",\"score\":40,\"rank\":3,\"respondents\":80,\"pillars\":[30,50],"
    "\"indicators\":[0.4,20],\"trend\":[45,40],\"trend_rank\":[2,3],\"trend_approx\":[false,false]},"
    "{\"code\":\"79\",\"score\":80,\"rank\":1,\"respondents\":200,\"pillars\":[90,70],"
    "\"indicators\":[0.9,5],\"trend\":[null,80],\"trend_rank\":[null,1],\"trend_approx\":[false,false]},"
    "{\"code\":\"48\",\"score\":30,\"rank\":null,\"respondents\":10,\"pillars\":[20,40],"
    "\"indicators\":[0.3,30],\"trend\":[20,30],\"trend_rank\":[null,null]}],"
    "\"divide\":{\"measures\":[{\"id\":\"hnhcm_share\",\"value\":64.5,\"lo\":60,\"hi\":69}],"
    "\"hnhcm_share\":[{\"year\":2024,\"value\":63,\"lo\":58,\"hi\":67},{\"year\":2025,\"value\":64.5,"
    "\"lo\":60,\"hi\":69}],\"level\":0.95,\"target\":50},"
    "\"provenance\":{\"imports\":[{\"file\":\"a\\\"<b>.csv\",\"kind\":\"survey 2025\",\"rows\":390,"
    "\"sha256\":\"ff\"}],\"seed\":\"1\",\"chiso_version\":\"0.1.0\"}}";

static rmodel *model(void) {
  rmodel *m = NULL;
  chiso_err err;
  if (rmodel_parse_json(model_json, "t.json", &m, &err)) print_error("%s\n", err.message);
  assert_non_null(m);
  return m;
}

/* A view written to memory and parsed back. */
typedef int (*writer)(const rmodel *m, const void *arg, chiso_format fmt, FILE *f, chiso_err *err);

static char *text_of(const rmodel *m, writer w, const void *arg, chiso_format fmt, int want_rc,
                     chiso_err *err) {
  char *out = NULL;
  size_t n = 0;
  FILE *f = open_memstream(&out, &n);
  chiso_err_clear(err);
  int rc = w(m, arg, fmt, f, err);
  fclose(f);
  if (rc != want_rc) print_error("rc %d: %s\n", rc, err->message);
  assert_int_equal(rc, want_rc);
  return out;
}

static json_t *json_of(const rmodel *m, writer w, const void *arg) {
  chiso_err err;
  char *s = text_of(m, w, arg, CHISO_FORMAT_JSON, 0, &err);
  json_t *j = json_loads(s, 0, NULL);
  assert_non_null(j);
  free(s);
  return j;
}

static int w_index(const rmodel *m, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  (void)a, (void)err;
  return rview_index_write(m, fmt, f);
}
static int w_unit(const rmodel *m, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  return rview_unit_write(m, a, fmt, f, err);
}
static int w_summary(const rmodel *m, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  (void)a, (void)err;
  return rview_summary_write(m, fmt, f);
}

static json_t *unit_of(json_t *list, const char *code) {
  for (size_t i = 0; i < json_array_size(list); i++)
    if (strcmp(json_string_value(json_object_get(json_array_get(list, i), "code")), code) == 0)
      return json_array_get(list, i);
  fail_msg("no unit %s", code);
  return NULL;
}

static double num(json_t *o, const char *key) { return json_number_value(json_object_get(o, key)); }
static long integer(json_t *o, const char *key) { return (long)json_integer_value(json_object_get(o, key)); }

/* Rank order, previous ranks and changes, tiers. */
static void test_index(void **state) {
  (void)state;
  rmodel *m = model();
  json_t *j = json_of(m, w_index, NULL), *units = json_object_get(j, "units");
  assert_int_equal(integer(j, "unit_set"), 34);
  assert_int_equal(integer(j, "prev_year"), 2024);
  assert_true(json_is_true(json_object_get(j, "synthetic")));
  static const char *const order[] = {"79", "01", "31", "48"};
  for (size_t i = 0; i < 4; i++)
    assert_string_equal(json_string_value(json_object_get(json_array_get(units, i), "code")), order[i]);
  json_t *hn = unit_of(units, "01"), *hp = unit_of(units, "31"), *hcm = unit_of(units, "79");
  assert_int_equal(integer(hn, "prev_rank"), 3);
  assert_int_equal(integer(hn, "rank_change"), 1);   /* 3 -> 2: up one */
  assert_int_equal(integer(hp, "rank_change"), -1);  /* 2 -> 3 */
  assert_true(json_is_null(json_object_get(hcm, "prev_rank")));
  assert_true(json_is_null(json_object_get(hcm, "rank_change")));
  assert_string_equal(json_string_value(json_object_get(hn, "region")), "Đồng bằng sông Hồng");
  assert_close(num(json_object_get(hn, "pillars"), "p1"), 70, 0);
  /* scores 30, 40, 60, 80: the highest is in tier 1, the lowest in tier 5 */
  assert_int_equal(integer(hcm, "tier"), 1);
  assert_int_equal(integer(unit_of(units, "48"), "tier"), 5);
  assert_string_equal(json_string_value(json_object_get(json_object_get(j, "interval"), "rank")), "method");
  json_decref(j);
  chiso_err err;
  char *csv = text_of(m, w_index, NULL, CHISO_FORMAT_CSV, 0, &err);
  const char *head = "code,name,region,score,score_lo,score_hi,rank,rank_lo,rank_hi,respondents,p1,p2,"
                     "prev_rank,rank_change\n";
  assert_true(strncmp(csv, head, strlen(head)) == 0);
  assert_non_null(strstr(csv, "\n01,Hà Nội,Đồng bằng sông Hồng,60,55,65,2,1,3,100,70,50,3,1\n"));
  assert_non_null(strstr(csv, "\n48,Đà Nẵng,"));
  free(csv);
  rmodel_free(m);
}

/* Hà Nội's profile, worked by hand. */
static void test_profile(void **state) {
  (void)state;
  rmodel *m = model();
  json_t *j = json_of(m, w_unit, "01");
  json_t *p = json_object_get(j, "pillars"), *ind = json_object_get(j, "indicators");
  assert_int_equal(integer(j, "ranked_units"), 3);
  assert_int_equal(integer(j, "prev_rank"), 3);
  json_t *p1 = json_array_get(p, 0), *p2 = json_array_get(p, 1);
  /* p1 among the ranked 90, 70, 30: second; region (01, 31): 50; all four: 52.5 */
  assert_int_equal(integer(p1, "rank"), 2);
  assert_close(num(p1, "region_mean"), 50, 1e-12);
  assert_close(num(p1, "national_mean"), 52.5, 1e-12);
  /* p2: 70, 50, 50 -> a tie shares rank 2 */
  assert_int_equal(integer(p2, "rank"), 2);
  json_t *i1 = json_array_get(ind, 0), *i2 = json_array_get(ind, 1);
  /* i2 is lower-is-better: 5 (79) first, 10 (01) second */
  assert_int_equal(integer(i2, "rank"), 2);
  assert_int_equal(integer(i2, "direction"), -1);
  assert_close(num(i2, "national_mean"), 16.25, 1e-12);
  assert_string_equal(json_string_value(json_object_get(i1, "pillar")), "p1");
  /* z of i1: (0.8 - 0.6) / sqrt(0.26 / 3); of i2: -(10 - 16.25) / sqrt(368.75 / 3) */
  assert_close(num(i1, "z"), 0.2 / sqrt(0.26 / 3), 1e-12);
  assert_close(num(i2, "z"), 6.25 / sqrt(368.75 / 3), 1e-12);
  /* the report profile's rule (profile_strengths): both indicators are
  ** better than the mean of all units (i1 0.8 > 0.6; i2 is lower-is-better,
  ** 10 < 16.25), so both are strengths, best rank first, and there is no
  ** weakness (issue 12: a strength above the mean, a weakness below). Both
  ** are second of the four units; the tie goes to the one further from its
  ** mean (i2: 6.25 from 16.25) */
  json_t *str = json_object_get(j, "strengths");
  assert_int_equal(json_array_size(str), 2);
  assert_int_equal(json_array_size(json_object_get(j, "weaknesses")), 0);
  assert_string_equal(json_string_value(json_object_get(json_array_get(str, 0), "id")), "i2");
  assert_string_equal(json_string_value(json_object_get(json_array_get(str, 1), "id")), "i1");
  assert_close(num(json_array_get(str, 0), "mean"), 16.25, 1e-12);
  assert_int_equal(integer(json_array_get(str, 0), "rank"), 2);
  assert_int_equal(integer(json_array_get(str, 0), "ranked"), 4);
  assert_close(num(json_array_get(str, 1), "value"), 0.8, 1e-12);
  assert_string_equal(json_string_value(json_object_get(i1, "role")), "strength");
  assert_string_equal(json_string_value(json_object_get(i2, "role")), "strength");
  json_t *s = json_object_get(j, "series"), *s0 = json_array_get(s, 0);
  assert_int_equal(integer(s0, "year"), 2024);
  assert_int_equal(integer(s0, "rank"), 3);
  assert_true(json_is_true(json_object_get(s0, "harmonised"))); /* 2024 on the 34 units */
  assert_true(json_is_true(json_object_get(s0, "approx")));
  assert_false(json_is_true(json_object_get(json_array_get(s, 1), "harmonised")));
  json_decref(j);
  /* Hồ Chí Minh was formed from Bình Dương, Bà Rịa - Vũng Tàu and itself */
  j = json_of(m, w_unit, "79");
  json_t *from = json_object_get(j, "formed_from");
  assert_int_equal(json_array_size(from), 3);
  char all[256] = "";
  for (size_t i = 0; i < 3; i++)
    strcat(strcat(all, json_string_value(json_object_get(json_array_get(from, i), "code"))), " ");
  assert_non_null(strstr(all, "74"));
  assert_non_null(strstr(all, "77"));
  assert_non_null(strstr(all, "79"));
  json_decref(j);
  /* unranked: no ranks, a small sample */
  j = json_of(m, w_unit, "48");
  assert_true(json_is_true(json_object_get(j, "small_sample")));
  assert_true(json_is_null(json_object_get(json_array_get(json_object_get(j, "pillars"), 0), "rank")));
  json_decref(j);
  rmodel_free(m);
}

static void test_unknown_unit(void **state) {
  (void)state;
  rmodel *m = model();
  chiso_err err;
  free(text_of(m, w_unit, "99", CHISO_FORMAT_JSON, CHISO_ENOTFOUND, &err));
  assert_non_null(strstr(err.message, "01 31 79 48"));
  rmodel_free(m);
}

static int w_compare(const rmodel *m, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  const char *const *codes = a;
  size_t n = 0;
  while (codes[n]) n++;
  return rview_compare_write(m, codes, n, fmt, f, err);
}

static void test_compare(void **state) {
  (void)state;
  rmodel *m = model();
  const char *two[] = {"01", "79", NULL};
  json_t *j = json_of(m, w_compare, two), *rows = json_object_get(j, "rows");
  json_t *score = json_array_get(rows, 0), *rank = json_array_get(rows, 1);
  assert_close(json_number_value(json_array_get(json_object_get(score, "values"), 1)), 80, 0);
  assert_close(json_number_value(json_array_get(json_object_get(rank, "values"), 0)), 2, 0);
  assert_string_equal(json_string_value(json_object_get(rank, "better")), "low");
  json_t *last = json_array_get(rows, json_array_size(rows) - 1);
  assert_string_equal(json_string_value(json_object_get(last, "id")), "i2");
  assert_string_equal(json_string_value(json_object_get(last, "better")), "low");
  json_decref(j);
  chiso_err err;
  const char *five[] = {"01", "79", "31", "48", "01", NULL};
  free(text_of(m, w_compare, five, CHISO_FORMAT_JSON, CHISO_EUSAGE, &err));
  const char *twice[] = {"01", "01", NULL};
  free(text_of(m, w_compare, twice, CHISO_FORMAT_CSV, CHISO_EUSAGE, &err));
  const char *unknown[] = {"01", "02", NULL};
  free(text_of(m, w_compare, unknown, CHISO_FORMAT_CSV, CHISO_ENOTFOUND, &err));
  char *csv = text_of(m, w_compare, two, CHISO_FORMAT_CSV, 0, &err);
  assert_true(strncmp(csv, "kind,id,name_vi,name_en,01,79\n", 30) == 0);
  assert_non_null(strstr(csv, "\nseries,2024,2024,2024,50,\n"));
  free(csv);
  rmodel_free(m);
}

/* The headline mean is the report's, over the units with a score, the
** unranked 48 too: (60 + 40 + 80 + 30) / 4, and says so. */
static void test_summary(void **state) {
  (void)state;
  rmodel *m = model();
  json_t *j = json_of(m, w_summary, NULL);
  assert_close(num(j, "national_mean"), 52.5, 1e-12);
  json_t *share = json_object_get(j, "share");
  assert_int_equal(json_array_size(share), 2);
  assert_close(num(json_array_get(share, 0), "lo"), 58, 0);
  assert_close(num(j, "share_target"), 50, 0);
  /* the basis of the share, as the report says it (issue 12, item 4): the
  ** 2024 figure is on the 34 units, so HCM takes in Bình Dương */
  const char *basis = json_string_value(json_object_get(j, "share_basis_en"));
  assert_non_null(basis);
  assert_non_null(strstr(basis, "2024 recomputed on the 34 units of 2025"));
  assert_non_null(strstr(basis, "Bình Dương"));
  assert_non_null(strstr(json_string_value(json_object_get(j, "share_basis_vi")), "tính lại"));
  /* what the mean is of (item 6): the 4 units with a score of the 34 */
  assert_string_equal(json_string_value(json_object_get(j, "mean_label_en")),
                      "Mean of the 4 units with a score (of 34)");
  json_decref(j);
  rmodel_free(m);
}

typedef struct svg_arg {
  const char *chart, *code, *prefix;
} svg_arg;

static int w_svg(const rmodel *m, const void *a, chiso_format fmt, FILE *f, chiso_err *err) {
  const svg_arg *s = a;
  (void)fmt;
  return rview_svg_write(m, s->chart, s->code, "vi", s->prefix, "?x=\"1\"", f, err);
}

/* Every value from the model is escaped where a chart writes it. */
static void test_svg_escapes(void **state) {
  (void)state;
  rmodel *m = model();
  chiso_err err;
  svg_arg a = {"pillars", NULL, "/vi/p/"};
  char *svg = text_of(m, w_svg, &a, CHISO_FORMAT_JSON, 0, &err);
  assert_null(strstr(svg, "<script"));
  assert_non_null(strstr(svg, "&lt;script&gt;"));
  free(svg);
  svg_arg b = {"ranking", NULL, "/vi/p/"};
  svg = text_of(m, w_svg, &b, CHISO_FORMAT_JSON, 0, &err);
  assert_non_null(strstr(svg, "href=\"/vi/p/01?x=&quot;1&quot;\""));
  free(svg);
  svg_arg c = {"unit-pillars", "01", NULL};
  svg = text_of(m, w_svg, &c, CHISO_FORMAT_JSON, 0, &err);
  assert_non_null(strstr(svg, "<svg"));
  assert_null(strstr(svg, "<script"));
  free(svg);
  svg_arg d = {"map", NULL, "/vi/p/"};
  svg = text_of(m, w_svg, &d, CHISO_FORMAT_JSON, 0, &err);
  assert_non_null(strstr(svg, "data-code=\"79\""));
  free(svg);
  svg_arg e = {"pie", NULL, NULL};
  free(text_of(m, w_svg, &e, CHISO_FORMAT_JSON, CHISO_ENOTFOUND, &err));
  assert_non_null(strstr(err.message, "unit-trend"));
  svg_arg f = {"unit-trend", NULL, NULL};
  free(text_of(m, w_svg, &f, CHISO_FORMAT_JSON, CHISO_ENOTFOUND, &err));
  rmodel_free(m);
}

/* The ranks per trend year survive the model's JSON. */
static void test_trend_ranks_roundtrip(void **state) {
  (void)state;
  rmodel *m = model(), *m2 = NULL;
  char *a = NULL, *b = NULL;
  chiso_err err;
  assert_int_equal(rmodel_trend_rank(m, &m->units[0], 2024), 3);
  assert_int_equal(rmodel_trend_rank(m, &m->units[2], 2024), 0);
  assert_int_equal(rmodel_trend_rank(m, &m->units[0], 2019), 0);
  assert_int_equal(rmodel_to_json(m, &a), 0);
  assert_int_equal(rmodel_parse_json(a, "a.json", &m2, &err), 0);
  assert_int_equal(rmodel_to_json(m2, &b), 0);
  assert_string_equal(a, b);
  assert_int_equal(m2->units[0].trend_approx[0], 1);
  chiso_free(a);
  chiso_free(b);
  rmodel_free(m2);
  /* a rank outside 1..63 is refused */
  const char *bad = "{\"year\":2025,\"units\":34,\"years\":[2025],\"provinces\":[{\"code\":\"01\","
                    "\"trend\":[1],\"trend_rank\":[99]}]}";
  assert_int_equal(rmodel_parse_json(bad, "b.json", &m2, &err), CHISO_EDATA);
  rmodel_free(m);
}

/* Out of memory while writing a view is an error code, never a crash. */
static void test_out_of_memory(void **state) {
  (void)state;
  rmodel *m = model();
  int rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 1000; k++) {
    char *out = NULL;
    size_t n = 0;
    chiso_err err;
    FILE *f = open_memstream(&out, &n);
    const char *codes[] = {"01", "79"};
    chiso_mem_fail_after(k);
    rc = rview_unit_write(m, "01", CHISO_FORMAT_JSON, f, &err);
    if (!rc) rc = rview_compare_write(m, codes, 2, CHISO_FORMAT_CSV, f, &err);
    if (!rc) rc = rview_svg_write(m, "unit-pillars", "01", "en", "/", "", f, &err);
    chiso_mem_fail_after(-1);
    fclose(f);
    free(out);
    if (rc) assert_int_equal(rc, CHISO_ENOMEM);
  }
  assert_int_equal(rc, CHISO_OK);
  rmodel_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_index),           cmocka_unit_test(test_profile),
      cmocka_unit_test(test_unknown_unit),    cmocka_unit_test(test_compare),
      cmocka_unit_test(test_summary),         cmocka_unit_test(test_svg_escapes),
      cmocka_unit_test(test_trend_ranks_roundtrip), cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of profile.c: strengths and weaknesses (issue 12, item 3). Every
** expected rank and mean is worked by hand from the values below. */
#include "testutil.h"

#include <math.h>

/* Eleven provinces; indicator values per unit in that order:
**   a (+1): 10 9 8 7 6 5 4 3 2 1 0     mean 5
**   b (-1): 10 9 8 7 6 5 4 3 2 1 0     mean 5, lower is better
**   c (+1):  1 0 0 0 0 0 0 0 0 0 0     2 distinct values of 11 < 20%: left out
**   d (+1):  6 1 2 3 4 5 6 7 8 9 10    mean 61/11 = 5.5454...
**   e (+1):  5 0 1 2 3 4 6 7 8 9 10    mean 5: unit 0 is at the mean */
static const char *const model_json =
    "{\"year\":2024,\"units\":63,\"indicators\":[\"a\",\"b\",\"c\",\"d\",\"e\"],"
    "\"nodes\":[{\"id\":\"a\",\"direction\":1},{\"id\":\"b\",\"direction\":-1},"
    "{\"id\":\"c\",\"direction\":1},{\"id\":\"d\",\"direction\":1},{\"id\":\"e\",\"direction\":1}],"
    "\"provinces\":["
    "{\"code\":\"01\",\"indicators\":[10,10,1,6,5]},{\"code\":\"02\",\"indicators\":[9,9,0,1,0]},"
    "{\"code\":\"04\",\"indicators\":[8,8,0,2,1]},{\"code\":\"06\",\"indicators\":[7,7,0,3,2]},"
    "{\"code\":\"08\",\"indicators\":[6,6,0,4,3]},{\"code\":\"10\",\"indicators\":[5,5,0,5,4]},"
    "{\"code\":\"11\",\"indicators\":[4,4,0,6,6]},{\"code\":\"12\",\"indicators\":[3,3,0,7,7]},"
    "{\"code\":\"14\",\"indicators\":[2,2,0,8,8]},{\"code\":\"15\",\"indicators\":[1,1,0,9,9]},"
    "{\"code\":\"17\",\"indicators\":[0,0,0,10,10]}]}";

static rmodel *load_model(void) {
  rmodel *m = NULL;
  chiso_err err;
  assert_int_equal(rmodel_parse_json(model_json, "p.json", &m, &err), 0);
  return m;
}

static void expect_item(const rmodel *m, const profile_item *it, const char *id, int rank,
                        double value, double reference) {
  assert_string_equal(m->indicators[it->indicator], id);
  assert_int_equal(it->rank, rank);
  assert_int_equal(it->n_ranked, 11);
  assert_close(it->value, value, 0);
  assert_close(it->reference, reference, 1e-12);
}

/* A unit that leads on a and d and is worst on b: strengths above the mean
** only, best rank first; the weakness below it. */
static void test_leader(void **state) {
  (void)state;
  rmodel *m = load_model();
  profile_item s[3], w[3];
  size_t ns, nw;
  profile_strengths(m, 0, NULL, s, &ns, w, &nw);
  assert_int_equal(ns, 2);
  expect_item(m, &s[0], "a", 1, 10, 5);
  expect_item(m, &s[1], "d", 5, 6, 61.0 / 11);
  assert_int_equal(nw, 1);
  expect_item(m, &w[0], "b", 11, 10, 5);
  rmodel_free(m);
}

/* The last unit: rank 1 on b, d and e (ties: further above the mean first:
** b and e by 5, then d by 4.45), worst on a. */
static void test_ties_and_direction(void **state) {
  (void)state;
  rmodel *m = load_model();
  profile_item s[3], w[3];
  size_t ns, nw;
  profile_strengths(m, 10, NULL, s, &ns, w, &nw);
  assert_int_equal(ns, 3);
  expect_item(m, &s[0], "b", 1, 0, 5);
  expect_item(m, &s[1], "e", 1, 10, 5);
  expect_item(m, &s[2], "d", 1, 10, 61.0 / 11);
  assert_int_equal(nw, 1);
  expect_item(m, &w[0], "a", 11, 0, 5);
  rmodel_free(m);
}

/* A unit above the mean everywhere has no weakness, and one below it
** everywhere no strength, whatever its ranks (the signed top/bottom 3 gave
** HCM "weaknesses" far above the mean). Unit 1 is above the mean of a (9 >
** 5) and below on b, d, e; top = 1 keeps the worst weakness only. */
static void test_signs(void **state) {
  (void)state;
  rmodel *m = load_model();
  profile_item s[3], w[3];
  size_t ns, nw;
  profile_options o;
  profile_options_init(&o);
  o.top = 1;
  profile_strengths(m, 1, &o, s, &ns, w, &nw);
  assert_int_equal(ns, 1);
  expect_item(m, &s[0], "a", 2, 9, 5);
  assert_int_equal(nw, 1);
  expect_item(m, &w[0], "e", 11, 0, 5); /* rank 11 on d and e: e is further below (5 > 4.55) */
  rmodel_free(m);
}

/* Near-binary indicators count when asked (min_unique 0): c then is a
** strength of unit 0 (1 against a mean of 1/11). */
static void test_near_binary(void **state) {
  (void)state;
  rmodel *m = load_model();
  profile_item s[3], w[3];
  size_t ns, nw;
  profile_options o;
  profile_options_init(&o);
  o.min_unique = 0;
  profile_strengths(m, 0, &o, s, &ns, w, &nw);
  assert_int_equal(ns, 3);
  assert_string_equal(m->indicators[s[0].indicator], "a");
  assert_string_equal(m->indicators[s[1].indicator], "c"); /* rank 1, gap 10/11 < a's 5 */
  assert_string_equal(m->indicators[s[2].indicator], "d");
  rmodel_free(m);
}

/* Within a group (the first five units): unit 0 ranks 1 of 5 on a, c, d
** and e; d (6 against 3.2) and e (5 against 2.2) lead a (10 against 8). */
static int first_five(size_t unit, const void *ctx) {
  (void)ctx;
  return unit < 5;
}

static void test_within_group(void **state) {
  (void)state;
  rmodel *m = load_model();
  profile_item s[3], w[3];
  size_t ns, nw;
  profile_options o;
  profile_options_init(&o);
  o.keep = first_five;
  o.min_unique = 0;
  profile_strengths(m, 0, &o, s, &ns, w, &nw);
  assert_int_equal(ns, 3);
  assert_string_equal(m->indicators[s[0].indicator], "d");
  assert_string_equal(m->indicators[s[1].indicator], "e");
  assert_string_equal(m->indicators[s[2].indicator], "a");
  assert_int_equal(s[2].rank, 1);
  assert_int_equal(s[2].n_ranked, 5);
  assert_close(s[2].reference, 8, 1e-12);
  rmodel_free(m);
}

/* The public call: the same rule by unit code; a region keeps its units.
** 01 Hà Nội, 02 Hà Giang, 04 Cao Bằng ... are the first units above. */
static void test_public_call(void **state) {
  (void)state;
  rmodel *m = load_model();
  chiso_strength s[3], w[3];
  size_t ns, nw;
  chiso_err err;
  assert_int_equal(chiso_report_strengths(m, "01", 0, 0, s, &ns, w, &nw, &err), 0);
  assert_int_equal(ns, 2);
  assert_string_equal(s[0].indicator, "a");
  assert_int_equal(s[0].rank, 1);
  assert_int_equal(nw, 1);
  assert_string_equal(w[0].indicator, "b");
  assert_int_equal(chiso_report_strengths(m, "99", 0, 0, s, &ns, w, &nw, &err), CHISO_ENOTFOUND);
  /* Hà Nội is alone in its region among these units: too few to judge */
  assert_int_equal(chiso_report_strengths(m, "01", 1, 0, s, &ns, w, &nw, &err), 0);
  assert_int_equal(ns + nw, 0);
  rmodel_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leader),
      cmocka_unit_test(test_ties_and_direction),
      cmocka_unit_test(test_signs),
      cmocka_unit_test(test_near_binary),
      cmocka_unit_test(test_within_group),
      cmocka_unit_test(test_public_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of jsonio.c's writer without a tree: for random documents (nested
** objects and arrays, empty ones, strings with every ASCII control
** character, quotes, backslashes, Vietnamese, numbers from 1e-300 to
** 1e300, integer-valued reals, -0.0, NaN and infinities, integers, null,
** true, false) its text is byte for byte what jansson writes for the same
** tree through jsonio_dump; an invalid UTF-8 byte becomes U+FFFD. */
#include "testutil.h"

#include <jansson.h>

/* One random value, written both ways; depth bounds the nesting. */
static json_t *value(rng_stream *g, jsonio_writer *w, int depth);

static const char *const strings[] = {
    "", "plain", "Hà Nội", "Thành phố Hồ Chí Minh", "quote \" and \\ backslash", "tab\there",
    "line\nbreak\r\n", "/slash/", "\x01\x02\x1f\x7f", "đ Đ ư ơ ắ ẵ ỹ", "emoji 😀 ok", "<script>&'"};

static const char *random_string(rng_stream *g, char *buf, size_t n) {
  if (rng_below(g, 2)) return strings[rng_below(g, sizeof strings / sizeof *strings)];
  size_t len = rng_below(g, 12), k = 0;
  for (size_t i = 0; i < len && k + 1 < n; i++) buf[k++] = (char)(1 + rng_below(g, 127));
  buf[k] = '\0';
  return buf;
}

static double random_number(rng_stream *g) {
  switch (rng_below(g, 8)) {
  case 0: return (double)((long)rng_below(g, 2000000) - 1000000);
  case 1: return NAN;
  case 2: return rng_below(g, 2) ? INFINITY : -INFINITY;
  case 3: return -0.0;
  case 4: return pow(10, (double)rng_below(g, 601) - 300) * (rng_uniform(g) - 0.5);
  case 5: return 0.1 * (double)rng_below(g, 100);
  default: return (rng_uniform(g) - 0.5) * 1e4;
  }
}

static json_t *container(rng_stream *g, jsonio_writer *w, int depth, int object) {
  json_t *c = object ? json_object() : json_array();
  size_t n = rng_below(g, 5);
  if (object) jsonio_object_begin(w);
  else jsonio_array_begin(w);
  for (size_t i = 0; i < n; i++) {
    char key[32];
    if (object) {
      snprintf(key, sizeof key, "k%zu_%s", i, i % 2 ? "tên" : "x\"y");
      jsonio_key(w, key);
    }
    json_t *v = value(g, w, depth + 1);
    if (object) json_object_set_new(c, key, v);
    else json_array_append_new(c, v);
  }
  if (object) jsonio_object_end(w);
  else jsonio_array_end(w);
  return c;
}

static json_t *value(rng_stream *g, jsonio_writer *w, int depth) {
  char buf[32];
  uint32_t kind = rng_below(g, depth < 4 ? 8 : 6);
  switch (kind) {
  case 0: {
    const char *s = random_string(g, buf, sizeof buf);
    jsonio_string(w, s);
    return json_string(s);
  }
  case 1: {
    double v = random_number(g);
    jsonio_real(w, v);
    return jsonio_number(v);
  }
  case 2: {
    long long v = (long long)rng_below(g, 4000000) - 2000000;
    jsonio_integer(w, v);
    return json_integer(v);
  }
  case 3: jsonio_null(w); return json_null();
  case 4: jsonio_bool(w, 1); return json_true();
  case 5: jsonio_bool(w, 0); return json_false();
  case 6: return container(g, w, depth, 1);
  default: return container(g, w, depth, 0);
  }
}

static void test_writer_equals_dump(void **state) {
  (void)state;
  rng_stream g;
  rng_init(&g, 2026, 0);
  for (int doc = 0; doc < 2000; doc++) {
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    FILE *fa = open_memstream(&a, &na), *fb = open_memstream(&b, &nb);
    jsonio_writer w;
    jsonio_writer_init(&w, fb);
    json_t *root = container(&g, &w, 0, doc % 3 != 0);
    assert_int_equal(jsonio_writer_end(&w), 0);
    assert_int_equal(jsonio_dump(root, fa), 0);
    fclose(fa);
    fclose(fb);
    if (na != nb || memcmp(a, b, na)) print_error("jansson:\n%s\nwriter:\n%s\n", a, b);
    assert_int_equal(na, nb);
    assert_memory_equal(a, b, na);
    free(a);
    free(b);
  }
}

/* Numbers whose text jansson changes after printf: an integer-valued real
** gets ".0", an exponent loses its "+" and leading zeros. */
static void test_writer_numbers(void **state) {
  (void)state;
  static const struct { double v; const char *text; } cases[] = {
      {1, "1.0"}, {-0.0, "-0.0"}, {0.5, "0.5"}, {1e300, "1.0000000000000001e300"}, {-2.5e-7, "-2.4999999999999999e-7"},
      {1e21, "1e21"}, {123456789012345678.0, "1.2345678901234568e17"}, {NAN, "null"}, {-INFINITY, "null"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *b = NULL;
    size_t nb = 0;
    FILE *f = open_memstream(&b, &nb);
    jsonio_writer w;
    jsonio_writer_init(&w, f);
    jsonio_real(&w, cases[i].v);
    assert_int_equal(jsonio_writer_end(&w), 0);
    fclose(f);
    b[nb - 1] = '\0'; /* the final newline */
    assert_string_equal(b, cases[i].text);
    free(b);
  }
}

/* A byte that is not UTF-8 is written as U+FFFD; the rest is kept. */
static void test_writer_bad_utf8(void **state) {
  (void)state;
  char *b = NULL;
  size_t nb = 0;
  FILE *f = open_memstream(&b, &nb);
  jsonio_writer w;
  jsonio_writer_init(&w, f);
  jsonio_array_begin(&w);
  jsonio_string(&w, "a\xffz\xc3");
  jsonio_string(&w, NULL);
  jsonio_array_end(&w);
  assert_int_equal(jsonio_writer_end(&w), 0);
  fclose(f);
  assert_string_equal(b, "[\n  \"a\xef\xbf\xbdz\xef\xbf\xbd\",\n  null\n]\n");
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_writer_equals_dump),
                                     cmocka_unit_test(test_writer_numbers),
                                     cmocka_unit_test(test_writer_bad_utf8)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}

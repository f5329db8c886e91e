/* Tests of text.c: UTF-8 validation, NFC, folding, keys, edit distance. */
#include "testutil.h"

static void expect_fold(const char *in, const char *want) {
  char *out = NULL;
  assert_int_equal(text_fold(in, &out), CHISO_OK);
  assert_string_equal(out, want);
  chiso_free(out);
}

static void expect_key(const char *in, const char *want) {
  char *out = NULL;
  assert_int_equal(text_key(in, &out), CHISO_OK);
  assert_string_equal(out, want);
  chiso_free(out);
}

static void test_fold_vietnamese(void **state) {
  (void)state;
  expect_fold("Hà Nội", "ha noi");
  expect_fold("ĐẮK LẮK", "dak lak");
  expect_fold("đường", "duong");
  /* Both tone placements fold to the same key. */
  expect_fold("Hoà Bình", "hoa binh");
  expect_fold("Hòa Bình", "hoa binh");
  expect_fold("Thuỷ", "thuy");
  expect_fold("Thủy", "thuy");
  /* Decomposed input (NFD, as macOS writes it) folds the same. */
  expect_fold("Ha\xcc\x80 N\xc3\xb4\xcc\xa3i", "ha noi");
  /* The Icelandic eth, sometimes typed for Đ. */
  expect_fold("\xc3\x90\xc3\xa0 N\xe1\xba\xb5ng", "da nang");
}

static void test_key_separators(void **state) {
  (void)state;
  expect_key("TP. Hồ Chí Minh", "tp ho chi minh");
  expect_key("  Bà Rịa – Vũng Tàu ", "ba ria vung tau");
  expect_key("Thừa Thiên-Huế", "thua thien hue");
  expect_key("Bà Rịa\xe2\x80\x94Vũng Tàu", "ba ria vung tau");
  expect_key("...", "");
  char *out = NULL;
  assert_int_equal(text_compact_key("Đắk   Lắk", &out), CHISO_OK);
  assert_string_equal(out, "daklak");
  chiso_free(out);
}

static void test_nfc_and_ascii(void **state) {
  (void)state;
  char *out = NULL;
  /* "ộ" decomposed: o + U+0323 + U+0302 composes to U+1ED9. */
  assert_int_equal(text_nfc("N\x6f\xcc\xa3\xcc\x82i", &out), CHISO_OK);
  assert_string_equal(out, "N\xe1\xbb\x99i");
  chiso_free(out);
  assert_int_equal(text_ascii("Đắk Lắk", &out), CHISO_OK);
  assert_string_equal(out, "Dak Lak");
  chiso_free(out);
}

static void test_utf8_check(void **state) {
  (void)state;
  const char ok[] = "Hà Nội";
  assert_int_equal(text_utf8_check(ok, strlen(ok)), strlen(ok));
  const char bad[] = "ab\xc3\x28zz";                /* truncated sequence */
  assert_int_equal(text_utf8_check(bad, 5), 2);
  const char overlong[] = "\xc0\xaf";                /* overlong '/' */
  assert_int_equal(text_utf8_check(overlong, 2), 0);
  const char surrogate[] = "x\xed\xa0\x80";          /* U+D800 */
  assert_int_equal(text_utf8_check(surrogate, 4), 1);
  char *out = (char *)1;
  assert_int_equal(text_fold(bad, &out), CHISO_EDATA);
  assert_null(out);
}

static void test_edit_distance(void **state) {
  (void)state;
  assert_int_equal(text_edit_distance("kitten", "sitting"), 3);
  assert_int_equal(text_edit_distance("", "abc"), 3);
  assert_int_equal(text_edit_distance("abc", "abc"), 0);
  assert_int_equal(text_edit_distance("ab", "ba"), 1); /* transposition */
  assert_int_equal(text_edit_distance("ca", "abc"), 3); /* OSA, not Damerau */
}

static void test_width(void **state) {
  (void)state;
  assert_int_equal(text_width("Hồ Chí Minh"), 11);
}

static void test_oom(void **state) {
  (void)state;
  char *out = NULL;
  int rc = CHISO_ENOMEM;
  for (long k = 0; rc == CHISO_ENOMEM && k < 100; k++) { /* must end in success */
    chiso_mem_fail_after(k);
    rc = text_fold("Hà Nội", &out);
    chiso_mem_fail_after(-1);
    if (rc) assert_null(out);
  }
  assert_int_equal(rc, CHISO_OK);
  assert_string_equal(out, "ha noi");
  chiso_free(out);
}

/* Terminal codes never survive: ESC and BEL (OSC title), CR, DEL, the C1
** CSI (U+009B as C2 9B) and a lone 0x9B byte; Vietnamese and newlines
** (when kept) pass unchanged; a short buffer cuts without a half escape. */
static void test_escape_controls(void **state) {
  (void)state;
  char b[128];
  assert_string_equal(text_escape_controls("H\xC3\xA0 N\xE1\xBB\x99i", 0, b, sizeof b),
                      "H\xC3\xA0 N\xE1\xBB\x99i");
  assert_string_equal(text_escape_controls("a\x1B[31mb\x1B]0;t\x07", 0, b, sizeof b),
                      "a\\x1B[31mb\\x1B]0;t\\x07");
  assert_string_equal(text_escape_controls("x\r\x7F\xC2\x9B" "2J\x9B" "y", 0, b, sizeof b),
                      "x\\x0D\\x7F\\xC2\\x9B2J\\x9By");
  assert_string_equal(text_escape_controls("a\nb\tc", 1, b, sizeof b), "a\nb\tc");
  assert_string_equal(text_escape_controls("a\nb", 0, b, sizeof b), "a\\x0Ab");
  assert_string_equal(text_escape_controls(NULL, 0, b, sizeof b), "");
  assert_string_equal(text_escape_controls("ab\x1B", 0, b, 6), "ab");
  assert_string_equal(text_escape_controls("\xC2\xA0\xE2\x82\xAB", 0, b, sizeof b),
                      "\xC2\xA0\xE2\x82\xAB"); /* no-break space, đồng sign */
  /* the error record applies it to the file name and the message */
  chiso_err err;
  chiso_err_at(&err, CHISO_EDATA, "f\x1B[2J.csv", 1, 2, "value \"%s\"", "\x1B]0;x\x07");
  assert_string_equal(err.file, "f\\x1B[2J.csv");
  assert_string_equal(err.message, "value \"\\x1B]0;x\\x07\"");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escape_controls),
      cmocka_unit_test(test_fold_vietnamese), cmocka_unit_test(test_key_separators),
      cmocka_unit_test(test_nfc_and_ascii),   cmocka_unit_test(test_utf8_check),
      cmocka_unit_test(test_edit_distance),   cmocka_unit_test(test_width),
      cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

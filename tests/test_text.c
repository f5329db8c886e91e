/* Tests of text.c: UTF-8 validation, NFC, folding, keys, edit distance. */
#include "testutil.h"

#include "base/cpu.h"

#include <stdint.h>
#include <stdio.h>

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

/* The well-formed byte sequences of the Unicode Standard (15.0, §3.9,
** table 3-7), written out here independently of text.c: the length of
** the valid sequence at p[0..n), or 0. */
static size_t ref_sequence(const unsigned char *p, size_t n) {
  unsigned c = p[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned lo = 0x80, hi = 0xBF; /* the range of the second byte */
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) len = 3, lo = 0xA0;
  else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) len = 3;
  else if (c == 0xED) len = 3, hi = 0x9F;
  else if (c == 0xF0) len = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) len = 4, hi = 0x8F;
  else return 0;
  if (n < len || p[1] < lo || p[1] > hi) return 0;
  for (size_t k = 2; k < len; k++)
    if (p[k] < 0x80 || p[k] > 0xBF) return 0;
  return len;
}

static size_t ref_check(const unsigned char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t len = ref_sequence(p + i, n - i);
    if (!len) return i;
    i += len;
  }
  return n;
}

static uint32_t lcg_next(uint32_t *s) { return *s = *s * 1664525u + 1013904223u; }

/* text_utf8_check with each body (the byte-wise one, and the vector one
** where the CPU has AVX2) against ref_check. */
static void check_both(const unsigned char *p, size_t n) {
  size_t want = ref_check(p, n);
  cpu_allow(CPU_PLAIN);
  size_t plain = text_utf8_check((const char *)p, n);
  cpu_allow(CPU_AVX512);
  size_t vec = text_utf8_check((const char *)p, n);
  if (plain != want || vec != want) {
    fprintf(stderr, "n=%zu want %zu plain %zu vector %zu:", n, want, plain, vec);
    for (size_t k = 0; k < n; k++) fprintf(stderr, " %02x", p[k]);
    fprintf(stderr, "\n");
  }
  assert_int_equal(plain, want);
  assert_int_equal(vec, want);
}

static void test_utf8_check_vector(void **state) {
  (void)state;
  /* bytes at the edges of every rule of table 3-7 */
  static const unsigned char edge[] = {
      0x00, 0x20, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
      0xC3, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5,
      0xF7, 0xF8, 0xFB, 0xFC, 0xFE, 0xFF};
  /* valid sequences of each length, Vietnamese among them */
  static const char *const seq[] = {"a", "\xC3\xB3", "\xE1\xBB\x99", "\xF0\x9F\x98\x80",
                                    "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                                    "\xEE\x80\x80", "\xF4\x8F\xBF\xBF", "\xF0\x90\x80\x80", ","};
  unsigned char buf[200];
  uint32_t s = 12345;
  /* every pair and triple of edge bytes, at each offset around a 32-byte
  ** block boundary and at the end */
  for (size_t a = 0; a < sizeof edge; a++)
    for (size_t c = 0; c < sizeof edge; c++)
      for (size_t at = 28; at <= 36; at += 2) {
        memset(buf, 'x', sizeof buf);
        buf[at] = edge[a], buf[at + 1] = edge[c], buf[at + 2] = 0x80;
        check_both(buf, 70);
        check_both(buf, at + 2);
        check_both(buf, at + 3);
      }
  for (int round = 0; round < 20000; round++) {
    size_t n = 0, want = 16 + lcg_next(&s) % 150;
    int kind = round % 3;
    while (n < want) {
      if (kind == 0) { /* random edge bytes */
        buf[n++] = edge[lcg_next(&s) >> 8 & 31];
      } else { /* valid text with a rare wrong byte */
        const char *q = seq[(lcg_next(&s) >> 8) % (sizeof seq / sizeof *seq)];
        size_t len = strlen(q);
        if (n + len > sizeof buf) break;
        memcpy(buf + n, q, len);
        n += len;
        if (kind == 2 && (lcg_next(&s) >> 8) % 64 == 0) buf[n - 1] = edge[lcg_next(&s) >> 8 & 31];
      }
    }
    check_both(buf, n);
    check_both(buf, n - (lcg_next(&s) >> 8) % 4); /* cut anywhere, inside a sequence too */
  }
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
      cmocka_unit_test(test_utf8_check_vector),
      cmocka_unit_test(test_edit_distance),   cmocka_unit_test(test_width),
      cmocka_unit_test(test_oom),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Tests of vnlegacy.c: the TCVN3 table byte for byte against glibc's
** independent TCVN5712-1 converter (iconv), real words in both encodings
** as typed with the published tables ("hé c¸ nh©n" is "hộ cá nhân" in
** TCVN3, "hoä caù nhaân" in VNI), raw bytes and their Windows-1252
** characters alike, Unicode left alone, detection, and out of memory. */
#include "testutil.h"

#include <iconv.h>

static char *conv(const char *s, vnlegacy_enc e) {
  char *out = NULL;
  assert_int_equal(vnlegacy_convert(s, e, &out), 0);
  return out;
}

static void expect_conv(const char *s, vnlegacy_enc e, const char *want) {
  char *out = conv(s, e);
  if (!out || strcmp(out, want)) print_error("[%s] -> [%s], want [%s]\n", s, out ? out : "(null)", want);
  assert_non_null(out);
  assert_string_equal(out, want);
  chiso_free(out);
}

/* Every byte 0x80-0xFF decodes as glibc's TCVN5712-1 decodes it (VN1, a
** superset of TCVN3's VN3 with the same positions); ASCII stays ASCII. */
static void test_tcvn_table(void **state) {
  (void)state;
  iconv_t cd = iconv_open("UTF-8", "TCVN5712-1");
  assert_true(cd != (iconv_t)-1);
  for (int b = 0; b < 256; b++) {
    char in[2] = {(char)b, 0}, *dec = NULL;
    size_t n = 0;
    assert_int_equal(vnlegacy_decode(in, 1, VNLEGACY_TCVN3, &dec, &n), 0);
    if (b < 0x80) {
      assert_int_equal(n, b ? 1 : 0);
      if (b) assert_int_equal((unsigned char)dec[0], b);
    } else {
      char want[16] = {0}, *ip = in, *op = want;
      size_t il = 1, ol = sizeof want - 1;
      iconv(cd, NULL, NULL, NULL, NULL);
      assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
      assert_true(iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1); /* flush: glibc holds a
                                                                    letter for a tone */
      if (strcmp(dec, want)) print_error("byte 0x%02X: [%s], glibc [%s]\n", b, dec, want);
      assert_string_equal(dec, want);
    }
    chiso_free(dec);
  }
  iconv_close(cd);
}

static void test_tcvn_words(void **state) {
  (void)state;
  /* as Windows-1252 characters (the usual shape) and as raw bytes */
  expect_conv("hé c¸ nh©n", VNLEGACY_TCVN3, "hộ cá nhân");
  expect_conv("h\xE9 c\xB8 nh\xA9n", VNLEGACY_TCVN3, "hộ cá nhân");
  expect_conv("§µ N½ng", VNLEGACY_TCVN3, "Đà Nẵng");
  expect_conv("Thµnh phè Hå ChÝ Minh", VNLEGACY_TCVN3, "Thành phố Hồ Chí Minh");
  expect_conv("CÇn Th¬", VNLEGACY_TCVN3, "Cần Thơ");
  expect_conv("B×nh D\xC2\xAD¬ng", VNLEGACY_TCVN3, "Bình Dương"); /* 0xAD: a soft hyphen in cp1252 */
  expect_conv("TØnh/Thµnh phè", VNLEGACY_TCVN3, "Tỉnh/Thành phố");
  expect_conv("Cã, Kh«ng", VNLEGACY_TCVN3, "Có, Không");
  /* a combining tone of VN2 (0xB3 acute) composes with its letter */
  expect_conv("a\xB3", VNLEGACY_TCVN3, "á");
}

static void test_vni_words(void **state) {
  (void)state;
  expect_conv("hoä caù nhaân", VNLEGACY_VNI, "hộ cá nhân");
  expect_conv("ho\xE4 ca\xF9 nha\xE2n", VNLEGACY_VNI, "hộ cá nhân");
  expect_conv("Thaønh phoá Hoà Chí Minh", VNLEGACY_VNI, "Thành phố Hồ Chí Minh");
  expect_conv("Ñaø Naüng", VNLEGACY_VNI, "Đà Nẵng");
  expect_conv("ñöôïc", VNLEGACY_VNI, "được");
  expect_conv("Nguyeãn", VNLEGACY_VNI, "Nguyễn");
  expect_conv("HAØ NOÄI", VNLEGACY_VNI, "HÀ NỘI");
  expect_conv("Quaûng Ngaõi", VNLEGACY_VNI, "Quảng Ngãi");
  expect_conv("Khaùnh Hoøa", VNLEGACY_VNI, "Khánh Hòa");
  expect_conv("Tænh/Thaønh phoá", VNLEGACY_VNI, "Tỉnh/Thành phố");
  expect_conv("Coù, Khoâng", VNLEGACY_VNI, "Có, Không");
  expect_conv("ngöôøi", VNLEGACY_VNI, "người");
  /* a mark byte after no vowel is the Windows-1252 character */
  expect_conv("x\xF9 \xA9", VNLEGACY_VNI, "xù ©");
}

static void test_left_alone(void **state) {
  (void)state;
  const char *same[] = {"hộ cá nhân", "Hà Nội", "plain ASCII 12,5", "", "Đà Nẵng"};
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
    for (int e = 0; e <= 2; e++) assert_null(conv(same[i], (vnlegacy_enc)e));
    assert_false(vnlegacy_eligible(same[i]));
  }
  assert_true(vnlegacy_eligible("Cã"));
  assert_true(vnlegacy_eligible("\xE9")); /* a raw byte */
  assert_string_equal(vnlegacy_name(VNLEGACY_VNI), "VNI");
  assert_string_equal(vnlegacy_name(VNLEGACY_NONE), "");
}

static vnlegacy_enc detect(const char *const *cells, size_t n) {
  vnlegacy_detector d;
  memset(&d, 0, sizeof d);
  for (size_t i = 0; i < n; i++) assert_int_equal(vnlegacy_feed(&d, cells[i]), 0);
  return vnlegacy_decide(&d);
}

static void test_detect(void **state) {
  (void)state;
  const char *tcvn[] = {"TØnh/Thµnh phè", "Hµ Néi", "Cã", "Kh«ng", "hé c¸ nh©n"};
  const char *vni[] = {"Tænh/Thaønh phoá", "Haø Noäi", "Coù", "Khoâng", "hoä caù nhaân"};
  const char *raw[] = {"H\xB5 N\xE9i", "C\xE3", "h\xE9 c\xB8 nh\xA9n"};
  const char *uni[] = {"Tỉnh/Thành phố", "Hà Nội", "Có", "Không", "hộ cá nhân"};
  /* Unicode that uses Latin-1 letters only: "Có", "Không" read as TCVN3
  ** ("Cú", "Khụng") or VNI are syllables too: no evidence, no change */
  const char *latin_vi[] = {"Có", "Không", "Có", "Không", "Ha Noi"};
  const char *french[] = {"café", "naïve", "résumé", "Zürich"};
  const char *one[] = {"Néi"}; /* one word is not enough evidence */
  assert_int_equal(detect(tcvn, 5), VNLEGACY_TCVN3);
  assert_int_equal(detect(vni, 5), VNLEGACY_VNI);
  assert_int_equal(detect(raw, 3), VNLEGACY_TCVN3);
  assert_int_equal(detect(uni, 5), VNLEGACY_NONE);
  assert_int_equal(detect(latin_vi, 5), VNLEGACY_NONE);
  assert_int_equal(detect(french, 4), VNLEGACY_NONE);
  assert_int_equal(detect(one, 1), VNLEGACY_NONE);
  assert_int_equal(detect(NULL, 0), VNLEGACY_NONE);
  long score = 0;
  assert_int_equal(vnlegacy_score("hộ cá nhân, Thành phố Hồ Chí Minh; xyzq nh©n ×", &score), 0);
  assert_int_equal(score, 7 - 1); /* 7 syllables with marks, "nh©n" none; the
                                     ASCII word and the lone "×" are no evidence */
  assert_int_equal(vnlegacy_score("các", &score), 0);
  assert_int_equal(score, 1);
  assert_int_equal(vnlegacy_score("càc", &score), 0);
  assert_int_equal(score, -1); /* a stop coda takes sắc or nặng only */
}

/* Any bytes decode to valid UTF-8 in both encodings. */
static void test_all_bytes(void **state) {
  (void)state;
  char in[512];
  for (int i = 0; i < 512; i++) in[i] = (char)((i * 37 + 11) & 0xFF ? (i * 37 + 11) & 0xFF : 1);
  for (int e = 1; e <= 2; e++) {
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(vnlegacy_decode(in, sizeof in, (vnlegacy_enc)e, &out, &n), 0);
    assert_int_equal(text_utf8_check(out, n), n);
    assert_int_equal(strlen(out), n);
    chiso_free(out);
  }
}

static void test_out_of_memory(void **state) {
  (void)state;
  int rc = CHISO_ENOMEM;
  for (long n = 0; rc == CHISO_ENOMEM && n < 1000; n++) { /* must end in success */
    char *out = NULL;
    vnlegacy_detector d;
    memset(&d, 0, sizeof d);
    chiso_mem_fail_after(n);
    rc = vnlegacy_convert("Thaønh phoá Hoà Chí Minh", VNLEGACY_VNI, &out);
    if (!rc) rc = vnlegacy_feed(&d, "hé c¸ nh©n");
    chiso_mem_fail_after(-1);
    if (rc) assert_int_equal(rc, CHISO_ENOMEM);
    else assert_string_equal(out, "Thành phố Hồ Chí Minh");
    chiso_free(out);
  }
  assert_int_equal(rc, CHISO_OK);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tcvn_table), cmocka_unit_test(test_tcvn_words),
      cmocka_unit_test(test_vni_words),  cmocka_unit_test(test_left_alone),
      cmocka_unit_test(test_detect),     cmocka_unit_test(test_all_bytes),
      cmocka_unit_test(test_out_of_memory),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

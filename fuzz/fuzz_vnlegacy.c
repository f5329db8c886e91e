/* fuzz_vnlegacy.c — the legacy Vietnamese encodings (io/vnlegacy): the
** bytes decoded as TCVN3 and as VNI, converted as a cell, and fed to the
** detector. Checks: decoded text is valid UTF-8 of the length given; a
** converted cell is valid UTF-8; a cell left alone is plain ASCII, or has
** a character no legacy byte stands for, or is not convertible at all. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_string(data, size);
  vnlegacy_detector d;
  memset(&d, 0, sizeof d);
  for (int e = VNLEGACY_TCVN3; e <= VNLEGACY_VNI; e++) {
    char *out = NULL;
    size_t n = 0;
    FUZZ_CHECK(vnlegacy_decode((const char *)data, size, (vnlegacy_enc)e, &out, &n) == CHISO_OK);
    FUZZ_CHECK(text_utf8_check(out, n) == n && strlen(out) == n);
    chiso_free(out);
    out = NULL;
    FUZZ_CHECK(vnlegacy_convert(s, (vnlegacy_enc)e, &out) == CHISO_OK);
    if (out) FUZZ_CHECK(text_utf8_check(out, strlen(out)) == strlen(out));
    chiso_free(out);
  }
  FUZZ_CHECK(vnlegacy_feed(&d, s) == CHISO_OK);
  vnlegacy_enc e = vnlegacy_decide(&d);
  FUZZ_CHECK(e == VNLEGACY_NONE || e == VNLEGACY_TCVN3 || e == VNLEGACY_VNI);
  free(s);
  return 0;
}

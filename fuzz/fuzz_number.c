/* fuzz_number.c — the number rules (io/number) and yes/no words
** (ingest_parse_yesno) on any text. Checks: a number read is finite; the
** data rule gives what strtod gives for the same text. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 256) return 0;
  char *s = fuzz_string(data, size);
  double v = 0;
  if (number_parse_data(s, &v) == NUMBER_OK) {
    FUZZ_CHECK(isfinite(v));
    FUZZ_CHECK(v == strtod(s, NULL));
  }
  if (number_parse_survey(s, 0, &v) == CHISO_OK) FUZZ_CHECK(isfinite(v));
  if (number_parse_survey(s, 1, &v) == CHISO_OK) FUZZ_CHECK(isfinite(v));
  if (ingest_parse_yesno(s, &v) == CHISO_OK) FUZZ_CHECK(isnan(v) || v == 0 || v == 1);
  free(s);
  return 0;
}

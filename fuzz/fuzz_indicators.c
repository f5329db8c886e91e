/* fuzz_indicators.c — an external indicator file (year/indicators), long
** or wide: the first byte picks the year, the rest is the CSV. Check: each
** row names a province code of two digits. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int year = data[0] & 1 ? 2025 : 2024;
  indicators_rows *r = NULL;
  chiso_err err;
  if (indicators_read(fuzz_file(0, data + 1, size - 1), fuzz_registry(), year, &r, &err) ==
      CHISO_OK) {
    for (size_t i = 0; i < r->n; i++) FUZZ_CHECK(strlen(r->v[i].code) == 2);
    indicators_free(r);
  }
  return 0;
}

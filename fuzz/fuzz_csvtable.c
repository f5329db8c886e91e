/* fuzz_csvtable.c — the in-memory table of the small readers
** (io/csvtable) and the two number rules (io/number) over its cells.
** Checks: every row has the header's width; a number read by either rule
** is finite. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  csvtable *t = NULL;
  chiso_err err;
  if (csvtable_parse((const char *)data, size, "fuzz.csv", &t, &err) != CHISO_OK) return 0;
  for (size_t r = 0; r < t->n_rows; r++)
    for (size_t c = 0; c < t->n_cols; c++) {
      const char *s = csvtable_cell(t, r, (int)c);
      FUZZ_CHECK(s != NULL);
      double v = 0;
      if (number_parse_data(s, &v) == NUMBER_OK) FUZZ_CHECK(isfinite(v));
      if (number_parse_survey(s, (int)(c & 1), &v) == CHISO_OK) FUZZ_CHECK(isfinite(v));
      long l;
      (void)csvtable_long(t, r, (int)c, 1, -1000000, 1000000, &l, &err);
    }
  csvtable_free(t);
  return 0;
}

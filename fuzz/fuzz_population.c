/* fuzz_population.c — a population file for post-stratification
** (year/population): the first byte picks the year (63 or 34 units), the
** rest is the CSV. Check: every count read is finite and > 0. */
#include "fuzz.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int year = data[0] & 1 ? 2025 : 2024;
  estimator_population *p = NULL;
  chiso_err err;
  if (population_read(fuzz_file(0, data + 1, size - 1), fuzz_registry(), year, &p, &err) ==
      CHISO_OK) {
    for (size_t i = 0; i < p->n; i++) FUZZ_CHECK(isfinite(p->count[i]) && p->count[i] > 0);
    population_free(p);
  }
  return 0;
}

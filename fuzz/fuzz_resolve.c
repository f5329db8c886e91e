/* fuzz_resolve.c — name resolution (geo_resolve): any text as a province
** name, in a 63-unit year and a 34-unit year. Check: a name resolved is a
** unit of that year's registry. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *name = fuzz_string(data, size);
  const geo_registry *reg = fuzz_registry();
  static const int years[] = {2024, 2025};
  for (int y = 0; y < 2; y++) {
    geo_match m;
    chiso_err err;
    if (geo_resolve(reg, years[y], name, &m, &err) == CHISO_OK)
      FUZZ_CHECK(m.unit && geo_find_code(reg, geo_era_for_year(years[y]), m.unit->code) == m.unit);
  }
  char *k = NULL;
  if (text_key(name, &k) == CHISO_OK) chiso_free(k);
  free(name);
  return 0;
}

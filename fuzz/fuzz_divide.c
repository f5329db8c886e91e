/* fuzz_divide.c — a province value table for the divide
** (divide/inequality: `chiso divide --values FILE`), then every measure
** on what it gives. The first byte picks the year and ranked-only. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int year = data[0] & 1 ? 2025 : 2024;
  inequality_vector *v = NULL;
  chiso_err err;
  if (inequality_vector_read(fuzz_file(0, data + 1, size - 1), fuzz_registry(), year, NULL,
                             (data[0] >> 1) & 1, &v, &err) == CHISO_OK)
    inequality_vector_free(v);
  return 0;
}

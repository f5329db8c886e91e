/* fuzz_uncspec.c — an uncertainty spec (uncertainty/montecarlo: `chiso
** uncertainty --spec FILE`, JSON). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  montecarlo_spec *s = NULL;
  chiso_err err;
  if (montecarlo_spec_parse((const char *)data, size, "fuzz.json", &s, &err) == CHISO_OK)
    montecarlo_spec_free(s);
  return 0;
}

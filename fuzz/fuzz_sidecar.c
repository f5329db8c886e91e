/* fuzz_sidecar.c — the FILE.meta.json beside a survey file, read at
** import to mark synthetic data (synth/synthfile). Check: the answer is 0
** or 1. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int yes = synthfile_sidecar_parse((const char *)data, size);
  FUZZ_CHECK(yes == 0 || yes == 1);
  return 0;
}

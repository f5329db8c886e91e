/* fuzz_rmodel.c — the report model JSON (report/rmodel: `chiso report
** --model`), then what a report does with a model: the bounds check and
** the CSV and JSON exports. Check: a model that passes the check is written
** as JSON that parses back and passes again. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = fuzz_string(data, size);
  rmodel *m = NULL;
  chiso_err err;
  fuzz_quiet();
  if (rmodel_parse_json(text, "fuzz.json", &m, &err) == CHISO_OK) {
    if (rmodel_check(m, &err) == CHISO_OK) {
      char *json = NULL;
      FUZZ_CHECK(rmodel_to_json(m, &json) == CHISO_OK);
      rmodel *back = NULL;
      FUZZ_CHECK(rmodel_parse_json(json, "back.json", &back, &err) == CHISO_OK);
      FUZZ_CHECK(rmodel_check(back, &err) == CHISO_OK);
      rmodel_free(back);
      chiso_free(json);
      FILE *f = fopen("/dev/null", "wb");
      FUZZ_CHECK(f != NULL);
      (void)export_csv(m, f, 1, &err);
      fclose(f);
    }
    rmodel_free(m);
  }
  free(text);
  return 0;
}

/* fuzz_ingest.c — the whole survey ingest (survey/ingest) against the
** shipped methodology ebi-2021 for 2024: header mapping, every coding rule,
** province resolution, the report. The first byte picks skip_invalid and
** the error limit; the rest is the file (CSV, or XLSX when it is a zip).
** Checks: a survey read has a province code and a finite weight > 0 for
** every row, and every answer is a finite number or NaN; every problem is
** located inside the file. */
#include "fuzz.h"

#include <math.h>

static methodology *method;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  chiso_err err;
  fuzz_quiet();
  if (methodology_load("ebi-2021", &method, &err) != CHISO_OK) abort();
  return 0;
}

static void check_survey(const survey_data *s) {
  FUZZ_CHECK(s->n > 0);
  for (size_t i = 0; i < s->n; i++) {
    FUZZ_CHECK(strlen(s->province[i]) == 2);
    if (s->weight) FUZZ_CHECK(isfinite(s->weight[i]) && s->weight[i] > 0);
    FUZZ_CHECK(s->stratum[i] >= 0 && (size_t)s->stratum[i] < s->n_strata);
  }
  for (size_t v = 0; v < s->n_vars; v++)
    for (size_t i = 0; i < s->n; i++) FUZZ_CHECK(!isinf(s->vars[v].values[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  if (!method) LLVMFuzzerInitialize(NULL, NULL);
  ingest_options o;
  memset(&o, 0, sizeof o);
  o.skip_invalid = data[0] & 1;
  o.max_errors = (data[0] >> 1) & 1 ? 5 : 0;
  const char *path = fuzz_file(0, data + 1, size - 1);
  survey_data *s = NULL;
  ingest_report *rep = NULL;
  chiso_err err;
  int rc = ingest_file(path, method->cb, fuzz_registry(), 2024, &o, &s, &rep, &err);
  if (rc == CHISO_OK) check_survey(s);
  FUZZ_CHECK(rep != NULL);
  for (size_t i = 0; i < rep->n_problems; i++) {
    char line[4096];
    FUZZ_CHECK(rep->problems[i].row >= 0 && rep->problems[i].col >= 0);
    ingest_problem_format(rep, &rep->problems[i], line, sizeof line);
  }
  survey_free(s);
  ingest_report_free(rep);
  return 0;
}

/* fuzz_plans.c — a plan file and an actuals file (divide/targets), then
** the judgement of every KPI against the actuals. The input is the two
** files separated by a line "====". */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const uint8_t *part[2];
  size_t len[2];
  size_t n = fuzz_split(data, size, "\n====\n", part, len, 2);
  chiso_err err;
  const geo_registry *reg = fuzz_registry();
  targets_plan_set *set = NULL;
  int rc = targets_plans_read(fuzz_file(0, part[0], len[0]), reg, &set, &err);
  targets_actuals *a = targets_actuals_new();
  FUZZ_CHECK(a != NULL);
  if (n > 1) (void)targets_actuals_read(fuzz_file(1, part[1], len[1]), reg,
                                        TARGETS_PRIO_EXTERNAL, a, &err);
  if (rc == CHISO_OK && set)
    for (size_t k = 0; k < set->n; k++) {
      targets_result r;
      targets_evaluate(&set->kpis[k], a, 2025, &r);
    }
  targets_actuals_free(a);
  targets_plans_free(set);
  return 0;
}

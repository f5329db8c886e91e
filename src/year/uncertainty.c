/* uncertainty.c — rows of an uncertainty analysis (uncertainty.h). */
#include "year/uncertainty.h"

#include "base/mem.h"

#include <math.h>
#include <string.h>

void uncertainty_rank_interval(const montecarlo_result *res, size_t i, int *lo, int *hi) {
  const montecarlo_unit *x = &res->unit[i];
  *lo = *hi = 0;
  if (!x->ranked) return;
  *lo = x->r.rank_lo95;
  *hi = x->r.rank_hi95;
  if (*lo < 1) *lo = 1;
}

uint64_t uncertainty_boot_seed(uint64_t seed) { return seed ^ 0xB0075EEDB0075EEDull; }

void uncertainty_year_free(uncertainty_year *u) {
  if (!u) return;
  montecarlo_result_free(&u->sampling);
  montecarlo_result_free(&u->crossed);
  memset(u, 0, sizeof *u);
}

int uncertainty_year_run(year_ctx *y, size_t R, size_t runs, uint64_t seed, int threads,
                         uncertainty_year *out, chiso_err *err) {
  montecarlo_spec *spec = NULL;
  geo_era era = year_own_era(y);
  memset(out, 0, sizeof *out);
  int rc = year_result_get(y, era, &out->nominal, err);
  if (!rc)
    rc = year_replicates_get(y, era, R, uncertainty_boot_seed(seed), threads, NULL, NULL, &out->rep,
                             err);
  if (!rc) rc = montecarlo_spec_default(out->nominal->model, 1, &spec, err);
  if (!rc) {
    montecarlo_setup su = {out->nominal->plan, spec, out->rep->tables, out->rep->n_replicates,
                           seed, threads, NULL, NULL, NULL, 0, 0};
    rc = montecarlo_sampling_analysis(&su, &out->sampling, err);
    if (!rc) rc = montecarlo_method_analysis(&su, runs, &out->crossed, err);
  }
  montecarlo_spec_free(spec);
  if (rc) uncertainty_year_free(out);
  return rc;
}

void uncertainty_year_intervals(const uncertainty_year *u, size_t i, double *score_lo, double *score_hi,
                           int *rank_lo, int *rank_hi) {
  const montecarlo_unit *x = &u->sampling.unit[i];
  *score_lo = x->ranked ? x->r.lo95 : NAN;
  *score_hi = x->ranked ? x->r.hi95 : NAN;
  uncertainty_rank_interval(&u->crossed, i, rank_lo, rank_hi);
}

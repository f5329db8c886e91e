/* uncout.c — rows of an uncertainty analysis (uncout.h). */
#include "year/uncertainty.h"

#include "io/csvwrite.h"
#include "base/mem.h"

#include <math.h>
#include <string.h>

const char *const uncertainty_columns[UNCERTAINTY_NCOL] = {
    "code", "name", "score", "score_lo", "score_hi", "rank", "rank_lo", "rank_hi",
    "p_top1", "p_top3", "p_top5", "p_top10", "p_above_mean", "rank_median", "rank_q05",
    "rank_q95", "mean_abs_shift", "se", "score_lo90", "score_hi90", "rank_lo90",
    "rank_hi90", "rank_sim_lo", "rank_sim_hi", "tied_group", "tied_size"};

void uncertainty_values(const montecarlo_result *res, size_t i, double *v) {
  const montecarlo_unit *u = &res->unit[i];
  const rankstat_unit *r = &u->r;
  int k = u->ranked, sim = k && res->inference;
  double row[UNCERTAINTY_NCOL - 2] = {
      r->score, r->lo95, r->hi95, k ? r->rank : NAN, k ? r->rank_lo95 : NAN,
      k ? r->rank_hi95 : NAN, r->p_top[0], r->p_top[1], r->p_top[2], r->p_top[3],
      r->p_above_mean, k ? u->rank.median : NAN, k ? u->rank.q05 : NAN, k ? u->rank.q95 : NAN,
      k ? u->rank.mean_abs_shift : NAN, r->se, r->lo90, r->hi90, k ? r->rank_lo90 : NAN,
      k ? r->rank_hi90 : NAN, sim ? r->sim_lo : NAN, sim ? r->sim_hi : NAN,
      k ? r->tied_group : NAN, k ? r->tied_size : NAN};
  memcpy(v, row, sizeof row);
}

int uncertainty_csv(const montecarlo_result *res, char *const *code, char *const *name, FILE *f) {
  if (csvwrite_row(f, uncertainty_columns, UNCERTAINTY_NCOL, 0)) return CHISO_EIO;
  for (size_t i = 0; i < res->n_units; i++) {
    double v[UNCERTAINTY_NCOL - 2];
    uncertainty_values(res, i, v);
    csvwrite_field(f, code[i], 1);
    csvwrite_field(f, name[i], 0);
    for (int c = 0; c < UNCERTAINTY_NCOL - 2; c++) csvwrite_number(f, v[c], 0);
    if (csvwrite_end_row(f, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

void uncertainty_rank_interval(const montecarlo_result *res, size_t i, int *lo, int *hi) {
  const montecarlo_unit *x = &res->unit[i];
  *lo = *hi = 0;
  if (!x->ranked) return;
  *lo = (int)floor(x->rank.q05);
  *hi = (int)ceil(x->rank.q95);
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
                           seed, threads, NULL, NULL};
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
  *score_lo = x->ranked ? x->r.lo90 : NAN;
  *score_hi = x->ranked ? x->r.hi90 : NAN;
  uncertainty_rank_interval(&u->crossed, i, rank_lo, rank_hi);
}

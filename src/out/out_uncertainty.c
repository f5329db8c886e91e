/* out_uncertainty.c — uncertainty and sensitivity results as a table, CSV
** or JSON (out_uncertainty.h). */
#include "out/out_uncertainty.h"

#include "base/mem.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Number of columns of a row (code and name included). */
#define NCOL 26

static const char *const columns[NCOL] = {
    "code", "name", "score", "score_lo", "score_hi", "rank", "rank_lo", "rank_hi",
    "p_top1", "p_top3", "p_top5", "p_top10", "p_above_mean", "rank_median", "rank_q05",
    "rank_q95", "mean_abs_shift", "se", "score_lo90", "score_hi90", "rank_lo90",
    "rank_hi90", "rank_sim_lo", "rank_sim_hi", "tied_group", "tied_size"};

static void unit_values(const montecarlo_result *res, size_t i, double *v) {
  const montecarlo_unit *u = &res->unit[i];
  const rankstat_unit *r = &u->r;
  int k = u->ranked, sim = k && res->inference;
  double row[NCOL - 2] = {
      r->score, r->lo95, r->hi95, k ? r->rank : NAN, k ? r->rank_lo95 : NAN,
      k ? r->rank_hi95 : NAN, r->p_top[0], r->p_top[1], r->p_top[2], r->p_top[3],
      r->p_above_mean, k ? u->rank.median : NAN, k ? u->rank.q05 : NAN, k ? u->rank.q95 : NAN,
      k ? u->rank.mean_abs_shift : NAN, r->se, r->lo90, r->hi90, k ? r->rank_lo90 : NAN,
      k ? r->rank_hi90 : NAN, sim ? r->sim_lo : NAN, sim ? r->sim_hi : NAN,
      k ? r->tied_group : NAN, k ? r->tied_size : NAN};
  memcpy(v, row, sizeof row);
}

static int unc_csv(const montecarlo_result *res, char *const *code, char *const *name, FILE *f) {
  if (csvwrite_row(f, columns, NCOL, 0)) return CHISO_EIO;
  for (size_t i = 0; i < res->n_units; i++) {
    double v[NCOL - 2];
    unit_values(res, i, v);
    csvwrite_field(f, code[i], 1);
    csvwrite_field(f, name[i], 0);
    for (int c = 0; c < NCOL - 2; c++) csvwrite_number(f, v[c], 0);
    if (csvwrite_end_row(f, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

/* The columns whose values are whole numbers by their meaning (ranks,
** group numbers and sizes): JSON integers, not reals. */
static int whole_column(int c) {
  static const char *const whole[] = {"rank", "rank_lo", "rank_hi", "rank_lo90", "rank_hi90",
                                      "rank_sim_lo", "rank_sim_hi", "tied_group", "tied_size"};
  for (size_t k = 0; k < sizeof whole / sizeof *whole; k++)
    if (strcmp(columns[c], whole[k]) == 0) return 1;
  return 0;
}

static int unc_json(const montecarlo_result *res, const idx_data *d, const char *analysis,
                    uint64_t seed, int synthetic, FILE *f) {
  json_t *root = json_object(), *units = json_array();
  json_object_set_new(root, "analysis", json_string(analysis));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  json_object_set_new(root, "runs", json_integer((json_int_t)res->runs));
  json_object_set_new(root, "seed", json_integer((json_int_t)seed));
  for (size_t i = 0; i < d->n_units; i++) {
    double v[NCOL - 2];
    unit_values(res, i, v);
    json_t *u = json_object();
    json_object_set_new(u, "code", json_string(d->code[i]));
    json_object_set_new(u, "name", json_string(d->name[i]));
    for (int c = 0; c < NCOL - 2; c++)
      json_object_set_new(u, columns[c + 2],
                          whole_column(c + 2) && isfinite(v[c]) ? json_integer((json_int_t)v[c])
                                                                : jsonio_number(v[c]));
    json_array_append_new(units, u);
  }
  json_object_set_new(root, "units", units);
  return jsonio_dump(root, f);
}

/* "LO-HI" with `decimals` digits, none when both ends would show as whole
** numbers (interpolated quantiles such as 27.9999 included). */
static void fmt_range(double lo, double hi, int decimals, char *buf, size_t n) {
  double half = 0.5 * pow(10, -decimals);
  if (fabs(lo - round(lo)) < half && fabs(hi - round(hi)) < half) decimals = 0;
  if (isnan(lo) || isnan(hi)) snprintf(buf, n, "%s", "");
  else snprintf(buf, n, "%.*f-%.*f", decimals, lo, decimals, hi);
}

static void fmt2(double v, char *buf, size_t n) {
  if (isnan(v)) snprintf(buf, n, "%s", "");
  else snprintf(buf, n, "%.2f", v);
}

static int unc_table(const montecarlo_result *res, const idx_data *d, FILE *f) {
  static const char *const head[] = {"rank", "code", "name", "score", "score 95%",
                                     "rank 95%", "median", "q5-q95", "P(top5)", "P(>mean)"};
  out_table *t = out_table_new(10, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; c < 10; c++) if (c != 1 && c != 2) out_table_right(t, c);
  int *rank = chiso_malloc((d->n_units ? d->n_units : 1) * sizeof *rank);
  size_t *order = chiso_malloc((d->n_units ? d->n_units : 1) * sizeof *order);
  int rc = rank && order ? CHISO_OK : CHISO_ENOMEM;
  for (size_t i = 0; !rc && i < d->n_units; i++) rank[i] = res->unit[i].ranked ? res->unit[i].r.rank : 0;
  if (!rc) out_table_rank_order(rank, d->n_units, order); /* people read by rank */
  for (size_t k = 0; !rc && k < d->n_units; k++) {
    size_t i = order[k];
    const montecarlo_unit *u = &res->unit[i];
    char c[8][32];
    snprintf(c[0], 32, "%d", u->r.rank);
    fmt2(u->r.score, c[1], 32);
    fmt_range(u->r.lo95, u->r.hi95, 2, c[2], 32);
    fmt_range(u->r.rank_lo95, u->r.rank_hi95, 0, c[3], 32);
    snprintf(c[4], 32, "%g", u->rank.median);
    fmt_range(u->rank.q05, u->rank.q95, 1, c[5], 32);
    snprintf(c[6], 32, "%.1f%%", 100 * u->r.p_top[2]); /* tables: percentages, CSV 0..1 */
    snprintf(c[7], 32, "%.1f%%", 100 * u->r.p_above_mean);
    const char *row[10] = {c[0], d->code[i], d->name[i], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
    if (!u->ranked) for (int k = 3; k < 10; k++) row[k] = k == 3 ? c[1] : "";
    if (!u->ranked) row[0] = "";
    rc = out_table_add(t, row);
  }
  if (!rc) rc = out_table_print(t, f);
  out_table_free(t);
  chiso_free(rank);
  chiso_free(order);
  return rc;
}

int out_uncertainty_write(const montecarlo_result *res, const idx_data *d, const char *analysis,
                          uint64_t seed, int synthetic, chiso_format fmt, FILE *f) {
  assert(res && d && analysis && f);
  return fmt == CHISO_FORMAT_CSV    ? unc_csv(res, d->code, d->name, f)
         : fmt == CHISO_FORMAT_JSON ? unc_json(res, d, analysis, seed, synthetic, f)
                                    : unc_table(res, d, f);
}

int out_uncertainty_csv(const montecarlo_result *res, const idx_data *d, FILE *f) {
  return unc_csv(res, d->code, d->name, f);
}

/* ---- sensitivity ------------------------------------------------------------ */

#define SNCOL 8
static const char *const sens_cols[SNCOL] = {"input", "si", "si_lo", "si_hi", "st", "st_lo", "st_hi", "n_base"};

/* Steps shown: only N, or N/4, N/2, N. */
static int first_step(int convergence) { return convergence ? 0 : SENSITIVITY_STEPS - 1; }

static void index_values(const sensitivity_index *x, double *v) {
  double row[6] = {x->si, x->si_lo, x->si_hi, x->st, x->st_lo, x->st_hi};
  memcpy(v, row, sizeof row);
}

static int sens_csv(const montecarlo_sobol *r, int convergence, FILE *f) {
  size_t k = r->sobol.n_inputs;
  if (csvwrite_row(f, sens_cols, convergence ? SNCOL : SNCOL - 1, 0)) return CHISO_EIO;
  for (int s = first_step(convergence); s < SENSITIVITY_STEPS; s++)
    for (size_t i = 0; i < k; i++) {
      double v[6];
      index_values(&r->sobol.idx[(size_t)s * k + i], v);
      csvwrite_field(f, r->names[i], 1);
      for (int c = 0; c < 6; c++) csvwrite_number(f, v[c], 0);
      if (convergence) csvwrite_number(f, (double)r->sobol.n_base[s], 0);
      if (csvwrite_end_row(f, 0)) return CHISO_EIO;
    }
  return CHISO_OK;
}

static int sens_json(const montecarlo_sobol *r, int convergence, uint64_t seed, int synthetic,
                     FILE *f) {
  size_t k = r->sobol.n_inputs;
  json_t *root = json_object(), *steps = json_array();
  json_object_set_new(root, "output", json_string("mean_abs_rank_shift"));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  json_object_set_new(root, "runs", json_integer((json_int_t)r->sobol.runs));
  json_object_set_new(root, "seed", json_integer((json_int_t)seed));
  json_object_set_new(root, "mean", jsonio_number(r->sobol.mean));
  json_object_set_new(root, "variance", jsonio_number(r->sobol.variance));
  for (int s = first_step(convergence); s < SENSITIVITY_STEPS; s++) {
    json_t *st = json_object(), *ins = json_array();
    json_object_set_new(st, "n_base", json_integer((json_int_t)r->sobol.n_base[s]));
    for (size_t i = 0; i < k; i++) {
      double v[6];
      index_values(&r->sobol.idx[(size_t)s * k + i], v);
      json_t *x = json_object();
      json_object_set_new(x, "input", json_string(r->names[i]));
      for (int c = 0; c < 6; c++) json_object_set_new(x, sens_cols[c + 1], jsonio_number(v[c]));
      json_array_append_new(ins, x);
    }
    json_object_set_new(st, "inputs", ins);
    json_array_append_new(steps, st);
  }
  json_object_set_new(root, "steps", steps);
  return jsonio_dump(root, f);
}

static int sens_table(const montecarlo_sobol *r, int convergence, FILE *f) {
  static const char *const head[] = {"input", "N", "first order S_i", "95% CI", "total S_Ti", "95% CI"};
  size_t k = r->sobol.n_inputs;
  out_table *t = out_table_new(6, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 1; c < 6; c++) out_table_right(t, c);
  int rc = CHISO_OK;
  for (int s = first_step(convergence); !rc && s < SENSITIVITY_STEPS; s++)
    for (size_t i = 0; !rc && i < k; i++) {
      const sensitivity_index *x = &r->sobol.idx[(size_t)s * k + i];
      char c[5][48];
      snprintf(c[0], 48, "%zu", r->sobol.n_base[s]);
      snprintf(c[1], 48, "%.3f", x->si);
      snprintf(c[2], 48, "%.3f to %.3f", x->si_lo, x->si_hi);
      snprintf(c[3], 48, "%.3f", x->st);
      snprintf(c[4], 48, "%.3f to %.3f", x->st_lo, x->st_hi);
      const char *row[6] = {r->names[i], c[0], c[1], c[2], c[3], c[4]};
      rc = out_table_add(t, row);
    }
  if (!rc) rc = out_table_print(t, f);
  out_table_free(t);
  if (!rc && fprintf(f, "\nIndices of the variance of the mean absolute rank shift (|rank - nominal "
                        "rank|) over the runs.\nIn theory 0 <= S_i <= S_Ti <= 1: a negative S_i "
                        "and intervals beyond [0, 1] are the sampling\nerror of the estimators "
                        "(Saltelli 2010, Jansen 1999); more --runs narrow them.\n") < 0)
    rc = CHISO_EIO;
  return rc;
}

int out_uncertainty_sobol(const montecarlo_sobol *r, int convergence, uint64_t seed,
                          int synthetic, chiso_format fmt, FILE *f) {
  assert(r && f);
  return fmt == CHISO_FORMAT_CSV    ? sens_csv(r, convergence, f)
         : fmt == CHISO_FORMAT_JSON ? sens_json(r, convergence, seed, synthetic, f)
                                    : sens_table(r, convergence, f);
}

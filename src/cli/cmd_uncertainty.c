/* cmd_uncertainty.c — `chiso uncertainty`: per-unit score and rank
** intervals from a Monte Carlo over method choices (docs/uncertainty.md). */
#include "unccli.h"

#include "idxcli.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso uncertainty (--imeta FILE | --method FILE|NAME) --data FILE\n"
    "                         [--spec FILE] [--runs N] [--seed S] [--threads T]\n"
    "                         [--format table|csv|json] [--out FILE]\n"
    "       chiso uncertainty --db DB --year Y [--method FILE|NAME]\n"
    "                         [--mode sampling|method|crossed] [--replicates R] ...\n\n"
    "Run the whole index N times (default 1000), each run drawing the uncertain\n"
    "method choices of the spec (default: +-25% weight noise at every level,\n"
    "minmax or zscore, arithmetic or geometric mean, winsorisation off or on),\n"
    "and report per unit the score and rank intervals.\n"
    "With --db, the year's stored survey is resampled: --mode sampling (the\n"
    "default) recomputes the whole index on R Rao-Wu bootstrap replicates\n"
    "(--replicates, default 500) of the province estimates, official indicators\n"
    "held fixed; --mode crossed draws a replicate and a method in each of the\n"
    "--runs runs; --mode method varies the method only.\n\n"
    "CSV columns: code,name,score,score_lo,score_hi,rank,rank_lo,rank_hi,\n"
    "  p_top1,p_top3,p_top5,p_top10,p_above_mean,rank_median,rank_q05,rank_q95,\n"
    "  mean_abs_shift,se,score_lo90,score_hi90,rank_lo90,rank_hi90,rank_sim_lo,rank_sim_hi,\n"
    "  tied_group,tied_size\n"
    "score_lo/hi and rank_lo/hi are 95% percentile intervals (empty score\n"
    "intervals when the normalisation varies: scores are then on different\n"
    "scales); rank_median, rank_q05, rank_q95 and mean_abs_shift are the\n"
    "COINr-style summary of the ranks; rank_sim_lo/hi are simultaneous 95%\n"
    "rank sets (Mogstad et al. 2024), given only with sampling uncertainty;\n"
    "tied_group numbers near-tie groups (1 = best): neighbours in the nominal\n"
    "order whose order is reversed in >= 2.5% of the runs share a group, of\n"
    "tied_size units.\n"
    "Same seed, same bytes, whatever --threads.\n";

static int print_csv(const idx_data *d, const montecarlo_result *res, FILE *f) {
  return uncertainty_csv(res, d->code, d->name, f);
}

static json_t *num(double v) {
  if (!isfinite(v)) return json_null();
  return v == floor(v) && fabs(v) < 1e15 ? json_integer((json_int_t)v) : json_real(v);
}

static int print_json(const idx_data *d, const montecarlo_result *res, const char *analysis,
                      const unccli_opts *o, const unccli_input *in, FILE *f) {
  json_t *root = json_object(), *units = json_array();
  json_object_set_new(root, "analysis", json_string(analysis));
  unccli_json_synthetic(root, in);
  json_object_set_new(root, "runs", json_integer((json_int_t)res->runs));
  json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
  for (size_t i = 0; i < d->n_units; i++) {
    double v[UNCERTAINTY_NCOL - 2];
    uncertainty_values(res, i, v);
    json_t *u = json_object();
    json_object_set_new(u, "code", json_string(d->code[i]));
    json_object_set_new(u, "name", json_string(d->name[i]));
    for (int c = 0; c < UNCERTAINTY_NCOL - 2; c++) json_object_set_new(u, uncertainty_columns[c + 2], num(v[c]));
    json_array_append_new(units, u);
  }
  json_object_set_new(root, "units", units);
  return unccli_dump_json(root, f);
}

/* "LO-HI" with `decimals` digits, none when both ends would show as whole
** numbers (interpolated quantiles such as 27.9999 included). */
static void fmt_range(double lo, double hi, int decimals, char *buf, size_t n) {
  double half = 0.5 * pow(10, -decimals);
  if (fabs(lo - round(lo)) < half && fabs(hi - round(hi)) < half) decimals = 0;
  if (isnan(lo) || isnan(hi)) snprintf(buf, n, "%s", "");
  else snprintf(buf, n, "%.*f-%.*f", decimals, lo, decimals, hi);
}

typedef struct out_ctx {
  const unccli_opts *o;
  const idx_data *d;
  const montecarlo_result *res;
  const char *analysis;
  const unccli_input *in;
} out_ctx;

static int print_table(const idx_data *d, const montecarlo_result *res, FILE *f) {
  static const char *const head[] = {"rank", "code", "name", "score", "score 95%",
                                     "rank 95%", "median", "q5-q95", "P(top5)", "P(>mean)"};
  cli_table *t = cli_table_new(10, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; c < 10; c++) if (c != 1 && c != 2) cli_table_right(t, c);
  for (size_t i = 0; i < d->n_units; i++) {
    const montecarlo_unit *u = &res->unit[i];
    char c[8][32];
    snprintf(c[0], 32, "%d", u->r.rank);
    idxcli_fmt(u->r.score, c[1], 32);
    fmt_range(u->r.lo95, u->r.hi95, 2, c[2], 32);
    fmt_range(u->r.rank_lo95, u->r.rank_hi95, 0, c[3], 32);
    snprintf(c[4], 32, "%g", u->rank.median);
    fmt_range(u->rank.q05, u->rank.q95, 1, c[5], 32);
    snprintf(c[6], 32, "%.1f%%", 100 * u->r.p_top[2]); /* tables: percentages, CSV 0..1 */
    snprintf(c[7], 32, "%.1f%%", 100 * u->r.p_above_mean);
    const char *row[10] = {c[0], d->code[i], d->name[i], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
    if (!u->ranked) for (int k = 3; k < 10; k++) row[k] = k == 3 ? c[1] : "";
    if (!u->ranked) row[0] = "";
    if (cli_table_add(t, row)) { cli_table_free(t); return CHISO_ENOMEM; }
  }
  cli_table_print(t, f);
  cli_table_free(t);
  return CHISO_OK;
}

static int print_any(FILE *f, const void *ud) {
  const out_ctx *c = ud;
  return c->o->fmt == CLI_CSV    ? print_csv(c->d, c->res, f)
         : c->o->fmt == CLI_JSON ? print_json(c->d, c->res, c->analysis, c->o, c->in, f)
                                 : print_table(c->d, c->res, f);
}

CHISO_COMMAND(uncertainty, "Score and rank intervals from method choices (and survey sampling)")
{
  unccli_opts o;
  int rc = unccli_parse("uncertainty", help, argc, argv, 1000, &o);
  if (rc) return rc < 0 ? 0 : rc;
  unccli_default_mode(&o, UNCCLI_SAMPLING);
  unccli_input in;
  if ((rc = unccli_load("uncertainty", &o, &in))) return rc;
  montecarlo_setup s;
  unccli_setup(&o, &in, &s);
  montecarlo_result res;
  chiso_err err;
  chiso_err_clear(&err);
  const char *analysis = o.mode == UNCCLI_SAMPLING ? "sampling" : o.mode == UNCCLI_BOTH ? "crossed" : "method";
  rc = o.mode == UNCCLI_SAMPLING ? montecarlo_sampling_analysis(&s, &res, &err)
                                 : montecarlo_method_analysis(&s, (size_t)o.runs, &res, &err);
  out_ctx oc = {&o, in.data, &res, analysis, &in};
  if (rc) rc = cli_report("uncertainty", rc, &err);
  else rc = unccli_write("uncertainty", &o, &in, print_any, &oc);
  montecarlo_result_free(&res);
  unccli_input_free(&in);
  return rc;
}

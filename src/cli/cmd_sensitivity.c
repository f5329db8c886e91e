/* cmd_sensitivity.c — `chiso sensitivity`: Sobol first-order and total
** indices of the rank shifts for each uncertain method input. */
#include "unccli.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static const char help[] =
    "Usage: chiso sensitivity (--imeta FILE | --method FILE|NAME) --data FILE\n"
    "                         [--spec FILE] [--runs N] [--seed S] [--threads T]\n"
    "                         [--convergence] [--format table|csv|json] [--out FILE]\n"
    "       chiso sensitivity --db DB --year Y [--method FILE|NAME] [--mode crossed|method]\n"
    "                         [--replicates R] ...\n\n"
    "Sobol sensitivity of the mean absolute rank shift (from the nominal ranks)\n"
    "to each uncertain input of the spec (default as `chiso uncertainty`):\n"
    "Saltelli (2010) design on Sobol points with N base rows (--runs, default\n"
    "1024; N(k+2) index runs for k inputs), Jansen estimators, 95% bootstrap CIs.\n"
    "With --db the default spec adds the survey bootstrap replicate (R Rao-Wu\n"
    "replicates of the stored year, --replicates, default 500) as one more input\n"
    "named \"sampling\" (--mode crossed, the default); --mode method leaves it out.\n\n"
    "CSV columns: input,si,si_lo,si_hi,st,st_lo,st_hi — one row per input at N.\n"
    "--convergence adds a column n_base and rows at N/4 and N/2 (then N).\n"
    "Same seed, same bytes, whatever --threads.\n";

#define NCOL 8
static const char *const cols[NCOL] = {"input", "si", "si_lo", "si_hi", "st", "st_lo", "st_hi", "n_base"};

/* Steps shown: only N, or N/4, N/2, N. */
static int first_step(const unccli_opts *o) { return o->convergence ? 0 : SENSITIVITY_STEPS - 1; }

static void index_values(const sensitivity_index *x, double *v) {
  double row[6] = {x->si, x->si_lo, x->si_hi, x->st, x->st_lo, x->st_hi};
  memcpy(v, row, sizeof row);
}

static int print_csv(const unccli_opts *o, const montecarlo_sobol *r, FILE *f) {
  size_t k = r->sobol.n_inputs;
  if (csvwrite_row(f, cols, o->convergence ? NCOL : NCOL - 1, 0)) return CHISO_EIO;
  for (int s = first_step(o); s < SENSITIVITY_STEPS; s++)
    for (size_t i = 0; i < k; i++) {
      double v[6];
      index_values(&r->sobol.idx[(size_t)s * k + i], v);
      csvwrite_field(f, r->names[i], 1);
      for (int c = 0; c < 6; c++) csvwrite_number(f, v[c], 0);
      if (o->convergence) csvwrite_number(f, (double)r->sobol.n_base[s], 0);
      if (csvwrite_end_row(f, 0)) return CHISO_EIO;
    }
  return CHISO_OK;
}

static int print_json(const unccli_opts *o, const montecarlo_sobol *r, const unccli_input *in, FILE *f) {
  size_t k = r->sobol.n_inputs;
  json_t *root = json_object(), *steps = json_array();
  json_object_set_new(root, "output", json_string("mean_abs_rank_shift"));
  unccli_json_synthetic(root, in);
  json_object_set_new(root, "runs", json_integer((json_int_t)r->sobol.runs));
  json_object_set_new(root, "seed", json_integer((json_int_t)o->seed));
  json_object_set_new(root, "mean", json_real(r->sobol.mean));
  json_object_set_new(root, "variance", json_real(r->sobol.variance));
  for (int s = first_step(o); s < SENSITIVITY_STEPS; s++) {
    json_t *st = json_object(), *ins = json_array();
    json_object_set_new(st, "n_base", json_integer((json_int_t)r->sobol.n_base[s]));
    for (size_t i = 0; i < k; i++) {
      double v[6];
      index_values(&r->sobol.idx[(size_t)s * k + i], v);
      json_t *x = json_object();
      json_object_set_new(x, "input", json_string(r->names[i]));
      for (int c = 0; c < 6; c++) json_object_set_new(x, cols[c + 1], isfinite(v[c]) ? json_real(v[c]) : json_null());
      json_array_append_new(ins, x);
    }
    json_object_set_new(st, "inputs", ins);
    json_array_append_new(steps, st);
  }
  json_object_set_new(root, "steps", steps);
  return unccli_dump_json(root, f);
}

static int print_table(const unccli_opts *o, const montecarlo_sobol *r, FILE *f) {
  static const char *const head[] = {"input", "N", "first order S_i", "95% CI", "total S_Ti", "95% CI"};
  size_t k = r->sobol.n_inputs;
  cli_table *t = cli_table_new(6, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 1; c < 6; c++) cli_table_right(t, c);
  for (int s = first_step(o); s < SENSITIVITY_STEPS; s++)
    for (size_t i = 0; i < k; i++) {
      const sensitivity_index *x = &r->sobol.idx[(size_t)s * k + i];
      char c[5][48];
      snprintf(c[0], 48, "%zu", r->sobol.n_base[s]);
      snprintf(c[1], 48, "%.3f", x->si);
      snprintf(c[2], 48, "%.3f to %.3f", x->si_lo, x->si_hi);
      snprintf(c[3], 48, "%.3f", x->st);
      snprintf(c[4], 48, "%.3f to %.3f", x->st_lo, x->st_hi);
      const char *row[6] = {r->names[i], c[0], c[1], c[2], c[3], c[4]};
      if (cli_table_add(t, row)) { cli_table_free(t); return CHISO_ENOMEM; }
    }
  cli_table_print(t, f);
  cli_table_free(t);
  return CHISO_OK;
}

typedef struct out_ctx {
  const unccli_opts *o;
  const montecarlo_sobol *r;
  const unccli_input *in;
} out_ctx;

static int print_any(FILE *f, const void *ud) {
  const out_ctx *c = ud;
  return c->o->fmt == CLI_CSV    ? print_csv(c->o, c->r, f)
         : c->o->fmt == CLI_JSON ? print_json(c->o, c->r, c->in, f)
                                 : print_table(c->o, c->r, f);
}

CHISO_COMMAND(sensitivity, "Sobol sensitivity indices of the ranks to method choices")
{
  unccli_opts o;
  int rc = unccli_parse("sensitivity", help, argc, argv, 1024, &o);
  if (rc) return rc < 0 ? 0 : rc;
  unccli_default_mode(&o, UNCCLI_BOTH);
  if (o.mode == UNCCLI_SAMPLING)
    return cli_usage_error("sensitivity", "--mode sampling has no method inputs; use crossed");
  if (o.runs < 8) return cli_usage_error("sensitivity", "--runs (base rows N) must be at least 8");
  unccli_input in;
  if ((rc = unccli_load("sensitivity", &o, &in))) return rc;
  montecarlo_setup s;
  unccli_setup(&o, &in, &s);
  montecarlo_sobol res;
  chiso_err err;
  chiso_err_clear(&err);
  rc = montecarlo_sensitivity(&s, (size_t)o.runs, 0, &res, &err);
  out_ctx oc = {&o, &res, &in};
  rc = rc ? cli_report("sensitivity", rc, &err) : unccli_write("sensitivity", &o, &in, print_any, &oc);
  montecarlo_sobol_free(&res);
  unccli_input_free(&in);
  return rc;
}

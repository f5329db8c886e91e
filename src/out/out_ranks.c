/* out_ranks.c — rank sets from estimates and covariance (out_ranks.h). */
#include "out/out_ranks.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

static int set_lo(const rankstat_param_unit *u, const out_ranks_info *in) { return in->marginal ? u->marg_lo : u->sim_lo; }
static int set_hi(const rankstat_param_unit *u, const out_ranks_info *in) { return in->marginal ? u->marg_hi : u->sim_hi; }

static int write_json(char *const *code, char *const *name, const double *x, const double *se, size_t n,
                      const rankstat_param_unit *u, const out_ranks_info *in, FILE *f) {
  json_t *root = json_object(), *units = json_array();
  json_object_set_new(root, "method", json_string("Mogstad, Romano, Shaikh & Wilhelm (2024), parametric bootstrap"));
  json_object_set_new(root, "coverage", json_real(in->coverage));
  json_object_set_new(root, "sets", json_string(in->marginal ? "marginal" : "simultaneous"));
  json_object_set_new(root, "stepdown", json_boolean(in->stepdown));
  json_object_set_new(root, "draws", json_integer((json_int_t)in->draws));
  json_object_set_new(root, "seed", json_integer((json_int_t)in->seed));
  if (in->tau) json_object_set_new(root, "tau", json_integer(in->tau));
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object(), *p = json_object();
    json_object_set_new(o, "code", json_string(code[i]));
    json_object_set_new(o, "name", json_string(name[i]));
    json_object_set_new(o, "estimate", jsonio_number(x[i]));
    json_object_set_new(o, "se", jsonio_number(se[i]));
    json_object_set_new(o, "rank", json_integer(u[i].rank));
    json_object_set_new(o, "L", json_integer(set_lo(&u[i], in)));
    json_object_set_new(o, "U", json_integer(set_hi(&u[i], in)));
    json_object_set_new(o, "L_marginal", json_integer(u[i].marg_lo));
    json_object_set_new(o, "U_marginal", json_integer(u[i].marg_hi));
    for (int t = 0; t < RANKSTAT_NTOP; t++) {
      char k[16];
      snprintf(k, sizeof k, "%d", rankstat_top_k[t]);
      json_object_set_new(p, k, jsonio_number(u[i].p_top[t]));
    }
    if (in->tau) {
      char k[16];
      snprintf(k, sizeof k, "%d", in->tau);
      json_object_set_new(p, k, jsonio_number(u[i].p_top_tau));
      json_object_set_new(o, "tau_best", json_boolean(u[i].tau_best));
      json_object_set_new(o, "tau_worst", json_boolean(u[i].tau_worst));
    }
    json_object_set_new(o, "p_top", p);
    json_array_append_new(units, o);
  }
  json_object_set_new(root, "units", units);
  return jsonio_dump(root, f);
}

static int write_csv(char *const *code, char *const *name, const double *x, const double *se, size_t n,
                     const rankstat_param_unit *u, const out_ranks_info *in, FILE *f) {
  static const char *const head[] = {"code", "name", "estimate", "se", "rank", "L", "U",
                                     "p_top1", "p_top3", "p_top5", "p_top10"};
  for (size_t c = 0; c < 11; c++) csvwrite_field(f, head[c], c == 0);
  if (in->tau) {
    csvwrite_field(f, "p_top_tau", 0);
    csvwrite_field(f, "tau_best", 0);
    csvwrite_field(f, "tau_worst", 0);
  }
  csvwrite_end_row(f, 0);
  for (size_t i = 0; i < n; i++) {
    char b[3][16];
    snprintf(b[0], 16, "%d", u[i].rank);
    snprintf(b[1], 16, "%d", set_lo(&u[i], in));
    snprintf(b[2], 16, "%d", set_hi(&u[i], in));
    csvwrite_field(f, code[i], 1);
    csvwrite_field(f, name[i], 0);
    csvwrite_number(f, x[i], 0);
    csvwrite_number(f, se[i], 0);
    for (int k = 0; k < 3; k++) csvwrite_field(f, b[k], 0);
    for (int t = 0; t < RANKSTAT_NTOP; t++) csvwrite_number(f, u[i].p_top[t], 0);
    if (in->tau) {
      csvwrite_number(f, u[i].p_top_tau, 0);
      csvwrite_field(f, u[i].tau_best ? "1" : "0", 0);
      csvwrite_field(f, u[i].tau_worst ? "1" : "0", 0);
    }
    if (csvwrite_end_row(f, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int write_table(char *const *code, char *const *name, const double *x, const double *se, size_t n,
                       const rankstat_param_unit *u, const out_ranks_info *in, FILE *f) {
  const char *head[] = {"rank", "code", "name", "estimate", "se", in->marginal ? "marginal set" : "simultaneous set",
                        "P(top 1)", "P(top 3)", "P(top 5)", "P(top 10)", "tau-best", "tau-worst"};
  int nc = in->tau ? 12 : 10;
  out_table *t = out_table_new(nc, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 3; c < 10; c++) out_table_right(t, c);
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    char c[10][32];
    const char *row[12];
    snprintf(c[0], 32, "%d", u[i].rank);
    snprintf(c[1], 32, "%.4g", x[i]);
    snprintf(c[2], 32, "%.4g", se[i]);
    if (set_lo(&u[i], in) == set_hi(&u[i], in)) snprintf(c[3], 32, "%d", set_lo(&u[i], in));
    else snprintf(c[3], 32, "%d-%d", set_lo(&u[i], in), set_hi(&u[i], in));
    for (int k = 0; k < RANKSTAT_NTOP; k++) snprintf(c[4 + k], 32, "%.1f%%", 100 * u[i].p_top[k]);
    row[0] = c[0]; row[1] = code[i]; row[2] = name[i]; row[3] = c[1]; row[4] = c[2]; row[5] = c[3];
    for (int k = 0; k < 4; k++) row[6 + k] = c[4 + k];
    row[10] = u[i].tau_best ? "yes" : "";
    row[11] = u[i].tau_worst ? "yes" : "";
    rc = out_table_add(t, row);
  }
  if (!rc) rc = out_table_print(t, f);
  out_table_free(t);
  return rc;
}

int out_ranks_write(char *const *code, char *const *name, const double *x, const double *se,
                    size_t n, const rankstat_param_unit *u, const out_ranks_info *info,
                    chiso_format fmt, FILE *f) {
  assert(code && name && x && se && u && info && f);
  return fmt == CHISO_FORMAT_JSON  ? write_json(code, name, x, se, n, u, info, f)
         : fmt == CHISO_FORMAT_CSV ? write_csv(code, name, x, se, n, u, info, f)
                                   : write_table(code, name, x, se, n, u, info, f);
}

/* chiso_ranks.c — the public API: rank confidence sets from estimates and
** standard errors or a covariance matrix alone (chiso.h; docs/uncertainty.md
** §2b), reading the input tables. */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "io/csvtable.h"
#include "io/number.h"
#include "out/out_ranks.h"
#include "uncertainty/rankstat.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void chiso_ranks_options_init(chiso_ranks_options *o) {
  memset(o, 0, sizeof *o);
  o->coverage = 0.95;
  o->draws = 1000;
  o->seed = 1;
}

typedef struct input {
  csvtable *t, *c;
  size_t n;
  char **code, **name;
  double *x, *se, *cov;
} input;

static void input_clear(input *in) {
  csvtable_free(in->t);
  csvtable_free(in->c);
  chiso_free(in->code);
  chiso_free(in->name);
  chiso_free(in->x);
  chiso_free(in->se);
  chiso_free(in->cov);
}

static int first_col(const csvtable *t, const char *const *names) {
  for (; *names; names++) {
    int c = csvtable_col(t, *names);
    if (c >= 0) return c;
  }
  return -1;
}

/* A number of cell (r, c), located on error. */
static int cell_number(const csvtable *t, size_t r, int c, double *v, chiso_err *err) {
  if (number_parse_data(csvtable_cell(t, r, c), v) == NUMBER_OK && isfinite(*v)) return CHISO_OK;
  return chiso_err_at(err, CHISO_EDATA, t->name, t->line[r], c + 1, "%s: not a number: \"%s\"",
                      t->header[c], csvtable_cell(t, r, c));
}

/* The units: code (code, uCode, unit, or the first column), name (name,
** uName; else the code), the estimate column. */
static int read_units(const chiso_ranks_options *o, input *in, chiso_err *err) {
  static const char *const codes[] = {"code", "uCode", "unit", 0}, *const names[] = {"name", "uName", 0};
  int rc = csvtable_read(o->data, &in->t, err);
  if (rc) return rc;
  const csvtable *t = in->t;
  int cc = first_col(t, codes), cn = first_col(t, names);
  int cx = csvtable_col(t, o->estimate ? o->estimate : "estimate");
  if (cc < 0) cc = 0;
  if (cx < 0)
    return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "no column '%s' of estimates",
                        o->estimate ? o->estimate : "estimate");
  in->n = t->n_rows;
  in->code = chiso_calloc(in->n + 1, sizeof *in->code);
  in->name = chiso_calloc(in->n + 1, sizeof *in->name);
  in->x = chiso_malloc((in->n + 1) * sizeof *in->x);
  in->se = chiso_malloc((in->n + 1) * sizeof *in->se);
  in->cov = chiso_calloc(in->n * in->n + 1, sizeof *in->cov);
  if (!in->code || !in->name || !in->x || !in->se || !in->cov) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t r = 0; r < in->n && !rc; r++) {
    in->code[r] = (char *)csvtable_cell(t, r, cc);
    in->name[r] = (char *)(cn >= 0 && *csvtable_cell(t, r, cn) ? csvtable_cell(t, r, cn) : in->code[r]);
    if (!*in->code[r]) rc = chiso_err_at(err, CHISO_EDATA, t->name, t->line[r], cc + 1, "empty unit code");
    for (size_t q = 0; q < r && !rc; q++)
      if (!strcmp(in->code[q], in->code[r]))
        rc = chiso_err_at(err, CHISO_EDATA, t->name, t->line[r], cc + 1, "unit '%s' repeats", in->code[r]);
    if (!rc) rc = cell_number(t, r, cx, &in->x[r], err);
  }
  return rc;
}

/* Standard errors from the data's se column: a diagonal covariance. */
static int read_se(const chiso_ranks_options *o, input *in, chiso_err *err) {
  const csvtable *t = in->t;
  int cs = csvtable_col(t, o->se ? o->se : "se");
  if (cs < 0)
    return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "no column '%s' of standard errors (or give a covariance matrix)",
                        o->se ? o->se : "se");
  int rc = CHISO_OK;
  for (size_t r = 0; r < in->n && !rc; r++) {
    rc = cell_number(t, r, cs, &in->se[r], err);
    if (!rc && !(in->se[r] >= 0))
      rc = chiso_err_at(err, CHISO_EDATA, t->name, t->line[r], cs + 1, "a standard error must be >= 0");
    in->cov[r * in->n + r] = in->se[r] * in->se[r];
  }
  return rc;
}

/* The covariance matrix: a row per unit (first column its code), a column
** per unit named by its code, in any order. */
static int read_cov(const chiso_ranks_options *o, input *in, chiso_err *err) {
  int rc = csvtable_read_blank(o->cov, 1, &in->c, err);
  if (rc) return rc;
  const csvtable *c = in->c;
  size_t n = in->n;
  int *col = chiso_malloc((n + 1) * sizeof *col);
  unsigned char *seen = chiso_calloc(n + 1, 1);
  if (!col || !seen) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t k = 0; !rc && k < n; k++)
    if ((col[k] = csvtable_col(c, in->code[k])) < 1)
      rc = chiso_err_at(err, CHISO_EDATA, c->name, 1, 0, "no column for unit '%s'", in->code[k]);
  if (!rc && c->n_rows != n)
    rc = chiso_err_at(err, CHISO_EDATA, c->name, 0, 0, "%zu rows for %zu units", c->n_rows, n);
  for (size_t r = 0; !rc && r < c->n_rows; r++) {
    size_t j = n;
    for (size_t q = 0; q < n; q++)
      if (!strcmp(csvtable_cell(c, r, 0), in->code[q])) j = q;
    if (j == n || seen[j]) {
      rc = chiso_err_at(err, CHISO_EDATA, c->name, c->line[r], 1, "unit '%s' is %s", csvtable_cell(c, r, 0),
                        j == n ? "not in the estimates" : "on two rows");
      break;
    }
    seen[j] = 1;
    for (size_t k = 0; !rc && k < n; k++) rc = cell_number(c, r, col[k], &in->cov[j * n + k], err);
  }
  for (size_t j = 0; !rc && j < n; j++) in->se[j] = sqrt(fmax(in->cov[j * n + j], 0));
  chiso_free(col);
  chiso_free(seen);
  return rc;
}

int chiso_ranks_write(const chiso_ranks_options *o, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(o && out);
  if (!o->data) return chiso_err_set(err, CHISO_EUSAGE, "a table of estimates is required");
  input in;
  memset(&in, 0, sizeof in);
  rankstat_param_unit *u = NULL;
  int rc = read_units(o, &in, err);
  if (!rc) rc = o->cov ? read_cov(o, &in, err) : read_se(o, &in, err);
  if (!rc && !(u = chiso_calloc(in.n + 1, sizeof *u))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rankstat_param_options po = {o->coverage, o->single_step, o->draws, o->seed, o->lower_is_better, o->tau};
  if (!rc) rc = rankstat_parametric(in.x, in.cov, in.n, &po, u, err);
  out_ranks_info info = {o->coverage > 0 ? o->coverage : 0.95, !o->single_step, o->marginal, o->tau,
                         o->lower_is_better, o->draws ? o->draws : 1000, o->seed};
  if (!rc)
    rc = chiso_err_ensure(err, out_ranks_write(in.code, in.name, in.x, in.se, in.n, u, &info, fmt, out),
                          "cannot write the rank sets");
  chiso_free(u);
  input_clear(&in);
  return rc;
}

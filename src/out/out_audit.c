/* out_audit.c — the statistical audit of an index run as a table, CSV or
** JSON (out_audit.h). The statistics are in audit.h. */
#include "out/out_audit.h"

#include "index/weights.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "index/audit.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct arows { json_t *list; } arows;

static void add(arows *a, const char *section, const char *id, const char *parent,
                const char *measure, double v) {
  json_t *o = json_object();
  json_object_set_new(o, "section", json_string(section));
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "parent", json_string(parent ? parent : ""));
  json_object_set_new(o, "measure", json_string(measure));
  json_object_set_new(o, "value", jsonio_number(v));
  json_array_append_new(a->list, o);
}

static void describe(const idx_model *m, const idx_data *d, arows *a) {
  for (size_t k = 0; k < m->n_ind; k++) {
    audit_desc s;
    audit_describe(d->values + k * d->n_units, d->n_units, &s);
    const char *id = m->nodes[k].id, *par = m->nodes[m->nodes[k].parent].id;
    const char *names[] = {"n", "missing_pct", "min", "max", "mean", "sd", "skew", "kurtosis", "outlier"};
    double vals[] = {(double)s.n, s.missing_pct, s.min, s.max, s.mean, s.sd, s.skew, s.kurt, s.outlier};
    for (int j = 0; j < 9; j++) add(a, "indicator", id, par, names[j], vals[j]);
  }
}

static void correlations(const idx_model *m, const idx_workspace *ws, size_t U, arows *a) {
  const double *s = idx_scores(ws), *root = s + (size_t)m->root * U;
  for (size_t n = 0; n < m->n_nodes; n++) {
    if ((int)n == m->root) continue;
    const idx_node *nd = &m->nodes[n];
    const double *x = s + n * U, *par = s + (size_t)nd->parent * U;
    double sp_p = NAN, sp_i = NAN;
    audit_spearman(x, par, U, &sp_p);
    audit_spearman(x, root, U, &sp_i);
    const char *pid = m->nodes[nd->parent].id;
    add(a, "correlation", nd->id, pid, "pearson_parent", audit_pearson(x, par, U));
    add(a, "correlation", nd->id, pid, "spearman_parent", sp_p);
    add(a, "correlation", nd->id, pid, "pearson_index", audit_pearson(x, root, U));
    add(a, "correlation", nd->id, pid, "spearman_index", sp_i);
  }
}

/* Alpha of every aggregate; PCA of every pillar (children all indicators). */
static void alpha_pca(const idx_model *m, const idx_workspace *ws, size_t U, arows *a,
                      double *pca_w, double *pca_l) {
  const double *s = idx_scores(ws);
  for (size_t n = m->n_ind; n < m->n_nodes; n++) {
    const idx_node *nd = &m->nodes[n];
    size_t k = (size_t)nd->n_children, used = 0;
    const double **cols = chiso_malloc(sizeof(double *) * (k ? k : 1));
    double *ve = chiso_malloc(sizeof(double) * (k ? k : 1)), *ld = chiso_malloc(sizeof(double) * (k ? k : 1));
    int pillar = 1;
    for (size_t j = 0; j < k; j++) {
      int c = m->children[nd->first_child + (int)j];
      cols[j] = s + (size_t)c * U;
      pillar &= m->nodes[c].is_indicator;
    }
    add(a, "alpha", nd->id, "", "cronbach_alpha", audit_cronbach(cols, k, U));
    chiso_err err;
    if (pillar && k >= 2 && audit_pca(cols, k, U, ve, ld, &used, &err) == 0) {
      add(a, "pca", nd->id, "", "n_used", (double)used);
      add(a, "pca", nd->id, "", "variance_pc1", ve[0]);
      for (size_t j = 0; j < k; j++) {
        int c = m->children[nd->first_child + (int)j];
        add(a, "pca", m->nodes[c].id, nd->id, "loading_pc1", ld[j]);
        pca_l[c] = ld[j];
        pca_w[c] = ld[j] > 0 ? ld[j] : NAN;
      }
    }
    chiso_free(cols);
    chiso_free(ve);
    chiso_free(ld);
  }
}

static int print_rows(const arows *a, chiso_format fmt, FILE *f) {
  if (fmt == CHISO_FORMAT_JSON) return jsonio_dump(json_incref(a->list), f);
  const char *head[] = {"section", "id", "parent", "measure", "value"};
  out_table *t = fmt == CHISO_FORMAT_TABLE ? out_table_new(5, head) : NULL;
  if (fmt == CHISO_FORMAT_TABLE && !t) return CHISO_ENOMEM;
  if (fmt == CHISO_FORMAT_CSV) csvwrite_row(f, head, 5, 0);
  else out_table_right(t, 4);
  int rc = CHISO_OK;
  size_t i;
  json_t *o;
  json_array_foreach(a->list, i, o) {
    double v = json_is_null(json_object_get(o, "value")) ? NAN : json_real_value(json_object_get(o, "value"));
    char num[40];
    const char *measure = json_string_value(json_object_get(o, "measure"));
    /* Tables show counts and flags as whole numbers; CSV keeps every digit. */
    int whole = !strcmp(measure, "n") || !strcmp(measure, "outlier");
    if (isnan(v)) num[0] = '\0';
    else snprintf(num, sizeof num, fmt == CHISO_FORMAT_CSV ? "%.17g" : whole ? "%.0f" : "%.4f", v);
    const char *row[] = {json_string_value(json_object_get(o, "section")),
                         json_string_value(json_object_get(o, "id")),
                         json_string_value(json_object_get(o, "parent")),
                         measure, num};
    if (t) rc = rc ? rc : out_table_add(t, row);
    else if (csvwrite_row(f, row, 5, 0)) rc = CHISO_EIO;
  }
  if (t && !rc) rc = out_table_print(t, f);
  out_table_free(t);
  return rc;
}

static int print_weights(const idx_model *m, const double *w, const double *l, FILE *f) {
  const char *head[] = {"iCode", "Weight", "loading", "note"};
  csvwrite_row(f, head, 4, 0);
  for (size_t k = 0; k < m->n_nodes; k++) {
    if (isnan(l[k])) continue;
    csvwrite_field(f, m->nodes[k].id, 1);
    csvwrite_number(f, isnan(w[k]) ? m->nodes[k].weight : w[k], 0);
    csvwrite_number(f, l[k], 0);
    csvwrite_field(f, isnan(w[k]) ? "negative loading: weight kept from the methodology" : "", 0);
    if (csvwrite_end_row(f, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

/* ---- effective and optimised weights ------------------------------------- */

static int weight_rows(const idx_model *m, const char *const *head, int nh, const double *cols[],
                       int nc, const int *show, chiso_format fmt, FILE *f) {
  if (fmt == CHISO_FORMAT_JSON) {
    json_t *a = json_array();
    for (size_t k = 0; k < m->n_nodes; k++) {
      if (show && !show[k]) continue;
      json_t *o = json_object();
      json_object_set_new(o, head[0], json_string(m->nodes[k].id));
      json_object_set_new(o, head[1], json_integer(m->nodes[k].level));
      json_object_set_new(o, head[2], m->nodes[k].parent >= 0 ? json_string(m->nodes[m->nodes[k].parent].id) : json_null());
      for (int c = 0; c < nc; c++) json_object_set_new(o, head[3 + c], jsonio_number(cols[c][k]));
      json_array_append_new(a, o);
    }
    return jsonio_dump(a, f);
  }
  out_table *t = fmt == CHISO_FORMAT_TABLE ? out_table_new((size_t)nh, head) : NULL;
  if (fmt == CHISO_FORMAT_TABLE && !t) return CHISO_ENOMEM;
  if (t) for (int c = 0; c < nc; c++) out_table_right(t, 3 + c);
  if (!t) csvwrite_row(f, head, (size_t)nh, 0);
  int rc = CHISO_OK;
  for (size_t k = 0; !rc && k < m->n_nodes; k++) {
    if (show && !show[k]) continue;
    char lv[16], num[8][40];
    const char *row[11];
    snprintf(lv, sizeof lv, "%d", m->nodes[k].level);
    row[0] = m->nodes[k].id;
    row[1] = lv;
    row[2] = m->nodes[k].parent >= 0 ? m->nodes[m->nodes[k].parent].id : "";
    for (int c = 0; c < nc && c < 8; c++) {
      if (isnan(cols[c][k])) num[c][0] = '\0';
      else snprintf(num[c], sizeof num[c], t ? "%.4f" : "%.17g", cols[c][k]);
      row[3 + c] = num[c];
    }
    if (t) rc = out_table_add(t, row);
    else if (csvwrite_row(f, row, (size_t)nh, 0)) rc = CHISO_EIO;
  }
  if (t && !rc) rc = out_table_print(t, f);
  out_table_free(t);
  return rc;
}

int out_audit_effective(const idx_plan *p, const double *w, chiso_format fmt, FILE *f) {
  assert(p && f);
  const idx_model *m = idx_plan_model(p);
  double *eff = chiso_malloc(m->n_nodes * sizeof *eff), *wt = chiso_malloc(m->n_nodes * sizeof *wt);
  int rc = eff && wt ? CHISO_OK : CHISO_ENOMEM;
  if (!rc) {
    for (size_t k = 0; k < m->n_nodes; k++) wt[k] = w ? w[k] : m->nodes[k].weight;
    weights_effective(m, wt, eff);
    static const char *const head[] = {"iCode", "Level", "Parent", "Weight", "EffWeight"};
    const double *cols[] = {wt, eff};
    rc = weight_rows(m, head, 5, cols, 2, NULL, fmt, f);
  }
  chiso_free(eff);
  chiso_free(wt);
  return rc;
}

int out_audit_optimised(const idx_plan *p, const weights_opt_result *res, chiso_format fmt, FILE *f) {
  assert(p && res && f);
  const idx_model *m = idx_plan_model(p);
  size_t N = m->n_nodes;
  double *buf = chiso_malloc(3 * N * sizeof *buf);
  if (!buf) return CHISO_ENOMEM;
  double *des = buf, *obt = buf + N, *cor = buf + 2 * N;
  for (size_t k = 0; k < 3 * N; k++) buf[k] = NAN;
  for (size_t j = 0; j < res->n; j++) {
    des[res->node[j]] = res->desired[j];
    obt[res->node[j]] = res->obtained[j];
    cor[res->node[j]] = res->corr[j];
  }
  /* iCode and Weight first: `chiso compute --weights` reads the table */
  static const char *const head[] = {"iCode", "Level", "Parent", "Weight", "Desired", "Obtained",
                                     "Correlation"};
  const double *cols[] = {res->weights_all, des, obt, cor};
  int rc = weight_rows(m, head, 7, cols, 4, NULL, fmt, f);
  chiso_free(buf);
  return rc;
}

int out_audit_write(const idx_plan *p, const idx_workspace *ws, int pca_weights, chiso_format fmt,
                    FILE *f) {
  assert(p && ws && f);
  const idx_model *m = idx_plan_model(p);
  const idx_data *d = idx_plan_data(p);
  arows a = {json_array()};
  double *w = chiso_malloc(sizeof(double) * m->n_nodes), *l = chiso_malloc(sizeof(double) * m->n_nodes);
  int rc = a.list && w && l ? CHISO_OK : CHISO_ENOMEM;
  for (size_t i = 0; !rc && i < m->n_nodes; i++) w[i] = l[i] = NAN;
  if (!rc) {
    describe(m, d, &a);
    correlations(m, ws, d->n_units, &a);
    alpha_pca(m, ws, d->n_units, &a, w, l);
    rc = pca_weights ? print_weights(m, w, l, f) : print_rows(&a, fmt, f);
  }
  json_decref(a.list);
  chiso_free(w);
  chiso_free(l);
  return rc;
}


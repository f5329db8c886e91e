/* out_audit.c — the statistical audit of an index run as a table, CSV or
** JSON (out_audit.h). The statistics are in audit.h. */
#include "out/out_audit.h"

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


/* cmd_audit.c — `chiso audit`: the statistical audit of an index. */
#include "idxcli.h"

#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "Usage: chiso audit (--method FILE|NAME | --imeta FILE) --data FILE\n"
    "                   [--format table|csv|json] [--weights pca] [--out FILE]\n\n"
    "Statistical audit (OECD/JRC Handbook; COINr): per indicator n, missing %,\n"
    "min, max, mean, sd, skew, kurtosis and an outlier flag (|skew| >= 2 and\n"
    "kurtosis >= 3.5); Pearson and Spearman correlations of every node with its\n"
    "parent and with the index; Cronbach's alpha of every aggregate; PCA of\n"
    "every pillar (variance explained, first-component loadings).\n\n"
    "Output rows: section,id,parent,measure,value.\n\n"
    "  --weights pca   instead, print PCA weights as a table iCode,Weight,loading,note\n"
    "                  that `chiso compute --weights` reads. Caveats (COINr): the\n"
    "                  loadings maximise explained variance, not importance; they\n"
    "                  favour the most correlated indicators and can be negative\n"
    "                  (such indicators keep their weight and are noted).\n";

typedef struct arows { json_t *list; } arows;

static void add(arows *a, const char *section, const char *id, const char *parent,
                const char *measure, double v) {
  json_t *o = json_object();
  json_object_set_new(o, "section", json_string(section));
  json_object_set_new(o, "id", json_string(id));
  json_object_set_new(o, "parent", json_string(parent ? parent : ""));
  json_object_set_new(o, "measure", json_string(measure));
  json_object_set_new(o, "value", isnan(v) ? json_null() : json_real(v));
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
    const double **cols = malloc(sizeof(double *) * k);
    double *ve = malloc(sizeof(double) * k), *ld = malloc(sizeof(double) * k);
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
    free(cols);
    free(ve);
    free(ld);
  }
}

static int print_rows(const arows *a, cli_format fmt, FILE *f) {
  if (fmt == CLI_JSON) {
    int rc = json_dumpf(a->list, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    fputc('\n', f);
    return rc ? CHISO_EIO : 0;
  }
  const char *head[] = {"section", "id", "parent", "measure", "value"};
  cli_table *t = fmt == CLI_TABLE ? cli_table_new(5, head) : NULL;
  if (fmt == CLI_CSV) csvwrite_row(f, head, 5, 0);
  else cli_table_right(t, 4);
  size_t i;
  json_t *o;
  json_array_foreach(a->list, i, o) {
    double v = json_is_null(json_object_get(o, "value")) ? NAN : json_real_value(json_object_get(o, "value"));
    char num[40];
    const char *measure = json_string_value(json_object_get(o, "measure"));
    /* Tables show counts and flags as whole numbers; CSV keeps every digit. */
    int whole = !strcmp(measure, "n") || !strcmp(measure, "outlier");
    if (isnan(v)) num[0] = '\0';
    else snprintf(num, sizeof num, fmt == CLI_CSV ? "%.17g" : whole ? "%.0f" : "%.4f", v);
    const char *row[] = {json_string_value(json_object_get(o, "section")),
                         json_string_value(json_object_get(o, "id")),
                         json_string_value(json_object_get(o, "parent")),
                         measure, num};
    if (t) cli_table_add(t, row);
    else csvwrite_row(f, row, 5, 0);
  }
  if (t) { cli_table_print(t, f); cli_table_free(t); }
  return 0;
}

static void print_weights(const idx_model *m, const double *w, const double *l, FILE *f) {
  const char *head[] = {"iCode", "Weight", "loading", "note"};
  csvwrite_row(f, head, 4, 0);
  for (size_t k = 0; k < m->n_nodes; k++) {
    if (isnan(l[k])) continue;
    csvwrite_field(f, m->nodes[k].id, 1);
    csvwrite_number(f, isnan(w[k]) ? m->nodes[k].weight : w[k], 0);
    csvwrite_number(f, l[k], 0);
    csvwrite_field(f, isnan(w[k]) ? "negative loading: weight kept from the methodology" : "", 0);
    csvwrite_end_row(f, 0);
  }
}

CHISO_COMMAND(audit, "Statistical audit of an index: statistics, correlations, alpha, PCA")
{
  static const struct option opts[] = {
      {"method", required_argument, 0, 'm'}, {"imeta", required_argument, 0, 'i'},
      {"data", required_argument, 0, 'd'},   {"format", required_argument, 0, 'f'},
      {"weights", required_argument, 0, 'w'}, {"out", required_argument, 0, 'o'},
      {"help", no_argument, 0, 'h'},         {0, 0, 0, 0}};
  const char *method = NULL, *imeta = NULL, *data = NULL, *out = NULL;
  int want_pca = 0, c;
  cli_format fmt = CLI_TABLE;
  opterr = 0;
  optind = 1;
  while ((c = getopt_long(argc, argv, "m:i:d:f:w:o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'm': method = optarg; break;
    case 'i': imeta = optarg; break;
    case 'd': data = optarg; break;
    case 'o': out = optarg; break;
    case 'f': if (cli_parse_format("audit", optarg, &fmt)) return 1; break;
    case 'w':
      if (strcmp(optarg, "pca")) return cli_usage_error("audit", "--weights takes only 'pca'");
      want_pca = 1;
      break;
    case 'h': fputs(help, stdout); return 0;
    default: return cli_bad_option("audit", optopt, argv[optind - 1]);
    }
  }
  if (optind < argc) return cli_usage_error("audit", "unexpected argument '%s'", argv[optind]);
  idx_model *m = NULL;
  idx_data *d = NULL;
  int rc = idxcli_load("audit", method, imeta, data, &m, &d);
  if (rc) return rc;
  chiso_err err;
  chiso_err_clear(&err);
  idx_plan *p = NULL;
  idx_workspace *ws = NULL;
  arows a = {json_array()};
  double *w = malloc(sizeof(double) * m->n_nodes), *l = malloc(sizeof(double) * m->n_nodes);
  for (size_t i = 0; i < m->n_nodes; i++) w[i] = l[i] = NAN;
  rc = idx_plan_new(m, d, &p, &err);
  if (!rc && !(ws = idx_workspace_new(p))) rc = chiso_err_set(&err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = idx_run(p, ws, NULL, &err);
  if (rc) { rc = cli_report("audit", rc, &err); goto done; }
  describe(m, d, &a);
  correlations(m, ws, d->n_units, &a);
  alpha_pca(m, ws, d->n_units, &a, w, l);
  FILE *f = cli_open_output("audit", out);
  if (!f) { rc = CHISO_EXIT_DATA; goto done; }
  if (want_pca) print_weights(m, w, l, f);
  else rc = print_rows(&a, fmt, f);
  if (cli_end_output(f, rc)) rc = cli_report("audit", CHISO_EIO, &err);
done:
  json_decref(a.list);
  free(w);
  free(l);
  idx_workspace_free(ws);
  idx_plan_free(p);
  idx_data_free(d);
  idx_model_free(m);
  return rc;
}

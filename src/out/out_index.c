/* out_index.c — index results as a table, CSV or JSON (out_index.h). */
#include "out/out_index.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>

/* The nodes shown: aggregates root first, then (level 1) the indicators. */
int out_index_nodes(const idx_model *m, int level, int *cols) {
  int n = 0, top = m->nodes[m->root].level;
  for (int lv = top; lv >= 2 && lv >= level; lv--)
    for (size_t i = m->n_ind; i < m->n_nodes; i++)
      if (m->nodes[i].level == lv) cols[n++] = (int)i;
  if (level <= 1)
    for (size_t i = 0; i < m->n_ind; i++) cols[n++] = (int)i;
  return n;
}

int out_index_csv(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, FILE *f) {
  return out_index_csv_intervals(p, ws, cols, nc, NULL, f);
}

static void interval_fields(const out_index_intervals *iv, size_t i, FILE *f) {
  char lo[16] = "", hi[16] = "";
  csvwrite_number(f, iv->score_lo[i], 0);
  csvwrite_number(f, iv->score_hi[i], 0);
  if (iv->rank_lo[i]) snprintf(lo, sizeof lo, "%d", iv->rank_lo[i]);
  if (iv->rank_hi[i]) snprintf(hi, sizeof hi, "%d", iv->rank_hi[i]);
  csvwrite_field(f, lo, 0);
  csvwrite_field(f, hi, 0);
}

int out_index_csv_intervals(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc,
                         const out_index_intervals *iv, FILE *f) {
  const idx_model *m = idx_plan_model(p);
  const idx_data *d = idx_plan_data(p);
  static const char *const iv_head[] = {"score_lo", "score_hi", "rank_lo", "rank_hi"};
  csvwrite_field(f, "code", 1);
  csvwrite_field(f, "name", 0);
  for (int j = 0; j < nc; j++) csvwrite_field(f, m->nodes[cols[j]].id, 0);
  csvwrite_field(f, "rank", 0);
  for (int j = 0; iv && j < 4; j++) csvwrite_field(f, iv_head[j], 0);
  csvwrite_field(f, "note", 0);
  csvwrite_end_row(f, 0);
  for (size_t i = 0; i < d->n_units; i++) {
    char note[512], rank[16];
    idx_unranked_text(p, ws, i, note, sizeof note);
    snprintf(rank, sizeof rank, "%d", idx_ranks(ws)[i]);
    csvwrite_field(f, d->code[i], 1);
    csvwrite_field(f, d->name[i], 0);
    for (int j = 0; j < nc; j++) csvwrite_number(f, idx_score(ws, cols[j], i), 0);
    csvwrite_field(f, idx_ranks(ws)[i] ? rank : "", 0);
    if (iv) interval_fields(iv, i, f);
    csvwrite_field(f, note, 0);
    if (csvwrite_end_row(f, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

int out_index_json(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, int year,
                int synthetic, FILE *f) {
  const idx_model *m = idx_plan_model(p);
  const idx_data *d = idx_plan_data(p);
  json_t *root = json_object(), *units = json_array(), *nodes = json_array();
  json_object_set_new(root, "method", json_string(m->id ? m->id : ""));
  if (year) json_object_set_new(root, "year", json_integer(year));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  for (int j = 0; j < nc; j++) {
    const idx_node *nd = &m->nodes[cols[j]];
    json_array_append_new(nodes, json_pack("{s:s,s:s,s:i,s:f}", "id", nd->id, "name",
                                           nd->name_vi ? nd->name_vi : nd->id, "level", nd->level,
                                           "weight", nd->weight));
  }
  json_object_set_new(root, "nodes", nodes);
  for (size_t i = 0; i < d->n_units; i++) {
    char note[512];
    idx_unranked_text(p, ws, i, note, sizeof note);
    json_t *u = json_object(), *sc = json_object();
    json_object_set_new(u, "code", json_string(d->code[i]));
    json_object_set_new(u, "name", json_string(d->name[i]));
    for (int j = 0; j < nc; j++)
      json_object_set_new(sc, m->nodes[cols[j]].id, jsonio_number(idx_score(ws, cols[j], i)));
    json_object_set_new(u, "scores", sc);
    json_object_set_new(u, "rank", idx_ranks(ws)[i] ? json_integer(idx_ranks(ws)[i]) : json_null());
    json_object_set_new(u, "note", note[0] ? json_string(note) : json_null());
    json_array_append_new(units, u);
  }
  json_object_set_new(root, "units", units);
  return jsonio_dump(root, f);
}

/* Two decimals, "" for NaN: scores as people read them. */
static void fmt2(double v, char *buf, size_t n) {
  if (isnan(v)) snprintf(buf, n, "%s", "");
  else snprintf(buf, n, "%.2f", v);
}

int out_index_table(const idx_plan *p, const idx_workspace *ws, const int *cols, int nc, FILE *f) {
  const idx_model *m = idx_plan_model(p);
  const idx_data *d = idx_plan_data(p);
  const char *head[260];
  int n = nc > 250 ? 250 : nc;
  head[0] = "rank";
  head[1] = "code";
  head[2] = "name";
  for (int j = 0; j < n; j++) head[3 + j] = m->nodes[cols[j]].id;
  head[3 + n] = "note";
  out_table *t = out_table_new(n + 4, head);
  if (!t) return CHISO_ENOMEM;
  for (int j = 0; j <= n; j++) out_table_right(t, j == 0 ? 0 : 2 + j);
  size_t *order = chiso_malloc((d->n_units ? d->n_units : 1) * sizeof *order);
  int rc = order ? CHISO_OK : CHISO_ENOMEM;
  if (order) out_table_rank_order(idx_ranks(ws), d->n_units, order); /* people read by rank */
  for (size_t r = 0; !rc && r < d->n_units; r++) {
    size_t i = order[r];
    char cells[256][24], note[512];
    const char *row[260];
    snprintf(cells[0], 24, "%d", idx_ranks(ws)[i]);
    row[0] = idx_ranks(ws)[i] ? cells[0] : "";
    row[1] = d->code[i];
    row[2] = d->name[i];
    for (int j = 0; j < n; j++) {
      fmt2(idx_score(ws, cols[j], i), cells[1 + j], 24);
      row[3 + j] = cells[1 + j];
    }
    idx_unranked_text(p, ws, i, note, sizeof note);
    row[3 + n] = note;
    rc = out_table_add(t, row);
  }
  if (!rc) rc = out_table_print(t, f);
  out_table_free(t);
  chiso_free(order);
  return rc;
}

int out_index_write(const idx_plan *p, const idx_workspace *ws, int level, int year, int synthetic,
                    chiso_format fmt, FILE *f) {
  assert(p && ws && f);
  const idx_model *m = idx_plan_model(p);
  int *cols = chiso_malloc(m->n_nodes * sizeof *cols);
  if (!cols) return CHISO_ENOMEM;
  int nc = out_index_nodes(m, level, cols);
  int rc = fmt == CHISO_FORMAT_CSV    ? out_index_csv(p, ws, cols, nc, f)
           : fmt == CHISO_FORMAT_JSON ? out_index_json(p, ws, cols, nc, year, synthetic, f)
                                      : out_index_table(p, ws, cols, nc, f);
  chiso_free(cols);
  return rc;
}


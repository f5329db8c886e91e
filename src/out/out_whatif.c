/* out_whatif.c — a what-if run as a table, CSV or JSON (out_whatif.h). */
#include "out/out_whatif.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "geo/geo.h"
#include "out/out_index.h"

#include <assert.h>
#include <math.h>

static int write_csv(const whatif_result *r, FILE *out) {
  const idx_model *m = idx_plan_model(r->plan);
  int *cols = chiso_malloc(m->n_nodes * sizeof *cols);
  if (!cols) return CHISO_ENOMEM;
  out_index_intervals iv = {r->score_lo, r->score_hi, r->rank_lo, r->rank_hi};
  int rc = out_index_csv_intervals(r->plan, r->ws, cols, out_index_nodes(m, 2, cols), &iv, out);
  chiso_free(cols);
  return rc;
}

/* The JSON is written as it goes (jsonio_writer): a what-if is answered
** many times a second, and a tree would cost more than the run. */

/* The interval sources, as the index resource names them. */
static void interval_json(const whatif *w, const whatif_result *r, jsonio_writer *j) {
  int any = !isnan(r->level);
  jsonio_object_begin(j);
  jsonio_key(j, "level");
  jsonio_real(j, r->level);
  jsonio_key(j, "score");
  jsonio_string(j, any && whatif_crossed(w) ? "sampling" : NULL);
  jsonio_key(j, "rank");
  jsonio_string(j, any ? (whatif_crossed(w) ? "crossed" : "method") : NULL);
  jsonio_object_end(j);
}

static void name_keys(const idx_node *n, jsonio_writer *j) {
  jsonio_key(j, "name_vi");
  jsonio_string(j, n->name_vi ? n->name_vi : n->id);
  jsonio_key(j, "name_en");
  jsonio_string(j, n->name_en ? n->name_en : n->name_vi ? n->name_vi : n->id);
}

/* Every weighted node (all but the root), in the tree's order (each
** pillar followed by its own nodes): what the sliders move. */
static void node_json(const idx_model *m, const whatif_result *r, int k, int depth,
                      jsonio_writer *j) {
  const idx_node *n = &m->nodes[k];
  if (k != m->root) {
    jsonio_object_begin(j);
    jsonio_key(j, "id");
    jsonio_string(j, n->id);
    jsonio_key(j, "parent");
    jsonio_string(j, n->parent_id ? n->parent_id : "");
    jsonio_key(j, "level");
    jsonio_integer(j, n->level);
    name_keys(n, j);
    jsonio_key(j, "weight");
    jsonio_real(j, r->weights[k]);
    jsonio_key(j, "default_weight");
    jsonio_real(j, n->weight);
    jsonio_object_end(j);
  }
  for (int c = 0; depth < 16 && c < n->n_children; c++)
    node_json(m, r, m->children[n->first_child + c], depth + 1, j);
}

/* A rank, or null for none (0). */
static void rank_json(jsonio_writer *j, const char *key, int rank) {
  jsonio_key(j, key);
  if (rank) jsonio_integer(j, rank);
  else jsonio_null(j);
}

static void unit_json(const whatif_result *r, const year_result *nom, size_t i, jsonio_writer *j) {
  const idx_model *m = idx_plan_model(r->plan);
  const idx_node *root = &m->nodes[m->root];
  const int *rank = idx_ranks(r->ws);
  char note[512];
  idx_unranked_text(r->plan, r->ws, i, note, sizeof note);
  jsonio_object_begin(j);
  jsonio_key(j, "code");
  jsonio_string(j, nom->data->code[i]);
  jsonio_key(j, "name");
  jsonio_string(j, nom->data->name[i]);
  jsonio_key(j, "region");
  jsonio_string(j, geo_region_name(nom->era, nom->region[i], "vi"));
  jsonio_key(j, "region_en");
  jsonio_string(j, geo_region_name(nom->era, nom->region[i], "en"));
  jsonio_key(j, "score");
  jsonio_real(j, idx_score(r->ws, m->root, i));
  jsonio_key(j, "score_lo");
  jsonio_real(j, r->score_lo[i]);
  jsonio_key(j, "score_hi");
  jsonio_real(j, r->score_hi[i]);
  rank_json(j, "rank", rank[i]);
  rank_json(j, "rank_lo", r->rank_lo[i]);
  rank_json(j, "rank_hi", r->rank_hi[i]);
  rank_json(j, "nominal_rank", nom->rank[i]);
  jsonio_key(j, "pillars");
  jsonio_object_begin(j);
  for (int c = 0; c < root->n_children; c++) {
    int k = m->children[root->first_child + c];
    jsonio_key(j, m->nodes[k].id);
    jsonio_real(j, idx_score(r->ws, k, i));
  }
  jsonio_object_end(j);
  jsonio_key(j, "respondents");
  if (nom->respondents && nom->respondents[i] >= 0) jsonio_integer(j, nom->respondents[i]);
  else jsonio_null(j);
  jsonio_key(j, "note");
  jsonio_string(j, note[0] ? note : NULL);
  jsonio_object_end(j);
}

static int write_json(const whatif *w, const whatif_result *r, int year, int synthetic, FILE *out) {
  const year_result *nom = whatif_nominal(w);
  const idx_model *m = idx_plan_model(r->plan);
  const idx_node *root = &m->nodes[m->root];
  jsonio_writer *j = chiso_malloc(sizeof *j);
  if (!j) return CHISO_ENOMEM;
  jsonio_writer_init(j, out);
  jsonio_object_begin(j);
  jsonio_key(j, "year");
  jsonio_integer(j, year);
  jsonio_key(j, "unit_set");
  jsonio_integer(j, nom->era == GEO_ERA_63 ? 63 : 34);
  jsonio_key(j, "method");
  jsonio_string(j, m->id ? m->id : "");
  if (synthetic) {
    jsonio_key(j, "synthetic");
    jsonio_bool(j, 1);
  }
  jsonio_key(j, "interval");
  interval_json(w, r, j);
  jsonio_key(j, "nodes");
  jsonio_array_begin(j);
  node_json(m, r, m->root, 0, j);
  jsonio_array_end(j);
  jsonio_key(j, "pillars");
  jsonio_array_begin(j);
  for (int c = 0; c < root->n_children; c++) {
    int k = m->children[root->first_child + c];
    const idx_node *n = &m->nodes[k];
    jsonio_object_begin(j);
    jsonio_key(j, "id");
    jsonio_string(j, n->id);
    name_keys(n, j);
    jsonio_key(j, "weight");
    jsonio_real(j, r->weights[k]);
    jsonio_object_end(j);
  }
  jsonio_array_end(j);
  jsonio_key(j, "units");
  jsonio_array_begin(j);
  for (size_t i = 0; i < nom->n_units; i++) unit_json(r, nom, i, j);
  jsonio_array_end(j);
  jsonio_object_end(j);
  int rc = jsonio_writer_end(j);
  chiso_free(j);
  return rc;
}

int out_whatif_write(const whatif *w, const whatif_result *r, int year, int synthetic,
                     chiso_format fmt, FILE *out) {
  assert(w && r && out);
  if (fmt == CHISO_FORMAT_CSV) return write_csv(r, out);
  if (fmt == CHISO_FORMAT_JSON) return write_json(w, r, year, synthetic, out);
  return out_index_write(r->plan, r->ws, 2, year, synthetic, CHISO_FORMAT_TABLE, out);
}

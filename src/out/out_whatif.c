/* out_whatif.c — a what-if run as a table, CSV or JSON (out_whatif.h). */
#include "out/out_whatif.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "geo/geo.h"
#include "out/out_index.h"

#include <assert.h>
#include <jansson.h>
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

/* The interval sources, as the index resource names them. */
static json_t *interval_json(const whatif *w, const whatif_result *r) {
  json_t *o = json_object();
  int any = !isnan(r->level);
  json_object_set_new(o, "level", jsonio_number(r->level));
  json_object_set_new(o, "score", any && whatif_crossed(w) ? json_string("sampling") : json_null());
  json_object_set_new(o, "rank", any ? json_string(whatif_crossed(w) ? "crossed" : "method")
                                     : json_null());
  return o;
}

/* Every weighted node (all but the root), in the tree's order (each
** pillar followed by its own nodes): what the sliders move. */
static void node_json(const idx_model *m, const whatif_result *r, int k, int depth, json_t *a) {
  const idx_node *n = &m->nodes[k];
  if (k != m->root)
    json_array_append_new(a, json_pack("{s:s,s:s,s:i,s:s,s:s,s:o,s:o}", "id", n->id, "parent",
                                       n->parent_id ? n->parent_id : "", "level", n->level,
                                       "name_vi", n->name_vi ? n->name_vi : n->id, "name_en",
                                       n->name_en ? n->name_en : n->name_vi ? n->name_vi : n->id,
                                       "weight", jsonio_number(r->weights[k]), "default_weight",
                                       jsonio_number(n->weight)));
  for (int c = 0; depth < 16 && c < n->n_children; c++)
    node_json(m, r, m->children[n->first_child + c], depth + 1, a);
}

static json_t *nodes_json(const whatif_result *r) {
  const idx_model *m = idx_plan_model(r->plan);
  json_t *a = json_array();
  node_json(m, r, m->root, 0, a);
  return a;
}

static json_t *unit_json(const whatif_result *r, const year_result *nom, size_t i) {
  const idx_model *m = idx_plan_model(r->plan);
  const idx_node *root = &m->nodes[m->root];
  const int *rank = idx_ranks(r->ws);
  char note[512];
  idx_unranked_text(r->plan, r->ws, i, note, sizeof note);
  json_t *u = json_object(), *p = json_object();
  json_object_set_new(u, "code", json_string(nom->data->code[i]));
  json_object_set_new(u, "name", json_string(nom->data->name[i]));
  json_object_set_new(u, "region", json_string(geo_region_name(nom->era, nom->region[i], "vi")));
  json_object_set_new(u, "region_en", json_string(geo_region_name(nom->era, nom->region[i], "en")));
  json_object_set_new(u, "score", jsonio_number(idx_score(r->ws, m->root, i)));
  json_object_set_new(u, "score_lo", jsonio_number(r->score_lo[i]));
  json_object_set_new(u, "score_hi", jsonio_number(r->score_hi[i]));
  json_object_set_new(u, "rank", rank[i] ? json_integer(rank[i]) : json_null());
  json_object_set_new(u, "rank_lo", r->rank_lo[i] ? json_integer(r->rank_lo[i]) : json_null());
  json_object_set_new(u, "rank_hi", r->rank_hi[i] ? json_integer(r->rank_hi[i]) : json_null());
  json_object_set_new(u, "nominal_rank", nom->rank[i] ? json_integer(nom->rank[i]) : json_null());
  for (int c = 0; c < root->n_children; c++) {
    int k = m->children[root->first_child + c];
    json_object_set_new(p, m->nodes[k].id, jsonio_number(idx_score(r->ws, k, i)));
  }
  json_object_set_new(u, "pillars", p);
  json_object_set_new(u, "respondents", nom->respondents && nom->respondents[i] >= 0
                                            ? json_integer(nom->respondents[i])
                                            : json_null());
  json_object_set_new(u, "note", note[0] ? json_string(note) : json_null());
  return u;
}

static int write_json(const whatif *w, const whatif_result *r, int year, int synthetic, FILE *out) {
  const year_result *nom = whatif_nominal(w);
  const idx_model *m = idx_plan_model(r->plan);
  const idx_node *root = &m->nodes[m->root];
  json_t *o = json_object(), *pillars = json_array(), *units = json_array();
  json_object_set_new(o, "year", json_integer(year));
  json_object_set_new(o, "unit_set", json_integer(nom->era == GEO_ERA_63 ? 63 : 34));
  json_object_set_new(o, "method", json_string(m->id ? m->id : ""));
  if (synthetic) json_object_set_new(o, "synthetic", json_true());
  json_object_set_new(o, "interval", interval_json(w, r));
  json_object_set_new(o, "nodes", nodes_json(r));
  for (int c = 0; c < root->n_children; c++) {
    const idx_node *n = &m->nodes[m->children[root->first_child + c]];
    json_array_append_new(pillars, json_pack("{s:s,s:s,s:s,s:o}", "id", n->id, "name_vi",
                                             n->name_vi ? n->name_vi : n->id, "name_en",
                                             n->name_en ? n->name_en : n->name_vi ? n->name_vi : n->id,
                                             "weight", jsonio_number(r->weights[m->children[root->first_child + c]])));
  }
  json_object_set_new(o, "pillars", pillars);
  for (size_t i = 0; i < nom->n_units; i++) json_array_append_new(units, unit_json(r, nom, i));
  json_object_set_new(o, "units", units);
  return jsonio_dump(o, out);
}

int out_whatif_write(const whatif *w, const whatif_result *r, int year, int synthetic,
                     chiso_format fmt, FILE *out) {
  assert(w && r && out);
  if (fmt == CHISO_FORMAT_CSV) return write_csv(r, out);
  if (fmt == CHISO_FORMAT_JSON) return write_json(w, r, year, synthetic, out);
  return out_index_write(r->plan, r->ws, 2, year, synthetic, CHISO_FORMAT_TABLE, out);
}

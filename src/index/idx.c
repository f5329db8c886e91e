/* idx.c — the composite index engine (see idx.h and docs/methodology.md).
**
** Formulas follow the OECD/JRC Handbook on Constructing Composite
** Indicators (2008) and the documented functions of the R package COINr
** (Becker et al. 2022, JOSS 7(78) 4567): n_minmax, n_zscore, n_rank,
** n_prank, n_goalposts, n_fracmax, n_dist2max, n_dist2ref, a_amean,
** a_gmean, a_hmean, winsorise/check_SkewKurt and log_CT. */
#include "index/idx.h"

#include "base/cpu.h"
#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* No a * b + c fused into one rounding: the vector bodies (compiled for
** AVX2/AVX-512, which have FMA) must give the bits of the plain C loops.
** GCC does not fuse in ISO C mode (-std=c17); clang does unless told. */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

/* ======================================================================
** Method names
** ==================================================================== */

static const char *const norm_names[IDX_NORM_COUNT] = {
    "minmax", "zscore", "rank", "prank", "goalposts",
    "fracmax", "dist2max", "dist2ref", "none", "dist2targ"};
static const char *const agg_names[IDX_AGG_COUNT] = {"arithmetic", "geometric",
                                                     "harmonic", "power"};
static const char *const imp_names[IDX_IMP_COUNT] = {
    "none", "mean", "median", "group_mean", "group_median"};
static const char *const tx_names[3] = {"none", "log", "log_ct"};

static int find_name(const char *const *names, int n, const char *s) {
  if (!s) return -1;
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

int idx_norm_parse(const char *s) {
  int r = find_name(norm_names, IDX_NORM_COUNT, s);
  if (r < 0 && s && strcmp(s, "range") == 0) return IDX_NORM_MINMAX;
  return r;
}
const char *idx_norm_name(idx_norm m) {
  return (unsigned)m < IDX_NORM_COUNT ? norm_names[m] : "?";
}
int idx_agg_parse(const char *s) {
  int r = find_name(agg_names, IDX_AGG_COUNT, s);
  if (r >= 0 || !s) return r;
  if (!strcmp(s, "amean") || !strcmp(s, "a_amean")) return IDX_AGG_ARITHMETIC;
  if (!strcmp(s, "gmean") || !strcmp(s, "a_gmean")) return IDX_AGG_GEOMETRIC;
  if (!strcmp(s, "hmean") || !strcmp(s, "a_hmean")) return IDX_AGG_HARMONIC;
  return -1;
}
const char *idx_agg_name(idx_agg m) {
  return (unsigned)m < IDX_AGG_COUNT ? agg_names[m] : "?";
}
int idx_impute_parse(const char *s) { return find_name(imp_names, IDX_IMP_COUNT, s); }
const char *idx_impute_name(idx_impute m) {
  return (unsigned)m < IDX_IMP_COUNT ? imp_names[m] : "?";
}
int idx_transform_parse(const char *s) { return find_name(tx_names, 3, s); }
const char *idx_transform_name(idx_transform t) {
  return (unsigned)t < 3 ? tx_names[t] : "?";
}

/* ======================================================================
** Model
** ==================================================================== */

idx_model *idx_model_new(void) {
  idx_model *m = chiso_calloc(1, sizeof *m);
  if (!m) return NULL;
  m->root = -1;
  m->norm.method = IDX_NORM_MINMAX;
  m->norm.a = 0;
  m->norm.b = 100;
  m->agg = IDX_AGG_ARITHMETIC;
  m->power = 2;
  m->impute = IDX_IMP_NONE;
  m->winsorise = 0;
  m->winmax = 5;
  m->skew_max = 2;
  m->kurt_max = 3.5;
  m->log_fallback = 0;
  m->min_data = 0;
  m->geo_floor = 1; /* 1% of the default 0..100 range */
  return m;
}

static void node_clear(idx_node *n) {
  for (size_t i = 0; i < n->n_cite; i++) chiso_free(n->cite[i]);
  chiso_free(n->cite);
  chiso_free(n->denominator);
  chiso_free(n->id);
  chiso_free(n->name_vi);
  chiso_free(n->name_en);
  chiso_free(n->parent_id);
  chiso_free(n->norm.ref_unit);
  chiso_free(n->measures);
  chiso_free(n->source);
}

void idx_model_free(idx_model *m) {
  if (!m) return;
  for (size_t i = 0; i < m->n_nodes; i++) node_clear(&m->nodes[i]);
  chiso_free(m->nodes);
  chiso_free(m->children);
  chiso_free(m->levels);
  for (size_t i = 0; i < m->n_rules; i++) chiso_free(m->rules[i].indicator);
  chiso_free(m->rules);
  for (size_t i = 0; i < m->n_tiers; i++) {
    chiso_free(m->tiers[i].id);
    chiso_free(m->tiers[i].name_vi);
    chiso_free(m->tiers[i].name_en);
  }
  chiso_free(m->tiers);
  for (size_t i = 0; i < m->n_refs; i++) {
    chiso_free(m->refs[i].id);
    chiso_free(m->refs[i].title);
    chiso_free(m->refs[i].url);
  }
  chiso_free(m->refs);
  chiso_free(m->id);
  chiso_free(m->name_vi);
  chiso_free(m->name_en);
  chiso_free(m->version);
  chiso_free(m->source);
  chiso_free(m->norm.ref_unit);
  chiso_free(m);
}

idx_node *idx_model_add(idx_model *m, const char *id, const char *parent_id) {
  if (chiso_grow((void **)&m->nodes, &m->cap_nodes, m->n_nodes + 1, sizeof *m->nodes))
    return NULL;
  idx_node *n = &m->nodes[m->n_nodes];
  memset(n, 0, sizeof *n);
  n->id = chiso_strdup(id ? id : "");
  n->parent_id = parent_id && *parent_id ? chiso_strdup(parent_id) : NULL;
  if (!n->id || (parent_id && *parent_id && !n->parent_id)) {
    node_clear(n);
    return NULL;
  }
  n->parent = -1;
  n->is_indicator = -1;
  n->weight = NAN;
  n->direction = 1;
  n->gp_low = n->gp_high = n->gp_target = NAN;
  n->treat = -1;
  n->power = 2;
  n->min_data = NAN;
  n->scale_factor = 1;
  m->n_nodes++;
  return n;
}

/* Grow an array of `size`-byte entries by one zeroed entry with a copied
** id in its first field; NULL on out of memory (nothing changed). */
static void *append_with_id(void **arr, size_t *n, size_t size, const char *id) {
  void *grown = chiso_realloc(*arr, (*n + 1) * size);
  if (!grown) return NULL;
  *arr = grown;
  char *slot = (char *)grown + *n * size;
  memset(slot, 0, size);
  char *copy = chiso_strdup(id ? id : "");
  if (!copy) return NULL;
  memcpy(slot, &copy, sizeof copy);
  (*n)++;
  return slot;
}

idx_rank_rule *idx_model_add_rule(idx_model *m, const char *id) {
  idx_rank_rule *r = append_with_id((void **)&m->rules, &m->n_rules, sizeof *m->rules, id);
  if (r) { r->node = -1; r->min = r->max = NAN; }
  return r;
}

idx_tier *idx_model_add_tier(idx_model *m, const char *id) {
  idx_tier *t = append_with_id((void **)&m->tiers, &m->n_tiers, sizeof *m->tiers, id);
  if (t) t->min = NAN;
  return t;
}

idx_ref *idx_model_add_ref(idx_model *m, const char *id) {
  return append_with_id((void **)&m->refs, &m->n_refs, sizeof *m->refs, id);
}

const idx_ref *idx_model_ref(const idx_model *m, const char *id) {
  for (size_t i = 0; i < m->n_refs; i++)
    if (!strcmp(m->refs[i].id, id)) return &m->refs[i];
  return NULL;
}

int idx_model_tier(const idx_model *m, double score) {
  if (isnan(score)) return -1;
  for (size_t i = 0; i < m->n_tiers; i++)
    if (score >= m->tiers[i].min) return (int)i;
  return -1;
}

int idx_model_published(const idx_model *m, int rank) {
  return rank > 0 && (m->top_n <= 0 || rank <= m->top_n);
}

int idx_model_find(const idx_model *m, const char *id) {
  for (size_t i = 0; i < m->n_nodes; i++)
    if (strcmp(m->nodes[i].id, id) == 0) return (int)i;
  return -1;
}

const idx_normspec *idx_model_norm(const idx_model *m, int k) {
  const idx_node *n = &m->nodes[k];
  return n->has_norm ? &n->norm : &m->norm;
}

static int node_err_col(const idx_model *m, const idx_node *n, long col, chiso_err *err,
                        const char *msg, const char *a, const char *b) {
  char text[600];
  snprintf(text, sizeof text, msg, a ? a : "", b ? b : "");
  return chiso_err_at(err, CHISO_EDATA, m->source ? m->source : "", n->src_row,
                      col > 0 ? col : n->src_col, "%s", text);
}

static int node_err(const idx_model *m, const idx_node *n, chiso_err *err, const char *msg,
                    const char *a, const char *b) {
  return node_err_col(m, n, n->src_col, err, msg, a, b);
}

/* Report the cycle that node i's parents run into: "a → b → a". */
static int cycle_err(const idx_model *m, int i, chiso_err *err) {
  int n = (int)m->n_nodes, c = i;
  for (int s = 0; s < n; s++) c = m->nodes[c].parent; /* now inside the cycle */
  char path[400] = "";
  size_t used = 0;
  int q = c;
  do {
    used += (size_t)snprintf(path + used, used < sizeof path ? sizeof path - used : 0, "%s → ",
                             m->nodes[q].id);
    q = m->nodes[q].parent;
  } while (q != c && used < sizeof path);
  if (used < sizeof path) snprintf(path + used, sizeof path - used, "%s", m->nodes[c].id);
  return node_err_col(m, &m->nodes[c], m->nodes[c].col_parent, err, "cycle in the tree: %s%s",
                      path, 0);
}

/* Ids unique, parents known, one root, no cycle; sets parent indices. */
static int link_parents(idx_model *m, chiso_err *err) {
  int n = (int)m->n_nodes, roots = 0;
  for (int i = 0; i < n; i++) {
    idx_node *nd = &m->nodes[i];
    if (!nd->id[0]) return node_err(m, nd, err, "empty node id%s%s", 0, 0);
    for (int j = 0; j < i; j++)
      if (!strcmp(m->nodes[j].id, nd->id))
        return node_err(m, nd, err, "duplicate id '%s'%s", nd->id, 0);
  }
  for (int i = 0; i < n; i++) {
    idx_node *nd = &m->nodes[i];
    if (!nd->parent_id) {
      if (++roots > 1)
        return node_err(m, nd, err, "second root '%s' (only one node may have no parent)%s",
                        nd->id, 0);
      continue;
    }
    nd->parent = idx_model_find(m, nd->parent_id);
    if (nd->parent < 0)
      return node_err_col(m, nd, nd->col_parent, err, "unknown parent '%s' of '%s'",
                          nd->parent_id, nd->id);
    if (nd->parent == i) return node_err_col(m, nd, nd->col_parent, err, "cycle in the tree: '%s' is its own parent%s", nd->id, 0);
  }
  for (int i = 0; i < n; i++) {
    int p = m->nodes[i].parent, steps = 0;
    while (p >= 0 && steps <= n) { p = m->nodes[p].parent; steps++; }
    if (p >= 0) return cycle_err(m, i, err);
  }
  if (roots == 0 && n > 0)
    return node_err(m, &m->nodes[0], err, "cycle in the tree: no root%s%s", 0, 0);
  return CHISO_OK;
}

/* Leaves, levels, per-node checks. */
static int check_nodes(idx_model *m, chiso_err *err) {
  int n = (int)m->n_nodes;
  for (int i = 0; i < n; i++) m->nodes[i].level = 0;
  int *has_child = chiso_calloc((size_t)n + 1, sizeof *has_child);
  if (!has_child) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (int i = 0; i < n; i++)
    if (m->nodes[i].parent >= 0) has_child[m->nodes[i].parent] = 1;
  int rc = CHISO_OK;
  for (int i = 0; i < n && rc == CHISO_OK; i++) {
    idx_node *nd = &m->nodes[i];
    if (nd->is_indicator == 0 && !has_child[i])
      rc = node_err(m, nd, err, "aggregate '%s' has no children%s", nd->id, 0);
    else if (nd->is_indicator == 1 && has_child[i])
      rc = node_err(m, nd, err, "indicator '%s' has children%s", nd->id, 0);
    else if (!isnan(nd->weight) && !(nd->weight > 0 && isfinite(nd->weight)))
      rc = node_err_col(m, nd, nd->col_weight, err, "weight of '%s' must be > 0%s", nd->id, 0);
    else if (nd->direction != 1 && nd->direction != -1)
      rc = node_err_col(m, nd, nd->col_direction, err, "direction of '%s' must be 1 or -1%s",
                        nd->id, 0);
    else if (!isnan(nd->gp_low) && !isnan(nd->gp_high) && !(nd->gp_low < nd->gp_high))
      rc = node_err(m, nd, err, "goalposts of '%s': low must be below high%s", nd->id, 0);
    else if (!isnan(nd->min_data) && (nd->min_data < 0 || nd->min_data > 1))
      rc = node_err(m, nd, err, "min_data of '%s' must be between 0 and 1%s", nd->id, 0);
    nd->is_indicator = !has_child[i];
  }
  chiso_free(has_child);
  if (rc) return rc;
  for (int i = 0; i < n; i++) {
    if (!m->nodes[i].is_indicator) continue;
    m->nodes[i].level = 1;
    for (int c = i, p = m->nodes[i].parent; p >= 0; c = p, p = m->nodes[p].parent)
      if (m->nodes[p].level < m->nodes[c].level + 1) m->nodes[p].level = m->nodes[c].level + 1;
  }
  return CHISO_OK;
}

static int node_rank_key(const idx_node *a) { return a->is_indicator ? 0 : a->level; }

/* Indicators first (declaration order), aggregates by level, root last. */
static int reorder(idx_model *m, chiso_err *err) {
  int n = (int)m->n_nodes;
  int *perm = chiso_malloc(sizeof(int) * (size_t)n), *inv = chiso_malloc(sizeof(int) * (size_t)n);
  idx_node *nodes = chiso_malloc(sizeof *nodes * (size_t)n);
  int rc = CHISO_OK;
  if (!perm || !inv || !nodes) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto done; }
  for (int i = 0; i < n; i++) perm[i] = i;
  for (int i = 1; i < n; i++) { /* stable insertion sort by key */
    int t = perm[i], j = i;
    while (j > 0 && node_rank_key(&m->nodes[perm[j - 1]]) > node_rank_key(&m->nodes[t])) {
      perm[j] = perm[j - 1];
      j--;
    }
    perm[j] = t;
  }
  for (int i = 0; i < n; i++) inv[perm[i]] = i;
  for (int i = 0; i < n; i++) {
    nodes[i] = m->nodes[perm[i]];
    if (nodes[i].parent >= 0) nodes[i].parent = inv[nodes[i].parent];
  }
  memcpy(m->nodes, nodes, sizeof *nodes * (size_t)n);
done:
  chiso_free(perm);
  chiso_free(inv);
  chiso_free(nodes);
  return rc;
}

static const idx_level *find_level(const idx_model *m, int level) {
  for (size_t i = 0; i < m->n_levels; i++)
    if (m->levels[i].level == level) return &m->levels[i];
  return NULL;
}

static int build_children(idx_model *m, chiso_err *err) {
  int n = (int)m->n_nodes, pos = 0;
  chiso_free(m->children);
  m->children = chiso_malloc(sizeof(int) * ((size_t)n + 1));
  if (!m->children) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  m->n_ind = 0;
  for (int i = 0; i < n; i++) {
    idx_node *nd = &m->nodes[i];
    if (nd->is_indicator) m->n_ind++;
    nd->first_child = pos;
    nd->n_children = 0;
    for (int c = 0; c < n; c++)
      if (m->nodes[c].parent == i) { m->children[pos++] = c; nd->n_children++; }
    const idx_level *lv = find_level(m, nd->level);
    if (isnan(nd->weight)) nd->weight = lv && !isnan(lv->weight) ? lv->weight : 1.0;
    if (!nd->agg_set && lv && lv->agg_set) {
      nd->agg = lv->agg;
      nd->power = lv->power;
      nd->agg_set = 1;
    }
  }
  m->root = n - 1;
  return CHISO_OK;
}

static int model_err(const idx_model *m, long row, long col, chiso_err *err, const char *msg,
                     const char *a) {
  return chiso_err_at(err, CHISO_EDATA, m->source ? m->source : "", row, col, msg, a ? a : "");
}

/* Ranking rules name indicators; tiers are sorted highest first with
** distinct finite cut-offs; every cited reference exists. */
static int finish_extras(idx_model *m, chiso_err *err) {
  for (size_t i = 0; i < m->n_rules; i++) {
    idx_rank_rule *r = &m->rules[i];
    r->node = idx_model_find(m, r->indicator);
    if (r->node < 0 || !m->nodes[r->node].is_indicator)
      return model_err(m, r->src_row, r->src_col, err, "ranking rule: '%s' is not an indicator of the tree", r->indicator);
    if (isnan(r->min) && isnan(r->max))
      return model_err(m, r->src_row, r->src_col, err, "ranking rule on '%s' needs \"min\" or \"max\"", r->indicator);
  }
  for (size_t i = 1; i < m->n_tiers; i++) { /* insertion sort, highest min first */
    idx_tier t = m->tiers[i];
    size_t j = i;
    while (j > 0 && m->tiers[j - 1].min < t.min) { m->tiers[j] = m->tiers[j - 1]; j--; }
    m->tiers[j] = t;
  }
  for (size_t i = 0; i < m->n_tiers; i++) {
    const idx_tier *t = &m->tiers[i];
    if (!isfinite(t->min)) return model_err(m, t->src_row, t->src_col, err, "tier '%s' needs a finite \"min\"", t->id);
    if (i > 0 && t->min == m->tiers[i - 1].min)
      return model_err(m, t->src_row, t->src_col, err, "tiers '%s' and another have the same \"min\"", t->id);
  }
  if (m->top_n < 0) return model_err(m, 0, 0, err, "publication.top_n must be >= 0%s", 0);
  for (size_t n = 0; n < m->n_nodes; n++)
    for (size_t c = 0; c < m->nodes[n].n_cite; c++)
      if (!idx_model_ref(m, m->nodes[n].cite[c]))
        return node_err(m, &m->nodes[n], err, "'%s' cites '%s', which is not in \"references\"",
                        m->nodes[n].id, m->nodes[n].cite[c]);
  return CHISO_OK;
}

int idx_model_finish(idx_model *m, chiso_err *err) {
  if (m->n_nodes == 0)
    return chiso_err_at(err, CHISO_EDATA, m->source ? m->source : "", 0, 0, "the tree has no nodes");
  for (size_t i = 0; i < m->n_levels; i++)
    if (!isnan(m->levels[i].weight) && !(m->levels[i].weight > 0))
      return chiso_err_at(err, CHISO_EDATA, m->source ? m->source : "", 0, 0,
                          "weight of level %d must be > 0", m->levels[i].level);
  int rc = link_parents(m, err);
  if (!rc) rc = check_nodes(m, err);
  if (!rc) rc = reorder(m, err);
  if (!rc) rc = build_children(m, err);
  if (!rc) rc = finish_extras(m, err);
  if (!rc && m->nodes[m->root].is_indicator)
    rc = node_err(m, &m->nodes[m->root], err, "the root '%s' has no indicators under it%s",
                  m->nodes[m->root].id, 0);
  m->finished = rc == CHISO_OK;
  return rc;
}

/* ======================================================================
** Data
** ==================================================================== */

idx_data *idx_data_new(size_t n_units, size_t n_cols) {
  idx_data *d = chiso_calloc(1, sizeof *d);
  if (!d) return NULL;
  d->n_units = n_units;
  d->n_cols = n_cols;
  size_t nu = n_units ? n_units : 1, nc = n_cols ? n_cols : 1;
  d->code = chiso_calloc(nu, sizeof(char *));
  d->name = chiso_calloc(nu, sizeof(char *));
  d->group = chiso_calloc(nu, sizeof(char *));
  d->note = chiso_calloc(nu, sizeof(char *));
  d->src_row = chiso_calloc(nu, sizeof(long));
  d->respondents = chiso_malloc(nu * sizeof(long));
  d->col_id = chiso_calloc(nc, sizeof(char *));
  d->values = chiso_malloc(sizeof(double) * nu * nc);
  if (!d->code || !d->name || !d->group || !d->note || !d->col_id || !d->values || !d->src_row ||
      !d->respondents) {
    idx_data_free(d);
    return NULL;
  }
  for (size_t i = 0; i < nu * nc; i++) d->values[i] = NAN;
  for (size_t i = 0; i < nu; i++) d->respondents[i] = -1;
  d->min_respondents = -1;
  return d;
}

void idx_data_free(idx_data *d) {
  if (!d) return;
  for (size_t i = 0; i < d->n_units; i++) {
    if (d->code) chiso_free(d->code[i]);
    if (d->name) chiso_free(d->name[i]);
    if (d->group) chiso_free(d->group[i]);
    if (d->note) chiso_free(d->note[i]);
  }
  for (size_t c = 0; c < d->n_cols && d->col_id; c++) chiso_free(d->col_id[c]);
  chiso_free(d->code);
  chiso_free(d->name);
  chiso_free(d->group);
  chiso_free(d->note);
  chiso_free(d->col_id);
  chiso_free(d->values);
  chiso_free(d->src_row);
  chiso_free(d->respondents);
  chiso_free(d);
}

static int set_str(char **slot, const char *s) {
  char *c = NULL;
  if (s && !(c = chiso_strdup(s))) return CHISO_ENOMEM;
  chiso_free(*slot);
  *slot = c;
  return CHISO_OK;
}

int idx_data_set_unit(idx_data *d, size_t i, const char *code, const char *name,
                      const char *group) {
  if (set_str(&d->code[i], code) || set_str(&d->name[i], name ? name : code) ||
      set_str(&d->group[i], group && *group ? group : NULL))
    return CHISO_ENOMEM;
  return CHISO_OK;
}

int idx_data_set_note(idx_data *d, size_t i, const char *note) {
  return set_str(&d->note[i], note);
}

void idx_data_set_respondents(idx_data *d, size_t i, long n) { d->respondents[i] = n < 0 ? -1 : n; }

int idx_data_set_col(idx_data *d, size_t c, const char *id) { return set_str(&d->col_id[c], id); }

int idx_data_col(const idx_data *d, const char *id) {
  for (size_t c = 0; c < d->n_cols; c++)
    if (d->col_id[c] && !strcmp(d->col_id[c], id)) return (int)c;
  return -1;
}

double *idx_data_at(idx_data *d, size_t c, size_t i) { return &d->values[c * d->n_units + i]; }

size_t idx_model_denominated(const idx_model *m) {
  size_t n = 0;
  for (size_t k = 0; k < m->n_ind; k++) n += m->nodes[k].denominator != NULL;
  return n;
}

/* COINr Denominate (Denominate.data.frame): x / (denominator / ScaleFactor)
** for every indicator that names a denominator. A zero or missing
** denominator gives a missing value (R gives Inf or NA). */
int idx_data_denominate(const idx_model *m, idx_data *d, chiso_err *err) {
  assert(m && d);
  for (size_t k = 0; k < m->n_ind; k++) { /* check first: nothing changes on error */
    const idx_node *nd = &m->nodes[k];
    if (!nd->denominator) continue;
    if (idx_data_col(d, nd->id) < 0)
      return chiso_err_set(err, CHISO_EDATA, "indicator '%s' is not in the data", nd->id);
    if (idx_data_col(d, nd->denominator) < 0)
      return chiso_err_set(err, CHISO_EDATA, "denominator '%s' of '%s' is not in the data",
                           nd->denominator, nd->id);
  }
  for (size_t k = 0; k < m->n_ind; k++) {
    const idx_node *nd = &m->nodes[k];
    if (!nd->denominator) continue;
    size_t c = (size_t)idx_data_col(d, nd->id), dc = (size_t)idx_data_col(d, nd->denominator);
    for (size_t i = 0; i < d->n_units; i++) {
      double *x = idx_data_at(d, c, i), den = *idx_data_at(d, dc, i);
      *x = den != 0 && !isnan(den) ? *x / (den / nd->scale_factor) : NAN;
    }
  }
  return CHISO_OK;
}

/* ======================================================================
** Plan and workspace
** ==================================================================== */

struct idx_plan {
  const idx_model *m;
  const idx_data *d;
  size_t U, K, N;
  int *col;   /* K data columns */
  int *ref;   /* K reference units (dist2ref), -1 */
  int *group; /* U group numbers, -1 */
  int n_groups;
  int ref_default; /* reference unit of the model's default dist2ref */
  unsigned char *rule_on; /* per ranking rule: its indicator has data for
                             some unit (a rule on absent data is not applied) */
  int need_cnt;    /* some data-availability threshold is set */
};

void idx_plan_free(idx_plan *p) {
  if (!p) return;
  chiso_free(p->col);
  chiso_free(p->rule_on);
  chiso_free(p->ref);
  chiso_free(p->group);
  chiso_free(p);
}

const idx_model *idx_plan_model(const idx_plan *p) { return p->m; }
int idx_plan_rule_applied(const idx_plan *p, size_t r) { return r < p->m->n_rules && p->rule_on[r]; }
const idx_data *idx_plan_data(const idx_plan *p) { return p->d; }

static int unit_index(const idx_data *d, const char *code) {
  for (size_t i = 0; i < d->n_units; i++)
    if (d->code[i] && !strcmp(d->code[i], code)) return (int)i;
  return -1;
}

static int plan_groups(idx_plan *p) {
  const idx_data *d = p->d;
  for (size_t i = 0; i < p->U; i++) {
    p->group[i] = -1;
    if (!d->group[i]) continue;
    for (size_t j = 0; j < i; j++)
      if (d->group[j] && !strcmp(d->group[j], d->group[i])) { p->group[i] = p->group[j]; break; }
    if (p->group[i] < 0) p->group[i] = p->n_groups++;
  }
  return CHISO_OK;
}

static int plan_refs(idx_plan *p, chiso_err *err) {
  const idx_model *m = p->m;
  p->ref_default = m->norm.ref_unit ? unit_index(p->d, m->norm.ref_unit) : -1;
  if (m->norm.method == IDX_NORM_DIST2REF && p->ref_default < 0)
    return chiso_err_set(err, CHISO_EDATA, "dist2ref: reference unit '%s' is not in the data",
                         m->norm.ref_unit ? m->norm.ref_unit : "(none given)");
  for (size_t k = 0; k < p->K; k++) {
    const idx_normspec *ns = idx_model_norm(m, (int)k);
    p->ref[k] = ns->ref_unit ? unit_index(p->d, ns->ref_unit) : p->ref_default;
    if (ns->method == IDX_NORM_DIST2REF && p->ref[k] < 0)
      return chiso_err_set(err, CHISO_EDATA, "dist2ref of '%s': reference unit '%s' is not in the data",
                           m->nodes[k].id, ns->ref_unit ? ns->ref_unit : "(none given)");
  }
  return CHISO_OK;
}

/* Distance to target needs a target for every indicator it applies to:
** the model's own normalisations (forced < 0), or `forced` for all. */
static int check_targets(const idx_plan *p, int forced, chiso_err *err) {
  for (size_t k = 0; k < p->K; k++) {
    const idx_node *nd = &p->m->nodes[k];
    int meth = forced >= 0 ? forced : (int)idx_model_norm(p->m, (int)k)->method;
    if (meth == IDX_NORM_DIST2TARG && isnan(nd->gp_target))
      return chiso_err_set(err, forced >= 0 ? CHISO_EUSAGE : CHISO_EDATA,
                           "dist2targ: indicator '%s' has no target (iMeta Target, or "
                           "\"goalposts\": {\"target\"})", nd->id);
  }
  return CHISO_OK;
}

int idx_plan_new(const idx_model *m, const idx_data *d, idx_plan **out, chiso_err *err) {
  assert(m && d && out);
  *out = NULL;
  if (!m->finished) return chiso_err_set(err, CHISO_EUSAGE, "the model is not finished");
  if (d->n_units == 0) return chiso_err_set(err, CHISO_EDATA, "the data has no units");
  idx_plan *p = chiso_calloc(1, sizeof *p);
  int rc = CHISO_OK;
  if (!p) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  p->m = m;
  p->d = d;
  p->U = d->n_units;
  p->K = m->n_ind;
  p->N = m->n_nodes;
  p->col = chiso_malloc(sizeof(int) * (p->K ? p->K : 1));
  p->ref = chiso_malloc(sizeof(int) * (p->K ? p->K : 1));
  p->group = chiso_malloc(sizeof(int) * p->U);
  if (!p->col || !p->ref || !p->group) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto fail; }
  for (size_t i = 0; i < p->U; i++) {
    if (!d->code[i]) { rc = chiso_err_set(err, CHISO_EDATA, "unit %zu has no code", i + 1); goto fail; }
    for (size_t j = 0; j < i; j++)
      if (!strcmp(d->code[i], d->code[j])) {
        rc = chiso_err_set(err, CHISO_EDATA, "unit code '%s' appears twice", d->code[i]);
        goto fail;
      }
  }
  for (size_t k = 0; k < p->K; k++) {
    const idx_node *nd = &m->nodes[k];
    p->col[k] = idx_data_col(d, nd->id);
    if (p->col[k] < 0) {
      rc = chiso_err_set(err, CHISO_EDATA, "indicator '%s' is not in the data", nd->id);
      goto fail;
    }
  }
  if ((rc = check_targets(p, -1, err))) goto fail;
  if (!(p->rule_on = chiso_calloc(m->n_rules + 1, 1))) { rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory"); goto fail; }
  for (size_t r = 0; r < m->n_rules; r++) {
    const double *v = d->values + (size_t)p->col[m->rules[r].node] * p->U;
    for (size_t i = 0; i < p->U && !p->rule_on[r]; i++) p->rule_on[r] = !isnan(v[i]);
  }
  plan_groups(p);
  p->need_cnt = m->min_data > 0;
  for (size_t n = 0; n < p->N; n++) p->need_cnt |= !isnan(m->nodes[n].min_data);
  rc = plan_refs(p, err);
  if (rc) goto fail;
  *out = p;
  return CHISO_OK;
fail:
  idx_plan_free(p);
  return rc;
}

struct idx_workspace {
  size_t U, K, N;
  int n_groups;
  double *x;      /* K × U treated values */
  double *s;      /* N × U scores */
  int *order;     /* K × U ascending order (NaN last), kept between runs */
  int *cnt;       /* N × U indicators with data under each node */
  int *tot;       /* N indicators counted under each node */
  double *w;      /* N effective weights */
  double *acc, *wsum, *tmp; /* U */
  double *gstat;  /* n_groups */
  unsigned char *active, *why; /* U */
  int min_resp;   /* the minimum of respondents of the last run */
  int *why_node, *rank, *rorder; /* U */
  int *nwin;      /* K */
  unsigned char *logged; /* K */
  const double **row;    /* N: the scores of node n this run (a row of s, or
                            a cached indicator row read in place) */
  const double **cval, **cmsk; /* N: values and scores of the summed children */
  double *cw;     /* N: their weights */
  double *lgs;    /* N × U: logs of the children of a geometric mean */
  int level;      /* cpu_level() of this run (the sums' vector body; same bits) */
  /* indicator cache (idx_workspace_cache), NULL when off */
  int slots;
  struct ckey *ckey;      /* K × slots */
  double *cx, *cs, *clg;  /* K × slots × U: treated, normalised, log(max(normalised, floor)) */
  int *cnwin, *cnext;     /* K × slots points winsorised; K next slot to replace */
  int *chit;              /* K: the slot used last */
  unsigned char *clogged; /* K × slots */
  const double **lgrow;   /* K: this run's cached log row, or NULL */
  const double **lgnode;  /* N: a node's log row given by idx_run_root, or NULL */
  unsigned char *prev_active; /* U */
  unsigned gen;           /* bumped whenever the active units change */
  int count_floor;        /* this run counts them (not a root_only run) */
  size_t n_floor, n_neg;  /* this run: values raised to the floor of a geometric,
                             harmonic or power (p <= 0) mean; those below 0 */
};

/* What an indicator's treated and normalised values depend on besides the
** model: the data table, the active units, imputation, treatment and the
** normalisation in effect. */
/* 64-bit fields: the key is built on the stack field by field and
** compared at once, and mixed 32-bit stores with 64-bit loads stall. */
typedef struct ckey {
  const double *vals;
  uint64_t gen;
  int64_t imp, win, winmax, norm;
  double a, b;
} ckey;

static void cache_free(idx_workspace *ws) {
  chiso_free(ws->ckey); chiso_free(ws->cx); chiso_free(ws->cs); chiso_free(ws->clg);
  chiso_free(ws->cnwin); chiso_free(ws->cnext); chiso_free(ws->chit); chiso_free(ws->clogged);
  chiso_free(ws->lgrow); chiso_free(ws->prev_active);
  ws->ckey = NULL; ws->cx = ws->cs = ws->clg = NULL; ws->cnwin = ws->cnext = ws->chit = NULL;
  ws->clogged = ws->prev_active = NULL; ws->lgrow = NULL;
  ws->slots = 0;
}

int idx_workspace_cache(idx_workspace *ws, int slots) {
  cache_free(ws);
  if (slots <= 0) return CHISO_OK;
  size_t K = ws->K ? ws->K : 1, S = (size_t)slots, U = ws->U;
  ws->ckey = chiso_calloc(K * S, sizeof *ws->ckey);
  ws->cx = chiso_malloc(K * S * U * sizeof(double));
  ws->cs = chiso_malloc(K * S * U * sizeof(double));
  ws->clg = chiso_malloc(K * S * U * sizeof(double));
  ws->cnwin = chiso_calloc(K * S, sizeof(int));
  ws->cnext = chiso_calloc(K, sizeof(int));
  ws->chit = chiso_calloc(K, sizeof(int));
  ws->clogged = chiso_calloc(K * S, 1);
  ws->lgrow = chiso_calloc(K, sizeof *ws->lgrow);
  ws->prev_active = chiso_calloc(U, 1);
  if (!ws->ckey || !ws->cx || !ws->cs || !ws->clg || !ws->cnwin || !ws->cnext || !ws->chit ||
      !ws->clogged || !ws->lgrow || !ws->prev_active) {
    cache_free(ws);
    return CHISO_ENOMEM;
  }
  ws->slots = slots;
  ws->gen = 1;
  return CHISO_OK;
}

void idx_workspace_free(idx_workspace *ws) {
  if (!ws) return;
  chiso_free(ws->x); chiso_free(ws->s); chiso_free(ws->order); chiso_free(ws->cnt);
  chiso_free(ws->tot); chiso_free(ws->w); chiso_free(ws->acc); chiso_free(ws->wsum);
  chiso_free(ws->tmp); chiso_free(ws->gstat); chiso_free(ws->active); chiso_free(ws->why);
  chiso_free(ws->why_node); chiso_free(ws->rank); chiso_free(ws->rorder);
  chiso_free(ws->nwin); chiso_free(ws->logged);
  chiso_free(ws->row); chiso_free(ws->cval); chiso_free(ws->cmsk); chiso_free(ws->cw);
  chiso_free(ws->lgs);
  chiso_free(ws->lgnode);
  cache_free(ws);
  chiso_free(ws);
}

idx_workspace *idx_workspace_new(const idx_plan *p) {
  idx_workspace *ws = chiso_calloc(1, sizeof *ws);
  if (!ws) return NULL;
  size_t U = p->U, K = p->K ? p->K : 1, N = p->N;
  ws->U = U; ws->K = p->K; ws->N = N; ws->n_groups = p->n_groups;
  ws->x = chiso_malloc(sizeof(double) * K * U);
  ws->s = chiso_malloc(sizeof(double) * N * U);
  ws->order = chiso_malloc(sizeof(int) * K * U);
  ws->cnt = chiso_malloc(sizeof(int) * N * U);
  ws->tot = chiso_malloc(sizeof(int) * N);
  ws->w = chiso_malloc(sizeof(double) * N);
  ws->acc = chiso_malloc(sizeof(double) * U);
  ws->wsum = chiso_malloc(sizeof(double) * U);
  ws->tmp = chiso_malloc(sizeof(double) * U);
  ws->gstat = chiso_malloc(sizeof(double) * ((size_t)p->n_groups + 1));
  ws->active = chiso_malloc(U);
  ws->why = chiso_calloc(U, 1);
  ws->why_node = chiso_malloc(sizeof(int) * U);
  ws->rank = chiso_calloc(U, sizeof(int));
  ws->rorder = chiso_malloc(sizeof(int) * U);
  ws->nwin = chiso_calloc(K, sizeof(int));
  ws->logged = chiso_calloc(K, 1);
  ws->row = chiso_malloc(sizeof *ws->row * N);
  ws->cval = chiso_malloc(sizeof *ws->cval * N);
  ws->cmsk = chiso_malloc(sizeof *ws->cmsk * N);
  ws->cw = chiso_malloc(sizeof *ws->cw * N);
  ws->lgs = chiso_malloc(sizeof *ws->lgs * N * U);
  ws->lgnode = chiso_calloc(N, sizeof *ws->lgnode);
  if (!ws->lgnode ||!ws->x || !ws->s || !ws->order || !ws->cnt || !ws->tot || !ws->w || !ws->acc ||
      !ws->wsum || !ws->tmp || !ws->gstat || !ws->active || !ws->why || !ws->why_node ||
      !ws->rank || !ws->rorder || !ws->nwin || !ws->logged || !ws->row || !ws->cval ||
      !ws->cmsk || !ws->cw || !ws->lgs) {
    idx_workspace_free(ws);
    return NULL;
  }
  for (size_t k = 0; k < p->K; k++)
    for (size_t i = 0; i < U; i++) ws->order[k * U + i] = (int)i;
  for (size_t i = 0; i < U; i++) { ws->rorder[i] = (int)i; ws->why_node[i] = -1; }
  for (size_t i = 0; i < N * U; i++) ws->s[i] = NAN;
  for (size_t n = 0; n < N; n++) ws->row[n] = ws->s + n * U;
  return ws;
}

/* ======================================================================
** Statistics
** ==================================================================== */

/* Central moments of the non-NaN values: n, mean, m2 = sum d^2, m3, m4. */
static size_t moments(const double *x, size_t n, double *mean, double *m2, double *m3,
                      double *m4) {
  size_t c = 0;
  double s = 0;
  for (size_t i = 0; i < n; i++)
    if (!isnan(x[i])) { s += x[i]; c++; }
  *mean = c ? s / (double)c : NAN;
  double a2 = 0, a3 = 0, a4 = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(x[i])) continue;
    double d = x[i] - *mean, d2 = d * d;
    a2 += d2; a3 += d2 * d; a4 += d2 * d2;
  }
  *m2 = a2; *m3 = a3; *m4 = a4;
  return c;
}

/* Skewness type 2 (Joanes & Gill 1998, G1; e1071 type 2; Excel SKEW):
** g1 = sqrt(n) m3 / m2^1.5, G1 = g1 sqrt(n(n-1)) / (n-2). */
double idx_skew(const double *x, size_t n) {
  double mean, m2, m3, m4;
  size_t c = moments(x, n, &mean, &m2, &m3, &m4);
  if (c < 3 || !(m2 > 0)) return NAN;
  double dn = (double)c, g1 = sqrt(dn) * m3 / pow(m2, 1.5);
  return g1 * sqrt(dn * (dn - 1)) / (dn - 2);
}

/* Kurtosis type 2 (Joanes & Gill 1998, G2; Excel KURT): r = n m4 / m2^2,
** G2 = ((n+1)(r-3) + 6)(n-1) / ((n-2)(n-3)). */
double idx_kurt(const double *x, size_t n) {
  double mean, m2, m3, m4;
  size_t c = moments(x, n, &mean, &m2, &m3, &m4);
  if (c < 4 || !(m2 > 0)) return NAN;
  double dn = (double)c, r = dn * m4 / (m2 * m2);
  return ((dn + 1) * (r - 3) + 6) * (dn - 1) / ((dn - 2) * (dn - 3));
}

/* ======================================================================
** One run: helpers
** ==================================================================== */

/* a < b with NaN greater than every number. */
static inline int lt_nan(double a, double b) { return isnan(b) ? !isnan(a) : a < b; }

/* Insertion sort of ord by x, starting from the previous order: O(n) when
** little has changed, which is the common case across replicates. */
static void sort_order(const double *x, int *ord, size_t n) {
  for (size_t i = 1; i < n; i++) {
    int t = ord[i];
    size_t j = i;
    while (j > 0 && lt_nan(x[t], x[ord[j - 1]])) { ord[j] = ord[j - 1]; j--; }
    ord[j] = t;
  }
}

/* Gather the active non-NaN values of x in sorted order (group g, or any
** group when g < 0) into v; returns how many. */
static size_t gather_sorted(const idx_plan *p, const idx_workspace *ws, const double *x,
                            const int *ord, int g, double *v) {
  size_t c = 0;
  for (size_t r = 0; r < p->U; r++) {
    int i = ord[r];
    if (isnan(x[i])) break;
    if (!ws->active[i] || (g >= 0 && p->group[i] != g)) continue;
    v[c++] = x[i];
  }
  return c;
}

static double median_sorted(const double *v, size_t n) {
  if (n == 0) return NAN;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double mean_of(const double *v, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += v[i];
  return n ? s / (double)n : NAN;
}

/* The imputed value for a group (g >= 0) or everyone (g = -1). */
static double impute_stat(const idx_plan *p, idx_workspace *ws, const double *x, const int *ord,
                          int g, int median) {
  size_t n = gather_sorted(p, ws, x, ord, g, ws->tmp);
  return median ? median_sorted(ws->tmp, n) : mean_of(ws->tmp, n);
}

/* Fill missing values: overall or group mean/median of the active units.
** A group with no data falls back to the overall value. Returns 1 when a
** value was filled. */
static int impute(const idx_plan *p, idx_workspace *ws, double *x, const int *ord, int method) {
  if (method == IDX_IMP_NONE) return 0;
  int med = method == IDX_IMP_MEDIAN || method == IDX_IMP_GROUP_MEDIAN;
  int by_group = method == IDX_IMP_GROUP_MEAN || method == IDX_IMP_GROUP_MEDIAN;
  double all = impute_stat(p, ws, x, ord, -1, med);
  if (by_group)
    for (int g = 0; g < p->n_groups; g++) ws->gstat[g] = impute_stat(p, ws, x, ord, g, med);
  int filled = 0;
  for (size_t i = 0; i < p->U; i++) {
    if (!isnan(x[i])) continue;
    double v = all;
    if (by_group && p->group[i] >= 0 && !isnan(ws->gstat[p->group[i]])) v = ws->gstat[p->group[i]];
    x[i] = v;
    filled |= !isnan(v);
  }
  return filled;
}

/* COINr check_SkewKurt: passes when |skew| < skew_max OR kurt < kurt_max;
** -1 when undefined (too few points or no variance). */
static int skewkurt_pass(const idx_model *m, const double *v, size_t n) {
  double sk = idx_skew(v, n), ku = idx_kurt(v, n);
  if (isnan(sk) || isnan(ku)) return -1;
  return fabs(sk) < m->skew_max || ku < m->kurt_max;
}

/* Winsorise the sorted active values v[0..n) the COINr way: while the
** check fails and fewer than winmax points are treated, replace every
** point equal to the maximum (skew >= 0) or the minimum (skew < 0) by the
** next value in. Returns the pass state (1, 0, -1) and the caps. */
static int winsorise_sorted(const idx_model *m, double *v, size_t n, int winmax, double *lo,
                            double *hi, int *nwin) {
  int pass = skewkurt_pass(m, v, n);
  size_t nhi = 0, nlo = 0;
  while (pass == 0 && (int)(nhi + nlo) < winmax) {
    if (idx_skew(v, n) >= 0) {
      size_t k = n - 1;
      while (k > 0 && v[k - 1] == v[n - 1]) k--;
      if (k == 0) break;
      nhi = n - k;
      for (size_t j = k; j < n; j++) v[j] = v[k - 1];
    } else {
      size_t k = 0;
      while (k + 1 < n && v[k + 1] == v[0]) k++;
      if (k + 1 >= n) break;
      nlo = k + 1;
      for (size_t j = 0; j <= k; j++) v[j] = v[k + 1];
    }
    pass = skewkurt_pass(m, v, n);
  }
  *lo = v[0];
  *hi = v[n - 1];
  *nwin = (int)(nhi + nlo);
  return pass;
}

/* log_CT (COINr): ln(x - min + 0.01 (max - min)), min/max over active units. */
static void log_ct(const idx_workspace *ws, double *x, size_t U) {
  double mn = INFINITY, mx = -INFINITY;
  for (size_t i = 0; i < U; i++)
    if (ws->active[i] && !isnan(x[i])) { if (x[i] < mn) mn = x[i]; if (x[i] > mx) mx = x[i]; }
  if (!(mx >= mn)) return;
  for (size_t i = 0; i < U; i++)
    if (!isnan(x[i])) x[i] = log(x[i] - mn + 0.01 * (mx - mn));
}

static void treat(const idx_plan *p, idx_workspace *ws, size_t k, double *x, int winmax) {
  size_t n = gather_sorted(p, ws, x, ws->order + k * p->U, -1, ws->tmp);
  ws->nwin[k] = 0;
  ws->logged[k] = 0;
  if (n < 4) return;
  double lo, hi;
  int pass = winsorise_sorted(p->m, ws->tmp, n, winmax, &lo, &hi, &ws->nwin[k]);
  if (pass < 0) { ws->nwin[k] = 0; return; } /* COINr returns x untreated */
  if (pass == 0 && p->m->log_fallback) {      /* f2 on the original x */
    log_ct(ws, x, p->U);
    ws->nwin[k] = 0;
    ws->logged[k] = 1;
    return;
  }
  if (ws->nwin[k] == 0) return;
  for (size_t i = 0; i < p->U; i++) {
    if (isnan(x[i])) continue;
    if (x[i] > hi) x[i] = hi;
    if (x[i] < lo) x[i] = lo;
  }
}

/* ---- normalisation ------------------------------------------------------- */

typedef struct nstat { size_t n; double min, max, mean, sd; } nstat;

/* Statistics of d*x over the active non-NaN units. */
static nstat norm_stats(const idx_workspace *ws, const double *x, size_t U, int d, int want_sd) {
  nstat s = {0, INFINITY, -INFINITY, 0, NAN};
  double sum = 0;
  for (size_t i = 0; i < U; i++) {
    if (!ws->active[i] || isnan(x[i])) continue;
    double v = d * x[i];
    s.n++; sum += v;
    if (v < s.min) s.min = v;
    if (v > s.max) s.max = v;
  }
  if (!s.n) return s;
  s.mean = sum / (double)s.n;
  if (!want_sd) return s;
  double ss = 0;
  for (size_t i = 0; i < U; i++)
    if (ws->active[i] && !isnan(x[i])) { double e = d * x[i] - s.mean; ss += e * e; }
  s.sd = s.n > 1 ? sqrt(ss / (double)(s.n - 1)) : NAN;
  return s;
}

/* Ranks of d*x: 1 + number of active units strictly below (ties share the
** smallest rank, R's ties.method = "min"). Uses the ascending order. */
static void rank_values(const idx_plan *p, const idx_workspace *ws, const double *x,
                        const int *ord, int d, double *out) {
  size_t U = p->U, nvalid = 0;
  while (nvalid < U && !isnan(x[ord[nvalid]])) nvalid++;
  size_t below = 0;
  for (size_t r = 0; r < nvalid;) {
    size_t e = r, act = 0;
    int i0 = ord[d > 0 ? r : nvalid - 1 - r];
    while (e < nvalid && x[ord[d > 0 ? e : nvalid - 1 - e]] == x[i0]) {
      act += ws->active[ord[d > 0 ? e : nvalid - 1 - e]];
      e++;
    }
    for (size_t t = r; t < e; t++) out[ord[d > 0 ? t : nvalid - 1 - t]] = (double)(below + 1);
    below += act;
    r = e;
  }
  for (size_t r = nvalid; r < U; r++) out[ord[r]] = NAN;
}

static double scale01(double y, double a, double b) { return a + (b - a) * y; }

/* Normalise one indicator row x into out; degenerate cases (a division by
** zero) give every present value the midpoint (a+b)/2 (zscore: a). */
static void normalise(const idx_plan *p, const idx_workspace *ws, size_t k, const double *x,
                      const idx_normspec *ns, int ref, double *out) {
  const idx_node *nd = &p->m->nodes[k];
  size_t U = p->U;
  int d = nd->direction;
  double a = ns->a, b = ns->b, mid = (a + b) / 2;
  idx_norm meth = ns->method;
  if (meth == IDX_NORM_GOALPOSTS && (isnan(nd->gp_low) || isnan(nd->gp_high))) meth = IDX_NORM_MINMAX;
  if (meth == IDX_NORM_RANK || meth == IDX_NORM_PRANK) {
    rank_values(p, ws, x, ws->order + k * U, d, out);
    if (meth == IDX_NORM_RANK) return;
    nstat s = norm_stats(ws, x, U, d, 0);
    for (size_t i = 0; i < U; i++)
      if (!isnan(out[i])) out[i] = s.n > 1 ? scale01((out[i] - 1) / (double)(s.n - 1), a, b) : mid;
    return;
  }
  if (meth == IDX_NORM_GOALPOSTS) {
    double lo = nd->gp_low, hi = nd->gp_high, t = nd->gp_target;
    for (size_t i = 0; i < U; i++) {
      if (isnan(x[i])) { out[i] = NAN; continue; }
      double y = d > 0 ? (x[i] - lo) / ((isnan(t) ? hi : t) - lo)
                       : (hi - x[i]) / (hi - (isnan(t) ? lo : t));
      out[i] = scale01(y < 0 ? 0 : y > 1 ? 1 : y, a, b);
    }
    return;
  }
  nstat s = norm_stats(ws, x, U, d, meth == IDX_NORM_ZSCORE);
  if (meth == IDX_NORM_DIST2TARG) {
    /* COINr n_dist2targ on direction-adjusted values: v = d x, t = d target,
    ** y = (v - min v) / (t - min v), capped at 1 with `cap`. */
    double t = d * nd->gp_target;
    for (size_t i = 0; i < U; i++) {
      if (isnan(x[i])) { out[i] = NAN; continue; }
      double y = s.n && t != s.min ? (d * x[i] - s.min) / (t - s.min) : NAN;
      if ((ns->cap || nd->cap_target) && y > 1) y = 1;
      out[i] = isnan(y) ? mid : scale01(y, a, b);
    }
    return;
  }
  if ((meth == IDX_NORM_MINMAX || meth == IDX_NORM_DIST2MAX) && s.n && s.max > s.min) {
    double f = (b - a) / (s.max - s.min), off = a - s.min * f, df = d * f;
    for (size_t i = 0; i < U; i++) out[i] = df * x[i] + off; /* NaN stays NaN */
    return;
  }
  double xref = ref >= 0 ? d * x[ref] : NAN;
  for (size_t i = 0; i < U; i++) {
    if (isnan(x[i])) { out[i] = NAN; continue; }
    double v = d * x[i], y;
    switch (meth) {
    case IDX_NORM_ZSCORE:
      out[i] = s.n > 1 && s.sd > 0 ? (v - s.mean) / s.sd * b + a : a;
      continue;
    case IDX_NORM_FRACMAX:
      y = s.max != 0 && s.n ? v / s.max : NAN;
      break;
    case IDX_NORM_DIST2REF:
      y = !isnan(xref) && xref != s.min ? 1 - (xref - v) / (xref - s.min) : NAN;
      if (ns->cap && y > 1) y = 1;
      break;
    case IDX_NORM_NONE:
      out[i] = v;
      continue;
    default: /* minmax, dist2max: 1 - (max - v)/(max - min) = (v - min)/(max - min) */
      y = s.n && s.max > s.min ? (v - s.min) / (s.max - s.min) : NAN;
      break;
    }
    out[i] = isnan(y) ? mid : scale01(y, a, b);
  }
}

/* ---- aggregation ------------------------------------------------------- */

/* Count a value raised to the floor (and one below 0): the caller of a
** single run says or refuses it (idx_floored); COINr refuses a geometric
** mean of values <= 0. */
static void count_floor(idx_workspace *ws, double v, double floor_v) {
  if (v < floor_v) ws->n_floor++, ws->n_neg += v < 0;
}

/* Add child scores c to the accumulators (the harmonic and power means).
** Values below the floor are raised to it for the harmonic mean (and power
** means with p <= 0) so that zeros never give 1/0. */
static void agg_add(idx_workspace *ws, const double *c, double w, int meth, double pw,
                    double floor_v) {
  for (size_t i = 0; i < ws->U; i++) {
    double v = c[i];
    if (isnan(v)) continue;
    if (meth == IDX_AGG_GEOMETRIC || meth == IDX_AGG_HARMONIC || (meth == IDX_AGG_POWER && pw <= 0))
      count_floor(ws, v, floor_v);
    switch (meth) {
    case IDX_AGG_GEOMETRIC: ws->acc[i] += w * log(v < floor_v ? floor_v : v); break;
    case IDX_AGG_HARMONIC: ws->acc[i] += w / (v < floor_v ? floor_v : v); break;
    case IDX_AGG_POWER:
      if (pw > 0) ws->acc[i] += w * pow(v < 0 ? 0 : v, pw);
      else ws->acc[i] += w * pow(v < floor_v ? floor_v : v, pw);
      break;
    default: ws->acc[i] += w * v; break;
    }
    ws->wsum[i] += w;
  }
}

/* The weighted sums of the arithmetic and geometric means, over units in
** vector blocks: acc[i] = Σ_j w_j val_j[i] and wsum[i] = Σ_j w_j over the
** children j (in order) whose score msk_j[i] is present. The NaN test is a
** mask and-ed into the terms, so a missing score adds +0.0, which leaves
** a sum that started at +0.0 unchanged bit for bit (such a sum is never
** −0.0): the same bits as adding only the present terms one by one,
** whatever the vector width. No fused multiply-add: -std=c17 leaves
** contraction off. */
typedef double idx_v4 __attribute__((vector_size(32)));
typedef long long idx_m4 __attribute__((vector_size(32)));
typedef double idx_v8 __attribute__((vector_size(64)));
typedef long long idx_m8 __attribute__((vector_size(64)));

/* Blocks of 2W units (W doubles per vector, VT with mask type MT), the
** last block overlapping the one before; fewer than 2W units are summed
** one by one. */
#define SUM_ROWS_BODY(VT, MT, W)                                                           \
  size_t i = 0;                                                                            \
  for (size_t next = 0; U >= 2 * W && next < U; next = i + 2 * W) {                       \
    i = next + 2 * W <= U ? next : U - 2 * W; /* the last block overlaps: same bits */     \
    VT a0 = {0}, a1 = a0, s0 = a0, s1 = a0;                                                \
    for (int j = 0; j < nc; j++) {                                                         \
      VT x0, x1, m0, m1, wj;                                                               \
      for (int l = 0; l < W; l++) wj[l] = w[j];                                            \
      memcpy(&x0, val[j] + i, sizeof x0);                                                  \
      memcpy(&x1, val[j] + i + W, sizeof x1);                                              \
      memcpy(&m0, msk[j] + i, sizeof m0);                                                  \
      memcpy(&m1, msk[j] + i + W, sizeof m1);                                              \
      MT k0 = m0 == m0, k1 = m1 == m1;                                                     \
      a0 += (VT)((MT)(wj * x0) & k0);                                                      \
      a1 += (VT)((MT)(wj * x1) & k1);                                                      \
      s0 += (VT)((MT)wj & k0);                                                             \
      s1 += (VT)((MT)wj & k1);                                                             \
    }                                                                                      \
    memcpy(acc + i, &a0, sizeof a0);                                                       \
    memcpy(acc + i + W, &a1, sizeof a1);                                                   \
    memcpy(wsum + i, &s0, sizeof s0);                                                      \
    memcpy(wsum + i + W, &s1, sizeof s1);                                                  \
    if (!mean) continue;                                                                   \
    VT zero = {0}, nan, q0 = a0 / s0, q1 = a1 / s1;                                        \
    for (int l = 0; l < W; l++) nan[l] = NAN;                                              \
    MT p0 = s0 > zero, p1 = s1 > zero;                                                     \
    q0 = (VT)(((MT)q0 & p0) | ((MT)nan & ~p0));                                            \
    q1 = (VT)(((MT)q1 & p1) | ((MT)nan & ~p1));                                            \
    memcpy(mean + i, &q0, sizeof q0);                                                      \
    memcpy(mean + i + W, &q1, sizeof q1);                                                  \
  }                                                                                        \
  for (i = U >= 2 * W ? U : 0; i < U; i++) {                                               \
    double a = 0, s = 0;                                                                   \
    for (int j = 0; j < nc; j++)                                                           \
      if (!isnan(msk[j][i])) { a += w[j] * val[j][i]; s += w[j]; }                         \
    acc[i] = a;                                                                            \
    wsum[i] = s;                                                                           \
    if (mean) mean[i] = s > 0 ? a / s : NAN;                                               \
  }

static inline __attribute__((always_inline)) void
sum_rows(const double *const *val, const double *const *msk, const double *w, int nc, size_t U,
         double *acc, double *wsum, double *mean) {
  SUM_ROWS_BODY(idx_v4, idx_m4, 4)
}

static inline __attribute__((always_inline)) void
sum_rows16(const double *const *val, const double *const *msk, const double *w, int nc,
           size_t U, double *acc, double *wsum, double *mean) {
  SUM_ROWS_BODY(idx_v8, idx_m8, 8)
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) static void
sum_rows_avx512(const double *const *val, const double *const *msk, const double *w, int nc,
                size_t U, double *acc, double *wsum, double *mean) {
  if (U >= 16) sum_rows16(val, msk, w, nc, U, acc, wsum, mean);
  else sum_rows(val, msk, w, nc, U, acc, wsum, mean);
}

__attribute__((target("avx2"))) static void
sum_rows_avx2(const double *const *val, const double *const *msk, const double *w, int nc,
              size_t U, double *acc, double *wsum, double *mean) {
  sum_rows(val, msk, w, nc, U, acc, wsum, mean);
}

static void sum_rows_base(const double *const *val, const double *const *msk, const double *w,
                          int nc, size_t U, double *acc, double *wsum, double *mean) {
  sum_rows(val, msk, w, nc, U, acc, wsum, mean);
}

/* The weighted means of the OECD/JRC Handbook (2008) §6 and COINr
** (a_amean, a_gmean, a_hmean) from the sums of agg_add:
**   arithmetic Σ w v / Σ w,   geometric exp(Σ w ln v / Σ w),
**   harmonic Σ w / Σ (w / v), power (Σ w v^p / Σ w)^(1/p) (the generalised
**   mean, Hardy, Littlewood & Pólya 1934, ch. 2). */
static double agg_final(double acc, double wsum, int meth, double pw) {
  if (!(wsum > 0)) return NAN;
  switch (meth) {
  case IDX_AGG_GEOMETRIC: return exp(acc / wsum);
  case IDX_AGG_HARMONIC: return wsum / acc;
  case IDX_AGG_POWER: return pow(acc / wsum, 1 / pw);
  default: return acc / wsum;
  }
}

/* The arithmetic or geometric sums of node n's children: the values are
** the children's scores, or their logs (cached for indicators, else
** computed here into ws->lgs, as agg_add would). An arithmetic mean is
** written to out. */
static void sum_children(const idx_plan *p, idx_workspace *ws, const idx_node *nd, int meth,
                         double *out) {
  const idx_model *m = p->m;
  size_t U = p->U;
  int nc = 0;
  for (int j = 0; j < nd->n_children; j++) {
    int c = m->children[nd->first_child + j];
    if (!(ws->w[c] > 0)) continue;
    const double *v = ws->row[c];
    ws->cmsk[nc] = v;
    ws->cw[nc] = ws->w[c];
    if (meth == IDX_AGG_GEOMETRIC) {
      const double *lg = ws->lgnode[c];
      if (!lg && ws->lgrow && (size_t)c < p->K) lg = ws->lgrow[c];
      for (size_t i = 0; ws->count_floor && i < U; i++) /* said or refused (idx_floored) */
        if (!isnan(v[i])) count_floor(ws, v[i], m->geo_floor);
      if (!lg) {
        double *l = ws->lgs + (size_t)nc * U, fl = m->geo_floor;
        for (size_t i = 0; i < U; i++) l[i] = isnan(v[i]) ? 0 : log(v[i] < fl ? fl : v[i]);
        lg = l;
      }
      v = lg;
    }
    ws->cval[nc++] = v;
  }
  double *mean = meth == IDX_AGG_ARITHMETIC ? out : NULL;
  if (ws->level >= CPU_AVX512) sum_rows_avx512(ws->cval, ws->cmsk, ws->cw, nc, U, ws->acc, ws->wsum, mean);
  else if (ws->level >= CPU_AVX2) sum_rows_avx2(ws->cval, ws->cmsk, ws->cw, nc, U, ws->acc, ws->wsum, mean);
  else sum_rows_base(ws->cval, ws->cmsk, ws->cw, nc, U, ws->acc, ws->wsum, mean);
}

static void aggregate_node(const idx_plan *p, idx_workspace *ws, const idx_options *o, int n) {
  const idx_model *m = p->m;
  const idx_node *nd = &m->nodes[n];
  size_t U = p->U;
  int meth = o->agg >= 0 ? o->agg : nd->agg_set ? (int)nd->agg : (int)m->agg;
  double pw = o->agg >= 0 ? (isnan(o->agg_power) ? 2 : o->agg_power)
                          : nd->agg_set ? nd->power : m->power;
  if (meth == IDX_AGG_POWER && pw == 0) meth = IDX_AGG_GEOMETRIC;
  double *out = ws->s + (size_t)n * U;
  if (meth == IDX_AGG_ARITHMETIC || meth == IDX_AGG_GEOMETRIC) {
    sum_children(p, ws, nd, meth, out);
  } else {
    for (size_t i = 0; i < U; i++) ws->acc[i] = ws->wsum[i] = 0;
    for (int j = 0; j < nd->n_children; j++) {
      int c = m->children[nd->first_child + j];
      if (ws->w[c] > 0) agg_add(ws, ws->row[c], ws->w[c], meth, pw, m->geo_floor);
    }
  }
  if (meth == IDX_AGG_GEOMETRIC)
    for (size_t i = 0; i < U; i++) out[i] = ws->wsum[i] > 0 ? exp(ws->acc[i] / ws->wsum[i]) : NAN;
  else if (meth != IDX_AGG_ARITHMETIC)
    for (size_t i = 0; i < U; i++) out[i] = agg_final(ws->acc[i], ws->wsum[i], meth, pw);
  double thr = nd->min_data;
  if (isnan(thr) || !(ws->tot[n] > 0)) return;
  const int *cnt = ws->cnt + (size_t)n * U;
  for (size_t i = 0; i < U; i++)
    if ((double)cnt[i] < thr * ws->tot[n] - 1e-12) {
      out[i] = NAN;
      if (ws->why[i] == IDX_RANKED) { ws->why[i] = IDX_UNRANKED_NODE; ws->why_node[i] = n; }
    }
}

/* ---- run ---------------------------------------------------------------- */

static int check_options(const idx_plan *p, const idx_options *o, chiso_err *err) {
  if (o->norm >= (int)IDX_NORM_COUNT || o->agg >= (int)IDX_AGG_COUNT || o->impute >= (int)IDX_IMP_COUNT)
    return chiso_err_set(err, CHISO_EUSAGE, "unknown method number in the options");
  if (o->exclude >= (int)p->K)
    return chiso_err_set(err, CHISO_EUSAGE, "exclude %d is not an indicator", o->exclude);
  if (o->norm == IDX_NORM_DIST2TARG) {
    int rc = check_targets(p, IDX_NORM_DIST2TARG, err);
    if (rc) return rc;
  }
  if (o->weight_mult)
    for (size_t n = 0; n < p->N; n++)
      if (!(o->weight_mult[n] >= 0))
        return chiso_err_set(err, CHISO_EUSAGE, "weight multiplier of '%s' is negative",
                             p->m->nodes[n].id);
  return CHISO_OK;
}

static void set_weights(const idx_plan *p, idx_workspace *ws, const idx_options *o) {
  for (size_t n = 0; n < p->N; n++) {
    double w = p->m->nodes[n].weight;
    if (o->weights && !isnan(o->weights[n])) w = o->weights[n];
    if (o->weight_mult) w *= o->weight_mult[n];
    ws->w[n] = (int)n == o->exclude ? 0 : w;
  }
}

/* Raw availability counts bottom-up, then screening of units. */
/* The first ranking rule unit i fails (raw value missing or outside
** [min, max]), or -1. */
static int failed_rule(const idx_plan *p, const double *vals, size_t i) {
  const idx_model *m = p->m;
  for (size_t r = 0; r < m->n_rules; r++) {
    const idx_rank_rule *rl = &m->rules[r];
    if (!p->rule_on[r]) continue;
    double v = vals[(size_t)p->col[rl->node] * p->U + i];
    if (isnan(v) || (!isnan(rl->min) && v < rl->min) || (!isnan(rl->max) && v > rl->max))
      return (int)r;
  }
  return -1;
}

static void screen(const idx_plan *p, idx_workspace *ws, const double *vals, int min_resp) {
  const idx_model *m = p->m;
  size_t U = p->U;
  for (size_t k = 0; k < p->K; k++) {
    const double *raw = vals + (size_t)p->col[k] * U;
    int on = ws->w[k] > 0;
    ws->tot[k] = on;
    if (p->need_cnt)
      for (size_t i = 0; i < U; i++) ws->cnt[k * U + i] = on && !isnan(raw[i]);
  }
  for (size_t n = p->K; n < p->N; n++) {
    const idx_node *nd = &m->nodes[n];
    int *cn = ws->cnt + n * U;
    ws->tot[n] = 0;
    if (p->need_cnt)
      for (size_t i = 0; i < U; i++) cn[i] = 0;
    for (int j = 0; j < nd->n_children; j++) {
      int c = m->children[nd->first_child + j];
      if (!(ws->w[c] > 0)) continue;
      ws->tot[n] += ws->tot[c];
      if (p->need_cnt)
        for (size_t i = 0; i < U; i++) cn[i] += ws->cnt[(size_t)c * U + i];
    }
  }
  const int *croot = ws->cnt + (size_t)m->root * U;
  for (size_t i = 0; i < U; i++) {
    long resp = p->d->respondents[i];
    int rule;
    ws->why[i] = IDX_RANKED;
    ws->why_node[i] = -1;
    if (p->d->note[i]) ws->why[i] = IDX_UNRANKED_NOTE;
    else if (resp == 0 || (min_resp > 0 && resp > 0 && resp < min_resp))
      ws->why[i] = IDX_UNRANKED_RESPONDENTS;
    else if ((rule = failed_rule(p, vals, i)) >= 0) {
      ws->why[i] = IDX_UNRANKED_RULE;
      ws->why_node[i] = rule;
    } else if (m->min_data > 0 && (double)croot[i] < m->min_data * ws->tot[m->root] - 1e-12)
      ws->why[i] = IDX_UNRANKED_DATA;
    ws->active[i] = ws->why[i] == IDX_RANKED;
  }
  if (ws->slots && memcmp(ws->prev_active, ws->active, U)) { /* the cache keys on this */
    memcpy(ws->prev_active, ws->active, U);
    ws->gen++;
  }
}

/* The normalisation in effect for indicator k under the options. */
static const idx_normspec *run_norm(const idx_model *m, const idx_options *o, size_t k,
                                    idx_normspec *tmp) {
  const idx_normspec *ns = idx_model_norm(m, (int)k);
  if (o->norm >= 0) {
    *tmp = *ns;
    if (tmp->method != (idx_norm)o->norm) {
      tmp->method = (idx_norm)o->norm;
      tmp->a = o->norm == IDX_NORM_ZSCORE ? 0 : m->norm.a;
      tmp->b = o->norm == IDX_NORM_ZSCORE ? 1 : m->norm.b;
      if (o->norm == (int)m->norm.method) { tmp->a = m->norm.a; tmp->b = m->norm.b; }
    }
  } else if (!isnan(o->norm_a) || !isnan(o->norm_b)) {
    *tmp = *ns;
  } else {
    return ns;
  }
  if (!isnan(o->norm_a)) tmp->a = o->norm_a;
  if (!isnan(o->norm_b)) tmp->b = o->norm_b;
  return tmp;
}

static int ckey_eq(const ckey *a, const ckey *b) {
  return a->vals == b->vals && a->gen == b->gen && a->imp == b->imp && a->win == b->win &&
         a->winmax == b->winmax && a->norm == b->norm && a->a == b->a && a->b == b->b;
}

/* Take indicator k from the cache when its key is there (the slot hit
** last time is tried first). With root_only the cached rows are read in
** place; otherwise they are copied into the results. */
static int cache_get(idx_workspace *ws, size_t k, const ckey *key, int root_only) {
  size_t U = ws->U, S = (size_t)ws->slots;
  for (size_t t = 0; t < S; t++) {
    size_t j = t == 0 ? (size_t)ws->chit[k] : t == (size_t)ws->chit[k] ? 0 : t;
    size_t c = k * S + j;
    if (!ckey_eq(&ws->ckey[c], key)) continue;
    ws->chit[k] = (int)j;
    if (root_only) {
      ws->row[k] = ws->cs + c * U;
    } else {
      memcpy(ws->x + k * U, ws->cx + c * U, U * sizeof(double));
      memcpy(ws->s + k * U, ws->cs + c * U, U * sizeof(double));
    }
    ws->nwin[k] = ws->cnwin[c];
    ws->logged[k] = ws->clogged[c];
    ws->lgrow[k] = ws->clg + c * U;
    return 1;
  }
  return 0;
}

static void cache_put(idx_workspace *ws, size_t k, const ckey *key, double floor_v) {
  size_t U = ws->U, S = (size_t)ws->slots, c = k * S + (size_t)ws->cnext[k];
  ws->chit[k] = ws->cnext[k];
  ws->cnext[k] = (ws->cnext[k] + 1) % ws->slots;
  ws->ckey[c] = *key;
  memcpy(ws->cx + c * U, ws->x + k * U, U * sizeof(double));
  memcpy(ws->cs + c * U, ws->s + k * U, U * sizeof(double));
  ws->cnwin[c] = ws->nwin[k];
  ws->clogged[c] = ws->logged[k];
  double *lg = ws->clg + c * U;
  const double *v = ws->s + k * U;
  for (size_t i = 0; i < U; i++) lg[i] = isnan(v[i]) ? NAN : log(v[i] < floor_v ? floor_v : v[i]);
  ws->lgrow[k] = lg;
}

static void run_indicator(const idx_plan *p, idx_workspace *ws, const idx_options *o,
                          const double *vals, size_t k) {
  const idx_model *m = p->m;
  const idx_node *nd = &m->nodes[k];
  size_t U = p->U;
  double *x = ws->x + k * U, *out = ws->s + k * U;
  int *ord = ws->order + k * U;
  const double *raw = vals + (size_t)p->col[k] * U;
  ws->nwin[k] = 0;
  ws->logged[k] = 0;
  ws->row[k] = out;
  if (ws->lgrow) ws->lgrow[k] = NULL;
  if (!(ws->w[k] > 0)) {
    for (size_t i = 0; i < U; i++) x[i] = out[i] = NAN;
    return;
  }
  idx_normspec tmp;
  const idx_normspec *ns = run_norm(m, o, k, &tmp);
  int imp = o->impute >= 0 ? o->impute : (int)m->impute;
  int win = nd->treat == 0 ? 0 : o->winsorise >= 0 ? o->winsorise : (nd->treat == 1 || m->winsorise);
  int wmax = o->winmax >= 0 ? o->winmax : m->winmax;
  ckey key = {vals, ws->gen, imp, win, win ? wmax : 0, (int)ns->method, ns->a, ns->b};
  if (ws->slots && cache_get(ws, k, &key, o->root_only)) return;
  for (size_t i = 0; i < U; i++)
    x[i] = nd->transform == IDX_TX_LOG ? (raw[i] > 0 ? log(raw[i]) : NAN) : raw[i];
  if (nd->transform == IDX_TX_LOG_CT) log_ct(ws, x, U);
  int need_sort = imp == IDX_IMP_MEDIAN || imp == IDX_IMP_GROUP_MEDIAN || imp == IDX_IMP_MEAN ||
                  imp == IDX_IMP_GROUP_MEAN || win || ns->method == IDX_NORM_RANK ||
                  ns->method == IDX_NORM_PRANK;
  if (need_sort) sort_order(x, ord, U);
  if (impute(p, ws, x, ord, imp)) sort_order(x, ord, U);
  if (win) treat(p, ws, k, x, wmax);
  if (ws->logged[k]) sort_order(x, ord, U);
  int ref = ns->ref_unit ? p->ref[k] : (p->ref[k] >= 0 ? p->ref[k] : p->ref_default);
  normalise(p, ws, k, x, ns, ref, out);
  if (ws->slots) cache_put(ws, k, &key, m->geo_floor);
}

/* Rank eligible units by the root, descending; ties share the smallest. */
static void rank_root(const idx_plan *p, idx_workspace *ws) {
  size_t U = p->U;
  const double *r = ws->s + (size_t)p->m->root * U;
  for (size_t i = 0; i < U; i++) {
    ws->tmp[i] = ws->why[i] == IDX_RANKED && !isnan(r[i]) ? -r[i] : NAN;
    if (ws->why[i] == IDX_RANKED && isnan(r[i])) ws->why[i] = IDX_UNRANKED_NOSCORE;
  }
  sort_order(ws->tmp, ws->rorder, U);
  for (size_t t = 0; t < U; t++) {
    int i = ws->rorder[t];
    if (isnan(ws->tmp[i])) { ws->rank[i] = 0; continue; }
    ws->rank[i] = t > 0 && ws->tmp[ws->rorder[t - 1]] == ws->tmp[i] ? ws->rank[ws->rorder[t - 1]]
                                                                      : (int)t + 1;
  }
}

void idx_options_init(idx_options *o) {
  memset(o, 0, sizeof *o);
  o->norm = -1;
  o->norm_a = o->norm_b = NAN;
  o->agg = -1;
  o->agg_power = NAN;
  o->winsorise = -1;
  o->winmax = -1;
  o->impute = -1;
  o->exclude = -1;
}

int idx_run(const idx_plan *p, idx_workspace *ws, const idx_options *opt, chiso_err *err) {
  assert(p && ws);
  idx_options defaults;
  if (!opt) { idx_options_init(&defaults); opt = &defaults; }
  int rc = check_options(p, opt, err);
  if (rc) return rc;
  const double *vals = opt->values ? opt->values : p->d->values;
  ws->n_floor = ws->n_neg = 0;
  ws->count_floor = !opt->root_only; /* a Monte Carlo run reads no count */
  ws->level = cpu_level();
  set_weights(p, ws, opt);
  ws->min_resp = p->d->min_respondents >= 0 ? p->d->min_respondents : p->m->min_respondents;
  screen(p, ws, vals, ws->min_resp);
  for (size_t k = 0; k < p->K; k++) run_indicator(p, ws, opt, vals, k);
  for (size_t n = p->K; n < p->N; n++) aggregate_node(p, ws, opt, (int)n);
  rank_root(p, ws);
  return CHISO_OK;
}

/* ---- the root again (idx_run_root) -------------------------------------- */

/* A root state: the rows of the root's children (n_children × U doubles)
** and their logs for a geometric mean (as sum_children takes them),
** the root's counts (U ints, and its total), the reasons' nodes (U ints),
** the units in the run's rank order (U ints: a sort that starts there has
** little to move; the ranks do not depend on where it starts) and the
** reasons (U bytes), padded to 8 bytes. */
typedef struct root_layout {
  size_t rows, logs, cnt, why_node, order, why, size;
} root_layout;

static root_layout root_layout_of(const idx_plan *p) {
  const idx_node *root = &p->m->nodes[p->m->root];
  root_layout l;
  size_t U = p->U;
  l.rows = 0;
  l.logs = (size_t)root->n_children * U * sizeof(double);
  l.cnt = 2 * l.logs;
  l.why_node = l.cnt + (U + 1) * sizeof(int);
  l.order = l.why_node + U * sizeof(int);
  l.why = l.order + U * sizeof(int);
  l.size = (l.why + U + 7) / 8 * 8;
  return l;
}

size_t idx_root_state_size(const idx_plan *p) {
  assert(p);
  return root_layout_of(p).size;
}

void idx_root_state_save(const idx_plan *p, const idx_workspace *ws, void *state) {
  assert(p && ws && state);
  const idx_model *m = p->m;
  const idx_node *root = &m->nodes[m->root];
  root_layout l = root_layout_of(p);
  unsigned char *b = state;
  size_t U = p->U;
  double fl = m->geo_floor;
  for (int j = 0; j < root->n_children; j++) {
    const double *v = ws->row[m->children[root->first_child + j]];
    double *lg = (double *)(void *)(b + l.logs + (size_t)j * U * sizeof(double)); /* 8-aligned */
    for (size_t i = 0; i < U; i++) lg[i] = isnan(v[i]) ? 0 : log(v[i] < fl ? fl : v[i]);
    memcpy(b + l.rows + (size_t)j * U * sizeof(double), v, U * sizeof(double));
  }
  int tot = ws->tot[m->root];
  memcpy(b + l.cnt, &tot, sizeof tot);
  if (p->need_cnt) memcpy(b + l.cnt + sizeof(int), ws->cnt + (size_t)m->root * U, U * sizeof(int));
  else memset(b + l.cnt + sizeof(int), 0, U * sizeof(int));
  memcpy(b + l.why_node, ws->why_node, U * sizeof(int));
  memcpy(b + l.order, ws->rorder, U * sizeof(int));
  memcpy(b + l.why, ws->why, U);
  memset(b + l.why + U, 0, l.size - l.why - U);
}

/* The reasons saved are those after the root's run: the root's own
** threshold and rank_root only turn a ranked unit unranked, the same way
** for any positive weights (counts and missing scores do not depend on
** their values), so aggregating and ranking again over them changes
** nothing but the scores and the ranks. */
int idx_run_root(const idx_plan *p, idx_workspace *ws, const idx_options *opt, const void *state,
                 chiso_err *err) {
  assert(p && ws && opt && state);
  int rc = check_options(p, opt, err);
  if (rc) return rc;
  const idx_model *m = p->m;
  const idx_node *root = &m->nodes[m->root];
  root_layout l = root_layout_of(p);
  const unsigned char *b = state;
  size_t U = p->U;
  ws->n_floor = ws->n_neg = 0;
  ws->count_floor = 0;
  ws->level = cpu_level();
  set_weights(p, ws, opt);
  for (int j = 0; j < root->n_children; j++) {
    int c = m->children[root->first_child + j];
    ws->row[c] = (const double *)(const void *)(b + l.rows + (size_t)j * U * sizeof(double));
    ws->lgnode[c] = (const double *)(const void *)(b + l.logs + (size_t)j * U * sizeof(double));
  }
  memcpy(&ws->tot[m->root], b + l.cnt, sizeof(int));
  memcpy(ws->cnt + (size_t)m->root * U, b + l.cnt + sizeof(int), U * sizeof(int));
  memcpy(ws->why_node, b + l.why_node, U * sizeof(int));
  memcpy(ws->rorder, b + l.order, U * sizeof(int));
  memcpy(ws->why, b + l.why, U);
  aggregate_node(p, ws, opt, m->root);
  rank_root(p, ws);
  /* the children's rows are the workspace's own again for the next run */
  for (int j = 0; j < root->n_children; j++) {
    int c = m->children[root->first_child + j];
    if ((size_t)c >= p->K) ws->row[c] = ws->s + (size_t)c * U;
    ws->lgnode[c] = NULL;
  }
  return CHISO_OK;
}

/* ======================================================================
** Results
** ==================================================================== */

const double *idx_scores(const idx_workspace *ws) { return ws->s; }
double idx_score(const idx_workspace *ws, int node, size_t unit) {
  return ws->s[(size_t)node * ws->U + unit];
}
const int *idx_ranks(const idx_workspace *ws) { return ws->rank; }
const double *idx_treated(const idx_workspace *ws) { return ws->x; }

size_t idx_floored(const idx_workspace *ws, size_t *negative) {
  if (negative) *negative = ws->n_neg;
  return ws->n_floor;
}

int idx_check_means(const idx_plan *p, const idx_workspace *ws, char *note, size_t n,
                    chiso_err *err) {
  size_t neg = 0, fl = idx_floored(ws, &neg);
  if (note && n) note[0] = '\0';
  if (neg)
    return chiso_err_set(err, CHISO_EDATA,
                         "a geometric or harmonic mean of %zu value%s below 0 (as z-scores "
                         "give) is undefined: normalise to a positive range (minmax, or a "
                         "zscore mean well above its sd) or aggregate with the arithmetic mean",
                         neg, neg == 1 ? "" : "s");
  if (fl && note)
    snprintf(note, n, "%zu value%s below %g (the geometric_floor) were raised to it in a geometric "
             "or harmonic mean (a min-max minimum is 0); normalise to a range above 0 (e.g. 1 to "
             "100) to avoid it", fl, fl == 1 ? "" : "s", p->m->geo_floor);
  return CHISO_OK;
}

int idx_treated_points(const idx_workspace *ws, int k, int *logged) {
  if (logged) *logged = ws->logged[k];
  return ws->nwin[k];
}

idx_unranked idx_unranked_reason(const idx_workspace *ws, size_t unit, int *node) {
  if (node) *node = ws->why_node[unit];
  return (idx_unranked)ws->why[unit];
}

/* A number for the text: up to 4 significant digits, with a decimal
** comma in Vietnamese. */
static void fmt_num(double v, int vi, char *buf, size_t n) {
  snprintf(buf, n, "%.4g", v);
  if (vi)
    for (char *c = buf; *c; c++)
      if (*c == '.') *c = ',';
}

static const char *node_name(const idx_node *nd, int vi) {
  const char *s = vi ? nd->name_vi : nd->name_en;
  return s && *s ? s : nd->id;
}

/* The ranking rule text: "X = 0.64 < 0.8 (the method's threshold)". */
static void rule_text(const idx_plan *p, int r, size_t unit, int vi, char *buf, size_t n) {
  const idx_rank_rule *rl = &p->m->rules[r];
  const idx_node *nd = &p->m->nodes[rl->node];
  double v = p->d->values[(size_t)p->col[rl->node] * p->U + unit];
  char val[32], lim[32];
  if (isnan(v)) {
    snprintf(buf, n, vi ? "không xếp hạng vì thiếu số liệu %s (quy tắc xếp hạng của phương pháp cần chỉ tiêu này)"
                        : "not ranked, because %s has no value (the method's ranking rule needs it)",
             node_name(nd, vi));
    return;
  }
  int low = !isnan(rl->min) && v < rl->min;
  fmt_num(v, vi, val, sizeof val);
  fmt_num(low ? rl->min : rl->max, vi, lim, sizeof lim);
  snprintf(buf, n, vi ? "không xếp hạng vì %s = %s %s %s (ngưỡng xếp hạng của phương pháp)"
                      : "not ranked, because %s = %s %s %s (the method's ranking threshold)",
           node_name(nd, vi), val, low ? "<" : ">", lim);
}

void idx_unranked_text_lang(const idx_plan *p, const idx_workspace *ws, size_t unit,
                            const char *lang, char *buf, size_t n) {
  const idx_model *m = p->m;
  size_t U = p->U;
  int node = ws->why_node[unit], vi = lang && !strcmp(lang, "vi");
  const char *because = vi ? "không xếp hạng vì" : "not ranked, because";
  long resp = p->d->respondents[unit];
  buf[0] = '\0';
  switch (ws->why[unit]) {
  case IDX_UNRANKED_NOTE: snprintf(buf, n, "%s %s", because, p->d->note[unit]); break;
  case IDX_UNRANKED_RESPONDENTS:
    if (resp == 0)
      snprintf(buf, n, "%s", vi ? "không xếp hạng vì không có doanh nghiệp nào trả lời khảo sát"
                                : "not ranked, because no firm answered the survey");
    else
      snprintf(buf, n, vi ? "%s chỉ có %ld doanh nghiệp trả lời < %d (mức tối thiểu của phương pháp)"
                          : "%s %ld respondents < %d (the method's minimum)",
               because, resp, ws->min_resp);
    break;
  case IDX_UNRANKED_RULE: rule_text(p, node, unit, vi, buf, n); break;
  case IDX_UNRANKED_DATA: {
    int c = ws->cnt[(size_t)m->root * U + unit], t = ws->tot[m->root];
    snprintf(buf, n, vi ? "%s chỉ có số liệu cho %d/%d chỉ tiêu (%.0f%%) < %.0f%%"
                        : "%s data for %d of %d indicators (%.0f%%) < %.0f%%",
             because, c, t, t ? 100.0 * c / t : 0.0, 100 * m->min_data);
    break;
  }
  case IDX_UNRANKED_NODE: {
    int c = ws->cnt[(size_t)node * U + unit], t = ws->tot[node];
    snprintf(buf, n, vi ? "%s %s: chỉ có số liệu cho %d/%d chỉ tiêu (%.0f%%) < %.0f%%"
                        : "%s %s: data for %d of %d indicators (%.0f%%) < %.0f%%",
             because, m->nodes[node].id, c, t, t ? 100.0 * c / t : 0.0,
             100 * m->nodes[node].min_data);
    break;
  }
  case IDX_UNRANKED_NOSCORE:
    snprintf(buf, n, "%s", vi ? "không xếp hạng vì không có số liệu cho chỉ số"
                              : "not ranked, because there is no data for the index");
    break;
  default: break;
  }
}

void idx_unranked_text(const idx_plan *p, const idx_workspace *ws, size_t unit, char *buf,
                       size_t n) {
  idx_unranked_text_lang(p, ws, unit, "en", buf, n);
}

void idx_rank_node(const idx_plan *p, const idx_workspace *ws, int node, int *ranks) {
  size_t U = p->U;
  const double *s = ws->s + (size_t)node * U;
  for (size_t i = 0; i < U; i++) {
    ranks[i] = 0;
    if (isnan(s[i]) || !ws->active[i]) continue;
    int better = 0;
    for (size_t j = 0; j < U; j++)
      if (ws->active[j] && !isnan(s[j]) && s[j] > s[i]) better++;
    ranks[i] = better + 1;
  }
}

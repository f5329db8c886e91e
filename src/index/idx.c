/* idx.c — the composite index engine (see idx.h and docs/methodology.md).
**
** Formulas follow the OECD/JRC Handbook on Constructing Composite
** Indicators (2008) and the documented functions of the R package COINr
** (Becker et al. 2022, JOSS 7(78) 4567): n_minmax, n_zscore, n_rank,
** n_prank, n_goalposts, n_fracmax, n_dist2max, n_dist2ref, a_amean,
** a_gmean, a_hmean, winsorise/check_SkewKurt and log_CT. */
#include "index/idx.h"

#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ======================================================================
** Method names
** ==================================================================== */

static const char *const norm_names[IDX_NORM_COUNT] = {
    "minmax", "zscore", "rank", "prank", "goalposts",
    "fracmax", "dist2max", "dist2ref", "none"};
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
  m->n_nodes++;
  return n;
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
  d->col_id = chiso_calloc(nc, sizeof(char *));
  d->values = chiso_malloc(sizeof(double) * nu * nc);
  if (!d->code || !d->name || !d->group || !d->note || !d->col_id || !d->values || !d->src_row) {
    idx_data_free(d);
    return NULL;
  }
  for (size_t i = 0; i < nu * nc; i++) d->values[i] = NAN;
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

int idx_data_set_col(idx_data *d, size_t c, const char *id) { return set_str(&d->col_id[c], id); }

int idx_data_col(const idx_data *d, const char *id) {
  for (size_t c = 0; c < d->n_cols; c++)
    if (d->col_id[c] && !strcmp(d->col_id[c], id)) return (int)c;
  return -1;
}

double *idx_data_at(idx_data *d, size_t c, size_t i) { return &d->values[c * d->n_units + i]; }

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
  int need_cnt;    /* some data-availability threshold is set */
};

void idx_plan_free(idx_plan *p) {
  if (!p) return;
  chiso_free(p->col);
  chiso_free(p->ref);
  chiso_free(p->group);
  chiso_free(p);
}

const idx_model *idx_plan_model(const idx_plan *p) { return p->m; }
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
  p->col = chiso_malloc(sizeof(int) * p->K);
  p->ref = chiso_malloc(sizeof(int) * p->K);
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
    p->col[k] = idx_data_col(d, m->nodes[k].id);
    if (p->col[k] < 0) {
      rc = chiso_err_set(err, CHISO_EDATA, "indicator '%s' is not in the data", m->nodes[k].id);
      goto fail;
    }
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
  int *why_node, *rank, *rorder; /* U */
  int *nwin;      /* K */
  unsigned char *logged; /* K */
  /* indicator cache (idx_workspace_cache), NULL when off */
  int slots;
  struct ckey *ckey;      /* K × slots */
  double *cx, *cs, *clg;  /* K × slots × U: treated, normalised, log(max(normalised, floor)) */
  int *cnwin, *cnext;     /* K × slots points winsorised; K next slot to replace */
  unsigned char *clogged; /* K × slots */
  const double **lgrow;   /* K: this run's cached log row, or NULL */
  unsigned char *prev_active; /* U */
  unsigned gen;           /* bumped whenever the active units change */
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
  chiso_free(ws->cnwin); chiso_free(ws->cnext); chiso_free(ws->clogged);
  chiso_free(ws->lgrow); chiso_free(ws->prev_active);
  ws->ckey = NULL; ws->cx = ws->cs = ws->clg = NULL; ws->cnwin = ws->cnext = NULL;
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
  ws->clogged = chiso_calloc(K * S, 1);
  ws->lgrow = chiso_calloc(K, sizeof *ws->lgrow);
  ws->prev_active = chiso_calloc(U, 1);
  if (!ws->ckey || !ws->cx || !ws->cs || !ws->clg || !ws->cnwin || !ws->cnext ||
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
  if (!ws->x || !ws->s || !ws->order || !ws->cnt || !ws->tot || !ws->w || !ws->acc ||
      !ws->wsum || !ws->tmp || !ws->gstat || !ws->active || !ws->why || !ws->why_node ||
      !ws->rank || !ws->rorder || !ws->nwin || !ws->logged) {
    idx_workspace_free(ws);
    return NULL;
  }
  for (size_t k = 0; k < p->K; k++)
    for (size_t i = 0; i < U; i++) ws->order[k * U + i] = (int)i;
  for (size_t i = 0; i < U; i++) { ws->rorder[i] = (int)i; ws->why_node[i] = -1; }
  for (size_t i = 0; i < N * U; i++) ws->s[i] = NAN;
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

/* Add child scores c to the accumulators. Values below the floor are
** raised to it for the geometric and harmonic means (and power means
** with p <= 0) so that zeros never give log(0) or 1/0. */
/* Count a value raised to the floor (and one below 0): the caller of a
** single run says or refuses it (idx_floored); COINr refuses a geometric
** mean of values <= 0. */
static void count_floor(idx_workspace *ws, double v, double floor_v) {
  if (v < floor_v) ws->n_floor++, ws->n_neg += v < 0;
}

static void agg_add(idx_workspace *ws, const double *c, const double *lg, double w, int meth,
                    double pw, double floor_v) {
  if (meth == IDX_AGG_GEOMETRIC && lg) { /* logs of a cached indicator */
    for (size_t i = 0; i < ws->U; i++)
      if (!isnan(c[i])) { ws->acc[i] += w * lg[i]; ws->wsum[i] += w; count_floor(ws, c[i], floor_v); }
    return;
  }
  if (meth == IDX_AGG_ARITHMETIC) {
    for (size_t i = 0; i < ws->U; i++)
      if (!isnan(c[i])) { ws->acc[i] += w * c[i]; ws->wsum[i] += w; }
    return;
  }
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

static void aggregate_node(const idx_plan *p, idx_workspace *ws, const idx_options *o, int n) {
  const idx_model *m = p->m;
  const idx_node *nd = &m->nodes[n];
  size_t U = p->U;
  int meth = o->agg >= 0 ? o->agg : nd->agg_set ? (int)nd->agg : (int)m->agg;
  double pw = o->agg >= 0 ? (isnan(o->agg_power) ? 2 : o->agg_power)
                          : nd->agg_set ? nd->power : m->power;
  if (meth == IDX_AGG_POWER && pw == 0) meth = IDX_AGG_GEOMETRIC;
  for (size_t i = 0; i < U; i++) ws->acc[i] = ws->wsum[i] = 0;
  for (int j = 0; j < nd->n_children; j++) {
    int c = m->children[nd->first_child + j];
    const double *lg = ws->lgrow && (size_t)c < p->K ? ws->lgrow[c] : NULL;
    if (ws->w[c] > 0) agg_add(ws, ws->s + (size_t)c * U, lg, ws->w[c], meth, pw, m->geo_floor);
  }
  double *out = ws->s + (size_t)n * U;
  const int *cnt = ws->cnt + (size_t)n * U;
  double thr = nd->min_data;
  for (size_t i = 0; i < U; i++) {
    out[i] = agg_final(ws->acc[i], ws->wsum[i], meth, pw);
    if (!isnan(thr) && ws->tot[n] > 0 && (double)cnt[i] < thr * ws->tot[n] - 1e-12) {
      out[i] = NAN;
      if (ws->why[i] == IDX_RANKED) { ws->why[i] = IDX_UNRANKED_NODE; ws->why_node[i] = n; }
    }
  }
}

/* ---- run ---------------------------------------------------------------- */

static int check_options(const idx_plan *p, const idx_options *o, chiso_err *err) {
  if (o->norm >= (int)IDX_NORM_COUNT || o->agg >= (int)IDX_AGG_COUNT || o->impute >= (int)IDX_IMP_COUNT)
    return chiso_err_set(err, CHISO_EUSAGE, "unknown method number in the options");
  if (o->exclude >= (int)p->K)
    return chiso_err_set(err, CHISO_EUSAGE, "exclude %d is not an indicator", o->exclude);
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
static void screen(const idx_plan *p, idx_workspace *ws, const double *vals) {
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
    ws->why[i] = IDX_RANKED;
    ws->why_node[i] = -1;
    if (p->d->note[i]) ws->why[i] = IDX_UNRANKED_NOTE;
    else if (m->min_data > 0 && (double)croot[i] < m->min_data * ws->tot[m->root] - 1e-12)
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

/* Take indicator k from the cache when its key is there. */
static int cache_get(idx_workspace *ws, size_t k, const ckey *key) {
  size_t U = ws->U, S = (size_t)ws->slots;
  for (size_t j = 0; j < S; j++) {
    size_t c = k * S + j;
    if (!ckey_eq(&ws->ckey[c], key)) continue;
    memcpy(ws->x + k * U, ws->cx + c * U, U * sizeof(double));
    memcpy(ws->s + k * U, ws->cs + c * U, U * sizeof(double));
    ws->nwin[k] = ws->cnwin[c];
    ws->logged[k] = ws->clogged[c];
    ws->lgrow[k] = ws->clg + c * U;
    return 1;
  }
  return 0;
}

static void cache_put(idx_workspace *ws, size_t k, const ckey *key, double floor_v) {
  size_t U = ws->U, S = (size_t)ws->slots, c = k * S + (size_t)ws->cnext[k];
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
  if (ws->slots && cache_get(ws, k, &key)) return;
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
  set_weights(p, ws, opt);
  screen(p, ws, vals);
  for (size_t k = 0; k < p->K; k++) run_indicator(p, ws, opt, vals, k);
  for (size_t n = p->K; n < p->N; n++) aggregate_node(p, ws, opt, (int)n);
  rank_root(p, ws);
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

void idx_unranked_text(const idx_plan *p, const idx_workspace *ws, size_t unit, char *buf,
                       size_t n) {
  const idx_model *m = p->m;
  size_t U = p->U;
  int node = ws->why_node[unit];
  buf[0] = '\0';
  switch (ws->why[unit]) {
  case IDX_UNRANKED_NOTE: snprintf(buf, n, "%s", p->d->note[unit]); break;
  case IDX_UNRANKED_DATA: {
    int c = ws->cnt[(size_t)m->root * U + unit], t = ws->tot[m->root];
    snprintf(buf, n, "data for %d of %d indicators (%.0f%%) < %.0f%%", c, t,
             t ? 100.0 * c / t : 0.0, 100 * m->min_data);
    break;
  }
  case IDX_UNRANKED_NODE: {
    int c = ws->cnt[(size_t)node * U + unit], t = ws->tot[node];
    snprintf(buf, n, "%s: data for %d of %d indicators (%.0f%%) < %.0f%%", m->nodes[node].id, c,
             t, t ? 100.0 * c / t : 0.0, 100 * m->nodes[node].min_data);
    break;
  }
  case IDX_UNRANKED_NOSCORE: snprintf(buf, n, "no data for the index"); break;
  default: break;
  }
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

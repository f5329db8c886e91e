/* rmodel.c — the report model: creation, JSON reading and writing. */
#include "report/rmodel.h"
#include "base/jsonio.h"
#include "base/textfile.h"

#include "geo/geo.h"
#include "base/mem.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Life cycle                                                          */
/* ------------------------------------------------------------------ */

rmodel *rmodel_new(void) {
  rmodel *m = chiso_calloc(1, sizeof *m);
  if (m) m->share_target = m->interval_level = m->share_level = NAN;
  return m;
}

static void free_strv(char **v, size_t n) {
  for (size_t i = 0; v && i < n; i++) chiso_free(v[i]);
  chiso_free(v);
}

static void free_nodes(rmodel *m) {
  for (size_t i = 0; i < m->n_nodes; i++) {
    rmodel_node *n = &m->nodes[i];
    chiso_free(n->id); chiso_free(n->parent); chiso_free(n->name_vi);
    chiso_free(n->name_en); chiso_free(n->normalisation); chiso_free(n->aggregation);
    chiso_free(n->unit);
  }
  chiso_free(m->nodes);
}

static void free_rows(rmodel *m) {
  for (size_t i = 0; i < m->n_units; i++) {
    chiso_free(m->units[i].pillars); chiso_free(m->units[i].indicators);
    chiso_free(m->units[i].trend); chiso_free(m->units[i].trend_rank);
    chiso_free(m->units[i].trend_approx);
    chiso_free(m->units[i].note_vi); chiso_free(m->units[i].note_en);
    chiso_free(m->units[i].tier);
  }
  chiso_free(m->units);
  for (size_t i = 0; i < m->n_tiers; i++) {
    chiso_free(m->tiers[i].id); chiso_free(m->tiers[i].name_vi); chiso_free(m->tiers[i].name_en);
  }
  chiso_free(m->tiers);
  for (size_t i = 0; i < m->n_measures; i++) chiso_free(m->measures[i].id);
  chiso_free(m->measures);
  for (size_t i = 0; i < m->n_targets; i++) {
    rmodel_target *t = &m->targets[i];
    chiso_free(t->plan); chiso_free(t->kpi); chiso_free(t->desc_vi);
    chiso_free(t->desc_en); chiso_free(t->unit); chiso_free(t->status); chiso_free(t->source);
  }
  chiso_free(m->targets);
  chiso_free(m->shifts);
  for (size_t i = 0; i < m->n_sobol; i++) {
    chiso_free(m->sobol[i].factor); chiso_free(m->sobol[i].label_vi);
    chiso_free(m->sobol[i].label_en);
  }
  chiso_free(m->sobol);
  for (size_t i = 0; i < m->n_imports; i++) {
    chiso_free(m->imports[i].file); chiso_free(m->imports[i].sha256);
    chiso_free(m->imports[i].kind);
  }
  chiso_free(m->imports);
}

void rmodel_free(rmodel *m) {
  if (!m) return;
  free_nodes(m);
  free_rows(m);
  free_strv(m->pillars, m->n_pillars);
  free_strv(m->indicators, m->n_indicators);
  chiso_free(m->years);
  chiso_free(m->lorenz_x); chiso_free(m->lorenz_y);
  chiso_free(m->share_years); chiso_free(m->share);
  chiso_free(m->share_lo); chiso_free(m->share_hi); chiso_free(m->share_own);
  chiso_free(m->method_id); chiso_free(m->method_name_vi); chiso_free(m->method_name_en);
  chiso_free(m->title_vi); chiso_free(m->title_en);
  chiso_free(m->method_hash); chiso_free(m->normalisation); chiso_free(m->aggregation);
  chiso_free(m->seed); chiso_free(m->chiso_version);
  chiso_free(m);
}

int rmodel_check(const rmodel *m, chiso_err *err) {
  if (m->n_era_units != 63 && m->n_era_units != 34)
    return chiso_err_set(err, CHISO_EDATA, "report model: units must be 63 or 34");
  if (m->n_units > RMODEL_MAX_UNITS || m->n_units > (size_t)m->n_era_units)
    return chiso_err_set(err, CHISO_EDATA, "report model: %zu units, at most %d", m->n_units,
                         m->n_era_units);
  if (m->n_pillars > RMODEL_MAX_PILLARS)
    return chiso_err_set(err, CHISO_EDATA, "report model: %zu pillars, at most %d",
                         m->n_pillars, RMODEL_MAX_PILLARS);
  if (m->n_shifts > RMODEL_MAX_UNITS)
    return chiso_err_set(err, CHISO_EDATA, "report model: %zu rank shifts, at most %d",
                         m->n_shifts, RMODEL_MAX_UNITS);
  for (size_t i = 0; i < m->n_units; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(m->units[i].code, m->units[j].code) == 0)
        return chiso_err_set(err, CHISO_EDATA, "report model: unit %s appears twice",
                             m->units[i].code);
  return CHISO_OK;
}

/* ------------------------------------------------------------------ */
/* Look-ups                                                            */
/* ------------------------------------------------------------------ */

const rmodel_node *rmodel_node_find(const rmodel *m, const char *id) {
  for (size_t i = 0; i < m->n_nodes; i++)
    if (strcmp(m->nodes[i].id, id) == 0) return &m->nodes[i];
  return NULL;
}

const char *rmodel_node_name(const rmodel *m, const char *id, const char *lang) {
  const rmodel_node *n = rmodel_node_find(m, id);
  if (!n) return id;
  int en = lang && strcmp(lang, "en") == 0;
  const char *a = en ? n->name_en : n->name_vi, *b = en ? n->name_vi : n->name_en;
  return (a && *a) ? a : (b && *b) ? b : n->id;
}

const rmodel_tier *rmodel_tier_find(const rmodel *m, const char *id) {
  for (size_t i = 0; id && *id && i < m->n_tiers; i++)
    if (strcmp(m->tiers[i].id, id) == 0) return &m->tiers[i];
  return NULL;
}

const char *rmodel_tier_name(const rmodel_tier *t, const char *lang) {
  int en = lang && strcmp(lang, "en") == 0;
  const char *a = en ? t->name_en : t->name_vi, *b = en ? t->name_vi : t->name_en;
  return (a && *a) ? a : (b && *b) ? b : t->id;
}

const char *rmodel_unit_note(const rmodel_unit *u, const char *lang) {
  int en = lang && strcmp(lang, "en") == 0;
  const char *a = en ? u->note_en : u->note_vi, *b = en ? u->note_vi : u->note_en;
  return (a && *a) ? a : (b && *b) ? b : "";
}

const rmodel_unit *rmodel_unit_find(const rmodel *m, const char *code) {
  for (size_t i = 0; i < m->n_units; i++)
    if (strcmp(m->units[i].code, code) == 0) return &m->units[i];
  return NULL;
}

double rmodel_measure_value(const rmodel *m, const char *id) {
  for (size_t i = 0; i < m->n_measures; i++)
    if (strcmp(m->measures[i].id, id) == 0) return m->measures[i].value;
  return NAN;
}

const char *rmodel_target_status(const rmodel_target *t) {
  if (t->status && *t->status) return t->status;
  if (isnan(t->actual) || isnan(t->target)) return "no_data";
  int met = t->direction < 0 ? t->actual <= t->target : t->actual >= t->target;
  return met ? "achieved" : "off_track";
}

size_t rmodel_units_surveyed(const rmodel *m, int *known) {
  size_t n = 0;
  *known = 0;
  for (size_t i = 0; i < m->n_units; i++) {
    *known |= m->units[i].n_resp >= 0;
    n += m->units[i].n_resp > 0;
  }
  return n;
}

double rmodel_target_progress(const rmodel_target *t) {
  if (isnan(t->actual) || isnan(t->target)) return NAN;
  double p;
  if (!isnan(t->baseline) && t->target != t->baseline)
    p = (t->actual - t->baseline) / (t->target - t->baseline);
  else if (t->direction < 0)
    p = t->actual > 0 ? t->target / t->actual : 1.0;
  else
    p = t->target != 0 ? t->actual / t->target : 1.0;
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

double rmodel_pillar_mean(const rmodel *m, size_t p,
                          int (*keep)(size_t i, const void *ctx), const void *ctx) {
  double s = 0;
  long n = 0;
  for (size_t i = 0; i < m->n_units; i++) {
    if (keep && !keep(i, ctx)) continue;
    double v = m->units[i].pillars[p];
    if (!isnan(v)) { s += v; n++; }
  }
  return n ? s / (double)n : NAN;
}

/* The rank; an unranked unit after every rank, by its tier (a unit whose
** score a top-N publication withholds), then without one. */
static int sort_key(const rmodel *m, const rmodel_unit *u) {
  if (u->rank > 0) return u->rank;
  const rmodel_tier *t = rmodel_tier_find(m, u->tier);
  return (1 << 29) + (t ? (int)(t - m->tiers) : (int)m->n_tiers);
}

void rmodel_rank_order(const rmodel *m, size_t *order) {
  /* Insertion sort: qsort has no context argument in C17 and n <= 63. */
  for (size_t i = 0; i < m->n_units; i++) order[i] = i;
  for (size_t i = 1; i < m->n_units; i++) {
    size_t k = order[i], j = i;
    const rmodel_unit *u = &m->units[k];
    int rk = sort_key(m, u);
    while (j > 0) {
      const rmodel_unit *v = &m->units[order[j - 1]];
      int rv = sort_key(m, v);
      if (rv < rk || (rv == rk && strcmp(v->code, u->code) <= 0)) break;
      order[j] = order[j - 1];
      j--;
    }
    order[j] = k;
  }
}

int rmodel_unit_shown(const rmodel *m, size_t i) {
  assert(m && i < m->n_units);
  const rmodel_unit *u = &m->units[i];
  return !m->hide_empty || !isnan(u->score) || u->n_resp > 0;
}

size_t rmodel_shown_order(const rmodel *m, size_t *order) {
  rmodel_rank_order(m, order);
  size_t n = 0;
  for (size_t r = 0; r < m->n_units; r++)
    if (rmodel_unit_shown(m, order[r])) order[n++] = order[r];
  return n;
}

/* ------------------------------------------------------------------ */
/* Reading JSON                                                        */
/* ------------------------------------------------------------------ */

typedef struct pctx {
  const char *name; /* file name for messages */
  chiso_err *err;
  int rc;
} pctx;

static int bad(pctx *c, const char *where, const char *what) {
  if (c->rc == CHISO_OK)
    c->rc = chiso_err_at(c->err, CHISO_EDATA, c->name, 0, 0, "%s: %s", where, what);
  return c->rc;
}

static char *dup_or_fail(pctx *c, const char *s) {
  char *d = chiso_strdup(s ? s : "");
  if (!d && c->rc == CHISO_OK)
    c->rc = chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  return d;
}

/* A string member ("" when absent or null). */
static char *get_str(pctx *c, json_t *o, const char *key, const char *where) {
  json_t *v = json_object_get(o, key);
  if (v && !json_is_null(v) && !json_is_string(v)) {
    char w[256];
    snprintf(w, sizeof w, "%s.%s", where, key);
    bad(c, w, "expected a string");
    return NULL;
  }
  return dup_or_fail(c, v && json_is_string(v) ? json_string_value(v) : "");
}

/* A {"vi": …, "en": …} member (or a plain string used for both). */
static void get_text2(pctx *c, json_t *o, const char *key, char **vi, char **en) {
  json_t *v = json_object_get(o, key);
  if (json_is_string(v)) {
    *vi = dup_or_fail(c, json_string_value(v));
    *en = dup_or_fail(c, json_string_value(v));
  } else {
    *vi = get_str(c, v, "vi", key);
    *en = get_str(c, v, "en", key);
  }
}

static double num_of(pctx *c, json_t *v, const char *where) {
  if (!v || json_is_null(v)) return NAN;
  if (!json_is_number(v)) {
    bad(c, where, "expected a number or null");
    return NAN;
  }
  return json_number_value(v);
}

static double get_num(pctx *c, json_t *o, const char *key, const char *where) {
  char w[256];
  snprintf(w, sizeof w, "%s.%s", where, key);
  return num_of(c, json_object_get(o, key), w);
}

static long get_long(pctx *c, json_t *o, const char *key, long dflt, const char *where) {
  double v = get_num(c, o, key, where);
  return isnan(v) ? dflt : (long)v;
}

/* An array member of exactly n numbers (absent/null: all NaN). */
static double *get_nums(pctx *c, json_t *o, const char *key, size_t n, const char *where) {
  double *out = chiso_calloc(n ? n : 1, sizeof *out);
  if (!out) {
    c->rc = c->rc ? c->rc : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) out[i] = NAN;
  json_t *a = json_object_get(o, key);
  char w[256];
  snprintf(w, sizeof w, "%s.%s", where, key);
  if (!a || json_is_null(a)) return out;
  if (!json_is_array(a) || json_array_size(a) != n) {
    char msg[96];
    snprintf(msg, sizeof msg, "expected an array of %zu numbers", n);
    bad(c, w, msg);
    return out;
  }
  for (size_t i = 0; i < n; i++) out[i] = num_of(c, json_array_get(a, i), w);
  return out;
}

/* Allocate a zeroed array for the JSON array `a`; sets *n. */
static void *alloc_rows(pctx *c, json_t *a, size_t size, size_t *n) {
  *n = 0;
  if (!json_is_array(a) || json_array_size(a) == 0) return NULL;
  void *p = chiso_calloc(json_array_size(a), size);
  if (!p) c->rc = c->rc ? c->rc : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
  else *n = json_array_size(a);
  return p;
}

/* "trend_rank" (integers or null) and "trend_approx" (booleans), both
** optional: absent, the unit's arrays stay NULL. */
static void get_trend_ranks(pctx *c, json_t *o, size_t n, rmodel_unit *u, const char *where) {
  json_t *r = json_object_get(o, "trend_rank"), *a = json_object_get(o, "trend_approx");
  char w[256];
  snprintf(w, sizeof w, "%s.trend_rank", where);
  if (!r || json_is_null(r)) return;
  if (!json_is_array(r) || json_array_size(r) != n ||
      (a && !json_is_null(a) && (!json_is_array(a) || json_array_size(a) != n))) {
    bad(c, w, "expected arrays of one entry per year (trend_rank, trend_approx)");
    return;
  }
  u->trend_rank = chiso_calloc(n ? n : 1, sizeof *u->trend_rank);
  u->trend_approx = chiso_calloc(n ? n : 1, sizeof *u->trend_approx);
  if (!u->trend_rank || !u->trend_approx) {
    c->rc = c->rc ? c->rc : chiso_err_set(c->err, CHISO_ENOMEM, "out of memory");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    json_t *v = json_array_get(r, i);
    if (json_is_integer(v) && json_integer_value(v) > 0 && json_integer_value(v) <= RMODEL_MAX_UNITS)
      u->trend_rank[i] = (int)json_integer_value(v);
    else if (!json_is_null(v)) bad(c, w, "expected a rank (1 to 63) or null");
    u->trend_approx[i] = a && json_is_true(json_array_get(a, i));
  }
}

static char **get_ids(pctx *c, json_t *o, const char *key, size_t *n) {
  json_t *a = json_object_get(o, key);
  char **v = alloc_rows(c, a, sizeof(char *), n);
  for (size_t i = 0; v && i < *n; i++) {
    json_t *s = json_array_get(a, i);
    if (!json_is_string(s)) bad(c, key, "expected an array of node ids");
    v[i] = dup_or_fail(c, json_is_string(s) ? json_string_value(s) : "");
  }
  return v;
}

static void parse_nodes(pctx *c, rmodel *m, json_t *root) {
  json_t *a = json_object_get(root, "nodes");
  m->nodes = alloc_rows(c, a, sizeof *m->nodes, &m->n_nodes);
  for (size_t i = 0; i < m->n_nodes; i++) {
    json_t *o = json_array_get(a, i);
    rmodel_node *n = &m->nodes[i];
    n->id = get_str(c, o, "id", "nodes[]");
    n->parent = get_str(c, o, "parent", "nodes[]");
    get_text2(c, o, "name", &n->name_vi, &n->name_en);
    n->weight = get_num(c, o, "weight", "nodes[]");
    n->direction = (int)get_long(c, o, "direction", 0, "nodes[]");
    n->normalisation = get_str(c, o, "normalisation", "nodes[]");
    n->aggregation = get_str(c, o, "aggregation", "nodes[]");
    n->unit = get_str(c, o, "unit", "nodes[]");
    if (n->id && !*n->id) bad(c, "nodes[]", "a node has no id");
  }
}

static void parse_unit(pctx *c, rmodel *m, const geo_registry *reg, json_t *o,
                       rmodel_unit *u, size_t i) {
  char where[64];
  snprintf(where, sizeof where, "provinces[%zu]", i);
  json_t *code = json_object_get(o, "code");
  geo_era era = m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63;
  if (!json_is_string(code) || !geo_find_code(reg, era, json_string_value(code))) {
    char msg[128];
    snprintf(msg, sizeof msg, "unknown province code \"%s\" for %d units",
             json_is_string(code) ? json_string_value(code) : "?", m->n_era_units);
    bad(c, where, msg);
  } else {
    memcpy(u->code, json_string_value(code), 3);
  }
  u->score = get_num(c, o, "score", where);
  u->score_lo = get_num(c, o, "score_lo", where);
  u->score_hi = get_num(c, o, "score_hi", where);
  u->rank = (int)get_long(c, o, "rank", 0, where);
  u->rank_lo = (int)get_long(c, o, "rank_lo", 0, where);
  u->rank_hi = (int)get_long(c, o, "rank_hi", 0, where);
  u->n_resp = get_long(c, o, "respondents", -1, where);
  u->pillars = get_nums(c, o, "pillars", m->n_pillars, where);
  u->indicators = get_nums(c, o, "indicators", m->n_indicators, where);
  u->trend = get_nums(c, o, "trend", m->n_years, where);
  get_trend_ranks(c, o, m->n_years, u, where);
  get_text2(c, o, "note", &u->note_vi, &u->note_en);
  u->tier = get_str(c, o, "tier", where);
  u->withheld = json_is_false(json_object_get(o, "published"));
  if (u->tier && *u->tier && !rmodel_tier_find(m, u->tier)) bad(c, where, "tier is not one of the model's tiers");
}

/* "tiers" [{id, name {vi, en}, min}] and "top_n", both optional. */
static void parse_tiers(pctx *c, rmodel *m, json_t *root) {
  json_t *a = json_object_get(root, "tiers");
  m->tiers = alloc_rows(c, a, sizeof *m->tiers, &m->n_tiers);
  for (size_t i = 0; i < m->n_tiers; i++) {
    json_t *o = json_array_get(a, i);
    rmodel_tier *t = &m->tiers[i];
    t->id = get_str(c, o, "id", "tiers[]");
    get_text2(c, o, "name", &t->name_vi, &t->name_en);
    t->min = get_num(c, o, "min", "tiers[]");
    if (t->id && !*t->id) bad(c, "tiers[]", "a tier has no id");
  }
  m->top_n = (int)get_long(c, root, "top_n", 0, "model");
  if (m->top_n < 0) bad(c, "top_n", "must be 0 (publish all) or more");
}

static void parse_units(pctx *c, rmodel *m, json_t *root) {
  geo_registry *reg = NULL;
  int rc = geo_registry_new(&reg, c->err);
  if (rc) { c->rc = rc; return; }
  json_t *a = json_object_get(root, "provinces");
  m->units = alloc_rows(c, a, sizeof *m->units, &m->n_units);
  for (size_t i = 0; i < m->n_units && c->rc == CHISO_OK; i++)
    parse_unit(c, m, reg, json_array_get(a, i), &m->units[i], i);
  for (size_t i = 0; i < m->n_units && c->rc == CHISO_OK; i++)
    for (size_t j = 0; j < i; j++)
      if (strcmp(m->units[i].code, m->units[j].code) == 0) {
        char w[64];
        snprintf(w, sizeof w, "provinces[%zu]", i);
        bad(c, w, "duplicate province code");
      }
  geo_registry_free(reg);
}

static void parse_years(pctx *c, rmodel *m, json_t *root) {
  json_t *a = json_object_get(root, "years");
  m->years = alloc_rows(c, a, sizeof *m->years, &m->n_years);
  for (size_t i = 0; i < m->n_years; i++) {
    json_t *y = json_array_get(a, i);
    if (!json_is_integer(y)) bad(c, "years", "expected integers");
    m->years[i] = (int)json_integer_value(y);
  }
}

static void parse_divide(pctx *c, rmodel *m, json_t *root) {
  json_t *d = json_object_get(root, "divide");
  if (!json_is_object(d)) return;
  json_t *a = json_object_get(d, "measures");
  m->measures = alloc_rows(c, a, sizeof *m->measures, &m->n_measures);
  for (size_t i = 0; i < m->n_measures; i++) {
    json_t *o = json_array_get(a, i);
    m->measures[i].id = get_str(c, o, "id", "divide.measures[]");
    m->measures[i].value = get_num(c, o, "value", "divide.measures[]");
    m->measures[i].lo = get_num(c, o, "lo", "divide.measures[]");
    m->measures[i].hi = get_num(c, o, "hi", "divide.measures[]");
  }
  a = json_object_get(d, "lorenz");
  size_t n = 0;
  if (json_is_array(a) && json_array_size(a) > 0) {
    n = json_array_size(a);
    m->lorenz_x = chiso_calloc(n, sizeof(double));
    m->lorenz_y = chiso_calloc(n, sizeof(double));
    if (!m->lorenz_x || !m->lorenz_y) { bad(c, "divide", "out of memory"); return; }
    m->n_lorenz = n;
    for (size_t i = 0; i < n; i++) {
      json_t *p = json_array_get(a, i);
      if (!json_is_array(p) || json_array_size(p) != 2) bad(c, "divide.lorenz", "expected [x, y] pairs");
      m->lorenz_x[i] = num_of(c, json_array_get(p, 0), "divide.lorenz");
      m->lorenz_y[i] = num_of(c, json_array_get(p, 1), "divide.lorenz");
    }
  }
  a = json_object_get(d, "hnhcm_share");
  if (json_is_array(a) && json_array_size(a) > 0) {
    n = json_array_size(a);
    m->share_years = chiso_calloc(n, sizeof(int));
    m->share = chiso_calloc(n, sizeof(double));
    m->share_lo = chiso_calloc(n, sizeof(double));
    m->share_hi = chiso_calloc(n, sizeof(double));
    m->share_own = chiso_calloc(n, sizeof(double));
    if (!m->share_years || !m->share || !m->share_lo || !m->share_hi || !m->share_own) {
      bad(c, "divide", "out of memory");
      return;
    }
    m->n_share = n;
    for (size_t i = 0; i < n; i++) {
      json_t *o = json_array_get(a, i);
      m->share_years[i] = (int)get_long(c, o, "year", 0, "divide.hnhcm_share[]");
      m->share[i] = get_num(c, o, "value", "divide.hnhcm_share[]");
      m->share_lo[i] = get_num(c, o, "lo", "divide.hnhcm_share[]");
      m->share_hi[i] = get_num(c, o, "hi", "divide.hnhcm_share[]");
      m->share_own[i] = get_num(c, o, "own_units", "divide.hnhcm_share[]");
    }
  }
  m->share_units = (int)get_long(c, d, "units", 0, "divide");
  m->share_target = get_num(c, d, "target", "divide");
  m->share_level = get_num(c, d, "level", "divide");
}

static void parse_targets(pctx *c, rmodel *m, json_t *root) {
  json_t *a = json_object_get(root, "targets");
  m->targets = alloc_rows(c, a, sizeof *m->targets, &m->n_targets);
  for (size_t i = 0; i < m->n_targets; i++) {
    json_t *o = json_array_get(a, i);
    rmodel_target *t = &m->targets[i];
    const char *w = "targets[]";
    t->plan = get_str(c, o, "plan", w);
    t->kpi = get_str(c, o, "kpi", w);
    get_text2(c, o, "description", &t->desc_vi, &t->desc_en);
    t->unit = get_str(c, o, "unit", w);
    json_t *p = json_object_get(o, "province");
    if (json_is_string(p) && strlen(json_string_value(p)) == 2)
      memcpy(t->province, json_string_value(p), 3);
    t->target_year = (int)get_long(c, o, "target_year", 0, w);
    t->target = get_num(c, o, "target", w);
    t->baseline = get_num(c, o, "baseline", w);
    t->actual = get_num(c, o, "actual", w);
    t->actual_year = (int)get_long(c, o, "actual_year", 0, w);
    t->direction = (int)get_long(c, o, "direction", 1, w);
    t->status = get_str(c, o, "status", w);
    t->source = get_str(c, o, "source", w);
  }
}

static void parse_sensitivity(pctx *c, rmodel *m, json_t *root) {
  json_t *s = json_object_get(root, "sensitivity");
  if (!json_is_object(s)) return;
  json_t *src = json_object_get(s, "rank_shift_source");
  if (src && !json_is_string(src)) bad(c, "sensitivity.rank_shift_source", "expected a string");
  m->shifts_crossed = json_is_string(src) && strcmp(json_string_value(src), "crossed") == 0;
  json_t *a = json_object_get(s, "rank_shift");
  m->shifts = alloc_rows(c, a, sizeof *m->shifts, &m->n_shifts);
  for (size_t i = 0; i < m->n_shifts; i++) {
    json_t *o = json_array_get(a, i), *code = json_object_get(o, "code");
    if (json_is_string(code) && strlen(json_string_value(code)) == 2)
      memcpy(m->shifts[i].code, json_string_value(code), 3);
    else bad(c, "sensitivity.rank_shift[]", "expected a 2-digit code");
    m->shifts[i].mean_abs = get_num(c, o, "mean_abs", "sensitivity.rank_shift[]");
    m->shifts[i].max_abs = get_num(c, o, "max_abs", "sensitivity.rank_shift[]");
  }
  a = json_object_get(s, "sobol");
  m->sobol = alloc_rows(c, a, sizeof *m->sobol, &m->n_sobol);
  for (size_t i = 0; i < m->n_sobol; i++) {
    json_t *o = json_array_get(a, i);
    m->sobol[i].factor = get_str(c, o, "factor", "sensitivity.sobol[]");
    get_text2(c, o, "label", &m->sobol[i].label_vi, &m->sobol[i].label_en);
    m->sobol[i].first = get_num(c, o, "first", "sensitivity.sobol[]");
    m->sobol[i].total = get_num(c, o, "total", "sensitivity.sobol[]");
  }
}

static void parse_provenance(pctx *c, rmodel *m, json_t *root) {
  json_t *p = json_object_get(root, "provenance");
  json_t *a = json_object_get(p, "imports");
  m->imports = alloc_rows(c, a, sizeof *m->imports, &m->n_imports);
  for (size_t i = 0; i < m->n_imports; i++) {
    json_t *o = json_array_get(a, i);
    m->imports[i].file = get_str(c, o, "file", "provenance.imports[]");
    m->imports[i].sha256 = get_str(c, o, "sha256", "provenance.imports[]");
    m->imports[i].kind = get_str(c, o, "kind", "provenance.imports[]");
    m->imports[i].rows = get_long(c, o, "rows", -1, "provenance.imports[]");
  }
  m->seed = get_str(c, p, "seed", "provenance");
  m->chiso_version = get_str(c, p, "chiso_version", "provenance");
}

static void parse_head(pctx *c, rmodel *m, json_t *root) {
  m->year = (int)get_long(c, root, "year", 0, "model");
  m->n_era_units = (int)get_long(c, root, "units", 0, "model");
  if (m->n_era_units == 0 && m->year > 0)
    m->n_era_units = geo_era_for_year(m->year) == GEO_ERA_34 ? 34 : 63;
  if (m->n_era_units != 63 && m->n_era_units != 34) bad(c, "units", "must be 63 or 34");
  m->synthetic = json_is_true(json_object_get(root, "synthetic"));
  m->min_respondents = get_long(c, root, "min_respondents", 30, "model");
  m->interval_level = get_num(c, root, "interval_level", "model");
  if (!isnan(m->interval_level) && !(m->interval_level > 0 && m->interval_level < 1))
    bad(c, "interval_level", "must be between 0 and 1");
  json_t *me = json_object_get(root, "method");
  m->method_id = get_str(c, me, "id", "method");
  get_text2(c, me, "name", &m->method_name_vi, &m->method_name_en);
  m->method_hash = get_str(c, me, "hash", "method");
  m->normalisation = get_str(c, me, "normalisation", "method");
  m->aggregation = get_str(c, me, "aggregation", "method");
  get_text2(c, root, "title", &m->title_vi, &m->title_en);
  m->hide_empty = json_is_true(json_object_get(root, "hide_empty"));
}

int rmodel_parse_json(const char *text, const char *name, rmodel **out, chiso_err *err) {
  *out = NULL;
  json_t *root = NULL;
  int prc = jsonio_parse(text, strlen(text), 0, name, &root, err);
  if (prc) return prc;
  pctx c = {name, err, CHISO_OK};
  rmodel *m = rmodel_new();
  if (!m) {
    c.rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto done;
  }
  if (!json_is_object(root)) { bad(&c, "model", "expected a JSON object"); goto done; }
  parse_head(&c, m, root);
  parse_nodes(&c, m, root);
  m->pillars = get_ids(&c, root, "pillars", &m->n_pillars);
  m->indicators = get_ids(&c, root, "indicators", &m->n_indicators);
  parse_years(&c, m, root);
  parse_tiers(&c, m, root);
  if (c.rc == CHISO_OK) parse_units(&c, m, root);
  parse_divide(&c, m, root);
  parse_targets(&c, m, root);
  parse_sensitivity(&c, m, root);
  parse_provenance(&c, m, root);
  if (c.rc == CHISO_OK) c.rc = rmodel_check(m, err);
done:
  json_decref(root);
  if (c.rc != CHISO_OK) {
    rmodel_free(m);
    return c.rc;
  }
  *out = m;
  return CHISO_OK;
}

int rmodel_load_json(const char *path, rmodel **out, chiso_err *err) {
  char *buf = NULL;
  *out = NULL;
  int rc = textfile_read(path, &buf, NULL, err);
  if (!rc) rc = rmodel_parse_json(buf, path, out, err);
  chiso_free(buf);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Writing JSON (keys in a fixed order)                                */
/* ------------------------------------------------------------------ */


static json_t *jtext2(const char *vi, const char *en) {
  json_t *o = json_object();
  json_object_set_new(o, "vi", json_string(vi ? vi : ""));
  json_object_set_new(o, "en", json_string(en ? en : ""));
  return o;
}

static json_t *jnums(const double *v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, jsonio_number(v[i]));
  return a;
}

static json_t *jids(char **v, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_string(v[i]));
  return a;
}

static json_t *json_head(const rmodel *m) {
  json_t *r = json_object(), *me = json_object();
  json_object_set_new(r, "chiso_report_model", json_integer(1));
  json_object_set_new(r, "year", json_integer(m->year));
  json_object_set_new(r, "units", json_integer(m->n_era_units));
  json_object_set_new(r, "synthetic", json_boolean(m->synthetic));
  json_object_set_new(r, "min_respondents", json_integer(m->min_respondents));
  json_object_set_new(r, "interval_level", jsonio_number(m->interval_level));
  json_object_set_new(me, "id", json_string(m->method_id ? m->method_id : ""));
  json_object_set_new(me, "name", jtext2(m->method_name_vi, m->method_name_en));
  json_object_set_new(me, "hash", json_string(m->method_hash ? m->method_hash : ""));
  json_object_set_new(me, "normalisation", json_string(m->normalisation ? m->normalisation : ""));
  json_object_set_new(me, "aggregation", json_string(m->aggregation ? m->aggregation : ""));
  json_object_set_new(r, "method", me);
  if ((m->title_vi && *m->title_vi) || (m->title_en && *m->title_en))
    json_object_set_new(r, "title", jtext2(m->title_vi, m->title_en));
  if (m->hide_empty) json_object_set_new(r, "hide_empty", json_true());
  json_t *nodes = json_array();
  for (size_t i = 0; i < m->n_nodes; i++) {
    const rmodel_node *n = &m->nodes[i];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(n->id));
    json_object_set_new(o, "parent", json_string(n->parent));
    json_object_set_new(o, "name", jtext2(n->name_vi, n->name_en));
    json_object_set_new(o, "weight", jsonio_number(n->weight));
    json_object_set_new(o, "direction", json_integer(n->direction));
    json_object_set_new(o, "normalisation", json_string(n->normalisation));
    json_object_set_new(o, "aggregation", json_string(n->aggregation));
    if (n->unit && *n->unit) json_object_set_new(o, "unit", json_string(n->unit));
    json_array_append_new(nodes, o);
  }
  json_object_set_new(r, "nodes", nodes);
  json_object_set_new(r, "pillars", jids(m->pillars, m->n_pillars));
  json_object_set_new(r, "indicators", jids(m->indicators, m->n_indicators));
  json_t *years = json_array();
  for (size_t i = 0; i < m->n_years; i++) json_array_append_new(years, json_integer(m->years[i]));
  json_object_set_new(r, "years", years);
  if (m->n_tiers) {
    json_t *tiers = json_array();
    for (size_t i = 0; i < m->n_tiers; i++)
      json_array_append_new(tiers, json_pack("{s:s,s:o,s:o}", "id", m->tiers[i].id, "name",
                                             jtext2(m->tiers[i].name_vi, m->tiers[i].name_en), "min",
                                             jsonio_number(m->tiers[i].min)));
    json_object_set_new(r, "tiers", tiers);
  }
  if (m->top_n) json_object_set_new(r, "top_n", json_integer(m->top_n));
  return r;
}

static json_t *json_units(const rmodel *m) {
  json_t *a = json_array();
  for (size_t i = 0; i < m->n_units; i++) {
    const rmodel_unit *u = &m->units[i];
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(u->code));
    json_object_set_new(o, "score", jsonio_number(u->score));
    json_object_set_new(o, "score_lo", jsonio_number(u->score_lo));
    json_object_set_new(o, "score_hi", jsonio_number(u->score_hi));
    json_object_set_new(o, "rank", u->rank ? json_integer(u->rank) : json_null());
    json_object_set_new(o, "rank_lo", u->rank_lo ? json_integer(u->rank_lo) : json_null());
    json_object_set_new(o, "rank_hi", u->rank_hi ? json_integer(u->rank_hi) : json_null());
    json_object_set_new(o, "respondents", u->n_resp >= 0 ? json_integer(u->n_resp) : json_null());
    json_object_set_new(o, "pillars", jnums(u->pillars, m->n_pillars));
    json_object_set_new(o, "indicators", jnums(u->indicators, m->n_indicators));
    json_object_set_new(o, "trend", jnums(u->trend, m->n_years));
    if (u->trend_rank) {
      json_t *r = json_array(), *x = json_array();
      for (size_t t = 0; t < m->n_years; t++) {
        json_array_append_new(r, u->trend_rank[t] ? json_integer(u->trend_rank[t]) : json_null());
        json_array_append_new(x, json_boolean(u->trend_approx[t]));
      }
      json_object_set_new(o, "trend_rank", r);
      json_object_set_new(o, "trend_approx", x);
    }
    const char *nv = rmodel_unit_note(u, "vi"), *ne = rmodel_unit_note(u, "en");
    json_object_set_new(o, "note", *nv || *ne ? jtext2(nv, ne) : json_null());
    json_object_set_new(o, "tier", u->tier && *u->tier ? json_string(u->tier) : json_null());
    if (u->withheld) json_object_set_new(o, "published", json_false());
    json_array_append_new(a, o);
  }
  return a;
}

/* "lo" and "hi" members, only when the interval is known (older model
** files have none). */
static void set_interval(json_t *o, double lo, double hi) {
  if (isnan(lo) || isnan(hi)) return;
  json_object_set_new(o, "lo", jsonio_number(lo));
  json_object_set_new(o, "hi", jsonio_number(hi));
}

static json_t *json_divide(const rmodel *m) {
  json_t *d = json_object(), *a = json_array();
  for (size_t i = 0; i < m->n_measures; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(m->measures[i].id));
    json_object_set_new(o, "value", jsonio_number(m->measures[i].value));
    set_interval(o, m->measures[i].lo, m->measures[i].hi);
    json_array_append_new(a, o);
  }
  json_object_set_new(d, "measures", a);
  a = json_array();
  for (size_t i = 0; i < m->n_lorenz; i++) {
    json_t *p = json_array();
    json_array_append_new(p, jsonio_number(m->lorenz_x[i]));
    json_array_append_new(p, jsonio_number(m->lorenz_y[i]));
    json_array_append_new(a, p);
  }
  json_object_set_new(d, "lorenz", a);
  a = json_array();
  for (size_t i = 0; i < m->n_share; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "year", json_integer(m->share_years[i]));
    json_object_set_new(o, "value", jsonio_number(m->share[i]));
    if (m->share_lo) set_interval(o, m->share_lo[i], m->share_hi[i]);
    if (m->share_own && !isnan(m->share_own[i]))
      json_object_set_new(o, "own_units", jsonio_number(m->share_own[i]));
    json_array_append_new(a, o);
  }
  json_object_set_new(d, "hnhcm_share", a);
  if (m->share_units) json_object_set_new(d, "units", json_integer(m->share_units));
  json_object_set_new(d, "target", jsonio_number(m->share_target));
  if (!isnan(m->share_level)) json_object_set_new(d, "level", jsonio_number(m->share_level));
  return d;
}

static json_t *json_targets(const rmodel *m) {
  json_t *a = json_array();
  for (size_t i = 0; i < m->n_targets; i++) {
    const rmodel_target *t = &m->targets[i];
    json_t *o = json_object();
    json_object_set_new(o, "plan", json_string(t->plan));
    json_object_set_new(o, "kpi", json_string(t->kpi));
    json_object_set_new(o, "description", jtext2(t->desc_vi, t->desc_en));
    json_object_set_new(o, "unit", json_string(t->unit));
    json_object_set_new(o, "province", json_string(t->province));
    json_object_set_new(o, "target_year", json_integer(t->target_year));
    json_object_set_new(o, "target", jsonio_number(t->target));
    json_object_set_new(o, "baseline", jsonio_number(t->baseline));
    json_object_set_new(o, "actual", jsonio_number(t->actual));
    if (t->actual_year) json_object_set_new(o, "actual_year", json_integer(t->actual_year));
    json_object_set_new(o, "direction", json_integer(t->direction));
    json_object_set_new(o, "status", json_string(t->status));
    if (t->source && *t->source) json_object_set_new(o, "source", json_string(t->source));
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *json_sensitivity(const rmodel *m) {
  json_t *s = json_object(), *a = json_array();
  for (size_t i = 0; i < m->n_shifts; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(m->shifts[i].code));
    json_object_set_new(o, "mean_abs", jsonio_number(m->shifts[i].mean_abs));
    json_object_set_new(o, "max_abs", jsonio_number(m->shifts[i].max_abs));
    json_array_append_new(a, o);
  }
  json_object_set_new(s, "rank_shift_source", json_string(m->shifts_crossed ? "crossed" : "method"));
  json_object_set_new(s, "rank_shift", a);
  a = json_array();
  for (size_t i = 0; i < m->n_sobol; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "factor", json_string(m->sobol[i].factor));
    json_object_set_new(o, "label", jtext2(m->sobol[i].label_vi, m->sobol[i].label_en));
    json_object_set_new(o, "first", jsonio_number(m->sobol[i].first));
    json_object_set_new(o, "total", jsonio_number(m->sobol[i].total));
    json_array_append_new(a, o);
  }
  json_object_set_new(s, "sobol", a);
  return s;
}

static json_t *json_provenance(const rmodel *m) {
  json_t *p = json_object(), *a = json_array();
  for (size_t i = 0; i < m->n_imports; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "file", json_string(m->imports[i].file));
    json_object_set_new(o, "kind", json_string(m->imports[i].kind));
    json_object_set_new(o, "rows", m->imports[i].rows >= 0 ? json_integer(m->imports[i].rows) : json_null());
    json_object_set_new(o, "sha256", json_string(m->imports[i].sha256));
    json_array_append_new(a, o);
  }
  json_object_set_new(p, "imports", a);
  json_object_set_new(p, "seed", json_string(m->seed ? m->seed : ""));
  json_object_set_new(p, "chiso_version", json_string(m->chiso_version ? m->chiso_version : ""));
  return p;
}

int rmodel_to_json(const rmodel *m, char **out) {
  json_t *r = json_head(m);
  *out = NULL;
  if (!r) return CHISO_ENOMEM;
  json_object_set_new(r, "provinces", json_units(m));
  json_object_set_new(r, "divide", json_divide(m));
  json_object_set_new(r, "targets", json_targets(m));
  json_object_set_new(r, "sensitivity", json_sensitivity(m));
  json_object_set_new(r, "provenance", json_provenance(m));
  char *s = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
  json_decref(r);
  if (!s) return CHISO_ENOMEM;
  size_t n = strlen(s);
  *out = chiso_malloc(n + 2);
  if (*out) {
    memcpy(*out, s, n);
    (*out)[n] = '\n';
    (*out)[n + 1] = '\0';
  }
  free(s); /* jansson allocates with malloc */
  return *out ? CHISO_OK : CHISO_ENOMEM;
}

int rmodel_trend_rank(const rmodel *m, const rmodel_unit *u, int year) {
  for (size_t t = 0; u->trend_rank && t < m->n_years; t++)
    if (m->years[t] == year) return u->trend_rank[t];
  return 0;
}

int rmodel_prev_year(const rmodel *m) {
  int p = 0;
  for (size_t t = 0; t < m->n_years; t++)
    if (m->years[t] < m->year && m->years[t] > p) p = m->years[t];
  return p;
}

/* rview.c — views of the report model for a front end (rview.h). */
#include "report/rview.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "base/mem.h"
#include "base/strbuf.h"
#include "geo/geo.h"
#include "io/csvwrite.h"
#include "report/chart.h"
#include "report/export.h"
#include "report/html.h"
#include "report/map.h"
#include "report/profile.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static geo_era era_of(const rmodel *m) { return m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63; }

/* The registry unit of model unit i (NULL only for a model rmodel_check
** would refuse). */
static const geo_unit *geo_of(const geo_registry *reg, const rmodel *m, size_t i) {
  return geo_find_code(reg, era_of(m), m->units[i].code);
}

static const char *name_of(const geo_registry *reg, const rmodel *m, size_t i) {
  const geo_unit *g = geo_of(reg, m, i);
  return g ? g->name : m->units[i].code;
}

static const char *region_of(const geo_registry *reg, const rmodel *m, size_t i, const char *lang) {
  const geo_unit *g = geo_of(reg, m, i);
  return g ? geo_region_name(era_of(m), g->region, lang) : "";
}

static json_t *jrank(int r) { return r > 0 ? json_integer(r) : json_null(); }

static json_t *jname(const rmodel *m, const char *id, const char *lang) {
  return json_string(rmodel_node_name(m, id, lang));
}

/* Where the intervals come from (assemble.c): the score interval from the
** bootstrap of the microdata, the rank interval from draws crossing it
** with method choices (or from method choices alone). */
static json_t *interval_json(const rmodel *m) {
  int score = 0, rank = 0;
  for (size_t i = 0; i < m->n_units; i++) {
    score |= !isnan(m->units[i].score_lo);
    rank |= m->units[i].rank_lo > 0;
  }
  json_t *o = json_object();
  json_object_set_new(o, "level", jsonio_number(score || rank ? m->interval_level : NAN));
  json_object_set_new(o, "score", score ? json_string(m->shifts_crossed ? "sampling" : "method") : json_null());
  json_object_set_new(o, "rank", rank ? json_string(m->shifts_crossed ? "crossed" : "method") : json_null());
  return o;
}

static int csv_int(FILE *f, long v, int known) {
  char b[32];
  snprintf(b, sizeof b, "%ld", v);
  return csvwrite_field(f, known ? b : NULL, 0);
}

/* ---- the index ------------------------------------------------------------------- */

static json_t *pillars_json(const rmodel *m) {
  json_t *a = json_array();
  for (size_t p = 0; p < m->n_pillars; p++) {
    const rmodel_node *n = rmodel_node_find(m, m->pillars[p]);
    json_array_append_new(a, json_pack("{s:s,s:o,s:o,s:o}", "id", m->pillars[p], "name_vi",
                                       jname(m, m->pillars[p], "vi"), "name_en",
                                       jname(m, m->pillars[p], "en"), "weight",
                                       jsonio_number(n ? n->weight : NAN)));
  }
  return a;
}

/* The head every view of a model starts with. */
static json_t *head_json(const rmodel *m) {
  json_t *o = json_object();
  json_object_set_new(o, "year", json_integer(m->year));
  json_object_set_new(o, "unit_set", json_integer(m->n_era_units));
  json_object_set_new(o, "method", json_string(m->method_id ? m->method_id : ""));
  if (m->synthetic) json_object_set_new(o, "synthetic", json_true());
  return o;
}

/* Tiers: the map's five classes of score (quantile breaks, R type 7),
** numbered from the top: tier 1 is the darkest class. */
#define N_TIERS 5

static json_t *tiers_json(const double *br, size_t n) {
  json_t *a = json_array();
  for (int t = 1; n && t <= N_TIERS; t++)
    json_array_append_new(a, json_pack("{s:i,s:o,s:o}", "tier", t, "lo", jsonio_number(br[N_TIERS - t]),
                                       "hi", jsonio_number(br[N_TIERS - t + 1])));
  return a;
}

static json_t *tier_of(const double *br, size_t n, double score) {
  int c = n ? chart_class_of(score, br, N_TIERS) : -1;
  return c < 0 ? json_null() : json_integer(N_TIERS - c);
}

/* The methodology's tier of unit u ({id, name {vi, en}, min}) or null. */
static json_t *method_tier_json(const rmodel_tier *t) {
  if (!t) return json_null();
  json_t *n = json_object();
  json_object_set_new(n, "vi", json_string(rmodel_tier_name(t, "vi")));
  json_object_set_new(n, "en", json_string(rmodel_tier_name(t, "en")));
  return json_pack("{s:s,s:o,s:o}", "id", t->id, "name", n, "min", jsonio_number(t->min));
}

/* The methodology's tiers and top-N publication (null when none). */
static void publication_json(const rmodel *m, json_t *o) {
  json_t *a = json_array();
  for (size_t t = 0; t < m->n_tiers; t++) json_array_append_new(a, method_tier_json(&m->tiers[t]));
  json_object_set_new(o, "method_tiers", a);
  json_object_set_new(o, "top_n", m->top_n > 0 ? json_integer(m->top_n) : json_null());
}

/* Why the unit has no rank or no published score: the unit's
** "not_ranked" {vi, en} (null when ranked and published), its
** "published" flag and its "method_tier". */
static void unranked_json(const rmodel *m, const rmodel_unit *u, json_t *x) {
  const char *vi = rmodel_unit_note(u, "vi"), *en = rmodel_unit_note(u, "en");
  json_t *n = json_null();
  if (*vi || *en) {
    n = json_object();
    json_object_set_new(n, "vi", json_string(vi));
    json_object_set_new(n, "en", json_string(en));
  }
  json_object_set_new(x, "not_ranked", n);
  json_object_set_new(x, "published", json_boolean(!u->withheld));
  json_object_set_new(x, "method_tier", method_tier_json(rmodel_tier_find(m, u->tier)));
}

static int index_json(const rmodel *m, const geo_registry *reg, FILE *f) {
  size_t order[RMODEL_MAX_UNITS];
  int py = rmodel_prev_year(m);
  double br[N_TIERS + 1];
  size_t nb = chart_quantile_breaks(m, N_TIERS, br);
  json_t *o = head_json(m), *units = json_array();
  json_object_set_new(o, "interval", interval_json(m));
  json_object_set_new(o, "prev_year", py ? json_integer(py) : json_null());
  json_object_set_new(o, "pillars", pillars_json(m));
  json_object_set_new(o, "tiers", tiers_json(br, nb));
  publication_json(m, o);
  rmodel_rank_order(m, order);
  for (size_t r = 0; r < m->n_units; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    int prev = py ? rmodel_trend_rank(m, u, py) : 0;
    json_t *x = json_object(), *p = json_object();
    json_object_set_new(x, "code", json_string(u->code));
    json_object_set_new(x, "name", json_string(name_of(reg, m, i)));
    json_object_set_new(x, "region", json_string(region_of(reg, m, i, "vi")));
    json_object_set_new(x, "region_en", json_string(region_of(reg, m, i, "en")));
    json_object_set_new(x, "score", jsonio_number(u->score));
    json_object_set_new(x, "score_lo", jsonio_number(u->score_lo));
    json_object_set_new(x, "score_hi", jsonio_number(u->score_hi));
    json_object_set_new(x, "rank", jrank(u->rank));
    json_object_set_new(x, "rank_lo", jrank(u->rank_lo));
    json_object_set_new(x, "rank_hi", jrank(u->rank_hi));
    json_object_set_new(x, "prev_rank", jrank(prev));
    json_object_set_new(x, "rank_change", prev > 0 && u->rank > 0 ? json_integer(prev - u->rank) : json_null());
    json_object_set_new(x, "respondents", u->n_resp >= 0 ? json_integer(u->n_resp) : json_null());
    json_object_set_new(x, "tier", tier_of(br, nb, u->score));
    unranked_json(m, u, x);
    for (size_t k = 0; k < m->n_pillars; k++)
      json_object_set_new(p, m->pillars[k], jsonio_number(u->pillars[k]));
    json_object_set_new(x, "pillars", p);
    json_array_append_new(units, x);
  }
  json_object_set_new(o, "units", units);
  return jsonio_dump(o, f);
}

/* A table for people: the CSV's columns with rounded numbers. */
static int index_table(const rmodel *m, const geo_registry *reg, FILE *f) {
  size_t order[RMODEL_MAX_UNITS];
  int py = rmodel_prev_year(m), bad = 0;
  rmodel_rank_order(m, order);
  bad |= fprintf(f, "%4s  %-2s  %-24s %6s  %-13s %-7s %s\n", "rank", "", "name", "score", "interval",
                 "ranks", "prev") < 0;
  for (size_t r = 0; r < m->n_units; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    int prev = py ? rmodel_trend_rank(m, u, py) : 0;
    char rk[16] = "", iv[48] = "", rr[32] = "", pv[16] = "";
    if (u->rank > 0) snprintf(rk, sizeof rk, "%d", u->rank);
    if (!isnan(u->score_lo)) snprintf(iv, sizeof iv, "%.1f-%.1f", u->score_lo, u->score_hi);
    if (u->rank_lo > 0) snprintf(rr, sizeof rr, "%d-%d", u->rank_lo, u->rank_hi);
    if (prev > 0) snprintf(pv, sizeof pv, "%d", prev);
    bad |= fprintf(f, "%4s  %-2s  %s %6.1f  %-13s %-7s %s\n", rk, u->code, name_of(reg, m, i),
                   u->score, iv, rr, pv) < 0;
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

int rview_index_write(const rmodel *m, chiso_format fmt, FILE *out) {
  assert(m && out);
  const geo_registry *reg = NULL;
  int rc = geo_registry_shared(&reg, NULL);
  if (rc) return rc;
  return fmt == CHISO_FORMAT_CSV    ? export_index_csv(m, out, 0, 1, NULL)
         : fmt == CHISO_FORMAT_JSON ? index_json(m, reg, out)
                                    : index_table(m, reg, out);
}

/* ---- a unit's profile ---------------------------------------------------------------- */

/* The model unit with this code; else CHISO_ENOTFOUND listing the codes. */
static int find_unit(const rmodel *m, const char *code, size_t *i, chiso_err *err) {
  const rmodel_unit *u = code ? rmodel_unit_find(m, code) : NULL;
  if (u) {
    *i = (size_t)(u - m->units);
    return CHISO_OK;
  }
  char list[RMODEL_MAX_UNITS * 4 + 1] = "";
  size_t len = 0;
  for (size_t k = 0; k < m->n_units; k++)
    len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", k ? " " : "", m->units[k].code);
  return chiso_err_set(err, CHISO_ENOTFOUND, "no unit '%s' in %d (%d units: %s)", code ? code : "",
                       m->year, m->n_era_units, list);
}

/* Values of one column over the units: a pillar (kind 0) or an indicator
** (kind 1), with the sign that makes larger better. */
typedef struct column {
  const rmodel *m;
  int kind;
  size_t k;
  int dir;
} column;

static double col_value(const column *c, size_t i) {
  return c->kind ? c->m->units[i].indicators[c->k] : c->m->units[i].pillars[c->k];
}

/* Rank of unit i among the ranked units with a value (1 = best, ties share
** the smallest); 0 when unit i is unranked or has none. */
static int col_rank(const column *c, size_t i) {
  double x = col_value(c, i);
  if (isnan(x) || c->m->units[i].rank <= 0) return 0;
  int r = 1;
  for (size_t u = 0; u < c->m->n_units; u++) {
    double v = col_value(c, u);
    if (c->m->units[u].rank > 0 && !isnan(v) && c->dir * v > c->dir * x) r++;
  }
  return r;
}

/* Mean over the units (of unit i's region when `region`), skipping NaN:
** the references the report's profile draws (rmodel_pillar_mean). */
static double col_mean(const column *c, const geo_registry *reg, size_t i, int region) {
  const geo_unit *gi = geo_of(reg, c->m, i);
  double s = 0;
  size_t n = 0;
  for (size_t u = 0; u < c->m->n_units; u++) {
    const geo_unit *g = geo_of(reg, c->m, u);
    double v = col_value(c, u);
    if (isnan(v) || (region && (!g || !gi || g->region != gi->region))) continue;
    s += v;
    n++;
  }
  return n ? s / (double)n : NAN;
}

static int indicator_dir(const rmodel *m, size_t k) {
  const rmodel_node *n = rmodel_node_find(m, m->indicators[k]);
  return n && n->direction < 0 ? -1 : 1;
}

/* The pillar (child of the root) an indicator belongs to, "" when none. */
static const char *pillar_of(const rmodel *m, const char *id) {
  const rmodel_node *n = rmodel_node_find(m, id);
  for (int depth = 0; n && depth < 16; depth++) {
    for (size_t p = 0; p < m->n_pillars; p++)
      if (strcmp(n->id, m->pillars[p]) == 0) return n->id;
    n = *n->parent ? rmodel_node_find(m, n->parent) : NULL;
  }
  return "";
}

/* The z-score of unit i on indicator k against all units with a value,
** in the indicator's direction: d (x_i - mean) / sd (sample sd); NaN with
** fewer than 2 values or sd = 0. Shown beside each indicator; strengths
** and weaknesses are not chosen by it (profile_strengths). */
static double indicator_z(const rmodel *m, size_t i, size_t k) {
  double s = 0, ss = 0, x = m->units[i].indicators[k];
  long cnt = 0;
  for (size_t u = 0; u < m->n_units; u++) {
    double v = m->units[u].indicators[k];
    if (!isnan(v)) { s += v; cnt++; }
  }
  if (isnan(x) || cnt < 2) return NAN;
  double mean = s / (double)cnt;
  for (size_t u = 0; u < m->n_units; u++) {
    double v = m->units[u].indicators[k];
    if (!isnan(v)) ss += (v - mean) * (v - mean);
  }
  double sd = sqrt(ss / (double)(cnt - 1));
  return sd > 0 ? indicator_dir(m, k) * (x - mean) / sd : NAN;
}

/* Strengths and weaknesses of unit i: role[k] is 1 for a strength, -1
** for a weakness; zk[k] the indicator's z-score (NaN: none). The rule is
** the report profile's own (profile_strengths: above the mean of all
** units, best rank first; below it, worst rank first), so the served
** profile and the report's agree. */
typedef struct sw {
  profile_item str[3], weak[3];
  size_t ns, nw;
} sw;

static void sw_fill(const rmodel *m, size_t i, sw *s, signed char *role, double *zk) {
  memset(role, 0, m->n_indicators);
  for (size_t k = 0; k < m->n_indicators; k++) zk[k] = indicator_z(m, i, k);
  profile_strengths(m, i, NULL, s->str, &s->ns, s->weak, &s->nw);
  for (size_t r = 0; r < s->ns; r++) role[s->str[r].indicator] = 1;
  for (size_t r = 0; r < s->nw; r++) role[s->weak[r].indicator] = -1;
}

static json_t *formed_json(const geo_registry *reg, const rmodel *m, size_t i) {
  const geo_unit *g = geo_of(reg, m, i);
  json_t *a = json_array();
  for (int k = 0; g && era_of(m) == GEO_ERA_34 && k < g->n_members; k++) {
    const geo_unit *x = geo_member(reg, g, k);
    json_array_append_new(a, json_pack("{s:s,s:s}", "code", x->code, "name", x->name));
  }
  return a;
}

static json_t *became_json(const geo_registry *reg, const rmodel *m, size_t i) {
  const geo_unit *g = geo_of(reg, m, i);
  const geo_unit *s = g && era_of(m) == GEO_ERA_63 ? geo_successor(reg, g) : NULL;
  return s ? json_pack("{s:s,s:s}", "code", s->code, "name", s->name) : json_null();
}

static json_t *columns_json(const rmodel *m, const geo_registry *reg, size_t i, int kind,
                            const signed char *role, const double *zk) {
  json_t *a = json_array();
  size_t n = kind ? m->n_indicators : m->n_pillars;
  for (size_t k = 0; k < n; k++) {
    const char *id = kind ? m->indicators[k] : m->pillars[k];
    column c = {m, kind, k, kind ? indicator_dir(m, k) : 1};
    const rmodel_node *node = rmodel_node_find(m, id);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "name_vi", jname(m, id, "vi"));
    json_object_set_new(o, "name_en", jname(m, id, "en"));
    if (kind) {
      json_object_set_new(o, "pillar", json_string(pillar_of(m, id)));
      json_object_set_new(o, "direction", json_integer(c.dir));
      json_object_set_new(o, "unit", json_string(node && node->unit ? node->unit : ""));
    } else {
      json_object_set_new(o, "weight", jsonio_number(node ? node->weight : NAN));
    }
    json_object_set_new(o, "value", jsonio_number(col_value(&c, i)));
    json_object_set_new(o, "rank", jrank(col_rank(&c, i)));
    json_object_set_new(o, "region_mean", jsonio_number(col_mean(&c, reg, i, 1)));
    json_object_set_new(o, "national_mean", jsonio_number(col_mean(&c, reg, i, 0)));
    if (kind) {
      json_object_set_new(o, "z", jsonio_number(zk[k]));
      json_object_set_new(o, "role", role[k] > 0 ? json_string("strength")
                                     : role[k] < 0 ? json_string("weakness") : json_null());
    }
    json_array_append_new(a, o);
  }
  return a;
}

/* Strengths (weak = 0) or weaknesses: the indicator, the unit's value,
** the mean of all units, the unit's rank among the units with a value,
** and its z-score. */
static json_t *sw_json(const rmodel *m, const sw *s, const double *zk, int weak) {
  json_t *a = json_array();
  const profile_item *it = weak ? s->weak : s->str;
  for (size_t r = 0; r < (weak ? s->nw : s->ns); r++)
    json_array_append_new(a, json_pack("{s:s,s:o,s:o,s:i,s:i,s:o}", "id",
                                       m->indicators[it[r].indicator], "value",
                                       jsonio_number(it[r].value), "mean",
                                       jsonio_number(it[r].reference), "rank", it[r].rank,
                                       "ranked", it[r].n_ranked, "z",
                                       jsonio_number(zk[it[r].indicator])));
  return a;
}

/* A year of the trend axis whose units were not yet the model's: its data
** were re-estimated on them (harmonised). */
static int harmonised(const rmodel *m, int year) {
  return era_of(m) == GEO_ERA_34 && geo_era_for_year(year) != GEO_ERA_34;
}

static json_t *series_json(const rmodel *m, const rmodel_unit *u) {
  json_t *a = json_array();
  for (size_t t = 0; t < m->n_years; t++)
    json_array_append_new(a, json_pack("{s:i,s:o,s:o,s:b,s:b}", "year", m->years[t], "score",
                                       jsonio_number(u->trend[t]), "rank",
                                       jrank(u->trend_rank ? u->trend_rank[t] : 0), "harmonised",
                                       harmonised(m, m->years[t]), "approx",
                                       u->trend_approx ? u->trend_approx[t] : 0));
  return a;
}

static json_t *targets_json(const rmodel *m, const char *code) {
  json_t *a = json_array();
  for (size_t k = 0; k < m->n_targets; k++) {
    const rmodel_target *t = &m->targets[k];
    if (strcmp(t->province, code ? code : "")) continue;
    json_t *o = json_object();
    json_object_set_new(o, "plan", json_string(t->plan));
    json_object_set_new(o, "kpi", json_string(t->kpi));
    json_object_set_new(o, "description_vi", json_string(t->desc_vi));
    json_object_set_new(o, "description_en", json_string(t->desc_en));
    json_object_set_new(o, "unit", json_string(t->unit));
    json_object_set_new(o, "target_year", json_integer(t->target_year));
    json_object_set_new(o, "target", jsonio_number(t->target));
    json_object_set_new(o, "actual", jsonio_number(t->actual));
    json_object_set_new(o, "progress", jsonio_number(rmodel_target_progress(t)));
    json_object_set_new(o, "status", json_string(rmodel_target_status(t)));
    json_array_append_new(a, o);
  }
  return a;
}

static size_t n_ranked(const rmodel *m) {
  size_t n = 0;
  for (size_t i = 0; i < m->n_units; i++) n += m->units[i].rank > 0;
  return n;
}

static int unit_json(const rmodel *m, const geo_registry *reg, size_t i, const signed char *role,
                     const double *zk, const sw *s, FILE *f) {
  const rmodel_unit *u = &m->units[i];
  int py = rmodel_prev_year(m), prev = py ? rmodel_trend_rank(m, u, py) : 0;
  const geo_unit *g = geo_of(reg, m, i);
  json_t *o = head_json(m);
  json_object_set_new(o, "code", json_string(u->code));
  json_object_set_new(o, "name", json_string(name_of(reg, m, i)));
  json_object_set_new(o, "region", json_string(region_of(reg, m, i, "vi")));
  json_object_set_new(o, "region_en", json_string(region_of(reg, m, i, "en")));
  json_object_set_new(o, "region_id", json_string(g ? geo_region_id(era_of(m), g->region) : ""));
  json_object_set_new(o, "score", jsonio_number(u->score));
  json_object_set_new(o, "score_lo", jsonio_number(u->score_lo));
  json_object_set_new(o, "score_hi", jsonio_number(u->score_hi));
  json_object_set_new(o, "rank", jrank(u->rank));
  json_object_set_new(o, "rank_lo", jrank(u->rank_lo));
  json_object_set_new(o, "rank_hi", jrank(u->rank_hi));
  json_object_set_new(o, "ranked_units", json_integer((json_int_t)n_ranked(m)));
  json_object_set_new(o, "interval", interval_json(m));
  json_object_set_new(o, "prev_year", py ? json_integer(py) : json_null());
  json_object_set_new(o, "prev_rank", jrank(prev));
  json_object_set_new(o, "rank_change", prev > 0 && u->rank > 0 ? json_integer(prev - u->rank) : json_null());
  json_object_set_new(o, "respondents", u->n_resp >= 0 ? json_integer(u->n_resp) : json_null());
  json_object_set_new(o, "min_respondents", json_integer(m->min_respondents));
  json_object_set_new(o, "small_sample", json_boolean(u->n_resp >= 0 && u->n_resp < m->min_respondents));
  unranked_json(m, u, o);
  publication_json(m, o);
  json_object_set_new(o, "formed_from", formed_json(reg, m, i));
  json_object_set_new(o, "became", became_json(reg, m, i));
  json_object_set_new(o, "pillars", columns_json(m, reg, i, 0, role, zk));
  json_object_set_new(o, "indicators", columns_json(m, reg, i, 1, role, zk));
  json_object_set_new(o, "strengths", sw_json(m, s, zk, 0));
  json_object_set_new(o, "weaknesses", sw_json(m, s, zk, 1));
  json_object_set_new(o, "series", series_json(m, u));
  json_object_set_new(o, "targets", targets_json(m, u->code));
  return jsonio_dump(o, f);
}

/* CSV (and, aligned, the table): one row per pillar and indicator, then
** one per year of the series. */
static int unit_csv(const rmodel *m, const geo_registry *reg, size_t i, const signed char *role,
                    const double *zk, FILE *f) {
  static const char *const head[] = {"kind", "id", "name_vi", "name_en", "value", "rank",
                                     "region_mean", "national_mean", "z", "role"};
  int bad = csvwrite_row(f, head, 10, 0);
  for (int kind = 0; kind < 2; kind++) {
    size_t n = kind ? m->n_indicators : m->n_pillars;
    for (size_t k = 0; k < n; k++) {
      const char *id = kind ? m->indicators[k] : m->pillars[k];
      column c = {m, kind, k, kind ? indicator_dir(m, k) : 1};
      int r = col_rank(&c, i);
      bad |= csvwrite_field(f, kind ? "indicator" : "pillar", 1);
      bad |= csvwrite_field(f, id, 0);
      bad |= csvwrite_field(f, rmodel_node_name(m, id, "vi"), 0);
      bad |= csvwrite_field(f, rmodel_node_name(m, id, "en"), 0);
      bad |= csvwrite_number(f, col_value(&c, i), 0);
      bad |= csv_int(f, r, r > 0);
      bad |= csvwrite_number(f, col_mean(&c, reg, i, 1), 0);
      bad |= csvwrite_number(f, col_mean(&c, reg, i, 0), 0);
      bad |= csvwrite_number(f, kind ? zk[k] : NAN, 0);
      bad |= csvwrite_field(f, !kind || !role[k] ? "" : role[k] > 0 ? "strength" : "weakness", 0);
      bad |= csvwrite_end_row(f, 0);
    }
  }
  const rmodel_unit *u = &m->units[i];
  for (size_t t = 0; t < m->n_years; t++) {
    char y[16];
    int r = u->trend_rank ? u->trend_rank[t] : 0;
    snprintf(y, sizeof y, "%d", m->years[t]);
    bad |= csvwrite_field(f, "series", 1);
    bad |= csvwrite_field(f, y, 0);
    bad |= csvwrite_field(f, harmonised(m, m->years[t]) ? "harmonised" : "", 0);
    bad |= csvwrite_field(f, u->trend_approx && u->trend_approx[t] ? "approx" : "", 0);
    bad |= csvwrite_number(f, u->trend[t], 0);
    bad |= csv_int(f, r, r > 0);
    for (int c = 0; c < 4; c++) bad |= csvwrite_field(f, "", 0);
    bad |= csvwrite_end_row(f, 0);
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

int rview_unit_write(const rmodel *m, const char *code, chiso_format fmt, FILE *out,
                     chiso_err *err) {
  assert(m && out);
  const geo_registry *reg = NULL;
  size_t i = 0;
  sw s;
  signed char *role = chiso_calloc(m->n_indicators + 1, sizeof *role);
  double *zk = chiso_calloc(m->n_indicators + 1, sizeof *zk);
  int rc = role && zk ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc) rc = find_unit(m, code, &i, err);
  if (!rc) sw_fill(m, i, &s, role, zk);
  if (!rc)
    rc = chiso_err_ensure(err, fmt == CHISO_FORMAT_JSON ? unit_json(m, reg, i, role, zk, &s, out)
                                                        : unit_csv(m, reg, i, role, zk, out),
                          "cannot write the profile");
  chiso_free(role);
  chiso_free(zk);
  return rc;
}

/* ---- units side by side ------------------------------------------------------------- */

#define COMPARE_MAX 4

typedef struct crow {
  const char *kind, *id;
  const char *name_vi, *name_en;
  double v[COMPARE_MAX];
  int better;        /* +1: higher is better, -1: lower (ranks, negative indicators) */
  const char *unit;  /* an indicator's ("share", "percent"), else "" */
} crow;

static int compare_codes(const rmodel *m, const char *const *codes, size_t n, size_t *at,
                         chiso_err *err) {
  if (n < 1 || n > COMPARE_MAX)
    return chiso_err_set(err, CHISO_EUSAGE, "compare 1 to %d units, not %zu", COMPARE_MAX, n);
  for (size_t j = 0; j < n; j++) {
    int rc = find_unit(m, codes[j], &at[j], err);
    if (rc) return rc;
    for (size_t k = 0; k < j; k++)
      if (at[k] == at[j]) return chiso_err_set(err, CHISO_EUSAGE, "unit %s is given twice", codes[j]);
  }
  return CHISO_OK;
}

/* The rows: score and ranks, pillars, indicators, the series. *n rows. */
static crow *compare_rows(const rmodel *m, const size_t *at, size_t nu, size_t *n) {
  size_t cap = 4 + m->n_pillars + m->n_indicators + m->n_years, r = 0;
  crow *rows = chiso_calloc(cap, sizeof *rows);
  if (!rows) return NULL;
  static const char *const heads[] = {"score", "rank", "rank_lo", "rank_hi"};
  for (int h = 0; h < 4; h++, r++) {
    rows[r] = (crow){"index", heads[h], heads[h], heads[h], {0}, h ? -1 : 1, ""};
    for (size_t j = 0; j < nu; j++) {
      const rmodel_unit *u = &m->units[at[j]];
      int rk = h == 1 ? u->rank : h == 2 ? u->rank_lo : u->rank_hi;
      rows[r].v[j] = h == 0 ? u->score : rk > 0 ? rk : NAN;
    }
  }
  for (int kind = 0; kind < 2; kind++)
    for (size_t k = 0; k < (kind ? m->n_indicators : m->n_pillars); k++, r++) {
      const char *id = kind ? m->indicators[k] : m->pillars[k];
      const rmodel_node *node = kind ? rmodel_node_find(m, id) : NULL;
      rows[r] = (crow){kind ? "indicator" : "pillar", id, rmodel_node_name(m, id, "vi"),
                       rmodel_node_name(m, id, "en"), {0}, kind ? indicator_dir(m, k) : 1,
                       node && node->unit ? node->unit : ""};
      for (size_t j = 0; j < nu; j++)
        rows[r].v[j] = kind ? m->units[at[j]].indicators[k] : m->units[at[j]].pillars[k];
    }
  *n = r;
  return rows;
}

static int compare_csv(const rmodel *m, const size_t *at, size_t nu, const crow *rows, size_t n,
                       FILE *f) {
  static const char *const head[] = {"kind", "id", "name_vi", "name_en"};
  int bad = 0;
  for (int c = 0; c < 4; c++) bad |= csvwrite_field(f, head[c], c == 0);
  for (size_t j = 0; j < nu; j++) bad |= csvwrite_field(f, m->units[at[j]].code, 0);
  bad |= csvwrite_end_row(f, 0);
  for (size_t r = 0; r < n; r++) {
    bad |= csvwrite_field(f, rows[r].kind, 1);
    bad |= csvwrite_field(f, rows[r].id, 0);
    bad |= csvwrite_field(f, rows[r].name_vi, 0);
    bad |= csvwrite_field(f, rows[r].name_en, 0);
    for (size_t j = 0; j < nu; j++) bad |= csvwrite_number(f, rows[r].v[j], 0);
    bad |= csvwrite_end_row(f, 0);
  }
  for (size_t t = 0; t < m->n_years; t++) {
    char y[16];
    snprintf(y, sizeof y, "%d", m->years[t]);
    bad |= csvwrite_field(f, "series", 1);
    bad |= csvwrite_field(f, y, 0);
    bad |= csvwrite_field(f, y, 0);
    bad |= csvwrite_field(f, y, 0);
    for (size_t j = 0; j < nu; j++) bad |= csvwrite_number(f, m->units[at[j]].trend[t], 0);
    bad |= csvwrite_end_row(f, 0);
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

static int compare_json(const rmodel *m, const geo_registry *reg, const size_t *at, size_t nu,
                        const crow *rows, size_t n, FILE *f) {
  json_t *o = head_json(m), *codes = json_array(), *names = json_array(), *a = json_array();
  for (size_t j = 0; j < nu; j++) {
    json_array_append_new(codes, json_string(m->units[at[j]].code));
    json_array_append_new(names, json_string(name_of(reg, m, at[j])));
  }
  json_object_set_new(o, "codes", codes);
  json_object_set_new(o, "names", names);
  for (size_t r = 0; r < n; r++) {
    json_t *v = json_array();
    for (size_t j = 0; j < nu; j++) json_array_append_new(v, jsonio_number(rows[r].v[j]));
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "kind", rows[r].kind, "id",
                                       rows[r].id, "name_vi", rows[r].name_vi, "name_en",
                                       rows[r].name_en, "better", rows[r].better > 0 ? "high" : "low",
                                       "unit", rows[r].unit, "values", v));
  }
  json_object_set_new(o, "rows", a);
  a = json_array();
  for (size_t t = 0; t < m->n_years; t++) {
    json_t *v = json_array();
    for (size_t j = 0; j < nu; j++) json_array_append_new(v, jsonio_number(m->units[at[j]].trend[t]));
    json_array_append_new(a, json_pack("{s:i,s:b,s:o}", "year", m->years[t], "harmonised",
                                       harmonised(m, m->years[t]), "values", v));
  }
  json_object_set_new(o, "series", a);
  return jsonio_dump(o, f);
}

int rview_compare_write(const rmodel *m, const char *const *codes, size_t n, chiso_format fmt,
                        FILE *out, chiso_err *err) {
  assert(m && out && (n == 0 || codes));
  const geo_registry *reg = NULL;
  size_t at[COMPARE_MAX], nr = 0;
  crow *rows = NULL;
  int rc = compare_codes(m, codes, n, at, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc && !(rows = compare_rows(m, at, n, &nr))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc)
    rc = chiso_err_ensure(err, fmt == CHISO_FORMAT_JSON ? compare_json(m, reg, at, n, rows, nr, out)
                                                        : compare_csv(m, at, n, rows, nr, out),
                          "cannot write the comparison");
  chiso_free(rows);
  return rc;
}

/* ---- the summary ----------------------------------------------------------------------- */

/* The report's headline mean: over the units with a score, ranked or
** not, as its label (html_mean_label) says; the report, the PDF and the
** server give the same number (issue 12). */
static double national_mean(const rmodel *m) {
  double s = 0;
  size_t n = 0;
  for (size_t i = 0; i < m->n_units; i++)
    if (!isnan(m->units[i].score)) {
      s += m->units[i].score;
      n++;
    }
  return n ? s / (double)n : NAN;
}

/* The basis of the share series in `lang` (html_share_basis: the report's
** words); NULL when it cannot be had. */
static json_t *share_basis_json(const rmodel *m, const char *lang) {
  const geo_registry *reg = NULL;
  strbuf_buf t;
  strbuf_init(&t);
  if (m->n_share && !geo_registry_shared(&reg, NULL)) html_share_basis(&t, m, reg, lang);
  json_t *j = t.data && !strbuf_error(&t) ? json_string(t.data) : json_null();
  strbuf_free(&t);
  return j;
}

/* What the mean is a mean of, in `lang` (html_mean_label: the report's
** words). */
static json_t *mean_label_json(const rmodel *m, const char *lang) {
  strbuf_buf t;
  strbuf_init(&t);
  html_mean_label(&t, m, lang);
  json_t *j = t.data && !strbuf_error(&t) ? json_string(t.data) : json_null();
  strbuf_free(&t);
  return j;
}

static int summary_json(const rmodel *m, FILE *f) {
  json_t *o = head_json(m), *ms = json_array(), *sh = json_array();
  json_object_set_new(o, "national_mean", jsonio_number(national_mean(m)));
  json_object_set_new(o, "ranked_units", json_integer((json_int_t)n_ranked(m)));
  for (size_t k = 0; k < m->n_measures; k++)
    json_array_append_new(ms, json_pack("{s:s,s:o,s:o,s:o}", "id", m->measures[k].id, "value",
                                        jsonio_number(m->measures[k].value), "lo",
                                        jsonio_number(m->measures[k].lo), "hi",
                                        jsonio_number(m->measures[k].hi)));
  json_object_set_new(o, "measures", ms);
  for (size_t k = 0; k < m->n_share; k++)
    json_array_append_new(sh, json_pack("{s:i,s:o,s:o,s:o}", "year", m->share_years[k], "value",
                                        jsonio_number(m->share[k]), "lo",
                                        jsonio_number(m->share_lo ? m->share_lo[k] : NAN), "hi",
                                        jsonio_number(m->share_hi ? m->share_hi[k] : NAN)));
  json_object_set_new(o, "share", sh);
  json_object_set_new(o, "share_level", jsonio_number(m->share_level));
  json_object_set_new(o, "mean_label_vi", mean_label_json(m, "vi"));
  json_object_set_new(o, "mean_label_en", mean_label_json(m, "en"));
  json_object_set_new(o, "share_basis_vi", share_basis_json(m, "vi"));
  json_object_set_new(o, "share_basis_en", share_basis_json(m, "en"));
  json_object_set_new(o, "share_target", jsonio_number(m->share_target));
  json_object_set_new(o, "targets", targets_json(m, ""));
  return jsonio_dump(o, f);
}

static int summary_csv(const rmodel *m, FILE *f) {
  static const char *const head[] = {"kind", "id", "year", "value", "lo", "hi",
                                     "target", "target_year", "progress", "status"};
  char y[16];
  int bad = csvwrite_row(f, head, 10, 0);
  snprintf(y, sizeof y, "%d", m->year);
  bad |= csvwrite_field(f, "measure", 1);
  bad |= csvwrite_field(f, "national_mean", 0);
  bad |= csvwrite_field(f, y, 0);
  bad |= csvwrite_number(f, national_mean(m), 0);
  for (int c = 0; c < 6; c++) bad |= csvwrite_field(f, "", 0);
  bad |= csvwrite_end_row(f, 0);
  for (size_t k = 0; k < m->n_measures; k++) {
    bad |= csvwrite_field(f, "measure", 1);
    bad |= csvwrite_field(f, m->measures[k].id, 0);
    bad |= csvwrite_field(f, y, 0);
    bad |= csvwrite_number(f, m->measures[k].value, 0);
    bad |= csvwrite_number(f, m->measures[k].lo, 0);
    bad |= csvwrite_number(f, m->measures[k].hi, 0);
    for (int c = 0; c < 4; c++) bad |= csvwrite_field(f, "", 0);
    bad |= csvwrite_end_row(f, 0);
  }
  for (size_t k = 0; k < m->n_share; k++) {
    char sy[16];
    snprintf(sy, sizeof sy, "%d", m->share_years[k]);
    bad |= csvwrite_field(f, "share", 1);
    bad |= csvwrite_field(f, "hnhcm_share", 0);
    bad |= csvwrite_field(f, sy, 0);
    bad |= csvwrite_number(f, m->share[k], 0);
    bad |= csvwrite_number(f, m->share_lo ? m->share_lo[k] : NAN, 0);
    bad |= csvwrite_number(f, m->share_hi ? m->share_hi[k] : NAN, 0);
    bad |= csvwrite_number(f, m->share_target, 0);
    for (int c = 0; c < 3; c++) bad |= csvwrite_field(f, "", 0);
    bad |= csvwrite_end_row(f, 0);
  }
  for (size_t k = 0; k < m->n_targets; k++) {
    const rmodel_target *t = &m->targets[k];
    char ty[16], id[160];
    if (t->province[0]) continue;
    snprintf(ty, sizeof ty, "%d", t->target_year);
    snprintf(id, sizeof id, "%s/%s", t->plan, t->kpi);
    bad |= csvwrite_field(f, "target", 1);
    bad |= csvwrite_field(f, id, 0);
    bad |= csvwrite_field(f, y, 0);
    bad |= csvwrite_number(f, t->actual, 0);
    bad |= csvwrite_field(f, "", 0);
    bad |= csvwrite_field(f, "", 0);
    bad |= csvwrite_number(f, t->target, 0);
    bad |= csvwrite_field(f, ty, 0);
    bad |= csvwrite_number(f, rmodel_target_progress(t), 0);
    bad |= csvwrite_field(f, rmodel_target_status(t), 0);
    bad |= csvwrite_end_row(f, 0);
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

int rview_summary_write(const rmodel *m, chiso_format fmt, FILE *out) {
  assert(m && out);
  return fmt == CHISO_FORMAT_JSON ? summary_json(m, out) : summary_csv(m, out);
}

/* ---- the methodology ------------------------------------------------------------------ */

static int method_csv(const rmodel *m, FILE *f) {
  static const char *const head[] = {"id", "parent", "name_vi", "name_en", "weight",
                                     "direction", "normalisation", "aggregation"};
  int bad = csvwrite_row(f, head, 8, 0);
  for (size_t k = 0; k < m->n_nodes; k++) {
    const rmodel_node *n = &m->nodes[k];
    char dir[8] = "";
    if (n->direction) snprintf(dir, sizeof dir, "%d", n->direction);
    bad |= csvwrite_field(f, n->id, 1);
    bad |= csvwrite_field(f, n->parent, 0);
    bad |= csvwrite_field(f, n->name_vi, 0);
    bad |= csvwrite_field(f, n->name_en, 0);
    bad |= csvwrite_number(f, n->weight, 0);
    bad |= csvwrite_field(f, dir, 0);
    bad |= csvwrite_field(f, n->normalisation, 0);
    bad |= csvwrite_field(f, n->aggregation, 0);
    bad |= csvwrite_end_row(f, 0);
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

static json_t *nodes_json(const rmodel *m) {
  json_t *a = json_array();
  for (size_t k = 0; k < m->n_nodes; k++) {
    const rmodel_node *n = &m->nodes[k];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(n->id));
    json_object_set_new(o, "parent", *n->parent ? json_string(n->parent) : json_null());
    json_object_set_new(o, "name_vi", json_string(n->name_vi));
    json_object_set_new(o, "name_en", json_string(n->name_en));
    json_object_set_new(o, "weight", jsonio_number(n->weight));
    json_object_set_new(o, "direction", n->direction ? json_integer(n->direction) : json_null());
    json_object_set_new(o, "normalisation", *n->normalisation ? json_string(n->normalisation) : json_null());
    json_object_set_new(o, "aggregation", *n->aggregation ? json_string(n->aggregation) : json_null());
    json_array_append_new(a, o);
  }
  return a;
}

static json_t *sensitivity_json(const rmodel *m) {
  json_t *o = json_object(), *sh = json_array(), *so = json_array();
  for (size_t k = 0; k < m->n_shifts; k++)
    json_array_append_new(sh, json_pack("{s:s,s:o,s:o}", "code", m->shifts[k].code, "mean_abs",
                                        jsonio_number(m->shifts[k].mean_abs), "max_abs",
                                        jsonio_number(m->shifts[k].max_abs)));
  for (size_t k = 0; k < m->n_sobol; k++)
    json_array_append_new(so, json_pack("{s:s,s:s,s:s,s:o,s:o}", "factor", m->sobol[k].factor,
                                        "label_vi", m->sobol[k].label_vi, "label_en",
                                        m->sobol[k].label_en, "first", jsonio_number(m->sobol[k].first),
                                        "total", jsonio_number(m->sobol[k].total)));
  json_object_set_new(o, "rank_shift_source", m->n_shifts ? json_string(m->shifts_crossed ? "crossed" : "method")
                                                          : json_null());
  json_object_set_new(o, "rank_shifts", sh);
  json_object_set_new(o, "sobol", so);
  return o;
}

static json_t *provenance_json(const rmodel *m) {
  json_t *o = json_object(), *a = json_array();
  for (size_t k = 0; k < m->n_imports; k++)
    json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:o}", "file", m->imports[k].file, "kind",
                                       m->imports[k].kind, "sha256", m->imports[k].sha256, "rows",
                                       m->imports[k].rows >= 0 ? json_integer(m->imports[k].rows)
                                                               : json_null()));
  json_object_set_new(o, "imports", a);
  json_object_set_new(o, "method_hash", json_string(m->method_hash ? m->method_hash : ""));
  json_object_set_new(o, "seed", json_string(m->seed ? m->seed : ""));
  json_object_set_new(o, "chiso_version", json_string(m->chiso_version ? m->chiso_version : CHISO_VERSION));
  json_object_set_new(o, "min_respondents", json_integer(m->min_respondents));
  return o;
}

static int method_json(const rmodel *m, FILE *f) {
  json_t *o = head_json(m), *meth = json_object();
  json_object_set_new(meth, "id", json_string(m->method_id ? m->method_id : ""));
  json_object_set_new(meth, "name_vi", json_string(m->method_name_vi ? m->method_name_vi : ""));
  json_object_set_new(meth, "name_en", json_string(m->method_name_en ? m->method_name_en : ""));
  json_object_set_new(meth, "hash", json_string(m->method_hash ? m->method_hash : ""));
  json_object_set_new(meth, "normalisation", json_string(m->normalisation ? m->normalisation : ""));
  json_object_set_new(meth, "aggregation", json_string(m->aggregation ? m->aggregation : ""));
  json_object_set_new(o, "methodology", meth);
  json_object_set_new(o, "nodes", nodes_json(m));
  json_object_set_new(o, "interval", interval_json(m));
  json_object_set_new(o, "sensitivity", sensitivity_json(m));
  json_object_set_new(o, "provenance", provenance_json(m));
  return jsonio_dump(o, f);
}

int rview_method_write(const rmodel *m, chiso_format fmt, FILE *out) {
  assert(m && out);
  return fmt == CHISO_FORMAT_JSON ? method_json(m, out) : method_csv(m, out);
}

/* ---- charts ------------------------------------------------------------------------------ */

static const char *const charts[] = {"map", "ranking", "pillars", "lorenz", "share", "rankshift",
                                     "sobol", "unit-pillars", "unit-trend"};
#define N_CHARTS (sizeof charts / sizeof charts[0])

const char *rview_chart_name(size_t i) { return i < N_CHARTS ? charts[i] : NULL; }

/* The links and display names of the model's units. */
typedef struct links {
  const char *names[RMODEL_MAX_UNITS];
  char *hrefs[RMODEL_MAX_UNITS];
  int any;
} links;

static int links_fill(links *l, const rmodel *m, const geo_registry *reg, const char *prefix,
                      const char *suffix) {
  memset(l, 0, sizeof *l);
  l->any = prefix || suffix;
  for (size_t i = 0; i < m->n_units && i < RMODEL_MAX_UNITS; i++) {
    l->names[i] = name_of(reg, m, i);
    if (!l->any) continue;
    size_t n = strlen(prefix ? prefix : "") + strlen(suffix ? suffix : "") + 3;
    if (!(l->hrefs[i] = chiso_malloc(n))) return CHISO_ENOMEM;
    snprintf(l->hrefs[i], n, "%s%s%s", prefix ? prefix : "", m->units[i].code, suffix ? suffix : "");
  }
  return CHISO_OK;
}

static void links_clear(links *l) {
  for (size_t i = 0; i < RMODEL_MAX_UNITS; i++) chiso_free(l->hrefs[i]);
}

/* Grouped bars of unit i against its region's and all units' means (the
** report's profile chart). */
static void unit_pillars(strbuf_buf *sb, const chart_ctx *c, const geo_registry *reg, size_t i) {
  const rmodel *m = c->m;
  double rm[RMODEL_MAX_PILLARS], nm[RMODEL_MAX_PILLARS];
  for (size_t p = 0; p < m->n_pillars && p < RMODEL_MAX_PILLARS; p++) {
    column col = {m, 0, p, 1};
    rm[p] = col_mean(&col, reg, i, 1);
    nm[p] = col_mean(&col, reg, i, 0);
  }
  chart_profile_pillars(sb, c, i, rm, nm);
}

static int draw(strbuf_buf *sb, const rmodel *m, const geo_registry *reg, size_t which, size_t i,
                const char *lang, const links *l, chiso_err *err) {
  chart_ctx c = {m, lang, l->names, l->any ? (const char *const *)l->hrefs : NULL};
  map_geom *g = NULL;
  int rc = CHISO_OK;
  switch (which) {
  case 0:
    rc = map_load(reg, era_of(m), &g, err);
    if (!rc) html_map(sb, m, g, reg, lang, c.hrefs);
    map_free(g);
    break;
  case 1: chart_ranking(sb, &c); break;
  case 2: chart_pillars(sb, &c); break;
  case 3: chart_lorenz(sb, &c); break;
  case 4: {
    chart_series s = {m->share_years, m->share, m->share_lo, m->share_hi, m->n_share, m->share_level};
    chart_line(sb, &c, &s, m->share_target, 100, "chart_share_axis", "chart_target_line");
    break;
  }
  case 5: chart_rankshift(sb, &c); break;
  case 6: chart_sobol(sb, &c); break;
  case 7: unit_pillars(sb, &c, reg, i); break;
  default: {
    chart_series s = {m->years, m->units[i].trend, NULL, NULL, m->n_years, NAN};
    chart_line(sb, &c, &s, NAN, 100, "chart_score_plain", NULL);
  }
  }
  return rc;
}

int rview_svg_write(const rmodel *m, const char *chart, const char *code, const char *lang,
                    const char *href_prefix, const char *href_suffix, FILE *out, chiso_err *err) {
  assert(m && chart && out);
  const geo_registry *reg = NULL;
  const char *lg = lang && strcmp(lang, "en") == 0 ? "en" : "vi";
  size_t which = 0, i = 0;
  while (which < N_CHARTS && strcmp(charts[which], chart)) which++;
  if (which == N_CHARTS)
    return chiso_err_set(err, CHISO_ENOTFOUND, "no chart '%s' (charts: map ranking pillars lorenz "
                         "share rankshift sobol unit-pillars unit-trend)", chart);
  int rc = rmodel_check(m, err);
  if (!rc && which >= 7) rc = find_unit(m, code, &i, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  links l;
  memset(&l, 0, sizeof l);
  if (!rc && links_fill(&l, m, reg, href_prefix, href_suffix)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  strbuf_buf sb;
  strbuf_init(&sb);
  sb.comma = strcmp(lg, "vi") == 0;
  if (!rc) rc = draw(&sb, m, reg, which, i, lg, &l, err);
  if (!rc && strbuf_error(&sb)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && sb.len && fwrite(sb.data, 1, sb.len, out) != sb.len) rc = chiso_err_set(err, CHISO_EIO, "write error");
  strbuf_free(&sb);
  links_clear(&l);
  return rc;
}

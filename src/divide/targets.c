/* targets.c — plan KPIs, actuals and the linear-path status rules. */
#include "divide/targets.h"

#include "base/embed.h"
#include "base/mem.h"
#include "base/text.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- scopes --------------------------------------------------------------- */

/* "national" (or VN, Việt Nam, toàn quốc, empty) stays "national"; anything
** else is a province resolved for `year`, written as its code into out. */
static int norm_scope(const geo_registry *reg, const char *text, int year, char out[16],
                      chiso_err *err) {
  char *key = NULL;
  if (text_key(text, &key)) return chiso_err_set(err, CHISO_EDATA, "scope: invalid text");
  int national = !key[0] || !strcmp(key, "national") || !strcmp(key, "vn") ||
                 !strcmp(key, "viet nam") || !strcmp(key, "vietnam") || !strcmp(key, "toan quoc");
  chiso_free(key);
  if (national) {
    snprintf(out, 16, "%s", TARGETS_NATIONAL);
    return CHISO_OK;
  }
  geo_match m;
  int rc = reg ? geo_resolve(reg, year, text, &m, err) : CHISO_ENOTFOUND;
  if (rc) {
    if (!reg) chiso_err_set(err, rc, "scope '%s': no province registry", text);
    return rc;
  }
  snprintf(out, 16, "%s", m.unit->code);
  return CHISO_OK;
}

/* ---- plan sets ---------------------------------------------------------------- */

static void kpi_clear(targets_kpi *k) {
  char **s[] = {&k->plan, &k->kpi, &k->scope, &k->description_vi, &k->description_en,
                &k->unit, &k->source, &k->note, &k->actual_kpi, &k->chiso_indicator};
  for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
    chiso_free(*s[i]);
    *s[i] = NULL;
  }
}

void targets_plans_free(targets_plan_set *set) {
  if (!set) return;
  for (size_t i = 0; i < set->n; i++) kpi_clear(&set->kpis[i]);
  chiso_free(set->kpis);
  chiso_free(set);
}

size_t targets_plan_count(const targets_plan_set *set, const char *plan_id) {
  size_t n = 0;
  for (size_t i = 0; set && i < set->n; i++) n += strcmp(set->kpis[i].plan, plan_id) == 0;
  return n;
}

/* Copy a cell (or `dflt` when the column is absent or the cell empty). */
static int dup_cell(const csvtable *t, size_t r, const char *col, const char *dflt,
                    char **out) {
  const char *v = csvtable_cell(t, r, csvtable_col(t, col));
  *out = chiso_strdup(v[0] ? v : dflt);
  return *out ? CHISO_OK : CHISO_ENOMEM;
}

static int parse_direction(const csvtable *t, size_t r, int *dir, chiso_err *err) {
  int c = csvtable_col(t, "direction");
  const char *v = csvtable_cell(t, r, c);
  if (!strcasecmp(v, "up") || !strcmp(v, "+")) *dir = 1;
  else if (!strcasecmp(v, "down") || !strcmp(v, "-")) *dir = -1;
  else return csvtable_error(t, r, c, err, "direction: '%s' must be up or down", v);
  return CHISO_OK;
}

static int parse_numbers(const csvtable *t, size_t r, targets_kpi *k, chiso_err *err) {
  long ty = 0, by = 0;
  int cb = csvtable_col(t, "baseline_year"), cv = csvtable_col(t, "baseline_value");
  int rc = csvtable_long(t, r, csvtable_col(t, "target_year"), 0, 1900, 2100, &ty, err);
  if (!rc) rc = csvtable_number(t, r, csvtable_col(t, "target_value"), 0, &k->target_value, err);
  if (!rc) rc = csvtable_long(t, r, cb, 1, 1900, 2100, &by, err);
  if (!rc) rc = csvtable_number(t, r, cv, 1, &k->baseline_value, err);
  if (!rc) rc = parse_direction(t, r, &k->direction, err);
  if (rc) return rc;
  k->target_year = (int)ty;
  k->baseline_year = (int)by;
  if ((by != 0) != !isnan(k->baseline_value))
    return csvtable_error(t, r, by ? cv : cb, err, "a baseline needs both baseline_year and baseline_value");
  if (by && by >= ty)
    return csvtable_error(t, r, cb, err, "baseline_year %ld is not before target_year %ld", by, ty);
  return CHISO_OK;
}

static int parse_strings(const csvtable *t, size_t r, const geo_registry *reg, targets_kpi *k,
                         chiso_err *err) {
  char scope[16];
  int cs = csvtable_col(t, "scope");
  int rc = norm_scope(reg, csvtable_cell(t, r, cs), k->target_year, scope, err);
  if (rc) return csvtable_error(t, r, cs, err, "scope: %s", err ? err->message : "unknown province");
  const char *cols[] = {"plan", "kpi", "description_vi", "description_en", "unit", "source",
                        "note", "chiso_indicator"};
  char **dst[] = {&k->plan, &k->kpi, &k->description_vi, &k->description_en, &k->unit,
                  &k->source, &k->note, &k->chiso_indicator};
  for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
    if (dup_cell(t, r, cols[i], "", dst[i])) return CHISO_ENOMEM;
  if (dup_cell(t, r, "actual_kpi", k->kpi, &k->actual_kpi)) return CHISO_ENOMEM;
  if (!(k->scope = chiso_strdup(scope))) return CHISO_ENOMEM;
  if (!k->plan[0] || !k->kpi[0])
    return csvtable_error(t, r, csvtable_col(t, k->plan[0] ? "kpi" : "plan"), err, "plan and kpi are required");
  return CHISO_OK;
}

static int require_cols(const csvtable *t, const char *const *cols, size_t n, chiso_err *err) {
  for (size_t i = 0; i < n; i++)
    if (csvtable_col(t, cols[i]) < 0)
      return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "missing column '%s'", cols[i]);
  return CHISO_OK;
}

int targets_plans_from_table(const csvtable *t, const geo_registry *reg, targets_plan_set **set,
                         chiso_err *err) {
  static const char *const need[] = {"plan", "kpi", "target_year", "target_value", "direction"};
  int rc = require_cols(t, need, 5, err);
  if (rc) return rc;
  int created = !*set;
  if (created && !(*set = chiso_calloc(1, sizeof **set))) return CHISO_ENOMEM;
  targets_plan_set *s = *set;
  size_t before = s->n;
  for (size_t r = 0; r < t->n_rows && !rc; r++) {
    if ((rc = chiso_grow((void **)&s->kpis, &s->cap, s->n + 1, sizeof *s->kpis))) break;
    targets_kpi *k = &s->kpis[s->n];
    memset(k, 0, sizeof *k);
    s->n++;
    rc = parse_numbers(t, r, k, err);
    if (!rc) rc = parse_strings(t, r, reg, k, err);
  }
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory reading %s", t->name);
  if (rc) {
    while (s->n > before) kpi_clear(&s->kpis[--s->n]);
    if (created) { targets_plans_free(s); *set = NULL; }
  }
  return rc;
}

static int embedded_table(const char *name, csvtable **out, chiso_err *err);

/* A plan file's KPI that does not name the chiso estimate measuring it
** takes the one the shipped plans give the same KPI id (baselines.csv),
** so that a province's own plan with the national KPI ids (noncash_payment,
** websites_online_ordering...) is judged with chiso's estimates of its
** scope like the shipped ones. */
static int default_indicators(targets_plan_set *s, size_t from, chiso_err *err) {
  csvtable *m = NULL;
  int rc = embedded_table("plans/baselines.csv", &m, err);
  int ck = m ? csvtable_col(m, "kpi") : -1, ci = m ? csvtable_col(m, "chiso_indicator") : -1;
  for (size_t i = from; !rc && i < s->n; i++) {
    targets_kpi *k = &s->kpis[i];
    if (k->chiso_indicator[0] || strcmp(k->actual_kpi, k->kpi)) continue;
    for (size_t r = 0; r < m->n_rows; r++) {
      const char *ind = csvtable_cell(m, r, ci);
      if (strcmp(csvtable_cell(m, r, ck), k->kpi) || !ind[0]) continue;
      char *copy = chiso_strdup(ind);
      if (!copy) {
        rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
        break;
      }
      chiso_free(k->chiso_indicator);
      k->chiso_indicator = copy;
      break;
    }
  }
  csvtable_free(m);
  return rc;
}

int targets_plans_read(const char *path, const geo_registry *reg, targets_plan_set **set,
                   chiso_err *err) {
  csvtable *t = NULL;
  int created = !*set;
  size_t before = *set ? (*set)->n : 0;
  int rc = csvtable_read(path, &t, err);
  if (!rc) rc = targets_plans_from_table(t, reg, set, err);
  if (!rc && (rc = default_indicators(*set, before, err))) {
    while ((*set)->n > before) kpi_clear(&(*set)->kpis[--(*set)->n]);
    if (created) { targets_plans_free(*set); *set = NULL; }
  }
  csvtable_free(t);
  return rc;
}

/* ---- built-in plans: targets.csv joined with baselines.csv -------------------------- */

static int embedded_table(const char *name, csvtable **out, chiso_err *err) {
  size_t len = 0;
  const char *text = embed_find(name, &len);
  if (!text) return chiso_err_set(err, CHISO_EINTERNAL, "embedded file %s is missing", name);
  int rc = csvtable_parse(text, len, name, out, err);
  if (rc == CHISO_EDATA) rc = err ? (err->code = CHISO_EINTERNAL) : CHISO_EINTERNAL;
  return rc;
}

/* The baselines.csv row for (plan, kpi), or -1. */
static long find_meta(const csvtable *m, const char *plan, const char *kpi) {
  int cp = csvtable_col(m, "plan"), ck = csvtable_col(m, "kpi");
  for (size_t r = 0; r < m->n_rows; r++)
    if (!strcmp(csvtable_cell(m, r, cp), plan) && !strcmp(csvtable_cell(m, r, ck), kpi)) return (long)r;
  return -1;
}

static void take_meta(targets_kpi *k, const csvtable *m, long r) {
  int ci = csvtable_col(m, "chiso_indicator"), ca = csvtable_col(m, "actual_kpi");
  int cn = csvtable_col(m, "note");
  char **dst[] = {&k->chiso_indicator, &k->actual_kpi, &k->note};
  const int cols[] = {ci, ca, cn};
  for (int i = 0; i < 3; i++) {
    const char *v = csvtable_cell(m, (size_t)r, cols[i]);
    char *copy = v[0] ? chiso_strdup(v) : NULL;
    if (copy) { chiso_free(*dst[i]); *dst[i] = copy; }
  }
}

static int join_meta(targets_plan_set *s, const csvtable *m, const geo_registry *reg,
                     chiso_err *err) {
  for (size_t i = 0; i < s->n; i++) {
    targets_kpi *k = &s->kpis[i];
    long r = find_meta(m, k->plan, k->kpi);
    if (r < 0) continue;
    long by = 0;
    double bv = NAN;
    char scope[16];
    int rc = csvtable_long(m, (size_t)r, csvtable_col(m, "baseline_year"), 1, 1900, 2100, &by, err);
    if (!rc) rc = csvtable_number(m, (size_t)r, csvtable_col(m, "baseline_value"), 1, &bv, err);
    if (!rc) rc = norm_scope(reg, csvtable_cell(m, (size_t)r, csvtable_col(m, "scope")), k->target_year, scope, err);
    if (rc) return CHISO_EINTERNAL;
    k->baseline_year = (int)by;
    k->baseline_value = bv;
    char *sc = chiso_strdup(scope);
    if (!sc) return CHISO_ENOMEM;
    chiso_free(k->scope);
    k->scope = sc;
    take_meta(k, m, r);
  }
  return CHISO_OK;
}

int targets_plans_builtin(const geo_registry *reg, targets_plan_set **out, chiso_err *err) {
  csvtable *t = NULL, *m = NULL;
  *out = NULL;
  int rc = embedded_table("plans/targets.csv", &t, err);
  if (!rc) rc = embedded_table("plans/baselines.csv", &m, err);
  if (!rc) rc = targets_plans_from_table(t, reg, out, err);
  if (rc == CHISO_EDATA) rc = CHISO_EINTERNAL;
  if (!rc) rc = join_meta(*out, m, reg, err);
  if (rc == CHISO_EINTERNAL && err) err->code = rc;
  if (rc) { targets_plans_free(*out); *out = NULL; }
  csvtable_free(t);
  csvtable_free(m);
  return rc;
}

/* ---- actuals -------------------------------------------------------------------- */

targets_actuals *targets_actuals_new(void) { return chiso_calloc(1, sizeof(targets_actuals)); }

void targets_actuals_free(targets_actuals *a) {
  if (!a) return;
  for (size_t i = 0; i < a->n; i++) {
    chiso_free(a->rows[i].kpi);
    chiso_free(a->rows[i].scope);
    chiso_free(a->rows[i].source);
  }
  chiso_free(a->rows);
  chiso_free(a);
}

int targets_actuals_add(targets_actuals *a, const char *kpi, const char *scope, int year, double value,
                    const char *source, int priority) {
  if (chiso_grow((void **)&a->rows, &a->cap, a->n + 1, sizeof *a->rows)) return CHISO_ENOMEM;
  targets_actual *x = &a->rows[a->n];
  x->kpi = chiso_strdup(kpi);
  x->scope = chiso_strdup(scope);
  x->source = chiso_strdup(source ? source : "");
  if (!x->kpi || !x->scope || !x->source) {
    chiso_free(x->kpi);
    chiso_free(x->scope);
    chiso_free(x->source);
    return CHISO_ENOMEM;
  }
  x->year = year;
  x->value = value;
  x->priority = priority;
  a->n++;
  return CHISO_OK;
}

static int actual_row(const csvtable *t, size_t r, const geo_registry *reg, int priority,
                      targets_actuals *a, chiso_err *err) {
  long year;
  double v;
  char scope[16];
  int cs = csvtable_col(t, "scope");
  int rc = csvtable_long(t, r, csvtable_col(t, "year"), 0, 1900, 2100, &year, err);
  if (!rc) rc = csvtable_number(t, r, csvtable_col(t, "value"), 0, &v, err);
  if (rc) return rc;
  if (norm_scope(reg, csvtable_cell(t, r, cs), (int)year, scope, err))
    return csvtable_error(t, r, cs, err, "scope: %s", err ? err->message : "unknown province");
  const char *kpi = csvtable_cell(t, r, csvtable_col(t, "kpi"));
  if (!kpi[0]) return csvtable_error(t, r, csvtable_col(t, "kpi"), err, "kpi is required");
  return targets_actuals_add(a, kpi, scope, (int)year, v, csvtable_cell(t, r, csvtable_col(t, "source")),
                         priority);
}

static int actuals_from_table(const csvtable *t, const geo_registry *reg, int priority,
                              targets_actuals *a, chiso_err *err) {
  static const char *const need[] = {"kpi", "scope", "year", "value"};
  int rc = require_cols(t, need, 4, err);
  size_t before = a->n;
  for (size_t r = 0; r < t->n_rows && !rc; r++) rc = actual_row(t, r, reg, priority, a, err);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory reading %s", t->name);
  if (rc) {
    while (a->n > before) {
      targets_actual *x = &a->rows[--a->n];
      chiso_free(x->kpi);
      chiso_free(x->scope);
      chiso_free(x->source);
    }
  }
  return rc;
}

int targets_actuals_read(const char *path, const geo_registry *reg, int priority, targets_actuals *a,
                     chiso_err *err) {
  csvtable *t = NULL;
  int rc = csvtable_read(path, &t, err);
  if (!rc) rc = actuals_from_table(t, reg, priority, a, err);
  csvtable_free(t);
  return rc;
}

int targets_actuals_builtin(const geo_registry *reg, targets_actuals *a, chiso_err *err) {
  csvtable *t = NULL;
  int rc = embedded_table("plans/actuals.csv", &t, err);
  if (!rc) rc = actuals_from_table(t, reg, TARGETS_PRIO_PUBLISHED, a, err);
  if (rc == CHISO_EDATA) rc = err ? (err->code = CHISO_EINTERNAL) : CHISO_EINTERNAL;
  csvtable_free(t);
  return rc;
}

int targets_actuals_from_estimates(const targets_plan_set *set, const char *plan_id, targets_lookup_fn lookup,
                               void *userdata, int first_year, int last_year, targets_actuals *a,
                               chiso_err *err) {
  for (size_t i = 0; i < set->n; i++) {
    const targets_kpi *k = &set->kpis[i];
    if ((plan_id && strcmp(k->plan, plan_id)) || !k->chiso_indicator[0]) continue;
    double scale = strcasecmp(k->unit, "percent") == 0 ? 100.0 : 1.0;
    char source[160];
    snprintf(source, sizeof source, "chiso estimate (%s)", k->chiso_indicator);
    for (int y = first_year; y <= last_year; y++) {
      double v = NAN;
      int rc = lookup(userdata, k->chiso_indicator, k->scope, y, &v);
      if (rc == CHISO_ENOTFOUND || (!rc && isnan(v))) continue;
      if (rc) {
        if (!err || !err->message[0])
          chiso_err_set(err, rc, "estimate %s for %s %d failed", k->chiso_indicator, k->scope, y);
        return rc;
      }
      if (targets_actuals_add(a, k->actual_kpi, k->scope, y, v * scale, source, TARGETS_PRIO_ESTIMATE))
        return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    }
  }
  return CHISO_OK;
}

/* ---- evaluation ----------------------------------------------------------------------- */

const char *targets_status_name(targets_status s) {
  switch (s) {
  case TARGETS_ACHIEVED: return "achieved";
  case TARGETS_ON_TRACK: return "on track";
  case TARGETS_OFF_TRACK: return "off track";
  case TARGETS_NO_BASELINE: return "no baseline";
  case TARGETS_BASELINE_ONLY: return "baseline only";
  default: return "no data";
  }
}

int targets_projected_whole_year(double y) { return isfinite(y) ? (int)ceil(y - 1e-9) : 0; }

static int meets(const targets_kpi *k, double v) {
  return k->direction > 0 ? v >= k->target_value : v <= k->target_value;
}

/* The usable actuals of k, one per year (highest priority wins), sorted by
** year into list (caller-sized a->n). Returns the count. */
static size_t collect(const targets_kpi *k, const targets_actuals *a, int as_of, const targets_actual **list) {
  size_t m = 0;
  for (size_t i = 0; i < a->n; i++) {
    const targets_actual *x = &a->rows[i];
    if (strcmp(x->kpi, k->actual_kpi) || strcmp(x->scope, k->scope)) continue;
    if ((as_of && x->year > as_of) || isnan(x->value)) continue;
    size_t j = 0;
    while (j < m && list[j]->year < x->year) j++;
    if (j < m && list[j]->year == x->year) {
      if (x->priority > list[j]->priority) list[j] = x;
      continue;
    }
    memmove(list + j + 1, list + j, (m - j) * sizeof *list);
    list[j] = x;
    m++;
  }
  return m;
}

/* Baseline, progress, path and pace, once the latest actual is known. */
static void judge_path(const targets_kpi *k, const targets_actual *first, targets_result *o) {
  o->baseline_year = k->baseline_year;
  o->baseline_value = k->baseline_value;
  if (!k->baseline_year && first && first->year < o->actual_year) {
    o->baseline_year = first->year;
    o->baseline_value = first->value;
    o->baseline_from_actual = 1;
  }
  if (!o->baseline_year) return;
  double y0 = o->baseline_year, v0 = o->baseline_value, T = k->target_year, vT = k->target_value;
  double ya = o->actual_year, va = o->actual_value;
  /* Progress is the share of the way from baseline to target; undefined
  ** when the baseline already meets the target (a first actual past it). */
  if ((vT - v0) * k->direction > 0) {
    double p = 100.0 * (va - v0) / (vT - v0);
    o->progress_pct = p > 100 ? 100 : p < -100 ? -100 : p;
  }
  o->path_value = ya <= y0 ? v0 : ya >= T ? vT : v0 + (vT - v0) * (ya - y0) / (T - y0);
  if (ya > y0) {
    double pace = (va - v0) / (ya - y0); /* units per year since the baseline */
    o->projected_year = pace * k->direction > 0 ? ya + (vT - va) / pace : INFINITY;
    if (isfinite(o->projected_year) && o->projected_year > ya + TARGETS_HORIZON) {
      o->projected_after = (int)ya + TARGETS_HORIZON;
      o->projected_year = NAN;
    }
  }
}

/* 1 when an actual of k's KPI and scope exists after `year` (and up to
** as_of when given). */
static int has_later(const targets_kpi *k, const targets_actuals *a, int year, int as_of) {
  for (size_t i = 0; i < a->n; i++) {
    const targets_actual *x = &a->rows[i];
    if (!strcmp(x->kpi, k->actual_kpi) && !strcmp(x->scope, k->scope) && x->year > year &&
        (!as_of || x->year <= as_of) && !isnan(x->value))
      return 1;
  }
  return 0;
}

void targets_evaluate(const targets_kpi *k, const targets_actuals *a, int as_of, targets_result *o) {
  assert(k && a && o);
  memset(o, 0, sizeof *o);
  o->kpi = k;
  o->actual_value = o->baseline_value = o->path_value = o->progress_pct = NAN;
  o->projected_year = NAN;
  /* A past target is judged at its own year: a later actual says nothing
  ** about whether it was met on time (issue 12). */
  int past = has_later(k, a, k->target_year, as_of);
  int limit = past ? k->target_year : as_of;
  const targets_actual *stack[64], **list = a && a->n > 64 ? chiso_malloc(a->n * sizeof *list) : stack;
  size_t m = list && a ? collect(k, a, limit, list) : 0;
  if (past && m && list[m - 1]->year != k->target_year) m = 0;
  o->at_target_year = past && m;
  if (m == 0) {
    int gap = !strcmp(k->scope, TARGETS_NATIONAL) && k->chiso_indicator && k->chiso_indicator[0] &&
              a->national_gap[0];
    o->status = TARGETS_NO_DATA;
    o->reason = !list   ? "out of memory"
                : past  ? "no actual for the target year (later ones do not judge it)"
                : gap   ? a->national_gap
                        : "no actual value";
    goto done;
  }
  const targets_actual *last = list[m - 1];
  o->actual_year = last->year;
  o->actual_value = last->value;
  o->actual_source = last->source;
  o->actual_priority = last->priority;
  for (size_t i = 0; i < m && !o->first_met_year; i++)
    if (meets(k, list[i]->value)) o->first_met_year = list[i]->year;
  judge_path(k, m > 1 ? list[0] : NULL, o);
  if (meets(k, last->value)) {
    o->status = TARGETS_ACHIEVED;
    o->projected_year = o->first_met_year;
    o->projected_after = 0;
    o->progress_pct = isnan(o->progress_pct) ? NAN : 100;
    o->reason = o->at_target_year                      ? "met in the target year"
                : o->first_met_year < k->target_year ? "met before the target year"
                                                     : "target met";
  } else if (last->year >= k->target_year) {
    o->status = TARGETS_OFF_TRACK;
    o->reason = o->at_target_year ? "not met in the target year"
                                  : "target year reached without meeting the target";
  } else if (!o->baseline_year) {
    o->status = TARGETS_NO_BASELINE;
    o->reason = "no baseline to judge the path";
  } else if (o->actual_year <= o->baseline_year) {
    o->status = TARGETS_BASELINE_ONLY;
    o->reason = "no actual after the baseline year";
  } else {
    int ahead = k->direction * (o->actual_value - o->path_value) >= 0;
    o->status = ahead ? TARGETS_ON_TRACK : TARGETS_OFF_TRACK;
    o->reason = ahead ? "at or ahead of the linear path" : "behind the linear path";
  }
done:
  if (list != stack) chiso_free(list);
}

/* ---- CSV ---------------------------------------------------------------------- */

void targets_projected_text(const targets_result *r, char *buf, size_t n) {
  double y = r->projected_year;
  if (r->projected_after) snprintf(buf, n, "after %d", r->projected_after);
  else if (isinf(y)) snprintf(buf, n, "never");
  else if (isnan(y)) buf[0] = '\0';
  else snprintf(buf, n, "%d", targets_projected_whole_year(y));
}



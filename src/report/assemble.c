/* assemble.c — the report model from the survey store (assemble.h). */
#include "report/assemble.h"

#include "chiso.h"
#include "survey/harmonise.h"
#include "year/actuals.h"
#include "year/divide.h"
#include "divide/inequality.h"
#include "estimate/estimates.h"
#include "index/idx.h"
#include "base/mem.h"
#include "base/textfile.h"
#include "report/i18n.h"
#include "divide/targets.h"
#include "uncertainty/montecarlo.h"
#include "year/uncertainty.h"

#include "base/textfile.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHARE_TARGET 50.0

void assemble_options_init(assemble_options *o) {
  o->units = 0;
  o->seed = 1;
  o->synthetic = -1;
  o->runs = 0;
  o->sobol_n = 0;
  o->threads = 1;
  o->share_replicates = 0;
}

static int nomem(chiso_err *err) { return chiso_err_set(err, CHISO_ENOMEM, "out of memory"); }

static int dup_to(char **dst, const char *s) {
  *dst = chiso_strdup(s ? s : "");
  return *dst ? CHISO_OK : CHISO_ENOMEM;
}

/* ---- the methodology ------------------------------------------------------ */

typedef struct bctx {
  yearset *years;
  const geo_registry *reg;
  const assemble_options *o;
  const char *method;       /* the set's methodology override, NULL: stored */
  int year;
  geo_era era;
  const store_import_info *imp; /* every stored import (borrowed from the set) */
  size_t n_imp;
  const idx_model *im; /* the report year's methodology (borrowed) */
  rmodel *m;
  int *pillar_node; /* m->n_pillars node indices */
  year_ctx **yx;        /* one context per m->years entry (borrowed from the set) */
  const year_result **yc; /* one per m->years entry (NULL for a year that failed) */
  chiso_err *err;
  size_t imports_cap;   /* room of m->imports */
  struct years_work *yw; /* the years' divides, computed with their index (run_years) */
} bctx;

/* The SHA-256 of the methodology: the one stored with the year's survey
** imports, or of the file given in the options ("" for a shipped name). */
static int method_hash(bctx *b) {
  const char *hash = "";
  char fhash[65] = "";
  long long size;
  chiso_err e;
  if (b->method) {
    if (store_sha256_file(b->method, TEXTFILE_MAX_BYTES, fhash, &size, &e) == CHISO_OK) hash = fhash;
  } else {
    for (size_t i = 0; i < b->n_imp && !*hash; i++)
      if (b->imp[i].year == b->year) hash = b->imp[i].method_hash;
  }
  return dup_to(&b->m->method_hash, hash) ? nomem(b->err) : CHISO_OK;
}

/* ---- the head and the methodology appendix --------------------------------- */

/* The publication's title: the methodology's "title" ({"vi", "en"} or one
** string), else its name; a report of a regional methodology is not
** called the Vietnam index (issue 12). A --title replaces it later. */
static int fill_title(bctx *b) {
  char *own = NULL;
  size_t len = 0;
  const char *text = NULL;
  if (b->method) {
    chiso_err e;
    if (textfile_method(b->method, &own, &len, &e) == CHISO_OK) text = own;
  } else {
    for (size_t t = 0; t < b->m->n_years && !text; t++)
      if (b->m->years[t] == b->year && b->yx[t]) text = year_method_json(b->yx[t]);
  }
  json_t *root = text ? json_loads(text, 0, NULL) : NULL, *t = json_object_get(root, "title");
  const char *vi = json_is_string(t) ? json_string_value(t) : json_string_value(json_object_get(t, "vi"));
  const char *en = json_is_string(t) ? json_string_value(t) : json_string_value(json_object_get(t, "en"));
  if (!vi) vi = b->im->name_vi;
  if (!en) en = b->im->name_en;
  int rc = dup_to(&b->m->title_vi, vi) || dup_to(&b->m->title_en, en) ? nomem(b->err) : CHISO_OK;
  json_decref(root);
  chiso_free(own);
  return rc;
}

static int fill_head(bctx *b) {
  rmodel *m = b->m;
  const idx_model *im = b->im;
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", (unsigned long long)b->o->seed);
  m->year = b->year;
  m->n_era_units = b->era == GEO_ERA_63 ? 63 : 34;
  m->share_target = SHARE_TARGET;
  if (dup_to(&m->method_id, im->id) || dup_to(&m->method_name_vi, im->name_vi) ||
      dup_to(&m->method_name_en, im->name_en) ||
      dup_to(&m->normalisation, idx_norm_name(im->norm.method)) ||
      dup_to(&m->aggregation, idx_agg_name(im->agg)) || dup_to(&m->seed, seed) ||
      dup_to(&m->chiso_version, CHISO_VERSION))
    return nomem(b->err);
  return fill_title(b);
}

/* The unit of an indicator a survey question gives: a share (0..1) for a
** share or the mean of a yes/no answer, a percentage for the mean of a
** percent question; "" for the rest (external indicators, totals). */
static const char *indicator_unit(const bctx *b, const char *id) {
  const codebook *cb = NULL;
  for (size_t t = 0; t < b->m->n_years && !cb; t++)
    if (b->m->years[t] == b->year && b->yx[t]) cb = year_codebook(b->yx[t]);
  for (size_t k = 0; cb && k < cb->n_indicators; k++) {
    const codebook_indicator *ind = &cb->indicators[k];
    if (strcmp(ind->id, id) != 0) continue;
    const codebook_question *q = codebook_find_question(cb, ind->question);
    if (ind->kind == CODEBOOK_SHARE_YES || ind->kind == CODEBOOK_SHARE_ANY) return "share";
    if (ind->kind == CODEBOOK_MEAN && q && q->type == CODEBOOK_YESNO) return "share";
    if (ind->kind == CODEBOOK_MEAN && q && q->type == CODEBOOK_PERCENT) return "percent";
  }
  return "";
}

static int fill_node(bctx *b, int n, rmodel_node *out) {
  const idx_model *im = b->im;
  const idx_node *x = &im->nodes[n];
  out->weight = x->weight;
  out->direction = x->is_indicator ? x->direction : 0;
  const char *norm = x->is_indicator ? idx_norm_name(idx_model_norm(im, n)->method) : "";
  const char *agg = x->is_indicator ? "" : idx_agg_name(x->agg_set ? x->agg : im->agg);
  if (dup_to(&out->id, x->id) || dup_to(&out->parent, x->parent_id) ||
      dup_to(&out->name_vi, x->name_vi) || dup_to(&out->name_en, x->name_en) ||
      dup_to(&out->normalisation, norm) || dup_to(&out->aggregation, agg) ||
      dup_to(&out->unit, x->is_indicator ? indicator_unit(b, x->id) : ""))
    return nomem(b->err);
  return CHISO_OK;
}

/* Nodes in pre-order from the root (so the appendix reads as a tree). */
static int fill_nodes(bctx *b) {
  const idx_model *im = b->im;
  rmodel *m = b->m;
  int *stack = chiso_malloc(im->n_nodes * sizeof *stack);
  m->nodes = chiso_calloc(im->n_nodes, sizeof *m->nodes);
  if (!stack || !m->nodes) {
    chiso_free(stack);
    return nomem(b->err);
  }
  size_t top = 0;
  int rc = CHISO_OK;
  stack[top++] = im->root;
  while (top && !rc) {
    int n = stack[--top];
    rc = fill_node(b, n, &m->nodes[m->n_nodes++]);
    const idx_node *x = &im->nodes[n];
    for (int c = x->n_children - 1; c >= 0; c--) stack[top++] = im->children[x->first_child + c];
  }
  chiso_free(stack);
  return rc;
}

/* Pillars: the children of the root; indicators: the leaves. */
static int fill_axes(bctx *b) {
  const idx_model *im = b->im;
  rmodel *m = b->m;
  const idx_node *root = &im->nodes[im->root];
  size_t np = (size_t)root->n_children;
  m->pillars = chiso_calloc(np ? np : 1, sizeof *m->pillars);
  b->pillar_node = chiso_calloc(np ? np : 1, sizeof *b->pillar_node);
  m->indicators = chiso_calloc(im->n_ind ? im->n_ind : 1, sizeof *m->indicators);
  if (!m->pillars || !b->pillar_node || !m->indicators) return nomem(b->err);
  for (size_t p = 0; p < np; p++, m->n_pillars++) {
    b->pillar_node[p] = im->children[root->first_child + (int)p];
    if (dup_to(&m->pillars[p], im->nodes[b->pillar_node[p]].id)) return nomem(b->err);
  }
  for (size_t k = 0; k < im->n_ind; k++, m->n_indicators++)
    if (dup_to(&m->indicators[k], im->nodes[k].id)) return nomem(b->err);
  return CHISO_OK;
}

/* ---- years and units -------------------------------------------------------- */

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

/* The trend axis: stored survey years up to the report year with the
** report's units, and the report year itself. On the 34 units every
** earlier year is included: it is harmonised (its 34-unit view). */
static int fill_years(bctx *b) {
  rmodel *m = b->m;
  m->years = chiso_calloc(b->n_imp + 1, sizeof *m->years);
  if (!m->years) return nomem(b->err);
  m->years[m->n_years++] = b->year;
  for (size_t i = 0; i < b->n_imp; i++) {
    int y = b->imp[i].year, seen = 0;
    if (y > b->year || (b->era != GEO_ERA_34 && geo_era_for_year(y) != b->era)) continue;
    for (size_t j = 0; j < m->n_years; j++) seen |= m->years[j] == y;
    if (!seen) m->years[m->n_years++] = y;
  }
  qsort(m->years, m->n_years, sizeof *m->years, cmp_int);
  return CHISO_OK;
}

static const year_result *report_year(const bctx *b) {
  for (size_t t = 0; t < b->m->n_years; t++)
    if (b->m->years[t] == b->year) return b->yc[t];
  return NULL;
}

/* The years of the axis are read from the store one after the other on
** the calling thread, and each is computed (its index, then its divide)
** as soon as it is read: by the other threads meanwhile, and by the
** caller too once all are read. Each year has its own context (year_ctx),
** which only the thread computing it touches; a year's codes and errors
** stay in its slot and are read in year order, the same outcome as one
** year after the other. */
typedef struct years_work {
  bctx *b;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t read;          /* years read so far */
  size_t next;          /* the next year to compute */
  int *code;            /* n_years: reading, then the index */
  chiso_err *err;
  int *dcode;           /* n_years: the divide */
  chiso_err *derr;
  divide_options dopt;  /* the divide's options */
  divide_year **dy;     /* n_years: the divides (NULL: none) */
  double *own;          /* n_years: share_on_own_units */
} years_work;

static void years_work_free(years_work *w) {
  if (!w) return;
  for (size_t t = 0; w->dy && t < w->b->m->n_years; t++) divide_year_free(w->dy[t]);
  chiso_free(w->dy);
  chiso_free(w->own);
  chiso_free(w->code);
  chiso_free(w->err);
  chiso_free(w->dcode);
  chiso_free(w->derr);
  chiso_free(w);
}

static int share_on_own_units(bctx *b, size_t t, const divide_year *y, double *out,
                              chiso_err *err);

/* Year t: its index on the report's units, then its divide (a year whose
** index fails has none). */
static void compute_year(years_work *w, size_t t) {
  bctx *b = w->b;
  if (w->code[t] || !b->yx[t]) return;
  w->code[t] = year_result_get(b->yx[t], b->era, &b->yc[t], &w->err[t]);
  if (w->code[t]) return;
  w->dcode[t] = divide_year_compute(b->yx[t], &w->dopt, &w->dy[t], &w->derr[t]);
  if (!w->dcode[t] && w->dy[t]->has_volume)
    w->dcode[t] = share_on_own_units(b, t, w->dy[t], &w->own[t], &w->derr[t]);
}

/* Compute years as they are read until none is left. */
static void *years_worker(void *ud) {
  years_work *w = ud;
  size_t T = w->b->m->n_years;
  pthread_mutex_lock(&w->mu);
  for (;;) {
    while (w->next < T && w->next >= w->read) pthread_cond_wait(&w->cv, &w->mu);
    if (w->next >= T) break;
    size_t t = w->next++;
    pthread_mutex_unlock(&w->mu);
    compute_year(w, t);
    pthread_mutex_lock(&w->mu);
  }
  pthread_mutex_unlock(&w->mu);
  return NULL;
}

static years_work *years_work_new(bctx *b) {
  size_t T = b->m->n_years ? b->m->n_years : 1;
  years_work *w = chiso_calloc(1, sizeof *w);
  if (!w) return NULL;
  w->b = b;
  w->code = chiso_calloc(T, sizeof *w->code);
  w->err = chiso_calloc(T, sizeof *w->err);
  w->dcode = chiso_calloc(T, sizeof *w->dcode);
  w->derr = chiso_calloc(T, sizeof *w->derr);
  w->dy = chiso_calloc(T, sizeof *w->dy);
  w->own = chiso_calloc(T, sizeof *w->own);
  if (!w->code || !w->err || !w->dcode || !w->derr || !w->dy || !w->own) {
    years_work_free(w);
    return NULL;
  }
  /* the threads not used by the years side by side go to each year's
  ** share interval (a store of one year: all of them) */
  size_t threads = b->o->threads < 1 ? 1 : (size_t)b->o->threads;
  divide_options_init(&w->dopt);
  w->dopt.units_34 = b->era == GEO_ERA_34;
  w->dopt.seed = b->o->seed;
  w->dopt.threads = threads > T ? (int)(threads / T) : 1;
  if (b->o->share_replicates) w->dopt.replicates = b->o->share_replicates;
  return w;
}

#define YEARS_MAX_THREADS 64

/* Read every year and compute it (years_work), on b->o->threads threads. */
static void years_read_and_compute(years_work *w) {
  bctx *b = w->b;
  size_t T = b->m->n_years, started = 0;
  size_t threads = b->o->threads < 1 ? 1 : (size_t)b->o->threads;
  pthread_t tid[YEARS_MAX_THREADS];
  int sync = pthread_mutex_init(&w->mu, NULL) == 0;
  if (sync && pthread_cond_init(&w->cv, NULL) != 0) {
    pthread_mutex_destroy(&w->mu);
    sync = 0;
  }
  /* without a worker (one thread, or none started) the caller reads all, then computes all */
  for (size_t k = 1; sync && k < threads && started < T && started < YEARS_MAX_THREADS; k++)
    if (pthread_create(&tid[started], NULL, years_worker, w) == 0) started++;
  for (size_t t = 0; t < T; t++) {
    w->code[t] = yearset_get(b->years, b->m->years[t], &b->yx[t], &w->err[t]);
    if (!started) continue;
    pthread_mutex_lock(&w->mu);
    w->read = t + 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
  }
  if (started) {
    years_worker(w);
    for (size_t k = 0; k < started; k++) pthread_join(tid[k], NULL);
  } else {
    for (size_t t = 0; t < T; t++) compute_year(w, t);
  }
  if (sync) {
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
  }
}

/* Compute every year of the axis on the report's units (year_result_get:
** a year before 2025 on the 34 units is re-estimated), and its divide for
** fill_divide. The report year must work; another year that cannot be
** computed stays empty. */
static int run_years(bctx *b) {
  rmodel *m = b->m;
  size_t T = m->n_years;
  b->yc = chiso_calloc(T, sizeof *b->yc);
  b->yx = chiso_calloc(T, sizeof *b->yx);
  if (!b->yc || !b->yx || !(b->yw = years_work_new(b))) return nomem(b->err);
  years_work *w = b->yw;
  years_read_and_compute(w);
  for (size_t t = 0; t < T; t++) {
    if (w->code[t] && (w->code[t] == CHISO_ENOMEM || m->years[t] == b->year)) {
      *b->err = w->err[t];
      return w->code[t];
    }
    if (w->code[t]) b->yc[t] = NULL;
  }
  for (size_t t = 0; t < m->n_years; t++)
    if (m->years[t] == b->year) b->im = b->yc[t]->model;
  b->m->min_respondents = report_year(b)->min_respondents;
  return CHISO_OK;
}

static double *nan_array(size_t n) {
  double *v = chiso_malloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < n; i++) v[i] = NAN;
  return v;
}

/* The score of unit `code` in year t of the axis, NaN when none. */
static double trend_score(const bctx *b, size_t t, const char *code) {
  const year_result *y = b->yc[t];
  long i = y ? year_result_unit(y, code) : -1;
  return i < 0 ? NAN : year_result_score(y, y->model->root, (size_t)i);
}

/* Year t of the axis for unit u: its score, its rank that year and
** whether its data were approximate (year_result_approx). */
static void trend_point(const bctx *b, size_t t, rmodel_unit *u) {
  const year_result *y = b->yc[t];
  long i = y ? year_result_unit(y, u->code) : -1;
  u->trend[t] = trend_score(b, t, u->code);
  u->trend_rank[t] = i < 0 ? 0 : y->rank[i];
  u->trend_approx[t] = i >= 0 && year_result_approx(y, (size_t)i);
}

/* Why unit i is not ranked, in both languages (idx_unranked_text_lang,
** the words of every other output), and the methodology's tier of a
** ranked unit's score. */
static int unit_note(bctx *b, const year_result *y, size_t i, rmodel_unit *u) {
  char vi[512], en[512];
  idx_unranked_text_lang(y->plan, y->ws, i, "vi", vi, sizeof vi);
  idx_unranked_text_lang(y->plan, y->ws, i, "en", en, sizeof en);
  int t = u->rank > 0 ? idx_model_tier(b->im, u->score) : -1;
  if (dup_to(&u->note_vi, vi) || dup_to(&u->note_en, en) ||
      dup_to(&u->tier, t >= 0 ? b->im->tiers[t].id : ""))
    return nomem(b->err);
  return CHISO_OK;
}

static int fill_unit(bctx *b, const year_result *y, size_t i, rmodel_unit *u) {
  const rmodel *m = b->m;
  const unittable *t = y->table;
  memcpy(u->code, t->code[i], 3);
  u->score = year_result_score(y, b->im->root, i);
  u->score_lo = u->score_hi = NAN;
  u->rank = y->rank[i];
  u->n_resp = y->respondents[i];
  u->pillars = nan_array(m->n_pillars);
  u->indicators = nan_array(m->n_indicators);
  u->trend = nan_array(m->n_years);
  if (!u->pillars || !u->indicators || !u->trend) return nomem(b->err);
  for (size_t p = 0; p < m->n_pillars; p++) u->pillars[p] = year_result_score(y, b->pillar_node[p], i);
  for (size_t k = 0; k < m->n_indicators; k++) {
    long c = unittable_col(t, m->indicators[k]);
    if (c >= 0) u->indicators[k] = t->value[i * t->n_indicators + (size_t)c];
  }
  u->trend_rank = chiso_calloc(m->n_years ? m->n_years : 1, sizeof *u->trend_rank);
  u->trend_approx = chiso_calloc(m->n_years ? m->n_years : 1, sizeof *u->trend_approx);
  if (!u->trend_rank || !u->trend_approx) return nomem(b->err);
  for (size_t s = 0; s < m->n_years; s++) trend_point(b, s, u);
  return unit_note(b, y, i, u);
}

/* The methodology's tiers and top-N publication option. */
static int fill_tiers(bctx *b) {
  rmodel *m = b->m;
  const idx_model *im = b->im;
  m->top_n = im->top_n;
  if (!im->n_tiers) return CHISO_OK;
  if (!(m->tiers = chiso_calloc(im->n_tiers, sizeof *m->tiers))) return nomem(b->err);
  for (size_t t = 0; t < im->n_tiers; t++, m->n_tiers++) {
    rmodel_tier *x = &m->tiers[t];
    x->min = im->tiers[t].min;
    if (dup_to(&x->id, im->tiers[t].id) || dup_to(&x->name_vi, im->tiers[t].name_vi) ||
        dup_to(&x->name_en, im->tiers[t].name_en)) {
      m->n_tiers++; /* so that rmodel_free releases it */
      return nomem(b->err);
    }
  }
  return CHISO_OK;
}

static int fill_units(bctx *b) {
  const year_result *y = report_year(b);
  rmodel *m = b->m;
  int rc = fill_tiers(b);
  if (rc) return rc;
  if (y->n_units > RMODEL_MAX_UNITS)
    return chiso_err_set(b->err, CHISO_EINTERNAL, "more than %d units", RMODEL_MAX_UNITS);
  m->units = chiso_calloc(y->n_units, sizeof *m->units);
  if (!m->units) return nomem(b->err);
  for (size_t i = 0; i < y->n_units; i++, m->n_units++) {
    int rc = fill_unit(b, y, i, &m->units[i]);
    if (rc) {
      m->n_units++; /* so that rmodel_free releases its arrays */
      return rc;
    }
  }
  return CHISO_OK;
}

/* ---- the divide --------------------------------------------------------------- */

/* The divide of every year of the axis comes from divide_year_compute, as
** `chiso divide --db` and the demo compute it (one source of truth): the
** HN+HCM share of the estimated online sales with its bootstrap interval,
** the Lorenz curve and concentration of the report year, and the
** inequality of the ranked units' scores. */

static int add_measure(bctx *b, const char *id, double value, double lo, double hi) {
  rmodel *m = b->m;
  if (isnan(value)) return CHISO_OK;
  rmodel_measure *x = &m->measures[m->n_measures];
  x->value = value;
  x->lo = lo;
  x->hi = hi;
  if (dup_to(&x->id, id)) return nomem(b->err);
  m->n_measures++;
  return CHISO_OK;
}

/* Measures and the Lorenz curve of the report year. */
static int fill_year_measures(bctx *b, const divide_year *y) {
  rmodel *m = b->m;
  int rc = CHISO_OK;
  if (y->has_volume && y->n_lorenz >= 2) {
    m->lorenz_x = chiso_calloc(y->n_lorenz, sizeof *m->lorenz_x);
    m->lorenz_y = chiso_calloc(y->n_lorenz, sizeof *m->lorenz_y);
    if (!m->lorenz_x || !m->lorenz_y) return nomem(b->err);
    memcpy(m->lorenz_x, y->lorenz_x, y->n_lorenz * sizeof *m->lorenz_x);
    memcpy(m->lorenz_y, y->lorenz_y, y->n_lorenz * sizeof *m->lorenz_y);
    m->n_lorenz = y->n_lorenz;
    rc = add_measure(b, "hnhcm_share", 100 * y->conc.hn_hcm_share, 100 * y->share_lo,
                     100 * y->share_hi);
    /* the ids of `chiso divide` (its CSV has every figure shown here) */
    if (!rc) rc = add_measure(b, "volume_gini", y->conc.gini, NAN, NAN);
    if (!rc) rc = add_measure(b, "volume_top5_share", 100 * y->conc.top5_share, NAN, NAN);
    if (!rc) rc = add_measure(b, "volume_hhi", y->conc.hhi, NAN, NAN);
  }
  if (!rc && y->has_scores) {
    rc = add_measure(b, "score_gini", y->ineq.gini, NAN, NAN);
    if (!rc) rc = add_measure(b, "score_cv", y->ineq.cv, NAN, NAN);
    if (!rc) rc = add_measure(b, "score_theil_t", y->ineq.theil_t.total, NAN, NAN);
  }
  return rc;
}

static void take_share(rmodel *m, int year, const divide_year *y, double level) {
  size_t i = m->n_share++;
  m->share_years[i] = year;
  m->share[i] = 100 * y->conc.hn_hcm_share;
  m->share_lo[i] = 100 * y->share_lo;
  m->share_hi[i] = 100 * y->share_hi;
  if (!isnan(y->share_lo)) m->share_level = level;
}

/* The share of year t on the units in force that year when the report puts
** it on other units (a year before 2025 in a 34-unit report): the figure
** `chiso divide --db` and the year's own report give, shown beside the
** recomputed one (issue 12); NaN otherwise. No interval: one basis carries
** the intervals. y is the year's divide on the report's units. */
static int share_on_own_units(bctx *b, size_t t, const divide_year *y, double *out,
                              chiso_err *err) {
  *out = NAN;
  if (b->era != GEO_ERA_34) return CHISO_OK;
  if (geo_era_for_year(b->m->years[t]) == GEO_ERA_34) { /* the same units: the same figure */
    *out = 100 * y->conc.hn_hcm_share;
    return CHISO_OK;
  }
  divide_options d;
  divide_options_init(&d);
  d.interval = DIVIDE_CI_NONE;
  divide_year *own = NULL;
  int rc = divide_year_compute(b->yx[t], &d, &own, err);
  if (!rc && own->has_volume) *out = 100 * own->conc.hn_hcm_share;
  divide_year_free(own);
  return rc;
}

/* The divide of every year, computed with its index (run_years). */
static int fill_divide(bctx *b) {
  rmodel *m = b->m;
  size_t T = m->n_years;
  const years_work *w = b->yw;
  m->measures = chiso_calloc(8, sizeof *m->measures);
  m->share_years = chiso_calloc(T, sizeof *m->share_years);
  m->share = chiso_calloc(T, sizeof *m->share);
  m->share_lo = chiso_calloc(T, sizeof *m->share_lo);
  m->share_hi = chiso_calloc(T, sizeof *m->share_hi);
  m->share_own = chiso_calloc(T, sizeof *m->share_own);
  if (!m->measures || !m->share_years || !m->share || !m->share_lo || !m->share_hi ||
      !m->share_own)
    return nomem(b->err);
  m->share_units = b->era == GEO_ERA_34 ? 34 : 63;
  int rc = CHISO_OK;
  for (size_t t = 0; !rc && t < T; t++) {
    const divide_year *y = w->dy[t];
    if (!b->yc[t]) continue; /* a year that cannot be computed stays blank */
    if (w->dcode[t]) {
      *b->err = w->derr[t];
      rc = w->dcode[t];
    } else if (y->has_volume) {
      take_share(m, m->years[t], y, w->dopt.level);
      m->share_own[m->n_share - 1] = w->own[t];
    }
    if (!rc && m->years[t] == b->year) rc = fill_year_measures(b, y);
  }
  return rc;
}

/* ---- uncertainty and sensitivity ------------------------------------------------- */

/* Largest |rank − nominal| of unit i over the runs. */
static double max_shift(const montecarlo_result *r, size_t i) {
  double nominal = r->unit[i].rank.nominal, mx = 0;
  for (size_t t = 0; t < r->runs; t++) {
    double v = r->ranks[t * r->n_units + i];
    if (!isnan(v) && fabs(v - nominal) > mx) mx = fabs(v - nominal);
  }
  return mx;
}

/* Rank intervals, score intervals (when comparable) and rank shifts from
** the method-uncertainty runs (Saisana, Saltelli & Tarantola 2005). */
/* r gives the rank intervals and shifts; the score intervals come from
** `sampling` (the bootstrap of the microdata, nominal method) when given,
** else from r when its scores stay comparable. */
static void apply_method_runs(bctx *b, const montecarlo_result *r, const montecarlo_result *sampling) {
  rmodel *m = b->m;
  m->interval_level = UNCERTAINTY_LEVEL;
  for (size_t i = 0; i < r->n_units && i < m->n_units; i++) {
    const montecarlo_unit *x = &r->unit[i];
    rmodel_unit *u = &m->units[i];
    if (!x->ranked || u->rank <= 0) continue;
    uncertainty_rank_interval(r, i, &u->rank_lo, &u->rank_hi);
    const montecarlo_result *sc = sampling ? sampling : r->scores_comparable ? r : NULL;
    if (sc) {
      u->score_lo = sc->unit[i].r.lo95;
      u->score_hi = sc->unit[i].r.hi95;
    }
    rmodel_shift *s = &m->shifts[m->n_shifts++];
    memcpy(s->code, u->code, 3);
    s->mean_abs = x->rank.mean_abs_shift;
    s->max_abs = max_shift(r, i);
  }
}

/* Sampling × method crossed from the year's microdata (uncertainty_year_run),
** as the demo computes it. Returns 1 (nothing done, err cleared) when the
** year cannot be resampled: no survey, a stratum of one respondent, or a
** 34-unit view of an earlier year (the replicates follow the survey's own
** units). */
static int crossed_runs(bctx *b) {
  if (b->era != geo_era_for_year(b->year)) return 1;
  year_ctx *y = NULL;
  for (size_t t = 0; t < b->m->n_years; t++)
    if (b->m->years[t] == b->year) y = b->yx[t];
  uncertainty_year u;
  int rc = uncertainty_year_run(y, b->o->runs, b->o->runs, b->o->seed,
                                b->o->threads < 1 ? 1 : b->o->threads, &u, b->err);
  if (rc == CHISO_ENOTFOUND || rc == CHISO_EDATA) {
    chiso_err_clear(b->err);
    return 1;
  }
  if (!rc) apply_method_runs(b, &u.crossed, &u.sampling);
  if (!rc) b->m->shifts_crossed = 1;
  uncertainty_year_free(&u);
  return rc;
}

static int method_runs(bctx *b, const montecarlo_setup *su) {
  montecarlo_result r;
  memset(&r, 0, sizeof r);
  b->m->shifts = chiso_calloc(b->m->n_units ? b->m->n_units : 1, sizeof *b->m->shifts);
  if (!b->m->shifts) return nomem(b->err);
  int done = crossed_runs(b);
  if (done != 1) return done;
  int rc = montecarlo_method_analysis(su, b->o->runs, &r, b->err);
  if (rc == CHISO_EDATA) { /* nothing ranked: no intervals to show */
    chiso_err_clear(b->err);
    return CHISO_OK;
  }
  if (!rc) apply_method_runs(b, &r, NULL);
  montecarlo_result_free(&r);
  return rc;
}

/* Sobol first-order and total indices of the mean absolute rank shift,
** from the largest design (N base rows). */
static int sobol_runs(bctx *b, const montecarlo_setup *su) {
  montecarlo_sobol r;
  memset(&r, 0, sizeof r);
  int rc = montecarlo_sensitivity(su, b->o->sobol_n, 200, &r, b->err);
  if (rc == CHISO_EDATA) {
    chiso_err_clear(b->err);
    return CHISO_OK;
  }
  size_t k = r.sobol.n_inputs;
  if (!rc && !(b->m->sobol = chiso_calloc(k ? k : 1, sizeof *b->m->sobol))) rc = nomem(b->err);
  for (size_t j = 0; !rc && j < k; j++) {
    const sensitivity_index *x = &r.sobol.idx[(SENSITIVITY_STEPS - 1) * k + j];
    rmodel_sobol *s = &b->m->sobol[b->m->n_sobol++];
    char key[96];
    snprintf(key, sizeof key, "factor_%s", r.names[j]);
    int known = i18n_has(key);
    s->first = x->si;
    s->total = x->st;
    if (dup_to(&s->factor, r.names[j]) ||
        dup_to(&s->label_vi, known ? i18n_text("vi", key) : r.names[j]) ||
        dup_to(&s->label_en, known ? i18n_text("en", key) : r.names[j]))
      rc = nomem(b->err);
  }
  montecarlo_sobol_free(&r);
  return rc;
}

static int fill_uncertainty(bctx *b) {
  const year_result *y = report_year(b);
  montecarlo_setup su = {y->plan, NULL, NULL, 0, b->o->seed, b->o->threads, NULL, NULL, NULL, 0, 0};
  int rc = CHISO_OK;
  if (b->o->runs >= 2) rc = method_runs(b, &su);
  if (!rc && b->o->sobol_n >= 8) rc = sobol_runs(b, &su);
  return rc;
}

/* ---- targets ----------------------------------------------------------------------- */

/* The national plans the report judges (data/plans); provincial plans are
** shown for the units of the report (e.g. the Hà Nội plans on 01). */
static const char *const national_plans[] = {"qd645-2021-2025", "qd1568-2026-2030",
                                             "vecom-balance-2025"};

static int keep_kpi(const targets_kpi *k, void *ud) {
  const bctx *b = ud;
  if (strcmp(k->scope, TARGETS_NATIONAL)) return rmodel_unit_find(b->m, k->scope) != NULL;
  for (size_t i = 0; i < sizeof national_plans / sizeof *national_plans; i++)
    if (strcmp(k->plan, national_plans[i]) == 0) return 1;
  return 0;
}

static const char *status_id(targets_status s) {
  static const char *const ids[] = {"achieved", "on_track", "off_track", "no_data",
                                    "no_baseline", "baseline_only"};
  return ids[s];
}

static int take_target(bctx *b, const targets_result *r) {
  const targets_kpi *k = r->kpi;
  rmodel_target *t = &b->m->targets[b->m->n_targets++];
  if (strcmp(k->scope, TARGETS_NATIONAL)) memcpy(t->province, k->scope, 3);
  t->target_year = k->target_year;
  t->target = k->target_value;
  /* the plan's own baseline only: a first actual used as the baseline of
  ** the path (targets_evaluate) would make the progress bar of a target met
  ** from the start read 0 */
  t->baseline = k->baseline_year ? k->baseline_value : NAN;
  t->actual = r->actual_value;
  t->actual_year = r->actual_year;
  t->direction = k->direction;
  if (dup_to(&t->plan, k->plan) || dup_to(&t->kpi, k->kpi) || dup_to(&t->desc_vi, k->description_vi) ||
      dup_to(&t->desc_en, k->description_en) ||
      dup_to(&t->unit, strcmp(k->unit, "percent") == 0 ? "%" : k->unit) ||
      dup_to(&t->status, status_id(r->status)) ||
      dup_to(&t->source, r->actual_priority == TARGETS_PRIO_PUBLISHED ? "published"
                         : r->actual_priority == TARGETS_PRIO_ESTIMATE ? "survey"
                         : r->actual_priority == TARGETS_PRIO_EXTERNAL ? "file" : ""))
    return nomem(b->err);
  return CHISO_OK;
}

/* The KPIs judged as of the report year with chiso's own estimates (and
** the published actuals unless the data is synthetic), through
** divide_judge. A KPI neither measured by chiso nor with an actual is left
** out. Needs the synthetic flag (fill_provenance) first. */
static int fill_targets(bctx *b) {
  targets_plan_set *plans = NULL;
  targets_result *res = NULL;
  targets_actuals *act = NULL;
  size_t n = 0;
  int rc = targets_plans_builtin(b->reg, &plans, b->err);
  if (!rc) rc = actuals_judge(b->years, b->reg, plans, !b->m->synthetic, b->year, keep_kpi, b,
                             &res, &n, &act, b->err);
  if (!rc && !(b->m->targets = chiso_calloc(n ? n : 1, sizeof *b->m->targets))) rc = nomem(b->err);
  for (size_t i = 0; !rc && i < n; i++)
    if (res[i].status != TARGETS_NO_DATA || *res[i].kpi->chiso_indicator) rc = take_target(b, &res[i]);
  chiso_free(res);
  targets_actuals_free(act);
  targets_plans_free(plans);
  return rc;
}

/* ---- provenance ----------------------------------------------------------------- */

/* The official-indicator files of a year (year_indicator_files) as
** provenance rows of kind "indicators YEAR". */
static int indicator_provenance(bctx *b, const year_ctx *y) {
  rmodel *m = b->m;
  const char *p = year_indicator_files(y);
  for (; p && *p;) {
    size_t len = strcspn(p, "\n");
    char line[1200], kind[40];
    snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), p);
    p += len + (p[len] == '\n');
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) continue;
    *t1 = *t2 = '\0';
    rmodel_import *imp = chiso_grow((void **)&m->imports, &b->imports_cap, m->n_imports + 1,
                                    sizeof *m->imports)
                             ? NULL
                             : &m->imports[m->n_imports];
    if (!imp) return nomem(b->err);
    memset(imp, 0, sizeof *imp);
    m->n_imports++;
    snprintf(kind, sizeof kind, "indicators %d", year_number(y));
    imp->rows = atol(t2 + 1);
    if (dup_to(&imp->file, line) || dup_to(&imp->sha256, t1 + 1) || dup_to(&imp->kind, kind))
      return nomem(b->err);
  }
  return CHISO_OK;
}

/* The imports of the years on the axis, and the synthetic flag. */
static int fill_provenance(bctx *b) {
  rmodel *m = b->m;
  int synthetic = 0;
  m->imports = chiso_calloc(b->n_imp ? b->n_imp : 1, sizeof *m->imports);
  if (!m->imports) return nomem(b->err);
  b->imports_cap = b->n_imp ? b->n_imp : 1;
  for (size_t i = 0; i < b->n_imp; i++) {
    const store_import_info *x = &b->imp[i];
    int used = 0;
    for (size_t t = 0; t < m->n_years; t++)
      if (m->years[t] == x->year) {
        used = 1;
        synthetic |= b->yx[t] && year_synthetic(b->yx[t]);
      }
    if (!used) continue;
    rmodel_import *r = &m->imports[m->n_imports++];
    char kind[32];
    snprintf(kind, sizeof kind, "survey %d", x->year);
    r->rows = x->rows;
    if (dup_to(&r->file, x->file) || dup_to(&r->sha256, x->sha256) || dup_to(&r->kind, kind))
      return nomem(b->err);
  }
  int rc = CHISO_OK;
  for (size_t t = 0; !rc && t < m->n_years; t++)
    if (b->yx[t]) rc = indicator_provenance(b, b->yx[t]);
  m->synthetic = b->o->synthetic >= 0 ? b->o->synthetic : synthetic;
  return rc;
}

/* ---- publication ----------------------------------------------------------------- */

/* Under the methodology's top-N option (PCI since 2023), a unit below the
** top N keeps its tier and the report says why its score is not shown:
** its score, pillars, rank and intervals of the report year are removed
** from the model (every view reads only the model, so none shows them).
** A unit that is not ranked at all keeps its own reason. */
static int publish(bctx *b) {
  rmodel *m = b->m;
  if (m->top_n <= 0) return CHISO_OK;
  for (size_t i = 0; i < m->n_units; i++) {
    rmodel_unit *u = &m->units[i];
    for (size_t t = 0; t < m->n_years; t++) /* the trend: the top N of each year */
      if (m->years[t] != m->year && u->trend_rank[t] > m->top_n) {
        u->trend[t] = NAN;
        u->trend_rank[t] = 0;
      }
    if (u->rank <= 0 || u->rank <= m->top_n) continue;
    char vi[160], en[160];
    snprintf(vi, sizeof vi, "không công bố điểm và thứ hạng: phương pháp chỉ công bố %d đơn vị đứng đầu",
             m->top_n);
    snprintf(en, sizeof en, "score and rank not published: the method publishes the top %d only",
             m->top_n);
    chiso_free(u->note_vi);
    chiso_free(u->note_en);
    u->note_en = NULL;
    if (dup_to(&u->note_vi, vi) || dup_to(&u->note_en, en)) return nomem(b->err);
    u->withheld = 1;
    u->score = u->score_lo = u->score_hi = NAN;
    u->rank = u->rank_lo = u->rank_hi = 0;
    for (size_t p = 0; p < m->n_pillars; p++) u->pillars[p] = NAN;
    for (size_t t = 0; t < m->n_years; t++)
      if (m->years[t] == m->year) {
        u->trend[t] = NAN;
        u->trend_rank[t] = 0;
      }
  }
  size_t k = 0; /* rank shifts only for published units */
  for (size_t j = 0; j < m->n_shifts; j++) {
    const rmodel_unit *u = rmodel_unit_find(m, m->shifts[j].code);
    if (u && u->rank > 0) m->shifts[k++] = m->shifts[j];
  }
  m->n_shifts = k;
  return CHISO_OK;
}

/* ---- entry point ------------------------------------------------------------------ */

static int check_units(bctx *b) {
  int want = b->o->units;
  int have = b->era == GEO_ERA_63 ? 63 : 34;
  if (!want || want == have) return CHISO_OK;
  if (want == 63) return harmonise_check_view(b->year, GEO_ERA_63, b->err);
  if (want != 34) return chiso_err_set(b->err, CHISO_EUSAGE, "units must be 63 or 34, not %d", want);
  b->era = GEO_ERA_34; /* the year re-estimated on the 2025 units (year_table on GEO_ERA_34) */
  return CHISO_OK;
}

static int build(bctx *b) {
  int rc = check_units(b);
  if (!rc) b->imp = yearset_imports(b->years, &b->n_imp);
  if (!rc) rc = fill_years(b);
  if (!rc) rc = run_years(b);
  if (!rc) rc = method_hash(b);
  if (!rc) rc = fill_head(b);
  if (!rc) rc = fill_nodes(b);
  if (!rc) rc = fill_axes(b);
  if (!rc) rc = fill_units(b);
  if (!rc) rc = fill_divide(b);
  if (!rc) rc = fill_uncertainty(b);
  if (!rc) rc = fill_provenance(b);
  if (!rc) rc = fill_targets(b);
  if (!rc) rc = publish(b);
  return rc;
}

int assemble_report(yearset *years, const geo_registry *reg, int year,
                    const assemble_options *o, rmodel **out, chiso_err *err) {
  assert(years && reg && out);
  assemble_options dflt;
  assemble_options_init(&dflt);
  bctx b = {years, reg, o ? o : &dflt, yearset_options(years)->method, year,
            geo_era_for_year(year), NULL, 0, NULL, NULL, NULL, NULL, NULL, err, 0, NULL};
  *out = NULL;
  b.m = rmodel_new();
  int rc = b.m ? build(&b) : nomem(err);
  years_work_free(b.yw);
  chiso_free(b.yc);
  chiso_free(b.yx);
  chiso_free(b.pillar_node);
  if (rc) rmodel_free(b.m);
  else *out = b.m;
  return rc;
}

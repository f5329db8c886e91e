/* unittable.c — the unit x indicator table of a year (unittable.h). */
#include "year/unittable.h"

#include "base/mem.h"
#include "survey/harmonise.h"

#include <assert.h>
#include <math.h>
#include <string.h>

void unittable_free(unittable *t) {
  if (!t) return;
  for (size_t k = 0; t->indicator && k < t->n_indicators; k++) chiso_free(t->indicator[k]);
  chiso_free(t->indicator);
  chiso_free(t->external);
  chiso_free(t->code);
  chiso_free(t->respondents);
  chiso_free(t->ranked);
  chiso_free(t->value);
  chiso_free(t->se);
  chiso_free(t->n);
  chiso_free(t->approx);
  chiso_free(t);
}

static long find_id(char **ids, size_t n, const char *id) {
  for (size_t k = 0; k < n; k++)
    if (strcmp(ids[k], id) == 0) return (long)k;
  return -1;
}

/* Indicator ids: the survey's, then external ones not already there. */
static int table_indicators(unittable *t, const estimates *r, const store_indicator *ext,
                            size_t n_ext) {
  size_t cap = 0;
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = 0; k < ns + n_ext; k++) {
    const char *id = k < ns ? estimator_indicator_id(r->design, k) : ext[k - ns].indicator;
    if (find_id(t->indicator, t->n_indicators, id) >= 0) continue;
    if (chiso_grow((void **)&t->indicator, &cap, t->n_indicators + 1, sizeof *t->indicator))
      return CHISO_ENOMEM;
    if (!(t->indicator[t->n_indicators] = chiso_strdup(id))) return CHISO_ENOMEM;
    t->n_indicators++;
  }
  return CHISO_OK;
}

static int table_alloc(unittable *t, const geo_registry *reg) {
  geo_era era = t->era;
  size_t U = geo_count(reg, era), K = t->n_indicators ? t->n_indicators : 1;
  t->n_units = U;
  t->code = chiso_calloc(U, sizeof *t->code);
  t->respondents = chiso_calloc(U, sizeof *t->respondents);
  t->ranked = chiso_calloc(U, sizeof *t->ranked);
  t->external = chiso_calloc(K, sizeof *t->external);
  t->value = chiso_malloc(U * K * sizeof *t->value);
  t->se = chiso_malloc(U * K * sizeof *t->se);
  t->n = chiso_malloc(U * K * sizeof *t->n);
  t->approx = chiso_calloc(U * K, sizeof *t->approx);
  if (!t->code || !t->respondents || !t->ranked || !t->external || !t->value || !t->se || !t->n ||
      !t->approx)
    return CHISO_ENOMEM;
  for (size_t u = 0; u < U; u++) memcpy(t->code[u], geo_unit_at(reg, era, u)->code, 3);
  for (size_t j = 0; j < U * K; j++) {
    t->value[j] = t->se[j] = NAN;
    t->n[j] = 0;
  }
  return CHISO_OK;
}

static void table_fill_survey(unittable *t, const geo_registry *reg, const estimates *r) {
  geo_era era = t->era;
  size_t K = estimator_indicator_count(r->design);
  for (size_t i = 0; i < estimator_domain_count(r->design); i++) {
    const estimator_domain *dm = estimator_domain_at(r->design, i);
    if (dm->level != ESTIMATOR_PROVINCE) continue;
    size_t u = (size_t)geo_find_code(reg, era, dm->code)->index;
    t->respondents[u] = dm->respondents;
    t->ranked[u] = dm->ranked && dm->respondents > 0;
    for (size_t k = 0; k < K; k++) {
      size_t c = (size_t)find_id(t->indicator, t->n_indicators, estimator_indicator_id(r->design, k));
      const estimator_cell *cell = &r->cells[i * K + k];
      t->value[u * t->n_indicators + c] = cell->estimate;
      t->se[u * t->n_indicators + c] = cell->se;
      t->n[u * t->n_indicators + c] = cell->n;
    }
  }
}

static void table_fill_external(unittable *t, const geo_registry *reg, const estimates *r,
                                const store_indicator *ext, size_t n_ext) {
  size_t ns = r ? r->n_specs : 0;
  for (size_t k = ns; k < t->n_indicators; k++) {
    t->external[k] = 1;
    for (size_t u = 0; u < t->n_units; u++) t->n[u * t->n_indicators + k] = -1;
  }
  for (size_t j = 0; j < n_ext; j++) {
    long k = find_id(t->indicator, t->n_indicators, ext[j].indicator);
    const geo_unit *u = geo_find_code(reg, t->era, ext[j].code);
    if (!u || k < (long)ns) continue; /* a survey indicator wins over an import */
    t->value[(size_t)u->index * t->n_indicators + (size_t)k] = ext[j].value;
  }
}

/* Weights of the 63 former provinces for merging external indicators: the
** indicator "enterprises", else "population", else the survey's estimated
** enterprises (sum of design weights by former province). 1 when found. */
static int merge_weights(const geo_registry *reg, const store_indicator *ext, size_t n_ext,
                         const survey_data *s, double *w63) {
  static const char *const names[] = {"enterprises", "population"};
  for (size_t i = 0; i < 63; i++) w63[i] = NAN;
  for (size_t q = 0; q < 2; q++) {
    int found = 0;
    for (size_t j = 0; j < n_ext; j++) {
      const geo_unit *u = geo_find_code(reg, GEO_ERA_63, ext[j].code);
      if (!u || strcmp(ext[j].indicator, names[q]) != 0) continue;
      w63[u->index] = ext[j].value;
      found = 1;
    }
    if (found) return 1;
  }
  if (!s) return 0;
  for (size_t i = 0; i < s->n; i++) {
    const char *code = s->province_old[i][0] ? s->province_old[i] : s->province[i];
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, code);
    if (!u) continue;
    if (isnan(w63[u->index])) w63[u->index] = 0;
    w63[u->index] += s->weight ? s->weight[i] : 1.0;
  }
  return 1;
}

/* External indicators of a pre-2025 year on the 34 units: weighted means
** of the former provinces (harmonise_table_to_34), flagged approximate. */
static int table_merge_external(unittable *t, const geo_registry *reg, const estimates *r,
                                const store_indicator *ext, size_t n_ext,
                                const survey_data *s, chiso_err *err) {
  size_t ns = r ? r->n_specs : 0, K = t->n_indicators, k_ext = K - ns;
  double w63[63], *v63 = NULL, *v34 = NULL;
  unsigned char approx34[34];
  int rc = CHISO_OK;
  for (size_t k = ns; k < K; k++) t->external[k] = 1;
  for (size_t k = ns; k < K; k++)
    for (size_t u = 0; u < t->n_units; u++) t->n[u * K + k] = -1;
  if (k_ext == 0) return CHISO_OK;
  if (!merge_weights(reg, ext, n_ext, s, w63))
    return chiso_err_set(err, CHISO_EDATA,
                         "cannot put the indicators of %d on the 34 units: no \"enterprises\" or "
                         "\"population\" indicator and no survey to weight the former provinces",
                         t->year);
  v63 = chiso_malloc(63 * k_ext * sizeof *v63);
  v34 = chiso_malloc(34 * k_ext * sizeof *v34);
  if (!v63 || !v34) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t j = 0; !rc && j < 63 * k_ext; j++) v63[j] = NAN;
  for (size_t j = 0; !rc && j < n_ext; j++) {
    long k = find_id(t->indicator, K, ext[j].indicator);
    const geo_unit *u = geo_find_code(reg, GEO_ERA_63, ext[j].code);
    if (u && k >= (long)ns) v63[(size_t)u->index * k_ext + (size_t)k - ns] = ext[j].value;
  }
  if (!rc) rc = harmonise_table_to_34(reg, v63, k_ext, w63, v34, approx34, NULL, err);
  for (size_t u = 0; !rc && u < t->n_units; u++)
    for (size_t k = ns; k < K; k++) {
      t->value[u * K + k] = v34[u * k_ext + k - ns];
      t->approx[u * K + k] = approx34[u] && !isnan(t->value[u * K + k]);
    }
  chiso_free(v63);
  chiso_free(v34);
  return rc;
}

long unittable_col(const unittable *t, const char *id) {
  return find_id(t->indicator, t->n_indicators, id);
}

int unittable_build(const geo_registry *reg, int year, geo_era era, const estimates *r,
                    const survey_data *s, const store_indicator *ext, size_t n_ext,
                    unittable **out, chiso_err *err) {
  assert(reg && out);
  unittable *t = chiso_calloc(1, sizeof *t);
  int rc = t ? CHISO_OK : CHISO_ENOMEM;
  *out = NULL;
  if (!rc) {
    t->year = year;
    t->era = era;
    rc = table_indicators(t, r, ext, n_ext);
  }
  if (!rc) rc = table_alloc(t, reg);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (!rc) {
    if (r) table_fill_survey(t, reg, r);
    if (era == geo_era_for_year(year)) table_fill_external(t, reg, r, ext, n_ext);
    else rc = table_merge_external(t, reg, r, ext, n_ext, s, err);
  }
  if (rc) {
    unittable_free(t);
    return rc;
  }
  *out = t;
  return CHISO_OK;
}

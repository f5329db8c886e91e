/* harmonise.c — 63 → 34: re-assigning microdata, weighted means of tables. */
#include "survey/harmonise.h"

#include "base/mem.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int harmonise_check_view(int year, geo_era era, chiso_err *err) {
  if (era == GEO_ERA_63 && geo_era_for_year(year) == GEO_ERA_34)
    return chiso_err_set(err, CHISO_EUSAGE,
                         "a 63-province view of %d is impossible: from %d the data exist only "
                         "for the 34 units, and chiso never invents the former provinces",
                         year, GEO_FIRST_34_YEAR);
  return CHISO_OK;
}

int harmonise_survey_to_34(const geo_registry *reg, survey_data *s, chiso_err *err) {
  assert(reg && s);
  if (geo_era_for_year(s->year) == GEO_ERA_34) return CHISO_OK;
  /* Check every code first so that a bad one leaves the survey unchanged. */
  for (size_t i = 0; i < s->n; i++) {
    if (!geo_find_code(reg, GEO_ERA_63, s->province[i]))
      return chiso_err_at(err, CHISO_EDATA, "", s->source_row ? s->source_row[i] : (long)i + 1, 0,
                          "respondent %s: '%s' is not a province code of %d",
                          s->respondent_id && s->respondent_id[i] ? s->respondent_id[i] : "?",
                          s->province[i], s->year);
  }
  for (size_t i = 0; i < s->n; i++) {
    const geo_unit *old = geo_find_code(reg, GEO_ERA_63, s->province[i]);
    const geo_unit *now = geo_successor(reg, old);
    memcpy(s->province_old[i], old->code, 3);
    memcpy(s->province[i], now->code, 3);
  }
  return CHISO_OK;
}

static const char *strat_province(const survey_data *s, size_t i) {
  return s->province_old[i][0] ? s->province_old[i] : s->province[i];
}

/* Name the crossed strata: map[p * ns + h] >= 0 for the cells present. */
static int crossed_names(const survey_data *s, const long *map, size_t ns, size_t n_new,
                         char ***out) {
  char **names = chiso_calloc(n_new ? n_new : 1, sizeof *names);
  if (!names) return CHISO_ENOMEM;
  for (size_t c = 0; c < 100 * ns; c++) {
    if (map[c] < 0) continue;
    char key[320];
    snprintf(key, sizeof key, "%02zu|%s", c / ns, s->n_strata ? s->stratum_names[c % ns] : "");
    if (!(names[map[c]] = chiso_strdup(key))) {
      for (size_t h = 0; h < n_new; h++) chiso_free(names[h]);
      chiso_free(names);
      return CHISO_ENOMEM;
    }
  }
  *out = names;
  return CHISO_OK;
}

int harmonise_strata_by_province(survey_data *s, chiso_err *err) {
  size_t ns = s->n_strata ? s->n_strata : 1, n_new = 0;
  long *map = chiso_malloc(100 * ns * sizeof *map);
  int *idx = chiso_malloc((s->n ? s->n : 1) * sizeof *idx);
  char **names = NULL;
  int rc = map && idx ? CHISO_OK : CHISO_ENOMEM;
  for (size_t c = 0; !rc && c < 100 * ns; c++) map[c] = -1;
  for (size_t i = 0; !rc && i < s->n; i++) {
    const char *p = strat_province(s, i);
    size_t c = (size_t)((p[0] - '0') * 10 + (p[1] - '0')) * ns +
               (s->n_strata ? (size_t)s->stratum[i] : 0);
    if (map[c] < 0) map[c] = (long)n_new++;
    idx[i] = (int)map[c];
  }
  if (!rc) rc = crossed_names(s, map, ns, n_new, &names);
  chiso_free(map);
  if (rc) {
    chiso_free(idx);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  for (size_t h = 0; h < s->n_strata; h++) chiso_free(s->stratum_names[h]);
  chiso_free(s->stratum_names);
  chiso_free(s->stratum);
  s->stratum_names = names;
  s->n_strata = n_new;
  s->stratum = idx;
  return CHISO_OK;
}

/* One 34-era unit, one column: weighted mean of the members with a value. */
static int merge_cell(const geo_registry *reg, const geo_unit *u, const double *v63, size_t k,
                      size_t j, const double *w63, double *out, double *cover, chiso_err *err) {
  double sw = 0, swv = 0, sw_all = 0;
  for (int m = 0; m < u->n_members; m++) {
    const geo_unit *old = geo_member(reg, u, m);
    double v = v63[(size_t)old->index * k + j], w = w63[old->index];
    if (w > 0) sw_all += w;
    if (isnan(v)) continue;
    if (!(w > 0))
      return chiso_err_set(err, CHISO_EDATA, "province %s (%s): no positive weight to merge it into %s",
                           old->code, old->name, u->code);
    sw += w;
    swv += w * v;
  }
  *out = sw > 0 ? swv / sw : NAN;
  *cover = sw_all > 0 ? sw / sw_all : 0;
  return CHISO_OK;
}

int harmonise_table_to_34(const geo_registry *reg, const double *values63, size_t k,
                     const double *weights63, double *values34, unsigned char *approx34,
                     double *coverage34, chiso_err *err) {
  for (size_t i = 0; i < geo_count(reg, GEO_ERA_34); i++) {
    const geo_unit *u = geo_unit_at(reg, GEO_ERA_34, i);
    int unchanged = geo_unchanged(reg, u);
    if (approx34) approx34[i] = (unsigned char)!unchanged;
    for (size_t j = 0; j < k; j++) {
      double v = NAN, cover = 0;
      if (unchanged) {
        v = values63[(size_t)geo_member(reg, u, 0)->index * k + j];
        cover = isnan(v) ? 0 : 1;
      } else {
        int rc = merge_cell(reg, u, values63, k, j, weights63, &v, &cover, err);
        if (rc) return rc;
      }
      values34[i * k + j] = v;
      if (coverage34) coverage34[i * k + j] = cover;
    }
  }
  return CHISO_OK;
}

/* survey.c — the in-memory survey table. */
#include "survey/survey.h"

#include "base/mem.h"

#include <assert.h>

#include <math.h>
#include <string.h>

survey_data *survey_new(size_t n, size_t n_vars) {
  survey_data *s = chiso_calloc(1, sizeof *s);
  if (!s) return NULL;
  s->n = n;
  s->n_vars = n_vars;
  s->respondent_id = chiso_calloc(n, sizeof(char *));
  s->province = chiso_calloc(n, sizeof *s->province);
  s->province_old = chiso_calloc(n, sizeof *s->province_old);
  s->stratum = chiso_calloc(n, sizeof(int));
  s->source_row = chiso_calloc(n, sizeof(long));
  s->vars = chiso_calloc(n_vars, sizeof(survey_var));
  if (!s->respondent_id || !s->province || !s->province_old || !s->stratum ||
      !s->source_row || !s->vars)
    goto fail;
  for (size_t v = 0; v < n_vars; v++) {
    s->vars[v].question = -1;
    s->vars[v].values = chiso_malloc(n * sizeof(double));
    if (!s->vars[v].values) goto fail;
    for (size_t i = 0; i < n; i++) s->vars[v].values[i] = NAN;
  }
  return s;
fail:
  survey_free(s);
  return NULL;
}

survey_data *survey_new_view(const survey_data *base) {
  assert(base);
  survey_data *s = chiso_calloc(1, sizeof *s);
  if (!s) return NULL;
  *s = *base;
  s->base = base;
  s->strings = NULL;
  size_t n = base->n ? base->n : 1, h = 0;
  s->province = chiso_malloc(n * sizeof *s->province);
  s->province_old = chiso_malloc(n * sizeof *s->province_old);
  s->stratum = chiso_malloc(n * sizeof *s->stratum);
  s->stratum_names = chiso_calloc(base->n_strata ? base->n_strata : 1, sizeof *s->stratum_names);
  if (s->province && s->province_old && s->stratum && s->stratum_names) {
    memcpy(s->province, base->province, base->n * sizeof *s->province);
    memcpy(s->province_old, base->province_old, base->n * sizeof *s->province_old);
    memcpy(s->stratum, base->stratum, base->n * sizeof *s->stratum);
    for (; h < base->n_strata; h++)
      if (!(s->stratum_names[h] = chiso_strdup(base->stratum_names[h]))) break;
  }
  s->n_strata = h;
  if (!s->province || !s->province_old || !s->stratum || !s->stratum_names ||
      h < base->n_strata) {
    survey_free(s);
    return NULL;
  }
  return s;
}

/* The design columns, which a view owns as well. */
static void free_design_columns(survey_data *s) {
  for (size_t h = 0; s->stratum_names && h < s->n_strata; h++) chiso_free(s->stratum_names[h]);
  chiso_free(s->stratum_names);
  chiso_free(s->province);
  chiso_free(s->province_old);
  chiso_free(s->stratum);
}

void survey_free(survey_data *s) {
  if (!s) return;
  free_design_columns(s);
  if (s->base) {
    chiso_free(s);
    return;
  }
  for (size_t i = 0; !s->strings && s->respondent_id && i < s->n; i++)
    chiso_free(s->respondent_id[i]);
  for (size_t i = 0; !s->strings && s->sector && i < s->n; i++) chiso_free(s->sector[i]);
  chiso_free(s->strings);
  for (size_t v = 0; s->vars && v < s->n_vars; v++) {
    chiso_free(s->vars[v].id);
    chiso_free(s->vars[v].values);
  }
  chiso_free(s->respondent_id);
  chiso_free(s->sector);
  chiso_free(s->weight);
  chiso_free(s->source_row);
  chiso_free(s->vars);
  chiso_free(s);
}

const survey_var *survey_var_find(const survey_data *s, const char *id) {
  for (size_t v = 0; v < s->n_vars; v++)
    if (s->vars[v].id && strcmp(s->vars[v].id, id) == 0) return &s->vars[v];
  return NULL;
}

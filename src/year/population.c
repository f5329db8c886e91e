/* population.c — population counts for post-stratification (population.h). */
#include "year/population.h"

#include "base/mem.h"
#include "io/csvtable.h"

#include <stdio.h>
#include <string.h>

void population_free(estimator_population *p) {
  if (!p) return;
  for (size_t i = 0; p->stratum && i < p->n; i++) chiso_free(p->stratum[i]);
  chiso_free(p->stratum);
  chiso_free(p->province);
  chiso_free(p->count);
  chiso_free(p);
}

static int population_row(const csvtable *t, size_t r, int cp, int cs, int cc,
                          const geo_registry *reg, int year, estimator_population *p, chiso_err *err) {
  if (cp >= 0) {
    geo_match m;
    if (geo_resolve(reg, year, csvtable_cell(t, r, cp), &m, err)) {
      char msg[sizeof err->message];
      snprintf(msg, sizeof msg, "%s", err->message);
      return csvtable_error(t, r, cp, err, "%s", msg);
    }
    memcpy(p->province[r], m.unit->code, 3);
  }
  if (cs >= 0 && !(p->stratum[r] = chiso_strdup(csvtable_cell(t, r, cs))))
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = csvtable_number(t, r, cc, 0, &p->count[r], err);
  if (!rc && !(p->count[r] > 0)) rc = csvtable_error(t, r, cc, err, "a population count must be > 0");
  return rc;
}

int population_read(const char *path, const geo_registry *reg, int year, estimator_population **out,
                      chiso_err *err) {
  csvtable *t = NULL;
  estimator_population *p = NULL;
  *out = NULL;
  int rc = csvtable_read(path, &t, err);
  if (rc) return rc;
  int cp = csvtable_col(t, "province"), cs = csvtable_col(t, "stratum"), cc = csvtable_col(t, "count");
  if (cp < 0) cp = csvtable_col(t, "code");
  if (cc < 0 || (cp < 0 && cs < 0)) {
    rc = chiso_err_at(err, CHISO_EDATA, path, 1, 0,
                      "a population file needs a count column and a province and/or stratum column");
    goto done;
  }
  p = chiso_calloc(1, sizeof *p);
  if (p) {
    p->n = t->n_rows;
    p->province = chiso_calloc(t->n_rows + 1, sizeof *p->province);
    p->count = chiso_calloc(t->n_rows + 1, sizeof *p->count);
    if (cs >= 0) p->stratum = chiso_calloc(t->n_rows + 1, sizeof *p->stratum);
  }
  if (!p || !p->province || !p->count || (cs >= 0 && !p->stratum)) {
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    goto done;
  }
  for (size_t r = 0; !rc && r < t->n_rows; r++)
    rc = population_row(t, r, cp, cs, cc, reg, year, p, err);
done:
  csvtable_free(t);
  if (rc) population_free(p);
  else *out = p;
  return rc;
}


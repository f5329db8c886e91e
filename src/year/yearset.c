/* yearset.c — the stored years, each loaded once (yearset.h). */
#include "year/yearset.h"

#include "base/mem.h"

#include <assert.h>
#include <stdio.h>

struct yearset {
  store *st;
  const geo_registry *reg;
  year_options opt;
  int *years;
  size_t n;
  store_import_info *imports;
  size_t n_imports;
  year_ctx **loaded; /* n contexts, NULL until asked */
};

int yearset_open(store *st, const geo_registry *reg, const year_options *o, yearset **out,
                 chiso_err *err) {
  assert(st && reg && out);
  *out = NULL;
  yearset *s = chiso_calloc(1, sizeof *s);
  if (!s) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  s->st = st;
  s->reg = reg;
  if (o) s->opt = *o;
  else year_options_init(&s->opt);
  int rc = store_years(st, &s->years, &s->n, err);
  if (!rc) rc = store_list(st, &s->imports, &s->n_imports, err);
  if (!rc && !(s->loaded = chiso_calloc(s->n ? s->n : 1, sizeof *s->loaded)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (rc) {
    yearset_free(s);
    return rc;
  }
  *out = s;
  return CHISO_OK;
}

void yearset_free(yearset *s) {
  if (!s) return;
  for (size_t i = 0; s->loaded && i < s->n; i++) year_free(s->loaded[i]);
  chiso_free(s->loaded);
  chiso_free(s->years);
  chiso_free(s->imports);
  chiso_free(s);
}

const year_options *yearset_options(const yearset *s) { return &s->opt; }

const store_import_info *yearset_imports(const yearset *s, size_t *n) {
  *n = s->n_imports;
  return s->imports;
}

const int *yearset_years(const yearset *s, size_t *n) {
  *n = s->n;
  return s->years;
}

int yearset_get(yearset *s, int year_no, year_ctx **out, chiso_err *err) {
  assert(s && out);
  *out = NULL;
  for (size_t i = 0; i < s->n; i++) {
    if (s->years[i] != year_no) continue;
    if (!s->loaded[i]) {
      int rc = year_load(s->st, s->reg, year_no, &s->opt, &s->loaded[i], err);
      if (rc) return rc;
    }
    *out = s->loaded[i];
    return CHISO_OK;
  }
  char list[256] = "";
  for (size_t i = 0, len = 0; i < s->n; i++)
    if (len < sizeof list - 8)
      len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", i ? ", " : "", s->years[i]);
  return chiso_err_set(err, CHISO_ENOTFOUND, "nothing stored for %d (stored years: %s)", year_no,
                       s->n ? list : "none");
}

int yearset_synthetic(yearset *s, int *out, chiso_err *err) {
  return store_year_synthetic(s->st, 0, out, err);
}

int yearset_year_synthetic(yearset *s, int year, int *out, chiso_err *err) {
  assert(s && out);
  return store_year_synthetic(s->st, year, out, err);
}

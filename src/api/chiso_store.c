/* chiso_store.c — the public API: the survey store (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "geo/geo.h"
#include "out/out_imports.h"
#include "survey/store.h"
#include "year/indicators.h"

#include <assert.h>
#include <string.h>

int chiso_store_open(const char *path, int create, chiso_store **out, chiso_err *err) {
  return store_open(path, create, out, err);
}

void chiso_store_close(chiso_store *st) { store_close(st); }

int chiso_store_imports_write(chiso_store *st, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(st && out);
  store_import_info *list = NULL;
  size_t n = 0;
  int rc = store_list(st, &list, &n, err);
  if (!rc) rc = chiso_err_ensure(err, out_imports_write(list, n, fmt, out), "cannot write the list");
  chiso_free(list);
  return rc;
}

int chiso_store_verify_write(chiso_store *st, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(st && out);
  store_verify_result v;
  int rc = store_verify(st, &v, err);
  if (!rc) rc = chiso_err_ensure(err, out_imports_verify_write(&v, fmt, out), "cannot write");
  if (!rc && v.damaged) {
    const char *first = strcmp(v.integrity, "ok") != 0 ? v.integrity : "";
    for (size_t i = 0; !first[0] && i < v.n; i++) first = v.imports[i].first;
    rc = chiso_err_set(err, CHISO_EDATA, "the store is damaged: %zu damaged block%s or page%s "
                       "(first: %s)", v.damaged, v.damaged == 1 ? "" : "s",
                       v.damaged == 1 ? "" : "s", first);
  }
  store_verify_clear(&v);
  return rc;
}

int chiso_store_drop_import(chiso_store *st, long long id, chiso_err *err) {
  return store_drop(st, id, err);
}

int chiso_store_years(chiso_store *st, int **years, size_t *n, chiso_err *err) {
  return store_years(st, years, n, err);
}

int chiso_store_synthetic(chiso_store *st, int year, int *out, chiso_err *err) {
  assert(st && out);
  return store_year_synthetic(st, year, out, err);
}

int chiso_indicators_import(const char *db_path, int year, const char *csv_path,
                            size_t *n_values, chiso_err *err) {
  const geo_registry *reg = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = indicators_import(db_path, reg, year, csv_path, n_values, err);
  return rc;
}

/* indicators.c — external indicators from a CSV into the store
** (indicators.h). */
#include "year/indicators.h"

#include "base/mem.h"
#include "base/textfile.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int add_row(indicators_rows *r, const char *code, const char *ind, double value, const char *src) {
  if (chiso_grow((void **)&r->v, &r->cap, r->n + 1, sizeof *r->v)) return CHISO_ENOMEM;
  store_indicator *x = &r->v[r->n++];
  memcpy(x->code, code, 3);
  x->indicator = ind;
  x->value = value;
  x->source = src && *src ? src : NULL;
  return CHISO_OK;
}

static int resolve_cell(const csvtable *t, size_t r, int c, const geo_registry *reg, int year,
                        char code[3], chiso_err *err) {
  geo_match m;
  int rc = geo_resolve(reg, year, csvtable_cell(t, r, c), &m, err);
  if (rc) {
    char msg[sizeof err->message];
    snprintf(msg, sizeof msg, "%s", err->message);
    return csvtable_error(t, r, c, err, "%s", msg);
  }
  memcpy(code, m.unit->code, 3);
  return CHISO_OK;
}

static int read_rows(const csvtable *t, const geo_registry *reg, int year, indicators_rows *out,
                     chiso_err *err) {
  int cc = csvtable_col(t, "code");
  if (cc < 0) cc = csvtable_col(t, "province");
  if (cc < 0) return chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "no code or province column");
  int ci = csvtable_col(t, "indicator"), cv = csvtable_col(t, "value"), cs = csvtable_col(t, "source");
  int is_long = ci >= 0 && cv >= 0;
  int rc = CHISO_OK;
  for (size_t r = 0; !rc && r < t->n_rows; r++) {
    char code[3];
    double v;
    if ((rc = resolve_cell(t, r, cc, reg, year, code, err))) break;
    if (is_long) {
      if (!*csvtable_cell(t, r, ci)) return csvtable_error(t, r, ci, err, "empty indicator id");
      if (!(rc = csvtable_number(t, r, cv, 1, &v, err)))
        rc = add_row(out, code, csvtable_cell(t, r, ci), v, cs >= 0 ? csvtable_cell(t, r, cs) : NULL);
      continue;
    }
    for (size_t c = 0; !rc && c < t->n_cols; c++) {
      if ((int)c == cc || (int)c == cs) continue;
      if (!(rc = csvtable_number(t, r, (int)c, 1, &v, err)))
        rc = add_row(out, code, t->header[c], v, cs >= 0 ? csvtable_cell(t, r, cs) : NULL);
    }
  }
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  if (!rc && out->n == 0) rc = chiso_err_at(err, CHISO_EDATA, t->name, 0, 0, "no indicator values");
  return rc;
}

void indicators_free(indicators_rows *r) {
  if (!r) return;
  chiso_free(r->v);
  csvtable_free(r->table);
  chiso_free(r);
}

int indicators_read(const char *path, const geo_registry *reg, int year, indicators_rows **out,
                    chiso_err *err) {
  assert(path && reg && out);
  indicators_rows *r = chiso_calloc(1, sizeof *r);
  *out = NULL;
  if (!r) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  int rc = csvtable_read(path, &r->table, err);
  if (!rc) rc = read_rows(r->table, reg, year, r, err);
  if (rc) {
    indicators_free(r);
    return rc;
  }
  *out = r;
  return CHISO_OK;
}

/* Record the file in the store's notes (key "indicator_files.YEAR": one
** "FILE<TAB>SHA-256<TAB>VALUES" line per file, a file of the same name
** replaced), so that the report's provenance lists official-indicator files
** beside the survey imports (issue 12). */
int indicators_note_file(store *st, int year, const char *path, size_t n, chiso_err *err) {
  char key[48], hash[65], *old = NULL;
  long long size;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  snprintf(key, sizeof key, "indicator_files.%d", year);
  int rc = store_sha256_file(path, TEXTFILE_MAX_BYTES, hash, &size, err);
  if (!rc) rc = store_meta_get(st, key, &old, err);
  size_t cap = (old ? strlen(old) : 0) + strlen(base) + 100;
  char *text = rc ? NULL : chiso_malloc(cap);
  if (!rc && !text) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t w = 0, bl = strlen(base);
  for (const char *p = old; !rc && p && *p;) { /* keep the other files' lines */
    size_t len = strcspn(p, "\n");
    if (!(len > bl && !strncmp(p, base, bl) && p[bl] == '\t')) {
      memcpy(text + w, p, len);
      w += len;
      text[w++] = '\n';
    }
    p += len + (p[len] == '\n');
  }
  if (!rc) {
    snprintf(text + w, cap - w, "%s\t%s\t%zu\n", base, hash, n);
    rc = store_meta_set(st, key, text, err);
  }
  chiso_free(old);
  chiso_free(text);
  return rc;
}

int indicators_import(const char *db_path, const geo_registry *reg, int year, const char *path,
                      size_t *n_values, chiso_err *err) {
  indicators_rows *r = NULL;
  store *st = NULL;
  int rc = indicators_read(path, reg, year, &r, err);
  if (!rc) rc = store_open(db_path, 1, &st, err);
  /* the values and the note of the file (provenance) in one transaction */
  int begun = !rc && (rc = store_write_begin(st, err)) == CHISO_OK;
  if (!rc) rc = store_put_indicators(st, year, r->v, r->n, err);
  if (!rc) rc = indicators_note_file(st, year, path, r->n, err);
  if (begun && !rc) rc = store_write_commit(st, err);
  else if (begun) store_write_rollback(st);
  if (!rc && n_values) *n_values = r->n;
  store_close(st);
  indicators_free(r);
  return rc;
}

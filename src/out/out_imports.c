/* out_imports.c — the imports of a store as a table, CSV or JSON
** (out_imports.h). */
#include "out/out_imports.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int print_csv(const store_import_info *x, size_t n, FILE *out) {
  const char *head[] = {"id", "year", "file", "rows", "skipped", "size", "sha256",
                        "method", "method_hash", "imported_at"};
  csvwrite_row(out, head, 10, 0);
  for (size_t i = 0; i < n; i++) {
    char id[32], year[16], rows[32], skipped[32], size[32];
    snprintf(id, sizeof id, "%lld", x[i].id);
    snprintf(year, sizeof year, "%d", x[i].year);
    snprintf(rows, sizeof rows, "%ld", x[i].rows);
    snprintf(skipped, sizeof skipped, "%ld", x[i].skipped);
    snprintf(size, sizeof size, "%lld", x[i].size);
    const char *row[] = {id, year, x[i].file, rows, skipped, size, x[i].sha256,
                         x[i].method_id, x[i].method_hash, x[i].imported_at};
    if (csvwrite_row(out, row, 10, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int print_json(const store_import_info *x, size_t n, FILE *out) {
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(x[i].id));
    json_object_set_new(o, "year", json_integer(x[i].year));
    json_object_set_new(o, "file", json_string(x[i].file));
    json_object_set_new(o, "rows", json_integer(x[i].rows));
    json_object_set_new(o, "skipped", json_integer(x[i].skipped));
    json_object_set_new(o, "size", json_integer(x[i].size));
    json_object_set_new(o, "sha256", json_string(x[i].sha256));
    json_object_set_new(o, "method", json_string(x[i].method_id));
    json_object_set_new(o, "method_hash", json_string(x[i].method_hash));
    json_object_set_new(o, "imported_at", json_string(x[i].imported_at));
    json_array_append_new(list, o);
  }
  return jsonio_dump(list, out);
}

static int print_table(const store_import_info *x, size_t n, FILE *out) {
  const char *head[] = {"id", "year", "file", "rows", "skipped", "method", "sha256", "imported"};
  out_table *t = out_table_new(8, head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; c < 5; c++) if (c != 2) out_table_right(t, c);
  for (size_t i = 0; i < n; i++) {
    char id[32], year[16], rows[32], skipped[32], sha[16];
    snprintf(id, sizeof id, "%lld", x[i].id);
    snprintf(year, sizeof year, "%d", x[i].year);
    snprintf(rows, sizeof rows, "%ld", x[i].rows);
    snprintf(skipped, sizeof skipped, "%ld", x[i].skipped);
    snprintf(sha, sizeof sha, "%.12s", x[i].sha256);
    const char *row[] = {id, year, x[i].file, rows, skipped, x[i].method_id, sha, x[i].imported_at};
    if (out_table_add(t, row)) {
      out_table_free(t);
      return CHISO_ENOMEM;
    }
  }
  int rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

int out_imports_write(const store_import_info *x, size_t n, chiso_format fmt, FILE *out) {
  assert((x || !n) && out);
  return fmt == CHISO_FORMAT_CSV    ? print_csv(x, n, out)
         : fmt == CHISO_FORMAT_JSON ? print_json(x, n, out)
                                    : print_table(x, n, out);
}

/* ---- verification ----------------------------------------------------- */

static const char *verify_status(const store_verify_import *x, char *buf, size_t n) {
  if (x->damaged) return x->first;
  if (!x->unchecked) return "ok";
  snprintf(buf, n, "ok, %zu block%s without a checksum (stored before chiso-store-3)",
           x->unchecked, x->unchecked == 1 ? "" : "s");
  return buf;
}

/* The cells of one verified import, in the order of verify_head. */
typedef struct verify_row {
  char id[32], year[16], blocks[32], unchecked[32], damaged[32], status[160];
  const char *cells[7];
} verify_row;

static const char *const verify_head[] = {"id", "year", "file", "blocks", "unchecked", "damaged",
                                          "status"};

static void verify_cells(const store_verify_import *x, verify_row *r) {
  snprintf(r->id, sizeof r->id, "%lld", x->id);
  snprintf(r->year, sizeof r->year, "%d", x->year);
  snprintf(r->blocks, sizeof r->blocks, "%zu", x->blocks);
  snprintf(r->unchecked, sizeof r->unchecked, "%zu", x->unchecked);
  snprintf(r->damaged, sizeof r->damaged, "%zu", x->damaged);
  const char *cells[7] = {r->id, r->year, x->file, r->blocks, r->unchecked, r->damaged,
                          verify_status(x, r->status, sizeof r->status)};
  memcpy(r->cells, cells, sizeof cells);
}

static int verify_csv(const store_verify_result *v, FILE *out) {
  if (csvwrite_row(out, verify_head, 7, 0)) return CHISO_EIO;
  for (size_t i = 0; i < v->n; i++) {
    verify_row r;
    verify_cells(&v->imports[i], &r);
    if (csvwrite_row(out, r.cells, 7, 0)) return CHISO_EIO;
  }
  return CHISO_OK;
}

static int verify_json(const store_verify_result *v, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "integrity", json_string(v->integrity));
  for (size_t i = 0; i < v->n; i++) {
    const store_verify_import *x = &v->imports[i];
    char st[160];
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(x->id));
    json_object_set_new(o, "year", json_integer(x->year));
    json_object_set_new(o, "file", json_string(x->file));
    json_object_set_new(o, "blocks", json_integer((json_int_t)x->blocks));
    json_object_set_new(o, "unchecked", json_integer((json_int_t)x->unchecked));
    json_object_set_new(o, "damaged", json_integer((json_int_t)x->damaged));
    json_object_set_new(o, "status", json_string(verify_status(x, st, sizeof st)));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "imports", list);
  return jsonio_dump(root, out);
}

static int verify_table(const store_verify_result *v, FILE *out) {
  out_table *t = out_table_new(7, verify_head);
  if (!t) return CHISO_ENOMEM;
  for (int c = 0; c < 6; c++) if (c != 2) out_table_right(t, c);
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < v->n; i++) {
    verify_row r;
    verify_cells(&v->imports[i], &r);
    rc = out_table_add(t, r.cells);
  }
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  if (!rc && fprintf(out, "database: %s (SQLite integrity_check)\n", v->integrity) < 0) rc = CHISO_EIO;
  return rc;
}

int out_imports_verify_write(const store_verify_result *v, chiso_format fmt, FILE *out) {
  assert(v && out);
  return fmt == CHISO_FORMAT_CSV    ? verify_csv(v, out)
         : fmt == CHISO_FORMAT_JSON ? verify_json(v, out)
                                    : verify_table(v, out);
}

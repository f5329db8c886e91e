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

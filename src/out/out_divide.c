/* out_divide.c — divide measures as a table, CSV or JSON (out_divide.h). */
#include "out/out_divide.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>

/* The store's extras: volume, interval, unit shares and the Lorenz curve. */
static void json_detail(json_t *root, const divide_year *y) {
  json_object_set_new(root, "units", json_integer(y->era == GEO_ERA_34 ? 34 : 63));
  if (!y->has_volume) return;
  json_object_set_new(root, "volume", json_string(y->volume));
  json_object_set_new(root, "interval", json_string(y->interval));
  json_t *shares = json_array(), *lorenz = json_array();
  for (size_t u = 0; u < y->n_units; u++) {
    if (isnan(y->volume_value[u])) continue;
    json_t *o = json_object();
    json_object_set_new(o, "code", json_string(y->code[u]));
    json_object_set_new(o, "value", jsonio_number(y->volume_value[u]));
    json_object_set_new(o, "share", jsonio_number(y->volume_value[u] / y->conc.total));
    json_array_append_new(shares, o);
  }
  for (size_t i = 0; i < y->n_lorenz; i++) {
    json_t *p = json_array();
    json_array_append_new(p, jsonio_number(y->lorenz_x[i]));
    json_array_append_new(p, jsonio_number(y->lorenz_y[i]));
    json_array_append_new(lorenz, p);
  }
  json_object_set_new(root, "shares", shares);
  json_object_set_new(root, "lorenz", lorenz);
}

static int write_json(const inequality_measure *m, size_t n, const divide_year *y, int year,
                      int synthetic, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  json_object_set_new(root, "year", json_integer(year));
  if (synthetic) json_object_set_new(root, "synthetic", json_true());
  if (y) json_detail(root, y);
  for (size_t i = 0; i < n; i++) {
    json_t *o = json_object();
    json_object_set_new(o, "measure", json_string(m[i].name));
    json_object_set_new(o, "value", jsonio_number(m[i].value));
    json_object_set_new(o, "lo", jsonio_number(m[i].lo));
    json_object_set_new(o, "hi", jsonio_number(m[i].hi));
    json_array_append_new(list, o);
  }
  json_object_set_new(root, "measures", list);
  return jsonio_dump(root, out);
}

/* A table cell: blank when not finite, a share as a percentage. */
static void table_num(char *b, size_t n, double v, int pct) {
  if (!isfinite(v)) b[0] = '\0';
  else if (pct) snprintf(b, n, "%.1f%%", 100 * v);
  else snprintf(b, n, "%.4f", v);
}

static int write_table(const inequality_measure *m, size_t n, FILE *out) {
  const char *head[] = {"measure", "value", "lo", "hi"};
  out_table *t = out_table_new(4, head);
  if (!t) return CHISO_ENOMEM;
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < n; i++) {
    char v[32] = "", l[32] = "", h[32] = "";
    int pct = inequality_measure_is_share(m[i].name); /* shares in % for people */
    table_num(v, sizeof v, m[i].value, pct);
    table_num(l, sizeof l, m[i].lo, pct);
    table_num(h, sizeof h, m[i].hi, pct);
    const char *row[] = {m[i].name, v, l, h};
    rc = out_table_add(t, row);
  }
  for (int c = 1; c < 4; c++) out_table_right(t, c);
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

int out_divide_write(const inequality_measure *m, size_t n, const divide_year *y, int year,
                     int synthetic, chiso_format fmt, FILE *out) {
  assert((m || !n) && out);
  return fmt == CHISO_FORMAT_CSV    ? inequality_measures_csv(m, n, out)
         : fmt == CHISO_FORMAT_JSON ? write_json(m, n, y, year, synthetic, out)
                                    : write_table(m, n, out);
}

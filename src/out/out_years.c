/* out_years.c — the stored years as a table, CSV or JSON (out_years.h). */
#include "out/out_years.h"

#include "base/jsonio.h"
#include "io/csvwrite.h"
#include "out/out_table.h"

#include <assert.h>
#include <jansson.h>

static const char *views_of(const out_years_row *r) {
  return r->units == 63 ? "63 34" : "34";
}

static int write_csv(const out_years_row *rows, size_t n, FILE *out) {
  static const char *const head[] = {"year", "units", "views", "survey", "imports",
                                     "respondents", "method", "synthetic"};
  int bad = csvwrite_row(out, head, 8, 0);
  for (size_t i = 0; i < n; i++) {
    char y[16], u[8], s[4], im[24], re[24], sy[4];
    snprintf(y, sizeof y, "%d", rows[i].year);
    snprintf(u, sizeof u, "%d", rows[i].units);
    snprintf(s, sizeof s, "%d", rows[i].survey);
    snprintf(im, sizeof im, "%zu", rows[i].imports);
    snprintf(re, sizeof re, "%ld", rows[i].respondents);
    snprintf(sy, sizeof sy, "%d", rows[i].synthetic);
    const char *row[] = {y, u, views_of(&rows[i]), s, im, re, rows[i].method, sy};
    bad |= csvwrite_row(out, row, 8, 0);
  }
  return bad ? CHISO_EIO : CHISO_OK;
}

static int write_json(const out_years_row *rows, size_t n, FILE *out) {
  json_t *o = json_object(), *a = json_array();
  for (size_t i = 0; i < n; i++) {
    const out_years_row *r = &rows[i];
    json_t *v = json_array();
    json_array_append_new(v, json_integer(r->units));
    if (r->units == 63) json_array_append_new(v, json_integer(34));
    json_array_append_new(a, json_pack("{s:i,s:i,s:o,s:b,s:I,s:I,s:s,s:b}", "year", r->year,
                                       "units", r->units, "views", v, "survey", r->survey,
                                       "imports", (json_int_t)r->imports, "respondents",
                                       (json_int_t)r->respondents, "method", r->method,
                                       "synthetic", r->synthetic));
  }
  json_object_set_new(o, "years", a);
  json_object_set_new(o, "latest", n ? json_integer(rows[n - 1].year) : json_null());
  return jsonio_dump(o, out);
}

static int write_table(const out_years_row *rows, size_t n, FILE *out) {
  static const char *const head[] = {"year", "units", "views", "imports", "respondents",
                                     "method", "synthetic"};
  out_table *t = out_table_new(7, head);
  int rc = t ? CHISO_OK : CHISO_ENOMEM;
  for (int c = 0; t && c < 5; c++) out_table_right(t, c == 2 ? -1 : c);
  for (size_t i = 0; !rc && i < n; i++) {
    char y[16], u[8], im[24], re[24];
    snprintf(y, sizeof y, "%d", rows[i].year);
    snprintf(u, sizeof u, "%d", rows[i].units);
    snprintf(im, sizeof im, "%zu", rows[i].imports);
    snprintf(re, sizeof re, "%ld", rows[i].respondents);
    const char *row[] = {y, u, views_of(&rows[i]), im, re, rows[i].method,
                         rows[i].synthetic ? "SYNTHETIC" : ""};
    rc = out_table_add(t, row);
  }
  if (!rc) rc = out_table_print(t, out);
  out_table_free(t);
  return rc;
}

int out_years_write(const out_years_row *rows, size_t n, chiso_format fmt, FILE *out) {
  assert((rows || n == 0) && out);
  return fmt == CHISO_FORMAT_CSV    ? write_csv(rows, n, out)
         : fmt == CHISO_FORMAT_JSON ? write_json(rows, n, out)
                                    : write_table(rows, n, out);
}

/* chiso_views.c — the public API of the read side of a served store: the
** store opened read-only, its years loaded once, the views of a report
** model, the what-if and a table as a workbook (chiso.h, "Serving a
** store"). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "geo/geo.h"
#include "out/out_whatif.h"
#include "out/out_xlsx.h"
#include "out/out_years.h"
#include "report/html.h"
#include "report/rmodel.h"
#include "report/rview.h"
#include "survey/harmonise.h"
#include "survey/store.h"
#include "year/whatif.h"
#include "year/yearset.h"

#include <assert.h>
#include <string.h>

/* ---- the store and its years -------------------------------------------------------- */

int chiso_store_open_readonly(const char *path, chiso_store **out, chiso_err *err) {
  return store_open_readonly(path, out, err);
}

int chiso_store_open_snapshot(const char *path, chiso_store **out, chiso_err *err) {
  return store_open_snapshot(path, out, err);
}

int chiso_store_data_version(chiso_store *st, uint64_t *out, chiso_err *err) {
  return store_data_version(st, out, err);
}

int chiso_years_open(chiso_store *st, chiso_years **out, chiso_err *err) {
  assert(st && out);
  const geo_registry *reg = NULL;
  *out = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = yearset_open(st, reg, NULL, out, err);
  return rc;
}

void chiso_years_free(chiso_years *s) { yearset_free(s); }

size_t chiso_years_list(const chiso_years *s, const int **years) {
  assert(s && years);
  size_t n = 0;
  *years = yearset_years(s, &n);
  return n;
}

int chiso_years_get(chiso_years *s, int year, chiso_year **out, chiso_err *err) {
  assert(s && out);
  return yearset_get(s, year, out, err);
}

/* The row of `year`: its units and what its survey imports say. */
static int year_row(chiso_years *s, int year, out_years_row *r, chiso_err *err) {
  size_t n = 0;
  const store_import_info *imp = yearset_imports(s, &n);
  memset(r, 0, sizeof *r);
  r->year = year;
  r->units = geo_era_for_year(year) == GEO_ERA_34 ? 34 : 63;
  r->method = "";
  for (size_t i = 0; i < n; i++) {
    if (imp[i].year != year) continue;
    r->survey = 1;
    r->imports++;
    r->respondents += imp[i].rows;
    r->method = imp[i].method_id;
  }
  return yearset_year_synthetic(s, year, &r->synthetic, err);
}

int chiso_years_write(chiso_years *s, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(s && out);
  size_t n = 0;
  const int *years = yearset_years(s, &n);
  out_years_row *rows = chiso_calloc(n ? n : 1, sizeof *rows);
  int rc = rows ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < n; i++) rc = year_row(s, years[i], &rows[i], err);
  if (!rc) rc = chiso_err_ensure(err, out_years_write(rows, n, fmt, out), "cannot write the years");
  chiso_free(rows);
  return rc;
}

/* ---- views of a report model ----------------------------------------------------------- */

int chiso_report_year(const chiso_report *r) { return r->year; }

int chiso_report_synthetic(const chiso_report *r) { return r->synthetic; }

int chiso_report_index_write(const chiso_report *r, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(r && out);
  int rc = rmodel_check(r, err);
  if (!rc) rc = chiso_err_ensure(err, rview_index_write(r, fmt, out), "cannot write the index");
  return rc;
}

int chiso_report_unit_write(const chiso_report *r, const char *code, chiso_format fmt, FILE *out,
                            chiso_err *err) {
  assert(r && out);
  int rc = rmodel_check(r, err);
  if (!rc) rc = rview_unit_write(r, code, fmt, out, err);
  return rc;
}

int chiso_report_compare_write(const chiso_report *r, const char *const *codes, size_t n,
                               chiso_format fmt, FILE *out, chiso_err *err) {
  assert(r && out);
  int rc = rmodel_check(r, err);
  if (!rc) rc = rview_compare_write(r, codes, n, fmt, out, err);
  return rc;
}

int chiso_report_summary_write(const chiso_report *r, chiso_format fmt, FILE *out,
                               chiso_err *err) {
  assert(r && out);
  return chiso_err_ensure(err, rview_summary_write(r, fmt, out), "cannot write the summary");
}

const char *chiso_report_stylesheet(void) { return html_stylesheet(); }

int chiso_report_method_write(const chiso_report *r, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(r && out);
  return chiso_err_ensure(err, rview_method_write(r, fmt, out), "cannot write the methodology");
}

const char *chiso_report_chart_name(size_t i) { return rview_chart_name(i); }

int chiso_report_svg_write(const chiso_report *r, const char *chart, const char *code,
                           const char *lang, const char *href_prefix, const char *href_suffix,
                           FILE *out, chiso_err *err) {
  assert(r && chart && out);
  return rview_svg_write(r, chart, code, lang, href_prefix, href_suffix, out, err);
}

/* ---- the what-if --------------------------------------------------------------------------- */

struct chiso_whatif {
  whatif *w;
  int year, synthetic;
};

int chiso_whatif_new(chiso_year *y, int units, const chiso_report_options *o, chiso_whatif **out,
                     chiso_err *err) {
  assert(y && out);
  chiso_report_options dflt;
  if (!o) chiso_report_options_init(&dflt), o = &dflt;
  int year = year_number(y);
  geo_era era = units == 0 ? geo_era_for_year(year) : units == 63 ? GEO_ERA_63 : GEO_ERA_34;
  *out = NULL;
  if (units && units != 63 && units != 34 && units != 2025)
    return chiso_err_set(err, CHISO_EUSAGE, "units must be 63, 34 or 2025, not %d", units);
  int rc = harmonise_check_view(year, era, err);
  chiso_whatif *w = rc ? NULL : chiso_calloc(1, sizeof *w);
  if (!rc && !w) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) {
    w->year = year;
    w->synthetic = year_synthetic(y);
    rc = whatif_new(y, era, o->runs == 1 ? 2 : o->runs, o->seed, o->threads, &w->w, err);
  }
  if (rc) {
    chiso_whatif_free(w);
    return rc;
  }
  *out = w;
  return CHISO_OK;
}

void chiso_whatif_free(chiso_whatif *w) {
  if (!w) return;
  whatif_free(w->w);
  chiso_free(w);
}

int chiso_whatif_write(const chiso_whatif *w, const char *const *ids, const char *const *values,
                       size_t n, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(w && out);
  const year_result *nom = whatif_nominal(w->w);
  double *weights = chiso_malloc((nom->n_nodes ? nom->n_nodes : 1) * sizeof *weights);
  whatif_result res;
  memset(&res, 0, sizeof res);
  int rc = weights ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) rc = whatif_parse(w->w, ids, values, n, weights, err);
  if (!rc) rc = whatif_run(w->w, weights, &res, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_whatif_write(w->w, &res, w->year, w->synthetic, fmt, out),
                          "cannot write the what-if");
  whatif_result_clear(&res);
  chiso_free(weights);
  return rc;
}

/* ---- a table as a workbook ------------------------------------------------------------------ */

int chiso_csv_to_xlsx(const char *csv, size_t n, const char *sheet, const char *path,
                      chiso_err *err) {
  assert(csv && path);
  return out_xlsx_from_csv(csv, n, sheet, path, err);
}

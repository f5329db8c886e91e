/* chiso_report.c — the public API: the report model and its outputs
** (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "geo/geo.h"
#include "report/assemble.h"
#include "report/export.h"
#include "report/html.h"
#include "report/rmodel.h"
#include "year/yearset.h"

#include <assert.h>

void chiso_report_options_init(chiso_report_options *o) {
  o->units = 0;
  o->method = NULL;
  o->seed = 1;
  o->synthetic = -1;
  o->runs = 200;
  o->sobol = 256;
  o->threads = 1;
}

/* The assembly options of the public ones. */
static void assembly(const chiso_report_options *o, assemble_options *ao) {
  assemble_options_init(ao);
  ao->units = o->units;
  ao->seed = o->seed;
  ao->synthetic = o->synthetic;
  ao->runs = o->runs == 1 ? 2 : o->runs;
  ao->sobol_n = o->sobol > 0 && o->sobol < 8 ? 8 : o->sobol;
  ao->threads = o->threads;
}

int chiso_report_build(chiso_store *st, int year, const chiso_report_options *o,
                       chiso_report **out, chiso_err *err) {
  assert(st && out);
  chiso_report_options dflt;
  if (!o) chiso_report_options_init(&dflt), o = &dflt;
  const geo_registry *reg = NULL;
  yearset *set = NULL;
  year_options yo;
  assemble_options ao;
  year_options_init(&yo);
  yo.method = o->method;
  assembly(o, &ao);
  *out = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = yearset_open(st, reg, &yo, &set, err);
  if (!rc) rc = assemble_report(set, reg, year, &ao, out, err);
  yearset_free(set);
  return rc;
}

int chiso_years_report(chiso_years *s, int year, const chiso_report_options *o,
                       chiso_report **out, chiso_err *err) {
  assert(s && out);
  chiso_report_options dflt;
  if (!o) chiso_report_options_init(&dflt), o = &dflt;
  const geo_registry *reg = NULL;
  assemble_options ao;
  assembly(o, &ao);
  *out = NULL;
  if (o->method)
    return chiso_err_set(err, CHISO_EUSAGE, "a year set computes with its stored methodologies: "
                         "no other methodology can be given");
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = assemble_report(s, reg, year, &ao, out, err);
  return rc;
}

int chiso_report_load(const char *json_path, chiso_report **out, chiso_err *err) {
  return rmodel_load_json(json_path, out, err);
}

int chiso_report_units(const chiso_report *r) { return r->n_era_units; }

int chiso_report_write_html(const chiso_report *r, const char *lang, int units, const char *dir,
                            chiso_err *err) {
  html_options o = {lang ? lang : "vi", units};
  return html_write(r, &o, dir, err);
}

int chiso_report_write_xlsx(const chiso_report *r, const char *lang, const char *path,
                            chiso_err *err) {
  return export_xlsx(r, lang ? lang : "vi", path, err);
}

int chiso_report_write_csv(const chiso_report *r, int excel, FILE *out, chiso_err *err) {
  return export_csv(r, out, excel, err);
}

int chiso_report_write_json(const chiso_report *r, FILE *out, chiso_err *err) {
  return export_json(r, out, err);
}

void chiso_report_free(chiso_report *r) { rmodel_free(r); }

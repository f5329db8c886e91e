/* chiso_report.c — the public API: the report model and its outputs
** (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "base/workers.h"
#include "geo/geo.h"
#include "report/assemble.h"
#include "report/export.h"
#include "report/html.h"
#include "report/profile.h"
#include "report/rmodel.h"
#include "year/yearset.h"

#include <assert.h>
#include <string.h>

/* ---- labels ------------------------------------------------------------------------- */

int chiso_report_set_title(chiso_report *r, const char *title_vi, const char *title_en,
                           chiso_err *err) {
  assert(r);
  char *vi = title_vi ? chiso_strdup(title_vi) : NULL, *en = title_en ? chiso_strdup(title_en) : NULL;
  if ((title_vi && !vi) || (title_en && !en)) {
    chiso_free(vi);
    chiso_free(en);
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (vi) chiso_free(r->title_vi), r->title_vi = vi;
  if (en) chiso_free(r->title_en), r->title_en = en;
  return CHISO_OK;
}

void chiso_report_hide_empty(chiso_report *r, int hide) {
  assert(r);
  r->hide_empty = hide != 0;
}

/* ---- profiles ------------------------------------------------------------------------ */

typedef struct region_of {
  const rmodel *m;
  const geo_registry *reg;
  int region;
} region_of;

static int in_region(size_t unit, const void *ctx) {
  const region_of *r = ctx;
  geo_era era = r->m->n_era_units == 63 ? GEO_ERA_63 : GEO_ERA_34;
  const geo_unit *u = geo_find_code(r->reg, era, r->m->units[unit].code);
  return u && u->region == r->region;
}

static void copy_items(const rmodel *m, const profile_item *it, size_t n, chiso_strength *out) {
  for (size_t k = 0; k < n; k++)
    out[k] = (chiso_strength){m->indicators[it[k].indicator], it[k].value, it[k].reference,
                              it[k].rank, it[k].n_ranked};
}

int chiso_report_strengths(const chiso_report *r, const char *code, int within_region,
                           size_t top, chiso_strength *str, size_t *n_str, chiso_strength *weak,
                           size_t *n_weak, chiso_err *err) {
  assert(r && code && str && n_str && weak && n_weak);
  const rmodel_unit *u = rmodel_unit_find(r, code);
  const geo_registry *reg = NULL;
  *n_str = *n_weak = 0;
  if (!u) return chiso_err_set(err, CHISO_ENOTFOUND, "no unit %s in the report", code);
  int rc = within_region ? geo_registry_shared(&reg, err) : CHISO_OK;
  if (rc) return rc;
  size_t i = (size_t)(u - r->units), cap = top ? top : 3;
  profile_options o;
  profile_options_init(&o);
  o.top = cap;
  region_of ro = {r, reg, -1};
  if (within_region) {
    const geo_unit *g = geo_find_code(reg, r->n_era_units == 63 ? GEO_ERA_63 : GEO_ERA_34, code);
    ro.region = g ? g->region : -1;
    o.keep = in_region;
    o.keep_ctx = &ro;
  }
  profile_item *s = chiso_calloc(cap, sizeof *s), *w = chiso_calloc(cap, sizeof *w);
  if (!s || !w) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) {
    profile_strengths(r, i, &o, s, n_str, w, n_weak);
    copy_items(r, s, *n_str, str);
    copy_items(r, w, *n_weak, weak);
  }
  chiso_free(s);
  chiso_free(w);
  return rc;
}

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
  ao->threads = o->threads == 0 ? workers_default_threads() : o->threads;
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

/* chiso_app.c — the public API: synthetic data, the demo, synthetic marks
** (chiso.h). */
#include "chiso.h"

#include "app/demo.h"
#include "base/err.h"
#include "geo/geo.h"
#include "out/out_demo.h"
#include "out/out_meta.h"
#include "synth/synth.h"
#include "synth/synthfile.h"
#include "synth/synthofficial.h"

#include <assert.h>

int chiso_synth_write(const chiso_synth_options *o, const char *path, long *rows, size_t *units,
                      chiso_err *err) {
  assert(o && path);
  const geo_registry *reg = NULL;
  synth_model *m = NULL;
  synthfile_summary sum = {0};
  if (o->year < SYNTH_YEAR_MIN || o->year > SYNTH_YEAR_MAX)
    return chiso_err_set(err, CHISO_EUSAGE, "the year must be between %d and %d", SYNTH_YEAR_MIN,
                         SYNTH_YEAR_MAX);
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = synth_model_new(reg, &m, err);
  if (!rc && o->official) {
    rc = synthofficial_write(m, o->year, o->seed, path, err);
  } else if (!rc) {
    synthfile_options so = {o->year, o->respondents, o->seed, o->method ? o->method : "ebi-2021",
                            o->xlsx ? SYNTHFILE_XLSX : SYNTHFILE_CSV, o->messy, o->threads};
    rc = synthfile_write(m, &so, path, o->progress, o->progress_ud, &sum, err);
  }
  if (rows) *rows = sum.rows;
  if (units) *units = sum.units;
  synth_model_free(m);
  return rc;
}

int chiso_demo_run(const chiso_demo_options *o, chiso_demo **out, chiso_err *err) {
  assert(o && out);
  const geo_registry *reg = NULL;
  demo_options d = {o->dir, o->respondents, o->seed, o->threads, o->progress, o->progress_ud};
  *out = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = demo_run(reg, &d, out, err);
  return rc;
}

int chiso_demo_write(const chiso_demo *s, const chiso_demo_options *o, FILE *out) {
  demo_options d = {o->dir, o->respondents, o->seed, o->threads, o->progress, o->progress_ud};
  return out_demo_write(s, &d, out);
}

void chiso_demo_free(chiso_demo *d) { demo_summary_free(d); }

int chiso_synthetic_mark(const char *path, const char *generator, const char *db, int year,
                         chiso_err *err) {
  return out_meta_synthetic(path, generator, db, year, err);
}

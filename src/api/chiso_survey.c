/* chiso_survey.c — the public API: methodologies, reading and importing
** survey files, estimates from a file (chiso.h). */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "estimate/estimates.h"
#include "geo/geo.h"
#include "index/idxio.h"
#include "out/out_check.h"
#include "out/out_estimates.h"
#include "survey/ingest.h"
#include "intake/staging.h"
#include "year/import.h"
#include "year/methodology.h"
#include "year/population.h"

#include <assert.h>
#include <string.h>

/* ---- methodologies ---------------------------------------------------------- */

int chiso_method_load(const char *path_or_name, chiso_method **out, chiso_err *err) {
  return methodology_load(path_or_name, out, err);
}

void chiso_method_free(chiso_method *m) { methodology_free(m); }

int chiso_method_convert_imeta(const char *imeta_path, FILE *out, chiso_err *err) {
  assert(imeta_path && out);
  idx_model *m = NULL;
  int rc = idxio_load_imeta(imeta_path, &m, err);
  if (!rc) rc = chiso_err_ensure(err, idxio_write_method(m, out, err), "cannot write");
  idx_model_free(m);
  return rc;
}

/* ---- reading -------------------------------------------------------------------- */

/* Say which year and units a file was read for, and how many former
** provinces were mapped (issue 12: never silently). */
static void log_year_note(const ingest_report *r) {
  char note[600];
  ingest_year_note(r, note, sizeof note);
  chiso_log(CHISO_LOG_NOTE, "%s: %s", r->file, note);
}

void chiso_read_options_init(chiso_read_options *o) { memset(o, 0, sizeof *o); }

int chiso_encoding_known(const char *name) {
  csvread_encoding e;
  return name && csvread_parse_encoding(name, &e) == CHISO_OK;
}

/* The ingest options of public read options (NULL: defaults). */
static int ingest_opts(const chiso_read_options *o, ingest_options *io, chiso_err *err) {
  memset(io, 0, sizeof *io);
  io->encoding = CSVREAD_ENC_AUTO;
  if (!o) return CHISO_OK;
  if (o->encoding && csvread_parse_encoding(o->encoding, &io->encoding))
    return chiso_err_set(err, CHISO_EUSAGE, "unknown encoding '%s'", o->encoding);
  if (o->delimiter && o->delimiter != ',' && o->delimiter != ';' && o->delimiter != '\t')
    return chiso_err_set(err, CHISO_EUSAGE, "the delimiter must be ',', ';' or TAB");
  io->delimiter = o->delimiter;
  io->sheet = o->sheet;
  io->max_errors = o->max_errors;
  io->skip_invalid = o->skip_invalid;
  io->blank_invalid = o->blank_invalid;
  return CHISO_OK;
}

struct chiso_check {
  ingest_report *report;
};

int chiso_check_file(const char *path, const chiso_method *m, int year,
                     const chiso_read_options *o, chiso_check **out, chiso_err *err) {
  assert(path && m && out);
  const geo_registry *reg = NULL;
  ingest_options io;
  survey_data *s = NULL;
  *out = NULL;
  int rc = ingest_opts(o, &io, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (rc) return rc;
  chiso_check *c = chiso_calloc(1, sizeof *c);
  if (!c) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  rc = ingest_file(path, m->cb, reg, year, &io, &s, &c->report, err);
  survey_free(s);
  if (c->report) *out = c;
  else chiso_free(c);
  return rc;
}

int chiso_check_write(const chiso_check *c, int rc, const chiso_err *err, chiso_format fmt,
                      FILE *out, FILE *notes) {
  const ingest_report *r = c->report;
  int wrc = out_check_problems(r, fmt == CHISO_FORMAT_TABLE ? "--max-errors" : NULL, fmt, out);
  if (!wrc && fmt == CHISO_FORMAT_TABLE) wrc = out_check_summary(r, rc, err, out);
  if (!wrc && notes && (!rc || !r->fatal)) wrc = out_check_year(r, notes);
  if (!wrc && notes) wrc = out_check_notes(r, notes);
  return wrc;
}

size_t chiso_check_problems(const chiso_check *c) {
  return c->report->n_errors + (c->report->fatal != 0);
}

void chiso_check_free(chiso_check *c) {
  if (!c) return;
  ingest_report_free(c->report);
  chiso_free(c);
}

/* ---- importing ---------------------------------------------------------------------- */

void chiso_import_options_init(chiso_import_options *o, int year) {
  memset(o, 0, sizeof *o);
  o->year = year;
}

int chiso_import_files(const char *db_path, const chiso_method *m, const char *const *paths,
                       size_t n, const chiso_import_options *o, chiso_import **out,
                       chiso_err *err) {
  assert(db_path && m && o && out);
  const geo_registry *reg = NULL;
  import_options io;
  import_options_init(&io, o->year);
  io.replace = o->replace;
  *out = NULL;
  int rc = ingest_opts(&o->read, &io.read, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc) rc = import_files(db_path, m, reg, paths, n, &io, out, err);
  for (size_t i = 0; !rc && i < (*out)->n; i++) /* which year and units, said every time */
    if ((*out)->files[i].report) log_year_note((*out)->files[i].report);
  return rc;
}

size_t chiso_import_count(const chiso_import *r) { return r->n; }

void chiso_import_get(const chiso_import *r, size_t i, chiso_import_info *out) {
  assert(i < r->n);
  const import_file *f = &r->files[i];
  out->path = f->path;
  out->outcome = (chiso_import_outcome)f->outcome;
  out->import_id = f->import_id;
  out->rows = f->rows;
  out->rows_skipped = f->report ? f->report->rows_skipped : 0;
  out->synthetic = f->synthetic;
  out->cells_blanked = f->report ? f->report->cells_blanked : 0;
}

int chiso_import_problems_write(const chiso_import *r, FILE *out) {
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < r->n; i++)
    if (r->files[i].report && r->files[i].report->n_problems) /* errors, and cells set to missing */
      rc = out_check_problems(r->files[i].report, NULL, CHISO_FORMAT_TABLE, out);
  return rc;
}

void chiso_import_free(chiso_import *r) { import_result_free(r); }

/* ---- estimates from a file ---------------------------------------------------------------- */

/* Read the survey with the codebook of m, or the plain columns of spec;
** the problems go to `problems`. */
static int read_survey(const char *path, const chiso_method *m, const chiso_plain_spec *spec,
                       const geo_registry *reg, int year, const char *encoding, FILE *problems,
                       survey_data **s, chiso_err *err) {
  ingest_report *r = NULL;
  chiso_read_options ro;
  ingest_options io;
  chiso_read_options_init(&ro);
  ro.encoding = encoding;
  int rc = ingest_opts(&ro, &io, err);
  if (rc) return rc;
  if (m) {
    rc = ingest_file(path, m->cb, reg, year, &io, s, &r, err);
  } else {
    ingest_plain_spec ps = {spec->province_col, spec->weight_col, spec->strata_col, NULL,
                            spec->vars, spec->n_vars};
    rc = ingest_file_plain(path, &ps, reg, year, &io, s, &r, err);
  }
  if (rc && r && problems) out_check_problems(r, NULL, CHISO_FORMAT_TABLE, problems);
  if (!rc) log_year_note(r);
  ingest_report_free(r);
  return rc;
}

int chiso_survey_estimates_write(const char *path, const chiso_method *m,
                                 const chiso_plain_spec *spec, int year,
                                 const chiso_year_options *o, int level, chiso_format fmt,
                                 FILE *out, FILE *problems, chiso_err *err) {
  assert(path && (m || spec) && out);
  const geo_registry *reg = NULL;
  survey_data *s = NULL;
  estimator_population *pop = NULL;
  estimates *e = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = read_survey(path, m, spec, reg, year, o ? o->encoding : NULL, problems, &s, err);
  if (!rc) year = s->year; /* told by the file when 0 */
  if (!rc && o && o->population) rc = population_read(o->population, reg, year, &pop, err);
  estimator_options eo = {o ? o->min_respondents : 0, o ? o->strata_by_province : 0, pop};
  if (!rc) rc = m ? estimates_run(s, m->cb, reg, &eo, &e, err) : estimates_run_vars(s, reg, &eo, &e, err);
  if (!rc)
    rc = chiso_err_ensure(err, out_estimates_write(e, level, year, 0, fmt, out),
                          "cannot write the estimates");
  estimates_free(e);
  population_free(pop);
  survey_free(s);
  return rc;
}

/* ---- questionnaire answers (the online intake) ---------------------------------------------- */

/* A check of a report, or the report freed when there is none to give. */
static void give_check(ingest_report *rep, chiso_check **out) {
  chiso_check *c = rep ? chiso_calloc(1, sizeof *c) : NULL;
  if (c) c->report = rep;
  else ingest_report_free(rep);
  *out = c;
}

int chiso_response_check(const chiso_method *m, int year, const char *code_unit,
                         const char *stratum, const char *const *keys,
                         const char *const *values, size_t n, chiso_check **out, chiso_err *err) {
  assert(m && code_unit && out);
  const geo_registry *reg = NULL;
  ingest_report *rep = NULL;
  *out = NULL;
  int rc = geo_registry_shared(&reg, err);
  if (!rc) rc = staging_check(m, reg, year, code_unit, stratum, "web-check", keys, values, n, &rep, NULL, err);
  give_check(rep, out);
  return rc;
}

int chiso_response_submit(chiso_intake *h, const chiso_method *m, int year, const char *code,
                          const char *stratum, const char *const *keys,
                          const char *const *values, size_t n, const char *address,
                          long long *response_id, chiso_check **problems, chiso_err *err) {
  assert(h && m && response_id);
  ingest_report *rep = NULL;
  if (problems) *problems = NULL;
  int rc = staging_submit(h, m, year, code, stratum, keys, values, n, address, response_id, &rep, err);
  if (problems && rc == CHISO_EDATA) give_check(rep, problems);
  else ingest_report_free(rep);
  return rc;
}

/* import.c — survey files into the store in one transaction (import.h). */
#include "year/import.h"

#include "base/log.h"
#include "base/mem.h"
#include "base/textfile.h"
#include "estimate/estimates.h"
#include "synth/synthfile.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void import_options_init(import_options *o, int year) {
  memset(o, 0, sizeof *o);
  o->year = year;
  o->read.encoding = CSVREAD_ENC_AUTO;
}

void import_result_free(import_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->n; i++) {
    ingest_report_free(r->files[i].report);
    chiso_free(r->files[i].outside);
  }
  chiso_free(r->files);
  chiso_free(r);
}

/* What ingest asks of each respondent id: is it stored for the year under
** another file, or in a file read before in this call? */
typedef struct id_check {
  const store_idset *ids;
  const char *self;
} id_check;

static int id_known(void *ctx, const char *id, char *where, size_t n) {
  const id_check *c = ctx;
  const char *file = NULL;
  long long imp = 0;
  if (!store_idset_find(c->ids, id, c->self, &file, &imp)) return 0;
  if (imp) snprintf(where, n, "already imported from %s (import %lld)", file, imp);
  else snprintf(where, n, "already in %s (imported in this run)", file);
  return 1;
}

/* Hash every file; when the store exists, the files whose bytes are
** already imported for the year are done (read = 0). A file is hashed
** here, before it is read, only when the store holds an import of the
** year of its size: the same bytes may be imported already, and are then
** not read at all. Every other file is hashed as it is read (later[i], by
** ingest_options.on_read; hash_read_file): the file is read once, not
** twice. The file's checks (textfile_open) and their errors are the
** hash's, here, either way. */
static int hash_all(store *st, const import_options *o, import_result *r, store_sha256 **later,
                    chiso_err *err) {
  int year = o->year;
  store_import_info *imp = NULL;
  size_t ni = 0;
  int rc = CHISO_OK;
  long long max = o->read.max_bytes > 0 ? o->read.max_bytes : INGEST_DEFAULT_MAX_BYTES;
  for (size_t i = 0; !rc && i < r->n; i++) {
    FILE *fp = NULL;
    rc = textfile_open(r->files[i].path, max, &fp, &r->files[i].size, err);
    if (!rc) fclose(fp);
    r->files[i].read = 1;
  }
  if (!rc && st) rc = store_list(st, &imp, &ni, err);
  for (size_t i = 0; !rc && i < r->n; i++) {
    import_file *f = &r->files[i];
    int maybe_done = 0;
    for (size_t k = 0; k < ni && !maybe_done; k++)
      maybe_done = imp[k].year == year && imp[k].size == f->size;
    if (!maybe_done && (later[i] = store_sha256_new()) != NULL) continue;
    rc = store_sha256_file(f->path, max, f->sha256, &f->size, err);
  }
  for (size_t i = 0; !rc && i < r->n; i++)
    for (size_t k = 0; k < ni && r->files[i].read && !later[i]; k++)
      if (imp[k].year == year && strcmp(imp[k].sha256, r->files[i].sha256) == 0) {
        r->files[i].read = 0;
        r->files[i].outcome = STORE_SAME;
        r->files[i].import_id = imp[k].id;
        r->files[i].rows = imp[k].rows;
      }
  chiso_free(imp);
  return rc;
}

static void hash_read(void *ctx, const void *bytes, size_t n) {
  store_sha256_update(ctx, bytes, n);
}

/* The SHA-256 of a file hashed as it was read; hashed on its own when the
** reader did not pass every byte of it (a format other than CSV, a file
** whose size changed). */
static int hash_read_file(import_file *f, store_sha256 *h, const import_options *o,
                          chiso_err *err) {
  if (store_sha256_bytes(h) == f->size && store_sha256_final(h, f->sha256) == CHISO_OK)
    return CHISO_OK;
  long long max = o->read.max_bytes > 0 ? o->read.max_bytes : INGEST_DEFAULT_MAX_BYTES;
  return store_sha256_file(f->path, max, f->sha256, &f->size, err);
}

/* The rows of s whose unit lies outside the scope of o: listed in f, and
** CHISO_EDENIED when there is any. */
static int check_scope(import_file *f, const survey_data *s, const geo_registry *reg,
                       const import_options *o, chiso_err *err) {
  size_t cap = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (geo_scope_covers(reg, o->scope, o->n_scope, o->scope_year, o->year, s->province[i])) continue;
    if (f->n_outside_all++ >= IMPORT_MAX_OUTSIDE) continue;
    if (chiso_grow((void **)&f->outside, &cap, f->n_outside + 1, sizeof *f->outside))
      return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    import_outside *x = &f->outside[f->n_outside++];
    x->row = s->source_row ? s->source_row[i] : (long)i + 2;
    memcpy(x->unit, s->province[i], 3);
  }
  if (!f->n_outside_all) return CHISO_OK;
  return chiso_err_at(err, CHISO_EDENIED, f->name, f->outside[0].row, 0,
                      "%zu row%s of units outside the scope of this account (first: unit %s); "
                      "nothing was imported", f->n_outside_all, f->n_outside_all == 1 ? "" : "s",
                      f->outside[0].unit);
}

/* Read and code the file of r->files[i], checking its ids against `ids`;
** `more` when a file read after it will check its ids against this one's;
** `later`: its hash, made as it is read (hash_all), or NULL. */
static int read_one(import_file *f, const methodology *m, const geo_registry *reg,
                    const import_options *o, store_idset *ids, int more, store_sha256 *later,
                    survey_data **s, chiso_err *err) {
  id_check chk = {ids, f->name};
  ingest_options io = o->read;
  io.id_known = id_known;
  io.id_ctx = &chk;
  if (later) io.on_read = hash_read, io.on_read_ctx = later;
  int rc = ingest_file(f->path, m->cb, reg, o->year, &io, s, &f->report, err);
  if (!rc && later) rc = hash_read_file(f, later, o, err);
  if (!rc && o->scoped) rc = check_scope(f, *s, reg, o, err);
  /* the ids of this file matter only to the files read after it (the last
  ** check, in the write transaction, loads its own set) */
  if (!rc && more && store_idset_add(ids, *s, f->name))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc) {
    f->rows = (long)(*s)->n;
    f->synthetic = synthfile_sidecar_synthetic(f->path);
    for (size_t k = 0; k < f->report->n_notes; k++)
      chiso_log(CHISO_LOG_WARN, "%s: %s", f->report->file, f->report->notes[k]);
  }
  return rc;
}

/* Read every file not done into data[] and the store_file entries;
** *seen is the last import id whose respondent ids were checked. */
static int read_all(store *st, const methodology *m, const geo_registry *reg,
                    const import_options *o, import_result *r, survey_data **data,
                    store_file *sf, store_sha256 **later, long long *seen, chiso_err *err) {
  store_idset *ids = NULL;
  *seen = st ? store_last_import_id(st) : 0;
  int rc = *seen < 0 ? chiso_err_at(err, CHISO_EIO, "store", 0, 0, "cannot read the imports")
                     : store_idset_load(st, o->year, 0, &ids, err);
  for (size_t i = 0; !rc && i < r->n; i++) {
    import_file *f = &r->files[i];
    if (!f->read) continue;
    int more = 0;
    for (size_t k = i + 1; k < r->n && !more; k++) more = r->files[k].read;
    rc = read_one(f, m, reg, o, ids, more, later[i], &data[r->n_written], err);
    if (rc) break;
    store_file *x = &sf[r->n_written++];
    x->path = f->name;
    x->sha256 = f->sha256;
    x->size = f->size;
    x->skipped = f->report ? (long)f->report->rows_skipped : 0;
    x->synthetic = f->synthetic;
    x->data = data[r->n_written - 1];
  }
  store_idset_free(ids);
  return rc;
}

/* The file of r that sf[k] was read from. */
static import_file *file_of(import_result *r, size_t k) {
  for (size_t i = 0; i < r->n; i++)
    if (r->files[i].read && k-- == 0) return &r->files[i];
  return NULL;
}

/* Inside the write transaction: the respondent ids of the imports made
** for the year since the files were checked (another import running at
** the same time) against the files about to be written. A clash is a
** located problem in that file's report, and the import is refused. */
static int recheck_ids(store *st, const import_options *o, import_result *r,
                       const store_file *sf, long long seen, chiso_err *err) {
  long long last = store_last_import_id(st);
  if (last < 0) return chiso_err_at(err, CHISO_EIO, "store", 0, 0, "cannot read the imports");
  if (last <= seen) return CHISO_OK; /* nothing new: what was checked holds */
  store_idset *ids = NULL;
  int rc = store_idset_load(st, o->year, seen, &ids, err);
  for (size_t k = 0; !rc && k < r->n_written; k++) {
    import_file *f = file_of(r, k);
    const survey_data *d = sf[k].data;
    size_t clashes = 0;
    for (size_t i = 0; !rc && i < d->n; i++) {
      const char *file = NULL;
      long long imp = 0;
      if (!store_idset_find(ids, d->respondent_id[i], f->name, &file, &imp)) continue;
      if (clashes++ >= 100) continue; /* counted, not all listed */
      if (ingest_report_add(f->report, d->source_row ? d->source_row[i] : 0, f->report->id_col,
                            f->report->id_header, INGEST_R_DUPLICATE, d->respondent_id[i],
                            "respondent id \"%s\" already imported from %s (import %lld, "
                            "stored while this file was read)", d->respondent_id[i], file, imp))
        rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    }
    if (!rc && clashes) {
      f->report->n_errors += clashes > 100 ? clashes - 100 : 0;
      const ingest_problem *p = &f->report->problems[0];
      rc = chiso_err_at(err, CHISO_EDATA, f->report->file, p->row, p->col,
                        "%zu problem%s in the file (first: %s)", f->report->n_errors,
                        f->report->n_errors == 1 ? "" : "s", p->message);
    }
  }
  store_idset_free(ids);
  return rc;
}

/* The estimation statistics of each file read (issue 18): what `estimate
** --db` reads instead of the rows when the year is this one import. They
** are made on a second thread while the store is written (both only read
** the coded data) and kept in the import's own transaction. A cache: a
** file whose statistics cannot be made is stored without them and its
** estimates come from the rows. */
typedef struct stats_job {
  const methodology *m;
  const geo_registry *reg;
  const store_file *sf;
  size_t n;
  unsigned char **blob; /* n, NULL where none */
  size_t *len;
  pthread_t thread;
  int started;
} stats_job;

static void *stats_main(void *arg) {
  stats_job *j = arg;
  for (size_t k = 0; k < j->n; k++) {
    chiso_err e;
    chiso_err_clear(&e);
    if (estimates_stats_encode(j->sf[k].data, j->m->cb, j->reg, &j->blob[k], &j->len[k], &e))
      j->blob[k] = NULL;
  }
  return NULL;
}

static void stats_start(stats_job *j, const methodology *m, const geo_registry *reg,
                        const store_file *sf, size_t n) {
  memset(j, 0, sizeof *j);
  j->m = m, j->reg = reg, j->sf = sf, j->n = n;
  j->blob = chiso_calloc(n ? n : 1, sizeof *j->blob);
  j->len = chiso_calloc(n ? n : 1, sizeof *j->len);
  if (j->blob && j->len) j->started = pthread_create(&j->thread, NULL, stats_main, j) == 0;
}

/* Inside the import's transaction: wait for the statistics and keep those
** of the files written (oc, ids: store_import's outcomes), so that a store
** holds them exactly when it holds the import. Returns 0 or the store's
** error (the transaction is then rolled back by the caller). */
static int stats_put_all(stats_job *j, store *st, const store_outcome *oc, const long long *ids,
                         chiso_err *err) {
  if (j->started) pthread_join(j->thread, NULL);
  j->started = 0;
  int rc = CHISO_OK;
  for (size_t k = 0; !rc && j->blob && k < j->n; k++)
    if (oc[k] != STORE_SAME && j->blob[k]) rc = store_stats_put(st, ids[k], j->blob[k], j->len[k], err);
  return rc;
}

/* Wait for the statistics if still running, and free them. */
static void stats_free(stats_job *j) {
  if (j->started) pthread_join(j->thread, NULL);
  for (size_t k = 0; j->blob && k < j->n; k++) chiso_free(j->blob[k]);
  chiso_free(j->blob);
  chiso_free(j->len);
}

/* Write the files read, in one transaction that also holds the last check
** of their respondent ids, and record the outcomes. */
static int write_all(store **st, const char *db_path, const methodology *m,
                     const import_options *o, import_result *r, const store_file *sf,
                     long long seen, stats_job *sj, chiso_err *err) {
  store_outcome *oc = chiso_calloc(r->n_written + 1, sizeof *oc);
  long long *ids = chiso_calloc(r->n_written + 1, sizeof *ids);
  int rc = oc && ids ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && !*st) rc = store_open(db_path, 1, st, err);
  store_method sm = {m->id, m->hash, m->json};
  if (!rc) rc = store_write_begin(*st, err);
  if (!rc) {
    rc = recheck_ids(*st, o, r, sf, seen, err);
    if (!rc && o->in_transaction) rc = o->in_transaction(o->ctx, *st, r, 0, err);
    if (!rc) rc = store_import(*st, &sm, o->year, sf, r->n_written, o->replace, oc, ids, err);
    if (!rc && sj->started) store_write_flush(*st); /* to the disk while the statistics end */
    if (!rc) rc = stats_put_all(sj, *st, oc, ids, err);
    for (size_t i = 0, k = 0; !rc && i < r->n; i++) {
      if (!r->files[i].read) continue;
      r->files[i].outcome = oc[k];
      r->files[i].import_id = ids[k++];
    }
    if (!rc && o->in_transaction) rc = o->in_transaction(o->ctx, *st, r, 1, err);
    if (!rc) rc = store_write_commit(*st, err);
    else store_write_rollback(*st);
  }
  chiso_free(oc);
  chiso_free(ids);
  return rc;
}

/* The year of an import given none: every file's year column, one year
** for all (a year told only by the era of the provinces is not enough to
** store a survey under). */
static int files_year(const methodology *m, const geo_registry *reg, const char *const *paths,
                      size_t n, const import_options *o, int *year, chiso_err *err) {
  int rc = CHISO_OK;
  *year = 0;
  for (size_t i = 0; !rc && i < n; i++) {
    ingest_year y;
    rc = ingest_guess_year(paths[i], m->cb, reg, &o->read, &y, err);
    if (!rc && y.from != INGEST_YEAR_COLUMN) {
      rc = chiso_err_at(err, CHISO_EDATA, paths[i], 0, 0,
                        "the file has no year column to store it under (its provinces "
                        "suggest %d or earlier: %s)", y.year, y.evidence);
      if (err) err->hint = CHISO_HINT_YEAR;
    } else if (!rc && *year && y.year != *year) {
      rc = chiso_err_at(err, CHISO_EDATA, paths[i], 0, 0,
                        "its year column says %d, but %s says %d: one import is one year",
                        y.year, paths[0], *year);
      if (err) err->hint = CHISO_HINT_YEAR;
    }
    if (!rc) *year = y.year;
  }
  return rc;
}

int import_files(const char *db_path, const methodology *m, const geo_registry *reg,
                 const char *const *paths, size_t n, const import_options *given,
                 import_result **out, chiso_err *err) {
  import_options year_told = *given, *o = &year_told;
  assert(db_path && m && reg && out && (paths || !n) && given);
  *out = NULL;
  store *st = NULL;
  import_result *r = chiso_calloc(1, sizeof *r);
  survey_data **data = chiso_calloc(n + 1, sizeof *data);
  store_file *sf = chiso_calloc(n + 1, sizeof *sf);
  store_sha256 **later = chiso_calloc(n + 1, sizeof *later);
  int rc = r && data && sf && later ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && !(r->files = chiso_calloc(n + 1, sizeof *r->files)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; !rc && i < n; i++) {
    r->files[r->n].path = paths[i];
    r->files[r->n++].name = o->names && o->names[i] ? o->names[i] : paths[i];
  }
  if (!rc && !o->year) rc = files_year(m, reg, paths, n, given, &year_told.year, err);
  if (!rc) r->year = o->year;
  /* An existing store is read before anything is written. A file with no
  ** store in it yet (empty, a database without tables, or one that a
  ** concurrent import is creating) is no store to read: write_all creates
  ** it, in the schema's own transaction, waiting for that other import. */
  struct stat sb;
  if (!rc && stat(db_path, &sb) == 0 && !(S_ISREG(sb.st_mode) && sb.st_size == 0)) {
    rc = store_open(db_path, 0, &st, err);
    if (rc == CHISO_ENOTFOUND) {
      chiso_err_clear(err);
      rc = CHISO_OK;
      st = NULL;
    }
  }
  if (!rc) rc = hash_all(st, o, r, later, err);
  long long seen = 0;
  if (!rc) rc = read_all(st, m, reg, o, r, data, sf, later, &seen, err);
  for (size_t i = 0; r && !given->year && i < r->n; i++) /* told by files_year */
    if (r->files[i].report) r->files[i].report->year.from = INGEST_YEAR_COLUMN;
  stats_job sj;
  if (!rc && r->n_written) {
    stats_start(&sj, m, reg, sf, r->n_written);
    rc = write_all(&st, db_path, m, o, r, sf, seen, &sj, err);
    stats_free(&sj);
  }
  store_close(st);
  for (size_t i = 0; data && i < n; i++) survey_free(data[i]);
  for (size_t i = 0; later && i < n; i++) store_sha256_free(later[i]);
  chiso_free(later);
  chiso_free(data);
  chiso_free(sf);
  if (rc && r && r->n == n) {
    r->n_written = 0;
    *out = r; /* the reports say what was wrong */
  } else if (rc) {
    import_result_free(r);
  } else {
    *out = r;
  }
  return rc;
}

/* deliver.c — uploads and publications through the import workflow (deliver.h). */
#include "intake/deliver.h"

#include "base/mem.h"
#include "geo/geo.h"
#include "intake/accounts.h"
#include "intake/auditlog.h"
#include "intake/staging.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int deliver_method(intakedb *d, int year, const char *fallback, methodology **out, chiso_err *err) {
  assert(d && fallback && out);
  char *json = NULL;
  chiso_err e;
  chiso_err_clear(&e);
  int rc = store_year_method(intakedb_store(d), year, &json, &e);
  if (rc == CHISO_ENOTFOUND) return methodology_load(fallback, out, err);
  if (!rc) {
    char name[64];
    snprintf(name, sizeof name, "the methodology stored for %d", year);
    rc = methodology_parse(json, strlen(json), name, out, err);
  } else if (err) {
    *err = e;
  }
  chiso_free(json);
  return rc;
}

/* What the import's transaction writes besides the files. */
typedef struct delivery {
  const chiso_account *who;
  const char *address;
  const char *via;              /* "upload" or "questionnaire" */
  int year;
  const staging_file *files;    /* a publication's, else NULL */
} delivery;

/* Before writing: an import a file replaces must lie within the scope. */
static int check_replaced(const delivery *dv, store *st, const import_result *r, chiso_err *err) {
  if (!dv->who || dv->who->role == CHISO_ROLE_ADMIN) return CHISO_OK;
  int rc = CHISO_OK;
  for (size_t i = 0; !rc && i < r->n; i++) {
    if (!r->files[i].read) continue;
    long long old = store_find_named(st, dv->year, r->files[i].name);
    char (*units)[3] = NULL;
    size_t n = 0;
    if (old < 0) rc = chiso_err_set(err, CHISO_EIO, "cannot read the imports");
    if (!rc && old > 0) rc = store_import_units(st, old, &units, &n, err);
    for (size_t k = 0; !rc && k < n; k++)
      if (!accounts_covers(dv->who, dv->year, units[k]))
        rc = chiso_err_at(err, CHISO_EDENIED, r->files[i].name, 0, 0,
                          "the import of this name (%lld) holds unit %s, outside the scope of %s: "
                          "it cannot be replaced from this account", old, units[k], dv->who->name);
    chiso_free(units);
  }
  return rc;
}

/* After writing: the year must stay loadable (estimates read every import
** of a year with one methodology, all weighted or none). */
static int check_year(sqlite3 *db, int year, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = intakedb_prepare(db, "SELECT count(DISTINCT method_hash), count(DISTINCT weighted)"
                                " FROM imports WHERE year=?", &q, err);
  if (!rc) {
    sqlite3_bind_int(q, 1, year);
    if (sqlite3_step(q) != SQLITE_ROW) rc = intakedb_fail(db, err, "cannot read the imports");
    else if (sqlite3_column_int(q, 0) > 1)
      rc = chiso_err_set(err, CHISO_EDATA, "the imports of %d would use two methodologies", year);
    else if (sqlite3_column_int(q, 1) > 1)
      rc = chiso_err_set(err, CHISO_EDATA, "the imports of %d would mix files with and without a "
                                           "weight column: deliver them all weighted or none", year);
  }
  sqlite3_finalize(q);
  return rc;
}

static int provenance(sqlite3 *db, const delivery *dv, const import_file *f, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  char when[32], detail[256];
  const char *actor, *via;
  accounts_actor(dv->who, &actor, &via);
  intakedb_now(when);
  snprintf(detail, sizeof detail, "%s, %ld rows, by %s", f->name, f->rows, via);
  int rc = intakedb_prepare(db, "INSERT OR REPLACE INTO intake_provenance VALUES(?,?,?,?,?,?)", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, f->import_id);
    intakedb_bind_text(q, 2, dv->via);
    intakedb_bind_text(q, 3, actor);
    intakedb_bind_text(q, 4, dv->address ? dv->address : "");
    intakedb_bind_text(q, 5, when);
    intakedb_bind_text(q, 6, detail);
    if (sqlite3_step(q) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot record the provenance");
  }
  sqlite3_finalize(q);
  return rc;
}

static int in_transaction(void *ctx, store *st, const import_result *r, int written, chiso_err *err) {
  const delivery *dv = ctx;
  sqlite3 *db = store_sqlite(st);
  if (!written) return check_replaced(dv, st, r, err);
  int rc = intakedb_tables(db, err);
  if (!rc) rc = check_year(db, dv->year, err);
  for (size_t i = 0; !rc && i < r->n; i++) {
    const import_file *f = &r->files[i];
    if (!f->read) continue;
    if (dv->files) rc = staging_mark(db, dv->year, &dv->files[i], f->import_id, err);
    if (!rc) rc = provenance(db, dv, f, err);
    const char *actor, *via;
    char target[64], detail[512];
    static const char *const how[] = {"added", "same", "replaced an import of that name"};
    accounts_actor(dv->who, &actor, &via);
    snprintf(target, sizeof target, "import %lld", f->import_id);
    snprintf(detail, sizeof detail, "%d, %s, %ld rows, %s", dv->year, f->name, f->rows,
             how[f->outcome <= STORE_REPLACED ? f->outcome : 0]);
    auditlog_entry e = {actor, via, dv->address, dv->files ? "publish" : "upload", target, detail, f->sha256};
    if (!rc) rc = auditlog_add(db, &e, err);
  }
  return rc;
}

/* Log a delivery that was refused (outside the scope) in its own
** transaction. */
static void log_refusal(intakedb *d, const delivery *dv, const char *name, const chiso_err *why) {
  chiso_err e;
  const char *actor, *via;
  char target[320];
  accounts_actor(dv->who, &actor, &via);
  snprintf(target, sizeof target, "file %s", name);
  auditlog_entry a = {actor, via, dv->address, dv->files ? "publish-refused" : "upload-refused", target,
                      why->message, ""};
  chiso_err_clear(&e);
  int rc = intakedb_begin(d, &e);
  if (!rc) rc = auditlog_add(intakedb_sql(d), &a, &e);
  if (!rc) rc = intakedb_commit(d, &e);
  else intakedb_rollback(d);
  if (rc) chiso_log(CHISO_LOG_WARN, "a refused delivery could not be logged: %s", e.message);
}

/* The import options of a delivery. */
static void options_of(const delivery *dv, int replace, const char *const *names,
                       import_options *io) {
  import_options_init(io, dv->year);
  io->replace = replace;
  io->names = names;
  io->scoped = dv->who->role != CHISO_ROLE_ADMIN;
  io->scope = (const char(*)[3])dv->who->scope;
  io->n_scope = dv->who->role == CHISO_ROLE_PROVINCE ? dv->who->n_scope : 0;
  io->scope_year = dv->who->scope_year;
  io->read.max_errors = 1000;
  io->in_transaction = in_transaction;
  io->ctx = (void *)dv;
}

static int may_deliver(const chiso_account *who, chiso_err *err) {
  if (!who || who->disabled || (who->role != CHISO_ROLE_ADMIN && who->role != CHISO_ROLE_PROVINCE))
    return chiso_err_set(err, CHISO_EDENIED, "%s may not deliver survey data", who ? who->name : "nobody");
  return CHISO_OK;
}

int deliver_upload(intakedb *d, const methodology *m, const char *path, const char *name, int year,
                   int replace, const chiso_account *who, const char *address, import_result **out,
                   chiso_err *err) {
  assert(d && m && path && name && out);
  const geo_registry *reg = NULL;
  delivery dv = {who, address, "upload", year, NULL};
  import_options io;
  *out = NULL;
  int rc = may_deliver(who, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (rc) return rc;
  options_of(&dv, replace, &name, &io);
  rc = import_files(intakedb_path(d), m, reg, &path, 1, &io, out, err);
  /* the temporary path is nobody's business: errors name the file */
  if (rc && err && strcmp(err->file, path) == 0) snprintf(err->file, sizeof err->file, "%s", name);
  if (rc && *out && (*out)->files[0].report && (*out)->files[0].report->file) {
    char *copy = chiso_strdup(name);
    if (copy) {
      chiso_free((*out)->files[0].report->file);
      (*out)->files[0].report->file = copy;
    }
  }
  if (rc == CHISO_EDENIED) log_refusal(d, &dv, name, err);
  return rc;
}

int deliver_publish(intakedb *d, const methodology *m, int year, const chiso_account *who,
                    const char *address, import_result **out, chiso_err *err) {
  assert(d && m && out);
  const geo_registry *reg = NULL;
  staging_file *files = NULL;
  size_t n = 0;
  delivery dv = {who, address, "questionnaire", year, NULL};
  *out = NULL;
  int rc = may_deliver(who, err);
  if (!rc) rc = geo_registry_shared(&reg, err);
  if (!rc) rc = staging_files(d, m, year, who, &files, &n, err);
  if (!rc && !n) rc = chiso_err_set(err, CHISO_ENOTFOUND, "no responses to publish for %d", year);
  int *fds = rc ? NULL : chiso_calloc(n, sizeof *fds);
  char (*paths)[32] = rc ? NULL : chiso_calloc(n, sizeof *paths);
  const char **pp = rc ? NULL : chiso_calloc(n, sizeof *pp), **names = rc ? NULL : chiso_calloc(n, sizeof *names);
  if (!rc && (!fds || !paths || !pp || !names)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; fds && i < n; i++) fds[i] = -1;
  for (size_t i = 0; !rc && i < n; i++) {
    rc = staging_memfile(files[i].csv, files[i].len, &fds[i], paths[i], err);
    pp[i] = paths[i];
    names[i] = files[i].name;
  }
  if (!rc) {
    import_options io;
    dv.files = files;
    options_of(&dv, 1, names, &io);
    rc = import_files(intakedb_path(d), m, reg, pp, n, &io, out, err);
    for (size_t i = 0; *out && i < (*out)->n; i++)
      if ((*out)->files[i].report) {
        char *copy = chiso_strdup(names[i]);
        if (copy) {
          chiso_free((*out)->files[i].report->file);
          (*out)->files[i].report->file = copy;
        }
      }
    for (size_t i = 0; rc && err && i < n; i++)
      if (strcmp(err->file, paths[i]) == 0) snprintf(err->file, sizeof err->file, "%s", names[i]);
    if (rc == CHISO_EDENIED) log_refusal(d, &dv, "web", err);
  }
  for (size_t i = 0; fds && i < n; i++)
    if (fds[i] >= 0) close(fds[i]);
  chiso_free(fds), chiso_free(paths), chiso_free(pp), chiso_free(names);
  staging_files_free(files, n);
  return rc;
}

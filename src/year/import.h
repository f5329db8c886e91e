/* import.h — the import workflow: survey files into the store.
**
** Every front end that stores surveys (`chiso import`, the demo, the
** server's upload) goes through import_files, so the rules hold
** everywhere:
**   1. every file is hashed once (SHA-256); a file whose bytes are already
**      imported for the year is left alone (STORE_SAME) and not read;
**   2. the others are read and coded with the methodology's codebook
**      (ingest_file), every problem located; respondent ids are checked
**      against the ids already stored for the year under other file names
**      and against the files read before in the same call;
**   3. nothing is written unless every file is clean (or, with
**      skip_invalid, only the clean rows are kept);
**   4. all files go into the store in ONE transaction, each synthetic one
**      (its FILE.meta.json says "synthetic": true) marked in that same
**      transaction; the store file is created only then.
** A front end that writes for someone (the server's uploads and
** publications, issue 15) adds a scope: a row of a unit outside it refuses
** the whole call (CHISO_EDENIED, every such row listed) before anything
** is written; and a hook that writes its own records (provenance, the
** audit entry) in the import's transaction. */
#ifndef CHISO_IMPORT_H
#define CHISO_IMPORT_H

#include "base/err.h"
#include "geo/geo.h"
#include "survey/ingest.h"
#include "survey/store.h"
#include "year/methodology.h"

#include <stddef.h>

typedef struct import_options {
  int year;               /* the survey year (units in force that year); 0: the
                             files' year column (the same in every file) */
  int replace;            /* 1: a file of the same name imported with other
                             content is swapped for the new one */
  ingest_options read;    /* how files are read (encoding, delimiter,
                             sheet, max_errors, skip_invalid); id_known is
                             set by the workflow */
  const char *const *names; /* NULL, or the name to record for each path
                             instead of its base name (an upload's own
                             name, not its temporary path) */
  int scoped;             /* 1: every row's unit must lie within scope */
  const char (*scope)[3]; /* n_scope unit codes of scope_year's registry
                             (geo_scope_covers) */
  size_t n_scope;
  int scope_year;
  /* NULL, or called inside the import's transaction (not when nothing is
  ** to be written): with written = 0 before the files are written (the
  ** imports they replace are still there), with written = 1 after (the
  ** outcomes and import ids are set). A non-zero return (with err filled)
  ** rolls everything back and is the call's result. */
  int (*in_transaction)(void *ctx, store *st, const struct import_result *r, int written,
                        chiso_err *err);
  void *ctx;
} import_options;

/* Fill *o with the defaults for `year`: no replace, ingest defaults. */
void import_options_init(import_options *o, int year);

/* What happened to one file. */
/* A row of a unit outside the scope. */
typedef struct import_outside {
  long row;               /* the row of the file */
  char unit[3];           /* the unit the row names in the import's year */
} import_outside;

#define IMPORT_MAX_OUTSIDE 1000 /* rows outside the scope listed per file */

typedef struct import_file {
  const char *path;       /* as given (borrowed) */
  const char *name;       /* the name recorded: options.names[i] or the path */
  char sha256[65];
  long long size;
  int read;               /* 1 when the file was read (not already imported) */
  int synthetic;          /* 1 when its sidecar marks it synthetic */
  store_outcome outcome;  /* after a successful import */
  long long import_id;    /* the new import, or the existing one (STORE_SAME) */
  long rows;              /* respondents stored (or stored before) */
  ingest_report *report;  /* problems found when read (owned; NULL when not
                             read) */
  import_outside *outside; /* rows outside the scope (at most
                             IMPORT_MAX_OUTSIDE kept; owned) */
  size_t n_outside;       /* kept */
  size_t n_outside_all;   /* found */
} import_file;

typedef struct import_result {
  import_file *files;     /* n, in the order given */
  size_t n;
  size_t n_written;       /* files written in the transaction */
  int year;               /* the year imported for (0 when it could not be told) */
} import_result;

/* Import paths[0..n) into the store at db_path with methodology m (both
** borrowed). On success *out describes every file. On failure nothing is
** written (and a store that did not exist is not created): CHISO_EDATA (a
** file has problems: its report in *out lists them; a conflicting file
** name without replace: hint CHISO_HINT_REPLACE), CHISO_EDENIED (rows
** outside the scope: each file's outside list), CHISO_EIO,
** CHISO_ENOTFOUND, CHISO_ENOMEM; *out is then still set when the failure
** came from a file (so that its problems can be shown), else NULL. Free
** *out with import_result_free. With o->year 0 the year is every file's
** year column; a file without one, or files of different years, is
** CHISO_EDATA with hint CHISO_HINT_YEAR. */
int import_files(const char *db_path, const methodology *m, const geo_registry *reg,
                 const char *const *paths, size_t n, const import_options *o,
                 import_result **out, chiso_err *err);

/* Free a result and its reports. NULL is a no-op. */
void import_result_free(import_result *r);

#endif

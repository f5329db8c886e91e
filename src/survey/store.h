/* store.h — the SQLite survey store: imports of coded survey files and
** external indicators.
**
** A store is one SQLite file in WAL mode. Every import is one transaction:
** either all the files of an import call are in the database or none is,
** even when the process is killed. Answers are kept in column blocks (one
** BLOB of little-endian doubles per variable per chunk of 65,536 rows), so
** an import writes a few hundred rows of SQL, not millions; the schema is
** in docs/survey.md ("Store"). */
#ifndef CHISO_STORE_H
#define CHISO_STORE_H

#include "base/err.h"
#include "survey/survey.h"

#include <stddef.h>
#include <stdint.h>

#define STORE_CHUNK_ROWS 65536

typedef struct store store;

/* Open (and, when `create` is 1, create) the store at `path`. A store that
** does not exist, or a database without tables (no store in it yet: a
** creation killed by an earlier version, or one another process is making
** right now), is an error when create is 0 (CHISO_ENOTFOUND), so a
** command that fails before writing never leaves a new file behind. Returns
** CHISO_EIO (not a chiso store, cannot open), CHISO_ENOMEM. Close with
** store_close. */
int store_open(const char *path, int create, store **out, chiso_err *err);

/* 1 when the store opened (with create 1) held no table before this
** opening made its schema. Cannot fail. */
int store_is_new(const store *st);

/* Open the store at `path` for reading only: nothing can be written
** through it (PRAGMA query_only), and a writer's commit is waited for
** (5 s) instead of failing. A killed write's hot journal is rolled back
** first. Returns CHISO_ENOTFOUND (no such file, or a database without
** tables), CHISO_EIO (not a chiso store), CHISO_ENOMEM. Close with
** store_close. */
int store_open_readonly(const char *path, store **out, chiso_err *err);

/* store_open_readonly, and every read through the handle then sees the
** store as it was at this opening, whatever is committed meanwhile (one
** read transaction, ended by store_close): what is computed from it, read
** at different times, comes from one state. While it is open the WAL
** cannot be checkpointed past that state and grows with later writes:
** close it once it is stale (store_data_version on another handle).
** Returns and frees as store_open_readonly. */
int store_open_snapshot(const char *path, store **out, chiso_err *err);

/* *out = a number that changes whenever another connection has committed
** to the store since the last call on this one (SQLite's PRAGMA
** data_version): a reader's cue that what it computed may be stale. Its
** value means nothing across connections. Returns 0 or CHISO_EIO. */
int store_data_version(store *st, uint64_t *out, chiso_err *err);

/* Close the store (checkpointing the WAL). NULL is a no-op. */
void store_close(store *st);

/* The SHA-256 of a file as 64 lowercase hex digits, and its size. The file
** must be a regular file of at most max_bytes (0: no limit; textfile_open),
** so that /dev/zero or a FIFO is refused instead of hashed forever.
** Returns CHISO_EIO when it cannot be read, CHISO_EDATA when it is not a
** regular file or is (or grows) over the limit. */
int store_sha256_file(const char *path, long long max_bytes, char hex[65], long long *size,
                      chiso_err *err);

/* The SHA-256 of a buffer as hex. Returns 0 or CHISO_EINTERNAL. */
int store_sha256_mem(const void *data, size_t n, char hex[65]);

typedef struct store_sha256 store_sha256;

/* SHA-256 of bytes given piece by piece (a file hashed as it is read):
** store_sha256_new returns NULL on out of memory; store_sha256_update adds
** n bytes (a failure makes store_sha256_final fail); store_sha256_bytes is
** the count added; store_sha256_final writes the hex digest and returns 0,
** or CHISO_EINTERNAL; store_sha256_free frees (NULL is a no-op). The
** caller owns what store_sha256_new returns. */
store_sha256 *store_sha256_new(void);
void store_sha256_update(store_sha256 *h, const void *p, size_t n);
long long store_sha256_bytes(const store_sha256 *h);
int store_sha256_final(store_sha256 *h, char hex[65]);
void store_sha256_free(store_sha256 *h);

/* The methodology an import was coded with. `json` is the whole
** methodology file, kept so that estimates can be made from the store
** alone; `hash` is its SHA-256 (store_sha256_mem). All borrowed. */
typedef struct store_method {
  const char *id;
  const char *hash;
  const char *json;
} store_method;

/* One file to import (all borrowed). */
typedef struct store_file {
  const char *path;        /* as given; its base name identifies the file */
  const char *sha256;      /* hex, of the file's bytes */
  long long size;
  long skipped;            /* rows left out (skip_invalid) */
  int synthetic;           /* 1: mark the import synthetic (store_is_synthetic),
                              in the same transaction */
  const survey_data *data;
} store_file;

typedef enum {
  STORE_ADDED = 0,    /* a new import */
  STORE_SAME = 1,     /* the same bytes were imported for this year: nothing done */
  STORE_REPLACED = 2  /* a file of the same name replaced (--replace) */
} store_outcome;

/* The write transaction of a workflow that reads before it writes (the
** import's id cross-check), or that writes more than the import in the
** import's transaction (the intake's provenance and audit entry): store_write_begin takes the write lock at once
** (BEGIN IMMEDIATE, waiting up to 30 s for another writer), so that what
** is read inside holds until store_write_commit. store_write_commit
** returns 0 or CHISO_EIO (then rolled back); store_write_rollback undoes
** everything since begin and cannot fail. store_in_write is 1 between
** begin and commit/rollback. The first write transaction of a connection
** that created the store (its first import) runs on a rollback journal,
** each new page written once, when no other connection has the store open;
** the store is back in WAL mode after its commit or rollback, and a hot
** journal left by a killed process is rolled back by the next opening,
** store_open_readonly included. */
int store_write_begin(store *st, chiso_err *err);
int store_write_commit(store *st, chiso_err *err);
void store_write_rollback(store *st);
int store_in_write(const store *st);

/* In a write transaction: write the pages changed so far to the file
** (sqlite3_db_cacheflush) and start the disk's writeback of the file
** without waiting for it (sync_file_range), so that the commit's sync,
** later, finds most of it done; the caller works on meanwhile (the
** import's statistics). Only speed depends on it: it does nothing outside
** a write transaction, and a failure (a busy cache, a store in memory, no
** sync_file_range) is ignored; the commit still writes and syncs
** everything. */
void store_write_flush(store *st);

/* The CRC-32 (zlib's crc32) of a stored block: its place (column, chunk,
** rows, 20 little-endian bytes) and then its bytes, so that a block moved
** or relabelled fails as surely as one with a flipped bit. Cannot fail. */
uint32_t store_block_crc(int col, long long chunk, long long nrows, const void *data, size_t n);

/* Import files[0..n) for `year` in ONE transaction. For each file,
** outcomes[i] tells what happened and ids[i] the import id (the existing
** one for STORE_SAME); a file with `synthetic` set gets the synthetic mark
** in the same transaction, so synthetic data is never stored unlabelled.
** A file whose base name was imported for the year with other content is
** an error (hint CHISO_HINT_REPLACE) unless `replace` is 1, in which case
** the old import is dropped in the same transaction. On any error (CHISO_EDATA
** for that conflict, CHISO_EIO for SQLite) the transaction is rolled back
** and the database is as before. Called between store_write_begin and
** store_write_commit, it runs in that transaction instead (and on error
** the caller rolls back). Every block is written with its CRC
** (store_block_crc); a store of chiso-store-2 gets the crc column in the
** same transaction. */
int store_import(store *st, const store_method *m, int year,
                 const store_file *files, size_t n, int replace,
                 store_outcome *outcomes, long long *ids, chiso_err *err);

/* The respondent ids stored for a year, to refuse a second copy of a
** survey imported under another file name (docs/survey.md, "Store").
** A hash set; an id may be listed under several files. */
typedef struct store_idset store_idset;

/* The ids of every import of `year` in `st` whose import id is greater
** than `after` (0: all; st NULL: an empty set). *out is new
** (store_idset_free). Returns CHISO_EIO (SQLite), CHISO_EDATA (a damaged
** block, hint CHISO_HINT_VERIFY) or CHISO_ENOMEM, *out NULL. */
int store_idset_load(store *st, int year, long long after, store_idset **out, chiso_err *err);

/* The greatest import id ever in the store's imports table now (0 when
** none; import ids only grow), or -1 when it cannot be read. With
** store_idset_load(.., after = this, ..) inside a write transaction, a
** writer finds the imports made since it last looked. Cannot fail
** otherwise. */
long long store_last_import_id(store *st);

/* Add the ids of `d`, read from `file` in this run (import id 0). The
** strings are copied. Returns 0 or CHISO_ENOMEM (the set is then only
** partly extended, still valid). */
int store_idset_add(store_idset *s, const survey_data *d, const char *file);

/* 1 when `id` is in the set under a file whose base name differs from
** `self` (the import a file of that name replaces is not a conflict); then
** *file (borrowed, valid until the set is freed) and *import_id (0 for a
** file of this run) tell the first such. 0 otherwise. Cannot fail. */
int store_idset_find(const store_idset *s, const char *id, const char *self, const char **file,
                     long long *import_id);

/* Free the set. NULL is a no-op. */
void store_idset_free(store_idset *s);

/* One recorded import. */
typedef struct store_import_info {
  long long id;
  char file[256];
  char sha256[65];
  long long size;
  long rows, skipped;
  int year;
  char imported_at[32];   /* UTC, ISO 8601 */
  char method_id[128];
  char method_hash[65];
} store_import_info;

/* Every import, in id order. *out is a new array of *n entries the caller
** frees with chiso_free (NULL when there are none). Returns CHISO_EIO or
** CHISO_ENOMEM on failure. */
int store_list(store *st, store_import_info **out, size_t *n, chiso_err *err);

/* The id of the import of `year` recorded under file name `name` (its
** base name), 0 when none, -1 when the store cannot be read. Cannot fail
** otherwise. */
long long store_find_named(store *st, int year, const char *name);

/* The distinct units (two-digit codes) of the respondents of import `id`,
** ascending: *out is a new array of *n (chiso_free; NULL when none).
** Returns 0, CHISO_EIO (SQLite, a damaged block), CHISO_ENOMEM. */
int store_import_units(store *st, long long id, char (**out)[3], size_t *n, chiso_err *err);

/* Remove import `id` and its data in one transaction. Returns
** CHISO_ENOTFOUND when there is no such import, CHISO_EIO. */
int store_drop(store *st, long long id, chiso_err *err);

/* Every respondent imported for `year`, all imports concatenated in id
** order (each block checked against its CRC when it has one: a mismatch
** is CHISO_EDATA naming the import, the column and the chunk, hint
** CHISO_HINT_VERIFY) (variables matched by name; a variable missing from a file is NaN
** there; strata matched by name). *method_json receives the methodology
** text of these imports (a new string). Returns CHISO_ENOTFOUND when
** nothing was imported for the year, CHISO_EDATA when the imports use
** different methodologies or mix weighted and unweighted files, CHISO_EIO,
** CHISO_ENOMEM. The caller frees *out (survey_free) and *method_json
** (chiso_free). */
int store_load_year(store *st, int year, survey_data **out, char **method_json,
                    chiso_err *err);

/* The methodology text the imports of `year` were coded with, without
** loading their data. *method_json is a new string (chiso_free). Returns
** CHISO_ENOTFOUND when nothing was imported for the year, CHISO_EDATA when
** the imports use different methodologies, CHISO_EIO, CHISO_ENOMEM. */
int store_year_method(store *st, int year, char **method_json, chiso_err *err);

/* An external indicator value for a province (official statistics). */
typedef struct store_indicator {
  char code[3];
  const char *indicator;
  double value;       /* NaN is stored as NULL */
  const char *source; /* may be NULL */
} store_indicator;

/* Store rows[0..n) for `year` in one transaction (the caller's when it
** holds one: store_write_begin), replacing any value of the same (year,
** code, indicator). Returns CHISO_EIO (rolled back: the caller's whole
** transaction when it is the caller's, which must then roll back). */
int store_put_indicators(store *st, int year, const store_indicator *rows,
                         size_t n, chiso_err *err);

/* The external indicators of `year`, ordered by indicator then code.
** *out is a new array of *n entries (NULL, 0 when none); each entry's
** strings are allocated too: free with store_indicators_free. Returns
** CHISO_EIO (SQLite) or CHISO_ENOMEM with *out NULL and *n 0. */
int store_get_indicators(store *st, int year, store_indicator **out, size_t *n,
                         chiso_err *err);
void store_indicators_free(store_indicator *rows, size_t n);

/* Every year with a survey import or an external indicator, ascending.
** *years is a new array of *n values (chiso_free; NULL when none).
** Returns CHISO_EIO or CHISO_ENOMEM on failure (*years NULL). */
int store_years(store *st, int **years, size_t *n, chiso_err *err);

/* The methodology text stored under `hash` (an import's method_hash).
** *out is a new string the caller frees with chiso_free. Returns
** CHISO_EIO when there is none or SQLite fails, CHISO_ENOMEM. */
int store_method_json(store *st, const char *hash, char **out, chiso_err *err);

/* Small notes kept in the store (table chiso_meta): set (insert or
** replace) and get a value by key. store_meta_get sets *out to a new
** string (chiso_free) or NULL when the key is absent, and returns 0;
** CHISO_EIO / CHISO_ENOMEM on failure. */
int store_meta_set(store *st, const char *key, const char *value, chiso_err *err);
int store_meta_get(store *st, const char *key, char **out, chiso_err *err);

/* The synthetic mark of an import: the rule (docs/report.md) is that an
** import is synthetic when its file was written by `chiso synth` (the
** FILE.meta.json beside it says "synthetic": true, see
** synthfile_sidecar_synthetic); store_import then stores the note
** "synthetic.<id>" = "1" in the import's transaction. Import ids are never
** reused, so the note of a dropped import is harmless. store_is_synthetic
** sets *out to 1 or 0 and returns 0, CHISO_EIO or CHISO_ENOMEM. */
int store_is_synthetic(store *st, long long import_id, int *out, chiso_err *err);

/* *out = 1 when any survey import of `year` (0: of any year) carries the
** synthetic mark (store_is_synthetic), else 0 (also when nothing is
** imported for the year). Returns 0, CHISO_EIO or CHISO_ENOMEM (*out 0, err filled). */
int store_year_synthetic(store *st, int year, int *out, chiso_err *err);

/* What store_verify found in one import. */
typedef struct store_verify_import {
  long long id;
  int year;
  char file[256];
  size_t blocks;     /* blocks read */
  size_t unchecked;  /* blocks without a checksum (stored before chiso-store-3) */
  size_t damaged;    /* blocks whose checksum, shape or row count is wrong */
  char first[1024];  /* the first damage found, "" when none */
} store_verify_import;

typedef struct store_verify_result {
  char integrity[512];          /* PRAGMA integrity_check: "ok" or its first message */
  store_verify_import *imports; /* n, in id order */
  size_t n;
  size_t blocks, unchecked;     /* over all imports */
  size_t damaged;               /* damaged blocks, plus 1 when integrity is not "ok" */
} store_verify_result;

/* Check the whole store: SQLite's integrity_check, then every block of
** every import against its CRC, its shape and its import's row count.
** Reads only. On success *out is filled (store_verify_clear frees it) and
** 0 is returned, whatever was found (out->damaged says). Returns CHISO_EIO
** (SQLite cannot read the store at all) or CHISO_ENOMEM, *out empty. */
int store_verify(store *st, store_verify_result *out, chiso_err *err);
void store_verify_clear(store_verify_result *r);

/* The number of stored answer blocks this handle has read since it was
** opened (a year load reads each of its blocks once): lets tests check
** that work on a stored year does not go back to the store. Cannot fail. */
unsigned long long store_blocks_read(const store *st);

/* ---- estimation statistics (issue 18) ------------------------------------ */

/* Keep `len` bytes of estimation statistics (estimates_stats_encode) for
** import `import_id`, replacing any kept before. A cache of what the rows
** give: import ids are never reused, so a block always belongs to the data
** of its import. The bytes are copied. Returns 0 or CHISO_EIO. */
int store_stats_put(store *st, long long import_id, const void *data, size_t len,
                    chiso_err *err);

/* The statistics kept for import `import_id` into a new buffer *data of
** *len bytes (chiso_free). Returns CHISO_ENOTFOUND when none are kept (a
** store from before them, or an import made without), CHISO_EDATA (the
** block's checksum does not match: damaged), CHISO_EIO, CHISO_ENOMEM;
** *data is then NULL. */
int store_stats_get(store *st, long long import_id, unsigned char **data, size_t *len,
                    chiso_err *err);

/* The SQLite connection of the store, for the modules that keep their own
** tables in the same file and write them in the store's transactions (the
** intake's accounts, staged responses and audit log: intake/intakedb.h).
** Borrowed: valid while the store is open. Cannot fail. */
struct sqlite3 *store_sqlite(store *st);

#endif

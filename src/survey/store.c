/* store.c — the SQLite survey store (schema in docs/survey.md, "Store"). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sync_file_range (store_write_flush) */
#endif
#include "survey/store.h"

#include "base/hashmap.h"
#include "base/textfile.h"

#include "base/mem.h"

#include <assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* How long a writer waits for another one to finish (BEGIN IMMEDIATE). */
#define STORE_BUSY_MS 30000

/* The page cache while the blocks are written: small. Each block is
** written once and never read again in the transaction, so a large cache
** only holds pages until it spills them; filling 64 MiB of fresh cache
** pages (their faults and zeroing) was half the time of writing 1M
** respondents (0.5 of 1 s). STORE_CACHE is the cache of every other use. */
#define STORE_WRITE_CACHE "PRAGMA cache_size=-1024"
#define STORE_CACHE "PRAGMA cache_size=-65536"

struct store {
  sqlite3 *db;
  char path[512];
  unsigned long long blocks_read; /* answer blocks decoded (store_blocks_read) */
  int has_crc;                    /* blocks has the crc column (chiso-store-3) */
  int is_new;                     /* no table yet (an empty database) */
  int created;                    /* this connection made the schema: a new store */
  int bulk;                       /* the write runs on a rollback journal (bulk_on) */
  int bulk_tried;                 /* ... which is tried once per connection */
};

/* Column numbers of the design columns in `blocks` (variables are >= 0). */
enum {
  COL_PROVINCE = -1,     /* 2 bytes per row */
  COL_PROVINCE_OLD = -2, /* 2 bytes per row, "\0\0" when none */
  COL_STRATUM = -3,      /* int32 LE */
  COL_WEIGHT = -4,       /* double LE */
  COL_RID = -5,          /* NUL-terminated strings */
  COL_SECTOR = -6,       /* NUL-terminated strings */
  COL_SOURCE_ROW = -7    /* int64 LE */
};

/* chiso-store-3: every block carries a CRC-32 (store_block_crc). Stores
** of chiso-store-2 have no crc column; it is added by the first import
** into them, in that import's transaction (store_import), and their old
** blocks keep a NULL crc: accepted on load, reported by store_verify. */
static const char schema[] =
    "BEGIN IMMEDIATE;"
    "CREATE TABLE IF NOT EXISTS chiso_meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO chiso_meta VALUES('schema', 'chiso-store-3');"
    "CREATE TABLE IF NOT EXISTS methods(hash TEXT PRIMARY KEY, id TEXT, json TEXT);"
    "CREATE TABLE IF NOT EXISTS imports(id INTEGER PRIMARY KEY AUTOINCREMENT, file TEXT NOT NULL,"
    " path TEXT, sha256 TEXT NOT NULL, size INTEGER, rows INTEGER, skipped INTEGER,"
    " imported_at TEXT, method_id TEXT, method_hash TEXT, year INTEGER NOT NULL,"
    " weighted INTEGER, n_vars INTEGER);"
    "CREATE UNIQUE INDEX IF NOT EXISTS imports_sha_year ON imports(sha256, year);"
    "CREATE TABLE IF NOT EXISTS import_vars(import_id INTEGER, idx INTEGER, name TEXT,"
    " question INTEGER, PRIMARY KEY(import_id, idx));"
    "CREATE TABLE IF NOT EXISTS import_strata(import_id INTEGER, idx INTEGER, name TEXT,"
    " PRIMARY KEY(import_id, idx));"
    "CREATE TABLE IF NOT EXISTS blocks(import_id INTEGER, col INTEGER, chunk INTEGER,"
    " nrows INTEGER, data BLOB, crc INTEGER);"
    "CREATE UNIQUE INDEX IF NOT EXISTS blocks_key ON blocks(import_id, col, chunk);"
    "CREATE TABLE IF NOT EXISTS indicators(year INTEGER, code TEXT, indicator TEXT,"
    " value REAL, source TEXT, PRIMARY KEY(year, code, indicator));"
    "COMMIT;";

static int db_error(store *st, chiso_err *err, const char *what) {
  return chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "%s: %s", what, sqlite3_errmsg(st->db));
}

static int exec(store *st, const char *sql, chiso_err *err) {
  char *msg = NULL;
  if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) == SQLITE_OK) return CHISO_OK;
  int rc = chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "%s", msg ? msg : "SQLite error");
  sqlite3_free(msg);
  return rc;
}

/* exec, retried while another process holds the lock: changing the
** journal mode returns SQLITE_BUSY at once, without the busy handler, when
** two processes create the same store at the same moment. */
static int exec_retry(store *st, const char *sql, chiso_err *err) {
  for (int waited = 0;; waited += 10) {
    int r = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (r == SQLITE_OK) return CHISO_OK;
    if (((r & 0xFF) != SQLITE_BUSY && (r & 0xFF) != SQLITE_LOCKED) || waited >= STORE_BUSY_MS)
      return exec(st, sql, err); /* once more, for the message */
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

static int prepare(store *st, const char *sql, sqlite3_stmt **stmt, chiso_err *err) {
  if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) == SQLITE_OK) return CHISO_OK;
  return db_error(st, err, "cannot prepare a statement");
}

/* Why SQLite cannot read the file, in words a user can act on. */
static int open_error(store *st, chiso_err *err) {
  int code = sqlite3_errcode(st->db) & 0xFF;
  if (code == SQLITE_NOTADB)
    return chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "not a SQLite database");
  if (code == SQLITE_CANTOPEN || code == SQLITE_READONLY || code == SQLITE_PERM ||
      code == SQLITE_IOERR)
    return chiso_err_at(err, CHISO_EIO, st->path, 0, 0,
                        "cannot read the store: %s (a store is read and written with its "
                        "-wal and -shm files beside it: its folder must be writable)",
                        sqlite3_errmsg(st->db));
  return db_error(st, err, "cannot read the store");
}

/* 0 when the file holds a chiso store. A database without a table is one
** only when a store is being created
** (`create`); otherwise (one that a creation killed by an earlier version
** left behind, or any other empty database) it is CHISO_ENOTFOUND: no
** store in it yet. */
static int check_schema(store *st, int create, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) != SQLITE_OK)
    return open_error(st, err);
  int r = sqlite3_step(q);
  long tables = r == SQLITE_ROW ? sqlite3_column_int(q, 0) : -1;
  sqlite3_finalize(q);
  if (r != SQLITE_ROW) return open_error(st, err);
  st->is_new = tables == 0;
  if (tables == 0 && !create)
    return chiso_err_at(err, CHISO_ENOTFOUND, st->path, 0, 0,
                        "not a chiso store: an empty database (nothing has been imported into it)");
  if (tables == 0) return CHISO_OK;
  int rc = CHISO_OK;
  if (sqlite3_prepare_v2(st->db, "SELECT value FROM chiso_meta WHERE key = 'schema'", -1, &q,
                         NULL) != SQLITE_OK)
    return chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "not a chiso store");
  rc = sqlite3_step(q) == SQLITE_ROW ? CHISO_OK
                                     : chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "not a chiso store");
  sqlite3_finalize(q);
  return rc;
}

/* Does `blocks` have the crc column (chiso-store-3)? */
static int detect_crc(store *st) {
  sqlite3_stmt *q = NULL;
  int yes = 0;
  if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM pragma_table_info('blocks') WHERE name='crc'", -1,
                         &q, NULL) == SQLITE_OK)
    yes = sqlite3_step(q) == SQLITE_ROW;
  sqlite3_finalize(q);
  return yes;
}

/* A path that exists must be a regular file; an empty one is a store
** only when one is being created (a command that reads must not turn an
** empty file into a database). */
static int check_path(const char *path, int create, chiso_err *err) {
  struct stat sb;
  if (stat(path, &sb) != 0)
    return create ? CHISO_OK : chiso_err_at(err, CHISO_ENOTFOUND, path, 0, 0, "no such store");
  if (!S_ISREG(sb.st_mode))
    return chiso_err_at(err, CHISO_EIO, path, 0, 0, "not a store: not a regular file");
  if (sb.st_size == 0 && !create)
    return chiso_err_at(err, CHISO_EIO, path, 0, 0,
                        "not a chiso store: an empty file (nothing has been imported into it)");
  return CHISO_OK;
}

/* A store whose write was killed on a rollback journal (bulk_on) has a
** hot journal, which a read-only connection cannot roll back
** (SQLITE_READONLY_ROLLBACK): a writing connection that reads the schema
** rolls it back, then puts the store back in WAL mode. (Not store_open:
** it refuses a database without tables, and the rollback is what
** matters.) 1 when the journal was rolled back. */
static int roll_back(store *st) {
  if (sqlite3_extended_errcode(st->db) != SQLITE_READONLY_ROLLBACK) return 0;
  sqlite3 *w = NULL;
  sqlite3_stmt *q = NULL;
  int done = sqlite3_open_v2(st->path, &w, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK;
  if (done) sqlite3_busy_timeout(w, STORE_BUSY_MS);
  done = done && sqlite3_prepare_v2(w, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
         sqlite3_step(q) == SQLITE_ROW;
  int tables = done ? sqlite3_column_int(q, 0) : 0;
  sqlite3_finalize(q);
  if (tables > 0) sqlite3_exec(w, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
  sqlite3_close(w);
  return done;
}

static int open_readonly(const char *path, store **out, int retried, chiso_err *err) {
  assert(path && out);
  *out = NULL;
  int rc = check_path(path, 0, err);
  if (rc) return rc;
  store *st = chiso_calloc(1, sizeof *st);
  if (!st) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  snprintf(st->path, sizeof st->path, "%s", path);
  if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    rc = open_error(st, err);
  /* A reader waits for a writer's commit instead of failing (WAL readers
  ** rarely wait at all), and refuses any write of its own. */
  if (!rc) sqlite3_busy_timeout(st->db, 5000);
  if (!rc) rc = check_schema(st, 0, err);
  if (rc && !retried && roll_back(st)) {
    store_close(st);
    return open_readonly(path, out, 1, err);
  }
  if (!rc) rc = exec(st, "PRAGMA query_only=1; " STORE_CACHE ";", err);
  if (rc) {
    store_close(st);
    return rc;
  }
  st->has_crc = detect_crc(st);
  *out = st;
  return CHISO_OK;
}

int store_open_readonly(const char *path, store **out, chiso_err *err) {
  return open_readonly(path, out, 0, err);
}

int store_open_snapshot(const char *path, store **out, chiso_err *err) {
  int rc = open_readonly(path, out, 0, err);
  /* a WAL reader's snapshot is taken by the first read of its
  ** transaction; it lasts until store_close ends the transaction */
  if (!rc && (rc = exec(*out, "BEGIN; SELECT count(*) FROM sqlite_master;", err))) {
    store_close(*out);
    *out = NULL;
  }
  return rc;
}

int store_data_version(store *st, uint64_t *out, chiso_err *err) {
  assert(st && out);
  sqlite3_stmt *q = NULL;
  int rc = prepare(st, "PRAGMA data_version", &q, err);
  if (!rc && sqlite3_step(q) == SQLITE_ROW) *out = (uint64_t)sqlite3_column_int64(q, 0);
  else if (!rc) rc = db_error(st, err, "cannot read the data version");
  sqlite3_finalize(q);
  return rc;
}

int store_open(const char *path, int create, store **out, chiso_err *err) {
  assert(path && out);
  *out = NULL;
  int rc = check_path(path, create, err);
  if (rc) return rc;
  store *st = chiso_calloc(1, sizeof *st);
  if (!st) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  snprintf(st->path, sizeof st->path, "%s", path);
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path, &st->db, flags, NULL) != SQLITE_OK) {
    rc = open_error(st, err);
    goto fail;
  }
  sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
  if ((rc = check_schema(st, create, err))) goto fail;
  /* Large pages: a 512 KiB block is 8 overflow pages instead of 128. Only
  ** takes effect on a new, empty database. */
  if (create && (rc = exec(st, "PRAGMA page_size=65536;", err))) goto fail;
  /* WAL: readers never block the writer and a killed import leaves only
  ** uncommitted frames, which SQLite ignores. The switch writes a new
  ** store's first page at once: a creation killed before its schema's
  ** commit leaves a database without tables, which store_open without
  ** `create` and store_open_readonly take for no store (CHISO_ENOTFOUND)
  ** and an import makes a store. */
  if ((rc = exec_retry(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                           "PRAGMA foreign_keys=OFF; " STORE_CACHE ";", err)))
    goto fail;
  /* the schema in one transaction: a second process creating the same
  ** store waits, then finds every table there */
  if (create && (rc = exec_retry(st, schema, err))) goto fail;
  st->created = create && st->is_new;
  st->has_crc = detect_crc(st);
  *out = st;
  return CHISO_OK;
fail:
  store_close(st);
  return rc;
}

int store_is_new(const store *st) {
  assert(st);
  return st->is_new;
}

void store_close(store *st) {
  if (!st) return;
  sqlite3_close(st->db);
  chiso_free(st);
}

/* ------------------------------------------------------------------ */
/* SHA-256 (OpenSSL EVP)                                               */
/* ------------------------------------------------------------------ */

static void to_hex(const unsigned char *md, unsigned n, char *hex) {
  static const char digits[] = "0123456789abcdef";
  for (unsigned i = 0; i < n; i++) {
    hex[2 * i] = digits[md[i] >> 4];
    hex[2 * i + 1] = digits[md[i] & 15];
  }
  hex[2 * n] = '\0';
}

int store_sha256_mem(const void *data, size_t n, char hex[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (!EVP_Digest(data, n, md, &len, EVP_sha256(), NULL)) return CHISO_EINTERNAL;
  to_hex(md, len, hex);
  return CHISO_OK;
}

struct store_sha256 {
  EVP_MD_CTX *ctx;
  long long bytes;
  int failed;
};

store_sha256 *store_sha256_new(void) {
  store_sha256 *h = chiso_calloc(1, sizeof *h);
  if (!h) return NULL;
  if (!(h->ctx = EVP_MD_CTX_new()) || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
    store_sha256_free(h);
    return NULL;
  }
  return h;
}

void store_sha256_update(store_sha256 *h, const void *p, size_t n) {
  if (!h->failed && !EVP_DigestUpdate(h->ctx, p, n)) h->failed = 1;
  h->bytes += (long long)n;
}

long long store_sha256_bytes(const store_sha256 *h) { return h->bytes; }

int store_sha256_final(store_sha256 *h, char hex[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  if (h->failed || !EVP_DigestFinal_ex(h->ctx, md, &len)) return CHISO_EINTERNAL;
  h->failed = 1; /* final once */
  to_hex(md, len, hex);
  return CHISO_OK;
}

void store_sha256_free(store_sha256 *h) {
  if (!h) return;
  EVP_MD_CTX_free(h->ctx);
  chiso_free(h);
}

int store_sha256_file(const char *path, long long max_bytes, char hex[65], long long *size,
                      chiso_err *err) {
  FILE *f = NULL;
  int frc = textfile_open(path, max_bytes, &f, NULL, err);
  if (frc) return frc;
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  unsigned char *buf = chiso_malloc(1 << 20), md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  long long total = 0;
  int rc = CHISO_EINTERNAL;
  if (!ctx || !buf || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) goto done;
  size_t got;
  while ((got = fread(buf, 1, 1 << 20, f)) > 0) {
    total += (long long)got;
    if (max_bytes > 0 && total > max_bytes) {
      rc = chiso_err_at(err, CHISO_EDATA, path, 0, 0,
                        "the file grew past the limit of %lld bytes: refused", max_bytes);
      goto done;
    }
    if (!EVP_DigestUpdate(ctx, buf, got)) goto done;
  }
  if (ferror(f)) {
    rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "read error");
    goto done;
  }
  if (!EVP_DigestFinal_ex(ctx, md, &len)) goto done;
  to_hex(md, len, hex);
  *size = total;
  rc = CHISO_OK;
done:
  if (rc == CHISO_EINTERNAL) chiso_err_set(err, rc, "SHA-256 failed");
  EVP_MD_CTX_free(ctx);
  chiso_free(buf);
  fclose(f);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Column blocks                                                       */
/* ------------------------------------------------------------------ */

static int host_is_le(void) {
  const uint16_t one = 1;
  return *(const unsigned char *)&one == 1;
}

/* Copy n 8-byte values into little-endian order. */
static void put_le64(unsigned char *dst, const void *src, size_t n) {
  memcpy(dst, src, n * 8);
  if (host_is_le()) return;
  for (size_t i = 0; i < n; i++)
    for (int b = 0; b < 4; b++) {
      unsigned char t = dst[8 * i + b];
      dst[8 * i + b] = dst[8 * i + 7 - b];
      dst[8 * i + 7 - b] = t;
    }
}

static void get_le64(void *dst, const unsigned char *src, size_t n) {
  put_le64(dst, src, n); /* a byte swap is its own inverse */
}

typedef struct writer {
  store *st;
  sqlite3_stmt *ins;
  long long import_id;
  unsigned char *buf;
  size_t cap;
} writer;

uint32_t store_block_crc(int col, long long chunk, long long nrows, const void *data, size_t n) {
  unsigned char head[20];
  uint32_t c = (uint32_t)col;
  uint64_t k = (uint64_t)chunk, m = (uint64_t)nrows;
  for (int i = 0; i < 4; i++) head[i] = (unsigned char)(c >> (8 * i));
  for (int i = 0; i < 8; i++) head[4 + i] = (unsigned char)(k >> (8 * i));
  for (int i = 0; i < 8; i++) head[12 + i] = (unsigned char)(m >> (8 * i));
  uLong crc = crc32_z(0L, head, sizeof head);
  if (n) crc = crc32_z(crc, data, n);
  return (uint32_t)crc;
}

static int write_block(writer *w, int col, long chunk, long nrows, const void *data, size_t n,
                       chiso_err *err) {
  sqlite3_stmt *q = w->ins;
  sqlite3_reset(q);
  sqlite3_bind_int64(q, 1, w->import_id);
  sqlite3_bind_int(q, 2, col);
  sqlite3_bind_int64(q, 3, chunk);
  sqlite3_bind_int64(q, 4, nrows);
  sqlite3_bind_blob64(q, 5, data, n, SQLITE_STATIC);
  sqlite3_bind_int64(q, 6, store_block_crc(col, chunk, nrows, data, n));
  if (sqlite3_step(q) != SQLITE_DONE) return db_error(w->st, err, "cannot write a block");
  return CHISO_OK;
}

static int need(writer *w, size_t n) {
  return chiso_grow((void **)&w->buf, &w->cap, n, 1);
}

/* Strings of rows [a, b) joined with NULs. */
static size_t pack_strings(writer *w, char **s, size_t a, size_t b) {
  size_t used = 0;
  for (size_t i = a; i < b; i++) {
    const char *x = s[i] ? s[i] : "";
    size_t len = strlen(x) + 1;
    if (need(w, used + len)) return (size_t)-1;
    memcpy(w->buf + used, x, len);
    used += len;
  }
  return used;
}

static int write_design_chunk(writer *w, const survey_data *s, size_t a, size_t b, long chunk,
                              chiso_err *err) {
  size_t m = b - a;
  long nr = (long)m;
  int rc;
  if (need(w, m * 8 + 16)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t i = 0; i < m; i++) memcpy(w->buf + 2 * i, s->province[a + i], 2);
  if ((rc = write_block(w, COL_PROVINCE, chunk, nr, w->buf, 2 * m, err))) return rc;
  for (size_t i = 0; i < m; i++) memcpy(w->buf + 2 * i, s->province_old[a + i], 2);
  if ((rc = write_block(w, COL_PROVINCE_OLD, chunk, nr, w->buf, 2 * m, err))) return rc;
  for (size_t i = 0; i < m; i++) {
    uint32_t v = (uint32_t)s->stratum[a + i];
    for (int k = 0; k < 4; k++) w->buf[4 * i + k] = (unsigned char)(v >> (8 * k));
  }
  if (s->n_strata && (rc = write_block(w, COL_STRATUM, chunk, nr, w->buf, 4 * m, err)))
    return rc;
  for (size_t i = 0; i < m; i++) {
    int64_t v = s->source_row[a + i];
    put_le64(w->buf + 8 * i, &v, 1);
  }
  if ((rc = write_block(w, COL_SOURCE_ROW, chunk, nr, w->buf, 8 * m, err))) return rc;
  if (s->weight) {
    put_le64(w->buf, s->weight + a, m);
    if ((rc = write_block(w, COL_WEIGHT, chunk, nr, w->buf, 8 * m, err))) return rc;
  }
  size_t len = pack_strings(w, s->respondent_id, a, b);
  if (len == (size_t)-1) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if ((rc = write_block(w, COL_RID, chunk, nr, w->buf, len, err))) return rc;
  if (s->sector) {
    len = pack_strings(w, s->sector, a, b);
    if (len == (size_t)-1) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    if ((rc = write_block(w, COL_SECTOR, chunk, nr, w->buf, len, err))) return rc;
  }
  return CHISO_OK;
}

/* A variable's block is m doubles (8m bytes), or, told apart by the
** blob's length:
**   m bytes     when every value is a whole number 0..250 or no answer
**               (yes/no, choices, 0/1 options): the number, or BYTE_NA;
**   4m+1 bytes  when every value is q / 10^e for one e in 0..4 and an
**               int32 q (numbers typed with few decimals): e, then each q
**               little-endian, or INT32_MIN for no answer.
** A compact form is used only when each value comes back bit for bit
** (the same division is done to check and to decode; NaN as the NAN
** constant; no -0). */
#define BYTE_NA 255
#define SCALED_NA INT32_MIN

static const double dec_scale[] = {1, 10, 100, 1000, 10000};

static int is_plain_nan(double v) {
  const double na = NAN;
  return isnan(v) && memcmp(&v, &na, sizeof na) == 0;
}

/* x rounded to an int32 (|x| < 2^31 - 1); any rounding does, as the caller
** checks that q / 10^e gives the value back. */
static int32_t round_q(double x) {
  return (int32_t)(x < 0 ? x - 0.5 : x + 0.5);
}

/* Write v[0..m) as e and int32 q's into dst (4m + 1 bytes) for the first
** e in 0..4 with which every value is q / 10^e. Returns 0 when there is
** none (dst is then scratch). */
static int encode_scaled(unsigned char *dst, const double *v, size_t m) {
  for (int e = 0; e < 5; e++) {
    size_t i = 0;
    for (; i < m; i++) {
      uint32_t q = (uint32_t)SCALED_NA;
      if (isnan(v[i])) {
        if (!is_plain_nan(v[i])) return 0;
      } else {
        double x = v[i] * dec_scale[e];
        if (!(x > -2147483647.0 && x < 2147483647.0)) break;
        int32_t k = round_q(x);
        double back = (double)k / dec_scale[e];
        if (memcmp(&back, &v[i], sizeof back) != 0) break;
        q = (uint32_t)k;
      }
      unsigned char *p = dst + 1 + 4 * i;
      p[0] = (unsigned char)q, p[1] = (unsigned char)(q >> 8);
      p[2] = (unsigned char)(q >> 16), p[3] = (unsigned char)(q >> 24);
    }
    if (i == m) return (dst[0] = (unsigned char)e, 1);
  }
  return 0;
}

static int get_scaled(double *x, const unsigned char *b, size_t m) {
  if (b[0] > 4) return CHISO_EIO;
  for (size_t i = 0; i < m; i++) {
    const unsigned char *p = b + 1 + 4 * i;
    int32_t q = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                          (uint32_t)p[3] << 24);
    x[i] = q == SCALED_NA ? NAN : (double)q / dec_scale[b[0]];
  }
  return CHISO_OK;
}

/* v[0..m) as bytes into dst (the number, or BYTE_NA for no answer) when
** every value is a whole number 0..250 (not -0) or the NAN constant;
** returns 0 when one is not (dst is then scratch). */
static int to_bytes(unsigned char *dst, const double *v, size_t m) {
  for (size_t i = 0; i < m; i++) {
    double x = v[i];
    if (x >= 0 && x <= 250) {
      int k = (int)x;
      if ((double)k != x || signbit(x)) return 0;
      dst[i] = (unsigned char)k;
    } else if (is_plain_nan(x)) {
      dst[i] = BYTE_NA;
    } else {
      return 0;
    }
  }
  return 1;
}

static int write_vars_chunk(writer *w, const survey_data *s, size_t a, size_t b, long chunk,
                            chiso_err *err) {
  size_t m = b - a;
  if (need(w, m * 8 + 1)) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (size_t v = 0; v < s->n_vars; v++) {
    const void *src = s->vars[v].values + a;
    const double *x = s->vars[v].values + a;
    int rc;
    if (to_bytes(w->buf, x, m)) {
      if ((rc = write_block(w, (int)v, chunk, (long)m, w->buf, m, err))) return rc;
      continue;
    }
    if (encode_scaled(w->buf, x, m)) {
      if ((rc = write_block(w, (int)v, chunk, (long)m, w->buf, 4 * m + 1, err))) return rc;
      continue;
    }
    if (!host_is_le()) {
      put_le64(w->buf, src, m);
      src = w->buf;
    }
    rc = write_block(w, (int)v, chunk, (long)m, src, m * 8, err);
    if (rc) return rc;
  }
  return CHISO_OK;
}

/* Names of the variables and strata of an import. */
static int write_names(store *st, long long id, const survey_data *s, chiso_err *err) {
  sqlite3_stmt *qv = NULL, *qs = NULL;
  int rc = prepare(st, "INSERT INTO import_vars VALUES(?,?,?,?)", &qv, err);
  if (!rc) rc = prepare(st, "INSERT INTO import_strata VALUES(?,?,?)", &qs, err);
  for (size_t v = 0; !rc && v < s->n_vars; v++) {
    sqlite3_reset(qv);
    sqlite3_bind_int64(qv, 1, id);
    sqlite3_bind_int64(qv, 2, (long long)v);
    sqlite3_bind_text(qv, 3, s->vars[v].id ? s->vars[v].id : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(qv, 4, s->vars[v].question);
    if (sqlite3_step(qv) != SQLITE_DONE) rc = db_error(st, err, "cannot write variables");
  }
  for (size_t h = 0; !rc && h < s->n_strata; h++) {
    sqlite3_reset(qs);
    sqlite3_bind_int64(qs, 1, id);
    sqlite3_bind_int64(qs, 2, (long long)h);
    sqlite3_bind_text(qs, 3, s->stratum_names[h], -1, SQLITE_STATIC);
    if (sqlite3_step(qs) != SQLITE_DONE) rc = db_error(st, err, "cannot write strata");
  }
  sqlite3_finalize(qv);
  sqlite3_finalize(qs);
  return rc;
}

static int write_data(store *st, long long id, const survey_data *s, chiso_err *err) {
  writer w = {st, NULL, id, NULL, 0};
  int rc = exec(st, STORE_WRITE_CACHE, err);
  if (!rc)
    rc = prepare(st, "INSERT INTO blocks(import_id,col,chunk,nrows,data,crc) VALUES(?,?,?,?,?,?)",
                 &w.ins, err);
  long chunk = 0;
  for (size_t a = 0; !rc && a < s->n; a += STORE_CHUNK_ROWS, chunk++) {
    size_t b = a + STORE_CHUNK_ROWS < s->n ? a + STORE_CHUNK_ROWS : s->n;
    rc = write_design_chunk(&w, s, a, b, chunk, err);
    if (!rc) rc = write_vars_chunk(&w, s, a, b, chunk, err);
  }
  if (!rc) rc = write_names(st, id, s, err);
  sqlite3_finalize(w.ins);
  chiso_free(w.buf);
  if (!rc) rc = exec(st, STORE_CACHE, err);
  else sqlite3_exec(st->db, STORE_CACHE, NULL, NULL, NULL);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Imports                                                             */
/* ------------------------------------------------------------------ */

static const char *base_name(const char *path) {
  const char *b = strrchr(path, '/');
  return b ? b + 1 : path;
}

/* The id of an import of `year` with this sha256 (by_sha) or base name. */
static long long find_import(store *st, int year, const char *key, int by_sha) {
  sqlite3_stmt *q = NULL;
  long long id = 0;
  const char *sql = by_sha ? "SELECT id FROM imports WHERE year=? AND sha256=?"
                           : "SELECT id FROM imports WHERE year=? AND file=?";
  if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) != SQLITE_OK) return -1;
  sqlite3_bind_int(q, 1, year);
  sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
  int r = sqlite3_step(q);
  if (r == SQLITE_ROW) id = sqlite3_column_int64(q, 0);
  else if (r != SQLITE_DONE) id = -1;
  sqlite3_finalize(q);
  return id;
}

/* One block per import, written once after the import: a cache of what
** the rows give (estimator_stats_encode), so it is keyed by the import
** id, which is never reused; a store without the table simply has none.
** Its CRC is checked on every read, as a column block's is. */
static const char stats_table[] = "CREATE TABLE IF NOT EXISTS import_stats(import_id INTEGER "
                                  "PRIMARY KEY, data BLOB, crc INTEGER NOT NULL)";

/* Every row of an import, its stored statistics included (the table is
** made first when the store has none, in the same transaction). */
static int delete_import(store *st, long long id, chiso_err *err) {
  static const char *const sql[] = {"DELETE FROM blocks WHERE import_id=?",
                                    "DELETE FROM import_vars WHERE import_id=?",
                                    "DELETE FROM import_strata WHERE import_id=?",
                                    "DELETE FROM import_stats WHERE import_id=?",
                                    "DELETE FROM imports WHERE id=?"};
  int made = exec(st, stats_table, err);
  if (made) return made;
  for (size_t i = 0; i < 5; i++) {
    sqlite3_stmt *q = NULL;
    int rc = prepare(st, sql[i], &q, err);
    if (rc) return rc;
    sqlite3_bind_int64(q, 1, id);
    rc = sqlite3_step(q) == SQLITE_DONE ? CHISO_OK : db_error(st, err, "cannot delete");
    sqlite3_finalize(q);
    if (rc) return rc;
  }
  return CHISO_OK;
}

static int insert_method(store *st, const store_method *m, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = prepare(st, "INSERT OR IGNORE INTO methods VALUES(?,?,?)", &q, err);
  if (rc) return rc;
  sqlite3_bind_text(q, 1, m->hash, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, m->json, -1, SQLITE_STATIC);
  rc = sqlite3_step(q) == SQLITE_DONE ? CHISO_OK : db_error(st, err, "cannot record the methodology");
  sqlite3_finalize(q);
  return rc;
}

static int insert_import(store *st, const store_method *m, int year, const store_file *f,
                         long long *id, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  char when[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  int rc = prepare(st,
                   "INSERT INTO imports(file,path,sha256,size,rows,skipped,imported_at,"
                   "method_id,method_hash,year,weighted,n_vars) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
                   &q, err);
  if (rc) return rc;
  sqlite3_bind_text(q, 1, base_name(f->path), -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, f->path, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 3, f->sha256, -1, SQLITE_STATIC);
  sqlite3_bind_int64(q, 4, f->size);
  sqlite3_bind_int64(q, 5, (long long)f->data->n);
  sqlite3_bind_int64(q, 6, f->skipped);
  sqlite3_bind_text(q, 7, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 8, m->id, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 9, m->hash, -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 10, year);
  sqlite3_bind_int(q, 11, f->data->weight != NULL);
  sqlite3_bind_int64(q, 12, (long long)f->data->n_vars);
  rc = sqlite3_step(q) == SQLITE_DONE ? CHISO_OK : db_error(st, err, "cannot record the import");
  sqlite3_finalize(q);
  *id = sqlite3_last_insert_rowid(st->db);
  return rc;
}

static int import_one(store *st, const store_method *m, int year, const store_file *f,
                      int replace, store_outcome *outcome, long long *id, chiso_err *err) {
  long long same = find_import(st, year, f->sha256, 1);
  long long named = find_import(st, year, base_name(f->path), 0);
  if (same < 0 || named < 0) return db_error(st, err, "cannot read the imports");
  if (same > 0) {
    *outcome = STORE_SAME;
    *id = same;
    return CHISO_OK;
  }
  *outcome = STORE_ADDED;
  if (named > 0) {
    if (!replace) {
      chiso_err_at(err, CHISO_EDATA, f->path, 0, 0,
                   "a different file of this name was imported for %d (import %lld); "
                   "it is replaced only when that is asked for",
                   year, named);
      return chiso_err_hint(err, CHISO_HINT_REPLACE);
    }
    int rc = delete_import(st, named, err);
    if (rc) return rc;
    *outcome = STORE_REPLACED;
  }
  int rc = insert_import(st, m, year, f, id, err);
  if (!rc) rc = write_data(st, *id, f->data, err);
  return rc;
}

static void synthetic_key(long long id, char *key, size_t n) {
  snprintf(key, n, "synthetic.%lld", id);
}

/* The first write into a store this connection created (its first
** import) runs on a rollback journal instead of the WAL. Every page of
** the import is new, appended past the end of the file, and SQLite
** journals only the pages a transaction changes that existed before it
** (here the few of the schema): so each page is written once, into the
** store, instead of into the WAL and again at the checkpoint (for 1M
** respondents 140 MB twice, and the WAL's frame checksums: about a third
** of the time spent writing). All or nothing holds as with the WAL: a
** transaction killed midway leaves a hot journal, and the next opening of
** the store rolls it back (store_open_readonly too: roll_back). FULL sync
** in this mode, as safe against power loss as NORMAL in WAL mode.
** Another connection to the store makes the switch fail: the write then
** stays in the WAL, as before. bulk_off returns to WAL mode (when another
** connection has opened the store meanwhile and the switch cannot be made,
** its next writer's store_open does it). */
static void bulk_on(store *st) {
  st->bulk_tried = 1;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode=DELETE", -1, &q, NULL) != SQLITE_OK) return;
  const unsigned char *mode = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_text(q, 0) : NULL;
  st->bulk = mode && strcmp((const char *)mode, "delete") == 0;
  sqlite3_finalize(q);
  if (st->bulk) sqlite3_exec(st->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
}

static void bulk_off(store *st) {
  if (!st->bulk) return;
  st->bulk = 0;
  sqlite3_exec(st->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
}

int store_write_begin(store *st, chiso_err *err) {
  assert(st && sqlite3_get_autocommit(st->db));
  if (st->created && !st->bulk_tried) bulk_on(st);
  int rc = exec(st, "BEGIN IMMEDIATE", err);
  if (rc) bulk_off(st);
  return rc;
}

int store_write_commit(store *st, chiso_err *err) {
  int rc = exec(st, "COMMIT", err);
  if (rc) store_write_rollback(st);
  else bulk_off(st);
  return rc;
}

void store_write_rollback(store *st) {
  if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  bulk_off(st);
  st->has_crc = detect_crc(st); /* an ALTER TABLE of the transaction is undone too */
}

int store_in_write(const store *st) { return !sqlite3_get_autocommit(st->db); }

#ifdef SYNC_FILE_RANGE_WRITE
/* A descriptor this process already holds on `file` (SQLite's own), found
** by its device and inode among /proc/self/fd; -1 when there is none.
** Opening a descriptor of our own would not do: closing any descriptor of
** a file drops every POSIX lock the process holds on it (fcntl(2)), so
** the transaction's locks on the store would be gone and another process
** would take its rollback journal for a hot one and roll it back midway
** ("How To Corrupt An SQLite Database File", section 2.2). */
static int held_descriptor(const char *file) {
  struct stat want, have;
  if (stat(file, &want) != 0) return -1;
  DIR *d = opendir("/proc/self/fd");
  if (!d) return -1;
  int found = -1;
  for (struct dirent *e; found < 0 && (e = readdir(d));) {
    char *end = NULL;
    long fd = strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end || fd < 0 || fd == dirfd(d)) continue;
    if (fstat((int)fd, &have) == 0 && have.st_dev == want.st_dev && have.st_ino == want.st_ino)
      found = (int)fd;
  }
  closedir(d);
  return found;
}
#endif

void store_write_flush(store *st) {
  assert(st);
  if (!store_in_write(st) || sqlite3_db_cacheflush(st->db) != SQLITE_OK) return;
#ifdef SYNC_FILE_RANGE_WRITE
  /* the pages went to the store itself (bulk) or to its WAL: start the
  ** writeback of that file through SQLite's descriptor (never closed
  ** here) */
  char file[sizeof st->path + 8];
  snprintf(file, sizeof file, "%s%s", st->path, st->bulk ? "" : "-wal");
  int fd = held_descriptor(file);
  if (fd >= 0) (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

/* chiso-store-3 in the write transaction: the crc column on a store of
** an earlier schema (its old blocks keep a NULL crc). store-2 already
** meant compact variable blocks (store-1 readers would call them
** damaged). */
static int upgrade_schema(store *st, chiso_err *err) {
  int rc = CHISO_OK;
  if (!st->has_crc && !(rc = exec(st, "ALTER TABLE blocks ADD COLUMN crc INTEGER", err)))
    st->has_crc = 1;
  if (!rc) rc = exec(st, "UPDATE chiso_meta SET value='chiso-store-3' WHERE key='schema'", err);
  return rc;
}

int store_import(store *st, const store_method *m, int year, const store_file *files,
                 size_t n, int replace, store_outcome *outcomes, long long *ids,
                 chiso_err *err) {
  assert(st && m && (files || !n) && outcomes && ids);
  int own = !store_in_write(st), rc = CHISO_OK;
  if (own && (rc = store_write_begin(st, err))) return rc;
  rc = upgrade_schema(st, err);
  if (!rc) rc = insert_method(st, m, err);
  for (size_t i = 0; !rc && i < n; i++) {
    rc = import_one(st, m, year, &files[i], replace, &outcomes[i], &ids[i], err);
    char key[64];
    synthetic_key(ids[i], key, sizeof key);
    if (!rc && files[i].synthetic) rc = store_meta_set(st, key, "1", err);
  }
  if (own && !rc) rc = store_write_commit(st, err);
  else if (own) store_write_rollback(st);
  return rc;
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *q, int col) {
  const unsigned char *t = sqlite3_column_text(q, col);
  snprintf(dst, n, "%s", t ? (const char *)t : "");
}

int store_list(store *st, store_import_info **out, size_t *n, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  int rc = prepare(st,
                   "SELECT id,file,sha256,size,rows,skipped,year,imported_at,method_id,"
                   "method_hash FROM imports ORDER BY id",
                   &q, err);
  int r;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    store_import_info *x = &(*out)[(*n)++];
    x->id = sqlite3_column_int64(q, 0);
    copy_col(x->file, sizeof x->file, q, 1);
    copy_col(x->sha256, sizeof x->sha256, q, 2);
    x->size = sqlite3_column_int64(q, 3);
    x->rows = (long)sqlite3_column_int64(q, 4);
    x->skipped = (long)sqlite3_column_int64(q, 5);
    x->year = sqlite3_column_int(q, 6);
    copy_col(x->imported_at, sizeof x->imported_at, q, 7);
    copy_col(x->method_id, sizeof x->method_id, q, 8);
    copy_col(x->method_hash, sizeof x->method_hash, q, 9);
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot list imports");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int store_drop(store *st, long long id, chiso_err *err) {
  int rc = exec(st, "BEGIN IMMEDIATE", err);
  if (rc) return rc;
  sqlite3_stmt *q = NULL;
  rc = prepare(st, "SELECT 1 FROM imports WHERE id=?", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_ROW)
      rc = chiso_err_at(err, CHISO_ENOTFOUND, st->path, 0, 0, "no import %lld", id);
    sqlite3_finalize(q);
  }
  if (!rc) rc = delete_import(st, id, err);
  if (!rc) rc = exec(st, "COMMIT", err);
  if (rc) sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Loading a year                                                      */
/* ------------------------------------------------------------------ */

typedef struct year_plan {
  long long *ids;
  long *rows;
  size_t n_imports;
  size_t n_rows;
  int weighted;  /* 1 all, 0 none, -1 mixed */
  char *method_hash;
  int mixed_methods;
} year_plan;

static void plan_free(year_plan *p) {
  chiso_free(p->ids);
  chiso_free(p->rows);
  chiso_free(p->method_hash);
}

static int plan_year(store *st, int year, year_plan *p, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap1 = 0, cap2 = 0;
  memset(p, 0, sizeof *p);
  int rc = prepare(st, "SELECT id, rows, weighted, method_hash FROM imports WHERE year=? ORDER BY id",
                   &q, err);
  if (rc) return rc;
  sqlite3_bind_int(q, 1, year);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)&p->ids, &cap1, p->n_imports + 1, sizeof *p->ids) ||
        chiso_grow((void **)&p->rows, &cap2, p->n_imports + 1, sizeof *p->rows)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    p->ids[p->n_imports] = sqlite3_column_int64(q, 0);
    p->rows[p->n_imports] = (long)sqlite3_column_int64(q, 1);
    p->n_rows += (size_t)p->rows[p->n_imports];
    int wt = sqlite3_column_int(q, 2);
    p->weighted = p->n_imports == 0 ? wt : (p->weighted == wt ? wt : -1);
    const char *h = (const char *)sqlite3_column_text(q, 3);
    if (!p->method_hash) p->method_hash = chiso_strdup(h ? h : "");
    else if (strcmp(p->method_hash, h ? h : "") != 0) p->mixed_methods = 1;
    p->n_imports++;
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  if (rc) return rc;
  if (p->n_imports == 0)
    return chiso_err_at(err, CHISO_ENOTFOUND, st->path, 0, 0, "nothing imported for %d", year);
  if (p->mixed_methods)
    return chiso_err_at(err, CHISO_EDATA, st->path, 0, 0,
                        "the imports of %d use different methodologies", year);
  if (p->weighted < 0)
    return chiso_err_at(err, CHISO_EDATA, st->path, 0, 0,
                        "the imports of %d mix files with and without weights", year);
  return CHISO_OK;
}

/* Index of `name` in names[0..*n), appending it (copied) when new; -1 on ENOMEM. */
static long intern(char ***names, size_t *n, size_t *cap, const char *name) {
  for (size_t i = 0; i < *n; i++)
    if (strcmp((*names)[i], name) == 0) return (long)i;
  if (chiso_grow((void **)names, cap, *n + 1, sizeof **names)) return -1;
  char *c = chiso_strdup(name);
  if (!c) return -1;
  (*names)[*n] = c;
  return (long)(*n)++;
}

/* Map of one import's var / stratum indices to the merged ones. */
static int map_names(store *st, const char *sql, long long id, char ***names, size_t *n,
                     size_t *cap, long **map, size_t *n_map, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t mcap = 0;
  *n_map = 0;
  int rc = prepare(st, sql, &q, err);
  if (rc) return rc;
  sqlite3_bind_int64(q, 1, id);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    size_t idx = (size_t)sqlite3_column_int64(q, 0);
    const char *name = (const char *)sqlite3_column_text(q, 1);
    long m = intern(names, n, cap, name ? name : "");
    if (m < 0 || chiso_grow((void **)map, &mcap, idx + 1, sizeof **map)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    while (*n_map <= idx) (*map)[(*n_map)++] = -1;
    (*map)[idx] = m;
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  return rc;
}

typedef struct merged_names {
  char **vars, **strata;
  size_t n_vars, n_strata, cap_v, cap_s;
} merged_names;

static int collect_names(store *st, const year_plan *p, merged_names *mn, chiso_err *err) {
  int rc = CHISO_OK;
  for (size_t k = 0; !rc && k < p->n_imports; k++) {
    long *map = NULL;
    size_t nm;
    rc = map_names(st, "SELECT idx, name FROM import_vars WHERE import_id=? ORDER BY idx",
                   p->ids[k], &mn->vars, &mn->n_vars, &mn->cap_v, &map, &nm, err);
    chiso_free(map);
    map = NULL;
    if (!rc)
      rc = map_names(st, "SELECT idx, name FROM import_strata WHERE import_id=? ORDER BY idx",
                     p->ids[k], &mn->strata, &mn->n_strata, &mn->cap_s, &map, &nm, err);
    chiso_free(map);
  }
  return rc;
}

static char *dup_nth_string(const unsigned char *blob, size_t len, size_t *pos) {
  size_t a = *pos;
  while (*pos < len && blob[*pos]) (*pos)++;
  char *s = chiso_strndup((const char *)blob + a, *pos - a);
  (*pos)++;
  return s;
}

/* Decode one block into the merged survey at row offset `at`. */
static int decode_block(survey_data *s, int col, size_t at, size_t m, const unsigned char *b,
                        size_t len, const long *vmap, size_t n_vmap, const long *smap,
                        size_t n_smap) {
  if (col >= 0) {
    if ((size_t)col >= n_vmap || vmap[col] < 0) return CHISO_EIO;
    double *x = s->vars[vmap[col]].values + at;
    if (len == m) { /* the byte form */
      for (size_t i = 0; i < m; i++) x[i] = b[i] == BYTE_NA ? NAN : (double)b[i];
      return CHISO_OK;
    }
    if (len == 4 * m + 1) return get_scaled(x, b, m);
    if (len < m * 8) return CHISO_EIO;
    get_le64(x, b, m);
    return CHISO_OK;
  }
  size_t pos = 0;
  for (size_t i = 0; i < m; i++) {
    size_t r = at + i;
    switch (col) {
    case COL_PROVINCE: if (len < 2 * m) return CHISO_EIO; memcpy(s->province[r], b + 2 * i, 2); break;
    case COL_PROVINCE_OLD: if (len < 2 * m) return CHISO_EIO; memcpy(s->province_old[r], b + 2 * i, 2); break;
    case COL_STRATUM: {
      if (len < 4 * m) return CHISO_EIO;
      uint32_t v = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
                   (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
      if (v >= n_smap || smap[v] < 0) return CHISO_EIO;
      s->stratum[r] = (int)smap[v];
      break;
    }
    case COL_WEIGHT: if (len < 8 * m) return CHISO_EIO; get_le64(s->weight + r, b + 8 * i, 1); break;
    case COL_SOURCE_ROW: {
      if (len < 8 * m) return CHISO_EIO;
      int64_t v;
      get_le64(&v, b + 8 * i, 1);
      s->source_row[r] = (long)v;
      break;
    }
    case COL_RID: if (!(s->respondent_id[r] = dup_nth_string(b, len, &pos))) return CHISO_ENOMEM; break;
    case COL_SECTOR: if (!(s->sector[r] = dup_nth_string(b, len, &pos))) return CHISO_ENOMEM; break;
    default: return CHISO_EIO;
    }
  }
  return CHISO_OK;
}

/* The name of column `col` of import `id` for messages: a variable's name,
** or what a design column holds. */
static void column_name(store *st, long long id, int col, char *buf, size_t n) {
  static const char *const design[] = {"province", "former province", "stratum", "weight",
                                       "respondent id", "sector", "source row"};
  snprintf(buf, n, "%d", col);
  if (col < 0 && col >= -7) {
    snprintf(buf, n, "%s", design[-col - 1]);
    return;
  }
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(st->db, "SELECT name FROM import_vars WHERE import_id=? AND idx=?", -1,
                         &q, NULL) != SQLITE_OK)
    return;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, col);
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
    snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
}

/* The file name of import `id`, for messages ("" when unknown). */
static void import_file_name(store *st, long long id, char *buf, size_t n) {
  sqlite3_stmt *q = NULL;
  buf[0] = '\0';
  if (sqlite3_prepare_v2(st->db, "SELECT file FROM imports WHERE id=?", -1, &q, NULL) != SQLITE_OK)
    return;
  sqlite3_bind_int64(q, 1, id);
  if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
    snprintf(buf, n, "%s", (const char *)sqlite3_column_text(q, 0));
  sqlite3_finalize(q);
}

/* A damaged block of import `id`: named by import, column and chunk. */
static int damaged_block(store *st, long long id, int col, long long chunk, const char *what,
                         chiso_err *err) {
  char name[256], file[256];
  column_name(st, id, col, name, sizeof name);
  import_file_name(st, id, file, sizeof file);
  chiso_err_at(err, CHISO_EDATA, st->path, 0, 0,
               "import %lld (%s), column %s, chunk %lld: %s: the store is damaged", id,
               file[0] ? file : "?", name, chunk, what);
  return chiso_err_hint(err, CHISO_HINT_VERIFY);
}

/* The columns of `blocks` that block_ok reads (from column 0 of a
** statement): place, bytes and CRC, which stores made before chiso-store-3
** do not have (NULL). */
static const char *block_select(const store *st) {
  return st->has_crc ? "col, chunk, nrows, data, crc" : "col, chunk, nrows, data, NULL";
}

/* Check the block in the current row of q (block_select's columns) against
** its CRC. Returns 0 (also for a block stored without one), or CHISO_EDATA
** naming import, column and chunk. */
static int block_ok(store *st, sqlite3_stmt *q, long long id, chiso_err *err) {
  if (sqlite3_column_type(q, 4) == SQLITE_NULL) return CHISO_OK;
  int col = sqlite3_column_int(q, 0);
  long long chunk = sqlite3_column_int64(q, 1), nrows = sqlite3_column_int64(q, 2);
  const void *b = sqlite3_column_blob(q, 3);
  size_t len = (size_t)sqlite3_column_bytes(q, 3);
  uint32_t want = (uint32_t)sqlite3_column_int64(q, 4);
  if (store_block_crc(col, chunk, nrows, b, len) == want &&
      sqlite3_column_int64(q, 4) == (long long)want)
    return CHISO_OK;
  return damaged_block(st, id, col, chunk, "the block does not match its checksum", err);
}

static int load_import(store *st, long long id, size_t at, survey_data *s, merged_names *mn,
                       chiso_err *err) {
  long *vmap = NULL, *smap = NULL;
  size_t nv = 0, ns = 0;
  sqlite3_stmt *q = NULL;
  int rc = map_names(st, "SELECT idx, name FROM import_vars WHERE import_id=? ORDER BY idx", id,
                     &mn->vars, &mn->n_vars, &mn->cap_v, &vmap, &nv, err);
  if (!rc)
    rc = map_names(st, "SELECT idx, name FROM import_strata WHERE import_id=? ORDER BY idx", id,
                   &mn->strata, &mn->n_strata, &mn->cap_s, &smap, &ns, err);
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT %s FROM blocks WHERE import_id=?", block_select(st));
  if (!rc) rc = prepare(st, sql, &q, err);
  if (!rc) sqlite3_bind_int64(q, 1, id);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    int col = sqlite3_column_int(q, 0);
    long long chunk = sqlite3_column_int64(q, 1), nrows = sqlite3_column_int64(q, 2);
    const unsigned char *b = sqlite3_column_blob(q, 3);
    size_t len = (size_t)sqlite3_column_bytes(q, 3);
    st->blocks_read++;
    if ((rc = block_ok(st, q, id, err))) break;
    if (chunk < 0 || nrows < 0 || nrows > STORE_CHUNK_ROWS ||
        (size_t)chunk > (s->n - at) / STORE_CHUNK_ROWS ||
        at + (size_t)chunk * STORE_CHUNK_ROWS + (size_t)nrows > s->n)
      rc = CHISO_EIO;
    else
      rc = decode_block(s, col, at + (size_t)chunk * STORE_CHUNK_ROWS, (size_t)nrows, b, len,
                        vmap, nv, smap, ns);
    if (rc == CHISO_EIO) rc = damaged_block(st, id, col, chunk, "the block does not fit", err);
    if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory");
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  chiso_free(vmap);
  chiso_free(smap);
  return rc;
}

static int has_sector(store *st, const year_plan *p) {
  sqlite3_stmt *q = NULL;
  int found = 0;
  if (sqlite3_prepare_v2(st->db, "SELECT 1 FROM blocks WHERE import_id=? AND col=? LIMIT 1", -1,
                         &q, NULL) != SQLITE_OK)
    return 0;
  for (size_t k = 0; k < p->n_imports && !found; k++) {
    sqlite3_reset(q);
    sqlite3_bind_int64(q, 1, p->ids[k]);
    sqlite3_bind_int(q, 2, COL_SECTOR);
    found = sqlite3_step(q) == SQLITE_ROW;
  }
  sqlite3_finalize(q);
  return found;
}

/* The text column of the one row `sql` (with one ? bound to `key`)
** selects: *out a new string, NULL when no row. Returns CHISO_EIO or
** CHISO_ENOMEM. */
static int select_text(store *st, const char *sql, const char *key, char **out,
                       chiso_err *err) {
  sqlite3_stmt *q = NULL;
  *out = NULL;
  int rc = prepare(st, sql, &q, err);
  if (rc) return rc;
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step(q) == SQLITE_ROW) {
    const char *v = (const char *)sqlite3_column_text(q, 0);
    *out = chiso_strdup(v ? v : "");
    if (!*out) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  sqlite3_finalize(q);
  return rc;
}

static int method_json(store *st, const char *hash, char **out, chiso_err *err) {
  int rc = select_text(st, "SELECT json FROM methods WHERE hash=?", hash, out, err);
  if (!rc && !*out)
    rc = chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "the methodology %s is missing", hash);
  return rc;
}

static int alloc_merged(survey_data **out, const year_plan *p, merged_names *mn, int sector) {
  survey_data *s = survey_new(p->n_rows, mn->n_vars);
  if (!s) return CHISO_ENOMEM;
  *out = s;
  for (size_t v = 0; v < mn->n_vars; v++)
    if (!(s->vars[v].id = chiso_strdup(mn->vars[v]))) return CHISO_ENOMEM;
  if (p->weighted == 1 && !(s->weight = chiso_calloc(p->n_rows ? p->n_rows : 1, sizeof(double))))
    return CHISO_ENOMEM;
  if (sector && !(s->sector = chiso_calloc(p->n_rows ? p->n_rows : 1, sizeof(char *))))
    return CHISO_ENOMEM;
  return CHISO_OK;
}

int store_load_year(store *st, int year, survey_data **out, char **method_out,
                    chiso_err *err) {
  assert(st && out && method_out);
  year_plan p;
  merged_names mn = {0};
  survey_data *s = NULL;
  *out = NULL;
  *method_out = NULL;
  /* one read transaction, unless one is open (store_open_snapshot) */
  int own = sqlite3_get_autocommit(st->db);
  int rc = own ? exec(st, "BEGIN", err) : CHISO_OK;
  if (rc) return rc;
  rc = plan_year(st, year, &p, err);
  if (!rc) rc = collect_names(st, &p, &mn, err);
  if (!rc && alloc_merged(&s, &p, &mn, has_sector(st, &p)))
    rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  size_t at = 0;
  for (size_t k = 0; !rc && k < p.n_imports; k++) {
    rc = load_import(st, p.ids[k], at, s, &mn, err);
    at += (size_t)p.rows[k];
  }
  if (!rc) rc = method_json(st, p.method_hash, method_out, err);
  if (own) sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
  if (!rc) {
    s->year = year;
    s->stratum_names = mn.strata;
    s->n_strata = mn.n_strata;
    mn.strata = NULL;
    mn.n_strata = 0;
    *out = s;
    s = NULL;
  }
  for (size_t i = 0; i < mn.n_vars; i++) chiso_free(mn.vars[i]);
  for (size_t i = 0; i < mn.n_strata; i++) chiso_free(mn.strata[i]);
  chiso_free(mn.vars);
  chiso_free(mn.strata);
  survey_free(s);
  plan_free(&p);
  return rc;
}

int store_year_method(store *st, int year, char **json_out, chiso_err *err) {
  year_plan p;
  *json_out = NULL;
  int rc = plan_year(st, year, &p, err);
  if (rc == CHISO_EDATA && !p.mixed_methods) { /* a weighting mix is store_load_year's concern */
    chiso_err_clear(err);
    rc = CHISO_OK;
  }
  if (!rc) rc = method_json(st, p.method_hash, json_out, err);
  plan_free(&p);
  return rc;
}

/* ------------------------------------------------------------------ */
/* External indicators                                                 */
/* ------------------------------------------------------------------ */

int store_put_indicators(store *st, int year, const store_indicator *rows, size_t n,
                         chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int own = !store_in_write(st); /* else the caller's transaction */
  int rc = own ? store_write_begin(st, err) : CHISO_OK;
  if (rc) return rc;
  rc = prepare(st, "INSERT OR REPLACE INTO indicators VALUES(?,?,?,?,?)", &q, err);
  for (size_t i = 0; !rc && i < n; i++) {
    sqlite3_reset(q);
    sqlite3_bind_int(q, 1, year);
    sqlite3_bind_text(q, 2, rows[i].code, 2, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, rows[i].indicator, -1, SQLITE_STATIC);
    if (isnan(rows[i].value)) sqlite3_bind_null(q, 4);
    else sqlite3_bind_double(q, 4, rows[i].value);
    if (rows[i].source) sqlite3_bind_text(q, 5, rows[i].source, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 5);
    if (sqlite3_step(q) != SQLITE_DONE) rc = db_error(st, err, "cannot store an indicator");
  }
  sqlite3_finalize(q);
  if (own && !rc) rc = store_write_commit(st, err);
  else if (own) store_write_rollback(st);
  return rc;
}

int store_get_indicators(store *st, int year, store_indicator **out, size_t *n,
                         chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  int rc = prepare(st,
                   "SELECT code, indicator, value, source FROM indicators WHERE year=?"
                   " ORDER BY indicator, code",
                   &q, err);
  if (!rc) sqlite3_bind_int(q, 1, year);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    store_indicator *x = &(*out)[*n];
    memset(x, 0, sizeof *x);
    copy_col(x->code, sizeof x->code, q, 0);
    x->value = sqlite3_column_type(q, 2) == SQLITE_NULL ? NAN : sqlite3_column_double(q, 2);
    const char *ind = (const char *)sqlite3_column_text(q, 1);
    const char *src = (const char *)sqlite3_column_text(q, 3);
    x->indicator = chiso_strdup(ind ? ind : "");
    x->source = src ? chiso_strdup(src) : NULL;
    (*n)++;
    if (!x->indicator || (src && !x->source)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  if (rc) {
    store_indicators_free(*out, *n);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

void store_indicators_free(store_indicator *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++) {
    chiso_free((void *)rows[i].indicator);
    chiso_free((void *)rows[i].source);
  }
  chiso_free(rows);
}

int store_years(store *st, int **years, size_t *n, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *years = NULL;
  *n = 0;
  int rc = prepare(st,
                   "SELECT year FROM imports UNION SELECT year FROM indicators ORDER BY 1", &q,
                   err);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)years, &cap, *n + 1, sizeof **years)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    (*years)[(*n)++] = sqlite3_column_int(q, 0);
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*years);
    *years = NULL;
    *n = 0;
  }
  return rc;
}

/* ------------------------------------------------------------------ */
/* Methodologies and key/value notes                                  */
/* ------------------------------------------------------------------ */

int store_method_json(store *st, const char *hash, char **out, chiso_err *err) {
  *out = NULL;
  return method_json(st, hash, out, err);
}

int store_meta_set(store *st, const char *key, const char *value, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = prepare(st, "INSERT OR REPLACE INTO chiso_meta VALUES(?,?)", &q, err);
  if (rc) return rc;
  sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step(q) != SQLITE_DONE) rc = db_error(st, err, "cannot store a note");
  sqlite3_finalize(q);
  return rc;
}

int store_meta_get(store *st, const char *key, char **out, chiso_err *err) {
  return select_text(st, "SELECT value FROM chiso_meta WHERE key=?", key, out, err);
}


int store_is_synthetic(store *st, long long import_id, int *out, chiso_err *err) {
  char key[64], *v = NULL;
  synthetic_key(import_id, key, sizeof key);
  int rc = store_meta_get(st, key, &v, err);
  *out = !rc && v && strcmp(v, "1") == 0;
  chiso_free(v);
  return rc;
}

int store_year_synthetic(store *st, int year, int *out, chiso_err *err) {
  store_import_info *imp = NULL;
  size_t n = 0;
  *out = 0;
  int rc = store_list(st, &imp, &n, err);
  for (size_t i = 0; !rc && i < n && !*out; i++)
    if (year == 0 || imp[i].year == year) rc = store_is_synthetic(st, imp[i].id, out, err);
  if (rc) *out = 0;
  chiso_free(imp);
  return rc;
}

/* ------------------------------------------------------------------ */
/* Respondent ids of a year                                            */
/* ------------------------------------------------------------------ */

typedef struct idset_src {
  char *file;          /* base name */
  long long import_id; /* 0: read in this run */
} idset_src;

/* Ids by hashmap_hash; entry k is id key[k] of source src[k] (an id may
** appear under several sources). The id texts live in owned blocks (a
** copy of each COL_RID blob). */
struct store_idset {
  hashmap map;
  const char **key;
  uint32_t *src;
  size_t n, cap;
  idset_src *srcs;
  size_t n_srcs, cap_srcs;
  char **blocks;
  size_t n_blocks, cap_blocks;
};

static int idset_put(store_idset *s, const char *key, uint32_t src) {
  if (s->n > HASHMAP_MAX_VALUE) return CHISO_ENOMEM;
  if (hashmap_add(&s->map, hashmap_hash(key), (uint32_t)s->n)) return CHISO_ENOMEM;
  s->key[s->n] = key;
  s->src[s->n++] = src;
  return CHISO_OK;
}

static int idset_reserve(store_idset *s, size_t more) {
  size_t cap = s->cap;
  if (chiso_grow((void **)&s->key, &cap, s->n + more, sizeof *s->key)) return CHISO_ENOMEM;
  cap = s->cap;
  if (chiso_grow((void **)&s->src, &cap, s->n + more, sizeof *s->src)) return CHISO_ENOMEM;
  s->cap = cap;
  return CHISO_OK;
}

static int idset_source(store_idset *s, const char *file, long long id) {
  if (chiso_grow((void **)&s->srcs, &s->cap_srcs, s->n_srcs + 1, sizeof *s->srcs))
    return CHISO_ENOMEM;
  if (!(s->srcs[s->n_srcs].file = chiso_strdup(base_name(file)))) return CHISO_ENOMEM;
  s->srcs[s->n_srcs++].import_id = id;
  return CHISO_OK;
}

/* Take ownership of a block of `count` NUL-terminated ids (len bytes) and
** index them under the last source. */
static int idset_block(store_idset *s, char *block, size_t len, size_t count) {
  if (chiso_grow((void **)&s->blocks, &s->cap_blocks, s->n_blocks + 1, sizeof *s->blocks)) {
    chiso_free(block);
    return CHISO_ENOMEM;
  }
  s->blocks[s->n_blocks++] = block;
  if (idset_reserve(s, count)) return CHISO_ENOMEM;
  uint32_t src = (uint32_t)(s->n_srcs - 1);
  for (size_t pos = 0; pos < len && count; count--) {
    const char *k = block + pos;
    if (idset_put(s, k, src)) return CHISO_ENOMEM;
    pos += strlen(k) + 1;
  }
  return CHISO_OK;
}

/* The COL_RID blocks of import `id`, indexed under a new source. */
static int idset_load_import(store *st, store_idset *s, long long id, const char *file,
                             chiso_err *err) {
  sqlite3_stmt *q = NULL;
  char sql[160];
  snprintf(sql, sizeof sql, "SELECT %s FROM blocks WHERE import_id=? AND col=? ORDER BY chunk",
           block_select(st));
  int rc = idset_source(s, file, id) ? chiso_err_set(err, CHISO_ENOMEM, "out of memory")
                                     : prepare(st, sql, &q, err);
  if (rc) return rc;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, COL_RID);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    long long nrows = sqlite3_column_int64(q, 2);
    size_t m = nrows > 0 && nrows <= STORE_CHUNK_ROWS ? (size_t)nrows : 0;
    const void *b = sqlite3_column_blob(q, 3);
    size_t len = (size_t)sqlite3_column_bytes(q, 3);
    st->blocks_read++;
    if ((rc = block_ok(st, q, id, err))) break;
    char *copy = chiso_malloc(len + 1);
    if (!copy) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    else {
      if (len) memcpy(copy, b, len);
      copy[len] = '\0'; /* a damaged blob still ends */
      if (idset_block(s, copy, len, m)) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    }
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  return rc;
}

int store_idset_load(store *st, int year, long long after, store_idset **out, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  store_idset *s = chiso_calloc(1, sizeof *s);
  *out = NULL;
  int rc = s ? CHISO_OK : chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  if (!rc && st)
    rc = prepare(st, "SELECT id, file FROM imports WHERE year=? AND id>? ORDER BY id", &q, err);
  if (q) sqlite3_bind_int(q, 1, year), sqlite3_bind_int64(q, 2, after);
  int r = SQLITE_DONE;
  while (!rc && q && (r = sqlite3_step(q)) == SQLITE_ROW) {
    const char *f = (const char *)sqlite3_column_text(q, 1);
    rc = idset_load_import(st, s, sqlite3_column_int64(q, 0), f ? f : "", err);
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  if (rc) store_idset_free(s);
  else *out = s;
  return rc;
}

int store_idset_add(store_idset *s, const survey_data *d, const char *file) {
  size_t len = 0;
  for (size_t i = 0; i < d->n; i++) len += strlen(d->respondent_id[i] ? d->respondent_id[i] : "") + 1;
  char *block = chiso_malloc(len + 1);
  if (!block || idset_source(s, file, 0)) {
    chiso_free(block);
    return CHISO_ENOMEM;
  }
  size_t pos = 0;
  for (size_t i = 0; i < d->n; i++) {
    const char *x = d->respondent_id[i] ? d->respondent_id[i] : "";
    size_t n = strlen(x) + 1;
    memcpy(block + pos, x, n);
    pos += n;
  }
  block[len] = '\0';
  return idset_block(s, block, len, d->n);
}

int store_idset_find(const store_idset *s, const char *id, const char *self, const char **file,
                     long long *import_id) {
  if (!s || !s->n) return 0;
  uint64_t h = hashmap_hash(id);
  const char *me = self ? base_name(self) : "";
  size_t pos = hashmap_start(&s->map, h);
  uint32_t k;
  while (hashmap_next(&s->map, h, &pos, &k)) {
    if (strcmp(s->key[k], id) != 0) continue;
    const idset_src *src = &s->srcs[s->src[k]];
    if (strcmp(src->file, me) == 0) continue;
    *file = src->file;
    *import_id = src->import_id;
    return 1;
  }
  return 0;
}

void store_idset_free(store_idset *s) {
  if (!s) return;
  for (size_t i = 0; i < s->n_srcs; i++) chiso_free(s->srcs[i].file);
  for (size_t i = 0; i < s->n_blocks; i++) chiso_free(s->blocks[i]);
  chiso_free(s->srcs), chiso_free(s->blocks);
  hashmap_clear(&s->map);
  chiso_free(s->key), chiso_free(s->src);
  chiso_free(s);
}

unsigned long long store_blocks_read(const store *st) { return st->blocks_read; }

struct sqlite3 *store_sqlite(store *st) {
  assert(st);
  return st->db;
}

long long store_find_named(store *st, int year, const char *name) {
  assert(st && name);
  return find_import(st, year, base_name(name), 0);
}

int store_import_units(store *st, long long id, char (**out)[3], size_t *n, chiso_err *err) {
  assert(st && out && n);
  sqlite3_stmt *q = NULL;
  unsigned char seen[100] = {0};
  *out = NULL;
  *n = 0;
  int rc = prepare(st, "SELECT data FROM blocks WHERE import_id=? AND col=?", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, id);
    sqlite3_bind_int(q, 2, COL_PROVINCE);
  }
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    const unsigned char *b = sqlite3_column_blob(q, 0);
    size_t len = (size_t)sqlite3_column_bytes(q, 0);
    for (size_t i = 0; b && i + 1 < len; i += 2) {
      if (b[i] < '0' || b[i] > '9' || b[i + 1] < '0' || b[i + 1] > '9') {
        rc = chiso_err_at(err, CHISO_EIO, st->path, 0, 0, "import %lld: a damaged unit block", id);
        break;
      }
      seen[(b[i] - '0') * 10 + (b[i + 1] - '0')] = 1;
    }
  }
  if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = db_error(st, err, "cannot read the units");
  sqlite3_finalize(q);
  size_t k = 0;
  for (int c = 0; c < 100; c++) k += seen[c];
  if (!rc && k && !(*out = chiso_calloc(k, sizeof **out))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  for (int c = 0; !rc && c < 100; c++)
    if (seen[c]) {
      char *code = (*out)[(*n)++];
      code[0] = (char)('0' + c / 10), code[1] = (char)('0' + c % 10), code[2] = '\0';
    }
  return rc;
}

/* ------------------------------------------------------------------ */
/* Verification of a whole store                                       */
/* ------------------------------------------------------------------ */

/* Does a block of `len` bytes hold m rows of column col (n_vars
** variables)? The shapes decode_block reads. */
static int block_shape_ok(int col, size_t n_vars, size_t m, const unsigned char *b, size_t len) {
  if (col >= 0) return (size_t)col < n_vars && (len == m || len == 4 * m + 1 || len == 8 * m);
  switch (col) {
  case COL_PROVINCE:
  case COL_PROVINCE_OLD: return len == 2 * m;
  case COL_STRATUM: return len == 4 * m;
  case COL_WEIGHT:
  case COL_SOURCE_ROW: return len == 8 * m;
  case COL_RID:
  case COL_SECTOR: {
    size_t nul = 0;
    for (size_t i = 0; i < len; i++) nul += b[i] == 0;
    return nul == m && (len == 0 || b[len - 1] == 0);
  }
  default: return 0;
  }
}

/* Every block of import x->id: checksum, shape, and rows per column. */
static int verify_import(store *st, store_verify_import *x, long long rows, size_t n_vars,
                         chiso_err *err) {
  sqlite3_stmt *q = NULL;
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT %s FROM blocks WHERE import_id=? ORDER BY col, chunk",
           block_select(st));
  int rc = prepare(st, sql, &q, err);
  if (rc) return rc;
  sqlite3_bind_int64(q, 1, x->id);
  int r, have = 0, col = 0;
  long long covered = 0;
  chiso_err e;
  while ((r = sqlite3_step(q)) == SQLITE_ROW) {
    int c = sqlite3_column_int(q, 0);
    long long chunk = sqlite3_column_int64(q, 1), nrows = sqlite3_column_int64(q, 2);
    const unsigned char *b = sqlite3_column_blob(q, 3);
    size_t len = (size_t)sqlite3_column_bytes(q, 3);
    if (have && c != col && covered != rows && !x->first[0]) {
      damaged_block(st, x->id, col, 0, "the column's blocks do not hold the import's rows", &e);
      snprintf(x->first, sizeof x->first, "%s", e.message);
      x->damaged++;
    }
    if (!have || c != col) covered = 0;
    have = 1, col = c;
    x->blocks++;
    chiso_err_clear(&e);
    if (sqlite3_column_type(q, 4) == SQLITE_NULL) x->unchecked++;
    if (block_ok(st, q, x->id, &e) == CHISO_OK &&
        (nrows < 0 || nrows > STORE_CHUNK_ROWS || chunk < 0 ||
         !block_shape_ok(c, n_vars, (size_t)nrows, b, len)))
      damaged_block(st, x->id, c, chunk, "the block does not fit its column", &e);
    if (e.code) {
      x->damaged++;
      if (!x->first[0]) snprintf(x->first, sizeof x->first, "%s", e.message);
    }
    covered += nrows > 0 ? nrows : 0;
  }
  if (have && covered != rows && !x->first[0]) {
    damaged_block(st, x->id, col, 0, "the column's blocks do not hold the import's rows", &e);
    snprintf(x->first, sizeof x->first, "%s", e.message);
    x->damaged++;
  }
  if (r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  return rc;
}

/* The estimation statistics of import x->id, when kept: their checksum. */
static int verify_stats(store *st, store_verify_import *x, chiso_err *err) {
  unsigned char *data = NULL;
  size_t len = 0;
  chiso_err e;
  chiso_err_clear(&e);
  int rc = store_stats_get(st, x->id, &data, &len, &e);
  chiso_free(data);
  if (rc == CHISO_EDATA) {
    x->damaged++;
    if (!x->first[0]) snprintf(x->first, sizeof x->first, "%s", e.message);
  } else if (rc != CHISO_OK && rc != CHISO_ENOTFOUND) {
    if (err) *err = e;
    return rc;
  }
  return CHISO_OK;
}

static int integrity(store *st, char *out, size_t n, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = prepare(st, "PRAGMA integrity_check", &q, err);
  if (rc) return rc;
  int r = sqlite3_step(q);
  if (r == SQLITE_ROW && sqlite3_column_text(q, 0))
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(q, 0));
  else
    rc = db_error(st, err, "cannot check the store");
  sqlite3_finalize(q);
  return rc;
}

int store_verify(store *st, store_verify_result *out, chiso_err *err) {
  assert(st && out);
  memset(out, 0, sizeof *out);
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  int rc = integrity(st, out->integrity, sizeof out->integrity, err);
  if (!rc && strcmp(out->integrity, "ok") != 0) out->damaged++;
  if (!rc)
    rc = prepare(st, "SELECT id, year, file, rows, n_vars FROM imports ORDER BY id", &q, err);
  int r = SQLITE_DONE;
  while (!rc && (r = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)&out->imports, &cap, out->n + 1, sizeof *out->imports)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    store_verify_import *x = &out->imports[out->n++];
    memset(x, 0, sizeof *x);
    x->id = sqlite3_column_int64(q, 0);
    x->year = sqlite3_column_int(q, 1);
    copy_col(x->file, sizeof x->file, q, 2);
    long long n_vars = sqlite3_column_int64(q, 4);
    rc = verify_import(st, x, sqlite3_column_int64(q, 3), n_vars > 0 ? (size_t)n_vars : 0, err);
    if (!rc) rc = verify_stats(st, x, err);
    out->damaged += x->damaged;
    out->unchecked += x->unchecked;
    out->blocks += x->blocks;
  }
  if (!rc && r != SQLITE_DONE) rc = db_error(st, err, "cannot read the store");
  sqlite3_finalize(q);
  if (rc) store_verify_clear(out);
  return rc;
}

void store_verify_clear(store_verify_result *r) {
  if (!r) return;
  chiso_free(r->imports);
  memset(r, 0, sizeof *r);
}

long long store_last_import_id(store *st) {
  sqlite3_stmt *q = NULL;
  long long id = -1;
  if (sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM imports", -1, &q, NULL) ==
          SQLITE_OK &&
      sqlite3_step(q) == SQLITE_ROW)
    id = sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  return id;
}

/* ------------------------------------------------------------------ */
/* Estimation statistics of an import (issue 18)                       */
/* ------------------------------------------------------------------ */


/* The checksum of a statistics block: store_block_crc with a column
** number no column block has. */
enum { STATS_CRC_COL = -1000 };

int store_stats_put(store *st, long long import_id, const void *data, size_t len,
                    chiso_err *err) {
  assert(st && data);
  sqlite3_stmt *q = NULL;
  int rc = exec(st, stats_table, err);
  if (!rc) rc = prepare(st, "INSERT OR REPLACE INTO import_stats VALUES(?,?,?)", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, import_id);
    sqlite3_bind_blob64(q, 2, data, (sqlite3_uint64)len, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, store_block_crc(STATS_CRC_COL, import_id, 0, data, len));
    if (sqlite3_step(q) != SQLITE_DONE) rc = db_error(st, err, "cannot store the statistics");
  }
  sqlite3_finalize(q);
  return rc;
}

int store_stats_get(store *st, long long import_id, unsigned char **data, size_t *len,
                    chiso_err *err) {
  assert(st && data && len);
  sqlite3_stmt *q = NULL;
  *data = NULL;
  *len = 0;
  if (sqlite3_prepare_v2(st->db, "SELECT data, crc FROM import_stats WHERE import_id=?", -1, &q,
                         NULL) != SQLITE_OK)
    return chiso_err_set(err, CHISO_ENOTFOUND, "no statistics stored"); /* no table */
  sqlite3_bind_int64(q, 1, import_id);
  int r = sqlite3_step(q), rc = CHISO_OK;
  if (r == SQLITE_ROW) {
    size_t n = (size_t)sqlite3_column_bytes(q, 0);
    const void *b = sqlite3_column_blob(q, 0);
    if ((uint32_t)sqlite3_column_int64(q, 1) != store_block_crc(STATS_CRC_COL, import_id, 0, b, n))
      rc = chiso_err_at(err, CHISO_EDATA, "store", 0, 0,
                        "import %lld: its estimation statistics are damaged (the checksum does "
                        "not match)", import_id);
    else if (!(*data = chiso_malloc(n ? n : 1))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    else if (n) memcpy(*data, b, n);
    *len = rc ? 0 : n;
  } else if (r == SQLITE_DONE) {
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "no statistics stored for import %lld", import_id);
  } else {
    rc = db_error(st, err, "cannot read the statistics");
  }
  sqlite3_finalize(q);
  return rc;
}

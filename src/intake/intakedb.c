/* intakedb.c — the store opened for the online intake (intakedb.h). */
#include "intake/intakedb.h"

#include "base/mem.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct intakedb {
  store *st;
  sqlite3 *db;
  int ready;        /* the tables are known to exist */
  char path[4096];
};

/* The intake's tables (docs/intake.md, "Tables"). Credentials are stored
** as their SHA-256 only (tokens, sessions, invitation codes) or as an
** Argon2id string (passwords). */
static const char tables[] =
    "CREATE TABLE IF NOT EXISTS intake_users(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " name TEXT UNIQUE NOT NULL, role TEXT NOT NULL, scope_year INTEGER NOT NULL DEFAULT 0,"
    " scope TEXT NOT NULL DEFAULT '', pwhash TEXT, disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS intake_tokens(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " user_id INTEGER NOT NULL, hash TEXT UNIQUE NOT NULL, label TEXT NOT NULL,"
    " created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,"
    " expires INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS intake_sessions(hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL,"
    " created_at TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS intake_invitations(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " hash TEXT UNIQUE NOT NULL, prefix TEXT NOT NULL, year INTEGER NOT NULL, unit TEXT NOT NULL,"
    " kind TEXT NOT NULL, respondent TEXT, stratum TEXT, created_by TEXT NOT NULL,"
    " created_at TEXT NOT NULL, used_at TEXT);"
    "CREATE UNIQUE INDEX IF NOT EXISTS intake_invitations_respondent"
    " ON intake_invitations(year, respondent) WHERE respondent IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS intake_responses(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " year INTEGER NOT NULL, unit TEXT NOT NULL, invitation_id INTEGER NOT NULL,"
    " respondent TEXT NOT NULL, stratum TEXT NOT NULL, answers TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, received_at TEXT NOT NULL, published_import INTEGER,"
    " UNIQUE(year, respondent));"
    "CREATE INDEX IF NOT EXISTS intake_responses_unit ON intake_responses(year, unit);"
    "CREATE TABLE IF NOT EXISTS intake_quotas(year INTEGER NOT NULL, unit TEXT NOT NULL,"
    " stratum TEXT NOT NULL, quota INTEGER NOT NULL, population REAL,"
    " PRIMARY KEY(year, unit, stratum));"
    "CREATE TABLE IF NOT EXISTS intake_provenance(import_id INTEGER PRIMARY KEY,"
    " via TEXT NOT NULL, account TEXT NOT NULL, address TEXT, at TEXT NOT NULL,"
    " detail TEXT);"
    "CREATE TABLE IF NOT EXISTS intake_audit(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " at TEXT NOT NULL, actor TEXT NOT NULL, via TEXT NOT NULL, address TEXT NOT NULL,"
    " action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, chain TEXT NOT NULL);"
    "INSERT OR IGNORE INTO chiso_meta VALUES('intake', 'intake-1');";

int intakedb_fail(sqlite3 *db, chiso_err *err, const char *what) {
  int code = sqlite3_extended_errcode(db) & 0xff;
  if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
    return chiso_err_set(err, CHISO_EIO, "%s: the store is busy (another write took too long)", what);
  return chiso_err_set(err, CHISO_EIO, "%s: %s", what, sqlite3_errmsg(db));
}

int intakedb_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **q, chiso_err *err) {
  *q = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, q, NULL) == SQLITE_OK) return CHISO_OK;
  return intakedb_fail(db, err, "cannot read the intake tables");
}

void intakedb_bind_text(sqlite3_stmt *q, int i, const char *s) {
  if (s) sqlite3_bind_text(q, i, s, -1, SQLITE_TRANSIENT);
  else sqlite3_bind_null(q, i);
}

void intakedb_column(sqlite3_stmt *q, int col, char *dst, size_t n) {
  const unsigned char *t = sqlite3_column_text(q, col);
  snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static int exec(sqlite3 *db, const char *sql, chiso_err *err, const char *what) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK) return CHISO_OK;
  return intakedb_fail(db, err, what);
}

/* A store made before tokens could expire: its intake_tokens gets the
** column (0: never), in one statement of its own. */
static int token_expiry_column(sqlite3 *db, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int has_table = 0, has_column = 0;
  if (sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('intake_tokens')", -1, &q, NULL) != SQLITE_OK)
    return intakedb_fail(db, err, "cannot read the intake tables");
  while (sqlite3_step(q) == SQLITE_ROW) {
    const unsigned char *name = sqlite3_column_text(q, 0);
    has_table = 1;
    has_column |= name && strcmp((const char *)name, "expires") == 0;
  }
  sqlite3_finalize(q);
  if (!has_table || has_column) return CHISO_OK;
  return exec(db, "ALTER TABLE intake_tokens ADD COLUMN expires INTEGER NOT NULL DEFAULT 0", err,
              "cannot add the tokens' expiry to the intake tables");
}

int intakedb_open(const char *path, int create, intakedb **out, chiso_err *err) {
  assert(path && out);
  *out = NULL;
  intakedb *d = chiso_calloc(1, sizeof *d);
  if (!d) return chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  snprintf(d->path, sizeof d->path, "%s", path);
  int rc = store_open(path, create, &d->st, err);
  if (!rc) {
    d->db = store_sqlite(d->st);
    sqlite3_busy_timeout(d->db, 30000);
    rc = exec(d->db, "PRAGMA synchronous=FULL", err, "cannot open the store for the intake");
  }
  if (!rc) rc = token_expiry_column(d->db, err);
  if (rc) {
    intakedb_close(d);
    return rc;
  }
  *out = d;
  return CHISO_OK;
}

void intakedb_close(intakedb *d) {
  if (!d) return;
  store_close(d->st);
  chiso_free(d);
}

sqlite3 *intakedb_sql(intakedb *d) { return d->db; }
store *intakedb_store(intakedb *d) { return d->st; }
const char *intakedb_path(const intakedb *d) { return d->path; }

int intakedb_tables(sqlite3 *db, chiso_err *err) {
  return exec(db, tables, err, "cannot create the intake tables");
}

int intakedb_ready(intakedb *d) {
  if (d->ready) return 1;
  sqlite3_stmt *q = NULL;
  if (sqlite3_prepare_v2(d->db, "SELECT count(*) FROM sqlite_master WHERE name='intake_audit'", -1,
                         &q, NULL) != SQLITE_OK)
    return 0;
  d->ready = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
  sqlite3_finalize(q);
  return d->ready;
}

int intakedb_begin(intakedb *d, chiso_err *err) {
  int rc = exec(d->db, "BEGIN IMMEDIATE", err, "cannot start a write");
  if (!rc && !d->ready) {
    rc = intakedb_tables(d->db, err);
    if (rc) sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
    else d->ready = 1;
  }
  return rc;
}

int intakedb_commit(intakedb *d, chiso_err *err) {
  int rc = exec(d->db, "COMMIT", err, "cannot commit");
  if (rc) intakedb_rollback(d);
  return rc;
}

void intakedb_rollback(intakedb *d) {
  if (!sqlite3_get_autocommit(d->db)) sqlite3_exec(d->db, "ROLLBACK", NULL, NULL, NULL);
}

void intakedb_now(char out[32]) {
  struct timespec ts;
  struct tm tm;
  clock_gettime(CLOCK_REALTIME, &ts);
  gmtime_r(&ts.tv_sec, &tm);
  size_t n = strftime(out, 24, "%Y-%m-%dT%H:%M:%S", &tm);
  int ms = (int)(ts.tv_nsec / 1000000) % 1000;
  snprintf(out + n, 32 - n, ".%03dZ", ms);
}

int intakedb_secret(size_t bytes, int base32, char *out, size_t n, chiso_err *err) {
  unsigned char raw[64];
  assert(bytes > 0 && bytes <= sizeof raw);
  if (sodium_init() < 0) return chiso_err_set(err, CHISO_EINTERNAL, "libsodium cannot start");
  if (n < (base32 ? (bytes * 8 + 4) / 5 + 1 : sodium_base64_ENCODED_LEN(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)))
    return chiso_err_set(err, CHISO_EINTERNAL, "no room for a secret");
  randombytes_buf(raw, bytes);
  if (!base32) {
    sodium_bin2base64(out, n, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  } else {
    /* RFC 4648 base32, lower case, no padding */
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    size_t o = 0, bits = 0;
    unsigned acc = 0;
    for (size_t i = 0; i < bytes; i++) {
      acc = (acc << 8) | raw[i];
      bits += 8;
      while (bits >= 5) out[o++] = alphabet[(acc >> (bits -= 5)) & 31];
    }
    if (bits) out[o++] = alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
  }
  sodium_memzero(raw, sizeof raw);
  return CHISO_OK;
}

void intakedb_hash(const char *s, char hex[65]) {
  if (store_sha256_mem(s, strlen(s), hex)) hex[0] = '\0';
}

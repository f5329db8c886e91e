/* intakedb.h — the store opened for the online intake (issue 15): the
** tables of accounts, API tokens, sessions, invitations, staged
** questionnaire responses, quotas, import provenance and the audit log,
** kept in the store's own SQLite file (docs/intake.md, "Tables").
**
** Migration on write: a store made before these tables existed opens and
** reads as before (the intake's reads find no tables and see nothing);
** the first intake write creates them inside its own transaction
** (intakedb_begin, intakedb_tables) and notes 'intake' = 'intake-1' in
** chiso_meta. A store is never changed by being opened or read.
**
** Durability: the connection commits with synchronous=FULL (the WAL is
** synced at every commit), so a write that has returned survives a crash
** of the process or of the machine; it waits up to 30 s for another
** writer (an import in another process) instead of failing. */
#ifndef CHISO_INTAKEDB_H
#define CHISO_INTAKEDB_H

#include "base/err.h"
#include "survey/store.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

typedef struct intakedb intakedb;

/* Open the store at `path` for the intake (create = 1: a new store when
** there is none). On success *out is new (intakedb_close). Returns the
** errors of store_open. */
int intakedb_open(const char *path, int create, intakedb **out, chiso_err *err);

/* Close. NULL is a no-op. */
void intakedb_close(intakedb *d);

/* The connection, the store and the path (borrowed). Cannot fail. */
sqlite3 *intakedb_sql(intakedb *d);
store *intakedb_store(intakedb *d);
const char *intakedb_path(const intakedb *d);

/* Start a write transaction (BEGIN IMMEDIATE: the write lock at once) in
** which the intake tables exist. Returns 0 or CHISO_EIO (the store is busy
** beyond the wait, or cannot be written). End with intakedb_commit or
** intakedb_rollback. */
int intakedb_begin(intakedb *d, chiso_err *err);

/* Commit (0, or CHISO_EIO after rolling back) or roll back (cannot fail). */
int intakedb_commit(intakedb *d, chiso_err *err);
void intakedb_rollback(intakedb *d);

/* Create the intake tables that are missing, on connection db, which must
** be inside a write transaction (the import workflow's, for the
** provenance and the audit entry written with an import). Returns 0 or
** CHISO_EIO. */
int intakedb_tables(sqlite3 *db, chiso_err *err);

/* 1 when the intake tables exist (a store never written by the intake
** has none: every intake read then finds nothing). */
int intakedb_ready(intakedb *d);

/* Prepare a statement; CHISO_EIO with SQLite's message otherwise. */
int intakedb_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **q, chiso_err *err);

/* CHISO_EIO with SQLite's message and `what` ("cannot record the
** response"); a busy store says so. Returns CHISO_EIO. */
int intakedb_fail(sqlite3 *db, chiso_err *err, const char *what);

/* Bind text, or NULL for a NULL pointer (SQLITE_TRANSIENT). */
void intakedb_bind_text(sqlite3_stmt *q, int i, const char *s);

/* Copy column `col` of the current row as text into dst (n bytes, always
** NUL-terminated; "" for NULL). Cannot fail. */
void intakedb_column(sqlite3_stmt *q, int col, char *dst, size_t n);

/* The time now in UTC, ISO 8601 with milliseconds
** ("2025-07-01T08:30:12.345Z"). Cannot fail. */
void intakedb_now(char out[32]);

/* A secret for a credential: `bytes` random bytes from the system's
** CSPRNG (libsodium's randombytes_buf) written as base64url without
** padding (token: bytes 32 gives 43 characters, 256 bits) or as
** lower-case base32 (base32 = 1: easy to type; 16 bytes give 26
** characters, 128 bits) into out (size n). Returns 0, or CHISO_EINTERNAL
** when libsodium cannot start or out is too small. */
int intakedb_secret(size_t bytes, int base32, char *out, size_t n, chiso_err *err);

/* The SHA-256 of text s as 64 hex digits: how every credential is
** stored (tokens, sessions, invitation codes). Cannot fail. */
void intakedb_hash(const char *s, char hex[65]);

#endif

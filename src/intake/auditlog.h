/* auditlog.h — the audit log of the online intake: every write (a login,
** a refused login, an upload, a refused upload, a response, a
** publication, an invitation, a quota, an account or token change) with
** who, how they were authenticated, from where, when, what was written
** and the SHA-256 of the data written (docs/intake.md, "Audit log").
**
** An entry is added inside the transaction of the write it records, so
** the two commit or vanish together. Each entry also carries `chain`:
** the SHA-256 of the previous entry's chain and of its own fields, so an
** entry changed or removed afterwards breaks the chain from there on
** (auditlog_verify). */
#ifndef CHISO_AUDITLOG_H
#define CHISO_AUDITLOG_H

#include "base/err.h"

#include <sqlite3.h>
#include <stddef.h>

/* One entry to add (all borrowed; NULL is ""). Texts are cut at a UTF-8
** boundary to the sizes of auditlog_row. */
typedef struct auditlog_entry {
  const char *actor;    /* an account name, "invitation PREFIX", "-" */
  const char *via;      /* "password", "session", "token LABEL", "invitation", "command line" */
  const char *address;  /* the client's address, "" from the command line */
  const char *action;   /* "login", "upload", "response", ... */
  const char *target;   /* what was written: "import 12", "user bob" */
  const char *detail;   /* more for people, "" when nothing */
  const char *sha256;   /* of the data written, "" when none */
} auditlog_entry;

/* Add entry e on connection db, which must be inside a write transaction
** with the intake tables (intakedb_begin or intakedb_tables). Returns 0 or
** CHISO_EIO. */
int auditlog_add(sqlite3 *db, const auditlog_entry *e, chiso_err *err);

/* One stored entry. */
typedef struct auditlog_row {
  long long id;
  char at[32];          /* UTC, ISO 8601 with milliseconds */
  char actor[128];
  char via[96];
  char address[64];
  char action[32];
  char target[192];
  char detail[1024];
  char sha256[65];
  char chain[65];
} auditlog_row;

/* Which entries to list: newest first, at most `limit` (1..10000), with
** an id below `before` (0: from the newest), of `action` (NULL: all). */
typedef struct auditlog_filter {
  size_t limit;
  long long before;
  const char *action;
} auditlog_filter;

/* The entries of the filter. *out is a new array of *n rows (chiso_free;
** NULL when none, also when the store has no intake tables: ready = 0).
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int auditlog_list(sqlite3 *db, int ready, const auditlog_filter *f, auditlog_row **out, size_t *n,
                  chiso_err *err);

/* Recompute the chain over every entry in id order. *checked receives
** the number of entries, *broken the id of the first entry whose chain
** does not match or whose id does not follow the previous one (0 when
** the chain holds: ids are consecutive, so a removed entry shows too). Returns 0 (whatever was
** found), CHISO_EIO. */
int auditlog_verify(sqlite3 *db, int ready, long long *checked, long long *broken, chiso_err *err);

/* The stored chain of entry *id (0: the newest entry, and *id receives
** its id) in `chain`. A chain kept elsewhere as the log's head and
** compared later shows what auditlog_verify cannot: entries removed from
** the end, or the whole log rewritten. Returns 0, CHISO_ENOTFOUND (no
** such entry, or an empty log: *id 0 when 0 was asked; chain ""),
** CHISO_EIO. */
int auditlog_chain_at(sqlite3 *db, int ready, long long *id, char chain[65], chiso_err *err);

#endif

/* invites.c — invitations to the web questionnaire (invites.h). */
#include "intake/invites.h"

#include "base/mem.h"
#include "base/text.h"
#include "intake/accounts.h"
#include "intake/auditlog.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

int invites_text_ok(const char *s, size_t max) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > max || text_utf8_check(s, n) != n) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 32 || s[i] == 127) return 0;
  return 1;
}

static int check_new(int year, const char *unit, chiso_invite_kind kind, const char *respondent,
                     const char *stratum, const chiso_account *by, chiso_err *err) {
  if (year < 1900 || year > 2100) return chiso_err_set(err, CHISO_EUSAGE, "the year must be 1900 to 2100");
  if (kind != CHISO_INVITE_UNIT && kind != CHISO_INVITE_ENTERPRISE)
    return chiso_err_set(err, CHISO_EUSAGE, "unknown kind of invitation");
  if (kind == CHISO_INVITE_ENTERPRISE && !invites_text_ok(respondent, 127))
    return chiso_err_set(err, CHISO_EUSAGE, "an enterprise's respondent id is 1 to 127 characters "
                                            "without control characters");
  if (kind == CHISO_INVITE_UNIT && respondent)
    return chiso_err_set(err, CHISO_EUSAGE, "an invitation for a unit names no enterprise");
  if (stratum && *stratum && !invites_text_ok(stratum, 63))
    return chiso_err_set(err, CHISO_EUSAGE, "a stratum is 1 to 63 characters without control characters");
  if (!by || !accounts_covers(by, year, unit))
    return chiso_err_set(err, CHISO_EDENIED, "%s may not invite for unit %.8s in %d",
                         by ? by->name : "nobody", unit ? unit : "", year);
  return CHISO_OK;
}

int invites_new(intakedb *d, int year, const char *unit, chiso_invite_kind kind,
                const char *respondent, const char *stratum, const chiso_account *by,
                const char *address, char code[32], chiso_err *err) {
  assert(d && code);
  char secret[32], hash[65], when[32], prefix[INVITES_PREFIX_LEN + 1], target[96], detail[256];
  sqlite3_stmt *q = NULL;
  code[0] = '\0';
  if (stratum && !*stratum) stratum = NULL;
  int rc = check_new(year, unit, kind, respondent, stratum, by, err);
  if (!rc) rc = intakedb_secret(16, 1, secret, sizeof secret, err);
  if (!rc) rc = intakedb_begin(d, err);
  if (rc) return rc;
  sqlite3 *db = intakedb_sql(d);
  intakedb_hash(secret, hash);
  intakedb_now(when);
  memcpy(prefix, secret, INVITES_PREFIX_LEN);
  prefix[INVITES_PREFIX_LEN] = '\0';
  rc = intakedb_prepare(db, "INSERT INTO intake_invitations(hash,prefix,year,unit,kind,respondent,"
                            "stratum,created_by,created_at) VALUES(?,?,?,?,?,?,?,?,?)", &q, err);
  if (!rc) {
    intakedb_bind_text(q, 1, hash);
    intakedb_bind_text(q, 2, prefix);
    sqlite3_bind_int(q, 3, year);
    intakedb_bind_text(q, 4, unit);
    intakedb_bind_text(q, 5, kind == CHISO_INVITE_UNIT ? "unit" : "enterprise");
    intakedb_bind_text(q, 6, respondent);
    intakedb_bind_text(q, 7, stratum);
    intakedb_bind_text(q, 8, by->name);
    intakedb_bind_text(q, 9, when);
    if (sqlite3_step(q) != SQLITE_DONE)
      rc = (sqlite3_extended_errcode(db) & 0xff) == SQLITE_CONSTRAINT
               ? chiso_err_set(err, CHISO_EEXISTS, "%.127s is invited for %d already", respondent, year)
               : intakedb_fail(db, err, "cannot record the invitation");
  }
  sqlite3_finalize(q);
  snprintf(target, sizeof target, "invitation %s… (%lld)", prefix, (long long)sqlite3_last_insert_rowid(db));
  snprintf(detail, sizeof detail, "%d, unit %s, %s%s%.127s", year, unit,
           kind == CHISO_INVITE_UNIT ? "any enterprise" : "enterprise ", "", respondent ? respondent : "");
  const char *actor, *via;
  accounts_actor(by, &actor, &via);
  auditlog_entry e = {actor, via, address, "invitation-create", target, detail, hash};
  if (!rc) rc = auditlog_add(db, &e, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  if (!rc) snprintf(code, 32, "%s", secret);
  return rc;
}

#define COLUMNS "id, year, unit, kind, respondent, stratum, prefix, used_at IS NOT NULL, created_by, created_at"

static void read_invite(sqlite3_stmt *q, chiso_invite *v) {
  char kind[16];
  memset(v, 0, sizeof *v);
  v->id = sqlite3_column_int64(q, 0);
  v->year = sqlite3_column_int(q, 1);
  intakedb_column(q, 2, v->unit, sizeof v->unit);
  intakedb_column(q, 3, kind, sizeof kind);
  v->kind = strcmp(kind, "unit") == 0 ? CHISO_INVITE_UNIT : CHISO_INVITE_ENTERPRISE;
  intakedb_column(q, 4, v->respondent, sizeof v->respondent);
  intakedb_column(q, 5, v->stratum, sizeof v->stratum);
  intakedb_column(q, 6, v->prefix, sizeof v->prefix);
  v->used = sqlite3_column_int(q, 7);
  intakedb_column(q, 8, v->created_by, sizeof v->created_by);
  intakedb_column(q, 9, v->created_at, sizeof v->created_at);
}

/* A code as typed: 26 characters of the base32 alphabet (case ignored). */
static int code_shape(const char *code, char out[INVITES_CODE_LEN + 1]) {
  if (!code || strlen(code) != INVITES_CODE_LEN) return 0;
  for (size_t i = 0; i < INVITES_CODE_LEN; i++) {
    char c = code[i] >= 'A' && code[i] <= 'Z' ? (char)(code[i] - 'A' + 'a') : code[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return 0;
    out[i] = c;
  }
  out[INVITES_CODE_LEN] = '\0';
  return 1;
}

int invites_find(sqlite3 *db, int ready, int year, const char *code, chiso_invite *out,
                 chiso_err *err) {
  assert(db && out);
  char clean[INVITES_CODE_LEN + 1], hash[65];
  sqlite3_stmt *q = NULL;
  memset(out, 0, sizeof *out);
  if (!ready || !code_shape(code, clean))
    return chiso_err_set(err, CHISO_ENOTFOUND, "no such invitation");
  intakedb_hash(clean, hash);
  int rc = intakedb_prepare(db, "SELECT " COLUMNS " FROM intake_invitations WHERE hash=? AND year=?", &q, err);
  if (!rc) {
    intakedb_bind_text(q, 1, hash);
    sqlite3_bind_int(q, 2, year);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) read_invite(q, out);
    else if (s == SQLITE_DONE) rc = chiso_err_set(err, CHISO_ENOTFOUND, "no such invitation");
    else rc = intakedb_fail(db, err, "cannot read the invitations");
  }
  sqlite3_finalize(q);
  return rc;
}

int invites_use(sqlite3 *db, long long id, chiso_err *err) {
  assert(db && !sqlite3_get_autocommit(db));
  sqlite3_stmt *q = NULL;
  char when[32];
  intakedb_now(when);
  int rc = intakedb_prepare(db, "UPDATE intake_invitations SET used_at=? WHERE id=? AND used_at IS NULL", &q, err);
  if (!rc) {
    intakedb_bind_text(q, 1, when);
    sqlite3_bind_int64(q, 2, id);
    if (sqlite3_step(q) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot use the invitation");
    else if (sqlite3_changes(db) != 1)
      rc = chiso_err_set(err, CHISO_EDENIED, "this invitation has been answered already");
  }
  sqlite3_finalize(q);
  return rc;
}

int invites_list(intakedb *d, const chiso_account *who, int year, chiso_invite **out, size_t *n,
                 chiso_err *err) {
  assert(d && out && n);
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  if (!intakedb_ready(d)) return CHISO_OK;
  int rc = intakedb_prepare(intakedb_sql(d), "SELECT " COLUMNS " FROM intake_invitations WHERE year=?"
                                             " ORDER BY id DESC", &q, err);
  if (!rc) sqlite3_bind_int(q, 1, year);
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    chiso_invite v;
    read_invite(q, &v);
    if (!accounts_covers(who, year, v.unit)) continue;
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    (*out)[(*n)++] = v;
  }
  if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the invitations");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

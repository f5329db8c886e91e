/* auditlog.c — the audit log of the online intake (auditlog.h). */
#include "intake/auditlog.h"

#include "base/mem.h"
#include "base/text.h"
#include "intake/intakedb.h"
#include "survey/store.h"

#include <assert.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

/* Copy s into dst (n bytes) cut at a UTF-8 boundary, bad UTF-8 and
** control characters as '?': the log is read by people and by JSON. */
static void cut(char *dst, size_t n, const char *s) {
  size_t len = s ? strlen(s) : 0;
  if (len >= n) {
    len = n - 1;
    while (len && ((unsigned char)s[len] & 0xC0) == 0x80) len--; /* not inside a character */
  }
  if (len) memcpy(dst, s, len);
  dst[len] = '\0';
  for (size_t i = 0; i < len; i++) {
    size_t ok = text_utf8_check(dst + i, len - i);
    if (ok < len - i) {
      i += ok;
      dst[i] = '?';
      continue;
    }
    break;
  }
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)dst[i] < 32 || dst[i] == 127) dst[i] = '?';
}

/* The chain of an entry: SHA-256 over the previous chain and the
** entry's fields, each followed by the unit separator 0x1F. */
static int chain_of(const char *prev, const auditlog_row *r, char hex[65]) {
  char id[32];
  snprintf(id, sizeof id, "%lld", r->id);
  const char *parts[] = {prev, id, r->at, r->actor, r->via, r->address, r->action, r->target,
                         r->detail, r->sha256};
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
  for (size_t i = 0; ok && i < sizeof parts / sizeof parts[0]; i++)
    ok = EVP_DigestUpdate(ctx, parts[i], strlen(parts[i])) && EVP_DigestUpdate(ctx, "\x1f", 1);
  ok = ok && EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  if (!ok) return CHISO_EINTERNAL;
  for (unsigned i = 0; i < len; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return CHISO_OK;
}

static void fill(auditlog_row *r, const auditlog_entry *e) {
  cut(r->actor, sizeof r->actor, e->actor);
  cut(r->via, sizeof r->via, e->via);
  cut(r->address, sizeof r->address, e->address);
  cut(r->action, sizeof r->action, e->action);
  cut(r->target, sizeof r->target, e->target);
  cut(r->detail, sizeof r->detail, e->detail);
  cut(r->sha256, sizeof r->sha256, e->sha256);
}

/* The chain of the newest entry ("" when none). */
static int last_chain(sqlite3 *db, char prev[65], chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = intakedb_prepare(db, "SELECT chain FROM intake_audit ORDER BY id DESC LIMIT 1", &q, err);
  prev[0] = '\0';
  if (!rc) {
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) intakedb_column(q, 0, prev, 65);
    else if (s != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot read the audit log");
  }
  sqlite3_finalize(q);
  return rc;
}

int auditlog_add(sqlite3 *db, const auditlog_entry *e, chiso_err *err) {
  assert(db && e && !sqlite3_get_autocommit(db));
  auditlog_row r;
  char prev[65];
  sqlite3_stmt *ins = NULL, *up = NULL;
  memset(&r, 0, sizeof r);
  fill(&r, e);
  intakedb_now(r.at);
  int rc = last_chain(db, prev, err);
  if (!rc)
    rc = intakedb_prepare(db, "INSERT INTO intake_audit(at,actor,via,address,action,target,detail,"
                              "sha256,chain) VALUES(?,?,?,?,?,?,?,?,'')", &ins, err);
  if (!rc) {
    const char *v[] = {r.at, r.actor, r.via, r.address, r.action, r.target, r.detail, r.sha256};
    for (int i = 0; i < 8; i++) intakedb_bind_text(ins, i + 1, v[i]);
    if (sqlite3_step(ins) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot write the audit log");
  }
  if (!rc) {
    r.id = sqlite3_last_insert_rowid(db);
    if (chain_of(prev, &r, r.chain)) rc = chiso_err_set(err, CHISO_EINTERNAL, "SHA-256 failed");
  }
  if (!rc) rc = intakedb_prepare(db, "UPDATE intake_audit SET chain=? WHERE id=?", &up, err);
  if (!rc) {
    intakedb_bind_text(up, 1, r.chain);
    sqlite3_bind_int64(up, 2, r.id);
    if (sqlite3_step(up) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot write the audit log");
  }
  sqlite3_finalize(ins);
  sqlite3_finalize(up);
  return rc;
}

#define COLUMNS "id,at,actor,via,address,action,target,detail,sha256,chain"

static void read_row(sqlite3_stmt *q, auditlog_row *r) {
  r->id = sqlite3_column_int64(q, 0);
  intakedb_column(q, 1, r->at, sizeof r->at);
  intakedb_column(q, 2, r->actor, sizeof r->actor);
  intakedb_column(q, 3, r->via, sizeof r->via);
  intakedb_column(q, 4, r->address, sizeof r->address);
  intakedb_column(q, 5, r->action, sizeof r->action);
  intakedb_column(q, 6, r->target, sizeof r->target);
  intakedb_column(q, 7, r->detail, sizeof r->detail);
  intakedb_column(q, 8, r->sha256, sizeof r->sha256);
  intakedb_column(q, 9, r->chain, sizeof r->chain);
}

int auditlog_list(sqlite3 *db, int ready, const auditlog_filter *f, auditlog_row **out, size_t *n,
                  chiso_err *err) {
  assert(db && f && out && n && f->limit >= 1 && f->limit <= 10000);
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  if (!ready) return CHISO_OK;
  int rc = intakedb_prepare(db, "SELECT " COLUMNS " FROM intake_audit WHERE (?1 = 0 OR id < ?1)"
                                " AND (?2 IS NULL OR action = ?2) ORDER BY id DESC LIMIT ?3", &q, err);
  if (!rc) {
    sqlite3_bind_int64(q, 1, f->before);
    intakedb_bind_text(q, 2, f->action);
    sqlite3_bind_int64(q, 3, (long long)f->limit);
  }
  int s;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    read_row(q, &(*out)[(*n)++]);
  }
  if (!rc && s != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot read the audit log");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out);
    *out = NULL;
    *n = 0;
  }
  return rc;
}

int auditlog_verify(sqlite3 *db, int ready, long long *checked, long long *broken, chiso_err *err) {
  assert(db && checked && broken);
  sqlite3_stmt *q = NULL;
  char prev[65] = "", want[65];
  long long last = 0;
  auditlog_row r;
  *checked = *broken = 0;
  if (!ready) return CHISO_OK;
  int rc = intakedb_prepare(db, "SELECT " COLUMNS " FROM intake_audit ORDER BY id", &q, err);
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    read_row(q, &r);
    ++*checked;
    if (chain_of(prev, &r, want)) rc = chiso_err_set(err, CHISO_EINTERNAL, "SHA-256 failed");
    else if (!*broken && (strcmp(want, r.chain) != 0 || r.id != last + 1)) *broken = r.id;
    memcpy(prev, r.chain, sizeof prev); /* ids are consecutive: a removed entry shows too */
    last = r.id;
  }
  if (!rc && s != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot read the audit log");
  sqlite3_finalize(q);
  return rc;
}

int auditlog_chain_at(sqlite3 *db, int ready, long long *id, char chain[65], chiso_err *err) {
  assert(db && id && chain && *id >= 0);
  sqlite3_stmt *q = NULL;
  chain[0] = '\0';
  if (!ready) return chiso_err_set(err, CHISO_ENOTFOUND, "the audit log is empty");
  int rc = intakedb_prepare(db, *id ? "SELECT id, chain FROM intake_audit WHERE id = ?1"
                                    : "SELECT id, chain FROM intake_audit ORDER BY id DESC LIMIT 1",
                            &q, err);
  if (!rc && *id) sqlite3_bind_int64(q, 1, *id);
  int s = rc ? SQLITE_ERROR : sqlite3_step(q);
  if (s == SQLITE_ROW) {
    const unsigned char *text = sqlite3_column_text(q, 1);
    *id = sqlite3_column_int64(q, 0);
    snprintf(chain, 65, "%s", text ? (const char *)text : "");
  } else if (!rc && s == SQLITE_DONE) {
    rc = *id ? chiso_err_set(err, CHISO_ENOTFOUND, "the audit log has no entry %lld", *id)
             : chiso_err_set(err, CHISO_ENOTFOUND, "the audit log is empty");
  } else if (!rc) {
    rc = intakedb_fail(db, err, "cannot read the audit log");
  }
  sqlite3_finalize(q);
  return rc;
}

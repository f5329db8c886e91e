/* accounts.c — accounts, passwords, tokens and sessions (accounts.h). */
#include "intake/accounts.h"

#include "base/log.h"
#include "base/mem.h"
#include "geo/geo.h"
#include "intake/auditlog.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int accounts_name_ok(const char *name) {
  size_t n = name ? strlen(name) : 0;
  if (n < 1 || n > 64) return 0;
  return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._@-") == n;
}

const char *accounts_role_name(chiso_role role) {
  return role == CHISO_ROLE_ADMIN ? "admin" : role == CHISO_ROLE_PROVINCE ? "province" : "viewer";
}

int accounts_role_parse(const char *s, chiso_role *out) {
  static const chiso_role roles[] = {CHISO_ROLE_ADMIN, CHISO_ROLE_PROVINCE, CHISO_ROLE_VIEWER};
  for (int i = 0; i < 3; i++)
    if (s && strcmp(s, accounts_role_name(roles[i])) == 0) return (*out = roles[i], CHISO_OK);
  return CHISO_EUSAGE;
}

int accounts_covers(const chiso_account *a, int year, const char *code) {
  const geo_registry *reg = NULL;
  if (!a || !code || a->disabled || geo_registry_shared(&reg, NULL)) return 0;
  if (!geo_find_code(reg, geo_era_for_year(year), code)) return 0;
  if (a->role == CHISO_ROLE_ADMIN) return 1;
  if (a->role != CHISO_ROLE_PROVINCE) return 0;
  return geo_scope_covers(reg, (const char(*)[3])a->scope, a->n_scope, a->scope_year, year, code);
}

void accounts_actor(const chiso_account *by, const char **actor, const char **via) {
  *actor = by ? by->name : "(command line)";
  *via = by ? by->via : "command line";
}

/* Write an audit entry for `by` (inside the transaction). */
static int audit(intakedb *d, const chiso_account *by, const char *actor_override,
                 const char *address, const char *action, const char *target, const char *detail,
                 chiso_err *err) {
  const char *actor, *via;
  accounts_actor(by, &actor, &via);
  auditlog_entry e = {actor_override ? actor_override : actor, actor_override ? "password" : via,
                      address ? address : "", action, target, detail ? detail : "", ""};
  return auditlog_add(intakedb_sql(d), &e, err);
}

/* Run one statement with up to 4 text (t) or integer (i) bindings given
** by `types`; *changes receives the rows changed (may be NULL). */
static int run(sqlite3 *db, const char *sql, const char *types, const char *const *texts,
               const long long *ints, int *changes, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  int rc = intakedb_prepare(db, sql, &q, err);
  for (int i = 0; !rc && types[i]; i++) {
    if (types[i] == 't') intakedb_bind_text(q, i + 1, texts[i]);
    else sqlite3_bind_int64(q, i + 1, ints[i]);
  }
  if (!rc && sqlite3_step(q) != SQLITE_DONE) rc = intakedb_fail(db, err, "cannot write an account");
  if (!rc && changes) *changes = sqlite3_changes(db);
  sqlite3_finalize(q);
  return rc;
}

static int password_ok(const char *pw, chiso_err *err) {
  size_t n = strlen(pw);
  if (n < ACCOUNTS_PASSWORD_MIN || n > ACCOUNTS_PASSWORD_MAX)
    return chiso_err_set(err, CHISO_EUSAGE, "a password must be %d to %d bytes long, not %zu",
                         ACCOUNTS_PASSWORD_MIN, ACCOUNTS_PASSWORD_MAX, n);
  return CHISO_OK;
}

/* Argon2id (RFC 9106) at libsodium's interactive limits. */
static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], chiso_err *err) {
  if (sodium_init() < 0) return chiso_err_set(err, CHISO_EINTERNAL, "libsodium cannot start");
  if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return chiso_err_set(err, CHISO_ENOMEM, "out of memory hashing the password");
  return CHISO_OK;
}

/* The scope of a province account: units resolved in scope_year's
** registry, deduplicated, ascending, as "01,79". */
static int scope_text(int scope_year, const char *const *units, size_t n, char *out, size_t size,
                      chiso_err *err) {
  const geo_registry *reg = NULL;
  char codes[CHISO_SCOPE_MAX][3];
  size_t k = 0;
  int rc = geo_registry_shared(&reg, err);
  for (size_t i = 0; !rc && i < n; i++) {
    geo_match m;
    chiso_err e;
    chiso_err_clear(&e);
    if (geo_resolve(reg, scope_year, units[i], &m, &e))
      return chiso_err_set(err, CHISO_EUSAGE, "not a unit of %d: %s", scope_year,
                           e.message[0] ? e.message : units[i]);
    /* A former province is not widened silently to the unit it is now part of. */
    if (m.old_unit)
      return chiso_err_set(err, CHISO_EUSAGE, "not a unit of %d: %s (part of %s %s since 2025)",
                           scope_year, units[i], m.unit->code, m.unit->name);
    size_t j = 0;
    while (j < k && strcmp(codes[j], m.unit->code) < 0) j++;
    if (j < k && strcmp(codes[j], m.unit->code) == 0) continue;
    memmove(codes[j + 1], codes[j], (k - j) * 3);
    memcpy(codes[j], m.unit->code, 3);
    k++;
  }
  out[0] = '\0';
  for (size_t i = 0, len = 0; !rc && i < k && len + 4 < size; i++)
    len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "", codes[i]);
  return rc;
}

static int role_scope_ok(chiso_role role, int scope_year, size_t n_units, chiso_err *err) {
  if (role != CHISO_ROLE_ADMIN && role != CHISO_ROLE_PROVINCE && role != CHISO_ROLE_VIEWER)
    return chiso_err_set(err, CHISO_EUSAGE, "unknown role");
  if (role == CHISO_ROLE_PROVINCE && (n_units == 0 || n_units > CHISO_SCOPE_MAX))
    return chiso_err_set(err, CHISO_EUSAGE, "a province account needs 1 to %d units", CHISO_SCOPE_MAX);
  if (role != CHISO_ROLE_PROVINCE && n_units)
    return chiso_err_set(err, CHISO_EUSAGE, "only a province account has units");
  if (role == CHISO_ROLE_PROVINCE && (scope_year < 1900 || scope_year > 2100))
    return chiso_err_set(err, CHISO_EUSAGE, "the units' year must be 1900 to 2100");
  return CHISO_OK;
}

int accounts_add(intakedb *d, const char *name, chiso_role role, int scope_year,
                 const char *const *units, size_t n_units, const char *password,
                 const chiso_account *by, const char *address, chiso_err *err) {
  assert(d && name && (units || !n_units));
  char scope[CHISO_SCOPE_MAX * 3 + 1] = "", hash[crypto_pwhash_STRBYTES] = "", when[32], detail[256];
  if (!accounts_name_ok(name))
    return chiso_err_set(err, CHISO_EUSAGE, "an account name is 1 to 64 of A-Z a-z 0-9 . _ @ -");
  int rc = role_scope_ok(role, scope_year, n_units, err);
  if (!rc && role == CHISO_ROLE_PROVINCE) rc = scope_text(scope_year, units, n_units, scope, sizeof scope, err);
  if (!rc && password) rc = password_ok(password, err);
  if (!rc && password) rc = hash_password(password, hash, err);
  if (!rc) rc = intakedb_begin(d, err);
  if (rc) return rc;
  intakedb_now(when);
  const char *t[] = {name, accounts_role_name(role), NULL, scope, password ? hash : NULL, when};
  const long long y[] = {0, 0, role == CHISO_ROLE_PROVINCE ? scope_year : 0, 0, 0, 0};
  rc = run(intakedb_sql(d), "INSERT INTO intake_users(name,role,scope_year,scope,pwhash,created_at)"
                            " VALUES(?,?,?,?,?,?)", "ttitt" "t", t, y, NULL, err);
  if (rc && (sqlite3_extended_errcode(intakedb_sql(d)) & 0xff) == SQLITE_CONSTRAINT)
    rc = chiso_err_set(err, CHISO_EEXISTS, "an account named %s exists already", name);
  snprintf(detail, sizeof detail, "role %s%s%s", accounts_role_name(role), scope[0] ? ", units " : "", scope);
  char target[96];
  snprintf(target, sizeof target, "user %s", name);
  if (!rc) rc = audit(d, by, NULL, address, "user-add", target, detail, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  sodium_memzero(hash, sizeof hash);
  return rc;
}

/* The id and disabled flag of account `name` (0 when none). Inside a
** transaction or not. */
static int user_id(intakedb *d, const char *name, long long *id, int *disabled, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  *id = 0;
  int rc = intakedb_prepare(intakedb_sql(d), "SELECT id, disabled FROM intake_users WHERE name=?", &q, err);
  if (!rc) {
    intakedb_bind_text(q, 1, name);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
      *id = sqlite3_column_int64(q, 0);
      if (disabled) *disabled = sqlite3_column_int(q, 1);
    } else if (s != SQLITE_DONE) {
      rc = intakedb_fail(intakedb_sql(d), err, "cannot read the accounts");
    }
  }
  sqlite3_finalize(q);
  return rc;
}

/* Begin a write on account `name`, which must exist: *id. */
static int begin_on(intakedb *d, const char *name, long long *id, int *disabled, chiso_err *err) {
  int rc = intakedb_begin(d, err);
  if (!rc) rc = user_id(d, name, id, disabled, err);
  if (!rc && !*id) rc = chiso_err_set(err, CHISO_ENOTFOUND, "no account named %.64s", name);
  if (rc) intakedb_rollback(d);
  return rc;
}

static int end_sessions(intakedb *d, long long id, chiso_err *err) {
  const long long v[] = {id};
  return run(intakedb_sql(d), "DELETE FROM intake_sessions WHERE user_id=?", "i", NULL, v, NULL, err);
}

int accounts_password(intakedb *d, const char *name, const char *password,
                      const chiso_account *by, const char *address, chiso_err *err) {
  assert(d && name && password);
  char hash[crypto_pwhash_STRBYTES], target[96];
  long long id = 0;
  int rc = password_ok(password, err);
  if (!rc) rc = hash_password(password, hash, err);
  if (!rc) rc = begin_on(d, name, &id, NULL, err);
  if (rc) return rc;
  const char *t[] = {hash, NULL};
  const long long v[] = {0, id};
  rc = run(intakedb_sql(d), "UPDATE intake_users SET pwhash=? WHERE id=?", "ti", t, v, NULL, err);
  if (!rc) rc = end_sessions(d, id, err);
  snprintf(target, sizeof target, "user %s", name);
  if (!rc) rc = audit(d, by, NULL, address, "user-password", target, "", err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  sodium_memzero(hash, sizeof hash);
  return rc;
}

int accounts_disable(intakedb *d, const char *name, const chiso_account *by, const char *address,
                     chiso_err *err) {
  assert(d && name);
  char target[96];
  long long id = 0;
  int rc = begin_on(d, name, &id, NULL, err);
  if (rc) return rc;
  const long long v[] = {id};
  rc = run(intakedb_sql(d), "UPDATE intake_users SET disabled=1 WHERE id=?", "i", NULL, v, NULL, err);
  if (!rc) rc = end_sessions(d, id, err);
  snprintf(target, sizeof target, "user %s", name);
  if (!rc) rc = audit(d, by, NULL, address, "user-disable", target, "", err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  return rc;
}

/* Fill a from the columns id, name, role, scope_year, scope, disabled of q. */
static void read_account(sqlite3_stmt *q, chiso_account *a) {
  char role[16], scope[CHISO_SCOPE_MAX * 3 + 1];
  memset(a, 0, sizeof *a);
  a->id = sqlite3_column_int64(q, 0);
  intakedb_column(q, 1, a->name, sizeof a->name);
  intakedb_column(q, 2, role, sizeof role);
  if (accounts_role_parse(role, &a->role)) a->role = CHISO_ROLE_VIEWER; /* never more than asked */
  a->scope_year = sqlite3_column_int(q, 3);
  intakedb_column(q, 4, scope, sizeof scope);
  for (const char *p = scope; *p && a->n_scope < CHISO_SCOPE_MAX;) {
    if (p[0] && p[1] && (!p[2] || p[2] == ',')) {
      memcpy(a->scope[a->n_scope], p, 2);
      a->scope[a->n_scope++][2] = '\0';
    }
    p = strchr(p, ',');
    if (!p) break;
    p++;
  }
  a->disabled = sqlite3_column_int(q, 5);
}

int accounts_list(intakedb *d, chiso_account **out, long **tokens, char (**created)[32],
                  size_t *n, chiso_err *err) {
  assert(d && out && tokens && created && n);
  sqlite3_stmt *q = NULL;
  size_t cap = 0, cap2 = 0, cap3 = 0;
  *out = NULL, *tokens = NULL, *created = NULL, *n = 0;
  if (!intakedb_ready(d)) return CHISO_OK;
  int rc = intakedb_prepare(intakedb_sql(d),
                            "SELECT u.id, u.name, u.role, u.scope_year, u.scope, u.disabled, u.created_at,"
                            " (SELECT count(*) FROM intake_tokens t WHERE t.user_id=u.id AND t.revoked=0"
                            "  AND (t.expires=0 OR t.expires>?1))"
                            " FROM intake_users u ORDER BY u.name", &q, err);
  if (!rc) sqlite3_bind_int64(q, 1, (long long)time(NULL));
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out) ||
        chiso_grow((void **)tokens, &cap2, *n + 1, sizeof **tokens) ||
        chiso_grow((void **)created, &cap3, *n + 1, sizeof **created)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    read_account(q, &(*out)[*n]);
    intakedb_column(q, 6, (*created)[*n], 32);
    (*tokens)[(*n)++] = (long)sqlite3_column_int64(q, 7);
  }
  if (!rc && s != SQLITE_DONE) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the accounts");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out), chiso_free(*tokens), chiso_free(*created);
    *out = NULL, *tokens = NULL, *created = NULL, *n = 0;
  }
  return rc;
}

int accounts_tokens(intakedb *d, const char *name, accounts_token_row **out, size_t *n,
                    chiso_err *err) {
  assert(d && out && n);
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  long long id = 0;
  *out = NULL, *n = 0;
  int rc = name && intakedb_ready(d) ? user_id(d, name, &id, NULL, err) : CHISO_OK;
  if (!rc && name && !id) return chiso_err_set(err, CHISO_ENOTFOUND, "no account named %.64s", name);
  if (rc || !intakedb_ready(d)) return rc;
  rc = intakedb_prepare(intakedb_sql(d),
                        "SELECT u.name, t.label, t.created_at, t.expires,"
                        " CASE WHEN t.revoked <> 0 THEN 'revoked'"
                        "  WHEN t.expires = 0 OR t.expires > ?2 THEN 'live' ELSE 'expired' END"
                        " FROM intake_tokens t JOIN intake_users u ON u.id = t.user_id"
                        " WHERE ?1 = 0 OR u.id = ?1 ORDER BY u.name, t.id", &q, err);
  if (!rc) sqlite3_bind_int64(q, 1, id);
  if (!rc) sqlite3_bind_int64(q, 2, (long long)time(NULL)); /* as accounts_token decides */
  int s = SQLITE_DONE;
  while (!rc && (s = sqlite3_step(q)) == SQLITE_ROW) {
    if (chiso_grow((void **)out, &cap, *n + 1, sizeof **out)) {
      rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
      break;
    }
    accounts_token_row *t = &(*out)[(*n)++];
    intakedb_column(q, 0, t->name, sizeof t->name);
    intakedb_column(q, 1, t->label, sizeof t->label);
    intakedb_column(q, 2, t->created_at, sizeof t->created_at);
    t->expires = sqlite3_column_int64(q, 3);
    intakedb_column(q, 4, t->state, sizeof t->state);
  }
  if (!rc && s != SQLITE_DONE) rc = intakedb_fail(intakedb_sql(d), err, "cannot read the tokens");
  sqlite3_finalize(q);
  if (rc) {
    chiso_free(*out);
    *out = NULL, *n = 0;
  }
  return rc;
}

static int label_ok(const char *label, chiso_err *err) {
  size_t n = strlen(label);
  int ok = n >= 1 && n <= 64;
  for (size_t i = 0; ok && i < n; i++) ok = (unsigned char)label[i] >= 32 && label[i] != 127;
  return ok ? CHISO_OK : chiso_err_set(err, CHISO_EUSAGE, "a token label is 1 to 64 printable characters");
}

int accounts_token_new(intakedb *d, const char *name, const char *label, int days,
                       const chiso_account *by, const char *address, char token[64],
                       chiso_err *err) {
  assert(d && name && label && token && days >= 0);
  char secret[48], hash[65], when[32], target[96], detail[96];
  long long id = 0;
  int disabled = 0;
  token[0] = '\0';
  int rc = label_ok(label, err);
  if (!rc) rc = intakedb_secret(32, 0, secret, sizeof secret, err);
  if (!rc) rc = begin_on(d, name, &id, &disabled, err);
  if (rc) return rc;
  if (disabled) {
    intakedb_rollback(d);
    return chiso_err_set(err, CHISO_EDENIED, "the account %s is disabled", name);
  }
  char full[64];
  snprintf(full, sizeof full, "chiso_%s", secret);
  intakedb_hash(full, hash);
  intakedb_now(when);
  const char *t[] = {NULL, hash, label, when, NULL};
  const long long v[] = {id, 0, 0, 0, days ? (long long)time(NULL) + 86400LL * days : 0};
  rc = run(intakedb_sql(d),
           "INSERT INTO intake_tokens(user_id,hash,label,created_at,expires) VALUES(?,?,?,?,?)",
           "ittti", t, v, NULL, err);
  snprintf(target, sizeof target, "user %s", name);
  if (days) snprintf(detail, sizeof detail, "token \"%s\" for %d days", label, days);
  else snprintf(detail, sizeof detail, "token \"%s\"", label);
  if (!rc) rc = audit(d, by, NULL, address, "token-create", target, detail, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  if (!rc) memcpy(token, full, sizeof full);
  sodium_memzero(full, sizeof full);
  sodium_memzero(secret, sizeof secret);
  return rc;
}

int accounts_token_revoke(intakedb *d, const char *name, const char *label,
                          const chiso_account *by, const char *address, int *revoked,
                          chiso_err *err) {
  assert(d && name && label);
  char target[96], detail[96];
  long long id = 0;
  int n = 0;
  if (revoked) *revoked = 0;
  int rc = label_ok(label, err);
  if (!rc) rc = begin_on(d, name, &id, NULL, err);
  if (rc) return rc;
  const char *t[] = {NULL, label};
  const long long v[] = {id, 0};
  rc = run(intakedb_sql(d), "UPDATE intake_tokens SET revoked=1 WHERE user_id=? AND label=? AND revoked=0",
           "it", t, v, &n, err);
  if (!rc && n == 0)
    rc = chiso_err_set(err, CHISO_ENOTFOUND, "the account %s has no live token labelled \"%s\"", name,
                       label);
  snprintf(target, sizeof target, "user %s", name);
  snprintf(detail, sizeof detail, "token \"%s\" (%d)", label, n);
  if (!rc) rc = audit(d, by, NULL, address, "token-revoke", target, detail, err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  if (!rc && revoked) *revoked = n;
  return rc;
}

/* ---- logging in ----------------------------------------------------------------------------- */

/* A password hash no password matches, so that an unknown name costs the
** same Argon2id run as a known one. */
static char dummy[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void) {
  unsigned char r[32];
  if (sodium_init() < 0) return;
  randombytes_buf(r, sizeof r);
  if (crypto_pwhash_str(dummy, (const char *)r, sizeof r, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    dummy[0] = '\0';
}

/* The account `name` with its password hash (pw "" when none). */
static int find_login(intakedb *d, const char *name, chiso_account *a, char *pw, size_t npw,
                      chiso_err *err) {
  sqlite3_stmt *q = NULL;
  pw[0] = '\0';
  memset(a, 0, sizeof *a);
  if (!intakedb_ready(d)) return CHISO_OK;
  int rc = intakedb_prepare(intakedb_sql(d), "SELECT id, name, role, scope_year, scope, disabled, pwhash"
                                             " FROM intake_users WHERE name=?", &q, err);
  if (!rc) {
    intakedb_bind_text(q, 1, name);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
      read_account(q, a);
      intakedb_column(q, 6, pw, npw);
    } else if (s != SQLITE_DONE) {
      rc = intakedb_fail(intakedb_sql(d), err, "cannot read the accounts");
    }
  }
  sqlite3_finalize(q);
  return rc;
}

/* The session row and the audit entry of a successful login. */
static int open_session(intakedb *d, const chiso_account *a, const char *address, char session[64],
                        chiso_err *err) {
  char secret[48], hash[65], when[32];
  int rc = intakedb_secret(32, 0, secret, sizeof secret, err);
  if (!rc) rc = intakedb_begin(d, err);
  if (rc) return rc;
  intakedb_hash(secret, hash);
  intakedb_now(when);
  long long now = (long long)time(NULL);
  const char *t[] = {hash, NULL, when, NULL};
  const long long v[] = {0, a->id, 0, now + ACCOUNTS_SESSION_SECONDS};
  const long long old[] = {now};
  rc = run(intakedb_sql(d), "DELETE FROM intake_sessions WHERE expires <= ?", "i", NULL, old, NULL, err);
  if (!rc)
    rc = run(intakedb_sql(d), "INSERT INTO intake_sessions(hash,user_id,created_at,expires) VALUES(?,?,?,?)",
             "titi", t, v, NULL, err);
  char target[96];
  snprintf(target, sizeof target, "user %s", a->name);
  if (!rc) rc = audit(d, NULL, a->name, address, "login", target, "", err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  if (!rc) snprintf(session, 64, "%s", secret);
  sodium_memzero(secret, sizeof secret);
  return rc;
}

/* A refused login, logged with the name as typed (cut, control
** characters as '?'). */
static int refused(intakedb *d, const char *name, const char *why, const char *address,
                   chiso_err *err) {
  char shown[65], target[96];
  size_t i = 0;
  for (; name[i] && i < 64; i++) shown[i] = (unsigned char)name[i] < 32 || name[i] == 127 ? '?' : name[i];
  shown[i] = '\0';
  snprintf(target, sizeof target, "user %s", shown);
  chiso_err e;
  int rc = intakedb_begin(d, &e);
  if (!rc) rc = audit(d, NULL, shown, address, "login-failed", target, why, &e);
  if (!rc) rc = intakedb_commit(d, &e);
  else intakedb_rollback(d);
  if (rc) chiso_log(CHISO_LOG_WARN, "a refused login could not be logged: %s", e.message);
  return chiso_err_set(err, CHISO_EDENIED, "wrong account name or password");
}

int accounts_login(intakedb *d, const char *name, const char *password, const char *address,
                   char session[64], chiso_account *out, chiso_err *err) {
  assert(d && name && password && session && out);
  char pw[crypto_pwhash_STRBYTES + 1];
  session[0] = '\0';
  int rc = find_login(d, name, out, pw, sizeof pw, err);
  if (rc) return rc;
  pthread_once(&dummy_once, make_dummy);
  const char *against = pw[0] ? pw : dummy;
  size_t n = strlen(password);
  int good = against[0] && n <= ACCOUNTS_PASSWORD_MAX && crypto_pwhash_str_verify(against, password, n) == 0;
  good = good && pw[0] && out->id;
  sodium_memzero(pw, sizeof pw);
  if (!good) return refused(d, name, out->id ? "wrong password" : "no such account", address, err);
  if (out->disabled) return refused(d, name, "account disabled", address, err);
  snprintf(out->via, sizeof out->via, "password");
  return open_session(d, out, address, session, err);
}

/* The live account of a credential hash: `sql` selects the account's
** columns for ?1 = the hash, ?2 = now. */
static int account_of(intakedb *d, const char *sql, const char *secret, chiso_account *out,
                      char *label, size_t nlabel, chiso_err *err) {
  sqlite3_stmt *q = NULL;
  char hash[65];
  memset(out, 0, sizeof *out);
  if (!secret || !*secret || strlen(secret) > 128 || !intakedb_ready(d))
    return chiso_err_set(err, CHISO_EDENIED, "not signed in");
  intakedb_hash(secret, hash);
  int rc = intakedb_prepare(intakedb_sql(d), sql, &q, err);
  int s = SQLITE_DONE;
  if (!rc) {
    intakedb_bind_text(q, 1, hash);
    sqlite3_bind_int64(q, 2, (long long)time(NULL));
    s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
      read_account(q, out);
      if (label) intakedb_column(q, 6, label, nlabel);
    } else if (s != SQLITE_DONE) {
      rc = intakedb_fail(intakedb_sql(d), err, "cannot read the accounts");
    }
  }
  sqlite3_finalize(q);
  if (!rc && (s != SQLITE_ROW || out->disabled)) {
    memset(out, 0, sizeof *out);
    rc = chiso_err_set(err, CHISO_EDENIED, s == SQLITE_ROW ? "the account is disabled" : "not signed in");
  }
  return rc;
}

int accounts_session(intakedb *d, const char *session, chiso_account *out, chiso_err *err) {
  assert(d && out);
  int rc = account_of(d, "SELECT u.id, u.name, u.role, u.scope_year, u.scope, u.disabled"
                         " FROM intake_sessions s JOIN intake_users u ON u.id = s.user_id"
                         " WHERE s.hash = ?1 AND s.expires > ?2", session, out, NULL, 0, err);
  if (!rc) snprintf(out->via, sizeof out->via, "session");
  return rc;
}

int accounts_token(intakedb *d, const char *token, chiso_account *out, chiso_err *err) {
  assert(d && out);
  char label[72] = "";
  int rc = account_of(d, "SELECT u.id, u.name, u.role, u.scope_year, u.scope, u.disabled, t.label"
                         " FROM intake_tokens t JOIN intake_users u ON u.id = t.user_id"
                         " WHERE t.hash = ?1 AND t.revoked = 0 AND (t.expires = 0 OR t.expires > ?2)",
                      token, out, label,
                      sizeof label, err);
  if (!rc) snprintf(out->via, sizeof out->via, "token \"%s\"", label);
  return rc;
}

int accounts_logout(intakedb *d, const char *session, const chiso_account *who,
                    const char *address, chiso_err *err) {
  assert(d);
  char hash[65], target[96];
  if (!session || !*session || !intakedb_ready(d)) return CHISO_OK;
  intakedb_hash(session, hash);
  int changed = 0;
  int rc = intakedb_begin(d, err);
  if (rc) return rc;
  const char *t[] = {hash};
  rc = run(intakedb_sql(d), "DELETE FROM intake_sessions WHERE hash=?", "t", t, NULL, &changed, err);
  snprintf(target, sizeof target, "user %s", who ? who->name : "?");
  if (!rc && changed) rc = audit(d, who, NULL, address, "logout", target, "", err);
  if (!rc) rc = intakedb_commit(d, err);
  else intakedb_rollback(d);
  return rc;
}

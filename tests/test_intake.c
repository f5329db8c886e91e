/* test_intake.c — the online intake's library side (issue 15): accounts,
** passwords, tokens and sessions; the audit log and its chain;
** invitations; questionnaire answers checked with the rules of a file
** import and staged; quotas; uploads and publications through the import
** workflow with the account's scope; a store made before the intake
** tables. Every expected value is worked out from the inputs (counts of
** rows written, the codebook's rules), never from chiso's output. */
#include "testutil.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct fixture {
  char dir[64];
  char db[128];
  chiso_intake *h;
  chiso_method *m;
} fixture;

static int setup(void **state) {
  fixture *fx = calloc(1, sizeof *fx);
  chiso_err err;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/chiso-intake-XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  snprintf(fx->db, sizeof fx->db, "%s/s.db", fx->dir);
  if (chiso_intake_open(fx->db, 1, &fx->h, &err)) return -1;
  if (chiso_method_load("ebi-2021", &fx->m, &err)) return -1;
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  char cmd[160];
  chiso_intake_close(fx->h);
  chiso_method_free(fx->m);
  snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
  if (system(cmd)) return -1;
  free(fx);
  return 0;
}

/* The number of rows of `sql` (a count query) on the store at db. */
static long count(const char *db, const char *sql) {
  sqlite3 *c = NULL;
  sqlite3_stmt *q = NULL;
  long n = -1;
  if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
      sqlite3_prepare_v2(c, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
    n = (long)sqlite3_column_int64(q, 0);
  sqlite3_finalize(q);
  sqlite3_close(c);
  return n;
}

static void exec_sql(const char *db, const char *sql) {
  sqlite3 *c = NULL;
  assert_int_equal(sqlite3_open(db, &c), SQLITE_OK);
  assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(c);
}

static chiso_account admin_of(chiso_intake *h) {
  chiso_account a;
  chiso_err err;
  char token[64];
  chiso_err_clear(&err);
  if (chiso_token_account(h, "none", &a, &err) == CHISO_OK) fail();
  assert_int_equal(chiso_token_new(h, "root", "t", NULL, "", token, &err), 0);
  assert_int_equal(chiso_token_account(h, token, &a, &err), 0);
  return a;
}

/* ---- accounts ---------------------------------------------------------------------------------- */

static void test_accounts(void **state) {
  fixture *fx = *state;
  chiso_err err;
  chiso_account a;
  char session[64], token[64];
  const char *hn[] = {"Hà Nội", "79", "01"};
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, "correct horse", NULL, "", &err), 0);
  /* names, roles, units and passwords are checked */
  assert_int_equal(chiso_user_add(fx->h, "x'); DROP TABLE imports;--", CHISO_ROLE_VIEWER, 0, NULL, 0, NULL, NULL, "", &err), CHISO_EUSAGE);
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, NULL, NULL, "", &err), CHISO_EEXISTS);
  assert_int_equal(chiso_user_add(fx->h, "p", CHISO_ROLE_PROVINCE, 2025, NULL, 0, NULL, NULL, "", &err), CHISO_EUSAGE);
  assert_int_equal(chiso_user_add(fx->h, "v", CHISO_ROLE_VIEWER, 2025, hn, 1, NULL, NULL, "", &err), CHISO_EUSAGE);
  assert_int_equal(chiso_user_add(fx->h, "short", CHISO_ROLE_VIEWER, 0, NULL, 0, "1234567", NULL, "", &err), CHISO_EUSAGE);
  const char *bad[] = {"Atlantis"};
  assert_int_equal(chiso_user_add(fx->h, "p", CHISO_ROLE_PROVINCE, 2025, bad, 1, NULL, NULL, "", &err), CHISO_EUSAGE);
  /* "Hà Nội", "79" and "01" are two units: 01 and 79 */
  assert_int_equal(chiso_user_add(fx->h, "hn", CHISO_ROLE_PROVINCE, 2025, hn, 3, "hanoi-officer", NULL, "", &err), 0);
  assert_int_equal(chiso_login(fx->h, "hn", "hanoi-officer", "10.0.0.1", session, &a, &err), 0);
  assert_string_equal(a.name, "hn");
  assert_int_equal(a.role, CHISO_ROLE_PROVINCE);
  assert_int_equal(a.n_scope, 2);
  assert_string_equal(a.scope[0], "01");
  assert_string_equal(a.scope[1], "79");
  assert_int_equal(strlen(session), 43); /* 256 bits in base64url */
  /* the session works, the password never shows */
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), 0);
  assert_string_equal(a.via, "session");
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_users WHERE pwhash LIKE '$argon2id$%'"), 2);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_users WHERE pwhash LIKE '%hanoi-officer%'"), 0);
  /* wrong passwords and unknown names are refused alike */
  assert_int_equal(chiso_login(fx->h, "hn", "hanoi-offices", "10.0.0.1", session + 0, &a, &err), CHISO_EDENIED);
  char msg1[1024];
  snprintf(msg1, sizeof msg1, "%s", err.message);
  assert_int_equal(chiso_login(fx->h, "nobody", "hanoi-officer", "10.0.0.1", token, &a, &err), CHISO_EDENIED);
  assert_string_equal(msg1, err.message);
  /* tokens: shown once, stored as a hash */
  assert_int_equal(chiso_token_new(fx->h, "hn", "ci", NULL, "", token, &err), 0);
  assert_int_equal(strncmp(token, "chiso_", 6), 0);
  assert_int_equal(strlen(token), 6 + 43);
  assert_int_equal(chiso_token_account(fx->h, token, &a, &err), 0);
  assert_string_equal(a.via, "token \"ci\"");
  char q[256];
  snprintf(q, sizeof q, "SELECT count(*) FROM intake_tokens WHERE hash LIKE '%%%s%%'", token + 6);
  assert_int_equal(count(fx->db, q), 0);
  /* a disabled account: its sessions, password and tokens stop */
  assert_int_equal(chiso_login(fx->h, "hn", "hanoi-officer", "", session, &a, &err), 0);
  assert_int_equal(chiso_user_disable(fx->h, "hn", NULL, "", &err), 0);
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_token_account(fx->h, token, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_login(fx->h, "hn", "hanoi-officer", "", session, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_user_disable(fx->h, "ghost", NULL, "", &err), CHISO_ENOTFOUND);
  /* logout ends a session */
  assert_int_equal(chiso_login(fx->h, "root", "correct horse", "", session, &a, &err), 0);
  assert_int_equal(chiso_logout(fx->h, session, &a, "", &err), 0);
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), CHISO_EDENIED);
  /* a session past its end is refused: its end moved to one second ago */
  assert_int_equal(chiso_login(fx->h, "root", "correct horse", "", session, &a, &err), 0);
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), 0);
  char upd[128];
  snprintf(upd, sizeof upd, "UPDATE intake_sessions SET expires = %lld", (long long)time(NULL) - 1);
  assert_int_equal(sqlite3_exec(intakedb_sql(fx->h), upd, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), CHISO_EDENIED);
  /* a session id or token one character off is refused */
  assert_int_equal(chiso_login(fx->h, "root", "correct horse", "", session, &a, &err), 0);
  session[5] = session[5] == 'A' ? 'B' : 'A';
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_token_new(fx->h, "root", "t2", NULL, "", token, &err), 0);
  assert_int_equal(chiso_token_account(fx->h, token, &a, &err), 0);
  token[10] = token[10] == 'A' ? 'B' : 'A';
  assert_int_equal(chiso_token_account(fx->h, token, &a, &err), CHISO_EDENIED);
  /* a token made for some days is refused after them (its end moved to
  ** one second ago); the other tokens of the account keep working */
  char shortlived[64], other[64];
  assert_int_equal(chiso_token_new_days(fx->h, "root", "short", 0, NULL, "", shortlived, &err), CHISO_EUSAGE);
  assert_int_equal(chiso_token_new_days(fx->h, "root", "short", 30, NULL, "", shortlived, &err), 0);
  assert_int_equal(chiso_token_new(fx->h, "root", "long", NULL, "", other, &err), 0);
  assert_int_equal(chiso_token_account(fx->h, shortlived, &a, &err), 0);
  long long now = (long long)time(NULL);
  snprintf(q, sizeof q, "SELECT count(*) FROM intake_tokens WHERE label='short' AND expires BETWEEN %lld AND %lld",
           now + 30 * 86400LL - 60, now + 30 * 86400LL + 60);
  assert_int_equal(count(fx->db, q), 1);
  snprintf(upd, sizeof upd, "UPDATE intake_tokens SET expires = %lld WHERE label='short'", now - 1);
  assert_int_equal(sqlite3_exec(intakedb_sql(fx->h), upd, NULL, NULL, NULL), SQLITE_OK);
  assert_int_equal(chiso_token_account(fx->h, shortlived, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_token_account(fx->h, other, &a, &err), 0);
  /* a revoked label: those tokens stop, the others go on; twice is not found */
  int revoked = 0;
  assert_int_equal(chiso_token_revoke(fx->h, "root", "long", NULL, "", &revoked, &err), 0);
  assert_int_equal(revoked, 1);
  assert_int_equal(chiso_token_account(fx->h, other, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_session_account(fx->h, session, &a, &err), CHISO_EDENIED); /* (ended above) */
  assert_int_equal(chiso_token_revoke(fx->h, "root", "long", NULL, "", &revoked, &err), CHISO_ENOTFOUND);
  assert_int_equal(chiso_token_revoke(fx->h, "ghost", "long", NULL, "", &revoked, &err), CHISO_ENOTFOUND);
  /* the list shows no credential */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(chiso_users_write(fx->h, CHISO_FORMAT_CSV, f, &err), 0);
  fclose(f);
  const char *want = "name,role,scope_year,scope,disabled,tokens,created_at\n"
                     "hn,province,2025,01 79,yes,1,";
  assert_int_equal(strncmp(buf, want, strlen(want)), 0);
  assert_non_null(strstr(buf, "\nroot,admin,,,no,1,"));
  free(buf);
}

/* ---- the audit log ------------------------------------------------------------------------------- */

static void test_audit_chain(void **state) {
  fixture *fx = *state;
  chiso_err err;
  chiso_account a;
  char session[64];
  long long checked = 0, broken = 0;
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, "correct horse", NULL, "", &err), 0);
  assert_int_equal(chiso_login(fx->h, "root", "wrong horse!", "192.0.2.7", session, &a, &err), CHISO_EDENIED);
  assert_int_equal(chiso_login(fx->h, "root", "correct horse", "192.0.2.7", session, &a, &err), 0);
  assert_int_equal(chiso_user_add(fx->h, "v1", CHISO_ROLE_VIEWER, 0, NULL, 0, NULL, &a, "192.0.2.7", &err), 0);
  /* four writes, four entries: user-add, login-failed, login, user-add */
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit"), 4);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit WHERE action='login-failed'"
                                 " AND actor='root' AND address='192.0.2.7'"), 1);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit WHERE action='user-add'"
                                 " AND actor='root' AND via='session' AND target='user v1'"), 0);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit WHERE action='user-add'"
                                 " AND actor='root' AND via='password' AND target='user v1'"), 1);
  assert_int_equal(chiso_audit_log_verify(fx->h, &checked, &broken, &err), 0);
  assert_int_equal(checked, 4);
  assert_int_equal(broken, 0);
  /* an entry changed afterwards breaks the chain there */
  exec_sql(fx->db, "UPDATE intake_audit SET address='10.9.9.9' WHERE id=3");
  assert_int_equal(chiso_audit_log_verify(fx->h, &checked, &broken, &err), 0);
  assert_int_equal(broken, 3);
  exec_sql(fx->db, "UPDATE intake_audit SET address='192.0.2.7' WHERE id=3");
  assert_int_equal(chiso_audit_log_verify(fx->h, &checked, &broken, &err), 0);
  assert_int_equal(broken, 0);
  /* a removed entry too: the next one follows a gap */
  exec_sql(fx->db, "DELETE FROM intake_audit WHERE id=2");
  assert_int_equal(chiso_audit_log_verify(fx->h, &checked, &broken, &err), 0);
  assert_int_equal(checked, 3);
  assert_int_equal(broken, 3);
  /* the JSON says so */
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(chiso_audit_log_write(fx->h, 10, 0, NULL, CHISO_FORMAT_JSON, f, &err), 0);
  fclose(f);
  assert_non_null(strstr(buf, "\"checked\": 3,\n    \"broken\": 3"));
  free(buf);
}

/* ---- invitations and the questionnaire -------------------------------------------------------------- */

/* The answers of one enterprise that follow every rule of ebi-2021. */
static const char *const good_keys[] = {"q_email", "q_internet", "q_software", "q_software",
                                        "q_web_update", "q_online_rev_pct", "q_online_sales"};
static const char *const good_values[] = {"1", "Có", "erp", "Kế toán", "weekly", "12,5", "1.234,5"};

static void test_questionnaire(void **state) {
  fixture *fx = *state;
  chiso_err err;
  char code[32], code2[32], code3[32];
  long long id = 0;
  chiso_check *c = NULL;
  chiso_account hn;
  const char *units[] = {"01"};
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, NULL, NULL, "", &err), 0);
  assert_int_equal(chiso_user_add(fx->h, "hn", CHISO_ROLE_PROVINCE, 2025, units, 1, NULL, NULL, "", &err), 0);
  char tok[64];
  assert_int_equal(chiso_token_new(fx->h, "hn", "t", NULL, "", tok, &err), 0);
  assert_int_equal(chiso_token_account(fx->h, tok, &hn, &err), 0);
  /* an officer invites for its own units only */
  assert_int_equal(chiso_invite_new(fx->h, 2025, "79", CHISO_INVITE_UNIT, NULL, NULL, &hn, "", code, &err), CHISO_EDENIED);
  assert_int_equal(chiso_invite_new(fx->h, 2025, "01", CHISO_INVITE_UNIT, NULL, NULL, &hn, "", code, &err), 0);
  assert_int_equal(strlen(code), 26);
  assert_int_equal(chiso_invite_new(fx->h, 2025, "01", CHISO_INVITE_ENTERPRISE, "0101234567", "small", &hn, "", code2, &err), 0);
  assert_int_equal(chiso_invite_new(fx->h, 2025, "01", CHISO_INVITE_ENTERPRISE, "0101234567", NULL, &hn, "", code3, &err), CHISO_EEXISTS);
  assert_int_equal(chiso_invite_new(fx->h, 2025, "01", CHISO_INVITE_ENTERPRISE, "0109999999", NULL, &hn, "", code3, &err), 0);
  /* only the hash is kept */
  char q[256];
  snprintf(q, sizeof q, "SELECT count(*) FROM intake_invitations WHERE hash='%s' OR prefix='%s'", code, code);
  assert_int_equal(count(fx->db, q), 0);
  chiso_invite v;
  assert_int_equal(chiso_invite_find(fx->h, 2025, code2, &v, &err), 0);
  assert_string_equal(v.respondent, "0101234567");
  assert_int_equal(chiso_invite_find(fx->h, 2024, code2, &v, &err), CHISO_ENOTFOUND);
  assert_int_equal(chiso_invite_find(fx->h, 2025, "aaaaaaaaaaaaaaaaaaaaaaaaaa", &v, &err), CHISO_ENOTFOUND);
  /* answers coded with the file rules: "12,5" is 12.5, "1.234,5" is 1234.5 */
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, "micro", good_keys, good_values, 7, "", &id, &c, &err), 0);
  assert_null(c);
  assert_true(id > 0);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_responses WHERE respondent='web-01-1'"
                                 " AND stratum='micro' AND answers LIKE '%\"q_software\":\"erp;Kế toán\"%'"), 1);
  /* a bad answer is named with its question; nothing is stored */
  const char *bad_keys[] = {"q_online_rev_pct", "q_web_update", "q_email"};
  const char *bad_values[] = {"150", "sometimes", "x'); DROP TABLE intake_responses;--"};
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, "micro", bad_keys, bad_values, 3, "", &id, &c, &err), CHISO_EDATA);
  assert_non_null(c);
  assert_int_equal(chiso_check_problems(c), 3);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  chiso_check_write(c, CHISO_EDATA, &err, CHISO_FORMAT_CSV, f, NULL);
  fclose(f);
  assert_non_null(strstr(buf, ",q_online_rev_pct,150,out of range,"));
  assert_non_null(strstr(buf, ",q_web_update,sometimes,answer not allowed,"));
  assert_non_null(strstr(buf, ",q_email,"));
  free(buf);
  chiso_check_free(c);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_responses"), 1);
  /* an unknown question is refused, the stratum is required */
  const char *unknown[] = {"q_nope"};
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, "micro", unknown, good_values, 1, "", &id, &c, &err), CHISO_EUSAGE);
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, NULL, good_keys, good_values, 7, "", &id, &c, &err), CHISO_EDATA);
  chiso_check_free(c);
  /* one enterprise answers once: its stratum is the invitation's */
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code2, "large", good_keys, good_values, 7, "", &id, &c, &err), 0);
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code2, "large", good_keys, good_values, 7, "", &id, &c, &err), CHISO_EDENIED);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_responses WHERE respondent='0101234567' AND stratum='small'"), 1);
  /* every response is in the audit log with the SHA-256 of its answers */
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit a JOIN intake_responses r"
                                 " ON a.target = 'response ' || r.id AND a.sha256 = r.sha256 WHERE a.action='response'"), 2);
  /* quotas and the status */
  assert_int_equal(chiso_quota_set(fx->h, 2025, "79", "micro", 10, 1000, &hn, "", &err), CHISO_EDENIED);
  assert_int_equal(chiso_quota_set(fx->h, 2025, "01", "micro", 10, 1000, &hn, "", &err), 0);
  assert_int_equal(chiso_quota_set(fx->h, 2025, "01", "small", 5, NAN, &hn, "", &err), 0);
  buf = NULL;
  f = open_memstream(&buf, &len);
  assert_int_equal(chiso_intake_status_write(fx->h, &hn, 2025, CHISO_FORMAT_CSV, f, &err), 0);
  fclose(f);
  assert_string_equal(buf, "unit,name,stratum,quota,population,received,published\n"
                           "01,Hà Nội,micro,10,1000,1,0\n01,Hà Nội,small,5,,1,0\n");
  free(buf);
  char *strata = NULL;
  assert_int_equal(chiso_quota_strata(fx->h, 2025, "01", &strata, &err), 0);
  assert_string_equal(strata, "micro\nsmall\n");
  chiso_free(strata);
}

/* ---- deliveries ------------------------------------------------------------------------------------ */

/* A synthetic survey of 2025 at path with n respondents. */
static void synth(const char *path, long n, uint64_t seed) {
  chiso_synth_options o;
  chiso_err err;
  memset(&o, 0, sizeof o);
  o.year = 2025;
  o.respondents = n;
  o.seed = seed;
  o.threads = 1;
  assert_int_equal(chiso_synth_write(&o, path, NULL, NULL, &err), 0);
}

/* Keep the header and the rows of unit `code` ("2025-CODE-..." ids). */
static void only_unit(const char *in, const char *out, const char *code) {
  FILE *a = fopen(in, "r"), *b = fopen(out, "w");
  char line[8192], prefix[16];
  snprintf(prefix, sizeof prefix, "2025-%s-", code);
  for (int first = 1; fgets(line, sizeof line, a); first = 0)
    if (first || strncmp(line, prefix, strlen(prefix)) == 0) fputs(line, b);
  fclose(a);
  fclose(b);
}

static void test_upload_scope(void **state) {
  fixture *fx = *state;
  chiso_err err;
  chiso_account admin, hn;
  chiso_import *r = NULL;
  char all[160], mine[160], tok[64];
  const char *units[] = {"01"};
  snprintf(all, sizeof all, "%s/all.csv", fx->dir);
  snprintf(mine, sizeof mine, "%s/mine.csv", fx->dir);
  synth(all, 340, 3);
  only_unit(all, mine, "01");
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, NULL, NULL, "", &err), 0);
  assert_int_equal(chiso_user_add(fx->h, "hn", CHISO_ROLE_PROVINCE, 2025, units, 1, NULL, NULL, "", &err), 0);
  admin = admin_of(fx->h);
  assert_int_equal(chiso_token_new(fx->h, "hn", "t", NULL, "", tok, &err), 0);
  assert_int_equal(chiso_token_account(fx->h, tok, &hn, &err), 0);
  /* every unit's rows from an officer of 01: refused, every other row listed, nothing stored */
  long rows_all = count(fx->db, "SELECT 0"), mine_rows = 0;
  (void)rows_all;
  FILE *f = fopen(mine, "r");
  char line[8192];
  while (fgets(line, sizeof line, f)) mine_rows++;
  fclose(f);
  mine_rows--; /* the header */
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, all, "../../etc/passwd", 2025, 0, &hn, "10.1.1.1", &r, &err), CHISO_EDENIED);
  assert_non_null(r);
  chiso_import_info info;
  chiso_import_get(r, 0, &info);
  char *buf = NULL;
  size_t len = 0;
  f = open_memstream(&buf, &len);
  assert_int_equal(chiso_import_report_write(r, f), 0);
  fclose(f);
  json_t *j = json_loads(buf, 0, NULL);
  assert_int_equal(json_array_size(json_object_get(j, "outside")), 340 - mine_rows);
  assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "outside"), 0), "file")),
                      "../../etc/passwd");
  json_decref(j);
  free(buf);
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports"), 0);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit WHERE action='upload-refused' AND actor='hn'"), 1);
  /* its own rows: stored under the name given, with provenance and an audit entry */
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, mine, "hn.csv", 2025, 0, &hn, "10.1.1.1", &r, &err), 0);
  chiso_import_get(r, 0, &info);
  assert_int_equal(info.outcome, CHISO_IMPORT_ADDED);
  assert_int_equal(info.rows, mine_rows);
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports WHERE file='hn.csv' AND path='hn.csv'"), 1);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_provenance p JOIN imports i ON i.id=p.import_id"
                                 " WHERE p.via='upload' AND p.account='hn'"), 1);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit a JOIN imports i ON a.sha256=i.sha256"
                                 " WHERE a.action='upload' AND a.target='import ' || i.id"), 1);
  /* the same bytes again: nothing done */
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, mine, "hn.csv", 2025, 0, &hn, "", &r, &err), 0);
  chiso_import_get(r, 0, &info);
  assert_int_equal(info.outcome, CHISO_IMPORT_SAME);
  chiso_import_free(r);
  /* the admin stores every unit; the officer cannot replace that file */
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, all, "all.csv", 2025, 0, &admin, "", &r, &err), CHISO_EDATA);
  chiso_import_free(r); /* its ids clash with hn.csv's */
  char rest[160];
  snprintf(rest, sizeof rest, "%s/rest.csv", fx->dir);
  f = fopen(all, "r");
  FILE *g = fopen(rest, "w");
  for (int first = 1; fgets(line, sizeof line, f); first = 0)
    if (first || strncmp(line, "2025-01-", 8) != 0) fputs(line, g);
  fclose(f);
  fclose(g);
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, rest, "rest.csv", 2025, 0, &admin, "", &r, &err), 0);
  chiso_import_free(r);
  long before = count(fx->db, "SELECT count(*) FROM imports");
  char two[160]; /* two rows of unit 01 not stored yet under another name */
  snprintf(two, sizeof two, "%s/two.csv", fx->dir);
  f = fopen(all, "r");
  g = fopen(two, "w");
  for (int k = 0; fgets(line, sizeof line, f) && k < 3; k++) {
    if (k) line[5] = '9'; /* new ids: 2025-91-... in unit 01 */
    fputs(line, g);
  }
  fclose(f);
  fclose(g);
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, two, "rest.csv", 2025, 1, &hn, "", &r, &err), CHISO_EDENIED);
  assert_non_null(strstr(err.message, "cannot be replaced from this account"));
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports WHERE file='rest.csv'"), 1);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports"), before);
  /* a viewer delivers nothing */
  chiso_account viewer = hn;
  viewer.role = CHISO_ROLE_VIEWER;
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, mine, "v.csv", 2025, 0, &viewer, "", &r, &err), CHISO_EDENIED);
  chiso_import_free(r);
}

static void test_publish(void **state) {
  fixture *fx = *state;
  chiso_err err;
  chiso_account admin;
  chiso_import *r = NULL;
  char code[32];
  long long id;
  chiso_check *c = NULL;
  assert_int_equal(chiso_user_add(fx->h, "root", CHISO_ROLE_ADMIN, 0, NULL, 0, NULL, NULL, "", &err), 0);
  admin = admin_of(fx->h);
  assert_int_equal(chiso_intake_publish(fx->h, fx->m, 2025, &admin, "", &r, &err), CHISO_ENOTFOUND);
  assert_int_equal(chiso_invite_new(fx->h, 2025, "48", CHISO_INVITE_UNIT, NULL, NULL, &admin, "", code, &err), 0);
  for (int i = 0; i < 5; i++)
    assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, i < 3 ? "micro" : "small", good_keys,
                                           good_values, 7, "", &id, &c, &err), 0);
  /* a population for one stratum and not the other: refused */
  assert_int_equal(chiso_quota_set(fx->h, 2025, "48", "micro", 3, 300, &admin, "", &err), 0);
  assert_int_equal(chiso_intake_publish(fx->h, fx->m, 2025, &admin, "", &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "population for some strata"));
  assert_int_equal(chiso_quota_set(fx->h, 2025, "48", "small", 2, 20, &admin, "", &err), 0);
  assert_int_equal(chiso_intake_publish(fx->h, fx->m, 2025, &admin, "10.0.0.9", &r, &err), 0);
  chiso_import_info info;
  assert_int_equal(chiso_import_count(r), 1);
  chiso_import_get(r, 0, &info);
  assert_int_equal(info.rows, 5);
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports WHERE file='web-2025-48.csv' AND weighted=1"), 1);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_responses WHERE published_import IS NOT NULL"), 5);
  /* published data is what the index reads: 5 respondents of unit 48,
  ** weights 300/3 and 20/2: the weighted total is 3*100 + 2*10 */
  chiso_store *st = NULL;
  chiso_year *y = NULL;
  assert_int_equal(chiso_store_open(fx->db, 0, &st, &err), 0);
  assert_int_equal(chiso_year_open(st, 2025, NULL, &y, &err), 0);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(chiso_year_estimates_write(y, 0, 0, CHISO_FORMAT_CSV, f, &err), 0);
  fclose(f);
  assert_non_null(strstr(buf, "48,email_use,1,0,5,320,"));
  free(buf);
  chiso_year_free(y);
  chiso_store_close(st);
  /* nothing new: the same file, nothing done */
  assert_int_equal(chiso_intake_publish(fx->h, fx->m, 2025, &admin, "", &r, &err), 0);
  chiso_import_get(r, 0, &info);
  assert_int_equal(info.outcome, CHISO_IMPORT_SAME);
  chiso_import_free(r);
  /* a sixth response: the unit's publication is replaced, every response once */
  assert_int_equal(chiso_response_submit(fx->h, fx->m, 2025, code, "micro", good_keys, good_values, 7, "", &id, &c, &err), 0);
  assert_int_equal(chiso_intake_publish(fx->h, fx->m, 2025, &admin, "", &r, &err), 0);
  chiso_import_get(r, 0, &info);
  assert_int_equal(info.outcome, CHISO_IMPORT_REPLACED);
  assert_int_equal(info.rows, 6);
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports"), 1);
  assert_int_equal(count(fx->db, "SELECT sum(rows) FROM imports"), 6);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM intake_audit WHERE action='publish'"), 2);
  /* an unweighted upload now would leave the year mixed: refused */
  char path[160];
  snprintf(path, sizeof path, "%s/u.csv", fx->dir);
  f = fopen(path, "w");
  fprintf(f, "respondent_id,province,size_class,year,q_email\nu1,79,micro,2025,1\n");
  fclose(f);
  assert_int_equal(chiso_intake_upload(fx->h, fx->m, path, "u.csv", 2025, 0, &admin, "", &r, &err), CHISO_EDATA);
  assert_non_null(strstr(err.message, "with and without a weight"));
  chiso_import_free(r);
  assert_int_equal(count(fx->db, "SELECT count(*) FROM imports"), 1);
}

/* A store made before the intake's tables opens, reads as empty, and
** gets its tables with the first write. */
static void test_old_store(void **state) {
  fixture *fx = *state;
  chiso_err err;
  chiso_intake *h = NULL;
  char db[160];
  snprintf(db, sizeof db, "%s/old.db", fx->dir);
  chiso_store *st = NULL;
  assert_int_equal(chiso_store_open(db, 1, &st, &err), 0);
  chiso_store_close(st);
  assert_int_equal(count(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'intake_%'"), 0);
  assert_int_equal(chiso_intake_open(db, 0, &h, &err), 0);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  assert_int_equal(chiso_users_write(h, CHISO_FORMAT_CSV, f, &err), 0);
  assert_int_equal(chiso_audit_log_write(h, 5, 0, NULL, CHISO_FORMAT_CSV, f, &err), 0);
  fclose(f);
  free(buf);
  chiso_account a;
  char s[64];
  assert_int_equal(chiso_login(h, "root", "whatever1", "", s, &a, &err), CHISO_EDENIED);
  assert_int_equal(count(db, "SELECT count(*) FROM sqlite_master WHERE type='table' AND name LIKE 'intake%'"), 8);
  assert_int_equal(count(db, "SELECT count(*) FROM chiso_meta WHERE key='intake'"), 1);
  chiso_intake_close(h);
  /* a read-only reader still opens it */
  assert_int_equal(chiso_store_open_readonly(db, &st, &err), 0);
  chiso_store_close(st);
  /* a store whose tokens could not expire yet: the column is added when it
  ** opens, and its tokens go on working */
  char tok[64];
  assert_int_equal(chiso_intake_open(db, 0, &h, &err), 0);
  assert_int_equal(chiso_user_add(h, "old", CHISO_ROLE_VIEWER, 0, NULL, 0, NULL, NULL, "", &err), 0);
  assert_int_equal(chiso_token_new(h, "old", "t", NULL, "", tok, &err), 0);
  chiso_intake_close(h);
  exec_sql(db, "ALTER TABLE intake_tokens DROP COLUMN expires");
  assert_int_equal(count(db, "SELECT count(*) FROM pragma_table_info('intake_tokens') WHERE name='expires'"), 0);
  assert_int_equal(chiso_intake_open(db, 0, &h, &err), 0);
  assert_int_equal(count(db, "SELECT count(*) FROM pragma_table_info('intake_tokens') WHERE name='expires'"), 1);
  assert_int_equal(chiso_token_account(h, tok, &a, &err), 0);
  chiso_intake_close(h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
      cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
      cmocka_unit_test_setup_teardown(test_questionnaire, setup, teardown),
      cmocka_unit_test_setup_teardown(test_upload_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_publish, setup, teardown),
      cmocka_unit_test_setup_teardown(test_old_store, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* chiso_intake.c — the public API: the online intake's accounts, tokens,
** sessions, invitations, quotas, deliveries and audit log (chiso.h). The
** questionnaire's answers are checked in chiso_survey.c, with the files. */
#include "chiso.h"

#include "base/err.h"
#include "base/mem.h"
#include "intake/accounts.h"
#include "intake/auditlog.h"
#include "intake/deliver.h"
#include "intake/intakedb.h"
#include "intake/invites.h"
#include "intake/staging.h"
#include "out/out_intake.h"

#include <assert.h>
#include <math.h>
#include <string.h>

int chiso_intake_open(const char *path, int create, chiso_intake **out, chiso_err *err) {
  return intakedb_open(path, create, out, err);
}

void chiso_intake_close(chiso_intake *h) { intakedb_close(h); }

const char *chiso_role_name(chiso_role role) { return accounts_role_name(role); }

int chiso_role_parse(const char *s, chiso_role *out) {
  assert(out);
  return accounts_role_parse(s, out);
}

int chiso_account_covers(const chiso_account *a, int year, const char *code) {
  return accounts_covers(a, year, code);
}

/* ---- accounts ------------------------------------------------------------------------------------ */

int chiso_user_add(chiso_intake *h, const char *name, chiso_role role, int scope_year,
                   const char *const *units, size_t n_units, const char *password,
                   const chiso_account *by, const char *address, chiso_err *err) {
  assert(h && name);
  return accounts_add(h, name, role, scope_year, units, n_units, password, by, address, err);
}

int chiso_user_password(chiso_intake *h, const char *name, const char *password,
                        const chiso_account *by, const char *address, chiso_err *err) {
  assert(h && name && password);
  return accounts_password(h, name, password, by, address, err);
}

int chiso_user_disable(chiso_intake *h, const char *name, const chiso_account *by,
                       const char *address, chiso_err *err) {
  assert(h && name);
  return accounts_disable(h, name, by, address, err);
}

int chiso_users_write(chiso_intake *h, chiso_format fmt, FILE *out, chiso_err *err) {
  assert(h && out);
  chiso_account *a = NULL;
  long *tokens = NULL;
  char (*created)[32] = NULL;
  size_t n = 0;
  int rc = accounts_list(h, &a, &tokens, &created, &n, err);
  if (!rc) rc = chiso_err_ensure(err, out_intake_users(a, tokens, (const char(*)[32])created, n, fmt, out),
                                 "cannot write the accounts");
  chiso_free(a), chiso_free(tokens), chiso_free(created);
  return rc;
}

int chiso_tokens_write(chiso_intake *h, const char *name, chiso_format fmt, FILE *out,
                       chiso_err *err) {
  assert(h && out);
  accounts_token_row *t = NULL;
  size_t n = 0;
  int rc = accounts_tokens(h, name, &t, &n, err);
  if (!rc) rc = chiso_err_ensure(err, out_intake_tokens(t, n, fmt, out),
                                 "cannot write the tokens");
  chiso_free(t);
  return rc;
}

int chiso_token_new(chiso_intake *h, const char *name, const char *label,
                    const chiso_account *by, const char *address, char token[64], chiso_err *err) {
  assert(h && name && label && token);
  return accounts_token_new(h, name, label, 0, by, address, token, err);
}

int chiso_token_new_days(chiso_intake *h, const char *name, const char *label, int days,
                         const chiso_account *by, const char *address, char token[64],
                         chiso_err *err) {
  assert(h && name && label && token);
  if (days < 1 || days > 36500)
    return chiso_err_set(err, CHISO_EUSAGE, "a token lives 1 to 36500 days, not %d", days);
  return accounts_token_new(h, name, label, days, by, address, token, err);
}

int chiso_token_revoke(chiso_intake *h, const char *name, const char *label,
                       const chiso_account *by, const char *address, int *revoked, chiso_err *err) {
  assert(h && name && label);
  return accounts_token_revoke(h, name, label, by, address, revoked, err);
}

int chiso_login(chiso_intake *h, const char *name, const char *password, const char *address,
                char session[64], chiso_account *out, chiso_err *err) {
  assert(h && name && password && session && out);
  return accounts_login(h, name, password, address, session, out, err);
}

int chiso_session_account(chiso_intake *h, const char *session, chiso_account *out,
                          chiso_err *err) {
  assert(h && out);
  return accounts_session(h, session, out, err);
}

int chiso_token_account(chiso_intake *h, const char *token, chiso_account *out, chiso_err *err) {
  assert(h && out);
  return accounts_token(h, token, out, err);
}

int chiso_logout(chiso_intake *h, const char *session, const chiso_account *who,
                 const char *address, chiso_err *err) {
  assert(h);
  return accounts_logout(h, session, who, address, err);
}

int chiso_intake_method(chiso_intake *h, int year, const char *fallback, chiso_method **out,
                        chiso_err *err) {
  assert(h && fallback && out);
  return deliver_method(h, year, fallback, out, err);
}

/* ---- the questionnaire ------------------------------------------------------------------------------ */

size_t chiso_method_questions(const chiso_method *m) { return m->cb->n_questions; }

void chiso_method_question(const chiso_method *m, size_t i, chiso_question *out) {
  assert(m && out && i < m->cb->n_questions);
  const codebook_question *q = &m->cb->questions[i];
  out->id = q->id;
  out->text_vi = q->text_vi ? q->text_vi : q->id;
  out->text_en = q->text_en ? q->text_en : out->text_vi;
  out->type = (chiso_qtype)q->type;
  out->n_options = q->n_options;
  out->min = q->min;
  out->max = q->max;
  out->required = q->required;
}

/* 1 when s is all ASCII. */
static int ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s > 127) return 0;
  return 1;
}

void chiso_method_option(const chiso_method *m, size_t i, size_t k, const char **id,
                         const char **label_vi, const char **label_en) {
  assert(m && i < m->cb->n_questions && k < m->cb->questions[i].n_options);
  const codebook_option *o = &m->cb->questions[i].options[k];
  *id = o->id;
  *label_vi = o->n_labels ? o->labels[0] : o->id;
  *label_en = o->id;
  for (size_t l = o->n_labels; l-- > 0;)
    if (ascii(o->labels[l])) {
      *label_en = o->labels[l];
      break;
    }
}

int chiso_invite_new(chiso_intake *h, int year, const char *code_unit, chiso_invite_kind kind,
                     const char *respondent, const char *stratum, const chiso_account *by,
                     const char *address, char code[32], chiso_err *err) {
  assert(h && code);
  return invites_new(h, year, code_unit, kind, respondent, stratum, by, address, code, err);
}

int chiso_invite_find(chiso_intake *h, int year, const char *code, chiso_invite *out,
                      chiso_err *err) {
  assert(h && out);
  return invites_find(intakedb_sql(h), intakedb_ready(h), year, code, out, err);
}

int chiso_invites_write(chiso_intake *h, const chiso_account *who, int year, chiso_format fmt,
                        FILE *out, chiso_err *err) {
  assert(h && out);
  chiso_invite *v = NULL;
  size_t n = 0;
  int rc = invites_list(h, who, year, &v, &n, err);
  if (!rc) rc = chiso_err_ensure(err, out_intake_invites(v, n, fmt, out), "cannot write the invitations");
  chiso_free(v);
  return rc;
}

int chiso_quota_set(chiso_intake *h, int year, const char *code_unit, const char *stratum,
                    long quota, double population, const chiso_account *by,
                    const char *address, chiso_err *err) {
  assert(h);
  return staging_quota_set(h, year, code_unit, stratum, quota, population, by, address, err);
}

int chiso_quota_strata(chiso_intake *h, int year, const char *code_unit, char **out,
                       chiso_err *err) {
  assert(h && code_unit && out);
  return staging_strata(h, year, code_unit, out, err);
}

int chiso_intake_status_write(chiso_intake *h, const chiso_account *who, int year,
                              chiso_format fmt, FILE *out, chiso_err *err) {
  assert(h && out);
  staging_status *s = NULL;
  size_t n = 0;
  int rc = staging_status_list(h, who, year, &s, &n, err);
  if (!rc) rc = chiso_err_ensure(err, out_intake_status(s, n, year, fmt, out), "cannot write the status");
  chiso_free(s);
  return rc;
}

/* ---- deliveries ------------------------------------------------------------------------------------- */

int chiso_intake_upload(chiso_intake *h, const chiso_method *m, const char *path,
                        const char *name, int year, int replace, const chiso_account *who,
                        const char *address, chiso_import **out, chiso_err *err) {
  assert(h && m && path && name && out);
  return deliver_upload(h, m, path, name, year, replace, who, address, out, err);
}

int chiso_intake_publish(chiso_intake *h, const chiso_method *m, int year,
                         const chiso_account *who, const char *address, chiso_import **out,
                         chiso_err *err) {
  assert(h && m && out);
  return deliver_publish(h, m, year, who, address, out, err);
}

int chiso_import_report_write(const chiso_import *r, FILE *out) {
  assert(r && out);
  return out_intake_report(r, out);
}

/* ---- the audit log ------------------------------------------------------------------------------------ */

int chiso_audit_log_write(chiso_intake *h, size_t limit, long long before, const char *action,
                          chiso_format fmt, FILE *out, chiso_err *err) {
  assert(h && out);
  if (limit < 1 || limit > 10000) return chiso_err_set(err, CHISO_EUSAGE, "limit must be 1 to 10000");
  auditlog_filter f = {limit, before, action};
  auditlog_row *rows = NULL;
  size_t n = 0;
  long long checked = 0, broken = 0;
  int rc = auditlog_list(intakedb_sql(h), intakedb_ready(h), &f, &rows, &n, err);
  if (!rc && fmt == CHISO_FORMAT_JSON)
    rc = auditlog_verify(intakedb_sql(h), intakedb_ready(h), &checked, &broken, err);
  if (!rc) rc = chiso_err_ensure(err, out_intake_audit(rows, n, checked, broken, fmt, out),
                                 "cannot write the audit log");
  chiso_free(rows);
  return rc;
}

int chiso_audit_log_verify(chiso_intake *h, long long *checked, long long *broken,
                           chiso_err *err) {
  assert(h && checked && broken);
  return auditlog_verify(intakedb_sql(h), intakedb_ready(h), checked, broken, err);
}

int chiso_audit_log_chain(chiso_intake *h, long long *id, char chain[65], chiso_err *err) {
  assert(h && id && chain);
  return auditlog_chain_at(intakedb_sql(h), intakedb_ready(h), id, chain, err);
}

/* accounts.h — the accounts of the online intake: users with a role
** (admin, province, viewer) and, for a province officer, a scope of unit
** codes; passwords kept as Argon2id strings (libsodium crypto_pwhash_str,
** RFC 9106, at the "interactive" limits: 2 passes over 64 MiB); API
** tokens and session ids of 256 random bits kept only as their SHA-256;
** sessions that end after ACCOUNTS_SESSION_SECONDS.
**
** Every change (an account added, a password set, an account disabled, a
** token made, a login, a refused login, a logout) is written with its
** audit entry in one transaction (auditlog.h). The public account type is
** chiso_account (chiso.h). */
#ifndef CHISO_ACCOUNTS_H
#define CHISO_ACCOUNTS_H

#include "base/err.h"
#include "intake/intakedb.h"

#include <stddef.h>

#define ACCOUNTS_SESSION_SECONDS (12 * 3600)
#define ACCOUNTS_PASSWORD_MIN 8
#define ACCOUNTS_PASSWORD_MAX 1024

/* "admin", "province", "viewer" (static), and the role of such a name
** (0, or CHISO_EUSAGE). */
const char *accounts_role_name(chiso_role role);
int accounts_role_parse(const char *s, chiso_role *out);

/* chiso_account_covers: may `a` write for unit `code` of `year`? */
int accounts_covers(const chiso_account *a, int year, const char *code);

/* 1 when name is 1 to 64 of A-Z a-z 0-9 . _ @ - . Cannot fail. */
int accounts_name_ok(const char *name);

/* The actor and how they authenticated, for an audit entry: by NULL is
** the command line. Borrowed strings. Cannot fail. */
void accounts_actor(const chiso_account *by, const char **actor, const char **via);

/* Add an account (chiso_user_add). Returns 0, CHISO_EUSAGE, CHISO_EEXISTS,
** CHISO_EIO, CHISO_EINTERNAL (libsodium). */
int accounts_add(intakedb *d, const char *name, chiso_role role, int scope_year,
                 const char *const *units, size_t n_units, const char *password,
                 const chiso_account *by, const char *address, chiso_err *err);

/* Set a password (sessions end). Returns 0, CHISO_ENOTFOUND, CHISO_EUSAGE, CHISO_EIO. */
int accounts_password(intakedb *d, const char *name, const char *password,
                      const chiso_account *by, const char *address, chiso_err *err);

/* Revoke the live tokens of `name` labelled `label` (chiso_token_revoke):
** *revoked (may be NULL) says how many. Returns 0, CHISO_ENOTFOUND (no
** such account, or no live token with that label), CHISO_EUSAGE (a bad
** label), CHISO_EIO. */
int accounts_token_revoke(intakedb *d, const char *name, const char *label,
                          const chiso_account *by, const char *address, int *revoked,
                          chiso_err *err);

/* Disable an account (sessions end). Returns 0, CHISO_ENOTFOUND, CHISO_EIO. */
int accounts_disable(intakedb *d, const char *name, const chiso_account *by, const char *address,
                     chiso_err *err);

/* Every account in name order, with its number of live tokens in
** tokens[i] (both new arrays, chiso_free; NULL when none) and its
** created_at in created[i] (32 bytes each). Returns 0, CHISO_EIO,
** CHISO_ENOMEM. */
int accounts_list(intakedb *d, chiso_account **out, long **tokens, char (**created)[32],
                  size_t *n, chiso_err *err);

/* One API token of an account (never the token nor its hash). */
typedef struct accounts_token_row {
  char name[65];         /* the account */
  char label[65];
  char created_at[32];   /* UTC, ISO 8601 */
  long long expires;     /* Unix time it is refused from; 0: never */
  char state[8];         /* "live", "expired" (at the call) or "revoked" */
} accounts_token_row;

/* Every token of account `name` (NULL: of every account), revoked and
** expired ones too, by account name, then oldest first. *out is a new
** array of *n rows (chiso_free; NULL when none). Returns 0,
** CHISO_ENOTFOUND (no account `name`), CHISO_EIO, CHISO_ENOMEM. */
int accounts_tokens(intakedb *d, const char *name, accounts_token_row **out, size_t *n,
                    chiso_err *err);

/* A new token for `name` (chiso_token_new), valid `days` days (0: until
** revoked). Returns 0, CHISO_ENOTFOUND, CHISO_EUSAGE, CHISO_EDENIED,
** CHISO_EIO. */
int accounts_token_new(intakedb *d, const char *name, const char *label, int days,
                       const chiso_account *by,
                       const char *address, char token[64], chiso_err *err);

/* Log in (chiso_login). Returns 0, CHISO_EDENIED, CHISO_EIO. */
int accounts_login(intakedb *d, const char *name, const char *password, const char *address,
                   char session[64], chiso_account *out, chiso_err *err);

/* The account of a session id / a token (chiso_session_account,
** chiso_token_account). Returns 0, CHISO_EDENIED, CHISO_EIO. */
int accounts_session(intakedb *d, const char *session, chiso_account *out, chiso_err *err);
int accounts_token(intakedb *d, const char *token, chiso_account *out, chiso_err *err);

/* End a session (chiso_logout). Returns 0 or CHISO_EIO. */
int accounts_logout(intakedb *d, const char *session, const chiso_account *who,
                    const char *address, chiso_err *err);

#endif

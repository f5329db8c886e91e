/* invites.h — invitations to the web questionnaire (docs/intake.md,
** "The questionnaire"): made by a province officer for a unit (any
** enterprise of the unit may answer, any number of times) or for one
** enterprise (its respondent id; answered once, then used up). The code
** (26 lower-case base32 characters: 128 random bits) is shown once, when
** made; the store keeps its SHA-256 and its first characters, to tell
** invitations apart in lists. */
#ifndef CHISO_INVITES_H
#define CHISO_INVITES_H

#include "base/err.h"
#include "intake/intakedb.h"

#include <stddef.h>

#define INVITES_CODE_LEN 26
#define INVITES_PREFIX_LEN 4

/* 1 when s is 1 to `max` bytes of valid UTF-8 without control characters
** (a respondent id, a stratum, a label typed by a person). */
int invites_text_ok(const char *s, size_t max);

/* A new invitation (chiso_invite_new). Returns 0, CHISO_EUSAGE,
** CHISO_EDENIED, CHISO_EEXISTS, CHISO_EIO. */
int invites_new(intakedb *d, int year, const char *unit, chiso_invite_kind kind,
                const char *respondent, const char *stratum, const chiso_account *by,
                const char *address, char code[32], chiso_err *err);

/* The invitation of `code` for `year` (chiso_invite_find) on connection
** db (inside a transaction or not; ready = 0: there are none). Returns 0,
** CHISO_ENOTFOUND, CHISO_EIO. */
int invites_find(sqlite3 *db, int ready, int year, const char *code, chiso_invite *out,
                 chiso_err *err);

/* Use up enterprise invitation `id` (inside a write transaction).
** Returns 0, CHISO_EDENIED (used already), CHISO_EIO. */
int invites_use(sqlite3 *db, long long id, chiso_err *err);

/* The invitations of `year` for the units `who` covers, newest first: *out
** is a new array of *n (chiso_free; NULL when none). Returns 0, CHISO_EIO,
** CHISO_ENOMEM. */
int invites_list(intakedb *d, const chiso_account *who, int year, chiso_invite **out, size_t *n,
                 chiso_err *err);

#endif

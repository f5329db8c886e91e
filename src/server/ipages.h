/* ipages.h — the pages of the write side (docs/intake.md), in Vietnamese
** and English, readable without any script:
**   /LANG/login               sign in (POST: the password; 5 failures per
**                             account and 20 per address in 15 minutes)
**   /LANG/logout              POST: sign out
**   /LANG/intake?year=Y       a province officer's desk: upload a survey
**                             file (its problems shown as a table),
**                             responses against quotas per stratum,
**                             invitations to the questionnaire, publication
**   /LANG/intake/upload, /invite, /quota, /publish   its forms (POST)
**   /admin/audit, /LANG/admin/audit   the audit log (admins)
**   /survey/YEAR/CODE[?lang=en]       the questionnaire of an invitation,
**                             generated from the methodology's codebook;
**                             POST: the answers, checked like a file's
** Every form carries its CSRF token (gate.h); every value from data or
** from a person is escaped where it is written (hdoc.h). Handlers have the
** routes_handler signature. */
#ifndef CHISO_IPAGES_H
#define CHISO_IPAGES_H

#include "reply.h"
#include "request.h"

#include <stddef.h>

/* The pages and forms above, one handler each; each returns the reply's
** status (a page, or a redirect after a form that succeeded). */
int ipages_login_form(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_login(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_logout(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_intake(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_upload(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_invite(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_quota(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_publish(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_audit(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_survey(request *q, reply *r, const char *const *args, size_t n_args);
int ipages_answer(request *q, reply *r, const char *const *args, size_t n_args);

#endif

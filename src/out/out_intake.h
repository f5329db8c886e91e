/* out_intake.h — the online intake's lists as table, CSV and JSON: the
** accounts (never a credential), the invitations (never a code), the
** responses against the quotas, the audit log, and what went wrong in an
** upload or a publication (the 422 and 403 bodies of the server). */
#ifndef CHISO_OUT_INTAKE_H
#define CHISO_OUT_INTAKE_H

#include "chiso.h"
#include "intake/accounts.h"
#include "intake/auditlog.h"
#include "intake/staging.h"
#include "year/import.h"

#include <stdio.h>

/* The accounts a[0..n) with their live token counts and creation times:
** name, role, scope_year, scope ("01 79"), disabled, tokens, created_at.
** Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_users(const chiso_account *a, const long *tokens, const char (*created)[32], size_t n,
                     chiso_format fmt, FILE *out);

/* The tokens t[0..n): name, label, created_at, expires (UTC, ISO 8601, or
** "never"; JSON null), state. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_tokens(const accounts_token_row *t, size_t n, chiso_format fmt, FILE *out);

/* Invitations: id, year, unit, kind, respondent, stratum, prefix, used,
** created_by, created_at. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_invites(const chiso_invite *v, size_t n, chiso_format fmt, FILE *out);

/* Responses against quotas of `year`: unit, name (the unit's name in the
** year's registry), stratum, quota (empty: none), population, received,
** published. JSON: {"year", "units": [{"code", "name", "received",
** "published", "strata": [...]}]}. Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_status(const staging_status *s, size_t n, int year, chiso_format fmt, FILE *out);

/* Audit entries, with the chain's check (checked, broken) in JSON.
** Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_audit(const auditlog_row *r, size_t n, long long checked, long long broken,
                     chiso_format fmt, FILE *out);

/* The problems and the rows outside the scope of an import result as
** JSON (chiso_import_report_write). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int out_intake_report(const import_result *r, FILE *out);

#endif

/* deliver.h — survey data delivered into the store by the online intake
** (docs/intake.md, "Uploads" and "Publication"): an uploaded file, and the
** staged questionnaire responses of a year when they are published. Both
** go through the import workflow of `chiso import` (year/import.h: one
** transaction, the same bytes imported once, replacement only when asked)
** with the account's scope, so that:
**   - a row of a unit outside the scope refuses the whole delivery
**     (CHISO_EDENIED, the rows listed), and so does replacing an import
**     that holds such a unit;
**   - the year stays loadable: one methodology, and either every import
**     weighted or none (else CHISO_EDATA, nothing written);
**   - the import's provenance (how, by whom, from where) and its audit
**     entry are written in the import's own transaction. */
#ifndef CHISO_DELIVER_H
#define CHISO_DELIVER_H

#include "base/err.h"
#include "intake/intakedb.h"
#include "year/import.h"
#include "year/methodology.h"

/* The methodology of `year` (chiso_intake_method): the one stored with
** the year's imports, else `fallback` (a path or shipped name). *out is
** new (methodology_free). Returns the errors of methodology_load. */
int deliver_method(intakedb *d, int year, const char *fallback, methodology **out, chiso_err *err);

/* Import the file at `path` recorded as `name` (chiso_intake_upload).
** *out as import_files. Returns its errors and CHISO_EDENIED. */
int deliver_upload(intakedb *d, const methodology *m, const char *path, const char *name, int year,
                   int replace, const chiso_account *who, const char *address, import_result **out,
                   chiso_err *err);

/* Publish the staged responses of `year` for the units `who` covers
** (chiso_intake_publish). Returns 0, CHISO_ENOTFOUND (nothing staged),
** CHISO_EDATA, CHISO_EDENIED and the errors of import_files. */
int deliver_publish(intakedb *d, const methodology *m, int year, const chiso_account *who,
                    const char *address, import_result **out, chiso_err *err);

#endif

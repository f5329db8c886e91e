/* staging.h — questionnaire responses staged until they are published
** (docs/intake.md, "The questionnaire"), and the quotas a province officer
** follows them against.
**
** A response is checked with the rules of a file import: its answers are
** written as a one-row survey file (in memory: a memfd) and read by
** ingest_file with the methodology's codebook, so every answer is coded
** exactly as the same cell of an uploaded file would be. It is stored with
** its audit entry in one transaction that commits durably before the
** call returns (intakedb.h). Nothing staged reaches the index until it is
** published (deliver.h). */
#ifndef CHISO_STAGING_H
#define CHISO_STAGING_H

#include "base/err.h"
#include "geo/geo.h"
#include "intake/intakedb.h"
#include "survey/ingest.h"
#include "year/methodology.h"

#include <stddef.h>

#define STAGING_MAX_ANSWERS 512   /* keys of one response */
#define STAGING_MAX_VALUE 4096    /* bytes of one answer */

/* Check the answers of one enterprise (chiso_response_check) whose
** respondent id is `respondent`: *report (always set when not NULL; its
** problems name the question in `column`) and, on success, *answers: the
** answers as a new JSON object text {question: text as typed, in codebook
** order; a multi question's values joined by ';'} (chiso_free). Returns 0,
** CHISO_EDATA (problems), CHISO_EUSAGE (an unknown key, a value too long),
** CHISO_EIO, CHISO_ENOMEM. */
int staging_check(const methodology *m, const geo_registry *reg, int year, const char *unit,
                  const char *stratum, const char *respondent, const char *const *keys,
                  const char *const *values, size_t n, ingest_report **report, char **answers,
                  chiso_err *err);

/* Check and store the answers given through invitation `code`
** (chiso_response_submit). Returns 0, CHISO_ENOTFOUND, CHISO_EDENIED,
** CHISO_EDATA (*report lists the problems), CHISO_EUSAGE, CHISO_EIO,
** CHISO_ENOMEM. */
int staging_submit(intakedb *d, const methodology *m, int year, const char *code,
                   const char *stratum, const char *const *keys, const char *const *values,
                   size_t n, const char *address, long long *id, ingest_report **report,
                   chiso_err *err);

/* Set a quota (chiso_quota_set). Returns 0, CHISO_EUSAGE, CHISO_EDENIED, CHISO_EIO. */
int staging_quota_set(intakedb *d, int year, const char *unit, const char *stratum, long quota,
                      double population, const chiso_account *by, const char *address,
                      chiso_err *err);

/* The quota strata of a unit (chiso_quota_strata). */
int staging_strata(intakedb *d, int year, const char *unit, char **out, chiso_err *err);

/* A stratum of a unit: its quota and what was received. */
typedef struct staging_status {
  char unit[3];
  char stratum[64];
  long quota;          /* -1 when none set */
  double population;   /* NaN when unknown */
  long received, published;
} staging_status;

/* Every (unit, stratum) of `year` with a quota or a response, for the
** units `who` covers, by unit then stratum: *out new (chiso_free; NULL
** when none). Returns 0, CHISO_EIO, CHISO_ENOMEM. */
int staging_status_list(intakedb *d, const chiso_account *who, int year, staging_status **out,
                        size_t *n, chiso_err *err);

/* The publication of one unit: a survey file of every response of the
** unit so far. */
typedef struct staging_file {
  char unit[3];
  char name[64];        /* "web-YEAR-UNIT.csv" */
  char *csv;            /* the file's bytes (chiso_free), NUL-terminated */
  size_t len;
  long rows;
  long long last_id;    /* the newest response in it */
  int weighted;
} staging_file;

/* The files of `year` for the units `who` covers that have responses:
** *out new (staging_files_free; NULL, 0 when there are none). Returns 0,
** CHISO_EDATA (a unit with a population for some strata but not others;
** units that disagree on weights), CHISO_EIO, CHISO_ENOMEM. */
int staging_files(intakedb *d, const methodology *m, int year, const chiso_account *who,
                  staging_file **out, size_t *n, chiso_err *err);
void staging_files_free(staging_file *f, size_t n);

/* Mark the responses of f up to f->last_id published in import
** `import_id`, on connection db inside the import's transaction. Returns
** 0 or CHISO_EIO. */
int staging_mark(sqlite3 *db, int year, const staging_file *f, long long import_id,
                 chiso_err *err);

/* A memfd holding n bytes of data and its path ("/proc/self/fd/N", which
** opens like a file) in path (size 32): *fd (close it when done). Returns
** 0 or CHISO_EIO. */
int staging_memfile(const char *data, size_t n, int *fd, char path[32], chiso_err *err);

#endif

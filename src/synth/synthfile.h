/* synthfile.h — writing synthetic surveys as CSV or XLSX, with the
** metadata file that says they are synthetic and, for --messy files, the
** list of rows an importer must reject.
**
** Files made for one path FILE:
**   FILE                 the survey (CSV or XLSX; XLSX has a Metadata sheet)
**   FILE.meta.json       generator, seed, year, model version, "synthetic": true
**   FILE.expected.csv    messy files only: row,respondent_id,column,value,problem
** Everything is written to temporary files first and renamed at the end,
** so a failure never leaves a partial file. */
#ifndef CHISO_SYNTHFILE_H
#define CHISO_SYNTHFILE_H

#include "base/err.h"
#include "base/log.h"
#include "synth/synth.h"

#include <stdint.h>

typedef enum { SYNTHFILE_CSV = 0, SYNTHFILE_XLSX = 1 } synthfile_format;

/* Exact number of invalid rows a --messy file holds (one of each kind:
** unknown province, percent out of range, disallowed answer, duplicate
** respondent id). */
#define SYNTHFILE_INVALID_ROWS 4

/* Shares of rows altered in a --messy file (docs/synth.md). */
#define SYNTHFILE_NAME_VARIANT_SHARE 0.30
#define SYNTHFILE_ANSWER_VARIANT_SHARE 0.25
#define SYNTHFILE_OLD_NAME_SHARE 0.50 /* of rows of a merged unit's former province */

typedef struct synthfile_options {
  int year;
  long respondents;
  uint64_t seed;
  const char *method;  /* recorded in the metadata only (the columns are fixed) */
  synthfile_format format;
  int messy;
  int threads;         /* CSV worker threads; 0 = one per CPU (at most 8).
                          The bytes written do not depend on it. */
} synthfile_options;

typedef struct synthfile_summary {
  long rows;            /* data rows written */
  size_t units;         /* units of the year's era */
  long name_variants;   /* messy: rows whose province is not the official name */
  long answer_variants; /* messy: rows with other yes/no spellings */
  long old_names;       /* messy: rows naming a former province (34-unit years) */
  long invalid;         /* messy: SYNTHFILE_INVALID_ROWS, else 0 */
} synthfile_summary;

/* Generate and write the survey at `path` (and its sidecar files) with the
** model `m` (borrowed). `progress` (may be NULL) is called with stage
** "synth". On success returns 0 and fills *sum (may be NULL). Returns
** CHISO_EUSAGE (bad options, e.g. too many rows for XLSX), CHISO_EIO (a file
** could not be written; nothing is left behind) or CHISO_ENOMEM, with err
** filled. */
int synthfile_write(const synth_model *m, const synthfile_options *o, const char *path,
               chiso_progress_fn progress, void *userdata, synthfile_summary *sum,
               chiso_err *err);

/* 1 when `data_path` has the sidecar FILE.meta.json of chiso synth
** saying "synthetic": true; 0 otherwise (no sidecar, unreadable, not
** marked). Cannot fail. */
int synthfile_sidecar_synthetic(const char *data_path);

/* The rule of synthfile_sidecar_synthetic on the sidecar's text (len
** bytes): 1 when it is a JSON object with "synthetic": true, else 0 (bad
** JSON included). Cannot fail. */
int synthfile_sidecar_parse(const char *text, size_t len);

#endif

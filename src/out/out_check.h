/* out_check.h — what reading a survey file found (ingest.h): the problems
** of a file and its summary line, as text, CSV or JSON (the output of
** `chiso validate`, the problems `chiso import` prints, the 422 body of
** an upload). */
#ifndef CHISO_OUT_CHECK_H
#define CHISO_OUT_CHECK_H

#include "chiso.h"
#include "survey/ingest.h"

#include <jansson.h>
#include <stdio.h>

/* Write the problems of r. Table: one "FILE:ROW:COL: message (column
** "HEADER", value "VALUE")" line each, then "FILE: ... and N more
** problems not listed" when some were not kept (followed by " (HINT)" when
** more_hint is not NULL: the front end's advice). CSV: file,row,col,column,
** value,rule,message; JSON: {"file", "problems": [...], "more": N}.
** Returns 0, CHISO_EIO or CHISO_ENOMEM. */
int out_check_problems(const ingest_report *r, const char *more_hint, chiso_format fmt,
                       FILE *out);

/* One problem as a JSON object {row, col, column, value, rule, message}
** (the form of every problem in chiso's JSON). NULL out of memory. */
json_t *out_check_problem_json(const ingest_problem *p);

/* Write the summary line of a file read with result rc (and err, for a
** file that could not be read through, printed first): "FILE: ok, N rows
** (CSV, UTF-8, ',')", "FILE: N problems in M rows (...)" or "FILE: cannot
** be read". Returns 0 or CHISO_EIO. */
int out_check_summary(const ingest_report *r, int rc, const chiso_err *err, FILE *out);

/* Note the columns the codebook does not know ("N columns not in the
** codebook: "A", "B", ...") on f, nothing when there are none. Returns 0 or
** CHISO_EIO. */
int out_check_unused(const ingest_report *r, FILE *f);

/* The unused columns (out_check_unused), then every note of the report
** (a stratum of one respondent, a province without answers), one line
** each: "FILE: NOTE". Returns 0 or CHISO_EIO. */
int out_check_notes(const ingest_report *r, FILE *f);

/* Write "FILE: read for YEAR (how): the UNITS; former provinces mapped"
** (ingest_year_note) as one line to f. Returns 0 or CHISO_EIO. */
int out_check_year(const ingest_report *r, FILE *f);

#endif

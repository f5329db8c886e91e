/* ingest.h — read a survey file (CSV, XLSX, or an SPSS, Stata or SAS data
** file through io/statfile) with a codebook into a survey_data, checking
** every cell.
**
** The header is the first row, or the first of the next ten that has a
** province column (title rows are skipped); in a statistical file it is
** the variables, each matched by its name or else by its variable label,
** and its cases are the rows. A value label is read as the text cell it
** shows ("Có", "Hà Nội"), or as its code when the label is not an answer
** the column takes; problems are located by case and variable name. Columns are matched to the
** codebook by folded keys (text_compact_key:
** case, diacritics, spaces and punctuation do not matter) against each
** question's id and `headers`, the design column names, and, for a multi
** question, `QUESTION.OPTION` per-option columns. Columns that match
** nothing are ignored (listed in the report).
**
** Coding (see docs/survey.md for the full rules):
**   yesno    Có/Không, C/K, Yes/No, Y/N, 1/0, True/False, Đúng/Sai (no also
**            Chưa, Chưa có, Không có), and
**            the x marks x, X, ✓, ✔, × (yes) → 1/0; blank is "no answer",
**            except in a tick-box column, one whose every non-blank
**            answer is an x mark, where blank means no (decided from the
**            whole column).
**   single   the option's id or any label → option index 0..n-1.
**   multi    one column of labels separated by ';' (or ',' when there is
**            no ';'), or yes/no columns QUESTION.OPTION → one 0/1 variable
**            per option ("QUESTION.OPTION").
**   number   decimal point or comma; '.' or ',' or spaces as thousands
**            separators when grouped by three ("1.234.567,5", "1,234.5",
**            "1 234"); a single separator is the decimal one ("2,5" = 2.5).
**   percent  a number 0..100, maybe followed by '%'.
** The province is resolved with geo_resolve for `year` (a former province
** in a 34-unit year gives the new unit and keeps the old code); the
** stratum column gives strata (sorted by name; one stratum "all" without
** a stratum column); the weight column must hold numbers from
** INGEST_WEIGHT_MIN to INGEST_WEIGHT_MAX; a year column whole numbers from
** INGEST_YEAR_MIN to INGEST_YEAR_MAX.
**
** Bounds: no answer is larger than INGEST_NUMBER_MAX in size and no weight
** leaves [INGEST_WEIGHT_MIN, INGEST_WEIGHT_MAX], so that the sums, squares
** and products of the estimators stay finite for any survey that fits in
** memory (1e18 · 1e12 squared is 1e60). A survey file is a regular file
** (never a FIFO or a device) of at most ingest_options.max_bytes
** (INGEST_DEFAULT_MAX_BYTES when 0).
**
** Every problem is collected with its row, column, value and rule. */
#ifndef CHISO_INGEST_H
#define CHISO_INGEST_H

#include "survey/codebook.h"
#include "io/csvread.h"
#include "base/err.h"
#include "geo/geo.h"
#include "survey/survey.h"

#include <stddef.h>

#define INGEST_NUMBER_MAX 1e18   /* |answer|: 10^18 đồng is beyond any firm's sales */
#define INGEST_WEIGHT_MIN 1e-12  /* a weight scaled to sum to 1 over 10^12 firms */
#define INGEST_WEIGHT_MAX 1e12
#define INGEST_DEFAULT_MAX_BYTES ((long long)4 << 30) /* a survey file of 4 GiB */
#define INGEST_YEAR_MIN 1900
#define INGEST_YEAR_MAX 2100

typedef enum {
  INGEST_R_FILE = 0,        /* the file as a whole: a missing column, a bad header */
  INGEST_R_UTF8 = 1,        /* bad UTF-8 in a cell */
  INGEST_R_PROVINCE = 2,    /* unknown or ambiguous province */
  INGEST_R_RANGE = 3,       /* a number outside the valid range */
  INGEST_R_NOT_ALLOWED = 4, /* an answer that is not one of the allowed ones */
  INGEST_R_REQUIRED = 5,    /* a blank required answer or design value */
  INGEST_R_DUPLICATE = 6,   /* a respondent id seen before */
  INGEST_R_NUMBER = 7       /* a value that is not a number */
} ingest_rule;

typedef struct ingest_problem {
  long row;        /* 1-based row of the file (header = 1) */
  long col;        /* 1-based column, 0 for the whole row or file */
  char *column;    /* header text of the column, or "" */
  char *value;     /* the offending value (bad bytes shown as \xNN), or "" */
  char *message;   /* what rule was broken, e.g. "answer not allowed for q_web_update" */
  ingest_rule rule;
} ingest_problem;

/* How the year a file is read for was told (ingest_guess_year). */
typedef enum {
  INGEST_YEAR_GIVEN = 0,   /* by the caller */
  INGEST_YEAR_COLUMN = 1,  /* the file's year column, one year throughout */
  INGEST_YEAR_NAMES = 2    /* no year column, but provinces that exist only before
                              2025: read as 2024, the last year of the 63 */
} ingest_year_from;

typedef struct ingest_year {
  int year;
  ingest_year_from from;
  char evidence[200];      /* INGEST_YEAR_NAMES: what showed the era, e.g.
                              "\"Bình Dương\" on row 5; 40 provinces in all" */
} ingest_year;

typedef struct ingest_report {
  char *file;
  ingest_year year;         /* the year read for and how it was told */
  size_t former_rows;       /* rows naming a former province (a 34-unit year),
                               read as the unit it became part of */
  size_t former_provinces;  /* how many distinct former provinces they name */
  ingest_problem *problems; /* sorted by row, then column */
  size_t n_problems;        /* problems kept (at most max_errors) */
  size_t n_errors;          /* problems found in all, may exceed n_problems */
  size_t rows_read;         /* data rows read (header excluded) */
  size_t rows_kept;         /* rows in the survey_data */
  size_t rows_skipped;      /* rows dropped with --skip-invalid */
  size_t cells_blanked;     /* wrong optional answers set to missing with
                               blank_invalid (listed in problems, not errors) */
  char **unused_columns;    /* headers that match nothing in the codebook */
  size_t n_unused;
  const char *format;       /* "csv", "xlsx", "sav", "por", "dta", "sas7bdat"
                               or "xpt" (static) */
  const char *encoding;     /* CSV: "UTF-8", "UTF-16LE", ... (static) */
  const char *legacy;       /* "TCVN3" or "VNI" when text was converted from that
                               legacy encoding (io/vnlegacy), else "" (static) */
  int legacy_detected;      /* 1: detected, 0: asked for */
  char delimiter;           /* CSV delimiter, 0 for XLSX */
  int fatal;                /* 1 when the file could not be read through (the
                               error is in err, not in problems) */
  long id_col;              /* 1-based column of the respondent ids, 0 when none */
  char *id_header;          /* its header text (escaped), or NULL */
  char **notes;             /* what a file that reads well still deserves a
                               word about: a stratum of one respondent, a
                               province with no answer at all (at most
                               INGEST_MAX_NOTES, the last one says how many
                               more) */
  size_t n_notes;
} ingest_report;

#define INGEST_MAX_NOTES 10

typedef struct ingest_options {
  size_t max_errors;      /* problems kept in the report; 0 = all */
  int skip_invalid;       /* 1: drop rows with problems, keep the rest */
  csvread_encoding encoding; /* CSVREAD_ENC_AUTO to detect (and to detect legacy
                                TCVN3/VNI text in any format); TCVN3 or VNI to
                                convert every cell from it; others: CSV only */
  char delimiter;         /* CSV only; 0 to detect */
  size_t max_field;       /* CSV only; 0 = CSVREAD_DEFAULT_MAX_FIELD */
  const char *sheet;      /* XLSX only; NULL = first sheet */
  long long max_bytes;    /* the file's size limit; 0 = INGEST_DEFAULT_MAX_BYTES */
  /* Respondent ids known from elsewhere (e.g. already in the store): when
  ** not NULL, called for each id that is new within the file; a return of
  ** 1 makes the row a INGEST_R_DUPLICATE problem 'respondent id "X"
  ** WHERE', WHERE being what the function wrote to where[0..n) (e.g.
  ** "already imported from s24.csv (import 3)"). Must not fail. */
  int (*id_known)(void *ctx, const char *id, char *where, size_t n);
  void *id_ctx;
  int blank_invalid;      /* 1: a wrong answer to a question that is not
                             required is set to missing (the row is kept; a
                             problem says so and is not counted as an error) */
  /* CSV only: called with the file's bytes as they are read (in order, each
  ** once; on the reading thread), e.g. to hash the file in the same pass;
  ** NULL: none */
  void (*on_read)(void *ctx, const void *bytes, size_t n);
  void *on_read_ctx;
} ingest_options;

/* Tell the year of the survey file at `path` without one given: its year
** column when every row that has one agrees, else the era its provinces
** show (a province merged in 2025, or more than 34 of them: read as 2024,
** the last year of the 63 provinces). Reads the file's province and year
** columns once. On success fills *out. Returns CHISO_EDATA with hint
** CHISO_HINT_YEAR when the file cannot tell (no year column and only
** names of units that exist in both eras; several years in the column),
** the errors of opening the file (CHISO_EIO, CHISO_EDATA), or
** CHISO_ENOMEM; a file without a header row gives ingest_file's error. */
int ingest_guess_year(const char *path, const codebook *cb, const geo_registry *reg,
                      const ingest_options *opt, ingest_year *out, chiso_err *err);

/* One line for a person saying which year and unit set a file was read
** for, how that year was told, and how many former provinces were mapped
** to their 2025 units, into buf of size n (always NUL-terminated), e.g.
**   read for 2025 (from its year column): the 34 units of 2025; 4 former
**   provinces mapped to their 2025 units (on 312 rows)
** Cannot fail. */
void ingest_year_note(const ingest_report *r, char *buf, size_t n);

/* Read the survey file at `path` (a statistical file told by its signature
** or extension, XLSX by extension or the zip signature, else CSV) with
** codebook `cb` for `year` (0: told by ingest_guess_year, whose errors it
** then returns). `opt` may be NULL.
**
** *report is always set (when not NULL) to a new report the caller frees
** with ingest_report_free, even on failure.
** Returns:
**   0           *out is a new survey_data (caller frees with survey_free)
**               holding every row, or with skip_invalid every row without a
**               problem (the report lists the others);
**   CHISO_EDATA rows had problems (without skip_invalid), or the header had
**               one (a duplicate or undecodable column, a missing required
**               question: even with skip_invalid): *out is NULL, the
**               report lists them, err says how many; or the file cannot be
**               read as a table at all (empty, no header, a missing design
**               column, an unclosed quote, a broken XLSX): err gives the
**               location and the report lists what was found before;
**   CHISO_EIO   the file cannot be opened or read;
**   CHISO_ENOMEM.
** A file with a header and no data rows is CHISO_EDATA ("no data rows"). */
int ingest_file(const char *path, const codebook *cb, const geo_registry *reg, int year,
                const ingest_options *opt, survey_data **out, ingest_report **report,
                chiso_err *err);

/* What to read from a file without a codebook. */
typedef struct ingest_plain_spec {
  const char *province_col; /* required */
  const char *weight_col;   /* NULL: no weights */
  const char *strata_col;   /* NULL: one stratum */
  const char *id_col;       /* NULL: respondents are numbered by row */
  const char *const *vars;  /* columns to read */
  size_t n_vars;
} ingest_plain_spec;

/* Read a survey file without a codebook (`chiso estimate --survey FILE
** --province-col C ...`): each column in spec->vars becomes a variable of
** the same name; a yes/no word (Có/Không, Yes/No, True/False, x) is coded
** 1/0, anything else must be a number (1/0 stay 1/0); blank is missing.
** Variables have question = -1. Same results and ownership as
** ingest_file; a column named in `spec` that is not in the file is
** CHISO_EDATA. */
int ingest_file_plain(const char *path, const ingest_plain_spec *spec,
                      const geo_registry *reg, int year, const ingest_options *opt,
                      survey_data **out, ingest_report **report, chiso_err *err);

/* Free a report. NULL is a no-op. */
void ingest_report_free(ingest_report *r);

/* Add a problem found after reading (e.g. an id stored by another import
** meanwhile) at row/col of the file; `column` and `value` may be NULL.
** The message is formatted like printf. The list stays sorted by row and
** column. Returns 0 or CHISO_ENOMEM (the report is then unchanged). */
int ingest_report_add(ingest_report *r, long row, long col, const char *column,
                      ingest_rule rule, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

/* Format one problem as "FILE:ROW:COL: message (column "H", value "V")"
** into buf of size n (always NUL-terminated); for an XLSX file the cell
** reference follows the location: "FILE:5:3: [C5] message ...". Cannot
** fail. */
void ingest_problem_format(const ingest_report *r, const ingest_problem *p, char *buf,
                           size_t n);

/* A short name of a rule, e.g. "unknown province". Never NULL. */
const char *ingest_rule_name(ingest_rule rule);

/* Code a yes/no answer (an x mark is yes): sets *out to 1, 0, or NaN for a blank. Returns 0,
** or CHISO_EDATA when the text is not a yes/no word. Cannot allocate. */
int ingest_parse_yesno(const char *s, double *out);

#endif

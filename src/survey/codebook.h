/* codebook.h — the questionnaire codebook of a methodology file: the
** questions, their allowed answers, the survey design columns, and the
** indicators defined from the questions.
**
** It is read from the "codebook" object of a methodology JSON file (see
** docs/methodology.md). The index tree of the same file is read by the
** index engine; the two meet at indicator ids. */
#ifndef CHISO_CODEBOOK_H
#define CHISO_CODEBOOK_H

#include "base/err.h"

#include <stddef.h>

typedef enum {
  CODEBOOK_YESNO = 0,   /* coded 1 (yes) / 0 (no) */
  CODEBOOK_SINGLE = 1,  /* coded as the option's index 0..n_options-1 */
  CODEBOOK_MULTI = 2,   /* expanded to one 0/1 variable per option */
  CODEBOOK_NUMBER = 3,  /* a real number */
  CODEBOOK_PERCENT = 4, /* a number 0..100 */
  CODEBOOK_TEXT = 5     /* kept as text, not used in estimates */
} codebook_qtype;

typedef struct codebook_option {
  char *id;       /* e.g. "erp" */
  char **labels;  /* accepted labels (folded when matched) */
  size_t n_labels;
} codebook_option;

typedef struct codebook_question {
  char *id;                  /* e.g. "q_website"; also the default column header */
  char *text_vi, *text_en;
  codebook_qtype type;
  char **headers;            /* extra accepted column headers */
  size_t n_headers;
  codebook_option *options;        /* CODEBOOK_SINGLE / CODEBOOK_MULTI */
  size_t n_options;
  double min, max;           /* valid range for numbers (NaN = open) */
  char *unit;                /* number: "count", "vnd", "million_vnd", ... or NULL */
  int decimals;              /* number: the most decimals an answer has, -1 unknown
                                ("count" and "vnd" give 0); below 3, "1.250" = 1250 */
  char decimal_sep;          /* number: '.' or ',' when declared, else 0 */
  int required;              /* 1 when a blank answer is an error */
} codebook_question;

typedef enum {
  CODEBOOK_SHARE_YES = 0,  /* weighted share answering yes to a yes/no question */
  CODEBOOK_SHARE_ANY = 1,  /* share choosing any of `options` of a choice question */
  CODEBOOK_MEAN = 2,       /* weighted mean of a number/percent question */
  CODEBOOK_TOTAL = 3,      /* weighted total of a number question */
  CODEBOOK_RATIO = 4       /* ratio of the weighted totals of two questions */
} codebook_kind;

typedef struct codebook_indicator {
  char *id;                  /* matches an indicator node of the index tree */
  codebook_kind kind;
  char *question;            /* numerator question id */
  char *denominator;         /* CODEBOOK_RATIO: denominator question id */
  char **options;            /* CODEBOOK_SHARE_ANY: option ids */
  size_t n_options;
} codebook_indicator;

/* The design columns of the survey file (header names, matched tolerantly). */
typedef struct codebook_design {
  char *respondent_id;  /* required */
  char *province;       /* required */
  char *stratum;        /* optional: e.g. size class */
  char *weight;         /* optional: a weight column */
  char *sector;         /* optional */
  char *year;           /* optional */
  int min_respondents;  /* a province below this is reported, not ranked */
} codebook_design;

typedef struct codebook {
  codebook_question *questions;
  size_t n_questions;
  codebook_indicator *indicators;
  size_t n_indicators;
  codebook_design design;
} codebook;

/* Read the "codebook" object of the methodology file at `path`. On success
** *out is a new codebook the caller frees with codebook_free. Returns
** CHISO_EIO (unreadable), CHISO_EDATA (bad JSON or a bad codebook, with the
** file and, when jansson gives it, the line and column) or CHISO_ENOMEM. */
int codebook_load(const char *path, codebook **out, chiso_err *err);

/* The same from a JSON text already in memory (borrowed); `name` is used in
** errors. Same contract as codebook_load (no CHISO_EIO). */
int codebook_parse(const char *json, const char *name, codebook **out, chiso_err *err);

/* Load a methodology given as a file path or, when no such file exists, as
** the name of a shipped methodology (data/methods/NAME.json, embedded).
** Same results as codebook_load; CHISO_ENOTFOUND when it is neither. */
int codebook_load_method(const char *method, codebook **out, chiso_err *err);

/* Free the codebook and everything in it. NULL is a no-op. */
void codebook_free(codebook *cb);

/* The question with this id, or NULL. Borrowed. */
const codebook_question *codebook_find_question(const codebook *cb, const char *id);

#endif

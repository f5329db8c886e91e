/* number.h — reading numbers, one function per rule, so that every reader
** of a kind of file reads "1.250" the same way.
**
**   data     a table written by a program (COINr iData/iMeta, weights,
**            indicator and plan files, population counts): the plain C
**            decimal form, with markers for a missing value;
**   survey   an answer typed by a person (survey files): Vietnamese or
**            English digit grouping and decimal separators. */
#ifndef CHISO_NUMBER_H
#define CHISO_NUMBER_H

#include <stddef.h>

enum {
  NUMBER_OK = 0,      /* *out holds the number */
  NUMBER_MISSING = 1, /* a missing-value marker: *out is NaN */
  NUMBER_BAD = -1,    /* not a number by the rule: *out untouched */
  NUMBER_RANGE = -2   /* a number larger than NUMBER_DATA_MAX in size: *out untouched */
};

/* The largest size of a number in a data table: beyond it, differences
** and squares in the index engine (min-max ranges, variances) would
** overflow to infinity. */
#define NUMBER_DATA_MAX 1e100

/* Why number_parse_data refused a text, for messages: "not a number" or
** "out of range (at most 1e+100 in size)". Never NULL. */
const char *number_data_reason(int rc);

/* The data rule: optional sign, digits with one optional '.', an optional
** exponent (1e6, 2.5E-3); surrounding spaces ignored. Blank, "NA", "NaN",
** "." and "-" are missing. No thousands separators, no hexadecimal, no
** inf or nan words: a finite double only ("-0" gives 0), at most
** NUMBER_DATA_MAX in size (else NUMBER_RANGE). Cannot fail otherwise. */
int number_parse_data(const char *s, double *out);

/* The survey rule: a number as people type it in Vietnam or elsewhere:
** optional sign, digits with '.', ',', space or no-break-space thousands
** separators in groups of three, a decimal '.' or ','; with `percent`, an
** optional trailing '%'. Leading and trailing spaces are ignored; "-0"
** gives 0. Returns 0 and sets *out, or CHISO_EDATA when the text is not
** such a number (or overflows a double). */
int number_parse_survey(const char *s, int percent, double *out);

/* ---- a column of numbers ----------------------------------------------------
**
** A lone separator followed by exactly three digits ("1.250", "15.000",
** "1,250") is a decimal point to an English reader and a thousands
** separator to a Vietnamese one. A value is never read by guessing: the
** whole column decides. The column's other values show which separator is
** its decimal one ("2,5" and "1.250.000" show ','; "2.5" and "1,250,000"
** show '.'), or the codebook declares it (a decimal separator, or at most
** 0-2 decimals, as a count or an amount in đồng has: then "1.250" = 1250).
** A value the column cannot decide is reported, with its location, by the
** reader. Every reader of numbers (survey files, XLSX text cells, COINr and
** indicator tables, plans, populations) goes through these calls. */

enum { NUMBER_AMBIGUOUS = 2 }; /* "1.250": the column must decide (*out NaN) */

typedef enum {
  NUMBER_DATA = 0,    /* the data rule's missing markers (NA, NaN, ., -) */
  NUMBER_SURVEY = 1,  /* an answer: blank is the caller's business */
  NUMBER_PERCENT = 2  /* an answer with an optional trailing '%' */
} number_rule;

typedef enum {
  NUMBER_SEP_UNKNOWN = 0,
  NUMBER_SEP_DOT = 1,   /* 1,234.5 */
  NUMBER_SEP_COMMA = 2  /* 1.234,5 (Vietnamese) */
} number_sep;

typedef struct number_column {
  number_sep declared;     /* the decimal separator the column is declared with */
  int max_decimals;        /* the most decimals a value may have, -1 unknown */
  size_t n_dot, n_comma;   /* values read that show '.' / ',' as decimal */
  char dot_example[24];    /* the first such value of each kind (for messages) */
  char comma_example[24];
} number_column;

/* A column with nothing read yet. `declared` and `max_decimals` (-1: not
** declared) come from the codebook or the reader. Cannot fail. */
void number_column_init(number_column *c, number_sep declared, int max_decimals);

/* Read one value `s` of column c by `rule` into *out and note what it
** shows about the column's decimal separator. Returns NUMBER_OK,
** NUMBER_MISSING (data rule markers; *out NaN), NUMBER_BAD (not a number;
** *out untouched), NUMBER_RANGE (data rule: beyond NUMBER_DATA_MAX in
** size; *out untouched) or NUMBER_AMBIGUOUS ("1.250" in a column whose
** declaration does not decide it; *out NaN: call number_column_settle
** once the whole column is read). Cannot fail otherwise. */
int number_column_read(number_column *c, number_rule rule, const char *s, double *out);

/* Settle an ambiguous value `s` once every value of the column has been
** read: the declaration, else the separator the column's other values
** show, else the one the file's other columns show (`file`: their
** evidence summed with number_column_add, may be NULL; a file is typed in
** one locale), else the one reading inside [lo, hi] (NaN: open) decides.
** Returns NUMBER_OK with *out, or NUMBER_AMBIGUOUS (undecidable: *out
** NaN). */
int number_column_settle(const number_column *c, const number_column *file, number_rule rule,
                         const char *s, double lo, double hi, double *out);

/* Add what column `from` shows to `to` (e.g. to sum a file's columns).
** Cannot fail. */
void number_column_add(number_column *to, const number_column *from);

/* Why `s` cannot be read in column c of a file (may be NULL), for a
** message: "ambiguous number \"1.250\": 1250 ... or 1.25 ..." into buf of
** size n (always NUL-terminated). */
void number_column_explain(const number_column *c, const number_column *file, const char *s,
                           char *buf, size_t n);

#endif

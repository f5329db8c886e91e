/* csvtable.h — a small CSV table held in memory: the one in-memory table
** of the readers (plans, actuals, indicators, populations, COINr tables).
**
** For the modest tables of the analysis commands (plans, actuals, province
** values, compute output). The records come from csvread, the one CSV
** tokenizer (csvread.h): UTF-8 with an optional BOM, commas, CRLF or LF,
** quoted fields with commas, doubled quotes and line breaks, blank lines
** skipped, nothing allowed after a closing quote, no limit on a field.
** The first row is the header. Every row remembers the 1-based line where
** it starts so that errors can name FILE:ROW:COL. (Survey files, which can
** be large, are streamed with csvread by ingest.) */
#ifndef CHISO_CSVTABLE_H
#define CHISO_CSVTABLE_H

#include "base/err.h"

#include <stddef.h>

typedef struct csvtable {
  char *name;       /* file name used in error messages (copied) */
  size_t n_cols;    /* header width */
  char **header;    /* n_cols header names, surrounding spaces trimmed */
  size_t n_rows;    /* data rows, header excluded, blank lines skipped */
  char ***cells;    /* n_rows rows of n_cols strings ("" when absent) */
  long *line;       /* n_rows 1-based line numbers of the rows in the file */
  struct number_column *numbers; /* n_cols + 1: what each column's values show
                                    about its decimal separator (number.h),
                                    then the whole table's */
} csvtable;

/* Parse `len` bytes of CSV text (copied). `name` labels errors. On success
** *out is a new table the caller frees with csvtable_free. Returns CHISO_EDATA
** (bad UTF-8, unclosed quote, a character after a closing quote, a row
** wider than the header, an empty or duplicate header name, an empty file)
** with err located at FILE:ROW:COL, or CHISO_ENOMEM; *out is NULL on
** failure. */
int csvtable_parse(const char *text, size_t len, const char *name,
                csvtable **out, chiso_err *err);

/* Read and parse the file at `path`. Same contract as csvtable_parse, plus
** CHISO_EIO when the file cannot be read. */
int csvtable_read(const char *path, csvtable **out, chiso_err *err);

/* csvtable_read, with blank header names allowed when blank_ok (R writes
** one for row names): such a column is kept but never matched by name. */
int csvtable_read_blank(const char *path, int blank_ok, csvtable **out, chiso_err *err);

/* Free the table. NULL is a no-op. */
void csvtable_free(csvtable *t);

/* Index of the header column named `name` (compared case-insensitively),
** or -1 when absent. */
int csvtable_col(const csvtable *t, const char *name);

/* The cell of row r, column c, or "" when c < 0. Borrowed. */
const char *csvtable_cell(const csvtable *t, size_t r, int c);

/* Parse a cell as a finite double by the data rule (number.h), the column
** deciding what "1.250" means (number_column_settle: the separator its
** other values show). A missing cell (blank, NA, NaN, ".", "-") gives NaN
** and 0 when `allow_empty`, else an error. On a bad number, or one the
** column cannot decide, returns CHISO_EDATA with err at FILE:ROW:COL
** naming the column. */
int csvtable_number(const csvtable *t, size_t r, int c, int allow_empty,
                 double *out, chiso_err *err);

/* The cell of row r, column c read as csvtable_number reads it (whole: at
** most 0 decimals), for a reader with its own messages: returns NUMBER_OK,
** NUMBER_MISSING, NUMBER_BAD or NUMBER_AMBIGUOUS (number.h; *out NaN but
** for NUMBER_OK), with the reason in why[0..n) for NUMBER_AMBIGUOUS (why
** may be NULL). Cannot fail. */
int csvtable_value(const csvtable *t, size_t r, int c, int whole, double *out, char *why,
                   size_t n);

/* Parse a cell as a whole number in [lo, hi]; same rules as csvtable_number,
** a lone separator before three digits grouping thousands ("1.250" = 1250)
** (an allowed empty cell gives *out = 0 and returns 0). */
int csvtable_long(const csvtable *t, size_t r, int c, int allow_empty, long lo,
               long hi, long *out, chiso_err *err);

/* Fill err with CHISO_EDATA located at row r, column c of the table. Returns
** CHISO_EDATA. */
int csvtable_error(const csvtable *t, size_t r, int c, chiso_err *err,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif

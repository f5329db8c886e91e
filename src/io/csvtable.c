/* csvtable.c — a CSV table in memory, read with csvread (the one tokenizer). */
#include "io/csvtable.h"

#include "io/csvread.h"
#include "io/number.h"

#include "base/mem.h"
#include "base/textfile.h"
#include "base/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the table --------------------------------------------------------- */

void csvtable_free(csvtable *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n_cols && t->header; i++) chiso_free(t->header[i]);
  chiso_free(t->header);
  for (size_t r = 0; r < t->n_rows; r++) {
    for (size_t c = 0; c < t->n_cols; c++) chiso_free(t->cells[r][c]);
    chiso_free(t->cells[r]);
  }
  chiso_free(t->cells);
  chiso_free(t->line);
  chiso_free(t->numbers);
  chiso_free(t->name);
  chiso_free(t);
}

static void trim(char *s) {
  size_t n = strlen(s), a = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  while (s[a] == ' ' || s[a] == '\t') a++;
  memmove(s, s + a, n - a + 1);
}

/* Copy the n fields of a csvread row into a new array of n strings. */
static int copy_fields(const csvread_row *row, char ***out) {
  char **f = chiso_calloc(row->n, sizeof *f);
  if (!f) return CHISO_ENOMEM;
  *out = f;
  for (size_t c = 0; c < row->n; c++)
    if (!(f[c] = chiso_strndup(row->fields[c], row->lens[c]))) return CHISO_ENOMEM;
  return CHISO_OK;
}

static int take_header(csvtable *t, const csvread_row *row, int blank_ok, chiso_err *err) {
  t->n_cols = row->n;
  if (copy_fields(row, &t->header)) return CHISO_ENOMEM;
  for (size_t c = 0; c < t->n_cols; c++) {
    trim(t->header[c]);
    if (!t->header[c][0] && blank_ok) continue; /* R's row-name column: never matched */
    if (!t->header[c][0])
      return chiso_err_at(err, CHISO_EDATA, t->name, row->line, (long)c + 1,
                          "empty column name in header");
    for (size_t k = 0; k < c; k++)
      if (strcasecmp(t->header[k], t->header[c]) == 0)
        return chiso_err_at(err, CHISO_EDATA, t->name, row->line, (long)c + 1,
                            "duplicate column '%s' in header", t->header[c]);
  }
  return CHISO_OK;
}

/* Append a data row, padded to the header width with "". */
static int take_row(csvtable *t, const csvread_row *r, size_t *cap, chiso_err *err) {
  if (r->n > t->n_cols)
    return chiso_err_at(err, CHISO_EDATA, t->name, r->line, (long)t->n_cols + 1,
                        "row has %zu fields but the header has %zu", r->n, t->n_cols);
  size_t lcap = *cap;
  if (chiso_grow((void **)&t->cells, cap, t->n_rows + 1, sizeof *t->cells) ||
      chiso_grow((void **)&t->line, &lcap, t->n_rows + 1, sizeof *t->line))
    return CHISO_ENOMEM;
  char **row = chiso_calloc(t->n_cols ? t->n_cols : 1, sizeof *row);
  if (!row) return CHISO_ENOMEM;
  t->cells[t->n_rows] = row;
  t->line[t->n_rows++] = r->line;
  for (size_t c = 0; c < t->n_cols; c++)
    if (!(row[c] = c < r->n ? chiso_strndup(r->fields[c], r->lens[c]) : chiso_strdup("")))
      return CHISO_ENOMEM;
  return CHISO_OK;
}

/* What every column's values show about its decimal separator, so that a
** cell reads the same whichever row is asked first. */
static int scan_numbers(csvtable *t) {
  t->numbers = chiso_calloc(t->n_cols + 1, sizeof *t->numbers); /* the last: the whole file */
  if (!t->numbers) return CHISO_ENOMEM;
  number_column_init(&t->numbers[t->n_cols], NUMBER_SEP_UNKNOWN, -1);
  for (size_t c = 0; c < t->n_cols; c++) {
    number_column_init(&t->numbers[c], NUMBER_SEP_UNKNOWN, -1);
    for (size_t r = 0; r < t->n_rows; r++) {
      double v;
      number_column_read(&t->numbers[c], NUMBER_DATA, t->cells[r][c], &v);
    }
    number_column_add(&t->numbers[t->n_cols], &t->numbers[c]);
  }
  return CHISO_OK;
}

/* Every record of the reader into a new table: the header first (blank
** lines are skipped by csvread), each cell checked for UTF-8. */
static int read_table(csvread *rd, const char *name, int blank_ok, csvtable **out, chiso_err *err) {
  size_t cap = 0;
  csvread_row *row = NULL;
  csvtable *t = chiso_calloc(1, sizeof *t);
  int rc = t && (t->name = chiso_strdup(name)) ? CHISO_OK : CHISO_ENOMEM;
  if (!rc) rc = csvread_next(rd, &row, err);
  if (!rc && !row) rc = chiso_err_at(err, CHISO_EDATA, name, 1, 0, "empty file: no header");
  for (int first = 1; !rc && row; first = 0) {
    if (row->bad_utf8_field) {
      rc = chiso_err_at(err, CHISO_EDATA, name, row->line, (long)row->bad_utf8_field,
                        "invalid UTF-8 at byte %zu of the field", row->bad_utf8_offset + 1);
      break;
    }
    rc = first ? take_header(t, row, blank_ok, err) : take_row(t, row, &cap, err);
    if (!rc) rc = csvread_next(rd, &row, err);
  }
  if (!rc) rc = scan_numbers(t);
  if (rc) csvtable_free(t);
  else *out = t;
  return rc;
}

/* The csvin flavour of csvread: UTF-8 only, commas, no field limit. */
static const csvread_options csvtable_opts = {.encoding = CSVREAD_ENC_UTF8, .delimiter = ',', .max_field = CSVREAD_MAX_ROW, .max_bytes = TEXTFILE_MAX_BYTES};

/* Read everything from the reader rd, then close it. */
static int finish(csvread *rd, const char *name, int blank_ok, csvtable **out, chiso_err *err) {
  int rc = read_table(rd, name, blank_ok, out, err);
  csvread_close(rd);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory reading %s", name);
  return rc;
}

int csvtable_parse(const char *text, size_t len, const char *name, csvtable **out,
                chiso_err *err) {
  csvread *rd = NULL;
  *out = NULL;
  if (!name) name = "";
  int rc = csvread_open_mem(text, len, name, &csvtable_opts, &rd, err);
  return rc ? rc : finish(rd, name, 0, out, err);
}

int csvtable_read(const char *path, csvtable **out, chiso_err *err) {
  return csvtable_read_blank(path, 0, out, err);
}

int csvtable_read_blank(const char *path, int blank_ok, csvtable **out, chiso_err *err) {
  csvread *rd = NULL;
  *out = NULL;
  int rc = csvread_open(path, &csvtable_opts, &rd, err);
  return rc ? rc : finish(rd, path, blank_ok, out, err);
}

int csvtable_col(const csvtable *t, const char *name) {
  for (size_t c = 0; c < t->n_cols; c++)
    if (t->header[c][0] && strcasecmp(t->header[c], name) == 0) return (int)c;
  return -1;
}

const char *csvtable_cell(const csvtable *t, size_t r, int c) {
  if (c < 0 || (size_t)c >= t->n_cols || r >= t->n_rows) return "";
  return t->cells[r][c];
}

int csvtable_error(const csvtable *t, size_t r, int c, chiso_err *err, const char *fmt, ...) {
  char msg[900];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  long line = r < t->n_rows ? t->line[r] : 0;
  chiso_err_at(err, CHISO_EDATA, t->name, line, c >= 0 ? c + 1 : 0, "%s", msg);
  if (err && c >= 0) snprintf(err->column, sizeof err->column, "%s", t->header[c]);
  return CHISO_EDATA;
}

int csvtable_value(const csvtable *t, size_t r, int c, int whole, double *out, char *why,
                   size_t n) {
  const char *s = csvtable_cell(t, r, c);
  number_column col;
  number_column_init(&col, NUMBER_SEP_UNKNOWN, whole ? 0 : -1);
  if (c >= 0 && (size_t)c < t->n_cols) {
    col.n_dot = t->numbers[c].n_dot, col.n_comma = t->numbers[c].n_comma;
    memcpy(col.dot_example, t->numbers[c].dot_example, sizeof col.dot_example);
    memcpy(col.comma_example, t->numbers[c].comma_example, sizeof col.comma_example);
  }
  number_column seen = col; /* the read below must not count twice */
  int k = number_column_read(&seen, NUMBER_DATA, s, out);
  const number_column *file = &t->numbers[t->n_cols];
  if (k == NUMBER_AMBIGUOUS) k = number_column_settle(&col, file, NUMBER_DATA, s, NAN, NAN, out);
  if (k == NUMBER_AMBIGUOUS && why) number_column_explain(&col, file, s, why, n);
  if (k != NUMBER_OK) *out = NAN;
  return k;
}

/* A cell by the data rule in its column; `whole`: at most 0 decimals. */
static int table_number(const csvtable *t, size_t r, int c, int allow_empty, int whole,
                        double *out, chiso_err *err) {
  char why[300];
  int k = csvtable_value(t, r, c, whole, out, why, sizeof why);
  if (k == NUMBER_OK || (k == NUMBER_MISSING && allow_empty)) return CHISO_OK;
  const char *name = c >= 0 ? t->header[c] : "value", *s = csvtable_cell(t, r, c);
  if (k == NUMBER_MISSING) return csvtable_error(t, r, c, err, "%s: a number is required", name);
  if (k == NUMBER_AMBIGUOUS) return csvtable_error(t, r, c, err, "%s: %s", name, why);
  while (*s == ' ') s++;
  return csvtable_error(t, r, c, err, "%s: '%s' is %s", name, s, number_data_reason(k));
}

int csvtable_number(const csvtable *t, size_t r, int c, int allow_empty, double *out,
                    chiso_err *err) {
  return table_number(t, r, c, allow_empty, 0, out, err);
}

int csvtable_long(const csvtable *t, size_t r, int c, int allow_empty, long lo, long hi,
               long *out, chiso_err *err) {
  double v;
  int rc = table_number(t, r, c, allow_empty, 1, &v, err);
  *out = 0;
  if (rc || isnan(v)) return rc;
  if (v != floor(v) || v < (double)lo || v > (double)hi)
    return csvtable_error(t, r, c, err, "%s: '%s' must be a whole number from %ld to %ld",
                       t->header[c], csvtable_cell(t, r, c), lo, hi);
  *out = (long)v;
  return CHISO_OK;
}

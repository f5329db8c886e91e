/* csvin.c — a small in-memory RFC 4180 reader. */
#include "csvin.h"

#include "mem.h"
#include "text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- one record -------------------------------------------------------- */

typedef struct record {
  char **f;
  size_t n, cap;
} record;

static void record_clear(record *r) {
  for (size_t i = 0; i < r->n; i++) chiso_free(r->f[i]);
  chiso_free(r->f);
  memset(r, 0, sizeof *r);
}

static int record_push(record *r, const char *s, size_t n) {
  if (chiso_grow((void **)&r->f, &r->cap, r->n + 1, sizeof *r->f)) return CHISO_ENOMEM;
  char *copy = chiso_strndup(s, n);
  if (!copy) return CHISO_ENOMEM;
  r->f[r->n++] = copy;
  return CHISO_OK;
}

typedef struct scanner {
  const char *p, *end;
  long line;   /* current 1-based line */
  char *buf;   /* field being built */
  size_t len, cap;
} scanner;

static int buf_put(scanner *s, char c) {
  if (chiso_grow((void **)&s->buf, &s->cap, s->len + 2, 1)) return CHISO_ENOMEM;
  s->buf[s->len++] = c;
  return CHISO_OK;
}

/* Read one quoted field body (the opening quote already consumed). */
static int scan_quoted(scanner *s, const char *name, chiso_err *err, size_t col) {
  long start = s->line;
  for (;;) {
    if (s->p >= s->end)
      return chiso_err_at(err, CHISO_EDATA, name, start, (long)col, "unterminated quoted field");
    char c = *s->p++;
    if (c == '"') {
      if (s->p < s->end && *s->p == '"') s->p++;
      else return CHISO_OK;
    } else if (c == '\n') {
      s->line++;
    }
    if (buf_put(s, c)) return CHISO_ENOMEM;
  }
}

/* Read one record into r. Sets *eof when no record was left. */
static int scan_record(scanner *s, record *r, int *eof, const char *name, chiso_err *err) {
  *eof = s->p >= s->end;
  if (*eof) return CHISO_OK;
  for (;;) {
    s->len = 0;
    if (s->p < s->end && *s->p == '"') {
      s->p++;
      int rc = scan_quoted(s, name, err, r->n + 1);
      if (rc) return rc;
    }
    while (s->p < s->end && *s->p != ',' && *s->p != '\n' && *s->p != '\r') {
      if (buf_put(s, *s->p++)) return CHISO_ENOMEM;
    }
    if (record_push(r, s->buf ? s->buf : "", s->len)) return CHISO_ENOMEM;
    if (s->p < s->end && *s->p == ',') { s->p++; continue; }
    if (s->p < s->end && *s->p == '\r') s->p++;
    if (s->p < s->end && *s->p == '\n') s->p++;
    s->line++;
    return CHISO_OK;
  }
}

/* ---- the table --------------------------------------------------------- */

void csvin_free(csvin_table *t) {
  if (!t) return;
  for (size_t i = 0; i < t->n_cols && t->header; i++) chiso_free(t->header[i]);
  chiso_free(t->header);
  for (size_t r = 0; r < t->n_rows; r++) {
    for (size_t c = 0; c < t->n_cols; c++) chiso_free(t->cells[r][c]);
    chiso_free(t->cells[r]);
  }
  chiso_free(t->cells);
  chiso_free(t->line);
  chiso_free(t->name);
  chiso_free(t);
}

static void trim(char *s) {
  size_t n = strlen(s), a = 0;
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
  while (s[a] == ' ' || s[a] == '\t') a++;
  memmove(s, s + a, n - a + 1);
}

static int take_header(csvin_table *t, record *r, chiso_err *err) {
  t->header = r->f;
  t->n_cols = r->n;
  memset(r, 0, sizeof *r);
  for (size_t c = 0; c < t->n_cols; c++) {
    trim(t->header[c]);
    if (!t->header[c][0])
      return chiso_err_at(err, CHISO_EDATA, t->name, 1, (long)c + 1, "empty column name in header");
    for (size_t k = 0; k < c; k++)
      if (strcasecmp(t->header[k], t->header[c]) == 0)
        return chiso_err_at(err, CHISO_EDATA, t->name, 1, (long)c + 1,
                            "duplicate column '%s' in header", t->header[c]);
  }
  return CHISO_OK;
}

static int is_blank(const record *r) { return r->n == 1 && r->f[0][0] == '\0'; }

/* Append a data row, padding it to the header width. */
static int take_row(csvin_table *t, record *r, long line, size_t *cap, chiso_err *err) {
  if (r->n > t->n_cols)
    return chiso_err_at(err, CHISO_EDATA, t->name, line, (long)t->n_cols + 1,
                        "row has %zu fields but the header has %zu", r->n, t->n_cols);
  size_t lcap = *cap;
  if (chiso_grow((void **)&t->cells, cap, t->n_rows + 1, sizeof *t->cells) ||
      chiso_grow((void **)&t->line, &lcap, t->n_rows + 1, sizeof *t->line))
    return CHISO_ENOMEM;
  char **row = chiso_calloc(t->n_cols ? t->n_cols : 1, sizeof *row);
  if (!row) return CHISO_ENOMEM;
  t->cells[t->n_rows] = row;
  t->line[t->n_rows++] = line;
  for (size_t c = 0; c < t->n_cols; c++) {
    row[c] = c < r->n ? r->f[c] : chiso_strdup("");
    if (c < r->n) r->f[c] = NULL;
    if (!row[c]) return CHISO_ENOMEM;
  }
  return CHISO_OK;
}

int csvin_parse(const char *text, size_t len, const char *name, csvin_table **out,
                chiso_err *err) {
  int rc = CHISO_OK;
  record r = {0};
  scanner s = {text, text + len, 1, NULL, 0, 0};
  size_t cap = 0;
  *out = NULL;
  csvin_table *t = chiso_calloc(1, sizeof *t);
  if (!t || !(t->name = chiso_strdup(name ? name : ""))) { rc = CHISO_ENOMEM; goto done; }
  size_t bad = text_utf8_check(text, len);
  if (bad < len) {
    rc = chiso_err_at(err, CHISO_EDATA, t->name, 0, 0, "invalid UTF-8 at byte %zu", bad);
    goto done;
  }
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) s.p += 3;
  int eof = 0;
  if ((rc = scan_record(&s, &r, &eof, t->name, err))) goto done;
  if (eof) { rc = chiso_err_at(err, CHISO_EDATA, t->name, 1, 0, "empty file: no header"); goto done; }
  if ((rc = take_header(t, &r, err))) goto done;
  for (;;) {
    record_clear(&r);
    long line = s.line;
    if ((rc = scan_record(&s, &r, &eof, t->name, err)) || eof) break;
    if (is_blank(&r)) continue;
    if ((rc = take_row(t, &r, line, &cap, err))) break;
  }
done:
  record_clear(&r);
  chiso_free(s.buf);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory reading %s", name ? name : "CSV");
  if (rc) csvin_free(t);
  else *out = t;
  return rc;
}

int csvin_read(const char *path, csvin_table **out, chiso_err *err) {
  int rc = CHISO_OK;
  char *data = NULL;
  size_t n = 0, cap = 0;
  *out = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) return chiso_err_at(err, CHISO_EIO, path, 0, 0, "cannot read: %s", strerror(errno));
  for (;;) {
    if (chiso_grow((void **)&data, &cap, n + 65536, 1)) { rc = CHISO_ENOMEM; goto done; }
    size_t got = fread(data + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  if (ferror(f)) { rc = chiso_err_at(err, CHISO_EIO, path, 0, 0, "read error"); goto done; }
  rc = csvin_parse(data, n, path, out, err);
done:
  fclose(f);
  chiso_free(data);
  if (rc == CHISO_ENOMEM) chiso_err_set(err, rc, "out of memory reading %s", path);
  return rc;
}

int csvin_col(const csvin_table *t, const char *name) {
  for (size_t c = 0; c < t->n_cols; c++)
    if (strcasecmp(t->header[c], name) == 0) return (int)c;
  return -1;
}

const char *csvin_cell(const csvin_table *t, size_t r, int c) {
  if (c < 0 || (size_t)c >= t->n_cols || r >= t->n_rows) return "";
  return t->cells[r][c];
}

int csvin_error(const csvin_table *t, size_t r, int c, chiso_err *err, const char *fmt, ...) {
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

int csvin_number(const csvin_table *t, size_t r, int c, int allow_empty, double *out,
                 chiso_err *err) {
  const char *s = csvin_cell(t, r, c);
  while (*s == ' ') s++;
  *out = NAN;
  if (!*s) {
    if (allow_empty) return CHISO_OK;
    return csvin_error(t, r, c, err, "%s: a number is required",
                       c >= 0 ? t->header[c] : "value");
  }
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  while (end && *end == ' ') end++;
  if (errno || end == s || *end || !isfinite(v))
    return csvin_error(t, r, c, err, "%s: '%s' is not a number", t->header[c], s);
  *out = v;
  return CHISO_OK;
}

int csvin_long(const csvin_table *t, size_t r, int c, int allow_empty, long lo, long hi,
               long *out, chiso_err *err) {
  double v;
  int rc = csvin_number(t, r, c, allow_empty, &v, err);
  *out = 0;
  if (rc || isnan(v)) return rc;
  if (v != floor(v) || v < (double)lo || v > (double)hi)
    return csvin_error(t, r, c, err, "%s: '%s' must be a whole number from %ld to %ld",
                       t->header[c], csvin_cell(t, r, c), lo, hi);
  *out = (long)v;
  return CHISO_OK;
}

/* out_check.c — problems and summaries of survey files read (out_check.h). */
#include "out/out_check.h"

#include "base/err.h"
#include "base/jsonio.h"
#include "io/csvwrite.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int problems_text(const ingest_report *r, const char *more_hint, FILE *out) {
  char line[4096];
  for (size_t i = 0; i < r->n_problems; i++) {
    ingest_problem_format(r, &r->problems[i], line, sizeof line);
    fprintf(out, "%s\n", line);
  }
  if (r->n_errors > r->n_problems)
    fprintf(out, "%s: ... and %zu more problems not listed%s%s%s\n", r->file,
            r->n_errors - r->n_problems, more_hint ? " (" : "", more_hint ? more_hint : "",
            more_hint ? ")" : "");
  return ferror(out) ? CHISO_EIO : CHISO_OK;
}

static int problems_csv(const ingest_report *r, FILE *out) {
  static const char *const head[] = {"file", "row", "col", "column", "value", "rule", "message"};
  int rc = csvwrite_row(out, head, 7, 0);
  for (size_t i = 0; !rc && i < r->n_problems; i++) {
    const ingest_problem *p = &r->problems[i];
    char row[32], col[32];
    snprintf(row, sizeof row, "%ld", p->row);
    snprintf(col, sizeof col, "%ld", p->col);
    const char *cells[] = {r->file, row, col, p->column, p->value, ingest_rule_name(p->rule),
                           p->message};
    rc = csvwrite_row(out, cells, 7, 0);
  }
  return rc ? CHISO_EIO : CHISO_OK;
}

json_t *out_check_problem_json(const ingest_problem *p) {
  json_t *o = json_object();
  json_object_set_new(o, "row", json_integer(p->row));
  json_object_set_new(o, "col", json_integer(p->col));
  json_object_set_new(o, "column", json_string(p->column));
  json_object_set_new(o, "value", json_string(p->value));
  json_object_set_new(o, "rule", json_string(ingest_rule_name(p->rule)));
  json_object_set_new(o, "message", json_string(p->message));
  return o;
}

static int problems_json(const ingest_report *r, FILE *out) {
  json_t *root = json_object(), *list = json_array();
  if (!root || !list) {
    json_decref(root);
    json_decref(list);
    return CHISO_ENOMEM;
  }
  json_object_set_new(root, "file", json_string(r->file));
  for (size_t i = 0; i < r->n_problems; i++) json_array_append_new(list, out_check_problem_json(&r->problems[i]));
  json_object_set_new(root, "problems", list);
  json_object_set_new(root, "more", json_integer((json_int_t)(r->n_errors - r->n_problems)));
  return jsonio_dump(root, out);
}

int out_check_problems(const ingest_report *r, const char *more_hint, chiso_format fmt,
                       FILE *out) {
  return fmt == CHISO_FORMAT_CSV    ? problems_csv(r, out)
         : fmt == CHISO_FORMAT_JSON ? problems_json(r, out)
                                    : problems_text(r, more_hint, out);
}

/* The display name of a report's format: "XLSX", "SPSS .sav", ... */
static const char *format_name(const char *f) {
  static const char *const names[][2] = {{"xlsx", "XLSX"},        {"sav", "SPSS .sav"},
                                         {"por", "SPSS .por"},    {"dta", "Stata .dta"},
                                         {"sas7bdat", "SAS .sas7bdat"}, {"xpt", "SAS .xpt"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(f, names[i][0]) == 0) return names[i][1];
  return "CSV";
}

int out_check_summary(const ingest_report *r, int rc, const chiso_err *err, FILE *out) {
  char how[64] = "", line[4096];
  if (r->fatal) {
    chiso_err_format(err, line, sizeof line);
    fprintf(out, "%s\n", line);
  }
  size_t w;
  if (strcmp(r->format, "csv") == 0 && r->encoding[0])
    w = (size_t)snprintf(how, sizeof how, "CSV, %s, '%s'", r->encoding,
                         r->delimiter == '\t' ? "tab" : (char[2]){r->delimiter, 0});
  else
    w = (size_t)snprintf(how, sizeof how, "%s", format_name(r->format));
  /* text converted from a legacy encoding the file was not decoded from */
  if (r->legacy && r->legacy[0] && strcmp(r->legacy, r->encoding) && w < sizeof how)
    snprintf(how + w, sizeof how - w, ", %s text", r->legacy);
  /* a fatal problem's line is above, not among the n_errors counted */
  if (rc == CHISO_OK)
    fprintf(out, "%s: ok, %zu rows (%s)\n", r->file, r->rows_read, how);
  else if (r->n_errors)
    fprintf(out, "%s: %zu problem%s in %zu rows%s (%s)\n", r->file, r->n_errors,
            r->n_errors == 1 ? "" : "s", r->rows_read,
            r->fatal ? ", then one that stops the reading" : "", how);
  else if (r->fatal)
    fprintf(out, "%s: not checked further: the problem above stops the reading\n", r->file);
  else
    fprintf(out, "%s: cannot be read\n", r->file);
  return ferror(out) ? CHISO_EIO : CHISO_OK;
}

int out_check_notes(const ingest_report *r, FILE *f) {
  int rc = out_check_unused(r, f);
  for (size_t i = 0; !rc && i < r->n_notes; i++)
    if (fprintf(f, "%s: %s\n", r->file, r->notes[i]) < 0) rc = CHISO_EIO;
  return rc;
}

int out_check_year(const ingest_report *r, FILE *f) {
  char note[600];
  ingest_year_note(r, note, sizeof note);
  fprintf(f, "%s: %s\n", r->file, note);
  return ferror(f) ? CHISO_EIO : CHISO_OK;
}

int out_check_unused(const ingest_report *r, FILE *f) {
  if (!r->n_unused) return CHISO_OK;
  int csv = strcmp(format_name(r->format), "CSV") == 0 || strcmp(r->format, "xlsx") == 0;
  fprintf(f, "%s: %zu %s%s not in the codebook:", r->file, r->n_unused, csv ? "column" : "variable",
          r->n_unused == 1 ? "" : "s");
  for (size_t i = 0; i < r->n_unused && i < 10; i++)
    fprintf(f, "%s \"%s\"", i ? "," : "", r->unused_columns[i]);
  fprintf(f, "%s\n", r->n_unused > 10 ? ", ..." : "");
  return ferror(f) ? CHISO_EIO : CHISO_OK;
}

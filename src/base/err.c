/* err.c — the error record. */
#include "base/err.h"

#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void chiso_err_clear(chiso_err *err) {
  if (!err) return;
  memset(err, 0, sizeof *err);
}

/* The record never holds a byte that could drive a terminal: file names
** and the values quoted in messages come from outside (a file called
** "\033]0;x\a.csv", a cell holding ESC [2J), and every front end prints
** messages as they are. */
static void set_message(chiso_err *err, const char *fmt, va_list ap) {
  char raw[sizeof err->message];
  vsnprintf(raw, sizeof raw, fmt, ap);
  text_escape_controls(raw, 1, err->message, sizeof err->message);
}

int chiso_err_set(chiso_err *err, int code, const char *fmt, ...) {
  if (!err) return code;
  chiso_err_clear(err);
  err->code = code;
  va_list ap;
  va_start(ap, fmt);
  set_message(err, fmt, ap);
  va_end(ap);
  return code;
}

int chiso_err_at(chiso_err *err, int code, const char *file, long row,
                 long col, const char *fmt, ...) {
  if (!err) return code;
  chiso_err_clear(err);
  err->code = code;
  text_escape_controls(file, 0, err->file, sizeof err->file);
  err->row = row;
  err->col = col;
  va_list ap;
  va_start(ap, fmt);
  set_message(err, fmt, ap);
  va_end(ap);
  return code;
}

int chiso_err_ensure(chiso_err *err, int rc, const char *what) {
  if (rc && err && !err->code)
    chiso_err_set(err, rc, "%s", rc == CHISO_ENOMEM ? "out of memory" : what);
  return rc;
}

int chiso_err_hint(chiso_err *err, int hint) {
  if (!err) return 0;
  err->hint = hint;
  return err->code;
}

void chiso_err_format(const chiso_err *err, char *buf, size_t n) {
  if (!buf || n == 0) return;
  buf[0] = '\0';
  if (!err) return;
  size_t used = 0;
  if (err->file[0]) {
    if (err->row > 0 && err->col > 0)
      used = (size_t)snprintf(buf, n, "%s:%ld:%ld: ", err->file, err->row,
                              err->col);
    else if (err->row > 0)
      used = (size_t)snprintf(buf, n, "%s:%ld: ", err->file, err->row);
    else
      used = (size_t)snprintf(buf, n, "%s: ", err->file);
  }
  if (used >= n) return;
  snprintf(buf + used, n - used, "%s", err->message);
}

const char *chiso_strerror(int rc) {
  switch (rc) {
  case CHISO_OK: return "ok";
  case CHISO_EUSAGE: return "usage error";
  case CHISO_EDATA: return "data error";
  case CHISO_ENOTFOUND: return "not found";
  case CHISO_EAMBIGUOUS: return "ambiguous";
  case CHISO_EIO: return "i/o error";
  case CHISO_EEXISTS: return "already exists";
  case CHISO_ENOMEM: return "out of memory";
  case CHISO_EDENIED: return "not allowed";
  default: return "internal error";
  }
}

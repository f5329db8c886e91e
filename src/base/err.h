/* err.h — error codes and the error record every library call fills.
**
** Every fallible function returns an int: 0 (CHISO_OK) on success, one of
** the CHISO_E* codes otherwise, and fills a caller-owned chiso_err with a
** message and, when known, the location (file, row, column) of the
** offending input. */
#ifndef CHISO_ERR_H
#define CHISO_ERR_H

#include <stddef.h>

enum {
  CHISO_OK = 0,
  CHISO_EUSAGE = 1,     /* bad arguments from the caller (CLI: exit 1) */
  CHISO_EDATA = 2,      /* bad input data (exit 2) */
  CHISO_ENOTFOUND = 4,  /* a name, code or file that does not exist (exit 2) */
  CHISO_EAMBIGUOUS = 5, /* a name that matches several things (exit 2) */
  CHISO_EIO = 6,        /* a file could not be read or written (exit 2) */
  CHISO_EEXISTS = 7,    /* already there, e.g. an import done before (exit 0) */
  CHISO_ENOMEM = 8,     /* allocation failed (exit 3) */
  CHISO_EINTERNAL = 9   /* a bug or an unexpected library failure (exit 3) */
};

/* Process exit codes shared by every front end. */
enum {
  CHISO_EXIT_OK = 0,
  CHISO_EXIT_USAGE = 1,
  CHISO_EXIT_DATA = 2,
  CHISO_EXIT_INTERNAL = 3
};

/* What a front end may suggest for an error: the library names the
** problem, the front end turns the hint into its own advice (a flag on the
** command line, a field of a form). */
enum {
  CHISO_HINT_NONE = 0,
  CHISO_HINT_REPLACE = 1,   /* a different file of that name is stored: replace it */
  CHISO_HINT_METHOD = 2,    /* no stored methodology: give one */
  CHISO_HINT_ENCODING = 3,  /* the text looks like another encoding: name it */
  CHISO_HINT_YEAR = 4       /* the year of the data cannot be told: give it */
};

typedef struct chiso_err {
  int code;            /* CHISO_OK when nothing went wrong */
  int hint;            /* a CHISO_HINT_*, CHISO_HINT_NONE when none */
  char message[1024];  /* human-readable, UTF-8, no trailing newline */
  char file[512];      /* input file, "" when not about a file */
  long row;            /* 1-based row of the input, 0 when unknown */
  long col;            /* 1-based column, 0 when unknown */
  char column[128];    /* column (header) name, "" when unknown */
} chiso_err;

/* Reset err to "no error". err may be NULL. Cannot fail. */
void chiso_err_clear(chiso_err *err);

/* Record an error without a location. Returns `code` so callers can write
** `return chiso_err_set(err, CHISO_EDATA, "...")`. err may be NULL, in which
** case only the code is returned. The message is truncated to fit. */
int chiso_err_set(chiso_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record an error located in `file` at `row`/`col` (0 when unknown).
** Same return and NULL rules as chiso_err_set. `file` is copied. */
int chiso_err_at(chiso_err *err, int code, const char *file, long row,
                 long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Attach a CHISO_HINT_* to the error in err (NULL: nothing). Returns
** err->code (0 when err is NULL), so that it can end a return statement. */
int chiso_err_hint(chiso_err *err, int hint);

/* Write "FILE:ROW:COL: message" (parts that are unknown are left out) into
** buf of size n, always NUL-terminated. Cannot fail. */
void chiso_err_format(const chiso_err *err, char *buf, size_t n);

/* Map a CHISO_E* code to the process exit code (0, 1, 2 or 3). */
int chiso_exit_code(int rc);

/* A short constant name for a code, e.g. "data error". Never NULL. */
const char *chiso_strerror(int rc);

#endif

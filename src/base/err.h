/* err.h — filling the error record (the codes, hints and chiso_err itself
** are public: chiso.h).
**
** Every fallible function returns an int: 0 (CHISO_OK) on success, one of
** the CHISO_E* codes otherwise, and fills a caller-owned chiso_err with a
** message and, when known, the location (file, row, column) of the
** offending input. */
#ifndef CHISO_ERR_H
#define CHISO_ERR_H

#include "chiso.h" /* the codes, hints and chiso_err are public */

#include <stddef.h>

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

/* When rc is not 0 and err holds no error yet, record rc with the
** message `what` (e.g. "cannot write the output"). Returns rc. For the
** calls whose callees report a code only (writers). err may be NULL. */
int chiso_err_ensure(chiso_err *err, int rc, const char *what);

/* Attach a CHISO_HINT_* to the error in err (NULL: nothing). Returns
** err->code (0 when err is NULL), so that it can end a return statement. */
int chiso_err_hint(chiso_err *err, int hint);

#endif

/* rowpipe.h — read table rows on a second thread, in batches.
**
** A reader (CSV or XLSX) spends about a third of an import's time cutting
** rows; coding them takes the rest. A row pipe runs the reader's "next
** row" function on its own thread, copies each row into one of a few
** batches (up to 1024 rows or 1 MB each) and hands the rows back, in the
** same order and with the same contents, to the caller's thread. The
** result never depends on the timing: rows, their numbers and the error
** that ends the input arrive exactly as a plain loop over `read` would
** give them. */
#ifndef CHISO_ROWPIPE_H
#define CHISO_ROWPIPE_H

#include "base/err.h"

#include <stddef.h>

typedef struct rowpipe_row {
  size_t n;          /* number of fields */
  char **fields;     /* n NUL-terminated strings; NULL at the end of input */
  size_t *lens;      /* their lengths, or NULL (the reader may leave it
                        NULL; the pipe always gives it) */
  long row;          /* row number as the reader gave it */
  size_t bad_field;  /* 1-based field with invalid UTF-8, 0 if none */
  size_t bad_offset; /* byte offset of the bad sequence in that field */
  unsigned long long tag; /* a word the prep function may set for the caller
                             (e.g. a hash of a key); 0 otherwise */
  unsigned char *typed;   /* per field, 1 for a number the file stores as one
                             (an XLSX number cell), or NULL: all text */
  char **alts;       /* NULL, or n strings or NULLs: another reading of each
                        field (a statistical file's variable label in its
                        header, the code under a value label in a case) */
} rowpipe_row;

/* The reader: fill *row with the next row (fields borrowed until the next
** call; fields NULL at the end) and return 0, or return a CHISO_E* code
** with err filled. Called on the pipe's thread only, never concurrently. */
typedef int (*rowpipe_read_fn)(void *ctx, rowpipe_row *row, chiso_err *err);

/* Optional work on each copied row, also on the pipe's thread: it may
** rewrite the row's fields in place and repoint row->fields[k] inside
** them (e.g. to trim), and must only read what the caller's thread does
** not write meanwhile. */
typedef void (*rowpipe_prep_fn)(void *prep_ctx, rowpipe_row *row);

typedef struct rowpipe rowpipe;

/* Start reading with read(ctx, ...) on a new thread; each row then goes
** through prep(prep_ctx, row) there when prep is not NULL. *out is a pipe
** the caller ends with rowpipe_stop (before touching ctx again). Returns
** CHISO_ENOMEM, or CHISO_EINTERNAL when the thread cannot be started. */
int rowpipe_start(rowpipe_read_fn read, void *ctx, rowpipe_prep_fn prep, void *prep_ctx,
                  rowpipe **out, chiso_err *err);

/* The next row, valid (and writable in place) until the next call:
** row->fields is NULL at the end of the input. Returns 0, or the code (and
** err) with which `read` failed, after every row it gave before failing;
** CHISO_ENOMEM when a row could not be copied. Once the end or an error
** is reached, every further call returns the same. */
int rowpipe_next(rowpipe *p, rowpipe_row *row, chiso_err *err);

/* The row `k` places after the one rowpipe_next returned last into *row,
** when it is already at hand (returns 1); else 0. For prefetching: the
** row's fields are the pipe's and may still change before it is
** returned. */
int rowpipe_peek(const rowpipe *p, size_t k, rowpipe_row *row);

/* Stop the reader thread (it finishes at most the batch it is filling),
** wait for it and free the pipe. NULL is a no-op. */
void rowpipe_stop(rowpipe *p);

#endif

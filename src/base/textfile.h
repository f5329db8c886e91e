/* textfile.h — whole text files, and methodology texts by path or name. */
#ifndef CHISO_TEXTFILE_H
#define CHISO_TEXTFILE_H

#include "base/err.h"

#include <stddef.h>
#include <stdio.h>

/* The largest small file textfile_read takes (methodologies, plans,
** indicator and COINr tables, report models, specs). */
#define TEXTFILE_MAX_BYTES ((long long)256 << 20)

/* Open the file at `path` for reading, refusing anything that is not a
** regular file (a directory, a device such as /dev/zero, a FIFO, a socket:
** they could block or never end) and a file over `max_bytes` (0: no
** limit). The file is opened without blocking first, so that a FIFO never
** hangs the caller. On success *out is the stream (the caller fcloses it)
** and *size its size in bytes (size may be NULL). Returns CHISO_EIO (cannot
** open), CHISO_EDATA ("not a regular file", "larger than the limit"), both
** located at `path`; *out NULL. */
int textfile_open(const char *path, long long max_bytes, FILE **out, long long *size,
                  chiso_err *err);

/* Read the file at `path` (textfile_open: a regular file of at most
** TEXTFILE_MAX_BYTES) into a new NUL-terminated buffer *out (the caller
** frees it with chiso_free) and set *len to its size when len is not NULL.
** Returns CHISO_EIO (cannot open or read, located at `path`), CHISO_EDATA
** (not a regular file, too large) or CHISO_ENOMEM, with *out NULL. */
int textfile_read(const char *path, char **out, size_t *len, chiso_err *err);

/* The JSON text of a methodology given as a file path or, when no such
** file exists, as the name of a shipped one (data/methods/NAME.json,
** embedded; "ebi-2021" and "ebi-2021.json" both work). *out is a new
** NUL-terminated copy the caller frees with chiso_free. Returns
** CHISO_ENOTFOUND ("no methodology 'M' …") when it is neither, or the
** errors of textfile_read. */
int textfile_method(const char *method, char **out, size_t *len, chiso_err *err);

/* 1 when `path` ends in `ext` (".csv"; any letter case) after at least
** one character of name, else 0. Cannot fail. */
int textfile_has_ext(const char *path, const char *ext);

#endif

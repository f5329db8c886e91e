/* textfile.h — whole text files, and methodology texts by path or name. */
#ifndef CHISO_TEXTFILE_H
#define CHISO_TEXTFILE_H

#include "base/err.h"

#include <stddef.h>

/* Read the file at `path` into a new NUL-terminated buffer *out (the
** caller frees it with chiso_free) and set *len to its size when len is not
** NULL. Returns CHISO_EIO (cannot open or read, located at `path`) or
** CHISO_ENOMEM, with *out NULL. */
int textfile_read(const char *path, char **out, size_t *len, chiso_err *err);

/* The JSON text of a methodology given as a file path or, when no such
** file exists, as the name of a shipped one (data/methods/NAME.json,
** embedded; "ebi-2021" and "ebi-2021.json" both work). *out is a new
** NUL-terminated copy the caller frees with chiso_free. Returns
** CHISO_ENOTFOUND ("no methodology 'M' …") when it is neither, or the
** errors of textfile_read. */
int textfile_method(const char *method, char **out, size_t *len, chiso_err *err);

#endif

/* methodology.h — a methodology file as a whole: its text (kept in the
** store with every import, so that estimates can be made from the store
** alone), its "id", its SHA-256, and its codebook. Given as a file path
** or as the name of a shipped methodology ("ebi-2021", data/methods/). */
#ifndef CHISO_METHODOLOGY_H
#define CHISO_METHODOLOGY_H

#include "base/err.h"
#include "survey/codebook.h"

#include <stddef.h>

typedef struct methodology {
  char *json;         /* the whole file, NUL-terminated */
  size_t len;
  char id[128];       /* its "id", else the name it was given by */
  char hash[65];      /* SHA-256 of the text, hex */
  codebook *cb;       /* its codebook */
} methodology;

/* Load a methodology by file path or shipped name (textfile_method),
** parse its codebook and check its index tree when it has one
** (idxio_parse_method: a cycle, a weight of 0, a negative or a string
** weight is refused here, not when a report is made). On success *out is new (methodology_free). Returns
** CHISO_ENOTFOUND (neither a file nor a shipped name), CHISO_EIO,
** CHISO_EDATA (bad JSON or codebook, located), CHISO_ENOMEM; *out NULL. */
int methodology_load(const char *path_or_name, methodology **out, chiso_err *err);

/* The same from the text of a methodology already in memory (json, len
** bytes, copied; e.g. the one stored with a year's imports); `name` is
** used in errors and as the id when the text has none. Same results as
** methodology_load but CHISO_ENOTFOUND and CHISO_EIO. */
int methodology_parse(const char *json, size_t len, const char *name, methodology **out,
                      chiso_err *err);

/* Free a methodology. NULL is a no-op. */
void methodology_free(methodology *m);

#endif

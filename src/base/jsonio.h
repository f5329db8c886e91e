/* jsonio.h — JSON text: reading it with errors located in the source, and
** the two rules every JSON output follows (numbers, layout). */
#ifndef CHISO_JSONIO_H
#define CHISO_JSONIO_H

#include "base/err.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Parse `len` bytes of JSON text (jansson `flags`, e.g. JSON_REJECT_DUPLICATES).
** On success returns 0 and sets *out to a new reference the caller releases
** with json_decref. On bad JSON returns CHISO_EDATA with err located at
** `name`:LINE:COL ("bad JSON: …") and sets *out to NULL. */
int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err);

/* A number for a JSON output: null for NaN and +-inf (JSON has neither),
** else a real. The one rule for every number chiso writes as JSON; a
** field that is a count or a rank by its meaning uses json_integer. Never
** NULL unless out of memory. */
json_t *jsonio_number(double v);

/* Write `root` to f the one way chiso writes JSON (indent 2, keys in the
** order they were set, 17 significant digits, a final newline) and
** release it. Returns 0 or CHISO_EIO. */
int jsonio_dump(json_t *root, FILE *f);

#endif

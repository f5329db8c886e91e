/* jsonin.h — reading JSON text with errors located in the source. */
#ifndef CHISO_JSONIO_H
#define CHISO_JSONIO_H

#include "base/err.h"

#include <jansson.h>
#include <stddef.h>

/* Parse `len` bytes of JSON text (jansson `flags`, e.g. JSON_REJECT_DUPLICATES).
** On success returns 0 and sets *out to a new reference the caller releases
** with json_decref. On bad JSON returns CHISO_EDATA with err located at
** `name`:LINE:COL ("bad JSON: …") and sets *out to NULL. */
int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err);

#endif

/* jsonin.c — JSON parsing with located errors. */
#include "base/jsonio.h"

int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err) {
  json_error_t je;
  *out = json_loadb(text, len, flags, &je);
  if (*out) return CHISO_OK;
  return chiso_err_at(err, CHISO_EDATA, name, je.line > 0 ? je.line : 0,
                      je.column > 0 ? je.column : 0, "bad JSON: %s", je.text);
}

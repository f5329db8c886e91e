/* jsonio.c — JSON parsing with located errors, and the output rules. */
#include "base/jsonio.h"

#include <math.h>
#include <string.h>

int jsonio_parse(const char *text, size_t len, size_t flags, const char *name, json_t **out,
                 chiso_err *err) {
  json_error_t je;
  *out = json_loadb(text, len, flags, &je);
  if (*out) return CHISO_OK;
  /* jansson quotes the text where it stopped ("... near 'root:x:0:0'"):
  ** the location says where, and a message must not show the contents of
  ** a file that was never JSON (a wrong path given as a methodology). */
  char *near = strstr(je.text, " near ");
  if (near) *near = '\0';
  return chiso_err_at(err, CHISO_EDATA, name, je.line > 0 ? je.line : 0,
                      je.column > 0 ? je.column : 0, "bad JSON: %s", je.text);
}

json_t *jsonio_number(double v) { return isfinite(v) ? json_real(v) : json_null(); }

int jsonio_dump(json_t *root, FILE *f) {
  int rc = json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17))
               ? CHISO_EIO
               : CHISO_OK;
  if (fputc('\n', f) == EOF) rc = CHISO_EIO;
  json_decref(root);
  return rc;
}

/* csvwrite.c — RFC 4180 CSV writer (csvwrite.h). */
#include "io/csvwrite.h"

#include "base/err.h"
#include "io/number.h"

#include <math.h>
#include <string.h>

int csvwrite_formula_like(const char *value) {
  double v;
  if (!value || !value[0] || !value[1] || !strchr("=+-@\t\r", value[0])) return 0;
  return number_parse_data(value, &v) != NUMBER_OK;
}

int csvwrite_field(FILE *f, const char *value, int first) {
  if (!first && fputc(',', f) == EOF) return CHISO_EIO;
  if (!value) return CHISO_OK;
  /* a text a spreadsheet would evaluate ("=HYPERLINK(...)", "@SUM(...)")
  ** is written after an apostrophe, which makes it text there */
  int guard = csvwrite_formula_like(value);
  if (strpbrk(value, ",\"\r\n") == NULL)
    return (guard && fputc('\'', f) == EOF) || fputs(value, f) == EOF ? CHISO_EIO : CHISO_OK;
  if (fputc('"', f) == EOF || (guard && fputc('\'', f) == EOF)) return CHISO_EIO;
  for (const char *p = value; *p; p++) {
    if (*p == '"' && fputc('"', f) == EOF) return CHISO_EIO;
    if (fputc(*p, f) == EOF) return CHISO_EIO;
  }
  return fputc('"', f) == EOF ? CHISO_EIO : CHISO_OK;
}

int csvwrite_number(FILE *f, double value, int first) {
  if (!first && fputc(',', f) == EOF) return CHISO_EIO;
  if (!isfinite(value)) return CHISO_OK; /* CSV has no NaN or infinity: empty */
  return fprintf(f, "%.17g", value) < 0 ? CHISO_EIO : CHISO_OK;
}

int csvwrite_end_row(FILE *f, int crlf) {
  return fputs(crlf ? "\r\n" : "\n", f) == EOF ? CHISO_EIO : CHISO_OK;
}

int csvwrite_row(FILE *f, const char *const *values, int n, int crlf) {
  for (int i = 0; i < n; i++) {
    int rc = csvwrite_field(f, values[i], i == 0);
    if (rc != CHISO_OK) return rc;
  }
  return csvwrite_end_row(f, crlf);
}

int csvwrite_bom(FILE *f) {
  return fputs("\xEF\xBB\xBF", f) == EOF ? CHISO_EIO : CHISO_OK;
}

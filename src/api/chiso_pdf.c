/* chiso_pdf.c — the public API: the report as a PDF (chiso.h, "Formats"). */
#include "chiso.h"

#include "report/pdf.h"

#include <assert.h>

int chiso_report_write_pdf(const chiso_report *r, const char *lang, int units, FILE *out,
                           chiso_err *err) {
  assert(r && out);
  pdf_options o = {lang ? lang : "vi", units};
  return pdf_write(r, &o, out, err);
}

/* pdf.h — the report as a PDF book on A4, for print and for forwarding:
** a cover with the contents; the key figures; the ranking with its
** intervals (a chart, then a table running across pages with its header
** row repeated); the map; the pillars; the divide and the targets; the
** sensitivity results; the methodology and the data provenance; then one
** page per unit (its profile). Every page has a running header and its
** number "N / M", and the synthetic-data banner when the model is
** synthetic; headings stay with what follows them; the PDF outline lists
** the sections and the units, and the contents and the ranking's names
** link to their pages.
**
** The figures are the SVG of the HTML report (report/chart, report/map),
** drawn by librsvg, and every text comes from the report strings
** (report/i18n) and the model, so the two reports say the same. Laid out
** with report/pdfdoc (cairo, pango). The bytes depend only on the model
** and the language: the creation date is 1 January after the report year. */
#ifndef CHISO_PDF_H
#define CHISO_PDF_H

#include "base/err.h"
#include "report/rmodel.h"

#include <stdio.h>

typedef struct pdf_options {
  const char *lang; /* "vi" (default when NULL) or "en" */
  int units;        /* 63 or 34 to insist on that unit set, 0: the model's */
} pdf_options;

/* Write the PDF of model m to `out` (borrowed; the caller owns the file
** and what becomes of it on failure). Returns 0; CHISO_EUSAGE when
** opt->units does not match the model; CHISO_EDATA when the model breaks
** rmodel_check's bounds; CHISO_ENOTFOUND when no font with Vietnamese
** letters is installed; CHISO_EIO when writing fails; CHISO_EINTERNAL
** (cairo, librsvg) or CHISO_ENOMEM; err says which. */
int pdf_write(const rmodel *m, const pdf_options *opt, FILE *out, chiso_err *err);

#endif

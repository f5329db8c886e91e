/* html.h — the HTML report: DIR/index.html and one profile per unit in
** DIR/provinces/<code>.html, self-contained (inline CSS and SVG, no
** network request), in Vietnamese or English.
**
** The pages are XHTML-compatible HTML5 (every element closed, only the
** XML entities), so they can be checked with an XML parser. */
#ifndef CHISO_HTML_H
#define CHISO_HTML_H

#include "base/err.h"
#include "report/rmodel.h"

typedef struct html_options {
  const char *lang; /* "vi" (default when NULL) or "en" */
  int units;        /* 63 or 34 to insist on that unit set, 0: the model's */
} html_options;

/* Write the report for model m into directory `dir` (created if needed,
** with its provinces/ subdirectory). Every page is built in memory first
** and each file is written atomically. Sections without data are left out
** or say "not computed". Returns 0; CHISO_EUSAGE when opt->units does not
** match the model; CHISO_EIO when a file or directory cannot be written;
** CHISO_ENOMEM; err says which. */
int html_write(const rmodel *m, const html_options *opt, const char *dir, chiso_err *err);

#endif

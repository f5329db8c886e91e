/* html.h — the HTML report: DIR/index.html and one profile per unit in
** DIR/provinces/<code>.html, self-contained (inline CSS and SVG, no
** network request), in Vietnamese or English.
**
** The pages are XHTML-compatible HTML5 (every element closed, only the
** XML entities), so they can be checked with an XML parser. */
#ifndef CHISO_HTML_H
#define CHISO_HTML_H

#include "base/err.h"
#include "base/strbuf.h"
#include "geo/geo.h"
#include "report/map.h"
#include "report/rmodel.h"

#include <stddef.h>

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

/* The report's stylesheet (the classes its pages, charts and map use,
** chart_css included; built once, thread-safe):
** static, never NULL. */
const char *html_stylesheet(void);

/* Append the choropleth map of the units' scores as the report draws it
** (5 quantile classes, a legend with the rule, the archipelago insets,
** each unit's name and score as its tooltip) in `lang`, with a link per
** model unit from hrefs (NULL: no links; entries borrowed). g must be the
** geometry of the model's units. Returns the number of units with a score
** (0: the map is all grey). Cannot fail (allocation failures are sticky
** in sb). */
size_t html_map(strbuf_buf *sb, const rmodel *m, const map_geom *g, const geo_registry *reg,
                const char *lang, const char *const *hrefs);

/* Append to sb, as plain text in `lang`, the basis of m's HN+HCM share
** series: each year on its own 63 provinces, on the 34 units of 2025, or
** the years before 2025 recomputed on the 34 units and what the cities'
** units took in (issue 12: two figures for the same year never stand
** without a label). The report, the PDF and the server say the same
** words. Cannot fail (allocation failures are sticky in sb). */
void html_share_basis(strbuf_buf *sb, const rmodel *m, const geo_registry *reg, const char *lang);

/* The same words in the PDF as in the HTML (issue 12), as plain text:
**
** html_coverage_text appends "The survey has data for N/34 units only: its
** figures are not national ones." when the survey misses units, and
** returns 1; else appends nothing and returns 0.
** html_mean_label appends what the headline mean is a mean of ("Mean of
** the 8 units with a score (of 34)").
** html_formed_text appends, for a 2025 unit g made of former provinces,
** "Formed from A, B. Its figures for 2020–2024 are re-estimated on its
** boundaries." and returns 1; else appends nothing and returns 0.
** html_report_title gives the methodology's (or --title's) title in lang,
** else the default one (static or borrowed from m, never NULL).
** None can fail (allocation failures are sticky in sb). */
int html_coverage_text(strbuf_buf *sb, const rmodel *m, const char *lang);
void html_mean_label(strbuf_buf *sb, const rmodel *m, const char *lang);
int html_formed_text(strbuf_buf *sb, const rmodel *m, const geo_registry *reg, const geo_unit *g,
                     const char *lang);
const char *html_report_title(const rmodel *m, const char *lang);

#endif

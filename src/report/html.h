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

/* The report's stylesheet (the classes its pages, charts and map use):
** static, never NULL. */
const char *html_stylesheet(void);

/* Strengths and weaknesses of unit i: the indicators whose z-score
** against all units, z = d (x_i − mean) / sd with d the indicator's
** direction (+1/−1), is largest (strengths) and smallest (weaknesses).
** Fills idx[0..*n) with indicator indices sorted by z descending and
** z[] with their z-scores; indicators that are missing or have sd = 0 are
** left out. `idx` and `z` hold m->n_indicators entries. Cannot fail. */
void html_indicator_z(const rmodel *m, size_t i, size_t *idx, double *z, size_t *n);

/* The strengths and weaknesses of unit i as the profile shows them: fills
** idx, z and *n as html_indicator_z and returns k, the number shown of
** each: the first k entries are the strengths, the last k the
** weaknesses (3, or n/2 when fewer than 6 indicators qualify). Cannot
** fail. */
size_t html_strengths(const rmodel *m, size_t i, size_t *idx, double *z, size_t *n);

/* Append the choropleth map of the units' scores as the report draws it
** (5 quantile classes, a legend with the rule, the archipelago insets,
** each unit's name and score as its tooltip) in `lang`, with a link per
** model unit from hrefs (NULL: no links; entries borrowed). g must be the
** geometry of the model's units. Returns the number of units with a score
** (0: the map is all grey). Cannot fail (allocation failures are sticky
** in sb). */
size_t html_map(strbuf_buf *sb, const rmodel *m, const map_geom *g, const geo_registry *reg,
                const char *lang, const char *const *hrefs);

#endif

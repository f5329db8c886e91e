/* chart.h — the SVG charts of the report: ranking with interval whiskers,
** pillar breakdown, Lorenz curve, line trend against a target, progress
** bars, rank shifts and Sobol indices.
**
** Every chart is appended to a string buffer as one <svg> element. All
** text comes from the strings table (i18n.h) in ctx->lang, or from the
** model (unit and node names). Missing data is drawn as absent, never
** crashes. Allocation failures are sticky in the buffer, so these
** functions cannot fail. */
#ifndef CHISO_CHART_H
#define CHISO_CHART_H

#include "base/strbuf.h"
#include "geo/geo.h"
#include "report/rmodel.h"

typedef struct chart_ctx {
  const rmodel *m;
  const char *lang;           /* "vi" or "en" */
  const char *const *names;   /* display name per model unit */
  const char *const *hrefs;   /* profile link per model unit, or NULL */
} chart_ctx;

/* The style rules of the charts and the map (classes used in their SVG:
** colours, strokes, text sizes), for the HTML page's <style> and for
** librsvg when the PDF draws them. Plain CSS: no custom properties.
** Static; never NULL. */
const char *chart_css(void);

/* Quantile class breaks (R type 7, Hyndman & Fan 1996) of the units'
** scores: fills breaks[0..k] with the minimum, the k-1 inner quantiles
** and the maximum. Returns the number of non-missing scores (0: breaks
** are NaN). */
size_t chart_quantile_breaks(const rmodel *m, int k, double *breaks);

/* The class (0..k-1) of value v for breaks from chart_quantile_breaks;
** -1 for NaN. */
int chart_class_of(double v, const double *breaks, int k);

/* Sequential palette of 5 classes, light to dark. */
const char *chart_class_colour(int c);

/* Categorical colour of pillar p (Okabe & Ito 2008 palette). */
const char *chart_pillar_colour(size_t p);

/* Horizontal bars of the score of each unit by rank, with a whisker from
** score_lo to score_hi and the rank interval written beside it. */
void chart_ranking(strbuf_buf *sb, const chart_ctx *c);

/* Dot plot: the pillar scores of each unit (rows by rank), one colour per
** pillar, with a legend. */
void chart_pillars(strbuf_buf *sb, const chart_ctx *c);

/* The Lorenz curve of the divide with the line of equality. */
void chart_lorenz(strbuf_buf *sb, const chart_ctx *c);

/* One series over years: n values v (NaN: a gap) and, when lo and hi are
** both non-NULL, the interval lo[i]..hi[i] of each year (NaN: none) at
** confidence `level` (NaN: unknown). Arrays are borrowed. */
typedef struct chart_series {
  const int *years;
  const double *v, *lo, *hi;
  size_t n;
  double level;
} chart_series;

/* A line over years with an optional dashed reference line at `ref` (NaN:
** none), y axis from 0 to `ymax`; titles come from string keys. Years with
** an interval get a vertical whisker (class "whisker"), and then a legend
** line below the axis names the interval and its level. */
void chart_line(strbuf_buf *sb, const chart_ctx *c, const chart_series *s, double ref,
                double ymax, const char *ykey, const char *refkey);

/* A progress bar for a fraction in [0,1] (NaN: an empty grey bar) coloured
** by status ("achieved", "on_track", "off_track", "no_data"). */
void chart_progress(strbuf_buf *sb, double fraction, const char *status);

/* Bars of the mean absolute rank shift per unit, with the largest shift as
** a thin line, sorted by the mean shift. */
void chart_rankshift(strbuf_buf *sb, const chart_ctx *c);

/* First-order and total-effect Sobol indices per factor. */
void chart_sobol(strbuf_buf *sb, const chart_ctx *c);

/* The mean of each pillar over the units of unit i's region (geo[u] is the
** registry unit of model unit u) and over all units: region[] and
** national[] get m->n_pillars values (rmodel_pillar_mean; NaN when none,
** and region[] NaN when the region has one unit with a score: a mean of
** one unit is not given, issue 12).
** Cannot fail. */
void chart_pillar_means(const rmodel *m, const geo_unit *const *geo, size_t i, double *region,
                        double *national);

/* Grouped bars for unit i: its pillar scores, its region's mean and the
** national mean (means are arrays of m->n_pillars values). */
void chart_profile_pillars(strbuf_buf *sb, const chart_ctx *c, size_t i,
                           const double *region_mean, const double *national_mean);

#endif

/* chart.c — SVG charts of the report (see chart.h). */
#include "report/chart.h"

#include "base/quantile.h"

#include "report/i18n.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(key) i18n_text(c->lang, key)

/* ------------------------------------------------------------------ */
/* Classes and colours                                                 */
/* ------------------------------------------------------------------ */

/* Ink #1f2933, muted #5f6b7a and accent #0b3f7a are the page's colours. */
const char *chart_css(void) {
  return "svg.chart{width:100%;height:auto;max-width:760px;display:block}"
         "svg.chart text{font-size:10px;fill:#1f2933}svg.chart .num{font-variant-numeric:tabular-nums}"
         "svg.chart .axis-title{font-size:10px;fill:#5f6b7a}svg.chart .note{font-size:9.5px;fill:#5f6b7a}"
         "svg.chart .grid{stroke:#e5e9ef;stroke-width:1}svg.chart .rowline{stroke:#eef1f5}"
         "svg.chart .bar{fill:#6fa8d6}svg.chart .whisker{stroke:#0b3f7a;stroke-width:1.3;fill:none}"
         "svg.chart .curve{fill:none;stroke:#0b3f7a;stroke-width:2}svg.chart .pt{fill:#0b3f7a}"
         "svg.chart .equality{stroke:#9aa5b1;stroke-dasharray:4 3}"
         "svg.chart .target{stroke:#c2410c;stroke-dasharray:5 3;stroke-width:1.5}"
         "svg.chart .maxline{stroke:#0b3f7a;stroke-width:1.2}svg.chart a text{fill:#0b3f7a}"
         "svg.chart.lorenz,svg.chart.line{max-width:420px}svg.chart.profile-pillars{max-width:620px}"
         "svg.map{width:100%;max-width:640px;height:auto;display:block;margin:auto}"
         "svg.map .unit path{stroke:#fff;stroke-width:.5}svg.map .unit path.islet{stroke:#333;stroke-width:.6}"
         "svg.map a:hover path{stroke:#000;stroke-width:1.2}"
         "svg.map .inset{fill:none;stroke:#6b7280;stroke-dasharray:3 2}"
         "svg.map text{font-size:10px;fill:#1f2933}svg.map .maplabel{font-size:9.5px;font-style:italic}"
         "svg.map .lgtitle{font-weight:700;font-size:11px}svg.map .lgnote{font-size:9px;fill:#5f6b7a}"
         "svg.progress{width:120px;height:12px;vertical-align:middle}";
}

size_t chart_quantile_breaks(const rmodel *m, int k, double *breaks) {
  double v[64 * 2];
  size_t n = 0;
  for (size_t i = 0; i < m->n_units && n < sizeof v / sizeof v[0]; i++)
    if (!isnan(m->units[i].score)) v[n++] = m->units[i].score;
  for (int j = 0; j <= k; j++) breaks[j] = NAN;
  if (!n) return 0;
  quantile_sort(v, n);
  for (int j = 0; j <= k; j++) breaks[j] = quantile_sorted(v, n, (double)j / k, 1);
  return n;
}

int chart_class_of(double v, const double *breaks, int k) {
  if (isnan(v)) return -1;
  int cls = 0;
  while (cls < k - 1 && v >= breaks[cls + 1]) cls++;
  return cls;
}

/* A light-to-dark blue ramp, even steps in lightness, chosen to stay
** readable in greyscale print. */
const char *chart_class_colour(int cls) {
  static const char *const ramp[] = {"#e8f1fa", "#b5d3ec", "#6fa8d6", "#2f74b5", "#0b3f7a"};
  return cls < 0 ? "#d9d9d9" : ramp[cls > 4 ? 4 : cls];
}

const char *chart_pillar_colour(size_t p) {
  static const char *const pal[] = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"};
  return pal[p % 6];
}

/* ------------------------------------------------------------------ */
/* Small drawing helpers                                               */
/* ------------------------------------------------------------------ */

/* The width attribute is 90% of the chart's own width: the stylesheet
** fits the chart to the page (width:100%) except on a phone (390 px), where
** it takes this width, its text stays about 9 px and its section scrolls
** sideways instead of shrinking it to 4 px (html.c's CSS; issue 12). An
** attribute, not a style: the server's pages forbid inline styles. */
static void svg_open(strbuf_buf *sb, double w, double h, const char *cls) {
  strbuf_printf(sb, "<svg class=\"chart %s\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" "
                "width=\"%.0f\" role=\"img\">\n",
            cls, w, h, 0.9 * w);
}

static void text_at(strbuf_buf *sb, double x, double y, const char *anchor, const char *cls,
                    const char *s) {
  strbuf_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"%s\">", x, y, anchor, cls);
  strbuf_esc(sb, s);
  strbuf_puts(sb, "</text>");
}

static void num_at(strbuf_buf *sb, double x, double y, const char *anchor, double v, int dec) {
  strbuf_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" class=\"num\">", x, y, anchor);
  strbuf_num(sb, v, dec, "–");
  strbuf_puts(sb, "</text>");
}

/* Vertical grid lines and labels for 0..max on [x0, x0+w]. */
static void x_axis(strbuf_buf *sb, double x0, double w, double y0, double y1, double max, int steps) {
  /* as many decimals as the step needs: a 0-1 axis in fifths reads
  ** 0 0.2 0.4 ..., not 0 0 0 1 1 1 */
  double step = max / steps;
  int dec = step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
  for (int t = 0; t <= steps; t++) {
    double x = x0 + w * t / steps;
    strbuf_printf(sb, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y0, x, y1);
    num_at(sb, x, y1 + 12, "middle", max * t / steps, dec);
  }
}

static void unit_label(strbuf_buf *sb, const chart_ctx *c, size_t i, double x, double y) {
  const rmodel_unit *u = &c->m->units[i];
  if (c->hrefs && c->hrefs[i]) {
    strbuf_puts(sb, "<a href=\"");
    strbuf_esc(sb, c->hrefs[i]);
    strbuf_puts(sb, "\">");
  }
  strbuf_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"ulabel\">", x, y);
  if (u->rank > 0) strbuf_printf(sb, "%d. ", u->rank);
  strbuf_esc(sb, c->names[i]);
  strbuf_puts(sb, "</text>");
  if (c->hrefs && c->hrefs[i]) strbuf_puts(sb, "</a>");
}

static void legend_item(strbuf_buf *sb, double x, double y, const char *colour, const char *label) {
  strbuf_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, y - 9, colour);
  text_at(sb, x + 14, y, "start", "lg", label);
}

/* ------------------------------------------------------------------ */
/* Ranking and pillars                                                 */
/* ------------------------------------------------------------------ */

#define RANK_LEFT 170.0
#define RANK_W 430.0
#define ROW_H 14.0

/* Open a chart with one row per unit in rank order; returns its height. */
/* Open a chart with one row per shown unit (rmodel_shown_order); *n
** receives the rows. */
static double rows_open(strbuf_buf *sb, const chart_ctx *c, size_t *order, size_t *n,
                        double top, double right, const char *cls) {
  *n = rmodel_shown_order(c->m, order);
  double h = top + ROW_H * (double)*n + 24;
  svg_open(sb, RANK_LEFT + RANK_W + right, h, cls);
  return h;
}

void chart_ranking(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  size_t order[RMODEL_MAX_UNITS], rows;
  double h = rows_open(sb, c, order, &rows, 40, 110, "ranking");
  char lab[160];
  double lv = m->interval_level;
  int whiskers = 0; /* no whisker: do not promise one in the title */
  for (size_t i = 0; i < m->n_units; i++) whiskers |= !isnan(m->units[i].score_lo);
  text_at(sb, RANK_LEFT, 14, "start", "axis-title",
          whiskers ? i18n_level(c->lang, "chart_score_axis", lv, lab, sizeof lab)
                   : S("chart_score_axis_plain"));
  text_at(sb, RANK_LEFT + RANK_W + 105, 14, "end", "axis-title",
          i18n_level(c->lang, "chart_rank_interval", lv, lab, sizeof lab));
  x_axis(sb, RANK_LEFT, RANK_W, 24, h - 20, 100, 10);
  for (size_t r = 0; r < rows; r++) {
    size_t i = order[r];
    const rmodel_unit *u = &m->units[i];
    double y = 30 + ROW_H * (double)r;
    unit_label(sb, c, i, RANK_LEFT - 6, y + 10);
    if (!isnan(u->score))
      strbuf_printf(sb, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"9\"/>",
                RANK_LEFT, y + 2, RANK_W * u->score / 100);
    if (!isnan(u->score_lo) && !isnan(u->score_hi)) {
      double x0 = RANK_LEFT + RANK_W * u->score_lo / 100, x1 = RANK_LEFT + RANK_W * u->score_hi / 100;
      strbuf_printf(sb, "<path class=\"whisker\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\"/>",
                x0, y + 3, y + 10, x0, y + 6.5, x1, x1, y + 3, y + 10);
    }
    num_at(sb, RANK_LEFT + RANK_W + 30, y + 10, "end", u->score, 1);
    if (u->rank_lo > 0 && u->rank_hi > 0) {
      char iv[32];
      snprintf(iv, sizeof iv, "%d–%d", u->rank_lo, u->rank_hi);
      text_at(sb, RANK_LEFT + RANK_W + 105, y + 10, "end", "num", iv);
    }
  }
  strbuf_puts(sb, "</svg>\n");
}

void chart_pillars(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  size_t order[RMODEL_MAX_UNITS];
  /* One legend line per pillar: pillar names are long (and UTF-8), so a
  ** single line would run off the chart. */
  double off = 16.0 * (double)(m->n_pillars ? m->n_pillars - 1 : 0);
  size_t rows;
  double h = rows_open(sb, c, order, &rows, 48 + off, 20, "pillars");
  for (size_t p = 0; p < m->n_pillars; p++)
    legend_item(sb, RANK_LEFT, 14 + 16.0 * (double)p, chart_pillar_colour(p),
                rmodel_node_name(m, m->pillars[p], c->lang));
  x_axis(sb, RANK_LEFT, RANK_W, 32 + off, h - 20, 100, 10);
  for (size_t r = 0; r < rows; r++) {
    size_t i = order[r];
    double y = 38 + off + ROW_H * (double)r;
    unit_label(sb, c, i, RANK_LEFT - 6, y + 10);
    strbuf_printf(sb, "<line class=\"rowline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              RANK_LEFT, y + 6.5, RANK_LEFT + RANK_W, y + 6.5);
    for (size_t p = 0; p < m->n_pillars; p++) {
      double v = m->units[i].pillars[p];
      if (isnan(v)) continue;
      strbuf_printf(sb, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.6\" fill=\"%s\"/>",
                RANK_LEFT + RANK_W * v / 100, y + 6.5, chart_pillar_colour(p));
    }
  }
  strbuf_puts(sb, "</svg>\n");
}

/* ------------------------------------------------------------------ */
/* Divide                                                              */
/* ------------------------------------------------------------------ */

void chart_lorenz(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  double x0 = 50, y0 = 20, w = 260, h = 260;
  svg_open(sb, x0 + w + 30, y0 + h + 46, "lorenz");
  for (int t = 0; t <= 4; t++) {
    double f = t / 4.0;
    strbuf_printf(sb, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              x0, y0 + h - h * f, x0 + w, y0 + h - h * f);
    num_at(sb, x0 - 5, y0 + h - h * f + 4, "end", 100 * f, 0);
    num_at(sb, x0 + w * f, y0 + h + 14, "middle", 100 * f, 0);
  }
  strbuf_printf(sb, "<line class=\"equality\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
            x0, y0 + h, x0 + w, y0);
  strbuf_puts(sb, "<path class=\"curve\" d=\"");
  for (size_t i = 0; i < m->n_lorenz; i++)
    strbuf_printf(sb, "%s%.1f %.1f", i ? "L" : "M", x0 + w * m->lorenz_x[i], y0 + h - h * m->lorenz_y[i]);
  strbuf_puts(sb, "\"/>");
  text_at(sb, x0 + w / 2, y0 + h + 32, "middle", "axis-title", S("chart_lorenz_x"));
  strbuf_printf(sb, "<text class=\"axis-title\" text-anchor=\"middle\" transform=\"translate(14 %.1f) rotate(-90)\">",
            y0 + h / 2);
  strbuf_esc(sb, S("chart_lorenz_y"));
  strbuf_puts(sb, "</text>");
  text_at(sb, x0 + w * 0.55, y0 + h * 0.4, "end", "note", S("chart_equality"));
  strbuf_puts(sb, "</svg>\n");
}

/* Number of years of s with a drawable interval. */
static size_t line_intervals(const chart_series *s) {
  size_t k = 0;
  for (size_t i = 0; s->lo && s->hi && i < s->n; i++)
    k += !isnan(s->v[i]) && !isnan(s->lo[i]) && !isnan(s->hi[i]);
  return k;
}

/* Whiskers from lo to hi at each year of s that has an interval. */
static void line_whiskers(strbuf_buf *sb, const chart_series *s, double x0, double step,
                          double y0, double h, double ymax) {
  for (size_t i = 0; s->lo && s->hi && i < s->n; i++) {
    if (isnan(s->v[i]) || isnan(s->lo[i]) || isnan(s->hi[i])) continue;
    double x = x0 + step * (double)i, ya = y0 + h - h * s->lo[i] / ymax,
           yb = y0 + h - h * s->hi[i] / ymax;
    strbuf_printf(sb, "<path class=\"whisker\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\"/>",
              x, ya, yb, x - 3, ya, x + 3, x - 3, yb, x + 3);
  }
}

void chart_line(strbuf_buf *sb, const chart_ctx *c, const chart_series *s, double ref,
                double ymax, const char *ykey, const char *refkey) {
  double x0 = 50, y0 = 16, w = 300, h = 170;
  size_t n = s->n, whiskers = line_intervals(s);
  svg_open(sb, x0 + w + 20, y0 + h + (whiskers ? 56 : 40), "line");
  for (int t = 0; t <= 4; t++) {
    double f = t / 4.0;
    strbuf_printf(sb, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
              x0, y0 + h - h * f, x0 + w, y0 + h - h * f);
    num_at(sb, x0 - 5, y0 + h - h * f + 4, "end", ymax * f, 0);
  }
  double step = n > 1 ? w / (double)(n - 1) : 0, xs = x0 + (n > 1 ? 0 : w / 2);
  for (size_t i = 0; i < n; i++) {
    char y[16];
    snprintf(y, sizeof y, "%d", s->years[i]);
    text_at(sb, xs + step * (double)i, y0 + h + 14, "middle", "num", y);
  }
  if (!isnan(ref)) {
    double ry = y0 + h - h * ref / ymax;
    strbuf_printf(sb, "<line class=\"target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x0, ry, x0 + w, ry);
    if (refkey) text_at(sb, x0 + w, ry - 4, "end", "note", S(refkey));
  }
  line_whiskers(sb, s, xs, step, y0, h, ymax);
  strbuf_puts(sb, "<path class=\"curve\" d=\"");
  int pen = 0;
  for (size_t i = 0; i < n; i++) {
    if (isnan(s->v[i])) { pen = 0; continue; }
    strbuf_printf(sb, "%s%.1f %.1f", pen ? "L" : "M", xs + step * (double)i, y0 + h - h * s->v[i] / ymax);
    pen = 1;
  }
  strbuf_puts(sb, "\"/>");
  for (size_t i = 0; i < n; i++)
    if (!isnan(s->v[i]))
      strbuf_printf(sb, "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\"/>",
                xs + step * (double)i, y0 + h - h * s->v[i] / ymax);
  text_at(sb, x0 + w / 2, y0 + h + 32, "middle", "axis-title", S("chart_year"));
  if (ykey) text_at(sb, x0, y0 - 4, "start", "axis-title", S(ykey));
  if (whiskers) {
    char lab[160];
    text_at(sb, x0, y0 + h + 50, "start", "lg",
            i18n_level(c->lang, "chart_line_whisker", s->level, lab, sizeof lab));
  }
  strbuf_puts(sb, "</svg>\n");
}

void chart_progress(strbuf_buf *sb, double fraction, const char *status) {
  const char *colour = strcmp(status, "achieved") == 0   ? "#1a7f37"
                       : strcmp(status, "on_track") == 0 ? "#2f74b5"
                       : strcmp(status, "off_track") == 0 ? "#c2410c"
                                                          : "#9ca3af";
  strbuf_puts(sb, "<svg class=\"progress\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 120 12\">");
  strbuf_puts(sb, "<rect x=\"0\" y=\"1\" width=\"120\" height=\"10\" rx=\"2\" fill=\"#e5e7eb\"/>");
  if (!isnan(fraction))
    strbuf_printf(sb, "<rect x=\"0\" y=\"1\" width=\"%.1f\" height=\"10\" rx=\"2\" fill=\"%s\"/>",
              120 * fraction, colour);
  strbuf_puts(sb, "</svg>");
}

/* ------------------------------------------------------------------ */
/* Sensitivity                                                         */
/* ------------------------------------------------------------------ */

static double max_shift(const rmodel *m) {
  double mx = 1;
  for (size_t i = 0; i < m->n_shifts; i++) {
    if (m->shifts[i].max_abs > mx) mx = m->shifts[i].max_abs;
    if (m->shifts[i].mean_abs > mx) mx = m->shifts[i].mean_abs;
  }
  return ceil(mx / 5) * 5;
}

static const char *unit_name_by_code(const chart_ctx *c, const char *code) {
  for (size_t i = 0; i < c->m->n_units; i++)
    if (strcmp(c->m->units[i].code, code) == 0) return c->names[i];
  return code;
}

void chart_rankshift(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  size_t n = m->n_shifts, order[RMODEL_MAX_UNITS];
  for (size_t i = 0; i < n && i < RMODEL_MAX_UNITS; i++) order[i] = i;
  for (size_t i = 1; i < n; i++) /* insertion sort by mean shift, descending */
    for (size_t j = i; j > 0 && m->shifts[order[j]].mean_abs > m->shifts[order[j - 1]].mean_abs; j--) {
      size_t t = order[j]; order[j] = order[j - 1]; order[j - 1] = t;
    }
  double mx = max_shift(m), h = 40 + ROW_H * (double)n + 24;
  svg_open(sb, RANK_LEFT + RANK_W + 20, h, "rankshift");
  legend_item(sb, RANK_LEFT, 14, "#6fa8d6", S("chart_shift_mean"));
  strbuf_printf(sb, "<line class=\"maxline\" x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"10\"/>", RANK_LEFT + 270, RANK_LEFT + 290);
  text_at(sb, RANK_LEFT + 296, 14, "start", "lg", S("chart_shift_max"));
  x_axis(sb, RANK_LEFT, RANK_W, 24, h - 20, mx, 5);
  for (size_t r = 0; r < n; r++) {
    const rmodel_shift *s = &m->shifts[order[r]];
    double y = 30 + ROW_H * (double)r;
    text_at(sb, RANK_LEFT - 6, y + 10, "end", "ulabel", unit_name_by_code(c, s->code));
    if (!isnan(s->max_abs))
      strbuf_printf(sb, "<line class=\"maxline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                RANK_LEFT, y + 6.5, RANK_LEFT + RANK_W * s->max_abs / mx, y + 6.5);
    if (!isnan(s->mean_abs))
      strbuf_printf(sb, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"7\"/>",
                RANK_LEFT, y + 3, RANK_W * s->mean_abs / mx);
  }
  strbuf_puts(sb, "</svg>\n");
}

void chart_sobol(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  double left = 190, w = 380, h = 44 + 30 * (double)m->n_sobol + 20;
  svg_open(sb, left + w + 90, h, "sobol");
  legend_item(sb, left, 14, "#2f74b5", S("chart_sobol_first"));
  legend_item(sb, left + 170, 14, "#E69F00", S("chart_sobol_total"));
  x_axis(sb, left, w, 26, h - 18, 1, 5);
  int en = strcmp(c->lang, "en") == 0;
  for (size_t i = 0; i < m->n_sobol; i++) {
    const rmodel_sobol *s = &m->sobol[i];
    double y = 32 + 30 * (double)i;
    const char *label = en ? s->label_en : s->label_vi;
    text_at(sb, left - 6, y + 14, "end", "ulabel", label && *label ? label : s->factor);
    if (!isnan(s->first))
      strbuf_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"#2f74b5\"/>",
                left, y + 2, w * fmax(0, s->first));
    if (!isnan(s->total))
      strbuf_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"#E69F00\"/>",
                left, y + 13, w * fmax(0, s->total));
    /* both numbers, S_i / S_Ti: a bar of 0 may hide a small negative S_i */
    strbuf_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" class=\"num\">",
                  left + w + 85, y + 14);
    strbuf_num(sb, s->first, 2, "–");
    strbuf_puts(sb, " / ");
    strbuf_num(sb, s->total, 2, "–");
    strbuf_puts(sb, "</text>");
  }
  strbuf_puts(sb, "</svg>\n");
}

/* ------------------------------------------------------------------ */
/* Profile                                                             */
/* ------------------------------------------------------------------ */

void chart_profile_pillars(strbuf_buf *sb, const chart_ctx *c, size_t i,
                           const double *region_mean, const double *national_mean) {
  const rmodel *m = c->m;
  /* Each pillar's name on its own line above its three bars: the names
  ** are long and would be cut off in a left margin. */
  double left = 20, w = 480, gh = 56, h = 36 + gh * (double)m->n_pillars + 20;
  static const char *const cols[] = {"#0b3f7a", "#6fa8d6", "#bdbdbd"};
  svg_open(sb, left + w + 50, h, "profile-pillars");
  legend_item(sb, left, 14, cols[0], c->names[i]);
  legend_item(sb, left + 180, 14, cols[1], S("chart_region_mean"));
  legend_item(sb, left + 330, 14, cols[2], S("chart_national_mean"));
  x_axis(sb, left, w, 24, h - 18, 100, 5);
  for (size_t p = 0; p < m->n_pillars; p++) {
    double y = 30 + gh * (double)p;
    const double vals[3] = {m->units[i].pillars[p], region_mean[p], national_mean[p]};
    text_at(sb, left, y + 10, "start", "ulabel", rmodel_node_name(m, m->pillars[p], c->lang));
    for (int k = 0; k < 3; k++) {
      if (isnan(vals[k])) continue;
      strbuf_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"%s\"/>",
                left, y + 15 + 11 * k, w * vals[k] / 100, cols[k]);
      num_at(sb, left + w * vals[k] / 100 + 4, y + 24 + 11 * k, "start", vals[k], 1);
    }
  }
  strbuf_puts(sb, "</svg>\n");
}

/* ------------------------------------------------------------------ */
/* Regional and national means                                          */
/* ------------------------------------------------------------------ */

typedef struct {
  const geo_unit *const *geo;
  int region;
} region_ctx;

static int same_region(size_t u, const void *ctx) {
  const region_ctx *r = ctx;
  return r->geo[u]->region == r->region;
}

void chart_pillar_means(const rmodel *m, const geo_unit *const *geo, size_t i, double *region,
                        double *national) {
  region_ctx rc = {geo, geo[i]->region};
  /* A regional mean of one unit is the unit itself: not given as a mean
  ** (issue 12; a regional survey may have one unit of a region). */
  size_t in_region = 0;
  for (size_t u = 0; u < m->n_units; u++) in_region += same_region(u, &rc) && !isnan(m->units[u].score);
  for (size_t p = 0; p < m->n_pillars; p++) {
    region[p] = in_region >= 2 ? rmodel_pillar_mean(m, p, same_region, &rc) : NAN;
    national[p] = rmodel_pillar_mean(m, p, NULL, NULL);
  }
}

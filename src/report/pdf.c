/* pdf.c — the report as a PDF book (pdf.h).
**
** The book is laid out twice with report/pdfdoc: a measuring pass learns
** on which page each section and each profile begins and how many pages
** there are; the second pass draws, with the contents, the links and
** "page N / M" filled in. Both passes run the same code on the same
** model, so they break the pages in the same places. */
#include "report/pdf.h"

#include "base/mem.h"
#include "base/strbuf.h"
#include "chiso.h"
#include "geo/geo.h"
#include "report/chart.h"
#include "report/html.h"
#include "report/i18n.h"
#include "report/profile.h"
#include "report/map.h"
#include "report/pdfdoc.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>
#include <utf8proc.h>

#define S(key) i18n_text(b->lang, key)
#define N_SECTIONS 10

typedef struct book {
  const rmodel *m;
  const char *lang;
  int comma;                  /* a decimal comma (Vietnamese) */
  const geo_registry *reg;
  geo_era era;
  const geo_unit *geo[RMODEL_MAX_UNITS];
  const char *names[RMODEL_MAX_UNITS];
  map_geom *map;
  char *css;                  /* the figures' style sheet with the font */
  pdfdoc *d;
  /* learnt by the measuring pass */
  int sec_page[N_SECTIONS];
  int toc[N_SECTIONS];         /* the sections in the order they appear */
  size_t n_toc;
  int measuring;
  int profile_page[RMODEL_MAX_UNITS];
  int pages;
  /* cells of the table being built */
  char **cells;
  size_t n_cells, cap_cells;
  int oom;
} book;

/* The sections in book order: their string keys. */
static const char *const sections[N_SECTIONS] = {
    "sec_headline", "sec_ranking", "sec_map",     "sec_pillars", "sec_divide",
    "sec_targets",  "sec_sensitivity", "sec_method", "sec_provenance", "sec_profiles"};

/* ---- small helpers -------------------------------------------------------------------- */

/* A cell of the table being built (a copy, freed with the table). */
static const char *cell(book *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static const char *cell(book *b, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  char *s = chiso_strdup(buf);
  if (!s || chiso_grow((void **)&b->cells, &b->cap_cells, b->n_cells + 1, sizeof(char *))) {
    chiso_free(s);
    b->oom = 1;
    return "";
  }
  return b->cells[b->n_cells++] = s;
}

static void cells_free(book *b) {
  for (size_t i = 0; i < b->n_cells; i++) chiso_free(b->cells[i]);
  b->n_cells = 0;
}

/* A number for display ("85,0" in Vietnamese), "–" when missing. */
static const char *num(book *b, double v, int dec) {
  char t[64];
  if (isnan(v)) return "–";
  strbuf_fmt_num(t, sizeof t, v, dec, b->comma);
  return cell(b, "%s", t);
}

static const char *range(book *b, double lo, double hi, int dec) {
  if (isnan(lo) || isnan(hi)) return "–";
  char a[64], c[64];
  strbuf_fmt_num(a, sizeof a, lo, dec, b->comma);
  strbuf_fmt_num(c, sizeof c, hi, dec, b->comma);
  return cell(b, "%s–%s", a, c);
}

/* The HTML report's words (html.h) as a cell: f1 (coverage) or f2 (mean
** label); "" when f1 has nothing to say. */
static const char *plain(book *b, int (*f1)(strbuf_buf *, const rmodel *, const char *),
                         void (*f2)(strbuf_buf *, const rmodel *, const char *)) {
  strbuf_buf t;
  strbuf_init(&t);
  int any = f1 ? f1(&t, b->m, b->lang) : (f2(&t, b->m, b->lang), 1);
  if (strbuf_error(&t)) b->oom = 1;
  const char *r = any && t.data ? cell(b, "%s", t.data) : "";
  strbuf_free(&t);
  return r;
}

/* Text t with its first letter in capitals (a reason as a sentence). */
static const char *cap_text(book *b, const char *t) {
  utf8proc_int32_t cp;
  utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t, -1, &cp);
  if (k <= 0) return t;
  utf8proc_uint8_t up[8];
  utf8proc_ssize_t n = utf8proc_encode_char(utf8proc_toupper(cp), up);
  return cell(b, "%.*s%s", (int)n, (const char *)up, t + k);
}

/* The text of `key` with its first letter in capitals ("trọng số" as a
** column title). */
static const char *cap(book *b, const char *key) { return cap_text(b, S(key)); }

static const char *level_text(book *b, const char *key, double level) {
  char t[200];
  return cell(b, "%s", i18n_level(b->lang, key, level, t, sizeof t));
}

/* Draw an SVG built by `make` into a buffer. */
typedef void (*chart_fn)(strbuf_buf *sb, const chart_ctx *c);

static chart_ctx ctx_of(const book *b) {
  chart_ctx c = {b->m, b->lang, b->names, NULL};
  return c;
}

static void figure(book *b, chart_fn make, double width, double max_h) {
  strbuf_buf sb;
  chart_ctx c = ctx_of(b);
  strbuf_init(&sb);
  sb.comma = b->comma;
  make(&sb, &c);
  pdfdoc_svg(b->d, &sb, b->css, width, max_h);
  strbuf_free(&sb);
}

static void not_computed(book *b) { pdfdoc_text(b->d, S("not_computed"), PDFDOC_SMALL, 0); }

/* Section k, on a new page when `page`, recorded for the contents. */
static int section(book *b, int k, double keep, int page) {
  if (page) pdfdoc_page(b->d);
  int id = pdfdoc_heading(b->d, S(sections[k]), 1, keep, 0);
  b->sec_page[k] = pdfdoc_page_number(b->d);
  if (b->measuring && b->n_toc < N_SECTIONS) b->toc[b->n_toc++] = k;
  return id;
}

static double national_mean(const rmodel *m) {
  double s = 0;
  int n = 0;
  for (size_t i = 0; i < m->n_units; i++)
    if (!isnan(m->units[i].score)) s += m->units[i].score, n++;
  return n ? s / n : NAN;
}

/* ---- cover and key figures ----------------------------------------------------------- */

static void cover(book *b) {
  const rmodel *m = b->m;
  char t[256];
  pdfdoc_page(b->d);
  pdfdoc_space(b->d, 120);
  snprintf(t, sizeof t, "%s %d", html_report_title(m, b->lang), m->year);
  pdfdoc_heading(b->d, t, 0, 0, 0);
  snprintf(t, sizeof t, "%s · %d %s", S("report_subtitle"), m->n_era_units, S("units_word"));
  pdfdoc_text(b->d, t, PDFDOC_LEAD, 0);
  const char *mname = strcmp(b->lang, "en") == 0 && m->method_name_en && *m->method_name_en
                          ? m->method_name_en : m->method_name_vi;
  snprintf(t, sizeof t, "%s: %s (%s)", S("methodology"), mname ? mname : "–",
           m->method_id ? m->method_id : "–");
  pdfdoc_text(b->d, t, PDFDOC_BODY, 0);
  if (m->synthetic) pdfdoc_warning(b->d, S("synthetic_banner"));
  const char *cov = plain(b, html_coverage_text, NULL);
  if (*cov) pdfdoc_warning(b->d, cov); /* a survey that misses units (issue 12) */
  pdfdoc_space(b->d, 40);
  pdfdoc_heading(b->d, S("contents"), 2, 0, 0);
  for (size_t k = 0; k < b->n_toc; k++)
    pdfdoc_toc_line(b->d, S(sections[b->toc[k]]), b->sec_page[b->toc[k]], 0);
  snprintf(t, sizeof t, "%s chiso %s", S("footer_generated"),
           m->chiso_version && *m->chiso_version ? m->chiso_version : CHISO_VERSION);
  pdfdoc_space(b->d, 24);
  pdfdoc_text(b->d, t, PDFDOC_SMALL, 0);
}

static void headline(book *b) {
  const rmodel *m = b->m;
  size_t order[RMODEL_MAX_UNITS];
  char top[1024] = "", line[200], share[64], sub[256] = "";
  rmodel_rank_order(m, order);
  for (size_t r = 0, w = 0; r < m->n_units && r < 5 && !isnan(m->units[order[r]].score); r++) {
    char sc[32];
    strbuf_fmt_num(sc, sizeof sc, m->units[order[r]].score, 1, b->comma);
    snprintf(line, sizeof line, "%s%zu. %s  %s", r ? "\n" : "", r + 1, b->names[order[r]], sc);
    w += (size_t)snprintf(top + w, sizeof top - w, "%s", line);
    if (w >= sizeof top) break;
  }
  if (!strchr(top, '\n')) strcat(top, "\n"); /* a list, even of one */
  double sh = rmodel_measure_value(m, "hnhcm_share");
  if (isnan(sh) && m->n_share) sh = m->share[m->n_share - 1];
  snprintf(share, sizeof share, "%s%s", num(b, sh, 1), isnan(sh) ? "" : "%");
  for (size_t i = 0; i < m->n_measures; i++)
    if (strcmp(m->measures[i].id, "hnhcm_share") == 0 && !isnan(m->measures[i].lo))
      snprintf(sub, sizeof sub, "%s: %s%%\n%s", level_text(b, "col_interval", m->share_level),
               range(b, m->measures[i].lo, m->measures[i].hi, 1), S("hnhcm_share_note"));
  if (!sub[0]) snprintf(sub, sizeof sub, "%s", S("hnhcm_share_note"));
  pdfdoc_card cards[3] = {{S("top_provinces"), top, NULL},
                          {plain(b, NULL, html_mean_label), num(b, national_mean(m), 1), S("score_scale")},
                          {S("hnhcm_share"), share, sub}};
  section(b, 0, 120, 1);
  pdfdoc_cards(b->d, cards, 3);
  cells_free(b);
}

/* ---- ranking, map, pillars --------------------------------------------------------------- */

/* The method's tiers with their cut-offs, and its top-N publication. */
static void tiers_note(book *b) {
  const rmodel *m = b->m;
  char buf[400];
  if (m->top_n > 0) pdfdoc_text(b->d, i18n_with_n(b->lang, "top_n_note", m->top_n, buf, sizeof buf), PDFDOC_SMALL, 0);
  if (!m->n_tiers) return;
  size_t len = (size_t)snprintf(buf, sizeof buf, "%s", S("tiers_note"));
  for (size_t t = 0; t < m->n_tiers && len < sizeof buf; t++)
    len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s ≥ %s", t ? "; " : " ",
                            rmodel_tier_name(&m->tiers[t], b->lang), num(b, m->tiers[t].min, 0));
  if (len < sizeof buf - 1) snprintf(buf + len, sizeof buf - len, ".");
  pdfdoc_text(b->d, buf, PDFDOC_SMALL, 0);
}

/* Who is not ranked (or not published) and why, after the table. */
static void unranked_list(book *b, const size_t *order) {
  const rmodel *m = b->m;
  size_t n = 0;
  for (size_t r = 0; r < m->n_units; r++)
    n += !m->units[order[r]].withheld && *rmodel_unit_note(&m->units[order[r]], b->lang);
  if (!n) return;
  pdfdoc_space(b->d, 6);
  pdfdoc_heading(b->d, cell(b, "%s (%zu)", S("sec_unranked"), n), 2, 60, 0);
  pdfdoc_text(b->d, S("unranked_note"), PDFDOC_SMALL, 0);
  for (size_t r = 0; r < m->n_units; r++) {
    const char *note = rmodel_unit_note(&m->units[order[r]], b->lang);
    if (*note && !m->units[order[r]].withheld)
      pdfdoc_text(b->d, cell(b, "%s: %s", b->names[order[r]], note), PDFDOC_BODY, 0);
  }
}

static void ranking(book *b) {
  const rmodel *m = b->m;
  size_t order[RMODEL_MAX_UNITS];
  const char *cells[RMODEL_MAX_UNITS * 9];
  int links[RMODEL_MAX_UNITS];
  size_t nc = m->n_tiers ? 9 : 8;
  strbuf_buf sb;
  chart_ctx c = ctx_of(b);
  strbuf_init(&sb);
  sb.comma = b->comma;
  chart_ranking(&sb, &c);
  /* on the page before when the chart fits there at its size */
  double h = pdfdoc_svg_height(b->d, &sb, 0, 0) + 80;
  section(b, 1, h, h > pdfdoc_room(b->d));
  if (!m->n_units) {
    strbuf_free(&sb);
    not_computed(b);
    return;
  }
  pdfdoc_text(b->d, S("ranking_note"), PDFDOC_SMALL, 0);
  tiers_note(b);
  pdfdoc_svg(b->d, &sb, b->css, 0, 0);
  strbuf_free(&sb);
  size_t shown = rmodel_shown_order(m, order); /* --hide-empty, as the HTML (issue 12) */
  for (size_t r = 0; r < shown; r++) {
    const rmodel_unit *u = &m->units[order[r]];
    const char **row = cells + r * nc;
    row[0] = u->rank > 0 ? cell(b, "%d", u->rank) : "–";
    row[1] = u->code;
    row[2] = b->names[order[r]];
    row[3] = geo_region_name(b->era, b->geo[order[r]]->region, b->lang);
    row[4] = num(b, u->score, 1);
    row[5] = range(b, u->score_lo, u->score_hi, 1);
    row[6] = u->rank_lo > 0 ? cell(b, "%d–%d", u->rank_lo, u->rank_hi) : "–";
    row[7] = u->n_resp >= 0 ? cell(b, "%ld", u->n_resp) : "–";
    const rmodel_tier *tr = rmodel_tier_find(m, u->tier);
    if (nc == 9) row[8] = tr ? rmodel_tier_name(tr, b->lang) : "–";
    links[r] = b->profile_page[order[r]];
  }
  int tiers = nc == 9; /* a tier column: the others narrower */
  pdfdoc_col cols[9] = {{S("col_rank"), tiers ? 30 : 32, 1},
                        {S("col_code"), tiers ? 26 : 28, 0},
                        {S("col_name"), tiers ? 100 : 110, 0},
                        {S("col_region"), tiers ? 86 : 116, 0},
                        {S("col_score"), tiers ? 34 : 38, 1},
                        {level_text(b, "col_interval", m->interval_level), tiers ? 58 : 62, 1},
                        {level_text(b, "col_rank_interval", m->interval_level), tiers ? 46 : 52, 1},
                        {S("col_respondents"), tiers ? 46 : 0, 1},
                        {S("col_tier"), 0, 0}};
  pdfdoc_table t = {cols, nc, shown, cells, NULL, links, 2, 8, NULL, 0, 0};
  pdfdoc_heading(b->d, S("sec_ranking"), 2, pdfdoc_table_height(b->d, &t, 3), 0);
  pdfdoc_table_draw(b->d, &t);
  unranked_list(b, order);
  cells_free(b);
}

/* The map, on a page of its own, or after the key figures (`flow`). */
static void map_section(book *b, int flow) {
  strbuf_buf sb;
  section(b, 2, 300, !flow);
  strbuf_init(&sb);
  sb.comma = b->comma;
  if (!html_map(&sb, b->m, b->map, b->reg, b->lang, NULL)) not_computed(b);
  pdfdoc_svg(b->d, &sb, b->css, 0, pdfdoc_room(b->d) - 10);
  strbuf_free(&sb);
}

static void pillars(book *b) {
  section(b, 3, 200, 1);
  if (!b->m->n_pillars || !b->m->n_units) {
    not_computed(b);
    return;
  }
  pdfdoc_text(b->d, S("pillars_note"), PDFDOC_SMALL, 0);
  figure(b, chart_pillars, 0, 0);
}

/* ---- divide, targets, sensitivity ---------------------------------------------------------- */

static void share_chart(strbuf_buf *sb, const chart_ctx *c) {
  const rmodel *m = c->m;
  chart_series ss = {m->share_years, m->share, m->share_lo, m->share_hi, m->n_share, m->share_level};
  chart_line(sb, c, &ss, m->share_target, 100, "chart_share_axis", "chart_target_line");
}

static void measures_table(book *b) {
  const rmodel *m = b->m;
  const char *cells[64 * 3];
  size_t n = m->n_measures < 64 ? m->n_measures : 64, nc = 2;
  for (size_t i = 0; i < n; i++) nc = !isnan(m->measures[i].lo) ? 3 : nc;
  for (size_t i = 0; i < n; i++) {
    const rmodel_measure *x = &m->measures[i];
    char key[80];
    int dec = fabs(x->value) >= 10 ? 1 : 3;
    snprintf(key, sizeof key, "measure_%s", x->id);
    cells[i * nc] = i18n_has(key) ? S(key) : x->id;
    cells[i * nc + 1] = num(b, x->value, dec);
    if (nc == 3) cells[i * nc + 2] = range(b, x->lo, x->hi, dec);
  }
  pdfdoc_col cols[3] = {{S("col_measure"), 300, 0}, {S("col_value"), nc == 3 ? 70 : 0, 1},
                        {level_text(b, "col_interval", m->share_level), 0, 1}};
  pdfdoc_table t = {cols, nc, n, cells, NULL, NULL, 0, 8.5, NULL, 0, 0};
  if (n) pdfdoc_table_draw(b->d, &t);
}

/* The Lorenz curve and the HN+HCM share side by side, each under its title. */
static void divide_charts(book *b) {
  const rmodel *m = b->m;
  const double half = (PDFDOC_WIDTH - 16) / 2;
  strbuf_buf svg[2];
  const char *title[2] = {S("lorenz_title"), S("share_title")};
  int has[2] = {m->n_lorenz > 0, m->n_share > 0};
  chart_ctx c = ctx_of(b);
  double th = 0, fh = 0;
  for (int k = 0; k < 2; k++) {
    strbuf_init(&svg[k]);
    svg[k].comma = b->comma;
    if (!has[k]) continue;
    if (k == 0) chart_lorenz(&svg[k], &c);
    else share_chart(&svg[k], &c);
    double t = pdfdoc_text_height(b->d, title[k], PDFDOC_BODY, half);
    double f = pdfdoc_svg_height(b->d, &svg[k], half, 0);
    th = t > th ? t : th, fh = f > fh ? f : fh;
  }
  if (has[0] || has[1]) {
    pdfdoc_need(b->d, th + fh + 12);
    double y = pdfdoc_get_y(b->d);
    for (int k = 0, at = 0; k < 2; k++) {
      if (!has[k]) continue;
      pdfdoc_set_y(b->d, y);
      pdfdoc_text_at(b->d, title[k], PDFDOC_BODY, at * (half + 16), half);
      pdfdoc_set_y(b->d, y + th + 4);
      pdfdoc_svg_at(b->d, &svg[k], b->css, at++ * (half + 16), half, 0);
    }
    pdfdoc_set_y(b->d, y + th + 4 + fh + 8);
  }
  if (has[1]) { /* the share's basis, as the HTML says it (issue 12, item 4) */
    strbuf_buf t;
    strbuf_init(&t);
    html_share_basis(&t, m, b->reg, b->lang);
    if (strbuf_error(&t)) b->oom = 1;
    if (t.data) pdfdoc_text(b->d, t.data, PDFDOC_SMALL, 0);
    strbuf_free(&t);
  }
  strbuf_free(&svg[0]);
  strbuf_free(&svg[1]);
}

static void divide(book *b) {
  const rmodel *m = b->m;
  section(b, 4, 160, 1);
  if (!m->n_measures && !m->n_lorenz && !m->n_share) {
    not_computed(b);
    return;
  }
  measures_table(b);
  divide_charts(b);
  pdfdoc_text(b->d, S("divide_note"), PDFDOC_SMALL, 0);
  cells_free(b);
}

/* The rows of the targets of `province` (NULL: all) into cells/svgs. */
/* The rows of the targets of `province` (NULL: all, with their scope) into
** cells and svgs (a progress bar each). A province's own table is compact:
** the plan after the target, the unit after the numbers. */
static size_t target_rows(book *b, const char *province, const char **cells, const char **svgs,
                          strbuf_buf *bars, size_t cap) {
  const rmodel *m = b->m;
  int all = province == NULL;
  size_t n = 0, nc = all ? 8 : 6;
  for (size_t i = 0; i < m->n_targets && n < cap; i++) {
    const rmodel_target *t = &m->targets[i];
    if (!all && strcmp(t->province, province)) continue;
    const char *status = rmodel_target_status(t), **row = cells + n * nc;
    const char *desc = strcmp(b->lang, "en") == 0 && *t->desc_en ? t->desc_en : t->desc_vi;
    char key[64];
    snprintf(key, sizeof key, "status_%s", status);
    size_t c = 0;
    row[c++] = cell(b, all ? "%s\n%s" : "%s (%s)", desc, t->plan);
    if (all) {
      const geo_unit *g = t->province[0] ? geo_find_code(b->reg, b->era, t->province) : NULL;
      row[c++] = g ? g->name : S("national");
    }
    row[c++] = cell(b, "%d", t->target_year);
    const char *sep = strcmp(t->unit, "%") == 0 ? "" : " ";
    row[c++] = all || isnan(t->target) ? num(b, t->target, 1) : cell(b, "%s%s%s", num(b, t->target, 1), sep, t->unit);
    row[c++] = all || isnan(t->actual) ? num(b, t->actual, 1) : cell(b, "%s%s%s", num(b, t->actual, 1), sep, t->unit);
    if (all) row[c++] = t->unit;
    strbuf_init(&bars[n]);
    chart_progress(&bars[n], rmodel_target_progress(t), status);
    for (size_t k = 0; k < nc; k++) svgs[n * nc + k] = NULL;
    svgs[n * nc + c] = bars[n].data;
    row[c++] = "";
    row[c++] = i18n_has(key) ? S(key) : status;
    n++;
  }
  return n;
}

/* The targets table of `province` (NULL: all): its height, and drawn when
** `draw`. */
static double targets_table(book *b, const char *province, int draw) {
  enum { CAP = 128 };
  const char *cells[CAP * 8], *svgs[CAP * 8];
  strbuf_buf bars[CAP];
  size_t n = target_rows(b, province, cells, svgs, bars, CAP);
  pdfdoc_col wide[8] = {{S("col_target"), 150, 0},     {S("col_scope"), 62, 0},
                        {S("col_target_year"), 34, 1}, {S("col_target_value"), 42, 1},
                        {S("col_actual"), 42, 1},      {S("col_unit"), 44, 0},
                        {S("col_progress"), 52, 0},    {S("col_status"), 0, 0}};
  pdfdoc_col own[6] = {{S("col_target"), 250, 0},     {S("col_target_year"), 34, 1},
                       {S("col_target_value"), 52, 1}, {S("col_actual"), 52, 1},
                       {S("col_progress"), 52, 0},    {S("col_status"), 0, 0}};
  pdfdoc_table t = {province ? own : wide, province ? 6 : 8, n, cells, svgs, NULL, 0, 7.5, b->css, 0, 0};
  double h = pdfdoc_table_height(b->d, &t, n);
  if (draw) pdfdoc_table_draw(b->d, &t);
  for (size_t i = 0; i < n; i++) strbuf_free(&bars[i]);
  return h;
}

static void targets(book *b) {
  section(b, 5, 120, 0);
  if (!b->m->n_targets) {
    not_computed(b);
    return;
  }
  pdfdoc_need(b->d, 100);
  targets_table(b, NULL, 1);
  pdfdoc_text(b->d, S("targets_note"), PDFDOC_SMALL, 0);
  cells_free(b);
}

static void sensitivity(book *b) {
  const rmodel *m = b->m;
  section(b, 6, 200, 1);
  if (!m->n_shifts && !m->n_sobol) {
    not_computed(b);
    return;
  }
  if (m->n_shifts) {
    pdfdoc_heading(b->d, S("rankshift_title"), 2, 200, 0);
    pdfdoc_text(b->d, S(m->shifts_crossed ? "rankshift_note_crossed" : "rankshift_note"), PDFDOC_SMALL, 0);
    figure(b, chart_rankshift, 0, 0);
  }
  if (m->n_sobol) {
    pdfdoc_heading(b->d, S("sobol_title"), 2, 160, 0);
    pdfdoc_text(b->d, S("sobol_note"), PDFDOC_SMALL, 0);
    figure(b, chart_sobol, 0, 0);
  }
}

/* ---- methodology and provenance --------------------------------------------------------------- */

/* The tree as table rows, depth first, the name indented by its depth. */
static size_t tree_rows(book *b, const char *parent, int depth, const char **cells, size_t n,
                        size_t cap) {
  const rmodel *m = b->m;
  for (size_t k = 0; k < m->n_nodes && n < cap && depth < 8; k++) {
    const rmodel_node *x = &m->nodes[k];
    if (strcmp(x->parent, parent)) continue;
    const char **row = cells + n * 6;
    char wt[32] = "–";
    if (!isnan(x->weight)) {
      snprintf(wt, sizeof wt, "%.3g", x->weight);
      char *dot = b->comma ? strchr(wt, '.') : NULL;
      if (dot) *dot = ',';
    }
    row[0] = cell(b, "%*s%s", depth * 3, "", rmodel_node_name(m, x->id, b->lang));
    row[1] = x->id;
    row[2] = cell(b, "%s", wt);
    row[3] = x->direction ? (x->direction > 0 ? "+" : "−") : "";
    row[4] = x->normalisation;
    row[5] = x->aggregation;
    n = tree_rows(b, x->id, depth + 1, cells, n + 1, cap);
  }
  return n;
}

static void method(book *b) {
  const rmodel *m = b->m;
  enum { CAP = 256 };
  const char *cells[CAP * 6];
  char t[512];
  section(b, 7, 120, 1);
  const char *name = strcmp(b->lang, "en") == 0 && m->method_name_en && *m->method_name_en
                         ? m->method_name_en : m->method_name_vi;
  snprintf(t, sizeof t, "%s (%s)", name ? name : "–", m->method_id ? m->method_id : "–");
  pdfdoc_text(b->d, t, PDFDOC_LEAD, 0);
  if (m->normalisation && *m->normalisation) {
    snprintf(t, sizeof t, "%s: %s; %s: %s", cap(b, "normalisation"), m->normalisation,
             S("aggregation"), m->aggregation ? m->aggregation : "–");
    pdfdoc_text(b->d, t, PDFDOC_BODY, 0);
  }
  size_t n = tree_rows(b, "", 0, cells, 0, CAP);
  if (!n) not_computed(b);
  pdfdoc_col cols[6] = {{S("col_key"), 190, 0},  {"id", 90, 0},
                        {cap(b, "weight"), 48, 1}, {cap(b, "direction"), 40, 0},
                        {cap(b, "normalisation"), 62, 0}, {cap(b, "aggregation"), 0, 0}};
  pdfdoc_table tab = {cols, 6, n, cells, NULL, NULL, 0, 7.5, NULL, 0, 0};
  if (n) pdfdoc_table_draw(b->d, &tab);
  pdfdoc_text(b->d, S("method_note"), PDFDOC_SMALL, 0);
  cells_free(b);
}

static void provenance(book *b) {
  const rmodel *m = b->m;
  enum { CAP = 256 };
  const char *cells[CAP * 4], *meta[3 * 2];
  section(b, 8, 120, 0);
  size_t n = m->n_imports < CAP ? m->n_imports : CAP;
  for (size_t i = 0; i < n; i++) {
    const rmodel_import *x = &m->imports[i];
    cells[i * 4] = x->file;
    cells[i * 4 + 1] = x->kind;
    cells[i * 4 + 2] = x->rows >= 0 ? cell(b, "%ld", x->rows) : "–";
    cells[i * 4 + 3] = x->sha256;
  }
  pdfdoc_col cols[4] = {{S("col_file"), 150, 0}, {S("col_kind"), 60, 0},
                        {S("col_rows"), 44, 1}, {S("col_sha256"), 0, 0}};
  pdfdoc_table t = {cols, 4, n, cells, NULL, NULL, 0, 7, NULL, 0, 0};
  if (n) pdfdoc_table_draw(b->d, &t);
  else not_computed(b);
  meta[0] = S("method_hash"), meta[1] = m->method_hash && *m->method_hash ? m->method_hash : "–";
  meta[2] = S("seed"), meta[3] = m->seed && *m->seed ? m->seed : "–";
  meta[4] = S("chiso_version");
  meta[5] = m->chiso_version && *m->chiso_version ? m->chiso_version : CHISO_VERSION;
  pdfdoc_col mc[2] = {{S("col_key"), 150, 0}, {S("col_value"), 0, 0}};
  pdfdoc_table mt = {mc, 2, 3, meta, NULL, NULL, 0, 7.5, NULL, 0, 0};
  pdfdoc_table_draw(b->d, &mt);
  char cite[1024];
  snprintf(cite, sizeof cite,
           "%s https://www.geoboundaries.org %s Runfola D. et al. (2020), geoBoundaries: A global "
           "database of political administrative boundaries, PLoS ONE 15(4): e0231866, "
           "https://doi.org/10.1371/journal.pone.0231866.",
           S("attribution_boundaries"), S("attribution_licence"));
  pdfdoc_text(b->d, cite, PDFDOC_SMALL, 0);
  cells_free(b);
}

/* ---- profiles ------------------------------------------------------------------------------ */

/* What the strengths and weaknesses take: their heading, the taller
** table, the note (an estimate on the safe side). */
static double strengths_height(book *b, size_t i) {
  (void)i;
  return pdfdoc_heading_height(b->d, S("sec_strengths"), 2) + 32 + 3.0 * 22 +
         pdfdoc_text_height(b->d, S("strengths_note"), PDFDOC_SMALL, 0) + 12;
}

/* An indicator's value as the HTML profile shows it: shares and percents
** in %, other values with 2 decimals. */
static const char *indicator_text(book *b, size_t k, double v) {
  const rmodel_node *node = rmodel_node_find(b->m, b->m->indicators[k]);
  const char *unit = node && node->unit ? node->unit : "";
  int share = strcmp(unit, "share") == 0, pct = share || strcmp(unit, "percent") == 0;
  if (isnan(v) || !pct) return num(b, v, 2);
  return cell(b, "%s%%", num(b, share ? 100 * v : v, 1));
}

/* The report profile's rule (profile_strengths, issue 12 item 3): a
** strength above the mean of all units, best rank first; a weakness below
** it, worst first; the same table as the HTML profile. */
static void strengths(book *b, size_t i) {
  const rmodel *m = b->m;
  profile_item it[2][3];
  size_t n[2] = {0, 0};
  profile_strengths(m, i, NULL, it[0], &n[0], it[1], &n[1]);
  pdfdoc_heading(b->d, S("sec_strengths"), 2, 90, 0);
  if (!n[0] && !n[1]) {
    not_computed(b);
    return;
  }
  double half = (PDFDOC_WIDTH - 14) / 2, y0 = 0, low = 0;
  const char *cells[2][3 * 4];
  const char *keys[2] = {"strengths", "weaknesses"}, *none[2] = {"no_strengths", "no_weaknesses"};
  for (int part = 0; part < 2; part++) {
    size_t k = n[part] ? n[part] : 1;
    for (size_t r = 0; r < k; r++) {
      const char **row = cells[part] + r * 4;
      if (!n[part]) { /* one row saying there is none */
        row[0] = S(none[part]), row[1] = row[2] = row[3] = "";
        continue;
      }
      const profile_item *x = &it[part][r];
      row[0] = rmodel_node_name(m, m->indicators[x->indicator], b->lang);
      row[1] = indicator_text(b, x->indicator, x->value);
      row[2] = indicator_text(b, x->indicator, x->reference);
      row[3] = cell(b, "%d/%d", x->rank, x->n_ranked);
    }
    pdfdoc_col cols[4] = {{S(keys[part]), 0, 0}, {S("col_value"), 40, 1},
                          {S("col_reference_mean"), 46, 1}, {S("col_rank"), 32, 1}};
    cols[0].width = half - 118;
    pdfdoc_table t = {cols, 4, k, cells[part], NULL, NULL, 0, 7.5, NULL, part ? half + 14 : 0, half};
    if (!part) {
      pdfdoc_need(b->d, pdfdoc_table_height(b->d, &t, k));
      y0 = pdfdoc_get_y(b->d);
    } else {
      pdfdoc_set_y(b->d, y0);
    }
    pdfdoc_table_draw(b->d, &t);
    if (pdfdoc_get_y(b->d) > low) low = pdfdoc_get_y(b->d);
  }
  pdfdoc_set_y(b->d, low);
  pdfdoc_text(b->d, S("strengths_note"), PDFDOC_SMALL, 0);
}

static void profile(book *b, size_t i, int parent, int new_page) {
  const rmodel *m = b->m;
  const rmodel_unit *u = &m->units[i];
  const geo_unit *g = b->geo[i];
  char sub[300], n_resp[32], rank[64];
  if (new_page) pdfdoc_page(b->d);
  b->profile_page[i] = pdfdoc_page_number(b->d);
  pdfdoc_heading(b->d, b->names[i], 1, 200, parent);
  snprintf(sub, sizeof sub, "%s %s · %s", S("col_code"), g->code, geo_region_name(b->era, g->region, b->lang));
  pdfdoc_text(b->d, sub, PDFDOC_BODY, 0);
  snprintf(n_resp, sizeof n_resp, "%ld", u->n_resp);
  if (u->rank > 0) snprintf(rank, sizeof rank, "%d / %zu", u->rank, m->n_units);
  else snprintf(rank, sizeof rank, "–");
  const char *score_note = cell(b, "%s: %s", level_text(b, "col_interval", m->interval_level),
                                range(b, u->score_lo, u->score_hi, 1));
  const char *rank_note = cell(b, "%s: %s", level_text(b, "col_rank_interval", m->interval_level),
                               u->rank_lo > 0 ? cell(b, "%d–%d", u->rank_lo, u->rank_hi) : "–");
  pdfdoc_card cards[3] = {{S("col_score"), num(b, u->score, 1), score_note},
                          {S("col_rank"), rank, rank_note},
                          {S("col_respondents"), u->n_resp >= 0 ? n_resp : "–", NULL}};
  pdfdoc_cards(b->d, cards, 3);
  const rmodel_tier *tier = rmodel_tier_find(m, u->tier);
  if (tier) pdfdoc_text(b->d, cell(b, "%s: %s", S("col_tier"), rmodel_tier_name(tier, b->lang)), PDFDOC_BODY, 0);
  const char *note = rmodel_unit_note(u, b->lang);
  if (*note) pdfdoc_warning(b->d, cap_text(b, note));
  if (u->n_resp == 0) /* not a small sample: none (issue 12) */
    pdfdoc_warning(b->d, S("no_respondents"));
  else if (!*note && u->n_resp > 0 && u->n_resp < m->min_respondents) /* else said once, above */
    pdfdoc_warning(b->d, cell(b, "%s (n = %ld < %ld)", S("small_sample"), u->n_resp, m->min_respondents));
  strbuf_buf formed;
  strbuf_init(&formed);
  if (b->era == GEO_ERA_34 && html_formed_text(&formed, m, b->reg, g, b->lang) && formed.data)
    pdfdoc_text(b->d, formed.data, PDFDOC_BODY, 0); /* merged provinces visible (issue 12, item 8) */
  if (strbuf_error(&formed)) b->oom = 1;
  strbuf_free(&formed);
  /* The two charts first: on one page, they give way to the rest. */
  strbuf_buf pil, tr;
  chart_ctx c = ctx_of(b);
  strbuf_init(&pil), strbuf_init(&tr);
  pil.comma = tr.comma = b->comma;
  if (m->n_pillars && m->n_pillars <= RMODEL_MAX_PILLARS) {
    double reg[RMODEL_MAX_PILLARS], nat[RMODEL_MAX_PILLARS];
    chart_pillar_means(m, b->geo, i, reg, nat);
    chart_profile_pillars(&pil, &c, i, reg, nat);
  }
  int any = 0;
  for (size_t y = 0; y < m->n_years; y++) any |= !isnan(u->trend[y]);
  if (any) {
    chart_series ts = {m->years, u->trend, NULL, NULL, m->n_years, NAN};
    chart_line(&tr, &c, &ts, NAN, 100, "chart_score_plain", NULL);
  }
  int has_targets = 0;
  for (size_t t = 0; t < m->n_targets; t++) has_targets |= strcmp(m->targets[t].province, u->code) == 0;
  double hh = pdfdoc_heading_height(b->d, S("sec_trend"), 2);
  double targets_h = has_targets ? targets_table(b, u->code, 0) + 8 + hh : 0;
  double trend_w = PDFDOC_WIDTH * 0.55, pillars_max = 200, trend_max = 130;
  double ph = pil.len ? pdfdoc_svg_height(b->d, &pil, 0, pillars_max) : 0;
  double th = tr.len ? pdfdoc_svg_height(b->d, &tr, trend_w, trend_max) : 0;
  double rest = targets_h + strengths_height(b, i) + (pil.len ? hh + 8 : 0) + (tr.len ? hh + 8 : 0);
  double over = rest + ph + th - pdfdoc_room(b->d);
  if (over > 0 && ph + th > 0) { /* shrink both charts alike, to half at most */
    double f = 1 - over / (ph + th);
    f = f < 0.5 ? 0.5 : f;
    pillars_max = ph * f, trend_max = th * f;
  }
  if (pil.len) {
    pdfdoc_heading(b->d, S("sec_profile_pillars"), 2, pdfdoc_svg_height(b->d, &pil, 0, pillars_max), 0);
    pdfdoc_svg(b->d, &pil, b->css, 0, pillars_max);
  }
  strengths(b, i);
  if (tr.len) {
    pdfdoc_heading(b->d, S("sec_trend"), 2, pdfdoc_svg_height(b->d, &tr, trend_w, trend_max), 0);
    pdfdoc_svg(b->d, &tr, b->css, trend_w, trend_max);
  }
  strbuf_free(&pil), strbuf_free(&tr);
  if (has_targets) {
    pdfdoc_heading(b->d, S("sec_targets"), 2, targets_h - hh, 0);
    targets_table(b, u->code, 1);
  }
  cells_free(b);
}

static void profiles(book *b) {
  const rmodel *m = b->m;
  size_t order[RMODEL_MAX_UNITS], n = 0;
  for (size_t i = 0; i < m->n_units; i++) { /* GSO code order: insertion sort */
    if (!rmodel_unit_shown(m, i)) continue; /* --hide-empty: the units of the tables */
    size_t j = n++;
    while (j > 0 && strcmp(m->units[order[j - 1]].code, m->units[i].code) > 0) order[j] = order[j - 1], j--;
    order[j] = i;
  }
  pdfdoc_page(b->d);
  b->sec_page[9] = pdfdoc_page_number(b->d);
  if (b->measuring && b->n_toc < N_SECTIONS) b->toc[b->n_toc++] = 9;
  int parent = pdfdoc_outline(b->d, S("sec_profiles"), 0);
  for (size_t k = 0; k < n; k++) profile(b, order[k], parent, k > 0);
}

/* ---- the book ------------------------------------------------------------------------------ */

/* Does the ranking's chart fit in the room left (with its heading and note)? */
static int ranking_fits(book *b) {
  strbuf_buf sb;
  chart_ctx c = ctx_of(b);
  strbuf_init(&sb);
  chart_ranking(&sb, &c);
  double h = pdfdoc_svg_height(b->d, &sb, 0, 0) + 80;
  strbuf_free(&sb);
  return h <= pdfdoc_room(b->d);
}

static int render(book *b, FILE *out, int measure, chiso_err *err) {
  const rmodel *m = b->m;
  char title[256], header[300], date[40];
  snprintf(title, sizeof title, "%s %d", html_report_title(m, b->lang), m->year);
  snprintf(header, sizeof header, "%s · %s", title, S("report_subtitle"));
  snprintf(date, sizeof date, "%04d-01-01T00:00:00Z", m->year + 1);
  pdfdoc_setup s = {title, S("report_subtitle"), "EBI; e-commerce; Vietnam; provinces",
                    date, header, m->synthetic ? S("synthetic_banner") : NULL, S("page_word"),
                    measure ? 0 : b->pages, measure};
  int rc = pdfdoc_open(out, &s, &b->d, err);
  if (rc) return rc;
  b->measuring = measure;
  cover(b);
  headline(b);
  /* The ranking chart of 34 units fits under the key figures; that of 63
  ** does not, and the map takes the room instead. */
  if (ranking_fits(b)) {
    ranking(b);
    map_section(b, 0);
  } else {
    map_section(b, 1);
    ranking(b);
  }
  pillars(b);
  divide(b);
  targets(b);
  sensitivity(b);
  method(b);
  provenance(b);
  profiles(b);
  if (measure) b->pages = pdfdoc_page_number(b->d);
  rc = pdfdoc_close(b->d, err);
  b->d = NULL;
  if (!rc && b->oom) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
  return rc;
}

int pdf_write(const rmodel *m, const pdf_options *opt, FILE *out, chiso_err *err) {
  assert(m && out);
  book b;
  memset(&b, 0, sizeof b);
  b.m = m;
  b.lang = opt && opt->lang && strcmp(opt->lang, "en") == 0 ? "en" : "vi";
  b.comma = strcmp(b.lang, "vi") == 0;
  if (opt && opt->units && opt->units != m->n_era_units)
    return chiso_err_set(err, CHISO_EUSAGE, "the model has %d units; a %d-unit report needs a %d-unit model",
                         m->n_era_units, opt->units, opt->units);
  if (rmodel_check(m, err)) return CHISO_EDATA;
  b.era = m->n_era_units == 34 ? GEO_ERA_34 : GEO_ERA_63;
  int rc = geo_registry_shared(&b.reg, err);
  for (size_t i = 0; !rc && i < m->n_units; i++) {
    b.geo[i] = geo_find_code(b.reg, b.era, m->units[i].code);
    if (!b.geo[i])
      rc = chiso_err_set(err, CHISO_EDATA, "unit %s is not one of the %d units", m->units[i].code,
                         m->n_era_units);
    else b.names[i] = b.geo[i]->name;
  }
  if (!rc) rc = map_load(b.reg, b.era, &b.map, err);
  if (!rc) {
    const char *font = "svg text{font-family:'Noto Sans','DejaVu Sans',sans-serif}";
    size_t n = strlen(chart_css()) + strlen(font) + 1;
    if (!(b.css = chiso_malloc(n))) rc = chiso_err_set(err, CHISO_ENOMEM, "out of memory");
    else snprintf(b.css, n, "%s%s", chart_css(), font);
  }
  if (!rc) rc = render(&b, NULL, 1, err);  /* learn the pages */
  if (!rc) rc = render(&b, out, 0, err);   /* and draw */
  cells_free(&b);
  chiso_free(b.cells);
  chiso_free(b.css);
  map_free(b.map);
  return rc;
}
